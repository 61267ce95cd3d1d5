/* SDL scancode -> QEMU qnum and X11 keysym.
 *
 * SDL_Scancode values below 0x100 are USB HID keyboard usages (HID Usage
 * Tables, page 0x07); the few above are SDL's own numbers for consumer keys.
 * QEMU's qnum is the PC XT set-1 make code, with the 0xE0-prefixed keys
 * folded to 0x80 | code. The values follow QEMU's keycodemapdb (USB and AT
 * set-1 columns) and were checked against QEMU 7.2 itself: each qnum here
 * was sent with QMP send-key and the qcode QEMU derived from it traced
 * (tests/e2e/test_keymap.sh does that for the whole table).
 *
 * Deliberate departures from a naive reading of the tables:
 * - Print Screen is 0xb7 (E0 37); QEMU maps both 0x54 and 0xb7 to "print".
 * - Pause is 0xc6 (E0 46, what Ctrl+Break sends): QEMU's qnum for Pause.
 * - Hangul/Hanja send the single bytes F2/F1 on real hardware, but QEMU's
 *   qnums for them are 0x72/0x71 (0xf1/0xf2 are unmapped in QEMU 7.2).
 * - Keys QEMU 7.2 has no qcode for (Lang3, Lang5, keypad JP comma, WWW,
 *   Search) get 0, so the player sends a keysym instead. F13..F24 keep
 *   their qnums: newer QEMUs map them, 7.2 ignores them. */
#include "player/keymap.h"

#include "base/util.h"

#include <SDL2/SDL_keycode.h>

struct key {
	uint16_t qnum;
	uint32_t keysym;   /* for keys whose SDL keycode is not a character */
};

