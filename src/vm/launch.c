/* Starting QEMU: see launch.h for the contract. The child gets /dev/null as
 * stdin and a log file in the runtime folder as stdout and stderr: a file
 * rather than a pipe, so QEMU can never block on a full pipe that the
 * player forgot to drain, and the tail is there to quote when it fails. */
#include "vm/launch.h"

#include "base/i18n.h"
#include "base/log.h"
#include "base/proc.h"
#include "base/util.h"
#include "vm/image_fds.h"
#include "vm/qemu_args.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* How much of QEMU's stderr messages quote. */
#define STDERR_TAIL 4096
/* SIGTERM to SIGKILL in launch_destroy. QEMU exits on SIGTERM at once
 * unless it is stuck, so this only bounds the worst case. */
#define DESTROY_GRACE_MS 5000
/* The longest NAME part of a runtime folder, to keep socket paths short. */
#define NAME_MAX_LEN 40
/* sun_path holds 108 bytes including the NUL. */
#define SOCKET_PATH_MAX (sizeof(((struct sockaddr_un *)0)->sun_path) - 1)
/* How often wait_for_sockets probes while QEMU starts: each probe is a
 * stat and a connect, and every ms waited delays the first picture. */
#define SOCKET_POLL_MS 5

struct launch {
	char *dir;
	char *vnc;
	char *qmp;
	char *log;
	pid_t pid;
	int pidfd;
	bool reaped;
	int status;
	char *tail;
	uint64_t spawned_ms, ready_ms;
	/* "/dev/fdset/N" and the file it is, pairs: QEMU's messages name
	 * the fd set, the user knows the file */
	struct strv fd_names;
};

/* A folder we may put sockets in: a real folder (not a symlink), ours, and
 * private (tightened to 0700 when it is ours but looser). */
static bool check_private_dir(const char *path, char **error)
{
	struct stat st;
	if (lstat(path, &st) < 0) {
		*error = xasprintf("%s: %s", path, strerror(errno));
		return false;
	}
	if (S_ISLNK(st.st_mode)) {
		*error = xasprintf(_("%s is a symbolic link; vmplay only uses a "
				   "real folder there (remove the link)"), path);
		return false;
	}
	if (!S_ISDIR(st.st_mode)) {
		*error = xasprintf(_("%s is not a folder (remove it)"), path);
		return false;
	}
	if (st.st_uid != geteuid()) {
		*error = xasprintf(_("%s belongs to user %u, not to you (%u); "
				   "refusing to use it"), path,
				   (unsigned)st.st_uid, (unsigned)geteuid());
		return false;
	}
	if ((st.st_mode & 077) && chmod(path, 0700) < 0) {
		*error = xasprintf(_("%s: cannot make it private: %s"), path,
				   strerror(errno));
		return false;
	}
	return true;
}

static bool make_private_dir(const char *path, char **error)
{
	if (mkdir(path, 0700) < 0 && errno != EEXIST) {
		*error = xasprintf(_("cannot create %s: %s"), path,
				   strerror(errno));
		return false;
	}
	return check_private_dir(path, error);
}

static bool xdg_usable(const char *xdg)
{
	return xdg && xdg[0] == '/' && path_is_dir(xdg) &&
	       access(xdg, W_OK | X_OK) == 0;
}

char *launch_runtime_base(char **error)
{
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	if (xdg_usable(xdg)) {
		char *base = path_join(xdg, "vmplay");
		char *why = NULL;
		if (make_private_dir(base, &why))
			return base;
		log_warn(_("%s; using /tmp instead"), why);
		free(why);
		free(base);
	}
	char *base = xasprintf("/tmp/vmplay-%u", (unsigned)geteuid());
	if (make_private_dir(base, error))
		return base;
	free(base);
	return NULL;
}

