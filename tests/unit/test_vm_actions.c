/* The pure parts of vm_actions.c and recent.c: snapshot names, the
 * "cannot hold snapshots" message, parsing query-named-block-nodes,
 * send-key arguments, disk names and files, paths for the VM file, the
 * recent list. (The QMP side runs against real QEMU in
 * tests/e2e/test_actions.sh.) */
#include "test.h"

#include "base/recent.h"
#include "base/util.h"
#include "player/keymap.h"
#include "player/menu_bridge.h"
#include "vm/config.h"
#include "vm/machine_qemu.h"
#include "vm/vm_actions.h"

#include <stdlib.h>
#include <time.h>
#include <unistd.h>

/* 2026-11-27 10:42:05 UTC */
#define T0 ((time_t)1795776125)

static void test_snapshot_name(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	static const struct {
		const char *taken[3];
		size_t n;
		const char *want;
	} cases[] = {
		{ { NULL }, 0, "2026-11-27 10:42" },
		{ { "other" }, 1, "2026-11-27 10:42" },
		{ { "2026-11-27 10:42" }, 1, "2026-11-27 10:42 (2)" },
		{ { "2026-11-27 10:42", "2026-11-27 10:42 (2)" }, 2,
		  "2026-11-27 10:42 (3)" },
		{ { "2026-11-27 10:42 (2)" }, 1, "2026-11-27 10:42" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *name = vm_actions_snapshot_name(T0, cases[i].taken,
						      cases[i].n);
		CHECK_STR(name, cases[i].want);
		free(name);
	}
}

static struct vm_config *parse(const char *text)
{
	char *error = NULL;
	struct vm_config *cfg = config_parse("/vms/t.vmplay", text,
					     strlen(text), &error);
	if (!cfg)
		printf("  config: %s\n", error);
	free(error);
	return cfg;
}

static void test_blocker(void)
{
	static const struct {
		const char *text;
		enum disk_format formats[3];
		const char *want;   /* fragment, NULL: no blocker */
	} cases[] = {
		{ "[disk.a]\nfile = a.qcow2\n", { FORMAT_QCOW2 }, NULL },
		{ "[disk.a]\nfile = a.img\n", { FORMAT_RAW },
		  "disk 'a' (/vms/a.img) is a raw image, which cannot hold "
		  "snapshots" },
		{ "[disk.a]\nfile = a.qcow2\n[disk.b]\nfile = b.vdi\n",
		  { FORMAT_QCOW2, FORMAT_VDI }, "disk 'b' (/vms/b.vdi) is a vdi image" },
		/* read-only disks never change: they do not take part */
		{ "[disk.a]\nfile = a.qcow2\n[disk.b]\nfile = b.iso\nreadonly = true\n",
		  { FORMAT_QCOW2, FORMAT_RAW }, NULL },
		{ "[vm]\nname = x\n", { FORMAT_AUTO }, "has no writable disk" },
		{ "[disk.a]\nfile = a.vhd\n", { FORMAT_AUTO },
		  "disk 'a' (/vms/a.vhd) is of a format vmplay cannot read" },
		{ "[disk.a]\nfile = a.img\n[disk.b]\nfile = b.vmdk\n",
		  { FORMAT_RAW, FORMAT_VMDK },
		  "a raw image; disk 'b' (/vms/b.vmdk) is a vmdk image" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct vm_config *cfg = parse(cases[i].text);
		CHECK(cfg != NULL);
		if (!cfg)
			continue;
		char *msg = vm_actions_blocker_for(cfg, cases[i].formats);
		if (cases[i].want)
			CHECK_CONTAINS(msg, cases[i].want);
		else
			CHECK_STR(msg, NULL);
		free(msg);
		config_destroy(cfg);
	}
}

/* Trimmed from QEMU 7.2's answer to query-named-block-nodes flat=true. */
static const char nodes_json[] =
	"[{\"node-name\": \"disk0\", \"image\": {\"format\": \"qcow2\","
	"  \"virtual-size\": 67108864, \"actual-size\": 3096576,"
	"  \"snapshots\": ["
	"   {\"name\": \"first\", \"id\": \"1\", \"date-sec\": 1795764934,"
	"    \"date-nsec\": 5, \"vm-clock-sec\": 3, \"vm-clock-nsec\": 124510640,"
	"    \"vm-state-size\": 2703580},"
	"   {\"name\": \"only-here\", \"id\": \"2\", \"date-sec\": 1795764999,"
	"    \"date-nsec\": 0, \"vm-clock-sec\": 9, \"vm-clock-nsec\": 0,"
	"    \"vm-state-size\": 100},"
	"   {\"name\": \"second\", \"id\": \"3\", \"date-sec\": 1795765000,"
	"    \"date-nsec\": 0, \"vm-clock-sec\": 61, \"vm-clock-nsec\": 5,"
	"    \"vm-state-size\": 200}]}},"
	" {\"node-name\": \"#block123\", \"image\": {\"format\": \"file\","
	"  \"virtual-size\": 3276800}},"
	" {\"node-name\": \"disk1\", \"image\": {\"format\": \"qcow2\","
	"  \"virtual-size\": 1048576, \"actual-size\": 200704,"
	"  \"snapshots\": ["
	"   {\"name\": \"second\", \"id\": \"1\", \"date-sec\": 1795765000,"
	"    \"vm-clock-sec\": 61, \"vm-clock-nsec\": 5, \"vm-state-size\": 0},"
	"   {\"name\": \"first\", \"id\": \"2\", \"date-sec\": 1795764934,"
	"    \"vm-clock-sec\": 3, \"vm-clock-nsec\": 124510640,"
	"    \"vm-state-size\": 0}]}}]";

static void test_parse_nodes(void)
{
	struct json_object *nodes = json_tokener_parse(nodes_json);
	CHECK(nodes != NULL);
	static const struct {
		const char *names[3];
		size_t n;
		const char *want;   /* names joined by ',' */
	} cases[] = {
		{ { "disk0" }, 1, "first,only-here,second" },
		{ { "disk0", "disk1" }, 2, "first,second" },
		{ { "disk1", "disk0" }, 2, "second,first" },
		{ { "disk0", "missing" }, 2, "" },
		{ { "missing" }, 1, "" },
		{ { NULL }, 0, "" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct disk_snapshot *list = NULL;
		size_t n = vm_actions_parse_nodes(nodes, cases[i].names,
						  cases[i].n, &list, NULL);
		char got[256] = "";
		for (size_t k = 0; k < n; k++) {
			if (k)
				strcat(got, ",");
			strcat(got, list[k].name);
		}
		CHECK_STR(got, cases[i].want);
		vm_actions_free_snapshots(list, n);
	}

	/* The data comes from the first node (which holds the VM state). */
	const char *names[] = { "disk0", "disk1" };
	struct vm_node_size sizes[2] = { 0 };
	struct disk_snapshot *list = NULL;
	size_t n = vm_actions_parse_nodes(nodes, names, 2, &list, sizes);
	CHECK_INT(n, 2);
	if (n == 2) {
		CHECK_STR(list[1].name, "second");
		CHECK_STR(list[1].id, "3");
		CHECK_INT(list[1].date_sec, 1795765000);
		CHECK_INT(list[1].vm_clock_ns, 61000000005ull);
		CHECK_INT(list[1].vm_state_size, 200);
		CHECK_INT(list[0].vm_clock_ns, 3124510640ull);
	}
	vm_actions_free_snapshots(list, n);
	CHECK(sizes[0].found && sizes[1].found);
	CHECK_STR(sizes[0].format, "qcow2");
	CHECK_INT(sizes[0].virtual_size, 67108864);
	CHECK_INT(sizes[0].used_size, 3096576);
	CHECK_INT(sizes[1].virtual_size, 1048576);
	free(sizes[0].format);
	free(sizes[1].format);

	/* Not an array, or nodes without images: nothing, no crash. */
	struct json_object *bad = json_tokener_parse(
		"{\"return\": 1}");
	n = vm_actions_parse_nodes(bad, names, 2, &list, NULL);
	CHECK_INT(n, 0);
	vm_actions_free_snapshots(list, n);
	json_object_put(bad);
	bad = json_tokener_parse("[{\"node-name\": \"disk0\"}, 7, null]");
	n = vm_actions_parse_nodes(bad, names, 1, &list, NULL);
	CHECK_INT(n, 0);
	vm_actions_free_snapshots(list, n);
	json_object_put(bad);
	json_object_put(nodes);
}

static void test_send_key_args(void)
{
	static const struct {
		SDL_Scancode keys[3];
		size_t n;
		const char *want;   /* JSON, or NULL: error */
	} cases[] = {
		{ { SDL_SCANCODE_LCTRL, SDL_SCANCODE_LALT, SDL_SCANCODE_DELETE }, 3,
		  "{\"keys\":[{\"type\":\"number\",\"data\":29},"
		  "{\"type\":\"number\",\"data\":56},"
		  "{\"type\":\"number\",\"data\":211}]}" },
		{ { SDL_SCANCODE_LCTRL, SDL_SCANCODE_LALT, SDL_SCANCODE_F2 }, 3,
		  "{\"keys\":[{\"type\":\"number\",\"data\":29},"
		  "{\"type\":\"number\",\"data\":56},"
		  "{\"type\":\"number\",\"data\":60}]}" },
		{ { SDL_SCANCODE_PRINTSCREEN }, 1,
		  "{\"keys\":[{\"type\":\"number\",\"data\":183}]}" },
		{ { SDL_SCANCODE_UNKNOWN }, 1, NULL },
		{ { 0 }, 0, NULL },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *error = NULL;
		uint16_t qnums[4];
		for (size_t k = 0; k < cases[i].n; k++)
			qnums[k] = keymap_qnum(cases[i].keys[k]);
		struct json_object *args = vm_actions_send_key_args(
			qnums, cases[i].n, &error);
		if (cases[i].want) {
			CHECK_STR(args ? json_object_to_json_string_ext(
					       args, JSON_C_TO_STRING_PLAIN)
				       : error,
				  cases[i].want);
		} else {
			CHECK(args == NULL && error != NULL);
		}
		json_object_put(args);
		free(error);
	}
}

static void test_disk_names(void)
{
	/* One rule: a name the menu's disk creation accepts is one the
	 * VM-file reader accepts as [disk.NAME], and the reverse. */
	static const struct {
		const char *name;
		const char *why;   /* fragment, NULL: accepted */
	} cases[] = {
		{ "data", NULL },
		{ "Data_2-x", NULL },
		{ "x1", NULL },
		{ "abcdefghijabcdefghijabcdefghij12", NULL },   /* 32 */
		{ "Data_2.old-x", "contains '.'" },
		{ "1x", "does not start with a letter" },
		{ "abcdefghijabcdefghijabcdefghij123", "longer than 32" },
		{ "", "needs a name" },
		{ ".hidden", "does not start with a letter" },
		{ "-x", "does not start with a letter" },
		{ "a/b", "contains '/'" },
		{ "a b", "contains ' '" },
		{ "a]b", "contains ']'" },
		{ "a:b", "contains ':'" },
		{ "a\033b", "byte 0x1b" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *why = config_disk_name_problem(cases[i].name);
		CHECK_INT(why == NULL, cases[i].why == NULL);
		if (cases[i].why)
			CHECK_CONTAINS(why, cases[i].why);
		free(why);
		/* The reader on a VM file with that disk section. */
		char *text = xasprintf("[vm]\nname = t\n[disk.%s]\nfile = d.qcow2\n",
				       cases[i].name);
		char *error = NULL;
		struct vm_config *cfg = config_parse("/tmp/t.vmplay", text,
						     strlen(text), &error);
		bool reader_ok = cfg && (!error || !strstr(error, "disk name"));
		CHECK_INT(reader_ok, cases[i].why == NULL);
		config_destroy(cfg);
		free(error);
		free(text);
	}
	static const struct {
		enum disk_format f;
		const char *want;
	} files[] = {
		{ FORMAT_QCOW2, "d.qcow2" }, { FORMAT_RAW, "d.img" },
		{ FORMAT_VDI, "d.vdi" }, { FORMAT_VMDK, "d.vmdk" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		char *f = vm_actions_disk_file_name("d", files[i].f);
		CHECK_STR(f, files[i].want);
		free(f);
	}
}

static void test_path_for_file(void)
{
	static const struct {
		const char *dir, *path, *want;
	} cases[] = {
		{ "/vms/deb", "/vms/deb/x.iso", "x.iso" },
		{ "/vms/deb/", "/vms/deb/isos/x.iso", "isos/x.iso" },
		{ "/vms/deb", "/vms/debian/x.iso", "/vms/debian/x.iso" },
		{ "/vms/deb", "/usr/share/x.iso", "/usr/share/x.iso" },
		{ "/vms/deb", "/vms/deb/", "/vms/deb/" },
		{ "/", "/x.iso", "x.iso" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *got = vm_actions_path_for_file(cases[i].dir, cases[i].path);
		CHECK_STR(got, cases[i].want);
		free(got);
	}
}

static char *joined(const struct strv *sv)
{
	char *text = recent_format(sv);
	for (char *p = text; *p; p++)
		if (*p == '\n')
			*p = ',';
	return text;
}

static void test_recent(void)
{
	static const struct {
		const char *file;
		const char *push;   /* NULL: none */
		size_t max;
		const char *want;
	} cases[] = {
		{ "", "/a.iso", 3, "/a.iso," },
		{ "/a.iso\n/b.iso\n", "/c.iso", 3, "/c.iso,/a.iso,/b.iso," },
		{ "/a.iso\n/b.iso\n/c.iso\n", "/b.iso", 3, "/b.iso,/a.iso,/c.iso," },
		{ "/a.iso\n/b.iso\n/c.iso\n", "/d.iso", 3, "/d.iso,/a.iso,/b.iso," },
		/* relative, blank, CRLF, duplicates, no final newline */
		{ "rel.iso\n\n/a.iso\r\n/a.iso\n/b.iso", NULL, 5, "/a.iso,/b.iso," },
		{ "/a\n/b\n/c\n/d\n", NULL, 2, "/a,/b," },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct strv list = { 0 };
		recent_parse(cases[i].file, strlen(cases[i].file), &list,
			     cases[i].max);
		if (cases[i].push)
			recent_push(&list, cases[i].push, cases[i].max);
		char *got = joined(&list);
		CHECK_STR(got, cases[i].want);
		free(got);
		strv_free(&list);
	}

	/* Through a file in a fresh folder (created 0700). */
	char dir[] = "/tmp/vmplay-recent-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	setenv("XDG_STATE_HOME", dir, 1);
	char *path = recent_path("recent-isos");
	char *want = xasprintf("%s/vmplay/recent-isos", dir);
	CHECK_STR(path, want);
	struct strv list = { 0 };
	recent_load(path, &list, RECENT_MAX);
	CHECK_INT(list.n, 0);
	recent_push(&list, "/x.iso", RECENT_MAX);
	CHECK(recent_save(path, &list));
	strv_free(&list);
	recent_load(path, &list, RECENT_MAX);
	CHECK_INT(list.n, 1);
	CHECK_STR(list.n ? list.v[0] : NULL, "/x.iso");
	strv_free(&list);
	/* A relative XDG_STATE_HOME is ignored, as the spec says. */
	setenv("XDG_STATE_HOME", "relative", 1);
	setenv("HOME", "/home/u", 1);
	char *fallback = recent_path("r");
	CHECK_STR(fallback, "/home/u/.local/state/vmplay/r");
	free(fallback);
	unlink(path);
	char *sub = xasprintf("%s/vmplay", dir);
	rmdir(sub);
	rmdir(dir);
	free(sub);
	free(want);
	free(path);
}

static void count_note(void *user, enum vm_note kind, const char *text)
{
	(void)kind;
	(void)text;
	(*(int *)user)++;
}

static void test_menu_dispatch(void)
{
	struct vm_config *cfg = parse("[vm]\nname = d\n");
	CHECK(cfg != NULL);
	if (!cfg)
		return;
	int notes = 0;
	/* the QEMU engine of the machine seam, with no QEMU running */
	struct machine *m = machine_qemu_create(cfg);
	machine_set_listener(m, &(struct machine_listener){
		.note = count_note, .user = &notes });
	struct vm_actions *a = machine_actions(m);
	static const struct {
		enum menu_action action;
		bool handled;
	} cases[] = {
		{ MENU_PAUSE, false }, { MENU_RESET, false },
		{ MENU_SHUTDOWN, false }, { MENU_FORCE_OFF, false },
		{ MENU_SNAPSHOT_LIST, true }, { MENU_SNAPSHOT_TAKE, true },
		{ MENU_SNAPSHOT_RESTORE, true }, { MENU_SNAPSHOT_DELETE, true },
		{ MENU_MEDIA_INSERT, true }, { MENU_MEDIA_EJECT, true },
		{ MENU_DISK_LIST, true }, { MENU_DISK_CREATE, true },
		{ MENU_DISK_GROW, true }, { MENU_FULLSCREEN, false },
		{ MENU_SCALE, false }, { MENU_SEND_KEYS, false },
		{ MENU_SCREENSHOT, false }, { MENU_QUIT, false },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct menu_request req = { .action = cases[i].action };
		CHECK_INT(menu_bridge_dispatch(m, &req), cases[i].handled);
	}
	/* No VM running, no disk, no CD: every handled action but the lists
	 * said why it could not run; nothing was left running. */
	CHECK_INT(notes, 7);
	CHECK(vm_actions_idle(a));

	struct overlay_info info = { 0 };
	struct menu_bridge_lists keep = { 0 };
	menu_bridge_fill(m, &info, &keep);
	CHECK(info.snapshots_known && info.disks_known);   /* listed offline */
	CHECK_INT(info.n_snapshots, 0);
	CHECK_INT(info.n_disks, 0);
	CHECK(info.busy == NULL && info.cdrom == NULL);
	menu_bridge_lists_free(&keep);
	machine_destroy(m);
	config_destroy(cfg);
}

static void test_menu_notes(void)
{
	struct toasts *ts = toasts_create();
	unsigned progress = 0;
	menu_bridge_note(ts, &progress, 1000, VM_NOTE_PROGRESS, "Taking snapshot a…");
	CHECK(progress != 0);
	CHECK_INT(toasts_count(ts), 1);
	CHECK_INT(toasts_kind(ts, 0), TOAST_PROGRESS);
	menu_bridge_note(ts, &progress, 2000, VM_NOTE_INFO, "Snapshot a taken in 1.0 s");
	CHECK_INT(progress, 0);
	CHECK_INT(toasts_count(ts), 1);   /* replaced, not stacked */
	CHECK_STR(toasts_text(ts, 0), "Snapshot a taken in 1.0 s");
	CHECK_INT(toasts_kind(ts, 0), TOAST_INFO);
	menu_bridge_note(ts, &progress, 2100, VM_NOTE_ERROR, "Cannot eject: locked");
	CHECK_INT(toasts_count(ts), 2);
	CHECK_INT(toasts_kind(ts, 1), TOAST_ERROR);
	/* A progress toast that expired or was dismissed: the result shows. */
	menu_bridge_note(ts, &progress, 2200, VM_NOTE_PROGRESS, "Deleting snapshot b…");
	toast_dismiss(ts, progress);
	menu_bridge_note(ts, &progress, 2300, VM_NOTE_INFO, "Snapshot b deleted");
	CHECK_STR(toasts_text(ts, toasts_count(ts) - 1), "Snapshot b deleted");
	menu_bridge_note(NULL, &progress, 0, VM_NOTE_INFO, "no toasts: ignored");
	toasts_destroy(ts);
}

int main(void)
{
	RUN(test_snapshot_name);
	RUN(test_blocker);
	RUN(test_parse_nodes);
	RUN(test_send_key_args);
	RUN(test_disk_names);
	RUN(test_path_for_file);
	RUN(test_recent);
	RUN(test_menu_dispatch);
	RUN(test_menu_notes);
	return TEST_REPORT();
}
