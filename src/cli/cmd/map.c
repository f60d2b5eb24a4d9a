/* map.c - `extdeps map`: the selected DepURLs mapped to the target's package
 * specs, from the registry alone (no repositories). */
#include <string.h>

#include "extdeps/render/map_report.h"
#include "cli.h"
#include "cmd.h"

static int run(struct ctx *ctx)
{
	const struct mapset *ms = &ctx->maps;

	if (!strcmp(ctx->format, "json"))
		map_report_json(&ctx->out, ms);
	else
		map_report_text(&ctx->out, ms);
	return ms->nunmet ? ED_EXIT_UNMET : ED_EXIT_OK;
}

static const char *const formats[] = { "text", "json", NULL };

const struct cmd cmd_map = {
	.name = "map",
	.run = run,
	.summary = "map the selected dependencies to the target's package specs",
	.operands = "[PROJECT...]",
	.max_operands = -1,
	.formats = formats,
	.opts = cli_platform_opt,
	.flags = CMD_PROJECT | CMD_REGISTRY_TARGET | CMD_TARGET,
};
