/* vmplay check: what this machine offers vmplay, one line per item with
 * "ok", "warning" or "missing". Exits 1 when something vmplay cannot run
 * without (QEMU, qemu-img) is missing, else 0. */
#include "cli/commands.h"

#include "base/i18n.h"
#include "base/log.h"
#include "base/proc.h"
#include "base/util.h"
#include "vm/libvirt_machine.h"
#include "vm/qemu_args.h"

#include <SDL.h>
#include <errno.h>
#include <fcntl.h>
#include <fontconfig/fontconfig.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Children get this long before they are killed: -audiodev help and
 * --version return at once, so this only bounds a broken binary. */
#define CHILD_TIMEOUT_MS 20000
#define OUTPUT_MAX (64 * 1024)

enum check_status { CHECK_OK, CHECK_WARNING, CHECK_MISSING };

/* The first two columns are for scripts as much as for people: the
 * status words and the items' names stay English in every language
 * (vmplay(1) says so); the explanation after them is translated. */
static const char *const status_words[] = {
	[CHECK_OK] = "ok",
	[CHECK_WARNING] = "warning",
	[CHECK_MISSING] = "missing",
};

static void report(enum check_status status, const char *item,
		   const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void report(enum check_status status, const char *item,
		   const char *fmt, ...)
{
	printf("%-8s %-9s ", status_words[status], item);
	va_list ap;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* Runs argv with stdout captured (stderr and stdin on /dev/null). Returns
 * the output (caller frees) or NULL when it could not run or failed. */
static char *run_capture(const char *const *argv)
{
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) < 0)
		return NULL;
	struct proc_spec spec = {
		.argv = (char *const *)argv, .in = -1, .out = fds[1], .err = -1,
	};
	int err = 0;
	pid_t pid = proc_spawn(&spec, &err);
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return NULL;
	}
	close(fds[1]);
	char *out = xmalloc(OUTPUT_MAX + 1);
	size_t len = 0;
	uint64_t deadline = now_ms() + CHILD_TIMEOUT_MS;
	bool timed_out = false;
	for (;;) {
		uint64_t now = now_ms();
		if (now >= deadline) {
			timed_out = true;
			break;
		}
		struct pollfd p = { .fd = fds[0], .events = POLLIN };
		int r = poll(&p, 1, (int)(deadline - now));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			timed_out = r == 0;
			break;
		}
		ssize_t n = read(fds[0], out + len, OUTPUT_MAX - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		if (len == OUTPUT_MAX)
			break;
	}
	close(fds[0]);
	if (timed_out)
		kill(pid, SIGKILL);
	int status = proc_wait(pid);
	out[len] = '\0';
	if (timed_out || status == -1 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		free(out);
		return NULL;
	}
	return out;
}

/* "QEMU emulator version 7.2.22 (Debian ...)" -> "7.2.22". Caller frees. */
static char *version_from(const char *text)
{
	const char *v = text ? strstr(text, "version ") : NULL;
	if (!v)
		return xstrdup(_("unknown version"));
	v += strlen("version ");
	return xstrndup(v, strcspn(v, " \n"));
}

/* A required program: found and answering --version. */
static bool check_program(const char *item, const char *binary,
			  const char *package)
{
	char *path = path_which(binary);
	if (!path) {
		/* TRANSLATORS: %1$s a program, %2$s a Debian package. */
		report(CHECK_MISSING, item, _("%s not found in PATH; install "
					      "it with: apt-get install %s"),
		       binary, package);
		return false;
	}
	const char *argv[] = { path, "--version", NULL };
	char *out = run_capture(argv);
	if (!out) {
		report(CHECK_MISSING, item, _("%s does not run (%s --version "
					      "failed); reinstall it with: "
					      "apt-get install --reinstall %s"),
		       path, path, package);
		free(path);
		return false;
	}
	char *version = version_from(out);
	report(CHECK_OK, item, "%s %s", path, version);
	free(version);
	free(out);
	free(path);
	return true;
}

static void check_kvm(const struct qemu_host *host)
{
	if (host->kvm_usable)
		report(CHECK_OK, "kvm", "%s", _("/dev/kvm is usable: accel = "
						"auto uses KVM"));
	else
		/* TRANSLATORS: %s says why KVM is not usable. */
		report(CHECK_WARNING, "kvm", _("not usable: %s; VMs run with "
					       "TCG emulation (much slower)"),
		       host->kvm_problem);
}

static const char *const audio_names[] = {
	[AUDIO_AUTO] = "auto", [AUDIO_PA] = "pa", [AUDIO_ALSA] = "alsa",
	[AUDIO_SDL] = "sdl", [AUDIO_NONE] = "none",
};

