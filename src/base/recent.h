/* Recently used files (the ISOs inserted from the menu): a small text file,
 * one absolute path per line, most recent first, under the user's state
 * folder ($XDG_STATE_HOME/vmplay, default ~/.local/state/vmplay). Written
 * atomically; a missing file is an empty list. */
#ifndef VMPLAY_RECENT_H
#define VMPLAY_RECENT_H

#include "base/util.h"

#include <stdbool.h>
#include <stddef.h>

/* Most entries kept. */
#define RECENT_MAX 10

/* $XDG_STATE_HOME/vmplay/NAME (XDG_STATE_HOME only when absolute), else
 * $HOME/.local/state/vmplay/NAME; NULL without either. Caller frees. */
char *recent_path(const char *name);

/* Parses the file's text into list (appended): one path per line, blank
 * lines, relative paths and duplicates skipped, at most max entries. */
void recent_parse(const char *text, size_t len, struct strv *list,
		  size_t max);
/* Moves (or adds) item to the front, keeping at most max entries. */
void recent_push(struct strv *list, const char *item, size_t max);
/* The file's text for list. Caller frees. */
char *recent_format(const struct strv *list);

/* Reads path (missing: empty list). */
void recent_load(const char *path, struct strv *list, size_t max);
/* Writes list to path atomically, creating its folder (0700). false (and
 * logged) on failure. */
bool recent_save(const char *path, const struct strv *list);

#endif
