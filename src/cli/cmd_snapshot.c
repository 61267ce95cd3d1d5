/* vmplay snapshot list|take|restore|delete FILE.vmplay [NAME]: internal
 * snapshots of a VM's qcow2 disks while the VM is off, through qemu-img.
 * (While it runs, the player takes snapshots of RAM and disks over QMP.)
 *
 * Every writable disk takes part: a snapshot is taken on all of them or,
 * if one fails, removed again from those that took it. Read-only disks
 * never change, so they are left out. A running VM holds its images'
 * locks, which makes every action here fail with "in use by a running VM"
 * before anything changes. */
#include "cli/commands.h"

#include "base/util.h"
#include "vm/config.h"
#include "vm/disk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char usage_text[] =
	"Usage: vmplay snapshot list FILE.vmplay\n"
	"       vmplay snapshot take FILE.vmplay [NAME]\n"
	"       vmplay snapshot restore FILE.vmplay NAME\n"
	"       vmplay snapshot delete FILE.vmplay NAME\n"
	"\n"
	"Internal snapshots of the VM's disks while the VM is off (qcow2 disks\n"
	"only; read-only disks are left out). take without NAME names the\n"
	"snapshot by the date and time; an existing name is never reused, nor\n"
	"another snapshot's number (QEMU would take one for the other).\n"
	"restore puts every disk back to the snapshot; the VM then boots from\n"
	"there. While the VM runs, use the player's menu (ctrl+alt+m) instead.\n";

/* One writable disk of the VM with its image's info. */
struct snap_disk {
	const struct vm_disk *disk;
	struct disk_info *info;
};

struct snap_vm {
	struct vm_config *cfg;
	struct snap_disk *disks;
	size_t n;
};

static void snap_vm_free(struct snap_vm *vm)
{
	for (size_t i = 0; i < vm->n; i++)
		disk_info_destroy(vm->disks[i].info);
	free(vm->disks);
	config_destroy(vm->cfg);
}

static void fail(const char *msg)
{
	fprintf(stderr, "vmplay snapshot: %s\n", msg);
}

/* Loads the VM file and reads every writable disk's image (which also
 * proves no VM holds it). all_qcow2: refuse a disk that cannot hold
 * snapshots, naming it. */
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
	vm->disks = xcalloc(vm->cfg->n_disks + 1, sizeof(*vm->disks));
	for (size_t i = 0; i < vm->cfg->n_disks; i++) {
		const struct vm_disk *d = &vm->cfg->disks[i];
		if (d->readonly)
			continue;
		struct disk_info *info = disk_info(d->file, DISK_INFO_DEFAULT, &error);
		if (!info) {
			fprintf(stderr, "vmplay snapshot: disk '%s': %s\n",
				d->name, error);
			free(error);
			return false;
		}
		vm->disks[vm->n].disk = d;
		vm->disks[vm->n].info = info;
		vm->n++;
		if (all_qcow2 && !disk_format_has_snapshots(info->format)) {
			fprintf(stderr, "vmplay snapshot: %s: disk '%s' (%s) is "
				"a %s image, which cannot hold snapshots; only "
				"qcow2 can ('vmplay disk convert' makes a qcow2 "
				"copy)\n", vm->cfg->path, d->name, d->file,
				info->format_name);
			return false;
		}
	}
	if (vm->n == 0) {
		fprintf(stderr, "vmplay snapshot: %s has no writable disk to "
			"snapshot\n", vm->cfg->path);
		return false;
	}
	return true;
}

/* Why no disk may take a snapshot called name (a snapshot so named or
 * numbered), or NULL. Caller frees. */
static char *name_taken(const struct snap_vm *vm, const char *name)
{
	char *why = NULL;
	for (size_t i = 0; i < vm->n && !why; i++)
		why = disk_info_name_taken(vm->disks[i].info, name);
	return why;
}

static void print_table(const struct disk_info *info)
{
	if (!info->n_snapshots) {
		printf("  (no snapshots)\n");
		return;
	}
	disk_snapshots_print(stdout, info);
}

static int snapshot_list(struct snap_vm *vm, const char *name)
{
	(void)name;
	for (size_t i = 0; i < vm->n; i++) {
		const struct snap_disk *d = &vm->disks[i];
		printf("disk '%s' (%s, %s):\n", d->disk->name, d->disk->file,
		       d->info->format_name);
		if (disk_format_has_snapshots(d->info->format))
			print_table(d->info);
		else
			printf("  (a %s image cannot hold snapshots)\n",
			       d->info->format_name);
	}
	return 0;
}

