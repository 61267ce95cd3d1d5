/* qemu_args: the command line for hand-built configs (accel, formats,
 * slots, boot order, errors), then the golden files in tests/golden. */
#include "test.h"

#include "base/log.h"
#include "base/util.h"
#include "vm/qemu_args.h"

#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define VNC_SOCK "/run/vmplay/test/vnc.sock"
#define QMP_SOCK "/run/vmplay/test/qmp.sock"

/* The host every test and golden file assumes: no KVM, OVMF installed,
 * PulseAudio for backend = auto. */
static struct qemu_host test_host(void)
{
	struct qemu_host h = {
		.qemu_binary = "qemu-system-x86_64",
		.vnc_socket = VNC_SOCK,
		.qmp_socket = QMP_SOCK,
		.kvm_usable = false,
		.kvm_problem = "/dev/kvm does not exist",
		.uefi_code = "/usr/share/OVMF/OVMF_CODE_4M.fd",
		.uefi_vars_template = "/usr/share/OVMF/OVMF_VARS_4M.fd",
		.uefi_vars = NULL,
		.audio_auto = AUDIO_PA,
		.disk_formats = NULL,
	};
	return h;
}

static struct vm_config base_config(void)
{
	struct vm_config c = { 0 };
	c.path = "/vms/t.vmplay";
	c.dir = "/vms";
	c.name = "t";
	c.memory = 1ull << 30;
	c.cpus = 1;
	c.machine = MACHINE_PC;
	c.accel = ACCEL_TCG;
	c.net_mode = NET_NONE;
	c.audio_device = SOUND_NONE;
	c.pointer = POINTER_PS2;
	/* the clipboard's devices have their own test */
	c.clipboard_given = true;
	return c;
}

/* The value following the nth (0-based) occurrence of option name. */
static const char *arg_after(const struct strv *sv, const char *name, int nth)
{
	for (size_t i = 0; i + 1 < sv->n; i++)
		if (strcmp(sv->v[i], name) == 0 && nth-- == 0)
			return sv->v[i + 1];
	return NULL;
}

static bool has_arg(const struct strv *sv, const char *value)
{
	for (size_t i = 0; i < sv->n; i++)
		if (strcmp(sv->v[i], value) == 0)
			return true;
	return false;
}

static char *build_line(const struct vm_config *cfg,
			const struct qemu_host *host, char **error)
{
	struct strv sv = { 0 };
	char *line = NULL;
	if (qemu_args_build(cfg, host, &sv, error))
		line = strv_join_quoted(&sv);
	strv_free(&sv);
	return line;
}

static void test_escape(void)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "", "" },
		{ "plain", "plain" },
		{ "a,b", "a,,b" },
		{ ",", ",," },
		{ "a,,b,", "a,,,,b,," },
		{ "/vms/my vm/disk=1.qcow2", "/vms/my vm/disk=1.qcow2" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *got = qemu_escape(cases[i].in);
		CHECK_STR(got, cases[i].out);
		free(got);
	}
}

static void test_minimal_line(void)
{
	struct vm_config cfg = base_config();
	struct qemu_host host = test_host();
	char *error = NULL;
	char *line = build_line(&cfg, &host, &error);
	CHECK_STR(error, NULL);
	CHECK_STR(line, "qemu-system-x86_64 -name guest=t -machine pc "
		  "-accel tcg -cpu max -m 1024M -smp 1 -nodefaults "
		  "-display none "
		  "-vnc unix:" VNC_SOCK ",lossy=off,lock-key-sync=off "
		  "-qmp unix:" QMP_SOCK ",server=on,wait=off "
		  "-qmp unix:/run/vmplay/test/viewer.sock,server=on,wait=off "
		  "-device VGA,id=video0");
	free(line);
	free(error);
}

