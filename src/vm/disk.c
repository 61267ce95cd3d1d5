/* qemu-img wrapper and image format detection; see disk.h. */
#include "vm/disk.h"

#include "base/i18n.h"
#include "base/proc.h"
#include "base/temp_files.h"
#include "base/util.h"
#include "vm/snapshot_rules.h"

#include <errno.h>
#include <fcntl.h>
#include <json.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

const char *const disk_prealloc_names[] = {
	"default", "off", "metadata", "falloc", "full", NULL
};

/* Which preallocation modes qemu-img 7.2 accepts per format, from
 * `qemu-img create -f FMT -o help` (bit per enum disk_prealloc). */
#define PA(p) (1u << (p))
static const unsigned prealloc_support[] = {
	[FORMAT_AUTO] = 0,
	[FORMAT_QCOW2] = PA(PREALLOC_DEFAULT) | PA(PREALLOC_OFF) |
			 PA(PREALLOC_METADATA) | PA(PREALLOC_FALLOC) |
			 PA(PREALLOC_FULL),
	[FORMAT_RAW] = PA(PREALLOC_DEFAULT) | PA(PREALLOC_OFF) |
		       PA(PREALLOC_FALLOC) | PA(PREALLOC_FULL),
	[FORMAT_VDI] = PA(PREALLOC_DEFAULT) | PA(PREALLOC_OFF) |
		       PA(PREALLOC_FALLOC) | PA(PREALLOC_FULL),
	[FORMAT_VMDK] = PA(PREALLOC_DEFAULT) | PA(PREALLOC_OFF) |
			PA(PREALLOC_FALLOC) | PA(PREALLOC_FULL),
};
#undef PA

bool disk_format_parse(const char *name, enum disk_format *out)
{
	/* Index 0 is "auto", which names no real format. */
	for (int i = FORMAT_QCOW2; disk_format_names[i]; i++) {
		if (strcmp(name, disk_format_names[i]) == 0) {
			*out = (enum disk_format)i;
			return true;
		}
	}
	return false;
}

const char *disk_format_name(enum disk_format format)
{
	return disk_format_names[format];
}

bool disk_format_has_snapshots(enum disk_format format)
{
	return format == FORMAT_QCOW2;
}

bool disk_prealloc_parse(const char *name, enum disk_prealloc *out)
{
	for (int i = PREALLOC_OFF; disk_prealloc_names[i]; i++) {
		if (strcmp(name, disk_prealloc_names[i]) == 0) {
			*out = (enum disk_prealloc)i;
			return true;
		}
	}
	return false;
}

bool disk_prealloc_supported(enum disk_format format, enum disk_prealloc p)
{
	if ((size_t)format >= ARRAY_SIZE(prealloc_support))
		return false;
	return prealloc_support[format] & (1u << p);
}

/* Header signatures, as QEMU's own probes check them (block/qcow2.c,
 * block/vdi.c, block/vmdk.c). Formats vmplay does not name map to
 * FORMAT_AUTO so that QEMU probes them itself. */
struct magic {
	size_t offset;
	const char *bytes;
	size_t len;
	enum disk_format format;
};
static const struct magic magics[] = {
	/* qcow2: "QFI\xfb" then a big-endian version 2 or 3; version 1 is
	 * the old qcow format. */
	{ 0, "QFI\xfb\0\0\0\x02", 8, FORMAT_QCOW2 },
	{ 0, "QFI\xfb\0\0\0\x03", 8, FORMAT_QCOW2 },
	{ 0, "QFI\xfb", 4, FORMAT_AUTO },
	/* vdi: little-endian signature 0xbeda107f at 0x40, version 1.1. */
	{ 0x40, "\x7f\x10\xda\xbe\x01\x00\x01\x00", 8, FORMAT_VDI },
	/* vmdk: hosted sparse extent "KDMV", VMware 3 "COWD", or a text
	 * descriptor file. */
	{ 0, "KDMV", 4, FORMAT_VMDK },
	{ 0, "COWD", 4, FORMAT_VMDK },
	{ 0, "# Disk DescriptorFile", 21, FORMAT_VMDK },
	/* Formats QEMU knows and vmplay does not name. */
	{ 0, "vhdxfile", 8, FORMAT_AUTO },
	{ 0, "conectix", 8, FORMAT_AUTO },
	{ 0, "QED\0", 4, FORMAT_AUTO },
	{ 0, "LUKS\xba\xbe", 6, FORMAT_AUTO },
	{ 0, "WithoutFreeSpace", 16, FORMAT_AUTO },
	{ 0, "WithouFreSpacExt", 16, FORMAT_AUTO },
};

