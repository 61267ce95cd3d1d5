/* A stand-in for the player, to try the overlay in a real window (and to
 * test it under Xvfb): a fake guest picture, the menu on ctrl+alt+m, the
 * quit confirmation on ctrl+alt+q, toasts for every action and real
 * screenshots of the fake framebuffer. It prints one line per thing a
 * test looks for:
 *   ready W H           first frame shown (window size in points)
 *   menu open|closed
 *   panel X Y W H       where the panel was drawn (output pixels)
 *   action NAME [ARG]   a menu request
 *   screenshot PATH     a screenshot was written
 *   guest-key NAME      a key the guest would have received
 *   guest-click X Y     a click the guest would have received
 * Options: --guest FILE.png writes the fake framebuffer as a reference;
 * --dir DIR is the fake VM's folder (screenshots, ISOs); --open opens the
 * menu at start. */
#include "base/util.h"
#include "player/overlay.h"
#include "player/screenshot.h"
#include "player/text.h"
#include "player/toast.h"

#include <SDL2/SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define GW 640
#define GH 480

struct demo {
	SDL_Window *win;
	SDL_Renderer *r;
	SDL_Texture *guest;
	uint32_t fb[GW * GH];
	struct text *text;
	struct overlay *ov;
	struct toasts *toasts;
	struct overlay_info info;
	const char *dir;
	bool quit;
	bool was_open;
	uint64_t started;
};

static const struct overlay_snapshot snaps[] = {
	{ "2026-11-27 10:42", "2026-11-27 10:42", "00:03:10", "memory + disks",
	  NULL, false, true },
	{ "before-update", "2026-11-27 11:05", "00:25:44", "disks only", NULL,
	  false, false },
};
static const struct overlay_disk disks[] = {
	{ "system", "/home/user/.VM/demo/system.qcow2", "qcow2", 25ull << 30,
	  (uint64_t)(3.4 * (1 << 30)) },
	{ "data", "/home/user/.VM/demo/data.raw", "raw", 10ull << 30, 10ull << 30 },
};
static const char *const recent[] = { "/usr/lib/grub-rescue/grub-rescue-cdrom.iso" };

/* A picture with structure everywhere (so a blend over it shows) and a
 * few sharp edges (so an offset shows). */
static void make_guest(struct demo *d)
{
	for (int y = 0; y < GH; y++)
		for (int x = 0; x < GW; x++) {
			uint32_t r = (uint32_t)(x * 255 / GW), g = (uint32_t)(y * 255 / GH);
			uint32_t b = ((x / 32 + y / 32) & 1) ? 0xC0 : 0x30;
			d->fb[y * GW + x] = r << 16 | g << 8 | b;
		}
}

static void on_action(void *user, const struct menu_request *req)
{
	struct demo *d = user;
	uint64_t now = now_ms();
	printf("action %s%s%s\n", menu_action_name(req->action),
	       req->arg ? " " : "", req->arg ? req->arg : "");
	switch (req->action) {
	case MENU_SCREENSHOT: {
		char *err = NULL;
		char *path = screenshot_take(d->fb, GW, GH, GW * 4,
					     SDL_PIXELFORMAT_XRGB8888, "demo", d->dir, &err);
		if (path) {
			printf("screenshot %s\n", path);
			toast_show(d->toasts, TOAST_INFO, now, "Screenshot saved to %s", path);
		} else {
			toast_show(d->toasts, TOAST_ERROR, now, "Screenshot failed: %s", err);
		}
		free(path);
		free(err);
		break;
	}
	case MENU_SNAPSHOT_TAKE:
		toast_show(d->toasts, TOAST_INFO, now, "Snapshot %s taken in 1.8 s",
			   req->arg ? req->arg : "2026-11-27 10:42");
		break;
	case MENU_PAUSE:
		d->info.paused = !d->info.paused;
		d->info.state = d->info.paused ? "paused" : "running";
		overlay_set_info(d->ov, &d->info);
		toast_show(d->toasts, TOAST_INFO, now, d->info.paused ? "Paused" : "Resumed");
		break;
	case MENU_FULLSCREEN:
		d->info.fullscreen = !d->info.fullscreen;
		overlay_set_info(d->ov, &d->info);
		break;
	case MENU_SCALE:
		d->info.scale = (enum scale_mode)req->value;
		overlay_set_info(d->ov, &d->info);
		break;
	case MENU_MEDIA_INSERT:
		toast_show(d->toasts, TOAST_ERROR, now,
			   "Cannot insert %s: Could not open '%s': Permission denied",
			   req->arg, req->arg);
		break;
	case MENU_QUIT:
		d->quit = true;
		break;
	case MENU_SNAPSHOT_LIST:
	case MENU_DISK_LIST:
		break;
	default:
		toast_show(d->toasts, TOAST_INFO, now, "%s: done",
			   req->label ? req->label : menu_action_name(req->action));
		break;
	}
	fflush(stdout);
}

static void draw(struct demo *d)
{
	int ww, wh, ow, oh;
	SDL_GetWindowSize(d->win, &ww, &wh);
	SDL_GetRendererOutputSize(d->r, &ow, &oh);
	float scale = ww ? (float)ow / (float)ww : 1.0f;
	SDL_SetRenderDrawColor(d->r, 0, 0, 0, 255);
	SDL_RenderClear(d->r);
	/* 1:1 at the top left at scale 1; the player scales properly. */
	SDL_Rect dst = { 0, 0, (int)(GW * scale), (int)(GH * scale) };
	SDL_RenderCopy(d->r, d->guest, NULL, &dst);
	overlay_draw(d->ov, ow, oh, scale);
	toasts_draw(d->toasts, d->text, ow, oh, scale);
	SDL_RenderPresent(d->r);
	SDL_Rect p;
	if (overlay_panel_rect(d->ov, &p))
		printf("panel %d %d %d %d\n", p.x, p.y, p.w, p.h);
	bool open = overlay_is_open(d->ov);
	if (open != d->was_open)
		printf("menu %s\n", open ? "open" : "closed");
	d->was_open = open;
	fflush(stdout);
}

