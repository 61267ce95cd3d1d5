/* Reading a VM file into a struct vm_config.
 *
 * Why not iniparser (which the blueprint names): iniparser 4.1 (Debian 12)
 * treats a comment after a section header, "[disk.system]  ; one per disk"
 * as in the blueprint's own example, as a syntax error and then drops the
 * whole file; it prints its own messages to stderr, keeps no line numbers,
 * cuts every value at the first ';' or '#' (so "-append 'a;b'" breaks), and
 * reads only from a named file while config_parse() gets text. Messages
 * here need the line of each key, unknown keys need the name as written, and
 * ini_edit.c must edit exactly what this reads. So one small lexer,
 * ini_lex_line() in ini_edit.c, serves both, and this file maps its lines
 * onto a table of sections and keys.
 *
 * Every problem is collected (with its line) and reported at once, sorted by
 * line, so one run shows everything to fix. */
#include "vm/config.h"

#include "base/i18n.h"
#include "base/ini_edit.h"
#include "base/util.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

const char *const vm_machine_names[] = { "q35", "pc", NULL };
const char *const vm_accel_names[] = { "auto", "kvm", "tcg", NULL };
const char *const vm_firmware_names[] = { "bios", "uefi", NULL };
const char *const disk_format_names[] = { "auto", "qcow2", "raw", "vdi", "vmdk", NULL };
const char *const disk_interface_names[] = { "virtio", "ide", "sata", "scsi", NULL };
const char *const net_mode_names[] = { "user", "none", NULL };
const char *const net_model_names[] = { "e1000", "virtio", "rtl8139", NULL };
const char *const display_device_names[] = { "std", "virtio", "qxl", NULL };
const char *const scale_mode_names[] = { "fit", "integer", "stretch", "none", NULL };
const char *const audio_backend_names[] = { "auto", "pa", "alsa", "sdl", "none", NULL };
const char *const audio_device_names[] = { "hda", "ac97", "none", NULL };
const char *const pointer_mode_names[] = { "tablet", "ps2", NULL };
const char *const shortcut_names[] = {
	[SHORTCUT_NONE] = "none", [SHORTCUT_MENU] = "menu",
	[SHORTCUT_PAUSE] = "pause", [SHORTCUT_SNAPSHOT] = "snapshot",
	[SHORTCUT_FULLSCREEN] = "fullscreen", [SHORTCUT_RELEASE] = "release",
	[SHORTCUT_QUIT] = "quit", [SHORTCUT_CTRL_ALT_DEL] = "ctrl-alt-del",
	[SHORTCUT_SCREENSHOT] = "screenshot", [SHORTCUT_COUNT] = NULL,
};

const char *shortcut_name(enum shortcut s)
{
	return s > SHORTCUT_NONE && s < SHORTCUT_COUNT ? shortcut_names[s] : "none";
}

enum shortcut shortcut_from_name(const char *name)
{
	for (int s = SHORTCUT_NONE + 1; s < SHORTCUT_COUNT; s++)
		if (strcasecmp(name, shortcut_names[s]) == 0)
			return (enum shortcut)s;
	return SHORTCUT_NONE;
}

/* Enum members are written through an int pointer by the key table. */
_Static_assert(sizeof(enum vm_machine) == sizeof(int), "enums are ints");

#define MAX_FILE_SIZE (1u << 20)
#define MAX_DISKS 64
#define MAX_MESSAGES 20
#define SHOWN_VALUE_MAX 60

/* The sections, in the order of the table below and of vmplay(5). */
enum { SEC_VM, SEC_DISK, SEC_CDROM, SEC_BOOT, SEC_NETWORK, SEC_DISPLAY,
       SEC_AUDIO, SEC_INPUT, SEC_KEYS, SEC_KIOSK, SEC_CLIPBOARD, SEC_QEMU,
       SEC_LIBVIRT, SEC_CONNECTIONS, SECTION_COUNT };

/* ---- The file as sections of entries (pointers into the text) ---- */

struct entry {
	char *key;          /* lowercased */
	const char *value;  /* raw value from the lexer (quotes kept) */
	size_t value_len;
	char unclosed_quote;
	int line;
};

struct section {
	char *name;         /* lowercased, for matching */
	char *label;        /* as written, for messages and disk names */
	int line;
	struct entry *entries;
	size_t n, cap;
};

struct message {
	int line;           /* 0: about the whole file */
	size_t seq;         /* keeps the order of messages on one line */
	char *text;
};

struct parser {
	const char *path;   /* as given, for messages */
	bool user_file;     /* the user's settings file: only [keys] */
	struct vm_config *cfg;
	struct section *secs;
	size_t n_secs, cap_secs;
	struct message *msgs;
	size_t n_msgs, cap_msgs;
	int section_line[SECTION_COUNT];  /* first line of each; disks aside */
};

static void problem(struct parser *p, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void problem(struct parser *p, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *body = xvasprintf(fmt, ap);
	va_end(ap);
	if (p->n_msgs == p->cap_msgs) {
		p->cap_msgs = p->cap_msgs ? p->cap_msgs * 2 : 8;
		p->msgs = xrealloc(p->msgs, p->cap_msgs * sizeof(*p->msgs));
	}
	struct message *m = &p->msgs[p->n_msgs];
	m->line = line;
	m->seq = p->n_msgs++;
	m->text = line ? xasprintf("%s:%d: %s", p->path, line, body)
		       : xasprintf("%s: %s", p->path, body);
	free(body);
}

static int message_cmp(const void *a, const void *b)
{
	const struct message *x = a, *y = b;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* All messages, by line, at most MAX_MESSAGES of them. */
static char *messages_join(struct parser *p)
{
	qsort(p->msgs, p->n_msgs, sizeof(*p->msgs), message_cmp);
	struct strv lines = { 0 };
	for (size_t i = 0; i < p->n_msgs && i < MAX_MESSAGES; i++)
		strv_push(&lines, p->msgs[i].text);
	if (p->n_msgs > MAX_MESSAGES)
		strv_pushf(&lines, _("%s: %zu more problems not shown"), p->path,
			   p->n_msgs - MAX_MESSAGES);
	char *out = strv_join(&lines, "\n");
	strv_free(&lines);
	return out;
}

/* A value as quoted in a message: shortened when long. */
static char *shown(const char *s, size_t len)
{
	if (len > SHOWN_VALUE_MAX)
		return xasprintf("%.*s...", SHOWN_VALUE_MAX - 3, s);
	return xstrndup(s, len);
}

static char *lowercase(const char *s, size_t len)
{
	char *out = xstrndup(s, len);
	for (char *c = out; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	return out;
}

/* ---- Pass 1: text -> sections and entries ---- */

static bool check_text(struct parser *p, const char *text, size_t len)
{
	if (len == 0) {
		problem(p, 0, _("the file is empty; a VM file has sections such as "
			"[vm] and [disk.NAME] (see vmplay(5))"));
		return false;
	}
	if (len > MAX_FILE_SIZE) {
		problem(p, 0, _("%zu bytes is too large for a VM file (at most 1 MiB)"),
			len);
		return false;
	}
	const char *nul = memchr(text, '\0', len);
	if (nul) {
		problem(p, 0, _("not a text file (a NUL byte at offset %zu); a VM "
			"file is INI text"), (size_t)(nul - text));
		return false;
	}
	return true;
}

static void add_entry(struct section *s, const struct ini_line *l, int line)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 8;
		s->entries = xrealloc(s->entries, s->cap * sizeof(*s->entries));
	}
	s->entries[s->n++] = (struct entry){
		.key = lowercase(l->name, l->name_len),
		.value = l->value,
		.value_len = l->value_len,
		.unclosed_quote = l->unclosed_quote,
		.line = line,
	};
}

static void add_section(struct parser *p, const struct ini_line *l, int line)
{
	if (p->n_secs == p->cap_secs) {
		p->cap_secs = p->cap_secs ? p->cap_secs * 2 : 8;
		p->secs = xrealloc(p->secs, p->cap_secs * sizeof(*p->secs));
	}
	p->secs[p->n_secs++] = (struct section){
		.name = lowercase(l->name, l->name_len),
		.label = xstrndup(l->name, l->name_len),
		.line = line,
	};
}

static void bad_line(struct parser *p, const struct ini_line *l,
		     const char *text, size_t len, int line)
{
	if (len && text[len - 1] == '\r')
		len--;
	while (len && isspace((unsigned char)*text)) {
		text++;
		len--;
	}
	char *what = shown(text, len);
	char *trailer = l->trailer ? shown(l->trailer, l->trailer_len) : NULL;
	switch (l->bad) {
	case INI_BAD_UNCLOSED:
		problem(p, line, _("'%s' has no closing ']' (a section header is "
			"[NAME])"), what);
		break;
	case INI_BAD_TRAILER:
		problem(p, line, _("unexpected '%s' after the section header (a "
			"comment starts with ; or #)"), trailer);
		break;
	case INI_BAD_EMPTY_SECTION:
		problem(p, line, _("'[]' has no section name"));
		break;
	case INI_BAD_EMPTY_KEY:
		problem(p, line, _("'%s' has no key before '='"), what);
		break;
	default:
		problem(p, line, _("'%s' is neither a [section] header nor "
			"key = value"), what);
		break;
	}
	free(what);
	free(trailer);
}

static void check_controls(struct parser *p, const char *s, size_t len,
			   int line)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c < 0x20 && c != '\t' && !(c == '\r' && i == len - 1)) ||
		    c == 0x7f) {
			problem(p, line, _("control character 0x%02X; a VM file is "
				"plain text"), c);
			return;
		}
	}
}

