/* conda.c - the conda backend: conda-forge and other conda channels. */
#include "extdeps/eco/conda.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <gnu/libc-version.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <yajl/yajl_parse.h>

#include <solv/knownid.h>
#include <solv/pool.h>
#include <solv/poolarch.h>
#include <solv/queue.h>
#include <solv/repo.h>
#include <solv/repodata.h>
#include <solv/solvable.h>
#include <solv/util.h>

#include "extdeps/eco/condaver.h"
#include "extdeps/eco/eco.h"
#include "extdeps/eco/solvext.h"
#include "extdeps/host/cuda.h"
#include "extdeps/net/fetch.h"
#include "extdeps/net/repocache.h"
#include "extdeps/util/util.h"

#define PATH_BUF 4096
#define DEFAULT_CHANNEL "conda-forge"
#define CHANNEL_ALIAS "https://conda.anaconda.org"
/* Part of the cache key: a new encoding of versions or deps changes it. */
#define CACHE_LAYOUT "c1"

static int oom(struct ed_diag *d)
{
	return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "out of memory");
}

/* --- subdirs --- */

const char *conda_host_subdir(void)
{
	static const struct {
		const char *machine, *subdir;
	} table[] = {
#if defined(__APPLE__)
		{ "x86_64", "osx-64" }, { "arm64", "osx-arm64" },
#else
		{ "x86_64", "linux-64" },       { "aarch64", "linux-aarch64" },
		{ "ppc64le", "linux-ppc64le" }, { "s390x", "linux-s390x" },
		{ "i686", "linux-32" },         { "armv7l", "linux-armv7l" },
#endif
	};
	struct utsname u;

	if (uname(&u) != 0)
		return NULL;
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
		if (!strcmp(u.machine, table[i].machine))
			return table[i].subdir;
	return NULL;
}

static bool valid_subdir(const char *s)
{
	static const char *const known[] = {
		"linux-64", "linux-aarch64", "linux-ppc64le", "linux-s390x", "linux-32",
		"linux-armv7l", "osx-64", "osx-arm64", "win-64", "win-32", "win-arm64",
		"emscripten-wasm32", "wasi-wasm32", "noarch",
	};

	for (size_t i = 0; s && i < sizeof known / sizeof known[0]; i++)
		if (!strcmp(s, known[i]))
			return true;
	return false;
}

static const char *target_subdir(const struct eco_opts *o)
{
	if (o && o->platform && *o->platform)
		return o->platform;
	if (o && o->arch && *o->arch)
		return o->arch;
	return conda_host_subdir();
}

/* --- dependencies --- */

static Id custom_key(Pool *pool)
{
	return pool_str2id(pool, "solvable:condaversion", 1);
}

static Id enc_id(Pool *pool, const char *version)
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
	if (!strcmp(r->op, "~=")) {
		/* ~=1.2.3: >=1.2.3 with 1.2.* */
		char prefix[CONDAVER_MAX_LEN + 1];
		char *cut;
		Id ge, pre;

		snprintf(prefix, sizeof prefix, "%s", r->version);
		cut = strrchr(prefix, '.');
		if (cut)
			*cut = '\0';
		evr = enc_id(pool, r->version);
		ge = pool_rel2id(pool, name, evr, negate ? REL_LT : REL_GT | REL_EQ, 1);
		if (!cut)
			return ge;
		pre = prefix_range(pool, name, prefix, negate);
		return pre ? pool_rel2id(pool, ge, pre, negate ? REL_OR : REL_WITH, 1) : 0;
	}
	flags = rel_flags(r->op, negate);
	evr = enc_id(pool, r->version);
	if (!flags || !evr)
		return 0;
	return pool_rel2id(pool, name, evr, flags, 1);
}

static Id expr_dep(Pool *pool, Id name, const struct condaver_expr *x)
{
	Id l, r;

	if (x->kind == 'r')
		return rel_dep(pool, name, &x->rel, false);
	l = expr_dep(pool, name, x->left);
	r = expr_dep(pool, name, x->right);
	if (!l || !r)
		return 0;
	/* "any version" on one side of an 'and' adds nothing */
	if (x->kind == ',' && l == name)
		return r;
	if (x->kind == ',' && r == name)
		return l;
	if (x->kind == '|' && (l == name || r == name))
		return name;
	return pool_rel2id(pool, l, r, x->kind == ',' ? REL_WITH : REL_OR, 1);
}

/* The negation of X: what a constrains entry forbids. -1: nothing. */
static Id expr_negation(Pool *pool, Id name, const struct condaver_expr *x)
{
	Id l, r;

	if (x->kind == 'r')
		return rel_dep(pool, name, &x->rel, true);
	l = expr_negation(pool, name, x->left);
	r = expr_negation(pool, name, x->right);
	if (!l || !r)
		return 0;
	if (x->kind == ',') {
		/* not (A and B) = not A or not B */
		if (l == -1)
			return r;
		if (r == -1)
			return l;
		return pool_rel2id(pool, l, r, REL_OR, 1);
	}
	/* not (A or B) = not A with not B */
	if (l == -1 || r == -1)
		return -1;
	return pool_rel2id(pool, l, r, REL_WITH, 1);
}

