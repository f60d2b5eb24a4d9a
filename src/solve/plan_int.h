/* plan_int.h - what the planner's source files share: the plan's private
 * layout and a few helpers on solvables. Not installed; nothing outside
 * src/solve/ includes it.
 *
 * The files, each calling only plan.c and those above it in this list:
 *   plan.c          the plan object: its lifetime, the pool's restriction
 *   plan_request.c  requests in: specs, and the relations of their versions
 *   plan_choose.c   the explicit packages, chosen with apt's rules, as jobs
 *   plan_result.c   the result out of the solver: transaction, pins, problems
 *   plan_explain.c  why a package is in the transaction
 *   plan_refine.c   the solves again towards apt's choices
 *   apt_order.c     what apt-get install marks, in its order
 *   plan_solve.c    plan_solve: choose, solve (pruned), refine, collect
 */
#ifndef EXTDEPS_PLAN_INT_H
#define EXTDEPS_PLAN_INT_H

#include <stdbool.h>
#include <stddef.h>

#include <solv/bitmap.h>
#include <solv/pool.h>
#include <solv/queue.h>
#include <solv/solver.h>
#include <solv/transaction.h>

#include "extdeps/solve/plan.h"

/* One spec as given to plan_add_*: alternatives, each with the relations its
 * version clauses became. */
struct in_alt {
	char *name;
	Id dep; /* name, or name with the clauses joined by REL_WITH */
	bool versioned;
	/* a version the package manager cannot be told (no constraint
	 * template): candidates are kept by their upstream versions */
	const struct pep440_spec *want;
};

struct in_spec {
	struct in_alt *alts;
	size_t nalts;
};

struct in_request {
	struct in_spec *specs;
	size_t nspecs, specs_alloc;
};

struct plan {
	Pool *pool;
	const struct eco_ops *eco;
	struct plan_result r;
	size_t requests_alloc;
	struct in_request *in; /* parallel to r.requests */
	size_t in_alloc;
	size_t explicit_version_alloc;
	Solver *solv;
	Transaction *trans;
	Queue job;
	Queue job_request; /* for each job (pair), the request it serves; -1: none */
	Map considered;    /* pool->considered while pruned */
	/* Debian pools, once refined: for each package apt_order.c marked, the
	 * package whose dependency WALK_DEP it meets (the reason a plan
	 * gives); 0 for the packages asked for. NULL otherwise. */
	Id *walk_parent, *walk_dep;
	bool pruned;
	bool solved;
};

static inline bool plan_is_installed(const Pool *pool, const Solvable *s)
{
	return pool->installed && s->repo == pool->installed;
}

/* The version of solvable P as the backend spells it (conda's, say), else
 * the pool's evr. Borrowed: the pool's or the backend's string. */
const char *plan_version_of(struct plan *pl, Id p);

/* The architecture of solvable P as the backend names it (a conda subdir,
 * say), else the pool's. Borrowed, as plan_version_of. */
const char *plan_arch_of(struct plan *pl, Id p);

/* The request a rule comes from, when it is a job rule; -1 otherwise. */
int plan_rule_request(struct plan *pl, Id rid);

/* Give the pool back whole, when pruned: its whatprovides index is freed,
 * for whoever needs it next to rebuild. */
void plan_unprune(struct plan *pl);

/* plan_choose.c: a choice for every spec of every mapped request (up to its
 * first missing or virtual one), with the job of each chosen package in
 * pl->job. -1 when out of memory. */
int plan_choose_all(struct plan *pl);

/* plan_result.c: the problems of a failed solve; the explicit packages and
 * their pins (from pl->r's choices; pins only once pl->trans is set); the
 * transaction, ordered. Each -1 when out of memory. */
int plan_collect_problems(struct plan *pl);
int plan_collect_explicit(struct plan *pl);
int plan_collect_transaction(struct plan *pl);

/* apt_order.c: weak install jobs into JOBS for the packages `apt-get
 * install` would mark for the install jobs of PL, in apt's order; CHOSEN,
 * the packages of PL's first solution, decides among several providers.
 * Sets PL->walk_parent and walk_dep. */
void plan_apt_order(struct plan *pl, const Map *chosen, Queue *jobs);

/* plan_refine.c: on Debian pools, solve again for what apt marks, then
 * upgrade by source package, keeping each solution that has no problem;
 * other pools keep the first solution. Needs pl->solv solved without
 * problems, and pl->trans. */
void plan_refine(struct plan *pl);

#endif
