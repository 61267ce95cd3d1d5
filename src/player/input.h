/* Keyboard and pointer from the SDL window to the guest (through vnc.c):
 * scancodes via keymap.c, the set of keys the guest holds down (released
 * on focus loss and when the menu opens), absolute pointer through the
 * scaling (USB tablet) or relative motion while grabbed (PS/2 mouse). */
#ifndef VMPLAY_INPUT_H
#define VMPLAY_INPUT_H

#include "player/render.h"
#include "player/vnc.h"
#include "vm/config.h"

#include <SDL2/SDL.h>
#include <stdbool.h>

struct input;

struct input *input_create(enum pointer_mode mode, struct render *r);
void input_destroy(struct input *in);   /* accepts NULL */

/* The connection events go to; NULL drops them (not connected yet). */
void input_set_vnc(struct input *in, struct vnc *v);

/* Forwards a key down/up to the guest. A key-up is only sent for a key
 * whose key-down the guest got. */
void input_key(struct input *in, const SDL_KeyboardEvent *ev);

/* Motion, buttons and wheel. In ps2 mode a click while not grabbed grabs
 * the pointer (and the keyboard) instead of reaching the guest. */
void input_mouse(struct input *in, const SDL_Event *ev);

/* Releases every key and button the guest holds (focus lost, menu). */
void input_release_all(struct input *in);

/* Presses the keys in order and releases them in reverse (Ctrl+Alt+Del). */
void input_send_keys(struct input *in, const SDL_Scancode *keys, size_t n);

/* Pointer grab (ps2 mode): relative motion, keyboard grabbed so host
 * shortcuts such as Alt+Tab reach the guest where the platform allows. */
bool input_grabbed(const struct input *in);
void input_set_grab(struct input *in, bool on);

/* Number of keys the guest holds now (for tests and diagnostics). */
int input_keys_down(const struct input *in);

#endif
