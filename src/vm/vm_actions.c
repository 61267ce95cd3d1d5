/* The menu's and shortcuts' actions; see vm_actions.h. This is the
 * core: notes, QMP ops and their replies, lifetime, the snapshot and disk
 * lists, power and keys; the parts are vm_snapshots.c, vm_media.c and
 * vm_disks.c (vm_actions_impl.h is what they share).
 *
 * Every QMP command goes out with qmp_send and a small heap "op" as its
 * callback data, never the vm_actions itself: replies can arrive after the
 * actions are gone (qmp_destroy answers every outstanding command with an
 * error), so destroy only cuts the ops loose and each op frees itself when
 * its reply comes.
 *
 * A snapshot action is a chain of steps driven by replies and events:
 *   query-named-block-nodes (which names exist, on which disks)
 *   -> snapshot-save/-load/-delete (returns at once, starts a job)
 *   -> JOB_STATUS_CHANGE "concluded" (vm_actions_handle_event)
 *   -> query-jobs (the job's error, if any) -> job-dismiss -> refresh.
 * QEMU's snapshot-delete succeeds for a name no disk has, and a failed
 * snapshot-load leaves the VM stopped, so names are checked before any
 * job starts. */
#include "vm/vm_actions_impl.h"

#include "base/i18n.h"
#include "base/ini_edit.h"
#include "base/log.h"
#include "base/recent.h"
#include "base/util.h"
#include "vm/qemu_args.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* ---- notes ---- */


void vma_note(struct vm_actions *a, enum vm_note kind, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *text = xvasprintf(fmt, ap);
	va_end(ap);
	if (kind == VM_NOTE_ERROR)
		log_warn("%s", text);
	else
		log_debug("%s", text);
	if (a->listener.note)
		a->listener.note(a->listener.user, kind, text);
	free(text);
}

void vma_changed(struct vm_actions *a)
{
	if (a->listener.changed)
		a->listener.changed(a->listener.user);
}

/* ---- ops ---- */

struct op *vma_op_new(struct vm_actions *a, enum op_step step)
{
	struct op *op = xcalloc(1, sizeof(*op));
	op->a = a;
	op->step = step;
	op->session = a->session;
	op->job_serial = a->job.serial;
	op->next = a->ops;
	a->ops = op;
	return op;
}

static void op_free(struct op *op)
{
	struct vm_actions *a = op->a;
	if (a) {
		for (struct op **pp = &a->ops; *pp; pp = &(*pp)->next) {
			if (*pp == op) {
				*pp = op->next;
				break;
			}
		}
	}
	free(op->text);
	free(op->what);
	free(op);
}

/* The session's QMP connection, or NULL with an error note saying why
 * "what" cannot be done. */
struct qmp *vma_live_qmp(struct vm_actions *a, const char *what)
{
	struct qmp *q = a->session && !vm_session_exited(a->session)
				? vm_session_qmp(a->session) : NULL;
	if (!q && what)
		/* TRANSLATORS: %s is what was asked, an infinitive phrase:
		 * "pause", "reset the VM", "insert an ISO"... */
		vma_note(a, VM_NOTE_ERROR, _("Cannot %s: the VM is not running"), what);
	return q;
}

static void on_reply(void *user, struct json_object *ret, const char *error);

/* Sends command with op as the reply's data; on failure frees op and
 * returns false (the caller reports). args is taken over. */
bool vma_send_op(struct vm_actions *a, struct qmp *q, const char *command,
		    struct json_object *args, struct op *op)
{
	(void)a;
	if (qmp_send(q, command, args, on_reply, op))
		return true;
	op_free(op);
	return false;
}

