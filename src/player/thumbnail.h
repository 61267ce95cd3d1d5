/* The picture the library shows for a VM: its guest screen as it was when
 * the VM stopped, scaled down to a PNG in the XDG cache
 * (library_thumbnail_path in vm/library.h). */
#ifndef VMPLAY_THUMBNAIL_H
#define VMPLAY_THUMBNAIL_H

#include <stdbool.h>
#include <stdint.h>

/* Saves pixels (w x h XRGB8888, pitch bytes per row) as the thumbnail of
 * vm_path, replacing the previous one atomically. false (logged) on
 * failure; an empty frame saves nothing. */
bool thumbnail_save(const uint8_t *pixels, int w, int h, int pitch,
		    const char *vm_path);

#endif
