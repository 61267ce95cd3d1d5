/* kiosk.c: which shortcuts work, the PIN entry, restart backoff. */
#include "player/bindings.h"
#include "vm/kiosk.h"

#include "base/util.h"
#include "test.h"

#include <stdlib.h>

/* A config with just the [kiosk] settings the policy reads. */
static struct vm_config *kiosk_config(const char *allow, const char *pin,
				      unsigned delay_ms, unsigned max)
{
	char text[512];
	snprintf(text, sizeof(text),
		 "[kiosk]\nenabled = true\n%s%s%s%s%s\n"
		 "restart-delay = %ums\nmax-restarts = %u\n",
		 allow ? "allow = " : "", allow ? allow : "", allow ? "\n" : "",
		 pin ? "pin = " : "", pin ? pin : "", delay_ms, max);
	char *error = NULL;
	struct vm_config *cfg = config_parse("/tmp/k.vmplay", text,
					     strlen(text), &error);
	if (!cfg)
		printf("  config: %s\n", error);
	free(error);
	return cfg;
}

static void test_actions(void)
{
	static const struct {
		const char *allow, *pin;
		enum shortcut action;
		enum kiosk_verdict want;
	} cases[] = {
		/* nothing allowed: every plain action is off */
		{ NULL, NULL, SHORTCUT_PAUSE, KIOSK_DENY },
		{ NULL, NULL, SHORTCUT_FULLSCREEN, KIOSK_DENY },
		{ NULL, NULL, SHORTCUT_SCREENSHOT, KIOSK_DENY },
		{ NULL, NULL, SHORTCUT_NONE, KIOSK_DENY },
		/* allowed ones run */
		{ "pause, fullscreen", NULL, SHORTCUT_PAUSE, KIOSK_ALLOW },
		{ "pause, fullscreen", NULL, SHORTCUT_FULLSCREEN, KIOSK_ALLOW },
		{ "pause, fullscreen", NULL, SHORTCUT_SNAPSHOT, KIOSK_DENY },
		{ "ctrl-alt-del", NULL, SHORTCUT_CTRL_ALT_DEL, KIOSK_ALLOW },
		/* the menu: only with a pin, then always behind it */
		{ NULL, NULL, SHORTCUT_MENU, KIOSK_DENY },
		{ "menu", NULL, SHORTCUT_MENU, KIOSK_DENY },
		{ NULL, "1234", SHORTCUT_MENU, KIOSK_NEED_PIN },
		{ "menu", "1234", SHORTCUT_MENU, KIOSK_NEED_PIN },
		/* quit: listed and a pin, behind it; else off */
		{ NULL, "1234", SHORTCUT_QUIT, KIOSK_DENY },
		{ "quit", NULL, SHORTCUT_QUIT, KIOSK_DENY },
		{ "quit", "1234", SHORTCUT_QUIT, KIOSK_NEED_PIN },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct vm_config *cfg = kiosk_config(cases[i].allow,
						     cases[i].pin, 1000, 0);
		CHECK(cfg != NULL);
		if (!cfg)
			continue;
		struct kiosk *k = kiosk_create(cfg);
		enum kiosk_verdict got = kiosk_check_action(k, cases[i].action);
		if (got != cases[i].want)
			printf("  case %zu: %s with allow '%s' pin %s\n", i,
			       shortcut_name(cases[i].action),
			       cases[i].allow ? cases[i].allow : "",
			       cases[i].pin ? "set" : "unset");
		CHECK_INT(got, cases[i].want);
		kiosk_destroy(k);
		config_destroy(cfg);
	}
}

static void test_warnings(void)
{
	struct vm_config *cfg = kiosk_config("menu, quit, pause", NULL, 0, 0);
	struct kiosk *k = kiosk_create(cfg);
	char *w = kiosk_warnings(k);
	CHECK_CONTAINS(w, "allow lists menu, but no pin");
	CHECK_CONTAINS(w, "allow lists quit, but no pin");
	free(w);
	kiosk_destroy(k);
	config_destroy(cfg);

	cfg = kiosk_config("menu, quit", "1234", 0, 0);
	k = kiosk_create(cfg);
	CHECK(kiosk_warnings(k) == NULL);
	kiosk_destroy(k);
	config_destroy(cfg);
}

/* Keys typed into the PIN entry (pin 4711) and the state after each
 * string: '\r' enter, '\b' backspace, 'E' escape. */
