/* Toasts: lifetime per kind, de-duplication, the cap, updates (a progress
 * toast that becomes the result), the event loop's timeout, and drawing
 * on a software renderer. */
#include "base/util.h"
#include "player/toast.h"
#include "test.h"

#include <SDL2/SDL.h>
#include <stdlib.h>

struct life_case {
	enum toast_kind kind;
	uint64_t at;         /* ms after showing */
	bool visible;
};

static const struct life_case life_cases[] = {
	{ TOAST_INFO, 0, true },
	{ TOAST_INFO, TOAST_INFO_MS - 1, true },
	{ TOAST_INFO, TOAST_INFO_MS, false },
	{ TOAST_ERROR, TOAST_INFO_MS, true },
	{ TOAST_ERROR, TOAST_ERROR_MS - 1, true },
	{ TOAST_ERROR, TOAST_ERROR_MS, false },
	{ TOAST_PROGRESS, 3600 * 1000, true },
};

static void test_lifetimes(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(life_cases); i++) {
		const struct life_case *c = &life_cases[i];
		struct toasts *ts = toasts_create();
		toast_show(ts, c->kind, 1000, "case %zu", i);
		toasts_expire(ts, 1000 + c->at);
		if ((toasts_count(ts) == 1) != c->visible) {
			printf("  case %zu: visible %d, want %d\n", i,
			       (int)toasts_count(ts), c->visible);
			test_current_failed = 1;
		}
		toasts_destroy(ts);
	}
}

static void test_dedup_cap_update(void)
{
	struct toasts *ts = toasts_create();
	unsigned a = toast_show(ts, TOAST_INFO, 0, "Snapshot %s taken in %.1f s",
				"2026-11-27 10:42", 1.8);
	CHECK_STR(toasts_text(ts, 0), "Snapshot 2026-11-27 10:42 taken in 1.8 s");
	/* The same text again restarts the timer, no second copy. */
	unsigned b = toast_show(ts, TOAST_INFO, 3000, "Snapshot %s taken in %.1f s",
				"2026-11-27 10:42", 1.8);
	CHECK_INT(a, b);
	CHECK_INT(toasts_count(ts), 1);
	CHECK(!toasts_expire(ts, TOAST_INFO_MS + 100));
	CHECK_INT(toasts_count(ts), 1);
	CHECK_INT(toasts_timeout(ts, TOAST_INFO_MS + 100), 3000 - 100);
	/* At most TOAST_MAX; the oldest goes first. */
	for (int i = 0; i < TOAST_MAX; i++)
		toast_show(ts, TOAST_ERROR, 4000, "error %d", i);
	CHECK_INT(toasts_count(ts), TOAST_MAX);
	CHECK_STR(toasts_text(ts, 0), "error 0");
	CHECK_INT(toasts_kind(ts, 0), TOAST_ERROR);
	CHECK(toasts_text(ts, TOAST_MAX) == NULL);
	toasts_destroy(ts);

	ts = toasts_create();
	CHECK_INT(toasts_timeout(ts, 0), -1);
	unsigned p = toast_show(ts, TOAST_PROGRESS, 0, "Saving snapshot… 40%%");
	CHECK_INT(toasts_timeout(ts, 0), -1);   /* progress never expires */
	CHECK(toast_update(ts, p, TOAST_INFO, 5000, "Snapshot taken in %.1f s", 5.0));
	CHECK_STR(toasts_text(ts, 0), "Snapshot taken in 5.0 s");
	CHECK_INT(toasts_timeout(ts, 5000), TOAST_INFO_MS);
	toast_dismiss(ts, p);
	CHECK_INT(toasts_count(ts), 0);
	CHECK(!toast_update(ts, p, TOAST_INFO, 0, "gone"));
	toasts_destroy(ts);
	toasts_destroy(NULL);
}

static void test_draw(void)
{
	SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, 320, 240, 32,
							SDL_PIXELFORMAT_XRGB8888);
	SDL_Renderer *r = SDL_CreateSoftwareRenderer(s);
	char *err = NULL;
	struct text *t = text_create(r, NULL, &err);
	CHECK(t != NULL);
	if (!t) {
		printf("  %s\n", err);
		free(err);
		return;
	}
	SDL_SetRenderDrawColor(r, 0, 0, 0, 255);
	SDL_RenderClear(r);
	struct toasts *ts = toasts_create();
	toast_show(ts, TOAST_ERROR, 0,
		   "Cannot take the snapshot: Device 'disk0' is writable but does "
		   "not support snapshots (a very long message that must be cut)");
	toasts_draw(ts, t, 320, 240, 1.0f);
	/* Something is drawn in the lower part, nothing in the upper half,
	 * and the red bar marks it as an error. */
	int top = 0, bottom = 0, red = 0;
	SDL_LockSurface(s);
	for (int y = 0; y < 240; y++)
		for (int x = 0; x < 320; x++) {
			uint32_t p = ((uint32_t *)s->pixels)[y * s->pitch / 4 + x];
			if ((p & 0xffffff) == 0)
				continue;
			if (y < 120)
				top++;
			else
				bottom++;
			if ((p >> 16 & 255) > 200 && (p >> 8 & 255) < 100)
				red++;
		}
	SDL_UnlockSurface(s);
	CHECK_INT(top, 0);
	CHECK(bottom > 1000);
	CHECK(red > 20);
	toasts_destroy(ts);
	text_destroy(t);
	SDL_DestroyRenderer(r);
	SDL_FreeSurface(s);
}

int main(void)
{
	RUN(test_lifetimes);
	RUN(test_dedup_cap_update);
	RUN(test_draw);
	return TEST_REPORT();
}
