/* commands.c - the command table, sorted by name: every command in one place.
 * Each struct cmd (src/cli/cmd/NAME.c) carries its options, formats and the
 * flags that drive its set-up (cli.h). */
#include "cli.h"
#include "cmd.h"

const struct cmd *const cli_commands[] = {
	&cmd_check,
	&cmd_completion,
	&cmd_export,
	&cmd_install,
	&cmd_map,
	&cmd_mappings,
	&cmd_plan,
	&cmd_platform,
	&cmd_show,
	&cmd_update,
	NULL,
};
