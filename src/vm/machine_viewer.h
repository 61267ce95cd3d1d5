/* The machine (machine.h) of `vmplay view`: a QEMU that another vmplay
 * runs without a window (--headless). The window takes QEMU's second
 * monitor (QEMU_VIEWER_SOCKET in the runtime folder) and gets its picture
 * through it; the vmplay that runs the VM keeps the first monitor, QEMU's
 * life and the snapshot and media work. So this engine pauses, resumes,
 * resets, shuts down and forces off, follows the state from QEMU's
 * events, and leaves the VM running when the window closes. Snapshots it
 * asks of the owner over its instance socket (snapshot_requests.h), as
 * `vmplay snapshot take` would, and lists them from the images; media it
 * refuses with a note that says where they are changed. */
#ifndef VMPLAY_MACHINE_VIEWER_H
#define VMPLAY_MACHINE_VIEWER_H

#include "vm/config.h"
#include "vm/machine.h"

/* Connects to the viewer monitor in runtime_dir. cfg is borrowed (it
 * must outlive the machine); holder_pid names the vmplay that runs the
 * VM, for messages. NULL with *error (malloc'd) when the monitor does not
 * answer (a viewer window is open already, or the VM was started by a
 * vmplay without one). */
struct machine *machine_viewer_open(const struct vm_config *cfg,
				    const char *runtime_dir, long holder_pid,
				    char **error);

#endif
