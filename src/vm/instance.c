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

static const char *const role_names[] = {
	[INSTANCE_WINDOW] = "window",
	[INSTANCE_HEADLESS] = "headless",
};

struct instance {
	int lock_fd;
	int listen_fd;
	char *lock_path;
	char *sock_path;
};

unsigned long long instance_path_key(const char *real_path)
{
	return (unsigned long long)hash_fnv1a(real_path);
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
	uint64_t h = hash_fnv1a(real);
	char *lock_path = xasprintf("%s/vm-%016llx.lock", base,
				    (unsigned long long)h);
	char *sock_path = xasprintf("%s/vm-%016llx.sock", base,
				    (unsigned long long)h);
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
			if (role == INSTANCE_WINDOW) {
				in->listen_fd = listen_on(in->sock_path,
							  message);
				if (in->listen_fd < 0) {
					instance_release(in);
					goto out;
				}
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

/* One client: its line, with a deadline so a silent client cannot hang
 * the window. Returns true when it asked to raise (and was answered). */
static bool serve_client(int fd)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0 ||
	    cred.uid != getuid())
		return false;
	char buf[64];
	size_t got = 0;
	uint64_t deadline = now_ms() + CLIENT_LINE_TIMEOUT_MS;
	while (got < sizeof(buf) - 1) {
		int left = (int)(deadline - now_ms());
		struct pollfd p = { fd, POLLIN, 0 };
		if (left <= 0 || poll(&p, 1, left) <= 0)
			return false;
		ssize_t n = read(fd, buf + got, sizeof(buf) - 1 - got);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n <= 0)
			return false;
		got += (size_t)n;
		buf[got] = '\0';
		if (strchr(buf, '\n'))
			break;
	}
	buf[got] = '\0';
	if (strcmp(buf, "raise\n") != 0) {
		static const char no[] = "unknown request\n";
		if (send(fd, no, sizeof(no) - 1, MSG_NOSIGNAL) < 0) {
			/* the client is gone; nothing to tell */
		}
		return false;
	}
	static const char yes[] = "raised\n";
	if (send(fd, yes, sizeof(yes) - 1, MSG_NOSIGNAL) < 0)
		log_debug("raise: the other vmplay left before the answer");
	return true;
}

int instance_dispatch(struct instance *in)
{
	if (!in || in->listen_fd < 0)
		return 0;
	int raises = 0;
	for (;;) {
		int fd = accept4(in->listen_fd, NULL, NULL,
				 SOCK_CLOEXEC | SOCK_NONBLOCK);
		if (fd < 0) {
			if (errno == EINTR)
				continue;
			break;   /* EAGAIN: nothing more waits */
		}
		if (serve_client(fd))
			raises++;
		close(fd);
	}
	if (raises)
		log_debug("another vmplay asked to raise the window");
	return raises;
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
static char *lock_path_of(const char *vm_path)
{
	char *error = NULL;
	char *base = launch_runtime_base(&error);
	free(error);
	if (!base)
		return NULL;
	char *real = realpath(vm_path, NULL);
	if (!real)
		real = path_absolute(vm_path);
	char *lock = xasprintf("%s/vm-%016llx.lock", base,
			       (unsigned long long)hash_fnv1a(real));
	free(real);
	free(base);
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
