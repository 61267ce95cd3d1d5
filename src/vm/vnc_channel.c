/* See vnc_channel.h. Why not just connect to QEMU's socket: QEMU 7.2 sends
 * an update with one write() per chunk the socket accepts, and after each
 * write moves the rest of its output buffer to the front (util/buffer.c,
 * buffer_advance). A 2560x1440 frame is 14 MB; the default send buffer of
 * a unix socket (net.core.wmem_default, 208 KiB) takes ~70 writes for it,
 * and the moves add up to half a gigabyte of memmove per frame in QEMU's
 * main thread (measured with `make bench`: 18 ms of CPU per frame at
 * 2560x1440, 5 ms with an 8 MiB buffer). An accepted unix socket gets the
 * default buffer whatever the listener or the client set, so we make the
 * socket pair ourselves and give QEMU's end a big send buffer. */
#include "vm/vnc_channel.h"

#include "base/log.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* What we ask for QEMU's send buffer: a 2560x1600 frame. The kernel caps
 * it at net.core.wmem_max (208 KiB on a stock system, then doubled) and
 * only holds what we have not read yet. */
#define QEMU_SEND_BUFFER (16 << 20)
#define FD_NAME "vmplay-vnc"

int vnc_channel_open(struct qmp *q, int timeout_ms, char **error)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
		*error = xasprintf("socketpair: %s", strerror(errno));
		return -1;
	}
	int size = QEMU_SEND_BUFFER;
	if (setsockopt(sv[1], SOL_SOCKET, SO_SNDBUF, &size, sizeof(size)) < 0)
		log_debug("VNC channel: SO_SNDBUF: %s", strerror(errno));
	socklen_t len = sizeof(size);
	if (getsockopt(sv[1], SOL_SOCKET, SO_SNDBUF, &size, &len) == 0)
		log_debug("VNC channel: QEMU's send buffer is %d bytes", size);
	bool ok = qmp_pass_fd(q, sv[1], FD_NAME, timeout_ms, error);
	close(sv[1]);   /* QEMU has its copy */
	if (ok) {
		struct json_object *args = json_object_new_object();
		json_object_object_add(args, "protocol",
				       json_object_new_string("vnc"));
		json_object_object_add(args, "fdname",
				       json_object_new_string(FD_NAME));
		struct json_object *ret = qmp_execute(q, "add_client", args,
						      timeout_ms, error);
		ok = ret != NULL;
		json_object_put(ret);
	}
	if (!ok || fcntl(sv[0], F_SETFL, fcntl(sv[0], F_GETFL) | O_NONBLOCK) < 0) {
		if (ok)
			*error = xasprintf("fcntl: %s", strerror(errno));
		close(sv[0]);
		return -1;
	}
	return sv[0];
}
