/* See libvirt_machine.h. */
#include "vm/libvirt_machine.h"

#include "base/i18n.h"
#include "base/log.h"
#include "base/proc.h"
#include "base/util.h"
#include "vm/libvirt_uri.h"
#include "vm/libvirt_xml.h"

#include <errno.h>
#include <fcntl.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* What libvirt's event thread tells the loop, through the pipe (a write of
 * this size is atomic). */
struct lv_event {
	int kind;          /* EV_LIFECYCLE or EV_CLOSED */
	int event, detail; /* lifecycle: virDomainEventType and its detail;
			    * closed: the virConnectCloseReason */
};
enum { EV_LIFECYCLE = 1, EV_CLOSED };

struct lv {
	struct machine *m;
	virConnectPtr conn;
	virDomainPtr dom;
	char *uri;             /* the connection's URI, as libvirt says */
	char *name;
	int pipe[2];           /* event thread -> loop */
	int lifecycle_id;      /* -1: not registered */
	bool close_cb;
	enum vm_state state;
	int last_reason;       /* virDomainGetState's reason with the state */
	bool closed;           /* the connection to libvirt is gone */
	pid_t tunnel;          /* the display's ssh, 0 when none */
	char *busy;            /* a slow operation's progress text */
	struct disk_snapshot *snaps;
	size_t n_snaps;
	bool snaps_known;
	struct lvxml_cdrom cdrom;
};

static struct lv *of(void *self) { return self; }

/* ---- libvirt's event loop, on a thread of its own ---- */

static pthread_once_t loop_once = PTHREAD_ONCE_INIT;
static bool loop_ok;

static void *event_thread(void *arg)
{
	(void)arg;
	for (;;)
		if (virEventRunDefaultImpl() < 0)
			log_debug("libvirt event loop: %s", virGetLastErrorMessage());
	return NULL;
}

/* libvirt prints every error to stderr by default; vmplay says them
 * itself, in context. */
static void quiet_errors(void *data, virErrorPtr err)
{
	(void)data;
	log_debug("libvirt: %s", err && err->message ? err->message : "?");
}

static void start_event_loop(void)
{
	virSetErrorFunc(NULL, quiet_errors);
	if (virInitialize() < 0 || virEventRegisterDefaultImpl() < 0)
		return;
	pthread_t t;
	/* the thread must not take the signals the player waits for */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	loop_ok = pthread_create(&t, NULL, event_thread, NULL) == 0;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (loop_ok)
		pthread_detach(t);
}

static void post(struct lv *l, int kind, int event, int detail)
{
	struct lv_event ev = { kind, event, detail };
	if (write(l->pipe[1], &ev, sizeof(ev)) < 0) {
		/* a full pipe: the loop re-reads the state anyway */
	}
}

static int on_lifecycle(virConnectPtr conn, virDomainPtr dom, int event,
			int detail, void *opaque)
{
	(void)conn;
	(void)dom;
	post(opaque, EV_LIFECYCLE, event, detail);
	return 0;
}

static void on_close(virConnectPtr conn, int reason, void *opaque)
{
	(void)conn;
	post(opaque, EV_CLOSED, 0, reason);
}

/* ---- messages ---- */

static const char *lv_error(void)
{
	const char *msg = virGetLastErrorMessage();
	return msg && *msg ? msg : _("unknown libvirt error");
}

static void refuse(struct lv *l, const char *what)
{
	char *msg = xasprintf("%s: %s", what, lv_error());
	machine_notify_note(l->m, VM_NOTE_ERROR, msg);
	free(msg);
}

