/* Opening the files the guest may write for QEMU (image_fds.h). */
#include "vm/image_fds.h"

#include "vm/trust.h"
#include "base/i18n.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- the qcow2 header ---- */

#define QCOW2_MAGIC 0x514649fbu            /* "QFI\xfb" */
#define QCOW2_EXT_DATA_FILE 0x44415441u    /* "DATA" */
#define QCOW2_MAX_CLUSTER (2u << 20)

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static uint64_t be64(const unsigned char *p)
{
	return (uint64_t)be32(p) << 32 | be32(p + 4);
}

bool image_qcow2_refs_mem(const unsigned char *buf, size_t len,
			  char **backing, char **data_file)
{
	*backing = *data_file = NULL;
	if (len < 72 || be32(buf) != QCOW2_MAGIC)
		return false;
	uint32_t version = be32(buf + 4);
	uint32_t cluster_bits = be32(buf + 20);
	if ((version != 2 && version != 3) || cluster_bits < 9 ||
	    cluster_bits > 21)
		return false;
	/* Both names live in the first cluster (QEMU refuses others). */
	size_t end = (size_t)1 << cluster_bits;
	if (end > len)
		end = len;
	uint64_t back_off = be64(buf + 8);
	uint32_t back_len = be32(buf + 16);
	if (back_off && back_len) {
		if (back_len > 1023 || back_off > end || back_len > end - back_off)
			return false;
		*backing = xstrndup((const char *)buf + back_off, back_len);
	}
	size_t pos = 72;
	if (version == 3) {
		if (len < 104)
			goto bad;
		pos = be32(buf + 100);
		if (pos < 104 || pos > end)
			goto bad;
	}
	/* Header extensions: type, length, data padded to 8 bytes; type 0
	 * ends the list. */
	size_t ext_end = back_off && back_off < end ? (size_t)back_off : end;
	while (pos + 8 <= ext_end) {
		uint32_t type = be32(buf + pos), elen = be32(buf + pos + 4);
		pos += 8;
		if (type == 0)
			break;
		if (elen > ext_end - pos)
			goto bad;
		if (type == QCOW2_EXT_DATA_FILE) {
			free(*data_file);
			*data_file = xstrndup((const char *)buf + pos, elen);
		}
		size_t padded = ((size_t)elen + 7) & ~(size_t)7;
		if (padded > ext_end - pos)
			break;
		pos += padded;
	}
	return true;
bad:
	free(*backing);
	free(*data_file);
	*backing = *data_file = NULL;
	return false;
}

bool image_qcow2_refs(int fd, char **backing, char **data_file)
{
	*backing = *data_file = NULL;
	unsigned char head[24];
	if (pread(fd, head, sizeof(head), 0) != (ssize_t)sizeof(head) ||
	    be32(head) != QCOW2_MAGIC)
		return false;
	uint32_t bits = be32(head + 20);
	size_t want = bits >= 9 && bits <= 21 ? (size_t)1 << bits : 0;
	if (!want)
		return false;
	unsigned char *buf = xmalloc(want);
	ssize_t got = pread(fd, buf, want, 0);
	bool ok = got > 0 &&
		  image_qcow2_refs_mem(buf, (size_t)got, backing, data_file);
	free(buf);
	return ok;
}

/* A vmdk QEMU can take from one descriptor: the sparse kind ("KDMV"),
 * which holds its data itself. A text descriptor names extent files. */
static bool vmdk_single_file(int fd)
{
	unsigned char magic[4];
	return pread(fd, magic, 4, 0) == 4 && memcmp(magic, "KDMV", 4) == 0;
}

/* ---- opening ---- */

static void fd_close(struct image_fd *f)
{
	if (f->rw >= 0)
		close(f->rw);
	if (f->ro >= 0)
		close(f->ro);
	f->rw = f->ro = -1;
	f->set = 0;
}

/* Opens path both ways into f. *regular tells whether it is a regular
 * file (others go to QEMU by name). Under the trust rule the read-write
 * descriptor must pass it: that is the file QEMU will write. */
static bool fd_open(struct image_fd *f, int *next_set, const char *path,
		    const char *shown, const char *real_dir, bool *regular,
		    char **error)
{
	f->rw = f->ro = -1;
	f->set = 0;
	/* Non-blocking, so that a FIFO named as a disk cannot hang us. */
	int flags = O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
	int rw = open(path, O_RDWR | flags);
	if (rw < 0) {
		*error = xasprintf(_("%s: cannot open it for the guest: %s"),
				   shown, strerror(errno));
		return false;
	}
	if (real_dir) {
		char *why = trust_writable_fd_problem(rw, shown, real_dir);
		if (why) {
			*error = xasprintf(_("%s (it changed after vmplay "
					   "checked it)"), why);
			free(why);
			close(rw);
			return false;
		}
	}
	struct stat st;
	*regular = fstat(rw, &st) == 0 && S_ISREG(st.st_mode);
	if (!*regular) {
		close(rw);
		return true;
	}
	/* The read-only twin opens the same file, not the path again. */
	char proc[64];
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", rw);
	int ro = open(proc, O_RDONLY | flags);
	if (ro < 0) {
		*error = xasprintf(_("%s: cannot open it for the guest: %s"),
				   shown, strerror(errno));
		close(rw);
		return false;
	}
	int f_rw = fcntl(rw, F_GETFL), f_ro = fcntl(ro, F_GETFL);
	if (f_rw >= 0)
		fcntl(rw, F_SETFL, f_rw & ~O_NONBLOCK);
	if (f_ro >= 0)
		fcntl(ro, F_SETFL, f_ro & ~O_NONBLOCK);
	f->rw = rw;
	f->ro = ro;
	f->set = (*next_set)++;
	return true;
}