enum disk_format disk_detect_format(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return FORMAT_AUTO;
	unsigned char head[512];
	size_t got = 0;
	bool read_failed = false;
	while (got < sizeof(head)) {
		ssize_t n = read(fd, head + got, sizeof(head) - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			read_failed = true;  /* a folder, an I/O error */
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	if (read_failed)
		return FORMAT_AUTO;
	for (size_t i = 0; i < ARRAY_SIZE(magics); i++) {
		const struct magic *m = &magics[i];
		if (got >= m->offset + m->len &&
		    memcmp(head + m->offset, m->bytes, m->len) == 0)
			return m->format;
	}
	/* No header QEMU recognises: QEMU's probe says raw too. */
	return FORMAT_RAW;
}


/* ---- running qemu-img ------------------------------------------------ */

/* The qemu-img child running now, for disk_cancel() from a signal
 * handler; 0 when none. */
static volatile sig_atomic_t running_child;

void disk_cancel(void)
{
	pid_t pid = running_child;
	if (pid > 0)
		kill(pid, SIGTERM);
}

struct run_result {
	int status;        /* exit status; -1 when it could not run or died */
	bool not_found;    /* execvp failed: no qemu-img */
	int signal;        /* the signal that ended it, or 0 */
	char *out;         /* captured stdout (progress lines stripped) */
	char *err;         /* captured stderr */
};

static void run_result_free(struct run_result *r)
{
	free(r->out);
	free(r->err);
	memset(r, 0, sizeof(*r));
}

struct buf {
	char *data;
	size_t len, cap;
};

static void buf_append(struct buf *b, const char *data, size_t len)
{
	if (b->len + len + 1 > b->cap) {
		b->cap = (b->len + len + 1) * 2;
		b->data = xrealloc(b->data, b->cap);
	}
	memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
}

/* qemu-img -p writes "    (12.34/100%)\r" on stdout. Reports the last
 * complete percentage in the text and removes every progress record, so
 * that what remains is qemu-img's real output. */
static void take_progress(struct buf *b, disk_progress_fn progress,
			  void *userdata)
{
	char *p;
	while (b->data && (p = strchr(b->data, '\r'))) {
		*p = '\0';
		char *paren = strrchr(b->data, '(');
		double percent;
		if (paren && sscanf(paren, "(%lf/100%%)", &percent) == 1 &&
		    progress)
			progress(percent, userdata);
		/* Drop the line up to and including the \r; a record starts
		 * after the last newline before it. */
		char *start = strrchr(b->data, '\n');
		size_t keep = start ? (size_t)(start + 1 - b->data) : 0;
		size_t rest = b->len - (size_t)(p + 1 - b->data);
		memmove(b->data + keep, p + 1, rest + 1);
		b->len = keep + rest;
	}
}

/* Runs argv (argv[0] "qemu-img") and waits for it, reading its stdout and
 * stderr as they come so that progress shows while it runs. */
static void run_in(const struct strv *argv, const char *cwd,
		   disk_progress_fn progress, void *userdata,
		   struct run_result *r)
{
	memset(r, 0, sizeof(*r));
	r->status = -1;
	int out_pipe[2], err_pipe[2];
	if (pipe2(out_pipe, O_CLOEXEC) < 0) {
		r->err = xasprintf(_("cannot run qemu-img: %s"), strerror(errno));
		return;
	}
	if (pipe2(err_pipe, O_CLOEXEC) < 0) {
		r->err = xasprintf(_("cannot run qemu-img: %s"), strerror(errno));
		close(out_pipe[0]);
		close(out_pipe[1]);
		return;
	}
	/* A SIGINT/SIGTERM between fork and running_child = pid would find
	 * no child to cancel: hold them until both sides are ready (the
	 * child starts with an empty mask). */
	sigset_t stop, saved;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGHUP);
	sigprocmask(SIG_BLOCK, &stop, &saved);
	struct proc_spec spec = {
		.argv = argv->v, .in = -1, .out = out_pipe[1],
		.err = err_pipe[1], .cwd = cwd,
	};
	int spawn_errno = 0;
	pid_t pid = proc_spawn(&spec, &spawn_errno);
	if (pid > 0)
		running_child = pid;
	sigprocmask(SIG_SETMASK, &saved, NULL);
	close(out_pipe[1]);
	close(err_pipe[1]);
	if (pid < 0) {
		r->not_found = spawn_errno == ENOENT;
		r->err = xasprintf(_("cannot run %s: %s"), argv->v[0],
				   strerror(spawn_errno));
		close(out_pipe[0]);
		close(err_pipe[0]);
		return;
	}

	struct buf out = { 0 }, err = { 0 };
	struct pollfd fds[2] = {
		{ .fd = out_pipe[0], .events = POLLIN },
		{ .fd = err_pipe[0], .events = POLLIN },
	};
	struct buf *bufs[2] = { &out, &err };
	int open_fds = 2;
	while (open_fds > 0) {
		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (int i = 0; i < 2; i++) {
			if (fds[i].fd < 0 || !fds[i].revents)
				continue;
			char chunk[4096];
			ssize_t n = read(fds[i].fd, chunk, sizeof(chunk));
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				close(fds[i].fd);
				fds[i].fd = -1;
				open_fds--;
				continue;
			}
			buf_append(bufs[i], chunk, (size_t)n);
			if (i == 0)
				take_progress(&out, progress, userdata);
		}
	}
	for (int i = 0; i < 2; i++)
		if (fds[i].fd >= 0)
			close(fds[i].fd);

	int wstatus = proc_wait(pid);
	running_child = 0;
	r->out = out.data ? out.data : xstrdup("");
	r->err = err.data ? err.data : xstrdup("");
	if (wstatus == -1) {
		/* Someone else reaped it (a waitpid(-1) elsewhere). */
		free(r->err);
		r->err = xstrdup(_("qemu-img's exit status was lost"));
	} else if (WIFEXITED(wstatus)) {
		r->status = WEXITSTATUS(wstatus);
	} else if (WIFSIGNALED(wstatus)) {
		r->signal = WTERMSIG(wstatus);
	}
}

