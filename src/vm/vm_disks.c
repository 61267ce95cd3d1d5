/* Disks from the menu (vm_actions.h): create and attach a new disk (a
 * [disk.NAME] section added to the VM file), grow one while the VM is off. */
#include "vm/vm_actions_impl.h"

#include "base/i18n.h"
#include "base/ini_edit.h"
#include "base/log.h"
#include "base/recent.h"
#include "base/util.h"
#include "vm/qemu_args.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static const char *const disk_extensions[] = {
	[FORMAT_AUTO] = "img",
	[FORMAT_QCOW2] = "qcow2",
	[FORMAT_RAW] = "img",
	[FORMAT_VDI] = "vdi",
	[FORMAT_VMDK] = "vmdk",
};

char *vm_actions_disk_file_name(const char *name, enum disk_format format)
{
	const char *ext = (size_t)format < ARRAY_SIZE(disk_extensions)
				  ? disk_extensions[format] : "img";
	return xasprintf("%s.%s", name, ext);
}

/* ---- disks ---- */

static bool disk_name_taken(const struct vm_actions *a, const char *name)
{
	for (size_t i = 0; i < a->cfg->n_disks; i++)
		if (!strcasecmp(a->cfg->disks[i].name, name))
			return true;
	for (size_t i = 0; i < a->n_added; i++)
		if (!strcasecmp(a->added[i].name, name))
			return true;
	return false;
}

bool vm_actions_disk_create(struct vm_actions *a, const char *name,
			    const char *format, uint64_t size)
{
	enum disk_format fmt;
	char *why = config_disk_name_problem(name);
	if (why) {
		vma_note(a, VM_NOTE_ERROR, _("Cannot create the disk: %s"), why);
		free(why);
		return false;
	}
	if (!format || !disk_format_parse(format, &fmt)) {
		vma_note(a, VM_NOTE_ERROR, _("Cannot create disk %s: '%s' is not a "
		     "format (accepted: qcow2, raw, vdi, vmdk)"), name,
		     format ? format : "");
		return false;
	}
	if (!size) {
		vma_note(a, VM_NOTE_ERROR, _("Cannot create disk %s: its size must "
		     "be more than 0"), name);
		return false;
	}
	if (disk_name_taken(a, name)) {
		vma_note(a, VM_NOTE_ERROR, _("Cannot create disk %s: the VM has a "
		     "disk of that name already"), name);
		return false;
	}
	if (a->cfg->n_disks + a->n_added >= MAX_DISKS) {
		vma_note(a, VM_NOTE_ERROR, _("Cannot create disk %s: a VM has at most "
		     "%d disks"), name, MAX_DISKS);
		return false;
	}
	char *section = xasprintf("disk.%s", name);
	char *error = NULL;
	struct ini_doc *doc = ini_edit_load(a->cfg->path, &error);
	if (!doc) {
		vma_note(a, VM_NOTE_ERROR, _("Cannot create disk %s: %s"), name, error);
		free(error);
		free(section);
		return false;
	}
	bool ok = false;
	char *file_name = vm_actions_disk_file_name(name, fmt);
	char *path = path_join(a->cfg->dir, file_name);
	char size_text[32], size_exact[32];
	format_size_exact(size, size_exact, sizeof(size_exact));
	if (ini_edit_has_section(doc, section)) {
		vma_note(a, VM_NOTE_ERROR, _("Cannot create disk %s: %s has a [%s] "
		     "section already"), name, a->cfg->path, section);
	} else if (path_exists(path)) {
		vma_note(a, VM_NOTE_ERROR, _("Cannot create disk %s: %s exists "
		     "already, and vmplay never overwrites a file (choose "
		     "another name)"), name, path);
	} else if (!disk_create(path, fmt, size, PREALLOC_DEFAULT, &error)) {
		vma_note(a, VM_NOTE_ERROR, _("Cannot create disk %s: %s"), name, error);
		free(error);
	} else {
		/* Same bus as the first disk: a guest that has drivers for
		 * one (IDE for Windows, say) can use the other. */
		const char *iface = a->cfg->n_disks
			? disk_interface_names[a->cfg->disks[0].interface]
			: NULL;
		/* size: what it was made with, so a lost image can be made
		 * again (vmplay(5) [disk.NAME] size). */
		uint64_t made = disk_virtual_size(path);
		if (made)
			size = made;
		format_size_exact(size, size_exact, sizeof(size_exact));
		ok = ini_edit_set(doc, section, "file", file_name) &&
		     ini_edit_set(doc, section, "format", disk_format_name(fmt)) &&
		     ini_edit_set(doc, section, "size", size_exact) &&
		     (!iface || ini_edit_set(doc, section, "interface", iface));
		if (ok)
			ok = ini_edit_save(doc, a->cfg->path, &error);
		else
			error = xasprintf(_("cannot add [%s] to %s"), section,
					  a->cfg->path);
		if (!ok) {
			/* Without its section the new file is of no use. */
			unlink(path);
			vma_note(a, VM_NOTE_ERROR, _("Cannot create disk %s: %s"), name,
			     error);
			free(error);
		}
	}
	if (ok) {
		a->added = xrealloc(a->added, (a->n_added + 1) * sizeof(*a->added));
		a->added[a->n_added].name = xstrdup(name);
		a->added[a->n_added].file = xstrdup(path);
		a->n_added++;
		vma_note(a, VM_NOTE_INFO, _("Disk %s created (%s %s, %s); attached at "
		     "next boot"), name, format_size(size, size_text,
						    sizeof(size_text)),
		     disk_format_name(fmt), file_name);
		vm_actions_refresh(a);
	}
	ini_edit_destroy(doc);
	free(path);
	free(file_name);
	free(section);
	return ok;
}

bool vm_actions_disk_grow(struct vm_actions *a, const char *name,
			  uint64_t size)
{
	if (!name || !*name) {
		vma_note(a, VM_NOTE_ERROR, _("Cannot grow a disk: no name given"));
		return false;
	}
	const char *file = NULL;
	bool attached = false;
	for (size_t i = 0; i < a->cfg->n_disks && !file; i++)
		if (!strcasecmp(a->cfg->disks[i].name, name))
			file = a->cfg->disks[i].file, attached = true;
	for (size_t i = 0; i < a->n_added && !file; i++)
		if (!strcasecmp(a->added[i].name, name))
			file = a->added[i].file;
	if (!file) {
		vma_note(a, VM_NOTE_ERROR, _("Cannot grow disk %s: the VM has no disk "
		     "of that name"), name);
		return false;
	}
	/* A disk created from the menu is not attached until the next
	 * boot, so it can grow while the VM runs. */
	if (attached && a->session && !vm_session_exited(a->session)) {
		vma_note(a, VM_NOTE_ERROR, _("Disk %s can grow only while the VM is "
		     "off: shut it down first ('vmplay disk resize %s SIZE' "
		     "does it from a terminal)"), name, file);
		return false;
	}
	char *error = NULL;
	if (!disk_resize(file, size, false, &error)) {
		vma_note(a, VM_NOTE_ERROR, _("Cannot grow disk %s: %s"), name, error);
		free(error);
		return false;
	}
	uint64_t made = disk_virtual_size(file);
	char text[32];
	vma_note(a, VM_NOTE_INFO, _("Disk %s is now %s"), name,
	     format_size(made ? made : size, text, sizeof(text)));
	vm_actions_refresh(a);
	return true;
}
