/* Unit tests of disk.c: format detection from headers, name tables,
 * preallocation support, and the API on the real qemu-img in a temporary
 * folder (the command line is tested in tests/e2e/test_disk.sh). */
#include "base/util.h"
#include "test.h"
#include "vm/disk.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmpdir[] = "/tmp/vmplay-test-disk-XXXXXX";

static char *write_sample(const char *name, const void *data, size_t len)
{
	char *path = path_join(tmpdir, name);
	FILE *f = fopen(path, "wb");
	if (f) {
		fwrite(data, 1, len, f);
		fclose(f);
	}
	return path;
}

static void test_detect_headers(void)
{
	static const struct {
		const char *name;
		size_t offset;
		const char *bytes;
		size_t len;
		enum disk_format want;
	} cases[] = {
		{ "q2", 0, "QFI\xfb\0\0\0\x02", 8, FORMAT_QCOW2 },
		{ "q3", 0, "QFI\xfb\0\0\0\x03", 8, FORMAT_QCOW2 },
		{ "qcow1", 0, "QFI\xfb\0\0\0\x01", 8, FORMAT_AUTO },
		{ "vdi", 0x40, "\x7f\x10\xda\xbe\x01\x00\x01\x00", 8, FORMAT_VDI },
		{ "vmdk", 0, "KDMV\x01\0\0\0", 8, FORMAT_VMDK },
		{ "vmdk3", 0, "COWD", 4, FORMAT_VMDK },
		{ "desc", 0, "# Disk DescriptorFile\nversion=1\n", 32, FORMAT_VMDK },
		{ "vhdx", 0, "vhdxfile", 8, FORMAT_AUTO },
		{ "vpc", 0, "conectix", 8, FORMAT_AUTO },
		{ "zeros", 0, "\0\0\0\0\0\0\0\0", 8, FORMAT_RAW },
		{ "mbr", 510, "\x55\xaa", 2, FORMAT_RAW },
		{ "short", 0, "QF", 2, FORMAT_RAW },
		{ "empty", 0, "", 0, FORMAT_RAW },
		/* the vdi signature at the wrong place is no vdi */
		{ "vdi-off", 0, "\x7f\x10\xda\xbe\x01\x00\x01\x00", 8, FORMAT_RAW },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		unsigned char buf[1024] = { 0 };
		size_t len = cases[i].offset + cases[i].len;
		memcpy(buf + cases[i].offset, cases[i].bytes, cases[i].len);
		if (len < 600 && strcmp(cases[i].name, "short") &&
		    strcmp(cases[i].name, "empty"))
			len = 600;
		char *path = write_sample(cases[i].name, buf, len);
		enum disk_format got = disk_detect_format(path);
		if (got != cases[i].want)
			printf("  case %s\n", cases[i].name);
		CHECK_INT(got, cases[i].want);
		unlink(path);
		free(path);
	}
}

static void test_detect_unreadable(void)
{
	char *missing = path_join(tmpdir, "missing.qcow2");
	CHECK_INT(disk_detect_format(missing), FORMAT_AUTO);
	free(missing);
	CHECK_INT(disk_detect_format(tmpdir), FORMAT_AUTO);
}

static void test_format_names(void)
{
	static const struct {
		const char *name;
		bool ok;
		enum disk_format want;
	} cases[] = {
		{ "qcow2", true, FORMAT_QCOW2 }, { "raw", true, FORMAT_RAW },
		{ "vdi", true, FORMAT_VDI },     { "vmdk", true, FORMAT_VMDK },
		{ "auto", false, FORMAT_AUTO },  { "QCOW2", false, FORMAT_AUTO },
		{ "", false, FORMAT_AUTO },      { "qcow", false, FORMAT_AUTO },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		enum disk_format f = FORMAT_AUTO;
		CHECK_INT(disk_format_parse(cases[i].name, &f), cases[i].ok);
		CHECK_INT(f, cases[i].want);
		if (cases[i].ok)
			CHECK_STR(disk_format_name(f), cases[i].name);
	}
	CHECK(disk_format_has_snapshots(FORMAT_QCOW2));
	CHECK(!disk_format_has_snapshots(FORMAT_RAW));
	CHECK(!disk_format_has_snapshots(FORMAT_VDI));
	CHECK(!disk_format_has_snapshots(FORMAT_VMDK));
}

