/* registry.h - the mapping registry: which DepURLs exist (registry.yaml) and
 * how each ecosystem packages them (ECOSYSTEM.yaml), see extdeps-mappings(5).
 *
 * A struct registry owns everything reachable from it (one arena, freed by
 * registry_free()); every pointer handed out by the look-ups below stays valid
 * until then and must not be freed or written by the caller. Loading is done
 * file by file (each file checked on its own: keys, types, DepURL syntax,
 * package-name characters); registry_check() then checks what spans files
 * (references to DepURLs, `inherits`, release names) and must succeed before
 * results of registry_map() are trusted. registry_load_default() does both.
 *
 * Errors are returned as an exit status (diag.h) with the diagnostic filled:
 * ED_EXIT_INPUT with FILE:LINE:COL for bad input, ED_EXIT_ENV when out of
 * memory or a directory cannot be listed.
 */
#ifndef EXTDEPS_REGISTRY_H
#define EXTDEPS_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "extdeps/read/depurl.h"
#include "extdeps/read/pep440.h"
#include "extdeps/read/stage.h"
#include "extdeps/util/diag.h"

struct registry;

/* Where something was written: FILE as reported in messages ("mappings/x.yaml"
 * for the embedded set), LINE and COL 1-based. */
struct reg_loc {
	const char *file;
	int line, col;
};

/* One package spec: alternatives written "a | b", the first preferred. An
 * alternative may carry a constraint of its own, "__cuda (>=12)", which
 * applies to that package instead of the dependency's. */
struct reg_spec {
	char **alts;  /* the package names */
	size_t nalts;
	char **fixed; /* per alternative, its own PEP 440 specifier or NULL; the
		       * array is NULL when no alternative has one */
};

struct reg_spec_list {
	struct reg_spec *items;
	size_t count;
};

/* One definition of registry.yaml. */
struct reg_def {
	char *id;          /* canonical DepURL, "dep:generic/openblas" */
	char *description; /* NULL only when a file forgot it (registry_validate says so) */
	char *versioning;  /* or NULL */
	char **provides;   /* DepURL ids */
	size_t nprovides;
	struct reg_loc *provides_locs;
	char **aliases;    /* bare names or DepURL ids */
	size_t naliases;
	struct reg_loc *alias_locs;
	char **pkgconfig, **executables, **env, **files; /* probes */
	size_t npkgconfig, nexecutables, nenv, nfiles;
	struct reg_loc loc; /* of its key */
};

/* A versioned shorthand of the top-level `aliases` map: cuda12 -> dep:generic/cuda@>=12,<13. */
struct reg_alias {
	char *name;
	char *id;      /* the DepURL id it names */
	char *version; /* the specifier text, or NULL */
	struct reg_loc loc;
};

enum reg_version_mode {
	REG_VERSION_UNSET,    /* not written: treated as none */
	REG_VERSION_UPSTREAM, /* package versions follow upstream: constraints translate */
	REG_VERSION_NONE,     /* they do not: versions are left to probes */
};

/* A mapping body or one override of it (a release's, a version range's). */
struct reg_entry {
	bool has_specs;                             /* `specs` was written */
	bool has_stage[ED_STAGE_COUNT];             /* which stages it names */
	struct reg_spec_list stages[ED_STAGE_COUNT];
	enum reg_version_mode version;
	char *unavailable;                          /* why there is no package, or NULL */
	char *repository;                           /* the `repositories` id its packages
						     * come from, or NULL: the default archive */
	struct reg_loc repository_loc;
};

/* A branch for the dependencies whose version range overlaps RANGE
 * (`versions`, of a mapping or of a release override). */
struct reg_version_entry {
	char *range; /* a PEP 440 specifier, normalised (">=12,<13") */
	struct reg_entry entry;
	struct reg_loc loc;
};

struct reg_release_entry {
	char *release; /* a release number of the ecosystem */
	struct reg_entry entry;
	struct reg_version_entry *versions; /* that release's branches, replacing the mapping's */
	size_t nversions;
	struct reg_loc loc;
};

