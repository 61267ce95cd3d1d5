/* What the menu and the shortcuts do to a VM: snapshots of the running VM
 * (RAM and disks), removable media, disks, power and keys. Driven by QMP
 * (through a vm_session) and qemu-img (disk.c); no window needed, so every
 * action is tested headless against real QEMU.
 *
 * Use from an event loop:
 *   - vm_actions_create with the VM's config and its session (the session
 *     may be NULL or replaced later with vm_actions_set_session);
 *   - forward every QMP event the session reports (listener.event) to
 *     vm_actions_handle_event: the snapshot jobs finish through
 *     JOB_STATUS_CHANGE events, so a long save never blocks the loop;
 *   - results arrive through the listener: notes are toast texts ("Snapshot
 *     2026-11-27 10:42 taken in 1.8 s", or QEMU's own error message), and
 *     changed() says the snapshot/disk/media data was refreshed.
 *
 * Snapshots use QEMU's job commands (snapshot-save/-load/-delete) on the
 * block nodes qemu_args.c names ("disk<i>", plus "efivars" with UEFI):
 * every writable disk takes part, the VM state goes to the first one.
 * Every writable disk must be qcow2; otherwise the action fails before
 * anything is sent, naming the disk. An existing name is never overwritten.
 * Only one snapshot job runs at a time. */
#ifndef VMPLAY_VM_ACTIONS_H
#define VMPLAY_VM_ACTIONS_H

#include "vm/config.h"
#include "vm/disk.h"
#include "vm/vm_session.h"

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

enum vm_note {
	VM_NOTE_INFO,       /* a result */
	VM_NOTE_ERROR,      /* a failure, with QEMU's or qemu-img's message */
	VM_NOTE_PROGRESS,   /* something slow started ("Taking snapshot X…");
			     * the next INFO/ERROR is its result */
};

struct vm_actions_listener {
	void (*note)(void *user, enum vm_note kind, const char *text);
	/* Snapshot list, disk list or the inserted medium changed. */
	void (*changed)(void *user);
	void *user;
	/* A restore needs the VM restarted (a snapshot without memory
	 * state, or one some disk lacks): stop QEMU, call
	 * vm_actions_set_session(a, NULL) once it is off (that restores the
	 * disks), then start it again. Return false when the owner cannot
	 * (kiosk mode): the restore is refused with a note. NULL: never. */
	bool (*restart)(void *user);
};

/* One snapshot as the menu lists it. A snapshot is "partial" when some
 * disk taking part lacks it (a disk attached after it was taken):
 * restoring it puts back the disks that have it, leaves the others as they
 * are and restarts the VM without the memory state (which belongs to a
 * machine without those disks). */
struct vm_snapshot {
	struct disk_snapshot s;   /* from the first disk that has it (the
				     one holding the VM state, if any) */
	char *missing;            /* NULL on every disk; else the disks
				     without it: "'data'", "'data', 'logs'" */
};

enum vm_snapshot_kind {
	VM_SNAPSHOT_FULL,         /* memory and disks: restored in place */
	VM_SNAPSHOT_DISKS,        /* disks only: the VM restarts from them */
	VM_SNAPSHOT_PARTIAL,      /* not on every disk: restarts, see above */
};
enum vm_snapshot_kind vm_snapshot_kind(const struct vm_snapshot *s);
/* "memory + disks", "disks only", "partial: not on 'data'". Caller frees. */
char *vm_snapshot_kind_text(const struct vm_snapshot *s);
/* What restoring it does, for the confirmation. Caller frees. */
char *vm_snapshot_restore_effect(const struct vm_snapshot *s);

/* One disk as the Disks page shows it. */
struct vm_actions_disk {
	char *name;           /* [disk.NAME] */
	char *file;           /* absolute path */
	char *format;         /* "qcow2", ...; NULL when unknown */
	uint64_t virtual_size;   /* bytes, 0 unknown */
	uint64_t used_size;      /* bytes on the host, 0 unknown */
	bool next_boot;       /* created from the menu: attached at next boot */
};

struct vm_actions;

/* cfg and session are borrowed (cfg must outlive the actions). session may
 * be NULL (the VM is off). */
struct vm_actions *vm_actions_create(const struct vm_config *cfg,
				     struct vm_session *session,
				     const struct vm_actions_listener *listener);
/* Accepts NULL. Replies still outstanding are dropped quietly. */
void vm_actions_destroy(struct vm_actions *a);

/* A new session (a restarted VM) or NULL (the VM is off); a snapshot job of
 * the old one is forgotten. NULL with a restore waiting for the restart
 * (listener.restart) restores the disks now. */
void vm_actions_set_session(struct vm_actions *a, struct vm_session *session);

/* Every QMP event of the session (from vm_session_listener.event). */
void vm_actions_handle_event(struct vm_actions *a, const char *event,
			     struct json_object *data);

/* "Taking snapshot X…" while a snapshot job runs, else NULL. */
const char *vm_actions_busy(const struct vm_actions *a);
/* Nothing running and no reply outstanding (tests wait for this). */
bool vm_actions_idle(const struct vm_actions *a);

/* ---- snapshots ---- */

/* Why this VM cannot take snapshots (a disk that is not qcow2, no
 * writable disk), or NULL when it can. Caller frees. */
char *vm_actions_snapshot_blocker(const struct vm_actions *a);
/* name NULL: named by the date and time ("2026-11-27 10:42"). */
void vm_actions_snapshot_take(struct vm_actions *a, const char *name);
/* A snapshot with memory state on every disk is loaded in place; any
 * other restarts the VM (listener.restart) and is restored while it is
 * off; with the VM off it is restored at once (qemu-img). */
