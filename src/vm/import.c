/* See import.h. */
#define _FILE_OFFSET_BITS 64
#include "vm/import.h"

#include "base/i18n.h"
#include "base/ini_edit.h"
#include "base/log.h"
#include "base/util.h"
#include "vm/qemu_args.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *default_vm_folder(void)
{
	const char *home = getenv("HOME");
	return home && *home ? path_join(home, ".VM") : NULL;
}

static char *stem(const char *path)
{
	char *base = path_basename(path);
	size_t n = strlen(base);
	if (n > 7 && !strcmp(base + n - 7, ".vmplay"))
		base[n - 7] = '\0';
	return base;
}

char *vm_import_folder(const struct vm_config *cfg, const char *vm_folder)
{
	char *folder = vm_folder ? xstrdup(vm_folder) : default_vm_folder();
	if (!folder)
		return NULL;
	char *name = stem(cfg->path);
	char *dir = path_join(folder, name);
	free(name);
	free(folder);
	return dir;
}

/* Copies src to dst (which must not exist), keeping holes: only the data
 * segments are copied (copy_file_range, which also clones where the file
 * system can). false with *error. */
static bool copy_sparse(const char *src, const char *dst, char **error)
{
	int in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0) {
		*error = xasprintf(_("cannot read %s: %s"), src, strerror(errno));
		return false;
	}
	struct stat st;
	if (fstat(in, &st) != 0 || !S_ISREG(st.st_mode)) {
		*error = xasprintf(_("%s is not a regular file (a device?): vmplay "
				   "copies only disk image files"), src);
		close(in);
		return false;
	}
	int out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (out < 0) {
		*error = xasprintf(_("cannot create %s: %s"), dst, strerror(errno));
		close(in);
		return false;
	}
	bool ok = ftruncate(out, st.st_size) == 0;
	off_t pos = 0;
	while (ok && pos < st.st_size) {
		off_t data = lseek(in, pos, SEEK_DATA);
		if (data < 0)
			break;   /* ENXIO: only a hole is left */
		off_t hole = lseek(in, data, SEEK_HOLE);
		if (hole < 0)
			hole = st.st_size;
		off_t from = data, to = data;
		while (ok && from < hole) {
			ssize_t n = copy_file_range(in, &from, out, &to,
						    (size_t)(hole - from), 0);
			if (n < 0 && errno == EINTR)
				continue;
			ok = n > 0;
		}
		pos = hole;
	}
	if (ok)
		ok = fsync(out) == 0;
	if (!ok) {
		*error = xasprintf(_("cannot copy %s to %s: %s"), src, dst,
				   strerror(errno ? errno : EIO));
		unlink(dst);
	}
	close(out);
	close(in);
	return ok;
}

bool vm_import(const struct vm_config *cfg, const char *vm_folder,
	       char **vm_file, char **error)
{
	*vm_file = NULL;
	*error = NULL;
	char *dir = vm_import_folder(cfg, vm_folder);
	if (!dir) {
		*error = xstrdup(_("no HOME: cannot tell where the VM folder is"));
		return false;
	}
	if (path_exists(dir)) {
		*error = xasprintf(_("%s exists already; vmplay never overwrites "
				   "it (rename or remove it, or rename the VM "
				   "file before importing)"), dir);
		free(dir);
		return false;
	}
	struct ini_doc *doc = ini_edit_load(cfg->path, error);
	if (!doc) {
		free(dir);
		return false;
	}
	struct strv made = { 0 };   /* to take back on failure */
	bool ok = mkdir_p(dir, 0700);
	if (!ok)
		*error = xasprintf(_("cannot create %s: %s"), dir, strerror(errno));
	for (size_t i = 0; ok && i < cfg->n_disks; i++) {
		const struct vm_disk *d = &cfg->disks[i];
		char *section = xasprintf("disk.%s", d->name);
		if (d->readonly) {
			/* Read, never written: it may stay where it is. */
			ok = ini_edit_set(doc, section, "file", d->file);
		} else {
			char *base = path_basename(d->file);
			char *to = path_join(dir, base);
			if (path_exists(to)) {
				/* two disks of one file name in different
				 * folders: the second gets its disk's name */
				free(to);
				char *alt = xasprintf("%s-%s", d->name, base);
				to = path_join(dir, alt);
				free(base);
				base = alt;
			}
			ok = copy_sparse(d->file, to, error);
			if (ok) {
				strv_push(&made, to);
				ok = ini_edit_set(doc, section, "file", base);
			}
			free(to);
			free(base);
		}
		free(section);
	}
	if (ok && cfg->cdrom_file)
		ok = ini_edit_set(doc, "cdrom", "file", cfg->cdrom_file);
	if (ok && cfg->kernel)
		ok = ini_edit_set(doc, "boot", "kernel", cfg->kernel);
	if (ok && cfg->initrd)
		ok = ini_edit_set(doc, "boot", "initrd", cfg->initrd);
	char *name = stem(cfg->path);
	char *file = xasprintf("%s/%s.vmplay", dir, name);
	if (ok) {
		/* The UEFI variable store lives next to the VM file. */
		char *vars = qemu_uefi_vars_path(cfg);
		if (vars && path_exists(vars)) {
			/* named after the copy's VM file, as qemu_args.c
			 * expects */
			char *base = xasprintf("%s.efivars.qcow2", name);
			char *to = path_join(dir, base);
			ok = copy_sparse(vars, to, error);
			if (ok)
				strv_push(&made, to);
			free(to);
			free(base);
		}
		free(vars);
	}
	if (ok && !*error)
		ok = ini_edit_save(doc, file, error);
	else if (!ok && !*error)
		*error = xasprintf(_("cannot write the copy's paths into %s"), file);
	if (ok) {
		*vm_file = file;
		file = NULL;
		log_info(_("imported %s into %s"), cfg->path, dir);
	} else {
		for (size_t i = 0; i < made.n; i++)
			unlink(made.v[i]);
		unlink(file);
		rmdir(dir);
	}
	free(file);
	free(name);
	strv_free(&made);
	ini_edit_destroy(doc);
	free(dir);
	return ok;
}
