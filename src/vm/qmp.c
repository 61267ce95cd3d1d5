/* QMP client. QEMU sends one JSON object per line (CRLF); replies carry the
 * "id" we gave the command, events interleave with them at any point. The
 * socket is non-blocking: qmp_dispatch reads whatever is there and handles
 * every complete line, keeping a partial line for the next read. Each line
 * is taken out of the buffer before it is handled, so a handler may send
 * commands or even run qmp_execute (which reads further) safely. */
#include "vm/qmp.h"

#include "base/i18n.h"
#include "base/log.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

/* Bigger than any reply QEMU sends (query-qmp-schema is a few hundred KiB);
 * a line longer than this means the peer is not QEMU. */
#define QMP_MAX_LINE (64u << 20)
/* How long a write may wait for the socket to drain. */
#define QMP_WRITE_TIMEOUT_MS 5000

struct pending {
	int64_t id;
	qmp_reply_fn fn;
	void *user;
	struct pending *next;
};

struct qmp {
	int fd;
	bool connected;
	char *buf;
	size_t len, cap;
	int64_t next_id;
	struct pending *pending;   /* in send order */
	qmp_event_fn event_fn;
	void *event_user;
};

/* Milliseconds left until deadline (0 = none: -1, wait forever). */
static int remaining_ms(uint64_t deadline)
{
	if (!deadline)
		return -1;
	uint64_t now = now_ms();
	if (now >= deadline)
		return 0;
	uint64_t left = deadline - now;
	return left > INT32_MAX ? INT32_MAX : (int)left;
}

static uint64_t deadline_after(int timeout_ms)
{
	return timeout_ms < 0 ? 0 : now_ms() + (uint64_t)timeout_ms;
}

static void fail_pending(struct qmp *q, const char *why)
{
	while (q->pending) {
		struct pending *p = q->pending;
		q->pending = p->next;
		if (p->fn)
			p->fn(p->user, NULL, why);
		free(p);
	}
}

static void pending_cancel(struct qmp *q, int64_t id)
{
	for (struct pending **pp = &q->pending; *pp; pp = &(*pp)->next) {
		if ((*pp)->id == id) {
			struct pending *p = *pp;
			*pp = p->next;
			free(p);
			return;
		}
	}
}

static void handle_reply(struct qmp *q, struct json_object *msg)
{
	struct json_object *id_obj = NULL;
	if (!json_object_object_get_ex(msg, "id", &id_obj) ||
	    !json_object_is_type(id_obj, json_type_int)) {
		log_debug("qmp: reply without our id ignored");
		return;
	}
	int64_t id = json_object_get_int64(id_obj);
	struct pending *p = NULL;
	for (struct pending **pp = &q->pending; *pp; pp = &(*pp)->next) {
		if ((*pp)->id == id) {
			p = *pp;
			*pp = p->next;
			break;
		}
	}
	if (!p) {
		log_debug("qmp: reply to unknown id %lld ignored", (long long)id);
		return;
	}
	struct json_object *ret = NULL, *err = NULL;
	if (json_object_object_get_ex(msg, "return", &ret)) {
		if (p->fn)
			p->fn(p->user, ret, NULL);
	} else {
		json_object_object_get_ex(msg, "error", &err);
		struct json_object *desc = NULL, *cls = NULL;
		const char *text = _("QEMU reported an error");
		if (err && json_object_object_get_ex(err, "desc", &desc))
			text = json_object_get_string(desc);
		else if (err && json_object_object_get_ex(err, "class", &cls))
			text = json_object_get_string(cls);
		if (p->fn)
			p->fn(p->user, NULL, text);
	}
	free(p);
}

static void handle_line(struct qmp *q, const char *line)
{
	enum json_tokener_error jerr;
	struct json_object *msg = json_tokener_parse_verbose(line, &jerr);
	if (!msg || !json_object_is_type(msg, json_type_object)) {
		log_warn(_("qmp: ignoring a line that is not a JSON object: %.80s"),
			 line);
		json_object_put(msg);
		return;
	}
	struct json_object *event = NULL, *data = NULL;
	if (json_object_object_get_ex(msg, "event", &event)) {
		json_object_object_get_ex(msg, "data", &data);
		if (q->event_fn)
			q->event_fn(q->event_user, json_object_get_string(event),
				    data);
	} else if (json_object_object_get_ex(msg, "return", NULL) ||
		   json_object_object_get_ex(msg, "error", NULL)) {
		handle_reply(q, msg);
	} else {
		log_debug("qmp: ignoring message %.80s", line);
	}
	json_object_put(msg);
}

