/* Sizes and dates for people, in their locale. LC_NUMERIC stays "C" in
 * vmplay (i18n.h): every number it writes into a VM file, hands to QEMU
 * or qemu-img, or prints where a script reads it (`vmplay list`) keeps
 * its '.', through format_size(). What a person only reads -- the menu,
 * the library, `vmplay disk info` -- goes through these instead. */
#ifndef VMPLAY_DISPLAY_FORMAT_H
#define VMPLAY_DISPLAY_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* The decimal point of the user's own numeric locale (LC_ALL, LC_NUMERIC,
 * LANG from the environment, as setlocale(LC_NUMERIC, "") would take
 * them): "," in es_ES, "." in C, en_US or when that locale is not
 * installed. Read once; the string is static. */
const char *user_decimal_point(void);
/* The decimal point of the named locale ("" for the environment's), "."
 * when it is not installed; uncached (the tests use it). Static string. */
const char *decimal_point_of(const char *locale_name);

/* format_size() ("2G", "1.5G", "17B") with point in place of '.':
 * "1,5G" for ",". buf >= 16 bytes (plus the point's extra bytes). */
const char *format_size_with_point(uint64_t bytes, const char *point,
				   char *buf, size_t buflen);

/* format_size() for people: the user's decimal point ("1,5G" in
 * Spanish, "1.5G" under LANG=C). */
const char *format_size_display(uint64_t bytes, char *buf, size_t buflen);

/* A number for people: printf's "%*.*f" (width, digits) with the
 * user's decimal point ("0,2" for 0.2 with one digit in Spanish). */
const char *format_decimal_display(double value, int width, int digits,
				   char *buf, size_t buflen);

/* A local time for people: the date as the user's LC_TIME writes it
 * ("06/12/26" in es_ES) and a 24-hour time, with seconds when asked.
 * Under the C/POSIX locale (no convention to follow) ISO 8601's
 * "2026-12-06 17:38[:05]", what vmplay always printed. buf >= 64 bytes;
 * "" when t does not convert. */
const char *format_date_display(time_t t, bool seconds, char *buf,
				size_t buflen);

#endif
