/* The VM file (NAME.vmplay, INI) as a struct, with defaults and validation.
 * The INI grammar is in ini_edit.h (see config.c for why not iniparser).
 * Every key is documented in vmplay(5) (assets/vmplay.5); keep the two in
 * step. */
#ifndef VMPLAY_CONFIG_H
#define VMPLAY_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum vm_machine { MACHINE_Q35, MACHINE_PC };
enum vm_accel { ACCEL_AUTO, ACCEL_KVM, ACCEL_TCG };
enum vm_firmware { FIRMWARE_BIOS, FIRMWARE_UEFI };
enum disk_format { FORMAT_AUTO, FORMAT_QCOW2, FORMAT_RAW, FORMAT_VDI, FORMAT_VMDK };
enum disk_interface { DISK_VIRTIO, DISK_IDE, DISK_SATA, DISK_SCSI };
enum net_mode { NET_USER, NET_NONE };
enum net_model { NIC_E1000, NIC_VIRTIO, NIC_RTL8139 };
enum display_device { DISPLAY_STD, DISPLAY_VIRTIO, DISPLAY_QXL };
enum scale_mode { SCALE_FIT, SCALE_INTEGER, SCALE_STRETCH, SCALE_NONE };
enum audio_backend { AUDIO_AUTO, AUDIO_PA, AUDIO_ALSA, AUDIO_SDL, AUDIO_NONE };
enum audio_device { SOUND_HDA, SOUND_AC97, SOUND_NONE };
enum pointer_mode { POINTER_TABLET, POINTER_PS2 };

/* Names of the enum values as written in the VM file, indexed by value,
 * NULL-terminated. */
extern const char *const vm_machine_names[];    /* "q35", "pc" */
extern const char *const vm_accel_names[];      /* "auto", "kvm", "tcg" */
extern const char *const vm_firmware_names[];   /* "bios", "uefi" */
extern const char *const disk_format_names[];   /* "auto", "qcow2", ... */
extern const char *const disk_interface_names[];/* "virtio", "ide", ... */
extern const char *const net_mode_names[];      /* "user", "none" */
extern const char *const net_model_names[];     /* "e1000", ... */
extern const char *const display_device_names[];/* "std", ... */
extern const char *const scale_mode_names[];    /* "fit", "integer", ... */
extern const char *const audio_backend_names[]; /* "auto", "pa", ... */
extern const char *const audio_device_names[];  /* "hda", "ac97", "none" */
extern const char *const pointer_mode_names[];  /* "tablet", "ps2" */
extern const char *const shortcut_names[];     /* "none", "menu", ... */

/* The keyboard shortcuts a user can bind in [keys], allow in [kiosk] and
 * see in the menu. Their default keys live in player/bindings.c; their
 * names here, because the VM file names them. */
enum shortcut {
	SHORTCUT_NONE,
	SHORTCUT_MENU,          /* ctrl+alt+m */
	SHORTCUT_PAUSE,         /* ctrl+alt+p: pause/resume */
	SHORTCUT_SNAPSHOT,      /* ctrl+alt+s */
	SHORTCUT_FULLSCREEN,    /* ctrl+alt+f */
	SHORTCUT_RELEASE,       /* ctrl+alt+g: release the pointer grab */
	SHORTCUT_QUIT,          /* ctrl+alt+q, with confirmation */
	SHORTCUT_CTRL_ALT_DEL,  /* ctrl+alt+del: send it to the guest */
	SHORTCUT_SCREENSHOT,    /* unbound by default */
	SHORTCUT_COUNT
};

/* "menu", "pause", ...; "none" for SHORTCUT_NONE and out-of-range values. */
const char *shortcut_name(enum shortcut s);
/* SHORTCUT_NONE when name is no shortcut. Case-insensitive. */
enum shortcut shortcut_from_name(const char *name);

