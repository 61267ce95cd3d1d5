/* vmplay disk create|info|resize|convert: the disk tools of disk.c on the
 * command line. Exit status 0 on success, 1 when the operation failed,
 * 2 for a usage error. */
#include "cli/commands.h"

#include "base/i18n.h"
#include "base/display_format.h"
#include "base/util.h"
#include "vm/disk.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The prefix stays English: it names the command. */
static void error_out(const char *msg)
{
	fprintf(stderr, "vmplay disk: %s\n", msg);
}

/* Parses a size argument; on failure says which argument and what a size
 * looks like. */
static bool size_arg(const char *text, uint64_t *out)
{
	char *why = NULL;
	if (parse_size_typed(text, 'G', out, &why) && *out > 0)
		return true;
	if (why)
		fprintf(stderr, "vmplay disk: %s\n", why);
	else
		fprintf(stderr, _("vmplay disk: '%s' is not a size (examples: "
				  "512M, 25G, 1.5T; K/M/G/T are powers of "
				  "1024)\n"), text);
	free(why);
	return false;
}

static bool format_arg(const char *text, enum disk_format *out)
{
	if (disk_format_parse(text, out))
		return true;
	fprintf(stderr, _("vmplay disk: --format: '%s' is not a disk format "
			  "(accepted: qcow2, raw, vdi, vmdk)\n"), text);
	return false;
}

/* ---- create ----------------------------------------------------------- */

/* TRANSLATORS: --help text: option names, formats and words in
 * capitals (PATH, SIZE) stay as they are. */
static const char *const create_usage =
	N_("Usage: vmplay disk create PATH SIZE [--format F] [--preallocation P]\n"
	"\n"
	"Creates a new disk image of SIZE (512M, 25G, 1.5T; powers of 1024).\n"
	"An existing PATH is never overwritten.\n"
	"\n"
	"  -f, --format F          qcow2, raw, vdi or vmdk (default: from\n"
	"                          PATH's extension, .raw or .img: raw, .vdi,\n"
	"                          .vmdk; otherwise qcow2)\n"
	"  -p, --preallocation P   off, metadata (qcow2 only), falloc or full\n"
	"  -h, --help              show this help\n");

