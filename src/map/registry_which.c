/* registry_which.c - reverse look-ups: from what a user knows (a package
 * name of any ecosystem, an executable, a pkg-config module, a file, an
 * alias) to the DepURLs behind it; and the suggestions for unknown DepURLs,
 * which search the same names before falling back to edit distance.
 *
 * The registry is walked once per question: every name it knows is one
 * record (what kind of name, which DepURL, which ecosystem and release),
 * and a question keeps the records whose name is the one asked for. */
#include <ctype.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "extdeps/map/registry.h"
#include "extdeps/util/util.h"

const char *reg_which_kind_name(enum reg_which_kind kind)
{
	static const char *const names[REG_WHICH_KIND_COUNT] = {
		"id", "alias", "provides", "pkg-config", "executable", "file", "package",
	};

	return (unsigned)kind < REG_WHICH_KIND_COUNT ? names[kind] : "?";
}

/* The question, and what is found. */
struct query {
	const struct registry *reg;
	const char *name;        /* compared without regard to case */
	bool path;               /* NAME is a file path: probes' patterns match it */
	struct reg_which *out;
	bool oom;
};

/* The last component of a DepURL id ("dep:generic/libpq" -> "libpq"). */
static const char *id_name(const char *id)
{
	const char *slash = strrchr(id, '/');

	return slash ? slash + 1 : id;
}

static void add(struct query *q, const struct reg_which_match *m)
{
	struct reg_which *w = q->out;

	if (q->oom)
		return;
	if (!ALLOC_GROW(w->items, w->count + 1, w->alloc)) {
		q->oom = true;
		return;
	}
	w->items[w->count++] = *m;
}

/* Record NAME of kind KIND for definition ID when it is the one asked
 * for; M gives the rest (ecosystem, release, stage, where written). */
static void consider(struct query *q, enum reg_which_kind kind, const char *name, const char *id,
		     struct reg_which_match m)
{
	bool hit;

	if (kind == REG_WHICH_FILE)
		hit = q->path && (!strcmp(name, q->name) || !fnmatch(name, q->name, FNM_PATHNAME));
	else if (kind == REG_WHICH_ID || kind == REG_WHICH_PROVIDES)
		/* a DepURL is known by its last component too */
		hit = !strcasecmp(name, q->name) || !strcasecmp(id_name(name), q->name);
	else
		hit = !strcasecmp(name, q->name);
	if (!hit)
		return;
	m.kind = kind;
	m.name = name;
	m.id = id;
	add(q, &m);
}

/* What definition DEF says of itself: its id, aliases, provides, probes. */
static void walk_def(struct query *q, const struct reg_def *def)
{
	struct reg_which_match m = { .loc = def->loc };

	consider(q, REG_WHICH_ID, def->id, def->id, m);
	for (size_t i = 0; i < def->naliases; i++) {
		struct reg_which_match a = { .loc = def->alias_locs ? def->alias_locs[i] : def->loc };
		consider(q, REG_WHICH_ALIAS, def->aliases[i], def->id, a);
	}
	for (size_t i = 0; i < def->nprovides; i++) {
		struct reg_which_match p = { .loc = def->provides_locs ? def->provides_locs[i]
								       : def->loc };
		consider(q, REG_WHICH_PROVIDES, def->provides[i], def->id, p);
	}
	for (size_t i = 0; i < def->npkgconfig; i++)
		consider(q, REG_WHICH_PKGCONFIG, def->pkgconfig[i], def->id, m);
	for (size_t i = 0; i < def->nexecutables; i++)
		consider(q, REG_WHICH_EXECUTABLE, def->executables[i], def->id, m);
	for (size_t i = 0; i < def->nfiles; i++)
		consider(q, REG_WHICH_FILE, def->files[i], def->id, m);
}

/* One entry of a mapping, as ecosystem ECO sees it. */
struct entry_walk {
	struct query *q;
	const char *id;
	const struct reg_ecosystem *eco, *from;
	const struct reg_mapping *mapping;
};

/* "release 13 versions >=12": the release and the branch an entry is for. */
static void entry_scope(const struct reg_mapping *m, const struct reg_entry *e,
			const char **release, const char **branch)
{
	*release = *branch = NULL;
	for (size_t r = 0; r < m->nreleases; r++) {
		const struct reg_release_entry *o = &m->releases[r];
		if (&o->entry == e)
			*release = o->release;
		for (size_t v = 0; v < o->nversions; v++)
			if (&o->versions[v].entry == e) {
				*release = o->release;
				*branch = o->versions[v].range;
			}
	}
	for (size_t v = 0; v < m->nversions; v++)
		if (&m->versions[v].entry == e)
			*branch = m->versions[v].range;
}

/* Whether RELEASE is a release of ECO (its own, or those it takes from
 * the ecosystem it inherits from). */
