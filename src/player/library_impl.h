/* What the library window's files share (library.c: the model and the
 * events; library_draw.c: the drawing). Internal to the library window. */
#ifndef VMPLAY_LIBRARY_IMPL_H
#define VMPLAY_LIBRARY_IMPL_H

#include "base/util.h"
#include "player/library_ui.h"
#include "player/library_wizard.h"
#include "player/overlay.h"
#include "player/settings_menu.h"
#include "player/toast.h"
#include "vm/instance.h"
#include "vm/library.h"
#include "vm/libvirt_watch.h"

#include <SDL2/SDL.h>
#include <stdbool.h>

enum view { VIEW_LIST, VIEW_REMOVE, VIEW_DUPLICATE, VIEW_OPEN, VIEW_WIZARD };

enum action { ACT_PLAY, ACT_SETTINGS, ACT_NEW, ACT_DUPLICATE, ACT_REMOVE,
	      ACT_OPEN, ACT_COUNT };

extern const char *const library_action_labels[ACT_COUNT];

/* A row of the list: a VM file, a heading (the VM files; a libvirt
 * connection, with its state when it has no list), or a domain of a
 * connection. */
enum row_kind { ROW_VM, ROW_GROUP, ROW_DOMAIN };
#define ROW_FILES ((size_t)-1)   /* ROW_GROUP's conn for the VM files */
struct row {
	enum row_kind kind;
	size_t vm;      /* ROW_VM: index into lib->entries */
	size_t conn;    /* ROW_GROUP, ROW_DOMAIN: index into conns */
	int dom;        /* ROW_DOMAIN: index into conns[conn].domains */
};

struct thumb {
	char *path;
	SDL_Texture *tex;
};

struct win {
	SDL_Window *window;
	SDL_Renderer *ren;
	struct text *text;
	struct toasts *toasts;
	struct ui ui;
	struct instance *self;    /* one library per user */
	struct library *lib;
	struct row *shown;        /* the rows the filter keeps */
	size_t n_shown;
	int selected;             /* index into shown (a VM or a domain),
				   * -1: none */
	int scroll;               /* first row drawn */
	char filter[128];
	enum view view;
	bool quit;
	bool dirty;
	uint64_t last_running, last_scan, last_tick;

	/* dialogs */
	int button;               /* focused button of a dialog: 0 or 1 */
	char *remove_text;
	struct ui_field field;    /* the duplicate's name, the path to open */
	bool linked;              /* duplicate as a linked clone */
	bool field_focus;         /* the field (not the choice row) */
	char *progress;           /* duplicating: "Copying 40%" */
	struct strv completions;
	struct wizard *wizard;

	/* the last draw's layout, for the mouse */
	SDL_Rect rows[64];
	int row_entry[64];
	int n_rows;
	SDL_Rect buttons[ACT_COUNT];
	SDL_Rect dialog_buttons[2];
	SDL_Rect choice_row;
	int visible_rows;

	struct thumb *thumbs;
	size_t n_thumbs;

	/* libvirt's domains: [connections] of vmplay.ini followed in the
	 * background (library_libvirt.c); conns is the last copy */
	struct libvirt_watch *watch;
	struct libvirt_watch_conn *conns;
	size_t n_conns;
	unsigned watch_gen;
	char *conns_error;        /* vmplay.ini does not read (said once) */

	/* the selected VM's Settings: the player's own pages (overlay.c,
	 * settings_menu.c), drawn over the list while open */
	struct overlay *overlay;
	struct settings_menu settings;
	char *settings_name, *settings_dir;
	bool settings_running;
};

/* The selected VM file, or NULL (none, or a domain). */
const struct library_entry *library_selected(const struct win *w);
/* The selected libvirt domain and its connection, or NULL. */
const struct libvirt_domain_info *library_selected_domain(
	const struct win *w, const struct libvirt_watch_conn **conn);
/* Rebuilds the rows (filter, connections) keeping the selection on the
 * same VM or domain when it is still there. */
void library_rows_update(struct win *w);
/* The same in two steps, for a change of what the rows point into: what
 * is selected (before; malloc'd, NULL for nothing), then the rows
 * (after), selecting keep again. */
char *library_selection_key(const struct win *w);
void library_rows_build(struct win *w, const char *keep);
/* Shows a note in a toast (and the log). */
void library_note(struct win *w, enum toast_kind kind, const char *text);
/* Starts vmplay with args (after the program name, NULL-ended) as a
 * process of its own that outlives the library. */
bool library_spawn_vmplay(const char *const *args, char **error);

/* libvirt's domains (library_libvirt.c). Reads [connections] from
 * vmplay.ini and (re)starts following them when they changed. */
void library_conns_load(struct win *w);
/* Takes what the watch found since the last call, and rebuilds the rows
 * when it changed them. */
void library_conns_poll(struct win *w);
/* Whether a connection still waits for its first answer (its line
 * counts the seconds). */
bool library_conns_waiting(const struct win *w);
/* Plays the selected domain: vmplay --connect URI DOMAIN. */
void library_play_domain(struct win *w);
void library_conns_free(struct win *w);
/* The thumbnail's texture (loaded once per scan), or NULL. */
SDL_Texture *library_thumb(struct win *w, const char *path);
/* Draws the window as it is and presents it (library_draw.c). */
void library_draw(struct win *w);

#endif