static void test_pin_entry(void)
{
	static const struct {
		const char *keys;
		enum kiosk_pin_state want;
		bool active;
	} cases[] = {
		{ "", KIOSK_PIN_TYPING, true },
		{ "47", KIOSK_PIN_TYPING, true },
		{ "4711\r", KIOSK_PIN_ACCEPTED, false },
		{ "1234\r", KIOSK_PIN_REJECTED, true },
		{ "47111\r", KIOSK_PIN_REJECTED, true },   /* too long */
		{ "471\r", KIOSK_PIN_REJECTED, true },     /* too short */
		{ "4712\b1\r", KIOSK_PIN_ACCEPTED, false },
		{ "\b\b4711\r", KIOSK_PIN_ACCEPTED, false },
		{ "47x11\r", KIOSK_PIN_ACCEPTED, false },   /* others ignored */
		{ "0\r4711\r", KIOSK_PIN_ACCEPTED, false },
		{ "47E", KIOSK_PIN_CANCELLED, false },
		{ "\r", KIOSK_PIN_REJECTED, true },
	};
	struct vm_config *cfg = kiosk_config(NULL, "4711", 0, 0);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct kiosk *k = kiosk_create(cfg);
		CHECK_INT(kiosk_pin_begin(k, SHORTCUT_MENU, 1000),
			  KIOSK_PIN_TYPING);
		enum kiosk_pin_state st = KIOSK_PIN_TYPING;
		for (const char *p = cases[i].keys; *p; p++)
			st = kiosk_pin_key(k, *p == 'E' ? 27 : *p, 1000);
		if (st != cases[i].want)
			printf("  case %zu: keys \"%s\"\n", i, cases[i].keys);
		CHECK_INT(st, cases[i].want);
		CHECK_INT(kiosk_pin_active(k), cases[i].active);
		CHECK_INT(kiosk_pin_action(k), SHORTCUT_MENU);
		kiosk_destroy(k);
	}
	config_destroy(cfg);
}

static void test_pin_prompt(void)
{
	struct vm_config *cfg = kiosk_config("quit", "4711", 0, 0);
	struct kiosk *k = kiosk_create(cfg);
	kiosk_pin_begin(k, SHORTCUT_QUIT, 0);
	kiosk_pin_key(k, '4', 0);
	kiosk_pin_key(k, '7', 0);
	char *p = kiosk_pin_prompt(k, 0);
	CHECK_CONTAINS(p, "Enter the PIN to quit");
	CHECK_CONTAINS(p, "* * _");
	CHECK(strstr(p, "47") == NULL);   /* digits never shown */
	free(p);
	kiosk_pin_key(k, '\r', 0);
	p = kiosk_pin_prompt(k, 0);
	CHECK_CONTAINS(p, "Wrong PIN");
	free(p);
	kiosk_destroy(k);
	config_destroy(cfg);
}

/* Three wrong PINs lock the entry for 30 s, then each wrong PIN locks
 * again for twice as long; a right PIN clears it. */
static void test_pin_lockout(void)
{
	struct vm_config *cfg = kiosk_config(NULL, "4711", 0, 0);
	struct kiosk *k = kiosk_create(cfg);
	uint64_t t = 1000;
	kiosk_pin_begin(k, SHORTCUT_MENU, t);
	CHECK_INT(kiosk_pin_key(k, '\r', t), KIOSK_PIN_REJECTED);
	CHECK_INT(kiosk_pin_key(k, '\r', t), KIOSK_PIN_REJECTED);
	CHECK_INT(kiosk_pin_key(k, '\r', t), KIOSK_PIN_LOCKED);
	/* locked: even the right PIN does nothing */
	for (const char *p = "4711\r"; *p; p++)
		CHECK_INT(kiosk_pin_key(k, *p, t + 29000), KIOSK_PIN_LOCKED);
	char *prompt = kiosk_pin_prompt(k, t + 29000);
	CHECK_CONTAINS(prompt, "Try again in 1 s");
	free(prompt);
	/* reopening while locked says so */
	CHECK_INT(kiosk_pin_begin(k, SHORTCUT_MENU, t + 1000), KIOSK_PIN_LOCKED);
	/* after 30 s: one more wrong PIN locks for 60 s */
	t += KIOSK_LOCKOUT_MS;
	CHECK_INT(kiosk_pin_key(k, '1', t), KIOSK_PIN_TYPING);
	CHECK_INT(kiosk_pin_key(k, '\r', t), KIOSK_PIN_LOCKED);
	CHECK_INT(kiosk_pin_key(k, '4', t + 59000), KIOSK_PIN_LOCKED);
	t += 2 * KIOSK_LOCKOUT_MS;
	for (const char *p = "4711"; *p; p++)
		CHECK_INT(kiosk_pin_key(k, *p, t), KIOSK_PIN_TYPING);
	CHECK_INT(kiosk_pin_key(k, '\r', t), KIOSK_PIN_ACCEPTED);
	/* cleared: three tries again */
	kiosk_pin_begin(k, SHORTCUT_MENU, t);
	CHECK_INT(kiosk_pin_key(k, '\r', t), KIOSK_PIN_REJECTED);
	CHECK_INT(kiosk_pin_key(k, '\r', t), KIOSK_PIN_REJECTED);
	/* escape works while locked too */
	CHECK_INT(kiosk_pin_key(k, '\r', t), KIOSK_PIN_LOCKED);
	CHECK_INT(kiosk_pin_key(k, 27, t), KIOSK_PIN_CANCELLED);
	kiosk_destroy(k);
	config_destroy(cfg);
}

