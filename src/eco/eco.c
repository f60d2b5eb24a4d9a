/* eco.c - helpers the ecosystem backends share. */
#include "extdeps/eco/eco.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <solv/pool.h>
#include <solv/poolid.h>

#include "extdeps/net/fetch.h"
#include "extdeps/net/repocache.h"
#include "extdeps/util/lockfile.h"
#include "extdeps/util/strbuf.h"
#include "extdeps/util/util.h"

int eco_set_disttype(Pool *pool, const struct eco_ops *ops, struct ed_diag *d)
{
	if (pool_setdisttype(pool, ops->disttype) < 0)
		return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0,
				   "this libsolv cannot compare versions by %s's rules",
				   ops->version_rules);
	return 0;
}

int eco_installed_done(Pool *pool, Repo *repo, Repo **out)
{
	if (!repo)
		repo = repo_create(pool, "@System");
	pool_set_installed(pool, repo);
	if (out)
		*out = repo;
	return 0;
}

void eco_argv_free(char **argv)
{
	if (!argv)
		return;
	for (char **a = argv; *a; a++)
		free(*a);
	free(argv);
}

const char *eco_root(const struct eco_opts *o)
{
	const char *env;

	if (o && o->root && *o->root)
		return o->root;
	env = getenv("EXTDEPS_ROOT");
	return env && *env ? env : "/";
}

size_t eco_pool_count_name(Pool *pool, const char *name)
{
	Id id, p, pp;
	size_t count = 0;

	/* create=0: a name no repository mentions has no id, hence no package */
	if (!name || !(id = pool_str2id(pool, name, 0)))
		return 0;
	if (!pool->whatprovides)
		pool_createwhatprovides(pool);
	FOR_PROVIDES(p, pp, id)
	{
		Solvable *s = pool->solvables + p;

		/* whatprovides also lists packages that only Provide the name */
		if (s->name == id && s->repo && s->repo != pool->installed)
			count++;
	}
	return count;
}

bool eco_pool_has_name(Pool *pool, const char *name)
{
	return eco_pool_count_name(pool, name) > 0;
}

/* --- helpers the backends share --- */

#define PATH_BUF 4096

char **eco_argv_new(const char *const *prefix, const char *const *specs, size_t n,
		    bool (*valid)(const char *spec), const char *what, const char *spec_prefix,
		    struct ed_diag *d)
{
	char **argv = NULL, **v;
	size_t argc = 0;

	if (!n) {
		ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0, "nothing to install");
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		if (!specs[i] || !valid(specs[i])) {
			ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0, "'%s' is not a valid %s",
				    specs[i] ? specs[i] : "", what);
			return NULL;
		}
	for (const char *const *w = prefix; *w; w++)
		if (!util_strv_push(&argv, &argc, *w))
			goto fail;
	for (size_t i = 0; i < n; i++) {
		char word[512];

		/* valid() bounds a spec well under the buffer */
		snprintf(word, sizeof word, "%s%s", spec_prefix ? spec_prefix : "", specs[i]);
		if (!util_strv_push(&argv, &argc, word))
			goto fail;
	}
	if (!(v = realloc(argv, (argc + 1) * sizeof *v)))
		goto fail;
	v[argc] = NULL;
	return v;
fail:
	util_strv_free(argv, argc);
	ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "out of memory");
	return NULL;
}

/* BASE (without trailing '/') then PATH into OUT; a BASE the user gave
 * (WHAT names it in messages: "--mirror") must be an http(s) or file URL. */
static int url_join(const char *base, const char *what, bool given, const char *path,
		    char *out, size_t size, struct ed_diag *d)
{
	size_t bl;
	int n;

	if (given && strncmp(base, "https://", 8) && strncmp(base, "http://", 7) &&
	    strncmp(base, "file:///", 8))
		return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0,
				   "%s '%s' is not an http(s) or file URL", what, base);
	bl = strlen(base);
	while (bl > 0 && base[bl - 1] == '/')
		bl--;
	n = snprintf(out, size, "%.*s%s", (int)bl, base, path);
	if (n < 0 || (size_t)n >= size)
		return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0, "%s '%s' is too long", what, base);
	return 0;
}

int eco_mirror_url(const struct eco_opts *o, const char *default_base, const char *path,
		   char *out, size_t size, struct ed_diag *d)
{
	const char *mirror = o ? o->mirror : NULL;

	return url_join(mirror ? mirror : default_base, "--mirror", mirror != NULL, path, out,
			size, d);
}

int eco_repo_check_id(const struct eco_repo *r, struct ed_diag *d)
{
	size_t n = strlen(r->id);

	if (!n || n > 63 || strspn(r->id, "abcdefghijklmnopqrstuvwxyz0123456789-") != n)
		return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0, "'%s' is not a repository id",
				   r->id);
	return 0;
}

