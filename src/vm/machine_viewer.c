/* See machine_viewer.h. */
#include "vm/machine_viewer.h"

#include "base/i18n.h"
#include "base/log.h"
#include "base/util.h"
#include "vm/instance.h"
#include "vm/qemu_args.h"
#include "vm/qmp.h"
#include "vm/vm_actions.h"
#include "vm/vm_session.h"
#include "vm/vnc_channel.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A VM starting under TCG on a loaded machine answers slowly; a monitor
 * that another viewer holds never answers (QEMU serves one client). */
#define VIEWER_CONNECT_TIMEOUT_MS 5000
#define VIEWER_COMMAND_TIMEOUT_MS 5000
#define VNC_CHANNEL_TIMEOUT_MS 5000

/* A snapshot command handed to the vmplay that runs the VM
 * (instance_request, which blocks for as long as the job takes: so in a
 * thread of its own, whose answer lines come back through a pipe). */
struct viewer_request {
	bool active;
	pthread_t thread;
	int pipe_r, pipe_w;
	char *vm_path;
	char *line;          /* "snapshot take NAME" */
	char *busy;          /* what the menu shows meanwhile */
	char buf[4096];      /* a partial answer line */
	size_t len;
};

struct machine_viewer {
	struct machine *m;
	const struct vm_config *cfg;
	struct qmp *qmp;
	enum vm_state state;
	long holder_pid;
	bool guest_shut_down;   /* SHUTDOWN with guest=true */
	/* only lists snapshots (qemu-img reads the images shared): never
	 * asked to change anything, which is the owner's job */
	struct vm_actions *lister;
	struct disk_snapshot *plain;   /* the lister's list as the seam has it */
	struct viewer_request req;
};

static struct machine_viewer *of(void *self) { return self; }

static void set_state(struct machine_viewer *v, enum vm_state state,
		      const char *why)
{
	if (v->state == state)
		return;
	v->state = state;
	machine_notify_state(v->m, state, why);
}

/* QEMU's events reach every monitor: a pause made by the vmplay that runs
 * the VM (or by anyone) shows here too. */
static void on_event(void *user, const char *event, struct json_object *data)
{
	struct machine_viewer *v = user;
	log_debug("viewer: QMP event %s", event);
	if (v->state == VM_STATE_STOPPING || v->state == VM_STATE_EXITED)
		return;
	if (!strcmp(event, "STOP")) {
		set_state(v, VM_STATE_PAUSED, _("paused"));
	} else if (!strcmp(event, "RESUME")) {
		set_state(v, VM_STATE_RUNNING, _("running"));
	} else if (!strcmp(event, "SHUTDOWN")) {
		struct json_object *guest = NULL;
		if (data)
			json_object_object_get_ex(data, "guest", &guest);
		v->guest_shut_down = guest && json_object_get_boolean(guest);
		set_state(v, VM_STATE_STOPPING,
			  v->guest_shut_down ? _("the guest shut down")
					     : _("QEMU is stopping"));
	}
}

static int v_pollfds(void *self, struct pollfd *fds, int max)
{
	struct machine_viewer *v = of(self);
	int n = 0;
	if (v->qmp && n < max)
		fds[n++] = (struct pollfd){ .fd = qmp_fd(v->qmp),
					    .events = POLLIN };
	if (v->req.active && n < max)
		fds[n++] = (struct pollfd){ .fd = v->req.pipe_r,
					    .events = POLLIN };
	return n;
}

static void request_read(struct machine_viewer *v);

static int v_timeout_ms(void *self)
{
	(void)self;
	return -1;
}

/* The monitor closes when QEMU ends: the VM is gone, however it went. */
static void v_dispatch(void *self)
{
	struct machine_viewer *v = of(self);
	if (v->req.active)
		request_read(v);
	if (!v->qmp || qmp_dispatch(v->qmp))
		return;
	qmp_destroy(v->qmp);
	v->qmp = NULL;
	set_state(v, VM_STATE_EXITED, _("QEMU has ended"));
}

static enum vm_state v_state(void *self) { return of(self)->state; }

static bool ask(struct machine_viewer *v, const char *command)
{
	return v->qmp && qmp_send(v->qmp, command, NULL, NULL, NULL);
}

