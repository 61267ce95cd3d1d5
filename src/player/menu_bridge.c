/* See menu_bridge.h. */
#include "player/menu_bridge.h"

#include "base/i18n.h"
#include "base/util.h"
#include "base/display_format.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

bool menu_bridge_dispatch(struct machine *m, const struct menu_request *req)
{
	struct vm_actions *a = machine_actions(m);
	switch (req->action) {
	case MENU_SNAPSHOT_LIST:
	case MENU_DISK_LIST:
		machine_refresh(m);
		return true;
	case MENU_SNAPSHOT_TAKE:
		machine_snapshot_take(m, req->arg);
		return true;
	case MENU_SNAPSHOT_RESTORE:
		machine_snapshot_restore(m, req->arg);
		return true;
	case MENU_SNAPSHOT_DELETE:
		machine_snapshot_delete(m, req->arg);
		return true;
	case MENU_MEDIA_INSERT:
		machine_media_insert(m, req->arg);
		return true;
	case MENU_MEDIA_EJECT:
		machine_media_eject(m);
		return true;
	case MENU_DISK_CREATE:
		if (a)
			vm_actions_disk_create(a, req->arg, req->arg2, req->size);
		else
			machine_notify_note(m, VM_NOTE_ERROR, _("Disks of this "
					    "machine are managed where it is "
					    "defined (virsh, virt-manager)."));
		return true;
	case MENU_DISK_GROW:
		if (a)
			vm_actions_disk_grow(a, req->arg, req->size);
		else
			machine_notify_note(m, VM_NOTE_ERROR, _("Disks of this "
					    "machine are managed where it is "
					    "defined (virsh, virt-manager)."));
		return true;
	default:
		return false;
	}
}

void menu_bridge_lists_free(struct menu_bridge_lists *keep)
{
	free(keep->snapshots);
	free(keep->dates);
	free(keep->clocks);
	strv_free(&keep->kinds);
	strv_free(&keep->effects);
	free(keep->disks);
	strv_free(&keep->disk_names);
	*keep = (struct menu_bridge_lists){ 0 };
}

void menu_bridge_fill(struct machine *m, struct overlay_info *info,
		       struct menu_bridge_lists *keep)
{
	menu_bridge_lists_free(keep);
	struct vm_actions *a = machine_actions(m);
	info->busy = machine_busy(m);
	info->cdrom = machine_cdrom(m);
	if (a)
		info->n_recent_isos = vm_actions_recent_isos(a, &info->recent_isos);

	/* QEMU's vm_actions know each snapshot's kind (memory, disks only,
	 * partial); other engines give the plain list: no kind shown */
	const struct vm_snapshot *kinds = NULL;
	const struct disk_snapshot *plain = NULL;
	size_t n = a ? vm_actions_snapshots(a, &kinds)
		     : machine_snapshots(m, &plain);
	keep->snapshots = xcalloc(n + 1, sizeof(*keep->snapshots));
	keep->dates = xcalloc(n + 1, sizeof(*keep->dates));
	keep->clocks = xcalloc(n + 1, sizeof(*keep->clocks));
	for (size_t i = 0; kinds && i < n; i++) {
		char *kind = vm_snapshot_kind_text(&kinds[i]);
		char *effect = vm_snapshot_restore_effect(&kinds[i]);
		strv_push(&keep->kinds, kind);
		strv_push(&keep->effects, effect);
		free(kind);
		free(effect);
	}
	for (size_t i = 0; i < n; i++) {
		const struct disk_snapshot *snap = kinds ? &kinds[i].s : &plain[i];
		time_t t = (time_t)snap->date_sec;
		struct tm tm;
		char iso[32] = "";
		/* The shortcut names a snapshot by its ISO date (vm_snapshots.c):
		 * compared with that, not with the locale's date shown. */
		if (localtime_r(&t, &tm))
			strftime(iso, sizeof(iso), "%Y-%m-%d %H:%M", &tm);
		format_date_display(t, false, keep->dates[i], sizeof(keep->dates[i]));
		uint64_t s = snap->vm_clock_ns / 1000000000u;
		snprintf(keep->clocks[i], sizeof(keep->clocks[i]),
			 "%02llu:%02u:%02u", (unsigned long long)(s / 3600),
			 (unsigned)(s / 60 % 60), (unsigned)(s % 60));
		/* libvirt does not tell the guest's run time: none shown */
		keep->snapshots[i] = (struct overlay_snapshot){
			snap->name, keep->dates[i],
			snap->vm_clock_ns ? keep->clocks[i] : NULL,
			kinds ? keep->kinds.v[i] : NULL,
			kinds ? keep->effects.v[i] : NULL,
			kinds && vm_snapshot_kind(&kinds[i]) == VM_SNAPSHOT_PARTIAL,
			!strncmp(snap->name, iso, strlen(iso)) };
	}
	info->snapshots_known = machine_snapshots_known(m);
	info->snapshots = keep->snapshots;
	info->n_snapshots = n;

	const struct vm_actions_disk *disks = NULL;
	n = a ? vm_actions_disks(a, &disks) : 0;
	keep->disks = xcalloc(n + 1, sizeof(*keep->disks));
	for (size_t i = 0; i < n; i++) {
		if (disks[i].next_boot)
			/* TRANSLATORS: a disk's name in the Disks menu; %s is
			 * the name ("data"): the disk is attached at the next
			 * boot. */
			strv_pushf(&keep->disk_names, _("%s (next boot)"),
				   disks[i].name);
		else
			strv_push(&keep->disk_names, disks[i].name);
	}
	for (size_t i = 0; i < n; i++)
		keep->disks[i] = (struct overlay_disk){
			keep->disk_names.v[i], disks[i].file, disks[i].format,
			disks[i].virtual_size, disks[i].used_size };
	info->disks_known = !a || vm_actions_disks_known(a);
	info->disks = keep->disks;
	info->n_disks = n;
}

void menu_bridge_note(struct toasts *ts, unsigned *progress, uint64_t now,
		       enum vm_note kind, const char *text)
{
	static const enum toast_kind kinds[] = {
		[VM_NOTE_INFO] = TOAST_INFO,
		[VM_NOTE_ERROR] = TOAST_ERROR,
		[VM_NOTE_PROGRESS] = TOAST_PROGRESS,
	};
	if (!ts)
		return;
	if (kind == VM_NOTE_PROGRESS) {
		if (*progress)
			toast_dismiss(ts, *progress);
		*progress = toast_show(ts, TOAST_PROGRESS, now, "%s", text);
		return;
	}
	/* The progress toast becomes its result. */
	if (!*progress || !toast_update(ts, *progress, kinds[kind], now, "%s",
					text))
		toast_show(ts, kinds[kind], now, "%s", text);
	*progress = 0;
}
