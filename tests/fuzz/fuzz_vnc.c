/* libFuzzer harness: vmplay's VNC message handling (player/vnc.c). A fake
 * server thread on a unix socket does the RFB 3.8 handshake (security
 * None, a 64x48 screen) and then sends the input as the server's message
 * stream; the client connects as the player does, with the frame callback
 * (raw rectangles straight into caller memory) on every other input, and
 * handles messages until the stream ends or is refused. */
#include "base/log.h"
#include "base/util.h"
#include "player/vnc.h"

#include <arpa/inet.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char sock_path[108];
static int listen_fd = -1;

struct feed {
	const uint8_t *data;
	size_t size;
};

static bool put(int fd, const void *buf, size_t n)
{
	const char *p = buf;
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w <= 0)
			return false;
		p += w, n -= (size_t)w;
	}
	return true;
}

static bool get(int fd, void *buf, size_t n)
{
	char *p = buf;
	while (n) {
		ssize_t r = read(fd, p, n);
		if (r <= 0)
			return false;
		p += r, n -= (size_t)r;
	}
	return true;
}

static void *serve(void *arg)
{
	const struct feed *f = arg;
	int fd = accept(listen_fd, NULL, NULL);
	if (fd < 0)
		return NULL;
	char version[12];
	uint8_t types[2] = { 1, 1 }, choice, shared;
	uint32_t ok = 0, name_len = htonl(4);
	uint16_t w = htons(64), h = htons(48);
	uint8_t pf[16] = { 32, 24, 0, 1, 0, 255, 0, 255, 0, 255, 16, 8, 0 };
	if (put(fd, "RFB 003.008\n", 12) && get(fd, version, 12) &&
	    put(fd, types, 2) && get(fd, &choice, 1) && put(fd, &ok, 4) &&
	    get(fd, &shared, 1) && put(fd, &w, 2) && put(fd, &h, 2) &&
	    put(fd, pf, 16) && put(fd, &name_len, 4) && put(fd, "fuzz", 4))
		put(fd, f->data, f->size);
	/* The end of the stream; then wait for the client to hang up, so
	 * it can read everything sent. */
	shutdown(fd, SHUT_WR);
	char sink[4096];
	while (read(fd, sink, sizeof(sink)) > 0)
		;
	close(fd);
	return NULL;
}

static uint8_t *frame_memory;
static size_t frame_size;

static uint8_t *on_frame(void *user, int width, int height, int *pitch)
{
	(void)user;
	size_t need = (size_t)width * (size_t)height * 4;
	if (need > frame_size) {
		free(frame_memory);
		frame_memory = xmalloc(need);
		frame_size = need;
	}
	*pitch = width * 4;
	return frame_memory;
}

static void on_resize(void *user, int w, int h) { (void)user; (void)w; (void)h; }
static void on_update(void *user, int x, int y, int w, int h)
{
	(void)user; (void)x; (void)y; (void)w; (void)h;
}
static void on_cursor(void *user, const uint32_t *argb, int w, int h,
		      int hx, int hy)
{
	(void)user; (void)hx; (void)hy;
	/* touch every pixel the shape claims to have */
	volatile uint32_t sum = 0;
	for (int i = 0; argb && i < w * h; i++)
		sum += argb[i];
}

/* the clipboard and size answers (with input bit 1): the text must be
 * as long as it says; a request is answered like the player does */
static struct vnc *current;
static void on_clip_text(void *user, const char *text, size_t len)
{
	(void)user;
	volatile size_t n = text ? strlen(text) : 0;
	(void)n;
	if (text && len && text[len] != '\0')
		abort();
}
static void on_clip_request(void *user)
{
	(void)user;
	vnc_clipboard_provide(current, "fuzz", 4);
}
static void on_size_answer(void *user, int status, int w, int h)
{
	(void)user; (void)status; (void)w; (void)h;
}

static void setup(void)
{
	log_set_level(LOG_ERROR);
	snprintf(sock_path, sizeof(sock_path), "/tmp/vmplay-fuzz-vnc-%d.sock",
		 (int)getpid());
	unlink(sock_path);
	listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	memcpy(a.sun_path, sock_path, strlen(sock_path) + 1);
	if (bind(listen_fd, (struct sockaddr *)&a, sizeof(a)) != 0 ||
	    listen(listen_fd, 4) != 0) {
		perror(sock_path);
		exit(1);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (listen_fd < 0)
		setup();
	struct feed f = { data, size };
	pthread_t server;
	if (pthread_create(&server, NULL, serve, &f) != 0)
		return 0;
	struct vnc_callbacks cb = {
		.resize = on_resize,
		.update = on_update,
		.cursor = on_cursor,
		.frame = size && (data[0] & 1) ? on_frame : NULL,
	};
	if (size && (data[0] & 2)) {
		cb.clipboard_text = on_clip_text;
		cb.clipboard_request = on_clip_request;
		cb.size_answer = on_size_answer;
	}
	char *error = NULL;
	struct vnc *v = vnc_connect(sock_path, true, &cb, NULL, &error);
	free(error);
	current = v;
	if (v) {
		while (vnc_dispatch(v))
			;
		vnc_destroy(v);
	}
	/* a failed connect closed its socket: the server ends too */
	pthread_join(server, NULL);
	return 0;
}
