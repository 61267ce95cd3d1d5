/* The library window: `vmplay` without a file (and the desktop entry)
 * opens it. It lists the VMs of vm/library.c (name, running or not,
 * memory, processors, disk size, a thumbnail of the last screen), plays
 * the selection, raises the window of one that runs, makes new VMs with
 * the wizard (library_wizard.c), removes a VM to the desktop trash and
 * duplicates one. Below the VM files, the domains of the libvirt
 * connections in vmplay.ini's [connections] with their state
 * (library_libvirt.c), played as `vmplay --connect URI DOMAIN`. Drawn
 * with SDL2 and text.c, like the player's overlay.
 *
 * Playing starts `vmplay FILE` as a process of its own (detached: it
 * outlives the library), so the library stays open beside the VM, shows
 * it running, and several VMs can run at once; closing the library never
 * stops a VM.
 *
 * One library per user: a second `vmplay` without a file raises the
 * first library window instead (instance.c's lock, on ~/.VM). */
#ifndef VMPLAY_PLAYER_LIBRARY_H
#define VMPLAY_PLAYER_LIBRARY_H

/* library_run's status when no window can be opened (no display). */
#define LIBRARY_NO_DISPLAY (-1)

/* Opens the library window and returns when it is closed: the exit
 * status (0), or LIBRARY_NO_DISPLAY. May be called with SDL's video
 * already initialised (the player's stopped screen, "Library"): it takes
 * its own reference (SDL_InitSubSystem) and gives it back. When another
 * library window is open already, raises that one and returns 0.
 * A player calling it should release its VM's instance first
 * (instance_release): the library plays that VM again by starting a new
 * vmplay, which would otherwise find the VM taken by a process that is
 * busy in here and cannot raise its window. */
int library_run(void);

#endif
