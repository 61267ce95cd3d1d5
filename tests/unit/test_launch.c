/* launch.c against real processes: QEMU with no machine (-M none starts in
 * a fraction of a second and opens both sockets), a missing binary, a
 * QEMU that rejects its arguments, a child that never opens the sockets,
 * and runtime folder rules (XDG_RUNTIME_DIR, fallback, long paths). */
#include "base/log.h"
#include "base/util.h"
#include "test.h"
#include "vm/launch.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static char *tmp_root;

/* argv for the test: a table of extra arguments after the binary. */
struct argv_spec {
	const char *binary;
	const char *const *extra;   /* NULL-terminated, may be NULL */
	bool sockets;               /* add -display none -vnc -qmp */
};

static bool build_argv(void *user, const char *runtime_dir,
		       const char *vnc_socket, const char *qmp_socket,
		       struct strv *argv, char **error)
{
	(void)runtime_dir;
	(void)error;
	const struct argv_spec *spec = user;
	strv_push(argv, spec->binary);
	if (spec->sockets) {
		strv_push_all(argv, (const char *const[]){
			"-M", "none", "-display", "none", "-vnc", NULL });
		strv_pushf(argv, "unix:%s", vnc_socket);
		strv_push(argv, "-qmp");
		strv_pushf(argv, "unix:%s,server=on,wait=off", qmp_socket);
	}
	if (spec->extra)
		strv_push_all(argv, spec->extra);
	return true;
}

static const struct argv_spec qemu_ok = { "qemu-system-x86_64", NULL, true };

static bool fd_points_to(pid_t pid, const char *target)
{
	char dir[64];
	snprintf(dir, sizeof(dir), "/proc/%ld/fd", (long)pid);
	DIR *d = opendir(dir);
	bool found = false;
	struct dirent *e;
	while (d && (e = readdir(d))) {
		char link[PATH_MAX], path[PATH_MAX];
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		ssize_t n = readlink(path, link, sizeof(link) - 1);
		if (n > 0) {
			link[n] = '\0';
			found = found || strcmp(link, target) == 0;
		}
	}
	if (d)
		closedir(d);
	return found;
}

static void test_start_and_stop(void)
{
	/* A descriptor opened without O_CLOEXEC, as a library might. */
	char *leak_path = path_join(tmp_root, "leak");
	int leak = open(leak_path, O_CREAT | O_WRONLY, 0600);
	CHECK(leak >= 0);

	char *error = NULL;
	uint64_t t0 = now_ms();
	struct launch *l = launch_start_with("my vm/1", build_argv,
					     (void *)&qemu_ok, 30000, &error);
	CHECK(l != NULL);
	if (!l) {
		printf("  error: %s\n", error);
		free(error);
		goto out;
	}
	log_debug("started in %llu ms", (unsigned long long)(now_ms() - t0));
	const char *dir = launch_runtime_dir(l);
	char *want = xasprintf("/my_vm_1-%ld", (long)getpid());
	CHECK(strstr(dir, want) != NULL);
	free(want);
	char *predicted = launch_runtime_dir_for("my vm/1");
	CHECK_STR(dir, predicted);   /* what --dry-run prints */
	free(predicted);
	struct stat st;
	CHECK(lstat(dir, &st) == 0 && S_ISDIR(st.st_mode) &&
	      (st.st_mode & 0777) == 0700);
	CHECK(stat(launch_vnc_socket(l), &st) == 0 && S_ISSOCK(st.st_mode));
	CHECK(stat(launch_qmp_socket(l), &st) == 0 && S_ISSOCK(st.st_mode));
	pid_t pid = launch_pid(l);
	CHECK(pid > 0 && kill(pid, 0) == 0);
	CHECK(getpgid(pid) == pid);   /* its own process group */
	CHECK(!fd_points_to(pid, leak_path));
	CHECK(!launch_reap(l, NULL));
	CHECK(launch_exit_fd(l) >= 0);

	launch_signal(l, SIGTERM);
	struct pollfd pfd = { .fd = launch_exit_fd(l), .events = POLLIN };
	CHECK(poll(&pfd, 1, 20000) == 1);
	int status = -1;
	CHECK(launch_wait(l, 20000, &status));
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK_CONTAINS(launch_stderr(l), "terminating on signal 15");
	char *dir_copy = xstrdup(dir);
	launch_destroy(l);
	CHECK(!path_exists(dir_copy));
	free(dir_copy);
out:
	if (leak >= 0)
		close(leak);
	unlink(leak_path);
	free(leak_path);
}

static void test_destroy_stops_running_qemu(void)
{
	char *error = NULL;
	struct launch *l = launch_start_with("vm", build_argv, (void *)&qemu_ok,
					     30000, &error);
	CHECK(l != NULL);
	if (!l) {
		free(error);
		return;
	}
	pid_t pid = launch_pid(l);
	char *dir = xstrdup(launch_runtime_dir(l));
	launch_destroy(l);
	/* Reaped: the PID no longer names our child. */
	CHECK(waitpid(pid, NULL, WNOHANG) < 0 && errno == ECHILD);
	CHECK(!path_exists(dir));
	free(dir);
}

