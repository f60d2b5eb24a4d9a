/* planrun.h - the steps `plan` and `install` share: a project's selected
 * dependencies mapped for the target, resolved against the target's
 * repositories, and the package manager's command for the result.
 *
 * Front-end code, like cli.h: each step prints its errors itself and returns
 * 0 or an exit status (diag.h). The steps run in order: planrun_map, then
 * planrun_solve, then planrun_argv; planrun_fini frees what any of them made
 * (also after a failed step).
 */
#ifndef EXTDEPS_PLANRUN_H
#define EXTDEPS_PLANRUN_H

#include <stdbool.h>
#include <stddef.h>

#include "extdeps/map/mapset.h"
#include "extdeps/map/registry.h"
#include "extdeps/map/select.h"
#include "extdeps/read/project.h"
#include "extdeps/solve/plan.h"
#include "cli.h"

struct planrun {
	struct ctx *ctx;
	struct project *project;
	enum select_skip *verdict;     /* per project dependency */
	struct reg_target target;
	struct mapset maps;
	struct cli_repos repos;
	struct plan *plan;
	const struct plan_result *result; /* owned by plan */
	int *request_of;               /* per project dependency: its plan request, or -1 */
	int implied_request;           /* the implied Python headers' request, or -1 */
	char **argv;                   /* the install command (eco_argv_free); NULL when
					* nothing is to install or the plan has problems */
	bool needs_root;               /* running argv needs root */
	double t_start, t_map;         /* for -vv timings */
};

/* Load the project named by POS/NPOS (cli_load_project), the registry for
 * the target, the target, and map the selected dependencies. */
int planrun_map(struct planrun *pr, struct ctx *ctx, char **pos, int npos);

/* Load the target's repositories (cli_repos_open) and solve the plan with
 * PLAN_FLAGS (plan.h). At -vv prints the stages' timings to stderr. */
int planrun_solve(struct planrun *pr, unsigned plan_flags);

/* Build pr->argv with INSTALL_FLAGS (eco.h) for the explicit packages,
 * pinned with the package manager's pin template where the plan asks for a
 * version, and set pr->needs_root. Leaves argv NULL when there is nothing
 * to install or the plan has problems. ED_EXIT_INPUT when a package name
 * fails the backend's checks. */
int planrun_argv(struct planrun *pr, unsigned install_flags);

/* Nothing is unmapped, unresolved or in conflict. */
bool planrun_resolved(const struct planrun *pr);

void planrun_fini(struct planrun *pr);

/* "1.2 MB": sizes as package managers print them (SI units). */
void planrun_human_size(unsigned long long n, char *buf, size_t size);

#endif
