/* repocache.c - libsolv repositories cached as .solv files. */
#include "extdeps/net/repocache.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <solv/chksum.h>
#include <solv/knownid.h>
#include <solv/repo_solv.h>
#include <solv/repo_write.h>
#include <solv/solvversion.h>
#include <solv/util.h>

#include "extdeps/util/lockfile.h"
#include "extdeps/util/strbuf.h"
#include "extdeps/util/util.h"

/* The userdata of an entry: this magic, then the cookie. A new layout of
 * what extdeps stores in a repository changes the magic. */
/* extdeps2: the documentation and download-location keys are left out */
#define MAGIC "extdeps2"
#define MAGIC_LEN 8
#define USERDATA_LEN (MAGIC_LEN + REPOCACHE_COOKIE_LEN)

struct repocache {
	char *dir;
};

/* mkdir -p PATH (mode 0755); true when PATH is a directory afterwards. */
static bool mkdirs(char *path)
{
	struct stat st;

	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0755) != 0 && errno != EEXIST) {
			*p = '/';
			return false;
		}
		*p = '/';
	}
	if (mkdir(path, 0755) != 0 && errno != EEXIST)
		return false;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

struct repocache *repocache_new(const char *dir, const char *subdir)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	struct strbuf sb = STRBUF_INIT;
	struct repocache *c;
	char *path;

	if (!subdir)
		subdir = "";
	/* The XDG base directory spec says a relative value is to be ignored. */
	if (dir && *dir)
		strbuf_addf(&sb, "%s/%s", dir, subdir);
	else if (xdg && xdg[0] == '/')
		strbuf_addf(&sb, "%s/extdeps/%s", xdg, subdir);
	else if (home && home[0] == '/')
		strbuf_addf(&sb, "%s/.cache/extdeps/%s", home, subdir);
	else
		return NULL;
	/* No trailing slash: it would end up doubled in entry paths. */
	while (sb.len > 1 && sb.buf[sb.len - 1] == '/')
		sb.buf[--sb.len] = '\0';
	if (!(path = strbuf_detach(&sb)))
		return NULL;
	if (!mkdirs(path) || access(path, R_OK | X_OK) != 0) {
		free(path);
		return NULL;
	}
	c = calloc(1, sizeof *c);
	if (!c) {
		free(path);
		return NULL;
	}
	c->dir = path;
	return c;
}

void repocache_free(struct repocache *c)
{
	if (!c)
		return;
	free(c->dir);
	free(c);
}

const char *repocache_dir(const struct repocache *c)
{
	return c->dir;
}

