/* plan.h - from mapped dependencies to an install plan, with libsolv.
 *
 * The registry says which package specs serve each DepURL on a target
 * (registry_map); this module decides, against the target's repositories in
 * a Pool, which package of each spec to ask for, and lets libsolv compute
 * the transaction. The choice of the explicit packages follows apt's rules
 * rather than libsolv's, because users compare the plan with what their
 * package manager does:
 *   - of the alternatives "a | b" the first one that can be had is taken,
 *     unless a later one is already installed (an installed alternative
 *     satisfies the spec);
 *   - a real package is preferred over a virtual one of the same name;
 *   - a purely virtual name with several providers is not resolved at
 *     random: it is reported with its providers;
 *   - a name no repository has is an error of its own, never a silently
 *     empty selection;
 *   - recommends are left out unless asked for.
 * Within the closure libsolv decides; one refinement pass then favours, for
 * the packages it pulled in, the first alternative of their dependencies and
 * the candidate (newest) versions, as apt does.
 *
 * Ownership: a struct plan borrows the Pool and the maps given to it (they
 * must outlive it) and owns everything it hands out; plan_free frees it.
 * A backend with prune_builds set has plan_solve restrict the pool
 * (pool->considered, prune.h) for the plan's life; plan_free gives it back
 * whole, with its whatprovides index freed (pool_createwhatprovides again).
 */
#ifndef EXTDEPS_PLAN_H
#define EXTDEPS_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include <solv/pool.h>

#include "extdeps/eco/eco.h"
#include "extdeps/map/registry.h"
#include "extdeps/util/diag.h"

struct plan;

/* A new plan over POOL (repositories loaded, installed repo set when the
 * target is this machine) for backend ECO. NULL when out of memory. */
struct plan *plan_new(Pool *pool, const struct eco_ops *eco);
void plan_free(struct plan *pl);

/* Add one request: the dependency LABEL ("dep:generic/openblas") mapped as M
 * (any status; only REG_MAPPED ones reach the solver). Returns the request's
 * index, or -1 when out of memory. */
int plan_add_map(struct plan *pl, const char *label, const struct reg_map *m);

/* Add a request of SPECS (the implied Python headers), whose packages must
 * have upstream versions in WANT (NULL: any; borrowed, it must outlive PL). */
int plan_add_specs(struct plan *pl, const char *label, const struct reg_spec_list *specs,
		   const struct pep440_spec *want);

/* Add a request of one package NAME under DEP, a dependency the backend
 * already made in the pool (a conda match spec: conda_dep_from_spec). Returns
 * the request's index, or -1 when out of memory. */
int plan_add_dep(struct plan *pl, const char *label, const char *name, Id dep);

enum plan_flags {
	PLAN_WITH_RECOMMENDS = 1 << 0,
};

/* The dependency (libsolv Id) built for alternative ALT of spec SPEC of
 * request REQ: the name, with its version clauses. For tests. */
Id plan_request_dep(const struct plan *pl, size_t req, size_t spec, size_t alt);

/* Choose the explicit packages, solve, and compute the transaction. Returns
 * 0 when the plan was computed (problems included: see plan_result),
 * ED_EXIT_ENV when out of memory. */
int plan_solve(struct plan *pl, unsigned flags, struct ed_diag *d);

enum plan_state {
	PLAN_INSTALLED, /* a package of the spec is installed and satisfies it */
	PLAN_NEW,       /* the chosen package will be installed */
	PLAN_UPGRADE,   /* installed, but the constraint needs a newer version */
	PLAN_MISSING,   /* no alternative is in the repositories (or none satisfies the version) */
	PLAN_VIRTUAL,   /* only a virtual name with several providers: choose one */
};

/* "installed", "new", "upgrade", "missing", "virtual". */
const char *plan_state_name(enum plan_state s);

/* One package spec of a request and what was decided for it. */
struct plan_choice {
	char *spec;            /* as mapped: "libopenblas-dev | libblas-dev (>= 3)" */
	enum plan_state state;
	char *name;            /* the package asked for (or found installed); NULL when missing/virtual */
	char *version;         /* its version: installed, or the candidate */
	char **providers;      /* PLAN_VIRTUAL: who provides it (sorted) */
	size_t nproviders;
	char *why;             /* PLAN_MISSING, PLAN_VIRTUAL: what is wrong, in words */
};

struct plan_request {
	char *label;
	const struct reg_map *map; /* NULL for plan_add_specs */
	struct plan_choice *choices;
	size_t nchoices;
};

enum plan_action { PLAN_STEP_INSTALL, PLAN_STEP_UPGRADE, PLAN_STEP_DOWNGRADE, PLAN_STEP_REMOVE };

/* "install", "upgrade", "downgrade", "remove". */
const char *plan_action_name(enum plan_action a);

struct plan_step {
	enum plan_action action;
	char *name, *version, *arch;
	char *from_version;          /* upgrade/downgrade: the installed version */
	unsigned long long download; /* bytes; 0 when the metadata has no size */
	unsigned long long installed;/* bytes */
	bool explicit_;              /* asked for, not pulled in */
	Id solvable;                 /* the package installed, or removed */
};

struct plan_problem {
	char *message;      /* what is wrong, in libsolv's words with our labels */
	char **details;     /* the rules involved */
	size_t ndetails;
	char **solutions;   /* one line per solution */
	size_t nsolutions;
	char **labels;      /* the requests (DepURLs) involved */
	size_t nlabels;
};

struct plan_result {
	struct plan_request *requests;
	size_t nrequests;
	char **explicit_;   /* the names to give the package manager, in request order */
	char **explicit_version; /* per name: the version to pin, or NULL (the
				  * candidate is not the package chosen) */
	size_t nexplicit;
	struct plan_step *steps; /* by name, architecture, version */
	size_t nsteps;
	size_t nnew, nupgrade, ndowngrade, nremove;
	unsigned long long download;
	long long installed_change; /* bytes */
	struct plan_problem *problems;
	size_t nproblems;
	size_t nunresolved; /* requests not mapped, missing or virtual */
};

/* The result of plan_solve (owned by PL). */
const struct plan_result *plan_result(const struct plan *pl);

/* Why package NAME is in the transaction: lines from the package up to the
 * request that asked for it ("libgfortran5 is required by libopenblas0
 * (depends on libgfortran5 (>= 8))", ..., "libopenblas-dev is asked for by
 * dep:generic/openblas"). *LINES is malloc'd (util_strv_free). ED_EXIT_INPUT
 * when NAME is not in the transaction. */
int plan_explain(struct plan *pl, const char *name, char ***lines, size_t *nlines,
		 struct ed_diag *d);

#endif
