#include "test.h"

#include "base/ini_edit.h"
#include "base/temp_files.h"
#include "base/util.h"
#include "vm/config.h"

#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void test_lex(void)
{
	static const struct {
		const char *line;
		enum ini_line_kind kind;
		enum ini_bad_reason bad;
		const char *name;
		const char *value;
		char unclosed;
	} cases[] = {
		{ "", INI_BLANK, INI_BAD_NONE, NULL, NULL, 0 },
		{ " \t \r", INI_BLANK, INI_BAD_NONE, NULL, NULL, 0 },
		{ "; c", INI_COMMENT, INI_BAD_NONE, NULL, NULL, 0 },
		{ "  # c", INI_COMMENT, INI_BAD_NONE, NULL, NULL, 0 },
		{ "[vm]", INI_SECTION, INI_BAD_NONE, "vm", NULL, 0 },
		{ " [ disk.a ] ; c", INI_SECTION, INI_BAD_NONE, "disk.a", NULL, 0 },
		{ "[vm]#c", INI_SECTION, INI_BAD_NONE, "vm", NULL, 0 },
		{ "[vm", INI_BAD, INI_BAD_UNCLOSED, NULL, NULL, 0 },
		{ "[vm] x", INI_BAD, INI_BAD_TRAILER, NULL, NULL, 0 },
		{ "[ ]", INI_BAD, INI_BAD_EMPTY_SECTION, NULL, NULL, 0 },
		{ "=x", INI_BAD, INI_BAD_EMPTY_KEY, NULL, NULL, 0 },
		{ "just words", INI_BAD, INI_BAD_NOT_INI, NULL, NULL, 0 },
		{ "k=v", INI_KEY, INI_BAD_NONE, "k", "v", 0 },
		{ "  key  =  some value  \r", INI_KEY, INI_BAD_NONE, "key", "some value", 0 },
		{ "k =", INI_KEY, INI_BAD_NONE, "k", "", 0 },
		{ "k = ;c", INI_KEY, INI_BAD_NONE, "k", "", 0 },
		{ "k = a ; c", INI_KEY, INI_BAD_NONE, "k", "a", 0 },
		{ "k = a\t# c", INI_KEY, INI_BAD_NONE, "k", "a", 0 },
		{ "k = a;b#c", INI_KEY, INI_BAD_NONE, "k", "a;b#c", 0 },
		{ "k = \"a ; b\" ; c", INI_KEY, INI_BAD_NONE, "k", "\"a ; b\"", 0 },
		{ "k = -x 'a ;b' ;c", INI_KEY, INI_BAD_NONE, "k", "-x 'a ;b'", 0 },
		{ "k = Bob's ; c", INI_KEY, INI_BAD_NONE, "k", "Bob's", 0 },
		{ "k = \"open ; c", INI_KEY, INI_BAD_NONE, "k", "\"open ; c", '"' },
		{ "k = a = b", INI_KEY, INI_BAD_NONE, "k", "a = b", 0 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct ini_line l;
		ini_lex_line(cases[i].line, strlen(cases[i].line), &l);
		CHECK_INT(l.kind, cases[i].kind);
		CHECK_INT(l.bad, cases[i].bad);
		if (cases[i].name) {
			char *name = xstrndup(l.name, l.name_len);
			CHECK_STR(name, cases[i].name);
			free(name);
		}
		if (cases[i].value) {
			char *value = xstrndup(l.value, l.value_len);
			CHECK_STR(value, cases[i].value);
			free(value);
		}
		CHECK_INT(l.unclosed_quote, cases[i].unclosed);
	}
}

static const char original[] =
	"# My VM\n"
	"\n"
	"[vm]          ; the machine\n"
	"  memory   =   2G   ; plenty\n"
	"cpus=2\n"
	"\n"
	"; disks follow\n"
	"[disk.system]\n"
	"file = system.qcow2\n"
	"# keep this comment\n"
	"\n"
	"[cdrom]\n"
	"file =           ; empty drive\n"
	"[boot]\n"
	"order = c\n"
	"kernel = vmlinuz\n";

/* Every line of before is a line of after, in the same order. */
static void check_lines_kept(const char *before, const char *after)
{
	const char *scan = after;
	for (const char *line = before; *line;) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line + 1) : strlen(line);
		char *want = xstrndup(line, len);
		const char *found = strstr(scan, want);
		if (!found)
			printf("  line lost: %s", want);
		CHECK(found != NULL);
		if (found)
			scan = found + len;
		free(want);
		line += len;
	}
}