char *check_audio_line(const char *backends, bool has_pa,
		       enum audio_backend auto_uses, bool *ok)
{
	/* "ok" only when accel = auto finds a sound output: a VM that is
	 * silent because none was found deserves a warning saying what to
	 * install or start. */
	*ok = auto_uses != AUDIO_NONE && has_pa;
	/* TRANSLATORS: vmplay check's audio line. The first %s lists
	 * QEMU's audio backends (pa, alsa, sdl...): names, as is "auto"
	 * (the value of the audio key). */
	if (auto_uses == AUDIO_NONE && has_pa)
		return xasprintf(_("backends: %s; auto finds no sound output, "
				   "so VMs are silent: no PulseAudio or "
				   "PipeWire server runs for this user "
				   "(apt-get install pipewire-pulse, and log "
				   "in again)"), backends);
	if (auto_uses == AUDIO_NONE)
		return xasprintf(_("backends: %s; auto finds no sound output, "
				   "so VMs are silent: apt-get install "
				   "qemu-system-gui (the pa and sdl backends) "
				   "and pipewire-pulse"), backends);
	/* TRANSLATORS: %1$s QEMU's audio backends, %2$s the one the audio
	 * setting "auto" picks (pa, alsa...). */
	if (!has_pa)
		return xasprintf(_("backends: %s; auto uses %s (for pa and "
				   "sdl: apt-get install qemu-system-gui)"),
				 backends, audio_names[auto_uses]);
	return xasprintf(_("backends: %s; auto uses %s"), backends,
			 audio_names[auto_uses]);
}

/* What "QEMU OPTION help" prints (malloc'd), or NULL after reporting
 * item as missing (no QEMU) or the question as failed. */
static char *qemu_help(const struct qemu_host *host, bool have_qemu,
		       const char *item, const char *option)
{
	if (!have_qemu) {
		report(CHECK_MISSING, item, "%s", _("cannot ask QEMU (it is "
						    "missing or does not run)"));
		return NULL;
	}
	const char *argv[] = { host->qemu_binary, option, "help", NULL };
	char *out = run_capture(argv);
	if (!out)
		/* TRANSLATORS: "%s %s help" is a command line: the QEMU
		 * program and one of its options. */
		report(CHECK_WARNING, item, _("%s %s help failed"),
		       host->qemu_binary, option);
	return out;
}

