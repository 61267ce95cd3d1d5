/* vmplay snapshot list|take|restore|delete FILE.vmplay [NAME]: internal
 * snapshots of a VM's qcow2 disks while the VM is off, through qemu-img
 * (vm/offline_snapshots.c, which says how; the stopped player uses the
 * same). While a vmplay runs the VM (a window or --headless), take,
 * restore and delete are sent to it (instance.h) and run as its menu
 * runs them, over QMP, memory included (snapshot_requests.h); list reads
 * the images shared. */
#include "cli/commands.h"

#include "base/i18n.h"
#include "base/display_format.h"
#include "base/util.h"
#include "vm/config.h"
#include "vm/disk.h"
#include "vm/instance.h"
#include "vm/offline_snapshots.h"
#include "vm/snapshot_rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* TRANSLATORS: --help text: option and command names, key names
 * and words in capitals (FILE, NAME) stay as they are. */
static const char *const usage_text =
	N_("Usage: vmplay snapshot list [--names] FILE.vmplay\n"
	"       vmplay snapshot take FILE.vmplay [NAME]\n"
	"       vmplay snapshot restore FILE.vmplay NAME\n"
	"       vmplay snapshot delete FILE.vmplay NAME\n"
	"\n"
	"Internal snapshots of the VM's disks (qcow2 disks only; read-only\n"
	"disks are left out). take without NAME names the\n"
	"snapshot by the date and time; an existing name is never reused, nor\n"
	"another snapshot's number (QEMU would take one for the other), and\n"
	"names are one line without control characters. restore and delete\n"
	"refuse a name QEMU could take for another snapshot's id. Commands on\n"
	"one VM run one at a time (a second one waits).\n"
	"With the VM off, restore puts every disk back to the snapshot; the VM\n"
	"then boots from there. A disk attached after the snapshot was taken\n"
	"does not have it (a partial snapshot): it is left as it is, and\n"
	"restore says so.\n"
	"While a vmplay runs the VM (its window or --headless), take, restore\n"
	"and delete go to that vmplay, which does them as its menu would: the\n"
	"snapshot then holds the VM's memory too, and restore brings the VM\n"
	"back to that moment; list works while it runs.\n"
	"list --names prints only the snapshots' names, one a line, each once\n"
	"(for scripts and shell completion).\n");

/* The VM file and its disks' images (vm/offline_snapshots.c does the
 * work, shared with the stopped player's Snapshots page). */
struct snap_vm {
	struct vm_config *cfg;
	struct offline_snaps *snaps;
};

static void snap_vm_free(struct snap_vm *vm)
{
	offline_snaps_close(vm->snaps);
	config_destroy(vm->cfg);
}

/* Prints a module's error lines, each as "vmplay snapshot: LINE". */
static void fail(const char *msg)
{
	const char *p = msg;
	while (*p) {
		size_t n = strcspn(p, "\n");
		fprintf(stderr, "vmplay snapshot: %.*s\n", (int)n, p);
		p += n;
		if (*p)
			p++;
	}
}

static bool snap_vm_load(struct snap_vm *vm, const char *file, bool all_qcow2)
{
	memset(vm, 0, sizeof(*vm));
	char *error = NULL;
	vm->cfg = config_load(file, &error);
	if (!vm->cfg) {
		fprintf(stderr, "%s\n", error);
		free(error);
		return false;
	}
	/* Changes wait for the VM's snapshot lock (snapshot_rules.h): a
	 * second command then sees what the first one did. */
	vm->snaps = offline_snaps_open(vm->cfg, all_qcow2,
				       all_qcow2 ? OFFLINE_LOCK_WAIT
						 : OFFLINE_READ_ONLY, &error);
	if (!vm->snaps) {
		fail(error);
		free(error);
		return false;
	}
	return true;
}

static void print_table(const struct disk_info *info)
{
	if (!info->n_snapshots) {
		fputs(_("  (no snapshots)\n"), stdout);
		return;
	}
	disk_snapshots_print(stdout, info);
}

/* list --names: every snapshot name once, in the order the disks show
 * them; what a script or the shell's completion offers for NAME. */
