/* trust.c: which settings reach the host, and when a file is trusted.
 * Works on real files in a temporary folder (symbolic links, hard links,
 * modes) and on real images made with qemu-img. */
#include "vm/trust.h"

#include "base/util.h"
#include "test.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char *root;   /* the temporary folder */

static char *at(const char *rel)
{
	return path_join(root, rel);
}

static void put(const char *rel, const char *text, unsigned mode)
{
	char *p = at(rel);
	char *dir = path_dirname(p);
	mkdir_p(dir, 0755);
	FILE *f = fopen(p, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
	chmod(p, mode);
	free(dir);
	free(p);
}

static bool run(const char *const argv[])
{
	struct strv sv = { 0 };
	strv_push_all(&sv, argv);
	char *line = strv_join_quoted(&sv);
	char *cmd = xasprintf("%s >/dev/null 2>&1", line);
	bool ok = system(cmd) == 0;
	free(cmd);
	free(line);
	strv_free(&sv);
	return ok;
}

/* The VM file rel with body, parsed (the file exists too). */
static struct vm_config *vm(const char *rel, const char *body)
{
	put(rel, body, 0644);
	char *p = at(rel);
	char *error = NULL;
	struct vm_config *cfg = config_load(p, &error);
	if (!cfg)
		printf("  config: %s\n", error);
	free(error);
	free(p);
	return cfg;
}

static void test_vm_folder(void)
{
	static const struct {
		const char *file;       /* relative to root */
		unsigned file_mode;
		unsigned folder_mode;   /* of VM/a */
		bool want;
	} cases[] = {
		{ "VM/a/x.vmplay", 0644, 0755, true },
		{ "VM/a/x.vmplay", 0600, 0700, true },
		{ "VM/a/x.vmplay", 0664, 0755, false },   /* file group-writable */
		{ "VM/a/x.vmplay", 0646, 0755, false },   /* file world-writable */
		{ "VM/a/x.vmplay", 0644, 0775, false },   /* folder group-writable */
		{ "VM/a/x.vmplay", 0644, 0777, false },
		{ "elsewhere/x.vmplay", 0644, 0755, false },
		{ "VMx/x.vmplay", 0644, 0755, false },     /* a prefix, not below */
	};
	char *vmdir = at("VM");
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		put(cases[i].file, "[vm]\n", cases[i].file_mode);
		char *a = at("VM/a");
		mkdir_p(a, 0755);
		chmod(a, cases[i].folder_mode);
		chmod(vmdir, 0755);
		char *p = at(cases[i].file);
		bool got = trust_in_vm_folder(p, vmdir);
		if (got != cases[i].want)
			printf("  case %zu: %s\n", i, cases[i].file);
		CHECK_INT(got, cases[i].want);
		unlink(p);
		chmod(a, 0755);
		free(p);
		free(a);
	}
	/* the VM folder itself writable by others: nothing in it counts */
	put("VM/a/x.vmplay", "[vm]\n", 0644);
	char *p = at("VM/a/x.vmplay");
	chmod(vmdir, 0777);
	CHECK(!trust_in_vm_folder(p, vmdir));
	chmod(vmdir, 0755);
	CHECK(trust_in_vm_folder(p, vmdir));
	/* a link into the VM folder from outside is judged by its target */
	put("elsewhere/y.vmplay", "[vm]\n", 0644);
	char *target = at("elsewhere/y.vmplay"), *link = at("VM/a/y.vmplay");
	CHECK(symlink(target, link) == 0);
	CHECK(!trust_in_vm_folder(link, vmdir));
	/* ...and a link from outside into it by its target too */
	char *link2 = at("elsewhere/z.vmplay");
	CHECK(symlink(p, link2) == 0);
	CHECK(trust_in_vm_folder(link2, vmdir));
	free(link2);
	free(target);
	free(link);
	free(p);
	free(vmdir);
}

