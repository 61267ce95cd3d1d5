/* The library window; see library.h.
 *
 * Keys in the list: Up/Down/Page Up/Page Down/Home/End move the
 * selection, Enter plays it (or raises its window when it runs), typing
 * filters by name (Backspace, Escape clears), Ctrl+E the selected VM's
 * settings (the player's Settings pages), Ctrl+N the wizard, Ctrl+D
 * duplicate, Delete remove, Ctrl+O open a VM file by path, F5 reads the
 * library again, Ctrl+Q closes. The mouse: a click selects, a double
 * click plays, the buttons at the bottom do the rest.
 *
 * Below the VM files, the domains of the libvirt connections in
 * vmplay.ini (library_libvirt.c): the same keys, Play connects to the
 * domain; Settings, Duplicate and Remove are for VM files. */
#include "player/library.h"

#include "player/library_impl.h"

#include "base/i18n.h"
#include "base/log.h"
#include "base/path_complete.h"
#include "base/proc.h"
#include "base/util.h"
#include "player/desktop.h"
#include "player/library_ui.h"
#include "player/library_wizard.h"
#include "player/text.h"
#include "player/toast.h"
#include "vm/instance.h"
#include "vm/library.h"

#include <SDL2/SDL.h>
#include <SDL2/SDL_image.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* How often the running state is looked at, and the folders read. */
#define RUNNING_EVERY_MS 1000
#define RESCAN_EVERY_MS 4000

/* Translated where they are drawn. */
/* TRANSLATORS: the library window's buttons, side by side in one row:
 * keep them short. */
const char *const library_action_labels[] = {
	[ACT_PLAY] = N_("Play"), [ACT_SETTINGS] = N_("Settings…"),
	[ACT_NEW] = N_("New…"),
	[ACT_DUPLICATE] = N_("Duplicate…"),
	[ACT_REMOVE] = N_("Remove…"), [ACT_OPEN] = N_("Open file…"),
};

/* ---- the model ---- */

static const struct row *selected_row(const struct win *w)
{
	if (w->selected < 0 || (size_t)w->selected >= w->n_shown)
		return NULL;
	return &w->shown[w->selected];
}

const struct library_entry *library_selected(const struct win *w)
{
	const struct row *r = selected_row(w);
	return r && r->kind == ROW_VM ? &w->lib->entries[r->vm] : NULL;
}

const struct libvirt_domain_info *library_selected_domain(
	const struct win *w, const struct libvirt_watch_conn **conn)
{
	const struct row *r = selected_row(w);
	if (!r || r->kind != ROW_DOMAIN)
		return NULL;
	*conn = &w->conns[r->conn];
	return &w->conns[r->conn].domains[r->dom];
}

/* What names a row across rebuilds: "f\tPATH", "d\tCONNECTION\tDOMAIN". */
static char *row_key(const struct win *w, const struct row *r)
{
	if (!r || r->kind == ROW_GROUP)
		return NULL;
	if (r->kind == ROW_VM)
		return xasprintf("f\t%s", w->lib->entries[r->vm].path);
	return xasprintf("d\t%s\t%s", w->conns[r->conn].name,
			 w->conns[r->conn].domains[r->dom].name);
}

static void push_row(struct win *w, size_t *cap, struct row r)
{
	if (w->n_shown == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		w->shown = xrealloc(w->shown, *cap * sizeof(*w->shown));
	}
	w->shown[w->n_shown++] = r;
}

static bool matches(const struct win *w, const char *name)
{
	return !w->filter[0] || strcasestr(name, w->filter);
}

/* The rows: the VM files (under a heading when connections follow),
 * then each connection's heading and its domains; a filter keeps the
 * matching names, and the headings that still have some. */
