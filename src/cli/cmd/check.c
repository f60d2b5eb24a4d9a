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

/* Project K's report as soon as it is made, where the format streams:
 * ndjson's line, github's annotations, text's section. */
static void stream(struct ctx *ctx, const struct project *p, const struct check_report *r,
		   size_t k, size_t n)
{
	FILE *f = ctx->out.out;

	if (!strcmp(ctx->format, "ndjson")) {
		check_report_ndjson(&ctx->out, p, r);
	} else if (!strcmp(ctx->format, "github")) {
		check_report_github(&ctx->out, p, r);
	} else if (!strcmp(ctx->format, "text")) {
		if (n > 1)
			fprintf(f, "%s%s%s:%s\n", k ? "\n" : "", out_on(&ctx->out, OUT_BOLD), p->path,
				out_off(&ctx->out));
		check_report_text(&ctx->out, p, r);
	}
	fflush(f);
}

/* "N projects: X of Y satisfied, Z unmet" after their sections. */
static void text_total(struct ctx *ctx, const struct check_report *rs, size_t n)
{
	size_t total = 0, satisfied = 0, unmet = 0;

	for (size_t i = 0; i < n; i++) {
		total += rs[i].count;
		satisfied += rs[i].nsatisfied;
		unmet += rs[i].nunmet;
	}
	fprintf(ctx->out.out, "\n%s%zu projects: %zu of %zu satisfied", out_on(&ctx->out, OUT_BOLD), n,
		satisfied, total);
	if (unmet)
		fprintf(ctx->out.out, ", %zu unmet", unmet);
	fprintf(ctx->out.out, "%s\n", out_off(&ctx->out));
}

static int run(struct ctx *ctx)
{
	const struct check_args *a = ctx->args;
	const struct project *p = ctx->project;
	/* several projects are checked and reported one by one */
	struct project *const *ps = p->nmembers ? p->members : (struct project *const *)&ctx->project;
	size_t n = p->nmembers ? p->nmembers : 1, unmet = 0, first = 0;
	struct check_host *host = NULL;
	struct check_report *reports;
	struct ed_diag d;
	int rc = 0;

	ed_diag_clear(&d);
	if (!(reports = calloc(n, sizeof *reports))) {
		out_error(&ctx->out, "out of memory");
		return ED_EXIT_ENV;
	}
	if ((rc = check_host_new(ctx->reg, getenv("EXTDEPS_ROOT"), NULL, &host, &d))) {
		out_diag(&ctx->out, &d);
		goto out;
	}
	if (a->no_gpu)
		check_host_no_gpu(host);
	for (size_t k = 0; k < n; first += ps[k]->ndeps, k++) {
		if ((rc = check_run(host, ps[k], ctx->verdict + first, &reports[k], &d))) {
			out_diag(&ctx->out, &d);
			goto out;
		}
		unmet += reports[k].nunmet;
		stream(ctx, ps[k], &reports[k], k, n);
	}
	if (!strcmp(ctx->format, "json") && n == 1)
		check_report_json(&ctx->out, ps[0], &reports[0]);
	else if (!strcmp(ctx->format, "json"))
		check_report_json_several(&ctx->out, ps, reports, n);
	else if (!strcmp(ctx->format, "junit"))
		check_report_junit_several(&ctx->out, ps, reports, n);
	else if (!strcmp(ctx->format, "text") && n > 1)
		text_total(ctx, reports, n);
	rc = unmet ? ED_EXIT_UNMET : ED_EXIT_OK;
out:
	for (size_t k = 0; k < n; k++)
		check_report_fini(&reports[k]);
	free(reports);
	check_host_free(host);
	return rc;
}

static const char *const formats[] = { "text", "json", "ndjson", "github", "junit", NULL };

const struct cmd cmd_check = {
	.name = "check",
	.run = run,
	.summary = "check whether the selected dependencies are satisfied on this machine",
	.operands = "[PROJECT...]",
	.max_operands = -1,
	.opts = opts,
	.opt = handle_opt,
	.args_size = sizeof(struct check_args),
	.formats = formats,
	.flags = CMD_PROJECT | CMD_REGISTRY_HOST | CMD_THIS_MACHINE,
};
