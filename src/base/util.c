#include "base/util.h"

#include "base/i18n.h"
#include "base/log.h"
#include "base/temp_files.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static void out_of_memory(void)
{
	/* gettext may need memory itself: this line stays English. */
	fputs("vmplay: out of memory\n", stderr);
	abort();
}

void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (!p)
		out_of_memory();
	return p;
}

void *xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);
	if (!p)
		out_of_memory();
	return p;
}

void *xrealloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);
	if (!p)
		out_of_memory();
	return p;
}

char *xstrdup(const char *s)
{
	return s ? xstrndup(s, strlen(s)) : NULL;
}

char *xstrndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *xvasprintf(const char *fmt, va_list ap)
{
	va_list copy;
	va_copy(copy, ap);
	int len = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (len < 0)
		out_of_memory();
	char *p = xmalloc((size_t)len + 1);
	vsnprintf(p, (size_t)len + 1, fmt, ap);
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = xvasprintf(fmt, ap);
	va_end(ap);
	return p;
}

static void strv_take(struct strv *sv, char *s)
{
	if (sv->n + 2 > sv->cap) {
		sv->cap = sv->cap ? sv->cap * 2 : 16;
		sv->v = xrealloc(sv->v, sv->cap * sizeof(*sv->v));
	}
	sv->v[sv->n++] = s;
	sv->v[sv->n] = NULL;
}

void strv_push(struct strv *sv, const char *s)
{
	strv_take(sv, xstrdup(s));
}

void strv_pushf(struct strv *sv, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	strv_take(sv, xvasprintf(fmt, ap));
	va_end(ap);
}

void strv_push_all(struct strv *sv, const char *const *list)
{
	for (; list && *list; list++)
		strv_push(sv, *list);
}

void strv_free(struct strv *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = sv->cap = 0;
}

char *shell_quote(const char *s)
{
	bool plain = *s != '\0';
	for (const char *p = s; *p && plain; p++)
		plain = isalnum((unsigned char)*p) || strchr("@%_+=:,./-", *p);
	if (plain)
		return xstrdup(s);
	/* '...' with each ' written as '\'' */
	size_t len = 2;
	for (const char *p = s; *p; p++)
		len += *p == '\'' ? 4 : 1;
	char *q = xmalloc(len + 1), *o = q;
	*o++ = '\'';
	for (const char *p = s; *p; p++) {
		if (*p == '\'') {
			memcpy(o, "'\\''", 4);
			o += 4;
		} else {
			*o++ = *p;
		}
	}
	*o++ = '\'';
	*o = '\0';
	return q;
}

char *strv_join_quoted(const struct strv *sv)
{
	size_t cap = 1, len = 0;
	char *line = xmalloc(cap);
	line[0] = '\0';
	for (size_t i = 0; i < sv->n; i++) {
		char *q = shell_quote(sv->v[i]);
		size_t qlen = strlen(q);
		cap = len + qlen + 2;
		line = xrealloc(line, cap);
		if (i)
			line[len++] = ' ';
		memcpy(line + len, q, qlen + 1);
		len += qlen;
		free(q);
	}
	return line;
}

char *str_join(const char *const *items, size_t n, const char *sep)
{
	size_t seplen = strlen(sep), total = 1;
	for (size_t i = 0; i < n; i++)
		total += strlen(items[i]) + (i ? seplen : 0);
	char *out = xmalloc(total), *o = out;
	for (size_t i = 0; i < n; i++) {
		if (i) {
			memcpy(o, sep, seplen);
			o += seplen;
		}
		size_t len = strlen(items[i]);
		memcpy(o, items[i], len);
		o += len;
	}
	*o = '\0';
	return out;
}

char *strv_join(const struct strv *sv, const char *sep)
{
	return str_join((const char *const *)sv->v, sv->n, sep);
}

char *path_join(const char *dir, const char *name)
{
	if (name[0] == '/' || !dir || !*dir)
		return xstrdup(name);
	size_t dlen = strlen(dir);
	return xasprintf("%s%s%s", dir, dir[dlen - 1] == '/' ? "" : "/", name);
}

