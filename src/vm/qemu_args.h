/* vm_config -> QEMU argv: a pure function (golden tests in tests/unit and
 * tests/golden), plus the few host facts it needs, gathered separately by
 * qemu_host_detect() so the builder itself never looks at the machine. */
#ifndef VMPLAY_QEMU_ARGS_H
#define VMPLAY_QEMU_ARGS_H

#include "base/util.h"
#include "vm/config.h"

struct image_fds;

/* The QEMU binary vmplay runs: $VMPLAY_QEMU when set and not empty, else
 * "qemu-system-x86_64" (looked up in PATH by execvp). The one place that
 * names it. Returns a static or environment string. */
const char *qemu_binary(void);

/* The name QEMU opens an fd set by ("/dev/fdset/N"; image_fds.h). Its
 * messages say this name too: launch.c puts the file's back. Caller
 * frees. */
char *qemu_fdset_path(int set);

/* The second QMP monitor, beside the qmp_socket: the vmplay that runs the
 * VM holds the first, a viewer window (`vmplay view`, machine_viewer.c)
 * takes this one. */
#define QEMU_VIEWER_SOCKET "viewer.sock"

struct qemu_host {
	const char *qemu_binary;  /* qemu_binary() unless a test fixes it */
	const char *vnc_socket;   /* absolute paths inside the runtime folder */
	const char *qmp_socket;
	bool kvm_usable;          /* /dev/kvm opens read-write and creates a VM */
	const char *kvm_problem;  /* why KVM is not usable (static text), or NULL */
	/* OVMF images of Debian's ovmf package, NULL when not installed. */
	const char *uefi_code;
	const char *uefi_vars_template;
	/* The VM's own UEFI variable store (qcow2, so internal snapshots work
	 * with UEFI): qemu_uefi_vars_path(cfg) made by qemu_uefi_vars_prepare.
	 * Set by the caller; needed only for firmware = uefi. */
	const char *uefi_vars;
	/* What [audio] backend = auto means on this host: AUDIO_PA,
	 * AUDIO_ALSA or AUDIO_NONE (never AUDIO_AUTO). */
	enum audio_backend audio_auto;
	/* Index-aligned with cfg->disks: the detected format of each disk
	 * whose format is FORMAT_AUTO (disk_detect_format). NULL when nothing
	 * was detected; an unresolved FORMAT_AUTO is an error. */
	const enum disk_format *disk_formats;
	/* The files the guest writes, opened for QEMU (image_fds.h), or
	 * NULL: QEMU opens every file by name (dry runs, golden tests). */
	const struct image_fds *images;
};

/* Appends the whole command line (argv[0] included) to *argv. Returns false
 * and sets *error (malloc'd) when the config cannot run on this host (for
 * example accel = kvm without KVM); *argv may then hold a partial line the
 * caller frees. Pure: the only side effect is the one warning line logged
 * (log_warn) when accel = auto falls back to TCG. */
bool qemu_args_build(const struct vm_config *cfg, const struct qemu_host *host,
		     struct strv *argv, char **error);

/* Escapes a value for QEMU's option syntax (a ',' becomes ",,").
 * Caller frees. */
char *qemu_escape(const char *value);

/* Fills host with what this machine has: the binary, KVM, OVMF, the audio
 * backend for "auto". Sockets, uefi_vars and disk_formats are set to NULL
 * for the caller to fill (they depend on the VM); qemu_args_build_local
 * does all of it. Strings are static. */
void qemu_host_detect(struct qemu_host *host);

/* Why the KVM modules loaded under sys_module_dir (normally /sys/module)
 * cannot run ordinary guests, or NULL: a kvm_pvm backend without kvm_intel
 * or kvm_amd. Static text. */
const char *qemu_kvm_module_problem(const char *sys_module_dir);

/* The whole job for this machine: qemu_host_detect, the disks' formats
 * (disk_detect_format for FORMAT_AUTO), the VM's UEFI variable store
 * (made now when create_files is true; dry runs pass false), the files
 * the guest writes opened for QEMU (image_fds_open, when images is not
 * NULL: *images then holds the descriptors QEMU must inherit; the caller
 * closes them with image_fds_close once QEMU runs), then qemu_args_build
 * with the given sockets. launch.c and dryrun.c call this. Same contract
 * as qemu_args_build. */
bool qemu_args_build_local(const struct vm_config *cfg, const char *vnc_socket,
			   const char *qmp_socket, bool create_files,
			   struct image_fds **images, struct strv *argv,
			   char **error);

/* QEMU device ids and block node names, so other modules (snapshots, media)
 * name the same things the command line created:
 *   disk i:  -drive id "hd<i>", node-name "disk<i>", -device id "disk<i>"
 *   CD:      -drive id "cd0", -device id "cdrom0" (for eject and
 *            blockdev-change-medium). */
#define QEMU_CDROM_DEVICE_ID "cdrom0"
/* The virtio-serial port name a guest's SPICE agent (spice-vdagent) opens
 * as /dev/virtio-ports/com.redhat.spice.0: the clipboard's way in. */
#define QEMU_AGENT_PORT_NAME "com.redhat.spice.0"
/* The clipboard's devices: the virtio-serial controller (its bus is
 * "<id>.0"), QEMU's agent end (a qemu-vdagent chardev) and the port that
 * joins them. vm_agent.c unplugs and plugs back the last two around a
 * snapshot with memory, so they are named here once. */
#define QEMU_AGENT_SERIAL_ID "vserial0"
#define QEMU_AGENT_CHARDEV_ID "vdagent0"
#define QEMU_AGENT_DEVICE_ID "agent0"
char *qemu_disk_node_name(size_t index);   /* "disk<i>"; caller frees */
char *qemu_disk_device_id(size_t index);   /* "disk<i>"; caller frees */

/* Where the VM keeps its UEFI variables: next to the VM file, named after
 * it ("DIR/debian.efivars.qcow2" for DIR/debian.vmplay). Caller frees. */
char *qemu_uefi_vars_path(const struct vm_config *cfg);

/* Makes sure path exists: when missing, converts the OVMF vars template to
 * a new qcow2 image there with qemu-img. An existing file is left alone.
 * Returns false with *error (malloc'd) on failure. */
bool qemu_uefi_vars_prepare(const char *template_path, const char *path,
			    char **error);

#endif
