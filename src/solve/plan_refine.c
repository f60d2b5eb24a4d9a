/* plan_refine.c - on Debian pools, the solves again towards apt's choices:
 * what apt-get install marks (apt_order.c), then the upgrades by source
 * package. */
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
 * source behind (see same_source_jobs). */
static void upgrade_by_source(struct plan *pl)
{
	Pool *pool = pl->pool;
	Queue jobs;

	if (!pool->installed)
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

/* Debian pools only: dnf and conda's solvers (mamba's libsolv, rattler)
 * take libsolv's solution as it is, so the first solution is theirs; apt
 * chooses by its own order. (Solving again also cost half a
 * conda-forge-sized plan.) */
void plan_refine(struct plan *pl)
{
	Map chosen;
	Queue jobs;

	if (pl->pool->disttype != DISTTYPE_DEB)
		return;
	decided_map(pl, &chosen);
	queue_init(&jobs);
	plan_apt_order(pl, &chosen, &jobs);
	/* failed, the first solution stands */
	if (jobs.count)
		resolve(pl, &jobs);
	queue_free(&jobs);
	map_free(&chosen);
	upgrade_by_source(pl);
}
