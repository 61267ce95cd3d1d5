/* The new-VM wizard; see library_wizard.h.
 *
 * Keys: Up/Down (or Tab/Shift+Tab outside the ISO field) move between
 * fields; Left/Right or Space change the OS preset and the disk format;
 * in the ISO field Tab completes the path and Page Up/Page Down go
 * through the suggestions (recent ISOs, then ISOs in ~/Downloads); Enter
 * creates; Escape cancels. Every field is checked as it is typed with
 * vm_create_check, so the messages are those of `vmplay new` and the
 * VM-file reader. Nothing is made before Create. */
#include "player/library_wizard.h"

#include "base/i18n.h"
#include "base/path_complete.h"
#include "base/recent.h"
#include "base/util.h"
#include "base/display_format.h"
#include "vm/disk.h"
#include "vm/vm_create.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum wfield {
	WF_NAME, WF_OS, WF_ISO, WF_MEMORY, WF_CPUS, WF_DISK, WF_FORMAT,
	WF_CREATE, WF_CANCEL, WF_COUNT,
};

/* TRANSLATORS: the wizard's field labels, in a column left of the
 * fields (the column is as wide as the longest). */
static const char *const labels[] = {
	[WF_NAME] = N_("Name"), [WF_OS] = N_("System"),
	[WF_ISO] = N_("Installation ISO"),
	[WF_MEMORY] = N_("Memory"), [WF_CPUS] = N_("Processors"),
	[WF_DISK] = N_("Disk size"), [WF_FORMAT] = N_("Disk format"),
};

static const enum disk_format formats[] = { FORMAT_QCOW2, FORMAT_RAW,
					    FORMAT_VDI, FORMAT_VMDK };

struct wizard {
	void (*redraw)(void *user);
	void *user;
	struct ui_field fields[WF_FORMAT + 1];   /* text fields */
	size_t os;            /* index into vm_presets */
	size_t format;        /* index into formats */
	bool memory_edited, disk_edited;
	enum wfield focus;
	char *errors[WF_FORMAT + 1];
	char *failure;        /* vm_create's error */
	const char *step;     /* while creating */
	bool done;            /* created: offer to play */
	char *created;        /* its VM file */
	char *summary;
	struct strv suggestions;   /* ISOs */
	int suggestion;       /* -1: none chosen */
	struct strv completions;   /* the last Tab's matches */
	/* the last draw's layout, for the mouse */
	SDL_Rect rows[WF_COUNT];
	SDL_Rect sugg_rects[8];
	int n_sugg_rects;
};

static bool is_text(enum wfield f)
{
	return f == WF_NAME || f == WF_ISO || f == WF_MEMORY || f == WF_CPUS ||
	       f == WF_DISK;
}

static void request(const struct wizard *w, struct vm_create_request *r)
{
	memset(r, 0, sizeof(*r));
	r->name = w->fields[WF_NAME].text;
	r->os = &vm_presets[w->os];
	r->iso = w->fields[WF_ISO].text;
	r->memory = w->fields[WF_MEMORY].text;
	r->cpus = w->fields[WF_CPUS].text;
	r->disk_size = w->fields[WF_DISK].text;
	r->format = formats[w->format];
}

/* Checks every field, as typed. */
static void validate(struct wizard *w)
{
	static const struct {
		enum wfield field;
		enum vm_create_field check;
	} map[] = {
		{ WF_NAME, VM_FIELD_NAME }, { WF_ISO, VM_FIELD_ISO },
		{ WF_MEMORY, VM_FIELD_MEMORY }, { WF_CPUS, VM_FIELD_CPUS },
		{ WF_DISK, VM_FIELD_DISK_SIZE },
	};
	struct vm_create_request r;
	request(w, &r);
	/* a typed "~/x.iso" means the home folder's x.iso */
	char *iso = w->fields[WF_ISO].text[0]
		? path_resolve_typed(w->fields[WF_ISO].text, getenv("HOME"))
		: NULL;
	r.iso = iso;
	for (size_t i = 0; i < ARRAY_SIZE(map); i++) {
		free(w->errors[map[i].field]);
		w->errors[map[i].field] = vm_create_check(&r, map[i].check);
	}
	if (!w->errors[WF_NAME])
		w->errors[WF_NAME] = vm_create_conflict(&r);
	free(iso);
}

