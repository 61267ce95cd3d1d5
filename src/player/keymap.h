/* SDL scancodes (USB HID usages) -> QEMU "qnum" key codes: XT set-1 scan
 * codes, E0-prefixed keys as 0x80 | code. A pure table (tests/unit). */
#ifndef VMPLAY_KEYMAP_H
#define VMPLAY_KEYMAP_H

#include <SDL2/SDL_scancode.h>
#include <stdint.h>

/* The qnum for sc, or 0 when the key has none (then send a keysym only). */
uint16_t keymap_qnum(SDL_Scancode sc);

/* The X11 keysym to send beside the qnum (QEMU uses it for lock-key sync
 * and as fallback); 0 when unknown. sym is the SDL keycode of the event. */
uint32_t keymap_keysym(SDL_Scancode sc, int32_t sym);

#endif