static bool v_start(void *self)
{
	(void)self;
	return false;   /* the vmplay that ran it is gone with it */
}

static bool v_pause(void *self) { return ask(of(self), "stop"); }
static bool v_resume(void *self) { return ask(of(self), "cont"); }

static bool v_reset(void *self)
{
	struct machine_viewer *v = of(self);
	if (!ask(v, "system_reset"))
		return false;
	machine_notify_note(v->m, VM_NOTE_INFO, _("The machine was reset."));
	return true;
}

static bool v_powerdown(void *self)
{
	struct machine_viewer *v = of(self);
	/* a paused guest cannot hear the power button */
	if (v->state == VM_STATE_PAUSED)
		ask(v, "cont");
	if (!ask(v, "system_powerdown"))
		return false;
	set_state(v, VM_STATE_POWERING_DOWN,
		  _("asked the guest to shut down"));
	return true;
}

static bool v_force_off(void *self)
{
	struct machine_viewer *v = of(self);
	if (!ask(v, "quit"))
		return false;
	set_state(v, VM_STATE_STOPPING, _("QEMU is stopping"));
	return true;
}

/* Closing the window only looks away: the VM runs on. */
static enum machine_close v_close(void *self)
{
	(void)self;
	return MACHINE_CLOSE_NOW;
}

static enum machine_end v_ended(void *self, char **message)
{
	struct machine_viewer *v = of(self);
	*message = xasprintf(v->guest_shut_down
			     ? _("%s powered off.")
			     : _("%s was stopped."), v->cfg->name);
	return MACHINE_END_DONE;
}

static int v_open_display(void *self, char **error)
{
	struct machine_viewer *v = of(self);
	if (!v->qmp) {
		*error = xstrdup(_("QEMU is not running"));
		return -1;
	}
	return vnc_channel_open(v->qmp, VNC_CHANNEL_TIMEOUT_MS, error);
}

static char *v_display_lost(void *self)
{
	(void)self;
	return xstrdup(_("Lost the connection to QEMU's display; the VM "
			 "runs on without this window."));
}

static bool v_wants_cursor(void *self)
{
	return of(self)->cfg->display_device != DISPLAY_STD;
}

/* Media belong to the vmplay that runs the VM: it keeps the list of
 * recent ISOs and the VM file's [cdrom] up to date. */
static void refuse_media(struct machine_viewer *v)
{
	char *msg = xasprintf(_("%s runs without a window (vmplay pid %ld): "
				"this window only looks at it. To change "
				"media, shut it down and play it in a window."),
			      v->cfg->name, v->holder_pid);
	machine_notify_note(v->m, VM_NOTE_ERROR, msg);
	free(msg);
}

/* ---- snapshots: asked of the vmplay that runs the VM ---- */

static void on_request_line(void *user, const char *line)
{
	struct viewer_request *r = user;
	char *text = xasprintf("%s\n", line);
	size_t len = strlen(text);
	/* the pipe holds 64 KiB: notes are short, and the reader empties
	 * it at every wake-up */
	if (write(r->pipe_w, text, len) != (ssize_t)len)
		log_debug("viewer: an answer line was lost: %s", line);
	free(text);
}

static void *request_thread(void *user)
{
	struct viewer_request *r = user;
	char *error = NULL;
	int status = instance_request(r->vm_path, r->line, on_request_line,
				      r, &error);
	if (status < 0) {
		/* "note error" is the request protocol's; the text after
		 * it is shown */
		char *text = xasprintf(_("The vmplay that runs the VM did not "
					 "do it: %s"), error);
		char *line = xasprintf("note error %s", text);
		on_request_line(r, line);
		free(line);
		free(text);
	}
	free(error);
	close(r->pipe_w);   /* the reader sees the end */
	r->pipe_w = -1;
	return NULL;
}

static void request_finish(struct machine_viewer *v)
{
	struct viewer_request *r = &v->req;
	pthread_join(r->thread, NULL);
	close(r->pipe_r);
	free(r->line);
	free(r->busy);
	free(r->vm_path);
	*r = (struct viewer_request){ .pipe_r = -1, .pipe_w = -1 };
	vm_actions_refresh(v->lister);   /* says "changed" */
}

