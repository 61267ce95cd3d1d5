/* Keyboard shortcuts: the table of actions, their default bindings
 * ("ctrl+alt+m"), overrides from [keys] and the user file, and matching
 * SDL key events against them. */
#ifndef VMPLAY_BINDINGS_H
#define VMPLAY_BINDINGS_H

#include "config.h"

#include <SDL2/SDL_events.h>
#include <stdbool.h>

enum action {
	ACTION_NONE,
	ACTION_MENU,          /* ctrl+alt+m */
	ACTION_PAUSE,         /* ctrl+alt+p: pause/resume */
	ACTION_SNAPSHOT,      /* ctrl+alt+s */
	ACTION_FULLSCREEN,    /* ctrl+alt+f */
	ACTION_RELEASE,       /* ctrl+alt+g: release the pointer grab */
	ACTION_QUIT,          /* ctrl+alt+q, with confirmation */
	ACTION_CTRL_ALT_DEL,  /* ctrl+alt+del: send it to the guest */
	ACTION_COUNT
};

struct bindings;

/* Defaults, then the user file (~/.config/vmplay/vmplay.ini [keys], with
 * XDG_CONFIG_HOME honoured; may be absent), then cfg's [keys]. NULL with
 * *error (malloc'd, "FILE:LINE: ...") on a bad binding. cfg may be NULL. */
struct bindings *bindings_load(const struct vm_config *cfg, char **error);
void bindings_destroy(struct bindings *b);   /* accepts NULL */

/* The action a key-down event triggers, or ACTION_NONE. */
enum action bindings_match(const struct bindings *b,
			   const SDL_KeyboardEvent *key);

const char *action_name(enum action a);      /* "menu", "pause", ... */

#endif
