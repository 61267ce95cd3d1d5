/* The kiosk's restart supervisor (supervisor.h) and its headless loop.
 *
 * reset = true is QEMU's -snapshot (qemu_args.c adds it for a kiosk) rather
 * than overlays vmplay would make: QEMU creates the temporary overlay
 * itself, unlinked as soon as it is open, so nothing is left behind even
 * when vmplay or QEMU is killed, and the configured images are opened
 * read-only, which QEMU's image lock enforces against anyone else too. */
#include "vm/supervisor.h"

#include "base/i18n.h"
#include "base/log.h"
#include "base/stop_signals.h"
#include "base/util.h"
#include "vm/launch.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define START_TIMEOUT_MS 30000

struct supervisor {
	const struct vm_config *cfg;
	struct kiosk *kiosk;
	struct supervisor_listener listener;

	struct vm_session *session;
	uint64_t session_started;
	unsigned starts;
	uint64_t restart_at;     /* 0: no restart scheduled */
	bool stopping;           /* stop requested: no more restarts */
	bool gave_up;
};

/* ---- one QEMU ---- */

/* ---- the supervisor ---- */

struct supervisor *supervisor_create(const struct vm_config *cfg,
				     struct kiosk *kiosk,
				     const struct supervisor_listener *listener)
{
	struct supervisor *sv = xcalloc(1, sizeof(*sv));
	sv->cfg = cfg;
	sv->kiosk = kiosk;
	if (listener)
		sv->listener = *listener;
	return sv;
}

static void schedule(struct supervisor *sv, long delay)
{
	if (delay < 0) {
		sv->gave_up = !sv->stopping;
		sv->restart_at = 0;
	} else {
		sv->restart_at = now_ms() + (uint64_t)delay;
	}
}

/* The delay after a run of run_ms, or -1 when stopping or giving up. */
static long next_delay(struct supervisor *sv, uint64_t run_ms)
{
	if (sv->stopping)
		return -1;
	long delay = kiosk_restart_delay(sv->kiosk, run_ms);
	if (delay < 0)
		log_error(_("%s: stopped %u times in a row within a minute of "
			  "starting; giving up ([kiosk] max-restarts = %u)"),
			  sv->cfg->name, kiosk_restart_count(sv->kiosk),
			  sv->cfg->max_restarts);
	return delay;
}

static void start_now(struct supervisor *sv)
{
	sv->restart_at = 0;
	char *error = NULL;
	sv->starts++;
	sv->session_started = now_ms();
	sv->session = vm_session_start(sv->cfg, START_TIMEOUT_MS, &error);
	if (!sv->session) {
		long delay = next_delay(sv, 0);
		log_error("%s: %s", sv->cfg->name, error ? error : _("QEMU did "
			  "not start"));
		if (delay >= 0)
			log_info(_("%s: trying again in %ld ms"), sv->cfg->name,
				 delay);
		schedule(sv, delay);
		if (sv->listener.start_failed)
			sv->listener.start_failed(sv->listener.user,
						  error ? error : "", delay);
		free(error);
		return;
	}
	log_debug("%s: QEMU start %u, pid %ld", sv->cfg->name, sv->starts,
		  (long)launch_pid(vm_session_launch(sv->session)));
	if (sv->listener.started)
		sv->listener.started(sv->listener.user, sv->session, sv->starts);
}

void supervisor_start(struct supervisor *sv)
{
	if (!sv->session && !sv->stopping && !sv->gave_up)
		start_now(sv);
}

struct vm_session *supervisor_session(struct supervisor *sv)
{
	return sv->session;
}

unsigned supervisor_starts(const struct supervisor *sv)
{
	return sv->starts;
}

int supervisor_pollfds(const struct supervisor *sv, struct pollfd *fds,
		       int max)
{
	return sv->session ? vm_session_pollfds(sv->session, fds, max) : 0;
}

int supervisor_timeout_ms(const struct supervisor *sv)
{
	if (sv->session)
		return vm_session_timeout_ms(sv->session);
	if (!sv->restart_at)
		return -1;
	uint64_t now = now_ms();
	return now >= sv->restart_at ? 0 : (int)(sv->restart_at - now);
}

static void session_ended(struct supervisor *sv)
{
	struct vm_session *s = sv->session;
	uint64_t run = now_ms() - sv->session_started;
	char *why = vm_session_describe_exit(s);
	long delay = next_delay(sv, run);
	if (delay >= 0)
		log_info(_("%s: %s; starting again in %ld ms"), sv->cfg->name, why,
			 delay);
	else
		log_info("%s: %s", sv->cfg->name, why);
	schedule(sv, delay);
	if (sv->listener.ended)
		sv->listener.ended(sv->listener.user, s, delay, why);
	free(why);
	sv->session = NULL;
	vm_session_destroy(s);
}

void supervisor_dispatch(struct supervisor *sv)
{
	if (sv->session) {
		vm_session_dispatch(sv->session);
		if (vm_session_exited(sv->session))
			session_ended(sv);
	}
	if (!sv->session && sv->restart_at && !sv->stopping &&
	    now_ms() >= sv->restart_at)
		start_now(sv);
}

void supervisor_stop(struct supervisor *sv)
{
	sv->stopping = true;
	sv->restart_at = 0;
	if (sv->session)
		vm_session_request_stop(sv->session);
}

bool supervisor_finished(const struct supervisor *sv)
{
	return !sv->session && (sv->stopping || sv->gave_up);
}

int supervisor_exit_status(const struct supervisor *sv)
{
	return sv->gave_up ? 1 : 0;
}

void supervisor_destroy(struct supervisor *sv)
{
	if (!sv)
		return;
	vm_session_destroy(sv->session);
	free(sv);
}

/* ---- without a window ---- */

static void headless_started(void *user, struct vm_session *s,
			     unsigned start_no)
{
	const struct vm_config *cfg = user;
	/* One line per start, for people and scripts watching the log:
	 * scripts read it, so it stays English (po/not-translated.txt). */
	printf("%s: running (start %u, QEMU pid %ld), runtime folder %s\n",
	       cfg->name, start_no, (long)launch_pid(vm_session_launch(s)),
	       launch_runtime_dir(vm_session_launch(s)));
	fflush(stdout);
}

int kiosk_headless_run(const struct vm_config *cfg)
{
	struct stop_signals sig;
	if (!stop_signals_open(&sig, stop_signals_default))
		return 1;
	struct kiosk *k = kiosk_create(cfg);
	struct supervisor *sv = supervisor_create(cfg, k,
		&(struct supervisor_listener){ .started = headless_started,
					       .user = (void *)cfg });
	supervisor_start(sv);
	while (!supervisor_finished(sv)) {
		struct pollfd fds[3];
		int n = supervisor_pollfds(sv, fds, 2);
		fds[n++] = (struct pollfd){ .fd = sig.fd, .events = POLLIN };
		if (poll(fds, (nfds_t)n, supervisor_timeout_ms(sv)) < 0 &&
		    errno != EINTR) {
			log_error("poll: %s", strerror(errno));
			break;
		}
		int signo;
		while ((signo = stop_signals_take(&sig)) != 0) {
			log_info(_("%s: got signal %d, stopping the VM for good"),
				 cfg->name, signo);
			supervisor_stop(sv);
		}
		supervisor_dispatch(sv);
	}
	int status = supervisor_exit_status(sv);
	supervisor_destroy(sv);
	kiosk_destroy(k);
	stop_signals_close(&sig);
	return status;
}