/* A disk's image, and what its qcow2 header names. */
static bool open_disk(struct image_fds *fds, size_t i,
		      const struct vm_config *cfg, enum disk_format format,
		      const char *real_dir, int *next_set, char **error)
{
	const struct vm_disk *d = &cfg->disks[i];
	char *err = NULL;
	bool regular = false;
	if (!fd_open(&fds->disk[i], next_set, d->file, d->file, real_dir,
		     &regular, &err))
		goto fail;
	if (!regular)
		return true;
	int fd = fds->disk[i].rw;
	if (format == FORMAT_VMDK && !vmdk_single_file(fd)) {
		/* Extent files: QEMU resolves them beside the descriptor,
		 * which it can do only by name. */
		fd_close(&fds->disk[i]);
		return true;
	}
	if (format != FORMAT_QCOW2)
		return true;
	char *backing = NULL, *data = NULL;
	if (!image_qcow2_refs(fd, &backing, &data)) {
		err = xasprintf(_("%s: not a qcow2 image vmplay can read"), d->file);
		goto fail;
	}
	/* "proto:..." and "json:{...}" names are not paths: left as they
	 * are (QEMU reads backing files only). */
	const char *colon = backing ? strchr(backing, ':') : NULL;
	bool protocol = colon && !memchr(backing, '/', (size_t)(colon - backing));
	if (backing && backing[0] != '/' && !protocol) {
		/* QEMU resolves a relative backing name against the image's
		 * name, here /dev/fdset/N: give it the real one. */
		char link[64], real[PATH_MAX];
		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		ssize_t n = readlink(link, real, sizeof(real) - 1);
		if (n > 0) {
			real[n] = '\0';
			char *dir = path_dirname(real);
			fds->backing[i] = path_join(dir, backing);
			free(dir);
		}
	}
	free(backing);
	if (data) {
		/* Relative to the VM's folder: where QEMU runs (launch.c), so
		 * QEMU and vmplay read the name alike. */
		char *path = path_join(cfg->dir, data);
		char *shown = xasprintf(_("disk '%s': its data file %s"), d->name,
					path);
		bool ok = fd_open(&fds->data[i], next_set, path, shown,
				  real_dir, &regular, &err);
		free(shown);
		free(path);
		free(data);
		if (!ok)
			goto fail;
	}
	return true;
fail:
	*error = xasprintf(_("%s:%d: disk '%s': %s"), cfg->path, d->line, d->name,
			   err ? err : "?");
	free(err);
	return false;
}

struct image_fds *image_fds_open(const struct vm_config *cfg,
				 const enum disk_format *formats,
				 const char *uefi_vars, char **error)
{
	*error = NULL;
	struct image_fds *fds = xcalloc(1, sizeof(*fds));
	fds->n_disks = cfg->n_disks;
	fds->disk = xcalloc(cfg->n_disks + 1, sizeof(*fds->disk));
	fds->data = xcalloc(cfg->n_disks + 1, sizeof(*fds->data));
	fds->backing = xcalloc(cfg->n_disks + 1, sizeof(*fds->backing));
	for (size_t i = 0; i < cfg->n_disks; i++)
		fds->disk[i].rw = fds->disk[i].ro = fds->data[i].rw =
			fds->data[i].ro = -1;
	fds->vars.rw = fds->vars.ro = -1;

	char *real_dir = NULL;
	if (cfg->untrusted) {
		real_dir = realpath(cfg->dir, NULL);
		if (!real_dir) {
			*error = xasprintf("%s: %s", cfg->dir, strerror(errno));
			goto fail;
		}
	}
	/* QEMU's fd sets are numbered from 0; 0 here means "by name". */
	int next_set = 1;
	for (size_t i = 0; i < cfg->n_disks; i++) {
		if (cfg->disks[i].readonly)
			continue;
		enum disk_format format = formats ? formats[i]
						  : cfg->disks[i].format;
		if (!open_disk(fds, i, cfg, format, real_dir, &next_set, error))
			goto fail;
	}
	if (uefi_vars) {
		bool regular;
		char *err = NULL;
		if (!fd_open(&fds->vars, &next_set, uefi_vars, uefi_vars,
			     real_dir, &regular, &err)) {
			*error = xasprintf(_("%s: UEFI variable store: %s"),
					   cfg->path, err);
			free(err);
			goto fail;
		}
	}
	free(real_dir);
	return fds;
fail:
	free(real_dir);
	image_fds_close(fds);
	return NULL;
}

static void list_one(const struct image_fd *f, int **v, size_t *n)
{
	if (!f->set)
		return;
	*v = xrealloc(*v, (*n + 2) * sizeof(**v));
	(*v)[(*n)++] = f->rw;
	(*v)[(*n)++] = f->ro;
}

void image_fds_list(const struct image_fds *fds, int **v, size_t *n)
{
	if (!fds)
		return;
	for (size_t i = 0; i < fds->n_disks; i++) {
		list_one(&fds->disk[i], v, n);
		list_one(&fds->data[i], v, n);
	}
	list_one(&fds->vars, v, n);
}

void image_fds_close(struct image_fds *fds)
{
	if (!fds)
		return;
	for (size_t i = 0; i < fds->n_disks; i++) {
		fd_close(&fds->disk[i]);
		fd_close(&fds->data[i]);
		free(fds->backing[i]);
	}
	fd_close(&fds->vars);
	free(fds->disk);
	free(fds->data);
	free(fds->backing);
	free(fds);
}
