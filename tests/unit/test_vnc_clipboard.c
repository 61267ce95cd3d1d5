/* vnc_clipboard.c: the extended clipboard's messages byte by byte (as
 * QEMU 7.2's ui/vnc-clipboard.c reads and writes them), UTF-8 text through
 * zlib both ways, the size limits, and malformed payloads. */
#include "base/util.h"
#include "player/vnc_clipboard.h"
#include "test.h"

#include <stdlib.h>
#include <zlib.h>

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* The header every client message shares: type 6, padding, -(payload). */
static void check_header(const struct vnc_clip_out *o, uint32_t flags)
{
	CHECK(o->len >= 12);
	CHECK_INT(o->data[0], 6);
	CHECK_INT(o->data[1] | o->data[2] | o->data[3], 0);
	CHECK_INT((int32_t)be32(o->data + 4), -(int32_t)(o->len - 8));
	CHECK_INT(be32(o->data + 8), flags);
}

static void test_simple_messages(void)
{
	struct vnc_clip_out o = vnc_clip_notify(true);
	CHECK_INT(o.len, 12);
	check_header(&o, 0x08000001u);
	free(o.data);
	o = vnc_clip_notify(false);
	check_header(&o, 0x08000000u);
	free(o.data);
	o = vnc_clip_request();
	check_header(&o, 0x02000001u);
	free(o.data);
	o = vnc_clip_caps();
	CHECK_INT(o.len, 16);
	check_header(&o, 0x1b000001u);   /* caps, request, notify, provide, text */
	CHECK_INT(be32(o.data + 12), VNC_CLIP_MAX_FROM_GUEST);
	free(o.data);
}

/* The provide message as QEMU inflates it: 4-byte size, then the text,
 * without a NUL. */
static void test_provide(void)
{
	const char *text = "Grüße 中文 😀\nzwei";
	size_t len = strlen(text);
	struct vnc_clip_out o;
	CHECK(vnc_clip_provide(text, len, &o));
	check_header(&o, 0x10000001u);
	uint8_t plain[256];
	uLongf n = sizeof(plain);
	CHECK_INT(uncompress(plain, &n, o.data + 12, o.len - 12), Z_OK);
	CHECK_INT(n, 4 + len);
	CHECK_INT(be32(plain), len);
	CHECK(memcmp(plain + 4, text, len) == 0);
	free(o.data);

	/* our own parser reads it back (server and client payloads match) */
	struct vnc_clip_msg m;
	const char *why = NULL;
	CHECK(vnc_clip_provide(text, len, &o));
	CHECK(vnc_clip_parse(o.data + 8, o.len - 8, &m, &why));
	CHECK_INT(m.flags, 0x10000001u);
	CHECK_STR(m.text, text);
	CHECK_INT(m.len, len);
	free(m.text);
	free(o.data);

	/* empty text is a valid answer */
	CHECK(vnc_clip_provide("", 0, &o));
	CHECK(vnc_clip_parse(o.data + 8, o.len - 8, &m, &why));
	CHECK_STR(m.text, "");
	free(m.text);
	free(o.data);
}

static void test_provide_limit(void)
{
	size_t big = VNC_CLIP_MAX_TO_GUEST + 1;
	char *text = xmalloc(big);
	memset(text, 'x', big);
	struct vnc_clip_out o = { 0 };
	CHECK(!vnc_clip_provide(text, big, &o));
	CHECK(o.data == NULL);
	CHECK(vnc_clip_provide(text, big - 1, &o));
	/* QEMU drops a client cut-text message over 1 MiB with the whole
	 * connection: the largest we send stays well under */
	CHECK(o.len - 8 < 1024 * 1024);
	free(o.data);
	free(text);
}

