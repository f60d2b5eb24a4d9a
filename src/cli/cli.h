/* cli.h - the front end: the command table, the set-up it drives, and the
 * context every command runs with.
 *
 * A command is one struct cmd (src/cli/cmd/NAME.c), listed in cli_commands[]
 * (src/cli/cmd/commands.c), as apk-tools' applets are. main() finds it and calls cli_run(), which
 *   1. parses the arguments: the command's own options (into a zeroed struct
 *      of ARGS_SIZE bytes, ctx->args, through its OPT handler), the global
 *      options, and the selection and repository options where FLAGS say;
 *   2. checks the number of operands and the --format;
 *   3. sets up what FLAGS ask for, in this order: the project (loaded and
 *      selected), the registry, the target and the mapped selection, then the
 *      command's PREPARE hook, then the target's repositories;
 *   4. calls RUN, which prints the result and returns the exit status;
 *   5. frees everything set up.
 * Set-up prints its own errors (through ctx->out) and stops with their exit
 * status. Help, usage lines and shell completions come from the same tables.
 *
 * The front end is the only part of extdeps that prints or decides exit
 * statuses; the core (include/extdeps/) never includes this header.
 */
#ifndef EXTDEPS_CLI_H
#define EXTDEPS_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "extdeps/eco/eco.h"
#include "extdeps/host/cuda.h"
#include "extdeps/map/mapset.h"
#include "extdeps/map/registry.h"
#include "extdeps/map/select.h"
#include "extdeps/map/target.h"
#include "extdeps/read/marker.h"
#include "extdeps/read/project.h"
#include "extdeps/render/out.h"
#include "extdeps/util/diag.h"
#include "opts.h"

/* What a command needs set up before it runs (struct cmd's FLAGS). */
enum cmd_flags {
	CMD_PROJECT = 1 << 0,         /* [PROJECT...] operands and --recursive, loaded,
				       * selected and merged into one (ctx->project,
				       * ctx->verdict; cli_load_projects) */
	CMD_SELECTION = 1 << 1,       /* the selection options (implied by CMD_PROJECT) */
	CMD_REGISTRY = 1 << 2,        /* the registry: every ecosystem */
	CMD_REGISTRY_TARGET = 1 << 3, /* the registry: the target's ecosystem (and those
				       * it inherits from) */
	CMD_REGISTRY_HOST = 1 << 4,   /* the registry: the ecosystems of this machine's
				       * package databases (check_host_ecosystems) */
	CMD_TARGET = 1 << 5,          /* the target (ctx->target); with CMD_PROJECT the
				       * selection mapped for it (ctx->maps) */
	CMD_REPOS = 1 << 6,           /* the target's repositories loaded (ctx->repos) */
	CMD_NETWORK = 1 << 7,         /* may download: the repository options */
	CMD_THIS_MACHINE = 1 << 8,    /* about this machine only: --distro and --arch refused */
	CMD_SKIPS = 1 << 9,           /* --skip and --skip-unresolved: dependencies left out
				       * after mapping (SELECT_SKIPPED, SELECT_UNRESOLVED,
				       * ctx->skip_why) */
};

struct ctx;

struct cmd {
	const char *name;
	int (*run)(struct ctx *ctx);
	const char *summary;          /* one line, lower case, no full stop */
	const char *operands;         /* the usage line's operands: "[PROJECT]"; NULL: none */
	const char *const *subcommands; /* the first operand's words, for completions; or NULL */
	int max_operands;             /* more are refused; -1: the command checks them */
	const struct opt *opts;       /* the command's own options, or NULL */
	opt_handler opt;              /* called with ctx->args for the ids of OPTS */
	size_t args_size;             /* bytes of the command's argument struct */
	const char *const *formats;   /* accepted --format values, first is default; or NULL */
	/* Optional: checks of the arguments against the target, run after the
	 * target is decided and before repositories are loaded (so nothing is
	 * downloaded for a command that will refuse). Prints its errors. */
	int (*prepare)(struct ctx *ctx);
	unsigned flags;               /* enum cmd_flags */
};

