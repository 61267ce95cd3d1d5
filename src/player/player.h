/* The player: a window on one VM (its guest's screen, keyboard and
 * pointer, the overlay menu and the shortcuts); when the VM stops, the
 * window stays with the stopped screen (Run starts it again) unless
 * exit_on_poweroff. main.c calls it after reading the VM file. */
#ifndef VMPLAY_PLAYER_H
#define VMPLAY_PLAYER_H

#include "vm/config.h"

#include <stdbool.h>

struct instance;
struct machine;

/* Options of the play path (vmplay [OPTIONS] FILE), overriding the file. */
struct play_options {
	const char *file;
	bool fullscreen;
	bool kiosk;
	bool trust;        /* run the parts of a VM file that could touch the host */
	/* close the window when the guest powers off (else it stays, stopped,
	 * offering Run); also [display] exit-on-poweroff */
	bool exit_on_poweroff;
	/* Offer Library on the stopped screen: it starts `vmplay` without a
	 * file (the library window, which raises itself when it is open
	 * already) and closes this window. main.c sets it when this build
	 * has the library window. */
	bool library;
	/* This process's claim on the VM file (instance.h); the player serves
	 * its "raise" requests. NULL when not claimed. */
	struct instance *instance;
};

/* Plays the VM in a window; returns the process exit status. */
int player_run(const struct vm_config *cfg, const struct play_options *opts);
/* The same with a machine made elsewhere (a libvirt domain, see
 * vm/machine.h), which the player takes over; NULL: QEMU for cfg, as
 * player_run. */
int player_play(const struct vm_config *cfg, const struct play_options *opts,
		struct machine *machine);

#endif
