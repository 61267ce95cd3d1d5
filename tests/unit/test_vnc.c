/* vnc.c against a scripted fake RFB server on a unix socket (a forked
 * child): the connect sequence (our own SetPixelFormat and exactly one
 * SetEncodings), one update callback per message with the union of its
 * rectangles, QEMU's LED state pseudo-encoding (-261) not breaking the
 * connection, DesktopSize, RichCursor shapes, key and pointer messages, and
 * the end of the connection; raw pixels land in the connection's own buffer
 * or, with a frame callback, straight in the caller's memory. The end-to-end tests do the same against real
 * QEMU; this pins the protocol details down. */
#include "base/util.h"
#include "player/vnc.h"
#include "test.h"
#include "player/vnc_clipboard.h"
#include "player/vnc_desktop_size.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#define W0 96
#define H0 50

static char dir[] = "/tmp/vmplay-test-vnc.XXXXXX";
static char sock_path[128], dump_path[128];

/* ---- the fake server (child process) ---- */

static void put(int fd, const void *buf, size_t n)
{
	const char *p = buf;
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w <= 0)
			_exit(3);
		p += w, n -= (size_t)w;
	}
}

static void get(int fd, void *buf, size_t n)
{
	char *p = buf;
	while (n) {
		ssize_t r = read(fd, p, n);
		if (r <= 0)
			_exit(4);
		p += r, n -= (size_t)r;
	}
}

static void put_u16(int fd, uint16_t v) { v = htons(v); put(fd, &v, 2); }
static void put_u32(int fd, uint32_t v) { v = htonl(v); put(fd, &v, 4); }

static void rect(int fd, int x, int y, int w, int h, int32_t enc)
{
	put_u16(fd, (uint16_t)x);
	put_u16(fd, (uint16_t)y);
	put_u16(fd, (uint16_t)w);
	put_u16(fd, (uint16_t)h);
	put_u32(fd, (uint32_t)enc);
}

static void update_header(int fd, int nrects)
{
	uint8_t hdr[2] = { 0, 0 };
	put(fd, hdr, 2);
	put_u16(fd, (uint16_t)nrects);
}

static void handshake(int fd)
{
	char version[12];
	put(fd, "RFB 003.008\n", 12);
	get(fd, version, 12);
	uint8_t types[2] = { 1, 1 };   /* one type: None */
	put(fd, types, 2);
	uint8_t choice;
	get(fd, &choice, 1);
	put_u32(fd, 0);                /* security result: OK */
	uint8_t shared;
	get(fd, &shared, 1);
	put_u16(fd, W0);
	put_u16(fd, H0);
	uint8_t pf[16] = { 32, 24, 0, 1, 0, 255, 0, 255, 0, 255, 16, 8, 0 };
	put(fd, pf, 16);
	put_u32(fd, 4);
	put(fd, "fake", 4);
}

/* ServerCutText with an extended payload: flags, then extra bytes. */
static void ext_cut_text(int fd, uint32_t flags, const void *extra, size_t n)
{
	uint8_t hdr[4] = { 3, 0, 0, 0 };
	put(fd, hdr, 4);
	put_u32(fd, (uint32_t)-(int32_t)(4 + n));
	put_u32(fd, flags);
	if (n)
		put(fd, extra, n);
}

/* QEMU's ExtendedDesktopSize rectangle: reason, status, size, one
 * screen with id 0. */
static void ext_desktop_size(int fd, int reason, int status, int w, int h)
{
	update_header(fd, 1);
	rect(fd, reason, status, w, h, -308);
	uint8_t n[4] = { 1, 0, 0, 0 };
	put(fd, n, 4);
	put_u32(fd, 0);
	put_u16(fd, 0);
	put_u16(fd, 0);
	put_u16(fd, (uint16_t)w);
	put_u16(fd, (uint16_t)h);
	put_u32(fd, 0);
}

#define GUEST_TEXT "h\xc3\xa9llo \xe4\xb8\xad\xe6\x96\x87"

