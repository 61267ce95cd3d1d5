/* libvncclient 0.9.14 against QEMU 7.2, connected the way that keeps the
 * connection through guest resolution changes (NOTES-qemu-vnc.md):
 * no rfbInitClient (it advertises ExtendedDesktopSize, whose screen id 0
 * from QEMU 0.9.14 rejects) and no SetFormatAndEncodings after connect (a
 * second SetEncodings makes QEMU acknowledge the extended key event with
 * the width rounded up to 16, which fails the library's bounds check).
 * Instead: connect, initialise, our own SetPixelFormat and ONE SetEncodings.
 *
 * QEMU's LED state pseudo-encoding (-261) is not the one libvncclient
 * knows (0xFFFE0000): a protocol extension reads its one byte, otherwise
 * the library would drop the connection on the first LED change. */
#include "vnc.h"

#include "log.h"
#include "util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <rfb/rfbclient.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define ENCODING_LED_STATE ((int32_t)-261)

struct vnc {
	rfbClient *client;
	struct vnc_callbacks cb;
	void *user;
	/* union of the rectangles of the update being received */
	int dx0, dy0, dx1, dy1;
	bool dirty;
	bool skip_next_rect;   /* a pseudo-rect we handled: not picture */
	int leds;
};

/* The client data tag: any unique address. */
static int vnc_tag;

static struct vnc *vnc_of(rfbClient *client)
{
	return rfbClientGetClientData(client, &vnc_tag);
}

/* libvncclient prints through these globals; keep its chatter at debug
 * level and its errors as warnings, with our prefix. */
static void lib_log(const char *fmt, ...)
{
	if (log_get_level() < LOG_DEBUG)
		return;
	va_list ap;
	va_start(ap, fmt);
	char *msg = NULL;
	if (vasprintf(&msg, fmt, ap) >= 0) {
		size_t n = strlen(msg);
		if (n && msg[n - 1] == '\n')
			msg[n - 1] = '\0';
		log_debug("libvncclient: %s", msg);
		free(msg);
	}
	va_end(ap);
}

static void lib_err(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = NULL;
	if (vasprintf(&msg, fmt, ap) >= 0) {
		size_t n = strlen(msg);
		if (n && msg[n - 1] == '\n')
			msg[n - 1] = '\0';
		log_debug("libvncclient error: %s", msg);
		free(msg);
	}
	va_end(ap);
}

static rfbBool led_handle(rfbClient *client, rfbFramebufferUpdateRectHeader *rect)
{
	if ((int32_t)rect->encoding != ENCODING_LED_STATE)
		return FALSE;
	uint8_t state;
	if (!ReadFromRFBServer(client, (char *)&state, 1))
		return FALSE;
	struct vnc *v = vnc_of(client);
	if (v) {
		v->leds = state;
		/* the library reports this 1x1 pseudo-rect as picture next */
		v->skip_next_rect = true;
	}
	return TRUE;
}

static int led_encodings[] = { ENCODING_LED_STATE, 0 };
static rfbClientProtocolExtension led_extension = {
	.encodings = led_encodings,
	.handleEncoding = led_handle,
};

static rfbBool on_malloc_fb(rfbClient *client)
{
	struct vnc *v = vnc_of(client);
	if (client->width <= 0 || client->height <= 0 ||
	    client->width > 16384 || client->height > 16384) {
		log_error("the guest screen size %dx%d is not supported",
			  client->width, client->height);
		return FALSE;
	}
	free(client->frameBuffer);
	client->frameBuffer = xcalloc((size_t)client->width * client->height, 4);
	/* the incremental requests the library sends cover the whole screen */
	client->updateRect.x = client->updateRect.y = 0;
	client->updateRect.w = client->width;
	client->updateRect.h = client->height;
	if (v) {
		v->dirty = false;
		if (v->cb.resize)
			v->cb.resize(v->user, client->width, client->height);
	}
	return TRUE;
}

