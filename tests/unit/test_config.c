#include "test.h"

#include "base/util.h"
#include "player/bindings.h"
#include "vm/config.h"

#include <stddef.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* Every test file pretends to live in /vms, so relative paths resolve
 * there. */
#define VM_PATH "/vms/demo.vmplay"

static struct vm_config *parse(const char *text, char **error)
{
	return config_parse(VM_PATH, text, strlen(text), error);
}

/* Parses text that must be valid; prints the error when it is not. */
static struct vm_config *parse_ok(const char *text)
{
	char *error = NULL;
	struct vm_config *cfg = parse(text, &error);
	if (!cfg)
		printf("  unexpected error:\n%s\n", error);
	CHECK(cfg != NULL);
	CHECK(error == NULL);
	free(error);
	return cfg;
}

/* The error text for an invalid file ("" when it parsed). Caller frees. */
static char *parse_error(const char *text)
{
	char *error = NULL;
	struct vm_config *cfg = parse(text, &error);
	CHECK(cfg == NULL);
	config_destroy(cfg);
	return error ? error : xstrdup("");
}

static void test_defaults(void)
{
	struct vm_config *cfg = parse_ok("[vm]\n");
	if (!cfg)
		return;
	CHECK_STR(cfg->path, VM_PATH);
	CHECK_STR(cfg->dir, "/vms");
	CHECK_STR(cfg->name, "demo");
	CHECK(cfg->uuid == NULL);
	CHECK_INT(cfg->memory, 1ull << 30);
	CHECK_INT(cfg->cpus, 1);
	CHECK_INT(cfg->machine, MACHINE_Q35);
	CHECK_INT(cfg->accel, ACCEL_AUTO);
	CHECK_INT(cfg->firmware, FIRMWARE_BIOS);
	CHECK_INT(cfg->n_disks, 0);
	CHECK(!cfg->has_cdrom);
	CHECK(cfg->cdrom_file == NULL);
	CHECK_STR(cfg->boot_order, "c");
	CHECK(cfg->kernel == NULL && cfg->initrd == NULL && cfg->append == NULL);
	CHECK_INT(cfg->net_mode, NET_USER);
	CHECK_INT(cfg->net_model, NIC_E1000);
	CHECK_INT(cfg->n_forwards, 0);
	CHECK_INT(cfg->display_device, DISPLAY_STD);
	CHECK_INT(cfg->scale, SCALE_FIT);
	CHECK(!cfg->fullscreen);
	CHECK_INT(cfg->audio_backend, AUDIO_AUTO);
	CHECK_INT(cfg->audio_device, SOUND_HDA);
	CHECK_INT(cfg->pointer, POINTER_TABLET);
	CHECK_INT(cfg->n_keys, 0);
	CHECK(!cfg->kiosk);
	CHECK_INT(cfg->n_kiosk_allow, 0);
	CHECK(cfg->kiosk_pin == NULL);
	CHECK_INT(cfg->restart_delay_ms, 2000);
	CHECK_INT(cfg->max_restarts, 0);
	CHECK(!cfg->kiosk_reset);
	CHECK_INT(cfg->n_qemu_args, 0);
	CHECK(cfg->qemu_args == NULL);
	CHECK_INT(cfg->qemu_args_line, 0);
	config_destroy(cfg);
}

/* The example of ARCHITECTURE.md, comments after section headers and
 * values included. */
/* Defaults that depend on other keys: the clipboard is on unless kiosk
 * mode (also turned on after loading, as --kiosk does) and the file does
 * not say otherwise; the guest follows the window with a virtio display. */
static void test_guest_desktop_defaults(void)
{
	static const struct {
		const char *text;
		bool clipboard, kiosk_clipboard, resize;
	} cases[] = {
		/* on by default only with the virtio display: QEMU 7.2 cannot
		 * snapshot memory with the clipboard channel */
		{ "[vm]\n", false, false, false },
		{ "[kiosk]\nenabled = true\n", false, false, false },
		{ "[clipboard]\nenabled = false\n", false, false, false },
		{ "[clipboard]\nenabled = true\n", true, true, false },
		{ "[display]\ndevice = virtio\n", true, false, true },
		{ "[display]\ndevice = virtio\nresize-guest = false\n", true,
		  false, false },
		{ "[display]\ndevice = std\nresize-guest = true\n", false, false,
		  true },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct vm_config *cfg = parse_ok(cases[i].text);
		CHECK(cfg != NULL);
		if (!cfg)
			continue;
		if (config_clipboard(cfg) != cases[i].clipboard ||
		    config_resize_guest(cfg) != cases[i].resize)
			printf("  case %zu: %s\n", i, cases[i].text);
		CHECK(config_clipboard(cfg) == cases[i].clipboard);
		CHECK(config_resize_guest(cfg) == cases[i].resize);
		cfg->kiosk = true;   /* --kiosk */
		CHECK(config_clipboard(cfg) == cases[i].kiosk_clipboard);
		config_destroy(cfg);
	}
	char *error = NULL;
	struct vm_config *cfg = parse("[clipboard]\nenabled = maybe\n", &error);
	CHECK(cfg == NULL);
	CHECK_CONTAINS(error, ":2:");
	free(error);
}

static void test_blueprint_example(void)
{
	char *error = NULL;
	struct vm_config *cfg = config_load("tests/config/blueprint.vmplay", &error);
	if (!cfg)
		printf("  %s\n", error);
	CHECK(cfg != NULL);
	free(error);
	if (!cfg)
		return;
	CHECK_STR(cfg->name, "debian");
	CHECK_INT(cfg->memory, 2ull << 30);
	CHECK_INT(cfg->cpus, 2);
	CHECK_INT(cfg->n_disks, 1);
	CHECK_STR(cfg->disks[0].name, "system");
	CHECK_INT(cfg->disks[0].format, FORMAT_QCOW2);
	CHECK_INT(cfg->disks[0].size, 25ull << 30);
	CHECK_INT(cfg->disks[0].interface, DISK_VIRTIO);
	CHECK(cfg->disks[0].file[0] == '/');
	CHECK(strstr(cfg->disks[0].file, "/tests/config/debian.qcow2") != NULL);
	CHECK(cfg->has_cdrom);
	CHECK(strstr(cfg->cdrom_file, "/tests/config/debian-12.iso") != NULL);
	CHECK_STR(cfg->boot_order, "cd");
	CHECK(cfg->kernel == NULL);
	CHECK_INT(cfg->n_forwards, 2);
	CHECK_INT(cfg->n_keys, 4);
	CHECK_INT(cfg->n_qemu_args, 0);
	config_destroy(cfg);
}