static void scan(struct parser *p, const char *text, size_t len)
{
	/* A UTF-8 byte order mark some editors write. */
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
		text += 3;
		len -= 3;
	}
	int line = 0;
	bool key_outside_reported = false;
	for (size_t pos = 0; pos < len;) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;
		const char *s = text + pos;
		size_t slen = end - pos;
		pos = nl ? end + 1 : len;
		line++;
		check_controls(p, s, slen, line);
		struct ini_line l;
		ini_lex_line(s, slen, &l);
		switch (l.kind) {
		case INI_BLANK:
		case INI_COMMENT:
			break;
		case INI_SECTION:
			add_section(p, &l, line);
			break;
		case INI_KEY:
			if (p->n_secs) {
				add_entry(&p->secs[p->n_secs - 1], &l, line);
			} else if (!key_outside_reported) {
				key_outside_reported = true;
				char *key = shown(l.name, l.name_len);
				problem(p, line, _("key '%s' comes before any "
					"[section] (keys belong to a section "
					"such as %s)"), key,
					p->user_file ? "[keys]" : "[vm]");
				free(key);
			}
			break;
		case INI_BAD:
			bad_line(p, &l, s, slen, line);
			break;
		}
	}
}

/* ---- Pass 2: entries -> struct vm_config, by a table of keys ---- */

enum key_kind {
	K_STRING,   /* char *, NULL when empty */
	K_PATH,     /* char *, resolved against the file's folder */
	K_BOOL,     /* bool */
	K_ENUM,     /* an enum, by names[] */
	K_INT,      /* int, min..max */
	K_UINT,     /* unsigned, min..max */
	K_SIZE,     /* uint64_t bytes, more than zero */
	K_CUSTOM,   /* fn gets the unquoted value */
	K_SHELL,    /* fn gets the raw value (quotes are its business) */
};

struct key_spec;
typedef void (*key_fn)(struct parser *p, const struct entry *e,
		       const char *value, void *base);

struct key_spec {
	const char *name;
	enum key_kind kind;
	size_t offset;
	const char *const *names;
	long long min, max;
	key_fn fn;
};

/* The edit distance, with two swapped neighbours ("qiut") counting as one
 * typo rather than two. */
static size_t typo_distance(const char *a, const char *b)
{
	size_t len = strlen(a);
	if (len == strlen(b)) {
		size_t first = 0;
		while (first < len && a[first] == b[first])
			first++;
		if (first + 1 < len && a[first] == b[first + 1] &&
		    a[first + 1] == b[first] &&
		    strcmp(a + first + 2, b + first + 2) == 0)
			return 1;
	}
	return edit_distance(a, b);
}

/* Candidates for "did you mean": the closest by edit distance when close
 * enough for a typo, or the one the word begins ("mem" -> "memory"). */
static const char *closest(const char *word, const char *const *names,
			   size_t n)
{
	size_t len = strlen(word);
	size_t limit = len < 5 ? 1 : len < 10 ? 2 : 3;
	const char *best = NULL;
	size_t best_d = (size_t)-1;
	for (size_t i = 0; i < n; i++) {
		size_t d = typo_distance(word, names[i]);
		if (d < best_d) {
			best_d = d;
			best = names[i];
		}
	}
	if (best && best_d <= limit)
		return best;
	if (len >= 3)
		for (size_t i = 0; i < n; i++)
			if (strncmp(names[i], word, len) == 0)
				return names[i];
	return NULL;
}

static size_t count_names(const char *const *names)
{
	size_t n = 0;
	while (names[n])
		n++;
	return n;
}

/* The value with its quotes removed: "..." or '...' around the whole value
 * (for values with blanks at the ends or a ';' after a blank). NULL after
 * reporting a quote that does not close. */
static char *plain_value(struct parser *p, const struct entry *e)
{
	const char *v = e->value;
	size_t len = e->value_len;
	if (e->unclosed_quote) {
		problem(p, e->line, _("%s: unclosed %c quote (a quoted value ends "
			"with the same quote on the same line)"), e->key,
			e->unclosed_quote);
		return NULL;
	}
	if (len && (v[0] == '"' || v[0] == '\'')) {
		const char *close = memchr(v + 1, v[0], len - 1);
		if (close != v + len - 1) {
			char *what = shown(v, len);
			problem(p, e->line, _("%s: text after the closing quote in "
				"'%s' (quote the whole value)"), e->key, what);
			free(what);
			return NULL;
		}
		return xstrndup(v + 1, len - 2);
	}
	return xstrndup(v, len);
}

static char *resolve_path(const struct parser *p, const char *value)
{
	if (value[0] == '~' && value[1] == '/') {
		const char *home = getenv("HOME");
		if (home && *home)
			return path_join(home, value + 2);
	}
	while (value[0] == '.' && value[1] == '/')
		value += 2;
	return path_join(p->cfg->dir, value);
}

static const struct {
	const char *word;
	bool value;
} bool_words[] = {
	{ "true", true }, { "false", false }, { "yes", true }, { "no", false },
	{ "on", true },   { "off", false },   { "1", true },    { "0", false },
};

static bool parse_whole(const char *s, long long min, long long max,
			long long *out)
{
	if (!isdigit((unsigned char)s[0]) && !(s[0] == '-' && isdigit((unsigned char)s[1])))
		return false;
	errno = 0;
	char *end;
	long long v = strtoll(s, &end, 10);
	if (*end)
		return false;
	*out = errno == ERANGE ? (v < 0 ? min - 1 : max + 1) : v;
	return true;
}

