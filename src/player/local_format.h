/* Numbers and dates as the user's locale writes them, for text shown in
 * the window (menu, library, snapshot list). vmplay keeps LC_NUMERIC at
 * "C" (base/i18n.h) so that VM files and QEMU's command line keep their
 * '.'; what people read asks the user's locale explicitly here.
 *
 * Player-local for now: the CLI's sizes may want the same thing, and
 * then this belongs in src/base next to format_size(). */
#ifndef VMPLAY_LOCAL_FORMAT_H
#define VMPLAY_LOCAL_FORMAT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* format_size() with the user's decimal point: "1.5G" stays "1.5G" in
 * English and becomes "1,5G" in Spanish. Returns buf. */
const char *local_size(uint64_t bytes, char *buf, size_t buflen);

/* The user's decimal point (LC_NUMERIC as the environment sets it, not
 * the process's "C"); "." when the locale cannot be read. */
const char *local_decimal_point(void);

/* A date and time to the minute: ISO "2026-11-27 10:42" in the C/POSIX
 * locale (scripts and tests read that), the locale's own date order
 * (LC_TIME's %x) otherwise, e.g. "27/11/26 10:42" in Spanish. */
size_t local_date_time(time_t t, char *buf, size_t buflen);

#endif
