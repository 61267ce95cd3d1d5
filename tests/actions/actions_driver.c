/* actions-driver FILE.vmplay: runs a VM headless (vm_session) and drives
 * vm_actions from commands read on stdin, one per line, in one poll() loop
 * as the player does, for tests/e2e/test_actions.sh.
 *
 * Output (stdout, one line each):
 *   note info|error|progress TEXT    a vm_actions note (toast text)
 *   changed                          lists/medium changed
 *   state NAME                       the VM's state changed
 *   ...command output...
 *   done                             the command finished (vm_actions idle)
 *
 * Commands: take [NAME] | restore NAME | delete NAME | list | blocker |
 * insert PATH | eject | cdrom | recent | create NAME FORMAT SIZE |
 * grow NAME SIZE | pause | reset | shutdown | forceoff | cad |
 * keys NAME... (SDL scancode names) | wait-exit SECONDS.
 * "list" refreshes and prints "snapshot NAME|DATE|CLOCK|RAM" and
 * "disk NAME|FORMAT|VIRTUAL|USED|next-boot" lines. End of input stops
 * QEMU and ends the program. */
#include "base/log.h"
#include "base/util.h"
#include "player/keymap.h"
#include "vm/config.h"
#include "vm/vm_actions.h"
#include "vm/vm_session.h"

#include <SDL2/SDL_keyboard.h>
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct driver {
	struct vm_config *cfg;
	struct vm_session *session;
	struct vm_actions *actions;
	bool exited;
};

static void on_note(void *user, enum vm_note kind, const char *text)
{
	(void)user;
	static const char *const kinds[] = { "info", "error", "progress" };
	printf("note %s %s\n", kinds[kind], text);
}

static void on_changed(void *user)
{
	(void)user;
	printf("changed\n");
}

static void on_state(void *user, enum vm_state state, const char *why)
{
	struct driver *d = user;
	(void)why;
	printf("state %s\n", vm_state_name(state));
	if (state == VM_STATE_EXITED) {
		d->exited = true;
		vm_actions_set_session(d->actions, NULL);
	}
}

static void on_event(void *user, const char *event, struct json_object *data)
{
	struct driver *d = user;
	vm_actions_handle_event(d->actions, event, data);
}

/* One round of the loop: waits up to max_ms for QMP, QEMU's exit or
 * stdin (when want_stdin), dispatches. Returns true when stdin is
 * readable. */
static bool loop_once(struct driver *d, int max_ms, bool want_stdin)
{
	struct pollfd fds[3];
	int n = 0;
	if (!d->exited)
		n = vm_session_pollfds(d->session, fds, 2);
	int stdin_at = -1;
	if (want_stdin) {
		stdin_at = n;
		fds[n++] = (struct pollfd){ .fd = 0, .events = POLLIN };
	}
	int t = d->exited ? -1 : vm_session_timeout_ms(d->session);
	if (max_ms >= 0 && (t < 0 || t > max_ms))
		t = max_ms;
	fflush(stdout);
	if (poll(fds, (nfds_t)n, t) < 0 && errno != EINTR)
		return false;
	if (!d->exited)
		vm_session_dispatch(d->session);
	fflush(stdout);
	return stdin_at >= 0 && (fds[stdin_at].revents & (POLLIN | POLLHUP));
}

static void wait_idle(struct driver *d)
{
	uint64_t deadline = now_ms() + 120000;
	while (!vm_actions_idle(d->actions) && now_ms() < deadline)
		loop_once(d, 100, false);
	if (!vm_actions_idle(d->actions))
		printf("timeout waiting for the action\n");
}

static void print_lists(struct driver *d)
{
	const struct disk_snapshot *snaps;
	size_t n = vm_actions_snapshots(d->actions, &snaps);
	for (size_t i = 0; i < n; i++) {
		char date[40], clock[40];
		printf("snapshot %s|%s|%s|%" PRIu64 "\n", snaps[i].name,
		       disk_snapshot_date(&snaps[i], date, sizeof(date)),
		       disk_snapshot_clock(&snaps[i], clock, sizeof(clock)),
		       snaps[i].vm_state_size);
	}
	const struct vm_actions_disk *disks;
	n = vm_actions_disks(d->actions, &disks);
	for (size_t i = 0; i < n; i++)
		printf("disk %s|%s|%" PRIu64 "|%" PRIu64 "|%s\n", disks[i].name,
		       disks[i].format ? disks[i].format : "?",
		       disks[i].virtual_size, disks[i].used_size,
		       disks[i].next_boot ? "next-boot" : "attached");
}

