/* The kiosk's restart supervisor: keeps one VM running. When QEMU ends
 * (the guest powered off, QEMU died, or it failed to start) it starts it
 * again after the delay kiosk_restart_delay() gives, until asked to stop
 * or until max-restarts short runs in a row.
 *
 * With reset (from [kiosk] reset = true) every QEMU runs with -snapshot:
 * the guest's writes to its disks (and to the UEFI variable store) go to
 * a temporary file QEMU deletes when it ends, so every boot starts from
 * the disks as configured and nothing a session wrote survives it.
 *
 * The supervisor owns the sessions. Event-loop use, as with vm_session:
 * put supervisor_pollfds() into poll() with supervisor_timeout_ms() as
 * (part of) the timeout and call supervisor_dispatch() after every
 * wake-up. A session is destroyed only inside supervisor_dispatch (after
 * the listener's ended callback), never inside a session's own callback. */
#ifndef VMPLAY_SUPERVISOR_H
#define VMPLAY_SUPERVISOR_H

#include "vm/config.h"
#include "vm/kiosk.h"
#include "vm/vm_session.h"

#include <poll.h>
#include <stdbool.h>

struct supervisor_listener {
	/* A QEMU is up (the first one too): set the session's own listener,
	 * connect to its display. */
	void (*started)(void *user, struct vm_session *s, unsigned start_no);
	/* QEMU has ended; s is destroyed right after this returns. delay_ms:
	 * the next start follows after it; -1: no next start (stop requested
	 * or given up: see supervisor_finished). why: a sentence for the
	 * user. */
	void (*ended)(void *user, struct vm_session *s, long delay_ms,
		      const char *why);
	/* QEMU did not start; error says why. delay_ms as above. */
	void (*start_failed)(void *user, const char *error, long delay_ms);
	void *user;
};

struct supervisor;

/* kiosk is borrowed (its restart backoff is used) and must outlive the
 * supervisor. Nothing starts until supervisor_start. */
struct supervisor *supervisor_create(const struct vm_config *cfg,
				     struct kiosk *kiosk,
				     const struct supervisor_listener *listener);
void supervisor_destroy(struct supervisor *sv);   /* stops QEMU; accepts NULL */

/* The first start, now (blocks while QEMU starts, like vm_session_start). */
void supervisor_start(struct supervisor *sv);

/* The running session, or NULL while waiting to restart. */
struct vm_session *supervisor_session(struct supervisor *sv);
/* How many QEMUs have been started so far. */
unsigned supervisor_starts(const struct supervisor *sv);

int supervisor_pollfds(const struct supervisor *sv, struct pollfd *fds,
		       int max);
int supervisor_timeout_ms(const struct supervisor *sv);
void supervisor_dispatch(struct supervisor *sv);

/* No more restarts; asks the running VM to stop (each further call
 * escalates, as vm_session_request_stop). */
void supervisor_stop(struct supervisor *sv);
/* Stopped or given up, and no QEMU left. */
bool supervisor_finished(const struct supervisor *sv);
/* 0 after a requested stop, 1 after giving up. */
int supervisor_exit_status(const struct supervisor *sv);


/* vmplay --headless --kiosk FILE: the supervisor without a window, until
 * SIGINT/SIGTERM (which stop the VM as in --headless: ACPI, then quit,
 * then kill) or until it gives up. Exit status as supervisor_exit_status. */
int kiosk_headless_run(const struct vm_config *cfg);

#endif
