/* check.h - is each selected dependency satisfied on this machine, and how
 * was that decided.
 *
 * In order of authority, for a DepURL and (for virtual interfaces such as
 * dep:virtual/interface/blas) every registry definition that provides it:
 *   1. a package database of the host (dpkg, rpm, conda-meta, Homebrew
 *      Cellar, nix profile, the wheels of the Python that will build) has a
 *      mapped package installed, every package of the mapping by one of its
 *      alternatives, at a version that meets the constraint (distribution
 *      versions reduced to upstream first, see
 *      probe_upstream_version(); only where the registry says the
 *      ecosystem's versions follow upstream);
 *   2. the registry's probes find it: variables naming an executable (CC),
 *      pkg-config modules (compared by pkg-config's rules), executables on
 *      PATH (`TOOL --version` run only when a version is needed), files;
 *   3. CUDA (dep:generic/cuda and friends): the toolkit (nvcc, version file)
 *      for the build and host stages, the driver (libcuda) for the run stage
 *      and for dep:generic/cuda-driver; the result says which.
 * A dependency found where its version cannot be compared is "unverified":
 * counted as satisfied, and said so; a version that was compared and fails
 * the constraint outweighs it (the tool the build would use is too old).
 *
 * Nothing here prints; the report owns its strings (check_report_fini()).
 */
#ifndef EXTDEPS_CHECK_H
#define EXTDEPS_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "extdeps/map/registry.h"
#include "extdeps/map/select.h"
#include "extdeps/read/project.h"
#include "extdeps/util/diag.h"

enum check_status {
	CHECK_SATISFIED,  /* found, and the constraint (if any) is met */
	CHECK_UNVERIFIED, /* found; its version cannot be compared with the constraint */
	CHECK_NOT_CHECKED,/* answered by the GPU driver, which was not to be checked (--no-gpu) */
	CHECK_TOO_OLD,    /* found only at versions outside the constraint */
	CHECK_MISSING,    /* not found */
	CHECK_UNKNOWN,    /* not in the registry and not found by its name */
};

/* "satisfied", "unverified", "not-checked", "version-mismatch", "missing",
 * "unknown". */
const char *check_status_name(enum check_status s);

/* Satisfied, unverified or not checked: does not fail a check. */
bool check_status_ok(enum check_status s);

enum check_method {
	CHECK_BY_NONE,
	CHECK_BY_PACKAGE,      /* a package database */
	CHECK_BY_ENV,          /* a variable naming an executable (CC, CXX, FC, CUDACXX) */
	CHECK_BY_PKGCONFIG,
	CHECK_BY_EXECUTABLE,
	CHECK_BY_FILE,
	CHECK_BY_CUDA_TOOLKIT,
	CHECK_BY_CUDA_DRIVER,
	CHECK_BY_NAME,         /* not in the registry: a pkg-config module or executable of its name */
	CHECK_BY_CUDA_LIBRARY, /* a CUDA library or tool in a CUDA installation (cuda_find.h) */
};

/* "none", "package", "env", "pkgconfig", "executable", "file",
 * "cuda-toolkit", "cuda-driver", "name", "cuda-library". */
const char *check_method_name(enum check_method m);

/* What decided (or came closest). */
struct check_evidence {
	enum check_method method;
	char what[256];      /* the package, module, executable, "$CC" or file pattern */
	char path[4096];     /* the database, .pc file, executable, file or library */
	char version[128];   /* as found; "" when unknown */
	char compared[128];  /* the version compared when it differs (Debian upstream), else "" */
	const char *database;/* "dpkg", "conda" ... for CHECK_BY_PACKAGE, else NULL */
	const char *provider;/* the definition that satisfied a virtual DepURL, else NULL */
	const char *about;   /* CUDA: "toolkit" or "driver", else NULL */
	const char *place;   /* a CUDA installation: its kind (cuda_place_id: "cuda-home",
			      * "wheels"), else NULL */
	char location[4096]; /* and its directory, else "" */
	char note[256];      /* something else worth saying, else "" */
	int verdict;         /* 1 meets the constraint, 0 not, -1 cannot compare, 2 no constraint */
};

