/* The library window's libvirt part: the domains of the connections in
 * vmplay.ini's [connections], shown beside the VM files under their
 * connection's name, with their state kept current by vm/libvirt_watch.c
 * (threads of its own: a slow or unreachable host never holds the
 * window), and played as `vmplay --connect URI DOMAIN`. */
#include "player/library_impl.h"

#include "base/i18n.h"
#include "base/log.h"
#include "base/util.h"
#include "vm/config.h"

#include <stdlib.h>
#include <string.h>

/* A connected host is listed again this often (a state changed in virsh
 * shows within it); one that failed is tried again after the longer
 * wait. */
#define LIST_EVERY_MS 2000
#define RETRY_EVERY_MS 10000

void library_conns_free(struct win *w)
{
	libvirt_watch_stop(w->watch);
	w->watch = NULL;
	libvirt_watch_free(w->conns, w->n_conns);
	w->conns = NULL;
	w->n_conns = 0;
	free(w->conns_error);
	w->conns_error = NULL;
}

void library_conns_load(struct win *w)
{
	char *path = config_user_file();
	struct vm_connection *list = NULL;
	size_t n = 0;
	char *error = NULL;
	if (path && !config_load_user_connections(path, &list, &n, &error)) {
		/* keep following what was read before; say it once */
		if (!w->conns_error || strcmp(w->conns_error, error))
			library_note(w, TOAST_ERROR, error);
		free(w->conns_error);
		w->conns_error = error;
		free(path);
		return;
	}
	free(path);
	free(w->conns_error);
	w->conns_error = NULL;
	if (!(w->watch ? libvirt_watch_same(w->watch, list, n) : n == 0)) {
		log_debug("library: following %zu libvirt connection%s", n,
			  n == 1 ? "" : "s");
		char *keep = library_selection_key(w);
		libvirt_watch_stop(w->watch);
		w->watch = n ? libvirt_watch_start(list, n, LIST_EVERY_MS,
						   RETRY_EVERY_MS)
			     : NULL;
		libvirt_watch_free(w->conns, w->n_conns);
		w->conns = NULL;
		w->n_conns = 0;
		w->watch_gen = 0;
		if (w->watch)
			w->n_conns = libvirt_watch_get(w->watch, &w->conns);
		library_rows_build(w, keep);
		free(keep);
	}
	config_free_connections(list, n);
}

/* For --verbose (and the tests): what the window shows changing. */
static void log_changes(const struct libvirt_watch_conn *before, size_t n0,
			const struct libvirt_watch_conn *now, size_t n)
{
	static const char *const words[] = {
		[LIBVIRT_WATCH_CONNECTING] = "connecting",
		[LIBVIRT_WATCH_OK] = "connected",
		[LIBVIRT_WATCH_FAILED] = "cannot connect",
	};
	for (size_t i = 0; i < n; i++) {
		const struct libvirt_watch_conn *b = i < n0 ? &before[i] : NULL;
		const struct libvirt_watch_conn *c = &now[i];
		if (!b || b->status != c->status)
			log_debug("library: %s: %s%s%s", c->name,
				  words[c->status], c->message ? ": " : "",
				  c->message ? c->message : "");
		for (int d = 0; d < c->n_domains; d++) {
			const char *was = NULL;
			for (int e = 0; b && e < b->n_domains && !was; e++)
				if (!strcmp(b->domains[e].name, c->domains[d].name))
					was = b->domains[e].state;
			if (was != c->domains[d].state)
				log_debug("library: %s: %s %s", c->name,
					  c->domains[d].name,
					  c->domains[d].state);
		}
	}
}

void library_conns_poll(struct win *w)
{
	if (!w->watch)
		return;
	unsigned gen = libvirt_watch_generation(w->watch);
	if (gen == w->watch_gen)
		return;
	w->watch_gen = gen;
	struct libvirt_watch_conn *conns = NULL;
	size_t n = libvirt_watch_get(w->watch, &conns);
	/* the same lists and states: nothing to draw (a host answers every
	 * LIST_EVERY_MS) */
	bool same = n == w->n_conns;
	for (size_t i = 0; same && i < n; i++) {
		const struct libvirt_watch_conn *a = &conns[i], *b = &w->conns[i];
		same = a->status == b->status && a->n_domains == b->n_domains &&
		       !strcmp(a->message ? a->message : "",
			       b->message ? b->message : "");
		for (int d = 0; same && d < a->n_domains; d++)
			same = !strcmp(a->domains[d].name, b->domains[d].name) &&
			       a->domains[d].state == b->domains[d].state;
	}
	if (same) {
		libvirt_watch_free(conns, n);
		return;
	}
	log_changes(w->conns, w->n_conns, conns, n);
	char *keep = library_selection_key(w);
	libvirt_watch_free(w->conns, w->n_conns);
	w->conns = conns;
	w->n_conns = n;
	library_rows_build(w, keep);
	free(keep);
}

bool library_conns_waiting(const struct win *w)
{
	for (size_t i = 0; i < w->n_conns; i++)
		if (w->conns[i].status == LIBVIRT_WATCH_CONNECTING)
			return true;
	return false;
}

void library_play_domain(struct win *w)
{
	const struct libvirt_watch_conn *c = NULL;
	const struct libvirt_domain_info *d = library_selected_domain(w, &c);
	if (!d)
		return;
	/* by name, as a person would type it; "--" keeps a name that starts
	 * with '-' a name */
	const char *args[] = { "--connect", c->uri, "--", d->name, NULL };
	char *error = NULL;
	if (library_spawn_vmplay(args, &error)) {
		char *msg = xasprintf(_("Starting %s (%s)\xE2\x80\xA6"), d->name,
				      c->name);
		library_note(w, TOAST_INFO, msg);
		free(msg);
	} else {
		library_note(w, TOAST_ERROR, error);
	}
	free(error);
}
