/* See libvirt_uri.h. */
#include "vm/libvirt_uri.h"

#include "base/util.h"

#include <stdlib.h>
#include <string.h>

static char *unescape(const char *s, size_t n)
{
	char *out = xmalloc(n + 1), *o = out;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n + 1 && s[i + 1] && s[i + 2]) {
			char hex[3] = { s[i + 1], s[i + 2], 0 };
			char *end;
			long v = strtol(hex, &end, 16);
			if (*end == '\0') {
				*o++ = (char)v;
				i += 2;
				continue;
			}
		}
		*o++ = s[i];
	}
	*o = '\0';
	return out;
}

/* The authority ("user@host:port") of scheme://authority/path?query. */
static bool split(const char *uri, const char **auth, size_t *auth_len,
		  const char **query)
{
	const char *sep = strstr(uri, "://");
	if (!sep)
		return false;
	*auth = sep + 3;
	*auth_len = strcspn(*auth, "/?");
	*query = strchr(*auth, '?');
	return true;
}

char *libvirt_uri_host(const char *uri)
{
	const char *auth, *query;
	size_t n;
	if (!split(uri, &auth, &n, &query))
		return xstrdup("");
	const char *at = memchr(auth, '@', n);
	if (at) {
		n -= (size_t)(at + 1 - auth);
		auth = at + 1;
	}
	size_t host_len = n;
	if (n && auth[0] == '[') {
		const char *close = memchr(auth, ']', n);
		host_len = close ? (size_t)(close - auth + 1) : n;
	} else {
		const char *colon = memchr(auth, ':', n);
		if (colon)
			host_len = (size_t)(colon - auth);
	}
	return unescape(auth, host_len);
}

bool libvirt_uri_ssh(const char *uri, struct libvirt_ssh *out)
{
	*out = (struct libvirt_ssh){ 0 };
	const char *plus = strchr(uri, '+');
	const char *sep = strstr(uri, "://");
	if (!plus || !sep || plus > sep)
		return false;
	size_t tlen = (size_t)(sep - plus - 1);
	if (!((tlen == 3 && !strncmp(plus + 1, "ssh", 3)) ||
	      (tlen == 6 && !strncmp(plus + 1, "libssh", 6)) ||
	      (tlen == 7 && !strncmp(plus + 1, "libssh2", 7))))
		return false;
	const char *auth, *query;
	size_t n;
	split(uri, &auth, &n, &query);
	char *host = libvirt_uri_host(uri);
	if (!*host) {
		free(host);
		return false;
	}
	out->host = host;
	const char *at = memchr(auth, '@', n);
	if (at) {
		out->user = unescape(auth, (size_t)(at - auth));
		n -= (size_t)(at + 1 - auth);
		auth = at + 1;
	}
	const char *colon = NULL;
	if (auth[0] == '[') {
		const char *close = memchr(auth, ']', n);
		if (close && close + 1 < auth + n && close[1] == ':')
			colon = close + 1;
	} else {
		colon = memchr(auth, ':', n);
	}
	if (colon && colon + 1 < auth + n)
		out->port = unescape(colon + 1, (size_t)(auth + n - colon - 1));
	for (const char *q = query ? query + 1 : NULL; q && *q;) {
		size_t len = strcspn(q, "&");
		const char *eq = memchr(q, '=', len);
		if (eq) {
			size_t klen = (size_t)(eq - q);
			char *val = unescape(eq + 1, len - klen - 1);
			char **slot = NULL;
			if (klen == 7 && !strncmp(q, "keyfile", 7))
				slot = &out->keyfile;
			else if (klen == 11 && !strncmp(q, "known_hosts", 11))
				slot = &out->known_hosts;
			else if (klen == 6 && !strncmp(q, "netcat", 6))
				slot = &out->netcat;
			else if (klen == 9 && !strncmp(q, "no_verify", 9))
				out->no_verify = strcmp(val, "0") != 0;
			if (slot) {
				free(*slot);
				*slot = val;
			} else {
				free(val);
			}
		}
		q += len;
		if (*q == '&')
			q++;
	}
	return true;
}

void libvirt_ssh_free(struct libvirt_ssh *s)
{
	free(s->user);
	free(s->host);
	free(s->port);
	free(s->keyfile);
	free(s->known_hosts);
	free(s->netcat);
	*s = (struct libvirt_ssh){ 0 };
}

void libvirt_ssh_argv(const struct libvirt_ssh *s, const char *socket,
		      const char *address, int port, struct strv *argv)
{
	strv_push(argv, "ssh");
	/* no terminal on the remote side, no escape character: the channel
	 * carries binary VNC data; nothing forwarded (agent, X11, ports) */
	strv_push_all(argv, (const char *const[]){
		"-T", "-e", "none", "-a", "-x", "-o", "ClearAllForwardings=yes",
		NULL });
	if (s->port)
		strv_push_all(argv, (const char *const[]){ "-p", s->port, NULL });
	if (s->user)
		strv_push_all(argv, (const char *const[]){ "-l", s->user, NULL });
	if (s->keyfile)
		strv_push_all(argv, (const char *const[]){ "-i", s->keyfile, NULL });
	if (s->no_verify)
		strv_push_all(argv, (const char *const[]){
			"-o", "StrictHostKeyChecking=no", NULL });
	if (s->known_hosts) {
		strv_push(argv, "-o");
		strv_pushf(argv, "UserKnownHostsFile=%s", s->known_hosts);
	}
	strv_push_all(argv, (const char *const[]){ "--", s->host, NULL });
	/* the remote side runs it through the user's login shell */
	char *nc = shell_quote(s->netcat ? s->netcat : "nc");
	if (socket) {
		char *q = shell_quote(socket);
		strv_pushf(argv, "%s -U %s", nc, q);
		free(q);
	} else {
		char *q = shell_quote(address && *address ? address : "127.0.0.1");
		strv_pushf(argv, "%s %s %d", nc, q, port);
		free(q);
	}
	free(nc);
}