static void note(struct lv *l, enum vm_note kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void note(struct lv *l, enum vm_note kind, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	machine_notify_note(l->m, kind, msg);
	free(msg);
}

/* ---- state ---- */

static enum vm_state map_state(int state)
{
	switch (state) {
	case VIR_DOMAIN_PAUSED:
	case VIR_DOMAIN_PMSUSPENDED:
		return VM_STATE_PAUSED;
	case VIR_DOMAIN_SHUTDOWN:
		return VM_STATE_STOPPING;
	case VIR_DOMAIN_SHUTOFF:
	case VIR_DOMAIN_CRASHED:
		return VM_STATE_EXITED;
	default:
		return VM_STATE_RUNNING;
	}
}

/* A sentence for a lifecycle event, for the log and the player. */
static const char *event_why(int event, int detail)
{
	switch (event) {
	case VIR_DOMAIN_EVENT_STARTED:
		/* TRANSLATORS: these say why a libvirt domain's state
		 * changed, shown by the player ("paused by the watchdog");
		 * the domain is a machine (feminine in Spanish) */
		return _("started");
	case VIR_DOMAIN_EVENT_SUSPENDED:
		switch (detail) {
		case VIR_DOMAIN_EVENT_SUSPENDED_IOERROR:
			return _("paused by a disk I/O error");
		case VIR_DOMAIN_EVENT_SUSPENDED_WATCHDOG:
			return _("paused by the watchdog");
		case VIR_DOMAIN_EVENT_SUSPENDED_FROM_SNAPSHOT:
			return _("paused (restored from a snapshot)");
		default:
			return _("paused");
		}
	case VIR_DOMAIN_EVENT_RESUMED:
		return _("running again");
	case VIR_DOMAIN_EVENT_STOPPED:
		switch (detail) {
		case VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN:
			return _("the guest shut down");
		case VIR_DOMAIN_EVENT_STOPPED_DESTROYED:
			return _("forced off");
		case VIR_DOMAIN_EVENT_STOPPED_CRASHED:
			return _("the guest crashed");
		case VIR_DOMAIN_EVENT_STOPPED_FAILED:
			return _("QEMU failed");
		case VIR_DOMAIN_EVENT_STOPPED_FROM_SNAPSHOT:
			return _("stopped by restoring a snapshot");
		default:
			return _("stopped");
		}
	case VIR_DOMAIN_EVENT_SHUTDOWN:
		return _("the guest is shutting down");
	case VIR_DOMAIN_EVENT_PMSUSPENDED:
		return _("suspended by the guest");
	case VIR_DOMAIN_EVENT_CRASHED:
		return _("the guest crashed");
	default:
		return _("changed");
	}
}

/* Reads the domain's state from libvirt (the events only say that it
 * changed, and may be coalesced) and tells the player when it differs. */
static void refresh_state(struct lv *l, const char *why)
{
	int state, reason;
	if (virDomainGetState(l->dom, &state, &reason, 0) < 0) {
		log_debug("%s: state: %s", l->name, lv_error());
		return;
	}
	l->last_reason = reason;
	enum vm_state s = map_state(state);
	if (s == l->state)
		return;
	l->state = s;
	log_debug("%s: %s (%s)", l->name, vm_state_name(s), why);
	machine_notify_state(l->m, s, why);
}

static void read_cdrom(struct lv *l)
{
	char *xml = virDomainGetXMLDesc(l->dom, 0);
	lvxml_cdrom_free(&l->cdrom);
	if (xml)
		lvxml_cdrom(xml, &l->cdrom);
	free(xml);
}

/* ---- the machine ops ---- */

static int lv_pollfds(void *self, struct pollfd *fds, int max)
{
	struct lv *l = of(self);
	if (max < 1)
		return 0;
	fds[0] = (struct pollfd){ l->pipe[0], POLLIN, 0 };
	return 1;
}

static int lv_timeout_ms(void *self)
{
	(void)self;
	return -1;
}

static void lv_dispatch(void *self)
{
	struct lv *l = of(self);
	struct lv_event ev;
	/* events come in bursts (destroy: shutdown, then stopped); the state
	 * is read once after the burst, with the last event's reason */
	const char *why = NULL;
	while (read(l->pipe[0], &ev, sizeof(ev)) == (ssize_t)sizeof(ev)) {
		if (ev.kind == EV_LIFECYCLE) {
			why = event_why(ev.event, ev.detail);
			if (ev.event == VIR_DOMAIN_EVENT_STARTED ||
			    ev.event == VIR_DOMAIN_EVENT_STOPPED)
				read_cdrom(l);
		} else if (ev.kind == EV_CLOSED && !l->closed) {
			static const char *const reasons[] = {
				/* TRANSLATORS: why the connection to
				 * libvirt closed */
				[VIR_CONNECT_CLOSE_REASON_ERROR] = N_("an I/O error"),
				[VIR_CONNECT_CLOSE_REASON_EOF] =
					N_("libvirt's daemon closed it"),
				[VIR_CONNECT_CLOSE_REASON_KEEPALIVE] =
					N_("no answer from libvirt's daemon"),
				[VIR_CONNECT_CLOSE_REASON_CLIENT] = N_("closed here"),
			};
			l->closed = true;
			const char *reason = (unsigned)ev.detail < ARRAY_SIZE(reasons)
						     ? _(reasons[ev.detail]) : _("unknown");
			log_error(_("lost the connection to libvirt at %s (%s)"),
				  l->uri, reason);
			note(l, VM_NOTE_ERROR,
			     _("Lost the connection to libvirt at %s (%s). The "
			     "domain goes on; the controls do not work until "
			     "vmplay connects again."), l->uri, reason);
		}
	}
	if (why && !l->closed)
		refresh_state(l, why);
}

static enum vm_state lv_state(void *self)
{
	return of(self)->state;
}

/* One libvirt call on the domain: on failure libvirt's message as a
 * note; on success the note ok (may be NULL). */
static bool call(struct lv *l, int rc, const char *what, const char *ok)
{
	if (rc < 0) {
		refuse(l, what);
		return false;
	}
	if (ok)
		machine_notify_note(l->m, VM_NOTE_INFO, ok);
	return true;
}

static bool lv_start(void *self)
{
	struct lv *l = of(self);
	if (!call(l, virDomainCreate(l->dom), _("Cannot start the domain"),
		  NULL))
		return false;
	/* said now, not only when the event comes (it may not: see open) */
	refresh_state(l, _("started"));
	return true;
}

static bool lv_pause(void *self)
{
	struct lv *l = of(self);
	return call(l, virDomainSuspend(l->dom), _("Cannot pause"), NULL);
}

static bool lv_resume(void *self)
{
	struct lv *l = of(self);
	return call(l, virDomainResume(l->dom), _("Cannot resume"), NULL);
}

static bool lv_reset(void *self)
{
	struct lv *l = of(self);
	return call(l, virDomainReset(l->dom, 0), _("Cannot reset"),
		    _("The machine was reset."));
}

static bool lv_powerdown(void *self)
{
	struct lv *l = of(self);
	return call(l, virDomainShutdown(l->dom), _("Cannot shut down"),
		    _("Asked the guest to shut down."));
}

static bool lv_force_off(void *self)
{
	struct lv *l = of(self);
	return call(l, virDomainDestroy(l->dom), _("Cannot force off"), NULL);
}

static enum machine_close lv_close(void *self)
{
	(void)self;
	return MACHINE_CLOSE_NOW;   /* the domain stays as it is */
}

static enum machine_end lv_ended(void *self, char **message)
{
	struct lv *l = of(self);
	bool failed = l->last_reason == VIR_DOMAIN_SHUTOFF_CRASHED ||
		      l->last_reason == VIR_DOMAIN_SHUTOFF_FAILED;
	/* TRANSLATORS: %s is a libvirt domain's name */
	*message = failed
		? xasprintf(_("%s is stopped with an error.\n\nPress Enter or "
			      "the pause shortcut to start it."), l->name)
		: xasprintf(_("%s is shut off.\n\nPress Enter or the pause "
			      "shortcut to start it."), l->name);
	return MACHINE_END_STOPPED;
}

/* The display over SSH: ssh's stdin and stdout are our end of a socket
 * pair; the remote nc connects it to the domain's VNC server. */
static int open_tunnel(struct lv *l, const struct libvirt_ssh *ssh,
		       const struct lvxml_vnc *vnc, char **error)
{
	const char *socket_path = NULL, *address = NULL;
	if (vnc->socket) {
		socket_path = vnc->socket;
	} else if (vnc->port > 0) {
		address = vnc->address;
		/* a wildcard listener is reached on the host's loopback */
		if (!address || !strcmp(address, "0.0.0.0"))
			address = "127.0.0.1";
		else if (!strcmp(address, "::"))
			address = "::1";
	} else {
		*error = xasprintf(
			_("%s's display cannot be reached over SSH: it listens "
			"on neither a unix socket nor a port (listen type "
			"'%s'). Give the domain <listen type='socket'/> in "
			"its <graphics type='vnc'> to play it from another "
			"host."), l->name, vnc->listen_type);
		return -1;
	}
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
		*error = xasprintf("socketpair: %s", strerror(errno));
		return -1;
	}
	struct strv argv = { 0 };
	libvirt_ssh_argv(ssh, socket_path, address, vnc->port, &argv);
	char *shown = strv_join_quoted(&argv);
	log_debug("display tunnel: %s", shown);
	free(shown);
	/* ssh's own prompts and errors go to our stderr (and its terminal);
	 * same process group, so that it may ask on the terminal */
	int err = 0;
	pid_t pid = proc_spawn(&(struct proc_spec){
		.argv = argv.v, .in = sv[1], .out = sv[1], .err = STDERR_FILENO },
		&err);
	strv_free(&argv);
	close(sv[1]);
	if (pid < 0) {
		close(sv[0]);
		*error = xasprintf(_("cannot run ssh for the display: %s"),
				   strerror(err));
		return -1;
	}
	l->tunnel = pid;
	return sv[0];
}

