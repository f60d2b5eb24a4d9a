/* prune.h - the part of a pool a request can reach, with few builds per name.
 *
 * conda channels carry hundreds of builds of one name (python, numpy), and
 * libsolv adds a conflict rule for every pair of packages of one name that a
 * request reaches: a request reaching a handful of such names meets millions
 * of rules. Like conda's reduced index, prune_reach walks the requires from
 * the jobs and keeps, for each dependency it meets, the K best providers of
 * each name providing it (libsolv's order: highest version, then build).
 * Installed packages are always kept, and walked.
 *
 * Used through pool->considered (then pool_createwhatprovides): a solution on
 * the pruned pool is a solution on the whole pool; a failure is final only
 * when nothing was cut.
 */
#ifndef EXTDEPS_PRUNE_H
#define EXTDEPS_PRUNE_H

#include <stdbool.h>

#include <solv/bitmap.h>
#include <solv/pool.h>
#include <solv/queue.h>

/* Widening past this many builds a name means solving on the whole pool. */
#define PRUNE_WIDEST 1024

/* Fill KEEP (initialised here, pool->nsolvables bits; free with map_free)
 * with the solvables reachable from JOB (libsolv job pairs; only their
 * selections are read) through requires, and recommends when RECOMMENDS,
 * keeping at most K providers per name for each dependency. Needs the
 * pool's whatprovides index of the whole pool. Returns the number of
 * dependencies that had more than K providers of one name. */
int prune_reach(Pool *pool, const Queue *job, int k, bool recommends, Map *keep);

#endif
