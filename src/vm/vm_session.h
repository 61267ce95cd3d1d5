/* One running VM: QEMU started by launch.c, its QMP connection, the run
 * state followed from QMP events, and the shutdown sequence that both
 * `--headless` and the player window use:
 *
 *   request_stop #1   -> system_powerdown (ACPI), state POWERING_DOWN;
 *                        after the powerdown timeout -> as #2
 *   request_stop #2   -> "quit" over QMP (SIGTERM without QMP), STOPPING;
 *                        after a grace period -> as #3
 *   request_stop #3   -> SIGKILL
 *   QEMU exits        -> state EXITED; vm_session_outcome() says how.
 *
 * Event-loop use: put vm_session_pollfds() into poll() with
 * vm_session_timeout_ms() as (part of) the timeout, and call
 * vm_session_dispatch() after every wake-up (it never blocks). Listener
 * callbacks run inside dispatch: they may call any vm_session function
 * except vm_session_destroy. */
#ifndef VMPLAY_VM_SESSION_H
#define VMPLAY_VM_SESSION_H

#include "vm/config.h"
#include "vm/launch.h"
#include "vm/qmp.h"

#include <poll.h>
#include <stdbool.h>

enum vm_state {
	VM_STATE_RUNNING,
	VM_STATE_PAUSED,         /* stopped by QMP "stop" or any other cause */
	VM_STATE_PRELAUNCH,      /* started with -S, not yet running */
	VM_STATE_POWERING_DOWN,  /* asked the guest (ACPI) to shut down */
	VM_STATE_STOPPING,       /* QEMU is being stopped (quit, signals) or
				  * the guest has shut down and QEMU exits */
	VM_STATE_EXITED,         /* QEMU is gone */
};

/* "running", "paused", ...: for titles and messages. */
const char *vm_state_name(enum vm_state state);
/* The state a query-status "status" means (QEMU's words: "running",
 * "prelaunch", "shutdown"; any other is a kind of paused). */
enum vm_state vm_state_of_status(const char *status);

/* How the VM ended, once EXITED. */
enum vm_outcome {
	VM_OUTCOME_NONE,          /* not exited yet */
	VM_OUTCOME_POWEROFF,      /* the guest powered off (or QEMU exited 0
				   * on its own, e.g. quit from another
				   * monitor) */
	VM_OUTCOME_STOPPED,       /* we stopped QEMU (quit / signal) after a
				   * stop request the guest did not honour */
	VM_OUTCOME_FAILED,        /* QEMU exited non-zero or was killed by
				   * someone else */
};

struct vm_session_listener {
	/* The state changed; why is a sentence for the user (never NULL),
	 * e.g. "asked the guest to shut down". */
	void (*state_changed)(void *user, enum vm_state state,
			      const char *why);
	/* Every QMP event, after the session has looked at it. */
	void (*event)(void *user, const char *event, struct json_object *data);
	void *user;
};

struct vm_session;

/* Starts QEMU for cfg and connects QMP, waiting up to timeout_ms in all
 * (<= 0: a default that suits TCG on a loaded machine). Ignores SIGPIPE
 * for the whole program (a dead QEMU must not kill vmplay). On failure
 * returns NULL with *error set (malloc'd), QEMU's stderr included. */
struct vm_session *vm_session_start(const struct vm_config *cfg,
				    int timeout_ms, char **error);
/* The same for a QEMU from launch_spawn: waits for its sockets, then
 * connects QMP; takes l over (destroyed on failure too). */
struct vm_session *vm_session_start_spawned(struct launch *l, int timeout_ms,
					    char **error);
/* The same with an already started QEMU, which the session takes over
 * (destroyed on failure too). */
struct vm_session *vm_session_attach(struct launch *l, int timeout_ms,
				     char **error);

void vm_session_set_listener(struct vm_session *s,
			     const struct vm_session_listener *listener);

/* Seconds-free knobs: how long the guest gets to power down after an ACPI
 * request (default 60000 ms, or VMPLAY_POWERDOWN_TIMEOUT seconds from the
 * environment), and how long QEMU gets after "quit" before SIGKILL
 * (default 10000 ms). */
void vm_session_set_powerdown_timeout(struct vm_session *s, int ms);
void vm_session_set_quit_timeout(struct vm_session *s, int ms);

/* Fills up to max pollfds (2 are enough: QMP and the pidfd); returns how
 * many. */
int vm_session_pollfds(const struct vm_session *s, struct pollfd *fds,
		       int max);
/* Milliseconds until the next deadline (-1: none). */
int vm_session_timeout_ms(const struct vm_session *s);
/* Reads QMP, notices QEMU's exit, runs due deadlines. Never blocks. */
void vm_session_dispatch(struct vm_session *s);

enum vm_state vm_session_state(const struct vm_session *s);
bool vm_session_exited(const struct vm_session *s);

/* The escalation described above; returns the state afterwards. */
enum vm_state vm_session_request_stop(struct vm_session *s);
/* The individual steps. powerdown on a paused guest resumes it first (a
 * paused guest cannot react); on a guest not started yet (prelaunch) it
 * quits instead. */
bool vm_session_powerdown(struct vm_session *s);
bool vm_session_quit(struct vm_session *s);
void vm_session_kill(struct vm_session *s);
/* stop / cont over QMP; the state follows from the STOP/RESUME events. */
bool vm_session_pause(struct vm_session *s);
bool vm_session_resume(struct vm_session *s);

/* Blocks until QEMU is gone (dispatching as the loop would), running the
 * deadlines; for the end of a program. */
void vm_session_wait(struct vm_session *s);

enum vm_outcome vm_session_outcome(const struct vm_session *s);
/* QEMU's wait status (valid once exited). */
int vm_session_wait_status(const struct vm_session *s);
/* A message for the user about how QEMU ended, with QEMU's stderr when it
 * failed. Caller frees. */
char *vm_session_describe_exit(struct vm_session *s);

/* The parts, for what the session does not wrap (VNC socket path, other
 * QMP commands). Owned by the session; qmp is NULL once QEMU closed it. */
struct launch *vm_session_launch(struct vm_session *s);
struct qmp *vm_session_qmp(struct vm_session *s);

/* Stops QEMU if still running (quit, then signals), removes the runtime
 * folder, frees. Accepts NULL. */
void vm_session_destroy(struct vm_session *s);

#endif
