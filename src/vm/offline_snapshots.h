/* Internal snapshots of a VM's disks while the VM is off, through qemu-img:
 * the one implementation behind `vmplay snapshot` (cli/cmd_snapshot.c) and
 * the Snapshots page of the stopped player (vm_actions without a session).
 *
 * Every writable disk takes part: a snapshot is taken on all of them or,
 * if one fails, removed again from those that took it. Read-only disks
 * never change, so they are left out. A running VM holds its images'
 * locks, which makes opening fail with "in use by a running VM" before
 * anything changes.
 *
 * Names follow snapshot_rules.h (one line, never another snapshot's id,
 * never resolved to another snapshot), and a handle that changes
 * snapshots holds the VM's snapshot lock from open to close, so commands
 * on one VM (here, the CLI, the menu) run one at a time.
 *
 * Errors are malloc'd, one line per problem, without a program prefix
 * (the caller adds "vmplay snapshot: " or shows them in a toast). */
#ifndef VMPLAY_OFFLINE_SNAPSHOTS_H
#define VMPLAY_OFFLINE_SNAPSHOTS_H

#include "vm/config.h"
#include "vm/disk.h"

#include <stdbool.h>
#include <stddef.h>

struct offline_snaps;

/* How open takes the VM's snapshot lock (snapshot_rules.h). */
enum offline_lock {
	OFFLINE_READ_ONLY,   /* no lock: for listing; take, restore and
				delete then refuse */
	OFFLINE_LOCK_WAIT,   /* wait until another command is done */
	OFFLINE_LOCK_TRY,    /* fail at once when one is at work */
};

/* Takes the lock as asked, then reads every writable disk's image.
 * all_qcow2: refuse a disk that cannot hold snapshots, naming it. cfg is
 * borrowed. NULL with *error. */
struct offline_snaps *offline_snaps_open(const struct vm_config *cfg,
					 bool all_qcow2, enum offline_lock lock,
					 char **error);
void offline_snaps_close(struct offline_snaps *o);   /* accepts NULL */

/* The writable disks and their images, in file order. */
size_t offline_snaps_count(const struct offline_snaps *o);
const struct vm_disk *offline_snaps_disk(const struct offline_snaps *o,
					 size_t i);
const struct disk_info *offline_snaps_info(const struct offline_snaps *o,
					   size_t i);

/* Why no disk may take a snapshot called name (a bad name, or one any
 * disk has as a snapshot's name or id), or NULL. Caller frees. */
char *offline_snaps_name_taken(const struct offline_snaps *o, const char *name);
/* The date and time ("2026-11-27 10:42:05"), with "-2", "-3"... when
 * taken. Caller frees. */
char *offline_snaps_auto_name(const struct offline_snaps *o);

/* All or nothing. */
bool offline_snaps_take(struct offline_snaps *o, const char *name,
			char **error);
/* Every disk must have the snapshot, and the name must pick it on every
 * disk, else nothing changes. *had_ram: the
 * snapshot also held the VM's memory (the VM boots afresh anyway). */
bool offline_snaps_restore(struct offline_snaps *o, const char *name,
			   bool *had_ram, char **error);
/* From every disk that has it (where the name picks it); false when none
 * has it, the name is ambiguous on a disk, or one failed. */
bool offline_snaps_delete(struct offline_snaps *o, const char *name,
			  char **error);

#endif
