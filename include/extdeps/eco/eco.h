/* eco.h - the ecosystem backend interface (src/eco/<name>.c).
 *
 * A backend knows one package manager: where its repository metadata and its
 * installed-package database live, how it compares versions, how it spells
 * architectures, and how it is run (argv, environment, root). Nothing outside
 * src/eco/ knows those formats, paths or command lines: the front end, check
 * and the renderers ask the backend (struct eco_ops below), found through
 * backends.h by name or by the registry ecosystem it serves.
 *
 * Adding a backend is one src/eco/NAME.c defining `const struct eco_ops
 * eco_NAME` (its header declares it), one mapping file mappings/ECOSYSTEM.yaml
 * (extdeps-mappings(5)) and one line in src/eco/backends.c. Fields marked
 * optional may be left zero.
 *
 * A database-only backend (pypi: the wheels of the Python that will build)
 * reads this machine's installed set and no repositories: it fills name,
 * database, scope, open_db, has_db and ecosystems, and leaves the rest
 * zero. check reads its database; eco_for_ecosystem() does not return it,
 * so its ecosystem is mapped but never solved or installed into.
 *
 * Typical use, for the target "this machine":
 *
 *   const struct eco_ops *eco = eco_find("apt");
 *   Pool *pool = pool_create();
 *   struct eco_opts o = { 0 };             // defaults: "/", host arch, user cache
 *   struct eco_load_stats st;
 *   if (eco->pool_setup(pool, &o, &d) || eco->load_available(pool, &o, &st, &d) ||
 *       eco->load_installed(pool, &o, NULL, &d))
 *           ...report d...
 *   pool_addfileprovides(pool);
 *   pool_createwhatprovides(pool);
 *
 * Ownership: the Pool belongs to the caller; the repositories a backend adds
 * belong to the Pool (pool_free frees them). Strings in eco_opts are borrowed
 * for the duration of a call. Argument vectors from install_argv are the
 * caller's, freed with eco_argv_free.
 *
 * Errors: each function returns 0, or an ed_exit status with D filled:
 * ED_EXIT_ENV when the machine lacks what is needed (no metadata, unreadable
 * or corrupt files), ED_EXIT_INPUT when the caller passed something invalid
 * (a package spec outside the strict character set). After a failed load
 * the pool may hold the repositories added before the failure: free it.
 */
#ifndef EXTDEPS_ECO_H
#define EXTDEPS_ECO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <solv/pool.h>
#include <solv/repo.h>

#include "extdeps/eco/arch.h"
#include "extdeps/util/diag.h"

struct fetch_result;
struct installed;
struct repocache;

/* A repository besides the target's own that a load adds to the pool and
 * update() downloads (--enable-repo): one of the registry's `repositories`
 * of the target's ecosystem (extdeps-mappings(5)), its strings filled for
 * the target. */
struct eco_repo {
	const char *id;          /* "nvidia-cuda": in cache paths and messages */
	const char *name;        /* "NVIDIA's CUDA repository", for messages */
	const char *component;   /* a component of the target's own archive
				  * ("contrib"), or NULL */
	const char *url;         /* another vendor's: where its metadata is (its
				  * registry url, or the URL --enable-repo gave) */
	const char *home_url;    /* the registry's url, which this machine's own
				  * configuration would name; NULL: as URL */
	const char *suite;       /* apt: the suite under URL, "/" (a trailing '/')
				  * for a flat repository; NULL: flat */
	const char *keyring;     /* the keyring that verifies it, a path under the
				  * root; NULL: none known */
	const char *enable;      /* its enable commands as one line, for messages */
};

/* The kinds of eco_repo a backend loads (eco_ops.repo_kinds). */
enum eco_repo_kind {
	ECO_REPO_URL = 1 << 0,       /* another vendor's, at a URL */
	ECO_REPO_COMPONENT = 1 << 1, /* a component of the target's archive */
};

