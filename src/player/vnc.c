/* libvncclient 0.9.14 against QEMU 7.2, connected the way that keeps the
 * connection through guest resolution changes (docs/qemu-vnc.md):
 * no rfbInitClient (it advertises ExtendedDesktopSize, whose screen id 0
 * from QEMU 0.9.14 rejects) and no SetFormatAndEncodings after connect (a
 * second SetEncodings makes QEMU acknowledge the extended key event with
 * the width rounded up to 16, which fails the library's bounds check).
 * Instead: connect, initialise, our own SetPixelFormat and ONE SetEncodings.
 *
 * Framebuffer updates are read here, not by the library: its raw decoder
 * reads each rectangle into a 300 KB buffer and copies it from there, so
 * reading the pixels straight into the frame memory (the texture, see
 * vnc_callbacks.frame) saves a full-frame copy per update. This also
 * handles QEMU's LED state pseudo-encoding (-261), which is not the one
 * libvncclient knows (0xFFFE0000) and would drop the connection, the
 * ExtendedDesktopSize answers (vnc_desktop_size.h) and the cut-text
 * messages of the extended clipboard (vnc_clipboard.h), on which the
 * library would fail. Every other message still goes to
 * HandleRFBServerMessage. */
#include "player/vnc.h"

#include "base/i18n.h"
#include "base/log.h"
#include "base/util.h"
#include "player/vnc_clipboard.h"
#include "player/vnc_desktop_size.h"

#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <rfb/rfbclient.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define ENCODING_LED_STATE ((int32_t)-261)
/* read_rows' socket reads: big enough for few system calls, small enough
 * to stay in the CPU's second-level cache */
#define BOUNCE_SIZE (256 * 1024)

struct vnc {
	rfbClient *client;
	struct vnc_callbacks cb;
	void *user;
	/* union of the rectangles of the update being received */
	int dx0, dy0, dx1, dy1;
	bool dirty;
	int leds;
	/* Where raw rectangles go: the frame callback's memory (a texture),
	 * or own (our buffer) without one. client->frameBuffer points there
	 * too, always with pitch width * 4, so the library's own drawing
	 * code would stay in bounds should it ever run. */
	uint8_t *pixels;
	uint8_t *own;
	/* the pixels of this update message are being written (the frame
	 * callback was asked once for it) */
	bool writing;
	char *bounce;          /* BOUNCE_SIZE bytes for read_rows */
	bool ext_size;         /* QEMU sent ExtendedDesktopSize */
};

/* The client data tag: any unique address. */
static int vnc_tag;

static struct vnc *vnc_of(rfbClient *client)
{
	return rfbClientGetClientData(client, &vnc_tag);
}

/* libvncclient prints through these globals. Both its chatter and its
 * errors go to the debug log: the errors it prints (a read failing as QEMU
 * quits, say) are ones vmplay reports itself, in its own words. */
static void lib_forward(const char *what, const char *fmt, va_list ap)
{
	if (log_get_level() < LOG_DEBUG)
		return;
	char *msg = xvasprintf(fmt, ap);
	size_t n = strlen(msg);
	if (n && msg[n - 1] == '\n')
		msg[n - 1] = '\0';
	log_debug("%s: %s", what, msg);
	free(msg);
}

static void lib_log(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	lib_forward("libvncclient", fmt, ap);
	va_end(ap);
}

static void lib_err(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	lib_forward("libvncclient error", fmt, ap);
	va_end(ap);
}

/* Asks the frame callback where the picture goes; our own buffer when
 * there is none or it gives nothing usable. */
static void pick_target(struct vnc *v)
{
	rfbClient *c = v->client;
	uint8_t *p = NULL;
	int pitch = 0;
	if (v->cb.frame)
		p = v->cb.frame(v->user, c->width, c->height, &pitch);
	if (p && pitch != c->width * 4) {
		log_debug("frame memory with pitch %d for width %d: not used",
			  pitch, c->width);
		p = NULL;
	}
	if (!p) {
		if (!v->own)
			v->own = xcalloc((size_t)c->width * c->height, 4);
		p = v->own;
	} else if (v->own) {
		/* keep the picture: the next update may change only part */
		memcpy(p, v->own, (size_t)c->width * c->height * 4);
		free(v->own);
		v->own = NULL;
	}
	v->pixels = p;
	c->frameBuffer = p;
}

