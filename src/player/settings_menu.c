/* See settings_menu.h. */
#include "player/settings_menu.h"

#include "base/i18n.h"
#include "base/log.h"
#include "base/util.h"
#include "vm/settings.h"

#include <stdlib.h>
#include <string.h>

void settings_menu_init(struct settings_menu *m, const char *path)
{
	memset(m, 0, sizeof(*m));
	m->path = xstrdup(path);
}

static void clear(struct settings_menu *m)
{
	config_destroy(m->cfg);
	m->cfg = NULL;
	free(m->error);
	m->error = NULL;
	for (size_t i = 0; i < m->n; i++) {
		free(m->ids[i]);
		free(m->values[i]);
	}
	free(m->ids);
	free(m->values);
	free(m->items);
	m->ids = m->values = NULL;
	m->items = NULL;
	m->n = 0;
}

void settings_menu_free(struct settings_menu *m)
{
	clear(m);
	free(m->path);
	m->path = NULL;
}

void settings_menu_load(struct settings_menu *m)
{
	clear(m);
	m->cfg = config_load(m->path, &m->error);
	if (!m->cfg)
		return;
	const struct setting *list;
	size_t n = settings_list(&list);
	m->items = xcalloc(n, sizeof(*m->items));
	m->values = xcalloc(n, sizeof(*m->values));
	m->ids = xcalloc(n, sizeof(*m->ids));
	for (size_t i = 0; i < n; i++) {
		const struct setting *s = &list[i];
		m->values[i] = s->current(m->cfg, s);
		m->ids[i] = xasprintf("%s.%s", s->section, s->key);
		m->items[i] = (struct overlay_setting){
			/* vm/settings.c's table marks its texts with N_():
			 * they are translated here, where they are shown.
			 * The choices are VM-file values: they stay. */
			.id = m->ids[i], .label = _(s->label), .value = m->values[i],
			.hint = s->hint ? _(s->hint) : NULL, .kind = s->kind,
			.choices = s->choices,
		};
	}
	m->n = n;
}

void settings_menu_fill(struct settings_menu *m, struct overlay_info *info)
{
	info->settings_known = m->cfg || m->error;
	info->settings_error = m->error;
	info->settings = m->items;
	info->n_settings = m->n;
}

bool settings_menu_dispatch(struct settings_menu *m, struct overlay *ov,
			    const struct menu_request *req, bool running,
			    char **note)
{
	*note = NULL;
	if (req->action == MENU_SETTINGS_LIST) {
		settings_menu_load(m);
		return true;
	}
	if (req->action != MENU_SETTING_SET)
		return false;
	char *section = NULL, *key = NULL, *error = NULL;
	if (!req->arg || !settings_parse_name(req->arg, &section, &key, &error)) {
		overlay_setting_result(ov, error ? error : _("no setting named"));
		free(error);
		return true;
	}
	if (settings_write_one(m->path, section, key, req->arg2, &error)) {
		const struct setting *s = settings_find(section, key);
		settings_menu_load(m);
		char *now = NULL;
		for (size_t i = 0; s && i < m->n; i++)
			if (!strcmp(m->items[i].label, _(s->label)))
				now = m->values[i];
		/* TRANSLATORS: a toast after a setting was saved: the
		 * setting's name and its value ("default" when the key was
		 * taken out of the VM file). */
		*note = xasprintf(running ? _("%s: %s (applies at the next start)")
					  : _("%s: %s"),
				  s ? _(s->label) : req->arg,
				  now && *now ? now : _("default"));
		overlay_setting_result(ov, NULL);
	} else {
		/* The reader's "FILE:LINE: key: what is wrong": the page
		 * names the file already, the message is the rest. */
		const char *msg = error;
		const char *colon = strstr(error, ": ");
		if (colon && !strncmp(error, m->path, strlen(m->path)))
			msg = colon + 2;
		log_warn(_("%s not changed: %s"), req->arg, error);
		overlay_setting_result(ov, msg);
	}
	free(error);
	free(section);
	free(key);
	return true;
}
