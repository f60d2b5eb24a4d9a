/* registry.c - the registry's storage, look-ups, targets, mapping, checks
 * and coverage. Reading files is in registry_files.c, registry_yaml.c and
 * pep804.c, the compiled-in set in registry_embedded.c. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "extdeps/util/strbuf.h"
#include "extdeps/util/util.h"
#include "registry_int.h"

/* Parents are followed at most this far: registry_check() rejects cycles,
 * the limit keeps look-ups finite on a registry that was never checked. */
#define MAX_CHAIN 16

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

/* The key nearest to WORD among the N items of SIZE of ITEMS, whose first
 * member is their char * key (as bsearch_key()), or NULL. */
static const char *nearest_key(const void *items, size_t n, size_t size, const char *word)
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

struct reg_def *reg_put_def(struct registry *reg, const char *id)
{
	return put_sorted(&reg->arena, (void **)&reg->defs, &reg->ndefs, sizeof *reg->defs, id, true,
			  NULL);
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
	bool found;
	size_t at = bsearch_key(reg->defs, reg->ndefs, sizeof *reg->defs, id, &found);
	return found ? &reg->defs[at] : NULL;
}

const struct reg_ecosystem *registry_find_ecosystem(const struct registry *reg, const char *id)
{
	bool found;
	size_t at = bsearch_key(reg->ecos, reg->necos, sizeof *reg->ecos, id, &found);
	return found ? &reg->ecos[at] : NULL;
}

static const struct reg_alias *find_alias(const struct registry *reg, const char *name)
{
	bool found;
	size_t at = bsearch_key(reg->aliases, reg->naliases, sizeof *reg->aliases, name, &found);
	return found ? &reg->aliases[at] : NULL;
}

const struct reg_mapping *registry_find_mapping(const struct reg_ecosystem *eco, const char *id)
{
	bool found;
	size_t at;

	if (!eco)
		return NULL;
	at = bsearch_key(eco->mappings, eco->nmappings, sizeof *eco->mappings, id, &found);
	return found ? &eco->mappings[at] : NULL;
}

