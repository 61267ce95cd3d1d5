/* The VNC connection to QEMU's display: libvncclient over the VM's unix
 * socket, connected the way that survives guest resolution changes with
 * QEMU 7.2 (see docs/qemu-vnc.md). vnc.c is the only includer of
 * rfbclient.h. All calls on one thread (the library has no locking). */
#ifndef VMPLAY_VNC_H
#define VMPLAY_VNC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vnc;

/* The guest screen. Pixels are XRGB8888 (SDL_PIXELFORMAT_XRGB8888, QEMU's
 * native format): no conversion anywhere. The connection's own buffer or
 * the memory the frame callback gave; valid until the next vnc_dispatch. */
struct vnc_frame {
	const uint8_t *pixels;
	int width, height;
	int pitch;          /* bytes per row */
};

struct vnc_callbacks {
	/* The guest changed resolution (also once at connect): the frame was
	 * reallocated, its content is undefined until the next update. */
	void (*resize)(void *user, int width, int height);
	/* Once per framebuffer update message: the union of its changed
	 * rectangles, already clamped to the screen. */
	void (*update)(void *user, int x, int y, int w, int h);
	/* A new guest cursor shape, ARGB8888 (alpha 0 or 255), w*h pixels, or
	 * w == 0 to hide it. Only for display devices with a hardware cursor. */
	void (*cursor)(void *user, const uint32_t *argb, int w, int h,
		       int hot_x, int hot_y);
	/* Optional: where the guest picture lives. Called after resize and
	 * before the first pixels of each update message are written (so a
	 * frame still waiting to be shown can be shown first); returns memory
	 * for width x height XRGB8888 pixels, *pitch == width * 4, that keeps
	 * its content and stays valid until the next resize (the same memory
	 * each time in between: updates change only parts of it), or NULL for
	 * the connection's own buffer. Raw rectangles are read from the
	 * socket straight into it: when it is the memory that is presented (a
	 * texture), the picture takes one copy less. */
	uint8_t *(*frame)(void *user, int width, int height, int *pitch);

	/* Optional, both or neither: the clipboard (vnc_clipboard.h). The
	 * extended clipboard is announced to QEMU only with them, so without
	 * them nothing passes either way. clipboard_text: the guest copied
	 * text (UTF-8, NUL-terminated, len without the NUL), or text NULL
	 * when it was over VNC_CLIP_MAX_FROM_GUEST and dropped.
	 * clipboard_request: the guest pastes; answer with
	 * vnc_clipboard_provide. */
	void (*clipboard_text)(void *user, const char *text, size_t len);
	void (*clipboard_request)(void *user);

	/* Optional: ExtendedDesktopSize is announced only with it (then
	 * vnc_request_size works). QEMU's answer to a request: status (see
	 * vnc_desktop_size.h) and the size at the time of the answer; the new
	 * size itself arrives through resize. */
	void (*size_answer)(void *user, int status, int width, int height);
};

/* Connects to the VNC unix socket at path (it must exist), sets the pixel
 * format and encodings (Raw, DesktopSize, QEMU extended key event, LED
 * state, and RichCursor when want_cursor) and asks for the first full
 * update. NULL with *error (malloc'd) on failure. */
struct vnc *vnc_connect(const char *path, bool want_cursor,
			const struct vnc_callbacks *cb, void *user,
			char **error);
/* The same over a stream already connected to a VNC server (the channel
 * handed to QEMU by vnc_channel_open, a socket from libvirt, an SSH
 * tunnel); the vnc owns fd from now on, also on failure. what names the
 * connection in messages. */
struct vnc *vnc_connect_fd(int fd, const char *what, bool want_cursor,
			   const struct vnc_callbacks *cb, void *user,
			   char **error);
void vnc_destroy(struct vnc *v);   /* accepts NULL */

/* The socket, for poll(). When it is readable, call vnc_dispatch: it
 * handles the waiting messages and everything the library already
 * buffered. Returns false when the connection is gone. */
int vnc_fd(const struct vnc *v);
bool vnc_dispatch(struct vnc *v);
/* True when the library holds bytes it read but has not handled (for
 * example after the handshake): call vnc_dispatch without waiting. */
bool vnc_buffered(const struct vnc *v);

struct vnc_frame vnc_frame(const struct vnc *v);

/* Keys: qnum (QEMU's XT-based code, see keymap.h) through the extended key
 * event once QEMU acknowledged it; the keysym alone otherwise (or when qnum
 * is 0). */
bool vnc_send_key(struct vnc *v, uint16_t qnum, uint32_t keysym, bool down);

/* Pointer buttons for vnc_send_pointer. */
enum {
	VNC_BUTTON_LEFT = 1,
	VNC_BUTTON_MIDDLE = 2,
	VNC_BUTTON_RIGHT = 4,
	VNC_WHEEL_UP = 8,
	VNC_WHEEL_DOWN = 16,
};

/* A pointer event at (x, y). With an absolute device (USB tablet) x, y
 * are guest pixels. With a relative device (PS/2 mouse only) QEMU moves
 * the guest pointer by the difference to the previous event's x, y, so the
 * caller sends a virtual position (see player.c). */
bool vnc_send_pointer(struct vnc *v, int x, int y, int buttons);

/* The host's clipboard changed: tell QEMU whether it holds text now (it
 * asks for the text when the guest pastes). */
bool vnc_clipboard_announce(struct vnc *v, bool has_text);
/* The host's text, answering clipboard_request; len must be at most
 * VNC_CLIP_MAX_TO_GUEST (more is not sent: false). */
bool vnc_clipboard_provide(struct vnc *v, const char *text, size_t len);

/* Asks QEMU to make the guest's screen w x h (SetDesktopSize, screen id
 * 0); the answer comes through size_answer. */
bool vnc_request_size(struct vnc *v, int w, int h);
/* Whether QEMU has sent an ExtendedDesktopSize (it takes requests). */
bool vnc_can_request_size(const struct vnc *v);

/* Whether QEMU acknowledged the extended key event (scancodes reach the
 * guest unchanged). */
bool vnc_has_scancodes(const struct vnc *v);

/* The keyboard LED state QEMU reported (bit 0 scroll, 1 num, 2 caps lock),
 * -1 before the first report. */
int vnc_leds(const struct vnc *v);

#endif