static void test_problems(void)
{
	/* files the disks below name */
	put("out/victim.raw", "x", 0644);
	put("vm1/own.raw", "x", 0644);
	char *victim = at("out/victim.raw");
	char *own = at("vm1/own.raw");
	char *sym = at("vm1/link.raw");
	CHECK(symlink(victim, sym) == 0);
	char *hard = at("vm1/hard.raw");
	CHECK(link(own, hard) == 0);

	static const struct {
		const char *body;
		const char *want;     /* fragment of the problems; NULL: none */
	} cases[] = {
		{ "[vm]\n", NULL },
		{ "[disk.a]\nfile = fresh.raw\nformat = raw\n", NULL },  /* missing */
		{ "[qemu]\nargs = -S\n", "x.vmplay:2: [qemu] args: QEMU options" },
		{ "[disk.a]\nfile = %s\nformat = raw\n",
		  "x.vmplay:1: disk 'a': " },
		{ "[disk.a]\nfile = %s\nformat = raw\nreadonly = true\n"
		  "interface = virtio\n", NULL },
		{ "[disk.a]\nfile = link.raw\nformat = raw\n",
		  "link.raw -> " },
		{ "[disk.a]\nfile = hard.raw\nformat = raw\n",
		  "has 1 other hard links" },
		{ "[disk.a]\nfile = /dev/null\nformat = raw\n",
		  "lies outside the VM file's folder" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *body = xasprintf(cases[i].body, victim);
		struct vm_config *cfg = vm("vm1/x.vmplay", body);
		free(body);
		CHECK(cfg != NULL);
		if (!cfg)
			continue;
		char *got = trust_problems(cfg);
		if (!cases[i].want) {
			if (got)
				printf("  case %zu: %s\n", i, got);
			CHECK(got == NULL);
		} else {
			CHECK_CONTAINS(got, cases[i].want);
		}
		free(got);
		config_destroy(cfg);
	}
	unlink(hard);
	free(hard);
	free(sym);
	free(own);
	free(victim);
}

/* qcow2 external data files and vmdk extents, made by qemu-img */
static void test_image_files(void)
{
	put("out2/victim.raw", "", 0644);
	char *victim = at("out2/victim.raw");
	char *dir = at("vm2");
	mkdir_p(dir, 0755);
	char *data = at("vm2/data.qcow2"), *inside = at("vm2/inside.qcow2");
	char *opt = xasprintf("data_file=%s,data_file_raw=on", victim);
	char *inside_data = at("vm2/inside.data");
	char *opt2 = xasprintf("data_file=%s", inside_data);
	if (!run((const char *const[]){ "qemu-img", "create", "-q", "-f",
					"qcow2", "-o", opt, data, "1M", NULL }) ||
	    !run((const char *const[]){ "qemu-img", "create", "-q", "-f",
					"qcow2", "-o", opt2, inside, "1M",
					NULL })) {
		printf("  qemu-img is missing: image checks not run\n");
		goto out;
	}
	char vmdk[512];
	snprintf(vmdk, sizeof(vmdk),
		 "# Disk DescriptorFile\nversion=1\nCID=fffffffe\n"
		 "parentCID=ffffffff\ncreateType=\"monolithicFlat\"\n"
		 "RW 2048 FLAT \"%s\" 0\n", victim);
	put("vm2/flat.vmdk", vmdk, 0644);

	static const struct {
		const char *body, *want;
	} cases[] = {
		{ "[disk.a]\nfile = data.qcow2\nformat = qcow2\n",
		  "disk 'a': the image writes to " },
		{ "[disk.a]\nfile = inside.qcow2\nformat = qcow2\n", NULL },
		{ "[disk.a]\nfile = flat.vmdk\nformat = vmdk\n",
		  "disk 'a': the image writes to " },
		/* read-only: QEMU opens them read-only, nothing to write */
		{ "[disk.a]\nfile = data.qcow2\nformat = qcow2\nreadonly = true\n"
		  "interface = virtio\n", NULL },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct vm_config *cfg = vm("vm2/x.vmplay", cases[i].body);
		CHECK(cfg != NULL);
		if (!cfg)
			continue;
		char *got = trust_problems(cfg);
		if (cases[i].want)
			CHECK_CONTAINS(got, cases[i].want);
		else
			CHECK(got == NULL);
		free(got);
		config_destroy(cfg);
	}
out:
	free(opt);
	free(opt2);
	free(inside_data);
	free(data);
	free(inside);
	free(dir);
	free(victim);
}

static void test_check(void)
{
	struct vm_config *cfg = vm("vm3/x.vmplay", "[qemu]\nargs = -S\n");
	char *vmdir = at("nowhere");
	char *error = NULL;
	CHECK(!trust_check(cfg, false, vmdir, &error));
	CHECK_CONTAINS(error, "[qemu] args");
	CHECK_CONTAINS(error, "vmplay --trust ");
	CHECK_CONTAINS(error, "~/.VM/");
	free(error);
	error = NULL;
	CHECK(trust_check(cfg, true, vmdir, &error));
	CHECK(error == NULL);
	/* in the VM folder: trusted */
	char *vm3 = at("vm3");
	chmod(root, 0755);
	CHECK(trust_check(cfg, false, vm3, &error));
	CHECK(error == NULL);
	config_destroy(cfg);
	/* nothing host-reaching: fine anywhere */
	cfg = vm("vm3/y.vmplay", "[vm]\nmemory = 64M\n");
	CHECK(trust_check(cfg, false, vmdir, &error));
	CHECK(error == NULL);
	config_destroy(cfg);
	free(vm3);
	free(vmdir);
}

int main(void)
{
	char tmpl[] = "/tmp/vmplay-test-trust.XXXXXX";
	char *made = mkdtemp(tmpl);
	if (!made)
		return 1;
	root = realpath(made, NULL);
	chmod(root, 0755);
	RUN(test_vm_folder);
	RUN(test_problems);
	RUN(test_image_files);
	RUN(test_check);
	char *cmd = xasprintf("rm -rf '%s'", root);
	if (system(cmd) != 0)
		printf("could not remove %s\n", root);
	free(cmd);
	free(root);
	return TEST_REPORT();
}
