/* The guest-follows-the-window policy (guest_resize.h). */
#include "player/guest_resize.h"

void guest_resize_init(struct guest_resize *gr, bool enabled)
{
	*gr = (struct guest_resize){ .enabled = enabled };
}

void guest_resize_fitting(struct guest_resize *gr, int w, int h,
			  uint64_t now)
{
	gr->fit_until = now + GUEST_RESIZE_FIT_MS;
	gr->fit_w = w;
	gr->fit_h = h;
	/* the fitted window is what we want now: nothing to ask */
	gr->want_w = w;
	gr->want_h = h;
}

void guest_resize_window(struct guest_resize *gr, int w, int h, uint64_t now)
{
	if (now < gr->fit_until) {
		if (w == gr->fit_w && h == gr->fit_h)
			gr->fit_until = 0;   /* the fit arrived */
		return;
	}
	if (w == gr->want_w && h == gr->want_h)
		return;
	gr->want_w = w;
	gr->want_h = h;
	gr->changed_ms = now;
	/* a new size from the user: even the one asked before is worth
	 * asking again (the guest may have changed since) */
	gr->asked_w = gr->asked_h = 0;
}

/* A request that would change something. */
static bool pending(const struct guest_resize *gr, int guest_w, int guest_h)
{
	if (!gr->enabled || gr->refused || gr->want_w <= 0 || gr->want_h <= 0)
		return false;
	if (gr->want_w == guest_w && gr->want_h == guest_h)
		return false;
	return gr->want_w != gr->asked_w || gr->want_h != gr->asked_h;
}

int guest_resize_timeout_ms(const struct guest_resize *gr, uint64_t now,
			    int guest_w, int guest_h)
{
	if (!pending(gr, guest_w, guest_h))
		return -1;
	uint64_t due = gr->changed_ms + GUEST_RESIZE_SETTLE_MS;
	return due <= now ? 0 : (int)(due - now);
}

bool guest_resize_due(struct guest_resize *gr, uint64_t now, int guest_w,
		      int guest_h, int *w, int *h)
{
	if (guest_resize_timeout_ms(gr, now, guest_w, guest_h) != 0)
		return false;
	gr->asked_w = *w = gr->want_w;
	gr->asked_h = *h = gr->want_h;
	return true;
}

void guest_resize_answer(struct guest_resize *gr, bool accepted)
{
	if (!accepted)
		gr->refused = true;
}