int eco_repo_url(const struct eco_repo *r, const char *path, char *out, size_t size,
		 struct ed_diag *d)
{
	char what[96];

	if (!r->url)
		return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0, "%s has no URL", r->id);
	snprintf(what, sizeof what, "the URL of %s", r->id);
	return url_join(r->url, what, true, path, out, size, d);
}

/* Append " --NAME=VALUE", VALUE quoted for the shell where it must be. */
static void add_option(struct strbuf *sb, const char *name, const char *value)
{
	if (!value)
		return;
	strbuf_addf(sb, " --%s=", name);
	strbuf_add_sh_word(sb, value);
}

void eco_update_command(const struct eco_opts *o, const struct eco_repo *extra, char *out,
			size_t size)
{
	struct strbuf sb = STRBUF_INIT;
	const char *cmd;
	char q;

	strbuf_addstr(&sb, "extdeps update");
	if (o && (!o->host || o->named) && o->distro) {
		char distro[160];

		snprintf(distro, sizeof distro, "%s%s%s", o->distro, o->release ? ":" : "",
			 o->release ? o->release : "");
		add_option(&sb, "distro", distro);
	}
	if (o) {
		add_option(&sb, "arch", o->arch);
		add_option(&sb, "platform", o->platform);
		add_option(&sb, "mirror", o->mirror);
		for (size_t i = 0; i < o->nchannels; i++)
			add_option(&sb, "channel", o->channels[i]);
	}
	if (extra) {
		bool own_url = extra->home_url && extra->url && strcmp(extra->url, extra->home_url);
		struct strbuf v = STRBUF_INIT;

		strbuf_addf(&v, "%s%s%s", extra->id, own_url ? "=" : "", own_url ? extra->url : "");
		add_option(&sb, "enable-repo", strbuf_str(&v));
		sb.oom |= v.oom;
		strbuf_release(&v);
	}
	/* in a message's own quotes: double ones where the command has single */
	cmd = sb.oom ? "extdeps update" : strbuf_str(&sb);
	q = strchr(cmd, '\'') ? '"' : '\'';
	if (size)
		snprintf(out, size, "%c%s%c", q, cmd, q);
	strbuf_release(&sb);
}

void eco_diag_add_update_hint(struct ed_diag *d, const struct eco_opts *o,
			      const struct eco_repo *extra)
{
	struct ed_diag why;
	char hint[2048];

	if (!d)
		return;
	why = *d;
	eco_update_command(o, extra, hint, sizeof hint);
	ed_diag_set(d, ED_EXIT_ENV, why.file, why.line, why.col, "%s; run %s", why.msg, hint);
}

#define DEFAULT_TIMEOUT_S 600

long eco_timeout_s(const struct eco_opts *o)
{
	return o && o->timeout_s > 0 ? o->timeout_s : DEFAULT_TIMEOUT_S;
}

void eco_fetch_opts(const struct eco_opts *o, struct fetch_opts *fo)
{
	memset(fo, 0, sizeof *fo);
	fo->progress = o && o->progress;
	fo->done = o ? o->fetched : NULL;
	fo->done_ud = o ? o->fetched_ud : NULL;
	fo->timeout_s = eco_timeout_s(o);
	fo->min_rate = o ? o->min_rate : 0;
}

void eco_lock_opts(const struct eco_opts *o, bool shared, struct lockfile_opts *lo)
{
	memset(lo, 0, sizeof *lo);
	lo->timeout_ms = eco_timeout_s(o) * 1000;
	lo->shared = shared;
	if (o) {
		lo->holder = o->lock_holder;
		lo->waiting = o->lock_waiting;
		lo->waiting_ud = o->lock_waiting_ud;
	}
}

void eco_update_count(struct eco_update_stats *st, const struct fetch_result *r)
{
	if (!st)
		return;
	st->files++;
	st->bytes += r->bytes;
	if (r->outcome == FETCH_DOWNLOADED)
		st->downloaded++;
	else
		st->unchanged++;
}

static struct repocache *file_cache(const struct eco_opts *o, const struct eco_file_target *t,
				    struct ed_diag *d)
{
	struct repocache *c = repocache_new(o ? o->cache_dir : NULL, t->subdir);

	if (!c)
		ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0,
			    "no usable cache directory for '%s' (set XDG_CACHE_HOME)", t->subdir);
	return c;
}

