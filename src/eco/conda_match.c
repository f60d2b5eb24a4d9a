/* conda_match.c - conda versions and match specs as libsolv dependencies
 * (conda_match.h, conda_int.h). */
#include "extdeps/eco/conda_match.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <solv/knownid.h>
#include <solv/pool.h>
#include <solv/queue.h>
#include <solv/repo.h>
#include <solv/solvable.h>

#include "extdeps/eco/condaver.h"
#include "extdeps/util/util.h"
#include "conda_int.h"

/* The most relations of a pure 'and' that conda_spec_deps splits. */
#define MAX_LEAVES 16

Id conda_version_key(Pool *pool)
{
	return pool_str2id(pool, "solvable:condaversion", 1);
}

Id conda_version_id(Pool *pool, const char *version)
{
	char enc[CONDAVER_ENC_MAX];

	if (!condaver_encode(version, enc, sizeof enc))
		return 0;
	return pool_str2id(pool, enc, 1);
}

/* "NAME >= LO with NAME < HI" for a startswith match; NAME >= LO alone when
 * nothing bounds it above. */
static Id prefix_range(Pool *pool, Id name, const char *version, bool negate)
{
	char lo[CONDAVER_ENC_MAX], hi[CONDAVER_ENC_MAX];
	Id l, h;

	if (!condaver_prefix_bounds(version, lo, sizeof lo, hi, sizeof hi))
		return 0;
	l = pool_rel2id(pool, name, pool_str2id(pool, lo, 1),
			negate ? REL_LT : REL_GT | REL_EQ, 1);
	if (!*hi)
		return l;
	h = pool_rel2id(pool, name, pool_str2id(pool, hi, 1), negate ? REL_GT | REL_EQ : REL_LT, 1);
	return pool_rel2id(pool, l, h, negate ? REL_OR : REL_WITH, 1);
}

static int rel_flags(const char *op, bool negate)
{
	static const struct {
		const char *op;
		int flags, negated;
	} table[] = {
		{ "==", REL_EQ, REL_LT | REL_GT },
		{ "!=", REL_LT | REL_GT, REL_EQ },
		{ "<", REL_LT, REL_GT | REL_EQ },
		{ "<=", REL_LT | REL_EQ, REL_GT },
		{ ">", REL_GT, REL_LT | REL_EQ },
		{ ">=", REL_GT | REL_EQ, REL_LT },
	};

	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
		if (!strcmp(op, table[i].op))
			return negate ? table[i].negated : table[i].flags;
	return 0;
}

/* ~=1.2.3: >=1.2.3 with 1.2.*, or its negation. */
static Id compatible_dep(Pool *pool, Id name, const char *version, bool negate)
{
	char prefix[CONDAVER_MAX_LEN + 1];
	char *cut;
	Id ge, pre;

	snprintf(prefix, sizeof prefix, "%s", version);
	cut = strrchr(prefix, '.');
	if (cut)
		*cut = '\0';
	ge = pool_rel2id(pool, name, conda_version_id(pool, version),
			 negate ? REL_LT : REL_GT | REL_EQ, 1);
	if (!cut)
		return ge;
	pre = prefix_range(pool, name, prefix, negate);
	return pre ? pool_rel2id(pool, ge, pre, negate ? REL_OR : REL_WITH, 1) : 0;
}

/* The dependency for relation R on NAME, or its negation; 0 when the
 * relation matches every version (its negation then matches none: -1). */
static Id rel_dep(Pool *pool, Id name, const struct condaver_rel *r, bool negate)
{
	int flags;
	Id evr;

	if (!strcmp(r->op, "*") || !strcmp(r->op, "~"))
		return negate ? -1 : name;
	if (!strcmp(r->op, "=*"))
		return prefix_range(pool, name, r->version, negate);
	if (!strcmp(r->op, "!=*"))
		return prefix_range(pool, name, r->version, !negate);
	if (!strcmp(r->op, "~="))
		return compatible_dep(pool, name, r->version, negate);
	flags = rel_flags(r->op, negate);
	evr = conda_version_id(pool, r->version);
	if (!flags || !evr)
		return 0;
	return pool_rel2id(pool, name, evr, flags, 1);
}

