/* vmplay new NAME: the "new VM" wizard as a command. Makes the VM folder,
 * the disk image and a commented VM file with a fresh UUID and presets
 * for the guest OS. It never overwrites anything, and when a step fails it
 * removes what the earlier steps made, so a failed run leaves no
 * half-made VM behind. */
#include "cli/commands.h"

#include "base/ini_edit.h"
#include "base/util.h"
#include "vm/config.h"
#include "vm/disk.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* What --os changes. Windows gets devices its installer drives without
 * extra drivers; Linux gets virtio, which every distribution supports. */
struct os_preset {
	const char *name;
	const char *disk_interface;
	const char *nic_model;
	const char *sound;
	const char *display;   /* [display] device */
	const char *default_memory;
	const char *default_disk;
	const char *summary;
};

static const struct os_preset presets[] = {
	/* virtio display: the guest's resolution follows the window */
	{ "linux", "virtio", "virtio", "hda", "virtio", "2G", "25G",
	  "virtio disk, network and display" },
	{ "windows", "sata", "e1000", "hda", "std", "4G", "64G",
	  "SATA disk, e1000 network, HD audio" },
	{ "other", "sata", "e1000", "hda", "std", "2G", "25G",
	  "SATA disk, e1000 network (widely supported)" },
};

static const char usage_text[] =
	"Usage: vmplay new NAME [OPTIONS]\n"
	"\n"
	"Creates a VM: the folder (default ~/.VM/NAME/), the disk NAME.qcow2\n"
	"and the VM file NAME.vmplay with a fresh UUID. Nothing existing is\n"
	"ever overwritten.\n"
	"\n"
	"  -d, --dir D        the VM folder (default ~/.VM/NAME)\n"
	"      --disk SIZE    disk size (default 25G; 64G for windows)\n"
	"  -f, --format F     disk format: qcow2 (default; snapshots), raw, vdi, vmdk\n"
	"      --iso FILE     an ISO image in the CD drive (to install from)\n"
	"  -m, --memory SIZE  memory (default 2G; 4G for windows)\n"
	"  -c, --cpus N       processors (default 2)\n"
	"      --os OS        linux (virtio disk, network and display; default),\n"
	"                     windows (SATA disk, e1000, HD audio) or other\n"
	"  -h, --help         show this help\n";

