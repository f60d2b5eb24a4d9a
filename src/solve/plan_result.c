/* plan_result.c - the result out of the solver: the problems of a failed
 * solve, the explicit packages with their pins, the ordered transaction. */
#include "extdeps/solve/plan.h"

#include <stdlib.h>
#include <string.h>

#include <solv/evr.h>
#include <solv/pool.h>
#include <solv/queue.h>
#include <solv/rules.h>
#include <solv/solver.h>
#include <solv/solverdebug.h>
#include <solv/transaction.h>

#include "extdeps/util/strbuf.h"
#include "extdeps/util/util.h"
#include "plan_int.h"

static bool strv_has(char *const *list, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(list[i], s))
			return true;
	return false;
}

/* Append S to LIST unless it is there already; false when out of memory. */
static bool strv_push_once(char ***list, size_t *n, const char *s)
{
	return strv_has(*list, *n, s) || util_strv_push(list, n, s);
}

/* --- problems --- */

/* The rules of problem PR into P: each rule's text once (job rules are said
 * by the labels), and the requests whose jobs are involved. */
static int problem_rules(struct plan *pl, Id pr, struct plan_problem *p)
{
	Queue rules;
	int rc = 0;

	queue_init(&rules);
	solver_findallproblemrules(pl->solv, pr, &rules);
	for (int i = 0; i < rules.count && !rc; i++) {
		Id s, t, dep, rid = rules.elements[i];
		SolverRuleinfo type = solver_ruleinfo(pl->solv, rid, &s, &t, &dep);
		int req = plan_rule_request(pl, rid);

		if (type != SOLVER_RULE_JOB &&
		    !strv_push_once(&p->details, &p->ndetails,
				    solver_problemruleinfo2str(pl->solv, type, s, t, dep)))
			rc = -1;
		if (!rc && req >= 0 &&
		    !strv_push_once(&p->labels, &p->nlabels, pl->r.requests[req].label))
			rc = -1;
	}
	queue_free(&rules);
	return rc;
}

/* Solution SOL of problem PR in one line: its elements, each naming the
 * request whose job it changes. NULL when out of memory. */
static char *solution_text(struct plan *pl, Id pr, Id sol)
{
	struct strbuf b = STRBUF_INIT;
	const Queue *jr = &pl->job_request;
	Id el = 0, sp, rp;

	while ((el = solver_next_solutionelement(pl->solv, pr, sol, el, &sp, &rp))) {
		if (b.len)
			strbuf_addstr(&b, "; ");
		strbuf_addstr(&b, solver_solutionelement2str(pl->solv, sp, rp));
		if (sp == SOLVER_SOLUTION_JOB && jr->count > rp / 2 && jr->elements[rp / 2] >= 0)
			strbuf_addf(&b, " (%s)", pl->r.requests[jr->elements[rp / 2]].label);
	}
	return strbuf_detach(&b);
}

static int problem_solutions(struct plan *pl, Id pr, struct plan_problem *p)
{
	Id sol = 0;

	while ((sol = solver_next_solution(pl->solv, pr, sol))) {
		char *line = solution_text(pl, pr, sol);
		bool ok = line && util_strv_push(&p->solutions, &p->nsolutions, line);

		free(line);
		if (!ok)
			return -1;
	}
	return 0;
}

int plan_collect_problems(struct plan *pl)
{
	struct plan_result *r = &pl->r;
	int n = solver_problem_count(pl->solv);

	if (!(r->problems = calloc((size_t)n, sizeof *r->problems)))
		return -1;
	for (Id pr = 1; pr <= n; pr++) {
		struct plan_problem *p = &r->problems[r->nproblems++];

		if (!(p->message = util_strdup(solver_problem2str(pl->solv, pr))) ||
		    problem_rules(pl, pr, p) || problem_solutions(pl, pr, p))
			return -1;
	}
	return 0;
}

/* --- explicit packages --- */

/* The names to ask for: the packages chosen new or to upgrade, once each,
 * in request order; no pin yet. */
static int explicit_names(struct plan *pl)
{
	struct plan_result *r = &pl->r;

	for (size_t i = 0; i < r->nrequests; i++)
		for (size_t k = 0; k < r->requests[i].nchoices; k++) {
			const struct plan_choice *c = &r->requests[i].choices[k];

			if ((c->state != PLAN_NEW && c->state != PLAN_UPGRADE) ||
			    strv_has(r->explicit_, r->nexplicit, c->name))
				continue;
			/* the pin's slot first: both lists have nexplicit entries */
			if (!ALLOC_GROW(r->explicit_version, r->nexplicit + 1,
					pl->explicit_version_alloc))
				return -1;
			r->explicit_version[r->nexplicit] = NULL;
			if (!util_strv_push(&r->explicit_, &r->nexplicit, c->name))
				return -1;
		}
	return 0;
}

/* Of the available packages NAME: the one the solution installs (*CHOSEN)
 * and the candidate, the newest (*CAND); 0 for none. */
static void chosen_and_candidate(struct plan *pl, Id name, Id *chosen, Id *cand)
{
	Pool *pool = pl->pool;
	Id p, pp;

	*chosen = *cand = 0;
	FOR_PROVIDES(p, pp, name)
	{
		Solvable *s = pool->solvables + p;

		if (s->name != name || plan_is_installed(pool, s) || !pool_installable(pool, s))
			continue;
		if (solver_get_decisionlevel(pl->solv, p) > 0)
			*chosen = p;
		if (!*cand || pool_evrcmp(pool, s->evr, pool->solvables[*cand].evr,
					  EVRCMP_COMPARE) > 0)
			*cand = p;
	}
}