/* The dependency for expression X on NAME or (NEGATE) what it excludes, for
 * a constrains entry: not (A and B) = not A or not B, not (A or B) = not A
 * with not B. A relation on every version gives NAME, and its negation -1
 * (nothing excluded): the one adds nothing to a 'with' and makes an 'or'
 * any version, the other the reverse. 0: not expressible. */
static Id expr_dep(Pool *pool, Id name, const struct condaver_expr *x, bool negate)
{
	Id trivial = negate ? -1 : name;
	bool with;
	Id l, r;

	if (x->kind == 'r')
		return rel_dep(pool, name, &x->rel, negate);
	l = expr_dep(pool, name, x->left, negate);
	r = expr_dep(pool, name, x->right, negate);
	if (!l || !r)
		return 0;
	with = (x->kind == ',') != negate;
	if (l == trivial || r == trivial)
		return with != negate ? (l == trivial ? r : l) : trivial;
	return pool_rel2id(pool, l, r, with ? REL_WITH : REL_OR, 1);
}

/* The provide "NAME[build=GLOB]"; 0 when too long, or when CREATE is false
 * and the pool has no such string yet. */
static Id build_provide(Pool *pool, const char *name, const char *build, bool create)
{
	char buf[512];
	int n = snprintf(buf, sizeof buf, "%s[build=%s]", name, build);

	if (n < 0 || (size_t)n >= sizeof buf)
		return 0;
	return pool_str2id(pool, buf, create);
}

/* Add PROVIDE to every package NAME of POOL whose build string matches
 * GLOB; rebuild the provides index when there is one. */
static void provide_build_glob(Pool *pool, Id name, Id provide, const char *glob)
{
	bool added = false;
	Solvable *s;
	Id p;

	FOR_POOL_SOLVABLES(p)
	{
		const char *build;

		s = pool->solvables + p;
		if (s->name != name || !(build = solvable_lookup_str(s, SOLVABLE_BUILDFLAVOR)) ||
		    fnmatch(glob, build, 0))
			continue;
		s->provides = repo_addid_dep(s->repo, s->provides, provide, 0);
		added = true;
	}
	if (added && pool->whatprovides)
		pool_createwhatprovides(pool);
}

Id conda_dep_from_spec(Pool *pool, const char *spec, struct ed_parse_err *e)
{
	struct condaspec cs;
	Id name, dep = 0;

	if (condaspec_parse(spec, &cs, e))
		return 0;
	name = pool_str2id(pool, cs.name, 1);
	dep = name;
	if (cs.version) {
		struct condaver_expr *x = condaver_expr_parse(cs.version, e);

		dep = x ? expr_dep(pool, name, x, false) : 0;
		condaver_expr_free(x);
		if (!dep)
			ed_parse_err_set(e, 0, "cannot express version '%s'", cs.version);
	}
	if (dep && cs.build) {
		Id known = build_provide(pool, cs.name, cs.build, false);
		Id b = known ? known : build_provide(pool, cs.name, cs.build, true);

		/* a build match no repository used: give its provide now */
		if (b && !known)
			provide_build_glob(pool, name, b, cs.build);

		dep = b ? pool_rel2id(pool, dep, b, REL_WITH, 1) : 0;
		if (!dep)
			ed_parse_err_set(e, 0, "build string too long");
	}
	condaspec_fini(&cs);
	return dep;
}

