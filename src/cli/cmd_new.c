/* vmplay new NAME: the new-VM wizard as a command. A front-end of
 * vm/vm_create.c (which the library's wizard uses too): it turns options
 * into a vm_create_request, reports bad ones with exit status 2, and
 * prints what was made. */
#include "cli/commands.h"

#include "base/i18n.h"
#include "base/display_format.h"
#include "base/util.h"
#include "vm/disk.h"
#include "vm/vm_create.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* TRANSLATORS: --help text: option and command names, key names
 * and words in capitals (FILE, NAME) stay as they are. */
static const char *const usage_text =
	N_("Usage: vmplay new NAME [OPTIONS]\n"
	"\n"
	"Creates a VM: the folder (default ~/.VM/NAME/), the disk NAME.qcow2\n"
	"and the VM file NAME.vmplay with a fresh UUID. Nothing existing is\n"
	"ever overwritten. The library window's wizard (Ctrl+N in `vmplay`)\n"
	"does the same.\n"
	"\n"
	"  -d, --dir D        the VM folder (default ~/.VM/NAME)\n"
	"      --disk SIZE    disk size (default 25G; 64G for windows)\n"
	"  -f, --format F     disk format: qcow2 (default; snapshots), raw, vdi, vmdk\n"
	"      --iso FILE     an ISO image in the CD drive (to install from)\n"
	"  -m, --memory SIZE  memory (default 2G; 4G for windows)\n"
	"  -c, --cpus N       processors (default 2)\n"
	"      --os OS        linux (virtio disk, network and display; default),\n"
	"                     windows (SATA disk, e1000, HD audio) or other\n"
	"  -h, --help         show this help\n");

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

/* Fills r from the command line; -1 to go on, else the exit status. */
static int parse_options(int argc, char **argv, struct vm_create_request *r)
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
	memset(r, 0, sizeof(*r));
	r->format = FORMAT_QCOW2;
	r->os = &vm_presets[0];
	int c;
	while ((c = getopt_long(argc, argv, "d:f:m:c:h", options, NULL)) != -1) {
		switch (c) {
		case 'd': r->dir = optarg; break;
		case OPT_DISK: r->disk_size = optarg; break;
		case 'f':
			if (!disk_format_parse(optarg, &r->format)) {
				fail(_("--format: '%s' is not a disk format "
				       "(accepted: qcow2, raw, vdi, vmdk)"),
				     optarg);
				return 2;
			}
			break;
		case OPT_ISO: r->iso = optarg; break;
		case 'm': r->memory = optarg; break;
		case 'c': r->cpus = optarg; break;
		case OPT_OS:
			r->os = vm_preset_find(optarg);
			if (!r->os) {
				fail(_("--os: '%s' is not a preset (accepted: "
				       "linux, windows, other)"), optarg);
				return 2;
			}
			break;
		case 'h': fputs(_(usage_text), stdout); return 0;
		default: fputs(_(usage_text), stderr); return 2;
		}
	}
	if (argc - optind != 1) {
		fputs(optind == argc ? _("vmplay new: no NAME given\n")
				     : _("vmplay new: one NAME at a time\n"),
		      stderr);
		fputs(_(usage_text), stderr);
		return 2;
	}
	r->name = argv[optind];
	static const char *const labels[VM_FIELD_COUNT] = {
		[VM_FIELD_NAME] = NULL,
		[VM_FIELD_MEMORY] = "--memory: ",
		[VM_FIELD_CPUS] = "--cpus: ",
		[VM_FIELD_DISK_SIZE] = "--disk: ",
		[VM_FIELD_ISO] = "--iso: ",
	};
	for (int f = 0; f < VM_FIELD_COUNT; f++) {
		char *why = vm_create_check(r, (enum vm_create_field)f);
		if (why) {
			fail("%s%s", labels[f] ? labels[f] : "", why);
			free(why);
			return 2;
		}
	}
	return -1;  /* go on */
}

int cmd_new(int argc, char **argv)
{
	struct vm_create_request r;
	int status = parse_options(argc, argv, &r);
	if (status >= 0)
		return status;
	struct vm_created made;
	char *error = NULL;
	if (!vm_create(&r, NULL, NULL, &made, &error)) {
		fail("%s", error);
		free(error);
		return 1;
	}
	char mem[32], disk[32];
	int width = (int)strlen(r.name) + 7;
	printf(_("created %s/\n"), made.dir);
	/* TRANSLATORS: after the disk image's file name: its format
	 * (qcow2...), size and interface (virtio, sata). */
	printf("  %-*s  ", width, strrchr(made.disk_path, '/') + 1);
	printf(_("disk: %s, %s, %s\n"), disk_format_name(r.format),
	       format_size_display(made.disk_size, disk, sizeof(disk)),
	       r.os->disk_interface);
	printf("  %-*s  ", width, strrchr(made.vm_path, '/') + 1);
	/* TRANSLATORS: after the VM file's name: %1$s the memory (2G),
	 * %2$d the processors, %3$s the preset's name (linux, windows,
	 * other: as typed after --os), %4$s what the preset sets up. */
	printf(ngettext("VM file: %s, %d CPU, %s preset (%s)\n",
			"VM file: %s, %d CPUs, %s preset (%s)\n",
			(unsigned long)made.cpus),
	       format_size_display(made.memory, mem, sizeof(mem)), made.cpus,
	       r.os->name, _(r.os->summary));
	if (r.iso) {
		char *iso = path_absolute(r.iso);
		printf(_("  CD drive: %s\n"), iso);
		free(iso);
	}
	printf(_("play it with: vmplay %s\n"), made.vm_path);
	vm_created_free(&made);
	return 0;
}