/* Removes a folder and what it holds, never following symlinks. */
static void remove_tree_at(int parent, const char *name)
{
	int fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
			O_CLOEXEC);
	if (fd < 0) {
		unlinkat(parent, name, 0);
		return;
	}
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return;
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (unlinkat(fd, e->d_name, 0) < 0 && errno == EISDIR)
			remove_tree_at(fd, e->d_name);
	}
	closedir(d);
	if (unlinkat(parent, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
		log_warn(_("cannot remove %s: %s"), name, strerror(errno));
}

/* A socket is ready when connecting to it succeeds (QEMU creates the file
 * at bind, a moment before it listens). The probe is closed at once;
 * QEMU's VNC server and QMP monitor both take that in their stride. */
static bool socket_ready(const char *path)
{
	struct stat st;
	if (stat(path, &st) < 0 || !S_ISSOCK(st.st_mode))
		return false;
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof(addr.sun_path))
		return false;
	memcpy(addr.sun_path, path, strlen(path) + 1);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	bool ok = connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0;
	close(fd);
	return ok;
}

/* Runtime folders whose vmplay died without cleaning up (SIGKILL) end in
 * "-PID" of a process that no longer exists: remove them. */
static void remove_stale_dirs(const char *base)
{
	DIR *d = opendir(base);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		const char *dash = strrchr(e->d_name, '-');
		if (!dash || !dash[1])
			continue;
		char *end;
		long pid = strtol(dash + 1, &end, 10);
		if (*end || pid <= 0 || pid == getpid())
			continue;
		if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		/* A vmplay in another PID namespace sharing this folder has a
		 * PID we cannot see: a QEMU still answering means in use. */
		char *dir = path_join(base, e->d_name);
		char *qmp = path_join(dir, "qmp.sock");
		char *vnc = path_join(dir, "vnc.sock");
		bool in_use = socket_ready(qmp) || socket_ready(vnc);
		free(qmp);
		free(vnc);
		free(dir);
		if (in_use)
			continue;
		log_debug("removing stale runtime folder %s/%s", base,
			  e->d_name);
		remove_tree_at(dirfd(d), e->d_name);
	}
	closedir(d);
}

/* The NAME part: letters, digits, '.', '_' and '-' only, so the folder
 * is one plain path component whatever the VM is called. */
static char *safe_name(const char *name)
{
	if (!name || !*name)
		name = "vm";
	size_t n = strlen(name);
	if (n > NAME_MAX_LEN)
		n = NAME_MAX_LEN;
	char *s = xstrndup(name, n);
	for (char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			  (c >= '0' && c <= '9') || c == '.' || c == '_' ||
			  c == '-';
		if (!ok)
			*p = '_';
	}
	if (s[0] == '.')
		s[0] = '_';
	return s;
}

static char *runtime_leaf(const char *name)
{
	char *safe = safe_name(name);
	char *leaf = xasprintf("%s-%ld", safe, (long)getpid());
	free(safe);
	return leaf;
}

char *launch_runtime_dir_for(const char *name)
{
	/* The same choice launch_runtime_base makes, minus its checks. */
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	char *base = xdg_usable(xdg)
		? path_join(xdg, "vmplay")
		: xasprintf("/tmp/vmplay-%u", (unsigned)geteuid());
	char *leaf = runtime_leaf(name);
	char *dir = path_join(base, leaf);
	free(leaf);
	free(base);
	return dir;
}

char *launch_runtime_dir_of_pid(long pid)
{
	char *error = NULL;
	char *base = launch_runtime_base(&error);
	free(error);
	DIR *d = base ? opendir(base) : NULL;
	char *found = NULL;
	struct dirent *e;
	while (d && !found && (e = readdir(d))) {
		const char *dash = strrchr(e->d_name, '-');
		char *end;
		if (dash && dash[1] && strtol(dash + 1, &end, 10) == pid &&
		    !*end)
			found = path_join(base, e->d_name);
	}
	if (d)
		closedir(d);
	free(base);
	return found;
}

