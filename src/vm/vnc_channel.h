/* The player's connection to QEMU's VNC server, made by us and handed to
 * QEMU over QMP (getfd + add_client) instead of connecting to its VNC
 * socket, so that we choose the socket options of QEMU's end. */
#ifndef VMPLAY_VNC_CHANNEL_H
#define VMPLAY_VNC_CHANNEL_H

#include "vm/qmp.h"

/* Returns our end of a new VNC connection (non-blocking, close-on-exec;
 * QEMU serves it like one accepted on its VNC socket), or -1 with *error
 * set (malloc'd): QEMU without a VNC display, or QMP gone. */
int vnc_channel_open(struct qmp *q, int timeout_ms, char **error);

#endif
