#include "base/ini_edit.h"

#include "base/i18n.h"
#include "base/util.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_comment_start(char c)
{
	return c == ';' || c == '#';
}

/* Trims blanks on both ends of [*s, *s + *len). */
static void trim(const char **s, size_t *len)
{
	while (*len && is_blank(**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len && is_blank((*s)[*len - 1]))
		(*len)--;
}

/* The value of a "key = value" line: up to a comment that starts at the
 * beginning or after a blank. A quote opens only at the start of a word, so
 * "Bob's VM ; mine" is "Bob's VM", while "-a 'x ;y'" keeps the quoted ';'. */
static void lex_value(const char *s, size_t len, struct ini_line *out)
{
	size_t i = 0, end = len;
	while (i < len && is_blank(s[i]))
		i++;
	size_t start = i;
	for (; i < len; i++) {
		char c = s[i];
		bool word_start = i == start || is_blank(s[i - 1]);
		if (word_start && is_comment_start(c)) {
			end = i;
			break;
		}
		if (word_start && (c == '"' || c == '\'')) {
			const char *close = memchr(s + i + 1, c, len - i - 1);
			if (!close) {
				out->unclosed_quote = c;
				break;
			}
			i = (size_t)(close - s);
		}
	}
	out->value = s + start;
	out->value_len = end - start;
	trim(&out->value, &out->value_len);
}

void ini_lex_line(const char *line, size_t len, struct ini_line *out)
{
	memset(out, 0, sizeof(*out));
	if (len && line[len - 1] == '\r')
		len--;
	const char *s = line;
	trim(&s, &len);
	if (!len) {
		out->kind = INI_BLANK;
		return;
	}
	if (is_comment_start(s[0])) {
		out->kind = INI_COMMENT;
		return;
	}
	out->kind = INI_BAD;
	if (s[0] == '[') {
		const char *close = memchr(s, ']', len);
		if (!close) {
			out->bad = INI_BAD_UNCLOSED;
			return;
		}
		out->name = s + 1;
		out->name_len = (size_t)(close - s - 1);
		trim(&out->name, &out->name_len);
		const char *rest = close + 1;
		size_t rest_len = len - (size_t)(rest - s);
		trim(&rest, &rest_len);
		if (rest_len && !is_comment_start(rest[0])) {
			out->bad = INI_BAD_TRAILER;
			out->trailer = rest;
			out->trailer_len = rest_len;
		} else if (!out->name_len) {
			out->bad = INI_BAD_EMPTY_SECTION;
		} else {
			out->kind = INI_SECTION;
		}
		return;
	}
	const char *eq = memchr(s, '=', len);
	if (!eq) {
		out->bad = INI_BAD_NOT_INI;
		return;
	}
	out->name = s;
	out->name_len = (size_t)(eq - s);
	trim(&out->name, &out->name_len);
	if (!out->name_len) {
		out->bad = INI_BAD_EMPTY_KEY;
		return;
	}
	out->kind = INI_KEY;
	lex_value(eq + 1, len - (size_t)(eq + 1 - s), out);
}

/* The editor keeps the file as lines, each with its own line ending, so
 * that untouched lines come out byte for byte. */
struct doc_line {
	char *text;      /* without the ending */
	const char *eol; /* "\n", "\r\n" or "" (last line without one) */
};

struct ini_doc {
	struct doc_line *lines;
	size_t n, cap;
	const char *newline;  /* what new lines end with: the file's own style */
};

static void doc_insert(struct ini_doc *doc, size_t at, char *text)
{
	if (doc->n == doc->cap) {
		doc->cap = doc->cap ? doc->cap * 2 : 16;
		doc->lines = xrealloc(doc->lines, doc->cap * sizeof(*doc->lines));
	}
	/* The line before the new one must end with a newline now. */
	if (at > 0 && !*doc->lines[at - 1].eol)
		doc->lines[at - 1].eol = doc->newline;
	memmove(doc->lines + at + 1, doc->lines + at,
		(doc->n - at) * sizeof(*doc->lines));
	doc->lines[at].text = text;
	doc->lines[at].eol = doc->newline;
	doc->n++;
}

struct ini_doc *ini_edit_parse(const char *text, size_t len)
{
	struct ini_doc *doc = xcalloc(1, sizeof(*doc));
	doc->newline = "\n";
	size_t pos = 0;
	bool first = true;
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;
		const char *eol = "";
		size_t text_end = end;
		if (nl) {
			eol = "\n";
			if (end > pos && text[end - 1] == '\r') {
				eol = "\r\n";
				text_end--;
			}
			if (first)
				doc->newline = eol;
			first = false;
		}
		doc_insert(doc, doc->n, xstrndup(text + pos, text_end - pos));
		doc->lines[doc->n - 1].eol = eol;
		pos = nl ? end + 1 : len;
	}
	return doc;
}