static void run(const struct strv *argv, disk_progress_fn progress,
		void *userdata, struct run_result *r)
{
	run_in(argv, NULL, progress, userdata, r);
}

/* qemu-img's own words without its "qemu-img: " prefixes and trailing
 * blank space, lines joined by "; ". Caller frees. */
static char *tidy_message(const char *text)
{
	struct buf b = { 0 };
	const char *line = text;
	while (line && *line) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		const char *l = line;
		if (len >= 10 && strncmp(l, "qemu-img: ", 10) == 0) {
			l += 10;
			len -= 10;
		}
		while (len && (l[len - 1] == ' ' || l[len - 1] == '\r' ||
			       l[len - 1] == '\t'))
			len--;
		/* Probing warnings are noise here: vmplay names the format
		 * wherever it changes an image. */
		bool noise = strncmp(l, "WARNING: Image format was not", 29) == 0 ||
			     (len && (*l == ' ')) ||
			     strncmp(l, "warning: Shrinking an image", 27) == 0;
		if (len && !noise) {
			if (b.len)
				buf_append(&b, "; ", 2);
			buf_append(&b, l, len);
		}
		line = end ? end + 1 : NULL;
	}
	return b.data ? b.data : xstrdup("");
}

/* qemu-img reads "proto:..." and "json:{...}" as protocols, and "-x" as
 * an option; a path starting with "/" or "./" is always a plain file. */
static char *plain_path(const char *path)
{
	if (path[0] == '/' || strncmp(path, "./", 2) == 0)
		return xstrdup(path);
	return xasprintf("./%s", path);
}

/* text with every "from" replaced by "to"; frees text. */
static char *replace_all(char *text, const char *from, const char *to)
{
	struct buf b = { 0 };
	size_t flen = strlen(from);
	const char *p = text, *hit;
	while (flen && (hit = strstr(p, from))) {
		buf_append(&b, p, (size_t)(hit - p));
		buf_append(&b, to, strlen(to));
		p = hit + flen;
	}
	buf_append(&b, p, strlen(p));
	free(text);
	return b.data;
}

/* Known qemu-img failures in words a person can act on; the rest is
 * passed through. Table order matters: first match wins. The needles are
 * qemu-img's English (it never sets a locale, so its strerror() texts are
 * English too); only what vmplay says instead is translated. */
static const struct {
	const char *needle;
	const char *say;   /* %s: the image path */
} translations[] = {
	{ "lock", N_("%s is in use by a running VM (QEMU holds its image "
		     "lock); shut the VM down first") },
	{ "Permission denied", N_("%s: permission denied") },
	{ "No space left on device", N_("%s: no space left on the device") },
};

/* Builds the error for a failed qemu-img run on path. what: "create",
 * "resize", ... tmp: the temporary file qemu-img wrote instead of path,
 * or NULL; its name is replaced by path's. Caller frees. */
