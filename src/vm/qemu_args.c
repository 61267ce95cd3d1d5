/* vm_config -> QEMU argv.
 *
 * qemu_args_build is pure: everything it needs to know about the host
 * (KVM, OVMF, audio, detected disk formats, socket paths) comes in struct
 * qemu_host, so the same VM file always gives the same command line and the
 * golden tests can pin it down. The host side (qemu_host_detect, the UEFI
 * variable store) lives at the end of this file.
 *
 * Choices that are not obvious:
 * - -nodefaults: QEMU's implicit devices (serial/monitor on a virtual
 *   console, a parallel port, a floppy, a CD drive, a NIC) are left out;
 *   every device is spelled out so the line says what the guest gets.
 * - Disks use -drive if=none plus -device: the drive id ("hd<i>") names the
 *   block backend, node-name ("disk<i>") the format node that snapshot-save
 *   takes, the device id ("disk<i>") the guest device. format= is always
 *   given so QEMU never probes a raw image (a guest could write a qcow2
 *   header into it and make QEMU open host files as its backing).
 * - Boot order is written as bootindex on the devices, which both SeaBIOS
 *   and OVMF follow (-boot order= is BIOS-only).
 * - Port forwards bind 127.0.0.1 only: the VM's services are for this user,
 *   not the network.
 * - -kernel, -initrd and -append are taken literally by QEMU (no option
 *   syntax), so they are not escaped. */
#include "vm/qemu_args.h"

#include "base/i18n.h"
#include "base/log.h"
#include "vm/disk.h"
#include "vm/image_fds.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#define QEMU_DEFAULT_BINARY "qemu-system-x86_64"

const char *qemu_binary(void)
{
	const char *env = getenv("VMPLAY_QEMU");
	return env && *env ? env : QEMU_DEFAULT_BINARY;
}

char *qemu_escape(const char *value)
{
	size_t len = strlen(value), commas = 0;
	for (const char *p = value; *p; p++)
		commas += *p == ',';
	char *out = xmalloc(len + commas + 1), *o = out;
	for (const char *p = value; *p; p++) {
		*o++ = *p;
		if (*p == ',')
			*o++ = ',';
	}
	*o = '\0';
	return out;
}

char *qemu_disk_node_name(size_t index)
{
	return xasprintf("disk%zu", index);
}

char *qemu_disk_device_id(size_t index)
{
	return xasprintf("disk%zu", index);
}

/* ---- tables: VM file values -> QEMU names ---- */

static const char *const machine_types[] = {
	[MACHINE_Q35] = "q35",
	[MACHINE_PC] = "pc",
};

static const char *const format_drivers[] = {
	[FORMAT_AUTO] = NULL,
	[FORMAT_QCOW2] = "qcow2",
	[FORMAT_RAW] = "raw",
	[FORMAT_VDI] = "vdi",
	[FORMAT_VMDK] = "vmdk",
};

static const char *const nic_devices[] = {
	[NIC_E1000] = "e1000",
	[NIC_VIRTIO] = "virtio-net-pci",
	[NIC_RTL8139] = "rtl8139",
};

static const char *const display_devices[] = {
	[DISPLAY_STD] = "VGA",
	[DISPLAY_VIRTIO] = "virtio-vga",
	[DISPLAY_QXL] = "qxl-vga",
};

static const char *const audio_drivers[] = {
	[AUDIO_AUTO] = NULL,
	[AUDIO_PA] = "pa",
	[AUDIO_ALSA] = "alsa",
	[AUDIO_SDL] = "sdl",
	[AUDIO_NONE] = "none",
};

/* The HD Audio controller that belongs to each chipset. */
static const char *const hda_controllers[] = {
	[MACHINE_Q35] = "ich9-intel-hda",
	[MACHINE_PC] = "intel-hda",
};

static const char *const interface_names[] = {
	[DISK_VIRTIO] = "virtio",
	[DISK_IDE] = "ide",
	[DISK_SATA] = "sata",
	[DISK_SCSI] = "scsi",
};