static void test_lockout_cap(void)
{
	struct vm_config *cfg = kiosk_config(NULL, "4711", 0, 0);
	struct kiosk *k = kiosk_create(cfg);
	uint64_t t = 0;
	kiosk_pin_begin(k, SHORTCUT_MENU, t);
	kiosk_pin_key(k, '\r', t);
	kiosk_pin_key(k, '\r', t);
	for (int i = 0; i < 20; i++) {
		CHECK_INT(kiosk_pin_key(k, '\r', t), KIOSK_PIN_LOCKED);
		t += KIOSK_MAX_LOCKOUT_MS;   /* never longer than the cap */
	}
	kiosk_destroy(k);
	config_destroy(cfg);
}

/* run lengths (ms) after each QEMU, and the delays (or -1) expected */
static void test_restart_delay(void)
{
	static const struct {
		unsigned base, max;
		uint64_t runs[8];
		long want[8];
		size_t n;
	} cases[] = {
		/* crash loop: doubling up to 60 s */
		{ 2000, 0, { 100, 100, 100, 100, 100, 100, 100 },
		  { 2000, 4000, 8000, 16000, 32000, 60000, 60000 }, 7 },
		/* a long run starts afresh */
		{ 1000, 0, { 10, 10, 120000, 10, 10 },
		  { 1000, 2000, 1000, 1000, 2000 }, 5 },
		/* max-restarts short runs in a row, then give up */
		{ 500, 2, { 10, 10, 10 }, { 500, 1000, -1 }, 3 },
		/* ...but long runs in between reset the count */
		{ 500, 2, { 10, 10, 70000, 10, 10, 10 },
		  { 500, 1000, 500, 500, 1000, -1 }, 6 },
		/* a base delay above the cap is kept */
		{ 120000, 0, { 10, 10 }, { 120000, 120000 }, 2 },
		/* no delay at all */
		{ 0, 0, { 10, 10, 10 }, { 0, 0, 0 }, 3 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct vm_config *cfg = kiosk_config(NULL, NULL, cases[i].base,
						     cases[i].max);
		struct kiosk *k = kiosk_create(cfg);
		for (size_t j = 0; j < cases[i].n; j++) {
			long got = kiosk_restart_delay(k, cases[i].runs[j]);
			if (got != cases[i].want[j])
				printf("  case %zu, run %zu\n", i, j);
			CHECK_INT(got, cases[i].want[j]);
		}
		kiosk_destroy(k);
		config_destroy(cfg);
	}
}

static void test_pin_keys_from_sdl(void)
{
	static const struct {
		SDL_Keycode sym;
		Uint32 type;
		int want;
	} cases[] = {
		{ SDLK_0, SDL_KEYDOWN, '0' }, { SDLK_7, SDL_KEYDOWN, '7' },
		{ SDLK_KP_9, SDL_KEYDOWN, '9' }, { SDLK_KP_0, SDL_KEYDOWN, '0' },
		{ SDLK_RETURN, SDL_KEYDOWN, '\r' },
		{ SDLK_KP_ENTER, SDL_KEYDOWN, '\r' },
		{ SDLK_BACKSPACE, SDL_KEYDOWN, '\b' },
		{ SDLK_ESCAPE, SDL_KEYDOWN, 27 }, { SDLK_a, SDL_KEYDOWN, 0 },
		{ SDLK_F4, SDL_KEYDOWN, 0 }, { SDLK_5, SDL_KEYUP, 0 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		SDL_KeyboardEvent ev = { .type = cases[i].type };
		ev.keysym.sym = cases[i].sym;
		CHECK_INT(kiosk_pin_key_from_sdl(&ev), cases[i].want);
	}
}

int main(void)
{
	RUN(test_actions);
	RUN(test_warnings);
	RUN(test_pin_entry);
	RUN(test_pin_prompt);
	RUN(test_pin_lockout);
	RUN(test_lockout_cap);
	RUN(test_restart_delay);
	RUN(test_pin_keys_from_sdl);
	return TEST_REPORT();
}
