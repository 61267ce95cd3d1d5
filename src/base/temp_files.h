/* vmplay's temporary files: a file that will become DIR/NAME is written as
 * DIR/.NAME.vmplay-PID-XXXXXX first (same folder, so the final move is a
 * rename), PID being the process that made it.
 *
 * A process killed before it moves or removes its temporary file (SIGKILL,
 * a power cut) leaves it behind. The next vmplay that makes a temporary
 * file in that folder removes those left behind: files of this naming,
 * ours, whose PID no longer runs or now belongs to a process started after
 * the file was last written. Nothing else is ever removed. */
#ifndef VMPLAY_TEMP_FILES_H
#define VMPLAY_TEMP_FILES_H

#include <stdbool.h>
#include <sys/types.h>

/* Removes the stale temporary files in dir first, then creates a new one
 * for dst (O_RDWR, mode 0600, close-on-exec). Returns the descriptor and
 * sets *tmp_path (malloc'd), or -1 with errno set. */
int temp_create(const char *dst, char **tmp_path);

/* Removes the stale temporary files in dir (see above); returns how many. */
int temp_sweep(const char *dir);

/* Whether name (a file name, no folder) is of the naming above; *pid gets
 * the PID it records. */
bool temp_name_parse(const char *name, pid_t *pid);

#endif
