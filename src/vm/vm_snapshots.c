/* Snapshots from the menu (vm_actions.h): names, the lists QEMU reports
 * per disk, and the take/restore/delete job chain described in
 * vm_actions.c. */
#include "vm/vm_actions_impl.h"

#include "base/i18n.h"
#include "base/ini_edit.h"
#include "base/log.h"
#include "base/recent.h"
#include "base/util.h"
#include "vm/offline_snapshots.h"
#include "vm/qemu_args.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

char *vm_actions_snapshot_name(time_t t, const char *const *taken, size_t n)
{
	struct tm tm;
	localtime_r(&t, &tm);
	char base[32];
	strftime(base, sizeof(base), "%Y-%m-%d %H:%M", &tm);
	char *name = xstrdup(base);
	for (unsigned k = 2;; k++) {
		bool used = false;
		for (size_t i = 0; i < n && !used; i++)
			used = taken[i] && !strcmp(taken[i], name);
		if (!used)
			return name;
		free(name);
		name = xasprintf("%s (%u)", base, k);
	}
}

static struct json_object *get(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;
	if (o && json_object_is_type(o, json_type_object) &&
	    json_object_object_get_ex(o, key, &v))
		return v;
	return NULL;
}

static const char *get_string(struct json_object *o, const char *key)
{
	struct json_object *v = get(o, key);
	return v && json_object_is_type(v, json_type_string)
		? json_object_get_string(v) : NULL;
}

static int64_t get_int(struct json_object *o, const char *key)
{
	struct json_object *v = get(o, key);
	return v ? json_object_get_int64(v) : 0;
}

static struct json_object *find_node(struct json_object *nodes,
				     const char *name)
{
	if (!nodes || !json_object_is_type(nodes, json_type_array))
		return NULL;
	size_t n = json_object_array_length(nodes);
	for (size_t i = 0; i < n; i++) {
		struct json_object *node = json_object_array_get_idx(nodes, i);
		const char *nn = get_string(node, "node-name");
		if (nn && !strcmp(nn, name))
			return node;
	}
	return NULL;
}

static size_t node_snapshots(struct json_object *node,
			     struct disk_snapshot **out)
{
	*out = NULL;
	struct json_object *list = get(get(node, "image"), "snapshots");
	if (!list || !json_object_is_type(list, json_type_array))
		return 0;
	size_t n = json_object_array_length(list), used = 0;
	*out = xcalloc(n + 1, sizeof(**out));
	for (size_t i = 0; i < n; i++) {
		struct json_object *s = json_object_array_get_idx(list, i);
		const char *name = get_string(s, "name");
		if (!name)
			continue;
		struct disk_snapshot *d = &(*out)[used++];
		const char *id = get_string(s, "id");
		d->id = xstrdup(id ? id : "");
		d->name = xstrdup(name);
		d->date_sec = get_int(s, "date-sec");
		d->vm_clock_ns = (uint64_t)get_int(s, "vm-clock-sec") *
					 1000000000u +
				 (uint64_t)get_int(s, "vm-clock-nsec");
		d->vm_state_size = (uint64_t)get_int(s, "vm-state-size");
	}
	return used;
}

static void free_disk_snapshots(struct disk_snapshot *list, size_t n)
{
	for (size_t i = 0; list && i < n; i++) {
		free(list[i].id);
		free(list[i].name);
	}
	free(list);
}

void vm_actions_free_snapshots(struct vm_snapshot *list, size_t n)
{
	for (size_t i = 0; list && i < n; i++) {
		free(list[i].s.id);
		free(list[i].s.name);
		free(list[i].missing);
	}
	free(list);
}

static bool has_name(const struct disk_snapshot *list, size_t n,
		     const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(list[i].name, name))
			return true;
	return false;
}

static int by_date(const void *x, const void *y)
{
	const struct vm_snapshot *a = x, *b = y;
	return (a->s.date_sec > b->s.date_sec) - (a->s.date_sec < b->s.date_sec);
}

