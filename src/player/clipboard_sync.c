/* The player's clipboard (clipboard_sync.h). */
#include "player/clipboard_sync.h"

#include "base/i18n.h"
#include "base/log.h"
#include "base/util.h"
#include "base/display_format.h"
#include "player/overlay.h"
#include "player/vnc.h"
#include "player/vnc_clipboard.h"

#include <SDL2/SDL_syswm.h>
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#define OWNER_POLL_MS 500

/* Xlib's, looked up in the libX11 SDL loaded (no link-time dependency,
 * as for the display connection in player.c) */
typedef unsigned long (*x_intern_atom_fn)(void *display, const char *name,
					  int only_if_exists);
typedef unsigned long (*x_get_owner_fn)(void *display, unsigned long atom);

struct clipboard_sync {
	bool available, enabled;
	struct vnc *vnc;
	void (*note)(void *user, const char *text);
	void *user;
	/* the host text last announced, or set from the guest: a change
	 * is a text that differs from it (NULL: none yet) */
	char *last;
	/* X11 owner watch */
	void *x_display;
	unsigned long x_clipboard_atom, x_owner;
	x_get_owner_fn x_get_owner;
	uint64_t next_poll;
};

static void setup_x11_watch(struct clipboard_sync *cs, SDL_Window *window)
{
#if defined(SDL_VIDEO_DRIVER_X11)
	SDL_SysWMinfo info;
	SDL_VERSION(&info.version);
	if (!window || !SDL_GetWindowWMInfo(window, &info) ||
	    info.subsystem != SDL_SYSWM_X11)
		return;
	void *lib = dlopen("libX11.so.6", RTLD_LAZY | RTLD_NOLOAD);
	if (!lib)
		return;
	x_intern_atom_fn intern = (x_intern_atom_fn)dlsym(lib, "XInternAtom");
	cs->x_get_owner = (x_get_owner_fn)dlsym(lib, "XGetSelectionOwner");
	/* SDL keeps libX11 loaded for as long as its window lives */
	dlclose(lib);
	if (!intern || !cs->x_get_owner) {
		cs->x_get_owner = NULL;
		return;
	}
	cs->x_display = info.info.x11.display;
	cs->x_clipboard_atom = intern(cs->x_display, "CLIPBOARD", 0);
	cs->x_owner = cs->x_get_owner(cs->x_display, cs->x_clipboard_atom);
#else
	(void)cs;
	(void)window;
#endif
}

struct clipboard_sync *clipboard_sync_create(bool available,
					     SDL_Window *window,
					     void (*note)(void *user,
							  const char *text),
					     void *user)
{
	struct clipboard_sync *cs = xcalloc(1, sizeof(*cs));
	cs->available = available;
	cs->enabled = available;
	cs->note = note;
	cs->user = user;
	if (available)
		setup_x11_watch(cs, window);
	return cs;
}

void clipboard_sync_destroy(struct clipboard_sync *cs)
{
	if (!cs)
		return;
	free(cs->last);
	free(cs);
}

static void say(struct clipboard_sync *cs, const char *text)
{
	log_info("%s", text);
	if (cs->note)
		cs->note(cs->user, text);
}

/* The host's text now ("" when there is none); malloc'd. */
static char *host_text(void)
{
	char *t = SDL_GetClipboardText();
	char *copy = xstrdup(t ? t : "");
	SDL_free(t);
	return copy;
}

/* Whether a program holds the X11 CLIPBOARD (false when unknown). */
static bool x11_owned(struct clipboard_sync *cs)
{
	if (!cs->x_get_owner)
		return false;
	cs->x_owner = cs->x_get_owner(cs->x_display, cs->x_clipboard_atom);
	return cs->x_owner != 0;
}

