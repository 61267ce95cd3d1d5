/* qmp.c against a scripted fake QMP server in a thread (socketpair or unix
 * socket): greeting and capabilities, replies matched by id, events
 * interleaved with replies, lines split into small pieces, error replies,
 * timeouts, a closing peer, garbage. The real QEMU is exercised by
 * test_vm_session and the headless end-to-end test. */
#include "base/util.h"
#include "test.h"
#include "vm/qmp.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

enum step_kind {
	S_END,
	S_SEND,     /* write text as is */
	S_EXPECT,   /* read a command; its "execute" must be text; args, if
		     * given, must equal its "arguments" as plain JSON */
	S_REPLY,    /* write the JSON object text with the last command's id */
	S_SLEEP,
	S_CLOSE,
};

struct step {
	enum step_kind kind;
	const char *text;
	const char *args;
	size_t chunk;      /* write in pieces of this many bytes (0: at once) */
	int delay_ms;      /* sleep before each piece / for S_SLEEP */
};

#define GREETING "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, " \
	"\"minor\": 2, \"major\": 7}}, \"capabilities\": [\"oob\"]}}\r\n"
#define HANDSHAKE { S_SEND, GREETING, NULL, 0, 0 }, \
	{ S_EXPECT, "qmp_capabilities", NULL, 0, 0 }, \
	{ S_REPLY, "{\"return\": {}}", NULL, 0, 0 }

struct server {
	int fd;
	int listen_fd;     /* >= 0: accept on it first */
	const struct step *steps;
	struct json_object *last_id;
	char buf[65536];
	size_t len;
	char problem[256]; /* empty when the script ran as written */
	pthread_t thread;
};

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

static void server_write(struct server *sv, const char *text, size_t chunk,
			 int delay_ms)
{
	size_t len = strlen(text);
	if (!chunk)
		chunk = len;
	for (size_t off = 0; off < len; off += chunk) {
		if (delay_ms)
			sleep_ms(delay_ms);
		size_t n = len - off < chunk ? len - off : chunk;
		if (send(sv->fd, text + off, n, MSG_NOSIGNAL) != (ssize_t)n)
			return;
	}
}

static char *server_read_line(struct server *sv)
{
	for (;;) {
		char *nl = memchr(sv->buf, '\n', sv->len);
		if (nl) {
			size_t n = (size_t)(nl - sv->buf) + 1;
			char *line = xstrndup(sv->buf, n);
			memmove(sv->buf, sv->buf + n, sv->len - n);
			sv->len -= n;
			return line;
		}
		ssize_t r = read(sv->fd, sv->buf + sv->len,
				 sizeof(sv->buf) - sv->len);
		if (r <= 0)
			return NULL;
		sv->len += (size_t)r;
	}
}

static void server_expect(struct server *sv, const struct step *st)
{
	char *line = server_read_line(sv);
	struct json_object *msg = line ? json_tokener_parse(line) : NULL;
	struct json_object *execute = NULL, *id = NULL, *args = NULL;
	if (!msg || !json_object_object_get_ex(msg, "execute", &execute) ||
	    strcmp(json_object_get_string(execute), st->text) != 0) {
		snprintf(sv->problem, sizeof(sv->problem),
			 "expected %s, got %s", st->text,
			 line ? line : "(closed)");
	} else if (!json_object_object_get_ex(msg, "id", &id)) {
		snprintf(sv->problem, sizeof(sv->problem), "%s without id",
			 st->text);
	} else {
		json_object_put(sv->last_id);
		sv->last_id = json_object_get(id);
	}
	if (st->args && !sv->problem[0]) {
		json_object_object_get_ex(msg, "arguments", &args);
		const char *got = args ? json_object_to_json_string_ext(
			args, JSON_C_TO_STRING_PLAIN) : "(none)";
		if (strcmp(got, st->args) != 0)
			snprintf(sv->problem, sizeof(sv->problem),
				 "%s arguments %s, want %s", st->text, got,
				 st->args);
	}
	json_object_put(msg);
	free(line);
}

