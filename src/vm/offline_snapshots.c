/* See offline_snapshots.h. */
#include "vm/offline_snapshots.h"

#include "base/i18n.h"
#include "base/util.h"
#include "vm/snapshot_rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct snap_disk {
	const struct vm_disk *disk;
	struct disk_info *info;
};

struct offline_snaps {
	const struct vm_config *cfg;
	struct snap_disk *disks;
	size_t n;
	int lock;            /* snapshot_lock, or -1 (read only) */
	struct strv labels;  /* "disk 'NAME' (FILE)" per disk */
};

/* The disks as the rules of snapshot_rules.h see them. Caller frees. */
static struct snapshot_disk *rule_disks(const struct offline_snaps *o)
{
	struct snapshot_disk *disks = xcalloc(o->n + 1, sizeof(*disks));
	for (size_t i = 0; i < o->n; i++)
		disks[i] = (struct snapshot_disk){ o->labels.v[i],
			o->disks[i].info->snapshots,
			o->disks[i].info->n_snapshots };
	return disks;
}

/* Why QEMU could take name for another snapshot on some disk, or NULL. */
static char *name_ambiguous(const struct offline_snaps *o, const char *name)
{
	struct snapshot_disk *disks = rule_disks(o);
	char *why = snapshot_lookup_problem(disks, o->n, name);
	free(disks);
	return why;
}

static bool locked(const struct offline_snaps *o, char **error)
{
	if (o->lock >= 0)
		return true;
	*error = xstrdup(_("internal error: snapshots opened for reading only"));
	return false;
}

void offline_snaps_close(struct offline_snaps *o)
{
	if (!o)
		return;
	for (size_t i = 0; i < o->n; i++)
		disk_info_destroy(o->disks[i].info);
	free(o->disks);
	strv_free(&o->labels);
	snapshot_unlock(o->lock);
	free(o);
}

struct offline_snaps *offline_snaps_open(const struct vm_config *cfg,
					 bool all_qcow2, enum offline_lock lock,
					 char **error)
{
	struct offline_snaps *o = xcalloc(1, sizeof(*o));
	o->cfg = cfg;
	o->lock = -1;
	o->disks = xcalloc(cfg->n_disks + 1, sizeof(*o->disks));
	*error = NULL;
	/* Before reading the images: what is read is then what the other
	 * commands left. */
	if (lock != OFFLINE_READ_ONLY) {
		o->lock = snapshot_lock(cfg->path, lock == OFFLINE_LOCK_WAIT,
					error);
		if (o->lock < 0)
			goto fail;
	}
	for (size_t i = 0; i < cfg->n_disks; i++) {
		const struct vm_disk *d = &cfg->disks[i];
		if (d->readonly)
			continue;
		char *why = NULL;
		/* Reading only (a list): also while QEMU runs the image,
		 * as of its last flush. */
		struct disk_info *info = disk_info(d->file,
			lock == OFFLINE_READ_ONLY ? DISK_INFO_SHARED
						  : DISK_INFO_DEFAULT, &why);
		if (!info) {
			*error = xasprintf(_("disk '%s': %s"), d->name, why);
			free(why);
			goto fail;
		}
		o->disks[o->n].disk = d;
		o->disks[o->n].info = info;
		o->n++;
		strv_pushf(&o->labels, _("disk '%s' (%s)"), d->name, d->file);
		if (all_qcow2 && !disk_format_has_snapshots(info->format)) {
			*error = xasprintf(_("%s: disk '%s' (%s) is a %s image, "
					   "which cannot hold snapshots; only "
					   "qcow2 can ('vmplay disk convert' "
					   "makes a qcow2 copy)"), cfg->path,
					   d->name, d->file, info->format_name);
			goto fail;
		}
	}
	if (o->n == 0) {
		*error = xasprintf(_("%s has no writable disk to snapshot"),
				   cfg->path);
		goto fail;
	}
	return o;
fail:
	offline_snaps_close(o);
	return NULL;
}

size_t offline_snaps_count(const struct offline_snaps *o)
{
	return o->n;
}

const struct vm_disk *offline_snaps_disk(const struct offline_snaps *o, size_t i)
{
	return o->disks[i].disk;
}

const struct disk_info *offline_snaps_info(const struct offline_snaps *o,
					   size_t i)
{
	return o->disks[i].info;
}

char *offline_snaps_name_taken(const struct offline_snaps *o, const char *name)
{
	struct snapshot_disk *disks = rule_disks(o);
	char *why = snapshot_take_conflict(disks, o->n, name);
	free(disks);
	return why;
}

