/* bindings: parsing specs, formatting them back, applying [keys] entries
 * with their error messages, and matching key events exactly. */
#include "base/util.h"
#include "player/bindings.h"
#include "test.h"

#include <stdlib.h>
#include <unistd.h>

#define C BIND_CTRL
#define A BIND_ALT
#define S BIND_SHIFT
#define W BIND_SUPER

static const struct {
	const char *spec;
	SDL_Keycode key;      /* SDLK_UNKNOWN with ok: "none" */
	unsigned mods;
	const char *format;   /* what binding_format writes back */
} good[] = {
	{ "ctrl+alt+m", SDLK_m, C | A, "ctrl+alt+m" },
	{ "Ctrl+Alt+M", SDLK_m, C | A, "ctrl+alt+m" },
	{ "shift+ctrl+F12", SDLK_F12, C | S, "ctrl+shift+f12" },
	{ "super+x", SDLK_x, W, "super+x" },
	{ "win+PgUp", SDLK_PAGEUP, W, "super+pageup" },
	{ "none", SDLK_UNKNOWN, 0, "none" },
	{ " NONE ", SDLK_UNKNOWN, 0, "none" },
	{ "ctrl+alt+del", SDLK_DELETE, C | A, "ctrl+alt+delete" },
	{ "ctrl+alt+Delete", SDLK_DELETE, C | A, "ctrl+alt+delete" },
	{ "control+esc", SDLK_ESCAPE, C, "ctrl+escape" },
	{ " ctrl + alt + p ", SDLK_p, C | A, "ctrl+alt+p" },
	{ "F12", SDLK_F12, 0, "f12" },
	{ "ctrl+alt+keypad enter", SDLK_KP_ENTER, C | A,
	  "ctrl+alt+keypad enter" },
	{ "ctrl++", SDLK_PLUS, C, "ctrl+plus" },
	{ "ctrl+plus", SDLK_PLUS, C, "ctrl+plus" },
	{ "+", SDLK_PLUS, 0, "plus" },
	{ "ctrl+alt+1", SDLK_1, C | A, "ctrl+alt+1" },
	{ "alt+Space", SDLK_SPACE, A, "alt+space" },
	{ "ctrl+alt+shift+super+enter", SDLK_RETURN, C | A | S | W,
	  "ctrl+alt+shift+super+return" },
	{ "ctrl+alt+backspace", SDLK_BACKSPACE, C | A, "ctrl+alt+backspace" },
	{ "alt+tab", SDLK_TAB, A, "alt+tab" },
	{ "ctrl+alt+Home", SDLK_HOME, C | A, "ctrl+alt+home" },
	{ "ctrl+alt+print", SDLK_PRINTSCREEN, C | A, "ctrl+alt+printscreen" },
	{ "ctrl+alt+menu", SDLK_APPLICATION, C | A, "ctrl+alt+application" },
	{ "ctrl+alt+left", SDLK_LEFT, C | A, "ctrl+alt+left" },
	{ "ctrl+alt+\xc3\xb6", 0xf6, C | A, "ctrl+alt+\xc3\xb6" },  /* o umlaut */
	{ "ctrl+alt+,", SDLK_COMMA, C | A, "ctrl+alt+," },
};

static const struct {
	const char *spec;
	const char *why;
} bad[] = {
	{ "ctrl+alt+pp", "'ctrl+alt+pp' is not a key (examples: ctrl+alt+p, "
			 "shift+F12, none)" },
	{ "hyper+p", "'hyper+p': 'hyper' is not a modifier (ctrl, alt, shift, "
		     "super)" },
	{ "ctrl+alt", "'ctrl+alt' has no key after the modifiers" },
	{ "ctrl+", "'ctrl+' has no key after the modifiers" },
	{ "ctrl+alt+ ", "'ctrl+alt+' has no key after the modifiers" },
	{ "", "an empty binding" },
	{ "   ", "an empty binding" },
	{ "ctrl++alt+m", "'ctrl++alt+m' has an empty part" },
	{ "+m", "'+m' has an empty part" },
	{ "ctrl+alt+nosuchkey", "is not a key" },
};

static void test_parse_good(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(good); i++) {
		struct binding b = { -1, 99 };
		char *why = NULL;
		bool ok = binding_parse(good[i].spec, &b, &why);
		if (!ok)
			printf("  '%s': %s\n", good[i].spec, why);
		CHECK(ok);
		CHECK_INT(b.key, good[i].key);
		CHECK_INT(b.mods, good[i].mods);
		CHECK(why == NULL);
		free(why);
	}
}