static Id build_provide(Pool *pool, const char *name, const char *build)
{
	char buf[512];
	int n = snprintf(buf, sizeof buf, "%s[build=%s]", name, build);

	if (n < 0 || (size_t)n >= sizeof buf)
		return 0;
	return pool_str2id(pool, buf, 1);
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

		dep = x ? expr_dep(pool, name, x) : 0;
		condaver_expr_free(x);
		if (!dep)
			ed_parse_err_set(e, 0, "cannot express version '%s'", cs.version);
	}
	if (dep && cs.build) {
		char key[512];
		bool known = snprintf(key, sizeof key, "%s[build=%s]", cs.name, cs.build) <
				     (int)sizeof key &&
			     pool_str2id(pool, key, 0);
		Id b = build_provide(pool, cs.name, cs.build);

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
	dep = x ? expr_negation(pool, pool_str2id(pool, cs.name, 1), x) : 0;
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

/* The requires (REQ) and conflicts (CON) that say SPEC, where a package
 * may depend on it. conda installs one package per name (libsolv's
 * implicit obsoletes do the same), so "NAME >=1,<2" is "requires NAME >= 1"
 * plus "conflicts NAME >= 2": plain relations only. A range as REL_WITH of
 * two relations made one after the other hashes badly in libsolv
 * (relhash(a, a + 1) = 8a + c), which made loading conda-forge several
 * times slower. Expressions with '|' keep the single-dependency form. */
bool conda_spec_deps(Pool *pool, const char *spec, Queue *req, Queue *con)
{
	const struct condaver_rel *leaf[16];
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
	if (ok && x && !and_leaves(x, leaf, &nleaf, 16)) {
		Id dep = expr_dep(pool, name, x);

		if (!dep)
			ok = false;
		else
			queue_push(req, dep);
		required = true;
		nleaf = 0;
	}
	for (size_t i = 0; ok && i < nleaf; i++) {
		const struct condaver_rel *r = leaf[i];
		char lo[CONDAVER_ENC_MAX], hi[CONDAVER_ENC_MAX];
		int flags = rel_flags(r->op, false);
		Id dep;

		if (!strcmp(r->op, "*") || !strcmp(r->op, "~"))
			continue;
		if (!strcmp(r->op, "=*")) {
			if (!condaver_prefix_bounds(r->version, lo, sizeof lo, hi, sizeof hi)) {
				ok = false;
				break;
			}
			queue_push(req, pool_rel2id(pool, name, pool_str2id(pool, lo, 1),
						    REL_GT | REL_EQ, 1));
			if (*hi)
				queue_push(con, pool_rel2id(pool, name, pool_str2id(pool, hi, 1),
							    REL_GT | REL_EQ, 1));
			required = true;
		} else if (flags == REL_EQ || flags == (REL_GT | REL_EQ) || flags == REL_GT) {
			if (!(dep = rel_dep(pool, name, r, false))) {
				ok = false;
				break;
			}
			queue_push(req, dep);
			required = true;
		} else {
			/* upper bounds, exclusions, ~=: what they forbid */
			dep = rel_dep(pool, name, r, true);
			if (!dep) {
				ok = false;
				break;
			}
			if (!strcmp(r->op, "~=")) {
				/* >= part required, the rest forbidden */
				queue_push(req, rel_dep(pool, name, r, false));
				required = true;
			} else if (dep != -1) {
				queue_push(con, dep);
			}
		}
	}
	if (ok && cs.build) {
		Id b = build_provide(pool, cs.name, cs.build);

		if (!b)
			ok = false;
		else
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
	evr = enc_id(pool, version);
	return evr ? pool_rel2id(pool, n, evr, rel, 1) : n;
}

const char *conda_solvable_version(Pool *pool, Id p)
{
	Solvable *s = pool->solvables + p;
	const char *v = solvable_lookup_str(s, custom_key(pool));

	return v ? v : pool_id2str(pool, s->evr);
}

/* --- repodata.json, streamed --- */

enum field {
	F_NONE, F_NAME, F_VERSION, F_BUILD, F_BUILD_NUMBER, F_DEPENDS, F_CONSTRAINS,
	F_TRACK_FEATURES, F_SIZE,
};

enum section { S_NONE, S_PACKAGES, S_CONDA };

#define MAX_DEPTH 64
#define MAX_STRING (1 << 20)
#define MAX_FIELD 256

/* Strings one after another, each NUL-terminated. */
struct strlist {
	char *buf;
	size_t len, cap, n;
	bool oom;
};

static void strlist_push(struct strlist *l, const unsigned char *s, size_t len)
{
	if (l->len + len + 1 > l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 1024;
		char *b;

		while (cap < l->len + len + 1)
			cap *= 2;
		if (!(b = realloc(l->buf, cap))) {
			l->oom = true;
			return;
		}
		l->buf = b;
		l->cap = cap;
	}
	memcpy(l->buf + l->len, s, len);
	l->buf[l->len + len] = '\0';
	l->len += len + 1;
	l->n++;
}

struct record {
	char name[MAX_FIELD], version[MAX_FIELD], build[MAX_FIELD], features[MAX_FIELD];
	bool has_name, has_version, too_long;
	unsigned long long build_number, size;
	struct strlist depends, constrains;
};

/* Per-string caches of what a spec or version became, indexed by the
 * string's pool id: conda-forge repeats the same specs thousands of times. */
struct idcache {
	Id *v;
	size_t n;
};

static Id *idcache_slot(struct idcache *c, Id key)
{
	if ((size_t)key >= c->n) {
		size_t n = c->n ? c->n : 4096;
		Id *v;

		while (n <= (size_t)key)
			n *= 2;
		if (!(v = realloc(c->v, n * sizeof *v)))
			return NULL;
		memset(v + c->n, 0, (n - c->n) * sizeof *v);
		c->v = v;
		c->n = n;
	}
	return &c->v[key];
}

/* Seen package file stems (without .conda / .tar.bz2), to drop a record
 * listed in both formats: open addressing on a 64-bit hash. */
struct stems {
	uint64_t *keys;
	Id *vals;
	size_t cap, n;
};

static uint64_t hash64(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h ? h : 1;
}

/* The slot of KEY (0 in keys[] when free); grows at half full. */
static size_t stems_slot(struct stems *t, uint64_t key, bool *oom)
{
	size_t i;

	if (2 * (t->n + 1) > t->cap) {
		struct stems g = { .cap = t->cap ? 2 * t->cap : 1 << 14 };

		g.keys = calloc(g.cap, sizeof *g.keys);
		g.vals = calloc(g.cap, sizeof *g.vals);
		if (!g.keys || !g.vals) {
			free(g.keys);
			free(g.vals);
			*oom = true;
			return 0;
		}
		for (size_t j = 0; j < t->cap; j++) {
			if (!t->keys[j])
				continue;
			for (i = t->keys[j] & (g.cap - 1); g.keys[i]; i = (i + 1) & (g.cap - 1))
				;
			g.keys[i] = t->keys[j];
			g.vals[i] = t->vals[j];
		}
		g.n = t->n;
		free(t->keys);
		free(t->vals);
		*t = g;
	}
	for (i = key & (t->cap - 1); t->keys[i] && t->keys[i] != key; i = (i + 1) & (t->cap - 1))
		;
	return i;
}

struct jparse {
	Pool *pool;
	Repo *repo;
	Repodata *data;
	bool single;       /* a conda-meta file: the top object is the record */
	int depth;
	int rec_depth;     /* depth of a record's object */
	enum section section, pending;
	bool in_rec;
	enum field field, array;
	struct record r;
	char fname[MAX_FIELD];
	size_t fname_len;
	bool fname_too_long;
	struct idcache deps, cons, vers;
	struct stems stems;
	struct depslice *slices;
	size_t nslices, capslices;
	Queue flat, q, qc;
	size_t skipped;
	bool oom;
	char err[256];     /* our own reason to stop, when set */
	Id key_version;
};

static int cb_fail(struct jparse *j, const char *msg)
{
	snprintf(j->err, sizeof j->err, "%s", msg);
	return 0;
}

static void copy_field(struct record *r, char *dst, const unsigned char *s, size_t len)
{
	if (len >= MAX_FIELD) {
		r->too_long = true;
		len = 0;
	}
	memcpy(dst, s, len);
	dst[len] = '\0';
}

/* What one depends string became: a slice of struct jparse's flat list. */
struct depslice {
	unsigned off, nreq, ncon;
	bool bad;
};

/* The requires and conflicts of depends string SPEC, appended to REQ and
 * CON, from the cache when the string was seen before; false when SPEC is
 * malformed. */
static bool cached_deps(struct jparse *j, const char *spec, Queue *req, Queue *con)
{
	Id key = pool_str2id(j->pool, spec, 1);
	Id *slot = idcache_slot(&j->deps, key);
	struct depslice *ds;

	if (!slot) {
		j->oom = true;
		return false;
	}
	if (!*slot) {
		Queue r, c;
		struct depslice *g;
		bool ok;

		if ((size_t)j->nslices == j->capslices) {
			size_t cap = j->capslices ? 2 * j->capslices : 4096;

			if (!(g = realloc(j->slices, cap * sizeof *g))) {
				j->oom = true;
				return false;
			}
			j->slices = g;
			j->capslices = cap;
		}
		queue_init(&r);
		queue_init(&c);
		ok = conda_spec_deps(j->pool, spec, &r, &c);
		ds = &j->slices[j->nslices];
		*ds = (struct depslice){ .off = (unsigned)j->flat.count, .nreq = (unsigned)r.count,
					 .ncon = (unsigned)c.count, .bad = !ok };
		queue_insertn(&j->flat, j->flat.count, r.count, r.elements);
		queue_insertn(&j->flat, j->flat.count, c.count, c.elements);
		queue_free(&r);
		queue_free(&c);
		*slot = (Id)++j->nslices;
	}
	ds = &j->slices[*slot - 1];
	if (ds->bad)
		return false;
	for (unsigned i = 0; i < ds->nreq; i++)
		queue_push(req, j->flat.elements[ds->off + i]);
	for (unsigned i = 0; i < ds->ncon; i++)
		queue_push(con, j->flat.elements[ds->off + ds->nreq + i]);
	return true;
}

/* The conflicts of constrains string SPEC (see conda_constrain_from_spec),
 * cached; false when SPEC is malformed. */
static bool cached_constrain(struct jparse *j, const char *spec, Queue *con)
{
	Id key = pool_str2id(j->pool, spec, 1);
	Id *slot = idcache_slot(&j->cons, key);

	if (!slot) {
		j->oom = true;
		return false;
	}
	if (!*slot) {
		struct ed_parse_err e = { 0 };
		Id dep = conda_constrain_from_spec(j->pool, spec, &e);

		/* relation ids are negative: these two are values no pool reaches */
		*slot = dep ? dep : e.msg[0] ? (Id)-2 : (Id)-1;
	}
	if (*slot == (Id)-2)
		return false;
	if (*slot != (Id)-1)
		queue_push(con, *slot);
	return true;
}

static Id record_evr(struct jparse *j)
{
	Id vid = pool_str2id(j->pool, j->r.version, 1);
	Id *slot = idcache_slot(&j->vers, vid);
	char buf[CONDAVER_ENC_MAX + 32];

	if (!slot) {
		j->oom = true;
		return 0;
	}
	if (!*slot) {
		Id enc = enc_id(j->pool, j->r.version);

		*slot = enc ? enc : (Id)-2;
	}
	if (*slot == (Id)-2)
		return 0;
	/* the build number as release; a build with track_features ranks
	 * below the plain builds of its version ('~' sorts first) */
	snprintf(buf, sizeof buf, "%s-%s%llu", pool_id2str(j->pool, *slot),
		 j->r.features[0] ? "~" : "", j->r.build_number);
	return pool_str2id(j->pool, buf, 1);
}

static void record_finish(struct jparse *j)
{
	struct record *r = &j->r;
	Pool *pool = j->pool;
	Repo *repo = j->repo;
	bool bad = false, is_conda = j->section == S_CONDA && !j->single;
	size_t stem_len = j->fname_len, slot = 0;
	uint64_t stem_key = 0;
	Solvable *s;
	Id p, evr;
	char bn[32];

	if (!r->has_name || !r->has_version || r->too_long || j->fname_too_long) {
		j->skipped++;
		return;
	}
	if (!j->single) {
		/* the same package in both formats: keep one, with the .conda size */
		if (stem_len > 6 && !memcmp(j->fname + stem_len - 6, ".conda", 6))
			stem_len -= 6;
		else if (stem_len > 8 && !memcmp(j->fname + stem_len - 8, ".tar.bz2", 8))
			stem_len -= 8;
		stem_key = hash64(j->fname, stem_len);
		slot = stems_slot(&j->stems, stem_key, &j->oom);
		if (j->oom)
			return;
		if (j->stems.keys[slot]) {
			if (is_conda)
				repodata_set_num(j->data, j->stems.vals[slot], SOLVABLE_DOWNLOADSIZE,
						 r->size);
			return;
		}
	}
	evr = record_evr(j);
	if (!evr) {
		j->skipped++;
		return;
	}
	queue_empty(&j->q);
	queue_empty(&j->qc);
	for (const char *d = r->depends.buf; !bad && d && d < r->depends.buf + r->depends.len;
	     d += strlen(d) + 1)
		bad = !cached_deps(j, d, &j->q, &j->qc);
	for (const char *d = r->constrains.buf;
	     !bad && d && d < r->constrains.buf + r->constrains.len; d += strlen(d) + 1)
		bad = !cached_constrain(j, d, &j->qc);
	if (bad || j->oom) {
		/* conda would refuse the package too */
		j->skipped += !j->oom;
		return;
	}
	p = repo_add_solvable(repo);
	s = pool->solvables + p;
	s->name = pool_str2id(pool, r->name, 1);
	s->evr = evr;
	s->arch = ARCH_NOARCH;
	s->provides = repo_addid_dep(repo, s->provides,
				     pool_rel2id(pool, s->name, s->evr, REL_EQ, 1), 0);
	for (int i = 0; i < j->q.count; i++)
		s->requires = repo_addid_dep(repo, s->requires, j->q.elements[i], 0);
	for (int i = 0; i < j->qc.count; i++)
		s->conflicts = repo_addid_dep(repo, s->conflicts, j->qc.elements[i], 0);
	repodata_set_id(j->data, p, j->key_version, pool_str2id(pool, r->version, 1));
	repodata_set_poolstr(j->data, p, SOLVABLE_BUILDFLAVOR, r->build);
	snprintf(bn, sizeof bn, "%llu", r->build_number);
	repodata_set_poolstr(j->data, p, SOLVABLE_BUILDVERSION, bn);
	if (r->size)
		repodata_set_num(j->data, p, SOLVABLE_DOWNLOADSIZE, r->size);
	if (r->features[0])
		repodata_set_poolstr(j->data, p, SOLVABLE_TRACK_FEATURES, r->features);
	if (!j->single) {
		j->stems.keys[slot] = stem_key;
		j->stems.vals[slot] = p;
		j->stems.n++;
	}
}

static void record_reset(struct record *r)
{
	struct strlist dep = r->depends, con = r->constrains;

	dep.len = dep.n = con.len = con.n = 0;
	memset(r, 0, offsetof(struct record, depends));
	r->depends = dep;
	r->constrains = con;
}

static int cb_null(void *ctx)
{
	(void)ctx;
	return 1;
}

static int cb_bool(void *ctx, int b)
{
	(void)ctx;
	(void)b;
	return 1;
}

static bool parse_ull(const char *s, size_t len, unsigned long long *out)
{
	unsigned long long v = 0;

	if (!len || len > 19)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	*out = v;
	return true;
}

static int cb_number(void *ctx, const char *s, size_t len)
{
	struct jparse *j = ctx;

	if (!j->in_rec || j->depth != j->rec_depth)
		return 1;
	/* a malformed number leaves the field at 0, as a missing one */
	if (j->field == F_BUILD_NUMBER)
		parse_ull(s, len, &j->r.build_number);
	else if (j->field == F_SIZE)
		parse_ull(s, len, &j->r.size);
	return 1;
}

static int cb_string(void *ctx, const unsigned char *s, size_t len)
{
	struct jparse *j = ctx;
	struct record *r = &j->r;

	if (len > MAX_STRING)
		return cb_fail(j, "string longer than 1 MiB");
	if (j->depth == 0)
		return cb_fail(j, "expected a JSON object");
	if (!j->in_rec)
		return 1;
	if (j->depth == j->rec_depth) {
		switch (j->field) {
		case F_NAME:
			copy_field(r, r->name, s, len);
			r->has_name = true;
			break;
		case F_VERSION:
			copy_field(r, r->version, s, len);
			r->has_version = true;
			break;
		case F_BUILD:
			copy_field(r, r->build, s, len);
			break;
		case F_TRACK_FEATURES:
			copy_field(r, r->features, s, len);
			/* "" and whitespace mean none */
			if (strspn(r->features, " ,") == strlen(r->features))
				r->features[0] = '\0';
			break;
		default:
			break;
		}
	} else if (j->depth == j->rec_depth + 1 && j->array != F_NONE) {
		strlist_push(j->array == F_DEPENDS ? &r->depends : &r->constrains, s, len);
	}
	return 1;
}

static int cb_start_map(void *ctx)
{
	struct jparse *j = ctx;

	if (++j->depth > MAX_DEPTH)
		return cb_fail(j, "nested deeper than 64 levels");
	if (j->depth == 2 && !j->single)
		j->section = j->pending;
	if ((j->single && j->depth == 1) ||
	    (!j->single && j->depth == 3 && j->section != S_NONE)) {
		j->in_rec = true;
		j->rec_depth = j->depth;
		j->field = F_NONE;
		record_reset(&j->r);
	}
	return 1;
}

static int cb_key(void *ctx, const unsigned char *s, size_t len)
{
	static const struct {
		const char *key;
		enum field f;
	} fields[] = {
		{ "name", F_NAME },
		{ "version", F_VERSION },
		{ "build", F_BUILD },
		{ "build_number", F_BUILD_NUMBER },
		{ "depends", F_DEPENDS },
		{ "constrains", F_CONSTRAINS },
		{ "track_features", F_TRACK_FEATURES },
		{ "size", F_SIZE },
	};
	struct jparse *j = ctx;

	if (len > MAX_STRING)
		return cb_fail(j, "key longer than 1 MiB");
	if (!j->single && j->depth == 1) {
		j->pending = len == 8 && !memcmp(s, "packages", 8)	  ? S_PACKAGES
			     : len == 14 && !memcmp(s, "packages.conda", 14) ? S_CONDA
									       : S_NONE;
		j->section = S_NONE;
	} else if (!j->single && j->depth == 2 && j->section != S_NONE) {
		j->fname_too_long = len >= sizeof j->fname;
		j->fname_len = j->fname_too_long ? 0 : len;
		memcpy(j->fname, s, j->fname_len);
	} else if (j->in_rec && j->depth == j->rec_depth) {
		j->field = F_NONE;
		for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
			if (strlen(fields[i].key) == len && !memcmp(fields[i].key, s, len))
				j->field = fields[i].f;
	}
	return 1;
}

static int cb_end_map(void *ctx)
{
	struct jparse *j = ctx;

	if (j->in_rec && j->depth == j->rec_depth) {
		j->in_rec = false;
		if (j->r.depends.oom || j->r.constrains.oom)
			j->oom = true;
		else
			record_finish(j);
		if (j->oom)
			return cb_fail(j, "out of memory");
	}
	if (!j->single && j->depth == 2)
		j->section = S_NONE;
	j->depth--;
	return 1;
}

static int cb_start_array(void *ctx)
{
	struct jparse *j = ctx;

	if (j->depth == 0)
		return cb_fail(j, "expected a JSON object");
	if (++j->depth > MAX_DEPTH)
		return cb_fail(j, "nested deeper than 64 levels");
	if (j->in_rec && j->depth == j->rec_depth + 1 &&
	    (j->field == F_DEPENDS || j->field == F_CONSTRAINS))
		j->array = j->field;
	return 1;
}

static int cb_end_array(void *ctx)
{
	struct jparse *j = ctx;

	if (j->in_rec && j->depth == j->rec_depth + 1)
		j->array = F_NONE;
	j->depth--;
	return 1;
}

static const yajl_callbacks callbacks = {
	.yajl_null = cb_null,
	.yajl_boolean = cb_bool,
	.yajl_number = cb_number,
	.yajl_string = cb_string,
	.yajl_start_map = cb_start_map,
	.yajl_map_key = cb_key,
	.yajl_end_map = cb_end_map,
	.yajl_start_array = cb_start_array,
	.yajl_end_array = cb_end_array,
};

static void jparse_fini(struct jparse *j)
{
	free(j->r.depends.buf);
	free(j->r.constrains.buf);
	free(j->deps.v);
	free(j->cons.v);
	free(j->slices);
	queue_free(&j->flat);
	queue_free(&j->qc);
	free(j->vers.v);
	free(j->stems.keys);
	free(j->stems.vals);
	queue_free(&j->q);
}

/* Advance LINE:COL over [P, P + N). */
static void advance(const unsigned char *p, size_t n, int *line, int *col)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if ((p[i] & 0xc0) != 0x80) {
			(*col)++;
		}
	}
}

