/* Whether a file is a CD/DVD image QEMU's CD drive can use: an ISO 9660
 * or UDF file system, recognised by its volume descriptors (2048-byte
 * sectors from sector 16: "CD001" for ISO 9660, "NSR02"/"NSR03" for UDF).
 * Anything else is named as well as a few bytes allow ("a qcow2 disk
 * image", "a text file"), so that Insert ISO can say what went wrong. */
#ifndef VMPLAY_ISO_H
#define VMPLAY_ISO_H

#include <stdbool.h>

/* true for an ISO 9660 or UDF image; false with *why (malloc'd), e.g.
 * "/etc/passwd is a text file, not an ISO 9660 or UDF image". */
bool iso_check(const char *path, char **why);

#endif
