#include "cli.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "extdeps/eco/arch.h"
#include "extdeps/map/registry.h"
#include "extdeps/util/heap.h"
#include "extdeps/util/json.h"
#include "extdeps/util/osrelease.h"
#include "extdeps/util/strbuf.h"
#include "extdeps/util/util.h"

static const char *const color_choices[] = { "auto", "always", "never", NULL };

const struct opt cli_global_opts[] = {
	{ CLI_OPT_DISTRO, "distro", 0, OPT_VALUE, "ID[:REL]", "target distribution (default: this machine)", NULL },
	{ CLI_OPT_ARCH, "arch", 0, OPT_VALUE, "ARCH", "target architecture (markers see it as platform_machine)", NULL },
	{ CLI_OPT_MAPPINGS, "mappings", 0, OPT_VALUE, "DIR", "overlay mapping files from DIR (repeatable)", NULL },
	{ CLI_OPT_PYTHON, "python", 0, OPT_VALUE, "PATH|X.Y", "the Python that will build (default: python3 on PATH for this machine, the release's for another)", NULL },
	{ CLI_OPT_FORMAT, "format", 0, OPT_VALUE, "FORMAT", "output format", NULL },
	{ CLI_OPT_COLOR, "color", 0, OPT_VALUE, "WHEN", "colour: auto, always or never", color_choices },
	{ CLI_OPT_QUIET, "quiet", 'q', OPT_FLAG, NULL, "print only errors", NULL },
	{ CLI_OPT_VERBOSE, "verbose", 'v', OPT_FLAG, NULL, "say more", NULL },
	OPT_TABLE_END,
};

const struct opt cli_repo_opts[] = {
	{ CLI_OPT_OFFLINE, "offline", 0, OPT_FLAG, NULL, "never download; use cached metadata only", NULL },
	{ CLI_OPT_MIRROR, "mirror", 0, OPT_VALUE, "URL", "download the target's metadata from URL", NULL },
	{ CLI_OPT_ENABLE_REPO, "enable-repo", 0, OPT_VALUE, "ID[=URL]", "also solve against the registry's repository ID, from URL if given (repeatable)", NULL },
	{ CLI_OPT_CHANNEL, "channel", 0, OPT_VALUE, "NAME", "conda channel name or URL, in priority order (repeatable)", NULL },
	{ CLI_OPT_PLATFORM, "platform", 0, OPT_VALUE, "NAME", "target platform (conda subdir, Homebrew bottle tag)", NULL },
	{ CLI_OPT_TIMEOUT, "timeout", 0, OPT_VALUE, "SECONDS", "give up downloading, or waiting for the cache's lock, after SECONDS (default 600)", NULL },
	{ CLI_OPT_MIN_RATE, "min-rate", 0, OPT_VALUE, "BYTES", "abandon a download slower on average than BYTES/s (default 1024; 0: none)", NULL },
	OPT_TABLE_END,
};

const struct opt cli_platform_opt[] = {
	{ CLI_OPT_PLATFORM, "platform", 0, OPT_VALUE, "NAME", "target platform (conda subdir, Homebrew bottle tag)", NULL },
	OPT_TABLE_END,
};

const struct opt cli_selection_opts[] = {
	{ CLI_OPT_STAGE, "stage", 0, OPT_VALUE, "LIST", "stages to include: build,host,run (default all)", NULL },
	{ CLI_OPT_EXTRA, "extra", 0, OPT_VALUE, "NAME", "include an extra (repeatable)", NULL },
	{ CLI_OPT_ALL_EXTRAS, "all-extras", 0, OPT_FLAG, NULL, "include every extra", NULL },
	{ CLI_OPT_GROUP, "group", 0, OPT_VALUE, "NAME", "include a dependency group (repeatable)", NULL },
	{ CLI_OPT_RECURSIVE, "recursive", 'r', OPT_VALUE, "DIR", "also every project under DIR: pyproject.toml, METADATA, PKG-INFO (repeatable)", NULL },
	OPT_TABLE_END,
};

const struct opt cli_skip_opts[] = {
	{ CLI_OPT_SKIP, "skip", 0, OPT_VALUE, "DEPURL", "leave out the dependencies DEPURL names, a glob such as 'dep:generic/cuda*' (repeatable)", NULL },
	{ CLI_OPT_SKIP_UNRESOLVED, "skip-unresolved", 0, OPT_FLAG, NULL, "leave out what has no package, go on with the rest (exit status 1 all the same)", NULL },
	OPT_TABLE_END,
};

const struct cmd *cli_find_command(const char *name)
{
	for (const struct cmd *const *c = cli_commands; *c; c++)
		if (!strcmp((*c)->name, name))
			return *c;
	return NULL;
}

void cli_marker_overrides(struct ctx *ctx)
{
	/* EXTDEPS_MARKER_<VARIABLE> overrides one marker variable, for
	 * evaluating another machine's markers and for reproducible tests */
	for (int v = 0; v < MARKER_VAR_COUNT; v++) {
		char name[64], *value;
		const char *var = marker_var_name((enum marker_var)v);
		size_t k = 0;
		k += (size_t)snprintf(name, sizeof name, "EXTDEPS_MARKER_");
		for (; *var && k + 1 < sizeof name; var++)
			name[k++] = (char)toupper((unsigned char)*var);
		name[k] = '\0';
		if ((value = getenv(name)))
			ctx->env.values[v] = value;
	}
}

