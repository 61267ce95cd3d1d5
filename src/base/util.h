/* Small helpers every module uses: checked allocation, string vectors (argv
 * arrays for child processes), paths, sizes, atomic file writes, time. */
#ifndef VMPLAY_UTIL_H
#define VMPLAY_UTIL_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Allocation that cannot fail: on exhaustion they print and abort. */
void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);            /* xstrdup(NULL) returns NULL */
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* A growable NULL-terminated array of owned strings (argv for execvp). */
struct strv {
	char **v;   /* always NULL-terminated once anything was pushed */
	size_t n;
	size_t cap;
};
void strv_push(struct strv *sv, const char *s);          /* copies s */
void strv_pushf(struct strv *sv, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void strv_push_all(struct strv *sv, const char *const *list); /* NULL-terminated */
void strv_free(struct strv *sv);                         /* frees and zeroes */
/* One line, each element shell-quoted only where needed. Caller frees. */
char *strv_join_quoted(const struct strv *sv);
/* The n items with sep between them ("" for none). Caller frees. */
char *str_join(const char *const *items, size_t n, const char *sep);
/* str_join of the strv's elements. Caller frees. */
char *strv_join(const struct strv *sv, const char *sep);
/* Single-quote s for a POSIX shell when it needs it. Caller frees. */
char *shell_quote(const char *s);

/* Paths. Returned strings are owned by the caller. */
char *path_join(const char *dir, const char *name);     /* name absolute: copy */
char *path_dirname(const char *path);
char *path_basename(const char *path);
char *path_absolute(const char *path);  /* against the cwd; no symlink resolution */
/* The full path execvp would run for name (searching PATH when name has
 * no '/'), or NULL. Caller frees. */
char *path_which(const char *name);
/* A stream socket connected to the unix socket at path (close-on-exec),
 * or -1 with *error (malloc'd) naming path. */
int unix_connect(const char *path, char **error);
bool path_exists(const char *path);
bool path_is_dir(const char *path);
/* A path in one of the user's XDG base folders: $VAR/rest when the
 * variable holds an absolute path (the specification ignores relative
 * ones), else $HOME/home_default/rest; NULL without either. Example:
 * xdg_path("XDG_CACHE_HOME", ".cache", "vmplay/x.png"). Caller frees. */
char *xdg_path(const char *var, const char *home_default, const char *rest);
/* mkdir -p with the given mode for the folders it creates. */
bool mkdir_p(const char *path, unsigned mode);

/* Sizes: "512M", "2G", "1.5T", "4096" (bytes), K/M/G/T powers of 1024, an
 * optional trailing "B" or "iB". Returns false for anything else or overflow. */
bool parse_size(const char *text, uint64_t *out);
/* A disk size a person typed (command line, VM file, menu): parse_size's
 * syntax with a unit required, because a bare "10" taken as 10 bytes is
 * never what was meant ("B" asks for bytes: "512B"; a bare 0 is 0).
 * false for a bare number with *why (malloc'd): "'10' has no unit: did you
 * mean 10G? ..." (unit is the one suggested), and for anything else that
 * is not a size with *why NULL (the caller says what fits there). */
bool parse_size_typed(const char *text, char unit, uint64_t *out, char **why);
/* The exact size in the largest unit that divides it: "10G", "1536M",
 * "1000B" (parse_size reads it back to the same bytes); buf >= 24 bytes. */
const char *format_size_exact(uint64_t bytes, char *buf, size_t buflen);
/* "2G", "512M", "1.5G", "300K", "17B": short and human; buf >= 16 bytes. */
const char *format_size(uint64_t bytes, char *buf, size_t buflen);

/* Writes data to path atomically (temporary file in the same folder, fsync,
 * rename). With overwrite false an existing path is left alone and false is
 * returned with errno EEXIST. Logs what failed. */
bool write_file_atomic(const char *path, const void *data, size_t len,
		       bool overwrite);
/* Reads a whole file (at most max_len bytes, else fails with EFBIG). The
 * buffer gets a trailing NUL not counted in *len. Caller frees. Only a
 * regular file is read: anything else (a FIFO, which would block for
 * ever, a device, a socket) fails at once with errno READ_FILE_NOT_REGULAR,
 * a folder with EISDIR. */
char *read_file(const char *path, size_t max_len, size_t *len);
#define READ_FILE_NOT_REGULAR ENODEV
/* read_file that also says which file it read: *real_path (malloc'd) is
 * the absolute path of the file opened, every symbolic link resolved, so
 * what was read and where it lies are one decision. */
char *read_file_real(const char *path, size_t max_len, size_t *len,
		     char **real_path);
/* strerror for read_file's errno values, in words for a user. */
const char *read_file_strerror(int err);

/* Monotonic clock in milliseconds. */
uint64_t now_ms(void);

/* FNV-1a, 64 bits, of a string: stable across runs and builds, for file
 * names derived from a path (instance locks, thumbnails). */
uint64_t hash_fnv1a(const char *s);

/* The Levenshtein distance, for "did you mean" suggestions. */
size_t edit_distance(const char *a, const char *b);

#endif
