/* The menu side of the player; see player_menu.h. The overlay (menu
 * model and drawing), the toasts and vm_actions each do their own part;
 * this file connects them: menu requests -> vm_actions, notes -> toasts,
 * vm_actions' lists and the session's state -> overlay_set_info. */
#include "player_menu.h"

#include "log.h"
#include "overlay.h"
#include "screenshot.h"
#include "text.h"
#include "toast.h"
#include "util.h"
#include "vm_actions.h"

#include <SDL2/SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct player_menu {
	const struct vm_config *cfg;
	struct player_menu_host host;
	struct text *text;
	struct overlay *overlay;
	struct toasts *toasts;
	struct vm_actions *actions;
	struct vm_session *session;
	uint64_t started_ms;
	unsigned progress_toast;   /* a progress toast waiting for its result */
	uint64_t uptime_due;       /* the open menu's uptime ticks then */
	uint32_t hidden;
};

/* Menu items that show a shortcut, and the binding they show. */
static const struct {
	enum menu_action item;
	enum action action;
} item_shortcuts[] = {
	{ MENU_PAUSE, ACTION_PAUSE },
	{ MENU_SNAPSHOT_TAKE, ACTION_SNAPSHOT },
	{ MENU_FULLSCREEN, ACTION_FULLSCREEN },
	{ MENU_SCREENSHOT, ACTION_SCREENSHOT },
	{ MENU_QUIT, ACTION_QUIT },
};

static void redraw(struct player_menu *m)
{
	render_invalidate(m->host.render);
}

/* Everything the menu shows, copied by overlay_set_info. */
static void refresh_info(struct player_menu *m)
{
	struct overlay_info info = { 0 };
	enum vm_state state = m->session ? vm_session_state(m->session)
					 : VM_STATE_EXITED;
	bool alive = m->session && !vm_session_exited(m->session);
	info.vm_name = m->cfg->name;
	info.vm_dir = m->cfg->dir;
	info.state = m->session ? vm_state_name(state) : "starting";
	info.running = alive;
	info.paused = state == VM_STATE_PAUSED;
	info.started_ms = alive ? m->started_ms : 0;
	info.busy = vm_actions_busy(m->actions);
	info.fullscreen = render_fullscreen(m->host.render);
	info.scale = render_scale(m->host.render);
	info.has_cdrom = m->cfg->has_cdrom;
	info.cdrom = vm_actions_cdrom(m->actions);
	info.n_recent_isos = vm_actions_recent_isos(m->actions,
						    &info.recent_isos);

	const struct disk_snapshot *snaps;
	size_t n_snaps = vm_actions_snapshots(m->actions, &snaps);
	struct overlay_snapshot *os = xcalloc(n_snaps + 1, sizeof(*os));
	char (*dates)[40] = xcalloc(n_snaps + 1, sizeof(*dates));
	char (*clocks)[40] = xcalloc(n_snaps + 1, sizeof(*clocks));
	for (size_t i = 0; i < n_snaps; i++) {
		time_t t = (time_t)snaps[i].date_sec;
		struct tm tm;
		localtime_r(&t, &tm);
		strftime(dates[i], sizeof(dates[i]), "%Y-%m-%d %H:%M", &tm);
		uint64_t s = snaps[i].vm_clock_ns / 1000000000u;
		snprintf(clocks[i], sizeof(clocks[i]), "%02llu:%02u:%02u",
			 (unsigned long long)(s / 3600), (unsigned)(s / 60 % 60),
			 (unsigned)(s % 60));
		os[i] = (struct overlay_snapshot){ snaps[i].name, dates[i],
						   clocks[i] };
	}
	info.snapshots_known = vm_actions_snapshots_known(m->actions);
	info.snapshots = os;
	info.n_snapshots = n_snaps;

	const struct vm_actions_disk *disks;
	size_t n_disks = vm_actions_disks(m->actions, &disks);
	struct overlay_disk *od = xcalloc(n_disks + 1, sizeof(*od));
	struct strv names = { 0 };
	for (size_t i = 0; i < n_disks; i++) {
		if (disks[i].next_boot)
			strv_pushf(&names, "%s (next boot)", disks[i].name);
		else
			strv_push(&names, disks[i].name);
	}
	for (size_t i = 0; i < n_disks; i++)
		od[i] = (struct overlay_disk){ names.v[i], disks[i].file,
					       disks[i].format,
					       disks[i].virtual_size,
					       disks[i].used_size };
	info.disks_known = vm_actions_disks_known(m->actions);
	info.disks = od;
	info.n_disks = n_disks;

	char *shortcut_text[ARRAY_SIZE(item_shortcuts)];
	for (size_t i = 0; i < ARRAY_SIZE(item_shortcuts); i++) {
		shortcut_text[i] = m->host.bindings
			? binding_display(bindings_get(m->host.bindings,
						       item_shortcuts[i].action))
			: NULL;
		info.shortcuts[item_shortcuts[i].item] = shortcut_text[i];
	}
	info.hidden = m->hidden;

	overlay_set_info(m->overlay, &info);

	for (size_t i = 0; i < ARRAY_SIZE(item_shortcuts); i++)
		free(shortcut_text[i]);
	strv_free(&names);
	free(od);
	free(os);
	free(dates);
	free(clocks);
	if (overlay_is_open(m->overlay))
		redraw(m);
}

