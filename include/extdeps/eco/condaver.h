/* condaver.h - conda's version order and match specs, for libsolv.
 *
 * Debian's libsolv has no conda support (no DISTTYPE_CONDA comparison), so a
 * conda version is encoded into a string whose order under libsolv's rpm
 * rules (DISTTYPE_RPM, solv_vercmp_rpm) is conda's order, equal versions
 * giving equal strings ("1.0" and "1.0.0").
 *
 * conda's rules (conda.models.version.VersionOrder): an optional integer
 * epoch before '!', a local part after '+'; components split at '.' and '_'
 * ('-' read as '_' where there is no '_'), each a run of numbers and
 * letters, lower case; 'dev' sorts before every other string, 'post' after
 * every number; strings before numbers; a component starting with a letter
 * gets a leading 0; a missing element counts as 0.
 *
 * The encoding: each non-empty component (trailing zeros removed) becomes a
 * header saying where it is and whether it sorts before or after an absent
 * one ("d" + (999 - index) after, "~h" + index before; local components
 * count from 500), followed by one token per element: "~~a0" dev, "~~b" STR
 * "0" a string, "~~c0" a zero followed by a string, "f0" a zero followed by
 * post, "i" N a number, "p0" post. '~' sorts before the end of the string in
 * rpm rules, which is what lets an absent component read as zeros.
 *
 * Match specs ("numpy >=1.20,<2", "python 3.9.* *_cpython", "=1.2",
 * "1.0|2.0") are split into name, version expression and build glob; the
 * version expression is turned into libsolv relations on encoded versions
 * by the conda backend (conda_match.h). Startswith matches
 * ("1.2.*", "=1.2") become a range from "1.2dev" (inclusive) to "1.3dev"
 * (exclusive); conda's exact set also holds versions such as "1.2dev.dev"
 * below that bound, which the range misses.
 */
#ifndef EXTDEPS_CONDAVER_H
#define EXTDEPS_CONDAVER_H

#include <stdbool.h>
#include <stddef.h>

#include "extdeps/util/diag.h"

/* Room for any encoding of a version of up to CONDAVER_MAX_LEN bytes. */
#define CONDAVER_MAX_LEN 128
#define CONDAVER_ENC_MAX 1024

/* True when S is a valid conda version. */
bool condaver_valid(const char *s);

/* Compare two conda versions with conda's own algorithm: <0, 0, >0. An
 * invalid version sorts before valid ones; two invalid ones by strcmp. */
int condaver_cmp(const char *a, const char *b);

/* Encode version V (its epoch included as the rpm epoch "E:") into OUT.
 * False when V is invalid or too long. */
bool condaver_encode(const char *v, char *out, size_t size);

/* Bounds of the startswith match "V.*": *LOWER (inclusive) and *UPPER
 * (exclusive), encoded. UPPER is "" when there is none (a match ending in
 * 'post'). False when V is invalid. */
bool condaver_prefix_bounds(const char *v, char *lower, size_t lsize, char *upper,
			    size_t usize);

/* A match spec split into its parts (strings malloc'd, free with
 * condaspec_fini). */
struct condaspec {
	char *name;     /* "numpy" */
	char *version;  /* version expression ("<2,>=1.20"), NULL for any */
	char *build;    /* build string or glob ("*_cpython"), NULL for any */
};

/* Parse a match spec: "NAME", "NAME VERSION", "NAME VERSION BUILD",
 * "NAMEOPVERSION" (numpy>=1.20), "NAME=VERSION[=BUILD]", an optional
 * "CHANNEL::" prefix (dropped). Brackets ("numpy[version='>=1']") are not
 * supported. -1 with E (offset into SPEC) on a malformed spec. */
int condaspec_parse(const char *spec, struct condaspec *out, struct ed_parse_err *e);
void condaspec_fini(struct condaspec *s);

/* One relation of a version expression: OP is "==", "!=", "<", "<=", ">",
 * ">=", "=*" (startswith), "!=*" (not startswith), "*" (any version) or "~"
 * (a glob or regex that cannot be expressed: treated as any version). */
struct condaver_rel {
	char op[4];
	char version[CONDAVER_MAX_LEN + 1];
};

/* A version expression as a tree: leaves are relations, inner nodes ','
 * (all) or '|' (any). Built by condaver_expr_parse; free with
 * condaver_expr_free. */
struct condaver_expr {
	char kind; /* 'r' relation, ',' and, '|' or */
	struct condaver_rel rel;
	struct condaver_expr *left, *right;
};

/* Parse version expression S ("<2,>=1.20", "1.2.*|>=3", "(1|2),!=1.5").
 * NULL with E filled on a malformed expression or version. */
struct condaver_expr *condaver_expr_parse(const char *s, struct ed_parse_err *e);
void condaver_expr_free(struct condaver_expr *x);

/* Whether version V matches expression X (conda's semantics, the
 * approximations above aside). For tests and the installed-set check. */
bool condaver_expr_match(const struct condaver_expr *x, const char *v);

#endif