/* Takes the first complete line out of the buffer (CR and LF stripped).
 * Caller frees; NULL when there is none yet. */
static char *take_line(struct qmp *q)
{
	char *nl = q->len ? memchr(q->buf, '\n', q->len) : NULL;
	if (!nl)
		return NULL;
	size_t used = (size_t)(nl - q->buf) + 1;
	size_t n = used - 1;
	if (n && q->buf[n - 1] == '\r')
		n--;
	char *line = xstrndup(q->buf, n);
	memmove(q->buf, q->buf + used, q->len - used);
	q->len -= used;
	return line;
}

static void process_lines(struct qmp *q)
{
	char *line;
	while ((line = take_line(q))) {
		if (*line)
			handle_line(q, line);
		free(line);
	}
}

static void disconnect(struct qmp *q, const char *why)
{
	if (!q->connected)
		return;
	log_debug("qmp: %s", why);
	q->connected = false;
}

/* Reads everything available without blocking. */
static void read_available(struct qmp *q)
{
	while (q->connected) {
		if (q->cap - q->len < 4096) {
			if (q->cap >= QMP_MAX_LINE) {
				disconnect(q, _("line too long: not a QMP peer"));
				return;
			}
			q->cap = q->cap ? q->cap * 2 : 8192;
			q->buf = xrealloc(q->buf, q->cap);
		}
		ssize_t n = read(q->fd, q->buf + q->len, q->cap - q->len);
		if (n > 0) {
			q->len += (size_t)n;
			continue;
		}
		if (n == 0) {
			disconnect(q, _("QEMU closed the connection"));
		} else if (errno == EINTR) {
			continue;
		} else if (errno != EAGAIN && errno != EWOULDBLOCK) {
			disconnect(q, strerror(errno));
		}
		return;
	}
}

static const char *const closed_message = N_("QEMU closed the QMP connection");

bool qmp_dispatch(struct qmp *q)
{
	read_available(q);
	process_lines(q);
	if (!q->connected)
		fail_pending(q, _(closed_message));
	return q->connected;
}

bool qmp_connected(const struct qmp *q)
{
	return q->connected;
}

int qmp_fd(const struct qmp *q)
{
	return q->fd;
}

void qmp_set_event_handler(struct qmp *q, qmp_event_fn fn, void *user)
{
	q->event_fn = fn;
	q->event_user = user;
}

/* Sends fd (SCM_RIGHTS) with the first byte of data; MSG_NOSIGNAL: a dead
 * QEMU must not raise SIGPIPE. */
static ssize_t send_with_fd(int sock, const char *data, size_t len, int fd)
{
	struct iovec iov = { .iov_base = (void *)data, .iov_len = len };
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	memset(&control, 0, sizeof(control));
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = control.buf, .msg_controllen = sizeof(control.buf),
	};
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	return sendmsg(sock, &msg, MSG_NOSIGNAL);
}

/* Writes data, passing fd (unless -1) along with its first byte. */
static bool write_all(struct qmp *q, const char *data, size_t len, int fd)
{
	uint64_t deadline = deadline_after(QMP_WRITE_TIMEOUT_MS);
	while (len) {
		ssize_t n = fd >= 0 ? send_with_fd(q->fd, data, len, fd)
				    : send(q->fd, data, len, MSG_NOSIGNAL);
		if (n > 0)
			fd = -1;   /* gone with the first byte */
		if (n > 0) {
			data += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			struct pollfd pfd = { .fd = q->fd, .events = POLLOUT };
			int left = remaining_ms(deadline);
			if (left == 0 || poll(&pfd, 1, left) <= 0) {
				disconnect(q, _("QEMU does not read its QMP socket"));
				return false;
			}
			continue;
		}
		disconnect(q, n < 0 ? strerror(errno) : _("write failed"));
		return false;
	}
	return true;
}

