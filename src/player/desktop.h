/* What a double-click needs that a terminal does not: errors shown in a
 * window, and the checks that must pass before any window opens (so a bad
 * file, a missing disk or a missing QEMU is said once, clearly, instead of
 * as QEMU's own stderr in a half-made window). */
#ifndef VMPLAY_DESKTOP_H
#define VMPLAY_DESKTOP_H

#include "vm/config.h"

#include <stdbool.h>

/* Whether errors also go to a message box: when stderr is not a terminal
 * (started from a file manager or a desktop entry) and there is a display
 * (DISPLAY, WAYLAND_DISPLAY, or SDL_VIDEODRIVER=kmsdrm). VMPLAY_MESSAGE_BOX
 * =1 or 0 in the environment forces it on or off. */
bool desktop_wants_message_box(void);

/* Whether there is a screen to show a window on: DISPLAY or
 * WAYLAND_DISPLAY set, or SDL_VIDEODRIVER=kmsdrm. */
bool desktop_has_display(void);
/* Whether SDL's video driver in use shows windows to someone (not dummy,
 * offscreen or evdev). Call after SDL's video is initialised. */
bool desktop_driver_is_visible(void);

/* Prints message to stderr ("vmplay: error: ..."), and shows it in an SDL
 * message box titled title when desktop_wants_message_box(). Blocks until
 * the box is closed. A box that cannot be shown (no display) is skipped
 * quietly: stderr has the message. */
void desktop_show_error(const char *title, const char *message);

/* Asks the user a yes/no question before something they should know
 * about: on the terminal when stdin and stderr are one ("... [y/N]"),
 * else in an SDL message box with the buttons yes and Cancel when
 * desktop_wants_message_box(). false when the user said no, or when
 * there is nobody to ask. */
bool desktop_confirm(const char *title, const char *message,
		     const char *yes);


/* A question in a message window: true when the user pressed Enter (the
 * footer says "Enter: YES"); false for Esc, closing, or when no box can be
 * shown (see desktop_wants_message_box). Blocks. */
bool desktop_ask(const char *title, const char *message, const char *yes);

/* A double-clicking user has no terminal to run 'vmplay disk create' in:
 * for each writable disk of cfg whose image is missing and whose section
 * gives a size, asks (with the size and format) and creates the empty
 * image when told to. true when any image was made. Nothing without a
 * message box (a terminal gets the error naming the command). */
bool desktop_offer_missing_disks(const struct vm_config *cfg);

/* The checks before playing cfg: every file it needs is there
 * (config_check_files) and the QEMU binary can be found. false with
 * *error (malloc'd, one line per problem) otherwise. */
bool desktop_check_runnable(const struct vm_config *cfg, char **error);

#endif
