/* Moving a VM into the user's VM folder, where vmplay trusts it
 * (trust.h): the answer to a trust refusal for a user who double-clicked
 * a downloaded VM and has no terminal (issue 16), instead of a "run
 * anyway" button. Copies, never moves: the original stays as it was. */
#ifndef VMPLAY_IMPORT_H
#define VMPLAY_IMPORT_H

#include "vm/config.h"

#include <stdbool.h>

/* The folder an import of cfg makes: VM_FOLDER/NAME, NAME being the VM
 * file's name without ".vmplay"; vm_folder NULL: ~/.VM. Caller frees. */
char *vm_import_folder(const struct vm_config *cfg, const char *vm_folder);

/* Copies the VM file and its writable disks (and the UEFI variable store
 * next to it, when there is one) into vm_import_folder: disks by their
 * file names, sparse files kept sparse; the copy's file lines name the
 * copied disks, and every other path it holds (CD image, kernel, initrd,
 * read-only disks) becomes absolute so that it still points where it did.
 * Refuses when the folder exists or a writable disk is not a regular file
 * (a device), and leaves nothing behind on failure. On success the copy's
 * path in *vm_file (malloc'd). */
bool vm_import(const struct vm_config *cfg, const char *vm_folder,
	       char **vm_file, char **error);

#endif
