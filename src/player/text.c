#include "player/text.h"

#include "base/i18n.h"
#include "base/log.h"
#include "base/util.h"

#include <SDL2/SDL_ttf.h>
#include <fontconfig/fontconfig.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A menu has a few dozen distinct strings on screen; 192 keeps a whole
 * page plus toasts and the previous page cached. */
#define TEXT_CACHE_SIZE 192
/* Sizes in use at once: menu, menu title, toasts, hints, each maybe bold. */
#define FONT_CACHE_SIZE 8

struct cached_font {
	TTF_Font *font;
	int px;
	bool bold;
	uint64_t used;
};

struct cached_text {
	char *utf8;          /* NULL: free slot */
	int px;
	bool bold;
	SDL_Color color;
	SDL_Texture *tex;
	int w, h;
	uint64_t used;
};

struct text {
	SDL_Renderer *renderer;
	char *regular_path;
	char *bold_path;     /* may equal regular_path's contents */
	struct cached_font fonts[FONT_CACHE_SIZE];
	struct cached_text texts[TEXT_CACHE_SIZE];
	uint64_t clock;      /* LRU counter */
};

static char *find_font(FcConfig *cfg, const char *pattern)
{
	FcPattern *pat = FcNameParse((const FcChar8 *)pattern);
	if (!pat)
		return NULL;
	/* Only outline fonts scale to any pixel size; a bitmap match would
	 * look blurry or fail to open in SDL2_ttf. */
	FcPatternAddBool(pat, FC_SCALABLE, FcTrue);
	FcConfigSubstitute(cfg, pat, FcMatchPattern);
	FcDefaultSubstitute(pat);
	FcResult res;
	FcPattern *match = FcFontMatch(cfg, pat, &res);
	char *path = NULL;
	if (match) {
		FcChar8 *file = NULL;
		FcBool scalable = FcFalse;
		if (FcPatternGetString(match, FC_FILE, 0, &file) == FcResultMatch &&
		    FcPatternGetBool(match, FC_SCALABLE, 0, &scalable) == FcResultMatch &&
		    scalable && path_exists((const char *)file))
			path = xstrdup((const char *)file);
		FcPatternDestroy(match);
	}
	FcPatternDestroy(pat);
	return path;
}

/* A private configuration, destroyed after the look-up: fontconfig's
 * global one lives until exit and shows up as a leak under ASan. */
static FcConfig *config_open(void)
{
	return FcInitLoadConfigAndFonts();
}

char *text_find_font(const char *pattern)
{
	FcConfig *cfg = config_open();
	if (!cfg)
		return NULL;
	char *path = find_font(cfg, pattern);
	FcConfigDestroy(cfg);
	return path;
}

struct text *text_create(SDL_Renderer *r, const char *font_path, char **error)
{
	*error = NULL;
	if (TTF_Init() != 0) {
		*error = xasprintf(_("cannot initialise SDL2_ttf: %s"), TTF_GetError());
		return NULL;
	}
	struct text *t = xcalloc(1, sizeof(*t));
	t->renderer = r;
	if (font_path) {
		t->regular_path = xstrdup(font_path);
		t->bold_path = xstrdup(font_path);
	} else {
		/* DejaVu first: it is the declared dependency and covers the
		 * arrows and symbols the menu uses; any sans face otherwise. */
		FcConfig *cfg = config_open();
		if (cfg) {
			t->regular_path = find_font(cfg, "DejaVu Sans");
			if (!t->regular_path)
				t->regular_path = find_font(cfg, "sans-serif");
			t->bold_path = find_font(cfg, "DejaVu Sans:bold");
			if (!t->bold_path)
				t->bold_path = find_font(cfg, "sans-serif:bold");
			FcConfigDestroy(cfg);
		}
		if (!t->bold_path)
			t->bold_path = xstrdup(t->regular_path);
	}
	TTF_Font *probe = t->regular_path ? TTF_OpenFont(t->regular_path, 12) : NULL;
	if (!probe) {
		if (t->regular_path)
			*error = xasprintf(_("cannot open the font %s: %s"),
					   t->regular_path, TTF_GetError());
		else
			*error = xstrdup(_("no scalable font found through fontconfig "
					   "(install the Debian package fonts-dejavu-core)"));
		text_destroy(t);
		return NULL;
	}
	TTF_CloseFont(probe);
	return t;
}