static void run_command(struct driver *d, char *line)
{
	char *arg = strchr(line, ' ');
	if (arg)
		*arg++ = '\0';
	const char *rest = arg ? arg : "";
	struct vm_actions *a = d->actions;
	uint64_t size;
	if (!strcmp(line, "take")) {
		vm_actions_snapshot_take(a, *rest ? rest : NULL);
	} else if (!strcmp(line, "restore")) {
		vm_actions_snapshot_restore(a, rest);
	} else if (!strcmp(line, "delete")) {
		vm_actions_snapshot_delete(a, rest);
	} else if (!strcmp(line, "list")) {
		vm_actions_refresh(a);
		wait_idle(d);
		print_lists(d);
	} else if (!strcmp(line, "blocker")) {
		char *b = vm_actions_snapshot_blocker(a);
		printf("blocker %s\n", b ? b : "none");
		free(b);
	} else if (!strcmp(line, "insert")) {
		vm_actions_media_insert(a, rest);
	} else if (!strcmp(line, "eject")) {
		vm_actions_media_eject(a);
	} else if (!strcmp(line, "cdrom")) {
		printf("cdrom %s\n", vm_actions_cdrom(a) ? vm_actions_cdrom(a)
							 : "none");
	} else if (!strcmp(line, "recent")) {
		const char *const *list;
		size_t n = vm_actions_recent_isos(a, &list);
		for (size_t i = 0; i < n; i++)
			printf("recent %s\n", list[i]);
	} else if (!strcmp(line, "create")) {
		char name[128], format[32], sz[32];
		if (sscanf(rest, "%127s %31s %31s", name, format, sz) == 3 &&
		    parse_size(sz, &size))
			vm_actions_disk_create(a, name, format, size);
		else
			printf("usage: create NAME FORMAT SIZE\n");
	} else if (!strcmp(line, "grow")) {
		char name[128], sz[32];
		if (sscanf(rest, "%127s %31s", name, sz) == 2 &&
		    parse_size(sz, &size))
			vm_actions_disk_grow(a, name, size);
		else
			printf("usage: grow NAME SIZE\n");
	} else if (!strcmp(line, "pause")) {
		vm_actions_pause_toggle(a);
	} else if (!strcmp(line, "reset")) {
		vm_actions_reset(a);
	} else if (!strcmp(line, "shutdown")) {
		vm_actions_shutdown(a);
	} else if (!strcmp(line, "forceoff")) {
		vm_actions_force_off(a);
	} else if (!strcmp(line, "cad")) {
		vm_actions_ctrl_alt_del(a);
	} else if (!strcmp(line, "keys")) {
		uint16_t keys[8];
		size_t n = 0;
		char *save = NULL;
		for (char *tok = strtok_r(arg, " ", &save); tok && n < 8;
		     tok = strtok_r(NULL, " ", &save))
			keys[n++] = keymap_qnum(SDL_GetScancodeFromName(tok));
		vm_actions_send_keys(a, keys, n, rest);
	} else if (!strcmp(line, "wait-exit")) {
		uint64_t deadline = now_ms() + (uint64_t)atoi(rest) * 1000;
		while (!d->exited && now_ms() < deadline)
			loop_once(d, 100, false);
		printf("exited %s\n", d->exited ? "yes" : "no");
	} else {
		printf("unknown command '%s'\n", line);
	}
	wait_idle(d);
	printf("done\n");
	fflush(stdout);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s FILE.vmplay\n", argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	struct driver d = { 0 };
	char *error = NULL;
	d.cfg = config_load(argv[1], &error);
	if (!d.cfg) {
		fprintf(stderr, "%s\n", error);
		return 1;
	}
	d.session = vm_session_start(d.cfg, 0, &error);
	if (!d.session) {
		fprintf(stderr, "%s\n", error);
		config_destroy(d.cfg);
		return 1;
	}
	struct vm_actions_listener al = { on_note, on_changed, &d };
	d.actions = vm_actions_create(d.cfg, d.session, &al);
	struct vm_session_listener sl = { on_state, on_event, &d };
	vm_session_set_listener(d.session, &sl);
	printf("ready\n");

	char buf[4096];
	size_t len = 0;
	bool eof = false;
	while (!eof) {
		if (!loop_once(&d, -1, true))
			continue;
		ssize_t got = read(0, buf + len, sizeof(buf) - 1 - len);
		if (got <= 0) {
			eof = true;
			break;
		}
		len += (size_t)got;
		char *nl;
		while ((nl = memchr(buf, '\n', len))) {
			*nl = '\0';
			run_command(&d, buf);
			size_t used = (size_t)(nl + 1 - buf);
			memmove(buf, nl + 1, len - used);
			len -= used;
		}
		if (len == sizeof(buf) - 1)
			len = 0;   /* an overlong line: drop it */
	}
	vm_actions_destroy(d.actions);
	vm_session_destroy(d.session);
	config_destroy(d.cfg);
	return 0;
}