size_t vm_actions_merge_snapshots(const struct disk_snapshot *const *lists,
				  const size_t *counts,
				  const char *const *labels, size_t n_lists,
				  struct vm_snapshot **out)
{
	size_t total = 0, n = 0;
	for (size_t i = 0; i < n_lists; i++)
		total += counts[i];
	*out = xcalloc(total + 1, sizeof(**out));
	for (size_t i = 0; i < n_lists; i++) {
		for (size_t k = 0; k < counts[i]; k++) {
			const struct disk_snapshot *d = &lists[i][k];
			bool seen = false;
			for (size_t j = 0; j < i && !seen; j++)
				seen = has_name(lists[j], counts[j], d->name);
			if (seen)
				continue;
			struct vm_snapshot *o = &(*out)[n++];
			o->s = *d;
			o->s.id = xstrdup(d->id ? d->id : "");
			o->s.name = xstrdup(d->name);
			o->missing = NULL;
			for (size_t j = 0; j < n_lists; j++) {
				if (has_name(lists[j], counts[j], d->name))
					continue;
				char *more = xasprintf("%s%s%s", o->missing ? o->missing : "",
						       o->missing ? ", " : "", labels[j]);
				free(o->missing);
				o->missing = more;
			}
		}
	}
	/* Oldest first; equal dates keep the first disk's order. */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && by_date(&(*out)[j - 1], &(*out)[j]) > 0; j--) {
			struct vm_snapshot t = (*out)[j];
			(*out)[j] = (*out)[j - 1];
			(*out)[j - 1] = t;
		}
	return n;
}

size_t vm_actions_parse_nodes(struct json_object *nodes,
			      const char *const *node_names,
			      const char *const *labels, size_t n_nodes,
			      struct vm_snapshot **out,
			      struct vm_node_size *sizes)
{
	struct disk_snapshot **lists = xcalloc(n_nodes + 1, sizeof(*lists));
	size_t *counts = xcalloc(n_nodes + 1, sizeof(*counts));
	for (size_t i = 0; i < n_nodes; i++) {
		struct json_object *node = find_node(nodes, node_names[i]);
		counts[i] = node_snapshots(node, &lists[i]);
		if (!sizes)
			continue;
		struct json_object *image = get(node, "image");
		sizes[i].found = node != NULL;
		const char *fmt = get_string(image, "format");
		sizes[i].format = fmt ? xstrdup(fmt) : NULL;
		sizes[i].virtual_size = (uint64_t)get_int(image, "virtual-size");
		sizes[i].used_size = (uint64_t)get_int(image, "actual-size");
	}
	size_t n = vm_actions_merge_snapshots(
		(const struct disk_snapshot *const *)lists, counts,
		labels ? labels : node_names, n_nodes, out);
	for (size_t i = 0; i < n_nodes; i++)
		free_disk_snapshots(lists[i], counts[i]);
	free(lists);
	free(counts);
	return n;
}

enum vm_snapshot_kind vm_snapshot_kind(const struct vm_snapshot *s)
{
	if (s->missing)
		return VM_SNAPSHOT_PARTIAL;
	return s->s.vm_state_size ? VM_SNAPSHOT_FULL : VM_SNAPSHOT_DISKS;
}

char *vm_snapshot_kind_text(const struct vm_snapshot *s)
{
	switch (vm_snapshot_kind(s)) {
	case VM_SNAPSHOT_FULL:
		return xstrdup(_("memory + disks"));
	case VM_SNAPSHOT_DISKS:
		return xstrdup(_("disks only"));
	case VM_SNAPSHOT_PARTIAL:
		break;
	}
	/* TRANSLATORS: %s names disks: "disk 'data'" */
	return xasprintf(_("partial: not on %s"), s->missing);
}

char *vm_snapshot_restore_effect(const struct vm_snapshot *s)
{
	switch (vm_snapshot_kind(s)) {
	case VM_SNAPSHOT_FULL:
		return xstrdup(_("The VM returns to the moment of this snapshot. "
				 "Its current state is lost."));
	case VM_SNAPSHOT_DISKS:
		return xstrdup(_("This snapshot holds the disks only: the VM is "
				 "turned off, its disks go back to the snapshot "
				 "and it starts again from them. Its current "
				 "state is lost."));
	case VM_SNAPSHOT_PARTIAL:
		break;
	}
	/* TRANSLATORS: %s names disks: "disk 'data'" */
	if (s->s.vm_state_size)
		return xasprintf(_("Partial snapshot: %s did not have it "
				   "(attached later) and stays as it is. The "
				   "VM is turned off, the other disks go back "
				   "to the snapshot and it starts again from "
				   "them (the memory in the snapshot is not "
				   "used: the machine has changed since). Its "
				   "current state is lost."), s->missing);
	return xasprintf(_("Partial snapshot: %s did not have it (attached "
			   "later) and stays as it is. The VM is turned off, "
			   "the other disks go back to the snapshot and it "
			   "starts again from them. Its current state is "
			   "lost."), s->missing);
}

