/* plan.c - the plan object: its lifetime, the pool's restriction, and the
 * helpers the planner's files share (plan_int.h). */
#include "extdeps/solve/plan.h"

#include <stdlib.h>

#include <solv/bitmap.h>
#include <solv/pool.h>
#include <solv/queue.h>
#include <solv/rules.h>
#include <solv/solver.h>
#include <solv/transaction.h>

#include "extdeps/util/util.h"
#include "plan_int.h"

const char *plan_state_name(enum plan_state s)
{
	static const char *const names[] = { "installed", "new", "upgrade", "missing", "virtual" };
	return names[s];
}

const char *plan_action_name(enum plan_action a)
{
	static const char *const names[] = { "install", "upgrade", "downgrade", "remove" };
	return names[a];
}

struct plan *plan_new(Pool *pool, const struct eco_ops *eco)
{
	struct plan *pl = calloc(1, sizeof *pl);

	if (!pl)
		return NULL;
	pl->pool = pool;
	pl->eco = eco;
	queue_init(&pl->job);
	queue_init(&pl->job_request);
	return pl;
}

static void choice_fini(struct plan_choice *c)
{
	free(c->spec);
	free(c->name);
	free(c->version);
	free(c->why);
	util_strv_free(c->providers, c->nproviders);
}

static void request_fini(struct plan_request *rq, struct in_request *in)
{
	for (size_t k = 0; k < rq->nchoices; k++)
		choice_fini(&rq->choices[k]);
	free(rq->choices);
	free(rq->label);
	for (size_t k = 0; k < in->nspecs; k++) {
		for (size_t a = 0; a < in->specs[k].nalts; a++)
			free(in->specs[k].alts[a].name);
		free(in->specs[k].alts);
	}
	free(in->specs);
}

static void step_fini(struct plan_step *st)
{
	free(st->name);
	free(st->version);
	free(st->arch);
	free(st->from_version);
}

static void problem_fini(struct plan_problem *p)
{
	free(p->message);
	util_strv_free(p->details, p->ndetails);
	util_strv_free(p->solutions, p->nsolutions);
	util_strv_free(p->labels, p->nlabels);
}

void plan_free(struct plan *pl)
{
	struct plan_result *r;

	if (!pl)
		return;
	r = &pl->r;
	for (size_t i = 0; i < r->nrequests; i++)
		request_fini(&r->requests[i], &pl->in[i]);
	free(r->requests);
	free(pl->in);
	util_strv_free(r->explicit_, r->nexplicit);
	util_strv_free(r->explicit_version, r->nexplicit);
	for (size_t i = 0; i < r->nsteps; i++)
		step_fini(&r->steps[i]);
	free(r->steps);
	for (size_t i = 0; i < r->nproblems; i++)
		problem_fini(&r->problems[i]);
	free(r->problems);
	if (pl->trans)
		transaction_free(pl->trans);
	if (pl->solv)
		solver_free(pl->solv);
	plan_unprune(pl);
	solv_free(pl->walk_parent);
	solv_free(pl->walk_dep);
	queue_free(&pl->job);
	queue_free(&pl->job_request);
	free(pl);
}

const struct plan_result *plan_result(const struct plan *pl)
{
	return &pl->r;
}

void plan_unprune(struct plan *pl)
{
	if (!pl->pruned)
		return;
	pl->pool->considered = NULL;
	pool_freewhatprovides(pl->pool);
	map_free(&pl->considered);
	pl->pruned = false;
}

const char *plan_version_of(struct plan *pl, Id p)
{
	const char *v = pl->eco && pl->eco->solvable_version ?
				pl->eco->solvable_version(pl->pool, p) : NULL;
	return v ? v : pool_id2str(pl->pool, pl->pool->solvables[p].evr);
}

const char *plan_arch_of(struct plan *pl, Id p)
{
	const char *a = pl->eco && pl->eco->solvable_arch ?
				pl->eco->solvable_arch(pl->pool, p) : NULL;
	return a ? a : pool_id2str(pl->pool, pl->pool->solvables[p].arch);
}

int plan_rule_request(struct plan *pl, Id rid)
{
	int j;

	if (solver_ruleclass(pl->solv, rid) != SOLVER_RULE_JOB)
		return -1;
	j = solver_rule2jobidx(pl->solv, rid) / 2;
	return j >= 0 && j < pl->job_request.count ? pl->job_request.elements[j] : -1;
}
