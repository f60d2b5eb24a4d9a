/* conda.c - the conda backend: conda-forge and other conda channels
 * (conda.h); its parts are in conda_*.c (conda_int.h). */
#include "extdeps/eco/conda.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <solv/knownid.h>
#include <solv/pool.h>
#include <solv/poolarch.h>
#include <solv/repo.h>

#include "extdeps/eco/conda_match.h"
#include "extdeps/eco/installed.h"
#include "extdeps/net/fetch.h"
#include "extdeps/net/repocache.h"
#include "extdeps/util/util.h"
#include "conda_int.h"

/* Part of the cache key: a new layout of the solvables changes it (c2:
 * libsolv's conda attributes, match specs as REL_CONDA). */
#define CACHE_LAYOUT "c2"

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

/* A subdir's operating system and machine ("osx-arm64": darwin, arm64). */
static bool conda_markers(const char *subdir, const char **sys_platform, const char **machine)
{
	static const struct {
		const char *subdir, *sys_platform, *machine;
	} table[] = {
		{ "linux-64", "linux", "x86_64" },     { "linux-aarch64", "linux", "aarch64" },
		{ "linux-ppc64le", "linux", "ppc64le" }, { "linux-s390x", "linux", "s390x" },
		{ "osx-64", "darwin", "x86_64" },      { "osx-arm64", "darwin", "arm64" },
		{ "win-64", "win32", "AMD64" },        { "win-arm64", "win32", "ARM64" },
	};

	for (size_t i = 0; subdir && i < sizeof table / sizeof table[0]; i++)
		if (!strcmp(subdir, table[i].subdir)) {
			*sys_platform = table[i].sys_platform;
			*machine = table[i].machine;
			return true;
		}
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

/* The subdir O targets, or NULL with D filled when there is none. */
static const char *known_subdir(const struct eco_opts *o, struct ed_diag *d)
{
	const char *subdir = target_subdir(o);

	if (!subdir)
		ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "unknown machine for conda; use --platform");
	return subdir;
}

static int conda_pool_setup(Pool *pool, const struct eco_opts *o, struct ed_diag *d)
{
	const char *subdir = known_subdir(o, d);
	int rc;

	if (!subdir)
		return ED_EXIT_ENV;
	if (!valid_subdir(subdir) || !strcmp(subdir, "noarch"))
		return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0,
				   "'%s' is not a conda platform (linux-64, linux-aarch64, osx-64, "
				   "osx-arm64, win-64, ...)",
				   subdir);
	/* libsolv's conda support: version order, match specs, policy */
	if ((rc = eco_set_disttype(pool, &eco_conda, d)))
		return rc;
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
	conda_add_virtual(repo, target_subdir(o), o ? o->cuda_driver : NULL);
	repo_internalize(repo);
	pool_set_installed(pool, repo);
	return repo;
}

/* --- load_available --- */

static int conda_update(const struct eco_opts *o, struct eco_update_stats *st,
			struct ed_diag *d);

/* The repodata files a load reads, one per channel and subdir, in channel
 * order. */
struct repofiles {
	char **paths;
	char (*labels)[256]; /* the repositories' names: "conda-forge/linux-64" */
	int *prio;
	/* a shard index (CEP 16), and where it is downloaded from (NULL for a
	 * directory channel); else a repodata.json */
	bool *sharded;
	char **urls;
	size_t n, nsharded;
};

static bool repofiles_init(struct repofiles *f, size_t max)
{
	f->paths = calloc(max, sizeof *f->paths);
	f->labels = calloc(max, sizeof *f->labels);
	f->prio = calloc(max, sizeof *f->prio);
	f->sharded = calloc(max, sizeof *f->sharded);
	f->urls = calloc(max, sizeof *f->urls);
	f->n = f->nsharded = 0;
	return f->paths && f->labels && f->prio && f->sharded && f->urls;
}