static void set_value(struct parser *p, const struct key_spec *k,
		      const struct entry *e, const char *value, void *base)
{
	void *field = (char *)base + k->offset;
	char *what = shown(value, strlen(value));
	switch (k->kind) {
	case K_STRING:
		free(*(char **)field);
		*(char **)field = xstrdup(value);
		break;
	case K_PATH:
		free(*(char **)field);
		*(char **)field = resolve_path(p, value);
		break;
	case K_BOOL: {
		size_t i;
		for (i = 0; i < ARRAY_SIZE(bool_words); i++)
			if (strcasecmp(value, bool_words[i].word) == 0)
				break;
		if (i < ARRAY_SIZE(bool_words))
			*(bool *)field = bool_words[i].value;
		else
			problem(p, e->line, _("%s: '%s' is not a boolean (true or "
				"false)"), e->key, what);
		break;
	}
	case K_ENUM: {
		size_t n = count_names(k->names), i;
		for (i = 0; i < n; i++)
			if (strcasecmp(value, k->names[i]) == 0)
				break;
		if (i < n) {
			*(int *)field = (int)i;
		} else {
			char *list = str_join(k->names, n, ", ");
			problem(p, e->line, _("%s: '%s' is not valid (one of: %s)"),
				e->key, what, list);
			free(list);
		}
		break;
	}
	case K_INT:
	case K_UINT: {
		long long v;
		if (!parse_whole(value, k->min, k->max, &v))
			problem(p, e->line, _("%s: '%s' is not a whole number "
				"(%lld-%lld)"), e->key, what, k->min, k->max);
		else if (v < k->min || v > k->max)
			problem(p, e->line, _("%s: '%s' is out of range "
				"(%lld-%lld)"), e->key, what, k->min, k->max);
		else if (k->kind == K_INT)
			*(int *)field = (int)v;
		else
			*(unsigned *)field = (unsigned)v;
		break;
	}
	case K_SIZE: {
		uint64_t bytes;
		char *why = NULL;
		if (!parse_size_typed(value, 'G', &bytes, &why) && why)
			problem(p, e->line, "%s: %s", e->key, why);
		else if (why || !parse_size(value, &bytes))
			problem(p, e->line, _("%s: '%s' is not a size (examples: "
				"512M, 20G)"), e->key, what);
		else if (bytes == 0)
			problem(p, e->line, _("%s: '%s' must be more than zero"),
				e->key, what);
		else
			*(uint64_t *)field = bytes;
		free(why);
		break;
	}
	case K_CUSTOM:
	case K_SHELL:
		k->fn(p, e, value, base);
		break;
	}
	free(what);
}

/* ---- Custom keys ---- */

static void key_name(struct parser *p, const struct entry *e,
		     const char *value, void *base)
{
	struct vm_config *cfg = base;
	if (strchr(value, '/') || strlen(value) > 64) {
		char *what = shown(value, strlen(value));
		problem(p, e->line, _("name: '%s' is not a VM name (at most 64 "
			"characters, no '/')"), what);
		free(what);
		return;
	}
	free(cfg->name);
	cfg->name = xstrdup(value);
}

static void key_uuid(struct parser *p, const struct entry *e,
		     const char *value, void *base)
{
	static const char pattern[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
	struct vm_config *cfg = base;
	bool ok = strlen(value) == strlen(pattern);
	for (size_t i = 0; ok && pattern[i]; i++)
		ok = pattern[i] == '-' ? value[i] == '-'
				       : isxdigit((unsigned char)value[i]) != 0;
	if (!ok) {
		char *what = shown(value, strlen(value));
		problem(p, e->line, _("uuid: '%s' is not a UUID (like "
			"123e4567-e89b-12d3-a456-426614174000)"), what);
		free(what);
		return;
	}
	free(cfg->uuid);
	cfg->uuid = lowercase(value, strlen(value));
}

const char *config_memory_problem(uint64_t bytes)
{
	if (bytes < (16ull << 20))
		/* TRANSLATORS: this and the next two follow a value:
		 * "memory: '8K' is too small (at least 16M)" */
		return _("is too small (at least 16M)");
	if (bytes > (16ull << 40))
		return _("is too large (at most 16T)");
	if (bytes % (1u << 20))
		return _("is not a whole number of megabytes (examples: 512M, 2G)");
	return NULL;
}

static void key_memory(struct parser *p, const struct entry *e,
		       const char *value, void *base)
{
	struct vm_config *cfg = base;
	uint64_t bytes;
	char *what = shown(value, strlen(value));
	const char *why = NULL;
	if (!parse_size(value, &bytes))
		problem(p, e->line, _("memory: '%s' is not a size (examples: "
			"512M, 2G)"), what);
	else if ((why = config_memory_problem(bytes)))
		/* TRANSLATORS: a line of a VM file's errors; the first %s is
		 * the value as written, the second one of "is too small (at
		 * least 16M)", "is too large (at most 16T)"... */
		problem(p, e->line, _("memory: '%s' %s"), what, why);
	else
		cfg->memory = bytes;
	free(what);
}

static void key_boot_order(struct parser *p, const struct entry *e,
			   const char *value, void *base)
{
	struct vm_config *cfg = base;
	char *order = lowercase(value, strlen(value));
	for (size_t i = 0; order[i]; i++) {
		if (!strchr("cdn", order[i])) {
			char *v = shown(value, strlen(value));
			problem(p, e->line, _("order: '%c' in '%s' is not a boot "
				"device (c disk, d cdrom, n network)"),
				value[i], v);
			free(v);
			free(order);
			return;
		}
		if (strchr(order + i + 1, order[i])) {
			char *v = shown(value, strlen(value));
			problem(p, e->line, _("order: '%c' appears twice in '%s'"),
				value[i], v);
			free(v);
			free(order);
			return;
		}
	}
	free(cfg->boot_order);
	cfg->boot_order = order;
}

/* A port as written in a forward: digits, 1-65535. */
static bool parse_port(const char *s, size_t len, uint16_t *out)
{
	if (!len || len > 5)
		return false;
	unsigned v = 0;
	for (size_t i = 0; i < len; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	if (v < 1 || v > 65535)
		return false;
	*out = (uint16_t)v;
	return true;
}

/* One "tcp:2222:22" item of forward; false after reporting it. */
static bool parse_forward(struct parser *p, const struct entry *e,
			  const char *item, struct vm_forward *fw)
{
	const char *c1 = strchr(item, ':');
	const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	char *item_shown = shown(item, strlen(item));
	bool ok = false;
	if (!c2 || strchr(c2 + 1, ':')) {
		problem(p, e->line, _("forward: '%s' is not PROTOCOL:HOST-PORT:"
			"GUEST-PORT (example: tcp:2222:22)"), item_shown);
		goto out;
	}
	size_t plen = (size_t)(c1 - item);
	if (plen == 3 && strncasecmp(item, "tcp", 3) == 0) {
		fw->udp = false;
	} else if (plen == 3 && strncasecmp(item, "udp", 3) == 0) {
		fw->udp = true;
	} else {
		char *proto = shown(item, plen);
		problem(p, e->line, _("forward: '%s' in '%s' is not a protocol "
			"(tcp or udp)"), proto, item_shown);
		free(proto);
		goto out;
	}
	const struct {
		const char *s;
		size_t len;
		uint16_t *out;
	} ports[] = {
		{ c1 + 1, (size_t)(c2 - c1 - 1), &fw->host_port },
		{ c2 + 1, strlen(c2 + 1), &fw->guest_port },
	};
	for (size_t i = 0; i < ARRAY_SIZE(ports); i++) {
		if (!parse_port(ports[i].s, ports[i].len, ports[i].out)) {
			char *port = shown(ports[i].s, ports[i].len);
			problem(p, e->line, _("forward: port '%s' in '%s' is "
				"not a number from 1 to 65535"), port,
				item_shown);
			free(port);
			goto out;
		}
	}
	ok = true;
out:
	free(item_shown);
	return ok;
}

/* Splits a comma list into trimmed, non-empty items. */
static void split_list(const char *value, struct strv *out)
{
	const char *s = value;
	for (;;) {
		const char *comma = strchr(s, ',');
		size_t len = comma ? (size_t)(comma - s) : strlen(s);
		while (len && isspace((unsigned char)*s)) {
			s++;
			len--;
		}
		while (len && isspace((unsigned char)s[len - 1]))
			len--;
		if (len) {
			char *item = xstrndup(s, len);
			strv_push(out, item);
			free(item);
		}
		if (!comma)
			break;
		s = comma + 1;
	}
}

static void key_forward(struct parser *p, const struct entry *e,
			const char *value, void *base)
{
	struct vm_config *cfg = base;
	struct strv items = { 0 };
	split_list(value, &items);
	free(cfg->forwards);
	cfg->forwards = xcalloc(items.n ? items.n : 1, sizeof(*cfg->forwards));
	cfg->n_forwards = 0;
	/* Host ports taken so far, per protocol: one look each, so that
	 * every port forwarded (65535 of them) stays quick. */
	bool *taken = xcalloc(2 * 65536, sizeof(*taken));
	for (size_t i = 0; i < items.n; i++) {
		struct vm_forward fw;
		if (!parse_forward(p, e, items.v[i], &fw))
			continue;
		bool *slot = &taken[(fw.udp ? 65536 : 0) + fw.host_port];
		bool dup = *slot;
		*slot = true;
		if (dup) {
			problem(p, e->line, _("forward: host port %s:%u is "
				"forwarded twice"), fw.udp ? "udp" : "tcp",
				fw.host_port);
			continue;
		}
		cfg->forwards[cfg->n_forwards++] = fw;
	}
	free(taken);
	strv_free(&items);
}

/* The names of the actions bindings.c knows, for [keys] and [kiosk] allow. */
static size_t action_names(const char *names[SHORTCUT_COUNT])
{
	size_t n = 0;
	for (int a = SHORTCUT_NONE + 1; a < SHORTCUT_COUNT; a++)
		names[n++] = shortcut_name((enum shortcut)a);
	return n;
}

static bool is_action(const char *word)
{
	const char *names[SHORTCUT_COUNT];
	size_t n = action_names(names);
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], word) == 0)
			return true;
	return false;
}

