/* Kiosk mode's policy, apart from any window so it can be tested alone:
 * which shortcuts still work, the PIN that guards the menu and quitting,
 * and when a VM that stopped starts again.
 *
 * Shortcuts: every action is off except those listed in [kiosk] allow.
 * The menu and quit are never plain: with [kiosk] pin set, their
 * shortcut asks for the PIN first (menu always, quit when listed in
 * allow); without a pin they do nothing. Closing the window (Alt+F4, the
 * close button, SIGINT from a terminal) is ignored: quit from the menu.
 *
 * PIN entry: digits, Backspace, Enter, Escape. Three wrong PINs in a row
 * lock the entry for 30 s, doubling on each further wrong PIN up to
 * 15 minutes; a right PIN clears that.
 *
 * Restarts: when QEMU ends (the guest powered off, or QEMU died) the VM
 * starts again after restart-delay. The delay doubles with every run in a
 * row that lasted less than a minute (a crash loop), up to 60 s or
 * restart-delay if longer; a run of a minute or more starts the count
 * afresh. max-restarts (0: no limit) is how many such short runs in a row
 * are restarted before vmplay gives up. */
#ifndef VMPLAY_KIOSK_H
#define VMPLAY_KIOSK_H

#include "vm/config.h"

#include <stdbool.h>
#include <stdint.h>

#define KIOSK_STABLE_RUN_MS 60000u
#define KIOSK_MAX_DELAY_MS 60000u
#define KIOSK_PIN_TRIES 3
#define KIOSK_LOCKOUT_MS 30000u
#define KIOSK_MAX_LOCKOUT_MS (15u * 60000u)

struct kiosk;

/* The policy of cfg's [kiosk] section (used whether or not kiosk mode is
 * on: the caller decides that, from cfg->kiosk or --kiosk). */
struct kiosk *kiosk_create(const struct vm_config *cfg);
void kiosk_destroy(struct kiosk *k);   /* accepts NULL */

/* ---- shortcuts ---- */

enum kiosk_verdict {
	KIOSK_DENY,       /* swallow the shortcut */
	KIOSK_ALLOW,      /* run it */
	KIOSK_NEED_PIN,   /* ask for the PIN, then run it */
};
enum kiosk_verdict kiosk_check_action(const struct kiosk *k, enum shortcut a);

/* Warnings about [kiosk] settings that cannot work as written ("allow
 * lists menu, but no pin is set: the menu stays closed"), one per line,
 * malloc'd; NULL when none. */
char *kiosk_warnings(const struct kiosk *k);

/* ---- PIN entry ---- */

enum kiosk_pin_state {
	KIOSK_PIN_IDLE,       /* no entry open */
	KIOSK_PIN_TYPING,     /* entry open, waiting for digits */
	KIOSK_PIN_ACCEPTED,   /* the right PIN was entered (entry closed) */
	KIOSK_PIN_REJECTED,   /* a wrong PIN: the entry is open and empty */
	KIOSK_PIN_LOCKED,     /* too many wrong PINs: wait */
	KIOSK_PIN_CANCELLED,  /* Escape (entry closed) */
};

/* Opens the entry for action a (what runs once the PIN is accepted).
 * Returns KIOSK_PIN_TYPING, or KIOSK_PIN_LOCKED while locked out. */
enum kiosk_pin_state kiosk_pin_begin(struct kiosk *k, enum shortcut a,
				     uint64_t now);
/* Feeds one key: '0'..'9', '\b' (backspace), '\r' or '\n' (enter), 27
 * (escape); anything else is ignored. Returns the state after it. */
enum kiosk_pin_state kiosk_pin_key(struct kiosk *k, int key, uint64_t now);
/* Whether the entry is open (typing, rejected or locked). */
bool kiosk_pin_active(const struct kiosk *k);
/* The action the accepted PIN was for. */
enum shortcut kiosk_pin_action(const struct kiosk *k);
/* What to show: "Enter the PIN to open the menu\n\n* * * _", with the
 * rejection or the remaining lockout. Caller frees. */
char *kiosk_pin_prompt(const struct kiosk *k, uint64_t now);

/* The player turns SDL key events into these keys with
 * kiosk_pin_key_from_sdl (player/bindings.h). */

/* ---- restarts ---- */

/* QEMU ended after running run_ms. Returns the delay before the next
 * start, or -1 when max-restarts short runs in a row have been reached
 * (give up). */
long kiosk_restart_delay(struct kiosk *k, uint64_t run_ms);
/* Short runs in a row so far (for messages). */
unsigned kiosk_restart_count(const struct kiosk *k);

#endif
