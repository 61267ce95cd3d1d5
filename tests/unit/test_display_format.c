/* Sizes and dates for people in their locale (base/display_format.h),
 * with a forced decimal point and with a Spanish locale made here by
 * localedef (skipped when localedef or the es_ES sources are missing). */
#include "test.h"

#include "base/display_format.h"
#include "base/util.h"

#include <locale.h>
#include <stdlib.h>
#include <unistd.h>

static char locpath[] = "/tmp/vmplay-test-locale-XXXXXX";
static bool have_spanish;

static void make_spanish_locale(void)
{
	if (!mkdtemp(locpath))
		return;
	char *cmd = xasprintf("localedef -i es_ES -f UTF-8 %s/es_ES.UTF-8 "
			      ">/dev/null 2>&1", locpath);
	have_spanish = system(cmd) == 0;
	free(cmd);
	if (have_spanish)
		setenv("LOCPATH", locpath, 1);
	else
		printf("  (no localedef or es_ES sources: Spanish cases skipped)\n");
}

static void test_size_forced_point(void)
{
	char buf[32];
	CHECK_STR(format_size_with_point(3ull << 29, ",", buf, sizeof(buf)), "1,5G");
	CHECK_STR(format_size_with_point(3ull << 29, ".", buf, sizeof(buf)), "1.5G");
	/* whole figures have no point to change */
	CHECK_STR(format_size_with_point(2ull << 30, ",", buf, sizeof(buf)), "2G");
	CHECK_STR(format_size_with_point(17, ",", buf, sizeof(buf)), "17B");
	CHECK_STR(format_size_with_point((1ull << 20) - 1, ",", buf, sizeof(buf)), "1,0M");
	/* a point of more than one byte (Arabic's U+066B) */
	CHECK_STR(format_size_with_point(5ull << 39, "\xd9\xab", buf, sizeof(buf)),
		  "2\xd9\xab" "5T");
	/* a short buffer is cut, not overrun */
	char small[4];
	CHECK_STR(format_size_with_point(3ull << 29, ",", small, sizeof(small)), "1,5");
}

static void test_decimal_point_of_locales(void)
{
	CHECK_STR(decimal_point_of("C"), ".");
	CHECK_STR(decimal_point_of("xx_NOWHERE.UTF-8"), ".");
	if (have_spanish)
		CHECK_STR(decimal_point_of("es_ES.UTF-8"), ",");
}

static void test_user_decimal_point_follows_environment(void)
{
	if (!have_spanish)
		return;
	setenv("LC_ALL", "es_ES.UTF-8", 1);
	char buf[32];
	CHECK_STR(user_decimal_point(), ",");
	CHECK_STR(format_size_display(3ull << 29, buf, sizeof(buf)), "1,5G");
	CHECK_STR(format_decimal_display(0.25, 5, 1, buf, sizeof(buf)), "  0,2");
	CHECK_STR(format_decimal_display(42, 0, 0, buf, sizeof(buf)), "42");
	/* the process's own numbers stay C */
	CHECK_STR(setlocale(LC_NUMERIC, NULL), "C");
	char *text = xasprintf("%.1f", 1.5);
	CHECK_STR(text, "1.5");
	free(text);
	unsetenv("LC_ALL");
}

static void test_dates(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	time_t t = 1796578685;   /* 2026-12-06 17:38:05 UTC */
	char buf[64];
	setlocale(LC_TIME, "C");
	CHECK_STR(format_date_display(t, true, buf, sizeof(buf)), "2026-12-06 17:38:05");
	CHECK_STR(format_date_display(t, false, buf, sizeof(buf)), "2026-12-06 17:38");
	if (have_spanish && setlocale(LC_TIME, "es_ES.UTF-8")) {
		CHECK_STR(format_date_display(t, false, buf, sizeof(buf)), "06/12/26 17:38");
		CHECK_STR(format_date_display(t, true, buf, sizeof(buf)), "06/12/26 17:38:05");
		setlocale(LC_TIME, "C");
	}
}

int main(void)
{
	make_spanish_locale();
	RUN(test_size_forced_point);
	RUN(test_decimal_point_of_locales);
	RUN(test_user_decimal_point_follows_environment);
	RUN(test_dates);
	if (have_spanish) {
		char *cmd = xasprintf("rm -rf %s", locpath);
		if (system(cmd) != 0)
			printf("  (could not remove %s)\n", locpath);
		free(cmd);
	} else {
		rmdir(locpath);
	}
	return TEST_REPORT();
}