/* "(did you mean 'x'?)" or "(actions: ...)"; caller frees. */
static char *action_hint(const char *word)
{
	const char *names[SHORTCUT_COUNT];
	size_t n = action_names(names);
	const char *best = closest(word, names, n);
	if (best)
		return xasprintf(_("did you mean '%s'?"), best);
	char *list = str_join(names, n, ", ");
	char *hint = xasprintf(_("actions: %s"), list);
	free(list);
	return hint;
}

static void key_allow(struct parser *p, const struct entry *e,
		      const char *value, void *base)
{
	struct vm_config *cfg = base;
	struct strv items = { 0 };
	split_list(value, &items);
	for (size_t i = 0; i < cfg->n_kiosk_allow; i++)
		free(cfg->kiosk_allow[i]);
	free(cfg->kiosk_allow);
	cfg->kiosk_allow = xcalloc(items.n + 1, sizeof(char *));
	cfg->n_kiosk_allow = 0;
	for (size_t i = 0; i < items.n; i++) {
		char *name = lowercase(items.v[i], strlen(items.v[i]));
		if (!is_action(name)) {
			char *hint = action_hint(name);
			char *v = shown(items.v[i], strlen(items.v[i]));
			problem(p, e->line, _("allow: '%s' is not an action (%s)"),
				v, hint);
			free(v);
			free(hint);
			free(name);
			continue;
		}
		cfg->kiosk_allow[cfg->n_kiosk_allow++] = name;
	}
	strv_free(&items);
}

static void key_pin(struct parser *p, const struct entry *e,
		    const char *value, void *base)
{
	struct vm_config *cfg = base;
	size_t len = strlen(value);
	bool ok = len >= 4 && len <= 16 && strspn(value, "0123456789") == len;
	if (!ok) {
		char *v = shown(value, len);
		problem(p, e->line, _("pin: '%s' is not a PIN (4 to 16 digits)"),
			v);
		free(v);
		return;
	}
	free(cfg->kiosk_pin);
	cfg->kiosk_pin = xstrdup(value);
}

static void key_restart_delay(struct parser *p, const struct entry *e,
			      const char *value, void *base)
{
	static const struct {
		const char *unit;
		unsigned long long ms;
	} units[] = { { "ms", 1 }, { "s", 1000 }, { "m", 60000 } };
	struct vm_config *cfg = base;
	char *what = shown(value, strlen(value));
	char *end;
	errno = 0;
	unsigned long long n = isdigit((unsigned char)value[0])
				       ? strtoull(value, &end, 10) : 0;
	size_t i = ARRAY_SIZE(units);
	if (isdigit((unsigned char)value[0]) && !errno) {
		while (*end == ' ')
			end++;
		for (i = 0; i < ARRAY_SIZE(units); i++)
			if (strcmp(end, units[i].unit) == 0)
				break;
	}
	if (i == ARRAY_SIZE(units))
		problem(p, e->line, _("restart-delay: '%s' is not a duration "
			"(examples: 2s, 500ms, 1m)"), what);
	else if (n > 3600000 / units[i].ms)
		problem(p, e->line, _("restart-delay: '%s' is too long (at most "
			"60m)"), what);
	else
		cfg->restart_delay_ms = (unsigned)(n * units[i].ms);
	free(what);
}

/* Splits like a POSIX shell, without running one: blanks separate words;
 * '...' keeps everything; "..." keeps everything but \" \\ \$ \`; a
 * backslash outside quotes keeps the next character. No variables, no
 * globbing, no command substitution: $ and * are plain characters. */
static bool shell_split(const char *s, struct strv *out, const char **why)
{
	size_t len = strlen(s);
	char *word = xmalloc(len + 1);
	size_t w = 0;
	bool in_word = false;
	*why = NULL;
	for (size_t i = 0; i < len && !*why; i++) {
		char c = s[i];
		if (c == ' ' || c == '\t') {
			if (in_word) {
				word[w] = '\0';
				strv_push(out, word);
				w = 0;
				in_word = false;
			}
			continue;
		}
		in_word = true;
		if (c == '\\') {
			if (i + 1 == len)
				*why = _("ends with a lone backslash");
			else
				word[w++] = s[++i];
		} else if (c == '\'') {
			const char *close = strchr(s + i + 1, '\'');
			if (!close) {
				*why = _("unclosed ' quote");
				break;
			}
			size_t n = (size_t)(close - s - i - 1);
			memcpy(word + w, s + i + 1, n);
			w += n;
			i = (size_t)(close - s);
		} else if (c == '"') {
			for (i++; i < len && s[i] != '"'; i++) {
				if (s[i] == '\\' && i + 1 < len &&
				    strchr("\"\\$`", s[i + 1]))
					i++;
				word[w++] = s[i];
			}
			if (i >= len)
				*why = _("unclosed \" quote");
		} else {
			word[w++] = c;
		}
	}
	if (in_word && !*why) {
		word[w] = '\0';
		strv_push(out, word);
	}
	free(word);
	return !*why;
}

static void key_qemu_args(struct parser *p, const struct entry *e,
			  const char *value, void *base)
{
	struct vm_config *cfg = base;
	struct strv words = { 0 };
	const char *why;
	cfg->qemu_args_line = e->line;
	if (!shell_split(value, &words, &why)) {
		problem(p, e->line, _("args: %s (arguments are split like a shell "
			"would; no shell is run)"), why);
		strv_free(&words);
		return;
	}
	for (size_t i = 0; i < cfg->n_qemu_args; i++)
		free(cfg->qemu_args[i]);
	free(cfg->qemu_args);
	cfg->qemu_args = words.v;
	cfg->n_qemu_args = words.n;
}

static void key_action(struct parser *p, const struct entry *e,
		       const char *value, void *base)
{
	(void)p;   /* key_slot() checked the action */
	struct vm_config *cfg = base;
	cfg->keys = xrealloc(cfg->keys, (cfg->n_keys + 1) * sizeof(*cfg->keys));
	cfg->keys[cfg->n_keys++] = (struct vm_key){
		.action = xstrdup(e->key),
		.spec = xstrdup(value),
		.line = e->line,
	};
}

/* A libvirt URI as vmplay passes it on: "driver[+transport]://..." with
 * no spaces; libvirt itself judges the rest when connecting. */