struct new_options {
	const char *name;
	const char *dir;
	const char *disk_text;
	uint64_t disk_size;
	enum disk_format format;
	const char *iso;
	const char *memory_text;
	uint64_t memory;
	int cpus;
	const struct os_preset *os;
};

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("vmplay new: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* The name becomes file names and the window title: keep it to
 * characters that need no quoting anywhere. */
static bool valid_name(const char *name)
{
	if (!*name || strlen(name) > 64)
		return false;
	if (!((*name >= 'a' && *name <= 'z') || (*name >= 'A' && *name <= 'Z') ||
	      (*name >= '0' && *name <= '9')))
		return false;
	for (const char *p = name; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789._-", *p))
			return false;
	return true;
}

static int parse_options(int argc, char **argv, struct new_options *o)
{
	enum { OPT_DISK = 256, OPT_ISO, OPT_OS };
	static const struct option options[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "disk", required_argument, NULL, OPT_DISK },
		{ "format", required_argument, NULL, 'f' },
		{ "iso", required_argument, NULL, OPT_ISO },
		{ "memory", required_argument, NULL, 'm' },
		{ "cpus", required_argument, NULL, 'c' },
		{ "os", required_argument, NULL, OPT_OS },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	memset(o, 0, sizeof(*o));
	o->format = FORMAT_QCOW2;
	o->cpus = 2;
	o->os = &presets[0];
	int c;
	while ((c = getopt_long(argc, argv, "d:f:m:c:h", options, NULL)) != -1) {
		switch (c) {
		case 'd': o->dir = optarg; break;
		case OPT_DISK: o->disk_text = optarg; break;
		case 'f':
			if (!disk_format_parse(optarg, &o->format)) {
				fail("--format: '%s' is not a disk format "
				     "(accepted: qcow2, raw, vdi, vmdk)", optarg);
				return 2;
			}
			break;
		case OPT_ISO: o->iso = optarg; break;
		case 'm': o->memory_text = optarg; break;
		case 'c': {
			char *end;
			errno = 0;
			long n = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || n < 1 ||
			    n > CONFIG_MAX_CPUS) {
				fail("--cpus: '%s' is not a number of processors "
				     "(1 to %d, as in the VM file)", optarg,
				     CONFIG_MAX_CPUS);
				return 2;
			}
			o->cpus = (int)n;
			break;
		}
		case OPT_OS: {
			const struct os_preset *found = NULL;
			for (size_t i = 0; i < ARRAY_SIZE(presets); i++)
				if (strcmp(optarg, presets[i].name) == 0)
					found = &presets[i];
			if (!found) {
				fail("--os: '%s' is not a preset (accepted: "
				     "linux, windows, other)", optarg);
				return 2;
			}
			o->os = found;
			break;
		}
		case 'h': fputs(usage_text, stdout); return 0;
		default: fputs(usage_text, stderr); return 2;
		}
	}
	if (argc - optind != 1) {
		fputs(optind == argc ? "vmplay new: no NAME given\n"
				     : "vmplay new: one NAME at a time\n", stderr);
		fputs(usage_text, stderr);
		return 2;
	}
	o->name = argv[optind];
	if (!valid_name(o->name)) {
		fail("'%s' cannot be a VM name (up to 64 letters, digits, '.', "
		     "'_' and '-', starting with a letter or digit)", o->name);
		return 2;
	}
	if (!o->disk_text)
		o->disk_text = o->os->default_disk;
	char *why = NULL;
	if (!parse_size_typed(o->disk_text, 'G', &o->disk_size, &why) ||
	    o->disk_size == 0) {
		if (why)
			fail("--disk: %s", why);
		else
			fail("--disk: '%s' is not a size (examples: 512M, 25G)",
			     o->disk_text);
		free(why);
		return 2;
	}
	if (!o->memory_text)
		o->memory_text = o->os->default_memory;
	if (!parse_size(o->memory_text, &o->memory)) {
		fail("--memory: '%s' is not a memory size (at least 16M; "
		     "examples: 512M, 2G)", o->memory_text);
		return 2;
	}
	const char *problem = config_memory_problem(o->memory);
	if (problem) {
		fail("--memory: '%s' %s", o->memory_text, problem);
		return 2;
	}
	if (o->iso && (!path_exists(o->iso) || path_is_dir(o->iso))) {
		fail("--iso: %s: no such file", o->iso);
		return 2;
	}
	return -1;  /* go on */
}

static char *fresh_uuid(void)
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
static char *vm_file_text(const struct new_options *o, const char *uuid,
			  const char *disk_file, const char *iso_value)
{
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
		"pointer = tablet\n",
		o->name, date, o->os->name, o->name,
		o->name, uuid, o->memory_text, o->cpus,
		disk_file, disk_format_name(o->format), o->disk_text,
		o->os->disk_interface, cdrom, o->os->nic_model,
		o->os->display, o->os->sound);
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

int cmd_new(int argc, char **argv)
{
	struct new_options o;
	int status = parse_options(argc, argv, &o);
	if (status >= 0)
		return status;
	status = 1;

	char *dir = NULL, *iso = NULL, *iso_value = NULL, *uuid = NULL;
	char *text = NULL;
	char *disk_path = NULL, *vm_path = NULL, *error = NULL;
	struct strv made_dirs = { 0 };
	bool made_disk = false;

	if (o.dir) {
		dir = path_absolute(o.dir);
	} else {
		const char *home = getenv("HOME");
		if (!home || !*home) {
			fail("HOME is not set; say where with --dir");
			goto out;
		}
		char *vms = path_join(home, ".VM");
		dir = path_join(vms, o.name);
		free(vms);
	}
	if (path_exists(dir) && !path_is_dir(dir)) {
		fail("%s exists and is not a folder", dir);
		goto out;
	}
	char *disk_name = xasprintf("%s.%s", o.name, disk_format_name(o.format));
	disk_path = path_join(dir, disk_name);
	char *vm_name = xasprintf("%s.vmplay", o.name);
	vm_path = path_join(dir, vm_name);
	free(vm_name);
	const char *targets[] = { vm_path, disk_path };
	for (size_t i = 0; i < ARRAY_SIZE(targets); i++) {
		struct stat st;
		if (lstat(targets[i], &st) == 0) {
			fail("%s already exists; vmplay new never overwrites "
			     "anything (choose another NAME or --dir)",
			     targets[i]);
			free(disk_name);
			goto out;
		}
	}
	if (o.iso) {
		/* Quoted when needed: " #" or " ;" would start a comment, and
		 * blanks at the ends would be trimmed. */
		iso = path_absolute(o.iso);
		iso_value = ini_encode_value(iso);
		if (!iso_value) {
			fail("--iso: %s: a VM file cannot hold this path (control "
			     "characters, or both ' and \"); rename the file",
			     iso);
			free(disk_name);
			goto out;
		}
	}
	uuid = fresh_uuid();
	if (!uuid) {
		fail("cannot read a UUID from /proc/sys/kernel/random/uuid");
		free(disk_name);
		goto out;
	}
	text = vm_file_text(&o, uuid, disk_name, iso_value);
	free(disk_name);

	/* Check the text with the real parser before making anything. */
	struct vm_config *cfg = config_parse(vm_path, text, strlen(text), &error);
	if (!cfg) {
		fprintf(stderr, "vmplay new: the VM file it would write does not "
			"load (a bug in vmplay):\n%s\n", error);
		goto out;
	}
	config_destroy(cfg);

	missing_dirs(dir, &made_dirs);
	if (!mkdir_p(dir, 0755)) {
		fail("cannot create the folder %s: %s", dir, strerror(errno));
		goto out;
	}
	if (!disk_create(disk_path, o.format, o.disk_size, PREALLOC_DEFAULT,
			 &error)) {
		fprintf(stderr, "vmplay new: %s\n", error);
		goto out;
	}
	made_disk = true;
	if (!write_file_atomic(vm_path, text, strlen(text), false)) {
		fail("cannot write %s", vm_path);
		goto out;
	}

	uint64_t made = disk_virtual_size(disk_path);
	if (made)
		o.disk_size = made;   /* what qemu-img made, as disk info says */
	char mem[32], disk[32];
	printf("created %s/\n", dir);
	printf("  %-*s  disk: %s, %s, %s\n", (int)strlen(o.name) + 7,
	       strrchr(disk_path, '/') + 1, disk_format_name(o.format),
	       format_size(o.disk_size, disk, sizeof(disk)), o.os->disk_interface);
	printf("  %-*s  VM file: %s, %d CPU%s, %s preset (%s)\n",
	       (int)strlen(o.name) + 7, strrchr(vm_path, '/') + 1,
	       format_size(o.memory, mem, sizeof(mem)), o.cpus,
	       o.cpus == 1 ? "" : "s", o.os->name, o.os->summary);
	if (iso)
		printf("  CD drive: %s\n", iso);
	printf("play it with: vmplay %s\n", vm_path);
	status = 0;
out:
	if (status != 0) {
		/* Take back what this run made, innermost first. */
		if (made_disk)
			unlink(disk_path);
		for (size_t i = made_dirs.n; i-- > 0;)
			rmdir(made_dirs.v[i]);
	}
	strv_free(&made_dirs);
	free(error);
	free(text);
	free(uuid);
	free(iso_value);
	free(iso);
	free(dir);
	free(disk_path);
	free(vm_path);
	return status;
}