static void test_parse_bad(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct binding b = { SDLK_a, 7 };
		char *why = NULL;
		CHECK(!binding_parse(bad[i].spec, &b, &why));
		CHECK_CONTAINS(why, bad[i].why);
		CHECK_INT(b.key, SDLK_a);      /* untouched on failure */
		free(why);
		CHECK(!binding_parse(bad[i].spec, &b, NULL));  /* why optional */
	}
}

static void test_format_round_trip(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(good); i++) {
		struct binding b, back;
		CHECK(binding_parse(good[i].spec, &b, NULL));
		char *text = binding_format(b);
		CHECK_STR(text, good[i].format);
		CHECK(binding_parse(text, &back, NULL));
		CHECK(back.key == b.key && back.mods == b.mods);
		free(text);
	}
}

static void test_display(void)
{
	static const struct {
		const char *spec, *want;
	} cases[] = {
		{ "ctrl+alt+m", "Ctrl+Alt+M" },
		{ "shift+ctrl+f12", "Ctrl+Shift+F12" },
		{ "ctrl+alt+del", "Ctrl+Alt+Delete" },
		{ "super+keypad enter", "Super+Keypad Enter" },
		{ "ctrl++", "Ctrl+Plus" },
		{ "none", "" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct binding b;
		CHECK(binding_parse(cases[i].spec, &b, NULL));
		char *text = binding_display(b);
		CHECK_STR(text, cases[i].want);
		free(text);
	}
}

static void test_action_names(void)
{
	CHECK_STR(shortcut_name(SHORTCUT_MENU), "menu");
	CHECK_STR(shortcut_name(SHORTCUT_CTRL_ALT_DEL), "ctrl-alt-del");
	CHECK_STR(shortcut_name(SHORTCUT_SCREENSHOT), "screenshot");
	CHECK_STR(shortcut_name(SHORTCUT_NONE), "none");
	CHECK_STR(shortcut_name(SHORTCUT_COUNT), "none");
	for (int a = SHORTCUT_NONE + 1; a < SHORTCUT_COUNT; a++)
		CHECK_INT(shortcut_from_name(shortcut_name((enum shortcut)a)), a);
	CHECK_INT(shortcut_from_name("PAUSE"), SHORTCUT_PAUSE);
	CHECK_INT(shortcut_from_name("none"), SHORTCUT_NONE);
	CHECK_INT(shortcut_from_name("bogus"), SHORTCUT_NONE);
}

static void test_defaults(void)
{
	static const struct {
		enum shortcut a;
		const char *spec;
	} defaults[] = {
		{ SHORTCUT_MENU, "ctrl+alt+m" }, { SHORTCUT_PAUSE, "ctrl+alt+p" },
		{ SHORTCUT_SNAPSHOT, "ctrl+alt+s" },
		{ SHORTCUT_FULLSCREEN, "ctrl+alt+f" },
		{ SHORTCUT_RELEASE, "ctrl+alt+g" }, { SHORTCUT_QUIT, "ctrl+alt+q" },
		{ SHORTCUT_CTRL_ALT_DEL, "ctrl+alt+delete" },
		{ SHORTCUT_SCREENSHOT, "none" },
	};
	struct bindings *b = bindings_new();
	CHECK_INT(ARRAY_SIZE(defaults), SHORTCUT_COUNT - 1);
	for (size_t i = 0; i < ARRAY_SIZE(defaults); i++) {
		char *text = binding_format(bindings_get(b, defaults[i].a));
		CHECK_STR(text, defaults[i].spec);
		free(text);
	}
	CHECK_INT(bindings_get(b, SHORTCUT_NONE).key, SDLK_UNKNOWN);
	bindings_destroy(b);
	bindings_destroy(NULL);
}

static SDL_KeyboardEvent key_event(Uint32 type, SDL_Keycode sym, Uint16 mod,
				   Uint8 repeat)
{
	SDL_KeyboardEvent e = { 0 };
	e.type = type;
	e.state = type == SDL_KEYDOWN ? SDL_PRESSED : SDL_RELEASED;
	e.repeat = repeat;
	e.keysym.sym = sym;
	e.keysym.mod = mod;
	return e;
}

static void test_match(void)
{
	static const struct {
		Uint32 type;
		SDL_Keycode sym;
		Uint16 mod;
		Uint8 repeat;
		enum shortcut want;
	} cases[] = {
		{ SDL_KEYDOWN, SDLK_p, KMOD_LCTRL | KMOD_LALT, 0, SHORTCUT_PAUSE },
		{ SDL_KEYDOWN, SDLK_p, KMOD_RCTRL | KMOD_RALT, 0, SHORTCUT_PAUSE },
		{ SDL_KEYDOWN, SDLK_p, KMOD_LCTRL | KMOD_RALT, 0, SHORTCUT_PAUSE },
		{ SDL_KEYDOWN, SDLK_p, KMOD_CTRL | KMOD_ALT | KMOD_LSHIFT, 0,
		  SHORTCUT_NONE },
		{ SDL_KEYDOWN, SDLK_p, KMOD_CTRL | KMOD_ALT | KMOD_LGUI, 0,
		  SHORTCUT_NONE },
		{ SDL_KEYDOWN, SDLK_p, KMOD_CTRL | KMOD_ALT | KMOD_NUM |
		  KMOD_CAPS | KMOD_MODE | KMOD_SCROLL, 0, SHORTCUT_PAUSE },
		{ SDL_KEYDOWN, SDLK_p, KMOD_LALT, 0, SHORTCUT_NONE },
		{ SDL_KEYDOWN, SDLK_p, KMOD_NONE, 0, SHORTCUT_NONE },
		{ SDL_KEYUP, SDLK_p, KMOD_CTRL | KMOD_ALT, 0, SHORTCUT_NONE },
		{ SDL_KEYDOWN, SDLK_p, KMOD_CTRL | KMOD_ALT, 1, SHORTCUT_PAUSE },
		{ SDL_KEYDOWN, SDLK_DELETE, KMOD_CTRL | KMOD_ALT, 0,
		  SHORTCUT_CTRL_ALT_DEL },
		{ SDL_KEYDOWN, SDLK_m, KMOD_CTRL | KMOD_ALT, 0, SHORTCUT_MENU },
		{ SDL_KEYDOWN, SDLK_g, KMOD_CTRL | KMOD_ALT, 0, SHORTCUT_RELEASE },
		{ SDL_KEYDOWN, SDLK_UNKNOWN, KMOD_NONE, 0, SHORTCUT_NONE },
		{ SDL_KEYDOWN, SDLK_UNKNOWN, KMOD_CTRL | KMOD_ALT, 0,
		  SHORTCUT_NONE },
	};
	struct bindings *b = bindings_new();
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		SDL_KeyboardEvent e = key_event(cases[i].type, cases[i].sym,
						cases[i].mod, cases[i].repeat);
		CHECK_INT(bindings_match(b, &e), cases[i].want);
	}
	SDL_KeyboardEvent e = key_event(SDL_KEYDOWN, SDLK_p, KMOD_CTRL | KMOD_ALT, 0);
	CHECK_INT(bindings_match(NULL, &e), SHORTCUT_NONE);
	bindings_destroy(b);
}

