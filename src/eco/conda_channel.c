/* conda_channel.c - conda channels: what a name means, where its metadata
 * is kept, and its download (conda_int.h). */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "extdeps/net/fetch.h"
#include "extdeps/util/lockfile.h"
#include "extdeps/util/strbuf.h"
#include "extdeps/util/util.h"
#include "extdeps/util/jsonstream.h"
#include "conda_int.h"

#define DEFAULT_CHANNEL "conda-forge"
#define CHANNEL_ALIAS "https://conda.anaconda.org"

void conda_channels_free(struct conda_channel *c, size_t n)
{
	for (size_t i = 0; c && i < n; i++) {
		free(c[i].name);
		free(c[i].url);
		free(c[i].dir);
	}
	free(c);
}

bool conda_channel_name_valid(const char *s)
{
	if (!*s || strlen(s) > 200 || *s == '-' || *s == '.')
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("-_./", *s))
			return false;
	return true;
}

/* "A/B", malloc'd; NULL when out of memory. */
static char *path_join(const char *a, const char *b)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "%s/%s", a, b);
	return strbuf_detach(&sb);
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

/* C->url's cache directory: CACHE/HASH, the URL without trailing '/'. */
static int cache_dir(const struct eco_opts *o, struct conda_channel *c, struct ed_diag *d)
{
	char base[CONDA_PATH_BUF], hex[17];
	size_t len;

	if (!c->url || !cache_base(o, base, sizeof base))
		return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0,
				   "no cache directory: set XDG_CACHE_HOME or HOME");
	len = strlen(c->url);
	while (len > 1 && c->url[len - 1] == '/')
		c->url[--len] = '\0';
	snprintf(hex, sizeof hex, "%016llx", (unsigned long long)conda_hash64(c->url, len));
	c->dir = path_join(base, hex);
	return 0;
}

/* Channel NM ("conda-forge", a URL, a directory) into C. */
static int channel_resolve(const struct eco_opts *o, const char *nm, struct conda_channel *c,
			   struct ed_diag *d)
{
	const char *alias = o && o->mirror && *o->mirror ? o->mirror : CHANNEL_ALIAS;
	int rc;

	if (!nm || !*nm)
		return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0, "empty channel name");
	c->name = util_strdup(nm);
	if (!strncmp(nm, "file://", 7) || nm[0] == '/') {
		c->dir = util_strdup(nm[0] == '/' ? nm : nm + 7);
	} else {
		if (!strncmp(nm, "https://", 8) || !strncmp(nm, "http://", 7))
			c->url = util_strdup(nm);
		else if (!conda_channel_name_valid(nm))
			return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0,
					   "'%s' is not a channel name, URL or directory", nm);
		else if (strncmp(alias, "https://", 8) && strncmp(alias, "http://", 7))
			return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0,
					   "'%s' is not an http(s) URL", alias);
		else
			c->url = path_join(alias, nm);
		if ((rc = cache_dir(o, c, d)))
			return rc;
	}
	return c->name && c->dir ? 0 : ed_diag_oom(d);
}

int conda_channels_resolve(const struct eco_opts *o, struct conda_channel **out, size_t *nout,
			   struct ed_diag *d)
{
	static const char *const fallback[] = { DEFAULT_CHANNEL };
	const char *const *names = o && o->nchannels ? o->channels : fallback;
	size_t n = o && o->nchannels ? o->nchannels : 1;
	struct conda_channel *c = calloc(n, sizeof *c);
	int rc = 0;

	if (!c)
		return ed_diag_oom(d);
	for (size_t i = 0; i < n && !rc; i++)
		rc = channel_resolve(o, names[i], &c[i], d);
	if (rc) {
		conda_channels_free(c, n);
		return rc;
	}
	*out = c;
	*nout = n;
	return 0;
}

bool conda_find_repodata(const char *dir, const char *subdir, char *out, size_t size)
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

/* --- downloads --- */

/* mkdir -p PATH (0755). */
static bool mkdirs(const char *path)
{
	char buf[CONDA_PATH_BUF];
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

/* fetch_expect.check: a download (PATH, to become UD's name) reads as
 * repodata whole, so that garbage or a truncated document never replaces a
 * good copy. */
static int check_repodata(const char *path, void *ud, struct ed_diag *d)
{
	return conda_check_repodata(path, ud, d);
}

/* fetch_expect.head of repodata.json.zst and of a shard index: a zstd
 * frame (or a skippable one) begins it. */
static int head_zstd(const unsigned char *buf, size_t len, struct ed_diag *d)
{
	static const unsigned char magic[4] = { 0x28, 0xb5, 0x2f, 0xfd };

	if (len >= 4 && (!memcmp(buf, magic, 4) ||
			 ((buf[0] & 0xf0) == 0x50 && buf[1] == 0x2a && buf[2] == 0x4d && buf[3] == 0x18)))
		return 0;
	return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "not zstd data: no zstd frame begins it");
}

/* Remove DIR/NAME and the ETag file fetch.h keeps beside it. */
static void remove_cached(const char *dir, const char *name)
{
	char path[CONDA_PATH_BUF + 64];

	snprintf(path, sizeof path, "%s/%s", dir, name);
	unlink(path);
	strcat(path, ".meta");
	unlink(path);
}

