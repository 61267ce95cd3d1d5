/* vdagent: the Linux test guest's clipboard agent. Speaks the guest side
 * of the SPICE agent protocol (what spice-vdagent does in a desktop
 * session) on the virtio-serial port com.redhat.spice.0, which QEMU's
 * qemu-vdagent chardev serves; its clipboard is a file instead of an X
 * selection, so the tests can drive it from the serial shell:
 *
 *   echo set FILE > /run/clip.ctl    the guest copies FILE's bytes (grab)
 *   /run/clip.in                     the last text the host sent
 *
 * Prints on stdout (the serial port), one line each:
 *   agent-up CAPS           QEMU announced its capabilities (hex bit mask)
 *   clip-grab               the host has new text; asked for it
 *   clip-in LEN [HEX]       the host's text arrived in /run/clip.in (HEX:
 *                           the bytes, when there are at most 256)
 *   clip-set LEN            our text is offered to the host (after set)
 *   clip-sent LEN           the host asked for our text and got it
 *   clip-release            the host's clipboard became empty
 *   agent-gone              the port was unplugged (vmplay does that
 *                           around a snapshot with memory); the agent
 *                           waits for it to come back, opens it again
 *                           and announces itself (agent-up follows), as
 *                           spice-vdagentd reopens its port after an error
 *   agent-error TEXT
 *
 * Wire format (little-endian, as QEMU's ui/vdagent.c reads it): chunks of
 * { u32 port = 1, u32 size } + size bytes; chunks carry messages of
 * { u32 protocol = 1, u32 type, u64 opaque, u32 size } + size bytes. With
 * the clipboard-selection capability (we announce it) every clipboard
 * message starts with { u8 selection, u8 reserved[3] }. */
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum {
	PORT_CLIENT = 1,
	PROTOCOL = 1,
	MSG_CLIPBOARD = 4,
	MSG_ANNOUNCE_CAPS = 6,
	MSG_CLIPBOARD_GRAB = 7,
	MSG_CLIPBOARD_REQUEST = 8,
	MSG_CLIPBOARD_RELEASE = 9,
	CAP_CLIPBOARD_BY_DEMAND = 5,
	CAP_CLIPBOARD_SELECTION = 6,
	TYPE_UTF8_TEXT = 1,
	CHUNK_MAX = 2048,
	MSG_HEADER = 20,
};

static int port = -1;
static unsigned char *mine;      /* our clipboard text (after set) */
static size_t mine_len;
static int have_mine;

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = v & 255, p[1] = v >> 8 & 255, p[2] = v >> 16 & 255, p[3] = v >> 24;
}

static uint32_t get32(const unsigned char *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n > (int)sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	/* one write per line: other programs share the serial port */
	if (write(1, line, (size_t)n) < 0)
		return;
}