char *vma_node_label(const struct vm_actions *a, size_t node)
{
	const char *nn = node < a->nodes.n ? a->nodes.v[node] : "";
	unsigned idx;
	if (sscanf(nn, "disk%u", &idx) == 1 && idx < a->cfg->n_disks)
		return xasprintf(_("disk '%s'"), a->cfg->disks[idx].name);
	if (!strcmp(nn, "efivars"))
		return xstrdup(_("the UEFI variables"));
	return xasprintf(_("node '%s'"), nn);
}

/* ---- snapshots ---- */

char *vm_actions_snapshot_blocker(const struct vm_actions *a)
{
	return vm_actions_blocker_for(a->cfg, a->formats);
}

static const char *const busy_formats[] = {
	[SNAP_TAKE] = N_("Taking snapshot %s…"),
	[SNAP_RESTORE] = N_("Restoring snapshot %s…"),
	[SNAP_DELETE] = N_("Deleting snapshot %s…"),
};

static const char *const fail_formats[] = {
	[SNAP_TAKE] = N_("Snapshot %s failed: %s"),
	[SNAP_RESTORE] = N_("Cannot restore snapshot %s: %s"),
	[SNAP_DELETE] = N_("Cannot delete snapshot %s: %s"),
};

static const char *const job_commands[] = {
	[SNAP_TAKE] = "snapshot-save",
	[SNAP_RESTORE] = "snapshot-load",
	[SNAP_DELETE] = "snapshot-delete",
};

static void dismiss_job(struct vm_actions *a)
{
	struct qmp *q = vma_live_qmp(a, NULL);
	if (!a->job.id || !q)
		return;
	struct json_object *args = json_object_new_object();
	json_object_object_add(args, "id", json_object_new_string(a->job.id));
	vma_send_op(a, q, "job-dismiss", args, vma_op_new(a, STEP_IGNORE));
}

void vma_job_fail(struct vm_actions *a, const char *why)
{
	const char *name = a->job.name ? a->job.name : "";
	/* A failed snapshot-load leaves QEMU stopped ("restore-vm"), and
	 * resuming a half-restored machine could corrupt its disks. */
	bool paused = a->job.action == SNAP_RESTORE && a->job.id &&
		      a->session &&
		      vm_session_state(a->session) == VM_STATE_PAUSED;
	vma_note(a, VM_NOTE_ERROR, _(fail_formats[a->job.action]), name, why);
	if (paused)
		vma_note(a, VM_NOTE_ERROR, _("The VM stays paused: restore "
		     "another snapshot, or resume it at your own risk"));
	dismiss_job(a);
	vma_agent_replug(a);
	vma_job_clear(a);
}

/* The VM is off: the same through qemu-img, as `vmplay snapshot` does
 * (offline_snapshots.c). Synchronous: qemu-img snapshot takes well under
 * a second on disks without RAM state. */
static void snapshot_offline(struct vm_actions *a, enum snap_action action,
			     const char *name)
{
	char *error = NULL, *auto_name = NULL, *left = NULL;
	/* Never waits in the player: says so when another command runs. */
	struct offline_snaps *o = offline_snaps_open(a->cfg, true,
						     OFFLINE_LOCK_TRY, &error);
	bool ok = false, had_ram = false;
	if (o) {
		if (action == SNAP_TAKE && !name)
			name = auto_name = offline_snaps_auto_name(o);
		switch (action) {
		case SNAP_TAKE:
			ok = offline_snaps_take(o, name, &error);
			break;
		case SNAP_RESTORE:
			ok = offline_snaps_restore(o, name, &had_ram, &left,
						   &error);
			break;
		case SNAP_DELETE:
			ok = offline_snaps_delete(o, name, &error);
			break;
		}
	}
	offline_snaps_close(o);
	static const char *const done[] = {
		[SNAP_TAKE] = N_("Snapshot %s taken"),
		[SNAP_RESTORE] = N_("Snapshot %s restored: the VM starts from it"),
		[SNAP_DELETE] = N_("Snapshot %s deleted"),
	};
	if (ok && left) {  /* a partial snapshot; left: "'a', 'b'" */
		unsigned long n_left = 1;
		for (const char *c = left; (c = strchr(c, ',')); c++)
			n_left++;
		/* TRANSLATORS: the second %s lists disk names: 'data', 'b' */
		vma_note(a, VM_NOTE_INFO, ngettext("Snapshot %s restored; disk "
			 "%s did not have it and was left as it was",
			 "Snapshot %s restored; disks %s did not have it and "
			 "were left as they were", n_left), name, left);
	} else if (ok) {
		vma_note(a, VM_NOTE_INFO, _(done[action]), name);
	} else {
		vma_note(a, VM_NOTE_ERROR, "%s", error ? error : _("failed"));
	}
	free(left);
	free(error);
	free(auto_name);
	vm_actions_refresh(a);
}

