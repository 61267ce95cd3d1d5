/* Signals as a descriptor (stop_signals.h). */
#include "base/stop_signals.h"

#include "base/log.h"

#include <errno.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

const int stop_signals_default[] = { SIGINT, SIGTERM, SIGHUP, 0 };

bool stop_signals_open(struct stop_signals *ss, const int *signals)
{
	sigset_t sigs;
	sigemptyset(&sigs);
	for (const int *sig = signals; *sig; sig++)
		sigaddset(&sigs, *sig);
	sigprocmask(SIG_BLOCK, &sigs, &ss->old_mask);
	ss->fd = signalfd(-1, &sigs, SFD_CLOEXEC | SFD_NONBLOCK);
	if (ss->fd < 0) {
		log_error("signalfd: %s", strerror(errno));
		sigprocmask(SIG_SETMASK, &ss->old_mask, NULL);
		return false;
	}
	return true;
}

int stop_signals_take(struct stop_signals *ss)
{
	struct signalfd_siginfo si;
	if (read(ss->fd, &si, sizeof(si)) != (ssize_t)sizeof(si))
		return 0;
	return (int)si.ssi_signo;
}

void stop_signals_close(struct stop_signals *ss)
{
	close(ss->fd);
	ss->fd = -1;
	sigprocmask(SIG_SETMASK, &ss->old_mask, NULL);
}
