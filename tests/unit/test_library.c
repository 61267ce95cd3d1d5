/* The VM library's model (vm/library.c) and the creation code it shares
 * with `vmplay new` (vm/vm_create.c): the scan and its order, remembered
 * files that vanished, finding a VM by name or folder, the running state,
 * removal to the freedesktop trash (and its refusal while running),
 * duplicates (full and linked), and the wizard's field checks. */
#include "test.h"

#include "base/util.h"
#include "vm/instance.h"
#include "vm/library.h"
#include "vm/vm_create.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char home[256];
static struct strv made_homes;   /* removed at the end */

static void write_text(const char *path, const char *text)
{
	char *dir = path_dirname(path);
	mkdir_p(dir, 0755);
	free(dir);
	FILE *f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
}

/* A VM made by the same code as `vmplay new`, 16M disk. */
static char *make_vm(const char *name)
{
	struct vm_create_request r = { .name = name, .disk_size = "16M",
				       .memory = "64M" };
	struct vm_created made;
	char *error = NULL;
	if (!vm_create(&r, NULL, NULL, &made, &error)) {
		printf("  vm_create %s: %s\n", name, error);
		free(error);
		return NULL;
	}
	char *path = xstrdup(made.vm_path);
	vm_created_free(&made);
	return path;
}

static void fresh_home(const char *suffix)
{
	snprintf(home, sizeof(home), "/tmp/vmplay-library-XXXXXX");
	if (!mkdtemp(home))
		abort();
	strv_push(&made_homes, home);
	strncat(home, suffix, sizeof(home) - strlen(home) - 1);
	mkdir_p(home, 0755);
	setenv("HOME", home, 1);
	char *run = path_join(home, "run");
	mkdir_p(run, 0700);
	setenv("XDG_RUNTIME_DIR", run, 1);
	free(run);
	unsetenv("XDG_STATE_HOME");
	unsetenv("XDG_CACHE_HOME");
	unsetenv("XDG_DATA_HOME");
}

static void test_scan_order_and_recent(void)
{
	fresh_home("");
	free(make_vm("zeta"));
	free(make_vm("Alpha"));
	free(make_vm("mid"));
	char *other = xasprintf("%s/elsewhere/beta.vmplay", home);
	write_text(other, "[vm]\nmemory = 96M\ncpus = 3\n");
	char *broken = xasprintf("%s/.VM/broken/broken.vmplay", home);
	write_text(broken, "[vm]\nmemory = lots\n");
	library_note_played(other);
	char *gone = xasprintf("%s/gone/gone.vmplay", home);
	write_text(gone, "[vm]\n");
	library_note_played(gone);
	unlink(gone);

	struct library *lib = library_scan();
	CHECK_INT(lib->n, 5);
	const char *want[] = { "Alpha", "beta", "broken", "mid", "zeta" };
	for (size_t i = 0; i < lib->n && i < 5; i++)
		CHECK_STR(lib->entries[i].name, want[i]);
	if (lib->n == 5) {
		CHECK(!lib->entries[1].in_home);
		CHECK(lib->entries[0].in_home);
		CHECK_INT(lib->entries[1].memory, 96 << 20);
		CHECK_INT(lib->entries[1].cpus, 3);
		CHECK_INT(lib->entries[0].disk_bytes, 16 << 20);
		CHECK_CONTAINS(lib->entries[2].problem, "memory: 'lots' is not a size");
		CHECK(!lib->entries[0].running);
	}
	CHECK_INT(lib->notes.n, 1);
	if (lib->notes.n)
		CHECK_CONTAINS(lib->notes.v[0], "gone.vmplay is gone");
	library_destroy(lib);
	/* the vanished file was dropped: no second note */
	char *disk = xasprintf("%s/.VM/mid/mid.qcow2", home);
	unlink(disk);
	free(disk);
	lib = library_scan();
	CHECK_INT(lib->notes.n, 0);
	if (lib->n == 5) {
		CHECK_INT(lib->entries[3].missing_disks, 1);
		CHECK_INT(lib->entries[0].missing_disks, 0);
	}
	library_destroy(lib);
	free(other);
	free(broken);
	free(gone);
}