static char *edit(const char *text, const char *section, const char *key,
		  const char *value)
{
	struct ini_doc *doc = ini_edit_parse(text, strlen(text));
	CHECK(ini_edit_set(doc, section, key, value));
	char *out = ini_edit_text(doc, NULL);
	ini_edit_destroy(doc);
	return out;
}

static void test_unchanged(void)
{
	static const char *const texts[] = {
		original, "", "\n", "no newline at the end", "a\r\nb\r\n",
		"[x]\n\n\n", "\xEF\xBB\xBF[vm]\n",
	};
	for (size_t i = 0; i < ARRAY_SIZE(texts); i++) {
		struct ini_doc *doc = ini_edit_parse(texts[i], strlen(texts[i]));
		size_t len;
		char *out = ini_edit_text(doc, &len);
		CHECK_STR(out, texts[i]);
		CHECK_INT(len, strlen(texts[i]));
		free(out);
		ini_edit_destroy(doc);
	}
}

/* Emptying a value (an ejected CD) leaves no trailing blank behind. */
static void test_set_empty(void)
{
	char *out = edit("[cdrom]\nfile = a.iso\n", "cdrom", "file", "");
	CHECK_STR(out, "[cdrom]\nfile =\n");
	free(out);
	out = edit("[cdrom]\nfile = a.iso ; the CD\n", "cdrom", "file", "");
	CHECK_STR(out, "[cdrom]\nfile =  ; the CD\n");
	free(out);
	out = edit("[cdrom]\n", "cdrom", "file", "");
	CHECK_STR(out, "[cdrom]\nfile =\n");
	free(out);
}