/* Pins: the version chosen for an explicit package when the package
 * manager, asked for the bare name, would take another (the candidate does
 * not satisfy the constraint). */
static int explicit_pins(struct plan *pl)
{
	Pool *pool = pl->pool;
	struct plan_result *r = &pl->r;

	for (size_t i = 0; i < r->nexplicit; i++) {
		Id chosen, cand;

		chosen_and_candidate(pl, pool_str2id(pool, r->explicit_[i], 0), &chosen, &cand);
		if (chosen && cand && pool->solvables[chosen].evr != pool->solvables[cand].evr &&
		    !(r->explicit_version[i] = util_strdup(plan_version_of(pl, chosen))))
			return -1;
	}
	return 0;
}

int plan_collect_explicit(struct plan *pl)
{
	if (explicit_names(pl))
		return -1;
	return pl->trans ? explicit_pins(pl) : 0;
}

/* --- transaction --- */

/* The action of transaction step P into ST, counted in pl->r, with the
 * installed package it replaces in *OLD; false for a step that is none of
 * ours (the old half of an upgrade, a reinstall). */
static bool step_action(struct plan *pl, Id p, struct plan_step *st, Id *old)
{
	struct plan_result *r = &pl->r;
	Id type = transaction_type(pl->trans, p,
				   SOLVER_TRANSACTION_SHOW_ACTIVE | SOLVER_TRANSACTION_SHOW_ALL |
					   SOLVER_TRANSACTION_SHOW_OBSOLETES |
					   SOLVER_TRANSACTION_SHOW_MULTIINSTALL);

	*old = 0;
	switch (type) {
	case SOLVER_TRANSACTION_INSTALL:
	case SOLVER_TRANSACTION_MULTIINSTALL:
		st->action = PLAN_STEP_INSTALL;
		r->nnew++;
		return true;
	case SOLVER_TRANSACTION_UPGRADE:
	case SOLVER_TRANSACTION_CHANGE:
	case SOLVER_TRANSACTION_OBSOLETES:
		st->action = PLAN_STEP_UPGRADE;
		r->nupgrade++;
		*old = transaction_obs_pkg(pl->trans, p);
		return true;
	case SOLVER_TRANSACTION_DOWNGRADE:
		st->action = PLAN_STEP_DOWNGRADE;
		r->ndowngrade++;
		*old = transaction_obs_pkg(pl->trans, p);
		return true;
	case SOLVER_TRANSACTION_ERASE:
		st->action = PLAN_STEP_REMOVE;
		r->nremove++;
		return true;
	default:
		return false;
	}
}

static int step_names(struct plan *pl, struct plan_step *st, Id p, Id old)
{
	Pool *pool = pl->pool;
	const Solvable *s = pool->solvables + p;

	st->solvable = p;
	st->name = util_strdup(pool_id2str(pool, s->name));
	st->version = util_strdup(plan_version_of(pl, p));
	st->arch = util_strdup(plan_arch_of(pl, p));
	if (old)
		st->from_version = util_strdup(plan_version_of(pl, old));
	return !st->name || !st->version || !st->arch || (old && !st->from_version) ? -1 : 0;
}

/* The sizes of step ST (solvable P, replacing OLD), added to the totals. */
static void step_sizes(struct plan *pl, struct plan_step *st, Id p, Id old)
{
	Pool *pool = pl->pool;
	struct plan_result *r = &pl->r;
	Solvable *s = pool->solvables + p;

	st->installed = solvable_lookup_num(s, SOLVABLE_INSTALLSIZE, 0);
	if (st->action == PLAN_STEP_REMOVE) {
		r->installed_change -= (long long)st->installed;
		return;
	}
	st->download = solvable_lookup_num(s, SOLVABLE_DOWNLOADSIZE, 0);
	r->download += st->download;
	r->installed_change += (long long)st->installed;
	if (old)
		r->installed_change -= (long long)solvable_lookup_num(pool->solvables + old,
								      SOLVABLE_INSTALLSIZE, 0);
}

/* Steps by name, architecture, version, action: the order libsolv orders a
 * transaction in breaks ties by pool ids, which differ between a pool read
 * from the metadata and one read back from .solv caches, so that a plan
 * would print in another order on its second run. */
static int step_cmp(const void *a, const void *b)
{
	const struct plan_step *x = a, *y = b;
	int c;

	if ((c = strcmp(x->name, y->name)) || (c = strcmp(x->arch, y->arch)) ||
	    (c = strcmp(x->version, y->version)))
		return c;
	return (int)x->action - (int)y->action;
}

int plan_collect_transaction(struct plan *pl)
{
	struct plan_result *r = &pl->r;
	Queue *steps;

	transaction_order(pl->trans, 0);
	steps = &pl->trans->steps;
	if (!(r->steps = calloc((size_t)steps->count + 1, sizeof *r->steps)))
		return -1;
	for (int i = 0; i < steps->count; i++) {
		Id p = steps->elements[i], old;
		struct plan_step *st = &r->steps[r->nsteps];

		if (!step_action(pl, p, st, &old))
			continue;
		r->nsteps++;
		if (step_names(pl, st, p, old))
			return -1;
		step_sizes(pl, st, p, old);
		st->explicit_ = strv_has(r->explicit_, r->nexplicit, st->name);
	}
	qsort(r->steps, r->nsteps, sizeof *r->steps, step_cmp);
	return 0;
}
