/* vmplay disk create|info|resize|convert: the disk tools of disk.c on the
 * command line. Exit status 0 on success, 1 when the operation failed,
 * 2 for a usage error. */
#include "cli/commands.h"

#include "base/util.h"
#include "vm/disk.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void error_out(const char *msg)
{
	fprintf(stderr, "vmplay disk: %s\n", msg);
}

/* Parses a size argument; on failure says which argument and what a size
 * looks like. */
static bool size_arg(const char *text, uint64_t *out)
{
	if (parse_size(text, out) && *out > 0)
		return true;
	fprintf(stderr, "vmplay disk: '%s' is not a size (examples: 512M, 25G, "
		"1.5T; K/M/G/T are powers of 1024)\n", text);
	return false;
}

static bool format_arg(const char *text, enum disk_format *out)
{
	if (disk_format_parse(text, out))
		return true;
	fprintf(stderr, "vmplay disk: --format: '%s' is not a disk format "
		"(accepted: qcow2, raw, vdi, vmdk)\n", text);
	return false;
}

/* ---- create ----------------------------------------------------------- */

static const char create_usage[] =
	"Usage: vmplay disk create PATH SIZE [--format F] [--preallocation P]\n"
	"\n"
	"Creates a new disk image of SIZE (512M, 25G, 1.5T; powers of 1024).\n"
	"An existing PATH is never overwritten.\n"
	"\n"
	"  -f, --format F          qcow2 (default), raw, vdi or vmdk\n"
	"  -p, --preallocation P   off, metadata (qcow2 only), falloc or full\n"
	"  -h, --help              show this help\n";

static int disk_create_cmd(int argc, char **argv)
{
	static const struct option options[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "preallocation", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	enum disk_format format = FORMAT_QCOW2;
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
				fprintf(stderr, "vmplay disk: --preallocation: '%s' "
					"is not a preallocation mode (accepted: "
					"off, metadata, falloc, full)\n", optarg);
				return 2;
			}
			break;
		case 'h': fputs(create_usage, stdout); return 0;
		default: fputs(create_usage, stderr); return 2;
		}
	}
	if (argc - optind != 2) {
		fputs(create_usage, stderr);
		return 2;
	}
	const char *path = argv[optind];
	uint64_t size;
	if (!size_arg(argv[optind + 1], &size))
		return 2;
	char *error = NULL;
	if (!disk_create(path, format, size, prealloc, &error)) {
		error_out(error);
		free(error);
		return 1;
	}
	char buf[32];
	printf("created %s (%s, %s)\n", path, disk_format_name(format),
	       format_size(size, buf, sizeof(buf)));
	return 0;
}

/* ---- info ------------------------------------------------------------- */

static const char info_usage[] =
	"Usage: vmplay disk info PATH [--json]\n"
	"\n"
	"Shows an image's format, virtual size, space used and snapshots.\n"
	"Works while a VM runs the image (the figures may be a moment old).\n"
	"\n"
	"      --json   qemu-img's own JSON (qemu-img info --output=json)\n"
	"  -h, --help   show this help\n";