/* What "-audiodev help" lists: one backend per line after a heading. */
static void check_audio(const struct qemu_host *host, bool have_qemu)
{
	char *out = qemu_help(host, have_qemu, "audio", "-audiodev");
	if (!out)
		return;
	struct strv names = { 0 };
	bool has_pa = false;
	char *save = NULL;
	for (char *line = strtok_r(out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (strchr(line, ' ') || strchr(line, ':') || !*line)
			continue;  /* the heading */
		strv_push(&names, line);
		has_pa |= strcmp(line, "pa") == 0;
	}
	char *list = strv_join_quoted(&names);
	bool ok = false;
	char *line = check_audio_line(list, has_pa, host->audio_auto, &ok);
	report(ok ? CHECK_OK : CHECK_WARNING, "audio", "%s", line);
	free(line);
	free(list);
	strv_free(&names);
	free(out);
}

/* The clipboard needs QEMU's own SPICE agent end, the qemu-vdagent
 * chardev (QEMU 6.1 and later, built with spice-protocol). */
static void check_clipboard(const struct qemu_host *host, bool have_qemu)
{
	char *out = qemu_help(host, have_qemu, "clipboard", "-chardev");
	if (!out)
		return;
	bool found = false;
	char *save = NULL;
	for (char *line = strtok_r(out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		while (*line == ' ')
			line++;
		found |= strcmp(line, "qemu-vdagent") == 0;
	}
	free(out);
	if (found)
		report(CHECK_OK, "clipboard", "%s",
		       _("QEMU has the qemu-vdagent chardev: text passes to "
			 "and from guests running spice-vdagent"));
	else
		report(CHECK_WARNING, "clipboard", "%s",
		       _("this QEMU has no qemu-vdagent chardev (QEMU 6.1 or "
			 "later has it): set [clipboard] enabled = false, or "
			 "VMs will not start"));
}

static void check_video(void)
{
	struct strv names = { 0 };
	for (int i = 0; i < SDL_GetNumVideoDrivers(); i++)
		strv_push(&names, SDL_GetVideoDriver(i));
	char *list = strv_join_quoted(&names);
	const char *display = getenv("WAYLAND_DISPLAY");
	const char *kind = "WAYLAND_DISPLAY";
	if (!display || !*display) {
		display = getenv("DISPLAY");
		kind = "DISPLAY";
	}
	if (names.n == 0)
		report(CHECK_MISSING, "video", "%s",
		       _("SDL has no video drivers (apt-get install "
			 "libsdl2-2.0-0)"));
	else if (display && *display)
		/* TRANSLATORS: %1$s SDL's video drivers, then
		 * DISPLAY=:0 or WAYLAND_DISPLAY=wayland-0 */
		report(CHECK_OK, "video", _("SDL drivers: %s; %s=%s"), list,
		       kind, display);
	else
		report(CHECK_WARNING, "video", _("SDL drivers: %s; no DISPLAY "
						 "or WAYLAND_DISPLAY: a window "
						 "needs kmsdrm (a console) or "
						 "use --headless"), list);
	free(list);
	strv_free(&names);
}

static void check_uefi(const struct qemu_host *host)
{
	if (host->uefi_code)
		report(CHECK_OK, "uefi", "OVMF %s", host->uefi_code);
	else
		report(CHECK_WARNING, "uefi", "%s",
		       _("OVMF not installed: firmware = uefi needs it "
			 "(apt-get install ovmf)"));
}

/* The font the menu would use: fontconfig's best sans-serif match. */
static void check_font(void)
{
	if (!FcInit()) {
		report(CHECK_WARNING, "font", "%s",
		       _("fontconfig does not start"));
		return;
	}
	FcPattern *pattern = FcNameParse((const FcChar8 *)"sans-serif");
	FcConfigSubstitute(NULL, pattern, FcMatchPattern);
	FcDefaultSubstitute(pattern);
	FcResult result;
	FcPattern *match = FcFontMatch(NULL, pattern, &result);
	FcChar8 *file = NULL;
	if (match && FcPatternGetString(match, FC_FILE, 0, &file) ==
		     FcResultMatch && path_exists((const char *)file))
		report(CHECK_OK, "font", "%s", (const char *)file);
	else
		report(CHECK_WARNING, "font", "%s",
		       _("no font found for the menu (apt-get install "
			 "fonts-dejavu-core)"));
	if (match)
		FcPatternDestroy(match);
	FcPatternDestroy(pattern);
	FcFini();
}

/* vmplay --connect: the library is linked in; is there a daemon to talk
 * to? LIBVIRT_DEFAULT_URI when it names a local one, else qemu:///system;
 * read-only, so nothing asks for a password. */
static void check_libvirt(void)
{
	const char *version = libvirt_library_version();
	const char *env = getenv("LIBVIRT_DEFAULT_URI");
	/* "driver:///path" names no host: local */
	const char *uri = env && strstr(env, ":///") ? env : "qemu:///system";
	char *detail = NULL;
	if (libvirt_probe(uri, &detail))
		/* TRANSLATORS: %1$s libvirt's version, %2$s a libvirt URI,
		 * %3$s what the daemon answered (its version). */
		report(CHECK_OK, "libvirt", _("library %s; %s answers: %s"),
		       version ? version : "?", uri, detail);
	else
		/* TRANSLATORS: %1$s libvirt's version, %2$s a libvirt URI,
		 * %3$s why it did not answer. */
		report(CHECK_WARNING, "libvirt",
		       _("library %s; no daemon at %s (%s): vmplay --connect "
			 "needs one there or on another host (apt-get install "
			 "libvirt-daemon-system)"),
		       version ? version : "?", uri, detail);
	free(detail);
}

int cmd_check(int argc, char **argv)
{
	if (argc > 1) {
		bool help = strcmp(argv[1], "--help") == 0 ||
			    strcmp(argv[1], "-h") == 0;
		fputs(_("Usage: vmplay check\n"
			"Checks QEMU and qemu-img (required), KVM, audio "
			"backends, the clipboard\n(qemu-vdagent), SDL video "
			"drivers, OVMF, a menu font and libvirt (for\n"
			"vmplay --connect), one line each. Exits 1 when "
			"something required\nis missing. VMPLAY_QEMU names "
			"another QEMU binary.\n"), help ? stdout : stderr);
		return help ? 0 : 2;
	}
	struct qemu_host host = { 0 };
	qemu_host_detect(&host);
	bool have_qemu = check_program("qemu", host.qemu_binary,
				       "qemu-system-x86");
	bool have_img = check_program("qemu-img", "qemu-img", "qemu-utils");
	check_kvm(&host);
	check_audio(&host, have_qemu);
	check_clipboard(&host, have_qemu);
	check_video();
	check_uefi(&host);
	check_font();
	check_libvirt();
	fflush(stdout);
	if (!have_qemu || !have_img) {
		if (!have_qemu && !have_img)
			log_error("%s", _("vmplay needs QEMU and qemu-img: "
					  "apt-get install qemu-system-x86 "
					  "qemu-utils"));
		else if (!have_qemu)
			log_error("%s", _("vmplay needs QEMU: apt-get install "
					  "qemu-system-x86"));
		else
			log_error("%s", _("vmplay needs qemu-img: apt-get "
					  "install qemu-utils"));
		return 1;
	}
	return 0;
}