/* [keys] entries applied over the defaults: result or exact message. */
static void test_apply(void)
{
	static const struct {
		struct vm_key keys[3];
		size_t n;
		const char *error;      /* NULL: applies */
		enum shortcut check;      /* then this action ... */
		const char *spec;       /* ... is bound to this */
	} cases[] = {
		{ { { "pause", "ctrl+alt+x", 7 } }, 1, NULL,
		  SHORTCUT_PAUSE, "ctrl+alt+x" },
		{ { { "menu", "none", 7 } }, 1, NULL, SHORTCUT_MENU, "none" },
		{ { { "Screenshot", "shift+F12", 7 } }, 1, NULL,
		  SHORTCUT_SCREENSHOT, "shift+f12" },
		{ { { "pause", "ctrl+alt+pp", 12 } }, 1,
		  "demo.vmplay:12: keys: pause: 'ctrl+alt+pp' is not a key "
		  "(examples: ctrl+alt+p, shift+F12, none)",
		  SHORTCUT_NONE, NULL },
		{ { { "pasue", "ctrl+alt+p", 3 } }, 1,
		  "demo.vmplay:3: keys: 'pasue' is not an action "
		  "(did you mean 'pause'?)",
		  SHORTCUT_NONE, NULL },
		{ { { "xyzzyplugh", "ctrl+alt+p", 3 } }, 1,
		  "demo.vmplay:3: keys: 'xyzzyplugh' is not an action "
		  "(actions: menu, pause, snapshot, fullscreen, release, quit, "
		  "ctrl-alt-del, screenshot)",
		  SHORTCUT_NONE, NULL },
		{ { { "snapshot", "ctrl+alt+p", 4 } }, 1,
		  "demo.vmplay:4: keys: snapshot: 'ctrl+alt+p' is already "
		  "bound to pause (bind pause to other keys or to none)",
		  SHORTCUT_NONE, NULL },
		/* Freeing the keys later in the same file is fine. */
		{ { { "snapshot", "ctrl+alt+p", 4 }, { "pause", "none", 5 } }, 2,
		  NULL, SHORTCUT_SNAPSHOT, "ctrl+alt+p" },
		/* Swapping two defaults. */
		{ { { "snapshot", "ctrl+alt+p", 4 }, { "pause", "ctrl+alt+s", 5 } },
		  2, NULL, SHORTCUT_PAUSE, "ctrl+alt+s" },
		/* Two new entries on the same keys: the later line is blamed. */
		{ { { "screenshot", "F11", 4 }, { "quit", "f11", 9 } }, 2,
		  "demo.vmplay:9: keys: quit: 'f11' is already bound to "
		  "screenshot (bind screenshot to other keys or to none)",
		  SHORTCUT_NONE, NULL },
		/* Every problem is reported, one per line. */
		{ { { "pause", "ctrl+alt+pp", 2 }, { "menu", "hyper+m", 3 } }, 2,
		  "demo.vmplay:2: keys: pause: 'ctrl+alt+pp' is not a key "
		  "(examples: ctrl+alt+p, shift+F12, none)\n"
		  "demo.vmplay:3: keys: menu: 'hyper+m': 'hyper' is not a "
		  "modifier (ctrl, alt, shift, super)",
		  SHORTCUT_NONE, NULL },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct bindings *b = bindings_new();
		char *error = NULL;
		bool ok = bindings_apply(b, "demo.vmplay", cases[i].keys,
					 cases[i].n, &error);
		if (cases[i].error) {
			CHECK(!ok);
			CHECK_STR(error, cases[i].error);
		} else {
			CHECK(ok);
			CHECK_STR(error, NULL);
			char *text = binding_format(bindings_get(b, cases[i].check));
			CHECK_STR(text, cases[i].spec);
			free(text);
		}
		free(error);
		bindings_destroy(b);
	}
}

