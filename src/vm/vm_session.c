/* The VM's life from start to exit; see vm_session.h. The state comes from
 * QMP events rather than from what we asked for, so a pause from another
 * monitor or a guest that powers off by itself is followed the same way.
 * Every step of the shutdown sequence arms at most one deadline; the
 * caller's loop wakes for it through vm_session_timeout_ms. */
#include "vm/vm_session.h"

#include "base/i18n.h"
#include "base/log.h"
#include "base/util.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#define DEFAULT_START_TIMEOUT_MS 30000
#define DEFAULT_POWERDOWN_TIMEOUT_MS 60000
#define DEFAULT_QUIT_TIMEOUT_MS 10000
/* Without a pidfd the loop must look for QEMU's exit now and then. */
#define EXIT_POLL_MS 100

enum deadline_kind {
	DEADLINE_NONE,
	DEADLINE_POWERDOWN,   /* the guest had its chance: quit */
	DEADLINE_QUIT,        /* QEMU ignored quit: SIGKILL */
	DEADLINE_SHUTDOWN,    /* guest shut down but QEMU stays: quit */
};

struct vm_session {
	struct launch *launch;
	struct qmp *qmp;
	enum vm_state state;
	struct vm_session_listener listener;
	int powerdown_timeout_ms;
	int quit_timeout_ms;
	enum deadline_kind deadline_kind;
	uint64_t deadline;
	bool stop_requested;   /* we asked QEMU to end */
	bool guest_shutdown;   /* SHUTDOWN with guest=true */
	char *shutdown_reason; /* from the SHUTDOWN event */
	bool exited;
	int wait_status;
	enum vm_outcome outcome;
};

static const char *const state_names[] = {
	[VM_STATE_RUNNING] = "running",
	[VM_STATE_PAUSED] = "paused",
	[VM_STATE_PRELAUNCH] = "starting",
	[VM_STATE_POWERING_DOWN] = "shutting down",
	[VM_STATE_STOPPING] = "stopping",
	[VM_STATE_EXITED] = "stopped",
};

const char *vm_state_name(enum vm_state state)
{
	return (unsigned)state < ARRAY_SIZE(state_names) ? state_names[state]
							  : "unknown";
}

/* query-status values that are not simply "paused". */
static const struct {
	const char *status;
	enum vm_state state;
} status_table[] = {
	{ "running", VM_STATE_RUNNING },
	{ "prelaunch", VM_STATE_PRELAUNCH },
	{ "shutdown", VM_STATE_STOPPING },
};

enum vm_state vm_state_of_status(const char *status)
{
	for (size_t i = 0; i < ARRAY_SIZE(status_table); i++)
		if (!strcmp(status, status_table[i].status))
			return status_table[i].state;
	return VM_STATE_PAUSED;
}

static void set_state(struct vm_session *s, enum vm_state state,
		      const char *why)
{
	if (s->state == state)
		return;
	s->state = state;
	log_debug("VM state: %s (%s)", vm_state_name(state), why);
	if (s->listener.state_changed)
		s->listener.state_changed(s->listener.user, state, why);
}

static void arm(struct vm_session *s, enum deadline_kind kind, int ms)
{
	s->deadline_kind = kind;
	s->deadline = kind == DEADLINE_NONE ? 0 : now_ms() + (uint64_t)ms;
}

static void on_event(void *user, const char *event, struct json_object *data)
{
	struct vm_session *s = user;
	log_debug("QMP event %s", event);
	bool normal = s->state == VM_STATE_RUNNING ||
		      s->state == VM_STATE_PAUSED ||
		      s->state == VM_STATE_PRELAUNCH;
	if (!strcmp(event, "STOP") && normal) {
		set_state(s, VM_STATE_PAUSED, _("paused"));
	} else if (!strcmp(event, "RESUME") && normal) {
		set_state(s, VM_STATE_RUNNING, _("running"));
	} else if (!strcmp(event, "SHUTDOWN")) {
		struct json_object *guest = NULL, *reason = NULL;
		if (data) {
			json_object_object_get_ex(data, "guest", &guest);
			json_object_object_get_ex(data, "reason", &reason);
		}
		s->guest_shutdown = guest && json_object_get_boolean(guest);
		free(s->shutdown_reason);
		s->shutdown_reason = xstrdup(reason ? json_object_get_string(reason)
						    : _("unknown"));
		/* With -no-shutdown in [qemu] args QEMU would stay: make
		 * sure it goes, as a powered-off guest ends vmplay. */
		if (s->deadline_kind != DEADLINE_QUIT)
			arm(s, DEADLINE_SHUTDOWN, s->quit_timeout_ms);
		set_state(s, VM_STATE_STOPPING,
			  s->guest_shutdown ? _("the guest shut down")
					    : _("QEMU is stopping"));
	}
	if (s->listener.event)
		s->listener.event(s->listener.user, event, data);
}

