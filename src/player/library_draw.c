/* The library window on screen: the list with its thumbnails, the
 * toolbar, the empty library's advice, the dialogs; and the layout the
 * mouse handling reads back (library_impl.h). */
#include "player/library_impl.h"

#include "base/display_format.h"
#include "base/i18n.h"
#include "player/text.h"

#include <stdlib.h>
#include <string.h>

/* Space between rows, and above a heading. */
#define ROW_GAP 4


static void layout_ui(struct win *w)
{
	int ow, oh, ww, wh;
	SDL_GetRendererOutputSize(w->ren, &ow, &oh);
	SDL_GetWindowSize(w->window, &ww, &wh);
	struct ui *ui = &w->ui;
	ui->ren = w->ren;
	ui->text = w->text;
	ui->w = ow;
	ui->h = oh;
	ui->scale = ww > 0 ? (float)ow / (float)ww : 1.0f;
	if (ui->scale < 1.0f)
		ui->scale = 1.0f;
	ui->px = (int)(15 * ui->scale);
	ui->line = text_line_height(w->text, ui->px, false);
	ui->pad = (int)(8 * ui->scale);
}

static void draw_entry(struct win *w, const struct library_entry *e,
		       SDL_Rect r, bool sel)
{
	struct ui *ui = &w->ui;
	ui_fill(ui, r, sel ? UI_SELECTED : UI_PANEL);
	int th = r.h - ui->pad, tw = th * 16 / 10;
	SDL_Rect box = { r.x + ui->pad / 2, r.y + ui->pad / 2, tw, th };
	ui_fill(ui, box, (SDL_Color){ 16, 17, 20, 255 });
	SDL_Texture *tex = e->thumbnail ? library_thumb(w, e->thumbnail) : NULL;
	if (tex) {
		int iw, ih;
		SDL_QueryTexture(tex, NULL, NULL, &iw, &ih);
		SDL_Rect dst = box;
		if (iw * box.h > ih * box.w) {
			dst.h = ih * box.w / (iw ? iw : 1);
			dst.y += (box.h - dst.h) / 2;
		} else {
			dst.w = iw * box.h / (ih ? ih : 1);
			dst.x += (box.w - dst.w) / 2;
		}
		SDL_RenderCopy(w->ren, tex, NULL, &dst);
	}
	int x = box.x + box.w + ui->pad, max_w = r.x + r.w - x - ui->pad;
	int y = r.y + (r.h - 3 * ui->line) / 2;
	int nw = ui_text(ui, true, e->name, x, y, max_w * 2 / 3, UI_TEXT);
	/* TRANSLATORS: a VM's state next to its name in the library. */
	const char *state = e->running ? (e->headless ? _("running headless")
						      : _("running"))
			    : e->problem ? _("broken") : _("off");
	ui_text(ui, e->running, state, x + nw + ui->pad * 2, y, 0,
		e->running ? UI_OK : e->problem ? UI_ERROR : UI_DIM);
	y += ui->line;
	if (e->problem) {
		ui_text(ui, false, e->problem, x, y, max_w, UI_ERROR);
	} else {
		char mem[32], disk[32];
		format_size_display(e->memory, mem, sizeof(mem));
		format_size_display(e->disk_bytes, disk, sizeof(disk));
		char *cpus = xasprintf(ngettext("%d CPU", "%d CPUs", e->cpus), e->cpus);
		/* TRANSLATORS: a VM's facts in the library: its memory
		 * ("96M"), its processors ("3 CPUs") and its disks' size. */
		char *line = e->missing_disks
			? xasprintf(ngettext("%s memory · %s · %s disk (%zu missing)",
					     "%s memory · %s · %s disk (%zu missing)",
					     e->missing_disks),
				    mem, cpus, disk, e->missing_disks)
			: e->n_disks ? xasprintf(_("%s memory · %s · %s disk"), mem,
						 cpus, disk)
			: xasprintf(_("%s memory · %s · no disk"), mem, cpus);
		free(cpus);
		ui_text(ui, false, line, x, y, max_w,
			e->missing_disks ? UI_ERROR : UI_TEXT);
		free(line);
	}
	y += ui->line;
	char *path = text_ellipsize(w->text, ui->px, false, e->path, max_w, true);
	ui_text(ui, false, path, x, y, 0, UI_DIM);
	free(path);
}