void vm_actions_snapshot_restore(struct vm_actions *a, const char *name);
void vm_actions_snapshot_delete(struct vm_actions *a, const char *name);

/* Reads the snapshot list and the disks' sizes again (QMP while the VM
 * runs, qemu-img while it is off); changed() follows. */
void vm_actions_refresh(struct vm_actions *a);
/* The VM's snapshots (on any taking-part disk; see struct vm_snapshot),
 * oldest first; false until the first refresh answered. */
bool vm_actions_snapshots_known(const struct vm_actions *a);
size_t vm_actions_snapshots(const struct vm_actions *a,
			    const struct vm_snapshot **list);
/* The same list as the machine seam (machine.h) has it: plain snapshots,
 * in *storage (the caller's, replaced at each call, freed by the caller),
 * pointing into the actions' own names and dates. */
size_t vm_actions_snapshots_plain(const struct vm_actions *a,
				  struct disk_snapshot **storage,
				  const struct disk_snapshot **list);
bool vm_actions_disks_known(const struct vm_actions *a);
size_t vm_actions_disks(const struct vm_actions *a,
			const struct vm_actions_disk **list);

/* ---- media ---- */

/* The medium in the CD drive (absolute path) or NULL. */
const char *vm_actions_cdrom(const struct vm_actions *a);
/* Inserts an ISO into the CD drive (blockdev-change-medium). On success it
 * is remembered in the recent list and written into the VM file's [cdrom]
 * file (every other line kept). */
void vm_actions_media_insert(struct vm_actions *a, const char *path);
/* Ejects the medium and empties [cdrom] file in the VM file. */
void vm_actions_media_eject(struct vm_actions *a);
/* Recently used ISOs that still exist, most recent first (owned by a). */
size_t vm_actions_recent_isos(const struct vm_actions *a,
			      const char *const **list);

/* ---- disks ---- */

/* Creates DIR/NAME.EXT (format: "qcow2", "raw", "vdi", "vmdk") of size
 * bytes and adds [disk.NAME] to the VM file: attached at next boot. Never
 * overwrites a file or an existing section. Synchronous (qemu-img create
 * takes milliseconds). */
bool vm_actions_disk_create(struct vm_actions *a, const char *name,
			    const char *format, uint64_t size);
/* Grows a disk to size bytes while the VM is off; refused while running. */
bool vm_actions_disk_grow(struct vm_actions *a, const char *name,
			  uint64_t size);

/* ---- power and keys ---- */

void vm_actions_pause_toggle(struct vm_actions *a);
void vm_actions_reset(struct vm_actions *a);
void vm_actions_shutdown(struct vm_actions *a);    /* ACPI power button */
void vm_actions_force_off(struct vm_actions *a);
/* Presses keys in order and releases them in reverse (QMP send-key, so it
 * works without a window). label names them in the note ("Ctrl+Alt+Del");
 * NULL: no note on success. */
void vm_actions_send_keys(struct vm_actions *a, const uint16_t *qnums,
			  size_t n_keys, const char *label);
void vm_actions_ctrl_alt_del(struct vm_actions *a);

/* ---- pure parts, for tests ---- */

/* "2026-11-27 10:42" for local time t; when taken (n names) has it,
 * "2026-11-27 10:42 (2)", (3), ... */
char *vm_actions_snapshot_name(time_t t, const char *const *taken, size_t n);

/* The message for a VM whose writable disks cannot hold snapshots, given
 * each disk's format (index-aligned with cfg->disks; FORMAT_AUTO: unknown),
 * or NULL when every writable disk is qcow2. Caller frees. */
char *vm_actions_blocker_for(const struct vm_config *cfg,
			     const enum disk_format *formats);

/* The snapshots in query-named-block-nodes' answer that any node in
 * nodes has, oldest first, with the data of the first node that has it
 * (nodes[0] holds the VM state); missing names the nodes without it by
 * labels (index-aligned with nodes; NULL: the node names). Returns how
 * many (*out malloc'd; free with vm_actions_free_snapshots); sizes of the
 * named disks into sizes (index-aligned with nodes, may be NULL). */
struct vm_node_size {
	char *format;
	uint64_t virtual_size, used_size;
	bool found;
};
size_t vm_actions_parse_nodes(struct json_object *nodes,
			      const char *const *node_names,
			      const char *const *labels, size_t n_nodes,
			      struct vm_snapshot **out,
			      struct vm_node_size *sizes);
void vm_actions_free_snapshots(struct vm_snapshot *list, size_t n);
/* The union of per-disk snapshot lists (lists[i] has counts[i] entries),
 * as vm_actions_parse_nodes describes; the lists are left as they are. */
size_t vm_actions_merge_snapshots(const struct disk_snapshot *const *lists,
				  const size_t *counts,
				  const char *const *labels, size_t n_lists,
				  struct vm_snapshot **out);

/* send-key's arguments for QEMU key numbers ("qnum": XT scan codes, see
 * player/keymap.h); NULL with *error (malloc'd) when a key is 0 (has no
 * code). */
struct json_object *vm_actions_send_key_args(const uint16_t *qnums,
					     size_t n_keys, char **error);

/* "NAME.qcow2", "NAME.img" (raw), "NAME.vdi", "NAME.vmdk". Caller frees. */
char *vm_actions_disk_file_name(const char *name, enum disk_format format);

/* path as the VM file should hold it: relative when inside vm_dir, else
 * as given. Caller frees. */
char *vm_actions_path_for_file(const char *vm_dir, const char *path);

#endif
