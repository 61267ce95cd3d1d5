/* Message boxes for errors, and the checks before playing (desktop.h). */
#include "player/desktop.h"

#include "base/i18n.h"
#include "base/log.h"
#include "base/util.h"
#include "player/text.h"
#include "base/display_format.h"
#include "vm/disk.h"
#include "vm/qemu_args.h"

#include <SDL2/SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

bool desktop_wants_message_box(void)
{
	const char *env = getenv("VMPLAY_MESSAGE_BOX");
	if (env && *env)
		return strcmp(env, "0") != 0;
	if (isatty(STDERR_FILENO))
		return false;
	return desktop_has_display();
}

bool desktop_has_display(void)
{
	/* A desktop session, or the console through kmsdrm when asked for.
	 * A service or a cron job has none, and must not wait for a click
	 * nobody can make. */
	const char *driver = getenv("SDL_VIDEODRIVER");
	return (getenv("DISPLAY") && *getenv("DISPLAY")) ||
	       (getenv("WAYLAND_DISPLAY") && *getenv("WAYLAND_DISPLAY")) ||
	       (driver && strcmp(driver, "kmsdrm") == 0);
}

/* Drivers that show nothing to anyone: a box there would wait forever. */
bool desktop_driver_is_visible(void)
{
	static const char *const invisible[] = { "dummy", "offscreen",
						 "evdev" };
	const char *driver = SDL_GetCurrentVideoDriver();
	if (!driver)
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(invisible); i++)
		if (strcmp(driver, invisible[i]) == 0)
			return false;
	return true;
}

/* ---- our own message window ----
 * SDL's message box needs zenity (Wayland) or X core fonts (X11: the
 * xfonts-base package), which many machines lack, and exists on neither
 * kmsdrm nor the console. This one needs only what the player needs: an
 * SDL window and a TrueType font. */

#define BOX_WIDTH 620        /* window units */
#define BOX_PAD 20
#define BOX_TEXT_PX 15
#define BOX_MAX_LINES 40

struct box {
	SDL_Window *win;
	SDL_Renderer *ren;
	struct text *text;
	const char *title;
	const char *yes;     /* a question: Enter does this, Esc cancels */
	bool answer;
	struct strv lines;
	double scale;        /* drawable pixels per window unit */
};

static int box_px(const struct box *b, int units)
{
	return (int)(units * b->scale + 0.5);
}

/* The message as lines that fit the box: its own lines, each wrapped. */
static void box_layout(struct box *b, const char *message)
{
	int width = box_px(b, BOX_WIDTH - 2 * BOX_PAD);
	const char *p = message;
	while (*p && b->lines.n < BOX_MAX_LINES) {
		size_t len = strcspn(p, "\n");
		char *para = xstrndup(p, len);
		if (*para)
			text_wrap(b->text, box_px(b, BOX_TEXT_PX), false, para,
				  width, BOX_MAX_LINES - (int)b->lines.n,
				  &b->lines);
		else
			strv_push(&b->lines, "");
		free(para);
		p += len;
		if (*p == '\n')
			p++;
	}
}

/* The last line(s): what Enter does (a question), or how to close. */
static void box_footer(struct box *b, struct strv *out)
{
	/* TRANSLATORS: the message box's last line; %s is what Enter does,
	 * e.g. "create the empty 10G qcow2 image". */
	char *footer = b->yes ? xasprintf(_("Enter: %s · Esc or closing this "
					    "window: cancel"), b->yes)
			      : xstrdup(_("Press Enter or close this window."));
	text_wrap_all(b->text, box_px(b, BOX_TEXT_PX), false, footer,
		      box_px(b, BOX_WIDTH - 2 * BOX_PAD), out);
	free(footer);
}