/* The definition listing NAME among its `aliases` (bare or DepURL), and where. */
static const struct reg_def *find_def_alias(const struct registry *reg, const char *name,
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

const char *registry_suggest(const struct registry *reg, const char *word)
{
	size_t n = reg->ndefs + reg->naliases, k = 0;
	const char **cand;
	const char *best;

	for (size_t i = 0; i < reg->ndefs; i++)
		n += reg->defs[i].naliases;
	if (n == 0)
		return NULL;
	cand = malloc(n * sizeof *cand);
	if (!cand)
		return NULL;
	for (size_t i = 0; i < reg->ndefs; i++) {
		cand[k++] = reg->defs[i].id;
		for (size_t j = 0; j < reg->defs[i].naliases; j++)
			cand[k++] = reg->defs[i].aliases[j];
	}
	for (size_t i = 0; i < reg->naliases; i++)
		cand[k++] = reg->aliases[i].name;
	best = util_nearest(word, cand, k);
	free(cand);
	return best;
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
		if (!def && (def = find_def_alias(reg, u->id, &which)))
			out->alias = def->aliases[which];
		if (!def) {
			int rc = unknown_depurl(reg, u->id, d);
			depurl_free(u);
			return rc;
		}
		depurl_free(u);
		out->def = def;
		return 0;
	}
	va = find_alias(reg, text);
	if (va && (def = registry_find(reg, va->id))) {
		out->def = def;
		out->version = va->version;
		out->alias = va->name;
		return 0;
	}
	{
		size_t which = 0;
		def = find_def_alias(reg, text, &which);
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

/* --- ecosystems: inheritance, releases, targets --- */

static const struct reg_ecosystem *eco_parent(const struct registry *reg,
					      const struct reg_ecosystem *eco)
{
	return eco->inherits ? registry_find_ecosystem(reg, eco->inherits) : NULL;
}

/* The first of ECO and its parents for which HAS is true, or NULL. */
static const struct reg_ecosystem *first_with(const struct registry *reg,
					      const struct reg_ecosystem *eco,
					      bool (*has)(const struct reg_ecosystem *))
{
	for (int depth = 0; eco && depth < MAX_CHAIN; depth++, eco = eco_parent(reg, eco))
		if (has(eco))
			return eco;
	return NULL;
}

static bool has_releases(const struct reg_ecosystem *e) { return e->nreleases != 0; }
static bool has_pm(const struct reg_ecosystem *e) { return e->has_pm; }
static bool has_python_dev(const struct reg_ecosystem *e) { return e->has_python_dev; }

bool reg_name_char_ok(char c, bool first, enum reg_names rule)
{
	bool lower = c >= 'a' && c <= 'z', digit = c >= '0' && c <= '9';
	bool upper = c >= 'A' && c <= 'Z';

	if (rule == REG_NAMES_DEBIAN)
		return lower || digit || (!first && (c == '+' || c == '.' || c == '-'));
	/* what conda, Fedora, Homebrew (openssl@3) and nixpkgs attribute
	 * paths (python3Packages.numpy) need */
	return lower || upper || digit || c == '_' ||
	       (!first && (c == '.' || c == '+' || c == '@' || c == '-'));
}

size_t reg_name_bad(const char *name, size_t len, enum reg_names rule)
{
	/* outside Debian, an absolute path names the package that holds the
	 * file (rpm's file dependencies) */
	bool path = rule != REG_NAMES_DEBIAN && len && name[0] == '/';

	for (size_t i = 0; i < len; i++)
		if (!(path && name[i] == '/') && !reg_name_char_ok(name[i], i == 0 && !path, rule))
			return i;
	return len;
}

const char *reg_names_allowed(enum reg_names rule)
{
	return rule == REG_NAMES_DEBIAN ? "[a-z0-9][a-z0-9+.-]*"
					: "[A-Za-z0-9_][A-Za-z0-9_.+@-]* or a path";
}

enum reg_names reg_eco_names(const struct registry *reg, const struct reg_ecosystem *eco,
			     bool *known)
{
	if (known)
		*known = true;
	for (int depth = 0; eco && depth < MAX_CHAIN; depth++) {
		const struct reg_ecosystem *parent = eco_parent(reg, eco);
		if (eco->names != REG_NAMES_UNSET)
			return eco->names;
		if (!parent && eco->inherits && known)
			*known = false;
		eco = parent;
	}
	return REG_NAMES_DEFAULT;
}

bool reg_names_later(struct registry *reg, const char *id)
{
	for (size_t i = 0; i < reg->nnames_later; i++)
		if (!strcmp(reg->names_later[i], id))
			return true;
	if (!ra_grow(&reg->arena, (void **)&reg->names_later, reg->nnames_later,
		     sizeof *reg->names_later))
		return false;
	reg->names_later[reg->nnames_later++] = id;
	return true;
}

/* The ecosystem whose `releases` apply to ECO: its own, else its parent's. */
static const struct reg_ecosystem *release_owner(const struct registry *reg,
						 const struct reg_ecosystem *eco)
{
	return first_with(reg, eco, has_releases);
}

static const struct reg_release *find_release(const struct reg_ecosystem *owner, const char *text,
					      bool by_name)
{
	if (!owner)
		return NULL;
	for (size_t i = 0; i < owner->nreleases; i++) {
		if (strcmp(owner->releases[i].number, text) == 0)
			return &owner->releases[i];
		if (by_name && owner->releases[i].codename &&
		    strcasecmp(owner->releases[i].codename, text) == 0)
			return &owner->releases[i];
	}
	return NULL;
}

/* "11 (bullseye), 12 (bookworm)" onto SB. */
static void list_releases(const struct reg_ecosystem *owner, struct strbuf *sb)
{
	for (size_t i = 0; owner && i < owner->nreleases; i++) {
		const struct reg_release *r = &owner->releases[i];
		strbuf_addf(sb, "%s%s", i ? ", " : "", r->number);
		if (r->codename)
			strbuf_addf(sb, " (%s)", r->codename);
	}
}

/* An error about release REL of ECO, which OWNER does not list by number,
 * naming those it does; at LOC, or without a location when LOC is NULL. */
static int unknown_release(const struct reg_ecosystem *owner, const char *rel, const char *eco,
			   const struct reg_loc *loc, struct ed_diag *d)
{
	struct strbuf known = STRBUF_INIT;
	int rc;

	list_releases(owner, &known);
	/* files write a release by its number, never its code name */
	if (find_release(owner, rel, true))
		rc = ed_diag_set(d, ED_EXIT_INPUT, loc->file, loc->line, loc->col,
				 "write release '%s' by its number (known: %s)", rel, strbuf_str(&known));
	else
		rc = ed_diag_set(d, ED_EXIT_INPUT, loc ? loc->file : NULL, loc ? loc->line : 0,
				 loc ? loc->col : 0, "unknown release '%s' of %s (known: %s)", rel, eco,
				 strbuf_str(&known));
	strbuf_release(&known);
	return rc;
}

static int unknown_ecosystem(const struct registry *reg, const char *id, struct ed_diag *d)
{
	const char *near = nearest_key(reg->ecos, reg->necos, sizeof *reg->ecos, id);
	struct strbuf known = STRBUF_INIT;
	int rc;

	for (size_t i = 0; i < reg->necos; i++)
		strbuf_addf(&known, "%s%s", i ? ", " : "", reg->ecos[i].id);
	if (near)
		rc = ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0,
				 "unknown ecosystem '%s'; did you mean '%s'? (known: %s)", id, near,
				 strbuf_str(&known));
	else
		rc = ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0, "unknown ecosystem '%s' (known: %s)", id,
				 strbuf_str(&known));
	strbuf_release(&known);
	return rc;
}

