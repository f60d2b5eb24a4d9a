/* registry.c - the registry's storage, look-ups, targets, mapping, checks
 * and coverage. Reading files is in registry_yaml.c, PEP 804 in pep804.c. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

/* The ecosystem whose `releases` apply to ECO: its own, else its parent's. */
static const struct reg_ecosystem *release_owner(const struct registry *reg,
						 const struct reg_ecosystem *eco)
{
	for (int depth = 0; eco && depth < MAX_CHAIN; depth++, eco = eco_parent(reg, eco))
		if (eco->nreleases)
			return eco;
	return NULL;
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

/* "11 (bullseye), 12 (bookworm)" into BUF. */
static void list_releases(const struct reg_ecosystem *owner, char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; owner && i < owner->nreleases && used < size; i++) {
		const struct reg_release *r = &owner->releases[i];
		int w = r->codename ? snprintf(buf + used, size - used, "%s%s (%s)", i ? ", " : "",
					       r->number, r->codename)
				    : snprintf(buf + used, size - used, "%s%s", i ? ", " : "",
					       r->number);
		if (w < 0)
			break;
		used += (size_t)w;
	}
}

static void list_ecosystems(const struct registry *reg, char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < reg->necos && used < size; i++) {
		int w = snprintf(buf + used, size - used, "%s%s", i ? ", " : "", reg->ecos[i].id);
		if (w < 0)
			break;
		used += (size_t)w;
	}
}

int registry_parse_target(const struct registry *reg, const char *text, struct reg_target *out,
			  struct ed_diag *d)
{
	size_t idlen = strcspn(text, ":+");
	char id[128], known[600];
	const struct reg_ecosystem *eco, *owner;
	const char *rel = text[idlen] ? text + idlen + 1 : NULL;

	memset(out, 0, sizeof *out);
	if (idlen == 0 || idlen >= sizeof id || (rel && !*rel))
		return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0,
				   "invalid target '%s': expected ID[:RELEASE]", text);
	memcpy(id, text, idlen);
	id[idlen] = '\0';
	eco = registry_find_ecosystem(reg, id);
	if (!eco) {
		const char **ids = malloc((reg->necos + 1) * sizeof *ids);
		const char *near = NULL;
		if (ids) {
			for (size_t i = 0; i < reg->necos; i++)
				ids[i] = reg->ecos[i].id;
			near = util_nearest(id, ids, reg->necos);
			free(ids);
		}
		list_ecosystems(reg, known, sizeof known);
		if (near)
			return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0,
					   "unknown ecosystem '%s'; did you mean '%s'? (known: %s)",
					   id, near, known);
		return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0, "unknown ecosystem '%s' (known: %s)",
				   id, known);
	}
	out->eco = eco;
	owner = release_owner(reg, eco);
	if (rel) {
		const struct reg_release *r = find_release(owner, rel, true);
		if (!owner)
			return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0,
					   "'%s' has no releases: write --distro=%s", id, id);
		if (!r) {
			list_releases(owner, known, sizeof known);
			return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0,
					   "unknown release '%s' of %s (known: %s)", rel, id, known);
		}
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
	const struct reg_ecosystem *e = target->eco;

	for (int depth = 0; e && depth < MAX_CHAIN; depth++, e = eco_parent(reg, e))
		if (e->has_pm)
			return &e->pm;
	return NULL;
}

const struct reg_spec_list *registry_python_dev(const struct registry *reg,
						const struct reg_target *target)
{
	const struct reg_ecosystem *e = target->eco;

	for (int depth = 0; e && depth < MAX_CHAIN; depth++, e = eco_parent(reg, e))
		if (e->has_python_dev)
			return &e->python_dev;
	return NULL;
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
	size_t cap = strlen(template_) + strlen(name) + strlen(op) + strlen(version) + 1, used = 0;
	char *buf;

	/* each placeholder may appear more than once */
	cap *= 4;
	buf = malloc(cap);
	if (!buf)
		return NULL;
	for (const char *p = template_; *p;) {
		const char *sub = NULL;
		size_t skip = 1, len;
		if (strncmp(p, "{name}", 6) == 0)
			sub = name, skip = 6;
		else if (strncmp(p, "{op}", 4) == 0)
			sub = op, skip = 4;
		else if (strncmp(p, "{version}", 9) == 0)
			sub = version, skip = 9;
		len = sub ? strlen(sub) : 1;
		if (used + len + 1 > cap) {
			char *nb = realloc(buf, cap * 2 + len);
			if (!nb) {
				free(buf);
				return NULL;
			}
			buf = nb;
			cap = cap * 2 + len;
		}
		memcpy(buf + used, sub ? sub : p, len);
		used += len;
		p += skip;
	}
	buf[used] = '\0';
	return buf;
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

static int oom(struct ed_diag *d)
{
	return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "out of memory");
}