/* A heading: "VM files", or a libvirt connection (name, URI) with a
 * second line while it has no list to show (connecting, unreachable,
 * no domains). */
static bool group_has_status(const struct win *w, const struct row *r)
{
	if (r->conn == ROW_FILES)
		return false;
	const struct libvirt_watch_conn *c = &w->conns[r->conn];
	return c->status != LIBVIRT_WATCH_OK || !c->n_domains;
}

static int row_height(const struct win *w, const struct row *r)
{
	const struct ui *ui = &w->ui;
	switch (r->kind) {
	case ROW_VM:
		return 3 * ui->line + ui->pad * 2;
	case ROW_DOMAIN:
		return 2 * ui->line + ui->pad;
	default:
		return (group_has_status(w, r) ? 2 : 1) * ui->line + ui->pad +
		       ui->pad;   /* the space above it */
	}
}

static void draw_group(struct win *w, const struct row *r, SDL_Rect box)
{
	struct ui *ui = &w->ui;
	int x = box.x, y = box.y + ui->pad, max_w = box.w;
	if (r->conn == ROW_FILES) {
		ui_text(ui, true, _("VM files"), x, y, max_w, UI_ACCENT);
		return;
	}
	const struct libvirt_watch_conn *c = &w->conns[r->conn];
	int nw = ui_text(ui, true, c->name, x, y, max_w / 2, UI_ACCENT);
	ui_text(ui, false, c->uri, x + nw + 2 * ui->pad, y,
		max_w - nw - 2 * ui->pad, UI_DIM);
	if (!group_has_status(w, r))
		return;
	y += ui->line;
	char *line;
	SDL_Color colour = UI_DIM;
	if (c->status == LIBVIRT_WATCH_CONNECTING) {
		int secs = (int)((now_ms() - c->since_ms) / 1000);
		line = secs >= 3
			? xasprintf(_("Connecting\xE2\x80\xA6 (no answer for "
				      "%d s)"), secs)
			: xstrdup(_("Connecting\xE2\x80\xA6"));
	} else if (c->status == LIBVIRT_WATCH_FAILED) {
		line = xasprintf(_("Cannot connect: %s"),
				 c->message ? c->message : "?");
		colour = UI_ERROR;
	} else {
		line = xstrdup(_("No domains"));
	}
	ui_text(ui, false, line, x + ui->pad, y, max_w - ui->pad, colour);
	free(line);
}

static SDL_Color state_colour(const char *state)
{
	if (!strcmp(state, "running"))
		return UI_OK;
	if (!strcmp(state, "shut off"))
		return UI_DIM;
	if (!strcmp(state, "crashed") || !strcmp(state, "unknown"))
		return UI_ERROR;
	return UI_ACCENT;   /* paused, shutting down, suspended... */
}

static void draw_domain(struct win *w, const struct row *r, SDL_Rect box,
			bool sel)
{
	struct ui *ui = &w->ui;
	const struct libvirt_domain_info *d =
		&w->conns[r->conn].domains[r->dom];
	ui_fill(ui, box, sel ? UI_SELECTED : UI_PANEL);
	SDL_Rect mark = { box.x, box.y, ui->pad / 2, box.h };
	ui_fill(ui, mark, state_colour(d->state));
	int x = box.x + 2 * ui->pad, max_w = box.w - 3 * ui->pad;
	int y = box.y + ui->pad / 2;
	int nw = ui_text(ui, true, d->name, x, y, max_w * 2 / 3, UI_TEXT);
	ui_text(ui, !strcmp(d->state, "running"), _(d->state),
		x + nw + ui->pad * 2, y, 0, state_colour(d->state));
	y += ui->line;
	char *facts = xasprintf(_("libvirt domain \xC2\xB7 %s"), d->uuid);
	ui_text(ui, false, facts, x, y, max_w, UI_DIM);
	free(facts);
}

