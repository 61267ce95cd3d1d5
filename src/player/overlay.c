/* The overlay menu's model (pages built from struct overlay_info,
 * selection, confirmation, text fields) and its event handling; drawing
 * and hit-testing are in overlay_draw.c, path completion in
 * base/path_complete.c. Pages are
 * described by a table; each page's items are rebuilt from the current
 * info whenever it changes, while what the user typed and where the
 * selection is survive the rebuild. */
#include "player/overlay.h"
#include "player/overlay_impl.h"

#include "base/path_complete.h"

#include "base/i18n.h"
#include "base/log.h"
#include "base/display_format.h"
#include "vm/config.h"

#include <SDL2/SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

static const char *const action_names[MENU_ACTION_COUNT] = {
	[MENU_NONE] = "none",
	[MENU_PAUSE] = "pause",
	[MENU_RESET] = "reset",
	[MENU_SHUTDOWN] = "shutdown",
	[MENU_FORCE_OFF] = "force-off",
	[MENU_SNAPSHOT_LIST] = "snapshot-list",
	[MENU_SNAPSHOT_TAKE] = "snapshot-take",
	[MENU_SNAPSHOT_RESTORE] = "snapshot-restore",
	[MENU_SNAPSHOT_DELETE] = "snapshot-delete",
	[MENU_MEDIA_INSERT] = "media-insert",
	[MENU_MEDIA_EJECT] = "media-eject",
	[MENU_DISK_LIST] = "disk-list",
	[MENU_DISK_CREATE] = "disk-create",
	[MENU_DISK_GROW] = "disk-grow",
	[MENU_FULLSCREEN] = "fullscreen",
	[MENU_SCALE] = "scale",
	[MENU_SEND_KEYS] = "send-keys",
	[MENU_SCREENSHOT] = "screenshot",
	[MENU_QUIT] = "quit",
	[MENU_RUN] = "run",
	[MENU_CLOSE] = "close",
	[MENU_LIBRARY] = "library",
	[MENU_SETTINGS_LIST] = "settings-list",
	[MENU_SETTING_SET] = "setting-set",
	[MENU_CLIPBOARD] = "clipboard",
};

const char *menu_action_name(enum menu_action a)
{
	return (unsigned)a < MENU_ACTION_COUNT ? action_names[a] : "?";
}

/* ---- small helpers ---- */

static const char *const disk_formats[] = { "qcow2", "raw" };

struct page *overlay_top(struct overlay *ov)
{
	return ov->depth ? &ov->pages[ov->depth - 1] : NULL;
}

static const struct page *ctop(const struct overlay *ov)
{
	return ov->depth ? &ov->pages[ov->depth - 1] : NULL;
}

bool overlay_selectable(const struct item *it)
{
	return it->kind != IT_HEADER && it->kind != IT_TEXT &&
	       it->kind != IT_ERROR;
}

static void item_free(struct item *it)
{
	free(it->label);
	free(it->detail);
	free(it->arg);
	free(it->arg2);
	memset(it, 0, sizeof(*it));
}

static void item_copy(struct item *dst, const struct item *src)
{
	*dst = *src;
	dst->label = xstrdup(src->label);
	dst->detail = xstrdup(src->detail);
	dst->arg = xstrdup(src->arg);
	dst->arg2 = xstrdup(src->arg2);
}

static void page_clear_items(struct page *p)
{
	for (size_t i = 0; i < p->n_items; i++)
		item_free(&p->items[i]);
	p->n_items = 0;
}

static void field_clear_candidates(struct field *f)
{
	strv_free(&f->candidates);
}

static void page_free(struct page *p)
{
	page_clear_items(p);
	free(p->items);
	free(p->arg);
	for (int i = 0; i < MAX_FIELDS; i++) {
		free(p->fields[i].error);
		field_clear_candidates(&p->fields[i]);
	}
	item_free(&p->pending);
	strv_free(&p->isos);
	memset(p, 0, sizeof(*p));
}

static struct item *add(struct page *p, enum item_kind kind, const char *label)
{
	if (p->n_items == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 16;
		p->items = xrealloc(p->items, p->cap * sizeof(*p->items));
	}
	struct item *it = &p->items[p->n_items++];
	memset(it, 0, sizeof(*it));
	it->kind = kind;
	it->label = xstrdup(label);
	return it;
}

static struct item *add_action(struct page *p, const char *label,
			       enum menu_action a)
{
	struct item *it = add(p, IT_ACTION, label);
	it->action = a;
	return it;
}

static struct item *add_page(struct page *p, const char *label, enum page_id id,
			     const char *arg)
{
	struct item *it = add(p, IT_PAGE, label);
	it->page = id;
	it->arg = xstrdup(arg);
	return it;
}

static void field_set(struct field *f, const char *text)
{
	snprintf(f->text, sizeof(f->text), "%s", text ? text : "");
	f->cursor = strlen(f->text);
}

/* A suggestion the user may take with Enter or type over. */
static void field_suggest(struct field *f, const char *text)
{
	field_set(f, text);
	f->pristine = true;
}

static void field_set_error(struct field *f, const char *msg)
{
	free(f->error);
	f->error = xstrdup(msg);
}

/* ---- pages ---- */

void overlay_format_uptime(uint64_t ms, char *buf, size_t len)
{
	uint64_t s = ms / 1000;
	unsigned d = (unsigned)(s / 86400), h = (unsigned)(s / 3600 % 24),
		 m = (unsigned)(s / 60 % 60), sec = (unsigned)(s % 60);
	/* TRANSLATORS: the menu's status line: how long the VM has run,
	 * days then hours:minutes:seconds. */
	if (d)
		snprintf(buf, len, _("up %u d %u:%02u:%02u"), d, h, m, sec);
	else
		snprintf(buf, len, _("up %u:%02u:%02u"), h, m, sec);
}

/* The VM is off and the window stays: what can be done now. */
static void build_stopped(struct overlay *ov, struct page *p)
{
	/* TRANSLATORS: menu items are short (about 20 characters): the
	 * menu is as wide as its longest item. "Enter" is a key name. */
	add_action(p, _("Run"), MENU_RUN)->detail = xstrdup(_("Enter"));
	add_page(p, _("Settings"), PAGE_SETTINGS, NULL);
	add_page(p, _("Disks"), PAGE_DISKS, NULL);
	add_page(p, _("Snapshots"), PAGE_SNAPSHOTS, NULL);
	if (ov->library)
		add_action(p, _("Library"), MENU_LIBRARY);
	add_action(p, _("Close"), MENU_CLOSE);
}

static void build_main(struct overlay *ov, struct page *p)
{
	if (ov->stopped) {
		build_stopped(ov, p);
		return;
	}
	bool on = ov->running;
	struct item *it = add_action(p, ov->paused ? _("Resume") : _("Pause"),
				     MENU_PAUSE);
	it->disabled = !on;
	add_action(p, _("Reset"), MENU_RESET)->disabled = !on;
	p->items[p->n_items - 1].confirm = true;
	add_action(p, _("Shut down"), MENU_SHUTDOWN)->disabled = !on;
	p->items[p->n_items - 1].detail = xstrdup("ACPI");
	it = add_action(p, _("Force off"), MENU_FORCE_OFF);
	it->disabled = !on;
	it->confirm = true;
	add_page(p, _("Snapshots"), PAGE_SNAPSHOTS, NULL);
	/* TRANSLATORS: the page of removable media (the CD drive). */
	it = add_page(p, _("Media"), PAGE_MEDIA, NULL);
	it->disabled = !ov->has_cdrom;
	if (!ov->has_cdrom)
		it->detail = xstrdup(_("no CD drive"));
	add_page(p, _("Disks"), PAGE_DISKS, NULL);
	add_page(p, _("View"), PAGE_VIEW, NULL);
	add_page(p, _("Keyboard"), PAGE_KEYBOARD, NULL)->disabled = !on;
	add_page(p, _("Settings"), PAGE_SETTINGS, NULL);
	add_action(p, _("Screenshot"), MENU_SCREENSHOT);
	add_action(p, _("Quit"), MENU_QUIT)->confirm = true;
}

