/* SIGINT, SIGTERM and SIGHUP as a file descriptor for poll(), for the loops
 * without a window (headless.c, the headless kiosk in supervisor.c): they
 * stop the VM when one arrives. The signals stay blocked while open, so
 * they wait in the descriptor; launch.c unblocks them in QEMU before exec. */
#ifndef VMPLAY_STOP_SIGNALS_H
#define VMPLAY_STOP_SIGNALS_H

#include <signal.h>
#include <stdbool.h>

struct stop_signals {
	int fd;            /* readable when a signal is pending */
	sigset_t old_mask; /* restored by stop_signals_close */
};

/* Blocks the signals and opens the descriptor; logs and returns false when
 * that fails (the mask is then as it was). */
bool stop_signals_open(struct stop_signals *ss);

/* The number of one pending signal, or 0 when none is left. */
int stop_signals_take(struct stop_signals *ss);

void stop_signals_close(struct stop_signals *ss);

#endif