char *path_dirname(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return xstrdup(".");
	while (slash > path && slash[-1] == '/')
		slash--;
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

char *path_basename(const char *path)
{
	const char *slash = strrchr(path, '/');
	return xstrdup(slash ? slash + 1 : path);
}

char *path_absolute(const char *path)
{
	if (path[0] == '/')
		return xstrdup(path);
	char cwd[PATH_MAX];
	if (!getcwd(cwd, sizeof(cwd)))
		return xstrdup(path);
	if (strncmp(path, "./", 2) == 0)
		path += 2;
	return path_join(cwd, path);
}

char *path_which(const char *name)
{
	if (!name || !*name)
		return NULL;
	if (strchr(name, '/'))
		return access(name, X_OK) == 0 && !path_is_dir(name)
			       ? xstrdup(name) : NULL;
	const char *path = getenv("PATH");
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	char *copy = xstrdup(path), *save = NULL;
	char *found = NULL;
	for (char *dir = strtok_r(copy, ":", &save); dir && !found;
	     dir = strtok_r(NULL, ":", &save)) {
		char *candidate = path_join(*dir ? dir : ".", name);
		if (access(candidate, X_OK) == 0 && !path_is_dir(candidate))
			found = candidate;
		else
			free(candidate);
	}
	free(copy);
	return found;
}

bool path_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

bool path_is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool mkdir_p(const char *path, unsigned mode)
{
	if (!*path) {
		/* Nothing to make; the scan below starts past the first byte. */
		errno = ENOENT;
		return false;
	}
	char *copy = xstrdup(path);
	bool ok = true;
	for (char *p = copy + 1; ok; p++) {
		bool end = *p == '\0';
		if (*p != '/' && !end)
			continue;
		*p = '\0';
		if (mkdir(copy, mode) != 0 && errno != EEXIST)
			ok = false;
		else if (!path_is_dir(copy))
			ok = (errno = ENOTDIR, false);
		if (end)
			break;
		*p = '/';
	}
	free(copy);
	return ok;
}

bool parse_size(const char *text, uint64_t *out)
{
	static const struct {
		char suffix;
		int shift;
	} units[] = { { 'K', 10 }, { 'M', 20 }, { 'G', 30 }, { 'T', 40 } };
	while (isspace((unsigned char)*text))
		text++;
	/* Digits with at most one '.', then the unit. strtod sees only that
	 * number: on the whole text it would also take hex ("0x10"),
	 * exponents ("1e3"), "inf" and "nan". */
	char number[32];
	size_t digits = strspn(text, "0123456789.");
	if (!isdigit((unsigned char)*text) || digits >= sizeof(number) ||
	    memchr(text, '.', digits) != memrchr(text, '.', digits))
		return false;
	memcpy(number, text, digits);
	number[digits] = '\0';
	double value = strtod(number, NULL);
	const char *end = text + digits;
	int shift = 0;
	char unit = (char)toupper((unsigned char)*end);
	for (size_t i = 0; i < ARRAY_SIZE(units); i++) {
		if (unit == units[i].suffix) {
			shift = units[i].shift;
			end++;
			if (*end == 'i' && end[1] == 'B')
				end += 2;
			else if (toupper((unsigned char)*end) == 'B')
				end++;
			break;
		}
	}
	if (!shift && toupper((unsigned char)*end) == 'B')
		end++;
	while (isspace((unsigned char)*end))
		end++;
	if (*end)
		return false;
	double bytes = ldexp(value, shift);
	if (bytes >= 18446744073709551616.0 || bytes != floor(bytes))
		return false;
	*out = (uint64_t)bytes;
	return true;
}

bool parse_size_typed(const char *text, char unit, uint64_t *out, char **why)
{
	*why = NULL;
	size_t len = strlen(text);
	while (len && isspace((unsigned char)text[len - 1]))
		len--;
	const char *start = text;
	while (isspace((unsigned char)*start))
		start++;
	bool bare = len && (isdigit((unsigned char)text[len - 1]) ||
			    text[len - 1] == '.');
	int n = (int)(text + len - start);
	uint64_t bytes;
	if (bare) {
		/* "1.5" is no size at all, but "1.5G" is: say it either way. */
		char *meant = xasprintf("%.*s%c", n, start, unit);
		bool fits = parse_size(meant, &bytes);
		free(meant);
		if (fits && bytes) {
			/* TRANSLATORS: the size units K, M, G, T and B
			 * stay as they are: they are what vmplay reads. */
			*why = xasprintf(_("'%.*s' has no unit: did you mean "
					   "%.*s%c? (sizes take K, M, G or T, "
					   "powers of 1024; B for bytes)"),
					 n, start, n, start, unit);
			return false;
		}
	}
	if (!parse_size(text, &bytes))
		return false;
	*out = bytes;
	return true;
}

const char *format_size_exact(uint64_t bytes, char *buf, size_t buflen)
{
	static const char units[] = "TGMK";
	for (int i = 0; units[i]; i++) {
		int shift = 10 * (4 - i);
		if (bytes && bytes % (1ull << shift) == 0) {
			snprintf(buf, buflen, "%llu%c",
				 (unsigned long long)(bytes >> shift), units[i]);
			return buf;
		}
	}
	snprintf(buf, buflen, "%lluB", (unsigned long long)bytes);
	return buf;
}

const char *format_size(uint64_t bytes, char *buf, size_t buflen)
{
	static const char units[] = "BKMGTPE";
	int i = 0;
	double value = (double)bytes;
	/* 1023.95 and up would print as "1024.0": take the next unit */
	while (value >= 1023.95 && units[i + 1]) {
		value /= 1024;
		i++;
	}
	if (i == 0 || value == floor(value))
		snprintf(buf, buflen, "%.0f%c", value, units[i]);
	else
		snprintf(buf, buflen, "%.1f%c", value, units[i]);
	return buf;
}

static bool write_plain(const char *path, const void *data, size_t len,
			bool overwrite)
{
	char *tmp = NULL;
	int fd = temp_create(path, &tmp);
	if (fd < 0) {
		log_error(_("cannot write %s: %s"), path, strerror(errno));
		return false;
	}
	/* A file we replace keeps its owner and mode (the temporary file is
	 * ours and 0600). Root may hand it back; anyone else can keep only
	 * a group they belong to, and a file of someone else's must not
	 * silently become ours. */
	struct stat st;
	if (stat(path, &st) == 0) {
		if ((st.st_uid != getuid() || st.st_gid != getgid()) &&
		    fchown(fd, st.st_uid, st.st_gid) != 0) {
			int e = errno;
			log_error(_("cannot write %s: it would lose its "
				    "owner (uid %u, gid %u): %s"), path,
				  (unsigned)st.st_uid, (unsigned)st.st_gid,
				  strerror(e));
			close(fd);
			unlink(tmp);
			free(tmp);
			errno = e;
			return false;
		}
		fchmod(fd, st.st_mode & 07777);
	} else {
		fchmod(fd, 0644 & ~0022);
	}
	const char *p = data;
	size_t left = len;
	bool ok = true;
	while (left && ok) {
		ssize_t n = write(fd, p, left);
		if (n < 0 && errno == EINTR)
			continue;
		ok = n > 0;
		if (ok) {
			p += n;
			left -= (size_t)n;
		}
	}
	ok = ok && fsync(fd) == 0;
	ok = (close(fd) == 0) && ok;
	if (ok && !overwrite) {
		/* link() fails if path appeared meanwhile: never clobber. */
		ok = link(tmp, path) == 0;
		unlink(tmp);
	} else if (ok) {
		ok = rename(tmp, path) == 0;
	}
	if (!ok) {
		int saved = errno;
		log_error(_("cannot write %s: %s"), path, strerror(saved));
		unlink(tmp);
		errno = saved;
	}
	free(tmp);
	return ok;
}

/* Replacing through a symlink must change the file it points to: renaming
 * over the link itself would turn it into a plain file and leave the
 * target as it was. The resolved path, or NULL for anything else. */
static char *symlink_target(const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0 || !S_ISLNK(st.st_mode))
		return NULL;
	return realpath(path, NULL);
}