/* Tells QEMU what the host holds, when it changed (or always). */
static void announce(struct clipboard_sync *cs, bool always)
{
	if (!cs->vnc || !cs->enabled)
		return;
	char *t = host_text();
	if (!always && cs->last && strcmp(t, cs->last) == 0) {
		free(t);
		return;
	}
	size_t len = strlen(t);
	bool fits = len <= VNC_CLIP_MAX_TO_GUEST;
	/* a program holds the clipboard but SDL reads no text from it: SDL
	 * 2.26 reads no X11 selection of 1 MiB or more (INCR transfers) */
	if (len == 0 && x11_owned(cs))
		say(cs, _("Clipboard: the host's new clipboard holds no text "
			  "vmplay can read (not text, or 1 MiB or more); the "
			  "guest gets none."));
	if (!fits) {
		char have[32], max[32];
		format_size_display(len, have, sizeof(have));
		format_size_display(VNC_CLIP_MAX_TO_GUEST, max, sizeof(max));
		char *msg = xasprintf(_("Clipboard: %s of text is more than the "
				      "guest takes (%s); not passed to the "
				      "guest."), have, max);
		say(cs, msg);
		free(msg);
	}
	log_debug("clipboard: the host has %zu bytes of text", len);
	vnc_clipboard_announce(cs->vnc, fits && len > 0);
	free(cs->last);
	cs->last = t;
}

void clipboard_sync_set_vnc(struct clipboard_sync *cs, struct vnc *v)
{
	if (!cs || !cs->available)
		return;
	cs->vnc = v;
	if (v)
		announce(cs, true);
}

void clipboard_sync_set_enabled(struct clipboard_sync *cs, bool on)
{
	if (!cs->available || cs->enabled == on)
		return;
	if (!on && cs->vnc)
		vnc_clipboard_announce(cs->vnc, false);
	cs->enabled = on;
	if (on)
		announce(cs, true);
}

int clipboard_sync_state(const struct clipboard_sync *cs)
{
	if (!cs || !cs->available)
		return OVERLAY_CLIP_UNAVAILABLE;
	return cs->enabled ? OVERLAY_CLIP_ON : OVERLAY_CLIP_OFF;
}

void clipboard_sync_host_changed(struct clipboard_sync *cs)
{
	if (cs->available)
		announce(cs, false);
}

int clipboard_sync_timeout_ms(const struct clipboard_sync *cs, uint64_t now)
{
	if (!cs->x_get_owner || !cs->vnc || !cs->enabled)
		return -1;
	return cs->next_poll <= now ? 0 : (int)(cs->next_poll - now);
}

void clipboard_sync_tick(struct clipboard_sync *cs, uint64_t now)
{
	if (clipboard_sync_timeout_ms(cs, now) != 0)
		return;
	cs->next_poll = now + OWNER_POLL_MS;
	unsigned long owner = cs->x_get_owner(cs->x_display,
					      cs->x_clipboard_atom);
	if (owner == cs->x_owner)
		return;
	cs->x_owner = owner;
	announce(cs, false);
}

void clipboard_sync_guest_text(struct clipboard_sync *cs, const char *text,
			       size_t len)
{
	if (!cs->available || !cs->enabled)
		return;
	if (!text) {
		char max[32];
		format_size_display(VNC_CLIP_MAX_FROM_GUEST, max, sizeof(max));
		char *msg = xasprintf(_("Clipboard: the guest copied more than "
				      "%s of text; not passed to the host."),
				      max);
		say(cs, msg);
		free(msg);
		return;
	}
	log_debug("clipboard: %zu bytes of text from the guest", len);
	/* remembered first: setting it must not count as a host change */
	free(cs->last);
	cs->last = xstrdup(text);
	if (SDL_SetClipboardText(text) != 0)
		log_warn(_("clipboard: cannot set the host's: %s"),
			 SDL_GetError());
}

void clipboard_sync_guest_request(struct clipboard_sync *cs)
{
	if (!cs->vnc)
		return;
	/* QEMU waits for an answer: an empty one when nothing may pass */
	char *t = cs->enabled ? host_text() : xstrdup("");
	size_t len = strlen(t);
	if (len > VNC_CLIP_MAX_TO_GUEST)
		len = 0;
	log_debug("clipboard: the guest pastes %zu bytes", len);
	vnc_clipboard_provide(cs->vnc, t, len);
	free(t);
}
