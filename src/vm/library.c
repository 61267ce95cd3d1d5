/* The VM library; see library.h. */
#include "vm/library.h"

#include "base/i18n.h"
#include "base/ini_edit.h"
#include "base/log.h"
#include "base/path_complete.h"
#include "base/recent.h"
#include "vm/config.h"
#include "vm/disk.h"
#include "vm/instance.h"
#include "vm/vm_create.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Remembered VM files from elsewhere: more than ISOs, a library is a
 * list people keep. */
#define RECENT_VMS_MAX 50
#define RECENT_VMS_FILE "recent-vms"

char *library_home(void)
{
	const char *home = getenv("HOME");
	return home && *home ? path_join(home, ".VM") : NULL;
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n > m && strcmp(s + n - m, suffix) == 0;
}

/* ---- remembered files ---- */

static void recent_vms(struct strv *list)
{
	char *file = recent_path(RECENT_VMS_FILE);
	recent_load(file, list, RECENT_VMS_MAX);
	free(file);
}

static void recent_vms_save(const struct strv *list)
{
	char *file = recent_path(RECENT_VMS_FILE);
	if (file)
		recent_save(file, list);
	free(file);
}

void library_note_played(const char *vm_path)
{
	struct strv list = { 0 };
	char *abs = path_absolute(vm_path);
	recent_vms(&list);
	recent_push(&list, abs, RECENT_VMS_MAX);
	recent_vms_save(&list);
	strv_free(&list);
	free(abs);
}

void library_forget(const char *vm_path)
{
	struct strv list = { 0 }, kept = { 0 };
	recent_vms(&list);
	for (size_t i = 0; i < list.n; i++)
		if (strcmp(list.v[i], vm_path) != 0)
			strv_push(&kept, list.v[i]);
	if (kept.n != list.n)
		recent_vms_save(&kept);
	strv_free(&list);
	strv_free(&kept);
}

char *library_thumbnail_path(const char *vm_path)
{
	char *real = realpath(vm_path, NULL);
	if (!real)
		real = path_absolute(vm_path);
	unsigned long long h = (unsigned long long)hash_fnv1a(real);
	free(real);
	char *rest = xasprintf("vmplay/thumbnails/%016llx.png", h);
	char *path = xdg_path("XDG_CACHE_HOME", ".cache", rest);
	free(rest);
	return path;
}

/* ---- reading one entry ---- */

/* The virtual size of a disk without running qemu-img (the library reads
 * every VM at each look): a qcow2 header says it (big-endian at byte 24);
 * any other format counts its file size. */
static uint64_t header_virtual_size(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	uint64_t size = 0;
	unsigned char h[32];
	struct stat st;
	if (pread(fd, h, sizeof(h), 0) == (ssize_t)sizeof(h) &&
	    memcmp(h, "QFI\xfb", 4) == 0) {
		for (int i = 24; i < 32; i++)
			size = size << 8 | h[i];
	} else if (fstat(fd, &st) == 0) {
		size = (uint64_t)st.st_size;
	}
	close(fd);
	return size;
}

static void entry_running(struct library_entry *e)
{
	bool window = false;
	e->running = instance_holder(e->path, &e->pid, &window);
	e->headless = e->running && !window;
	/* a window on a stopped VM: the VM is off, its window open */
	if (e->running && window && instance_holder_vm_off(e->path))
		e->running = false;
}

static void entry_read(struct library_entry *e, const char *path, bool in_home)
{
	memset(e, 0, sizeof(*e));
	e->path = path_absolute(path);
	e->dir = path_dirname(e->path);
	e->in_home = in_home;
	char *error = NULL;
	struct vm_config *cfg = config_load(e->path, &error);
	if (cfg) {
		e->name = xstrdup(cfg->name);
		e->memory = cfg->memory;
		e->cpus = cfg->cpus;
		e->n_disks = cfg->n_disks;
		for (size_t i = 0; i < cfg->n_disks; i++) {
			if (!path_exists(cfg->disks[i].file))
				e->missing_disks++;
			e->disk_bytes += header_virtual_size(cfg->disks[i].file);
		}
		config_destroy(cfg);
	} else {
		e->name = path_basename(e->path);
		if (has_suffix(e->name, ".vmplay"))
			e->name[strlen(e->name) - 7] = '\0';
		const char *msg = error ? error : _("cannot be read");
		e->problem = xstrndup(msg, strcspn(msg, "\n"));
	}
	free(error);
	char *thumb = library_thumbnail_path(e->path);
	if (thumb && path_exists(thumb))
		e->thumbnail = thumb;
	else
		free(thumb);
	entry_running(e);
}

