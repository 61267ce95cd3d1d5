/* libFuzzer harness: ini_edit round trips. Any text the editor accepts
 * (what ini_edit_load reads: no NUL, at most 1 MiB) comes back byte for
 * byte when nothing is changed, and setting one key keeps every other
 * line of the text, in order, byte for byte. The key and value come from
 * the input's first bytes, so sections, keys and quoting all get tried. */
#include "base/ini_edit.h"
#include "base/util.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const sections[] = { "vm", "disk.system", "cdrom", "Boot" };
static const char *const keys[] = { "name", "file", "memory", "Order" };
static const char *const values[] = {
	"x", "", "a ; b", "'quoted'", "say \"hi\" # not", "  spaced  ",
	"tail\\", "\xc3\xa9t\xc3\xa9",
};

/* The lines of text (each with its end), as pointers into it. */
static size_t split(const char *text, size_t len, const char **start,
		    size_t *lens, size_t max)
{
	size_t n = 0, pos = 0;
	while (pos < len && n < max) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) + 1 : len;
		start[n] = text + pos;
		lens[n++] = end - pos;
		pos = end;
	}
	return n;
}

/* Whether a line holds key in the section the edit touched: the only
 * lines an edit may change. */
static bool edited_line(const char *line, size_t len, const char *key)
{
	struct ini_line l;
	size_t n = len;
	if (n && line[n - 1] == '\n')
		n--;
	ini_lex_line(line, n, &l);
	return l.kind == INI_KEY && l.name_len == strlen(key) &&
	       strncasecmp(l.name, key, l.name_len) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > INI_EDIT_MAX_SIZE || memchr(data, '\0', size))
		return 0;
	uint8_t pick = data[0];
	const char *text = (const char *)data + 1;
	size_t len = size - 1;
	struct ini_doc *doc = ini_edit_parse(text, len);
	size_t out_len;
	char *out = ini_edit_text(doc, &out_len);
	if (out_len != len || memcmp(out, text, len) != 0)
		abort();   /* an untouched document must be the same bytes */
	free(out);

	const char *section = sections[pick & 3];
	const char *key = keys[(pick >> 2) & 3];
	const char *value = values[(pick >> 4) & 7];
	if (ini_edit_set(doc, section, key, value)) {
		out = ini_edit_text(doc, &out_len);
		/* Every original line that is not a line of that key appears
		 * in the result in the same order (the last one may gain a
		 * line end when a line was added after it). */
		enum { MAX_LINES = 4096 };
		static const char *a[MAX_LINES], *b[MAX_LINES];
		static size_t al[MAX_LINES], bl[MAX_LINES];
		size_t na = split(text, len, a, al, MAX_LINES);
		size_t nb = split(out, out_len, b, bl, MAX_LINES);
		size_t j = 0;
		for (size_t i = 0; i < na && na < MAX_LINES && nb < MAX_LINES; i++) {
			if (edited_line(a[i], al[i], key))
				continue;
			bool last = i + 1 == na && a[i][al[i] - 1] != '\n';
			while (j < nb && !(bl[j] >= al[i] &&
					   memcmp(a[i], b[j], al[i]) == 0 &&
					   (bl[j] == al[i] ||
					    (last && (b[j][al[i]] == '\n' ||
						      b[j][al[i]] == '\r')))))
				j++;
			if (j == nb)
				abort();   /* a line was lost or changed */
			j++;
		}
		free(out);
	}
	ini_edit_destroy(doc);
	return 0;
}