static void apply_filter_key(struct win *w, const char *keep)
{
	free(w->shown);
	w->shown = NULL;
	w->n_shown = 0;
	size_t cap = 0;
	size_t files = 0;
	for (size_t i = 0; i < w->lib->n; i++)
		files += matches(w, w->lib->entries[i].name);
	if (files && w->n_conns)
		push_row(w, &cap, (struct row){ ROW_GROUP, 0, ROW_FILES, -1 });
	for (size_t i = 0; i < w->lib->n; i++)
		if (matches(w, w->lib->entries[i].name))
			push_row(w, &cap, (struct row){ ROW_VM, i, 0, -1 });
	for (size_t c = 0; c < w->n_conns; c++) {
		const struct libvirt_watch_conn *conn = &w->conns[c];
		int hits = 0;
		for (int d = 0; d < conn->n_domains; d++)
			hits += matches(w, conn->domains[d].name);
		if (w->filter[0] && !hits)
			continue;
		push_row(w, &cap, (struct row){ ROW_GROUP, 0, c, -1 });
		for (int d = 0; d < conn->n_domains; d++)
			if (matches(w, conn->domains[d].name))
				push_row(w, &cap, (struct row){ ROW_DOMAIN, 0, c, d });
	}
	int sel = -1, first = -1;
	for (size_t i = 0; i < w->n_shown; i++) {
		if (w->shown[i].kind == ROW_GROUP)
			continue;
		if (first < 0)
			first = (int)i;
		char *key = keep ? row_key(w, &w->shown[i]) : NULL;
		if (key && !strcmp(key, keep))
			sel = (int)i;
		free(key);
	}
	w->selected = sel >= 0 ? sel : first;
	w->dirty = true;
}

/* Keeps the selection on the VM file at keep_path (NULL: the first). */
static void apply_filter(struct win *w, const char *keep_path)
{
	char *key = keep_path ? xasprintf("f\t%s", keep_path) : NULL;
	apply_filter_key(w, key);
	free(key);
}

char *library_selection_key(const struct win *w)
{
	return row_key(w, selected_row(w));
}

void library_rows_build(struct win *w, const char *keep)
{
	apply_filter_key(w, keep);
}

void library_rows_update(struct win *w)
{
	char *keep = library_selection_key(w);
	apply_filter_key(w, keep);
	free(keep);
}

static void thumbs_clear(struct win *w)
{
	for (size_t i = 0; i < w->n_thumbs; i++) {
		free(w->thumbs[i].path);
		if (w->thumbs[i].tex)
			SDL_DestroyTexture(w->thumbs[i].tex);
	}
	free(w->thumbs);
	w->thumbs = NULL;
	w->n_thumbs = 0;
}

SDL_Texture *library_thumb(struct win *w, const char *path)
{
	for (size_t i = 0; i < w->n_thumbs; i++)
		if (!strcmp(w->thumbs[i].path, path))
			return w->thumbs[i].tex;
	SDL_Surface *s = IMG_Load(path);
	SDL_Texture *tex = s ? SDL_CreateTextureFromSurface(w->ren, s) : NULL;
	if (s)
		SDL_FreeSurface(s);
	w->thumbs = xrealloc(w->thumbs, (w->n_thumbs + 1) * sizeof(*w->thumbs));
	w->thumbs[w->n_thumbs++] = (struct thumb){ xstrdup(path), tex };
	return tex;
}

void library_note(struct win *w, enum toast_kind kind, const char *text)
{
	if (kind == TOAST_ERROR)
		log_error("%s", text);
	else
		log_info("%s", text);
	toast_show(w->toasts, kind, now_ms(), "%s", text);
	w->dirty = true;
}

static void note(struct win *w, enum toast_kind kind, const char *text)
{
	library_note(w, kind, text);
}

static void rescan(struct win *w)
{
	char *keep = row_key(w, selected_row(w));
	library_destroy(w->lib);
	w->lib = library_scan();
	for (size_t i = 0; i < w->lib->notes.n; i++)
		note(w, TOAST_INFO, w->lib->notes.v[i]);
	thumbs_clear(w);
	apply_filter_key(w, keep);
	free(keep);
	library_conns_load(w);   /* vmplay.ini may have changed too */
	w->last_scan = w->last_running = now_ms();
}

static void refresh_running(struct win *w)
{
	bool before[w->lib->n ? w->lib->n : 1];
	for (size_t i = 0; i < w->lib->n; i++)
		before[i] = w->lib->entries[i].running;
	library_refresh_running(w->lib);
	for (size_t i = 0; i < w->lib->n; i++)
		if (before[i] != w->lib->entries[i].running)
			w->dirty = true;
	w->last_running = now_ms();
}

