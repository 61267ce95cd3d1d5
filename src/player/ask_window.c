/* See ask_window.h. */
#include "player/ask_window.h"

#include "base/i18n.h"
#include "base/log.h"
#include "base/util.h"
#include "player/library_ui.h"
#include "player/text.h"

#include <SDL2/SDL.h>
#include <stdlib.h>
#include <string.h>

struct ask {
	SDL_Window *window;
	SDL_Renderer *ren;
	struct ui ui;
	const char *question;
	bool secret;
	struct ui_field field;
	SDL_Rect ok, cancel;
};

/* What the field shows: the answer, or a dot for each character of it. */
static void shown_field(const struct ask *a, struct ui_field *out)
{
	if (!a->secret) {
		*out = a->field;
		return;
	}
	size_t n = 0;
	out->text[0] = '\0';
	for (const char *p = a->field.text; *p; p++) {
		if (((unsigned char)*p & 0xC0) == 0x80)
			continue;   /* one dot per UTF-8 character */
		if (n + 4 >= sizeof(out->text))
			break;
		memcpy(out->text + n, "\xE2\x80\xA2", 4);
		n += 3;
	}
}

static void draw(struct ask *a, const char *title)
{
	struct ui *ui = &a->ui;
	int ow, oh, ww, wh;
	SDL_GetRendererOutputSize(a->ren, &ow, &oh);
	SDL_GetWindowSize(a->window, &ww, &wh);
	ui->w = ow;
	ui->h = oh;
	ui->scale = ww > 0 && ow > ww ? (float)ow / (float)ww : 1.0f;
	ui->px = (int)(15 * ui->scale);
	ui->line = text_line_height(ui->text, ui->px, false);
	ui->pad = (int)(8 * ui->scale);
	ui_fill(ui, (SDL_Rect){ 0, 0, ow, oh }, UI_BG);
	int x = 2 * ui->pad, y = 2 * ui->pad, w = ow - 4 * ui->pad;
	ui_text(ui, true, title, x, y, w, UI_TEXT);
	y += ui->line * 3 / 2;
	struct strv lines = { 0 };
	text_wrap(ui->text, ui->px, false, a->question, w, 4, &lines);
	for (size_t i = 0; i < lines.n; i++, y += ui->line)
		ui_text(ui, false, lines.v[i], x, y, 0, UI_TEXT);
	strv_free(&lines);
	y += ui->pad;
	struct ui_field shown;
	shown_field(a, &shown);
	ui_field_draw(ui, &shown, (SDL_Rect){ x, y, w, ui->line + ui->pad },
		      true);
	int by = oh - ui->line - 3 * ui->pad;
	a->ok = ui_button(ui, _("OK"), x, by, true, true);
	a->cancel = ui_button(ui, _("Cancel"), x + a->ok.w + ui->pad, by,
			      false, true);
	SDL_RenderPresent(a->ren);
}

/* 1: answered, 0: declined, -1: go on. */
static int on_event(struct ask *a, const SDL_Event *ev)
{
	switch (ev->type) {
	case SDL_QUIT:
		return 0;
	case SDL_WINDOWEVENT:
		return ev->window.event == SDL_WINDOWEVENT_CLOSE ? 0 : -1;
	case SDL_KEYDOWN:
		if (ev->key.keysym.sym == SDLK_RETURN ||
		    ev->key.keysym.sym == SDLK_KP_ENTER)
			return 1;
		if (ev->key.keysym.sym == SDLK_ESCAPE)
			return 0;
		break;
	case SDL_MOUSEBUTTONDOWN: {
		int x = (int)((float)ev->button.x * a->ui.scale);
		int y = (int)((float)ev->button.y * a->ui.scale);
		if (ui_hit(a->ok, x, y))
			return 1;
		if (ui_hit(a->cancel, x, y))
			return 0;
		return -1;
	}
	default:
		break;
	}
	ui_field_event(&a->field, ev);
	return -1;
}

char *ask_window(const char *title, const char *question, bool secret)
{
	/* as the player asks before its SDL_Init: its own signal handling
	 * (stop_signals) stays in charge of SIGINT and SIGTERM */
	SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
	if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) {
		log_debug("no window to ask in: %s", SDL_GetError());
		return NULL;
	}
	struct ask a = { .question = question, .secret = secret };
	char *answer = NULL, *error = NULL;
	a.window = SDL_CreateWindow(title, SDL_WINDOWPOS_CENTERED,
				    SDL_WINDOWPOS_CENTERED, 520, 210,
				    SDL_WINDOW_ALLOW_HIGHDPI);
	a.ren = a.window ? SDL_CreateRenderer(a.window, -1, 0) : NULL;
	a.ui.ren = a.ren;
	a.ui.text = a.ren ? text_create(a.ren, NULL, &error) : NULL;
	if (!a.ui.text) {
		log_error(_("cannot open a window to ask: %s"),
			  error ? error : SDL_GetError());
		free(error);
		goto out;
	}
	SDL_RaiseWindow(a.window);
	SDL_StartTextInput();
	int done = -1;
	while (done < 0) {
		draw(&a, title);
		SDL_Event ev;
		if (!SDL_WaitEvent(&ev))
			break;
		done = on_event(&a, &ev);
		while (done < 0 && SDL_PollEvent(&ev))
			done = on_event(&a, &ev);
	}
	SDL_StopTextInput();
	if (done == 1)
		answer = xstrdup(a.field.text);
	/* nothing of the secret stays in memory */
	memset(a.field.text, 0, sizeof(a.field.text));
out:
	text_destroy(a.ui.text);
	if (a.ren)
		SDL_DestroyRenderer(a.ren);
	if (a.window)
		SDL_DestroyWindow(a.window);
	/* SDL's video stays up for the window that follows (the player's):
	 * shutting X11 down and up again in one process ends in X errors */
	return answer;
}