static int write_all(const unsigned char *p, size_t n)
{
	while (n > 0) {
		ssize_t k = write(port, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		p += k, n -= (size_t)k;
	}
	return 0;
}

/* One message: header, the 4-byte selection prefix when sel >= 0, then
 * head (hn bytes) and body (bn bytes), cut into chunks. */
static void send_msg(uint32_t type, int sel, const unsigned char *head,
		     size_t hn, const unsigned char *body, size_t bn)
{
	size_t size = (sel >= 0 ? 4 : 0) + hn + bn;
	unsigned char *m = calloc(1, MSG_HEADER + size);
	put32(m, PROTOCOL);
	put32(m + 4, type);
	put32(m + 16, (uint32_t)size);
	unsigned char *p = m + MSG_HEADER;
	if (sel >= 0) {
		p[0] = (unsigned char)sel;
		p += 4;
	}
	memcpy(p, head, hn);
	if (bn)
		memcpy(p + hn, body, bn);
	size_t total = MSG_HEADER + size;
	for (size_t off = 0; off < total;) {
		size_t k = total - off < CHUNK_MAX ? total - off : CHUNK_MAX;
		unsigned char ch[8];
		put32(ch, PORT_CLIENT);
		put32(ch + 4, (uint32_t)k);
		if (write_all(ch, 8) < 0 || write_all(m + off, k) < 0) {
			say("agent-error write: %s", strerror(errno));
			break;
		}
		off += k;
	}
	free(m);
}

static void announce(int request)
{
	unsigned char caps[8];
	put32(caps, (uint32_t)request);
	put32(caps + 4, 1u << CAP_CLIPBOARD_BY_DEMAND |
			1u << CAP_CLIPBOARD_SELECTION);
	send_msg(MSG_ANNOUNCE_CAPS, -1, caps, 8, NULL, 0);
}

static void save_host_text(const unsigned char *p, size_t n)
{
	int fd = open("/run/clip.in.tmp", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, p, n) != (ssize_t)n) {
		say("agent-error /run/clip.in: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return;
	}
	close(fd);
	rename("/run/clip.in.tmp", "/run/clip.in");
	if (n <= 256) {
		char hex[513];
		for (size_t i = 0; i < n; i++)
			sprintf(hex + 2 * i, "%02x", p[i]);
		hex[2 * n] = '\0';
		say("clip-in %zu %s", n, hex);
	} else {
		say("clip-in %zu", n);
	}
}

static void handle_msg(const unsigned char *m, size_t n)
{
	uint32_t type = get32(m + 4);
	const unsigned char *d = m + MSG_HEADER;
	size_t size = n - MSG_HEADER;
	unsigned char type_text[4];
	put32(type_text, TYPE_UTF8_TEXT);
	if (type == MSG_ANNOUNCE_CAPS && size >= 8) {
		say("agent-up %x", get32(d + 4));
		if (get32(d))
			announce(0);
		return;
	}
	if (type < MSG_CLIPBOARD || type > MSG_CLIPBOARD_RELEASE ||
	    type == MSG_ANNOUNCE_CAPS || size < 4)
		return;
	int sel = d[0];
	d += 4, size -= 4;
	if (sel != 0)
		return;   /* only the clipboard selection, not PRIMARY */
	switch (type) {
	case MSG_CLIPBOARD_GRAB:
		for (size_t i = 0; i + 4 <= size; i += 4)
			if (get32(d + i) == TYPE_UTF8_TEXT) {
				have_mine = 0;
				say("clip-grab");
				send_msg(MSG_CLIPBOARD_REQUEST, 0, type_text, 4,
					 NULL, 0);
				return;
			}
		return;
	case MSG_CLIPBOARD:
		if (size >= 4 && get32(d) == TYPE_UTF8_TEXT)
			save_host_text(d + 4, size - 4);
		return;
	case MSG_CLIPBOARD_REQUEST:
		if (have_mine) {
			send_msg(MSG_CLIPBOARD, 0, type_text, 4, mine, mine_len);
			say("clip-sent %zu", mine_len);
		} else {
			send_msg(MSG_CLIPBOARD, 0, type_text, 4, NULL, 0);
		}
		return;
	case MSG_CLIPBOARD_RELEASE:
		say("clip-release");
		return;
	}
}

/* Reassembles messages from the port's byte stream. */
static unsigned char *acc;     /* the message being collected */
static size_t acc_len, acc_cap;
static unsigned char chunk_hdr[8];
static size_t hdr_len, chunk_left;

static void feed(const unsigned char *p, size_t n)
{
	while (n > 0) {
		if (chunk_left == 0) {
			size_t k = 8 - hdr_len < n ? 8 - hdr_len : n;
			memcpy(chunk_hdr + hdr_len, p, k);
			hdr_len += k, p += k, n -= k;
			if (hdr_len < 8)
				return;
			hdr_len = 0;
			chunk_left = get32(chunk_hdr + 4);
			continue;
		}
		size_t k = chunk_left < n ? chunk_left : n;
		if (acc_len + k > acc_cap) {
			acc_cap = acc_cap * 2 > acc_len + k ? acc_cap * 2
							    : acc_len + k;
			acc = realloc(acc, acc_cap);
		}
		memcpy(acc + acc_len, p, k);
		acc_len += k, chunk_left -= k, p += k, n -= k;
		/* as soon as the header is in, the full size is known */
		while (acc_len >= MSG_HEADER &&
		       acc_len >= MSG_HEADER + (size_t)get32(acc + 16)) {
			size_t total = MSG_HEADER + get32(acc + 16);
			handle_msg(acc, total);
			memmove(acc, acc + total, acc_len - total);
			acc_len -= total;
		}
	}
}

static void control(char *line)
{
	line[strcspn(line, "\n")] = '\0';
	if (strncmp(line, "set ", 4) != 0)
		return;
	FILE *f = fopen(line + 4, "rb");
	if (!f) {
		say("agent-error %s: %s", line + 4, strerror(errno));
		return;
	}
	free(mine);
	mine = NULL;
	mine_len = 0;
	size_t cap = 0;
	unsigned char buf[65536];
	size_t k;
	while ((k = fread(buf, 1, sizeof(buf), f)) > 0) {
		if (mine_len + k > cap) {
			cap = (mine_len + k) * 2;
			mine = realloc(mine, cap);
		}
		memcpy(mine + mine_len, buf, k);
		mine_len += k;
	}
	fclose(f);
	have_mine = 1;
	unsigned char type_text[4];
	put32(type_text, TYPE_UTF8_TEXT);
	send_msg(MSG_CLIPBOARD_GRAB, 0, type_text, 4, NULL, 0);
	say("clip-set %zu", mine_len);
}

/* The port named name, found as udev would (its /sys/class/virtio-ports
 * entry), opened; -1 while there is none. A port plugged again may get
 * another number than before, so the name is looked up each time. */
static int open_port_named(const char *name)
{
	DIR *dir = opendir("/sys/class/virtio-ports");
	if (!dir)
		return -1;
	int fd = -1;
	struct dirent *e;
	while (fd < 0 && (e = readdir(dir))) {
		if (e->d_name[0] == '.')
			continue;
		char path[512], got[256] = "";
		snprintf(path, sizeof(path), "/sys/class/virtio-ports/%s/name",
			 e->d_name);
		FILE *f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(got, sizeof(got), f))
			got[strcspn(got, "\n")] = '\0';
		fclose(f);
		if (strcmp(got, name) != 0)
			continue;
		snprintf(path, sizeof(path), "/dev/%s", e->d_name);
		fd = open(path, O_RDWR | O_CLOEXEC);
	}
	closedir(dir);
	return fd;
}