static void test_accel(void)
{
	static const struct {
		enum vm_accel accel;
		bool kvm;
		const char *want_accel, *want_cpu, *error;
	} cases[] = {
		{ ACCEL_AUTO, true, "kvm", "host", NULL },
		{ ACCEL_AUTO, false, "tcg", "max", NULL },
		{ ACCEL_KVM, true, "kvm", "host", NULL },
		{ ACCEL_KVM, false, NULL, NULL, "accel = kvm, but KVM is not usable here: /dev/kvm does not exist" },
		{ ACCEL_TCG, true, "tcg", "max", NULL },
		{ ACCEL_TCG, false, "tcg", "max", NULL },
	};
	enum log_level saved = log_get_level();
	log_set_level(LOG_ERROR);  /* the TCG fallback warning is expected */
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct vm_config cfg = base_config();
		struct qemu_host host = test_host();
		cfg.accel = cases[i].accel;
		host.kvm_usable = cases[i].kvm;
		struct strv sv = { 0 };
		char *error = NULL;
		bool ok = qemu_args_build(&cfg, &host, &sv, &error);
		CHECK_INT(ok, cases[i].error == NULL);
		if (cases[i].error) {
			CHECK_CONTAINS(error, cases[i].error);
		} else {
			CHECK_STR(arg_after(&sv, "-accel", 0), cases[i].want_accel);
			CHECK_STR(arg_after(&sv, "-cpu", 0), cases[i].want_cpu);
		}
		free(error);
		strv_free(&sv);
	}
	log_set_level(saved);
}

