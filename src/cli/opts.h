/* opts.h - command-line options from tables.
 *
 * One table per command gives parsing, the -h text and the shell completions,
 * so help never drifts from behaviour. Options may come before or after
 * positional arguments; "--" ends options. Long options take values as
 * "--name=value" or "--name value", short ones as "-x value" or "-xvalue".
 */
#ifndef EXTDEPS_OPTS_H
#define EXTDEPS_OPTS_H

#include <stdbool.h>
#include <stdio.h>

#include "extdeps/util/diag.h"

enum opt_type {
	OPT_END,   /* terminates a table */
	OPT_FLAG,  /* takes no value */
	OPT_VALUE, /* takes one value */
};

struct opt {
	int id;                     /* the command's own enum value, never 0 */
	const char *name;           /* long name without "--" */
	char short_name;            /* 0 when none */
	enum opt_type type;
	const char *arg;            /* value placeholder in help: "NAME" */
	const char *help;
	const char *const *choices; /* NULL-terminated allowed values, or NULL */
};

#define OPT_TABLE_END { 0, NULL, 0, OPT_END, NULL, NULL, NULL }

/* Called once per option found; VALUE is NULL for flags. Return 0, or an
 * exit status after filling D. */
typedef int (*opt_handler)(void *ud, int id, const char *value, struct ed_diag *d);

/* Returned by opts_parse() when -h or --help was given. */
#define OPTS_HELP (-1)

/* Parse ARGV[0..ARGC) against TABLES (a NULL-terminated list of tables, so
 * commands can share the global and selection options). Positional arguments
 * are collected into POS (pointers into ARGV; the array is malloc'd, free it)
 * and counted in *NPOS. With STOP_AT_POSITIONAL, parsing stops at the first
 * positional argument, which with everything after it goes into POS.
 * Returns 0, OPTS_HELP, or ED_EXIT_INPUT with D filled (unknown option,
 * missing value, value outside `choices`). */
int opts_parse(const struct opt *const *tables, int argc, char **argv, bool stop_at_positional,
	       opt_handler handler, void *ud, char ***pos, int *npos, struct ed_diag *d);

/* Print the option lines of TABLES, aligned, to F. */
void opts_print_help(FILE *f, const struct opt *const *tables);

#endif
