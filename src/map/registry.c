/* registry.c - the registry's storage and look-ups: its arena, the sorted
 * arrays of definitions, aliases, ecosystems and mappings, and resolving a
 * name to a definition. Ecosystems (inheritance, releases, targets) are in
 * registry_eco.c, mapping in registry_map.c, the checks in registry_check.c,
 * coverage in registry_coverage.c; reading files in registry_files.c,
 * registry_yaml.c and pep804.c, the compiled-in set in registry_embedded.c. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extdeps/util/strbuf.h"
#include "extdeps/util/util.h"
#include "registry_int.h"

/* --- arena --- */

struct reg_arena_block {
	struct reg_arena_block *next;
	size_t used, size;
	_Alignas(max_align_t) unsigned char data[];
};

#define ARENA_BLOCK (64u * 1024u)

/* What the arena holds: registry structs (pointers, sizes, ints, bools) and
 * strings. Not max_align_t: most arrays hold one or two pointers. */
#define ARENA_ALIGN _Alignof(union { void *p; size_t n; int i; })

void *ra_alloc_raw(struct reg_arena *a, size_t size)
{
	struct reg_arena_block *b = a->head;
	const size_t align = ARENA_ALIGN;
	void *p;

	size = (size + align - 1) & ~(align - 1);
	if (!size)
		size = align;
	if (!b || b->size - b->used < size) {
		size_t bsize = size > ARENA_BLOCK ? size : ARENA_BLOCK;
		b = malloc(sizeof *b + bsize);
		if (!b)
			return NULL;
		b->size = bsize;
		b->used = 0;
		/* a large block goes behind the current one, so the rest of the
		 * current block is not wasted */
		if (a->head && size > ARENA_BLOCK) {
			b->next = a->head->next;
			a->head->next = b;
		} else {
			b->next = a->head;
			a->head = b;
		}
	}
	p = b->data + b->used;
	b->used += size;
	return p;
}

void *ra_alloc(struct reg_arena *a, size_t size)
{
	void *p = ra_alloc_raw(a, size);

	if (p)
		memset(p, 0, size);
	return p;
}

char *ra_strndup(struct reg_arena *a, const char *s, size_t n)
{
	char *r;

	if (!s)
		return NULL;
	r = ra_alloc(a, n + 1);
	if (r)
		memcpy(r, s, n);
	return r;
}

char *ra_strdup(struct reg_arena *a, const char *s)
{
	return s ? ra_strndup(a, s, strlen(s)) : NULL;
}

bool ra_grow(struct reg_arena *a, void **items, size_t n, size_t size)
{
	size_t ncap;
	void *p;

	if (n == 0)
		ncap = 8;
	else if (n >= 8 && (n & (n - 1)) == 0)
		ncap = n * 2;
	else
		return true;
	if (ncap > SIZE_MAX / size)
		return false;
	p = ra_alloc(a, ncap * size);
	if (!p)
		return false;
	if (n)
		memcpy(p, *items, n * size);
	*items = p;
	return true;
}