struct vm_disk {
	char *name;        /* the NAME of [disk.NAME] */
	char *file;        /* absolute path (resolved against the VM file's folder) */
	enum disk_format format;  /* FORMAT_AUTO: detect with qemu-img info */
	uint64_t size;     /* bytes, 0 when not given; used to create the disk */
	enum disk_interface interface;
	bool readonly;
	int line;          /* line of the section header, for messages */
};

struct vm_forward {
	bool udp;          /* false: tcp */
	uint16_t host_port;
	uint16_t guest_port;
};

/* One [keys] entry, kept raw: bindings.c parses and validates the value. */
struct vm_key {
	char *action;      /* "menu", "pause", ... */
	char *spec;        /* "ctrl+alt+m", or "none" to disable */
	int line;
};

struct vm_connection {
	char *name;
	char *uri;
	int line;
};

struct vm_config {
	char *path;        /* absolute path of the VM file */
	char *dir;         /* its folder */

	/* [vm] */
	char *name;        /* default: the file name without .vmplay */
	char *uuid;        /* NULL when absent */
	uint64_t memory;   /* bytes; default 1G */
	int cpus;          /* default 1 */
	enum vm_machine machine;
	enum vm_accel accel;
	enum vm_firmware firmware;

	/* [disk.NAME] in file order */
	struct vm_disk *disks;
	size_t n_disks;

	/* [cdrom]: has_cdrom is true when the section exists; cdrom_file NULL
	 * means an empty drive. */
	bool has_cdrom;
	char *cdrom_file;
	int cdrom_line;    /* line of the [cdrom] header, 0 when absent */

	/* [boot] */
	char *boot_order;  /* letters c, d, n; default "cd" with a CD, else "c" */
	char *kernel;      /* absolute paths or NULL */
	char *initrd;
	char *append;      /* NULL when absent or empty */
	int kernel_line;   /* lines of the keys, 0 when absent */
	int initrd_line;

	/* [network] */
	enum net_mode net_mode;
	enum net_model net_model;
	struct vm_forward *forwards;
	size_t n_forwards;

	/* [display] */
	enum display_device display_device;
	enum scale_mode scale;
	bool fullscreen;
	/* resize-guest; use config_resize_guest() (its default depends on
	 * the device) */
	bool resize_guest;
	bool resize_guest_given;

	/* [clipboard] enabled; use config_clipboard() (its default depends on
	 * kiosk mode, which --kiosk can turn on after loading) */
	bool clipboard;
	bool clipboard_given;
	bool exit_on_poweroff;  /* the window closes when the guest powers off */

	/* [audio] */
	enum audio_backend audio_backend;
	enum audio_device audio_device;

	/* [input] */
	enum pointer_mode pointer;

	/* [keys] */
	struct vm_key *keys;
	size_t n_keys;

	/* [kiosk] */
	bool kiosk;
	char **kiosk_allow;      /* action names allowed in kiosk mode */
	size_t n_kiosk_allow;
	char *kiosk_pin;         /* NULL: the menu is unreachable in kiosk mode */
	unsigned restart_delay_ms;  /* default 2000 */
	unsigned max_restarts;      /* 0: unlimited */
	bool kiosk_reset;

	/* [qemu] args, split like a shell would (no shell is run); qemu_args
	 * is NULL-terminated when n_qemu_args > 0, else NULL. */
	char **qemu_args;
	size_t n_qemu_args;
	int qemu_args_line;      /* 0 when absent */

	/* Set by trust_check when the file is not trusted: every file the
	 * guest may write must pass the trust rule again when vmplay opens
	 * it for QEMU (image_fds), so what was checked is what QEMU gets. */
	bool untrusted;
	/* [libvirt]: the file describes a domain that libvirt runs instead of
	 * a QEMU of vmplay's own (uri NULL: LIBVIRT_DEFAULT_URI or libvirt's
	 * default); domain is NULL when the section is absent. */
	char *libvirt_uri;
	char *libvirt_domain;
	int libvirt_line;        /* of the [libvirt] header, 0 when absent */

	/* [connections] (the user file vmplay.ini only): libvirt connections
	 * whose domains the library lists, NAME = URI, in file order. */
	struct vm_connection *connections;
	size_t n_connections;
};

