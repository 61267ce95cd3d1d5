/* Placeholder until the real module lands: fixed default bindings. */
#include "bindings.h"

#include "util.h"

#include <stdlib.h>

struct bindings {
	int unused;
};

static const struct {
	const char *name;
	SDL_Keycode key;
} defaults[ACTION_COUNT] = {
	[ACTION_MENU] = { "menu", SDLK_m },
	[ACTION_PAUSE] = { "pause", SDLK_p },
	[ACTION_SNAPSHOT] = { "snapshot", SDLK_s },
	[ACTION_FULLSCREEN] = { "fullscreen", SDLK_f },
	[ACTION_RELEASE] = { "release", SDLK_g },
	[ACTION_QUIT] = { "quit", SDLK_q },
	[ACTION_CTRL_ALT_DEL] = { "ctrl-alt-del", SDLK_DELETE },
};

struct bindings *bindings_load(const struct vm_config *cfg, char **error)
{
	(void)cfg;
	*error = NULL;
	return xcalloc(1, sizeof(struct bindings));
}

void bindings_destroy(struct bindings *b)
{
	free(b);
}

enum action bindings_match(const struct bindings *b,
			   const SDL_KeyboardEvent *key)
{
	(void)b;
	if ((key->keysym.mod & KMOD_CTRL) && (key->keysym.mod & KMOD_ALT))
		for (int a = ACTION_NONE + 1; a < ACTION_COUNT; a++)
			if (defaults[a].key == key->keysym.sym)
				return (enum action)a;
	return ACTION_NONE;
}

const char *action_name(enum action a)
{
	return a > ACTION_NONE && a < ACTION_COUNT ? defaults[a].name : "none";
}
