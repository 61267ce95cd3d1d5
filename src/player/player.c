/* The player: one window, one thread, one loop.
 *
 * Why poll() and not SDL_WaitEvent: SDL can only wait for its own events,
 * and the guest's picture (VNC socket), QMP events and QEMU's exit (pidfd)
 * arrive elsewhere. Instead of a helper thread that wakes SDL up, the loop
 * waits in poll() on all of them at once, including the window system's
 * own connection (the X11 socket; the Wayland display fd), then drains SDL
 * with SDL_PumpEvents/SDL_PeepEvents. Rendering can make Xlib read events
 * into its queue, where poll() cannot see them, so the loop pumps once
 * more after presenting and only sleeps when SDL's queue is empty. With a
 * still guest nothing arrives anywhere and the process sleeps: 0% CPU.
 * Video drivers without a pollable connection (kmsdrm/evdev, offscreen,
 * dummy) fall back to pumping every 10 ms.
 *
 * Lifecycle (vm_session.c does the QEMU side, shared with --headless):
 * closing the window, SIGINT or SIGTERM ask the guest to power down (ACPI)
 * and say so on screen; a second request or the powerdown timeout stops
 * QEMU, and vmplay ends with status 0. When the guest powers off by
 * itself, or the menu's Shut down or Force off stopped it, the window
 * outlives the VM: the stopped screen (the last frame dimmed under the
 * menu's stopped page) offers Run, which reads the VM file again and
 * starts a new QEMU in the same window; closing it then ends vmplay with
 * status 0. --exit-on-poweroff ([display] exit-on-poweroff) ends vmplay
 * at power-off instead, as before. QEMU failing or dying shows its own
 * message in the window and on stderr; the window stays until closed,
 * and vmplay exits with status 1.
 *
 * Kiosk mode (kiosk.h, supervisor.h; the sections marked "kiosk") changes
 * that: the window covers the screen, the supervisor owns the sessions and
 * starts QEMU again whenever it ends, closing the window does nothing, and
 * shortcuts go through the kiosk policy (the menu and quitting need the
 * PIN). SIGINT/SIGTERM still stop it for good (systemctl stop). */
#include "player/player.h"

#include "base/i18n.h"
#include "base/log.h"
#include "base/recent.h"
#include "base/stop_signals.h"
#include "base/util.h"
#include "player/bindings.h"
#include "player/clipboard_sync.h"
#include "player/guest_resize.h"
#include "player/input.h"
#include "player/menu_bridge.h"
#include "player/overlay.h"
#include "player/render.h"
#include "player/screen_notes.h"
#include "player/screenshot.h"
#include "player/settings_menu.h"
#include "player/text.h"
#include "player/thumbnail.h"
#include "player/toast.h"
#include "player/vnc.h"
#include "player/vnc_desktop_size.h"
#include "vm/instance.h"
#include "vm/kiosk.h"
#include "vm/snapshot_requests.h"
#include "vm/qemu_args.h"
#include "vm/supervisor.h"
#include "vm/machine.h"
#include "vm/machine_qemu.h"
#include "vm/trust.h"
#include "vm/vm_actions.h"
#include "vm/vm_session.h"

#include <SDL2/SDL.h>
#include <SDL2/SDL_syswm.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* How long the window waits for QEMU to exit after losing the display
 * connection before it calls that a failure of its own. */
#define VNC_LOST_GRACE_MS 5000
/* Pumping interval for video drivers without a pollable connection. */
#define PUMP_INTERVAL_MS 10
/* Kiosk: the pointer hides after this long without moving. */
#define KIOSK_POINTER_IDLE_MS 3000

struct player {
	const struct vm_config *cfg;   /* main.c's, or own_cfg after Run */
	struct vm_config *own_cfg;     /* the VM file read again for Run */
	const struct play_options *opts;
	struct render *render;
	struct vnc *vnc;
	struct input *input;
	struct bindings *bindings;
	/* what the window shows and controls (machine.h); session is its
	 * QEMU when it has one (kiosk mode's supervisor swaps it) */
	struct machine *machine;
	struct vm_session *session;
	struct text *text;         /* fonts for the menu and toasts */
	struct overlay *overlay;   /* NULL without a font */
	struct toasts *toasts;
	enum vm_state state;
	bool failed;           /* QEMU is gone with an error: show, wait */
	bool stopped;          /* the VM is off, the window stays: Run */
	/* the engine starts the machine again itself (it ended with
	 * MACHINE_END_STOPPED: a libvirt domain): Run is machine_start, no VM
	 * file is read, no QEMU of ours started */
	bool start_again;
	bool closing;          /* the user asked to close: exit when it is off */
	bool exit_on_poweroff; /* no stopped screen: exit at power-off */
	bool quit;
	int exit_status;

	int display_fd;        /* -1: pump every PUMP_INTERVAL_MS */
	int display_max_wait;  /* -1 or a safety interval for the fd */
	bool pump_for_repeat;  /* SDL makes key repeats in its pump */
	uint64_t vnc_lost_at;

	/* Snapshots, media and disks (machine.h, glue in menu_bridge.c) */
	struct menu_bridge_lists lists; /* what the overlay_info points to */
	unsigned progress_toast;         /* a progress toast awaiting its result */
	struct settings_menu settings;   /* the Settings pages (settings_menu.c) */

	/* statistics (VMPLAY_STATS=1 prints them at exit) */
	uint64_t started_ms;
	/* QEMU started before the window opens, so both start at once;
	 * the session takes it over (NULL then, or in kiosk mode) */
	struct launch *early;
	char *early_error;     /* why it could not be started */
	/* start-up milestones, now_ms() values (0: not reached) */
	uint64_t window_ms, session_ms, vnc_ms, first_update_ms;
	uint64_t first_frame_ms;
	uint64_t updates;
	bool unpresented;      /* an upload waits for its present */

	struct stop_signals signals;   /* SIGINT/TERM/HUP, SIGUSR1 */

	/* single instance: another vmplay asks to raise the window, or
	 * sends a snapshot command (`vmplay snapshot take FILE`) */
	struct instance *instance;
	struct snapshot_requests *requests;
	/* kiosk mode (NULL otherwise) */
	struct kiosk *kiosk;
	struct supervisor *sv;
	bool kiosk_quitting;   /* the PIN allowed quitting (or a signal) */
	/* What the screen says between QEMUs ("Starting again in 2 s"), put
	 * back when the PIN entry closes. */
	char *kiosk_message;
	/* The shortcut whose PIN was just accepted: kiosk_allows lets it run
	 * once. */
	enum shortcut kiosk_pin_granted;
	/* A snapshot restore stopped QEMU to start it again (vm_actions.h,
	 * listener.restart); restart_now: it is off, the loop runs it again. */
	bool restarting, restart_now;
	/* The paused note is on screen; keys were typed into the paused VM
	 * (said once per pause). */
	bool paused_note, paused_keys_said;
	uint64_t pointer_moved_ms;
	bool pointer_hidden;

	/* the guest as part of the desktop: clipboard, size */
	struct clipboard_sync *clip;
	struct guest_resize resize;
};

static void update_info(struct player *p);
static void enter_stopped(struct player *p);
static void leave_stopped(struct player *p);

/* The window system connection to wait on, when the video driver has one.
 * No link-time dependency on Xlib or libwayland: ConnectionNumber is a
 * macro over the Display struct, and SDL has libwayland-client loaded. */
static void find_display_fd(struct player *p)
{
	p->display_fd = -1;
	p->display_max_wait = -1;
	SDL_SysWMinfo info;
	SDL_VERSION(&info.version);
	if (!SDL_GetWindowWMInfo(render_window(p->render), &info))
		goto fallback;
	switch (info.subsystem) {
#if defined(SDL_VIDEO_DRIVER_X11)
	case SDL_SYSWM_X11:
		p->display_fd = ConnectionNumber(info.info.x11.display);
		break;
#endif
#if defined(SDL_VIDEO_DRIVER_WAYLAND)
	case SDL_SYSWM_WAYLAND: {
		void *lib = dlopen("libwayland-client.so.0", RTLD_LAZY | RTLD_NOLOAD);
		int (*get_fd)(void *) = lib ? (int (*)(void *))dlsym(
						      lib, "wl_display_get_fd")
					    : NULL;
		if (get_fd)
			p->display_fd = get_fd(info.info.wl.display);
		if (lib)
			dlclose(lib);
		/* dispatching is less predictable: wake up now and then;
		 * and SDL makes Wayland's key repeats in its pump */
		p->display_max_wait = 250;
		p->pump_for_repeat = true;
		break;
	}
#endif
	default:
		break;
	}
	if (p->display_fd >= 0) {
		log_debug("waiting on the %s connection (fd %d)",
			  SDL_GetCurrentVideoDriver(), p->display_fd);
		return;
	}
fallback:
	log_debug("video driver %s: pumping events every %d ms",
		  SDL_GetCurrentVideoDriver(), PUMP_INTERVAL_MS);
}