static void *server_main(void *arg)
{
	struct server *sv = arg;
	if (sv->listen_fd >= 0)
		sv->fd = accept(sv->listen_fd, NULL, NULL);
	for (const struct step *st = sv->steps; st->kind != S_END; st++) {
		if (sv->problem[0])
			break;
		switch (st->kind) {
		case S_SEND:
			server_write(sv, st->text, st->chunk, st->delay_ms);
			break;
		case S_EXPECT:
			server_expect(sv, st);
			break;
		case S_REPLY: {
			struct json_object *r = json_tokener_parse(st->text);
			if (sv->last_id)
				json_object_object_add(
					r, "id", json_object_get(sv->last_id));
			char *line = xasprintf("%s\r\n",
				json_object_to_json_string(r));
			server_write(sv, line, st->chunk, st->delay_ms);
			free(line);
			json_object_put(r);
			break;
		}
		case S_SLEEP:
			sleep_ms(st->delay_ms);
			break;
		case S_CLOSE:
			shutdown(sv->fd, SHUT_RDWR);
			break;
		case S_END:
			break;
		}
	}
	return NULL;
}

/* Starts the script on one end of a socketpair; returns the other end. */
static int server_start(struct server *sv, const struct step *steps)
{
	memset(sv, 0, sizeof(*sv));
	int fds[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) < 0)
		return -1;
	sv->fd = fds[1];
	sv->listen_fd = -1;
	sv->steps = steps;
	pthread_create(&sv->thread, NULL, server_main, sv);
	return fds[0];
}

static void server_finish(struct server *sv)
{
	pthread_join(sv->thread, NULL);
	if (sv->problem[0])
		printf("  fake server: %s\n", sv->problem);
	CHECK(sv->problem[0] == '\0');
	json_object_put(sv->last_id);
	close(sv->fd);
	if (sv->listen_fd >= 0)
		close(sv->listen_fd);
}

/* Events seen, as "NAME" or "NAME:data" for a data member "x". */
struct recorder {
	char seen[8][64];
	int n;
};

static void record_event(void *user, const char *event,
			 struct json_object *data)
{
	struct recorder *r = user;
	struct json_object *x = NULL;
	if (r->n >= 8)
		return;
	if (data && json_object_object_get_ex(data, "x", &x))
		snprintf(r->seen[r->n++], 64, "%s:%s", event,
			 json_object_get_string(x));
	else
		snprintf(r->seen[r->n++], 64, "%s", event);
}

static struct qmp *connect_to(struct server *sv, const struct step *steps,
			      int timeout_ms, char **error)
{
	int fd = server_start(sv, steps);
	return qmp_connect_fd(fd, timeout_ms, error);
}

static void test_handshake_in_pieces(void)
{
	static const struct step steps[] = {
		{ S_SEND, GREETING, NULL, 1, 0 },
		{ S_EXPECT, "qmp_capabilities", NULL, 0, 0 },
		{ S_REPLY, "{\"return\": {}}", NULL, 3, 1 },
		{ S_END, NULL, NULL, 0, 0 },
	};
	struct server sv;
	char *error = NULL;
	struct qmp *q = connect_to(&sv, steps, 5000, &error);
	CHECK(q != NULL);
	if (!q)
		printf("  %s\n", error);
	CHECK(q && qmp_connected(q));
	server_finish(&sv);
	qmp_destroy(q);
	free(error);
}

static void test_events_interleaved_with_reply(void)
{
	static const struct step steps[] = {
		HANDSHAKE,
		{ S_EXPECT, "query-status", NULL, 0, 0 },
		{ S_SEND, "{\"event\": \"STOP\", \"timestamp\": {}}\r\n"
			  "{\"event\": \"RESU", NULL, 0, 0 },
		{ S_SEND, "ME\", \"data\": {\"x\": 1}}\r\n\r\nnot json\r\n",
		  NULL, 4, 2 },
		{ S_REPLY, "{\"return\": {\"status\": \"running\"}}", NULL, 7, 1 },
		{ S_END, NULL, NULL, 0, 0 },
	};
	struct server sv;
	char *error = NULL;
	struct recorder rec = { 0 };
	struct qmp *q = connect_to(&sv, steps, 5000, &error);
	CHECK(q != NULL);
	if (!q)
		return;
	qmp_set_event_handler(q, record_event, &rec);
	char *status = qmp_query_status(q, 5000);
	CHECK_STR(status, "running");
	CHECK_INT(rec.n, 2);
	CHECK_STR(rec.seen[0], "STOP");
	CHECK_STR(rec.seen[1], "RESUME:1");
	free(status);
	server_finish(&sv);
	qmp_destroy(q);
}

