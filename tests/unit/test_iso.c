/* iso_check (issue 16 item 4): ISO 9660 and UDF images are accepted by
 * their volume descriptors; anything else is refused, saying what it is. */
#include "test.h"

#include "base/util.h"
#include "vm/iso.h"

#include <stdlib.h>
#include <unistd.h>

static char dir[] = "/tmp/vmplay-test-iso-XXXXXX";

/* Writes a file of size bytes (zeros) with the given bytes at offsets. */
static char *make(const char *name, size_t size, const char *a, size_t a_at,
		  const char *b, size_t b_at)
{
	char *path = xasprintf("%s/%s", dir, name);
	unsigned char *data = calloc(1, size + 1);
	if (a)
		memcpy(data + a_at, a, strlen(a));
	if (b)
		memcpy(data + b_at, b, strlen(b));
	FILE *f = fopen(path, "wb");
	if (f) {
		fwrite(data, 1, size, f);
		fclose(f);
	}
	free(data);
	return path;
}

static void expect(const char *path, bool ok, const char *why_part)
{
	char *why = NULL;
	bool got = iso_check(path, &why);
	CHECK_INT(got, ok);
	if (why_part)
		CHECK_CONTAINS(why, why_part);
	else
		CHECK(why == NULL);
	free(why);
}

static void test_iso_check(void)
{
	CHECK(mkdtemp(dir) != NULL);
	char *iso = make("a.iso", 40960, "\x01" "CD001", 32768, NULL, 0);
	expect(iso, true, NULL);
	/* UDF only: "BEA01" then "NSR03" in the recognition sequence. */
	char *udf = make("u.iso", 49152, "BEA01", 32769, "NSR03", 34817);
	expect(udf, true, NULL);
	char *text = make("passwd", 0, NULL, 0, NULL, 0);
	FILE *f = fopen(text, "w");
	fputs("root:x:0:0:root:/root:/bin/bash\n", f);
	fclose(f);
	expect(text, false, "/passwd is a text file, not an ISO 9660 or UDF image");
	char *qcow = make("d.qcow2", 65536, NULL, 0, NULL, 0);
	f = fopen(qcow, "r+b");
	fwrite("QFI\xfb\0\0\0\x03", 1, 8, f);   /* magic, version 3 */
	fclose(f);
	expect(qcow, false, "is a qcow2 disk image (attach it as a disk instead), not an ISO");
	char *empty = make("empty.iso", 0, NULL, 0, NULL, 0);
	expect(empty, false, "is an empty file, not an ISO");
	char *tiny = make("tiny.bin", 100, "\x01\x02", 0, NULL, 0);
	expect(tiny, false, "is too small (100 bytes) to be an ISO image");
	char *zeros = make("zeros.img", 65536, "\x01\x02", 0, NULL, 0);
	expect(zeros, false, "has no ISO 9660 or UDF volume descriptor (from byte 32768)");
	char *gz = make("x.iso.gz", 65536, "\x1f\x8b", 0, NULL, 0);
	expect(gz, false, "is a gzip archive (unpack it first)");
	expect(dir, false, "is a folder, not an ISO image");
	char *missing = xasprintf("%s/missing.iso", dir);
	expect(missing, false, "cannot open");
	/* A real one when installed (grub-rescue-pc, a test package). */
	const char *real = "/usr/lib/grub-rescue/grub-rescue-cdrom.iso";
	if (access(real, R_OK) == 0)
		expect(real, true, NULL);
	char *all[] = { iso, udf, text, qcow, empty, tiny, zeros, gz };
	for (size_t i = 0; i < ARRAY_SIZE(all); i++) {
		unlink(all[i]);
		free(all[i]);
	}
	free(missing);
	rmdir(dir);
}

int main(void)
{
	RUN(test_iso_check);
	return TEST_REPORT();
}