/* Every command, sorted by name; ends with NULL. */
extern const struct cmd *const cli_commands[];

const struct cmd *cli_find_command(const char *name);

/* Global option ids (shared by every command's parser; a command's own ids
 * are below CLI_OPT_DISTRO). */
enum cli_global_opt {
	CLI_OPT_DISTRO = 1000,
	CLI_OPT_ARCH,
	CLI_OPT_MAPPINGS,
	CLI_OPT_OFFLINE,
	CLI_OPT_FORMAT,
	CLI_OPT_COLOR,
	CLI_OPT_QUIET,
	CLI_OPT_VERBOSE,
	CLI_OPT_VERSION,
	CLI_OPT_PYTHON,
	/* repositories */
	CLI_OPT_MIRROR = 1050,
	CLI_OPT_CHANNEL,
	CLI_OPT_PLATFORM,
	CLI_OPT_TIMEOUT,
	CLI_OPT_MIN_RATE,
	CLI_OPT_ENABLE_REPO,
	/* selection */
	CLI_OPT_STAGE = 1100,
	CLI_OPT_EXTRA,
	CLI_OPT_ALL_EXTRAS,
	CLI_OPT_GROUP,
	CLI_OPT_RECURSIVE,
	/* skips */
	CLI_OPT_SKIP = 1150,
	CLI_OPT_SKIP_UNRESOLVED,
};

extern const struct opt cli_global_opts[];
extern const struct opt cli_selection_opts[];
extern const struct opt cli_repo_opts[]; /* CMD_NETWORK commands */
extern const struct opt cli_skip_opts[]; /* CMD_SKIPS commands */

#define CLI_MAX_TABLES 6

/* Whether command C takes option O of its tables: the parser accepts the
 * global options everywhere, but a command about this machine refuses
 * --distro and --arch, and one without formats has no --format. Help and
 * completions offer only these. */
bool cli_opt_applies(const struct cmd *c, const struct opt *o);

/* The option tables command C accepts, in help order (own, global,
 * selection, skips, repositories), NULL-terminated into TABLES. */
void cli_command_tables(const struct cmd *c, const struct opt *tables[CLI_MAX_TABLES]);

/* The repositories --enable-repo adds to a target's (cli_enable_repos):
 * what the backend gets in eco_opts.repos. */
struct cli_enabled {
	struct eco_repo *v;
	size_t n;
	char **strings;  /* the strings of V that are not the registry's */
	size_t nstrings;
};

/* The target's repositories, loaded into a libsolv pool. */
struct cli_repos {
	Pool *pool;
	const struct eco_ops *eco;
	struct eco_opts o;
	struct eco_load_stats st;
	char arch[64]; /* --arch, --platform, or this machine's, as the target spells it */
	char **names;  /* o.names: the package names the project's mappings name */
	size_t nnames;
};

struct ctx {
	struct out out;
	struct ed_diags errors; /* every error printed (out.errors), for report_errors */
	const struct cmd *cmd;
	void *args;            /* the command's argument struct (args_size bytes) */
	char **operands;       /* the operands after the options (pointers into argv) */
	int noperands;

	/* global options */
	const char *distro;
	const char *arch;
	const char *format;
	bool offline;
	const char *mirror;
	char **channels;
	size_t nchannels;
	const char *platform;
	const char *python;    /* --python */
	const char *timeout;   /* --timeout, else $EXTDEPS_TIMEOUT (checked by cli_repos_opts) */
	const char *min_rate;  /* --min-rate, else $EXTDEPS_MIN_RATE */
	char **enable_repos;   /* --enable-repo values, as given */
	size_t nenable_repos;
	struct cli_enabled enabled; /* what they name for the target (cli_enable_repos) */
	char lock_holder[64];  /* "extdeps COMMAND", recorded in cache locks */
	int color_mode;
	char **mapping_dirs;
	size_t nmapping_dirs;
	struct selection sel;
	char **recursive;      /* --recursive DIR values */
	size_t nrecursive;
	char **skips;          /* --skip patterns (fnmatch) */
	size_t nskips;
	bool skip_unresolved;  /* --skip-unresolved */
	struct marker_env env;
	struct marker_env host_env; /* this machine's, before the target's are applied */
	char env_buf[1024];

