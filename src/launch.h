/* Starting QEMU as a child: the private runtime folder, fork/exec with
 * close-on-exec and a parent-death signal, waiting for the VNC and QMP
 * sockets, QEMU's stderr, reaping. */
#ifndef VMPLAY_LAUNCH_H
#define VMPLAY_LAUNCH_H

#include "config.h"

#include <stdbool.h>
#include <sys/types.h>

struct launch;

/* Creates the runtime folder ($XDG_RUNTIME_DIR/vmplay/NAME-PID, 0700),
 * builds the command line with qemu_args_build, starts QEMU and waits (up to
 * timeout_ms) until both sockets accept connections. On failure returns NULL
 * and sets *error (malloc'd) to a message that includes QEMU's own stderr. */
struct launch *launch_start(const struct vm_config *cfg, int timeout_ms,
			    char **error);

const char *launch_vnc_socket(const struct launch *l);
const char *launch_qmp_socket(const struct launch *l);
const char *launch_runtime_dir(const struct launch *l);
pid_t launch_pid(const struct launch *l);

/* A file descriptor that becomes readable when QEMU exits (a pidfd), for
 * the event loop's poll(). */
int launch_exit_fd(const struct launch *l);

/* Reaps QEMU if it has exited. Returns true once it has, with its
 * wait status in *status. Never blocks. */
bool launch_reap(struct launch *l, int *status);

/* Waits up to timeout_ms for QEMU to exit; true if it did. */
bool launch_wait(struct launch *l, int timeout_ms, int *status);

void launch_signal(struct launch *l, int sig);

/* What QEMU wrote to stderr so far (its last few KiB). Owned by l. */
const char *launch_stderr(struct launch *l);

/* Stops QEMU if still running (SIGTERM, then SIGKILL after a grace period),
 * reaps it and removes the runtime folder. Accepts NULL. */
void launch_destroy(struct launch *l);

#endif
