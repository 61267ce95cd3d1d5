#include "commands.h"

#include "log.h"

int cmd_disk(int argc, char **argv)
{
	(void)argc;
	log_error("'vmplay %s' is not implemented yet", argv[0]);
	return 2;
}
