/* The window and what is drawn in it. The guest picture lives in one
 * streaming XRGB8888 texture (QEMU's native format, no conversion); each
 * VNC update uploads only its dirty rectangle. The window is presented
 * only when something changed, so a still guest costs nothing. */
#include "player/render.h"

#include "base/i18n.h"
#include "base/log.h"
#include "base/util.h"
#include "player/text.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct render {
	SDL_Window *win;
	SDL_Renderer *ren;
	SDL_Texture *tex;
	/* With SDL's software renderer a streaming texture is a surface in
	 * our memory that stays put while the texture lives: the guest
	 * picture is written straight into it (render_frame_memory). NULL
	 * with other renderers, whose locks are staging copies. */
	uint8_t *tex_pixels;
	bool software;
	int gw, gh;            /* guest screen size; 0 before the first */
	bool tex_valid;        /* the texture holds a picture (after upload) */
	bool dirty;
	enum scale_mode scale;
	/* the guest changed size while the window could not follow (full
	 * screen): follow it once the window is back */
	bool fit_pending;
	bool recheck_inside;   /* see render_set_fullscreen */
	uint64_t frames;

	render_hook_fn hook;
	void *hook_user;

	SDL_Cursor *cursor;

	bool dim;              /* the picture darkened (paused) */
	char *message;
	int message_top;       /* first line shown of a long message */
	int message_lines;     /* at the last draw: lines in all, and how */
	int message_shown;     /* many fit (== lines: no scrolling) */
	struct text *text;     /* the overlay's text renderer, or NULL */
};

static void output_size(const struct render *r, int *w, int *h)
{
	if (SDL_GetRendererOutputSize(r->ren, w, h) != 0)
		SDL_GetWindowSize(r->win, w, h);
}

/* Drawable pixels per window unit (2 on a HiDPI screen with scaling). */
static void pixel_ratio(const struct render *r, double *sx, double *sy)
{
	int ww, wh, ow, oh;
	SDL_GetWindowSize(r->win, &ww, &wh);
	output_size(r, &ow, &oh);
	*sx = ww > 0 ? (double)ow / ww : 1.0;
	*sy = wh > 0 ? (double)oh / wh : 1.0;
}

/* Without a GPU, "accelerated" means OpenGL emulated on the CPU
 * (llvmpipe): measured with `make bench` on Xvfb it costs about four times
 * the CPU per frame of SDL's software renderer and loads 60 MB of LLVM.
 * So use the GPU renderers only when a DRM render node exists, unless the
 * user chose a renderer (SDL_RENDER_DRIVER). */
static bool want_gpu_renderer(void)
{
	const char *hint = SDL_GetHint(SDL_HINT_RENDER_DRIVER);
	if (hint && *hint)
		return strcmp(hint, "software") != 0;
	for (int i = 128; i < 136; i++) {
		char path[32];
		snprintf(path, sizeof(path), "/dev/dri/renderD%d", i);
		if (access(path, R_OK | W_OK) == 0)
			return true;
	}
	return false;
}

struct render *render_create(const char *title, int width, int height,
			     enum scale_mode scale, bool fullscreen,
			     char **error)
{
	Uint32 flags = SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI;
	if (fullscreen)
		flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
	/* Never bigger than the work area (a 640x480 screen): what it shows
	 * before the guest's first frame, an error, must be readable whole.
	 * The frame is not known yet; leave room for a usual one. */
	SDL_Rect usable;
	if (SDL_GetDisplayUsableBounds(0, &usable) == 0) {
		if (width > usable.w - 8)
			width = usable.w - 8;
		if (height > usable.h - 40)
			height = usable.h - 40;
	}
	SDL_Window *win = SDL_CreateWindow(title, SDL_WINDOWPOS_CENTERED,
					   SDL_WINDOWPOS_CENTERED, width,
					   height, flags);
	if (!win) {
		*error = xasprintf(_("cannot open a window: %s"), SDL_GetError());
		return NULL;
	}
	/* No vsync: we present at most once per guest update, and a blocking
	 * present would delay asking QEMU for the next one. */
	SDL_Renderer *ren = NULL;
	if (want_gpu_renderer())
		ren = SDL_CreateRenderer(win, -1, SDL_RENDERER_ACCELERATED);
	if (!ren) {
		/* SDL's X11 shared-memory framebuffer, not a GL texture */
		SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
		ren = SDL_CreateRenderer(win, -1, SDL_RENDERER_SOFTWARE);
	}
	if (!ren) {
		*error = xasprintf(_("cannot create a renderer: %s"), SDL_GetError());
		SDL_DestroyWindow(win);
		return NULL;
	}
	SDL_RendererInfo info = { .name = "" };
	if (SDL_GetRendererInfo(ren, &info) == 0)
		log_debug("renderer: %s", info.name);
	struct render *r = xcalloc(1, sizeof(*r));
	r->win = win;
	r->ren = ren;
	r->scale = scale;
	r->dirty = true;
	r->software = strcmp(info.name, "software") == 0;
	return r;
}