/* A server payload: flags, then zlib(size + text [+ NUL]). */
static uint8_t *server_provide(const char *text, size_t len, bool nul,
			       size_t *out_len)
{
	size_t tlen = len + (nul ? 1 : 0);
	uint8_t *plain = xmalloc(4 + tlen);
	plain[0] = (uint8_t)(tlen >> 24), plain[1] = (uint8_t)(tlen >> 16);
	plain[2] = (uint8_t)(tlen >> 8), plain[3] = (uint8_t)tlen;
	memcpy(plain + 4, text, len);
	if (nul)
		plain[4 + len] = 0;
	uLongf zn = compressBound(4 + tlen);
	uint8_t *p = xmalloc(4 + zn);
	p[0] = 0x10, p[1] = 0, p[2] = 0, p[3] = 1;
	CHECK_INT(compress(p + 4, &zn, plain, 4 + tlen), Z_OK);
	free(plain);
	*out_len = 4 + zn;
	return p;
}

static void test_parse(void)
{
	struct vnc_clip_msg m;
	const char *why = NULL;
	/* QEMU's caps, notify and request: flags only (caps carry sizes) */
	const uint8_t caps[] = { 0x1b, 0, 0, 1, 0, 0, 0, 0 };
	CHECK(vnc_clip_parse(caps, sizeof(caps), &m, &why));
	CHECK_INT(m.flags, 0x1b000001u);
	CHECK(m.text == NULL);
	const uint8_t notify[] = { 0x08, 0, 0, 1 };
	CHECK(vnc_clip_parse(notify, 4, &m, &why));
	CHECK_INT(m.flags, VNC_CLIP_NOTIFY | VNC_CLIP_TEXT);
	/* a trailing NUL (the extension's rule, not QEMU's) is dropped */
	size_t n;
	uint8_t *p = server_provide("héllo", 6, true, &n);
	CHECK(vnc_clip_parse(p, n, &m, &why));
	CHECK_STR(m.text, "héllo");
	CHECK_INT(m.len, 6);
	free(m.text);
	free(p);
	/* broken: too short, not zlib, a size past the data */
	CHECK(!vnc_clip_parse(notify, 3, &m, &why));
	const uint8_t junk[] = { 0x10, 0, 0, 1, 'n', 'o', 't', 'z' };
	CHECK(!vnc_clip_parse(junk, sizeof(junk), &m, &why));
	CHECK(why != NULL);
	uint8_t lie_plain[8] = { 0, 0, 1, 0, 'a', 'b', 'c', 'd' };
	uLongf zn = 64;
	uint8_t lie[4 + 64] = { 0x10, 0, 0, 1 };
	compress(lie + 4, &zn, lie_plain, sizeof(lie_plain));
	CHECK(!vnc_clip_parse(lie, 4 + zn, &m, &why));
}

/* Text over VNC_CLIP_MAX_FROM_GUEST is reported, not kept, and a zlib
 * bomb does not make us inflate it all. */
static void test_parse_too_large(void)
{
	size_t len = VNC_CLIP_MAX_FROM_GUEST + 4096;
	char *text = xmalloc(len);
	memset(text, 'z', len);
	size_t n;
	uint8_t *p = server_provide(text, len, false, &n);
	CHECK(n < 100 * 1024);   /* it compresses to a few KiB */
	struct vnc_clip_msg m;
	const char *why = NULL;
	CHECK(vnc_clip_parse(p, n, &m, &why));
	CHECK(m.too_large);
	CHECK(m.text == NULL);
	free(p);
	/* 1 MiB (the test's size) passes */
	p = server_provide(text, 1024 * 1024, false, &n);
	CHECK(vnc_clip_parse(p, n, &m, &why));
	CHECK(!m.too_large);
	CHECK_INT(m.len, 1024 * 1024);
	free(m.text);
	free(p);
	free(text);
}

int main(void)
{
	RUN(test_simple_messages);
	RUN(test_provide);
	RUN(test_provide_limit);
	RUN(test_parse);
	RUN(test_parse_too_large);
	return TEST_REPORT();
}
