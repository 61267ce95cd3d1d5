/* See settings.h. */
#include "vm/settings.h"

#include "base/i18n.h"
#include "base/ini_edit.h"
#include "base/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- the values in effect ---- */

static char *cur_memory(const struct vm_config *cfg, const struct setting *s)
{
	(void)s;
	char buf[16];
	return xstrdup(format_size(cfg->memory, buf, sizeof(buf)));
}

static char *cur_cpus(const struct vm_config *cfg, const struct setting *s)
{
	(void)s;
	return xasprintf("%d", cfg->cpus);
}

static char *cur_cdrom(const struct vm_config *cfg, const struct setting *s)
{
	(void)s;
	return xstrdup(cfg->cdrom_file ? cfg->cdrom_file : "");
}

static char *cur_boot(const struct vm_config *cfg, const struct setting *s)
{
	(void)s;
	return xstrdup(cfg->boot_order ? cfg->boot_order : "");
}

/* The settings that are one enum or bool field of the config. */
#define ENUM_CURRENT(fn, field, names)                                       \
	static char *fn(const struct vm_config *cfg, const struct setting *s) \
	{                                                                     \
		(void)s;                                                      \
		return xstrdup(names[cfg->field]);                            \
	}
#define BOOL_CURRENT(fn, field)                                              \
	static char *fn(const struct vm_config *cfg, const struct setting *s) \
	{                                                                     \
		(void)s;                                                      \
		return xstrdup(cfg->field ? "true" : "false");                \
	}

BOOL_CURRENT(cur_fullscreen, fullscreen)
BOOL_CURRENT(cur_exit, exit_on_poweroff)
ENUM_CURRENT(cur_scale, scale, scale_mode_names)
ENUM_CURRENT(cur_pointer, pointer, pointer_mode_names)
ENUM_CURRENT(cur_sound, audio_device, audio_device_names)
ENUM_CURRENT(cur_net, net_mode, net_mode_names)

/* Bools whose default depends on other keys: their effective value. */
static char *cur_resize(const struct vm_config *cfg, const struct setting *s)
{
	(void)s;
	return xstrdup(config_resize_guest(cfg) ? "true" : "false");
}

static char *cur_clipboard(const struct vm_config *cfg, const struct setting *s)
{
	(void)s;
	return xstrdup(config_clipboard(cfg) ? "true" : "false");
}

static char *cur_forward(const struct vm_config *cfg, const struct setting *s)
{
	(void)s;
	struct strv items = { 0 };
	for (size_t i = 0; i < cfg->n_forwards; i++)
		strv_pushf(&items, "%s:%u:%u", cfg->forwards[i].udp ? "udp" : "tcp",
			   cfg->forwards[i].host_port, cfg->forwards[i].guest_port);
	char *out = strv_join(&items, ", ");
	strv_free(&items);
	return out;
}

/* A shortcut's value when the VM file sets it; "" means the default (which
 * player/bindings.c knows, with the user's own file over it). */
static char *cur_key(const struct vm_config *cfg, const struct setting *s)
{
	for (size_t i = 0; i < cfg->n_keys; i++)
		if (strcasecmp(cfg->keys[i].action, s->key) == 0)
			return xstrdup(cfg->keys[i].spec);
	return xstrdup("");
}

static const char *const bool_names[] = { "true", "false", NULL };

#define KEY(name, label)                                                    \
	{ "keys", name, label, SETTING_TEXT, NULL,                          \
	  N_("keys such as ctrl+alt+m, or none; empty: the default"), cur_key }

