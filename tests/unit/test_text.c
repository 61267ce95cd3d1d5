/* Text: a font through fontconfig, sizes in output pixels (HiDPI: twice
 * the pixels, twice the width), ellipsizing at code point boundaries,
 * drawing, and a clear error for a missing font. */
#include "base/util.h"
#include "player/text.h"
#include "test.h"

#include <SDL2/SDL.h>
#include <SDL2/SDL_ttf.h>
#include <stdlib.h>

static SDL_Surface *surf;
static SDL_Renderer *rend;
static struct text *txt;

static void test_font_found(void)
{
	char *path = text_find_font("sans-serif");
	CHECK(path != NULL);
	CHECK(path && path_exists(path));
	free(path);
	CHECK(txt != NULL);
	if (txt)
		CHECK_CONTAINS(text_font_path(txt), "/");
}

static void test_missing_font(void)
{
	char *err = NULL;
	struct text *t = text_create(rend, "/nonexistent/font.ttf", &err);
	CHECK(t == NULL);
	CHECK_CONTAINS(err, "/nonexistent/font.ttf");
	free(err);
	text_destroy(NULL);
}

static void test_metrics_scale(void)
{
	if (!txt)
		return;
	int w12 = text_width(txt, 12, false, "Snapshots");
	int w24 = text_width(txt, 24, false, "Snapshots");
	CHECK(w12 > 20);
	CHECK(w24 >= 2 * w12 - 4 && w24 <= 2 * w12 + 4);
	CHECK(text_line_height(txt, 24, false) > text_line_height(txt, 12, false));
	CHECK(text_width(txt, 12, true, "Snapshots") >= w12);
	CHECK_INT(text_width(txt, 12, false, ""), 0);
}

struct ell_case {
	const char *s;
	int max_w_chars;   /* in widths of "M" at 14 px */
	bool keep_end;
	const char *must_start;
	const char *must_end;
};

static const struct ell_case ell_cases[] = {
	{ "short", 40, false, "short", "short" },
	{ "/home/user/.VM/debian/debian-12.5.0-amd64-netinst.iso", 12, true,
	  "\xE2\x80\xA6", "netinst.iso" },
	{ "A rather long menu label that does not fit", 10, false, "A rather",
	  "\xE2\x80\xA6" },
	{ "ééééééééééééééééééééééééééééééé", 5, false, "é", "\xE2\x80\xA6" },
	{ "ééééééééééééééééééééééééééééééé", 5, true, "\xE2\x80\xA6", "é" },
};

static bool valid_utf8(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		int n = *p < 0x80 ? 1 : (*p >> 5) == 6 ? 2 : (*p >> 4) == 14 ? 3
			: (*p >> 3) == 30 ? 4 : 0;
		if (!n)
			return false;
		for (int i = 1; i < n; i++)
			if ((p[i] & 0xC0) != 0x80)
				return false;
		p += n;
	}
	return true;
}

static void test_ellipsize(void)
{
	if (!txt)
		return;
	int m = text_width(txt, 14, false, "M");
	for (size_t i = 0; i < ARRAY_SIZE(ell_cases); i++) {
		const struct ell_case *c = &ell_cases[i];
		int max_w = c->max_w_chars * m;
		char *got = text_ellipsize(txt, 14, false, c->s, max_w, c->keep_end);
		size_t gl = strlen(got), el = strlen(c->must_end);
		bool ok = text_width(txt, 14, false, got) <= max_w &&
			  !strncmp(got, c->must_start, strlen(c->must_start)) &&
			  gl >= el && !strcmp(got + gl - el, c->must_end) &&
			  valid_utf8(got);
		if (!ok) {
			printf("  case %zu: got \"%s\"\n", i, got);
			test_current_failed = 1;
		}
		free(got);
	}
}

struct wrap_case {
	const char *s;
	int max_w_chars;     /* in widths of "M" at 14 px */
	int max_lines;
	int want_lines;          /* -N: at least N */
	const char *last_ends;   /* the last line ends with this */
};

