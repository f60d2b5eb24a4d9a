#include "cli.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "extdeps/eco/apt.h"
#include "extdeps/host/platform.h"
#include "extdeps/map/registry.h"
#include "extdeps/render/json.h"
#include "extdeps/util/heap.h"
#include "extdeps/util/util.h"

static const char *const color_choices[] = { "auto", "always", "never", NULL };

const struct opt cli_global_opts[] = {
	{ CLI_OPT_DISTRO, "distro", 0, OPT_VALUE, "ID[:REL]", "target distribution (default: this machine)", NULL },
	{ CLI_OPT_ARCH, "arch", 0, OPT_VALUE, "ARCH", "target architecture (markers see it as platform_machine)", NULL },
	{ CLI_OPT_MAPPINGS, "mappings", 0, OPT_VALUE, "DIR", "overlay mapping files from DIR (repeatable)", NULL },
	{ CLI_OPT_FORMAT, "format", 0, OPT_VALUE, "FORMAT", "output format", NULL },
	{ CLI_OPT_COLOR, "color", 0, OPT_VALUE, "WHEN", "colour: auto, always or never", color_choices },
	{ CLI_OPT_QUIET, "quiet", 'q', OPT_FLAG, NULL, "print only errors", NULL },
	{ CLI_OPT_VERBOSE, "verbose", 'v', OPT_FLAG, NULL, "say more", NULL },
	OPT_TABLE_END,
};

const struct opt cli_repo_opts[] = {
	{ CLI_OPT_OFFLINE, "offline", 0, OPT_FLAG, NULL, "never download; use cached metadata only", NULL },
	{ CLI_OPT_MIRROR, "mirror", 0, OPT_VALUE, "URL", "download the target's metadata from URL", NULL },
	{ CLI_OPT_CHANNEL, "channel", 0, OPT_VALUE, "NAME", "conda channel name or URL, in priority order (repeatable)", NULL },
	{ CLI_OPT_PLATFORM, "platform", 0, OPT_VALUE, "NAME", "target platform (conda subdir, Homebrew bottle tag)", NULL },
	OPT_TABLE_END,
};

const struct opt cli_selection_opts[] = {
	{ CLI_OPT_STAGE, "stage", 0, OPT_VALUE, "LIST", "stages to include: build,host,run (default all)", NULL },
	{ CLI_OPT_EXTRA, "extra", 0, OPT_VALUE, "NAME", "include an extra (repeatable)", NULL },
	{ CLI_OPT_ALL_EXTRAS, "all-extras", 0, OPT_FLAG, NULL, "include every extra", NULL },
	{ CLI_OPT_GROUP, "group", 0, OPT_VALUE, "NAME", "include a dependency group (repeatable)", NULL },
	OPT_TABLE_END,
};