int registry_parse_target(const struct registry *reg, const char *text, struct reg_target *out,
			  struct ed_diag *d)
{
	size_t idlen = strcspn(text, ":+");
	char id[128];
	const struct reg_ecosystem *eco, *owner;
	const char *rel = text[idlen] ? text + idlen + 1 : NULL;

	memset(out, 0, sizeof *out);
	if (idlen == 0 || idlen >= sizeof id || (rel && !*rel))
		return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0,
				   "invalid target '%s': expected ID[:RELEASE]", text);
	memcpy(id, text, idlen);
	id[idlen] = '\0';
	eco = registry_find_ecosystem(reg, id);
	if (!eco)
		return unknown_ecosystem(reg, id, d);
	out->eco = eco;
	owner = release_owner(reg, eco);
	if (rel) {
		const struct reg_release *r = find_release(owner, rel, true);
		if (!owner)
			return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0,
					   "'%s' has no releases: write --distro=%s", id, id);
		if (!r)
			return unknown_release(owner, rel, id, NULL, d);
		out->release = r->number;
		out->release_given = true;
		return 0;
	}
	for (const struct reg_ecosystem *e = eco; e && !out->release; e = e == owner ? NULL : eco_parent(reg, e)) {
		if (e->default_release) {
			const struct reg_release *r = find_release(owner, e->default_release, false);
			out->release = r ? r->number : NULL;
		}
	}
	return 0;
}

const struct reg_pm *registry_package_manager(const struct registry *reg,
					      const struct reg_target *target)
{
	const struct reg_ecosystem *e = first_with(reg, target->eco, has_pm);

	return e ? &e->pm : NULL;
}

const struct reg_spec_list *registry_python_dev(const struct registry *reg,
						const struct reg_target *target)
{
	const struct reg_ecosystem *e = first_with(reg, target->eco, has_python_dev);

	return e ? &e->python_dev : NULL;
}

