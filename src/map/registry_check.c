/* registry_check.c - what the loaders cannot check file by file: references
 * between files, inheritance, aliases naming two things, package names
 * whose rule came later (registry_check()); and registry_validate()'s
 * stricter rules and warnings. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extdeps/util/strbuf.h"
#include "extdeps/util/util.h"
#include "registry_int.h"

static int loc_err(struct ed_diag *d, const struct reg_loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int loc_err(struct ed_diag *d, const struct reg_loc *loc, const char *fmt, ...)
{
	char msg[ED_DIAG_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return ed_diag_set(d, ED_EXIT_INPUT, loc->file, loc->line, loc->col, "%s", msg);
}

/* An error about an unknown DepURL with the nearest known id. */
static int unknown_ref(const struct registry *reg, struct ed_diag *d, const struct reg_loc *loc,
		       const char *id, const char *where)
{
	const char *near = reg_nearest_key(reg->defs, reg->ndefs, sizeof *reg->defs, id);

	if (near)
		return loc_err(d, loc, "unknown DepURL '%s' in %s; did you mean '%s'?", id, where,
			       near);
	return loc_err(d, loc, "unknown DepURL '%s' in %s", id, where);
}

/* One alias of a definition, for finding those that name two things. */
struct alias_ref {
	const char *name;
	size_t def, which; /* index of the definition, of the alias in it */
	size_t first;      /* the ref (by position in definition order) naming it first */
};

static int cmp_alias_ref(const void *a, const void *b)
{
	const struct alias_ref *x = *(const struct alias_ref *const *)a;
	const struct alias_ref *y = *(const struct alias_ref *const *)b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	return x->def != y->def ? (x->def < y->def ? -1 : 1) : (x->which < y->which ? -1 : 1);
}

/* Every definition's aliases in definition order, each with the first of
 * its name (what reg_find_def_alias() would find), sorting instead of a scan per
 * alias. NULL when out of memory; *N gets the count. */
static struct alias_ref *alias_refs(const struct registry *reg, size_t *n)
{
	struct alias_ref *refs, **sorted;
	size_t k = 0;

	*n = 0;
	for (size_t i = 0; i < reg->ndefs; i++)
		*n += reg->defs[i].naliases;
	refs = malloc((*n + 1) * sizeof *refs);
	sorted = malloc((*n + 1) * sizeof *sorted);
	if (!refs || !sorted) {
		free(refs);
		free(sorted);
		return NULL;
	}
	for (size_t i = 0; i < reg->ndefs; i++)
		for (size_t j = 0; j < reg->defs[i].naliases; j++, k++) {
			refs[k] = (struct alias_ref){ reg->defs[i].aliases[j], i, j, k };
			sorted[k] = &refs[k];
		}
	qsort(sorted, *n, sizeof *sorted, cmp_alias_ref);
	for (k = 1; k < *n; k++)
		if (!strcmp(sorted[k]->name, sorted[k - 1]->name))
			sorted[k]->first = sorted[k - 1]->first;
	free(sorted);
	return refs;
}

