/* planrun.h - what `plan` and `install` share after the set-up (cli.h) has
 * loaded the project, mapped it for the target and loaded the target's
 * repositories: the plan solved, and the package manager's command for it.
 *
 * Front-end code: each step prints its errors itself and returns 0 or an
 * exit status (diag.h). planrun_solve, then planrun_argv; planrun_fini frees
 * what either made (also after a failed step).
 */
#ifndef EXTDEPS_PLANRUN_H
#define EXTDEPS_PLANRUN_H

#include <stdbool.h>
#include <stddef.h>

#include "extdeps/render/plan_report.h"
#include "extdeps/solve/plan.h"
#include "cli.h"

struct planrun {
	struct plan *plan;
	const struct plan_result *result; /* owned by plan */
	int *request_of;               /* per project dependency: its plan request, or -1 */
	int implied_request;           /* the implied Python headers' request, or -1 */
	char **argv;                   /* the install command (eco_argv_free); NULL when
					* nothing is to install or the plan has problems */
	bool needs_root;               /* running argv needs root */
	bool all;                      /* argv names every package the plan chose, the
					* installed too (--all: a fresh container) */
	const char *const *refresh;    /* with ALL, the package manager's metadata
					* refresh that must run first where it has
					* none (eco.h's refresh_argv), else NULL */
	const char *refresh_sh;        /* the shell test of that (metadata_missing_sh) */
	const char **lacking;          /* plan_view.lacking (the registry's strings) */
	size_t nlacking;
};

/* Solve the mapped selection of CTX against its repositories with
 * PLAN_FLAGS (plan.h). With --skip-unresolved the dependencies the solve
 * finds no package for are skipped (cli_skip_unresolved) and the rest
 * solved again. At -vv prints the stages' timings to stderr. */
int planrun_solve(struct planrun *pr, struct ctx *ctx, unsigned plan_flags);

/* Build pr->argv with INSTALL_FLAGS (eco.h) for the explicit packages (with
 * pr->all, every package chosen, the installed ones after them),
 * pinned with the package manager's pin template where the plan asks for a
 * version, and set pr->needs_root. Leaves argv NULL when there is nothing
 * to install or the plan has problems. ED_EXIT_INPUT when a package name
 * fails the backend's checks. */
int planrun_argv(struct planrun *pr, struct ctx *ctx, unsigned install_flags);

/* Nothing is unmapped, unresolved or in conflict. */
bool planrun_resolved(const struct planrun *pr, const struct ctx *ctx);

/* --skip-unresolved left a dependency out (what makes the exit status 1
 * even when the rest is planned or installed). */
bool planrun_skipped_unresolved(const struct ctx *ctx);

void planrun_fini(struct planrun *pr);

/* V, the plan of PR and CTX for the renderers (render/plan_report.h). */
void planrun_view(const struct planrun *pr, const struct ctx *ctx, struct plan_view *v);

/* The backend's shell with the explicit packages (eco.h's shell_argv) into
 * *ARGV (eco_argv_free), NULL when there is nothing to install or the plan
 * has problems. Prints errors itself. */
int planrun_shell(const struct planrun *pr, struct ctx *ctx, char ***argv);

#endif