static int snapshot_take(struct snap_vm *vm, const char *name)
{
	char auto_name[64];
	if (!name) {
		/* By date and time; a second snapshot in the same second
		 * gets a suffix rather than reusing the name. */
		time_t t = time(NULL);
		struct tm tm;
		localtime_r(&t, &tm);
		char base[40];
		strftime(base, sizeof(base), "%Y-%m-%d %H:%M:%S", &tm);
		snprintf(auto_name, sizeof(auto_name), "%s", base);
		char *why;
		for (int n = 2; (why = name_taken(vm, auto_name)); n++) {
			free(why);
			snprintf(auto_name, sizeof(auto_name), "%s-%d", base, n);
		}
		name = auto_name;
	}
	if (!*name) {
		fail("a snapshot name must not be empty");
		return 2;
	}
	char *why = name_taken(vm, name);
	if (why) {
		fail(why);
		free(why);
		return 1;
	}
	uint64_t start = now_ms();
	for (size_t i = 0; i < vm->n; i++) {
		char *error = NULL;
		if (disk_snapshot_create(vm->disks[i].disk->file, name, &error))
			continue;
		fprintf(stderr, "vmplay snapshot: disk '%s': %s\n",
			vm->disks[i].disk->name, error);
		free(error);
		/* All or nothing: take it back from the disks that have it. */
		for (size_t j = 0; j < i; j++) {
			if (!disk_snapshot_delete(vm->disks[j].disk->file, name,
						  &error)) {
				fprintf(stderr, "vmplay snapshot: disk '%s': %s\n",
					vm->disks[j].disk->name, error);
				free(error);
			}
		}
		return 1;
	}
	printf("snapshot '%s' taken in %.1f s (%zu disk%s)\n", name,
	       (double)(now_ms() - start) / 1000.0, vm->n, vm->n == 1 ? "" : "s");
	return 0;
}

/* Every disk must have the snapshot, else nothing changes. */
static bool all_have(const struct snap_vm *vm, const char *name)
{
	bool ok = true;
	for (size_t i = 0; i < vm->n; i++) {
		if (disk_info_find_snapshot(vm->disks[i].info, name))
			continue;
		fprintf(stderr, "vmplay snapshot: disk '%s' (%s) has no snapshot "
			"named '%s' ('vmplay snapshot list %s' shows them)\n",
			vm->disks[i].disk->name, vm->disks[i].disk->file, name,
			vm->cfg->path);
		ok = false;
	}
	return ok;
}

static int snapshot_restore(struct snap_vm *vm, const char *name)
{
	if (!all_have(vm, name))
		return 1;
	bool had_ram = false;
	for (size_t i = 0; i < vm->n; i++) {
		const struct disk_snapshot *s =
			disk_info_find_snapshot(vm->disks[i].info, name);
		had_ram |= s->vm_state_size > 0;
		char *error = NULL;
		if (!disk_snapshot_apply(vm->disks[i].disk->file, name, &error)) {
			fprintf(stderr, "vmplay snapshot: disk '%s': %s\n",
				vm->disks[i].disk->name, error);
			free(error);
			return 1;
		}
	}
	printf("restored snapshot '%s'\n", name);
	if (had_ram)
		printf("note: the snapshot also holds the VM's memory; started "
		       "from here the VM boots afresh from the restored disks\n");
	return 0;
}

static int snapshot_delete(struct snap_vm *vm, const char *name)
{
	size_t found = 0;
	for (size_t i = 0; i < vm->n; i++)
		found += disk_info_find_snapshot(vm->disks[i].info, name) != NULL;
	if (!found) {
		fprintf(stderr, "vmplay snapshot: %s has no snapshot named '%s' "
			"('vmplay snapshot list %s' shows them)\n",
			vm->cfg->path, name, vm->cfg->path);
		return 1;
	}
	int status = 0;
	for (size_t i = 0; i < vm->n; i++) {
		if (!disk_info_find_snapshot(vm->disks[i].info, name))
			continue;
		char *error = NULL;
		if (!disk_snapshot_delete(vm->disks[i].disk->file, name, &error)) {
			fprintf(stderr, "vmplay snapshot: disk '%s': %s\n",
				vm->disks[i].disk->name, error);
			free(error);
			status = 1;
		}
	}
	if (!status)
		printf("deleted snapshot '%s'\n", name);
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
		fputs(usage_text, stdout);
		return 0;
	}
	if (argc < 2) {
		fputs(usage_text, stderr);
		return 2;
	}
	for (size_t i = 0; i < ARRAY_SIZE(actions); i++) {
		if (strcmp(argv[1], actions[i].name) != 0)
			continue;
		int n = argc - 2;
		for (int j = 2; j < argc; j++) {
			if (strcmp(argv[j], "--help") == 0 ||
			    strcmp(argv[j], "-h") == 0) {
				fputs(usage_text, stdout);
				return 0;
			}
		}
		if (n < actions[i].min_args || n > actions[i].max_args) {
			fputs(usage_text, stderr);
			return 2;
		}
		struct snap_vm vm;
		int status = 1;
		if (snap_vm_load(&vm, argv[2], actions[i].needs_qcow2))
			status = actions[i].run(&vm, n > 1 ? argv[3] : NULL);
		snap_vm_free(&vm);
		return status;
	}
	fprintf(stderr, "vmplay snapshot: '%s' is not an action (accepted: "
		"list, take, restore, delete)\n", argv[1]);
	return 2;
}
