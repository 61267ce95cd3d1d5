/* instance.c: one vmplay per VM file. Two claimers are two processes
 * (flock locks belong to open files, so one process could also race
 * itself; a child makes it the real situation). */
#include "vm/instance.h"

#include "base/util.h"
#include "test.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char *root;

static char *make_vm(const char *name)
{
	char *p = path_join(root, name);
	FILE *f = fopen(p, "w");
	if (f) {
		fputs("[vm]\n", f);
		fclose(f);
	}
	return p;
}

/* A child claims path and exits with the claim's result. */
static pid_t claim_in_child(const char *path, int wait_ms)
{
	fflush(stdout);   /* the child must not print our buffer again */
	pid_t pid = fork();
	if (pid == 0) {
		struct instance *in = NULL;
		char *msg = NULL;
		enum instance_claim r = instance_claim(path, INSTANCE_WINDOW,
						       wait_ms, &in, &msg);
		if (msg)
			printf("  child: %s\n", msg);
		fflush(stdout);
		_exit((int)r);
	}
	return pid;
}

/* Serves raise requests until the child is done; returns its result. */
static int serve_until_done(struct instance *in, pid_t child, int *raises)
{
	int status = 0;
	uint64_t deadline = now_ms() + 20000;
	while (now_ms() < deadline) {
		*raises += instance_dispatch(in);
		if (waitpid(child, &status, WNOHANG) == child)
			return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
		usleep(10000);
	}
	kill(child, SIGKILL);
	waitpid(child, &status, 0);
	return -1;
}

static void test_first_then_raise(void)
{
	char *vm = make_vm("a.vmplay");
	struct instance *in = NULL;
	char *msg = NULL;
	CHECK_INT(instance_claim(vm, INSTANCE_WINDOW, 0, &in, &msg),
		  INSTANCE_FIRST);
	CHECK(in != NULL && msg == NULL);
	CHECK(instance_fd(in) >= 0);
	const char *lock = in ? instance_lock_path(in) : NULL;
	CHECK(lock && path_exists(lock));
	char *lock_copy = xstrdup(lock);

	int raises = 0;
	pid_t child = claim_in_child(vm, 10000);
	CHECK_INT(serve_until_done(in, child, &raises), INSTANCE_RAISED);
	CHECK_INT(raises, 1);

	/* another name of the same file finds the same lock */
	char *link = path_join(root, "link.vmplay");
	CHECK(symlink(vm, link) == 0);
	raises = 0;
	child = claim_in_child(link, 10000);
	CHECK_INT(serve_until_done(in, child, &raises), INSTANCE_RAISED);
	CHECK_INT(raises, 1);

	/* released: the next one is first again, and no lock file is left */
	instance_release(in);
	CHECK(!path_exists(lock_copy));
	in = NULL;
	CHECK_INT(instance_claim(link, INSTANCE_WINDOW, 0, &in, &msg),
		  INSTANCE_FIRST);
	instance_release(in);
	free(lock_copy);
	free(link);
	free(vm);
}

static void test_headless_holder(void)
{
	char *vm = make_vm("b.vmplay");
	struct instance *in = NULL;
	char *msg = NULL;
	CHECK_INT(instance_claim(vm, INSTANCE_HEADLESS, 0, &in, &msg),
		  INSTANCE_FIRST);
	/* it listens (snapshot commands) but raises nothing */
	CHECK(instance_fd(in) >= 0);
	CHECK_INT(instance_dispatch(in), 0);
	pid_t child = claim_in_child(vm, 5000);
	int status = 0;
	waitpid(child, &status, 0);
	CHECK(WIFEXITED(status));
	CHECK_INT(WEXITSTATUS(status), INSTANCE_ELSEWHERE);
	instance_release(in);
	free(vm);
}

/* A holder that never answers: the second gives up after its wait. */
static void test_silent_holder(void)
{
	char *vm = make_vm("c.vmplay");
	struct instance *in = NULL;
	char *msg = NULL;
	CHECK_INT(instance_claim(vm, INSTANCE_WINDOW, 0, &in, &msg),
		  INSTANCE_FIRST);
	uint64_t start = now_ms();
	pid_t child = claim_in_child(vm, 500);
	int status = 0;
	waitpid(child, &status, 0);
	CHECK_INT(WEXITSTATUS(status), INSTANCE_ELSEWHERE);
	CHECK(now_ms() - start < 5000);
	instance_release(in);
	free(vm);
}

/* Two different files do not get in each other's way. */
static void test_two_files(void)
{
	char *a = make_vm("d.vmplay"), *b = make_vm("e.vmplay");
	struct instance *ia = NULL, *ib = NULL;
	char *msg = NULL;
	CHECK_INT(instance_claim(a, INSTANCE_WINDOW, 0, &ia, &msg),
		  INSTANCE_FIRST);
	CHECK_INT(instance_claim(b, INSTANCE_WINDOW, 0, &ib, &msg),
		  INSTANCE_FIRST);
	CHECK(strcmp(instance_lock_path(ia), instance_lock_path(ib)) != 0);
	instance_release(ia);
	instance_release(ib);
	instance_release(NULL);
	free(a);
	free(b);
}

