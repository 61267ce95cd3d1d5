/* Message boxes for errors, and the checks before playing (desktop.h). */
#include "desktop.h"

#include "log.h"
#include "qemu_args.h"
#include "util.h"

#include <SDL2/SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

bool desktop_wants_message_box(void)
{
	const char *env = getenv("VMPLAY_MESSAGE_BOX");
	if (env && *env)
		return strcmp(env, "0") != 0;
	return !isatty(STDERR_FILENO);
}

void desktop_show_error(const char *title, const char *message)
{
	log_error("%s", message);
	if (!desktop_wants_message_box())
		return;
	/* No SDL_Init needed: SDL opens what the box needs itself. */
	if (SDL_ShowSimpleMessageBox(SDL_MESSAGEBOX_ERROR, title, message,
				     NULL) != 0)
		log_debug("no message box: %s", SDL_GetError());
}

char *desktop_which(const char *name)
{
	if (!name || !*name)
		return NULL;
	if (strchr(name, '/'))
		return access(name, X_OK) == 0 && !path_is_dir(name)
			       ? xstrdup(name) : NULL;
	const char *path = getenv("PATH");
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	char *copy = xstrdup(path), *save = NULL;
	char *found = NULL;
	for (char *dir = strtok_r(copy, ":", &save); dir && !found;
	     dir = strtok_r(NULL, ":", &save)) {
		char *candidate = path_join(*dir ? dir : ".", name);
		if (access(candidate, X_OK) == 0 && !path_is_dir(candidate))
			found = candidate;
		else
			free(candidate);
	}
	free(copy);
	return found;
}

bool desktop_check_runnable(const struct vm_config *cfg, char **error)
{
	*error = NULL;
	char *files = NULL;
	bool ok = config_check_files(cfg, &files);
	char *qemu = desktop_which(qemu_binary());
	if (!qemu) {
		char *line = xasprintf("QEMU (%s) is not installed or not in "
				       "PATH: install the Debian package "
				       "qemu-system-x86%s", qemu_binary(),
				       getenv("VMPLAY_QEMU") ? ", or fix "
				       "VMPLAY_QEMU" : "");
		if (files) {
			char *both = xasprintf("%s\n%s", files, line);
			free(files);
			free(line);
			files = both;
		} else {
			files = line;
		}
		ok = false;
	}
	free(qemu);
	if (ok) {
		free(files);
		return true;
	}
	*error = files ? files : xstrdup("cannot play this VM");
	return false;
}