static const struct key keys[SDL_NUM_SCANCODES] = {
	/* Letters and digits: the keysym comes from the SDL keycode, which
	 * follows the host layout (it is only QEMU's fallback). */
	[SDL_SCANCODE_A] = { 0x1e, 0 },
	[SDL_SCANCODE_B] = { 0x30, 0 },
	[SDL_SCANCODE_C] = { 0x2e, 0 },
	[SDL_SCANCODE_D] = { 0x20, 0 },
	[SDL_SCANCODE_E] = { 0x12, 0 },
	[SDL_SCANCODE_F] = { 0x21, 0 },
	[SDL_SCANCODE_G] = { 0x22, 0 },
	[SDL_SCANCODE_H] = { 0x23, 0 },
	[SDL_SCANCODE_I] = { 0x17, 0 },
	[SDL_SCANCODE_J] = { 0x24, 0 },
	[SDL_SCANCODE_K] = { 0x25, 0 },
	[SDL_SCANCODE_L] = { 0x26, 0 },
	[SDL_SCANCODE_M] = { 0x32, 0 },
	[SDL_SCANCODE_N] = { 0x31, 0 },
	[SDL_SCANCODE_O] = { 0x18, 0 },
	[SDL_SCANCODE_P] = { 0x19, 0 },
	[SDL_SCANCODE_Q] = { 0x10, 0 },
	[SDL_SCANCODE_R] = { 0x13, 0 },
	[SDL_SCANCODE_S] = { 0x1f, 0 },
	[SDL_SCANCODE_T] = { 0x14, 0 },
	[SDL_SCANCODE_U] = { 0x16, 0 },
	[SDL_SCANCODE_V] = { 0x2f, 0 },
	[SDL_SCANCODE_W] = { 0x11, 0 },
	[SDL_SCANCODE_X] = { 0x2d, 0 },
	[SDL_SCANCODE_Y] = { 0x15, 0 },
	[SDL_SCANCODE_Z] = { 0x2c, 0 },
	[SDL_SCANCODE_1] = { 0x02, 0 },
	[SDL_SCANCODE_2] = { 0x03, 0 },
	[SDL_SCANCODE_3] = { 0x04, 0 },
	[SDL_SCANCODE_4] = { 0x05, 0 },
	[SDL_SCANCODE_5] = { 0x06, 0 },
	[SDL_SCANCODE_6] = { 0x07, 0 },
	[SDL_SCANCODE_7] = { 0x08, 0 },
	[SDL_SCANCODE_8] = { 0x09, 0 },
	[SDL_SCANCODE_9] = { 0x0a, 0 },
	[SDL_SCANCODE_0] = { 0x0b, 0 },

	[SDL_SCANCODE_RETURN] = { 0x1c, 0xff0d },
	[SDL_SCANCODE_ESCAPE] = { 0x01, 0xff1b },
	[SDL_SCANCODE_BACKSPACE] = { 0x0e, 0xff08 },
	[SDL_SCANCODE_TAB] = { 0x0f, 0xff09 },
	[SDL_SCANCODE_SPACE] = { 0x39, 0x0020 },
	[SDL_SCANCODE_MINUS] = { 0x0c, 0 },
	[SDL_SCANCODE_EQUALS] = { 0x0d, 0 },
	[SDL_SCANCODE_LEFTBRACKET] = { 0x1a, 0 },
	[SDL_SCANCODE_RIGHTBRACKET] = { 0x1b, 0 },
	[SDL_SCANCODE_BACKSLASH] = { 0x2b, 0 },
	/* ISO "# ~" left of Enter: the same position code as ANSI "\". */
	[SDL_SCANCODE_NONUSHASH] = { 0x2b, 0 },
	[SDL_SCANCODE_SEMICOLON] = { 0x27, 0 },
	[SDL_SCANCODE_APOSTROPHE] = { 0x28, 0 },
	[SDL_SCANCODE_GRAVE] = { 0x29, 0 },
	[SDL_SCANCODE_COMMA] = { 0x33, 0 },
	[SDL_SCANCODE_PERIOD] = { 0x34, 0 },
	[SDL_SCANCODE_SLASH] = { 0x35, 0 },
	[SDL_SCANCODE_CAPSLOCK] = { 0x3a, 0xffe5 },

	[SDL_SCANCODE_F1] = { 0x3b, 0xffbe },
	[SDL_SCANCODE_F2] = { 0x3c, 0xffbf },
	[SDL_SCANCODE_F3] = { 0x3d, 0xffc0 },
	[SDL_SCANCODE_F4] = { 0x3e, 0xffc1 },
	[SDL_SCANCODE_F5] = { 0x3f, 0xffc2 },
	[SDL_SCANCODE_F6] = { 0x40, 0xffc3 },
	[SDL_SCANCODE_F7] = { 0x41, 0xffc4 },
	[SDL_SCANCODE_F8] = { 0x42, 0xffc5 },
	[SDL_SCANCODE_F9] = { 0x43, 0xffc6 },
	[SDL_SCANCODE_F10] = { 0x44, 0xffc7 },
	[SDL_SCANCODE_F11] = { 0x57, 0xffc8 },
	[SDL_SCANCODE_F12] = { 0x58, 0xffc9 },
	[SDL_SCANCODE_F13] = { 0x5d, 0xffca },
	[SDL_SCANCODE_F14] = { 0x5e, 0xffcb },
	[SDL_SCANCODE_F15] = { 0x5f, 0xffcc },
	[SDL_SCANCODE_F16] = { 0x55, 0xffcd },
	[SDL_SCANCODE_F17] = { 0x83, 0xffce },
	[SDL_SCANCODE_F18] = { 0xf7, 0xffcf },
	[SDL_SCANCODE_F19] = { 0x84, 0xffd0 },
	[SDL_SCANCODE_F20] = { 0x5a, 0xffd1 },
	[SDL_SCANCODE_F21] = { 0x74, 0xffd2 },
	[SDL_SCANCODE_F22] = { 0xf9, 0xffd3 },
	[SDL_SCANCODE_F23] = { 0x6d, 0xffd4 },
	[SDL_SCANCODE_F24] = { 0x6f, 0xffd5 },

	[SDL_SCANCODE_PRINTSCREEN] = { 0xb7, 0xff61 },
	[SDL_SCANCODE_SCROLLLOCK] = { 0x46, 0xff14 },
	[SDL_SCANCODE_PAUSE] = { 0xc6, 0xff13 },
	[SDL_SCANCODE_INSERT] = { 0xd2, 0xff63 },
	[SDL_SCANCODE_HOME] = { 0xc7, 0xff50 },
	[SDL_SCANCODE_PAGEUP] = { 0xc9, 0xff55 },
	[SDL_SCANCODE_DELETE] = { 0xd3, 0xffff },
	[SDL_SCANCODE_END] = { 0xcf, 0xff57 },
	[SDL_SCANCODE_PAGEDOWN] = { 0xd1, 0xff56 },
	[SDL_SCANCODE_RIGHT] = { 0xcd, 0xff53 },
	[SDL_SCANCODE_LEFT] = { 0xcb, 0xff51 },
	[SDL_SCANCODE_DOWN] = { 0xd0, 0xff54 },
	[SDL_SCANCODE_UP] = { 0xc8, 0xff52 },

	/* Keypad. The keysyms are the NumLock-on ones; the qnum decides. */
	[SDL_SCANCODE_NUMLOCKCLEAR] = { 0x45, 0xff7f },
	[SDL_SCANCODE_KP_DIVIDE] = { 0xb5, 0xffaf },
	[SDL_SCANCODE_KP_MULTIPLY] = { 0x37, 0xffaa },
	[SDL_SCANCODE_KP_MINUS] = { 0x4a, 0xffad },
	[SDL_SCANCODE_KP_PLUS] = { 0x4e, 0xffab },
	[SDL_SCANCODE_KP_ENTER] = { 0x9c, 0xff8d },
	[SDL_SCANCODE_KP_1] = { 0x4f, 0xffb1 },
	[SDL_SCANCODE_KP_2] = { 0x50, 0xffb2 },
	[SDL_SCANCODE_KP_3] = { 0x51, 0xffb3 },
	[SDL_SCANCODE_KP_4] = { 0x4b, 0xffb4 },
	[SDL_SCANCODE_KP_5] = { 0x4c, 0xffb5 },
	[SDL_SCANCODE_KP_6] = { 0x4d, 0xffb6 },
	[SDL_SCANCODE_KP_7] = { 0x47, 0xffb7 },
	[SDL_SCANCODE_KP_8] = { 0x48, 0xffb8 },
	[SDL_SCANCODE_KP_9] = { 0x49, 0xffb9 },
	[SDL_SCANCODE_KP_0] = { 0x52, 0xffb0 },
	[SDL_SCANCODE_KP_PERIOD] = { 0x53, 0xffae },
	[SDL_SCANCODE_KP_EQUALS] = { 0x59, 0xffbd },
	[SDL_SCANCODE_KP_COMMA] = { 0x7e, 0xffac },

	/* The ISO key between left Shift and Z ("< >" on many layouts). */
	[SDL_SCANCODE_NONUSBACKSLASH] = { 0x56, 0 },
	[SDL_SCANCODE_APPLICATION] = { 0xdd, 0xff67 },   /* Menu key */
	[SDL_SCANCODE_POWER] = { 0xde, 0x1008ff2a },

	[SDL_SCANCODE_HELP] = { 0xf5, 0xff6a },
	[SDL_SCANCODE_MENU] = { 0x9e, 0xff67 },
	[SDL_SCANCODE_SELECT] = { 0x8c, 0xff60 },
	[SDL_SCANCODE_STOP] = { 0xe8, 0xff69 },
	[SDL_SCANCODE_AGAIN] = { 0x85, 0xff66 },
	[SDL_SCANCODE_UNDO] = { 0x87, 0xff65 },
	[SDL_SCANCODE_CUT] = { 0xbc, 0x1008ff58 },
	[SDL_SCANCODE_COPY] = { 0xf8, 0x1008ff57 },
	[SDL_SCANCODE_PASTE] = { 0x65, 0x1008ff6d },
	[SDL_SCANCODE_FIND] = { 0xc1, 0xff68 },
	[SDL_SCANCODE_MUTE] = { 0xa0, 0x1008ff12 },
	[SDL_SCANCODE_VOLUMEUP] = { 0xb0, 0x1008ff13 },
	[SDL_SCANCODE_VOLUMEDOWN] = { 0xae, 0x1008ff11 },

	/* Japanese (International1..5) and Korean (Lang1/2) keys. */
	[SDL_SCANCODE_INTERNATIONAL1] = { 0x73, 0x005f },  /* Ro */
	[SDL_SCANCODE_INTERNATIONAL2] = { 0x70, 0xff27 },  /* Katakana/Hiragana */
	[SDL_SCANCODE_INTERNATIONAL3] = { 0x7d, 0x00a5 },  /* Yen */
	[SDL_SCANCODE_INTERNATIONAL4] = { 0x79, 0xff23 },  /* Henkan */
	[SDL_SCANCODE_INTERNATIONAL5] = { 0x7b, 0xff22 },  /* Muhenkan */
	[SDL_SCANCODE_LANG1] = { 0x72, 0xff31 },           /* Hangul */
	[SDL_SCANCODE_LANG2] = { 0x71, 0xff34 },           /* Hanja */
	[SDL_SCANCODE_LANG3] = { 0, 0xff26 },              /* Katakana */
	[SDL_SCANCODE_LANG4] = { 0x77, 0xff25 },           /* Hiragana */
	[SDL_SCANCODE_LANG5] = { 0, 0xff2a },              /* Zenkaku/Hankaku */

	[SDL_SCANCODE_LCTRL] = { 0x1d, 0xffe3 },
	[SDL_SCANCODE_LSHIFT] = { 0x2a, 0xffe1 },
	[SDL_SCANCODE_LALT] = { 0x38, 0xffe9 },
	[SDL_SCANCODE_LGUI] = { 0xdb, 0xffeb },
	[SDL_SCANCODE_RCTRL] = { 0x9d, 0xffe4 },
	[SDL_SCANCODE_RSHIFT] = { 0x36, 0xffe2 },
	[SDL_SCANCODE_RALT] = { 0xb8, 0xffea },
	[SDL_SCANCODE_RGUI] = { 0xdc, 0xffec },

	/* Consumer keys (SDL's own numbering above 0x100). Mute and Stop
	 * share their qnums with MUTE and STOP above on purpose. */
	[SDL_SCANCODE_AUDIONEXT] = { 0x99, 0x1008ff17 },
	[SDL_SCANCODE_AUDIOPREV] = { 0x90, 0x1008ff16 },
	[SDL_SCANCODE_AUDIOSTOP] = { 0xa4, 0x1008ff15 },
	[SDL_SCANCODE_AUDIOPLAY] = { 0xa2, 0x1008ff14 },
	[SDL_SCANCODE_AUDIOMUTE] = { 0xa0, 0x1008ff12 },
	[SDL_SCANCODE_MEDIASELECT] = { 0xed, 0x1008ff32 },
	[SDL_SCANCODE_WWW] = { 0, 0x1008ff2e },
	[SDL_SCANCODE_MAIL] = { 0xec, 0x1008ff19 },
	[SDL_SCANCODE_CALCULATOR] = { 0xa1, 0x1008ff1d },
	[SDL_SCANCODE_COMPUTER] = { 0xeb, 0x1008ff33 },
	[SDL_SCANCODE_AC_SEARCH] = { 0, 0x1008ff1b },
	[SDL_SCANCODE_AC_HOME] = { 0xb2, 0x1008ff18 },
	[SDL_SCANCODE_AC_BACK] = { 0xea, 0x1008ff26 },
	[SDL_SCANCODE_AC_FORWARD] = { 0xe9, 0x1008ff27 },
	[SDL_SCANCODE_AC_STOP] = { 0xe8, 0x1008ff28 },
	[SDL_SCANCODE_AC_REFRESH] = { 0xe7, 0x1008ff29 },
	[SDL_SCANCODE_AC_BOOKMARKS] = { 0xe6, 0x1008ff30 },
	[SDL_SCANCODE_EJECT] = { 0, 0x1008ff2c },
	[SDL_SCANCODE_SLEEP] = { 0xdf, 0x1008ff2f },
};

uint16_t keymap_qnum(SDL_Scancode sc)
{
	if ((unsigned)sc >= ARRAY_SIZE(keys))
		return 0;
	return keys[sc].qnum;
}

uint32_t keymap_keysym(SDL_Scancode sc, int32_t sym)
{
	/* Named keys first: SDL gives Return, Tab, Delete... ASCII control
	 * codes as keycodes, which are not X11 keysyms. */
	if ((unsigned)sc < ARRAY_SIZE(keys) && keys[sc].keysym)
		return keys[sc].keysym;
	if (sym >= 0x20 && sym <= 0x7e)
		return (uint32_t)sym;              /* ASCII = keysym */
	if (sym >= 0xa0 && sym <= 0xff)
		return (uint32_t)sym;              /* Latin-1 = keysym */
	if (sym > 0xff && sym <= 0x10ffff && !(sym & SDLK_SCANCODE_MASK))
		return 0x01000000u | (uint32_t)sym;  /* X11 Unicode keysyms */
	return 0;
}
