#include "player/screenshot.h"

#include "base/i18n.h"
#include "base/log.h"
#include "base/util.h"

#include <SDL2/SDL.h>
#include <SDL2/SDL_image.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The value of XDG_PICTURES_DIR in one user-dirs.dirs text, with $HOME
 * expanded, or NULL. The file is written by xdg-user-dirs-update as
 * shell assignments whose value is "$HOME/..." or "/..."; backslash
 * escapes only quote '"', '\\', '$' and '`'. */
static char *parse_user_dirs(const char *text, const char *home)
{
	static const char key[] = "XDG_PICTURES_DIR=";
	char *found = NULL;
	for (const char *line = text; line && *line;) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		while (len && (*line == ' ' || *line == '\t')) {
			line++;
			len--;
		}
		if (len > sizeof(key) - 1 && !strncmp(line, key, sizeof(key) - 1)) {
			const char *v = line + sizeof(key) - 1;
			const char *vend = line + len;
			bool quoted = *v == '"';
			if (quoted)
				v++;
			char *out = xmalloc(len + (home ? strlen(home) : 0) + 1);
			size_t o = 0;
			if (!strncmp(v, "$HOME", 5) && (v[5] == '/' || v[5] == '"' ||
							 v + 5 == vend)) {
				if (home) {
					strcpy(out, home);
					o = strlen(home);
				}
				v += 5;
			}
			while (v < vend && !(quoted && *v == '"')) {
				if (*v == '\\' && v + 1 < vend)
					v++;
				out[o++] = *v++;
			}
			out[o] = '\0';
			free(found);   /* the last assignment wins, as in a shell */
			found = out;
		}
		line = end ? end + 1 : NULL;
	}
	return found;
}

char *screenshot_pictures_dir(void)
{
	const char *home = getenv("HOME");
	const char *xdg = getenv("XDG_CONFIG_HOME");
	char *conf = xdg && *xdg == '/' ? path_join(xdg, "user-dirs.dirs")
		     : home ? xasprintf("%s/.config/user-dirs.dirs", home) : NULL;
	char *dir = NULL;
	if (conf) {
		size_t len;
		char *text = read_file(conf, 1 << 16, &len);
		if (text)
			dir = parse_user_dirs(text, home);
		free(text);
		free(conf);
	}
	if (!dir && getenv("XDG_PICTURES_DIR"))
		dir = xstrdup(getenv("XDG_PICTURES_DIR"));
	if (!dir)
		return NULL;
	/* Trailing slashes would make the home comparison miss. */
	size_t n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		dir[--n] = '\0';
	bool usable = dir[0] == '/' && path_is_dir(dir) &&
		      !(home && !strcmp(dir, home));
	if (!usable) {
		free(dir);
		return NULL;
	}
	return dir;
}