/* The shards kept in DIR/shards that the index just downloaded to INDEX no
 * longer names: they would only grow the cache. A plan reading the old
 * index at this moment fetches again what it then lacks. */
static void expire_shards(const char *dir, const char *index)
{
	char shards[CONDA_PATH_BUF + 16];
	struct ed_diag ignored;
	struct conda_shard_index *x = conda_shard_index_read(index, &ignored);

	snprintf(shards, sizeof shards, "%s/shards", dir);
	if (x)
		conda_shards_expire(shards, x);
	conda_shard_index_free(x);
}

/* Fetch CHANNEL's SUBDIR shard index (CEP 16) into DIR, checked before it
 * replaces the cached copy; the shards are fetched as loads reach their
 * names. ED_EXIT_UNMET when the server has none (404): the cached index
 * goes, and repodata.json is fetched instead. */
static int update_shards(struct fetch *f, const struct conda_channel *ch, const char *subdir,
			 const char *dir, struct eco_update_stats *st, struct ed_diag *d)
{
	char url[CONDA_PATH_BUF], dest[CONDA_PATH_BUF + 64];
	struct fetch_expect exp = { .max_size = CONDA_SHARDS_INDEX_MAX, .head = head_zstd,
				    .check = conda_check_shard_index };
	struct fetch_result res = { 0 };
	struct ed_diag local;

	snprintf(url, sizeof url, "%s/%s/" CONDA_SHARDS_INDEX, ch->url, subdir);
	snprintf(dest, sizeof dest, "%s/" CONDA_SHARDS_INDEX, dir);
	ed_diag_clear(&local);
	if (fetch_file(f, url, dest, &exp, &res, &local)) {
		if (res.http_status == 404 || res.http_status == 403) {
			remove_cached(dir, CONDA_SHARDS_INDEX);
			return ED_EXIT_UNMET;
		}
		if (d)
			*d = local;
		return ED_EXIT_ENV;
	}
	eco_update_count(st, &res);
	remove_cached(dir, "repodata.json");
	remove_cached(dir, "repodata.json.zst");
	if (res.outcome == FETCH_DOWNLOADED)
		expire_shards(dir, dest);
	return 0;
}

/* Fetch CHANNEL's SUBDIR metadata: repodata.json.zst where the server has
 * it (a quarter of the transfer), else repodata.json, each checked before
 * it replaces the cached copy; the other name is removed so that the loader
 * never reads a stale copy. *ABSENT: the server has neither (404). */
static int update_subdir(struct fetch *f, const struct conda_channel *ch, const char *subdir,
			 bool *absent, struct eco_update_stats *st, struct ed_diag *d)
{
	static const char *const names[] = { "repodata.json.zst", "repodata.json" };
	char dir[CONDA_PATH_BUF];

	*absent = false;
	if (snprintf(dir, sizeof dir, "%s/%s", ch->dir, subdir) >= (int)sizeof dir || !mkdirs(dir))
		return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "cannot create '%s': %s", dir,
				   strerror(errno));
	lockfile_sweep(dir);
	switch (update_shards(f, ch, subdir, dir, st, d)) {
	case 0:
		return 0;
	case ED_EXIT_UNMET:
		break; /* no shards: repodata.json */
	default:
		return ED_EXIT_ENV;
	}
	for (size_t i = 0; i < 2; i++) {
		char url[CONDA_PATH_BUF], dest[CONDA_PATH_BUF + 32], other[CONDA_PATH_BUF + 40];
		struct fetch_expect exp = { .max_size = i ? CONDA_REPODATA_MAX : CONDA_REPODATA_ZST_MAX,
					    .head = i ? jsonstream_head_plain : head_zstd,
					    .check = check_repodata };
		struct fetch_result res = { 0 };
		struct ed_diag local;

		snprintf(url, sizeof url, "%s/%s/%s", ch->url, subdir, names[i]);
		snprintf(dest, sizeof dest, "%s/%s", dir, names[i]);
		exp.check_ud = dest;
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

int conda_channel_update(struct fetch *f, const struct eco_opts *o, const struct conda_channel *ch,
			 const char *subdir, struct eco_update_stats *st, struct ed_diag *d)
{
	const char *subdirs[2] = { subdir, "noarch" };
	struct lockfile lock = LOCKFILE_INIT;
	struct lockfile_opts lo;
	int rc;

	if (!mkdirs(ch->dir))
		return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "cannot create '%s': %s", ch->dir,
				   strerror(errno));
	eco_lock_opts(o, false, &lo);
	if ((rc = lockfile_lock_dir(&lock, ch->dir, &lo, d)))
		return rc;
	lockfile_sweep(ch->dir);
	for (int k = 0; k < 2 && !rc; k++) {
		bool absent;

		rc = update_subdir(f, ch, subdirs[k], &absent, st, d);
		/* a channel without noarch is valid; without the platform not */
		if (!rc && absent && k == 0)
			rc = ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0,
					 "channel '%s' has no %s metadata (%s/%s/repodata.json: 404)",
					 ch->name, subdir, ch->url, subdir);
	}
	lockfile_unlock(&lock);
	return rc;
}
