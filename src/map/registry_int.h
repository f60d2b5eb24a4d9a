/* registry_int.h - what the registry's source files share: the arena, the
 * registry's private layout, the YAML node helpers, and the snapshot the
 * build compiles in. Not installed; nothing outside src/registry*.c,
 * src/pep804.c, tools/snapshot.c and the registry tests includes it. */
#ifndef EXTDEPS_REGISTRY_INT_H
#define EXTDEPS_REGISTRY_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <yaml.h>

#include "extdeps/map/registry.h"

/* --- arena: everything a registry owns is freed at once --- */

struct reg_arena_block;

struct reg_arena {
	struct reg_arena_block *head;
};

void *ra_alloc(struct reg_arena *a, size_t size);  /* zeroed; NULL when out of memory */
/* Not zeroed: for arrays the caller fills, so that the pages of capacity
 * left for growth are not touched. */
void *ra_alloc_raw(struct reg_arena *a, size_t size);
char *ra_strdup(struct reg_arena *a, const char *s); /* NULL for NULL */
char *ra_strndup(struct reg_arena *a, const char *s, size_t n);
/* Make room for item N of an arena array of N items of SIZE. The capacity is
 * implied by N (8, then powers of two), so arrays need no capacity field. */
bool ra_grow(struct reg_arena *a, void **items, size_t n, size_t size);

struct registry {
	struct reg_arena arena;
	struct reg_def *defs; /* sorted by id */
	size_t ndefs;
	struct reg_alias *aliases; /* sorted by name */
	size_t naliases;
	struct reg_ecosystem *ecos; /* sorted by id */
	size_t necos;
};

/* --- the snapshot: mappings/ compiled in --- */

/* tools/snapshot.c loads and checks the mapping files at build time and
 * writes the registry without a pointer (registry_snapshot_data.c), so that
 * starting the binary relocates nothing and only what a run reads is paged
 * in; registry_embedded.c builds the structs a run asks for from it, strings
 * pointing into REG_SNAP_STRINGS (every string once, NUL-terminated).
 * REG_SNAP_WORDS holds, in this grammar (every item a word; STR is a
 * string's offset + 1, 0 for NULL; counts and lists as written in the
 * structs, sorted as the registry keeps them):
 *
 *   registry = ECOS NDEFS def* NALIASES alias* NECOS (ID INHERITS AT)* eco*
 *              (ECOS: the index of the word NECOS; AT: of the eco's first)
 *   def      = ID DESCRIPTION VERSIONING strs(provides) locs
 *              strs(aliases) locs strs(pkgconfig) strs(executables)
 *              strs(env) strs(files) loc
 *   strs     = N STR*          locs = 0 | 1 loc*  (one per string before)
 *   loc      = FILE LINE COL
 *   alias    = NAME ID VERSION loc
 *   eco      = ID NAME INHERITS loc NRELEASES (NUMBER CODENAME)*
 *              DEFAULT_RELEASE HAS_PM pm HAS_PYTHON_DEV specs
 *              NMAPPINGS mapping* loc
 *   pm       = NAME strs(install) NEEDS_ROOT CONSTRAINT INSTALL_CONSTRAINT
 *              PIN NOPS (OP TEXT)*
 *   mapping  = ID DESCRIPTION SPECS_FROM loc entry NRELEASES
 *              (RELEASE entry loc)* loc
 *   entry    = HAS_SPECS HAS_STAGE HAS_STAGE HAS_STAGE stage stage stage
 *              VERSION UNAVAILABLE
 *   stage    = 0..2 (shares that earlier stage's list) | 3 specs
 *   specs    = N strs*         (the alternatives of each spec) */
extern const char reg_snap_strings[];
extern const uint32_t reg_snap_words[];

/* Insert or replace, keeping the arrays sorted. NULL when out of memory. */
struct reg_def *reg_put_def(struct registry *reg, const char *id);
struct reg_alias *reg_put_alias(struct registry *reg, const char *name);
struct reg_ecosystem *reg_get_eco(struct registry *reg, const char *id, bool *created);
struct reg_mapping *reg_put_mapping(struct registry *reg, struct reg_ecosystem *eco,
				    const char *id, bool replace);

/* The loaders of the two syntaxes, on a parsed document. */
struct reg_ld {
	struct registry *reg;
	const char *file;   /* for messages */
	yaml_document_t doc;
	struct ed_diag *d;
};

int reg_load_pep804_registry(struct reg_ld *ld);
int reg_load_pep804_mapping(struct reg_ld *ld, const char *eco_id, const char *release);

/* Node helpers (registry_yaml.c). */
yaml_node_t *reg_node(struct reg_ld *ld, int index);
int reg_err(struct reg_ld *ld, const yaml_node_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
bool reg_is_null(const yaml_node_t *n);
struct reg_loc reg_loc_of(struct reg_ld *ld, const yaml_node_t *n);
/* Check the keys of mapping N against ALLOWED (NULL-terminated): unknown
 * keys (naming the nearest allowed one) and duplicates; fills VALS[i] (and
 * KEYS[i] when KEYS is not NULL) with the nodes of ALLOWED[i], or NULL. WHAT
 * names the mapping in messages ("a dependency"). */
int reg_keys(struct reg_ld *ld, yaml_node_t *n, const char *what, const char *const *allowed,
	     yaml_node_t **vals, yaml_node_t **keys);
int reg_string(struct reg_ld *ld, yaml_node_t *n, bool nullable, char **out);
int reg_strlist(struct reg_ld *ld, yaml_node_t *n, char ***out, size_t *count,
		struct reg_loc **locs);
int reg_bool(struct reg_ld *ld, yaml_node_t *n, bool *out);
/* A string or a list of strings (PEP 804's shorthand). */
int reg_str_or_list(struct reg_ld *ld, yaml_node_t *n, char ***out, size_t *count,
		    struct reg_loc **locs);
/* Parse a list of package specs ("a | b") of ecosystem ECO. */
int reg_speclist(struct reg_ld *ld, yaml_node_t *n, const char *eco, bool debian_names,
		 struct reg_spec_list *out);
/* Parse a mapping body of ECOSYSTEM.yaml into M (with its releases), or,
 * when M is NULL, a release override into ENTRY. KEY is the DepURL key. */
int reg_parse_entry(struct reg_ld *ld, yaml_node_t *key, yaml_node_t *val, const char *eco,
		    bool debian_names, struct reg_mapping *m, struct reg_entry *entry);
/* Whether ECO writes Debian package names (debian, ubuntu, and what inherits debian). */
bool reg_debian_names(const char *eco, const char *inherits);
/* Check that N's text is a DepURL without version, qualifiers or subpath, in
 * canonical form; *ID gets the arena copy. */
int reg_depurl_id(struct reg_ld *ld, yaml_node_t *n, bool allow_version, char **id,
		  char **version);

#endif