void vma_restore_offline(struct vm_actions *a, const char *name)
{
	snapshot_offline(a, SNAP_RESTORE, name);
}

static void snapshot_start(struct vm_actions *a, enum snap_action action,
			   const char *name)
{
	static const char *const verbs[] = {
		[SNAP_TAKE] = N_("take a snapshot"),
		[SNAP_RESTORE] = N_("restore a snapshot"),
		[SNAP_DELETE] = N_("delete a snapshot"),
	};
	if (a->job.active) {
		/* TRANSLATORS: the first %s is "take a snapshot", "restore a
		 * snapshot" or "delete a snapshot" */
		vma_note(a, VM_NOTE_ERROR, _("Cannot %s now: %s"), _(verbs[action]),
		     a->job.busy ? a->job.busy
				 : _("another snapshot action runs"));
		return;
	}
	if (action != SNAP_TAKE && (!name || !*name)) {
		vma_note(a, VM_NOTE_ERROR, _("Cannot %s: no name given"),
			 _(verbs[action]));
		return;
	}
	char *bad = action == SNAP_TAKE && name && *name
		? snapshot_name_problem(name) : NULL;
	if (bad) {
		vma_note(a, VM_NOTE_ERROR, _("Cannot %s: %s"), _(verbs[action]),
			 bad);
		free(bad);
		return;
	}
	char *blocker = vm_actions_snapshot_blocker(a);
	if (blocker) {
		vma_note(a, VM_NOTE_ERROR, "%s", blocker);
		free(blocker);
		return;
	}
	if (!vma_live_qmp(a, NULL)) {
		snapshot_offline(a, action, name);
		return;
	}
	struct qmp *q = vma_live_qmp(a, _(verbs[action]));
	/* One snapshot command per VM at a time, offline ones included. */
	char *lock_error = NULL;
	int lock_fd = snapshot_lock(a->cfg->path, false, &lock_error);
	if (lock_fd < 0) {
		vma_note(a, VM_NOTE_ERROR, _("Cannot %s: %s"), _(verbs[action]),
			 lock_error);
		free(lock_error);
		return;
	}
	a->job.active = true;
	a->job.lock_fd = lock_fd;
	a->job.serial = ++a->next_serial;
	a->job.action = action;
	a->job.name = name && *name ? xstrdup(name) : NULL;
	a->job.requested = time(NULL);
	struct json_object *args = json_object_new_object();
	json_object_object_add(args, "flat", json_object_new_boolean(1));
	if (!vma_send_op(a, q, "query-named-block-nodes", args,
		     vma_op_new(a, STEP_SNAP_PREPARE)))
		vma_job_fail(a, _("the QMP connection is gone"));
}

void vm_actions_snapshot_take(struct vm_actions *a, const char *name)
{
	snapshot_start(a, SNAP_TAKE, name);
}

void vm_actions_snapshot_restore(struct vm_actions *a, const char *name)
{
	snapshot_start(a, SNAP_RESTORE, name);
}

void vm_actions_snapshot_delete(struct vm_actions *a, const char *name)
{
	snapshot_start(a, SNAP_DELETE, name);
}

static struct json_object *string_array(const struct strv *sv)
{
	struct json_object *arr = json_object_new_array();
	for (size_t i = 0; i < sv->n; i++)
		json_object_array_add(arr, json_object_new_string(sv->v[i]));
	return arr;
}

/* A snapshot QEMU cannot load into the running machine: the owner stops
 * QEMU, vm_actions_set_session(NULL) restores it, the owner starts QEMU
 * again. */
