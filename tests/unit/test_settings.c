/* vm/settings.c: edits keep every other byte, are checked with the
 * reader's rules before anything is written, and a refused change leaves
 * the file as it was. */
#include "test.h"

#include "base/util.h"
#include "vm/settings.h"

#include <stdlib.h>
#include <unistd.h>

static const char original[] =
	"; my VM\n"
	"[vm]\n"
	"name = t   ; the name\n"
	"memory = 1G\n"
	"cpus = 1\n"
	"\n"
	"# network below\n"
	"[network]\n"
	"mode = user\n";

static char dir[] = "/tmp/test_settings.XXXXXX";

static char *vm_file(void)
{
	char *path = path_join(dir, "t.vmplay");
	write_file_atomic(path, original, sizeof(original) - 1, true);
	return path;
}

static char *contents(const char *path)
{
	return read_file(path, 1 << 20, NULL);
}

static bool apply(const char *path, const char *const *args, size_t n,
		  bool *invalid, char **error)
{
	struct setting_edit edits[8];
	for (size_t i = 0; i < n; i++)
		CHECK(settings_parse_assignment(args[i], &edits[i], error));
	bool ok = settings_write(path, edits, n, invalid, error);
	for (size_t i = 0; i < n; i++)
		settings_edit_free(&edits[i]);
	return ok;
}

static void test_changes_only_named_lines(void)
{
	char *path = vm_file(), *error = NULL;
	bool invalid;
	const char *args[] = { "vm.memory=2G", "vm.cpus = 2", "display.scale=integer" };
	CHECK(apply(path, args, 3, &invalid, &error));
	CHECK_STR(error, NULL);
	char *got = contents(path);
	CHECK_STR(got, "; my VM\n"
		       "[vm]\n"
		       "name = t   ; the name\n"
		       "memory = 2G\n"
		       "cpus = 2\n"
		       "\n"
		       "# network below\n"
		       "[network]\n"
		       "mode = user\n"
		       "\n"
		       "[display]\n"
		       "scale = integer\n");
	free(got);
	free(path);
}

static void test_refuses_bad_values(void)
{
	static const struct {
		const char *arg, *message;
	} cases[] = {
		{ "vm.memory=banana", "t.vmplay:4: memory: 'banana' is not a size" },
		{ "vm.cpus=0", "t.vmplay:5: cpus: '0' is out of range (1-255)" },
		{ "display.scale=huge", "scale: 'huge' is not valid (one of: fit, integer, stretch, none)" },
		{ "vm.bogus=1", "unknown key 'bogus' in [vm]" },
		{ "bogus.key=1", "unknown section [bogus]" },
		{ "network.forward=tcp:99999:22", "forward" },
		{ "boot.order=x", "order" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *path = vm_file(), *error = NULL;
		bool invalid = false;
		const char *args[] = { "vm.cpus=2", cases[i].arg };
		CHECK(!apply(path, args, 2, &invalid, &error));
		CHECK(invalid);
		CHECK_CONTAINS(error, cases[i].message);
		char *got = contents(path);
		CHECK_STR(got, original);   /* the good edit is not written either */
		free(got);
		free(error);
		free(path);
	}
}

/* An old problem elsewhere in the file does not block a good change. */
static void test_old_problems_do_not_block(void)
{
	char *path = path_join(dir, "old.vmplay"), *error = NULL;
	const char text[] = "[vm]\nmemory = 1G\nfoo = 1\n";
	write_file_atomic(path, text, sizeof(text) - 1, true);
	bool invalid;
	const char *args[] = { "vm.cpus=4" };
	CHECK(apply(path, args, 1, &invalid, &error));
	char *got = contents(path);
	CHECK_STR(got, "[vm]\nmemory = 1G\nfoo = 1\ncpus = 4\n");
	free(got);
	free(error);
	free(path);
}

static void test_unset_and_get(void)
{
	char *path = vm_file(), *error = NULL;
	struct setting_edit e = { 0 };
	CHECK(settings_parse_name("vm.cpus", &e.section, &e.key, &error));
	bool invalid;
	CHECK(settings_write(path, &e, 1, &invalid, &error));
	settings_edit_free(&e);
	char *got = contents(path);
	CHECK(!strstr(got, "cpus"));
	free(got);

	struct vm_config *cfg = config_load(path, &error);
	CHECK(cfg != NULL);
	char *v = settings_get(path, cfg, "vm", "memory", &error);
	CHECK_STR(v, "1G");   /* as written */
	free(v);
	v = settings_get(path, cfg, "vm", "cpus", &error);
	CHECK_STR(v, "1");    /* the default */
	free(v);
	v = settings_get(path, cfg, "input", "pointer", &error);
	CHECK_STR(v, "tablet");
	free(v);
	v = settings_get(path, cfg, "boot", "kernel", &error);
	CHECK_STR(v, NULL);
	CHECK_CONTAINS(error, "[boot] kernel is not set");
	free(error);
	config_destroy(cfg);
	free(path);
}

static void test_names(void)
{
	struct setting_edit e;
	char *error = NULL;
	CHECK(settings_parse_assignment("disk.system.size=20G", &e, &error));
	CHECK_STR(e.section, "disk.system");
	CHECK_STR(e.key, "size");
	CHECK_STR(e.value, "20G");
	settings_edit_free(&e);
	CHECK(settings_parse_assignment("cdrom.file=", &e, &error));
	CHECK_STR(e.value, "");
	settings_edit_free(&e);
	CHECK(!settings_parse_assignment("memory=2G", &e, &error));
	CHECK_CONTAINS(error, "is not SECTION.KEY");
	free(error);
	error = NULL;
	CHECK(!settings_parse_assignment("vm.memory", &e, &error));
	CHECK_CONTAINS(error, "SECTION.KEY=VALUE");
	free(error);
}

/* Every setting of the page is a key the reader knows, and its current
 * value written back reads the same. */
static void test_table_round_trips(void)
{
	char *path = vm_file(), *error = NULL;
	struct vm_config *cfg = config_load(path, &error);
	const struct setting *list;
	size_t n = settings_list(&list);
	CHECK(n >= 11);
	for (size_t i = 0; i < n; i++) {
		char *v = list[i].current(cfg, &list[i]);
		CHECK(settings_write_one(path, list[i].section, list[i].key,
					 *v || list[i].kind == SETTING_PATH ? v : NULL,
					 &error));
		if (error)
			printf("  %s.%s = %s: %s\n", list[i].section, list[i].key, v, error);
		free(error);
		error = NULL;
		free(v);
	}
	config_destroy(cfg);
	free(path);
}

int main(void)
{
	if (!mkdtemp(dir))
		return 1;
	RUN(test_changes_only_named_lines);
	RUN(test_refuses_bad_values);
	RUN(test_old_problems_do_not_block);
	RUN(test_unset_and_get);
	RUN(test_names);
	RUN(test_table_round_trips);
	char *cmd = xasprintf("rm -rf '%s'", dir);
	if (system(cmd)) {
	}
	free(cmd);
	return TEST_REPORT();
}
