/* One vmplay per VM file: the lock and the "raise" socket of instance.h.
 *
 * The holder removes the lock file when it is done, while still holding
 * the lock. A process that opened the file just before that holds a lock
 * on a file nobody else can find any more, so after locking, a claimer
 * checks that the path still names the file it locked, and opens it
 * again otherwise. */
#include "vm/instance.h"

#include "base/i18n.h"
#include "base/log.h"
#include "base/util.h"
#include "vm/launch.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_WAIT_MS 30000
#define RETRY_MS 50
#define CLIENT_LINE_TIMEOUT_MS 1000
/* How long `vmplay snapshot` waits for the running vmplay to take its
 * command (its loop may be busy for a moment: a frame, a dialog). */
#define REQUEST_ACCEPT_TIMEOUT_MS 10000

static const char *const role_names[] = {
	[INSTANCE_WINDOW] = "window",
	[INSTANCE_HEADLESS] = "headless",
};

/* A snapshot command waiting for the owner (instance_next_request). */
struct pending {
	struct pending *next;
	int fd;
	char *line;
};

struct instance {
	int lock_fd;
	int listen_fd;
	char *lock_path;
	char *sock_path;
	struct pending *pending;   /* oldest first */
};

unsigned long long instance_path_key(const char *real_path)
{
	return (unsigned long long)hash_fnv1a(real_path);
}

/* BASE/vm-HASH.EXT for the VM file's real path. */
static char *runtime_file(const char *base, const char *real, const char *ext)
{
	return xasprintf("%s/vm-%016llx.%s", base, instance_path_key(real), ext);
}

/* RUNTIME/vm-HASH.EXT for a VM file however it is named; NULL with
 * *error when the runtime folder is unusable. */
static char *vm_file(const char *vm_path, const char *ext, char **error)
{
	char *base = launch_runtime_base(error);
	if (!base)
		return NULL;
	char *real = realpath(vm_path, NULL);
	if (!real)
		real = path_absolute(vm_path);
	char *path = runtime_file(base, real, ext);
	free(real);
	free(base);
	return path;
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static bool fill_addr(struct sockaddr_un *addr, const char *path)
{
	memset(addr, 0, sizeof(*addr));
	addr->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(addr->sun_path))
		return false;
	strcpy(addr->sun_path, path);
	return true;
}

