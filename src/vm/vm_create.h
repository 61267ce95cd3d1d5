/* Making a new VM: its folder, its disk image (qemu-img) and a commented
 * VM file with a fresh UUID and presets for the guest OS. The one
 * implementation behind `vmplay new` (cli/cmd_new.c) and the library's
 * new-VM wizard (player/library_wizard.c): both fill a vm_create_request,
 * check its fields with vm_create_check and make it with vm_create.
 *
 * Nothing existing is ever overwritten, and when a step fails the steps
 * before it are taken back, so a failed or cancelled creation leaves the
 * file system as it was. */
#ifndef VMPLAY_VM_CREATE_H
#define VMPLAY_VM_CREATE_H

#include "vm/config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What the OS preset changes. Windows gets devices its installer drives
 * without extra drivers; Linux gets virtio, which every distribution
 * supports. */
struct vm_preset {
	const char *name;            /* "linux", "windows", "other" */
	const char *disk_interface;
	const char *nic_model;
	const char *sound;
	const char *display;         /* [display] device */
	const char *default_memory;
	const char *default_disk;
	const char *summary;         /* English (N_): shown through _() */
};

extern const struct vm_preset vm_presets[];
extern const size_t vm_preset_count;
const struct vm_preset *vm_preset_find(const char *name);   /* NULL: none */

#define VM_CREATE_MIN_CPUS 1
#define VM_CREATE_MAX_CPUS CONFIG_MAX_CPUS   /* as the VM file takes */

struct vm_create_request {
	const char *name;
	const char *dir;        /* the VM folder; NULL: ~/.VM/NAME */
	const struct vm_preset *os;
	const char *memory;     /* as typed; NULL: the preset's default */
	const char *cpus;       /* as typed; NULL: "2" */
	const char *disk_size;  /* as typed; NULL: the preset's default */
	enum disk_format format;   /* FORMAT_AUTO: qcow2 */
	const char *iso;        /* NULL or "": an empty CD drive */
};

/* The fields a front-end checks one by one, as they are typed. */
enum vm_create_field {
	VM_FIELD_NAME,
	VM_FIELD_MEMORY,
	VM_FIELD_CPUS,
	VM_FIELD_DISK_SIZE,
	VM_FIELD_ISO,
	VM_FIELD_COUNT,
};

/* What is wrong with one field of r, or NULL when it is fine. The message
 * names the value and what would be accepted, without the field's label
 * ("'2X' is not a size (examples: 512M, 2G)"); memory and sizes use the
 * VM-file reader's own rules and words. Caller frees. */
char *vm_create_check(const struct vm_create_request *r,
		      enum vm_create_field field);

/* Why r cannot be made where it would go (its folder is a file, its VM
 * file or disk exists already: nothing is ever overwritten), or NULL.
 * Caller frees. */
char *vm_create_conflict(const struct vm_create_request *r);

/* The folder r would make: r->dir made absolute, or ~/.VM/NAME. NULL with
 * *error when HOME is unset and no dir was given. Caller frees. */
char *vm_create_dir(const struct vm_create_request *r, char **error);

/* Where a creation stands, for a progress display. */
typedef void (*vm_create_progress_fn)(void *user, const char *step);

struct vm_created {
	char *dir;
	char *vm_path;
	char *disk_path;
	uint64_t memory;
	uint64_t disk_size;
	int cpus;
};
void vm_created_free(struct vm_created *c);

/* Makes the VM r describes (its fields must pass vm_create_check). false
 * with *error (malloc'd; "X already exists; vmplay new never overwrites
 * anything ...", qemu-img's reason...) when it cannot, having removed
 * whatever it made. progress may be NULL. */
bool vm_create(const struct vm_create_request *r,
	       vm_create_progress_fn progress, void *user,
	       struct vm_created *out, char **error);

/* A fresh random UUID (36 characters), or NULL. Caller frees. */
char *vm_fresh_uuid(void);

#endif
