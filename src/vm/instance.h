/* One vmplay per VM file. The first vmplay to open a VM file holds a lock
 * (flock) on RUNTIME/vm-HASH.lock, where RUNTIME is launch_runtime_base()
 * and HASH is a hash of the VM file's real path, so every name of the file
 * (symbolic links, relative paths) finds the same lock. The lock goes away
 * with the process, however it ends; QEMU never inherits it. The holder
 * removes the file at exit; files of killed holders are removed by the
 * next claim.
 *
 * A window-owning instance also listens on RUNTIME/vm-HASH.sock. A second
 * vmplay opening the same file connects, sends "raise", gets "raised" back
 * once the first has raised its window, and exits 0 without starting QEMU.
 * Headless instances listen too but have no window to raise: a second
 * vmplay says the VM runs without a window and fails.
 *
 * Both kinds also take snapshot commands on the socket ("snapshot take
 * [NAME]", "snapshot restore NAME", "snapshot delete NAME": what `vmplay
 * snapshot` sends while the VM runs); the owner runs them as its menu
 * would and answers with lines up to "done STATUS" (snapshot_requests.h).
 *
 * QEMU's own image lock stays the second guard. */
#ifndef VMPLAY_INSTANCE_H
#define VMPLAY_INSTANCE_H

#include <stdbool.h>
#include <sys/types.h>

struct instance;

enum instance_role {
	INSTANCE_WINDOW,     /* answers "raise" */
	INSTANCE_HEADLESS,   /* no window to raise */
};

enum instance_claim {
	INSTANCE_FIRST,      /* ours: *out set */
	INSTANCE_RAISED,     /* another vmplay has it and raised its window */
	INSTANCE_ELSEWHERE,  /* another vmplay has it and could not raise a
			      * window (headless, or did not answer) */
	INSTANCE_FAILED,     /* the runtime folder is unusable */
};

/* Claims vm_path for this process. For INSTANCE_FIRST, *out is the
 * instance; otherwise *out is NULL and *message (malloc'd) says what
 * happened ("debian is already open (vmplay pid 123); raised its
 * window."). wait_ms bounds how long a second vmplay waits for the first
 * one to answer (it may still be starting QEMU); <= 0: 30 s. */
enum instance_claim instance_claim(const char *vm_path, enum instance_role role,
				   int wait_ms, struct instance **out,
				   char **message);

/* The listening socket for the event loop's poll() (POLLIN: a request
 * waits), or -1 for headless instances. */
int instance_fd(const struct instance *in);

/* Handles waiting requests without blocking (a client gets 1 s to send
 * its line). Returns how many asked to raise the window; the caller raises
 * it (SDL_RaiseWindow). */
int instance_dispatch(struct instance *in);

/* The longest request line the owner reads. */
#define INSTANCE_LINE_MAX 4096

/* A snapshot command another vmplay sent (after instance_dispatch): its
 * connection *fd (the owner answers on it and closes it) and its line
 * without the newline (malloc'd). False when none waits. */
bool instance_next_request(struct instance *in, int *fd, char **line);

/* The client's side: sends line to the vmplay that holds vm_path, calls
 * on_line for each line of its answer and returns the STATUS of its last
 * line "done STATUS"; -1 with *error (malloc'd) when no vmplay answers or
 * it stopped before it was done. Waits as long as the job takes. */
int instance_request(const char *vm_path, const char *line,
		     void (*on_line)(void *user, const char *line), void *user,
		     char **error);

/* Where the lock is (for messages and tests). Owned by in. */
const char *instance_lock_path(const struct instance *in);

/* Whether a vmplay holds vm_path now (the library's "running"), without
 * touching the lock: *pid is its process, *window false when it runs
 * headless (nothing to raise). */
bool instance_holder(const char *vm_path, long *pid, bool *window);

/* A window instance says its VM is off (the stopped screen, Run offered)
 * or runs again: RUNTIME/vm-HASH.off exists while it is off, for the
 * library's "off" (a window open on a stopped VM is not "running").
 * Released with the instance. Accepts NULL. */
void instance_set_vm_off(struct instance *in, bool off);
/* Whether vm_path is held by a window whose VM is off. */
bool instance_holder_vm_off(const char *vm_path);

/* The HASH above for a VM file's real path: other per-VM files in the
 * runtime folder (snapshot_rules.h's lock) are keyed the same way. */
unsigned long long instance_path_key(const char *real_path);

/* Releases the lock and removes the socket. Accepts NULL. */
void instance_release(struct instance *in);

#endif