static void on_rect(rfbClient *client, int x, int y, int w, int h)
{
	struct vnc *v = vnc_of(client);
	if (!v)
		return;
	if (v->skip_next_rect) {
		v->skip_next_rect = false;
		return;
	}
	int x1 = x + w, y1 = y + h;
	if (x < 0)
		x = 0;
	if (y < 0)
		y = 0;
	if (x1 > client->width)
		x1 = client->width;
	if (y1 > client->height)
		y1 = client->height;
	if (x1 <= x || y1 <= y)
		return;
	if (!v->dirty) {
		v->dx0 = x, v->dy0 = y, v->dx1 = x1, v->dy1 = y1;
		v->dirty = true;
		return;
	}
	if (x < v->dx0) v->dx0 = x;
	if (y < v->dy0) v->dy0 = y;
	if (x1 > v->dx1) v->dx1 = x1;
	if (y1 > v->dy1) v->dy1 = y1;
}

/* Runs after the library already asked for the next update, so QEMU can
 * prepare it while we draw this one. */
static void on_update_done(rfbClient *client)
{
	struct vnc *v = vnc_of(client);
	if (!v || !v->dirty)
		return;
	v->dirty = false;
	if (v->cb.update)
		v->cb.update(v->user, v->dx0, v->dy0, v->dx1 - v->dx0,
			     v->dy1 - v->dy0);
}

static void on_cursor(rfbClient *client, int xhot, int yhot, int w, int h,
		      int bpp)
{
	struct vnc *v = vnc_of(client);
	if (v && v->cb.cursor && bpp == 4 && client->rcSource &&
	    client->rcMask && w > 0 && h > 0) {
		uint32_t *argb = xmalloc((size_t)w * h * 4);
		const uint32_t *src = (const uint32_t *)client->rcSource;
		for (int i = 0; i < w * h; i++)
			argb[i] = (src[i] & 0xFFFFFF) |
				  (client->rcMask[i] ? 0xFF000000u : 0);
		v->cb.cursor(v->user, argb, w, h, xhot, yhot);
		free(argb);
	}
	/* the library allocates a new mask per shape and never frees it */
	free(client->rcMask);
	client->rcMask = NULL;
}

static bool send_pixel_format(rfbClient *c)
{
	rfbSetPixelFormatMsg m;
	memset(&m, 0, sizeof(m));
	m.type = rfbSetPixelFormat;
	m.format = c->format;
	m.format.redMax = htons(c->format.redMax);
	m.format.greenMax = htons(c->format.greenMax);
	m.format.blueMax = htons(c->format.blueMax);
	return WriteToRFBServer(c, (char *)&m, sz_rfbSetPixelFormatMsg);
}

static bool send_encodings(rfbClient *c, bool want_cursor)
{
	const int32_t list[] = {
		rfbEncodingRaw,
		(int32_t)rfbEncodingNewFBSize,            /* -223 DesktopSize */
		(int32_t)rfbEncodingQemuExtendedKeyEvent, /* -258 */
		ENCODING_LED_STATE,                       /* -261 */
		(int32_t)rfbEncodingRichCursor,           /* -239, last: optional */
	};
	size_t n = ARRAY_SIZE(list) - (want_cursor ? 0 : 1);
	char buf[sz_rfbSetEncodingsMsg + sizeof(list)];
	rfbSetEncodingsMsg *m = (rfbSetEncodingsMsg *)buf;
	m->type = rfbSetEncodings;
	m->pad = 0;
	m->nEncodings = htons((uint16_t)n);
	for (size_t i = 0; i < n; i++) {
		uint32_t e = htonl((uint32_t)list[i]);
		memcpy(buf + sz_rfbSetEncodingsMsg + 4 * i, &e, 4);
	}
	return WriteToRFBServer(c, buf, (unsigned)(sz_rfbSetEncodingsMsg + 4 * n));
}

