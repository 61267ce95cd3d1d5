/* The VNC extended clipboard (pseudo-encoding 0xC0A1E5CE) as QEMU 7.2
 * speaks it (ui/vnc-clipboard.c): pure message building and parsing, no
 * I/O. libvncclient 0.9.14 has none of it, so vnc.c reads these messages
 * itself.
 *
 * An extended message is a cut-text message (ServerCutText 3 from QEMU,
 * ClientCutText 6 from us) whose length field is negative: -(payload
 * bytes). The payload is a 32-bit big-endian flags word (an action bit and
 * format bits), then for "caps" one 32-bit size per format and for
 * "provide" a zlib stream holding, per format, a 32-bit size and the data.
 * Text is UTF-8. QEMU neither adds nor expects the terminating NUL or the
 * CRLF line ends the extension's description asks for: bytes pass
 * unchanged (a trailing NUL from another server is dropped).
 *
 * The flow with QEMU's clipboard (its qemu-vdagent bridges the guest):
 *   guest copies:  QEMU -> notify(text); we -> request(text);
 *                  QEMU -> provide(text)
 *   host copies:   we -> notify(text); when the guest pastes QEMU ->
 *                  request(text); we -> provide(text) */
#ifndef VMPLAY_VNC_CLIPBOARD_H
#define VMPLAY_VNC_CLIPBOARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VNC_ENCODING_EXT_CLIPBOARD ((int32_t)0xC0A1E5CE)

/* flags: formats in the low bits, actions in the high byte */
#define VNC_CLIP_TEXT     (1u << 0)
#define VNC_CLIP_CAPS     (1u << 24)
#define VNC_CLIP_REQUEST  (1u << 25)
#define VNC_CLIP_PEEK     (1u << 26)
#define VNC_CLIP_NOTIFY   (1u << 27)
#define VNC_CLIP_PROVIDE  (1u << 28)

/* The most text vmplay hands QEMU. QEMU drops a client's cut-text
 * message over 1 MiB together with the whole connection, inflates at most
 * 1 MiB, and its agent end (ui/vdagent.c) drops a message that does not
 * fit its 1 MiB buffer with the protocol's headers: 960 KiB keeps clear
 * of all three. Larger text is refused (with a note), never sent. */
#define VNC_CLIP_MAX_TO_GUEST (960u * 1024u)
/* The most guest text accepted (QEMU sends at most 1 MiB compressed; this
 * bounds what inflating it may take). */
#define VNC_CLIP_MAX_FROM_GUEST (16u * 1024u * 1024u)

/* A message for the wire: malloc'd bytes, header included. */
struct vnc_clip_out {
	uint8_t *data;
	size_t len;
};

/* ClientCutText messages. caps: we take text (and announce the actions we
 * do). notify: the host has text (or has none any more: has_text false).
 * request: send us your text. provide: here is ours (len <= the limit;
 * false when zlib fails or len is too large). */
struct vnc_clip_out vnc_clip_caps(void);
struct vnc_clip_out vnc_clip_notify(bool has_text);
struct vnc_clip_out vnc_clip_request(void);
bool vnc_clip_provide(const char *text, size_t len, struct vnc_clip_out *out);

/* What an extended server message says. */
struct vnc_clip_msg {
	uint32_t flags;          /* the action bit(s) and formats */
	/* provide with text: the text, malloc'd, NUL-terminated (len
	 * excludes it); NULL otherwise */
	char *text;
	size_t len;
	/* provide whose text was over VNC_CLIP_MAX_FROM_GUEST: not kept */
	bool too_large;
};

/* Parses the payload of an extended message (the bytes after the length
 * field: flags, then the rest). False, with *why (static text), when the
 * payload is malformed: a provide that is not a zlib stream, sizes that
 * run past the data. */
bool vnc_clip_parse(const uint8_t *payload, size_t len,
		    struct vnc_clip_msg *msg, const char **why);

#endif