/* The VM's state in words for the title and the menu: vm_state_name()'s
 * words, translated (that name stays English for logs and scripts). */
static const char *state_text(const struct player *p)
{
	/* TRANSLATORS: a VM's state, in the window title ("demo: running")
	 * and the menu's status line. */
	static const char *const words[] = {
		[VM_STATE_RUNNING] = N_("running"),
		[VM_STATE_PAUSED] = N_("paused"),
		[VM_STATE_PRELAUNCH] = N_("starting"),
		[VM_STATE_POWERING_DOWN] = N_("shutting down"),
		[VM_STATE_STOPPING] = N_("stopping"),
		[VM_STATE_EXITED] = N_("stopped"),
	};
	if (p->failed || p->stopped)
		return _("stopped");
	if (!p->machine)
		return _("starting");
	return (unsigned)p->state < ARRAY_SIZE(words) ? _(words[p->state])
						      : vm_state_name(p->state);
}

static void update_title(struct player *p)
{
	/* TRANSLATORS: the window title: the VM's name and its state. */
	char *title = xasprintf(p->input && input_grabbed(p->input)
					? _("%s: %s (pointer grabbed)") : "%s: %s",
				p->cfg->name, state_text(p));
	render_set_title(p->render, title);
	free(title);
}

/* The library's picture of this VM: its screen as it was last seen. */
static void save_thumbnail(struct player *p)
{
	if (!p->vnc || !p->updates || p->kiosk)
		return;
	struct vnc_frame f = vnc_frame(p->vnc);
	thumbnail_save(f.pixels, f.width, f.height, f.pitch, p->cfg->path);
}

/* Closes the display connection and forgets it everywhere it was lent;
 * its last picture becomes the library's thumbnail first. */
static void drop_vnc(struct player *p)
{
	save_thumbnail(p);
	input_set_vnc(p->input, NULL);
	clipboard_sync_set_vnc(p->clip, NULL);
	vnc_destroy(p->vnc);
	p->vnc = NULL;
}

/* ---- VNC callbacks ---- */

static void present(struct player *p)
{
	render_present(p->render);
	if (p->unpresented && !p->first_frame_ms) {
		p->first_frame_ms = now_ms();
		log_debug("first guest frame on screen after %llu ms",
			  (unsigned long long)(p->first_frame_ms - p->started_ms));
	}
	p->unpresented = false;
}

static void note_window_size(struct player *p);

static void on_vnc_resize(void *user, int w, int h)
{
	struct player *p = user;
	log_debug("guest screen %dx%d", w, h);
	render_guest_resized(p->render, w, h);
	/* a full-screen window cannot follow the guest: the guest follows
	 * it (from the start with --fullscreen); a window does follow */
	if (render_fullscreen(p->render))
		note_window_size(p);
	else
		guest_resize_fitting(&p->resize, w, h, now_ms());
}

static void kiosk_set_message(struct player *p, char *text);
static void menu_hint_once(struct player *p);

static void on_vnc_update(void *user, int x, int y, int w, int h)
{
	struct player *p = user;
	/* every frame QEMU sends is shown: when the library had a second
	 * update buffered, show the first before taking the next */
	if (p->unpresented)
		present(p);
	struct vnc_frame f = vnc_frame(p->vnc);
	render_upload(p->render, f.pixels, f.pitch, x, y, w, h);
	if (!p->updates++) {
		/* "Starting...": in kiosk mode also what the PIN entry puts
		 * back when it closes */
		if (p->kiosk)
			kiosk_set_message(p, NULL);
		else
			render_set_message(p->render, NULL);
		menu_hint_once(p);
		p->first_update_ms = now_ms();
	}
	p->unpresented = true;
}

/* The guest picture goes straight into the texture when the renderer
 * allows it; the frame waiting to be shown is shown before that memory
 * takes the next one. */
static uint8_t *on_vnc_frame(void *user, int w, int h, int *pitch)
{
	struct player *p = user;
	if (p->unpresented)
		present(p);
	return render_frame_memory(p->render, w, h, pitch);
}

static void on_vnc_cursor(void *user, const uint32_t *argb, int w, int h,
			  int hot_x, int hot_y)
{
	struct player *p = user;
	render_set_cursor(p->render, argb, w, h, hot_x, hot_y);
}

static void on_vnc_clip_text(void *user, const char *text, size_t len)
{
	struct player *p = user;
	clipboard_sync_guest_text(p->clip, text, len);
}

static void on_vnc_clip_request(void *user)
{
	struct player *p = user;
	clipboard_sync_guest_request(p->clip);
}

static void toast(struct player *p, enum toast_kind kind, const char *text);

static void on_clip_note(void *user, const char *text)
{
	toast(user, TOAST_INFO, text);
}

static void on_vnc_size_answer(void *user, int status, int w, int h)
{
	struct player *p = user;
	bool accepted = vnc_desktop_size_accepted(status);
	if (!accepted && !p->resize.refused) {
		/* TRANSLATORS: %s is why, as the VNC server said it. */
		char *msg = xasprintf(_("The guest cannot follow the window (%s); "
					"the picture is scaled."),
				      vnc_desktop_size_status(status));
		toast(p, TOAST_INFO, msg);
		free(msg);
	}
	log_debug("guest size request: %s, guest at %dx%d",
		  vnc_desktop_size_status(status), w, h);
	guest_resize_answer(&p->resize, accepted);
}

/* The window's size in physical pixels (HiDPI: more than its size). */
static void note_window_size(struct player *p)
{
	int w = 0, h = 0;
	SDL_Renderer *ren = SDL_GetRenderer(render_window(p->render));
	if (!ren || SDL_GetRendererOutputSize(ren, &w, &h) != 0)
		SDL_GetWindowSize(render_window(p->render), &w, &h);
	guest_resize_window(&p->resize, w, h, now_ms());
}

/* Sends the debounced size request when it is due. */
static void resize_tick(struct player *p)
{
	if (!p->vnc)
		return;
	struct vnc_frame f = vnc_frame(p->vnc);
	int w, h;
	if (guest_resize_due(&p->resize, now_ms(), f.width, f.height, &w, &h)) {
		log_debug("asking the guest for %dx%d", w, h);
		vnc_request_size(p->vnc, w, h);
	}
}

static int resize_timeout_ms(struct player *p)
{
	if (!p->vnc)
		return -1;
	struct vnc_frame f = vnc_frame(p->vnc);
	return guest_resize_timeout_ms(&p->resize, now_ms(), f.width,
				       f.height);
}

/* ---- lifecycle ---- */

static void fail(struct player *p, const char *message)
{
	log_error("%s", message);
	char *shown = xasprintf(_("%s\n\nClose the window to quit."), message);
	render_set_message(p->render, shown);
	free(shown);
	p->failed = true;
	p->exit_status = 1;
	update_title(p);
}

/* ---- the machine's results (menu_bridge.c) ---- */

static void on_action_note(void *user, enum vm_note kind, const char *text)
{
	struct player *p = user;
	if (kind == VM_NOTE_ERROR)
		log_error("%s", text);
	else
		log_info("%s", text);
	menu_bridge_note(p->toasts, &p->progress_toast, now_ms(), kind, text);
	update_info(p);   /* busy text; also presents the toast */
	snapshot_requests_note(p->requests, kind, text);
}

/* A snapshot command from another vmplay runs as the menu's would. A
 * kiosk takes none: its policy decides what may be done to it. */
static void run_snapshot_request(void *user,
				 enum snapshot_request_action action,
				 const char *name)
{
	struct player *p = user;
	if (p->kiosk) {
		snapshot_requests_note(p->requests, VM_NOTE_ERROR,
				       _("This VM runs in kiosk mode, which "
					 "takes no snapshot commands from "
					 "outside"));
		return;
	}
	switch (action) {
	case SNAPSHOT_REQUEST_TAKE:
		machine_snapshot_take(p->machine, name);
		break;
	case SNAPSHOT_REQUEST_RESTORE:
		machine_snapshot_restore(p->machine, name);
		break;
	case SNAPSHOT_REQUEST_DELETE:
		machine_snapshot_delete(p->machine, name);
		break;
	}
}

