/* Logging with levels. Messages go to stderr prefixed with "vmplay: ";
 * log_error() messages are also kept so a window can show the last one. */
#ifndef VMPLAY_LOG_H
#define VMPLAY_LOG_H

#include <stdarg.h>

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

/* Messages above this level are dropped (default LOG_INFO; VMPLAY_DEBUG=1 in
 * the environment raises it to LOG_DEBUG at the first log call). */
void log_set_level(enum log_level level);
enum log_level log_get_level(void);

void log_msg(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void log_vmsg(enum log_level level, const char *fmt, va_list ap);

#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

/* The text of the most recent log_error(), or NULL. Owned by log.c. */
const char *log_last_error(void);

#endif
