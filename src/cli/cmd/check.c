/* check.c - `extdeps check`: are the selected external dependencies
 * satisfied on this machine? Text, JSON, GitHub annotations, JUnit XML. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "extdeps/host/check.h"
#include "extdeps/map/target.h"
#include "extdeps/render/check_report.h"
#include "extdeps/util/strbuf.h"
#include "cli.h"
#include "cmd.h"
#include "planrun.h"

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

/* --- remedies from the solve --- */

/* An unmet dependency whose remedy is its own mapping. */
static bool wants_remedy(const struct check_result *res)
{
	return !check_status_ok(res->status) && res->status != CHECK_UNKNOWN && res->install_own &&
	       res->ninstall;
}

/* Whether the plan found the component ID missing on this machine. */
static bool lacking(const struct planrun *pr, const char *id)
{
	for (size_t i = 0; i < pr->nlacking; i++)
		if (!strcmp(pr->lacking[i], id))
			return true;
	return false;
}

/* Where the repositories cannot satisfy RES's dependency and PyPI's
 * mappings name a wheel of it (a build tool, NVIDIA's libraries), the pip
 * command for it, appended to NOTE: another source, whose index is not
 * read here. */
static int pypi_instead(const struct ctx *ctx, const struct check_result *res,
			struct strbuf *note, struct ed_diag *d)
{
	struct reg_target pypi;
	const struct reg_pm *pm;
	struct reg_map m;
	struct ed_diag ignored;
	int rc;

	if (registry_parse_target(ctx->reg, "pypi", &pypi, &ignored) ||
	    !(pm = registry_package_manager(ctx->reg, &pypi)))
		return 0;
	if ((rc = registry_map(ctx->reg, &pypi, res->dep->url, res->dep->stage, &m, d)))
		return rc;
	if (m.status == REG_MAPPED && m.npkgs == 1) {
		/* a wheel's version is its tool's: the DepURL's constraint as it is */
		char *version = m.spec && m.version == REG_VERSION_UPSTREAM ? pep440_spec_str(m.spec)
									    : NULL;
		struct strbuf req = STRBUF_INIT;

		strbuf_addf(&req, "%s%s", m.pkgs[0].alts[0].name, version ? version : "");
		strbuf_addstr(note, "; PyPI has it as a wheel (its versions not checked here):");
		for (size_t w = 0; w < pm->ninstall; w++) {
			strbuf_addch(note, ' ');
			strbuf_add_sh_word(note, pm->install[w]);
		}
		strbuf_addch(note, ' ');
		strbuf_add_sh_word(note, strbuf_str(&req));
		note->oom |= req.oom;
		strbuf_release(&req);
		free(version);
	}
	reg_map_fini(&m);
	return 0;
}

/* RES's remedy from request RQ of the plan: the packages it installs or
 * upgrades, else why none can be had (and the component to enable, or
 * PyPI's wheel). */
static int remedy(struct ctx *ctx, const struct planrun *pr, const struct plan_request *rq,
		  struct check_result *res, struct ed_diag *d)
{
	const struct reg_repository *repo = rq->map ? rq->map->repository : NULL;
	const char *names[32], *why = NULL;
	struct strbuf note = STRBUF_INIT;
	size_t n = 0;
	int rc;

	for (size_t c = 0; c < rq->nchoices; c++) {
		const struct plan_choice *ch = &rq->choices[c];

		if ((ch->state == PLAN_NEW || ch->state == PLAN_UPGRADE) && ch->name && n < 32)
			names[n++] = ch->name;
		else if ((ch->state == PLAN_MISSING || ch->state == PLAN_VIRTUAL) && !why)
			why = ch->why ? ch->why : plan_state_name(ch->state);
	}
	/* found installed by the solve: what check said stands */
	if (!why && !n)
		return 0;
	if (why) {
		strbuf_addf(&note, "nothing to install from this machine's repositories: %s", why);
		if (repo && repo->component && lacking(pr, repo->id)) {
			strbuf_addf(&note, "; it is in %s, which this machine has not enabled:",
				    repo->name);
			for (size_t c = 0; c < repo->nenable; c++)
				for (size_t w = 0; repo->enable[c][w]; w++) {
					char *word = registry_expand(repo->enable[c][w], &ctx->target);
					strbuf_addf(&note, "%s%s", c && !w ? "; " : " ",
						    word ? word : repo->enable[c][w]);
					free(word);
				}
		} else if ((rc = pypi_instead(ctx, res, &note, d))) {
			strbuf_release(&note);
			return rc;
		}
		n = 0;
	}
	rc = note.oom ? ed_diag_oom(d) : check_result_set_install(res, names, n, strbuf_str(&note), d);
	strbuf_release(&note);
	return rc;
}

/* Every "install X" check prints comes from the solve plan does: the
 * packages it chooses from this machine's repositories for each unmet
 * dependency, or what is there and why it does not do (a version too old,
 * a component not enabled). Nothing changes where no backend solves this
 * machine or its repositories cannot be read (-v says why). */
static int remedies(struct ctx *ctx, struct check_host *host, struct project *const *ps,
		    struct check_report *rs, size_t n)
{
	const struct reg_target *t = check_host_target(host);
	struct planrun pr = { 0 };
	struct ed_diag d;
	bool want = false;
	size_t first = 0;
	int rc = 0;

	for (size_t k = 0; k < n; k++)
		for (size_t i = 0; i < rs[k].count; i++)
			want |= wants_remedy(&rs[k].results[i]);
	if (!want || !t || !target_backend(ctx->reg, t))
		return 0;
	ed_diag_clear(&d);
	ctx->target = *t;
	ctx->has_target = true;
	if ((rc = mapset_build(&ctx->maps, ctx->reg, t, ctx->project, ctx->verdict,
				 cli_python(ctx), &d))) {
		out_diag(&ctx->out, &d);
		return rc;
	}
	if (cli_repos_load(ctx, t, mapset_has_path(&ctx->maps), &ctx->repos, &d)) {
		if (ctx->out.verbosity > 0)
			out_warn(&ctx->out, "install advice from the mappings alone: %s", d.msg);
		return 0;
	}
	if ((rc = planrun_solve(&pr, ctx, 0)))
		goto out;
	for (size_t k = 0; k < n && !rc; first += ps[k]->ndeps, k++) {
		for (size_t i = 0; i < rs[k].count && !rc; i++) {
			struct check_result *res = &rs[k].results[i];
			int req = pr.request_of[first + (size_t)(res->dep - ps[k]->deps)];

			if (wants_remedy(res) && req >= 0)
				rc = remedy(ctx, &pr, &pr.result->requests[req], res, &d);
		}
		if (!rc)
			rc = check_report_command(host, &rs[k], &d);
	}
	if (rc)
		out_diag(&ctx->out, &d);
out:
	planrun_fini(&pr);
	return rc;
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
	}
	if ((rc = remedies(ctx, host, ps, reports, n)))
		goto out;
	for (size_t k = 0; k < n; k++)
		stream(ctx, ps[k], &reports[k], k, n);
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