/* ---- playing ---- */

/* Starts `vmplay FILE` detached (its own session, reparented to init):
 * the VM outlives the library and the library never waits for it. Not
 * proc_spawn: its children die with vmplay (PR_SET_PDEATHSIG), which is
 * right for QEMU and wrong here, where closing the library must leave
 * every VM running. The child still gets only stdin/out/err. The
 * program is this very one (/proc/self/exe, which works even when the
 * file was replaced since, e.g. by an upgrade), else vmplay from PATH. */
bool library_spawn_vmplay(const char *const *args, char **error)
{
	sigchld_default();
	pid_t pid = fork();
	if (pid < 0) {
		*error = xasprintf("fork: %s", strerror(errno));
		return false;
	}
	if (pid == 0) {
		setsid();
		if (fork() == 0) {
			/* as proc_spawn does: nothing blocked or ignored (the
			 * player's stopped screen may call us with its stop
			 * signals blocked), only fds 0-2 */
			sigset_t none;
			sigemptyset(&none);
			sigprocmask(SIG_SETMASK, &none, NULL);
			signal(SIGPIPE, SIG_DFL);
			fds_close_on_exec(3);
			/* its errors (a missing disk...) in a window, not only
			 * on the terminal the library may have been started
			 * from (desktop.h) */
			setenv("VMPLAY_MESSAGE_BOX", "1", 1);
			size_t n = 0;
			while (args[n])
				n++;
			char **argv = xcalloc(n + 2, sizeof(*argv));
			argv[0] = (char *)"vmplay";
			for (size_t i = 0; i < n; i++)
				argv[i + 1] = (char *)args[i];
			execv("/proc/self/exe", argv);
			execvp("vmplay", argv);
			_exit(127);
		}
		_exit(0);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return true;
}

static void play_path(struct win *w, const char *path, const char *name)
{
	char *error = NULL;
	const char *args[] = { "--", path, NULL };
	if (library_spawn_vmplay(args, &error)) {
		char *msg = xasprintf(_("Starting %s…"), name);
		note(w, TOAST_INFO, msg);
		free(msg);
	} else {
		note(w, TOAST_ERROR, error);
	}
	free(error);
}

static void play(struct win *w)
{
	const struct library_entry *e = library_selected(w);
	if (!e) {
		library_play_domain(w);   /* or nothing selected */
		return;
	}
	char *msg = NULL;
	if (e->problem) {
		/* TRANSLATORS: a VM's name, then what is wrong with its file. */
		msg = xasprintf(_("%s cannot be played: %s"), e->name, e->problem);
		note(w, TOAST_ERROR, msg);
		free(msg);
		return;
	}
	long pid;
	bool window;
	if (instance_holder(e->path, &pid, &window)) {
		if (!window) {
			msg = xasprintf(_("%s is running without a window (vmplay "
					  "pid %ld)."), e->name, pid);
			note(w, TOAST_INFO, msg);
			free(msg);
			return;
		}
		/* its vmplay raises the window it has (instance.h) */
		struct instance *in = NULL;
		enum instance_claim c = instance_claim(e->path, INSTANCE_WINDOW,
						       3000, &in, &msg);
		if (c == INSTANCE_FIRST) {
			instance_release(in);   /* it stopped meanwhile */
		} else {
			note(w, c == INSTANCE_RAISED ? TOAST_INFO : TOAST_ERROR,
			     msg);
			free(msg);
			return;
		}
		free(msg);
	}
	play_path(w, e->path, e->name);
	refresh_running(w);
}

/* ---- dialogs ---- */

static void open_remove(struct win *w)
{
	const struct library_entry *e = library_selected(w);
	if (!e)
		return;
	if (e->running) {
		char *msg = xasprintf(_("%s is running; it cannot be removed until "
					"it has stopped."), e->name);
		note(w, TOAST_ERROR, msg);
		free(msg);
		return;
	}
	free(w->remove_text);
	w->remove_text = library_remove_summary(e);
	w->button = 1;   /* Cancel: removing takes a deliberate choice */
	w->view = VIEW_REMOVE;
	w->dirty = true;
}

static void do_remove(struct win *w)
{
	const struct library_entry *e = library_selected(w);
	char *where = NULL, *error = NULL;
	if (e && library_remove(e, &where, &error)) {
		/* TRANSLATORS: the VM's name, then the trash folder. */
		char *msg = where ? xasprintf(_("%s was moved to the trash (%s)."),
					      e->name, where)
				  : xasprintf(_("%s was taken off the list."),
					      e->name);
		note(w, TOAST_INFO, msg);
		free(msg);
	} else if (e) {
		note(w, TOAST_ERROR, error);
	}
	free(where);
	free(error);
	w->view = VIEW_LIST;
	rescan(w);
}

static void open_duplicate(struct win *w)
{
	const struct library_entry *e = library_selected(w);
	if (!e)
		return;
	char *home = library_home();
	for (int i = 1; i < 1000; i++) {
		char *name = i == 1 ? xasprintf("%s-copy", e->name)
				    : xasprintf("%s-copy%d", e->name, i);
		char *dir = home ? path_join(home, name) : NULL;
		ui_field_set(&w->field, name);
		bool taken = dir && path_exists(dir);
		free(dir);
		free(name);
		if (!taken)
			break;
	}
	free(home);
	w->linked = false;
	w->field_focus = true;
	w->button = 0;
	w->view = VIEW_DUPLICATE;
	SDL_StartTextInput();
	w->dirty = true;
}

static bool on_copy_progress(void *user, uint64_t done, uint64_t total)
{
	struct win *w = user;
	static uint64_t last;
	if (now_ms() - last < 100 && done < total)
		return true;
	last = now_ms();
	free(w->progress);
	/* TRANSLATORS: %d%% is how much is copied, e.g. "40%". */
	w->progress = xasprintf(_("Copying… %d%%   (Escape cancels)"),
				total ? (int)(done * 100 / total) : 100);
	library_draw(w);
	SDL_Event ev;
	bool go_on = true;
	while (SDL_PollEvent(&ev))
		if ((ev.type == SDL_KEYDOWN &&
		     ev.key.keysym.sym == SDLK_ESCAPE) ||
		    ev.type == SDL_QUIT)
			go_on = false;
	return go_on;
}

static void do_duplicate(struct win *w)
{
	const struct library_entry *e = library_selected(w);
	if (!e)
		return;
	char *made = NULL, *error = NULL;
	w->progress = xstrdup(w->linked ? _("Making the linked clone…")
					: _("Copying…"));
	library_draw(w);
	bool ok = library_duplicate(e, w->field.text, w->linked,
				    on_copy_progress, w, &made, &error);
	free(w->progress);
	w->progress = NULL;
	if (ok) {
		char *msg = xasprintf(_("%s was duplicated as %s."), e->name, made);
		note(w, TOAST_INFO, msg);
		free(msg);
		w->view = VIEW_LIST;
		SDL_StopTextInput();
		rescan(w);
		apply_filter(w, made);
	} else {
		note(w, TOAST_ERROR, error);
	}
	free(made);
	free(error);
	w->dirty = true;
}

static void open_file_prompt(struct win *w)
{
	ui_field_set(&w->field, "~/");
	strv_free(&w->completions);
	w->view = VIEW_OPEN;
	w->button = 0;
	SDL_StartTextInput();
	w->dirty = true;
}

static void do_open(struct win *w)
{
	char *path = path_resolve_typed(w->field.text, getenv("HOME"));
	char *error = NULL;
	char *found = library_resolve(path, &error);
	const char *file = found ? found : path;
	if (error) {
		note(w, TOAST_ERROR, error);
	} else if (!path_exists(file) || path_is_dir(file)) {
		char *msg = xasprintf(_("%s: no such VM file"), file);
		note(w, TOAST_ERROR, msg);
		free(msg);
	} else {
		char *name = path_basename(file);
		play_path(w, file, name);
		free(name);
		w->view = VIEW_LIST;
		SDL_StopTextInput();
	}
	free(found);
	free(error);
	free(path);
}

static void close_dialog(struct win *w)
{
	w->view = VIEW_LIST;
	wizard_destroy(w->wizard);
	w->wizard = NULL;
	SDL_StartTextInput();   /* typing filters the list */
	w->dirty = true;
}

static void redraw_cb(void *user)
{
	library_draw(user);
}

/* ---- the selected VM's settings ---- */

static void settings_fill(struct win *w)
{
	struct overlay_info info = {
		.vm_name = w->settings_name,
		.vm_dir = w->settings_dir,
		.state = w->settings_running ? _("running") : _("stopped"),
		.running = w->settings_running,
		/* not the player's stopped screen: Esc closes the pages */
	};
	settings_menu_fill(&w->settings, &info);
	overlay_set_info(w->overlay, &info);
}

/* The Settings pages' requests: the same code as in the player's menu. */
static void on_settings_request(void *user, const struct menu_request *req)
{
	struct win *w = user;
	char *text = NULL;
	if (settings_menu_dispatch(&w->settings, w->overlay, req,
				   w->settings_running, &text)) {
		if (text)
			note(w, TOAST_INFO, text);
		free(text);
		settings_fill(w);
	}
	w->dirty = true;
}

static void open_settings(struct win *w)
{
	const struct library_entry *e = library_selected(w);
	if (!e)
		return;
	if (!w->overlay)
		w->overlay = overlay_create(w->text, on_settings_request, w);
	settings_menu_free(&w->settings);
	settings_menu_init(&w->settings, e->path);
	settings_menu_load(&w->settings);
	free(w->settings_name);
	free(w->settings_dir);
	w->settings_name = xstrdup(e->name);
	w->settings_dir = xstrdup(e->dir);
	w->settings_running = e->running;
	settings_fill(w);
	overlay_open_settings(w->overlay);
	w->dirty = true;
}

static bool settings_open(const struct win *w)
{
	return w->overlay && overlay_is_open(w->overlay);
}

static void open_wizard(struct win *w)
{
	wizard_destroy(w->wizard);
	w->wizard = wizard_create(redraw_cb, w);
	w->view = VIEW_WIZARD;
	w->dirty = true;
}

static void run_action(struct win *w, enum action a)
{
	switch (a) {
	case ACT_PLAY: play(w); break;
	case ACT_SETTINGS: open_settings(w); break;
	case ACT_NEW: open_wizard(w); break;
	case ACT_DUPLICATE: open_duplicate(w); break;
	case ACT_REMOVE: open_remove(w); break;
	case ACT_OPEN: open_file_prompt(w); break;
	default: break;
	}
	w->dirty = true;
}

/* ---- events ---- */

static bool selectable(const struct win *w, int i)
{
	return i >= 0 && i < (int)w->n_shown && w->shown[i].kind != ROW_GROUP;
}

/* Moves the selection by delta rows, over the headings. */
static void move(struct win *w, int delta)
{
	if (!w->n_shown)
		return;
	int s = w->selected + delta;
	if (s < 0)
		s = 0;
	if (s >= (int)w->n_shown)
		s = (int)w->n_shown - 1;
	int dir = delta < 0 ? -1 : 1;
	int t = s;
	while (t >= 0 && t < (int)w->n_shown && !selectable(w, t))
		t += dir;
	if (!selectable(w, t))   /* none that way: the nearest the other */
		for (t = s; t >= 0 && t < (int)w->n_shown && !selectable(w, t);)
			t -= dir;
	if (selectable(w, t))
		w->selected = t;
	w->dirty = true;
}

static void filter_changed(struct win *w)
{
	library_rows_update(w);
}

static void list_key(struct win *w, const SDL_KeyboardEvent *k)
{
	bool ctrl = k->keysym.mod & KMOD_CTRL;
	switch (k->keysym.sym) {
	case SDLK_UP: move(w, -1); break;
	case SDLK_DOWN: move(w, 1); break;
	case SDLK_PAGEUP: move(w, -w->visible_rows); break;
	case SDLK_PAGEDOWN: move(w, w->visible_rows); break;
	case SDLK_HOME: move(w, -(int)w->n_shown); break;
	case SDLK_END: move(w, (int)w->n_shown); break;
	case SDLK_RETURN:
	case SDLK_KP_ENTER:
		if (w->selected >= 0)
			play(w);
		else if (!w->lib->n && !w->n_conns)
			open_wizard(w);   /* what the empty library suggests */
		break;
	case SDLK_DELETE: open_remove(w); break;
	case SDLK_F5:
		rescan(w);
		if (w->watch)
			libvirt_watch_refresh(w->watch);
		break;
	case SDLK_BACKSPACE:
		if (w->filter[0]) {
			ui_drop_char(w->filter);   /* "ñ" is two bytes */
			filter_changed(w);
		}
		break;
	case SDLK_ESCAPE:
		if (w->filter[0]) {
			w->filter[0] = '\0';
			filter_changed(w);
		}
		break;
	case SDLK_e: if (ctrl) open_settings(w); break;
	case SDLK_n: if (ctrl) open_wizard(w); break;
	case SDLK_d: if (ctrl) open_duplicate(w); break;
	case SDLK_o: if (ctrl) open_file_prompt(w); break;
	case SDLK_q: if (ctrl) w->quit = true; break;
	default: break;
	}
}

static void list_event(struct win *w, const SDL_Event *ev, int mx, int my)
{
	switch (ev->type) {
	case SDL_KEYDOWN:
		list_key(w, &ev->key);
		break;
	case SDL_TEXTINPUT: {
		size_t n = strlen(w->filter), m = strlen(ev->text.text);
		if (n + m < sizeof(w->filter)) {
			memcpy(w->filter + n, ev->text.text, m + 1);
			filter_changed(w);
		}
		break;
	}
	case SDL_MOUSEBUTTONDOWN:
		if (ev->button.button != SDL_BUTTON_LEFT)
			break;
		for (int i = 0; i < w->n_rows; i++)
			if (ui_hit(w->rows[i], mx, my)) {
				if (!selectable(w, w->row_entry[i]))
					return;   /* a heading */
				w->selected = w->row_entry[i];
				w->dirty = true;
				if (ev->button.clicks >= 2)
					play(w);
				return;
			}
		for (int a = 0; a < ACT_COUNT; a++)
			if (ui_hit(w->buttons[a], mx, my))
				run_action(w, (enum action)a);
		break;
	case SDL_MOUSEWHEEL:
		move(w, ev->wheel.y > 0 ? -1 : ev->wheel.y < 0 ? 1 : 0);
		break;
	default:
		break;
	}
}

/* The two-button dialogs: Left/Right/Tab move, Enter activates, Escape
 * cancels. Returns 0 for the first button, 1 to cancel, -1 otherwise. */
static int dialog_buttons(struct win *w, const SDL_Event *ev, int mx, int my)
{
	if (ev->type == SDL_MOUSEBUTTONDOWN) {
		for (int i = 0; i < 2; i++)
			if (ui_hit(w->dialog_buttons[i], mx, my))
				return i;
		return -1;
	}
	if (ev->type != SDL_KEYDOWN)
		return -1;
	switch (ev->key.keysym.sym) {
	case SDLK_ESCAPE:
		return 1;
	case SDLK_RETURN:
	case SDLK_KP_ENTER:
		return w->button;
	case SDLK_LEFT:
	case SDLK_RIGHT:
		if (w->view == VIEW_REMOVE) {
			w->button ^= 1;
			w->dirty = true;
		}
		return -1;
	case SDLK_TAB:
		if (w->view == VIEW_REMOVE) {
			w->button ^= 1;
			w->dirty = true;
		}
		return -1;
	default:
		return -1;
	}
}

static void dialog_event(struct win *w, const SDL_Event *ev, int mx, int my)
{
	if (w->view == VIEW_DUPLICATE) {
		if (ev->type == SDL_MOUSEBUTTONDOWN &&
		    ui_hit(w->choice_row, mx, my)) {
			w->linked = !w->linked;
			w->dirty = true;
			return;
		}
		if (ev->type == SDL_KEYDOWN) {
			SDL_Keycode k = ev->key.keysym.sym;
			if (k == SDLK_TAB || k == SDLK_UP || k == SDLK_DOWN) {
				w->field_focus = !w->field_focus;
				w->dirty = true;
				return;
			}
			if (!w->field_focus && (k == SDLK_LEFT || k == SDLK_RIGHT ||
						k == SDLK_SPACE)) {
				w->linked = !w->linked;
				w->dirty = true;
				return;
			}
		}
		if (w->field_focus && ui_field_event(&w->field, ev)) {
			w->dirty = true;
			return;
		}
	} else if (w->view == VIEW_OPEN) {
		if (ev->type == SDL_KEYDOWN && ev->key.keysym.sym == SDLK_TAB) {
			strv_free(&w->completions);
			char *done = path_complete(w->field.text, getenv("HOME"),
						   &w->completions);
			if (done)
				ui_field_set(&w->field, done);
			free(done);
			w->dirty = true;
			return;
		}
		if (ui_field_event(&w->field, ev)) {
			w->dirty = true;
			return;
		}
	}
	int b = dialog_buttons(w, ev, mx, my);
	if (b == 1) {
		close_dialog(w);
	} else if (b == 0) {
		switch (w->view) {
		case VIEW_REMOVE: do_remove(w); break;
		case VIEW_DUPLICATE: do_duplicate(w); break;
		case VIEW_OPEN: do_open(w); break;
		default: break;
		}
		if (w->view == VIEW_LIST)
			close_dialog(w);
	}
}

static void on_event(struct win *w, const SDL_Event *ev)
{
	int mx = 0, my = 0;
	if (ev->type == SDL_MOUSEBUTTONDOWN || ev->type == SDL_MOUSEBUTTONUP) {
		mx = (int)((float)ev->button.x * w->ui.scale);
		my = (int)((float)ev->button.y * w->ui.scale);
	}
	switch (ev->type) {
	case SDL_QUIT:
		w->quit = true;
		return;
	case SDL_WINDOWEVENT:
		if (ev->window.event == SDL_WINDOWEVENT_CLOSE)
			w->quit = true;
		if (ev->window.event == SDL_WINDOWEVENT_FOCUS_GAINED &&
		    w->view == VIEW_LIST)
			rescan(w);
		w->dirty = true;
		return;
	case SDL_RENDER_TARGETS_RESET:
	case SDL_RENDER_DEVICE_RESET:
		text_flush(w->text);
		thumbs_clear(w);
		w->dirty = true;
		return;
	default:
		break;
	}
	if (settings_open(w)) {
		overlay_handle_event(w->overlay, ev);
		if (!settings_open(w)) {
			rescan(w);   /* memory, CPUs... as now written */
			SDL_StartTextInput();   /* typing filters again */
		}
		w->dirty = true;
		return;
	}
	switch (w->view) {
	case VIEW_LIST:
		list_event(w, ev, mx, my);
		break;
	case VIEW_WIZARD:
		switch (wizard_event(w->wizard, ev, mx, my)) {
		case WIZARD_PLAY: {
			char *path = xstrdup(wizard_created_path(w->wizard));
			char *name = path_basename(path);
			close_dialog(w);
			rescan(w);
			apply_filter(w, path);
			play_path(w, path, name);
			free(name);
			free(path);
			break;
		}
		case WIZARD_CLOSED: {
			char *path = xstrdup(wizard_created_path(w->wizard));
			close_dialog(w);
			rescan(w);
			if (path)
				apply_filter(w, path);
			free(path);
			break;
		}
		default:
			break;
		}
		w->dirty = true;
		break;
	default:
		dialog_event(w, ev, mx, my);
		break;
	}
}

/* ---- the window ---- */

static void raise_window(struct win *w)
{
	SDL_ShowWindow(w->window);
	SDL_RestoreWindow(w->window);
	SDL_RaiseWindow(w->window);
}

static void loop(struct win *w)
{
	while (!w->quit) {
		if (w->dirty)
			library_draw(w);
		uint64_t now = now_ms();
		int timeout = 250;
		int t = toasts_timeout(w->toasts, now);
		if (t >= 0 && t < timeout)
			timeout = t;
		SDL_Event ev;
		if (SDL_WaitEventTimeout(&ev, timeout)) {
			on_event(w, &ev);
			while (!w->quit && SDL_PollEvent(&ev))
				on_event(w, &ev);
		}
		now = now_ms();
		if (toasts_expire(w->toasts, now))
			w->dirty = true;
		if (w->self && instance_fd(w->self) >= 0) {
			struct pollfd p = { instance_fd(w->self), POLLIN, 0 };
			if (poll(&p, 1, 0) > 0 && instance_dispatch(w->self) > 0)
				raise_window(w);
		}
		library_conns_poll(w);
		if (library_conns_waiting(w) && now / 1000 != w->last_tick / 1000)
			w->dirty = true;   /* its line counts the seconds */
		w->last_tick = now;
		if (w->view != VIEW_LIST)
			continue;
		if (now - w->last_scan >= RESCAN_EVERY_MS)
			rescan(w);
		else if (now - w->last_running >= RUNNING_EVERY_MS)
			refresh_running(w);
	}
}

int library_run(void)
{
	/* SDL would otherwise fall back to a driver nobody sees (offscreen)
	 * and the library would wait for clicks that never come; a driver
	 * asked for by name is taken at its word (tests use offscreen) */
	const char *driver = getenv("SDL_VIDEODRIVER");
	if (!desktop_has_display() && !(driver && *driver))
		return LIBRARY_NO_DISPLAY;
	/* the lock of "the library" is the instance lock of ~/.VM itself */
	char *home = library_home();
	struct instance *self = NULL;
	char *msg = NULL;
	if (home) {
		enum instance_claim c = instance_claim(home, INSTANCE_WINDOW,
						       3000, &self, &msg);
		if (c == INSTANCE_RAISED) {
			log_info(_("the library is open already; raised its window"));
			free(msg);
			free(home);
			return 0;
		}
		if (c != INSTANCE_FIRST)
			log_warn("%s", msg);   /* go on without the lock */
		free(msg);
	}
	free(home);
	SDL_SetHint(SDL_HINT_VIDEO_X11_NET_WM_BYPASS_COMPOSITOR, "0");
	if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0 ||
	    (!(driver && *driver) && !desktop_driver_is_visible())) {
		log_debug("no window: %s", SDL_GetError());
		SDL_QuitSubSystem(SDL_INIT_VIDEO);
		instance_release(self);
		return LIBRARY_NO_DISPLAY;
	}
	struct win wn = { .self = self, .selected = -1, .dirty = true };
	struct win *w = &wn;
	int status = 0;
	char *error = NULL;
	/* TRANSLATORS: the library window's title. */
	w->window = SDL_CreateWindow(_("vmplay: library"), SDL_WINDOWPOS_CENTERED,
				     SDL_WINDOWPOS_CENTERED, 820, 600,
				     SDL_WINDOW_RESIZABLE |
					     SDL_WINDOW_ALLOW_HIGHDPI);
	w->ren = w->window ? SDL_CreateRenderer(w->window, -1, 0) : NULL;
	if (!w->ren) {
		log_error(_("cannot open the library window: %s"), SDL_GetError());
		status = 1;
		goto out;
	}
	SDL_SetWindowMinimumSize(w->window, 560, 400);
	w->text = text_create(w->ren, NULL, &error);
	if (!w->text) {
		log_error("%s", error);
		free(error);
		status = 1;
		goto out;
	}
	w->toasts = toasts_create();
	rescan(w);
	SDL_StartTextInput();   /* typing filters */
	loop(w);
out:
	overlay_destroy(w->overlay);
	settings_menu_free(&w->settings);
	free(w->settings_name);
	free(w->settings_dir);
	wizard_destroy(w->wizard);
	thumbs_clear(w);
	library_conns_free(w);
	toasts_destroy(w->toasts);
	text_destroy(w->text);
	library_destroy(w->lib);
	free(w->shown);
	free(w->remove_text);
	free(w->progress);
	strv_free(&w->completions);
	if (w->ren)
		SDL_DestroyRenderer(w->ren);
	if (w->window)
		SDL_DestroyWindow(w->window);
	SDL_StopTextInput();
	SDL_QuitSubSystem(SDL_INIT_VIDEO);
	instance_release(self);
	return status;
}
