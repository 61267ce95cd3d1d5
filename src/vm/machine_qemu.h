/* The machine (machine.h) of a VM file: QEMU started by vmplay. */
#ifndef VMPLAY_MACHINE_QEMU_H
#define VMPLAY_MACHINE_QEMU_H

#include "vm/config.h"
#include "vm/machine.h"
#include "vm/vm_session.h"

/* A machine for cfg (borrowed; it must outlive the machine), with no QEMU
 * yet: its state is EXITED until a session is set. */
struct machine *machine_qemu_create(const struct vm_config *cfg);
/* The running QEMU (NULL: none). With owned, the machine destroys it
 * (with machine_destroy or the next set); kiosk mode's supervisor keeps
 * its own. */
void machine_qemu_set_session(struct machine *m, struct vm_session *s,
			      bool owned);
struct vm_session *machine_qemu_session(struct machine *m);

#endif