static void end_tunnel(struct lv *l)
{
	if (l->tunnel <= 0)
		return;
	kill(l->tunnel, SIGTERM);
	proc_wait(l->tunnel);
	l->tunnel = 0;
}

static int lv_open_display(void *self, char **error)
{
	struct lv *l = of(self);
	end_tunnel(l);
	char *xml = virDomainGetXMLDesc(l->dom, 0);
	if (!xml) {
		*error = xasprintf(_("cannot read %s's description: %s"), l->name,
				   lv_error());
		return -1;
	}
	struct lvxml_vnc vnc;
	lvxml_vnc(xml, &vnc);
	free(xml);
	int fd = -1;
	struct libvirt_ssh ssh;
	if (!vnc.found) {
		*error = vnc.other
			? xasprintf(_("%s has a %s display and no VNC display; "
				    "vmplay plays VNC displays (add <graphics "
				    "type='vnc'> to the domain)."), l->name,
				    vnc.other)
			: xasprintf(_("%s has no display (no <graphics> in its "
				    "description); add <graphics type='vnc'> to "
				    "play it."), l->name);
	} else if (libvirt_uri_ssh(l->uri, &ssh)) {
		fd = open_tunnel(l, &ssh, &vnc, error);
		libvirt_ssh_free(&ssh);
	} else {
		fd = virDomainOpenGraphicsFD(l->dom, (unsigned)vnc.index,
					     VIR_DOMAIN_OPEN_GRAPHICS_SKIPAUTH);
		if (fd < 0)
			*error = xasprintf(_("cannot open %s's display: %s"),
					   l->name, lv_error());
		else
			fcntl(fd, F_SETFD, FD_CLOEXEC);
	}
	lvxml_vnc_free(&vnc);
	return fd;
}