/* A repository besides the ecosystem's default archive that mappings may
 * name: a component of the distribution's own archive (Debian's contrib and
 * non-free, Ubuntu's multiverse), or another vendor's (NVIDIA's CUDA
 * repository). Strings may hold {release} ("24.04") and {release_digits}
 * ("2404"), which registry_expand() fills for a target. */
struct reg_repository {
	char *id;        /* "nvidia-cuda" */
	char *name;      /* "NVIDIA's CUDA repository" */
	char *component; /* an archive component ("contrib"), or NULL */
	char *url;       /* another vendor's: where its metadata is, or NULL */
	char *suite;     /* apt: the suite under URL, "/" for a flat repository; or NULL */
	char *keyring;   /* the keyring that verifies it once enabled, or NULL */
	char ***enable;  /* the commands that enable it on a machine, each a
			  * NULL-terminated argv: shown, never run */
	size_t nenable;
	struct reg_loc loc;
};

/* A rule naming the packages of every DepURL of one PURL type (the header
 * key `type_rules`, extdeps-mappings(5)): dep:cran/NAME -> r-cran-NAME.
 * The package names of ENTRY's specs are templates holding {name} and
 * maybe {namespace}, filled from the DepURL after LOWER and REPLACE. A
 * DepURL's own mapping (or definition) wins over a rule; a name a rule
 * makes may not exist, which only the target's metadata tells. */
struct reg_rule {
	char *type;          /* the PURL type: "cran", "pypi" */
	struct reg_entry entry; /* specs (templates), version, unavailable */
	bool lower;          /* name and namespace are lower-cased first */
	char **replace;      /* FROM, TO pairs applied in order to both */
	size_t nreplace;     /* strings in REPLACE: twice the pairs */
	struct reg_loc loc;  /* of its key */
};

/* What one ecosystem file says about one DepURL. */
struct reg_mapping {
	char *id;                 /* as written (an id, or an alias DepURL) */
	char *description;        /* PEP 804 mappings carry one; or NULL */
	char *specs_from;         /* PEP 804: reuse another id's mapping; or NULL */
	struct reg_loc specs_from_loc;
	struct reg_entry base;
	struct reg_release_entry *releases;
	size_t nreleases;
	struct reg_version_entry *versions; /* in file order: the first that fits wins */
	size_t nversions;
	struct reg_loc loc;       /* of its key */
};

struct reg_release {
	char *number;   /* "12", "24.04" */
	char *codename; /* "bookworm", or NULL */
	char *python;   /* the release's default Python ("3.11"), or NULL */
};

/* A PEP 440 operator as the ecosystem writes it in its constraint template. */
struct reg_op {
	enum pep440_op op;
	char *text;
};

/* How to drive the ecosystem's package manager. */
struct reg_pm {
	char *name;                 /* "apt-get" */
	char **install;             /* argv prefix; package specs are appended */
	size_t ninstall;
	bool needs_root;
	char *constraint;           /* "{name} ({op} {version})", or NULL */
	char *install_constraint;   /* the same for the install argv, or NULL */
	char *pin;                  /* "{name}={version}", or NULL */
	struct reg_op *operators;   /* spellings differing from PEP 440 ("<" -> "<<") */
	size_t noperators;
};

/* Which package names an ecosystem's mappings may write (the header key
 * `package_names`, extdeps-mappings(5)). */
enum reg_names {
	REG_NAMES_UNSET,   /* not written: its parent's, else the default */
	REG_NAMES_DEFAULT, /* [A-Za-z0-9_][A-Za-z0-9_.+@-]*, or an absolute path */
	REG_NAMES_DEBIAN,  /* Debian policy: [a-z0-9][a-z0-9+.-]* */
	REG_NAMES_APK,     /* Alpine's [a-z0-9][a-z0-9_.+-]*, or a name apk's
			    * packages provide: so:, pc: or cmd: then a
			    * default name ("pc:libxml-2.0") */
};

