/* See libvirt_watch.h.
 *
 * One mutex guards every slot (the threads only hold it to publish a
 * result or to sleep); each slot is shared by its thread and the watch
 * and freed by whichever lets go of it last, so that stopping the watch
 * never waits for a thread stuck in libvirt. */
#include "vm/libvirt_watch.h"

#include "base/i18n.h"
#include "base/log.h"
#include "base/util.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
/* Broadcast whenever a slot publishes (libvirt_watch_wait). */
static pthread_cond_t published = PTHREAD_COND_INITIALIZER;

struct slot {
	char *name, *uri;
	int interval_ms, retry_ms;
	int refs;                 /* the thread's and the watch's */
	bool stop;                /* the watch let go */
	bool again;               /* refresh asked: do not sleep */
	pthread_cond_t wake;
	/* what the thread found last */
	enum libvirt_watch_status status;
	char *message;
	uint64_t since_ms;
	struct libvirt_domain_info *domains;
	int n_domains;
	unsigned gen;
};

struct libvirt_watch {
	struct slot **slots;
	size_t n;
};

static void slot_clear_result(struct slot *s)
{
	libvirt_domains_free(s->domains, s->n_domains);
	s->domains = NULL;
	s->n_domains = 0;
	free(s->message);
	s->message = NULL;
}

/* Under the lock. */
static void slot_unref(struct slot *s)
{
	if (--s->refs > 0)
		return;
	slot_clear_result(s);
	pthread_cond_destroy(&s->wake);
	free(s->name);
	free(s->uri);
	free(s);
}

/* ms from now on clock, for pthread_cond_timedwait. */
static struct timespec deadline(clockid_t clock, int ms)
{
	struct timespec t;
	clock_gettime(clock, &t);
	t.tv_sec += ms / 1000;
	t.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (t.tv_nsec >= 1000000000L) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000L;
	}
	return t;
}

/* Under the lock: sleeps ms, or less when woken (refresh, stop). */
static void slot_sleep(struct slot *s, int ms)
{
	struct timespec until = deadline(CLOCK_MONOTONIC, ms);
	while (!s->stop && !s->again &&
	       pthread_cond_timedwait(&s->wake, &lock, &until) != ETIMEDOUT)
		;
	s->again = false;
}

static void *slot_thread(void *arg)
{
	struct slot *s = arg;
	struct libvirt_conn *conn = NULL;
	pthread_mutex_lock(&lock);
	char *uri = xstrdup(s->uri);
	while (!s->stop) {
		pthread_mutex_unlock(&lock);
		char *error = NULL;
		struct libvirt_domain_info *doms = NULL;
		int n = -1;
		if (!conn)
			conn = libvirt_conn_open(uri, false, &error);
		if (conn) {
			n = libvirt_conn_domains(conn, &doms, &error);
			if (n < 0) {   /* gone: connect again next time */
				libvirt_conn_close(conn);
				conn = NULL;
			}
		}
		pthread_mutex_lock(&lock);
		if (s->stop) {
			libvirt_domains_free(doms, n);
			free(error);
			break;
		}
		if (n >= 0) {
			slot_clear_result(s);
			s->status = LIBVIRT_WATCH_OK;
			s->domains = doms;
			s->n_domains = n;
		} else {
			if (s->status != LIBVIRT_WATCH_FAILED ||
			    strcmp(s->message ? s->message : "", error))
				log_debug("%s: %s", s->name, error);
			slot_clear_result(s);
			if (s->status != LIBVIRT_WATCH_FAILED)
				s->since_ms = now_ms();
			s->status = LIBVIRT_WATCH_FAILED;
			s->message = error;
			error = NULL;
		}
		free(error);
		s->gen++;
		pthread_cond_broadcast(&published);
		slot_sleep(s, conn ? s->interval_ms : s->retry_ms);
	}
	slot_unref(s);
	pthread_mutex_unlock(&lock);
	libvirt_conn_close(conn);
	free(uri);
	return NULL;
}