/* Returns the command's id, or -1 when it could not be sent. fd (unless
 * -1) goes with the command, for getfd. */
static int64_t send_command(struct qmp *q, const char *command,
			    struct json_object *args, int fd,
			    qmp_reply_fn fn, void *user)
{
	if (!q->connected) {
		json_object_put(args);
		return -1;
	}
	int64_t id = q->next_id++;
	struct json_object *msg = json_object_new_object();
	json_object_object_add(msg, "execute", json_object_new_string(command));
	if (args)
		json_object_object_add(msg, "arguments", args);
	json_object_object_add(msg, "id", json_object_new_int64(id));
	char *line = xasprintf("%s\r\n", json_object_to_json_string_ext(
				       msg, JSON_C_TO_STRING_PLAIN));
	json_object_put(msg);
	bool ok = write_all(q, line, strlen(line), fd);
	free(line);
	if (!ok)
		return -1;
	struct pending *p = xcalloc(1, sizeof(*p));
	p->id = id;
	p->fn = fn;
	p->user = user;
	struct pending **tail = &q->pending;
	while (*tail)
		tail = &(*tail)->next;
	*tail = p;
	return id;
}

bool qmp_send(struct qmp *q, const char *command, struct json_object *args,
	      qmp_reply_fn fn, void *user)
{
	return send_command(q, command, args, -1, fn, user) >= 0;
}

struct sync_reply {
	bool done;
	struct json_object *ret;
	char *error;
};

static void sync_reply_fn(void *user, struct json_object *ret,
			  const char *error)
{
	struct sync_reply *r = user;
	r->done = true;
	r->ret = ret ? json_object_get(ret) : NULL;
	r->error = error ? xstrdup(error) : NULL;
}

/* Waits until the socket is readable or the deadline passes; reads and
 * handles what came. False on timeout. */
static bool wait_and_dispatch(struct qmp *q, uint64_t deadline)
{
	struct pollfd pfd = { .fd = q->fd, .events = POLLIN };
	int left = remaining_ms(deadline);
	if (left == 0)
		return false;
	int n = poll(&pfd, 1, left);
	if (n < 0 && errno != EINTR) {
		disconnect(q, strerror(errno));
		fail_pending(q, _(closed_message));
		return true;
	}
	if (n > 0)
		qmp_dispatch(q);
	return true;
}

static struct json_object *execute(struct qmp *q, const char *command,
				   struct json_object *args, int fd,
				   int timeout_ms, char **error)
{
	struct sync_reply r = { 0 };
	uint64_t deadline = deadline_after(timeout_ms);
	int64_t id = send_command(q, command, args, fd, sync_reply_fn, &r);
	if (id < 0) {
		*error = xasprintf("%s: %s", command, _(closed_message));
		return NULL;
	}
	while (!r.done) {
		if (!wait_and_dispatch(q, deadline)) {
			/* r lives on this stack frame: forget the command. */
			pending_cancel(q, id);
			*error = xasprintf(_("%s: no reply from QEMU within %d ms"),
					   command, timeout_ms);
			return NULL;
		}
	}
	if (!r.ret) {
		*error = xasprintf("%s: %s", command,
				   r.error ? r.error : _("failed"));
		free(r.error);
		return NULL;
	}
	free(r.error);
	return r.ret;
}

struct json_object *qmp_execute(struct qmp *q, const char *command,
				struct json_object *args, int timeout_ms,
				char **error)
{
	return execute(q, command, args, -1, timeout_ms, error);
}

bool qmp_pass_fd(struct qmp *q, int fd, const char *name, int timeout_ms,
		 char **error)
{
	struct json_object *args = json_object_new_object();
	json_object_object_add(args, "fdname", json_object_new_string(name));
	struct json_object *ret = execute(q, "getfd", args, fd, timeout_ms,
					  error);
	json_object_put(ret);
	return ret != NULL;
}

