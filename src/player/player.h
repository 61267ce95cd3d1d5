/* The player: a window on one running VM (its guest's screen, keyboard and
 * pointer, the overlay menu and the shortcuts), for as long as the VM runs.
 * main.c calls it after reading the VM file. */
#ifndef VMPLAY_PLAYER_H
#define VMPLAY_PLAYER_H

#include "vm/config.h"

#include <stdbool.h>

struct instance;

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

/* Plays the VM in a window; returns the process exit status. */
int player_run(const struct vm_config *cfg, const struct play_options *opts);

#endif
