/* select.h - which declared dependencies apply: stages, extras, groups and
 * PEP 508 markers evaluated for the target. */
#ifndef EXTDEPS_SELECT_H
#define EXTDEPS_SELECT_H

#include <stdbool.h>
#include <stddef.h>

#include "extdeps/read/marker.h"
#include "extdeps/read/project.h"
#include "extdeps/read/stage.h"
#include "extdeps/util/diag.h"

struct selection {
	bool stages[ED_STAGE_COUNT]; /* all true by default */
	bool stages_given;           /* --stage was used */
	char **extras;               /* as given; normalised when applied */
	size_t nextras;
	bool all_extras;
	char **groups;
	size_t ngroups;
	struct marker_env env;       /* the target's marker environment */
	/* Several projects: an extra or group a project does not declare
	 * selects nothing there (instead of ED_EXIT_INPUT); the caller checks
	 * that some project declares it (selection_declared). */
	bool undeclared_ok;
};

/* Initialise SEL: every stage, no extras, no groups, ENV borrowed as is. */
void selection_init(struct selection *sel, const struct marker_env *env);
void selection_fini(struct selection *sel);

/* Restrict stages from a comma-separated list ("build,host"). ED_EXIT_INPUT
 * when a name is not a stage. Repeated calls add stages. */
int selection_set_stages(struct selection *sel, const char *csv, struct ed_diag *d);

/* Add an extra or a group by name (copied). */
int selection_add_extra(struct selection *sel, const char *name, struct ed_diag *d);
int selection_add_group(struct selection *sel, const char *name, struct ed_diag *d);

/* Why a declared dependency is not in the selection. */
enum select_skip {
	SELECT_IN,        /* selected */
	SELECT_STAGE,     /* its stage was not asked for */
	SELECT_EXTRA,     /* its extra was not asked for */
	SELECT_GROUP,     /* its group was not asked for */
	SELECT_MARKER,    /* its marker is false for the target */
	SELECT_SKIPPED,   /* selected, then skipped as asked (`plan --skip`) */
	SELECT_UNRESOLVED,/* selected, then skipped for want of a package
			   * (`plan --skip-unresolved`) */
};

/* Decide every dependency of P: fills a malloc'd array *VERDICT of
 * P->ndeps entries. ED_EXIT_INPUT when an extra or group asked for is not
 * declared (naming the nearest declared one). */
/* Whether one of the N projects PS declares each extra and group SEL asks
 * for; ED_EXIT_INPUT naming the first that none declares otherwise. */
int selection_declared(const struct selection *sel, struct project *const *ps, size_t n,
		       struct ed_diag *d);

int selection_apply(const struct selection *sel, const struct project *p,
		    enum select_skip **verdict, struct ed_diag *d);

#endif
