/* rpmmd.h - rpm-md repositories and the rpm database, as the rpm backends
 * (dnf, zypper) read them with libsolv.
 *
 * A repository's metadata is kept in a cache directory of its own:
 * repomd.xml and the data files it names (primary.xml.*, and the file lists
 * or other data a backend asks for), found there by base name. Downloads go
 * to repomd.xml.next first; repomd.xml is replaced only once every file it
 * names has arrived and verified, so a failed update keeps the previous
 * good copy whole.
 */
#ifndef EXTDEPS_RPMMD_H
#define EXTDEPS_RPMMD_H

#include <stdbool.h>
#include <stddef.h>

#include <solv/pool.h>
#include <solv/repo.h>

#include "extdeps/eco/eco.h"
#include "extdeps/net/repocache.h"
#include "extdeps/util/diag.h"

struct fetch;

#define RPMMD_PATH_MAX 4096

/* What repomd.xml says about one of its data files. */
struct rpmmd_entry {
	char location[1024];  /* "repodata/HASH-primary.xml.gz" */
	char checksum[129];   /* lower-case hex; "" when repomd gives none */
	Id checksum_type;     /* REPOKEY_TYPE_SHA256, ...; 0 with no checksum */
	unsigned long long size; /* 0: not given */
};

/* Read the entry of TYPE ("primary") from the repomd.xml at PATH.
 * ED_EXIT_ENV when the file cannot be read, is not repomd XML, or has no
 * such entry. */
int rpmmd_repomd_find(const char *path, const char *type, struct rpmmd_entry *e,
		      struct ed_diag *d);

/* Whether the repomd.xml at PATH names data of TYPE. */
bool rpmmd_names_type(const char *path, const char *type);

/* Data of a type besides primary and filelists that a backend reads where
 * repomd.xml names it (EL's "modules"): LOAD reads the file at PATH for the
 * repository LABEL, into REPO when it was just parsed (NULL: read back from
 * a .solv cache). 0, or an ed_exit status with D filled. */
struct rpmmd_extra {
	const char *type;
	int (*load)(Pool *pool, Repo *repo, const char *path, const char *label,
		    struct ed_diag *d);
};

/* Load the rpm-md repository in DIR (DIR/repomd.xml and the primary it
 * names, found by base name in DIR; with FILES, the file lists too; the
 * EXTRA data where named, EXTRA may be NULL) into POOL as repository LABEL.
 * Each data file's checksum and size are verified against repomd.xml
 * before it is parsed. With CACHE (may be NULL) the parsed repository is
 * read from and written to entry KEY there; *HIT (may be NULL) tells
 * whether it was read. Returns the repository (owned by the pool), or NULL
 * with D filled (ED_EXIT_ENV: missing, unreadable, unverified or corrupt
 * metadata). */
Repo *rpmmd_load_dir(Pool *pool, const char *dir, const char *label, struct repocache *cache,
		     const char *key, bool files, const struct rpmmd_extra *extra, bool *hit,
		     struct ed_diag *d);

/* One update of a repository's cache directory, under its lock: a backend
 * fills the fields above the line, rpmmd_update() the rest. */
struct rpmmd_update {
	const struct eco_opts *o;
	const char *dir;               /* the cache directory */
	char base[2048];               /* the repository's base URL, ending in '/';
					* "": GET_REPOMD finds it */
	const struct rpmmd_extra *extra; /* fetched too where named; may be NULL */
	struct eco_update_stats *st;   /* counts are added; may be NULL */
	const char *label;             /* progress names files LABEL/NAME
					* ("repo-oss/repomd.xml"); NULL: NAME */
	/* Download repomd.xml another way than from BASE (Fedora's metalink):
	 * into NEXT, or leave the cached REPOMD in USE when it is current;
	 * BASE filled. NULL: from BASE, trusted as the transport delivers it
	 * once it reads. */
	int (*get_repomd)(struct rpmmd_update *u, struct ed_diag *d);
	void *ud;
	/* --- */
	struct fetch *f;
	char repomd[RPMMD_PATH_MAX];   /* DIR/repomd.xml, what loads read */
	char next[RPMMD_PATH_MAX];     /* DIR/repomd.xml.next, not yet in place */
	const char *use;               /* the verified repomd.xml: REPOMD or NEXT */
};

/* The most bytes of a repomd.xml (or a metalink) downloaded. */
#define RPMMD_REPOMD_MAX ((uint64_t)4 << 20)