char *vm_actions_blocker_for(const struct vm_config *cfg,
			     const enum disk_format *formats)
{
	struct strv bad = { 0 };
	size_t writable = 0;
	for (size_t i = 0; i < cfg->n_disks; i++) {
		const struct vm_disk *d = &cfg->disks[i];
		if (d->readonly)
			continue;
		writable++;
		enum disk_format f = formats ? formats[i] : d->format;
		if (disk_format_has_snapshots(f))
			continue;
		if (f == FORMAT_AUTO)
			strv_pushf(&bad, _("disk '%s' (%s) is of a format vmplay "
				   "cannot read"), d->name, d->file);
		else
			strv_pushf(&bad, _("disk '%s' (%s) is a %s image"), d->name,
				   d->file, disk_format_name(f));
	}
	char *msg = NULL;
	if (!writable) {
		msg = xasprintf(_("%s has no writable disk to hold snapshots "
				"(the VM's memory is saved onto a qcow2 disk)"),
				cfg->name);
	} else if (bad.n) {
		size_t len = 0;
		for (size_t i = 0; i < bad.n; i++)
			len += strlen(bad.v[i]) + 2;
		char *list = xcalloc(1, len + 1);
		for (size_t i = 0; i < bad.n; i++) {
			if (i)
				strcat(list, "; ");
			strcat(list, bad.v[i]);
		}
		msg = xasprintf(_("No snapshots for %s: %s, which cannot hold "
				"snapshots. Only qcow2 disks can ('vmplay disk "
				"convert' makes a qcow2 copy)."), cfg->name, list);
		free(list);
	}
	strv_free(&bad);
	return msg;
}

struct json_object *vm_actions_send_key_args(const uint16_t *qnums,
					     size_t n_keys, char **error)
{
	struct json_object *list = json_object_new_array();
	for (size_t i = 0; i < n_keys; i++) {
		if (!qnums[i]) {
			*error = xasprintf(_("key %zu of %zu has no code to send "
					   "to the guest"), i + 1, n_keys);
			json_object_put(list);
			return NULL;
		}
		struct json_object *k = json_object_new_object();
		json_object_object_add(k, "type", json_object_new_string("number"));
		json_object_object_add(k, "data", json_object_new_int(qnums[i]));
		json_object_array_add(list, k);
	}
	if (!n_keys) {
		*error = xstrdup(_("no keys to send"));
		json_object_put(list);
		return NULL;
	}
	struct json_object *args = json_object_new_object();
	json_object_object_add(args, "keys", list);
	return args;
}

char *vm_actions_path_for_file(const char *vm_dir, const char *path)
{
	if (!vm_dir || vm_dir[0] != '/')
		return xstrdup(path);
	size_t n = strlen(vm_dir);
	while (n && vm_dir[n - 1] == '/')
		n--;   /* "/" becomes "": every absolute path is inside */
	if (!strncmp(path, vm_dir, n) && path[n] == '/' && path[n + 1])
		return xstrdup(path + n + 1);
	return xstrdup(path);
}

/* ---- lifetime ---- */

void vma_reload_recent(struct vm_actions *a)
{
	strv_free(&a->recent);
	strv_free(&a->recent_existing);
	recent_load(a->recent_file, &a->recent, RECENT_MAX);
	for (size_t i = 0; i < a->recent.n; i++)
		if (path_exists(a->recent.v[i]))
			strv_push(&a->recent_existing, a->recent.v[i]);
}

struct vm_actions *vm_actions_create(const struct vm_config *cfg,
				     struct vm_session *session,
				     const struct vm_actions_listener *listener)
{
	struct vm_actions *a = xcalloc(1, sizeof(*a));
	a->cfg = cfg;
	a->session = session;
	a->job.lock_fd = -1;
	if (listener)
		a->listener = *listener;
	a->formats = xcalloc(cfg->n_disks + 1, sizeof(*a->formats));
	for (size_t i = 0; i < cfg->n_disks; i++) {
		const struct vm_disk *d = &cfg->disks[i];
		a->formats[i] = d->format != FORMAT_AUTO
					? d->format : disk_detect_format(d->file);
		if (!d->readonly) {
			char *node = qemu_disk_node_name(i);
			strv_push(&a->nodes, node);
			free(node);
		}
	}
	/* qemu_args.c gives the UEFI variable store (qcow2) this node name;
	 * leaving it out would let a restore mix old RAM with new vars. */
	if (cfg->firmware == FIRMWARE_UEFI && a->nodes.n)
		strv_push(&a->nodes, "efivars");
	a->cdrom = xstrdup(cfg->cdrom_file);
	a->recent_file = recent_path("recent-isos");
	vma_reload_recent(a);
	return a;
}