static rfbBool on_malloc_fb(rfbClient *client)
{
	struct vnc *v = vnc_of(client);
	if (client->width <= 0 || client->height <= 0 ||
	    client->width > 16384 || client->height > 16384) {
		log_error(_("the guest screen size %dx%d is not supported"),
			  client->width, client->height);
		return FALSE;
	}
	/* the incremental requests the library sends cover the whole screen */
	client->updateRect.x = client->updateRect.y = 0;
	client->updateRect.w = client->width;
	client->updateRect.h = client->height;
	if (!v)
		return FALSE;
	free(v->own);
	v->own = NULL;
	v->pixels = NULL;
	client->frameBuffer = NULL;
	v->dirty = false;
	if (v->cb.resize)
		v->cb.resize(v->user, client->width, client->height);
	/* the old frame memory is gone with the resize */
	pick_target(v);
	v->writing = false;
	return TRUE;
}

/* One rectangle of a FramebufferUpdate message, header already read. */
struct rect_hdr {
	int x, y, w, h;
	int32_t encoding;
};

static void add_dirty(struct vnc *v, int x, int y, int w, int h)
{
	int x1 = x + w, y1 = y + h;
	if (w <= 0 || h <= 0)
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

/* Copies n bytes with non-temporal stores where the CPU has them: the
 * frame memory is megabytes that the next present reads once, so writing
 * around the caches saves reading every line in before overwriting it
 * (measured: the kernel's copy straight into the texture cost twice as
 * much per byte as SDL's streaming blit out of it). */
static void stream_copy(char *dst, const char *src, size_t n)
{
#ifdef __SSE2__
	size_t head = (16 - ((uintptr_t)dst & 15)) & 15;
	if (head > n)
		head = n;
	memcpy(dst, src, head);
	dst += head, src += head, n -= head;
	for (; n >= 64; n -= 64, dst += 64, src += 64) {
		__m128i a = _mm_loadu_si128((const __m128i *)src);
		__m128i b = _mm_loadu_si128((const __m128i *)(src + 16));
		__m128i c = _mm_loadu_si128((const __m128i *)(src + 32));
		__m128i d = _mm_loadu_si128((const __m128i *)(src + 48));
		_mm_stream_si128((__m128i *)dst, a);
		_mm_stream_si128((__m128i *)(dst + 16), b);
		_mm_stream_si128((__m128i *)(dst + 32), c);
		_mm_stream_si128((__m128i *)(dst + 48), d);
	}
#endif
	memcpy(dst, src, n);
}

/* Where the next `n` bytes of a raw rectangle go, from byte `done` on:
 * rows of row_bytes, pitch bytes apart. */
static void scatter(char *dst, size_t row_bytes, size_t pitch, size_t done,
		    const char *src, size_t n)
{
	while (n > 0) {
		size_t ri = done / row_bytes, off = done % row_bytes;
		size_t k = row_bytes - off;
		if (k > n)
			k = n;
		stream_copy(dst + ri * pitch + off, src, k);
		src += k, done += k, n -= k;
	}
}

/* Reads rows x row_bytes bytes into rows pitch bytes apart: first what
 * the library already buffered, then from the socket in pieces of
 * BOUNCE_SIZE through a buffer that stays in the CPU's cache.
 * (ReadFromRFBServer would take every read of up to 8 KB, such as one
 * row, through its own buffer.) Waits like the library does: the socket
 * is non-blocking, readTimeout (seconds, 0 = none) ends a stalled read. */
static bool read_rows(struct vnc *v, char *dst, size_t row_bytes,
		      size_t pitch, int rows)
{
	rfbClient *c = v->client;
	if (row_bytes == pitch) {
		/* contiguous: one long row */
		row_bytes *= (size_t)rows;
		rows = 1;
	}
	size_t total = row_bytes * (size_t)rows, done = 0;
	if (c->buffered > 0) {
		size_t k = total < c->buffered ? total : c->buffered;
		scatter(dst, row_bytes, pitch, done, c->bufoutptr, k);
		c->bufoutptr += k;
		c->buffered -= (unsigned)k;
		done += k;
	}
	uint64_t waited_ms = 0;
	bool ok = true;
	while (done < total) {
		if (!v->bounce)
			v->bounce = xmalloc(BOUNCE_SIZE);
		size_t want = total - done < BOUNCE_SIZE ? total - done
							 : BOUNCE_SIZE;
		ssize_t got = read(c->sock, v->bounce, want);
		if (got > 0) {
			scatter(dst, row_bytes, pitch, done, v->bounce,
				(size_t)got);
			done += (size_t)got;
			waited_ms = 0;
			continue;
		}
		if (got == 0) {
			log_debug("VNC: QEMU closed the connection");
			ok = false;
			break;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK) {
			log_debug("VNC: read: %s", strerror(errno));
			ok = false;
			break;
		}
		if (c->readTimeout > 0 && waited_ms >= c->readTimeout * 1000ull) {
			log_warn(_("VNC: QEMU stopped sending in the middle of an "
				 "update"));
			ok = false;
			break;
		}
		struct pollfd pfd = { c->sock, POLLIN, 0 };
		if (poll(&pfd, 1, 100) == 0)
			waited_ms += 100;
	}
#ifdef __SSE2__
	_mm_sfence();   /* the streamed stores are weakly ordered */
#endif
	return ok;
}

/* Raw pixels, read from the socket straight into the frame memory. */
static bool rect_raw(struct vnc *v, const struct rect_hdr *r)
{
	rfbClient *c = v->client;
	if (r->x + r->w > c->width || r->y + r->h > c->height) {
		log_warn(_("VNC: rectangle %dx%d at %d,%d lies outside the %dx%d "
			 "screen"), r->w, r->h, r->x, r->y, c->width, c->height);
		return false;
	}
	if (r->w == 0 || r->h == 0)
		return true;
	if (!v->writing) {
		/* the first pixels of this message: the previous frame may
		 * still wait to be shown from this very memory */
		pick_target(v);
		v->writing = true;
	}
	size_t pitch = (size_t)c->width * 4;
	char *dst = (char *)v->pixels + (size_t)r->y * pitch + (size_t)r->x * 4;
	if (!read_rows(v, dst, (size_t)r->w * 4, pitch, r->h))
		return false;
	add_dirty(v, r->x, r->y, r->w, r->h);
	return true;
}

/* DesktopSize: what the library does for it (new frame memory, then a
 * full update request). */
static bool rect_desktop_size(struct vnc *v, const struct rect_hdr *r)
{
	rfbClient *c = v->client;
	c->width = r->w;
	c->height = r->h;
	if (!on_malloc_fb(c))
		return false;
	return SendFramebufferUpdateRequest(c, 0, 0, r->w, r->h, FALSE);
}

/* QEMU acknowledges its extended key event: from now on
 * SendExtendedKeyEvent works (the bit SupportsClient2Server reads). */
static bool rect_qemu_key(struct vnc *v, const struct rect_hdr *r)
{
	(void)r;
	v->client->supportedMessages.client2server[rfbQemuEvent / 8] |=
		(uint8_t)(1 << (rfbQemuEvent % 8));
	return true;
}

/* QEMU's LED state: one byte, bit 0 scroll, 1 num, 2 caps lock. */
static bool rect_led_state(struct vnc *v, const struct rect_hdr *r)
{
	(void)r;
	uint8_t state;
	if (!ReadFromRFBServer(v->client, (char *)&state, 1))
		return false;
	v->leds = state;
	return true;
}

/* A cursor shape: the library decodes it and calls GotCursorShape. */
static bool rect_cursor(struct vnc *v, const struct rect_hdr *r)
{
	return HandleCursorShape(v->client, r->x, r->y, r->w, r->h,
				 (uint32_t)r->encoding);
}

/* ExtendedDesktopSize: the screen list (QEMU: one screen), then like
 * DesktopSize when the size changed. x is the reason, y the status. */
static bool rect_ext_desktop_size(struct vnc *v, const struct rect_hdr *r)
{
	rfbClient *c = v->client;
	uint8_t head[4], screen[16];
	if (!ReadFromRFBServer(c, (char *)head, 4))
		return false;
	for (int i = 0; i < head[0]; i++)
		if (!ReadFromRFBServer(c, (char *)screen, 16))
			return false;
	v->ext_size = true;
	if (r->x == VNC_DS_REASON_CLIENT) {
		log_debug("VNC: size request answered: %s (%d), now %dx%d",
			  vnc_desktop_size_status(r->y), r->y, r->w, r->h);
		if (v->cb.size_answer)
			v->cb.size_answer(v->user, r->y, r->w, r->h);
	}
	/* QEMU repeats the current size after every full update request:
	 * only a change is a resize */
	if (r->w == c->width && r->h == c->height)
		return true;
	return rect_desktop_size(v, r);
}

/* The encodings send_encodings asks for; QEMU sends no others. */
static const struct {
	int32_t encoding;
	bool (*handle)(struct vnc *v, const struct rect_hdr *r);
} rect_handlers[] = {
	{ rfbEncodingRaw, rect_raw },
	{ (int32_t)rfbEncodingNewFBSize, rect_desktop_size },
	{ (int32_t)rfbEncodingQemuExtendedKeyEvent, rect_qemu_key },
	{ ENCODING_LED_STATE, rect_led_state },
	{ (int32_t)rfbEncodingRichCursor, rect_cursor },
	{ (int32_t)rfbEncodingXCursor, rect_cursor },
	{ VNC_ENCODING_EXT_DESKTOP_SIZE, rect_ext_desktop_size },
};

/* A FramebufferUpdate message after its type byte. Asks for the next
 * update before handing this one over, so QEMU prepares it while we draw
 * (a late request costs frames: docs/qemu-vnc.md). */
static bool read_update(struct vnc *v)
{
	rfbClient *c = v->client;
	unsigned char hdr[sz_rfbFramebufferUpdateMsg - 1];
	if (!ReadFromRFBServer(c, (char *)hdr, sizeof(hdr)))
		return false;
	unsigned nrects = (unsigned)hdr[1] << 8 | hdr[2];
	v->writing = false;
	for (unsigned i = 0; i < nrects; i++) {
		rfbFramebufferUpdateRectHeader raw;
		if (!ReadFromRFBServer(c, (char *)&raw,
				       sz_rfbFramebufferUpdateRectHeader))
			return false;
		struct rect_hdr r = {
			.x = ntohs(raw.r.x), .y = ntohs(raw.r.y),
			.w = ntohs(raw.r.w), .h = ntohs(raw.r.h),
			.encoding = (int32_t)ntohl(raw.encoding),
		};
		if (r.encoding == (int32_t)rfbEncodingLastRect)
			break;
		size_t k = 0;
		while (k < ARRAY_SIZE(rect_handlers) &&
		       rect_handlers[k].encoding != r.encoding)
			k++;
		if (k == ARRAY_SIZE(rect_handlers)) {
			log_warn(_("VNC: QEMU sent encoding %d, which was not "
				 "asked for"), r.encoding);
			return false;
		}
		if (!rect_handlers[k].handle(v, &r))
			return false;
	}
	v->writing = false;
	if (!SendIncrementalFramebufferUpdateRequest(c))
		return false;
	if (v->dirty) {
		v->dirty = false;
		if (v->cb.update)
			v->cb.update(v->user, v->dx0, v->dy0, v->dx1 - v->dx0,
				     v->dy1 - v->dy0);
	}
	return true;
}

static bool send_clip(struct vnc *v, struct vnc_clip_out o)
{
	bool ok = WriteToRFBServer(v->client, (char *)o.data, (unsigned)o.len);
	free(o.data);
	return ok;
}

/* Reads and drops n bytes (a message too large to keep). */
static bool skip_bytes(rfbClient *c, size_t n)
{
	char buf[4096];
	while (n > 0) {
		size_t k = n < sizeof(buf) ? n : sizeof(buf);
		if (!ReadFromRFBServer(c, buf, (unsigned)k))
			return false;
		n -= k;
	}
	return true;
}

/* Latin-1 (plain ServerCutText) as UTF-8. */
static char *latin1_to_utf8(const unsigned char *s, size_t n, size_t *out_len)
{
	char *o = xmalloc(2 * n + 1);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < 0x80) {
			o[k++] = (char)s[i];
		} else {
			o[k++] = (char)(0xC0 | s[i] >> 6);
			o[k++] = (char)(0x80 | (s[i] & 0x3F));
		}
	}
	o[k] = '\0';
	*out_len = k;
	return o;
}