void text_flush(struct text *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < TEXT_CACHE_SIZE; i++) {
		struct cached_text *c = &t->texts[i];
		if (c->tex)
			SDL_DestroyTexture(c->tex);
		free(c->utf8);
		memset(c, 0, sizeof(*c));
	}
}

void text_destroy(struct text *t)
{
	if (!t)
		return;
	text_flush(t);
	for (size_t i = 0; i < FONT_CACHE_SIZE; i++)
		if (t->fonts[i].font)
			TTF_CloseFont(t->fonts[i].font);
	free(t->regular_path);
	free(t->bold_path);
	free(t);
	TTF_Quit();
}

SDL_Renderer *text_renderer(const struct text *t)
{
	return t->renderer;
}

const char *text_font_path(const struct text *t)
{
	return t->regular_path;
}

static TTF_Font *font_get(struct text *t, int px, bool bold)
{
	if (px < 4)
		px = 4;
	struct cached_font *victim = &t->fonts[0];
	for (size_t i = 0; i < FONT_CACHE_SIZE; i++) {
		struct cached_font *f = &t->fonts[i];
		if (f->font && f->px == px && f->bold == bold) {
			f->used = ++t->clock;
			return f->font;
		}
		if (!f->font || (victim->font && f->used < victim->used))
			victim = f;
	}
	/* SDL2_ttf sizes are points at 72 dpi, i.e. pixels per em. */
	TTF_Font *font = TTF_OpenFont(bold ? t->bold_path : t->regular_path, px);
	if (!font) {
		log_error(_("cannot open the font %s at %d px: %s"),
			  bold ? t->bold_path : t->regular_path, px, TTF_GetError());
		return NULL;
	}
	if (victim->font)
		TTF_CloseFont(victim->font);
	TTF_SetFontHinting(font, TTF_HINTING_LIGHT);
	*victim = (struct cached_font){ font, px, bold, ++t->clock };
	return font;
}

int text_line_height(struct text *t, int px, bool bold)
{
	TTF_Font *f = font_get(t, px, bold);
	return f ? TTF_FontLineSkip(f) : px;
}

int text_width(struct text *t, int px, bool bold, const char *utf8)
{
	TTF_Font *f = font_get(t, px, bold);
	int w = 0;
	if (!f || !utf8 || !*utf8 || TTF_SizeUTF8(f, utf8, &w, NULL) != 0)
		return 0;
	return w;
}

static bool color_eq(SDL_Color a, SDL_Color b)
{
	return a.r == b.r && a.g == b.g && a.b == b.b && a.a == b.a;
}

static struct cached_text *texture_get(struct text *t, int px, bool bold,
				       const char *utf8, SDL_Color color)
{
	struct cached_text *victim = &t->texts[0];
	for (size_t i = 0; i < TEXT_CACHE_SIZE; i++) {
		struct cached_text *c = &t->texts[i];
		if (c->utf8 && c->px == px && c->bold == bold &&
		    color_eq(c->color, color) && !strcmp(c->utf8, utf8)) {
			c->used = ++t->clock;
			return c;
		}
		if (!c->utf8 || (victim->utf8 && c->used < victim->used))
			victim = c;
	}
	TTF_Font *f = font_get(t, px, bold);
	if (!f)
		return NULL;
	SDL_Surface *s = TTF_RenderUTF8_Blended(f, utf8, color);
	if (!s) {
		log_error(_("cannot render text: %s"), TTF_GetError());
		return NULL;
	}
	SDL_Texture *tex = SDL_CreateTextureFromSurface(t->renderer, s);
	int w = s->w, h = s->h;
	SDL_FreeSurface(s);
	if (!tex) {
		log_error(_("cannot create a text texture: %s"), SDL_GetError());
		return NULL;
	}
	SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_BLEND);
	if (victim->tex)
		SDL_DestroyTexture(victim->tex);
	free(victim->utf8);
	*victim = (struct cached_text){ xstrdup(utf8), px, bold, color, tex, w, h,
					++t->clock };
	return victim;
}

int text_draw(struct text *t, int px, bool bold, const char *utf8, int x,
	      int y, SDL_Color color)
{
	if (!utf8 || !*utf8)
		return 0;
	struct cached_text *c = texture_get(t, px, bold, utf8, color);
	if (!c)
		return 0;
	SDL_Rect dst = { x, y, c->w, c->h };
	SDL_RenderCopy(t->renderer, c->tex, NULL, &dst);
	return c->w;
}

