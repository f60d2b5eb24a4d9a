/* apt_order.c - the packages `apt-get install` marks, in apt's order.
 *
 * libsolv finds a solution; apt finds one by marking packages in a fixed
 * order, and where several packages would do, the order decides. apt marks
 * the packages asked for first; then, depth first from each in turn, every
 * dependency that what is marked or installed does not satisfy yet. Of an
 * "a | b" dependency the first alternative that can be installed is taken:
 * the candidate (newest) version of the package of that name, else one that
 * provides it. Plans steer libsolv to that set, so that a plan installs
 * what apt would.
 *
 * apt walks a package's dependencies in the order its control file gives;
 * libsolv's .solv files keep them sorted by id, which a cached and a fresh
 * load number differently. The walk takes them in an order of its own, the
 * same from both: exact-version dependencies first (Debian lists a -dev
 * package's own library first), then by text. */
#include <stdbool.h>
#include <string.h>

#include <solv/bitmap.h>
#include <solv/evr.h>
#include <solv/knownid.h>
#include <solv/pool.h>
#include <solv/queue.h>
#include <solv/repo.h>
#include <solv/solver.h>
#include <solv/util.h>

#include "plan_int.h"

struct walk {
	Pool *pool;
	const Map *chosen; /* the first solution: which of several providers */
	Map marked;
	Map gone; /* installed packages that a marked version replaces */
	bool recommends;
	int depth;
	Id *parent, *dep; /* who marked each package, for which dependency */
};

/* Deeper chains than this (none in a real archive) are left to libsolv:
 * the walk only steers, and the stack stays small. */
#define WALK_DEPTH_MAX 2000

/* apt's candidate of NAME: its newest installable version, the installed
 * one among equals; 0 when there is none. */
static Id candidate(Pool *pool, Id name)
{
	Id best = 0, p, pp;

	FOR_PROVIDES(p, pp, name)
	{
		Solvable *s = pool->solvables + p;
		int c;

		if (s->name != name || !pool_installable(pool, s))
			continue;
		c = best ? pool_evrcmp(pool, s->evr, pool->solvables[best].evr, EVRCMP_COMPARE) : 1;
		if (c > 0 || (c == 0 && plan_is_installed(pool, s)))
			best = p;
	}
	return best;
}

static bool satisfied(struct walk *w, Id dep)
{
	Pool *pool = w->pool;
	Id p, pp;

	FOR_PROVIDES(p, pp, dep)
	if (MAPTST(&w->marked, p) ||
	    (plan_is_installed(pool, pool->solvables + p) && !MAPTST(&w->gone, p)))
		return true;
	return false;
}

static void mark(struct walk *w, Id p)
{
	Pool *pool = w->pool;
	Id name = pool->solvables[p].name, r, rr;

	MAPSET(&w->marked, p);
	if (plan_is_installed(pool, pool->solvables + p))
		return;
	FOR_PROVIDES(r, rr, name)
	if (pool->solvables[r].name == name && plan_is_installed(pool, pool->solvables + r) &&
	    pool->solvables[r].arch == pool->solvables[p].arch)
		MAPSET(&w->gone, r);
}

/* The alternatives of DEP in the order written ("a | b | c"). */
static void alternatives(Pool *pool, Id dep, Queue *q)
{
	if (ISRELDEP(dep) && GETRELDEP(pool, dep)->flags == REL_OR) {
		alternatives(pool, GETRELDEP(pool, dep)->name, q);
		alternatives(pool, GETRELDEP(pool, dep)->evr, q);
	} else {
		queue_push(q, dep);
	}
}

/* What apt installs for alternative A: the candidate of A's name when it
 * meets A, else a provider that is its own name's candidate (the one the
 * first solution took, when several). 0: nothing can. */
static Id choose_one(struct walk *w, Id a)
{
	Pool *pool = w->pool;
	Id name = a, c, p, pp, best = 0;

	if (ISRELDEP(a)) {
		if (GETRELDEP(pool, a)->flags >= 8) /* not a version relation */
			return 0;
		name = GETRELDEP(pool, a)->name;
	}
	c = candidate(pool, name);
	FOR_PROVIDES(p, pp, a)
	if (p == c)
		return c;
	FOR_PROVIDES(p, pp, a)
	{
		if (pool->solvables[p].name == name || p != candidate(pool, pool->solvables[p].name))
			continue;
		if (!best || (MAPTST(w->chosen, p) && !MAPTST(w->chosen, best)))
			best = p;
	}
	return best;
}