/* Feed the JSON stream F (named PATH) to J. 0, or ED_EXIT_ENV with D. */
static int parse_stream(struct jparse *j, FILE *f, const char *path, uint64_t max_bytes,
			struct ed_diag *d)
{
	unsigned char *buf = malloc(1 << 16);
	yajl_handle h = buf ? yajl_alloc(&callbacks, NULL, j) : NULL;
	uint64_t total = 0;
	int line = 1, col = 1, rc = 0;
	size_t n = 0;
	yajl_status st = yajl_status_ok;

	if (!h) {
		free(buf);
		return oom(d);
	}
	while ((n = fread(buf, 1, 1 << 16, f)) > 0) {
		total += n;
		if (total > max_bytes) {
			rc = ed_diag_set(d, ED_EXIT_ENV, path, 0, 0,
					 "repository metadata larger than %llu bytes",
					 (unsigned long long)max_bytes);
			goto out;
		}
		st = yajl_parse(h, buf, n);
		if (st != yajl_status_ok)
			break;
		advance(buf, n, &line, &col);
	}
	if (st == yajl_status_ok && ferror(f)) {
		rc = ed_diag_set(d, ED_EXIT_ENV, path, 0, 0,
				 "cannot read: corrupt or truncated compressed data");
		goto out;
	}
	if (st == yajl_status_ok) {
		n = 0;
		st = yajl_complete_parse(h);
	}
	if (st != yajl_status_ok) {
		char msg[256];

		advance(buf, n ? yajl_get_bytes_consumed(h) : 0, &line, &col);
		if (j->err[0]) {
			snprintf(msg, sizeof msg, "%s", j->err);
		} else {
			unsigned char *e = yajl_get_error(h, 0, NULL, 0);
			char *m = (char *)e;
			size_t len;

			if (m && !strncmp(m, "parse error: ", 13))
				m += 13;
			snprintf(msg, sizeof msg, "%s", m ? m : "invalid JSON");
			len = strlen(msg);
			while (len && isspace((unsigned char)msg[len - 1]))
				msg[--len] = '\0';
			yajl_free_error(h, e);
		}
		rc = ed_diag_set(d, ED_EXIT_ENV, path, line, col, "invalid repository metadata: %s",
				 msg);
	}
out:
	yajl_free(h);
	free(buf);
	return rc;
}

