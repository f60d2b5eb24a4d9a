/* commands.c - the command table, sorted by name. */
#include "extdeps/cli.h"
#include "extdeps/cmd.h"

const struct cmd cli_commands[] = {
	{ "completion", cmd_completion, "print shell completions generated from the command table",
	  "bash|zsh|fish", NULL, NULL, 0 },
	{ "show", cmd_show, "show the declared external dependencies after selection",
	  "[selection] [--format=text|json] [PROJECT]", NULL, cmd_show_formats, CMD_NEEDS_PROJECT },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0 },
};