static int box_height(struct box *b)
{
	int lh = text_line_height(b->text, box_px(b, BOX_TEXT_PX), false);
	int th = text_line_height(b->text, box_px(b, BOX_TEXT_PX + 3), true);
	struct strv footer = { 0 };
	box_footer(b, &footer);
	int h = box_px(b, 2 * BOX_PAD) + th + lh / 2 +
		(int)b->lines.n * lh + lh + (int)footer.n * lh;
	strv_free(&footer);
	return h;
}

static void box_draw(struct box *b)
{
	static const SDL_Color fg = { 230, 230, 230, 255 };
	static const SDL_Color accent = { 255, 120, 100, 255 };
	static const SDL_Color dim = { 160, 160, 160, 255 };
	SDL_SetRenderDrawColor(b->ren, 40, 40, 44, 255);
	SDL_RenderClear(b->ren);
	int x = box_px(b, BOX_PAD), y = box_px(b, BOX_PAD);
	int px = box_px(b, BOX_TEXT_PX);
	int lh = text_line_height(b->text, px, false);
	text_draw(b->text, box_px(b, BOX_TEXT_PX + 3), true, b->title, x, y,
		  accent);
	y += text_line_height(b->text, box_px(b, BOX_TEXT_PX + 3), true) +
	     lh / 2;
	for (size_t i = 0; i < b->lines.n; i++, y += lh)
		text_draw(b->text, px, false, b->lines.v[i], x, y, fg);
	y += lh;
	struct strv footer = { 0 };
	box_footer(b, &footer);
	for (size_t i = 0; i < footer.n; i++, y += lh)
		text_draw(b->text, px, false, footer.v[i], x, y, dim);
	strv_free(&footer);
	SDL_RenderPresent(b->ren);
}

/* A question's answer: Enter (or Y) yes; Esc, N or closing no. */
static bool box_answered(struct box *b, const SDL_Event *ev)
{
	switch (ev->type) {
	case SDL_QUIT:
		b->answer = false;
		return true;
	case SDL_WINDOWEVENT:
		b->answer = false;
		return ev->window.event == SDL_WINDOWEVENT_CLOSE;
	case SDL_KEYDOWN:
		switch (ev->key.keysym.sym) {
		case SDLK_RETURN: case SDLK_KP_ENTER: case SDLK_y:
			b->answer = true;
			return true;
		case SDLK_ESCAPE: case SDLK_n:
			b->answer = false;
			return true;
		default:
			return false;
		}
	default:
		return false;
	}
}

static bool box_done(const SDL_Event *ev)
{
	switch (ev->type) {
	case SDL_QUIT:
	case SDL_MOUSEBUTTONUP:
		return true;
	case SDL_WINDOWEVENT:
		return ev->window.event == SDL_WINDOWEVENT_CLOSE;
	case SDL_KEYDOWN:
		return ev->key.keysym.sym == SDLK_RETURN ||
		       ev->key.keysym.sym == SDLK_KP_ENTER ||
		       ev->key.keysym.sym == SDLK_ESCAPE ||
		       ev->key.keysym.sym == SDLK_SPACE;
	default:
		return false;
	}
}

