/* image_fds.c: the files the guest writes, opened for QEMU and checked on
 * the open descriptor; the qcow2 header reader. Real files in a temporary
 * folder, real images from qemu-img. */
#include "vm/image_fds.h"

#include "vm/config.h"
#include "vm/qemu_args.h"
#include "test.h"
#include "vm/trust.h"
#include "base/util.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char *root;

static char *at(const char *rel)
{
	return path_join(root, rel);
}

static void zeros(const char *rel)
{
	char *p = at(rel);
	char *dir = path_dirname(p);
	mkdir_p(dir, 0755);
	char *cmd = xasprintf("truncate -s 1M '%s'", p);
	CHECK(system(cmd) == 0);
	free(cmd);
	free(dir);
	free(p);
}

static struct vm_config *vm(const char *rel, const char *body)
{
	char *p = at(rel);
	CHECK(write_file_atomic(p, body, strlen(body), true));
	char *error = NULL;
	struct vm_config *cfg = config_load(p, &error);
	if (!cfg)
		printf("  config: %s\n", error);
	free(error);
	free(p);
	return cfg;
}

/* The check passes; then the disk becomes a link to a host file before
 * vmplay opens it: the open descriptor fails the rule, nothing starts. */
static void test_swap_before_open(void)
{
	zeros("dl/disk.raw");
	zeros("outside/victim.raw");
	struct vm_config *cfg = vm("dl/swap.vmplay",
				   "[disk.system]\nfile = disk.raw\n"
				   "format = raw\n");
	if (!cfg)
		return;
	char *error = NULL;
	CHECK(trust_check(cfg, false, "/nonexistent", &error));
	CHECK(cfg->untrusted);
	char *disk = at("dl/disk.raw"), *victim = at("outside/victim.raw");
	CHECK(unlink(disk) == 0 && symlink(victim, disk) == 0);
	enum disk_format formats[] = { FORMAT_RAW };
	struct image_fds *fds = image_fds_open(cfg, formats, NULL, &error);
	CHECK(fds == NULL);
	CHECK_CONTAINS(error, "disk.raw -> ");
	CHECK_CONTAINS(error, "lies outside the VM file's folder");
	CHECK_CONTAINS(error, "changed after vmplay checked it");
	free(error);
	/* trusted: the same files open, two descriptors in one fd set */
	cfg->untrusted = false;
	fds = image_fds_open(cfg, formats, NULL, &error);
	CHECK(fds != NULL);
	if (fds) {
		CHECK_INT(fds->disk[0].set, 1);
		int *v = NULL;
		size_t n = 0;
		image_fds_list(fds, &v, &n);
		CHECK_INT(n, 2);
		free(v);
	}
	image_fds_close(fds);
	free(disk);
	free(victim);
	config_destroy(cfg);
}

/* The command line names the fd sets, the data file's set and the
 * backing file by its absolute name. */
static void test_command_line(void)
{
	char *cmd = xasprintf(
		"cd '%s/dl' && qemu-img create -q -f qcow2 base.qcow2 1M && "
		"qemu-img create -q -f qcow2 -b base.qcow2 -F qcow2 top.qcow2 && "
		"qemu-img create -q -f qcow2 -o data_file=d.raw d.qcow2 1M",
		root);
	CHECK(system(cmd) == 0);
	free(cmd);
	struct vm_config *cfg = vm("dl/cl.vmplay",
				   "[disk.top]\nfile = top.qcow2\nformat = qcow2\n"
				   "[disk.data]\nfile = d.qcow2\nformat = qcow2\n"
				   "[disk.ro]\nfile = base.qcow2\nformat = qcow2\n"
				   "readonly = true\n");
	if (!cfg)
		return;
	struct image_fds *fds = NULL;
	struct strv argv = { 0 };
	char *error = NULL;
	CHECK(qemu_args_build_local(cfg, "/v.sock", "/q.sock", true, &fds,
				    &argv, &error));
	char *line = strv_join(&argv, " ");
	char *want = xasprintf("-add-fd fd=%d,set=1 -add-fd fd=%d,set=1 "
			       "-drive if=none,id=hd0,node-name=disk0,"
			       "format=qcow2,file=/dev/fdset/1,"
			       "backing.file.filename=%s/dl/base.qcow2 ",
			       fds ? fds->disk[0].rw : -1,
			       fds ? fds->disk[0].ro : -1, root);
	CHECK_CONTAINS(line, want);
	CHECK_CONTAINS(line, "file=/dev/fdset/2,data-file.driver=file,"
		       "data-file.filename=/dev/fdset/3 ");
	char *ro = xasprintf("file=%s/dl/base.qcow2,readonly=on", root);
	CHECK_CONTAINS(line, ro);
	free(ro);
	free(want);
	free(line);
	free(error);
	strv_free(&argv);
	image_fds_close(fds);
	config_destroy(cfg);
}

/* The header reader on images qemu-img made, and on damaged headers. */
static void test_qcow2_refs(void)
{
	char *p = at("dl/d.qcow2");
	int fd = open(p, O_RDONLY);
	char *backing = NULL, *data = NULL;
	CHECK(image_qcow2_refs(fd, &backing, &data));
	CHECK(backing == NULL);
	CHECK_STR(data, "d.raw");
	free(data);
	close(fd);
	free(p);
	p = at("dl/top.qcow2");
	fd = open(p, O_RDONLY);
	CHECK(image_qcow2_refs(fd, &backing, &data));
	CHECK_STR(backing, "base.qcow2");
	CHECK(data == NULL);
	free(backing);
	close(fd);
	free(p);
	/* a backing name past the end, a bad version, too short: refused */
	unsigned char h[128] = { 0x51, 0x46, 0x49, 0xfb, 0, 0, 0, 3 };
	h[23] = 16;               /* cluster_bits */
	h[103] = 104;             /* header_length */
	CHECK(image_qcow2_refs_mem(h, sizeof(h), &backing, &data));
	h[15] = 120;              /* backing at 120, 20 bytes: past the end */
	h[19] = 20;
	CHECK(!image_qcow2_refs_mem(h, sizeof(h), &backing, &data));
	h[15] = h[19] = 0;
	h[7] = 9;
	CHECK(!image_qcow2_refs_mem(h, sizeof(h), &backing, &data));
	CHECK(!image_qcow2_refs_mem(h, 10, &backing, &data));
}

int main(void)
{
	char tmpl[] = "/tmp/vmplay-test-fds-XXXXXX";
	if (!mkdtemp(tmpl))
		return 1;
	root = realpath(tmpl, NULL);
	RUN(test_swap_before_open);
	RUN(test_command_line);
	RUN(test_qcow2_refs);
	char *cmd = xasprintf("rm -rf '%s'", root);
	if (system(cmd) != 0)
		printf("cannot remove %s\n", root);
	free(cmd);
	free(root);
	return TEST_REPORT();
}