static void add_u64(Chksum *h, uint64_t v)
{
	unsigned char b[8];

	for (int i = 0; i < 8; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	solv_chksum_add(h, b, sizeof b);
}

static void add_str(Chksum *h, const char *s)
{
	/* With the NUL, so that ("ab","c") and ("a","bc") differ. */
	solv_chksum_add(h, s, (int)strlen(s) + 1);
}

static Chksum *cookie_begin(void)
{
	Chksum *h = solv_chksum_create(REPOKEY_TYPE_SHA256);

	if (h) {
		add_str(h, MAGIC);
		add_str(h, solv_toolversion);
	}
	return h;
}

static void cookie_end(Chksum *h, unsigned char cookie[REPOCACHE_COOKIE_LEN])
{
	int len = 0;
	const unsigned char *sum = solv_chksum_get(h, &len);

	memset(cookie, 0, REPOCACHE_COOKIE_LEN);
	if (sum && len == REPOCACHE_COOKIE_LEN)
		memcpy(cookie, sum, REPOCACHE_COOKIE_LEN);
	solv_chksum_free(h, NULL);
}

bool repocache_cookie_files(const char *const *paths, size_t n,
			    unsigned char cookie[REPOCACHE_COOKIE_LEN])
{
	Chksum *h = cookie_begin();

	if (!h)
		return false;
	add_str(h, "stat");
	for (size_t i = 0; i < n; i++) {
		struct stat st;

		if (stat(paths[i], &st) != 0) {
			solv_chksum_free(h, NULL);
			return false;
		}
		add_str(h, paths[i]);
		add_u64(h, (uint64_t)st.st_size);
		add_u64(h, (uint64_t)st.st_mtim.tv_sec);
		add_u64(h, (uint64_t)st.st_mtim.tv_nsec);
		add_u64(h, (uint64_t)st.st_ino);
		add_u64(h, (uint64_t)st.st_dev);
	}
	cookie_end(h, cookie);
	return true;
}

bool repocache_cookie_files_content(const char *const *paths, size_t n,
				    unsigned char cookie[REPOCACHE_COOKIE_LEN])
{
	Chksum *h = cookie_begin();
	unsigned char buf[1 << 14];

	if (!h)
		return false;
	add_str(h, "content");
	for (size_t i = 0; i < n; i++) {
		FILE *f = util_fopen_regular(paths[i]);
		uint64_t total = 0;
		size_t got;

		if (!f) {
			solv_chksum_free(h, NULL);
			return false;
		}
		add_str(h, paths[i]);
		while ((got = fread(buf, 1, sizeof buf, f)) > 0) {
			solv_chksum_add(h, buf, (int)got);
			total += got;
		}
		if (ferror(f)) {
			fclose(f);
			solv_chksum_free(h, NULL);
			return false;
		}
		fclose(f);
		/* The length ends each file's bytes, so concatenations differ. */
		add_u64(h, total);
	}
	cookie_end(h, cookie);
	return true;
}

void repocache_key_for_path(const char *path, char *out, size_t size)
{
	static const char hex[] = "0123456789abcdef";
	const char *base = strrchr(path, '/');
	Chksum *h = solv_chksum_create(REPOKEY_TYPE_SHA256);
	const unsigned char *sum = NULL;
	size_t o = 0, limit;
	int len = 0;

	if (size < 64) {
		if (size)
			out[0] = '\0';
		solv_chksum_free(h, NULL);
		return;
	}
	base = base ? base + 1 : path;
	/* Room for "-" + 16 hex digits + NUL, and a name well under NAME_MAX
	 * once ".solv" and the temporary suffix are added. */
	limit = size - 18;
	if (limit > 160)
		limit = 160;
	for (const char *p = base; *p && o < limit; p++) {
		char ch = *p;
		bool safe = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
			    (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' || ch == '-' ||
			    ch == '+';
		/* A leading dot would hide the entry. */
		if (!safe || (o == 0 && ch == '.'))
			ch = '_';
		out[o++] = ch;
	}
	out[o++] = '-';
	if (h) {
		solv_chksum_add(h, path, (int)strlen(path));
		sum = solv_chksum_get(h, &len);
	}
	for (int i = 0; i < 8; i++) {
		unsigned b = sum && len >= 8 ? sum[i] : 0;
		out[o++] = hex[b >> 4];
		out[o++] = hex[b & 15];
	}
	out[o] = '\0';
	solv_chksum_free(h, NULL);
}

bool repocache_entry_path(const struct repocache *c, const char *key, char *out, size_t size)
{
	int n = snprintf(out, size, "%s/%s.solv", c->dir, key);

	return n > 0 && (size_t)n < size;
}

/* Keep what planning reads; leave out descriptions, URLs, checksums and
 * download locations, a good half of a Debian .solv file and of its load
 * time. */
static int keyfilter(Repo *repo, Repokey *key, void *kfdata)
{
	static const Id dropped[] = {
		SOLVABLE_SUMMARY,  SOLVABLE_DESCRIPTION, SOLVABLE_URL,       SOLVABLE_LICENSE,
		SOLVABLE_AUTHORS,  SOLVABLE_PACKAGER,    SOLVABLE_GROUP,     SOLVABLE_KEYWORDS,
		SOLVABLE_CHECKSUM, SOLVABLE_PKGID,       SOLVABLE_HDRID,     SOLVABLE_LEADSIGID,
		SOLVABLE_MEDIADIR, SOLVABLE_MEDIAFILE,   SOLVABLE_MEDIANR,   SOLVABLE_MEDIABASE,
		SOLVABLE_BUILDTIME, SOLVABLE_BUILDHOST,  SOLVABLE_HEADEREND, SOLVABLE_CHANGELOG_AUTHOR,
		SOLVABLE_CHANGELOG_TIME, SOLVABLE_CHANGELOG_TEXT,
	};

	for (size_t i = 0; i < sizeof dropped / sizeof dropped[0]; i++)
		if (key->name == dropped[i])
			return KEY_STORAGE_DROPPED;
	return repo_write_stdkeyfilter(repo, key, kfdata);
}

static void make_userdata(unsigned char ud[USERDATA_LEN],
			  const unsigned char cookie[REPOCACHE_COOKIE_LEN])
{
	memcpy(ud, MAGIC, MAGIC_LEN);
	memcpy(ud + MAGIC_LEN, cookie, REPOCACHE_COOKIE_LEN);
}

/* Does the entry open as F carry COOKIE? Leaves F at an unknown position. */
static bool entry_matches(FILE *f, const unsigned char cookie[REPOCACHE_COOKIE_LEN])
{
	unsigned char want[USERDATA_LEN];
	unsigned char *ud = NULL;
	int udlen = 0;
	bool ok;

	make_userdata(want, cookie);
	if (solv_read_userdata(f, &ud, &udlen) != 0)
		return false;
	ok = ud && udlen == USERDATA_LEN && memcmp(ud, want, USERDATA_LEN) == 0;
	solv_free(ud);
	return ok;
}

/* Writing an entry waits this long for another writer at most: a cache only
 * saves time. */
static const struct lockfile_opts store_lock = { .timeout_ms = 30000 };

/* Unlink the entry at PATH if it is still the file SEEN (not a good copy
 * another run has renamed into place since). */
static void drop_entry(const struct repocache *c, const char *path, const struct stat *seen)
{
	struct lockfile lk = LOCKFILE_INIT;
	struct stat now;

	if (lockfile_lock_dir(&lk, c->dir, &store_lock, NULL))
		return;
	if (stat(path, &now) == 0 && now.st_ino == seen->st_ino && now.st_dev == seen->st_dev)
		unlink(path);
	lockfile_unlock(&lk);
}

Repo *repocache_load(struct repocache *c, Pool *pool, const char *name, const char *key,
		     const unsigned char cookie[REPOCACHE_COOKIE_LEN])
{
	char path[4096];
	struct stat st;
	Repo *repo;
	FILE *f;

	if (!c || !repocache_entry_path(c, key, path, sizeof path))
		return NULL;
	f = util_fopen_regular(path);
	if (!f)
		return NULL;
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode) || !entry_matches(f, cookie)) {
		fclose(f);
		return NULL;
	}
	rewind(f);
	repo = repo_create(pool, name);
	/* A truncated or damaged body fails here; the half-read repository is
	 * dropped so the caller can rebuild from the metadata, and the entry
	 * removed, or repocache_store would take its intact header for a
	 * concurrent run's fresh copy. */
	if (repo_add_solv(repo, f, 0) != 0) {
		repo_free(repo, 1);
		repo = NULL;
		drop_entry(c, path, &st);
	}
	fclose(f);
	return repo;
}