static void build_snapshots(struct overlay *ov, struct page *p)
{
	/* A stopped VM's snapshots change through qemu-img. */
	bool usable = ov->running || ov->stopped;
	add_action(p, _("Take snapshot now"), MENU_SNAPSHOT_TAKE)->disabled = !usable;
	add_page(p, _("Take snapshot named…"), PAGE_SNAPSHOT_NAMED, NULL)->disabled =
		!usable;
	if (!ov->snapshots_known) {
		add(p, IT_TEXT, _("Loading the snapshot list…"));
		return;
	}
	char title[64];
	/* TRANSLATORS: the header of the snapshot list; %zu counts them. */
	snprintf(title, sizeof(title), _("Snapshots (%zu)"), ov->n_snaps);
	add(p, IT_HEADER, title);
	if (!ov->n_snaps)
		add(p, IT_TEXT, _("No snapshots yet."));
	for (size_t i = 0; i < ov->n_snaps; i++) {
		const struct overlay_snapshot *s = &ov->snaps[i];
		struct item *it = add_page(p, s->name, PAGE_SNAPSHOT_ONE, s->name);
		/* Snapshots taken by shortcut are named by their date: do
		 * not say it twice. */
		const char *date = s->date && !s->named_by_date &&
				   strcmp(s->date, s->name) ? s->date : NULL;
		/* The kind in short; its page says which disks lack it. */
		/* TRANSLATORS: a snapshot that lacks some of the VM's disks,
		 * in the snapshot list's detail column. */
		const char *kind = s->partial ? _("partial") : s->kind;
		/* TRANSLATORS: the guest's run time when a snapshot was
		 * taken; %s is "00:12:31". */
		char *clock = s->vm_clock ? xasprintf(_("VM %s"), s->vm_clock) : NULL;
		it->detail = xasprintf("%s%s%s%s%s", date ? date : "",
				       date && clock ? " · " : "",
				       clock ? clock : "",
				       kind && (date || clock) ? " · " : "",
				       kind ? kind : "");
		free(clock);
	}
}

static const struct overlay_snapshot *find_snapshot(struct overlay *ov,
						    const char *name)
{
	for (size_t i = 0; name && i < ov->n_snaps; i++)
		if (!strcmp(ov->snaps[i].name, name))
			return &ov->snaps[i];
	return NULL;
}

static void build_snapshot_one(struct overlay *ov, struct page *p)
{
	const struct overlay_snapshot *s = find_snapshot(ov, p->arg);
	if (!s) {
		add(p, IT_TEXT, _("This snapshot no longer exists."));
		add(p, IT_BACK, _("Back"));
		return;
	}
	if (s->date)
		/* TRANSLATORS: a snapshot's page: when it was taken, the
		 * guest's run time then, and what it holds (memory, disks). */
		add(p, IT_TEXT, _("Taken"))->detail = xstrdup(s->date);
	if (s->vm_clock)
		add(p, IT_TEXT, _("VM clock"))->detail = xstrdup(s->vm_clock);
	if (s->kind)
		add(p, IT_TEXT, _("Holds"))->detail = xstrdup(s->kind);
	/* Also on the stopped screen: the disks are restored with qemu-img. */
	struct item *it = add_action(p, _("Restore"), MENU_SNAPSHOT_RESTORE);
	it->arg = xstrdup(s->name);
	it->confirm = true;
	it->disabled = !ov->running && !ov->stopped;
	it = add_action(p, _("Delete"), MENU_SNAPSHOT_DELETE);
	it->arg = xstrdup(s->name);
	it->confirm = true;
	it->disabled = !ov->running && !ov->stopped;
}

static void build_snapshot_named(struct overlay *ov, struct page *p)
{
	(void)ov;
	add(p, IT_FIELD, _("Name"))->field = 0;
	if (p->fields[0].error)
		add(p, IT_ERROR, p->fields[0].error);
	add(p, IT_SUBMIT, _("Take snapshot"));
}

static void build_media(struct overlay *ov, struct page *p)
{
	/* TRANSLATORS: the CD drive's content: an ISO's path or "nothing". */
	add(p, IT_TEXT, _("In the drive"))->detail =
		xstrdup(ov->cdrom ? ov->cdrom : _("nothing"));
	add_page(p, _("Insert ISO…"), PAGE_MEDIA_INSERT, NULL)->disabled = !ov->running;
	add_action(p, _("Eject"), MENU_MEDIA_EJECT)->disabled = !ov->running || !ov->cdrom;
}

static void add_path_choice(struct page *p, const char *path)
{
	char *base = path_basename(path);
	struct item *it = add_action(p, base, MENU_MEDIA_INSERT);
	it->arg = xstrdup(path);
	free(base);
}

static void add_candidates(struct page *p, struct field *f)
{
	size_t shown = f->candidates.n < MAX_SHOWN_CANDIDATES ? f->candidates.n
							      : MAX_SHOWN_CANDIDATES;
	for (size_t i = 0; i < shown; i++)
		add(p, IT_CANDIDATE, f->candidates.v[i]);
	if (f->candidates.n > shown) {
		char more[64];
		size_t n = f->candidates.n - shown;
		/* TRANSLATORS: below the completions shown for a path. */
		snprintf(more, sizeof(more), ngettext("… %zu more: type more letters",
						      "… %zu more: type more letters", n),
			 n);
		add(p, IT_TEXT, more);
	}
}

static void build_media_insert(struct overlay *ov, struct page *p)
{
	add(p, IT_FIELD, _("Path"))->field = 0;
	struct field *f = &p->fields[0];
	if (f->error)
		add(p, IT_ERROR, f->error);
	add_candidates(p, f);
	if (p->isos.n) {
		add(p, IT_HEADER, _("ISOs in the VM's folder"));
		for (size_t i = 0; i < p->isos.n; i++)
			add_path_choice(p, p->isos.v[i]);
	}
	if (ov->recent.n) {
		add(p, IT_HEADER, _("Recently used"));
		for (size_t i = 0; i < ov->recent.n; i++) {
			add_path_choice(p, ov->recent.v[i]);
			p->items[p->n_items - 1].detail = path_dirname(ov->recent.v[i]);
		}
	}
}

static void build_disks(struct overlay *ov, struct page *p)
{
	if (!ov->disks_known) {
		add(p, IT_TEXT, _("Reading the disks…"));
	} else {
		if (!ov->n_disks)
			add(p, IT_TEXT, _("This VM has no disks."));
		for (size_t i = 0; i < ov->n_disks; i++) {
			const struct overlay_disk *d = &ov->disks[i];
			char v[16], u[16];
			struct item *it = add_page(p, d->name, PAGE_DISK_ONE, d->name);
			/* TRANSLATORS: a disk in the Disks page: its format
			 * ("qcow2"), its size and the space its image uses. */
			it->detail = xasprintf(_("%s · %s · used %s"),
					       d->format ? d->format : "?",
					       d->virtual_size ? format_size_display(d->virtual_size, v, sizeof(v)) : "?",
					       d->used_size ? format_size_display(d->used_size, u, sizeof(u)) : "?");
		}
	}
	add_page(p, _("Create and attach a disk…"), PAGE_DISK_CREATE, NULL);
}

static const struct overlay_disk *find_disk(struct overlay *ov, const char *name)
{
	for (size_t i = 0; name && i < ov->n_disks; i++)
		if (!strcmp(ov->disks[i].name, name))
			return &ov->disks[i];
	return NULL;
}

static void build_disk_one(struct overlay *ov, struct page *p)
{
	const struct overlay_disk *d = find_disk(ov, p->arg);
	if (!d) {
		add(p, IT_TEXT, _("This disk is no longer in the VM file."));
		add(p, IT_BACK, _("Back"));
		return;
	}
	char buf[16];
	/* TRANSLATORS: a disk's page: its image file, format, size and the
	 * space the image uses; "unknown" when qemu-img did not say. */
	add(p, IT_TEXT, _("File"))->detail = xstrdup(d->file);
	add(p, IT_TEXT, _("Format"))->detail = xstrdup(d->format ? d->format : _("unknown"));
	add(p, IT_TEXT, _("Size"))->detail =
		xstrdup(d->virtual_size ? format_size_display(d->virtual_size, buf, sizeof(buf)) : _("unknown"));
	add(p, IT_TEXT, _("Used"))->detail =
		xstrdup(d->used_size ? format_size_display(d->used_size, buf, sizeof(buf)) : _("unknown"));
	struct item *it = add(p, IT_FIELD, _("Grow to"));
	it->field = 0;
	it->disabled = ov->running;
	if (p->fields[0].error)
		add(p, IT_ERROR, p->fields[0].error);
	it = add(p, IT_SUBMIT, _("Grow"));
	it->disabled = ov->running;
	if (ov->running) {
		add(p, IT_TEXT, _("A disk grows only while the VM is off."));
		add(p, IT_BACK, _("Back"));
	}
}