static bool valid(const struct wizard *w)
{
	for (int i = 0; i <= WF_FORMAT; i++)
		if (w->errors[i])
			return false;
	return true;
}

static void apply_preset(struct wizard *w)
{
	const struct vm_preset *p = &vm_presets[w->os];
	if (!w->memory_edited)
		ui_field_set(&w->fields[WF_MEMORY], p->default_memory);
	if (!w->disk_edited)
		ui_field_set(&w->fields[WF_DISK], p->default_disk);
}

static void load_suggestions(struct wizard *w)
{
	char *file = recent_path("recent-isos");
	recent_load(file, &w->suggestions, RECENT_MAX);
	free(file);
	const char *home = getenv("HOME");
	if (home && *home) {
		char *downloads = path_join(home, "Downloads");
		struct strv found = { 0 };
		path_list_suffix(downloads, ".iso", &found);
		for (size_t i = 0; i < found.n; i++) {
			bool dup = false;
			for (size_t j = 0; j < w->suggestions.n; j++)
				dup |= !strcmp(w->suggestions.v[j], found.v[i]);
			if (!dup)
				strv_push(&w->suggestions, found.v[i]);
		}
		strv_free(&found);
		free(downloads);
	}
}

struct wizard *wizard_create(void (*redraw)(void *user), void *user)
{
	struct wizard *w = xcalloc(1, sizeof(*w));
	w->redraw = redraw;
	w->user = user;
	w->suggestion = -1;
	/* a name that is free: vm-1, vm-2, ... */
	for (int i = 1; i < 1000; i++) {
		char name[16];
		snprintf(name, sizeof(name), "vm-%d", i);
		ui_field_set(&w->fields[WF_NAME], name);
		struct vm_create_request r = { .name = name };
		char *why = vm_create_conflict(&r);
		free(why);
		if (!why)
			break;
	}
	ui_field_set(&w->fields[WF_CPUS], "2");
	apply_preset(w);
	load_suggestions(w);
	validate(w);
	SDL_StartTextInput();
	return w;
}

void wizard_destroy(struct wizard *w)
{
	if (!w)
		return;
	for (int i = 0; i <= WF_FORMAT; i++)
		free(w->errors[i]);
	free(w->failure);
	free(w->created);
	free(w->summary);
	strv_free(&w->suggestions);
	strv_free(&w->completions);
	free(w);
}

const char *wizard_created_path(const struct wizard *w)
{
	return w->created;
}

static void on_step(void *user, const char *step)
{
	struct wizard *w = user;
	w->step = step;
	if (w->redraw)
		w->redraw(w->user);
}

static void create(struct wizard *w)
{
	validate(w);
	if (!valid(w)) {
		for (int i = 0; i <= WF_FORMAT; i++)
			if (w->errors[i]) {
				w->focus = (enum wfield)i;
				break;
			}
		return;
	}
	struct vm_create_request r;
	request(w, &r);
	char *iso = r.iso[0] ? path_resolve_typed(r.iso, getenv("HOME")) : NULL;
	r.iso = iso;
	struct vm_created made;
	char *error = NULL;
	free(w->failure);
	w->failure = NULL;
	if (vm_create(&r, on_step, w, &made, &error)) {
		char mem[32], disk[32];
		w->done = true;
		w->created = xstrdup(made.vm_path);
		/* TRANSLATORS: the VM file's path, its memory ("2G"), its
		 * processors, the disk's size ("25G") and format ("qcow2"). */
		w->summary = xasprintf(
			ngettext("%s: %s memory, %d processor, a %s %s disk.",
				 "%s: %s memory, %d processors, a %s %s disk.",
				 made.cpus),
			made.vm_path, format_size_display(made.memory, mem, sizeof(mem)),
			made.cpus, format_size_display(made.disk_size, disk, sizeof(disk)),
			disk_format_name(r.format));
		w->focus = WF_CREATE;   /* "Play" */
		vm_created_free(&made);
	} else {
		w->failure = error;
	}
	w->step = NULL;
	free(iso);
}

