/* Drawing helpers of the library window; see library_ui.h. */
#include "player/library_ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const SDL_Color UI_BG = { 30, 32, 38, 255 };
const SDL_Color UI_PANEL = { 44, 47, 56, 255 };
const SDL_Color UI_SELECTED = { 52, 90, 150, 255 };
const SDL_Color UI_TEXT = { 236, 238, 242, 255 };
const SDL_Color UI_DIM = { 160, 166, 178, 255 };
const SDL_Color UI_ERROR = { 255, 120, 120, 255 };
const SDL_Color UI_OK = { 120, 220, 140, 255 };
const SDL_Color UI_ACCENT = { 120, 180, 255, 255 };

void ui_fill(struct ui *ui, SDL_Rect r, SDL_Color c)
{
	SDL_SetRenderDrawBlendMode(ui->ren, SDL_BLENDMODE_BLEND);
	SDL_SetRenderDrawColor(ui->ren, c.r, c.g, c.b, c.a);
	SDL_RenderFillRect(ui->ren, &r);
}

void ui_frame(struct ui *ui, SDL_Rect r, SDL_Color c)
{
	SDL_SetRenderDrawColor(ui->ren, c.r, c.g, c.b, c.a);
	SDL_RenderDrawRect(ui->ren, &r);
}

int ui_text(struct ui *ui, bool bold, const char *s, int x, int y, int max_w,
	    SDL_Color c)
{
	if (!s || !*s)
		return 0;
	if (max_w > 0) {
		char *cut = text_ellipsize(ui->text, ui->px, bold, s, max_w, false);
		int w = text_draw(ui->text, ui->px, bold, cut, x, y, c);
		free(cut);
		return w;
	}
	return text_draw(ui->text, ui->px, bold, s, x, y, c);
}

int ui_button_width(struct ui *ui, const char *label)
{
	return text_width(ui->text, ui->px, true, label) + 2 * ui->pad;
}

SDL_Rect ui_button(struct ui *ui, const char *label, int x, int y,
		   bool focused, bool enabled)
{
	SDL_Rect r = { x, y, ui_button_width(ui, label), ui->line + ui->pad };
	ui_fill(ui, r, focused ? UI_SELECTED : UI_PANEL);
	ui_frame(ui, r, focused ? UI_ACCENT : UI_DIM);
	text_draw(ui->text, ui->px, focused, label, x + ui->pad,
		  y + ui->pad / 2, enabled ? UI_TEXT : UI_DIM);
	return r;
}

bool ui_hit(SDL_Rect r, int x, int y)
{
	return x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h;
}

void ui_field_set(struct ui_field *f, const char *s)
{
	snprintf(f->text, sizeof(f->text), "%s", s ? s : "");
	f->preedit[0] = '\0';
}

void ui_drop_char(char *s)
{
	size_t n = strlen(s);
	while (n > 0) {
		n--;
		if (((unsigned char)s[n] & 0xC0) != 0x80)
			break;
	}
	s[n] = '\0';
}

bool ui_field_event(struct ui_field *f, const SDL_Event *ev)
{
	if (ev->type == SDL_TEXTEDITING) {
		if (!strcmp(f->preedit, ev->edit.text))
			return false;
		snprintf(f->preedit, sizeof(f->preedit), "%s", ev->edit.text);
		return true;
	}
	if (ev->type == SDL_TEXTINPUT) {
		f->preedit[0] = '\0';   /* committed: it arrives as text */
		size_t n = strlen(f->text), m = strlen(ev->text.text);
		if (n + m >= sizeof(f->text))
			return false;
		memcpy(f->text + n, ev->text.text, m + 1);
		return true;
	}
	if (ev->type != SDL_KEYDOWN)
		return false;
	bool ctrl = ev->key.keysym.mod & KMOD_CTRL;
	switch (ev->key.keysym.sym) {
	case SDLK_BACKSPACE:
		if (!f->text[0])
			return false;
		ui_drop_char(f->text);
		return true;
	case SDLK_u:
		if (!ctrl || !f->text[0])
			return false;
		f->text[0] = '\0';
		return true;
	case SDLK_w: {
		if (!ctrl || !f->text[0])
			return false;
		size_t n = strlen(f->text);
		while (n > 0 && (f->text[n - 1] == ' ' || f->text[n - 1] == '/'))
			n--;
		while (n > 0 && f->text[n - 1] != ' ' && f->text[n - 1] != '/')
			n--;
		f->text[n] = '\0';
		return true;
	}
	default:
		return false;
	}
}

void ui_field_draw(struct ui *ui, const struct ui_field *f, SDL_Rect box,
		   bool focused)
{
	ui_fill(ui, box, (SDL_Color){ 20, 22, 27, 255 });
	ui_frame(ui, box, focused ? UI_ACCENT : UI_DIM);
	int inner = box.w - 2 * ui->pad;
	int ty = box.y + (box.h - ui->line) / 2;
	bool composing = focused && f->preedit[0];
	/* the end is where one types: keep it in view, with what an input
	 * method composes there (underlined, in the accent colour) */
	int pre_w = composing ? text_width(ui->text, ui->px, false, f->preedit) : 0;
	char *shown = text_ellipsize(ui->text, ui->px, false, f->text,
				     inner - pre_w > 0 ? inner - pre_w : 1, true);
	int w = text_draw(ui->text, ui->px, false, shown, box.x + ui->pad, ty,
			  UI_TEXT);
	free(shown);
	if (composing) {
		int px0 = box.x + ui->pad + w;
		w += text_draw(ui->text, ui->px, false, f->preedit, px0, ty,
			       UI_ACCENT);
		ui_fill(ui, (SDL_Rect){ px0, ty + ui->line - 2, pre_w,
					ui->scale > 1 ? (int)ui->scale : 1 },
			UI_ACCENT);
	}
	if (focused) {
		/* the input method's candidate window goes below the field */
		SDL_Rect ime = { (int)(box.x / ui->scale), (int)(box.y / ui->scale),
				 (int)(box.w / ui->scale), (int)(box.h / ui->scale) };
		SDL_SetTextInputRect(&ime);
		SDL_Rect caret = { box.x + ui->pad + w + 1,
				   box.y + (box.h - ui->line) / 2 + 2,
				   ui->scale > 1 ? (int)ui->scale : 1,
				   ui->line - 4 };
		ui_fill(ui, caret, UI_TEXT);
	}
}
