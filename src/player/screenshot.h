/* Screenshots of the guest screen: a PNG of the framebuffer at the guest's
 * native resolution (not the scaled window), written with SDL2_image into
 * the user's pictures folder or, when there is none, the VM's folder. Files
 * are named NAME-YYYYmmdd-HHMMSS.png (then -2, -3, ... within one second)
 * and an existing file is never overwritten. */
#ifndef VMPLAY_SCREENSHOT_H
#define VMPLAY_SCREENSHOT_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

/* The folder `xdg-user-dir PICTURES` names: XDG_PICTURES_DIR from
 * $XDG_CONFIG_HOME/user-dirs.dirs (default ~/.config), else from the
 * environment, with $HOME expanded. NULL when it is not set, not absolute,
 * the home folder itself (xdg-user-dir's fallback, which would litter it)
 * or not an existing folder. Caller frees. */
char *screenshot_pictures_dir(void);

/* Where a screenshot of VM vm_name taken at time t goes inside dir: the
 * first of NAME-YYYYmmdd-HHMMSS.png, NAME-YYYYmmdd-HHMMSS-2.png, ... that
 * does not exist. Characters that do not belong in a file name ('/',
 * control characters) in vm_name become '_'. Caller frees. */
char *screenshot_path(const char *dir, const char *vm_name, time_t t);

/* Writes pixels (w x h, pitch bytes per row, SDL pixel format fmt, e.g.
 * SDL_PIXELFORMAT_XRGB8888) as an RGB PNG to path, which must not exist:
 * the PNG is written to a temporary file in the same folder and linked to
 * path, so a reader never sees half a file and a file that appeared in the
 * meantime is kept (false, errno EEXIST). On failure *error (malloc'd)
 * says what failed on which file. */
bool screenshot_write_png(const void *pixels, int w, int h, int pitch,
			  uint32_t fmt, const char *path, char **error);

/* The whole step: folder (pictures, else vm_dir), name, write; retries the
 * next free name when one appeared meanwhile. Returns the path written
 * (caller frees; for the toast) or NULL with *error set. */
char *screenshot_take(const void *pixels, int w, int h, int pitch,
		      uint32_t fmt, const char *vm_name, const char *vm_dir,
		      char **error);

#endif
