/* Private to the overlay's files (overlay.c: model and events,
 * overlay_draw.c: drawing and hit-testing): the page and item structures
 * both sides read. Nothing else includes this. */
#ifndef VMPLAY_OVERLAY_IMPL_H
#define VMPLAY_OVERLAY_IMPL_H

#include "player/overlay.h"

#include <SDL2/SDL.h>

#define MAX_DEPTH 6
#define MAX_FIELDS 2
#define MAX_SHOWN_CANDIDATES 8
#define FIELD_MAX 1024

enum page_id {
	PAGE_MAIN,
	PAGE_SNAPSHOTS,
	PAGE_SNAPSHOT_ONE,     /* arg: snapshot name */
	PAGE_SNAPSHOT_NAMED,   /* take with a name typed */
	PAGE_MEDIA,
	PAGE_MEDIA_INSERT,
	PAGE_DISKS,
	PAGE_DISK_ONE,         /* arg: disk name */
	PAGE_DISK_CREATE,
	PAGE_VIEW,
	PAGE_KEYBOARD,
	PAGE_SETTINGS,
	PAGE_SETTING_ONE,      /* arg: "SECTION.KEY" */
	PAGE_CONFIRM,          /* pending: the confirmed item */
	PAGE_COUNT
};

enum item_kind {
	IT_ACTION,     /* emits its action (after confirmation if asked) */
	IT_PAGE,       /* opens a page */
	IT_BACK,       /* closes the page (Cancel) */
	IT_FIELD,      /* a text field; Enter submits the page */
	IT_CHOICE,     /* Enter/Left/Right cycle through choices */
	IT_SUBMIT,     /* a button that submits the page's fields */
	IT_CANDIDATE,  /* a Tab completion match: fills the field */
	IT_HEADER,     /* not selectable: a group title */
	IT_TEXT,       /* not selectable: information, wrapped */
	IT_ERROR,      /* not selectable: what is wrong with a field */
};

struct item {
	enum item_kind kind;
	char *label;
	char *detail;          /* right column: value, state, shortcut */
	enum page_id page;     /* IT_PAGE */
	char *arg;             /* IT_PAGE: page arg; IT_ACTION: request arg */
	char *arg2;            /* IT_ACTION: the request's arg2 */
	enum menu_action action;
	int value;
	const SDL_Scancode *keys;
	size_t n_keys;
	bool confirm;
	bool disabled;
	bool checked;
	bool radio;            /* draws a check mark column */
	bool keep_open;        /* the menu stays open after the action */
	int field;             /* IT_FIELD: index into page->fields */
	uint64_t size;         /* MENU_DISK_CREATE / MENU_DISK_GROW */
};

struct field {
	char text[FIELD_MAX];
	size_t cursor;         /* byte offset */
	bool path;             /* Tab completes file names */
	bool pristine;         /* still the suggested text: the first thing
				  typed replaces it (in a path field only a
				  new '/' or '~' path; other text appends) */
	char *error;
	struct strv candidates;
	/* What an input method is composing (SDL_TEXTEDITING), drawn at
	 * the cursor until it arrives as SDL_TEXTINPUT. */
	char preedit[SDL_TEXTEDITINGEVENT_TEXT_SIZE];
};

struct page {
	enum page_id id;
	char *arg;
	struct item *items;
	size_t n_items, cap;
	int sel;               /* -1: nothing selectable */
	int scroll;            /* first item shown */
	struct field fields[MAX_FIELDS];
	int choice;            /* PAGE_DISK_CREATE: index into disk_formats */
	struct item pending;   /* PAGE_CONFIRM */
	struct strv isos;      /* PAGE_MEDIA_INSERT: ISOs in the VM folder */
};

struct layout_row {
	int item;
	SDL_Rect r;
};

struct overlay {
	struct text *text;
	overlay_action_fn fn;
	void *user;

	/* info, deep copy */
	char *vm_name, *vm_dir, *state, *busy, *cdrom;
	bool running, paused, fullscreen, has_cdrom, stopped, library;
	int clipboard;          /* OVERLAY_CLIP_* */
	bool guest_follows;
	bool settings_known;
	char *settings_error;
	struct overlay_setting *settings;
	size_t n_settings;
	bool snapshots_known, disks_known;
	uint64_t started_ms;
	enum scale_mode scale;
	struct strv recent;
	struct overlay_snapshot *snaps;
	size_t n_snaps;
	struct overlay_disk *disks;
	size_t n_disks;
	char *shortcuts[MENU_ACTION_COUNT];
	uint32_t hidden;

	bool open;
	struct page pages[MAX_DEPTH];
	int depth;             /* pages[depth - 1] is shown */
	bool dirty;

	/* Keys pressed while the menu was open: their key-ups are the
	 * menu's too, even after it closed. */
	bool keys_down[SDL_NUM_SCANCODES];
	bool button_down;      /* a click began in the menu */
	int press_item;        /* item under the button press, -1 none */

	/* last layout, output pixels */
	float scale_px;
	bool laid_out;
	SDL_Rect panel;
	struct layout_row rows[64];
	int n_rows;

	/* a request to emit once the event is handled */
	bool have_request;
	struct item request;
};

/* overlay.c */
struct page *overlay_top(struct overlay *ov);        /* NULL when closed */
bool overlay_selectable(const struct item *it);
struct field *overlay_focused_field(struct overlay *ov);
void overlay_format_uptime(uint64_t ms, char *buf, size_t len);

/* overlay_draw.c: what lies under an output pixel in the last layout. */
int overlay_row_at(const struct overlay *ov, int x, int y); /* item, or -1 */
bool overlay_in_panel(const struct overlay *ov, int x, int y);

#endif