struct reg_ecosystem {
	char *id;                   /* "debian" */
	char *name;                 /* "Debian", or NULL when an overlay only added mappings */
	char *inherits;             /* parent id, or NULL */
	struct reg_loc inherits_loc;
	char *pep804_id;            /* its id among PEP 804's ecosystems ("nix"), whose
				     * ID.mapping.json files load into it; NULL: its id */
	struct reg_release *releases; /* as written (numbers in file order) */
	size_t nreleases;
	char *default_release;      /* or NULL */
	char *python;               /* the default Python of a release that names
				     * none, or of the ecosystem ("3.13"); or NULL */
	enum reg_names names;       /* as its files wrote it */
	bool has_pm;
	struct reg_pm pm;
	bool has_python_dev;
	struct reg_spec_list python_dev;       /* of the release's own Python */
	struct reg_spec_list python_dev_other; /* of another; count 0: PYTHON_DEV's */
	char **export_formats;      /* the packaging formats (extdeps-export(1)) that
				     * write this ecosystem's names: "debian-control" */
	size_t nexport_formats;
	struct reg_repository *repositories; /* sorted by id */
	size_t nrepositories;
	struct reg_rule *rules;     /* `type_rules`, sorted by type */
	size_t nrules;
	struct reg_mapping *mappings; /* sorted by id */
	size_t nmappings;
	struct reg_loc loc;         /* of the `ecosystem` key in its first file */
};

/* --- life cycle and loading --- */

/* A new, empty registry, or NULL when out of memory. */
struct registry *registry_new(void);

/* Free REG and everything it handed out. REG may be NULL. */
void registry_free(struct registry *reg);

/* Load one document from memory. NAME is the file name used in messages; its
 * base name decides the kind: registry.yaml, ECOSYSTEM.yaml, registry.json or
 * ECOSYSTEM[+RELEASE].mapping.json (PEP 804; ECOSYSTEM is PEP 804's id of
 * the ecosystem, its `pep804_id`, or our own id). TEXT need not be
 * NUL-terminated. Later loads replace whole definitions per DepURL, aliases
 * per name and mappings per (ecosystem, DepURL); fields written in a later
 * ecosystem file replace the earlier ones, but a PEP 804 document gives an
 * ecosystem its name and package manager only when nothing did before. */
int registry_load_buffer(struct registry *reg, const char *name, const char *text, size_t len,
			 struct ed_diag *d);

/* Load the file at PATH (kind from its base name, as above). */
int registry_load_file(struct registry *reg, const char *path, struct ed_diag *d);

/* Load every *.yaml, registry.json and *.mapping.json of DIR, registry.* first,
 * then the ecosystem files, then the *.mapping.json, each by name. A DIR that
 * does not exist is an error (ED_EXIT_INPUT). */
int registry_load_dir(struct registry *reg, const char *dir, struct ed_diag *d);

/* Load the set compiled into the binary, named "mappings/FILE" in messages. */
int registry_load_embedded(struct registry *reg, struct ed_diag *d);

/* The embedded set, then $EXTDEPS_DATADIR/mappings (or the compiled data
 * directory), then $XDG_CONFIG_HOME/extdeps/mappings (or
 * ~/.config/extdeps/mappings) where they exist, then each of DIRS (which must
 * exist); then registry_check(). */
int registry_load_default(struct registry *reg, const char *const *dirs, size_t ndirs,
			  struct ed_diag *d);

/* The same, but of the embedded ecosystems only the NECOSYSTEMS of
 * ECOSYSTEMS, each with those it inherits from (overlay directories are read
 * whole): for commands about one target, building every ecosystem's structs
 * costs more than the rest of their run. Everything when NECOSYSTEMS is 0 or
 * one of them is not embedded, so that errors can list every known
 * ecosystem. Embedded ecosystems that an overlay's inherit from are loaded
 * too. */
int registry_load_default_list(struct registry *reg, const char *const *ecosystems,
			       size_t necosystems, const char *const *dirs, size_t ndirs,
			       struct ed_diag *d);

