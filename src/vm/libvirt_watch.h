/* The domains of the user's libvirt connections ([connections] in
 * vmplay.ini), kept current in the background for the library window and
 * `vmplay list`. No SDL here.
 *
 * Each connection has a thread of its own that connects, lists the
 * domains with their states, and lists them again every interval over
 * the same connection; a connection that fails is tried again a little
 * later. The owner never waits for libvirt: it takes a copy of what the
 * threads found last (libvirt_watch_get) whenever the generation
 * changes. A slow or unreachable host only keeps its own entry at
 * "connecting"; stopping the watch never waits for a thread stuck in a
 * connect (it finishes, and frees its part, on its own). */
#ifndef VMPLAY_LIBVIRT_WATCH_H
#define VMPLAY_LIBVIRT_WATCH_H

#include "vm/config.h"
#include "vm/libvirt_machine.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum libvirt_watch_status {
	LIBVIRT_WATCH_CONNECTING,   /* no answer yet */
	LIBVIRT_WATCH_OK,           /* domains holds the last list */
	LIBVIRT_WATCH_FAILED,       /* message says why; tried again */
};

/* One connection as last seen (a copy: the owner's to read and free). */
struct libvirt_watch_conn {
	char *name;                 /* [connections] NAME */
	char *uri;                  /* its URI */
	enum libvirt_watch_status status;
	char *message;              /* FAILED: libvirt's message, as libvirt
				     * says it (without the URI) */
	uint64_t since_ms;          /* now_ms() of the first try (CONNECTING)
				     * or of the failure (FAILED) */
	struct libvirt_domain_info *domains;   /* sorted by name */
	int n_domains;
};

struct libvirt_watch;

/* Starts following the n connections (copied), listing each every
 * interval_ms once connected, trying a failed one again every
 * retry_ms. n may be 0. */
struct libvirt_watch *libvirt_watch_start(const struct vm_connection *list,
					  size_t n, int interval_ms,
					  int retry_ms);
/* Lets the threads go (never waits for them). Accepts NULL. */
void libvirt_watch_stop(struct libvirt_watch *w);

/* Whether the watch follows exactly these connections (same names and
 * URIs, same order): the library restarts it when vmplay.ini changed. */
bool libvirt_watch_same(const struct libvirt_watch *w,
			const struct vm_connection *list, size_t n);

/* Changes whenever a thread found something new (a list, a state, a
 * failure): cheap, for the owner's loop. */
unsigned libvirt_watch_generation(struct libvirt_watch *w);
/* A copy of every connection as last seen, in [connections] order;
 * returns how many. Free with libvirt_watch_free. */
size_t libvirt_watch_get(struct libvirt_watch *w,
			 struct libvirt_watch_conn **out);
void libvirt_watch_free(struct libvirt_watch_conn *list, size_t n);

/* Asks every thread to list (or connect) again now (F5 in the library). */
void libvirt_watch_refresh(struct libvirt_watch *w);
/* Waits until no connection is CONNECTING any more, or timeout_ms
 * passed: true when all answered (for `vmplay list`). */
bool libvirt_watch_wait(struct libvirt_watch *w, int timeout_ms);

#endif