/* Where IDE-type devices go. pc: the PIIX controller's two buses with a
 * master and a slave each; the CD takes the secondary master, as on real
 * PCs. q35: the built-in AHCI controller's six ports (q35 has no PATA, so
 * interface = ide lands there too). pc with sata: an added AHCI
 * controller "ahci0". */
struct ide_slot {
	const char *bus;
	int unit;   /* -1: the bus has one device, no unit= */
};

static const struct ide_slot pc_ide_slots[] = {
	{ "ide.0", 0 }, { "ide.0", 1 }, { "ide.1", 1 },
};
static const struct ide_slot pc_cdrom_slot = { "ide.1", 0 };
static const struct ide_slot q35_ahci_slots[] = {
	{ "ide.0", -1 }, { "ide.1", -1 }, { "ide.2", -1 },
	{ "ide.3", -1 }, { "ide.4", -1 }, { "ide.5", -1 },
};
static const struct ide_slot pc_ahci_slots[] = {
	{ "ahci0.0", -1 }, { "ahci0.1", -1 }, { "ahci0.2", -1 },
	{ "ahci0.3", -1 }, { "ahci0.4", -1 }, { "ahci0.5", -1 },
};

/* ---- the builder ---- */

struct build {
	const struct vm_config *cfg;
	const struct qemu_host *host;
	struct strv *argv;
	char *error;
	/* bootindex per device: -1 when the device is not in the boot order */
	int *disk_boot;
	int cdrom_boot;
	int nic_boot;
	/* slots used so far */
	size_t pc_ide_used, q35_ahci_used, pc_ahci_used;
};