/* script 2: the clipboard and size messages QEMU 7.2 sends */
static void serve_desktop(int fd)
{
	/* QEMU's caps: text, all four actions, then a zero size */
	uint8_t zero[4] = { 0 };
	ext_cut_text(fd, 0x1b000001u, zero, 4);
	/* the guest copied text: notify, later (after our request) provide */
	ext_cut_text(fd, 0x08000001u, NULL, 0);
	uint8_t plain[64];
	size_t tlen = strlen(GUEST_TEXT);
	plain[0] = plain[1] = plain[2] = 0;
	plain[3] = (uint8_t)tlen;
	memcpy(plain + 4, GUEST_TEXT, tlen);
	uint8_t z[128];
	uLongf zn = sizeof(z);
	compress(z, &zn, plain, 4 + tlen);
	ext_cut_text(fd, 0x10000001u, z, zn);
	/* the guest pastes */
	ext_cut_text(fd, 0x02000001u, NULL, 0);
	/* the answer to a size request (QEMU's "forwarded"), then the new
	 * size, then the same size again (after a full update request) */
	ext_desktop_size(fd, 1, 4, W0, H0);
	ext_desktop_size(fd, 0, 0, 80, 60);
	ext_desktop_size(fd, 0, 0, 80, 60);
	/* plain ServerCutText is Latin-1 */
	uint8_t hdr[4] = { 3, 0, 0, 0 };
	put(fd, hdr, 4);
	put_u32(fd, 4);
	put(fd, "caf\xe9", 4);
}

/* script 0: the full exchange; script 1: close right after the handshake;
 * script 2: clipboard and size messages */
