/* plan.c - `extdeps plan`: the selected dependencies resolved against the
 * target's repositories: the packages to ask for, the whole transaction,
 * its size, and the command that carries it out. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "extdeps/map/mapset.h"
#include "extdeps/map/registry.h"
#include "extdeps/render/json.h"
#include "extdeps/render/report.h"
#include "extdeps/solve/plan.h"
#include "extdeps/util/util.h"
#include "cli.h"
#include "cmd.h"
#include "planrun.h"

#define PLAN_SCHEMA_VERSION 1

enum { OPT_EXPLAIN = 1, OPT_WITH_RECOMMENDS };

static const struct opt opts[] = {
	{ OPT_EXPLAIN, "explain", 0, OPT_VALUE, "PKG", "say why PKG is in the transaction", NULL },
	{ OPT_WITH_RECOMMENDS, "with-recommends", 0, OPT_FLAG, NULL,
	  "include recommended packages (as the package manager would by default)", NULL },
	OPT_TABLE_END,
};

struct plan_args {
	const char *explain;
	bool with_recommends;
};

static int handle(void *args, int id, const char *value, struct ed_diag *d)
{
	struct plan_args *a = args;

	if (id == OPT_EXPLAIN)
		a->explain = value;
	else if (id == OPT_WITH_RECOMMENDS)
		a->with_recommends = true;
	return 0;
}

/* Everything the outputs need. */
struct view {
	struct ctx *ctx;
	const struct project *p;
	const enum select_skip *verdict;
	const struct reg_target *t;
	const struct cli_repos *repos;
	const struct mapset *maps;
	const struct plan_result *r;
	const int *request_of; /* per project dependency, its plan request or -1 */
	int implied_request;
	char *const *argv;     /* the install command, or NULL when nothing is to install */
	bool needs_root;
};

static const char *arch_of(const struct view *v)
{
	return v->repos->arch;
}

/* --- text --- */

static void text_choices(FILE *f, const struct out *o, const struct plan_request *rq)
{
	for (size_t k = 0; k < rq->nchoices; k++) {
		const struct plan_choice *c = &rq->choices[k];

		fputs(k ? ", " : "", f);
		switch (c->state) {
		case PLAN_INSTALLED:
			fprintf(f, "%s %s %s(installed)%s", c->name, c->version, out_on(o, OUT_GREEN),
				out_off(o));
			break;
		case PLAN_NEW:
		case PLAN_UPGRADE:
			fprintf(f, "%s %s %s(%s)%s", c->name, c->version, out_on(o, OUT_YELLOW),
				c->state == PLAN_NEW ? "new" : "upgrade", out_off(o));
			break;
		case PLAN_MISSING:
		case PLAN_VIRTUAL:
			fprintf(f, "%s%s%s: %s", out_on(o, OUT_RED), plan_state_name(c->state),
				out_off(o), c->why);
			if (c->nproviders) {
				fputs(" (", f);
				for (size_t i = 0; i < c->nproviders; i++)
					fprintf(f, "%s%s", i ? ", " : "", c->providers[i]);
				fputc(')', f);
			}
			break;
		}
	}
	if (!rq->nchoices)
		fputs("no package needed", f);
}

static void text_unmapped(FILE *f, const struct out *o, const struct reg_map *m,
			  const struct reg_target *t)
{
	switch (m->status) {
	case REG_UNAVAILABLE:
		fprintf(f, "%snot available%s: %s", out_on(o, OUT_RED), out_off(o), m->reason);
		break;
	case REG_UNMAPPED:
		fprintf(f, "%snot mapped%s for %s yet", out_on(o, OUT_YELLOW), out_off(o), t->eco->id);
		break;
	case REG_UNKNOWN:
		fprintf(f, "%sunknown DepURL%s", out_on(o, OUT_RED), out_off(o));
		if (m->suggestion)
			fprintf(f, "; did you mean '%s'?", m->suggestion);
		break;
	case REG_MAPPED:
		break;
	}
}

