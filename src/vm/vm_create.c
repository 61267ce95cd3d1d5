/* Making a new VM; see vm_create.h. */
#include "vm/vm_create.h"

#include "base/i18n.h"
#include "base/ini_edit.h"
#include "base/util.h"
#include "vm/disk.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

const struct vm_preset vm_presets[] = {
	/* virtio display: the guest's resolution follows the window */
	{ "linux", "virtio", "virtio", "hda", "virtio", "2G", "25G",
	  N_("virtio disk, network and display") },
	{ "windows", "sata", "e1000", "hda", "std", "4G", "64G",
	  N_("SATA disk, e1000 network, HD audio") },
	{ "other", "sata", "e1000", "hda", "std", "2G", "25G",
	  N_("SATA disk, e1000 network (widely supported)") },
};
const size_t vm_preset_count = ARRAY_SIZE(vm_presets);

const struct vm_preset *vm_preset_find(const char *name)
{
	for (size_t i = 0; i < vm_preset_count; i++)
		if (name && strcmp(name, vm_presets[i].name) == 0)
			return &vm_presets[i];
	return NULL;
}

static const struct vm_preset *preset_of(const struct vm_create_request *r)
{
	return r->os ? r->os : &vm_presets[0];
}

static const char *memory_text(const struct vm_create_request *r)
{
	return r->memory ? r->memory : preset_of(r)->default_memory;
}

static const char *disk_text(const struct vm_create_request *r)
{
	return r->disk_size ? r->disk_size : preset_of(r)->default_disk;
}

static const char *cpus_text(const struct vm_create_request *r)
{
	return r->cpus ? r->cpus : "2";
}

static enum disk_format format_of(const struct vm_create_request *r)
{
	return r->format == FORMAT_AUTO ? FORMAT_QCOW2 : r->format;
}

/* Length of the letter outside ASCII that s starts with (UTF-8: á, ñ, ü,
 * ß, ж, λ...), 0 if it is none. Not the locale's character classes: a
 * name valid for one user must be valid for every user and for scripts
 * under LANG=C. What is left out are spaces and punctuation, symbols,
 * private-use and special code points, and broken or overlong UTF-8. */
