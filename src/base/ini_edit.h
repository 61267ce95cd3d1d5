/* The INI grammar of VM files, shared by the reader (config.c) and the
 * editor below, so that what one reads is what the other edits.
 *
 * A line is blank, a comment (first non-blank character ';' or '#'), a
 * section header "[name]" (optionally followed by a comment), or
 * "key = value". In a value, ';' or '#' at its start or after a blank starts
 * a comment, unless it is inside a quoted word ('...' or "..." opened at the
 * start of a word).
 *
 * The editor changes a VM file's text while keeping every other line byte
 * for byte: comments, blank lines, order, spacing and line endings. */
#ifndef VMPLAY_INI_EDIT_H
#define VMPLAY_INI_EDIT_H

#include <stdbool.h>
#include <stddef.h>

enum ini_line_kind { INI_BLANK, INI_COMMENT, INI_SECTION, INI_KEY, INI_BAD };

/* Why a line is INI_BAD. */
enum ini_bad_reason {
	INI_BAD_NONE,
	INI_BAD_NOT_INI,        /* neither [section] nor key = value */
	INI_BAD_UNCLOSED,       /* "[name" without ']' */
	INI_BAD_TRAILER,        /* "[name] text": text that is not a comment */
	INI_BAD_EMPTY_SECTION,  /* "[]" */
	INI_BAD_EMPTY_KEY,      /* "= value" */
};

/* One lexed line. The pointers point into the line given to ini_lex_line. */
struct ini_line {
	enum ini_line_kind kind;
	enum ini_bad_reason bad;
	const char *name;       /* section name or key, blanks trimmed */
	size_t name_len;
	const char *value;      /* INI_KEY: the value without its comment, */
	size_t value_len;       /* blanks trimmed; quotes are kept */
	const char *trailer;    /* INI_BAD_TRAILER: the unexpected text */
	size_t trailer_len;
	char unclosed_quote;    /* INI_KEY: a quote left open ('\'' or '"'), or 0 */
};

/* Lexes one line (without its '\n'; a trailing '\r' is ignored). */
void ini_lex_line(const char *line, size_t len, struct ini_line *out);

/* A value as it must follow "key = " to read back as exactly value: as it
 * is when possible, else in quotes (the reader takes a quoted value
 * verbatim). NULL for what a VM file cannot hold: control characters, or a
 * value that needs quotes and holds both kinds. Caller frees. */
char *ini_encode_value(const char *value);

/* The editor. */
struct ini_doc;

/* The largest file the editor reads or writes: what config.c reads. */
#define INI_EDIT_MAX_SIZE (1u << 20)

/* Reads a file (at most 1 MiB, text: a NUL byte is refused, as it would
 * cut its line short) for editing. NULL with *error (malloc'd, naming the
 * file) on failure. */
struct ini_doc *ini_edit_load(const char *path, char **error);
/* Takes text as it would be read from a file; len bytes, no NUL needed. */
struct ini_doc *ini_edit_parse(const char *text, size_t len);
void ini_edit_destroy(struct ini_doc *doc);   /* accepts NULL */

/* Sets key in section (names compare case-insensitively, as the reader
 * does). An existing "key = ..." line gets the new value in place, keeping
 * its indentation, spacing and inline comment; a new key goes after the
 * section's last key; a missing section is added at the end. The value is
 * quoted when it would otherwise not read back the same. Returns false (and
 * changes nothing) when the value cannot be written: a newline or NUL in it,
 * or needing quotes while holding both quote characters. */
bool ini_edit_set(struct ini_doc *doc, const char *section, const char *key,
		  const char *value);
/* The value of the first "key = ..." line of key in section, as the
 * reader takes it (blanks and comment gone; a value in quotes without
 * them), malloc'd; NULL when there is none. *line (if given) gets its
 * line number, from 1. */
char *ini_edit_get(const struct ini_doc *doc, const char *section,
		   const char *key, int *line);
/* Removes every "key = ..." line of key in section; false if there was none. */
bool ini_edit_remove(struct ini_doc *doc, const char *section, const char *key);
/* Adds "[section]" at the end (after a blank line); false if it exists. */
bool ini_edit_add_section(struct ini_doc *doc, const char *section);
bool ini_edit_has_section(const struct ini_doc *doc, const char *section);

/* The whole text. Caller frees; *len (if given) gets its length. */
char *ini_edit_text(const struct ini_doc *doc, size_t *len);
/* Writes the text to path atomically, replacing the file and keeping its
 * owner and mode (write_file_atomic; nothing is left behind when killed,
 * see temp_files.h). Refuses, changing nothing, with *error (malloc'd):
 * text over 1 MiB (vmplay would not read it back), a file that is not
 * regular, a read-only file (no write bit, as 0444, even for root), and
 * a file with other hard links (the save would split them). */
bool ini_edit_save(const struct ini_doc *doc, const char *path, char **error);
/* The same rules and write for a whole new text of the file at path (an
 * editor that builds the text itself, such as vm/settings.c). */
bool ini_edit_write(const char *path, const char *text, size_t len,
		    char **error);

#endif