void render_destroy(struct render *r)
{
	if (!r)
		return;
	if (r->cursor) {
		SDL_SetCursor(SDL_GetDefaultCursor());
		SDL_FreeCursor(r->cursor);
	}
	free(r->message);
	if (r->tex)
		SDL_DestroyTexture(r->tex);
	SDL_DestroyRenderer(r->ren);
	SDL_DestroyWindow(r->win);
	free(r);
}

SDL_Window *render_window(const struct render *r)
{
	return r->win;
}

SDL_Renderer *render_renderer(const struct render *r)
{
	return r->ren;
}

void render_set_title(struct render *r, const char *title)
{
	SDL_SetWindowTitle(r->win, title);
}

static void apply_texture_filter(struct render *r)
{
	if (!r->tex)
		return;
	/* Whole-pixel modes stay sharp; free scaling is smoothed. */
	bool sharp = r->scale == SCALE_INTEGER || r->scale == SCALE_NONE;
	SDL_SetTextureScaleMode(r->tex, sharp ? SDL_ScaleModeNearest
					      : SDL_ScaleModeLinear);
}

/* Moves the window (client area w x h) back inside the display's usable
 * area, its frame included, when it sticks out: a window grown in place
 * can. */
static void keep_inside(struct render *r, int w, int h)
{
	SDL_Rect usable;
	int display = SDL_GetWindowDisplayIndex(r->win);
	if (display < 0 || SDL_GetDisplayUsableBounds(display, &usable) != 0)
		return;
	int top, left, bottom, right;
	if (SDL_GetWindowBordersSize(r->win, &top, &left, &bottom, &right) != 0)
		top = left = bottom = right = 0;
	int x, y;
	SDL_GetWindowPosition(r->win, &x, &y);
	int nx = x, ny = y;
	if (nx + w + right > usable.x + usable.w)
		nx = usable.x + usable.w - w - right;
	if (ny + h + bottom > usable.y + usable.h)
		ny = usable.y + usable.h - h - bottom;
	if (nx - left < usable.x)
		nx = usable.x + left;
	if (ny - top < usable.y)
		ny = usable.y + top;
	if (nx != x || ny != y)
		SDL_SetWindowPosition(r->win, nx, ny);
}

/* Resize the window so one guest pixel is one drawable pixel, when the
 * work area has room for it; else to the largest size that fits there
 * (issue 16: a guest mode larger than the screen never pushes the window
 * off it). */
static void fit_window_to_guest(struct render *r)
{
	Uint32 flags = SDL_GetWindowFlags(r->win);
	if (flags & (SDL_WINDOW_FULLSCREEN | SDL_WINDOW_FULLSCREEN_DESKTOP |
		     SDL_WINDOW_MAXIMIZED)) {
		r->fit_pending = true;
		return;
	}
	r->fit_pending = false;
	double sx, sy;
	pixel_ratio(r, &sx, &sy);
	int w = (int)(r->gw / sx + 0.5), h = (int)(r->gh / sy + 0.5);
	SDL_Rect usable;
	int display = SDL_GetWindowDisplayIndex(r->win);
	if (display >= 0 && SDL_GetDisplayUsableBounds(display, &usable) == 0) {
		int top, left, bottom, right;
		if (SDL_GetWindowBordersSize(r->win, &top, &left, &bottom,
					     &right) != 0)
			top = left = bottom = right = 0;
		int room_w = usable.w - left - right;
		int room_h = usable.h - top - bottom;
		if ((w > room_w || h > room_h) && room_w > 0 && room_h > 0) {
			/* too big for the work area: the largest window that
			 * fits, the guest's shape kept, the picture scaled */
			double k = (double)room_w / w;
			if ((double)room_h / h < k)
				k = (double)room_h / h;
			w = (int)(w * k);
			h = (int)(h * k);
		}
	}
	int cw, ch;
	SDL_GetWindowSize(r->win, &cw, &ch);
	if (cw != w || ch != h) {
		SDL_SetWindowSize(r->win, w, h);
		keep_inside(r, w, h);
	}
}