static void repofiles_fini(struct repofiles *f)
{
	for (size_t i = 0; f->paths && i < f->n; i++) {
		free(f->paths[i]);
		free(f->urls[i]);
	}
	free(f->paths);
	free(f->labels);
	free(f->prio);
	free(f->sharded);
	free(f->urls);
}

/* The metadata of SUBDIR in DIR into PATH: the shard index where the load
 * names its packages (O->names) or there is nothing else (*SHARDED), else
 * repodata.json(.zst). False when there is none. */
static bool find_metadata(const struct eco_opts *o, const char *dir, const char *subdir,
			  char *path, size_t size, bool *sharded)
{
	char shards[CONDA_PATH_BUF];
	bool json = conda_find_repodata(dir, subdir, path, size);

	*sharded = (!json || (o && o->names)) &&
		   conda_find_shards(dir, subdir, shards, sizeof shards) &&
		   (size_t)snprintf(path, size, "%s", shards) < size;
	return json || *sharded;
}

/* The metadata of the NCH channels CH for SUBDIR and noarch into F;
 * downloaded first (once, for all channels) when a file is missing and
 * may be. A missing noarch is counted in ST->missing. */
static int find_files(const struct eco_opts *o, const struct conda_channel *ch, size_t nch,
		      const char *subdir, struct repofiles *f, struct eco_load_stats *st,
		      struct ed_diag *d)
{
	const char *subdirs[2] = { subdir, "noarch" };
	bool updated = false;
	int rc;

	for (size_t i = 0; i < nch; i++) {
		for (int k = 0; k < 2; k++) {
			char path[CONDA_PATH_BUF], hint[2048];
			bool sharded;

			if (!find_metadata(o, ch[i].dir, subdirs[k], path, sizeof path, &sharded) &&
			    ch[i].url && !updated && !(o && o->offline)) {
				/* not downloaded yet: do it now, once, for all channels */
				updated = true;
				if ((rc = conda_update(o, NULL, d)))
					return rc;
			}
			if (!find_metadata(o, ch[i].dir, subdirs[k], path, sizeof path, &sharded)) {
				if (k == 1) {
					st->missing++;
					continue;
				}
				eco_update_command(o, NULL, hint, sizeof hint);
				return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0,
						   "no repository metadata for channel '%s' (%s) in "
						   "'%s'%s%s",
						   ch[i].name, subdir, ch[i].dir,
						   ch[i].url ? "; run " : "", ch[i].url ? hint : "");
			}
			if (!(f->paths[f->n] = util_strdup(path)))
				return ed_diag_oom(d);
			if ((f->sharded[f->n] = sharded)) {
				char url[CONDA_PATH_BUF];

				f->nsharded++;
				snprintf(url, sizeof url, "%s/%s/%s", ch[i].url ? ch[i].url : "",
					 subdirs[k], CONDA_SHARDS_INDEX);
				if (ch[i].url && !(f->urls[f->n] = util_strdup(url)))
					return ed_diag_oom(d);
			}
			snprintf(f->labels[f->n], sizeof f->labels[f->n], "%s/%s", ch[i].name,
				 subdirs[k]);
			/* the first channel wins (conda's strict channel priority) */
			f->prio[f->n] = (int)(nch - i);
			f->n++;
		}
	}
	return 0;
}

/* The .solv cache's key for the repository of metadata file PATH: the
 * whole channel's (SLOT < 0), or the closure of a request's names kept in
 * SLOT. */
static void cache_key(const char *path, int slot, char *key, size_t size)
{
	char base[200];

	repocache_key_for_path(path, base, sizeof base);
	if (slot < 0)
		snprintf(key, size, "%s-%s", CACHE_LAYOUT, base);
	else
		snprintf(key, size, "%s-%s-r%d", CACHE_LAYOUT, base, slot);
}

/* F's repositories into REPOS from the .solv cache (SLOT as cache_key's),
 * all or none. */
