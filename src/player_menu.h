/* The player's menu side: the overlay menu and toasts drawn over the
 * guest, shortcuts that belong to them (menu, snapshot, quit with
 * confirmation, Ctrl+Alt+Del, screenshot), and the menu's requests carried
 * out by vm_actions. Kept apart from player.c, which only offers it
 * events, shortcuts, QMP events and a place in its loop:
 *
 *   player_menu_offer(m, ev)        every SDL event first; true: consumed
 *   player_menu_shortcut(m, action) true when the action was the menu's
 *   player_menu_qmp_event(...)      from vm_session_listener.event
 *   player_menu_state_changed(...)  from vm_session_listener.state_changed
 *   player_menu_timeout(m)          part of the loop's poll timeout
 *   player_menu_tick(m)             after every wake-up
 *
 * It draws through render_set_hook and asks for presents with
 * render_invalidate. */
#ifndef VMPLAY_PLAYER_MENU_H
#define VMPLAY_PLAYER_MENU_H

#include "bindings.h"
#include "config.h"
#include "input.h"
#include "render.h"
#include "vm_session.h"
#include "vnc.h"

#include <SDL2/SDL_events.h>
#include <json-c/json.h>
#include <stdbool.h>

struct player_menu_host {
	struct render *render;
	struct input *input;
	const struct bindings *bindings;
	/* The guest screen now (for screenshots); false when there is none. */
	bool (*frame)(void *user, struct vnc_frame *out);
	/* The user confirmed Quit: shut down as closing the window does. */
	void (*quit)(void *user);
	void *user;
};

struct player_menu;

/* NULL with *error (malloc'd) when no font is found: the player then runs
 * without a menu (shortcuts that need none still work). */
struct player_menu *player_menu_create(const struct vm_config *cfg,
				       const struct player_menu_host *host,
				       char **error);
void player_menu_destroy(struct player_menu *m);   /* accepts NULL */

/* The VM's session (NULL: none yet, or gone). */
void player_menu_set_session(struct player_menu *m, struct vm_session *s);
void player_menu_qmp_event(struct player_menu *m, const char *event,
			   struct json_object *data);
void player_menu_state_changed(struct player_menu *m, enum vm_state state);

bool player_menu_offer(struct player_menu *m, const SDL_Event *ev);
bool player_menu_shortcut(struct player_menu *m, enum action a);

/* Actions hidden from the menu and their shortcuts (kiosk mode): bits
 * MENU_HIDE(menu_action) as overlay_info.hidden. */
void player_menu_set_hidden(struct player_menu *m, uint32_t hidden);

bool player_menu_is_open(const struct player_menu *m);
int player_menu_timeout(const struct player_menu *m);
void player_menu_tick(struct player_menu *m);

/* Shows a note at the bottom of the window (other modules' messages). */
void player_menu_toast(struct player_menu *m, bool error, const char *text);

#endif