struct ini_doc *ini_edit_load(const char *path, char **error)
{
	size_t len;
	char *text = read_file(path, INI_EDIT_MAX_SIZE, &len);
	if (!text) {
		*error = xasprintf(_("cannot read %s: %s"), path,
				   errno == EFBIG ? _("larger than 1 MiB")
						  : read_file_strerror(errno));
		return NULL;
	}
	/* Lines are C strings here: a NUL would cut the rest of its line
	 * off on saving. Such a file is not a VM file anyway. */
	const char *nul = memchr(text, '\0', len);
	if (nul) {
		*error = xasprintf(_("%s: not a text file (a NUL byte at offset "
				     "%zu); vmplay does not edit it"),
				   path, (size_t)(nul - text));
		free(text);
		return NULL;
	}
	struct ini_doc *doc = ini_edit_parse(text, len);
	free(text);
	*error = NULL;
	return doc;
}

void ini_edit_destroy(struct ini_doc *doc)
{
	if (!doc)
		return;
	for (size_t i = 0; i < doc->n; i++)
		free(doc->lines[i].text);
	free(doc->lines);
	free(doc);
}

static bool name_is(const struct ini_line *l, const char *name)
{
	return strlen(name) == l->name_len &&
	       strncasecmp(l->name, name, l->name_len) == 0;
}

static void lex(const struct ini_doc *doc, size_t i, struct ini_line *l)
{
	const char *text = doc->lines[i].text;
	/* A UTF-8 byte order mark before the first line, as the reader skips. */
	if (i == 0 && strncmp(text, "\xEF\xBB\xBF", 3) == 0)
		text += 3;
	ini_lex_line(text, strlen(text), l);
}

/* The header line of section, or doc->n. */
static size_t find_section(const struct ini_doc *doc, const char *section)
{
	struct ini_line l;
	for (size_t i = 0; i < doc->n; i++) {
		lex(doc, i, &l);
		if (l.kind == INI_SECTION && name_is(&l, section))
			return i;
	}
	return doc->n;
}

bool ini_edit_has_section(const struct ini_doc *doc, const char *section)
{
	return find_section(doc, section) < doc->n;
}

/* Whether "key = value" reads back as exactly value, unquoted. */
static bool reads_back(const char *value)
{
	size_t len = strlen(value);
	if (len && (value[0] == '"' || value[0] == '\''))
		return false;
	char *line = xasprintf("k = %s", value);
	struct ini_line l;
	ini_lex_line(line, strlen(line), &l);
	bool same = l.kind == INI_KEY && !l.unclosed_quote &&
		    l.value_len == len && memcmp(l.value, value, len) == 0;
	free(line);
	return same;
}

char *ini_encode_value(const char *value)
{
	for (const char *c = value; *c; c++)
		if (((unsigned char)*c < 0x20 && *c != '\t') || *c == 0x7f)
			return NULL;
	if (reads_back(value))
		return xstrdup(value);
	if (!strchr(value, '"'))
		return xasprintf("\"%s\"", value);
	if (!strchr(value, '\''))
		return xasprintf("'%s'", value);
	return NULL;
}

/* An empty value would leave "key = " with a trailing blank behind. */
static char *trim_end(char *line)
{
	size_t len = strlen(line);
	while (len && (line[len - 1] == ' ' || line[len - 1] == '\t'))
		line[--len] = '\0';
	return line;
}

bool ini_edit_set(struct ini_doc *doc, const char *section, const char *key,
		  const char *value)
{
	char *encoded = ini_encode_value(value);
	if (!encoded)
		return false;
	size_t head = find_section(doc, section);
	if (head == doc->n) {
		ini_edit_add_section(doc, section);
		head = doc->n - 1;
	}
	size_t last_key = head;
	struct ini_line l;
	for (size_t i = head + 1; i < doc->n; i++) {
		lex(doc, i, &l);
		if (l.kind == INI_SECTION)
			break;
		if (l.kind != INI_KEY)
			continue;
		last_key = i;
		if (!name_is(&l, key))
			continue;
		/* Replace only the value's bytes: the key, the spacing and any
		 * comment after the value stay as they were. */
		char *text = doc->lines[i].text;
		size_t vstart = (size_t)(l.value - text);
		if (!l.value_len) {
			/* "key =" or "key = ; comment": write after "= ". */
			const char *eq = strchr(text, '=');
			vstart = (size_t)(eq + 1 - text);
			char *line = xasprintf("%.*s %s%s%s", (int)vstart, text,
					       encoded, *l.value ? " " : "",
					       text + vstart + strspn(text + vstart, " \t"));
			free(text);
			doc->lines[i].text = trim_end(line);
		} else {
			char *line = xasprintf("%.*s%s%s", (int)vstart, text, encoded,
					       text + vstart + l.value_len);
			free(text);
			doc->lines[i].text = trim_end(line);
		}
		free(encoded);
		return true;
	}
	doc_insert(doc, last_key + 1, trim_end(xasprintf("%s = %s", key, encoded)));
	free(encoded);
	return true;
}