static bool load_cached(Pool *pool, struct repocache *cache, const unsigned char *cookie,
			const struct repofiles *f, int slot, Repo **repos)
{
	size_t n;

	for (n = 0; n < f->n; n++) {
		char key[256];

		cache_key(f->paths[n], slot, key, sizeof key);
		if (!(repos[n] = repocache_load(cache, pool, f->labels[n], key, cookie)))
			break;
	}
	if (n == f->n)
		return true;
	while (n > 0)
		repo_free(repos[--n], 1);
	return false;
}

/* F's repositories into REPOS, parsed and finished together (a build match
 * in one subdir gives provides to packages of another); stored in CACHE
 * under COOKIE when CACHE is given. */
static int load_parsed(Pool *pool, struct repocache *cache, const unsigned char *cookie,
		       const struct repofiles *f, Repo **repos, struct eco_load_stats *st,
		       struct ed_diag *d)
{
	for (size_t i = 0; i < f->n; i++) {
		/* a downloaded file is checked before the .solv cache is
		 * rebuilt from it */
		if (fetch_cached_check(f->paths[i]) == FETCH_CACHED_DAMAGED) {
			while (i > 0)
				repo_free(repos[--i], 1);
			return ed_diag_set(d, ED_EXIT_ENV, f->paths[i], 0, 0,
					   "the cached repository metadata is damaged (it no "
					   "longer matches its download)");
		}
		if (!(repos[i] = conda_load_repodata(pool, f->paths[i], f->labels[i], 0, NULL, d))) {
			while (i > 0)
				repo_free(repos[--i], 1);
			return d ? d->status : ED_EXIT_ENV;
		}
	}
	conda_finish_repos(pool, repos, f->n);
	for (size_t i = 0; cache && i < f->n; i++) {
		char key[256];

		cache_key(f->paths[i], -1, key, sizeof key);
		if (repocache_store(cache, repos[i], key, cookie))
			st->cache_writes++;
	}
	return 0;
}

/* F's repositories into REPOS where some are sharded: the shards of the
 * names O asks for and of those their packages reach, the repodata.json of
 * the others (not cached: rare, and the shards are the cache). *UNUSABLE
 * when a download again might heal a failure. */
static int load_sharded(Pool *pool, const struct eco_opts *o, const struct repofiles *f,
			Repo **repos, bool *unusable, struct ed_diag *d)
{
	struct conda_shard_src *srcs = calloc(f->nsharded, sizeof *srcs);
	char (*dirs)[CONDA_PATH_BUF] = calloc(f->nsharded, sizeof *dirs);
	struct conda_shard_walk w = {
		.pool = pool, .opts = o, .offline = o && o->offline, .srcs = srcs,
		.names = o ? o->names : NULL, .nnames = o ? o->nnames : 0,
	};
	int rc = 0;

	if (!srcs || !dirs) {
		free(srcs);
		free(dirs);
		return ed_diag_oom(d);
	}
	for (size_t i = 0; i < f->n && !rc; i++) {
		struct conda_shard_src *src = &srcs[w.nsrcs];
		char *slash;

		if (!f->sharded[i]) {
			if (!(repos[i] = conda_load_repodata(pool, f->paths[i], f->labels[i], 0, NULL,
							     d)))
				rc = d ? d->status : ED_EXIT_ENV;
			continue;
		}
		repos[i] = repo_create(pool, f->labels[i]);
		repo_add_repodata(repos[i], 0);
		/* downloaded shards are kept by hash beside their index */
		snprintf(dirs[w.nsrcs], sizeof dirs[w.nsrcs], "%s", f->paths[i]);
		if ((slash = strrchr(dirs[w.nsrcs], '/')))
			strcpy(slash, f->urls[i] ? "/shards" : "");
		*src = (struct conda_shard_src){ .label = f->labels[i], .index_path = f->paths[i],
						 .cache_dir = dirs[w.nsrcs], .url = f->urls[i],
						 .repo = repos[i] };
		w.nsrcs++;
		if (!(src->index = conda_shard_index_read(f->paths[i], d))) {
			*unusable = true;
			rc = ED_EXIT_ENV;
		}
	}
	if (!rc && (rc = conda_shards_load(&w, d)))
		*unusable = !w.offline;
	fetch_free(w.fetch);
	for (size_t i = 0; i < w.nsrcs; i++)
		conda_shard_index_free(srcs[i].index);
	free(srcs);
	free(dirs);
	if (!rc)
		conda_finish_repos(pool, repos, f->n);
	for (size_t i = f->n; rc && i > 0; i--)
		if (repos[i - 1]) {
			repo_free(repos[i - 1], 1);
			repos[i - 1] = NULL;
		}
	return rc;
}

