/* Signals as a file descriptor for poll(), for every loop that waits on
 * one: the player's window, --headless (headless.c) and the headless
 * kiosk (supervisor.c). SIGINT, SIGTERM and SIGHUP stop the VM; the player
 * adds SIGUSR1 (print statistics). The signals stay blocked while open,
 * so they wait in the descriptor; base/proc.c unblocks them in children
 * before exec. Open it before any thread starts (SDL_Init makes some):
 * threads inherit the blocked mask, so no thread takes a signal itself. */
#ifndef VMPLAY_STOP_SIGNALS_H
#define VMPLAY_STOP_SIGNALS_H

#include <signal.h>
#include <stdbool.h>

struct stop_signals {
	int fd;            /* readable when a signal is pending */
	sigset_t old_mask; /* restored by stop_signals_close */
};

/* The signals that stop a VM, for stop_signals_open (0-terminated). */
extern const int stop_signals_default[];

/* Blocks the signals in the 0-terminated list and opens the descriptor;
 * logs and returns false when that fails (the mask is then as it was). */
bool stop_signals_open(struct stop_signals *ss, const int *signals);

/* The number of one pending signal, or 0 when none is left. */
int stop_signals_take(struct stop_signals *ss);

void stop_signals_close(struct stop_signals *ss);

#endif
