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

#include <SDL2/SDL.h>
#include <stdbool.h>

enum view { VIEW_LIST, VIEW_REMOVE, VIEW_DUPLICATE, VIEW_OPEN, VIEW_WIZARD };

enum action { ACT_PLAY, ACT_SETTINGS, ACT_NEW, ACT_DUPLICATE, ACT_REMOVE,
	      ACT_OPEN, ACT_COUNT };

extern const char *const library_action_labels[ACT_COUNT];

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
	size_t *shown;            /* indices of entries the filter keeps */
	size_t n_shown;
	int selected;             /* index into shown, -1: none */
	int scroll;               /* first row drawn */
	char filter[128];
	enum view view;
	bool quit;
	bool dirty;
	uint64_t last_running, last_scan;

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

	/* the selected VM's Settings: the player's own pages (overlay.c,
	 * settings_menu.c), drawn over the list while open */
	struct overlay *overlay;
	struct settings_menu settings;
	char *settings_name, *settings_dir;
	bool settings_running;
};

/* The selected entry, or NULL. */
const struct library_entry *library_selected(const struct win *w);
/* The thumbnail's texture (loaded once per scan), or NULL. */
SDL_Texture *library_thumb(struct win *w, const char *path);
/* Draws the window as it is and presents it (library_draw.c). */
void library_draw(struct win *w);

#endif