void vma_job_clear(struct vm_actions *a)
{
	snapshot_unlock(a->job.lock_fd);
	free(a->job.name);
	free(a->job.id);
	free(a->job.busy);
	unsigned serial = a->job.serial;
	memset(&a->job, 0, sizeof(a->job));
	a->job.serial = serial;
	a->job.lock_fd = -1;
}

static void free_disks(struct vm_actions *a)
{
	for (size_t i = 0; i < a->n_disks; i++) {
		free(a->disks[i].name);
		free(a->disks[i].file);
		free(a->disks[i].format);
	}
	free(a->disks);
	a->disks = NULL;
	a->n_disks = 0;
}

void vm_actions_destroy(struct vm_actions *a)
{
	if (!a)
		return;
	/* Outstanding replies free their ops when they come. */
	for (struct op *op = a->ops; op; op = op->next)
		op->a = NULL;
	vma_job_clear(a);
	free(a->formats);
	strv_free(&a->nodes);
	vm_actions_free_snapshots(a->snapshots, a->n_snapshots);
	free(a->restart_restore);
	free_disks(a);
	for (size_t i = 0; i < a->n_added; i++) {
		free(a->added[i].name);
		free(a->added[i].file);
	}
	free(a->added);
	free(a->cdrom);
	free(a->recent_file);
	strv_free(&a->recent);
	strv_free(&a->recent_existing);
	free(a);
}

void vm_actions_set_session(struct vm_actions *a, struct vm_session *session)
{
	if (a->session == session && !(!session && a->restart_restore))
		return;
	a->session = session;
	if (a->job.active) {
		vma_job_clear(a);
		a->job.serial = ++a->next_serial;
	}
	/* A restarted VM starts with the medium of the VM file. */
	free(a->cdrom);
	a->cdrom = xstrdup(a->cfg->cdrom_file);
	if (!session && a->restart_restore) {
		char *name = a->restart_restore;
		a->restart_restore = NULL;
		vma_restore_offline(a, name);
		free(name);
	}
}

const char *vm_actions_busy(const struct vm_actions *a)
{
	return a->job.active ? a->job.busy : NULL;
}

bool vm_actions_idle(const struct vm_actions *a)
{
	return !a->job.active && !a->ops;
}

/* ---- lists ---- */

static void set_snapshots(struct vm_actions *a, struct vm_snapshot *list,
			  size_t n)
{
	vm_actions_free_snapshots(a->snapshots, a->n_snapshots);
	a->snapshots = list;
	a->n_snapshots = n;
	a->snapshots_known = true;
}

/* Rebuilds the disk list: the VM's disks with sizes (index-aligned with
 * cfg->disks), then the ones created from the menu (sizes from qemu-img:
 * no VM holds them yet). */
static void set_disks(struct vm_actions *a, const struct vm_node_size *sizes)
{
	free_disks(a);
	a->disks = xcalloc(a->cfg->n_disks + a->n_added + 1, sizeof(*a->disks));
	for (size_t i = 0; i < a->cfg->n_disks; i++) {
		const struct vm_disk *d = &a->cfg->disks[i];
		struct vm_actions_disk *o = &a->disks[a->n_disks++];
		o->name = xstrdup(d->name);
		o->file = xstrdup(d->file);
		if (sizes && sizes[i].found) {
			o->format = xstrdup(sizes[i].format);
			o->virtual_size = sizes[i].virtual_size;
			o->used_size = sizes[i].used_size;
		} else if (a->formats[i] != FORMAT_AUTO) {
			o->format = xstrdup(disk_format_name(a->formats[i]));
		}
	}
	for (size_t i = 0; i < a->n_added; i++) {
		struct vm_actions_disk *o = &a->disks[a->n_disks++];
		o->name = xstrdup(a->added[i].name);
		o->file = xstrdup(a->added[i].file);
		o->next_boot = true;
		char *error = NULL;
		struct disk_info *info = disk_info(o->file, DISK_INFO_SHARED,
						   &error);
		if (info) {
			o->format = xstrdup(info->format_name);
			o->virtual_size = info->virtual_size;
			o->used_size = info->actual_size;
		}
		free(error);
		disk_info_destroy(info);
	}
	a->disks_known = true;
}

