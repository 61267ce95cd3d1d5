/* The guest-follows-the-window policy (guest_resize.h). */
#include "player/guest_resize.h"

void guest_resize_init(struct guest_resize *gr, bool enabled)
{
	*gr = (struct guest_resize){ .enabled = enabled };
}

static bool seen_is(const struct guest_resize *gr, int w, int h)
{
	return gr->seen_w == w && gr->seen_h == h;
}

void guest_resize_fitting(struct guest_resize *gr, int w, int h,
			  uint64_t now)
{
	/* the fitted window is what we want now: nothing to ask */
	gr->want_w = w;
	gr->want_h = h;
	/* already that size: the window system will report nothing */
	gr->fit_until = seen_is(gr, w, h) ? 0 : now + GUEST_RESIZE_FIT_MS;
	gr->fit_w = w;
	gr->fit_h = h;
}

static void want(struct guest_resize *gr, int w, int h, uint64_t now)
{
	if (w == gr->want_w && h == gr->want_h)
		return;
	gr->want_w = w;
	gr->want_h = h;
	gr->changed_ms = now;
	/* a new size from the user: even the one asked before is worth
	 * asking again (the guest may have changed since) */
	gr->asked_w = gr->asked_h = 0;
}

/* Once the fit has had its time, the window's last reported size is
 * the one that counts, whatever came in between. */
static void end_fit_if_over(struct guest_resize *gr, uint64_t now)
{
	if (!gr->fit_until || now < gr->fit_until)
		return;
	gr->fit_until = 0;
	if (gr->seen_w > 0 && gr->seen_h > 0)
		want(gr, gr->seen_w, gr->seen_h, now);
}

void guest_resize_window(struct guest_resize *gr, int w, int h, uint64_t now)
{
	gr->seen_w = w;
	gr->seen_h = h;
	end_fit_if_over(gr, now);
	if (gr->fit_until) {
		if (w == gr->fit_w && h == gr->fit_h)
			gr->fit_until = 0;   /* the fit arrived */
		return;
	}
	want(gr, w, h, now);
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

int guest_resize_timeout_ms(struct guest_resize *gr, uint64_t now,
			    int guest_w, int guest_h)
{
	end_fit_if_over(gr, now);
	if (gr->fit_until)
		return (int)(gr->fit_until - now);   /* wake when it is over */
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