char *offline_snaps_auto_name(const struct offline_snaps *o)
{
	/* A second snapshot in the same second gets a suffix rather than
	 * reusing the name. */
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	char base[40];
	strftime(base, sizeof(base), "%Y-%m-%d %H:%M:%S", &tm);
	char *name = xstrdup(base), *why;
	for (int n = 2; (why = offline_snaps_name_taken(o, name)); n++) {
		free(why);
		free(name);
		name = xasprintf("%s-%d", base, n);
	}
	return name;
}

static void add_line(struct strv *out, const struct vm_disk *d, const char *msg)
{
	strv_pushf(out, _("disk '%s': %s"), d->name, msg);
}

static bool finish(struct strv *lines, char **error)
{
	if (!lines->n)
		return true;
	*error = strv_join(lines, "\n");
	strv_free(lines);
	return false;
}

bool offline_snaps_take(struct offline_snaps *o, const char *name,
			char **error)
{
	struct strv lines = { 0 };
	*error = NULL;
	if (!locked(o, error))
		return false;
	char *why = offline_snaps_name_taken(o, name);
	if (why) {
		*error = why;
		return false;
	}
	for (size_t i = 0; i < o->n; i++) {
		char *msg = NULL;
		if (disk_snapshot_create(o->disks[i].disk->file, name, &msg))
			continue;
		add_line(&lines, o->disks[i].disk, msg);
		free(msg);
		/* All or nothing: take it back from the disks that have it. */
		for (size_t j = 0; j < i; j++) {
			if (!disk_snapshot_delete(o->disks[j].disk->file, name,
						  &msg)) {
				add_line(&lines, o->disks[j].disk, msg);
				free(msg);
			}
		}
		break;
	}
	return finish(&lines, error);
}

bool offline_snaps_restore(struct offline_snaps *o, const char *name,
			   bool *had_ram, char **left, char **error)
{
	struct strv lines = { 0 }, without = { 0 };
	*error = NULL;
	*left = NULL;
	*had_ram = false;
	if (!locked(o, error))
		return false;
	char *shown = snapshot_name_shown(name);
	for (size_t i = 0; i < o->n; i++)
		if (!disk_info_find_snapshot(o->disks[i].info, name))
			strv_pushf(&without, "'%s'", o->disks[i].disk->name);
	if (without.n == o->n) {
		strv_free(&without);
		for (size_t i = 0; i < o->n; i++)
			strv_pushf(&lines, _("disk '%s' (%s) has no snapshot named "
				   "'%s' ('vmplay snapshot list %s' shows them)"),
				   o->disks[i].disk->name, o->disks[i].disk->file,
				   shown, o->cfg->path);
		free(shown);
		return finish(&lines, error);
	}
	free(shown);
	if ((*error = name_ambiguous(o, name))) {
		strv_free(&without);
		return false;
	}
	/* A partial snapshot (a disk attached after it): the disks that
	 * have it go back, the others stay as they are. */
	for (size_t i = 0; i < o->n; i++) {
		const struct disk_snapshot *s =
			disk_info_find_snapshot(o->disks[i].info, name);
		if (!s)
			continue;
		*had_ram |= s->vm_state_size > 0;
		char *msg = NULL;
		if (!disk_snapshot_apply(o->disks[i].disk->file, name, &msg)) {
			add_line(&lines, o->disks[i].disk, msg);
			free(msg);
			break;
		}
	}
	if (without.n && !lines.n)
		*left = strv_join(&without, ", ");
	strv_free(&without);
	return finish(&lines, error);
}

bool offline_snaps_delete(struct offline_snaps *o, const char *name,
			  char **error)
{
	struct strv lines = { 0 };
	*error = NULL;
	if (!locked(o, error))
		return false;
	size_t found = 0;
	for (size_t i = 0; i < o->n; i++)
		found += disk_info_find_snapshot(o->disks[i].info, name) != NULL;
	if (!found) {
		char *shown = snapshot_name_shown(name);
		*error = xasprintf(_("%s has no snapshot named '%s' ('vmplay "
				   "snapshot list %s' shows them)"), o->cfg->path,
				   shown, o->cfg->path);
		free(shown);
		return false;
	}
	if ((*error = name_ambiguous(o, name)))
		return false;
	for (size_t i = 0; i < o->n; i++) {
		if (!disk_info_find_snapshot(o->disks[i].info, name))
			continue;
		char *msg = NULL;
		if (!disk_snapshot_delete(o->disks[i].disk->file, name, &msg)) {
			add_line(&lines, o->disks[i].disk, msg);
			free(msg);
		}
	}
	return finish(&lines, error);
}