/* F's repositories REPOS loaded: their priorities, the counts, and the
 * installed set of virtual packages with the build provides they ask. */
static void load_done(Pool *pool, const struct eco_opts *o, const struct repofiles *f,
		      Repo **repos, struct eco_load_stats *st)
{
	Repo *sys = pool->installed;

	for (size_t i = 0; i < f->n; i++) {
		repos[i]->priority = f->prio[i];
		st->solvables += (size_t)repos[i]->nsolvables;
	}
	st->repos = f->n;
	/* conda's virtual packages are installed: __glibc, __cuda ... */
	if (!sys)
		system_repo(pool, o);
	else
		conda_add_build_number_provides(pool, &sys, 1);
}

/* --- the closure of a request --- */

/* How many requests' closures are kept per repository: a request whose
 * names hash to the slot of another's replaces it. */
#define CLOSURE_SLOTS 8

static int cmp_strp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The cookie of the closure of O's names: COOKIE, the metadata's, mixed
 * with a hash of the names (sorted, without repeats) into OUT; the slot
 * it is kept in. -1 when out of memory. */
static int closure_cookie(const struct eco_opts *o, const unsigned char *cookie,
			  unsigned char *out)
{
	const char **v = malloc(o->nnames * sizeof *v);
	uint64_t h = 1469598103934665603ULL;

	if (!v)
		return -1;
	memcpy(v, o->names, o->nnames * sizeof *v);
	qsort(v, o->nnames, sizeof *v, cmp_strp);
	for (size_t i = 0; i < o->nnames; i++)
		if (!i || strcmp(v[i], v[i - 1]))
			h = (h ^ conda_hash64(v[i], strlen(v[i]) + 1)) * 1099511628211ULL;
	free(v);
	memcpy(out, cookie, REPOCACHE_COOKIE_LEN);
	for (int i = 0; i < 8; i++)
		out[i] ^= (unsigned char)(h >> (8 * i));
	return (int)(h % CLOSURE_SLOTS);
}

/* Free the solvables of the N repositories REPOS that O's names do not
 * reach through the requires of the packages of those names, as sharded
 * repodata would not load them: the closure left keeps its order, so
 * plans are the same. False when out of memory (nothing freed). */