/* Parse PATH into REPO: a repodata.json, or (SINGLE) one conda-meta record. */
static int load_json(Repo *repo, const char *path, bool single, uint64_t max_bytes,
		     size_t *skipped, struct ed_diag *d)
{
	struct jparse j = { .pool = repo->pool, .repo = repo, .single = single };
	FILE *f = solvext_xfopen(path, "r");
	int rc;

	if (!f)
		return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "cannot read '%s': %s", path,
				   solvext_strerror(errno));
	queue_init(&j.q);
	queue_init(&j.qc);
	queue_init(&j.flat);
	j.key_version = custom_key(repo->pool);
	j.data = repo_last_repodata(repo);
	rc = parse_stream(&j, f, path, max_bytes ? max_bytes : CONDA_REPODATA_MAX, d);
	fclose(f);
	if (skipped)
		*skipped += j.skipped;
	jparse_fini(&j);
	return rc;
}

Repo *conda_load_repodata(Pool *pool, const char *path, const char *name, uint64_t max_bytes,
			  size_t *skipped, struct ed_diag *d)
{
	Repo *repo = repo_create(pool, name);

	if (skipped)
		*skipped = 0;
	repo_add_repodata(repo, 0);
	if (load_json(repo, path, false, max_bytes, skipped, d)) {
		repo_free(repo, 1);
		return NULL;
	}
	return repo;
}