static bool libvirt_uri_ok(const char *value)
{
	const char *sep = strstr(value, "://");
	if (!sep || sep == value || strpbrk(value, " \t"))
		return false;
	for (const char *c = value; c < sep; c++)
		if (!isalnum((unsigned char)*c) && *c != '+' && *c != '-' &&
		    *c != '_')
			return false;
	return true;
}

static void key_libvirt_uri(struct parser *p, const struct entry *e,
			    const char *value, void *base)
{
	struct vm_config *cfg = base;
	if (!libvirt_uri_ok(value)) {
		problem(p, e->line, _("uri: '%s' is not a libvirt URI (for "
			"example qemu:///system or "
			"qemu+ssh://user@host/system)"), value);
		return;
	}
	free(cfg->libvirt_uri);
	cfg->libvirt_uri = xstrdup(value);
}

/* [connections] NAME = URI (any name a key can be). */
static void key_connection(struct parser *p, const struct entry *e,
			   const char *value, void *base)
{
	struct vm_config *cfg = base;
	for (size_t i = 0; i < cfg->n_connections; i++)
		if (!strcmp(cfg->connections[i].name, e->key)) {
			problem(p, e->line, _("%s: set a second time in "
				"[connections] (first on line %d)"), e->key,
				cfg->connections[i].line);
			return;
		}
	if (!libvirt_uri_ok(value)) {
		problem(p, e->line, _("%s: '%s' is not a libvirt URI (for "
			"example qemu:///system or "
			"qemu+ssh://user@host/system)"), e->key, value);
		return;
	}
	cfg->connections = xrealloc(cfg->connections,
				    (cfg->n_connections + 1) *
					    sizeof(*cfg->connections));
	cfg->connections[cfg->n_connections++] = (struct vm_connection){
		xstrdup(e->key), xstrdup(value), e->line };
}

/* ---- The table of sections and keys (vmplay(5) documents each) ---- */

#define CFG(field) offsetof(struct vm_config, field)
#define DISK(field) offsetof(struct vm_disk, field)
#define ENUM(key, field, list) { key, K_ENUM, field, list, 0, 0, NULL }
#define CUSTOM(key, fn) { key, K_CUSTOM, 0, NULL, 0, 0, fn }

static const struct key_spec vm_keys[] = {
	CUSTOM("name", key_name),
	CUSTOM("uuid", key_uuid),
	CUSTOM("memory", key_memory),
	{ "cpus", K_INT, CFG(cpus), NULL, 1, CONFIG_MAX_CPUS, NULL },
	ENUM("machine", CFG(machine), vm_machine_names),
	ENUM("accel", CFG(accel), vm_accel_names),
	ENUM("firmware", CFG(firmware), vm_firmware_names),
};

static const struct key_spec disk_keys[] = {
	{ "file", K_PATH, DISK(file), NULL, 0, 0, NULL },
	ENUM("format", DISK(format), disk_format_names),
	{ "size", K_SIZE, DISK(size), NULL, 0, 0, NULL },
	ENUM("interface", DISK(interface), disk_interface_names),
	{ "readonly", K_BOOL, DISK(readonly), NULL, 0, 0, NULL },
};

static const struct key_spec cdrom_keys[] = {
	{ "file", K_PATH, CFG(cdrom_file), NULL, 0, 0, NULL },
};

static const struct key_spec boot_keys[] = {
	CUSTOM("order", key_boot_order),
	{ "kernel", K_PATH, CFG(kernel), NULL, 0, 0, NULL },
	{ "initrd", K_PATH, CFG(initrd), NULL, 0, 0, NULL },
	{ "append", K_STRING, CFG(append), NULL, 0, 0, NULL },
};

static const struct key_spec network_keys[] = {
	ENUM("mode", CFG(net_mode), net_mode_names),
	ENUM("model", CFG(net_model), net_model_names),
	CUSTOM("forward", key_forward),
};

static const struct key_spec display_keys[] = {
	ENUM("device", CFG(display_device), display_device_names),
	ENUM("scale", CFG(scale), scale_mode_names),
	{ "fullscreen", K_BOOL, CFG(fullscreen), NULL, 0, 0, NULL },
	{ "exit-on-poweroff", K_BOOL, CFG(exit_on_poweroff), NULL, 0, 0, NULL },
	{ "resize-guest", K_BOOL, CFG(resize_guest), NULL, 0, 0, NULL },
};

static const struct key_spec clipboard_keys[] = {
	{ "enabled", K_BOOL, CFG(clipboard), NULL, 0, 0, NULL },
};

static const struct key_spec audio_keys[] = {
	ENUM("backend", CFG(audio_backend), audio_backend_names),
	ENUM("device", CFG(audio_device), audio_device_names),
};

static const struct key_spec input_keys[] = {
	ENUM("pointer", CFG(pointer), pointer_mode_names),
};

static const struct key_spec kiosk_keys[] = {
	{ "enabled", K_BOOL, CFG(kiosk), NULL, 0, 0, NULL },
	CUSTOM("allow", key_allow),
	CUSTOM("pin", key_pin),
	CUSTOM("restart-delay", key_restart_delay),
	{ "max-restarts", K_UINT, CFG(max_restarts), NULL, 0, 1000000, NULL },
	{ "reset", K_BOOL, CFG(kiosk_reset), NULL, 0, 0, NULL },
};

static const struct key_spec qemu_keys[] = {
	{ "args", K_SHELL, 0, NULL, 0, 0, key_qemu_args },
};

static const struct key_spec libvirt_keys[] = {
	CUSTOM("uri", key_libvirt_uri),
	{ "domain", K_STRING, CFG(libvirt_domain), NULL, 0, 0, NULL },
};

struct section_spec {
	const char *name;           /* "disk" stands for every [disk.NAME] */
	const struct key_spec *keys;
	size_t n_keys;
	key_fn any_key;             /* instead of keys: every key goes here */
};

#define KEYS(list) list, ARRAY_SIZE(list), NULL

static const struct section_spec sections[SECTION_COUNT] = {
	[SEC_VM] = { "vm", KEYS(vm_keys) },
	[SEC_DISK] = { "disk", KEYS(disk_keys) },
	[SEC_CDROM] = { "cdrom", KEYS(cdrom_keys) },
	[SEC_BOOT] = { "boot", KEYS(boot_keys) },
	[SEC_NETWORK] = { "network", KEYS(network_keys) },
	[SEC_DISPLAY] = { "display", KEYS(display_keys) },
	[SEC_AUDIO] = { "audio", KEYS(audio_keys) },
	[SEC_INPUT] = { "input", KEYS(input_keys) },
	[SEC_KEYS] = { "keys", NULL, 0, key_action },
	[SEC_KIOSK] = { "kiosk", KEYS(kiosk_keys) },
	[SEC_CLIPBOARD] = { "clipboard", KEYS(clipboard_keys) },
	[SEC_QEMU] = { "qemu", KEYS(qemu_keys) },
	[SEC_LIBVIRT] = { "libvirt", KEYS(libvirt_keys) },
	[SEC_CONNECTIONS] = { "connections", NULL, 0, key_connection },
};

/* "vm, disk.NAME, cdrom, ...", for messages. */
static char *section_list(void)
{
	const char *names[ARRAY_SIZE(sections)];
	for (size_t i = 0; i < ARRAY_SIZE(sections); i++)
		names[i] = strcmp(sections[i].name, "disk") == 0 ? "disk.NAME"
								 : sections[i].name;
	return str_join(names, ARRAY_SIZE(sections), ", ");
}

