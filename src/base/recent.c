/* The recently-used list; see recent.h. */
#include "base/recent.h"

#include "base/i18n.h"
#include "base/log.h"

#include <stdlib.h>
#include <string.h>

char *recent_path(const char *name)
{
	char *rest = xasprintf("vmplay/%s", name);
	char *path = xdg_path("XDG_STATE_HOME", ".local/state", rest);
	free(rest);
	return path;
}

static bool contains(const struct strv *list, const char *item)
{
	for (size_t i = 0; i < list->n; i++)
		if (!strcmp(list->v[i], item))
			return true;
	return false;
}

void recent_parse(const char *text, size_t len, struct strv *list, size_t max)
{
	const char *p = text, *end = text + len;
	while (p < end && list->n < max) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *line_end = nl ? nl : end;
		size_t n = (size_t)(line_end - p);
		if (n && p[n - 1] == '\r')
			n--;
		/* An entry is an absolute path with no NUL in it. */
		if (n && p[0] == '/' && !memchr(p, '\0', n)) {
			char *item = xstrndup(p, n);
			if (!contains(list, item))
				strv_push(list, item);
			free(item);
		}
		p = nl ? nl + 1 : end;
	}
}

void recent_push(struct strv *list, const char *item, size_t max)
{
	struct strv out = { 0 };
	strv_push(&out, item);
	for (size_t i = 0; i < list->n && out.n < max; i++)
		if (strcmp(list->v[i], item) != 0)
			strv_push(&out, list->v[i]);
	strv_free(list);
	*list = out;
}

char *recent_format(const struct strv *list)
{
	size_t len = 0;
	for (size_t i = 0; i < list->n; i++)
		len += strlen(list->v[i]) + 1;
	char *text = xmalloc(len + 1), *o = text;
	for (size_t i = 0; i < list->n; i++) {
		size_t n = strlen(list->v[i]);
		memcpy(o, list->v[i], n);
		o += n;
		*o++ = '\n';
	}
	*o = '\0';
	return text;
}

void recent_load(const char *path, struct strv *list, size_t max)
{
	size_t len = 0;
	char *text = path ? read_file(path, 1 << 20, &len) : NULL;
	if (text)
		recent_parse(text, len, list, max);
	free(text);
}

bool recent_save(const char *path, const struct strv *list)
{
	char *dir = path_dirname(path);
	bool ok = mkdir_p(dir, 0700);
	if (!ok)
		log_error(_("cannot create %s"), dir);
	free(dir);
	if (ok) {
		char *text = recent_format(list);
		ok = write_file_atomic(path, text, strlen(text), true);
		free(text);
	}
	return ok;
}