static void serve(int script)
{
	int ls = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	if (strlen(sock_path) + 4 >= sizeof(a.sun_path))
		_exit(2);
	/* bound and listening under another name first: the client waits
	 * for the real name, and connecting between bind and listen would
	 * be refused (seen on a loaded machine) */
	snprintf(a.sun_path, sizeof(a.sun_path), "%s.new", sock_path);
	unlink(a.sun_path);
	if (bind(ls, (struct sockaddr *)&a, sizeof(a)) || listen(ls, 1) ||
	    rename(a.sun_path, sock_path))
		_exit(2);
	int fd = accept(ls, NULL, NULL);
	if (fd < 0)
		_exit(2);
	handshake(fd);
	if (script == 1) {
		/* SetPixelFormat, SetEncodings (4 encodings), update request */
		char init[20 + 20 + 10];
		get(fd, init, sizeof(init));
		close(fd);
		_exit(0);
	}
	if (script == 2) {
		serve_desktop(fd);
		goto record;
	}
	/* M1: QEMU acknowledges the extended key event */
	update_header(fd, 1);
	rect(fd, 0, 0, W0, H0, -258);
	/* M2: LED state, caps lock on */
	update_header(fd, 1);
	rect(fd, 0, 0, 1, 1, -261);
	uint8_t led = 4;
	put(fd, &led, 1);
	/* M3: four raw rectangles: a big one (more than the library's 8 KB
	 * buffer, sent in two parts with a pause: read in rows straight
	 * from the socket), two small ones, one full width */
	update_header(fd, 4);
	rect(fd, 8, 0, 80, H0, 0);
	for (int i = 0; i < 80 * H0; i++) {
		if (i == 2500)
			usleep(50 * 1000);
		put_u32(fd, htonl(0x00200000u + (uint32_t)i));
	}
	rect(fd, 10, 20, 4, 3, 0);
	for (int i = 0; i < 12; i++)
		put_u32(fd, htonl(0x00112233u + (uint32_t)i)); /* little-endian px */
	rect(fd, 30, 5, 2, 2, 0);
	for (int i = 0; i < 4; i++)
		put_u32(fd, 0);
	rect(fd, 0, 40, W0, 2, 0);
	for (int i = 0; i < W0 * 2; i++)
		put_u32(fd, htonl(0x00010000u + (uint32_t)i));
	/* M3b: a Bell (the library handles it) between updates */
	uint8_t bell = 2;
	put(fd, &bell, 1);
	/* M4: the guest changes resolution */
	update_header(fd, 1);
	rect(fd, 0, 0, 64, 40, -223);
	/* M5: a cursor shape 8x2, hot spot 1,2; mask: first row all set */
	update_header(fd, 1);
	rect(fd, 1, 2, 8, 2, -239);
	for (int i = 0; i < 16; i++)
		put_u32(fd, htonl(0x00ABCDEFu));
	uint8_t mask[2] = { 0xFF, 0x00 };
	put(fd, mask, 2);
	/* then record everything the client says until it hangs up */
record:;
	int out = open(dump_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	char buf[4096];
	ssize_t n;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		put(out, buf, (size_t)n);
	close(out);
	_exit(0);
}

static pid_t start_server(int script)
{
	unlink(sock_path);   /* wait below for this server's socket */
	pid_t pid = fork();
	if (pid == 0)
		serve(script);
	for (int i = 0; i < 200 && access(sock_path, F_OK) != 0; i++)
		usleep(10000);
	return pid;
}

/* ---- the client side ---- */

struct seen {
	int resizes, rw, rh;
	int updates, ux, uy, uw, uh;
	int cursors, cw, ch, hx, hy;
	uint32_t c0, c15;
	struct vnc **v;        /* for vnc_frame in on_update */
	uint32_t px[7];        /* the pixels pixel_at lists, at M3 */
	bool in_mem;           /* the frame was the frame callback's memory */
	int frames;            /* frame callback calls */
	uint32_t *mem;         /* its memory */
};

static const int pixel_at[7][2] = {
	{ 10, 20 }, { 13, 22 }, { 30, 5 }, { W0 - 1, 41 }, { 8, 0 }, { 50, 30 },
	{ 87, H0 - 1 },
};

static uint32_t pixel(struct vnc_frame f, int x, int y)
{
	uint32_t p;
	memcpy(&p, f.pixels + (size_t)y * f.pitch + (size_t)x * 4, 4);
	return p;
}

static void on_resize(void *user, int w, int h)
{
	struct seen *s = user;
	s->resizes++, s->rw = w, s->rh = h;
}

static void on_update(void *user, int x, int y, int w, int h)
{
	struct seen *s = user;
	s->updates++, s->ux = x, s->uy = y, s->uw = w, s->uh = h;
	if (s->v && *s->v && s->updates == 1) {
		struct vnc_frame f = vnc_frame(*s->v);
		for (size_t i = 0; i < ARRAY_SIZE(pixel_at); i++)
			s->px[i] = pixel(f, pixel_at[i][0], pixel_at[i][1]);
		s->in_mem = s->mem && f.pixels == (const uint8_t *)s->mem;
	}
}

static uint8_t *on_frame(void *user, int w, int h, int *pitch)
{
	struct seen *s = user;
	s->frames++;
	if (s->frames == 1 || s->frames == 3) {   /* connect, M4 resize */
		free(s->mem);
		s->mem = xmalloc((size_t)w * h * 4);
		memset(s->mem, 0x5A, (size_t)w * h * 4);
	}
	*pitch = w * 4;
	return (uint8_t *)s->mem;
}

static void on_cursor(void *user, const uint32_t *argb, int w, int h, int hx,
		      int hy)
{
	struct seen *s = user;
	s->cursors++, s->cw = w, s->ch = h, s->hx = hx, s->hy = hy;
	s->c0 = argb[0];
	s->c15 = argb[15];
}

static const struct vnc_callbacks callbacks = {
	.resize = on_resize, .update = on_update, .cursor = on_cursor,
};
static const struct vnc_callbacks callbacks_frame = {
	.resize = on_resize, .update = on_update, .cursor = on_cursor,
	.frame = on_frame,
};

/* Dispatches until cond holds or 5 s passed; false when the connection
 * ended. */
#define PUMP_UNTIL(v, cond)                                                  \
	do {                                                                 \
		uint64_t end_ = now_ms() + 5000;                             \
		while (!(cond) && now_ms() < end_) {                         \
			struct pollfd pfd_ = { vnc_fd(v), POLLIN, 0 };       \
			if ((vnc_buffered(v) || poll(&pfd_, 1, 100) > 0) &&  \
			    !vnc_dispatch(v))                                \
				break;                                       \
		}                                                            \
	} while (0)

static void session(bool frame_cb)
{
	pid_t pid = start_server(0);
	struct seen s = { 0 };
	char *error = NULL;
	struct vnc *v = NULL;
	s.v = &v;
	v = vnc_connect(sock_path, true, frame_cb ? &callbacks_frame : &callbacks,
			&s, &error);
	CHECK(v != NULL);
	if (!v) {
		printf("  %s\n", error);
		free(error);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		free(s.mem);
		return;
	}
	CHECK_INT(s.resizes, 1);           /* the first size, at connect */
	CHECK_INT(s.rw, W0);
	CHECK_INT(vnc_leds(v), -1);
	CHECK(!vnc_has_scancodes(v));

	PUMP_UNTIL(v, s.cursors == 1);
	CHECK(vnc_has_scancodes(v));       /* M1 */
	CHECK_INT(vnc_leds(v), 4);         /* M2, and the connection lived */
	/* M3 only (pseudo-rectangles are no picture), the union of four */
	CHECK_INT(s.updates, 1);
	CHECK_INT(s.ux, 0);
	CHECK_INT(s.uy, 0);
	CHECK_INT(s.uw, W0);
	CHECK_INT(s.uh, H0);
	CHECK_INT(s.resizes, 2);           /* M4 */
	CHECK_INT(s.rw, 64);
	CHECK_INT(s.rh, 40);
	struct vnc_frame f = vnc_frame(v);
	CHECK_INT(f.width, 64);
	CHECK_INT(f.height, 40);
	CHECK_INT(f.pitch, 64 * 4);
	CHECK_INT(s.cw, 8);                /* M5 */
	CHECK_INT(s.ch, 2);
	CHECK_INT(s.hx, 1);
	CHECK_INT(s.hy, 2);
	CHECK_INT(s.c0, 0xFFABCDEF);       /* opaque where the mask is set */
	CHECK_INT(s.c15, 0x00ABCDEF);      /* transparent elsewhere */
	/* M3's raw pixels, where the update said */
	CHECK_INT(s.px[0], 0x00112233);
	CHECK_INT(s.px[1], 0x00112233 + 11);
	CHECK_INT(s.px[2], 0);
	CHECK_INT(s.px[3], 0x00010000 + 2 * W0 - 1);
	CHECK_INT(s.px[4], 0x00200000);
	CHECK_INT(s.px[5], 0x00200000 + 30 * 80 + 42);
	CHECK_INT(s.px[6], 0x00200000 + 80 * H0 - 1);
	if (frame_cb) {
		/* asked at connect, before M3's pixels, after M4's resize */
		CHECK_INT(s.frames, 3);
		CHECK(s.in_mem);
		CHECK(f.pixels == (const uint8_t *)s.mem);
	} else {
		CHECK(!s.in_mem);
	}

	CHECK(vnc_send_key(v, 0x9D, 0xFFE4, true));   /* Right Ctrl */
	CHECK(vnc_send_pointer(v, 70000, -5, VNC_BUTTON_LEFT));
	vnc_destroy(v);
	int status = -1;
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);

	size_t len = 0;
	unsigned char *d = (unsigned char *)read_file(dump_path, 1 << 20, &len);
	CHECK(d != NULL && len > 44);
	if (!d || len <= 44) {
		free(d);
		free(s.mem);
		return;
	}
	/* SetPixelFormat: 32 bpp, depth 24, little-endian, true colour,
	 * shifts 16/8/0 (QEMU's native x8r8g8b8) */
	static const unsigned char spf[20] = { 0, 0, 0, 0, 32, 24, 0, 1, 0, 255,
					       0, 255, 0, 255, 16, 8, 0 };
	CHECK(memcmp(d, spf, 20) == 0);
	/* one SetEncodings: Raw, DesktopSize, QEMU key, LED state, RichCursor */
	static const unsigned char enc[24] = {
		2, 0, 0, 5, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0x21,
		0xFF, 0xFF, 0xFE, 0xFE, 0xFF, 0xFF, 0xFE, 0xFB,
		0xFF, 0xFF, 0xFF, 0x11,
	};
	CHECK(memcmp(d + 20, enc, 24) == 0);
	int set_encodings = 0;
	bool key = false, pointer = false;
	for (size_t i = 44; i < len;) {
		switch (d[i]) {
		case 3:            /* FramebufferUpdateRequest */
			i += 10;
			break;
		case 255: {        /* QEMU extended key event */
			static const unsigned char want[12] = {
				255, 0, 0, 1, 0, 0, 0xFF, 0xE4, 0, 0, 0, 0x9D,
			};
			key = i + 12 <= len && memcmp(d + i, want, 12) == 0;
			i += 12;
			break;
		}
		case 5: {          /* PointerEvent: clamped to 0..65535 */
			static const unsigned char want[6] = {
				5, 1, 0xFF, 0xFF, 0, 0,
			};
			pointer = i + 6 <= len && memcmp(d + i, want, 6) == 0;
			i += 6;
			break;
		}
		case 2:
			set_encodings++;
			i = len;
			break;
		default:
			printf("  unexpected client message %d at %zu\n", d[i], i);
			CHECK(false);
			i = len;
			break;
		}
	}
	CHECK_INT(set_encodings, 0);   /* never a second SetEncodings */
	CHECK(key);
	CHECK(pointer);
	free(d);
	free(s.mem);
}

