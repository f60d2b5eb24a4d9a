/* depurl.h - PEP 725 DepURLs: dep:type/namespace/name@version?qualifiers#subpath
 *
 * Parsing follows the PURL component rules: the scheme and type are
 * case-insensitive and normalised to lower case; namespace segments, name,
 * qualifier values and subpath are percent-decoded; qualifier keys are lower
 * case and sorted; the version after `@` is a PEP 440 specifier (see
 * pep440.h). The earlier draft forms are read and normalised to `dep:`:
 *   pkg:generic/x           -> dep:generic/x
 *   virtual:compiler/c      -> dep:virtual/compiler/c
 *   virtual:interface/blas  -> dep:virtual/interface/blas
 * and the alias dep:virtual/compiler/cpp -> dep:virtual/compiler/cxx.
 *
 * Further rules: the virtual type takes exactly one namespace, 'compiler' or
 * 'interface', and its namespace and name are case-insensitive (lower-cased);
 * types whose PURL definition makes names case-insensitive (alpm, apk,
 * bitbucket, composer, deb, github, hex, pypi) have namespace and name
 * lower-cased, and pypi names map '_' to '-'. Whitespace, control and
 * non-ASCII bytes are errors (the caller strips the text around a DepURL).
 * Qualifiers with an empty value are dropped; a duplicate key is an error.
 * The subpath drops empty segments and refuses '.' and '..'. depurl_str()
 * writes the version as the normalised specifier, unencoded
 * ("dep:generic/openssl@>=3"; a bare "@1.0" becomes "@==1.0").
 */
#ifndef EXTDEPS_DEPURL_H
#define EXTDEPS_DEPURL_H

#include <stdbool.h>
#include <stddef.h>

#include "extdeps/read/pep440.h"
#include "extdeps/util/diag.h"

struct depurl_qualifier {
	char *key;   /* lower case */
	char *value; /* decoded */
};

/* A parsed DepURL. Owned; free with depurl_free(). */
struct depurl {
	char *type;      /* "generic", "virtual", "github", "pypi" ... lower case */
	char *namespace; /* decoded, segments joined by '/', or NULL */
	char *name;      /* decoded */
	char *version;   /* the specifier text as written after '@' (decoded), or NULL */
	struct pep440_spec *spec; /* parsed version, or NULL when none */
	struct depurl_qualifier *qualifiers; /* sorted by key */
	size_t nqualifiers;
	char *subpath;   /* decoded, or NULL */
	/* "dep:type/namespace/name" in canonical form, without version,
	 * qualifiers or subpath: the key used by mappings */
	char *id;
	bool legacy;     /* written in the draft syntax (pkg:, virtual:) */
	bool aliased;    /* a known alias was rewritten (cpp -> cxx) */
};

/* Parse TEXT (LEN bytes). Returns NULL and fills ERR (byte offset into TEXT
 * and what was expected) for invalid input or when out of memory. */
struct depurl *depurl_parse(const char *text, size_t len, struct ed_parse_err *err);

void depurl_free(struct depurl *d);

/* The full canonical text, with version ("@>=1.2"), sorted qualifiers and
 * subpath re-encoded. malloc'd; NULL when out of memory. */
char *depurl_str(const struct depurl *d);

/* Whether A and B name the same dependency: type, namespace, name, version
 * specifier (normalised), qualifiers and subpath equal; how they were
 * written (the draft syntax, the text of the version) aside. Reading what
 * depurl_str() prints gives a DepURL that is the same as the one printed. */
bool depurl_same(const struct depurl *a, const struct depurl *b);

#endif
