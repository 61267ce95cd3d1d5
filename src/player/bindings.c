/* Shortcut bindings. Specs are parsed without SDL being initialised (for
 * `vmplay --keys` and the unit tests): key names go through SDL's static
 * scancode name table, never through the live keymap. */
#include "player/bindings.h"

#include "base/i18n.h"
#include "base/log.h"
#include "base/util.h"

#include <SDL2/SDL_keyboard.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct slot {
	struct binding binding;
	char *file;       /* where it was last set; NULL: the default */
	int line;
};

struct bindings {
	struct slot slot[SHORTCUT_COUNT];
};

/* The default key of each shortcut. */
static const struct binding defaults[SHORTCUT_COUNT] = {
	[SHORTCUT_NONE] = { SDLK_UNKNOWN, 0 },
	[SHORTCUT_MENU] = { SDLK_m, BIND_CTRL | BIND_ALT },
	[SHORTCUT_PAUSE] = { SDLK_p, BIND_CTRL | BIND_ALT },
	[SHORTCUT_SNAPSHOT] = { SDLK_s, BIND_CTRL | BIND_ALT },
	[SHORTCUT_FULLSCREEN] = { SDLK_f, BIND_CTRL | BIND_ALT },
	[SHORTCUT_RELEASE] = { SDLK_g, BIND_CTRL | BIND_ALT },
	[SHORTCUT_QUIT] = { SDLK_q, BIND_CTRL | BIND_ALT },
	[SHORTCUT_CTRL_ALT_DEL] = { SDLK_DELETE, BIND_CTRL | BIND_ALT },
	[SHORTCUT_SCREENSHOT] = { SDLK_UNKNOWN, 0 },
};

/* Modifier names as written in specs; the first of each bit is the one
 * binding_format writes. */
static const struct {
	const char *name;
	unsigned bit;
} modifiers[] = {
	{ "ctrl", BIND_CTRL }, { "alt", BIND_ALT }, { "shift", BIND_SHIFT },
	{ "super", BIND_SUPER }, { "control", BIND_CTRL }, { "win", BIND_SUPER },
};

/* Short names people write, and keys whose SDL keycode is a character
 * (so SDL_SCANCODE_TO_KEYCODE would be wrong for them). */
static const struct {
	const char *name;
	SDL_Keycode key;
} key_aliases[] = {
	{ "del", SDLK_DELETE }, { "delete", SDLK_DELETE },
	{ "esc", SDLK_ESCAPE }, { "escape", SDLK_ESCAPE },
	{ "enter", SDLK_RETURN }, { "return", SDLK_RETURN },
	{ "backspace", SDLK_BACKSPACE }, { "bksp", SDLK_BACKSPACE },
	{ "tab", SDLK_TAB }, { "space", SDLK_SPACE }, { "spc", SDLK_SPACE },
	{ "plus", SDLK_PLUS }, { "minus", SDLK_MINUS },
	{ "pgup", SDLK_PAGEUP }, { "pageup", SDLK_PAGEUP },
	{ "pgdn", SDLK_PAGEDOWN }, { "pagedown", SDLK_PAGEDOWN },
	{ "ins", SDLK_INSERT }, { "print", SDLK_PRINTSCREEN },
	{ "prtsc", SDLK_PRINTSCREEN }, { "sysrq", SDLK_PRINTSCREEN },
	{ "break", SDLK_PAUSE }, { "menu", SDLK_APPLICATION },
	{ "app", SDLK_APPLICATION }, { "scrolllock", SDLK_SCROLLLOCK },
	{ "capslock", SDLK_CAPSLOCK }, { "numlock", SDLK_NUMLOCKCLEAR },
	{ "up", SDLK_UP }, { "down", SDLK_DOWN }, { "left", SDLK_LEFT },
	{ "right", SDLK_RIGHT },
};

/* Key names and modifiers are the VM file's syntax (`vmplay --keys`
 * prints them, the man page's table lists them): they stay English; the
 * messages about them are translated. */
/* TRANSLATORS: ends a message about a wrong key binding; the examples
 * are VM-file syntax and stay as they are. */
static const char *const spec_examples = N_("examples: ctrl+alt+p, shift+F12, none");

static char *trimmed(const char *s, size_t len)
{
	while (len && isspace((unsigned char)*s))
		s++, len--;
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	return xstrndup(s, len);
}

/* Length of the UTF-8 sequence s starts with when s is exactly one
 * character, else 0. */