/* Where and how to load. Every field may be left zero for the default. */
struct eco_opts {
	const char *root;      /* file system root; NULL: $EXTDEPS_ROOT, else "/" */
	const char *arch;      /* target architecture in the ecosystem's spelling
				* ("amd64" for apt); NULL: this machine's */
	const char *cache_dir; /* NULL: $XDG_CACHE_HOME/extdeps, else ~/.cache/extdeps */
	bool no_cache;         /* neither read nor write .solv caches */

	/* The target: the registry ecosystem DISTRO ("debian", "ubuntu",
	 * "fedora", "conda-forge", "homebrew", "nixpkgs") at RELEASE ("12";
	 * NULL: the ecosystem's default) and CODENAME ("bookworm", or NULL),
	 * always filled by the front end. HOST: the target is this machine, so
	 * its installed set matters, and backends whose package manager keeps
	 * metadata on the machine (apt's lists, dnf's cache) use that, ignoring
	 * the fields below. Otherwise metadata comes from update(), which
	 * downloads into the cache, and load_available reads from there. */
	bool host;
	/* The target was named (--distro), so that on this machine what
	 * update() downloaded for it is read before the package manager's own
	 * lists, which are also the fallback of a machine without them (a
	 * fresh container). */
	bool named;
	const char *distro;
	const char *release;
	const char *codename;
	const char *mirror;           /* --mirror URL; NULL: the host's configuration, else
				       * the backend's default */
	const char *const *channels;  /* --channel, in priority order (conda) */
	size_t nchannels;
	const char *platform;         /* --platform (conda subdir, Homebrew bottle tag) */
	bool offline;                 /* never download: a missing cache is an error */
	bool progress;                /* a progress bar may be drawn on stderr */
	/* fetch_opts.done: a file downloaded or found current (a line per
	 * file where no bar is drawn), or NULL */
	void (*fetched)(const char *label, const struct fetch_result *r, void *ud);
	void *fetched_ud;
	bool file_lists;              /* also every file of every package (rpm-md
				       * filelists), for specs that are paths */
	/* The package names the caller will ask about (a plan's mapped
	 * names), or NULL: any. A backend that can read part of its metadata
	 * (conda's sharded repodata) loads what these names reach through
	 * their dependencies, and may load more. */
	const char *const *names;
	size_t nnames;
	const char *cuda_driver;      /* the newest CUDA this machine's driver runs
				       * ("12.4"), for backends that model it
				       * (wants_cuda_driver); NULL: none found, or
				       * not this machine */
	/* Repositories added beside the target's (repo_kinds says which kinds
	 * the backend takes). load_available adds them to the pool, update()
	 * downloads them, each into a cache directory of its own, verified as
	 * the target's metadata is; on this machine (HOST) the target's own
	 * update is left to its package manager and only these are fetched. */
	const struct eco_repo *repos;
	size_t nrepos;

	/* Bounds on waiting (eco_fetch_opts, eco_lock_opts): TIMEOUT_S the
	 * deadline of one update's downloads (fetch.h), and of each wait for
	 * a cache directory's lock; 0: 600. MIN_RATE the minimum average rate
	 * of a transfer in bytes/s; 0: 1024; <0: none. */
	long timeout_s;
	long min_rate;
	/* Who waits for a cache lock is told so (lockfile.h's waiting), with
	 * the holder's process and what it runs (LOCK_HOLDER, "extdeps
	 * update", recorded by a writer); NULL: not told. */
	void (*lock_waiting)(const char *path, const char *who, void *ud);
	void *lock_waiting_ud;
	const char *lock_holder;
};

/* What update did. */
struct eco_update_stats {
	size_t files;       /* metadata files considered */
	size_t downloaded;  /* of those, fetched anew (200) */
	size_t unchanged;   /* not modified (304) or already verified in the cache */
	size_t bytes;       /* bytes received */
	size_t unverified;  /* signed indexes read unchecked (EXTDEPS_KEYRING=none, or no keyring) */
	bool no_keyring;    /* of those, some for want of the distribution's keyring, not asked */
	char keyring[256];  /* then the keyring looked for */
};

