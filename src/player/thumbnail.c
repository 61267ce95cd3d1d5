/* Thumbnails of the last guest screen; see thumbnail.h. */
#include "player/thumbnail.h"

#include "base/i18n.h"
#include "base/log.h"
#include "base/temp_files.h"
#include "base/util.h"
#include "vm/library.h"

#include <SDL2/SDL.h>
#include <SDL2/SDL_image.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Wide enough for a sharp picture in the library's rows on a HiDPI
 * screen, small enough to read a dozen at once. */
#define THUMB_WIDTH 320

bool thumbnail_save(const uint8_t *pixels, int w, int h, int pitch,
		    const char *vm_path)
{
	if (!pixels || w <= 0 || h <= 0)
		return false;
	char *path = library_thumbnail_path(vm_path);
	if (!path)
		return false;
	char *dir = path_dirname(path);
	char *tmp = NULL;
	bool ok = false;
	int tw = w < THUMB_WIDTH ? w : THUMB_WIDTH;
	int th = (int)((int64_t)h * tw / w);
	if (th < 1)
		th = 1;
	SDL_Surface *src = SDL_CreateRGBSurfaceWithFormatFrom(
		(void *)pixels, w, h, 32, pitch, SDL_PIXELFORMAT_XRGB8888);
	SDL_Surface *dst = SDL_CreateRGBSurfaceWithFormat(0, tw, th, 32,
							  SDL_PIXELFORMAT_XRGB8888);
	int fd = -1;
	if (src && dst && mkdir_p(dir, 0700) &&
	    (fd = temp_create(path, &tmp)) >= 0) {
		close(fd);   /* SDL_image writes it by name */
		SDL_SetSurfaceBlendMode(src, SDL_BLENDMODE_NONE);
		ok = SDL_BlitScaled(src, NULL, dst, NULL) == 0 &&
		     IMG_SavePNG(dst, tmp) == 0 && rename(tmp, path) == 0;
	}
	if (!ok) {
		log_warn(_("cannot save the thumbnail %s: %s"), path, SDL_GetError());
		if (tmp)
			unlink(tmp);
	}
	if (src)
		SDL_FreeSurface(src);
	if (dst)
		SDL_FreeSurface(dst);
	free(tmp);
	free(dir);
	free(path);
	return ok;
}