static size_t single_utf8_char(const char *s)
{
	unsigned char c = (unsigned char)s[0];
	size_t n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 0;
	if (!n || strlen(s) != n)
		return 0;
	for (size_t i = 1; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

static SDL_Keycode key_from_name(const char *name)
{
	size_t len = strlen(name);
	if (len == 1 && isprint((unsigned char)name[0]))
		return tolower((unsigned char)name[0]);
	if (single_utf8_char(name))
		return SDL_GetKeyFromName(name);   /* the code point; no keymap */
	for (size_t i = 0; i < ARRAY_SIZE(key_aliases); i++)
		if (strcasecmp(name, key_aliases[i].name) == 0)
			return key_aliases[i].key;
	SDL_Scancode sc = SDL_GetScancodeFromName(name);
	if (sc == SDL_SCANCODE_UNKNOWN)
		return SDLK_UNKNOWN;
	/* Character keys are covered above (SDL names them by their US
	 * character); what is left has keycode == scancode | mask, except
	 * the few character-valued keys in the alias table. */
	for (size_t i = 0; i < ARRAY_SIZE(key_aliases); i++)
		if (strcasecmp(SDL_GetScancodeName(sc), key_aliases[i].name) == 0)
			return key_aliases[i].key;
	return SDL_SCANCODE_TO_KEYCODE(sc);
}

static bool modifier_from_name(const char *name, unsigned *bit)
{
	for (size_t i = 0; i < ARRAY_SIZE(modifiers); i++)
		if (strcasecmp(name, modifiers[i].name) == 0) {
			*bit = modifiers[i].bit;
			return true;
		}
	return false;
}

bool binding_parse(const char *spec, struct binding *out, char **why)
{
	if (why)
		*why = NULL;
	char *all = trimmed(spec, strlen(spec));
	struct binding b = { SDLK_UNKNOWN, 0 };
	bool ok = false;

	if (strcasecmp(all, "none") == 0) {
		*out = b;
		free(all);
		return true;
	}
	if (!*all) {
		if (why)
			*why = xasprintf(_("an empty binding (%s)"), _(spec_examples));
		goto done;
	}

	/* The key is what follows the last '+', or '+' itself in "+" and
	 * "ctrl++" (a lone trailing '+' means the key is missing). */
	size_t len = strlen(all);
	size_t key_start;
	if (len == 1 || all[len - 1] != '+') {
		char *plus = len == 1 ? NULL : strrchr(all, '+');
		key_start = plus ? (size_t)(plus - all) + 1 : 0;
	} else if (all[len - 2] == '+') {
		key_start = len - 1;
	} else {
		key_start = len;
	}
	char *key = trimmed(all + key_start, len - key_start);

	/* Modifiers: the '+'-separated words before the key. */
	size_t mods_len = key_start ? key_start - 1 : 0;
	const char *p = all;
	while (key_start && p <= all + mods_len) {
		const char *end = memchr(p, '+', (size_t)(all + mods_len - p));
		if (!end)
			end = all + mods_len;
		char *word = trimmed(p, (size_t)(end - p));
		unsigned bit;
		if (!modifier_from_name(word, &bit)) {
			if (why && !*word)
				*why = xasprintf(_("'%s' has an empty part (%s)"),
						 all, _(spec_examples));
			else if (why)
				*why = xasprintf(_("'%s': '%s' is not a modifier "
						   "(ctrl, alt, shift, super)"),
						 all, word);
			free(word);
			free(key);
			goto done;
		}
		b.mods |= bit;
		free(word);
		p = end + 1;
	}

	unsigned bit;
	b.key = *key ? key_from_name(key) : SDLK_UNKNOWN;
	if (!*key || modifier_from_name(key, &bit)) {
		if (why)
			*why = xasprintf(_("'%s' has no key after the modifiers "
					   "(%s)"), all, _(spec_examples));
	} else if (b.key == SDLK_UNKNOWN) {
		if (why)
			*why = xasprintf(_("'%s' is not a key (%s)"), all,
					 _(spec_examples));
	} else {
		*out = b;
		ok = true;
	}
	free(key);
done:
	free(all);
	return ok;
}

char *binding_format(struct binding b)
{
	if (b.key == SDLK_UNKNOWN)
		return xstrdup("none");
	char buf[128] = "";
	for (size_t i = 0; i < ARRAY_SIZE(modifiers); i++) {
		/* Only the first name of each bit. */
		bool first = true;
		for (size_t j = 0; j < i; j++)
			first &= modifiers[j].bit != modifiers[i].bit;
		if (first && (b.mods & modifiers[i].bit)) {
			strcat(buf, modifiers[i].name);
			strcat(buf, "+");
		}
	}
	const char *name = b.key == SDLK_PLUS ? "plus" : SDL_GetKeyName(b.key);
	char *key = xstrdup(*name ? name : "none");
	for (char *c = key; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	char *s = xasprintf("%s%s", buf, key);
	free(key);
	return s;
}

char *binding_display(struct binding b)
{
	if (b.key == SDLK_UNKNOWN)
		return xstrdup("");
	char *s = binding_format(b);
	/* Capitals at the start of each word: "ctrl+alt+keypad enter" ->
	 * "Ctrl+Alt+Keypad Enter". */
	for (char *c = s; *c; c++)
		if (c == s || c[-1] == '+' || c[-1] == ' ')
			*c = (char)toupper((unsigned char)*c);
	return s;
}

struct bindings *bindings_new(void)
{
	struct bindings *b = xcalloc(1, sizeof(*b));
	for (int a = 0; a < SHORTCUT_COUNT; a++)
		b->slot[a].binding = defaults[a];
	return b;
}

void bindings_destroy(struct bindings *b)
{
	if (!b)
		return;
	for (int a = 0; a < SHORTCUT_COUNT; a++)
		free(b->slot[a].file);
	free(b);
}

struct binding bindings_get(const struct bindings *b, enum shortcut a)
{
	if (a <= SHORTCUT_NONE || a >= SHORTCUT_COUNT)
		return (struct binding){ SDLK_UNKNOWN, 0 };
	return b->slot[a].binding;
}

/* Appends one message line to a newline-separated list. */
static void add_error(char **list, char *msg)
{
	if (!*list) {
		*list = msg;
		return;
	}
	char *joined = xasprintf("%s\n%s", *list, msg);
	free(*list);
	free(msg);
	*list = joined;
}

static const char *closest_action(const char *name)
{
	const char *best = NULL;
	size_t best_d = 3;   /* suggest only near misses */
	for (int a = SHORTCUT_NONE + 1; a < SHORTCUT_COUNT; a++) {
		size_t d = edit_distance(name, shortcut_names[a]);
		if (d < best_d) {
			best_d = d;
			best = shortcut_names[a];
		}
	}
	return best;
}

static char *action_list(void)
{
	const char *names[SHORTCUT_COUNT];
	size_t n = 0;
	for (int a = SHORTCUT_NONE + 1; a < SHORTCUT_COUNT; a++)
		names[n++] = shortcut_names[a];
	return str_join(names, n, ", ");
}

bool bindings_apply(struct bindings *b, const char *file,
		    const struct vm_key *keys, size_t n_keys, char **error)
{
	char *errors = NULL;
	bool set_here[SHORTCUT_COUNT] = { false };

	for (size_t i = 0; i < n_keys; i++) {
		const struct vm_key *k = &keys[i];
		enum shortcut a = shortcut_from_name(k->action);
		if (a == SHORTCUT_NONE) {
			const char *near = closest_action(k->action);
			char *list = action_list();
			if (near)
				/* TRANSLATORS: FILE:LINE: keys: then a key
				 * binding's action as written ("keys" is the
				 * VM file's section and stays). */
				add_error(&errors, xasprintf(_(
					"%s:%d: keys: '%s' is not an action "
					"(did you mean '%s'?)"), file, k->line,
					k->action, near));
			else
				add_error(&errors, xasprintf(_(
					"%s:%d: keys: '%s' is not an action "
					"(actions: %s)"), file, k->line,
					k->action, list));
			free(list);
			continue;
		}
		struct binding parsed;
		char *why = NULL;
		if (!binding_parse(k->spec, &parsed, &why)) {
			add_error(&errors, xasprintf("%s:%d: keys: %s: %s", file,
						     k->line, shortcut_names[a],
						     why));
			free(why);
			continue;
		}
		struct slot *s = &b->slot[a];
		s->binding = parsed;
		free(s->file);
		s->file = xstrdup(file);
		s->line = k->line;
		set_here[a] = true;
	}

	/* Two actions on the same keys: blame the one set in this file (the
	 * later line when both were). */
	for (int a = SHORTCUT_NONE + 1; a < SHORTCUT_COUNT; a++) {
		for (int c = a + 1; c < SHORTCUT_COUNT; c++) {
			struct binding x = b->slot[a].binding;
			struct binding y = b->slot[c].binding;
			if (x.key == SDLK_UNKNOWN || x.key != y.key ||
			    x.mods != y.mods || (!set_here[a] && !set_here[c]))
				continue;
			int blame = c, other = a;
			if (!set_here[c] || (set_here[a] &&
					     b->slot[a].line > b->slot[c].line))
				blame = a, other = c;
			char *spec = binding_format(x);
			/* TRANSLATORS: FILE:LINE: keys: ACTION: 'KEYS' is
			 * already bound to ACTION; "none" is VM-file syntax. */
			add_error(&errors, xasprintf(_(
				"%s:%d: keys: %s: '%s' is already bound to %s "
				"(bind %s to other keys or to none)"), file,
				b->slot[blame].line, shortcut_names[blame], spec,
				shortcut_names[other], shortcut_names[other]));
			free(spec);
		}
	}

	if (errors) {
		*error = errors;
		return false;
	}
	return true;
}

char *bindings_user_file(void)
{
	return config_user_file();
}

struct bindings *bindings_load(const struct vm_config *cfg, char **error)
{
	*error = NULL;
	struct bindings *b = bindings_new();

	/* The user's file first, so a VM file's [keys] win over it. Every
	 * problem of both files is reported at once: the file's syntax, then
	 * the keys that could be read. */
	char *user_file = bindings_user_file();
	struct vm_key *user_keys = NULL;
	size_t n_user_keys = 0;
	struct strv problems = { 0 };
	char *why = NULL;
	if (user_file) {
		if (!config_load_user_keys(user_file, &user_keys, &n_user_keys,
					   &why))
			strv_push(&problems, why);
		free(why);
		why = NULL;
		if (!bindings_apply(b, user_file, user_keys, n_user_keys, &why))
			strv_push(&problems, why);
		free(why);
		why = NULL;
	}
	config_free_keys(user_keys, n_user_keys);
	free(user_file);
	if (cfg && cfg->n_keys &&
	    !bindings_apply(b, cfg->path ? cfg->path : _("(VM file)"), cfg->keys,
			    cfg->n_keys, &why))
		strv_push(&problems, why);
	free(why);
	if (problems.n) {
		*error = strv_join(&problems, "\n");
		strv_free(&problems);
		bindings_destroy(b);
		return NULL;
	}
	return b;
}

/* The modifiers held in an event, as BIND_* bits. */
static unsigned event_mods(Uint16 mod)
{
	static const struct {
		Uint16 kmod;
		unsigned bit;
	} map[] = {
		{ KMOD_CTRL, BIND_CTRL }, { KMOD_ALT, BIND_ALT },
		{ KMOD_SHIFT, BIND_SHIFT }, { KMOD_GUI, BIND_SUPER },
	};
	unsigned bits = 0;
	for (size_t i = 0; i < ARRAY_SIZE(map); i++)
		if (mod & map[i].kmod)
			bits |= map[i].bit;
	return bits;
}

enum shortcut bindings_match(const struct bindings *b,
			   const SDL_KeyboardEvent *key)
{
	if (!b || key->type != SDL_KEYDOWN || key->keysym.sym == SDLK_UNKNOWN)
		return SHORTCUT_NONE;
	unsigned mods = event_mods(key->keysym.mod);
	for (int a = SHORTCUT_NONE + 1; a < SHORTCUT_COUNT; a++) {
		struct binding x = b->slot[a].binding;
		if (x.key == key->keysym.sym && x.mods == mods)
			return (enum shortcut)a;
	}
	return SHORTCUT_NONE;
}

void bindings_print(const struct bindings *b, FILE *out)
{
	for (int a = SHORTCUT_NONE + 1; a < SHORTCUT_COUNT; a++) {
		char *spec = binding_format(b->slot[a].binding);
		fprintf(out, "%-14s%s\n", shortcut_names[a], spec);
		free(spec);
	}
}

int bindings_cmd_keys(const struct vm_config *cfg)
{
	char *error = NULL;
	struct bindings *b = bindings_load(cfg, &error);
	if (!b) {
		fprintf(stderr, "%s\n", error);
		free(error);
		return 1;
	}
	bindings_print(b, stdout);
	bindings_destroy(b);
	return 0;
}

int kiosk_pin_key_from_sdl(const SDL_KeyboardEvent *key)
{
	static const struct {
		SDL_Keycode sym;
		int key;
	} table[] = {
		{ SDLK_BACKSPACE, '\b' }, { SDLK_RETURN, '\r' },
		{ SDLK_KP_ENTER, '\r' }, { SDLK_RETURN2, '\r' },
		{ SDLK_ESCAPE, 27 }, { SDLK_KP_0, '0' }, { SDLK_KP_1, '1' },
		{ SDLK_KP_2, '2' }, { SDLK_KP_3, '3' }, { SDLK_KP_4, '4' },
		{ SDLK_KP_5, '5' }, { SDLK_KP_6, '6' }, { SDLK_KP_7, '7' },
		{ SDLK_KP_8, '8' }, { SDLK_KP_9, '9' },
	};
	if (key->type != SDL_KEYDOWN)
		return 0;
	SDL_Keycode sym = key->keysym.sym;
	if (sym >= SDLK_0 && sym <= SDLK_9)
		return (int)('0' + (sym - SDLK_0));
	for (size_t i = 0; i < ARRAY_SIZE(table); i++)
		if (table[i].sym == sym)
			return table[i].key;
	return 0;
}
