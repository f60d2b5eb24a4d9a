/* plan_refine.c - the solves again towards apt's choices: on Debian pools
 * what apt-get install marks (apt_order.c), elsewhere, within the first
 * solution's closure, the first alternatives, real packages over virtual
 * ones and the candidate versions; then the upgrades by source package. */
#include "extdeps/solve/plan.h"

#include <stdbool.h>

#include <solv/bitmap.h>
#include <solv/evr.h>
#include <solv/knownid.h>
#include <solv/pool.h>
#include <solv/queue.h>
#include <solv/repo.h>
#include <solv/solver.h>
#include <solv/transaction.h>

#include "plan_int.h"

/* The first alternative of an "a | b | c" dependency, or 0 when DEP is not
 * one. */
static Id first_alternative(Pool *pool, Id dep)
{
	Id first = 0;

	while (ISRELDEP(dep)) {
		Reldep *rd = GETRELDEP(pool, dep);

		if (rd->flags != REL_OR)
			break;
		first = rd->name;
		dep = rd->name;
	}
	return first;
}

static bool provided_by_any(Pool *pool, Id dep, const Map *chosen)
{
	Id p, pp;

	FOR_PROVIDES(p, pp, dep)
	if (MAPTST(chosen, p))
		return true;
	return false;
}

/* The packages the solution installs or keeps. */
static void decided_map(struct plan *pl, Map *chosen)
{
	Queue q;

	map_init(chosen, pl->pool->nsolvables);
	queue_init(&q);
	solver_get_decisionqueue(pl->solv, &q);
	for (int i = 0; i < q.count; i++)
		if (q.elements[i] > 0)
			MAPSET(chosen, q.elements[i]);
	queue_free(&q);
}

/* Where the solution took an older version of P's name and arch than the
 * candidate (newest), a job for the candidate into JOBS. */
static void candidate_job(Pool *pool, Id p, Queue *jobs)
{
	const Solvable *s = pool->solvables + p;
	Id best = p, r, rr;

	FOR_PROVIDES(r, rr, s->name)
	{
		Solvable *o = pool->solvables + r;

		if (o->name == s->name && o->arch == s->arch && !plan_is_installed(pool, o) &&
		    pool_installable(pool, o) &&
		    pool_evrcmp(pool, o->evr, pool->solvables[best].evr, EVRCMP_COMPARE) > 0)
			best = r;
	}
	if (best != p)
		queue_push2(jobs, SOLVER_INSTALL | SOLVER_SOLVABLE, best);
}

/* The package name a dependency asks for: NAME, or NAME of "NAME (= V)"
 * and the other version relations; 0 for anything else ("a | b"). */
static Id dep_name(Pool *pool, Id dep)
{
	if (!ISRELDEP(dep))
		return dep;
	if (GETRELDEP(pool, dep)->flags >= 8) /* REL_AND, REL_OR ...: not a version */
		return 0;
	return GETRELDEP(pool, dep)->name;
}

/* The real packages named by DEP that meet it ("libavcodec59 (= V)" names
 * libavcodec59, not libavcodec-extra59 which provides it too), into REAL;
 * how many of them the solution (CHOSEN) has, into *NCHOSEN. */
static void real_of(Pool *pool, Id dep, const Map *chosen, Queue *real, int *nchosen)
{
	Id name = dep_name(pool, dep), r, rr;

	queue_empty(real);
	*nchosen = 0;
	if (!name)
		return;
	FOR_PROVIDES(r, rr, dep)
	if (pool->solvables[r].name == name) {
		queue_push(real, r);
		*nchosen += MAPTST(chosen, r) != 0;
	}
}

/* Whether an alternative of "a | b | c" dependency DEP is one of WANTED. */
static bool alternative_in(Pool *pool, Id dep, const Map *wanted)
{
	while (ISRELDEP(dep) && GETRELDEP(pool, dep)->flags == REL_OR) {
		if (provided_by_any(pool, GETRELDEP(pool, dep)->evr, wanted))
			return true;
		dep = GETRELDEP(pool, dep)->name;
	}
	return provided_by_any(pool, dep, wanted);
}

/* apt takes the real package a dependency names over a package that only
 * provides it. The real packages named by the requires of S go into
 * WANTED; where the solution (CHOSEN) took a provider instead, favours for
 * the real ones into EXTRA. DEPS and REAL are scratch space. */
