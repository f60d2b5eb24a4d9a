/* plan_report.h - a plan (solve/plan.h) for people, machines and shells:
 * what `extdeps plan` prints in each --format, and the summaries `extdeps
 * install` prints before it runs the package manager or refuses to.
 *
 * A struct plan_view borrows everything it points to; the functions write
 * to view->out->out (colour as view->out says) or, for what stops an
 * install, to view->out->err.
 */
#ifndef EXTDEPS_RENDER_PLAN_REPORT_H
#define EXTDEPS_RENDER_PLAN_REPORT_H

#include <stdbool.h>

#include "extdeps/eco/eco.h"
#include "extdeps/map/mapset.h"
#include "extdeps/map/registry.h"
#include "extdeps/map/select.h"
#include "extdeps/read/project.h"
#include "extdeps/render/out.h"
#include "extdeps/solve/plan.h"

#define PLAN_SCHEMA_VERSION 1

struct plan_view {
	const struct out *out;
	const struct project *project;
	const enum select_skip *verdict;   /* per project dependency */
	const char *const *skip_why;       /* per project dependency: why SELECT_SKIPPED or
					    * SELECT_UNRESOLVED; NULL when none is */
	const struct reg_target *target;
	const char *arch;                  /* as the target spells it */
	const char *backend;               /* the backend's name (eco.h) */
	const struct eco_repo *repos;      /* the repositories added to the target's
					    * (--enable-repo), or NULL */
	size_t nrepos;
	bool this_machine;                 /* the installed set was this machine's */
	const char *python;                /* the Python that will build (X.Y), whose
					    * headers are the implied ones, or NULL */
	const char *const *lacking;        /* the ids of the components of the archive the
					    * dependencies need that this machine's package
					    * manager lacks (eco.h's has_repo) */
	size_t nlacking;
	const char *const *install_env;    /* what the command runs with (eco.h), or NULL */
	const struct mapset *maps;
	const struct plan_result *result;
	const int *request_of;             /* per project dependency: its request, or -1 */
	int implied_request;               /* the implied Python headers' request, or -1 */
	const char *implied_skip_why;      /* why they were skipped (--skip-unresolved), or NULL */
	char *const *argv;                 /* the install command, or NULL when nothing is to install */
	const char *const *refresh;        /* the metadata refresh to run first where the
					    * package manager has none (--all), or NULL */
	const char *refresh_sh;            /* the shell test for "has none" */
	bool needs_root;
};

/* --format=text: per dependency the package chosen, the problems, the
 * transaction with versions and sizes, the command. */
void plan_report_text(const struct plan_view *v);

/* --format=json (schema PLAN_SCHEMA_VERSION, documented in extdeps-plan(1)). */
void plan_report_json(const struct plan_view *v);

/* --format=sh: a POSIX shell script that runs the command. */
void plan_report_sh(const struct plan_view *v);

/* A backend's shell format (eco.h's shell_format): SHELL_ARGV (the backend's
 * shell with the explicit packages, NULL when there are none or the plan
 * has problems) quoted as one command line. */
void plan_report_shell(const struct plan_view *v, char *const *shell_argv);

/* The dependencies skipped (--skip, --skip-unresolved), a line each
 * "skipped DEPURL [STAGE]: WHY", to F. */
void plan_report_skipped(const struct plan_view *v, FILE *f);

/* `install`'s summary: the packages to ask for, the transaction's counts
 * and sizes. */
void plan_report_summary(const struct plan_view *v);

/* What stops an install, on stderr: each dependency not resolved, and the
 * solver's problems. */
void plan_report_unresolved(const struct plan_view *v);

/* "1.2 MB": sizes as package managers print them (SI units). */
void plan_report_size(unsigned long long n, char *buf, size_t size);

#endif