static const struct setting table[] = {
	/* TRANSLATORS: the labels (short: one line of the Settings page,
	 * next to the value) and hints (what is accepted, under the field)
	 * of the Settings page; keys and values such as ctrl+alt+m,
	 * virtio, tcp:2222:22 stay as they are. */
	{ "vm", "memory", N_("Memory"), SETTING_TEXT, NULL,
	  N_("16M to 16T, e.g. 2G or 512M"), cur_memory },
	{ "vm", "cpus", N_("CPUs"), SETTING_TEXT, NULL, N_("1 to 255"), cur_cpus },
	{ "cdrom", "file", N_("CD/ISO"), SETTING_PATH, NULL,
	  N_("an ISO image; empty: an empty drive"), cur_cdrom },
	{ "boot", "order", N_("Boot order"), SETTING_TEXT, NULL,
	  N_("letters c (disk), d (CD), n (network), e.g. cd"), cur_boot },
	{ "display", "scale", N_("Scaling"), SETTING_CHOICE, scale_mode_names,
	  NULL, cur_scale },
	{ "display", "fullscreen", N_("Start full-screen"), SETTING_BOOL,
	  bool_names, NULL, cur_fullscreen },
	{ "display", "exit-on-poweroff", N_("Close when the guest powers off"),
	  SETTING_BOOL, bool_names, NULL, cur_exit },
	{ "display", "resize-guest", N_("Guest follows the window"), SETTING_BOOL,
	  bool_names, N_("its resolution; with device = virtio"), cur_resize },
	{ "clipboard", "enabled", N_("Share the clipboard"), SETTING_BOOL,
	  bool_names, N_("text both ways with the guest's spice-vdagent"),
	  cur_clipboard },
	{ "input", "pointer", N_("Pointer"), SETTING_CHOICE, pointer_mode_names,
	  N_("tablet: follows yours; ps2: for old guests, grabbed by a click"),
	  cur_pointer },
	{ "audio", "device", N_("Sound card"), SETTING_CHOICE, audio_device_names,
	  N_("none turns sound off"), cur_sound },
	{ "network", "mode", N_("Network"), SETTING_CHOICE, net_mode_names,
	  N_("user: the guest reaches out through the host; none: no network"),
	  cur_net },
	{ "network", "forward", N_("Port forwards"), SETTING_TEXT, NULL,
	  N_("tcp:HOST-PORT:GUEST-PORT, ... e.g. tcp:2222:22"), cur_forward },
	KEY("menu", N_("Shortcut: menu")),
	KEY("pause", N_("Shortcut: pause")),
	KEY("snapshot", N_("Shortcut: snapshot")),
	KEY("fullscreen", N_("Shortcut: full-screen")),
	KEY("release", N_("Shortcut: release pointer")),
	KEY("quit", N_("Shortcut: quit")),
	KEY("ctrl-alt-del", N_("Shortcut: Ctrl+Alt+Del")),
	KEY("screenshot", N_("Shortcut: screenshot")),
};

size_t settings_list(const struct setting **list)
{
	*list = table;
	return ARRAY_SIZE(table);
}

const struct setting *settings_find(const char *section, const char *key)
{
	for (size_t i = 0; i < ARRAY_SIZE(table); i++)
		if (strcasecmp(table[i].section, section) == 0 &&
		    strcasecmp(table[i].key, key) == 0)
			return &table[i];
	return NULL;
}

/* ---- names ---- */

bool settings_parse_name(const char *arg, char **section, char **key,
			 char **error)
{
	const char *dot = strrchr(arg, '.');
	if (!dot || dot == arg || !dot[1]) {
		*error = xasprintf(_("'%s' is not SECTION.KEY (for example "
				   "vm.memory or display.scale)"), arg);
		return false;
	}
	*section = xstrndup(arg, (size_t)(dot - arg));
	*key = xstrdup(dot + 1);
	return true;
}

bool settings_parse_assignment(const char *arg, struct setting_edit *out,
			       char **error)
{
	memset(out, 0, sizeof(*out));
	const char *eq = strchr(arg, '=');
	if (!eq) {
		*error = xasprintf(_("'%s' is not SECTION.KEY=VALUE (for example "
				   "vm.memory=2G)"), arg);
		return false;
	}
	char *name = xstrndup(arg, (size_t)(eq - arg));
	/* "vm.memory = 2G" typed with blanks around '=' */
	size_t len = strlen(name);
	while (len && (name[len - 1] == ' ' || name[len - 1] == '\t'))
		name[--len] = '\0';
	bool ok = settings_parse_name(name, &out->section, &out->key, error);
	free(name);
	if (!ok)
		return false;
	const char *v = eq + 1;
	v += strspn(v, " \t");
	out->value = xstrdup(v);
	return true;
}

void settings_edit_free(struct setting_edit *e)
{
	free(e->section);
	free(e->key);
	free(e->value);
	memset(e, 0, sizeof(*e));
}

/* ---- checking and writing ---- */

static settings_check_fn extra_check;

void settings_set_extra_check(settings_check_fn fn)
{
	extra_check = fn;
}

/* The reader's problems with text (and the extra check's, when it reads),
 * one per entry. */
