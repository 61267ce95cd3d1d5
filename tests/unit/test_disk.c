/* Unit tests of disk.c: format detection from headers, name tables,
 * preallocation support. (The qemu-img paths are tested against the real
 * qemu-img in tests/e2e/test_disk.sh.) */
#include "disk.h"
#include "test.h"
#include "util.h"

#include <stdlib.h>
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
	rmdir(tmpdir);
	return TEST_REPORT();
}