static bool own_box(const char *title, const char *message, const char *yes,
		    bool *answer)
{
	struct box b = { .title = title, .scale = 1.0, .yes = yes };
	char *error = NULL;
	bool shown = false;
	b.win = SDL_CreateWindow(title, SDL_WINDOWPOS_CENTERED,
				 SDL_WINDOWPOS_CENTERED, BOX_WIDTH, 200,
				 SDL_WINDOW_HIDDEN | SDL_WINDOW_ALLOW_HIGHDPI);
	if (!b.win)
		goto out;
	b.ren = SDL_CreateRenderer(b.win, -1, 0);
	if (!b.ren)
		b.ren = SDL_CreateRenderer(b.win, -1, SDL_RENDERER_SOFTWARE);
	if (!b.ren)
		goto out;
	int ow, oh;
	if (SDL_GetRendererOutputSize(b.ren, &ow, &oh) == 0 && ow > 0)
		b.scale = (double)ow / BOX_WIDTH;
	b.text = text_create(b.ren, NULL, &error);
	if (!b.text) {
		log_debug("no message window: %s", error ? error : "no font");
		goto out;
	}
	box_layout(&b, message);
	SDL_SetWindowSize(b.win, BOX_WIDTH,
			  (int)(box_height(&b) / b.scale + 0.5));
	SDL_ShowWindow(b.win);
	SDL_RaiseWindow(b.win);
	shown = true;
	box_draw(&b);
	SDL_Event ev;
	while (SDL_WaitEvent(&ev) && !(yes ? box_answered(&b, &ev) : box_done(&ev)))
		if (ev.type == SDL_WINDOWEVENT || ev.type == SDL_RENDER_TARGETS_RESET)
			box_draw(&b);
	if (answer)
		*answer = b.answer;
	log_debug("message window closed%s", yes ? (b.answer ? ": yes" : ": no") : "");
out:
	if (!shown)
		log_debug("no message window: %s", SDL_GetError());
	free(error);
	strv_free(&b.lines);
	text_destroy(b.text);
	if (b.ren)
		SDL_DestroyRenderer(b.ren);
	if (b.win)
		SDL_DestroyWindow(b.win);
	return shown;
}

void desktop_show_error(const char *title, const char *message)
{
	log_error("%s", message);
	if (!desktop_wants_message_box())
		return;
	/* Our own window first: it wraps long messages (paths!) and draws
	 * with the menu's font. SDL's box is the fallback: on X11 it uses core
	 * fonts, which many machines lack, and never wraps, so a long line
	 * runs off both sides of the screen. */
	bool video = SDL_WasInit(SDL_INIT_VIDEO) != 0;
	if (!video && SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) {
		log_debug("no message box: %s", SDL_GetError());
		return;
	}
	if (!desktop_driver_is_visible()) {
		log_debug("no message box: video driver %s shows nothing",
			  SDL_GetCurrentVideoDriver());
	} else if (!own_box(title, message, NULL, NULL) &&
		   SDL_ShowSimpleMessageBox(SDL_MESSAGEBOX_ERROR, title,
					    message, NULL) != 0) {
		log_debug("no message box: %s", SDL_GetError());
	}
	if (!video)
		SDL_QuitSubSystem(SDL_INIT_VIDEO);
}

bool desktop_ask(const char *title, const char *message, const char *yes)
{
	if (!desktop_wants_message_box())
		return false;
	bool video = SDL_WasInit(SDL_INIT_VIDEO) != 0;
	if (!video && SDL_InitSubSystem(SDL_INIT_VIDEO) != 0)
		return false;
	bool answer = false;
	if (desktop_driver_is_visible())
		own_box(title, message, yes, &answer);
	if (!video)
		SDL_QuitSubSystem(SDL_INIT_VIDEO);
	return answer;
}

/* The disk file vmplay can make: missing, with a size in the VM file. */
static bool creatable(const struct vm_disk *d)
{
	return d->size && !d->readonly && !path_exists(d->file);
}