static void move_focus(struct wizard *w, int delta)
{
	int f = ((int)w->focus + delta + WF_COUNT) % WF_COUNT;
	w->focus = (enum wfield)f;
}

static void cycle(struct wizard *w, int delta)
{
	if (w->focus == WF_OS) {
		w->os = (w->os + vm_preset_count + (size_t)(delta + 3)) %
			vm_preset_count;
		apply_preset(w);
	} else if (w->focus == WF_FORMAT) {
		size_t n = ARRAY_SIZE(formats);
		w->format = (w->format + n + (size_t)(delta + 4)) % n;
	}
}

static void complete_iso(struct wizard *w)
{
	strv_free(&w->completions);
	char *done = path_complete(w->fields[WF_ISO].text, getenv("HOME"),
				   &w->completions);
	if (done) {
		ui_field_set(&w->fields[WF_ISO], done);
		free(done);
	}
}

static void pick_suggestion(struct wizard *w, int delta)
{
	int n = (int)w->suggestions.n;
	if (!n)
		return;
	w->suggestion = w->suggestion < 0 ? (delta > 0 ? 0 : n - 1)
					  : (w->suggestion + delta + n) % n;
	ui_field_set(&w->fields[WF_ISO], w->suggestions.v[w->suggestion]);
}

static enum wizard_outcome done_event(struct wizard *w, const SDL_Event *ev,
				      int mx, int my)
{
	if (ev->type == SDL_KEYDOWN) {
		switch (ev->key.keysym.sym) {
		case SDLK_RETURN:
		case SDLK_KP_ENTER:
			return w->focus == WF_CREATE ? WIZARD_PLAY : WIZARD_CLOSED;
		case SDLK_ESCAPE:
			return WIZARD_CLOSED;
		case SDLK_TAB:
		case SDLK_LEFT:
		case SDLK_RIGHT:
			w->focus = w->focus == WF_CREATE ? WF_CANCEL : WF_CREATE;
			break;
		default:
			break;
		}
	} else if (ev->type == SDL_MOUSEBUTTONDOWN) {
		if (ui_hit(w->rows[WF_CREATE], mx, my))
			return WIZARD_PLAY;
		if (ui_hit(w->rows[WF_CANCEL], mx, my))
			return WIZARD_CLOSED;
	}
	return WIZARD_OPEN;
}

