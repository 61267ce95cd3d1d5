/* Sizes and dates in the user's locale (local_format.h). */
#include "player/local_format.h"

#include "base/util.h"

#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

const char *local_decimal_point(void)
{
	static char point[8];
	static int known;
	if (!known) {
		known = 1;
		snprintf(point, sizeof(point), ".");
		/* newlocale reads LC_ALL/LC_NUMERIC/LANG like setlocale(..., "")
		 * would, without changing the process's C numbers. */
		locale_t l = newlocale(LC_NUMERIC_MASK, "", (locale_t)0);
		if (l) {
			const char *p = nl_langinfo_l(RADIXCHAR, l);
			if (p && *p && strlen(p) < sizeof(point))
				snprintf(point, sizeof(point), "%s", p);
			freelocale(l);
		}
	}
	return point;
}

const char *local_size(uint64_t bytes, char *buf, size_t buflen)
{
	char plain[32];
	format_size(bytes, plain, sizeof(plain));
	const char *point = local_decimal_point();
	char *dot = strchr(plain, '.');
	if (!dot || !strcmp(point, "."))
		snprintf(buf, buflen, "%s", plain);
	else
		snprintf(buf, buflen, "%.*s%s%s", (int)(dot - plain), plain,
			 point, dot + 1);
	return buf;
}

/* The C locale (and C.UTF-8, POSIX) has no date order of its own: ISO. */
static int time_locale_is_c(void)
{
	const char *name = setlocale(LC_TIME, NULL);
	return !name || !strcmp(name, "C") || !strcmp(name, "POSIX") ||
	       !strncmp(name, "C.", 2);
}

size_t local_date_time(time_t t, char *buf, size_t buflen)
{
	struct tm tm;
	if (!buflen)
		return 0;
	buf[0] = '\0';
	if (!localtime_r(&t, &tm))
		return 0;
	return strftime(buf, buflen, time_locale_is_c() ? "%Y-%m-%d %H:%M"
							 : "%x %H:%M", &tm);
}