static void build_disk_create(struct overlay *ov, struct page *p)
{
	(void)ov;
	add(p, IT_FIELD, _("Name"))->field = 0;
	if (p->fields[0].error)
		add(p, IT_ERROR, p->fields[0].error);
	add(p, IT_FIELD, _("Size"))->field = 1;
	if (p->fields[1].error)
		add(p, IT_ERROR, p->fields[1].error);
	add(p, IT_CHOICE, _("Format"))->detail = xasprintf("‹ %s ›", disk_formats[p->choice]);
	add(p, IT_SUBMIT, _("Create and attach"));
	add(p, IT_TEXT, _("The disk is attached at the next boot."));
}

static void build_view(struct overlay *ov, struct page *p)
{
	struct item *it = add_action(p, _("Full screen"), MENU_FULLSCREEN);
	it->keep_open = true;
	it->radio = true;
	it->checked = ov->fullscreen;
	add(p, IT_HEADER, _("Scaling"));
	/* TRANSLATORS: how the guest's screen fills the window. */
	static const char *const labels[] = {
		[SCALE_FIT] = N_("Fit (keep aspect)"),
		[SCALE_INTEGER] = N_("Whole multiples"),
		[SCALE_STRETCH] = N_("Stretch"),
		[SCALE_NONE] = N_("None (1:1)"),
	};
	for (int m = 0; m < (int)ARRAY_SIZE(labels); m++) {
		it = add_action(p, _(labels[m]), MENU_SCALE);
		it->value = m;
		it->keep_open = true;
		it->radio = true;
		it->checked = ov->scale == (enum scale_mode)m;
	}
	/* TRANSLATORS: a header: what the guest system itself does. */
	add(p, IT_HEADER, _("Guest"));
	it = add_action(p, _("Share the clipboard"), MENU_CLIPBOARD);
	it->keep_open = true;
	it->radio = true;
	it->checked = ov->clipboard == OVERLAY_CLIP_ON;
	if (ov->clipboard == OVERLAY_CLIP_UNAVAILABLE) {
		it->disabled = true;
		it->detail = xstrdup(_("off in the VM file"));
	}
	/* TRANSLATORS: the guest's screen resolution: it follows the
	 * window's size, or it stays fixed and the picture is scaled. */
	add(p, IT_TEXT, _("Resolution"))->detail =
		xstrdup(ov->guest_follows ? _("follows the window") : _("fixed, scaled"));
}

/* ---- settings (vm/settings.c decides what is valid; the player writes) ---- */

static void request_simple(struct overlay *ov, enum menu_action a,
			   const char *arg);
static void request(struct overlay *ov, const struct item *it);
static void field_clear_error(struct field *f);

static const struct overlay_setting *find_setting(const struct overlay *ov,
						  const char *id)
{
	for (size_t i = 0; id && i < ov->n_settings; i++)
		if (!strcmp(ov->settings[i].id, id))
			return &ov->settings[i];
	return NULL;
}

static const char *shown_value(const struct overlay_setting *s)
{
	if (*s->value)
		return s->value;
	/* TRANSLATORS: a setting left out of the VM file: a key binding
	 * keeps its default, the CD drive is empty, anything else unset. */
	if (!strncmp(s->id, "keys.", 5))
		return _("default");
	if (!strcmp(s->id, "cdrom.file"))
		return _("empty");
	return _("none");
}

static void build_settings(struct overlay *ov, struct page *p)
{
	if (ov->settings_error) {
		add(p, IT_TEXT, ov->settings_error);
		return;
	}
	if (!ov->settings_known) {
		add(p, IT_TEXT, _("Reading the VM file…"));
		return;
	}
	for (size_t i = 0; i < ov->n_settings; i++) {
		const struct overlay_setting *s = &ov->settings[i];
		add_page(p, s->label, PAGE_SETTING_ONE, s->id)->detail =
			xstrdup(shown_value(s));
	}
	if (ov->running)
		add(p, IT_TEXT, _("The VM reads these when it starts: changes "
				 "apply at the next start."));
}

static void build_setting_one(struct overlay *ov, struct page *p)
{
	const struct overlay_setting *s = find_setting(ov, p->arg);
	if (!s) {
		add(p, IT_TEXT, ov->settings_error ? ov->settings_error
						   : _("Reading the VM file…"));
		add(p, IT_BACK, _("Back"));
		return;
	}
	if (s->kind == SETTING_CHOICE || s->kind == SETTING_BOOL) {
		for (size_t i = 0; s->choices && s->choices[i]; i++) {
			struct item *it = add_action(p, s->choices[i], MENU_SETTING_SET);
			it->arg = xstrdup(s->id);
			it->arg2 = xstrdup(s->choices[i]);
			it->radio = true;
			it->checked = !strcmp(s->value, s->choices[i]);
			it->keep_open = true;
		}
	} else {
		add(p, IT_FIELD, _("Value"))->field = 0;
		if (p->fields[0].error)
			add(p, IT_ERROR, p->fields[0].error);
		add_candidates(p, &p->fields[0]);
		add(p, IT_SUBMIT, _("Save"));
	}
	if (s->hint)
		add(p, IT_TEXT, s->hint);
	struct item *it = add_action(p, _("Use the default"), MENU_SETTING_SET);
	it->arg = xstrdup(s->id);
	it->keep_open = true;
	if (ov->running)
		add(p, IT_TEXT, _("The VM is running: a change applies at its next start."));
}

static void enter_settings(struct overlay *ov, struct page *p)
{
	(void)p;
	request_simple(ov, MENU_SETTINGS_LIST, NULL);
}

static void enter_setting_one(struct overlay *ov, struct page *p)
{
	const struct overlay_setting *s = find_setting(ov, p->arg);
	if (!s)
		return;
	p->fields[0].path = s->kind == SETTING_PATH;
	field_suggest(&p->fields[0], s->value);
}

static void submit_setting(struct overlay *ov, struct page *p)
{
	struct field *f = &p->fields[0];
	field_clear_error(f);
	field_clear_candidates(f);
	const char *value = f->text;
	char *resolved = NULL;
	/* A typed path means what the field's completion showed: "~/x" and
	 * relative names are resolved like the Insert page does. */
	if (f->path && *value)
		value = resolved = path_resolve_typed(value, ov->vm_dir);
	struct item it = { .kind = IT_ACTION, .action = MENU_SETTING_SET,
			   .arg = p->arg, .arg2 = (char *)value,
			   .label = _("Save"), .keep_open = true };
	request(ov, &it);
	free(resolved);
}

/* Key combinations for the guest, in press order. */
static const SDL_Scancode keys_cad[] = { SDL_SCANCODE_LCTRL, SDL_SCANCODE_LALT,
					 SDL_SCANCODE_DELETE };
static const SDL_Scancode keys_print[] = { SDL_SCANCODE_PRINTSCREEN };
static SDL_Scancode keys_fn[12][3];

static void build_keyboard(struct overlay *ov, struct page *p)
{
	(void)ov;
	struct item *it = add_action(p, "Ctrl+Alt+Del", MENU_SEND_KEYS);
	it->keys = keys_cad;
	it->n_keys = ARRAY_SIZE(keys_cad);
	for (int i = 0; i < 12; i++) {
		keys_fn[i][0] = SDL_SCANCODE_LCTRL;
		keys_fn[i][1] = SDL_SCANCODE_LALT;
		keys_fn[i][2] = (SDL_Scancode)(SDL_SCANCODE_F1 + i);
		char label[32];
		snprintf(label, sizeof(label), "Ctrl+Alt+F%d", i + 1);
		it = add_action(p, label, MENU_SEND_KEYS);
		it->keys = keys_fn[i];
		it->n_keys = 3;
	}
	/* TRANSLATORS: the Print Screen key, as its key cap says. */
	it = add_action(p, _("Print"), MENU_SEND_KEYS);
	it->keys = keys_print;
	it->n_keys = 1;
}

