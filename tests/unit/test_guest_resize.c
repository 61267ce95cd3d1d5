/* guest_resize.c and vnc_desktop_size.c: SetDesktopSize byte by byte
 * (screen id 0, as QEMU 7.2 wants it), QEMU's answers in words (its own
 * status 4 included), and the debounce: one request after a drag
 * settles, none for sizes the guest already has or that come from the
 * window following the guest, none after a refusal. */
#include "player/guest_resize.h"
#include "player/vnc_desktop_size.h"
#include "test.h"

static void test_message(void)
{
	uint8_t m[VNC_SET_DESKTOP_SIZE_LEN];
	vnc_set_desktop_size(m, 1280, 800);
	const uint8_t want[VNC_SET_DESKTOP_SIZE_LEN] = {
		251, 0, 0x05, 0x00, 0x03, 0x20, 1, 0,
		0, 0, 0, 0,           /* screen id 0 */
		0, 0, 0, 0,           /* x, y */
		0x05, 0x00, 0x03, 0x20,
		0, 0, 0, 0,           /* flags */
	};
	CHECK(memcmp(m, want, sizeof(want)) == 0);
	/* clamped to what is sensible */
	vnc_set_desktop_size(m, 10, 100000);
	CHECK_INT(m[2] << 8 | m[3], VNC_DS_MIN_W);
	CHECK_INT(m[4] << 8 | m[5], VNC_DS_MAX);
	CHECK_INT(m[16] << 8 | m[17], VNC_DS_MIN_W);
}

static void test_status(void)
{
	CHECK(vnc_desktop_size_accepted(VNC_DS_FORWARDED));
	CHECK(vnc_desktop_size_accepted(VNC_DS_OK));
	CHECK(!vnc_desktop_size_accepted(VNC_DS_INVALID_LAYOUT));
	CHECK(!vnc_desktop_size_accepted(VNC_DS_PROHIBITED));
	CHECK_CONTAINS(vnc_desktop_size_status(VNC_DS_INVALID_LAYOUT),
		       "device = virtio");
	CHECK_CONTAINS(vnc_desktop_size_status(4), "guest");
	CHECK_CONTAINS(vnc_desktop_size_status(99), "unknown");
}

static void test_debounce(void)
{
	struct guest_resize gr;
	int w, h;
	guest_resize_init(&gr, true);
	CHECK_INT(guest_resize_timeout_ms(&gr, 0, 640, 480), -1);
	/* a drag: sizes every 20 ms, nothing goes out meanwhile */
	uint64_t t = 1000;
	for (int i = 0; i < 10; i++, t += 20) {
		guest_resize_window(&gr, 800 + i * 10, 600, t);
		CHECK(!guest_resize_due(&gr, t, 640, 480, &w, &h));
	}
	t -= 20;   /* the last size, 890x600, came at t */
	CHECK_INT(guest_resize_timeout_ms(&gr, t, 640, 480),
		  GUEST_RESIZE_SETTLE_MS);
	CHECK(!guest_resize_due(&gr, t + GUEST_RESIZE_SETTLE_MS - 1, 640, 480,
				&w, &h));
	CHECK(guest_resize_due(&gr, t + GUEST_RESIZE_SETTLE_MS, 640, 480, &w,
			       &h));
	CHECK_INT(w, 890);
	CHECK_INT(h, 600);
	/* once: not again while the guest has not followed */
	CHECK(!guest_resize_due(&gr, t + 5000, 640, 480, &w, &h));
	CHECK_INT(guest_resize_timeout_ms(&gr, t + 5000, 640, 480), -1);
	/* the guest has the window's size: nothing to ask */
	guest_resize_window(&gr, 1024, 768, t + 6000);
	CHECK(!guest_resize_due(&gr, t + 7000, 1024, 768, &w, &h));
	/* the same size again after the guest changed by itself: asked */
	guest_resize_window(&gr, 890, 600, t + 8000);
	CHECK(guest_resize_due(&gr, t + 9000, 1024, 768, &w, &h));
	CHECK_INT(w, 890);
}

/* The window following the guest (a windowed player fits itself) must
 * not ask the guest to go back to the size it had before. */