static int listen_on(const char *path, char **error)
{
	struct sockaddr_un addr;
	if (!fill_addr(&addr, path)) {
		*error = xasprintf(_("%s: path too long for a unix socket"), path);
		return -1;
	}
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		*error = xasprintf("socket: %s", strerror(errno));
		return -1;
	}
	/* We hold the lock, so a socket file left here is a dead one's. */
	unlink(path);
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
	    listen(fd, 8) < 0) {
		*error = xasprintf("%s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* What the lock holder wrote: "PID ROLE\nREALPATH\n". false while it has
 * not written it yet. */
static bool read_owner(int fd, long *pid, char *role, size_t role_len)
{
	char buf[256];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	if (!strchr(buf, '\n'))
		return false;
	char fmt[32];
	snprintf(fmt, sizeof(fmt), "%%ld %%%zus", role_len - 1);
	return sscanf(buf, fmt, pid, role) == 2;
}

static bool write_owner(int fd, enum instance_role role, const char *real)
{
	char *text = xasprintf("%ld %s\n%s\n", (long)getpid(), role_names[role],
			       real);
	size_t len = strlen(text);
	bool ok = ftruncate(fd, 0) == 0 &&
		  pwrite(fd, text, len, 0) == (ssize_t)len;
	free(text);
	return ok;
}

/* Asks the holder to raise its window; true once it said so. */
static bool ask_raise(const char *sock_path, uint64_t deadline)
{
	struct sockaddr_un addr;
	if (!fill_addr(&addr, sock_path))
		return false;
	while (now_ms() < deadline) {
		int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return false;
		if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
			close(fd);
			sleep_ms(RETRY_MS);
			continue;
		}
		static const char req[] = "raise\n";
		bool ok = false;
		if (send(fd, req, sizeof(req) - 1, MSG_NOSIGNAL) ==
		    (ssize_t)sizeof(req) - 1) {
			char buf[64];
			size_t got = 0;
			while (got < sizeof(buf) - 1 && now_ms() < deadline) {
				struct pollfd p = { fd, POLLIN, 0 };
				int left = (int)(deadline - now_ms());
				if (poll(&p, 1, left > 0 ? left : 0) <= 0)
					break;
				ssize_t n = read(fd, buf + got,
						 sizeof(buf) - 1 - got);
				if (n <= 0)
					break;
				got += (size_t)n;
				buf[got] = '\0';
				if (strchr(buf, '\n'))
					break;
			}
			buf[got] = '\0';
			ok = strncmp(buf, "raised\n", 7) == 0;
		}
		close(fd);
		return ok;
	}
	return false;
}

static bool same_file(int fd, const char *path)
{
	struct stat a, b;
	return fstat(fd, &a) == 0 && lstat(path, &b) == 0 &&
	       a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* Lock files of vmplays that were killed (SIGKILL leaves the file; the
 * kernel only drops the lock): whoever can lock one removes it and its
 * socket, the same way a holder does at exit. */
static void sweep_stale(const char *base)
{
	DIR *d = opendir(base);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (strncmp(e->d_name, "vm-", 3) != 0 || len < 8 ||
		    strcmp(e->d_name + len - 5, ".lock") != 0)
			continue;
		char *lock = path_join(base, e->d_name);
		int fd = open(lock, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
		if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0 &&
		    same_file(fd, lock)) {
			char *sock = xstrdup(lock);
			strcpy(sock + strlen(sock) - 5, ".sock");
			unlink(sock);
			unlink(lock);
			log_debug("removed %s, left by a vmplay that was killed",
				  lock);
			free(sock);
		}
		if (fd >= 0)
			close(fd);
		free(lock);
	}
	closedir(d);
}

static char *display_name(const char *real)
{
	char *base = path_basename(real);
	size_t len = strlen(base);
	if (len > 7 && strcmp(base + len - 7, ".vmplay") == 0)
		base[len - 7] = '\0';
	return base;
}

enum instance_claim instance_claim(const char *vm_path, enum instance_role role,
				   int wait_ms, struct instance **out,
				   char **message)
{
	*out = NULL;
	*message = NULL;
	char *real = realpath(vm_path, NULL);
	if (!real)
		real = path_absolute(vm_path);
	char *base = launch_runtime_base(message);
	if (!base) {
		free(real);
		return INSTANCE_FAILED;
	}
	sweep_stale(base);
	char *lock_path = runtime_file(base, real, "lock");
	char *sock_path = runtime_file(base, real, "sock");
	free(base);
	char *name = display_name(real);
	uint64_t deadline = now_ms() + (uint64_t)(wait_ms > 0 ? wait_ms
							       : DEFAULT_WAIT_MS);
	enum instance_claim result = INSTANCE_FAILED;

	int fd = -1;
	for (;;) {
		if (fd < 0) {
			fd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC |
				  O_NOFOLLOW, 0600);
			if (fd < 0) {
				*message = xasprintf("%s: %s", lock_path,
						     strerror(errno));
				goto out;
			}
		}
		if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
			if (!same_file(fd, lock_path)) {
				/* the last holder removed it meanwhile */
				close(fd);
				fd = -1;
				continue;
			}
			struct instance *in = xcalloc(1, sizeof(*in));
			in->lock_fd = fd;
			in->listen_fd = -1;
			in->lock_path = lock_path;
			in->sock_path = sock_path;
			lock_path = sock_path = NULL;
			fd = -1;
			/* Headless too: it takes snapshot commands. */
			in->listen_fd = listen_on(in->sock_path, message);
			if (in->listen_fd < 0) {
				instance_release(in);
				goto out;
			}
			if (!write_owner(in->lock_fd, role, real))
				log_warn("%s: %s", in->lock_path,
					 strerror(errno));
			*out = in;
			result = INSTANCE_FIRST;
			goto out;
		}
		if (errno != EWOULDBLOCK && errno != EINTR) {
			*message = xasprintf(_("%s: cannot lock: %s"), lock_path,
					     strerror(errno));
			goto out;
		}
		long pid = 0;
		char owner_role[16] = "";
		if (!read_owner(fd, &pid, owner_role, sizeof(owner_role))) {
			if (now_ms() >= deadline)
				break;
			sleep_ms(RETRY_MS);   /* it is writing it now */
			continue;
		}
		if (strcmp(owner_role, role_names[INSTANCE_WINDOW]) != 0) {
			*message = xasprintf(_("%s is already running without a "
					     "window (vmplay pid %ld); not "
					     "starting it twice."), name, pid);
			result = INSTANCE_ELSEWHERE;
			goto out;
		}
		if (ask_raise(sock_path, deadline)) {
			*message = xasprintf(_("%s is already open (vmplay pid "
					     "%ld); raised its window."), name,
					     pid);
			result = INSTANCE_RAISED;
		} else {
			*message = xasprintf(_("%s is already open (vmplay pid "
					     "%ld), which did not answer; not "
					     "starting it twice."), name, pid);
			result = INSTANCE_ELSEWHERE;
		}
		goto out;
	}
	*message = xasprintf(_("%s is already open (%s is locked) by a vmplay "
			     "that does not say which; not starting it twice."),
			     name, lock_path);
	result = INSTANCE_ELSEWHERE;