static char *lv_display_lost(void *self)
{
	struct lv *l = of(self);
	end_tunnel(l);
	return xasprintf(_("Lost the connection to %s's display. The domain "
			 "goes on; close the window and connect again."),
			 l->name);
}

static bool lv_wants_cursor(void *self)
{
	struct lv *l = of(self);
	char *xml = virDomainGetXMLDesc(l->dom, 0);
	bool hw = xml && lvxml_hardware_cursor(xml);
	free(xml);
	return hw;
}

static const char *lv_busy(void *self)
{
	return of(self)->busy;
}

static void free_snaps(struct lv *l)
{
	for (size_t i = 0; l->snaps && i < l->n_snaps; i++) {
		free(l->snaps[i].id);
		free(l->snaps[i].name);
	}
	free(l->snaps);
	l->snaps = NULL;
	l->n_snaps = 0;
}

static int by_date(const void *a, const void *b)
{
	const struct disk_snapshot *x = a, *y = b;
	return x->date_sec < y->date_sec ? -1 : x->date_sec > y->date_sec;
}

static void lv_refresh(void *self)
{
	struct lv *l = of(self);
	virDomainSnapshotPtr *list = NULL;
	int n = virDomainListAllSnapshots(l->dom, &list, 0);
	if (n < 0) {
		refuse(l, _("Cannot list the snapshots"));
		return;
	}
	free_snaps(l);
	l->snaps = xcalloc((size_t)n + 1, sizeof(*l->snaps));
	for (int i = 0; i < n; i++) {
		struct disk_snapshot *s = &l->snaps[l->n_snaps];
		const char *name = virDomainSnapshotGetName(list[i]);
		char *xml = virDomainSnapshotGetXMLDesc(list[i], 0);
		char *created = xml ? lvxml_text(xml, "creationTime") : NULL;
		char *state = xml ? lvxml_text(xml, "state") : NULL;
		s->name = xstrdup(name ? name : "?");
		s->id = xstrdup(s->name);
		s->date_sec = created ? strtoll(created, NULL, 10) : 0;
		/* running snapshots hold the memory too; the size is not
		 * told, any non-zero value says "with memory" */
		s->vm_state_size = state && (!strcmp(state, "running") ||
					     !strcmp(state, "paused"));
		l->n_snaps++;
		free(created);
		free(state);
		free(xml);
		virDomainSnapshotFree(list[i]);
	}
	free(list);
	qsort(l->snaps, l->n_snaps, sizeof(*l->snaps), by_date);
	l->snaps_known = true;
	machine_notify_changed(l->m);
}

static bool lv_snapshots_known(void *self)
{
	return of(self)->snaps_known;
}

static size_t lv_snapshots(void *self, const struct disk_snapshot **list)
{
	struct lv *l = of(self);
	*list = l->snaps;
	return l->n_snaps;
}

/* Slow libvirt calls (a snapshot saves the guest's memory) block the
 * window for their duration; the progress toast is drawn first. */
static void begin_busy(struct lv *l, char *text)
{
	free(l->busy);
	l->busy = text;
	machine_notify_note(l->m, VM_NOTE_PROGRESS, text);
}

static void end_busy(struct lv *l)
{
	free(l->busy);
	l->busy = NULL;
}

static void lv_snapshot_take(void *self, const char *name)
{
	struct lv *l = of(self);
	if (!l->snaps_known)
		lv_refresh(l);
	char *own = NULL;
	if (!name) {
		const char **taken = xcalloc(l->n_snaps + 1, sizeof(*taken));
		for (size_t i = 0; i < l->n_snaps; i++)
			taken[i] = l->snaps[i].name;
		own = vm_actions_snapshot_name(time(NULL), taken, l->n_snaps);
		free(taken);
		name = own;
	}
	for (size_t i = 0; i < l->n_snaps; i++)
		if (!strcmp(l->snaps[i].name, name)) {
			note(l, VM_NOTE_ERROR, _("A snapshot named \"%s\" exists "
			     "already; choose another name."), name);
			free(own);
			return;
		}
	char *escaped = lvxml_escape(name);
	char *xml = xasprintf("<domainsnapshot><name>%s</name>"
			      "<description>taken with vmplay</description>"
			      "</domainsnapshot>", escaped);
	free(escaped);
	begin_busy(l, xasprintf(_("Taking snapshot %s…"), name));
	uint64_t t0 = now_ms();
	virDomainSnapshotPtr snap = virDomainSnapshotCreateXML(l->dom, xml, 0);
	end_busy(l);
	free(xml);
	if (!snap) {
		refuse(l, _("Snapshot failed"));
	} else {
		note(l, VM_NOTE_INFO, _("Snapshot %s taken in %.1f s"), name,
		     (double)(now_ms() - t0) / 1000.0);
		virDomainSnapshotFree(snap);
	}
	free(own);
	lv_refresh(l);
}