char *screenshot_path(const char *dir, const char *vm_name, time_t t)
{
	char stamp[32];
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	char *name = xstrdup(vm_name && *vm_name ? vm_name : "vm");
	for (char *p = name; *p; p++)
		if (*p == '/' || (unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '_';
	if (name[0] == '.')
		name[0] = '_';   /* no hidden files */
	char *path = NULL;
	for (unsigned i = 1;; i++) {
		char *file = i == 1 ? xasprintf("%s-%s.png", name, stamp)
				    : xasprintf("%s-%s-%u.png", name, stamp, i);
		path = path_join(dir, file);
		free(file);
		if (!path_exists(path))
			break;
		free(path);
	}
	free(name);
	return path;
}

/* An SDL_RWops that appends to a growing buffer, so the PNG is complete in
 * memory before anything touches the file system. */
struct membuf {
	unsigned char *data;
	size_t len, cap;
};

static size_t SDLCALL membuf_write(SDL_RWops *ctx, const void *ptr,
				   size_t size, size_t num)
{
	struct membuf *m = ctx->hidden.unknown.data1;
	size_t n = size * num;
	if (m->len + n > m->cap) {
		m->cap = (m->len + n) * 2 + 4096;
		m->data = xrealloc(m->data, m->cap);
	}
	memcpy(m->data + m->len, ptr, n);
	m->len += n;
	return num;
}

static Sint64 SDLCALL membuf_size(SDL_RWops *ctx)
{
	struct membuf *m = ctx->hidden.unknown.data1;
	return (Sint64)m->len;
}

static Sint64 SDLCALL membuf_seek(SDL_RWops *ctx, Sint64 off, int whence)
{
	/* The PNG writer only asks for the current position. */
	struct membuf *m = ctx->hidden.unknown.data1;
	if (whence == RW_SEEK_CUR && off == 0)
		return (Sint64)m->len;
	if (whence == RW_SEEK_END && off == 0)
		return (Sint64)m->len;
	return SDL_SetError("seek not supported on the PNG buffer");
}

static size_t SDLCALL membuf_read(SDL_RWops *ctx, void *ptr, size_t size,
				  size_t num)
{
	(void)ctx;
	(void)ptr;
	(void)size;
	(void)num;
	return 0;
}

static int SDLCALL membuf_close(SDL_RWops *ctx)
{
	SDL_FreeRW(ctx);
	return 0;
}

bool screenshot_write_png(const void *pixels, int w, int h, int pitch,
			  uint32_t fmt, const char *path, char **error)
{
	*error = NULL;
	if (w <= 0 || h <= 0 || !pixels) {
		*error = xasprintf(_("cannot save %s: there is no guest screen yet"), path);
		errno = EINVAL;
		return false;
	}
	SDL_Surface *src = SDL_CreateRGBSurfaceWithFormatFrom(
		(void *)pixels, w, h, SDL_BITSPERPIXEL(fmt), pitch, fmt);
	/* RGB24 has no alpha, so the undefined X byte of XRGB8888 never
	 * becomes transparency in the PNG. */
	SDL_Surface *rgb = src ? SDL_ConvertSurfaceFormat(src, SDL_PIXELFORMAT_RGB24, 0)
			       : NULL;
	SDL_FreeSurface(src);
	if (!rgb) {
		*error = xasprintf(_("cannot save %s: %s"), path, SDL_GetError());
		errno = EINVAL;
		return false;
	}
	struct membuf m = { 0 };
	SDL_RWops *rw = SDL_AllocRW();
	bool ok = false;
	if (rw) {
		rw->type = SDL_RWOPS_UNKNOWN;
		rw->size = membuf_size;
		rw->seek = membuf_seek;
		rw->read = membuf_read;
		rw->write = membuf_write;
		rw->close = membuf_close;
		rw->hidden.unknown.data1 = &m;
		ok = IMG_SavePNG_RW(rgb, rw, 1) == 0;
	}
	SDL_FreeSurface(rgb);
	if (!ok) {
		*error = xasprintf(_("cannot encode the PNG for %s: %s"), path,
				   IMG_GetError());
		free(m.data);
		errno = EIO;
		return false;
	}
	ok = write_file_atomic(path, m.data, m.len, false);
	int saved = errno;
	free(m.data);
	if (!ok) {
		*error = xasprintf(_("cannot write %s: %s"), path, strerror(saved));
		errno = saved;
	}
	return ok;
}

char *screenshot_take(const void *pixels, int w, int h, int pitch,
		      uint32_t fmt, const char *vm_name, const char *vm_dir,
		      char **error)
{
	*error = NULL;
	char *dir = screenshot_pictures_dir();
	if (!dir)
		dir = xstrdup(vm_dir ? vm_dir : ".");
	/* A file with the same name can appear between choosing the name
	 * and linking it; take the next free one a few times. */
	for (int attempt = 0; attempt < 8; attempt++) {
		char *path = screenshot_path(dir, vm_name, time(NULL));
		if (screenshot_write_png(pixels, w, h, pitch, fmt, path, error)) {
			free(dir);
			return path;
		}
		free(path);
		if (errno != EEXIST)
			break;
		free(*error);
		*error = NULL;
	}
	if (!*error)
		*error = xasprintf(_("cannot find a free screenshot name in %s"), dir);
	free(dir);
	return NULL;
}