void render_guest_resized(struct render *r, int width, int height)
{
	if (r->tex && width == r->gw && height == r->gh) {
		r->tex_valid = false;
		r->dirty = true;
		return;
	}
	if (r->tex)
		SDL_DestroyTexture(r->tex);
	r->tex_pixels = NULL;
	r->tex = SDL_CreateTexture(r->ren, SDL_PIXELFORMAT_XRGB8888,
				   SDL_TEXTUREACCESS_STREAMING, width, height);
	if (!r->tex)
		log_error(_("cannot create a %dx%d texture: %s"), width, height,
			  SDL_GetError());
	void *px;
	int pitch;
	if (r->tex && r->software &&
	    SDL_LockTexture(r->tex, NULL, &px, &pitch) == 0) {
		/* SDL 2's software renderer hands out the texture's surface
		 * itself, not a staging copy, and unlocking uploads nothing:
		 * the pointer stays good while the texture lives */
		if (pitch == width * 4)
			r->tex_pixels = px;
		SDL_UnlockTexture(r->tex);
	}
	r->gw = width;
	r->gh = height;
	r->tex_valid = false;
	r->dirty = true;
	apply_texture_filter(r);
	fit_window_to_guest(r);
}

uint8_t *render_frame_memory(struct render *r, int width, int height,
			     int *pitch)
{
	if (!r->tex_pixels || width != r->gw || height != r->gh)
		return NULL;
	*pitch = width * 4;
	return r->tex_pixels;
}

void render_upload(struct render *r, const uint8_t *pixels, int pitch,
		   int x, int y, int w, int h)
{
	if (!r->tex || w <= 0 || h <= 0)
		return;
	if (r->tex_pixels && pixels == r->tex_pixels) {
		/* written in place (render_frame_memory) */
		r->tex_valid = true;
		r->dirty = true;
		return;
	}
	if (!r->tex_valid) {
		/* the first picture after a resize: take all of it */
		x = 0, y = 0, w = r->gw, h = r->gh;
	}
	SDL_Rect rect = { x, y, w, h };
	if (SDL_UpdateTexture(r->tex, &rect, pixels + (size_t)y * pitch +
				      (size_t)x * 4, pitch) != 0)
		log_debug("texture update: %s", SDL_GetError());
	r->tex_valid = true;
	r->dirty = true;
}

void render_invalidate(struct render *r)
{
	r->dirty = true;
}

bool render_needs_present(const struct render *r)
{
	return r->dirty;
}

void render_set_text(struct render *r, struct text *text)
{
	r->text = text;
	r->dirty = true;
}

/* A dark panel in the middle with the message, wrapped to the window with
 * nothing cut (long words broken); one taller than the window shows the
 * lines from message_top and a last line saying how to scroll. Without a
 * font the message still reaches stderr; the panel stays empty. */
