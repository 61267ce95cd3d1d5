/* Where the guest picture goes in the window for each scaling mode, and
 * the inverse: window point -> guest pixel. Pure arithmetic (tests/unit).
 *
 * Everything is in output (drawable) pixels: on a HiDPI screen pass
 * SDL_GetRendererOutputSize(), not the window size, and multiply pointer
 * positions from SDL events (window coordinates) by drawable/window first.
 * A guest size or output size of zero gives an empty rectangle. */
#ifndef VMPLAY_VIEWPORT_H
#define VMPLAY_VIEWPORT_H

#include "vm/config.h"

#include <stdbool.h>

struct rect {
	int x, y, w, h;
};

/* The rectangle, in output (drawable) pixels, that shows a guest screen of
 * guest_w x guest_h in an output of out_w x out_h:
 *   fit      largest size keeping the aspect ratio, centred (letterbox)
 *   integer  largest whole multiple that fits (at least 1x), centred
 *   stretch  the whole output
 *   none     1:1, centred (cropped when the output is smaller)
 * With integer and none the rectangle can be larger than the output (x or
 * y negative): the centre of the guest screen stays visible. */
struct rect viewport_compute(enum scale_mode mode, int guest_w, int guest_h,
			     int out_w, int out_h);

/* Maps an output point to the guest pixel under it, clamped to the guest
 * screen. Returns false when the point is outside the picture (still
 * clamping *gx, *gy, so a pointer leaving the picture pins to its edge).
 * The picture's corner pixels map to the guest's corner pixels; at whole
 * multiples every output pixel maps to the guest pixel drawn there. */
bool viewport_to_guest(struct rect view, int guest_w, int guest_h, int px,
		       int py, int *gx, int *gy);

#endif