static void real_jobs(Pool *pool, Solvable *s, const Map *chosen, Queue *deps, Queue *real,
		      Map *wanted, Queue *extra)
{
	solvable_lookup_deparray(s, SOLVABLE_REQUIRES, deps, -1);
	for (int k = 0; k < deps->count; k++) {
		Id dep = deps->elements[k];
		int nchosen;

		if (first_alternative(pool, dep))
			continue;
		real_of(pool, dep, chosen, real, &nchosen);
		for (int i = 0; i < real->count; i++)
			if (!nchosen || MAPTST(chosen, real->elements[i]))
				MAPSET(wanted, real->elements[i]);
		if (!real->count || nchosen || !provided_by_any(pool, dep, chosen))
			continue;
		/* one job each: a one-of set in the whatprovides index would not
		 * survive the index being rebuilt between the solves */
		for (int i = 0; i < real->count; i++)
			queue_push2(extra, SOLVER_FAVOR | SOLVER_SOLVABLE, real->elements[i]);
	}
}

/* Favours into EXTRA for the "a | b" requires of S whose first alternative
 * the solution (CHOSEN) passed over, unless another alternative is one apt
 * installs anyway (WANTED): apt then has the group satisfied. */
static void favour_jobs(Pool *pool, Solvable *s, const Map *chosen, const Map *wanted,
			Queue *deps, Queue *extra)
{
	solvable_lookup_deparray(s, SOLVABLE_REQUIRES, deps, -1);
	for (int k = 0; k < deps->count; k++) {
		Id dep = deps->elements[k], first = first_alternative(pool, dep);

		if (first && !provided_by_any(pool, first, chosen) && !alternative_in(pool, dep, wanted))
			queue_push2(extra, SOLVER_FAVOR | SOLVER_SOLVABLE_PROVIDES, first);
	}
}

/* Jobs that steer libsolv towards apt's choices inside the closure of the
 * first solution: for every package it installs, favour the first
 * alternative of each "a | b" dependency when another one was taken and a
 * real package over the virtual provider libsolv took for its name (EXTRA);
 * and ask for the candidate (newest) version of each new package where
 * libsolv took an older one to leave installed packages alone (NEWEST_JOBS):
 * apt installs candidates and upgrades what they need. */
static void refine_jobs(struct plan *pl, Queue *extra, Queue *newest_jobs)
{
	Pool *pool = pl->pool;
	Map chosen, wanted;
	Queue deps, real;

	decided_map(pl, &chosen);
	map_init(&wanted, pool->nsolvables);
	queue_init(&deps);
	queue_init(&real);
	for (int i = 0; i < pl->trans->steps.count; i++) {
		Id p = pl->trans->steps.elements[i];

		if (!plan_is_installed(pool, pool->solvables + p))
			real_jobs(pool, pool->solvables + p, &chosen, &deps, &real, &wanted, extra);
	}
	for (int i = 0; i < pl->trans->steps.count; i++) {
		Id p = pl->trans->steps.elements[i];

		if (plan_is_installed(pool, pool->solvables + p))
			continue;
		candidate_job(pool, p, newest_jobs);
		favour_jobs(pool, pool->solvables + p, &chosen, &wanted, &deps, extra);
	}
	queue_free(&real);
	queue_free(&deps);
	map_free(&wanted);
	map_free(&chosen);
}

/* Solve again with EXTRA jobs added; keep that solution when there is one.
 * Returns 0 when it was kept. The same solver solves again: libsolv keeps
 * its package rules, built for the first solution, and adds only those of
 * packages the new jobs bring in, which saves most of a solve. */
static int resolve(struct plan *pl, const Queue *extra)
{
	Queue job;

	queue_init_clone(&job, &pl->job);
	queue_insertn(&job, job.count, extra->count, extra->elements);
	if (solver_solve(pl->solv, &job)) {
		/* the solver holds the failed attempt: back to the solution */
		solver_solve(pl->solv, &pl->job);
		queue_free(&job);
		return -1;
	}
	/* the extra jobs serve no request */
	transaction_free(pl->trans);
	pl->trans = solver_create_transaction(pl->solv);
	queue_free(&pl->job);
	pl->job = job;
	for (int k = 0; k < extra->count; k += 2)
		queue_push(&pl->job_request, -1);
	return 0;
}

/* The source package of S, as apt sees it: absent keys mean the binary's
 * own name and version. */
