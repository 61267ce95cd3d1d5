/* The trust rule of trust.h: what in a VM file reaches the host, and when
 * a file is trusted anyway. */
#include "vm/trust.h"

#include "base/i18n.h"
#include "base/recent.h"
#include "base/util.h"
#include "vm/disk.h"
#include "vm/qemu_args.h"

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Whether real path p is dir itself or below it (both resolved). */
static bool path_within(const char *p, const char *dir)
{
	size_t len = strlen(dir);
	if (len == 1 && dir[0] == '/')
		return p[0] == '/';
	return strncmp(p, dir, len) == 0 && (p[len] == '/' || p[len] == '\0');
}

/* Owned by us and writable by nobody else: nobody else could have put
 * the file there or changed it. */
static bool owned_privately(const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return false;
	return st.st_uid == getuid() && !(st.st_mode & (S_IWGRP | S_IWOTH));
}

static char *default_vm_folder(void)
{
	const char *home = getenv("HOME");
	if (!home || !*home)
		return NULL;
	return path_join(home, ".VM");
}

bool trust_in_vm_folder(const char *path, const char *vm_folder)
{
	char *folder = vm_folder ? xstrdup(vm_folder) : default_vm_folder();
	if (!folder)
		return false;
	char *real_folder = realpath(folder, NULL);
	char *real_file = realpath(path, NULL);
	bool ok = real_folder && real_file &&
		  path_within(real_file, real_folder) &&
		  strcmp(real_file, real_folder) != 0;
	/* Every step from the VM folder down to the file: a folder others
	 * may write to lets them drop a file there. */
	if (ok) {
		char *p = xstrdup(real_file);
		for (;;) {
			if (!owned_privately(p)) {
				ok = false;
				break;
			}
			if (strcmp(p, real_folder) == 0)
				break;
			char *up = path_dirname(p);
			free(p);
			p = up;
		}
		free(p);
	}
	free(real_file);
	free(real_folder);
	free(folder);
	return ok;
}

/* ---- the problems of one file ---- */

struct report {
	const struct vm_config *cfg;
	char *real_dir;        /* the VM file's folder, resolved */
	struct strv lines;
};

static void problem(struct report *r, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void problem(struct report *r, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *what = xvasprintf(fmt, ap);
	va_end(ap);
	if (line > 0)
		strv_pushf(&r->lines, "%s:%d: %s", r->cfg->path, line,
			   what ? what : "?");
	else
		strv_pushf(&r->lines, "%s: %s", r->cfg->path, what ? what : "?");
	free(what);
}

char *trust_writable_fd_problem(int fd, const char *shown,
				const char *real_dir)
{
	char link[64], real[PATH_MAX];
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, real, sizeof(real) - 1);
	struct stat st;
	if (n <= 0 || real[0] != '/' || fstat(fd, &st) != 0)
		return xasprintf(_("%s: cannot tell where it lies: %s"), shown,
				 strerror(errno ? errno : EINVAL));
	real[n] = '\0';
	if (!path_within(real, real_dir))
		return strcmp(real, shown)
			/* TRANSLATORS: the path as named, "->", where it
			 * really lies */
			? xasprintf(_("%s -> %s lies outside the VM file's "
				      "folder %s and the guest could overwrite "
				      "it (set readonly = true or move it into "
				      "that folder)"), shown, real, real_dir)
			: xasprintf(_("%s lies outside the VM file's folder %s "
				      "and the guest could overwrite it (set "
				      "readonly = true or move it into that "
				      "folder)"), shown, real_dir);
	if (!S_ISREG(st.st_mode))
		return xasprintf(_("%s is not a plain file (a device or other "
				 "special file) and the guest could overwrite it"),
				 shown);
	if (st.st_nlink > 1)
		/* (English says "links" for one too, as it always did) */
		return xasprintf(ngettext("%s has %lu other hard links, "
					  "possibly outside the VM file's "
					  "folder, and the guest could "
					  "overwrite it",
					  "%s has %lu other hard links, "
					  "possibly outside the VM file's "
					  "folder, and the guest could "
					  "overwrite it",
					  (unsigned long)st.st_nlink - 1),
				 shown, (unsigned long)st.st_nlink - 1);
	return NULL;
}

/* The rule above for a path, by a descriptor that opens nothing (O_PATH:
 * no device or FIFO is touched). false when the file does not exist. */
