/* The sentences the player puts over the guest while the VM changes state,
 * chosen by what the user can actually do next (issue 16: a note that
 * names an action that does nothing, or stays after it stopped being
 * true, is worse than none). Pure functions, unit-tested. */
#ifndef VMPLAY_SCREEN_NOTES_H
#define VMPLAY_SCREEN_NOTES_H

/* Who asked the guest to shut down. */
enum shutdown_by {
	SHUTDOWN_BY_CLOSE,       /* the window's close button, a signal */
	SHUTDOWN_BY_MENU,        /* the menu's Shut down (desktop): the
				    stopped screen follows */
	SHUTDOWN_KIOSK_QUIT,     /* kiosk: Quit with the PIN, or a signal */
	SHUTDOWN_KIOSK_RESTART,  /* kiosk: the menu's Shut down: it restarts */
};

/* "Shutting down NAME: WHY.\n\n" and what to do next. Caller frees. */
char *screen_note_shutting_down(const char *vm, const char *why,
				enum shutdown_by by);

/* Over a dimmed picture while the VM is paused. resume_keys: the pause
 * shortcut as shown ("Ctrl+Alt+P"), "" or NULL when it has none. */
char *screen_note_paused(const char *resume_keys);
/* A toast when keys are typed into a paused VM. */
char *screen_note_keys_paused(const char *resume_keys);

/* The first start of a VM: "Ctrl+Alt+M: menu" (menu_keys as shown); NULL
 * when the menu has no shortcut. */
char *screen_note_menu_hint(const char *menu_keys);
/* The pointer was grabbed: how to let go, and the menu. */
char *screen_note_grabbed(const char *release_keys, const char *menu_keys);

#endif