static void test_error_reply(void)
{
	static const struct step steps[] = {
		HANDSHAKE,
		{ S_EXPECT, "nonexist", "{\"a\":1}", 0, 0 },
		{ S_REPLY, "{\"error\": {\"class\": \"CommandNotFound\", "
			   "\"desc\": \"The command nonexist has not been "
			   "found\"}}", NULL, 0, 0 },
		{ S_END, NULL, NULL, 0, 0 },
	};
	struct server sv;
	char *error = NULL;
	struct qmp *q = connect_to(&sv, steps, 5000, &error);
	CHECK(q != NULL);
	if (!q)
		return;
	struct json_object *args = json_object_new_object();
	json_object_object_add(args, "a", json_object_new_int(1));
	struct json_object *ret = qmp_execute(q, "nonexist", args, 5000,
					      &error);
	CHECK(ret == NULL);
	CHECK_STR(error, "nonexist: The command nonexist has not been found");
	CHECK(qmp_connected(q));
	free(error);
	server_finish(&sv);
	qmp_destroy(q);
}

static void test_close_during_execute(void)
{
	static const struct step steps[] = {
		HANDSHAKE,
		{ S_EXPECT, "stop", NULL, 0, 0 },
		{ S_SEND, "{\"event\": \"STOP\"}\r\n{\"ret", NULL, 0, 0 },
		{ S_CLOSE, NULL, NULL, 0, 0 },
		{ S_END, NULL, NULL, 0, 0 },
	};
	struct server sv;
	char *error = NULL;
	struct recorder rec = { 0 };
	struct qmp *q = connect_to(&sv, steps, 5000, &error);
	CHECK(q != NULL);
	if (!q)
		return;
	qmp_set_event_handler(q, record_event, &rec);
	uint64_t t0 = now_ms();
	struct json_object *ret = qmp_execute(q, "stop", NULL, 10000, &error);
	CHECK(ret == NULL);
	CHECK(now_ms() - t0 < 5000);   /* noticed, not waited out */
	CHECK_CONTAINS(error, "closed");
	CHECK_INT(rec.n, 1);
	CHECK(!qmp_connected(q));
	CHECK(!qmp_dispatch(q));
	free(error);
	error = NULL;
	/* Nothing can be sent any more, and that is said. */
	CHECK(!qmp_send(q, "cont", NULL, NULL, NULL));
	CHECK(qmp_execute(q, "cont", NULL, 100, &error) == NULL);
	CHECK_CONTAINS(error, "closed");
	free(error);
	server_finish(&sv);
	qmp_destroy(q);
}

static void test_timeout_then_late_reply(void)
{
	static const struct step steps[] = {
		HANDSHAKE,
		{ S_EXPECT, "stop", NULL, 0, 0 },
		{ S_SLEEP, NULL, NULL, 0, 300 },
		{ S_REPLY, "{\"return\": {}}", NULL, 0, 0 },   /* too late */
		{ S_EXPECT, "query-status", NULL, 0, 0 },
		{ S_REPLY, "{\"return\": {\"status\": \"paused\"}}", NULL, 0, 0 },
		{ S_END, NULL, NULL, 0, 0 },
	};
	struct server sv;
	char *error = NULL;
	struct qmp *q = connect_to(&sv, steps, 5000, &error);
	CHECK(q != NULL);
	if (!q)
		return;
	uint64_t t0 = now_ms();
	CHECK(qmp_execute(q, "stop", NULL, 100, &error) == NULL);
	CHECK(now_ms() - t0 >= 100);
	CHECK_STR(error, "stop: no reply from QEMU within 100 ms");
	free(error);
	char *status = qmp_query_status(q, 5000);
	CHECK_STR(status, "paused");
	free(status);
	server_finish(&sv);
	qmp_destroy(q);
}