static size_t utf8_letter(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = u[0] >= 0xF0 && u[0] <= 0xF4 ? 4 : u[0] >= 0xE0 ? 3
		 : u[0] >= 0xC2 && u[0] < 0xE0 ? 2 : 0;
	if (!n)
		return 0;
	uint32_t cp = u[0] & (0x7F >> n);
	for (size_t i = 1; i < n; i++) {
		if ((u[i] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (u[i] & 0x3F);
	}
	static const uint32_t min_of[] = { 0, 0, 0x80, 0x800, 0x10000 };
	if (cp < min_of[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	static const struct { uint32_t from, to; } not_letters[] = {
		{ 0x80, 0xBF },       /* controls, NBSP, Latin-1 punctuation */
		{ 0xD7, 0xD7 }, { 0xF7, 0xF7 },   /* × ÷ */
		{ 0x2000, 0x2BFF },   /* spaces, punctuation, arrows, symbols */
		{ 0x3000, 0x303F },   /* CJK spaces and punctuation */
		{ 0xE000, 0xF8FF },   /* private use */
		{ 0xFE00, 0xFE0F }, { 0xFEFF, 0xFEFF }, { 0xFFF0, 0xFFFF },
	};
	for (size_t i = 0; i < ARRAY_SIZE(not_letters); i++)
		if (cp >= not_letters[i].from && cp <= not_letters[i].to)
			return 0;
	return n;
}

/* The name becomes file names and the window title: keep it to
 * characters that need no quoting anywhere (letters, accented ones too:
 * "Máquina-ñandú"; no spaces, which `vmplay list`'s columns and shells
 * would split). 64 bytes at most. */
static bool valid_name(const char *name)
{
	if (!*name || strlen(name) > 64)
		return false;
	for (const char *p = name; *p;) {
		size_t n = utf8_letter(p);
		if (n) {
			p += n;
			continue;
		}
		bool alnum = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			     (*p >= '0' && *p <= '9');
		if (!alnum && (p == name || !strchr("._-", *p)))
			return false;
		p++;
	}
	return true;
}

static bool parse_cpus(const char *text, int *out)
{
	char *end;
	errno = 0;
	long n = strtol(text, &end, 10);
	if (errno || end == text || *end || n < VM_CREATE_MIN_CPUS ||
	    n > VM_CREATE_MAX_CPUS)
		return false;
	*out = (int)n;
	return true;
}

char *vm_create_dir(const struct vm_create_request *r, char **error)
{
	if (r->dir)
		return path_absolute(r->dir);
	const char *home = getenv("HOME");
	if (!home || !*home) {
		*error = xstrdup(_("HOME is not set; say where with --dir"));
		return NULL;
	}
	char *vms = path_join(home, ".VM");
	char *dir = path_join(vms, r->name);
	free(vms);
	return dir;
}

/* The VM file and disk paths inside dir. */
static void target_paths(const struct vm_create_request *r, const char *dir,
			 char **vm_path, char **disk_path)
{
	char *disk_name = xasprintf("%s.%s", r->name,
				    disk_format_name(format_of(r)));
	char *vm_name = xasprintf("%s.vmplay", r->name);
	*disk_path = path_join(dir, disk_name);
	*vm_path = path_join(dir, vm_name);
	free(disk_name);
	free(vm_name);
}

/* Why the files r would make cannot be made there, or NULL. */
char *vm_create_conflict(const struct vm_create_request *r)
{
	char *error = NULL;
	char *dir = vm_create_dir(r, &error);
	if (!dir)
		return error;
	if (path_exists(dir) && !path_is_dir(dir)) {
		error = xasprintf(_("%s exists and is not a folder"), dir);
		free(dir);
		return error;
	}
	char *vm_path, *disk_path;
	target_paths(r, dir, &vm_path, &disk_path);
	const char *targets[] = { vm_path, disk_path };
	for (size_t i = 0; i < ARRAY_SIZE(targets) && !error; i++) {
		struct stat st;
		if (lstat(targets[i], &st) == 0)
			error = xasprintf(_("%s already exists; vmplay new never "
					  "overwrites anything (choose another "
					  "NAME or --dir)"), targets[i]);
	}
	free(vm_path);
	free(disk_path);
	free(dir);
	return error;
}

char *vm_create_check(const struct vm_create_request *r,
		      enum vm_create_field field)
{
	uint64_t bytes;
	int cpus;
	const char *why;
	switch (field) {
	case VM_FIELD_NAME:
		if (!r->name || !valid_name(r->name))
			return xasprintf(_("'%s' cannot be a VM name (up to 64 "
					 "letters, digits, '.', '_' and '-', "
					 "starting with a letter or digit)"),
					 r->name ? r->name : "");
		return NULL;
	case VM_FIELD_MEMORY:
		/* the reader's words (config.c, key memory) */
		if (!parse_size(memory_text(r), &bytes))
			return xasprintf(_("'%s' is not a memory size (at least "
					 "16M; examples: 512M, 2G)"),
					 memory_text(r));
		why = config_memory_problem(bytes);
		return why ? xasprintf("'%s' %s", memory_text(r), why) : NULL;
	case VM_FIELD_CPUS:
		if (!parse_cpus(cpus_text(r), &cpus))
			return xasprintf(_("'%s' is not a number of processors "
					 "(%d to %d, as in the VM file)"), cpus_text(r),
					 VM_CREATE_MIN_CPUS, VM_CREATE_MAX_CPUS);
		return NULL;
	case VM_FIELD_DISK_SIZE: {
		/* the reader's words for a size (config.c, K_SIZE): a bare
		 * number gets "did you mean 10G?" */
		char *typed = NULL;
		if (!parse_size_typed(disk_text(r), 'G', &bytes, &typed) ||
		    bytes == 0)
			return typed ? typed
				     : xasprintf(_("'%s' is not a size (examples: "
						 "512M, 25G)"), disk_text(r));
		return NULL;
	}
	case VM_FIELD_ISO:
		if (!r->iso || !*r->iso)
			return NULL;
		if (!path_exists(r->iso) || path_is_dir(r->iso))
			return xasprintf(_("%s: no such file"), r->iso);
		return NULL;
	default:
		return NULL;
	}
}

char *vm_fresh_uuid(void)
{
	size_t len;
	char *text = read_file("/proc/sys/kernel/random/uuid", 64, &len);
	if (!text)
		return NULL;
	text[strcspn(text, " \n")] = '\0';
	if (strlen(text) != 36) {
		free(text);
		return NULL;
	}
	return text;
}

/* The VM file's text. Sizes are written as the user gave them (they
 * passed parse_size, which config.c uses too), so nothing is rounded. */
static char *vm_file_text(const struct vm_create_request *r, int cpus,
			  const char *uuid, const char *disk_file,
			  const char *iso_value)
{
	const struct vm_preset *os = preset_of(r);
	char date[32];
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(date, sizeof(date), "%Y-%m-%d", &tm);
	char *cdrom = iso_value ? xasprintf("file = %s\n", iso_value)
			       : xstrdup("; file = /path/to/installer.iso\n"
					 "file =\n");
	char *text = xasprintf(
		"; %s: a virtual machine for vmplay, made by 'vmplay new' on %s\n"
		"; (preset: %s). Play it with:  vmplay %s.vmplay\n"
		"; Every section and key is described in vmplay(5).\n"
		"\n"
		"[vm]\n"
		"name = %s\n"
		"uuid = %s\n"
		"memory = %s\n"
		"cpus = %d\n"
		"; q35 is a modern PC; pc is the older i440FX one\n"
		"machine = q35\n"
		"; auto: KVM when /dev/kvm is usable, else emulation (slower)\n"
		"accel = auto\n"
		"\n"
		"; One [disk.NAME] section per disk; the file is relative to this one.\n"
		"[disk.system]\n"
		"file = %s\n"
		"format = %s\n"
		"size = %s\n"
		"interface = %s\n"
		"\n"
		"; The CD drive; an empty file leaves it empty, media can be\n"
		"; inserted later from the menu (ctrl+alt+m).\n"
		"[cdrom]\n"
		"%s"
		"\n"
		"[boot]\n"
		"; c: the disk, d: the CD. An empty disk falls through to the CD.\n"
		"order = cd\n"
		"\n"
		"[network]\n"
		"mode = user\n"
		"model = %s\n"
		"; forward = tcp:2222:22\n"
		"\n"
		"[display]\n"
		"; virtio: the guest's resolution can follow the window\n"
		"device = %s\n"
		"scale = fit\n"
		"\n"
		"[audio]\n"
		"device = %s\n"
		"\n"
		"[input]\n"
		"pointer = tablet\n"
		"\n"
		"; Text both ways with the guest's SPICE agent (spice-vdagent;\n"
		"; Windows: spice-guest-tools). Written here because a VM file\n"
		"; without the key has it only with the virtio display.\n"
		"[clipboard]\n"
		"enabled = true\n",
		r->name, date, os->name, r->name,
		r->name, uuid, memory_text(r), cpus,
		disk_file, disk_format_name(format_of(r)), disk_text(r),
		os->disk_interface, cdrom, os->nic_model, os->display,
		os->sound);
	free(cdrom);
	return text;
}

/* The folders mkdir_p would create for dir, outermost first. */
static void missing_dirs(const char *dir, struct strv *out)
{
	char *d = xstrdup(dir);
	struct strv rev = { 0 };
	while (!path_exists(d)) {
		strv_push(&rev, d);
		char *parent = path_dirname(d);
		if (strcmp(parent, d) == 0) {
			free(parent);
			break;
		}
		free(d);
		d = parent;
	}
	free(d);
	for (size_t i = rev.n; i-- > 0;)
		strv_push(out, rev.v[i]);
	strv_free(&rev);
}

void vm_created_free(struct vm_created *c)
{
	free(c->dir);
	free(c->vm_path);
	free(c->disk_path);
	memset(c, 0, sizeof(*c));
}

static void step(vm_create_progress_fn progress, void *user, const char *what)
{
	if (progress)
		progress(user, what);
}

bool vm_create(const struct vm_create_request *r,
	       vm_create_progress_fn progress, void *user,
	       struct vm_created *out, char **error)
{
	memset(out, 0, sizeof(*out));
	*error = NULL;
	for (int f = 0; f < VM_FIELD_COUNT; f++) {
		char *why = vm_create_check(r, (enum vm_create_field)f);
		if (why) {
			*error = why;
			return false;
		}
	}
	*error = vm_create_conflict(r);
	if (*error)
		return false;
	bool ok = false;
	char *iso = NULL, *iso_value = NULL, *uuid = NULL, *text = NULL;
	char *vm_path = NULL, *disk_path = NULL;
	struct strv made_dirs = { 0 };
	bool made_disk = false;
	uint64_t memory = 0, disk_size = 0;
	int cpus = 2;
	parse_size(memory_text(r), &memory);
	char *typed = NULL;
	parse_size_typed(disk_text(r), 'G', &disk_size, &typed);
	free(typed);
	parse_cpus(cpus_text(r), &cpus);

	char *dir = vm_create_dir(r, error);
	if (!dir)
		goto out;
	target_paths(r, dir, &vm_path, &disk_path);
	if (r->iso && *r->iso) {
		/* Quoted when needed: " #" or " ;" would start a comment, and
		 * blanks at the ends would be trimmed. */
		iso = path_absolute(r->iso);
		iso_value = ini_encode_value(iso);
		if (!iso_value) {
			*error = xasprintf(_("%s: a VM file cannot hold this path "
					   "(control characters, or both ' and "
					   "\"); rename the file"), iso);
			goto out;
		}
	}
	uuid = vm_fresh_uuid();
	if (!uuid) {
		*error = xstrdup(_("cannot read a UUID from "
				 "/proc/sys/kernel/random/uuid"));
		goto out;
	}
	char *disk_name = path_basename(disk_path);
	text = vm_file_text(r, cpus, uuid, disk_name, iso_value);
	free(disk_name);

	/* Check the text with the real parser before making anything. */
	struct vm_config *cfg = config_parse(vm_path, text, strlen(text), error);
	if (!cfg) {
		char *why = *error;
		*error = xasprintf(_("the VM file it would write does not "
				     "load (a bug in vmplay):\n%s"), why);
		free(why);
		goto out;
	}
	config_destroy(cfg);

	step(progress, user, _("Making the folder"));
	missing_dirs(dir, &made_dirs);
	if (!mkdir_p(dir, 0755)) {
		*error = xasprintf(_("cannot create the folder %s: %s"), dir,
				   strerror(errno));
		goto out;
	}
	step(progress, user, _("Creating the disk with qemu-img"));
	if (!disk_create(disk_path, format_of(r), disk_size, PREALLOC_DEFAULT,
			 error))
		goto out;
	made_disk = true;
	step(progress, user, _("Writing the VM file"));
	if (!write_file_atomic(vm_path, text, strlen(text), false)) {
		*error = xasprintf(_("cannot write %s: %s"), vm_path,
				   strerror(errno));
		goto out;
	}
	out->dir = dir;
	out->vm_path = vm_path;
	out->disk_path = disk_path;
	out->memory = memory;
	/* what qemu-img made (whole sectors), as disk info says */
	uint64_t real_size = disk_virtual_size(disk_path);
	out->disk_size = real_size ? real_size : disk_size;
	out->cpus = cpus;
	dir = vm_path = disk_path = NULL;
	ok = true;
out:
	if (!ok) {
		/* Take back what this run made, innermost first. */
		if (made_disk)
			unlink(disk_path);
		for (size_t i = made_dirs.n; i-- > 0;)
			rmdir(made_dirs.v[i]);
	}
	strv_free(&made_dirs);
	free(text);
	free(uuid);
	free(iso_value);
	free(iso);
	free(dir);
	free(disk_path);
	free(vm_path);
	return ok;
}
