/* Child processes: the one way vmplay starts another program (QEMU,
 * qemu-img, the tools `vmplay check` asks). Every child gets the same
 * hygiene, so none of them can inherit vmplay's sockets, signal mask or
 * outlive it:
 *   - only stdin, stdout and stderr open, and the descriptors the caller
 *     names in keep (everything else closes at exec);
 *   - an empty signal mask and default dispositions (an ignored SIGPIPE or
 *     a blocked SIGTERM would otherwise survive exec);
 *   - SIGTERM when vmplay dies (PR_SET_PDEATHSIG), checked against a
 *     parent that died before the child could ask for it;
 *   - exec failure reported to the caller (with its errno), not as a
 *     child that exits 127 for reasons nobody can tell. */
#ifndef VMPLAY_PROC_H
#define VMPLAY_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct proc_spec {
	char *const *argv;   /* argv[0] is looked up in PATH */
	/* Descriptors for the child's stdin, stdout and stderr; -1 means
	 * /dev/null. The caller keeps (and closes) its own. */
	int in, out, err;
	bool new_group;      /* its own process group: a Ctrl+C typed in
				vmplay's terminal is vmplay's to handle */
	const char *cwd;     /* working folder; NULL keeps vmplay's */
	/* More descriptors the child inherits as they are numbered here
	 * (each >= 3): the disk images vmplay opened for QEMU. */
	const int *keep;
	size_t n_keep;
	char *const *envp;   /* the child's environment; NULL: vmplay's */
};

/* Starts spec->argv and returns its pid once exec has succeeded. On
 * failure returns -1 and sets *err to the errno of what failed (fork,
 * chdir or exec; ENOENT: no such program); a child that could not exec
 * is reaped. */
pid_t proc_spawn(const struct proc_spec *spec, int *err);

/* Waits for pid, retrying on EINTR. Returns the wait status, or -1 when
 * the status was lost (someone else reaped it). */
int proc_wait(pid_t pid);

/* Makes children waitable: a SIGCHLD ignored (or SA_NOCLDWAIT) by whoever
 * started vmplay survives exec and makes the kernel reap children itself,
 * so waitpid() fails with ECHILD and their exit status is lost. proc_spawn
 * calls it; cheap when there is nothing to undo. */
void sigchld_default(void);

/* Marks every descriptor from first up close-on-exec, so a child started
 * with exec gets only what it was given. For the child between fork and
 * exec: async-signal-safe. */
void fds_close_on_exec(int first);

#endif
