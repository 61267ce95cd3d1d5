/* Screenshots: the pictures folder as xdg-user-dir finds it, file names
 * that never collide, a PNG that reloads equal to the framebuffer at its
 * native size, and an existing file that is never overwritten. */
#include "base/util.h"
#include "player/screenshot.h"
#include "test.h"

#include <SDL2/SDL.h>
#include <SDL2/SDL_image.h>
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmp[256];
static struct strv created;   /* files to remove at the end */

static char *in_tmp(const char *rel)
{
	char *p = path_join(tmp, rel);
	strv_push(&created, p);
	return p;
}

static void write_text(const char *rel, const char *text)
{
	char *p = in_tmp(rel);
	FILE *f = fopen(p, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
	free(p);
}

struct dirs_case {
	const char *file;        /* user-dirs.dirs text, NULL: no file */
	const char *env;         /* XDG_PICTURES_DIR in the environment */
	const char *want;        /* relative to tmp ("" = NULL) */
};

static const struct dirs_case dirs_cases[] = {
	{ "XDG_PICTURES_DIR=\"$HOME/Pics\"\n", NULL, "Pics" },
	{ "# comment\nXDG_DESKTOP_DIR=\"$HOME/Desktop\"\n  XDG_PICTURES_DIR=\"$HOME/Pics\"\n",
	  NULL, "Pics" },
	{ "XDG_PICTURES_DIR=\"$HOME/My\\ Pics\"\n", NULL, "My Pics" },
	{ "XDG_PICTURES_DIR=\"$HOME/missing\"\n", NULL, "" },
	{ "XDG_PICTURES_DIR=\"$HOME/\"\n", NULL, "" },     /* the home itself */
	{ "XDG_PICTURES_DIR=\"relative\"\n", NULL, "" },
	{ "XDG_MUSIC_DIR=\"$HOME/Music\"\n", "@/Pics", "Pics" },
	{ NULL, "@/My Pics", "My Pics" },
	{ NULL, NULL, "" },
	{ "XDG_PICTURES_DIR=\"@/Pics\"\n", NULL, "Pics" }, /* absolute */
};

static char *at_tmp(const char *s)
{
	/* '@' stands for the temporary folder. */
	char buf[1024] = "";
	for (const char *p = s; *p; p++) {
		size_t n = strlen(buf);
		if (*p == '@')
			snprintf(buf + n, sizeof(buf) - n, "%s", tmp);
		else if (n + 1 < sizeof(buf))
			buf[n] = *p, buf[n + 1] = '\0';
	}
	return xstrdup(buf);
}

static void test_pictures_dir(void)
{
	char *pics = path_join(tmp, "Pics"), *my = path_join(tmp, "My Pics");
	char *conf = path_join(tmp, "conf");
	mkdir(pics, 0700);
	mkdir(my, 0700);
	mkdir(conf, 0700);
	setenv("HOME", tmp, 1);
	setenv("XDG_CONFIG_HOME", conf, 1);
	for (size_t i = 0; i < ARRAY_SIZE(dirs_cases); i++) {
		const struct dirs_case *c = &dirs_cases[i];
		char *file = path_join(conf, "user-dirs.dirs");
		unlink(file);
		if (c->file) {
			char *text = at_tmp(c->file);
			write_file_atomic(file, text, strlen(text), true);
			free(text);
		}
		if (c->env) {
			char *e = at_tmp(c->env);
			setenv("XDG_PICTURES_DIR", e, 1);
			free(e);
		} else {
			unsetenv("XDG_PICTURES_DIR");
		}
		char *got = screenshot_pictures_dir();
		char *want = *c->want ? path_join(tmp, c->want) : NULL;
		if (!got != !want || (got && strcmp(got, want))) {
			printf("  case %zu: got %s, want %s\n", i, got ? got : "NULL",
			       want ? want : "NULL");
			test_current_failed = 1;
		}
		free(got);
		free(want);
		unlink(file);
		free(file);
	}
	unsetenv("XDG_PICTURES_DIR");
	rmdir(pics);
	rmdir(my);
	rmdir(conf);
	free(pics);
	free(my);
	free(conf);
}

static void test_names(void)
{
	time_t t = 1795776120;   /* a fixed moment; the zone is pinned to UTC */
	char *p1 = screenshot_path(tmp, "demo", t);
	char *want = path_join(tmp, "demo-20261127-104200.png");
	CHECK_STR(p1, want);
	free(want);
	write_text("demo-20261127-104200.png", "x");
	char *p2 = screenshot_path(tmp, "demo", t);
	want = path_join(tmp, "demo-20261127-104200-2.png");
	CHECK_STR(p2, want);
	free(want);
	char *p3 = screenshot_path(tmp, "a/b\n.", t);
	want = path_join(tmp, "a_b_.-20261127-104200.png");
	CHECK_STR(p3, want);
	free(want);
	char *p4 = screenshot_path(tmp, ".hidden", t);
	want = path_join(tmp, "_hidden-20261127-104200.png");
	CHECK_STR(p4, want);
	free(want);
	free(p1);
	free(p2);
	free(p3);
	free(p4);
}

/* A framebuffer like the player's: XRGB8888 with garbage in X, an odd
 * width (1000 is not a multiple of 16 either) and a pitch with padding. */
#define FW 1001
#define FH 37
#define PITCH (FW * 4 + 12)

static unsigned char *make_fb(void)
{
	unsigned char *fb = malloc(PITCH * FH);
	for (int y = 0; y < FH; y++)
		for (int x = 0; x < FW; x++) {
			uint32_t v = (uint32_t)(0xA5u << 24 | (x * 7 & 255) << 16 |
						(y * 13 & 255) << 8 | ((x ^ y) & 255));
			memcpy(fb + y * PITCH + x * 4, &v, 4);
		}
	return fb;
}

static bool equals_fb(const char *png, const unsigned char *fb)
{
	SDL_Surface *s = IMG_Load(png);
	if (!s) {
		printf("  IMG_Load(%s): %s\n", png, IMG_GetError());
		return false;
	}
	SDL_Surface *x = SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_XRGB8888, 0);
	SDL_FreeSurface(s);
	bool ok = x && x->w == FW && x->h == FH;
	if (x && !ok)
		printf("  %s is %dx%d, want %dx%d\n", png, x->w, x->h, FW, FH);
	for (int y = 0; ok && y < FH; y++)
		for (int px = 0; ok && px < FW; px++) {
			uint32_t a, b;
			memcpy(&a, fb + y * PITCH + px * 4, 4);
			memcpy(&b, (char *)x->pixels + y * x->pitch + px * 4, 4);
			if ((a & 0xffffff) != (b & 0xffffff)) {
				printf("  pixel %d,%d: %06x, want %06x\n", px, y,
				       b & 0xffffff, a & 0xffffff);
				ok = false;
			}
		}
	SDL_FreeSurface(x);
	return ok;
}

