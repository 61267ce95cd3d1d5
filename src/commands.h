/* Entry points of the subcommands and play modes, called by main.c.
 * Each returns the process exit status. argv[0] is the subcommand's name. */
#ifndef VMPLAY_COMMANDS_H
#define VMPLAY_COMMANDS_H

#include "config.h"

#include <stdbool.h>

struct instance;
struct machine;

/* Options of the play path (vmplay [OPTIONS] FILE), overriding the file. */
struct play_options {
	const char *file;
	bool fullscreen;
	bool kiosk;
	bool trust;        /* run the parts of a VM file that could touch the host */
	/* This process's claim on the VM file (instance.h); the player serves
	 * its "raise" requests. NULL when not claimed. */
	struct instance *instance;
};

int cmd_new(int argc, char **argv);       /* cmd_new.c */
int cmd_disk(int argc, char **argv);      /* cmd_disk.c */
int cmd_snapshot(int argc, char **argv);  /* cmd_snapshot.c */
int cmd_check(int argc, char **argv);     /* cmd_check.c */

/* Prints the QEMU command line of cfg, shell-quoted (dryrun.c). */
int dry_run(const struct vm_config *cfg);
/* Runs the VM without a window until it powers off (headless.c). */
int headless_run(const struct vm_config *cfg);
/* Plays the VM in a window (player.c). */
int player_run(const struct vm_config *cfg, const struct play_options *opts);
/* The same with a machine made elsewhere (a libvirt domain), which the
 * player takes over; NULL: QEMU for cfg, as player_run. */
int player_play(const struct vm_config *cfg, const struct play_options *opts,
		struct machine *machine);

#endif