/* ServerCutText after its type byte: plain (Latin-1) when the length is
 * positive, else an extended clipboard message. Read whole even when the
 * clipboard is off or the text too large, so the stream stays in step. */
static bool read_cut_text(struct vnc *v)
{
	rfbClient *c = v->client;
	uint8_t hdr[7];
	if (!ReadFromRFBServer(c, (char *)hdr, 7))
		return false;
	int32_t len = (int32_t)((uint32_t)hdr[3] << 24 | (uint32_t)hdr[4] << 16 |
				(uint32_t)hdr[5] << 8 | hdr[6]);
	size_t n = len < 0 ? (size_t)-(int64_t)len : (size_t)len;
	bool wanted = v->cb.clipboard_text != NULL;
	if (!wanted || n > VNC_CLIP_MAX_FROM_GUEST) {
		if (wanted)   /* too large: said, not kept */
			v->cb.clipboard_text(v->user, NULL, 0);
		return skip_bytes(c, n);
	}
	uint8_t *payload = xmalloc(n + 1);
	if (!ReadFromRFBServer(c, (char *)payload, (unsigned)n)) {
		free(payload);
		return false;
	}
	if (len >= 0) {
		size_t tlen;
		char *text = latin1_to_utf8(payload, n, &tlen);
		v->cb.clipboard_text(v->user, text, tlen);
		free(text);
		free(payload);
		return true;
	}
	struct vnc_clip_msg m;
	const char *why;
	bool ok = vnc_clip_parse(payload, n, &m, &why);
	free(payload);
	if (!ok) {
		log_warn(_("VNC: clipboard message ignored: %s"), why);
		return true;
	}
	if (m.flags & VNC_CLIP_CAPS)
		return true;   /* QEMU's: text, with all four actions */
	if (m.flags & VNC_CLIP_NOTIFY && m.flags & VNC_CLIP_TEXT)
		ok = send_clip(v, vnc_clip_request());
	if (m.flags & VNC_CLIP_REQUEST && m.flags & VNC_CLIP_TEXT &&
	    v->cb.clipboard_request)
		v->cb.clipboard_request(v->user);
	if (m.flags & VNC_CLIP_PROVIDE) {
		if (m.too_large)
			v->cb.clipboard_text(v->user, NULL, 0);
		else if (m.text)
			v->cb.clipboard_text(v->user, m.text, m.len);
	}
	free(m.text);
	return ok;
}

