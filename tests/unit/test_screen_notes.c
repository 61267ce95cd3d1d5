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
	/* From the menu the window was never closed: no "close again"; the
	 * stopped screen follows. */
	s = screen_note_shutting_down("demo", "x", SHUTDOWN_BY_MENU);
	CHECK(strstr(s, "window again") == NULL);
	CHECK_CONTAINS(s, "this window offers to run it again; close the "
			  "window to turn the VM off now");
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

/* Item 9: paused says so, and how to resume. */
static void test_paused(void)
{
	char *s = screen_note_paused("Ctrl+Alt+P");
	CHECK_STR(s, "Paused: Ctrl+Alt+P resumes it.\nKeys and clicks do not "
		     "reach a paused guest.");
	free(s);
	s = screen_note_paused("");   /* the shortcut set to none */
	CHECK_CONTAINS(s, "Resume in the menu resumes it");
	free(s);
	s = screen_note_keys_paused("F8");
	CHECK_STR(s, "The VM is paused: keys do not reach it. F8 resumes it.");
	free(s);
}

/* Item 10: the menu's shortcut, and how to let go of a grab. */
static void test_hints(void)
{
	char *s = screen_note_menu_hint("Ctrl+Alt+M");
	CHECK_CONTAINS(s, "Ctrl+Alt+M: menu");
	free(s);
	CHECK(screen_note_menu_hint("") == NULL);   /* menu = none */
	s = screen_note_grabbed("Ctrl+Alt+G", "Ctrl+Alt+M");
	CHECK_STR(s, "Pointer grabbed: Ctrl+Alt+G lets go · menu: Ctrl+Alt+M");
	free(s);
	s = screen_note_grabbed("", "");
	CHECK_STR(s, "Pointer grabbed");
	free(s);
}

int main(void)
{
	RUN(test_hints);
	RUN(test_shutting_down);
	RUN(test_paused);
	return TEST_REPORT();
}
