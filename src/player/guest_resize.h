/* When to ask the guest for the window's size ([display] resize-guest):
 * the policy alone, no I/O, so it can be tested with made-up clocks.
 *
 * The window's size in physical pixels is recorded at every change; one
 * request goes out once it has stayed the same for GUEST_RESIZE_SETTLE_MS
 * (a drag sends dozens of sizes; the guest should see the last), and only
 * when it differs from both the guest's size and the last request (the
 * window following the guest's own changes asks nothing). A refusal
 * (QEMU: the display device cannot) stops the asking for the session; the
 * picture is scaled meanwhile and then.
 *
 * A windowed player fits its window to the guest after each guest resize;
 * the window system reports that new size a moment later, and any size
 * reported in between is stale (it would ask the guest to go back). So
 * after a guest resize, window sizes are ignored until the guest's own
 * size comes back, or GUEST_RESIZE_FIT_MS pass; then the last size the
 * window reported is the window's (a user's resize in that moment is
 * asked for late, not lost). A guest that took the window's size needs
 * no fit: the window system reports nothing, and nothing is ignored. */
#ifndef VMPLAY_GUEST_RESIZE_H
#define VMPLAY_GUEST_RESIZE_H

#include <stdbool.h>
#include <stdint.h>

#define GUEST_RESIZE_SETTLE_MS 300
#define GUEST_RESIZE_FIT_MS 1500

struct guest_resize {
	bool enabled;
	bool refused;            /* QEMU answered that it cannot */
	int want_w, want_h;      /* the window, 0 before the first change */
	uint64_t changed_ms;
	int asked_w, asked_h;    /* the last request, 0 none */
	uint64_t fit_until;      /* ignore window sizes until then... */
	int fit_w, fit_h;        /* ...or until this one is reported */
	int seen_w, seen_h;      /* the last size the window reported */
};

void guest_resize_init(struct guest_resize *gr, bool enabled);
/* The guest changed size and the window is being fitted to it (w x h:
 * the window's size in physical pixels once fitted). */
void guest_resize_fitting(struct guest_resize *gr, int w, int h,
			  uint64_t now);
/* The window's drawable size changed (physical pixels). */
void guest_resize_window(struct guest_resize *gr, int w, int h, uint64_t now);
/* Whether to ask now; then *w, *h is the size and it counts as asked. */
bool guest_resize_due(struct guest_resize *gr, uint64_t now, int guest_w,
		      int guest_h, int *w, int *h);
/* Milliseconds until guest_resize_due may say yes; -1: nothing pending. */
int guest_resize_timeout_ms(struct guest_resize *gr, uint64_t now,
			    int guest_w, int guest_h);
/* QEMU's answer (vnc_desktop_size.h status). */
void guest_resize_answer(struct guest_resize *gr, bool accepted);

#endif