static bool keep_closure(Pool *pool, Repo **repos, size_t n, const struct eco_opts *o)
{
	Id *first = calloc((size_t)pool->ss.nstrings, sizeof *first);
	Id *next = calloc((size_t)pool->nsolvables, sizeof *next);
	unsigned char *seen = calloc((size_t)pool->ss.nstrings, 1);
	unsigned char *keep = calloc((size_t)pool->nsolvables, 1);
	Queue todo;
	bool ok = first && next && seen && keep;

	queue_init(&todo);
	for (size_t i = 0; ok && i < n; i++) {
		Solvable *s;
		Id p;

		FOR_REPO_SOLVABLES(repos[i], p, s) {
			next[p] = first[s->name];
			first[s->name] = p;
		}
	}
	for (size_t i = 0; ok && i < o->nnames; i++) {
		Id name = pool_str2id(pool, o->names[i], 0);

		if (name && !seen[name]) {
			seen[name] = 1;
			queue_push(&todo, name);
		}
	}
	for (int t = 0; ok && t < todo.count; t++) {
		for (Id p = first[todo.elements[t]]; p; p = next[p]) {
			Solvable *s = pool->solvables + p;

			keep[p] = 1;
			for (Id *dp = s->requires ? s->repo->idarraydata + s->requires : NULL; dp && *dp;
			     dp++) {
				Id dep = *dp;

				while (ISRELDEP(dep))
					dep = GETRELDEP(pool, dep)->name;
				if (dep > 0 && dep < pool->ss.nstrings && !seen[dep]) {
					seen[dep] = 1;
					queue_push(&todo, dep);
				}
			}
		}
	}
	for (size_t i = 0; ok && i < n; i++) {
		Repo *repo = repos[i];

		for (Id p = repo->start; p < repo->end;) {
			Id q = p;

			while (q < repo->end && pool->solvables[q].repo == repo && !keep[q])
				q++;
			if (q > p)
				repo_free_solvable_block(repo, p, q - p, 0);
			p = q + 1;
		}
	}
	queue_free(&todo);
	free(first);
	free(next);
	free(seen);
	free(keep);
	return ok;
}

/* REPOS, F's repositories as loaded for O's names, narrowed to the closure
 * of those names (SHARDED: already) and kept in CACHE's closure SLOT. */
static void store_closure(Pool *pool, const struct eco_opts *o, struct repocache *cache,
			  const unsigned char *cookie, int slot, const struct repofiles *f,
			  Repo **repos, struct eco_load_stats *st)
{
	if (!f->nsharded && !keep_closure(pool, repos, f->n, o))
		return;
	for (size_t i = 0; i < f->n; i++) {
		char key[256];

		cache_key(f->paths[i], slot, key, sizeof key);
		if (repocache_store(cache, repos[i], key, cookie))
			st->cache_writes++;
	}
}

/* Whether one of the NCH channels CH is downloaded (not a directory). */
static bool any_remote(const struct conda_channel *ch, size_t nch)
{
	for (size_t i = 0; i < nch; i++)
		if (ch[i].url)
			return true;
	return false;
}

/* The repositories of the NCH channels CH for SUBDIR: F filled, then read
 * from the .solv cache or parsed into REPOS; *UNUSABLE when a cached file
 * was damaged or did not parse. */
static int load_channels(Pool *pool, const struct eco_opts *o, const struct conda_channel *ch,
			 size_t nch, const char *subdir, struct repofiles *f, Repo **repos,
			 struct eco_load_stats *st, bool *unusable, struct ed_diag *d)
{
	struct repocache *cache = NULL;
	unsigned char cookie[REPOCACHE_COOKIE_LEN], closure[REPOCACHE_COOKIE_LEN];
	bool cookie_ok = false;
	int rc, slot = -1;

	if ((rc = find_files(o, ch, nch, subdir, f, st, d)))
		return rc;
	if (!(o && o->no_cache))
		cache = repocache_new(o ? o->cache_dir : NULL, "conda");
	/* one cookie over every file: a build match in one subdir can give
	 * provides to packages of another */
	if (cache)
		cookie_ok = repocache_cookie_files((const char *const *)f->paths, f->n, cookie);
	/* a request's names: the packages they reach, as kept for the same
	 * names before (a warm plan reads a third of a channel like
	 * conda-forge's) */
	if (cookie_ok && o && o->names && o->nnames)
		slot = closure_cookie(o, cookie, closure);
	if (slot >= 0 && load_cached(pool, cache, closure, f, slot, repos)) {
		st->cache_hits = f->n;
		repocache_free(cache);
		return 0;
	}
	if (f->nsharded)
		rc = load_sharded(pool, o, f, repos, unusable, d);
	else if (cookie_ok && load_cached(pool, cache, cookie, f, -1, repos))
		st->cache_hits = f->n;
	else
		*unusable = (rc = load_parsed(pool, cookie_ok ? cache : NULL, cookie, f, repos, st,
					      d)) != 0;
	if (!rc && slot >= 0)
		store_closure(pool, o, cache, closure, slot, f, repos, st);
	repocache_free(cache);
	return rc;
}

