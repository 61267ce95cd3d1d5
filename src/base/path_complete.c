/* Paths typed by a person (path_complete.h): "~/" and relative input
 * resolved, and Tab completion against the file system. */
#include "base/path_complete.h"

#include "base/util.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *expand_home(const char *input)
{
	const char *home = getenv("HOME");
	if (home && input[0] == '~' && (input[1] == '/' || !input[1]))
		return xasprintf("%s%s", home, input + 1);
	return xstrdup(input);
}

char *path_resolve_typed(const char *input, const char *base_dir)
{
	char *e = expand_home(input);
	if (e[0] == '/' || !base_dir)
		return e;
	char *r = path_join(base_dir, e);
	free(e);
	return r;
}

char *path_complete(const char *input, const char *base_dir,
		    struct strv *matches)
{
	const char *slash = strrchr(input, '/');
	size_t dir_len = slash ? (size_t)(slash - input + 1) : 0;
	const char *prefix = input + dir_len;
	size_t plen = strlen(prefix);
	char *typed_dir = xstrndup(input, dir_len);
	char *list_dir = path_resolve_typed(dir_len ? typed_dir : ".", base_dir);
	if (!dir_len && !base_dir) {
		free(list_dir);
		list_dir = xstrdup(".");
	}
	DIR *d = opendir(list_dir);
	struct strv found = { 0 };
	if (d) {
		struct dirent *e;
		while ((e = readdir(d))) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			if (e->d_name[0] == '.' && prefix[0] != '.')
				continue;
			if (strncmp(e->d_name, prefix, plen))
				continue;
			char *full = path_join(list_dir, e->d_name);
			bool is_dir = path_is_dir(full);
			free(full);
			strv_pushf(&found, "%s%s", e->d_name, is_dir ? "/" : "");
		}
		closedir(d);
	}
	char *out;
	if (!found.n) {
		out = xstrdup(input);
	} else {
		qsort(found.v, found.n, sizeof(char *), cmp_name);
		size_t common = strlen(found.v[0]);
		for (size_t i = 1; i < found.n; i++) {
			size_t k = 0;
			while (k < common && found.v[i][k] == found.v[0][k])
				k++;
			common = k;
		}
		/* Never cut inside a UTF-8 sequence. */
		while (common > plen && (found.v[0][common] & 0xC0) == 0x80)
			common--;
		out = xasprintf("%s%.*s", typed_dir, (int)common, found.v[0]);
		for (size_t i = 0; i < found.n; i++)
			strv_push(matches, found.v[i]);
	}
	strv_free(&found);
	free(typed_dir);
	free(list_dir);
	return out;
}

void path_list_suffix(const char *dir, const char *suffix, struct strv *out)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	size_t first = out->n, slen = strlen(suffix);
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (n > slen && !strcasecmp(e->d_name + n - slen, suffix)) {
			char *path = path_join(dir, e->d_name);
			strv_push(out, path);
			free(path);
		}
	}
	closedir(d);
	if (out->n > first)   /* out->v is NULL while nothing was pushed */
		qsort(out->v + first, out->n - first, sizeof(char *), cmp_name);
}
