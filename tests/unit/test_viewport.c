/* viewport: the picture rectangle for each scaling mode over a table of
 * guest and output sizes, and the pointer mapping back to guest pixels. */
#include "base/util.h"
#include "player/viewport.h"
#include "test.h"

#include <stdlib.h>

static const struct {
	int w, h;
} guests[] = {
	{ 1000, 700 }, { 720, 400 }, { 1920, 1080 }, { 640, 480 },
	{ 1024, 768 }, { 800, 600 }, { 1, 1 }, { 3, 2 },
};

/* Outputs: bigger, smaller, odd aspects, HiDPI (2x a 1280x800 window),
 * tiny. */
static const struct {
	int w, h;
} outputs[] = {
	{ 2560, 1440 }, { 1920, 1080 }, { 800, 600 }, { 640, 360 },
	{ 1000, 300 }, { 300, 1000 }, { 2560, 1600 }, { 1001, 701 },
	{ 1, 1 }, { 7, 5 },
};

static const enum scale_mode modes[] = {
	SCALE_FIT, SCALE_INTEGER, SCALE_STRETCH, SCALE_NONE,
};

#define RECT_EQ(r, X, Y, W, H)                                               \
	do {                                                                 \
		struct rect r_ = (r);                                        \
		CHECK_INT(r_.x, X);                                          \
		CHECK_INT(r_.y, Y);                                          \
		CHECK_INT(r_.w, W);                                          \
		CHECK_INT(r_.h, H);                                          \
	} while (0)

static void test_known_rects(void)
{
	/* fit: 1000x700 in 1920x1080 is limited by the height. */
	RECT_EQ(viewport_compute(SCALE_FIT, 1000, 700, 1920, 1080),
		188, 0, 1543, 1080);
	/* fit: same aspect fills the output exactly. */
	RECT_EQ(viewport_compute(SCALE_FIT, 1920, 1080, 1280, 720),
		0, 0, 1280, 720);
	/* fit: a wide guest in a tall output is limited by the width. */
	RECT_EQ(viewport_compute(SCALE_FIT, 720, 400, 300, 1000),
		0, 416, 300, 167);
	/* integer: 720x400 twice in 1920x1080, centred. */
	RECT_EQ(viewport_compute(SCALE_INTEGER, 720, 400, 1920, 1080),
		240, 140, 1440, 800);
	/* integer on a HiDPI 2x drawable of a 1440x800 window: 4x. */
	RECT_EQ(viewport_compute(SCALE_INTEGER, 720, 400, 2880, 1600),
		0, 0, 2880, 1600);
	/* integer in a smaller output: stays 1x, centred crop. */
	RECT_EQ(viewport_compute(SCALE_INTEGER, 1920, 1080, 1280, 720),
		-320, -180, 1920, 1080);
	RECT_EQ(viewport_compute(SCALE_NONE, 1000, 700, 1920, 1080),
		460, 190, 1000, 700);
	RECT_EQ(viewport_compute(SCALE_NONE, 1000, 700, 999, 699),
		-1, -1, 1000, 700);
	RECT_EQ(viewport_compute(SCALE_STRETCH, 1000, 700, 640, 360),
		0, 0, 640, 360);
	/* Unknown sizes: nothing to draw. */
	RECT_EQ(viewport_compute(SCALE_FIT, 0, 0, 640, 480), 0, 0, 0, 0);
	RECT_EQ(viewport_compute(SCALE_FIT, 640, 480, 0, 480), 0, 0, 0, 0);
	RECT_EQ(viewport_compute(SCALE_NONE, -5, 480, 640, 480), 0, 0, 0, 0);
}

/* What each mode promises, for every guest and output of the tables. */
static void test_mode_invariants(void)
{
	for (size_t g = 0; g < ARRAY_SIZE(guests); g++)
	for (size_t o = 0; o < ARRAY_SIZE(outputs); o++) {
		int gw = guests[g].w, gh = guests[g].h;
		int ow = outputs[o].w, oh = outputs[o].h;
		struct rect r;

		r = viewport_compute(SCALE_FIT, gw, gh, ow, oh);
		CHECK(r.x >= 0 && r.y >= 0 && r.x + r.w <= ow &&
		      r.y + r.h <= oh);
		CHECK(r.w == ow || r.h == oh);           /* as large as fits */
		CHECK(r.x == (ow - r.w) / 2 && r.y == (oh - r.h) / 2);
		/* Aspect within rounding: |w/h - gw/gh| below one pixel. */
		CHECK(llabs((long long)r.w * gh - (long long)r.h * gw) <=
		      (r.w == ow ? gw : gh));

		r = viewport_compute(SCALE_INTEGER, gw, gh, ow, oh);
		CHECK(r.w % gw == 0 && r.h % gh == 0 && r.w / gw == r.h / gh);
		int k = r.w / gw;
		CHECK(k >= 1);
		CHECK(k == 1 || (r.w <= ow && r.h <= oh));
		CHECK((k + 1) * gw > ow || (k + 1) * gh > oh);  /* largest */
		CHECK(r.x == (ow - r.w) / 2 - ((ow - r.w) % 2 < 0));
		CHECK(r.y == (oh - r.h) / 2 - ((oh - r.h) % 2 < 0));

		RECT_EQ(viewport_compute(SCALE_STRETCH, gw, gh, ow, oh),
			0, 0, ow, oh);

		r = viewport_compute(SCALE_NONE, gw, gh, ow, oh);
		CHECK(r.w == gw && r.h == gh);
		/* Centred: the margins differ by at most one pixel. */
		CHECK(abs(r.x - (ow - r.x - r.w)) <= 1);
		CHECK(abs(r.y - (oh - r.y - r.h)) <= 1);
	}
}