static void print_argv(FILE *f, char *const *argv)
{
	for (size_t i = 0; argv && argv[i]; i++)
		fprintf(f, "%s%s", i ? " " : "", argv[i]);
}

static void print_text(const struct view *v)
{
	FILE *f = v->ctx->out.out;
	const struct out *o = &v->ctx->out;
	const struct plan_result *r = v->r;
	char dl[32], inst[32];

	fprintf(f, "%s%s%s%s (%s)%s with %s\n", out_on(o, OUT_BOLD), v->t->eco->id,
		v->t->release ? " " : "", v->t->release ? v->t->release : "", arch_of(v),
		out_off(o), v->repos->o.host ? "this machine's installed packages" :
					       "nothing installed (not this machine)");
	for (size_t i = 0; i < v->p->ndeps; i++) {
		const struct project_dep *dep = &v->p->deps[i];

		if (v->verdict[i] != SELECT_IN)
			continue;
		fprintf(f, "  %s%s%s [%s]: ", dep->url->id, dep->url->version ? " " : "",
			dep->url->version ? dep->url->version : "", ed_stage_name(dep->stage));
		if (v->request_of[i] >= 0 && v->maps->maps[i].status == REG_MAPPED)
			text_choices(f, o, &r->requests[v->request_of[i]]);
		else
			text_unmapped(f, o, &v->maps->maps[i], v->t);
		fputc('\n', f);
	}
	if (v->implied_request >= 0) {
		fputs("  implied by a compiler (PEP 725): ", f);
		text_choices(f, o, &r->requests[v->implied_request]);
		fputc('\n', f);
	}
	for (size_t i = 0; i < r->nproblems; i++) {
		const struct plan_problem *pr = &r->problems[i];

		fprintf(f, "%sproblem %zu%s: %s\n", out_on(o, OUT_RED), i + 1, out_off(o), pr->message);
		if (pr->nlabels) {
			fputs("  for ", f);
			for (size_t k = 0; k < pr->nlabels; k++)
				fprintf(f, "%s%s", k ? ", " : "", pr->labels[k]);
			fputc('\n', f);
		}
		for (size_t k = 0; k < pr->ndetails; k++)
			fprintf(f, "  - %s\n", pr->details[k]);
		for (size_t k = 0; k < pr->nsolutions; k++)
			fprintf(f, "  solution %zu: %s\n", k + 1, pr->solutions[k]);
	}
	if (r->nproblems)
		return;
	if (r->nunresolved)
		fprintf(f, "%s%zu %s not be resolved%s\n", out_on(o, OUT_RED), r->nunresolved,
			r->nunresolved == 1 ? "dependency can" : "dependencies can", out_off(o));
	if (!r->nsteps) {
		fputs("nothing to install\n", f);
		return;
	}
	fprintf(f, "packages to ask for (%zu):", r->nexplicit);
	for (size_t i = 0; i < r->nexplicit; i++)
		fprintf(f, " %s%s%s", r->explicit_[i], r->explicit_version[i] ? "=" : "",
			r->explicit_version[i] ? r->explicit_version[i] : "");
	fprintf(f, "\ntransaction: %zu new, %zu upgraded", r->nnew, r->nupgrade);
	if (r->ndowngrade)
		fprintf(f, ", %zu downgraded", r->ndowngrade);
	if (r->nremove)
		fprintf(f, ", %zu removed", r->nremove);
	fputc('\n', f);
	for (size_t i = 0; i < r->nsteps; i++) {
		const struct plan_step *s = &r->steps[i];

		planrun_human_size(s->download, dl, sizeof dl);
		fprintf(f, "  %-9s %s%s%s %s%s%s %s", plan_action_name(s->action),
			s->explicit_ ? out_on(o, OUT_BOLD) : "", s->name,
			s->explicit_ ? out_off(o) : "", s->from_version ? s->from_version : "",
			s->from_version ? " -> " : "", s->version, s->arch);
		if (s->download)
			fprintf(f, " (%s)", dl);
		fputc('\n', f);
	}
	planrun_human_size(r->download, dl, sizeof dl);
	planrun_human_size((unsigned long long)(r->installed_change < 0 ? -r->installed_change :
								   r->installed_change),
		   inst, sizeof inst);
	fprintf(f, "download %s, disk space %s%s\n", dl, r->installed_change < 0 ? "-" : "+", inst);
	fprintf(f, "command%s: ", v->needs_root ? " (needs root)" : "");
	print_argv(f, v->argv);
	fputc('\n', f);
}