/* What load_available did, for -v output and the benchmarks. */
struct eco_load_stats {
	size_t repos;        /* repositories added to the pool */
	size_t cache_hits;   /* of those, read back from a .solv cache */
	size_t cache_writes; /* .solv caches (re)written */
	size_t missing;      /* configured metadata files not found on disk */
	size_t solvables;    /* packages added */
};

/* Where a backend's package manager keeps what it installs. */
enum eco_scope {
	/* A per-user prefix that runs on any system (conda, Homebrew, Nix): a
	 * target is this machine unless --platform names another; its database
	 * is named with the backend's first ecosystem. */
	ECO_USER,
	/* The operating system's (apt, dnf): a target is this machine only
	 * when os-release names it and no --mirror is given; its database is
	 * named with the machine's own distribution. */
	ECO_SYSTEM,
};

/* Flags of install_argv. */
enum eco_install_flags {
	ECO_INSTALL_YES = 1 << 0,             /* never ask (apt-get -y) */
	ECO_INSTALL_NO_RECOMMENDS = 1 << 1,   /* weak dependencies off */
	ECO_INSTALL_SIMULATE = 1 << 2,        /* the package manager's dry run */
};

struct eco_ops {
	const char *name;          /* "apt": the key of eco_find() */
	const char *database;      /* the installed-package database: "dpkg" */
	enum eco_scope scope;
	/* How the target spells architectures (arch.h): --arch and the plan's
	 * header use it; this machine's comes from arch_host() (uname's
	 * machine where the table does not know it). */
	enum arch_scheme arch_scheme;

	/* The version rules: the libsolv DISTTYPE_* the pool must use, and a
	 * word for humans and JSON ("deb": Debian policy's epoch:upstream-revision
	 * comparison with '~' sorting first). Versions are then compared with
	 * pool_evrcmp_str() on a pool set up by pool_setup. */
	int disttype;
	const char *version_rules;

	/* Set the pool's disttype and architecture (O->arch or the host's).
	 * Call once, on a fresh pool, before any load. */
	int (*pool_setup)(Pool *pool, const struct eco_opts *o, struct ed_diag *d);

	/* Add the available packages of the target as one or more repositories
	 * (from .solv caches when fresh, else from the metadata, refreshing the
	 * caches). ST may be NULL. ED_EXIT_ENV when no metadata at all is found
	 * or a metadata file is unreadable or corrupt. */
	int (*load_available)(Pool *pool, const struct eco_opts *o, struct eco_load_stats *st,
			      struct ed_diag *d);

	/* Add this machine's installed packages as one repository and make it
	 * the pool's installed repo (pool_set_installed). *OUT (OUT may be NULL)
	 * receives it. Only packages really installed are kept. */
	int (*load_installed)(Pool *pool, const struct eco_opts *o, Repo **out, struct ed_diag *d);

	/* The argv (NULL-terminated, malloc'd, free with eco_argv_free) that
	 * installs the N package SPECS (ecosystem syntax, e.g. "name",
	 * "name=version", "name:arch"). Every spec is checked against the
	 * ecosystem's strict character set first: ED_EXIT_INPUT, NULL, when one
	 * fails. Never a shell string; privilege escalation (sudo) is the
	 * caller's decision, see install_needs_root. O is the target's options
	 * the plan was made with (conda passes its channels on); may be NULL. */
	char **(*install_argv)(const struct eco_opts *o, const char *const *specs, size_t n,
			       unsigned flags, struct ed_diag *d);

	/* Whether running install_argv's command needs root. */
	bool (*install_needs_root)(const struct eco_opts *o);

