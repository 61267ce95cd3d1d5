/* The libvirt engine of the machine seam (machine.h): a domain that
 * libvirt runs, here or on another host, played through libvirt's C API.
 *
 * The display: locally a socket from virDomainOpenGraphicsFD (QEMU's VNC
 * server hands a new client to libvirt, which passes it to us: no
 * listener needed on the domain); for an SSH URI, where descriptors cannot
 * be passed, a second SSH channel to the same host with the URI's user,
 * port and key, whose remote end (nc) connects to the domain's VNC unix
 * socket (or its loopback port). Nothing listens on TCP on our side.
 *
 * State: libvirt's lifecycle events (a pause made in virsh or
 * virt-manager shows at once), delivered by libvirt's event loop on a
 * thread of its own and handed to the caller's loop through a pipe, so
 * every callback runs on the caller's thread.
 *
 * Closing the window leaves the domain as it is (libvirt owns it), like
 * virt-viewer. */
#ifndef VMPLAY_LIBVIRT_MACHINE_H
#define VMPLAY_LIBVIRT_MACHINE_H

#include "vm/machine.h"

#include <stdbool.h>
#include <stddef.h>

/* Who answers the questions libvirt asks while connecting (a key's
 * passphrase for qemu+libssh2:// or qemu+libssh://, a SASL user name and
 * password): ask gets libvirt's question and whether the answer is a
 * secret (not to be shown), and returns the answer (malloc'd) or NULL
 * when the user declines, which fails the connection. NULL (the default):
 * libvirt's own prompts on the terminal. SSH's own prompts (qemu+ssh://
 * runs the ssh program) are ssh's: terminal or SSH_ASKPASS. */
typedef char *(*libvirt_ask_fn)(void *user, const char *question,
				bool secret);
void libvirt_set_asker(libvirt_ask_fn ask, void *user);

/* Connects to uri (NULL: LIBVIRT_DEFAULT_URI or libvirt's default),
 * authenticating through the asker above, or libvirt's default prompts
 * (terminal; polkit's agent), and finds domain by name, UUID or id. NULL with *error
 * (malloc'd) saying what failed in libvirt's words. *name gets the
 * domain's name (malloc'd). */
struct machine *libvirt_machine_open(const char *uri, const char *domain,
				     char **name, char **error);

/* One domain of a connection, for the library. */
struct libvirt_domain_info {
	char *name;
	char *uuid;
	/* "running", "paused", "shut off", "shutting down", "crashed",
	 * "suspended", "blocked" or "unknown": static, English (N_(), shown
	 * through _()) */
	const char *state;
};

/* A connection kept open to ask it again and again (the library follows
 * its domains' states). prompt: credentials libvirt asks for are asked on
 * the terminal (libvirt's default prompts); false: refused, which fails
 * the connection with libvirt's message (a background thread has nobody
 * to ask). NULL with *error: libvirt's message as it is (the caller
 * names the URI). A connection belongs to one thread at a time. */
struct libvirt_conn;
struct libvirt_conn *libvirt_conn_open(const char *uri, bool prompt,
				       char **error);
/* Its domains (active and defined) sorted by name; how many, or -1 with
 * *error (libvirt's message) when the connection no longer answers
 * (close it, open again).
 * Free with libvirt_domains_free. */
int libvirt_conn_domains(struct libvirt_conn *c,
			 struct libvirt_domain_info **out, char **error);
void libvirt_conn_close(struct libvirt_conn *c);   /* accepts NULL */

/* Lists uri's domains once (open, list, close). Returns how many, or -1
 * with *error. Free with libvirt_domains_free. */
int libvirt_list_domains(const char *uri, struct libvirt_domain_info **out,
			 char **error);
void libvirt_domains_free(struct libvirt_domain_info *list, int n);

/* The libvirt library version ("9.0.0"), for vmplay check. */
const char *libvirt_library_version(void);
/* Whether a libvirt daemon answers at uri, asked read-only (no
 * authentication prompt): true with *detail "QEMU 7.2.0, 3 domains", or
 * false with *detail libvirt's message. Caller frees *detail. */
bool libvirt_probe(const char *uri, char **detail);

#endif