Id conda_constrain_from_spec(Pool *pool, const char *spec, struct ed_parse_err *e)
{
	struct condaspec cs;
	struct condaver_expr *x;
	Id dep;

	if (condaspec_parse(spec, &cs, e))
		return 0;
	/* no version: every version is allowed, nothing is excluded */
	if (!cs.version) {
		condaspec_fini(&cs);
		return 0;
	}
	x = condaver_expr_parse(cs.version, e);
	dep = x ? expr_dep(pool, pool_str2id(pool, cs.name, 1), x, true) : 0;
	condaver_expr_free(x);
	condaspec_fini(&cs);
	return dep == -1 ? 0 : dep;
}

/* Leaves of a pure 'and' of relations, in order; false when X holds an 'or'. */
static bool and_leaves(const struct condaver_expr *x, const struct condaver_rel **out, size_t *n,
		       size_t max)
{
	if (x->kind == '|')
		return false;
	if (x->kind == ',')
		return and_leaves(x->left, out, n, max) && and_leaves(x->right, out, n, max);
	if (*n == max)
		return false;
	out[(*n)++] = &x->rel;
	return true;
}

/* "requires NAME >= LO" and "conflicts NAME >= HI" for startswith VERSION. */
static bool prefix_deps(Pool *pool, Id name, const char *version, Queue *req, Queue *con)
{
	char lo[CONDAVER_ENC_MAX], hi[CONDAVER_ENC_MAX];

	if (!condaver_prefix_bounds(version, lo, sizeof lo, hi, sizeof hi))
		return false;
	queue_push(req, pool_rel2id(pool, name, pool_str2id(pool, lo, 1), REL_GT | REL_EQ, 1));
	if (*hi)
		queue_push(con, pool_rel2id(pool, name, pool_str2id(pool, hi, 1), REL_GT | REL_EQ, 1));
	return true;
}

/* What relation R of a pure 'and' adds to REQ and CON (conda_spec_deps);
 * *REQUIRED set when it requires something. False: not expressible. */
static bool leaf_deps(Pool *pool, Id name, const struct condaver_rel *r, Queue *req, Queue *con,
		      bool *required)
{
	int flags = rel_flags(r->op, false);
	Id dep;

	if (!strcmp(r->op, "*") || !strcmp(r->op, "~"))
		return true;
	if (!strcmp(r->op, "=*")) {
		*required = true;
		return prefix_deps(pool, name, r->version, req, con);
	}
	if (flags == REL_EQ || flags == (REL_GT | REL_EQ) || flags == REL_GT) {
		if (!(dep = rel_dep(pool, name, r, false)))
			return false;
		queue_push(req, dep);
		*required = true;
		return true;
	}
	/* upper bounds, exclusions, ~=: what they forbid */
	if (!(dep = rel_dep(pool, name, r, true)))
		return false;
	if (!strcmp(r->op, "~=")) {
		/* >= part required, the rest forbidden */
		queue_push(req, rel_dep(pool, name, r, false));
		*required = true;
	} else if (dep != -1) {
		queue_push(con, dep);
	}
	return true;
}

/* A range as REL_WITH of two relations made one after the other hashes
 * badly in libsolv (relhash(a, a + 1) = 8a + c), which made loading
 * conda-forge several times slower: hence requires and conflicts of plain
 * relations, where conda's one package per name (libsolv's implicit
 * obsoletes) makes them mean the same. */
bool conda_spec_deps(Pool *pool, const char *spec, Queue *req, Queue *con)
{
	const struct condaver_rel *leaf[MAX_LEAVES];
	struct condaspec cs;
	struct condaver_expr *x = NULL;
	size_t nleaf = 0;
	bool ok = true, required = false;
	Id name;

	if (condaspec_parse(spec, &cs, NULL))
		return false;
	name = pool_str2id(pool, cs.name, 1);
	if (cs.version && !(x = condaver_expr_parse(cs.version, NULL)))
		ok = false;
	if (ok && x && !and_leaves(x, leaf, &nleaf, MAX_LEAVES)) {
		/* an 'or' (or too many leaves): one dependency */
		Id dep = expr_dep(pool, name, x, false);

		ok = dep != 0;
		if (ok)
			queue_push(req, dep);
		required = true;
		nleaf = 0;
	}
	for (size_t i = 0; ok && i < nleaf; i++)
		ok = leaf_deps(pool, name, leaf[i], req, con, &required);
	if (ok && cs.build) {
		Id b = build_provide(pool, cs.name, cs.build, true);

		ok = b != 0;
		if (ok)
			queue_push(req, b);
		required = true;
	}
	if (ok && !required)
		queue_push(req, name);
	condaver_expr_free(x);
	condaspec_fini(&cs);
	return ok;
}

