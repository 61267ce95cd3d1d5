/* The notes over the guest say what the user can do next (issue 16 item
 * 5): never "close the window again" where closing does nothing. */
#include "test.h"

#include "player/screen_notes.h"

#include <stdlib.h>

static void test_shutting_down(void)
{
	char *s = screen_note_shutting_down("demo", "asked the guest to shut down",
					    SHUTDOWN_BY_CLOSE);
	CHECK_STR(s, "Shutting down demo: asked the guest to shut down.\n\n"
		     "Close the window again to turn it off now.");
	free(s);
	/* From the menu the window was never closed: no "again". */
	s = screen_note_shutting_down("demo", "x", SHUTDOWN_BY_MENU);
	CHECK(strstr(s, "again") == NULL);
	CHECK_CONTAINS(s, "close it to turn the VM off now");
	free(s);
	/* Kiosk: no close button; say what happens instead. */
	s = screen_note_shutting_down("kiosk", "x", SHUTDOWN_KIOSK_QUIT);
	CHECK(strstr(s, "Close") == NULL && strstr(s, "close") == NULL);
	CHECK_CONTAINS(s, "Kiosk mode ends when it is off");
	free(s);
	s = screen_note_shutting_down("kiosk", "x", SHUTDOWN_KIOSK_RESTART);
	CHECK(strstr(s, "Close") == NULL && strstr(s, "close") == NULL);
	CHECK_CONTAINS(s, "It starts again once it is off.");
	free(s);
}

int main(void)
{
	RUN(test_shutting_down);
	return TEST_REPORT();
}