static char *run_error(const struct run_result *r, const char *what,
		       const char *path, const char *tmp)
{
	if (r->not_found)
		return xasprintf(_("%s; qemu-img comes with the Debian package "
				 "qemu-utils"), r->err);
	if (r->signal)
		return xasprintf(_("%s: qemu-img %s was stopped (%s)"), path, what,
				 strsignal(r->signal));
	char *msg = tidy_message(r->err);
	if (tmp) {
		char *shown = plain_path(tmp);
		msg = replace_all(msg, shown, path);
		free(shown);
	}
	/* qemu-img starts most messages with the file name: said already. */
	char *shown = plain_path(path);
	const char *names[] = { path, shown };
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		size_t n = strlen(names[i]);
		if (strncmp(msg, names[i], n) == 0 && strncmp(msg + n, ": ", 2) == 0) {
			memmove(msg, msg + n + 2, strlen(msg + n + 2) + 1);
			break;
		}
	}
	free(shown);
	for (size_t i = 0; i < ARRAY_SIZE(translations); i++) {
		if (strstr(msg, translations[i].needle)) {
			/* lock: only qemu's "Failed to get ... lock" */
			if (i == 0 && !strstr(msg, "Failed to get"))
				continue;
			char *said = xasprintf(_(translations[i].say), path);
			free(msg);
			return said;
		}
	}
	/* TRANSLATORS: the second %s is qemu-img's subcommand (create,
	 * resize, convert...), the third qemu-img's own message. */
	char *full = *msg ? xasprintf(_("%s: qemu-img %s failed: %s"), path, what, msg)
			  : xasprintf(_("%s: qemu-img %s failed (exit status %d)"),
				      path, what, r->status);
	free(msg);
	return full;
}

static void push_path(struct strv *argv, const char *path)
{
	char *p = plain_path(path);
	strv_push(argv, p);
	free(p);
}

/* ---- never overwriting ------------------------------------------------ */

static bool exists_at_all(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;  /* a dangling symlink counts too */
}

static char *exists_error(const char *path)
{
	return xasprintf(_("%s already exists; vmplay never overwrites a file "
			 "(choose another name, or remove it yourself)"), path);
}

/* The process umask, without changing it (umask(2) can only swap). */
static mode_t current_umask(void)
{
	mode_t mask = 022;
	FILE *f = fopen("/proc/self/status", "re");
	if (!f)
		return mask;
	char line[128];
	while (fgets(line, sizeof(line), f)) {
		unsigned m;
		if (sscanf(line, "Umask: %o", &m) == 1) {
			mask = (mode_t)m;
			break;
		}
	}
	fclose(f);
	return mask;
}

/* Reserves a temporary name next to dst (same file system, so the final
 * move is a rename; temp_files.h names it and removes those an earlier
 * killed run left there). Returns NULL and sets *error on failure. */
static char *reserve_temp(const char *dst, char **error)
{
	char *dir = path_dirname(dst);
	char *tmp = NULL;
	int fd = temp_create(dst, &tmp);
	if (fd < 0) {
		*error = path_is_dir(dir)
			? xasprintf(_("cannot create %s: %s"), dst, strerror(errno))
			: xasprintf(_("cannot create %s: folder %s does not exist"),
				    dst, dir);
	} else {
		/* The temporary file is 0600; an image gets the usual mode. */
		fchmod(fd, 0666 & ~current_umask());
		close(fd);
	}
	free(dir);
	return tmp;
}

/* Moves tmp to dst unless dst exists by now (renameat2 NOREPLACE, or
 * link+unlink where the file system lacks it). tmp is removed either way. */
static bool publish(const char *tmp, const char *dst, char **error)
{
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, dst, RENAME_NOREPLACE) == 0)
		return true;
	int e = errno;
	if (e == EINVAL || e == ENOSYS) {
		if (link(tmp, dst) == 0) {
			unlink(tmp);
			return true;
		}
		e = errno;
	}
	unlink(tmp);
	*error = e == EEXIST ? exists_error(dst)
			     : xasprintf(_("cannot create %s: %s"), dst, strerror(e));
	return false;
}

/* ---- info ------------------------------------------------------------- */