static int fill_packages(const struct registry *reg, const struct reg_target *t,
			 const struct depurl *dep, const struct effective *eff, enum ed_stage stage,
			 struct reg_map *out, struct ed_diag *d)
{
	const struct reg_spec_list *list = NULL;
	const struct reg_pm *pm = registry_package_manager(reg, t);
	const struct pep440_spec *spec = dep ? dep->spec : NULL;
	bool translate;

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
	if (translate) {
		out->clauses = calloc(spec->count, sizeof *out->clauses);
		if (!out->clauses)
			return oom(d);
		out->nclauses = spec->count;
		for (size_t i = 0; i < spec->count; i++) {
			const struct pep440_clause *c = &spec->clauses[i];
			size_t len = strlen(c->version);
			out->clauses[i].op = c->op;
			out->clauses[i].op_text = op_text(pm, c->op);
			out->clauses[i].version = malloc(len + 3);
			if (!out->clauses[i].version)
				return oom(d);
			memcpy(out->clauses[i].version, c->version, len + 1);
			if (c->wildcard)
				memcpy(out->clauses[i].version + len, ".*", 3);
		}
	}
	if (!list || list->count == 0)
		return 0;
	out->pkgs = calloc(list->count, sizeof *out->pkgs);
	if (!out->pkgs)
		return oom(d);
	out->npkgs = list->count;
	for (size_t i = 0; i < list->count; i++) {
		const struct reg_spec *sp = &list->items[i];
		struct reg_map_pkg *pkg = &out->pkgs[i];
		pkg->alts = calloc(sp->nalts, sizeof *pkg->alts);
		if (!pkg->alts)
			return oom(d);
		pkg->nalts = sp->nalts;
		for (size_t a = 0; a < sp->nalts; a++) {
			struct reg_map_alt *alt = &pkg->alts[a];
			alt->name = strdup(sp->alts[a]);
			if (!alt->name)
				return oom(d);
			if (!translate)
				continue;
			alt->constraints = calloc(out->nclauses, sizeof *alt->constraints);
			if (!alt->constraints)
				return oom(d);
			for (size_t c = 0; c < out->nclauses; c++) {
				alt->constraints[c] = registry_render(pm->constraint, alt->name,
								      out->clauses[c].op_text,
								      out->clauses[c].version);
				if (!alt->constraints[c])
					return oom(d);
				alt->nconstraints++;
			}
		}
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
	const char **ids = malloc((reg->ndefs + 1) * sizeof *ids);
	const char *near = NULL;

	if (ids) {
		for (size_t i = 0; i < reg->ndefs; i++)
			ids[i] = reg->defs[i].id;
		near = util_nearest(id, ids, reg->ndefs);
		free(ids);
	}
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
		return oom(d);
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
	char known[600];

	if (!owner)
		return loc_err(d, loc, "release '%s' given, but '%s' lists no releases", rel,
			       eco->id);
	if (find_release(owner, rel, false))
		return 0;
	list_releases(owner, known, sizeof known);
	if (find_release(owner, rel, true))
		return loc_err(d, loc, "write release '%s' by its number (known: %s)", rel, known);
	return loc_err(d, loc, "unknown release '%s' of %s (known: %s)", rel, eco->id, known);
}

static int check_ecos(const struct registry *reg, struct ed_diag *d)
{
	for (size_t i = 0; i < reg->necos; i++) {
		const struct reg_ecosystem *eco = &reg->ecos[i];
		const struct reg_ecosystem *e = eco;
		bool has_pm = false;
		if (eco->inherits) {
			const struct reg_ecosystem *p = eco_parent(reg, eco);
			if (!p) {
				const char **ids = malloc((reg->necos + 1) * sizeof *ids);
				const char *near = NULL;
				if (ids) {
					for (size_t k = 0; k < reg->necos; k++)
						ids[k] = reg->ecos[k].id;
					near = util_nearest(eco->inherits, ids, reg->necos);
					free(ids);
				}
				if (near)
					return loc_err(d, &eco->inherits_loc,
						       "'%s' inherits unknown ecosystem '%s'; did you mean '%s'?",
						       eco->id, eco->inherits, near);
				return loc_err(d, &eco->inherits_loc,
					       "'%s' inherits unknown ecosystem '%s'", eco->id,
					       eco->inherits);
			}
			/* a cycle returns to ECO within necos steps */
			for (size_t step = 0; p && step <= reg->necos; step++, p = eco_parent(reg, p)) {
				if (p == eco) {
					char chain[512];
					size_t used = 0;
					const struct reg_ecosystem *c = eco;
					for (size_t k = 0; k <= step + 1 && used < sizeof chain; k++) {
						int w = snprintf(chain + used, sizeof chain - used,
								 "%s%s", k ? " -> " : "", c->id);
						if (w < 0)
							break;
						used += (size_t)w;
						c = eco_parent(reg, c);
					}
					return loc_err(d, &eco->inherits_loc, "inherits cycle: %s",
						       chain);
				}
			}
		}
		if (!eco->name)
			return loc_err(d, &eco->loc, "ecosystem '%s' has no 'name'", eco->id);
		for (int depth = 0; e && depth < MAX_CHAIN && !has_pm; depth++, e = eco_parent(reg, e))
			has_pm = e->has_pm;
		if (!has_pm)
			return loc_err(d, &eco->loc, "ecosystem '%s' has no 'package_manager'",
				       eco->id);
		if (eco->default_release) {
			int rc = check_release_key(reg, eco, &eco->loc, eco->default_release, d);
			if (rc)
				return rc;
		}
		for (size_t m = 0; m < eco->nmappings; m++) {
			const struct reg_mapping *map = &eco->mappings[m];
			if (!registry_find(reg, map->id)) {
				const struct reg_def *canon = find_def_alias(reg, map->id, NULL);
				if (canon)
					return loc_err(d, &map->loc,
						       "'%s' is an alias of '%s': map the canonical id",
						       map->id, canon->id);
				return unknown_ref(reg, d, &map->loc, map->id, "mappings");
			}
			if (map->specs_from) {
				struct reg_target t = { eco, NULL, false };
				struct effective eff;
				if (!registry_find(reg, map->specs_from))
					return unknown_ref(reg, d, &map->specs_from_loc,
							   map->specs_from, "specs_from");
				if (!find_entry(reg, &t, map->specs_from, &eff))
					return loc_err(d, &map->specs_from_loc,
						       "specs_from '%s' is not mapped in %s",
						       map->specs_from, eco->id);
			}
			for (size_t r = 0; r < map->nreleases; r++) {
				int rc = check_release_key(reg, eco, &map->releases[r].loc,
							   map->releases[r].release, d);
				if (rc)
					return rc;
			}
		}
	}
	return 0;
}

int registry_check(struct registry *reg, struct ed_diag *d)
{
	int rc = check_defs(reg, d);

	return rc ? rc : check_ecos(reg, d);
}

/* --- validation --- */

void reg_warnings_fini(struct reg_warnings *w)
{
	if (!w)
		return;
	free(w->items);
	w->items = NULL;
	w->count = 0;
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
	items = realloc(w->items, (w->count + 1) * sizeof *items);
	if (!items)
		return -1;
	w->items = items;
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
				return oom(d);
			for (size_t r = 0; r < map->nreleases; r++)
				if (entry_all_empty(&map->releases[r].entry) &&
				    warn(w, &map->releases[r].loc,
					 "%s %s: '%s' maps to no package in any stage", eco->id,
					 map->releases[r].release, map->id))
					return oom(d);
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
		return oom(d);
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
