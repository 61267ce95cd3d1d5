/* keymap: the scancode -> qnum table against known values, its coverage of
 * a 105-key ISO keyboard, and keysyms. With --dump it prints the table as
 * "QNUM QCODE SCANCODE" lines for tests/e2e/test_keymap.sh, which sends
 * every qnum to a real QEMU and checks the qcode QEMU derives from it. */
#include "base/util.h"
#include "player/keymap.h"
#include "test.h"

#include <SDL2/SDL_keyboard.h>
#include <SDL2/SDL_keycode.h>

/* Every key vmplay maps, with its qnum and the name QEMU gives the key
 * (QKeyCode). Typed from keycodemapdb's USB, AT set-1 and QEMU QKeyCode
 * columns, not from src/player/keymap.c. A qcode of "f13".."f24" is only known to
 * newer QEMUs; the e2e test accepts "unmapped" for those. */
static const struct {
	SDL_Scancode sc;
	uint16_t qnum;
	const char *qcode;
} known[] = {
#define K(name, qnum, qcode) { SDL_SCANCODE_##name, qnum, qcode }
	K(ESCAPE, 0x01, "esc"), K(1, 0x02, "1"), K(2, 0x03, "2"),
	K(3, 0x04, "3"), K(4, 0x05, "4"), K(5, 0x06, "5"), K(6, 0x07, "6"),
	K(7, 0x08, "7"), K(8, 0x09, "8"), K(9, 0x0a, "9"), K(0, 0x0b, "0"),
	K(MINUS, 0x0c, "minus"), K(EQUALS, 0x0d, "equal"),
	K(BACKSPACE, 0x0e, "backspace"), K(TAB, 0x0f, "tab"),
	K(Q, 0x10, "q"), K(W, 0x11, "w"), K(E, 0x12, "e"), K(R, 0x13, "r"),
	K(T, 0x14, "t"), K(Y, 0x15, "y"), K(U, 0x16, "u"), K(I, 0x17, "i"),
	K(O, 0x18, "o"), K(P, 0x19, "p"),
	K(LEFTBRACKET, 0x1a, "bracket_left"),
	K(RIGHTBRACKET, 0x1b, "bracket_right"), K(RETURN, 0x1c, "ret"),
	K(LCTRL, 0x1d, "ctrl"), K(A, 0x1e, "a"), K(S, 0x1f, "s"),
	K(D, 0x20, "d"), K(F, 0x21, "f"), K(G, 0x22, "g"), K(H, 0x23, "h"),
	K(J, 0x24, "j"), K(K, 0x25, "k"), K(L, 0x26, "l"),
	K(SEMICOLON, 0x27, "semicolon"), K(APOSTROPHE, 0x28, "apostrophe"),
	K(GRAVE, 0x29, "grave_accent"), K(LSHIFT, 0x2a, "shift"),
	K(BACKSLASH, 0x2b, "backslash"), K(NONUSHASH, 0x2b, "backslash"),
	K(Z, 0x2c, "z"), K(X, 0x2d, "x"), K(C, 0x2e, "c"), K(V, 0x2f, "v"),
	K(B, 0x30, "b"), K(N, 0x31, "n"), K(M, 0x32, "m"),
	K(COMMA, 0x33, "comma"), K(PERIOD, 0x34, "dot"),
	K(SLASH, 0x35, "slash"), K(RSHIFT, 0x36, "shift_r"),
	K(KP_MULTIPLY, 0x37, "kp_multiply"), K(LALT, 0x38, "alt"),
	K(SPACE, 0x39, "spc"), K(CAPSLOCK, 0x3a, "caps_lock"),
	K(F1, 0x3b, "f1"), K(F2, 0x3c, "f2"), K(F3, 0x3d, "f3"),
	K(F4, 0x3e, "f4"), K(F5, 0x3f, "f5"), K(F6, 0x40, "f6"),
	K(F7, 0x41, "f7"), K(F8, 0x42, "f8"), K(F9, 0x43, "f9"),
	K(F10, 0x44, "f10"), K(NUMLOCKCLEAR, 0x45, "num_lock"),
	K(SCROLLLOCK, 0x46, "scroll_lock"), K(KP_7, 0x47, "kp_7"),
	K(KP_8, 0x48, "kp_8"), K(KP_9, 0x49, "kp_9"),
	K(KP_MINUS, 0x4a, "kp_subtract"), K(KP_4, 0x4b, "kp_4"),
	K(KP_5, 0x4c, "kp_5"), K(KP_6, 0x4d, "kp_6"),
	K(KP_PLUS, 0x4e, "kp_add"), K(KP_1, 0x4f, "kp_1"),
	K(KP_2, 0x50, "kp_2"), K(KP_3, 0x51, "kp_3"), K(KP_0, 0x52, "kp_0"),
	K(KP_PERIOD, 0x53, "kp_decimal"), K(NONUSBACKSLASH, 0x56, "less"),
	K(F11, 0x57, "f11"), K(F12, 0x58, "f12"),
	K(KP_EQUALS, 0x59, "kp_equals"),
	K(F13, 0x5d, "f13"), K(F14, 0x5e, "f14"), K(F15, 0x5f, "f15"),
	K(F16, 0x55, "f16"), K(F17, 0x83, "f17"), K(F18, 0xf7, "f18"),
	K(F19, 0x84, "f19"), K(F20, 0x5a, "f20"), K(F21, 0x74, "f21"),
	K(F22, 0xf9, "f22"), K(F23, 0x6d, "f23"), K(F24, 0x6f, "f24"),
	K(INTERNATIONAL2, 0x70, "katakanahiragana"),
	K(LANG2, 0x71, "lang2"), K(LANG1, 0x72, "lang1"),
	K(INTERNATIONAL1, 0x73, "ro"), K(LANG4, 0x77, "hiragana"),
	K(INTERNATIONAL4, 0x79, "henkan"),
	K(INTERNATIONAL5, 0x7b, "muhenkan"),
	K(INTERNATIONAL3, 0x7d, "yen"), K(KP_COMMA, 0x7e, "kp_comma"),
	K(KP_ENTER, 0x9c, "kp_enter"), K(RCTRL, 0x9d, "ctrl_r"),
	K(KP_DIVIDE, 0xb5, "kp_divide"), K(PRINTSCREEN, 0xb7, "print"),
	K(RALT, 0xb8, "alt_r"), K(PAUSE, 0xc6, "pause"),
	K(HOME, 0xc7, "home"), K(UP, 0xc8, "up"), K(PAGEUP, 0xc9, "pgup"),
	K(LEFT, 0xcb, "left"), K(RIGHT, 0xcd, "right"), K(END, 0xcf, "end"),
	K(DOWN, 0xd0, "down"), K(PAGEDOWN, 0xd1, "pgdn"),
	K(INSERT, 0xd2, "insert"), K(DELETE, 0xd3, "delete"),
	K(LGUI, 0xdb, "meta_l"), K(RGUI, 0xdc, "meta_r"),
	K(APPLICATION, 0xdd, "compose"), K(POWER, 0xde, "power"),
	K(HELP, 0xf5, "help"), K(MENU, 0x9e, "menu"), K(SELECT, 0x8c, "front"),
	K(STOP, 0xe8, "stop"), K(AGAIN, 0x85, "again"), K(UNDO, 0x87, "undo"),
	K(CUT, 0xbc, "cut"), K(COPY, 0xf8, "copy"), K(PASTE, 0x65, "paste"),
	K(FIND, 0xc1, "find"), K(MUTE, 0xa0, "audiomute"),
	K(VOLUMEUP, 0xb0, "volumeup"), K(VOLUMEDOWN, 0xae, "volumedown"),
	K(AUDIONEXT, 0x99, "audionext"), K(AUDIOPREV, 0x90, "audioprev"),
	K(AUDIOSTOP, 0xa4, "audiostop"), K(AUDIOPLAY, 0xa2, "audioplay"),
	K(AUDIOMUTE, 0xa0, "audiomute"), K(MEDIASELECT, 0xed, "mediaselect"),
	K(MAIL, 0xec, "mail"), K(CALCULATOR, 0xa1, "calculator"),
	K(COMPUTER, 0xeb, "computer"), K(AC_HOME, 0xb2, "ac_home"),
	K(AC_BACK, 0xea, "ac_back"), K(AC_FORWARD, 0xe9, "ac_forward"),
	K(AC_STOP, 0xe8, "stop"), K(AC_REFRESH, 0xe7, "ac_refresh"),
	K(AC_BOOKMARKS, 0xe6, "ac_bookmarks"), K(SLEEP, 0xdf, "sleep"),
#undef K
};

