/* vmplay import FILE.vmplay: copies a VM into the user's VM folder
 * (vm/import.h), where vmplay trusts it. */
#include "cli/commands.h"

#include "base/i18n.h"
#include "base/util.h"
#include "vm/config.h"
#include "vm/import.h"
#include "vm/trust.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* TRANSLATORS: --help text: option and command names, key names
 * and words in capitals (FILE, NAME) stay as they are. */
static const char *const usage_text =
	N_("Usage: vmplay import FILE.vmplay\n"
	"\n"
	"Copies the VM file and its writable disks into ~/.VM/NAME/ (NAME: the\n"
	"file's name without .vmplay), where vmplay trusts VM files: their\n"
	"[qemu] args run and their disks may be anywhere in that folder. The\n"
	"original is left as it is; an existing ~/.VM/NAME is never touched.\n"
	"Read what the file does first: 'vmplay --dry-run FILE.vmplay' prints\n"
	"the QEMU command line it would run.\n");

int cmd_import(int argc, char **argv)
{
	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs(_(usage_text), stdout);
		return 0;
	}
	if (argc != 2) {
		fputs(_(usage_text), stderr);
		return 2;
	}
	char *error = NULL;
	struct vm_config *cfg = config_load(argv[1], &error);
	if (!cfg) {
		fprintf(stderr, "%s\n", error);
		free(error);
		return 1;
	}
	char *problems = trust_problems(cfg);
	char *file = NULL;
	int status = 0;
	if (!vm_import(cfg, NULL, &file, &error)) {
		fprintf(stderr, "vmplay import: %s\n", error);
		status = 1;
	} else {
		printf(_("imported %s as %s\n"), cfg->path, file);
		if (problems)
			printf(_("trusted there, so these now run:\n%s\n"),
			       problems);
		printf(_("play it with: vmplay %s\n"), file);
	}
	free(problems);
	free(error);
	free(file);
	config_destroy(cfg);
	return status;
}