/* Loads and validates a VM file. On failure returns NULL and sets *error to
 * a malloc'd, newline-separated list of messages of the form
 * "FILE:LINE: what is wrong (what is accepted)"; the caller frees it. */
struct vm_config *config_load(const char *path, char **error);

/* Parses VM file text as if it were the file at path (for tests and for
 * files already read). Same contract as config_load. */
struct vm_config *config_parse(const char *path, const char *text, size_t len,
			       char **error);

/* Checks that the files the VM needs exist (disks, ISO, kernel, initrd) and
 * that disks not marked readonly are writable. Returns false and sets *error
 * (malloc'd, one "FILE:LINE: ..." line per problem) naming each missing
 * file; *error is NULL when all is well. */
bool config_check_files(const struct vm_config *cfg, char **error);

void config_destroy(struct vm_config *cfg);   /* accepts NULL */

/* Whether text passes between the host's and the guest's clipboards:
 * [clipboard] enabled, by default on with [display] device = virtio and
 * off otherwise (the default never adds the agent's devices to an
 * existing VM file's machine; vmplay new writes the key), always off by
 * default in kiosk mode (an appliance must not leak what its user
 * copies). */
bool config_clipboard(const struct vm_config *cfg);

/* Whether the player asks the guest to follow the window's size:
 * [display] resize-guest, by default on for device = virtio (the only
 * display device QEMU forwards size requests to). */
bool config_resize_guest(const struct vm_config *cfg);

/* What is wrong with bytes as [vm] memory ("is too small (at least 16M)",
 * ...), or NULL when it is fine: 16M to 16T in whole megabytes. For
 * `vmplay new --memory`, which must write only what the reader takes. */
const char *config_memory_problem(uint64_t bytes);

/* [vm] cpus accepts 1 to this (QEMU's limit for the pc machine); vmplay
 * new --cpus the same. */
#define CONFIG_MAX_CPUS 255

/* NULL when name can follow "disk." in a section header (up to 32
 * letters, digits, '-' and '_', starting with a letter); otherwise what is
 * wrong, with what is accepted (malloc'd). The one rule for disk names:
 * the reader, the menu and every writer of [disk.NAME] use it. */
char *config_disk_name_problem(const char *name);

/* Reads the [keys] section of the user's settings file (bindings.c passes
 * ~/.config/vmplay/vmplay.ini) with the VM file's grammar and checks. A
 * missing or empty file is no error: true with *n_keys 0. Other sections,
 * unknown actions or a malformed file: false and *error (malloc'd,
 * "FILE:LINE: ..." lines), with the keys that could be read still in
 * *keys, so that the caller can check them too and report every problem
 * at once. Free *keys with config_free_keys. */
bool config_load_user_keys(const char *path, struct vm_key **keys,
			   size_t *n_keys, char **error);
/* The user's settings file: $XDG_CONFIG_HOME/vmplay/vmplay.ini (by
 * default ~/.config/vmplay/vmplay.ini), or NULL without HOME. Caller
 * frees. */
char *config_user_file(void);
/* [connections] of the user file at path (NAME = libvirt URI), for the
 * library's list of libvirt domains beside the VM files (see
 * vm/libvirt_machine.h, libvirt_list_domains). A missing file is an empty
 * list. false with *error naming the file and line. Free with
 * config_free_connections. */
bool config_load_user_connections(const char *path,
				  struct vm_connection **list, size_t *n,
				  char **error);
void config_free_connections(struct vm_connection *list, size_t n);
void config_free_keys(struct vm_key *keys, size_t n_keys);

/* Calls fn for every section and key the reader knows, in table order;
 * section "disk.NAME" stands for every disk, and [keys] (whose keys are
 * action names) is given with key NULL. For documentation checks. The
 * keys of a VM file that QEMU plays: [libvirt] (another kind of VM file)
 * and [connections] (the user file's) are left out. */
void config_each_key(void (*fn)(const char *section, const char *key,
				void *data), void *data);

#endif