static void entry_free(struct library_entry *e)
{
	free(e->path);
	free(e->name);
	free(e->dir);
	free(e->problem);
	free(e->thumbnail);
}

/* ---- the scan ---- */

struct scan {
	struct library *lib;
	struct strv seen;   /* real paths */
	size_t cap;
};

static void add(struct scan *s, const char *path, bool in_home)
{
	char *real = realpath(path, NULL);
	if (!real)
		real = path_absolute(path);
	for (size_t i = 0; i < s->seen.n; i++)
		if (strcmp(s->seen.v[i], real) == 0) {
			free(real);
			return;
		}
	strv_push(&s->seen, real);
	free(real);
	struct library *lib = s->lib;
	if (lib->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		lib->entries = xrealloc(lib->entries,
					s->cap * sizeof(*lib->entries));
	}
	entry_read(&lib->entries[lib->n++], path, in_home);
}

/* Every *.vmplay directly in dir (sorted, for a stable order). */
static void add_folder(struct scan *s, const char *dir, bool in_home)
{
	struct strv files = { 0 };
	path_list_suffix(dir, ".vmplay", &files);
	for (size_t i = 0; i < files.n; i++)
		if (!path_is_dir(files.v[i]))
			add(s, files.v[i], in_home);
	strv_free(&files);
}

static int by_name(const void *a, const void *b)
{
	const struct library_entry *x = a, *y = b;
	int c = strcasecmp(x->name, y->name);
	return c ? c : strcmp(x->path, y->path);
}

struct library *library_scan(void)
{
	struct library *lib = xcalloc(1, sizeof(*lib));
	struct scan s = { .lib = lib };
	char *home = library_home();
	if (home) {
		add_folder(&s, home, false);
		DIR *d = opendir(home);
		struct dirent *de;
		struct strv dirs = { 0 };
		while (d && (de = readdir(d))) {
			if (de->d_name[0] == '.')
				continue;
			char *sub = path_join(home, de->d_name);
			if (path_is_dir(sub))
				strv_push(&dirs, sub);
			free(sub);
		}
		if (d)
			closedir(d);
		for (size_t i = 0; i < dirs.n; i++)
			add_folder(&s, dirs.v[i], true);
		strv_free(&dirs);
	}
	struct strv recent = { 0 }, kept = { 0 };
	recent_vms(&recent);
	for (size_t i = 0; i < recent.n; i++) {
		if (!path_exists(recent.v[i])) {
			strv_pushf(&lib->notes, _("%s is gone; it was removed from "
				   "the list of VMs played recently"), recent.v[i]);
			continue;
		}
		strv_push(&kept, recent.v[i]);
		add(&s, recent.v[i], false);
	}
	if (kept.n != recent.n)
		recent_vms_save(&kept);
	strv_free(&recent);
	strv_free(&kept);
	strv_free(&s.seen);
	free(home);
	if (lib->n)
		qsort(lib->entries, lib->n, sizeof(*lib->entries), by_name);
	return lib;
}

void library_destroy(struct library *lib)
{
	if (!lib)
		return;
	for (size_t i = 0; i < lib->n; i++)
		entry_free(&lib->entries[i]);
	free(lib->entries);
	strv_free(&lib->notes);
	free(lib);
}

void library_refresh_running(struct library *lib)
{
	for (size_t i = 0; i < lib->n; i++)
		entry_running(&lib->entries[i]);
}

const struct library_entry *library_find(const struct library *lib,
					 const char *path)
{
	for (size_t i = 0; path && i < lib->n; i++)
		if (strcmp(lib->entries[i].path, path) == 0)
			return &lib->entries[i];
	return NULL;
}