void cli_ctx_init(struct ctx *ctx, FILE *outf, FILE *errf)
{
	memset(ctx, 0, sizeof *ctx);
	ctx->color_mode = OUT_COLOR_AUTO;
	out_init(&ctx->out, outf, errf, OUT_COLOR_AUTO);
	ctx->out.errors = &ctx->errors;
	marker_env_host(&ctx->env, ctx->env_buf, sizeof ctx->env_buf);
	cli_marker_overrides(ctx);
	ctx->host_env = ctx->env;
	selection_init(&ctx->sel, &ctx->env);
}

void cli_ctx_fini(struct ctx *ctx)
{
	cli_repos_close(&ctx->repos);
	mapset_fini(&ctx->maps);
	if (ctx->skip_why)
		util_strv_free(ctx->skip_why, ctx->project ? ctx->project->ndeps : 0);
	ctx->skip_why = NULL;
	free(ctx->implied_skip_why);
	ctx->implied_skip_why = NULL;
	pep440_spec_free(ctx->implied_want);
	ctx->implied_want = NULL;
	free(ctx->verdict);
	ctx->verdict = NULL;
	project_free(ctx->project);
	ctx->project = NULL;
	free(ctx->operands);
	ctx->operands = NULL;
	free(ctx->args);
	ctx->args = NULL;
	registry_free(ctx->reg);
	ctx->reg = NULL;
	selection_fini(&ctx->sel);
	util_strv_free(ctx->mapping_dirs, ctx->nmapping_dirs);
	ctx->mapping_dirs = NULL;
	ctx->nmapping_dirs = 0;
	util_strv_free(ctx->recursive, ctx->nrecursive);
	ctx->recursive = NULL;
	ctx->nrecursive = 0;
	util_strv_free(ctx->skips, ctx->nskips);
	ctx->skips = NULL;
	ctx->nskips = 0;
	util_strv_free(ctx->channels, ctx->nchannels);
	ctx->channels = NULL;
	ctx->nchannels = 0;
	cli_enabled_free(ctx);
	ctx->out.errors = NULL;
	ed_diags_fini(&ctx->errors);
	util_strv_free(ctx->enable_repos, ctx->nenable_repos);
	ctx->enable_repos = NULL;
	ctx->nenable_repos = 0;
}

/* --arch NAME must be a name the architecture table knows, in any
 * package manager's spelling: another would reach a backend's file names
 * and the markers unchecked. */
static int check_arch(const char *name, struct ed_diag *d)
{
	const char *names[128], *near;
	size_t n, ncanonical;
	struct strbuf known = STRBUF_INIT;
	int rc;

	if (arch_convert(name, ARCH_MACHINE))
		return 0;
	n = arch_names(names, 128, &ncanonical);
	for (size_t i = 0; i < ncanonical; i++)
		strbuf_addf(&known, "%s%s", i ? ", " : "", names[i]);
	if ((near = util_nearest(name, names, n)))
		rc = ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0,
				 "unknown architecture '%s'; did you mean '%s'? (known: %s)", name,
				 near, strbuf_str(&known));
	else
		rc = ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0,
				 "unknown architecture '%s' (known: %s; or their dpkg, rpm or "
				 "conda names)", name, strbuf_str(&known));
	strbuf_release(&known);
	return rc;
}

int cli_handle_opt(void *ud, int id, const char *value, struct ed_diag *d)
{
	struct ctx *ctx = ud;

	switch (id) {
	case CLI_OPT_DISTRO:
		ctx->distro = value;
		return 0;
	case CLI_OPT_ARCH:
		if (check_arch(value, d))
			return d->status;
		ctx->arch = value;
		return 0;
	case CLI_OPT_PYTHON:
		ctx->python = value;
		return 0;
	case CLI_OPT_MAPPINGS:
		if (!util_strv_push(&ctx->mapping_dirs, &ctx->nmapping_dirs, value))
			return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "out of memory");
		return 0;
	case CLI_OPT_OFFLINE:
		ctx->offline = true;
		return 0;
	case CLI_OPT_MIRROR:
		ctx->mirror = value;
		return 0;
	case CLI_OPT_CHANNEL:
		if (!util_strv_push(&ctx->channels, &ctx->nchannels, value))
			return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "out of memory");
		return 0;
	case CLI_OPT_PLATFORM:
		ctx->platform = value;
		return 0;
	case CLI_OPT_ENABLE_REPO:
		if (!util_strv_push(&ctx->enable_repos, &ctx->nenable_repos, value))
			return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "out of memory");
		return 0;
	case CLI_OPT_TIMEOUT:
		ctx->timeout = value;
		return 0;
	case CLI_OPT_MIN_RATE:
		ctx->min_rate = value;
		return 0;
	case CLI_OPT_FORMAT:
		ctx->format = value;
		return 0;
	case CLI_OPT_COLOR:
		ctx->color_mode = out_color_parse(value);
		out_set_color(&ctx->out, ctx->color_mode);
		return 0;
	case CLI_OPT_QUIET:
		ctx->out.verbosity = -1;
		return 0;
	case CLI_OPT_VERBOSE:
		if (ctx->out.verbosity < 0)
			ctx->out.verbosity = 0;
		ctx->out.verbosity++;
		return 0;
	case CLI_OPT_STAGE:
		return selection_set_stages(&ctx->sel, value, d);
	case CLI_OPT_EXTRA:
		return selection_add_extra(&ctx->sel, value, d);
	case CLI_OPT_ALL_EXTRAS:
		ctx->sel.all_extras = true;
		return 0;
	case CLI_OPT_GROUP:
		return selection_add_group(&ctx->sel, value, d);
	case CLI_OPT_RECURSIVE:
		if (!util_strv_push(&ctx->recursive, &ctx->nrecursive, value))
			return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "out of memory");
		return 0;
	case CLI_OPT_SKIP:
		if (!util_strv_push(&ctx->skips, &ctx->nskips, value))
			return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "out of memory");
		return 0;
	case CLI_OPT_SKIP_UNRESOLVED:
		ctx->skip_unresolved = true;
		return 0;
	}
	return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0, "option not handled");
}

