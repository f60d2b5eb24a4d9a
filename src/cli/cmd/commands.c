/* commands.c - the command table, sorted by name. */
#include "cli.h"
#include "cmd.h"

const struct cmd cli_commands[] = {
	{ "check", cmd_check, "check whether the selected dependencies are satisfied on this machine",
	  "[selection] [--format=text|json|github|junit] [PROJECT]", NULL, cmd_check_formats,
	  CMD_NEEDS_PROJECT | CMD_NEEDS_MAPPINGS },
	{ "completion", cmd_completion, "print shell completions generated from the command table",
	  "bash|zsh|fish", NULL, NULL, 0 },
	{ "export", cmd_export, "write the selected dependencies in a packaging format, one document per project",
	  "[--format=FORMAT] [--distro=ID[:REL]] [--allow-unmapped] [selection] [PROJECT...]", cmd_export_opts,
	  cmd_export_formats, CMD_NEEDS_PROJECT | CMD_NEEDS_MAPPINGS },
	{ "install", cmd_install, "install the selected dependencies with the package manager, in one run",
	  "[--distro=ID[:REL]] [selection] [--dry-run] [--simulate] [--yes] [--sudo|--as-root] [PROJECT]",
	  cmd_install_opts, cmd_install_formats, CMD_NEEDS_PROJECT | CMD_NEEDS_MAPPINGS | CMD_USES_NETWORK },
	{ "map", cmd_map, "map the selected dependencies to the target's package specs",
	  "[--distro=ID[:REL]] [selection] [--format=text|json] [PROJECT]", NULL, cmd_map_formats,
	  CMD_NEEDS_PROJECT | CMD_NEEDS_MAPPINGS },
	{ "mappings", cmd_mappings, "list, show, validate, export and measure the mapping registry",
	  "list|show DEPURL|validate [--against-repos]|coverage|export", cmd_mappings_opts,
	  cmd_mappings_formats, CMD_NEEDS_MAPPINGS | CMD_USES_NETWORK },
	{ "plan", cmd_plan, "resolve the selected dependencies against the target's repositories",
	  "[--distro=ID[:REL]] [selection] [--explain PKG] [--with-recommends] [--format=text|json|sh|nix] [PROJECT]",
	  cmd_plan_opts, cmd_plan_formats, CMD_NEEDS_PROJECT | CMD_NEEDS_MAPPINGS | CMD_USES_NETWORK },
	{ "platform", cmd_platform, "show what was detected about this machine and the default target",
	  "[--format=text|json]", NULL, cmd_platform_formats, CMD_NEEDS_MAPPINGS },
	{ "show", cmd_show, "show the declared external dependencies after selection",
	  "[selection] [--format=text|json] [PROJECT]", NULL, cmd_show_formats, CMD_NEEDS_PROJECT },
	{ "update", cmd_update, "download or refresh the target's repository metadata into the cache",
	  "[--distro=ID[:REL]] [--arch=A] [--mirror=URL] [--format=text|json]", NULL,
	  cmd_update_formats, CMD_NEEDS_MAPPINGS | CMD_USES_NETWORK },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0 },
};