static void log_reply(void *user, struct json_object *ret, const char *error)
{
	(void)ret;
	if (error)
		log_warn("%s: %s", (const char *)user, error);
}

static bool send_async(struct vm_session *s, const char *command)
{
	if (!s->qmp)
		return false;
	/* The command name is a string literal: fine as callback data. */
	return qmp_send(s->qmp, command, NULL, log_reply, (void *)command);
}

static void finish(struct vm_session *s, int status)
{
	s->exited = true;
	s->wait_status = status;
	arm(s, DEADLINE_NONE, 0);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		s->outcome = s->stop_requested && !s->guest_shutdown
				     ? VM_OUTCOME_STOPPED : VM_OUTCOME_POWEROFF;
	else if (WIFSIGNALED(status) && s->stop_requested)
		s->outcome = VM_OUTCOME_STOPPED;
	else
		s->outcome = VM_OUTCOME_FAILED;
	qmp_destroy(s->qmp);
	s->qmp = NULL;
	char *why = vm_session_describe_exit(s);
	set_state(s, VM_STATE_EXITED, why);
	free(why);
}

struct vm_session *vm_session_attach(struct launch *l, int timeout_ms,
				     char **error)
{
	if (timeout_ms <= 0)
		timeout_ms = DEFAULT_START_TIMEOUT_MS;
	struct vm_session *s = xcalloc(1, sizeof(*s));
	s->launch = l;
	s->powerdown_timeout_ms = DEFAULT_POWERDOWN_TIMEOUT_MS;
	s->quit_timeout_ms = DEFAULT_QUIT_TIMEOUT_MS;
	const char *env = getenv("VMPLAY_POWERDOWN_TIMEOUT");
	if (env && *env) {
		char *end;
		double secs = strtod(env, &end);
		/* Written so that NaN fails too. */
		if (*end || !(secs >= 0 && secs <= 86400))
			log_warn(_("VMPLAY_POWERDOWN_TIMEOUT='%s' is not a number "
				 "of seconds (0 to 86400); using %d"), env,
				 DEFAULT_POWERDOWN_TIMEOUT_MS / 1000);
		else
			s->powerdown_timeout_ms = (int)(secs * 1000);
	}
	char *qerr = NULL;
	s->qmp = qmp_connect(launch_qmp_socket(l), timeout_ms, &qerr);
	if (!s->qmp) {
		int status;
		if (launch_wait(l, 200, &status)) {
			char *how = launch_describe_status(status);
			const char *tail = launch_stderr(l);
			/* TRANSLATORS: %s is "exited with status 1", "was
			 * killed by signal 9 (Killed)"...; QEMU's own
			 * output follows on the next lines */
			*error = *tail ? xasprintf(_("QEMU %s:\n%s"), how, tail)
				       : xasprintf(_("QEMU %s"), how);
			free(how);
		} else {
			*error = xasprintf("%s", qerr);
		}
		free(qerr);
		vm_session_destroy(s);
		return NULL;
	}
	qmp_set_event_handler(s->qmp, on_event, s);
	char *status = qmp_query_status(s->qmp, timeout_ms);
	s->state = status ? vm_state_of_status(status) : VM_STATE_PAUSED;
	free(status);
	return s;
}