static void test_resolve(void)
{
	fresh_home("");
	char *vm = make_vm("deb");
	char *error = NULL;
	char *got = library_resolve("deb", &error);
	CHECK_STR(got, vm);
	CHECK(!error);
	free(got);
	char *dir = path_dirname(vm);
	got = library_resolve(dir, &error);
	CHECK_STR(got, vm);
	free(got);
	CHECK(!library_resolve("nosuch", &error) && !error);
	CHECK(!library_resolve(vm, &error) && !error);   /* a file: as it is */
	char *second = path_join(dir, "other.vmplay");
	write_text(second, "[vm]\n");
	CHECK(!library_resolve(dir, &error));
	CHECK_CONTAINS(error, "holds 2 VM files");
	CHECK_CONTAINS(error, "other.vmplay");
	free(error);
	error = NULL;
	char *empty = path_join(home, "empty");
	mkdir_p(empty, 0755);
	CHECK(!library_resolve(empty, &error));
	CHECK_CONTAINS(error, "no VM file");
	free(error);
	free(empty);
	free(second);
	free(dir);
	free(vm);
}

static char *slurp(const char *path)
{
	size_t len;
	return read_file(path, 1 << 16, &len);
}

static void test_remove_to_trash(void)
{
	fresh_home("/with space");   /* the trash's Path is percent-encoded */
	char *vm = make_vm("old");
	struct library *lib = library_scan();
	CHECK_INT(lib->n, 1);
	char *summary = library_remove_summary(&lib->entries[0]);
	CHECK_CONTAINS(summary, "/.VM/old (");
	CHECK_CONTAINS(summary, "old.qcow2");
	CHECK_CONTAINS(summary, "goes to the trash");
	free(summary);

	/* running: refused, nothing moves */
	struct instance *in = NULL;
	char *msg = NULL, *where = NULL, *error = NULL;
	CHECK_INT(instance_claim(vm, INSTANCE_HEADLESS, 0, &in, &msg),
		  INSTANCE_FIRST);
	free(msg);
	long pid;
	bool window;
	CHECK(instance_holder(vm, &pid, &window));
	CHECK_INT(pid, getpid());
	CHECK(!window);
	CHECK(!library_remove(&lib->entries[0], &where, &error));
	CHECK_CONTAINS(error, "old is running");
	CHECK(path_exists(vm));
	free(error);
	error = NULL;
	instance_release(in);
	CHECK(!instance_holder(vm, &pid, &window));

	CHECK(library_remove(&lib->entries[0], &where, &error));
	CHECK(!path_exists(vm));
	char *trashed = xasprintf("%s/.local/share/Trash/files/old/old.vmplay",
				  home);
	CHECK(path_exists(trashed));
	char *info = xasprintf("%s/.local/share/Trash/info/old.trashinfo", home);
	char *text = slurp(info);
	CHECK_CONTAINS(text, "[Trash Info]\nPath=");
	CHECK_CONTAINS(text, "/with%20space/.VM/old\nDeletionDate=20");
	free(text);
	free(where);
	library_destroy(lib);

	/* the same name again: files/old.2 and info/old.2.trashinfo */
	free(make_vm("old"));
	lib = library_scan();
	where = NULL;
	CHECK(library_remove(&lib->entries[0], &where, &error));
	CHECK_CONTAINS(where, "/Trash/files/old.2");
	char *info2 = xasprintf("%s/.local/share/Trash/info/old.2.trashinfo", home);
	CHECK(path_exists(info2));
	free(info2);
	free(where);
	library_destroy(lib);
	free(info);
	free(trashed);
	free(vm);
}

