/* prune.c - the part of a pool a request can reach, with few builds per name. */
#include "extdeps/solve/prune.h"

#include <stdlib.h>

#include <solv/evr.h>
#include <solv/knownid.h>
#include <solv/repo.h>
#include <solv/solvable.h>
#include <solv/solver.h>

struct walk {
	Pool *pool;
	int k;
	Map *keep;
	Map seen; /* dependency ids met: strings, then reldeps */
	Queue todo;
	Queue q;
	int cut;
	/* each solvable's place among the builds of its name, best first
	 * (cmp_best), for the names in RANKED: a popular name has thousands of
	 * builds and hundreds of specs, and ranking once replaces a sort with
	 * costly lookups per spec */
	Id *rank;
	Map ranked;
};

/* Best first within a name, in the order of libsolv's policy: the higher
 * repository priority, then (where packages carry them, as conda's do)
 * fewer track_features, the higher version, the higher build number, the
 * newer build; the solvable id last, so that the order is total. */
static int cmp_best(const void *a, const void *b, void *data)
{
	Pool *pool = data;
	Solvable *x = pool->solvables + *(const Id *)a;
	Solvable *y = pool->solvables + *(const Id *)b;
	unsigned fx, fy;
	unsigned long long tx, ty;
	const char *bx, *by;
	int r;

	if (x->name != y->name)
		return x->name < y->name ? -1 : 1;
	if (x->repo->priority != y->repo->priority)
		return x->repo->priority > y->repo->priority ? -1 : 1;
	fx = solvable_lookup_count(x, SOLVABLE_TRACK_FEATURES);
	fy = solvable_lookup_count(y, SOLVABLE_TRACK_FEATURES);
	if (fx != fy)
		return fx < fy ? -1 : 1;
	if (x->evr != y->evr && (r = pool_evrcmp(pool, x->evr, y->evr, EVRCMP_COMPARE)))
		return -r;
	bx = solvable_lookup_str(x, SOLVABLE_BUILDVERSION);
	by = solvable_lookup_str(y, SOLVABLE_BUILDVERSION);
	if ((bx || by) && (r = pool_evrcmp_str(pool, bx ? bx : "", by ? by : "", EVRCMP_COMPARE)))
		return -r;
	tx = solvable_lookup_num(x, SOLVABLE_BUILDTIME, 0);
	ty = solvable_lookup_num(y, SOLVABLE_BUILDTIME, 0);
	if (tx != ty)
		return tx > ty ? -1 : 1;
	return *(const Id *)a < *(const Id *)b ? -1 : *(const Id *)a > *(const Id *)b;
}

static void keep(struct walk *w, Id p)
{
	if (MAPTST(w->keep, p))
		return;
	MAPSET(w->keep, p);
	queue_push(&w->todo, p);
}

/* Rank the builds of NAME (cmp_best), once. */
static void rank_name(struct walk *w, Id name)
{
	Pool *pool = w->pool;
	Queue all;
	Id p, pp;

	if (MAPTST(&w->ranked, name))
		return;
	MAPSET(&w->ranked, name);
	queue_init(&all);
	FOR_PROVIDES(p, pp, name)
	if (pool->solvables[p].name == name)
		queue_push(&all, p);
	solv_sort(all.elements, (size_t)all.count, sizeof(Id), cmp_best, pool);
	for (int i = 0; i < all.count; i++)
		w->rank[all.elements[i]] = i;
	queue_free(&all);
}

/* By name, then by rank. */
static int cmp_ranked(const void *a, const void *b, void *data)
{
	const struct walk *w = data;
	Id x = *(const Id *)a, y = *(const Id *)b;
	Id nx = w->pool->solvables[x].name, ny = w->pool->solvables[y].name;

	if (nx != ny)
		return nx < ny ? -1 : 1;
	return w->rank[x] < w->rank[y] ? -1 : w->rank[x] > w->rank[y];
}

/* Keep the K best of each name among the solvables in W->q. */
static void keep_best(struct walk *w)
{
	Pool *pool = w->pool;
	bool cut = false;

	for (int i = 0; i < w->q.count; i++)
		rank_name(w, pool->solvables[w->q.elements[i]].name);
	solv_sort(w->q.elements, (size_t)w->q.count, sizeof(Id), cmp_ranked, w);
	for (int i = 0, run = 0; i < w->q.count; i++) {
		Id p = w->q.elements[i];

		if (i && pool->solvables[w->q.elements[i - 1]].name != pool->solvables[p].name)
			run = 0;
		if (run++ < w->k)
			keep(w, p);
		else
			cut = true;
	}
	w->cut += cut;
}

static void visit_dep(struct walk *w, Id dep)
{
	Pool *pool = w->pool;
	Id slot = ISRELDEP(dep) ? (Id)pool->ss.nstrings + (Id)GETRELID(dep) : dep;
	Id p, pp;

	if (dep == SOLVABLE_PREREQMARKER || MAPTST(&w->seen, slot))
		return;
	MAPSET(&w->seen, slot);
	queue_empty(&w->q);
	FOR_PROVIDES(p, pp, dep)
	queue_push(&w->q, p);
	keep_best(w);
}

static void visit_deps(struct walk *w, Solvable *s, Id key, Queue *deps)
{
	/* the lookup leaves the queue as it was when S lacks KEY */
	queue_empty(deps);
	solvable_lookup_deparray(s, key, deps, 0);
	for (int i = 0; i < deps->count; i++)
		visit_dep(w, deps->elements[i]);
}

int prune_reach(Pool *pool, const Queue *job, int k, bool recommends, Map *keep_map)
{
	struct walk w = { .pool = pool, .k = k, .keep = keep_map };
	Queue deps;
	Solvable *s;
	Id p;

	map_init(keep_map, pool->nsolvables);
	map_init(&w.seen, pool->ss.nstrings + pool->nrels);
	map_init(&w.ranked, pool->ss.nstrings);
	w.rank = solv_calloc((size_t)pool->nsolvables, sizeof(Id));
	queue_init(&w.todo);
	queue_init(&w.q);
	queue_init(&deps);
	if (pool->installed) {
		FOR_REPO_SOLVABLES(pool->installed, p, s)
		keep(&w, p);
	}
	for (int i = 0; i + 1 < job->count; i += 2) {
		queue_empty(&w.q);
		pool_job2solvables(pool, &w.q, job->elements[i], job->elements[i + 1]);
		keep_best(&w);
	}
	while (w.todo.count) {
		p = queue_pop(&w.todo);
		s = pool->solvables + p;
		visit_deps(&w, s, SOLVABLE_REQUIRES, &deps);
		if (recommends)
			visit_deps(&w, s, SOLVABLE_RECOMMENDS, &deps);
	}
	queue_free(&deps);
	queue_free(&w.q);
	queue_free(&w.todo);
	map_free(&w.seen);
	map_free(&w.ranked);
	solv_free(w.rank);
	return w.cut;
}
