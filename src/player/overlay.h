/* The overlay menu drawn over the guest: a translucent panel with the VM's
 * name, state and uptime and the pages Pause/Resume, Reset, Shut down,
 * Force off, Snapshots, Media, Disks, View, Keyboard, Settings, Screenshot,
 * Quit; while the VM is off (info.stopped) the main page is Run,
 * Settings, Disks, Snapshots, (Library), Close instead.
 *
 * The overlay knows nothing of QMP or qemu-img. The player
 *   - fills a struct overlay_info with what the menu shows and passes it
 *     with overlay_set_info() whenever it changes (copied);
 *   - implements the callback that receives the chosen actions
 *     (struct menu_request), and answers with toasts;
 *   - passes every SDL event to overlay_handle_event() first and gives the
 *     guest only what was not consumed: while the menu is open every key,
 *     text, click and wheel event is consumed (and the key-ups of keys
 *     pressed in the menu after it closed, so the guest never sees half a
 *     key press);
 *   - calls overlay_draw() after drawing the guest, with the renderer's
 *     viewport on the whole output and no logical size, in output (drawable)
 *     pixels; mouse events are taken in window coordinates and mapped with
 *     the scale given to the last overlay_draw().
 *
 * The menu model (pages, items, selection, confirmation dialogs, text
 * fields with Tab path completion) works without a renderer: with a NULL
 * text the overlay handles keys and emits actions but draws nothing, which
 * is how tests drive it. */
#ifndef VMPLAY_OVERLAY_H
#define VMPLAY_OVERLAY_H

#include "base/util.h"
#include "player/text.h"
#include "vm/config.h"
#include "vm/settings.h"

#include <SDL2/SDL_events.h>
#include <SDL2/SDL_scancode.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What a chosen menu item asks the player to do. */
enum menu_action {
	MENU_NONE,
	MENU_PAUSE,            /* pause when running, resume when paused */
	MENU_RESET,            /* confirmed */
	MENU_SHUTDOWN,         /* ACPI power button */
	MENU_FORCE_OFF,        /* confirmed */
	MENU_SNAPSHOT_LIST,    /* request: the Snapshots page opened; fill
				  info.snapshots and call overlay_set_info */
	MENU_SNAPSHOT_TAKE,    /* arg: name, or NULL to name it by date/time */
	MENU_SNAPSHOT_RESTORE, /* arg: name; confirmed */
	MENU_SNAPSHOT_DELETE,  /* arg: name; confirmed */
	MENU_MEDIA_INSERT,     /* arg: absolute path of the ISO (exists) */
	MENU_MEDIA_EJECT,
	MENU_DISK_LIST,        /* request: the Disks page opened; fill
				  info.disks and call overlay_set_info */
	MENU_DISK_CREATE,      /* arg: disk name, arg2: format, size: bytes;
				  attach it at next boot */
	MENU_DISK_GROW,        /* arg: disk name, size: new size in bytes */
	MENU_FULLSCREEN,       /* toggle */
	MENU_SCALE,            /* value: enum scale_mode */
	MENU_SEND_KEYS,        /* keys: press in order, release in reverse */
	MENU_SCREENSHOT,
	MENU_QUIT,             /* confirmed: shut the guest down and close */
	MENU_RUN,              /* stopped: start the VM again */
	MENU_CLOSE,            /* stopped: close the window */
	MENU_LIBRARY,          /* stopped: show the VM library */
	MENU_SETTINGS_LIST,    /* request: the Settings page opened; fill
				  info.settings and call overlay_set_info */
	MENU_SETTING_SET,      /* arg: "SECTION.KEY", arg2: the value, NULL
				  to remove the key (the default applies);
				  answer with overlay_setting_result */
	MENU_CLIPBOARD,        /* toggle sharing the clipboard */
	MENU_ACTION_COUNT
};

/* One chosen action. Pointers are valid during the callback only. */
struct menu_request {
	enum menu_action action;
	const char *arg;
	const char *arg2;
	uint64_t size;
	int value;
	const SDL_Scancode *keys;
	size_t n_keys;
	const char *label;     /* the item's label, e.g. "Ctrl+Alt+F2", for toasts */
};

/* The action's name, for logs and tests: "pause", "snapshot-take", ... */
const char *menu_action_name(enum menu_action a);

typedef void (*overlay_action_fn)(void *user, const struct menu_request *req);

struct overlay_snapshot {
	const char *name;
	const char *date;       /* as the player formats it, e.g. "2026-11-27 10:42" */
	const char *vm_clock;   /* e.g. "00:12:31" */
	const char *kind;       /* "memory + disks", "disks only", "partial: ..."; may be NULL */
	const char *effect;     /* what restoring does, for the confirmation; may be NULL */
	bool partial;           /* not on every disk (vm_actions.h) */
	bool named_by_date;     /* its name is its date (a shortcut's snapshot):
				   the date is not shown twice */
};

/* One entry of the Settings page (vm/settings.h describes them). */
struct overlay_setting {
	const char *id;         /* "vm.memory" */
	const char *label;      /* "Memory" */
	const char *value;      /* in effect, as the file would hold it */
	const char *hint;       /* what is accepted, or NULL */
	enum setting_kind kind;
	const char *const *choices;  /* SETTING_CHOICE/BOOL: static, NULL-ended */
};