/* --- mapping --- */

const char *reg_status_name(enum reg_status status)
{
	switch (status) {
	case REG_MAPPED: return "mapped";
	case REG_UNAVAILABLE: return "unavailable";
	case REG_UNMAPPED: return "unmapped";
	case REG_UNKNOWN: return "unknown";
	}
	return "?";
}

char *registry_render(const char *template_, const char *name, const char *op,
		      const char *version)
{
	/* each placeholder may appear more than once */
	static const char *const holders[] = { "{name}", "{op}", "{version}" };
	const char *const subs[] = { name, op, version };
	struct strbuf sb = STRBUF_INIT;

	for (const char *p = template_; *p;) {
		size_t k = 0;
		while (k < 3 && strncmp(p, holders[k], strlen(holders[k])) != 0)
			k++;
		if (k == 3) {
			strbuf_addch(&sb, *p++);
			continue;
		}
		strbuf_addstr(&sb, subs[k]);
		p += strlen(holders[k]);
	}
	return strbuf_detach(&sb);
}

/* A mapping's effective entry for one release. */
struct effective {
	const struct reg_ecosystem *eco;
	const struct reg_mapping *mapping;
	const struct reg_release_entry *override;
	struct reg_entry entry;
};

static bool entry_empty(const struct reg_entry *e)
{
	return !e->has_specs && !e->unavailable;
}

/* The entry of ID in ECO's own file for RELEASE, following specs_from. */
static bool own_entry(const struct registry *reg, const struct reg_ecosystem *eco, const char *id,
		      const char *release, struct effective *out, int depth)
{
	const struct reg_mapping *m = registry_find_mapping(eco, id);
	const struct reg_ecosystem *owner;

	if (!m || depth > MAX_CHAIN)
		return false;
	if (m->specs_from && entry_empty(&m->base) && m->nreleases == 0)
		return own_entry(reg, eco, m->specs_from, release, out, depth + 1);
	out->eco = eco;
	out->mapping = m;
	out->override = NULL;
	out->entry = m->base;
	/* overrides are keyed by the release numbers of the file's own
	 * releases, which a parent shares only when the child has none */
	owner = release_owner(reg, eco);
	if (release && owner && find_release(owner, release, false)) {
		for (size_t i = 0; i < m->nreleases; i++) {
			const struct reg_release_entry *o = &m->releases[i];
			if (strcmp(o->release, release) != 0)
				continue;
			out->override = o;
			if (o->entry.has_specs) {
				memcpy(out->entry.has_stage, o->entry.has_stage, sizeof o->entry.has_stage);
				memcpy(out->entry.stages, o->entry.stages, sizeof o->entry.stages);
				out->entry.has_specs = true;
				out->entry.unavailable = NULL;
			}
			if (o->entry.unavailable) {
				out->entry.unavailable = o->entry.unavailable;
				out->entry.has_specs = false;
			}
			if (o->entry.version != REG_VERSION_UNSET)
				out->entry.version = o->entry.version;
		}
	}
	return !entry_empty(&out->entry);
}

/* The entry of ID for the target, through inheritance. */
static bool find_entry(const struct registry *reg, const struct reg_target *t, const char *id,
		       struct effective *out)
{
	const struct reg_ecosystem *e = t->eco;

	for (int depth = 0; e && depth < MAX_CHAIN; depth++, e = eco_parent(reg, e))
		if (own_entry(reg, e, id, t->release, out, 0))
			return true;
	return false;
}

static const enum ed_stage fallback[ED_STAGE_COUNT][ED_STAGE_COUNT + 1] = {
	[ED_STAGE_BUILD] = { ED_STAGE_BUILD, ED_STAGE_HOST, ED_STAGE_COUNT },
	[ED_STAGE_HOST] = { ED_STAGE_HOST, ED_STAGE_BUILD, ED_STAGE_COUNT },
	[ED_STAGE_RUN] = { ED_STAGE_RUN, ED_STAGE_HOST, ED_STAGE_BUILD, ED_STAGE_COUNT },
};