static void problems(const char *path, const char *text, size_t len,
		     struct strv *out)
{
	char *error = NULL;
	struct vm_config *cfg = config_parse(path, text, len, &error);
	if (cfg && extra_check)
		extra_check(cfg, &error);
	config_destroy(cfg);
	if (!error)
		return;
	char *save = NULL;
	for (char *line = strtok_r(error, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		strv_push(out, line);
	free(error);
}

/* A message without its "FILE:LINE: " (lines move when keys are added,
 * and the reader and the bindings name the file differently), to tell an
 * old problem from a new one. */
static const char *without_place(const char *msg)
{
	for (const char *p = strchr(msg, ':'); p; p = strchr(p + 1, ':')) {
		size_t digits = strspn(p + 1, "0123456789");
		if (digits && p[1 + digits] == ':') {
			p += 2 + digits;
			return p + strspn(p, " ");
		}
	}
	return msg;
}

static bool had(const struct strv *before, const char *msg)
{
	const char *m = without_place(msg);
	for (size_t i = 0; i < before->n; i++)
		if (strcmp(without_place(before->v[i]), m) == 0)
			return true;
	return false;
}

/* The edited document, or NULL with *error. */
static struct ini_doc *edited(const char *path, const struct setting_edit *edits,
			      size_t n, bool *invalid, char **error)
{
	struct ini_doc *doc = ini_edit_load(path, error);
	if (!doc) {
		*invalid = false;
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		const struct setting_edit *e = &edits[i];
		if (!e->value) {
			ini_edit_remove(doc, e->section, e->key);
			continue;
		}
		if (!ini_edit_set(doc, e->section, e->key, e->value)) {
			*error = xasprintf(_("%s: [%s] %s: a VM file cannot hold "
					   "this value (a line break or control "
					   "character, or both kinds of quotes)"),
					   path, e->section, e->key);
			*invalid = true;
			ini_edit_destroy(doc);
			return NULL;
		}
	}
	return doc;
}

/* The checked text of the edited file, or NULL with *error. */
static char *checked_text(const char *path, const struct setting_edit *edits,
			  size_t n, size_t *len, bool *invalid, char **error)
{
	*invalid = false;
	*error = NULL;
	struct ini_doc *doc = edited(path, edits, n, invalid, error);
	if (!doc)
		return NULL;
	char *text = ini_edit_text(doc, len);
	ini_edit_destroy(doc);

	size_t old_len;
	char *old = read_file(path, 1 << 20, &old_len);
	struct strv before = { 0 }, after = { 0 }, fresh = { 0 };
	if (old)
		problems(path, old, old_len, &before);
	problems(path, text, *len, &after);
	for (size_t i = 0; i < after.n; i++)
		if (!had(&before, after.v[i]))
			strv_push(&fresh, after.v[i]);
	if (fresh.n) {
		*error = strv_join(&fresh, "\n");
		*invalid = true;
		free(text);
		text = NULL;
	}
	strv_free(&before);
	strv_free(&after);
	strv_free(&fresh);
	free(old);
	return text;
}

bool settings_check(const char *path, const struct setting_edit *edits,
		    size_t n, char **error)
{
	size_t len;
	bool invalid;
	char *text = checked_text(path, edits, n, &len, &invalid, error);
	free(text);
	return text != NULL;
}

bool settings_write(const char *path, const struct setting_edit *edits,
		    size_t n, bool *invalid, char **error)
{
	size_t len;
	char *text = checked_text(path, edits, n, &len, invalid, error);
	if (!text)
		return false;
	/* The rules of every VM file edit: owner and mode kept, read-only
	 * and hard-linked files left alone, nothing over 1 MiB. */
	bool ok = ini_edit_write(path, text, len, error);
	free(text);
	return ok;
}

bool settings_write_one(const char *path, const char *section,
			const char *key, const char *value, char **error)
{
	struct setting_edit e = { (char *)section, (char *)key, (char *)value };
	bool invalid;
	return settings_write(path, &e, 1, &invalid, error);
}

char *settings_get(const char *path, const struct vm_config *cfg,
		   const char *section, const char *key, char **error)
{
	*error = NULL;
	struct ini_doc *doc = ini_edit_load(path, error);
	if (!doc)
		return NULL;
	char *value = ini_edit_get(doc, section, key, NULL);
	ini_edit_destroy(doc);
	if (value)
		return value;
	const struct setting *s = settings_find(section, key);
	if (s && cfg)
		return s->current(cfg, s);
	*error = s ? xasprintf(_("%s: [%s] %s is not set"), path, section, key)
		   : xasprintf(_("%s: [%s] %s is not set (and has no default "
				 "that vmplay get knows; see vmplay(5))"), path,
			       section, key);
	return NULL;
}