static bool active_prefix(const struct eco_opts *o, char *path, size_t size);

/* O's names and, on this machine, those of the packages installed in the
 * active environment (conda-meta/NAME-VERSION-BUILD.json), which a plan
 * may have to update too, as conda's sharded loads start from both. */
static bool names_with_installed(const struct eco_opts *o, char ***names, size_t *n)
{
	char prefix[CONDA_PATH_BUF], dir[CONDA_PATH_BUF + 16];
	struct dirent *e;
	DIR *dp;
	bool ok = true;

	for (size_t i = 0; i < o->nnames; i++)
		if (!util_strv_push(names, n, o->names[i]))
			return false;
	if (!o->host || !active_prefix(o, prefix, sizeof prefix))
		return true;
	snprintf(dir, sizeof dir, "%s/conda-meta", prefix);
	if (!(dp = opendir(dir)))
		return true;
	while (ok && (e = readdir(dp))) {
		size_t len = strlen(e->d_name);
		char name[256], *dash;

		if (len <= 5 || len - 5 >= sizeof name || e->d_name[0] == '.' ||
		    strcmp(e->d_name + len - 5, ".json"))
			continue;
		snprintf(name, sizeof name, "%.*s", (int)(len - 5), e->d_name);
		for (int k = 0; k < 2 && (dash = strrchr(name, '-')); k++)
			*dash = '\0';
		if (dash && name[0])
			ok = util_strv_push(names, n, name);
	}
	closedir(dp);
	return ok;
}

static int conda_load_available(Pool *pool, const struct eco_opts *o, struct eco_load_stats *st,
				struct ed_diag *d)
{
	const char *subdir = known_subdir(o, d);
	struct eco_load_stats local;
	struct eco_opts with;
	struct conda_channel *ch = NULL;
	struct repofiles f = { 0 };
	Repo **repos = NULL;
	char **names = NULL;
	size_t nch = 0, nnames = 0;
	bool unusable = false;
	int rc;

	if (!st)
		st = &local;
	memset(st, 0, sizeof *st);
	if (!subdir)
		return ED_EXIT_ENV;
	if (o && o->names) {
		if (!names_with_installed(o, &names, &nnames)) {
			util_strv_free(names, nnames);
			return ed_diag_oom(d);
		}
		with = *o;
		with.names = (const char *const *)names;
		with.nnames = nnames;
		o = &with;
	}
	if ((rc = conda_channels_resolve(o, &ch, &nch, d))) {
		util_strv_free(names, nnames);
		return rc;
	}
	repos = calloc(2 * nch, sizeof *repos);
	if (!repofiles_init(&f, 2 * nch) || !repos) {
		rc = ed_diag_oom(d);
		goto out;
	}
	rc = load_channels(pool, o, ch, nch, subdir, &f, repos, st, &unusable, d);
	/* damaged metadata heals: downloaded again, unless --offline */
	if (rc && unusable && any_remote(ch, nch) && !(o && o->offline)) {
		ed_diag_clear(d);
		repofiles_fini(&f);
		memset(st, 0, sizeof *st);
		if (!repofiles_init(&f, 2 * nch))
			rc = ed_diag_oom(d);
		else if (!(rc = conda_update(o, NULL, d)))
			rc = load_channels(pool, o, ch, nch, subdir, &f, repos, st, &unusable, d);
	}
	if (rc && unusable && o && o->offline)
		eco_diag_add_update_hint(d, o, NULL);
	if (!rc)
		load_done(pool, o, &f, repos, st);
out:
	repofiles_fini(&f);
	free(repos);
	conda_channels_free(ch, nch);
	util_strv_free(names, nnames);
	return rc;
}

/* The active environment ($CONDA_PREFIX) under O's root into PATH; false
 * when none is active. */
