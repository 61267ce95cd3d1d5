/* Input from the window to the guest.
 *
 * Pointer modes. With the default USB tablet QEMU's VNC server passes our
 * coordinates on as absolute positions, so we map the window point through
 * the scaling and letterbox (render_to_guest) and the guest pointer sits
 * exactly under the host pointer. With [input] pointer = ps2 there is only
 * a relative device; QEMU 7.2's VNC server then turns each pointer event
 * into a move by the difference to the previous event's x, y (it would use
 * x - 0x7FFF instead if the client advertised PointerTypeChange, but that
 * pseudo-encoding's rectangle breaks libvncclient 0.9.14's bounds check).
 * So while grabbed we keep a virtual position, add SDL's relative motion to
 * it and send that: QEMU forwards exactly our deltas. It starts in the
 * middle of the 16-bit range and is clamped at the ends, where pushing
 * further is dropped, as it would be at the edge of the guest's screen. */
#include "player/input.h"

#include "base/i18n.h"
#include "base/log.h"
#include "base/util.h"
#include "player/keymap.h"

#include <stdlib.h>
#include <string.h>

#define VIRTUAL_MAX 0xFFFF

struct held_key {
	bool down;
	uint16_t qnum;
	uint32_t keysym;
};

struct input {
	enum pointer_mode mode;
	struct render *render;
	struct vnc *vnc;
	struct held_key keys[SDL_NUM_SCANCODES];
	int buttons;           /* VNC button mask the guest has */
	int last_x, last_y;    /* last position sent */
	bool sent_any;
	bool grabbed;
	bool swallow_up;       /* the click that grabbed: drop its release */
};

struct input *input_create(enum pointer_mode mode, struct render *r)
{
	struct input *in = xcalloc(1, sizeof(*in));
	in->mode = mode;
	in->render = r;
	in->last_x = in->last_y = VIRTUAL_MAX / 2;
	return in;
}

void input_destroy(struct input *in)
{
	if (!in)
		return;
	if (in->grabbed)
		input_set_grab(in, false);
	free(in);
}

void input_set_vnc(struct input *in, struct vnc *v)
{
	in->vnc = v;
	if (!v) {
		/* nothing to release on a gone connection: forget it all */
		memset(in->keys, 0, sizeof(in->keys));
		in->buttons = 0;
		in->sent_any = false;
	}
}

static void send_key(struct input *in, SDL_Scancode sc, uint16_t qnum,
		     uint32_t keysym, bool down)
{
	if (!in->vnc)
		return;
	if (!vnc_send_key(in->vnc, qnum, keysym, down))
		log_debug("key %d %s not sent", (int)sc, down ? "down" : "up");
}

void input_key(struct input *in, const SDL_KeyboardEvent *ev)
{
	SDL_Scancode sc = ev->keysym.scancode;
	if (sc <= SDL_SCANCODE_UNKNOWN || sc >= SDL_NUM_SCANCODES)
		return;
	struct held_key *k = &in->keys[sc];
	if (ev->type == SDL_KEYDOWN) {
		if (!in->vnc)
			return;
		uint16_t qnum = keymap_qnum(sc);
		uint32_t keysym = keymap_keysym(sc, ev->keysym.sym);
		if (!qnum && !keysym)
			return;
		/* a held key repeats: the guest's keyboard expects repeated
		 * make codes, as from a real keyboard */
		k->down = true;
		k->qnum = qnum;
		k->keysym = keysym;
		send_key(in, sc, qnum, keysym, true);
	} else if (k->down) {
		k->down = false;
		send_key(in, sc, k->qnum, k->keysym, false);
	}
}

static void send_pointer(struct input *in, int x, int y)
{
	if (!in->vnc)
		return;
	in->last_x = x;
	in->last_y = y;
	in->sent_any = true;
	vnc_send_pointer(in->vnc, x, y, in->buttons);
}

void input_release_all(struct input *in)
{
	for (int sc = 0; sc < SDL_NUM_SCANCODES; sc++) {
		struct held_key *k = &in->keys[sc];
		if (k->down) {
			k->down = false;
			send_key(in, (SDL_Scancode)sc, k->qnum, k->keysym, false);
		}
	}
	if (in->buttons) {
		in->buttons = 0;
		send_pointer(in, in->last_x, in->last_y);
	}
}

void input_send_keys(struct input *in, const SDL_Scancode *keys, size_t n)
{
	for (size_t i = 0; i < n; i++)
		send_key(in, keys[i], keymap_qnum(keys[i]),
			 keymap_keysym(keys[i], SDL_GetKeyFromScancode(keys[i])),
			 true);
	for (size_t i = n; i-- > 0;)
		send_key(in, keys[i], keymap_qnum(keys[i]),
			 keymap_keysym(keys[i], SDL_GetKeyFromScancode(keys[i])),
			 false);
}