struct async_result {
	int calls;
	char text[64];
};

static void async_reply(void *user, struct json_object *ret,
			const char *error)
{
	struct async_result *r = user;
	r->calls++;
	struct json_object *v = NULL;
	if (ret && json_object_object_get_ex(ret, "v", &v))
		snprintf(r->text, sizeof(r->text), "%s",
			 json_object_get_string(v));
	else
		snprintf(r->text, sizeof(r->text), "error: %s",
			 error ? error : "?");
}

static void test_async_replies_out_of_order(void)
{
	/* Replies in reverse order: each must reach its own callback. The
	 * server answers the second command first by sending raw lines with
	 * the ids qmp.c gives (counting from 1; 1 was qmp_capabilities). */
	static const struct step steps[] = {
		HANDSHAKE,
		{ S_EXPECT, "first", NULL, 0, 0 },
		{ S_EXPECT, "second", NULL, 0, 0 },
		{ S_EXPECT, "third", NULL, 0, 0 },
		{ S_SEND, "{\"return\": {\"v\": \"two\"}, \"id\": 3}\r\n"
			  "{\"return\": {}, \"id\": 99}\r\n"
			  "{\"event\": \"RESET\"}\r\n"
			  "{\"id\": 4, \"error\": {\"class\": \"GenericError\","
			  " \"desc\": \"nope\"}}\r\n"
			  "{\"return\": {\"v\": \"one\"}, \"id\": 2}\r\n",
		  NULL, 5, 0 },
		{ S_END, NULL, NULL, 0, 0 },
	};
	struct server sv;
	char *error = NULL;
	struct recorder rec = { 0 };
	struct qmp *q = connect_to(&sv, steps, 5000, &error);
	CHECK(q != NULL);
	if (!q)
		return;
	qmp_set_event_handler(q, record_event, &rec);
	struct async_result r1 = { 0 }, r2 = { 0 }, r3 = { 0 };
	CHECK(qmp_send(q, "first", NULL, async_reply, &r1));
	CHECK(qmp_send(q, "second", NULL, async_reply, &r2));
	CHECK(qmp_send(q, "third", NULL, async_reply, &r3));
	uint64_t deadline = now_ms() + 5000;
	while (r1.calls == 0 && now_ms() < deadline) {
		struct pollfd pfd = { .fd = qmp_fd(q), .events = POLLIN };
		poll(&pfd, 1, 100);
		CHECK(qmp_dispatch(q));
	}
	CHECK_INT(r1.calls, 1);
	CHECK_INT(r2.calls, 1);
	CHECK_INT(r3.calls, 1);
	CHECK_STR(r1.text, "one");
	CHECK_STR(r2.text, "two");
	CHECK_STR(r3.text, "error: nope");
	CHECK_INT(rec.n, 1);
	server_finish(&sv);
	qmp_destroy(q);
}

static void test_pending_fail_on_destroy(void)
{
	static const struct step steps[] = {
		HANDSHAKE,
		{ S_EXPECT, "stop", NULL, 0, 0 },
		{ S_END, NULL, NULL, 0, 0 },
	};
	struct server sv;
	char *error = NULL;
	struct qmp *q = connect_to(&sv, steps, 5000, &error);
	CHECK(q != NULL);
	if (!q)
		return;
	struct async_result r = { 0 };
	CHECK(qmp_send(q, "stop", NULL, async_reply, &r));
	server_finish(&sv);
	qmp_destroy(q);
	CHECK_INT(r.calls, 1);
	CHECK_CONTAINS(r.text, "error: ");
}