static bool active_prefix(const struct eco_opts *o, char *path, size_t size)
{
	const char *prefix = getenv("CONDA_PREFIX");

	return prefix && *prefix && util_root_path(eco_root(o), prefix, path, size);
}

static bool conda_has_db(const struct eco_opts *o)
{
	char path[CONDA_PATH_BUF], meta[CONDA_PATH_BUF + 16];
	struct stat st;

	if (!active_prefix(o, path, sizeof path))
		return false;
	snprintf(meta, sizeof meta, "%s/conda-meta", path);
	return !stat(meta, &st) && S_ISDIR(st.st_mode);
}

static int conda_open_db(const struct eco_opts *o, struct installed **out, struct ed_diag *d)
{
	char path[CONDA_PATH_BUF];

	*out = NULL;
	if (!conda_has_db(o) || !active_prefix(o, path, sizeof path))
		return 0;
	*out = installed_open_conda(path, d);
	return *out ? 0 : d->status ? (int)d->status : ED_EXIT_ENV;
}

static int conda_load_installed(Pool *pool, const struct eco_opts *o, Repo **out,
				struct ed_diag *d)
{
	const char *prefix = getenv("CONDA_PREFIX");
	Repo *repo = system_repo(pool, o);
	int rc = 0;

	if (out)
		*out = NULL;
	if (prefix && *prefix) {
		char path[CONDA_PATH_BUF];

		if (!active_prefix(o, path, sizeof path))
			return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "prefix path too long");
		rc = conda_load_prefix(repo, path, d);
		if (rc)
			return rc;
		repo_internalize(repo);
		conda_add_build_number_provides(pool, &repo, 1);
	}
	if (out)
		*out = repo;
	return 0;
}

/* --- install --- */

/* What may reach an installer's argv: a match spec in conda's characters,
 * not starting like an option. */
static bool valid_install_spec(const char *spec)
{
	size_t len = strlen(spec);
	Pool *pool;
	bool ok;

	if (!len || len > 256 || !(isalnum((unsigned char)spec[0]) || spec[0] == '_'))
		return false;
	for (const char *p = spec; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("._-*=<>!,|+ ", *p))
			return false;
	/* read as the plan reads it: a scratch pool of conda's kind */
	if (!(pool = pool_create()))
		return false;
	pool_setdisttype(pool, DISTTYPE_CONDA);
	ok = conda_dep_from_spec(pool, spec, NULL) != 0;
	pool_free(pool);
	return ok;
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
			char file[CONDA_PATH_BUF];

			if (len && snprintf(file, sizeof file, "%.*s/%s", (int)len, p, tools[i]) <
					   (int)sizeof file &&
			    access(file, X_OK) == 0)
				return tools[i];
			p += len + (colon ? 1 : 0);
		}
	}
	return "conda";
}

/* "--override-channels -c CHANNEL...": the channels the plan was made
 * with, in its order, and no others; appended to *WORDS. */
static int push_channels(const struct eco_opts *o, char ***words, size_t *n, struct ed_diag *d)
{
	struct conda_channel *ch = NULL;
	size_t nch = 0;
	bool ok;
	int rc;

	if ((rc = conda_channels_resolve(o, &ch, &nch, d)))
		return rc;
	ok = util_strv_push(words, n, "--override-channels");
	for (size_t i = 0; ok && i < nch; i++) {
		const char *where = ch[i].dir;

		/* a name as given, unless --mirror moved it */
		if (ch[i].url)
			where = !(o && o->mirror) && conda_channel_name_valid(ch[i].name) ? ch[i].name
											   : ch[i].url;
		ok = util_strv_push(words, n, "-c") && util_strv_push(words, n, where);
	}
	conda_channels_free(ch, nch);
	return ok ? 0 : ed_diag_oom(d);
}

/* The installer's words before the specs, NULL-terminated, into *WORDS
 * (pixi takes the channels from its manifest). */
