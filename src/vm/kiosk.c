/* Kiosk mode's policy (kiosk.h): shortcuts, PIN entry, restart backoff. */
#include "vm/kiosk.h"

#include "base/i18n.h"
#include "base/util.h"

#include <stdlib.h>
#include <string.h>

struct kiosk {
	bool allowed[SHORTCUT_COUNT];
	char *pin;               /* NULL: no menu, no quitting */
	unsigned base_delay_ms;
	unsigned max_restarts;

	/* PIN entry */
	enum kiosk_pin_state pin_state;
	enum shortcut pin_for;
	char typed[17];
	size_t n_typed;
	unsigned wrong_in_row;
	uint64_t locked_until;
	unsigned lockouts;       /* how often locked since the last right PIN */

	/* restarts */
	unsigned short_runs;
};

/* Actions whose shortcut never simply runs in kiosk mode. */
static const struct {
	enum shortcut action;
	bool needs_allow;   /* must also be listed in allow */
} pin_guarded[] = {
	{ SHORTCUT_MENU, false },
	{ SHORTCUT_QUIT, true },
};

struct kiosk *kiosk_create(const struct vm_config *cfg)
{
	struct kiosk *k = xcalloc(1, sizeof(*k));
	for (size_t i = 0; i < cfg->n_kiosk_allow; i++) {
		enum shortcut a = shortcut_from_name(cfg->kiosk_allow[i]);
		if (a > SHORTCUT_NONE && a < SHORTCUT_COUNT)
			k->allowed[a] = true;
	}
	k->pin = xstrdup(cfg->kiosk_pin);
	k->base_delay_ms = cfg->restart_delay_ms;
	k->max_restarts = cfg->max_restarts;
	k->pin_state = KIOSK_PIN_IDLE;
	return k;
}

void kiosk_destroy(struct kiosk *k)
{
	if (!k)
		return;
	free(k->pin);
	free(k);
}

enum kiosk_verdict kiosk_check_action(const struct kiosk *k, enum shortcut a)
{
	if (a <= SHORTCUT_NONE || a >= SHORTCUT_COUNT)
		return KIOSK_DENY;
	for (size_t i = 0; i < ARRAY_SIZE(pin_guarded); i++) {
		if (pin_guarded[i].action != a)
			continue;
		if (!k->pin || (pin_guarded[i].needs_allow && !k->allowed[a]))
			return KIOSK_DENY;
		return KIOSK_NEED_PIN;
	}
	return k->allowed[a] ? KIOSK_ALLOW : KIOSK_DENY;
}

char *kiosk_warnings(const struct kiosk *k)
{
	if (k->pin)
		return NULL;
	struct strv lines = { 0 };
	for (size_t i = 0; i < ARRAY_SIZE(pin_guarded); i++) {
		enum shortcut a = pin_guarded[i].action;
		if (k->allowed[a])
			strv_pushf(&lines, _("[kiosk] allow lists %s, but no pin "
				   "is set: in kiosk mode %s needs the PIN, so "
				   "it stays off"), shortcut_name(a),
				   shortcut_name(a));
	}
	if (!lines.n)
		return NULL;
	char *text = xstrdup(lines.v[0]);
	for (size_t i = 1; i < lines.n; i++) {
		char *more = xasprintf("%s\n%s", text, lines.v[i]);
		free(text);
		text = more;
	}
	strv_free(&lines);
	return text;
}

/* ---- PIN entry ---- */

static bool locked(const struct kiosk *k, uint64_t now)
{
	return k->locked_until && now < k->locked_until;
}

enum kiosk_pin_state kiosk_pin_begin(struct kiosk *k, enum shortcut a,
				     uint64_t now)
{
	k->pin_for = a;
	k->n_typed = 0;
	k->pin_state = locked(k, now) ? KIOSK_PIN_LOCKED : KIOSK_PIN_TYPING;
	return k->pin_state;
}

static void wrong_pin(struct kiosk *k, uint64_t now)
{
	k->pin_state = KIOSK_PIN_REJECTED;
	if (++k->wrong_in_row < KIOSK_PIN_TRIES)
		return;
	uint64_t wait = KIOSK_LOCKOUT_MS;
	for (unsigned i = 0; i < k->lockouts && wait < KIOSK_MAX_LOCKOUT_MS; i++)
		wait *= 2;
	if (wait > KIOSK_MAX_LOCKOUT_MS)
		wait = KIOSK_MAX_LOCKOUT_MS;
	k->lockouts++;
	/* after a lockout, every further wrong PIN locks again */
	k->wrong_in_row = KIOSK_PIN_TRIES - 1;
	k->locked_until = now + wait;
	k->pin_state = KIOSK_PIN_LOCKED;
}

