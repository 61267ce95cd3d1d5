/* libFuzzer harness: the VM-file reader and the command-line builder.
 * Any bytes as a VM file (config_parse); when they parse, the pure
 * qemu_args_build with a fixed host (every disk a qcow2, OVMF present, no
 * KVM), so the two together never crash, leak or read out of bounds. */
#include "base/log.h"
#include "base/util.h"
#include "vm/config.h"
#include "vm/qemu_args.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool quiet;
	if (!quiet) {
		log_set_level(LOG_ERROR);
		quiet = true;
	}
	char *error = NULL;
	struct vm_config *cfg = config_parse("/fuzz/vm.vmplay",
					     (const char *)data, size, &error);
	free(error);
	if (!cfg)
		return 0;
	enum disk_format *formats = calloc(cfg->n_disks + 1, sizeof(*formats));
	for (size_t i = 0; i < cfg->n_disks; i++)
		formats[i] = FORMAT_QCOW2;
	struct qemu_host host = {
		.qemu_binary = "qemu-system-x86_64",
		.vnc_socket = "/run/vnc.sock",
		.qmp_socket = "/run/qmp.sock",
		.kvm_usable = false,
		.kvm_problem = "no KVM in the fuzzer",
		.uefi_code = "/usr/share/OVMF/OVMF_CODE_4M.fd",
		.uefi_vars_template = "/usr/share/OVMF/OVMF_VARS_4M.fd",
		.uefi_vars = "/fuzz/vm.efivars.qcow2",
		.audio_auto = AUDIO_NONE,
		.disk_formats = formats,
	};
	struct strv argv = { 0 };
	if (!qemu_args_build(cfg, &host, &argv, &error))
		free(error);
	strv_free(&argv);
	free(formats);
	config_destroy(cfg);
	return 0;
}
