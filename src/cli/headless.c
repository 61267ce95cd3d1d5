/* vmplay --headless FILE: the VM without a window. One poll() waits for
 * QMP, QEMU's exit (pidfd) and SIGINT/SIGTERM (a signalfd, so the signals
 * are handled in the loop rather than in a handler). The shutdown sequence
 * itself lives in vm_session.c, shared with the player.
 *
 * Exit status: 0 when the guest powered off (or QEMU ended normally);
 * 128+N when vmplay stopped QEMU after signal N because the guest did not
 * shut down (130 for Ctrl+C, 143 for SIGTERM); 1 when QEMU failed to start
 * or failed while running (its stderr is printed).
 *
 * `vmplay snapshot take|restore|delete FILE` from another terminal
 * reaches the loop through the instance socket (instance.h) and runs
 * through vm_actions, as the player's menu does (snapshot_requests.h). */
#include "cli/commands.h"

#include "base/i18n.h"
#include "base/log.h"
#include "base/stop_signals.h"
#include "vm/instance.h"
#include "vm/launch.h"
#include "vm/snapshot_requests.h"
#include "vm/vm_actions.h"
#include "vm/vm_session.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct headless {
	const char *name;
	int last_signal;
	struct vm_actions *actions;
	struct snapshot_requests *requests;
};

static void on_event(void *user, const char *event, struct json_object *data)
{
	struct headless *h = user;
	/* snapshot jobs end with JOB_STATUS_CHANGE */
	vm_actions_handle_event(h->actions, event, data);
}

static void on_note(void *user, enum vm_note kind, const char *text)
{
	struct headless *h = user;
	/* errors are already logged (vm_actions warns) */
	if (kind != VM_NOTE_ERROR)
		log_info("%s: %s", h->name, text);
	snapshot_requests_note(h->requests, kind, text);
}

static void run_snapshot(void *user, enum snapshot_request_action action,
			 const char *name)
{
	struct headless *h = user;
	switch (action) {
	case SNAPSHOT_REQUEST_TAKE:
		vm_actions_snapshot_take(h->actions, name);
		break;
	case SNAPSHOT_REQUEST_RESTORE:
		vm_actions_snapshot_restore(h->actions, name);
		break;
	case SNAPSHOT_REQUEST_DELETE:
		vm_actions_snapshot_delete(h->actions, name);
		break;
	}
}

/* Snapshot commands other vmplays sent, queued for the loop. */
static void take_requests(struct headless *h, struct instance *in)
{
	instance_dispatch(in);   /* "raise": there is no window */
	int fd;
	char *line;
	while (instance_next_request(in, &fd, &line)) {
		snapshot_requests_add(h->requests, fd, line);
		free(line);
	}
}

static void on_state(void *user, enum vm_state state, const char *why)
{
	struct headless *h = user;
	switch (state) {
	case VM_STATE_POWERING_DOWN:
		/* TRANSLATORS: %1$s the VM's name, %2$s what is happening
		 * (the guest shuts down...). */
		log_info(_("%s: %s; Ctrl+C again to stop it now"), h->name,
			 why);
		break;
	case VM_STATE_STOPPING:
		if (h->last_signal)
			log_info(_("%s: %s; Ctrl+C again to kill it"), h->name,
				 why);
		else
			log_info("%s: %s", h->name, why);
		break;
	case VM_STATE_EXITED:
		break;   /* reported once at the end */
	default:
		log_info("%s: %s", h->name, why);
		break;
	}
}

int headless_run(const struct vm_config *cfg, struct instance *instance)
{
	struct headless h = { .name = cfg->name };
	char *error = NULL;
	if (!config_check_files(cfg, &error)) {
		fprintf(stderr, "%s\n", error);
		free(error);
		return 1;
	}
	free(error);
	error = NULL;

	struct stop_signals sig;
	if (!stop_signals_open(&sig, stop_signals_default))
		return 1;

	int status = 1;
	struct vm_session *s = vm_session_start(cfg, 0, &error);
	if (!s) {
		log_error("%s: %s", cfg->name, error);
		free(error);
		goto out;
	}
	vm_session_set_listener(s, &(struct vm_session_listener){
		.state_changed = on_state, .event = on_event, .user = &h });
	h.actions = vm_actions_create(cfg, s, &(struct vm_actions_listener){
		.note = on_note, .user = &h });
	h.requests = snapshot_requests_create(&(struct snapshot_target){
		.run = run_snapshot, .user = &h });
	/* TRANSLATORS: %1$s the VM's name, %2$s its state (running...),
	 * %3$s the folder of its sockets. */
	printf(_("%s: %s, runtime folder %s\n"), cfg->name,
	       vm_state_name(vm_session_state(s)),
	       launch_runtime_dir(vm_session_launch(s)));
	fflush(stdout);

	while (!vm_session_exited(s)) {
		struct pollfd fds[4];
		int n = vm_session_pollfds(s, fds, 2);
		fds[n++] = (struct pollfd){ .fd = sig.fd, .events = POLLIN };
		if (instance_fd(instance) >= 0)
			fds[n++] = (struct pollfd){ .fd = instance_fd(instance),
						    .events = POLLIN };
		if (poll(fds, (nfds_t)n, vm_session_timeout_ms(s)) < 0 &&
		    errno != EINTR) {
			log_error("poll: %s", strerror(errno));
			break;
		}
		int signo;
		while ((signo = stop_signals_take(&sig)) != 0) {
			h.last_signal = signo;
			log_debug("got signal %d", signo);
			vm_session_request_stop(s);
		}
		vm_session_dispatch(s);
		take_requests(&h, instance);
		snapshot_requests_tick(h.requests);
	}

	char *how = vm_session_describe_exit(s);
	switch (vm_session_outcome(s)) {
	case VM_OUTCOME_POWEROFF:
		log_info("%s: %s", cfg->name, how);
		status = 0;
		break;
	case VM_OUTCOME_STOPPED:
		log_info("%s: %s", cfg->name, how);
		status = h.last_signal ? 128 + h.last_signal : 1;
		break;
	default:
		log_error("%s: %s", cfg->name, how);
		status = 1;
		break;
	}
	free(how);
out:
	snapshot_requests_destroy(h.requests);
	vm_actions_destroy(h.actions);
	vm_session_destroy(s);
	stop_signals_close(&sig);
	return status;
}