/* The compiled-in ecosystems whose export_formats list FORMAT, read without
 * loading any mapping (static strings), into OUT (room for MAX); how many. */
size_t registry_embedded_export_owners(const char *format, const char **out, size_t max);

/* registry_load_embedded() restricted in the same way. */
int registry_load_embedded_for(struct registry *reg, const char *ecosystem, struct ed_diag *d);

/* Check what spans files: every DepURL referenced (provides, aliases, mapping
 * keys, specs_from) is defined, `inherits` names a known ecosystem without a
 * cycle, release overrides name known releases, default_release is known,
 * every ecosystem has a name and a package manager (its own or inherited),
 * no alias names two things, and the package names of a file read before
 * the parent that gives its `package_names` keep to that rule. Errors point
 * at the reference. */
int registry_check(struct registry *reg, struct ed_diag *d);

/* --- look-ups (valid after loading; sorted, stable order) --- */

size_t registry_ndefs(const struct registry *reg);
/* The I-th definition by id order. */
const struct reg_def *registry_def_at(const struct registry *reg, size_t i);
/* The definition of canonical id ID ("dep:generic/zlib"), or NULL. */
const struct reg_def *registry_find(const struct registry *reg, const char *id);

size_t registry_necosystems(const struct registry *reg);
const struct reg_ecosystem *registry_ecosystem_at(const struct registry *reg, size_t i);
const struct reg_ecosystem *registry_find_ecosystem(const struct registry *reg, const char *id);

size_t registry_naliases(const struct registry *reg);
const struct reg_alias *registry_alias_at(const struct registry *reg, size_t i);

/* The mapping ECO writes itself for ID (no inheritance, no providers), or NULL. */
const struct reg_mapping *registry_find_mapping(const struct reg_ecosystem *eco, const char *id);

/* --- reverse look-ups (registry_which.c) --- */

/* What kind of name led to a DepURL. */
enum reg_which_kind {
	REG_WHICH_ID,         /* the DepURL itself, or its last component ("libpq") */
	REG_WHICH_ALIAS,      /* one of its aliases, versioned ones too ("cuda12") */
	REG_WHICH_PROVIDES,   /* a virtual DepURL it provides (or that one's last component) */
	REG_WHICH_PKGCONFIG,  /* a pkg-config module it is probed by */
	REG_WHICH_EXECUTABLE, /* an executable it is probed by */
	REG_WHICH_FILE,       /* a file it is probed by (a pattern), or a path a mapping names */
	REG_WHICH_PACKAGE,    /* a package an ecosystem's mapping names */
	REG_WHICH_KIND_COUNT,
};

/* "id", "alias", "provides", "pkg-config", "executable", "file", "package". */
const char *reg_which_kind_name(enum reg_which_kind kind);

/* One name that leads to a DepURL. Strings point into the registry. */
struct reg_which_match {
	enum reg_which_kind kind;
	const char *id;        /* the DepURL it leads to (an alias key resolved) */
	const char *name;      /* the name as the registry writes it */
	/* REG_WHICH_PACKAGE and a mapping's path: */
	const char *ecosystem; /* the ecosystem whose package it is */
	const char *from;      /* the ecosystem whose file wrote it, when ECOSYSTEM
				* inherits the mapping; else NULL */
	const char *release;   /* the release override naming it, or NULL: every
				* release the mapping's own fields cover */
	const char *branch;    /* the `versions` range naming it, or NULL */
	enum ed_stage stage;   /* the stage list naming it */
	struct reg_loc loc;    /* where it is written */
};

/* The answer of registry_which(), owned by the caller: reg_which_fini(). */
struct reg_which {
	struct reg_which_match *items; /* sorted by DepURL, kind, name, ecosystem,
					* release, branch, stage */
	size_t count, alloc;
	char stem[128]; /* a path matched by its file name's stem ("libpq" of
			 * /usr/include/libpq-fe.h), nothing exactly: the stem; else "" */
};

