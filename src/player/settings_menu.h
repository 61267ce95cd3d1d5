/* Glue between the overlay's Settings pages and vm/settings.c, for any
 * window that hosts the overlay: the player's menu (running or stopped)
 * and the library window. The host
 *   - keeps a struct settings_menu for the VM file it shows;
 *   - passes every menu request to settings_menu_dispatch first (it takes
 *     MENU_SETTINGS_LIST and MENU_SETTING_SET);
 *   - calls settings_menu_fill when it fills its overlay_info;
 *   - opens the page with overlay_open (Settings item) or straight with
 *     overlay_open_settings. */
#ifndef VMPLAY_SETTINGS_MENU_H
#define VMPLAY_SETTINGS_MENU_H

#include "player/overlay.h"

#include <stdbool.h>

struct settings_menu {
	char *path;                 /* the VM file */
	struct vm_config *cfg;      /* as last read, NULL before or on error */
	char *error;                /* why it did not read */
	struct overlay_setting *items;
	char **ids, **values;
	size_t n;
};

/* path is copied. Reads nothing yet. */
void settings_menu_init(struct settings_menu *m, const char *path);
void settings_menu_free(struct settings_menu *m);

/* (Re)reads the VM file. */
void settings_menu_load(struct settings_menu *m);

/* Sets info's settings_known, settings_error, settings, n_settings (they
 * point into m, valid until the next load). */
void settings_menu_fill(struct settings_menu *m, struct overlay_info *info);

/* Handles the Settings pages' requests; false for any other. A change is
 * written through settings_write_one and answered on ov (the field's
 * error, or back to the list); *note (malloc'd, for a toast) says what
 * changed, and that it applies at the next start when running. */
bool settings_menu_dispatch(struct settings_menu *m, struct overlay *ov,
			    const struct menu_request *req, bool running,
			    char **note);

#endif