/* Confirmation texts; %s is the item's argument (a snapshot name).
 * Translated where they are shown. */
struct confirm_def {
	enum menu_action action;
	const char *title;
	const char *text;
	const char *verb;
};

static const struct confirm_def confirms[] = {
	{ MENU_RESET, N_("Reset the VM?"),
	  N_("The guest restarts at once, as with a reset button. Unsaved work in it is lost."),
	  N_("Reset") },
	{ MENU_FORCE_OFF, N_("Force the VM off?"),
	  N_("QEMU stops at once, as if the power cord were pulled. Unsaved work in the guest is lost."),
	  N_("Force off") },
	/* TRANSLATORS: %s is a snapshot's name. */
	{ MENU_SNAPSHOT_RESTORE, N_("Restore “%s”?"),
	  N_("The VM returns to the moment of this snapshot. Its current state is lost."),
	  N_("Restore") },
	/* TRANSLATORS: %s is a snapshot's name. */
	{ MENU_SNAPSHOT_DELETE, N_("Delete “%s”?"),
	  N_("The snapshot is removed from the disk images for good."), N_("Delete") },
	/* TRANSLATORS: %s is the new disk's name. */
	{ MENU_DISK_CREATE, N_("Attach disk “%s”?"),
	  "", N_("Create and attach") },   /* text: attach_warning() */
	{ MENU_QUIT, N_("Quit vmplay?"),
	  N_("The guest is asked to shut down; the window closes when it is off."),
	  N_("Quit") },
};

static const struct confirm_def *confirm_for(enum menu_action a)
{
	for (size_t i = 0; i < ARRAY_SIZE(confirms); i++)
		if (confirms[i].action == a)
			return &confirms[i];
	return NULL;
}

/* Attaching a disk makes every snapshot of the VM partial (the new disk
 * is not in them): said, with the names, before it happens. NULL when
 * there is no complete snapshot. Caller frees. */
static char *attach_warning(const struct overlay *ov, const char *disk)
{
	char *names = NULL;
	size_t n = 0;
	for (size_t i = 0; i < ov->n_snaps; i++) {
		if (ov->snaps[i].partial)
			continue;
		char *more = xasprintf("%s%s“%s”", names ? names : "",
				       names ? ", " : "", ov->snaps[i].name);
		free(names);
		names = more;
		n++;
	}
	if (!n)
		return NULL;
	/* TRANSLATORS: the first %s lists snapshot names (“a”, “b”), the
	 * second is the new disk's name. */
	char *text = xasprintf(ngettext(
		"The new disk is not in the VM's snapshot %s: it becomes partial. "
		"Restoring it then puts the other disks back and leaves “%s” as "
		"it is, and the VM restarts from the disks (without the memory "
		"state).",
		"The new disk is not in the VM's snapshots %s: they become partial. "
		"Restoring one then puts the other disks back and leaves “%s” as "
		"it is, and the VM restarts from the disks (without the memory "
		"state).", n), names, disk);
	free(names);
	return text;
}

static const struct overlay_snapshot *find_snapshot(struct overlay *ov,
						    const char *name);

static void build_confirm(struct overlay *ov, struct page *p)
{
	const struct confirm_def *c = confirm_for(p->pending.action);
	char *text = NULL;
	if (p->pending.action == MENU_DISK_CREATE)
		text = attach_warning(ov, p->pending.arg);
	if (p->pending.action == MENU_SNAPSHOT_RESTORE) {
		const struct overlay_snapshot *s = find_snapshot(ov, p->pending.arg);
		if (s && s->effect)
			text = xstrdup(s->effect);
	}
	add(p, IT_TEXT, text ? text : c ? _(c->text) : _("Are you sure?"));
	free(text);
	add(p, IT_BACK, _("Cancel"));
	struct item *it = add(p, IT_ACTION, c ? _(c->verb) : _("Yes"));
	it->action = p->pending.action;
	it->arg = xstrdup(p->pending.arg);
	it->value = p->pending.value;
	it->size = p->pending.size;
	it->keys = p->pending.keys;
	it->n_keys = p->pending.n_keys;
	it->keep_open = p->pending.keep_open;
}

static void enter_snapshots(struct overlay *ov, struct page *p);
static void enter_media_insert(struct overlay *ov, struct page *p);
static void enter_disks(struct overlay *ov, struct page *p);
static void enter_disk_create(struct overlay *ov, struct page *p);
static void submit_snapshot_named(struct overlay *ov, struct page *p);
static void submit_media_insert(struct overlay *ov, struct page *p);
static void submit_disk_grow(struct overlay *ov, struct page *p);
static void submit_disk_create(struct overlay *ov, struct page *p);

struct page_def {
	const char *title;   /* "%s": the page's arg; translated when shown */
	void (*build)(struct overlay *ov, struct page *p);
	void (*enter)(struct overlay *ov, struct page *p);   /* once, on push */
	void (*submit)(struct overlay *ov, struct page *p);  /* Enter in a field */
};

static const struct page_def page_defs[PAGE_COUNT] = {
	[PAGE_MAIN] = { "", build_main, NULL, NULL },
	[PAGE_SNAPSHOTS] = { N_("Snapshots"), build_snapshots, enter_snapshots, NULL },
	/* TRANSLATORS: a page title; %s is a snapshot's name. */
	[PAGE_SNAPSHOT_ONE] = { N_("Snapshot “%s”"), build_snapshot_one, NULL, NULL },
	[PAGE_SNAPSHOT_NAMED] = { N_("Take a snapshot"), build_snapshot_named, NULL,
				  submit_snapshot_named },
	[PAGE_MEDIA] = { N_("Media"), build_media, NULL, NULL },
	[PAGE_MEDIA_INSERT] = { N_("Insert an ISO"), build_media_insert,
				enter_media_insert, submit_media_insert },
	[PAGE_DISKS] = { N_("Disks"), build_disks, enter_disks, NULL },
	/* TRANSLATORS: a page title; %s is a disk's name. */
	[PAGE_DISK_ONE] = { N_("Disk “%s”"), build_disk_one, NULL, submit_disk_grow },
	[PAGE_DISK_CREATE] = { N_("New disk"), build_disk_create, enter_disk_create,
			       submit_disk_create },
	[PAGE_VIEW] = { N_("View"), build_view, NULL, NULL },
	[PAGE_KEYBOARD] = { N_("Send keys"), build_keyboard, NULL, NULL },
	[PAGE_SETTINGS] = { N_("Settings"), build_settings, enter_settings, NULL },
	[PAGE_SETTING_ONE] = { "%s", build_setting_one, enter_setting_one,
			       submit_setting },
	[PAGE_CONFIRM] = { "", build_confirm, NULL, NULL },
};

static char title_buf[256];

const char *overlay_page_title(const struct overlay *ov)
{
	const struct page *p = ctop(ov);
	if (!p)
		return "";
	const struct overlay_setting *s;
	if (p->id == PAGE_SETTING_ONE && (s = find_setting(ov, p->arg))) {
		snprintf(title_buf, sizeof(title_buf), "%s", s->label);
	} else if (p->id == PAGE_CONFIRM) {
		const struct confirm_def *c = confirm_for(p->pending.action);
		snprintf(title_buf, sizeof(title_buf), c ? _(c->title) : _("Sure?"),
			 p->pending.arg ? p->pending.arg : "");
	} else {
		/* (gettext("") is the catalogue's header: not asked for) */
		const char *title = page_defs[p->id].title;
		snprintf(title_buf, sizeof(title_buf), *title ? _(title) : "",
			 p->arg ? p->arg : "");
	}
	return title_buf;
}

/* Moves the selection to the nearest selectable, enabled item from i in
 * direction dir (+1/-1), without wrapping; returns false if none. */
