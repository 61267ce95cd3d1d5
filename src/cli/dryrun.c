/* vmplay --dry-run FILE: the QEMU command line vmplay would run, shell-quoted
 * on one line, with the socket paths it would use. Starts nothing and
 * creates nothing (not even the runtime folder or the UEFI variables). */
#include "cli/commands.h"

#include "base/i18n.h"
#include "base/log.h"
#include "base/util.h"
#include "vm/launch.h"
#include "vm/qemu_args.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int dry_run(const struct vm_config *cfg)
{
	char *dir = launch_runtime_dir_for(cfg->name);
	char *vnc = path_join(dir, "vnc.sock");
	char *qmp = path_join(dir, "qmp.sock");
	struct strv argv = { 0 };
	char *error = NULL;
	int status = 0;

	/* Missing files do not stop a dry run, but the user should know. */
	char *missing = NULL;
	if (!config_check_files(cfg, &missing) && missing) {
		char *save = NULL;
		for (char *line = strtok_r(missing, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save))
			log_warn("%s", line);
	}
	free(missing);

	if (qemu_args_build_local(cfg, vnc, qmp, false, NULL, &argv, &error)) {
		char *line = strv_join_quoted(&argv);
		printf("%s\n", line);
		free(line);
	} else {
		log_error("%s", error);
		status = 1;
	}
	free(error);
	strv_free(&argv);
	free(qmp);
	free(vnc);
	free(dir);
	return status;
}