static void test_every_key(void)
{
	struct vm_config *cfg = parse_ok(
		"; a comment\n"
		"# another\n"
		"[vm]\n"
		"name = My VM\n"
		"uuid = 123E4567-e89b-12d3-a456-426614174000\n"
		"memory = 1536M\n"
		"cpus = 4\n"
		"machine = pc\n"
		"accel = tcg\n"
		"firmware = uefi\n"
		"\n"
		"[disk.system]\n"
		"file = system.qcow2\n"
		"format = qcow2\n"
		"size = 25G\n"
		"interface = sata\n"
		"readonly = false\n"
		"[disk.Data-2]\n"
		"file = /srv/data.img\n"
		"format = raw\n"
		"interface = ide\n"
		"readonly = yes\n"
		"[disk.third]\n"
		"file = ~/vm/third.vdi\n"
		"[cdrom]\n"
		"file = iso/install.iso\n"
		"[boot]\n"
		"order = DC\n"
		"kernel = ./vmlinuz\n"
		"initrd = initrd.img\n"
		"append = console=ttyS0 root=/dev/vda1 quiet\n"
		"[network]\n"
		"mode = user\n"
		"model = virtio\n"
		"forward = tcp:2222:22, udp:5353:53 ,TCP:8080:80\n"
		"[display]\n"
		"device = qxl\n"
		"scale = integer\n"
		"fullscreen = on\n"
		"[audio]\n"
		"backend = pa\n"
		"device = ac97\n"
		"[input]\n"
		"pointer = ps2\n"
		"[keys]\n"
		"menu = ctrl+alt+x\n"
		"pause = none\n"
		"[kiosk]\n"
		"enabled = true\n"
		"allow = fullscreen, Pause\n"
		"pin = 1234\n"
		"restart-delay = 500ms\n"
		"max-restarts = 5\n"
		"reset = 1\n"
		"[qemu]\n"
		"args = -device 'virtio-rng-pci' -append \"a b;c\" x\\ y ; comment\n");
	if (!cfg)
		return;
	CHECK_STR(cfg->name, "My VM");
	CHECK_STR(cfg->uuid, "123e4567-e89b-12d3-a456-426614174000");
	CHECK_INT(cfg->memory, 1536ull << 20);
	CHECK_INT(cfg->cpus, 4);
	CHECK_INT(cfg->machine, MACHINE_PC);
	CHECK_INT(cfg->accel, ACCEL_TCG);
	CHECK_INT(cfg->firmware, FIRMWARE_UEFI);

	CHECK_INT(cfg->n_disks, 3);
	if (cfg->n_disks == 3) {
		CHECK_STR(cfg->disks[0].name, "system");
		CHECK_STR(cfg->disks[0].file, "/vms/system.qcow2");
		CHECK_INT(cfg->disks[0].format, FORMAT_QCOW2);
		CHECK_INT(cfg->disks[0].size, 25ull << 30);
		CHECK_INT(cfg->disks[0].interface, DISK_SATA);
		CHECK(!cfg->disks[0].readonly);
		CHECK_INT(cfg->disks[0].line, 12);
		CHECK_STR(cfg->disks[1].name, "Data-2");
		CHECK_STR(cfg->disks[1].file, "/srv/data.img");
		CHECK_INT(cfg->disks[1].format, FORMAT_RAW);
		CHECK_INT(cfg->disks[1].size, 0);
		CHECK_INT(cfg->disks[1].interface, DISK_IDE);
		CHECK(cfg->disks[1].readonly);
		CHECK_INT(cfg->disks[1].line, 18);
		CHECK_STR(cfg->disks[2].name, "third");
		const char *home = getenv("HOME");
		if (home && *home) {
			char *want = path_join(home, "vm/third.vdi");
			CHECK_STR(cfg->disks[2].file, want);
			free(want);
		}
		CHECK_INT(cfg->disks[2].format, FORMAT_AUTO);
		CHECK_INT(cfg->disks[2].interface, DISK_VIRTIO);
	}
	CHECK(cfg->has_cdrom);
	CHECK_STR(cfg->cdrom_file, "/vms/iso/install.iso");
	CHECK_INT(cfg->cdrom_line, 25);
	CHECK_STR(cfg->boot_order, "dc");
	CHECK_STR(cfg->kernel, "/vms/vmlinuz");
	CHECK_STR(cfg->initrd, "/vms/initrd.img");
	CHECK_STR(cfg->append, "console=ttyS0 root=/dev/vda1 quiet");
	CHECK_INT(cfg->kernel_line, 29);
	CHECK_INT(cfg->initrd_line, 30);
	CHECK_INT(cfg->net_mode, NET_USER);
	CHECK_INT(cfg->net_model, NIC_VIRTIO);
	CHECK_INT(cfg->n_forwards, 3);
	if (cfg->n_forwards == 3) {
		CHECK(!cfg->forwards[0].udp);
		CHECK_INT(cfg->forwards[0].host_port, 2222);
		CHECK_INT(cfg->forwards[0].guest_port, 22);
		CHECK(cfg->forwards[1].udp);
		CHECK_INT(cfg->forwards[1].host_port, 5353);
		CHECK_INT(cfg->forwards[1].guest_port, 53);
		CHECK(!cfg->forwards[2].udp);
		CHECK_INT(cfg->forwards[2].host_port, 8080);
	}
	CHECK_INT(cfg->display_device, DISPLAY_QXL);
	CHECK_INT(cfg->scale, SCALE_INTEGER);
	CHECK(cfg->fullscreen);
	CHECK_INT(cfg->audio_backend, AUDIO_PA);
	CHECK_INT(cfg->audio_device, SOUND_AC97);
	CHECK_INT(cfg->pointer, POINTER_PS2);
	CHECK_INT(cfg->n_keys, 2);
	if (cfg->n_keys == 2) {
		CHECK_STR(cfg->keys[0].action, "menu");
		CHECK_STR(cfg->keys[0].spec, "ctrl+alt+x");
		CHECK_INT(cfg->keys[0].line, 46);
		CHECK_STR(cfg->keys[1].action, "pause");
		CHECK_STR(cfg->keys[1].spec, "none");
	}
	CHECK(cfg->kiosk);
	CHECK_INT(cfg->n_kiosk_allow, 2);
	if (cfg->n_kiosk_allow == 2) {
		CHECK_STR(cfg->kiosk_allow[0], "fullscreen");
		CHECK_STR(cfg->kiosk_allow[1], "pause");
	}
	CHECK_STR(cfg->kiosk_pin, "1234");
	CHECK_INT(cfg->restart_delay_ms, 500);
	CHECK_INT(cfg->max_restarts, 5);
	CHECK(cfg->kiosk_reset);
	CHECK_INT(cfg->n_qemu_args, 5);
	if (cfg->n_qemu_args == 5) {
		CHECK_STR(cfg->qemu_args[0], "-device");
		CHECK_STR(cfg->qemu_args[1], "virtio-rng-pci");
		CHECK_STR(cfg->qemu_args[2], "-append");
		CHECK_STR(cfg->qemu_args[3], "a b;c");
		CHECK_STR(cfg->qemu_args[4], "x y");
		CHECK(cfg->qemu_args[5] == NULL);
	}
	CHECK_INT(cfg->qemu_args_line, 56);
	config_destroy(cfg);
}