/* ---- vmplay NAME ---- */

char *library_resolve(const char *arg, char **error)
{
	*error = NULL;
	if (path_is_dir(arg)) {
		struct strv files = { 0 };
		path_list_suffix(arg, ".vmplay", &files);
		char *found = NULL;
		if (files.n == 1) {
			found = xstrdup(files.v[0]);
		} else if (files.n == 0) {
			*error = xasprintf(_("%s is a folder with no VM file "
					   "(*.vmplay) in it"), arg);
		} else {
			char *list = strv_join(&files, "\n  ");
			/* TRANSLATORS: a folder, how many VM files it
			 * holds (two or more), then their names, one per
			 * line */
			*error = xasprintf(ngettext("%s holds %zu VM file; say "
						    "which:\n  %s",
						    "%s holds %zu VM files; "
						    "say which:\n  %s",
						    (unsigned long)files.n),
					   arg, files.n, list);
			free(list);
		}
		strv_free(&files);
		return found;
	}
	if (path_exists(arg) || strchr(arg, '/'))
		return NULL;
	char *home = library_home();
	if (!home)
		return NULL;
	char *file = xasprintf("%s/%s/%s.vmplay", home, arg, arg);
	free(home);
	if (path_exists(file))
		return file;
	free(file);
	return NULL;
}

/* ---- remove ---- */

char *library_remove_summary(const struct library_entry *e)
{
	if (!e->in_home)
		return xasprintf(_("%s is not in a folder of its own in ~/.VM: it "
				 "is only taken off the list; its files stay "
				 "where they are."), e->path);
	struct strv items = { 0 };
	DIR *d = opendir(e->dir);
	struct dirent *de;
	uint64_t total = 0;
	while (d && (de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		strv_push(&items, de->d_name);
		char *p = path_join(e->dir, de->d_name);
		struct stat st;
		if (lstat(p, &st) == 0)
			total += (uint64_t)st.st_blocks * 512;
		free(p);
	}
	if (d)
		closedir(d);
	char *list = strv_join(&items, ", ");
	char size[32];
	/* TRANSLATORS: the folder, the names of the files in it (or
	 * "empty"), and their size on disk */
	char *text = xasprintf(_("The folder %s (%s: %s on disk) goes to the "
			       "trash."), e->dir, items.n ? list : _("empty"),
			       format_size(total, size, sizeof(size)));
	free(list);
	strv_free(&items);
	return text;
}

static char *trash_dir(void)
{
	return xdg_path("XDG_DATA_HOME", ".local/share", "Trash");
}

/* The trash specification's Path: the absolute path with every byte
 * outside the URI's unreserved characters and '/' percent-encoded. */
static char *trash_escape(const char *path)
{
	size_t n = strlen(path);
	char *out = xmalloc(n * 3 + 1), *o = out;
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("/-._~", *p))
			*o++ = (char)*p;
		else
			o += sprintf(o, "%%%02X", *p);
	}
	*o = '\0';
	return out;
}

/* Moves path to the trash: the info file is made first with O_EXCL (it
 * reserves the name, as the specification asks), then the rename. */
