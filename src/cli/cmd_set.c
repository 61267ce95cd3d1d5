/* vmplay set FILE.vmplay SECTION.KEY=VALUE... and vmplay get FILE.vmplay
 * [SECTION.KEY]: the Settings page from a terminal. The rules (what is
 * valid, how the file is written) are vm/settings.c's, shared with the
 * page; this file only reads the command line and prints. */
#include "cli/commands.h"

#include "base/i18n.h"
#include "base/util.h"
#include "vm/config.h"
#include "vm/settings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* TRANSLATORS: --help text: option and command names, key names
 * and words in capitals (FILE, NAME) stay as they are. */
static const char *const set_usage =
	N_("Usage: vmplay set FILE.vmplay SECTION.KEY=VALUE... [--unset SECTION.KEY]...\n"
	"\n"
	"Changes settings of a VM file, keeping every other line (comments,\n"
	"blank lines, order) as it is. The changed file is read back with the\n"
	"same rules as when the VM is played; a value that would not be taken\n"
	"refuses the whole change with the reader's FILE:LINE message (exit\n"
	"status 2) and the file stays as it was. --unset removes a key, so its\n"
	"default applies. A running VM takes the change at its next start.\n"
	"\n"
	"Examples:\n"
	"  vmplay set debian.vmplay vm.memory=4G vm.cpus=2\n"
	"  vmplay set debian.vmplay cdrom.file=~/Downloads/debian.iso boot.order=dc\n"
	"  vmplay set debian.vmplay network.forward=tcp:2222:22 keys.menu=ctrl+alt+F1\n"
	"  vmplay set debian.vmplay --unset display.scale\n");

/* TRANSLATORS: --help text: option and command names, key names
 * and words in capitals (FILE, NAME) stay as they are. */
static const char *const get_usage =
	N_("Usage: vmplay get FILE.vmplay [SECTION.KEY]\n"
	"\n"
	"Prints the value of SECTION.KEY: as written in the VM file, or the\n"
	"value in effect when the file leaves it out. Without SECTION.KEY,\n"
	"prints every setting of the Settings page as SECTION.KEY = VALUE.\n"
	"Exit status 1 when the key is not set and has no known default.\n");

static bool wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return true;
	return false;
}

static void print_lines(const char *prefix, const char *text)
{
	const char *p = text;
	while (*p) {
		size_t n = strcspn(p, "\n");
		fprintf(stderr, "%s%.*s\n", prefix, (int)n, p);
		p += n;
		if (*p)
			p++;
	}
}

int cmd_set(int argc, char **argv)
{
	if (wants_help(argc, argv)) {
		fputs(_(set_usage), stdout);
		return 0;
	}
	if (argc < 3) {
		fputs(_(set_usage), stderr);
		return 2;
	}
	const char *path = argv[1];
	struct setting_edit *edits = xcalloc((size_t)argc, sizeof(*edits));
	size_t n = 0;
	int status = 0;
	char *error = NULL;
	for (int i = 2; i < argc && !status; i++) {
		struct setting_edit *e = &edits[n];
		bool ok;
		if (strcmp(argv[i], "--unset") == 0 || strcmp(argv[i], "-u") == 0) {
			if (i + 1 >= argc) {
				fputs(_(set_usage), stderr);
				status = 2;
				break;
			}
			ok = settings_parse_name(argv[++i], &e->section, &e->key,
						 &error);
		} else {
			ok = settings_parse_assignment(argv[i], e, &error);
		}
		if (!ok) {
			fprintf(stderr, "vmplay set: %s\n", error);
			status = 2;
			break;
		}
		n++;
	}
	if (!status) {
		bool invalid = false;
		if (!settings_write(path, edits, n, &invalid, &error)) {
			print_lines("vmplay set: ", error);
			if (invalid)
				fprintf(stderr, _("vmplay set: nothing changed "
						  "in %s\n"), path);
			status = invalid ? 2 : 1;
		}
	}
	free(error);
	for (size_t i = 0; i < n; i++)
		settings_edit_free(&edits[i]);
	free(edits);
	return status;
}

int cmd_get(int argc, char **argv)
{
	if (wants_help(argc, argv)) {
		fputs(_(get_usage), stdout);
		return 0;
	}
	if (argc < 2 || argc > 3) {
		fputs(_(get_usage), stderr);
		return 2;
	}
	const char *path = argv[1];
	char *error = NULL;
	struct vm_config *cfg = config_load(path, &error);
	if (!cfg && argc == 2) {
		print_lines("", error);
		free(error);
		return 1;
	}
	/* A file the reader refuses still answers for what it holds. */
	free(error);
	error = NULL;
	int status = 0;
	if (argc == 3) {
		char *section = NULL, *key = NULL;
		if (!settings_parse_name(argv[2], &section, &key, &error)) {
			fprintf(stderr, "vmplay get: %s\n", error);
			status = 2;
		} else {
			char *v = settings_get(path, cfg, section, key, &error);
			if (v)
				printf("%s\n", v);
			else {
				fprintf(stderr, "vmplay get: %s\n", error);
				status = 1;
			}
			free(v);
		}
		free(section);
		free(key);
	} else {
		const struct setting *list;
		size_t n = settings_list(&list);
		for (size_t i = 0; i < n; i++) {
			char *v = settings_get(path, cfg, list[i].section,
					       list[i].key, &error);
			printf("%s.%s = %s\n", list[i].section, list[i].key,
			       v ? v : "");
			free(v);
			free(error);
			error = NULL;
		}
	}
	free(error);
	config_destroy(cfg);
	return status;
}
