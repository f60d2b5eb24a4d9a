/* conda_repodata.c - repodata.json and conda-meta records into libsolv
 * repositories, streamed through jsonstream.h (conda_repodata.h). */
#include "extdeps/eco/conda_repodata.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_parse.h>

#include <solv/knownid.h>
#include <solv/pool.h>
#include <solv/queue.h>
#include <solv/repo.h>
#include <solv/repodata.h>
#include <solv/solvable.h>

#include "extdeps/eco/solvext.h"
#include "extdeps/util/jsonstream.h"
#include "extdeps/util/strbuf.h"
#include "extdeps/util/util.h"
#include "conda_int.h"

enum field {
	F_NONE, F_NAME, F_VERSION, F_BUILD, F_BUILD_NUMBER, F_DEPENDS, F_CONSTRAINS,
	F_TRACK_FEATURES, F_SIZE, F_TIMESTAMP,
};

enum section { S_NONE, S_PACKAGES, S_CONDA };

#define MAX_DEPTH 64
#define MAX_STRING (1 << 20)
#define MAX_FIELD 256
/* conda-meta records are small; 64 MiB is already absurd */
#define MAX_META ((uint64_t)64 << 20)

struct record {
	char name[MAX_FIELD], version[MAX_FIELD], build[MAX_FIELD], features[MAX_FIELD];
	bool has_name, has_version, too_long;
	unsigned long long build_number, size, timestamp;
	struct strbuf depends, constrains; /* strings one after another, each NUL-terminated */
};

/* Per-string caches of what a spec or version became, indexed by the
 * string's pool id: conda-forge repeats the same specs thousands of times. */
struct idcache {
	Id *v;
	size_t cap;
};

static Id *idcache_slot(struct idcache *c, Id key)
{
	size_t had = c->cap;

	if (!ALLOC_GROW(c->v, (size_t)key + 1, c->cap))
		return NULL;
	if (c->cap > had)
		memset(c->v + had, 0, (c->cap - had) * sizeof *c->v);
	return &c->v[key];
}

/* Seen package file stems (without .conda / .tar.bz2), to drop a record
 * listed in both formats: open addressing on a 64-bit hash. */
struct stems {
	uint64_t *keys;
	Id *vals;
	size_t cap, n;
};

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
	struct idcache deps, vers;
	struct stems stems;
	Queue q, qc;
	size_t skipped;
	bool oom;
	struct ed_diag *d;
};