static void free_sizes(struct vm_node_size *sizes, size_t n)
{
	for (size_t i = 0; sizes && i < n; i++)
		free(sizes[i].format);
	free(sizes);
}

/* The labels of the snapshot nodes, for "partial: not on disk 'data'". */
static char **node_labels(const struct vm_actions *a)
{
	char **labels = xcalloc(a->nodes.n + 1, sizeof(*labels));
	for (size_t i = 0; i < a->nodes.n; i++)
		labels[i] = vma_node_label(a, i);
	return labels;
}

static void free_labels(char **labels)
{
	for (size_t i = 0; labels && labels[i]; i++)
		free(labels[i]);
	free(labels);
}

/* Takes the answer of query-named-block-nodes into the lists. */
void vma_take_nodes(struct vm_actions *a, struct json_object *nodes)
{
	size_t nd = a->cfg->n_disks;
	const char **names = xcalloc(nd + 1, sizeof(*names));
	char **owned = xcalloc(nd + 1, sizeof(*owned));
	for (size_t i = 0; i < nd; i++)
		names[i] = owned[i] = qemu_disk_node_name(i);
	struct vm_node_size *sizes = xcalloc(nd + 1, sizeof(*sizes));
	struct vm_snapshot *ignored = NULL;
	size_t n_ignored = vm_actions_parse_nodes(nodes, names, NULL, nd,
						  &ignored, sizes);
	vm_actions_free_snapshots(ignored, n_ignored);
	char **labels = node_labels(a);
	struct vm_snapshot *list = NULL;
	size_t n = vm_actions_parse_nodes(nodes,
					  (const char *const *)a->nodes.v,
					  (const char *const *)labels,
					  a->nodes.n, &list, NULL);
	free_labels(labels);
	set_snapshots(a, list, n);
	set_disks(a, sizes);
	free_sizes(sizes, nd);
	for (size_t i = 0; i < nd; i++)
		free(owned[i]);
	free(owned);
	free(names);
}

/* The VM is off: the same from qemu-img (the UEFI variable store is left
 * out, as 'vmplay snapshot' does). */
static void refresh_offline(struct vm_actions *a)
{
	size_t nd = a->cfg->n_disks;
	struct vm_node_size *sizes = xcalloc(nd + 1, sizeof(*sizes));
	struct disk_info **infos = xcalloc(nd + 1, sizeof(*infos));
	const struct disk_snapshot **lists = xcalloc(nd + 1, sizeof(*lists));
	size_t *counts = xcalloc(nd + 1, sizeof(*counts));
	char **labels = xcalloc(nd + 1, sizeof(*labels));
	size_t n_lists = 0;
	for (size_t i = 0; i < nd; i++) {
		const struct vm_disk *d = &a->cfg->disks[i];
		char *error = NULL;
		infos[i] = disk_info(d->file, DISK_INFO_SHARED, &error);
		free(error);
		if (!infos[i])
			continue;
		sizes[i].found = true;
		sizes[i].format = xstrdup(infos[i]->format_name);
		sizes[i].virtual_size = infos[i]->virtual_size;
		sizes[i].used_size = infos[i]->actual_size;
		if (!d->readonly) {
			lists[n_lists] = infos[i]->snapshots;
			counts[n_lists] = infos[i]->n_snapshots;
			labels[n_lists++] = xasprintf(_("disk '%s'"), d->name);
		}
	}
	struct vm_snapshot *list = NULL;
	size_t n_list = vm_actions_merge_snapshots(lists, counts,
						   (const char *const *)labels,
						   n_lists, &list);
	for (size_t i = 0; i < nd; i++)
		disk_info_destroy(infos[i]);
	free_labels(labels);
	free(infos);
	free(lists);
	free(counts);
	set_snapshots(a, list, n_list);
	set_disks(a, sizes);
	free_sizes(sizes, nd);
	vma_changed(a);
}

