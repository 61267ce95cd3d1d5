/* See snapshot_requests.h. */
#include "vm/snapshot_requests.h"

#include "base/i18n.h"
#include "base/log.h"
#include "base/util.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct request {
	struct request *next;
	int fd;
	char *line;
};

struct snapshot_requests {
	struct snapshot_target target;
	struct request *queue;     /* waiting, oldest first */
	struct request *active;    /* running */
	bool ended, failed;        /* the active one's outcome note came */
};

static const char *const kind_words[] = {
	[VM_NOTE_INFO] = "info",
	[VM_NOTE_ERROR] = "error",
	[VM_NOTE_PROGRESS] = "progress",
};

/* One line to the client; a client that left is no reason to stop the
 * job (the connection is non-blocking: a full buffer drops the line). */
static void say(const struct request *q, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void say(const struct request *q, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *text = xvasprintf(fmt, ap);
	va_end(ap);
	size_t len = strlen(text);
	if (send(q->fd, text, len, MSG_NOSIGNAL | MSG_DONTWAIT) != (ssize_t)len)
		log_debug("snapshot command: the client did not take \"%s\"",
			  text);
	free(text);
}

static void finish(struct request *q, int status)
{
	say(q, "done %d\n", status);
	close(q->fd);
	free(q->line);
	free(q);
}

struct snapshot_requests *snapshot_requests_create(
	const struct snapshot_target *target)
{
	struct snapshot_requests *r = xcalloc(1, sizeof(*r));
	r->target = *target;
	return r;
}

void snapshot_requests_add(struct snapshot_requests *r, int fd,
			   const char *line)
{
	struct request *q = xcalloc(1, sizeof(*q));
	q->fd = fd;
	q->line = xstrdup(line);
	struct request **pp = &r->queue;
	while (*pp)
		pp = &(*pp)->next;
	*pp = q;
}

bool snapshot_request_parse(const char *line,
			    enum snapshot_request_action *action,
			    const char **name)
{
	static const struct {
		const char *word;
		enum snapshot_request_action action;
		bool name_optional;
	} verbs[] = {
		{ "take", SNAPSHOT_REQUEST_TAKE, true },
		{ "restore", SNAPSHOT_REQUEST_RESTORE, false },
		{ "delete", SNAPSHOT_REQUEST_DELETE, false },
	};
	if (strncmp(line, "snapshot ", 9) != 0)
		return false;
	const char *rest = line + 9;
	for (size_t i = 0; i < ARRAY_SIZE(verbs); i++) {
		size_t n = strlen(verbs[i].word);
		if (strncmp(rest, verbs[i].word, n) != 0)
			continue;
		if (rest[n] == '\0' && verbs[i].name_optional) {
			*action = verbs[i].action;
			*name = NULL;
			return true;
		}
		if (rest[n] == ' ' && rest[n + 1]) {
			*action = verbs[i].action;
			*name = rest + n + 1;
			return true;
		}
	}
	return false;
}

void snapshot_requests_note(struct snapshot_requests *r, enum vm_note kind,
			    const char *text)
{
	if (!r || !r->active)
		return;
	say(r->active, "note %s %s\n", kind_words[kind], text);
	if (kind == VM_NOTE_PROGRESS)
		return;
	r->ended = true;
	r->failed |= kind == VM_NOTE_ERROR;
}

void snapshot_requests_tick(struct snapshot_requests *r)
{
	if (!r)
		return;
	if (r->active && r->ended) {
		finish(r->active, r->failed ? 1 : 0);
		r->active = NULL;
	}
	while (!r->active && r->queue) {
		struct request *q = r->queue;
		r->queue = q->next;
		enum snapshot_request_action action;
		const char *name;
		if (!snapshot_request_parse(q->line, &action, &name)) {
			say(q, "note error %s: %s\n",
			    _("not a snapshot command"), q->line);
			finish(q, 2);
			continue;
		}
		log_debug("snapshot command from another vmplay: %s", q->line);
		r->active = q;
		r->ended = r->failed = false;
		r->target.run(r->target.user, action, name);
		if (r->ended) {   /* refused at once, or done offline */
			finish(q, r->failed ? 1 : 0);
			r->active = NULL;
		}
	}
}

void snapshot_requests_destroy(struct snapshot_requests *r)
{
	if (!r)
		return;
	if (r->active) {
		close(r->active->fd);
		free(r->active->line);
		free(r->active);
	}
	while (r->queue) {
		struct request *q = r->queue;
		r->queue = q->next;
		close(q->fd);
		free(q->line);
		free(q);
	}
	free(r);
}
