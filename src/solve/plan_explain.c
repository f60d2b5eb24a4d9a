/* plan_explain.c - why a package is in the transaction: the decisions from
 * it up to the request that asked for it. */
#include "extdeps/solve/plan.h"

#include <stdbool.h>

#include <solv/bitmap.h>
#include <solv/pool.h>
#include <solv/queue.h>
#include <solv/rules.h>
#include <solv/solver.h>
#include <solv/solverdebug.h>
#include <solv/transaction.h>

#include "extdeps/util/strbuf.h"
#include "extdeps/util/util.h"
#include "plan_int.h"

/* The package NAME that the transaction installs, or 0. */
static Id step_solvable(const struct plan *pl, const char *name)
{
	Pool *pool = pl->pool;
	Id id = pool_str2id(pool, name, 0);

	for (int i = 0; id && pl->trans && i < pl->trans->steps.count; i++) {
		Id p = pl->trans->steps.elements[i];

		if (pool->solvables[p].name == id && !plan_is_installed(pool, pool->solvables + p))
			return p;
	}
	return 0;
}

static int not_in_transaction(struct plan *pl, const char *name, struct ed_diag *d)
{
	Pool *pool = pl->pool;
	Id id = pool_str2id(pool, name, 0), q, qq;
	bool installed = false;

	FOR_PROVIDES(q, qq, id)
	installed |= pool->solvables[q].name == id && plan_is_installed(pool, pool->solvables + q);
	return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0,
			   "'%s' is not in the transaction of this plan%s", name,
			   installed ? " (it is installed already)" : "");
}

/* "name version", in the pool's temporary space. */
static const char *solvable_label(struct plan *pl, Id p)
{
	return pool_tmpjoin(pl->pool, pool_id2str(pl->pool, pl->pool->solvables[p].name), " ",
			    plan_version_of(pl, p));
}

/* P came in as a recommends: by whom, into B. Returns who, or 0. */
static Id why_recommended(struct plan *pl, Id p, struct strbuf *b)
{
	Queue why;
	Id next = 0;

	queue_init(&why);
	solver_describe_weakdep_decision(pl->solv, p, &why);
	if (why.count >= 3) {
		next = why.elements[1];
		strbuf_addf(b, " is recommended by %s (%s)", solvable_label(pl, next),
			    pool_dep2str(pl->pool, why.elements[2]));
	}
	queue_free(&why);
	return next;
}

/* P came in by rule INFO: a request's job, a dependency, or in libsolv's
 * words, into B. Returns the package that depends on P, or 0. */
static Id why_rule(struct plan *pl, Id p, Id info, struct strbuf *b)
{
	Id s = 0, t = 0, dep = 0;
	SolverRuleinfo type = solver_ruleinfo(pl->solv, info, &s, &t, &dep);
	int req = plan_rule_request(pl, info);

	if (req >= 0) {
		strbuf_addf(b, " is asked for by %s", pl->r.requests[req].label);
	} else if (type == SOLVER_RULE_JOB && pl->walk_parent && pl->walk_parent[p]) {
		/* a job that steered towards apt's choice: apt's reason */
		Id parent = pl->walk_parent[p];

		strbuf_addf(b, " is required by %s (depends on %s)", solvable_label(pl, parent),
			    pool_dep2str(pl->pool, pl->walk_dep[p]));
		return parent;
	} else if (type == SOLVER_RULE_PKG_REQUIRES && s) {
		strbuf_addf(b, " is required by %s (depends on %s)", solvable_label(pl, s),
			    pool_dep2str(pl->pool, dep));
		return s;
	} else if (type == SOLVER_RULE_JOB) {
		strbuf_addstr(b, " is asked for directly");
	} else {
		strbuf_addf(b, ": %s", solver_ruleinfo2str(pl->solv, type, s, t, dep));
	}
	return 0;
}

/* The line for P into B; returns the package that brought P in, or 0 at
 * the end of the chain. */
static Id explain_step(struct plan *pl, Id p, struct strbuf *b)
{
	Id info = 0, next = 0;
	int reason = solver_describe_decision(pl->solv, p, &info);
	size_t start;

	strbuf_addstr(b, solvable_label(pl, p));
	start = b->len;
	if (reason == SOLVER_REASON_WEAKDEP)
		next = why_recommended(pl, p, b);
	else if (info > 0)
		next = why_rule(pl, p, info, b);
	if (b->len == start)
		strbuf_addf(b, ": %s", reason == SOLVER_REASON_UPDATE_INSTALLED ?
					       "an update of an installed package" :
					       "chosen by the solver");
	return next;
}

int plan_explain(struct plan *pl, const char *name, char ***lines, size_t *nlines,
		 struct ed_diag *d)
{
	Id p = step_solvable(pl, name);
	struct strbuf b = STRBUF_INIT;
	Map seen;
	int rc = 0;

	*lines = NULL;
	*nlines = 0;
	if (!p)
		return not_in_transaction(pl, name, d);
	map_init(&seen, pl->pool->nsolvables);
	while (p && !MAPTST(&seen, p)) {
		Id next;

		MAPSET(&seen, p);
		strbuf_reset(&b);
		next = explain_step(pl, p, &b);
		if (b.oom || !util_strv_push(lines, nlines, strbuf_str(&b))) {
			rc = ed_diag_oom(d);
			break;
		}
		p = next;
	}
	strbuf_release(&b);
	map_free(&seen);
	return rc;
}
