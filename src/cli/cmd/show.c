/* show.c - `extdeps show`: the declared external dependencies after selection. */
#include <string.h>

#include "extdeps/render/show_report.h"
#include "cli.h"
#include "cmd.h"

static int run(struct ctx *ctx)
{
	const struct project *p = ctx->project;
	size_t first = 0;

	if (!strcmp(ctx->format, "json")) {
		show_report_json(&ctx->out, p, ctx->verdict);
		return ED_EXIT_OK;
	}
	if (!p->nmembers) {
		show_report_text(&ctx->out, p, ctx->verdict);
		return ED_EXIT_OK;
	}
	/* several projects: a section each, under its file */
	for (size_t k = 0; k < p->nmembers; first += p->members[k]->ndeps, k++) {
		fprintf(ctx->out.out, "%s%s%s%s:\n", k ? "\n" : "", out_on(&ctx->out, OUT_BOLD),
			p->members[k]->path, out_off(&ctx->out));
		show_report_text(&ctx->out, p->members[k], ctx->verdict + first);
	}
	return ED_EXIT_OK;
}

static const char *const formats[] = { "text", "json", NULL };

const struct cmd cmd_show = {
	.name = "show",
	.run = run,
	.summary = "show the declared external dependencies after selection",
	.operands = "[PROJECT...]",
	.max_operands = -1,
	.formats = formats,
	.flags = CMD_PROJECT,
};
