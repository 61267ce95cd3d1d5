/* The new-VM wizard of the library window: a form (name, OS preset,
 * installation ISO, memory, processors, disk size and format) checked as
 * it is typed, in front of vm/vm_create.c (the code behind `vmplay new`).
 * Internal to the library window (library.c). */
#ifndef VMPLAY_LIBRARY_WIZARD_H
#define VMPLAY_LIBRARY_WIZARD_H

#include "player/library_ui.h"

struct wizard;

/* redraw draws the window and presents it (progress while creating). */
struct wizard *wizard_create(void (*redraw)(void *user), void *user);
void wizard_destroy(struct wizard *w);   /* accepts NULL */

enum wizard_outcome {
	WIZARD_OPEN,      /* still showing */
	WIZARD_CLOSED,    /* back to the list (created or cancelled) */
	WIZARD_PLAY,      /* play wizard_created_path() */
};

/* One event; x, y of mouse events are already in output pixels. */
enum wizard_outcome wizard_event(struct wizard *w, const SDL_Event *ev,
				 int mx, int my);
void wizard_draw(struct wizard *w, struct ui *ui);
/* The VM file made, or NULL. */
const char *wizard_created_path(const struct wizard *w);

#endif
