/* repocache.h - libsolv repositories cached as .solv files.
 *
 * Parsing repository metadata is the slow part of a run (about 0.2 s for
 * Debian's main list); reading the same repository back from a .solv file is
 * about 5 times faster. A cache entry is one file DIR/KEY.solv whose libsolv
 * userdata holds a magic, a 32-byte cookie and a checksum of the whole file;
 * the entry is used only when its cookie equals the one the caller computes
 * from the metadata now and the file still sums to its checksum (a fast
 * 64-bit sum, about a millisecond for Debian's main list: it catches damage,
 * a flipped bit or a cut, not an adversary).
 *
 * The cookie (repocache_cookie_files) is a sha256, made with libsolv's own
 * chksum code, over solv_toolversion (a newer libsolv may write another
 * format) and, for each metadata file, its path, size, mtime (ns), inode and
 * device. Not over the content: hashing Debian's 18 MB Packages.lz4 costs
 * about 0.06 s, more than reading the cache itself, and package managers
 * replace list files by rename, which changes inode and mtime anyway.
 * repocache_cookie_files_content hashes the content where that matters.
 *
 * Rules: writes are atomic (a temporary file in DIR, fsync, rename), done
 * under an exclusive flock on DIR/.lock so concurrent runs do not race (both
 * util/lockfile.h's); a
 * missing, stale, truncated or otherwise corrupt entry is a miss (a corrupt
 * one removed) and is rebuilt, never an error; a cache that cannot be
 * written (read-only home) only costs speed.
 */
#ifndef EXTDEPS_REPOCACHE_H
#define EXTDEPS_REPOCACHE_H

#include <stdbool.h>
#include <stddef.h>

#include <solv/pool.h>
#include <solv/repo.h>

#define REPOCACHE_COOKIE_LEN 32

struct repocache;

/* A cache in DIR, created (mode 0755, parents too) when absent. DIR NULL:
 * $XDG_CACHE_HOME/extdeps (when absolute), else $HOME/.cache/extdeps.
 * SUBDIR (e.g. "apt"; may be NULL) is appended. Returns NULL when no usable
 * directory exists; callers then load without a cache. Free with
 * repocache_free (NULL accepted). */
struct repocache *repocache_new(const char *dir, const char *subdir);
void repocache_free(struct repocache *c);

/* The directory in use (owned by C). */
const char *repocache_dir(const struct repocache *c);

/* The cookie of the N metadata files PATHS, from their stat data (see
 * above). Returns false when a file cannot be stat'ed. */
bool repocache_cookie_files(const char *const *paths, size_t n,
			    unsigned char cookie[REPOCACHE_COOKIE_LEN]);

/* The same from the files' content (sha256 over every byte). */
bool repocache_cookie_files_content(const char *const *paths, size_t n,
				    unsigned char cookie[REPOCACHE_COOKIE_LEN]);

/* A cache key (a file name without ".solv") for metadata at PATH: its base
 * name, made safe and shortened, plus a hash of the whole path so that two
 * roots never share an entry. Written to OUT (SIZE >= 64 bytes). */
void repocache_key_for_path(const char *path, char *out, size_t size);

/* Read entry KEY into a new repository NAME of POOL when its cookie matches
 * COOKIE. Returns the repository (owned by POOL), or NULL on a miss (absent,
 * stale or corrupt entry; nothing is left in the pool). */
Repo *repocache_load(struct repocache *c, Pool *pool, const char *name, const char *key,
		     const unsigned char cookie[REPOCACHE_COOKIE_LEN]);

/* Write REPO (internalized) as entry KEY with COOKIE, atomically and under
 * the lock. Returns true when the entry was written, false when it could not
 * be (the reason is dropped: a cache is an optimisation). */
bool repocache_store(struct repocache *c, Repo *repo, const char *key,
		     const unsigned char cookie[REPOCACHE_COOKIE_LEN]);

/* Reads SOURCE again into a repository NAME of a new pool of its own, set
 * up as the one it was first read into; returns it (the caller frees its
 * pool), or NULL when SOURCE no longer matches COOKIE or cannot be read. */
typedef Repo *repocache_reload_fn(const char *source, const char *name,
				  const unsigned char cookie[REPOCACHE_COOKIE_LEN]);

/* Queue REPO to be written as entry KEY with COOKIE, as repocache_store
 * does, when C is freed: repocache_free writes every queued entry from one
 * child process (a copy of the pool as it is then), so that the run goes on
 * while the cache is written; where no child can be started it writes them
 * itself. REPO must stay in its pool, unchanged, until repocache_free.
 * RELOAD, when not NULL, reads SOURCE again: the writer uses it for a
 * repository that holds a small part of its pool, as libsolv's writer sorts
 * every string of the pool it writes from.
 * Returns false when the entry could not be queued (out of memory). */
bool repocache_store_later(struct repocache *c, Repo *repo, const char *key,
			   const unsigned char cookie[REPOCACHE_COOKIE_LEN],
			   repocache_reload_fn *reload, const char *source);

/* Wait for the children repocache_free started. A program calls it before it
 * exits, so that it returns with its cache written. */
void repocache_wait_writers(void);

/* The path of entry KEY into OUT; false when it does not fit. For tests. */
bool repocache_entry_path(const struct repocache *c, const char *key, char *out, size_t size);

#endif
