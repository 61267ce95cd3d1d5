/* See screen_notes.h. */
#include "player/screen_notes.h"

#include "base/util.h"

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
		next = "The window closes when it is off; close it to turn "
		       "the VM off now.";
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