/* Restore or delete: one libvirt call on the named snapshot, with a
 * progress toast while it runs (a restore loads the guest's memory). */
/* busy and done: formats with the snapshot's name as their one %s. */
static void snapshot_call(struct lv *l, const char *name, const char *busy,
			  int (*fn)(virDomainSnapshotPtr, unsigned int),
			  const char *failed, const char *done)
{
	virDomainSnapshotPtr snap = virDomainSnapshotLookupByName(l->dom, name, 0);
	if (!snap) {
		refuse(l, _("No such snapshot"));
		return;
	}
	begin_busy(l, xasprintf(busy, name));
	int rc = fn(snap, 0);
	end_busy(l);
	virDomainSnapshotFree(snap);
	if (rc < 0)
		refuse(l, failed);
	else
		note(l, VM_NOTE_INFO, done, name);
}

static void lv_snapshot_restore(void *self, const char *name)
{
	struct lv *l = of(self);
	snapshot_call(l, name, _("Restoring snapshot %s…"),
		      virDomainRevertToSnapshot, _("Restore failed"),
		      _("Snapshot %s restored"));
	refresh_state(l, _("snapshot restored"));
}

static void lv_snapshot_delete(void *self, const char *name)
{
	struct lv *l = of(self);
	snapshot_call(l, name, _("Deleting snapshot %s…"),
		      virDomainSnapshotDelete, _("Delete failed"),
		      _("Snapshot %s deleted"));
	lv_refresh(l);
}

static bool lv_has_cdrom(void *self)
{
	return of(self)->cdrom.found;
}

static const char *lv_cdrom(void *self)
{
	return of(self)->cdrom.source;
}

/* The CD drive with a new medium (path) or none: live only, the domain's
 * stored configuration is left alone. */
static void change_medium(struct lv *l, const char *path)
{
	if (!l->cdrom.found) {
		note(l, VM_NOTE_ERROR, _("%s has no CD drive."), l->name);
		return;
	}
	char *target = lvxml_escape(l->cdrom.target ? l->cdrom.target : "hdc");
	char *bus = l->cdrom.bus ? lvxml_escape(l->cdrom.bus) : NULL;
	char *source = NULL;
	if (path) {
		char *p = lvxml_escape(path);
		source = xasprintf("<source file='%s'/>", p);
		free(p);
	}
	char *xml = xasprintf("<disk type='file' device='cdrom'>"
			      "<driver name='qemu' type='raw'/>%s"
			      "<target dev='%s'%s%s%s/><readonly/></disk>",
			      source ? source : "", target,
			      bus ? " bus='" : "", bus ? bus : "",
			      bus ? "'" : "");
	int rc = virDomainUpdateDeviceFlags(l->dom, xml,
					    VIR_DOMAIN_AFFECT_LIVE);
	free(xml);
	free(source);
	free(target);
	free(bus);
	if (rc < 0) {
		refuse(l, path ? _("Cannot insert the disc") : _("Cannot eject"));
		return;
	}
	read_cdrom(l);
	if (path)
		note(l, VM_NOTE_INFO, _("Inserted %s"), path);
	else
		note(l, VM_NOTE_INFO, _("Ejected the disc"));
	machine_notify_changed(l->m);
}

static void lv_media_insert(void *self, const char *path)
{
	change_medium(of(self), path);
}

static void lv_media_eject(void *self)
{
	change_medium(of(self), NULL);
}

static void lv_destroy(void *self)
{
	struct lv *l = of(self);
	end_tunnel(l);
	if (l->lifecycle_id >= 0)
		virConnectDomainEventDeregisterAny(l->conn, l->lifecycle_id);
	if (l->close_cb)
		virConnectUnregisterCloseCallback(l->conn, on_close);
	if (l->dom)
		virDomainFree(l->dom);
	if (l->conn)
		virConnectClose(l->conn);
	for (int i = 0; i < 2; i++)
		if (l->pipe[i] >= 0)
			close(l->pipe[i]);
	free_snaps(l);
	lvxml_cdrom_free(&l->cdrom);
	free(l->busy);
	free(l->uri);
	free(l->name);
	free(l);
}