static bool make_runtime_dir(struct launch *l, const char *name,
			     char **error)
{
	char *base = launch_runtime_base(error);
	if (!base)
		return false;
	remove_stale_dirs(base);
	char *leaf = runtime_leaf(name);
	char *dir = path_join(base, leaf);
	l->vnc = path_join(dir, "vnc.sock");
	l->qmp = path_join(dir, "qmp.sock");
	l->log = path_join(dir, "qemu.log");
	bool ok = false;
	const char *socks[] = { l->vnc, l->qmp };
	for (size_t i = 0; i < ARRAY_SIZE(socks); i++) {
		if (strlen(socks[i]) > SOCKET_PATH_MAX) {
			*error = xasprintf(
				_("socket path %s is %zu bytes, longer than the "
				"%zu a unix socket allows; set XDG_RUNTIME_DIR "
				"to a shorter folder"), socks[i],
				strlen(socks[i]), SOCKET_PATH_MAX);
			goto out;
		}
	}
	if (mkdir(dir, 0700) < 0 && errno == EEXIST) {
		/* Only a dead vmplay with our PID can have left it. */
		int bfd = open(base, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (bfd >= 0) {
			remove_tree_at(bfd, leaf);
			close(bfd);
		}
		mkdir(dir, 0700);
	}
	if (!check_private_dir(dir, error))
		goto out;
	l->dir = dir;
	dir = NULL;
	ok = true;
out:
	free(dir);
	free(leaf);
	free(base);
	return ok;
}

/* What QEMU gets besides its command line. */
struct launch_files {
	const char *cwd;   /* its working folder; NULL: vmplay's */
	int *fds;          /* descriptors it inherits (image_fds) */
	size_t n_fds;
	struct strv names; /* launch.fd_names */
};

/* glibc's allocator settings QEMU runs with, unless the user's
 * environment sets them. QEMU's VNC worker thread builds every framebuffer
 * update in a fresh buffer (a whole frame: 3 MB at 1024x768, 14 MB at
 * 2560x1440, grown by doubling to 4 and 16 MiB) that the main thread
 * frees once sent. With glibc's defaults that memory goes back to the
 * kernel between updates (mmapped chunks, trimmed heaps, and whole heaps
 * of the worker's arena unmapped once empty), so every update page-faults
 * a whole frame of fresh memory: measured with `make bench` the worker
 * then costs 11 ms of CPU per 1024x768 frame instead of 0.4, and at
 * 2560x1440 the frame rate collapses. So: blocks up to 32 MiB (the most
 * glibc allows) come from the heap; free memory at the top of a heap is
 * kept up to 64 MiB (twice that, as glibc's own adaptive rule would
 * settle); and a 64 MiB top pad (a whole arena heap) keeps glibc from
 * unmapping an empty heap of the worker's arena. Cost, measured: QEMU's
 * peak RSS stays within a few MB of what it was. */
static const char *const qemu_malloc_env[] = {
	"MALLOC_MMAP_THRESHOLD_=33554432",
	"MALLOC_TRIM_THRESHOLD_=67108864",
	"MALLOC_TOP_PAD_=67108864",
};

/* environ plus qemu_malloc_env's settings the user did not make; built
 * before fork, as the child may only make async-signal-safe calls. */
static char **qemu_environment(void)
{
	extern char **environ;
	size_t n = 0;
	while (environ[n])
		n++;
	char **env = xcalloc(n + ARRAY_SIZE(qemu_malloc_env) + 1, sizeof(*env));
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		env[k++] = environ[i];
	for (size_t i = 0; i < ARRAY_SIZE(qemu_malloc_env); i++) {
		const char *set = qemu_malloc_env[i];
		size_t name_len = (size_t)(strchr(set, '=') - set);
		bool user_set = false;
		for (size_t j = 0; j < n && !user_set; j++)
			user_set = !strncmp(environ[j], set, name_len + 1);
		if (!user_set)
			env[k++] = (char *)set;
	}
	env[k] = NULL;
	return env;
}

static bool spawn(struct launch *l, struct strv *argv,
		  const struct launch_files *files, char **error)
{
	int out = open(l->log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC |
		       O_NOFOLLOW, 0600);
	if (out < 0) {
		*error = xasprintf(_("cannot prepare QEMU's output file %s: %s"),
				   l->log, strerror(errno));
		return false;
	}
	char **env = qemu_environment();
	/* Its own process group: Ctrl+C on the terminal goes to vmplay
	 * alone, which then stops QEMU in order. */
	struct proc_spec spec = {
		.argv = argv->v, .in = -1, .out = out, .err = out,
		.new_group = true, .envp = env,
	};
	if (files) {
		/* In the VM's folder: a relative name QEMU looks up itself
		 * (a qcow2 data file of a read-only disk) is then the one
		 * vmplay checked, wherever vmplay was started from. */
		spec.cwd = files->cwd;
		spec.keep = files->fds;
		spec.n_keep = files->n_fds;
	}
	int err = 0;
	l->spawned_ms = now_ms();
	pid_t pid = proc_spawn(&spec, &err);
	free(env);   /* the array only: its strings belong to environ */
	close(out);
	if (pid < 0) {
		l->reaped = true;
		*error = err == ENOENT
			? xasprintf(_("cannot run %s: %s (is QEMU installed? "
				      "Debian package qemu-system-x86)"),
				    argv->v[0], strerror(err))
			: xasprintf(_("cannot run %s: %s"), argv->v[0],
				    strerror(err));
		return false;
	}
	l->pid = pid;
	l->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (l->pidfd < 0)
		log_debug("pidfd_open: %s; polling for QEMU's exit instead",
			  strerror(errno));
	return true;
}

/* "QEMU exited with status 1:\n<its stderr>" style messages. */
static char *failure_message(struct launch *l, const char *what)
{
	const char *tail = launch_stderr(l);
	return xasprintf("%s%s%s", what, *tail ? ":\n" : "", tail);
}

static bool wait_for_sockets(struct launch *l, int timeout_ms, char **error)
{
	uint64_t deadline = now_ms() + (uint64_t)(timeout_ms < 0 ? 0 : timeout_ms);
	bool vnc_ok = false, qmp_ok = false;
	for (;;) {
		int status;
		if (launch_reap(l, &status)) {
			char *how = launch_describe_status(status);
			/* TRANSLATORS: %s is one of "exited with status
			 * %d", "was killed by signal %d (%s)"... */
			char *what = xasprintf(_("QEMU %s before it was ready"), how);
			*error = failure_message(l, what);
			free(what);
			free(how);
			return false;
		}
		vnc_ok = vnc_ok || socket_ready(l->vnc);
		qmp_ok = qmp_ok || socket_ready(l->qmp);
		if (vnc_ok && qmp_ok)
			return true;
		uint64_t now = now_ms();
		if (now >= deadline) {
			char *what = xasprintf(
				_("QEMU did not open %s within %.1f s"),
				!vnc_ok ? l->vnc : l->qmp, timeout_ms / 1000.0);
			*error = failure_message(l, what);
			free(what);
			return false;
		}
		/* Wakes at once if QEMU exits meanwhile. */
		int step = deadline - now < SOCKET_POLL_MS
			? (int)(deadline - now) : SOCKET_POLL_MS;
		if (l->pidfd >= 0) {
			struct pollfd pfd = { .fd = l->pidfd, .events = POLLIN };
			poll(&pfd, 1, step);
		} else {
			struct timespec ts = { 0, step * 1000000L };
			nanosleep(&ts, NULL);
		}
	}
}

/* Runtime folder, command line, fork and exec; no waiting. */
static struct launch *spawn_with(const char *name, launch_argv_fn build,
				 void *user, const struct launch_files *files,
				 char **error)
{
	struct launch *l = xcalloc(1, sizeof(*l));
	l->pidfd = -1;
	l->pid = -1;
	l->reaped = true;   /* nothing to reap until spawned */
	struct strv argv = { 0 };
	*error = NULL;
	if (!make_runtime_dir(l, name, error))
		goto fail;
	if (!build(user, l->dir, l->vnc, l->qmp, &argv, error))
		goto fail;
	if (!argv.n) {
		*error = xstrdup(_("empty QEMU command line"));
		goto fail;
	}
	if (log_get_level() >= LOG_DEBUG) {
		char *line = strv_join_quoted(&argv);
		log_debug("starting %s", line);
		free(line);
	}
	l->reaped = false;
	if (files)
		for (size_t i = 0; i < files->names.n; i++)
			strv_push(&l->fd_names, files->names.v[i]);
	if (!spawn(l, &argv, files, error))
		goto fail;
	strv_free(&argv);
	return l;
fail:
	strv_free(&argv);
	launch_destroy(l);
	return NULL;
}

bool launch_wait_ready(struct launch *l, int timeout_ms, char **error)
{
	*error = NULL;
	if (!wait_for_sockets(l, timeout_ms, error))
		return false;
	l->ready_ms = now_ms();
	log_debug("QEMU's sockets answered %llu ms after its start",
		  (unsigned long long)(l->ready_ms - l->spawned_ms));
	return true;
}

static struct launch *wait_ready_or_destroy(struct launch *l, int timeout_ms,
					    char **error)
{
	if (l && !launch_wait_ready(l, timeout_ms, error)) {
		launch_destroy(l);
		return NULL;
	}
	return l;
}

struct launch *launch_start_with(const char *name, launch_argv_fn build,
				 void *user, int timeout_ms, char **error)
{
	return wait_ready_or_destroy(spawn_with(name, build, user, NULL, error),
				     timeout_ms, error);
}

struct config_launch {
	const struct vm_config *cfg;
	struct image_fds *images;
	struct launch_files files;
};

static void name_fd_set(struct strv *names, int set, const char *path)
{
	if (set <= 0 || !path)
		return;
	char *name = qemu_fdset_path(set);
	strv_push(names, name);
	strv_push(names, path);
	free(name);
}

/* The files behind the fd sets, for QEMU's messages (launch.fd_names). */
static void name_fd_sets(struct config_launch *c)
{
	const struct image_fds *im = c->images;
	for (size_t i = 0; im && i < im->n_disks && i < c->cfg->n_disks; i++)
		name_fd_set(&c->files.names, im->disk[i].set,
			    c->cfg->disks[i].file);
	if (im && im->vars.set > 0) {
		char *vars = qemu_uefi_vars_path(c->cfg);
		name_fd_set(&c->files.names, im->vars.set, vars);
		free(vars);
	}
}

static bool build_from_config(void *user, const char *runtime_dir,
			      const char *vnc_socket, const char *qmp_socket,
			      struct strv *argv, char **error)
{
	(void)runtime_dir;
	struct config_launch *c = user;
	if (!qemu_args_build_local(c->cfg, vnc_socket, qmp_socket, true,
				   &c->images, argv, error))
		return false;
	image_fds_list(c->images, &c->files.fds, &c->files.n_fds);
	name_fd_sets(c);
	return true;
}

struct launch *launch_spawn(const struct vm_config *cfg, char **error)
{
	struct config_launch c = { .cfg = cfg, .files.cwd = cfg->dir };
	struct launch *l = spawn_with(cfg->name, build_from_config, &c,
				      &c.files, error);
	/* QEMU holds its own copies now (or never started). */
	image_fds_close(c.images);
	free(c.files.fds);
	strv_free(&c.files.names);
	return l;
}

struct launch *launch_start(const struct vm_config *cfg, int timeout_ms,
			    char **error)
{
	return wait_ready_or_destroy(launch_spawn(cfg, error), timeout_ms,
				     error);
}

const char *launch_vnc_socket(const struct launch *l) { return l->vnc; }
const char *launch_qmp_socket(const struct launch *l) { return l->qmp; }
const char *launch_runtime_dir(const struct launch *l) { return l->dir; }
pid_t launch_pid(const struct launch *l) { return l->pid; }
uint64_t launch_spawned_ms(const struct launch *l) { return l->spawned_ms; }
uint64_t launch_ready_ms(const struct launch *l) { return l->ready_ms; }
int launch_exit_fd(const struct launch *l) { return l->pidfd; }

bool launch_reap(struct launch *l, int *status)
{
	if (!l->reaped) {
		int st;
		pid_t r;
		do
			r = waitpid(l->pid, &st, WNOHANG);
		while (r < 0 && errno == EINTR);
		if (r == 0)
			return false;
		if (r < 0) {
			/* ECHILD: someone else reaped it (SIGCHLD ignored). */
			log_warn(_("cannot get QEMU's exit status: %s"),
				 strerror(errno));
			st = 0;
		}
		l->reaped = true;
		l->status = st;
		log_debug("QEMU (pid %ld) exited, wait status %#x",
			  (long)l->pid, (unsigned)st);
	}
	if (status)
		*status = l->status;
	return true;
}

bool launch_wait(struct launch *l, int timeout_ms, int *status)
{
	uint64_t deadline = now_ms() + (uint64_t)(timeout_ms < 0 ? 0 : timeout_ms);
	for (;;) {
		if (launch_reap(l, status))
			return true;
		uint64_t now = now_ms();
		if (now >= deadline)
			return false;
		int step = (int)(deadline - now);
		if (l->pidfd >= 0) {
			struct pollfd pfd = { .fd = l->pidfd, .events = POLLIN };
			poll(&pfd, 1, step);
		} else {
			struct timespec ts = { 0, (step < 10 ? step : 10) * 1000000L };
			nanosleep(&ts, NULL);
		}
	}
}

void launch_signal(struct launch *l, int sig)
{
	/* Until it is reaped the PID cannot be reused, so kill() is safe. */
	if (!l->reaped && l->pid > 0)
		kill(l->pid, sig);
}

/* text with each fd set's name ("/dev/fdset/3", not "/dev/fdset/31")
 * replaced by its file's. Caller frees. */
static char *with_file_names(const char *text, const struct strv *names)
{
	char *out = xstrdup(text);
	for (size_t i = 0; i + 1 < names->n; i += 2) {
		const char *from = names->v[i], *to = names->v[i + 1];
		size_t n = strlen(from);
		struct strv parts = { 0 };
		const char *p = out, *hit;
		while ((hit = strstr(p, from))) {
			bool whole = hit[n] < '0' || hit[n] > '9';
			size_t keep = (size_t)(hit - p) + (whole ? 0 : n);
			char *before = xstrndup(p, keep);
			strv_push(&parts, before);
			free(before);
			if (whole)
				strv_push(&parts, to);
			p = hit + n;
		}
		strv_push(&parts, p);
		free(out);
		out = strv_join(&parts, "");
		strv_free(&parts);
	}
	return out;
}

const char *launch_stderr(struct launch *l)
{
	free(l->tail);
	l->tail = NULL;
	int fd = l->log ? open(l->log, O_RDONLY | O_CLOEXEC | O_NOFOLLOW) : -1;
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0) {
		if (fd >= 0)
			close(fd);
		return l->tail = xstrdup("");
	}
	off_t start = st.st_size > STDERR_TAIL ? st.st_size - STDERR_TAIL : 0;
	char *buf = xmalloc(STDERR_TAIL + 1);
	ssize_t n = pread(fd, buf, STDERR_TAIL, start);
	close(fd);
	if (n < 0)
		n = 0;
	buf[n] = '\0';
	char *text = buf;
	/* Cut before the first whole line when the tail starts mid-line. */
	if (start > 0) {
		char *nl = strchr(text, '\n');
		if (nl)
			text = nl + 1;
	}
	size_t len = strlen(text);
	while (len && (text[len - 1] == '\n' || text[len - 1] == '\r' ||
		       text[len - 1] == ' '))
		text[--len] = '\0';
	l->tail = with_file_names(text, &l->fd_names);
	free(buf);
	return l->tail;
}

