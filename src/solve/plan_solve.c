/* plan_solve.c - plan_solve: choose the explicit packages, solve (on a
 * pruned pool where the backend asks for it), refine, collect the result. */
#include "extdeps/solve/plan.h"
#include "extdeps/solve/prune.h"

#include <stdbool.h>

#include <solv/bitmap.h>
#include <solv/dataiterator.h>
#include <solv/knownid.h>
#include <solv/pool.h>
#include <solv/queue.h>
#include <solv/repo.h>
#include <solv/solver.h>
#include <solv/transaction.h>

#include "plan_int.h"

/* A path asked for ("/usr/include/gdal/gdal.h") is provided by the packages
 * whose file lists hold it: libsolv indexes only the paths that packages
 * depend on (pool_addfileprovides), so add the provides ALT needs. Returns
 * whether any was added (the index is then stale). */
static bool add_file_provides(Pool *pool, const struct in_alt *alt)
{
	Id name = ISRELDEP(alt->dep) ? GETRELDEP(pool, alt->dep)->name : alt->dep;
	Dataiterator di;
	bool added = false;

	if (alt->name[0] != '/' || pool->whatprovidesdata[pool_whatprovides(pool, name)])
		return false;
	dataiterator_init(&di, pool, NULL, 0, SOLVABLE_FILELIST, alt->name,
			  SEARCH_STRING | SEARCH_FILES | SEARCH_COMPLETE_FILELIST);
	while (dataiterator_step(&di)) {
		Solvable *s = pool->solvables + di.solvid;

		s->provides = repo_addid_dep(s->repo, s->provides, name, 0);
		added = true;
	}
	dataiterator_free(&di);
	return added;
}

/* The file provides of every alternative of every request. */
static bool add_files_provides(struct plan *pl)
{
	bool added = false;

	for (size_t i = 0; i < pl->r.nrequests; i++)
		for (size_t k = 0; k < pl->in[i].nspecs; k++)
			for (size_t a = 0; a < pl->in[i].specs[k].nalts; a++)
				added |= add_file_provides(pl->pool, &pl->in[i].specs[k].alts[a]);
	return added;
}

static Solver *new_solver(struct plan *pl, unsigned flags)
{
	Solver *solv = solver_create(pl->pool);

	solver_set_flag(solv, SOLVER_FLAG_IGNORE_RECOMMENDED, !(flags & PLAN_WITH_RECOMMENDS));
	solver_set_flag(solv, SOLVER_FLAG_BEST_OBEY_POLICY, 1);
	return solv;
}

/* One-of jobs point into the whatprovides index, which pruning rebuilds:
 * their lists into ONEOF (job index, count, solvables), to point them
 * again. */
static void save_oneof(struct plan *pl, Queue *oneof)
{
	Pool *pool = pl->pool;

	for (int i = 0; i < pl->job.count; i += 2) {
		Id select = pl->job.elements[i] & SOLVER_SELECTMASK, p, pp;
		int at;

		if (select != SOLVER_SOLVABLE_ONE_OF)
			continue;
		queue_push2(oneof, i, 0);
		at = oneof->count - 1;
		FOR_JOB_SELECT(p, pp, select, pl->job.elements[i + 1])
		{
			queue_push(oneof, p);
			oneof->elements[at]++;
		}
	}
}

/* Point the one-of jobs saved in ONEOF into the current whatprovides index. */
static void repoint_oneof(struct plan *pl, const Queue *oneof)
{
	Queue q;

	queue_init(&q);
	for (int i = 0; i < oneof->count; i += 2 + oneof->elements[i + 1]) {
		queue_empty(&q);
		queue_insertn(&q, 0, oneof->elements[i + 1], oneof->elements + i + 2);
		pl->job.elements[oneof->elements[i] + 1] = pool_queuetowhatprovides(pl->pool, &q);
	}
	queue_free(&q);
}

/* Restrict the pool to what the jobs reach, K builds a name (prune.h).
 * Returns whether anything was cut; the pool is left whole when not. */
static bool prune(struct plan *pl, int k, unsigned flags, const Queue *oneof)
{
	Map keep;

	if (!prune_reach(pl->pool, &pl->job, k, flags & PLAN_WITH_RECOMMENDS, &keep)) {
		map_free(&keep);
		return false;
	}
	pl->considered = keep;
	pl->pruned = true;
	pl->pool->considered = &pl->considered;
	pool_createwhatprovides(pl->pool);
	repoint_oneof(pl, oneof);
	return true;
}

/* The first solution, into pl->solv; returns the number of problems. Where
 * the backend asks for it, on the pool pruned to the best few builds of each
 * name (prune.h), widened while a cut pool has problems, up to the whole
 * pool: a solution of a pruned pool is one of the whole pool. */
static int first_solve(struct plan *pl, unsigned flags)
{
	int k = pl->eco ? pl->eco->prune_builds : 0;
	int problems;
	Queue oneof;

	queue_init(&oneof);
	if (k > 0)
		save_oneof(pl, &oneof);
	for (;;) {
		bool cut = false;

		if (pl->pruned) {
			plan_unprune(pl);
			pool_createwhatprovides(pl->pool);
			repoint_oneof(pl, &oneof);
		}
		if (k > 0 && k <= PRUNE_WIDEST)
			cut = prune(pl, k, flags, &oneof);
		pl->solv = new_solver(pl, flags);
		problems = solver_solve(pl->solv, &pl->job);
		if (!problems || !cut)
			break;
		solver_free(pl->solv);
		pl->solv = NULL;
		k *= 8;
	}
	queue_free(&oneof);
	return problems;
}

int plan_solve(struct plan *pl, unsigned flags, struct ed_diag *d)
{
	Pool *pool = pl->pool;

	if (pl->solved)
		return 0;
	pl->solved = true;
	if (!pool->whatprovides)
		pool_createwhatprovides(pool);
	if (add_files_provides(pl))
		pool_createwhatprovides(pool);
	if (plan_choose_all(pl))
		return ed_diag_oom(d);
	if (first_solve(pl, flags)) {
		if (plan_collect_problems(pl) || plan_collect_explicit(pl))
			return ed_diag_oom(d);
		return 0;
	}
	pl->trans = solver_create_transaction(pl->solv);
	plan_refine(pl);
	if (plan_collect_explicit(pl) || plan_collect_transaction(pl))
		return ed_diag_oom(d);
	return 0;
}