static void test_set(void)
{
	static const struct {
		const char *section, *key, *value;
		const char *changed_from, *changed_to;  /* one line, or an added one */
	} cases[] = {
		/* replace in place: indentation, spacing and comment stay */
		{ "vm", "memory", "4G", "  memory   =   2G   ; plenty\n",
		  "  memory   =   4G   ; plenty\n" },
		{ "VM", "CPUS", "8", "cpus=2\n", "cpus=8\n" },
		{ "cdrom", "file", "/isos/debian.iso", "file =           ; empty drive\n",
		  "file = /isos/debian.iso ; empty drive\n" },
		{ "disk.system", "file", "new name.qcow2", "file = system.qcow2\n",
		  "file = new name.qcow2\n" },
		/* append after the section's last key */
		{ "disk.system", "size", "20G", "file = system.qcow2\n",
		  "file = system.qcow2\nsize = 20G\n" },
		{ "vm", "name", "x", "cpus=2\n", "cpus=2\nname = x\n" },
		/* a value that needs quotes to read back the same */
		{ "boot", "append", "a ; b", "kernel = vmlinuz\n",
		  "kernel = vmlinuz\nappend = \"a ; b\"\n" },
		{ "boot", "append", " x", "kernel = vmlinuz\n", "kernel = vmlinuz\nappend = \" x\"\n" },
		{ "boot", "append", "say \"hi\" #1", "kernel = vmlinuz\n",
		  "kernel = vmlinuz\nappend = 'say \"hi\" #1'\n" },
		{ "boot", "append", "x 'y", "kernel = vmlinuz\n",
		  "kernel = vmlinuz\nappend = \"x 'y\"\n" },
		{ "boot", "append", "\"q\" r", "kernel = vmlinuz\n",
		  "kernel = vmlinuz\nappend = '\"q\" r'\n" },
		{ "boot", "append", "a;b#c", "kernel = vmlinuz\n",
		  "kernel = vmlinuz\nappend = a;b#c\n" },
		/* a new section at the end */
		{ "disk.data", "file", "data.img", "kernel = vmlinuz\n",
		  "kernel = vmlinuz\n\n[disk.data]\nfile = data.img\n" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *out = edit(original, cases[i].section, cases[i].key,
				 cases[i].value);
		/* The result is the original with one change. */
		const char *at = strstr(original, cases[i].changed_from);
		CHECK(at != NULL);
		if (!at) {
			free(out);
			continue;
		}
		char *want = xasprintf("%.*s%s%s", (int)(at - original), original,
				       cases[i].changed_to,
				       at + strlen(cases[i].changed_from));
		CHECK_STR(out, want);
		free(want);
		/* And the VM file reader reads the new value back. */
		char *error = NULL;
		struct vm_config *cfg = config_parse("/vms/t.vmplay", out,
						     strlen(out), &error);
		if (!cfg)
			printf("  %s\n", error);
		CHECK(cfg != NULL);
		if (cfg && strcmp(cases[i].key, "append") == 0)
			CHECK_STR(cfg->append, cases[i].value);
		config_destroy(cfg);
		free(error);
		free(out);
	}
}

static void test_every_line_survives(void)
{
	struct ini_doc *doc = ini_edit_parse(original, strlen(original));
	CHECK(ini_edit_set(doc, "disk.system", "size", "25G"));
	CHECK(ini_edit_set(doc, "disk.system", "interface", "sata"));
	CHECK(ini_edit_set(doc, "vm", "uuid", "5b6c2f0e-3f5a-4c1b-9d7e-2a8f4e1c0b9d"));
	CHECK(ini_edit_set(doc, "network", "forward", "tcp:2222:22"));
	CHECK(ini_edit_add_section(doc, "disk.extra"));
	CHECK(!ini_edit_add_section(doc, "DISK.extra"));
	CHECK(ini_edit_set(doc, "disk.extra", "file", "extra.img"));
	char *out = ini_edit_text(doc, NULL);
	check_lines_kept(original, out);
	CHECK_CONTAINS(out, "file = system.qcow2\nsize = 25G\ninterface = sata\n# keep this comment\n");
	CHECK_CONTAINS(out, "cpus=2\nuuid = 5b6c2f0e-3f5a-4c1b-9d7e-2a8f4e1c0b9d\n\n; disks follow\n");
	CHECK_CONTAINS(out, "kernel = vmlinuz\n\n[network]\nforward = tcp:2222:22\n\n[disk.extra]\nfile = extra.img\n");
	char *error = NULL;
	struct vm_config *cfg = config_parse("/vms/t.vmplay", out, strlen(out), &error);
	CHECK(cfg != NULL);
	if (cfg) {
		CHECK_INT(cfg->n_disks, 2);
		CHECK_INT(cfg->disks[0].size, 25ull << 30);
		CHECK_STR(cfg->disks[1].file, "/vms/extra.img");
		CHECK_INT(cfg->n_forwards, 1);
	}
	config_destroy(cfg);
	free(error);
	free(out);
	ini_edit_destroy(doc);
}

static void test_line_endings(void)
{
	/* CRLF files get CRLF lines; a last line without newline gets one
	 * before what follows it. */
	char *out = edit("[vm]\r\nname = a\r\n", "vm", "cpus", "2");
	CHECK_STR(out, "[vm]\r\nname = a\r\ncpus = 2\r\n");
	free(out);
	out = edit("[vm]\nname = a", "vm", "cpus", "2");
	CHECK_STR(out, "[vm]\nname = a\ncpus = 2\n");
	free(out);
	out = edit("[vm]\nname = a", "vm", "name", "b");
	CHECK_STR(out, "[vm]\nname = b");
	free(out);
	out = edit("", "vm", "name", "b");
	CHECK_STR(out, "[vm]\nname = b\n");
	free(out);
	out = edit("\xEF\xBB\xBF[vm]\nname = a\n", "vm", "name", "b");
	CHECK_STR(out, "\xEF\xBB\xBF[vm]\nname = b\n");
	free(out);
	out = edit("# c", "cdrom", "file", "x.iso");
	CHECK_STR(out, "# c\n\n[cdrom]\nfile = x.iso\n");
	free(out);
}

static void test_refused_and_remove(void)
{
	struct ini_doc *doc = ini_edit_parse(original, strlen(original));
	CHECK(!ini_edit_set(doc, "vm", "name", "two\nlines"));
	CHECK(!ini_edit_set(doc, "vm", "name", " both ' and \" "));
	CHECK(!ini_edit_set(doc, "vm", "name", "escape\x1b"));
	char *out = ini_edit_text(doc, NULL);
	CHECK_STR(out, original);
	free(out);
	CHECK(ini_edit_remove(doc, "vm", "cpus"));
	CHECK(!ini_edit_remove(doc, "vm", "cpus"));
	CHECK(!ini_edit_remove(doc, "nosuch", "cpus"));
	CHECK(ini_edit_has_section(doc, "Disk.System"));
	CHECK(!ini_edit_has_section(doc, "disk"));
	out = ini_edit_text(doc, NULL);
	CHECK(strstr(out, "cpus") == NULL);
	CHECK_CONTAINS(out, "plenty\n\n; disks follow");
	free(out);
	ini_edit_destroy(doc);
	ini_edit_destroy(NULL);
}

static void test_load_save(void)
{
	char dir[] = "/tmp/vmplay-test-ini-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char *path = path_join(dir, "t.vmplay");
	char *error = NULL;
	CHECK(ini_edit_load(path, &error) == NULL);
	char *want = xasprintf("cannot read %s: No such file or directory", path);
	CHECK_STR(error, want);
	free(want);
	free(error);
	CHECK(write_file_atomic(path, original, strlen(original), false));
	struct ini_doc *doc = ini_edit_load(path, &error);
	CHECK(doc != NULL);
	CHECK(error == NULL);
	if (doc) {
		CHECK(ini_edit_set(doc, "cdrom", "file", "x.iso"));
		CHECK(ini_edit_save(doc, path, &error));
		CHECK(error == NULL);
		size_t len;
		char *text = read_file(path, 1 << 20, &len);
		CHECK_CONTAINS(text, "file = x.iso ; empty drive\n");
		check_lines_kept("# My VM\n\n[vm]          ; the machine\n", text);
		free(text);
	}
	ini_edit_destroy(doc);
	unlink(path);
	rmdir(dir);
	free(path);
}

/* ini_edit_get: the value as the reader takes it, and its line. */
static void test_get(void)
{
	const char text[] = "; c\n[vm]\nname = \"my vm\"  ; quoted\n"
			    "Memory = 2G ; comment\n[disk.a]\nfile = a.img\n";
	struct ini_doc *doc = ini_edit_parse(text, strlen(text));
	int line = 0;
	char *v = ini_edit_get(doc, "vm", "name", &line);
	CHECK_STR(v, "my vm");
	CHECK_INT(line, 3);
	free(v);
	v = ini_edit_get(doc, "VM", "memory", &line);   /* case-insensitive */
	CHECK_STR(v, "2G");
	CHECK_INT(line, 4);
	free(v);
	v = ini_edit_get(doc, "disk.a", "file", NULL);
	CHECK_STR(v, "a.img");
	free(v);
	CHECK(ini_edit_get(doc, "vm", "cpus", NULL) == NULL);
	CHECK(ini_edit_get(doc, "nosuch", "file", NULL) == NULL);
	ini_edit_destroy(doc);
}

/* Temporary files and folder listing for the saving rules below. */
static size_t count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	size_t n = 0;
	struct dirent *e;
	while (d && (e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	if (d)
		closedir(d);
	return n;
}

/* What a save keeps and what it refuses (issue: nothing bent). */
static void test_save_rules(void)
{
	char dir[] = "/tmp/vmplay-test-ini-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char *path = path_join(dir, "t.vmplay");
	char *error = NULL;
	CHECK(write_file_atomic(path, original, strlen(original), false));
	struct ini_doc *doc = ini_edit_load(path, &error);
	if (!doc)
		return;
	CHECK(ini_edit_set(doc, "cdrom", "file", "y.iso"));

	/* owner and mode kept (root can test a foreign owner) */
	CHECK(chmod(path, 0640) == 0);
	bool root = getuid() == 0;
	if (root)
		CHECK(chown(path, 4242, 4343) == 0);
	CHECK(ini_edit_save(doc, path, &error));
	struct stat st;
	CHECK(stat(path, &st) == 0);
	CHECK_INT(st.st_mode & 07777, 0640);
	if (root) {
		CHECK_INT(st.st_uid, 4242);
		CHECK_INT(st.st_gid, 4343);
		CHECK(chown(path, 0, 0) == 0);
	}
	CHECK_INT(count_entries(dir), 1);   /* no temporary file left */

	/* read-only: refused with a message, even for root */
	CHECK(chmod(path, 0444) == 0);
	CHECK(!ini_edit_save(doc, path, &error));
	CHECK_CONTAINS(error, "the file is read-only (mode 0444)");
	free(error);
	CHECK(chmod(path, 0644) == 0);

	/* a hard-linked file: refused, the links stay one file */
	char *other = path_join(dir, "other.vmplay");
	CHECK(link(path, other) == 0);
	CHECK(!ini_edit_save(doc, path, &error));
	CHECK_CONTAINS(error, "1 other hard link, which a save would split");
	free(error);
	CHECK(unlink(other) == 0);
	free(other);

	/* over 1 MiB: never saved (vmplay would refuse to read it back) */
	char *big = xmalloc(INI_EDIT_MAX_SIZE + 1);
	memset(big, 'x', INI_EDIT_MAX_SIZE);
	big[INI_EDIT_MAX_SIZE] = '\0';
	CHECK(ini_edit_set(doc, "vm", "name", big));
	CHECK(!ini_edit_save(doc, path, &error));
	CHECK_CONTAINS(error, "more than the 1 MiB vmplay reads");
	free(error);
	free(big);
	size_t len;
	char *text = read_file(path, 1 << 20, &len);
	CHECK_CONTAINS(text, "file = y.iso");
	free(text);
	ini_edit_destroy(doc);

	/* a NUL inside a line: the file is refused, not cut short */
	static const char nul_text[] = "[vm]\nname = a\0b\n";
	CHECK(write_file_atomic(path, nul_text, sizeof(nul_text) - 1, true));
	CHECK(ini_edit_load(path, &error) == NULL);
	CHECK_CONTAINS(error, "a NUL byte at offset 13");
	free(error);

	/* a FIFO: refused at once */
	char *fifo = path_join(dir, "f.vmplay");
	CHECK(mkfifo(fifo, 0600) == 0);
	alarm(10);
	CHECK(ini_edit_load(fifo, &error) == NULL);
	alarm(0);
	CHECK_CONTAINS(error, "not a regular file");
	free(error);
	unlink(fifo);
	free(fifo);
	unlink(path);
	rmdir(dir);
	free(path);
}

/* A temporary file of a killed vmplay is removed by the next save in
 * that folder; one of a running process, or of another naming, stays. */
static void test_stale_temporaries(void)
{
	char dir[] = "/tmp/vmplay-test-ini-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	pid_t child = fork();
	if (child == 0)
		_exit(0);
	waitpid(child, NULL, 0);   /* a PID that runs no more */
	char *dead = xasprintf("%s/.t.vmplay.vmplay-%d-AbC123", dir, (int)child);
	char *live = xasprintf("%s/.t.vmplay.vmplay-%d-AbC123", dir, (int)getppid());
	char *foreign = xasprintf("%s/.t.vmplay.other-%d-AbC123", dir, (int)child);
	const char *files[] = { dead, live, foreign };
	for (size_t i = 0; i < 3; i++)
		CHECK(write_file_atomic(files[i], "x", 1, false));
	pid_t pid;
	CHECK(temp_name_parse(".t.vmplay.vmplay-123-AbC123", &pid));
	CHECK_INT(pid, 123);
	CHECK(!temp_name_parse(".t.vmplay.vmplay--AbC123", &pid));
	CHECK(!temp_name_parse("t.vmplay.vmplay-123-AbC123", &pid));
	char *path = path_join(dir, "t.vmplay");
	CHECK(write_file_atomic(path, original, strlen(original), false));
	CHECK(access(dead, F_OK) != 0);
	CHECK(access(live, F_OK) == 0);
	CHECK(access(foreign, F_OK) == 0);
	for (size_t i = 0; i < 3; i++)
		unlink(files[i]);
	unlink(path);
	rmdir(dir);
	free(path);
	free(dead);
	free(live);
	free(foreign);
}

int main(void)
{
	RUN(test_lex);
	RUN(test_unchanged);
	RUN(test_set);
	RUN(test_set_empty);
	RUN(test_every_line_survives);
	RUN(test_line_endings);
	RUN(test_refused_and_remove);
	RUN(test_load_save);
	RUN(test_save_rules);
	RUN(test_stale_temporaries);
	RUN(test_get);
	return TEST_REPORT();
}