static const struct machine_ops libvirt_ops = {
	.pollfds = lv_pollfds,
	.timeout_ms = lv_timeout_ms,
	.dispatch = lv_dispatch,
	.state = lv_state,
	.start = lv_start,
	.pause = lv_pause,
	.resume = lv_resume,
	.reset = lv_reset,
	.powerdown = lv_powerdown,
	.force_off = lv_force_off,
	.close = lv_close,
	.ended = lv_ended,
	.open_display = lv_open_display,
	.display_lost = lv_display_lost,
	.wants_cursor = lv_wants_cursor,
	.busy = lv_busy,
	.refresh = lv_refresh,
	.snapshots_known = lv_snapshots_known,
	.snapshots = lv_snapshots,
	.snapshot_take = lv_snapshot_take,
	.snapshot_restore = lv_snapshot_restore,
	.snapshot_delete = lv_snapshot_delete,
	.has_cdrom = lv_has_cdrom,
	.cdrom = lv_cdrom,
	.media_insert = lv_media_insert,
	.media_eject = lv_media_eject,
	.actions = NULL,
	.destroy = lv_destroy,
};

/* ---- connecting ---- */

static libvirt_ask_fn asker;
static void *asker_data;

void libvirt_set_asker(libvirt_ask_fn ask, void *user)
{
	asker = ask;
	asker_data = user;
}

/* libvirt's credentials, each asked through the asker: its prompt is the
 * question; an empty answer takes libvirt's default when it has one. */
static int ask_credentials(virConnectCredentialPtr cred, unsigned int n,
			   void *data)
{
	(void)data;
	for (unsigned int i = 0; i < n; i++) {
		bool secret = cred[i].type == VIR_CRED_PASSPHRASE ||
			      cred[i].type == VIR_CRED_NOECHOPROMPT;
		const char *prompt = cred[i].prompt && *cred[i].prompt
			? cred[i].prompt : _("libvirt asks for a value");
		char *question = cred[i].challenge && *cred[i].challenge
			? xasprintf("%s\n%s", cred[i].challenge, prompt)
			: xstrdup(prompt);
		log_debug("libvirt asks (credential type %d): %s",
			  cred[i].type, prompt);
		char *answer = asker(asker_data, question, secret);
		free(question);
		if (!answer)
			return -1;   /* declined: the connection fails */
		if (!*answer && cred[i].defresult) {
			free(answer);
			answer = xstrdup(cred[i].defresult);
		}
		cred[i].result = answer;
		cred[i].resultlen = (unsigned int)strlen(answer);
	}
	return 0;
}

static int asked_kinds[] = {
	VIR_CRED_AUTHNAME, VIR_CRED_PASSPHRASE, VIR_CRED_ECHOPROMPT,
	VIR_CRED_NOECHOPROMPT, VIR_CRED_REALM,
};

static virConnectPtr connect_uri(const char *uri, char **error)
{
	pthread_once(&loop_once, start_event_loop);
	if (!loop_ok) {
		*error = xasprintf(_("cannot start libvirt's event loop: %s"),
				   lv_error());
		return NULL;
	}
	virConnectAuth asked = { asked_kinds, ARRAY_SIZE(asked_kinds),
				 ask_credentials, NULL };
	virConnectPtr conn = virConnectOpenAuth(
		uri, asker ? &asked : virConnectAuthPtrDefault, 0);
	if (!conn) {
		const char *shown = uri ? uri : getenv("LIBVIRT_DEFAULT_URI");
		*error = xasprintf(_("cannot connect to libvirt at %s: %s"),
				   shown && *shown ? shown : _("its default URI"),
				   lv_error());
	}
	return conn;
}

/* "a, b, c" (or "none"): the domains a user could have meant. */
static char *domain_names(virConnectPtr conn)
{
	virDomainPtr *doms = NULL;
	int n = virConnectListAllDomains(conn, &doms, 0);
	struct strv names = { 0 };
	for (int i = 0; i < n; i++) {
		strv_push(&names, virDomainGetName(doms[i]));
		virDomainFree(doms[i]);
	}
	free(doms);
	char *s = n > 0 ? strv_join(&names, ", ") : xstrdup(_("none"));
	strv_free(&names);
	return s;
}

static virDomainPtr lookup(virConnectPtr conn, const char *domain)
{
	virDomainPtr dom = virDomainLookupByName(conn, domain);
	if (!dom && strlen(domain) >= 32)
		dom = virDomainLookupByUUIDString(conn, domain);
	if (!dom && *domain) {
		char *end;
		long id = strtol(domain, &end, 10);
		if (*end == '\0' && id >= 0 && id <= 0x7fffffff)
			dom = virDomainLookupByID(conn, (int)id);
	}
	return dom;
}

