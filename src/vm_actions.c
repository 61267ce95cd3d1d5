/* The menu's and shortcuts' actions; see vm_actions.h.
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
#include "vm_actions.h"

#include "ini_edit.h"
#include "keymap.h"
#include "log.h"
#include "qemu_args.h"
#include "recent.h"
#include "util.h"

#include <SDL2/SDL_keyboard.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* config.c accepts at most this many disks. */
#define MAX_DISKS 64

enum snap_action { SNAP_TAKE, SNAP_RESTORE, SNAP_DELETE };

enum op_step {
	STEP_REFRESH,        /* query-named-block-nodes for the lists */
	STEP_SNAP_PREPARE,   /* query-named-block-nodes before a job */
	STEP_JOB_START,      /* snapshot-save/-load/-delete */
	STEP_JOB_QUERY,      /* query-jobs after "concluded" */
	STEP_IGNORE,         /* job-dismiss */
	STEP_MEDIA_INSERT,
	STEP_MEDIA_EJECT,
	STEP_SIMPLE,         /* reset, send-key: a note on success */
};

struct op {
	struct vm_actions *a;   /* NULL once the actions are gone */
	struct op *next;
	enum op_step step;
	char *text;             /* ISO path, or the success note */
	char *what;             /* STEP_SIMPLE: "reset the VM", for errors */
	unsigned job_serial;    /* the job this reply belongs to */
	struct vm_session *session;  /* the session it was sent to */
};

struct job {
	bool active;            /* from the first query until the result */
	enum snap_action action;
	char *name;             /* NULL for a take by date until chosen */
	time_t requested;       /* for the name by date */
	char *id;               /* QEMU's job-id once started */
	unsigned serial;
	uint64_t start_ms;
	char *busy;             /* "Taking snapshot X…" */
};

struct added_disk {
	char *name;
	char *file;
};

struct vm_actions {
	const struct vm_config *cfg;
	struct vm_session *session;
	struct vm_actions_listener listener;
	enum disk_format *formats;   /* per cfg disk, detected when AUTO */
	/* Block nodes that take part in snapshots; [0] holds the VM state. */
	struct strv nodes;
	struct op *ops;
	struct job job;
	unsigned next_serial;

	bool snapshots_known;
	struct disk_snapshot *snapshots;
	size_t n_snapshots;
	bool disks_known;
	struct vm_actions_disk *disks;
	size_t n_disks;
	struct added_disk *added;
	size_t n_added;

	char *cdrom;
	char *recent_file;
	struct strv recent;          /* as stored */
	struct strv recent_existing; /* the ones that exist, for the menu */
};

/* ---- notes ---- */