/* The DepURLs behind NAME, compared without regard to case: a DepURL or
 * its last component, an alias, a provided virtual DepURL, a pkg-config
 * module, an executable, or a package name of any ecosystem (with the
 * ecosystems that inherit the mapping). A path matches the registry's
 * probed files (patterns) and the paths mappings name, then, under a bin
 * directory, executables by its base name, then the names its file name's
 * stems may be (libpq-fe.h: libpq-fe, libpq, pq), the first stem that
 * matches. A DepURL that matches nothing is looked up by its last
 * component. OUT may be empty: nothing leads there. 0, ED_EXIT_INPUT for
 * an empty NAME, or ED_EXIT_ENV when out of memory (D may be NULL). */
int registry_which(const struct registry *reg, const char *name, struct reg_which *out,
		   struct ed_diag *d);

void reg_which_fini(struct reg_which *w);

/* The known id to suggest for WORD, an unknown DepURL or name: the DepURL
 * registry_which() finds behind it (an id's name or an alias first, then a
 * provided DepURL, a probe, a package), else the id or alias nearest by
 * edit distance (a typo), else NULL. */
const char *registry_suggest(const struct registry *reg, const char *word);

/* What a name resolved to. */
struct reg_resolved {
	const struct reg_def *def; /* NULL when only a rule covers it (RULE_TYPE) */
	const char *rule_type;     /* the PURL type an ecosystem's `type_rules`
				    * cover, when the DepURL has no definition */
	const char *version; /* the specifier a versioned alias adds (">=12,<13"), or NULL */
	const char *alias;   /* the alias that matched, or NULL for the id itself */
};

/* Resolve TEXT: a canonical id, a DepURL (any PURL type, legacy forms, with or
 * without version: the id part is resolved), a bare alias ("openblas"), a
 * versioned alias ("cuda12", or dep:generic/cuda12 as registry_expand_alias
 * reads it), or a bare name N when dep:generic/N is defined. A DepURL
 * without a definition whose type some ecosystem's `type_rules` cover
 * resolves too, with DEF NULL and RULE_TYPE set.
 * ED_EXIT_INPUT "unknown DepURL 'X'; did you mean 'Y'?" when nothing matches
 * (D may be NULL when no message is wanted). */
int registry_resolve(const struct registry *reg, const char *text, struct reg_resolved *out,
		     struct ed_diag *d);

/* Expand a versioned alias written as a DepURL, in place: dep:generic/cuda12
 * (when the top-level `aliases` map names cuda12 and dep:generic/cuda12 is no
 * definition) becomes dep:generic/cuda@>=12,<13, and dep:generic/cuda12@>=12.2
 * dep:generic/cuda@>=12.2,>=12,<13: both specifiers hold. Qualifiers and
 * subpath are kept; `aliased` is set. Any other DepURL is left alone. 0, or
 * ED_EXIT_ENV when out of memory (U unchanged). */
int registry_expand_alias(const struct registry *reg, struct depurl *u, struct ed_diag *d);

/* --- targets --- */

struct reg_target {
	const struct reg_ecosystem *eco;
	const char *release; /* a release number of ECO (or its parent), or NULL when it has none */
	bool release_given;  /* named by the user rather than the default */
};

/* Parse a --distro value: "debian", "debian:12", "debian:bookworm",
 * "ubuntu:noble", "debian+12" (PEP 804), "conda-forge". Errors list the
 * known ecosystems or releases. */
int registry_parse_target(const struct registry *reg, const char *text, struct reg_target *out,
			  struct ed_diag *d);

/* The releases ECO has (its own, or those of the nearest ecosystem it
 * inherits them from), in file order, their number in *N; NULL when none.
 * Borrowed from REG. */
const struct reg_release *registry_releases(const struct registry *reg,
					    const struct reg_ecosystem *eco, size_t *n);

/* The default Python ("3.11") of TARGET: its release's, else its
 * ecosystem's (or the nearest parent's) `python`; NULL when none is named. */
