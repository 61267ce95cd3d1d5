/* See screen_notes.h. */
#include "player/screen_notes.h"

#include "base/util.h"

#include <stdlib.h>

char *screen_note_shutting_down(const char *vm, const char *why,
				enum shutdown_by by)
{
	const char *next = "";
	switch (by) {
	case SHUTDOWN_BY_CLOSE:
		/* A second close escalates (vm_session_request_stop). */
		next = "Close the window again to turn it off now.";
		break;
	case SHUTDOWN_BY_MENU:
		next = "When it is off, this window offers to run it again; "
		       "close the window to turn the VM off now.";
		break;
	case SHUTDOWN_KIOSK_QUIT:
		/* A kiosk window has no close button: nothing to click. */
		next = "Kiosk mode ends when it is off; if the guest does not "
		       "stop, it is turned off after the shutdown timeout.";
		break;
	case SHUTDOWN_KIOSK_RESTART:
		next = "It starts again once it is off.";
		break;
	}
	return xasprintf("Shutting down %s: %s.\n\n%s", vm, why, next);
}

static char *how_to_resume(const char *keys)
{
	return keys && *keys ? xasprintf("%s resumes it", keys)
			     : xstrdup("Resume in the menu resumes it");
}

char *screen_note_paused(const char *resume_keys)
{
	char *how = how_to_resume(resume_keys);
	char *s = xasprintf("Paused: %s.\nKeys and clicks do not reach a paused "
			    "guest.", how);
	free(how);
	return s;
}

char *screen_note_keys_paused(const char *resume_keys)
{
	char *how = how_to_resume(resume_keys);
	char *s = xasprintf("The VM is paused: keys do not reach it. %s.", how);
	free(how);
	return s;
}

char *screen_note_menu_hint(const char *menu_keys)
{
	if (!menu_keys || !*menu_keys)
		return NULL;
	return xasprintf("%s: menu (snapshots, media, disks, view, quit)",
			 menu_keys);
}

char *screen_note_grabbed(const char *release_keys, const char *menu_keys)
{
	bool release = release_keys && *release_keys;
	bool menu = menu_keys && *menu_keys;
	return xasprintf("Pointer grabbed%s%s%s%s%s", release ? ": " : "",
			 release ? release_keys : "",
			 release ? " lets go" : "", menu ? " · menu: " : "",
			 menu ? menu_keys : "");
}