	/* Variables install_argv's command must run with ("NAME=value",
	 * NULL-terminated), which a sudo in front must pass on; NULL: none. */
	const char *const *install_env;

	/* The package manager refuses to run as root at all (Homebrew). */
	bool refuses_root;

	/* The command (NULL-terminated) that refreshes the package manager's
	 * own metadata on this machine ("apt-get update"), for messages; NULL
	 * when it keeps none. */
	const char *const *refresh_argv;
	/* Optional: whether this machine's package manager has no metadata to
	 * install from (apt's lists, empty in a fresh container), so that
	 * refresh_argv must run first; and a shell condition that is true
	 * then, for scripts (plan --format=sh). NULL: it fetches its own. */
	bool (*metadata_missing)(const struct eco_opts *o);
	const char *metadata_missing_sh;

	/* Optional, for `check`: this machine's package database of this
	 * backend, under O's root and where the package manager's environment
	 * ($CONDA_PREFIX, $HOMEBREW_CELLAR, the nix profile) puts it, read into
	 * *OUT (installed.h; installed_free). *OUT is NULL, and 0 returned,
	 * when this machine has none. ED_EXIT_ENV when one exists and cannot be
	 * read. HAS_DB answers the first question without reading anything. */
	int (*open_db)(const struct eco_opts *o, struct installed **out, struct ed_diag *d);
	bool (*has_db)(const struct eco_opts *o);

	/* The backend models this machine's CUDA driver (conda's __cuda): the
	 * caller fills eco_opts.cuda_driver when the target is this machine. */
	bool wants_cuda_driver;

	/* Optional: an extra `plan --format` this backend writes, SHELL_FORMAT
	 * ("nix"), and the argv (NULL-terminated, malloc'd: eco_argv_free) of a
	 * shell with the N packages SPECS ("nix-shell -p ..."). ED_EXIT_INPUT,
	 * NULL, when a spec fails the backend's checks. */
	const char *shell_format;
	char **(*shell_argv)(const char *const *specs, size_t n, struct ed_diag *d);

	/* The registry ecosystems this backend serves, NULL-terminated
	 * ({"debian", "ubuntu", NULL}). */
	const char *const *ecosystems;

	/* Download (or revalidate) the target's metadata (O->host false) and
	 * that of O->repos into the cache, verified, atomically, under the
	 * cache's lock; the previous good copy stays when a download fails.
	 * NULL when the backend has nothing to download. ED_EXIT_ENV on network or verification failure,
	 * ED_EXIT_INPUT on a bad --mirror. load_available calls it itself when
	 * the cache lacks the target and O->offline is false. */
	int (*update)(const struct eco_opts *o, struct eco_update_stats *st, struct ed_diag *d);

	/* Optional. The version of solvable P as users write it, where the
	 * backend stores an encoded EVR for ordering (conda); NULL: the EVR. */
	const char *(*solvable_version)(Pool *pool, Id p);

	/* Optional. The architecture of solvable P as users name it, where the
	 * backend loads every package under one architecture for the solver
	 * (conda: the subdir it came from); NULL: the solvable's. */
	const char *(*solvable_arch)(Pool *pool, Id p);

	/* Optional. The dependency "NAME OP VERSION" (OP a libsolv REL_* mask,
	 * 0 for the bare name) in the backend's version semantics; NULL: the
	 * plain libsolv relation. */
	Id (*dep)(Pool *pool, const char *name, int rel, const char *version);

	/* Optional: the kinds of eco_opts.repos (enum eco_repo_kind) this
	 * backend loads; the front end refuses the others. 0: none. */
	unsigned repo_kinds;

	/* Optional: whether this machine's package manager is configured with
	 * R (its sources name R's url or home_url, or have R's component), so
	 * that install_argv's command installs from it. NULL: never known. */
	bool (*has_repo)(const struct eco_opts *o, const struct eco_repo *r);

