/* repocache.c - libsolv repositories cached as .solv files. */
#include "extdeps/net/repocache.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
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

/* The userdata of an entry: this magic, the cookie, then a checksum of the
 * whole file (read with these 8 bytes as zeros). A new layout of what
 * extdeps stores in a repository changes the magic. */
/* extdeps2: the documentation and download-location keys are left out */
/* extdeps3: the checksum, so that a damaged entry is a miss, not a pool
 * with wrong packages in it */
#define MAGIC "extdeps3"
#define MAGIC_LEN 8
#define SUM_LEN 8
#define USERDATA_LEN (MAGIC_LEN + REPOCACHE_COOKIE_LEN + SUM_LEN)
/* libsolv writes the userdata within the header, at byte 40 */
#define HEAD_MAX 256

/* an entry repocache_store_later queued */
struct pending {
	Repo *repo;
	char *key, *source;
	repocache_reload_fn *reload;
	unsigned char cookie[REPOCACHE_COOKIE_LEN];
};

struct repocache {
	char *dir;
	struct pending *pending;
	size_t npending, pending_alloc;
};

/* the children writing queued entries, for repocache_wait_writers */
static pid_t writers[16];
static size_t nwriters;

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

static void write_pending(struct repocache *c)
{
	for (size_t i = 0; i < c->npending; i++) {
		const struct pending *p = &c->pending[i];
		Repo *own = NULL;

		/* Sorting the strings of the whole pool would cost more than
		 * reading a small part of it again. */
		if (p->reload && p->repo->nsolvables * 4 <  p->repo->pool->nsolvables)
			own = p->reload(p->source, p->repo->name, p->cookie);
		repocache_store(c, own ? own : p->repo, p->key, p->cookie);
		if (own)
			pool_free(own->pool);
	}
}

/* Write the queued entries from a child process: it has the pool as it is
 * now (copy-on-write), so the parent goes on solving meanwhile. The child
 * closes what it inherited beyond stdio, so that no lock the parent holds
 * outlives the parent's own release of it. Where no child can be started the
 * entries are written here. */
static void flush_pending(struct repocache *c)
{
	pid_t pid = -1;

	if (!c->npending)
		return;
	fflush(NULL);
	if (nwriters < sizeof writers / sizeof *writers)
		pid = fork();
	if (pid == 0) {
		close_range(3, ~0U, 0);
		write_pending(c);
		_exit(0);
	}
	if (pid > 0)
		writers[nwriters++] = pid;
	else
		write_pending(c);
}

void repocache_free(struct repocache *c)
{
	if (!c)
		return;
	flush_pending(c);
	for (size_t i = 0; i < c->npending; i++) {
		free(c->pending[i].key);
		free(c->pending[i].source);
	}
	free(c->pending);
	free(c->dir);
	free(c);
}

bool repocache_store_later(struct repocache *c, Repo *repo, const char *key,
			   const unsigned char cookie[REPOCACHE_COOKIE_LEN],
			   repocache_reload_fn *reload, const char *source)
{
	struct pending *p;

	if (!c || !ALLOC_GROW(c->pending, c->npending + 1, c->pending_alloc))
		return false;
	p = &c->pending[c->npending];
	p->source = NULL;
	if (!(p->key = strdup(key)) || (reload && !(p->source = strdup(source)))) {
		free(p->key);
		return false;
	}
	p->reload = reload;
	p->repo = repo;
	memcpy(p->cookie, cookie, REPOCACHE_COOKIE_LEN);
	c->npending++;
	return true;
}

void repocache_wait_writers(void)
{
	for (size_t i = 0; i < nwriters; i++)
		while (waitpid(writers[i], NULL, 0) < 0 && errno == EINTR)
			;
	nwriters = 0;
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
	memset(ud + MAGIC_LEN + REPOCACHE_COOKIE_LEN, 0, SUM_LEN);
}

/* --- the entry's checksum: fast (a warm plan reads megabytes of entries),
 * made to catch damage, not an adversary --- */

struct sum {
	uint64_t lane[4];
	uint64_t len;
	unsigned char carry[32]; /* the last, incomplete block */
	size_t ncarry;
};

static uint64_t word_at(const unsigned char *p)
{
	uint64_t w;

	memcpy(&w, p, sizeof w);
	return w;
}

static uint64_t mix(uint64_t h, uint64_t w)
{
	h ^= w * 0x9E3779B97F4A7C15ULL;
	h = (h << 31) | (h >> 33);
	return h * 0xC2B2AE3D27D4EB4FULL;
}

static void sum_init(struct sum *s)
{
	memset(s, 0, sizeof *s);
	s->lane[0] = 0x243F6A8885A308D3ULL;
	s->lane[1] = 0x13198A2E03707344ULL;
	s->lane[2] = 0xA4093822299F31D0ULL;
	s->lane[3] = 0x082EFA98EC4E6C89ULL;
}

static void sum_block(struct sum *s, const unsigned char *p)
{
	for (int k = 0; k < 4; k++)
		s->lane[k] = mix(s->lane[k], word_at(p + 8 * k));
}

/* Add LEN bytes at P, in pieces of any size. */
static void sum_add(struct sum *s, const unsigned char *p, size_t len)
{
	size_t i = 0;

	s->len += len;
	if (s->ncarry) {
		while (i < len && s->ncarry < 32)
			s->carry[s->ncarry++] = p[i++];
		if (s->ncarry < 32)
			return;
		sum_block(s, s->carry);
		s->ncarry = 0;
	}
	for (; i + 32 <= len; i += 32)
		sum_block(s, p + i);
	while (i < len)
		s->carry[s->ncarry++] = p[i++];
}

