/* See machine.h: the dispatch through the engine's table, in one place. */
#include "vm/machine.h"

#include <stdlib.h>

void machine_set_listener(struct machine *m,
			  const struct machine_listener *listener)
{
	if (m)
		m->listener = *listener;
}

int machine_pollfds(struct machine *m, struct pollfd *fds, int max)
{
	return m ? m->ops->pollfds(m->self, fds, max) : 0;
}

int machine_timeout_ms(struct machine *m)
{
	return m ? m->ops->timeout_ms(m->self) : -1;
}

void machine_dispatch(struct machine *m)
{
	if (m)
		m->ops->dispatch(m->self);
}

enum vm_state machine_state(struct machine *m)
{
	return m ? m->ops->state(m->self) : VM_STATE_PRELAUNCH;
}

/* The verbs: false when there is no machine. */
#define VERB(name) \
	bool machine_##name(struct machine *m) \
	{ \
		return m && m->ops->name(m->self); \
	}
VERB(start)
VERB(pause)
VERB(resume)
VERB(reset)
VERB(powerdown)
VERB(force_off)
VERB(wants_cursor)
VERB(snapshots_known)
VERB(has_cdrom)
#undef VERB

enum machine_close machine_close(struct machine *m)
{
	return m ? m->ops->close(m->self) : MACHINE_CLOSE_NOW;
}

enum machine_end machine_ended(struct machine *m, char **message)
{
	*message = NULL;
	return m ? m->ops->ended(m->self, message) : MACHINE_END_DONE;
}

int machine_open_display(struct machine *m, char **error)
{
	return m->ops->open_display(m->self, error);
}

char *machine_display_lost(struct machine *m)
{
	return m->ops->display_lost(m->self);
}

const char *machine_busy(struct machine *m)
{
	return m ? m->ops->busy(m->self) : NULL;
}

void machine_refresh(struct machine *m)
{
	if (m)
		m->ops->refresh(m->self);
}

size_t machine_snapshots(struct machine *m, const struct disk_snapshot **list)
{
	*list = NULL;
	return m ? m->ops->snapshots(m->self, list) : 0;
}

void machine_snapshot_take(struct machine *m, const char *name)
{
	if (m)
		m->ops->snapshot_take(m->self, name);
}

void machine_snapshot_restore(struct machine *m, const char *name)
{
	if (m)
		m->ops->snapshot_restore(m->self, name);
}

void machine_snapshot_delete(struct machine *m, const char *name)
{
	if (m)
		m->ops->snapshot_delete(m->self, name);
}

const char *machine_cdrom(struct machine *m)
{
	return m ? m->ops->cdrom(m->self) : NULL;
}

void machine_media_insert(struct machine *m, const char *path)
{
	if (m)
		m->ops->media_insert(m->self, path);
}

void machine_media_eject(struct machine *m)
{
	if (m)
		m->ops->media_eject(m->self);
}

struct vm_actions *machine_actions(struct machine *m)
{
	return m && m->ops->actions ? m->ops->actions(m->self) : NULL;
}

void machine_destroy(struct machine *m)
{
	if (!m)
		return;
	m->ops->destroy(m->self);
	free(m);
}

void machine_notify_state(struct machine *m, enum vm_state state,
			  const char *why)
{
	if (m->listener.state_changed)
		m->listener.state_changed(m->listener.user, state, why);
}

void machine_notify_note(struct machine *m, enum vm_note kind,
			 const char *text)
{
	if (m->listener.note)
		m->listener.note(m->listener.user, kind, text);
}

void machine_notify_changed(struct machine *m)
{
	if (m->listener.changed)
		m->listener.changed(m->listener.user);
}
