/* vmplay: plays one QEMU virtual machine described by an INI file.
 *
 * This file only parses the command line and dispatches. The modules, by
 * layer (docs/architecture.md tells how they fit; a file includes only
 * its own layer and the ones before it, which make check enforces):
 *
 * base/    util (strings, paths, vectors), log, proc (starting children),
 *          stop_signals (signals as a descriptor), ini_edit (changing a
 *          value and keeping every other byte), recent (recent-files
 *          lists), path_complete (typed paths and Tab completion)
 * vm/      config (the VM file and the user config), trust (what a VM
 *          file from elsewhere may do), qemu_args (the QEMU command line),
 *          launch (starting QEMU, the runtime folder), qmp (QMP client),
 *          vm_session (a running QEMU and its stop sequence), supervisor
 *          and kiosk (kiosk mode's restarts and policy), instance (one
 *          vmplay per VM file), disk (qemu-img), vm_actions with
 *          vm_snapshots, vm_media and vm_disks (what the menu does),
 *          offline_snapshots (snapshots of a VM that is off, for
 *          `vmplay snapshot` and the stopped window), settings (the
 *          settings a person changes and their checked writer),
 *          machine (what the window asks of a VM, whatever runs it) with
 *          machine_qemu and libvirt_machine (+ libvirt_xml, libvirt_uri:
 *          a libvirt domain, here or over SSH), libvirt_watch (the
 *          domains of vmplay.ini's [connections], in the background),
 *          vm_create (making a VM: `vmplay new` and the wizard), library
 *          (the user's VMs, trash, duplicate, `vmplay NAME`)
 * player/  player (the window and its loop), vnc (the guest's screen),
 *          render and viewport (drawing and scaling), input and keymap
 *          (keys and pointer), bindings (shortcuts), overlay and
 *          overlay_draw (the menu), menu_bridge (menu <-> vm_actions),
 *          settings_menu (the Settings pages <-> vm/settings),
 *          text (fonts), toast (notes), screenshot, desktop (message boxes),
 *          vnc_clipboard and clipboard_sync (the clipboard with the guest),
 *          vnc_desktop_size and guest_resize (the guest follows the window),
 *          thumbnail (the library's picture of a stopped VM), library with
 *          library_wizard, library_draw, library_ui and library_libvirt
 *          (the library window), ask_window (libvirt's questions without
 *          a terminal)
 * cli/     cmd_new, cmd_disk, cmd_snapshot, cmd_check, cmd_set (set and
 *          get), cmd_list, dryrun, headless */
#include "base/i18n.h"
#include "base/log.h"
#include "base/util.h"
#include "cli/commands.h"
#include "player/ask_window.h"
#include "player/bindings.h"
#include "player/desktop.h"
#include "player/library.h"
#include "player/player.h"
#include "player/view.h"
#include "vm/config.h"
#include "vm/import.h"
#include "vm/instance.h"
#include "vm/library.h"
#include "vm/libvirt_machine.h"
#include "vm/libvirt_uri.h"
#include "vm/settings.h"
#include "vm/supervisor.h"
#include "vm/trust.h"
#include "version.h"   /* generated: mk/version.mk */

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} subcommands[] = {
	/* TRANSLATORS: the summaries of the commands in vmplay --help,
	 * after the command's name: keep them under 60 characters. */
	{ "new", cmd_new, N_("create a VM folder, its disk and VM file") },
	{ "disk", cmd_disk, N_("create, inspect, resize and convert disk images") },
	{ "snapshot", cmd_snapshot, N_("list, take, restore, delete snapshots (VM off)") },
	{ "check", cmd_check, N_("check QEMU, qemu-img, KVM, audio and video") },
	{ "set", cmd_set, N_("change settings of a VM file (SECTION.KEY=VALUE)") },
	{ "get", cmd_get, N_("print settings of a VM file") },
	{ "import", cmd_import, N_("copy a VM and its disks into ~/.VM, where it is trusted") },
	{ "list", cmd_list, N_("print the VM library (name, state, memory, disk)") },
	{ "view", view_command, N_("open a window on a VM that runs without one") },
};

