/* Placeholder until the full table lands: letters and Enter only. */
#include "keymap.h"

uint16_t keymap_qnum(SDL_Scancode sc)
{
	static const uint16_t letters[26] = {
		0x1e, 0x30, 0x2e, 0x20, 0x12, 0x21, 0x22, 0x23, 0x17, 0x24, 0x25,
		0x26, 0x32, 0x31, 0x18, 0x19, 0x10, 0x13, 0x1f, 0x14, 0x16, 0x2f,
		0x11, 0x2d, 0x15, 0x2c,
	};
	if (sc >= SDL_SCANCODE_A && sc <= SDL_SCANCODE_Z)
		return letters[sc - SDL_SCANCODE_A];
	if (sc == SDL_SCANCODE_RETURN)
		return 0x1c;
	return 0;
}

uint32_t keymap_keysym(SDL_Scancode sc, int32_t sym)
{
	(void)sc;
	return sym > 0 && sym < 0x7f ? (uint32_t)sym : 0;
}