static bool ctrl_alt(const SDL_Event *ev, SDL_Keycode k)
{
	Uint16 m = ev->key.keysym.mod;
	return ev->type == SDL_KEYDOWN && ev->key.keysym.sym == k &&
	       (m & KMOD_CTRL) && (m & KMOD_ALT);
}

int main(int argc, char **argv)
{
	struct demo d = { 0 };
	const char *guest_png = NULL;
	bool open_at_start = false;
	d.dir = ".";
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--guest") && i + 1 < argc)
			guest_png = argv[++i];
		else if (!strcmp(argv[i], "--dir") && i + 1 < argc)
			d.dir = argv[++i];
		else if (!strcmp(argv[i], "--open"))
			open_at_start = true;
		else {
			fprintf(stderr, "usage: %s [--guest FILE.png] [--dir DIR] [--open]\n",
				argv[0]);
			return 2;
		}
	}
	if (SDL_Init(SDL_INIT_VIDEO) != 0) {
		fprintf(stderr, "SDL_Init: %s\n", SDL_GetError());
		return 1;
	}
	char title[64];
	snprintf(title, sizeof(title), "overlay-demo-%d", (int)getpid());
	d.win = SDL_CreateWindow(title, SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
				 GW, GH, SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
	d.r = d.win ? SDL_CreateRenderer(d.win, -1, 0) : NULL;
	if (!d.r) {
		fprintf(stderr, "window: %s\n", SDL_GetError());
		return 1;
	}
	make_guest(&d);
	if (guest_png) {
		char *err = NULL;
		unlink(guest_png);
		if (!screenshot_write_png(d.fb, GW, GH, GW * 4, SDL_PIXELFORMAT_XRGB8888,
					  guest_png, &err)) {
			fprintf(stderr, "%s\n", err);
			return 1;
		}
	}
	d.guest = SDL_CreateTexture(d.r, SDL_PIXELFORMAT_XRGB8888,
				    SDL_TEXTUREACCESS_STREAMING, GW, GH);
	SDL_UpdateTexture(d.guest, NULL, d.fb, GW * 4);
	char *err = NULL;
	d.text = text_create(d.r, NULL, &err);
	if (!d.text) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	d.ov = overlay_create(d.text, on_action, &d);
	d.toasts = toasts_create();
	d.started = now_ms() - 754000;
	d.info = (struct overlay_info){
		.vm_name = "demo", .vm_dir = d.dir, .state = "running",
		.running = true, .started_ms = d.started, .scale = SCALE_FIT,
		.has_cdrom = true, .recent_isos = recent, .n_recent_isos = 1,
		.snapshots_known = true, .snapshots = snaps, .n_snapshots = 2,
		.disks_known = true, .disks = disks, .n_disks = 2,
		.shortcuts = { [MENU_PAUSE] = "Ctrl+Alt+P",
			       [MENU_SNAPSHOT_TAKE] = "Ctrl+Alt+S",
			       [MENU_FULLSCREEN] = "Ctrl+Alt+F",
			       [MENU_QUIT] = "Ctrl+Alt+Q" },
	};
	overlay_set_info(d.ov, &d.info);
	if (open_at_start)
		overlay_open(d.ov);
	int ww, wh;
	SDL_GetWindowSize(d.win, &ww, &wh);
	draw(&d);
	printf("ready %d %d\n", ww, wh);
	fflush(stdout);

	while (!d.quit) {
		uint64_t now = now_ms();
		int t1 = overlay_timeout(d.ov, now), t2 = toasts_timeout(d.toasts, now);
		int timeout = t1 < 0 ? t2 : t2 < 0 ? t1 : (t1 < t2 ? t1 : t2);
		SDL_Event ev;
		bool got = timeout < 0 ? SDL_WaitEvent(&ev)
				       : SDL_WaitEventTimeout(&ev, timeout);
		bool redraw = toasts_expire(d.toasts, now_ms()) ||
			      (overlay_is_open(d.ov) && !got);
		while (got) {
			if (ev.type == SDL_QUIT) {
				d.quit = true;
			} else if (overlay_handle_event(d.ov, &ev)) {
				redraw = true;
			} else if (ctrl_alt(&ev, SDLK_m)) {
				overlay_open(d.ov);
				redraw = true;
			} else if (ctrl_alt(&ev, SDLK_q)) {
				overlay_open_quit(d.ov);
				redraw = true;
			} else if (ev.type == SDL_KEYDOWN) {
				printf("guest-key %s\n", SDL_GetScancodeName(ev.key.keysym.scancode));
				fflush(stdout);
			} else if (ev.type == SDL_MOUSEBUTTONDOWN) {
				printf("guest-click %d %d\n", ev.button.x, ev.button.y);
				fflush(stdout);
			} else if (ev.type == SDL_WINDOWEVENT) {
				redraw = true;
			}
			got = SDL_PollEvent(&ev);
		}
		if (redraw || overlay_needs_redraw(d.ov))
			draw(&d);
	}
	overlay_destroy(d.ov);
	toasts_destroy(d.toasts);
	text_destroy(d.text);
	SDL_DestroyTexture(d.guest);
	SDL_DestroyRenderer(d.r);
	SDL_DestroyWindow(d.win);
	SDL_Quit();
	return 0;
}