static bool has_release(const struct registry *reg, const struct reg_ecosystem *eco,
			const char *release)
{
	char text[192];
	struct reg_target t;

	snprintf(text, sizeof text, "%s:%s", eco->id, release);
	return !registry_parse_target(reg, text, &t, NULL);
}

static int walk_entry(const struct reg_entry *e, const struct reg_loc *loc, const char *what,
		      void *ud)
{
	struct entry_walk *w = ud;
	struct reg_which_match m = {
		.ecosystem = w->eco->id,
		.from = w->from != w->eco ? w->from->id : NULL,
		.loc = *loc,
	};

	(void)what;
	entry_scope(w->mapping, e, &m.release, &m.branch);
	if (m.release && m.from && !has_release(w->q->reg, w->eco, m.release))
		return 0; /* a release of the parent's that is none of ECO's */
	for (int s = 0; s < ED_STAGE_COUNT; s++) {
		m.stage = (enum ed_stage)s;
		for (size_t k = 0; k < e->stages[s].count; k++)
			for (size_t a = 0; a < e->stages[s].items[k].nalts; a++) {
				const char *name = e->stages[s].items[k].alts[a];
				consider(w->q, name[0] == '/' ? REG_WHICH_FILE : REG_WHICH_PACKAGE,
					 name, w->id, m);
			}
	}
	return 0;
}

/* The definition a mapping key names: its id, or what an alias resolves to. */
static const char *mapping_def(const struct registry *reg, const char *key)
{
	struct reg_resolved r;

	if (registry_find(reg, key))
		return registry_find(reg, key)->id;
	if (!registry_resolve(reg, key, &r, NULL) && r.def)
		return r.def->id;
	return key;
}

/* Whether a mapping of ID is written by an ecosystem of CHAIN before K. */
static bool shadowed(const struct reg_ecosystem *const *chain, size_t k, const char *id)
{
	for (size_t j = 0; j < k; j++)
		if (registry_find_mapping(chain[j], id))
			return true;
	return false;
}

/* Every package ECO's mappings name, its own and those it inherits (the
 * nearest file's mapping of an id wins, as registry_map() decides). */
static void walk_ecosystem(struct query *q, const struct reg_ecosystem *eco)
{
	const struct reg_ecosystem *chain[8];
	size_t depth = 0;

	for (const struct reg_ecosystem *e = eco; e && depth < 8;
	     e = e->inherits ? registry_find_ecosystem(q->reg, e->inherits) : NULL)
		chain[depth++] = e;
	for (size_t k = 0; k < depth; k++)
		for (size_t i = 0; i < chain[k]->nmappings; i++) {
			const struct reg_mapping *m = &chain[k]->mappings[i];
			struct entry_walk w = { q, NULL, eco, chain[k], m };
			size_t before = q->out->count;

			if (shadowed(chain, k, m->id))
				continue;
			w.id = m->id;
			registry_each_entry(m, walk_entry, &w);
			/* resolve the key only for what matched: aliases cost a search */
			for (size_t n = before; n < q->out->count; n++)
				q->out->items[n].id = mapping_def(q->reg, m->id);
		}
}

static void walk(struct query *q)
{
	for (size_t i = 0; i < registry_ndefs(q->reg); i++)
		walk_def(q, registry_def_at(q->reg, i));
	for (size_t i = 0; i < registry_naliases(q->reg); i++) {
		const struct reg_alias *va = registry_alias_at(q->reg, i);
		consider(q, REG_WHICH_ALIAS, va->name, va->id, (struct reg_which_match){ .loc = va->loc });
	}
	for (size_t i = 0; i < registry_necosystems(q->reg); i++)
		walk_ecosystem(q, registry_ecosystem_at(q->reg, i));
}

static int cmp_str(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

/* By DepURL, kind, name, ecosystem, release, branch, stage: stable output. */
static int cmp_match(const void *pa, const void *pb)
{
	const struct reg_which_match *a = pa, *b = pb;
	int c;

	if ((c = strcmp(a->id, b->id)) || (c = (int)a->kind - (int)b->kind) ||
	    (c = strcmp(a->name, b->name)) || (c = cmp_str(a->ecosystem, b->ecosystem)) ||
	    (c = cmp_str(a->release, b->release)) || (c = cmp_str(a->branch, b->branch)))
		return c;
	return (int)a->stage - (int)b->stage;
}

/* Ask for NAME; false when out of memory. */
static bool ask(const struct registry *reg, const char *name, bool path, struct reg_which *out)
{
	struct query q = { reg, name, path, out, false };

	walk(&q);
	return !q.oom;
}

/* The stems a file's name may be known by, longest first, into STEMS
 * (each STEM_MAX bytes): "/usr/include/libpq-fe.h" -> libpq-fe, libpq, pq;
 * "libssl.so.3" -> libssl, ssl. */
#define STEM_MAX 128
static size_t file_stems(const char *path, char stems[][STEM_MAX], size_t max)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	char stem[STEM_MAX];
	size_t n = 0;

	snprintf(stem, sizeof stem, "%.*s", (int)strcspn(base, "."), base);
	while (stem[0] && n < max) {
		char *cut;

		snprintf(stems[n++], STEM_MAX, "%s", stem);
		if (!strncmp(stem, "lib", 3) && stem[3] && n < max)
			snprintf(stems[n++], STEM_MAX, "%s", stem + 3);
		if (!(cut = strrchr(stem, '-')) && !(cut = strrchr(stem, '_')))
			break;
		*cut = '\0';
	}
	return n;
}