	/* Optional: the C library the target's programs link, where not
	 * glibc ("musl"): its wheels are musllinux ones. */
	const char *libc;

	/* Optional: why package P of a disabled repository the backend added
	 * (packages the package manager hides, such as those of EL's module
	 * streams not enabled by default) cannot be installed, and how to make
	 * it installable, for plans that want it; pool temporary space, or
	 * NULL. */
	const char *(*hidden_why)(Pool *pool, Id p);

	/* Optional: the PEP 508 platform of what is built for PLATFORM (a
	 * conda subdir, a Homebrew bottle tag; NULL: the backend's own default
	 * for a target that is not this machine): *SYS_PLATFORM ("darwin") and
	 * *MACHINE ("arm64"; NULL: this machine's), static strings. False when
	 * PLATFORM says nothing the backend knows (this machine's apply). */
	bool (*markers)(const char *platform, const char **sys_platform, const char **machine);

	/* Optional. Plans first solve on the pool pruned (prune.h) to this many
	 * builds per name for each dependency, widening it while a cut pool
	 * fails; 0: the whole pool. For channels with hundreds of builds a name. */
	int prune_builds;
};

/* Free an argv from install_argv. ARGV may be NULL. */
void eco_argv_free(char **argv);

/* The root O asks for: O->root, else $EXTDEPS_ROOT when set and not empty,
 * else "/". O may be NULL. The string is borrowed. */
const char *eco_root(const struct eco_opts *o);

/* Number of solvables of the pool's available repositories (every repo but
 * pool->installed) whose name is NAME (not only a provide). For checking
 * that mapped package names exist in the target's repositories. Needs the
 * pool's whatprovides index: built here when absent (the loads above drop it),
 * so call it after all repositories are loaded. Unknown names give 0. */
size_t eco_pool_count_name(Pool *pool, const char *name);

/* eco_pool_count_name(...) > 0. */
bool eco_pool_has_name(Pool *pool, const char *name);

/* --- helpers the backends share --- */

/* The first step of pool_setup: POOL compares versions as OPS says
 * (OPS->disttype). ED_EXIT_ENV when this libsolv cannot. */
int eco_set_disttype(Pool *pool, const struct eco_ops *ops, struct ed_diag *d);

/* The end of load_installed: REPO (NULL: nothing is installed, a new empty
 * "@System") becomes POOL's installed repository, and *OUT (OUT may be NULL)
 * gets it. Returns 0. */
int eco_installed_done(Pool *pool, Repo *repo, Repo **out);

/* The argv (as install_argv returns it) of the words of PREFIX
 * (NULL-terminated) followed by the N SPECS, each after SPEC_PREFIX
 * ("nixpkgs#"; NULL: none). Every spec is checked with VALID
 * first: ED_EXIT_INPUT, NULL, saying "'SPEC' is not a valid WHAT" when one
 * fails, or "nothing to install" when N is 0. */
char **eco_argv_new(const char *const *prefix, const char *const *specs, size_t n,
		    bool (*valid)(const char *spec), const char *what, const char *spec_prefix,
		    struct ed_diag *d);

/* URL into OUT (SIZE bytes): O->mirror, else DEFAULT_BASE, without
 * trailing '/', then PATH. ED_EXIT_INPUT when --mirror is not an http(s)
 * or file URL; ED_EXIT_INPUT when the URL does not fit. */
int eco_mirror_url(const struct eco_opts *o, const char *default_base, const char *path,
		   char *out, size_t size, struct ed_diag *d);

/* R's id can name a cache directory (a-z, 0-9, '-'; at most 63):
 * ED_EXIT_INPUT otherwise. */
int eco_repo_check_id(const struct eco_repo *r, struct ed_diag *d);

/* URL into OUT (SIZE bytes): R's url, without trailing '/', then PATH.
 * ED_EXIT_INPUT when R has none, or not an http(s) or file one, or the
 * URL does not fit. */
