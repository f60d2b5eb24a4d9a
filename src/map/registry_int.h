/* registry_int.h - what the registry's source files share: the arena, the
 * registry's private layout and look-ups (registry.c), ecosystems'
 * inheritance, releases and package-name rules (registry_eco.c), whether a
 * DepURL is mapped (registry_map.c), and the snapshot the build compiles
 * in. Not installed; nothing outside src/map/ and tools/snapshot.c
 * includes it. The loaders of mapping files share more, in regload.h. */
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

/* Parents are followed at most this far: registry_check() rejects cycles,
 * the limit keeps look-ups finite on a registry that was never checked. */
#define REG_MAX_CHAIN 16

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
 *   eco      = ID NAME INHERITS loc PEP804_ID NRELEASES (NUMBER CODENAME)*
 *              DEFAULT_RELEASE NAMES HAS_PM pm HAS_PYTHON_DEV specs
 *              strs(export_formats) NREPOS repo* NRULES rule*
 *              NMAPPINGS mapping* loc
 *   rule     = TYPE entry LOWER strs(replace) loc
 *   repo     = ID NAME COMPONENT URL SUITE KEYRING NENABLE strs* loc
 *   pm       = NAME strs(install) NEEDS_ROOT CONSTRAINT INSTALL_CONSTRAINT
 *              PIN NOPS (OP TEXT)*
 *   mapping  = ID DESCRIPTION SPECS_FROM loc entry NRELEASES
 *              (RELEASE entry branches loc)* branches loc
 *   branches = N (RANGE entry loc)*
 *   entry    = HAS_SPECS HAS_STAGE HAS_STAGE HAS_STAGE stage stage stage
 *              VERSION UNAVAILABLE REPOSITORY loc
 *   stage    = 0..2 (shares that earlier stage's list) | 3 specs
 *   specs    = N spec*
 *   spec     = strs(alternatives) (0 | 1 STR*: each alternative's fixed
 *              constraint, when one has) */
extern const char reg_snap_strings[];
extern const uint32_t reg_snap_words[];

/* TYPE as the snapshot keeps it when a compiled-in ecosystem has a rule
 * for it, loaded or not; else NULL. */
const char *reg_embedded_ruled_type(const char *type);

/* The id of the compiled-in ecosystem whose `pep804_id` is PEP804, loaded
 * or not; else NULL. */
const char *reg_embedded_pep804_owner(const char *pep804);

/* Whether BASE names a PEP 804 mapping file, ECOSYSTEM[+RELEASE].mapping.json
 * with ECOSYSTEM shorter than SIZE: ECOSYSTEM into STEM, and a pointer into
 * STEM at RELEASE (or NULL) into *RELEASE when RELEASE is not NULL
 * (registry_files.c). */
bool reg_mapping_json_name(const char *base, char *stem, size_t size, char **release);

/* The ecosystem that PEP 804's ecosystem id PEP804 (the stem of
 * PEP804[+RELEASE].mapping.json) stands for: the loaded, else the
 * compiled-in, ecosystem whose `pep804_id` it is; else PEP804 itself, an
 * ecosystem's own id or an overlay's new one (registry_eco.c). */
const char *reg_pep804_owner(const struct registry *reg, const char *pep804);

/* --- storage and look-ups (registry.c) --- */

/* Insert or replace, keeping the arrays sorted. NULL when out of memory. */
struct reg_def *reg_put_def(struct registry *reg, const char *id);
struct reg_alias *reg_put_alias(struct registry *reg, const char *name);
struct reg_ecosystem *reg_get_eco(struct registry *reg, const char *id, bool *created);
struct reg_mapping *reg_put_mapping(struct registry *reg, struct reg_ecosystem *eco,
				    const char *id, bool replace);
/* Before a run of reg_put_def() or reg_put_mapping() calls for N distinct
 * ids in any order: insert the missing ones at once, so that the puts find
 * them in place. False when out of memory. */
bool reg_reserve_defs(struct registry *reg, const char *const *ids, size_t n);
bool reg_reserve_mappings(struct registry *reg, struct reg_ecosystem *eco, const char *const *ids,
			  size_t n);
/* ECO's rule for TYPE, inserted zeroed or reset. */
struct reg_rule *reg_put_rule(struct registry *reg, struct reg_ecosystem *eco, const char *type);

/* The key nearest to WORD among the N items of SIZE of ITEMS, whose first
 * member is their char * key (the registry's sorted arrays), or NULL. */
const char *reg_nearest_key(const void *items, size_t n, size_t size, const char *word);
/* ECO's own rule for PURL type TYPE (no inheritance), or NULL. */
const struct reg_rule *reg_find_sorted_rule(const struct reg_ecosystem *eco, const char *type);
/* ECO's own repository ID (no inheritance), or NULL. */
const struct reg_repository *reg_find_sorted_repository(const struct reg_ecosystem *eco,
							const char *id);
/* The versioned alias NAME (top-level `aliases`), or NULL. */
const struct reg_alias *reg_find_alias(const struct registry *reg, const char *name);
/* The definition listing NAME among its `aliases` (bare or DepURL), or
 * NULL; *WHICH (when not NULL) gets the alias's index in it. */
const struct reg_def *reg_find_def_alias(const struct registry *reg, const char *name,
					 size_t *which);

/* --- ecosystems: inheritance and releases (registry_eco.c) --- */

/* The ecosystem ECO inherits from, or NULL (none, or not loaded). */
const struct reg_ecosystem *reg_eco_parent(const struct registry *reg,
					   const struct reg_ecosystem *eco);
/* The ecosystem whose `releases` apply to ECO: its own, else its parent's;
 * NULL when none has releases. */
const struct reg_ecosystem *reg_release_owner(const struct registry *reg,
					      const struct reg_ecosystem *eco);
/* The release of OWNER (may be NULL) numbered TEXT, or with code name TEXT
 * (any case) when BY_NAME; NULL when none. */
const struct reg_release *reg_find_release(const struct reg_ecosystem *owner, const char *text,
					   bool by_name);
/* An ED_EXIT_INPUT error about release REL of ecosystem ECO, which OWNER
 * does not list by number, naming those it does; at LOC, or without a
 * location when LOC is NULL (LOC is needed when REL is a code name). */
int reg_unknown_release(const struct reg_ecosystem *owner, const char *rel, const char *eco,
			const struct reg_loc *loc, struct ed_diag *d);

/* --- package names (`package_names`, extdeps-mappings(5); registry_eco.c) --- */

/* Whether C may stand in a package name under RULE (not REG_NAMES_UNSET),
 * FIRST for its first character. */
bool reg_name_char_ok(char c, bool first, enum reg_names rule);
/* The offset of the first character of NAME (LEN bytes) that RULE refuses,
 * or LEN when there is none. */
size_t reg_name_bad(const char *name, size_t len, enum reg_names rule);
/* The placeholders of names a type rule makes ({name}, {namespace}) and of
 * python_dev's ({python}, {python_nodot}); NULL-terminated. */
extern const char *const reg_rule_holders[];
extern const char *const reg_python_holders[];
/* TEMPLATE with each of HOLDERS (NULL-terminated, each as often as it
 * appears) replaced by the string of VALUES at its index, or left as it is
 * where that is NULL. malloc'd; NULL when out of memory. */
char *reg_fill(const char *template_, const char *const *holders, const char *const *values);
/* reg_name_bad() for a template NAME, whose HOLDERS stand for characters
 * RULE allows. */
size_t reg_template_bad(const char *name, size_t len, enum reg_names rule,
			const char *const *holders);
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

/* --- mapping (registry_map.c) --- */

/* Whether ECO or a parent maps ID (following specs_from) to packages or to
 * a reason they are unavailable, no release given. */
bool reg_mapped_in(const struct registry *reg, const struct reg_ecosystem *eco, const char *id);

#endif
