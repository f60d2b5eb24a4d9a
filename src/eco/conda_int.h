/* conda_int.h - what the conda backend's source files share (conda.c,
 * conda_channel.c, conda_match.c, conda_repodata.c, conda_shards.c,
 * conda_virtual.c). Not installed; nothing else includes it.
 *
 * Layers, each using only those above it:
 *   conda_match.c     versions and match specs on libsolv's conda support
 *   conda_repodata.c  repodata.json and conda-meta records into repositories
 *   conda_virtual.c   subdirs and virtual packages
 *   conda_shards.c    sharded repodata (CEP 16): the shards a load reaches
 *   conda_channel.c   channels: names, cache directories, downloads
 *   conda.c           the backend's operations (struct eco_ops eco_conda)
 */
#ifndef EXTDEPS_CONDA_INT_H
#define EXTDEPS_CONDA_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <solv/pool.h>
#include <solv/queue.h>
#include <solv/repo.h>

#include "extdeps/eco/conda_match.h"
#include "extdeps/eco/conda_repodata.h"
#include "extdeps/eco/conda_virtual.h"
#include "extdeps/eco/eco.h"
#include "extdeps/net/fetch.h"
#include "extdeps/util/strbuf.h"
#include "extdeps/util/diag.h"

#define CONDA_PATH_BUF 4096

/* FNV-1a of [S, S + LEN), never 0: the stems of package files, and the
 * cache directory of a channel's URL (so it must not change). */
static inline uint64_t conda_hash64(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h ? h : 1;
}

/* --- conda_match.c --- */

/* eco_ops.dep: the match spec "NAME OP VERSION" (VERSION a conda version;
 * "== 1.2.*" as conda's startswith "1.2.*"); NAME alone when VERSION cannot
 * be read. */
Id conda_dep(Pool *pool, const char *name, int rel, const char *version);

/* Give the packages of the N repositories REPOS the build-number provides
 * (conda_match.h) of every "NAME[build_number=COND]" the pool holds. */
void conda_add_build_number_provides(Pool *pool, Repo **repos, size_t n);

/* --- conda_repodata.c --- */

/* Records of repodata (repodata.json, a shard, a conda-meta file) as
 * their readers fill them, and the sink that makes each a solvable the
 * same way, whichever format it came in. */

#define CONDA_FIELD_MAX 256

enum conda_field {
	CONDA_F_NONE, CONDA_F_NAME, CONDA_F_VERSION, CONDA_F_BUILD, CONDA_F_BUILD_NUMBER,
	CONDA_F_DEPENDS, CONDA_F_CONSTRAINS, CONDA_F_TRACK_FEATURES, CONDA_F_SIZE,
	CONDA_F_TIMESTAMP,
};

struct conda_record {
	char name[CONDA_FIELD_MAX], version[CONDA_FIELD_MAX], build[CONDA_FIELD_MAX];
	char features[CONDA_FIELD_MAX];
	char fname[CONDA_FIELD_MAX]; /* the file name it is listed under */
	size_t fname_len;
	bool fname_too_long, has_name, has_version, too_long;
	bool conda; /* listed under "packages.conda" */
	unsigned long long build_number, size, timestamp;
	/* last: reset keeps their buffers */
	struct strbuf depends, constrains; /* strings one after another, each NUL-terminated */
};

/* The field a record's key names (CONDA_F_NONE: one not read). */
enum conda_field conda_record_key(const char *s, size_t len);
/* Empty R for the record listed as FNAME (LEN bytes; "" for a conda-meta
 * file), under "packages.conda" when CONDA. */
void conda_record_reset(struct conda_record *r, const char *fname, size_t len, bool conda);
void conda_record_release(struct conda_record *r);
/* A string value of FIELD (name, version, build, track_features). */
void conda_record_string(struct conda_record *r, enum conda_field field, const char *s, size_t len);
/* An item of the list FIELD (depends, constrains, track_features). */
void conda_record_item(struct conda_record *r, enum conda_field list, const char *s, size_t len);
/* A number of FIELD (build_number, size, timestamp). */
void conda_record_number(struct conda_record *r, enum conda_field field, unsigned long long v);

/* What a spec or version string became, indexed by its pool id. */
struct conda_idcache {
	Id *v;
	size_t cap;
};

/* Seen package file stems (without .conda / .tar.bz2), to drop a record
 * listed in both formats: open addressing on a 64-bit hash. */
struct conda_stems {
	uint64_t *keys;
	Id *vals;
	size_t cap, n;
};

struct conda_sink {
	Pool *pool;
	Repo *repo;
	Repodata *data;
	bool single; /* conda-meta records: no twin formats to drop */
	struct conda_idcache deps, vers;
	struct conda_stems stems;
	Queue q, qc;
	size_t skipped; /* records conda would refuse (invalid version or spec) */
	bool oom;
};