static const char *op_text(const struct reg_pm *pm, enum pep440_op op)
{
	for (size_t i = 0; pm && i < pm->noperators; i++)
		if (pm->operators[i].op == op)
			return pm->operators[i].text;
	return pep440_op_str(op);
}

/* SPEC's clauses, with PM's spelling of each operator, into OUT. */
static int translate_clauses(const struct pep440_spec *spec, const struct reg_pm *pm,
			     struct reg_map *out, struct ed_diag *d)
{
	out->clauses = calloc(spec->count, sizeof *out->clauses);
	if (!out->clauses)
		return ed_diag_oom(d);
	out->nclauses = spec->count;
	for (size_t i = 0; i < spec->count; i++) {
		const struct pep440_clause *c = &spec->clauses[i];
		size_t len = strlen(c->version);
		out->clauses[i].op = c->op;
		out->clauses[i].op_text = op_text(pm, c->op);
		out->clauses[i].version = malloc(len + 3);
		if (!out->clauses[i].version)
			return ed_diag_oom(d);
		memcpy(out->clauses[i].version, c->version, len + 1);
		if (c->wildcard)
			memcpy(out->clauses[i].version + len, ".*", 3);
	}
	return 0;
}

/* Alternative NAME into ALT, with one constraint per clause of OUT rendered
 * with TEMPLATE (none when TEMPLATE is NULL). */
static int fill_alt(struct reg_map_alt *alt, const char *name, const char *template_,
		    const struct reg_map *out, struct ed_diag *d)
{
	alt->name = strdup(name);
	if (!alt->name)
		return ed_diag_oom(d);
	if (!template_)
		return 0;
	alt->constraints = calloc(out->nclauses, sizeof *alt->constraints);
	if (!alt->constraints)
		return ed_diag_oom(d);
	for (size_t c = 0; c < out->nclauses; c++) {
		alt->constraints[c] = registry_render(template_, alt->name, out->clauses[c].op_text,
						      out->clauses[c].version);
		if (!alt->constraints[c])
			return ed_diag_oom(d);
		alt->nconstraints++;
	}
	return 0;
}

static int fill_packages(const struct registry *reg, const struct reg_target *t,
			 const struct depurl *dep, const struct effective *eff, enum ed_stage stage,
			 struct reg_map *out, struct ed_diag *d)
{
	const struct reg_spec_list *list = NULL;
	const struct reg_pm *pm = registry_package_manager(reg, t);
	const struct pep440_spec *spec = dep ? dep->spec : NULL;
	bool translate;
	int rc;

	out->stage = stage;
	for (const enum ed_stage *s = fallback[stage]; *s != ED_STAGE_COUNT; s++)
		if (eff->entry.has_stage[*s]) {
			list = &eff->entry.stages[*s];
			out->stage = *s;
			break;
		}
	out->version = eff->entry.version;
	translate = spec && spec->count && eff->entry.version == REG_VERSION_UPSTREAM && pm &&
		    pm->constraint;
	out->version_unexpressed = spec && spec->count && !translate;
	if (translate && (rc = translate_clauses(spec, pm, out, d)))
		return rc;
	if (!list || list->count == 0)
		return 0;
	out->pkgs = calloc(list->count, sizeof *out->pkgs);
	if (!out->pkgs)
		return ed_diag_oom(d);
	out->npkgs = list->count;
	for (size_t i = 0; i < list->count; i++) {
		const struct reg_spec *sp = &list->items[i];
		struct reg_map_pkg *pkg = &out->pkgs[i];
		pkg->alts = calloc(sp->nalts, sizeof *pkg->alts);
		if (!pkg->alts)
			return ed_diag_oom(d);
		pkg->nalts = sp->nalts;
		for (size_t a = 0; a < sp->nalts; a++)
			if ((rc = fill_alt(&pkg->alts[a], sp->alts[a], translate ? pm->constraint : NULL,
					   out, d)))
				return rc;
	}
	return 0;
}