/* Stop the parse: the file is not repository metadata as we read it. */
static int cb_fail(struct jparse *j, const char *msg)
{
	return jsonstream_fail(j->d, "invalid repository metadata: %s", msg);
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

/* The dependency match spec SPEC is (conda_dep_from_spec), cached by the
 * spec's string: conda-forge repeats the same specs thousands of times. 0
 * when SPEC is malformed. A constrains entry (CONSTRAIN) keeps the match
 * spec alone: libsolv reads the name of a constraint from it. */
static Id cached_dep(struct jparse *j, const char *spec, bool constrain)
{
	Id *slot = idcache_slot(&j->deps, pool_str2id(j->pool, spec, 1));
	Id dep;

	if (!slot) {
		j->oom = true;
		return 0;
	}
	if (!*slot) {
		dep = conda_dep_from_spec(j->pool, spec, NULL);
		/* relation ids are negative: a value no pool reaches */
		*slot = dep ? dep : (Id)-2;
	}
	dep = *slot == (Id)-2 ? 0 : *slot;
	if (constrain && dep && ISRELDEP(dep) && GETRELDEP(j->pool, dep)->flags == REL_WITH)
		dep = GETRELDEP(j->pool, dep)->name;
	return dep;
}

/* The record's version, when conda reads it; 0 otherwise. */
static Id record_evr(struct jparse *j)
{
	Id vid = pool_str2id(j->pool, j->r.version, 1);
	Id *slot = idcache_slot(&j->vers, vid);

	if (!slot) {
		j->oom = true;
		return 0;
	}
	if (!*slot)
		*slot = conda_version_valid(j->r.version) ? 1 : -1;
	return *slot == 1 ? vid : 0;
}

/* Whether the record's package was read before in its other format (the
 * .conda size is then kept, nothing else); else *SLOT and *KEY say where
 * to remember it. */
static bool record_seen(struct jparse *j, size_t *slot, uint64_t *key)
{
	size_t stem_len = j->fname_len;

	if (stem_len > 6 && !memcmp(j->fname + stem_len - 6, ".conda", 6))
		stem_len -= 6;
	else if (stem_len > 8 && !memcmp(j->fname + stem_len - 8, ".tar.bz2", 8))
		stem_len -= 8;
	*key = conda_hash64(j->fname, stem_len);
	*slot = stems_slot(&j->stems, *key, &j->oom);
	if (j->oom || !j->stems.keys[*slot])
		return false;
	if (j->section == S_CONDA)
		repodata_set_num(j->data, j->stems.vals[*slot], SOLVABLE_DOWNLOADSIZE, j->r.size);
	return true;
}

/* The record's requires (J->q) and constrains (J->qc); false when one of
 * its specs is malformed or memory is out. */
static bool record_deps(struct jparse *j)
{
	const struct strbuf *lists[2] = { &j->r.depends, &j->r.constrains };
	Queue *into[2] = { &j->q, &j->qc };

	queue_empty(&j->q);
	queue_empty(&j->qc);
	for (int k = 0; k < 2; k++) {
		const struct strbuf *l = lists[k];

		for (const char *s = l->buf; s && s < l->buf + l->len; s += strlen(s) + 1) {
			Id dep = cached_dep(j, s, k == 1);

			if (!dep)
				return false;
			queue_push(into[k], dep);
		}
	}
	return !j->oom;
}

/* The record as a solvable of version EVR, with the attributes libsolv's
 * own reader (repo_add_conda) gives it: the build string, build number,
 * timestamp, track_features and constrains its conda policy and rules
 * read. */
static Id record_add(struct jparse *j, Id evr)
{
	const struct record *r = &j->r;
	Pool *pool = j->pool;
	Repo *repo = j->repo;
	Id p = repo_add_solvable(repo);
	Solvable *s = pool->solvables + p;
	char bn[32];
	const char *f;

	s->name = pool_str2id(pool, r->name, 1);
	s->evr = evr;
	s->arch = ARCH_NOARCH;
	s->provides = repo_addid_dep(repo, s->provides,
				     pool_rel2id(pool, s->name, s->evr, REL_EQ, 1), 0);
	for (int i = 0; i < j->q.count; i++)
		s->requires = repo_addid_dep(repo, s->requires, j->q.elements[i], 0);
	for (int i = 0; i < j->qc.count; i++)
		repodata_add_idarray(j->data, p, SOLVABLE_CONSTRAINS, j->qc.elements[i]);
	repodata_set_poolstr(j->data, p, SOLVABLE_BUILDFLAVOR, r->build);
	snprintf(bn, sizeof bn, "%llu", r->build_number);
	repodata_set_str(j->data, p, SOLVABLE_BUILDVERSION, bn);
	if (r->size)
		repodata_set_num(j->data, p, SOLVABLE_DOWNLOADSIZE, r->size);
	/* milliseconds in current repodata, seconds in older */
	if (r->timestamp)
		repodata_set_num(j->data, p, SOLVABLE_BUILDTIME,
				 r->timestamp > 253402300799ULL ? r->timestamp / 1000 : r->timestamp);
	/* "a,b" or "a b": one feature each */
	for (f = r->features; *f; f += strcspn(f, " ,")) {
		size_t n;

		f += strspn(f, " ,");
		if ((n = strcspn(f, " ,")))
			repodata_add_idarray(j->data, p, SOLVABLE_TRACK_FEATURES,
					     pool_strn2id(pool, f, (unsigned)n, 1));
	}
	return p;
}

static void record_finish(struct jparse *j)
{
	const struct record *r = &j->r;
	size_t slot = 0;
	uint64_t stem_key = 0;
	Id p, evr;

	if (!r->has_name || !r->has_version || r->too_long || j->fname_too_long) {
		j->skipped++;
		return;
	}
	/* the same package in both formats: keep one, with the .conda size */
	if (!j->single && (record_seen(j, &slot, &stem_key) || j->oom))
		return;
	if (!(evr = record_evr(j))) {
		j->skipped++;
		return;
	}
	if (!record_deps(j)) {
		/* conda would refuse the package too */
		j->skipped += !j->oom;
		return;
	}
	p = record_add(j, evr);
	if (!j->single) {
		j->stems.keys[slot] = stem_key;
		j->stems.vals[slot] = p;
		j->stems.n++;
	}
}

static void record_reset(struct record *r)
{
	struct strbuf dep = r->depends, con = r->constrains;

	strbuf_reset(&dep);
	strbuf_reset(&con);
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
	else if (j->field == F_TIMESTAMP)
		parse_ull(s, len, &j->r.timestamp);
	return 1;
}

/* A string value of one of the record's own fields. */
static void record_field(struct record *r, enum field field, const unsigned char *s, size_t len)
{
	switch (field) {
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
}

static int cb_string(void *ctx, const unsigned char *s, size_t len)
{
	struct jparse *j = ctx;
	struct strbuf *list;

	if (len > MAX_STRING)
		return cb_fail(j, "string longer than 1 MiB");
	if (j->depth == 0)
		return cb_fail(j, "expected a JSON object");
	if (!j->in_rec)
		return 1;
	if (j->depth == j->rec_depth) {
		record_field(&j->r, j->field, s, len);
	} else if (j->depth == j->rec_depth + 1 && j->array == F_TRACK_FEATURES) {
		/* the list form of track_features: one string as the old form */
		size_t had = strlen(j->r.features);

		if (had + len + 2 > sizeof j->r.features)
			j->r.too_long = true;
		else
			snprintf(j->r.features + had, sizeof j->r.features - had, "%s%.*s",
				 had ? "," : "", (int)len, (const char *)s);
	} else if (j->depth == j->rec_depth + 1 && j->array != F_NONE) {
		list = j->array == F_DEPENDS ? &j->r.depends : &j->r.constrains;
		strbuf_add(list, s, len);
		strbuf_addch(list, '\0');
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

static enum field record_key(const unsigned char *s, size_t len)
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
		{ "timestamp", F_TIMESTAMP },
	};
	enum field f = F_NONE;

	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		if (strlen(fields[i].key) == len && !memcmp(fields[i].key, s, len))
			f = fields[i].f;
	return f;
}

static int cb_key(void *ctx, const unsigned char *s, size_t len)
{
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
		j->field = record_key(s, len);
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
	    (j->field == F_DEPENDS || j->field == F_CONSTRAINS || j->field == F_TRACK_FEATURES))
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
	strbuf_release(&j->r.depends);
	strbuf_release(&j->r.constrains);
	free(j->deps.v);
	free(j->vers.v);
	free(j->stems.keys);
	free(j->stems.vals);
	queue_free(&j->q);
	queue_free(&j->qc);
}

/* Parse PATH (decompressed as the name AS says) into REPO: a repodata.json,
 * or (SINGLE) one conda-meta record. */
static int load_json(Repo *repo, const char *path, const char *as, bool single,
		     uint64_t max_bytes, size_t *skipped, struct ed_diag *d)
{
	struct jsonstream_opts opts = { .max_bytes = max_bytes, .what = "repository metadata" };
	struct jparse j = { .pool = repo->pool, .repo = repo, .single = single, .d = d };
	FILE *f = solvext_xfopen_as(path, as, "r");
	int rc;

	if (!f)
		return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "cannot read '%s': %s", path,
				   solvext_strerror(errno));
	queue_init(&j.q);
	queue_init(&j.qc);
	j.data = repo_last_repodata(repo);
	rc = jsonstream_parse_stream(f, path, &opts, &callbacks, &j, d);
	fclose(f);
	if (skipped)
		*skipped += j.skipped;
	jparse_fini(&j);
	return rc;
}