static int snapshot_list_names(struct snap_vm *vm)
{
	size_t n = offline_snaps_count(vm->snaps);
	for (size_t i = 0; i < n; i++) {
		const struct disk_info *info = offline_snaps_info(vm->snaps, i);
		for (size_t s = 0; s < info->n_snapshots; s++) {
			const char *name = info->snapshots[s].name;
			bool seen = false;
			for (size_t j = 0; j <= i && !seen; j++) {
				const struct disk_info *earlier =
					offline_snaps_info(vm->snaps, j);
				size_t end = j < i ? earlier->n_snapshots : s;
				for (size_t k = 0; k < end && !seen; k++)
					seen = strcmp(earlier->snapshots[k].name, name) == 0;
			}
			if (!seen)
				printf("%s\n", name);
		}
	}
	return 0;
}

static bool list_names_only;

static int snapshot_list(struct snap_vm *vm, const char *name)
{
	(void)name;
	if (list_names_only)
		return snapshot_list_names(vm);
	for (size_t i = 0; i < offline_snaps_count(vm->snaps); i++) {
		const struct vm_disk *d = offline_snaps_disk(vm->snaps, i);
		const struct disk_info *info = offline_snaps_info(vm->snaps, i);
		/* TRANSLATORS: vmplay snapshot list, above a disk's
		 * snapshots; %1$s the disk's name in the VM file, %2$s its
		 * image, %3$s the image's format (qcow2...). */
		printf(_("disk '%s' (%s, %s):\n"), d->name, d->file,
		       info->format_name);
		if (disk_format_has_snapshots(info->format))
			print_table(info);
		else
			/* TRANSLATORS: %s a disk format (raw, vdi...) */
			printf(_("  (a %s image cannot hold snapshots)\n"),
			       info->format_name);
	}
	return 0;
}

static int snapshot_take(struct snap_vm *vm, const char *name)
{
	char *bad = name ? snapshot_name_problem(name) : NULL;
	if (bad) {
		fail(bad);
		free(bad);
		return 2;
	}
	char *auto_name = name ? NULL : offline_snaps_auto_name(vm->snaps);
	if (!name)
		name = auto_name;
	uint64_t start = now_ms();
	char *error = NULL;
	int status = 0;
	if (offline_snaps_take(vm->snaps, name, &error)) {
		size_t n = offline_snaps_count(vm->snaps);
		char *shown = snapshot_name_shown(name);
		char secs[32];
		format_decimal_display((double)(now_ms() - start) / 1000.0,
				       0, 1, secs, sizeof(secs));
		/* TRANSLATORS: %1$s the snapshot's name, %2$s the seconds
		 * it took (0.2), %3$zu the number of disks. */
		printf(ngettext("snapshot '%s' taken in %s s (%zu disk)\n",
				"snapshot '%s' taken in %s s (%zu disks)\n",
				n), shown, secs, n);
		free(shown);
	} else {
		fail(error);
		status = 1;
	}
	free(error);
	free(auto_name);
	return status;
}

/* Every disk that has the snapshot goes back to it; a disk without it
 * (attached after the snapshot was taken: a "partial" snapshot) is left
 * as it is, and said so. */
static int snapshot_restore(struct snap_vm *vm, const char *name)
{
	bool had_ram;
	char *error = NULL, *left = NULL;
	if (!offline_snaps_restore(vm->snaps, name, &had_ram, &left, &error)) {
		fail(error);
		free(error);
		return 1;
	}
	char *shown = snapshot_name_shown(name);
	printf(_("restored snapshot '%s'\n"), shown);
	for (size_t i = 0; left && i < offline_snaps_count(vm->snaps); i++) {
		const struct vm_disk *d = offline_snaps_disk(vm->snaps, i);
		if (!disk_info_find_snapshot(offline_snaps_info(vm->snaps, i), name))
			/* TRANSLATORS: %1$s the disk's name, %2$s its image,
			 * %3$s the snapshot's name. */
			printf(_("note: disk '%s' (%s) has no snapshot '%s' "
				 "(it was attached later) and was left as it "
				 "is\n"), d->name, d->file, shown);
	}
	free(shown);
	free(left);
	if (had_ram)
		fputs(_("note: the snapshot also holds the VM's memory; "
			"started from here the VM boots afresh from the "
			"restored disks\n"), stdout);
	return 0;
}