static void set_from_effective(struct reg_map *out, const struct effective *eff)
{
	out->ecosystem = eff->eco->id;
	out->release = eff->override ? eff->override->release : NULL;
	out->source = eff->override ? eff->override->loc : eff->mapping->loc;
}

int registry_map(const struct registry *reg, const struct reg_target *target,
		 const struct depurl *dep, enum ed_stage stage, struct reg_map *out,
		 struct ed_diag *d)
{
	const struct reg_def *def;
	struct effective eff;
	const struct effective *chosen = NULL;
	struct effective unavailable_provider = { 0 };
	bool any_unavailable = false, any_unmapped = false;
	int rc;

	memset(out, 0, sizeof *out);
	out->stage = stage;
	def = registry_find(reg, dep->id);
	if (!def)
		def = find_def_alias(reg, dep->id, NULL);
	if (!def) {
		out->status = REG_UNKNOWN;
		out->suggestion = registry_suggest(reg, dep->id);
		return 0;
	}
	out->id = def->id;
	if (find_entry(reg, target, def->id, &eff)) {
		chosen = &eff;
	} else {
		/* a virtual DepURL (or any without its own mapping) maps through
		 * the first definition, by id, that provides it and is mapped */
		for (size_t i = 0; i < reg->ndefs && !chosen; i++) {
			const struct reg_def *p = &reg->defs[i];
			bool provides = false;
			for (size_t j = 0; j < p->nprovides && !provides; j++)
				provides = strcmp(p->provides[j], def->id) == 0;
			if (!provides)
				continue;
			if (!find_entry(reg, target, p->id, &eff)) {
				any_unmapped = true;
				continue;
			}
			if (eff.entry.unavailable) {
				if (!any_unavailable)
					unavailable_provider = eff;
				any_unavailable = true;
				continue;
			}
			chosen = &eff;
			out->via = p->id;
		}
		if (!chosen && any_unavailable && !any_unmapped) {
			set_from_effective(out, &unavailable_provider);
			out->status = REG_UNAVAILABLE;
			out->reason = "no definition providing it is available";
			return 0;
		}
	}
	if (!chosen) {
		out->status = REG_UNMAPPED;
		return 0;
	}
	set_from_effective(out, chosen);
	if (chosen->entry.unavailable) {
		out->status = REG_UNAVAILABLE;
		out->reason = chosen->entry.unavailable;
		return 0;
	}
	out->status = REG_MAPPED;
	rc = fill_packages(reg, target, dep, chosen, stage, out, d);
	if (rc)
		reg_map_fini(out);
	return rc;
}

void reg_map_fini(struct reg_map *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->npkgs; i++) {
		for (size_t a = 0; a < m->pkgs[i].nalts; a++) {
			struct reg_map_alt *alt = &m->pkgs[i].alts[a];
			free(alt->name);
			util_strv_free(alt->constraints, alt->nconstraints);
		}
		free(m->pkgs[i].alts);
	}
	free(m->pkgs);
	for (size_t i = 0; i < m->nclauses; i++)
		free(m->clauses[i].version);
	free(m->clauses);
	memset(m, 0, sizeof *m);
}

/* --- cross-file checks --- */

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
	const char *near = nearest_key(reg->defs, reg->ndefs, sizeof *reg->defs, id);

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
 * its name (what find_def_alias() would find), sorting instead of a scan per
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
			else if (find_alias(reg, a))
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
	}
	return rc;
}

static int check_release_key(const struct registry *reg, const struct reg_ecosystem *eco,
			     const struct reg_loc *loc, const char *rel, struct ed_diag *d)
{
	const struct reg_ecosystem *owner = release_owner(reg, eco);

	if (!owner)
		return loc_err(d, loc, "release '%s' given, but '%s' lists no releases", rel,
			       eco->id);
	if (find_release(owner, rel, false))
		return 0;
	return unknown_release(owner, rel, eco->id, loc, d);
}