static const struct wrap_case wrap_cases[] = {
	{ "short", 40, 3, 1, "short" },
	{ "", 40, 3, 0, NULL },
	{ "one two three four five six seven eight nine ten", 10, 0, -3, "ten" },
	{ "one two three four five six seven eight nine ten", 10, 2, 2, "\xE2\x80\xA6" },
	{ "Screenshot saved to /home/user/Pictures/a/very/deep/folder/demo-20261127-104200.png",
	  20, 3, 2, "demo-20261127-104200.png" },
};

static void test_wrap(void)
{
	if (!txt)
		return;
	int m = text_width(txt, 14, false, "M");
	for (size_t i = 0; i < ARRAY_SIZE(wrap_cases); i++) {
		const struct wrap_case *c = &wrap_cases[i];
		struct strv lines = { 0 };
		text_wrap(txt, 14, false, c->s, c->max_w_chars * m, c->max_lines, &lines);
		bool ok = c->want_lines < 0 ? (int)lines.n >= -c->want_lines
					  : (int)lines.n == c->want_lines;
		for (size_t k = 0; ok && k < lines.n; k++)
			ok = text_width(txt, 14, false, lines.v[k]) <= c->max_w_chars * m &&
			     valid_utf8(lines.v[k]);
		if (ok && c->last_ends) {
			const char *last = lines.v[lines.n - 1];
			size_t a = strlen(last), b = strlen(c->last_ends);
			ok = a >= b && !strcmp(last + a - b, c->last_ends);
		}
		if (!ok) {
			printf("  case %zu: %zu lines:", i, lines.n);
			for (size_t k = 0; k < lines.n; k++)
				printf(" [%s]", lines.v[k]);
			printf("\n");
			test_current_failed = 1;
		}
		strv_free(&lines);
	}
}

/* QEMU's error in the stopped window (issue 16 item 6): every line fits,
 * nothing is lost (a long path is broken, not cut), newlines are kept. */
static void test_wrap_all(void)
{
	if (!txt)
		return;
	static const char *const texts[] = {
		"qemu-system-x86_64: -blockdev driver=file,filename=/home/someone/"
		"a/very/long/folder/name/that/goes/on/system.qcow2,node-name=f0: "
		"Failed to get \"write\" lock\nIs another process using the "
		"image [/home/someone/a/very/long/folder/name/that/goes/on/"
		"system.qcow2]?\n\nClose the window to quit.",
		"ééééééééééééééééééééééééééééééééééééééééééééé short",
		"",
		"one\n\ntwo",
	};
	int max_w = 20 * text_width(txt, 14, false, "M");
	for (size_t i = 0; i < ARRAY_SIZE(texts); i++) {
		struct strv lines = { 0 };
		text_wrap_all(txt, 14, false, texts[i], max_w, &lines);
		/* Joined again (a space or a newline where lines were split,
		 * nothing where a word was broken), only blanks differ. */
		char *joined = xstrdup("");
		for (size_t k = 0; k < lines.n; k++) {
			CHECK(text_width(txt, 14, false, lines.v[k]) <= max_w);
			CHECK(valid_utf8(lines.v[k]));
			char *more = xasprintf("%s%s", joined, lines.v[k]);
			free(joined);
			joined = more;
		}
		char *want = xstrdup(texts[i]);
		char *strip[] = { want, joined };
		for (size_t j = 0; j < 2; j++) {
			size_t w = 0;
			for (size_t k = 0; strip[j][k]; k++)
				if (strip[j][k] != ' ' && strip[j][k] != '\n')
					strip[j][w++] = strip[j][k];
			strip[j][w] = '\0';
		}
		CHECK_STR(joined, want);
		free(want);
		free(joined);
		strv_free(&lines);
	}
	struct strv lines = { 0 };
	text_wrap_all(txt, 14, false, "one\n\ntwo", max_w, &lines);
	CHECK_INT(lines.n, 3);
	strv_free(&lines);
}