bool repocache_store(struct repocache *c, Repo *repo, const char *key,
		     const unsigned char cookie[REPOCACHE_COOKIE_LEN])
{
	struct atomicfile af = ATOMICFILE_INIT;
	struct lockfile lk = LOCKFILE_INIT;
	unsigned char ud[USERDATA_LEN];
	char path[4096];
	Repowriter *w;
	bool ok = false;
	FILE *f;
	int n;

	/* Diagnostics are dropped (NULL): a cache is an optimisation. */
	if (!c || !repocache_entry_path(c, key, path, sizeof path) ||
	    lockfile_lock_dir(&lk, c->dir, &store_lock, NULL))
		return false;
	lockfile_sweep(c->dir);

	/* A concurrent run may have written the same entry while we parsed. */
	f = util_fopen_regular(path);
	if (f) {
		bool same = entry_matches(f, cookie);

		fclose(f);
		if (same) {
			ok = true;
			goto out;
		}
	}

	if (atomicfile_open(&af, path, NULL) || !(f = atomicfile_fdopen(&af, NULL)))
		goto out;
	make_userdata(ud, cookie);
	w = repowriter_create(repo);
	repowriter_set_userdata(w, ud, USERDATA_LEN);
	repowriter_set_keyfilter(w, keyfilter, NULL);
	n = repowriter_write(w, f);
	repowriter_free(w);
	ok = n == 0 && atomicfile_commit(&af, NULL) == 0;
out:
	atomicfile_abort(&af);
	lockfile_unlock(&lk);
	return ok;
}
