/* The files the guest may write, opened by vmplay and handed to QEMU as
 * open file descriptors (-add-fd, file=/dev/fdset/N), so that the file
 * vmplay checked is the file QEMU writes: renaming a symbolic link over a
 * disk after the check changes nothing QEMU sees.
 *
 * Which files: the image of every disk that is not readonly, a qcow2
 * image's external data file, and the UEFI variable store. Each is opened
 * twice (read-write and read-only, QEMU picks the mode it needs). When
 * cfg->untrusted is set, each opened descriptor must pass the trust rule
 * (trust_writable_fd_problem) or nothing is started.
 *
 * Left to QEMU by name: read-only disks, a qcow2 backing file (read-only;
 * its absolute name is given, as QEMU cannot resolve a relative one
 * against /dev/fdset), a vmdk made of a descriptor and extent files, and
 * non-regular files of a trusted VM (a block device as a disk). */
#ifndef VMPLAY_IMAGE_FDS_H
#define VMPLAY_IMAGE_FDS_H

#include "vm/config.h"

#include <stdbool.h>
#include <stddef.h>

/* One file in an fd set: its number in QEMU's /dev/fdset (0: the file
 * goes by name) and the two descriptors. */
struct image_fd {
	int set;
	int rw, ro;
};

struct image_fds {
	size_t n_disks;
	struct image_fd *disk;   /* per disk of cfg */
	struct image_fd *data;   /* per disk: its qcow2 external data file */
	char **backing;          /* per disk: absolute backing file name to
				    give QEMU, or NULL */
	struct image_fd vars;    /* the UEFI variable store */
};

/* Opens the files above for cfg (formats: the disks' formats with
 * FORMAT_AUTO resolved, index-aligned; uefi_vars: the variable store's
 * path or NULL). Returns NULL with *error (malloc'd) when a file cannot be
 * opened or, for an untrusted cfg, breaks the trust rule. */
struct image_fds *image_fds_open(const struct vm_config *cfg,
				 const enum disk_format *formats,
				 const char *uefi_vars, char **error);

/* Every descriptor in fds (for the child to inherit), appended to *v
 * (xrealloc'd, *n updated). */
void image_fds_list(const struct image_fds *fds, int **v, size_t *n);

/* Closes every descriptor and frees fds. Accepts NULL. */
void image_fds_close(struct image_fds *fds);

/* What a qcow2 header names, read from an open descriptor: the backing
 * file and the external data file (each malloc'd or NULL). false when fd
 * does not hold a qcow2 header vmplay can read. Exposed for the tests and
 * the fuzzer. */
bool image_qcow2_refs(int fd, char **backing, char **data_file);

/* The same from a header in memory (len bytes of the file's start). */
bool image_qcow2_refs_mem(const unsigned char *buf, size_t len,
			  char **backing, char **data_file);

#endif
