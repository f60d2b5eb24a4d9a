/* cmd.h - the commands, one struct cmd each (src/cli/cmd/NAME.c), listed in
 * cli_commands[] (src/cli/cmd/commands.c). */
#ifndef EXTDEPS_CMD_H
#define EXTDEPS_CMD_H

#include "cli.h"

extern const struct cmd cmd_check;
extern const struct cmd cmd_completion;
extern const struct cmd cmd_export;
extern const struct cmd cmd_install;
extern const struct cmd cmd_map;
extern const struct cmd cmd_mappings;
extern const struct cmd cmd_plan;
extern const struct cmd cmd_platform;
extern const struct cmd cmd_show;
extern const struct cmd cmd_update;

#endif