static void test_write_and_reload(void)
{
	unsigned char *fb = make_fb();
	char *path = in_tmp("shot.png");
	char *err = NULL;
	CHECK(screenshot_write_png(fb, FW, FH, PITCH, SDL_PIXELFORMAT_XRGB8888,
				   path, &err));
	CHECK(err == NULL);
	CHECK(equals_fb(path, fb));
	/* The PNG has no alpha channel: colour type 2 (RGB) in IHDR. */
	size_t len;
	char *bytes = read_file(path, 1 << 24, &len);
	CHECK(bytes && len > 26 && bytes[25] == 2);
	free(bytes);

	/* Never overwrite: an existing file keeps its bytes. */
	write_text("keep.png", "precious");
	char *keep = path_join(tmp, "keep.png");
	CHECK(!screenshot_write_png(fb, FW, FH, PITCH, SDL_PIXELFORMAT_XRGB8888,
				    keep, &err));
	CHECK_CONTAINS(err, keep);
	free(err);
	err = NULL;
	char *kept = read_file(keep, 100, &len);
	CHECK_STR(kept, "precious");
	free(kept);
	free(keep);

	/* No framebuffer yet: a message, not a crash. */
	CHECK(!screenshot_write_png(NULL, 0, 0, 0, SDL_PIXELFORMAT_XRGB8888, path, &err));
	CHECK_CONTAINS(err, "no guest screen");
	free(err);
	/* A folder that does not exist: the message names the file. */
	err = NULL;
	CHECK(!screenshot_write_png(fb, FW, FH, PITCH, SDL_PIXELFORMAT_XRGB8888,
				    "/nonexistent-dir/x.png", &err));
	CHECK_CONTAINS(err, "/nonexistent-dir/x.png");
	free(err);
	free(path);
	free(fb);
}

static void test_take(void)
{
	/* No pictures folder: the VM's folder; twice in the same second gives
	 * two files. */
	char *conf = path_join(tmp, "noconf");
	setenv("XDG_CONFIG_HOME", conf, 1);
	unsetenv("XDG_PICTURES_DIR");
	unsigned char *fb = make_fb();
	char *err = NULL;
	char *a = screenshot_take(fb, FW, FH, PITCH, SDL_PIXELFORMAT_XRGB8888,
				  "demo", tmp, &err);
	char *b = screenshot_take(fb, FW, FH, PITCH, SDL_PIXELFORMAT_XRGB8888,
				  "demo", tmp, &err);
	CHECK(a && b);
	if (a && b) {
		strv_push(&created, a);
		strv_push(&created, b);
		CHECK(strcmp(a, b) != 0);
		char *dir = path_dirname(a);
		CHECK_STR(dir, tmp);
		free(dir);
		char *base = path_basename(a);
		CHECK(!strncmp(base, "demo-", 5) && strlen(base) == strlen("demo-20261127-104200.png"));
		free(base);
		CHECK(equals_fb(b, fb));
	}
	free(a);
	free(b);
	free(fb);
	free(conf);
}

int main(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	snprintf(tmp, sizeof(tmp), "/tmp/vmplay-test-shot-XXXXXX");
	if (!mkdtemp(tmp))
		return 1;
	RUN(test_pictures_dir);
	RUN(test_names);
	RUN(test_write_and_reload);
	RUN(test_take);
	for (size_t i = 0; i < created.n; i++)
		unlink(created.v[i]);
	strv_free(&created);
	if (rmdir(tmp) != 0) {
		printf("  %s left files behind\n", tmp);
		return 1;
	}
	return TEST_REPORT();
}
