/* regload.h - what the loaders of mapping files share: the parsed document,
 * errors at a node, typed readers of YAML nodes (regload.c), and the
 * loaders' entry points.
 *
 * registry_files.c parses a document (reg_ld_open()) and hands it, by file
 * name, to one loader: registry_yaml.c (extdeps-mappings(5)) or pep804.c
 * (PEP 804). The loaders are built on regload.c and not on each other, but
 * for one call: pep804.c reads the entry it keeps under
 * extra_metadata.extdeps, which has the YAML schema's shape, with
 * reg_parse_entry().
 *
 * Ownership: what a reader returns (strings, lists, specs, DepURL ids) is
 * allocated in the registry's arena and lives as long as the registry;
 * nodes belong to the document and live until reg_ld_close().
 *
 * Errors: every function returning int returns 0, or an exit status with
 * LD->D filled: ED_EXIT_INPUT, with LD->FILE and the line and column of the
 * node at fault, for bad input; ED_EXIT_ENV, without a location, when out
 * of memory. What a reader was to fill is unspecified after an error. Not
 * installed; only src/map/ includes it. */
#ifndef EXTDEPS_MAP_REGLOAD_H
#define EXTDEPS_MAP_REGLOAD_H

#include <stdbool.h>
#include <stddef.h>

#include <yaml.h>

#include "registry_int.h"

/* One document being loaded into a registry. */
struct reg_ld {
	struct registry *reg;
	const char *file; /* the name messages give, an arena copy */
	yaml_document_t doc;
	yaml_node_t *root; /* a mapping */
	struct ed_diag *d;
	/* the placeholders the package names being read may hold (a type
	 * rule's, python_dev's: reg_speclist()), or NULL */
	const char *const *templates;
};

/* --- the document --- */

/* Parse TEXT (LEN bytes, NUL not needed) of the file NAME into LD for REG,
 * errors going to D: YAML, or JSON when NAME ends in ".json" (JSON's
 * surrogate pairs rewritten, which YAML does not take). The root must be a
 * mapping. On success reg_ld_close() frees the document; on error nothing
 * is left to free. */
int reg_ld_open(struct reg_ld *ld, struct registry *reg, const char *name, const char *text,
		size_t len, struct ed_diag *d);
void reg_ld_close(struct reg_ld *ld);

/* --- nodes --- */

yaml_node_t *reg_node(struct reg_ld *ld, int index);
/* The text of scalar N. */
const char *reg_sval(const yaml_node_t *n);
bool reg_is_plain(const yaml_node_t *n); /* an unquoted scalar */
bool reg_is_null(const yaml_node_t *n);
/* "a mapping", "a list", "null" or "a scalar", for messages. */
const char *reg_node_kind(const yaml_node_t *n);
struct reg_loc reg_loc_of(struct reg_ld *ld, const yaml_node_t *n);

/* Fill LD->D with an error at N (no location when N is NULL), or at byte
 * OFF of scalar N's text. */
int reg_err(struct reg_ld *ld, const yaml_node_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int reg_err_off(struct reg_ld *ld, const yaml_node_t *n, size_t off, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* The loaders' one out-of-memory path: ed_diag_oom(LD->D). */
int reg_oom(struct reg_ld *ld);

/* --- readers --- */

/* Check the keys of mapping N against ALLOWED (NULL-terminated): unknown
 * keys (naming the nearest allowed one) and duplicates; fills VALS[i] (and
 * KEYS[i] when KEYS is not NULL) with the nodes of ALLOWED[i], or NULL. WHAT
 * names the mapping in messages ("a dependency"). */
int reg_keys(struct reg_ld *ld, yaml_node_t *n, const char *what, const char *const *allowed,
	     yaml_node_t **vals, yaml_node_t **keys);
/* That N is a mapping with string keys, none twice; WHAT completes
 * "expected WHAT, found ...". */
int reg_mapping(struct reg_ld *ld, yaml_node_t *n, const char *what);
/* N's text into *OUT; null gives NULL where NULLABLE. */
int reg_string(struct reg_ld *ld, yaml_node_t *n, bool nullable, char **out);
/* A list of strings into *OUT (*COUNT of them) and, when LOCS is not NULL,
 * where each was written into *LOCS. */
int reg_strlist(struct reg_ld *ld, yaml_node_t *n, char ***out, size_t *count,
		struct reg_loc **locs);
/* A string or a list of strings (PEP 804's shorthand), as reg_strlist(). */
int reg_str_or_list(struct reg_ld *ld, yaml_node_t *n, char ***out, size_t *count,
		    struct reg_loc **locs);
int reg_bool(struct reg_ld *ld, yaml_node_t *n, bool *out);
/* One of WORDS (NULL-terminated): its index into *WHICH; otherwise
 * "expected 'a', 'b' or 'c', found 'x'". */
int reg_keyword(struct reg_ld *ld, yaml_node_t *n, const char *const *words, size_t *which);
/* A list of package specs ("a | b") of ecosystem ECO, whose names must keep
 * to RULE (reg_names_of()), placeholders aside when LD->TEMPLATES. */
int reg_speclist(struct reg_ld *ld, yaml_node_t *n, const char *eco, enum reg_names rule,
		 struct reg_spec_list *out);
/* The ids of the keys of mapping MAP, each checked as reg_depurl_id() checks
 * it (no version), in the order of its pairs: *IDS (malloc'd, arena strings)
 * gets *N of them. */
int reg_depurl_keys(struct reg_ld *ld, yaml_node_t *map, char ***ids, size_t *n);
/* Check that N's text is a DepURL without qualifiers or subpath (nor
 * version unless ALLOW_VERSION), in canonical form; *ID gets its id and,
 * when VERSION is not NULL, *VERSION its normalised version or NULL. */
int reg_depurl_id(struct reg_ld *ld, yaml_node_t *n, bool allow_version, char **id,
		  char **version);
/* The package-name rule for the mappings ECO's file is about to add
 * (reg_eco_names()); when a parent it needs is not loaded yet, the default,
 * and registry_check() checks the names again. */
int reg_names_of(struct reg_ld *ld, const struct reg_ecosystem *eco, enum reg_names *rule);

/* --- the loaders (registry_files.c picks one by file name) --- */

/* registry_yaml.c: registry.yaml; ECOSYSTEM.yaml, STEM its file name's. */
int reg_load_registry_yaml(struct reg_ld *ld);
int reg_load_eco_yaml(struct reg_ld *ld, const char *stem);
/* A mapping body of ECOSYSTEM.yaml (KEY its DepURL) into M, with its
 * releases and version branches, or, when M is NULL, an override without
 * branches of its own into ENTRY. ECO and RULE as for reg_speclist(). */
int reg_parse_entry(struct reg_ld *ld, yaml_node_t *key, yaml_node_t *val, const char *eco,
		    enum reg_names rule, struct reg_mapping *m, struct reg_entry *entry);

/* pep804.c: registry.json; ECOSYSTEM.mapping.json, or with RELEASE not
 * NULL, ECOSYSTEM+RELEASE.mapping.json (that release's overrides). */
int reg_load_pep804_registry(struct reg_ld *ld);
int reg_load_pep804_mapping(struct reg_ld *ld, const char *eco_id, const char *release);

#endif