static void take_snapshot_requests(struct player *p)
{
	int fd;
	char *line;
	while (instance_next_request(p->instance, &fd, &line)) {
		snapshot_requests_add(p->requests, fd, line);
		free(line);
	}
}

static void on_action_changed(void *user)
{
	update_info(user);
}

static bool on_action_restart(void *user)
{
	struct player *p = user;
	if (p->sv || !p->session || vm_session_exited(p->session))
		return false;   /* kiosk: the supervisor owns the sessions */
	p->restarting = true;
	vm_session_quit(p->session);
	return true;
}

static bool connect_display(struct player *p);
static bool open_vnc(struct player *p, char **error);

static char *pause_keys(struct player *p)
{
	return binding_display(bindings_get(p->bindings, SHORTCUT_PAUSE));
}

/* Paused: the picture dimmed and a note saying how to resume; gone when
 * it runs again (or stops). */
static void show_paused(struct player *p, bool paused)
{
	if (paused == p->paused_note)
		return;
	p->paused_note = paused;
	p->paused_keys_said = false;
	render_set_dim(p->render, paused);
	char *note = NULL;
	if (paused) {
		char *keys = pause_keys(p);
		note = screen_note_paused(keys);
		free(keys);
	}
	if (p->kiosk)
		kiosk_set_message(p, note);
	else {
		render_set_message(p->render, note);
		free(note);
	}
}

static void on_state(void *user, enum vm_state state, const char *why)
{
	struct player *p = user;
	p->state = state;
	show_paused(p, state == VM_STATE_PAUSED && p->updates > 0);
	log_debug("VM %s: %s", vm_state_name(state), why);
	switch (state) {
	case VM_STATE_POWERING_DOWN: {
		enum shutdown_by by = p->sv ? (p->kiosk_quitting
						       ? SHUTDOWN_KIOSK_QUIT
						       : SHUTDOWN_KIOSK_RESTART)
				  : p->closing ? SHUTDOWN_BY_CLOSE
						       : SHUTDOWN_BY_MENU;
		char *msg = screen_note_shutting_down(p->cfg->name, why, by);
		if (p->sv)
			kiosk_set_message(p, msg);   /* also after a PIN entry */
		else {
			render_set_message(p->render, msg);
			free(msg);
		}
		log_info(_("shutting down %s: %s"), p->cfg->name, why);
		break;
	}
	case VM_STATE_STOPPING:
		render_set_message(p->render, why);
		break;
	case VM_STATE_EXITED: {
		if (p->sv)
			break;   /* kiosk: the supervisor starts it again */
		if (p->restarting) {
			/* the stopped screen restores the disks
			 * (vm_actions_set_session(NULL)); Run follows from
			 * the loop, not inside the session's callback */
			p->restarting = false;
			enter_stopped(p);
			p->restart_now = true;
			break;
		}
		char *msg = NULL;
		switch (machine_ended(p->machine, &msg)) {
		case MACHINE_END_DONE:
			p->exit_status = 0;
			if (p->closing || p->exit_on_poweroff)
				p->quit = true;
			else
				enter_stopped(p);
			break;
		case MACHINE_END_STOPPED:   /* it can run again: Run */
			p->start_again = true;
			enter_stopped(p);
			if (!p->overlay)   /* no menu: Enter, says msg */
				render_set_message(p->render, msg);
			break;
		default:
			fail(p, msg ? msg : _("The machine failed."));
			break;
		}
		free(msg);
		break;
	}
	case VM_STATE_RUNNING:
	case VM_STATE_PAUSED:
		/* started again (Run, or from outside): show it */
		if (p->stopped && p->start_again)
			leave_stopped(p);
		if (!p->vnc && !p->failed && !p->sv && connect_display(p))
			render_set_message(p->render, NULL);
		break;
	default:
		break;
	}
	update_title(p);
	update_info(p);
}

static void request_close(struct player *p)
{
	if (p->sv) {   /* kiosk: only after the PIN */
		if (p->kiosk_quitting)
			supervisor_stop(p->sv);
		else
			log_debug("kiosk mode: closing is off");
		return;
	}
	if (p->failed || p->stopped ||
	    machine_close(p->machine) == MACHINE_CLOSE_NOW) {
		p->quit = true;
		return;
	}
	p->closing = true;   /* the machine is shutting down */
}

static void toggle_pause(struct player *p)
{
	if (!p->machine)
		return;
	if (p->state == VM_STATE_PAUSED)
		machine_resume(p->machine);
	else if (p->state == VM_STATE_RUNNING)
		machine_pause(p->machine);
	else if (p->state == VM_STATE_EXITED && !p->failed)
		machine_start(p->machine);   /* Run */
}

/* ---- the overlay menu and toasts (overlay.c, toast.c) ----
 * While the menu is open it gets every event first; it is drawn after the
 * guest picture through render's hook, and toasts below it. */

static void update_info(struct player *p)
{
	if (!p->overlay)
		return;
	bool running = p->machine && p->state != VM_STATE_EXITED &&
		       !p->failed;
	struct overlay_info info = {
		.vm_name = p->cfg->name,
		.vm_dir = p->cfg->dir,
		.state = state_text(p),
		.stopped = p->stopped,
		.library = p->opts->library,
		.running = running,
		.paused = p->state == VM_STATE_PAUSED,
		.started_ms = p->stopped ? 0 : p->started_ms,
		.fullscreen = render_fullscreen(p->render),
		.scale = render_scale(p->render),
		.clipboard = clipboard_sync_state(p->clip),
		.guest_follows = p->resize.enabled && !p->resize.refused,
		.has_cdrom = machine_has_cdrom(p->machine),
		.cdrom = p->cfg->cdrom_file,
	};
	if (p->machine)
		menu_bridge_fill(p->machine, &info, &p->lists);
	settings_menu_fill(&p->settings, &info);
	overlay_set_info(p->overlay, &info);
	render_invalidate(p->render);
}

static void toast(struct player *p, enum toast_kind kind, const char *text);

static char *shortcut_keys(struct player *p, enum shortcut a)
{
	return binding_display(bindings_get(p->bindings, a));
}

/* "Ctrl+Alt+M: menu" at the first start of each VM, remembered in the
 * state folder (menu-hint-shown: the VM files' paths) so that it comes
 * once per VM, not at every start. Not in kiosk mode, where the menu
 * needs the PIN. */
static void menu_hint_once(struct player *p)
{
	if (p->kiosk || !p->cfg->path)
		return;
	char *file = recent_path("menu-hint-shown");
	char *vm = path_absolute(p->cfg->path);
	struct strv seen = { 0 };
	if (file)
		recent_load(file, &seen, 1000);
	bool shown = false;
	for (size_t i = 0; i < seen.n && !shown; i++)
		shown = !strcmp(seen.v[i], vm);
	if (!shown) {
		char *keys = shortcut_keys(p, SHORTCUT_MENU);
		char *hint = screen_note_menu_hint(keys);
		if (hint)
			toast(p, TOAST_INFO, hint);
		free(hint);
		free(keys);
		recent_push(&seen, vm, 1000);
		if (file)
			recent_save(file, &seen);
	}
	strv_free(&seen);
	free(vm);
	free(file);
}

/* The pointer was just grabbed: how to let go (and the menu). */
static void grabbed_hint(struct player *p)
{
	char *release = shortcut_keys(p, SHORTCUT_RELEASE);
	char *menu = shortcut_keys(p, SHORTCUT_MENU);
	char *msg = screen_note_grabbed(release, menu);
	toast(p, TOAST_INFO, msg);
	free(msg);
	free(menu);
	free(release);
}

static void toast(struct player *p, enum toast_kind kind, const char *text)
{
	if (kind == TOAST_ERROR)
		log_error("%s", text);
	else
		log_debug("toast: %s", text);
	if (p->toasts) {
		toast_show(p->toasts, kind, now_ms(), "%s", text);
		render_invalidate(p->render);
	}
}

