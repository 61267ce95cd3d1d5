/* vm_session.c against real QEMU with no machine (-M none: no guest that
 * could answer ACPI, so every powerdown request runs into its timeout):
 * state from QMP events, the stop escalation, outcomes and messages. */
#include "base/log.h"
#include "base/util.h"
#include "test.h"
#include "vm/vm_session.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static bool build_argv(void *user, const char *runtime_dir,
		       const char *vnc_socket, const char *qmp_socket,
		       struct strv *argv, char **error)
{
	(void)runtime_dir;
	(void)error;
	const char *const *extra = user;
	strv_push_all(argv, (const char *const[]){ "qemu-system-x86_64",
		"-M", "none", "-display", "none", "-vnc", NULL });
	strv_pushf(argv, "unix:%s", vnc_socket);
	strv_push(argv, "-qmp");
	strv_pushf(argv, "unix:%s,server=on,wait=off", qmp_socket);
	if (extra)
		strv_push_all(argv, extra);
	return true;
}

struct trace {
	enum vm_state states[16];
	char why[16][160];
	int n;
};

static void on_state(void *user, enum vm_state state, const char *why)
{
	struct trace *t = user;
	if (t->n < 16) {
		t->states[t->n] = state;
		snprintf(t->why[t->n], sizeof(t->why[0]), "%s", why);
		t->n++;
	}
}

static struct vm_session *start(const char *const *extra, struct trace *t)
{
	char *error = NULL;
	struct launch *l = launch_start_with("session", build_argv,
					     (void *)extra, 30000, &error);
	struct vm_session *s = l ? vm_session_attach(l, 30000, &error) : NULL;
	if (!s) {
		printf("  cannot start: %s\n", error);
		free(error);
		return NULL;
	}
	memset(t, 0, sizeof(*t));
	vm_session_set_listener(s, &(struct vm_session_listener){
		.state_changed = on_state, .user = t });
	return s;
}

/* Runs the loop until the state is reached or timeout_ms passed. */
static bool run_until(struct vm_session *s, enum vm_state want,
		      int timeout_ms)
{
	uint64_t deadline = now_ms() + (uint64_t)timeout_ms;
	while (vm_session_state(s) != want && now_ms() < deadline) {
		struct pollfd fds[2];
		int n = vm_session_pollfds(s, fds, 2);
		int t = vm_session_timeout_ms(s);
		if (t < 0 || t > 100)
			t = 100;
		poll(fds, (nfds_t)n, t);
		vm_session_dispatch(s);
	}
	return vm_session_state(s) == want;
}

static void test_pause_resume_follow_events(void)
{
	struct trace t;
	struct vm_session *s = start(NULL, &t);
	CHECK(s != NULL);
	if (!s)
		return;
	CHECK_INT(vm_session_state(s), VM_STATE_RUNNING);
	CHECK(vm_session_pause(s));
	CHECK(run_until(s, VM_STATE_PAUSED, 10000));
	CHECK(vm_session_resume(s));
	CHECK(run_until(s, VM_STATE_RUNNING, 10000));
	/* Someone else (another monitor) pausing is followed too. */
	char *error = NULL;
	struct json_object *r = qmp_execute(vm_session_qmp(s), "stop", NULL,
					    10000, &error);
	CHECK(r != NULL);
	json_object_put(r);
	CHECK_INT(vm_session_state(s), VM_STATE_PAUSED);
	CHECK_INT(t.n, 3);
	CHECK_STR(t.why[0], "paused");
	CHECK_STR(t.why[1], "running");
	vm_session_destroy(s);
}

static void test_powerdown_times_out_then_quit(void)
{
	struct trace t;
	struct vm_session *s = start(NULL, &t);
	CHECK(s != NULL);
	if (!s)
		return;
	vm_session_set_powerdown_timeout(s, 300);
	CHECK_INT(vm_session_request_stop(s), VM_STATE_POWERING_DOWN);
	CHECK_STR(t.why[0], "asked the guest to shut down");
	CHECK(vm_session_timeout_ms(s) >= 0 && vm_session_timeout_ms(s) <= 300);
	CHECK(run_until(s, VM_STATE_EXITED, 20000));
	CHECK_INT(vm_session_outcome(s), VM_OUTCOME_STOPPED);
	CHECK_INT(t.n, 3);
	CHECK_INT(t.states[1], VM_STATE_STOPPING);
	CHECK_STR(t.why[1], "stopping QEMU");
	CHECK_STR(t.why[2], "QEMU was stopped");
	CHECK(WIFEXITED(vm_session_wait_status(s)));
	vm_session_destroy(s);
}

/* VMPLAY_POWERDOWN_TIMEOUT: seconds, or the default with a warning. "nan"
 * passes a range check written as "secs < 0 || secs > max". */