static void arena_free(struct reg_arena *a)
{
	struct reg_arena_block *b = a->head;

	while (b) {
		struct reg_arena_block *next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
}

/* --- life cycle, sorted storage --- */

struct registry *registry_new(void)
{
	return calloc(1, sizeof(struct registry));
}

void registry_free(struct registry *reg)
{
	if (!reg)
		return;
	arena_free(&reg->arena);
	free(reg);
}

/* Binary search over an array of structs whose first member is a char *
 * key. Returns the index of KEY, or the insertion point with *FOUND false. */
static size_t bsearch_key(const void *items, size_t n, size_t size, const char *key, bool *found)
{
	size_t lo = 0, hi = n;

	*found = false;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *k = *(char *const *)((const char *)items + mid * size);
		int c = strcmp(key, k);
		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

const char *reg_nearest_key(const void *items, size_t n, size_t size, const char *word)
{
	const char **keys = malloc((n + 1) * sizeof *keys);
	const char *near;

	if (!keys)
		return NULL;
	for (size_t i = 0; i < n; i++)
		keys[i] = *(char *const *)((const char *)items + i * size);
	near = util_nearest(word, keys, n);
	free(keys);
	return near;
}

/* The item of KEY in a sorted array (as bsearch_key()), or NULL. */
static const void *find_sorted(const void *items, size_t n, size_t size, const char *key)
{
	bool found;
	size_t at = bsearch_key(items, n, size, key, &found);

	return found ? (const char *)items + at * size : NULL;
}

/* Insert (zeroed) or reset the item of KEY in a sorted arena array; its key
 * member is set to an arena copy. */
static void *put_sorted(struct reg_arena *a, void **items, size_t *n, size_t size, const char *key,
			bool reset, bool *created)
{
	bool found;
	size_t at = bsearch_key(*items, *n, size, key, &found);
	char *slot, *copy;

	if (created)
		*created = !found;
	if (found) {
		slot = (char *)*items + at * size;
		if (reset) {
			char *k = *(char **)slot;
			memset(slot, 0, size);
			*(char **)slot = k;
		}
		return slot;
	}
	copy = ra_strdup(a, key);
	if (!copy || !ra_grow(a, items, *n, size))
		return NULL;
	slot = (char *)*items + at * size;
	memmove(slot + size, slot, (*n - at) * size);
	memset(slot, 0, size);
	*(char **)slot = copy;
	(*n)++;
	return slot;
}

static int cmp_key(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* Give each of the NKEYS distinct KEYS (any order) that a sorted arena array
 * lacks a zeroed item, in one merge: the put_sorted() calls that follow find
 * their items in place instead of shifting the array once per key, which
 * made a file of unsorted entries cost quadratic time. The new array has the
 * capacity ra_grow() implies for its length. */
static bool reserve_sorted(struct reg_arena *a, void **items, size_t *n, size_t size,
			   const char *const *keys, size_t nkeys)
{
	const char **sorted, **fresh;
	size_t nfresh = 0, cap, total, i = 0, k = 0;
	bool found, ok = false;
	char *dst;

	if (!nkeys)
		return true;
	if (!(sorted = malloc(nkeys * sizeof *sorted)))
		return false;
	memcpy(sorted, keys, nkeys * sizeof *sorted);
	qsort(sorted, nkeys, sizeof *sorted, cmp_key);
	fresh = sorted;
	for (size_t j = 0; j < nkeys; j++) {
		bsearch_key(*items, *n, size, sorted[j], &found);
		if (!found)
			fresh[nfresh++] = sorted[j];
	}
	total = *n + nfresh;
	for (cap = 8; cap < total; cap *= 2)
		if (cap > SIZE_MAX / 2)
			goto out;
	if (!nfresh) {
		ok = true;
		goto out;
	}
	if (cap > SIZE_MAX / size || !(dst = ra_alloc_raw(a, cap * size)))
		goto out;
	for (size_t at = 0; at < total; at++) {
		char *slot = dst + at * size;

		if (k < nfresh && (i == *n || strcmp(fresh[k], *(char *const *)((char *)*items +
										 i * size)) < 0)) {
			memset(slot, 0, size);
			if (!(*(char **)slot = ra_strdup(a, fresh[k++])))
				goto out;
		} else {
			memcpy(slot, (char *)*items + i++ * size, size);
		}
	}
	*items = dst;
	*n = total;
	ok = true;
out:
	free(sorted);
	return ok;
}

bool reg_reserve_defs(struct registry *reg, const char *const *ids, size_t n)
{
	return reserve_sorted(&reg->arena, (void **)&reg->defs, &reg->ndefs, sizeof *reg->defs, ids,
			      n);
}

bool reg_reserve_mappings(struct registry *reg, struct reg_ecosystem *eco, const char *const *ids,
			  size_t n)
{
	return reserve_sorted(&reg->arena, (void **)&eco->mappings, &eco->nmappings,
			      sizeof *eco->mappings, ids, n);
}

struct reg_def *reg_put_def(struct registry *reg, const char *id)
{
	return put_sorted(&reg->arena, (void **)&reg->defs, &reg->ndefs, sizeof *reg->defs, id, true,
			  NULL);
}

struct reg_rule *reg_put_rule(struct registry *reg, struct reg_ecosystem *eco, const char *type)
{
	return put_sorted(&reg->arena, (void **)&eco->rules, &eco->nrules, sizeof *eco->rules, type,
			  true, NULL);
}

struct reg_alias *reg_put_alias(struct registry *reg, const char *name)
{
	return put_sorted(&reg->arena, (void **)&reg->aliases, &reg->naliases,
			  sizeof *reg->aliases, name, true, NULL);
}

struct reg_ecosystem *reg_get_eco(struct registry *reg, const char *id, bool *created)
{
	return put_sorted(&reg->arena, (void **)&reg->ecos, &reg->necos, sizeof *reg->ecos, id,
			  false, created);
}

struct reg_mapping *reg_put_mapping(struct registry *reg, struct reg_ecosystem *eco,
				    const char *id, bool replace)
{
	return put_sorted(&reg->arena, (void **)&eco->mappings, &eco->nmappings,
			  sizeof *eco->mappings, id, replace, NULL);
}

/* --- look-ups --- */

size_t registry_ndefs(const struct registry *reg) { return reg->ndefs; }
const struct reg_def *registry_def_at(const struct registry *reg, size_t i)
{
	return i < reg->ndefs ? &reg->defs[i] : NULL;
}
size_t registry_necosystems(const struct registry *reg) { return reg->necos; }
const struct reg_ecosystem *registry_ecosystem_at(const struct registry *reg, size_t i)
{
	return i < reg->necos ? &reg->ecos[i] : NULL;
}
size_t registry_naliases(const struct registry *reg) { return reg->naliases; }
const struct reg_alias *registry_alias_at(const struct registry *reg, size_t i)
{
	return i < reg->naliases ? &reg->aliases[i] : NULL;
}

const struct reg_def *registry_find(const struct registry *reg, const char *id)
{
	return find_sorted(reg->defs, reg->ndefs, sizeof *reg->defs, id);
}

const struct reg_ecosystem *registry_find_ecosystem(const struct registry *reg, const char *id)
{
	return find_sorted(reg->ecos, reg->necos, sizeof *reg->ecos, id);
}

const struct reg_alias *reg_find_alias(const struct registry *reg, const char *name)
{
	return find_sorted(reg->aliases, reg->naliases, sizeof *reg->aliases, name);
}

const struct reg_rule *reg_find_sorted_rule(const struct reg_ecosystem *eco, const char *type)
{
	return find_sorted(eco->rules, eco->nrules, sizeof *eco->rules, type);
}

const struct reg_repository *reg_find_sorted_repository(const struct reg_ecosystem *eco,
							const char *id)
{
	return find_sorted(eco->repositories, eco->nrepositories, sizeof *eco->repositories, id);
}

const struct reg_mapping *registry_find_mapping(const struct reg_ecosystem *eco, const char *id)
{
	return eco ? find_sorted(eco->mappings, eco->nmappings, sizeof *eco->mappings, id) : NULL;
}

const struct reg_def *reg_find_def_alias(const struct registry *reg, const char *name,
					 size_t *which)
{
	for (size_t i = 0; i < reg->ndefs; i++)
		for (size_t j = 0; j < reg->defs[i].naliases; j++)
			if (strcmp(reg->defs[i].aliases[j], name) == 0) {
				if (which)
					*which = j;
				return &reg->defs[i];
			}
	return NULL;
}

static int unknown_depurl(const struct registry *reg, const char *text, struct ed_diag *d)
{
	const char *near;

	if (!d) /* no message wanted: spare the search for a suggestion */
		return ED_EXIT_INPUT;
	if ((near = registry_suggest(reg, text)))
		return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0,
				   "unknown DepURL '%s'; did you mean '%s'?", text, near);
	return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0, "unknown DepURL '%s'", text);
}

/* The versioned alias a DepURL names: dep:generic/NAME without namespace,
 * where NAME is no definition of its own. */
static const struct reg_alias *versioned_alias_of(const struct registry *reg,
						  const struct depurl *u)
{
	if (strcmp(u->type, "generic") || u->namespace || registry_find(reg, u->id))
		return NULL;
	return reg_find_alias(reg, u->name);
}

int registry_expand_alias(const struct registry *reg, struct depurl *u, struct ed_diag *d)
{
	const struct reg_alias *va = versioned_alias_of(reg, u);
	struct strbuf sb = STRBUF_INIT;
	struct ed_parse_err perr;
	struct depurl *n, tmp;
	char *full, *own = NULL, *text;

	if (!va)
		return 0;
	if (!(full = depurl_str(u)) || (u->spec && !(own = pep440_spec_str(u->spec)))) {
		free(full);
		return ed_diag_oom(d);
	}
	/* the alias's id, both specifiers (a comma joins them: both hold),
	 * then the qualifiers and subpath as written */
	strbuf_addstr(&sb, va->id);
	if (own || va->version)
		strbuf_addf(&sb, "@%s%s%s", own ? own : "", own && va->version ? "," : "",
			    va->version ? va->version : "");
	strbuf_addstr(&sb, full + strcspn(full, "?#"));
	free(full);
	free(own);
	if (!(text = strbuf_detach(&sb)))
		return ed_diag_oom(d);
	n = depurl_parse(text, strlen(text), &perr);
	if (!n) {
		int rc = ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0, "'%s' (versioned alias '%s') gives %s: %s",
				     u->id, va->name, text, perr.msg);
		free(text);
		return rc;
	}
	free(text);
	tmp = *u;
	*u = *n;
	*n = tmp;
	depurl_free(n);
	u->aliased = true;
	return 0;
}

