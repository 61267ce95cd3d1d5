/* The overlay menu on screen: layout and drawing of the open page, and
 * which row lies under a pointer position (the layout of the last draw). */
#include "player/overlay_impl.h"

#include "base/i18n.h"
#include "base/util.h"
#include "player/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const SDL_Color COLOR_TEXT = { 236, 238, 242, 255 };
static const SDL_Color COLOR_DIM = { 160, 166, 178, 255 };
static const SDL_Color COLOR_DISABLED = { 110, 114, 124, 255 };
static const SDL_Color COLOR_ERROR = { 255, 120, 120, 255 };
static const SDL_Color COLOR_ACCENT = { 120, 180, 255, 255 };

int overlay_row_at(const struct overlay *ov, int x, int y)
{
	for (int i = 0; i < ov->n_rows; i++) {
		const SDL_Rect *r = &ov->rows[i].r;
		if (x >= r->x && x < r->x + r->w && y >= r->y && y < r->y + r->h)
			return ov->rows[i].item;
	}
	return -1;
}

bool overlay_in_panel(const struct overlay *ov, int x, int y)
{
	const SDL_Rect *r = &ov->panel;
	return ov->laid_out && x >= r->x && x < r->x + r->w && y >= r->y &&
	       y < r->y + r->h;
}

bool overlay_panel_rect(const struct overlay *ov, SDL_Rect *r)
{
	if (!ov->open || !ov->laid_out)
		return false;
	*r = ov->panel;
	return true;
}

static void fill(SDL_Renderer *r, SDL_Rect rc, Uint8 cr, Uint8 cg, Uint8 cb,
		 Uint8 ca)
{
	SDL_SetRenderDrawColor(r, cr, cg, cb, ca);
	SDL_RenderFillRect(r, &rc);
}

/* Font size in output pixels: a desktop's usual text size (11 to 16
 * points times the HiDPI scale), a little larger in a big window; never
 * so large that the menu covers a small one (640x480 gets 14). */
static int menu_px(int out_h, float scale)
{
	int px = out_h / 34;
	int lo = (int)(11 * scale), hi = (int)(16 * scale);
	if (px < lo)
		px = lo;
	if (px > hi)
		px = hi;
	return px < 9 ? 9 : px;
}

static int item_lines(struct overlay *ov, const struct item *it, int px,
		      int inner_w, struct strv *lines)
{
	if (it->kind == IT_TEXT && !it->detail) {
		text_wrap(ov->text, px, false, it->label, inner_w, 0, lines);
		return (int)lines->n;
	}
	if (it->kind == IT_ERROR) {
		text_wrap(ov->text, px, false, it->label, inner_w, 0, lines);
		return (int)lines->n;
	}
	return 1;
}

/* The footer's key hints for the page shown. */
static const char *footer_hint(struct overlay *ov, const struct page *p)
{
	/* TRANSLATORS: the menu's footer: key names (Tab, Enter, Esc, ↑↓)
	 * stay as they are; the menu widens to fit it, up to 30 em. */
	return p->id == PAGE_MEDIA_INSERT
		       ? _("Tab completes · Enter inserts · Esc back")
	       : overlay_focused_field(ov) ? _("Enter confirms · Esc back")
	       : _("↑↓ choose · Enter select · Esc back");
}

/* The header's second line: state, uptime, what is going on. */
static void status_line(const struct overlay *ov, char *buf, size_t len)
{
	char up[48] = "";
	if (ov->started_ms && now_ms() >= ov->started_ms)
		overlay_format_uptime(now_ms() - ov->started_ms, up, sizeof(up));
	snprintf(buf, len, "%s%s%s%s%s", ov->state ? ov->state : "",
		 *up ? " · " : "", up, ov->busy ? " · " : "", ov->busy ? ov->busy : "");
}