static bool writable_path_problem(const char *path, const char *real_dir,
				  char **why)
{
	*why = NULL;
	int fd = open(path, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return false;
	*why = trust_writable_fd_problem(fd, path, real_dir);
	close(fd);
	return true;
}

/* A file the image itself writes to (qcow2 data file, vmdk extent), named
 * relative to base_dir: the same rule as the image, and it must exist
 * (QEMU would fail, or write what appears there later). */
static void check_image_file(struct report *r, int line, const char *what,
			     const char *base_dir, const char *name)
{
	char *joined = path_join(base_dir, name);
	char *why = NULL;
	if (!writable_path_problem(joined, r->real_dir, &why))
		problem(r, line, _("%s: the image writes to %s (%s), which does "
			"not exist"), what, joined, name);
	else if (why)
		problem(r, line, _("%s: the image writes to %s: %s"), what, name,
			why);
	free(why);
	free(joined);
}

/* qcow2 and vmdk images can name other files they write guest data to. */
static void check_image_contents(struct report *r, int line,
				 const char *what, const char *image_real,
				 enum disk_format format)
{
	if (format == FORMAT_AUTO)
		format = disk_detect_format(image_real);
	if (format != FORMAT_QCOW2 && format != FORMAT_VMDK)
		return;
	char *error = NULL;
	/* qemu-img in the VM's folder, where QEMU runs and finds a relative
	 * data file. */
	struct disk_info *info = disk_info_in(image_real, DISK_INFO_SHARED,
					      r->real_dir, &error);
	if (!info) {
		/* What cannot be looked into cannot be allowed. */
		problem(r, line, _("%s: cannot look into the image to see which "
			"files it writes to: %s"), what, error ? error : "?");
		free(error);
		return;
	}
	struct json_object *root = json_tokener_parse(info->json);
	struct json_object *spec = NULL, *data = NULL, *item = NULL;
	if (root && json_object_object_get_ex(root, "format-specific", &spec) &&
	    json_object_object_get_ex(spec, "data", &data)) {
		char *image_dir = path_dirname(image_real);
		if (json_object_object_get_ex(data, "data-file", &item) &&
		    json_object_is_type(item, json_type_string))
			check_image_file(r, line, what, r->real_dir,
					 json_object_get_string(item));
		struct json_object *extents = NULL;
		if (json_object_object_get_ex(data, "extents", &extents) &&
		    json_object_is_type(extents, json_type_array)) {
			size_t n = json_object_array_length(extents);
			for (size_t i = 0; i < n; i++) {
				struct json_object *e =
					json_object_array_get_idx(extents, i);
				struct json_object *name = NULL;
				/* A single-file vmdk names itself. */
				if (json_object_object_get_ex(e, "filename",
							      &name) &&
				    strcmp(json_object_get_string(name),
					   image_real) != 0)
					check_image_file(
						r, line, what, image_dir,
						json_object_get_string(name));
			}
		}
		free(image_dir);
	}
	json_object_put(root);
	disk_info_destroy(info);
}

/* A file the guest may write: inside the VM's folder, a plain file with
 * no other names. A missing file is left to config_check_files. */
static void check_writable(struct report *r, int line, const char *what,
			   const char *path, enum disk_format format)
{
	char *why = NULL;
	if (!writable_path_problem(path, r->real_dir, &why))
		return;
	if (why) {
		problem(r, line, "%s: %s", what, why);
		free(why);
		return;
	}
	char *real = realpath(path, NULL);
	if (real)
		check_image_contents(r, line, what, real, format);
	free(real);
}

char *trust_problems(const struct vm_config *cfg)
{
	struct report r = { .cfg = cfg };
	r.real_dir = realpath(cfg->dir, NULL);
	if (!r.real_dir)
		r.real_dir = xstrdup(cfg->dir);

	if (cfg->n_qemu_args > 0)
		problem(&r, cfg->qemu_args_line, _("[qemu] args: QEMU options can "
			"run programs and write files on this computer (for "
			"example -netdev with script= or -chardev file), so "
			"they run only for a trusted file"));
	for (size_t i = 0; i < cfg->n_disks; i++) {
		const struct vm_disk *d = &cfg->disks[i];
		if (d->readonly)
			continue;
		char *what = xasprintf(_("disk '%s'"), d->name);
		check_writable(&r, d->line, what, d->file, d->format);
		free(what);
	}
	if (cfg->firmware == FIRMWARE_UEFI) {
		char *vars = qemu_uefi_vars_path(cfg);
		check_writable(&r, 0, _("UEFI variable store"), vars, FORMAT_QCOW2);
		free(vars);
	}

	char *text = NULL;
	if (r.lines.n) {
		size_t len = 0;
		for (size_t i = 0; i < r.lines.n; i++)
			len += strlen(r.lines.v[i]) + 1;
		text = xmalloc(len + 1);
		text[0] = '\0';
		for (size_t i = 0; i < r.lines.n; i++) {
			strcat(text, r.lines.v[i]);
			if (i + 1 < r.lines.n)
				strcat(text, "\n");
		}
	}
	strv_free(&r.lines);
	free(r.real_dir);
	return text;
}

bool trust_check(struct vm_config *cfg, bool trusted,
		 const char *vm_folder, char **error)
{
	*error = NULL;
	if (trusted || trust_in_vm_folder(cfg->path, vm_folder))
		return true;
	char *problems = trust_problems(cfg);
	if (!problems) {
		cfg->untrusted = true;
		return true;
	}
	/* TRANSLATORS: the first %s is the list of problems (one per
	 * line), the next two the VM file's path */
	*error = xasprintf(_("%s\nvmplay refuses these because a VM file "
			     "from elsewhere could use them against this "
			     "computer. If you trust this file, start it with "
			     "'vmplay --trust %s', or import it into your VM "
			     "folder, where it is trusted: 'vmplay import %s' "
			     "copies it and its disks to ~/.VM/."), problems,
			   cfg->path, cfg->path);
	free(problems);
	return false;
}

#define REMOTE_MAX 200   /* files remembered */

static char *remote_entry(const char *file, const char *uri)
{
	char *real = realpath(file, NULL);
	char *entry = xasprintf("%s\t%s", real ? real : file, uri);
	free(real);
	return entry;
}

bool trust_remote_known(const char *file, const char *uri)
{
	char *path = recent_path("libvirt-hosts");
	if (!path)
		return false;
	struct strv list = { 0 };
	recent_load(path, &list, REMOTE_MAX);
	char *entry = remote_entry(file, uri);
	bool known = false;
	for (size_t i = 0; i < list.n && !known; i++)
		known = !strcmp(list.v[i], entry);
	free(entry);
	strv_free(&list);
	free(path);
	return known;
}

void trust_remote_remember(const char *file, const char *uri)
{
	char *path = recent_path("libvirt-hosts");
	if (!path)
		return;
	struct strv list = { 0 };
	recent_load(path, &list, REMOTE_MAX);
	char *entry = remote_entry(file, uri);
	recent_push(&list, entry, REMOTE_MAX);
	recent_save(path, &list);
	free(entry);
	strv_free(&list);
	free(path);
}