out:
	if (fd >= 0)
		close(fd);
	free(name);
	free(lock_path);
	free(sock_path);
	free(real);
	return result;
}

int instance_fd(const struct instance *in)
{
	return in ? in->listen_fd : -1;
}

enum served { SERVED, SERVED_RAISE, KEPT };

static void queue_request(struct instance *in, int fd, const char *line)
{
	struct pending *p = xcalloc(1, sizeof(*p));
	p->fd = fd;
	p->line = xstrdup(line);
	struct pending **pp = &in->pending;
	while (*pp)
		pp = &(*pp)->next;
	*pp = p;
}

/* One client: its line, with a deadline so a silent client cannot hang
 * the window. "raise" is answered here (a headless owner has no window
 * to raise); a snapshot command is kept for the owner, connection and
 * all. */
static enum served serve_client(struct instance *in, int fd, bool window)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0 ||
	    cred.uid != getuid())
		return SERVED;
	char buf[INSTANCE_LINE_MAX + 2];
	size_t got = 0;
	uint64_t deadline = now_ms() + CLIENT_LINE_TIMEOUT_MS;
	while (got < sizeof(buf) - 1) {
		int left = (int)(deadline - now_ms());
		struct pollfd p = { fd, POLLIN, 0 };
		if (left <= 0 || poll(&p, 1, left) <= 0)
			return SERVED;
		ssize_t n = read(fd, buf + got, sizeof(buf) - 1 - got);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n <= 0)
			return SERVED;
		got += (size_t)n;
		buf[got] = '\0';
		if (strchr(buf, '\n'))
			break;
	}
	buf[got] = '\0';
	char *nl = strchr(buf, '\n');
	if (nl && !strncmp(buf, "snapshot ", 9)) {
		/* at once: the client knows someone will answer */
		static const char taken[] = "accepted\n";
		if (send(fd, taken, sizeof(taken) - 1, MSG_NOSIGNAL) < 0)
			return SERVED;   /* the client is gone */
		*nl = '\0';
		queue_request(in, fd, buf);
		return KEPT;
	}
	if (!window || strcmp(buf, "raise\n") != 0) {
		static const char no[] = "unknown request\n";
		if (send(fd, no, sizeof(no) - 1, MSG_NOSIGNAL) < 0) {
			/* the client is gone; nothing to tell */
		}
		return SERVED;
	}
	static const char yes[] = "raised\n";
	if (send(fd, yes, sizeof(yes) - 1, MSG_NOSIGNAL) < 0)
		log_debug("raise: the other vmplay left before the answer");
	return SERVED_RAISE;
}