enum wizard_outcome wizard_event(struct wizard *w, const SDL_Event *ev,
				 int mx, int my)
{
	if (w->done)
		return done_event(w, ev, mx, my);
	if (ev->type == SDL_MOUSEBUTTONDOWN && ev->button.button == SDL_BUTTON_LEFT) {
		for (int i = 0; i < w->n_sugg_rects; i++)
			if (ui_hit(w->sugg_rects[i], mx, my)) {
				w->suggestion = i;
				ui_field_set(&w->fields[WF_ISO],
					     w->suggestions.v[i]);
				validate(w);
				return WIZARD_OPEN;
			}
		for (int f = 0; f < WF_COUNT; f++) {
			if (!ui_hit(w->rows[f], mx, my))
				continue;
			if (f == WF_CREATE) {
				create(w);
			} else if (f == WF_CANCEL) {
				return WIZARD_CLOSED;
			} else {
				if (w->focus == (enum wfield)f)
					cycle(w, 1);
				w->focus = (enum wfield)f;
				validate(w);
			}
			break;
		}
		return WIZARD_OPEN;
	}
	if (is_text(w->focus) && ui_field_event(&w->fields[w->focus], ev)) {
		if (w->focus == WF_MEMORY)
			w->memory_edited = true;
		if (w->focus == WF_DISK)
			w->disk_edited = true;
		if (w->focus == WF_ISO)
			w->suggestion = -1;
		validate(w);
		return WIZARD_OPEN;
	}
	if (ev->type == SDL_TEXTINPUT && !strcmp(ev->text.text, " "))
		cycle(w, 1);
	if (ev->type != SDL_KEYDOWN)
		return WIZARD_OPEN;
	bool shift = ev->key.keysym.mod & KMOD_SHIFT;
	switch (ev->key.keysym.sym) {
	case SDLK_ESCAPE:
		return WIZARD_CLOSED;
	case SDLK_RETURN:
	case SDLK_KP_ENTER:
		if (w->focus == WF_CANCEL)
			return WIZARD_CLOSED;
		create(w);
		break;
	case SDLK_TAB:
		if (w->focus == WF_ISO && !shift && w->fields[WF_ISO].text[0]) {
			char before[UI_FIELD_MAX];
			snprintf(before, sizeof(before), "%s", w->fields[WF_ISO].text);
			complete_iso(w);
			if (strcmp(before, w->fields[WF_ISO].text) != 0 ||
			    w->completions.n > 1) {
				validate(w);
				break;
			}
		}
		move_focus(w, shift ? -1 : 1);
		break;
	case SDLK_DOWN:
		move_focus(w, 1);
		break;
	case SDLK_UP:
		move_focus(w, -1);
		break;
	case SDLK_LEFT:
		if (w->focus == WF_CANCEL)
			w->focus = WF_CREATE;
		else
			cycle(w, -1);
		break;
	case SDLK_RIGHT:
		if (w->focus == WF_CREATE)
			w->focus = WF_CANCEL;
		else
			cycle(w, 1);
		break;
	case SDLK_PAGEDOWN:
		if (w->focus == WF_ISO)
			pick_suggestion(w, 1);
		break;
	case SDLK_PAGEUP:
		if (w->focus == WF_ISO)
			pick_suggestion(w, -1);
		break;
	default:
		break;
	}
	validate(w);
	return WIZARD_OPEN;
}

static void draw_done(struct wizard *w, struct ui *ui)
{
	int x = ui->pad * 2, y = ui->pad * 2;
	int max_w = ui->w - 4 * ui->pad;
	ui_text(ui, true, _("New virtual machine"), x, y, max_w, UI_TEXT);
	y += ui->line * 2;
	char *title = xasprintf(_("%s is ready."), w->fields[WF_NAME].text);
	ui_text(ui, true, title, x, y, max_w, UI_OK);
	free(title);
	y += ui->line + ui->pad;
	struct strv lines = { 0 };
	text_wrap(ui->text, ui->px, false, w->summary, max_w, 4, &lines);
	for (size_t i = 0; i < lines.n; i++, y += ui->line)
		ui_text(ui, false, lines.v[i], x, y, 0, UI_DIM);
	strv_free(&lines);
	y += ui->line;
	/* TRANSLATORS: a button; %s is the new VM's name. */
	char *play = xasprintf(_("Play %s"), w->fields[WF_NAME].text);
	w->rows[WF_CREATE] = ui_button(ui, play, x, y, w->focus == WF_CREATE, true);
	free(play);
	w->rows[WF_CANCEL] = ui_button(ui, _("Back to the library"),
				       w->rows[WF_CREATE].x + w->rows[WF_CREATE].w +
					       ui->pad, y,
				       w->focus == WF_CANCEL, true);
	w->n_sugg_rects = 0;
}

