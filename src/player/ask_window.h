/* A question in a small window of its own, answered by typing: what
 * libvirt asks while vmplay connects (a key's passphrase, a password)
 * when no terminal is there to ask on. Drawn with the library window's
 * helpers (library_ui.c). */
#ifndef VMPLAY_ASK_WINDOW_H
#define VMPLAY_ASK_WINDOW_H

#include <stdbool.h>

/* Shows title and question (wrapped) above a one-line field; secret hides
 * what is typed (a dot per character). Enter or OK answers, Escape,
 * Cancel or closing the window declines. The answer (malloc'd), or NULL
 * when declined or when no window can be opened. Initialises SDL's video
 * and leaves it so (SDL_Quit ends it): the player's window follows in the
 * same process. */
char *ask_window(const char *title, const char *question, bool secret);

#endif