int eco_repo_url(const struct eco_repo *r, const char *path, char *out, size_t size,
		 struct ed_diag *d);

/* Count one download's result R into ST (ST may be NULL). */
void eco_update_count(struct eco_update_stats *st, const struct fetch_result *r);

struct fetch_opts;
struct lockfile_opts;

/* The fetch options O asks for (progress, deadline, minimum rate) into FO. */
void eco_fetch_opts(const struct eco_opts *o, struct fetch_opts *fo);

/* The lock options of a cache directory into LO: a writer's (SHARED false)
 * or a reader's, waiting at most O's timeout, telling O's lock_waiting. */
void eco_lock_opts(const struct eco_opts *o, bool shared, struct lockfile_opts *lo);

/* The command that fills the cache O's load reads, as a message shows it
 * ("'extdeps update --distro=debian:13 --arch=amd64'"), into OUT (SIZE
 * bytes), for the hint of a message about missing or damaged metadata: O's
 * target (where it was named, or is not this machine), the options that
 * choose its cache directory or mirror (--arch, --platform, --mirror,
 * --channel), and --enable-repo=EXTRA (with its URL where it is not the
 * repository's own) when EXTRA is not NULL. Values are quoted for the shell
 * where they must be; the command is in single quotes, or in double quotes
 * where it holds a single quote itself. */
void eco_update_command(const struct eco_opts *o, const struct eco_repo *extra, char *out,
			size_t size);

/* Append "; run 'extdeps update ...'" (eco_update_command's) to D's
 * message, which keeps its place; D's status becomes ED_EXIT_ENV: for
 * metadata --offline finds missing or damaged. D may be NULL. */
void eco_diag_add_update_hint(struct ed_diag *d, const struct eco_opts *o,
			      const struct eco_repo *extra);

/* O's timeout in seconds (O->timeout_s, else 600), for messages. */
long eco_timeout_s(const struct eco_opts *o);

/* A target whose metadata is one file: URL, kept as NAME in the cache
 * directory SUBDIR ("brew/formulae"). */
struct eco_file_target {
	const char *subdir;
	const char *name;
	const char *url;          /* for eco_file_update */
	uint64_t max_size;        /* the most bytes downloaded; 0: fetch's default */
	/* fetch_expect.head: the first bytes of a download can begin the
	 * format (jsonstream_head_plain); NULL: not checked early */
	int (*head)(const unsigned char *buf, size_t len, struct ed_diag *d);
	const char *what;         /* for messages: "Homebrew formula metadata" */
	const char *progress;     /* what progress calls the file; NULL: the
				   * URL's last part */
	/* Parse the file at PATH into a new repository LABEL of POOL, or NULL
	 * with D filled. Also run on each download before it replaces the
	 * cached copy, so that a corrupt one never does. */
	Repo *(*parse)(Pool *pool, const char *path, const char *label, void *ud,
		       struct ed_diag *d);
	void *ud;
	const char *label;        /* the repository's name */
	const char *key;          /* the .solv cache's key */
};

/* Download T's file into the cache, under the cache's lock, keeping the
 * previous copy unless the new one downloads whole and parses (update()
 * of a one-file backend). ST may be NULL. */
int eco_file_update(const struct eco_opts *o, const struct eco_file_target *t,
		    struct eco_update_stats *st, struct ed_diag *d);

/* Add T's repository to POOL (load_available of a one-file backend): from
 * the .solv cache when it matches the file, else parsed and cached. When
 * the file is missing it is downloaded with UPDATE (O->offline: ED_EXIT_ENV
 * instead). ST may be NULL. */
int eco_file_load(Pool *pool, const struct eco_opts *o, const struct eco_file_target *t,
		  int (*update)(const struct eco_opts *o, struct eco_update_stats *st,
				struct ed_diag *d),
		  struct eco_load_stats *st, struct ed_diag *d);

#endif