/* ---- vm_actions -> toasts ---- */

static void on_note(void *user, enum vm_note kind, const char *text)
{
	struct player_menu *m = user;
	static const enum toast_kind kinds[] = {
		[VM_NOTE_INFO] = TOAST_INFO,
		[VM_NOTE_ERROR] = TOAST_ERROR,
		[VM_NOTE_PROGRESS] = TOAST_PROGRESS,
	};
	uint64_t now = now_ms();
	if (kind == VM_NOTE_PROGRESS) {
		if (m->progress_toast)
			toast_dismiss(m->toasts, m->progress_toast);
		m->progress_toast = toast_show(m->toasts, TOAST_PROGRESS, now,
					       "%s", text);
	} else if (m->progress_toast &&
		   toast_update(m->toasts, m->progress_toast, kinds[kind], now,
				"%s", text)) {
		/* the progress toast became its result */
		m->progress_toast = 0;
	} else {
		m->progress_toast = 0;
		toast_show(m->toasts, kinds[kind], now, "%s", text);
	}
	log_info("%s", text);
	refresh_info(m);   /* busy text */
	redraw(m);
}

static void on_changed(void *user)
{
	refresh_info(user);
}

/* ---- menu requests ---- */

static void screenshot(struct player_menu *m)
{
	struct vnc_frame f = { 0 };
	if (!m->host.frame || !m->host.frame(m->host.user, &f) || !f.pixels) {
		player_menu_toast(m, true, "No screenshot: the guest shows "
				  "nothing yet");
		return;
	}
	char *error = NULL;
	char *path = screenshot_take(f.pixels, f.width, f.height, f.pitch,
				     SDL_PIXELFORMAT_XRGB8888, m->cfg->name,
				     m->cfg->dir, &error);
	if (path) {
		toast_show(m->toasts, TOAST_INFO, now_ms(),
			   "Screenshot saved to %s", path);
		log_info("screenshot saved to %s", path);
	} else {
		toast_show(m->toasts, TOAST_ERROR, now_ms(),
			   "Screenshot failed: %s", error);
		log_warn("screenshot failed: %s", error);
	}
	free(path);
	free(error);
	redraw(m);
}

static void on_request(void *user, const struct menu_request *req)
{
	struct player_menu *m = user;
	struct vm_actions *a = m->actions;
	log_debug("menu: %s", menu_action_name(req->action));
	switch (req->action) {
	case MENU_PAUSE:
		vm_actions_pause_toggle(a);
		break;
	case MENU_RESET:
		vm_actions_reset(a);
		break;
	case MENU_SHUTDOWN:
		vm_actions_shutdown(a);
		break;
	case MENU_FORCE_OFF:
		vm_actions_force_off(a);
		break;
	case MENU_SNAPSHOT_LIST:
	case MENU_DISK_LIST:
		vm_actions_refresh(a);
		break;
	case MENU_SNAPSHOT_TAKE:
		vm_actions_snapshot_take(a, req->arg);
		break;
	case MENU_SNAPSHOT_RESTORE:
		vm_actions_snapshot_restore(a, req->arg);
		break;
	case MENU_SNAPSHOT_DELETE:
		vm_actions_snapshot_delete(a, req->arg);
		break;
	case MENU_MEDIA_INSERT:
		vm_actions_media_insert(a, req->arg);
		break;
	case MENU_MEDIA_EJECT:
		vm_actions_media_eject(a);
		break;
	case MENU_DISK_CREATE:
		vm_actions_disk_create(a, req->arg, req->arg2, req->size);
		break;
	case MENU_DISK_GROW:
		vm_actions_disk_grow(a, req->arg, req->size);
		break;
	case MENU_FULLSCREEN:
		render_set_fullscreen(m->host.render,
				      !render_fullscreen(m->host.render));
		refresh_info(m);
		break;
	case MENU_SCALE:
		render_set_scale(m->host.render, (enum scale_mode)req->value);
		refresh_info(m);
		break;
	case MENU_SEND_KEYS:
		vm_actions_send_keys(a, req->keys, req->n_keys, req->label);
		break;
	case MENU_SCREENSHOT:
		screenshot(m);
		break;
	case MENU_QUIT:
		if (m->host.quit)
			m->host.quit(m->host.user);
		break;
	case MENU_NONE:
	case MENU_ACTION_COUNT:
		break;
	}
	redraw(m);
}

/* ---- drawing ---- */

static void draw(void *user, SDL_Renderer *ren, int out_w, int out_h)
{
	struct player_menu *m = user;
	(void)ren;
	int ww = 0, wh = 0;
	SDL_GetWindowSize(render_window(m->host.render), &ww, &wh);
	float scale = ww > 0 ? (float)out_w / (float)ww : 1.0f;
	overlay_draw(m->overlay, out_w, out_h, scale);
	toasts_draw(m->toasts, m->text, out_w, out_h, scale);
}

/* ---- the player's side ---- */