/* After an unplug: forget the half-read stream, wait for the port to be
 * plugged again, open it and announce ourselves. */
static void reopen_port(const char *name)
{
	close(port);
	port = -1;
	acc_len = hdr_len = chunk_left = 0;
	say("agent-gone");
	while ((port = open_port_named(name)) < 0)
		usleep(100000);
	announce(1);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: vdagent PORT\n");
		return 2;
	}
	port = open(argv[1], O_RDWR | O_CLOEXEC);
	if (port < 0) {
		say("agent-error %s: %s", argv[1], strerror(errno));
		return 1;
	}
	const char *slash = strrchr(argv[1], '/');
	const char *name = slash ? slash + 1 : argv[1];
	mkdir("/run", 0755);
	unlink("/run/clip.ctl");
	mkfifo("/run/clip.ctl", 0666);
	/* read-write: the fifo never reports end-of-file between writers */
	int ctl = open("/run/clip.ctl", O_RDWR | O_CLOEXEC);
	announce(1);
	char line[4096];
	size_t line_len = 0;
	static unsigned char buf[65536];
	for (;;) {
		struct pollfd pfd[2] = { { port, POLLIN, 0 }, { ctl, POLLIN, 0 } };
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return 1;
		}
		if (pfd[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			ssize_t n = read(port, buf, sizeof(buf));
			if (n > 0)
				feed(buf, (size_t)n);
			else if (n < 0 && errno == ENODEV)
				reopen_port(name);   /* unplugged */
			else if (n <= 0)
				usleep(100000);   /* host side closed: wait */
		}
		if (pfd[1].revents & POLLIN) {
			ssize_t n = read(ctl, line + line_len,
					 sizeof(line) - 1 - line_len);
			if (n <= 0)
				continue;
			line_len += (size_t)n;
			line[line_len] = '\0';
			char *nl;
			while ((nl = strchr(line, '\n'))) {
				*nl = '\0';
				control(line);
				size_t used = (size_t)(nl + 1 - line);
				memmove(line, nl + 1, line_len - used + 1);
				line_len -= used;
			}
			if (line_len >= sizeof(line) - 1)
				line_len = 0;
		}
	}
}
