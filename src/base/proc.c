/* Child processes (proc.h). */
#include "base/proc.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

void sigchld_default(void)
{
	struct sigaction sa;
	if (sigaction(SIGCHLD, NULL, &sa) != 0)
		return;
	if (sa.sa_handler == SIG_IGN || (sa.sa_flags & SA_NOCLDWAIT)) {
		struct sigaction def = { .sa_handler = SIG_DFL };
		sigemptyset(&def.sa_mask);
		sigaction(SIGCHLD, &def, NULL);
	}
}

void fds_close_on_exec(int first)
{
	/* Whatever the rest of the program (SDL, X11, libraries) opened
	 * without O_CLOEXEC; the loop is for kernels before 5.11. */
	if (syscall(SYS_close_range, (unsigned)first, ~0u,
		    CLOSE_RANGE_CLOEXEC) == 0)
		return;
	long max = sysconf(_SC_OPEN_MAX);
	for (int fd = first; fd < (max > 0 && max < 65536 ? max : 4096); fd++)
		fcntl(fd, F_SETFD, FD_CLOEXEC);
}

/* Puts fd (or /dev/null for -1) at target, open across exec. dup2 onto
 * itself would keep a close-on-exec flag, so that case clears it. */
static int place(int fd, int target, int null)
{
	int from = fd >= 0 ? fd : null;
	if (from < 0)
		return -1;
	if (from == target)
		return fcntl(target, F_SETFD, 0);
	return dup2(from, target) < 0 ? -1 : 0;
}

/* The child between fork and exec: async-signal-safe calls only. Reports
 * the errno of what failed through report (close-on-exec: it closes by
 * itself when exec succeeds). */
static void child(const struct proc_spec *spec, pid_t parent, int report)
{
	if (spec->new_group)
		setpgid(0, 0);
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_DFL);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	int e = 0;
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) < 0 || getppid() != parent)
		_exit(127);   /* vmplay is gone: nobody to report to */
	/* The three targets may hold the caller's descriptors: move those
	 * above 2 first, so placing one does not close another. */
	int fds[3] = { spec->in, spec->out, spec->err };
	for (int i = 0; i < 3; i++) {
		if (fds[i] >= 0 && fds[i] <= 2) {
			int moved = fcntl(fds[i], F_DUPFD_CLOEXEC, 3);
			if (moved < 0)
				goto fail;
			for (int j = i + 1; j < 3; j++)
				if (fds[j] == fds[i])
					fds[j] = moved;
			fds[i] = moved;
		}
	}
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	for (int i = 0; i < 3; i++)
		if (place(fds[i], i, null) < 0)
			goto fail;
	if (spec->cwd && chdir(spec->cwd) < 0)
		goto fail;
	fds_close_on_exec(3);
	for (size_t i = 0; i < spec->n_keep; i++)
		if (spec->keep[i] < 3 || fcntl(spec->keep[i], F_SETFD, 0) < 0)
			goto fail;
	if (spec->envp)
		execvpe(spec->argv[0], spec->argv, spec->envp);
	else
		execvp(spec->argv[0], spec->argv);
fail:
	e = errno;
	ssize_t unused = write(report, &e, sizeof(e));
	(void)unused;
	_exit(127);
}

pid_t proc_spawn(const struct proc_spec *spec, int *err)
{
	int report[2];
	if (pipe2(report, O_CLOEXEC) < 0) {
		*err = errno;
		return -1;
	}
	sigchld_default();
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid == 0)
		child(spec, parent, report[1]);
	int fork_errno = errno;
	close(report[1]);
	if (pid < 0) {
		close(report[0]);
		*err = fork_errno;
		return -1;
	}
	int child_errno = 0;
	ssize_t n;
	do
		n = read(report[0], &child_errno, sizeof(child_errno));
	while (n < 0 && errno == EINTR);
	close(report[0]);
	if (n == (ssize_t)sizeof(child_errno)) {
		proc_wait(pid);
		*err = child_errno;
		return -1;
	}
	return pid;
}

int proc_wait(pid_t pid)
{
	int status = 0;
	pid_t got;
	while ((got = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
		;
	return got == pid ? status : -1;
}
