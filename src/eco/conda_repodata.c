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

enum section { S_NONE, S_PACKAGES, S_CONDA };

#define MAX_DEPTH 64
#define MAX_STRING (1 << 20)
/* conda-meta records are small; 64 MiB is already absurd */
#define MAX_META ((uint64_t)64 << 20)

static Id *idcache_slot(struct conda_idcache *c, Id key)
{
	size_t had = c->cap;

	if (!ALLOC_GROW(c->v, (size_t)key + 1, c->cap))
		return NULL;
	if (c->cap > had)
		memset(c->v + had, 0, (c->cap - had) * sizeof *c->v);
	return &c->v[key];
}

/* The slot of KEY (0 in keys[] when free); grows at half full. */
static size_t stems_slot(struct conda_stems *t, uint64_t key, bool *oom)
{
	size_t i;

	if (2 * (t->n + 1) > t->cap) {
		struct conda_stems g = { .cap = t->cap ? 2 * t->cap : 1 << 14 };

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
	struct conda_sink k;
	int depth;
	int rec_depth;     /* depth of a record's object */
	enum section section, pending;
	bool in_rec;
	enum conda_field field, array;
	struct conda_record r;
	char fname[CONDA_FIELD_MAX]; /* the record's file name, as long as fits */
	size_t fname_len;
	struct ed_diag *d;
};

/* --- records into solvables (conda_int.h) --- */

static void copy_field(struct conda_record *r, char *dst, const char *s, size_t len)
{
	if (len >= CONDA_FIELD_MAX) {
		r->too_long = true;
		len = 0;
	}
	memcpy(dst, s, len);
	dst[len] = '\0';
}

enum conda_field conda_record_key(const char *s, size_t len)
{
	static const struct {
		const char *key;
		enum conda_field f;
	} fields[] = {
		{ "name", CONDA_F_NAME },
		{ "version", CONDA_F_VERSION },
		{ "build", CONDA_F_BUILD },
		{ "build_number", CONDA_F_BUILD_NUMBER },
		{ "depends", CONDA_F_DEPENDS },
		{ "constrains", CONDA_F_CONSTRAINS },
		{ "track_features", CONDA_F_TRACK_FEATURES },
		{ "size", CONDA_F_SIZE },
		{ "timestamp", CONDA_F_TIMESTAMP },
	};
	enum conda_field f = CONDA_F_NONE;

	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		if (strlen(fields[i].key) == len && !memcmp(fields[i].key, s, len))
			f = fields[i].f;
	return f;
}

void conda_record_reset(struct conda_record *r, const char *fname, size_t len, bool conda)
{
	struct strbuf dep = r->depends, con = r->constrains;

	strbuf_reset(&dep);
	strbuf_reset(&con);
	memset(r, 0, offsetof(struct conda_record, depends));
	r->depends = dep;
	r->constrains = con;
	r->fname_too_long = len >= sizeof r->fname;
	r->fname_len = r->fname_too_long ? 0 : len;
	memcpy(r->fname, fname, r->fname_len);
	r->conda = conda;
}

void conda_record_release(struct conda_record *r)
{
	strbuf_release(&r->depends);
	strbuf_release(&r->constrains);
}

void conda_record_string(struct conda_record *r, enum conda_field field, const char *s, size_t len)
{
	switch (field) {
	case CONDA_F_NAME:
		copy_field(r, r->name, s, len);
		r->has_name = true;
		break;
	case CONDA_F_VERSION:
		copy_field(r, r->version, s, len);
		r->has_version = true;
		break;
	case CONDA_F_BUILD:
		copy_field(r, r->build, s, len);
		break;
	case CONDA_F_TRACK_FEATURES:
		copy_field(r, r->features, s, len);
		/* "" and whitespace mean none */
		if (strspn(r->features, " ,") == strlen(r->features))
			r->features[0] = '\0';
		break;
	default:
		break;
	}
}

void conda_record_item(struct conda_record *r, enum conda_field list, const char *s, size_t len)
{
	if (list == CONDA_F_TRACK_FEATURES) {
		/* the list form of track_features: one string as the old form */
		size_t had = strlen(r->features);

		if (had + len + 2 > sizeof r->features)
			r->too_long = true;
		else
			snprintf(r->features + had, sizeof r->features - had, "%s%.*s",
				 had ? "," : "", (int)len, s);
	} else if (list == CONDA_F_DEPENDS || list == CONDA_F_CONSTRAINS) {
		struct strbuf *sb = list == CONDA_F_DEPENDS ? &r->depends : &r->constrains;

		strbuf_add(sb, s, len);
		strbuf_addch(sb, '\0');
	}
}

void conda_record_number(struct conda_record *r, enum conda_field field, unsigned long long v)
{
	if (field == CONDA_F_BUILD_NUMBER)
		r->build_number = v;
	else if (field == CONDA_F_SIZE)
		r->size = v;
	else if (field == CONDA_F_TIMESTAMP)
		r->timestamp = v;
}

void conda_sink_init(struct conda_sink *k, Repo *repo, bool single)
{
	memset(k, 0, sizeof *k);
	k->pool = repo->pool;
	k->repo = repo;
	k->single = single;
	if (!(k->data = repo_last_repodata(repo)))
		k->data = repo_add_repodata(repo, 0);
	queue_init(&k->q);
	queue_init(&k->qc);
}

void conda_sink_fini(struct conda_sink *k)
{
	free(k->deps.v);
	free(k->vers.v);
	free(k->stems.keys);
	free(k->stems.vals);
	queue_free(&k->q);
	queue_free(&k->qc);
}

/* The dependency match spec SPEC is (conda_dep_from_spec), cached by the
 * spec's string: conda-forge repeats the same specs thousands of times. 0
 * when SPEC is malformed. A constrains entry (CONSTRAIN) keeps the match
 * spec alone: libsolv reads the name of a constraint from it. */
static Id cached_dep(struct conda_sink *k, const char *spec, bool constrain)
{
	Id *slot = idcache_slot(&k->deps, pool_str2id(k->pool, spec, 1));
	Id dep;

	if (!slot) {
		k->oom = true;
		return 0;
	}
	if (!*slot) {
		dep = conda_dep_from_spec(k->pool, spec, NULL);
		/* relation ids are negative: a value no pool reaches */
		*slot = dep ? dep : (Id)-2;
	}
	dep = *slot == (Id)-2 ? 0 : *slot;
	if (constrain && dep && ISRELDEP(dep) && GETRELDEP(k->pool, dep)->flags == REL_WITH)
		dep = GETRELDEP(k->pool, dep)->name;
	return dep;
}

/* R's version, when conda reads it; 0 otherwise. */
static Id record_evr(struct conda_sink *k, const struct conda_record *r)
{
	Id vid = pool_str2id(k->pool, r->version, 1);
	Id *slot = idcache_slot(&k->vers, vid);

	if (!slot) {
		k->oom = true;
		return 0;
	}
	if (!*slot)
		*slot = conda_version_valid(r->version) ? 1 : -1;
	return *slot == 1 ? vid : 0;
}

/* Whether R's package was read before in its other format (the .conda
 * size is then kept, nothing else); else *SLOT and *KEY say where to
 * remember it. */
static bool record_seen(struct conda_sink *k, const struct conda_record *r, size_t *slot,
			uint64_t *key)
{
	size_t stem_len = r->fname_len;

	if (stem_len > 6 && !memcmp(r->fname + stem_len - 6, ".conda", 6))
		stem_len -= 6;
	else if (stem_len > 8 && !memcmp(r->fname + stem_len - 8, ".tar.bz2", 8))
		stem_len -= 8;
	*key = conda_hash64(r->fname, stem_len);
	*slot = stems_slot(&k->stems, *key, &k->oom);
	if (k->oom || !k->stems.keys[*slot])
		return false;
	if (r->conda)
		repodata_set_num(k->data, k->stems.vals[*slot], SOLVABLE_DOWNLOADSIZE, r->size);
	return true;
}

/* R's requires (K->q) and constrains (K->qc); false when one of its specs
 * is malformed or memory is out. */
static bool record_deps(struct conda_sink *k, const struct conda_record *r)
{
	const struct strbuf *lists[2] = { &r->depends, &r->constrains };
	Queue *into[2] = { &k->q, &k->qc };

	queue_empty(&k->q);
	queue_empty(&k->qc);
	for (int i = 0; i < 2; i++) {
		const struct strbuf *l = lists[i];

		for (const char *s = l->buf; s && s < l->buf + l->len; s += strlen(s) + 1) {
			Id dep = cached_dep(k, s, i == 1);

			if (!dep)
				return false;
			queue_push(into[i], dep);
		}
	}
	return !k->oom;
}

/* R as a solvable of version EVR, with the attributes libsolv's own reader
 * (repo_add_conda) gives it: the build string, build number, timestamp,
 * track_features and constrains its conda policy and rules read. */
static Id record_add(struct conda_sink *k, const struct conda_record *r, Id evr)
{
	Pool *pool = k->pool;
	Repo *repo = k->repo;
	Id p = repo_add_solvable(repo);
	Solvable *s = pool->solvables + p;
	char bn[32];
	const char *f;

	s->name = pool_str2id(pool, r->name, 1);
	s->evr = evr;
	s->arch = ARCH_NOARCH;
	s->provides = repo_addid_dep(repo, s->provides,
				     pool_rel2id(pool, s->name, s->evr, REL_EQ, 1), 0);
	for (int i = 0; i < k->q.count; i++)
		s->requires = repo_addid_dep(repo, s->requires, k->q.elements[i], 0);
	for (int i = 0; i < k->qc.count; i++)
		repodata_add_idarray(k->data, p, SOLVABLE_CONSTRAINS, k->qc.elements[i]);
	repodata_set_poolstr(k->data, p, SOLVABLE_BUILDFLAVOR, r->build);
	snprintf(bn, sizeof bn, "%llu", r->build_number);
	repodata_set_str(k->data, p, SOLVABLE_BUILDVERSION, bn);
	if (r->size)
		repodata_set_num(k->data, p, SOLVABLE_DOWNLOADSIZE, r->size);
	/* milliseconds in current repodata, seconds in older */
	if (r->timestamp)
		repodata_set_num(k->data, p, SOLVABLE_BUILDTIME,
				 r->timestamp > 253402300799ULL ? r->timestamp / 1000 : r->timestamp);
	/* "a,b" or "a b": one feature each */
	for (f = r->features; *f; f += strcspn(f, " ,")) {
		size_t n;

		f += strspn(f, " ,");
		if ((n = strcspn(f, " ,")))
			repodata_add_idarray(k->data, p, SOLVABLE_TRACK_FEATURES,
					     pool_strn2id(pool, f, (unsigned)n, 1));
	}
	return p;
}

bool conda_sink_add(struct conda_sink *k, const struct conda_record *r)
{
	size_t slot = 0;
	uint64_t stem_key = 0;
	Id p, evr;

	if (r->depends.oom || r->constrains.oom)
		return !(k->oom = true);
	if (!r->has_name || !r->has_version || r->too_long || r->fname_too_long) {
		k->skipped++;
		return true;
	}
	/* the same package in both formats: keep one, with the .conda size */
	if (!k->single && (record_seen(k, r, &slot, &stem_key) || k->oom))
		return !k->oom;
	if (!(evr = record_evr(k, r))) {
		k->skipped += !k->oom;
		return !k->oom;
	}
	if (!record_deps(k, r)) {
		/* conda would refuse the package too */
		k->skipped += !k->oom;
		return !k->oom;
	}
	p = record_add(k, r, evr);
	if (!k->single) {
		k->stems.keys[slot] = stem_key;
		k->stems.vals[slot] = p;
		k->stems.n++;
	}
	return true;
}

/* --- repodata.json --- */

/* Stop the parse: the file is not repository metadata as we read it. */
static int cb_fail(struct jparse *j, const char *msg)
{
	return jsonstream_fail(j->d, "invalid repository metadata: %s", msg);
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
	unsigned long long v;

	if (!j->in_rec || j->depth != j->rec_depth)
		return 1;
	/* a malformed number leaves the field at 0, as a missing one */
	if (parse_ull(s, len, &v))
		conda_record_number(&j->r, j->field, v);
	return 1;
}

static int cb_string(void *ctx, const unsigned char *s, size_t len)
{
	struct jparse *j = ctx;

	if (len > MAX_STRING)
		return cb_fail(j, "string longer than 1 MiB");
	if (j->depth == 0)
		return cb_fail(j, "expected a JSON object");
	if (!j->in_rec)
		return 1;
	if (j->depth == j->rec_depth)
		conda_record_string(&j->r, j->field, (const char *)s, len);
	else if (j->depth == j->rec_depth + 1)
		conda_record_item(&j->r, j->array, (const char *)s, len);
	return 1;
}

static int cb_start_map(void *ctx)
{
	struct jparse *j = ctx;

	if (++j->depth > MAX_DEPTH)
		return cb_fail(j, "nested deeper than 64 levels");
	if (j->depth == 2 && !j->k.single)
		j->section = j->pending;
	if ((j->k.single && j->depth == 1) ||
	    (!j->k.single && j->depth == 3 && j->section != S_NONE)) {
		j->in_rec = true;
		j->rec_depth = j->depth;
		j->field = CONDA_F_NONE;
		conda_record_reset(&j->r, j->fname, j->fname_len, j->section == S_CONDA);
	}
	return 1;
}

static int cb_key(void *ctx, const unsigned char *s, size_t len)
{
	struct jparse *j = ctx;

	if (len > MAX_STRING)
		return cb_fail(j, "key longer than 1 MiB");
	if (!j->k.single && j->depth == 1) {
		j->pending = len == 8 && !memcmp(s, "packages", 8)	  ? S_PACKAGES
			     : len == 14 && !memcmp(s, "packages.conda", 14) ? S_CONDA
									       : S_NONE;
		j->section = S_NONE;
	} else if (!j->k.single && j->depth == 2 && j->section != S_NONE) {
		/* the file name, kept until the record's object starts */
		j->fname_len = len < sizeof j->fname ? len : sizeof j->fname;
		memcpy(j->fname, s, j->fname_len);
	} else if (j->in_rec && j->depth == j->rec_depth) {
		j->field = conda_record_key((const char *)s, len);
	}
	return 1;
}

static int cb_end_map(void *ctx)
{
	struct jparse *j = ctx;

	if (j->in_rec && j->depth == j->rec_depth) {
		j->in_rec = false;
		if (!conda_sink_add(&j->k, &j->r))
			return cb_fail(j, "out of memory");
	}
	if (!j->k.single && j->depth == 2)
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
	if (j->in_rec && j->depth == j->rec_depth + 1)
		j->array = j->field;
	return 1;
}

static int cb_end_array(void *ctx)
{
	struct jparse *j = ctx;

	if (j->in_rec && j->depth == j->rec_depth + 1)
		j->array = CONDA_F_NONE;
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

/* Parse PATH (decompressed as the name AS says) into REPO: a repodata.json,
 * or (SINGLE) one conda-meta record. */
static int load_json(Repo *repo, const char *path, const char *as, bool single,
		     uint64_t max_bytes, size_t *skipped, struct ed_diag *d)
{
	struct jsonstream_opts opts = { .max_bytes = max_bytes, .what = "repository metadata" };
	struct jparse j = { .d = d };
	FILE *f = solvext_xfopen_as(path, as, "r");
	int rc;

	if (!f)
		return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "cannot read '%s': %s", path,
				   solvext_strerror(errno));
	conda_sink_init(&j.k, repo, single);
	rc = jsonstream_parse_stream(f, path, &opts, &callbacks, &j, d);
	fclose(f);
	if (skipped)
		*skipped += j.k.skipped;
	conda_sink_fini(&j.k);
	conda_record_release(&j.r);
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
