/* The library's view of libvirt connections (vm/libvirt_watch.c), against
 * libvirt's own test driver (test:///default: a hypervisor inside the
 * process, one running domain "test"), a URI no driver takes, and a
 * host that accepts the connection and never answers. The window and
 * a real libvirtd are tested in tests/e2e/test_libvirt_library.sh. */
#include "test.h"

#include "base/util.h"
#include "vm/libvirt_watch.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static const struct libvirt_watch_conn *find(const struct libvirt_watch_conn *l,
					     size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(l[i].name, name))
			return &l[i];
	return NULL;
}

static void test_lists_and_fails(void)
{
	const struct vm_connection conns[] = {
		{ (char *)"here", (char *)"test:///default", 2 },
		{ (char *)"nowhere", (char *)"nosuch:///system", 3 },
	};
	struct libvirt_watch *w = libvirt_watch_start(conns, 2, 100, 100);
	CHECK(libvirt_watch_same(w, conns, 2));
	CHECK(!libvirt_watch_same(w, conns, 1));
	CHECK(libvirt_watch_wait(w, 10000));
	unsigned gen = libvirt_watch_generation(w);
	struct libvirt_watch_conn *list = NULL;
	size_t n = libvirt_watch_get(w, &list);
	CHECK_INT(n, 2);
	const struct libvirt_watch_conn *here = find(list, n, "here");
	const struct libvirt_watch_conn *nowhere = find(list, n, "nowhere");
	CHECK(here && here->status == LIBVIRT_WATCH_OK);
	if (here && here->status == LIBVIRT_WATCH_OK) {
		CHECK_STR(here->uri, "test:///default");
		CHECK_INT(here->n_domains, 1);
		CHECK_STR(here->domains[0].name, "test");
		CHECK_STR(here->domains[0].state, "running");
		CHECK_INT((int)strlen(here->domains[0].uuid), 36);
	}
	CHECK(nowhere && nowhere->status == LIBVIRT_WATCH_FAILED);
	/* libvirt's words depend on whether a daemon runs here ("no
	 * connection driver available", "Failed to connect socket") */
	CHECK(nowhere && nowhere->message && *nowhere->message);
	libvirt_watch_free(list, n);

	/* a connection of our own (the API the watch is built on) */
	struct libvirt_domain_info *doms = NULL;
	char *error = NULL;
	struct libvirt_conn *c = libvirt_conn_open("test:///default", false,
						   &error);
	CHECK(c != NULL);
	CHECK_INT(libvirt_conn_domains(c, &doms, &error), 1);
	libvirt_domains_free(doms, 1);
	libvirt_conn_close(c);
	bool moved = false;
	for (int i = 0; i < 100 && !moved; i++) {
		usleep(20000);
		moved = libvirt_watch_generation(w) != gen;
	}
	CHECK(moved);   /* listed again every interval */
	libvirt_watch_stop(w);
}

/* A host that takes the TCP connection and never says a word: the watch
 * says "connecting", and stopping it does not wait for libvirt. */
static void test_silent_host(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	CHECK(bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0);
	CHECK(listen(fd, 4) == 0);
	CHECK(getsockname(fd, (struct sockaddr *)&a, &len) == 0);
	char *uri = xasprintf("qemu+tcp://127.0.0.1:%d/system",
			      ntohs(a.sin_port));
	const struct vm_connection conns[] = { { (char *)"silent", uri, 1 } };
	uint64_t t0 = now_ms();
	struct libvirt_watch *w = libvirt_watch_start(conns, 1, 100, 100);
	CHECK(!libvirt_watch_wait(w, 500));
	struct libvirt_watch_conn *list = NULL;
	size_t n = libvirt_watch_get(w, &list);
	CHECK_INT(n, 1);
	CHECK(n == 1 && list[0].status == LIBVIRT_WATCH_CONNECTING);
	CHECK(n == 1 && list[0].since_ms >= t0);
	libvirt_watch_free(list, n);
	uint64_t t1 = now_ms();
	libvirt_watch_stop(w);
	CHECK(now_ms() - t1 < 100);
	free(uri);
	close(fd);   /* the thread's connect fails now and it goes */
}

int main(void)
{
	RUN(test_lists_and_fails);
	RUN(test_silent_host);
	return TEST_REPORT();
}
