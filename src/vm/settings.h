/* Changing a VM file's settings: the one place that says which settings a
 * person changes (the Settings page of the player and the library, and
 * `vmplay get`), and how any change is written (the page and `vmplay set`):
 *
 *   - the edits are made with ini_edit on a copy in memory, so every
 *     other line (comments, blank lines, order, spacing) stays as it was;
 *   - the copy is read back with config.c's own reader (config_parse),
 *     plus an optional extra check (the [keys] bindings, which the player
 *     layer parses; main.c installs it); any problem that the file did not
 *     already have refuses the whole change, with the reader's
 *     "FILE:LINE: ..." message;
 *   - only then is the file replaced, atomically.
 *
 * A running VM reads its file only at start: a change applies at the next
 * start (callers say so). */
#ifndef VMPLAY_SETTINGS_H
#define VMPLAY_SETTINGS_H

#include "vm/config.h"

#include <stdbool.h>
#include <stddef.h>

enum setting_kind {
	SETTING_TEXT,      /* typed; checked by the reader */
	SETTING_PATH,      /* typed file path (Tab completes); empty: none */
	SETTING_CHOICE,    /* one of choices[] */
	SETTING_BOOL,      /* "true" / "false" */
};

/* One setting a person changes from the Settings page. */
struct setting {
	const char *section;     /* "vm" */
	const char *key;         /* "memory" */
	const char *label;       /* "Memory"; label and hint are English
				  * (N_): show them through _() */
	enum setting_kind kind;
	const char *const *choices;  /* SETTING_CHOICE: NULL-terminated */
	const char *hint;        /* what is accepted, for the page */
	/* The value in effect for cfg (the default when the file has none),
	 * written as the file would hold it. Caller frees. */
	char *(*current)(const struct vm_config *cfg, const struct setting *s);
};

/* The settings in page order. */
size_t settings_list(const struct setting **list);
/* "vm.memory", "keys.menu", case-insensitive; NULL when not in the list. */
const struct setting *settings_find(const char *section, const char *key);

/* One change: value NULL removes the key (the default applies again). */
struct setting_edit {
	char *section;
	char *key;
	char *value;
};

/* Splits "SECTION.KEY=VALUE" (the section may hold a dot, as in
 * disk.NAME.size: the key is after the last dot before '='). false with
 * *error (malloc'd) when it is not of that form. Free with
 * settings_edit_free. */
bool settings_parse_assignment(const char *arg, struct setting_edit *out,
			       char **error);
/* Splits "SECTION.KEY" the same way. */
bool settings_parse_name(const char *arg, char **section, char **key,
			 char **error);
void settings_edit_free(struct setting_edit *e);

/* A check beyond the reader's, of a VM file that read well: false with
 * *error ("FILE:LINE: ..." lines, malloc'd). */
typedef bool (*settings_check_fn)(const struct vm_config *cfg, char **error);
void settings_set_extra_check(settings_check_fn fn);

/* Applies the edits to the VM file at path and writes it (atomically)
 * when the result reads without a new problem. false with *error
 * (malloc'd; one line per problem, "FILE:LINE: ...") and the file
 * untouched otherwise; *invalid says whether the edits were at fault
 * (a bad value or key) rather than the file system. */
bool settings_write(const char *path, const struct setting_edit *edits,
		    size_t n, bool *invalid, char **error);
/* The same without writing: whether the edits would be taken. */
bool settings_check(const char *path, const struct setting_edit *edits,
		    size_t n, char **error);
/* One edit, for the page. */
bool settings_write_one(const char *path, const char *section,
			const char *key, const char *value, char **error);

/* The value of SECTION.KEY for `vmplay get`: as written in the file when
 * it is there, else the value in effect (from the list above) when cfg is
 * given. NULL when neither: *error says why. Caller frees. */
char *settings_get(const char *path, const struct vm_config *cfg,
		   const char *section, const char *key, char **error);

#endif