static void test_duplicate(void)
{
	fresh_home("");
	char *vm = make_vm("src");
	struct library *lib = library_scan();
	char *made = NULL, *error = NULL;
	CHECK(library_duplicate(&lib->entries[0], "copy", false, NULL, NULL,
				&made, &error));
	char *want = xasprintf("%s/.VM/copy/copy.vmplay", home);
	CHECK_STR(made, want);
	char *text = made ? slurp(made) : NULL;
	CHECK_CONTAINS(text, "name = copy\n");
	CHECK_CONTAINS(text, "file = copy.qcow2\n");
	CHECK_CONTAINS(text, "; Every section and key");   /* comments kept */
	char *orig = slurp(vm);
	char *u1 = orig ? strstr(orig, "uuid = ") : NULL;
	char *u2 = text ? strstr(text, "uuid = ") : NULL;
	CHECK(u1 && u2 && strncmp(u1, u2, 43) != 0);
	free(orig);
	free(text);
	char *disk = xasprintf("%s/.VM/copy/copy.qcow2", home);
	CHECK(path_exists(disk));
	free(made);
	made = NULL;
	/* the folder exists now: refused, nothing touched */
	CHECK(!library_duplicate(&lib->entries[0], "copy", false, NULL, NULL,
				 &made, &error));
	CHECK_CONTAINS(error, "already exists");
	free(error);
	error = NULL;
	CHECK(!library_duplicate(&lib->entries[0], "bad/name", false, NULL,
				 NULL, &made, &error));
	CHECK_CONTAINS(error, "cannot be a VM name");
	free(error);
	error = NULL;
	CHECK(library_duplicate(&lib->entries[0], "linked", true, NULL, NULL,
				&made, &error));
	char *cmd = xasprintf("qemu-img info -U %s/.VM/linked/linked.qcow2 | "
			      "grep -q 'backing file: %s/.VM/src/src.qcow2'",
			      home, home);
	CHECK_INT(system(cmd), 0);
	free(cmd);
	free(made);
	free(disk);
	free(want);
	library_destroy(lib);
	free(vm);
}

static void test_create_checks(void)
{
	fresh_home("");
	struct vm_create_request r = { .name = "ok", .memory = "2X" };
	char *why = vm_create_check(&r, VM_FIELD_MEMORY);
	CHECK_STR(why, "'2X' is not a memory size (at least 16M; examples: "
		  "512M, 2G)");
	free(why);
	r.memory = "8M";
	why = vm_create_check(&r, VM_FIELD_MEMORY);
	CHECK_STR(why, "'8M' is too small (at least 16M)");
	free(why);
	r.disk_size = "10X";
	why = vm_create_check(&r, VM_FIELD_DISK_SIZE);
	CHECK_STR(why, "'10X' is not a size (examples: 512M, 25G)");
	free(why);
	r.disk_size = "10";   /* a bare number: the unit is asked for */
	why = vm_create_check(&r, VM_FIELD_DISK_SIZE);
	CHECK_CONTAINS(why, "did you mean 10G?");
	free(why);
	r.cpus = "256";   /* the VM file's limit */
	why = vm_create_check(&r, VM_FIELD_CPUS);
	CHECK_CONTAINS(why, "1 to 255");
	free(why);
	r.name = "-x";
	why = vm_create_check(&r, VM_FIELD_NAME);
	CHECK_CONTAINS(why, "cannot be a VM name");
	free(why);
	/* letters with accents are letters (issue 13); spaces, symbols and
	 * broken UTF-8 are not */
	static const char *const good[] = { "Máquina-ñandú", "Ñu", "ÿ.2", "жук",
					     "Straße_λ" };
	for (size_t i = 0; i < ARRAY_SIZE(good); i++) {
		r.name = good[i];
		why = vm_create_check(&r, VM_FIELD_NAME);
		CHECK(why == NULL);
		free(why);
	}
	static const char *const bad[] = { "Máquina ñandú", "a×b", "x\xC3",
					   "x\xC3(", "\xC0\xAF", "a\xE2\x80\x83" "b",
					   "¿qué" };
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		r.name = bad[i];
		why = vm_create_check(&r, VM_FIELD_NAME);
		CHECK_CONTAINS(why, "cannot be a VM name");
		free(why);
	}
	/* a failed creation leaves nothing: qemu-img refuses a vdi that big */
	struct vm_create_request big = { .name = "big", .disk_size = "1000T",
					 .format = FORMAT_VDI };
	struct vm_created made;
	char *error = NULL;
	CHECK(!vm_create(&big, NULL, NULL, &made, &error));
	free(error);
	char *dir = xasprintf("%s/.VM/big", home);
	CHECK(!path_exists(dir));
	free(dir);
}

int main(void)
{
	RUN(test_scan_order_and_recent);
	RUN(test_resolve);
	RUN(test_remove_to_trash);
	RUN(test_duplicate);
	RUN(test_create_checks);
	for (size_t i = 0; i < made_homes.n; i++) {
		char *q = shell_quote(made_homes.v[i]);
		char *cmd = xasprintf("rm -rf %s", q);
		if (system(cmd) != 0)
			printf("  could not remove %s\n", made_homes.v[i]);
		free(cmd);
		free(q);
	}
	strv_free(&made_homes);
	return TEST_REPORT();
}
