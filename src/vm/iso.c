/* See iso.h. */
#include "vm/iso.h"

#include "base/i18n.h"
#include "base/util.h"
#include "vm/disk.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SECTOR 2048
#define FIRST_DESCRIPTOR 16   /* sectors 0-15 are the system area */
#define DESCRIPTORS 16        /* how far the recognition sequence is read */

/* Reads up to len bytes at offset; returns how many. */
static size_t read_at(int fd, unsigned char *buf, size_t len, off_t offset)
{
	size_t got = 0;
	while (got < len) {
		ssize_t n = pread(fd, buf + got, len - got, offset + (off_t)got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	return got;
}

/* What the first bytes say the file is, for the message. */
static const char *what_it_is(const char *path, const unsigned char *head,
			      size_t n)
{
	static const struct {
		const char *bytes;
		size_t len;
		const char *what;
	} magics[] = {
		/* TRANSLATORS: these say what a file is, in "FILE is %s,
		 * not an ISO 9660 or UDF image" */
		{ "\x7f" "ELF", 4, N_("a program (ELF)") },
		{ "\x1f\x8b", 2, N_("a gzip archive (unpack it first)") },
		{ "\xfd" "7zXZ", 5, N_("an xz archive (unpack it first)") },
		{ "PK\x03\x04", 4, N_("a zip archive (unpack it first)") },
		{ "BZh", 3, N_("a bzip2 archive (unpack it first)") },
		{ "\x28\xb5\x2f\xfd", 4, N_("a zstd archive (unpack it first)") },
		{ "%PDF", 4, N_("a PDF document") },
		{ "\x89PNG", 4, N_("a PNG picture") },
		{ "\xff\xd8\xff", 3, N_("a JPEG picture") },
	};
	for (size_t i = 0; i < ARRAY_SIZE(magics); i++)
		if (n >= magics[i].len &&
		    !memcmp(head, magics[i].bytes, magics[i].len))
			return _(magics[i].what);
	switch (disk_detect_format(path)) {
	case FORMAT_QCOW2:
		return _("a qcow2 disk image (attach it as a disk instead)");
	case FORMAT_VDI:
		return _("a VirtualBox disk image (vdi)");
	case FORMAT_VMDK:
		return _("a VMware disk image (vmdk)");
	default:
		break;
	}
	bool text = n > 0;
	for (size_t i = 0; i < n && text; i++)
		text = head[i] == '\n' || head[i] == '\r' || head[i] == '\t' ||
		       head[i] >= 0x20;   /* UTF-8 bytes count as text too */
	if (text)
		return _("a text file");
	if (n >= 512 && head[510] == 0x55 && head[511] == 0xaa)
		return _("a raw disk image (it has a boot sector but no CD file "
		       "system)");
	return NULL;
}

bool iso_check(const char *path, char **why)
{
	*why = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		*why = xasprintf(_("cannot open %s: %s"), path, strerror(errno));
		return false;
	}
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		bool dir = S_ISDIR(st.st_mode);
		close(fd);
		*why = dir ? xasprintf(_("%s is a folder, not an ISO image"),
				       path)
			   : xasprintf(_("%s is not a regular file, not an ISO "
					 "image"), path);
		return false;
	}
	unsigned char head[4096];
	size_t n_head = read_at(fd, head, sizeof(head), 0);
	bool iso9660 = false, udf = false;
	for (int i = 0; i < DESCRIPTORS && !udf; i++) {
		unsigned char d[6];
		off_t at = (off_t)(FIRST_DESCRIPTOR + i) * SECTOR;
		if (read_at(fd, d, sizeof(d), at) < sizeof(d))
			break;
		if (!memcmp(d + 1, "CD001", 5) && i == 0)
			iso9660 = true;
		else if (!memcmp(d + 1, "NSR02", 5) || !memcmp(d + 1, "NSR03", 5))
			udf = true;
	}
	close(fd);
	if (iso9660 || udf)
		return true;
	const char *what = st.st_size == 0 ? _("an empty file")
					   : what_it_is(path, head, n_head);
	if (what)
		/* TRANSLATORS: the second %s says what the file is instead:
		 * "a text file", "a zip archive (unpack it first)"... */
		*why = xasprintf(_("%s is %s, not an ISO 9660 or UDF image"), path,
				 what);
	else if (st.st_size < (FIRST_DESCRIPTOR + 1) * SECTOR)
		*why = xasprintf(ngettext("%s is too small (%lld byte) to be "
					  "an ISO image",
					  "%s is too small (%lld bytes) to be "
					  "an ISO image",
					  (unsigned long)st.st_size),
				 path, (long long)st.st_size);
	else
		*why = xasprintf(_("%s has no ISO 9660 or UDF volume descriptor "
				 "(from byte %d): not a CD/DVD image"), path,
				 FIRST_DESCRIPTOR * SECTOR);
	return false;
}
