/* QMP client on json-c: greeting, capabilities, commands tagged with ids,
 * events. Non-blocking use from the event loop (qmp_fd + qmp_dispatch) and
 * blocking use for simple commands (qmp_execute). */
#ifndef VMPLAY_QMP_H
#define VMPLAY_QMP_H

#include <json-c/json.h>
#include <stdbool.h>

struct qmp;

/* Called for every event; data may be NULL. */
typedef void (*qmp_event_fn)(void *user, const char *event,
			     struct json_object *data);
/* Called with the reply to an asynchronous command: return is the "return"
 * member on success (NULL on error), error a message on failure. */
typedef void (*qmp_reply_fn)(void *user, struct json_object *ret,
			     const char *error);

/* Connects, reads the greeting and negotiates capabilities, all within
 * timeout_ms (a refused or missing socket is retried until then). On failure
 * returns NULL with *error set (malloc'd). */
struct qmp *qmp_connect(const char *socket_path, int timeout_ms, char **error);
/* The same on a connected stream socket, which the qmp takes over (closed on
 * failure too). */
struct qmp *qmp_connect_fd(int fd, int timeout_ms, char **error);
void qmp_destroy(struct qmp *q);   /* accepts NULL */

void qmp_set_event_handler(struct qmp *q, qmp_event_fn fn, void *user);

/* The socket, for poll(). When readable call qmp_dispatch, which handles
 * every complete message read (events and replies); false once QEMU has
 * closed the connection. */
int qmp_fd(const struct qmp *q);
bool qmp_dispatch(struct qmp *q);
/* False once the connection is gone (EOF or an I/O error). */
bool qmp_connected(const struct qmp *q);

/* Sends a command and returns at once; fn (may be NULL) gets the reply
 * from qmp_dispatch, or an error when the connection closes first (also
 * from qmp_destroy). args may be NULL and is taken over. */
bool qmp_send(struct qmp *q, const char *command, struct json_object *args,
	      qmp_reply_fn fn, void *user);

/* Sends a command and waits up to timeout_ms for its reply; events arriving
 * meanwhile go to the event handler. Returns a new reference to "return"
 * (caller puts it), or NULL with *error set (malloc'd). args is taken over. */
struct json_object *qmp_execute(struct qmp *q, const char *command,
				struct json_object *args, int timeout_ms,
				char **error);

/* getfd: hands fd (a copy: the caller still closes its own) to QEMU
 * under name, for commands that take an "fdname". */
bool qmp_pass_fd(struct qmp *q, int fd, const char *name, int timeout_ms,
		 char **error);

/* human-monitor-command: returns the monitor's text output (caller frees). */
char *qmp_hmp(struct qmp *q, const char *command_line, int timeout_ms,
	      char **error);

/* query-status "status" ("running", "paused", ...), caller frees. */
char *qmp_query_status(struct qmp *q, int timeout_ms);

#endif