static bool fail(struct build *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static bool fail(struct build *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	free(b->error);
	b->error = xvasprintf(fmt, ap);
	va_end(ap);
	return false;
}

static void opt(struct build *b, const char *name, const char *value)
{
	strv_push(b->argv, name);
	strv_push(b->argv, value);
}

static void optf(struct build *b, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void optf(struct build *b, const char *name, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *value = xvasprintf(fmt, ap);
	va_end(ap);
	strv_push(b->argv, name);
	strv_push(b->argv, value);
	free(value);
}

/* A file vmplay opened for QEMU (image_fds.h): its two descriptors as
 * an fd set, and the name that opens it ("/dev/fdset/N"); else the
 * escaped path. Caller frees. */
static char *file_name(struct build *b, const struct image_fd *f,
		       const char *path)
{
	if (!f || !f->set)
		return qemu_escape(path);
	optf(b, "-add-fd", "fd=%d,set=%d", f->rw, f->set);
	optf(b, "-add-fd", "fd=%d,set=%d", f->ro, f->set);
	return qemu_fdset_path(f->set);
}

char *qemu_fdset_path(int set)
{
	return xasprintf("/dev/fdset/%d", set);
}

/* ",bootindex=N" or "" */
static const char *bootindex(int index, char *buf, size_t len)
{
	if (index < 0)
		return "";
	snprintf(buf, len, ",bootindex=%d", index);
	return buf;
}

/* Assigns bootindex values in the order of [boot] order: c = every disk in
 * file order, d = the CD drive, n = the network card. */
static void plan_boot(struct build *b)
{
	const struct vm_config *cfg = b->cfg;
	const char *order = cfg->boot_order;
	if (!order)
		order = cfg->has_cdrom ? "cd" : "c";
	/* QEMU gives bootindex 0 to the option ROM that starts a -kernel. */
	int next = cfg->kernel ? 1 : 0;
	for (size_t i = 0; i < cfg->n_disks; i++)
		b->disk_boot[i] = -1;
	b->cdrom_boot = b->nic_boot = -1;
	for (const char *p = order; *p; p++) {
		switch (*p) {
		case 'c':
			for (size_t i = 0; i < cfg->n_disks; i++)
				if (b->disk_boot[i] < 0)
					b->disk_boot[i] = next++;
			break;
		case 'd':
			if (cfg->has_cdrom && b->cdrom_boot < 0)
				b->cdrom_boot = next++;
			break;
		case 'n':
			if (cfg->net_mode != NET_NONE && b->nic_boot < 0)
				b->nic_boot = next++;
			break;
		default:
			break;  /* config.c rejects other letters */
		}
	}
}

static bool add_machine(struct build *b)
{
	const struct vm_config *cfg = b->cfg;
	const struct qemu_host *host = b->host;
	bool kvm;
	switch (cfg->accel) {
	case ACCEL_KVM:
		if (!host->kvm_usable)
			return fail(b, _("%s: accel = kvm, but KVM is not usable "
				    "here: %s (use accel = auto or tcg)"),
				    cfg->path ? cfg->path : cfg->name,
				    host->kvm_problem ? host->kvm_problem
						      : _("unknown reason"));
		kvm = true;
		break;
	case ACCEL_TCG:
		kvm = false;
		break;
	default:
		kvm = host->kvm_usable;
		if (!kvm)
			log_warn(_("KVM is not usable (%s): running with TCG "
				 "emulation, which is much slower"),
				 host->kvm_problem ? host->kvm_problem
						   : _("unknown reason"));
		break;
	}

	char *name = qemu_escape(cfg->name ? cfg->name : "vmplay");
	optf(b, "-name", "guest=%s", name);
	free(name);
	if (cfg->uuid)
		opt(b, "-uuid", cfg->uuid);
	opt(b, "-machine", machine_types[cfg->machine]);
	opt(b, "-accel", kvm ? "kvm" : "tcg");
	/* -cpu host needs KVM; "max" is every feature TCG can emulate, which
	 * modern guests (x86-64-v2 and up) need. */
	opt(b, "-cpu", kvm ? "host" : "max");
	uint64_t mib = (cfg->memory + (1u << 20) - 1) >> 20;
	optf(b, "-m", "%lluM", (unsigned long long)(mib ? mib : 1));
	optf(b, "-smp", "%d", cfg->cpus > 0 ? cfg->cpus : 1);
	strv_push(b->argv, "-nodefaults");
	return true;
}

static bool add_firmware(struct build *b)
{
	const struct vm_config *cfg = b->cfg;
	if (cfg->firmware != FIRMWARE_UEFI)
		return true;
	if (!b->host->uefi_code)
		return fail(b, _("%s: firmware = uefi needs the OVMF firmware, "
			    "which is not installed (apt-get install ovmf), "
			    "or use firmware = bios"), cfg->path);
	if (!b->host->uefi_vars)
		return fail(b, _("%s: firmware = uefi: no UEFI variable store "
			    "was prepared for this VM"), cfg->path);
	char *code = qemu_escape(b->host->uefi_code);
	const struct image_fds *images = b->host->images;
	char *vars = file_name(b, images ? &images->vars : NULL,
			       b->host->uefi_vars);
	optf(b, "-drive", "if=pflash,unit=0,format=raw,readonly=on,file=%s",
	     code);
	optf(b, "-drive", "if=pflash,unit=1,format=qcow2,node-name=efivars,"
	     "file=%s", vars);
	free(code);
	free(vars);
	return true;
}

static void add_display(struct build *b)
{
	const struct qemu_host *host = b->host;
	strv_push(b->argv, "-display");
	strv_push(b->argv, "none");
	/* lock-key-sync=off: vmplay sends scancodes and the guest keeps its own
	 * lock state; QEMU must not inject NumLock/CapsLock presses. */
	char *vnc = qemu_escape(host->vnc_socket);
	optf(b, "-vnc", "unix:%s,lossy=off,lock-key-sync=off", vnc);
	free(vnc);
	char *qmp = qemu_escape(host->qmp_socket);
	optf(b, "-qmp", "unix:%s,server=on,wait=off", qmp);
	free(qmp);
	char *dir = path_dirname(host->qmp_socket);
	char *viewer_path = path_join(dir, QEMU_VIEWER_SOCKET);
	char *viewer = qemu_escape(viewer_path);
	optf(b, "-qmp", "unix:%s,server=on,wait=off", viewer);
	free(viewer);
	free(viewer_path);
	free(dir);
	/* First device, so it gets the slot -vga would give it (00:02.0 on pc,
	 * 00:01.0 on q35). */
	optf(b, "-device", "%s,id=video0",
	     display_devices[b->cfg->display_device]);
}

/* The next free IDE-type slot for a disk (or the CD) on this machine. */
static const struct ide_slot *take_ide_slot(struct build *b, bool sata)
{
	if (b->cfg->machine == MACHINE_Q35) {
		if (b->q35_ahci_used >= ARRAY_SIZE(q35_ahci_slots))
			return NULL;
		return &q35_ahci_slots[b->q35_ahci_used++];
	}
	if (sata) {
		if (b->pc_ahci_used >= ARRAY_SIZE(pc_ahci_slots))
			return NULL;
		return &pc_ahci_slots[b->pc_ahci_used++];
	}
	if (b->pc_ide_used >= ARRAY_SIZE(pc_ide_slots))
		return NULL;
	return &pc_ide_slots[b->pc_ide_used++];
}

static void slot_text(const struct ide_slot *slot, char *buf, size_t len)
{
	if (slot->unit >= 0)
		snprintf(buf, len, "bus=%s,unit=%d", slot->bus, slot->unit);
	else
		snprintf(buf, len, "bus=%s", slot->bus);
}

static bool add_disks(struct build *b)
{
	const struct vm_config *cfg = b->cfg;
	bool need_scsi = false, need_ahci = false;
	for (size_t i = 0; i < cfg->n_disks; i++) {
		need_scsi |= cfg->disks[i].interface == DISK_SCSI;
		need_ahci |= cfg->disks[i].interface == DISK_SATA &&
			     cfg->machine == MACHINE_PC;
	}
	if (need_ahci)
		opt(b, "-device", "ahci,id=ahci0");
	if (need_scsi)
		opt(b, "-device", "virtio-scsi-pci,id=scsi0");

	for (size_t i = 0; i < cfg->n_disks; i++) {
		const struct vm_disk *d = &cfg->disks[i];
		enum disk_format format = d->format;
		if (format == FORMAT_AUTO && b->host->disk_formats)
			format = b->host->disk_formats[i];
		if (format == FORMAT_AUTO ||
		    (size_t)format >= ARRAY_SIZE(format_drivers))
			return fail(b, _("%s:%d: disk '%s': the format of %s is "
				    "unknown (the file is missing, unreadable or "
				    "of a kind vmplay does not handle); set "
				    "format = qcow2, raw, vdi or vmdk"),
				    cfg->path, d->line, d->name, d->file);
		/* QEMU's IDE/SATA disks refuse a read-only drive. There the
		 * file is opened read-only under a temporary overlay that
		 * takes the guest's writes and goes away with QEMU: the file
		 * stays untouched all the same. */
		bool ide_type = d->interface == DISK_IDE ||
				d->interface == DISK_SATA;
		const char *ro = !d->readonly ? ""
				 : ide_type ? ",snapshot=on" : ",readonly=on";

		const struct image_fds *images = b->host->images;
		char *file = file_name(b, images ? &images->disk[i] : NULL,
				       d->file);
		/* What QEMU would look up by name relative to the image,
		 * which is now /dev/fdset/N: the data file vmplay opened,
		 * the backing file by its absolute name. */
		char *more = xstrdup("");
		if (images && images->data[i].set) {
			char *data = file_name(b, &images->data[i], NULL);
			char *m = xasprintf("%s,data-file.driver=file,"
					    "data-file.filename=%s", more, data);
			free(data);
			free(more);
			more = m;
		}
		if (images && images->backing[i]) {
			char *name = qemu_escape(images->backing[i]);
			char *m = xasprintf("%s,backing.file.filename=%s", more,
					    name);
			free(name);
			free(more);
			more = m;
		}
		optf(b, "-drive", "if=none,id=hd%zu,node-name=disk%zu,"
		     "format=%s,file=%s%s%s", i, i, format_drivers[format], file,
		     more, ro);
		free(more);
		free(file);

		char boot[32], where[32];
		const char *bi = bootindex(b->disk_boot[i], boot, sizeof(boot));
		switch (d->interface) {
		case DISK_IDE:
		case DISK_SATA: {
			const struct ide_slot *slot =
				take_ide_slot(b, d->interface == DISK_SATA);
			if (!slot)
				return fail(b, _("%s:%d: disk '%s': no free %s "
					    "port left on machine = %s; use "
					    "interface = virtio or scsi for "
					    "more disks"), cfg->path, d->line,
					    d->name,
					    interface_names[d->interface],
					    machine_types[cfg->machine]);
			slot_text(slot, where, sizeof(where));
			optf(b, "-device", "ide-hd,drive=hd%zu,%s,id=disk%zu%s",
			     i, where, i, bi);
			break;
		}
		case DISK_SCSI:
			optf(b, "-device", "scsi-hd,drive=hd%zu,bus=scsi0.0,"
			     "id=disk%zu%s", i, i, bi);
			break;
		default:
			optf(b, "-device", "virtio-blk-pci,drive=hd%zu,"
			     "id=disk%zu%s", i, i, bi);
			break;
		}
	}
	return true;
}

static bool add_cdrom(struct build *b)
{
	const struct vm_config *cfg = b->cfg;
	if (!cfg->has_cdrom)
		return true;
	if (cfg->cdrom_file) {
		char *file = qemu_escape(cfg->cdrom_file);
		optf(b, "-drive", "if=none,id=cd0,media=cdrom,readonly=on,"
		     "format=raw,file=%s", file);
		free(file);
	} else {
		/* An empty drive: media can be inserted later through QMP. */
		opt(b, "-drive", "if=none,id=cd0,media=cdrom,readonly=on");
	}
	const struct ide_slot *slot = cfg->machine == MACHINE_PC
		? &pc_cdrom_slot : take_ide_slot(b, false);
	if (!slot)
		return fail(b, _("%s: no free SATA port is left for the CD drive "
			    "on machine = q35 (6 ports); use interface = "
			    "virtio or scsi for some of the disks"), cfg->path);
	char where[32], boot[32];
	slot_text(slot, where, sizeof(where));
	optf(b, "-device", "ide-cd,drive=cd0,%s,id=" QEMU_CDROM_DEVICE_ID "%s",
	     where, bootindex(b->cdrom_boot, boot, sizeof(boot)));
	return true;
}

static void add_kernel(struct build *b)
{
	const struct vm_config *cfg = b->cfg;
	if (!cfg->kernel)
		return;
	opt(b, "-kernel", cfg->kernel);
	if (cfg->initrd)
		opt(b, "-initrd", cfg->initrd);
	if (cfg->append)
		opt(b, "-append", cfg->append);
}

static void add_network(struct build *b)
{
	const struct vm_config *cfg = b->cfg;
	if (cfg->net_mode == NET_NONE)
		return;
	struct strv netdev = { 0 };
	strv_push(&netdev, "user,id=net0");
	for (size_t i = 0; i < cfg->n_forwards; i++) {
		const struct vm_forward *f = &cfg->forwards[i];
		strv_pushf(&netdev, ",hostfwd=%s:127.0.0.1:%u-:%u",
			   f->udp ? "udp" : "tcp", (unsigned)f->host_port,
			   (unsigned)f->guest_port);
	}
	char *value = strv_join(&netdev, "");
	opt(b, "-netdev", value);
	free(value);
	strv_free(&netdev);
	char boot[32];
	optf(b, "-device", "%s,netdev=net0,id=nic0%s",
	     nic_devices[cfg->net_model],
	     bootindex(b->nic_boot, boot, sizeof(boot)));
}

static void add_audio(struct build *b)
{
	const struct vm_config *cfg = b->cfg;
	if (cfg->audio_device == SOUND_NONE)
		return;
	enum audio_backend backend = cfg->audio_backend;
	if (backend == AUDIO_AUTO)
		backend = b->host->audio_auto;
	if (backend == AUDIO_AUTO || (size_t)backend >= ARRAY_SIZE(audio_drivers))
		backend = AUDIO_NONE;
	optf(b, "-audiodev", "%s,id=snd0", audio_drivers[backend]);
	if (cfg->audio_device == SOUND_AC97) {
		opt(b, "-device", "AC97,audiodev=snd0,id=sound0");
	} else {
		optf(b, "-device", "%s,id=sound0",
		     hda_controllers[cfg->machine]);
		opt(b, "-device", "hda-duplex,bus=sound0.0,audiodev=snd0");
	}
}

static void add_pointer(struct build *b)
{
	/* ps2: the i8042 mouse every pc/q35 machine has; nothing to add. */
	if (b->cfg->pointer != POINTER_TABLET)
		return;
	opt(b, "-device", "qemu-xhci,id=usb0");
	opt(b, "-device", "usb-tablet,bus=usb0.0,id=tablet0");
}

/* The clipboard: QEMU's own SPICE agent end (qemu-vdagent) on the
 * virtio-serial port a guest's spice-vdagent looks for. It joins QEMU's
 * clipboard, which the VNC server shares with vmplay (extended clipboard,
 * vnc_clipboard.h). mouse=off: the pointer stays the tablet's job (the
 * agent's mouse mode would move it in screen pixels of its own). */
static void add_clipboard(struct build *b)
{
	if (!config_clipboard(b->cfg))
		return;
	opt(b, "-device", "virtio-serial-pci,id=" QEMU_AGENT_SERIAL_ID);
	opt(b, "-chardev", "qemu-vdagent,id=" QEMU_AGENT_CHARDEV_ID
	    ",name=vdagent,clipboard=on,mouse=off");
	opt(b, "-device", "virtserialport,bus=" QEMU_AGENT_SERIAL_ID ".0,"
	    "chardev=" QEMU_AGENT_CHARDEV_ID ",name=" QEMU_AGENT_PORT_NAME
	    ",id=" QEMU_AGENT_DEVICE_ID);
}

bool qemu_args_build(const struct vm_config *cfg, const struct qemu_host *host,
		     struct strv *argv, char **error)
{
	struct build b = {
		.cfg = cfg,
		.host = host,
		.argv = argv,
		.disk_boot = xcalloc(cfg->n_disks + 1, sizeof(int)),
	};
	*error = NULL;
	if (!host->vnc_socket || !host->qmp_socket) {
		fail(&b, _("internal error: no socket paths for QEMU"));
		goto out;
	}
	plan_boot(&b);
	strv_push(argv, host->qemu_binary ? host->qemu_binary : qemu_binary());
	if (!add_machine(&b) || !add_firmware(&b))
		goto out;
	add_display(&b);
	if (!add_disks(&b) || !add_cdrom(&b))
		goto out;
	add_kernel(&b);
	add_network(&b);
	add_audio(&b);
	add_pointer(&b);
	add_clipboard(&b);
	/* A kiosk with reset = true boots from the disks as configured every
	 * time: QEMU's -snapshot makes a temporary overlay it unlinks at once
	 * (nothing left behind even after a kill) and opens the images
	 * read-only. */
	if (cfg->kiosk && cfg->kiosk_reset)
		strv_push(argv, "-snapshot");
	/* Last, so an expert's options can add to or override ours. */
	for (size_t i = 0; i < cfg->n_qemu_args; i++)
		strv_push(argv, cfg->qemu_args[i]);
out:
	free(b.disk_boot);
	if (b.error) {
		*error = b.error;
		return false;
	}
	return true;
}

/* ---- the host side: not pure ---- */

/* Debian's ovmf package: code and variable-store templates that belong
 * together, the 4 MiB build first. */
static const struct {
	const char *code, *vars;
} ovmf_pairs[] = {
	{ "/usr/share/OVMF/OVMF_CODE_4M.fd", "/usr/share/OVMF/OVMF_VARS_4M.fd" },
	{ "/usr/share/OVMF/OVMF_CODE.fd", "/usr/share/OVMF/OVMF_VARS.fd" },
};

/* Where Debian's QEMU keeps its loadable modules (audio backends among
 * them). */
static const char *const qemu_module_dirs[] = {
	"/usr/lib/x86_64-linux-gnu/qemu",
	"/usr/lib/qemu",
};

static bool qemu_has_module(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(qemu_module_dirs); i++) {
		char *path = xasprintf("%s/%s.so", qemu_module_dirs[i], name);
		bool found = path_exists(path);
		free(path);
		if (found)
			return true;
	}
	return false;
}

/* A PulseAudio (or PipeWire's pulse) server this user can reach: QEMU
 * refuses to start when -audiodev pa cannot connect. */
static bool pulse_server_present(void)
{
	const char *server = getenv("PULSE_SERVER");
	if (server && *server)
		return true;
	const char *runtime = getenv("XDG_RUNTIME_DIR");
	if (!runtime || !*runtime)
		return false;
	char *sock = xasprintf("%s/pulse/native", runtime);
	bool found = path_exists(sock);
	free(sock);
	return found;
}

const char *qemu_kvm_module_problem(const char *sys_module_dir)
{
	static const char *const hardware[] = { "kvm_intel", "kvm_amd" };
	for (size_t i = 0; i < ARRAY_SIZE(hardware); i++) {
		char *dir = path_join(sys_module_dir, hardware[i]);
		bool loaded = path_is_dir(dir);
		free(dir);
		if (loaded)
			return NULL;
	}
	char *pvm = path_join(sys_module_dir, "kvm_pvm");
	bool is_pvm = path_is_dir(pvm);
	free(pvm);
	/* PVM (a nested, page-table based KVM backend seen in cloud
	 * sandboxes) accepts KVM_CREATE_VM but runs only PVM-enabled Linux
	 * kernels: a BIOS, GRUB or any other guest hangs or gets no input. */
	return is_pvm ? _("/dev/kvm is the PVM backend (kvm_pvm), which runs "
			"only PVM-enabled Linux guests")
		      : NULL;
}

static const char *detect_kvm(void)
{
	static char problem[256];   /* room for a translation */
	int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return _("/dev/kvm does not exist (no hardware "
			       "virtualization, or the kvm module is not loaded)");
		if (errno == EACCES || errno == EPERM)
			return _("no permission to open /dev/kvm (add your user "
			       "to group 'kvm' and log in again)");
		snprintf(problem, sizeof(problem), _("cannot open /dev/kvm: %s"),
			 strerror(errno));
		return problem;
	}
	const char *result = NULL;
	int version = ioctl(fd, KVM_GET_API_VERSION, 0);
	if (version != KVM_API_VERSION) {
		snprintf(problem, sizeof(problem), _("/dev/kvm speaks KVM API %d, "
			 "not %d"), version, KVM_API_VERSION);
		result = problem;
	} else {
		int vm = ioctl(fd, KVM_CREATE_VM, 0);
		if (vm < 0) {
			snprintf(problem, sizeof(problem), _("/dev/kvm cannot "
				 "create a VM: %s"), strerror(errno));
			result = problem;
		} else {
			close(vm);
			result = qemu_kvm_module_problem("/sys/module");
		}
	}
	close(fd);
	return result;
}

