/* Sizes and dates for people (display_format.h). */
#include "base/display_format.h"

#include "base/util.h"

#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

const char *decimal_point_of(const char *locale_name)
{
	/* vmplay's own LC_NUMERIC is "C" on purpose: the user's is asked
	 * for on the side, without changing the process's locale. */
	static char point[8];
	locale_t loc = newlocale(LC_NUMERIC_MASK, locale_name, (locale_t)0);
	const char *radix = loc ? nl_langinfo_l(RADIXCHAR, loc) : NULL;
	if (radix && *radix && strlen(radix) < sizeof(point))
		snprintf(point, sizeof(point), "%s", radix);
	else
		snprintf(point, sizeof(point), ".");
	if (loc)
		freelocale(loc);
	return point;
}

const char *user_decimal_point(void)
{
	static char point[8];
	if (!point[0])
		snprintf(point, sizeof(point), "%s", decimal_point_of(""));
	return point;
}

/* plain, a C number, into buf with point for its '.'. */
static const char *with_point(const char *plain, const char *point,
			      char *buf, size_t buflen)
{
	const char *dot = strchr(plain, '.');
	if (!dot || !strcmp(point, "."))
		snprintf(buf, buflen, "%s", plain);
	else
		snprintf(buf, buflen, "%.*s%s%s", (int)(dot - plain), plain,
			 point, dot + 1);
	return buf;
}

const char *format_size_with_point(uint64_t bytes, const char *point,
				   char *buf, size_t buflen)
{
	char plain[32];
	return with_point(format_size(bytes, plain, sizeof(plain)), point,
			  buf, buflen);
}

const char *format_size_display(uint64_t bytes, char *buf, size_t buflen)
{
	return format_size_with_point(bytes, user_decimal_point(), buf,
				      buflen);
}

const char *format_decimal_display(double value, int width, int digits,
				   char *buf, size_t buflen)
{
	char plain[64];
	snprintf(plain, sizeof(plain), "%*.*f", width, digits, value);
	return with_point(plain, user_decimal_point(), buf, buflen);
}

/* The C and POSIX locales have a date format (%m/%d/%y) but no
 * convention behind it: vmplay's ISO dates stay there. */
static bool time_locale_is_c(void)
{
	const char *name = setlocale(LC_TIME, NULL);
	return !name || !strcmp(name, "C") || !strcmp(name, "POSIX") ||
	       !strncmp(name, "C.", 2);
}

const char *format_date_display(time_t t, bool seconds, char *buf,
				size_t buflen)
{
	struct tm tm;
	char format[64];
	if (time_locale_is_c())
		snprintf(format, sizeof(format), "%%Y-%%m-%%d %s",
			 seconds ? "%H:%M:%S" : "%H:%M");
	else
		snprintf(format, sizeof(format), "%s %s", nl_langinfo(D_FMT),
			 seconds ? "%H:%M:%S" : "%H:%M");
	if (!buflen)
		return buf;
	if (!localtime_r(&t, &tm) || !strftime(buf, buflen, format, &tm))
		buf[0] = '\0';
	return buf;
}