/* A sink adding to REPO (its last repodata, else a new one). */
void conda_sink_init(struct conda_sink *k, Repo *repo, bool single);
void conda_sink_fini(struct conda_sink *k);
/* R as a solvable of K's repository, as libsolv's own reader would make
 * it; a record conda would refuse is counted, a twin of one read before
 * dropped. False only when memory is out. */
bool conda_sink_add(struct conda_sink *k, const struct conda_record *r);

/* Read PREFIX/conda-meta/ *.json (one installed package each) into REPO.
 * A prefix without conda-meta adds nothing. ED_EXIT_ENV on a corrupt file. */
int conda_load_prefix(Repo *repo, const char *prefix, struct ed_diag *d);

/* --- conda_shards.c --- */

/* A subdir's shard index (CEP 16's repodata_shards.msgpack.zst): package
 * names and the sha256 of each one's shard. */
struct conda_shard_index;

#define CONDA_SHARDS_INDEX "repodata_shards.msgpack.zst"
/* Refuse a shard index larger than this, compressed or not. */
#define CONDA_SHARDS_INDEX_MAX ((uint64_t)256 << 20)

/* DIR/SUBDIR/repodata_shards.msgpack.zst into OUT; false when absent. */
bool conda_find_shards(const char *dir, const char *subdir, char *out, size_t size);

/* The index at PATH, or NULL with D filled (ED_EXIT_ENV: unreadable,
 * not zstd, not msgpack, not an index). Free with conda_shard_index_free. */
struct conda_shard_index *conda_shard_index_read(const char *path, struct ed_diag *d);
void conda_shard_index_free(struct conda_shard_index *x);

/* fetch_expect.check of an index download (PATH; UD unused). */
int conda_check_shard_index(const char *path, void *ud, struct ed_diag *d);
/* Remove from DIR the shards (HEX.msgpack.zst, and their .meta) X no
 * longer names: a new index replaced the one they were fetched for.
 * Returns how many files went. */
size_t conda_shards_expire(const char *dir, const struct conda_shard_index *x);

/* One sharded subdir of a channel. */
struct conda_shard_src {
	const char *label;      /* "conda-forge/linux-64", for messages */
	const char *index_path; /* its repodata_shards.msgpack.zst */
	struct conda_shard_index *index;
	/* where its shards are: for a downloaded channel (URL set, the
	 * index's URL) the cache directory that keeps them by hash; for a
	 * directory channel, the index's directory, under which
	 * shards_base_url names them */
	const char *cache_dir;
	const char *url;
	Repo *repo;             /* its packages go here */
};

/* A load of sharded subdirs: the shards of NAMES (NULL: of every name of
 * the indexes) and of every name their packages depend on, until none is
 * new, each read from where it is kept or downloaded there first. */
struct conda_shard_walk {
	Pool *pool;
	const struct eco_opts *opts;  /* downloads: as update's */
	bool offline;
	struct conda_shard_src *srcs;
	size_t nsrcs;
	const char *const *names;
	size_t nnames;
	/* what it did */
	size_t shards, fetched, skipped;
	/* the walk's own */
	struct fetch *fetch;
	Queue todo;
	unsigned char *seen;
	size_t seen_cap;
};

/* Walk W: the packages into each source's repository (not internalized).
 * ED_EXIT_ENV with D filled when an index or shard cannot be had or read:
 * a shard whose download does not hash to its name is refused
 * ("checksum mismatch", fetch.h) and never kept. Free W->fetch after. */
int conda_shards_load(struct conda_shard_walk *w, struct ed_diag *d);

/* --- conda_channel.c --- */

struct conda_channel {
	char *name; /* as given: "conda-forge", a URL or a directory */
	char *url;  /* where update downloads from; NULL for a directory */
	char *dir;  /* where the subdirs' metadata lie: the directory, or the cache */
};

/* The channels O asks for (--channel, else conda-forge), resolved into *OUT
 * (free with conda_channels_free). ED_EXIT_INPUT for a name that is none,
 * ED_EXIT_ENV without a cache directory. */
int conda_channels_resolve(const struct eco_opts *o, struct conda_channel **out, size_t *nout,
			   struct ed_diag *d);
void conda_channels_free(struct conda_channel *c, size_t n);

/* Whether S is a channel name (not a URL or a directory). */
bool conda_channel_name_valid(const char *s);

/* DIR/SUBDIR/repodata.json, else .json.zst, into OUT; false when neither. */
bool conda_find_repodata(const char *dir, const char *subdir, char *out, size_t size);

/* Download CH's metadata for SUBDIR and noarch into CH->dir, under its
 * lock (waiting as O says), counting into ST; each download is read whole
 * before it replaces the cached copy. A channel without noarch is valid;
 * without SUBDIR, ED_EXIT_ENV. */
int conda_channel_update(struct fetch *f, const struct eco_opts *o, const struct conda_channel *ch,
			 const char *subdir, struct eco_update_stats *st, struct ed_diag *d);

#endif