void qemu_host_detect(struct qemu_host *host)
{
	/* Callers often start from an uninitialised struct: leave nothing
	 * undefined. */
	*host = (struct qemu_host){ 0 };
	host->qemu_binary = qemu_binary();
	host->kvm_problem = detect_kvm();
	host->kvm_usable = host->kvm_problem == NULL;
	for (size_t i = 0; i < ARRAY_SIZE(ovmf_pairs); i++) {
		if (path_exists(ovmf_pairs[i].code) &&
		    path_exists(ovmf_pairs[i].vars)) {
			host->uefi_code = ovmf_pairs[i].code;
			host->uefi_vars_template = ovmf_pairs[i].vars;
			break;
		}
	}
	if (qemu_has_module("audio-pa") && pulse_server_present())
		host->audio_auto = AUDIO_PA;
	else if (qemu_has_module("audio-alsa") && path_is_dir("/dev/snd"))
		host->audio_auto = AUDIO_ALSA;
	else
		host->audio_auto = AUDIO_NONE;
}

char *qemu_uefi_vars_path(const struct vm_config *cfg)
{
	char *base = path_basename(cfg->path);
	size_t len = strlen(base);
	static const char suffix[] = ".vmplay";
	if (len > strlen(suffix) &&
	    strcmp(base + len - strlen(suffix), suffix) == 0)
		base[len - strlen(suffix)] = '\0';
	char *name = xasprintf("%s.efivars.qcow2", base);
	char *path = path_join(cfg->dir, name);
	free(name);
	free(base);
	return path;
}