const struct cmd *cli_find_command(const char *name)
{
	for (const struct cmd *c = cli_commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

void cli_ctx_init(struct ctx *ctx, FILE *outf, FILE *errf)
{
	memset(ctx, 0, sizeof *ctx);
	ctx->color_mode = OUT_COLOR_AUTO;
	out_init(&ctx->out, outf, errf, OUT_COLOR_AUTO);
	marker_env_host(&ctx->env, ctx->env_buf, sizeof ctx->env_buf);
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
	selection_init(&ctx->sel, &ctx->env);
}

void cli_ctx_fini(struct ctx *ctx)
{
	registry_free(ctx->reg);
	ctx->reg = NULL;
	selection_fini(&ctx->sel);
	util_strv_free(ctx->mapping_dirs, ctx->nmapping_dirs);
	ctx->mapping_dirs = NULL;
	ctx->nmapping_dirs = 0;
	util_strv_free(ctx->channels, ctx->nchannels);
	ctx->channels = NULL;
	ctx->nchannels = 0;
}

/* PEP 508's platform_machine (uname's spelling) for an architecture given
 * as a distribution spells it; other spellings are taken as they are. */
static const char *marker_machine_of_arch(const char *arch)
{
	static const char *const map[][2] = {
		{ "amd64", "x86_64" },  { "x86-64", "x86_64" },    { "linux-64", "x86_64" },
		{ "arm64", "aarch64" }, { "linux-aarch64", "aarch64" }, { "i386", "i686" },
		{ "ppc64el", "ppc64le" }, { "linux-ppc64le", "ppc64le" }, { "armhf", "armv7l" },
	};

	for (size_t i = 0; i < sizeof map / sizeof *map; i++)
		if (!strcmp(arch, map[i][0]))
			return map[i][1];
	return arch;
}

int cli_handle_opt(void *ud, int id, const char *value, struct ed_diag *d)
{
	struct ctx *ctx = ud;

	switch (id) {
	case CLI_OPT_DISTRO:
		ctx->distro = value;
		return 0;
	case CLI_OPT_ARCH:
		ctx->arch = value;
		ctx->env.values[MARKER_PLATFORM_MACHINE] = marker_machine_of_arch(value);
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
	case CLI_OPT_FORMAT:
		ctx->format = value;
		return 0;
	case CLI_OPT_COLOR:
		ctx->color_mode = out_color_parse(value);
		out_init(&ctx->out, ctx->out.out, ctx->out.err, ctx->color_mode);
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
	}
	return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0, "option not handled");
}

void cli_print_command_help(const struct cmd *cmd, FILE *f)
{
	const struct opt *tables[4] = { NULL };
	int n = 0;

	fprintf(f, "usage: extdeps %s %s\n\n%s.\n", cmd->name, cmd->usage, cmd->summary);
	if (cmd->opts && cmd->opts[0].type != OPT_END) {
		fputs("\noptions:\n", f);
		tables[0] = cmd->opts;
		opts_print_help(f, tables);
	}
	if (cmd->flags & CMD_NEEDS_PROJECT) {
		fputs("\nselection:\n", f);
		tables[0] = cli_selection_opts;
		opts_print_help(f, tables);
	}
	if (cmd->flags & CMD_USES_NETWORK) {
		fputs("\nrepositories:\n", f);
		tables[0] = cli_repo_opts;
		opts_print_help(f, tables);
	}
	if (cmd->formats) {
		fputs("\nformats:", f);
		for (const char *const *fm = cmd->formats; *fm; fm++)
			fprintf(f, " %s%s", *fm, fm == cmd->formats ? " (default)" : "");
		fputc('\n', f);
	}
	fputs("\nglobal options:\n", f);
	tables[n = 0] = cli_global_opts;
	tables[1] = NULL;
	opts_print_help(f, tables);
	fprintf(f, "\nSee extdeps-%s(1).\n", cmd->name);
}

int cli_parse(struct ctx *ctx, int argc, char **argv, opt_handler handler, void *ud,
	      char ***pos, int *npos)
{
	const struct opt *tables[5];
	struct ed_diag d;
	int n = 0, rc;

	ed_diag_clear(&d);
	if (ctx->cmd->opts)
		tables[n++] = ctx->cmd->opts;
	tables[n++] = cli_global_opts;
	if (ctx->cmd->flags & CMD_NEEDS_PROJECT)
		tables[n++] = cli_selection_opts;
	if (ctx->cmd->flags & CMD_USES_NETWORK)
		tables[n++] = cli_repo_opts;
	tables[n] = NULL;
	rc = opts_parse(tables, argc, argv, false, handler ? handler : cli_handle_opt,
			handler ? ud : ctx, pos, npos, &d);
	if (rc == OPTS_HELP) {
		cli_print_command_help(ctx->cmd, ctx->out.out);
		return OPTS_HELP;
	}
	if (rc) {
		out_diag(&ctx->out, &d);
		if (rc == ED_EXIT_INPUT)
			fprintf(ctx->out.err, "see 'extdeps %s --help'\n", ctx->cmd->name);
		return rc;
	}
	if (ctx->cmd->formats) {
		const char *const *fm;
		if (!ctx->format)
			ctx->format = ctx->cmd->formats[0];
		for (fm = ctx->cmd->formats; *fm; fm++)
			if (!strcmp(*fm, ctx->format))
				break;
		if (!*fm) {
			out_error(&ctx->out, "'%s' is not a format of 'extdeps %s'; see 'extdeps %s --help'",
				  ctx->format, ctx->cmd->name, ctx->cmd->name);
			free(*pos);
			*pos = NULL;
			return ED_EXIT_INPUT;
		}
	}
	return 0;
}

int cli_load_project(struct ctx *ctx, char **pos, int npos, struct project **project,
		     enum select_skip **verdict)
{
	struct ed_diag d;
	struct project *p;
	int rc;

	ed_diag_clear(&d);
	*project = NULL;
	*verdict = NULL;
	if (npos > 1) {
		out_error(&ctx->out, "'extdeps %s' takes one PROJECT, not %d; see 'extdeps %s --help'",
			  ctx->cmd->name, npos, ctx->cmd->name);
		return ED_EXIT_INPUT;
	}
	p = project_load(npos ? pos[0] : ".", &d);
	if (!p) {
		out_diag(&ctx->out, &d);
		return d.status ? (int)d.status : ED_EXIT_INPUT;
	}
	ctx->sel.env = ctx->env;
	if ((rc = selection_apply(&ctx->sel, p, verdict, &d))) {
		out_diag(&ctx->out, &d);
		project_free(p);
		return rc;
	}
	*project = p;
	return 0;
}

static int load_registry(struct ctx *ctx, const char *ecosystem);

/* The ecosystem --distro names ("debian" of "debian:12" or "debian+12"), or
 * this machine's os-release ID; "" when unknown. */
static void target_ecosystem(const struct ctx *ctx, char *buf, size_t size)
{
	struct os_release os;
	struct ed_diag ignored;

	buf[0] = '\0';
	if (ctx->distro)
		snprintf(buf, size, "%.*s", (int)strcspn(ctx->distro, ":+"), ctx->distro);
	else if (!os_release_read(getenv("EXTDEPS_ROOT"), &os, &ignored))
		snprintf(buf, size, "%s", os.id);
}

int cli_load_registry_for_target(struct ctx *ctx)
{
	char eco[64];

	target_ecosystem(ctx, eco, sizeof eco);
	return load_registry(ctx, eco[0] ? eco : NULL);
}

int cli_load_registry(struct ctx *ctx)
{
	return load_registry(ctx, NULL);
}

int cli_load_registry_list(struct ctx *ctx, const char *const *ecosystems, size_t n)
{
	struct ed_diag d;
	int rc;

	if (ctx->reg)
		return 0;
	ed_diag_clear(&d);
	if (!(ctx->reg = registry_new())) {
		out_error(&ctx->out, "out of memory");
		return ED_EXIT_ENV;
	}
	rc = registry_load_default_list(ctx->reg, ecosystems, n,
					(const char *const *)ctx->mapping_dirs, ctx->nmapping_dirs, &d);
	if (rc) {
		out_diag(&ctx->out, &d);
		registry_free(ctx->reg);
		ctx->reg = NULL;
	}
	return rc;
}

static int load_registry(struct ctx *ctx, const char *ecosystem)
{
	return cli_load_registry_list(ctx, &ecosystem, ecosystem ? 1 : 0);
}

int cli_target(struct ctx *ctx, struct reg_target *target)
{
	struct ed_diag d;
	char host[192];
	const char *text = ctx->distro;
	int rc;

	ed_diag_clear(&d);
	if (!text) {
		struct os_release os;
		if ((rc = os_release_read(getenv("EXTDEPS_ROOT"), &os, &d))) {
			out_diag(&ctx->out, &d);
			return rc;
		}
		if (!os.id[0] || !registry_find_ecosystem(ctx->reg, os.id)) {
			out_error(&ctx->out, "this machine (%s) is not a known target; use --distro",
				  os.pretty_name[0] ? os.pretty_name : os.id[0] ? os.id : "unknown");
			return ED_EXIT_ENV;
		}
		snprintf(host, sizeof host, "%s%s%s", os.id, os.version_id[0] ? ":" : "",
			 os.version_id);
		text = host;
	}
	if ((rc = registry_parse_target(ctx->reg, text, target, &d))) {
		out_diag(&ctx->out, &d);
		return rc;
	}
	return 0;
}

/* The release entry of T (looked up in its ecosystem, then the ones it
 * inherits from), for the codename. */
static const struct reg_release *target_release(const struct registry *reg,
						const struct reg_target *t)
{
	for (const struct reg_ecosystem *e = t->eco; e && t->release;
	     e = e->inherits ? registry_find_ecosystem(reg, e->inherits) : NULL)
		for (size_t i = 0; i < e->nreleases; i++)
			if (!strcmp(e->releases[i].number, t->release))
				return &e->releases[i];
	return NULL;
}

/* The backend serving T's ecosystem or one it inherits from. */
static const struct eco_ops *target_backend(const struct registry *reg, const struct reg_target *t)
{
	for (const struct reg_ecosystem *e = t->eco; e;
	     e = e->inherits ? registry_find_ecosystem(reg, e->inherits) : NULL) {
		const struct eco_ops *ops = eco_for_ecosystem(e->id);
		if (ops)
			return ops;
	}
	return NULL;
}

/* Whether T is this machine. An operating system's distribution is when
 * os-release names it (and the release, when one was given) and no other
 * mirror was asked for; the others (conda, Homebrew, Nix) run on any system,
 * so they are unless another platform was named. */
static bool target_is_host(const struct ctx *ctx, const struct eco_ops *ops,
			   const struct reg_target *t)
{
	struct os_release os;
	struct ed_diag ignored;

	if (strcmp(ops->name, "apt") && strcmp(ops->name, "dnf"))
		return !ctx->platform;
	if (ctx->mirror || os_release_read(getenv("EXTDEPS_ROOT"), &os, &ignored))
		return false;
	if (strcmp(os.id, t->eco->id))
		return false;
	return !t->release_given || !t->release || !strcmp(t->release, os.version_id);
}

static const char *host_arch_for(const struct eco_ops *ops, const struct eco_opts *o)
{
	static struct utsname u;

	if (o->arch)
		return o->arch;
	if (o->platform)
		return o->platform;
	if (!strcmp(ops->name, "apt") && apt_host_arch())
		return apt_host_arch();
	return uname(&u) ? "unknown" : u.machine;
}

int cli_repos_opts(struct ctx *ctx, const struct reg_target *t, const struct eco_ops **eco,
		   struct eco_opts *o)
{
	const struct reg_release *rel = target_release(ctx->reg, t);

	memset(o, 0, sizeof *o);
	if (!(*eco = target_backend(ctx->reg, t))) {
		out_error(&ctx->out, "no solver backend for %s yet", t->eco->id);
		return ED_EXIT_ENV;
	}
	o->arch = ctx->arch;
	o->distro = t->eco->id;
	o->release = t->release;
	o->codename = rel ? rel->codename : NULL;
	o->mirror = ctx->mirror;
	o->channels = (const char *const *)ctx->channels;
	o->nchannels = ctx->nchannels;
	o->platform = ctx->platform;
	o->offline = ctx->offline;
	o->progress = isatty(fileno(ctx->out.err)) && !getenv("CI") && ctx->out.verbosity >= 0;
	o->host = target_is_host(ctx, *eco, t);
	return 0;
}

int cli_repos_open(struct ctx *ctx, const struct reg_target *t, bool file_lists,
		   struct cli_repos *r)
{
	struct ed_diag d;
	int rc;

	memset(r, 0, sizeof *r);
	ed_diag_clear(&d);
	if ((rc = cli_repos_opts(ctx, t, &r->eco, &r->o)))
		return rc;
	r->o.file_lists = file_lists;
	snprintf(r->arch, sizeof r->arch, "%.63s", host_arch_for(r->eco, &r->o));
	heap_prepare_pool();
	if (!(r->pool = pool_create())) {
		out_error(&ctx->out, "out of memory");
		return ED_EXIT_ENV;
	}
	if ((rc = r->eco->pool_setup(r->pool, &r->o, &d)) ||
	    (rc = r->eco->load_available(r->pool, &r->o, &r->st, &d)) ||
	    (r->o.host && (rc = r->eco->load_installed(r->pool, &r->o, NULL, &d)))) {
		out_diag(&ctx->out, &d);
		cli_repos_close(r);
		return rc;
	}
	pool_addfileprovides(r->pool);
	pool_createwhatprovides(r->pool);
	return 0;
}

void cli_repos_close(struct cli_repos *r)
{
	if (r->pool)
		pool_free(r->pool);
	r->pool = NULL;
}

bool cli_target_is_host(struct ctx *ctx, const struct reg_target *t)
{
	const struct eco_ops *ops = target_backend(ctx->reg, t);

	return ops && target_is_host(ctx, ops, t);
}