static void take_screenshot(struct player *p)
{
	if (!p->vnc) {
		toast(p, TOAST_ERROR, _("No guest screen to take a picture of."));
		return;
	}
	struct vnc_frame f = vnc_frame(p->vnc);
	char *error = NULL;
	char *path = screenshot_take(f.pixels, f.width, f.height, f.pitch,
				     SDL_PIXELFORMAT_XRGB8888, p->cfg->name,
				     p->cfg->dir, &error);
	char *msg = path ? xasprintf(_("Screenshot saved: %s"), path)
			 : xasprintf(_("Screenshot failed: %s"), error);
	toast(p, path ? TOAST_INFO : TOAST_ERROR, msg);
	free(msg);
	free(path);
	free(error);
}

static void run_again(struct player *p);

/* The library is `vmplay` without a file, in a process of its own (as the
 * library starts VMs in theirs); this window, its VM off, closes. Not
 * proc_spawn: its children die with vmplay (PDEATHSIG), and the library
 * must outlive this window; a session of its own keeps it from this
 * terminal's Ctrl+C. */
static void open_library(struct player *p)
{
	char *argv[] = { (char *)"vmplay", NULL };
	posix_spawnattr_t attr;
	posix_spawnattr_init(&attr);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID);
	pid_t pid;
	int err = posix_spawn(&pid, "/proc/self/exe", NULL, &attr, argv, environ);
	posix_spawnattr_destroy(&attr);
	if (err) {
		char *msg = xasprintf(_("Cannot open the library: %s"), strerror(err));
		toast(p, TOAST_ERROR, msg);
		free(msg);
		return;
	}
	p->exit_status = 0;
	p->quit = true;
}

static void on_menu(void *user, const struct menu_request *req)
{
	struct player *p = user;
	log_debug("menu: %s", menu_action_name(req->action));
	if (p->machine && menu_bridge_dispatch(p->machine, req)) {
		update_info(p);
		return;
	}
	char *note = NULL;
	bool running = p->machine && p->state != VM_STATE_EXITED && !p->stopped;
	if (settings_menu_dispatch(&p->settings, p->overlay, req, running,
				   &note)) {
		if (note) {
			log_info("%s", note);
			toast(p, TOAST_INFO, note);
		}
		free(note);
		update_info(p);
		return;
	}
	switch (req->action) {
	case MENU_PAUSE:
		toggle_pause(p);
		break;
	case MENU_RESET:
		machine_reset(p->machine);
		break;
	case MENU_SHUTDOWN:
		machine_powerdown(p->machine);
		break;
	case MENU_FORCE_OFF:
		machine_force_off(p->machine);
		break;
	case MENU_FULLSCREEN:
		render_set_fullscreen(p->render, !render_fullscreen(p->render));
		break;
	case MENU_SCALE:
		render_set_scale(p->render, (enum scale_mode)req->value);
		break;
	case MENU_SEND_KEYS:
		input_send_keys(p->input, req->keys, req->n_keys);
		break;
	case MENU_SCREENSHOT:
		take_screenshot(p);
		break;
	case MENU_CLIPBOARD: {
		bool on = clipboard_sync_state(p->clip) != OVERLAY_CLIP_ON;
		clipboard_sync_set_enabled(p->clip, on);
		toast(p, TOAST_INFO, on ? _("Clipboard shared with the guest.")
					: _("Clipboard not shared with the guest."));
		break;
	}
	case MENU_QUIT:
		if (p->sv)   /* kiosk: the menu was opened with the PIN */
			p->kiosk_quitting = true;
		request_close(p);
		break;
	case MENU_RUN:
		run_again(p);
		break;
	case MENU_CLOSE:
		p->exit_status = 0;
		p->quit = true;
		break;
	case MENU_LIBRARY:
		open_library(p);
		break;
	case MENU_SNAPSHOT_LIST:
	case MENU_DISK_LIST:
		break;   /* the pages stay "loading": not wired yet */
	default: {
		/* TRANSLATORS: %s is a menu item's label. */
		char *msg = xasprintf(_("%s: not available in this version."),
				      req->label ? req->label
						 : menu_action_name(req->action));
		toast(p, TOAST_ERROR, msg);
		free(msg);
		break;
	}
	}
	update_info(p);
}

static void draw_hook(void *user, SDL_Renderer *ren, int ow, int oh)
{
	struct player *p = user;
	int ww, wh;
	if (p->stopped) {
		/* the last guest frame, dimmed: the VM is off */
		SDL_SetRenderDrawBlendMode(ren, SDL_BLENDMODE_BLEND);
		SDL_SetRenderDrawColor(ren, 0, 0, 0, 150);
		SDL_RenderFillRect(ren, NULL);
	}
	SDL_GetWindowSize(render_window(p->render), &ww, &wh);
	float scale = ww > 0 ? (float)ow / (float)ww : 1.0f;
	if (p->overlay)
		overlay_draw(p->overlay, ow, oh, scale);
	if (p->toasts && p->text)
		toasts_draw(p->toasts, p->text, ow, oh, scale);
}

static void setup_overlay(struct player *p)
{
	char *error = NULL;
	p->text = text_create(render_renderer(p->render), NULL, &error);
	if (!p->text) {
		log_warn(_("no menu and notifications: %s"), error);
		free(error);
		return;
	}
	render_set_text(p->render, p->text);
	p->overlay = overlay_create(p->text, on_menu, p);
	p->toasts = toasts_create();
	render_set_hook(p->render, draw_hook, p);
	update_info(p);
}

static bool overlay_offer(struct player *p, const SDL_Event *ev)
{
	if (!p->overlay || !overlay_is_open(p->overlay))
		return false;
	bool used = overlay_handle_event(p->overlay, ev);
	if (!overlay_is_open(p->overlay))
		SDL_StopTextInput();   /* the overlay started it for its fields */
	if (overlay_needs_redraw(p->overlay))
		render_invalidate(p->render);
	return used;
}

static void open_menu(struct player *p, bool quit_page)
{
	if (!p->overlay) {
		if (quit_page)
			request_close(p);
		return;
	}
	/* the guest must not keep the keys that opened the menu */
	input_release_all(p->input);
	if (quit_page)
		overlay_open_quit(p->overlay);
	else
		overlay_open(p->overlay);
	update_info(p);
}

static bool kiosk_allows(struct player *p, enum shortcut a);

static void run_action(struct player *p, enum shortcut a)
{
	static const SDL_Scancode cad[] = { SDL_SCANCODE_LCTRL,
					    SDL_SCANCODE_LALT,
					    SDL_SCANCODE_DELETE };
	log_debug("shortcut: %s", shortcut_name(a));
	if (!kiosk_allows(p, a))
		return;
	switch (a) {
	case SHORTCUT_PAUSE:
		toggle_pause(p);
		break;
	case SHORTCUT_FULLSCREEN:
		render_set_fullscreen(p->render, !render_fullscreen(p->render));
		update_info(p);
		break;
	case SHORTCUT_RELEASE:
		input_set_grab(p->input, false);
		update_title(p);
		break;
	case SHORTCUT_MENU:
		open_menu(p, false);
		break;
	case SHORTCUT_QUIT:
		open_menu(p, true);
		break;
	case SHORTCUT_SNAPSHOT:
		machine_snapshot_take(p->machine, NULL);
		break;
	case SHORTCUT_SCREENSHOT:
		take_screenshot(p);
		break;
	case SHORTCUT_CTRL_ALT_DEL:
		/* the user holds ctrl+alt already; send the whole chord */
		input_release_all(p->input);
		input_send_keys(p->input, cad, ARRAY_SIZE(cad));
		break;
	default:
		/* TRANSLATORS: %s is a shortcut's name, e.g. "screenshot". */
		log_info(_("%s: not available in this build"), shortcut_name(a));
		break;
	}
}

/* ---- kiosk mode ---- */

static void kiosk_set_message(struct player *p, char *text)
{
	free(p->kiosk_message);
	p->kiosk_message = text;
	if (!kiosk_pin_active(p->kiosk))
		render_set_message(p->render, text);
}

static void kiosk_show_pin(struct player *p)
{
	char *prompt = kiosk_pin_prompt(p->kiosk, now_ms());
	render_set_message(p->render, prompt);
	free(prompt);
}

/* A shortcut's fate in kiosk mode: true to run it now. The PIN entry
 * opens for the menu and quit; its acceptance runs the action through
 * here again, marked by kiosk_pin_granted. */