static char *json_str(struct json_object *obj, const char *key)
{
	struct json_object *v;
	if (!json_object_object_get_ex(obj, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return xstrdup(json_object_get_string(v));
}

static int64_t json_int(struct json_object *obj, const char *key)
{
	struct json_object *v;
	if (!json_object_object_get_ex(obj, key, &v))
		return 0;
	return json_object_get_int64(v);
}

static enum disk_format format_from_name(const char *name)
{
	enum disk_format f;
	return name && disk_format_parse(name, &f) ? f : FORMAT_AUTO;
}

/* Fills info from qemu-img's JSON; false when it is not what qemu-img
 * 7.2 writes. */
static bool parse_info(struct disk_info *info, const char *json)
{
	struct json_object *root = json_tokener_parse(json);
	if (!root || !json_object_is_type(root, json_type_object)) {
		json_object_put(root);
		return false;
	}
	info->format_name = json_str(root, "format");
	if (!info->format_name) {
		json_object_put(root);
		return false;
	}
	info->format = format_from_name(info->format_name);
	int64_t v = json_int(root, "virtual-size");
	info->virtual_size = v > 0 ? (uint64_t)v : 0;
	v = json_int(root, "actual-size");
	info->actual_size = v > 0 ? (uint64_t)v : 0;
	info->backing_file = json_str(root, "backing-filename");
	struct json_object *dirty;
	info->dirty = json_object_object_get_ex(root, "dirty-flag", &dirty) &&
		      json_object_get_boolean(dirty);

	struct json_object *snaps;
	if (json_object_object_get_ex(root, "snapshots", &snaps) &&
	    json_object_is_type(snaps, json_type_array)) {
		size_t n = json_object_array_length(snaps);
		info->snapshots = xcalloc(n ? n : 1, sizeof(*info->snapshots));
		for (size_t i = 0; i < n; i++) {
			struct json_object *s = json_object_array_get_idx(snaps, i);
			struct disk_snapshot *d = &info->snapshots[info->n_snapshots];
			d->id = json_str(s, "id");
			d->name = json_str(s, "name");
			if (!d->id)
				d->id = xstrdup("");
			if (!d->name)
				d->name = xstrdup("");
			d->date_sec = json_int(s, "date-sec");
			int64_t sec = json_int(s, "vm-clock-sec");
			int64_t nsec = json_int(s, "vm-clock-nsec");
			d->vm_clock_ns = (uint64_t)(sec > 0 ? sec : 0) * 1000000000u +
					 (uint64_t)(nsec > 0 ? nsec : 0);
			int64_t state = json_int(s, "vm-state-size");
			d->vm_state_size = state > 0 ? (uint64_t)state : 0;
			info->n_snapshots++;
		}
	}
	json_object_put(root);
	return true;
}

struct disk_info *disk_info(const char *path, unsigned flags, char **error)
{
	return disk_info_in(path, flags, NULL, error);
}

struct disk_info *disk_info_in(const char *path, unsigned flags,
			       const char *cwd, char **error)
{
	*error = NULL;
	if (!exists_at_all(path)) {
		*error = xasprintf(_("%s: no such file"), path);
		return NULL;
	}
	struct strv argv = { 0 };
	strv_push(&argv, "qemu-img");
	strv_push(&argv, "info");
	strv_push(&argv, "--output=json");
	if (flags & DISK_INFO_SHARED)
		strv_push(&argv, "-U");
	push_path(&argv, path);
	struct run_result r;
	run_in(&argv, cwd, NULL, NULL, &r);
	strv_free(&argv);
	if (r.status != 0) {
		*error = run_error(&r, "info", path, NULL);
		run_result_free(&r);
		return NULL;
	}
	struct disk_info *info = xcalloc(1, sizeof(*info));
	info->path = xstrdup(path);
	if (!parse_info(info, r.out)) {
		*error = xasprintf(_("%s: cannot read qemu-img info's answer"), path);
		disk_info_destroy(info);
		run_result_free(&r);
		return NULL;
	}
	info->json = r.out;
	r.out = NULL;
	run_result_free(&r);
	return info;
}

void disk_info_destroy(struct disk_info *info)
{
	if (!info)
		return;
	for (size_t i = 0; i < info->n_snapshots; i++) {
		free(info->snapshots[i].id);
		free(info->snapshots[i].name);
	}
	free(info->snapshots);
	free(info->path);
	free(info->format_name);
	free(info->backing_file);
	free(info->json);
	free(info);
}

const struct disk_snapshot *disk_info_find_snapshot(const struct disk_info *info,
						    const char *name)
{
	for (size_t i = 0; info && i < info->n_snapshots; i++)
		if (strcmp(info->snapshots[i].name, name) == 0)
			return &info->snapshots[i];
	return NULL;
}

char *disk_info_name_taken(const struct disk_info *info, const char *name)
{
	if (disk_info_find_snapshot(info, name))
		return xasprintf(_("%s already has a snapshot named '%s'; vmplay "
				 "never overwrites one (choose another name)"),
				 info->path, name);
	for (size_t i = 0; i < info->n_snapshots; i++)
		if (strcmp(info->snapshots[i].id, name) == 0)
			return xasprintf(_("%s: '%s' is the id of snapshot '%s', "
					 "and QEMU looks a snapshot up by id "
					 "first (choose another name)"),
					 info->path, name,
					 info->snapshots[i].name);
	return NULL;
}

const char *disk_snapshot_date(const struct disk_snapshot *s, char *buf,
			       size_t len)
{
	time_t t = (time_t)s->date_sec;
	struct tm tm;
	if (!localtime_r(&t, &tm) || !strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm))
		snprintf(buf, len, "?");
	return buf;
}

const char *disk_snapshot_clock(const struct disk_snapshot *s, char *buf,
				size_t len)
{
	uint64_t ms = s->vm_clock_ns / 1000000u;
	snprintf(buf, len, "%02llu:%02llu:%02llu.%03llu",
		 (unsigned long long)(ms / 3600000u),
		 (unsigned long long)(ms / 60000u % 60u),
		 (unsigned long long)(ms / 1000u % 60u),
		 (unsigned long long)(ms % 1000u));
	return buf;
}

void disk_snapshots_print(FILE *out, const struct disk_info *info)
{
	if (!info->n_snapshots)
		return;
	/* The column names stay English in every language: they are
	 * qemu-img's own (qemu-img snapshot -l), and scripts read them. */
	fprintf(out, "  %-24s %-19s  %-12s  %s\n", "NAME", "DATE", "VM CLOCK",
		"RAM STATE");
	for (size_t i = 0; i < info->n_snapshots; i++) {
		const struct disk_snapshot *s = &info->snapshots[i];
		char date[40], clock[40], state[32];
		/* Names made by other tools may hold escape sequences. */
		char *shown = snapshot_name_shown(s->name);
		fprintf(out, "  %-24s %-19s  %-12s  %s\n", shown,
			disk_snapshot_date(s, date, sizeof(date)),
			disk_snapshot_clock(s, clock, sizeof(clock)),
			s->vm_state_size ? format_size(s->vm_state_size, state,
						       sizeof(state))
					 : "-");
		free(shown);
	}
}

/* ---- create, resize, convert ------------------------------------------ */

static char *prealloc_error(enum disk_format format, enum disk_prealloc p)
{
	struct buf ok = { 0 };
	for (int i = PREALLOC_OFF; disk_prealloc_names[i]; i++) {
		if (!disk_prealloc_supported(format, (enum disk_prealloc)i))
			continue;
		if (ok.len)
			buf_append(&ok, ", ", 2);
		buf_append(&ok, disk_prealloc_names[i], strlen(disk_prealloc_names[i]));
	}
	char *msg = xasprintf(_("%s images do not support preallocation %s "
			      "(accepted: %s)"), disk_format_name(format),
			      disk_prealloc_names[p], ok.data ? ok.data : _("none"));
	free(ok.data);
	return msg;
}

/* The end of every image creation: qemu-img create (argv, to which the
 * temporary file and then size_arg, if any, are added) writes a
 * temporary file beside path, which becomes path only when complete. */
static bool create_published(const char *path, struct strv *argv,
			     const char *size_arg, char **error)
{
	char *tmp = reserve_temp(path, error);
	if (!tmp)
		return false;
	push_path(argv, tmp);
	if (size_arg)
		strv_push(argv, size_arg);
	struct run_result r;
	run(argv, NULL, NULL, &r);
	bool ok = r.status == 0;
	if (!ok) {
		*error = run_error(&r, "create", path, tmp);
		unlink(tmp);
	} else {
		ok = publish(tmp, path, error);
	}
	run_result_free(&r);
	free(tmp);
	return ok;
}

bool disk_create(const char *path, enum disk_format format, uint64_t size,
		 enum disk_prealloc prealloc, char **error)
{
	*error = NULL;
	if (format == FORMAT_AUTO || (size_t)format >= ARRAY_SIZE(prealloc_support)) {
		*error = xasprintf(_("%s: a new image needs a format "
				   "(qcow2, raw, vdi or vmdk)"), path);
		return false;
	}
	if (!disk_prealloc_supported(format, prealloc)) {
		char *why = prealloc_error(format, prealloc);
		*error = xasprintf("%s: %s", path, why);
		free(why);
		return false;
	}
	if (size == 0) {
		*error = xasprintf(_("%s: the size must be more than 0 "
				   "(examples: 512M, 25G)"), path);
		return false;
	}
	if (exists_at_all(path)) {
		*error = exists_error(path);
		return false;
	}
	struct strv argv = { 0 };
	strv_push(&argv, "qemu-img");
	strv_push(&argv, "create");
	strv_push(&argv, "-q");
	strv_push(&argv, "-f");
	strv_push(&argv, disk_format_name(format));
	if (prealloc != PREALLOC_DEFAULT)
		strv_pushf(&argv, "-o");
	if (prealloc != PREALLOC_DEFAULT)
		strv_pushf(&argv, "preallocation=%s", disk_prealloc_names[prealloc]);
	char size_arg[32];
	snprintf(size_arg, sizeof(size_arg), "%llu", (unsigned long long)size);
	bool ok = create_published(path, &argv, size_arg, error);
	strv_free(&argv);
	return ok;
}

bool disk_create_linked(const char *path, const char *backing,
			enum disk_format backing_format, char **error)
{
	*error = NULL;
	if (exists_at_all(path)) {
		*error = exists_error(path);
		return false;
	}
	if (backing_format == FORMAT_AUTO)
		backing_format = disk_detect_format(backing);
	if (backing_format == FORMAT_AUTO) {
		*error = xasprintf(_("%s: not an image vmplay knows the format of "
				   "(qcow2, raw, vdi or vmdk)"), backing);
		return false;
	}
	char *abs = path_absolute(backing);
	struct strv argv = { 0 };
	strv_push(&argv, "qemu-img");
	strv_push(&argv, "create");
	strv_push(&argv, "-q");
	strv_push(&argv, "-f");
	strv_push(&argv, "qcow2");
	strv_push(&argv, "-F");
	strv_push(&argv, disk_format_name(backing_format));
	strv_push(&argv, "-b");
	strv_push(&argv, abs);   /* absolute: the clone may move elsewhere */
	bool ok = create_published(path, &argv, NULL, error);
	strv_free(&argv);
	free(abs);
	return ok;
}

bool disk_resize(const char *path, uint64_t size, bool allow_shrink,
		 char **error)
{
	*error = NULL;
	if (size == 0) {
		*error = xasprintf(_("%s: the size must be more than 0 "
				   "(examples: 512M, 25G, +5G)"), path);
		return false;
	}
	/* Without -U: an image in use fails here, before anything changes. */
	struct disk_info *info = disk_info(path, DISK_INFO_DEFAULT, error);
	if (!info)
		return false;
	if (size < info->virtual_size && !allow_shrink) {
		char want[32], now[32];
		*error = xasprintf(_("%s: %s is smaller than its size now (%s); "
				   "shrinking deletes the data beyond the new "
				   "end, so it needs --shrink"),
				   path, format_size(size, want, sizeof(want)),
				   format_size(info->virtual_size, now, sizeof(now)));
		disk_info_destroy(info);
		return false;
	}
	if (size == info->virtual_size) {
		disk_info_destroy(info);
		return true;
	}
	struct strv argv = { 0 };
	strv_push(&argv, "qemu-img");
	strv_push(&argv, "resize");
	strv_push(&argv, "-q");
	strv_push(&argv, "-f");
	strv_push(&argv, info->format_name);
	if (size < info->virtual_size)
		strv_push(&argv, "--shrink");
	push_path(&argv, path);
	strv_pushf(&argv, "%llu", (unsigned long long)size);
	struct run_result r;
	run(&argv, NULL, NULL, &r);
	strv_free(&argv);
	bool ok = r.status == 0;
	if (!ok && strstr(r.err, "does not support resize"))
		*error = xasprintf(_("%s: qemu-img cannot resize %s images; "
				   "convert it to qcow2 or raw first (vmplay "
				   "disk convert), then resize the copy"),
				   path, info->format_name);
	else if (!ok)
		*error = run_error(&r, "resize", path, NULL);
	run_result_free(&r);
	disk_info_destroy(info);
	return ok;
}

bool disk_convert(const char *src, const char *dst, enum disk_format format,
		  disk_progress_fn progress, void *userdata, char **error)
{
	*error = NULL;
	if (format == FORMAT_AUTO || (size_t)format >= ARRAY_SIZE(prealloc_support)) {
		*error = xasprintf(_("%s: converting needs a target format "
				   "(qcow2, raw, vdi or vmdk)"), dst);
		return false;
	}
	if (!exists_at_all(src)) {
		*error = xasprintf(_("%s: no such file"), src);
		return false;
	}
	if (exists_at_all(dst)) {
		*error = exists_error(dst);
		return false;
	}
	char *tmp = reserve_temp(dst, error);
	if (!tmp)
		return false;
	struct strv argv = { 0 };
	strv_push(&argv, "qemu-img");
	strv_push(&argv, "convert");
	if (progress)
		strv_push(&argv, "-p");
	/* Name the source format when its header says it, so that a raw
	 * image is never probed (probing raw restricts block 0). */
	enum disk_format src_format = disk_detect_format(src);
	if (src_format != FORMAT_AUTO) {
		strv_push(&argv, "-f");
		strv_push(&argv, disk_format_name(src_format));
	}
	strv_push(&argv, "-O");
	strv_push(&argv, disk_format_name(format));
	push_path(&argv, src);
	push_path(&argv, tmp);
	struct run_result r;
	run(&argv, progress, userdata, &r);
	strv_free(&argv);
	bool ok = r.status == 0;
	if (!ok) {
		/* qemu-img names the file it failed on; the source (in use by
		 * a running VM, unreadable) must not be reported as dst. */
		char *shown = plain_path(src);
		bool about_src = r.err && strstr(r.err, shown) &&
				 !r.signal && !r.not_found;
		free(shown);
		*error = run_error(&r, "convert", about_src ? src : dst, tmp);
		unlink(tmp);
	} else {
		ok = publish(tmp, dst, error);
	}
	run_result_free(&r);
	free(tmp);
	return ok;
}

/* ---- snapshots -------------------------------------------------------- */

/* The image's info, if it can hold snapshots; else NULL with *error. */
static struct disk_info *snapshot_image(const char *path, char **error)
{
	struct disk_info *info = disk_info(path, DISK_INFO_DEFAULT, error);
	if (info && !disk_format_has_snapshots(info->format)) {
		*error = xasprintf(_("%s is a %s image, which cannot hold "
				   "snapshots (only qcow2 can; 'vmplay disk "
				   "convert' makes a qcow2 copy)"),
				   path, info->format_name);
		disk_info_destroy(info);
		return NULL;
	}
	return info;
}

static bool snapshot_run(const char *path, const char *op, const char *arg,
			 const char *what, char **error)
{
	struct strv argv = { 0 };
	strv_push(&argv, "qemu-img");
	/* qemu-img snapshot has no -f; it probes, which is safe here: the
	 * image was just read as qcow2. */
	strv_push(&argv, "snapshot");
	strv_push(&argv, op);
	strv_push(&argv, arg);
	push_path(&argv, path);
	struct run_result r;
	run(&argv, NULL, NULL, &r);
	strv_free(&argv);
	bool ok = r.status == 0;
	if (!ok)
		*error = run_error(&r, what, path, NULL);
	run_result_free(&r);
	return ok;
}

bool disk_snapshot_create(const char *path, const char *name, char **error)
{
	*error = NULL;
	if (!name || !*name) {
		*error = xasprintf(_("%s: a snapshot needs a name"), path);
		return false;
	}
	struct disk_info *info = snapshot_image(path, error);
	if (!info)
		return false;
	*error = disk_info_name_taken(info, name);
	disk_info_destroy(info);
	if (*error)
		return false;
	return snapshot_run(path, "-c", name, "snapshot create", error);
}

bool disk_snapshot_apply(const char *path, const char *name, char **error)
{
	*error = NULL;
	struct disk_info *info = snapshot_image(path, error);
	if (!info)
		return false;
	const struct disk_snapshot *s = disk_info_find_snapshot(info, name);
	bool ok = false;
	if (!s)
		*error = xasprintf(_("%s has no snapshot named '%s'"), path, name);
	else
		/* qemu-img -a looks a word up as an id first, then as a
		 * name; ids are unique, so the id picks exactly this one. */
		ok = snapshot_run(path, "-a", s->id, "snapshot apply", error);
	disk_info_destroy(info);
	return ok;
}

bool disk_snapshot_delete(const char *path, const char *name, char **error)
{
	*error = NULL;
	struct disk_info *info = snapshot_image(path, error);
	if (!info)
		return false;
	bool found = disk_info_find_snapshot(info, name) != NULL;
	disk_info_destroy(info);
	if (!found) {
		*error = xasprintf(_("%s has no snapshot named '%s'"), path, name);
		return false;
	}
	/* qemu-img -d looks the word up as a name only: the first snapshot
	 * so named, as disk_info_find_snapshot found. */
	return snapshot_run(path, "-d", name, "snapshot delete", error);
}

uint64_t disk_virtual_size(const char *path)
{
	char *error = NULL;
	struct disk_info *info = disk_info(path, DISK_INFO_SHARED, &error);
	free(error);
	uint64_t size = info ? info->virtual_size : 0;
	disk_info_destroy(info);
	return size;
}

bool disk_format_from_extension(const char *path, enum disk_format *out)
{
	static const struct {
		const char *ext;
		enum disk_format format;
	} exts[] = {
		{ ".qcow2", FORMAT_QCOW2 }, { ".raw", FORMAT_RAW },
		{ ".img", FORMAT_RAW }, { ".vdi", FORMAT_VDI },
		{ ".vmdk", FORMAT_VMDK },
	};
	const char *slash = strrchr(path, '/');
	const char *dot = strrchr(slash ? slash : path, '.');
	for (size_t i = 0; dot && i < ARRAY_SIZE(exts); i++)
		if (!strcasecmp(dot, exts[i].ext)) {
			*out = exts[i].format;
			return true;
		}
	return false;
}