/* The keys of a 105-key ISO PC keyboard, as SDL names them. */
static const SDL_Scancode iso105[] = {
	SDL_SCANCODE_ESCAPE, SDL_SCANCODE_F1, SDL_SCANCODE_F2, SDL_SCANCODE_F3,
	SDL_SCANCODE_F4, SDL_SCANCODE_F5, SDL_SCANCODE_F6, SDL_SCANCODE_F7,
	SDL_SCANCODE_F8, SDL_SCANCODE_F9, SDL_SCANCODE_F10, SDL_SCANCODE_F11,
	SDL_SCANCODE_F12, SDL_SCANCODE_PRINTSCREEN, SDL_SCANCODE_SCROLLLOCK,
	SDL_SCANCODE_PAUSE,
	SDL_SCANCODE_GRAVE, SDL_SCANCODE_1, SDL_SCANCODE_2, SDL_SCANCODE_3,
	SDL_SCANCODE_4, SDL_SCANCODE_5, SDL_SCANCODE_6, SDL_SCANCODE_7,
	SDL_SCANCODE_8, SDL_SCANCODE_9, SDL_SCANCODE_0, SDL_SCANCODE_MINUS,
	SDL_SCANCODE_EQUALS, SDL_SCANCODE_BACKSPACE, SDL_SCANCODE_INSERT,
	SDL_SCANCODE_HOME, SDL_SCANCODE_PAGEUP, SDL_SCANCODE_NUMLOCKCLEAR,
	SDL_SCANCODE_KP_DIVIDE, SDL_SCANCODE_KP_MULTIPLY, SDL_SCANCODE_KP_MINUS,
	SDL_SCANCODE_TAB, SDL_SCANCODE_Q, SDL_SCANCODE_W, SDL_SCANCODE_E,
	SDL_SCANCODE_R, SDL_SCANCODE_T, SDL_SCANCODE_Y, SDL_SCANCODE_U,
	SDL_SCANCODE_I, SDL_SCANCODE_O, SDL_SCANCODE_P, SDL_SCANCODE_LEFTBRACKET,
	SDL_SCANCODE_RIGHTBRACKET, SDL_SCANCODE_RETURN, SDL_SCANCODE_DELETE,
	SDL_SCANCODE_END, SDL_SCANCODE_PAGEDOWN, SDL_SCANCODE_KP_7,
	SDL_SCANCODE_KP_8, SDL_SCANCODE_KP_9, SDL_SCANCODE_KP_PLUS,
	SDL_SCANCODE_CAPSLOCK, SDL_SCANCODE_A, SDL_SCANCODE_S, SDL_SCANCODE_D,
	SDL_SCANCODE_F, SDL_SCANCODE_G, SDL_SCANCODE_H, SDL_SCANCODE_J,
	SDL_SCANCODE_K, SDL_SCANCODE_L, SDL_SCANCODE_SEMICOLON,
	SDL_SCANCODE_APOSTROPHE, SDL_SCANCODE_NONUSHASH, SDL_SCANCODE_KP_4,
	SDL_SCANCODE_KP_5, SDL_SCANCODE_KP_6, SDL_SCANCODE_LSHIFT,
	SDL_SCANCODE_NONUSBACKSLASH, SDL_SCANCODE_Z, SDL_SCANCODE_X,
	SDL_SCANCODE_C, SDL_SCANCODE_V, SDL_SCANCODE_B, SDL_SCANCODE_N,
	SDL_SCANCODE_M, SDL_SCANCODE_COMMA, SDL_SCANCODE_PERIOD,
	SDL_SCANCODE_SLASH, SDL_SCANCODE_RSHIFT, SDL_SCANCODE_UP,
	SDL_SCANCODE_KP_1, SDL_SCANCODE_KP_2, SDL_SCANCODE_KP_3,
	SDL_SCANCODE_KP_ENTER, SDL_SCANCODE_LCTRL, SDL_SCANCODE_LGUI,
	SDL_SCANCODE_LALT, SDL_SCANCODE_SPACE, SDL_SCANCODE_RALT,
	SDL_SCANCODE_RGUI, SDL_SCANCODE_APPLICATION, SDL_SCANCODE_RCTRL,
	SDL_SCANCODE_LEFT, SDL_SCANCODE_DOWN, SDL_SCANCODE_RIGHT,
	SDL_SCANCODE_KP_0, SDL_SCANCODE_KP_PERIOD,
	/* The ANSI key above Enter; on ISO boards SDL reports the "#" key
	 * as BACKSLASH too on most platforms. */
	SDL_SCANCODE_BACKSLASH,
};

