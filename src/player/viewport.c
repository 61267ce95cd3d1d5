/* Scaling arithmetic for the guest picture and the pointer. All in 64-bit
 * so that 8K outputs times guest sizes cannot overflow. */
#include "player/viewport.h"

#include <stdint.h>

/* Floor division that also rounds negative numerators down, since points
 * left of or above the picture give negative offsets. */
static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static struct rect centred(int w, int h, int out_w, int out_h)
{
	/* Negative offsets when the picture is larger: centred crop. */
	return (struct rect){ (int)floor_div(out_w - w, 2),
			      (int)floor_div(out_h - h, 2), w, h };
}

struct rect viewport_compute(enum scale_mode mode, int guest_w, int guest_h,
			     int out_w, int out_h)
{
	if (guest_w <= 0 || guest_h <= 0 || out_w <= 0 || out_h <= 0)
		return (struct rect){ 0, 0, 0, 0 };

	switch (mode) {
	case SCALE_STRETCH:
		return (struct rect){ 0, 0, out_w, out_h };
	case SCALE_NONE:
		return centred(guest_w, guest_h, out_w, out_h);
	case SCALE_INTEGER: {
		int k = out_w / guest_w < out_h / guest_h ? out_w / guest_w
							  : out_h / guest_h;
		if (k < 1)
			k = 1;
		return centred(guest_w * k, guest_h * k, out_w, out_h);
	}
	case SCALE_FIT:
	default: {
		/* Compare aspect ratios by cross-multiplying; the other side
		 * is rounded to the nearest pixel. */
		int64_t gw = guest_w, gh = guest_h, ow = out_w, oh = out_h;
		int w, h;
		if (ow * gh <= oh * gw) {      /* output relatively narrower */
			w = out_w;
			h = (int)((2 * ow * gh + gw) / (2 * gw));
		} else {
			h = out_h;
			w = (int)((2 * oh * gw + gh) / (2 * gh));
		}
		if (w < 1)
			w = 1;
		if (h < 1)
			h = 1;
		return centred(w, h, out_w, out_h);
	}
	}
}

/* One axis: output coordinate p in a picture starting at off, len output
 * pixels long, showing glen guest pixels. */
static int to_guest_axis(int p, int off, int len, int glen, bool *inside)
{
	int64_t d = (int64_t)p - off, g;
	*inside = d >= 0 && d < len;
	if (len >= glen) {
		/* Enlarged or 1:1: the guest pixel under the output pixel's
		 * centre. Exact for whole multiples; the first and last
		 * output pixels land on the first and last guest pixels. */
		g = floor_div((2 * d + 1) * glen, 2 * (int64_t)len);
	} else if (len > 1) {
		/* Shrunk: an output pixel covers several guest pixels. Map
		 * the ends onto the ends, so every guest edge stays
		 * reachable (corner hot spots, screen-edge menus). */
		g = floor_div(2 * d * (glen - 1) + (len - 1),
			      2 * (int64_t)(len - 1));
	} else {
		g = d <= 0 ? 0 : glen - 1;     /* a one-pixel picture */
	}
	if (g < 0)
		g = 0;
	if (g > glen - 1)
		g = glen - 1;
	return (int)g;
}

bool viewport_to_guest(struct rect view, int guest_w, int guest_h, int px,
		       int py, int *gx, int *gy)
{
	if (view.w <= 0 || view.h <= 0 || guest_w <= 0 || guest_h <= 0) {
		*gx = 0;
		*gy = 0;
		return false;
	}
	bool in_x, in_y;
	*gx = to_guest_axis(px, view.x, view.w, guest_w, &in_x);
	*gy = to_guest_axis(py, view.y, view.h, guest_h, &in_y);
	return in_x && in_y;
}