static bool kiosk_allows(struct player *p, enum shortcut a)
{
	if (!p->kiosk)
		return true;
	if (p->kiosk_pin_granted == a) {
		p->kiosk_pin_granted = SHORTCUT_NONE;
		return true;
	}
	switch (kiosk_check_action(p->kiosk, a)) {
	case KIOSK_ALLOW:
		return true;
	case KIOSK_NEED_PIN:
		input_release_all(p->input);   /* ctrl+alt are still down */
		kiosk_pin_begin(p->kiosk, a, now_ms());
		log_debug("kiosk mode: PIN entry for %s", shortcut_name(a));
		kiosk_show_pin(p);
		return false;
	default:
		log_debug("kiosk mode: %s is off", shortcut_name(a));
		return false;
	}
}

static void kiosk_pin_event(struct player *p, const SDL_KeyboardEvent *key)
{
	int k = kiosk_pin_key_from_sdl(key);
	if (!k)
		return;
	switch (kiosk_pin_key(p->kiosk, k, now_ms())) {
	case KIOSK_PIN_ACCEPTED: {
		enum shortcut a = kiosk_pin_action(p->kiosk);
		render_set_message(p->render, p->kiosk_message);
		log_info(_("kiosk mode: PIN accepted for %s"), shortcut_name(a));
		/* with the menu, quitting waits for its confirmation */
		if (a == SHORTCUT_QUIT && !p->overlay)
			p->kiosk_quitting = true;
		p->kiosk_pin_granted = a;
		run_action(p, a);
		break;
	}
	case KIOSK_PIN_CANCELLED:
		log_debug("kiosk mode: PIN entry closed");
		render_set_message(p->render, p->kiosk_message);
		break;
	case KIOSK_PIN_REJECTED:
		log_warn(_("kiosk mode: wrong PIN"));
		kiosk_show_pin(p);
		break;
	default:
		kiosk_show_pin(p);
		break;
	}
}

static void kiosk_pointer_moved(struct player *p)
{
	p->pointer_moved_ms = now_ms();
	if (p->pointer_hidden) {
		SDL_ShowCursor(SDL_ENABLE);
		p->pointer_hidden = false;
	}
}

static int kiosk_timeout_ms(struct player *p)
{
	int t = -1;
	if (kiosk_pin_active(p->kiosk))
		t = 1000;   /* the lockout countdown */
	if (!p->pointer_hidden) {
		uint64_t idle = now_ms() - p->pointer_moved_ms;
		int left = idle >= KIOSK_POINTER_IDLE_MS
				   ? 0 : (int)(KIOSK_POINTER_IDLE_MS - idle);
		if (t < 0 || left < t)
			t = left;
	}
	return t;
}

static void kiosk_tick(struct player *p)
{
	if (!p->pointer_hidden &&
	    now_ms() - p->pointer_moved_ms >= KIOSK_POINTER_IDLE_MS) {
		SDL_ShowCursor(SDL_DISABLE);
		p->pointer_hidden = true;
	}
	if (kiosk_pin_active(p->kiosk))
		kiosk_show_pin(p);
}

static bool attach_session(struct player *p, struct vm_session *s);

static void kiosk_started(void *user, struct vm_session *s, unsigned start_no)
{
	struct player *p = user;
	log_info(_("%s: running (start %u, QEMU pid %ld)"), p->cfg->name,
		 start_no, (long)launch_pid(vm_session_launch(s)));
	p->updates = 0;   /* the first frame clears the message */
	kiosk_set_message(p, xasprintf(_("Starting %s..."), p->cfg->name));
	if (!attach_session(p, s))
		vm_session_quit(s);   /* the supervisor tries again */
	update_info(p);
}

static void kiosk_stopped(struct player *p, const char *why, long delay_ms)
{
	if (delay_ms >= 0)
		/* TRANSLATORS: kiosk mode between two runs: why the VM
		 * stopped, then the seconds until it starts again. */
		kiosk_set_message(p, xasprintf(_("%s\n\nStarting again in %ld s."),
					       why, (delay_ms + 999) / 1000));
	else
		kiosk_set_message(p, xstrdup(why));
	update_title(p);
}

static void kiosk_ended(void *user, struct vm_session *s, long delay_ms,
			const char *why)
{
	struct player *p = user;
	(void)s;
	drop_vnc(p);
	p->vnc_lost_at = 0;
	p->session = NULL;
	machine_qemu_set_session(p->machine, NULL, false);
	kiosk_stopped(p, why, delay_ms);
	update_info(p);
}

static void kiosk_start_failed(void *user, const char *error, long delay_ms)
{
	kiosk_stopped(user, error, delay_ms);
}

/* Full-screen on X11 is a request to the window manager; an appliance
 * may run X with none, and then the window keeps its windowed size. Move
 * and size it to the display directly (a window manager that did it
 * already sees the same geometry). Xlib comes from SDL's own copy, as in
 * find_display_fd. */
static void kiosk_cover_display(SDL_Window *win)
{
#if defined(SDL_VIDEO_DRIVER_X11)
	SDL_SysWMinfo info;
	SDL_Rect b;
	SDL_VERSION(&info.version);
	if (!SDL_GetWindowWMInfo(win, &info) ||
	    info.subsystem != SDL_SYSWM_X11 ||
	    SDL_GetDisplayBounds(SDL_GetWindowDisplayIndex(win), &b) != 0)
		return;
	void *lib = dlopen("libX11.so.6", RTLD_LAZY | RTLD_NOLOAD);
	typedef int (*move_resize_fn)(Display *, Window, int, int, unsigned,
				      unsigned);
	move_resize_fn move_resize =
		lib ? (move_resize_fn)dlsym(lib, "XMoveResizeWindow") : NULL;
	if (move_resize)
		move_resize(info.info.x11.display, info.info.x11.window, b.x,
			    b.y, (unsigned)b.w, (unsigned)b.h);
	if (lib)
		dlclose(lib);
#else
	(void)win;
#endif
}

/* Kiosk mode's window: covering the screen, no screen saver, keys kept
 * from the window system; and the supervisor, started. */
static void kiosk_run(struct player *p)
{
	SDL_Window *win = render_window(p->render);
	SDL_SetWindowBordered(win, SDL_FALSE);
	kiosk_cover_display(win);
	SDL_DisableScreenSaver();
	SDL_SetWindowKeyboardGrab(win, SDL_TRUE);
	p->pointer_moved_ms = now_ms();
	char *warnings = kiosk_warnings(p->kiosk);
	if (warnings)
		log_warn("%s", warnings);
	free(warnings);
	p->sv = supervisor_create(p->cfg, p->kiosk,
		&(struct supervisor_listener){
			.started = kiosk_started,
			.ended = kiosk_ended,
			.start_failed = kiosk_start_failed,
			.user = p,
		});
	supervisor_start(p->sv);
}

/* ---- SDL events ---- */

static void on_window_event(struct player *p, const SDL_WindowEvent *w)
{
	switch (w->event) {
	case SDL_WINDOWEVENT_CLOSE:
		request_close(p);
		break;
	case SDL_WINDOWEVENT_FOCUS_GAINED:
		if (p->kiosk)
			SDL_SetWindowKeyboardGrab(render_window(p->render),
						  SDL_TRUE);
		render_invalidate(p->render);
		/* the moment after copying in another program */
		clipboard_sync_host_changed(p->clip);
		break;
	case SDL_WINDOWEVENT_SIZE_CHANGED:
		render_window_changed(p->render);
		/* before the guest's first picture the size is only the
		 * placeholder window's */
		if (p->vnc && p->updates)
			note_window_size(p);
		break;
	case SDL_WINDOWEVENT_FOCUS_LOST:
		/* the guest must not keep keys the host took away */
		input_release_all(p->input);
		if (input_grabbed(p->input)) {
			input_set_grab(p->input, false);
			update_title(p);
		}
		break;
	default:
		/* exposed, resized, moved, shown, restored...: draw again */
		render_window_changed(p->render);
		break;
	}
}

/* With QEMU gone (its error on screen) the arrows, Page Up/Down, Home,
 * End and the wheel scroll a message taller than the window. */
static bool scroll_message(struct player *p, const SDL_Event *ev)
{
	if (!p->failed)
		return false;
	int delta = 0;
	if (ev->type == SDL_MOUSEWHEEL) {
		delta = -3 * ev->wheel.y;
	} else if (ev->type == SDL_KEYDOWN) {
		switch (ev->key.keysym.scancode) {
		case SDL_SCANCODE_UP: delta = -1; break;
		case SDL_SCANCODE_DOWN: delta = 1; break;
		case SDL_SCANCODE_PAGEUP: delta = -10; break;
		case SDL_SCANCODE_PAGEDOWN: delta = 10; break;
		case SDL_SCANCODE_HOME: delta = INT_MIN; break;
		case SDL_SCANCODE_END: delta = INT_MAX; break;
		default: return false;
		}
	} else {
		return false;
	}
	return delta && render_scroll_message(p->render, delta);
}