/* The height of rows from..to (inclusive) with the gaps between them. */
static int rows_span(const struct win *w, int from, int to)
{
	int h = 0;
	for (int i = from; i <= to; i++)
		h += row_height(w, &w->shown[i]) + (i > from ? ROW_GAP : 0);
	return h;
}

/* The first row drawn: the selection in sight (with its heading when it
 * is the first of its group), no empty space below the last row. */
static void scroll_to_selection(struct win *w, int avail)
{
	int last = (int)w->n_shown - 1;
	if (w->selected >= 0 && w->selected < w->scroll)
		w->scroll = w->selected;
	if (w->scroll > 0 && w->scroll == w->selected &&
	    w->shown[w->scroll - 1].kind == ROW_GROUP)
		w->scroll--;
	while (w->selected >= 0 && w->scroll < w->selected &&
	       rows_span(w, w->scroll, w->selected) > avail)
		w->scroll++;
	while (w->scroll > 0 && rows_span(w, w->scroll - 1, last) <= avail)
		w->scroll--;
	if (w->scroll > last)
		w->scroll = last > 0 ? last : 0;
	if (w->scroll < 0)
		w->scroll = 0;
}

static void draw_empty(struct win *w, int top, int bottom)
{
	struct ui *ui = &w->ui;
	char *home = library_home();
	/* TRANSLATORS: %s is the library's folder, e.g. /home/ana/.VM. */
	char *where = xasprintf(_("Nothing in %s yet, and no VM played recently."),
				home ? home : "~/.VM");
	/* TRANSLATORS: an empty library's text, centred, one line each;
	 * "New…" and "Open file…" are the buttons' labels. */
	const char *lines[] = {
		w->filter[0] ? _("No VM name matches the filter.") : _("No virtual machines"),
		w->filter[0] ? _("Backspace or Escape clears it.") : where,
		"",
		_("Ctrl+N (or New…) makes one with the wizard:"),
		_("a disk, memory and processors, and an installation ISO."),
		_("Ctrl+O (or Open file…) plays a VM file from elsewhere;"),
		_("`vmplay new NAME` in a terminal does what the wizard does."),
	};
	size_t n = w->filter[0] ? 2 : ARRAY_SIZE(lines);
	int y = top + (bottom - top - (int)n * ui->line) / 2;
	for (size_t i = 0; i < n; i++, y += ui->line) {
		int tw = text_width(w->text, ui->px, i == 0, lines[i]);
		ui_text(ui, i == 0, lines[i], (ui->w - tw) / 2, y, 0,
			i == 0 ? UI_TEXT : UI_DIM);
	}
	free(where);
	free(home);
}

