/* registry_int.h - what the registry's source files share: the arena, the
 * registry's private layout, the package-name rules, and the snapshot the
 * build compiles in. Not installed; nothing outside src/map/ and
 * tools/snapshot.c includes it. The loaders of mapping files share more,
 * in regload.h. */
#ifndef EXTDEPS_REGISTRY_INT_H
#define EXTDEPS_REGISTRY_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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
	/* ids of ecosystems whose package names were checked before the
	 * parent that gives their rule was loaded (reg_names_later()) */
	const char **names_later;
	size_t nnames_later;
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
 *              DEFAULT_RELEASE NAMES HAS_PM pm HAS_PYTHON_DEV specs
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

/* --- package names (`package_names`, extdeps-mappings(5)) --- */

/* Whether C may stand in a package name under RULE (not REG_NAMES_UNSET),
 * FIRST for its first character. */
bool reg_name_char_ok(char c, bool first, enum reg_names rule);
/* The offset of the first character of NAME (LEN bytes) that RULE refuses,
 * or LEN when there is none. */
size_t reg_name_bad(const char *name, size_t len, enum reg_names rule);
/* What RULE allows, for messages: "[a-z0-9][a-z0-9+.-]*". */
const char *reg_names_allowed(enum reg_names rule);
/* The rule of ECO: its own `package_names`, else its nearest parent's,
 * else REG_NAMES_DEFAULT. *KNOWN (when not NULL) is false when a parent on
 * the way is not loaded, so that a later one may still give the rule. */
enum reg_names reg_eco_names(const struct registry *reg, const struct reg_ecosystem *eco,
			     bool *known);
/* Note that the names of ecosystem ID (its own id string, kept) were
 * checked before its rule was known: registry_check() checks them again.
 * False when out of memory. */
bool reg_names_later(struct registry *reg, const char *id);

#endif