static void restart_restore(struct vm_actions *a, const struct vm_snapshot *s)
{
	char *name = xstrdup(s->s.name);
	vma_job_clear(a);
	free(a->restart_restore);
	a->restart_restore = xstrdup(name);
	if (!a->listener.restart || !a->listener.restart(a->listener.user)) {
		free(a->restart_restore);
		a->restart_restore = NULL;
		vma_note(a, VM_NOTE_ERROR, _("Cannot restore snapshot %s here: it "
			 "needs the VM restarted (%s); restore it with 'vmplay "
			 "snapshot restore' while the VM is off"), name,
			 s->missing ? _("it is partial") : _("it holds no memory state"));
	} else {
		vma_note(a, VM_NOTE_PROGRESS, _("Turning the VM off to restore "
			 "snapshot %s…"), name);
	}
	free(name);
}

/* Starts QEMU's job for the job's name; for a delete, on the disks in
 * holders only (QEMU fails for a disk without it). */
void vma_snapshot_run(struct vm_actions *a, const struct strv *holders)
{
	struct qmp *q = vma_live_qmp(a, NULL);
	if (!q) {
		vma_job_fail(a, _("the VM is not running"));
		return;
	}
	a->job.id = xasprintf("vmplay-snapshot-%u", a->job.serial);
	struct json_object *args = json_object_new_object();
	json_object_object_add(args, "job-id", json_object_new_string(a->job.id));
	json_object_object_add(args, "tag", json_object_new_string(a->job.name));
	if (a->job.action != SNAP_DELETE) {
		json_object_object_add(args, "vmstate",
				       json_object_new_string(a->nodes.v[0]));
		json_object_object_add(args, "devices", string_array(&a->nodes));
	} else {
		json_object_object_add(args, "devices", string_array(holders));
	}
	if (!vma_send_op(a, q, job_commands[a->job.action], args,
		     vma_op_new(a, STEP_JOB_START))) {
		free(a->job.id);
		a->job.id = NULL;
		vma_job_fail(a, _("the QMP connection is gone"));
	}
}

/* The list is in: check the name, then start QEMU's job. */
void vma_snapshot_prepared(struct vm_actions *a, struct json_object *nodes)
{
	vma_take_nodes(a, nodes);
	vma_changed(a);
	/* Per node, whether it has the name, and every name any node has. */
	struct strv taken = { 0 }, holders = { 0 }, labels = { 0 };
	const char *name = a->job.name;
	struct snapshot_disk *disks = xcalloc(a->nodes.n + 1, sizeof(*disks));
	for (size_t i = 0; i < a->nodes.n; i++) {
		/* "disk<i>" is the VM file's disk i (qemu_args.h). */
		unsigned long k;
		const char *node = a->nodes.v[i];
		if (sscanf(node, "disk%lu", &k) == 1 && k < a->cfg->n_disks)
			strv_pushf(&labels, _("disk '%s'"), a->cfg->disks[k].name);
		else if (!strcmp(node, "efivars"))
			strv_push(&labels, _("the UEFI variable store"));
		else
			strv_pushf(&labels, _("block node '%s'"), node);
	}
	for (size_t i = 0; i < a->nodes.n; i++) {
		struct disk_snapshot *list = NULL;
		size_t n = node_snapshots(find_node(nodes, a->nodes.v[i]), &list);
		for (size_t k = 0; k < n; k++)
			strv_push(&taken, list[k].name);
		if (name && has_name(list, n, name))
			strv_push(&holders, a->nodes.v[i]);
		disks[i] = (struct snapshot_disk){ labels.v[i], list, n };
	}
	char *rule = NULL;   /* what snapshot_rules.h refuses */
	const struct vm_snapshot *found = NULL;
	for (size_t k = 0; name && k < a->n_snapshots; k++)
		if (!strcmp(a->snapshots[k].s.name, name))
			found = &a->snapshots[k];

	const char *problem = NULL;
	switch (a->job.action) {
	case SNAP_TAKE:
		if (!name) {
			a->job.name = vm_actions_snapshot_name(
				a->job.requested, (const char *const *)taken.v,
				taken.n);
			name = a->job.name;
		} else if (holders.n) {
			problem = _("a snapshot of that name exists already, and "
				  "vmplay never overwrites one (choose another "
				  "name, or delete that snapshot first)");
		} else {
			problem = rule = snapshot_take_conflict(
				disks, a->nodes.n, name);
		}
		break;
	case SNAP_RESTORE:
		if (!holders.n || !found) {
			problem = _("the VM has no snapshot of that name");
		} else if ((rule = snapshot_lookup_problem(disks, a->nodes.n,
							   name))) {
			problem = rule;
		} else if (vm_snapshot_kind(found) != VM_SNAPSHOT_FULL) {
			/* Disks only, or partial: QEMU can load neither into
			 * the running machine; restored while it is off. */
			restart_restore(a, found);
			goto out;
		}
		break;
	case SNAP_DELETE:
		if (!holders.n)
			problem = _("the VM has no snapshot of that name");
		else if ((rule = snapshot_lookup_problem(disks, a->nodes.n,
							 name)))
			problem = rule;
		break;
	}
	if (problem) {
		vma_job_fail(a, problem);
		goto out;
	}
	if (!vma_live_qmp(a, NULL)) {
		vma_job_fail(a, _("the VM is not running"));
		goto out;
	}
	a->job.start_ms = now_ms();
	a->job.busy = xasprintf(_(busy_formats[a->job.action]), name);
	vma_note(a, VM_NOTE_PROGRESS, "%s", a->job.busy);
	/* Memory is saved or loaded: the clipboard's agent must be out of
	 * the way first (vm_agent.c). */
	if (a->job.action != SNAP_DELETE && vma_agent_plugged(a))
		vma_agent_unplug(a);
	else
		vma_snapshot_run(a, &holders);
out:
	for (size_t i = 0; i < a->nodes.n; i++)
		free_disk_snapshots((struct disk_snapshot *)disks[i].list,
				    disks[i].n);
	free(disks);
	free(rule);
	strv_free(&labels);
	strv_free(&taken);
	strv_free(&holders);
}