static void unknown_section(struct parser *p, const struct section *s)
{
	const char *names[ARRAY_SIZE(sections)];
	for (size_t i = 0; i < ARRAY_SIZE(sections); i++)
		names[i] = sections[i].name;
	const char *dot = strchr(s->name, '.');
	char *hint = NULL;
	if (dot) {
		/* "[disks.system]", "[dsk.system]": a misspelt disk. */
		char *head = xstrndup(s->name, (size_t)(dot - s->name));
		const char *disk[] = { "disk" };
		if (closest(head, disk, 1))
			hint = xasprintf(_("did you mean [disk%s]?"),
					 s->label + (dot - s->name));
		free(head);
	} else {
		const char *best = closest(s->name, names, ARRAY_SIZE(names));
		if (best && strcmp(best, "disk") != 0)
			hint = xasprintf(_("did you mean [%s]?"), best);
	}
	if (!hint) {
		char *list = section_list();
		hint = xasprintf(_("known sections: %s"), list);
		free(list);
	}
	problem(p, s->line, _("unknown section [%s] (%s)"), s->label, hint);
	free(hint);
}

static void unknown_key(struct parser *p, const struct section_spec *spec,
			const struct section *s, const struct entry *e)
{
	const char *names[16];
	size_t n = 0;
	for (size_t i = 0; i < spec->n_keys && n < ARRAY_SIZE(names); i++)
		names[n++] = spec->keys[i].name;
	const char *best = closest(e->key, names, n);
	char *hint;
	if (best) {
		hint = xasprintf(_("did you mean '%s'?"), best);
	} else {
		char *list = str_join(names, n, ", ");
		hint = xasprintf(_("known keys: %s"), list);
		free(list);
	}
	problem(p, e->line, _("unknown key '%s' in [%s] (%s)"), e->key, s->label,
		hint);
	free(hint);
}

/* Disk names become QEMU ids (and appear in menus): keep them simple. */
char *config_disk_name_problem(const char *name)
{
	const char *accepted = _("accepted: up to 32 letters, digits, '-' "
				 "and '_', starting with a letter");
	size_t len = name ? strlen(name) : 0;
	if (!len)
		return xasprintf(_("a disk needs a name (%s)"), accepted);
	if (len > 32)
		return xasprintf(_("the disk name '%.20s...' is longer than 32 "
				 "characters (%s)"), name, accepted);
	if (!isalpha((unsigned char)name[0]))
		return xasprintf(_("the disk name '%s' does not start with a "
				 "letter (%s)"), name, accepted);
	for (const char *c = name; *c; c++)
		if (!isalnum((unsigned char)*c) && *c != '-' && *c != '_')
			return isprint((unsigned char)*c)
			       ? xasprintf(_("the disk name '%s' contains '%c' "
					   "(%s)"), name, *c, accepted)
			       : xasprintf(_("the disk name contains the byte "
					   "0x%02x (%s)"), (unsigned char)*c,
					   accepted);
	return NULL;
}

static struct vm_disk *new_disk(struct parser *p, const struct section *s)
{
	struct vm_config *cfg = p->cfg;
	const char *name = s->label + strlen("disk.");
	char *why = config_disk_name_problem(name);
	if (why) {
		problem(p, s->line, "[%s]: %s", s->label, why);
		free(why);
	}
	for (size_t i = 0; i < cfg->n_disks; i++) {
		if (strcasecmp(cfg->disks[i].name, name) == 0) {
			problem(p, s->line, _("a disk named '%s' is already on "
				"line %d (disk names must differ)"),
				cfg->disks[i].name, cfg->disks[i].line);
			break;
		}
	}
	cfg->disks = xrealloc(cfg->disks, (cfg->n_disks + 1) * sizeof(*cfg->disks));
	struct vm_disk *d = &cfg->disks[cfg->n_disks++];
	*d = (struct vm_disk){
		.name = xstrdup(name),
		.format = FORMAT_AUTO,
		.interface = DISK_VIRTIO,
		.line = s->line,
	};
	return d;
}

static const struct section_spec *find_section_spec(const struct section *s)
{
	if (strncmp(s->name, "disk.", 5) == 0)
		return &sections[SEC_DISK];
	for (size_t i = 0; i < ARRAY_SIZE(sections); i++)
		if (i != SEC_DISK && strcmp(s->name, sections[i].name) == 0)
			return &sections[i];
	return NULL;
}

static const struct entry *find_entry(const struct parser *p,
				      const char *section, const char *key)
{
	for (size_t i = 0; i < p->n_secs; i++) {
		if (strcmp(p->secs[i].name, section) != 0)
			continue;
		for (size_t j = 0; j < p->secs[i].n; j++)
			if (strcmp(p->secs[i].entries[j].key, key) == 0)
				return &p->secs[i].entries[j];
	}
	return NULL;
}

/* The slot of e's key in its section: an index of spec->keys, or for
 * [keys] the action. -1 after reporting an unknown key. */
static int key_slot(struct parser *p, const struct section_spec *spec,
		    const struct section *s, const struct entry *e)
{
	if (spec->any_key == key_connection)
		return 0;   /* names are free; key_connection finds repeats */
	if (spec->any_key) {
		for (int a = SHORTCUT_NONE + 1; a < SHORTCUT_COUNT; a++)
			if (strcmp(shortcut_name((enum shortcut)a), e->key) == 0)
				return a;
		char *hint = action_hint(e->key);
		problem(p, e->line, _("unknown action '%s' in [%s] (%s)"), e->key,
			s->label, hint);
		free(hint);
		return -1;
	}
	for (size_t j = 0; j < spec->n_keys; j++)
		if (strcmp(spec->keys[j].name, e->key) == 0)
			return (int)j;
	unknown_key(p, spec, s, e);
	return -1;
}

#define MAX_SLOTS 64   /* more than the keys of any section */
_Static_assert(SHORTCUT_COUNT <= MAX_SLOTS, "an action is a slot of [keys]");

static void apply_section(struct parser *p, size_t index)
{
	const struct section *s = &p->secs[index];
	const struct section_spec *spec = find_section_spec(s);
	if (strcmp(s->name, "disk") == 0) {
		problem(p, s->line, _("[disk] needs a name: [disk.NAME], for "
			"example [disk.system]"));
		return;
	}
	if (p->user_file && spec != &sections[SEC_KEYS] &&
	    spec != &sections[SEC_CONNECTIONS]) {
		problem(p, s->line, _("unknown section [%s] (this file has only "
			"[keys] and [connections])"), s->label);
		return;
	}
	if (!p->user_file && spec == &sections[SEC_CONNECTIONS]) {
		problem(p, s->line, _("[connections] belongs in the user file "
			"vmplay.ini, not in a VM file (a VM file names one "
			"domain with [libvirt] uri and domain)"));
		return;
	}
	if (!spec) {
		unknown_section(p, s);
		return;
	}
	size_t sec = (size_t)(spec - sections);
	void *base = p->cfg;
	if (sec == SEC_DISK) {
		if (p->cfg->n_disks == MAX_DISKS) {
			problem(p, s->line, _("[%s]: too many disks (at most %d)"),
				s->label, MAX_DISKS);
			return;
		}
		base = new_disk(p, s);
	} else if (p->section_line[sec]) {
		problem(p, s->line, _("[%s] appears a second time (first on line "
			"%d); put its keys in one section"), s->label,
			p->section_line[sec]);
		return;
	}
	p->section_line[sec] = s->line;
	if (sec == SEC_CDROM) {
		p->cfg->has_cdrom = true;
		p->cfg->cdrom_line = s->line;
	}
	if (sec == SEC_LIBVIRT)
		p->cfg->libvirt_line = s->line;
	/* Where each key was first set, to name it in a repetition. */
	int first_line[MAX_SLOTS] = { 0 };
	for (size_t i = 0; i < s->n; i++) {
		const struct entry *e = &s->entries[i];
		int slot = key_slot(p, spec, s, e);
		if (slot < 0)
			continue;
		if (first_line[slot] && spec != &sections[SEC_CONNECTIONS]) {
			problem(p, e->line, _("%s: set a second time in [%s] "
				"(first on line %d)"), e->key, s->label,
				first_line[slot]);
			continue;
		}
		first_line[slot] = e->line;
		const struct key_spec any_key = { "", K_CUSTOM, 0, NULL, 0, 0,
						  spec->any_key };
		const struct key_spec *k = spec->any_key ? &any_key
							 : &spec->keys[slot];
		char *value = k->kind == K_SHELL ? xstrndup(e->value, e->value_len)
						 : plain_value(p, e);
		if (k->kind == K_SHELL && e->unclosed_quote) {
			free(value);
			value = NULL;
			problem(p, e->line, _("%s: unclosed %c quote (arguments "
				"are split like a shell would; no shell is run)"),
				e->key, e->unclosed_quote);
		}
		/* An empty value is the same as no key: the default holds. */
		if (value && *value)
			set_value(p, k, e, value, base);
		free(value);
	}
	/* A disk needs its file; a bad value was reported already. */
	if (spec == &sections[SEC_DISK] && !((struct vm_disk *)base)->file) {
		const struct entry *file = NULL;
		for (size_t i = 0; i < s->n; i++)
			if (strcmp(s->entries[i].key, "file") == 0)
				file = &s->entries[i];
		if (!file)
			problem(p, s->line, _("[%s] has no file (file = the path "
				"of its disk image)"), s->label);
		else if (!file->value_len)
			problem(p, file->line, _("file: is empty (the path of the "
				"disk image)"));
	}
}