int instance_dispatch(struct instance *in)
{
	if (!in || in->listen_fd < 0)
		return 0;
	/* the role is in the lock file; a window's owner writes "window" */
	long pid;
	char role[16] = "";
	bool window = read_owner(in->lock_fd, &pid, role, sizeof(role)) &&
		      strcmp(role, role_names[INSTANCE_WINDOW]) == 0;
	int raises = 0;
	for (;;) {
		int fd = accept4(in->listen_fd, NULL, NULL,
				 SOCK_CLOEXEC | SOCK_NONBLOCK);
		if (fd < 0) {
			if (errno == EINTR)
				continue;
			break;   /* EAGAIN: nothing more waits */
		}
		enum served r = serve_client(in, fd, window);
		if (r == SERVED_RAISE)
			raises++;
		if (r != KEPT)
			close(fd);
	}
	if (raises)
		log_debug("another vmplay asked to raise the window");
	return raises;
}

bool instance_next_request(struct instance *in, int *fd, char **line)
{
	struct pending *p = in ? in->pending : NULL;
	if (!p)
		return false;
	in->pending = p->next;
	*fd = p->fd;
	*line = p->line;
	free(p);
	return true;
}

int instance_request(const char *vm_path, const char *line,
		     void (*on_line)(void *user, const char *line), void *user,
		     char **error)
{
	*error = NULL;
	char *sock_path = vm_file(vm_path, "sock", error);
	if (!sock_path)
		return -1;
	struct sockaddr_un addr;
	int fd = -1, status = -1;
	if (!fill_addr(&addr, sock_path) ||
	    (fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
	    connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		*error = xasprintf("%s: %s", sock_path, strerror(errno));
		goto out;
	}
	char *req = xasprintf("%s\n", line);
	size_t len = strlen(req);
	bool sent = send(fd, req, len, MSG_NOSIGNAL) == (ssize_t)len;
	free(req);
	if (!sent) {
		*error = xasprintf("%s: %s", sock_path, strerror(errno));
		goto out;
	}
	/* "accepted" comes at once from a vmplay that serves its socket
	 * (a kiosk without a window does not); then lines until "done N",
	 * and a job may take minutes: no deadline. */
	struct pollfd p = { fd, POLLIN, 0 };
	if (poll(&p, 1, REQUEST_ACCEPT_TIMEOUT_MS) <= 0) {
		*error = xstrdup(_("that vmplay does not take snapshot "
				   "commands"));
		goto out;
	}
	FILE *f = fdopen(fd, "r");
	if (!f) {
		*error = xasprintf("%s: %s", sock_path, strerror(errno));
		goto out;
	}
	fd = -1;
	char *got = NULL;
	size_t cap = 0;
	ssize_t n;
	while ((n = getline(&got, &cap, f)) > 0) {
		got[strcspn(got, "\n")] = '\0';
		int done;
		if (sscanf(got, "done %d", &done) == 1) {
			status = done;
			break;
		}
		if (!strcmp(got, "accepted"))
			continue;
		if (!strcmp(got, "unknown request")) {
			*error = xstrdup(_("that vmplay does not take "
					   "snapshot commands"));
			break;
		}
		on_line(user, got);
	}
	if (status < 0 && !*error)
		*error = xstrdup(_("the vmplay running it stopped before it "
				   "was done"));
	free(got);
	fclose(f);
out:
	if (fd >= 0)
		close(fd);
	free(sock_path);
	return status;
}

const char *instance_lock_path(const struct instance *in)
{
	return in->lock_path;
}

void instance_release(struct instance *in)
{
	if (!in)
		return;
	if (in->listen_fd >= 0) {
		close(in->listen_fd);
		unlink(in->sock_path);
	}
	int fd;
	char *line;
	while (instance_next_request(in, &fd, &line)) {
		close(fd);
		free(line);
	}
	instance_set_vm_off(in, false);
	if (in->lock_fd >= 0) {
		/* Removed while still locked: see the top of this file. */
		unlink(in->lock_path);
		close(in->lock_fd);
	}
	free(in->lock_path);
	free(in->sock_path);
	free(in);
}

/* The lock file of vm_path (see the top of instance.h). Caller frees. */
/* RUNTIME/vm-HASH.off beside the lock, for the window's VM being off. */
static char *off_path_of_lock(const char *lock_path)
{
	size_t n = strlen(lock_path);
	const char *dot = strrchr(lock_path, '.');
	if (dot)
		n = (size_t)(dot - lock_path);
	return xasprintf("%.*s.off", (int)n, lock_path);
}

void instance_set_vm_off(struct instance *in, bool off)
{
	if (!in || !in->lock_path)
		return;
	char *path = off_path_of_lock(in->lock_path);
	if (off) {
		int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
			      0600);
		if (fd >= 0)
			close(fd);
	} else {
		unlink(path);
	}
	free(path);
}

