/* Which settings of a VM file may reach the host, and when vmplay runs them.
 *
 * A VM file is data: a downloaded one may be hostile. Everything it says
 * normally stays inside the guest, except:
 *
 *  1. [qemu] args: QEMU options can run host programs (-netdev ...,script=,
 *     guestfwd=...cmd:, smb=, -plugin) and write host files (-chardev file,
 *     -serial file:, -D, -pidfile, -drive). vmplay does not try to tell
 *     safe options from unsafe ones: any [qemu] args need trust.
 *  2. Writable disks: the guest can overwrite every disk it is given. A
 *     disk that is not readonly must lie, after resolving symbolic links,
 *     inside the VM file's own folder (or below it), must not be a device or
 *     have other hard links, and, for qcow2 and vmdk, every file the image
 *     itself writes to (a qcow2 external data file, vmdk extents) must
 *     pass the same rule. A relative qcow2 data file name is relative to
 *     the VM file's folder, where QEMU runs (launch.h); vmdk extents are
 *     relative to the descriptor's folder, as QEMU reads them.
 *  3. The UEFI variable store vmplay keeps next to the VM file, when it
 *     already exists: the same rule as a writable disk.
 *
 * Reading host files (the CD image, kernel, initrd, read-only disks) and
 * port forwards (they bind 127.0.0.1) are allowed.
 *
 * A file is trusted, and none of the above is checked, when the user says
 * so (--trust) or when it lives in the user's own VM folder: its real path
 * is below the real path of ~/.VM, and the file and every folder from ~/.VM
 * down to it are owned by the user and writable by nobody else. */
#ifndef VMPLAY_TRUST_H
#define VMPLAY_TRUST_H

#include "vm/config.h"

#include <stdbool.h>

/* Whether path is in the user's own VM folder, by the rule above.
 * vm_folder is the folder to check against (NULL: $HOME/.VM). */
bool trust_in_vm_folder(const char *path, const char *vm_folder);

/* The settings of cfg that reach the host, one "FILE:LINE: ..." line each
 * saying what and why (malloc'd), or NULL when there are none. Looks at the
 * files (real paths, qemu-img info for qcow2/vmdk) but changes nothing. */
char *trust_problems(const struct vm_config *cfg);

/* The check the play paths run: true when cfg may run as it is (trusted,
 * or nothing reaches the host). Otherwise false with *error (malloc'd):
 * the problems and how to allow them. vm_folder as above. An untrusted
 * file that passes gets cfg->untrusted set: image_fds then applies the
 * rule once more to the very files it opens for QEMU. */
bool trust_check(struct vm_config *cfg, bool trusted,
		 const char *vm_folder, char **error);

/* A VM file naming a libvirt domain on another host ([libvirt] uri with a
 * host) connects there: the user is shown where before the first time.
 * Their answer is remembered per file and URI in
 * $XDG_STATE_HOME/vmplay/libvirt-hosts (one "FILE<TAB>URI" line each). */
bool trust_remote_known(const char *file, const char *uri);
void trust_remote_remember(const char *file, const char *uri);

/* The one rule for a file the guest may write, applied to an open
 * descriptor (any kind, O_PATH too): the file it names, links resolved,
 * lies in real_dir or below, is a regular file and has no other hard
 * links. NULL when it passes, else why not (malloc'd), naming shown (the
 * path as the user wrote it). */
char *trust_writable_fd_problem(int fd, const char *shown,
				const char *real_dir);

#endif