/* One server message: updates here, everything else by the library. */
static bool handle_message(struct vnc *v)
{
	rfbClient *c = v->client;
	char type;
	if (!ReadFromRFBServer(c, &type, 1))
		return false;
	if (type == rfbFramebufferUpdate)
		return read_update(v);
	if (type == rfbServerCutText)
		return read_cut_text(v);
	/* Give the type byte back: a 1-byte read always goes through the
	 * library's buffer, so it sits just before bufoutptr. */
	if (c->bufoutptr <= c->buf || c->bufoutptr[-1] != type) {
		log_error(_("VNC: cannot hand message type %d to libvncclient"),
			  (unsigned char)type);
		return false;
	}
	c->bufoutptr--;
	c->buffered++;
	return HandleRFBServerMessage(c);
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

static bool send_encodings(struct vnc *v, bool want_cursor)
{
	int32_t list[8];
	size_t n = 0;
	list[n++] = rfbEncodingRaw;
	list[n++] = (int32_t)rfbEncodingNewFBSize;            /* -223 DesktopSize */
	list[n++] = (int32_t)rfbEncodingQemuExtendedKeyEvent; /* -258 */
	list[n++] = ENCODING_LED_STATE;                       /* -261 */
	if (want_cursor)
		list[n++] = (int32_t)rfbEncodingRichCursor;   /* -239 */
	if (v->cb.size_answer)
		list[n++] = VNC_ENCODING_EXT_DESKTOP_SIZE;    /* -308 */
	if (v->cb.clipboard_text)
		list[n++] = VNC_ENCODING_EXT_CLIPBOARD;
	char buf[sz_rfbSetEncodingsMsg + sizeof(list)];
	rfbSetEncodingsMsg *m = (rfbSetEncodingsMsg *)buf;
	m->type = rfbSetEncodings;
	m->pad = 0;
	m->nEncodings = htons((uint16_t)n);
	for (size_t i = 0; i < n; i++) {
		uint32_t e = htonl((uint32_t)list[i]);
		memcpy(buf + sz_rfbSetEncodingsMsg + 4 * i, &e, 4);
	}
	if (!WriteToRFBServer(v->client, buf,
			      (unsigned)(sz_rfbSetEncodingsMsg + 4 * n)))
		return false;
	/* what we take, as the extension asks (QEMU ignores it) */
	return !v->cb.clipboard_text || send_clip(v, vnc_clip_caps());
}

/* A client for QEMU's pixel format, unconnected. */
static struct vnc *vnc_new(const struct vnc_callbacks *cb, void *user,
			   const char *host)
{
	static bool registered;
	if (!registered) {
		rfbClientLog = lib_log;
		rfbClientErr = lib_err;
		registered = true;
	}
	struct vnc *v = xcalloc(1, sizeof(*v));
	if (cb)
		v->cb = *cb;
	v->user = user;
	v->leds = -1;
	rfbClient *c = rfbGetClient(8, 3, 4);
	if (!c) {
		free(v);
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
	c->GotCursorShape = on_cursor;
	c->canHandleNewFBSize = TRUE;
	c->programName = "vmplay";
	free(c->serverHost);             /* rfbGetClient's empty string */
	c->serverHost = xstrdup(host);   /* freed by rfbClientCleanup */
	c->serverPort = 0;               /* -1 would mean "replay a file" */
	return v;
}

/* Handshake, pixel format, encodings, first full update request on a
 * connected client. */
static bool vnc_start(struct vnc *v, bool want_cursor, char **error)
{
	rfbClient *c = v->client;
	if (!InitialiseRFBConnection(c)) {
		*error = xasprintf(_("VNC handshake with QEMU failed on %s"),
				   c->serverHost);
		return false;
	}
	c->width = c->si.framebufferWidth;
	c->height = c->si.framebufferHeight;
	if (!on_malloc_fb(c)) {
		*error = xasprintf(_("guest screen %dx%d not supported"),
				   c->width, c->height);
		return false;
	}
	if (!send_pixel_format(c) || !send_encodings(v, want_cursor) ||
	    !SendFramebufferUpdateRequest(c, 0, 0, c->width, c->height,
					  FALSE)) {
		*error = xasprintf(_("cannot set up the VNC session on %s"),
				   c->serverHost);
		return false;
	}
	log_debug("VNC connected: %dx%d", c->width, c->height);
	return true;
}

struct vnc *vnc_connect(const char *path, bool want_cursor,
			const struct vnc_callbacks *cb, void *user,
			char **error)
{
	struct stat st;
	if (stat(path, &st) != 0 || !S_ISSOCK(st.st_mode)) {
		/* the library would fall back to a DNS lookup of the path */
		*error = xasprintf(_("VNC socket %s: %s"), path,
				   errno ? strerror(errno) : _("not a socket"));
		return NULL;
	}
	struct vnc *v = vnc_new(cb, user, path);
	if (!v) {
		*error = xstrdup(_("out of memory creating the VNC client"));
		return NULL;
	}
	rfbClient *c = v->client;
	if (!ConnectToRFBServer(c, c->serverHost, c->serverPort)) {
		*error = xasprintf(_("cannot connect to QEMU's VNC socket %s"),
				   path);
		vnc_destroy(v);
		return NULL;
	}
	if (!vnc_start(v, want_cursor, error)) {
		vnc_destroy(v);
		return NULL;
	}
	return v;
}

struct vnc *vnc_connect_fd(int fd, const char *what, bool want_cursor,
			   const struct vnc_callbacks *cb, void *user,
			   char **error)
{
	struct vnc *v = vnc_new(cb, user, what);
	if (!v) {
		close(fd);
		*error = xstrdup(_("out of memory creating the VNC client"));
		return NULL;
	}
	v->client->sock = fd;   /* closed by rfbClientCleanup */
	if (!vnc_start(v, want_cursor, error)) {
		vnc_destroy(v);
		return NULL;
	}
	return v;
}

void vnc_destroy(struct vnc *v)
{
	if (!v)
		return;
	rfbClient *c = v->client;
	if (c) {
		/* rfbClientCleanup frees neither of these; frameBuffer is
		 * ours or the frame callback's */
		c->frameBuffer = NULL;
		free(c->rcSource);
		free(c->rcMask);
		rfbClientCleanup(c);
	}
	free(v->own);
	free(v->bounce);
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
		if (!handle_message(v))
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
		.pixels = v->pixels,
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

bool vnc_clipboard_announce(struct vnc *v, bool has_text)
{
	if (!v->cb.clipboard_text)
		return true;
	return send_clip(v, vnc_clip_notify(has_text));
}

bool vnc_clipboard_provide(struct vnc *v, const char *text, size_t len)
{
	struct vnc_clip_out o;
	if (!v->cb.clipboard_text || !vnc_clip_provide(text, len, &o))
		return false;
	return send_clip(v, o);
}

bool vnc_request_size(struct vnc *v, int w, int h)
{
	uint8_t m[VNC_SET_DESKTOP_SIZE_LEN];
	vnc_set_desktop_size(m, w, h);
	return WriteToRFBServer(v->client, (char *)m, sizeof(m));
}

bool vnc_can_request_size(const struct vnc *v)
{
	return v->ext_size;
}