struct vnc *vnc_connect(const char *path, bool want_cursor,
			const struct vnc_callbacks *cb, void *user,
			char **error)
{
	static bool registered;
	if (!registered) {
		rfbClientRegisterExtension(&led_extension);
		rfbClientLog = lib_log;
		rfbClientErr = lib_err;
		registered = true;
	}
	struct stat st;
	if (stat(path, &st) != 0 || !S_ISSOCK(st.st_mode)) {
		/* the library would fall back to a DNS lookup of the path */
		*error = xasprintf("VNC socket %s: %s", path,
				   errno ? strerror(errno) : "not a socket");
		return NULL;
	}
	struct vnc *v = xcalloc(1, sizeof(*v));
	if (cb)
		v->cb = *cb;
	v->user = user;
	v->leds = -1;
	rfbClient *c = rfbGetClient(8, 3, 4);
	if (!c) {
		free(v);
		*error = xstrdup("out of memory creating the VNC client");
		return NULL;
	}
	v->client = c;
	rfbClientSetClientData(c, &vnc_tag, v);
	/* QEMU's native x8r8g8b8 = SDL_PIXELFORMAT_XRGB8888 in memory on
	 * little-endian hosts */
	c->format.bitsPerPixel = 32;
	c->format.depth = 24;
	c->format.bigEndian = 0;
	c->format.trueColour = 1;
	c->format.redMax = c->format.greenMax = c->format.blueMax = 255;
	c->format.redShift = 16;
	c->format.greenShift = 8;
	c->format.blueShift = 0;
	c->MallocFrameBuffer = on_malloc_fb;
	c->GotFrameBufferUpdate = on_rect;
	c->FinishedFrameBufferUpdate = on_update_done;
	c->GotCursorShape = on_cursor;
	c->canHandleNewFBSize = TRUE;
	c->programName = "vmplay";
	free(c->serverHost);             /* rfbGetClient's empty string */
	c->serverHost = xstrdup(path);   /* freed by rfbClientCleanup */
	c->serverPort = 0;               /* -1 would mean "replay a file" */

	if (!ConnectToRFBServer(c, c->serverHost, c->serverPort)) {
		*error = xasprintf("cannot connect to QEMU's VNC socket %s",
				   path);
		goto fail;
	}
	if (!InitialiseRFBConnection(c)) {
		*error = xasprintf("VNC handshake with QEMU failed on %s",
				   path);
		goto fail;
	}
	c->width = c->si.framebufferWidth;
	c->height = c->si.framebufferHeight;
	if (!on_malloc_fb(c)) {
		*error = xasprintf("guest screen %dx%d not supported",
				   c->width, c->height);
		goto fail;
	}
	if (!send_pixel_format(c) || !send_encodings(c, want_cursor) ||
	    !SendFramebufferUpdateRequest(c, 0, 0, c->width, c->height,
					  FALSE)) {
		*error = xasprintf("cannot set up the VNC session on %s", path);
		goto fail;
	}
	log_debug("VNC connected: %dx%d", c->width, c->height);
	return v;
fail:
	vnc_destroy(v);
	return NULL;
}

void vnc_destroy(struct vnc *v)
{
	if (!v)
		return;
	rfbClient *c = v->client;
	if (c) {
		/* rfbClientCleanup frees neither of these */
		free(c->frameBuffer);
		c->frameBuffer = NULL;
		free(c->rcSource);
		free(c->rcMask);
		rfbClientCleanup(c);
	}
	free(v);
}

int vnc_fd(const struct vnc *v)
{
	return v->client->sock;
}

bool vnc_dispatch(struct vnc *v)
{
	/* Bytes the library already read are invisible to poll(): handle
	 * messages until its buffer is empty. */
	do {
		if (!HandleRFBServerMessage(v->client))
			return false;
	} while (v->client->buffered > 0);
	return true;
}

bool vnc_buffered(const struct vnc *v)
{
	return v->client->buffered > 0;
}

struct vnc_frame vnc_frame(const struct vnc *v)
{
	struct vnc_frame f = {
		.pixels = v->client->frameBuffer,
		.width = v->client->width,
		.height = v->client->height,
		.pitch = v->client->width * 4,
	};
	return f;
}

bool vnc_has_scancodes(const struct vnc *v)
{
	return SupportsClient2Server(v->client, rfbQemuEvent);
}

int vnc_leds(const struct vnc *v)
{
	return v->leds;
}

bool vnc_send_key(struct vnc *v, uint16_t qnum, uint32_t keysym, bool down)
{
	if (qnum && vnc_has_scancodes(v))
		return SendExtendedKeyEvent(v->client, keysym, qnum, down);
	if (!keysym)
		return true;   /* nothing QEMU could map: drop it */
	return SendKeyEvent(v->client, keysym, down);
}

bool vnc_send_pointer(struct vnc *v, int x, int y, int buttons)
{
	if (x < 0) x = 0;
	if (y < 0) y = 0;
	if (x > 0xFFFF) x = 0xFFFF;
	if (y > 0xFFFF) y = 0xFFFF;
	return SendPointerEvent(v->client, x, y, buttons);
}