/* Pairs of scancodes that share a qnum on purpose. */
static const SDL_Scancode same_key[][2] = {
	{ SDL_SCANCODE_BACKSLASH, SDL_SCANCODE_NONUSHASH },
	{ SDL_SCANCODE_MUTE, SDL_SCANCODE_AUDIOMUTE },
	{ SDL_SCANCODE_STOP, SDL_SCANCODE_AC_STOP },
};

static void test_known_values(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(known); i++) {
		if (keymap_qnum(known[i].sc) != known[i].qnum)
			printf("  %s\n", SDL_GetScancodeName(known[i].sc));
		CHECK_INT(keymap_qnum(known[i].sc), known[i].qnum);
	}
}

static void test_iso105_complete(void)
{
	CHECK_INT(ARRAY_SIZE(iso105), 105 + 1);   /* + the ANSI backslash */
	for (size_t i = 0; i < ARRAY_SIZE(iso105); i++) {
		if (!keymap_qnum(iso105[i]))
			printf("  no qnum for %d\n", (int)iso105[i]);
		CHECK(keymap_qnum(iso105[i]) != 0);
	}
}

/* Every mapped scancode is in the known table, so nothing in keymap.c
 * escapes the checks above and the QEMU round trip. */
static void test_table_is_known(void)
{
	for (int sc = 0; sc < SDL_NUM_SCANCODES; sc++) {
		if (!keymap_qnum((SDL_Scancode)sc))
			continue;
		bool found = false;
		for (size_t i = 0; i < ARRAY_SIZE(known); i++)
			found |= known[i].sc == (SDL_Scancode)sc;
		if (!found)
			printf("  scancode %d mapped but not in the test\n", sc);
		CHECK(found);
	}
}

