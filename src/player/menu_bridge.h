/* The bridge between the overlay menu (overlay.h), the toasts (toast.h) and
 * the machine (machine.h), so that the player only calls three helpers:
 *   menu_bridge_dispatch   - the menu's snapshot, media and disk requests
 *                            go to the machine (disks: to the QEMU
 *                            engine's vm_actions, the only one with them);
 *   menu_bridge_fill       - the machine's lists, medium, recent ISOs and
 *                            busy text into the overlay_info it shows;
 *   menu_bridge_note       - a machine's note as a toast (a progress toast
 *                            becomes its result). */
#ifndef VMPLAY_MENU_BRIDGE_H
#define VMPLAY_MENU_BRIDGE_H

#include "player/overlay.h"
#include "player/toast.h"
#include "vm/machine.h"

#include <stdbool.h>

/* Carries out req when it is one of the requests vm_actions owns
 * (snapshots, media, disks); false for the others (pause, view, keys,
 * screenshot, quit...), which the player handles itself. */
bool menu_bridge_dispatch(struct machine *m, const struct menu_request *req);

/* Strings the filled overlay_info points to, valid until the next fill or
 * menu_bridge_lists_free (overlay_set_info copies them anyway). */
struct menu_bridge_lists {
	struct overlay_snapshot *snapshots;
	char (*dates)[64];
	char (*clocks)[40];
	struct strv kinds, effects;
	struct overlay_disk *disks;
	struct strv disk_names;
};

/* Sets info's busy, cdrom, recent_isos, snapshots and disks from a; the
 * rest of info is the player's. */
void menu_bridge_fill(struct machine *m, struct overlay_info *info,
		       struct menu_bridge_lists *keep);
void menu_bridge_lists_free(struct menu_bridge_lists *keep);

/* Shows a note as a toast at time now. *progress holds the id of a
 * progress toast that waits for its result (0: none). */
void menu_bridge_note(struct toasts *ts, unsigned *progress, uint64_t now,
		       enum vm_note kind, const char *text);

#endif
