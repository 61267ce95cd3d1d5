#include "test.h"

#include "config.h"
#include "util.h"

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
static char *parse_error(const char *text) __attribute__((unused));
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

int main(void)
{
	RUN(test_defaults);
	RUN(test_blueprint_example);
	RUN(test_every_key);
	return TEST_REPORT();
}