static void request_line(struct machine_viewer *v, const char *line)
{
	static const struct {
		const char *prefix;
		enum vm_note kind;
	} notes[] = {
		{ "note info ", VM_NOTE_INFO },
		{ "note error ", VM_NOTE_ERROR },
		{ "note progress ", VM_NOTE_PROGRESS },
	};
	for (size_t i = 0; i < ARRAY_SIZE(notes); i++) {
		size_t n = strlen(notes[i].prefix);
		if (!strncmp(line, notes[i].prefix, n)) {
			machine_notify_note(v->m, notes[i].kind, line + n);
			return;
		}
	}
	log_debug("viewer: snapshot answer '%s'", line);
}

/* Every answer line waiting in the pipe; the end of the command once the
 * thread has closed it. */
static void request_read(struct machine_viewer *v)
{
	struct viewer_request *r = &v->req;
	for (;;) {
		if (r->len == sizeof(r->buf) - 1)
			r->len = 0;   /* a line that long is no answer */
		ssize_t got = read(r->pipe_r, r->buf + r->len,
				   sizeof(r->buf) - 1 - r->len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return;   /* EAGAIN: more later */
		if (got == 0) {
			request_finish(v);
			return;
		}
		r->len += (size_t)got;
		r->buf[r->len] = '\0';
		char *start = r->buf, *nl;
		while ((nl = strchr(start, '\n'))) {
			*nl = '\0';
			request_line(v, start);
			start = nl + 1;
		}
		r->len = strlen(start);
		memmove(r->buf, start, r->len + 1);
	}
}

static void request(struct machine_viewer *v, const char *verb,
		    const char *name, char *busy)
{
	struct viewer_request *r = &v->req;
	if (r->active) {
		machine_notify_note(v->m, VM_NOTE_ERROR,
				    _("A snapshot command is already at work; "
				      "wait for it to end."));
		free(busy);
		return;
	}
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) != 0) {
		machine_notify_note(v->m, VM_NOTE_ERROR, strerror(errno));
		free(busy);
		return;
	}
	fcntl(fds[0], F_SETFL, O_NONBLOCK);
	*r = (struct viewer_request){
		.active = true, .pipe_r = fds[0], .pipe_w = fds[1],
		.vm_path = xstrdup(v->cfg->path), .busy = busy,
		.line = name && *name ? xasprintf("snapshot %s %s", verb, name)
				      : xasprintf("snapshot %s", verb),
	};
	if (pthread_create(&r->thread, NULL, request_thread, r) != 0) {
		close(fds[0]);
		close(fds[1]);
		free(r->line);
		free(r->busy);
		free(r->vm_path);
		*r = (struct viewer_request){ .pipe_r = -1, .pipe_w = -1 };
		machine_notify_note(v->m, VM_NOTE_ERROR,
				    _("Cannot start the snapshot command."));
	}
}

static void on_lister_note(void *user, enum vm_note kind, const char *text)
{
	struct machine_viewer *v = user;
	machine_notify_note(v->m, kind, text);
}

static void on_lister_changed(void *user)
{
	struct machine_viewer *v = user;
	machine_notify_changed(v->m);
}

static const char *v_busy(void *self) { return of(self)->req.busy; }
static void v_refresh(void *self) { vm_actions_refresh(of(self)->lister); }

static bool v_snapshots_known(void *self)
{
	return vm_actions_snapshots_known(of(self)->lister);
}

static size_t v_snapshots(void *self, const struct disk_snapshot **list)
{
	struct machine_viewer *v = of(self);
	return vm_actions_snapshots_plain(v->lister, &v->plain, list);
}

static void v_snapshot_take(void *self, const char *name)
{
	request(of(self), "take", name,
		name && *name ? xasprintf(_("Taking snapshot %s…"), name)
			      : xstrdup(_("Taking a snapshot…")));
}

static void v_snapshot_restore(void *self, const char *name)
{
	request(of(self), "restore", name,
		xasprintf(_("Restoring snapshot %s…"), name));
}

static void v_snapshot_delete(void *self, const char *name)
{
	request(of(self), "delete", name,
		xasprintf(_("Deleting snapshot %s…"), name));
}