static void usage(FILE *out)
{
	/* TRANSLATORS: vmplay --help. Option names (--dry-run), words
	 * in capitals that stand for what the user types (FILE, NAME,
	 * URI...), key names and paths stay as they are; the second column
	 * of the options starts at the 22nd character. */
	fputs(_("Usage: vmplay [OPTIONS] FILE.vmplay|NAME|FOLDER\n"
	      "       vmplay [OPTIONS] --connect URI DOMAIN\n"
	      "       vmplay COMMAND [ARGS]\n"
	      "       vmplay             (the library window)\n"
	      "\n"
	      "Plays the QEMU virtual machine described by FILE.vmplay in a window.\n"
	      "NAME plays ~/.VM/NAME/NAME.vmplay when no file NAME exists; a FOLDER\n"
	      "plays the one VM file in it. Without a file, opens the library: the\n"
	      "VMs in ~/.VM and those played recently, and a wizard for new ones.\n"
	      "\n"
	      "Options:\n"
	      "  -n, --dry-run      print the QEMU command line and start nothing\n"
	      "      --headless     run the VM without a window until it powers off;\n"
	      "                     Ctrl+C asks the guest to shut down, a second\n"
	      "                     Ctrl+C stops QEMU\n"
	      "  -f, --fullscreen   start full-screen\n"
	      "      --exit-on-poweroff\n"
	      "                     close the window when the guest powers off\n"
	      "                     (by default it stays, stopped, with Run)\n"
	      "      --kiosk        kiosk mode (see vmplay(1))\n"
	      "      --trust        allow [qemu] args and other host-reaching settings\n"
	      "  -c, --connect URI  play the libvirt domain DOMAIN (name, UUID or id)\n"
	      "                     at URI (qemu:///system, qemu+ssh://user@host/system;\n"
	      "                     \"\" for LIBVIRT_DEFAULT_URI or libvirt's default)\n"
	      "      --keys         print the keyboard shortcuts in effect (for\n"
	      "                     FILE.vmplay when given) and exit\n"
	      "  -v, --verbose      log debug messages (also VMPLAY_DEBUG=1)\n"
	      "  -h, --help         show this help\n"
	      "  -V, --version      show the version\n"
	      "\n"
	      "Commands:\n"), out);
	for (size_t i = 0; i < ARRAY_SIZE(subcommands); i++)
		fprintf(out, "  %-8s %s\n", subcommands[i].name,
			_(subcommands[i].summary));
	fputs(_("\nRun 'vmplay COMMAND --help' for a command's options;"
		" see vmplay(1) and vmplay(5).\n"), out);
}

enum play_mode { MODE_PLAY, MODE_DRY_RUN, MODE_HEADLESS, MODE_KEYS };

/* A trust refusal in a window (no terminal to type --trust in, and no
 * "run anyway"): offers to import the VM into ~/.VM (vm/import.h), where
 * vmplay trusts it, and plays the copy. Returns only when the user said no
 * or the import failed (said in a window). */
static void offer_import(const struct vm_config *cfg,
			 const struct play_options *opts, const char *title,
			 const char *why)
{
	char *dir = vm_import_folder(cfg, NULL);
	if (!dir || !desktop_wants_message_box()) {
		free(dir);
		return;
	}
	/* TRANSLATORS: a message box; the first %s is why vmplay refused
	 * the VM file, the second the folder the import would make. */
	char *text = xasprintf(
		_("%s\n\nImport copies this VM file and its disks into %s, "
		  "your own VM folder, where vmplay trusts VM files: the "
		  "settings above then take effect, so import only a file "
		  "whose source you trust. The original stays as it is."),
		why, dir);
	const char *home = getenv("HOME");
	size_t hl = home ? strlen(home) : 0;
	char *yes = hl && !strncmp(dir, home, hl) && dir[hl] == '/'
		/* TRANSLATORS: a button; %s is a folder under the home
		 * folder, written ~/.VM/NAME. */
		? xasprintf(_("import into ~%s and play it"), dir + hl)
		/* TRANSLATORS: a button; %s is a folder. */
		: xasprintf(_("import into %s and play it"), dir);
	if (desktop_ask(title, text, yes)) {
		char *file = NULL, *error = NULL;
		if (vm_import(cfg, NULL, &file, &error)) {
			instance_release(opts->instance);
			char *argv[] = { (char *)"vmplay", opts->fullscreen
				? (char *)"--fullscreen" : file,
				opts->fullscreen ? file : NULL, NULL };
			execv("/proc/self/exe", argv);
			error = xasprintf(_("cannot start vmplay on %s: %s"),
					  file, strerror(errno));
		}
		desktop_show_error(title, error);
		free(error);
		free(file);
	}
	free(yes);
	free(text);
	free(dir);
}

