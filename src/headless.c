#include "commands.h"

#include "log.h"

int headless_run(const struct vm_config *cfg)
{
	(void)cfg;
	log_error("--headless is not implemented yet");
	return 2;
}