static void test_memory_and_cpus(void)
{
	static const struct {
		uint64_t memory;
		int cpus;
		const char *m, *smp;
	} cases[] = {
		{ 2ull << 30, 2, "2048M", "2" },
		{ 512ull << 20, 4, "512M", "4" },
		{ (1ull << 20) + 1, 1, "2M", "1" },  /* rounded up */
		{ 3ull << 29, 1, "1536M", "1" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct vm_config cfg = base_config();
		struct qemu_host host = test_host();
		cfg.memory = cases[i].memory;
		cfg.cpus = cases[i].cpus;
		struct strv sv = { 0 };
		char *error = NULL;
		CHECK(qemu_args_build(&cfg, &host, &sv, &error));
		CHECK_STR(arg_after(&sv, "-m", 0), cases[i].m);
		CHECK_STR(arg_after(&sv, "-smp", 0), cases[i].smp);
		free(error);
		strv_free(&sv);
	}
}

static void test_disk_formats(void)
{
	struct vm_disk disks[] = {
		{ .name = "sys", .file = "/vms/a.img", .format = FORMAT_AUTO,
		  .interface = DISK_VIRTIO, .line = 7 },
		{ .name = "data", .file = "/vms/b.vdi", .format = FORMAT_VDI,
		  .interface = DISK_VIRTIO, .line = 12 },
	};
	struct vm_config cfg = base_config();
	cfg.disks = disks;
	cfg.n_disks = ARRAY_SIZE(disks);
	struct qemu_host host = test_host();
	struct strv sv = { 0 };
	char *error = NULL;

	/* No detection: the AUTO disk is an error naming file, line, disk. */
	CHECK(!qemu_args_build(&cfg, &host, &sv, &error));
	CHECK_CONTAINS(error, "/vms/t.vmplay:7: disk 'sys'");
	CHECK_CONTAINS(error, "/vms/a.img");
	CHECK_CONTAINS(error, "format = qcow2, raw, vdi or vmdk");
	free(error);
	strv_free(&sv);

	/* Detected as unknown: the same error. */
	const enum disk_format unknown[] = { FORMAT_AUTO, FORMAT_AUTO };
	host.disk_formats = unknown;
	CHECK(!qemu_args_build(&cfg, &host, &sv, &error));
	CHECK_CONTAINS(error, "disk 'sys'");
	free(error);
	strv_free(&sv);

	/* Detected: raw is written out, the explicit vdi is kept. */
	const enum disk_format detected[] = { FORMAT_RAW, FORMAT_QCOW2 };
	host.disk_formats = detected;
	CHECK(qemu_args_build(&cfg, &host, &sv, &error));
	CHECK_STR(error, NULL);
	CHECK_STR(arg_after(&sv, "-drive", 0),
		  "if=none,id=hd0,node-name=disk0,format=raw,file=/vms/a.img");
	CHECK_STR(arg_after(&sv, "-drive", 1),
		  "if=none,id=hd1,node-name=disk1,format=vdi,file=/vms/b.vdi");
	CHECK_STR(arg_after(&sv, "-device", 1),
		  "virtio-blk-pci,drive=hd0,id=disk0,bootindex=0");
	CHECK_STR(arg_after(&sv, "-device", 2),
		  "virtio-blk-pci,drive=hd1,id=disk1,bootindex=1");
	free(error);
	strv_free(&sv);
}

/* readonly = true: the file is never written. IDE and SATA disks cannot be
 * read-only in QEMU, so they get a throw-away overlay instead. */
static void test_readonly(void)
{
	static const struct {
		enum disk_interface interface;
		const char *option;
	} cases[] = {
		{ DISK_VIRTIO, ",readonly=on" }, { DISK_SCSI, ",readonly=on" },
		{ DISK_IDE, ",snapshot=on" }, { DISK_SATA, ",snapshot=on" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct vm_disk disk = { .name = "ro", .file = "/vms/ro.qcow2",
					.format = FORMAT_QCOW2, .readonly = true,
					.interface = cases[i].interface,
					.line = 3 };
		struct vm_config cfg = base_config();
		cfg.disks = &disk;
		cfg.n_disks = 1;
		struct qemu_host host = test_host();
		struct strv sv = { 0 };
		char *error = NULL;
		CHECK(qemu_args_build(&cfg, &host, &sv, &error));
		const char *drive = arg_after(&sv, "-drive", 0);
		CHECK_CONTAINS(drive, cases[i].option);
		free(error);
		strv_free(&sv);
	}
}

/* pc has three IDE places for disks next to the CD (the secondary master),
 * q35 six AHCI ports shared by disks and the CD. */
static void test_ide_slots(void)
{
	static const struct {
		enum vm_machine machine;
		enum disk_interface interface;
		bool cdrom;
		size_t disks_ok;   /* this many fit, one more does not */
	} cases[] = {
		{ MACHINE_PC, DISK_IDE, true, 3 },
		{ MACHINE_PC, DISK_IDE, false, 3 },
		{ MACHINE_PC, DISK_SATA, true, 6 },
		{ MACHINE_Q35, DISK_IDE, false, 6 },
		{ MACHINE_Q35, DISK_SATA, true, 5 },
	};
	struct vm_disk disks[8];
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		for (size_t n = cases[i].disks_ok; n <= cases[i].disks_ok + 1; n++) {
			for (size_t k = 0; k < n; k++)
				disks[k] = (struct vm_disk){
					.name = "d", .file = "/vms/d.qcow2",
					.format = FORMAT_QCOW2,
					.interface = cases[i].interface,
					.line = 1 };
			struct vm_config cfg = base_config();
			cfg.machine = cases[i].machine;
			cfg.has_cdrom = cases[i].cdrom;
			cfg.disks = disks;
			cfg.n_disks = n;
			struct qemu_host host = test_host();
			struct strv sv = { 0 };
			char *error = NULL;
			bool ok = qemu_args_build(&cfg, &host, &sv, &error);
			CHECK_INT(ok, n == cases[i].disks_ok);
			if (!ok)
				CHECK_CONTAINS(error, "use interface = virtio or scsi");
			free(error);
			strv_free(&sv);
		}
	}
}

static void test_boot_order(void)
{
	static const struct {
		const char *order;
		const char *disk0, *cdrom, *nic;
	} cases[] = {
		{ "cd", "bootindex=0", "bootindex=2", NULL },
		{ "dc", "bootindex=1", "bootindex=0", NULL },
		{ "ndc", "bootindex=2", "bootindex=1", "bootindex=0" },
		{ "d", NULL, "bootindex=0", NULL },
		{ NULL, "bootindex=0", "bootindex=2", NULL },  /* default "cd" */
	};
	struct vm_disk disks[2] = {
		{ .name = "a", .file = "/vms/a.qcow2", .format = FORMAT_QCOW2,
		  .interface = DISK_VIRTIO },
		{ .name = "b", .file = "/vms/b.qcow2", .format = FORMAT_QCOW2,
		  .interface = DISK_SATA },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct vm_config cfg = base_config();
		cfg.disks = disks;
		cfg.n_disks = 2;
		cfg.has_cdrom = true;
		cfg.boot_order = (char *)cases[i].order;
		cfg.net_mode = NET_USER;
		struct qemu_host host = test_host();
		struct strv sv = { 0 };
		char *error = NULL;
		CHECK(qemu_args_build(&cfg, &host, &sv, &error));
		const char *d0 = NULL, *cd = NULL, *nic = NULL;
		for (int k = 0; arg_after(&sv, "-device", k); k++) {
			const char *dev = arg_after(&sv, "-device", k);
			if (strstr(dev, "id=disk0"))
				d0 = dev;
			else if (strstr(dev, "id=cdrom0"))
				cd = dev;
			else if (strstr(dev, "id=nic0"))
				nic = dev;
		}
		CHECK(d0 && cd && nic);
		if (!d0 || !cd || !nic)
			continue;
		if (cases[i].disk0)
			CHECK_CONTAINS(d0, cases[i].disk0);
		else
			CHECK(!strstr(d0, "bootindex"));
		CHECK_CONTAINS(cd, cases[i].cdrom);
		if (cases[i].nic)
			CHECK_CONTAINS(nic, cases[i].nic);
		else
			CHECK(!strstr(nic, "bootindex"));
		free(error);
		strv_free(&sv);
	}
}

/* The option ROM that starts a -kernel holds bootindex 0 in QEMU. */
static void test_boot_kernel(void)
{
	struct vm_disk disk = { .name = "a", .file = "/vms/a.qcow2",
				.format = FORMAT_QCOW2,
				.interface = DISK_VIRTIO };
	struct vm_config cfg = base_config();
	cfg.disks = &disk;
	cfg.n_disks = 1;
	cfg.kernel = "/vms/vmlinuz,1";
	cfg.initrd = "/vms/initrd";
	cfg.append = "console=ttyS0 a=b,c";
	struct qemu_host host = test_host();
	struct strv sv = { 0 };
	char *error = NULL;
	CHECK(qemu_args_build(&cfg, &host, &sv, &error));
	CHECK_STR(arg_after(&sv, "-device", 1),
		  "virtio-blk-pci,drive=hd0,id=disk0,bootindex=1");
	/* taken literally by QEMU: not escaped */
	CHECK_STR(arg_after(&sv, "-kernel", 0), "/vms/vmlinuz,1");
	CHECK_STR(arg_after(&sv, "-initrd", 0), "/vms/initrd");
	CHECK_STR(arg_after(&sv, "-append", 0), "console=ttyS0 a=b,c");
	free(error);
	strv_free(&sv);
}

static void test_uefi_errors(void)
{
	struct vm_config cfg = base_config();
	cfg.firmware = FIRMWARE_UEFI;
	struct qemu_host host = test_host();
	host.uefi_code = NULL;
	char *error = NULL;
	char *line = build_line(&cfg, &host, &error);
	CHECK(line == NULL);
	CHECK_CONTAINS(error, "apt-get install ovmf");
	free(error);

	host = test_host();
	host.uefi_vars = "/vms/t.efivars.qcow2";
	line = build_line(&cfg, &host, &error);
	CHECK_CONTAINS(line, "-drive if=pflash,unit=0,format=raw,readonly=on,"
		       "file=/usr/share/OVMF/OVMF_CODE_4M.fd -drive if=pflash,"
		       "unit=1,format=qcow2,node-name=efivars,"
		       "file=/vms/t.efivars.qcow2");
	free(line);
	free(error);
}

static void test_audio(void)
{
	static const struct {
		enum audio_backend backend, host_auto;
		enum audio_device device;
		enum vm_machine machine;
		const char *audiodev, *device0;
	} cases[] = {
		{ AUDIO_AUTO, AUDIO_PA, SOUND_HDA, MACHINE_PC, "pa,id=snd0", "intel-hda,id=sound0" },
		{ AUDIO_AUTO, AUDIO_ALSA, SOUND_HDA, MACHINE_Q35, "alsa,id=snd0", "ich9-intel-hda,id=sound0" },
		{ AUDIO_AUTO, AUDIO_NONE, SOUND_AC97, MACHINE_PC, "none,id=snd0", "AC97,audiodev=snd0,id=sound0" },
		{ AUDIO_SDL, AUDIO_PA, SOUND_AC97, MACHINE_PC, "sdl,id=snd0", "AC97,audiodev=snd0,id=sound0" },
		{ AUDIO_NONE, AUDIO_PA, SOUND_HDA, MACHINE_PC, "none,id=snd0", "intel-hda,id=sound0" },
		{ AUDIO_PA, AUDIO_PA, SOUND_NONE, MACHINE_PC, NULL, NULL },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct vm_config cfg = base_config();
		cfg.audio_backend = cases[i].backend;
		cfg.audio_device = cases[i].device;
		cfg.machine = cases[i].machine;
		struct qemu_host host = test_host();
		host.audio_auto = cases[i].host_auto;
		struct strv sv = { 0 };
		char *error = NULL;
		CHECK(qemu_args_build(&cfg, &host, &sv, &error));
		CHECK_STR(arg_after(&sv, "-audiodev", 0), cases[i].audiodev);
		/* device 0 is the display */
		CHECK_STR(arg_after(&sv, "-device", 1), cases[i].device0);
		free(error);
		strv_free(&sv);
	}
}

static void test_no_tcp_listener(void)
{
	struct vm_forward fwd[] = { { false, 2222, 22 }, { true, 5353, 53 } };
	struct vm_config cfg = base_config();
	cfg.net_mode = NET_USER;
	cfg.net_model = NIC_VIRTIO;
	cfg.forwards = fwd;
	cfg.n_forwards = 2;
	cfg.pointer = POINTER_TABLET;
	struct qemu_host host = test_host();
	struct strv sv = { 0 };
	char *error = NULL;
	CHECK(qemu_args_build(&cfg, &host, &sv, &error));
	CHECK_STR(arg_after(&sv, "-netdev", 0),
		  "user,id=net0,hostfwd=tcp:127.0.0.1:2222-:22,"
		  "hostfwd=udp:127.0.0.1:5353-:53");
	CHECK(!has_arg(&sv, "-k"));
	CHECK(!has_arg(&sv, "-monitor"));
	CHECK(!has_arg(&sv, "-serial"));
	CHECK(!has_arg(&sv, "-spice"));
	CHECK(!has_arg(&sv, "-gdb") && !has_arg(&sv, "-s"));
	CHECK(has_arg(&sv, "usb-tablet,bus=usb0.0,id=tablet0"));
	free(error);
	strv_free(&sv);
}

static void test_binary_override(void)
{
	const char *saved = getenv("VMPLAY_QEMU");
	char *copy = saved ? xstrdup(saved) : NULL;
	unsetenv("VMPLAY_QEMU");
	CHECK_STR(qemu_binary(), "qemu-system-x86_64");
	setenv("VMPLAY_QEMU", "", 1);
	CHECK_STR(qemu_binary(), "qemu-system-x86_64");
	setenv("VMPLAY_QEMU", "/opt/qemu/bin/qemu-system-x86_64", 1);
	CHECK_STR(qemu_binary(), "/opt/qemu/bin/qemu-system-x86_64");
	struct qemu_host host;
	memset(&host, 0xa5, sizeof(host));  /* detect must set every field */
	qemu_host_detect(&host);
	CHECK(host.vnc_socket == NULL && host.qmp_socket == NULL);
	CHECK(host.uefi_vars == NULL && host.disk_formats == NULL);
	CHECK_STR(host.qemu_binary, "/opt/qemu/bin/qemu-system-x86_64");
	CHECK(host.audio_auto != AUDIO_AUTO);
	CHECK(host.kvm_usable == (host.kvm_problem == NULL));
	if (copy)
		setenv("VMPLAY_QEMU", copy, 1);
	else
		unsetenv("VMPLAY_QEMU");
	free(copy);
}

static void test_uefi_vars(void)
{
	struct vm_config cfg = base_config();
	cfg.path = "/vms/my,vm/debian.vmplay";
	cfg.dir = "/vms/my,vm";
	char *path = qemu_uefi_vars_path(&cfg);
	CHECK_STR(path, "/vms/my,vm/debian.efivars.qcow2");
	free(path);

	/* Made once from the template, never overwritten. */
	char dir[] = "/tmp/vmplay-test-qemu-args-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char *template_path = path_join(dir, "VARS.fd");
	char *vars = path_join(dir, "t.efivars.qcow2");
	char zeros[65536] = { 0 };
	CHECK(write_file_atomic(template_path, zeros, sizeof(zeros), false));
	char *error = NULL;
	CHECK(qemu_uefi_vars_prepare(template_path, vars, &error));
	CHECK_STR(error, NULL);
	size_t len = 0;
	char *data = read_file(vars, 1 << 20, &len);
	CHECK(data && len > 4 && memcmp(data, "QFI\xfb", 4) == 0);
	free(data);
	CHECK(write_file_atomic(vars, "mine", 4, true));
	CHECK(qemu_uefi_vars_prepare(template_path, vars, &error));
	data = read_file(vars, 1 << 20, &len);
	CHECK(data && len == 4 && memcmp(data, "mine", 4) == 0);
	free(data);
	unlink(vars);
	/* A template qemu-img cannot read: says which, makes nothing. */
	char *missing = path_join(dir, "NO_VARS.fd");
	CHECK(!qemu_uefi_vars_prepare(missing, vars, &error));
	CHECK_CONTAINS(error, "NO_VARS.fd");
	CHECK(!path_exists(vars));
	free(error);
	free(missing);
	/* No template: says what to install. */
	CHECK(!qemu_uefi_vars_prepare(NULL, vars, &error));
	CHECK_CONTAINS(error, "apt-get install ovmf");
	free(error);
	unlink(template_path);
	free(template_path);
	free(vars);
	/* the temporary folder must be empty now */
	CHECK(rmdir(dir) == 0);
}

/* What launch.c and the dry run call: formats detected from the files,
 * the UEFI store made only when asked. */
static void test_build_local(void)
{
	char dir[] = "/tmp/vmplay-test-qemu-local-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char *template_path = path_join(dir, "template.fd");
	char *image = path_join(dir, "sys.qcow2");
	char *vm = path_join(dir, "t.vmplay");
	char zeros[65536] = { 0 };
	CHECK(write_file_atomic(template_path, zeros, sizeof(zeros), false));
	char *error = NULL;
	CHECK(qemu_uefi_vars_prepare(template_path, image, &error));
	free(error);

	struct vm_disk disk = { .name = "sys", .file = image,
				.format = FORMAT_AUTO,
				.interface = DISK_VIRTIO, .line = 2 };
	struct vm_config cfg = base_config();
	cfg.path = vm;
	cfg.dir = dir;
	cfg.disks = &disk;
	cfg.n_disks = 1;
	cfg.firmware = FIRMWARE_UEFI;
	struct strv sv = { 0 };
	struct qemu_host host;
	qemu_host_detect(&host);
	char *vars = qemu_uefi_vars_path(&cfg);
	bool ok = qemu_args_build_local(&cfg, "/run/v.sock", "/run/q.sock",
					false, NULL, &sv, &error);
	if (host.uefi_code) {
		CHECK(ok);
		CHECK_CONTAINS(arg_after(&sv, "-drive", 2), ",format=qcow2,");
		CHECK_CONTAINS(arg_after(&sv, "-drive", 1), vars);
		CHECK(!path_exists(vars));   /* a dry run creates nothing */
		strv_free(&sv);
		CHECK(qemu_args_build_local(&cfg, "/run/v.sock", "/run/q.sock",
					    true, NULL, &sv, &error));
		CHECK(path_exists(vars));
	} else {
		CHECK(!ok);
		CHECK_CONTAINS(error, "apt-get install ovmf");
	}
	free(error);
	strv_free(&sv);
	unlink(vars);
	unlink(image);
	unlink(template_path);
	CHECK(rmdir(dir) == 0);
	free(vars);
	free(vm);
	free(image);
	free(template_path);
}

/* ---- golden files: tests/golden/NAME.vmplay -> NAME.args ---- */

/* Relative to the top of the tree, where make runs the tests;
 * VMPLAY_GOLDEN_DIR overrides. */
#define GOLDEN_DIR_DEFAULT "tests/golden"

/* Replaces every occurrence of dir in s by "$DIR". Caller frees. */
static char *with_dir_var(const char *s, const char *dir)
{
	size_t dlen = strlen(dir);
	char *out = xmalloc(strlen(s) * 4 + 8), *o = out;
	while (*s) {
		if (dlen && strncmp(s, dir, dlen) == 0) {
			memcpy(o, "$DIR", 4);
			o += 4;
			s += dlen;
		} else {
			*o++ = *s++;
		}
	}
	*o = '\0';
	return out;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* One golden case: returns false (after printing why) on a mismatch. With
 * VMPLAY_GOLDEN_UPDATE=1 the .args file is written instead. */
static bool golden_case(const char *dir, const char *name)
{
	char *vm_path = xasprintf("%s/%s.vmplay", dir, name);
	char *args_path = xasprintf("%s/%s.args", dir, name);
	char *error = NULL;
	bool ok = false;
	struct strv sv = { 0 };
	struct vm_config *cfg = config_load(vm_path, &error);
	if (!cfg) {
		printf("  %s: %s\n", vm_path, error);
		goto out;
	}
	/* The stand-in for disk_detect_format: every undeclared format is
	 * qcow2. */
	enum disk_format *formats = xcalloc(cfg->n_disks + 1, sizeof(*formats));
	for (size_t i = 0; i < cfg->n_disks; i++)
		formats[i] = cfg->disks[i].format == FORMAT_AUTO
			? FORMAT_QCOW2 : cfg->disks[i].format;
	struct qemu_host host = test_host();
	host.disk_formats = formats;
	char *vars = qemu_uefi_vars_path(cfg);
	host.uefi_vars = vars;
	bool built = qemu_args_build(cfg, &host, &sv, &error);
	free(vars);
	free(formats);
	if (!built) {
		printf("  %s: %s\n", vm_path, error);
		goto out;
	}
	size_t len = 0;
	for (size_t i = 0; i < sv.n; i++) {
		char *line = with_dir_var(sv.v[i], cfg->dir);
		free(sv.v[i]);
		sv.v[i] = line;
		len += strlen(line) + 1;
	}
	char *want = xmalloc(len + 1), *w = want;
	for (size_t i = 0; i < sv.n; i++)
		w += sprintf(w, "%s\n", sv.v[i]);
	const char *update = getenv("VMPLAY_GOLDEN_UPDATE");
	if (update && strcmp(update, "1") == 0) {
		ok = write_file_atomic(args_path, want, len, true);
		printf("  wrote %s\n", args_path);
		free(want);
		goto out;
	}
	size_t have_len = 0;
	char *have = read_file(args_path, 1 << 20, &have_len);
	if (!have) {
		printf("  %s: cannot read it (VMPLAY_GOLDEN_UPDATE=1 writes "
		       "it)\n", args_path);
		free(want);
		goto out;
	}
	ok = strcmp(have, want) == 0;
	if (!ok) {
		/* Show the first line that differs. */
		const char *a = have, *b = want;
		size_t start = 0, k = 0;
		int line = 1;
		for (; a[k] && a[k] == b[k]; k++) {
			if (a[k] == '\n') {
				line++;
				start = k + 1;
			}
		}
		a += start;
		b += start;
		printf("  %s:%d differs from the built command line:\n"
		       "    file:  %.*s\n    built: %.*s\n", args_path, line,
		       (int)strcspn(a, "\n"), a, (int)strcspn(b, "\n"), b);
	}
	free(have);
	free(want);
out:
	strv_free(&sv);
	config_destroy(cfg);
	free(error);
	free(vm_path);
	free(args_path);
	return ok;
}

static void test_golden(void)
{
	const char *dir = getenv("VMPLAY_GOLDEN_DIR");
	if (!dir || !*dir)
		dir = GOLDEN_DIR_DEFAULT;
	DIR *d = opendir(dir);
	CHECK(d != NULL);
	if (!d) {
		printf("  cannot open %s (run from the top of the tree)\n", dir);
		return;
	}
	struct strv names = { 0 };
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (n > 7 && strcmp(e->d_name + n - 7, ".vmplay") == 0) {
			char *base = xstrndup(e->d_name, n - 7);
			strv_push(&names, base);
			free(base);
		}
	}
	closedir(d);
	CHECK(names.n >= 12);
	qsort(names.v, names.n, sizeof(char *), compare_names);
	enum log_level saved = log_get_level();
	log_set_level(LOG_ERROR);  /* the TCG fallback warning is expected */
	for (size_t i = 0; i < names.n; i++) {
		bool ok = golden_case(dir, names.v[i]);
		printf("  golden %-12s %s\n", names.v[i], ok ? "ok" : "FAILED");
		CHECK(ok);
	}
	log_set_level(saved);
	strv_free(&names);
}

/* A PVM-only KVM (as in some cloud sandboxes) is not usable for ordinary
 * guests; kvm_intel or kvm_amd is. */
static void test_kvm_module_problem(void)
{
	static const struct {
		const char *modules[3];
		bool problem;
	} cases[] = {
		{ { "kvm", "kvm_intel" }, false },
		{ { "kvm", "kvm_amd" }, false },
		{ { "kvm", "kvm_pvm" }, true },
		{ { "kvm", "kvm_pvm", "kvm_intel" }, false },
		{ { "kvm" }, false },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char dir[] = "/tmp/vmplay-sysmod-XXXXXX";
		CHECK(mkdtemp(dir) != NULL);
		for (size_t m = 0; m < 3 && cases[i].modules[m]; m++) {
			char *sub = path_join(dir, cases[i].modules[m]);
			CHECK(mkdir(sub, 0700) == 0);
			free(sub);
		}
		const char *problem = qemu_kvm_module_problem(dir);
		CHECK_INT(problem != NULL, cases[i].problem);
		if (cases[i].problem)
			CHECK_CONTAINS(problem, "kvm_pvm");
		for (size_t m = 0; m < 3 && cases[i].modules[m]; m++) {
			char *sub = path_join(dir, cases[i].modules[m]);
			rmdir(sub);
			free(sub);
		}
		rmdir(dir);
	}
}

/* The clipboard: qemu-vdagent on the SPICE agent's port when enabled (the
 * default with the virtio display, also when kiosk mode is on but the file
 * says so), nothing of it when disabled, by default with another display,
 * or in kiosk mode by default. */
static void test_clipboard(void)
{
	static const struct {
		bool given, enabled, kiosk, want;
		bool virtio;
	} cases[] = {
		{ false, false, false, false, false },  /* default, std display */
		{ false, false, false, true, true },    /* default, virtio */
		{ false, false, true, false, false },   /* kiosk default */
		{ true, true, true, true, false },      /* kiosk, asked for */
		{ true, false, false, false, false },   /* off */
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct vm_config cfg = base_config();
		struct qemu_host host = test_host();
		cfg.clipboard_given = cases[i].given;
		cfg.clipboard = cases[i].enabled;
		cfg.kiosk = cases[i].kiosk;
		if (cases[i].virtio)
			cfg.display_device = DISPLAY_VIRTIO;
		CHECK(config_clipboard(&cfg) == cases[i].want);
		char *error = NULL;
		char *line = build_line(&cfg, &host, &error);
		CHECK_STR(error, NULL);
		if (cases[i].want) {
			CHECK_CONTAINS(line, " -device virtio-serial-pci,id=vserial0"
				       " -chardev qemu-vdagent,id=vdagent0,name=vdagent,"
				       "clipboard=on,mouse=off -device virtserialport,"
				       "bus=vserial0.0,chardev=vdagent0,"
				       "name=com.redhat.spice.0,id=agent0");
		} else {
			CHECK(line && !strstr(line, "vdagent") &&
			      !strstr(line, "virtio-serial"));
		}
		free(line);
		free(error);
	}
}

int main(void)
{
	RUN(test_escape);
	RUN(test_kvm_module_problem);
	RUN(test_minimal_line);
	RUN(test_accel);
	RUN(test_memory_and_cpus);
	RUN(test_disk_formats);
	RUN(test_readonly);
	RUN(test_ide_slots);
	RUN(test_boot_order);
	RUN(test_boot_kernel);
	RUN(test_uefi_errors);
	RUN(test_audio);
	RUN(test_no_tcp_listener);
	RUN(test_binary_override);
	RUN(test_uefi_vars);
	RUN(test_build_local);
	RUN(test_clipboard);
	RUN(test_golden);
	return TEST_REPORT();
}