void vm_actions_refresh(struct vm_actions *a)
{
	struct qmp *q = vma_live_qmp(a, NULL);
	if (!q) {
		refresh_offline(a);
		return;
	}
	struct json_object *args = json_object_new_object();
	json_object_object_add(args, "flat", json_object_new_boolean(1));
	if (!vma_send_op(a, q, "query-named-block-nodes", args,
		     vma_op_new(a, STEP_REFRESH)))
		vma_note(a, VM_NOTE_ERROR, _("Cannot read the VM's disks: the QMP "
		     "connection is gone"));
}

bool vm_actions_snapshots_known(const struct vm_actions *a)
{
	return a->snapshots_known;
}

size_t vm_actions_snapshots(const struct vm_actions *a,
			    const struct vm_snapshot **list)
{
	*list = a->snapshots;
	return a->n_snapshots;
}

size_t vm_actions_snapshots_plain(const struct vm_actions *a,
				  struct disk_snapshot **storage,
				  const struct disk_snapshot **list)
{
	const struct vm_snapshot *snaps;
	size_t n = vm_actions_snapshots(a, &snaps);
	free(*storage);
	*storage = xcalloc(n + 1, sizeof(**storage));
	for (size_t i = 0; i < n; i++)
		(*storage)[i] = snaps[i].s;
	*list = *storage;
	return n;
}

bool vm_actions_disks_known(const struct vm_actions *a)
{
	return a->disks_known;
}

size_t vm_actions_disks(const struct vm_actions *a,
			const struct vm_actions_disk **list)
{
	*list = a->disks;
	return a->n_disks;
}

/* ---- replies ---- */

static void on_reply(void *user, struct json_object *ret, const char *error)
{
	struct op *op = user;
	struct vm_actions *a = op->a;
	/* Gone, or an answer from a session or job that was replaced. */
	bool stale = !a || op->session != a->session;
	bool job_step = op->step == STEP_SNAP_PREPARE ||
			op->step == STEP_JOB_START || op->step == STEP_JOB_QUERY ||
			op->step == STEP_AGENT_UNPLUG ||
			op->step == STEP_AGENT_REMOVE;
	if (!stale && job_step)
		stale = !a->job.active || op->job_serial != a->job.serial;
	if (stale) {
		op_free(op);
		return;
	}
	switch (op->step) {
	case STEP_REFRESH:
		if (ret) {
			vma_take_nodes(a, ret);
			vma_changed(a);
		} else {
			vma_note(a, VM_NOTE_ERROR, _("Cannot read the VM's disks: %s"),
			     error);
		}
		break;
	case STEP_SNAP_PREPARE:
		if (ret)
			vma_snapshot_prepared(a, ret);
		else
			vma_job_fail(a, error);
		break;
	case STEP_JOB_START:
		if (!ret) {
			/* No job was made: nothing to dismiss. */
			free(a->job.id);
			a->job.id = NULL;
			vma_job_fail(a, error);
		}
		break;
	case STEP_JOB_QUERY:
		if (ret)
			vma_job_result(a, ret);
		else
			vma_job_fail(a, error);
		break;
	case STEP_AGENT_UNPLUG:
	case STEP_AGENT_REMOVE:
	case STEP_AGENT_READD:
	case STEP_AGENT_REPLUG:
		vma_agent_reply(a, op->step, ret, error);
		break;
	case STEP_IGNORE:
		if (!ret)
			log_debug("job-dismiss: %s", error);
		break;
	case STEP_MEDIA_INSERT:
		if (ret) {
			vma_media_inserted(a, op->text);
		} else {
			char *base = path_basename(op->text);
			vma_note(a, VM_NOTE_ERROR, _("Cannot insert %s: %s"), base,
			     error);
			free(base);
		}
		break;
	case STEP_MEDIA_EJECT:
		if (ret)
			vma_media_ejected(a);
		else
			vma_note(a, VM_NOTE_ERROR, _("Cannot eject: %s"), error);
		break;
	case STEP_SIMPLE:
		if (!ret)
			vma_note(a, VM_NOTE_ERROR, _("Cannot %s: %s"), op->what, error);
		else if (op->text)
			vma_note(a, VM_NOTE_INFO, "%s", op->text);
		break;
	}
	op_free(op);
}