static void draw_message(struct render *r, int ow, int oh)
{
	double sx, sy;
	pixel_ratio(r, &sx, &sy);
	int px = (int)((ow < 500 * sx ? 12 : 15) * sy + 0.5);
	int pad = (int)(12 * sx);
	struct strv lines = { 0 };
	int line_h = px, tw = ow / 2;
	size_t first = 0, shown = 0;
	char *footer = NULL;
	if (r->text) {
		text_wrap_all(r->text, px, false, r->message, ow - 4 * pad, &lines);
		line_h = text_line_height(r->text, px, false);
		int fit = (oh - 4 * pad) / (line_h > 0 ? line_h : 1);
		shown = lines.n;
		if ((int)lines.n > fit && fit >= 2) {
			shown = (size_t)fit - 1;   /* and the footer */
			int max_top = (int)(lines.n - shown);
			if (r->message_top > max_top)
				r->message_top = max_top;
			if (r->message_top < 0)
				r->message_top = 0;
			first = (size_t)r->message_top;
			footer = xasprintf(_("Lines %zu-%zu of %zu: Up/Down, Page Up/"
					   "Down or the wheel scroll"), first + 1,
					   first + shown, lines.n);
		}
		tw = footer ? text_width(r->text, px, false, footer) : 0;
		for (size_t i = first; i < first + shown; i++) {
			int w = text_width(r->text, px, false, lines.v[i]);
			if (w > tw)
				tw = w;
		}
		if (tw > ow - 4 * pad)
			tw = ow - 4 * pad;
	}
	r->message_lines = (int)lines.n;
	r->message_shown = (int)shown;
	int rows = (int)shown + (footer ? 1 : 0);
	int th = rows ? rows * line_h : line_h;
	SDL_Rect panel = { (ow - tw) / 2 - pad, (oh - th) / 2 - pad,
			   tw + 2 * pad, th + 2 * pad };
	SDL_SetRenderDrawBlendMode(r->ren, SDL_BLENDMODE_BLEND);
	SDL_SetRenderDrawColor(r->ren, 20, 20, 24, 235);
	SDL_RenderFillRect(r->ren, &panel);
	SDL_Color white = { 235, 235, 235, 255 }, dim = { 160, 170, 190, 255 };
	int y = (oh - th) / 2;
	for (size_t i = first; i < first + shown; i++, y += line_h)
		text_draw(r->text, px, false, lines.v[i], (ow - tw) / 2, y, white);
	if (footer)
		text_draw(r->text, px, false, footer, (ow - tw) / 2, y, dim);
	free(footer);
	strv_free(&lines);
}

void render_set_dim(struct render *r, bool on)
{
	if (r->dim != on) {
		r->dim = on;
		r->dirty = true;
	}
}

bool render_scroll_message(struct render *r, int delta)
{
	if (!r->message || r->message_shown >= r->message_lines)
		return false;
	int max_top = r->message_lines - r->message_shown;
	long top = delta == INT_MIN ? 0 : delta == INT_MAX
		? max_top : (long)r->message_top + delta;
	if (top < 0)
		top = 0;
	if (top > max_top)
		top = max_top;
	if (top != r->message_top) {
		r->message_top = (int)top;
		r->dirty = true;
	}
	return true;
}

void render_present(struct render *r)
{
	int ow, oh;
	output_size(r, &ow, &oh);
	SDL_SetRenderDrawColor(r->ren, 0, 0, 0, 255);
	if (r->tex && r->tex_valid && r->gw > 0 && r->gh > 0) {
		struct rect v = viewport_compute(r->scale, r->gw, r->gh, ow, oh);
		/* black bars only where the picture does not cover the output:
		 * clearing all of it costs a full-window fill per frame */
		SDL_Rect bars[4];
		int nb = 0;
		int top = v.y > 0 ? v.y : 0, bottom = v.y + v.h < oh ? v.y + v.h : oh;
		if (v.y > 0)
			bars[nb++] = (SDL_Rect){ 0, 0, ow, v.y };
		if (v.y + v.h < oh)
			bars[nb++] = (SDL_Rect){ 0, v.y + v.h, ow, oh - v.y - v.h };
		if (v.x > 0)
			bars[nb++] = (SDL_Rect){ 0, top, v.x, bottom - top };
		if (v.x + v.w < ow)
			bars[nb++] = (SDL_Rect){ v.x + v.w, top, ow - v.x - v.w,
						 bottom - top };
		if (nb)
			SDL_RenderFillRects(r->ren, bars, nb);
		SDL_Rect dst = { v.x, v.y, v.w, v.h };
		SDL_RenderCopy(r->ren, r->tex, NULL, &dst);
	} else {
		SDL_RenderClear(r->ren);
	}
	if (r->dim) {
		SDL_SetRenderDrawBlendMode(r->ren, SDL_BLENDMODE_BLEND);
		SDL_SetRenderDrawColor(r->ren, 0, 0, 0, 150);
		SDL_RenderFillRect(r->ren, NULL);
	}
	if (r->message)
		draw_message(r, ow, oh);
	if (r->hook)
		r->hook(r->hook_user, r->ren, ow, oh);
	SDL_RenderPresent(r->ren);
	r->frames++;
	r->dirty = false;
}