static bool select_from(struct page *p, int i, int dir)
{
	for (; i >= 0 && i < (int)p->n_items; i += dir)
		if (overlay_selectable(&p->items[i]) && !p->items[i].disabled) {
			p->sel = i;
			return true;
		}
	return false;
}

/* The actions behind each page, to leave out a page whose every action
 * is hidden. */
static const uint32_t page_actions[PAGE_COUNT] = {
	[PAGE_SNAPSHOTS] = MENU_HIDE(MENU_SNAPSHOT_TAKE) | MENU_HIDE(MENU_SNAPSHOT_RESTORE) |
			   MENU_HIDE(MENU_SNAPSHOT_DELETE),
	[PAGE_SNAPSHOT_NAMED] = MENU_HIDE(MENU_SNAPSHOT_TAKE),
	[PAGE_MEDIA] = MENU_HIDE(MENU_MEDIA_INSERT) | MENU_HIDE(MENU_MEDIA_EJECT),
	[PAGE_MEDIA_INSERT] = MENU_HIDE(MENU_MEDIA_INSERT),
	[PAGE_DISKS] = MENU_HIDE(MENU_DISK_CREATE) | MENU_HIDE(MENU_DISK_GROW),
	[PAGE_DISK_CREATE] = MENU_HIDE(MENU_DISK_CREATE),
	[PAGE_VIEW] = MENU_HIDE(MENU_FULLSCREEN) | MENU_HIDE(MENU_SCALE) |
		      MENU_HIDE(MENU_CLIPBOARD),
	[PAGE_KEYBOARD] = MENU_HIDE(MENU_SEND_KEYS),
	[PAGE_SETTINGS] = MENU_HIDE(MENU_SETTING_SET),
};

/* Drops hidden items and adds shortcut hints. */
static void page_filter(struct overlay *ov, struct page *p)
{
	size_t out = 0;
	for (size_t i = 0; i < p->n_items; i++) {
		struct item *it = &p->items[i];
		bool hide = (it->kind == IT_ACTION && it->action != MENU_NONE &&
			     (ov->hidden & MENU_HIDE(it->action))) ||
			    (it->kind == IT_PAGE && page_actions[it->page] &&
			     (ov->hidden & page_actions[it->page]) == page_actions[it->page]);
		if (hide) {
			item_free(it);
			continue;
		}
		if (it->kind == IT_ACTION && !it->detail && ov->shortcuts[it->action] &&
		    it->action != MENU_SEND_KEYS)
			it->detail = xstrdup(ov->shortcuts[it->action]);
		p->items[out++] = *it;
	}
	p->n_items = out;
}

/* Rebuilds a page's items from the info, keeping the selection on the item
 * with the same label (or the same position). */
static void page_rebuild(struct overlay *ov, struct page *p)
{
	char *sel_label = p->sel >= 0 && p->sel < (int)p->n_items
				  ? xstrdup(p->items[p->sel].label) : NULL;
	int old_sel = p->sel;
	page_clear_items(p);
	page_defs[p->id].build(ov, p);
	page_filter(ov, p);
	p->sel = -1;
	for (size_t i = 0; sel_label && i < p->n_items; i++)
		if (overlay_selectable(&p->items[i]) && !p->items[i].disabled &&
		    !strcmp(p->items[i].label, sel_label)) {
			p->sel = (int)i;
			break;
		}
	if (p->sel < 0 && !select_from(p, old_sel < 0 ? 0 : old_sel, 1) &&
	    !select_from(p, old_sel, -1))
		select_from(p, 0, 1);
	free(sel_label);
	ov->dirty = true;
}

static void push_page(struct overlay *ov, enum page_id id, const char *arg,
		      const struct item *pending)
{
	if (ov->depth == MAX_DEPTH)
		return;
	struct page *p = &ov->pages[ov->depth++];
	memset(p, 0, sizeof(*p));
	p->id = id;
	p->arg = xstrdup(arg);
	p->sel = -1;
	if (pending)
		item_copy(&p->pending, pending);
	if (page_defs[id].enter)
		page_defs[id].enter(ov, p);
	page_rebuild(ov, p);
	/* A confirmation starts on Cancel, so a second Enter is not a
	 * destructive accident. */
	if (id == PAGE_CONFIRM)
		select_from(p, 0, 1);
}

static void pop_page(struct overlay *ov)
{
	if (!ov->depth)
		return;
	page_free(&ov->pages[--ov->depth]);
	ov->dirty = true;
	if (!ov->depth)
		ov->open = false;
}

static void request(struct overlay *ov, const struct item *it)
{
	if (ov->have_request)
		item_free(&ov->request);
	item_copy(&ov->request, it);
	ov->have_request = true;
}

static void request_simple(struct overlay *ov, enum menu_action a,
			   const char *arg)
{
	struct item it = { .kind = IT_ACTION, .action = a, .keep_open = true,
			   .arg = (char *)arg };
	request(ov, &it);
}

/* ---- page behaviour ---- */

static void enter_snapshots(struct overlay *ov, struct page *p)
{
	(void)p;
	request_simple(ov, MENU_SNAPSHOT_LIST, NULL);
}

static void enter_disks(struct overlay *ov, struct page *p)
{
	(void)p;
	request_simple(ov, MENU_DISK_LIST, NULL);
}

static void enter_media_insert(struct overlay *ov, struct page *p)
{
	struct field *f = &p->fields[0];
	f->path = true;
	/* Start where the user's ISOs most likely are. */
	if (ov->vm_dir) {
		char *d = xasprintf("%s/", ov->vm_dir);
		field_suggest(f, d);
		free(d);
	}
	if (ov->vm_dir)
		path_list_suffix(ov->vm_dir, ".iso", &p->isos);
}

static void enter_disk_create(struct overlay *ov, struct page *p)
{
	/* The first free name "data", "data2", ... */
	char name[32] = "data";
	for (int i = 2; find_disk(ov, name); i++)
		snprintf(name, sizeof(name), "data%d", i);
	field_suggest(&p->fields[0], name);
	field_suggest(&p->fields[1], "10G");
}

static void field_clear_error(struct field *f)
{
	free(f->error);
	f->error = NULL;
}

static void submit_snapshot_named(struct overlay *ov, struct page *p)
{
	struct field *f = &p->fields[0];
	field_clear_error(f);
	const char *name = f->text;
	while (*name == ' ')
		name++;
	if (!*name)
		field_set_error(f, _("Type a name, or use “Take snapshot now”."));
	else if (find_snapshot(ov, name))
		field_set_error(f, _("A snapshot with this name exists; choose another."));
	else {
		struct item it = { .kind = IT_ACTION, .action = MENU_SNAPSHOT_TAKE,
				   .arg = (char *)name, .label = _("Take snapshot") };
		request(ov, &it);
	}
}

static void submit_media_insert(struct overlay *ov, struct page *p)
{
	struct field *f = &p->fields[0];
	field_clear_error(f);
	field_clear_candidates(f);
	char *path = path_resolve_typed(f->text, ov->vm_dir);
	if (!f->text[0])
		field_set_error(f, _("Type the path of an ISO image (Tab completes)."));
	else if (path_is_dir(path))
		field_set_error(f, _("This is a folder: type or Tab-complete a file in it."));
	else if (!path_exists(path))
		field_set_error(f, _("No such file."));
	else {
		struct item it = { .kind = IT_ACTION, .action = MENU_MEDIA_INSERT,
				   .arg = path, .label = _("Insert") };
		request(ov, &it);
	}
	free(path);
}

static bool parse_size_field(struct field *f, uint64_t *size)
{
	char *why = NULL;
	if (parse_size_typed(f->text, 'G', size, &why) && *size)
		return true;
	/* "'10' has no unit: did you mean 10G? ..." */
	field_set_error(f, why ? why : _("Not a size; examples: 512M, 10G, 1.5T."));
	free(why);
	return false;
}