static void draw_list(struct win *w)
{
	struct ui *ui = &w->ui;
	int x = ui->pad * 2, y = ui->pad * 2;
	ui_text(ui, true, _("Virtual machines"), x, y, 0, UI_TEXT);
	char *f = w->filter[0] ? xasprintf(_("Filter: %s"), w->filter)
			       : xstrdup(_("Type to filter by name"));
	int fw = text_width(w->text, ui->px, false, f);
	ui_text(ui, false, f, ui->w - fw - 2 * ui->pad, y, 0,
		w->filter[0] ? UI_ACCENT : UI_DIM);
	free(f);
	y += ui->line + ui->pad * 2;

	/* the toolbar at the bottom, its hints above it */
	int bh = ui->line + ui->pad;
	int by = ui->h - bh - ui->pad * 2;
	int hy = by - ui->line - ui->pad;
	int bottom = hy - ui->pad;
	int row_h = 3 * ui->line + ui->pad * 2;
	w->visible_rows = (bottom - y) / (row_h + ROW_GAP);
	if (w->visible_rows < 1)
		w->visible_rows = 1;
	scroll_to_selection(w, bottom - y);
	w->n_rows = 0;
	if (!w->n_shown)
		draw_empty(w, y, bottom);
	for (int i = w->scroll; i < (int)w->n_shown && w->n_rows < 64; i++) {
		const struct row *row = &w->shown[i];
		int h = row_height(w, row);
		if (y + h > bottom)
			break;
		SDL_Rect r = { x, y, ui->w - 2 * x, h };
		bool sel = i == w->selected;
		if (row->kind == ROW_VM)
			draw_entry(w, &w->lib->entries[row->vm], r, sel);
		else if (row->kind == ROW_DOMAIN)
			draw_domain(w, row, r, sel);
		else
			draw_group(w, row, r);
		w->rows[w->n_rows] = r;
		w->row_entry[w->n_rows++] = i;
		y += h + ROW_GAP;
	}
	/* TRANSLATORS: the library's key hints; key names stay. */
	ui_text(ui, false, _("Enter: play   Ctrl+E: settings   Ctrl+N: new   "
			     "Ctrl+D: duplicate   Delete: remove   Ctrl+O: open a file"), x, hy,
		ui->w - 2 * x, UI_DIM);
	int bx = x;
	const struct library_entry *e = library_selected(w);
	const struct libvirt_watch_conn *conn = NULL;
	bool domain = library_selected_domain(w, &conn) != NULL;
	for (int a = 0; a < ACT_COUNT; a++) {
		bool enabled = a == ACT_NEW || a == ACT_OPEN || e ||
			       (a == ACT_PLAY && domain);
		if (a == ACT_SETTINGS && e && e->problem)
			enabled = false;   /* a file that does not load */
		const char *label = _(library_action_labels[a]);
		/* TRANSLATORS: the Play button of a VM that runs: it raises
		 * the VM's window. */
		if (a == ACT_PLAY && e && e->running)
			label = _("Show");
		/* the default: Play, or New in an empty library */
		bool is_default = a == ACT_PLAY ? e != NULL || domain
			: a == ACT_NEW && !w->lib->n && w->selected < 0;
		w->buttons[a] = ui_button(ui, label, bx, by, is_default, enabled);
		bx += w->buttons[a].w + ui->pad;
	}
}

/* A centred dialog box with a title, wrapped text and two buttons;
 * returns the y below the text for extra rows. */
static int draw_dialog(struct win *w, const char *title, const char *text,
		       int extra_h, const char *ok, const char *cancel)
{
	struct ui *ui = &w->ui;
	int dw = ui->w * 4 / 5;
	struct strv lines = { 0 };
	text_wrap(w->text, ui->px, false, text, dw - 4 * ui->pad, 8, &lines);
	int dh = (int)(lines.n + 2) * ui->line + extra_h + ui->line + 6 * ui->pad;
	SDL_Rect d = { (ui->w - dw) / 2, (ui->h - dh) / 2, dw, dh };
	ui_fill(ui, (SDL_Rect){ 0, 0, ui->w, ui->h }, (SDL_Color){ 0, 0, 0, 150 });
	ui_fill(ui, d, UI_PANEL);
	ui_frame(ui, d, UI_ACCENT);
	int x = d.x + 2 * ui->pad, y = d.y + 2 * ui->pad;
	ui_text(ui, true, title, x, y, dw - 4 * ui->pad, UI_TEXT);
	y += ui->line * 3 / 2;
	for (size_t i = 0; i < lines.n; i++, y += ui->line)
		ui_text(ui, false, lines.v[i], x, y, 0, UI_TEXT);
	strv_free(&lines);
	int extra_y = y + ui->pad;
	int by = d.y + d.h - ui->line - 3 * ui->pad;
	w->dialog_buttons[0] = ui_button(ui, ok, x, by, w->button == 0, true);
	w->dialog_buttons[1] = ui_button(ui, cancel,
					 x + w->dialog_buttons[0].w + ui->pad,
					 by, w->button == 1, true);
	return extra_y;
}

