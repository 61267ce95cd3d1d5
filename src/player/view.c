/* See view.h. */
#include "player/view.h"

#include "base/i18n.h"
#include "base/log.h"
#include "base/util.h"
#include "player/desktop.h"
#include "vm/instance.h"
#include "vm/launch.h"
#include "vm/library.h"
#include "vm/machine_viewer.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

static void usage(FILE *out)
{
	fputs(_("Usage: vmplay view [--fullscreen] FILE.vmplay|NAME|FOLDER\n"
		"\n"
		"Opens a window on a VM that runs without one (vmplay --headless):\n"
		"the guest's screen, keyboard and pointer, pause, reset and shut\n"
		"down. Closing the window leaves the VM running. A VM that plays in\n"
		"a window already gets that window raised.\n"
		"\n"
		"  -f, --fullscreen   start full-screen\n"
		"  -h, --help         show this help\n"), out);
}

int view_headless(const struct vm_config *cfg, long holder_pid,
		  const struct play_options *opts)
{
	char *error = NULL;
	char *dir = launch_runtime_dir_of_pid(holder_pid);
	struct machine *m = NULL;
	if (dir)
		m = machine_viewer_open(cfg, dir, holder_pid, &error);
	else
		error = xasprintf(_("%s runs without a window (vmplay pid %ld), "
				    "but its runtime folder was not found."),
				  cfg->name, holder_pid);
	free(dir);
	if (!m) {
		/* TRANSLATORS: a window title; %s is the VM's name. */
		char *title = xasprintf(_("vmplay: cannot view %s"), cfg->name);
		desktop_show_error(title, error);
		free(title);
		free(error);
		return 1;
	}
	struct play_options view = *opts;
	/* the window lives as long as the VM: nothing to run again here */
	view.exit_on_poweroff = true;
	view.instance = NULL;
	view.kiosk = false;
	return player_play(cfg, &view, m);
}

int view_command(int argc, char **argv)
{
	static const struct option options[] = {
		{ "fullscreen", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct play_options opts = { 0 };
	int c;
	while ((c = getopt_long(argc, argv, "fh", options, NULL)) != -1) {
		switch (c) {
		case 'f': opts.fullscreen = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc - 1) {
		fputs(_("vmplay view: give one VM file, name or folder\n"),
		      stderr);
		usage(stderr);
		return 2;
	}
	char *error = NULL;
	char *found = library_resolve(argv[optind], &error);
	if (error) {
		desktop_show_error(_("vmplay: nothing to view"), error);
		free(error);
		return 1;
	}
	const char *file = found ? found : argv[optind];
	struct vm_config *cfg = config_load(file, &error);
	if (!cfg) {
		desktop_show_error(_("vmplay: nothing to view"), error);
		free(error);
		free(found);
		return 1;
	}
	int status = 1;
	long pid = 0;
	bool window = false;
	if (cfg->libvirt_domain) {
		fprintf(stderr, _("vmplay view: %s names a libvirt domain, which "
				  "libvirt runs: play it with vmplay %s\n"),
			cfg->path, cfg->path);
		status = 2;
	} else if (!instance_holder(cfg->path, &pid, &window)) {
		char *msg = xasprintf(_("%s is not running. `vmplay --headless "
					"%s` runs it without a window, `vmplay "
					"%s` plays it in one."),
				      cfg->name, cfg->path, cfg->path);
		desktop_show_error(_("vmplay: nothing to view"), msg);
		free(msg);
	} else if (window) {
		/* its own window is the view: raise it */
		struct instance *in = NULL;
		char *msg = NULL;
		enum instance_claim claim = instance_claim(
			cfg->path, INSTANCE_WINDOW, 0, &in, &msg);
		if (claim == INSTANCE_RAISED) {
			log_info("%s", msg);
			status = 0;
		} else {
			desktop_show_error(_("vmplay: nothing to view"),
					   claim == INSTANCE_FIRST
					   ? _("The VM has just stopped.") : msg);
		}
		instance_release(in);
		free(msg);
	} else {
		opts.file = cfg->path;
		if (opts.fullscreen)
			cfg->fullscreen = true;
		status = view_headless(cfg, pid, &opts);
	}
	config_destroy(cfg);
	free(found);
	return status;
}