	/* what set-up made (see enum cmd_flags) */
	struct project *project;
	enum select_skip *verdict;  /* per project dependency */
	char **skip_why;            /* per project dependency: why it was skipped
				     * (SELECT_SKIPPED, SELECT_UNRESOLVED), else NULL */
	char *implied_skip_why;     /* why --skip-unresolved left out the Python headers
				     * a compiler implies, or NULL */
	struct pep440_spec *implied_want; /* ==X.Y.* of the Python that will build,
					   * which those headers must be of, or NULL */
	struct registry *reg;
	struct target_model model;  /* decided for every command (cli_decide_model) */
	char model_why[1024];       /* why it has no target, or "" */
	struct reg_target target;   /* model.target, when the command needs a target */
	bool has_target;
	struct mapset maps;
	struct cli_repos repos;
	struct cuda_driver cuda;    /* for backends that want it (eco.h) */
	double t_start, t_map, t_repos; /* for -vv timings */
};

/* Initialise CTX for a run writing to OUTF/ERRF. */
void cli_ctx_init(struct ctx *ctx, FILE *outf, FILE *errf);
void cli_ctx_fini(struct ctx *ctx);

/* Run command CMD with the ARGC arguments after its name (steps 1-5 above).
 * Returns the exit status. */
int cli_run(struct ctx *ctx, const struct cmd *cmd, int argc, char **argv);

/* Handle a global, selection or repository option (an opt_handler over a
 * struct ctx). */
int cli_handle_opt(void *ctx, int id, const char *value, struct ed_diag *d);

/* Load the project at PATH (a pyproject.toml, a directory holding one, or
 * a Core Metadata file) and decide its selection with the selection
 * options. Prints errors itself. On success free *PROJECT and *VERDICT. */
int cli_load_project(struct ctx *ctx, const char *path, struct project **project,
		     enum select_skip **verdict);

/* The project files the operands and --recursive name, in order (each
 * --recursive DIR's sorted), into *PATHS (util_strv_free): "." when none.
 * Prints errors itself. */
int cli_project_paths(struct ctx *ctx, char ***paths, size_t *n);

/* What CMD_PROJECT sets up: every project of cli_project_paths loaded and
 * selected (each tried, so that every bad one is reported; the worst status
 * returned), one as it is, several merged (project_merge) with their
 * verdicts one after another, into ctx->project and ctx->verdict. With
 * several, an extra or group need only be declared by one of them. */
int cli_load_projects(struct ctx *ctx);

/* What CMD_SKIPS sets up, once the selection is mapped (ctx->maps): every
 * selected dependency a --skip pattern matches becomes SELECT_SKIPPED, and
 * with --skip-unresolved every one the registry does not map for the
 * target SELECT_UNRESOLVED, each with its reason in ctx->skip_why. A
 * pattern matching none is warned about. */
int cli_apply_skips(struct ctx *ctx);

/* Dependency I becomes SELECT_UNRESOLVED for WHY (copied): what
 * --skip-unresolved does to one the solver finds no package for. */
int cli_skip_unresolved(struct ctx *ctx, size_t i, const char *why);

/* Print the help of CMD to F. */
void cli_print_command_help(const struct cmd *cmd, FILE *f);

/* Load the registry into ctx->reg, with, of the compiled-in ecosystems, only
 * the N ECOSYSTEMS (and those they inherit from); N 0 loads them all. The
 * data directory, $XDG_CONFIG_HOME/extdeps/mappings and every --mappings DIR
 * overlay it. Prints errors itself. Does nothing when a registry is loaded. */