struct overlay_disk {
	const char *name;       /* [disk.NAME] */
	const char *file;
	const char *format;     /* "qcow2", ... or NULL when unknown */
	uint64_t virtual_size;  /* bytes; 0 unknown */
	uint64_t used_size;     /* bytes; 0 unknown */
};

/* What the menu shows; overlay_set_info copies everything. */
struct overlay_info {
	const char *vm_name;
	const char *vm_dir;        /* ISOs listed from here; relative paths */
	const char *state;         /* shown as is: "running", "paused", ... */
	/* The VM is off and the window stays: the main page offers Run,
	 * Settings, Disks, Snapshots, (Library), Close, and Esc or a click
	 * beside the panel does not close it. */
	bool stopped;
	bool library;              /* offer Library on the stopped page */
	bool running;              /* QEMU runs: machine items usable */
	bool paused;               /* the Pause item says "Resume" */
	uint64_t started_ms;       /* now_ms() when the VM started; 0 unknown */
	const char *busy;          /* a long operation in progress, or NULL */
	bool fullscreen;
	enum scale_mode scale;
	/* The View page's "Guest" part: clipboard OVERLAY_CLIP_* and whether
	 * the guest's resolution follows the window (text only) */
	int clipboard;
	bool guest_follows;
	bool has_cdrom;            /* the VM has a CD drive */
	const char *cdrom;         /* the inserted medium, or NULL */
	const char *const *recent_isos;
	size_t n_recent_isos;
	bool snapshots_known;      /* false: "Loading…" */
	const struct overlay_snapshot *snapshots;
	size_t n_snapshots;
	bool disks_known;
	const struct overlay_disk *disks;
	size_t n_disks;
	bool settings_known;       /* false: "Reading the VM file…" */
	const char *settings_error;   /* the file does not read: why */
	const struct overlay_setting *settings;
	size_t n_settings;
	/* Shortcut shown beside an item ("Ctrl+Alt+P", from
	 * binding_display), indexed by action; NULL or "" for none. */
	const char *shortcuts[MENU_ACTION_COUNT];
	/* Actions left out of the menu (kiosk mode): bit 1u << action. A
	 * page whose every action is hidden is left out too. */
	uint32_t hidden;
};

#define MENU_HIDE(action) (1u << (action))

enum {
	OVERLAY_CLIP_UNAVAILABLE,  /* off in the VM file (or kiosk): no device */
	OVERLAY_CLIP_OFF,          /* toggled off for this session */
	OVERLAY_CLIP_ON,
};

struct overlay;

/* text may be NULL (no drawing, no mouse hit testing). text stays owned
 * by the caller and must outlive the overlay. */
struct overlay *overlay_create(struct text *text, overlay_action_fn fn,
			       void *user);
void overlay_destroy(struct overlay *ov);   /* accepts NULL */

void overlay_set_info(struct overlay *ov, const struct overlay_info *info);

bool overlay_is_open(const struct overlay *ov);
void overlay_open(struct overlay *ov);        /* on the main page */
/* Opens straight on the Settings page (for a window that hosts only
 * that page, such as the library's; Esc on it closes the overlay). */
void overlay_open_settings(struct overlay *ov);
/* The answer to MENU_SETTING_SET: NULL when written (the setting's page
 * goes back to the list), else the message shown under its field. */
void overlay_setting_result(struct overlay *ov, const char *error);
/* Opens straight on the "Quit vmplay?" confirmation (the quit shortcut). */
void overlay_open_quit(struct overlay *ov);
void overlay_close(struct overlay *ov);

/* true when the event was for the menu and must not reach the guest. */
bool overlay_handle_event(struct overlay *ov, const SDL_Event *ev);

/* True when something changed since the last overlay_draw (the player
 * presents a new frame); overlay_draw clears it. */
bool overlay_needs_redraw(const struct overlay *ov);
/* Milliseconds until the menu must be redrawn (the uptime ticks), -1
 * when closed. */
int overlay_timeout(const struct overlay *ov, uint64_t now);

/* Draws the panel on an output of out_w x out_h pixels; scale is output
 * pixels per window point (HiDPI), used for sizes and mouse mapping. */
void overlay_draw(struct overlay *ov, int out_w, int out_h, float scale);

/* For tests and the player's diagnostics. */
const char *overlay_page_title(const struct overlay *ov);   /* "" main */
const char *overlay_selected_label(const struct overlay *ov); /* or NULL */
const char *overlay_field_text(const struct overlay *ov);   /* focused field */
const char *overlay_field_error(const struct overlay *ov);
size_t overlay_candidates(const struct overlay *ov, const char ***list);
/* The shown page's items, one a line: "LABEL" or "LABEL\tDETAIL" (with
 * " (off)" after a disabled one). Caller frees. */
char *overlay_page_text(const struct overlay *ov);
bool overlay_panel_rect(const struct overlay *ov, SDL_Rect *r); /* last draw */

#endif