/* bindings_load: defaults without a config; a VM file's [keys] on top,
 * disabled keys stop matching; errors name the VM file. */
static void test_load(void)
{
	char *error = NULL;
	/* No user file can interfere. */
	setenv("XDG_CONFIG_HOME", "/nonexistent-vmplay-test", 1);
	struct bindings *b = bindings_load(NULL, &error);
	CHECK(b != NULL);
	CHECK_STR(error, NULL);
	bindings_destroy(b);

	struct vm_key keys[] = {
		{ "menu", "none", 20 }, { "fullscreen", "F11", 21 },
	};
	struct vm_config cfg = { 0 };
	cfg.path = "/vms/demo.vmplay";
	cfg.keys = keys;
	cfg.n_keys = ARRAY_SIZE(keys);
	b = bindings_load(&cfg, &error);
	CHECK(b != NULL);
	SDL_KeyboardEvent e = key_event(SDL_KEYDOWN, SDLK_m, KMOD_CTRL | KMOD_ALT, 0);
	CHECK_INT(bindings_match(b, &e), SHORTCUT_NONE);
	e = key_event(SDL_KEYDOWN, SDLK_F11, KMOD_NONE, 0);
	CHECK_INT(bindings_match(b, &e), SHORTCUT_FULLSCREEN);
	e = key_event(SDL_KEYDOWN, SDLK_f, KMOD_CTRL | KMOD_ALT, 0);
	CHECK_INT(bindings_match(b, &e), SHORTCUT_NONE);
	bindings_destroy(b);

	keys[1].spec = "ctrl+alt+ff";
	b = bindings_load(&cfg, &error);
	CHECK(b == NULL);
	CHECK_STR(error, "/vms/demo.vmplay:21: keys: fullscreen: 'ctrl+alt+ff' "
		  "is not a key (examples: ctrl+alt+p, shift+F12, none)");
	free(error);
}