static void source_of(const Solvable *s, Id *name, Id *evr)
{
	Solvable *m = (Solvable *)s;

	*name = solvable_lookup_id(m, SOLVABLE_SOURCENAME);
	*evr = solvable_lookup_id(m, SOLVABLE_SOURCEEVR);
	if (!*name)
		*name = s->name;
	if (!*evr)
		*evr = s->evr;
}

/* An available package of INST's name and arch, newer than INST, built from
 * source SRC at SRCEVR, that the solution leaves out; or 0. */
static Id same_source_update(struct plan *pl, const Solvable *inst, Id src, Id srcevr)
{
	Pool *pool = pl->pool;
	Id r, rr;

	FOR_PROVIDES(r, rr, inst->name)
	{
		const Solvable *c = pool->solvables + r;
		Id csrc, cevr;

		if (c->name != inst->name || plan_is_installed(pool, c) || c->arch != inst->arch ||
		    solver_get_decisionlevel(pl->solv, r) > 0)
			continue;
		source_of(c, &csrc, &cevr);
		if (csrc == src && cevr == srcevr &&
		    pool_evrcmp(pool, c->evr, inst->evr, EVRCMP_COMPARE) > 0)
			return r;
	}
	return 0;
}

/* apt upgrades the other installed binaries of a source package along with
 * one it installs or upgrades, to the same source version
 * (Upgrade-By-Source-Package): jobs for those of UP (new or an upgrade in
 * the transaction) into JOBS. */
static void same_source_jobs(struct plan *pl, const Solvable *up, Queue *jobs)
{
	Pool *pool = pl->pool;
	Id src, srcevr, p;
	Solvable *inst;

	source_of(up, &src, &srcevr);
	FOR_REPO_SOLVABLES(pool->installed, p, inst)
	{
		Id isrc, ievr, r;

		if (inst->name == up->name)
			continue;
		source_of(inst, &isrc, &ievr);
		if (isrc != src || ievr == srcevr)
			continue;
		if ((r = same_source_update(pl, inst, src, srcevr)))
			queue_push2(jobs, SOLVER_INSTALL | SOLVER_SOLVABLE, r);
	}
}

/* Solve again while upgrades in the transaction leave binaries of their
 * source behind (see same_source_jobs); Debian pools only. */
static void upgrade_by_source(struct plan *pl)
{
	Pool *pool = pl->pool;
	Queue jobs;

	if (pool->disttype != DISTTYPE_DEB || !pool->installed)
		return;
	queue_init(&jobs);
	/* each pass can only add upgrades; a few passes reach the end */
	for (int pass = 0; pass < 4; pass++) {
		queue_empty(&jobs);
		for (int i = 0; i < pl->trans->steps.count; i++) {
			Id p = pl->trans->steps.elements[i];

			if (!plan_is_installed(pool, pool->solvables + p))
				same_source_jobs(pl, pool->solvables + p, &jobs);
		}
		if (!jobs.count || resolve(pl, &jobs))
			break;
	}
	queue_free(&jobs);
}

/* Debian pools: solve again for what apt-get install would mark (see
 * apt_order.c). Returns 0 when that solution was kept. */
static int apt_order(struct plan *pl)
{
	Map chosen;
	Queue jobs;
	int r = -1;

	if (pl->pool->disttype != DISTTYPE_DEB)
		return -1;
	decided_map(pl, &chosen);
	queue_init(&jobs);
	plan_apt_order(pl, &chosen, &jobs);
	if (jobs.count)
		r = resolve(pl, &jobs);
	queue_free(&jobs);
	map_free(&chosen);
	return r;
}

void plan_refine(struct plan *pl)
{
	Queue extra, newest_jobs;

	if (!apt_order(pl)) {
		upgrade_by_source(pl);
		return;
	}
	queue_init(&extra);
	queue_init(&newest_jobs);
	refine_jobs(pl, &extra, &newest_jobs);
	/* with the candidates if they can be had, else with the favours alone */
	if (newest_jobs.count) {
		queue_insertn(&newest_jobs, 0, extra.count, extra.elements);
		if (!resolve(pl, &newest_jobs))
			extra.count = 0;
	}
	if (extra.count)
		resolve(pl, &extra);
	queue_free(&newest_jobs);
	queue_free(&extra);
	upgrade_by_source(pl);
}