struct vm_session *vm_session_start(const struct vm_config *cfg,
				    int timeout_ms, char **error)
{
	/* Writes to a QEMU that just died must fail with EPIPE, not kill us
	 * (libvncclient writes with plain write()). */
	signal(SIGPIPE, SIG_IGN);
	if (timeout_ms <= 0)
		timeout_ms = DEFAULT_START_TIMEOUT_MS;
	uint64_t start = now_ms();
	struct launch *l = launch_start(cfg, timeout_ms, error);
	if (!l)
		return NULL;
	uint64_t used = now_ms() - start;
	int left = used >= (uint64_t)timeout_ms ? 1 : timeout_ms - (int)used;
	return vm_session_attach(l, left, error);
}

struct vm_session *vm_session_start_spawned(struct launch *l, int timeout_ms,
					    char **error)
{
	signal(SIGPIPE, SIG_IGN);   /* as in vm_session_start */
	if (timeout_ms <= 0)
		timeout_ms = DEFAULT_START_TIMEOUT_MS;
	uint64_t start = now_ms();
	if (!launch_wait_ready(l, timeout_ms, error)) {
		launch_destroy(l);
		return NULL;
	}
	uint64_t used = now_ms() - start;
	int left = used >= (uint64_t)timeout_ms ? 1 : timeout_ms - (int)used;
	return vm_session_attach(l, left, error);
}

void vm_session_set_listener(struct vm_session *s,
			     const struct vm_session_listener *listener)
{
	if (listener)
		s->listener = *listener;
	else
		memset(&s->listener, 0, sizeof(s->listener));
}

void vm_session_set_powerdown_timeout(struct vm_session *s, int ms)
{
	s->powerdown_timeout_ms = ms < 0 ? 0 : ms;
}

void vm_session_set_quit_timeout(struct vm_session *s, int ms)
{
	s->quit_timeout_ms = ms < 0 ? 0 : ms;
}

int vm_session_pollfds(const struct vm_session *s, struct pollfd *fds, int max)
{
	int n = 0;
	if (s->qmp && n < max)
		fds[n++] = (struct pollfd){ .fd = qmp_fd(s->qmp),
					    .events = POLLIN };
	if (!s->exited && launch_exit_fd(s->launch) >= 0 && n < max)
		fds[n++] = (struct pollfd){ .fd = launch_exit_fd(s->launch),
					    .events = POLLIN };
	return n;
}

int vm_session_timeout_ms(const struct vm_session *s)
{
	if (s->exited)
		return -1;
	int t = -1;
	if (s->deadline) {
		uint64_t now = now_ms();
		t = now >= s->deadline ? 0
			: (int)(s->deadline - now > INT32_MAX
					? INT32_MAX : s->deadline - now);
	}
	if (launch_exit_fd(s->launch) < 0 && (t < 0 || t > EXIT_POLL_MS))
		t = EXIT_POLL_MS;
	return t;
}

static void run_deadline(struct vm_session *s)
{
	enum deadline_kind kind = s->deadline_kind;
	arm(s, DEADLINE_NONE, 0);
	char *why;
	switch (kind) {
	case DEADLINE_POWERDOWN:
		why = xasprintf(_("the guest did not shut down within %g s; "
				"stopping QEMU"), s->powerdown_timeout_ms / 1000.0);
		log_info("%s", why);
		free(why);
		vm_session_quit(s);
		break;
	case DEADLINE_SHUTDOWN:
		log_info(_("QEMU did not exit after the guest shut down; "
			 "stopping it"));
		vm_session_quit(s);
		break;
	case DEADLINE_QUIT:
		log_warn(_("QEMU did not stop within %g s; killing it"),
			 s->quit_timeout_ms / 1000.0);
		vm_session_kill(s);
		break;
	case DEADLINE_NONE:
		break;
	}
}

void vm_session_dispatch(struct vm_session *s)
{
	if (s->exited)
		return;
	if (s->qmp && !qmp_dispatch(s->qmp)) {
		/* QEMU closed QMP: it is on its way out (the exit fd tells
		 * when); without QMP, stop requests use signals. */
		log_debug("QMP connection closed");
		qmp_destroy(s->qmp);
		s->qmp = NULL;
	}
	int status;
	if (launch_reap(s->launch, &status)) {
		finish(s, status);
		return;
	}
	if (s->deadline && now_ms() >= s->deadline)
		run_deadline(s);
}

enum vm_state vm_session_state(const struct vm_session *s)
{
	return s->state;
}