/* A path: the registry's files, an executable by its name in a bin
 * directory, then the names the file's stem may be (by_stem). */
static bool ask_path(const struct registry *reg, const char *path, struct reg_which *out)
{
	char stems[8][STEM_MAX];
	const char *base = strrchr(path, '/') + 1;
	size_t n;

	if (!ask(reg, path, true, out))
		return false;
	if (!out->count && (strstr(path, "/bin/") || strstr(path, "/sbin/")) && *base) {
		size_t kept = 0;

		if (!ask(reg, base, false, out))
			return false;
		for (size_t i = 0; i < out->count; i++)
			if (out->items[i].kind == REG_WHICH_EXECUTABLE)
				out->items[kept++] = out->items[i];
		out->count = kept;
	}
	n = file_stems(path, stems, 8);
	for (size_t i = 0; i < n && !out->count; i++) {
		if (!ask(reg, stems[i], false, out))
			return false;
		if (out->count)
			snprintf(out->stem, sizeof out->stem, "%.*s", (int)sizeof out->stem - 1, stems[i]);
	}
	return true;
}

int registry_which(const struct registry *reg, const char *name, struct reg_which *out,
		   struct ed_diag *d)
{
	bool ok;

	memset(out, 0, sizeof *out);
	if (!*name)
		return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0, "an empty name names nothing");
	if (strchr(name, '/') && !strchr(name, ':'))
		ok = ask_path(reg, name, out);
	else
		ok = ask(reg, name, false, out);
	/* a DepURL that is not known: by its name ("dep:generic/pg_config") */
	if (ok && !out->count && strchr(name, ':') && strchr(name, '/'))
		ok = ask(reg, id_name(name), false, out);
	if (!ok) {
		reg_which_fini(out);
		return ed_diag_oom(d);
	}
	if (out->count)
		qsort(out->items, out->count, sizeof *out->items, cmp_match);
	return 0;
}

void reg_which_fini(struct reg_which *w)
{
	if (!w)
		return;
	free(w->items);
	memset(w, 0, sizeof *w);
}

/* The DepURL a suggestion names: the match of the kind a user most likely
 * meant (an id's name, an alias, a provided DepURL, a probe, a package). */
static const char *best_match(const struct reg_which *w)
{
	const struct reg_which_match *best = NULL;

	for (size_t i = 0; i < w->count; i++)
		if (!best || w->items[i].kind < best->kind)
			best = &w->items[i];
	return best ? best->id : NULL;
}

/* Edit distance over every id, id's last component and alias: a typo.
 * What a last component is nearest names its id. */
static const char *nearest_known(const struct registry *reg, const char *word)
{
	size_t n = registry_naliases(reg), k = 0;
	const char **cand, **names;
	const char *best, *found = NULL;

	for (size_t i = 0; i < registry_ndefs(reg); i++)
		n += 2 + registry_def_at(reg, i)->naliases;
	if (!n)
		return NULL;
	cand = malloc(n * sizeof *cand);
	names = malloc(n * sizeof *names);
	if (!cand || !names)
		goto out;
	/* ids and aliases first: at equal distance the first wins */
	for (size_t i = 0; i < registry_ndefs(reg); i++) {
		const struct reg_def *def = registry_def_at(reg, i);
		names[k] = def->id;
		cand[k++] = def->id;
		for (size_t j = 0; j < def->naliases; j++) {
			names[k] = def->aliases[j];
			cand[k++] = def->aliases[j];
		}
	}
	for (size_t i = 0; i < registry_naliases(reg); i++) {
		names[k] = registry_alias_at(reg, i)->name;
		cand[k++] = registry_alias_at(reg, i)->name;
	}
	for (size_t i = 0; i < registry_ndefs(reg); i++) {
		names[k] = registry_def_at(reg, i)->id;
		cand[k++] = id_name(registry_def_at(reg, i)->id);
	}
	best = util_nearest(word, cand, k);
	for (size_t i = 0; best && i < k && !found; i++)
		if (cand[i] == best)
			found = names[i];
out:
	free(cand);
	free(names);
	return found;
}

const char *registry_suggest(const struct registry *reg, const char *word)
{
	struct reg_which w;
	const char *best = NULL;

	if (!registry_which(reg, word, &w, NULL))
		best = best_match(&w);
	reg_which_fini(&w);
	return best ? best : nearest_known(reg, word);
}