static void print_info(const struct disk_info *info)
{
	char a[32], b[32];
	printf("image:        %s\n", info->path);
	printf("format:       %s\n", info->format_name);
	printf("virtual size: %s (%llu bytes)\n",
	       format_size(info->virtual_size, a, sizeof(a)),
	       (unsigned long long)info->virtual_size);
	printf("used on disk: %s\n", format_size(info->actual_size, b, sizeof(b)));
	if (info->backing_file)
		printf("backing file: %s\n", info->backing_file);
	if (info->dirty)
		printf("dirty:        yes (not closed cleanly)\n");
	if (!info->n_snapshots) {
		printf("snapshots:    none\n");
		return;
	}
	printf("snapshots:    %zu\n", info->n_snapshots);
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
		case 'h': fputs(info_usage, stdout); return 0;
		default: fputs(info_usage, stderr); return 2;
		}
	}
	if (argc - optind != 1) {
		fputs(info_usage, stderr);
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

static const char resize_usage[] =
	"Usage: vmplay disk resize PATH SIZE [--shrink]\n"
	"\n"
	"Sets the virtual size of an image while no VM runs it. SIZE is\n"
	"absolute (30G) or relative (+5G, -1G). qcow2 and raw images can be\n"
	"resized; the guest's partitions and file systems are not changed.\n"
	"\n"
	"      --shrink   allow a smaller size (deletes the data beyond the end)\n"
	"  -h, --help     show this help\n";

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
		case 'h': fputs(resize_usage, stdout); return 0;
		default: fputs(resize_usage, stderr); return 2;
		}
	}
	/* Options may also follow the operands: PATH SIZE --shrink. */
	const char *operands[2];
	int n = 0;
	for (int i = optind; i < argc; i++) {
		if (strcmp(argv[i], "--shrink") == 0)
			shrink = true;
		else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(resize_usage, stdout);
			return 0;
		} else if (n < 2)
			operands[n++] = argv[i];
		else
			n = 3;
	}
	if (n != 2) {
		fputs(resize_usage, stderr);
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
			fprintf(stderr, "vmplay disk: %s: cannot take %s off a %s "
				"image\n", path, format_size(size, a, sizeof(a)),
				format_size(now, b, sizeof(b)));
			return 1;
		}
		if (sign > 0 && now > UINT64_MAX - size) {
			fprintf(stderr, "vmplay disk: %s: size too large\n", path);
			return 1;
		}
		target = sign > 0 ? now + size : now - size;
	}
	if (!disk_resize(path, target, shrink, &error)) {
		error_out(error);
		free(error);
		return 1;
	}
	char buf[32];
	printf("%s is now %s (%llu bytes)\n", path,
	       format_size(target, buf, sizeof(buf)), (unsigned long long)target);
	return 0;
}

/* ---- convert ---------------------------------------------------------- */

static const char convert_usage[] =
	"Usage: vmplay disk convert SRC DST --format F\n"
	"\n"
	"Copies the image SRC into a new image DST of format F (qcow2, raw,\n"
	"vdi, vmdk). DST must not exist; a failed or interrupted conversion\n"
	"leaves nothing behind. Shows progress on a terminal.\n"
	"\n"
	"  -f, --format F   the format of DST (required)\n"
	"  -h, --help       show this help\n";

static volatile sig_atomic_t interrupted;

static void on_interrupt(int sig)
{
	interrupted = sig;
	disk_cancel();
}

static void show_progress(double percent, void *userdata)
{
	const char *dst = userdata;
	printf("\rconverting to %s: %5.1f%%", dst, percent);
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
		case 'h': fputs(convert_usage, stdout); return 0;
		default: fputs(convert_usage, stderr); return 2;
		}
	}
	if (argc - optind != 2) {
		fputs(convert_usage, stderr);
		return 2;
	}
	if (format == FORMAT_AUTO) {
		fputs("vmplay disk: convert needs --format (qcow2, raw, vdi or "
		      "vmdk)\n", stderr);
		return 2;
	}
	const char *src = argv[optind], *dst = argv[optind + 1];

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
			fprintf(stderr, "vmplay disk: convert interrupted; %s "
				"was not created\n", dst);
		else
			error_out(error);
		free(error);
		return interrupted ? 128 + interrupted : 1;
	}
	printf("converted %s to %s (%s)\n", src, dst, disk_format_name(format));
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
	{ "convert", disk_convert_cmd, "SRC DST --format F" },
};

static void usage(FILE *out)
{
	fputs("Usage: vmplay disk ACTION ARGS\n\n"
	      "Creates, inspects, resizes and converts disk images with qemu-img.\n"
	      "No action ever overwrites an existing file.\n\nActions:\n", out);
	for (size_t i = 0; i < ARRAY_SIZE(actions); i++)
		fprintf(out, "  %-8s %s\n", actions[i].name, actions[i].summary);
	fputs("\nRun 'vmplay disk ACTION --help' for details.\n", out);
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
	fprintf(stderr, "vmplay disk: '%s' is not an action (accepted: create, "
		"info, resize, convert)\n", argv[1]);
	return 2;
}
