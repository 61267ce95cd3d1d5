/* The player window: SDL window and renderer, one streaming XRGB8888
 * texture holding the guest screen, scaling modes (viewport.c), HiDPI,
 * full-screen, the guest cursor, a message screen, and a draw hook for the
 * overlay menu. Presents only when something changed. */
#ifndef VMPLAY_RENDER_H
#define VMPLAY_RENDER_H

#include "player/viewport.h"
#include "vm/config.h"

#include <SDL2/SDL.h>
#include <stdbool.h>
#include <stdint.h>

struct render;

/* Drawn after the guest picture (and the message), before presenting:
 * out_w x out_h is the drawable size in pixels. */
typedef void (*render_hook_fn)(void *user, SDL_Renderer *ren, int out_w,
			       int out_h);

/* Opens the window (resizable, HiDPI-aware) at width x height window units,
 * full-screen (desktop mode) when asked. NULL with *error on failure. */
struct render *render_create(const char *title, int width, int height,
			     enum scale_mode scale, bool fullscreen,
			     char **error);
void render_destroy(struct render *r);   /* accepts NULL */

SDL_Window *render_window(const struct render *r);
SDL_Renderer *render_renderer(const struct render *r);

void render_set_title(struct render *r, const char *title);

/* The guest screen is now width x height: a new texture, and the window
 * follows at 1:1 when it is not full-screen or maximized and the guest
 * fits the display (the first time: always, when it fits). Draws black
 * until the next upload. */
void render_guest_resized(struct render *r, int width, int height);

/* Memory for the guest picture (width x height XRGB8888, *pitch bytes
 * per row) that is the texture itself, so writing there needs no upload;
 * valid until the next render_guest_resized. NULL when the renderer has
 * no such memory (GPU renderers) or the size is not the texture's: then
 * keep the picture elsewhere and render_upload it. */
uint8_t *render_frame_memory(struct render *r, int width, int height,
			     int *pitch);

/* Uploads the changed rectangle of the guest frame (XRGB8888, pitch bytes
 * per row) and marks the window for presenting. Pixels from
 * render_frame_memory are already in place: nothing is copied. */
void render_upload(struct render *r, const uint8_t *pixels, int pitch,
		   int x, int y, int w, int h);

/* Something else changed (expose, window size, overlay): present again. */
void render_invalidate(struct render *r);
bool render_needs_present(const struct render *r);
/* Clears, draws the guest picture, the message, the hook; presents.
 * Counts presented frames (render_frames). */
void render_present(struct render *r);
uint64_t render_frames(const struct render *r);

void render_set_hook(struct render *r, render_hook_fn fn, void *user);

enum scale_mode render_scale(const struct render *r);
void render_set_scale(struct render *r, enum scale_mode mode);
bool render_fullscreen(const struct render *r);
void render_set_fullscreen(struct render *r, bool on);
/* The window system moved, resized, showed... the window: draws again,
 * and keeps a window that just left full-screen inside the display once
 * the window manager gave it back its frame. */
void render_window_changed(struct render *r);

/* Maps a window point (SDL mouse coordinates, in window units) to the
 * guest pixel under it, clamped; false when outside the picture. */
bool render_to_guest(const struct render *r, int wx, int wy, int *gx,
		     int *gy);

/* The guest's cursor shape as the local cursor (ARGB8888), or NULL/w == 0
 * to go back to the system cursor. */
void render_set_cursor(struct render *r, const uint32_t *argb, int w, int h,
		       int hot_x, int hot_y);

/* A centred text panel over the picture (QEMU's error text, "Shutting
 * down..."), NULL to remove it. The text is copied. */
void render_set_message(struct render *r, const char *text);

/* The fonts for the message (text.c, shared with the overlay); NULL draws
 * an empty panel. Owned by the caller, who keeps it alive while set. */
struct text;
void render_set_text(struct render *r, struct text *text);

#endif