/* The formats of the disks whose file does not say; FORMAT_AUTO stays
 * when unknown (qemu_args_build then names the disk). */
static enum disk_format *detect_formats(const struct vm_config *cfg)
{
	enum disk_format *formats = xcalloc(cfg->n_disks + 1, sizeof(*formats));
	for (size_t i = 0; i < cfg->n_disks; i++)
		formats[i] = cfg->disks[i].format != FORMAT_AUTO
			? cfg->disks[i].format
			: disk_detect_format(cfg->disks[i].file);
	return formats;
}

bool qemu_args_build_local(const struct vm_config *cfg, const char *vnc_socket,
			   const char *qmp_socket, bool create_files,
			   struct image_fds **images, struct strv *argv,
			   char **error)
{
	struct qemu_host host;
	qemu_host_detect(&host);
	host.vnc_socket = vnc_socket;
	host.qmp_socket = qmp_socket;
	enum disk_format *formats = detect_formats(cfg);
	host.disk_formats = formats;
	char *vars = NULL;
	bool ok = true;
	*error = NULL;
	if (cfg->firmware == FIRMWARE_UEFI) {
		vars = qemu_uefi_vars_path(cfg);
		host.uefi_vars = vars;
		/* Without OVMF, qemu_args_build says what to install. */
		if (create_files && host.uefi_code)
			ok = qemu_uefi_vars_prepare(host.uefi_vars_template,
						    vars, error);
	}
	if (ok && images) {
		*images = image_fds_open(cfg, formats, vars, error);
		ok = *images != NULL;
		host.images = *images;
	}
	if (ok)
		ok = qemu_args_build(cfg, &host, argv, error);
	if (!ok && images) {
		image_fds_close(*images);
		*images = NULL;
	}
	free(vars);
	free(formats);
	return ok;
}

bool qemu_uefi_vars_prepare(const char *template_path, const char *path,
			    char **error)
{
	*error = NULL;
	if (path_exists(path))
		return true;
	if (!template_path) {
		*error = xstrdup(_("the OVMF firmware is not installed "
				 "(apt-get install ovmf)"));
		return false;
	}
	/* disk_convert writes a temporary file and moves it into place only
	 * if path still does not exist, so nothing is overwritten. */
	char *why = NULL;
	if (disk_convert(template_path, path, FORMAT_QCOW2, NULL, NULL, &why))
		return true;
	if (path_exists(path)) {
		/* Another vmplay made it meanwhile: just as good. */
		free(why);
		return true;
	}
	*error = xasprintf(_("cannot make the VM's UEFI variable store from %s: "
			   "%s"), template_path, why);
	free(why);
	return false;
}