/* ---- power and keys ---- */

void vm_actions_pause_toggle(struct vm_actions *a)
{
	if (!vma_live_qmp(a, _("pause")))
		return;
	switch (vm_session_state(a->session)) {
	case VM_STATE_RUNNING:
		vm_session_pause(a->session);
		break;
	case VM_STATE_PAUSED:
	case VM_STATE_PRELAUNCH:
		vm_session_resume(a->session);
		break;
	case VM_STATE_POWERING_DOWN:
		vma_note(a, VM_NOTE_ERROR,
			 _("Cannot pause: the VM is shutting down"));
		break;
	case VM_STATE_STOPPING:
		vma_note(a, VM_NOTE_ERROR, _("Cannot pause: the VM is stopping"));
		break;
	default:
		/* vm_state_name's words are the log's, in English */
		vma_note(a, VM_NOTE_ERROR, _("Cannot pause: the VM is %s"),
		     vm_state_name(vm_session_state(a->session)));
		break;
	}
}

static void simple_command(struct vm_actions *a, const char *command,
			   struct json_object *args, const char *what,
			   const char *success)
{
	struct qmp *q = vma_live_qmp(a, what);
	if (!q) {
		json_object_put(args);
		return;
	}
	struct op *op = vma_op_new(a, STEP_SIMPLE);
	op->text = xstrdup(success);
	op->what = xstrdup(what);
	if (!vma_send_op(a, q, command, args, op))
		vma_note(a, VM_NOTE_ERROR, _("Cannot %s: the QMP connection is gone"),
		     what);
}

void vm_actions_reset(struct vm_actions *a)
{
	simple_command(a, "system_reset", NULL, _("reset the VM"),
		       _("VM reset"));
}

void vm_actions_shutdown(struct vm_actions *a)
{
	if (!vma_live_qmp(a, _("shut down")))
		return;
	if (vm_session_powerdown(a->session))
		vma_note(a, VM_NOTE_INFO, _("Asked the guest to shut down"));
}

void vm_actions_force_off(struct vm_actions *a)
{
	if (!a->session || vm_session_exited(a->session)) {
		vma_note(a, VM_NOTE_ERROR, _("Cannot force off: the VM is not running"));
		return;
	}
	if (vm_session_quit(a->session))
		vma_note(a, VM_NOTE_INFO, _("Turning the VM off"));
}

void vm_actions_send_keys(struct vm_actions *a, const uint16_t *qnums,
			  size_t n_keys, const char *label)
{
	char *error = NULL;
	struct json_object *args = vm_actions_send_key_args(qnums, n_keys, &error);
	if (!args) {
		vma_note(a, VM_NOTE_ERROR, _("Cannot send %s: %s"),
		     label ? label : _("the keys"), error);
		free(error);
		return;
	}
	/* TRANSLATORS: %s names keys, as in "Ctrl+Alt+Del" */
	char *what = label ? xasprintf(_("send %s"), label)
			   : xstrdup(_("send keys"));
	char *success = label ? xasprintf(_("Sent %s"), label) : NULL;
	simple_command(a, "send-key", args, what, success);
	free(success);
	free(what);
}

void vm_actions_ctrl_alt_del(struct vm_actions *a)
{
	/* QEMU's key numbers (XT scan codes, 0xe0 prefix as bit 7): left
	 * Ctrl, left Alt, Delete. */
	static const uint16_t keys[] = { 0x1d, 0x38, 0xd3 };
	vm_actions_send_keys(a, keys, ARRAY_SIZE(keys), "Ctrl+Alt+Del");
}