static void on_event(struct player *p, const SDL_Event *ev)
{
	/* on the stopped screen the pause shortcut is Run too (the stopped
	 * page would take the key) */
	if (p->stopped && ev->type == SDL_KEYDOWN && !ev->key.repeat &&
	    bindings_match(p->bindings, &ev->key) == SHORTCUT_PAUSE) {
		run_again(p);
		return;
	}
	if (overlay_offer(p, ev))
		return;
	if (scroll_message(p, ev))
		return;
	switch (ev->type) {
	case SDL_QUIT:
		request_close(p);
		break;
	case SDL_WINDOWEVENT:
		on_window_event(p, &ev->window);
		break;
	case SDL_KEYDOWN: {
		if (p->stopped && !ev->key.repeat &&
		    (ev->key.keysym.sym == SDLK_RETURN ||
		     ev->key.keysym.sym == SDLK_KP_ENTER)) {
			run_again(p);   /* no menu (no font): Enter is Run */
			break;
		}
		if (p->kiosk && kiosk_pin_active(p->kiosk)) {
			kiosk_pin_event(p, &ev->key);
			break;   /* PIN digits never reach the guest */
		}
		enum shortcut a = bindings_match(p->bindings, &ev->key);
		if (a != SHORTCUT_NONE) {
			if (!ev->key.repeat)
				run_action(p, a);
			break;   /* the shortcut's key never reaches the guest */
		}
		if (p->paused_note) {
			/* A paused guest would lose them: say so once. */
			if (!p->paused_keys_said) {
				p->paused_keys_said = true;
				char *keys = pause_keys(p);
				char *msg = screen_note_keys_paused(keys);
				toast(p, TOAST_INFO, msg);
				free(msg);
				free(keys);
			}
			break;
		}
		input_key(p->input, &ev->key);
		break;
	}
	case SDL_KEYUP:
		if (p->kiosk && kiosk_pin_active(p->kiosk))
			break;
		input_key(p->input, &ev->key);
		break;
	case SDL_MOUSEMOTION:
	case SDL_MOUSEBUTTONDOWN:
	case SDL_MOUSEBUTTONUP:
	case SDL_MOUSEWHEEL: {
		if (p->kiosk)
			kiosk_pointer_moved(p);
		bool was = input_grabbed(p->input);
		input_mouse(p->input, ev);
		if (was != input_grabbed(p->input)) {
			update_title(p);
			if (!was && !p->kiosk)
				grabbed_hint(p);
		}
		break;
	}
	case SDL_CLIPBOARDUPDATE:
		clipboard_sync_host_changed(p->clip);
		break;
	case SDL_RENDER_TARGETS_RESET:
	case SDL_RENDER_DEVICE_RESET:
		/* the texture's content is gone: take the whole frame again */
		if (p->vnc) {
			struct vnc_frame f = vnc_frame(p->vnc);
			render_guest_resized(p->render, f.width, f.height);
			render_upload(p->render, f.pixels, f.pitch, 0, 0, f.width,
				      f.height);
		}
		render_invalidate(p->render);
		break;
	default:
		break;
	}
}

static void drain_sdl(struct player *p)
{
	SDL_Event ev;
	SDL_PumpEvents();
	while (!p->quit &&
	       SDL_PeepEvents(&ev, 1, SDL_GETEVENT, SDL_FIRSTEVENT,
			      SDL_LASTEVENT) > 0)
		on_event(p, &ev);
}

/* ms from the player's start to a milestone, -1 when not reached */
static long long since_start(const struct player *p, uint64_t t)
{
	return t ? (long long)(t - p->started_ms) : -1LL;
}

/* For benchmarks: printed on SIGUSR1, and at exit with VMPLAY_STATS set.
 * updates = VNC updates received, frames = windows presented; startup =
 * when each step of the start was done, ms from the player's start:
 * window shown, QEMU started, its sockets answering, QMP ready, VNC
 * connected, first update received, first frame presented. */
static void print_stats(const struct player *p)
{
	const struct launch *l = p->session && !p->sv
		? vm_session_launch(p->session) : NULL;
	fprintf(stderr,
		"vmplay-stats: first_frame_ms=%lld updates=%llu frames=%llu "
		"startup=window:%lld,exec:%lld,sockets:%lld,qmp:%lld,vnc:%lld,"
		"update:%lld,present:%lld\n",
		since_start(p, p->first_frame_ms),
		(unsigned long long)p->updates,
		(unsigned long long)render_frames(p->render),
		since_start(p, p->window_ms),
		since_start(p, l ? launch_spawned_ms(l) : 0),
		since_start(p, l ? launch_ready_ms(l) : 0),
		since_start(p, p->session_ms), since_start(p, p->vnc_ms),
		since_start(p, p->first_update_ms),
		since_start(p, p->first_frame_ms));
}

static void drain_signals(struct player *p)
{
	int sig;
	while ((sig = stop_signals_take(&p->signals))) {
		if (sig == SIGUSR1) {
			print_stats(p);
			continue;
		}
		log_info(p->failed ? _("got signal %d: closing")
				   : _("got signal %d: shutting the VM down"), sig);
		if (p->sv) {   /* kiosk: a signal stops it for good */
			p->kiosk_quitting = true;
			supervisor_stop(p->sv);
		} else {
			request_close(p);
		}
	}
}

static int min_timeout(int a, int b)
{
	if (a < 0)
		return b;
	if (b < 0)
		return a;
	return a < b ? a : b;
}


static void lose_vnc(struct player *p)
{
	log_debug("VNC connection closed");
	drop_vnc(p);
	p->vnc_lost_at = now_ms();
}