static void test_draw(void)
{
	if (!txt)
		return;
	SDL_SetRenderDrawColor(rend, 0, 0, 0, 255);
	SDL_RenderClear(rend);
	int w = text_draw(txt, 20, false, "vmplay ‹ › ● ○ …", 4, 4,
			  (SDL_Color){ 255, 255, 255, 255 });
	CHECK(w > 50);
	/* Twice the same string: drawn from the cache, same pixels. */
	int w2 = text_draw(txt, 20, false, "vmplay ‹ › ● ○ …", 4, 40,
			   (SDL_Color){ 255, 255, 255, 255 });
	CHECK_INT(w2, w);
	SDL_LockSurface(surf);
	int lit1 = 0, lit2 = 0, same = 1;
	for (int y = 0; y < 30; y++)
		for (int x = 0; x < 300; x++) {
			uint32_t *row = (uint32_t *)((char *)surf->pixels + (y + 4) * surf->pitch);
			uint32_t *row2 = (uint32_t *)((char *)surf->pixels + (y + 40) * surf->pitch);
			lit1 += (row[x] & 0xff) > 128;
			lit2 += (row2[x] & 0xff) > 128;
			same &= row[x] == row2[x];
		}
	SDL_UnlockSurface(surf);
	CHECK(lit1 > 100);
	CHECK_INT(lit1, lit2);
	CHECK(same);
	text_flush(txt);
	CHECK_INT(text_draw(txt, 20, false, "", 0, 0, (SDL_Color){ 0 }), 0);
}

/* Spanish (issue 13): the face fontconfig gives has every letter and
 * sign the translation uses, and draws them (no empty boxes). */
static void test_spanish_glyphs(void)
{
	if (!txt)
		return;
	TTF_Font *f = TTF_OpenFont(text_font_path(txt), 20);
	CHECK(f != NULL);
	if (!f)
		return;
	static const Uint32 needed[] = { 0xE1, 0xE9, 0xED, 0xF3, 0xFA, 0xF1,
					 0xFC, 0xC1, 0xC9, 0xCD, 0xD3, 0xDA,
					 0xD1, 0xDC, 0xBF, 0xA1, 0xAB, 0xBB,
					 0x2026, 0x2190, 0x2192, 0x25C2, 0x25B8 };
	for (size_t i = 0; i < sizeof(needed) / sizeof(needed[0]); i++) {
		if (!TTF_GlyphIsProvided32(f, needed[i]))
			printf("  U+%04X is not in %s\n", (unsigned)needed[i],
			       text_font_path(txt));
		CHECK(TTF_GlyphIsProvided32(f, needed[i]));
	}
	TTF_CloseFont(f);
	/* "ñ" measures as one character, not as two bytes of something
	 * else (a pixel of rounding either way) */
	int one = text_width(txt, 20, false, "ñ");
	int two = text_width(txt, 20, false, "ññ");
	CHECK(one > 4);
	CHECK(two >= 2 * one - 2 && two <= 2 * one + 2);
	int w = text_draw(txt, 20, true, "¿Forzar el apagado? Sí, ñandú", 4, 80,
			  (SDL_Color){ 255, 255, 255, 255 });
	CHECK(w > 100);
}

int main(void)
{
	surf = SDL_CreateRGBSurfaceWithFormat(0, 320, 120, 32, SDL_PIXELFORMAT_XRGB8888);
	rend = SDL_CreateSoftwareRenderer(surf);
	char *err = NULL;
	txt = text_create(rend, NULL, &err);
	if (!txt)
		printf("  text_create: %s\n", err);
	free(err);
	RUN(test_font_found);
	RUN(test_missing_font);
	RUN(test_metrics_scale);
	RUN(test_ellipsize);
	RUN(test_wrap);
	RUN(test_wrap_all);
	RUN(test_draw);
	RUN(test_spanish_glyphs);
	text_destroy(txt);
	SDL_DestroyRenderer(rend);
	SDL_FreeSurface(surf);
	return TEST_REPORT();
}