Repo *conda_load_repodata(Pool *pool, const char *path, const char *name, uint64_t max_bytes,
			  size_t *skipped, struct ed_diag *d)
{
	struct ed_diag local = { 0 };
	Repo *repo = repo_create(pool, name);

	/* the stream reports into a diagnostic, wanted or not */
	if (!d)
		d = &local;
	if (skipped)
		*skipped = 0;
	repo_add_repodata(repo, 0);
	if (load_json(repo, path, path, false, max_bytes ? max_bytes : CONDA_REPODATA_MAX, skipped,
		      d)) {
		repo_free(repo, 1);
		return NULL;
	}
	return repo;
}

int conda_check_repodata(const char *path, const char *as, struct ed_diag *d)
{
	Pool *pool = pool_create();
	Repo *repo;
	int rc;

	if (!pool)
		return ed_diag_oom(d);
	repo = repo_create(pool, "check");
	repo_add_repodata(repo, 0);
	rc = load_json(repo, path, as, false, CONDA_REPODATA_MAX, NULL, d);
	pool_free(pool);
	return rc ? ED_EXIT_ENV : 0;
}

void conda_finish_repos(Pool *pool, Repo **repos, size_t n)
{
	/* attributes are read below (build numbers): internalize first */
	for (size_t i = 0; i < n; i++)
		repo_internalize(repos[i]);
	conda_add_build_number_provides(pool, repos, n);
}

/* --- conda-meta --- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names of the *.json files of DP (closed), sorted, into *NAMES. */
static int meta_files(DIR *dp, char ***names, size_t *n, struct ed_diag *d)
{
	struct dirent *e;

	while ((e = readdir(dp))) {
		size_t len = strlen(e->d_name);

		if (len > 5 && e->d_name[0] != '.' && !strcmp(e->d_name + len - 5, ".json") &&
		    !util_strv_push(names, n, e->d_name)) {
			closedir(dp);
			return ed_diag_oom(d);
		}
	}
	closedir(dp);
	if (*n)
		qsort(*names, *n, sizeof **names, cmp_str);
	return 0;
}

int conda_load_prefix(Repo *repo, const char *prefix, struct ed_diag *d)
{
	char dir[CONDA_PATH_BUF], path[CONDA_PATH_BUF];
	struct ed_diag local = { 0 };
	char **names = NULL;
	size_t nnames = 0;
	DIR *dp;
	int rc;

	if (!d)
		d = &local;
	if (snprintf(dir, sizeof dir, "%s/conda-meta", prefix) >= (int)sizeof dir)
		return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "prefix path too long: '%s'", prefix);
	if (!(dp = opendir(dir)))
		return 0;
	rc = meta_files(dp, &names, &nnames, d);
	if (!rc && !repo_last_repodata(repo))
		repo_add_repodata(repo, 0);
	for (size_t i = 0; i < nnames && !rc; i++) {
		if (snprintf(path, sizeof path, "%s/%s", dir, names[i]) >= (int)sizeof path)
			continue;
		rc = load_json(repo, path, path, true, MAX_META, NULL, d);
	}
	util_strv_free(names, nnames);
	return rc;
}