static void draw_toasts(struct win *w)
{
	/* above the toolbar and its hints */
	toasts_draw(w->toasts, w->text, w->ui.w,
		    w->ui.h - 2 * (w->ui.line + 2 * w->ui.pad), w->ui.scale);
}

void library_draw(struct win *w)
{
	layout_ui(w);
	struct ui *ui = &w->ui;
	ui_fill(ui, (SDL_Rect){ 0, 0, ui->w, ui->h }, UI_BG);
	SDL_SetRenderDrawColor(w->ren, UI_BG.r, UI_BG.g, UI_BG.b, 255);
	SDL_RenderClear(w->ren);
	if (w->view == VIEW_WIZARD) {
		wizard_draw(w->wizard, ui);
		draw_toasts(w);
		SDL_RenderPresent(w->ren);
		w->dirty = false;
		return;
	}
	draw_list(w);
	const struct library_entry *e = library_selected(w);
	if (w->view == VIEW_REMOVE && e) {
		char *title = xasprintf(_("Remove %s?"), e->name);
		draw_dialog(w, title, w->remove_text, 0,
			    e->in_home ? _("Move to the trash") : _("Take off the list"),
			    _("Cancel"));
		free(title);
	} else if (w->view == VIEW_DUPLICATE && e) {
		char *title = xasprintf(_("Duplicate %s"), e->name);
		int y = draw_dialog(w, title, _("A copy under a new name, with a "
						"new UUID, in ~/.VM:"), 4 * ui->line +
				    3 * ui->pad, _("Duplicate"), _("Cancel"));
		free(title);
		int x = (ui->w - ui->w * 4 / 5) / 2 + 2 * ui->pad;
		int fw = ui->w * 4 / 5 - 4 * ui->pad;
		ui_field_draw(ui, &w->field, (SDL_Rect){ x, y, fw, ui->line + ui->pad },
			      w->field_focus);
		y += ui->line + 2 * ui->pad;
		w->choice_row = (SDL_Rect){ x, y, fw, ui->line + ui->pad };
		ui_fill(ui, w->choice_row, w->field_focus ? UI_BG : UI_SELECTED);
		ui_text(ui, false, w->linked
			? _("◂ Linked clone: a qcow2 disk backed by the "
			    "original's (fast; keep the original) ▸")
			: _("◂ Full copy of the disks ▸"),
			x + ui->pad, y + ui->pad / 2, fw - 2 * ui->pad, UI_TEXT);
		y += ui->line + 2 * ui->pad;
		if (w->progress)
			ui_text(ui, false, w->progress, x, y, fw, UI_ACCENT);
	} else if (w->view == VIEW_OPEN) {
		int y = draw_dialog(w, _("Open a VM file"), _("Its path (Tab "
				    "completes; a VM's folder works too):"),
				    ui->line * 3, _("Play"), _("Cancel"));
		int x = (ui->w - ui->w * 4 / 5) / 2 + 2 * ui->pad;
		int fw = ui->w * 4 / 5 - 4 * ui->pad;
		ui_field_draw(ui, &w->field, (SDL_Rect){ x, y, fw, ui->line + ui->pad },
			      true);
		y += ui->line + 2 * ui->pad;
		if (w->completions.n > 1) {
			char *all = strv_join(&w->completions, "  ");
			ui_text(ui, false, all, x, y, fw, UI_DIM);
			free(all);
		}
	}
	if (w->overlay && overlay_is_open(w->overlay))
		overlay_draw(w->overlay, ui->w, ui->h, ui->scale);
	draw_toasts(w);
	SDL_RenderPresent(w->ren);
	w->dirty = false;
}