bool desktop_offer_missing_disks(const struct vm_config *cfg)
{
	bool any = false;
	for (size_t i = 0; i < cfg->n_disks; i++)
		any |= creatable(&cfg->disks[i]);
	if (!any || !desktop_wants_message_box())
		return false;
	bool made = false;
	for (size_t i = 0; i < cfg->n_disks; i++) {
		const struct vm_disk *d = &cfg->disks[i];
		if (!creatable(d))
			continue;
		enum disk_format fmt = d->format;
		if (fmt == FORMAT_AUTO && !disk_format_from_extension(d->file, &fmt))
			fmt = FORMAT_QCOW2;
		char size[24];
		format_size_display(d->size, size, sizeof(size));
		/* TRANSLATORS: a message box's title: the VM's name, the
		 * disk's name ([disk.NAME] in the VM file). */
		char *title = xasprintf(_("%s: disk '%s' is missing"), cfg->name,
					d->name);
		/* TRANSLATORS: the image's path, its size ("10G"), its format
		 * ("qcow2"), the VM file's path. */
		char *msg = xasprintf(_(
			"The disk image %s does not exist.\n\nThe VM file gives "
			"this disk a size: vmplay can create it now as an empty "
			"%s %s image (the guest sees a blank disk, as on a new "
			"machine). If the image was moved or renamed instead, "
			"cancel and fix the file line in %s."), d->file, size,
			disk_format_name(fmt), cfg->path);
		/* TRANSLATORS: what Enter does: size ("10G"), format ("qcow2"). */
		char *yes = xasprintf(_("create the empty %s %s image"), size,
				      disk_format_name(fmt));
		if (desktop_ask(title, msg, yes)) {
			char *error = NULL;
			if (disk_create(d->file, fmt, d->size, PREALLOC_DEFAULT,
					&error)) {
				log_info(_("created %s (%s %s)"), d->file, size,
					 disk_format_name(fmt));
				made = true;
			} else {
				desktop_show_error(title, error);
				free(error);
			}
		}
		free(yes);
		free(msg);
		free(title);
	}
	return made;
}

bool desktop_check_runnable(const struct vm_config *cfg, char **error)
{
	*error = NULL;
	char *files = NULL;
	bool ok = config_check_files(cfg, &files);
	char *qemu = path_which(qemu_binary());
	if (!qemu) {
		/* TRANSLATORS: %s is the QEMU program's name or path. */
		char *line = xasprintf(getenv("VMPLAY_QEMU")
				       ? _("QEMU (%s) is not installed or not in "
					   "PATH: install the Debian package "
					   "qemu-system-x86, or fix VMPLAY_QEMU")
				       : _("QEMU (%s) is not installed or not in "
					   "PATH: install the Debian package "
					   "qemu-system-x86"), qemu_binary());
		if (files) {
			char *both = xasprintf("%s\n%s", files, line);
			free(files);
			free(line);
			files = both;
		} else {
			files = line;
		}
		ok = false;
	}
	free(qemu);
	if (ok) {
		free(files);
		return true;
	}
	*error = files ? files : xstrdup(_("cannot play this VM"));
	return false;
}

bool desktop_confirm(const char *title, const char *message, const char *yes)
{
	if (isatty(STDIN_FILENO) && isatty(STDERR_FILENO)) {
		/* TRANSLATORS: a question on the terminal: the message,
		 * then what "yes" does. The letters are the locale's own
		 * (rpmatch: "s" for sí in Spanish; "y" always works). */
		fprintf(stderr, _("%s\n%s [y/N] "), message, yes);
		char line[64];
		if (!fgets(line, sizeof(line), stdin))
			return false;
		return rpmatch(line) == 1;
	}
	if (!desktop_wants_message_box())
		return false;
	bool video = SDL_WasInit(SDL_INIT_VIDEO) != 0;
	if (!video && SDL_InitSubSystem(SDL_INIT_VIDEO) != 0)
		return false;
	const SDL_MessageBoxButtonData buttons[] = {
		{ SDL_MESSAGEBOX_BUTTON_ESCAPEKEY_DEFAULT, 0, _("Cancel") },
		{ 0, 1, yes },
	};
	const SDL_MessageBoxData data = {
		SDL_MESSAGEBOX_WARNING, NULL, title, message,
		(int)ARRAY_SIZE(buttons), buttons, NULL,
	};
	int chosen = 0;
	if (SDL_ShowMessageBox(&data, &chosen) != 0) {
		log_debug("no question box: %s", SDL_GetError());
		chosen = 0;
	}
	if (!video)
		SDL_QuitSubSystem(SDL_INIT_VIDEO);
	return chosen == 1;
}