/* Each invalid file and the exact text of every message it gets. */
static void test_errors(void)
{
	static const struct {
		const char *text;
		const char *error;
	} cases[] = {
		/* [vm] */
		{ "[vm]\nmemory = 2X\n",
		  "/vms/demo.vmplay:2: memory: '2X' is not a size (examples: 512M, 2G)" },
		{ "[vm]\nmemory = 8M\n",
		  "/vms/demo.vmplay:2: memory: '8M' is too small (at least 16M)" },
		{ "[vm]\nmemory = 17T\n",
		  "/vms/demo.vmplay:2: memory: '17T' is too large (at most 16T)" },
		{ "[vm]\nmemory = 1000000000\n",
		  "/vms/demo.vmplay:2: memory: '1000000000' is not a whole number of megabytes (examples: 512M, 2G)" },
		{ "[vm]\nmemroy = 2G\n",
		  "/vms/demo.vmplay:2: unknown key 'memroy' in [vm] (did you mean 'memory'?)" },
		{ "[vm]\nmem = 2G\n",
		  "/vms/demo.vmplay:2: unknown key 'mem' in [vm] (did you mean 'memory'?)" },
		{ "[vm]\nspeed = 2\n",
		  "/vms/demo.vmplay:2: unknown key 'speed' in [vm] (known keys: name, uuid, memory, cpus, machine, accel, firmware)" },
		{ "[vm]\ncpus = 0\n",
		  "/vms/demo.vmplay:2: cpus: '0' is out of range (1-255)" },
		{ "[vm]\ncpus = 256\n",
		  "/vms/demo.vmplay:2: cpus: '256' is out of range (1-255)" },
		{ "[vm]\ncpus = two\n",
		  "/vms/demo.vmplay:2: cpus: 'two' is not a whole number (1-255)" },
		{ "[vm]\ncpus = 99999999999999999999999\n",
		  "/vms/demo.vmplay:2: cpus: '99999999999999999999999' is out of range (1-255)" },
		{ "[vm]\ncpus = 2.5\n",
		  "/vms/demo.vmplay:2: cpus: '2.5' is not a whole number (1-255)" },
		{ "[vm]\nmachine = i440fx\n",
		  "/vms/demo.vmplay:2: machine: 'i440fx' is not valid (one of: q35, pc)" },
		{ "[vm]\naccel = hvf\n",
		  "/vms/demo.vmplay:2: accel: 'hvf' is not valid (one of: auto, kvm, tcg)" },
		{ "[vm]\nfirmware = efi\n",
		  "/vms/demo.vmplay:2: firmware: 'efi' is not valid (one of: bios, uefi)" },
		{ "[vm]\nuuid = 1234\n",
		  "/vms/demo.vmplay:2: uuid: '1234' is not a UUID (like 123e4567-e89b-12d3-a456-426614174000)" },
		{ "[vm]\nuuid = 123e4567-e89b-12d3-a456-42661417400g\n",
		  "/vms/demo.vmplay:2: uuid: '123e4567-e89b-12d3-a456-42661417400g' is not a UUID (like 123e4567-e89b-12d3-a456-426614174000)" },
		{ "[vm]\nname = a/b\n",
		  "/vms/demo.vmplay:2: name: 'a/b' is not a VM name (at most 64 characters, no '/')" },
		{ "[vm]\nname = \"abc\n",
		  "/vms/demo.vmplay:2: name: unclosed \" quote (a quoted value ends with the same quote on the same line)" },
		{ "[vm]\nname = \"a\" b\n",
		  "/vms/demo.vmplay:2: name: text after the closing quote in '\"a\" b' (quote the whole value)" },
		{ "[vm]\ncpus = 2\ncpus = 3\n",
		  "/vms/demo.vmplay:3: cpus: set a second time in [vm] (first on line 2)" },
		{ "[vm]\n[vm]\n",
		  "/vms/demo.vmplay:2: [vm] appears a second time (first on line 1); put its keys in one section" },
		/* sections */
		{ "[vmm]\nx = 1\n",
		  "/vms/demo.vmplay:1: unknown section [vmm] (did you mean [vm]?)" },
		{ "[hardware]\n",
		  "/vms/demo.vmplay:1: unknown section [hardware] (known sections: vm, disk.NAME, cdrom, boot, network, display, audio, input, keys, kiosk, clipboard, qemu, libvirt, connections)" },
		{ "[disks.system]\nfile = a\n",
		  "/vms/demo.vmplay:1: unknown section [disks.system] (did you mean [disk.system]?)" },
		{ "[disk]\nfile = a\n",
		  "/vms/demo.vmplay:1: [disk] needs a name: [disk.NAME], for example [disk.system]" },
		/* [disk.NAME] */
		{ "[disk.system]\nformat = qcow2\n",
		  "/vms/demo.vmplay:1: [disk.system] has no file (file = the path of its disk image)" },
		{ "[disk.system]\nfile =\n",
		  "/vms/demo.vmplay:2: file: is empty (the path of the disk image)" },
		{ "[disk.a]\nfile = a\n[disk.A]\nfile = b\n",
		  "/vms/demo.vmplay:3: a disk named 'a' is already on line 1 (disk names must differ)" },
		{ "[disk.my disk]\nfile = a\n",
		  "/vms/demo.vmplay:1: [disk.my disk]: the disk name 'my disk' contains ' ' (accepted: up to 32 letters, digits, '-' and '_', starting with a letter)" },
		{ "[disk.1st]\nfile = a\n",
		  "/vms/demo.vmplay:1: [disk.1st]: the disk name '1st' does not start with a letter (accepted: up to 32 letters, digits, '-' and '_', starting with a letter)" },
		{ "[disk.a]\nfile = a\nformat = qcow\n",
		  "/vms/demo.vmplay:3: format: 'qcow' is not valid (one of: auto, qcow2, raw, vdi, vmdk)" },
		{ "[disk.a]\nfile = a\ninterface = nvme\n",
		  "/vms/demo.vmplay:3: interface: 'nvme' is not valid (one of: virtio, ide, sata, scsi)" },
		{ "[disk.a]\nfile = a\nsize = big\n",
		  "/vms/demo.vmplay:3: size: 'big' is not a size (examples: 512M, 20G)" },
		{ "[disk.a]\nfile = a\nsize = 10\n",
		  "/vms/demo.vmplay:3: size: '10' has no unit: did you mean 10G? (sizes take K, M, G or T, powers of 1024; B for bytes)" },
		{ "[disk.a]\nfile = a\nsize = 0\n",
		  "/vms/demo.vmplay:3: size: '0' must be more than zero" },
		{ "[disk.a]\nfile = a\nreadonly = maybe\n",
		  "/vms/demo.vmplay:3: readonly: 'maybe' is not a boolean (true or false)" },
		{ "[disk.a]\nfil = a\n",
		  "/vms/demo.vmplay:1: [disk.a] has no file (file = the path of its disk image)\n"
		  "/vms/demo.vmplay:2: unknown key 'fil' in [disk.a] (did you mean 'file'?)" },
		/* [cdrom], [boot] */
		{ "[cdrom]\niso = x.iso\n",
		  "/vms/demo.vmplay:2: unknown key 'iso' in [cdrom] (known keys: file)" },
		{ "[boot]\norder = cx\n",
		  "/vms/demo.vmplay:2: order: 'x' in 'cx' is not a boot device (c disk, d cdrom, n network)" },
		{ "[boot]\norder = cdc\n",
		  "/vms/demo.vmplay:2: order: 'c' appears twice in 'cdc'" },
		{ "[boot]\ninitrd = initrd.img\nappend = quiet\n",
		  "/vms/demo.vmplay:2: initrd: needs kernel in [boot] (direct kernel boot)\n"
		  "/vms/demo.vmplay:3: append: needs kernel in [boot] (the command line of a directly booted kernel)" },
		/* [network] */
		{ "[network]\nmode = bridge\n",
		  "/vms/demo.vmplay:2: mode: 'bridge' is not valid (one of: user, none)" },
		{ "[network]\nmodel = ne2k\n",
		  "/vms/demo.vmplay:2: model: 'ne2k' is not valid (one of: e1000, virtio, rtl8139)" },
		{ "[network]\nforward = tcp:2222\n",
		  "/vms/demo.vmplay:2: forward: 'tcp:2222' is not PROTOCOL:HOST-PORT:GUEST-PORT (example: tcp:2222:22)" },
		{ "[network]\nforward = tcp:1:2:3\n",
		  "/vms/demo.vmplay:2: forward: 'tcp:1:2:3' is not PROTOCOL:HOST-PORT:GUEST-PORT (example: tcp:2222:22)" },
		{ "[network]\nforward = sctp:1:2\n",
		  "/vms/demo.vmplay:2: forward: 'sctp' in 'sctp:1:2' is not a protocol (tcp or udp)" },
		{ "[network]\nforward = tcp:0:22\n",
		  "/vms/demo.vmplay:2: forward: port '0' in 'tcp:0:22' is not a number from 1 to 65535" },
		{ "[network]\nforward = tcp:2222:65536\n",
		  "/vms/demo.vmplay:2: forward: port '65536' in 'tcp:2222:65536' is not a number from 1 to 65535" },
		{ "[network]\nforward = udp:ssh:22\n",
		  "/vms/demo.vmplay:2: forward: port 'ssh' in 'udp:ssh:22' is not a number from 1 to 65535" },
		{ "[network]\nforward = tcp:2222:22, tcp:2222:23\n",
		  "/vms/demo.vmplay:2: forward: host port tcp:2222 is forwarded twice" },
		{ "[network]\nmode = none\nforward = tcp:2222:22\n",
		  "/vms/demo.vmplay:3: forward: needs mode = user in [network] (mode is none)" },
		/* [display], [audio], [input] */
		{ "[display]\ndevice = cirrus\n",
		  "/vms/demo.vmplay:2: device: 'cirrus' is not valid (one of: std, virtio, qxl)" },
		{ "[display]\nscale = zoom\n",
		  "/vms/demo.vmplay:2: scale: 'zoom' is not valid (one of: fit, integer, stretch, none)" },
		{ "[display]\nfullscreen = sometimes\n",
		  "/vms/demo.vmplay:2: fullscreen: 'sometimes' is not a boolean (true or false)" },
		{ "[audio]\nbackend = jack\n",
		  "/vms/demo.vmplay:2: backend: 'jack' is not valid (one of: auto, pa, alsa, sdl, none)" },
		{ "[audio]\ndevice = sb16\n",
		  "/vms/demo.vmplay:2: device: 'sb16' is not valid (one of: hda, ac97, none)" },
		{ "[input]\npointer = mouse\n",
		  "/vms/demo.vmplay:2: pointer: 'mouse' is not valid (one of: tablet, ps2)" },
		/* [keys], [kiosk] */
		{ "[keys]\nmenus = ctrl+alt+m\n",
		  "/vms/demo.vmplay:2: unknown action 'menus' in [keys] (did you mean 'menu'?)" },
		{ "[keys]\nexplode = ctrl+alt+e\n",
		  "/vms/demo.vmplay:2: unknown action 'explode' in [keys] (actions: menu, pause, snapshot, fullscreen, release, quit, ctrl-alt-del, screenshot)" },
		{ "[kiosk]\nallow = pause, qiut\n",
		  "/vms/demo.vmplay:2: allow: 'qiut' is not an action (did you mean 'quit'?)" },
		{ "[kiosk]\npin = 12a4\n",
		  "/vms/demo.vmplay:2: pin: '12a4' is not a PIN (4 to 16 digits)" },
		{ "[kiosk]\npin = 123\n",
		  "/vms/demo.vmplay:2: pin: '123' is not a PIN (4 to 16 digits)" },
		{ "[kiosk]\nrestart-delay = 5\n",
		  "/vms/demo.vmplay:2: restart-delay: '5' is not a duration (examples: 2s, 500ms, 1m)" },
		{ "[kiosk]\nrestart-delay = 2h\n",
		  "/vms/demo.vmplay:2: restart-delay: '2h' is not a duration (examples: 2s, 500ms, 1m)" },
		{ "[kiosk]\nrestart-delay = 61m\n",
		  "/vms/demo.vmplay:2: restart-delay: '61m' is too long (at most 60m)" },
		{ "[kiosk]\nrestart_delay = 2s\n",
		  "/vms/demo.vmplay:2: unknown key 'restart_delay' in [kiosk] (did you mean 'restart-delay'?)" },
		{ "[kiosk]\nmax-restarts = -1\n",
		  "/vms/demo.vmplay:2: max-restarts: '-1' is out of range (0-1000000)" },
		{ "[kiosk]\nenabled = yes please\n",
		  "/vms/demo.vmplay:2: enabled: 'yes please' is not a boolean (true or false)" },
		/* [qemu] */
		{ "[qemu]\nargs = -name \"x\n",
		  "/vms/demo.vmplay:2: args: unclosed \" quote (arguments are split like a shell would; no shell is run)" },
		{ "[qemu]\nargs = -name x'y\n",
		  "/vms/demo.vmplay:2: args: unclosed ' quote (arguments are split like a shell would; no shell is run)" },
		{ "[qemu]\nargs = -name x\\\n",
		  "/vms/demo.vmplay:2: args: ends with a lone backslash (arguments are split like a shell would; no shell is run)" },
		/* several at once, sorted by line */
		{ "[vm]\ncpus = 0\nmemory = 2X\n[audio]\nbackend = jack\n",
		  "/vms/demo.vmplay:2: cpus: '0' is out of range (1-255)\n"
		  "/vms/demo.vmplay:3: memory: '2X' is not a size (examples: 512M, 2G)\n"
		  "/vms/demo.vmplay:5: backend: 'jack' is not valid (one of: auto, pa, alsa, sdl, none)" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *error = parse_error(cases[i].text);
		CHECK_STR(error, cases[i].error);
		free(error);
	}
}

/* Text that is not a VM file at all: an error, never a crash. */
static void test_malformed(void)
{
	static const struct {
		const char *text;
		size_t len;   /* 0: strlen */
		const char *error;
	} cases[] = {
		{ "", 0, "/vms/demo.vmplay: the file is empty; a VM file has sections such as [vm] and [disk.NAME] (see vmplay(5))" },
		{ "\n\n  \n; only a comment\n", 0,
		  "/vms/demo.vmplay: no [section] found; a VM file has sections such as [vm] and [disk.NAME] (see vmplay(5))" },
		{ "\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16,
		  "/vms/demo.vmplay: not a text file (a NUL byte at offset 8); a VM file is INI text" },
		{ "memory = 2G\n[vm]\n", 0,
		  "/vms/demo.vmplay:1: key 'memory' comes before any [section] (keys belong to a section such as [vm])" },
		{ "[vm]\nhello world\n", 0,
		  "/vms/demo.vmplay:2: 'hello world' is neither a [section] header nor key = value" },
		{ "#!/bin/sh\necho hello\nexit 0\n", 0,
		  "/vms/demo.vmplay:2: 'echo hello' is neither a [section] header nor key = value\n"
		  "/vms/demo.vmplay:3: 'exit 0' is neither a [section] header nor key = value" },
		{ "{\"vm\": {\"memory\": \"2G\"}}\n", 0,
		  "/vms/demo.vmplay:1: '{\"vm\": {\"memory\": \"2G\"}}' is neither a [section] header nor key = value" },
		{ "[vm\n", 0,
		  "/vms/demo.vmplay:1: '[vm' has no closing ']' (a section header is [NAME])" },
		{ "[vm] memory = 2G\n", 0,
		  "/vms/demo.vmplay:1: unexpected 'memory = 2G' after the section header (a comment starts with ; or #)" },
		{ "[]\n", 0, "/vms/demo.vmplay:1: '[]' has no section name" },
		{ "[vm]\n = 2G\n", 0, "/vms/demo.vmplay:2: '= 2G' has no key before '='" },
		{ "[vm]\nname = a\x1b[31mred\n", 0,
		  "/vms/demo.vmplay:2: control character 0x1B; a VM file is plain text" },
		{ "[vm]\nname = 0123456789012345678901234567890123456789012345678901234567890123456789/\n", 0,
		  "/vms/demo.vmplay:2: name: '012345678901234567890123456789012345678901234567890123456...' is not a VM name (at most 64 characters, no '/')" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *error = NULL;
		size_t len = cases[i].len ? cases[i].len : strlen(cases[i].text);
		struct vm_config *cfg = config_parse(VM_PATH, cases[i].text, len, &error);
		CHECK(cfg == NULL);
		CHECK_STR(error, cases[i].error);
		config_destroy(cfg);
		free(error);
	}
}

/* Many problems: the first 20 and a count of the rest. */
static void test_many_errors(void)
{
	struct strv text = { 0 };
	strv_push(&text, "[vm]\n");
	for (int i = 0; i < 30; i++)
		strv_pushf(&text, "line %d\n", i);
	size_t total = 0;
	for (size_t i = 0; i < text.n; i++)
		total += strlen(text.v[i]);
	char *joined = xmalloc(total + 1);
	joined[0] = '\0';
	for (size_t i = 0; i < text.n; i++)
		strcat(joined, text.v[i]);
	char *error = parse_error(joined);
	size_t lines = 1;
	for (const char *c = error; *c; c++)
		lines += *c == '\n';
	CHECK_INT(lines, 21);
	CHECK(strncmp(error, "/vms/demo.vmplay:2: 'line 0' is neither", 39) == 0);
	CHECK_CONTAINS(error, "\n/vms/demo.vmplay:21: 'line 19' is neither");
	CHECK_CONTAINS(error, "\n/vms/demo.vmplay: 10 more problems not shown");
	free(error);
	free(joined);
	strv_free(&text);
}

/* A file of more than 1 MiB, given as text and on disk. */
static void test_huge(void)
{
	size_t len = (1u << 20) + 10;
	char *text = xmalloc(len);
	memcpy(text, "[vm]\n", 5);
	memset(text + 5, ';', len - 5);
	char *error = NULL;
	struct vm_config *cfg = config_parse(VM_PATH, text, len, &error);
	CHECK(cfg == NULL);
	CHECK_STR(error, "/vms/demo.vmplay: 1048586 bytes is too large for a VM file (at most 1 MiB)");
	free(error);

	char dir[] = "/tmp/vmplay-test-config-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char *path = path_join(dir, "huge.vmplay");
	CHECK(write_file_atomic(path, text, len, false));
	cfg = config_load(path, &error);
	CHECK(cfg == NULL);
	char *want = xasprintf("%s: too large for a VM file (at most 1 MiB)", path);
	CHECK_STR(error, want);
	free(want);
	free(error);
	unlink(path);
	rmdir(dir);
	free(path);
	free(text);
}

static void test_load_errors(void)
{
	char *error = NULL;
	struct vm_config *cfg = config_load("/nonexistent/x.vmplay", &error);
	CHECK(cfg == NULL);
	CHECK_STR(error, "cannot read /nonexistent/x.vmplay: No such file or directory");
	free(error);
	cfg = config_load("tests", &error);
	CHECK(cfg == NULL);
	CHECK_STR(error, "cannot read tests: it is a folder, not a VM file");
	free(error);
}

/* A FIFO (or any non-regular file) as the VM file or the user's settings
 * is refused at once: reading it would wait for a writer for ever. */
static void test_load_fifo(void)
{
	char dir[] = "/tmp/vmplay-test-fifo-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char *fifo = path_join(dir, "x.vmplay");
	CHECK(mkfifo(fifo, 0600) == 0);
	char *error = NULL;
	alarm(10);   /* a hang fails the test instead of stalling the run */
	struct vm_config *cfg = config_load(fifo, &error);
	CHECK(cfg == NULL);
	CHECK_CONTAINS(error, "x.vmplay: not a regular file (a FIFO");
	free(error);
	struct vm_key *keys = NULL;
	size_t n = 0;
	CHECK(!config_load_user_keys(fifo, &keys, &n, &error));
	CHECK_CONTAINS(error, "not a regular file");
	free(error);
	alarm(0);
	unlink(fifo);
	rmdir(dir);
	free(fifo);
}

/* A VM file reached through a symbolic link is the file it points to:
 * its path, and so the folder relative paths start from, are the
 * target's (one resolved path for the trust rule and the disks). */
static void test_load_symlink(void)
{
	char dir[] = "/tmp/vmplay-test-link-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char *real_dir = realpath(dir, NULL);
	char *sub = path_join(dir, "vm"), *dl = path_join(dir, "downloads");
	CHECK(mkdir(sub, 0700) == 0 && mkdir(dl, 0700) == 0);
	char *target = path_join(sub, "deb.vmplay");
	char *link = path_join(dl, "play-me.vmplay");
	const char text[] = "[disk.system]\nfile = deb.qcow2\nsize = 1G\n";
	CHECK(write_file_atomic(target, text, strlen(text), true));
	CHECK(symlink(target, link) == 0);
	char *error = NULL;
	struct vm_config *cfg = config_load(link, &error);
	CHECK(cfg != NULL);
	if (cfg) {
		char *want_path = xasprintf("%s/vm/deb.vmplay", real_dir);
		char *want_disk = xasprintf("%s/vm/deb.qcow2", real_dir);
		CHECK_STR(cfg->path, want_path);
		CHECK_STR(cfg->disks[0].file, want_disk);
		free(want_path);
		free(want_disk);
	}
	config_destroy(cfg);
	free(error);
	unlink(link);
	unlink(target);
	rmdir(sub);
	rmdir(dl);
	rmdir(dir);
	free(real_dir);
	free(sub);
	free(dl);
	free(target);
	free(link);
}

/* Forms that must read the same: comments, quotes, spacing, case, CRLF. */
static void test_lexical_forms(void)
{
	static const struct {
		const char *text;
		const char *name;
	} cases[] = {
		{ "[vm]\nname = plain\n", "plain" },
		{ "[vm]\nname=tight\n", "tight" },
		{ "  [vm]  \n\tname\t=\tindented  \n", "indented" },
		{ "[vm] ; comment\nname = x ; comment\n", "x" },
		{ "[vm] # comment\nname = x # comment\n", "x" },
		{ "[vm]\nname = a;b#c\n", "a;b#c" },
		{ "[vm]\nname = \"a ; b\" ; comment\n", "a ; b" },
		{ "[vm]\nname = '  spaced  '\n", "  spaced  " },
		{ "[vm]\nname = Bob's VM ; his\n", "Bob's VM" },
		{ "[vm]\nname = say \"hi\"\n", "say \"hi\"" },
		{ "[VM]\nNAME = upper\n", "upper" },
		{ "[vm]\r\nname = crlf\r\n", "crlf" },
		{ "\xEF\xBB\xBF[vm]\nname = bom\n", "bom" },
		{ "[vm]\nname = last line without newline", "last line without newline" },
		{ "[vm]\nname = \n", "demo" },
		{ "[vm]\nname = ; empty, so the default\n", "demo" },
		{ "[vm]\nname = \"\"\n", "demo" },
		{ "[vm]\nname = a = b\n", "a = b" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct vm_config *cfg = parse_ok(cases[i].text);
		if (cfg)
			CHECK_STR(cfg->name, cases[i].name);
		config_destroy(cfg);
	}
}

/* Values each key accepts, and what they become. */
static void test_values(void)
{
	static const struct {
		const char *text;
		size_t offset;
		int want;
	} enums[] = {
#define E(text, field, want) { text, offsetof(struct vm_config, field), want }
		E("[vm]\nmachine = q35", machine, MACHINE_Q35),
		E("[vm]\nmachine = PC", machine, MACHINE_PC),
		E("[vm]\naccel = kvm", accel, ACCEL_KVM),
		E("[vm]\naccel = auto", accel, ACCEL_AUTO),
		E("[vm]\nfirmware = bios", firmware, FIRMWARE_BIOS),
		E("[network]\nmode = none", net_mode, NET_NONE),
		E("[network]\nmodel = rtl8139", net_model, NIC_RTL8139),
		E("[network]\nmodel = e1000", net_model, NIC_E1000),
		E("[display]\ndevice = virtio", display_device, DISPLAY_VIRTIO),
		E("[display]\ndevice = std", display_device, DISPLAY_STD),
		E("[display]\nscale = stretch", scale, SCALE_STRETCH),
		E("[display]\nscale = none", scale, SCALE_NONE),
		E("[audio]\nbackend = alsa", audio_backend, AUDIO_ALSA),
		E("[audio]\nbackend = sdl", audio_backend, AUDIO_SDL),
		E("[audio]\nbackend = none", audio_backend, AUDIO_NONE),
		E("[audio]\ndevice = none", audio_device, SOUND_NONE),
		E("[input]\npointer = tablet", pointer, POINTER_TABLET),
		E("[vm]\ncpus = 255", cpus, 255),
		E("[kiosk]\nmax-restarts = 1000000", max_restarts, 1000000),
		E("[kiosk]\nrestart-delay = 2s", restart_delay_ms, 2000),
		E("[kiosk]\nrestart-delay = 0ms", restart_delay_ms, 0),
		E("[kiosk]\nrestart-delay = 1m", restart_delay_ms, 60000),
		E("[kiosk]\nrestart-delay = 60m", restart_delay_ms, 3600000),
		E("[kiosk]\nrestart-delay = 3 s", restart_delay_ms, 3000),
#undef E
	};
	for (size_t i = 0; i < ARRAY_SIZE(enums); i++) {
		struct vm_config *cfg = parse_ok(enums[i].text);
		if (cfg)
			CHECK_INT(*(int *)((char *)cfg + enums[i].offset), enums[i].want);
		config_destroy(cfg);
	}
	static const struct {
		const char *word;
		bool value;
	} bools[] = {
		{ "true", true }, { "TRUE", true }, { "yes", true }, { "on", true },
		{ "1", true }, { "false", false }, { "No", false }, { "off", false },
		{ "0", false },
	};
	for (size_t i = 0; i < ARRAY_SIZE(bools); i++) {
		char *text = xasprintf("[display]\nfullscreen = %s\n", bools[i].word);
		struct vm_config *cfg = parse_ok(text);
		if (cfg)
			CHECK_INT(cfg->fullscreen, bools[i].value);
		config_destroy(cfg);
		free(text);
	}
	static const struct {
		const char *text;
		uint64_t bytes;
	} sizes[] = {
		{ "[vm]\nmemory = 512M", 512ull << 20 },
		{ "[vm]\nmemory = 2g", 2ull << 30 },
		{ "[vm]\nmemory = 1.5G", 3ull << 29 },
		{ "[vm]\nmemory = 16M", 16ull << 20 },
		{ "[vm]\nmemory = 4096MiB", 4ull << 30 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		struct vm_config *cfg = parse_ok(sizes[i].text);
		if (cfg)
			CHECK_INT(cfg->memory, sizes[i].bytes);
		config_destroy(cfg);
	}
}

static void test_boot_order_default(void)
{
	static const struct {
		const char *text;
		const char *order;
	} cases[] = {
		{ "[vm]\n", "c" },
		{ "[cdrom]\n", "cd" },
		{ "[cdrom]\nfile = x.iso\n", "cd" },
		{ "[cdrom]\n[boot]\norder = d\n", "d" },
		{ "[boot]\norder = ncd\n", "ncd" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct vm_config *cfg = parse_ok(cases[i].text);
		if (cfg)
			CHECK_STR(cfg->boot_order, cases[i].order);
		config_destroy(cfg);
	}
	/* An empty [cdrom] is an empty drive. */
	struct vm_config *cfg = parse_ok("[cdrom]\nfile =\n");
	if (cfg) {
		CHECK(cfg->has_cdrom);
		CHECK(cfg->cdrom_file == NULL);
	}
	config_destroy(cfg);
}

/* The words [qemu] args is split into, as a POSIX shell would. */
static void test_qemu_args(void)
{
	static const struct {
		const char *value;
		const char *words[6];
	} cases[] = {
		{ "-a b", { "-a", "b" } },
		{ "  -a   b  ", { "-a", "b" } },
		{ "'a b' \"c d\"", { "a b", "c d" } },
		{ "a'b'c \"d\"e", { "abc", "de" } },
		{ "'\\n' \"\\\"x\\\\\" \"\\n\"", { "\\n", "\"x\\", "\\n" } },
		{ "a\\ b \\'c", { "a b", "'c" } },
		{ "'' x", { "", "x" } },
		{ "$HOME `id` *", { "$HOME", "`id`", "*" } },
		{ "-device \"virtio-rng-pci,id=r;x\"", { "-device", "virtio-rng-pci,id=r;x" } },
		{ "-a # comment", { "-a" } },
		{ "-a x#y", { "-a", "x#y" } },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *text = xasprintf("[qemu]\nargs = %s\n", cases[i].value);
		struct vm_config *cfg = parse_ok(text);
		free(text);
		if (!cfg)
			continue;
		size_t n = 0;
		while (cases[i].words[n])
			n++;
		CHECK_INT(cfg->n_qemu_args, n);
		for (size_t j = 0; j < n && j < cfg->n_qemu_args; j++)
			CHECK_STR(cfg->qemu_args[j], cases[i].words[j]);
		CHECK_INT(cfg->qemu_args_line, 2);
		config_destroy(cfg);
	}
}

/* Relative paths resolve against the VM file's folder, wherever the
 * current directory is. */
static void test_paths(void)
{
	char *error = NULL;
	const char *text = "[disk.a]\nfile = a.img\n[disk.b]\nfile = ../b.img\n"
			   "[cdrom]\nfile = ./sub/c.iso\n";
	struct vm_config *cfg = config_parse("relative/dir/x.vmplay", text,
					     strlen(text), &error);
	CHECK(cfg != NULL);
	char *cwd = getcwd(NULL, 0);
	if (cfg && cwd) {
		char *want = xasprintf("%s/relative/dir", cwd);
		CHECK_STR(cfg->dir, want);
		free(want);
		want = xasprintf("%s/relative/dir/x.vmplay", cwd);
		CHECK_STR(cfg->path, want);
		free(want);
		want = xasprintf("%s/relative/dir/a.img", cwd);
		CHECK_STR(cfg->disks[0].file, want);
		free(want);
		want = xasprintf("%s/relative/dir/../b.img", cwd);
		CHECK_STR(cfg->disks[1].file, want);
		free(want);
		want = xasprintf("%s/relative/dir/sub/c.iso", cwd);
		CHECK_STR(cfg->cdrom_file, want);
		free(want);
		CHECK_STR(cfg->name, "x");
	}
	free(cwd);
	free(error);
	config_destroy(cfg);
}

static void test_check_files(void)
{
	char dir[] = "/tmp/vmplay-test-config-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char *present = path_join(dir, "present.img");
	char *locked = path_join(dir, "locked.img");
	CHECK(write_file_atomic(present, "x", 1, false));
	CHECK(write_file_atomic(locked, "x", 1, false));
	chmod(locked, 0444);
	char *vm = path_join(dir, "t.vmplay");
	const char *text =
		"[disk.present]\nfile = present.img\n"
		"[disk.new]\nfile = new disk.qcow2\nsize = 20G\n"
		"[disk.gone]\nfile = gone.img\n"
		"[disk.ro]\nfile = locked.img\nreadonly = true\n"
		"[cdrom]\nfile = missing.iso\n"
		"[boot]\nkernel = vmlinuz\ninitrd = sub\n";
	char *sub = path_join(dir, "sub");
	mkdir(sub, 0700);
	char *error = NULL;
	struct vm_config *cfg = config_parse(vm, text, strlen(text), &error);
	CHECK(cfg != NULL);
	if (cfg) {
		CHECK(!config_check_files(cfg, &error));
		char *want = xasprintf(
			"%1$s/t.vmplay:3: disk 'new': %1$s/new disk.qcow2 does not exist; create it with `vmplay disk create '%1$s/new disk.qcow2' 20G`\n"
			"%1$s/t.vmplay:6: disk 'gone': %1$s/gone.img does not exist\n"
			"%1$s/t.vmplay:11: cdrom: %1$s/missing.iso does not exist\n"
			"%1$s/t.vmplay:14: kernel: %1$s/vmlinuz does not exist\n"
			"%1$s/t.vmplay:15: initrd: %1$s/sub is a folder, not a file",
			dir);
		CHECK_STR(error, want);
		free(want);
		free(error);
		error = NULL;
		config_destroy(cfg);
	}
	/* A read-only file used as a writable disk (root can write anyway). */
	if (geteuid() != 0) {
		const char *rw = "[disk.ro]\nfile = locked.img\n";
		cfg = config_parse(vm, rw, strlen(rw), &error);
		CHECK(cfg != NULL);
		if (cfg) {
			CHECK(!config_check_files(cfg, &error));
			char *want = xasprintf("%1$s/t.vmplay:1: disk 'ro': %1$s/locked.img is not writable (Permission denied; set readonly = true or change its permissions)", dir);
			CHECK_STR(error, want);
			free(want);
			free(error);
			error = NULL;
		}
		config_destroy(cfg);
	}
	/* All present. */
	const char *ok = "[disk.present]\nfile = present.img\n[cdrom]\n";
	cfg = config_parse(vm, ok, strlen(ok), &error);
	CHECK(cfg != NULL);
	if (cfg) {
		CHECK(config_check_files(cfg, &error));
		CHECK(error == NULL);
	}
	config_destroy(cfg);
	unlink(present);
	unlink(locked);
	rmdir(sub);
	rmdir(dir);
	free(present);
	free(locked);
	free(sub);
	free(vm);
}

/* The commented example in configs/ parses cleanly. */
static void test_example_file(void)
{
	char *error = NULL;
	struct vm_config *cfg = config_load("configs/example.vmplay", &error);
	if (!cfg)
		printf("  %s\n", error);
	CHECK(cfg != NULL);
	CHECK(error == NULL);
	free(error);
	config_destroy(cfg);
}

/* The user's settings file: [keys] only; missing or empty is fine. */
static void test_user_keys(void)
{
	char dir[] = "/tmp/vmplay-test-config-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char *path = path_join(dir, "vmplay.ini");
	struct vm_key *keys = NULL;
	size_t n = 99;
	char *error = NULL;
	CHECK(config_load_user_keys(path, &keys, &n, &error));
	CHECK_INT(n, 0);
	CHECK(keys == NULL && error == NULL);

	static const struct {
		const char *text;
		size_t n;        /* keys read when valid */
		const char *error;  /* after "PATH:" */
	} cases[] = {
		{ "", 0, NULL },
		{ "; nothing yet\n", 0, NULL },
		{ "[keys]\nmenu = ctrl+alt+x ; mine\nQuit = none\n", 2, NULL },
		{ "[keys]\nmenus = ctrl+alt+x\n", 0,
		  "2: unknown action 'menus' in [keys] (did you mean 'menu'?)" },
		{ "[vm]\nmemory = 2G\n", 0,
		  "1: unknown section [vm] (this file has only [keys] and [connections])" },
		{ "menu = ctrl+alt+x\n", 0,
		  "1: key 'menu' comes before any [section] (keys belong to a section such as [keys])" },
		{ "[keys]\nmenu = ctrl+alt+x\nmenu = ctrl+alt+y\n", 0,
		  "3: menu: set a second time in [keys] (first on line 2)" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		unlink(path);
		CHECK(write_file_atomic(path, cases[i].text, strlen(cases[i].text), false));
		bool ok = config_load_user_keys(path, &keys, &n, &error);
		CHECK_INT(ok, cases[i].error == NULL);
		if (cases[i].error) {
			char *want = xasprintf("%s:%s", path, cases[i].error);
			CHECK_STR(error, want);
			free(want);
		} else {
			CHECK(error == NULL);
			CHECK_INT(n, cases[i].n);
		}
		if (ok && n == 2) {
			CHECK_STR(keys[0].action, "menu");
			CHECK_STR(keys[0].spec, "ctrl+alt+x");
			CHECK_INT(keys[0].line, 2);
			CHECK_STR(keys[1].action, "quit");
			CHECK_STR(keys[1].spec, "none");
		}
		config_free_keys(keys, n);
		free(error);
		error = NULL;
	}
	unlink(path);
	rmdir(dir);
	free(path);
}

/* Random mixtures of VM file fragments and bytes: each gives a config or
 * an error, never a crash (the ASan build checks memory too). */
static void test_fuzz(void)
{
	static const char *const pieces[] = {
		"[vm]", "[disk.a]", "[disk.b]", "[cdrom]", "[boot]", "[network]",
		"[keys]", "[kiosk]", "[qemu]", "[", "]", "=", " ", "\t", "\n",
		"\r\n", ";", "#", "\"", "'", "\\", "memory", "file", "cpus",
		"forward", "tcp:1:2", ",", ":", "args", "2G", "menu", "allow",
		"order", "kernel", "x", "\xff", "\x01", "pin", "1234", "size",
	};
	uint32_t seed = 12345;
	char buf[512];
	size_t configs = 0, errors = 0;
	for (int round = 0; round < 3000; round++) {
		size_t len = 0;
		int n = 1 + (int)((seed = seed * 1103515245 + 12345) >> 16) % 60;
		for (int i = 0; i < n; i++) {
			seed = seed * 1103515245 + 12345;
			const char *piece = pieces[(seed >> 16) % ARRAY_SIZE(pieces)];
			size_t plen = strlen(piece);
			if (len + plen >= sizeof(buf))
				break;
			memcpy(buf + len, piece, plen);
			len += plen;
		}
		if (round % 7 == 0 && len)
			buf[(seed >> 8) % len] = '\0';
		char *error = NULL;
		struct vm_config *cfg = config_parse(VM_PATH, buf, len, &error);
		CHECK((cfg != NULL) != (error != NULL));
		if (error)
			CHECK(error[0] != '\0');
		configs += cfg != NULL;
		errors += error != NULL;
		config_destroy(cfg);
		free(error);
	}
	CHECK(configs > 0);
	CHECK(errors > 0);
}

/* Files at the size limit with many lines, sections or keys stay fast:
 * no quadratic checks. */
static void test_big_files_are_fast(void)
{
	static const char *const lines[] = {
		"[disk.d%d]\nfile = a\n", "[x%d]\n", "[keys]\nmenu%d = x\n",
		"[vm]\n;%d\n", "k%d\n",
	};
	for (size_t i = 0; i < ARRAY_SIZE(lines); i++) {
		size_t cap = (1u << 20) - 64, len = 0;
		char *text = xmalloc(cap + 64);
		for (int n = 0; len < cap; n++)
			len += (size_t)sprintf(text + len, lines[i], n);
		uint64_t start = now_ms();
		char *error = NULL;
		struct vm_config *cfg = config_parse(VM_PATH, text, len, &error);
		CHECK(cfg == NULL);
		CHECK(error != NULL);
		uint64_t took = now_ms() - start;
		if (took > 20000)
			printf("  case %zu took %llu ms\n", i, (unsigned long long)took);
		CHECK(took < 20000);
		config_destroy(cfg);
		free(error);
		free(text);
	}
	/* At most 64 disks. */
	char text[2048];
	size_t len = 0;
	for (int n = 0; n < 65; n++)
		len += (size_t)sprintf(text + len, "[disk.d%d]\nfile = a\n", n);
	char *error = parse_error(text);
	CHECK_STR(error, "/vms/demo.vmplay:129: [disk.d64]: too many disks (at most 64)");
	free(error);
	text[len - strlen("[disk.d64]\nfile = a\n")] = '\0';
	struct vm_config *cfg = parse_ok(text);
	if (cfg)
		CHECK_INT(cfg->n_disks, 64);
	config_destroy(cfg);
}

/* Every host port forwarded: a hash of duplicates, not a pairwise
 * check (which took 7 s). Timed against a small file's parse in the same
 * run, so a busy machine does not fail it. */
static void test_many_forwards(void)
{
	size_t cap = 65535 * 20 + 64, len = 0;
	char *text = xmalloc(cap);
	len += (size_t)sprintf(text, "[network]\nforward = ");
	for (int port = 1; port <= 65535; port++)
		len += (size_t)sprintf(text + len, "%stcp:%d:22",
				       port > 1 ? "," : "", port);
	text[len++] = '\n';
	uint64_t start = now_ms();
	char *error = NULL;
	struct vm_config *cfg = config_parse(VM_PATH, text, len, &error);
	uint64_t took = now_ms() - start;
	CHECK(cfg != NULL);
	if (cfg)
		CHECK_INT(cfg->n_forwards, 65535);
	config_destroy(cfg);
	free(error);
	if (took > 1500)
		printf("  65535 forwards took %llu ms\n", (unsigned long long)took);
	CHECK(took <= 1500);
	/* a duplicate among them is still found */
	memcpy(text + len - 1, ",tcp:5:23\n", 10);
	len += 9;
	error = NULL;
	cfg = config_parse(VM_PATH, text, len, &error);
	CHECK(cfg == NULL);
	CHECK_CONTAINS(error, "forward: host port tcp:5 is forwarded twice");
	config_destroy(cfg);
	free(error);
	free(text);
}

/* A huge value is shown shortened in every message, as for other keys. */
static void test_long_values_shortened(void)
{
	static const char *const keys[] = {
		"[kiosk]\npin = ", "[boot]\norder = cdz", "[network]\nforward = ",
		"[network]\nforward = tcp:1:", "[network]\nforward = xyz",
		"[kiosk]\nallow = ",
	};
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
		size_t n = 1 << 19, k = strlen(keys[i]);
		char *text = xmalloc(k + n + 2);
		memcpy(text, keys[i], k);
		memset(text + k, i == 3 ? '9' : 'y', n);
		text[k + n] = '\n';
		text[k + n + 1] = '\0';
		char *error = parse_error(text);
		CHECK(error != NULL);
		if (error && strlen(error) > 400)
			printf("  case %zu: a %zu-byte message\n", i, strlen(error));
		CHECK(error && strlen(error) <= 400);
		CHECK_CONTAINS(error, "...");
		free(error);
		free(text);
	}
}

struct doc_check {
	char *man;       /* assets/vmplay.5 */
	char *example;   /* configs/example.vmplay */
	int keys;
};

static void check_documented(const char *section, const char *key, void *data)
{
	struct doc_check *d = data;
	char *header = xasprintf(".SH \"[%s]\"", section);
	if (!strstr(d->man, header))
		printf("  vmplay.5 lacks %s\n", header);
	CHECK(strstr(d->man, header) != NULL);
	free(header);
	const char *head = strncmp(section, "disk.", 5) == 0 ? "[disk." : section;
	CHECK(strstr(d->example, head) != NULL);
	if (!key)
		return;
	d->keys++;
	/* In troff a dash is written \-. */
	struct strv forms = { 0 };
	char *escaped = xmalloc(2 * strlen(key) + 1), *o = escaped;
	for (const char *c = key; *c; c++) {
		if (*c == '-')
			*o++ = '\\';
		*o++ = *c;
	}
	*o = '\0';
	/* .BI "key = " value, .BR key " = " v1 " | " v2 (or an older
	 * .BI key " = " value) */
	strv_pushf(&forms, "\n.BI %s \"", escaped);
	strv_pushf(&forms, "\n.BI \"%s = \"", escaped);
	strv_pushf(&forms, "\n.BR %s \"", escaped);
	bool found = false;
	for (size_t i = 0; i < forms.n; i++)
		found |= strstr(d->man, forms.v[i]) != NULL;
	if (!found)
		printf("  vmplay.5 lacks [%s] %s\n", section, key);
	CHECK(found);
	/* The example sets every key, and the reader knows it. */
	char *line = xasprintf("\n%s = ", key);
	if (!strstr(d->example, line))
		printf("  example.vmplay lacks [%s] %s\n", section, key);
	CHECK(strstr(d->example, line) != NULL);
	free(line);
	char *text = xasprintf("[%s]\n%s =\n",
			       strcmp(section, "disk.NAME") == 0 ? "disk.d" : section, key);
	char *error = NULL;
	struct vm_config *cfg = parse(text, &error);
	/* An empty value is no value: only a disk then lacks its file. */
	if (strcmp(section, "disk.NAME") == 0)
		CHECK(!cfg);
	else
		CHECK(cfg != NULL);
	config_destroy(cfg);
	free(error);
	free(text);
	free(escaped);
	strv_free(&forms);
}

/* vmplay(5) and the example name every section and key the reader knows,
 * and every action of [keys]. */
static void test_documentation(void)
{
	struct doc_check d = { 0 };
	d.man = read_file("assets/vmplay.5", 1 << 20, NULL);
	d.example = read_file("configs/example.vmplay", 1 << 20, NULL);
	CHECK(d.man && d.example);
	if (!d.man || !d.example)
		return;
	config_each_key(check_documented, &d);
	CHECK(d.keys > 30);
	for (int a = SHORTCUT_NONE + 1; a < SHORTCUT_COUNT; a++) {
		char *name = xstrdup(shortcut_name((enum shortcut)a));
		char *escaped = xmalloc(2 * strlen(name) + 1), *o = escaped;
		for (const char *c = name; *c; c++) {
			if (*c == '-')
				*o++ = '\\';
			*o++ = *c;
		}
		*o = '\0';
		if (!strstr(d.man, escaped))
			printf("  vmplay.5 lacks action %s\n", name);
		CHECK(strstr(d.man, escaped) != NULL);
		free(escaped);
		free(name);
	}
	free(d.man);
	free(d.example);
}

int main(void)
{
	RUN(test_defaults);
	RUN(test_blueprint_example);
	RUN(test_guest_desktop_defaults);
	RUN(test_every_key);
	RUN(test_errors);
	RUN(test_malformed);
	RUN(test_many_errors);
	RUN(test_huge);
	RUN(test_load_errors);
	RUN(test_load_fifo);
	RUN(test_many_forwards);
	RUN(test_long_values_shortened);
	RUN(test_load_symlink);
	RUN(test_lexical_forms);
	RUN(test_values);
	RUN(test_boot_order_default);
	RUN(test_qemu_args);
	RUN(test_paths);
	RUN(test_check_files);
	RUN(test_example_file);
	RUN(test_documentation);
	RUN(test_user_keys);
	RUN(test_fuzz);
	RUN(test_big_files_are_fast);
	return TEST_REPORT();
}