static void test_session(void)
{
	session(false);
}

/* The same with the pixels going straight into the caller's memory. */
static void test_session_frame_memory(void)
{
	session(true);
}

/* ---- the clipboard and the guest's size (script 2) ---- */

struct desk {
	struct vnc *v;
	char texts[2][64];
	int n_texts, requests, answers, answer_status, resizes, rw, rh;
};

static void d_resize(void *user, int w, int h)
{
	struct desk *d = user;
	d->resizes++, d->rw = w, d->rh = h;
}

static void d_text(void *user, const char *text, size_t len)
{
	struct desk *d = user;
	if (d->n_texts < 2 && text && len < 64)
		memcpy(d->texts[d->n_texts], text, len + 1);
	d->n_texts++;
}

static void d_request(void *user)
{
	struct desk *d = user;
	d->requests++;
	const char *host = "host \xe2\x9c\x93";
	CHECK(vnc_clipboard_provide(d->v, host, strlen(host)));
}

static void d_answer(void *user, int status, int w, int h)
{
	struct desk *d = user;
	d->answers++, d->answer_status = status;
	(void)w, (void)h;
}

/* Finds needle in the recorded client bytes from offset from. */
static const unsigned char *find_bytes(const unsigned char *d, size_t len,
				       const void *needle, size_t n)
{
	for (size_t i = 0; i + n <= len; i++)
		if (memcmp(d + i, needle, n) == 0)
			return d + i;
	return NULL;
}