/* libvirt's questions while connecting (a key's passphrase, a password),
 * in a window of their own. */
static char *ask_in_window(void *user, const char *question, bool secret)
{
	(void)user;
	return ask_window(_("vmplay: libvirt asks"), question, secret);
}

/* Whether a person may be at a terminal to answer a prompt: a
 * controlling terminal (none when started from the library or a desktop
 * file, which start vmplay in a session of its own). */
static bool have_terminal(void)
{
	int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

/* The window with a libvirt domain: vmplay --connect URI DOMAIN (cfg
 * NULL: a VM file's defaults, named after the domain, the current folder
 * for screenshots and ISOs), or a VM file with [libvirt] (cfg: its name,
 * keys and display settings). */
static int play_libvirt(const char *uri, const char *domain,
			const struct play_options *opts, struct vm_config *cfg)
{
	char *error = NULL, *name = NULL;
	if (uri && !*uri)
		uri = NULL;   /* LIBVIRT_DEFAULT_URI, or libvirt's default */
	/* without a terminal libvirt's questions come in a window */
	if (!have_terminal() && desktop_has_display())
		libvirt_set_asker(ask_in_window, NULL);
	struct machine *m = libvirt_machine_open(uri, domain, &name, &error);
	if (!m) {
		char *title = xasprintf(_("vmplay: cannot play %s"), domain);
		desktop_show_error(title, error);
		free(title);
		free(error);
		free(name);
		return 1;
	}
	struct vm_config *own = NULL;
	if (!cfg) {
		char *cwd = path_absolute(".");
		char *path = path_join(cwd, "libvirt.vmplay");
		own = cfg = config_parse(path, "[vm]\n", 5, &error);
		free(path);
		free(cwd);
		if (!cfg) {
			fprintf(stderr, "vmplay: %s\n", error);
			free(error);
			free(name);
			machine_destroy(m);
			return 1;
		}
		free(cfg->name);
		cfg->name = xstrdup(name);
	}
	free(name);
	if (opts->fullscreen)
		cfg->fullscreen = true;
	int status = player_play(cfg, opts, m);
	config_destroy(own);
	return status;
}

/* A VM file naming a domain on another host connects there only once the
 * user has seen where (remembered per file and URI), or with --trust. */
static bool remote_allowed(const struct vm_config *cfg, bool trusted)
{
	const char *uri = cfg->libvirt_uri;
	char *host = uri ? libvirt_uri_host(uri) : xstrdup("");
	bool remote = *host != '\0';
	bool ok = !remote || trusted || trust_remote_known(cfg->path, uri);
	if (!ok) {
		/* TRANSLATORS: a question before connecting; %1$s is the
		 * VM file, %2$s the libvirt domain, %3$s the host, %4$s the
		 * libvirt URI. */
		char *msg = xasprintf(_("%s plays the libvirt domain '%s' on "
					"the host %s (%s). vmplay will connect "
					"there as this URI says (SSH keys, "
					"passwords and known hosts as for "
					"virsh) and write nothing there unless "
					"you ask for it."),
				      cfg->path, cfg->libvirt_domain, host, uri);
		/* TRANSLATORS: a window title; %s is a host name. */
		char *title = xasprintf(_("vmplay: connect to %s?"), host);
		/* TRANSLATORS: a button */
		ok = desktop_confirm(title, msg, _("Connect"));
		if (ok)
			trust_remote_remember(cfg->path, uri);
		else
			log_error(_("not connecting to %s for %s (run it "
				    "from a terminal to be asked, or with "
				    "--trust)"),
				  host, cfg->path);
		free(title);
		free(msg);
	}
	free(host);
	return ok;
}

/* Before a VM runs: one vmplay per VM file (a second open raises the
 * first window), the trust rule for settings that reach the host, then
 * the files and QEMU. Errors go to a message box too when there is no
 * terminal. Returns -1 to go on, else the exit status. */
static int prepare_play(struct vm_config *cfg, struct play_options *opts,
			bool window)
{
	char *msg = NULL;
	char *title = xasprintf(_("vmplay: cannot play %s"), cfg->name);
	int status = 1;
	switch (instance_claim(cfg->path, window ? INSTANCE_WINDOW
						 : INSTANCE_HEADLESS,
			       0, &opts->instance, &msg)) {
	case INSTANCE_FIRST:
		break;
	case INSTANCE_RAISED:
		log_info("%s", msg);
		status = 0;
		goto out;
	case INSTANCE_ELSEWHERE: {
		/* running headless: a window on it is what playing it means */
		long pid;
		bool has_window;
		if (window && instance_holder(cfg->path, &pid, &has_window) &&
		    !has_window) {
			status = view_headless(cfg, pid, opts);
			goto out;
		}
		desktop_show_error(title, msg);
		goto out;
	}
	default:
		desktop_show_error(title, msg);
		goto out;
	}
	free(msg);
	msg = NULL;
	if (!trust_check(cfg, opts->trust, NULL, &msg)) {
		if (window)
			offer_import(cfg, opts, title, msg);   /* execs on yes */
		desktop_show_error(title, msg);
		goto out;
	}
	if (window)
		desktop_offer_missing_disks(cfg);
	if (!desktop_check_runnable(cfg, &msg)) {
		desktop_show_error(title, msg);
		goto out;
	}
	status = -1;
out:
	free(msg);
	free(title);
	return status;
}

/* The [keys] values are the player's to parse (bindings.c): the settings
 * writer checks them through here, so that `vmplay set` and the Settings
 * page refuse a key the window would refuse. */
static bool check_bindings(const struct vm_config *cfg, char **error)
{
	struct bindings *b = bindings_load(cfg, error);
	bindings_destroy(b);
	return b != NULL;
}

int main(int argc, char **argv)
{
	i18n_init();
	settings_set_extra_check(check_bindings);
	if (argc > 1) {
		for (size_t i = 0; i < ARRAY_SIZE(subcommands); i++)
			if (strcmp(argv[1], subcommands[i].name) == 0)
				return subcommands[i].run(argc - 1, argv + 1);
	}

	enum { OPT_HEADLESS = 256, OPT_KIOSK, OPT_TRUST, OPT_KEYS,
	       OPT_EXIT_ON_POWEROFF };
	const char *connect_uri = NULL;
	static const struct option options[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "headless", no_argument, NULL, OPT_HEADLESS },
		{ "fullscreen", no_argument, NULL, 'f' },
		{ "kiosk", no_argument, NULL, OPT_KIOSK },
		{ "trust", no_argument, NULL, OPT_TRUST },
		{ "keys", no_argument, NULL, OPT_KEYS },
		{ "connect", required_argument, NULL, 'c' },
		{ "exit-on-poweroff", no_argument, NULL, OPT_EXIT_ON_POWEROFF },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	enum play_mode mode = MODE_PLAY;
	/* this build has the library window: the stopped screen offers it */
	struct play_options opts = { .library = true };
	int c;
	while ((c = getopt_long(argc, argv, "nfvhVc:", options, NULL)) != -1) {
		switch (c) {
		case 'n': mode = MODE_DRY_RUN; break;
		case OPT_HEADLESS: mode = MODE_HEADLESS; break;
		case 'f': opts.fullscreen = true; break;
		case OPT_KIOSK: opts.kiosk = true; break;
		case OPT_TRUST: opts.trust = true; break;
		case OPT_KEYS: mode = MODE_KEYS; break;
		case 'c': connect_uri = optarg; break;
		case OPT_EXIT_ON_POWEROFF: opts.exit_on_poweroff = true; break;
		case 'v': log_set_level(LOG_DEBUG); break;
		case 'h': usage(stdout); return 0;
		case 'V': printf("vmplay %s\n", VMPLAY_VERSION); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (mode == MODE_KEYS && optind == argc)
		return bindings_cmd_keys(NULL);
	if (connect_uri) {
		if (optind != argc - 1) {
			fputs(optind == argc
				      ? _("vmplay: --connect URI needs a DOMAIN "
					  "(name, UUID or id)\n")
				      : _("vmplay: --connect URI takes one "
					  "DOMAIN\n"),
			      stderr);
			usage(stderr);
			return 2;
		}
		if (mode != MODE_PLAY || opts.kiosk) {
			fputs(_("vmplay: --connect plays a domain in a "
				"window; --dry-run, --headless, --kiosk and "
				"--keys are for VM files (libvirt runs the "
				"domain without a window: virsh start)\n"),
			      stderr);
			return 2;
		}
		return play_libvirt(connect_uri, argv[optind], &opts, NULL);
	}
	if (optind == argc && mode == MODE_PLAY && !opts.kiosk) {
		int status = library_run();
		if (status != LIBRARY_NO_DISPLAY)
			return status;
		fputs(_("vmplay: no display for the library window; give a "
			"VM file (`vmplay list` shows them)\n"), stderr);
		usage(stderr);
		return 2;
	}
	if (optind != argc - 1) {
		if (optind == argc)
			fputs(_("vmplay: no VM file given\n"), stderr);
		else
			fprintf(stderr, _("vmplay: '%s': one VM file at a "
					  "time (or an unknown command)\n"),
				argv[optind + 1]);
		usage(stderr);
		return 2;
	}
	opts.file = argv[optind];

	char *error = NULL;
	char *found = library_resolve(opts.file, &error);
	if (error) {
		/* TRANSLATORS: a window title */
		desktop_show_error(_("vmplay: nothing to play"), error);
		free(error);
		return 1;
	}
	if (found)
		opts.file = found;
	struct vm_config *cfg = config_load(opts.file, &error);
	if (!cfg) {
		char *base = path_basename(opts.file);
		/* TRANSLATORS: a window title; %s is the VM file's name. */
		char *title = xasprintf(_("vmplay: cannot play %s"), base);
		desktop_show_error(title, error);
		free(title);
		free(base);
		free(error);
		free(found);
		return 1;
	}
	if (cfg->libvirt_domain && mode != MODE_KEYS) {   /* [libvirt] */
		int status;
		if (mode == MODE_DRY_RUN) {
			/* TRANSLATORS: --dry-run of a VM file that names a
			 * libvirt domain; %1$s the domain, %2$s its URI. */
			printf(_("libvirt domain %s at %s\n"),
			       cfg->libvirt_domain,
			       cfg->libvirt_uri ? cfg->libvirt_uri
						: _("libvirt's default URI"));
			status = 0;
		} else if (mode != MODE_PLAY || opts.kiosk) {
			fprintf(stderr, _("vmplay: %s names a libvirt domain: "
					  "it plays in a window (--headless and "
					  "--kiosk are for QEMU VM files; virsh "
					  "start runs it without one)\n"),
				opts.file);
			status = 2;
		} else {
			status = remote_allowed(cfg, opts.trust)
					 ? play_libvirt(cfg->libvirt_uri,
							cfg->libvirt_domain,
							&opts, cfg)
					 : 1;
		}
		config_destroy(cfg);
		return status;
	}
	if (opts.kiosk)
		cfg->kiosk = true;
	int status;
	if (mode == MODE_PLAY || mode == MODE_HEADLESS) {
		status = prepare_play(cfg, &opts, mode == MODE_PLAY);
		if (status >= 0)
			goto out;
		library_note_played(cfg->path);   /* the library lists it */
	}
	switch (mode) {
	case MODE_DRY_RUN: status = dry_run(cfg); break;
	case MODE_HEADLESS:
		status = cfg->kiosk ? kiosk_headless_run(cfg)
				    : headless_run(cfg, opts.instance);
		break;
	case MODE_KEYS: status = bindings_cmd_keys(cfg); break;
	default: status = player_run(cfg, &opts); break;
	}
out:
	instance_release(opts.instance);
	config_destroy(cfg);
	free(found);
	return status;
}