/* Byte offsets of UTF-8 code point starts, so cuts never split a
 * character. */
static bool utf8_is_start(unsigned char c)
{
	return (c & 0xC0) != 0x80;
}

char *text_ellipsize(struct text *t, int px, bool bold, const char *utf8,
		     int max_w, bool keep_end)
{
	static const char ellipsis[] = "\xE2\x80\xA6";   /* U+2026 */
	if (text_width(t, px, bold, utf8) <= max_w)
		return xstrdup(utf8);
	size_t len = strlen(utf8);
	/* Binary search over how many bytes to keep, moved to code point
	 * boundaries; the width grows with the kept part. */
	size_t lo = 0, hi = len;
	char *best = xstrdup(ellipsis);
	while (lo < hi) {
		size_t mid = (lo + hi + 1) / 2;
		char *cand;
		if (keep_end) {
			size_t start = len - mid;
			while (start < len && !utf8_is_start((unsigned char)utf8[start]))
				start++;
			cand = xasprintf("%s%s", ellipsis, utf8 + start);
		} else {
			size_t n = mid;
			while (n > 0 && !utf8_is_start((unsigned char)utf8[n]))
				n--;
			cand = xasprintf("%.*s%s", (int)n, utf8, ellipsis);
		}
		if (text_width(t, px, bold, cand) <= max_w) {
			free(best);
			best = cand;
			lo = mid;
		} else {
			free(cand);
			hi = mid - 1;
		}
	}
	return best;
}

void text_wrap(struct text *t, int px, bool bold, const char *s, int max_w,
	       int max_lines, struct strv *out)
{
	char *copy = xstrdup(s);
	char *line = NULL;
	char *save = NULL;
	for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		char *cand = line ? xasprintf("%s %s", line, w) : xstrdup(w);
		if (line && text_width(t, px, bold, cand) > max_w) {
			if ((int)out->n == max_lines - 1) {
				/* The last line: the rest, cut at its end. */
				free(cand);
				char *rest = xasprintf("%s %s%s%s", line, w, save && *save ? " " : "",
						       save ? save : "");
				char *cut = text_ellipsize(t, px, bold, rest, max_w, false);
				strv_push(out, cut);
				free(cut);
				free(rest);
				free(line);
				free(copy);
				return;
			}
			strv_push(out, line);
			free(cand);
			cand = xstrdup(w);
		}
		free(line);
		line = cand;
		if (text_width(t, px, bold, line) > max_w) {
			char *cut = text_ellipsize(t, px, bold, line, max_w, true);
			free(line);
			line = cut;
		}
	}
	if (line)
		strv_push(out, line);
	free(line);
	free(copy);
}

/* Pushes word to out in pieces no wider than max_w, each at least one
 * character (UTF-8 sequences stay whole); the last piece, which may take
 * more words, is returned. */
static char *break_word(struct text *t, int px, bool bold, const char *word,
			int max_w, struct strv *out)
{
	const char *p = word;
	for (;;) {
		size_t fit = 0, at = 0;
		while (p[at]) {
			size_t next = at + 1;
			while (p[next] && ((unsigned char)p[next] & 0xC0) == 0x80)
				next++;
			char *cand = xstrndup(p, next);
			bool ok = text_width(t, px, bold, cand) <= max_w;
			free(cand);
			if (!ok && fit)
				break;
			fit = at = next;
		}
		if (!p[fit])
			return xstrdup(p);
		char *piece = xstrndup(p, fit);
		strv_push(out, piece);
		free(piece);
		p += fit;
	}
}

void text_wrap_all(struct text *t, int px, bool bold, const char *s,
		   int max_w, struct strv *out)
{
	const char *p = s;
	do {
		size_t n = strcspn(p, "\n");
		char *para = xstrndup(p, n);
		char *line = NULL;
		for (char *save = NULL, *w = strtok_r(para, " ", &save); w;
		     w = strtok_r(NULL, " ", &save)) {
			char *cand = line ? xasprintf("%s %s", line, w) : xstrdup(w);
			if (text_width(t, px, bold, cand) <= max_w) {
				free(line);
				line = cand;
				continue;
			}
			free(cand);
			if (line)
				strv_push(out, line);
			free(line);
			line = break_word(t, px, bold, w, max_w, out);
		}
		strv_push(out, line ? line : "");
		free(line);
		free(para);
		p += n;
	} while (*p++ == '\n');
}