struct libvirt_watch *libvirt_watch_start(const struct vm_connection *list,
					  size_t n, int interval_ms,
					  int retry_ms)
{
	struct libvirt_watch *w = xcalloc(1, sizeof(*w));
	w->slots = xcalloc(n ? n : 1, sizeof(*w->slots));
	/* the threads must not take the signals their process waits for
	 * (the player's signalfd; SIGINT in `vmplay list`) */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	for (size_t i = 0; i < n; i++) {
		struct slot *s = xcalloc(1, sizeof(*s));
		s->name = xstrdup(list[i].name);
		s->uri = xstrdup(list[i].uri);
		s->interval_ms = interval_ms;
		s->retry_ms = retry_ms;
		s->status = LIBVIRT_WATCH_CONNECTING;
		s->since_ms = now_ms();
		s->refs = 2;
		pthread_condattr_t attr;
		pthread_condattr_init(&attr);
		pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
		pthread_cond_init(&s->wake, &attr);
		pthread_condattr_destroy(&attr);
		pthread_t t;
		if (pthread_create(&t, NULL, slot_thread, s) == 0) {
			pthread_detach(t);
		} else {
			s->refs = 1;
			s->status = LIBVIRT_WATCH_FAILED;
			s->message = xstrdup(_("cannot start a thread"));
		}
		w->slots[w->n++] = s;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return w;
}

void libvirt_watch_stop(struct libvirt_watch *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < w->n; i++) {
		w->slots[i]->stop = true;
		pthread_cond_signal(&w->slots[i]->wake);
		slot_unref(w->slots[i]);
	}
	pthread_mutex_unlock(&lock);
	free(w->slots);
	free(w);
}

bool libvirt_watch_same(const struct libvirt_watch *w,
			const struct vm_connection *list, size_t n)
{
	if (!w || w->n != n)
		return false;
	/* name and uri never change after the start: no lock needed */
	for (size_t i = 0; i < n; i++)
		if (strcmp(w->slots[i]->name, list[i].name) ||
		    strcmp(w->slots[i]->uri, list[i].uri))
			return false;
	return true;
}

unsigned libvirt_watch_generation(struct libvirt_watch *w)
{
	unsigned gen = 0;
	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < w->n; i++)
		gen += w->slots[i]->gen;
	pthread_mutex_unlock(&lock);
	return gen;
}

size_t libvirt_watch_get(struct libvirt_watch *w,
			 struct libvirt_watch_conn **out)
{
	*out = xcalloc(w->n ? w->n : 1, sizeof(**out));
	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < w->n; i++) {
		const struct slot *s = w->slots[i];
		struct libvirt_watch_conn *c = &(*out)[i];
		c->name = xstrdup(s->name);
		c->uri = xstrdup(s->uri);
		c->status = s->status;
		c->message = s->message ? xstrdup(s->message) : NULL;
		c->since_ms = s->since_ms;
		c->n_domains = s->n_domains;
		c->domains = xcalloc((size_t)s->n_domains + 1,
				     sizeof(*c->domains));
		for (int d = 0; d < s->n_domains; d++)
			c->domains[d] = (struct libvirt_domain_info){
				xstrdup(s->domains[d].name),
				xstrdup(s->domains[d].uuid),
				s->domains[d].state };
	}
	pthread_mutex_unlock(&lock);
	return w->n;
}

void libvirt_watch_free(struct libvirt_watch_conn *list, size_t n)
{
	for (size_t i = 0; list && i < n; i++) {
		free(list[i].name);
		free(list[i].uri);
		free(list[i].message);
		libvirt_domains_free(list[i].domains, list[i].n_domains);
	}
	free(list);
}

void libvirt_watch_refresh(struct libvirt_watch *w)
{
	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < w->n; i++) {
		w->slots[i]->again = true;
		pthread_cond_signal(&w->slots[i]->wake);
	}
	pthread_mutex_unlock(&lock);
}

static bool all_answered(const struct libvirt_watch *w)
{
	for (size_t i = 0; i < w->n; i++)
		if (w->slots[i]->status == LIBVIRT_WATCH_CONNECTING)
			return false;
	return true;
}

bool libvirt_watch_wait(struct libvirt_watch *w, int timeout_ms)
{
	/* published is a plain (realtime) condition: the deadline is on
	 * that clock */
	struct timespec until = deadline(CLOCK_REALTIME, timeout_ms);
	pthread_mutex_lock(&lock);
	bool done;
	while (!(done = all_answered(w)) &&
	       pthread_cond_timedwait(&published, &lock, &until) != ETIMEDOUT)
		;
	pthread_mutex_unlock(&lock);
	return done;
}