struct player_menu *player_menu_create(const struct vm_config *cfg,
				       const struct player_menu_host *host,
				       char **error)
{
	struct text *text = text_create(render_renderer(host->render), NULL,
					error);
	if (!text)
		return NULL;
	struct player_menu *m = xcalloc(1, sizeof(*m));
	m->cfg = cfg;
	m->host = *host;
	m->text = text;
	m->overlay = overlay_create(text, on_request, m);
	m->toasts = toasts_create();
	struct vm_actions_listener listener = { on_note, on_changed, m };
	m->actions = vm_actions_create(cfg, NULL, &listener);
	render_set_hook(host->render, draw, m);
	refresh_info(m);
	return m;
}

void player_menu_destroy(struct player_menu *m)
{
	if (!m)
		return;
	render_set_hook(m->host.render, NULL, NULL);
	vm_actions_destroy(m->actions);
	overlay_destroy(m->overlay);
	toasts_destroy(m->toasts);
	text_destroy(m->text);
	free(m);
}

void player_menu_set_session(struct player_menu *m, struct vm_session *s)
{
	if (!m)
		return;
	m->session = s;
	m->started_ms = now_ms();
	vm_actions_set_session(m->actions, s);
	refresh_info(m);
}

void player_menu_qmp_event(struct player_menu *m, const char *event,
			   struct json_object *data)
{
	if (m)
		vm_actions_handle_event(m->actions, event, data);
}

void player_menu_state_changed(struct player_menu *m, enum vm_state state)
{
	(void)state;
	if (m)
		refresh_info(m);
}

void player_menu_set_hidden(struct player_menu *m, uint32_t hidden)
{
	if (!m)
		return;
	m->hidden = hidden;
	refresh_info(m);
}

bool player_menu_is_open(const struct player_menu *m)
{
	return m && overlay_is_open(m->overlay);
}

static void opened(struct player_menu *m)
{
	/* Keys held when the menu opens (ctrl+alt of its shortcut) must
	 * not stay pressed in the guest. */
	input_release_all(m->host.input);
	refresh_info(m);
	redraw(m);
}

static void closed(struct player_menu *m)
{
	/* The overlay starts text input for its fields; the guest gets
	 * scancodes, and an input method would eat keys. */
	if (SDL_WasInit(SDL_INIT_VIDEO))
		SDL_StopTextInput();
	redraw(m);
}

bool player_menu_offer(struct player_menu *m, const SDL_Event *ev)
{
	if (!m)
		return false;
	if (ev->type == SDL_RENDER_TARGETS_RESET ||
	    ev->type == SDL_RENDER_DEVICE_RESET)
		text_flush(m->text);   /* and the player takes it too */
	bool was_open = overlay_is_open(m->overlay);
	bool used = overlay_handle_event(m->overlay, ev);
	if (!was_open && overlay_is_open(m->overlay))
		opened(m);
	else if (was_open && !overlay_is_open(m->overlay))
		closed(m);
	if (overlay_needs_redraw(m->overlay))
		redraw(m);
	return used;
}

bool player_menu_shortcut(struct player_menu *m, enum action a)
{
	if (!m)
		return false;
	switch (a) {
	case ACTION_MENU:
		if (overlay_is_open(m->overlay)) {
			overlay_close(m->overlay);
			closed(m);
		} else {
			overlay_open(m->overlay);
			opened(m);
		}
		return true;
	case ACTION_QUIT:
		overlay_open_quit(m->overlay);
		opened(m);
		return true;
	case ACTION_SNAPSHOT:
		vm_actions_snapshot_take(m->actions, NULL);
		return true;
	case ACTION_SCREENSHOT:
		screenshot(m);
		return true;
	case ACTION_CTRL_ALT_DEL:
		/* The user holds ctrl+alt already: let go of them in the
		 * guest, then send the whole chord. */
		input_release_all(m->host.input);
		vm_actions_ctrl_alt_del(m->actions);
		return true;
	default:
		return false;
	}
}

int player_menu_timeout(const struct player_menu *m)
{
	if (!m)
		return -1;
	uint64_t now = now_ms();
	int a = overlay_timeout(m->overlay, now);
	int b = toasts_timeout(m->toasts, now);
	if (a < 0)
		return b;
	if (b < 0)
		return a;
	return a < b ? a : b;
}

void player_menu_tick(struct player_menu *m)
{
	if (!m)
		return;
	uint64_t now = now_ms();
	if (toasts_expire(m->toasts, now))
		redraw(m);
	if (overlay_is_open(m->overlay)) {
		if (m->uptime_due && now >= m->uptime_due)
			redraw(m);
		int t = overlay_timeout(m->overlay, now);
		m->uptime_due = t >= 0 ? now + (uint64_t)t : 0;
	} else {
		m->uptime_due = 0;
	}
	if (overlay_needs_redraw(m->overlay))
		redraw(m);
}

void player_menu_toast(struct player_menu *m, bool error, const char *text)
{
	if (!m)
		return;
	toast_show(m->toasts, error ? TOAST_ERROR : TOAST_INFO, now_ms(), "%s",
		   text);
	redraw(m);
}