char *ini_edit_get(const struct ini_doc *doc, const char *section,
		   const char *key, int *line)
{
	struct ini_line l;
	for (size_t i = find_section(doc, section) + 1; i < doc->n; i++) {
		lex(doc, i, &l);
		if (l.kind == INI_SECTION)
			break;
		if (l.kind != INI_KEY || !name_is(&l, key))
			continue;
		if (line)
			*line = (int)i + 1;
		const char *v = l.value;
		size_t n = l.value_len;
		if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0]) {
			v++;
			n -= 2;
		}
		return xstrndup(v, n);
	}
	return NULL;
}

bool ini_edit_remove(struct ini_doc *doc, const char *section, const char *key)
{
	size_t head = find_section(doc, section);
	bool removed = false;
	struct ini_line l;
	for (size_t i = head + 1; i < doc->n;) {
		lex(doc, i, &l);
		if (l.kind == INI_SECTION)
			break;
		if (l.kind == INI_KEY && name_is(&l, key)) {
			free(doc->lines[i].text);
			memmove(doc->lines + i, doc->lines + i + 1,
				(doc->n - i - 1) * sizeof(*doc->lines));
			doc->n--;
			removed = true;
			continue;
		}
		i++;
	}
	return removed;
}

bool ini_edit_add_section(struct ini_doc *doc, const char *section)
{
	if (ini_edit_has_section(doc, section))
		return false;
	if (doc->n && doc->lines[doc->n - 1].text[0])
		doc_insert(doc, doc->n, xstrdup(""));
	doc_insert(doc, doc->n, xasprintf("[%s]", section));
	return true;
}

char *ini_edit_text(const struct ini_doc *doc, size_t *len)
{
	size_t total = 0;
	for (size_t i = 0; i < doc->n; i++)
		total += strlen(doc->lines[i].text) + strlen(doc->lines[i].eol);
	char *out = xmalloc(total + 1), *p = out;
	for (size_t i = 0; i < doc->n; i++) {
		size_t a = strlen(doc->lines[i].text), b = strlen(doc->lines[i].eol);
		memcpy(p, doc->lines[i].text, a);
		memcpy(p + a, doc->lines[i].eol, b);
		p += a + b;
	}
	*p = '\0';
	if (len)
		*len = total;
	return out;
}

bool ini_edit_write(const char *path, const char *text, size_t len,
		    char **error)
{
	*error = NULL;
	struct stat st;
	bool exists = stat(path, &st) == 0;
	if (len > INI_EDIT_MAX_SIZE) {
		*error = xasprintf(_("%s: not saved: the new text would be %zu "
				     "bytes, more than the 1 MiB vmplay reads"),
				   path, len);
	} else if (exists && !S_ISREG(st.st_mode)) {
		*error = xasprintf(_("%s: not saved: not a regular file"),
				   path);
	} else if (exists && (!(st.st_mode & 0222) ||
			      access(path, W_OK) != 0)) {
		*error = xasprintf(_("%s: not saved: the file is read-only "
				     "(mode %04o); make it writable (chmod u+w) "
				     "to let vmplay change it"), path,
				   (unsigned)(st.st_mode & 07777));
	} else if (exists && st.st_nlink > 1) {
		/* Saving writes a new file and renames it over this name:
		 * the other names would keep the old text. */
		unsigned long others = (unsigned long)st.st_nlink - 1;
		*error = xasprintf(ngettext(
			"%s: not saved: the file has %lu other hard link, which "
			"a save would split from it; make it a file of its own "
			"first (cp FILE FILE.new && mv FILE.new FILE)",
			"%s: not saved: the file has %lu other hard links, which "
			"a save would split from it; make it a file of its own "
			"first (cp FILE FILE.new && mv FILE.new FILE)", others),
			path, others);
	} else if (!write_file_atomic(path, text, len, true)) {
		*error = xasprintf(_("cannot write %s: %s"), path,
				   strerror(errno));
	}
	return *error == NULL;
}

bool ini_edit_save(const struct ini_doc *doc, const char *path, char **error)
{
	size_t len;
	char *text = ini_edit_text(doc, &len);
	bool ok = ini_edit_write(path, text, len, error);
	free(text);
	return ok;
}