static void test_clipboard_and_size(void)
{
	static const struct vnc_callbacks cb = {
		.resize = d_resize, .clipboard_text = d_text,
		.clipboard_request = d_request, .size_answer = d_answer,
	};
	pid_t pid = start_server(2);
	struct desk d = { 0 };
	char *error = NULL;
	d.v = vnc_connect(sock_path, false, &cb, &d, &error);
	CHECK(d.v != NULL);
	if (!d.v) {
		printf("  %s\n", error);
		free(error);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return;
	}
	PUMP_UNTIL(d.v, d.n_texts == 2);
	CHECK_INT(d.n_texts, 2);
	CHECK_STR(d.texts[0], GUEST_TEXT);
	CHECK_STR(d.texts[1], "caf\xc3\xa9");   /* Latin-1 as UTF-8 */
	CHECK_INT(d.requests, 1);
	CHECK_INT(d.answers, 1);
	CHECK_INT(d.answer_status, VNC_DS_FORWARDED);
	CHECK(vnc_can_request_size(d.v));
	CHECK_INT(d.resizes, 2);   /* connect, 80x60 once (not the repeat) */
	CHECK_INT(d.rw, 80);
	CHECK_INT(d.rh, 60);
	CHECK(vnc_request_size(d.v, 1280, 800));
	CHECK(vnc_clipboard_announce(d.v, true));
	vnc_destroy(d.v);
	waitpid(pid, NULL, 0);

	size_t len = 0;
	unsigned char *b = (unsigned char *)read_file(dump_path, 1 << 20, &len);
	CHECK(b != NULL);
	if (!b)
		return;
	/* SetEncodings ends with ExtendedDesktopSize and the extended
	 * clipboard, then our caps */
	static const unsigned char enc_tail[] = {
		0xFF, 0xFF, 0xFE, 0xCC, 0xC0, 0xA1, 0xE5, 0xCE,
		6, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xF8, 0x1b, 0, 0, 1,
	};
	CHECK(find_bytes(b, len, enc_tail, sizeof(enc_tail)) != NULL);
	/* the request after QEMU's notify */
	static const unsigned char req[] = { 6, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFC,
					     0x02, 0, 0, 1 };
	CHECK(find_bytes(b, len, req, sizeof(req)) != NULL);
	/* the provide answering QEMU's request: the host's text */
	static const unsigned char prov[] = { 0x10, 0, 0, 1 };
	const unsigned char *p = find_bytes(b, len, prov, sizeof(prov));
	CHECK(p != NULL && p >= b + 8 && p[-8] == 6);
	if (p && p >= b + 8) {
		int32_t n = (int32_t)((uint32_t)p[-4] << 24 | (uint32_t)p[-3] << 16 |
				      (uint32_t)p[-2] << 8 | p[-1]);
		struct vnc_clip_msg m;
		const char *why;
		CHECK(n < 0 && vnc_clip_parse(p, (size_t)-n, &m, &why));
		CHECK_STR(m.text, "host \xe2\x9c\x93");
		free(m.text);
	}
	/* SetDesktopSize 1280x800, screen id 0 */
	uint8_t sds[VNC_SET_DESKTOP_SIZE_LEN];
	vnc_set_desktop_size(sds, 1280, 800);
	CHECK(find_bytes(b, len, sds, sizeof(sds)) != NULL);
	/* the host's new text announced */
	static const unsigned char notify[] = { 6, 0, 0, 0, 0xFF, 0xFF, 0xFF,
						0xFC, 0x08, 0, 0, 1 };
	CHECK(find_bytes(b, len, notify, sizeof(notify)) != NULL);
	free(b);
}

