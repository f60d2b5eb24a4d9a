/* pep440.h - PEP 440 versions and the specifier subset PEP 725 allows.
 *
 * Versions compare with full PEP 440 ordering (epochs, pre/post/dev releases,
 * local versions, implicit zero padding: 1.0 == 1.0.0). Specifiers are the
 * clauses `>=, >, <, <=, ==` (and `!=`, `~=`, `===` are rejected with a message
 * naming the allowed set) joined by `,`; `==` accepts a trailing `.*`.
 */
#ifndef EXTDEPS_PEP440_H
#define EXTDEPS_PEP440_H

#include <stdbool.h>
#include <stddef.h>

#include "extdeps/util/diag.h"

/* True when S (NUL-terminated) is a valid PEP 440 version (public or local). */
bool pep440_valid(const char *s);

/* Compare two PEP 440 versions: <0, 0, >0. Invalid versions sort before valid
 * ones and compare among themselves with strcmp (never crashes). */
int pep440_cmp(const char *a, const char *b);

enum pep440_op { PEP440_EQ, PEP440_NE, PEP440_LT, PEP440_LE, PEP440_GT, PEP440_GE };

struct pep440_clause {
	enum pep440_op op;
	char *version;  /* normalised text, without the `.*` */
	bool wildcard;  /* `==1.2.*` */
};

/* A conjunction of clauses. Owned; free with pep440_spec_free(). */
struct pep440_spec {
	struct pep440_clause *clauses;
	size_t count;
};

/* Parse TEXT (LEN bytes) as a specifier such as ">=1.2,<2". Whitespace around
 * clauses is allowed. A bare version ("1.2.3", as a PURL version) means
 * "==1.2.3". Returns NULL and fills ERR (offset into TEXT) when invalid. */
struct pep440_spec *pep440_spec_parse(const char *text, size_t len, struct ed_parse_err *err);

void pep440_spec_free(struct pep440_spec *spec);

/* True when VERSION satisfies every clause of SPEC (pre-releases included). */
bool pep440_spec_contains(const struct pep440_spec *spec, const char *version);

/* Whether some version satisfies both A and B (either may be NULL: any
 * version), reading each as the range its bounds make: ">=12" and "<12,>=11"
 * do not overlap, ">=11" and ">=12,<13" do, "==12.*" is [12, 13). Pre-release
 * subtleties of PEP 440 are not modelled: a range, not a candidate. */
bool pep440_spec_overlaps(const struct pep440_spec *a, const struct pep440_spec *b);

/* The normalised text of SPEC: clauses in order, joined by ",", no spaces
 * (">=1.2,<2"). Returns a malloc'd string, or NULL when out of memory. */
char *pep440_spec_str(const struct pep440_spec *spec);

/* The operator as written: ">=", "==" ... */
const char *pep440_op_str(enum pep440_op op);

/* The normalised form of version S ("V1.0-RC.1" -> "1.0rc1", "1!2.0.post0",
 * "1.0+ubuntu.1"). malloc'd; NULL when S is not a valid version or out of
 * memory. */
char *pep440_normalize(const char *s);

/* Evaluate "VERSION OP OTHER" with PEP 440 specifier semantics for any of the
 * eight PEP 440 operators (OP is "==", "!=", "<", "<=", ">", ">=", "~=" or
 * "==="; OTHER may end in ".*" after "==" and "!="). Unlike the specifier
 * parser this accepts every operator: PEP 508 markers need them. Returns 1
 * or 0, or -1 when OP is unknown or a side is not a valid version for OP (the
 * caller then falls back to string comparison, as PEP 508 says). */
int pep440_op_eval(const char *version, const char *op, const char *other);

#endif