const char *registry_python(const struct registry *reg, const struct reg_target *target);

/* The rule of TARGET's ecosystem, or of the nearest it inherits from, for
 * DepURLs of PURL type TYPE, or NULL. */
const struct reg_rule *registry_find_rule(const struct registry *reg,
					  const struct reg_target *target, const char *type);

/* TYPE as the registry keeps it when a loaded or compiled-in ecosystem has
 * a rule for DepURLs of that PURL type, else NULL. */
const char *registry_ruled_type(const struct registry *reg, const char *type);

/* The package manager of the target (inherited where the file has none). */
const struct reg_pm *registry_package_manager(const struct registry *reg,
					      const struct reg_target *target);

/* The repository ID of the target's ecosystem or of one it inherits from
 * (the nearest file's), or NULL. */
const struct reg_repository *registry_find_repository(const struct registry *reg,
						      const struct reg_target *target,
						      const char *id);

/* TEMPLATE with {release} and {release_digits} filled for TARGET (left as
 * they are when it has no release). malloc'd; NULL when out of memory. */
char *registry_expand(const char *template_, const struct reg_target *target);

/* The Python development specs PEP 725 implies when a compiler is among the
 * build requirements, for the Python X.Y PYTHON (NULL: the release's own):
 * the `python_dev` of TARGET's ecosystem or its nearest parent, its `other`
 * list where PYTHON is not the release's Python and it has one, with
 * {python} and {python_nodot} filled. Into OUT, owned (reg_spec_list_fini);
 * OUT->count is 0 where the ecosystems name none. False when out of memory. */
bool registry_python_dev(const struct registry *reg, const struct reg_target *target,
			 const char *python, struct reg_spec_list *out);
/* Free what registry_python_dev() made of L. */
void reg_spec_list_fini(struct reg_spec_list *l);

/* --- mapping --- */

enum reg_status {
	REG_MAPPED,      /* packages found */
	REG_UNAVAILABLE, /* the registry says the ecosystem has no package (reason) */
	REG_UNMAPPED,    /* known DepURL, no mapping for this ecosystem yet */
	REG_UNKNOWN,     /* not in the registry (suggestion, where one is close) */
};

/* "mapped", "unavailable", "unmapped", "unknown". */
const char *reg_status_name(enum reg_status status);

/* One version clause translated for the ecosystem. */
struct reg_map_clause {
	enum pep440_op op;
	const char *op_text; /* the ecosystem's spelling ("<<") */
	char *version;
};

/* One alternative of a package spec with its rendered constraints. */
struct reg_map_alt {
	char *name;
	char **constraints; /* one per clause, rendered with `constraint`; none when not versioned */
	size_t nconstraints;
	/* the clauses that apply to this package: the dependency's (the map's
	 * CLAUSES), or the alternative's own fixed ones; none when not versioned */
	const struct reg_map_clause *clauses;
	size_t nclauses;
	bool fixed;              /* CLAUSES are the alternative's own (owned) */
};

struct reg_map_pkg {
	struct reg_map_alt *alts; /* first preferred */
	size_t nalts;
};

/* The result of registry_map(). Owned by the caller: reg_map_fini(). Strings
 * typed const point into the registry. */
struct reg_map {
	enum reg_status status;
	const char *id;          /* the definition mapped (after alias resolution), or NULL */
	const char *via;         /* the providing definition for a virtual DepURL, or NULL */
	const char *ecosystem;   /* the ecosystem whose file gave the mapping (inheritance) */
	const char *release;     /* the release override applied, or NULL */
	const char *branch;      /* the `versions` range applied, or NULL */
	const struct reg_repository *repository; /* where the packages come from when
						  * not the default archive, or NULL */
	enum ed_stage stage;     /* the stage whose list was used (after fallback) */
	const char *reason;      /* REG_UNAVAILABLE: why */
	/* The names were made by the ecosystem's rule for the DepURL's type
	 * (reg_rule), not written for it: the target may lack them. */
	const struct reg_rule *rule;
	const char *suggestion;  /* REG_UNKNOWN: the nearest known id, or NULL */
	struct reg_map_pkg *pkgs;
	size_t npkgs;
	enum reg_version_mode version;
	/* The dep's version is not carried by the packages (version: none, or no
	 * constraint template): a plan compares candidates' versions itself
	 * where they are upstream's, else nothing can. */
	bool version_unexpressed;
	const struct pep440_spec *spec; /* the dep's version (borrowed from it), or NULL */
	struct reg_map_clause *clauses; /* the dep's clauses, when translated */
	size_t nclauses;
	struct reg_loc source;   /* the mapping that decided, when one did */
};