static void note(struct vm_actions *a, enum vm_note kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void note(struct vm_actions *a, enum vm_note kind, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *text = NULL;
	if (vasprintf(&text, fmt, ap) < 0)
		text = NULL;
	va_end(ap);
	if (!text)
		return;
	if (kind == VM_NOTE_ERROR)
		log_warn("%s", text);
	else
		log_debug("%s", text);
	if (a->listener.note)
		a->listener.note(a->listener.user, kind, text);
	free(text);
}

static void changed(struct vm_actions *a)
{
	if (a->listener.changed)
		a->listener.changed(a->listener.user);
}

/* ---- ops ---- */

static struct op *op_new(struct vm_actions *a, enum op_step step)
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
static struct qmp *live_qmp(struct vm_actions *a, const char *what)
{
	struct qmp *q = a->session && !vm_session_exited(a->session)
				? vm_session_qmp(a->session) : NULL;
	if (!q && what)
		note(a, VM_NOTE_ERROR, "Cannot %s: the VM is not running", what);
	return q;
}

static void on_reply(void *user, struct json_object *ret, const char *error);

/* Sends command with op as the reply's data; on failure frees op and
 * returns false (the caller reports). args is taken over. */
static bool send_op(struct vm_actions *a, struct qmp *q, const char *command,
		    struct json_object *args, struct op *op)
{
	(void)a;
	if (qmp_send(q, command, args, on_reply, op))
		return true;
	op_free(op);
	return false;
}

/* ---- pure parts ---- */

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
			strv_pushf(&bad, "disk '%s' (%s) is of a format vmplay "
				   "cannot read", d->name, d->file);
		else
			strv_pushf(&bad, "disk '%s' (%s) is a %s image", d->name,
				   d->file, disk_format_name(f));
	}
	char *msg = NULL;
	if (!writable) {
		msg = xasprintf("%s has no writable disk to hold snapshots "
				"(the VM's memory is saved onto a qcow2 disk)",
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
		msg = xasprintf("No snapshots for %s: %s, which cannot hold "
				"snapshots. Only qcow2 disks can ('vmplay disk "
				"convert' makes a qcow2 copy).", cfg->name, list);
		free(list);
	}
	strv_free(&bad);
	return msg;
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

/* The snapshots of one node's image, in QEMU's order (oldest first). */
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

void vm_actions_free_snapshots(struct disk_snapshot *list, size_t n)
{
	for (size_t i = 0; list && i < n; i++) {
		free(list[i].id);
		free(list[i].name);
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

size_t vm_actions_parse_nodes(struct json_object *nodes,
			      const char *const *node_names, size_t n_nodes,
			      struct disk_snapshot **out,
			      struct vm_node_size *sizes)
{
	*out = NULL;
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
	size_t n = 0;
	if (n_nodes) {
		*out = xcalloc(counts[0] + 1, sizeof(**out));
		for (size_t k = 0; k < counts[0]; k++) {
			bool everywhere = true;
			for (size_t i = 1; i < n_nodes && everywhere; i++)
				everywhere = has_name(lists[i], counts[i],
						      lists[0][k].name);
			if (!everywhere)
				continue;
			/* Move the entry over. */
			(*out)[n++] = lists[0][k];
			lists[0][k].id = lists[0][k].name = NULL;
		}
	}
	for (size_t i = 0; i < n_nodes; i++)
		vm_actions_free_snapshots(lists[i], counts[i]);
	free(lists);
	free(counts);
	return n;
}

struct json_object *vm_actions_send_key_args(const SDL_Scancode *keys,
					     size_t n_keys, char **error)
{
	struct json_object *list = json_object_new_array();
	for (size_t i = 0; i < n_keys; i++) {
		uint16_t qnum = keymap_qnum(keys[i]);
		if (!qnum) {
			const char *name = SDL_GetScancodeName(keys[i]);
			*error = xasprintf("the key %s (scancode %d) has no "
					   "code to send to the guest",
					   name && *name ? name : "?",
					   (int)keys[i]);
			json_object_put(list);
			return NULL;
		}
		struct json_object *k = json_object_new_object();
		json_object_object_add(k, "type", json_object_new_string("number"));
		json_object_object_add(k, "data", json_object_new_int(qnum));
		json_object_array_add(list, k);
	}
	if (!n_keys) {
		*error = xstrdup("no keys to send");
		json_object_put(list);
		return NULL;
	}
	struct json_object *args = json_object_new_object();
	json_object_object_add(args, "keys", list);
	return args;
}

bool vm_actions_disk_name_ok(const char *name, char **why)
{
	size_t len = name ? strlen(name) : 0;
	if (!len) {
		*why = xstrdup("a disk needs a name");
		return false;
	}
	if (len > 64) {
		*why = xasprintf("the disk name '%.20s...' is longer than 64 "
				 "characters", name);
		return false;
	}
	if (name[0] == '.' || name[0] == '-') {
		*why = xasprintf("the disk name '%s' must not start with '%c' "
				 "(accepted: letters, digits, '-', '_', '.')",
				 name, name[0]);
		return false;
	}
	for (const char *p = name; *p; p++) {
		char c = *p;
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			  (c >= '0' && c <= '9') || c == '-' || c == '_' ||
			  c == '.';
		if (!ok) {
			*why = xasprintf("the disk name '%s' contains '%c' "
					 "(accepted: letters, digits, '-', '_', "
					 "'.')", name, c);
			return false;
		}
	}
	return true;
}

static const char *const disk_extensions[] = {
	[FORMAT_AUTO] = "img",
	[FORMAT_QCOW2] = "qcow2",
	[FORMAT_RAW] = "img",
	[FORMAT_VDI] = "vdi",
	[FORMAT_VMDK] = "vmdk",
};

char *vm_actions_disk_file_name(const char *name, enum disk_format format)
{
	const char *ext = (size_t)format < ARRAY_SIZE(disk_extensions)
				  ? disk_extensions[format] : "img";
	return xasprintf("%s.%s", name, ext);
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

static void reload_recent(struct vm_actions *a)
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
	reload_recent(a);
	return a;
}

static void job_clear(struct vm_actions *a)
{
	free(a->job.name);
	free(a->job.id);
	free(a->job.busy);
	unsigned serial = a->job.serial;
	memset(&a->job, 0, sizeof(a->job));
	a->job.serial = serial;
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
	job_clear(a);
	free(a->formats);
	strv_free(&a->nodes);
	vm_actions_free_snapshots(a->snapshots, a->n_snapshots);
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
	if (a->session == session)
		return;
	a->session = session;
	if (a->job.active) {
		job_clear(a);
		a->job.serial = ++a->next_serial;
	}
	/* A restarted VM starts with the medium of the VM file. */
	free(a->cdrom);
	a->cdrom = xstrdup(a->cfg->cdrom_file);
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

static void set_snapshots(struct vm_actions *a, struct disk_snapshot *list,
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

/* Takes the answer of query-named-block-nodes into the lists. */
static void take_nodes(struct vm_actions *a, struct json_object *nodes)
{
	size_t nd = a->cfg->n_disks;
	const char **names = xcalloc(nd + 1, sizeof(*names));
	char **owned = xcalloc(nd + 1, sizeof(*owned));
	for (size_t i = 0; i < nd; i++)
		names[i] = owned[i] = qemu_disk_node_name(i);
	struct vm_node_size *sizes = xcalloc(nd + 1, sizeof(*sizes));
	struct disk_snapshot *ignored = NULL;
	size_t n_ignored = vm_actions_parse_nodes(nodes, names, nd, &ignored,
						  sizes);
	vm_actions_free_snapshots(ignored, n_ignored);
	struct disk_snapshot *list = NULL;
	size_t n = vm_actions_parse_nodes(nodes,
					  (const char *const *)a->nodes.v,
					  a->nodes.n, &list, NULL);
	set_snapshots(a, list, n);
	set_disks(a, sizes);
	free_sizes(sizes, nd);
	for (size_t i = 0; i < nd; i++)
		free(owned[i]);
	free(owned);
	free(names);
}

/* The VM is off: the same from qemu-img. */
static void refresh_offline(struct vm_actions *a)
{
	size_t nd = a->cfg->n_disks;
	struct vm_node_size *sizes = xcalloc(nd + 1, sizeof(*sizes));
	struct disk_snapshot *list = NULL;
	size_t n_list = 0;
	bool first = true;
	for (size_t i = 0; i < nd; i++) {
		const struct vm_disk *d = &a->cfg->disks[i];
		char *error = NULL;
		struct disk_info *info = disk_info(d->file, DISK_INFO_SHARED,
						   &error);
		free(error);
		if (!info)
			continue;
		sizes[i].found = true;
		sizes[i].format = xstrdup(info->format_name);
		sizes[i].virtual_size = info->virtual_size;
		sizes[i].used_size = info->actual_size;
		if (!d->readonly) {
			/* Keep the names every writable disk has. */
			if (first) {
				list = xcalloc(info->n_snapshots + 1,
					       sizeof(*list));
				for (size_t k = 0; k < info->n_snapshots; k++) {
					list[k] = info->snapshots[k];
					list[k].id = xstrdup(info->snapshots[k].id);
					list[k].name = xstrdup(info->snapshots[k].name);
				}
				n_list = info->n_snapshots;
				first = false;
			} else {
				size_t keep = 0;
				for (size_t k = 0; k < n_list; k++) {
					if (disk_info_find_snapshot(info,
								    list[k].name)) {
						list[keep++] = list[k];
					} else {
						free(list[k].id);
						free(list[k].name);
					}
				}
				n_list = keep;
			}
		}
		disk_info_destroy(info);
	}
	set_snapshots(a, list, n_list);
	set_disks(a, sizes);
	free_sizes(sizes, nd);
	changed(a);
}

void vm_actions_refresh(struct vm_actions *a)
{
	struct qmp *q = live_qmp(a, NULL);
	if (!q) {
		refresh_offline(a);
		return;
	}
	struct json_object *args = json_object_new_object();
	json_object_object_add(args, "flat", json_object_new_boolean(1));
	if (!send_op(a, q, "query-named-block-nodes", args,
		     op_new(a, STEP_REFRESH)))
		note(a, VM_NOTE_ERROR, "Cannot read the VM's disks: the QMP "
		     "connection is gone");
}

bool vm_actions_snapshots_known(const struct vm_actions *a)
{
	return a->snapshots_known;
}

size_t vm_actions_snapshots(const struct vm_actions *a,
			    const struct disk_snapshot **list)
{
	*list = a->snapshots;
	return a->n_snapshots;
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

/* ---- snapshots ---- */

char *vm_actions_snapshot_blocker(const struct vm_actions *a)
{
	return vm_actions_blocker_for(a->cfg, a->formats);
}

static const char *const busy_formats[] = {
	[SNAP_TAKE] = "Taking snapshot %s…",
	[SNAP_RESTORE] = "Restoring snapshot %s…",
	[SNAP_DELETE] = "Deleting snapshot %s…",
};

static const char *const fail_formats[] = {
	[SNAP_TAKE] = "Snapshot %s failed: %s",
	[SNAP_RESTORE] = "Cannot restore snapshot %s: %s",
	[SNAP_DELETE] = "Cannot delete snapshot %s: %s",
};

static const char *const job_commands[] = {
	[SNAP_TAKE] = "snapshot-save",
	[SNAP_RESTORE] = "snapshot-load",
	[SNAP_DELETE] = "snapshot-delete",
};

static void dismiss_job(struct vm_actions *a)
{
	struct qmp *q = live_qmp(a, NULL);
	if (!a->job.id || !q)
		return;
	struct json_object *args = json_object_new_object();
	json_object_object_add(args, "id", json_object_new_string(a->job.id));
	send_op(a, q, "job-dismiss", args, op_new(a, STEP_IGNORE));
}

static void job_fail(struct vm_actions *a, const char *why)
{
	const char *name = a->job.name ? a->job.name : "";
	/* A failed snapshot-load leaves QEMU stopped ("restore-vm"), and
	 * resuming a half-restored machine could corrupt its disks. */
	bool paused = a->job.action == SNAP_RESTORE && a->job.id &&
		      a->session &&
		      vm_session_state(a->session) == VM_STATE_PAUSED;
	note(a, VM_NOTE_ERROR, fail_formats[a->job.action], name, why);
	if (paused)
		note(a, VM_NOTE_ERROR, "The VM stays paused: restore another "
		     "snapshot, or resume it at your own risk");
	dismiss_job(a);
	job_clear(a);
}

static void snapshot_start(struct vm_actions *a, enum snap_action action,
			   const char *name)
{
	static const char *const verbs[] = {
		[SNAP_TAKE] = "take a snapshot",
		[SNAP_RESTORE] = "restore a snapshot",
		[SNAP_DELETE] = "delete a snapshot",
	};
	if (a->job.active) {
		note(a, VM_NOTE_ERROR, "Cannot %s now: %s", verbs[action],
		     a->job.busy ? a->job.busy : "another snapshot action runs");
		return;
	}
	if (action != SNAP_TAKE && (!name || !*name)) {
		note(a, VM_NOTE_ERROR, "Cannot %s: no name given", verbs[action]);
		return;
	}
	if (name && strpbrk(name, "\n\r")) {
		note(a, VM_NOTE_ERROR, "A snapshot name must be one line");
		return;
	}
	char *blocker = vm_actions_snapshot_blocker(a);
	if (blocker) {
		note(a, VM_NOTE_ERROR, "%s", blocker);
		free(blocker);
		return;
	}
	struct qmp *q = live_qmp(a, verbs[action]);
	if (!q)
		return;
	a->job.active = true;
	a->job.serial = ++a->next_serial;
	a->job.action = action;
	a->job.name = name && *name ? xstrdup(name) : NULL;
	a->job.requested = time(NULL);
	struct json_object *args = json_object_new_object();
	json_object_object_add(args, "flat", json_object_new_boolean(1));
	if (!send_op(a, q, "query-named-block-nodes", args,
		     op_new(a, STEP_SNAP_PREPARE)))
		job_fail(a, "the QMP connection is gone");
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

/* The list is in: check the name, then start QEMU's job. */
static void snapshot_prepared(struct vm_actions *a, struct json_object *nodes)
{
	take_nodes(a, nodes);
	changed(a);
	/* Per node, whether it has the name, and every name any node has. */
	struct strv taken = { 0 }, holders = { 0 };
	const char *name = a->job.name;
	for (size_t i = 0; i < a->nodes.n; i++) {
		struct disk_snapshot *list = NULL;
		size_t n = node_snapshots(find_node(nodes, a->nodes.v[i]), &list);
		for (size_t k = 0; k < n; k++)
			strv_push(&taken, list[k].name);
		if (name && has_name(list, n, name))
			strv_push(&holders, a->nodes.v[i]);
		vm_actions_free_snapshots(list, n);
	}
	const struct disk_snapshot *found = NULL;
	for (size_t k = 0; name && k < a->n_snapshots; k++)
		if (!strcmp(a->snapshots[k].name, name))
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
			problem = "a snapshot of that name exists already, and "
				  "vmplay never overwrites one (choose another "
				  "name, or delete that snapshot first)";
		}
		break;
	case SNAP_RESTORE:
		if (!holders.n)
			problem = "the VM has no snapshot of that name";
		else if (!found)
			problem = "not every disk has that snapshot";
		else if (!found->vm_state_size)
			problem = "it holds no memory state (it was taken while "
				  "the VM was off); restore it with 'vmplay "
				  "snapshot restore' while the VM is off";
		break;
	case SNAP_DELETE:
		if (!holders.n)
			problem = "the VM has no snapshot of that name";
		break;
	}
	if (problem) {
		job_fail(a, problem);
		goto out;
	}
	struct qmp *q = live_qmp(a, NULL);
	if (!q) {
		job_fail(a, "the VM is not running");
		goto out;
	}
	a->job.id = xasprintf("vmplay-snapshot-%u", a->job.serial);
	struct json_object *args = json_object_new_object();
	json_object_object_add(args, "job-id", json_object_new_string(a->job.id));
	json_object_object_add(args, "tag", json_object_new_string(name));
	if (a->job.action != SNAP_DELETE) {
		json_object_object_add(args, "vmstate",
				       json_object_new_string(a->nodes.v[0]));
		json_object_object_add(args, "devices", string_array(&a->nodes));
	} else {
		/* Only where it is: QEMU fails for a disk without it. */
		json_object_object_add(args, "devices", string_array(&holders));
	}
	a->job.start_ms = now_ms();
	a->job.busy = xasprintf(busy_formats[a->job.action], name);
	if (!send_op(a, q, job_commands[a->job.action], args,
		     op_new(a, STEP_JOB_START))) {
		free(a->job.id);
		a->job.id = NULL;
		job_fail(a, "the QMP connection is gone");
		goto out;
	}
	note(a, VM_NOTE_PROGRESS, "%s", a->job.busy);
out:
	strv_free(&taken);
	strv_free(&holders);
}

/* query-jobs answered after our job concluded. */
static void job_result(struct vm_actions *a, struct json_object *jobs)
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
		error = "QEMU no longer lists the job";
	if (error) {
		job_fail(a, error);
		return;
	}
	double secs = (double)(now_ms() - a->job.start_ms) / 1000.0;
	switch (a->job.action) {
	case SNAP_TAKE:
		/* A small VM saves in milliseconds: "0.0 s" would look
		 * like nothing happened. */
		note(a, VM_NOTE_INFO, "Snapshot %s taken in %.*f s",
		     a->job.name, secs < 0.1 ? 2 : 1, secs);
		break;
	case SNAP_RESTORE:
		note(a, VM_NOTE_INFO, "Snapshot %s restored", a->job.name);
		break;
	case SNAP_DELETE:
		note(a, VM_NOTE_INFO, "Snapshot %s deleted", a->job.name);
		break;
	}
	dismiss_job(a);
	job_clear(a);
	vm_actions_refresh(a);
}

void vm_actions_handle_event(struct vm_actions *a, const char *event,
			     struct json_object *data)
{
	if (!a->job.active)
		return;
	if (!strcmp(event, "SHUTDOWN")) {
		job_fail(a, "QEMU stopped before it was done");
		return;
	}
	if (strcmp(event, "JOB_STATUS_CHANGE") != 0 || !a->job.id)
		return;
	const char *id = get_string(data, "id");
	const char *status = get_string(data, "status");
	if (!id || !status || strcmp(id, a->job.id) != 0 ||
	    strcmp(status, "concluded") != 0)
		return;
	struct qmp *q = live_qmp(a, NULL);
	if (!q || !send_op(a, q, "query-jobs", NULL, op_new(a, STEP_JOB_QUERY)))
		job_fail(a, "the QMP connection is gone");
}

/* ---- media ---- */

const char *vm_actions_cdrom(const struct vm_actions *a)
{
	return a->cdrom;
}

size_t vm_actions_recent_isos(const struct vm_actions *a,
			      const char *const **list)
{
	*list = (const char *const *)a->recent_existing.v;
	return a->recent_existing.n;
}

/* Sets [section] key = value in the VM file, keeping every other line.
 * false with *error (malloc'd). */
static bool edit_vm_file(struct vm_actions *a, const char *section,
			 const char *const *kv, size_t n_kv, char **error)
{
	struct ini_doc *doc = ini_edit_load(a->cfg->path, error);
	if (!doc)
		return false;
	bool ok = true;
	for (size_t i = 0; ok && i < n_kv; i++)
		ok = ini_edit_set(doc, section, kv[2 * i], kv[2 * i + 1]);
	if (!ok)
		*error = xasprintf("cannot write that value into %s",
				   a->cfg->path);
	else
		ok = ini_edit_save(doc, a->cfg->path, error);
	ini_edit_destroy(doc);
	return ok;
}

void vm_actions_media_insert(struct vm_actions *a, const char *path)
{
	if (!a->cfg->has_cdrom) {
		note(a, VM_NOTE_ERROR, "%s has no CD drive: add a [cdrom] "
		     "section to %s (applies at next boot)", a->cfg->name,
		     a->cfg->path);
		return;
	}
	if (!path || !*path) {
		note(a, VM_NOTE_ERROR, "Cannot insert an ISO: no file given");
		return;
	}
	struct qmp *q = live_qmp(a, "insert an ISO");
	if (!q)
		return;
	struct op *op = op_new(a, STEP_MEDIA_INSERT);
	op->text = path_absolute(path);
	struct json_object *args = json_object_new_object();
	json_object_object_add(args, "id",
			       json_object_new_string(QEMU_CDROM_DEVICE_ID));
	json_object_object_add(args, "filename", json_object_new_string(op->text));
	json_object_object_add(args, "format", json_object_new_string("raw"));
	if (!send_op(a, q, "blockdev-change-medium", args, op))
		note(a, VM_NOTE_ERROR, "Cannot insert the ISO: the QMP "
		     "connection is gone");
}

static void media_inserted(struct vm_actions *a, const char *path)
{
	free(a->cdrom);
	a->cdrom = xstrdup(path);
	if (a->recent_file) {
		/* Another vmplay may have written it meanwhile. */
		reload_recent(a);
		recent_push(&a->recent, path, RECENT_MAX);
		recent_save(a->recent_file, &a->recent);
		reload_recent(a);
	}
	char *base = path_basename(path);
	char *value = vm_actions_path_for_file(a->cfg->dir, path);
	const char *kv[] = { "file", value };
	char *error = NULL;
	if (edit_vm_file(a, "cdrom", kv, 1, &error)) {
		note(a, VM_NOTE_INFO, "Inserted %s", base);
	} else {
		note(a, VM_NOTE_ERROR, "Inserted %s, but %s", base, error);
		free(error);
	}
	free(value);
	free(base);
	changed(a);
}

void vm_actions_media_eject(struct vm_actions *a)
{
	if (!a->cfg->has_cdrom) {
		note(a, VM_NOTE_ERROR, "%s has no CD drive", a->cfg->name);
		return;
	}
	struct qmp *q = live_qmp(a, "eject");
	if (!q)
		return;
	struct op *op = op_new(a, STEP_MEDIA_EJECT);
	struct json_object *args = json_object_new_object();
	json_object_object_add(args, "id",
			       json_object_new_string(QEMU_CDROM_DEVICE_ID));
	if (!send_op(a, q, "eject", args, op))
		note(a, VM_NOTE_ERROR, "Cannot eject: the QMP connection is "
		     "gone");
}

static void media_ejected(struct vm_actions *a)
{
	char *base = a->cdrom ? path_basename(a->cdrom) : xstrdup("the medium");
	free(a->cdrom);
	a->cdrom = NULL;
	const char *kv[] = { "file", "" };
	char *error = NULL;
	if (edit_vm_file(a, "cdrom", kv, 1, &error)) {
		note(a, VM_NOTE_INFO, "Ejected %s", base);
	} else {
		note(a, VM_NOTE_ERROR, "Ejected %s, but %s", base, error);
		free(error);
	}
	free(base);
	changed(a);
}

/* ---- replies ---- */

static void on_reply(void *user, struct json_object *ret, const char *error)
{
	struct op *op = user;
	struct vm_actions *a = op->a;
	/* Gone, or an answer from a session or job that was replaced. */
	bool stale = !a || op->session != a->session;
	bool job_step = op->step == STEP_SNAP_PREPARE ||
			op->step == STEP_JOB_START || op->step == STEP_JOB_QUERY;
	if (!stale && job_step)
		stale = !a->job.active || op->job_serial != a->job.serial;
	if (stale) {
		op_free(op);
		return;
	}
	switch (op->step) {
	case STEP_REFRESH:
		if (ret) {
			take_nodes(a, ret);
			changed(a);
		} else {
			note(a, VM_NOTE_ERROR, "Cannot read the VM's disks: %s",
			     error);
		}
		break;
	case STEP_SNAP_PREPARE:
		if (ret)
			snapshot_prepared(a, ret);
		else
			job_fail(a, error);
		break;
	case STEP_JOB_START:
		if (!ret) {
			/* No job was made: nothing to dismiss. */
			free(a->job.id);
			a->job.id = NULL;
			job_fail(a, error);
		}
		break;
	case STEP_JOB_QUERY:
		if (ret)
			job_result(a, ret);
		else
			job_fail(a, error);
		break;
	case STEP_IGNORE:
		if (!ret)
			log_debug("job-dismiss: %s", error);
		break;
	case STEP_MEDIA_INSERT:
		if (ret) {
			media_inserted(a, op->text);
		} else {
			char *base = path_basename(op->text);
			note(a, VM_NOTE_ERROR, "Cannot insert %s: %s", base,
			     error);
			free(base);
		}
		break;
	case STEP_MEDIA_EJECT:
		if (ret)
			media_ejected(a);
		else
			note(a, VM_NOTE_ERROR, "Cannot eject: %s", error);
		break;
	case STEP_SIMPLE:
		if (!ret)
			note(a, VM_NOTE_ERROR, "Cannot %s: %s", op->what, error);
		else if (op->text)
			note(a, VM_NOTE_INFO, "%s", op->text);
		break;
	}
	op_free(op);
}

/* ---- disks ---- */

static bool disk_name_taken(const struct vm_actions *a, const char *name)
{
	for (size_t i = 0; i < a->cfg->n_disks; i++)
		if (!strcasecmp(a->cfg->disks[i].name, name))
			return true;
	for (size_t i = 0; i < a->n_added; i++)
		if (!strcasecmp(a->added[i].name, name))
			return true;
	return false;
}

bool vm_actions_disk_create(struct vm_actions *a, const char *name,
			    const char *format, uint64_t size)
{
	char *why = NULL;
	enum disk_format fmt;
	if (!vm_actions_disk_name_ok(name, &why)) {
		note(a, VM_NOTE_ERROR, "Cannot create the disk: %s", why);
		free(why);
		return false;
	}
	if (!format || !disk_format_parse(format, &fmt)) {
		note(a, VM_NOTE_ERROR, "Cannot create disk %s: '%s' is not a "
		     "format (accepted: qcow2, raw, vdi, vmdk)", name,
		     format ? format : "");
		return false;
	}
	if (!size) {
		note(a, VM_NOTE_ERROR, "Cannot create disk %s: its size must "
		     "be more than 0", name);
		return false;
	}
	if (disk_name_taken(a, name)) {
		note(a, VM_NOTE_ERROR, "Cannot create disk %s: the VM has a "
		     "disk of that name already", name);
		return false;
	}
	if (a->cfg->n_disks + a->n_added >= MAX_DISKS) {
		note(a, VM_NOTE_ERROR, "Cannot create disk %s: a VM has at most "
		     "%d disks", name, MAX_DISKS);
		return false;
	}
	char *section = xasprintf("disk.%s", name);
	char *error = NULL;
	struct ini_doc *doc = ini_edit_load(a->cfg->path, &error);
	if (!doc) {
		note(a, VM_NOTE_ERROR, "Cannot create disk %s: %s", name, error);
		free(error);
		free(section);
		return false;
	}
	bool ok = false;
	char *file_name = vm_actions_disk_file_name(name, fmt);
	char *path = path_join(a->cfg->dir, file_name);
	char size_text[32];
	format_size(size, size_text, sizeof(size_text));
	if (ini_edit_has_section(doc, section)) {
		note(a, VM_NOTE_ERROR, "Cannot create disk %s: %s has a [%s] "
		     "section already", name, a->cfg->path, section);
	} else if (path_exists(path)) {
		note(a, VM_NOTE_ERROR, "Cannot create disk %s: %s exists "
		     "already, and vmplay never overwrites a file (choose "
		     "another name)", name, path);
	} else if (!disk_create(path, fmt, size, PREALLOC_DEFAULT, &error)) {
		note(a, VM_NOTE_ERROR, "Cannot create disk %s: %s", name, error);
		free(error);
	} else {
		/* Same bus as the first disk: a guest that has drivers for
		 * one (IDE for Windows, say) can use the other. */
		const char *iface = a->cfg->n_disks
			? disk_interface_names[a->cfg->disks[0].interface]
			: NULL;
		ok = ini_edit_set(doc, section, "file", file_name) &&
		     ini_edit_set(doc, section, "format", disk_format_name(fmt)) &&
		     (!iface || ini_edit_set(doc, section, "interface", iface));
		if (ok)
			ok = ini_edit_save(doc, a->cfg->path, &error);
		else
			error = xasprintf("cannot add [%s] to %s", section,
					  a->cfg->path);
		if (!ok) {
			/* Without its section the new file is of no use. */
			unlink(path);
			note(a, VM_NOTE_ERROR, "Cannot create disk %s: %s", name,
			     error);
			free(error);
		}
	}
	if (ok) {
		a->added = xrealloc(a->added, (a->n_added + 1) * sizeof(*a->added));
		a->added[a->n_added].name = xstrdup(name);
		a->added[a->n_added].file = xstrdup(path);
		a->n_added++;
		note(a, VM_NOTE_INFO, "Disk %s created (%s %s, %s); attached at "
		     "next boot", name, size_text, disk_format_name(fmt),
		     file_name);
		vm_actions_refresh(a);
	}
	ini_edit_destroy(doc);
	free(path);
	free(file_name);
	free(section);
	return ok;
}

bool vm_actions_disk_grow(struct vm_actions *a, const char *name,
			  uint64_t size)
{
	if (!name || !*name) {
		note(a, VM_NOTE_ERROR, "Cannot grow a disk: no name given");
		return false;
	}
	const char *file = NULL;
	bool attached = false;
	for (size_t i = 0; i < a->cfg->n_disks && !file; i++)
		if (!strcasecmp(a->cfg->disks[i].name, name))
			file = a->cfg->disks[i].file, attached = true;
	for (size_t i = 0; i < a->n_added && !file; i++)
		if (!strcasecmp(a->added[i].name, name))
			file = a->added[i].file;
	if (!file) {
		note(a, VM_NOTE_ERROR, "Cannot grow disk %s: the VM has no disk "
		     "of that name", name);
		return false;
	}
	/* A disk created from the menu is not attached until the next
	 * boot, so it can grow while the VM runs. */
	if (attached && a->session && !vm_session_exited(a->session)) {
		note(a, VM_NOTE_ERROR, "Disk %s can grow only while the VM is "
		     "off: shut it down first ('vmplay disk resize %s SIZE' "
		     "does it from a terminal)", name, file);
		return false;
	}
	char *error = NULL;
	if (!disk_resize(file, size, false, &error)) {
		note(a, VM_NOTE_ERROR, "Cannot grow disk %s: %s", name, error);
		free(error);
		return false;
	}
	char text[32];
	note(a, VM_NOTE_INFO, "Disk %s is now %s", name,
	     format_size(size, text, sizeof(text)));
	vm_actions_refresh(a);
	return true;
}

/* ---- power and keys ---- */

void vm_actions_pause_toggle(struct vm_actions *a)
{
	if (!live_qmp(a, "pause"))
		return;
	switch (vm_session_state(a->session)) {
	case VM_STATE_RUNNING:
		vm_session_pause(a->session);
		break;
	case VM_STATE_PAUSED:
	case VM_STATE_PRELAUNCH:
		vm_session_resume(a->session);
		break;
	default:
		note(a, VM_NOTE_ERROR, "Cannot pause: the VM is %s",
		     vm_state_name(vm_session_state(a->session)));
		break;
	}
}

static void simple_command(struct vm_actions *a, const char *command,
			   struct json_object *args, const char *what,
			   const char *success)
{
	struct qmp *q = live_qmp(a, what);
	if (!q) {
		json_object_put(args);
		return;
	}
	struct op *op = op_new(a, STEP_SIMPLE);
	op->text = xstrdup(success);
	op->what = xstrdup(what);
	if (!send_op(a, q, command, args, op))
		note(a, VM_NOTE_ERROR, "Cannot %s: the QMP connection is gone",
		     what);
}

void vm_actions_reset(struct vm_actions *a)
{
	simple_command(a, "system_reset", NULL, "reset the VM", "VM reset");
}

void vm_actions_shutdown(struct vm_actions *a)
{
	if (!live_qmp(a, "shut down"))
		return;
	if (vm_session_powerdown(a->session))
		note(a, VM_NOTE_INFO, "Asked the guest to shut down");
}

void vm_actions_force_off(struct vm_actions *a)
{
	if (!a->session || vm_session_exited(a->session)) {
		note(a, VM_NOTE_ERROR, "Cannot force off: the VM is not running");
		return;
	}
	if (vm_session_quit(a->session))
		note(a, VM_NOTE_INFO, "Turning the VM off");
}

void vm_actions_send_keys(struct vm_actions *a, const SDL_Scancode *keys,
			  size_t n_keys, const char *label)
{
	char *error = NULL;
	struct json_object *args = vm_actions_send_key_args(keys, n_keys, &error);
	if (!args) {
		note(a, VM_NOTE_ERROR, "Cannot send %s: %s",
		     label ? label : "the keys", error);
		free(error);
		return;
	}
	char *what = xasprintf("send %s", label ? label : "keys");
	char *success = label ? xasprintf("Sent %s", label) : NULL;
	simple_command(a, "send-key", args, what, success);
	free(success);
	free(what);
}

void vm_actions_ctrl_alt_del(struct vm_actions *a)
{
	static const SDL_Scancode keys[] = {
		SDL_SCANCODE_LCTRL, SDL_SCANCODE_LALT, SDL_SCANCODE_DELETE,
	};
	vm_actions_send_keys(a, keys, ARRAY_SIZE(keys), "Ctrl+Alt+Del");
}