static void submit_disk_grow(struct overlay *ov, struct page *p)
{
	struct field *f = &p->fields[0];
	field_clear_error(f);
	const struct overlay_disk *d = find_disk(ov, p->arg);
	uint64_t size;
	if (!d || ov->running || !parse_size_field(f, &size))
		return;
	if (d->virtual_size && size <= d->virtual_size) {
		char buf[16];
		char *msg = xasprintf(_("Give more than the current %s; disks only grow here."),
				      format_size_display(d->virtual_size, buf, sizeof(buf)));
		field_set_error(f, msg);
		free(msg);
		return;
	}
	struct item it = { .kind = IT_ACTION, .action = MENU_DISK_GROW,
			   .arg = p->arg, .label = _("Grow") };
	it.size = size;
	request(ov, &it);
}

static void submit_disk_create(struct overlay *ov, struct page *p)
{
	struct field *name = &p->fields[0], *sz = &p->fields[1];
	field_clear_error(name);
	field_clear_error(sz);
	uint64_t size = 0;
	bool ok = true;
	/* It becomes [disk.NAME]: the reader's rule, or the VM file would
	 * no longer load. */
	char *why = config_disk_name_problem(name->text);
	if (why) {
		field_set_error(name, why);
		free(why);
		ok = false;
	} else if (find_disk(ov, name->text)) {
		field_set_error(name, _("The VM has a disk with this name."));
		ok = false;
	}
	ok = parse_size_field(sz, &size) && ok;
	if (!ok)
		return;
	struct item it = { .kind = IT_ACTION, .action = MENU_DISK_CREATE,
			   .arg = name->text, .label = _("Create and attach") };
	it.size = size;
	it.value = p->choice;
	char *warning = attach_warning(ov, name->text);
	if (warning)
		push_page(ov, PAGE_CONFIRM, NULL, &it);
	else
		request(ov, &it);
	free(warning);
}

/* ---- info ---- */

static void free_info(struct overlay *ov)
{
	free(ov->vm_name);
	free(ov->vm_dir);
	free(ov->state);
	free(ov->busy);
	free(ov->cdrom);
	strv_free(&ov->recent);
	free(ov->settings_error);
	ov->settings_error = NULL;
	for (size_t i = 0; i < ov->n_settings; i++) {
		free((char *)ov->settings[i].id);
		free((char *)ov->settings[i].label);
		free((char *)ov->settings[i].value);
		free((char *)ov->settings[i].hint);
	}
	free(ov->settings);
	ov->settings = NULL;
	ov->n_settings = 0;
	for (size_t i = 0; i < ov->n_snaps; i++) {
		free((char *)ov->snaps[i].name);
		free((char *)ov->snaps[i].date);
		free((char *)ov->snaps[i].vm_clock);
		free((char *)ov->snaps[i].kind);
		free((char *)ov->snaps[i].effect);
	}
	free(ov->snaps);
	for (size_t i = 0; i < ov->n_disks; i++) {
		free((char *)ov->disks[i].name);
		free((char *)ov->disks[i].file);
		free((char *)ov->disks[i].format);
	}
	free(ov->disks);
	for (int i = 0; i < MENU_ACTION_COUNT; i++) {
		free(ov->shortcuts[i]);
		ov->shortcuts[i] = NULL;
	}
	ov->snaps = NULL;
	ov->disks = NULL;
	ov->n_snaps = ov->n_disks = 0;
}

void overlay_set_info(struct overlay *ov, const struct overlay_info *in)
{
	free_info(ov);
	ov->vm_name = xstrdup(in->vm_name);
	ov->vm_dir = xstrdup(in->vm_dir);
	ov->state = xstrdup(in->state);
	ov->busy = xstrdup(in->busy);
	ov->cdrom = xstrdup(in->cdrom);
	ov->running = in->running;
	ov->paused = in->paused;
	ov->started_ms = in->started_ms;
	ov->fullscreen = in->fullscreen;
	ov->scale = in->scale;
	ov->clipboard = in->clipboard;
	ov->guest_follows = in->guest_follows;
	ov->has_cdrom = in->has_cdrom;
	ov->stopped = in->stopped;
	ov->library = in->library;
	ov->settings_known = in->settings_known;
	ov->settings_error = xstrdup(in->settings_error);
	ov->n_settings = in->n_settings;
	ov->settings = xcalloc(in->n_settings + 1, sizeof(*ov->settings));
	for (size_t i = 0; i < in->n_settings; i++) {
		ov->settings[i] = in->settings[i];
		ov->settings[i].id = xstrdup(in->settings[i].id);
		ov->settings[i].label = xstrdup(in->settings[i].label);
		ov->settings[i].value = xstrdup(in->settings[i].value ? in->settings[i].value : "");
		ov->settings[i].hint = xstrdup(in->settings[i].hint);
	}
	for (size_t i = 0; i < in->n_recent_isos; i++)
		strv_push(&ov->recent, in->recent_isos[i]);
	ov->snapshots_known = in->snapshots_known;
	ov->n_snaps = in->n_snapshots;
	ov->snaps = xcalloc(in->n_snapshots + 1, sizeof(*ov->snaps));
	for (size_t i = 0; i < in->n_snapshots; i++) {
		ov->snaps[i].name = xstrdup(in->snapshots[i].name ? in->snapshots[i].name : "");
		ov->snaps[i].date = xstrdup(in->snapshots[i].date);
		ov->snaps[i].vm_clock = xstrdup(in->snapshots[i].vm_clock);
		ov->snaps[i].kind = xstrdup(in->snapshots[i].kind);
		ov->snaps[i].effect = xstrdup(in->snapshots[i].effect);
		ov->snaps[i].partial = in->snapshots[i].partial;
		ov->snaps[i].named_by_date = in->snapshots[i].named_by_date;
	}
	ov->disks_known = in->disks_known;
	ov->n_disks = in->n_disks;
	ov->disks = xcalloc(in->n_disks + 1, sizeof(*ov->disks));
	for (size_t i = 0; i < in->n_disks; i++) {
		ov->disks[i] = in->disks[i];
		ov->disks[i].name = xstrdup(in->disks[i].name ? in->disks[i].name : "");
		ov->disks[i].file = xstrdup(in->disks[i].file ? in->disks[i].file : "");
		ov->disks[i].format = xstrdup(in->disks[i].format);
	}
	for (int i = 0; i < MENU_ACTION_COUNT; i++)
		if (in->shortcuts[i] && *in->shortcuts[i])
			ov->shortcuts[i] = xstrdup(in->shortcuts[i]);
	ov->hidden = in->hidden;
	for (int i = 0; i < ov->depth; i++)
		page_rebuild(ov, &ov->pages[i]);
	ov->dirty = true;
}

/* ---- lifetime ---- */

struct overlay *overlay_create(struct text *text, overlay_action_fn fn,
			       void *user)
{
	struct overlay *ov = xcalloc(1, sizeof(*ov));
	ov->text = text;
	ov->fn = fn;
	ov->user = user;
	ov->scale_px = 1.0f;
	ov->press_item = -1;
	ov->state = xstrdup("");
	return ov;
}

void overlay_destroy(struct overlay *ov)
{
	if (!ov)
		return;
	while (ov->depth)
		pop_page(ov);
	if (ov->have_request)
		item_free(&ov->request);
	free_info(ov);
	free(ov);
}

bool overlay_is_open(const struct overlay *ov)
{
	return ov->open;
}

static void start_text_input(bool on)
{
	/* Text input needs the video subsystem; the model works without. */
	if (!SDL_WasInit(SDL_INIT_VIDEO))
		return;
	if (on)
		SDL_StartTextInput();
}

void overlay_close(struct overlay *ov)
{
	while (ov->depth)
		pop_page(ov);
	ov->open = false;
	ov->laid_out = false;
	ov->dirty = true;
}

void overlay_open(struct overlay *ov)
{
	overlay_close(ov);
	ov->open = true;
	push_page(ov, PAGE_MAIN, NULL, NULL);
	start_text_input(true);
	ov->dirty = true;
}

static void emit_request(struct overlay *ov);

void overlay_open_settings(struct overlay *ov)
{
	overlay_close(ov);
	ov->open = true;
	push_page(ov, PAGE_SETTINGS, NULL, NULL);
	start_text_input(true);
	ov->dirty = true;
	emit_request(ov);   /* MENU_SETTINGS_LIST: the host reads the file */
}