static void test_server_goes_away(void)
{
	pid_t pid = start_server(1);
	struct seen s = { 0 };
	char *error = NULL;
	struct vnc *v = vnc_connect(sock_path, false, &callbacks, &s, &error);
	CHECK(v != NULL);
	if (v) {
		bool alive = true;
		uint64_t end = now_ms() + 5000;
		while (alive && now_ms() < end) {
			struct pollfd pfd = { vnc_fd(v), POLLIN, 0 };
			if (vnc_buffered(v) || poll(&pfd, 1, 100) > 0)
				alive = vnc_dispatch(v);
		}
		CHECK(!alive);
		vnc_destroy(v);
	} else {
		kill(pid, SIGKILL);
	}
	free(error);
	waitpid(pid, NULL, 0);
}

static void test_missing_socket(void)
{
	char *error = NULL;
	char path[160];
	snprintf(path, sizeof(path), "%s/nothing.sock", dir);
	struct vnc *v = vnc_connect(path, false, &callbacks, NULL, &error);
	CHECK(v == NULL);
	CHECK_CONTAINS(error, "nothing.sock");
	free(error);
	vnc_destroy(NULL);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(sock_path, sizeof(sock_path), "%s/vnc.sock", dir);
	snprintf(dump_path, sizeof(dump_path), "%s/client.bin", dir);
	RUN(test_session);
	RUN(test_session_frame_memory);
	RUN(test_clipboard_and_size);
	RUN(test_server_goes_away);
	RUN(test_missing_socket);
	unlink(sock_path);
	unlink(dump_path);
	rmdir(dir);
	return TEST_REPORT();
}
