/* `pvbench reboot`: the options (reboot/config.h), then the run (reboot/reboot.h). */
#include "cmd.h"
#include "reboot/config.h"
#include "reboot/reboot.h"

int pvb_cmd_reboot(int argc, char **argv)
{
	struct pvb_reboot_config cfg;
	int rc = pvb_reboot_parse(argc, argv, &cfg);

	if (rc >= 0)
		return rc;
	return pvb_reboot_run(&cfg);
}
