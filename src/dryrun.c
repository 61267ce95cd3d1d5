#include "commands.h"

#include "log.h"

int dry_run(const struct vm_config *cfg)
{
	(void)cfg;
	log_error("--dry-run is not implemented yet");
	return 2;
}
