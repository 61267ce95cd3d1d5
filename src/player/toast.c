#include "player/toast.h"

#include "base/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct toast {
	unsigned id;
	enum toast_kind kind;
	char *text;
	uint64_t expires;   /* 0: never (progress) */
};

struct toasts {
	struct toast items[TOAST_MAX];   /* oldest first */
	size_t n;
	unsigned next_id;
};

static const uint64_t kind_ms[] = {
	[TOAST_INFO] = TOAST_INFO_MS,
	[TOAST_ERROR] = TOAST_ERROR_MS,
	[TOAST_PROGRESS] = 0,
};

struct toasts *toasts_create(void)
{
	struct toasts *ts = xcalloc(1, sizeof(*ts));
	ts->next_id = 1;
	return ts;
}

void toasts_destroy(struct toasts *ts)
{
	if (!ts)
		return;
	for (size_t i = 0; i < ts->n; i++)
		free(ts->items[i].text);
	free(ts);
}

static void remove_at(struct toasts *ts, size_t i)
{
	free(ts->items[i].text);
	memmove(&ts->items[i], &ts->items[i + 1],
		(ts->n - i - 1) * sizeof(ts->items[0]));
	ts->n--;
}

static uint64_t expiry(enum toast_kind kind, uint64_t now)
{
	return kind_ms[kind] ? now + kind_ms[kind] : 0;
}

static unsigned show_text(struct toasts *ts, enum toast_kind kind,
			  uint64_t now, char *text)
{
	for (size_t i = 0; i < ts->n; i++) {
		struct toast *t = &ts->items[i];
		if (t->kind == kind && !strcmp(t->text, text)) {
			free(text);
			t->expires = expiry(kind, now);
			return t->id;
		}
	}
	if (ts->n == TOAST_MAX)
		remove_at(ts, 0);
	struct toast *t = &ts->items[ts->n++];
	t->id = ts->next_id++;
	if (!ts->next_id)
		ts->next_id = 1;
	t->kind = kind;
	t->text = text;
	t->expires = expiry(kind, now);
	return t->id;
}

unsigned toast_show(struct toasts *ts, enum toast_kind kind, uint64_t now,
		    const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *text = xvasprintf(fmt, ap);
	va_end(ap);
	return show_text(ts, kind, now, text);
}

bool toast_update(struct toasts *ts, unsigned id, enum toast_kind kind,
		  uint64_t now, const char *fmt, ...)
{
	for (size_t i = 0; i < ts->n; i++) {
		struct toast *t = &ts->items[i];
		if (t->id != id)
			continue;
		va_list ap;
		va_start(ap, fmt);
		char *text = xvasprintf(fmt, ap);
		va_end(ap);
		free(t->text);
		t->text = text;
		t->kind = kind;
		t->expires = expiry(kind, now);
		return true;
	}
	return false;
}

void toast_dismiss(struct toasts *ts, unsigned id)
{
	for (size_t i = 0; i < ts->n; i++)
		if (ts->items[i].id == id) {
			remove_at(ts, i);
			return;
		}
}

bool toasts_expire(struct toasts *ts, uint64_t now)
{
	bool changed = false;
	for (size_t i = 0; i < ts->n;) {
		if (ts->items[i].expires && ts->items[i].expires <= now) {
			remove_at(ts, i);
			changed = true;
		} else {
			i++;
		}
	}
	return changed;
}

int toasts_timeout(const struct toasts *ts, uint64_t now)
{
	int best = -1;
	for (size_t i = 0; i < ts->n; i++) {
		uint64_t e = ts->items[i].expires;
		if (!e)
			continue;
		int left = e <= now ? 0 : (int)(e - now);
		if (best < 0 || left < best)
			best = left;
	}
	return best;
}

size_t toasts_count(const struct toasts *ts)
{
	return ts->n;
}

const char *toasts_text(const struct toasts *ts, size_t i)
{
	return i < ts->n ? ts->items[i].text : NULL;
}

enum toast_kind toasts_kind(const struct toasts *ts, size_t i)
{
	return i < ts->n ? ts->items[i].kind : TOAST_INFO;
}

/* Colour of the bar on the left of each toast: what kind it is at a
 * glance. */
static const SDL_Color bar_color[] = {
	[TOAST_INFO] = { 87, 178, 110, 255 },
	[TOAST_ERROR] = { 224, 82, 82, 255 },
	[TOAST_PROGRESS] = { 90, 150, 230, 255 },
};

void toasts_draw(struct toasts *ts, struct text *text, int out_w, int out_h,
		 float scale)
{
	if (!ts->n || !text)
		return;
	if (scale < 1.0f)
		scale = 1.0f;
	/* Same rule as the menu: follow the output height so a small window
	 * still reads, but not larger than a comfortable size per point. */
	int px = out_h / 34;
	int min_px = (int)(11 * scale), max_px = (int)(16 * scale);
	if (px < min_px)
		px = min_px;
	if (px > max_px)
		px = max_px;
	if (px < 8)
		px = 8;
	int pad = px * 2 / 3, gap = px / 2, bar = px / 4 > 2 ? px / 4 : 2;
	int line = text_line_height(text, px, false);
	int max_w = out_w - 4 * pad;
	int y = out_h - pad * 2;
	SDL_Renderer *rend = text_renderer(text);
	SDL_SetRenderDrawBlendMode(rend, SDL_BLENDMODE_BLEND);
	/* Newest at the bottom: walk from the newest up. */
	for (size_t k = ts->n; k-- > 0;) {
		struct toast *t = &ts->items[k];
		struct strv lines = { 0 };
		text_wrap(text, px, false, t->text, max_w - 2 * pad - bar, 3, &lines);
		int tw = 0;
		for (size_t i = 0; i < lines.n; i++) {
			int w = text_width(text, px, false, lines.v[i]);
			tw = w > tw ? w : tw;
		}
		int w = tw + 2 * pad + bar;
		int h = (int)lines.n * line + pad;
		y -= h;
		SDL_Rect box = { (out_w - w) / 2, y, w, h };
		SDL_SetRenderDrawColor(rend, 24, 26, 32, 225);
		SDL_RenderFillRect(rend, &box);
		SDL_Rect b = { box.x, box.y, bar, box.h };
		SDL_Color bc = bar_color[t->kind];
		SDL_SetRenderDrawColor(rend, bc.r, bc.g, bc.b, bc.a);
		SDL_RenderFillRect(rend, &b);
		for (size_t i = 0; i < lines.n; i++)
			text_draw(text, px, false, lines.v[i], box.x + bar + pad,
				  box.y + pad / 2 + (int)i * line,
				  (SDL_Color){ 240, 240, 240, 255 });
		strv_free(&lines);
		y -= gap;
	}
}