static int button_bit(Uint8 button)
{
	static const int map[] = {
		[SDL_BUTTON_LEFT] = VNC_BUTTON_LEFT,
		[SDL_BUTTON_MIDDLE] = VNC_BUTTON_MIDDLE,
		[SDL_BUTTON_RIGHT] = VNC_BUTTON_RIGHT,
	};
	return button < ARRAY_SIZE(map) ? map[button] : 0;
}

/* Where the event puts the guest pointer: absolute guest pixel (tablet)
 * or the moved virtual position (ps2). */
static void target(struct input *in, const SDL_Event *ev, int *x, int *y)
{
	*x = in->last_x;
	*y = in->last_y;
	if (in->mode == POINTER_PS2) {
		if (ev->type == SDL_MOUSEMOTION) {
			*x += ev->motion.xrel;
			*y += ev->motion.yrel;
			if (*x < 0) *x = 0;
			if (*y < 0) *y = 0;
			if (*x > VIRTUAL_MAX) *x = VIRTUAL_MAX;
			if (*y > VIRTUAL_MAX) *y = VIRTUAL_MAX;
		}
		return;
	}
	int wx, wy;
	if (ev->type == SDL_MOUSEMOTION)
		wx = ev->motion.x, wy = ev->motion.y;
	else if (ev->type == SDL_MOUSEBUTTONDOWN || ev->type == SDL_MOUSEBUTTONUP)
		wx = ev->button.x, wy = ev->button.y;
	else
		return;
	render_to_guest(in->render, wx, wy, x, y);
}

void input_mouse(struct input *in, const SDL_Event *ev)
{
	if (!in->vnc)
		return;
	if (in->mode == POINTER_PS2 && !in->grabbed) {
		if (ev->type == SDL_MOUSEBUTTONDOWN &&
		    ev->button.button == SDL_BUTTON_LEFT) {
			input_set_grab(in, true);
			in->swallow_up = true;
		}
		return;
	}
	int x, y;
	switch (ev->type) {
	case SDL_MOUSEMOTION:
		target(in, ev, &x, &y);
		if (!in->sent_any || x != in->last_x || y != in->last_y)
			send_pointer(in, x, y);
		break;
	case SDL_MOUSEBUTTONDOWN:
	case SDL_MOUSEBUTTONUP: {
		int bit = button_bit(ev->button.button);
		if (!bit)
			break;
		if (ev->type == SDL_MOUSEBUTTONUP && in->swallow_up &&
		    bit == VNC_BUTTON_LEFT) {
			in->swallow_up = false;
			break;
		}
		target(in, ev, &x, &y);
		if (ev->type == SDL_MOUSEBUTTONDOWN)
			in->buttons |= bit;
		else
			in->buttons &= ~bit;
		send_pointer(in, x, y);
		break;
	}
	case SDL_MOUSEWHEEL: {
		int notches = ev->wheel.y;
		if (ev->wheel.direction == SDL_MOUSEWHEEL_FLIPPED)
			notches = -notches;
		int bit = notches > 0 ? VNC_WHEEL_UP : VNC_WHEEL_DOWN;
		for (int i = 0; i < abs(notches) && i < 16; i++) {
			vnc_send_pointer(in->vnc, in->last_x, in->last_y,
					 in->buttons | bit);
			vnc_send_pointer(in->vnc, in->last_x, in->last_y,
					 in->buttons);
		}
		break;
	}
	default:
		break;
	}
}

bool input_grabbed(const struct input *in)
{
	return in->grabbed;
}

void input_set_grab(struct input *in, bool on)
{
	SDL_Window *win = render_window(in->render);
	if (on == in->grabbed)
		return;
	in->grabbed = on;
	if (in->mode == POINTER_PS2 &&
	    SDL_SetRelativeMouseMode(on ? SDL_TRUE : SDL_FALSE) != 0)
		log_warn(_("relative pointer mode: %s"), SDL_GetError());
	SDL_SetWindowKeyboardGrab(win, on ? SDL_TRUE : SDL_FALSE);
	/* QEMU moves a relative device by the difference to the previous
	 * pointer event and ignores the first one: give it a starting point
	 * so the first real motion counts */
	if (on && in->mode == POINTER_PS2)
		send_pointer(in, in->last_x, in->last_y);
	if (!on && in->buttons) {
		in->buttons = 0;
		send_pointer(in, in->last_x, in->last_y);
	}
}

int input_keys_down(const struct input *in)
{
	int n = 0;
	for (int sc = 0; sc < SDL_NUM_SCANCODES; sc++)
		n += in->keys[sc].down;
	return n;
}