struct machine *libvirt_machine_open(const char *uri, const char *domain,
				     char **name, char **error)
{
	virConnectPtr conn = connect_uri(uri, error);
	if (!conn)
		return NULL;
	char *real_uri = virConnectGetURI(conn);
	virDomainPtr dom = lookup(conn, domain);
	if (!dom) {
		char *names = domain_names(conn);
		*error = xasprintf(_("no domain '%s' at %s (by name, UUID or id); "
				   "its domains: %s"), domain,
				   real_uri ? real_uri : "?", names);
		free(names);
		free(real_uri);
		virConnectClose(conn);
		return NULL;
	}
	struct lv *l = xcalloc(1, sizeof(*l));
	l->conn = conn;
	l->dom = dom;
	l->uri = xstrdup(real_uri ? real_uri : (uri ? uri : "?"));
	free(real_uri);
	l->name = xstrdup(virDomainGetName(dom));
	l->lifecycle_id = -1;
	l->pipe[0] = l->pipe[1] = -1;
	l->state = VM_STATE_PRELAUNCH;
	struct machine *m = xcalloc(1, sizeof(*m));
	m->ops = &libvirt_ops;
	m->self = l;
	l->m = m;
	if (pipe2(l->pipe, O_CLOEXEC | O_NONBLOCK) < 0) {
		*error = xasprintf("pipe: %s", strerror(errno));
		machine_destroy(m);
		return NULL;
	}
	/* a dead remote daemon or a cut network is noticed within ~20 s */
	virConnectSetKeepAlive(conn, 5, 3);
	l->close_cb = virConnectRegisterCloseCallback(conn, on_close, l,
						      NULL) == 0;
	l->lifecycle_id = virConnectDomainEventRegisterAny(
		conn, dom, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
		VIR_DOMAIN_EVENT_CALLBACK(on_lifecycle), l, NULL);
	if (l->lifecycle_id < 0)
		log_warn(_("%s: no state events from libvirt (%s); the title "
			 "may lag"), l->name, lv_error());
	/* a domain without a VNC display cannot be played: say so now,
	 * running or not (the stored description has the same devices) */
	char *xml = virDomainGetXMLDesc(dom, 0);
	struct lvxml_vnc vnc;
	lvxml_vnc(xml ? xml : "", &vnc);
	free(xml);
	if (!vnc.found) {
		*error = vnc.other
			? xasprintf(_("%s has a %s display and no VNC display; "
				    "vmplay plays VNC displays (add <graphics "
				    "type='vnc'> to the domain)"), l->name,
				    vnc.other)
			: xasprintf(_("%s has no display (no <graphics> in its "
				    "description); add <graphics type='vnc'> to "
				    "play it"), l->name);
		lvxml_vnc_free(&vnc);
		machine_destroy(m);
		return NULL;
	}
	struct libvirt_ssh ssh;
	bool over_ssh = libvirt_uri_ssh(l->uri, &ssh);
	libvirt_ssh_free(&ssh);
	if (over_ssh && !strcmp(vnc.listen_type, "none")) {
		*error = xasprintf(
			_("%s's display cannot be reached over SSH: it has no "
			"socket or port (listen type 'none'), only its own "
			"host can open it. Give the domain <listen "
			"type='socket'/> in its <graphics type='vnc'> to play "
			"it from another host."), l->name);
		lvxml_vnc_free(&vnc);
		machine_destroy(m);
		return NULL;
	}
	lvxml_vnc_free(&vnc);
	int state, reason;
	if (virDomainGetState(dom, &state, &reason, 0) < 0) {
		*error = xasprintf(_("cannot read %s's state: %s"), l->name,
				   lv_error());
		machine_destroy(m);
		return NULL;
	}
	l->state = map_state(state);
	l->last_reason = reason;
	read_cdrom(l);
	*name = xstrdup(l->name);
	log_debug("libvirt: %s at %s, %s", l->name, l->uri,
		  vm_state_name(l->state));
	return m;
}

static const char *state_word(int state)
{
	switch (state) {
	case VIR_DOMAIN_RUNNING: return N_("running");
	case VIR_DOMAIN_BLOCKED: return N_("blocked");
	case VIR_DOMAIN_PAUSED: return N_("paused");
	case VIR_DOMAIN_SHUTDOWN: return N_("shutting down");
	case VIR_DOMAIN_SHUTOFF: return N_("shut off");
	case VIR_DOMAIN_CRASHED: return N_("crashed");
	case VIR_DOMAIN_PMSUSPENDED: return N_("suspended");
	default: return N_("unknown");
	}
}

static int by_name(const void *a, const void *b)
{
	const struct libvirt_domain_info *x = a, *y = b;
	return strcmp(x->name, y->name);
}

/* The library's questions come from a thread of their own, with nobody
 * to answer a prompt: credentials libvirt asks for are refused, and the
 * connection fails with libvirt's message saying so. (SSH's own prompts
 * are ssh's: see the README.) */
static int no_prompt(virConnectCredentialPtr cred, unsigned int ncred,
		     void *data)
{
	(void)cred;
	(void)ncred;
	(void)data;
	return -1;
}

