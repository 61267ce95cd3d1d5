/* Snapshot commands from another vmplay: `vmplay snapshot take FILE`
 * (restore, delete) while this vmplay runs FILE's VM sends its command
 * over the instance socket (instance.h), and the owner runs it exactly as
 * its menu would, through the target below (the machine of the window,
 * or the headless runner's vm_actions). One command at a time, in the
 * order they came.
 *
 * The answer, one line each, then the connection is closed:
 *   note info|error|progress TEXT   the notes the menu would show
 *   done 0                          it worked
 *   done 1                          it failed (an error note said why)
 *   done 2                          the command was not understood
 * A command ends at its first info or error note after it started (what
 * vm_actions promises after a progress note); the notes of that same
 * moment (a failed restore's second note) are sent too. */
#ifndef VMPLAY_VM_SNAPSHOT_REQUESTS_H
#define VMPLAY_VM_SNAPSHOT_REQUESTS_H

#include "vm/vm_actions.h"

enum snapshot_request_action {
	SNAPSHOT_REQUEST_TAKE,
	SNAPSHOT_REQUEST_RESTORE,
	SNAPSHOT_REQUEST_DELETE,
};

struct snapshot_target {
	/* Starts the action; name is NULL for a take by date. */
	void (*run)(void *user, enum snapshot_request_action action,
		    const char *name);
	void *user;
};

struct snapshot_requests;

struct snapshot_requests *snapshot_requests_create(
	const struct snapshot_target *target);
/* Takes over fd (the client's connection) and its request line. */
void snapshot_requests_add(struct snapshot_requests *r, int fd,
			   const char *line);
/* Every note of the target, as it comes. */
void snapshot_requests_note(struct snapshot_requests *r, enum vm_note kind,
			    const char *text);
/* Once per turn of the owner's loop, after its dispatching: answers the
 * finished command and starts the next. */
void snapshot_requests_tick(struct snapshot_requests *r);
/* Parses a request line: false for anything else. *name is a pointer
 * into line, or NULL for a take without a name. */
bool snapshot_request_parse(const char *line,
			    enum snapshot_request_action *action,
			    const char **name);
/* Closes every connection (the clients see the vmplay went away). */
void snapshot_requests_destroy(struct snapshot_requests *r);

#endif
