/* Short notifications drawn over the guest ("Snapshot 2026-11-27 10:42
 * taken in 1.8 s", "Cannot insert the ISO: <QEMU's message>"). They stack
 * at the bottom of the window and disappear after a timeout; errors stay
 * longer. The model (show, expire, deadlines) does not need a renderer, so
 * it is unit-tested without a window. */
#ifndef VMPLAY_TOAST_H
#define VMPLAY_TOAST_H

#include "player/text.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum toast_kind { TOAST_INFO, TOAST_ERROR, TOAST_PROGRESS };

/* How long each kind stays, in milliseconds. A progress toast stays until
 * it is replaced (toast_update) or dismissed. */
#define TOAST_INFO_MS 4000
#define TOAST_ERROR_MS 9000
/* At most this many toasts at once; a new one pushes out the oldest. */
#define TOAST_MAX 4

struct toasts;

struct toasts *toasts_create(void);
void toasts_destroy(struct toasts *ts);   /* accepts NULL */

/* Shows a toast at time now (now_ms() clock) and returns its id (> 0), to
 * update or dismiss it later. The same text shown again while still on
 * screen restarts that toast's timer instead of stacking a copy. */
unsigned toast_show(struct toasts *ts, enum toast_kind kind, uint64_t now,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Replaces a toast's text and kind (for example a progress toast that
 * becomes the result) and restarts its timer. Returns false when the id is
 * gone; then nothing is shown (call toast_show). */
bool toast_update(struct toasts *ts, unsigned id, enum toast_kind kind,
		  uint64_t now, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void toast_dismiss(struct toasts *ts, unsigned id);

/* Removes expired toasts; true when anything changed (redraw). */
bool toasts_expire(struct toasts *ts, uint64_t now);
/* Milliseconds until the next toast expires, -1 when none will: the
 * player's event loop waits at most this long. */
int toasts_timeout(const struct toasts *ts, uint64_t now);
size_t toasts_count(const struct toasts *ts);
/* Text of the i-th toast, oldest first (owned by ts), or NULL. */
const char *toasts_text(const struct toasts *ts, size_t i);
enum toast_kind toasts_kind(const struct toasts *ts, size_t i);

/* Draws the visible toasts at the bottom centre of an output of out_w x
 * out_h pixels; scale is output pixels per window point (HiDPI). */
void toasts_draw(struct toasts *ts, struct text *text, int out_w, int out_h,
		 float scale);

#endif
