/* dnf.h - the dnf/rpm backend's parts, exposed for tests and benchmarks.
 *
 * Everyone else goes through eco_find("dnf") (eco.h). The target is a
 * Fedora release and architecture ("--distro=fedora:41", --arch); its rpm-md
 * metadata lives in CACHE/dnf/fedora-RELEASE-ARCH/: repomd.xml and the
 * primary.xml.* it names (by base name), fetched from the release's
 * metalink or from --mirror as a baseurl.
 */
#ifndef EXTDEPS_DNF_H
#define EXTDEPS_DNF_H

#include <stdbool.h>
#include <stddef.h>

#include <solv/pool.h>
#include <solv/repo.h>

#include "extdeps/eco/eco.h"
#include "extdeps/net/repocache.h"
#include "extdeps/util/diag.h"

extern const struct eco_ops eco_dnf;

/* What a Fedora metalink says about repomd.xml: its sha256 (lower-case hex,
 * "" when the metalink gives none) and the mirrors' URLs of it, best first. */
struct dnf_metalink {
	char sha256[65];
	char **urls;
	size_t nurls;
};

/* Parse metalink XML TEXT (LEN bytes; FILE names it in messages) into ML.
 * ED_EXIT_ENV when it has no repomd.xml entry or no http(s) URL for it. */
int dnf_metalink_parse(const char *text, size_t len, const char *file, struct dnf_metalink *ml,
		       struct ed_diag *d);
void dnf_metalink_fini(struct dnf_metalink *ml);

/* What DIR/repomd.xml says about one of its data files. */
struct dnf_repomd_entry {
	char location[1024];  /* "repodata/HASH-primary.xml.gz" */
	char checksum[129];   /* lower-case hex; "" when repomd gives none */
	Id checksum_type;     /* REPOKEY_TYPE_SHA256, ...; 0 with no checksum */
	unsigned long long size; /* 0: not given */
};

/* Read the entry of TYPE ("primary") from the repomd.xml at PATH.
 * ED_EXIT_ENV when the file cannot be read, is not repomd XML, or has no
 * such entry. */
int dnf_repomd_find(const char *path, const char *type, struct dnf_repomd_entry *e,
		    struct ed_diag *d);

/* Load the rpm-md repository in DIR (DIR/repomd.xml and the primary it
 * names, found by base name in DIR; with FILES, the file lists too) into
 * POOL as repository LABEL. Each data file's checksum and size are verified
 * against repomd.xml before it is parsed. With CACHE (may be NULL) the
 * parsed repository is read from and written to entry KEY there; *HIT (may
 * be NULL) tells whether it was read. Returns the repository (owned by the
 * pool), or NULL with D filled (ED_EXIT_ENV: missing, unreadable, unverified
 * or corrupt metadata). */
Repo *dnf_load_dir(Pool *pool, const char *dir, const char *label, struct repocache *cache,
		   const char *key, bool files, bool *hit, struct ed_diag *d);

/* Read the rpm database under ROOT ("/" or another root) into a new
 * repository "@System" of POOL; on a machine without an rpm database the
 * repository is empty. NULL with D filled when a database exists but cannot
 * be read. */
Repo *dnf_load_rpmdb(Pool *pool, const char *root, struct ed_diag *d);

#endif
