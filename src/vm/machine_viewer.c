/* See machine_viewer.h. */
#include "vm/machine_viewer.h"

#include "base/i18n.h"
#include "base/log.h"
#include "base/util.h"
#include "vm/qemu_args.h"
#include "vm/qmp.h"
#include "vm/vnc_channel.h"

#include <stdlib.h>
#include <string.h>

/* A VM starting under TCG on a loaded machine answers slowly; a monitor
 * that another viewer holds never answers (QEMU serves one client). */
#define VIEWER_CONNECT_TIMEOUT_MS 5000
#define VIEWER_COMMAND_TIMEOUT_MS 5000
#define VNC_CHANNEL_TIMEOUT_MS 5000

struct machine_viewer {
	struct machine *m;
	const struct vm_config *cfg;
	struct qmp *qmp;
	enum vm_state state;
	long holder_pid;
	bool guest_shut_down;   /* SHUTDOWN with guest=true */
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

static enum vm_state state_of_status(const char *status)
{
	if (!status)
		return VM_STATE_EXITED;
	if (!strcmp(status, "running"))
		return VM_STATE_RUNNING;
	if (!strcmp(status, "prelaunch"))
		return VM_STATE_PRELAUNCH;
	if (!strcmp(status, "shutdown"))
		return VM_STATE_STOPPING;
	return VM_STATE_PAUSED;
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
	if (!v->qmp || max < 1)
		return 0;
	fds[0] = (struct pollfd){ .fd = qmp_fd(v->qmp), .events = POLLIN };
	return 1;
}

static int v_timeout_ms(void *self)
{
	(void)self;
	return -1;
}

/* The monitor closes when QEMU ends: the VM is gone, however it went. */
static void v_dispatch(void *self)
{
	struct machine_viewer *v = of(self);
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

/* Snapshots and media belong to the vmplay that runs the VM: it holds
 * the VM's snapshot lock and its list of recent ISOs. */
static void refuse(struct machine_viewer *v)
{
	char *msg = xasprintf(_("%s runs without a window (vmplay pid %ld): "
				"this window only looks at it. To take "
				"snapshots or change media, shut it down and "
				"play it in a window."),
			      v->cfg->name, v->holder_pid);
	machine_notify_note(v->m, VM_NOTE_ERROR, msg);
	free(msg);
}

static const char *v_busy(void *self) { (void)self; return NULL; }
static void v_refresh(void *self) { (void)self; }
static bool v_snapshots_known(void *self) { (void)self; return false; }

static size_t v_snapshots(void *self, const struct disk_snapshot **list)
{
	(void)self;
	*list = NULL;
	return 0;
}

static void v_snapshot_take(void *self, const char *name)
{
	(void)name;
	refuse(of(self));
}

static void v_snapshot_restore(void *self, const char *name)
{
	(void)name;
	refuse(of(self));
}

static void v_snapshot_delete(void *self, const char *name)
{
	(void)name;
	refuse(of(self));
}

static bool v_has_cdrom(void *self) { (void)self; return false; }
static const char *v_cdrom(void *self) { (void)self; return NULL; }

static void v_media_insert(void *self, const char *path)
{
	(void)path;
	refuse(of(self));
}

static void v_media_eject(void *self) { refuse(of(self)); }
static struct vm_actions *v_actions(void *self) { (void)self; return NULL; }

static void v_destroy(void *self)
{
	struct machine_viewer *v = of(self);
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
	char *status = qmp_query_status(qmp, VIEWER_COMMAND_TIMEOUT_MS);
	v->state = state_of_status(status);
	free(status);
	qmp_set_event_handler(qmp, on_event, v);
	return m;
}