/* Whether NAME=VALUE is in the environment QEMU (pid) runs with. */
static bool qemu_env_has(pid_t pid, const char *entry)
{
	char path[64], buf[65536];
	snprintf(path, sizeof(path), "/proc/%ld/environ", (long)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
	if (fd >= 0)
		close(fd);
	if (n < 0)
		return false;
	buf[n] = '\0';   /* entries are NUL-separated */
	for (ssize_t i = 0; i < n; i += (ssize_t)strlen(buf + i) + 1)
		if (!strcmp(buf + i, entry))
			return true;
	return false;
}

/* QEMU gets glibc's allocator settings (see launch.c), except those the
 * user's environment makes, which QEMU inherits as they are. */
static void test_qemu_allocator_environment(void)
{
	setenv("MALLOC_TRIM_THRESHOLD_", "12345", 1);
	char *error = NULL;
	struct launch *l = launch_start_with("vm", build_argv, (void *)&qemu_ok,
					     30000, &error);
	unsetenv("MALLOC_TRIM_THRESHOLD_");
	CHECK(l != NULL);
	if (!l) {
		free(error);
		return;
	}
	pid_t pid = launch_pid(l);
	CHECK(qemu_env_has(pid, "MALLOC_MMAP_THRESHOLD_=33554432"));
	CHECK(qemu_env_has(pid, "MALLOC_TOP_PAD_=67108864"));
	CHECK(qemu_env_has(pid, "MALLOC_TRIM_THRESHOLD_=12345"));
	CHECK(!qemu_env_has(pid, "MALLOC_TRIM_THRESHOLD_=67108864"));
	CHECK(launch_ready_ms(l) >= launch_spawned_ms(l));
	launch_destroy(l);
}

/* Failures: each must come back quickly with a message naming the cause. */
static const struct {
	const char *name;
	struct argv_spec spec;
	int timeout_ms;
	const char *fragments[3];
} failures[] = {
	{ "missing binary", { "/nonexistent/qemu-system-x86_64", NULL, false },
	  30000, { "cannot run /nonexistent/qemu-system-x86_64",
		   "No such file" } },
	{ "bad argument", { "qemu-system-x86_64",
			    (const char *const[]){ "-bogus-option", NULL },
			    true },
	  30000, { "QEMU exited with status 1 before it was ready",
		   "-bogus-option: invalid option" } },
	{ "never ready", { "sleep", (const char *const[]){ "30", NULL }, false },
	  300, { "QEMU did not open", "vnc.sock", "within 0.3 s" } },
};

static void test_failures(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(failures); i++) {
		char *error = NULL;
		uint64_t t0 = now_ms();
		struct launch *l = launch_start_with(
			"fail", build_argv, (void *)&failures[i].spec,
			failures[i].timeout_ms, &error);
		uint64_t took = now_ms() - t0;
		CHECK(l == NULL);
		launch_destroy(l);
		for (size_t f = 0; f < 3 && failures[i].fragments[f]; f++)
			CHECK_CONTAINS(error, failures[i].fragments[f]);
		/* An early exit is noticed, not waited out. */
		if (took > 15000)
			printf("  %s took %llu ms\n", failures[i].name,
			       (unsigned long long)took);
		CHECK(took < 15000);
		free(error);
	}
}

/* Started by a parent that ignores SIGCHLD (the disposition survives
 * exec), the kernel would reap QEMU itself and its exit status would be
 * lost: a failed QEMU must still be reported as such. */
static void test_sigchld_ignored_by_parent(void)
{
	signal(SIGCHLD, SIG_IGN);
	char *error = NULL;
	struct launch *l = launch_start_with("fail", build_argv,
					     (void *)&failures[1].spec, 30000,
					     &error);
	CHECK(l == NULL);
	CHECK_CONTAINS(error, "QEMU exited with status 1 before it was ready");
	launch_destroy(l);
	free(error);
	signal(SIGCHLD, SIG_DFL);
}

static void test_long_socket_path(void)
{
	/* A real, writable folder whose socket paths exceed 107 bytes. */
	char *deep = xstrdup(tmp_root);
	for (int i = 0; i < 3; i++) {
		char *next = xasprintf("%s/%s", deep,
				       "a-rather-long-folder-name-for-sockets");
		free(deep);
		deep = next;
		mkdir(deep, 0700);
	}
	setenv("XDG_RUNTIME_DIR", deep, 1);
	char *error = NULL;
	struct launch *l = launch_start_with("vm", build_argv, (void *)&qemu_ok,
					     30000, &error);
	CHECK(l == NULL);
	launch_destroy(l);
	CHECK_CONTAINS(error, "vnc.sock");
	CHECK_CONTAINS(error, "longer than the 107");
	CHECK_CONTAINS(error, "XDG_RUNTIME_DIR");
	free(error);
	unsetenv("XDG_RUNTIME_DIR");
	char *vm = xasprintf("%s/vmplay", deep);
	rmdir(vm);
	free(vm);
	while (strcmp(deep, tmp_root) != 0) {
		rmdir(deep);
		char *up = path_dirname(deep);
		free(deep);
		deep = up;
	}
	free(deep);
}