static int snapshot_delete(struct snap_vm *vm, const char *name)
{
	char *error = NULL;
	if (!offline_snaps_delete(vm->snaps, name, &error)) {
		fail(error);
		free(error);
		return 1;
	}
	char *shown = snapshot_name_shown(name);
	printf(_("deleted snapshot '%s'\n"), shown);
	free(shown);
	return 0;
}

/* The running vmplay's answer lines (snapshot_requests.h): notes. */
static void print_note(void *user, const char *line)
{
	(void)user;
	const char *text;
	if (!strncmp(line, "note info ", 10))
		printf("%s\n", line + 10);
	else if (!strncmp(line, "note error ", 11))
		fail(line + 11);
	else if ((text = strncmp(line, "note progress ", 14) ? NULL : line + 14))
		fprintf(stderr, "%s\n", text);
	fflush(stdout);
}

/* take/restore/delete while a vmplay runs the VM: that vmplay does it.
 * -1 when none runs it (the caller goes on offline). */
static int snapshot_live(const char *action, const char *file,
			 const char *name)
{
	long pid = 0;
	bool window = false;
	if (!instance_holder(file, &pid, &window))
		return -1;
	char *line = xasprintf("snapshot %s%s%s", action, name ? " " : "",
			       name ? name : "");
	char *error = NULL;
	int status = instance_request(file, line, print_note, NULL, &error);
	free(line);
	if (status < 0) {
		fprintf(stderr, _("vmplay snapshot: %s runs in vmplay pid %ld, "
				  "which did not do it: %s\n"), file, pid, error);
		free(error);
		return 1;
	}
	return status;
}

static const struct {
	const char *name;
	int (*run)(struct snap_vm *vm, const char *name);
	int min_args, max_args;   /* after the action: FILE [NAME] */
	bool needs_qcow2;
} actions[] = {
	{ "list", snapshot_list, 1, 1, false },
	{ "take", snapshot_take, 1, 2, true },
	{ "restore", snapshot_restore, 2, 2, true },
	{ "delete", snapshot_delete, 2, 2, true },
};

int cmd_snapshot(int argc, char **argv)
{
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 ||
			  strcmp(argv[1], "-h") == 0)) {
		fputs(_(usage_text), stdout);
		return 0;
	}
	if (argc < 2) {
		fputs(_(usage_text), stderr);
		return 2;
	}
	for (size_t i = 0; i < ARRAY_SIZE(actions); i++) {
		if (strcmp(argv[1], actions[i].name) != 0)
			continue;
		/* list --names: drop the flag, wherever it is */
		if (actions[i].run == snapshot_list) {
			int kept = 2;
			for (int j = 2; j < argc; j++) {
				if (strcmp(argv[j], "--names") == 0)
					list_names_only = true;
				else
					argv[kept++] = argv[j];
			}
			argc = kept;
		}
		int n = argc - 2;
		for (int j = 2; j < argc; j++) {
			if (strcmp(argv[j], "--help") == 0 ||
			    strcmp(argv[j], "-h") == 0) {
				fputs(_(usage_text), stdout);
				return 0;
			}
		}
		if (n < actions[i].min_args || n > actions[i].max_args) {
			fputs(_(usage_text), stderr);
			return 2;
		}
		if (actions[i].needs_qcow2) {
			const char *name = n > 1 ? argv[3] : NULL;
			/* the rules of take; and a line to the running
			 * vmplay cannot hold a line break */
			char *bad = name && (actions[i].run == snapshot_take ||
					     strchr(name, '\n'))
				? snapshot_name_problem(name) : NULL;
			if (bad) {
				fail(bad);
				free(bad);
				return 2;
			}
			int live = snapshot_live(argv[1], argv[2], name);
			if (live >= 0)
				return live;
		}
		struct snap_vm vm;
		int status = 1;
		if (snap_vm_load(&vm, argv[2], actions[i].needs_qcow2))
			status = actions[i].run(&vm, n > 1 ? argv[3] : NULL);
		snap_vm_free(&vm);
		return status;
	}
	fprintf(stderr, _("vmplay snapshot: '%s' is not an action (accepted: "
			  "list, take, restore, delete)\n"), argv[1]);
	return 2;
}