int cli_load_registry_list(struct ctx *ctx, const char *const *ecosystems, size_t n);

/* The same for target T's ecosystem (--distro, else this machine's), or
 * with every ecosystem when --distro is not given and this machine is
 * unknown. */
int cli_load_registry_for_target(struct ctx *ctx);

/* The target model (target.h) of --distro, --arch, --platform, --python
 * and --mirror into ctx->model, with ctx->reg when loaded, and the marker
 * environment it implies (the EXTDEPS_MARKER_* variables still win).
 * Prints its warning, and its errors when REQUIRED or the options were
 * bad; returns the exit status then. */
int cli_decide_model(struct ctx *ctx, bool required);
/* The Python X.Y that will build (ctx->model's), or NULL when unknown or
 * when it brings its own headers (the release's own then stand for it). */
const char *cli_python(const struct ctx *ctx);

/* Apply the EXTDEPS_MARKER_<VARIABLE> variables to ctx->env. */
void cli_marker_overrides(struct ctx *ctx);

/* The platform option of commands that take none of the other repository
 * options (map). */
extern const struct opt cli_platform_opt[];

/* Decide the target named by TEXT (--distro's syntax; NULL: this machine,
 * from os-release) into TARGET. Needs ctx->reg. Prints errors itself. */
int cli_target(struct ctx *ctx, const char *text, struct reg_target *target);

/* The backend serving target T (its ecosystem's, or one it inherits from)
 * and the options its loads and update() take: --arch, --mirror, --channel,
 * --platform, --offline, --timeout, --min-rate, --enable-repo (through
 * cli_enable_repos), the release's codename, and whether T is this machine.
 * Strings in *O are borrowed from CTX and the registry. Prints errors
 * itself; ED_EXIT_ENV when no backend serves T, ED_EXIT_INPUT for a
 * --timeout or --min-rate that is no number or a bad --enable-repo. */
int cli_repos_opts(struct ctx *ctx, const struct reg_target *t, const struct eco_ops **eco,
		   struct eco_opts *o);

/* The repositories --enable-repo names for target T, served by ECO, into
 * ctx->enabled (decided anew at each call): each ID one of the registry's
 * repositories of T's ecosystem (or of one it inherits from), with its
 * strings filled for T, the URL given replacing the registry's url.
 * Prints errors itself: ED_EXIT_INPUT for an unknown ID (the known ones
 * listed), a kind of repository ECO does not load (naming the backend), or
 * a URL given to a component. */
int cli_enable_repos(struct ctx *ctx, const struct reg_target *t, const struct eco_ops *eco);

/* Free ctx->enabled. */
void cli_enabled_free(struct ctx *ctx);

/* Whether the repository R that --enable-repo named is one this machine's
 * package manager has (eco_ops.has_repo); when not, prints an error naming
 * its enable commands and returns ED_EXIT_ENV, else 0. For what acts
 * through the package manager (install). */
int cli_enabled_on_host(struct ctx *ctx, const struct eco_ops *eco, const struct eco_repo *r);

/* Load the repositories of target T (downloading them when the backend
 * must and --offline was not given), with every package's file list when
 * FILE_LISTS (some spec is a path), and the installed set when T is this
 * machine. Prints errors itself. Returns 0 or an exit status; on success
 * free with cli_repos_close. */
int cli_repos_open(struct ctx *ctx, const struct reg_target *t, bool file_lists,
		   struct cli_repos *r);
void cli_repos_close(struct cli_repos *r);

/* cli_repos_open, with the failure of a load into D instead of printed
 * (errors of the options are printed all the same). */
int cli_repos_load(struct ctx *ctx, const struct reg_target *t, bool file_lists,
		   struct cli_repos *r, struct ed_diag *d);

/* Whether target T is this machine (what cli_repos_open decides, without
 * loading anything). */
bool cli_target_is_host(struct ctx *ctx, const struct reg_target *t);

#endif