static int install_words(const struct eco_opts *o, unsigned flags, char ***words, size_t *n,
			 struct ed_diag *d)
{
	const char *tool = find_installer();
	bool pixi = !strcmp(tool, "pixi");
	size_t cap;
	bool ok;
	int rc;

	ok = util_strv_push(words, n, tool) && util_strv_push(words, n, pixi ? "add" : "install");
	if (ok && !pixi && (flags & ECO_INSTALL_YES))
		ok = util_strv_push(words, n, "-y");
	if (ok && !pixi && (rc = push_channels(o, words, n, d)))
		return rc;
	if (ok && (flags & ECO_INSTALL_SIMULATE))
		ok = util_strv_push(words, n, pixi ? "--no-install" : "--dry-run");
	cap = *n;
	if (!ok || !ALLOC_GROW(*words, *n + 1, cap))
		return ed_diag_oom(d);
	(*words)[*n] = NULL;
	return 0;
}

static char **conda_install_argv(const struct eco_opts *o, const char *const *specs, size_t n,
				 unsigned flags, struct ed_diag *d)
{
	char **words = NULL, **argv = NULL;
	size_t nwords = 0;

	if (!n) {
		ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0, "no packages to install");
		return NULL;
	}
	if (!install_words(o, flags, &words, &nwords, d))
		argv = eco_argv_new((const char *const *)words, specs, n, valid_install_spec,
				    "conda package spec", NULL, d);
	util_strv_free(words, nwords);
	return argv;
}

static bool conda_install_needs_root(const struct eco_opts *o)
{
	(void)o; /* conda installs into a user's prefix */
	return false;
}

/* --- update --- */

static int conda_update(const struct eco_opts *o, struct eco_update_stats *st, struct ed_diag *d)
{
	const char *subdir = known_subdir(o, d);
	struct fetch_opts fo;
	struct eco_update_stats local;
	struct conda_channel *ch = NULL;
	struct fetch *f = NULL;
	size_t nch = 0;
	int rc;

	if (!st)
		st = &local;
	memset(st, 0, sizeof *st);
	eco_fetch_opts(o, &fo);
	if (!subdir)
		return ED_EXIT_ENV;
	if (!valid_subdir(subdir) || !strcmp(subdir, "noarch"))
		return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0, "'%s' is not a conda platform",
				   subdir);
	if ((rc = conda_channels_resolve(o, &ch, &nch, d)))
		return rc;
	for (size_t i = 0; i < nch && !rc; i++) {
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
		rc = conda_channel_update(f, o, &ch[i], subdir, st, d);
	}
	fetch_free(f);
	conda_channels_free(ch, nch);
	return rc;
}

/* The subdir P came from: its repository is named "CHANNEL/SUBDIR". The
 * installed packages and the virtual ones have none. */
static const char *conda_solvable_arch(Pool *pool, Id p)
{
	const Repo *repo = pool->solvables[p].repo;
	const char *slash = repo && repo != pool->installed && repo->name ?
				    strrchr(repo->name, '/') : NULL;

	return slash && slash[1] ? slash + 1 : NULL;
}

static const char *const conda_ecosystems[] = { "conda-forge", NULL };

const struct eco_ops eco_conda = {
	.name = "conda",
	.database = "conda-meta",
	.scope = ECO_USER,
	.arch_scheme = ARCH_MACHINE,
	.wants_cuda_driver = true,
	.disttype = DISTTYPE_CONDA,
	.version_rules = "conda",
	.pool_setup = conda_pool_setup,
	.load_available = conda_load_available,
	.load_installed = conda_load_installed,
	.install_argv = conda_install_argv,
	.install_needs_root = conda_install_needs_root,
	.open_db = conda_open_db,
	.has_db = conda_has_db,
	.ecosystems = conda_ecosystems,
	.markers = conda_markers,
	.update = conda_update,
	.dep = conda_dep,
	.solvable_arch = conda_solvable_arch,
	.prune_builds = 16,
};