static int disk_create_cmd(int argc, char **argv)
{
	static const struct option options[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "preallocation", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	enum disk_format format = FORMAT_AUTO;
	enum disk_prealloc prealloc = PREALLOC_DEFAULT;
	int c;
	while ((c = getopt_long(argc, argv, "f:p:h", options, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (!format_arg(optarg, &format))
				return 2;
			break;
		case 'p':
			if (!disk_prealloc_parse(optarg, &prealloc)) {
				fprintf(stderr, _("vmplay disk: --preallocation: "
						  "'%s' is not a preallocation "
						  "mode (accepted: off, metadata, "
						  "falloc, full)\n"), optarg);
				return 2;
			}
			break;
		case 'h': fputs(_(create_usage), stdout); return 0;
		default: fputs(_(create_usage), stderr); return 2;
		}
	}
	if (argc - optind != 2) {
		fputs(_(create_usage), stderr);
		return 2;
	}
	const char *path = argv[optind];
	/* d.raw made as qcow2 would surprise: the name says the format. */
	if (format == FORMAT_AUTO && !disk_format_from_extension(path, &format))
		format = FORMAT_QCOW2;
	uint64_t size;
	if (!size_arg(argv[optind + 1], &size))
		return 2;
	char *error = NULL;
	if (!disk_create(path, format, size, prealloc, &error)) {
		error_out(error);
		free(error);
		return 1;
	}
	/* What qemu-img made (it rounds up to whole sectors), as disk info
	 * will say. */
	uint64_t made = disk_virtual_size(path);
	char buf[32];
	/* TRANSLATORS: %1$s the image's path, %2$s its format (qcow2...),
	 * %3$s its size (25G). */
	printf(_("created %s (%s, %s)\n"), path, disk_format_name(format),
	       format_size_display(made ? made : size, buf, sizeof(buf)));
	return 0;
}

/* ---- info ------------------------------------------------------------- */

/* TRANSLATORS: --help text: option names, formats and words in
 * capitals (PATH, SIZE) stay as they are. */
static const char *const info_usage =
	N_("Usage: vmplay disk info PATH [--json]\n"
	"\n"
	"Shows an image's format, virtual size, space used and snapshots.\n"
	"Works while a VM runs the image (the figures may be a moment old).\n"
	"\n"
	"      --json   qemu-img's own JSON (qemu-img info --output=json)\n"
	"  -h, --help   show this help\n");

static void print_info(const struct disk_info *info)
{
	char a[32], b[32];
	/* For people (scripts have --json): labels translated, sizes with
	 * the user's decimal point. TRANSLATORS: vmplay disk info; the
	 * labels of these lines are padded so that the values line up. */
	printf(_("image:        %s\n"), info->path);
	printf(_("format:       %s\n"), info->format_name);
	printf(_("virtual size: %s (%llu bytes)\n"),
	       format_size_display(info->virtual_size, a, sizeof(a)),
	       (unsigned long long)info->virtual_size);
	printf(_("used on disk: %s\n"),
	       format_size_display(info->actual_size, b, sizeof(b)));
	if (info->backing_file)
		printf(_("backing file: %s\n"), info->backing_file);
	if (info->dirty)
		fputs(_("dirty:        yes (not closed cleanly)\n"), stdout);
	if (!info->n_snapshots) {
		fputs(_("snapshots:    none\n"), stdout);
		return;
	}
	printf(_("snapshots:    %zu\n"), info->n_snapshots);
	disk_snapshots_print(stdout, info);
}

static int disk_info_cmd(int argc, char **argv)
{
	enum { OPT_JSON = 256 };
	static const struct option options[] = {
		{ "json", no_argument, NULL, OPT_JSON },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool json = false;
	int c;
	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (c) {
		case OPT_JSON: json = true; break;
		case 'h': fputs(_(info_usage), stdout); return 0;
		default: fputs(_(info_usage), stderr); return 2;
		}
	}
	if (argc - optind != 1) {
		fputs(_(info_usage), stderr);
		return 2;
	}
	char *error = NULL;
	struct disk_info *info = disk_info(argv[optind], DISK_INFO_SHARED, &error);
	if (!info) {
		error_out(error);
		free(error);
		return 1;
	}
	if (json)
		fputs(info->json, stdout);
	else
		print_info(info);
	disk_info_destroy(info);
	return 0;
}

/* ---- resize ----------------------------------------------------------- */

/* TRANSLATORS: --help text: option names, formats and words in
 * capitals (PATH, SIZE) stay as they are. */
static const char *const resize_usage =
	N_("Usage: vmplay disk resize PATH SIZE [--shrink]\n"
	"\n"
	"Sets the virtual size of an image while no VM runs it. SIZE is\n"
	"absolute (30G) or relative (+5G, -1G). qcow2 and raw images can be\n"
	"resized; the guest's partitions and file systems are not changed.\n"
	"\n"
	"      --shrink   allow a smaller size (deletes the data beyond the end)\n"
	"  -h, --help     show this help\n");

static int disk_resize_cmd(int argc, char **argv)
{
	enum { OPT_SHRINK = 256 };
	static const struct option options[] = {
		{ "shrink", no_argument, NULL, OPT_SHRINK },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool shrink = false;
	int c;
	/* "+" stops at the first operand, so "-1G" is a size, not options. */
	while ((c = getopt_long(argc, argv, "+h", options, NULL)) != -1) {
		switch (c) {
		case OPT_SHRINK: shrink = true; break;
		case 'h': fputs(_(resize_usage), stdout); return 0;
		default: fputs(_(resize_usage), stderr); return 2;
		}
	}
	/* Options may also follow the operands: PATH SIZE --shrink. */
	const char *operands[2];
	int n = 0;
	for (int i = optind; i < argc; i++) {
		if (strcmp(argv[i], "--shrink") == 0)
			shrink = true;
		else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(_(resize_usage), stdout);
			return 0;
		} else if (n < 2)
			operands[n++] = argv[i];
		else
			n = 3;
	}
	if (n != 2) {
		fputs(_(resize_usage), stderr);
		return 2;
	}
	const char *path = operands[0], *size_text = operands[1];
	int sign = 0;
	if (size_text[0] == '+' || size_text[0] == '-')
		sign = size_text[0] == '+' ? 1 : -1;
	uint64_t size;
	if (!size_arg(size_text + (sign ? 1 : 0), &size))
		return 2;

	char *error = NULL;
	uint64_t target = size;
	if (sign) {
		struct disk_info *info = disk_info(path, DISK_INFO_DEFAULT, &error);
		if (!info) {
			error_out(error);
			free(error);
			return 1;
		}
		uint64_t now = info->virtual_size;
		disk_info_destroy(info);
		if (sign < 0 && size >= now) {
			char a[32], b[32];
			/* TRANSLATORS: %1$s the image, %2$s the size to
			 * take off, %3$s the image's size. */
			fprintf(stderr, _("vmplay disk: %s: cannot take %s off "
					  "a %s image\n"), path,
				format_size_display(size, a, sizeof(a)),
				format_size_display(now, b, sizeof(b)));
			return 1;
		}
		if (sign > 0 && now > UINT64_MAX - size) {
			fprintf(stderr, _("vmplay disk: %s: size too large\n"),
				path);
			return 1;
		}
		target = sign > 0 ? now + size : now - size;
	}
	if (!disk_resize(path, target, shrink, &error)) {
		error_out(error);
		free(error);
		return 1;
	}
	uint64_t made = disk_virtual_size(path);
	if (made)
		target = made;
	char buf[32];
	printf(_("%s is now %s (%llu bytes)\n"), path,
	       format_size_display(target, buf, sizeof(buf)),
	       (unsigned long long)target);
	return 0;
}

/* ---- convert ---------------------------------------------------------- */

/* TRANSLATORS: --help text: option names, formats and words in
 * capitals (PATH, SIZE) stay as they are. */
static const char *const convert_usage =
	N_("Usage: vmplay disk convert SRC DST [--format F]\n"
	"\n"
	"Copies the image SRC into a new image DST of format F (qcow2, raw,\n"
	"vdi, vmdk). DST must not exist; a failed or interrupted conversion\n"
	"leaves nothing behind. Shows progress on a terminal.\n"
	"\n"
	"  -f, --format F   the format of DST (default: from DST's extension,\n"
	"                   .qcow2, .raw or .img, .vdi, .vmdk)\n"
	"  -h, --help       show this help\n");

static volatile sig_atomic_t interrupted;

static void on_interrupt(int sig)
{
	interrupted = sig;
	disk_cancel();
}

static void show_progress(double percent, void *userdata)
{
	const char *dst = userdata;
	fputc('\r', stdout);
	char done[32];
	format_decimal_display(percent, 5, 1, done, sizeof(done));
	/* TRANSLATORS: progress of vmplay disk convert; %1$s the new
	 * image, %2$s a percentage (" 42.5"; the line is rewritten as it
	 * goes). */
	printf(_("converting to %s: %s%%"), dst, done);
	fflush(stdout);
}

static int disk_convert_cmd(int argc, char **argv)
{
	static const struct option options[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	enum disk_format format = FORMAT_AUTO;
	int c;
	while ((c = getopt_long(argc, argv, "f:h", options, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (!format_arg(optarg, &format))
				return 2;
			break;
		case 'h': fputs(_(convert_usage), stdout); return 0;
		default: fputs(_(convert_usage), stderr); return 2;
		}
	}
	if (argc - optind != 2) {
		fputs(_(convert_usage), stderr);
		return 2;
	}
	const char *src = argv[optind], *dst = argv[optind + 1];
	if (format == FORMAT_AUTO && !disk_format_from_extension(dst, &format)) {
		fprintf(stderr, _("vmplay disk: cannot tell the format of %s "
				  "from its name: give --format (qcow2, raw, "
				  "vdi or vmdk), or end it in .qcow2, .raw, "
				  ".img, .vdi or .vmdk\n"), dst);
		return 2;
	}

	/* Ctrl+C, a TERM or a hang-up (the terminal closed) stops qemu-img;
	 * disk_convert then removes its temporary file before vmplay exits.
	 * After a SIGKILL the next run in that folder removes it
	 * (temp_files.h). */
	struct sigaction sa = { .sa_handler = on_interrupt };
	sigemptyset(&sa.sa_mask);
	struct sigaction old_int, old_term, old_hup;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGHUP, &sa, &old_hup);

	bool tty = isatty(STDOUT_FILENO);
	char *error = NULL;
	bool ok = disk_convert(src, dst, format, tty ? show_progress : NULL,
			       (void *)dst, &error);
	if (tty)
		fputs("\r\033[K", stdout);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGHUP, &old_hup, NULL);
	if (!ok) {
		if (interrupted)
			fprintf(stderr, _("vmplay disk: convert interrupted; "
					  "%s was not created\n"), dst);
		else
			error_out(error);
		free(error);
		return interrupted ? 128 + interrupted : 1;
	}
	/* TRANSLATORS: %3$s is the new image's format (qcow2...). */
	printf(_("converted %s to %s (%s)\n"), src, dst,
	       disk_format_name(format));
	return 0;
}

/* ---- dispatch --------------------------------------------------------- */

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} actions[] = {
	{ "create", disk_create_cmd, "PATH SIZE [--format F] [--preallocation P]" },
	{ "info", disk_info_cmd, "PATH [--json]" },
	{ "resize", disk_resize_cmd, "PATH SIZE|+SIZE|-SIZE [--shrink]" },
	{ "convert", disk_convert_cmd, "SRC DST [--format F]" },
};

static void usage(FILE *out)
{
	fputs(_("Usage: vmplay disk ACTION ARGS\n\n"
		"Creates, inspects, resizes and converts disk images with "
		"qemu-img.\nNo action ever overwrites an existing file.\n\n"
		"Actions:\n"), out);
	for (size_t i = 0; i < ARRAY_SIZE(actions); i++)
		fprintf(out, "  %-8s %s\n", actions[i].name, actions[i].summary);
	fputs(_("\nRun 'vmplay disk ACTION --help' for details.\n"), out);
}

int cmd_disk(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(actions); i++) {
		if (strcmp(argv[1], actions[i].name) == 0) {
			optind = 0;  /* glibc: start a fresh getopt scan */
			return actions[i].run(argc - 1, argv + 1);
		}
	}
	fprintf(stderr, _("vmplay disk: '%s' is not an action (accepted: "
			  "create, info, resize, convert)\n"), argv[1]);
	return 2;
}
