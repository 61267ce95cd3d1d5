/* The player's clipboard: the host's (SDL's: X11 CLIPBOARD, Wayland,
 * ...) and the guest's, through QEMU's extended VNC clipboard
 * (vnc_clipboard.h) and its qemu-vdagent (the guest runs spice-vdagent).
 * Text only, UTF-8, both ways.
 *
 * Host -> guest: when the host's text changes, QEMU is told there is text
 * (not the text); it asks when the guest pastes, and gets the text read
 * fresh. Text over VNC_CLIP_MAX_TO_GUEST is refused with a note and the
 * guest's clipboard is emptied (a paste gives nothing rather than old
 * text). Guest -> host: the guest's text is fetched at once and becomes
 * the host's clipboard.
 *
 * Noticing host changes: SDL_CLIPBOARDUPDATE where SDL reports it
 * (Wayland, ...); on X11, where SDL 2.26 does not, a look at the
 * CLIPBOARD selection's owner twice a second (XGetSelectionOwner, one
 * small round trip; libX11 is already loaded by SDL and is looked up,
 * not linked); and whenever the window gains focus, the usual moment
 * after copying elsewhere. */
#ifndef VMPLAY_CLIPBOARD_SYNC_H
#define VMPLAY_CLIPBOARD_SYNC_H

#include <SDL2/SDL.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vnc;
struct clipboard_sync;

/* available: the VM has the clipboard devices (config_clipboard); when
 * false everything here does nothing and the state is unavailable. note
 * shows a sentence to the user (a toast). */
struct clipboard_sync *clipboard_sync_create(bool available,
					     SDL_Window *window,
					     void (*note)(void *user,
							  const char *text),
					     void *user);
void clipboard_sync_destroy(struct clipboard_sync *cs);   /* accepts NULL */

/* The VNC connection (NULL when lost). A new one gets the host's text
 * announced. */
void clipboard_sync_set_vnc(struct clipboard_sync *cs, struct vnc *v);

/* The menu's toggle: off stops both directions (and empties the guest's
 * copy of host text); on announces the host's text again. */
void clipboard_sync_set_enabled(struct clipboard_sync *cs, bool on);
/* OVERLAY_CLIP_UNAVAILABLE, _OFF or _ON (overlay.h). */
int clipboard_sync_state(const struct clipboard_sync *cs);

/* The host's clipboard may have changed (SDL_CLIPBOARDUPDATE, focus). */
void clipboard_sync_host_changed(struct clipboard_sync *cs);
/* The X11 owner watch: when it wants to run next (poll timeout, -1 for
 * never) and the run itself. */
int clipboard_sync_timeout_ms(const struct clipboard_sync *cs, uint64_t now);
void clipboard_sync_tick(struct clipboard_sync *cs, uint64_t now);

/* From the VNC connection (vnc_callbacks). */
void clipboard_sync_guest_text(struct clipboard_sync *cs, const char *text,
			       size_t len);
void clipboard_sync_guest_request(struct clipboard_sync *cs);

#endif