bool vm_session_exited(const struct vm_session *s)
{
	return s->exited;
}

bool vm_session_quit(struct vm_session *s)
{
	if (s->exited)
		return false;
	s->stop_requested = true;
	if (!send_async(s, "quit"))
		launch_signal(s->launch, SIGTERM);
	arm(s, DEADLINE_QUIT, s->quit_timeout_ms);
	set_state(s, VM_STATE_STOPPING, _("stopping QEMU"));
	return true;
}

void vm_session_kill(struct vm_session *s)
{
	if (s->exited)
		return;
	s->stop_requested = true;
	launch_signal(s->launch, SIGKILL);
	arm(s, DEADLINE_NONE, 0);
	set_state(s, VM_STATE_STOPPING, _("killing QEMU"));
}

bool vm_session_powerdown(struct vm_session *s)
{
	if (s->exited)
		return false;
	if (s->state == VM_STATE_PRELAUNCH || !s->qmp)
		return vm_session_quit(s);
	s->stop_requested = true;
	if (s->state == VM_STATE_PAUSED)
		send_async(s, "cont");
	if (!send_async(s, "system_powerdown"))
		return vm_session_quit(s);
	arm(s, DEADLINE_POWERDOWN, s->powerdown_timeout_ms);
	set_state(s, VM_STATE_POWERING_DOWN, _("asked the guest to shut down"));
	return true;
}

enum vm_state vm_session_request_stop(struct vm_session *s)
{
	switch (s->state) {
	case VM_STATE_RUNNING:
	case VM_STATE_PAUSED:
		vm_session_powerdown(s);
		break;
	case VM_STATE_PRELAUNCH:
	case VM_STATE_POWERING_DOWN:
		vm_session_quit(s);
		break;
	case VM_STATE_STOPPING:
		vm_session_kill(s);
		break;
	case VM_STATE_EXITED:
		break;
	}
	return s->state;
}

bool vm_session_pause(struct vm_session *s)
{
	return send_async(s, "stop");
}

bool vm_session_resume(struct vm_session *s)
{
	return send_async(s, "cont");
}

void vm_session_wait(struct vm_session *s)
{
	while (!s->exited) {
		struct pollfd fds[2];
		int n = vm_session_pollfds(s, fds, 2);
		int t = vm_session_timeout_ms(s);
		if (poll(fds, (nfds_t)n, t) < 0 && errno != EINTR)
			break;
		vm_session_dispatch(s);
	}
}

enum vm_outcome vm_session_outcome(const struct vm_session *s)
{
	return s->outcome;
}

int vm_session_wait_status(const struct vm_session *s)
{
	return s->wait_status;
}

char *vm_session_describe_exit(struct vm_session *s)
{
	switch (s->outcome) {
	case VM_OUTCOME_NONE:
		return xstrdup(_("QEMU is still running"));
	case VM_OUTCOME_POWEROFF:
		if (s->guest_shutdown)
			return xstrdup(_("the guest powered off"));
		return xasprintf(_("QEMU ended (%s)"), s->shutdown_reason
			? s->shutdown_reason : _("exit status 0"));
	case VM_OUTCOME_STOPPED:
		return xstrdup(_("QEMU was stopped"));
	case VM_OUTCOME_FAILED:
		break;
	}
	char *how = launch_describe_status(s->wait_status);
	const char *tail = launch_stderr(s->launch);
	char *msg = *tail ? xasprintf(_("QEMU %s:\n%s"), how, tail)
			  : xasprintf(_("QEMU %s"), how);
	free(how);
	return msg;
}

struct launch *vm_session_launch(struct vm_session *s)
{
	return s->launch;
}

struct qmp *vm_session_qmp(struct vm_session *s)
{
	return s->qmp;
}

void vm_session_destroy(struct vm_session *s)
{
	if (!s)
		return;
	/* The caller is going away: no more callbacks into it. */
	memset(&s->listener, 0, sizeof(s->listener));
	if (!s->exited && s->launch) {
		if (s->deadline_kind != DEADLINE_QUIT)
			vm_session_quit(s);
		vm_session_wait(s);
	}
	qmp_destroy(s->qmp);
	launch_destroy(s->launch);
	free(s->shutdown_reason);
	free(s);
}