static void test_runtime_base(void)
{
	char *fallback = xasprintf("/tmp/vmplay-%u", (unsigned)geteuid());
	char *xdg = path_join(tmp_root, "xdg");
	mkdir(xdg, 0755);
	char *ours = path_join(xdg, "vmplay");
	char *error = NULL;

	/* XDG_RUNTIME_DIR usable: a private folder inside it. */
	setenv("XDG_RUNTIME_DIR", xdg, 1);
	char *base = launch_runtime_base(&error);
	CHECK_STR(base, ours);
	struct stat st;
	CHECK(lstat(ours, &st) == 0 && (st.st_mode & 0777) == 0700);
	free(base);
	rmdir(ours);

	/* vmplay inside it a symlink: not followed, /tmp is used. */
	CHECK(symlink("/", ours) == 0);
	base = launch_runtime_base(&error);
	CHECK_STR(base, fallback);
	free(base);
	unlink(ours);

	/* Unset, or not a folder: the fallback. */
	const char *bad[] = { NULL, "", "relative/dir", "/nonexistent/dir" };
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		if (bad[i])
			setenv("XDG_RUNTIME_DIR", bad[i], 1);
		else
			unsetenv("XDG_RUNTIME_DIR");
		base = launch_runtime_base(&error);
		CHECK_STR(base, fallback);
		CHECK(lstat(fallback, &st) == 0 && S_ISDIR(st.st_mode) &&
		      (st.st_mode & 0777) == 0700 && st.st_uid == geteuid());
		free(base);
	}
	unsetenv("XDG_RUNTIME_DIR");
	rmdir(xdg);
	free(ours);
	free(xdg);
	free(fallback);
}

static void test_stale_dirs_removed(void)
{
	char *xdg = path_join(tmp_root, "xdg2");
	mkdir(xdg, 0700);
	setenv("XDG_RUNTIME_DIR", xdg, 1);
	char *error = NULL;
	char *base = launch_runtime_base(&error);
	/* PID 2^22+1 is above pid_max's limit: no such process. */
	char *stale = xasprintf("%s/old-4194305", base);
	char *live = xasprintf("%s/other-1", base);   /* init is alive */
	mkdir(stale, 0700);
	mkdir(live, 0700);
	char *file = path_join(stale, "qemu.log");
	write_file_atomic(file, "x", 1, true);
	/* Dead PID but a live socket: another PID namespace's vmplay. */
	char *foreign = xasprintf("%s/foreign-4194306", base);
	mkdir(foreign, 0700);
	char *sock = path_join(foreign, "qmp.sock");
	int lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", sock);
	CHECK(bind(lfd, (struct sockaddr *)&addr, sizeof(addr)) == 0);
	CHECK(listen(lfd, 4) == 0);
	struct launch *l = launch_start_with("vm", build_argv, (void *)&qemu_ok,
					     30000, &error);
	CHECK(l != NULL);
	CHECK(!path_exists(stale));
	CHECK(path_exists(live));
	CHECK(path_exists(sock));
	launch_destroy(l);
	close(lfd);
	unlink(sock);
	rmdir(foreign);
	free(sock);
	free(foreign);
	rmdir(live);
	rmdir(base);
	rmdir(xdg);
	unsetenv("XDG_RUNTIME_DIR");
	free(file);
	free(stale);
	free(live);
	free(base);
	free(xdg);
}

static void test_describe_status(void)
{
	char *s = launch_describe_status(1 << 8);
	CHECK_STR(s, "exited with status 1");
	free(s);
	s = launch_describe_status(9);
	CHECK_STR(s, "was killed by signal 9 (Killed)");
	free(s);
}

int main(void)
{
	char tmpl[] = "/tmp/vmplay-test-launch-XXXXXX";
	tmp_root = mkdtemp(tmpl);
	if (!tmp_root) {
		perror("mkdtemp");
		return 1;
	}
	unsetenv("XDG_RUNTIME_DIR");
	RUN(test_start_and_stop);
	RUN(test_destroy_stops_running_qemu);
	RUN(test_qemu_allocator_environment);
	RUN(test_failures);
	RUN(test_sigchld_ignored_by_parent);
	RUN(test_long_socket_path);
	RUN(test_runtime_base);
	RUN(test_stale_dirs_removed);
	RUN(test_describe_status);
	rmdir(tmp_root);
	return TEST_REPORT();
}