/* query-jobs answered after our job concluded. */
void vma_job_result(struct vm_actions *a, struct json_object *jobs)
{
	const char *error = NULL;
	bool found = false;
	size_t n = jobs && json_object_is_type(jobs, json_type_array)
			   ? json_object_array_length(jobs) : 0;
	for (size_t i = 0; i < n; i++) {
		struct json_object *j = json_object_array_get_idx(jobs, i);
		const char *id = get_string(j, "id");
		if (id && !strcmp(id, a->job.id)) {
			found = true;
			error = get_string(j, "error");
		}
	}
	if (!found)
		error = _("QEMU no longer lists the job");
	if (error) {
		vma_job_fail(a, error);
		return;
	}
	double secs = (double)(now_ms() - a->job.start_ms) / 1000.0;
	switch (a->job.action) {
	case SNAP_TAKE:
		/* A small VM saves in milliseconds: "0.0 s" would look
		 * like nothing happened. */
		vma_note(a, VM_NOTE_INFO, _("Snapshot %s taken in %.*f s"),
		     a->job.name, secs < 0.1 ? 2 : 1, secs);
		break;
	case SNAP_RESTORE:
		vma_note(a, VM_NOTE_INFO, _("Snapshot %s restored"), a->job.name);
		break;
	case SNAP_DELETE:
		vma_note(a, VM_NOTE_INFO, _("Snapshot %s deleted"), a->job.name);
		break;
	}
	dismiss_job(a);
	vma_agent_replug(a);
	vma_job_clear(a);
	vm_actions_refresh(a);
}

void vm_actions_handle_event(struct vm_actions *a, const char *event,
			     struct json_object *data)
{
	if (!a->job.active)
		return;
	if (!strcmp(event, "SHUTDOWN")) {
		/* QEMU is on its way out: nothing to plug back in */
		a->job.agent = AGENT_IN;
		vma_job_fail(a, _("QEMU stopped before it was done"));
		return;
	}
	if (!strcmp(event, "DEVICE_DELETED")) {
		vma_agent_event(a, data);
		return;
	}
	if (strcmp(event, "JOB_STATUS_CHANGE") != 0 || !a->job.id)
		return;
	const char *id = get_string(data, "id");
	const char *status = get_string(data, "status");
	if (!id || !status || strcmp(id, a->job.id) != 0 ||
	    strcmp(status, "concluded") != 0)
		return;
	struct qmp *q = vma_live_qmp(a, NULL);
	if (!q || !vma_send_op(a, q, "query-jobs", NULL, vma_op_new(a, STEP_JOB_QUERY)))
		vma_job_fail(a, _("the QMP connection is gone"));
}