static int check_defs(const struct registry *reg, struct ed_diag *d)
{
	size_t nrefs, k = 0;
	struct alias_ref *refs = alias_refs(reg, &nrefs);
	char id[512];
	int rc = 0;

	if (!refs)
		return ed_diag_oom(d);
	for (size_t i = 0; i < reg->ndefs && !rc; i++) {
		const struct reg_def *def = &reg->defs[i];
		for (size_t j = 0; j < def->nprovides && !rc; j++) {
			if (strcmp(def->provides[j], def->id) == 0)
				rc = loc_err(d, &def->provides_locs[j], "'%s' provides itself", def->id);
			else if (!registry_find(reg, def->provides[j]))
				rc = unknown_ref(reg, d, &def->provides_locs[j], def->provides[j],
						 "provides");
		}
		for (size_t j = 0; j < def->naliases && !rc; j++, k++) {
			const char *a = def->aliases[j];
			const struct alias_ref *first = &refs[refs[k].first];
			const struct reg_def *other = &reg->defs[first->def];
			if (registry_find(reg, a))
				rc = loc_err(d, &def->alias_locs[j],
					     "alias '%s' of '%s' is itself a definition", a, def->id);
			else if (reg_find_alias(reg, a))
				rc = loc_err(d, &def->alias_locs[j],
					     "alias '%s' of '%s' is also a versioned alias", a, def->id);
			else if (first != &refs[k])
				rc = loc_err(d, &def->alias_locs[j],
					     "alias '%s' of '%s' already names '%s' (%s:%d:%d)", a,
					     def->id, other->id, other->alias_locs[first->which].file,
					     other->alias_locs[first->which].line,
					     other->alias_locs[first->which].col);
		}
	}
	free(refs);
	for (size_t i = 0; i < reg->naliases && !rc; i++) {
		const struct reg_alias *al = &reg->aliases[i];
		if (!registry_find(reg, al->id))
			rc = unknown_ref(reg, d, &al->loc, al->id, "aliases");
		else if (registry_find(reg, al->name))
			rc = loc_err(d, &al->loc, "alias '%s' is itself a definition", al->name);
		else if (snprintf(id, sizeof id, "dep:generic/%s", al->name) > 0 && registry_find(reg, id))
			/* dep:generic/NAME must name the alias (registry_expand_alias) */
			rc = loc_err(d, &al->loc, "versioned alias '%s' is also the definition '%s'",
				     al->name, id);
	}
	return rc;
}

static int check_release_key(const struct registry *reg, const struct reg_ecosystem *eco,
			     const struct reg_loc *loc, const char *rel, struct ed_diag *d)
{
	const struct reg_ecosystem *owner = reg_release_owner(reg, eco);

	if (!owner)
		return loc_err(d, loc, "release '%s' given, but '%s' lists no releases", rel,
			       eco->id);
	if (reg_find_release(owner, rel, false))
		return 0;
	return reg_unknown_release(owner, rel, eco->id, loc, d);
}

/* The error for a cycle of LEN parents from ECO back to it. */
static int inherits_cycle(const struct registry *reg, const struct reg_ecosystem *eco, size_t len,
			  struct ed_diag *d)
{
	struct strbuf chain = STRBUF_INIT;
	const struct reg_ecosystem *c = eco;
	int rc;

	for (size_t k = 0; k <= len; k++, c = reg_eco_parent(reg, c))
		strbuf_addf(&chain, "%s%s", k ? " -> " : "", c->id);
	rc = loc_err(d, &eco->inherits_loc, "inherits cycle: %s", strbuf_str(&chain));
	strbuf_release(&chain);
	return rc;
}

/* ECO's `inherits` names a known ecosystem, and no cycle leads back to ECO. */
static int check_inherits(const struct registry *reg, const struct reg_ecosystem *eco,
			  struct ed_diag *d)
{
	const struct reg_ecosystem *p = reg_eco_parent(reg, eco);
	const char *near;

	if (!p) {
		near = reg_nearest_key(reg->ecos, reg->necos, sizeof *reg->ecos, eco->inherits);
		if (near)
			return loc_err(d, &eco->inherits_loc,
				       "'%s' inherits unknown ecosystem '%s'; did you mean '%s'?",
				       eco->id, eco->inherits, near);
		return loc_err(d, &eco->inherits_loc, "'%s' inherits unknown ecosystem '%s'",
			       eco->id, eco->inherits);
	}
	/* a cycle returns to ECO within necos steps */
	for (size_t step = 0; p && step <= reg->necos; step++, p = reg_eco_parent(reg, p))
		if (p == eco)
			return inherits_cycle(reg, eco, step + 1, d);
	return 0;
}

/* What a walk over a mapping's entries checks against. */
struct entry_check {
	const struct registry *reg;
	const struct reg_ecosystem *eco;
	enum reg_names rule;
	struct ed_diag *d;
};