/* Map DEP (its id, resolving DepURL aliases; its version spec) for TARGET and
 * STAGE: inheritance, per-release overrides, stage fallback (build->host,
 * host->build, run->host->build), virtual DepURLs through the first provider
 * (by id) that is mapped, version translation; a DepURL no mapping covers,
 * defined or not, through the target's rule for its type (RULE set), whose
 * names must keep to the ecosystem's `package_names` (else REG_UNMAPPED); a
 * DepURL without a definition is REG_UNKNOWN unless a rule of some
 * ecosystem covers its type (then REG_UNMAPPED where the target has none). Returns 0 (whatever the
 * status) or ED_EXIT_ENV when out of memory. */
int registry_map(const struct registry *reg, const struct reg_target *target,
		 const struct depurl *dep, enum ed_stage stage, struct reg_map *out,
		 struct ed_diag *d);

void reg_map_fini(struct reg_map *m);

/* Call FN for every entry of M, with where it was written and what it is
 * ("" for the mapping's own, "release 12", "versions >=12", "release 12
 * versions >=12"): its own fields, each release override, each branch. The
 * first non-zero FN result stops the walk and is returned. */
int registry_each_entry(const struct reg_mapping *m,
			int (*fn)(const struct reg_entry *e, const struct reg_loc *loc,
				  const char *what, void *ud),
			void *ud);

/* Render one clause with TEMPLATE ("{name} ({op} {version})"). malloc'd. */
char *registry_render(const char *template_, const char *name, const char *op,
		      const char *version);

/* --- validation, coverage, PEP 804 --- */

struct reg_warnings {
	struct ed_diag *items; /* file, line, col and message of each warning */
	size_t count, alloc;
};

void reg_warnings_fini(struct reg_warnings *w);

/* registry_check() plus: every definition has a description; warnings for
 * mappings whose every stage list is empty. W may be NULL. */
int registry_validate(struct registry *reg, struct reg_warnings *w, struct ed_diag *d);

enum reg_cov { REG_COV_MAPPED, REG_COV_UNAVAILABLE, REG_COV_MISSING, REG_COV_COUNT };

/* DepURL x ecosystem, each cell as registry_map() decides for the host stage
 * and the ecosystem's default release. */
struct reg_coverage {
	size_t ndefs, necos;
	const char **def_ids;  /* sorted; point into the registry */
	const char **eco_ids;  /* sorted */
	enum reg_cov *cells;   /* ndefs * necos, row per definition */
	size_t (*per_eco)[REG_COV_COUNT]; /* totals per ecosystem */
	size_t totals[REG_COV_COUNT];
};

int registry_coverage(const struct registry *reg, struct reg_coverage *out, struct ed_diag *d);
void reg_coverage_fini(struct reg_coverage *c);

/* Write the registry as a PEP 804 document to OUT: registry.json when
 * ECOSYSTEM is NULL, else that ecosystem's ECOSYSTEM.mapping.json (its
 * inherited mappings included). What PEP 804 cannot say (version mode,
 * unavailable reasons, release overrides) goes into `extra_metadata`, which
 * registry_load_*() reads back. ED_EXIT_INPUT for an unknown ecosystem,
 * ED_EXIT_ENV on a write error. */
int registry_export_pep804(const struct registry *reg, const char *ecosystem, FILE *out,
			   struct ed_diag *d);

#endif