bool write_file_atomic(const char *path, const void *data, size_t len,
		       bool overwrite)
{
	if (!overwrite && path_exists(path)) {
		log_error(_("%s already exists; not overwriting it"), path);
		errno = EEXIST;
		return false;
	}
	char *target = overwrite ? symlink_target(path) : NULL;
	bool ok = write_plain(target ? target : path, data, len, overwrite);
	free(target);
	return ok;
}

/* The path a descriptor was opened as, symbolic links resolved. */
static char *fd_real_path(int fd, const char *path)
{
	char link[64], buf[PATH_MAX];
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, buf, sizeof(buf) - 1);
	if (n > 0 && buf[0] == '/') {
		buf[n] = '\0';
		return xstrdup(buf);
	}
	return realpath(path, NULL);
}

char *read_file(const char *path, size_t max_len, size_t *len)
{
	return read_file_real(path, max_len, len, NULL);
}

char *read_file_real(const char *path, size_t max_len, size_t *len,
		     char **real_path)
{
	if (real_path)
		*real_path = NULL;
	/* Non-blocking first: opening a FIFO for reading would wait for a
	 * writer for ever. Only a regular file is read. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return NULL;
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		int e = S_ISDIR(st.st_mode) ? EISDIR : READ_FILE_NOT_REGULAR;
		close(fd);
		errno = e;
		return NULL;
	}
	int flags = fcntl(fd, F_GETFL);
	if (flags >= 0)
		fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
	char *real = real_path ? fd_real_path(fd, path) : NULL;
	FILE *f = fdopen(fd, "rb");
	if (!f) {
		int e = errno;
		close(fd);
		free(real);
		errno = e;
		return NULL;
	}
	/* Room for one byte past max_len: only reading it tells a file of
	 * exactly max_len bytes from a longer one. */
	size_t limit = max_len < SIZE_MAX - 1 ? max_len + 1 : max_len;
	size_t cap = 4096, used = 0;
	char *buf = xmalloc(cap + 1);
	while (used <= max_len) {
		if (used == cap) {
			if (cap >= limit)
				break;
			cap = cap * 2 > limit ? limit : cap * 2;
			buf = xrealloc(buf, cap + 1);
		}
		size_t n = fread(buf + used, 1, cap - used, f);
		if (n == 0)
			break;
		used += n;
	}
	bool failed = ferror(f);
	fclose(f);
	if (failed || used > max_len) {
		free(buf);
		free(real);
		errno = failed ? EIO : EFBIG;
		return NULL;
	}
	buf[used] = '\0';
	if (len)
		*len = used;
	if (real_path)
		*real_path = real;
	return buf;
}

const char *read_file_strerror(int err)
{
	if (err == READ_FILE_NOT_REGULAR)
		return _("not a regular file (a FIFO, device or socket)");
	if (err == EFBIG)
		return _("too large");
	return strerror(err);
}

uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t *row = xcalloc(lb + 1, sizeof(*row));
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
			size_t best = diag + cost;
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	size_t d = row[lb];
	free(row);
	return d;
}

uint64_t hash_fnv1a(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

char *xdg_path(const char *var, const char *home_default, const char *rest)
{
	const char *dir = getenv(var);
	if (dir && dir[0] == '/')
		return xasprintf("%s/%s", dir, rest);
	const char *home = getenv("HOME");
	if (!home || !*home)
		return NULL;
	return xasprintf("%s/%s/%s", home, home_default, rest);
}

int unix_connect(const char *path, char **error)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof(addr.sun_path)) {
		*error = xasprintf(_("socket path %s is too long"), path);
		return -1;
	}
	memcpy(addr.sun_path, path, strlen(path) + 1);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0) {
		*error = xasprintf(_("cannot connect to %s: %s"), path,
				   strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}
