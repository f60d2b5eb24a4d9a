/* check.c - `extdeps check`: are the selected external dependencies
 * satisfied on this machine? Text, JSON, GitHub annotations, JUnit XML. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "extdeps/host/check.h"
#include "extdeps/render/check_report.h"
#include "cli.h"
#include "cmd.h"

enum check_opt { CHECK_OPT_NO_GPU = 1 };

static const struct opt opts[] = {
	{ CHECK_OPT_NO_GPU, "no-gpu", 0, OPT_FLAG, NULL,
	  "a machine without a GPU: the CUDA driver is not checked (not an error)", NULL },
	OPT_TABLE_END,
};

struct check_args {
	bool no_gpu;
};

static int handle_opt(void *args, int id, const char *value, struct ed_diag *d)
{
	struct check_args *a = args;

	if (id == CHECK_OPT_NO_GPU)
		a->no_gpu = true;
	return 0;
}

static int run(struct ctx *ctx)
{
	const struct check_args *a = ctx->args;
	struct check_host *host = NULL;
	struct check_report report;
	struct ed_diag d;
	int rc;

	memset(&report, 0, sizeof report);
	ed_diag_clear(&d);
	if ((rc = check_host_new(ctx->reg, getenv("EXTDEPS_ROOT"), NULL, &host, &d))) {
		out_diag(&ctx->out, &d);
		goto out;
	}
	if (a->no_gpu)
		check_host_no_gpu(host);
	if ((rc = check_run(host, ctx->project, ctx->verdict, &report, &d))) {
		out_diag(&ctx->out, &d);
		goto out;
	}
	if (!strcmp(ctx->format, "json"))
		check_report_json(&ctx->out, ctx->project, &report);
	else if (!strcmp(ctx->format, "github"))
		check_report_github(&ctx->out, ctx->project, &report);
	else if (!strcmp(ctx->format, "junit"))
		check_report_junit(&ctx->out, ctx->project, &report);
	else
		check_report_text(&ctx->out, ctx->project, &report);
	rc = report.nunmet ? ED_EXIT_UNMET : ED_EXIT_OK;
out:
	check_report_fini(&report);
	check_host_free(host);
	return rc;
}

static const char *const formats[] = { "text", "json", "github", "junit", NULL };

const struct cmd cmd_check = {
	.name = "check",
	.run = run,
	.summary = "check whether the selected dependencies are satisfied on this machine",
	.operands = "[PROJECT]",
	.max_operands = 1,
	.opts = opts,
	.opt = handle_opt,
	.args_size = sizeof(struct check_args),
	.formats = formats,
	.flags = CMD_PROJECT | CMD_REGISTRY_HOST | CMD_THIS_MACHINE,
};
