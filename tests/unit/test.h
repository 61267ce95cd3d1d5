/* A tiny table-driven test harness. Each tests/unit/test_*.c is its own
 * program: it calls RUN(fn) for each test function and ends with
 * TEST_REPORT(), which prints "N passed, N failed" and sets the exit code.
 * CHECK* macros record a failure and go on, so one run shows every
 * broken case. */
#ifndef VMPLAY_TEST_H
#define VMPLAY_TEST_H

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static int test_passed, test_failed, test_current_failed;

#define CHECK(cond)                                                          \
	do {                                                                 \
		if (!(cond)) {                                               \
			printf("  %s:%d: CHECK(%s) failed\n", __FILE__,      \
			       __LINE__, #cond);                             \
			test_current_failed = 1;                             \
		}                                                            \
	} while (0)

#define CHECK_STR(got, want)                                                 \
	do {                                                                 \
		const char *got_ = (got), *want_ = (want);                   \
		if (!got_ || !want_ ? got_ != want_ : strcmp(got_, want_)) { \
			printf("  %s:%d: %s\n    got:  %s\n    want: %s\n",      \
			       __FILE__, __LINE__, #got,                     \
			       got_ ? got_ : "(null)",                       \
			       want_ ? want_ : "(null)");                    \
			test_current_failed = 1;                             \
		}                                                            \
	} while (0)

#define CHECK_INT(got, want)                                                 \
	do {                                                                 \
		long long got_ = (long long)(got), want_ = (long long)(want); \
		if (got_ != want_) {                                         \
			printf("  %s:%d: %s = %lld, want %lld\n", __FILE__,  \
			       __LINE__, #got, got_, want_);                 \
			test_current_failed = 1;                             \
		}                                                            \
	} while (0)

/* The string contains the fragment. */
#define CHECK_CONTAINS(got, fragment)                                        \
	do {                                                                 \
		const char *got_ = (got);                                    \
		if (!got_ || !strstr(got_, (fragment))) {                    \
			printf("  %s:%d: %s does not contain \"%s\"\n"       \
			       "    got: %s\n", __FILE__, __LINE__, #got,    \
			       (fragment), got_ ? got_ : "(null)");          \
			test_current_failed = 1;                             \
		}                                                            \
	} while (0)

#define RUN(fn)                                                              \
	do {                                                                 \
		test_current_failed = 0;                                     \
		fn();                                                        \
		if (test_current_failed) {                                   \
			test_failed++;                                       \
			printf("FAIL %s\n", #fn);                            \
		} else {                                                     \
			test_passed++;                                       \
			printf("ok   %s\n", #fn);                            \
		}                                                            \
	} while (0)

#define TEST_REPORT()                                                        \
	(printf("%d passed, %d failed\n", test_passed, test_failed),         \
	 test_failed ? 1 : 0)

#endif