Id conda_dep(Pool *pool, const char *name, int rel, const char *version)
{
	Id n = pool_str2id(pool, name, 1), evr;

	if (!rel || !version)
		return n;
	/* an unreadable version cannot narrow anything: the name alone */
	evr = conda_version_id(pool, version);
	return evr ? pool_rel2id(pool, n, evr, rel, 1) : n;
}

const char *conda_solvable_version(Pool *pool, Id p)
{
	Solvable *s = pool->solvables + p;
	const char *v = solvable_lookup_str(s, conda_version_key(pool));

	return v ? v : pool_id2str(pool, s->evr);
}

/* --- build-string provides --- */

struct buildmatch {
	Id name, provide;
	const char *glob; /* in the pool's string space, up to a closing ']' */
};

static int cmp_match(const void *a, const void *b)
{
	const struct buildmatch *x = a, *y = b;

	return x->name < y->name ? -1 : x->name > y->name;
}

/* Every "NAME[build=GLOB]" string some dependency created, by name; the
 * pool's strings seen when out of memory are all there are. */
static size_t build_matches(Pool *pool, struct buildmatch **out)
{
	struct buildmatch *m = NULL;
	size_t nm = 0, cap = 0;

	for (Id id = 1; id < pool->ss.nstrings; id++) {
		const char *s = pool_id2str(pool, id);
		const char *b = strstr(s, "[build=");
		size_t len;
		Id name;

		if (!b || b == s || (len = strlen(b)) < 9 || b[len - 1] != ']')
			continue;
		name = pool_strn2id(pool, s, (unsigned)(b - s), 0);
		if (!name)
			continue;
		if (!ALLOC_GROW(m, nm + 1, cap))
			break;
		m[nm++] = (struct buildmatch){ .name = name, .provide = id, .glob = b + 7 };
	}
	if (nm)
		qsort(m, nm, sizeof *m, cmp_match);
	*out = m;
	return nm;
}

/* Give S the provides of the matches M[0..NM) of its name its build
 * string matches. */
static void provide_matches(Repo *repo, Solvable *s, const struct buildmatch *m, size_t nm)
{
	struct buildmatch key = { .name = s->name };
	const struct buildmatch *hit = bsearch(&key, m, nm, sizeof *m, cmp_match);
	const char *build;

	if (!hit)
		return;
	while (hit > m && hit[-1].name == s->name)
		hit--;
	build = solvable_lookup_str(s, SOLVABLE_BUILDFLAVOR);
	for (; hit < m + nm && hit->name == s->name; hit++) {
		char glob[512];
		size_t gl = strlen(hit->glob) - 1; /* without the ']' */

		if (gl >= sizeof glob)
			continue;
		memcpy(glob, hit->glob, gl);
		glob[gl] = '\0';
		if (build && !fnmatch(glob, build, 0))
			s->provides = repo_addid_dep(repo, s->provides, hit->provide, 0);
	}
}

void conda_add_build_provides(Pool *pool, Repo **repos, size_t n)
{
	struct buildmatch *m = NULL;
	size_t nm = build_matches(pool, &m);

	for (size_t r = 0; nm && r < n; r++) {
		Solvable *s;
		Id p;

		FOR_REPO_SOLVABLES(repos[r], p, s)
			provide_matches(repos[r], s, m, nm);
	}
	free(m);
}
