/* Private to the vm_actions files: the state they share and the few
 * functions one part calls in another. vm_actions.c is the core (notes,
 * QMP ops and their replies, lifetime, the lists, power and keys);
 * vm_snapshots.c, vm_media.c and vm_disks.c are the parts. Nothing else
 * includes this. */
#ifndef VMPLAY_VM_ACTIONS_IMPL_H
#define VMPLAY_VM_ACTIONS_IMPL_H

#include "base/util.h"
#include "vm/qmp.h"
#include "vm/snapshot_rules.h"
#include "vm/vm_actions.h"

#include <json-c/json.h>

/* config.c accepts at most this many disks. */
#define MAX_DISKS 64

enum snap_action { SNAP_TAKE, SNAP_RESTORE, SNAP_DELETE };

enum op_step {
	STEP_REFRESH,        /* query-named-block-nodes for the lists */
	STEP_SNAP_PREPARE,   /* query-named-block-nodes before a job */
	STEP_JOB_START,      /* snapshot-save/-load/-delete */
	STEP_JOB_QUERY,      /* query-jobs after "concluded" */
	STEP_IGNORE,         /* job-dismiss */
	STEP_MEDIA_INSERT,
	STEP_MEDIA_EJECT,
	STEP_SIMPLE,         /* reset, send-key: a note on success */
	STEP_AGENT_UNPLUG,   /* device_del of the clipboard's port */
	STEP_AGENT_REMOVE,   /* chardev-remove of its qemu-vdagent */
	STEP_AGENT_READD,    /* chardev-add, after the snapshot */
	STEP_AGENT_REPLUG,   /* device_add, after the snapshot */
};

/* Where the clipboard's agent devices are during a snapshot job
 * (vm_agent.c). */
enum agent_phase {
	AGENT_IN,            /* plugged in, as the command line made them */
	AGENT_UNPLUGGING,    /* device_del sent */
	AGENT_UNPLUGGED,     /* the port is gone; chardev-remove sent */
	AGENT_OUT,           /* both gone: plug them back after the job */
};

struct op {
	struct vm_actions *a;   /* NULL once the actions are gone */
	struct op *next;
	enum op_step step;
	char *text;             /* ISO path, or the success note */
	char *what;             /* STEP_SIMPLE: "reset the VM", for errors */
	unsigned job_serial;    /* the job this reply belongs to */
	struct vm_session *session;  /* the session it was sent to */
};

struct job {
	bool active;            /* from the first query until the result */
	enum snap_action action;
	char *name;             /* NULL for a take by date until chosen */
	time_t requested;       /* for the name by date */
	char *id;               /* QEMU's job-id once started */
	unsigned serial;
	uint64_t start_ms;
	char *busy;             /* "Taking snapshot X…" */
	int lock_fd;            /* snapshot_lock, held while active; -1 */
	enum agent_phase agent; /* the clipboard's devices (vm_agent.c) */
	bool agent_replied;     /* device_del answered */
	bool agent_deleted;     /* DEVICE_DELETED seen for the port */
};

struct added_disk {
	char *name;
	char *file;
};

struct vm_actions {
	const struct vm_config *cfg;
	struct vm_session *session;
	struct vm_actions_listener listener;
	enum disk_format *formats;   /* per cfg disk, detected when AUTO */
	/* Block nodes that take part in snapshots; [0] holds the VM state. */
	struct strv nodes;
	struct op *ops;
	struct job job;
	unsigned next_serial;

	bool snapshots_known;
	struct vm_snapshot *snapshots;
	size_t n_snapshots;
	/* A restore waiting for QEMU to stop (listener.restart). */
	char *restart_restore;
	bool disks_known;
	struct vm_actions_disk *disks;
	size_t n_disks;
	struct added_disk *added;
	size_t n_added;

	char *cdrom;
	char *recent_file;
	struct strv recent;          /* as stored */
	struct strv recent_existing; /* the ones that exist, for the menu */
};

bool vma_send_op(struct vm_actions *a, struct qmp *q, const char *command,
		    struct json_object *args, struct op *op);
void vma_job_clear(struct vm_actions *a);
void vma_reload_recent(struct vm_actions *a);
struct qmp *vma_live_qmp(struct vm_actions *a, const char *what);
void vma_changed(struct vm_actions *a);
void vma_take_nodes(struct vm_actions *a, struct json_object *nodes);
void vma_note(struct vm_actions *a, enum vm_note kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
struct op *vma_op_new(struct vm_actions *a, enum op_step step);
void vma_job_result(struct vm_actions *a, struct json_object *jobs);
void vma_job_fail(struct vm_actions *a, const char *why);
void vma_snapshot_prepared(struct vm_actions *a, struct json_object *nodes);
void vma_media_ejected(struct vm_actions *a);
void vma_media_inserted(struct vm_actions *a, const char *path);
void vma_restore_offline(struct vm_actions *a, const char *name);
/* Sends the snapshot job's QMP command (the agent is out of the way);
 * holders: for a delete, the nodes that have the snapshot. */
void vma_snapshot_run(struct vm_actions *a, const struct strv *holders);

/* vm_agent.c: the clipboard's agent devices around a snapshot with
 * memory. QEMU 7.2's qemu-vdagent chardev blocks migration while it
 * exists, and saving or loading a running VM's memory is a migration:
 * vma_agent_unplug removes the port and the chardev, then runs the job
 * (vma_snapshot_run); vma_agent_replug puts them back once the job is
 * over, whatever its outcome. */
bool vma_agent_plugged(const struct vm_actions *a);
void vma_agent_unplug(struct vm_actions *a);
void vma_agent_reply(struct vm_actions *a, enum op_step step,
		     struct json_object *ret, const char *error);
void vma_agent_event(struct vm_actions *a, struct json_object *data);
void vma_agent_replug(struct vm_actions *a);

/* The label of a node in notes: "'system'", "the UEFI variables". */
char *vma_node_label(const struct vm_actions *a, size_t node);

#endif
