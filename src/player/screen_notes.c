/* See screen_notes.h. */
#include "player/screen_notes.h"

#include "base/i18n.h"
#include "base/util.h"

#include <stdlib.h>

char *screen_note_shutting_down(const char *vm, const char *why,
				enum shutdown_by by)
{
	const char *next = "";
	switch (by) {
	case SHUTDOWN_BY_CLOSE:
		/* A second close escalates (vm_session_request_stop). */
		next = _("Close the window again to turn it off now.");
		break;
	case SHUTDOWN_BY_MENU:
		next = _("When it is off, this window offers to run it again; "
			 "close the window to turn the VM off now.");
		break;
	case SHUTDOWN_KIOSK_QUIT:
		/* A kiosk window has no close button: nothing to click. */
		next = _("Kiosk mode ends when it is off; if the guest does not "
			 "stop, it is turned off after the shutdown timeout.");
		break;
	case SHUTDOWN_KIOSK_RESTART:
		next = _("It starts again once it is off.");
		break;
	}
	/* TRANSLATORS: on the window while the guest shuts down: the VM's
	 * name, why (e.g. "the window was closed"), then what happens next. */
	return xasprintf(_("Shutting down %s: %s.\n\n%s"), vm, why, next);
}

char *screen_note_paused(const char *resume_keys)
{
	/* TRANSLATORS: %s names the resume keys, e.g. "Ctrl+Alt+P". */
	if (resume_keys && *resume_keys)
		return xasprintf(_("Paused: %s resumes it.\nKeys and clicks do "
				   "not reach a paused guest."), resume_keys);
	return xstrdup(_("Paused: Resume in the menu resumes it.\nKeys and "
			 "clicks do not reach a paused guest."));
}

char *screen_note_keys_paused(const char *resume_keys)
{
	/* TRANSLATORS: %s names the resume keys, e.g. "Ctrl+Alt+P". */
	if (resume_keys && *resume_keys)
		return xasprintf(_("The VM is paused: keys do not reach it. "
				   "%s resumes it."), resume_keys);
	return xstrdup(_("The VM is paused: keys do not reach it. Resume in "
			 "the menu resumes it."));
}

char *screen_note_menu_hint(const char *menu_keys)
{
	if (!menu_keys || !*menu_keys)
		return NULL;
	/* TRANSLATORS: %s names the menu's keys, e.g. "Ctrl+Alt+M". */
	return xasprintf(_("%s: menu (snapshots, media, disks, view, quit)"),
			 menu_keys);
}

char *screen_note_grabbed(const char *release_keys, const char *menu_keys)
{
	bool release = release_keys && *release_keys;
	bool menu = menu_keys && *menu_keys;
	/* TRANSLATORS: the title while the pointer is grabbed; the %s are
	 * key names: the keys that let go of it, the menu's keys. */
	if (release && menu)
		return xasprintf(_("Pointer grabbed: %s lets go · menu: %s"),
				 release_keys, menu_keys);
	if (release)
		return xasprintf(_("Pointer grabbed: %s lets go"), release_keys);
	if (menu)
		return xasprintf(_("Pointer grabbed · menu: %s"), menu_keys);
	return xstrdup(_("Pointer grabbed"));
}
