/* SetDesktopSize and ExtendedDesktopSize (vnc_desktop_size.h). */
#include "player/vnc_desktop_size.h"

#include "base/i18n.h"

static void put16(uint8_t *p, int v)
{
	p[0] = (uint8_t)(v >> 8), p[1] = (uint8_t)v;
}

static int clamp(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

void vnc_set_desktop_size(uint8_t out[VNC_SET_DESKTOP_SIZE_LEN], int w, int h)
{
	w = clamp(w, VNC_DS_MIN_W, VNC_DS_MAX);
	h = clamp(h, VNC_DS_MIN_H, VNC_DS_MAX);
	for (int i = 0; i < VNC_SET_DESKTOP_SIZE_LEN; i++)
		out[i] = 0;
	out[0] = 251;          /* SetDesktopSize; out[1] padding */
	put16(out + 2, w);
	put16(out + 4, h);
	out[6] = 1;            /* one screen; out[7] padding */
	/* the screen: id 0 (bytes 8-11), x 0, y 0, w, h, flags 0 */
	put16(out + 16, w);
	put16(out + 18, h);
}

const char *vnc_desktop_size_status(int status)
{
	switch (status) {
	/* TRANSLATORS: the VNC server's answer to a change of the guest's
	 * screen size, shown in "The guest cannot follow the window (%s)". */
	case VNC_DS_OK: return _("done");
	case VNC_DS_PROHIBITED: return _("resizing is prohibited");
	case VNC_DS_OUT_OF_RESOURCES: return _("out of resources");
	case VNC_DS_INVALID_LAYOUT:
		return _("the display device cannot change size on request "
			 "(use [display] device = virtio)");
	case VNC_DS_FORWARDED: return _("passed on to the guest");
	default: return _("an unknown answer");
	}
}

bool vnc_desktop_size_accepted(int status)
{
	return status == VNC_DS_OK || status == VNC_DS_FORWARDED;
}
