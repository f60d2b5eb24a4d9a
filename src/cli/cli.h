/* cli.h - the front end's shared state: the command table, the context every
 * command runs with, and the option tables commands share. */
#ifndef EXTDEPS_CLI_H
#define EXTDEPS_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "extdeps/eco/eco.h"
#include "extdeps/map/select.h"
#include "extdeps/read/marker.h"
#include "extdeps/read/project.h"
#include "extdeps/render/out.h"
#include "extdeps/util/diag.h"
#include "opts.h"

struct registry;

/* What a command needs set up before it runs. */
enum cmd_flags {
	CMD_NEEDS_PROJECT = 1 << 0,  /* takes [PROJECT] and the selection options */
	CMD_NEEDS_MAPPINGS = 1 << 1, /* loads the registry (embedded + overlays) */
	CMD_USES_NETWORK = 1 << 2,   /* may download (honours --offline) */
};

struct ctx;

struct cmd {
	const char *name;
	int (*run)(struct ctx *ctx, int argc, char **argv);
	const char *summary;  /* one line, lower case, no full stop */
	const char *usage;    /* arguments after "extdeps NAME " */
	const struct opt *opts; /* the command's own options */
	const char *const *formats; /* accepted --format values, first is default */
	unsigned flags;
};

/* Every command, sorted by name; ends with a zeroed entry. */
extern const struct cmd cli_commands[];

const struct cmd *cli_find_command(const char *name);

/* Global option ids (shared by every command's parser). */
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
	/* repositories */
	CLI_OPT_MIRROR = 1050,
	CLI_OPT_CHANNEL,
	CLI_OPT_PLATFORM,
	/* selection */
	CLI_OPT_STAGE = 1100,
	CLI_OPT_EXTRA,
	CLI_OPT_ALL_EXTRAS,
	CLI_OPT_GROUP,
};

extern const struct opt cli_global_opts[];
extern const struct opt cli_selection_opts[];
extern const struct opt cli_repo_opts[]; /* CMD_USES_NETWORK commands */

struct ctx {
	struct out out;
	const struct cmd *cmd;
	const char *distro;
	const char *arch;
	const char *format;
	bool offline;
	const char *mirror;
	char **channels;
	size_t nchannels;
	const char *platform;
	int color_mode;
	char **mapping_dirs;
	size_t nmapping_dirs;
	struct selection sel;
	struct marker_env env;
	char env_buf[1024];
	struct registry *reg; /* loaded when the command has CMD_NEEDS_MAPPINGS */
};

/* Initialise CTX for a run writing to OUTF/ERRF. */
void cli_ctx_init(struct ctx *ctx, FILE *outf, FILE *errf);
void cli_ctx_fini(struct ctx *ctx);

/* Handle a global or selection option (an opt_handler over a struct ctx). */
int cli_handle_opt(void *ctx, int id, const char *value, struct ed_diag *d);

/* Parse a command's arguments: its own options (HANDLER, which must pass ids
 * it does not know to cli_handle_opt) plus the global and, for
 * CMD_NEEDS_PROJECT commands, the selection options. Prints help and returns
 * OPTS_HELP for -h; prints the error and returns ED_EXIT_INPUT on bad usage;
 * checks --format against the command's list. Fills POS/NPOS. */
int cli_parse(struct ctx *ctx, int argc, char **argv, opt_handler handler, void *ud,
	      char ***pos, int *npos);

/* Print the help of CMD to F. */
void cli_print_command_help(const struct cmd *cmd, FILE *f);

/* Load the project named by the positional arguments (at most one; default
 * "."), and decide the selection. Prints errors itself. Returns 0 or an exit
 * status. */
int cli_load_project(struct ctx *ctx, char **pos, int npos, struct project **project,
		     enum select_skip **verdict);

/* Load the registry into ctx->reg: the embedded set, the data directory,
 * $XDG_CONFIG_HOME/extdeps/mappings and every --mappings DIR, checked.
 * Prints errors itself. Returns 0 or an exit status. Freed by
 * cli_ctx_fini(). */
int cli_load_registry(struct ctx *ctx);

/* The same for a command about one target: of the embedded ecosystems only
 * the target's (--distro, or this machine) and those it inherits from. */
int cli_load_registry_for_target(struct ctx *ctx);

/* The same with, of the compiled-in ecosystems, only the N ECOSYSTEMS (and
 * those they inherit from); N 0 loads them all. */
int cli_load_registry_list(struct ctx *ctx, const char *const *ecosystems, size_t n);

/* Decide the target of --distro (default: this machine, from os-release)
 * into TARGET. Needs ctx->reg. Prints errors itself. */
struct reg_target;
int cli_target(struct ctx *ctx, struct reg_target *target);

/* The target's repositories, loaded into a libsolv pool. */
struct cli_repos {
	Pool *pool;
	const struct eco_ops *eco;
	struct eco_opts o;
	struct eco_load_stats st;
	char arch[64]; /* --arch, --platform, or this machine's, as the target spells it */
};

/* The backend serving target T (its ecosystem's, or one it inherits from)
 * and the options its loads and update() take: --arch, --mirror, --channel,
 * --platform, --offline, the release's codename, and whether T is this
 * machine. Strings in *O are borrowed from CTX and the registry. Prints
 * errors itself; ED_EXIT_ENV when no backend serves T. */
int cli_repos_opts(struct ctx *ctx, const struct reg_target *t, const struct eco_ops **eco,
		   struct eco_opts *o);

/* Load the repositories of target T (downloading them when the backend
 * must and --offline was not given), with every package's file list when
 * FILE_LISTS (some spec is a path), and the installed set when T is this
 * machine. Prints errors itself. Returns 0 or an exit status; on success
 * free with cli_repos_close. */
int cli_repos_open(struct ctx *ctx, const struct reg_target *t, bool file_lists,
		   struct cli_repos *r);
void cli_repos_close(struct cli_repos *r);

/* Whether target T is this machine (what cli_repos_open decides, without
 * loading anything): the machine's own distribution and release with no
 * --mirror, or a user-level ecosystem (conda, Homebrew, Nix) with no
 * --platform. */
bool cli_target_is_host(struct ctx *ctx, const struct reg_target *t);

#endif
