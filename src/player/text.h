/* Text on an SDL renderer through SDL2_ttf, with a system font that
 * fontconfig finds (DejaVu Sans from fonts-dejavu-core on Debian).
 *
 * Sizes are in output (drawable) pixels, not window points: callers pass
 * the size they want on screen multiplied by the HiDPI scale, so glyphs are
 * rasterised at the resolution they are shown at and stay crisp. Rendered
 * strings are cached as textures, so redrawing an unchanged menu costs
 * copies only. */
#ifndef VMPLAY_TEXT_H
#define VMPLAY_TEXT_H

#include "base/util.h"

#include <SDL2/SDL_pixels.h>
#include <SDL2/SDL_render.h>
#include <stdbool.h>

struct text;

/* The file of the best scalable font fontconfig has for a pattern such as
 * "DejaVu Sans" or "sans-serif:bold", or NULL. Caller frees. */
char *text_find_font(const char *pattern);

/* A text renderer drawing on r. font_path NULL: the regular and bold sans
 * fonts fontconfig finds. NULL with *error (malloc'd, says what is missing
 * and which Debian package provides it) when no usable font exists. */
struct text *text_create(SDL_Renderer *r, const char *font_path, char **error);
void text_destroy(struct text *t);   /* accepts NULL */

/* The renderer t draws on. */
SDL_Renderer *text_renderer(const struct text *t);

/* The path of the regular font in use (owned by t). */
const char *text_font_path(const struct text *t);

/* Line height (ascent + descent + gap) of the font at px pixels. */
int text_line_height(struct text *t, int px, bool bold);
/* Width in pixels of utf8 at px pixels; 0 for "" or on failure. */
int text_width(struct text *t, int px, bool bold, const char *utf8);

/* Draws utf8 with its top-left corner at (x, y) in output pixels and
 * returns the width drawn. Blended (anti-aliased, alpha) rendering. */
int text_draw(struct text *t, int px, bool bold, const char *utf8, int x,
	      int y, SDL_Color color);

/* utf8 shortened with an ellipsis to fit max_w pixels. keep_end keeps the
 * end of the string (file paths: the name matters most), otherwise the
 * start. Returns a malloc'd copy even when nothing was cut. */
char *text_ellipsize(struct text *t, int px, bool bold, const char *utf8,
		     int max_w, bool keep_end);

/* Splits utf8 into at most max_lines lines (max_lines <= 0: no limit) no
 * wider than max_w, at spaces, pushed to out. A word too long for a line
 * (a path) keeps its end, where the file name is; a last line that cannot
 * hold the rest ends with an ellipsis. */
void text_wrap(struct text *t, int px, bool bold, const char *utf8, int max_w,
	       int max_lines, struct strv *out);

/* Drops every cached texture (call after the renderer was reset, e.g. on
 * SDL_RENDER_TARGETS_RESET / SDL_RENDER_DEVICE_RESET). */
void text_flush(struct text *t);

#endif
