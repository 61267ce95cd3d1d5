/* Starting QEMU as a child: the private runtime folder, fork/exec with
 * close-on-exec and a parent-death signal, waiting for the VNC and QMP
 * sockets, QEMU's stderr, reaping.
 *
 * The runtime folder is $XDG_RUNTIME_DIR/vmplay/NAME-PID (0700), or
 * /tmp/vmplay-UID/NAME-PID when XDG_RUNTIME_DIR is unset or unusable. It
 * holds vnc.sock, qmp.sock and qemu.log (QEMU's stdout and stderr) and is
 * removed by launch_destroy.
 *
 * QEMU runs in its own process group (a Ctrl+C on the terminal reaches
 * vmplay only, which decides how to stop the guest) and gets SIGTERM when
 * the thread that called launch_start dies: call it from the main thread. */
#ifndef VMPLAY_LAUNCH_H
#define VMPLAY_LAUNCH_H

#include "base/util.h"
#include "vm/config.h"

#include <stdbool.h>
#include <sys/types.h>

struct launch;

/* Creates the runtime folder, builds the command line with
 * qemu_args_build, starts QEMU and waits (up to timeout_ms) until both
 * sockets accept connections. Returns early when QEMU exits meanwhile. On
 * failure returns NULL and sets *error (malloc'd) to a message that
 * includes QEMU's own stderr. */
struct launch *launch_start(const struct vm_config *cfg, int timeout_ms,
			    char **error);

/* launch_start in two steps, so that the caller can get on with other
 * work while QEMU starts: launch_spawn starts it and returns at once
 * (NULL with *error when it cannot), launch_wait_ready then waits for the
 * sockets as launch_start does; when it fails the caller destroys l. */
struct launch *launch_spawn(const struct vm_config *cfg, char **error);
bool launch_wait_ready(struct launch *l, int timeout_ms, char **error);

/* Builds the command line (argv[0] included) for the sockets given. Returns
 * false with *error set (malloc'd) when it cannot. */
typedef bool (*launch_argv_fn)(void *user, const char *runtime_dir,
			       const char *vnc_socket, const char *qmp_socket,
			       struct strv *argv, char **error);

/* launch_start with a command line of the caller's (tests, other
 * programs); name names the runtime folder. */
struct launch *launch_start_with(const char *name, launch_argv_fn build,
				 void *user, int timeout_ms, char **error);

const char *launch_vnc_socket(const struct launch *l);
const char *launch_qmp_socket(const struct launch *l);
const char *launch_runtime_dir(const struct launch *l);
pid_t launch_pid(const struct launch *l);
/* now_ms() when QEMU was started, and when both its sockets answered
 * (start-up figures for the statistics). */
uint64_t launch_spawned_ms(const struct launch *l);
uint64_t launch_ready_ms(const struct launch *l);

/* A file descriptor that becomes readable when QEMU exits (a pidfd), for
 * the event loop's poll(); -1 when the kernel has no pidfd_open (then poll
 * with a timeout and call launch_reap). */
int launch_exit_fd(const struct launch *l);

/* Reaps QEMU if it has exited. Returns true once it has (also on every
 * later call), with its wait status in *status (may be NULL). Never
 * blocks. */
bool launch_reap(struct launch *l, int *status);

/* Waits up to timeout_ms for QEMU to exit; true if it did. */
bool launch_wait(struct launch *l, int timeout_ms, int *status);

/* Sends sig to QEMU unless it has been reaped already. */
void launch_signal(struct launch *l, int sig);

/* What QEMU wrote to stderr so far (its last few KiB, trailing newlines
 * removed; "" when nothing). Owned by l, valid until the next call. */
const char *launch_stderr(struct launch *l);

/* "exited with status 1", "was killed by signal 9 (Killed)": for
 * messages. Caller frees. */
char *launch_describe_status(int status);

/* Stops QEMU if still running (SIGTERM, then SIGKILL after a grace period),
 * reaps it and removes the runtime folder. Accepts NULL. */
void launch_destroy(struct launch *l);

/* The runtime folder launch_start would use for a VM called name in this
 * process, without creating anything (for --dry-run). Caller frees. */
char *launch_runtime_dir_for(const char *name);

/* The runtime folder of the vmplay with process id pid (NAME-PID in the
 * runtime base, whatever NAME), or NULL when it has none. Caller frees. */
char *launch_runtime_dir_of_pid(long pid);

/* The folder runtime folders are made in ($XDG_RUNTIME_DIR/vmplay or
 * /tmp/vmplay-UID), created 0700 and checked (a folder owned by us, not a
 * symlink). Caller frees; NULL with *error set when unusable. */
char *launch_runtime_base(char **error);

#endif