/* Checks that span keys or sections, once everything is read. */
static void check_whole(struct parser *p)
{
	struct vm_config *cfg = p->cfg;
	const struct entry *e;
	if (!cfg->kernel) {
		if (cfg->initrd && (e = find_entry(p, "boot", "initrd")))
			problem(p, e->line, _("initrd: needs kernel in [boot] "
				"(direct kernel boot)"));
		if (cfg->append && (e = find_entry(p, "boot", "append")))
			problem(p, e->line, _("append: needs kernel in [boot] "
				"(the command line of a directly booted kernel)"));
	}
	if (cfg->net_mode == NET_NONE && cfg->n_forwards &&
	    (e = find_entry(p, "network", "forward")))
		problem(p, e->line, _("forward: needs mode = user in [network] "
			"(mode is none)"));
	if ((e = find_entry(p, "boot", "kernel")) && cfg->kernel)
		cfg->kernel_line = e->line;
	if ((e = find_entry(p, "boot", "initrd")) && cfg->initrd)
		cfg->initrd_line = e->line;
	if (!cfg->boot_order)
		cfg->boot_order = xstrdup(cfg->has_cdrom ? "cd" : "c");
	if (cfg->libvirt_line) {
		/* libvirt defines the domain's devices: a VM file that names a
		 * domain says only how to show it */
		static const int machine_sections[] = {
			SEC_DISK, SEC_CDROM, SEC_BOOT, SEC_NETWORK, SEC_AUDIO,
			SEC_KIOSK, SEC_QEMU };
		for (size_t i = 0; i < p->n_secs; i++) {
			const struct section_spec *spec =
				find_section_spec(&p->secs[i]);
			for (size_t k = 0; k < ARRAY_SIZE(machine_sections); k++)
				if (spec == &sections[machine_sections[k]])
					problem(p, p->secs[i].line, _("[%s] does not "
						"apply to a libvirt domain (libvirt "
						"defines its devices; this file has "
						"[libvirt] on line %d)"),
						p->secs[i].label, cfg->libvirt_line);
		}
		if (!cfg->libvirt_domain)
			problem(p, cfg->libvirt_line, _("[libvirt] needs domain "
				"(the domain's name, UUID or id)"));
	}
}

static void set_defaults(struct vm_config *cfg, const char *path)
{
	cfg->path = path_absolute(path);
	cfg->dir = path_dirname(cfg->path);
	char *base = path_basename(cfg->path);
	size_t len = strlen(base);
	if (len > 7 && strcmp(base + len - 7, ".vmplay") == 0)
		base[len - 7] = '\0';
	cfg->name = base;
	cfg->memory = 1ull << 30;
	cfg->cpus = 1;
	cfg->machine = MACHINE_Q35;
	cfg->accel = ACCEL_AUTO;
	cfg->firmware = FIRMWARE_BIOS;
	cfg->net_mode = NET_USER;
	cfg->net_model = NIC_E1000;
	cfg->display_device = DISPLAY_STD;
	cfg->scale = SCALE_FIT;
	cfg->audio_backend = AUDIO_AUTO;
	cfg->audio_device = SOUND_HDA;
	cfg->pointer = POINTER_TABLET;
	cfg->restart_delay_ms = 2000;
}

static void parser_free(struct parser *p)
{
	for (size_t i = 0; i < p->n_secs; i++) {
		for (size_t j = 0; j < p->secs[i].n; j++)
			free(p->secs[i].entries[j].key);
		free(p->secs[i].entries);
		free(p->secs[i].name);
		free(p->secs[i].label);
	}
	free(p->secs);
	for (size_t i = 0; i < p->n_msgs; i++)
		free(p->msgs[i].text);
	free(p->msgs);
}

/* keep: return the config even with problems (and *error set), so that
 * a caller can check what was read and report every problem at once. */
static struct vm_config *parse_text_keep(const char *path, const char *text,
					 size_t len, bool user_file, bool keep,
					 char **error)
{
	struct parser p = { .path = path, .user_file = user_file };
	*error = NULL;
	if (user_file && len == 0) {
		/* An empty settings file is fine; go on with no sections. */
	} else if (check_text(&p, text, len)) {
		scan(&p, text, len);
		if (!p.n_secs && !p.n_msgs && !user_file)
			problem(&p, 0, _("no [section] found; a VM file has "
				"sections such as [vm] and [disk.NAME] (see "
				"vmplay(5))"));
	}
	p.cfg = xcalloc(1, sizeof(*p.cfg));
	set_defaults(p.cfg, path);
	for (size_t i = 0; i < p.n_secs; i++)
		apply_section(&p, i);
	/* defaults that depend on other keys are decided when used */
	p.cfg->clipboard_given = find_entry(&p, "clipboard", "enabled") != NULL;
	p.cfg->resize_guest_given =
		find_entry(&p, "display", "resize-guest") != NULL;
	check_whole(&p);
	if (p.n_msgs) {
		*error = messages_join(&p);
		if (!keep) {
			config_destroy(p.cfg);
			p.cfg = NULL;
		}
	}
	struct vm_config *cfg = p.cfg;
	parser_free(&p);
	return cfg;
}

static struct vm_config *parse_text(const char *path, const char *text,
				    size_t len, bool user_file, char **error)
{
	return parse_text_keep(path, text, len, user_file, false, error);
}

struct vm_config *config_parse(const char *path, const char *text, size_t len,
			       char **error)
{
	return parse_text(path, text, len, false, error);
}

/* The user file at path parsed (its [keys] and [connections]); *cfg NULL
 * when it does not exist or cannot be read. false with *error (*cfg then
 * holds what did parse). */
static bool load_user_file(const char *path, struct vm_config **cfg,
			   char **error)
{
	*cfg = NULL;
	*error = NULL;
	if (!path_exists(path))
		return true;
	size_t len;
	char *text = read_file(path, MAX_FILE_SIZE, &len);
	if (!text) {
		*error = xasprintf(_("cannot read %s: %s"), path,
				   errno == EFBIG ? _("larger than 1 MiB")
						  : read_file_strerror(errno));
		return false;
	}
	/* kept on errors: the keys that parsed still work while every
	 * problem of the file is reported */
	*cfg = parse_text_keep(path, text, len, true, true, error);
	free(text);
	return *error == NULL;
}

bool config_load_user_keys(const char *path, struct vm_key **keys,
			   size_t *n_keys, char **error)
{
	struct vm_config *cfg;
	*keys = NULL;
	*n_keys = 0;
	bool ok = load_user_file(path, &cfg, error);
	if (cfg) {
		*keys = cfg->keys;
		*n_keys = cfg->n_keys;
		cfg->keys = NULL;
		cfg->n_keys = 0;
		config_destroy(cfg);
	}
	return ok;
}