int registry_resolve(const struct registry *reg, const char *text, struct reg_resolved *out,
		     struct ed_diag *d)
{
	const struct reg_alias *va;
	const struct reg_def *def;

	memset(out, 0, sizeof *out);
	if (strchr(text, ':') && strchr(text, '/')) {
		struct ed_parse_err perr;
		struct depurl *u = depurl_parse(text, strlen(text), &perr);
		if (!u)
			return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0, "invalid DepURL '%s': %s",
					   text, perr.msg);
		size_t which = 0;
		def = registry_find(reg, u->id);
		if (!def && (def = reg_find_def_alias(reg, u->id, &which)))
			out->alias = def->aliases[which];
		if (!def && (va = versioned_alias_of(reg, u)) && (def = registry_find(reg, va->id))) {
			out->version = va->version;
			out->alias = va->name;
		}
		if (!def && (out->rule_type = registry_ruled_type(reg, u->type))) {
			depurl_free(u);
			return 0;
		}
		if (!def) {
			int rc = unknown_depurl(reg, u->id, d);
			depurl_free(u);
			return rc;
		}
		depurl_free(u);
		out->def = def;
		return 0;
	}
	va = reg_find_alias(reg, text);
	if (va && (def = registry_find(reg, va->id))) {
		out->def = def;
		out->version = va->version;
		out->alias = va->name;
		return 0;
	}
	{
		size_t which = 0;
		def = reg_find_def_alias(reg, text, &which);
		if (def) {
			out->def = def;
			out->alias = def->aliases[which];
			return 0;
		}
	}
	/* a bare name N stands for dep:generic/N when that is defined */
	{
		char buf[512];
		snprintf(buf, sizeof buf, "dep:generic/%s", text);
		def = registry_find(reg, buf);
		if (def) {
			out->def = def;
			return 0;
		}
	}
	return unknown_depurl(reg, text, d);
}