static bool v_has_cdrom(void *self) { (void)self; return false; }
static const char *v_cdrom(void *self) { (void)self; return NULL; }

static void v_media_insert(void *self, const char *path)
{
	(void)path;
	refuse_media(of(self));
}

static void v_media_eject(void *self) { refuse_media(of(self)); }
static struct vm_actions *v_actions(void *self) { (void)self; return NULL; }

static void v_destroy(void *self)
{
	struct machine_viewer *v = of(self);
	/* a command under way ends in the other vmplay: its answer is
	 * waited for (the thread uses v->req until then) */
	if (v->req.active) {
		char drain[512];
		for (;;) {
			ssize_t got = read(v->req.pipe_r, drain, sizeof(drain));
			if (got == 0 ||
			    (got < 0 && errno != EAGAIN && errno != EINTR))
				break;
			if (got < 0)
				usleep(20000);
		}
		pthread_join(v->req.thread, NULL);
		close(v->req.pipe_r);
		free(v->req.line);
		free(v->req.busy);
		free(v->req.vm_path);
	}
	vm_actions_destroy(v->lister);
	free(v->plain);
	qmp_destroy(v->qmp);
	free(v);
}

static const struct machine_ops viewer_ops = {
	.pollfds = v_pollfds,
	.timeout_ms = v_timeout_ms,
	.dispatch = v_dispatch,
	.state = v_state,
	.start = v_start,
	.pause = v_pause,
	.resume = v_resume,
	.reset = v_reset,
	.powerdown = v_powerdown,
	.force_off = v_force_off,
	.close = v_close,
	.ended = v_ended,
	.open_display = v_open_display,
	.display_lost = v_display_lost,
	.wants_cursor = v_wants_cursor,
	.busy = v_busy,
	.refresh = v_refresh,
	.snapshots_known = v_snapshots_known,
	.snapshots = v_snapshots,
	.snapshot_take = v_snapshot_take,
	.snapshot_restore = v_snapshot_restore,
	.snapshot_delete = v_snapshot_delete,
	.has_cdrom = v_has_cdrom,
	.cdrom = v_cdrom,
	.media_insert = v_media_insert,
	.media_eject = v_media_eject,
	.actions = v_actions,
	.destroy = v_destroy,
};

struct machine *machine_viewer_open(const struct vm_config *cfg,
				    const char *runtime_dir, long holder_pid,
				    char **error)
{
	char *path = path_join(runtime_dir, QEMU_VIEWER_SOCKET);
	char *why = NULL;
	struct qmp *qmp = NULL;
	if (path_exists(path))
		qmp = qmp_connect(path, VIEWER_CONNECT_TIMEOUT_MS, &why);
	if (!qmp) {
		*error = why
			? xasprintf(_("%s runs without a window (vmplay pid "
				      "%ld), but its viewer monitor %s does "
				      "not answer (%s); is another viewer "
				      "window open on it?"),
				    cfg->name, holder_pid, path, why)
			: xasprintf(_("%s runs without a window (vmplay pid "
				      "%ld), but was started by a vmplay "
				      "without a viewer monitor (%s is "
				      "missing); restart it to view it."),
				    cfg->name, holder_pid, path);
		free(why);
		free(path);
		return NULL;
	}
	free(path);
	struct machine_viewer *v = xcalloc(1, sizeof(*v));
	struct machine *m = xcalloc(1, sizeof(*m));
	m->ops = &viewer_ops;
	m->self = v;
	v->m = m;
	v->cfg = cfg;
	v->qmp = qmp;
	v->holder_pid = holder_pid;
	v->req.pipe_r = v->req.pipe_w = -1;
	v->lister = vm_actions_create(cfg, NULL, &(struct vm_actions_listener){
		.note = on_lister_note, .changed = on_lister_changed,
		.user = v });
	char *status = qmp_query_status(qmp, VIEWER_COMMAND_TIMEOUT_MS);
	/* no answer: the VM is already going */
	v->state = status ? vm_state_of_status(status) : VM_STATE_EXITED;
	free(status);
	qmp_set_event_handler(qmp, on_event, v);
	return m;
}
