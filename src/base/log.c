#include "base/log.h"

#include "base/i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static enum log_level current_level = LOG_INFO;
static int level_from_env_done;
static char last_error[1024];

static void apply_env_level(void)
{
	if (level_from_env_done)
		return;
	level_from_env_done = 1;
	const char *debug = getenv("VMPLAY_DEBUG");
	if (debug && *debug && strcmp(debug, "0") != 0)
		current_level = LOG_DEBUG;
}

void log_set_level(enum log_level level)
{
	level_from_env_done = 1;
	current_level = level;
}

enum log_level log_get_level(void)
{
	apply_env_level();
	return current_level;
}

void log_vmsg(enum log_level level, const char *fmt, va_list ap)
{
	/* Debug lines are for developers and stay in English. */
	static const char *const prefix[] = {
		/* TRANSLATORS: starts an error line: "vmplay: error: ..." */
		[LOG_ERROR] = N_("error: "),
		/* TRANSLATORS: starts a warning line: "vmplay: warning: ..." */
		[LOG_WARN] = N_("warning: "),
		[LOG_INFO] = "",
		[LOG_DEBUG] = "debug: ",
	};
	apply_env_level();
	if (level == LOG_ERROR) {
		va_list copy;
		va_copy(copy, ap);
		vsnprintf(last_error, sizeof(last_error), fmt, copy);
		va_end(copy);
	}
	if (level > current_level)
		return;
	const char *word = prefix[level];
	if (level == LOG_ERROR || level == LOG_WARN)
		word = _(word);
	fprintf(stderr, "vmplay: %s", word);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_vmsg(level, fmt, ap);
	va_end(ap);
}

const char *log_last_error(void)
{
	return last_error[0] ? last_error : NULL;
}
