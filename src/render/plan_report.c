/* plan_report.c - a plan as text, JSON, a shell script, a backend's shell
 * line, and install's summaries. */
#include "extdeps/render/plan_report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extdeps/render/report.h"
#include "extdeps/util/json.h"

void plan_report_size(unsigned long long n, char *buf, size_t size)
{
	static const char *const units[] = { "B", "kB", "MB", "GB", "TB" };
	double x = (double)n;
	int u = 0;

	while (x >= 1000 && u < 4) {
		x /= 1000;
		u++;
	}
	if (u)
		snprintf(buf, size, "%.1f %s", x, units[u]);
	else
		snprintf(buf, size, "%llu B", n);
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

static void print_argv(FILE *f, char *const *argv)
{
	for (size_t i = 0; argv && argv[i]; i++)
		fprintf(f, "%s%s", i ? " " : "", argv[i]);
}

/* " a b=1.2": the explicit packages, pinned where the plan pins them. */
static void text_explicit(FILE *f, const struct plan_result *r)
{
	for (size_t i = 0; i < r->nexplicit; i++)
		fprintf(f, " %s%s%s", r->explicit_[i], r->explicit_version[i] ? "=" : "",
			r->explicit_version[i] ? r->explicit_version[i] : "");
}

/* "transaction: 3 new, 1 upgraded[, N downgraded][, N removed]". */
static void text_counts(FILE *f, const struct plan_result *r)
{
	fprintf(f, "transaction: %zu new, %zu upgraded", r->nnew, r->nupgrade);
	if (r->ndowngrade)
		fprintf(f, ", %zu downgraded", r->ndowngrade);
	if (r->nremove)
		fprintf(f, ", %zu removed", r->nremove);
}

/* "download 1.2 MB, disk space +4.5 MB". */
static void text_sizes(FILE *f, const struct plan_result *r)
{
	char dl[32], inst[32];

	plan_report_size(r->download, dl, sizeof dl);
	plan_report_size((unsigned long long)(r->installed_change < 0 ? -r->installed_change :
								   r->installed_change),
			 inst, sizeof inst);
	fprintf(f, "download %s, disk space %s%s", dl, r->installed_change < 0 ? "-" : "+", inst);
}

static void text_problems(FILE *f, const struct out *o, const struct plan_result *r)
{
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
}

static void text_transaction(FILE *f, const struct out *o, const struct plan_result *r)
{
	char dl[32];

	fprintf(f, "packages to ask for (%zu):", r->nexplicit);
	text_explicit(f, r);
	fputc('\n', f);
	text_counts(f, r);
	fputc('\n', f);
	for (size_t i = 0; i < r->nsteps; i++) {
		const struct plan_step *s = &r->steps[i];

		plan_report_size(s->download, dl, sizeof dl);
		fprintf(f, "  %-9s %s%s%s %s%s%s %s", plan_action_name(s->action),
			s->explicit_ ? out_on(o, OUT_BOLD) : "", s->name,
			s->explicit_ ? out_off(o) : "", s->from_version ? s->from_version : "",
			s->from_version ? " -> " : "", s->version, s->arch);
		if (s->download)
			fprintf(f, " (%s)", dl);
		fputc('\n', f);
	}
	text_sizes(f, r);
	fputc('\n', f);
}

/* Whether request RQ has a package that cannot be had. */
static bool unresolved(const struct plan_request *rq)
{
	for (size_t k = 0; k < rq->nchoices; k++)
		if (rq->choices[k].state == PLAN_MISSING || rq->choices[k].state == PLAN_VIRTUAL)
			return true;
	return false;
}

/* Whether the repository ID was added to the solve (--enable-repo). */
static bool in_solve(const struct plan_view *v, const char *id)
{
	for (size_t i = 0; i < v->nrepos; i++)
		if (!strcmp(v->repos[i].id, id))
			return true;
	return false;
}

/* Whether this machine's package manager lacks the component ID. */
static bool lacking(const struct plan_view *v, const char *id)
{
	for (size_t i = 0; i < v->nlacking; i++)
		if (!strcmp(v->lacking[i], id))
			return true;
	return false;
}

/* The repository of dependency I when its packages cannot be had here and
 * it was not added to the solve: another vendor's is then likely not
 * enabled; a component of the archive, when this machine lacks it (one it
 * has may lack the package all the same). NULL otherwise. */
static const struct reg_repository *needed_repository(const struct plan_view *v, size_t i)
{
	const struct reg_map *m = &v->maps->maps[i];

	if (v->verdict[i] != SELECT_IN || m->status != REG_MAPPED || !m->repository ||
	    (!m->repository->url && !lacking(v, m->repository->id)) || v->request_of[i] < 0 ||
	    !unresolved(&v->result->requests[v->request_of[i]]) || in_solve(v, m->repository->id))
		return NULL;
	return m->repository;
}

/* How to enable each repository whose packages are missing, once each. */
static void text_repositories(FILE *f, const struct out *o, const struct plan_view *v)
{
	for (size_t i = 0; i < v->project->ndeps; i++) {
		const struct reg_repository *r = needed_repository(v, i);
		bool seen = false;

		for (size_t k = 0; r && k < i && !seen; k++)
			seen = needed_repository(v, k) == r;
		if (r && !seen)
			report_text_enable(f, o, r, v->target, v->project->deps[i].url->id);
	}
}

/* "  plus NAME (ID): URL" for each repository added to the target's. */
static void text_added(FILE *f, const struct plan_view *v)
{
	for (size_t i = 0; i < v->nrepos; i++) {
		const struct eco_repo *r = &v->repos[i];

		fprintf(f, "  plus %s (%s)%s%s\n", r->name ? r->name : r->id, r->id,
			r->url ? ": " : "", r->url ? r->url : "");
	}
}

static bool skipped(const struct plan_view *v, size_t i)
{
	return v->verdict[i] == SELECT_SKIPPED || v->verdict[i] == SELECT_UNRESOLVED;
}

void plan_report_skipped(const struct plan_view *v, FILE *f)
{
	if (v->implied_skip_why)
		fprintf(f, "skipped the Python headers a compiler implies (PEP 725): %s\n",
			v->implied_skip_why);
	for (size_t i = 0; i < v->project->ndeps; i++) {
		const struct project_dep *dep = &v->project->deps[i];

		if (!skipped(v, i))
			continue;
		fprintf(f, "skipped %s%s%s [%s]: %s", dep->url->id, dep->url->version ? " " : "",
			dep->url->version ? dep->url->version : "", ed_stage_name(dep->stage),
			v->skip_why[i]);
		report_text_source(f, v->out, v->project, dep);
		fputc('\n', f);
	}
}

/* Whether dependency I of V cannot be resolved (unmapped, missing, virtual):
 * what -q keeps. */
static bool dep_unresolved(const struct plan_view *v, size_t i)
{
	const struct plan_request *rq;
	enum plan_state last;

	if (v->maps->maps[i].status != REG_MAPPED)
		return true;
	if (v->request_of[i] < 0)
		return false;
	rq = &v->result->requests[v->request_of[i]];
	last = rq->nchoices ? rq->choices[rq->nchoices - 1].state : PLAN_MISSING;
	return last == PLAN_MISSING || last == PLAN_VIRTUAL;
}

void plan_report_text(const struct plan_view *v)
{
	FILE *f = v->out->out;
	const struct out *o = v->out;
	const struct plan_result *r = v->result;
	bool quiet = o->verbosity < 0;

	if (!quiet) {
		fprintf(f, "%s%s%s%s (%s)%s with %s\n", out_on(o, OUT_BOLD), v->target->eco->id,
			v->target->release ? " " : "", v->target->release ? v->target->release : "",
			v->arch, out_off(o), v->this_machine ? "this machine's installed packages" :
				"nothing installed (not this machine)");
		text_added(f, v);
	}
	for (size_t i = 0; i < v->project->ndeps; i++) {
		const struct project_dep *dep = &v->project->deps[i];

		/* quiet: what cannot be resolved, and what was skipped */
		if ((v->verdict[i] != SELECT_IN && !skipped(v, i)) ||
		    (quiet && !skipped(v, i) && !dep_unresolved(v, i)))
			continue;
		fprintf(f, "  %s%s%s [%s]: ", dep->url->id, dep->url->version ? " " : "",
			dep->url->version ? dep->url->version : "", ed_stage_name(dep->stage));
		if (skipped(v, i)) {
			fprintf(f, "%sskipped%s: %s", out_on(o, OUT_YELLOW), out_off(o),
				v->skip_why[i]);
		} else if (v->request_of[i] >= 0 && v->maps->maps[i].status == REG_MAPPED) {
			text_choices(f, o, &r->requests[v->request_of[i]]);
			report_text_repository(f, o, &v->maps->maps[i]);
			report_text_version(f, o, dep, &v->maps->maps[i], v->target, true);
		} else
			report_text_unmapped(f, o, &v->maps->maps[i], v->target);
		report_text_source(f, o, v->project, dep);
		fputc('\n', f);
	}
	if (v->implied_request >= 0 && !quiet) {
		fputs("  implied by a compiler (PEP 725): ", f);
		text_choices(f, o, &r->requests[v->implied_request]);
		fputc('\n', f);
	} else if (v->implied_skip_why) {
		fprintf(f, "  implied by a compiler (PEP 725): %sskipped%s: %s\n",
			out_on(o, OUT_YELLOW), out_off(o), v->implied_skip_why);
	}
	if (!quiet)
		text_repositories(f, o, v);
	text_problems(f, o, r);
	if (r->nproblems)
		return;
	if (r->nunresolved)
		fprintf(f, "%s%zu %s not be resolved%s\n", out_on(o, OUT_RED), r->nunresolved,
			r->nunresolved == 1 ? "dependency can" : "dependencies can", out_off(o));
	/* quiet: only what cannot be resolved */
	if (quiet)
		return;
	if (!r->nsteps) {
		fputs("nothing to install\n", f);
		return;
	}
	text_transaction(f, o, r);
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

static void json_target(struct json *j, const struct plan_view *v)
{
	json_key(j, "target");
	json_object_begin(j);
	json_kv_string(j, "ecosystem", v->target->eco->id);
	json_kv_string(j, "release", v->target->release);
	json_kv_string(j, "arch", v->arch);
	json_kv_string(j, "backend", v->backend);
	json_kv_bool(j, "this_machine", v->this_machine);
	json_kv_string(j, "python", v->python);
	json_key(j, "repositories");
	json_array_begin(j);
	for (size_t i = 0; i < v->nrepos; i++) {
		json_object_begin(j);
		json_kv_string(j, "id", v->repos[i].id);
		json_kv_string(j, "name", v->repos[i].name);
		json_kv_string(j, "component", v->repos[i].component);
		json_kv_string(j, "url", v->repos[i].url);
		json_object_end(j);
	}
	json_array_end(j);
	json_object_end(j);
}

static void json_dependencies(struct json *j, const struct plan_view *v)
{
	const struct plan_result *r = v->result;

	json_key(j, "dependencies");
	json_array_begin(j);
	for (size_t i = 0; i < v->project->ndeps; i++) {
		const struct reg_map *m = &v->maps->maps[i];

		if (v->verdict[i] != SELECT_IN)
			continue;
		json_object_begin(j);
		report_json_dep(j, &v->project->deps[i]);
		if (m->status == REG_MAPPED && v->request_of[i] >= 0) {
			json_kv_string(j, "status", request_status(&r->requests[v->request_of[i]]));
			report_json_version(j, &v->project->deps[i], m, true);
			report_json_repository(j, m, v->target);
			json_choices(j, &r->requests[v->request_of[i]]);
		} else {
			json_kv_string(j, "status", reg_status_name(m->status));
			if (m->reason)
				json_kv_string(j, "message", m->reason);
		}
		report_json_source(j, v->project->deps[i].file, v->project->deps[i].line,
				   v->project->deps[i].col);
		json_object_end(j);
	}
	json_array_end(j);
	json_key(j, "skipped");
	json_array_begin(j);
	for (size_t i = 0; i < v->project->ndeps; i++) {
		if (!skipped(v, i))
			continue;
		json_object_begin(j);
		report_json_dep(j, &v->project->deps[i]);
		json_kv_string(j, "reason", v->verdict[i] == SELECT_SKIPPED ? "skip" : "unresolved");
		json_kv_string(j, "message", v->skip_why[i]);
		report_json_source(j, v->project->deps[i].file, v->project->deps[i].line,
				   v->project->deps[i].col);
		json_object_end(j);
	}
	json_array_end(j);
	json_key(j, "implied");
	if (v->implied_request >= 0) {
		json_object_begin(j);
		json_kv_string(j, "status", request_status(&r->requests[v->implied_request]));
		json_choices(j, &r->requests[v->implied_request]);
		json_object_end(j);
	} else if (v->implied_skip_why) {
		json_object_begin(j);
		json_kv_string(j, "status", "skipped");
		json_kv_string(j, "message", v->implied_skip_why);
		json_key(j, "packages");
		json_array_begin(j);
		json_array_end(j);
		json_object_end(j);
	} else {
		json_null(j);
	}
}

static void json_transaction(struct json *j, const struct plan_result *r)
{
	json_key(j, "explicit");
	json_array_begin(j);
	for (size_t i = 0; i < r->nexplicit; i++) {
		json_object_begin(j);
		json_kv_string(j, "name", r->explicit_[i]);
		json_kv_string(j, "version", r->explicit_version[i]);
		json_object_end(j);
	}
	json_array_end(j);
	json_key(j, "transaction");
	json_array_begin(j);
	for (size_t i = 0; i < r->nsteps; i++) {
		const struct plan_step *s = &r->steps[i];

		json_object_begin(j);
		json_kv_string(j, "action", plan_action_name(s->action));
		json_kv_string(j, "name", s->name);
		json_kv_string(j, "version", s->version);
		json_kv_string(j, "from_version", s->from_version);
		json_kv_string(j, "arch", s->arch);
		json_kv_bool(j, "explicit", s->explicit_);
		json_kv_int(j, "download_size", (long long)s->download);
		json_kv_int(j, "installed_size", (long long)s->installed);
		json_object_end(j);
	}
	json_array_end(j);
	json_kv_int(j, "download_size", (long long)r->download);
	json_kv_int(j, "installed_size_change", r->installed_change);
}

static void json_problems(struct json *j, const struct plan_result *r)
{
	json_key(j, "problems");
	json_array_begin(j);
	for (size_t i = 0; i < r->nproblems; i++) {
		const struct plan_problem *pr = &r->problems[i];

		json_object_begin(j);
		json_kv_string(j, "message", pr->message);
		json_kv_strv(j, "depurls", (const char *const *)pr->labels, pr->nlabels);
		json_kv_strv(j, "rules", (const char *const *)pr->details, pr->ndetails);
		json_kv_strv(j, "solutions", (const char *const *)pr->solutions, pr->nsolutions);
		json_object_end(j);
	}
	json_array_end(j);
}

void plan_report_json(const struct plan_view *v)
{
	struct json j;

	json_init(&j, v->out->out);
	json_object_begin(&j);
	json_kv_int(&j, "schema_version", PLAN_SCHEMA_VERSION);
	report_json_project(&j, v->project);
	json_target(&j, v);
	json_dependencies(&j, v);
	json_transaction(&j, v->result);
	json_key(&j, "command");
	if (v->argv) {
		json_array_begin(&j);
		for (size_t i = 0; v->argv[i]; i++)
			json_string(&j, v->argv[i]);
		json_array_end(&j);
	} else {
		json_null(&j);
	}
	json_kv_bool(&j, "needs_root", v->needs_root);
	json_problems(&j, v->result);
	json_object_end(&j);
	json_end(&j);
}

/* --- sh --- */

/* A comment line: no newline may end it early. */
static void sh_comment(FILE *f, const char *s)
{
	fputs("# ", f);
	for (; *s; s++)
		fputc(*s == '\n' || *s == '\r' ? ' ' : *s, f);
	fputc('\n', f);
}

/* A dependency as a comment names it: its DepURL, and where it was
 * written when the plan is several projects'. */
static void dep_label(const struct plan_view *v, const struct project_dep *dep, char *buf,
		     size_t size)
{
	if (v->project->nmembers)
		snprintf(buf, size, "%s (%s:%d:%d)", dep->url->id, dep->file, dep->line, dep->col);
	else
		snprintf(buf, size, "%s", dep->url->id);
}

/* The implied Python headers --skip-unresolved left out, as a comment. */
static void sh_implied_skipped(FILE *f, const struct plan_view *v)
{
	char line[1024];

	if (!v->implied_skip_why)
		return;
	snprintf(line, sizeof line, "implied by a compiler (PEP 725): skipped (%s)",
		 v->implied_skip_why);
	sh_comment(f, line);
}

/* ARGV quoted for the shell, one line. */
static void sh_argv(FILE *f, char *const *argv)
{
	for (size_t i = 0; argv[i]; i++) {
		fputs(i ? " " : "", f);
		report_sh_quote(f, argv[i]);
	}
	fputc('\n', f);
}

void plan_report_sh(const struct plan_view *v)
{
	FILE *f = v->out->out;
	const struct plan_result *r = v->result;
	char line[1024];

	fputs("#!/bin/sh\n", f);
	snprintf(line, sizeof line, "extdeps plan for %s: %s%s%s (%s)", v->project->path, v->target->eco->id,
		 v->target->release ? " " : "", v->target->release ? v->target->release : "", v->arch);
	sh_comment(f, line);
	for (size_t i = 0; i < v->project->ndeps; i++) {
		const struct project_dep *dep = &v->project->deps[i];
		const struct reg_map *m = &v->maps->maps[i];

		char label[512];

		dep_label(v, dep, label, sizeof label);
		if (skipped(v, i)) {
			snprintf(line, sizeof line, "%s: skipped (%s)", label, v->skip_why[i]);
			sh_comment(f, line);
			continue;
		}
		if (v->verdict[i] != SELECT_IN)
			continue;
		if (m->status != REG_MAPPED || v->request_of[i] < 0) {
			snprintf(line, sizeof line, "%s: %s, not installed by this script", label,
				 reg_status_name(m->status));
			sh_comment(f, line);
			continue;
		}
		for (size_t k = 0; k < r->requests[v->request_of[i]].nchoices; k++) {
			const struct plan_choice *c = &r->requests[v->request_of[i]].choices[k];

			snprintf(line, sizeof line, "%s: %s (%s)", label,
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
	sh_implied_skipped(f, v);
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
	for (const char *const *e = v->install_env; e && *e; e++)
		fprintf(f, "%s\nexport %.*s\n", *e, (int)strcspn(*e, "="), *e);
	if (v->refresh && v->refresh_sh) {
		/* a fresh container has no metadata to install from */
		fprintf(f, "if %s; then\n\t", v->refresh_sh);
		sh_argv(f, (char *const *)v->refresh);
		fputs("fi\n", f);
	}
	sh_argv(f, v->argv);
}

void plan_report_shell(const struct plan_view *v, char *const *shell_argv)
{
	FILE *f = v->out->out;
	size_t n = 0;

	for (size_t i = 0; i < v->project->ndeps; i++) {
		char line[1024], label[512];

		if (!skipped(v, i))
			continue;
		dep_label(v, &v->project->deps[i], label, sizeof label);
		snprintf(line, sizeof line, "%s: skipped (%s)", label, v->skip_why[i]);
		sh_comment(f, line);
	}
	sh_implied_skipped(f, v);
	if (!shell_argv) {
		fputs(v->result->nproblems ? "# unresolved: see --format=text\n" : "# nothing to install\n", f);
		return;
	}
	while (shell_argv[n])
		n++;
	/* the command's own words as they are, the packages (the last
	 * nexplicit words) quoted */
	for (size_t i = 0; i < n; i++) {
		fputs(i ? " " : "", f);
		if (i + v->result->nexplicit >= n)
			report_sh_quote(f, shell_argv[i]);
		else
			fputs(shell_argv[i], f);
	}
	fputc('\n', f);
}

/* --- install --- */

void plan_report_summary(const struct plan_view *v)
{
	FILE *f = v->out->out;
	const struct plan_result *r = v->result;
	const struct reg_target *t = v->target;

	fprintf(f, "%s%s%s (%s): %zu %s to ask for:", t->eco->id, t->release ? " " : "",
		t->release ? t->release : "", v->arch, r->nexplicit,
		r->nexplicit == 1 ? "package" : "packages");
	text_explicit(f, r);
	fputc('\n', f);
	text_counts(f, r);
	fputs("; ", f);
	text_sizes(f, r);
	fputc('\n', f);
}

static void print_choice_problems(FILE *f, const char *label, const struct plan_request *rq)
{
	for (size_t k = 0; k < rq->nchoices; k++) {
		const struct plan_choice *c = &rq->choices[k];

		if (c->state != PLAN_MISSING && c->state != PLAN_VIRTUAL)
			continue;
		fprintf(f, "  %s: %s: %s", label, plan_state_name(c->state), c->why);
		for (size_t i = 0; i < c->nproviders; i++)
			fprintf(f, "%s%s", i ? ", " : " (", c->providers[i]);
		fputs(c->nproviders ? ")\n" : "\n", f);
	}
}

/* What stops the install, on stderr: each dependency not resolved, and
 * the solver's problems. */
void plan_report_unresolved(const struct plan_view *v)
{
	FILE *f = v->out->err;
	const struct plan_result *r = v->result;
	size_t n = r->nunresolved > v->maps->nunmet ? r->nunresolved : v->maps->nunmet;

	if (n)
		out_error(v->out, "not installing: %zu %s", n,
			  n == 1 ? "dependency cannot be resolved" : "dependencies cannot be resolved");
	else
		out_error(v->out, "not installing: the plan has %zu %s", r->nproblems,
			  r->nproblems == 1 ? "problem" : "problems");
	for (size_t i = 0; i < v->project->ndeps; i++) {
		const struct reg_map *m = &v->maps->maps[i];
		char id[512];

		if (v->verdict[i] != SELECT_IN)
			continue;
		dep_label(v, &v->project->deps[i], id, sizeof id);
		switch (m->status) {
		case REG_MAPPED:
			if (v->request_of[i] >= 0)
				print_choice_problems(f, id, &r->requests[v->request_of[i]]);
			break;
		case REG_UNAVAILABLE:
			fprintf(f, "  %s: not available: %s\n", id, m->reason);
			break;
		case REG_UNMAPPED:
			fprintf(f, "  %s: not mapped for %s yet\n", id, v->target->eco->id);
			break;
		case REG_UNKNOWN:
			fprintf(f, "  %s: unknown DepURL%s%s%s\n", id,
				m->suggestion ? "; did you mean '" : "",
				m->suggestion ? m->suggestion : "", m->suggestion ? "'?" : "");
			break;
		}
	}
	if (v->implied_request >= 0)
		print_choice_problems(f, "implied by a compiler (PEP 725)",
				      &r->requests[v->implied_request]);
	for (size_t i = 0; i < r->nproblems; i++) {
		const struct plan_problem *p = &r->problems[i];

		fprintf(f, "  problem %zu: %s\n", i + 1, p->message);
		for (size_t k = 0; k < p->nsolutions; k++)
			fprintf(f, "    solution %zu: %s\n", k + 1, p->solutions[k]);
	}
	text_repositories(f, v->out, v);
	fputs("see 'extdeps plan' for the whole plan\n", f);
}
