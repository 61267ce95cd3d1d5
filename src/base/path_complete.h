/* Paths a person types into a text field (the menu's ISO and disk fields,
 * the wizard): resolving them and completing them with Tab. File-system
 * code with no window, so every front-end shares it. */
#ifndef VMPLAY_PATH_COMPLETE_H
#define VMPLAY_PATH_COMPLETE_H

#include "base/util.h"

/* Tab completion of a path typed into a field. base_dir resolves relative
 * input; "~/" means $HOME. Returns the completed input (caller frees): the
 * longest common prefix of every entry starting with what was typed, with
 * '/' after a single folder. Every match (names, folders with '/') is
 * pushed to matches, sorted. Hidden entries only match a typed '.'. */
char *path_complete(const char *input, const char *base_dir,
		    struct strv *matches);
/* input made absolute ("~/" expanded, relative to base_dir). Caller frees. */
char *path_resolve_typed(const char *input, const char *base_dir);
/* Pushes the full path of every entry of dir whose name ends in suffix
 * (case-insensitive: ".iso" finds X.ISO), sorted. Nothing when dir cannot
 * be read. */
void path_list_suffix(const char *dir, const char *suffix, struct strv *out);

#endif