void overlay_draw(struct overlay *ov, int out_w, int out_h, float scale)
{
	ov->dirty = false;
	if (!ov->open || !ov->text || out_w <= 0 || out_h <= 0)
		return;
	if (scale < 1.0f)
		scale = 1.0f;
	ov->scale_px = scale;
	struct page *p = overlay_top(ov);
	if (!p)
		return;
	struct text *t = ov->text;
	SDL_Renderer *r = text_renderer(t);
	int px = menu_px(out_h, scale);
	int small = px * 5 / 6;
	int line = text_line_height(t, px, false);
	int row_h = line * 4 / 3;
	int pad = px;
	int margin = px / 2 + (int)(8 * scale);

	/* As wide as its text needs (labels with their details, the title,
	 * the status line, the key hints: longer in some languages), 16 to
	 * 30 em, never wider than the output: the guest stays in view
	 * around it. Wrapped texts follow the width; fields get room. */
	int title_px = px * 6 / 5;
	int want = text_width(t, title_px, true, ov->vm_name ? ov->vm_name : "vmplay");
	char status[192];
	status_line(ov, status, sizeof(status));
	const char *hint = footer_hint(ov, p);
	/* (measured at px and scaled: the small size is rounded, and the
	 * panel grows in proportion on HiDPI outputs) */
	int hint_w = text_width(t, px, false, hint) * 5 / 6;
	int status_w = text_width(t, px, false, status);
	if (hint_w > want)
		want = hint_w;
	if (status_w > want)
		want = status_w;
	for (size_t i = 0; i < p->n_items; i++) {
		const struct item *it = &p->items[i];
		int w = text_width(t, px, it->kind == IT_SUBMIT, it->label);
		if (it->kind == IT_FIELD)
			w += px * 16;
		if (it->detail)
			w += 2 * pad + text_width(t, px, false, it->detail);
		if (it->kind == IT_PAGE)
			w += px;
		if (it->radio)
			w += px * 3 / 2;
		if ((it->kind == IT_TEXT && !it->detail) || it->kind == IT_ERROR)
			w = 0;   /* wraps */
		if (w > want)
			want = w;
	}
	int panel_w = want + 3 * pad;
	if (panel_w < px * 16)
		panel_w = px * 16;
	if (panel_w > px * 30)
		panel_w = px * 30;
	if (panel_w > out_w - 2 * margin)
		panel_w = out_w - 2 * margin;
	if (panel_w < px * 8)
		panel_w = out_w;
	int inner_w = panel_w - 2 * pad;

	/* Header: name, state and uptime, page title; footer: key hints. */
	int header_h = text_line_height(t, title_px, true) + line + pad;
	const char *ptitle = overlay_page_title(ov);
	if (*ptitle)
		header_h += row_h;
	int footer_h = text_line_height(t, small, false) + pad / 2;

	/* Heights of the items; scroll so the selection is visible. */
	int heights[256];
	int n = p->n_items < 256 ? (int)p->n_items : 256;
	for (int i = 0; i < n; i++) {
		struct strv lines = { 0 };
		int k = item_lines(ov, &p->items[i], px, inner_w, &lines);
		heights[i] = p->items[i].kind == IT_HEADER ? row_h
			     : k > 1 ? k * line + line / 2 : row_h;
		strv_free(&lines);
	}
	int avail = out_h - 2 * margin - header_h - footer_h - pad;
	if (avail < row_h)
		avail = row_h;
	if (p->sel >= 0 && p->sel < p->scroll)
		p->scroll = p->sel;
	if (p->scroll >= n)
		p->scroll = 0;
	for (;;) {
		int h = 0, last = p->scroll;
		for (int i = p->scroll; i < n && h + heights[i] <= avail; i++, last = i)
			h += heights[i];
		if (p->sel < last || p->scroll >= p->sel)
			break;
		p->scroll++;
	}
	int body_h = 0, end = p->scroll;
	for (int i = p->scroll; i < n && body_h + heights[i] <= avail; i++) {
		body_h += heights[i];
		end = i + 1;
	}
	int panel_h = header_h + body_h + footer_h + pad;
	SDL_Rect panel = { (out_w - panel_w) / 2, (out_h - panel_h) / 2, panel_w,
			   panel_h };
	ov->panel = panel;
	ov->laid_out = true;
	ov->n_rows = 0;

	SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_BLEND);
	/* Nearly opaque: the guest's picture must not show through the
	 * text (it can be anything, white pages included). */
	fill(r, panel, 18, 20, 26, 248);
	/* A one-pixel-per-point frame keeps the panel apart from a dark
	 * guest screen. */
	int bw = (int)scale;
	SDL_SetRenderDrawColor(r, 90, 100, 120, 255);
	for (int i = 0; i < bw; i++) {
		SDL_Rect fr = { panel.x + i, panel.y + i, panel.w - 2 * i,
				panel.h - 2 * i };
		SDL_RenderDrawRect(r, &fr);
	}

	int x = panel.x + pad, y = panel.y + pad / 2;
	char *name = text_ellipsize(t, title_px, true, ov->vm_name ? ov->vm_name : "vmplay",
				    inner_w, false);
	text_draw(t, title_px, true, name, x, y, COLOR_TEXT);
	free(name);
	y += text_line_height(t, title_px, true);
	char *st = text_ellipsize(t, px, false, status, inner_w, false);
	text_draw(t, px, false, st, x, y, ov->busy ? COLOR_ACCENT : COLOR_DIM);
	free(st);
	y += line + pad / 2;
	fill(r, (SDL_Rect){ panel.x + pad / 2, y - pad / 4, panel.w - pad, bw },
	     90, 100, 120, 255);
	if (*ptitle) {
		char *tt = xasprintf("‹ %s", ptitle);
		char *te = text_ellipsize(t, px, true, tt, inner_w, false);
		text_draw(t, px, true, te, x, y + (row_h - line) / 2, COLOR_TEXT);
		free(te);
		free(tt);
		y += row_h;
	}

	for (int i = p->scroll; i < end; i++) {
		const struct item *it = &p->items[i];
		SDL_Rect row = { panel.x + pad / 2, y, panel.w - pad, heights[i] };
		if (overlay_selectable(it) && ov->n_rows < (int)ARRAY_SIZE(ov->rows))
			ov->rows[ov->n_rows++] = (struct layout_row){ i, row };
		bool sel = i == p->sel;
		if (sel)
			fill(r, row, 52, 101, 164, 235);
		SDL_Color c = it->disabled ? COLOR_DISABLED : COLOR_TEXT;
		int ty = y + (row_h - line) / 2;
		int lx = x;
		if (it->kind == IT_HEADER) {
			text_draw(t, small, true, it->label, lx, y + row_h - line, COLOR_DIM);
		} else if (heights[i] != row_h) {
			struct strv lines = { 0 };
			item_lines(ov, it, px, inner_w, &lines);
			for (size_t k = 0; k < lines.n; k++)
				text_draw(t, px, false, lines.v[k], lx,
					  y + line / 4 + (int)k * line,
					  it->kind == IT_ERROR ? COLOR_ERROR : COLOR_DIM);
			strv_free(&lines);
		} else if (it->kind == IT_FIELD) {
			const struct field *f = &p->fields[it->field];
			int lw = text_width(t, px, false, it->label);
			text_draw(t, px, false, it->label, lx, ty, c);
			int fx = lx + lw + pad / 2;
			SDL_Rect box = { fx, y + row_h / 8, x + inner_w - fx, row_h * 3 / 4 };
			fill(r, box, 8, 9, 12, 255);
			SDL_SetRenderDrawColor(r, sel ? 150 : 90, sel ? 190 : 100,
					       sel ? 255 : 120, 255);
			SDL_RenderDrawRect(r, &box);
			/* Show the end of a long path, where the cursor
			 * usually is. */
			int tw = box.w - pad;
			char *before = xstrndup(f->text, f->cursor);
			/* an input method's composition sits at the cursor,
			 * underlined, until it is committed */
			const char *pre = sel ? f->preedit : "";
			int pw = *pre ? text_width(t, px, false, pre) : 0;
			int cw = text_width(t, px, false, before);
			int shift = cw + pw > tw ? cw + pw - tw : 0;
			SDL_Rect clip = { box.x + 2, box.y, box.w - 4, box.h };
			SDL_RenderSetClipRect(r, &clip);
			int tx = box.x + pad / 3 - shift;
			if (*pre) {
				text_draw(t, px, false, before, tx, ty, c);
				text_draw(t, px, false, pre, tx + cw, ty, COLOR_ACCENT);
				fill(r, (SDL_Rect){ tx + cw, ty + line - 2, pw,
						    bw < 2 ? 2 : bw },
				     COLOR_ACCENT.r, COLOR_ACCENT.g, COLOR_ACCENT.b, 255);
				text_draw(t, px, false, f->text + f->cursor,
					  tx + cw + pw, ty, c);
				cw += pw;
			} else {
				text_draw(t, px, false, f->text, tx, ty, c);
			}
			if (sel) {
				/* the candidate window below the field, in
				 * window points */
				float k = scale > 0 ? scale : 1;
				SDL_Rect ime = { (int)(box.x / k), (int)(box.y / k),
						 (int)(box.w / k), (int)(box.h / k) };
				SDL_SetTextInputRect(&ime);
			}
			if (sel)
				fill(r, (SDL_Rect){ box.x + pad / 3 - shift + cw, ty,
						    bw < 2 ? 2 : bw, line },
				     230, 230, 230, 255);
			SDL_RenderSetClipRect(r, NULL);
			free(before);
		} else {
			if (it->radio) {
				text_draw(t, px, false, it->checked ? "●" : "○", lx, ty,
					  it->checked ? COLOR_ACCENT : COLOR_DIM);
				lx += px * 3 / 2;
			}
			if (it->kind == IT_SUBMIT) {
				char *b = xasprintf("[ %s ]", it->label);
				text_draw(t, px, true, b, lx, ty, c);
				free(b);
			} else {
				int dw = it->detail ? text_width(t, px, false, it->detail) : 0;
				int arrow = it->kind == IT_PAGE ? px : 0;
				int room = x + inner_w - lx - arrow;
				int lw = text_width(t, px, false, it->label);
				if (lw > room * 2 / 3 && dw)
					lw = room * 2 / 3;
				char *lab = text_ellipsize(t, px, false, it->label,
							   dw ? lw : room, false);
				int used = text_draw(t, px, false, lab, lx, ty,
						     it->kind == IT_TEXT ? COLOR_DIM : c);
				free(lab);
				if (it->detail) {
					int dr = room - used - pad;
					char *det = text_ellipsize(t, px, false, it->detail,
								   dr, true);
					int dwid = text_width(t, px, false, det);
					text_draw(t, px, false, det,
						  x + inner_w - arrow - dwid, ty,
						  it->kind == IT_TEXT ? COLOR_TEXT : COLOR_DIM);
					free(det);
				}
				if (arrow)
					text_draw(t, px, false, "›",
						  x + inner_w - arrow / 2, ty, c);
			}
		}
		y += heights[i];
	}

	char *h = text_ellipsize(t, small, false, hint, inner_w, false);
	text_draw(t, small, false, h, x, panel.y + panel.h - footer_h - pad / 4,
		  COLOR_DIM);
	free(h);
}
