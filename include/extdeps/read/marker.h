/* marker.h - PEP 508 environment markers: parse, evaluate, print.
 *
 * Grammar: marker_or := marker_and ('or' marker_and)*; marker_and :=
 * marker_expr ('and' marker_expr)*; marker_expr := marker_var OP marker_var |
 * '(' marker_or ')'; OP is one of < <= != == >= > ~= === in, not in. Variables
 * are the PEP 508 names (os_name, sys_platform, platform_machine,
 * platform_python_implementation, platform_release, platform_system,
 * platform_version, python_version, python_full_version,
 * implementation_name, implementation_version, extra) and, for older
 * metadata, the dotted forms (os.name, sys.platform, platform.machine,
 * platform.python_implementation, platform.version, python_implementation)
 * normalised to them. Comparisons of version-valued variables use PEP 440
 * ordering when both sides are valid versions, string comparison otherwise;
 * `extra` compares normalised names (PEP 685).
 */
#ifndef EXTDEPS_MARKER_H
#define EXTDEPS_MARKER_H

#include <stdbool.h>
#include <stddef.h>

#include "extdeps/util/diag.h"

enum marker_var {
	MARKER_OS_NAME,
	MARKER_SYS_PLATFORM,
	MARKER_PLATFORM_MACHINE,
	MARKER_PLATFORM_PYTHON_IMPLEMENTATION,
	MARKER_PLATFORM_RELEASE,
	MARKER_PLATFORM_SYSTEM,
	MARKER_PLATFORM_VERSION,
	MARKER_PYTHON_VERSION,
	MARKER_PYTHON_FULL_VERSION,
	MARKER_IMPLEMENTATION_NAME,
	MARKER_IMPLEMENTATION_VERSION,
	MARKER_VAR_COUNT, /* `extra` is passed separately */
};

/* The environment markers are evaluated against. Values are borrowed. */
struct marker_env {
	const char *values[MARKER_VAR_COUNT];
};

struct marker; /* opaque parsed expression */

/* Parentheses nest at most this deep; deeper input is an error, which keeps
 * parsing, evaluation and printing of hostile input shallow. */
#define MARKER_MAX_DEPTH 64

/* Parse TEXT (LEN bytes). Returns NULL and fills ERR for invalid input. */
struct marker *marker_parse(const char *text, size_t len, struct ed_parse_err *err);

void marker_free(struct marker *m);

/* Evaluate M in ENV. EXTRAS is the list of selected extras (normalised or not);
 * `extra == "x"` is true when x is among them. With NEXTRAS == 0 any
 * comparison on `extra` is false, as pip does. */
bool marker_eval(const struct marker *m, const struct marker_env *env,
		 const char *const *extras, size_t nextras);

struct strindex;

/* The same, with INDEX (may be NULL) an index of the NEXTRAS EXTRAS, which
 * must then be normalised: `extra == "x"` and `extra != "x"` are answered
 * by a look-up instead of a pass over the extras. */
bool marker_eval_indexed(const struct marker *m, const struct marker_env *env,
			 const char *const *extras, size_t nextras, const struct strindex *index);

/* The normalised text of M: single spaces, double quotes, minimal
 * parentheses. malloc'd. */
char *marker_str(const struct marker *m);

/* When M is `extra == "NAME"` or `extra == "NAME" and REST` (in either order)
 * at the top level, return NAME normalised (malloc'd) and set *REST to the
 * remaining marker text (malloc'd) or NULL when nothing remains. Otherwise
 * return NULL. Used for Core Metadata, where extras arrive as markers. */
char *marker_split_extra(const struct marker *m, char **rest);

/* The name of variable V as PEP 508 spells it. */
const char *marker_var_name(enum marker_var v);

/* Normalise a PEP 503/685 name: lower case, runs of -_. become '-'.
 * malloc'd. */
char *marker_normalize_name(const char *name);

/* Fill ENV with this machine's values: os_name "posix"; sys_platform the
 * lower-cased kernel name ("linux", "darwin"); platform_system, _release,
 * _version and _machine from uname(2); implementation_name "cpython",
 * platform_python_implementation "CPython". No Python is run: python_version
 * and python_full_version come from $EXTDEPS_PYTHON_VERSION when it holds a
 * valid version ("3.11" gives "3.11" and "3.11.0"; "3.11.4" gives "3.11" and
 * "3.11.4"), else "3.12" and "3.12.0"; implementation_version equals
 * python_full_version. The strings are copied into BUF (BUFSIZE bytes; 1024
 * is ample), which must outlive ENV; values that do not fit are "". */
void marker_env_host(struct marker_env *env, char *buf, size_t bufsize);

#endif