enum kiosk_pin_state kiosk_pin_key(struct kiosk *k, int key, uint64_t now)
{
	if (!kiosk_pin_active(k))
		return k->pin_state;
	if (key == 27) {
		k->n_typed = 0;
		k->pin_state = KIOSK_PIN_CANCELLED;
		return k->pin_state;
	}
	if (locked(k, now)) {
		k->pin_state = KIOSK_PIN_LOCKED;
		return k->pin_state;
	}
	if (k->pin_state == KIOSK_PIN_LOCKED)
		k->pin_state = KIOSK_PIN_TYPING;   /* the wait is over */
	if (key >= '0' && key <= '9') {
		if (k->n_typed < sizeof(k->typed) - 1)
			k->typed[k->n_typed++] = (char)key;
		k->pin_state = KIOSK_PIN_TYPING;
	} else if (key == '\b') {
		if (k->n_typed)
			k->n_typed--;
		k->pin_state = KIOSK_PIN_TYPING;
	} else if (key == '\r' || key == '\n') {
		k->typed[k->n_typed] = '\0';
		bool right = k->pin && k->n_typed == strlen(k->pin) &&
			     memcmp(k->typed, k->pin, k->n_typed) == 0;
		memset(k->typed, 0, sizeof(k->typed));
		k->n_typed = 0;
		if (right) {
			k->wrong_in_row = 0;
			k->lockouts = 0;
			k->locked_until = 0;
			k->pin_state = KIOSK_PIN_ACCEPTED;
		} else {
			wrong_pin(k, now);
		}
	}
	return k->pin_state;
}

bool kiosk_pin_active(const struct kiosk *k)
{
	return k->pin_state == KIOSK_PIN_TYPING ||
	       k->pin_state == KIOSK_PIN_REJECTED ||
	       k->pin_state == KIOSK_PIN_LOCKED;
}

enum shortcut kiosk_pin_action(const struct kiosk *k)
{
	return k->pin_for;
}

char *kiosk_pin_prompt(const struct kiosk *k, uint64_t now)
{
	const char *ask = k->pin_for == SHORTCUT_QUIT
				  ? _("Enter the PIN to quit")
				  : _("Enter the PIN to open the menu");
	if (locked(k, now)) {
		unsigned long secs =
			(unsigned long)((k->locked_until - now + 999) / 1000);
		/* TRANSLATORS: shown on the kiosk screen; Escape is the key */
		return xasprintf(_("Too many wrong PINs.\n\nTry again in %lu s. "
				   "(Escape: back)"), secs);
	}
	char dots[2 * sizeof(k->typed) + 2];
	size_t n = 0;
	for (size_t i = 0; i < k->n_typed; i++) {
		dots[n++] = '*';
		dots[n++] = ' ';
	}
	dots[n++] = '_';
	dots[n] = '\0';
	/* "Wrong PIN. " (when the last try was wrong), the request, the
	 * dots, then the keys */
	return xasprintf("%s%s\n\n%s\n\n%s",
			 k->pin_state == KIOSK_PIN_REJECTED ? _("Wrong PIN. ") : "",
			 ask, dots,
			 /* TRANSLATORS: the keys of the kiosk's PIN
			  * prompt; Enter and Escape are key names */
			 _("Enter: OK   Escape: back"));
}

/* ---- restarts ---- */

long kiosk_restart_delay(struct kiosk *k, uint64_t run_ms)
{
	if (run_ms >= KIOSK_STABLE_RUN_MS)
		k->short_runs = 0;
	unsigned doublings = k->short_runs;
	if (run_ms < KIOSK_STABLE_RUN_MS) {
		if (k->max_restarts && k->short_runs >= k->max_restarts)
			return -1;
		k->short_runs++;
	}
	uint64_t cap = k->base_delay_ms > KIOSK_MAX_DELAY_MS
			       ? k->base_delay_ms : KIOSK_MAX_DELAY_MS;
	uint64_t delay = k->base_delay_ms;
	for (unsigned i = 0; i < doublings && delay < cap; i++)
		delay *= 2;
	if (delay > cap)
		delay = cap;
	return (long)delay;
}

unsigned kiosk_restart_count(const struct kiosk *k)
{
	return k->short_runs;
}