/* The user file (XDG_CONFIG_HOME/vmplay/vmplay.ini) applies before the
 * VM file's [keys]; its errors name it. */
static void test_load_user_file(void)
{
	char dir[] = "/tmp/vmplay-bindings-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char *folder = path_join(dir, "vmplay");
	char *file = path_join(folder, "vmplay.ini");
	CHECK(mkdir_p(folder, 0700));
	const char *text = "[keys]\npause = ctrl+alt+x\nmenu = F10\n";
	CHECK(write_file_atomic(file, text, strlen(text), true));
	setenv("XDG_CONFIG_HOME", dir, 1);

	struct vm_key keys[] = { { "menu", "F9", 7 } };
	struct vm_config cfg = { 0 };
	cfg.path = "/vms/demo.vmplay";
	cfg.keys = keys;
	cfg.n_keys = ARRAY_SIZE(keys);
	char *error = NULL;
	struct bindings *b = bindings_load(&cfg, &error);
	CHECK(b != NULL);
	SDL_KeyboardEvent e = key_event(SDL_KEYDOWN, SDLK_x, KMOD_CTRL | KMOD_ALT, 0);
	CHECK_INT(bindings_match(b, &e), SHORTCUT_PAUSE);
	e = key_event(SDL_KEYDOWN, SDLK_F9, KMOD_NONE, 0);
	CHECK_INT(bindings_match(b, &e), SHORTCUT_MENU);   /* the VM file wins */
	e = key_event(SDL_KEYDOWN, SDLK_F10, KMOD_NONE, 0);
	CHECK_INT(bindings_match(b, &e), SHORTCUT_NONE);
	bindings_destroy(b);

	text = "[keys]\npause = ctrl+alt+pp\n";
	CHECK(write_file_atomic(file, text, strlen(text), true));
	b = bindings_load(&cfg, &error);
	CHECK(b == NULL);
	char *want = xasprintf("%s:2: keys: pause: 'ctrl+alt+pp' is not a key "
			       "(examples: ctrl+alt+p, shift+F12, none)", file);
	CHECK_STR(error, want);
	free(want);
	free(error);

	unlink(file);
	rmdir(folder);
	rmdir(dir);
	free(file);
	free(folder);
	setenv("XDG_CONFIG_HOME", "/nonexistent-vmplay-test", 1);
}

static void test_user_file_path(void)
{
	static const struct {
		const char *xdg, *home, *want;
	} cases[] = {
		{ "/x/config", "/home/u", "/x/config/vmplay/vmplay.ini" },
		{ NULL, "/home/u", "/home/u/.config/vmplay/vmplay.ini" },
		{ "", "/home/u", "/home/u/.config/vmplay/vmplay.ini" },
		{ "relative/dir", "/home/u", "/home/u/.config/vmplay/vmplay.ini" },
		{ NULL, NULL, NULL },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		if (cases[i].xdg)
			setenv("XDG_CONFIG_HOME", cases[i].xdg, 1);
		else
			unsetenv("XDG_CONFIG_HOME");
		if (cases[i].home)
			setenv("HOME", cases[i].home, 1);
		else
			unsetenv("HOME");
		char *path = bindings_user_file();
		CHECK_STR(path, cases[i].want);
		free(path);
	}
}

static void test_print(void)
{
	struct bindings *b = bindings_new();
	struct vm_key keys[] = { { "screenshot", "shift+F12", 1 } };
	char *error = NULL;
	CHECK(bindings_apply(b, "x", keys, 1, &error));
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	bindings_print(b, out);
	fclose(out);
	CHECK_STR(text, "menu          ctrl+alt+m\n"
			"pause         ctrl+alt+p\n"
			"snapshot      ctrl+alt+s\n"
			"fullscreen    ctrl+alt+f\n"
			"release       ctrl+alt+g\n"
			"quit          ctrl+alt+q\n"
			"ctrl-alt-del  ctrl+alt+delete\n"
			"screenshot    shift+f12\n");
	free(text);
	bindings_destroy(b);
}

int main(void)
{
	RUN(test_parse_good);
	RUN(test_parse_bad);
	RUN(test_format_round_trip);
	RUN(test_display);
	RUN(test_action_names);
	RUN(test_defaults);
	RUN(test_match);
	RUN(test_apply);
	RUN(test_load);
	RUN(test_load_user_file);
	RUN(test_user_file_path);
	RUN(test_print);
	return TEST_REPORT();
}
