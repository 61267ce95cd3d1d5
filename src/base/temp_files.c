/* vmplay's temporary files and the removal of those a killed process left
 * (temp_files.h). */
#include "base/temp_files.h"

#include "base/i18n.h"
#include "base/log.h"
#include "base/util.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define TEMP_TAG ".vmplay-"

bool temp_name_parse(const char *name, pid_t *pid)
{
	/* ".NAME.vmplay-PID-XXXXXX": NAME not empty, PID digits, six
	 * characters from mkstemp. */
	size_t len = strlen(name);
	if (len < 1 + 1 + strlen(TEMP_TAG) + 1 + 1 + 6 || name[0] != '.')
		return false;
	const char *tail = name + len - 7;   /* "-XXXXXX" */
	if (tail[0] != '-')
		return false;
	const char *digits_end = tail;
	const char *p = digits_end;
	while (p > name && isdigit((unsigned char)p[-1]))
		p--;
	if (p == digits_end || digits_end - p > 9)
		return false;
	size_t tag = strlen(TEMP_TAG);
	if ((size_t)(p - name) < 2 + tag ||
	    strncmp(p - tag, TEMP_TAG, tag) != 0)
		return false;
	long v = strtol(p, NULL, 10);
	if (v <= 0)
		return false;
	*pid = (pid_t)v;
	return true;
}

/* When process pid started, in seconds since the epoch; 0 when unknown. */
static time_t process_start(pid_t pid)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	char *stat = read_file(path, 4096, NULL);
	char *boot = read_file("/proc/stat", 1 << 16, NULL);
	time_t result = 0;
	/* Field 22 (starttime, clock ticks after boot) comes after the
	 * command name, which may hold spaces and parentheses: count from
	 * the last ')'. */
	char *close = stat ? strrchr(stat, ')') : NULL;
	char *btime = boot ? strstr(boot, "\nbtime ") : NULL;
	if (close && btime) {
		unsigned long long start = 0;
		char *p = close + 2;
		for (int field = 3; field < 22 && p; field++) {
			p = strchr(p, ' ');
			if (p)
				p++;
		}
		long ticks = sysconf(_SC_CLK_TCK);
		if (p && sscanf(p, "%llu", &start) == 1 && ticks > 0)
			result = (time_t)strtoll(btime + 7, NULL, 10) +
				 (time_t)(start / (unsigned long long)ticks);
	}
	free(stat);
	free(boot);
	return result;
}

/* Left by a process that is gone: its PID runs no more, or runs a
 * process that started after the file was last written. */
static bool is_stale(pid_t pid, const struct stat *st)
{
	if (pid == getpid())
		return false;
	if (kill(pid, 0) != 0 && errno == ESRCH)
		return true;
	time_t started = process_start(pid);
	return started && started > st->st_mtime + 1;
}

int temp_sweep(const char *dir)
{
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return 0;
	DIR *d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return 0;
	}
	int removed = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		pid_t pid;
		struct stat st;
		if (!temp_name_parse(e->d_name, &pid) ||
		    fstatat(dfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
		    !S_ISREG(st.st_mode) || st.st_uid != getuid() ||
		    !is_stale(pid, &st))
			continue;
		if (unlinkat(dfd, e->d_name, 0) == 0) {
			/* TRANSLATORS: %s/%s is a file's path, %d a process
			 * id. */
			log_info(_("removed %s/%s, left behind by an "
				   "interrupted vmplay (process %d)"), dir,
				 e->d_name, (int)pid);
			removed++;
		}
	}
	closedir(d);
	return removed;
}

int temp_create(const char *dst, char **tmp_path)
{
	char *dir = path_dirname(dst);
	char *base = path_basename(dst);
	temp_sweep(dir);
	char *tmp = xasprintf("%s/.%s" TEMP_TAG "%d-XXXXXX", dir, base,
			      (int)getpid());
	int fd = mkostemp(tmp, O_CLOEXEC);
	int e = errno;
	free(dir);
	free(base);
	if (fd < 0) {
		free(tmp);
		*tmp_path = NULL;
		errno = e;
		return -1;
	}
	*tmp_path = tmp;
	return fd;
}