static char *lock_path_of(const char *vm_path)
{
	char *error = NULL;
	char *lock = vm_file(vm_path, "lock", &error);
	free(error);
	return lock;
}

/* Whether a process holds a flock on the file (dev, ino), from
 * /proc/locks: looking never takes the lock, so a vmplay claiming it at
 * that moment is not disturbed. Lines look like
 * "1: FLOCK  ADVISORY  WRITE 1234 00:1a:56789 0 EOF"; waiters have "->". */
static bool flock_held(dev_t dev, ino_t ino, long *pid)
{
	FILE *f = fopen("/proc/locks", "re");
	if (!f)
		return false;
	char line[256];
	bool held = false;
	while (!held && fgets(line, sizeof(line), f)) {
		char kind[16], mode[16], rw[16];
		unsigned maj, min;
		unsigned long long inode;
		long owner;
		if (strstr(line, "->") ||
		    sscanf(line, "%*d: %15s %15s %15s %ld %x:%x:%llu", kind, mode,
			   rw, &owner, &maj, &min, &inode) != 7 ||
		    strcmp(kind, "FLOCK") != 0)
			continue;
		if (maj == major(dev) && min == minor(dev) &&
		    inode == (unsigned long long)ino) {
			held = true;
			*pid = owner;
		}
	}
	fclose(f);
	return held;
}

bool instance_holder(const char *vm_path, long *pid, bool *window)
{
	*pid = 0;
	*window = false;
	char *lock = lock_path_of(vm_path);
	if (!lock)
		return false;
	bool held = false;
	int fd = open(lock, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat st;
	if (fd >= 0 && fstat(fd, &st) == 0 && flock_held(st.st_dev, st.st_ino, pid)) {
		held = true;
		long owner = 0;
		char role[16] = "";
		if (read_owner(fd, &owner, role, sizeof(role))) {
			*pid = owner;
			*window = strcmp(role, role_names[INSTANCE_WINDOW]) == 0;
		}
	}
	if (fd >= 0)
		close(fd);
	free(lock);
	return held;
}

bool instance_holder_vm_off(const char *vm_path)
{
	long pid;
	bool window;
	if (!instance_holder(vm_path, &pid, &window) || !window)
		return false;
	char *lock = lock_path_of(vm_path);
	if (!lock)
		return false;
	char *off = off_path_of_lock(lock);
	bool is_off = access(off, F_OK) == 0;
	free(off);
	free(lock);
	return is_off;
}