/* The error for a cycle of LEN parents from ECO back to it. */
static int inherits_cycle(const struct registry *reg, const struct reg_ecosystem *eco, size_t len,
			  struct ed_diag *d)
{
	struct strbuf chain = STRBUF_INIT;
	const struct reg_ecosystem *c = eco;
	int rc;

	for (size_t k = 0; k <= len; k++, c = eco_parent(reg, c))
		strbuf_addf(&chain, "%s%s", k ? " -> " : "", c->id);
	rc = loc_err(d, &eco->inherits_loc, "inherits cycle: %s", strbuf_str(&chain));
	strbuf_release(&chain);
	return rc;
}

/* ECO's `inherits` names a known ecosystem, and no cycle leads back to ECO. */
static int check_inherits(const struct registry *reg, const struct reg_ecosystem *eco,
			  struct ed_diag *d)
{
	const struct reg_ecosystem *p = eco_parent(reg, eco);
	const char *near;

	if (!p) {
		near = nearest_key(reg->ecos, reg->necos, sizeof *reg->ecos, eco->inherits);
		if (near)
			return loc_err(d, &eco->inherits_loc,
				       "'%s' inherits unknown ecosystem '%s'; did you mean '%s'?",
				       eco->id, eco->inherits, near);
		return loc_err(d, &eco->inherits_loc, "'%s' inherits unknown ecosystem '%s'",
			       eco->id, eco->inherits);
	}
	/* a cycle returns to ECO within necos steps */
	for (size_t step = 0; p && step <= reg->necos; step++, p = eco_parent(reg, p))
		if (p == eco)
			return inherits_cycle(reg, eco, step + 1, d);
	return 0;
}

/* What MAP of ECO refers to: its DepURL, specs_from, release overrides. */
static int check_mapping(const struct registry *reg, const struct reg_ecosystem *eco,
			 const struct reg_mapping *map, struct ed_diag *d)
{
	if (!registry_find(reg, map->id)) {
		const struct reg_def *canon = find_def_alias(reg, map->id, NULL);
		if (canon)
			return loc_err(d, &map->loc, "'%s' is an alias of '%s': map the canonical id",
				       map->id, canon->id);
		return unknown_ref(reg, d, &map->loc, map->id, "mappings");
	}
	if (map->specs_from) {
		struct reg_target t = { eco, NULL, false };
		struct effective eff;
		if (!registry_find(reg, map->specs_from))
			return unknown_ref(reg, d, &map->specs_from_loc, map->specs_from,
					   "specs_from");
		if (!find_entry(reg, &t, map->specs_from, &eff))
			return loc_err(d, &map->specs_from_loc, "specs_from '%s' is not mapped in %s",
				       map->specs_from, eco->id);
	}
	for (size_t r = 0; r < map->nreleases; r++) {
		int rc = check_release_key(reg, eco, &map->releases[r].loc, map->releases[r].release,
					   d);
		if (rc)
			return rc;
	}
	return 0;
}

static int check_eco(const struct registry *reg, const struct reg_ecosystem *eco,
		     struct ed_diag *d)
{
	int rc;

	if (eco->inherits && (rc = check_inherits(reg, eco, d)))
		return rc;
	if (!eco->name)
		return loc_err(d, &eco->loc, "ecosystem '%s' has no 'name'", eco->id);
	if (!first_with(reg, eco, has_pm))
		return loc_err(d, &eco->loc, "ecosystem '%s' has no 'package_manager'", eco->id);
	if (eco->default_release &&
	    (rc = check_release_key(reg, eco, &eco->loc, eco->default_release, d)))
		return rc;
	for (size_t m = 0; m < eco->nmappings; m++)
		if ((rc = check_mapping(reg, eco, &eco->mappings[m], d)))
			return rc;
	return 0;
}

