/* Placeholder until the real module lands: stretch for every mode. */
#include "viewport.h"

struct rect viewport_compute(enum scale_mode mode, int guest_w, int guest_h,
			     int out_w, int out_h)
{
	(void)mode;
	(void)guest_w;
	(void)guest_h;
	return (struct rect){ 0, 0, out_w, out_h };
}

bool viewport_to_guest(struct rect view, int guest_w, int guest_h, int px,
		       int py, int *gx, int *gy)
{
	*gx = view.w ? (px - view.x) * guest_w / view.w : 0;
	*gy = view.h ? (py - view.y) * guest_h / view.h : 0;
	return true;
}
