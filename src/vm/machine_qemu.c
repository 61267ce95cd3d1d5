/* The QEMU engine of the machine seam (machine.h): a vm_session for the
 * life of the QEMU process and vm_actions for snapshots and media, both
 * over QMP. The session may come and go (kiosk mode restarts QEMU): the
 * vm_actions stay and follow it. */
#include "vm/machine_qemu.h"

#include "base/i18n.h"
#include "base/log.h"
#include "base/util.h"
#include "vm/launch.h"
#include "vm/qmp.h"
#include "vm/vnc_channel.h"

#include <stdlib.h>

/* How long QEMU may take to accept the VNC channel over QMP. */
#define VNC_CHANNEL_TIMEOUT_MS 5000

struct machine_qemu {
	struct machine *m;
	const struct vm_config *cfg;
	struct vm_session *session;
	bool owns_session;
	struct vm_actions *actions;
	/* vm_actions' snapshots as the seam lists them (the names and
	 * dates stay vm_actions'): rebuilt on each q_snapshots */
	struct disk_snapshot *plain;
};

static struct machine_qemu *of(void *self) { return self; }

static void on_session_state(void *user, enum vm_state state, const char *why)
{
	struct machine_qemu *q = user;
	machine_notify_state(q->m, state, why);
}

static void on_session_event(void *user, const char *event,
			     struct json_object *data)
{
	struct machine_qemu *q = user;
	/* snapshot jobs end with JOB_STATUS_CHANGE */
	vm_actions_handle_event(q->actions, event, data);
}

static void on_actions_note(void *user, enum vm_note kind, const char *text)
{
	struct machine_qemu *q = user;
	machine_notify_note(q->m, kind, text);
}

static void on_actions_changed(void *user)
{
	struct machine_qemu *q = user;
	machine_notify_changed(q->m);
}

static bool on_actions_restart(void *user)
{
	struct machine_qemu *q = user;
	return machine_notify_restart(q->m);
}

static int q_pollfds(void *self, struct pollfd *fds, int max)
{
	struct machine_qemu *q = of(self);
	return q->session ? vm_session_pollfds(q->session, fds, max) : 0;
}

static int q_timeout_ms(void *self)
{
	struct machine_qemu *q = of(self);
	return q->session ? vm_session_timeout_ms(q->session) : -1;
}

static void q_dispatch(void *self)
{
	struct machine_qemu *q = of(self);
	if (q->session)
		vm_session_dispatch(q->session);
}

static enum vm_state q_state(void *self)
{
	struct machine_qemu *q = of(self);
	return q->session ? vm_session_state(q->session) : VM_STATE_EXITED;
}

static bool q_start(void *self)
{
	(void)self;
	return false;   /* a QEMU that ended is started again by vmplay */
}

static bool q_pause(void *self)
{
	struct machine_qemu *q = of(self);
	return q->session && vm_session_pause(q->session);
}

static bool q_resume(void *self)
{
	struct machine_qemu *q = of(self);
	return q->session && vm_session_resume(q->session);
}

static bool q_reset(void *self)
{
	struct machine_qemu *q = of(self);
	struct qmp *qmp = q->session ? vm_session_qmp(q->session) : NULL;
	if (!qmp || !qmp_send(qmp, "system_reset", NULL, NULL, NULL))
		return false;
	machine_notify_note(q->m, VM_NOTE_INFO, _("The machine was reset."));
	return true;
}

static bool q_powerdown(void *self)
{
	struct machine_qemu *q = of(self);
	return q->session && vm_session_powerdown(q->session);
}

static bool q_force_off(void *self)
{
	struct machine_qemu *q = of(self);
	return q->session && vm_session_quit(q->session);
}

static enum machine_close q_close(void *self)
{
	struct machine_qemu *q = of(self);
	if (!q->session || vm_session_exited(q->session))
		return MACHINE_CLOSE_NOW;
	vm_session_request_stop(q->session);
	return MACHINE_CLOSE_WAIT;
}

static enum machine_end q_ended(void *self, char **message)
{
	struct machine_qemu *q = of(self);
	if (!q->session)
		return MACHINE_END_DONE;
	switch (vm_session_outcome(q->session)) {
	case VM_OUTCOME_POWEROFF:
	case VM_OUTCOME_STOPPED:
		return MACHINE_END_DONE;
	default:
		*message = vm_session_describe_exit(q->session);
		return MACHINE_END_FAILED;
	}
}