static bool intended_pair(SDL_Scancode a, SDL_Scancode b)
{
	for (size_t i = 0; i < ARRAY_SIZE(same_key); i++)
		if ((same_key[i][0] == a && same_key[i][1] == b) ||
		    (same_key[i][0] == b && same_key[i][1] == a))
			return true;
	return false;
}

static void test_qnums_unique(void)
{
	for (int a = 0; a < SDL_NUM_SCANCODES; a++) {
		uint16_t qa = keymap_qnum((SDL_Scancode)a);
		if (!qa)
			continue;
		for (int b = a + 1; b < SDL_NUM_SCANCODES; b++) {
			if (keymap_qnum((SDL_Scancode)b) != qa ||
			    intended_pair((SDL_Scancode)a, (SDL_Scancode)b))
				continue;
			printf("  scancodes %d and %d share qnum 0x%x\n", a, b, qa);
			CHECK(false);
		}
	}
}

/* A qnum is one byte; 0xe0/0xe1 are prefixes, never keys, and a qnum
 * with the high bit set must be an E0 key (the plain code exists). */
static void test_qnum_shape(void)
{
	for (int sc = 0; sc < SDL_NUM_SCANCODES; sc++) {
		uint16_t q = keymap_qnum((SDL_Scancode)sc);
		CHECK(q <= 0xff);
		CHECK(q != 0xe0 && q != 0xe1 && q != 0x80);
	}
	CHECK_INT(keymap_qnum(SDL_SCANCODE_UNKNOWN), 0);
	CHECK_INT(keymap_qnum((SDL_Scancode)-1), 0);
	CHECK_INT(keymap_qnum((SDL_Scancode)SDL_NUM_SCANCODES), 0);
	CHECK_INT(keymap_qnum((SDL_Scancode)100000), 0);
}

