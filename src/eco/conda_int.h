/* conda_int.h - what the conda backend's source files share (conda.c,
 * conda_channel.c, conda_match.c, conda_repodata.c, conda_virtual.c). Not
 * installed; nothing else includes it.
 *
 * Layers, each using only those above it:
 *   conda_match.c     versions and match specs on libsolv's conda support
 *   conda_repodata.c  repodata.json and conda-meta records into repositories
 *   conda_virtual.c   subdirs and virtual packages
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

/* Read PREFIX/conda-meta/ *.json (one installed package each) into REPO.
 * A prefix without conda-meta adds nothing. ED_EXIT_ENV on a corrupt file. */
int conda_load_prefix(Repo *repo, const char *prefix, struct ed_diag *d);

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