bool cli_opt_applies(const struct cmd *c, const struct opt *o)
{
	if ((c->flags & CMD_THIS_MACHINE) && (o->id == CLI_OPT_DISTRO || o->id == CLI_OPT_ARCH))
		return false;
	return o->id != CLI_OPT_FORMAT || c->formats;
}

void cli_command_tables(const struct cmd *c, const struct opt *tables[CLI_MAX_TABLES])
{
	int n = 0;

	if (c->opts)
		tables[n++] = c->opts;
	tables[n++] = cli_global_opts;
	if (c->flags & (CMD_PROJECT | CMD_SELECTION))
		tables[n++] = cli_selection_opts;
	if (c->flags & CMD_SKIPS)
		tables[n++] = cli_skip_opts;
	if (c->flags & CMD_NETWORK)
		tables[n++] = cli_repo_opts;
	tables[n] = NULL;
}

/* The usage line, from the tables: the command's own options one by one,
 * the other groups by the names of their sections below, the formats, the
 * operands. */
static void print_usage_line(const struct cmd *cmd, FILE *f)
{
	fprintf(f, "usage: extdeps %s", cmd->name);
	for (const struct opt *o = cmd->opts; o && o->type != OPT_END; o++) {
		fputs(" [", f);
		if (o->short_name)
			fprintf(f, "-%c|", o->short_name);
		fprintf(f, "--%s%s%s]", o->name, o->arg ? "=" : "", o->arg ? o->arg : "");
	}
	if (cmd->flags & (CMD_PROJECT | CMD_SELECTION))
		fputs(" [selection]", f);
	if (cmd->flags & CMD_SKIPS)
		fputs(" [skips]", f);
	if (cmd->flags & CMD_NETWORK)
		fputs(" [repositories]", f);
	if (cmd->formats) {
		fputs(" [--format=", f);
		for (const char *const *fm = cmd->formats; *fm; fm++)
			fprintf(f, "%s%s", fm == cmd->formats ? "" : "|", *fm);
		fputc(']', f);
	}
	if (cmd->operands)
		fprintf(f, " %s", cmd->operands);
	fputc('\n', f);
}

static void print_section(FILE *f, const char *title, const struct opt *table)
{
	const struct opt *tables[2] = { table, NULL };

	fprintf(f, "\n%s:\n", title);
	opts_print_help(f, tables);
}

void cli_print_command_help(const struct cmd *cmd, FILE *f)
{
	print_usage_line(cmd, f);
	fprintf(f, "\n%s.\n", cmd->summary);
	if (cmd->opts && cmd->opts[0].type != OPT_END)
		print_section(f, "options", cmd->opts);
	if (cmd->flags & (CMD_PROJECT | CMD_SELECTION))
		print_section(f, "selection", cli_selection_opts);
	if (cmd->flags & CMD_SKIPS)
		print_section(f, "skips", cli_skip_opts);
	if (cmd->flags & CMD_NETWORK)
		print_section(f, "repositories", cli_repo_opts);
	if (cmd->formats) {
		fputs("\nformats:", f);
		for (const char *const *fm = cmd->formats; *fm; fm++)
			fprintf(f, " %s%s", *fm, fm == cmd->formats ? " (default)" : "");
		fputc('\n', f);
	}
	/* only the global options the command takes */
	struct opt globals[32];
	size_t n = 0;

	for (const struct opt *o = cli_global_opts; o->type != OPT_END && n + 1 < 32; o++)
		if (cli_opt_applies(cmd, o))
			globals[n++] = *o;
	globals[n] = (struct opt)OPT_TABLE_END;
	print_section(f, "global options", globals);
	fprintf(f, "\nSee extdeps-%s(1).\n", cmd->name);
}