void wizard_draw(struct wizard *w, struct ui *ui)
{
	if (w->done) {
		draw_done(w, ui);
		return;
	}
	int x = ui->pad * 2, y = ui->pad * 2;
	int label_w = 0;
	for (int f = 0; f <= WF_FORMAT; f++) {
		int lw = text_width(ui->text, ui->px, true, _(labels[f]));
		if (lw > label_w)
			label_w = lw;
	}
	label_w += 2 * ui->pad;
	int fx = x + label_w, fw = ui->w - fx - 2 * ui->pad;
	ui_text(ui, true, _("New virtual machine"), x, y, 0, UI_TEXT);
	y += ui->line + ui->pad * 2;
	w->n_sugg_rects = 0;
	for (int f = 0; f <= WF_FORMAT; f++) {
		bool focused = w->focus == (enum wfield)f;
		int h = ui->line + ui->pad;
		ui_text(ui, focused, _(labels[f]), x, y + ui->pad / 2, label_w,
			focused ? UI_ACCENT : UI_DIM);
		SDL_Rect box = { fx, y, fw, h };
		if (is_text((enum wfield)f)) {
			ui_field_draw(ui, &w->fields[f], box, focused);
		} else {
			char *value;
			if (f == WF_OS)
				/* the preset's name is a word of `vmplay new
				 * --os`: it stays; its summary is prose */
				value = xasprintf("\xE2\x97\x82 %s: %s \xE2\x96\xB8",
						  vm_presets[w->os].name,
						  _(vm_presets[w->os].summary));
			else
				value = xasprintf("\xE2\x97\x82 %s \xE2\x96\xB8",
						  disk_format_name(formats[w->format]));
			ui_fill(ui, box, focused ? UI_SELECTED : UI_PANEL);
			ui_text(ui, false, value, fx + ui->pad, y + ui->pad / 2,
				fw - 2 * ui->pad, UI_TEXT);
			free(value);
		}
		w->rows[f] = (SDL_Rect){ x, y, fx + fw - x, h };
		y += h + 2;
		if (w->errors[f]) {
			struct strv lines = { 0 };
			text_wrap(ui->text, ui->px, false, w->errors[f], fw, 3,
				  &lines);
			for (size_t i = 0; i < lines.n; i++, y += ui->line)
				ui_text(ui, false, lines.v[i], fx, y, 0, UI_ERROR);
			strv_free(&lines);
		} else if (f == WF_ISO && !w->fields[WF_ISO].text[0] &&
			   !focused) {
			ui_text(ui, false, _("none: an empty CD drive"), fx, y, fw,
				UI_DIM);
			y += ui->line;
		}
		if (f == WF_ISO && focused) {
			/* Tab's matches, else the suggestions */
			const struct strv *list = w->completions.n > 1
				? &w->completions : &w->suggestions;
			bool sugg = list == &w->suggestions;
			if (sugg && list->n)
				ui_text(ui, false, _("Page Down: recent ISOs and "
						     "those in ~/Downloads; Tab completes"),
					fx, y, fw, UI_DIM);
			else if (!list->n)
				ui_text(ui, false, _("Tab completes a path; no ISO "
						     "in ~/Downloads or used recently"), fx, y,
					fw, UI_DIM);
			y += ui->line;
			for (size_t i = 0; i < list->n && i < 5; i++) {
				bool on = sugg && (int)i == w->suggestion;
				ui_text(ui, on, list->v[i], fx + ui->pad, y, fw,
					on ? UI_ACCENT : UI_TEXT);
				if (sugg && w->n_sugg_rects < 8)
					w->sugg_rects[w->n_sugg_rects++] =
						(SDL_Rect){ fx, y, fw, ui->line };
				y += ui->line;
			}
		}
		y += ui->pad / 2;
	}
	y += ui->pad;
	w->rows[WF_CREATE] = ui_button(ui, _("Create"), fx, y,
				       w->focus == WF_CREATE, valid(w));
	w->rows[WF_CANCEL] = ui_button(ui, _("Cancel"),
				       fx + w->rows[WF_CREATE].w + ui->pad, y,
				       w->focus == WF_CANCEL, true);
	y += ui->line + ui->pad * 2;
	if (w->step) {
		char *s = xasprintf("%s\xE2\x80\xA6", w->step);
		ui_text(ui, false, s, fx, y, fw, UI_ACCENT);
		free(s);
	} else if (w->failure) {
		struct strv lines = { 0 };
		text_wrap(ui->text, ui->px, false, w->failure, fw, 3, &lines);
		for (size_t i = 0; i < lines.n; i++, y += ui->line)
			ui_text(ui, false, lines.v[i], fx, y, 0, UI_ERROR);
		strv_free(&lines);
	} else {
		/* TRANSLATORS: the wizard's key hints; key names stay. */
		ui_text(ui, false, _("Enter: create   Esc: cancel   ↑↓: fields   "
				     "←→: choices"), fx, y, fw, UI_DIM);
	}
}
