/* show.c - `extdeps show`: the declared external dependencies after selection. */
#include <string.h>

#include "extdeps/render/show_report.h"
#include "cli.h"
#include "cmd.h"

static int run(struct ctx *ctx)
{
	if (!strcmp(ctx->format, "json"))
		show_report_json(&ctx->out, ctx->project, ctx->verdict);
	else
		show_report_text(&ctx->out, ctx->project, ctx->verdict);
	return ED_EXIT_OK;
}

static const char *const formats[] = { "text", "json", NULL };

const struct cmd cmd_show = {
	.name = "show",
	.run = run,
	.summary = "show the declared external dependencies after selection",
	.operands = "[PROJECT]",
	.max_operands = 1,
	.formats = formats,
	.flags = CMD_PROJECT,
};