uint64_t render_frames(const struct render *r)
{
	return r->frames;
}

void render_set_hook(struct render *r, render_hook_fn fn, void *user)
{
	r->hook = fn;
	r->hook_user = user;
	r->dirty = true;
}

enum scale_mode render_scale(const struct render *r)
{
	return r->scale;
}

void render_set_scale(struct render *r, enum scale_mode mode)
{
	r->scale = mode;
	apply_texture_filter(r);
	r->dirty = true;
}

bool render_fullscreen(const struct render *r)
{
	return SDL_GetWindowFlags(r->win) &
	       (SDL_WINDOW_FULLSCREEN | SDL_WINDOW_FULLSCREEN_DESKTOP);
}

void render_set_fullscreen(struct render *r, bool on)
{
	if (SDL_SetWindowFullscreen(r->win, on ? SDL_WINDOW_FULLSCREEN_DESKTOP
					       : 0) != 0)
		log_warn(on ? _("full-screen on failed: %s")
			    : _("full-screen off failed: %s"), SDL_GetError());
	if (!on && r->fit_pending) {
		/* started full-screen, or the guest switched modes meanwhile:
		 * the window manager gives back the old windowed size, not the
		 * guest's. Placing it used the frame of the full-screen window
		 * (none): check again once the window manager framed it. */
		fit_window_to_guest(r);
		r->recheck_inside = true;
	}
	r->dirty = true;
}

void render_window_changed(struct render *r)
{
	r->dirty = true;
	if (!r->recheck_inside || render_fullscreen(r))
		return;
	int top, left, bottom, right, w, h;
	if (SDL_GetWindowBordersSize(r->win, &top, &left, &bottom, &right) != 0 ||
	    top + left + bottom + right == 0)
		return;   /* not framed (yet) */
	r->recheck_inside = false;
	SDL_GetWindowSize(r->win, &w, &h);
	keep_inside(r, w, h);
}

bool render_to_guest(const struct render *r, int wx, int wy, int *gx, int *gy)
{
	if (r->gw <= 0 || r->gh <= 0) {
		*gx = *gy = 0;
		return false;
	}
	int ow, oh;
	output_size(r, &ow, &oh);
	double sx, sy;
	pixel_ratio(r, &sx, &sy);
	struct rect v = viewport_compute(r->scale, r->gw, r->gh, ow, oh);
	return viewport_to_guest(v, r->gw, r->gh, (int)(wx * sx),
				 (int)(wy * sy), gx, gy);
}

void render_set_cursor(struct render *r, const uint32_t *argb, int w, int h,
		       int hot_x, int hot_y)
{
	SDL_Cursor *c = NULL;
	if (argb && w > 0 && h > 0) {
		SDL_Surface *s = SDL_CreateRGBSurfaceWithFormatFrom(
			(void *)argb, w, h, 32, w * 4, SDL_PIXELFORMAT_ARGB8888);
		if (s) {
			c = SDL_CreateColorCursor(s, hot_x, hot_y);
			SDL_FreeSurface(s);
		}
	}
	SDL_SetCursor(c ? c : SDL_GetDefaultCursor());
	if (r->cursor)
		SDL_FreeCursor(r->cursor);
	r->cursor = c;
}

void render_set_message(struct render *r, const char *text)
{
	if (text && r->message && strcmp(text, r->message) == 0)
		return;
	free(r->message);
	r->message = xstrdup(text);
	r->message_top = 0;
	r->message_lines = r->message_shown = 0;
	r->dirty = true;
	/* Tests follow the notes over the guest through this line. */
	log_debug("screen message: %s", text ? text : "(none)");
}