/* The package names of L against RULE; an error at LOC. */
static int check_spec_names(const struct reg_ecosystem *eco, const struct reg_spec_list *l,
			    enum reg_names rule, const struct reg_loc *loc, struct ed_diag *d)
{
	for (size_t i = 0; i < l->count; i++)
		for (size_t a = 0; a < l->items[i].nalts; a++) {
			const char *name = l->items[i].alts[a];
			size_t len = strlen(name), bad = reg_name_bad(name, len, rule);
			if (bad < len)
				return loc_err(d, loc,
					       "'%s': '%c' is not allowed in a package name of %s (allowed: %s)",
					       name, name[bad], eco->id, reg_names_allowed(rule));
		}
	return 0;
}

static int check_entry_names(const struct reg_ecosystem *eco, const struct reg_entry *e,
			     enum reg_names rule, const struct reg_loc *loc, struct ed_diag *d)
{
	int rc;

	for (int s = 0; s < ED_STAGE_COUNT; s++)
		if (e->has_stage[s] && (rc = check_spec_names(eco, &e->stages[s], rule, loc, d)))
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
		if (eco->has_python_dev)
			rc = check_spec_names(eco, &eco->python_dev, rule, &eco->loc, d);
		for (size_t m = 0; m < eco->nmappings && !rc; m++) {
			const struct reg_mapping *map = &eco->mappings[m];
			rc = check_entry_names(eco, &map->base, rule, &map->loc, d);
			for (size_t r = 0; r < map->nreleases && !rc; r++)
				rc = check_entry_names(eco, &map->releases[r].entry, rule,
						       &map->releases[r].loc, d);
		}
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

/* --- coverage --- */

int registry_coverage(const struct registry *reg, struct reg_coverage *out, struct ed_diag *d)
{
	memset(out, 0, sizeof *out);
	out->ndefs = reg->ndefs;
	out->necos = reg->necos;
	out->def_ids = calloc(reg->ndefs + 1, sizeof *out->def_ids);
	out->eco_ids = calloc(reg->necos + 1, sizeof *out->eco_ids);
	out->cells = calloc(reg->ndefs * reg->necos + 1, sizeof *out->cells);
	out->per_eco = calloc(reg->necos + 1, sizeof *out->per_eco);
	if (!out->def_ids || !out->eco_ids || !out->cells || !out->per_eco) {
		reg_coverage_fini(out);
		return ed_diag_oom(d);
	}
	for (size_t e = 0; e < reg->necos; e++)
		out->eco_ids[e] = reg->ecos[e].id;
	for (size_t i = 0; i < reg->ndefs; i++) {
		struct depurl dep;
		out->def_ids[i] = reg->defs[i].id;
		memset(&dep, 0, sizeof dep);
		dep.id = reg->defs[i].id;
		for (size_t e = 0; e < reg->necos; e++) {
			struct reg_target t;
			struct reg_map m;
			enum reg_cov cell;
			registry_parse_target(reg, reg->ecos[e].id, &t, NULL);
			if (registry_map(reg, &t, &dep, ED_STAGE_HOST, &m, d)) {
				reg_coverage_fini(out);
				return d ? d->status : ED_EXIT_ENV;
			}
			cell = m.status == REG_MAPPED	   ? REG_COV_MAPPED
			       : m.status == REG_UNAVAILABLE ? REG_COV_UNAVAILABLE
							     : REG_COV_MISSING;
			reg_map_fini(&m);
			out->cells[i * reg->necos + e] = cell;
			out->per_eco[e][cell]++;
			out->totals[cell]++;
		}
	}
	return 0;
}

void reg_coverage_fini(struct reg_coverage *c)
{
	if (!c)
		return;
	free(c->def_ids);
	free(c->eco_ids);
	free(c->cells);
	free(c->per_eco);
	memset(c, 0, sizeof *c);
}