static void test_prealloc(void)
{
	enum disk_prealloc p = PREALLOC_DEFAULT;
	CHECK(disk_prealloc_parse("off", &p) && p == PREALLOC_OFF);
	CHECK(disk_prealloc_parse("metadata", &p) && p == PREALLOC_METADATA);
	CHECK(disk_prealloc_parse("falloc", &p) && p == PREALLOC_FALLOC);
	CHECK(disk_prealloc_parse("full", &p) && p == PREALLOC_FULL);
	CHECK(!disk_prealloc_parse("default", &p));
	CHECK(!disk_prealloc_parse("sparse", &p));

	static const struct {
		enum disk_format format;
		enum disk_prealloc p;
		bool ok;
	} cases[] = {
		{ FORMAT_QCOW2, PREALLOC_METADATA, true },
		{ FORMAT_QCOW2, PREALLOC_FULL, true },
		{ FORMAT_RAW, PREALLOC_METADATA, false },
		{ FORMAT_RAW, PREALLOC_FALLOC, true },
		{ FORMAT_VDI, PREALLOC_METADATA, false },
		{ FORMAT_VDI, PREALLOC_FULL, true },
		{ FORMAT_VMDK, PREALLOC_METADATA, false },
		{ FORMAT_VMDK, PREALLOC_OFF, true },
		{ FORMAT_AUTO, PREALLOC_OFF, false },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		CHECK_INT(disk_prealloc_supported(cases[i].format, cases[i].p),
			  cases[i].ok);
}

static uint64_t file_size(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (uint64_t)st.st_size : 0;
}

/* Files in tmpdir: a failed operation must leave no temporary behind. */
static int count_files(void)
{
	DIR *d = opendir(tmpdir);
	int n = 0;
	struct dirent *e;
	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	if (d)
		closedir(d);
	return n;
}

static void test_create_info_every_format(void)
{
	static const struct {
		const char *file;
		enum disk_format format;
		enum disk_prealloc prealloc;
		uint64_t size;
	} cases[] = {
		{ "c.qcow2", FORMAT_QCOW2, PREALLOC_DEFAULT, 64ull << 20 },
		{ "m.qcow2", FORMAT_QCOW2, PREALLOC_METADATA, 8ull << 20 },
		{ "c.raw", FORMAT_RAW, PREALLOC_OFF, 3ull << 30 },
		{ "f.raw", FORMAT_RAW, PREALLOC_FULL, 1ull << 20 },
		{ "c.vdi", FORMAT_VDI, PREALLOC_DEFAULT, 32ull << 20 },
		{ "c.vmdk", FORMAT_VMDK, PREALLOC_DEFAULT, 32ull << 20 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *path = path_join(tmpdir, cases[i].file);
		char *error = NULL;
		bool ok = disk_create(path, cases[i].format, cases[i].size,
				      cases[i].prealloc, &error);
		CHECK(ok);
		CHECK_STR(error, NULL);
		free(error);
		CHECK_INT(disk_detect_format(path), cases[i].format);
		struct disk_info *info = disk_info(path, DISK_INFO_DEFAULT, &error);
		CHECK(info != NULL);
		if (info) {
			CHECK_INT(info->format, cases[i].format);
			CHECK_STR(info->format_name, disk_format_name(cases[i].format));
			CHECK_INT(info->virtual_size, cases[i].size);
			CHECK_INT(info->n_snapshots, 0);
			CHECK(info->backing_file == NULL);
			CHECK_CONTAINS(info->json, "\"virtual-size\"");
		}
		free(error);
		disk_info_destroy(info);
		unlink(path);
		free(path);
	}
	/* full preallocation writes every byte */
	char *path = path_join(tmpdir, "full.raw");
	char *error = NULL;
	CHECK(disk_create(path, FORMAT_RAW, 1 << 20, PREALLOC_FULL, &error));
	struct disk_info *info = disk_info(path, DISK_INFO_SHARED, &error);
	CHECK(info && info->actual_size >= (1 << 20));
	disk_info_destroy(info);
	free(error);
	unlink(path);
	free(path);
	CHECK_INT(count_files(), 0);
}

static void test_create_refusals(void)
{
	char *path = path_join(tmpdir, "keep.img");
	FILE *f = fopen(path, "w");
	fputs("precious bytes", f);
	fclose(f);
	struct stat before, after;
	stat(path, &before);

	char *error = NULL;
	CHECK(!disk_create(path, FORMAT_QCOW2, 1 << 20, PREALLOC_DEFAULT, &error));
	CHECK_CONTAINS(error, "already exists");
	CHECK_CONTAINS(error, path);
	free(error);
	size_t len;
	char *text = read_file(path, 1024, &len);
	CHECK_STR(text, "precious bytes");
	free(text);
	stat(path, &after);
	CHECK(before.st_mtim.tv_sec == after.st_mtim.tv_sec &&
	      before.st_mtim.tv_nsec == after.st_mtim.tv_nsec);

	static const struct {
		enum disk_format format;
		enum disk_prealloc prealloc;
		uint64_t size;
		const char *want;
	} cases[] = {
		{ FORMAT_RAW, PREALLOC_METADATA, 1 << 20,
		  "raw images do not support preallocation metadata (accepted: off, falloc, full)" },
		{ FORMAT_VDI, PREALLOC_METADATA, 1 << 20, "accepted: off, falloc, full" },
		{ FORMAT_AUTO, PREALLOC_DEFAULT, 1 << 20, "needs a format" },
		{ FORMAT_QCOW2, PREALLOC_DEFAULT, 0, "must be more than 0" },
		/* qemu-img's own refusal comes through, with the file named */
		{ FORMAT_VDI, PREALLOC_DEFAULT, 1000ull << 40,
		  "new.img: qemu-img create failed: " },
		/* ... naming the file, not vmplay's temporary name */
		{ FORMAT_VDI, PREALLOC_DEFAULT, 1000ull << 40,
		  "new.img: qemu-img create failed: Unsupported VDI image size" },
	};
	char *fresh = path_join(tmpdir, "new.img");
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		CHECK(!disk_create(fresh, cases[i].format, cases[i].size,
				   cases[i].prealloc, &error));
		CHECK_CONTAINS(error, cases[i].want);
		free(error);
		CHECK(!path_exists(fresh));
	}
	free(fresh);

	char *nodir = path_join(tmpdir, "no/such/dir.qcow2");
	CHECK(!disk_create(nodir, FORMAT_QCOW2, 1 << 20, PREALLOC_DEFAULT, &error));
	CHECK_CONTAINS(error, "does not exist");
	free(error);
	free(nodir);
	unlink(path);
	free(path);
	CHECK_INT(count_files(), 0);
}

static void test_resize(void)
{
	char *path = path_join(tmpdir, "r.qcow2");
	char *error = NULL;
	CHECK(disk_create(path, FORMAT_QCOW2, 64 << 20, PREALLOC_DEFAULT, &error));
	CHECK(disk_resize(path, 128 << 20, false, &error));
	struct disk_info *info = disk_info(path, 0, &error);
	CHECK(info && info->virtual_size == 128 << 20);
	disk_info_destroy(info);

	CHECK(!disk_resize(path, 32 << 20, false, &error));
	CHECK_CONTAINS(error, "32M is smaller than its size now (128M)");
	CHECK_CONTAINS(error, "--shrink");
	free(error);
	info = disk_info(path, 0, &error);
	CHECK(info && info->virtual_size == 128 << 20);
	disk_info_destroy(info);

	CHECK(disk_resize(path, 32 << 20, true, &error));
	info = disk_info(path, 0, &error);
	CHECK(info && info->virtual_size == 32 << 20);
	disk_info_destroy(info);
	unlink(path);
	free(path);

	path = path_join(tmpdir, "r.vdi");
	CHECK(disk_create(path, FORMAT_VDI, 8 << 20, PREALLOC_DEFAULT, &error));
	CHECK(!disk_resize(path, 16 << 20, false, &error));
	CHECK_CONTAINS(error, "cannot resize vdi images");
	free(error);
	unlink(path);
	free(path);

	path = path_join(tmpdir, "missing.qcow2");
	CHECK(!disk_resize(path, 16 << 20, false, &error));
	CHECK_CONTAINS(error, "missing.qcow2: no such file");
	free(error);
	free(path);
}

struct progress_seen {
	int calls;
	double last;
	bool monotonic;
};

static void on_progress(double percent, void *userdata)
{
	struct progress_seen *seen = userdata;
	if (percent < seen->last)
		seen->monotonic = false;
	seen->last = percent;
	seen->calls++;
}

static void test_convert(void)
{
	char *src = path_join(tmpdir, "src.raw");
	char *error = NULL;
	CHECK(disk_create(src, FORMAT_RAW, 16 << 20, PREALLOC_DEFAULT, &error));
	static const enum disk_format targets[] = {
		FORMAT_QCOW2, FORMAT_RAW, FORMAT_VDI, FORMAT_VMDK,
	};
	for (size_t i = 0; i < ARRAY_SIZE(targets); i++) {
		char *name = xasprintf("dst.%s", disk_format_name(targets[i]));
		char *dst = path_join(tmpdir, name);
		struct progress_seen seen = { 0, 0, true };
		CHECK(disk_convert(src, dst, targets[i], on_progress, &seen, &error));
		CHECK(seen.calls >= 1);
		CHECK(seen.monotonic);
		CHECK(seen.last == 100.0);
		struct disk_info *info = disk_info(dst, 0, &error);
		CHECK(info && info->format == targets[i] &&
		      info->virtual_size == 16 << 20);
		disk_info_destroy(info);
		/* never over an existing file */
		uint64_t size = file_size(dst);
		CHECK(!disk_convert(src, dst, FORMAT_QCOW2, NULL, NULL, &error));
		CHECK_CONTAINS(error, "already exists");
		free(error);
		CHECK_INT(file_size(dst), size);
		CHECK_INT(disk_detect_format(dst), targets[i]);
		unlink(dst);
		free(dst);
		free(name);
	}
	char *dst = path_join(tmpdir, "x.qcow2");
	char *missing = path_join(tmpdir, "nothing.raw");
	CHECK(!disk_convert(missing, dst, FORMAT_QCOW2, NULL, NULL, &error));
	CHECK_CONTAINS(error, "nothing.raw: no such file");
	free(error);
	/* a source qemu-img cannot read: the failure leaves no file */
	char *bad = path_join(tmpdir, "bad.qcow2");
	FILE *f = fopen(bad, "wb");
	fwrite("QFI\xfb\0\0\0\x03garbage", 1, 15, f);
	fclose(f);
	CHECK(!disk_convert(bad, dst, FORMAT_QCOW2, NULL, NULL, &error));
	CHECK_CONTAINS(error, "qemu-img convert failed");
	free(error);
	CHECK(!path_exists(dst));
	unlink(bad);
	free(bad);
	free(missing);
	free(dst);
	unlink(src);
	free(src);
	CHECK_INT(count_files(), 0);
}

static void test_snapshots(void)
{
	char *path = path_join(tmpdir, "s.qcow2");
	char *error = NULL;
	CHECK(disk_create(path, FORMAT_QCOW2, 16 << 20, PREALLOC_DEFAULT, &error));
	/* "2" is also the id the second snapshot gets: restoring "2" must
	 * pick the snapshot named "2", not the one with id 2. */
	const char *names[] = { "2", "second", "third" };
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		CHECK(disk_snapshot_create(path, names[i], &error));
	CHECK(!disk_snapshot_create(path, "second", &error));
	CHECK_CONTAINS(error, "already has a snapshot named 'second'");
	free(error);
	CHECK(!disk_snapshot_create(path, "", &error));
	CHECK_CONTAINS(error, "needs a name");
	free(error);
	/* "3" is the id of "third": QEMU's loadvm/snapshot-load look a word
	 * up as an id first, so a snapshot named "3" could never be loaded. */
	CHECK(!disk_snapshot_create(path, "3", &error));
	CHECK_CONTAINS(error, "'3' is the id of snapshot 'third'");
	free(error);

	struct disk_info *info = disk_info(path, 0, &error);
	CHECK(info && info->n_snapshots == 3);
	const struct disk_snapshot *s = disk_info_find_snapshot(info, "2");
	CHECK(s && strcmp(s->id, "1") == 0);
	CHECK(s && s->date_sec > 1700000000);
	char buf[40];
	if (s)
		CHECK_STR(disk_snapshot_clock(s, buf, sizeof(buf)), "00:00:00.000");
	CHECK(disk_info_find_snapshot(info, "nope") == NULL);
	disk_info_destroy(info);

	CHECK(disk_snapshot_apply(path, "2", &error));
	CHECK(!disk_snapshot_apply(path, "nope", &error));
	CHECK_CONTAINS(error, "has no snapshot named 'nope'");
	free(error);
	CHECK(disk_snapshot_delete(path, "2", &error));
	CHECK(!disk_snapshot_delete(path, "2", &error));
	free(error);
	info = disk_info(path, 0, &error);
	CHECK(info && info->n_snapshots == 2);
	CHECK(info && !disk_info_find_snapshot(info, "2"));
	CHECK(info && disk_info_find_snapshot(info, "second"));
	disk_info_destroy(info);
	unlink(path);
	free(path);

	path = path_join(tmpdir, "s.raw");
	CHECK(disk_create(path, FORMAT_RAW, 1 << 20, PREALLOC_DEFAULT, &error));
	CHECK(!disk_snapshot_create(path, "x", &error));
	CHECK_CONTAINS(error, "is a raw image, which cannot hold snapshots");
	free(error);
	unlink(path);
	free(path);
}

/* qemu-img must not inherit vmplay's descriptors (the player's X11 and
 * QMP sockets...). A stand-in qemu-img first in PATH reports whether fd 77,
 * opened here without O_CLOEXEC, reached it: as the image's virtual size. */
static void test_no_fd_leak_into_qemu_img(void)
{
	char *bin = path_join(tmpdir, "bin");
	CHECK(mkdir(bin, 0700) == 0);
	char *fake = path_join(bin, "qemu-img");
	static const char script[] =
		"#!/bin/sh\n"
		"if [ -e /proc/$$/fd/77 ]; then n=77; else n=1; fi\n"
		"echo \"{\\\"format\\\": \\\"raw\\\", \\\"virtual-size\\\": $n}\"\n";
	CHECK(write_file_atomic(fake, script, strlen(script), false));
	CHECK(chmod(fake, 0700) == 0);
	char *old_path = xstrdup(getenv("PATH"));
	char *new_path = xasprintf("%s:%s", bin, old_path);
	setenv("PATH", new_path, 1);
	int fd = open("/dev/null", O_RDONLY);
	CHECK(fd >= 0 && dup2(fd, 77) == 77);
	char *image = write_sample("leak.raw", "x", 1), *error = NULL;
	struct disk_info *info = disk_info(image, 0, &error);
	CHECK(info != NULL);
	if (info)
		CHECK_INT(info->virtual_size, 1);
	disk_info_destroy(info);
	free(error);
	close(77);
	close(fd);
	setenv("PATH", old_path, 1);
	unlink(image);
	unlink(fake);
	rmdir(bin);
	free(image);
	free(new_path);
	free(old_path);
	free(fake);
	free(bin);
}

static void test_snapshot_strings(void)
{
	struct disk_snapshot s = { .vm_clock_ns = 3723456000000ull };
	char buf[40];
	CHECK_STR(disk_snapshot_clock(&s, buf, sizeof(buf)), "01:02:03.456");
	s.vm_clock_ns = 0;
	CHECK_STR(disk_snapshot_clock(&s, buf, sizeof(buf)), "00:00:00.000");
	s.date_sec = 0;
	CHECK_INT(strlen(disk_snapshot_date(&s, buf, sizeof(buf))), 19);
}

int main(void)
{
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	RUN(test_detect_headers);
	RUN(test_detect_unreadable);
	RUN(test_format_names);
	RUN(test_prealloc);
	RUN(test_snapshot_strings);
	RUN(test_create_info_every_format);
	RUN(test_create_refusals);
	RUN(test_resize);
	RUN(test_convert);
	RUN(test_snapshots);
	RUN(test_no_fd_leak_into_qemu_img);
	/* A failed check may have left files: remove them all. */
	DIR *d = opendir(tmpdir);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char *path = path_join(tmpdir, e->d_name);
		unlink(path);
		free(path);
	}
	if (d)
		closedir(d);
	rmdir(tmpdir);
	return TEST_REPORT();
}