/* An entry's `repository` names one of its ecosystem's (or a parent's). */
static int check_repository(const struct reg_entry *e, const struct reg_loc *loc,
			    const char *what, void *ud)
{
	const struct entry_check *c = ud;
	const struct reg_target t = { c->eco, NULL, false };

	(void)loc, (void)what;
	if (!e->repository || registry_find_repository(c->reg, &t, e->repository))
		return 0;
	return loc_err(c->d, &e->repository_loc, "unknown repository '%s': %s declares none of "
						  "that id in its 'repositories'",
		       e->repository, c->eco->id);
}

/* What MAP of ECO refers to: its DepURL, specs_from, release overrides. */
static int check_mapping(const struct registry *reg, const struct reg_ecosystem *eco,
			 const struct reg_mapping *map, struct ed_diag *d)
{
	if (!registry_find(reg, map->id)) {
		const struct reg_def *canon = reg_find_def_alias(reg, map->id, NULL);
		/* an alias taking its canonical id's specs, as PEP 804 mapping
		 * documents write one, says nothing the alias does not */
		if (canon && map->specs_from && !strcmp(map->specs_from, canon->id))
			return 0;
		if (canon)
			return loc_err(d, &map->loc, "'%s' is an alias of '%s': map the canonical id",
				       map->id, canon->id);
		return unknown_ref(reg, d, &map->loc, map->id, "mappings");
	}
	if (map->specs_from) {
		if (!registry_find(reg, map->specs_from))
			return unknown_ref(reg, d, &map->specs_from_loc, map->specs_from,
					   "specs_from");
		if (!reg_mapped_in(reg, eco, map->specs_from))
			return loc_err(d, &map->specs_from_loc, "specs_from '%s' is not mapped in %s",
				       map->specs_from, eco->id);
	}
	for (size_t r = 0; r < map->nreleases; r++) {
		int rc = check_release_key(reg, eco, &map->releases[r].loc, map->releases[r].release,
					   d);
		if (rc)
			return rc;
	}
	return registry_each_entry(map, check_repository,
				   &(struct entry_check){ reg, eco, REG_NAMES_DEFAULT, d });
}

static int check_eco(const struct registry *reg, const struct reg_ecosystem *eco,
		     struct ed_diag *d)
{
	int rc;

	if (eco->inherits && (rc = check_inherits(reg, eco, d)))
		return rc;
	if (!eco->name)
		return loc_err(d, &eco->loc, "ecosystem '%s' has no 'name'", eco->id);
	if (!registry_package_manager(reg, &(struct reg_target){ .eco = eco }))
		return loc_err(d, &eco->loc, "ecosystem '%s' has no 'package_manager'", eco->id);
	if (eco->default_release &&
	    (rc = check_release_key(reg, eco, &eco->loc, eco->default_release, d)))
		return rc;
	for (size_t m = 0; m < eco->nmappings; m++)
		if ((rc = check_mapping(reg, eco, &eco->mappings[m], d)))
			return rc;
	return 0;
}

/* The package names of L against RULE, HOLDERS the placeholders they may
 * hold (or NULL); an error at LOC. */
static int check_spec_names(const struct reg_ecosystem *eco, const struct reg_spec_list *l,
			    enum reg_names rule, const char *const *holders,
			    const struct reg_loc *loc, struct ed_diag *d)
{
	for (size_t i = 0; i < l->count; i++)
		for (size_t a = 0; a < l->items[i].nalts; a++) {
			const char *name = l->items[i].alts[a];
			size_t len = strlen(name);
			size_t bad = holders ? reg_template_bad(name, len, rule, holders)
					     : reg_name_bad(name, len, rule);
			if (bad < len)
				return loc_err(d, loc,
					       "'%s': '%c' is not allowed in a package name of %s (allowed: %s)",
					       name, name[bad], eco->id, reg_names_allowed(rule));
		}
	return 0;
}

static int check_entry_names(const struct reg_entry *e, const struct reg_loc *loc,
			     const char *what, void *ud)
{
	const struct entry_check *c = ud;
	int rc;

	(void)what;
	for (int s = 0; s < ED_STAGE_COUNT; s++)
		if (e->has_stage[s] &&
		    (rc = check_spec_names(c->eco, &e->stages[s], c->rule, NULL, loc, c->d)))
			return rc;
	return 0;
}

