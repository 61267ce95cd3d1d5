/* The library's and the wizard's text fields (library_ui.c) take what
 * people type in their language: UTF-8 from SDL_TEXTINPUT, an input
 * method's composition (SDL_TEXTEDITING) shown but not yet text, and
 * Backspace removing one character, never half of one. */
#include "player/library_ui.h"
#include "test.h"

#include <stdio.h>
#include <string.h>

static bool typed(struct ui_field *f, const char *text)
{
	SDL_Event ev = { .type = SDL_TEXTINPUT };
	snprintf(ev.text.text, sizeof(ev.text.text), "%s", text);
	return ui_field_event(f, &ev);
}

static bool composing(struct ui_field *f, const char *text)
{
	SDL_Event ev = { .type = SDL_TEXTEDITING };
	snprintf(ev.edit.text, sizeof(ev.edit.text), "%s", text);
	return ui_field_event(f, &ev);
}

static bool key(struct ui_field *f, SDL_Keycode sym, Uint16 mod)
{
	SDL_Event ev = { .type = SDL_KEYDOWN };
	ev.key.keysym.sym = sym;
	ev.key.keysym.mod = mod;
	return ui_field_event(f, &ev);
}

static void test_accents(void)
{
	struct ui_field f;
	ui_field_set(&f, "");
	CHECK(typed(&f, "Má"));
	CHECK(typed(&f, "quina-ñandú"));
	CHECK_STR(f.text, "Máquina-ñandú");
	CHECK(key(&f, SDLK_BACKSPACE, 0));   /* ú: two bytes */
	CHECK_STR(f.text, "Máquina-ñand");
	CHECK(typed(&f, "€"));
	CHECK(key(&f, SDLK_BACKSPACE, 0));   /* €: three */
	CHECK_STR(f.text, "Máquina-ñand");
	CHECK(key(&f, SDLK_u, KMOD_LCTRL));
	CHECK_STR(f.text, "");
	CHECK(!key(&f, SDLK_BACKSPACE, 0));   /* nothing left */
}

static void test_composition(void)
{
	struct ui_field f;
	ui_field_set(&f, "ma");
	/* a dead key or an input method: shown, not yet in the text */
	CHECK(composing(&f, "´"));
	CHECK_STR(f.preedit, "´");
	CHECK_STR(f.text, "ma");
	CHECK(!composing(&f, "´"));   /* the same: nothing to redraw */
	/* committed: it arrives as text and the composition ends */
	CHECK(typed(&f, "á"));
	CHECK_STR(f.text, "maá");
	CHECK_STR(f.preedit, "");
	/* cancelled: an empty composition */
	CHECK(composing(&f, "ｎ"));
	CHECK(composing(&f, ""));
	CHECK_STR(f.preedit, "");
	CHECK_STR(f.text, "maá");
}

static void test_drop_char(void)
{
	char s[16] = "añ";
	ui_drop_char(s);
	CHECK_STR(s, "a");
	ui_drop_char(s);
	CHECK_STR(s, "");
	ui_drop_char(s);
	CHECK_STR(s, "");
}

int main(void)
{
	RUN(test_accents);
	RUN(test_composition);
	RUN(test_drop_char);
	return TEST_REPORT();
}
