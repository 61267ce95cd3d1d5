/* The VNC extended clipboard's messages (vnc_clipboard.h). */
#include "player/vnc_clipboard.h"

#include "base/i18n.h"
#include "base/util.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define CLIENT_CUT_TEXT 6

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24), p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8), p[3] = (uint8_t)v;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* A ClientCutText header with length -(payload_len), the flags, then
 * extra bytes. */
static struct vnc_clip_out message(uint32_t flags, const uint8_t *extra,
				   size_t extra_len)
{
	size_t payload = 4 + extra_len;
	struct vnc_clip_out o = { xmalloc(8 + payload), 8 + payload };
	o.data[0] = CLIENT_CUT_TEXT;
	o.data[1] = o.data[2] = o.data[3] = 0;
	put32(o.data + 4, (uint32_t)-(int32_t)payload);
	put32(o.data + 8, flags);
	if (extra_len)
		memcpy(o.data + 12, extra, extra_len);
	return o;
}

struct vnc_clip_out vnc_clip_caps(void)
{
	/* one size per format bit set: the most text we take */
	uint8_t size[4];
	put32(size, VNC_CLIP_MAX_FROM_GUEST);
	return message(VNC_CLIP_CAPS | VNC_CLIP_REQUEST | VNC_CLIP_NOTIFY |
		       VNC_CLIP_PROVIDE | VNC_CLIP_TEXT, size, 4);
}

struct vnc_clip_out vnc_clip_notify(bool has_text)
{
	return message(VNC_CLIP_NOTIFY | (has_text ? VNC_CLIP_TEXT : 0),
		       NULL, 0);
}

struct vnc_clip_out vnc_clip_request(void)
{
	return message(VNC_CLIP_REQUEST | VNC_CLIP_TEXT, NULL, 0);
}

bool vnc_clip_provide(const char *text, size_t len, struct vnc_clip_out *out)
{
	if (len > VNC_CLIP_MAX_TO_GUEST)
		return false;
	uint8_t *plain = xmalloc(4 + len);
	put32(plain, (uint32_t)len);
	if (len)
		memcpy(plain + 4, text, len);
	uLongf zlen = compressBound(4 + len);
	uint8_t *z = xmalloc(zlen);
	bool ok = compress2(z, &zlen, plain, 4 + len,
			    Z_DEFAULT_COMPRESSION) == Z_OK;
	free(plain);
	if (ok)
		*out = message(VNC_CLIP_PROVIDE | VNC_CLIP_TEXT, z, zlen);
	free(z);
	return ok;
}

/* Inflates a zlib stream, at most limit bytes of output. Returns the
 * bytes (malloc'd) and their count, NULL when the stream is broken; sets
 * *over when it holds more than limit. */
static uint8_t *inflate_limited(const uint8_t *in, size_t in_len,
				size_t limit, size_t *out_len, bool *over)
{
	z_stream zs;
	memset(&zs, 0, sizeof(zs));
	if (inflateInit(&zs) != Z_OK)
		return NULL;
	size_t cap = in_len * 4 + 64, n = 0;
	if (cap > limit + 1)
		cap = limit + 1;
	uint8_t *out = xmalloc(cap);
	zs.next_in = (Bytef *)in;
	zs.avail_in = (uInt)in_len;
	int rc = Z_OK;
	*over = false;
	for (;;) {
		if (n == cap) {
			if (cap > limit) {
				*over = true;
				break;
			}
			cap = cap * 2 > limit + 1 ? limit + 1 : cap * 2;
			out = xrealloc(out, cap);
		}
		zs.next_out = out + n;
		zs.avail_out = (uInt)(cap - n);
		rc = inflate(&zs, Z_NO_FLUSH);
		n = cap - zs.avail_out;
		if (rc == Z_STREAM_END)
			break;
		/* Z_BUF_ERROR with room left: the input ended early */
		if ((rc != Z_OK && rc != Z_BUF_ERROR) ||
		    (rc == Z_BUF_ERROR && zs.avail_out > 0))
			break;
	}
	inflateEnd(&zs);
	if (*over || rc != Z_STREAM_END) {
		free(out);
		return NULL;
	}
	*out_len = n;
	return out;
}

bool vnc_clip_parse(const uint8_t *payload, size_t len,
		    struct vnc_clip_msg *msg, const char **why)
{
	memset(msg, 0, sizeof(*msg));
	if (len < 4) {
		*why = _("an extended clipboard message shorter than its flags");
		return false;
	}
	msg->flags = get32(payload);
	if (!(msg->flags & VNC_CLIP_PROVIDE) || msg->flags & VNC_CLIP_CAPS)
		return true;   /* caps, notify, request, peek: flags say it */
	size_t n = 0;
	bool over = false;
	/* the text, its size word and the other formats' words: the text
	 * limit plus a little */
	uint8_t *plain = inflate_limited(payload + 4, len - 4,
					 VNC_CLIP_MAX_FROM_GUEST + 64, &n,
					 &over);
	if (over) {
		msg->too_large = true;
		return true;
	}
	if (!plain) {
		*why = _("clipboard data that is not a zlib stream");
		return false;
	}
	/* one (size, data) pair per format bit, lowest bit first; text is
	 * bit 0, so it comes first when present */
	if (msg->flags & VNC_CLIP_TEXT) {
		if (n < 4 || get32(plain) > n - 4) {
			free(plain);
			*why = _("clipboard text whose size runs past its data");
			return false;
		}
		size_t tlen = get32(plain);
		if (tlen > VNC_CLIP_MAX_FROM_GUEST) {
			free(plain);
			msg->too_large = true;
			return true;
		}
		/* the extension's text ends with a NUL; QEMU's does not */
		size_t keep = tlen;
		if (keep && plain[4 + keep - 1] == '\0')
			keep--;
		msg->text = xmalloc(keep + 1);
		memcpy(msg->text, plain + 4, keep);
		msg->text[keep] = '\0';
		msg->len = keep;
	}
	free(plain);
	return true;
}