static void test_keysyms(void)
{
	static const struct {
		SDL_Scancode sc;
		int32_t sym;
		uint32_t want;
	} cases[] = {
		{ SDL_SCANCODE_A, SDLK_a, 'a' },
		{ SDL_SCANCODE_Y, SDLK_z, 'z' },           /* German layout */
		{ SDL_SCANCODE_1, SDLK_1, '1' },
		{ SDL_SCANCODE_SPACE, SDLK_SPACE, 0x20 },
		{ SDL_SCANCODE_MINUS, 0xdf, 0xdf },        /* sharp s */
		{ SDL_SCANCODE_SEMICOLON, 0x0436, 0x1000436 }, /* Cyrillic zhe */
		{ SDL_SCANCODE_RETURN, SDLK_RETURN, 0xff0d },
		{ SDL_SCANCODE_ESCAPE, SDLK_ESCAPE, 0xff1b },
		{ SDL_SCANCODE_BACKSPACE, SDLK_BACKSPACE, 0xff08 },
		{ SDL_SCANCODE_TAB, SDLK_TAB, 0xff09 },
		{ SDL_SCANCODE_DELETE, SDLK_DELETE, 0xffff },
		{ SDL_SCANCODE_F1, SDLK_F1, 0xffbe },
		{ SDL_SCANCODE_F12, SDLK_F12, 0xffc9 },
		{ SDL_SCANCODE_F24, SDLK_F24, 0xffd5 },
		{ SDL_SCANCODE_LEFT, SDLK_LEFT, 0xff51 },
		{ SDL_SCANCODE_KP_ENTER, SDLK_KP_ENTER, 0xff8d },
		{ SDL_SCANCODE_KP_7, SDLK_KP_7, 0xffb7 },
		{ SDL_SCANCODE_LCTRL, SDLK_LCTRL, 0xffe3 },
		{ SDL_SCANCODE_RALT, SDLK_RALT, 0xffea },
		{ SDL_SCANCODE_LGUI, SDLK_LGUI, 0xffeb },
		{ SDL_SCANCODE_CAPSLOCK, SDLK_CAPSLOCK, 0xffe5 },
		{ SDL_SCANCODE_NUMLOCKCLEAR, SDLK_NUMLOCKCLEAR, 0xff7f },
		{ SDL_SCANCODE_PRINTSCREEN, SDLK_PRINTSCREEN, 0xff61 },
		{ SDL_SCANCODE_PAUSE, SDLK_PAUSE, 0xff13 },
		{ SDL_SCANCODE_APPLICATION, SDLK_APPLICATION, 0xff67 },
		{ SDL_SCANCODE_LANG1, SDLK_UNKNOWN, 0xff31 },
		{ SDL_SCANCODE_VOLUMEUP, SDLK_VOLUMEUP, 0x1008ff13 },
		{ SDL_SCANCODE_UNKNOWN, SDLK_UNKNOWN, 0 },
		{ SDL_SCANCODE_UNKNOWN, 0x1f, 0 },         /* control code */
		{ SDL_SCANCODE_UNKNOWN, SDLK_SCANCODE_MASK | 300, 0 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		CHECK_INT(keymap_keysym(cases[i].sc, cases[i].sym),
			  cases[i].want);
	/* Every key of the keyboard that types no character has a keysym of
	 * its own, whatever the SDL keycode. */
	for (size_t i = 0; i < ARRAY_SIZE(iso105); i++) {
		SDL_Scancode sc = iso105[i];
		bool types = (sc >= SDL_SCANCODE_A && sc <= SDL_SCANCODE_0) ||
			     (sc >= SDL_SCANCODE_MINUS && sc <= SDL_SCANCODE_SLASH) ||
			     sc == SDL_SCANCODE_NONUSBACKSLASH;
		if (!types && !keymap_keysym(sc, 0))
			printf("  no keysym for %s\n", SDL_GetScancodeName(sc));
		CHECK(types || keymap_keysym(sc, 0) != 0);
	}
}

static void dump(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(known); i++)
		printf("0x%02x %s %s\n", keymap_qnum(known[i].sc),
		       known[i].qcode, SDL_GetScancodeName(known[i].sc));
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--dump") == 0) {
		dump();
		return 0;
	}
	RUN(test_known_values);
	RUN(test_iso105_complete);
	RUN(test_table_is_known);
	RUN(test_qnums_unique);
	RUN(test_qnum_shape);
	RUN(test_keysyms);
	return TEST_REPORT();
}