static void test_hmp(void)
{
	static const struct step steps[] = {
		HANDSHAKE,
		{ S_EXPECT, "human-monitor-command",
		  "{\"command-line\":\"info status\"}", 0, 0 },
		{ S_REPLY, "{\"return\": \"VM status: running\\r\\n\"}", NULL,
		  0, 0 },
		{ S_END, NULL, NULL, 0, 0 },
	};
	struct server sv;
	char *error = NULL;
	struct qmp *q = connect_to(&sv, steps, 5000, &error);
	CHECK(q != NULL);
	if (!q)
		return;
	char *text = qmp_hmp(q, "info status", 5000, &error);
	CHECK_STR(text, "VM status: running\r\n");
	free(text);
	server_finish(&sv);
	qmp_destroy(q);
}

/* Connection failures, each with its message. */
static const struct {
	const char *name;
	struct step steps[4];
	int timeout_ms;
	const char *fragment;
} bad_peers[] = {
	{ "not QMP", { { S_SEND, "SSH-2.0-OpenSSH\r\n", NULL, 0, 0 } }, 2000,
	  "not a QMP greeting: SSH-2.0-OpenSSH" },
	{ "silent", { { S_SLEEP, NULL, NULL, 0, 400 } }, 100,
	  "no QMP greeting from QEMU in time" },
	{ "closes", { { S_CLOSE, NULL, NULL, 0, 0 } }, 2000,
	  "closed before the QMP greeting" },
	{ "refuses capabilities", {
		{ S_SEND, GREETING, NULL, 0, 0 },
		{ S_EXPECT, "qmp_capabilities", NULL, 0, 0 },
		{ S_REPLY, "{\"error\": {\"class\": \"GenericError\", "
			   "\"desc\": \"Capabilities negotiation is already "
			   "complete\"}}", NULL, 0, 0 } }, 2000,
	  "qmp_capabilities: Capabilities negotiation is already complete" },
};

static void test_bad_peers(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(bad_peers); i++) {
		struct server sv;
		char *error = NULL;
		struct qmp *q = connect_to(&sv, bad_peers[i].steps,
					   bad_peers[i].timeout_ms, &error);
		CHECK(q == NULL);
		CHECK_CONTAINS(error, bad_peers[i].fragment);
		free(error);
		server_finish(&sv);
	}
}

static void test_connect_by_path(void)
{
	static const struct step steps[] = {
		HANDSHAKE,
		{ S_END, NULL, NULL, 0, 0 },
	};
	char dir[] = "/tmp/vmplay-test-qmp-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char *path = path_join(dir, "qmp.sock");
	char *error = NULL;

	/* Nobody there: a clear error after the timeout. */
	struct qmp *q = qmp_connect(path, 100, &error);
	CHECK(q == NULL);
	CHECK_CONTAINS(error, "cannot connect to QMP socket");
	CHECK_CONTAINS(error, path);
	free(error);
	error = NULL;

	struct server sv;
	memset(&sv, 0, sizeof(sv));
	sv.steps = steps;
	sv.listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", path);
	CHECK(bind(sv.listen_fd, (struct sockaddr *)&addr, sizeof(addr)) == 0);
	CHECK(listen(sv.listen_fd, 1) == 0);
	pthread_create(&sv.thread, NULL, server_main, &sv);
	q = qmp_connect(path, 5000, &error);
	CHECK(q != NULL);
	server_finish(&sv);
	qmp_destroy(q);
	free(error);

	/* A path too long for a unix socket. */
	char long_path[200];
	memset(long_path, 'x', sizeof(long_path) - 1);
	long_path[0] = '/';
	long_path[sizeof(long_path) - 1] = '\0';
	error = NULL;
	CHECK(qmp_connect(long_path, 100, &error) == NULL);
	CHECK_CONTAINS(error, "socket path longer than 107 bytes");
	free(error);
	unlink(path);
	rmdir(dir);
	free(path);
}

int main(void)
{
	RUN(test_handshake_in_pieces);
	RUN(test_events_interleaved_with_reply);
	RUN(test_error_reply);
	RUN(test_close_during_execute);
	RUN(test_timeout_then_late_reply);
	RUN(test_async_replies_out_of_order);
	RUN(test_pending_fail_on_destroy);
	RUN(test_hmp);
	RUN(test_bad_peers);
	RUN(test_connect_by_path);
	return TEST_REPORT();
}