/* TRANSLATORS: the three phrases below follow "QEMU": "QEMU exited
 * with status 1 before it was ready", "QEMU ended (was killed by signal
 * 9 (Killed))". */
char *launch_describe_status(int status)
{
	if (WIFEXITED(status))
		return xasprintf(_("exited with status %d"), WEXITSTATUS(status));
	if (WIFSIGNALED(status))
		return xasprintf(_("was killed by signal %d (%s)"),
				 WTERMSIG(status), strsignal(WTERMSIG(status)));
	return xasprintf(_("ended with wait status %#x"), (unsigned)status);
}

void launch_destroy(struct launch *l)
{
	if (!l)
		return;
	if (!l->reaped) {
		launch_signal(l, SIGTERM);
		if (!launch_wait(l, DESTROY_GRACE_MS, NULL)) {
			log_warn(_("QEMU did not exit on SIGTERM within %d s; "
				 "killing it"), DESTROY_GRACE_MS / 1000);
			launch_signal(l, SIGKILL);
			launch_wait(l, 60000, NULL);
		}
	}
	if (l->pidfd >= 0)
		close(l->pidfd);
	if (l->dir) {
		char *parent = path_dirname(l->dir);
		char *leaf = path_basename(l->dir);
		int pfd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (pfd >= 0) {
			remove_tree_at(pfd, leaf);
			close(pfd);
		}
		free(parent);
		free(leaf);
	}
	free(l->dir);
	free(l->vnc);
	free(l->qmp);
	free(l->log);
	free(l->tail);
	strv_free(&l->fd_names);
	free(l);
}