/* --- json --- */

static void json_choices(struct json *j, const struct plan_request *rq)
{
	json_key(j, "packages");
	json_array_begin(j);
	for (size_t k = 0; k < rq->nchoices; k++) {
		const struct plan_choice *c = &rq->choices[k];

		json_object_begin(j);
		json_key(j, "spec");
		json_string(j, c->spec);
		json_key(j, "state");
		json_string(j, plan_state_name(c->state));
		json_key(j, "name");
		json_string(j, c->name);
		json_key(j, "version");
		json_string(j, c->version);
		if (c->why) {
			json_key(j, "message");
			json_string(j, c->why);
		}
		if (c->state == PLAN_VIRTUAL) {
			json_key(j, "providers");
			json_array_begin(j);
			for (size_t i = 0; i < c->nproviders; i++)
				json_string(j, c->providers[i]);
			json_array_end(j);
		}
		json_object_end(j);
	}
	json_array_end(j);
}

static const char *request_status(const struct plan_request *rq)
{
	enum plan_state worst = PLAN_INSTALLED;

	for (size_t k = 0; k < rq->nchoices; k++)
		if (rq->choices[k].state > worst)
			worst = rq->choices[k].state;
	return plan_state_name(worst);
}

static void print_json(const struct view *v)
{
	const struct plan_result *r = v->r;
	struct json j;

	json_init(&j, v->ctx->out.out);
	json_object_begin(&j);
	json_key(&j, "schema_version");
	json_int(&j, PLAN_SCHEMA_VERSION);
	report_json_project(&j, v->p);
	json_key(&j, "target");
	json_object_begin(&j);
	json_key(&j, "ecosystem");
	json_string(&j, v->t->eco->id);
	json_key(&j, "release");
	json_string(&j, v->t->release);
	json_key(&j, "arch");
	json_string(&j, arch_of(v));
	json_key(&j, "backend");
	json_string(&j, v->repos->eco->name);
	json_key(&j, "this_machine");
	json_bool(&j, v->repos->o.host);
	json_object_end(&j);
	json_key(&j, "dependencies");
	json_array_begin(&j);
	for (size_t i = 0; i < v->p->ndeps; i++) {
		const struct reg_map *m = &v->maps->maps[i];

		if (v->verdict[i] != SELECT_IN)
			continue;
		json_object_begin(&j);
		report_json_dep(&j, &v->p->deps[i]);
		json_key(&j, "status");
		if (m->status == REG_MAPPED && v->request_of[i] >= 0) {
			json_string(&j, request_status(&r->requests[v->request_of[i]]));
			json_choices(&j, &r->requests[v->request_of[i]]);
		} else {
			json_string(&j, reg_status_name(m->status));
			if (m->reason) {
				json_key(&j, "message");
				json_string(&j, m->reason);
			}
		}
		report_json_source(&j, v->p->path, v->p->deps[i].line, v->p->deps[i].col);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_key(&j, "implied");
	if (v->implied_request >= 0) {
		json_object_begin(&j);
		json_key(&j, "status");
		json_string(&j, request_status(&r->requests[v->implied_request]));
		json_choices(&j, &r->requests[v->implied_request]);
		json_object_end(&j);
	} else {
		json_null(&j);
	}
	json_key(&j, "explicit");
	json_array_begin(&j);
	for (size_t i = 0; i < r->nexplicit; i++) {
		json_object_begin(&j);
		json_key(&j, "name");
		json_string(&j, r->explicit_[i]);
		json_key(&j, "version");
		json_string(&j, r->explicit_version[i]);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_key(&j, "transaction");
	json_array_begin(&j);
	for (size_t i = 0; i < r->nsteps; i++) {
		const struct plan_step *s = &r->steps[i];

		json_object_begin(&j);
		json_key(&j, "action");
		json_string(&j, plan_action_name(s->action));
		json_key(&j, "name");
		json_string(&j, s->name);
		json_key(&j, "version");
		json_string(&j, s->version);
		json_key(&j, "from_version");
		json_string(&j, s->from_version);
		json_key(&j, "arch");
		json_string(&j, s->arch);
		json_key(&j, "explicit");
		json_bool(&j, s->explicit_);
		json_key(&j, "download_size");
		json_int(&j, (long long)s->download);
		json_key(&j, "installed_size");
		json_int(&j, (long long)s->installed);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_key(&j, "download_size");
	json_int(&j, (long long)r->download);
	json_key(&j, "installed_size_change");
	json_int(&j, r->installed_change);
	json_key(&j, "command");
	if (v->argv) {
		json_array_begin(&j);
		for (size_t i = 0; v->argv[i]; i++)
			json_string(&j, v->argv[i]);
		json_array_end(&j);
	} else {
		json_null(&j);
	}
	json_key(&j, "needs_root");
	json_bool(&j, v->needs_root);
	json_key(&j, "problems");
	json_array_begin(&j);
	for (size_t i = 0; i < r->nproblems; i++) {
		const struct plan_problem *pr = &r->problems[i];

		json_object_begin(&j);
		json_key(&j, "message");
		json_string(&j, pr->message);
		json_key(&j, "depurls");
		json_array_begin(&j);
		for (size_t k = 0; k < pr->nlabels; k++)
			json_string(&j, pr->labels[k]);
		json_array_end(&j);
		json_key(&j, "rules");
		json_array_begin(&j);
		for (size_t k = 0; k < pr->ndetails; k++)
			json_string(&j, pr->details[k]);
		json_array_end(&j);
		json_key(&j, "solutions");
		json_array_begin(&j);
		for (size_t k = 0; k < pr->nsolutions; k++)
			json_string(&j, pr->solutions[k]);
		json_array_end(&j);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_object_end(&j);
	json_end(&j);
}

/* --- sh --- */

/* S as one shell word: single-quoted, ' written as '\''. */
static void sh_quote(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++)
		if (*s == '\'')
			fputs("'\\''", f);
		else
			fputc(*s, f);
	fputc('\'', f);
}

/* A comment line: no newline may end it early. */
static void sh_comment(FILE *f, const char *s)
{
	fputs("# ", f);
	for (; *s; s++)
		fputc(*s == '\n' || *s == '\r' ? ' ' : *s, f);
	fputc('\n', f);
}

static void print_sh(const struct view *v)
{
	FILE *f = v->ctx->out.out;
	const struct plan_result *r = v->r;
	char line[1024];

	fputs("#!/bin/sh\n", f);
	snprintf(line, sizeof line, "extdeps plan for %s: %s%s%s (%s)", v->p->path, v->t->eco->id,
		 v->t->release ? " " : "", v->t->release ? v->t->release : "", arch_of(v));
	sh_comment(f, line);
	for (size_t i = 0; i < v->p->ndeps; i++) {
		const struct project_dep *dep = &v->p->deps[i];
		const struct reg_map *m = &v->maps->maps[i];

		if (v->verdict[i] != SELECT_IN)
			continue;
		if (m->status != REG_MAPPED || v->request_of[i] < 0) {
			snprintf(line, sizeof line, "%s: %s, not installed by this script", dep->url->id,
				 reg_status_name(m->status));
			sh_comment(f, line);
			continue;
		}
		for (size_t k = 0; k < r->requests[v->request_of[i]].nchoices; k++) {
			const struct plan_choice *c = &r->requests[v->request_of[i]].choices[k];

			snprintf(line, sizeof line, "%s: %s (%s)", dep->url->id,
				 c->name ? c->name : c->why, plan_state_name(c->state));
			sh_comment(f, line);
		}
	}
	if (v->implied_request >= 0)
		for (size_t k = 0; k < r->requests[v->implied_request].nchoices; k++) {
			const struct plan_choice *c = &r->requests[v->implied_request].choices[k];

			snprintf(line, sizeof line, "implied by a compiler (PEP 725): %s (%s)",
				 c->name ? c->name : c->why, plan_state_name(c->state));
			sh_comment(f, line);
		}
	fputs("set -eu\n", f);
	if (!v->argv) {
		fputs("echo 'nothing to install'\n", f);
		return;
	}
	if (v->needs_root)
		fputs("if [ \"$(id -u)\" -ne 0 ]; then\n"
		      "\techo 'this script installs system packages: run it as root' >&2\n"
		      "\texit 1\n"
		      "fi\n",
		      f);
	for (const char *const *e = v->repos->eco->install_env; e && *e; e++)
		fprintf(f, "%s\nexport %.*s\n", *e, (int)strcspn(*e, "="), *e);
	for (size_t i = 0; v->argv[i]; i++) {
		fputs(i ? " " : "", f);
		sh_quote(f, v->argv[i]);
	}
	fputc('\n', f);
}

/* A nix-shell line with the explicit packages (nixpkgs targets). */
static void print_nix(const struct view *v)
{
	FILE *f = v->ctx->out.out;

	if (!v->r->nexplicit || v->r->nproblems) {
		fputs(v->r->nproblems ? "# unresolved: see --format=text\n" : "# nothing to install\n", f);
		return;
	}
	fputs("nix-shell -p", f);
	for (size_t i = 0; i < v->r->nexplicit; i++) {
		fputc(' ', f);
		sh_quote(f, v->r->explicit_[i]);
	}
	fputc('\n', f);
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

/* Before anything is downloaded: a format only the target's backend writes. */
static int prepare(struct ctx *ctx)
{
	if (!strcmp(ctx->format, "nix") && strcmp(ctx->target.eco->id, "nixpkgs")) {
		out_error(&ctx->out, "--format=nix is for nixpkgs targets, not %s", ctx->target.eco->id);
		return ED_EXIT_INPUT;
	}
	return 0;
}

static int run(struct ctx *ctx)
{
	const struct plan_args *a = ctx->args;
	struct planrun pr = { 0 };
	struct view v = { .ctx = ctx };
	int rc;

	if ((rc = planrun_solve(&pr, ctx, a->with_recommends ? PLAN_WITH_RECOMMENDS : 0)))
		goto out;
	if (a->explain) {
		rc = explain(ctx, pr.plan, a->explain);
		goto out;
	}
	if ((rc = planrun_argv(&pr, ctx, ECO_INSTALL_YES |
					 (a->with_recommends ? 0 : ECO_INSTALL_NO_RECOMMENDS))))
		goto out;
	v.p = ctx->project;
	v.verdict = ctx->verdict;
	v.t = &ctx->target;
	v.repos = &ctx->repos;
	v.maps = &ctx->maps;
	v.r = pr.result;
	v.request_of = pr.request_of;
	v.implied_request = pr.implied_request;
	v.argv = pr.argv;
	v.needs_root = pr.needs_root;
	if (!strcmp(ctx->format, "json"))
		print_json(&v);
	else if (!strcmp(ctx->format, "sh"))
		print_sh(&v);
	else if (!strcmp(ctx->format, "nix"))
		print_nix(&v);
	else
		print_text(&v);
	rc = planrun_resolved(&pr, ctx) ? ED_EXIT_OK : ED_EXIT_UNMET;
out:
	planrun_fini(&pr);
	return rc;
}

static const char *const formats[] = { "text", "json", "sh", "nix", NULL };

const struct cmd cmd_plan = {
	.name = "plan",
	.run = run,
	.summary = "resolve the selected dependencies against the target's repositories",
	.operands = "[PROJECT]",
	.max_operands = 1,
	.opts = opts,
	.opt = handle,
	.args_size = sizeof(struct plan_args),
	.formats = formats,
	.prepare = prepare,
	.flags = CMD_PROJECT | CMD_REGISTRY_TARGET | CMD_TARGET | CMD_REPOS | CMD_NETWORK,
};