static uint64_t sum_end(const struct sum *s)
{
	uint64_t h = s->len, lane[4];

	memcpy(lane, s->lane, sizeof lane);
	for (size_t i = 0; i < s->ncarry; i++)
		lane[i & 3] = mix(lane[i & 3], s->carry[i]);
	for (int k = 0; k < 4; k++)
		h = mix(h, lane[k]);
	return h ^ (h >> 29);
}

/* Where the userdata carrying COOKIE begins in the entry BUF[0..LEN), or
 * -1 when it is not there (another cookie, layout or file). */
static long userdata_at(const unsigned char *buf, size_t len,
			const unsigned char cookie[REPOCACHE_COOKIE_LEN])
{
	unsigned char want[MAGIC_LEN + REPOCACHE_COOKIE_LEN];

	memcpy(want, MAGIC, MAGIC_LEN);
	memcpy(want + MAGIC_LEN, cookie, REPOCACHE_COOKIE_LEN);
	for (size_t at = 0; at + USERDATA_LEN <= len && at < HEAD_MAX; at++)
		if (!memcmp(buf + at, want, sizeof want))
			return (long)at;
	return -1;
}

/* Start the checksum of an entry with its first N bytes HEAD (N at most
 * HEAD_MAX), its own checksum (at SUM_AT) read as zeros. */
static void sum_head(struct sum *s, const unsigned char *head, size_t n, size_t sum_at)
{
	unsigned char copy[HEAD_MAX];

	memcpy(copy, head, n);
	if (sum_at + SUM_LEN <= n)
		memset(copy + sum_at, 0, SUM_LEN);
	sum_init(s);
	sum_add(s, copy, n);
}

/* Does the entry open as F carry COOKIE? Leaves F at an unknown position. */
static bool entry_matches(FILE *f, const unsigned char cookie[REPOCACHE_COOKIE_LEN])
{
	unsigned char want[MAGIC_LEN + REPOCACHE_COOKIE_LEN];
	unsigned char *ud = NULL;
	int udlen = 0;
	bool ok;

	memcpy(want, MAGIC, MAGIC_LEN);
	memcpy(want + MAGIC_LEN, cookie, REPOCACHE_COOKIE_LEN);
	if (solv_read_userdata(f, &ud, &udlen) != 0)
		return false;
	ok = ud && udlen == USERDATA_LEN && memcmp(ud, want, sizeof want) == 0;
	solv_free(ud);
	return ok;
}

/* Write the checksum of the entry being written at FD (its userdata for
 * COOKIE with a zero checksum) into it. */
static bool seal(int fd, const unsigned char cookie[REPOCACHE_COOKIE_LEN])
{
	unsigned char buf[1 << 16], sum[SUM_LEN];
	ssize_t got = pread(fd, buf, HEAD_MAX, 0);
	size_t sum_at;
	struct sum s;
	off_t off;
	uint64_t v;
	long at;

	if (got != HEAD_MAX || (at = userdata_at(buf, HEAD_MAX, cookie)) < 0)
		return false;
	sum_at = (size_t)at + MAGIC_LEN + REPOCACHE_COOKIE_LEN;
	sum_head(&s, buf, HEAD_MAX, sum_at);
	for (off = HEAD_MAX; (got = pread(fd, buf, sizeof buf, off)) > 0; off += got)
		sum_add(&s, buf, (size_t)got);
	if (got < 0)
		return false;
	v = sum_end(&s);
	memcpy(sum, &v, SUM_LEN);
	return pwrite(fd, sum, SUM_LEN, (off_t)sum_at) == SUM_LEN;
}

/* Whether the entry at FD, whose first HEAD_MAX bytes are HEAD with its
 * userdata for COOKIE at AT, is whole: it sums to the checksum it holds. A
 * pass of its own, so that libsolv reads a plain file descriptor (it
 * reads the pages of large attributes lazily from it). */
static bool entry_intact(int fd, const unsigned char *head, size_t at)
{
	size_t sum_at = at + MAGIC_LEN + REPOCACHE_COOKIE_LEN;
	unsigned char buf[1 << 16];
	struct sum s;
	ssize_t got;
	off_t off;

	sum_head(&s, head, HEAD_MAX, sum_at);
	for (off = HEAD_MAX; (got = pread(fd, buf, sizeof buf, off)) > 0; off += got)
		sum_add(&s, buf, (size_t)got);
	return got == 0 && word_at(head + sum_at) == sum_end(&s);
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
	unsigned char head[HEAD_MAX];
	char path[4096];
	struct stat st;
	Repo *repo = NULL;
	FILE *f;
	long at;
	int fd;

	if (!c || !repocache_entry_path(c, key, path, sizeof path))
		return NULL;
	if ((fd = util_open_regular(path)) < 0)
		return NULL;
	/* another cookie is a miss */
	if (fstat(fd, &st) != 0 || pread(fd, head, HEAD_MAX, 0) != HEAD_MAX ||
	    (at = userdata_at(head, HEAD_MAX, cookie)) < 0 || !(f = fdopen(fd, "rb"))) {
		close(fd);
		return NULL;
	}
	/* A damaged entry, which the checksum tells or libsolv refuses, is a
	 * miss: dropped, so that the caller rebuilds from the metadata, and
	 * removed, or repocache_store would take its intact header for a
	 * concurrent run's fresh copy. */
	if (entry_intact(fd, head, (size_t)at)) {
		repo = repo_create(pool, name);
		if (repo_add_solv(repo, f, 0) != 0) {
			repo_free(repo, 1);
			repo = NULL;
		}
	}
	if (!repo)
		drop_entry(c, path, &st);
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
	ok = n == 0 && fflush(f) == 0 && seal(af.fd, cookie) && atomicfile_commit(&af, NULL) == 0;
out:
	atomicfile_abort(&af);
	lockfile_unlock(&lk);
	return ok;
}