struct check_result {
	const struct project_dep *dep; /* borrowed from the project */
	enum check_status status;
	struct check_evidence ev;
	char *message;       /* one line for people */
	char *tried;         /* what was looked at without success, "; "-separated, or NULL */
	char **install;      /* what to install with the host's package manager (unmet only) */
	size_t ninstall;
	char *install_note;  /* why there is nothing to install, or NULL */
	bool install_own;    /* INSTALL is the dependency's own mapping (not the
			      * driver's a CUDA check points to instead) */
};

struct check_db_info {
	const char *kind;      /* "dpkg" ... */
	const char *path;
	const char *ecosystem; /* whose mappings name its packages */
	size_t count;          /* entries */
};

struct check_report {
	struct check_result *results; /* one per selected dependency, in declaration order */
	size_t count;
	size_t nsatisfied, nunmet;    /* nunmet: too old, missing or unknown */
	size_t nnot_checked;          /* CHECK_NOT_CHECKED (neither of the above) */
	const char *ecosystem;        /* the host's target for install commands, or NULL */
	const char *release;
	char **argv;                  /* the install command line, or NULL when nothing to install */
	size_t nargv;
	bool needs_root;
	const struct check_db_info *dbs; /* the package databases consulted (owned by the host) */
	size_t ndbs;
};

struct check_host;

#define CHECK_ECO_ID_MAX 64
#define CHECK_ECO_MAX 12

/* The ecosystems check_host_new() may consult on this machine, as it would
 * find them (ROOT as there): os-release's ID and ID_LIKE words, conda-forge
 * when $CONDA_PREFIX/conda-meta exists, homebrew when a Cellar does, nixpkgs
 * when a nix profile does, pypi when a site-packages does; at most MAX into
 * IDS. So that a check loads the mappings of those only. Returns how many. */
size_t check_host_ecosystems(const char *root, char (*ids)[CHECK_ECO_ID_MAX], size_t max);

/* Set up the checks of this machine: read its package databases (found
 * under ROOT, NULL for "/": var/lib/dpkg/status, the rpm database;
 * $CONDA_PREFIX/conda-meta; $HOMEBREW_CELLAR, $HOMEBREW_PREFIX/Cellar or
 * the default Cellars; $HOME/.nix-profile/manifest.json; the site-packages
 * of pysite.h, python3 looked for on $PATH), decide the host's target from
 * ROOT's os-release. SEARCH_PATH (NULL: $PATH) is where executables are
 * looked for. REG must outlive the host. ED_EXIT_ENV when a database
 * exists but cannot be read, or out of memory. */
int check_host_new(const struct registry *reg, const char *root, const char *search_path,
		   struct check_host **out, struct ed_diag *d);

void check_host_free(struct check_host *h);

/* Leave the GPU driver unchecked (a machine without a GPU, such as a CI
 * runner that only builds): what only the driver answers (dep:generic/
 * cuda-driver, dep:generic/cuda at run time) is CHECK_NOT_CHECKED. */
void check_host_no_gpu(struct check_host *h);

/* The host's own target (os-release's ID and VERSION_ID, or an ID_LIKE the
 * registry knows), or NULL when the registry knows none. */
const struct reg_target *check_host_target(const struct check_host *h);

/* The package databases read, *N of them. */
const struct check_db_info *check_host_dbs(const struct check_host *h, size_t *n);

/* Check one dependency into OUT (check_result_fini()). ED_EXIT_ENV when out
 * of memory. */
int check_dep(struct check_host *h, const struct project_dep *dep, struct check_result *out,
	      struct ed_diag *d);

void check_result_fini(struct check_result *r);

/* Check every dependency of P whose VERDICT is SELECT_IN, and gather the
 * install command for what is unmet. */
int check_run(struct check_host *h, const struct project *p, const enum select_skip *verdict,
	      struct check_report *out, struct ed_diag *d);

void check_report_fini(struct check_report *r);

/* Replace what result R says to install with NAMES (N of them, copied), or
 * with nothing and NOTE (copied) when N is 0: what a solve of the target's
 * repositories found (cmd check). ED_EXIT_ENV when out of memory. */
int check_result_set_install(struct check_result *r, const char *const *names, size_t n,
			     const char *note, struct ed_diag *d);

/* The install command of report R made again from its results (after
 * check_result_set_install). ED_EXIT_ENV when out of memory. */
int check_report_command(struct check_host *h, struct check_report *r, struct ed_diag *d);

#endif
