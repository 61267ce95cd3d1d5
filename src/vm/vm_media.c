/* The CD drive from the menu (vm_actions.h): insert and eject, the ISO
 * written back to [cdrom] file, the recent ISOs. */
#include "vm/vm_actions_impl.h"

#include "base/i18n.h"
#include "base/ini_edit.h"
#include "base/log.h"
#include "base/recent.h"
#include "base/util.h"
#include "vm/iso.h"
#include "vm/qemu_args.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* ---- media ---- */

const char *vm_actions_cdrom(const struct vm_actions *a)
{
	return a->cdrom;
}

size_t vm_actions_recent_isos(const struct vm_actions *a,
			      const char *const **list)
{
	*list = (const char *const *)a->recent_existing.v;
	return a->recent_existing.n;
}

/* Sets [section] key = value in the VM file, keeping every other line.
 * false with *error (malloc'd). */
static bool edit_vm_file(struct vm_actions *a, const char *section,
			 const char *const *kv, size_t n_kv, char **error)
{
	struct ini_doc *doc = ini_edit_load(a->cfg->path, error);
	if (!doc)
		return false;
	bool ok = true;
	for (size_t i = 0; ok && i < n_kv; i++)
		ok = ini_edit_set(doc, section, kv[2 * i], kv[2 * i + 1]);
	if (!ok)
		*error = xasprintf(_("cannot write that value into %s"),
				   a->cfg->path);
	else
		ok = ini_edit_save(doc, a->cfg->path, error);
	ini_edit_destroy(doc);
	return ok;
}

void vm_actions_media_insert(struct vm_actions *a, const char *path)
{
	if (!a->cfg->has_cdrom) {
		vma_note(a, VM_NOTE_ERROR, _("%s has no CD drive: add a [cdrom] "
		     "section to %s (applies at next boot)"), a->cfg->name,
		     a->cfg->path);
		return;
	}
	if (!path || !*path) {
		vma_note(a, VM_NOTE_ERROR, _("Cannot insert an ISO: no file given"));
		return;
	}
	struct qmp *q = vma_live_qmp(a, _("insert an ISO"));
	if (!q)
		return;
	/* QEMU takes any file as a raw CD; the guest would find nothing on
	 * it, and the file would end up in the VM file and recent list. */
	char *why = NULL;
	if (!iso_check(path, &why)) {
		char *base = path_basename(path);
		vma_note(a, VM_NOTE_ERROR, _("Cannot insert %s: %s"), base, why);
		free(base);
		free(why);
		return;
	}
	struct op *op = vma_op_new(a, STEP_MEDIA_INSERT);
	op->text = path_absolute(path);
	struct json_object *args = json_object_new_object();
	json_object_object_add(args, "id",
			       json_object_new_string(QEMU_CDROM_DEVICE_ID));
	json_object_object_add(args, "filename", json_object_new_string(op->text));
	json_object_object_add(args, "format", json_object_new_string("raw"));
	if (!vma_send_op(a, q, "blockdev-change-medium", args, op))
		vma_note(a, VM_NOTE_ERROR, _("Cannot insert the ISO: the QMP "
		     "connection is gone"));
}

void vma_media_inserted(struct vm_actions *a, const char *path)
{
	free(a->cdrom);
	a->cdrom = xstrdup(path);
	if (a->recent_file) {
		/* Another vmplay may have written it meanwhile. */
		vma_reload_recent(a);
		recent_push(&a->recent, path, RECENT_MAX);
		recent_save(a->recent_file, &a->recent);
		vma_reload_recent(a);
	}
	char *base = path_basename(path);
	char *value = vm_actions_path_for_file(a->cfg->dir, path);
	const char *kv[] = { "file", value };
	char *error = NULL;
	if (edit_vm_file(a, "cdrom", kv, 1, &error)) {
		vma_note(a, VM_NOTE_INFO, _("Inserted %s"), base);
	} else {
		vma_note(a, VM_NOTE_ERROR, _("Inserted %s, but %s"), base, error);
		free(error);
	}
	free(value);
	free(base);
	vma_changed(a);
}

void vm_actions_media_eject(struct vm_actions *a)
{
	if (!a->cfg->has_cdrom) {
		vma_note(a, VM_NOTE_ERROR, _("%s has no CD drive"), a->cfg->name);
		return;
	}
	struct qmp *q = vma_live_qmp(a, _("eject"));
	if (!q)
		return;
	struct op *op = vma_op_new(a, STEP_MEDIA_EJECT);
	struct json_object *args = json_object_new_object();
	json_object_object_add(args, "id",
			       json_object_new_string(QEMU_CDROM_DEVICE_ID));
	if (!vma_send_op(a, q, "eject", args, op))
		vma_note(a, VM_NOTE_ERROR, _("Cannot eject: the QMP connection is "
		     "gone"));
}

void vma_media_ejected(struct vm_actions *a)
{
	char *base = a->cdrom ? path_basename(a->cdrom) : xstrdup(_("the medium"));
	free(a->cdrom);
	a->cdrom = NULL;
	const char *kv[] = { "file", "" };
	char *error = NULL;
	if (edit_vm_file(a, "cdrom", kv, 1, &error)) {
		vma_note(a, VM_NOTE_INFO, _("Ejected %s"), base);
	} else {
		vma_note(a, VM_NOTE_ERROR, _("Ejected %s, but %s"), base, error);
		free(error);
	}
	free(base);
	vma_changed(a);
}