static int q_open_display(void *self, char **error)
{
	struct machine_qemu *q = of(self);
	if (!q->session) {
		*error = xstrdup(_("QEMU is not running"));
		return -1;
	}
	/* A connection handed to QEMU over QMP (vnc_channel.c: one with a
	 * big send buffer, which QEMU's socket would not give), else QEMU's
	 * own socket. */
	struct qmp *qmp = vm_session_qmp(q->session);
	int fd = qmp ? vnc_channel_open(qmp, VNC_CHANNEL_TIMEOUT_MS, error) : -1;
	if (fd >= 0)
		return fd;
	log_debug("no VNC channel (%s); connecting to the socket",
		  *error ? *error : _("no QMP"));
	free(*error);
	*error = NULL;
	return unix_connect(launch_vnc_socket(vm_session_launch(q->session)),
			    error);
}

static char *q_display_lost(void *self)
{
	struct machine_qemu *q = of(self);
	if (q->session)
		vm_session_quit(q->session);
	return xstrdup(_("Lost the connection to QEMU's display; stopping the VM."));
}

static bool q_wants_cursor(void *self)
{
	return of(self)->cfg->display_device != DISPLAY_STD;
}

static const char *q_busy(void *self) { return vm_actions_busy(of(self)->actions); }
static void q_refresh(void *self) { vm_actions_refresh(of(self)->actions); }

static bool q_snapshots_known(void *self)
{
	return vm_actions_snapshots_known(of(self)->actions);
}

static size_t q_snapshots(void *self, const struct disk_snapshot **list)
{
	struct machine_qemu *q = of(self);
	return vm_actions_snapshots_plain(q->actions, &q->plain, list);
}

static void q_snapshot_take(void *self, const char *name)
{
	vm_actions_snapshot_take(of(self)->actions, name);
}

static void q_snapshot_restore(void *self, const char *name)
{
	vm_actions_snapshot_restore(of(self)->actions, name);
}

static void q_snapshot_delete(void *self, const char *name)
{
	vm_actions_snapshot_delete(of(self)->actions, name);
}

static bool q_has_cdrom(void *self) { return of(self)->cfg->has_cdrom; }
static const char *q_cdrom(void *self) { return vm_actions_cdrom(of(self)->actions); }

static void q_media_insert(void *self, const char *path)
{
	vm_actions_media_insert(of(self)->actions, path);
}

static void q_media_eject(void *self)
{
	vm_actions_media_eject(of(self)->actions);
}

static struct vm_actions *q_actions(void *self) { return of(self)->actions; }

static void q_destroy(void *self)
{
	struct machine_qemu *q = of(self);
	vm_actions_destroy(q->actions);
	free(q->plain);
	if (q->owns_session)
		vm_session_destroy(q->session);
	free(q);
}

static const struct machine_ops qemu_ops = {
	.pollfds = q_pollfds,
	.timeout_ms = q_timeout_ms,
	.dispatch = q_dispatch,
	.state = q_state,
	.start = q_start,
	.pause = q_pause,
	.resume = q_resume,
	.reset = q_reset,
	.powerdown = q_powerdown,
	.force_off = q_force_off,
	.close = q_close,
	.ended = q_ended,
	.open_display = q_open_display,
	.display_lost = q_display_lost,
	.wants_cursor = q_wants_cursor,
	.busy = q_busy,
	.refresh = q_refresh,
	.snapshots_known = q_snapshots_known,
	.snapshots = q_snapshots,
	.snapshot_take = q_snapshot_take,
	.snapshot_restore = q_snapshot_restore,
	.snapshot_delete = q_snapshot_delete,
	.has_cdrom = q_has_cdrom,
	.cdrom = q_cdrom,
	.media_insert = q_media_insert,
	.media_eject = q_media_eject,
	.actions = q_actions,
	.destroy = q_destroy,
};

struct machine *machine_qemu_create(const struct vm_config *cfg)
{
	struct machine_qemu *q = xcalloc(1, sizeof(*q));
	struct machine *m = xcalloc(1, sizeof(*m));
	m->ops = &qemu_ops;
	m->self = q;
	q->m = m;
	q->cfg = cfg;
	q->actions = vm_actions_create(cfg, NULL, &(struct vm_actions_listener){
		on_actions_note, on_actions_changed, q, on_actions_restart });
	return m;
}

void machine_qemu_set_session(struct machine *m, struct vm_session *s,
			      bool owned)
{
	struct machine_qemu *q = m->self;
	if (q->owns_session && q->session != s)
		vm_session_destroy(q->session);
	q->session = s;
	q->owns_session = s && owned;
	if (s)
		vm_session_set_listener(s, &(struct vm_session_listener){
			.state_changed = on_session_state,
			.event = on_session_event, .user = q });
	vm_actions_set_session(q->actions, s);
}

struct vm_session *machine_qemu_session(struct machine *m)
{
	return ((struct machine_qemu *)m->self)->session;
}