static bool trash_move(const char *path, char **where, char **error)
{
	char *trash = trash_dir();
	if (!trash) {
		*error = xstrdup(_("HOME is not set: no trash folder"));
		return false;
	}
	char *files = path_join(trash, "files");
	char *info = path_join(trash, "info");
	bool ok = false;
	if (!mkdir_p(files, 0700) || !mkdir_p(info, 0700)) {
		*error = xasprintf(_("cannot create the trash folder %s: %s"),
				   trash, strerror(errno));
		goto out;
	}
	char *base = path_basename(path);
	char *escaped = trash_escape(path);
	char date[32];
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
	char *text = xasprintf("[Trash Info]\nPath=%s\nDeletionDate=%s\n",
			       escaped, date);
	for (int i = 1; i < 1000 && !ok; i++) {
		char *name = i == 1 ? xstrdup(base)
				    : xasprintf("%s.%d", base, i);
		char *info_file = xasprintf("%s/%s.trashinfo", info, name);
		char *target = path_join(files, name);
		int fd = open(info_file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
			      0600);
		if (fd < 0) {
			if (errno != EEXIST) {
				*error = xasprintf("%s: %s", info_file,
						   strerror(errno));
				i = 1000;
			}
		} else if (path_exists(target)) {
			close(fd);   /* a file without its info: keep both */
			unlink(info_file);
		} else {
			size_t len = strlen(text);
			bool written = write(fd, text, len) == (ssize_t)len &&
				       fsync(fd) == 0;
			close(fd);
			if (written && rename(path, target) == 0) {
				*where = xstrdup(target);
				ok = true;
			} else {
				*error = errno == EXDEV
					? xasprintf(_("%s is on another file system "
						    "than the trash (%s); move it "
						    "away yourself"), path, trash)
					: xasprintf(_("cannot move %s to %s: %s"),
						    path, target, strerror(errno));
				unlink(info_file);
				i = 1000;
			}
		}
		free(name);
		free(info_file);
		free(target);
	}
	if (!ok && !*error)
		*error = xasprintf(_("no free name for %s in %s"), base, files);
	free(text);
	free(escaped);
	free(base);
out:
	free(files);
	free(info);
	free(trash);
	return ok;
}

static bool refuse_running(const struct library_entry *e, bool duplicate,
			   char **error)
{
	long pid;
	bool window;
	if (!instance_holder(e->path, &pid, &window))
		return false;
	*error = duplicate
		? xasprintf(_("%s is running (vmplay pid %ld); duplicate it "
			      "once it has stopped"), e->name, pid)
		: xasprintf(_("%s is running (vmplay pid %ld); remove it once "
			      "it has stopped"), e->name, pid);
	return true;
}

bool library_remove(const struct library_entry *e, char **where, char **error)
{
	*where = NULL;
	*error = NULL;
	if (refuse_running(e, false, error))
		return false;
	if (!e->in_home) {
		library_forget(e->path);
		return true;
	}
	if (!trash_move(e->dir, where, error))
		return false;
	library_forget(e->path);
	return true;
}

/* ---- duplicate ---- */

/* Copies src to a new file dst, keeping holes (SEEK_DATA/SEEK_HOLE), in
 * steps that report progress. */
static bool copy_file(const char *src, const char *dst, uint64_t *done,
		      uint64_t total, library_progress_fn progress, void *user,
		      char **error)
{
	int in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0) {
		*error = xasprintf("%s: %s", src, strerror(errno));
		return false;
	}
	int out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (out < 0) {
		*error = xasprintf("%s: %s", dst, strerror(errno));
		close(in);
		return false;
	}
	struct stat st;
	fstat(in, &st);
	off_t size = st.st_size, pos = 0;
	size_t buf_len = 4 << 20;
	char *buf = xmalloc(buf_len);
	bool ok = true;
	while (ok && pos < size) {
		off_t data = lseek(in, pos, SEEK_DATA);
		if (data < 0)
			break;   /* only a hole is left */
		off_t hole = lseek(in, data, SEEK_HOLE);
		if (hole < 0)
			hole = size;
		*done += (uint64_t)(data - pos);
		for (pos = data; ok && pos < hole;) {
			size_t want = (size_t)(hole - pos) < buf_len
					      ? (size_t)(hole - pos) : buf_len;
			ssize_t n = pread(in, buf, want, pos);
			if (n <= 0 || pwrite(out, buf, (size_t)n, pos) != n) {
				*error = xasprintf(_("copying %s to %s: %s"), src, dst,
						   n < 0 || errno ? strerror(errno)
								  : _("short read"));
				ok = false;
				break;
			}
			pos += n;
			*done += (uint64_t)n;
			if (progress && !progress(user, *done, total)) {
				*error = xstrdup(_("cancelled"));
				ok = false;
			}
		}
	}
	if (ok && (ftruncate(out, size) != 0 || fsync(out) != 0)) {
		*error = xasprintf("%s: %s", dst, strerror(errno));
		ok = false;
	}
	*done += (uint64_t)(size > pos ? size - pos : 0);
	free(buf);
	close(in);
	close(out);
	if (!ok)
		unlink(dst);
	return ok;
}

