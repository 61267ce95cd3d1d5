/* The snapshot rules of snapshot_rules.h. */
#include "vm/snapshot_rules.h"

#include "base/i18n.h"
#include "base/util.h"
#include "vm/instance.h"
#include "vm/launch.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

char *snapshot_name_problem(const char *name)
{
	if (!name || !*name)
		return xstrdup(_("a snapshot name must not be empty"));
	size_t len = strlen(name);
	if (len > SNAPSHOT_NAME_MAX)
		return xasprintf(_("a snapshot name must be at most %d bytes "
				 "(this one has %zu)"), SNAPSHOT_NAME_MAX, len);
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		if (*p < 0x20 || *p == 0x7f) {
			char *shown = snapshot_name_shown(name);
			char *msg = xasprintf(_("the snapshot name '%s' holds a "
					      "control character (byte 0x%02x); "
					      "names are one line of text"),
					      shown, *p);
			free(shown);
			return msg;
		}
	return NULL;
}

char *snapshot_name_shown(const char *name)
{
	size_t len = strlen(name);
	char *out = xmalloc(len * 4 + 1), *o = out;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if (*p < 0x20 || *p == 0x7f) {
			o += sprintf(o, "\\x%02x", *p);
		} else if (*p == '\\') {
			*o++ = '\\';
			*o++ = '\\';
		} else {
			*o++ = (char)*p;
		}
	}
	*o = '\0';
	return out;
}

char *snapshot_take_conflict(const struct snapshot_disk *disks, size_t n,
			     const char *name)
{
	char *why = snapshot_name_problem(name);
	if (why)
		return why;
	for (size_t d = 0; d < n; d++) {
		for (size_t i = 0; i < disks[d].n; i++) {
			const struct disk_snapshot *s = &disks[d].list[i];
			char *shown = snapshot_name_shown(s->name);
			if (!strcmp(s->name, name))
				why = xasprintf(_("%s already has a snapshot named "
						"'%s'; vmplay never overwrites "
						"one (choose another name)"),
						disks[d].label, shown);
			else if (s->id && !strcmp(s->id, name))
				why = xasprintf(_("%s: '%s' is the id of snapshot "
						"'%s', and QEMU looks a snapshot "
						"up by id as well as by name "
						"(choose another name)"),
						disks[d].label, name, shown);
			free(shown);
			if (why)
				return why;
		}
	}
	return NULL;
}

char *snapshot_lookup_problem(const struct snapshot_disk *disks, size_t n,
			      const char *name)
{
	for (size_t d = 0; d < n; d++) {
		const struct disk_snapshot *first = NULL, *named = NULL;
		for (size_t i = 0; i < disks[d].n; i++) {
			const struct disk_snapshot *s = &disks[d].list[i];
			bool by_id = s->id && !strcmp(s->id, name);
			if (!first && (by_id || !strcmp(s->name, name)))
				first = s;
			if (!named && !strcmp(s->name, name))
				named = s;
		}
		if (!named || first == named)
			continue;
		char *a = snapshot_name_shown(name);
		char *b = snapshot_name_shown(first->name);
		char *why = xasprintf(_("%s: '%s' is also the id of snapshot '%s' "
				      "there, which QEMU would pick instead; "
				      "vmplay does not act on an ambiguous "
				      "name (rename or delete one of them with "
				      "qemu-img snapshot)"),
				      disks[d].label, a, b);
		free(a);
		free(b);
		return why;
	}
	return NULL;
}

int snapshot_lock(const char *vm_path, bool wait, char **error)
{
	*error = NULL;
	char *real = realpath(vm_path, NULL);
	if (!real)
		real = path_absolute(vm_path);
	char *base = launch_runtime_base(error);
	if (!base) {
		free(real);
		return -1;
	}
	/* Never removed: unlinking a lock file races with a process that
	 * has just opened it. The runtime folder goes at logout. */
	char *lock = xasprintf("%s/snapshots-%016llx.lock", base, instance_path_key(real));
	int fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		*error = xasprintf("%s: %s", lock, strerror(errno));
	} else {
		int r;
		do
			r = flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB));
		while (r < 0 && errno == EINTR);
		if (r < 0) {
			*error = errno == EWOULDBLOCK
				? xasprintf(_("another snapshot command is at work "
					    "on %s; try again when it is done"),
					    real)
				: xasprintf(_("%s: cannot lock: %s"), lock,
					    strerror(errno));
			close(fd);
			fd = -1;
		}
	}
	free(lock);
	free(base);
	free(real);
	return fd;
}

void snapshot_unlock(int fd)
{
	if (fd >= 0)
		close(fd);
}