/* --- build-string provides --- */

struct buildmatch {
	Id name, provide;
	const char *glob; /* in the pool's string space */
};

static int cmp_match(const void *a, const void *b)
{
	const struct buildmatch *x = a, *y = b;

	return x->name < y->name ? -1 : x->name > y->name;
}

static void add_build_provides(Pool *pool, Repo **repos, size_t n)
{
	struct buildmatch *m = NULL;
	size_t nm = 0, cap = 0;

	/* every "NAME[build=GLOB]" string some dependency created */
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
		if (nm == cap) {
			struct buildmatch *g = realloc(m, (cap = cap ? 2 * cap : 64) * sizeof *m);

			if (!g)
				break;
			m = g;
		}
		m[nm++] = (struct buildmatch){ .name = name, .provide = id, .glob = b + 7 };
	}
	if (nm)
		qsort(m, nm, sizeof *m, cmp_match);
	for (size_t r = 0; nm && r < n; r++) {
		Repo *repo = repos[r];
		Solvable *s;
		Id p;

		FOR_REPO_SOLVABLES(repo, p, s)
		{
			struct buildmatch key = { .name = s->name }, *hit;
			const char *build;

			hit = bsearch(&key, m, nm, sizeof *m, cmp_match);
			if (!hit)
				continue;
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
	}
	free(m);
}

void conda_finish_repos(Pool *pool, Repo **repos, size_t n)
{
	/* attributes are read below (build strings): internalize first */
	for (size_t i = 0; i < n; i++)
		repo_internalize(repos[i]);
	add_build_provides(pool, repos, n);
}

/* --- installed packages and virtual packages --- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int conda_load_prefix(Repo *repo, const char *prefix, struct ed_diag *d)
{
	char dir[PATH_BUF], path[PATH_BUF];
	char **names = NULL;
	size_t nnames = 0;
	struct dirent *e;
	DIR *dp;
	int rc = 0;

	if (snprintf(dir, sizeof dir, "%s/conda-meta", prefix) >= (int)sizeof dir)
		return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "prefix path too long: '%s'", prefix);
	if (!(dp = opendir(dir)))
		return 0;
	while ((e = readdir(dp))) {
		size_t len = strlen(e->d_name);

		if (len > 5 && e->d_name[0] != '.' && !strcmp(e->d_name + len - 5, ".json") &&
		    !util_strv_push(&names, &nnames, e->d_name)) {
			closedir(dp);
			util_strv_free(names, nnames);
			return oom(d);
		}
	}
	closedir(dp);
	if (nnames)
		qsort(names, nnames, sizeof *names, cmp_str);
	if (!repo_last_repodata(repo))
		repo_add_repodata(repo, 0);
	for (size_t i = 0; i < nnames && !rc; i++) {
		if (snprintf(path, sizeof path, "%s/%s", dir, names[i]) >= (int)sizeof path)
			continue;
		/* conda-meta records are small; 64 MiB is already absurd */
		rc = load_json(repo, path, true, (uint64_t)64 << 20, NULL, d);
	}
	util_strv_free(names, nnames);
	return rc;
}

static void add_virtual(Repo *repo, const char *name, const char *version, const char *build)
{
	Pool *pool = repo->pool;
	Repodata *data = repo_last_repodata(repo);
	Id enc = enc_id(pool, version), p;
	Solvable *s;
	char evr[CONDAVER_ENC_MAX + 8];

	if (!enc)
		return;
	if (!data)
		data = repo_add_repodata(repo, 0);
	snprintf(evr, sizeof evr, "%s-0", pool_id2str(pool, enc));
	p = repo_add_solvable(repo);
	s = pool->solvables + p;
	s->name = pool_str2id(pool, name, 1);
	s->evr = pool_str2id(pool, evr, 1);
	s->arch = ARCH_NOARCH;
	s->provides = repo_addid_dep(repo, s->provides,
				     pool_rel2id(pool, s->name, s->evr, REL_EQ, 1), 0);
	repodata_set_poolstr(data, p, custom_key(pool), version);
	repodata_set_poolstr(data, p, SOLVABLE_BUILDFLAVOR, build);
	repodata_set_poolstr(data, p, SOLVABLE_BUILDVERSION, "0");
}

/* The numeric start of a kernel release ("6.1.0-18-amd64" -> "6.1.0"). */
static void kernel_version(const char *release, char *out, size_t size)
{
	size_t n = 0;

	while (release[n] && (isdigit((unsigned char)release[n]) || release[n] == '.'))
		n++;
	while (n && release[n - 1] == '.')
		n--;
	snprintf(out, size, "%.*s", (int)n, n ? release : "0");
}

/* conda's override: set and empty removes the package; unset: HOST_VALUE. */
static void add_overridable(Repo *repo, const char *name, const char *env,
			    const char *host_value, const char *build, size_t *count)
{
	const char *v = getenv(env);

	if (v)
		host_value = *v ? v : NULL;
	if (host_value && condaver_valid(host_value)) {
		add_virtual(repo, name, host_value, build);
		(*count)++;
	}
}