/* Names that a file gave before the parent giving their rule was loaded
 * were checked against the default (reg_names_later()): check them again,
 * at their mapping, now that the rule is known. */
static int check_late_names(const struct registry *reg, struct ed_diag *d)
{
	for (size_t i = 0; i < reg->nnames_later; i++) {
		const struct reg_ecosystem *eco = registry_find_ecosystem(reg, reg->names_later[i]);
		enum reg_names rule = eco ? reg_eco_names(reg, eco, NULL) : REG_NAMES_DEFAULT;
		int rc = 0;
		if (rule == REG_NAMES_DEFAULT)
			continue;
		if (eco->has_python_dev &&
		    !(rc = check_spec_names(eco, &eco->python_dev, rule, reg_python_holders, &eco->loc,
					    d)))
			rc = check_spec_names(eco, &eco->python_dev_other, rule, reg_python_holders,
					      &eco->loc, d);
		for (size_t m = 0; m < eco->nmappings && !rc; m++)
			rc = registry_each_entry(&eco->mappings[m], check_entry_names,
						 &(struct entry_check){ reg, eco, rule, d });
		if (rc)
			return rc;
	}
	return 0;
}

int registry_check(struct registry *reg, struct ed_diag *d)
{
	int rc = check_defs(reg, d);

	for (size_t i = 0; i < reg->necos && !rc; i++)
		rc = check_eco(reg, &reg->ecos[i], d);
	return rc ? rc : check_late_names(reg, d);
}

/* --- validation --- */

void reg_warnings_fini(struct reg_warnings *w)
{
	if (!w)
		return;
	free(w->items);
	w->items = NULL;
	w->count = w->alloc = 0;
}

static bool entry_all_empty(const struct reg_entry *e)
{
	if (!e->has_specs)
		return false;
	for (int s = 0; s < ED_STAGE_COUNT; s++)
		if (e->has_stage[s] && e->stages[s].count)
			return false;
	return true;
}

static int warn(struct reg_warnings *w, const struct reg_loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int warn(struct reg_warnings *w, const struct reg_loc *loc, const char *fmt, ...)
{
	struct ed_diag *items;
	va_list ap;

	if (!w)
		return 0;
	if (!ALLOC_GROW(w->items, w->count + 1, w->alloc))
		return -1;
	items = w->items;
	ed_diag_set(&items[w->count], ED_EXIT_OK, loc->file, loc->line, loc->col, "%s", "");
	va_start(ap, fmt);
	vsnprintf(items[w->count].msg, sizeof items[w->count].msg, fmt, ap);
	va_end(ap);
	w->count++;
	return 0;
}

int registry_validate(struct registry *reg, struct reg_warnings *w, struct ed_diag *d)
{
	int rc = registry_check(reg, d);

	if (rc)
		return rc;
	for (size_t i = 0; i < reg->ndefs; i++)
		if (!reg->defs[i].description || !reg->defs[i].description[0])
			return loc_err(d, &reg->defs[i].loc, "'%s' has no description",
				       reg->defs[i].id);
	for (size_t i = 0; i < reg->necos; i++) {
		const struct reg_ecosystem *eco = &reg->ecos[i];
		for (size_t m = 0; m < eco->nmappings; m++) {
			const struct reg_mapping *map = &eco->mappings[m];
			if (entry_all_empty(&map->base) &&
			    warn(w, &map->loc, "%s: '%s' maps to no package in any stage", eco->id,
				 map->id))
				return ed_diag_oom(d);
			for (size_t r = 0; r < map->nreleases; r++)
				if (entry_all_empty(&map->releases[r].entry) &&
				    warn(w, &map->releases[r].loc,
					 "%s %s: '%s' maps to no package in any stage", eco->id,
					 map->releases[r].release, map->id))
					return ed_diag_oom(d);
		}
	}
	return 0;
}