static Id choose(struct walk *w, Id dep)
{
	Queue alts;
	Id t = 0;

	queue_init(&alts);
	alternatives(w->pool, dep, &alts);
	for (int i = 0; i < alts.count && !t; i++)
		t = choose_one(w, alts.elements[i]);
	queue_free(&alts);
	return t;
}

/* Exact-version dependencies first, then by text. */
static int cmp_dep(const void *a, const void *b, void *data)
{
	Pool *pool = data;
	Id x = *(const Id *)a, y = *(const Id *)b;
	bool ex = ISRELDEP(x) && GETRELDEP(pool, x)->flags == REL_EQ;
	bool ey = ISRELDEP(y) && GETRELDEP(pool, y)->flags == REL_EQ;
	char *sx;
	int r;

	if (ex != ey)
		return ex ? -1 : 1;
	sx = solv_strdup(pool_dep2str(pool, x));
	r = strcmp(sx, pool_dep2str(pool, y));
	solv_free(sx);
	return r;
}

static void visit(struct walk *w, Id p);

/* Marks what P's dependencies of KEYNAME need, each visited at once. */
static void visit_deps(struct walk *w, Id p, Id keyname)
{
	Queue deps;

	queue_init(&deps);
	solvable_lookup_deparray(w->pool->solvables + p, keyname, &deps, 0);
	solv_sort(deps.elements, deps.count, sizeof(Id), cmp_dep, w->pool);
	for (int i = 0; i < deps.count; i++) {
		Id dep = deps.elements[i], t;

		if (dep == SOLVABLE_PREREQMARKER || satisfied(w, dep))
			continue;
		t = choose(w, dep);
		if (t && !MAPTST(&w->marked, t)) {
			mark(w, t);
			w->parent[t] = p;
			w->dep[t] = dep;
			visit(w, t);
		}
	}
	queue_free(&deps);
}

static void visit(struct walk *w, Id p)
{
	if (w->depth >= WALK_DEPTH_MAX)
		return;
	w->depth++;
	visit_deps(w, p, SOLVABLE_REQUIRES);
	if (w->recommends)
		visit_deps(w, p, SOLVABLE_RECOMMENDS);
	w->depth--;
}

void plan_apt_order(struct plan *pl, const Map *chosen, Queue *jobs)
{
	Pool *pool = pl->pool;
	struct walk w = { .pool = pool, .chosen = chosen };
	Queue asked, sel;

	w.recommends = !solver_get_flag(pl->solv, SOLVER_FLAG_IGNORE_RECOMMENDED);
	solv_free(pl->walk_parent);
	solv_free(pl->walk_dep);
	w.parent = pl->walk_parent = solv_calloc(pool->nsolvables, sizeof(Id));
	w.dep = pl->walk_dep = solv_calloc(pool->nsolvables, sizeof(Id));
	map_init(&w.marked, pool->nsolvables);
	map_init(&w.gone, pool->nsolvables);
	queue_init(&asked);
	queue_init(&sel);
	/* the packages asked for, as the first solution has them */
	for (int i = 0; i < pl->job.count; i += 2) {
		if ((pl->job.elements[i] & SOLVER_JOBMASK) != SOLVER_INSTALL)
			continue;
		pool_job2solvables(pool, &sel, pl->job.elements[i], pl->job.elements[i + 1]);
		for (int k = 0; k < sel.count; k++)
			if (MAPTST(chosen, sel.elements[k]) && !MAPTST(&w.marked, sel.elements[k])) {
				mark(&w, sel.elements[k]);
				queue_push(&asked, sel.elements[k]);
			}
	}
	for (int i = 0; i < asked.count; i++)
		visit(&w, asked.elements[i]);
	for (Id p = 2; p < pool->nsolvables; p++)
		if (MAPTST(&w.marked, p) && !plan_is_installed(pool, pool->solvables + p))
			queue_push2(jobs, SOLVER_INSTALL | SOLVER_SOLVABLE | SOLVER_WEAK, p);
	queue_free(&sel);
	queue_free(&asked);
	map_free(&w.gone);
	map_free(&w.marked);
}