/* A client that says something else gets no raise. */
static void test_unknown_request(void)
{
	char *vm = make_vm("f.vmplay");
	struct instance *in = NULL;
	char *msg = NULL;
	CHECK_INT(instance_claim(vm, INSTANCE_WINDOW, 0, &in, &msg),
		  INSTANCE_FIRST);
	fflush(stdout);   /* the child must not print our buffer again */
	pid_t pid = fork();
	if (pid == 0) {
		/* the socket is next to the lock, same name with .sock */
		char *sock = xstrdup(instance_lock_path(in));
		strcpy(sock + strlen(sock) - 5, ".sock");
		char *cmd = xasprintf("printf 'hello\\n' | python3 -c \""
				      "import socket,sys; s=socket.socket("
				      "socket.AF_UNIX); s.connect('%s'); "
				      "s.sendall(sys.stdin.buffer.read()); "
				      "print(s.recv(64))\" >/dev/null", sock);
		_exit(system(cmd) == 0 ? 0 : 1);
	}
	int raises = 0;
	serve_until_done(in, pid, &raises);
	CHECK_INT(raises, 0);
	instance_release(in);
	free(vm);
}

/* A killed holder's lock and socket files are removed by the next claim;
 * a live holder's stay. */
static void test_sweep(void)
{
	char *vm = make_vm("g.vmplay"), *other = make_vm("h.vmplay");
	struct instance *live = NULL, *in = NULL;
	char *msg = NULL;
	CHECK_INT(instance_claim(other, INSTANCE_WINDOW, 0, &live, &msg),
		  INSTANCE_FIRST);
	char *base = path_dirname(instance_lock_path(live));
	char *stale = path_join(base, "vm-00000000deadbeef.lock");
	char *stale_sock = path_join(base, "vm-00000000deadbeef.sock");
	FILE *f = fopen(stale, "w");
	if (f) {
		fputs("99999 window\n/gone.vmplay\n", f);
		fclose(f);
	}
	f = fopen(stale_sock, "w");
	if (f)
		fclose(f);
	CHECK_INT(instance_claim(vm, INSTANCE_WINDOW, 0, &in, &msg),
		  INSTANCE_FIRST);
	CHECK(!path_exists(stale));
	CHECK(!path_exists(stale_sock));
	CHECK(path_exists(instance_lock_path(live)));
	instance_release(in);
	instance_release(live);
	free(stale);
	free(stale_sock);
	free(base);
	free(vm);
	free(other);
}

/* A snapshot command (what `vmplay snapshot take FILE` sends while a
 * vmplay runs FILE): kept with its connection for the owner, whose note
 * and "done" lines reach the sender; a headless owner takes them too. */
static void print_line(void *user, const char *line)
{
	(void)user;
	printf("%s\n", line);
	fflush(stdout);
}

static void test_snapshot_request(void)
{
	char *vm = make_vm("g.vmplay");
	struct instance *in = NULL;
	char *msg = NULL;
	CHECK_INT(instance_claim(vm, INSTANCE_HEADLESS, 0, &in, &msg),
		  INSTANCE_FIRST);
	int pipefd[2];
	CHECK(pipe(pipefd) == 0);
	fflush(stdout);
	pid_t child = fork();
	if (child == 0) {
		close(pipefd[0]);
		dup2(pipefd[1], 1);
		char *error = NULL;
		int st = instance_request(vm, "snapshot take my snap",
					  print_line, NULL, &error);
		_exit(st < 0 ? 99 : st);
	}
	close(pipefd[1]);
	int fd = -1;
	char *line = NULL;
	uint64_t deadline = now_ms() + 10000;
	while (now_ms() < deadline &&
	       !(instance_dispatch(in), instance_next_request(in, &fd, &line)))
		usleep(10000);
	CHECK(line != NULL);
	CHECK_STR(line ? line : "", "snapshot take my snap");
	static const char answer[] = "note info Snapshot my snap taken\ndone 0\n";
	CHECK(write(fd, answer, sizeof(answer) - 1) == sizeof(answer) - 1);
	close(fd);
	free(line);
	int status = 0;
	waitpid(child, &status, 0);
	CHECK(WIFEXITED(status));
	CHECK_INT(WEXITSTATUS(status), 0);
	char out[256] = "";
	ssize_t n = read(pipefd[0], out, sizeof(out) - 1);
	out[n > 0 ? n : 0] = '\0';
	close(pipefd[0]);
	CHECK_STR(out, "note info Snapshot my snap taken\n");
	/* nothing else waits */
	CHECK(!instance_next_request(in, &fd, &line));
	instance_release(in);
	free(vm);
}

int main(void)
{
	char tmpl[] = "/tmp/vmplay-test-instance.XXXXXX";
	if (!mkdtemp(tmpl))
		return 1;
	root = tmpl;
	char *run = path_join(root, "run");
	mkdir(run, 0700);
	setenv("XDG_RUNTIME_DIR", run, 1);
	RUN(test_first_then_raise);
	RUN(test_headless_holder);
	RUN(test_silent_holder);
	RUN(test_two_files);
	RUN(test_unknown_request);
	RUN(test_snapshot_request);
	RUN(test_sweep);
	char *cmd = xasprintf("rm -rf '%s'", root);
	if (system(cmd) != 0)
		printf("could not remove %s\n", root);
	free(cmd);
	free(run);
	return TEST_REPORT();
}