/* A disk's file name in the copy: OLD-rest becomes NEW-rest. */
static char *copy_name(const char *file, const char *old_name,
		       const char *new_name, bool linked)
{
	char *base = path_basename(file);
	size_t n = strlen(old_name);
	char *name = strncmp(base, old_name, n) == 0
			     ? xasprintf("%s%s", new_name, base + n)
			     : xstrdup(base);
	free(base);
	if (linked) {
		char *dot = strrchr(name, '.');
		if (dot)
			*dot = '\0';
		char *q = xasprintf("%s.qcow2", name);
		free(name);
		name = q;
	}
	return name;
}

bool library_duplicate(const struct library_entry *e, const char *new_name,
		       bool linked, library_progress_fn progress, void *user,
		       char **new_path, char **error)
{
	*new_path = NULL;
	*error = NULL;
	struct vm_create_request req = { .name = new_name };
	*error = vm_create_check(&req, VM_FIELD_NAME);
	if (*error)
		return false;
	if (refuse_running(e, true, error))
		return false;
	char *home = library_home();
	if (!home) {
		*error = xstrdup(_("HOME is not set"));
		return false;
	}
	char *dir = path_join(home, new_name);
	free(home);
	if (path_exists(dir)) {
		*error = xasprintf(_("%s already exists; choose another name"),
				   dir);
		free(dir);
		return false;
	}
	struct vm_config *cfg = config_load(e->path, error);
	if (!cfg) {
		free(dir);
		return false;
	}
	struct ini_doc *doc = ini_edit_load(e->path, error);
	struct strv made = { 0 };
	bool made_dir = false, ok = false;
	char *uuid = vm_fresh_uuid();
	char *vm_file = xasprintf("%s.vmplay", new_name);
	char *target = path_join(dir, vm_file);
	free(vm_file);
	if (!doc || !uuid)
		goto out;
	if (mkdir(dir, 0755) != 0) {
		*error = xasprintf(_("cannot create %s: %s"), dir, strerror(errno));
		goto out;
	}
	made_dir = true;
	uint64_t total = 0, done = 0;
	for (size_t i = 0; i < cfg->n_disks; i++) {
		struct stat st;
		if (!linked && stat(cfg->disks[i].file, &st) == 0)
			total += (uint64_t)st.st_blocks * 512;
	}
	for (size_t i = 0; i < cfg->n_disks; i++) {
		const struct vm_disk *d = &cfg->disks[i];
		char *name = copy_name(d->file, cfg->name, new_name, linked);
		char *dst = path_join(dir, name);
		char *section = xasprintf("disk.%s", d->name);
		bool step_ok;
		if (linked) {
			step_ok = disk_create_linked(dst, d->file, d->format,
						     error);
			if (step_ok)
				ini_edit_set(doc, section, "format", "qcow2");
		} else {
			step_ok = copy_file(d->file, dst, &done, total, progress,
					    user, error);
		}
		if (step_ok) {
			strv_push(&made, dst);
			ini_edit_set(doc, section, "file", name);
		}
		free(section);
		free(name);
		free(dst);
		if (!step_ok)
			goto out;
	}
	ini_edit_set(doc, "vm", "name", new_name);
	ini_edit_set(doc, "vm", "uuid", uuid);
	/* a CD given relative to the old folder keeps pointing at it */
	if (cfg->cdrom_file)
		ini_edit_set(doc, "cdrom", "file", cfg->cdrom_file);
	size_t len;
	char *text = ini_edit_text(doc, &len);
	ok = write_file_atomic(target, text, len, false);
	if (!ok)
		*error = xasprintf(_("cannot write %s: %s"), target, strerror(errno));
	free(text);
out:
	if (!ok) {
		if (!*error)
			*error = xstrdup(uuid ? _("cannot read the VM file")
					      : _("cannot make a UUID"));
		for (size_t i = 0; i < made.n; i++)
			unlink(made.v[i]);
		if (made_dir)
			rmdir(dir);
	} else {
		*new_path = target;
		target = NULL;
	}
	strv_free(&made);
	free(target);
	free(uuid);
	ini_edit_destroy(doc);
	config_destroy(cfg);
	free(dir);
	return ok;
}
