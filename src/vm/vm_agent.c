/* The clipboard's agent devices around a snapshot with memory (see
 * vm_actions_impl.h). QEMU 7.2's qemu-vdagent chardev registers a
 * migration blocker when it opens and drops it only when the chardev is
 * finalized, and QEMU refuses to save or load a running VM's memory while
 * any blocker is registered. A chardev a device still uses cannot be
 * removed ("is busy"), so the sequence is:
 *
 *   device_del agent0 -> DEVICE_DELETED (the event may come before the
 *   reply: QEMU unplugs a virtio-serial port at once) -> chardev-remove
 *   vdagent0 -> the snapshot job -> chardev-add -> device_add.
 *
 * The port's absence is part of the saved device state: virtio-serial
 * stores which ports exist and refuses a load into a machine whose ports
 * differ ("Failed to load virtio-console:virtio"). Snapshots taken this
 * way therefore hold the controller without the port, and a restore
 * unplugs it the same way first. The guest sees a hot-unplug and a
 * hot-plug of the port; its agent opens the port again (spice-vdagentd
 * does so after an error on its port). */
#include "vm/vm_actions_impl.h"

#include "base/i18n.h"
#include "base/log.h"
#include "vm/qemu_args.h"

#include <string.h>

bool vma_agent_plugged(const struct vm_actions *a)
{
	/* The session's QEMU got the devices from the VM file. */
	return config_clipboard(a->cfg);
}

static struct json_object *id_args(const char *key, const char *id)
{
	struct json_object *args = json_object_new_object();
	json_object_object_add(args, key, json_object_new_string(id));
	return args;
}

static bool send_agent_op(struct vm_actions *a, const char *command,
			  struct json_object *args, enum op_step step)
{
	struct qmp *q = vma_live_qmp(a, NULL);
	if (!q) {
		json_object_put(args);
		return false;
	}
	return vma_send_op(a, q, command, args, vma_op_new(a, step));
}

/* QEMU's "not found" for a device or chardev that is already gone (a
 * snapshot job that failed half-way earlier): nothing left to remove. */
static bool already_gone(const char *error)
{
	return error && strstr(error, "not found");
}

static void remove_chardev(struct vm_actions *a)
{
	a->job.agent = AGENT_UNPLUGGED;
	if (!send_agent_op(a, "chardev-remove",
			   id_args("id", QEMU_AGENT_CHARDEV_ID),
			   STEP_AGENT_REMOVE))
		vma_job_fail(a, _("the QMP connection is gone"));
}

void vma_agent_unplug(struct vm_actions *a)
{
	a->job.agent = AGENT_UNPLUGGING;
	a->job.agent_replied = a->job.agent_deleted = false;
	if (!send_agent_op(a, "device_del", id_args("id", QEMU_AGENT_DEVICE_ID),
			   STEP_AGENT_UNPLUG))
		vma_job_fail(a, _("the QMP connection is gone"));
}

void vma_agent_event(struct vm_actions *a, struct json_object *data)
{
	struct json_object *dev = NULL;
	const char *id = data && json_object_object_get_ex(data, "device", &dev)
		? json_object_get_string(dev) : NULL;   /* NULL for null */
	if (a->job.agent != AGENT_UNPLUGGING || !id ||
	    strcmp(id, QEMU_AGENT_DEVICE_ID) != 0)
		return;
	a->job.agent_deleted = true;
	if (a->job.agent_replied)
		remove_chardev(a);
}

static struct json_object *chardev_args(void)
{
	/* as the command line's -chardev qemu-vdagent (qemu_args.c) */
	struct json_object *data = json_object_new_object();
	json_object_object_add(data, "clipboard", json_object_new_boolean(1));
	json_object_object_add(data, "mouse", json_object_new_boolean(0));
	struct json_object *backend = json_object_new_object();
	json_object_object_add(backend, "type",
			       json_object_new_string("qemu-vdagent"));
	json_object_object_add(backend, "data", data);
	struct json_object *args = id_args("id", QEMU_AGENT_CHARDEV_ID);
	json_object_object_add(args, "backend", backend);
	return args;
}

static struct json_object *device_args(void)
{
	/* as the command line's -device virtserialport (qemu_args.c) */
	struct json_object *args = id_args("driver", "virtserialport");
	json_object_object_add(args, "bus",
			       json_object_new_string(QEMU_AGENT_SERIAL_ID ".0"));
	json_object_object_add(args, "chardev",
			       json_object_new_string(QEMU_AGENT_CHARDEV_ID));
	json_object_object_add(args, "name",
			       json_object_new_string(QEMU_AGENT_PORT_NAME));
	json_object_object_add(args, "id",
			       json_object_new_string(QEMU_AGENT_DEVICE_ID));
	return args;
}

void vma_agent_reply(struct vm_actions *a, enum op_step step,
		     struct json_object *ret, const char *error)
{
	switch (step) {
	case STEP_AGENT_UNPLUG:
		if (!ret && !already_gone(error)) {
			a->job.agent = AGENT_IN;
			vma_job_fail(a, error);
			return;
		}
		a->job.agent_replied = true;
		if (!ret || a->job.agent_deleted)
			remove_chardev(a);
		/* else DEVICE_DELETED follows (vma_agent_event) */
		return;
	case STEP_AGENT_REMOVE:
		if (!ret && !already_gone(error)) {
			/* The port is out, the chardev stayed: the job
			 * fails and the port goes back (vma_agent_replug). */
			vma_job_fail(a, error);
			return;
		}
		a->job.agent = AGENT_OUT;
		vma_snapshot_run(a, NULL);
		return;
	case STEP_AGENT_READD:
		if (ret && send_agent_op(a, "device_add", device_args(),
					 STEP_AGENT_REPLUG))
			return;
		break;
	case STEP_AGENT_REPLUG:
		if (ret) {
			log_debug("clipboard agent plugged back in");
			return;
		}
		break;
	default:
		return;
	}
	vma_note(a, VM_NOTE_ERROR, _("The clipboard stays off until the VM "
				     "is started again: QEMU could not plug "
				     "its channel back in (%s)"),
		 error ? error : _("the QMP connection is gone"));
}

void vma_agent_replug(struct vm_actions *a)
{
	enum agent_phase phase = a->job.agent;
	a->job.agent = AGENT_IN;
	bool sent = true;
	switch (phase) {
	case AGENT_IN:
		return;
	case AGENT_UNPLUGGING:
		/* The job ended before the port was gone (QEMU
		 * stopped): there is nothing to plug back. */
		if (!a->job.agent_deleted)
			return;
		/* the port is gone, the chardev is not */
		__attribute__((fallthrough));
	case AGENT_UNPLUGGED:
		sent = send_agent_op(a, "device_add", device_args(),
				     STEP_AGENT_REPLUG);
		break;
	case AGENT_OUT:
		sent = send_agent_op(a, "chardev-add", chardev_args(),
				     STEP_AGENT_READD);
		break;
	}
	if (!sent)
		log_debug("clipboard agent not plugged back: QEMU is gone");
}
