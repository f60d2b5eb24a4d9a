/* plan.c - `extdeps plan`: the selected dependencies resolved against the
 * target's repositories: the packages to ask for, the whole transaction,
 * its size, and the command that carries it out. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "extdeps/eco/backends.h"
#include "extdeps/map/mapset.h"
#include "extdeps/map/registry.h"
#include "extdeps/map/target.h"
#include "extdeps/render/plan_report.h"
#include "extdeps/solve/plan.h"
#include "extdeps/util/util.h"
#include "cli.h"
#include "cmd.h"
#include "planrun.h"

#define PLAN_SCHEMA_VERSION 1

enum { OPT_EXPLAIN = 1, OPT_WITH_RECOMMENDS, OPT_ALL };

static const struct opt opts[] = {
	{ OPT_EXPLAIN, "explain", 0, OPT_VALUE, "PKG", "say why PKG is in the transaction", NULL },
	{ OPT_WITH_RECOMMENDS, "with-recommends", 0, OPT_FLAG, NULL,
	  "include recommended packages (as the package manager would by default)", NULL },
	{ OPT_ALL, "all", 0, OPT_FLAG, NULL,
	  "the command names every package chosen, the installed too (for a fresh container)", NULL },
	OPT_TABLE_END,
};

struct plan_args {
	const char *explain;
	bool with_recommends;
	bool all;
};

static int handle(void *args, int id, const char *value, struct ed_diag *d)
{
	struct plan_args *a = args;

	if (id == OPT_EXPLAIN)
		a->explain = value;
	else if (id == OPT_WITH_RECOMMENDS)
		a->with_recommends = true;
	else if (id == OPT_ALL)
		a->all = true;
	return 0;
}

/* --- the command --- */

static int explain(struct ctx *ctx, struct plan *pl, const char *name)
{
	char **lines = NULL;
	size_t n = 0;
	struct ed_diag d;
	int rc;

	ed_diag_clear(&d);
	if ((rc = plan_explain(pl, name, &lines, &n, &d))) {
		out_diag(&ctx->out, &d);
		return rc;
	}
	for (size_t i = 0; i < n; i++)
		fprintf(ctx->out.out, "%*s%s\n", (int)(2 * i), "", lines[i]);
	util_strv_free(lines, n);
	return 0;
}

/* Before anything is downloaded: a format only one backend writes (its
 * shell_format) asked of another's target. */
static int prepare(struct ctx *ctx)
{
	const struct eco_ops *shell = eco_for_shell_format(ctx->format);

	if (shell && target_backend(ctx->reg, &ctx->target) != shell) {
		out_error(&ctx->out, "--format=%s is for %s targets, not %s", ctx->format,
			  shell->ecosystems[0], ctx->target.eco->id);
		return ED_EXIT_INPUT;
	}
	return 0;
}

static int run(struct ctx *ctx)
{
	const struct plan_args *a = ctx->args;
	struct planrun pr = { 0 };
	struct plan_view v;
	char **shell = NULL;
	int rc;

	if ((rc = planrun_solve(&pr, ctx, a->with_recommends ? PLAN_WITH_RECOMMENDS : 0)))
		goto out;
	if (a->explain) {
		rc = explain(ctx, pr.plan, a->explain);
		goto out;
	}
	pr.all = a->all;
	if ((rc = planrun_argv(&pr, ctx, ECO_INSTALL_YES |
					 (a->with_recommends ? 0 : ECO_INSTALL_NO_RECOMMENDS))))
		goto out;
	planrun_view(&pr, ctx, &v);
	if (!strcmp(ctx->format, "json")) {
		plan_report_json(&v);
	} else if (!strcmp(ctx->format, "sh")) {
		plan_report_sh(&v);
	} else if (!strcmp(ctx->format, "text")) {
		plan_report_text(&v);
	} else {
		if ((rc = planrun_shell(&pr, ctx, &shell)))
			goto out;
		plan_report_shell(&v, shell);
	}
	/* what --skip-unresolved left out is unmet all the same */
	rc = planrun_resolved(&pr, ctx) && !planrun_skipped_unresolved(ctx) ? ED_EXIT_OK
									     : ED_EXIT_UNMET;
out:
	eco_argv_free(shell);
	planrun_fini(&pr);
	return rc;
}

static const char *const formats[] = { "text", "json", "sh", "nix", NULL };

const struct cmd cmd_plan = {
	.name = "plan",
	.run = run,
	.summary = "resolve the selected dependencies against the target's repositories",
	.operands = "[PROJECT...]",
	.max_operands = -1,
	.opts = opts,
	.opt = handle,
	.args_size = sizeof(struct plan_args),
	.formats = formats,
	.prepare = prepare,
	.flags = CMD_PROJECT | CMD_REGISTRY_TARGET | CMD_TARGET | CMD_SKIPS | CMD_REPOS |
		 CMD_NETWORK,
};
