/* What the library window and its wizard share: the drawing context,
 * colours, buttons and one-line text fields; the ask window
 * (ask_window.c) draws with them too. Internal to the player layer. */
#ifndef VMPLAY_LIBRARY_UI_H
#define VMPLAY_LIBRARY_UI_H

#include "player/text.h"

#include <SDL2/SDL.h>
#include <stdbool.h>

extern const SDL_Color UI_BG, UI_PANEL, UI_SELECTED, UI_TEXT, UI_DIM,
	UI_ERROR, UI_OK, UI_ACCENT;

struct ui {
	SDL_Renderer *ren;
	struct text *text;
	int w, h;        /* output pixels */
	float scale;     /* output pixels per window point (HiDPI) */
	int px;          /* body text size */
	int line;        /* its line height */
	int pad;
};

void ui_fill(struct ui *ui, SDL_Rect r, SDL_Color c);
void ui_frame(struct ui *ui, SDL_Rect r, SDL_Color c);
/* Draws text (ellipsized to max_w when > 0); returns the width drawn. */
int ui_text(struct ui *ui, bool bold, const char *s, int x, int y, int max_w,
	    SDL_Color c);
/* A button with its top-left at (x, y); returns its rectangle. */
SDL_Rect ui_button(struct ui *ui, const char *label, int x, int y,
		   bool focused, bool enabled);
int ui_button_width(struct ui *ui, const char *label);
bool ui_hit(SDL_Rect r, int x, int y);

/* A one-line text field. */
#define UI_FIELD_MAX 1024
struct ui_field {
	char text[UI_FIELD_MAX];
	/* What an input method is composing (SDL_TEXTEDITING: dead keys,
	 * Compose, CJK), shown after the text until it is committed. */
	char preedit[SDL_TEXTEDITINGEVENT_TEXT_SIZE];
};
void ui_field_set(struct ui_field *f, const char *s);
/* Typing (SDL_TEXTINPUT, any UTF-8), composition (SDL_TEXTEDITING),
 * Backspace (one character, not one byte), Ctrl+U (clear), Ctrl+W (last
 * word or path part). true when the field changed. */
bool ui_field_event(struct ui_field *f, const SDL_Event *ev);
/* The field's box with the text and, when focused, a caret. */
void ui_field_draw(struct ui *ui, const struct ui_field *f, SDL_Rect box,
		   bool focused);
/* Back to the start of the last UTF-8 character of s: Backspace. */
void ui_drop_char(char *s);

#endif
