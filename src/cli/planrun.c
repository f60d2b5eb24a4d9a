#include "planrun.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extdeps/render/out.h"
#include "extdeps/util/util.h"

static int solve_once(struct planrun *pr, struct ctx *ctx, unsigned plan_flags)
{
	const struct project *p = ctx->project;
	struct ed_diag d;
	int rc;

	planrun_fini(pr);
	pr->implied_request = -1;
	if (!(pr->plan = plan_new(ctx->repos.pool, ctx->repos.eco)) ||
	    !(pr->request_of = malloc((p->ndeps ? p->ndeps : 1) * sizeof *pr->request_of)))
		goto oom;
	for (size_t i = 0; i < p->ndeps; i++) {
		pr->request_of[i] = -1;
		if (ctx->verdict[i] == SELECT_IN &&
		    (pr->request_of[i] = plan_add_map(pr->plan, p->deps[i].url->id,
						      &ctx->maps.maps[i])) < 0)
			goto oom;
	}
	if (ctx->maps.implied && !ctx->implied_skip_why &&
	    (pr->implied_request = plan_add_specs(pr->plan, "python headers (implied)",
						  ctx->maps.implied)) < 0)
		goto oom;
	ed_diag_clear(&d);
	if ((rc = plan_solve(pr->plan, plan_flags, &d))) {
		out_diag(&ctx->out, &d);
		return rc;
	}
	pr->result = plan_result(pr->plan);
	return 0;
oom:
	out_error(&ctx->out, "out of memory");
	return ED_EXIT_ENV;
}

/* The first package of request RQ that cannot be had, in words, into BUF;
 * false when it has none. */
static bool missing_why(const struct plan_request *rq, char *buf, size_t size)
{
	for (size_t k = 0; k < rq->nchoices; k++) {
		const struct plan_choice *c = &rq->choices[k];

		if (c->state == PLAN_MISSING || c->state == PLAN_VIRTUAL) {
			snprintf(buf, size, "%s: %s", plan_state_name(c->state), c->why ? c->why : "");
			return true;
		}
	}
	return false;
}

/* --skip-unresolved: the dependencies the solve found no package for are
 * left out, and the rest solved again, so that what is installed is one
 * transaction of what resolves. */
static int skip_missing(struct planrun *pr, struct ctx *ctx, unsigned plan_flags)
{
	size_t skipped = 0;
	char why[512];
	int rc;

	for (size_t i = 0; i < ctx->project->ndeps; i++) {
		if (pr->request_of[i] < 0 ||
		    !missing_why(&pr->result->requests[pr->request_of[i]], why, sizeof why))
			continue;
		if ((rc = cli_skip_unresolved(ctx, i, why)))
			return rc;
		skipped++;
	}
	if (pr->implied_request >= 0 &&
	    missing_why(&pr->result->requests[pr->implied_request], why, sizeof why)) {
		if (!(ctx->implied_skip_why = strdup(why))) {
			out_error(&ctx->out, "out of memory");
			return ED_EXIT_ENV;
		}
		skipped++;
	}
	return skipped ? solve_once(pr, ctx, plan_flags) : 0;
}

int planrun_solve(struct planrun *pr, struct ctx *ctx, unsigned plan_flags)
{
	double t_solve;
	int rc;

	memset(pr, 0, sizeof *pr);
	if ((rc = solve_once(pr, ctx, plan_flags)) ||
	    (ctx->skip_unresolved && pr->result->nunresolved &&
	     (rc = skip_missing(pr, ctx, plan_flags))))
		return rc;
	t_solve = util_now_ms();
	if (ctx->out.verbosity > 1)
		fprintf(ctx->out.err,
			"timing: project and mappings %.1f ms, repositories %.1f ms (%zu, %zu from "
			"cache, %zu packages), solving %.1f ms\n",
			ctx->t_map - ctx->t_start, ctx->t_repos - ctx->t_map, ctx->repos.st.repos,
			ctx->repos.st.cache_hits, ctx->repos.st.solvables, t_solve - ctx->t_repos);
	return 0;
}

int planrun_argv(struct planrun *pr, struct ctx *ctx, unsigned install_flags)
{
	const struct plan_result *r = pr->result;
	const struct reg_pm *pm = registry_package_manager(ctx->reg, &ctx->target);
	char **specs = NULL;
	size_t n = 0;
	struct ed_diag d;
	int rc = 0;

	if (!r->nexplicit || r->nproblems)
		return 0;
	pr->needs_root = ctx->repos.eco->install_needs_root(&ctx->repos.o);
	for (size_t i = 0; i < r->nexplicit; i++) {
		char *spec = NULL;

		if (r->explicit_version[i] && pm && pm->pin)
			spec = registry_render(pm->pin, r->explicit_[i], "=", r->explicit_version[i]);
		if (!util_strv_push(&specs, &n, spec ? spec : r->explicit_[i])) {
			free(spec);
			util_strv_free(specs, n);
			out_error(&ctx->out, "out of memory");
			return ED_EXIT_ENV;
		}
		free(spec);
	}
	ed_diag_clear(&d);
	pr->argv = ctx->repos.eco->install_argv(&ctx->repos.o, (const char *const *)specs, n,
						install_flags, &d);
	if (!pr->argv) {
		out_diag(&ctx->out, &d);
		rc = d.status ? (int)d.status : ED_EXIT_ENV;
	}
	util_strv_free(specs, n);
	return rc;
}

bool planrun_resolved(const struct planrun *pr, const struct ctx *ctx)
{
	return !ctx->maps.nunmet && !pr->result->nunresolved && !pr->result->nproblems;
}

bool planrun_skipped_unresolved(const struct ctx *ctx)
{
	if (ctx->implied_skip_why)
		return true;
	for (size_t i = 0; i < ctx->project->ndeps; i++)
		if (ctx->verdict[i] == SELECT_UNRESOLVED)
			return true;
	return false;
}

void planrun_fini(struct planrun *pr)
{
	eco_argv_free(pr->argv);
	free(pr->request_of);
	plan_free(pr->plan);
	memset(pr, 0, sizeof *pr);
}

void planrun_view(const struct planrun *pr, const struct ctx *ctx, struct plan_view *v)
{
	*v = (struct plan_view){
		.out = &ctx->out,
		.project = ctx->project,
		.verdict = ctx->verdict,
		.skip_why = (const char *const *)ctx->skip_why,
		.target = &ctx->target,
		.arch = ctx->repos.arch,
		.backend = ctx->repos.eco->name,
		.repos = ctx->repos.o.repos,
		.nrepos = ctx->repos.o.nrepos,
		.this_machine = ctx->repos.o.host,
		.install_env = ctx->repos.eco->install_env,
		.maps = &ctx->maps,
		.result = pr->result,
		.request_of = pr->request_of,
		.implied_request = pr->implied_request,
		.implied_skip_why = ctx->implied_skip_why,
		.argv = pr->argv,
		.needs_root = pr->needs_root,
	};
}

int planrun_shell(const struct planrun *pr, struct ctx *ctx, char ***argv)
{
	const struct plan_result *r = pr->result;
	struct ed_diag d;

	*argv = NULL;
	if (!r->nexplicit || r->nproblems || !ctx->repos.eco->shell_argv)
		return 0;
	ed_diag_clear(&d);
	if (!(*argv = ctx->repos.eco->shell_argv((const char *const *)r->explicit_, r->nexplicit,
						 &d))) {
		out_diag(&ctx->out, &d);
		return d.status ? (int)d.status : ED_EXIT_ENV;
	}
	return 0;
}
