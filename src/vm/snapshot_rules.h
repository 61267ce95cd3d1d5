/* The rules every snapshot command follows, offline (vmplay snapshot) and
 * from the menu (QMP), so that a command never acts on the wrong snapshot
 * or on half of the disks:
 *
 *  - Names: not empty, at most 255 bytes (QEMU's limit), no control
 *    characters (a newline or ESC would garble every list and terminal
 *    that shows the name).
 *  - Taking: the name must not be the name or the numeric id of any
 *    snapshot on any of the VM's disks: QEMU looks a word up as an id or a
 *    name, whichever comes first in a disk's list.
 *  - Restoring and deleting: on every disk, the first snapshot QEMU's
 *    lookup finds for the name must be the one so named; else the command
 *    is refused (a snapshot named "2" on one disk and id 2 on another).
 *  - One command at a time per VM: snapshot_lock (a lock file in the
 *    runtime folder, keyed by the VM file's real path as instance.h does).
 *
 * Names made by other tools may hold anything: snapshot_name_shown makes
 * them safe to print. */
#ifndef VMPLAY_SNAPSHOT_RULES_H
#define VMPLAY_SNAPSHOT_RULES_H

#include "vm/disk.h"

#include <stdbool.h>
#include <stddef.h>

#define SNAPSHOT_NAME_MAX 255

/* One disk's snapshots, as QEMU lists them (list order matters). */
struct snapshot_disk {
	const char *label;                 /* for messages: "disk 'system'" */
	const struct disk_snapshot *list;
	size_t n;
};

/* Why name cannot name a snapshot, or NULL. Caller frees. */
char *snapshot_name_problem(const char *name);

/* name with control characters and backslashes written as \xNN and \\
 * (so that it prints as one harmless line). Caller frees. */
char *snapshot_name_shown(const char *name);

/* Why no disk may take a new snapshot called name (see above), or NULL.
 * Caller frees. */
char *snapshot_take_conflict(const struct snapshot_disk *disks, size_t n,
			     const char *name);

/* Why looking name up (by QEMU: -a, -d, snapshot-load, snapshot-delete)
 * could find another snapshot than the one so named on some disk, or
 * NULL. Disks without a snapshot of that name are skipped. Caller frees. */
char *snapshot_lookup_problem(const struct snapshot_disk *disks, size_t n,
			      const char *name);

/* The per-VM snapshot lock. wait: block until it is free (printing
 * nothing); else fail at once when another process holds it. Returns the
 * lock's descriptor, or -1 with *error (malloc'd). */
int snapshot_lock(const char *vm_path, bool wait, char **error);
void snapshot_unlock(int fd);   /* accepts -1 */

#endif