/* Update U->dir: repomd.xml, then the primary it names (the file lists with
 * O->file_lists, U->extra's data where named), each verified, then
 * repomd.xml put in place and the data of earlier revisions removed; under
 * the directory's lock. ED_EXIT_ENV on network or verification failure. */
int rpmmd_update(struct rpmmd_update *u, struct ed_diag *d);

/* fetch_expect.check of a repomd.xml: it reads and names a primary, so
 * that one that does not never replaces the copy kept. */
int rpmmd_check_repomd(const char *path, void *ud, struct ed_diag *d);

/* One repository a backend loads from its cache directory. */
struct rpmmd_source {
	struct repocache *cache;         /* its cache directory */
	const char *label;               /* the repository's name in the pool */
	const char *what;                /* for messages: "Fedora 41", "repo-oss" */
	const char *arch;                /* for messages */
	const struct rpmmd_extra *extra; /* may be NULL */
	const struct eco_repo *enabled;  /* the --enable-repo it is, for the update
					  * a message names; NULL: the target's */
	/* Download it into the cache (the backend's update of this one). */
	int (*update)(const struct rpmmd_source *s, struct ed_diag *d);
	const void *ud;
};

/* Add S's repository to POOL from its cache directory, updated first when
 * the cache lacks it (ED_EXIT_ENV with O->offline), and once more when it
 * is damaged. ST's counts are added to. */
int rpmmd_load(Pool *pool, const struct eco_opts *o, const struct rpmmd_source *s,
	       struct eco_load_stats *st, struct ed_diag *d);

/* Read the rpm database under ROOT ("/" or another root) into a new
 * repository "@System" of POOL; on a machine without an rpm database the
 * repository is empty. NULL with D filled when a database exists but cannot
 * be read. */
Repo *rpmmd_load_rpmdb(Pool *pool, const char *root, struct ed_diag *d);

/* eco_ops.open_db of an rpm backend: the rpm database under O's root, or
 * *OUT NULL where there is none. */
int rpmmd_open_db(const struct eco_opts *o, struct installed **out, struct ed_diag *d);

/* URL with $releasever and $basearch (as .repo files write them, also in
 * braces) replaced by RELEASE and ARCH, into OUT (SIZE bytes; OUT may be
 * URL). ED_EXIT_INPUT when it does not fit. */
int rpmmd_expand_vars(const char *url, const char *release, const char *arch, char *out,
		      size_t size, struct ed_diag *d);

/* A section of a .repo file, as dnf (/etc/yum.repos.d) and zypper
 * (/etc/zypp/repos.d) write them. */
struct rpmmd_repo_conf {
	bool enabled;       /* enabled= (1 where not given) */
	char baseurl[1024]; /* the first URL of baseurl=, unexpanded; "" when none */
};

/* The section ID of the .repo files of DIR ("/etc/yum.repos.d") under O's
 * root into *C: false when none has one; an enabled one when several
 * files name ID. */
bool rpmmd_repo_conf_find(const struct eco_opts *o, const char *dir, const char *id,
			  struct rpmmd_repo_conf *c);

/* The target's release (O->release, else DEFAULT_RELEASE) and rpm
 * architecture (O->arch, else this machine's) into *RELEASE and *ARCH,
 * checked to be letters, digits, '_' and '.' (what cache directories and
 * URLs hold unquoted): ED_EXIT_INPUT otherwise, naming ROLLING ("rawhide")
 * as the word a release may be; ED_EXIT_ENV when this machine's is unknown. */
int rpmmd_target(const struct eco_opts *o, const char *default_release, const char *rolling,
		 const char **release, const char **arch, struct ed_diag *d);

/* eco_ops.load_installed of an rpm backend: the rpm database under O's
 * root (rpmmd_load_rpmdb), made the pool's installed repository. */
int rpmmd_load_installed(Pool *pool, const struct eco_opts *o, Repo **out, struct ed_diag *d);

/* eco_ops.has_db of an rpm backend: an rpm database under O's root. */
bool rpmmd_has_db(const struct eco_opts *o);

/* An rpm name or a provide as dnf and zypper take it on their command
 * line: NAME, NAME-VERSION[-RELEASE], "pkgconfig(name)", "perl(Foo::Bar)",
 * a "NAME >= VERSION" in one argument. Never an option (no leading '-'). */
bool rpmmd_valid_spec(const char *spec);

#endif