void overlay_setting_result(struct overlay *ov, const char *error)
{
	struct page *p = overlay_top(ov);
	if (!p || p->id != PAGE_SETTING_ONE)
		return;
	if (error) {
		field_set_error(&p->fields[0], error);
		page_rebuild(ov, p);
	} else {
		pop_page(ov);
	}
	ov->dirty = true;
}

void overlay_open_quit(struct overlay *ov)
{
	overlay_close(ov);
	ov->open = true;
	struct item it = { .kind = IT_ACTION, .action = MENU_QUIT, .label = _("Quit") };
	push_page(ov, PAGE_CONFIRM, NULL, &it);
	ov->dirty = true;
}

bool overlay_needs_redraw(const struct overlay *ov)
{
	return ov->dirty;
}

int overlay_timeout(const struct overlay *ov, uint64_t now)
{
	if (!ov->open || !ov->started_ms || now < ov->started_ms)
		return -1;
	return (int)(1000 - (now - ov->started_ms) % 1000);
}

/* ---- queries ---- */

static const struct item *selected(const struct overlay *ov)
{
	const struct page *p = ctop(ov);
	if (!p || p->sel < 0 || p->sel >= (int)p->n_items)
		return NULL;
	return &p->items[p->sel];
}

char *overlay_page_text(const struct overlay *ov)
{
	const struct page *p = ctop(ov);
	char *out = xstrdup("");
	for (size_t i = 0; p && i < p->n_items; i++) {
		const struct item *it = &p->items[i];
		char *more = xasprintf("%s%s%s%s%s\n", out, it->label ? it->label : "",
				       it->detail ? "\t" : "",
				       it->detail ? it->detail : "",
				       it->disabled ? " (off)" : "");
		free(out);
		out = more;
	}
	return out;
}

const char *overlay_selected_label(const struct overlay *ov)
{
	const struct item *it = selected(ov);
	return it ? it->label : NULL;
}

struct field *overlay_focused_field(struct overlay *ov)
{
	const struct item *it = selected(ov);
	if (!it || it->kind != IT_FIELD || it->disabled)
		return NULL;
	return &overlay_top(ov)->fields[it->field];
}

const char *overlay_field_text(const struct overlay *ov)
{
	const struct item *it = selected(ov);
	if (!it || it->kind != IT_FIELD)
		return NULL;
	return ctop(ov)->fields[it->field].text;
}

const char *overlay_field_error(const struct overlay *ov)
{
	const struct page *p = ctop(ov);
	for (int i = 0; p && i < MAX_FIELDS; i++)
		if (p->fields[i].error)
			return p->fields[i].error;
	return NULL;
}

size_t overlay_candidates(const struct overlay *ov, const char ***list)
{
	const struct page *p = ctop(ov);
	if (!p) {
		*list = NULL;
		return 0;
	}
	*list = (const char **)p->fields[0].candidates.v;
	return p->fields[0].candidates.n;
}

/* ---- editing ---- */

static void field_insert(struct field *f, const char *s)
{
	if (f->pristine && (!f->path || s[0] == '/' || s[0] == '~'))
		field_set(f, "");
	f->pristine = false;
	size_t len = strlen(f->text), n = strlen(s);
	if (len + n >= sizeof(f->text))
		return;
	memmove(f->text + f->cursor + n, f->text + f->cursor, len - f->cursor + 1);
	memcpy(f->text + f->cursor, s, n);
	f->cursor += n;
}

static size_t utf8_prev(const char *s, size_t i)
{
	while (i > 0 && (s[--i] & 0xC0) == 0x80)
		;
	return i;
}

static size_t utf8_next(const char *s, size_t i)
{
	if (!s[i])
		return i;
	i++;
	while (s[i] && (s[i] & 0xC0) == 0x80)
		i++;
	return i;
}

static void field_delete(struct field *f, size_t from, size_t to)
{
	memmove(f->text + from, f->text + to, strlen(f->text) - to + 1);
	f->cursor = from;
}

static void field_complete(struct overlay *ov, struct page *p, struct field *f)
{
	field_clear_candidates(f);
	field_clear_error(f);
	char *done = path_complete(f->text, ov->vm_dir, &f->candidates);
	if (!f->candidates.n)
		field_set_error(f, _("Nothing matches."));
	if (f->candidates.n == 1)
		field_clear_candidates(f);   /* completed: nothing to choose */
	field_set(f, done);
	free(done);
	page_rebuild(ov, p);
}

/* Keys a focused text field takes; true when used. */
static bool field_key(struct overlay *ov, const SDL_KeyboardEvent *k)
{
	struct field *f = overlay_focused_field(ov);
	if (!f)
		return false;
	struct page *p = overlay_top(ov);
	bool ctrl = k->keysym.mod & KMOD_CTRL;
	switch (k->keysym.sym) {
	case SDLK_BACKSPACE:
		if (f->cursor)
			field_delete(f, utf8_prev(f->text, f->cursor), f->cursor);
		break;
	case SDLK_DELETE:
		field_delete(f, f->cursor, utf8_next(f->text, f->cursor));
		break;
	case SDLK_LEFT:
		f->cursor = utf8_prev(f->text, f->cursor);
		break;
	case SDLK_RIGHT:
		f->cursor = utf8_next(f->text, f->cursor);
		break;
	case SDLK_HOME:
		f->cursor = 0;
		break;
	case SDLK_END:
		f->cursor = strlen(f->text);
		break;
	case SDLK_u:
		if (!ctrl)
			return false;
		field_delete(f, 0, f->cursor);
		break;
	case SDLK_TAB:
		if (!f->path)
			return false;
		f->pristine = false;
		field_complete(ov, p, f);
		return true;
	default:
		/* Printable keys type: their text comes as SDL_TEXTINPUT, so
		 * the key itself must not also navigate (Space is Enter
		 * elsewhere in the menu). */
		return k->keysym.sym >= SDLK_SPACE && k->keysym.sym < SDLK_DELETE &&
		       !ctrl;
	}
	f->pristine = false;
	ov->dirty = true;
	return true;
}

/* ---- activation ---- */

static void activate(struct overlay *ov)
{
	struct page *p = overlay_top(ov);
	const struct item *it = selected(ov);
	if (!p || !it || it->disabled)
		return;
	switch (it->kind) {
	case IT_PAGE: {
		char *arg = xstrdup(it->arg);
		push_page(ov, it->page, arg, NULL);
		free(arg);
		break;
	}
	case IT_BACK:
		pop_page(ov);
		break;
	case IT_ACTION:
		if (it->confirm && p->id != PAGE_CONFIRM) {
			struct item pending;
			item_copy(&pending, it);
			push_page(ov, PAGE_CONFIRM, NULL, &pending);
			item_free(&pending);
		} else {
			request(ov, it);
		}
		break;
	case IT_FIELD:
	case IT_SUBMIT:
		if (page_defs[p->id].submit)
			page_defs[p->id].submit(ov, p);
		page_rebuild(ov, p);
		break;
	case IT_CHOICE:
		p->choice = (p->choice + 1) % (int)ARRAY_SIZE(disk_formats);
		page_rebuild(ov, p);
		break;
	case IT_CANDIDATE: {
		/* The candidate replaces the last path component typed. */
		struct field *f = &p->fields[0];
		const char *slash = strrchr(f->text, '/');
		size_t keep = slash ? (size_t)(slash - f->text + 1) : 0;
		char *t = xasprintf("%.*s%s", (int)keep, f->text, it->label);
		field_clear_candidates(f);
		field_set(f, t);
		free(t);
		p->sel = 0;   /* back to the field */
		page_rebuild(ov, p);
		break;
	}
	default:
		break;
	}
	ov->dirty = true;
}

static void move_sel(struct page *p, int dir, bool wrap)
{
	if (!p || !p->n_items)
		return;
	int start = p->sel < 0 ? (dir > 0 ? -1 : (int)p->n_items) : p->sel;
	if (select_from(p, start + dir, dir))
		return;
	if (wrap)
		select_from(p, dir > 0 ? 0 : (int)p->n_items - 1, dir);
}

static void choice_step(struct overlay *ov, struct page *p, int dir)
{
	int n = (int)ARRAY_SIZE(disk_formats);
	p->choice = (p->choice + dir + n) % n;
	page_rebuild(ov, p);
}