/* The picture's corner pixels are the guest's corner pixels, in every
 * mode and size; points outside clamp to the edge and report false. */
static void test_corners_and_clamping(void)
{
	for (size_t m = 0; m < ARRAY_SIZE(modes); m++)
	for (size_t g = 0; g < ARRAY_SIZE(guests); g++)
	for (size_t o = 0; o < ARRAY_SIZE(outputs); o++) {
		int gw = guests[g].w, gh = guests[g].h;
		struct rect r = viewport_compute(modes[m], gw, gh,
						 outputs[o].w, outputs[o].h);
		/* A one-pixel picture cannot show two corners. */
		if ((r.w < 2 && gw > 1) || (r.h < 2 && gh > 1))
			continue;
		int left = r.x, top = r.y;
		int right = r.x + r.w - 1, bottom = r.y + r.h - 1;
		const struct {
			int px, py, gx, gy;
			bool inside;
		} pts[] = {
			{ left, top, 0, 0, true },
			{ right, top, gw - 1, 0, true },
			{ left, bottom, 0, gh - 1, true },
			{ right, bottom, gw - 1, gh - 1, true },
			{ left - 1, top, 0, 0, false },
			{ left, top - 1, 0, 0, false },
			{ right + 1, bottom, gw - 1, gh - 1, false },
			{ right, bottom + 1, gw - 1, gh - 1, false },
			{ -100000, 100000, 0, gh - 1, false },
			{ 100000, -100000, gw - 1, 0, false },
		};
		for (size_t i = 0; i < ARRAY_SIZE(pts); i++) {
			int gx = -1, gy = -1;
			bool in = viewport_to_guest(r, gw, gh, pts[i].px,
						    pts[i].py, &gx, &gy);
			if (in != pts[i].inside || gx != pts[i].gx ||
			    gy != pts[i].gy)
				printf("  mode %d guest %dx%d output %dx%d "
				       "point (%d,%d) -> (%d,%d) %d\n",
				       (int)modes[m], gw, gh, outputs[o].w,
				       outputs[o].h, pts[i].px, pts[i].py,
				       gx, gy, in);
			CHECK(in == pts[i].inside);
			CHECK_INT(gx, pts[i].gx);
			CHECK_INT(gy, pts[i].gy);
		}
	}
}

/* Along a row the mapping never goes backwards, and when the picture is
 * not shrunk it reaches every guest column; at 1:1 and whole multiples it
 * is exactly the pixel drawn there. */
static void test_mapping_along_axis(void)
{
	for (size_t m = 0; m < ARRAY_SIZE(modes); m++)
	for (size_t g = 0; g < ARRAY_SIZE(guests); g++)
	for (size_t o = 0; o < ARRAY_SIZE(outputs); o++) {
		int gw = guests[g].w, gh = guests[g].h;
		struct rect r = viewport_compute(modes[m], gw, gh,
						 outputs[o].w, outputs[o].h);
		int prev = 0, seen = 0, gx, gy;
		bool mono = true, exact = true;
		/* Largest step between neighbouring output pixels. */
		int step = r.w >= gw ? 1
			   : r.w > 1 ? (gw - 1 + r.w - 2) / (r.w - 1) : gw;
		for (int px = r.x; px < r.x + r.w; px++) {
			viewport_to_guest(r, gw, gh, px, r.y, &gx, &gy);
			mono &= gx >= prev && gx <= prev + step;
			if (px == r.x || gx != prev)
				seen++;
			prev = gx;
			if (r.w % gw == 0)
				exact &= gx == (px - r.x) / (r.w / gw);
		}
		CHECK(mono);
		CHECK(exact);
		if (r.w >= gw)
			CHECK_INT(seen, gw);
	}
}

/* A pointer at a known spot of a scaled, letterboxed picture. */
static void test_known_points(void)
{
	struct rect r = viewport_compute(SCALE_FIT, 1000, 700, 1920, 1080);
	int gx, gy;
	CHECK(viewport_to_guest(r, 1000, 700, 188 + 1543 / 2, 540, &gx, &gy));
	CHECK_INT(gx, 500);
	CHECK_INT(gy, 350);
	CHECK(!viewport_to_guest(r, 1000, 700, 100, 540, &gx, &gy));
	CHECK_INT(gx, 0);
	CHECK_INT(gy, 350);

	/* HiDPI: 720x400 at 4x in a 2880x1600 drawable. */
	r = viewport_compute(SCALE_INTEGER, 720, 400, 2880, 1600);
	CHECK(viewport_to_guest(r, 720, 400, 4 * 123 + 3, 4 * 45, &gx, &gy));
	CHECK_INT(gx, 123);
	CHECK_INT(gy, 45);

	/* A one-pixel picture of a big guest: outside points still pin
	 * to the right edges. */
	r = viewport_compute(SCALE_FIT, 1000, 700, 1, 1);
	CHECK(viewport_to_guest(r, 1000, 700, 0, 0, &gx, &gy));
	CHECK_INT(gx, 0);
	CHECK_INT(gy, 0);
	CHECK(!viewport_to_guest(r, 1000, 700, 5, 5, &gx, &gy));
	CHECK_INT(gx, 999);
	CHECK_INT(gy, 699);

	/* Empty view (guest size not known yet): (0,0), outside. */
	r = viewport_compute(SCALE_FIT, 0, 0, 640, 480);
	CHECK(!viewport_to_guest(r, 0, 0, 10, 10, &gx, &gy));
	CHECK_INT(gx, 0);
	CHECK_INT(gy, 0);
}

int main(void)
{
	RUN(test_known_rects);
	RUN(test_mode_invariants);
	RUN(test_corners_and_clamping);
	RUN(test_mapping_along_axis);
	RUN(test_known_points);
	return TEST_REPORT();
}
