/* vmplay --dry-run FILE: the QEMU command line vmplay would run, shell-quoted
 * on one line, with the socket paths it would use. Starts nothing and
 * creates nothing (not even the runtime folder or the UEFI variables). */
#include "commands.h"

#include "log.h"
#include "qemu_args.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The runtime folder launch.c would make for this VM in this process:
 * $XDG_RUNTIME_DIR/vmplay/NAME-PID, or /tmp/vmplay-UID/NAME-PID, with NAME
 * reduced to letters, digits, '.', '_' and '-' (40 at most). Keep in step
 * with launch.c. */
static char *runtime_dir_for(const char *name)
{
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	char *base;
	if (xdg && xdg[0] == '/' && path_is_dir(xdg) &&
	    access(xdg, W_OK | X_OK) == 0)
		base = path_join(xdg, "vmplay");
	else
		base = xasprintf("/tmp/vmplay-%u", (unsigned)geteuid());
	char *safe = xstrndup(name && *name ? name : "vm", 40);
	for (char *p = safe; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789._-", *p))
			*p = '_';
	if (safe[0] == '.')
		safe[0] = '_';
	char *dir = xasprintf("%s/%s-%ld", base, safe, (long)getpid());
	free(safe);
	free(base);
	return dir;
}

int dry_run(const struct vm_config *cfg)
{
	char *dir = runtime_dir_for(cfg->name);
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

	if (qemu_args_build_local(cfg, vnc, qmp, false, &argv, &error)) {
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
