#include "commands.h"

#include "log.h"

int player_run(const struct vm_config *cfg, const struct play_options *opts)
{
	(void)cfg;
	(void)opts;
	log_error("the player window is not implemented yet");
	return 2;
}