size_t conda_add_virtual(Repo *repo, const char *subdir)
{
	const char *host = conda_host_subdir();
	bool is_host = host && subdir && !strcmp(host, subdir);
	bool linux_ = subdir && !strncmp(subdir, "linux-", 6);
	bool osx = subdir && !strncmp(subdir, "osx-", 4);
	bool win = subdir && !strncmp(subdir, "win-", 4);
	char kernel[64] = "", glibc[64] = "";
	struct cuda_driver drv;
	struct utsname u;
	size_t count = 0;
	bool have_uname = uname(&u) == 0;

	if (linux_ || osx) {
		add_virtual(repo, "__unix", "0", "0");
		count++;
	}
	if (win) {
		add_virtual(repo, "__win", "0", "0");
		count++;
	}
	if (linux_) {
		if (is_host && have_uname)
			kernel_version(u.release, kernel, sizeof kernel);
		add_overridable(repo, "__linux", "CONDA_OVERRIDE_LINUX", *kernel ? kernel : NULL,
				"0", &count);
		if (is_host)
			snprintf(glibc, sizeof glibc, "%s", gnu_get_libc_version());
		add_overridable(repo, "__glibc", "CONDA_OVERRIDE_GLIBC", *glibc ? glibc : NULL, "0",
				&count);
	}
	if (osx)
		add_overridable(repo, "__osx", "CONDA_OVERRIDE_OSX", NULL, "0", &count);
	/* the driver decides which CUDA builds can run; detected only for
	 * this machine, and only when no override says it already */
	memset(&drv, 0, sizeof drv);
	if (is_host && !getenv("CONDA_OVERRIDE_CUDA"))
		cuda_driver_detect(&drv);
	add_overridable(repo, "__cuda", "CONDA_OVERRIDE_CUDA", drv.present ? drv.version_str : NULL,
			"0", &count);
	if (is_host && have_uname) {
		const char *arch = getenv("CONDA_OVERRIDE_ARCHSPEC");

		if (!arch || *arch) {
			add_virtual(repo, "__archspec", "1", arch ? arch : u.machine);
			count++;
		}
	}
	return count;
}

/* --- channels --- */

struct channel {
	char *name;  /* as given: "conda-forge", a URL or a directory */
	char *url;   /* where update downloads from; NULL for a directory */
	char *dir;   /* where the subdirs' metadata lie: the directory, or the cache */
};

static void channels_free(struct channel *c, size_t n)
{
	for (size_t i = 0; c && i < n; i++) {
		free(c[i].name);
		free(c[i].url);
		free(c[i].dir);
	}
	free(c);
}

static void hex16(const char *s, char out[17])
{
	uint64_t h = hash64(s, strlen(s));

	snprintf(out, 17, "%016llx", (unsigned long long)h);
}

static bool valid_channel_name(const char *s)
{
	if (!*s || strlen(s) > 200 || *s == '-' || *s == '.')
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("-_./", *s))
			return false;
	return true;
}

static const char *cache_base(const struct eco_opts *o, char *buf, size_t size)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	int n;

	if (o && o->cache_dir && *o->cache_dir)
		n = snprintf(buf, size, "%s/conda", o->cache_dir);
	else if (xdg && xdg[0] == '/')
		n = snprintf(buf, size, "%s/extdeps/conda", xdg);
	else if (home && home[0] == '/')
		n = snprintf(buf, size, "%s/.cache/extdeps/conda", home);
	else
		return NULL;
	return n > 0 && (size_t)n < size ? buf : NULL;
}

/* The channels O asks for (--channel, else conda-forge), resolved. */
static int channels_resolve(const struct eco_opts *o, struct channel **out, size_t *nout,
			    struct ed_diag *d)
{
	static const char *const fallback[] = { DEFAULT_CHANNEL };
	const char *const *names = o && o->nchannels ? o->channels : fallback;
	size_t n = o && o->nchannels ? o->nchannels : 1;
	struct channel *c = calloc(n, sizeof *c);
	char base[PATH_BUF];
	const char *alias = o && o->mirror && *o->mirror ? o->mirror : CHANNEL_ALIAS;

	if (!c)
		return oom(d);
	for (size_t i = 0; i < n; i++) {
		const char *nm = names[i];
		char h[17];
		size_t len;
		int r;

		if (!nm || !*nm) {
			channels_free(c, n);
			return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0, "empty channel name");
		}
		c[i].name = util_strdup(nm);
		if (!strncmp(nm, "file://", 7) || nm[0] == '/') {
			c[i].dir = util_strdup(nm[0] == '/' ? nm : nm + 7);
		} else {
			if (!strncmp(nm, "https://", 8) || !strncmp(nm, "http://", 7)) {
				c[i].url = util_strdup(nm);
			} else if (valid_channel_name(nm)) {
				if (strncmp(alias, "https://", 8) && strncmp(alias, "http://", 7)) {
					channels_free(c, n);
					return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0,
							   "'%s' is not an http(s) URL", alias);
				}
				r = asprintf(&c[i].url, "%s/%s", alias, nm);
				if (r < 0)
					c[i].url = NULL;
			} else {
				channels_free(c, n);
				return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0,
						   "'%s' is not a channel name, URL or directory", nm);
			}
			if (!c[i].url || !cache_base(o, base, sizeof base)) {
				channels_free(c, n);
				return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0,
						   "no cache directory: set XDG_CACHE_HOME or HOME");
			}
			len = strlen(c[i].url);
			while (len > 1 && c[i].url[len - 1] == '/')
				c[i].url[--len] = '\0';
			hex16(c[i].url, h);
			r = asprintf(&c[i].dir, "%s/%s", base, h);
			if (r < 0)
				c[i].dir = NULL;
		}
		if (!c[i].name || !c[i].dir) {
			channels_free(c, n);
			return oom(d);
		}
	}
	*out = c;
	*nout = n;
	return 0;
}

/* DIR/SUBDIR/repodata.json, else .json.zst, into OUT; false when neither. */
static bool find_repodata(const char *dir, const char *subdir, char *out, size_t size)
{
	static const char *const names[] = { "repodata.json", "repodata.json.zst" };
	struct stat st;

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		int n = snprintf(out, size, "%s/%s/%s", dir, subdir, names[i]);

		if (n > 0 && (size_t)n < size && stat(out, &st) == 0 && S_ISREG(st.st_mode))
			return true;
	}
	return false;
}

/* --- the backend --- */

static int conda_pool_setup(Pool *pool, const struct eco_opts *o, struct ed_diag *d)
{
	const char *subdir = target_subdir(o);

	if (!subdir)
		return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0,
				   "unknown machine for conda; use --platform");
	if (!valid_subdir(subdir) || !strcmp(subdir, "noarch"))
		return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0,
				   "'%s' is not a conda platform (linux-64, linux-aarch64, osx-64, "
				   "osx-arm64, win-64, ...)",
				   subdir);
	/* versions are encoded for rpm's comparison (condaver.h) */
	if (pool_setdisttype(pool, DISTTYPE_RPM) < 0)
		return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0,
				   "this libsolv cannot compare rpm versions");
	/* every package is noarch: the subdir was chosen when loading */
	pool_setarch(pool, "noarch");
	return 0;
}

static Repo *system_repo(Pool *pool, const struct eco_opts *o)
{
	Repo *repo;

	if (pool->installed)
		return pool->installed;
	repo = repo_create(pool, "@System");
	repo_add_repodata(repo, 0);
	conda_add_virtual(repo, target_subdir(o));
	repo_internalize(repo);
	pool_set_installed(pool, repo);
	return repo;
}

static int conda_update(const struct eco_opts *o, struct eco_update_stats *st,
			struct ed_diag *d);

