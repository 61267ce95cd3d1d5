/* vmplay list: the library (vm/library.c) as a table, the same VMs the
 * library window shows, in the same order.
 *
 * The table on stdout is for scripts as much as for people, so it is the
 * same in every language: English column headings and state words
 * (running, running headless, off, broken; missing and none for disks;
 * libvirt's words for domains) and sizes with a '.' (format_size). Notes
 * on stderr are translated.
 * vmplay(1) says so. */
#include "cli/commands.h"

#include "base/i18n.h"
#include "base/util.h"
#include "vm/config.h"
#include "vm/library.h"
#include "vm/libvirt_watch.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* TRANSLATORS: --help text: option and command names, key names
 * and words in capitals (FILE, NAME) stay as they are. */
static const char *const usage_text =
	N_("Usage: vmplay list\n"
	"\n"
	"Prints the VM library: every VM file in ~/.VM/ and its folders, and\n"
	"those played recently from elsewhere. One line per VM: name, state\n"
	"(running, running headless, off, or broken when the file does not\n"
	"load), memory, processors, total disk size and the VM file. Notes\n"
	"(a remembered file that is gone, why a file does not load) go to\n"
	"stderr. Play one with `vmplay NAME` or `vmplay PATH`.\n"
	"\n"
	"Then the domains of the libvirt connections in [connections] of\n"
	"~/.config/vmplay/vmplay.ini, as the library window shows them: name,\n"
	"libvirt's state and the connection's URI in the last column (play one\n"
	"with `vmplay --connect URI NAME`). All are asked at once, without\n"
	"prompts, for up to 10 seconds; a connection that fails or does not\n"
	"answer in time is said on stderr.\n"
	"\n"
	"  -h, --help   show this help\n");

/* How long the connections have to answer, all at once. */
#define CONNECT_WAIT_MS 10000

/* The [connections] of vmplay.ini as the library window shows them: each
 * asked in a thread of its own (libvirt_watch), for CONNECT_WAIT_MS at
 * most. A file that does not read is said on stderr. */
static size_t list_connections(struct libvirt_watch_conn **out)
{
	*out = NULL;
	char *path = config_user_file();
	struct vm_connection *list = NULL;
	size_t n = 0;
	char *error = NULL;
	if (path && !config_load_user_connections(path, &list, &n, &error)) {
		fprintf(stderr, _("vmplay list: %s\n"), error);
		free(error);
	}
	free(path);
	if (!n)
		return 0;
	struct libvirt_watch *w = libvirt_watch_start(list, n, 60000, 60000);
	config_free_connections(list, n);
	libvirt_watch_wait(w, CONNECT_WAIT_MS);
	n = libvirt_watch_get(w, out);
	libvirt_watch_stop(w);   /* a thread still connecting is left */
	return n;
}

int cmd_list(int argc, char **argv)
{
	static const struct option options[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (c) {
		case 'h': fputs(_(usage_text), stdout); return 0;
		default: fputs(_(usage_text), stderr); return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, _("vmplay list: '%s': no arguments expected\n"),
			argv[optind]);
		return 2;
	}
	struct library *lib = library_scan();
	for (size_t i = 0; i < lib->notes.n; i++)
		fprintf(stderr, _("vmplay list: note: %s\n"), lib->notes.v[i]);
	struct libvirt_watch_conn *conns = NULL;
	size_t n_conns = list_connections(&conns);
	int name_w = 4, n_domains = 0;
	for (size_t i = 0; i < lib->n; i++) {
		int w = (int)strlen(lib->entries[i].name);
		name_w = w > name_w ? w : name_w;
	}
	for (size_t k = 0; k < n_conns; k++)
		for (int d = 0; d < conns[k].n_domains; d++, n_domains++) {
			int w = (int)strlen(conns[k].domains[d].name);
			name_w = w > name_w ? w : name_w;
		}
	if (!lib->n) {
		char *home = library_home();
		fprintf(stderr, _("vmplay list: no VMs in %s yet; make one "
				  "with `vmplay new NAME` or the wizard in "
				  "`vmplay`\n"),
			home ? home : "~/.VM");
		free(home);
	}
	if (lib->n || n_domains) {
		printf("%-*s  %-16s  %6s  %4s  %6s  %s\n", name_w, "NAME", "STATE",
		       "MEMORY", "CPUS", "DISK", "PATH");
	}
	for (size_t i = 0; i < lib->n; i++) {
		const struct library_entry *e = &lib->entries[i];
		char mem[32] = "-", disk[32] = "-", cpus[16] = "-";
		const char *state = e->running ? (e->headless ? "running headless"
							      : "running")
					       : e->problem ? "broken" : "off";
		if (!e->problem) {
			format_size(e->memory, mem, sizeof(mem));
			format_size(e->disk_bytes, disk, sizeof(disk));
			snprintf(cpus, sizeof(cpus), "%d", e->cpus);
		}
		const char *disk_col = e->missing_disks ? "missing"
				       : e->n_disks || e->problem ? disk : "none";
		printf("%-*s  %-16s  %6s  %4s  %6s  %s\n", name_w, e->name, state,
		       mem, cpus, disk_col, e->path);
		if (e->missing_disks)
			/* TRANSLATORS: %1$s a VM's name, %2$zu a number of
			 * disks. */
			fprintf(stderr, ngettext("vmplay list: %s: %zu of its "
						 "disks is missing\n",
						 "vmplay list: %s: %zu of its "
						 "disks are missing\n",
						 e->missing_disks),
				e->name, e->missing_disks);
		if (e->problem)
			fprintf(stderr, "vmplay list: %s: %s\n", e->name,
				e->problem);
	}
	for (size_t k = 0; k < n_conns; k++) {
		const struct libvirt_watch_conn *conn = &conns[k];
		for (int d = 0; d < conn->n_domains; d++)
			printf("%-*s  %-16s  %6s  %4s  %6s  %s\n", name_w,
			       conn->domains[d].name, conn->domains[d].state,
			       "-", "-", "-", conn->uri);
		if (conn->status == LIBVIRT_WATCH_FAILED)
			fprintf(stderr, _("vmplay list: %s (%s): cannot connect: "
					  "%s\n"), conn->name, conn->uri,
				conn->message);
		else if (conn->status == LIBVIRT_WATCH_CONNECTING)
			fprintf(stderr, _("vmplay list: %s (%s): no answer "
					  "within %d seconds\n"), conn->name,
				conn->uri, CONNECT_WAIT_MS / 1000);
	}
	libvirt_watch_free(conns, n_conns);
	library_destroy(lib);
	return 0;
}