/* fetch_expect.check: the download parses, into a pool of its own. */
static int check_parses(const char *path, void *ud, struct ed_diag *d)
{
	const struct eco_file_target *t = ud;
	Pool *pool = pool_create();
	Repo *repo;

	if (!pool)
		return ed_diag_oom(d);
	repo = t->parse(pool, path, t->label, t->ud, d);
	pool_free(pool);
	return repo ? 0 : ED_EXIT_ENV;
}

int eco_file_update(const struct eco_opts *o, const struct eco_file_target *t,
		    struct eco_update_stats *st, struct ed_diag *d)
{
	struct fetch_expect exp = { .label = t->progress, .max_size = t->max_size, .head = t->head,
				    .check = check_parses, .check_ud = (void *)t };
	struct fetch_opts fo;
	struct lockfile_opts lo;
	struct fetch_result r = { 0 };
	struct lockfile lk = LOCKFILE_INIT;
	struct repocache *cache;
	struct fetch *f = NULL;
	char path[PATH_BUF];
	int rc;

	if (!(cache = file_cache(o, t, d)))
		return ED_EXIT_ENV;
	snprintf(path, sizeof path, "%s/%s", repocache_dir(cache), t->name);
	eco_fetch_opts(o, &fo);
	eco_lock_opts(o, false, &lo);
	if ((rc = lockfile_lock_dir(&lk, repocache_dir(cache), &lo, d)))
		goto out;
	lockfile_sweep(repocache_dir(cache));
	if (!(f = fetch_new(&fo, d))) {
		rc = d->status;
		goto out;
	}
	if (!(rc = fetch_file(f, t->url, path, &exp, &r, d)))
		eco_update_count(st, &r);
out:
	fetch_free(f);
	lockfile_unlock(&lk);
	repocache_free(cache);
	return rc;
}

/* T's cached file at PATH parsed into POOL, when it is still the file that
 * was downloaded: NULL with D filled when it is damaged or does not parse. */
static Repo *parse_cached(Pool *pool, const struct eco_file_target *t, const char *path,
			  struct ed_diag *d)
{
	if (fetch_cached_check(path) == FETCH_CACHED_DAMAGED) {
		ed_diag_set(d, ED_EXIT_ENV, path, 0, 0,
			    "the cached %s is damaged (it no longer matches its download)",
			    t->what);
		return NULL;
	}
	return t->parse(pool, path, t->label, t->ud, d);
}

int eco_file_load(Pool *pool, const struct eco_opts *o, const struct eco_file_target *t,
		  int (*update)(const struct eco_opts *o, struct eco_update_stats *st,
				struct ed_diag *d),
		  struct eco_load_stats *st, struct ed_diag *d)
{
	struct eco_load_stats local;
	unsigned char cookie[REPOCACHE_COOKIE_LEN];
	struct repocache *cache;
	char path[PATH_BUF], hint[2048];
	const char *paths[1] = { path };
	bool cookie_ok;
	Repo *repo = NULL;
	int rc = 0;

	if (!st)
		st = &local;
	memset(st, 0, sizeof *st);
	if (!(cache = file_cache(o, t, d)))
		return ED_EXIT_ENV;
	snprintf(path, sizeof path, "%s/%s", repocache_dir(cache), t->name);
	if (access(path, F_OK) != 0) {
		if (o && o->offline) {
			eco_update_command(o, NULL, hint, sizeof hint);
			rc = ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0,
					 "no %s in the cache '%s' and --offline forbids "
					 "downloading it; run %s", t->what,
					 repocache_dir(cache), hint);
			goto out;
		}
		if ((rc = update(o, NULL, d)))
			goto out;
	}
	cookie_ok = !(o && o->no_cache) && repocache_cookie_files(paths, 1, cookie);
	if (cookie_ok && (repo = repocache_load(cache, pool, t->label, t->key, cookie)))
		st->cache_hits = 1;
	/* The .solv cache is rebuilt from the file only once the file is
	 * checked: a damaged one is downloaded again, unless --offline. */
	if (!repo && !(repo = parse_cached(pool, t, path, d))) {
		if (o && o->offline) {
			eco_diag_add_update_hint(d, o, NULL);
			rc = ED_EXIT_ENV;
			goto out;
		}
		ed_diag_clear(d);
		if ((rc = update(o, NULL, d)))
			goto out;
		cookie_ok = cookie_ok && repocache_cookie_files(paths, 1, cookie);
		if (!(repo = parse_cached(pool, t, path, d))) {
			rc = d && d->status ? d->status : ED_EXIT_ENV;
			goto out;
		}
	}
	if (!st->cache_hits && cookie_ok && repocache_store(cache, repo, t->key, cookie))
		st->cache_writes = 1;
	st->repos = 1;
	st->solvables = (size_t)repo->nsolvables;
out:
	repocache_free(cache);
	return rc;
}
