/* libFuzzer harness: QMP reply handling. A fake QEMU on a socket pair
 * sends the greeting, accepts qmp_capabilities, then the input as the
 * stream of replies and events while the client has commands waiting
 * (their ids are 1, 2, ...: the input may answer them, mix them up or
 * never answer). Then the input as one JSON document goes through the
 * parsers of query-named-block-nodes (snapshot lists and disk sizes) and
 * the snapshot name rules built on them. */
#include "base/log.h"
#include "base/util.h"
#include "vm/qmp.h"
#include "vm/snapshot_rules.h"
#include "vm/vm_actions.h"

#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char greeting[] =
	"{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2, "
	"\"major\": 7}, \"package\": \"\"}, \"capabilities\": [\"oob\"]}}\r\n"
	"{\"return\": {}, \"id\": 1}\r\n";

static void on_reply(void *user, struct json_object *ret, const char *error)
{
	(void)ret;
	(void)error;
	(*(int *)user)++;
}

static void on_event(void *user, const char *event, struct json_object *d)
{
	(void)event;
	(void)d;
	(*(int *)user)++;
}

/* The stream: greeting, then the input, then the end of the connection. */
static void stream(const uint8_t *data, size_t size)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
		return;
	/* Socket buffers hold a few hundred KiB: the harness caps inputs
	 * well below (-max_len), so writing everything first cannot block. */
	if (write(sv[1], greeting, strlen(greeting)) < 0 ||
	    (size && write(sv[1], data, size) < 0)) {
		close(sv[0]);
		close(sv[1]);
		return;
	}
	shutdown(sv[1], SHUT_WR);
	char *error = NULL;
	struct qmp *q = qmp_connect_fd(sv[0], 1000, &error);
	free(error);
	int seen = 0;
	if (q) {
		qmp_set_event_handler(q, on_event, &seen);
		qmp_send(q, "query-status", NULL, on_reply, &seen);
		qmp_send(q, "query-named-block-nodes", NULL, on_reply, &seen);
		qmp_send(q, "query-jobs", NULL, on_reply, &seen);
		for (int i = 0; i < 64 && qmp_dispatch(q); i++)
			;
		qmp_destroy(q);
	}
	close(sv[1]);
}

/* The block-node parsers and the snapshot rules on the same bytes. */
static void nodes(const uint8_t *data, size_t size)
{
	char *text = xstrndup((const char *)data, size);
	struct json_object *root = json_tokener_parse(text);
	free(text);
	if (!root)
		return;
	static const char *const names[] = { "disk0", "disk1", "efivars" };
	struct vm_node_size sizes[3];
	memset(sizes, 0, sizeof(sizes));
	struct vm_snapshot *list = NULL;
	size_t n = vm_actions_parse_nodes(root, names, NULL, 3, &list, sizes);
	/* the snapshot rules work on one disk's plain list */
	struct disk_snapshot *plain = calloc(n ? n : 1, sizeof(*plain));
	for (size_t i = 0; plain && i < n; i++)
		plain[i] = list[i].s;
	struct snapshot_disk disk = { "disk 'x'", plain, plain ? n : 0 };
	for (size_t i = 0; plain && i < n; i++) {
		char *why = snapshot_lookup_problem(&disk, 1, list[i].s.name);
		free(why);
		why = snapshot_take_conflict(&disk, 1, list[i].s.id);
		free(why);
		char *shown = snapshot_name_shown(list[i].s.name);
		free(shown);
	}
	free(plain);   /* the strings belong to list */
	vm_actions_free_snapshots(list, n);
	for (size_t i = 0; i < 3; i++)
		free(sizes[i].format);
	json_object_put(root);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool quiet;
	if (!quiet) {
		log_set_level(LOG_ERROR);
		quiet = true;
	}
	stream(data, size);
	nodes(data, size);
	return 0;
}
