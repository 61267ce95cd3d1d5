/* Asking the VNC server for a screen size: RFB's SetDesktopSize (client
 * message 251) and the ExtendedDesktopSize pseudo-encoding (-308) that
 * answers it, as QEMU 7.2 speaks them (ui/vnc.c). Pure: bytes only.
 *
 * QEMU's side: it takes the first screen's size from SetDesktopSize and,
 * when the display device can change size on request (virtio-gpu: "ui
 * info"), forwards it to the guest and answers at once with status 4, a
 * code of its own ("request forwarded"; RFB knows 0-3), and the CURRENT
 * size; the guest's new mode follows later as an ordinary resize
 * (reason 0). Other devices (std VGA) get status 3, invalid screen
 * layout. QEMU's single screen has id 0, which libvncclient 0.9.14's
 * SendExtDesktopSize treats as "no screen" and sends nothing: hence our
 * own message. */
#ifndef VMPLAY_VNC_DESKTOP_SIZE_H
#define VMPLAY_VNC_DESKTOP_SIZE_H

#include <stdbool.h>
#include <stdint.h>

#define VNC_ENCODING_EXT_DESKTOP_SIZE ((int32_t)-308)
#define VNC_SET_DESKTOP_SIZE_LEN 24   /* one screen */

/* ExtendedDesktopSize rectangle: x is the reason, y the status. */
enum {
	VNC_DS_REASON_SERVER = 0,     /* the server (guest) changed size */
	VNC_DS_REASON_CLIENT = 1,     /* the answer to our request */
	VNC_DS_REASON_OTHER = 2,      /* another client's request */
};
enum {
	VNC_DS_OK = 0,
	VNC_DS_PROHIBITED = 1,
	VNC_DS_OUT_OF_RESOURCES = 2,
	VNC_DS_INVALID_LAYOUT = 3,
	VNC_DS_FORWARDED = 4,         /* QEMU's own: passed on to the guest */
};

/* The smallest and largest size vmplay asks for. */
#define VNC_DS_MIN_W 320
#define VNC_DS_MIN_H 200
#define VNC_DS_MAX 8192

/* SetDesktopSize for one screen (id 0, at 0,0) of w x h, clamped to the
 * limits above. */
void vnc_set_desktop_size(uint8_t out[VNC_SET_DESKTOP_SIZE_LEN], int w, int h);

/* Status code in words, for the log and the user ("the guest's display
 * device cannot change size"...). */
const char *vnc_desktop_size_status(int status);

/* Whether an answer's status means the request is on its way to the
 * guest (0 or QEMU's 4) rather than refused. */
bool vnc_desktop_size_accepted(int status);

#endif
