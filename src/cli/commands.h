/* Entry points of the subcommands and the windowless play modes, called
 * by main.c (the window is player/player.h).
 * Each returns the process exit status. argv[0] is the subcommand's name. */
#ifndef VMPLAY_COMMANDS_H
#define VMPLAY_COMMANDS_H

#include "vm/config.h"

#include <stdbool.h>

int cmd_new(int argc, char **argv);       /* cmd_new.c */
int cmd_disk(int argc, char **argv);      /* cmd_disk.c */
int cmd_snapshot(int argc, char **argv);  /* cmd_snapshot.c */
int cmd_check(int argc, char **argv);     /* cmd_check.c */
int cmd_set(int argc, char **argv);       /* cmd_set.c */
int cmd_get(int argc, char **argv);       /* cmd_set.c */
int cmd_import(int argc, char **argv);    /* cmd_import.c */
int cmd_list(int argc, char **argv);      /* cmd_list.c */

/* vmplay check's audio line for QEMU's backends (a quoted list), whether
 * pa is one, and what audio backend = auto picks; *ok false makes it a
 * warning (no sound output found: it says what to install or start). */
char *check_audio_line(const char *backends, bool has_pa,
		       enum audio_backend auto_uses, bool *ok);

/* Prints the QEMU command line of cfg, shell-quoted (dryrun.c). */
int dry_run(const struct vm_config *cfg);
/* Runs the VM without a window until it powers off (headless.c). */
struct instance;
int headless_run(const struct vm_config *cfg, struct instance *instance);

#endif
