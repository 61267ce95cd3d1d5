/* vmplay view NAME|FILE|FOLDER: a window on a VM that another vmplay runs
 * (vm/machine_viewer.h). A VM running headless gets a viewer window, and
 * closing it leaves the VM running; a VM with a window gets that window
 * raised; a VM that is off is an error that says how to start it. */
#ifndef VMPLAY_VIEW_H
#define VMPLAY_VIEW_H

#include "player/player.h"
#include "vm/config.h"

/* The subcommand (argv[0] is "view"); returns the exit status. */
int view_command(int argc, char **argv);

/* The window on cfg's VM, which the vmplay with process id holder_pid
 * runs headless; returns the exit status. Also what playing a VM file
 * that runs headless does. */
int view_headless(const struct vm_config *cfg, long holder_pid,
		  const struct play_options *opts);

#endif