static void go_back(struct overlay *ov)
{
	struct page *p = overlay_top(ov);
	struct field *f = overlay_focused_field(ov);
	/* Esc first dismisses a completion list, then leaves the page. */
	if (f && f->candidates.n) {
		field_clear_candidates(f);
		page_rebuild(ov, p);
		return;
	}
	/* A stopped VM's page stays: it is the window's content now. */
	if (ov->depth == 1 && ov->stopped)
		return;
	pop_page(ov);
}

enum nav { NAV_NONE, NAV_UP, NAV_DOWN, NAV_FIRST, NAV_LAST, NAV_PGUP,
	   NAV_PGDN, NAV_ENTER, NAV_LEFT, NAV_RIGHT, NAV_BACK, NAV_ESC };

static const struct {
	SDL_Keycode key;
	enum nav nav;
} nav_keys[] = {
	{ SDLK_UP, NAV_UP }, { SDLK_DOWN, NAV_DOWN },
	{ SDLK_TAB, NAV_DOWN },
	{ SDLK_HOME, NAV_FIRST }, { SDLK_END, NAV_LAST },
	{ SDLK_PAGEUP, NAV_PGUP }, { SDLK_PAGEDOWN, NAV_PGDN },
	{ SDLK_RETURN, NAV_ENTER }, { SDLK_KP_ENTER, NAV_ENTER },
	{ SDLK_SPACE, NAV_ENTER },
	{ SDLK_LEFT, NAV_LEFT }, { SDLK_RIGHT, NAV_RIGHT },
	{ SDLK_BACKSPACE, NAV_BACK }, { SDLK_ESCAPE, NAV_ESC },
	{ SDLK_AC_BACK, NAV_ESC },
};

static void nav(struct overlay *ov, enum nav n)
{
	struct page *p = overlay_top(ov);
	const struct item *it = selected(ov);
	switch (n) {
	case NAV_UP:
		move_sel(p, -1, true);
		break;
	case NAV_DOWN:
		move_sel(p, +1, true);
		break;
	case NAV_FIRST:
		select_from(p, 0, 1);
		break;
	case NAV_LAST:
		select_from(p, (int)p->n_items - 1, -1);
		break;
	case NAV_PGUP:
		for (int i = 0; i < 8; i++)
			move_sel(p, -1, false);
		break;
	case NAV_PGDN:
		for (int i = 0; i < 8; i++)
			move_sel(p, +1, false);
		break;
	case NAV_ENTER:
		activate(ov);
		break;
	case NAV_RIGHT:
		if (it && it->kind == IT_CHOICE)
			choice_step(ov, p, +1);
		else if (it && it->kind == IT_PAGE)
			activate(ov);
		break;
	case NAV_LEFT:
		if (it && it->kind == IT_CHOICE)
			choice_step(ov, p, -1);
		else
			go_back(ov);
		break;
	case NAV_BACK:
	case NAV_ESC:
		go_back(ov);
		break;
	default:
		break;
	}
	ov->dirty = true;
}

static void emit_request(struct overlay *ov)
{
	if (!ov->have_request)
		return;
	struct item it = ov->request;
	ov->have_request = false;
	memset(&ov->request, 0, sizeof(ov->request));
	if (!it.keep_open)
		overlay_close(ov);
	struct menu_request req = {
		.action = it.action,
		.arg = it.arg,
		.value = it.value,
		.keys = it.keys,
		.n_keys = it.n_keys,
		.label = it.label,
	};
	req.size = it.size;
	if (it.action == MENU_DISK_CREATE)
		req.arg2 = disk_formats[it.value];
	else
		req.arg2 = it.arg2;
	if (ov->fn)
		ov->fn(ov->user, &req);
	item_free(&it);
}

/* ---- mouse ---- */

static void mouse_event(struct overlay *ov, const SDL_Event *ev)
{
	struct page *p = overlay_top(ov);
	float s = ov->scale_px;
	int x, y, item;
	switch (ev->type) {
	case SDL_MOUSEMOTION:
		x = (int)(ev->motion.x * s);
		y = (int)(ev->motion.y * s);
		item = overlay_row_at(ov, x, y);
		if (p && item >= 0 && item != p->sel &&
		    overlay_selectable(&p->items[item]) && !p->items[item].disabled) {
			p->sel = item;
			ov->dirty = true;
		}
		break;
	case SDL_MOUSEBUTTONDOWN:
		x = (int)(ev->button.x * s);
		y = (int)(ev->button.y * s);
		ov->button_down = true;
		ov->press_item = -1;
		if (ev->button.button == SDL_BUTTON_RIGHT) {
			go_back(ov);
			break;
		}
		if (ev->button.button != SDL_BUTTON_LEFT)
			break;
		if (ov->laid_out && !overlay_in_panel(ov, x, y)) {
			/* A click beside the panel closes it, like Esc at
			 * the top; the guest never gets it. A stopped VM's
			 * page stays. */
			if (!ov->stopped)
				overlay_close(ov);
			break;
		}
		ov->press_item = overlay_row_at(ov, x, y);
		break;
	case SDL_MOUSEBUTTONUP:
		x = (int)(ev->button.x * s);
		y = (int)(ev->button.y * s);
		ov->button_down = false;
		item = overlay_row_at(ov, x, y);
		if (p && ev->button.button == SDL_BUTTON_LEFT && item >= 0 &&
		    item == ov->press_item && overlay_selectable(&p->items[item]) &&
		    !p->items[item].disabled) {
			p->sel = item;
			activate(ov);
		}
		ov->press_item = -1;
		break;
	case SDL_MOUSEWHEEL:
		if (p) {
			int dy = ev->wheel.y;
			if (ev->wheel.direction == SDL_MOUSEWHEEL_FLIPPED)
				dy = -dy;
			for (int i = 0; i < (dy < 0 ? -dy : dy); i++)
				move_sel(p, dy > 0 ? -1 : +1, false);
			ov->dirty = true;
		}
		break;
	default:
		break;
	}
}

bool overlay_handle_event(struct overlay *ov, const SDL_Event *ev)
{
	switch (ev->type) {
	case SDL_KEYUP: {
		SDL_Scancode sc = ev->key.keysym.scancode;
		bool ours = (unsigned)sc < SDL_NUM_SCANCODES && ov->keys_down[sc];
		if (ours)
			ov->keys_down[sc] = false;
		return ov->open || ours;
	}
	case SDL_MOUSEBUTTONUP:
		if (!ov->open && ov->button_down) {
			ov->button_down = false;
			return true;
		}
		break;
	default:
		break;
	}
	if (!ov->open)
		return false;

	switch (ev->type) {
	case SDL_KEYDOWN: {
		SDL_Scancode sc = ev->key.keysym.scancode;
		if ((unsigned)sc < SDL_NUM_SCANCODES)
			ov->keys_down[sc] = true;
		if (!field_key(ov, &ev->key)) {
			for (size_t i = 0; i < ARRAY_SIZE(nav_keys); i++)
				if (nav_keys[i].key == ev->key.keysym.sym) {
					nav(ov, nav_keys[i].nav);
					break;
				}
		}
		break;
	}
	case SDL_TEXTINPUT: {
		struct field *f = overlay_focused_field(ov);
		if (f) {
			f->preedit[0] = '\0';   /* committed */
			field_insert(f, ev->text.text);
			ov->dirty = true;
		}
		break;
	}
	case SDL_TEXTEDITING: {
		struct field *f = overlay_focused_field(ov);
		if (f && strcmp(f->preedit, ev->edit.text)) {
			snprintf(f->preedit, sizeof(f->preedit), "%s", ev->edit.text);
			ov->dirty = true;
		}
		break;
	}
	case SDL_MOUSEMOTION:
	case SDL_MOUSEBUTTONDOWN:
	case SDL_MOUSEBUTTONUP:
	case SDL_MOUSEWHEEL:
		mouse_event(ov, ev);
		break;
	case SDL_FINGERDOWN:
	case SDL_FINGERUP:
	case SDL_FINGERMOTION:
		break;
	default:
		return false;   /* window, quit, user events are the player's */
	}
	emit_request(ov);
	return true;
}

