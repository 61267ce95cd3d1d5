/* snapshot_requests.c: snapshot commands from another vmplay, answered
 * with the notes of the target and "done STATUS"; one at a time, in
 * order; a command ends at its first info or error note. */
#include "vm/snapshot_requests.h"

#include "test.h"

#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

struct fake {
	struct snapshot_requests *r;
	int runs;
	enum snapshot_request_action action;
	char name[64];
	bool answer_now;        /* notes from inside run (refused at once) */
};

static void fake_run(void *user, enum snapshot_request_action action,
		     const char *name)
{
	struct fake *f = user;
	f->runs++;
	f->action = action;
	snprintf(f->name, sizeof(f->name), "%s", name ? name : "(by date)");
	if (f->answer_now)
		snapshot_requests_note(f->r, VM_NOTE_ERROR, "Cannot now");
}

/* What the client side of sv reads, without waiting. */
static void read_all(int fd, char *buf, size_t len)
{
	size_t got = 0;
	ssize_t n;
	while (got < len - 1 &&
	       (n = recv(fd, buf + got, len - 1 - got, MSG_DONTWAIT)) > 0)
		got += (size_t)n;
	buf[got] = '\0';
}

static void test_parse(void)
{
	enum snapshot_request_action a;
	const char *name;
	CHECK(snapshot_request_parse("snapshot take", &a, &name));
	CHECK_INT(a, SNAPSHOT_REQUEST_TAKE);
	CHECK(name == NULL);
	CHECK(snapshot_request_parse("snapshot take two words", &a, &name));
	CHECK_STR(name, "two words");
	CHECK(snapshot_request_parse("snapshot restore x", &a, &name));
	CHECK_INT(a, SNAPSHOT_REQUEST_RESTORE);
	CHECK(snapshot_request_parse("snapshot delete x", &a, &name));
	CHECK_INT(a, SNAPSHOT_REQUEST_DELETE);
	CHECK(!snapshot_request_parse("snapshot restore", &a, &name));
	CHECK(!snapshot_request_parse("snapshot delete ", &a, &name));
	CHECK(!snapshot_request_parse("snapshot takeover", &a, &name));
	CHECK(!snapshot_request_parse("raise", &a, &name));
}

static void test_flow(void)
{
	struct fake f = { 0 };
	f.r = snapshot_requests_create(&(struct snapshot_target){
		.run = fake_run, .user = &f });
	int one[2], two[2];
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, one) == 0);
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, two) == 0);
	snapshot_requests_add(f.r, one[0], "snapshot take before");
	snapshot_requests_add(f.r, two[0], "snapshot restore before");
	snapshot_requests_note(f.r, VM_NOTE_INFO, "not ours");   /* none runs */
	snapshot_requests_tick(f.r);
	CHECK_INT(f.runs, 1);   /* the second waits for the first */
	CHECK_INT(f.action, SNAPSHOT_REQUEST_TAKE);
	CHECK_STR(f.name, "before");
	snapshot_requests_note(f.r, VM_NOTE_PROGRESS, "Taking snapshot before…");
	snapshot_requests_tick(f.r);
	CHECK_INT(f.runs, 1);   /* a progress note does not end it */
	snapshot_requests_note(f.r, VM_NOTE_INFO, "Snapshot before taken in 0.2 s");
	snapshot_requests_tick(f.r);
	char buf[512];
	read_all(one[1], buf, sizeof(buf));
	CHECK_STR(buf, "note progress Taking snapshot before…\n"
		       "note info Snapshot before taken in 0.2 s\n"
		       "done 0\n");
	CHECK(recv(one[1], buf, 1, 0) == 0);   /* closed */
	CHECK_INT(f.runs, 2);
	CHECK_INT(f.action, SNAPSHOT_REQUEST_RESTORE);
	/* two notes in one turn (a failed restore): both reach the client */
	snapshot_requests_note(f.r, VM_NOTE_ERROR, "Cannot restore");
	snapshot_requests_note(f.r, VM_NOTE_ERROR, "The VM stays paused");
	snapshot_requests_tick(f.r);
	read_all(two[1], buf, sizeof(buf));
	CHECK_STR(buf, "note error Cannot restore\n"
		       "note error The VM stays paused\ndone 1\n");
	close(one[1]);
	close(two[1]);
	snapshot_requests_destroy(f.r);
}

static void test_refused_at_once_and_bad_lines(void)
{
	struct fake f = { .answer_now = true };
	f.r = snapshot_requests_create(&(struct snapshot_target){
		.run = fake_run, .user = &f });
	int a[2], b[2];
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, a) == 0);
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, b) == 0);
	snapshot_requests_add(f.r, a[0], "snapshot fly");
	snapshot_requests_add(f.r, b[0], "snapshot take");
	snapshot_requests_tick(f.r);
	char buf[512];
	read_all(a[1], buf, sizeof(buf));
	CHECK_CONTAINS(buf, "note error ");
	CHECK_CONTAINS(buf, "done 2\n");
	read_all(b[1], buf, sizeof(buf));
	CHECK_STR(buf, "note error Cannot now\ndone 1\n");
	CHECK_STR(f.name, "(by date)");
	close(a[1]);
	close(b[1]);
	snapshot_requests_destroy(f.r);
}

int main(void)
{
	RUN(test_parse);
	RUN(test_flow);
	RUN(test_refused_at_once_and_bad_lines);
	return TEST_REPORT();
}