static void test_powerdown_timeout_from_env(void)
{
	static const struct {
		const char *value;
		int min_ms, max_ms;
	} cases[] = {
		{ "5", 1, 5000 },
		{ "nan", 50000, 60000 },
		{ "-1", 50000, 60000 },
		{ "inf", 50000, 60000 },
		{ "", 50000, 60000 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		setenv("VMPLAY_POWERDOWN_TIMEOUT", cases[i].value, 1);
		struct trace t;
		struct vm_session *s = start(NULL, &t);
		unsetenv("VMPLAY_POWERDOWN_TIMEOUT");
		CHECK(s != NULL);
		if (!s)
			return;
		CHECK_INT(vm_session_request_stop(s), VM_STATE_POWERING_DOWN);
		int ms = vm_session_timeout_ms(s);
		if (ms < cases[i].min_ms || ms > cases[i].max_ms)
			printf("  '%s': %d ms\n", cases[i].value, ms);
		CHECK(ms >= cases[i].min_ms && ms <= cases[i].max_ms);
		vm_session_destroy(s);
	}
}

static void test_second_request_quits(void)
{
	struct trace t;
	struct vm_session *s = start(NULL, &t);
	CHECK(s != NULL);
	if (!s)
		return;
	/* Paused: powerdown resumes first; RESUME must not undo the
	 * shutting-down state. */
	CHECK(vm_session_pause(s));
	CHECK(run_until(s, VM_STATE_PAUSED, 10000));
	CHECK_INT(vm_session_request_stop(s), VM_STATE_POWERING_DOWN);
	run_until(s, VM_STATE_RUNNING, 300);
	CHECK_INT(vm_session_state(s), VM_STATE_POWERING_DOWN);
	uint64_t t0 = now_ms();
	CHECK_INT(vm_session_request_stop(s), VM_STATE_STOPPING);
	CHECK(run_until(s, VM_STATE_EXITED, 20000));
	CHECK(now_ms() - t0 < 15000);
	CHECK_INT(vm_session_outcome(s), VM_OUTCOME_STOPPED);
	vm_session_destroy(s);
}

static void test_killed_from_outside_fails(void)
{
	struct trace t;
	struct vm_session *s = start(NULL, &t);
	CHECK(s != NULL);
	if (!s)
		return;
	kill(launch_pid(vm_session_launch(s)), SIGKILL);
	CHECK(run_until(s, VM_STATE_EXITED, 20000));
	CHECK_INT(vm_session_outcome(s), VM_OUTCOME_FAILED);
	char *msg = vm_session_describe_exit(s);
	CHECK_STR(msg, "QEMU was killed by signal 9 (Killed)");
	free(msg);
	CHECK(vm_session_qmp(s) == NULL);
	vm_session_destroy(s);
}

static void test_quit_elsewhere_is_normal_end(void)
{
	struct trace t;
	struct vm_session *s = start(NULL, &t);
	CHECK(s != NULL);
	if (!s)
		return;
	/* As if from the test's own monitor: not our stop request. */
	CHECK(qmp_send(vm_session_qmp(s), "quit", NULL, NULL, NULL));
	CHECK(run_until(s, VM_STATE_EXITED, 20000));
	CHECK_INT(vm_session_outcome(s), VM_OUTCOME_POWEROFF);
	char *msg = vm_session_describe_exit(s);
	CHECK_STR(msg, "QEMU ended (host-qmp-quit)");
	free(msg);
	vm_session_destroy(s);
}

static void test_prelaunch_stops_at_once(void)
{
	struct trace t;
	static const char *const dash_s[] = { "-S", NULL };
	struct vm_session *s = start(dash_s, &t);
	CHECK(s != NULL);
	if (!s)
		return;
	CHECK_INT(vm_session_state(s), VM_STATE_PRELAUNCH);
	CHECK_INT(vm_session_request_stop(s), VM_STATE_STOPPING);
	CHECK(run_until(s, VM_STATE_EXITED, 20000));
	CHECK_INT(vm_session_outcome(s), VM_OUTCOME_STOPPED);
	vm_session_destroy(s);
}

static void test_destroy_running(void)
{
	struct trace t;
	struct vm_session *s = start(NULL, &t);
	CHECK(s != NULL);
	if (!s)
		return;
	pid_t pid = launch_pid(vm_session_launch(s));
	char *dir = xstrdup(launch_runtime_dir(vm_session_launch(s)));
	uint64_t t0 = now_ms();
	vm_session_destroy(s);
	CHECK(now_ms() - t0 < 15000);
	CHECK(kill(pid, 0) < 0);
	CHECK(!path_exists(dir));
	CHECK_INT(t.n, 0);   /* no callbacks during destroy */
	free(dir);
}

static void test_state_names(void)
{
	CHECK_STR(vm_state_name(VM_STATE_RUNNING), "running");
	CHECK_STR(vm_state_name(VM_STATE_PAUSED), "paused");
	CHECK_STR(vm_state_name(VM_STATE_EXITED), "stopped");
	CHECK_STR(vm_state_name((enum vm_state)99), "unknown");
}

int main(void)
{
	unsetenv("VMPLAY_POWERDOWN_TIMEOUT");
	RUN(test_pause_resume_follow_events);
	RUN(test_powerdown_times_out_then_quit);
	RUN(test_powerdown_timeout_from_env);
	RUN(test_second_request_quits);
	RUN(test_killed_from_outside_fails);
	RUN(test_quit_elsewhere_is_normal_end);
	RUN(test_prelaunch_stops_at_once);
	RUN(test_destroy_running);
	RUN(test_state_names);
	return TEST_REPORT();
}