static int prompt_kinds[] = {
	VIR_CRED_AUTHNAME, VIR_CRED_PASSPHRASE, VIR_CRED_ECHOPROMPT,
	VIR_CRED_NOECHOPROMPT,
};

struct libvirt_conn {
	virConnectPtr conn;
};

struct libvirt_conn *libvirt_conn_open(const char *uri, bool prompt,
				       char **error)
{
	pthread_once(&loop_once, start_event_loop);
	if (!loop_ok) {
		*error = xasprintf(_("cannot start libvirt's event loop: %s"),
				   lv_error());
		return NULL;
	}
	virConnectAuth quiet = { prompt_kinds, ARRAY_SIZE(prompt_kinds),
				 no_prompt, NULL };
	virConnectPtr conn = prompt ? virConnectOpenAuth(uri,
					      virConnectAuthPtrDefault, 0)
				    : virConnectOpenAuth(uri, &quiet, 0);
	if (!conn) {
		*error = xstrdup(lv_error());
		return NULL;
	}
	/* a dead host or daemon fails the next call within ~20 s instead
	 * of never answering */
	virConnectSetKeepAlive(conn, 5, 3);
	struct libvirt_conn *c = xcalloc(1, sizeof(*c));
	c->conn = conn;
	return c;
}

int libvirt_conn_domains(struct libvirt_conn *c,
			 struct libvirt_domain_info **out, char **error)
{
	*out = NULL;
	virDomainPtr *doms = NULL;
	int n = virConnectListAllDomains(c->conn, &doms, 0);
	if (n < 0) {
		*error = xstrdup(lv_error());
		return -1;
	}
	*out = xcalloc((size_t)n + 1, sizeof(**out));
	for (int i = 0; i < n; i++) {
		char uuid[VIR_UUID_STRING_BUFLEN] = "";
		int state = -1, reason;
		virDomainGetUUIDString(doms[i], uuid);
		if (virDomainGetState(doms[i], &state, &reason, 0) < 0)
			state = -1;   /* undefined meanwhile: "unknown" */
		(*out)[i] = (struct libvirt_domain_info){
			xstrdup(virDomainGetName(doms[i])), xstrdup(uuid),
			state_word(state) };
		virDomainFree(doms[i]);
	}
	free(doms);
	qsort(*out, (size_t)n, sizeof(**out), by_name);
	return n;
}

void libvirt_conn_close(struct libvirt_conn *c)
{
	if (!c)
		return;
	virConnectClose(c->conn);
	free(c);
}

int libvirt_list_domains(const char *uri, struct libvirt_domain_info **out,
			 char **error)
{
	*out = NULL;
	char *why = NULL;
	const char *shown = uri ? uri : getenv("LIBVIRT_DEFAULT_URI");
	if (!shown || !*shown)
		shown = _("libvirt's default URI");
	struct libvirt_conn *c = libvirt_conn_open(uri, true, &why);
	if (!c) {
		*error = xasprintf(_("cannot connect to libvirt at %s: %s"),
				   shown, why);
		free(why);
		return -1;
	}
	int n = libvirt_conn_domains(c, out, &why);
	if (n < 0) {
		*error = xasprintf(_("cannot list the domains at %s: %s"),
				   shown, why);
		free(why);
	}
	libvirt_conn_close(c);
	return n;
}

void libvirt_domains_free(struct libvirt_domain_info *list, int n)
{
	for (int i = 0; i < n; i++) {
		free(list[i].name);
		free(list[i].uuid);
	}
	free(list);
}

const char *libvirt_library_version(void)
{
	static char text[32];
	unsigned long v = 0;
	if (virGetVersion(&v, NULL, NULL) < 0)
		return NULL;
	snprintf(text, sizeof(text), "%lu.%lu.%lu", v / 1000000,
		 v / 1000 % 1000, v % 1000);
	return text;
}

bool libvirt_probe(const char *uri, char **detail)
{
	pthread_once(&loop_once, start_event_loop);
	virConnectPtr conn = virConnectOpenReadOnly(uri);
	if (!conn) {
		*detail = xstrdup(lv_error());
		return false;
	}
	unsigned long hv = 0;
	const char *type = virConnectGetType(conn);
	int n = virConnectNumOfDomains(conn);
	int defined = virConnectNumOfDefinedDomains(conn);
	if (virConnectGetVersion(conn, &hv) < 0)
		hv = 0;
	int total = n + (defined > 0 ? defined : 0);
	/* TRANSLATORS: for vmplay check: the hypervisor ("QEMU"), its
	 * version, how many domains and how many of them run */
	*detail = xasprintf(ngettext("%s %lu.%lu.%lu, %d domain (%d running)",
				     "%s %lu.%lu.%lu, %d domains (%d running)",
				     (unsigned long)total),
			    type ? type : _("hypervisor"), hv / 1000000,
			    hv / 1000 % 1000, hv % 1000, total,
			    n > 0 ? n : 0);
	virConnectClose(conn);
	return true;
}
