/* The machine the player window shows, whatever runs it: the seam between
 * the window and the engine. Two engines implement it:
 *
 *   machine_qemu.c    - a QEMU that vmplay started from a VM file
 *                       (vm_session for its life, vm_actions for snapshots
 *                       and media, QMP underneath);
 *   libvirt_machine.c - a domain that libvirt runs, here or on another
 *                       host (vmplay --connect URI DOMAIN).
 *
 * The player only calls the machine_* functions below: it never asks
 * which engine it talks to. What an engine cannot do it refuses with a
 * note (VM_NOTE_ERROR) in its own words.
 *
 * Event-loop use is that of vm_session: machine_pollfds() into poll(),
 * machine_timeout_ms() as (part of) the timeout, machine_dispatch() after
 * every wake-up (it never blocks). The listener's callbacks run inside
 * dispatch or inside the call that caused them. */
#ifndef VMPLAY_MACHINE_H
#define VMPLAY_MACHINE_H

#include "vm/disk.h"
#include "vm/vm_actions.h"
#include "vm/vm_session.h"

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>

struct machine_listener {
	/* The state changed (also from outside: a pause made in virsh);
	 * why is a sentence for the user, never NULL. */
	void (*state_changed)(void *user, enum vm_state state, const char *why);
	/* A result or a refusal, for a toast (see vm_actions.h). */
	void (*note)(void *user, enum vm_note kind, const char *text);
	/* The snapshot list or the inserted medium changed. */
	void (*changed)(void *user);
	void *user;
};

/* How the machine ended, once its state is VM_STATE_EXITED. */
enum machine_end {
	MACHINE_END_DONE,      /* powered off or stopped as asked: the window
				* may close (exit status 0) */
	MACHINE_END_FAILED,    /* the engine failed: say why, exit status 1 */
	MACHINE_END_STOPPED,   /* it is off but still there: say so, keep the
				* window; start() runs it again */
};

/* What the window closing means for the machine. */
enum machine_close {
	MACHINE_CLOSE_NOW,       /* nothing to wait for: quit the window */
	MACHINE_CLOSE_WAIT,      /* shutting down; the state will follow */
};

struct machine_ops {
	int (*pollfds)(void *self, struct pollfd *fds, int max);
	int (*timeout_ms)(void *self);
	void (*dispatch)(void *self);
	enum vm_state (*state)(void *self);

	bool (*start)(void *self);       /* from the stopped state */
	bool (*pause)(void *self);
	bool (*resume)(void *self);
	bool (*reset)(void *self);
	bool (*powerdown)(void *self);   /* ACPI power button */
	bool (*force_off)(void *self);
	enum machine_close (*close)(void *self);
	/* Once EXITED: how, and a message for the user (malloc'd, may be
	 * NULL for MACHINE_END_DONE). */
	enum machine_end (*ended)(void *self, char **message);

	/* A connected stream to the machine's VNC server (the caller owns
	 * it), or -1 with *error (malloc'd). */
	int (*open_display)(void *self, char **error);
	/* The display connection broke while the machine runs: what to do
	 * about it (QEMU: stop the VM, which is of no use without it) and a
	 * message for the user (malloc'd). */
	char *(*display_lost)(void *self);
	/* Whether the guest has a hardware cursor worth asking VNC for. */
	bool (*wants_cursor)(void *self);

	/* Snapshots and removable media (see vm_actions.h for the QEMU
	 * engine's rules; libvirt applies its own). A snapshot's vm_clock_ns
	 * is 0 when the engine does not know it. Media paths name files on
	 * the machine's host. */
	const char *(*busy)(void *self);
	void (*refresh)(void *self);
	bool (*snapshots_known)(void *self);
	size_t (*snapshots)(void *self, const struct disk_snapshot **list);
	void (*snapshot_take)(void *self, const char *name);
	void (*snapshot_restore)(void *self, const char *name);
	void (*snapshot_delete)(void *self, const char *name);
	bool (*has_cdrom)(void *self);
	const char *(*cdrom)(void *self);
	void (*media_insert)(void *self, const char *path);
	void (*media_eject)(void *self);

	/* The QEMU engine's own extras (disks, recent ISOs); NULL elsewhere. */
	struct vm_actions *(*actions)(void *self);

	void (*destroy)(void *self);
};

struct machine {
	const struct machine_ops *ops;
	void *self;
	struct machine_listener listener;
};

/* The calls the player makes; each accepts m == NULL (no machine yet) and
 * then does nothing or answers "nothing there". */
void machine_set_listener(struct machine *m,
			  const struct machine_listener *listener);
int machine_pollfds(struct machine *m, struct pollfd *fds, int max);
int machine_timeout_ms(struct machine *m);
void machine_dispatch(struct machine *m);
enum vm_state machine_state(struct machine *m);
bool machine_start(struct machine *m);
bool machine_pause(struct machine *m);
bool machine_resume(struct machine *m);
bool machine_reset(struct machine *m);
bool machine_powerdown(struct machine *m);
bool machine_force_off(struct machine *m);
enum machine_close machine_close(struct machine *m);
enum machine_end machine_ended(struct machine *m, char **message);
int machine_open_display(struct machine *m, char **error);
char *machine_display_lost(struct machine *m);
bool machine_wants_cursor(struct machine *m);
const char *machine_busy(struct machine *m);
void machine_refresh(struct machine *m);
bool machine_snapshots_known(struct machine *m);
size_t machine_snapshots(struct machine *m, const struct disk_snapshot **list);
void machine_snapshot_take(struct machine *m, const char *name);
void machine_snapshot_restore(struct machine *m, const char *name);
void machine_snapshot_delete(struct machine *m, const char *name);
bool machine_has_cdrom(struct machine *m);
const char *machine_cdrom(struct machine *m);
void machine_media_insert(struct machine *m, const char *path);
void machine_media_eject(struct machine *m);
struct vm_actions *machine_actions(struct machine *m);
void machine_destroy(struct machine *m);   /* accepts NULL */

/* For engines: tell the listener. */
void machine_notify_state(struct machine *m, enum vm_state state,
			  const char *why);
void machine_notify_note(struct machine *m, enum vm_note kind,
			 const char *text);
void machine_notify_changed(struct machine *m);

#endif
