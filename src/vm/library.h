/* The VM library: every VM file the user has, for the library window
 * (player/library.c) and `vmplay list` (cli/cmd_list.c). No SDL here.
 *
 * What is in it: every *.vmplay in ~/.VM/ and in the folders right under
 * it (the place `vmplay new` and the wizard put VMs), plus the VM files
 * played from elsewhere, remembered in the XDG state folder
 * ($XDG_STATE_HOME/vmplay/recent-vms, see base/recent.h). A remembered
 * file that vanished drops out of that list, with a note saying so.
 *
 * Also here: finding a VM by name (`vmplay NAME`), removing a VM to the
 * desktop trash, duplicating it, and where its thumbnail is cached. */
#ifndef VMPLAY_LIBRARY_H
#define VMPLAY_LIBRARY_H

#include "base/util.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct library_entry {
	char *path;        /* the VM file, absolute */
	char *name;        /* [vm] name (the file name when it does not load) */
	char *dir;         /* its folder */
	bool in_home;      /* in ~/.VM/NAME/: Remove trashes that folder */
	char *problem;     /* why the file does not load (first line), or NULL */
	bool running;      /* a vmplay holds it (instance lock) */
	bool headless;     /* ... without a window */
	long pid;          /* that vmplay's pid */
	uint64_t memory;
	int cpus;
	size_t n_disks;
	size_t missing_disks;  /* disks whose file does not exist */
	uint64_t disk_bytes;   /* total virtual size of its disks */
	char *thumbnail;   /* cached picture of its last screen, or NULL */
};

struct library {
	struct library_entry *entries;   /* sorted by name, case-insensitive */
	size_t n;
	struct strv notes;   /* "debian: /x/debian.vmplay is gone; ..." */
};

/* Reads the library. Never NULL. */
struct library *library_scan(void);
void library_destroy(struct library *lib);   /* accepts NULL */
/* Updates the running state of every entry (cheap: no file is read). */
void library_refresh_running(struct library *lib);
/* The entry for path, or NULL. */
const struct library_entry *library_find(const struct library *lib,
					 const char *path);

/* ~/.VM, or NULL without HOME. Caller frees. */
char *library_home(void);

/* Remembers vm_path (absolute) as played, for the library. */
void library_note_played(const char *vm_path);
/* Forgets a remembered VM file (the files stay). */
void library_forget(const char *vm_path);

/* $XDG_CACHE_HOME/vmplay/thumbnails/HASH.png (default ~/.cache), HASH a
 * hash of the VM file's real path; NULL without HOME. Caller frees. */
char *library_thumbnail_path(const char *vm_path);

/* What `vmplay ARG` plays when ARG is not a VM file: a folder holding
 * exactly one *.vmplay plays that file; a plain name (no '/') that names
 * no file plays ~/.VM/NAME/NAME.vmplay. Returns the VM file (caller
 * frees), or NULL when arg should be read as it is; *error (malloc'd) when
 * arg is a folder that cannot be played (no VM file in it, or several:
 * named). */
char *library_resolve(const char *arg, char **error);

/* What removing e takes away, for the confirmation ("The folder
 * /home/u/.VM/debian (debian.vmplay, debian.qcow2: 1.2G) goes to the
 * trash."). Caller frees. */
char *library_remove_summary(const struct library_entry *e);

/* Removes e: a VM in ~/.VM/NAME/ has that folder moved to the desktop
 * trash (freedesktop.org trash specification: $XDG_DATA_HOME/Trash, by
 * default ~/.local/share/Trash, files/ and info/NAME.trashinfo); a VM
 * from elsewhere is only forgotten (its files stay where they are).
 * Refused while it runs. *where (malloc'd) names the trashed folder, or
 * NULL when only forgotten. false with *error otherwise. */
bool library_remove(const struct library_entry *e, char **where,
		    char **error);

/* Duplicating: progress gets the bytes copied so far and the total;
 * returning false cancels (nothing is left behind). */
typedef bool (*library_progress_fn)(void *user, uint64_t done,
				    uint64_t total);

/* Copies e to ~/.VM/NEW_NAME/NEW_NAME.vmplay with a new UUID: its disks
 * are copied whole (sparse areas stay sparse, qcow2 snapshots come
 * along), or with linked = true become qcow2 images backed by the
 * original ones (fast, small; the original disks must then stay as they
 * are). Refused while e runs and when the folder exists. *new_path
 * (malloc'd) is the new VM file. */
bool library_duplicate(const struct library_entry *e, const char *new_name,
		       bool linked, library_progress_fn progress, void *user,
		       char **new_path, char **error);

#endif