static int conda_load_available(Pool *pool, const struct eco_opts *o, struct eco_load_stats *st,
				struct ed_diag *d)
{
	const char *subdir = target_subdir(o);
	const char *subdirs[2] = { subdir, "noarch" };
	struct eco_load_stats local;
	struct channel *ch = NULL;
	size_t nch = 0, nfiles = 0, nrepos = 0;
	char **paths = NULL;
	char (*labels)[256] = NULL;
	int *prio = NULL;
	Repo **repos = NULL;
	struct repocache *cache = NULL;
	unsigned char cookie[REPOCACHE_COOKIE_LEN];
	bool cookie_ok = false, updated = false;
	int rc;

	if (!st)
		st = &local;
	memset(st, 0, sizeof *st);
	if (!subdir)
		return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0,
				   "unknown machine for conda; use --platform");
	rc = channels_resolve(o, &ch, &nch, d);
	if (rc)
		return rc;
	paths = calloc(2 * nch, sizeof *paths);
	labels = calloc(2 * nch, sizeof *labels);
	prio = calloc(2 * nch, sizeof *prio);
	repos = calloc(2 * nch, sizeof *repos);
	if (!paths || !labels || !prio || !repos) {
		rc = oom(d);
		goto out;
	}
	for (size_t i = 0; i < nch; i++) {
		for (int k = 0; k < 2; k++) {
			char path[PATH_BUF];

			if (!find_repodata(ch[i].dir, subdirs[k], path, sizeof path) && ch[i].url &&
			    !updated && !(o && o->offline)) {
				/* not downloaded yet: do it now, once, for all channels */
				updated = true;
				rc = conda_update(o, NULL, d);
				if (rc)
					goto out;
			}
			if (!find_repodata(ch[i].dir, subdirs[k], path, sizeof path)) {
				if (k == 1) {
					st->missing++;
					continue;
				}
				rc = ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0,
						 "no repository metadata for channel '%s' (%s) in '%s'%s",
						 ch[i].name, subdir, ch[i].dir,
						 ch[i].url ? "; run 'extdeps update'" : "");
				goto out;
			}
			if (!(paths[nfiles] = util_strdup(path))) {
				rc = oom(d);
				goto out;
			}
			snprintf(labels[nfiles], sizeof labels[nfiles], "%s/%s", ch[i].name,
				 subdirs[k]);
			/* the first channel wins (conda's strict channel priority) */
			prio[nfiles] = (int)(nch - i);
			nfiles++;
		}
	}
	if (!(o && o->no_cache))
		cache = repocache_new(o ? o->cache_dir : NULL, "conda");
	/* one cookie over every file: a build match in one subdir can give
	 * provides to packages of another */
	if (cache)
		cookie_ok = repocache_cookie_files((const char *const *)paths, nfiles, cookie);
	if (cookie_ok) {
		for (; nrepos < nfiles; nrepos++) {
			char key[256], base[200];

			repocache_key_for_path(paths[nrepos], base, sizeof base);
			snprintf(key, sizeof key, "%s-%s", CACHE_LAYOUT, base);
			repos[nrepos] = repocache_load(cache, pool, labels[nrepos], key, cookie);
			if (!repos[nrepos])
				break;
		}
		if (nrepos == nfiles) {
			st->cache_hits = nfiles;
			goto done;
		}
		/* all or nothing */
		while (nrepos > 0)
			repo_free(repos[--nrepos], 1);
	}
	for (; nrepos < nfiles; nrepos++) {
		size_t skipped = 0;

		repos[nrepos] = conda_load_repodata(pool, paths[nrepos], labels[nrepos], 0, &skipped, d);
		if (!repos[nrepos]) {
			rc = d ? d->status : ED_EXIT_ENV;
			goto out;
		}
	}
	conda_finish_repos(pool, repos, nrepos);
	for (size_t i = 0; cookie_ok && i < nrepos; i++) {
		char key[256], base[200];

		repocache_key_for_path(paths[i], base, sizeof base);
		snprintf(key, sizeof key, "%s-%s", CACHE_LAYOUT, base);
		if (repocache_store(cache, repos[i], key, cookie))
			st->cache_writes++;
	}
done:
	for (size_t i = 0; i < nrepos; i++) {
		repos[i]->priority = prio[i];
		st->solvables += (size_t)repos[i]->nsolvables;
	}
	st->repos = nrepos;
	/* conda's virtual packages are installed: __glibc, __cuda ... */
	{
		Repo *sys = pool->installed;

		if (!sys)
			sys = system_repo(pool, o);
		else
			add_build_provides(pool, &sys, 1);
	}
out:
	repocache_free(cache);
	for (size_t i = 0; paths && i < 2 * nch; i++)
		free(paths[i]);
	free(paths);
	free(labels);
	free(prio);
	free(repos);
	channels_free(ch, nch);
	return rc;
}

static int conda_load_installed(Pool *pool, const struct eco_opts *o, Repo **out,
				struct ed_diag *d)
{
	const char *prefix = getenv("CONDA_PREFIX");
	const char *root = eco_root(o);
	Repo *repo = system_repo(pool, o);
	int rc = 0;

	if (out)
		*out = NULL;
	if (prefix && *prefix) {
		char path[PATH_BUF];
		size_t rl = strlen(root);

		while (rl > 0 && root[rl - 1] == '/')
			rl--;
		if (snprintf(path, sizeof path, "%.*s%s", (int)rl, root, prefix) >= (int)sizeof path)
			return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "prefix path too long");
		rc = conda_load_prefix(repo, path, d);
		if (rc)
			return rc;
		repo_internalize(repo);
		add_build_provides(pool, &repo, 1);
	}
	if (out)
		*out = repo;
	return 0;
}

/* What may reach an installer's argv: a match spec in conda's characters,
 * not starting like an option. */
static bool valid_install_spec(const char *spec)
{
	struct condaspec cs;
	size_t len = strlen(spec);

	if (!len || len > 256 || !(isalnum((unsigned char)spec[0]) || spec[0] == '_'))
		return false;
	for (const char *p = spec; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("._-*=<>!,|+ ", *p))
			return false;
	if (condaspec_parse(spec, &cs, NULL))
		return false;
	condaspec_fini(&cs);
	return true;
}

/* The first of these on $PATH. */
static const char *find_installer(void)
{
	static const char *const tools[] = { "micromamba", "mamba", "conda", "pixi" };
	const char *path = getenv("PATH");

	for (size_t i = 0; path && i < sizeof tools / sizeof tools[0]; i++) {
		for (const char *p = path; *p;) {
			const char *colon = strchr(p, ':');
			size_t len = colon ? (size_t)(colon - p) : strlen(p);
			char file[PATH_BUF];

			if (len && snprintf(file, sizeof file, "%.*s/%s", (int)len, p, tools[i]) <
					   (int)sizeof file &&
			    access(file, X_OK) == 0)
				return tools[i];
			p += len + (colon ? 1 : 0);
		}
	}
	return "conda";
}

