/* Keyboard shortcuts: the default binding of each shortcut (enum
 * shortcut, in config.h with its names)
 * ("ctrl+alt+m"), overrides from [keys] and the user file, and matching
 * SDL key events against them. */
#ifndef VMPLAY_BINDINGS_H
#define VMPLAY_BINDINGS_H

#include "vm/config.h"   /* enum shortcut, struct vm_key */

#include <SDL2/SDL_events.h>
#include <stdbool.h>
#include <stdio.h>


/* Modifier bits of a binding. Left and right keys both count. */
enum {
	BIND_CTRL = 1 << 0,
	BIND_ALT = 1 << 1,
	BIND_SHIFT = 1 << 2,
	BIND_SUPER = 1 << 3,
};

/* One shortcut: an SDL keycode (layout-dependent for letters, so
 * ctrl+alt+z is the key labelled Z) and the exact set of modifiers held.
 * key == SDLK_UNKNOWN means disabled ("none"). */
struct binding {
	SDL_Keycode key;
	unsigned mods;
};

struct bindings;

/* Defaults, then the user file (~/.config/vmplay/vmplay.ini [keys], with
 * XDG_CONFIG_HOME honoured; may be absent), then cfg's [keys]. NULL with
 * *error (malloc'd, "FILE:LINE: ...", one line per problem) on a bad
 * binding. cfg may be NULL. */
struct bindings *bindings_load(const struct vm_config *cfg, char **error);
void bindings_destroy(struct bindings *b);   /* accepts NULL */

/* The defaults alone. */
struct bindings *bindings_new(void);

/* Applies [keys] entries read from file (for messages) over b. Unknown
 * actions, bad specs and two actions on the same keys are errors; on
 * false, *error lists every problem and b is half-updated (discard it). */
bool bindings_apply(struct bindings *b, const char *file,
		    const struct vm_key *keys, size_t n_keys, char **error);

/* The action a key-down event triggers, or SHORTCUT_NONE (also for key-up).
 * Auto-repeats match too, so the player can keep them from the guest;
 * it should act only when key->repeat is 0. Modifiers must match
 * exactly: ctrl+alt+p does not fire on ctrl+alt+shift+p. Lock keys and
 * AltGr (KMOD_MODE) are ignored. */
enum shortcut bindings_match(const struct bindings *b,
			   const SDL_KeyboardEvent *key);

/* The binding of an action (key SDLK_UNKNOWN when disabled). */
struct binding bindings_get(const struct bindings *b, enum shortcut a);

/* Parses "ctrl+alt+m", "shift+ctrl+F12", "super+x", "none": modifiers
 * ctrl (control), alt, shift, super (win), then one key: a single
 * character, an SDL key name ("F12", "Delete", "Keypad Enter") or an alias
 * (del, esc, pgup, pgdn, ins, enter, space, plus, minus, print, ...).
 * Case-insensitive. On false, *why (malloc'd, may be NULL) says what is
 * wrong, without file or line. */
bool binding_parse(const char *spec, struct binding *out, char **why);

/* "ctrl+alt+m", "ctrl+shift+f12", "none": the form binding_parse reads
 * back. Modifiers always in the order ctrl, alt, shift, super. */
char *binding_format(struct binding b);      /* caller frees */

/* The same for people: "Ctrl+Alt+M", "Ctrl+Shift+F12", "Ctrl+Alt+Delete";
 * "" when disabled. For menus and toasts. Caller frees. */
char *binding_display(struct binding b);

/* The user file's path (XDG_CONFIG_HOME or ~/.config, then
 * vmplay/vmplay.ini), whether or not it exists; NULL without HOME. */
char *bindings_user_file(void);

/* "ACTION  BINDING" lines, one per action, in enum order. */
void bindings_print(const struct bindings *b, FILE *out);

/* vmplay --keys [FILE]: prints the bindings in effect for cfg (may be
 * NULL: defaults and the user file). Returns the exit status. */
int bindings_cmd_keys(const struct vm_config *cfg);

/* Kiosk mode's PIN entry key (vm/kiosk.h) for an SDL key-down event: '0'..'9' (top row and
 * keypad), '\b', '\r', 27; 0 for any other key (and for key-ups). */
int kiosk_pin_key_from_sdl(const SDL_KeyboardEvent *key);

#endif