static void test_fitting(void)
{
	struct guest_resize gr;
	int w, h;
	guest_resize_init(&gr, true);
	guest_resize_window(&gr, 720, 400, 0);
	/* the guest goes to 1280x800 on its own; the window follows... */
	guest_resize_fitting(&gr, 1280, 800, 100);
	/* ...but the window system first reports a stale size */
	guest_resize_window(&gr, 720, 400, 150);
	CHECK(!guest_resize_due(&gr, 1000, 1280, 800, &w, &h));
	guest_resize_window(&gr, 1280, 800, 300);   /* the fit arrives */
	CHECK(!guest_resize_due(&gr, 2000, 1280, 800, &w, &h));
	/* then the user resizes: asked */
	guest_resize_window(&gr, 1000, 700, 3000);
	CHECK(guest_resize_due(&gr, 3000 + GUEST_RESIZE_SETTLE_MS, 1280, 800,
			       &w, &h));
	CHECK_INT(w, 1000);
	/* a fit that never arrives (window too big for the screen) stops
	 * being waited for */
	guest_resize_fitting(&gr, 4000, 3000, 10000);
	guest_resize_window(&gr, 1500, 900, 10000 + GUEST_RESIZE_FIT_MS);
	CHECK(guest_resize_due(&gr, 20000, 4000, 3000, &w, &h));
	CHECK_INT(w, 1500);
}

/* The guest took the window's size (it followed a request): the window
 * system reports nothing, and a resize right after is the user's. */
static void test_fit_already_there(void)
{
	struct guest_resize gr;
	int w, h;
	guest_resize_init(&gr, true);
	guest_resize_window(&gr, 1000, 700, 0);
	CHECK(guest_resize_due(&gr, 1000, 1280, 800, &w, &h));
	guest_resize_fitting(&gr, 1000, 700, 2000);   /* the guest follows */
	guest_resize_window(&gr, 1280, 800, 2100);    /* the user, at once */
	CHECK(guest_resize_due(&gr, 2100 + GUEST_RESIZE_SETTLE_MS, 1000, 700,
			       &w, &h));
	CHECK_INT(w, 1280);
	CHECK_INT(h, 800);
}

/* A size the user chose while a fit was awaited is asked for once the
 * fit's time is over, not lost; the loop is woken for it. */
static void test_resize_during_fit(void)
{
	struct guest_resize gr;
	int w, h;
	guest_resize_init(&gr, true);
	guest_resize_window(&gr, 720, 400, 0);
	guest_resize_fitting(&gr, 1280, 800, 100);
	guest_resize_window(&gr, 1280, 800, 200);     /* the fit arrives */
	guest_resize_fitting(&gr, 1024, 768, 5000);   /* the guest again */
	guest_resize_window(&gr, 900, 600, 5100);     /* the user's size */
	CHECK(!guest_resize_due(&gr, 5200, 1024, 768, &w, &h));
	CHECK_INT(guest_resize_timeout_ms(&gr, 5200, 1024, 768),
		  (int)(5000 + GUEST_RESIZE_FIT_MS - 5200));
	uint64_t over = 5000 + GUEST_RESIZE_FIT_MS;
	CHECK_INT(guest_resize_timeout_ms(&gr, over, 1024, 768),
		  GUEST_RESIZE_SETTLE_MS);
	CHECK(guest_resize_due(&gr, over + GUEST_RESIZE_SETTLE_MS, 1024, 768,
			       &w, &h));
	CHECK_INT(w, 900);
	CHECK_INT(h, 600);
}

static void test_disabled_and_refused(void)
{
	struct guest_resize gr;
	int w, h;
	guest_resize_init(&gr, false);
	guest_resize_window(&gr, 1000, 700, 0);
	CHECK(!guest_resize_due(&gr, 10000, 640, 480, &w, &h));
	CHECK_INT(guest_resize_timeout_ms(&gr, 10000, 640, 480), -1);
	guest_resize_init(&gr, true);
	guest_resize_window(&gr, 1000, 700, 0);
	CHECK(guest_resize_due(&gr, 1000, 640, 480, &w, &h));
	guest_resize_answer(&gr, false);   /* std VGA: invalid layout */
	guest_resize_window(&gr, 1100, 700, 2000);
	CHECK(!guest_resize_due(&gr, 9000, 640, 480, &w, &h));
	CHECK(gr.refused);
}

int main(void)
{
	RUN(test_message);
	RUN(test_status);
	RUN(test_debounce);
	RUN(test_fitting);
	RUN(test_fit_already_there);
	RUN(test_resize_during_fit);
	RUN(test_disabled_and_refused);
	return TEST_REPORT();
}
