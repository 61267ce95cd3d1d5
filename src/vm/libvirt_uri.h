/* What vmplay needs to know about a libvirt URI by itself: whether it
 * reaches the host through SSH, and how to open a second SSH channel to
 * the same place (the display tunnel) with the options libvirt uses.
 * Pure functions, unit-tested. */
#ifndef VMPLAY_LIBVIRT_URI_H
#define VMPLAY_LIBVIRT_URI_H

#include "base/util.h"

#include <stdbool.h>

struct libvirt_ssh {
	char *user;         /* NULL: ssh's default */
	char *host;
	char *port;         /* NULL: 22 */
	char *keyfile;      /* ?keyfile= */
	char *known_hosts;  /* ?known_hosts= */
	bool no_verify;     /* ?no_verify=1 */
	char *netcat;       /* ?netcat= (the remote nc), NULL: "nc" */
};

/* true when uri uses an SSH transport (qemu+ssh://, +libssh, +libssh2)
 * and names a host; out filled (free with libvirt_ssh_free). */
bool libvirt_uri_ssh(const char *uri, struct libvirt_ssh *out);
void libvirt_ssh_free(struct libvirt_ssh *s);

/* The host part of a URI ("" for a local one such as qemu:///system),
 * for messages. Caller frees. */
char *libvirt_uri_host(const char *uri);

/* The ssh command line (pushed onto argv) that connects its stdin and
 * stdout to the VNC server of the remote domain: its unix socket (socket
 * != NULL) or address:port as seen from the remote host. */
void libvirt_ssh_argv(const struct libvirt_ssh *s, const char *socket,
		      const char *address, int port, struct strv *argv);

#endif
