/* vm_config -> QEMU argv: a pure function (golden tests in tests/unit). */
#ifndef VMPLAY_QEMU_ARGS_H
#define VMPLAY_QEMU_ARGS_H

#include "config.h"
#include "util.h"

struct qemu_host {
	const char *qemu_binary;  /* "qemu-system-x86_64" unless overridden */
	const char *vnc_socket;   /* absolute paths inside the runtime folder */
	const char *qmp_socket;
	bool kvm_usable;          /* /dev/kvm can be opened read-write */
	const char *uefi_code;    /* OVMF code image path, NULL if not found */
	const char *uefi_vars;    /* per-VM writable copy of the vars image */
};

/* Appends the whole command line (argv[0] included) to *argv. Returns false
 * and sets *error (malloc'd) when the config cannot run on this host (for
 * example accel = kvm without KVM). Warnings (KVM unavailable, falling back
 * to TCG) are logged once with log_warn. */
bool qemu_args_build(const struct vm_config *cfg, const struct qemu_host *host,
		     struct strv *argv, char **error);

/* Escapes a value for QEMU's option syntax (a ',' becomes ",,").
 * Caller frees. */
char *qemu_escape(const char *value);

/* Fills host with what this machine has: KVM, OVMF. The socket paths are
 * left for the caller. */
void qemu_host_detect(struct qemu_host *host);

#endif