static char **conda_install_argv(const struct eco_opts *o, const char *const *specs, size_t n,
				 unsigned flags, struct ed_diag *d)
{
	const char *tool = find_installer();
	bool pixi = !strcmp(tool, "pixi");
	char **argv = NULL;
	size_t argc = 0;

	if (!n) {
		ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0, "no packages to install");
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		if (!specs[i] || !valid_install_spec(specs[i])) {
			ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0, "'%s' is not a valid conda package spec",
				    specs[i] ? specs[i] : "");
			return NULL;
		}
	if (!util_strv_push(&argv, &argc, tool) ||
	    !util_strv_push(&argv, &argc, pixi ? "add" : "install"))
		goto fail;
	if (!pixi && ((flags & ECO_INSTALL_YES) && !util_strv_push(&argv, &argc, "-y")))
		goto fail;
	/* the channels the plan was made with, in its order, and no others
	 * (pixi takes them from its manifest) */
	if (!pixi) {
		struct channel *ch = NULL;
		size_t nch = 0;
		bool ok;

		if (channels_resolve(o, &ch, &nch, d)) {
			util_strv_free(argv, argc);
			return NULL;
		}
		ok = util_strv_push(&argv, &argc, "--override-channels");
		for (size_t i = 0; ok && i < nch; i++) {
			const char *where = ch[i].dir;

			/* a name as given, unless --mirror moved it */
			if (ch[i].url)
				where = !(o && o->mirror) && valid_channel_name(ch[i].name) ? ch[i].name
											    : ch[i].url;

			ok = util_strv_push(&argv, &argc, "-c") && util_strv_push(&argv, &argc, where);
		}
		channels_free(ch, nch);
		if (!ok)
			goto fail;
	}
	if ((flags & ECO_INSTALL_SIMULATE) &&
	    !util_strv_push(&argv, &argc, pixi ? "--no-install" : "--dry-run"))
		goto fail;
	for (size_t i = 0; i < n; i++)
		if (!util_strv_push(&argv, &argc, specs[i]))
			goto fail;
	{
		char **v = realloc(argv, (argc + 1) * sizeof *v);

		if (!v)
			goto fail;
		argv = v;
		argv[argc] = NULL;
	}
	return argv;
fail:
	util_strv_free(argv, argc);
	oom(d);
	return NULL;
}

static bool conda_install_needs_root(const struct eco_opts *o)
{
	(void)o; /* conda installs into a user's prefix */
	return false;
}

/* mkdir -p PATH (0755). */
static bool mkdirs(const char *path)
{
	char buf[PATH_BUF];
	struct stat st;
	size_t len = strlen(path);

	if (len >= sizeof buf)
		return false;
	memcpy(buf, path, len + 1);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) != 0 && errno != EEXIST)
			return false;
		*p = '/';
	}
	if (mkdir(buf, 0755) != 0 && errno != EEXIST)
		return false;
	return stat(buf, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Fetch CHANNEL's SUBDIR metadata: repodata.json.zst where the server has
 * it (a quarter of the transfer), else repodata.json; the other name is
 * removed so that the loader never reads a stale copy. *ABSENT: the server
 * has neither (404). */
static int update_subdir(struct fetch *f, const struct channel *ch, const char *subdir,
			 bool *absent, struct eco_update_stats *st, struct ed_diag *d)
{
	static const char *const names[] = { "repodata.json.zst", "repodata.json" };
	char dir[PATH_BUF];

	*absent = false;
	if (snprintf(dir, sizeof dir, "%s/%s", ch->dir, subdir) >= (int)sizeof dir || !mkdirs(dir))
		return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "cannot create '%s': %s", dir,
				   strerror(errno));
	for (size_t i = 0; i < 2; i++) {
		char url[PATH_BUF], dest[PATH_BUF + 32], other[PATH_BUF + 40];
		struct fetch_expect exp = { .max_size = CONDA_REPODATA_MAX };
		struct fetch_result res = { 0 };
		struct ed_diag local;

		snprintf(url, sizeof url, "%s/%s/%s", ch->url, subdir, names[i]);
		snprintf(dest, sizeof dest, "%s/%s", dir, names[i]);
		snprintf(other, sizeof other, "%s/%s", dir, names[1 - i]);
		ed_diag_clear(&local);
		st->files++;
		if (fetch_file(f, url, dest, &exp, &res, &local)) {
			if (res.http_status == 404 || res.http_status == 403) {
				st->files--;
				continue;
			}
			if (d)
				*d = local;
			return ED_EXIT_ENV;
		}
		st->bytes += res.bytes;
		if (res.outcome == FETCH_DOWNLOADED)
			st->downloaded++;
		else
			st->unchanged++;
		unlink(other);
		strcat(other, ".meta"); /* fetch.h's ETag file beside it */
		unlink(other);
		return 0;
	}
	*absent = true;
	return 0;
}

static int conda_update(const struct eco_opts *o, struct eco_update_stats *st, struct ed_diag *d)
{
	const char *subdir = target_subdir(o);
	struct fetch_opts fo = { .progress = o && o->progress };
	struct eco_update_stats local;
	struct channel *ch = NULL;
	struct fetch *f = NULL;
	size_t nch = 0;
	int rc;

	if (!st)
		st = &local;
	memset(st, 0, sizeof *st);
	if (!subdir)
		return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0,
				   "unknown machine for conda; use --platform");
	if (!valid_subdir(subdir) || !strcmp(subdir, "noarch"))
		return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0, "'%s' is not a conda platform",
				   subdir);
	if ((rc = channels_resolve(o, &ch, &nch, d)))
		return rc;
	for (size_t i = 0; i < nch && !rc; i++) {
		const char *subdirs[2] = { subdir, "noarch" };
		int lock;

		if (!ch[i].url)
			continue; /* a directory: nothing to download */
		if (o && o->offline) {
			rc = ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0,
					 "cannot update channel '%s' with --offline", ch[i].name);
			break;
		}
		if (!f && !(f = fetch_new(&fo, d))) {
			rc = d->status;
			break;
		}
		if (!mkdirs(ch[i].dir)) {
			rc = ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "cannot create '%s': %s",
					 ch[i].dir, strerror(errno));
			break;
		}
		if ((lock = fetch_lock(ch[i].dir, d)) < 0) {
			rc = ED_EXIT_ENV;
			break;
		}
		for (int k = 0; k < 2 && !rc; k++) {
			bool absent;

			rc = update_subdir(f, &ch[i], subdirs[k], &absent, st, d);
			/* a channel without noarch is valid; without the platform not */
			if (!rc && absent && k == 0)
				rc = ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0,
						 "channel '%s' has no %s metadata (%s/%s/repodata.json: "
						 "404)",
						 ch[i].name, subdir, ch[i].url, subdir);
		}
		fetch_unlock(lock);
	}
	fetch_free(f);
	channels_free(ch, nch);
	return rc;
}

static const char *const conda_ecosystems[] = { "conda-forge", NULL };

const struct eco_ops eco_conda = {
	.name = "conda",
	.database = "conda-meta",
	.disttype = DISTTYPE_RPM,
	.version_rules = "conda",
	.pool_setup = conda_pool_setup,
	.load_available = conda_load_available,
	.load_installed = conda_load_installed,
	.install_argv = conda_install_argv,
	.install_needs_root = conda_install_needs_root,
	.ecosystems = conda_ecosystems,
	.update = conda_update,
	.solvable_version = conda_solvable_version,
	.dep = conda_dep,
	.prune_builds = 16,
};
