#include "planrun.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extdeps/render/out.h"
#include "extdeps/util/util.h"

/* The versions the implied Python headers must have into
 * ctx->implied_want: those of the Python that will build, unless it brings
 * its own. False when out of memory. */
static bool implied_want(struct ctx *ctx)
{
	char text[80];

	if (ctx->implied_want || ctx->model.python_own || !ctx->model.python.value[0])
		return true;
	snprintf(text, sizeof text, "==%s.*", ctx->model.python.value);
	return (ctx->implied_want = pep440_spec_parse(text, strlen(text), NULL)) != NULL;
}

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
	    (!implied_want(ctx) ||
	     (pr->implied_request = plan_add_specs(pr->plan, "python headers (implied)",
						   ctx->maps.implied, ctx->implied_want)) < 0))
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

/* On this machine, the components of the archive that the mapped
 * dependencies name and its package manager lacks: their packages cannot
 * be had until they are enabled. */
static int find_lacking(struct planrun *pr, const struct ctx *ctx)
{
	const struct eco_ops *eco = ctx->repos.eco;

	for (size_t i = 0; ctx->repos.o.host && eco->has_repo && i < ctx->project->ndeps; i++) {
		const struct reg_repository *r = ctx->maps.maps[i].repository;
		struct eco_repo er;
		bool seen = false;

		if (ctx->maps.maps[i].status != REG_MAPPED || !r || !r->component)
			continue;
		for (size_t k = 0; k < pr->nlacking && !seen; k++)
			seen = !strcmp(pr->lacking[k], r->id);
		er = (struct eco_repo){ .id = r->id, .name = r->name, .component = r->component };
		if (seen || eco->has_repo(&ctx->repos.o, &er))
			continue;
		const char **v = realloc(pr->lacking, (pr->nlacking + 1) * sizeof *v);
		if (!v) {
			out_error(&ctx->out, "out of memory");
			return ED_EXIT_ENV;
		}
		pr->lacking = v;
		pr->lacking[pr->nlacking++] = r->id;
	}
	return 0;
}

int planrun_solve(struct planrun *pr, struct ctx *ctx, unsigned plan_flags)
{
	double t_solve;
	int rc;

	memset(pr, 0, sizeof *pr);
	if ((rc = solve_once(pr, ctx, plan_flags)) ||
	    (ctx->skip_unresolved && pr->result->nunresolved &&
	     (rc = skip_missing(pr, ctx, plan_flags))) ||
	    (rc = find_lacking(pr, ctx)))
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

/* The packages the plan found installed for its requests, each once, after
 * *SPECS: a fresh container has none of them. */
static int add_installed(const struct planrun *pr, char ***specs, size_t *n)
{
	const struct plan_result *r = pr->result;

	for (size_t i = 0; i < r->nrequests; i++)
		for (size_t k = 0; k < r->requests[i].nchoices; k++) {
			const struct plan_choice *c = &r->requests[i].choices[k];
			bool seen = false;

			if (c->state != PLAN_INSTALLED || !c->name)
				continue;
			for (size_t j = 0; j < *n && !seen; j++)
				seen = !strcmp((*specs)[j], c->name);
			if (!seen && !util_strv_push(specs, n, c->name))
				return ED_EXIT_ENV;
		}
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

	if ((!r->nexplicit && !pr->all) || r->nproblems)
		return 0;
	pr->needs_root = ctx->repos.eco->install_needs_root(&ctx->repos.o);
	if (pr->all) {
		pr->refresh = ctx->repos.eco->refresh_argv;
		pr->refresh_sh = ctx->repos.eco->metadata_missing_sh;
	}
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
	if (pr->all && (rc = add_installed(pr, &specs, &n))) {
		util_strv_free(specs, n);
		out_error(&ctx->out, "out of memory");
		return rc;
	}
	if (!n)
		return 0;
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
	free(pr->lacking);
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
		.python = ctx->model.python.value[0] ? ctx->model.python.value : NULL,
		.lacking = pr->lacking,
		.nlacking = pr->nlacking,
		.install_env = ctx->repos.eco->install_env,
		.maps = &ctx->maps,
		.result = pr->result,
		.request_of = pr->request_of,
		.implied_request = pr->implied_request,
		.implied_skip_why = ctx->implied_skip_why,
		.argv = pr->argv,
		.refresh = pr->refresh,
		.refresh_sh = pr->refresh_sh,
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
