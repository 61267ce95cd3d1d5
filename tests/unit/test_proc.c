/* base/proc.c: what every child of vmplay gets (and does not get). */
#include "test.h"

#include "base/proc.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

/* Runs a shell command as vmplay would start a program; returns what it
 * printed on stdout. */
static char *run_sh(const char *script, const char *cwd)
{
	char *const argv[] = { "sh", "-c", (char *)script, NULL };
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) < 0)
		return NULL;
	struct proc_spec spec = { .argv = argv, .in = -1, .out = fds[1],
				  .err = -1, .cwd = cwd };
	int err = 0;
	pid_t pid = proc_spawn(&spec, &err);
	close(fds[1]);
	static char buf[4096];
	size_t len = 0;
	ssize_t n;
	while ((n = read(fds[0], buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)n;
	buf[len] = '\0';
	close(fds[0]);
	if (pid > 0)
		proc_wait(pid);
	return pid > 0 ? buf : NULL;
}

static void test_only_std_fds(void)
{
	/* A descriptor vmplay opened without O_CLOEXEC (as libraries do). */
	int leaky = open("/dev/null", O_RDONLY);
	CHECK(leaky > 2);
	/* ls lists its own descriptors: 0-2, and 3, the folder it reads. */
	char *out = run_sh("exec ls /proc/self/fd", NULL);
	CHECK_STR(out, "0\n1\n2\n3\n");
	close(leaky);
}

static void test_signals_reset(void)
{
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &old);
	signal(SIGPIPE, SIG_IGN);
	char *out = run_sh("sed -n 's/^Sig\\(Blk\\|Ign\\):[[:space:]]*//p' "
			   "/proc/self/status", NULL);
	unsigned long long blocked = ~0ull, ignored = ~0ull;
	CHECK(out && sscanf(out, "%llx %llx", &blocked, &ignored) == 2);
	CHECK_INT(blocked, 0);
	/* glibc keeps its two internal real-time signals (32, 33) out of
	 * anyone's hands; whoever started us may have them ignored. */
	CHECK_INT(ignored & ~(3ull << 31), 0);
	sigprocmask(SIG_SETMASK, &old, NULL);
	signal(SIGPIPE, SIG_DFL);
}

static void test_parent_death_signal(void)
{
	/* An intermediate process starts `sleep 30` and exits at once; we
	 * adopt the orphan (child subreaper) and see what ended it. */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	int fds[2];
	CHECK(pipe(fds) == 0);
	pid_t middle = fork();
	if (middle == 0) {
		char *const argv[] = { "sleep", "30", NULL };
		struct proc_spec spec = { .argv = argv, .in = -1, .out = -1,
					  .err = -1 };
		int err = 0;
		pid_t pid = proc_spawn(&spec, &err);
		ssize_t unused = write(fds[1], &pid, sizeof(pid));
		(void)unused;
		_exit(0);
	}
	close(fds[1]);
	pid_t sleeper = -1;
	CHECK(read(fds[0], &sleeper, sizeof(sleeper)) == sizeof(sleeper));
	close(fds[0]);
	proc_wait(middle);
	CHECK(sleeper > 0);
	int status = sleeper > 0 ? proc_wait(sleeper) : -1;
	CHECK(status != -1 && WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
	prctl(PR_SET_CHILD_SUBREAPER, 0);
}

static void test_cwd_and_null(void)
{
	char *out = run_sh("pwd; cat; echo end", "/tmp");
	CHECK_STR(out, "/tmp\nend\n");
}

static void test_exec_failure(void)
{
	char *const argv[] = { "vmplay-no-such-program", NULL };
	struct proc_spec spec = { .argv = argv, .in = -1, .out = -1, .err = -1 };
	int err = 0;
	CHECK_INT(proc_spawn(&spec, &err), -1);
	CHECK_INT(err, ENOENT);
	/* Reaped: no zombie left for a later waitpid(-1). */
	CHECK_INT(waitpid(-1, NULL, WNOHANG), -1);
	spec.argv = (char *const[]){ "true", NULL };
	spec.cwd = "/nonexistent-folder";
	CHECK_INT(proc_spawn(&spec, &err), -1);
	CHECK_INT(err, ENOENT);
}

static void test_std_fds_given_low(void)
{
	/* The caller's own descriptors may sit at 0..2 (a daemon started
	 * with them closed): they must land where asked, not be clobbered. */
	int fds[2];
	CHECK(pipe(fds) == 0);
	int saved = dup(1);
	dup2(fds[1], 1);   /* the pipe's write end is now also stdout */
	char *const argv[] = { "sh", "-c", "echo hi >&2", NULL };
	struct proc_spec spec = { .argv = argv, .in = -1, .out = -1, .err = 1 };
	int err = 0;
	pid_t pid = proc_spawn(&spec, &err);
	dup2(saved, 1);
	close(saved);
	close(fds[1]);
	char buf[16] = { 0 };
	ssize_t n = read(fds[0], buf, sizeof(buf) - 1);
	close(fds[0]);
	CHECK(pid > 0);
	CHECK_INT(proc_wait(pid), 0);
	CHECK_STR(n > 0 ? buf : "", "hi\n");
}

int main(void)
{
	RUN(test_only_std_fds);
	RUN(test_signals_reset);
	RUN(test_parent_death_signal);
	RUN(test_cwd_and_null);
	RUN(test_exec_failure);
	RUN(test_std_fds_given_low);
	return TEST_REPORT();
}