static void loop(struct player *p)
{
	while (!p->quit) {
		drain_sdl(p);
		if (p->quit)
			break;
		if (p->stopped && p->overlay && !overlay_is_open(p->overlay)) {
			overlay_open(p->overlay);   /* the stopped page stays */
			update_info(p);
		}
		if (render_needs_present(p->render))
			present(p);
		/* presenting may have queued window events out of poll's
		 * sight */
		SDL_PumpEvents();
		if (SDL_HasEvents(SDL_FIRSTEVENT, SDL_LASTEVENT))
			continue;
		/* bytes libvncclient already read (e.g. with the handshake)
		 * never wake poll() */
		if (p->vnc && vnc_buffered(p->vnc)) {
			if (!vnc_dispatch(p->vnc))
				lose_vnc(p);
			continue;
		}

		struct pollfd fds[8];
		int n = 0, i_display = -1, i_vnc = -1, i_sig, i_instance = -1;
		if (p->display_fd >= 0) {
			i_display = n;
			fds[n++] = (struct pollfd){ p->display_fd, POLLIN, 0 };
		}
		if (p->vnc) {
			i_vnc = n;
			fds[n++] = (struct pollfd){ vnc_fd(p->vnc), POLLIN, 0 };
		}
		i_sig = n;
		fds[n++] = (struct pollfd){ p->signals.fd, POLLIN, 0 };
		if (instance_fd(p->instance) >= 0) {
			i_instance = n;
			fds[n++] = (struct pollfd){ instance_fd(p->instance),
						    POLLIN, 0 };
		}
		int i_session = n;
		if (p->sv)
			n += supervisor_pollfds(p->sv, fds + n, 8 - n);
		else
			n += machine_pollfds(p->machine, fds + n, 8 - n);

		int timeout = p->display_fd >= 0 ? p->display_max_wait
						 : PUMP_INTERVAL_MS;
		if (p->sv)
			timeout = min_timeout(timeout,
					      supervisor_timeout_ms(p->sv));
		else
			timeout = min_timeout(timeout,
					      machine_timeout_ms(p->machine));
		if (p->kiosk)
			timeout = min_timeout(timeout, kiosk_timeout_ms(p));
		if (!p->vnc && p->vnc_lost_at && !p->failed && !p->stopped)
			timeout = min_timeout(timeout, VNC_LOST_GRACE_MS / 10);
		if (p->pump_for_repeat && input_keys_down(p->input) > 0)
			timeout = min_timeout(timeout, PUMP_INTERVAL_MS);
		uint64_t now = now_ms();
		if (p->overlay)
			timeout = min_timeout(timeout, overlay_timeout(p->overlay, now));
		if (p->toasts)
			timeout = min_timeout(timeout, toasts_timeout(p->toasts, now));
		timeout = min_timeout(timeout,
				      clipboard_sync_timeout_ms(p->clip, now));
		timeout = min_timeout(timeout, resize_timeout_ms(p));
		if (poll(fds, (nfds_t)n, timeout) < 0 && errno != EINTR) {
			log_error("poll: %s", strerror(errno));
			break;
		}
		(void)i_display;   /* only wakes us: SDL reads it */
		(void)i_session;
		if (fds[i_sig].revents)
			drain_signals(p);
		if (i_vnc >= 0 && fds[i_vnc].revents) {
			if (!vnc_dispatch(p->vnc))
				lose_vnc(p);
		}
		if (i_instance >= 0 && fds[i_instance].revents &&
		    instance_dispatch(p->instance) > 0) {
			SDL_ShowWindow(render_window(p->render));
			SDL_RestoreWindow(render_window(p->render));
			SDL_RaiseWindow(render_window(p->render));
		}
		take_snapshot_requests(p);
		if (p->sv) {
			supervisor_dispatch(p->sv);
			if (supervisor_finished(p->sv)) {
				p->exit_status = supervisor_exit_status(p->sv);
				p->quit = true;
			}
		} else {
			machine_dispatch(p->machine);
			if (p->restart_now) {
				p->restart_now = false;
				run_again(p);
			}
		}
		if (p->kiosk)
			kiosk_tick(p);
		snapshot_requests_tick(p->requests);
		if (p->vnc)
			clipboard_sync_tick(p->clip, now_ms());
		resize_tick(p);
		if (p->sv && !p->vnc && p->vnc_lost_at && p->session &&
		    now_ms() - p->vnc_lost_at > VNC_LOST_GRACE_MS) {
			/* kiosk: no display, no use; the supervisor restarts */
			p->vnc_lost_at = 0;
			vm_session_quit(p->session);
		}
		now = now_ms();
		if (p->toasts && toasts_expire(p->toasts, now))
			render_invalidate(p->render);
		if (p->overlay && overlay_timeout(p->overlay, now) == 0)
			render_invalidate(p->render);   /* the uptime ticks */
		/* the machine still runs: its display may come back (libvirt
		 * restarts QEMU to restore a snapshot) */
		if (!p->sv && !p->vnc && p->vnc_lost_at && !p->failed &&
		    !p->stopped && !p->quit && !p->restarting &&
		    p->state != VM_STATE_EXITED) {
			char *error = NULL;
			if (open_vnc(p, &error)) {
				log_debug("display connected again");
				p->vnc_lost_at = 0;
			}
			free(error);
		}
		if (!p->sv && !p->vnc && p->vnc_lost_at && !p->failed &&
		    !p->stopped && !p->quit && !p->restarting &&
		    p->state != VM_STATE_EXITED &&
		    now_ms() - p->vnc_lost_at > VNC_LOST_GRACE_MS) {
			char *msg = machine_display_lost(p->machine);
			fail(p, msg);
			free(msg);
		}
	}
}

/* Connects the machine's display. false when it cannot be reached (said
 * on screen). */
static bool open_vnc(struct player *p, char **error)
{
	struct vnc_callbacks cb = {
		.resize = on_vnc_resize,
		.update = on_vnc_update,
		.cursor = on_vnc_cursor,
		.frame = on_vnc_frame,
	};
	/* without them the encodings are not even announced: with the
	 * clipboard off nothing passes, whatever the guest runs */
	if (config_clipboard(p->cfg)) {
		cb.clipboard_text = on_vnc_clip_text;
		cb.clipboard_request = on_vnc_clip_request;
	}
	if (p->resize.enabled)
		cb.size_answer = on_vnc_size_answer;
	int fd = machine_open_display(p->machine, error);
	if (fd >= 0)
		/* TRANSLATORS: ends "VNC handshake with QEMU failed on %s". */
		p->vnc = vnc_connect_fd(fd, _("the display"),
					machine_wants_cursor(p->machine), &cb,
					p, error);
	if (p->vnc) {
		input_set_vnc(p->input, p->vnc);
		clipboard_sync_set_vnc(p->clip, p->vnc);
	}
	return p->vnc != NULL;
}

static bool connect_display(struct player *p)
{
	char *error = NULL;
	open_vnc(p, &error);
	p->vnc_lost_at = 0;
	if (!p->vnc) {
		if (p->sv)
			log_error("%s", error ? error : _("no display"));
		else
			fail(p, error ? error : _("no display"));
		free(error);
		update_title(p);
		return false;
	}
	if (!p->vnc_ms)
		p->vnc_ms = now_ms();
	update_title(p);
	return true;
}

/* accel = auto without a usable KVM runs much slower: said once in the
 * window too (qemu_args.c logs it on stderr, which a desktop user never
 * sees). */
static void warn_no_kvm(struct player *p)
{
	if (p->cfg->accel != ACCEL_AUTO)
		return;
	struct qemu_host host;
	qemu_host_detect(&host);
	if (host.kvm_usable)
		return;
	/* TRANSLATORS: the first %s is why (e.g. "/dev/kvm is missing"),
	 * the second the VM's name. */
	char *msg = xasprintf(_("KVM is not usable (%s): %s runs with TCG "
				"emulation, which is much slower."),
			      host.kvm_problem ? host.kvm_problem
					       : _("unknown reason"),
			      p->cfg->name);
	toast(p, TOAST_INFO, msg);
	free(msg);
}

/* The QEMU started ahead of the window, when the window never came. */
static void drop_early_launch(struct player *p)
{
	launch_destroy(p->early);
	p->early = NULL;
	free(p->early_error);
	p->early_error = NULL;
}

/* Follows the machine: its state, its display. false when the display
 * cannot be reached (said on screen; the caller stops a QEMU). */
static bool attach_machine(struct player *p)
{
	p->state = machine_state(p->machine);
	machine_set_listener(p->machine, &(struct machine_listener){
		.state_changed = on_state, .note = on_action_note,
		.changed = on_action_changed, .user = p,
		.restart = on_action_restart });
	if (p->state == VM_STATE_EXITED) {   /* a stopped libvirt domain */
		on_state(p, p->state, "stopped");
		return true;
	}
	return connect_display(p);
}

static bool attach_session(struct player *p, struct vm_session *s)
{
	p->session = s;
	machine_qemu_set_session(p->machine, s, !p->sv);
	return attach_machine(p);
}

/* ---- the stopped screen and Run ---- */

static void enter_stopped(struct player *p)
{
	log_info(_("%s: stopped"), p->cfg->name);
	p->stopped = true;
	instance_set_vm_off(p->instance, true);   /* the library: "off" */
	input_release_all(p->input);
	if (input_grabbed(p->input))
		input_set_grab(p->input, false);
	drop_vnc(p);   /* the texture keeps the last frame */
	p->vnc_lost_at = 0;
	/* snapshots via qemu-img; the exited session stays until Run (this
	 * runs inside its own state callback) */
	if (machine_actions(p->machine))
		vm_actions_set_session(machine_actions(p->machine), NULL);
	render_set_message(p->render, p->overlay ? NULL
			   : _("The VM is off. Press Enter to start it again."));
	if (p->overlay) {
		overlay_open(p->overlay);
		SDL_StartTextInput();
	}
	update_title(p);
	update_info(p);
}

/* A libvirt domain runs again (Run, the pause shortcut, or started from
 * outside): the window shows it instead of the stopped page. */
static void leave_stopped(struct player *p)
{
	log_info(_("%s: running again"), p->cfg->name);
	p->stopped = false;
	p->closing = false;
	p->updates = 0;   /* the first frame clears the message */
	if (p->overlay)
		overlay_close(p->overlay);
	SDL_StopTextInput();
	char *msg = xasprintf(_("Starting %s\xE2\x80\xA6"), p->cfg->name);
	render_set_message(p->render, msg);
	free(msg);
}

/* Run: the VM file as it is now (Settings may have changed it), the same
 * checks as at start, then a new QEMU in this window. A file that does
 * not read, or a setting that needs --trust, leaves the stopped screen
 * with the reason in a toast. */