char *config_user_file(void)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	/* The XDG spec: a relative XDG_CONFIG_HOME is invalid, ignore it. */
	if (xdg && xdg[0] == '/')
		return path_join(xdg, "vmplay/vmplay.ini");
	const char *home = getenv("HOME");
	if (!home || !*home)
		return NULL;
	return xasprintf("%s/.config/vmplay/vmplay.ini", home);
}

bool config_load_user_connections(const char *path,
				  struct vm_connection **list, size_t *n,
				  char **error)
{
	struct vm_config *cfg;
	*list = NULL;
	*n = 0;
	if (!load_user_file(path, &cfg, error)) {
		config_destroy(cfg);
		return false;
	}
	if (cfg) {
		*list = cfg->connections;
		*n = cfg->n_connections;
		cfg->connections = NULL;
		cfg->n_connections = 0;
		config_destroy(cfg);
	}
	return true;
}

void config_free_connections(struct vm_connection *list, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(list[i].name);
		free(list[i].uri);
	}
	free(list);
}

void config_free_keys(struct vm_key *keys, size_t n_keys)
{
	for (size_t i = 0; i < n_keys; i++) {
		free(keys[i].action);
		free(keys[i].spec);
	}
	free(keys);
}

struct vm_config *config_load(const char *path, char **error)
{
	*error = NULL;
	if (path_is_dir(path)) {
		*error = xasprintf(_("cannot read %s: it is a folder, not a VM file"),
				   path);
		return NULL;
	}
	/* The file is known by the path it was read from, links resolved:
	 * the trust decision and every relative path in it then refer to
	 * one place (a link to a trusted VM file plays that VM, with its
	 * disks, not files lying beside the link). */
	size_t len;
	char *real = NULL;
	char *text = read_file_real(path, MAX_FILE_SIZE, &len, &real);
	if (!text) {
		if (errno == EFBIG)
			*error = xasprintf(_("%s: too large for a VM file (at most "
					   "1 MiB)"), path);
		else
			*error = xasprintf(_("cannot read %s: %s"), path,
					   read_file_strerror(errno));
		return NULL;
	}
	struct vm_config *cfg = config_parse(real ? real : path, text, len,
					     error);
	free(real);
	free(text);
	return cfg;
}

void config_each_key(void (*fn)(const char *section, const char *key,
				void *data), void *data)
{
	for (size_t i = 0; i < ARRAY_SIZE(sections); i++) {
		/* the keys of a VM file that QEMU plays: [libvirt] makes
		 * another kind of file, [connections] is the user file's */
		if (i == SEC_LIBVIRT || i == SEC_CONNECTIONS)
			continue;
		const char *name = i == SEC_DISK ? "disk.NAME" : sections[i].name;
		if (!sections[i].n_keys)
			fn(name, NULL, data);
		for (size_t j = 0; j < sections[i].n_keys; j++)
			fn(name, sections[i].keys[j].name, data);
	}
}

bool config_clipboard(const struct vm_config *cfg)
{
	/* On where a desktop guest is likely (the virtio display that
	 * `vmplay new --os linux` picks) and never in kiosk mode. Elsewhere
	 * off, as it always was for those files: the agent's devices are
	 * part of the machine, and QEMU 7.2 restores a memory snapshot taken
	 * without them into a machine with them without a word, so the
	 * default never adds them to an existing VM file (vmplay new writes
	 * the key into new ones). Snapshots themselves work with the
	 * clipboard on (vm_agent.c). */
	if (cfg->clipboard_given)
		return cfg->clipboard;
	return !cfg->kiosk && cfg->display_device == DISPLAY_VIRTIO;
}

bool config_resize_guest(const struct vm_config *cfg)
{
	return cfg->resize_guest_given ? cfg->resize_guest
				       : cfg->display_device == DISPLAY_VIRTIO;
}

/* ---- Files the VM needs ---- */

static void check_file(struct strv *out, const struct vm_config *cfg,
		       int line, const char *what, const char *file,
		       bool writable, uint64_t create_size)
{
	char *where = line ? xasprintf("%s:%d", cfg->path, line)
			   : xstrdup(cfg->path);
	/* In the messages below the first %s is "FILE:LINE" of the VM
	 * file, the second what the file is for ("disk 'system'", cdrom,
	 * kernel, initrd), the third the file's path. */
	if (!path_exists(file)) {
		if (create_size) {
			char size[16], *q = shell_quote(file);
			format_size(create_size, size, sizeof(size));
			/* TRANSLATORS: "FILE:LINE", what the file is for
			 * ("disk 'system'", cdrom, kernel, initrd), the
			 * file's path; then the path and size again */
			strv_pushf(out, _("%s: %s: %s does not exist; create it "
				   "with `vmplay disk create %s %s`"), where,
				   what, file, q, size);
			free(q);
		} else {
			/* TRANSLATORS: "FILE:LINE", what the file is for
			 * ("disk 'system'", cdrom, kernel...), its path */
			strv_pushf(out, _("%s: %s: %s does not exist"), where, what,
				   file);
		}
	} else if (path_is_dir(file)) {
		strv_pushf(out, _("%s: %s: %s is a folder, not a file"), where,
			   what, file);
	} else if (access(file, R_OK) != 0) {
		strv_pushf(out, _("%s: %s: %s cannot be read (%s)"), where, what,
			   file, strerror(errno));
	} else if (writable && access(file, W_OK) != 0) {
		strv_pushf(out, _("%s: %s: %s is not writable (%s; set readonly "
			   "= true or change its permissions)"), where, what,
			   file, strerror(errno));
	}
	free(where);
}

bool config_check_files(const struct vm_config *cfg, char **error)
{
	struct strv out = { 0 };
	*error = NULL;
	for (size_t i = 0; i < cfg->n_disks; i++) {
		const struct vm_disk *d = &cfg->disks[i];
		/* TRANSLATORS: %s is a disk's name; this starts messages
		 * such as "disk 'system': /x.qcow2 does not exist" */
		char *what = xasprintf(_("disk '%s'"), d->name);
		check_file(&out, cfg, d->line, what, d->file, !d->readonly,
			   d->size);
		free(what);
	}
	if (cfg->cdrom_file)
		check_file(&out, cfg, cfg->cdrom_line, "cdrom", cfg->cdrom_file,
			   false, 0);
	if (cfg->kernel)
		check_file(&out, cfg, cfg->kernel_line, "kernel", cfg->kernel,
			   false, 0);
	if (cfg->initrd)
		check_file(&out, cfg, cfg->initrd_line, "initrd", cfg->initrd,
			   false, 0);
	if (!out.n)
		return true;
	*error = strv_join(&out, "\n");
	strv_free(&out);
	return false;
}

void config_destroy(struct vm_config *cfg)
{
	if (!cfg)
		return;
	free(cfg->path);
	free(cfg->dir);
	free(cfg->name);
	free(cfg->uuid);
	for (size_t i = 0; i < cfg->n_disks; i++) {
		free(cfg->disks[i].name);
		free(cfg->disks[i].file);
	}
	free(cfg->disks);
	free(cfg->cdrom_file);
	free(cfg->boot_order);
	free(cfg->kernel);
	free(cfg->initrd);
	free(cfg->append);
	free(cfg->forwards);
	config_free_keys(cfg->keys, cfg->n_keys);
	for (size_t i = 0; i < cfg->n_kiosk_allow; i++)
		free(cfg->kiosk_allow[i]);
	free(cfg->kiosk_allow);
	free(cfg->kiosk_pin);
	for (size_t i = 0; i < cfg->n_qemu_args; i++)
		free(cfg->qemu_args[i]);
	free(cfg->qemu_args);
	free(cfg->libvirt_uri);
	free(cfg->libvirt_domain);
	config_free_connections(cfg->connections, cfg->n_connections);
	free(cfg);
}
