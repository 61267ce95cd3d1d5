#include "test.h"

#include "base/util.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static void test_parse_size(void)
{
	static const struct {
		const char *text;
		bool ok;
		uint64_t bytes;
	} cases[] = {
		{ "4096", true, 4096 },
		{ "512M", true, 512ull << 20 },
		{ "2G", true, 2ull << 30 },
		{ "2g", true, 2ull << 30 },
		{ "1.5G", true, 3ull << 29 },
		{ "25GiB", true, 25ull << 30 },
		{ "1T", true, 1ull << 40 },
		{ "10KB", true, 10240 },
		{ "2X", false, 0 },
		{ "", false, 0 },
		{ "G", false, 0 },
		{ "-1G", false, 0 },
		{ "0.3", false, 0 },
		{ "99999999999T", false, 0 },
		{ "0x10", false, 0 },
		{ "1e3", false, 0 },
		{ "1.2.3G", false, 0 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		uint64_t got = 0;
		bool ok = parse_size(cases[i].text, &got);
		CHECK_INT(ok, cases[i].ok);
		if (ok && cases[i].ok)
			CHECK_INT(got, cases[i].bytes);
	}
}

static void test_format_size(void)
{
	char buf[16];
	CHECK_STR(format_size(2ull << 30, buf, sizeof(buf)), "2G");
	CHECK_STR(format_size(3ull << 29, buf, sizeof(buf)), "1.5G");
	CHECK_STR(format_size(17, buf, sizeof(buf)), "17B");
	CHECK_STR(format_size(512ull << 20, buf, sizeof(buf)), "512M");
	CHECK_STR(format_size((1ull << 20) - 1, buf, sizeof(buf)), "1.0M");
	CHECK_STR(format_size(1023, buf, sizeof(buf)), "1023B");
}

static void test_shell_quote(void)
{
	struct strv sv = { 0 };
	strv_push(&sv, "qemu");
	strv_push(&sv, "-name");
	strv_push(&sv, "my vm");
	strv_push(&sv, "it's");
	strv_push(&sv, "");
	strv_push(&sv, "file=a,,b.qcow2");
	char *line = strv_join_quoted(&sv);
	CHECK_STR(line, "qemu -name 'my vm' 'it'\\''s' '' file=a,,b.qcow2");
	free(line);
	CHECK_STR(sv.v[sv.n], NULL);
	strv_free(&sv);
}

static void test_join(void)
{
	static const struct {
		const char *items[4];
		size_t n;
		const char *sep, *want;
	} cases[] = {
		{ { NULL }, 0, ", ", "" },
		{ { "a" }, 1, ", ", "a" },
		{ { "a", "", "c" }, 3, ", ", "a, , c" },
		{ { "user,id=net0", ",hostfwd=x" }, 2, "", "user,id=net0,hostfwd=x" },
		{ { "one", "two" }, 2, "\n", "one\ntwo" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *s = str_join(cases[i].items, cases[i].n, cases[i].sep);
		CHECK_STR(s, cases[i].want);
		free(s);
		struct strv sv = { 0 };
		for (size_t j = 0; j < cases[i].n; j++)
			strv_push(&sv, cases[i].items[j]);
		s = strv_join(&sv, cases[i].sep);
		CHECK_STR(s, cases[i].want);
		free(s);
		strv_free(&sv);
	}
}

static void test_paths(void)
{
	char *s;
	CHECK_STR((s = path_join("/a/b", "c.qcow2")), "/a/b/c.qcow2"); free(s);
	CHECK_STR((s = path_join("/a/b/", "c")), "/a/b/c"); free(s);
	CHECK_STR((s = path_join("/a", "/abs")), "/abs"); free(s);
	CHECK_STR((s = path_dirname("/a/b/c.vmplay")), "/a/b"); free(s);
	CHECK_STR((s = path_dirname("c.vmplay")), "."); free(s);
	CHECK_STR((s = path_dirname("/c")), "/"); free(s);
	CHECK_STR((s = path_basename("/a/b/c.vmplay")), "c.vmplay"); free(s);
}

static void test_mkdir_p(void)
{
	char dir[] = "/tmp/vmplay-test-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char *deep = path_join(dir, "a/b/c");
	CHECK(mkdir_p(deep, 0700));
	CHECK(path_is_dir(deep));
	CHECK(mkdir_p(deep, 0700));   /* existing folders are fine */
	char *file = path_join(dir, "a/f");
	CHECK(write_file_atomic(file, "x", 1, false));
	char *below = path_join(file, "d");
	CHECK(!mkdir_p(below, 0700));
	CHECK_INT(errno, ENOTDIR);
	errno = 0;
	CHECK(!mkdir_p("", 0700));
	CHECK_INT(errno, ENOENT);
	unlink(file);
	char *b = path_join(dir, "a/b"), *a = path_join(dir, "a");
	rmdir(deep);
	rmdir(b);
	rmdir(a);
	rmdir(dir);
	free(a);
	free(b);
	free(below);
	free(file);
	free(deep);
}

static void test_write_file_atomic_never_overwrites(void)
{
	char dir[] = "/tmp/vmplay-test-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char *path = path_join(dir, "f.txt");
	CHECK(write_file_atomic(path, "one", 3, false));
	CHECK(!write_file_atomic(path, "two", 3, false));
	CHECK_INT(errno, EEXIST);
	size_t len;
	char *text = read_file(path, 100, &len);
	CHECK_STR(text, "one");
	free(text);
	CHECK(write_file_atomic(path, "three", 5, true));
	text = read_file(path, 100, &len);
	CHECK_STR(text, "three");
	CHECK_INT(len, 5);
	free(text);
	CHECK(read_file(path, 2, &len) == NULL);
	CHECK_INT(errno, EFBIG);
	unlink(path);
	rmdir(dir);
	free(path);
}

/* The limit is inclusive: a file of exactly max_len bytes reads whole,
 * one byte more is EFBIG (4096 and 8192 are the buffer's growth steps). */
static void test_read_file_limit(void)
{
	char dir[] = "/tmp/vmplay-test-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char *path = path_join(dir, "f.bin");
	static const size_t sizes[] = { 0, 1, 100, 4096, 8192, 10000 };
	char *data = xmalloc(10001);
	memset(data, 'x', 10001);
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		size_t n = sizes[i], len = 12345;
		CHECK(write_file_atomic(path, data, n, true));
		char *text = read_file(path, n, &len);
		CHECK(text != NULL);
		CHECK_INT(len, n);
		free(text);
		CHECK(write_file_atomic(path, data, n + 1, true));
		errno = 0;
		CHECK(read_file(path, n, &len) == NULL);
		CHECK_INT(errno, EFBIG);
	}
	free(data);
	unlink(path);
	rmdir(dir);
	free(path);
}

/* Replacing a file through a symlink writes the file and keeps the link
 * (a VM file linked from elsewhere stays linked). */
static void test_write_file_atomic_through_symlink(void)
{
	char dir[] = "/tmp/vmplay-test-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char *target = path_join(dir, "real.vmplay");
	char *link_path = path_join(dir, "link.vmplay");
	CHECK(write_file_atomic(target, "old", 3, false));
	CHECK(symlink("real.vmplay", link_path) == 0);
	CHECK(write_file_atomic(link_path, "new", 3, true));
	struct stat st;
	CHECK(lstat(link_path, &st) == 0 && S_ISLNK(st.st_mode));
	size_t len;
	char *text = read_file(target, 100, &len);
	CHECK_STR(text, "new");
	free(text);
	/* Without overwrite a link to an existing file is refused. */
	CHECK(!write_file_atomic(link_path, "x", 1, false));
	unlink(link_path);
	unlink(target);
	CHECK(rmdir(dir) == 0);   /* no temporary file left */
	free(link_path);
	free(target);
}

static void test_path_which(void)
{
	char *s;
	setenv("PATH", "/nonexistent:/bin:/usr/bin", 1);
	s = path_which("sh");
	CHECK(s && (strcmp(s, "/bin/sh") == 0 || strcmp(s, "/usr/bin/sh") == 0));
	free(s);
	CHECK_STR((s = path_which("/bin/sh")), "/bin/sh"); free(s);
	CHECK_STR((s = path_which("no-such-program-vmplay")), NULL);
	CHECK_STR((s = path_which("/tmp")), NULL);    /* a folder is no program */
	CHECK_STR((s = path_which("")), NULL);
}

static void test_edit_distance(void)
{
	CHECK_INT(edit_distance("memory", "memroy"), 2);
	CHECK_INT(edit_distance("memory", "memory"), 0);
	CHECK_INT(edit_distance("", "cpus"), 4);
	CHECK_INT(edit_distance("cpu", "cpus"), 1);
}

int main(void)
{
	RUN(test_parse_size);
	RUN(test_format_size);
	RUN(test_shell_quote);
	RUN(test_join);
	RUN(test_paths);
	RUN(test_mkdir_p);
	RUN(test_write_file_atomic_never_overwrites);
	RUN(test_write_file_atomic_through_symlink);
	RUN(test_read_file_limit);
	RUN(test_path_which);
	RUN(test_edit_distance);
	return TEST_REPORT();
}