static void run_again(struct player *p)
{
	if (!p->stopped)
		return;
	if (p->start_again) {
		/* libvirt starts it; its state change (on_state) leaves the
		 * stopped screen, a refusal is a note in libvirt's words */
		log_info(_("%s: starting the domain"), p->cfg->name);
		machine_start(p->machine);
		return;
	}
	char *error = NULL;
	struct vm_config *cfg = config_load(p->cfg->path, &error);
	struct bindings *b = NULL;
	if (cfg && trust_check(cfg, p->opts->trust, NULL, &error) &&
	    config_check_files(cfg, &error))
		b = bindings_load(cfg, &error);
	if (!b) {
		toast(p, TOAST_ERROR, error ? error : _("cannot start the VM"));
		free(error);
		config_destroy(cfg);
		return;
	}
	log_info(_("%s: starting again"), cfg->name);
	/* what borrows the old config goes first: the machine (its actions
	 * and the exited session) */
	machine_destroy(p->machine);
	p->machine = NULL;
	menu_bridge_lists_free(&p->lists);
	p->session = NULL;
	bindings_destroy(p->bindings);
	p->bindings = b;
	if (cfg->pointer != p->cfg->pointer) {
		input_destroy(p->input);
		p->input = input_create(cfg->pointer, p->render);
	}
	if (cfg->scale != p->cfg->scale)
		render_set_scale(p->render, cfg->scale);
	p->exit_on_poweroff = p->opts->exit_on_poweroff || cfg->exit_on_poweroff;
	config_destroy(p->own_cfg);
	p->own_cfg = cfg;
	p->cfg = cfg;
	p->machine = machine_qemu_create(cfg);

	p->stopped = false;
	instance_set_vm_off(p->instance, false);
	p->closing = false;
	p->state = VM_STATE_PRELAUNCH;
	p->updates = 0;        /* the first frame clears the message */
	p->started_ms = now_ms();
	p->first_frame_ms = 0;
	p->window_ms = p->started_ms;   /* the window is there already */
	p->session_ms = p->vnc_ms = p->first_update_ms = 0;
	if (p->overlay)
		overlay_close(p->overlay);
	SDL_StopTextInput();
	char *msg = xasprintf(_("Starting %s..."), cfg->name);
	render_set_message(p->render, msg);
	free(msg);
	struct vm_session *s = vm_session_start(cfg, 0, &error);
	p->session_ms = now_ms();
	if (!s) {
		/* back to the stopped screen: the settings can be fixed there */
		enter_stopped(p);
		toast(p, TOAST_ERROR, error ? error : _("QEMU did not start"));
		free(error);
		return;
	}
	if (!attach_session(p, s))
		vm_session_quit(s);
	update_title(p);
	update_info(p);
}

int player_run(const struct vm_config *cfg, const struct play_options *opts)
{
	return player_play(cfg, opts, NULL);
}

int player_play(const struct vm_config *cfg, const struct play_options *opts,
		struct machine *machine)
{
	struct player pl = { .cfg = cfg, .opts = opts, .display_fd = -1,
			     .machine = machine };
	struct player *p = &pl;
	p->exit_on_poweroff = opts->exit_on_poweroff || cfg->exit_on_poweroff;
	settings_menu_init(&p->settings, cfg->path);
	p->started_ms = now_ms();
	char *error = NULL;

	p->bindings = bindings_load(cfg, &error);
	if (!p->bindings) {
		fprintf(stderr, "%s\n", error ? error : _("bad key bindings"));
		free(error);
		return 1;
	}

	/* SIGINT/SIGTERM/SIGHUP mean "shut the VM down", through the loop;
	 * SIGUSR1 prints statistics. Before SDL_Init, so that SDL's threads
	 * inherit the blocked mask; and SDL's own handlers, which would turn
	 * them into SDL_QUIT, stay off. */
	static const int signals[] = { SIGINT, SIGTERM, SIGHUP, SIGUSR1, 0 };
	if (!stop_signals_open(&p->signals, signals)) {
		bindings_destroy(p->bindings);
		return 1;
	}

	/* QEMU takes longer to start than the window: start it first (a
	 * libvirt domain, given as machine, has its own) */
	if (!machine && !cfg->kiosk && !opts->kiosk)
		p->early = launch_spawn(cfg, &p->early_error);

	SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
	/* one close request per click on the close button */
	SDL_SetHint(SDL_HINT_QUIT_ON_LAST_WINDOW_CLOSE, "0");
	/* a windowed VM should not switch the desktop's compositor off */
	SDL_SetHint(SDL_HINT_VIDEO_X11_NET_WM_BYPASS_COMPOSITOR, "0");
	/* with the keyboard grabbed in full-screen (pointer grab, kiosk),
	 * SDL's default turns Alt+Tab into "minimize the window": the guest
	 * gets the keys, the release shortcut is how to get out */
	SDL_SetHint(SDL_HINT_ALLOW_ALT_TAB_WHILE_GRABBED, "0");
	/* the click that focuses the window counts: with a PS/2 pointer it
	 * grabs at once (SDL drops it when it comes within 10 ms of the
	 * focus, which depends on the window manager's timing) */
	SDL_SetHint(SDL_HINT_MOUSE_FOCUS_CLICKTHROUGH, "1");
	if (SDL_Init(SDL_INIT_VIDEO) != 0) {
		log_error(_("cannot open a window: %s (no display? try --headless)"),
			  SDL_GetError());
		drop_early_launch(p);
		bindings_destroy(p->bindings);
		stop_signals_close(&p->signals);
		return 1;
	}
	SDL_StopTextInput();   /* keys go to the guest as scancodes, no IME */

	char *title = xasprintf("%s: %s", cfg->name, _("starting"));
	/* kiosk: full-screen from the start, which also sizes the window to
	 * the display where no window manager does it */
	p->render = render_create(title, 720, 400, cfg->scale,
				  cfg->fullscreen || opts->fullscreen ||
					  cfg->kiosk || opts->kiosk, &error);
	free(title);
	if (!p->render) {
		log_error("%s", error);
		free(error);
		SDL_Quit();
		drop_early_launch(p);
		bindings_destroy(p->bindings);
		stop_signals_close(&p->signals);
		return 1;
	}
	p->input = input_create(cfg->pointer, p->render);
	p->clip = clipboard_sync_create(config_clipboard(cfg),
					render_window(p->render), on_clip_note, p);
	guest_resize_init(&p->resize, config_resize_guest(cfg));
	find_display_fd(p);
	setup_overlay(p);

	char *msg = xasprintf(_("Starting %s..."), cfg->name);
	render_set_message(p->render, msg);
	free(msg);
	present(p);
	SDL_PumpEvents();
	p->window_ms = now_ms();

	p->instance = opts->instance;
	p->requests = snapshot_requests_create(&(struct snapshot_target){
		.run = run_snapshot_request, .user = p });
	if (p->machine) {   /* given: a libvirt domain */
		attach_machine(p);
	} else if (cfg->kiosk || opts->kiosk) {
		p->machine = machine_qemu_create(cfg);
		p->kiosk = kiosk_create(cfg);
		kiosk_run(p);
	} else {
		p->machine = machine_qemu_create(cfg);
		struct vm_session *s = NULL;
		if (p->early) {
			s = vm_session_start_spawned(p->early, 0, &error);
			p->early = NULL;
		} else {
			error = p->early_error;
			p->early_error = NULL;
		}
		p->session_ms = now_ms();
		if (!s) {
			fail(p, error ? error : _("QEMU did not start"));
			free(error);
			error = NULL;
		} else if (!attach_session(p, s)) {
			vm_session_quit(s);
		}
	}
	update_title(p);
	update_info(p);
	if (!machine)   /* a libvirt domain runs where libvirt says */
		warn_no_kvm(p);

	loop(p);

	drop_early_launch(p);
	if (getenv("VMPLAY_STATS"))
		print_stats(p);
	menu_bridge_lists_free(&p->lists);
	overlay_destroy(p->overlay);
	toasts_destroy(p->toasts);
	if (p->render)
		render_set_text(p->render, NULL);
	text_destroy(p->text);
	input_destroy(p->input);
	save_thumbnail(p);
	clipboard_sync_destroy(p->clip);
	vnc_destroy(p->vnc);
	if (p->sv) {   /* kiosk: the supervisor owns the session */
		machine_qemu_set_session(p->machine, NULL, false);
		supervisor_destroy(p->sv);
	}
	snapshot_requests_destroy(p->requests);
	machine_destroy(p->machine);   /* and with it the session, if any */
	kiosk_destroy(p->kiosk);
	free(p->kiosk_message);
	render_destroy(p->render);
	SDL_Quit();
	bindings_destroy(p->bindings);
	settings_menu_free(&p->settings);
	config_destroy(p->own_cfg);
	stop_signals_close(&p->signals);
	return p->exit_status;
}