char *qmp_hmp(struct qmp *q, const char *command_line, int timeout_ms,
	      char **error)
{
	struct json_object *args = json_object_new_object();
	json_object_object_add(args, "command-line",
			       json_object_new_string(command_line));
	struct json_object *ret = qmp_execute(q, "human-monitor-command", args,
					      timeout_ms, error);
	if (!ret)
		return NULL;
	char *text = xstrdup(json_object_is_type(ret, json_type_string)
				     ? json_object_get_string(ret) : "");
	json_object_put(ret);
	return text;
}

char *qmp_query_status(struct qmp *q, int timeout_ms)
{
	char *error = NULL;
	struct json_object *ret = qmp_execute(q, "query-status", NULL,
					      timeout_ms, &error);
	if (!ret) {
		log_debug("qmp: %s", error);
		free(error);
		return NULL;
	}
	struct json_object *status = NULL;
	char *text = NULL;
	if (json_object_object_get_ex(ret, "status", &status))
		text = xstrdup(json_object_get_string(status));
	json_object_put(ret);
	return text;
}

/* Reads the greeting line ({"QMP": ...}) within the deadline. */
static bool read_greeting(struct qmp *q, uint64_t deadline, char **error)
{
	for (;;) {
		char *line = take_line(q);
		if (line) {
			struct json_object *msg = json_tokener_parse(line);
			bool ok = msg && json_object_is_type(msg, json_type_object)
				  && json_object_object_get_ex(msg, "QMP", NULL);
			json_object_put(msg);
			if (!ok)
				*error = xasprintf(_("not a QMP greeting: %.120s"),
						   line);
			free(line);
			return ok;
		}
		if (!q->connected) {
			*error = xstrdup(_("the connection closed before the QMP "
					 "greeting"));
			return false;
		}
		struct pollfd pfd = { .fd = q->fd, .events = POLLIN };
		int left = remaining_ms(deadline);
		int n = left == 0 ? 0 : poll(&pfd, 1, left);
		if (n == 0) {
			*error = xstrdup(_("no QMP greeting from QEMU in time"));
			return false;
		}
		if (n > 0)
			read_available(q);
	}
}

struct qmp *qmp_connect_fd(int fd, int timeout_ms, char **error)
{
	uint64_t deadline = deadline_after(timeout_ms);
	int flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0 ||
	    fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) {
		*error = xasprintf(_("QMP socket: %s"), strerror(errno));
		close(fd);
		return NULL;
	}
	struct qmp *q = xcalloc(1, sizeof(*q));
	q->fd = fd;
	q->connected = true;
	q->next_id = 1;
	if (!read_greeting(q, deadline, error)) {
		qmp_destroy(q);
		return NULL;
	}
	int left = remaining_ms(deadline);
	char *cerr = NULL;
	struct json_object *ret = qmp_execute(q, "qmp_capabilities", NULL,
					      left, &cerr);
	if (!ret) {
		*error = cerr;
		qmp_destroy(q);
		return NULL;
	}
	json_object_put(ret);
	return q;
}

struct qmp *qmp_connect(const char *socket_path, int timeout_ms, char **error)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	if (strlen(socket_path) >= sizeof(addr.sun_path)) {
		*error = xasprintf(_("%s: socket path longer than %zu bytes"),
				   socket_path, sizeof(addr.sun_path) - 1);
		return NULL;
	}
	strcpy(addr.sun_path, socket_path);
	uint64_t deadline = deadline_after(timeout_ms);
	for (;;) {
		int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0) {
			*error = xasprintf("socket: %s", strerror(errno));
			return NULL;
		}
		if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0)
			return qmp_connect_fd(fd, remaining_ms(deadline), error);
		int err = errno;
		close(fd);
		/* QEMU may not have bound or started listening yet. */
		bool retry = err == ENOENT || err == ECONNREFUSED ||
			     err == EAGAIN || err == EINTR;
		if (!retry || remaining_ms(deadline) == 0) {
			*error = xasprintf(_("cannot connect to QMP socket %s: %s"),
					   socket_path, strerror(err));
			return NULL;
		}
		struct timespec ts = { 0, 20 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
}

void qmp_destroy(struct qmp *q)
{
	if (!q)
		return;
	q->connected = false;
	fail_pending(q, _("the QMP connection was closed"));
	close(q->fd);
	free(q->buf);
	free(q);
}
