/* setup.c - what the command table's flags set up before a command runs
 * (see cli.h): arguments, project, registry, target, repositories. */
#include "cli.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "extdeps/eco/arch.h"
#include "extdeps/host/check.h"
#include "extdeps/host/cuda.h"
#include "extdeps/map/target.h"
#include "extdeps/net/fetch.h"
#include "extdeps/read/workspace.h"
#include "extdeps/render/check_report.h"
#include "extdeps/render/report.h"
#include "extdeps/util/heap.h"
#include "extdeps/util/osrelease.h"
#include "extdeps/util/util.h"

/* --- arguments --- */

/* The command's own option ids go to its handler with its argument struct;
 * the others are the shared ones. */
static int handle_any(void *ud, int id, const char *value, struct ed_diag *d)
{
	struct ctx *ctx = ud;

	if (id < CLI_OPT_DISTRO && ctx->cmd->opt)
		return ctx->cmd->opt(ctx->args, id, value, d);
	return cli_handle_opt(ctx, id, value, d);
}

static int check_format(struct ctx *ctx)
{
	const char *const *fm;

	if (!ctx->cmd->formats)
		return 0;
	if (!ctx->format)
		ctx->format = ctx->cmd->formats[0];
	for (fm = ctx->cmd->formats; *fm; fm++)
		if (!strcmp(*fm, ctx->format))
			return 0;
	out_error(&ctx->out, "'%s' is not a format of 'extdeps %s'; see 'extdeps %s --help'",
		  ctx->format, ctx->cmd->name, ctx->cmd->name);
	return ED_EXIT_INPUT;
}

static int parse_args(struct ctx *ctx, int argc, char **argv)
{
	const struct opt *tables[CLI_MAX_TABLES];
	struct ed_diag d;
	int rc;

	ed_diag_clear(&d);
	if (ctx->cmd->args_size && !(ctx->args = calloc(1, ctx->cmd->args_size))) {
		out_error(&ctx->out, "out of memory");
		return ED_EXIT_ENV;
	}
	cli_command_tables(ctx->cmd, tables);
	rc = opts_parse(tables, argc, argv, false, handle_any, ctx, &ctx->operands, &ctx->noperands,
			&d);
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
	if ((rc = check_format(ctx)))
		return rc;
	if (!(ctx->cmd->flags & CMD_PROJECT) && ctx->cmd->max_operands >= 0 &&
	    ctx->noperands > ctx->cmd->max_operands) {
		if (ctx->cmd->max_operands)
			out_error(&ctx->out, "'extdeps %s' takes at most %d argument%s (%s); see "
					     "'extdeps %s --help'",
				  ctx->cmd->name, ctx->cmd->max_operands,
				  ctx->cmd->max_operands == 1 ? "" : "s",
				  ctx->cmd->operands ? ctx->cmd->operands : "", ctx->cmd->name);
		else
			out_error(&ctx->out, "'extdeps %s' takes no arguments; see 'extdeps %s --help'",
				  ctx->cmd->name, ctx->cmd->name);
		return ED_EXIT_INPUT;
	}
	return 0;
}

/* --- the project --- */

/* The registry's versioned aliases among P's DepURLs, expanded: every
 * command then sees dep:generic/cuda12 as dep:generic/cuda@>=12,<13. */
static int expand_aliases(struct ctx *ctx, struct project *p)
{
	struct ed_diag d;

	ed_diag_clear(&d);
	for (size_t i = 0; ctx->reg && i < p->ndeps; i++)
		if (registry_expand_alias(ctx->reg, p->deps[i].url, &d)) {
			if (d.status == ED_EXIT_INPUT)
				ed_diag_set(&d, d.status, p->deps[i].file, p->deps[i].line, p->deps[i].col,
					    "%s", d.msg);
			out_diag(&ctx->out, &d);
			return d.status;
		}
	return 0;
}

int cli_load_project(struct ctx *ctx, const char *path, struct project **project,
		     enum select_skip **verdict)
{
	struct ed_diags errs = { 0 };
	struct ed_diag d;
	int rc;

	ed_diag_clear(&d);
	*verdict = NULL;
	/* every error of the file at once, as a compiler reports them */
	if (!(*project = project_load_all(path, &d, &errs))) {
		/* D is the first error; ALL holds it already unless the reader
		 * stopped on something it does not list (out of memory) */
		if (!ed_diags_has(&errs, &d))
			ed_diags_add(&errs, &d);
		out_diags(&ctx->out, &errs);
		ed_diags_fini(&errs);
		return d.status ? (int)d.status : ED_EXIT_INPUT;
	}
	ctx->sel.env = ctx->env;
	if (!(rc = expand_aliases(ctx, *project)) &&
	    (rc = selection_apply(&ctx->sel, *project, verdict, &d)))
		out_diag(&ctx->out, &d);
	if (rc) {
		project_free(*project);
		*project = NULL;
	}
	return rc;
}

int cli_project_paths(struct ctx *ctx, char ***paths, size_t *n)
{
	struct ed_diag d;
	int rc = 0;

	*paths = NULL;
	*n = 0;
	ed_diag_clear(&d);
	for (int i = 0; !rc && i < ctx->noperands; i++)
		if (!util_strv_push(paths, n, ctx->operands[i]))
			rc = ed_diag_oom(&d);
	for (size_t i = 0; !rc && i < ctx->nrecursive; i++)
		rc = workspace_find(ctx->recursive[i], paths, n, &d);
	if (!rc && !*n && !util_strv_push(paths, n, "."))
		rc = ed_diag_oom(&d);
	if (rc) {
		out_diag(&ctx->out, &d);
		util_strv_free(*paths, *n);
		*paths = NULL;
		*n = 0;
	}
	return rc;
}

/* The N verdicts VS of the projects PS, one after another, as the merged
 * project's. */
static enum select_skip *join_verdicts(struct project *const *ps, enum select_skip *const *vs,
				       size_t n)
{
	size_t total = 0, k = 0;
	enum select_skip *all;

	for (size_t i = 0; i < n; i++)
		total += ps[i]->ndeps;
	if (!(all = malloc((total ? total : 1) * sizeof *all)))
		return NULL;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < ps[i]->ndeps; j++)
			all[k++] = vs[i][j];
	return all;
}

int cli_load_projects(struct ctx *ctx)
{
	char **paths;
	size_t n;
	struct project **ps = NULL;
	enum select_skip **vs = NULL;
	struct ed_diag d;
	int rc, worst = 0;

	if ((rc = cli_project_paths(ctx, &paths, &n)))
		return rc;
	if (n == 1) {
		rc = cli_load_project(ctx, paths[0], &ctx->project, &ctx->verdict);
		util_strv_free(paths, n);
		return rc;
	}
	ed_diag_clear(&d);
	ctx->sel.undeclared_ok = true;
	if (!(ps = calloc(n, sizeof *ps)) || !(vs = calloc(n, sizeof *vs))) {
		out_error(&ctx->out, "out of memory");
		worst = ED_EXIT_ENV;
		goto out;
	}
	/* every project is tried, so that one run reports every bad one */
	for (size_t i = 0; i < n; i++)
		if ((rc = cli_load_project(ctx, paths[i], &ps[i], &vs[i])) > worst)
			worst = rc;
	if (worst)
		goto out;
	if ((worst = selection_declared(&ctx->sel, ps, n, &d)) ||
	    !(ctx->verdict = join_verdicts(ps, vs, n)) ||
	    !(ctx->project = project_merge(ps, n, &d))) {
		if (!worst && !ctx->verdict)
			ed_diag_oom(&d);
		out_diag(&ctx->out, &d);
		worst = worst ? worst : ED_EXIT_ENV;
		free(ctx->verdict);
		ctx->verdict = NULL;
		goto out;
	}
	/* the merged project owns them now */
	memset(ps, 0, n * sizeof *ps);
out:
	for (size_t i = 0; i < n; i++) {
		if (ps)
			project_free(ps[i]);
		if (vs)
			free(vs[i]);
	}
	free(ps);
	free(vs);
	util_strv_free(paths, n);
	return worst;
}

/* --- skips --- */

static int set_skip_why(struct ctx *ctx, size_t i, const char *why)
{
	if (!ctx->skip_why &&
	    !(ctx->skip_why = calloc(ctx->project->ndeps ? ctx->project->ndeps : 1,
				     sizeof *ctx->skip_why)))
		goto oom;
	free(ctx->skip_why[i]);
	if (!(ctx->skip_why[i] = strdup(why)))
		goto oom;
	return 0;
oom:
	out_error(&ctx->out, "out of memory");
	return ED_EXIT_ENV;
}

int cli_skip_unresolved(struct ctx *ctx, size_t i, const char *why)
{
	ctx->verdict[i] = SELECT_UNRESOLVED;
	return set_skip_why(ctx, i, why);
}

/* Why mapping M gives no package, in words, into BUF. */
static void unmapped_why(const struct ctx *ctx, const struct reg_map *m, char *buf, size_t size)
{
	switch (m->status) {
	case REG_UNKNOWN:
		snprintf(buf, size, "unknown DepURL%s%s%s", m->suggestion ? "; did you mean '" : "",
			 m->suggestion ? m->suggestion : "", m->suggestion ? "'?" : "");
		break;
	case REG_UNMAPPED:
		snprintf(buf, size, "not mapped for %s yet", ctx->target.eco->id);
		break;
	default:
		snprintf(buf, size, "not available%s%s", m->reason ? ": " : "",
			 m->reason ? m->reason : "");
	}
}

int cli_apply_skips(struct ctx *ctx)
{
	const struct project *p = ctx->project;
	char why[512];
	int rc;

	for (size_t k = 0; k < ctx->nskips; k++) {
		bool used = false;

		for (size_t i = 0; i < p->ndeps; i++) {
			if (ctx->verdict[i] != SELECT_IN && ctx->verdict[i] != SELECT_SKIPPED)
				continue;
			if (fnmatch(ctx->skips[k], p->deps[i].url->id, 0))
				continue;
			used = true;
			if (ctx->verdict[i] == SELECT_SKIPPED)
				continue;
			if (ctx->maps.maps[i].status != REG_MAPPED && ctx->maps.nunmet)
				ctx->maps.nunmet--;
			snprintf(why, sizeof why, "--skip=%s", ctx->skips[k]);
			ctx->verdict[i] = SELECT_SKIPPED;
			if ((rc = set_skip_why(ctx, i, why)))
				return rc;
		}
		if (!used && ctx->out.verbosity >= 0)
			out_warn(&ctx->out, "--skip=%s matches no selected dependency", ctx->skips[k]);
	}
	for (size_t i = 0; ctx->skip_unresolved && i < p->ndeps; i++) {
		if (ctx->verdict[i] != SELECT_IN || ctx->maps.maps[i].status == REG_MAPPED)
			continue;
		unmapped_why(ctx, &ctx->maps.maps[i], why, sizeof why);
		if ((rc = cli_skip_unresolved(ctx, i, why)))
			return rc;
		ctx->maps.nunmet--;
	}
	return 0;
}

/* --- the registry --- */

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

int cli_load_registry_for_target(struct ctx *ctx)
{
	struct os_release os;
	struct ed_diag ignored;
	char id[64] = "", family[64] = "";
	const char *list[2] = { id, family };

	/* the ecosystem --distro names ("debian" of "debian:12") or this
	 * machine's ID, and its family ("el" of "almalinux:9") */
	if (ctx->distro) {
		snprintf(id, sizeof id, "%.*s", (int)strcspn(ctx->distro, ":+"), ctx->distro);
		snprintf(family, sizeof family, "%s",
			 target_family_of_id(id) ? target_family_of_id(id) : id);
	} else if (!os_release_read(getenv("EXTDEPS_ROOT"), &os, &ignored)) {
		snprintf(id, sizeof id, "%s", os.id);
		target_os_family(&os, family, sizeof family);
	}
	return cli_load_registry_list(ctx, list, !id[0] ? 0 : strcmp(id, family) ? 2 : 1);
}

/* Of the compiled-in ecosystems only those the host's databases are named
 * with: building the others' mappings costs a check more than its own work.
 * None found: every ecosystem. */
static int load_registry_host(struct ctx *ctx)
{
	char ids[CHECK_ECO_MAX][CHECK_ECO_ID_MAX];
	const char *list[CHECK_ECO_MAX];
	size_t n = check_host_ecosystems(getenv("EXTDEPS_ROOT"), ids, CHECK_ECO_MAX);

	for (size_t i = 0; i < n; i++)
		list[i] = ids[i];
	return cli_load_registry_list(ctx, list, n);
}

static int load_registry(struct ctx *ctx)
{
	unsigned f = ctx->cmd->flags;

	if (f & CMD_REGISTRY)
		return cli_load_registry_list(ctx, NULL, 0);
	if (f & CMD_REGISTRY_TARGET)
		return cli_load_registry_for_target(ctx);
	if (f & CMD_REGISTRY_HOST)
		return load_registry_host(ctx);
	return 0;
}

/* --- the target --- */

static struct target_in model_in(const struct ctx *ctx, const char *distro)
{
	return (struct target_in){ .distro = distro, .arch = ctx->arch, .platform = ctx->platform,
				   .python = ctx->python, .mirror = ctx->mirror,
				   .root = getenv("EXTDEPS_ROOT"),
				   .machine = ctx->host_env.values[MARKER_PLATFORM_MACHINE],
				   .sys_platform = ctx->host_env.values[MARKER_SYS_PLATFORM] };
}

int cli_decide_model(struct ctx *ctx, bool required)
{
	struct target_in in = model_in(ctx, ctx->distro);
	struct ed_diag d;
	int rc;

	ed_diag_clear(&d);
	rc = target_decide(ctx->reg, &in, &ctx->model, &d);
	snprintf(ctx->model_why, sizeof ctx->model_why, "%s", rc ? d.msg : "");
	target_apply_markers(&ctx->model, &ctx->env);
	cli_marker_overrides(ctx);
	ctx->sel.env = ctx->env;
	if (rc && (required || rc == ED_EXIT_INPUT)) {
		out_diag(&ctx->out, &d);
		return rc;
	}
	if (ctx->model.warning[0] && (required || ctx->distro))
		out_warn(&ctx->out, "%s", ctx->model.warning);
	return 0;
}

const char *cli_python(const struct ctx *ctx)
{
	return ctx->model.python.value[0] && !ctx->model.python_own ? ctx->model.python.value
								     : NULL;
}

int cli_target(struct ctx *ctx, const char *text, struct reg_target *target)
{
	struct target_in in = model_in(ctx, text);
	struct target_model *m = malloc(sizeof *m);
	struct ed_diag d;
	int rc;

	if (!m) {
		out_error(&ctx->out, "out of memory");
		return ED_EXIT_ENV;
	}
	ed_diag_clear(&d);
	if ((rc = target_decide(ctx->reg, &in, m, &d)))
		out_diag(&ctx->out, &d);
	else
		*target = m->target;
	free(m);
	return rc;
}

static int decide_target(struct ctx *ctx)
{
	struct ed_diag d;
	int rc;

	ctx->target = ctx->model.target;
	ctx->has_target = true;
	if (!ctx->project)
		return 0;
	ed_diag_clear(&d);
	if ((rc = mapset_build(&ctx->maps, ctx->reg, &ctx->target, ctx->project, ctx->verdict,
			       cli_python(ctx), &d)))
		out_diag(&ctx->out, &d);
	return rc;
}

/* --- the repositories --- */

/* Whether T is this machine (target.h's model of T decides). */
static bool target_is_host(struct ctx *ctx, const struct reg_target *t)
{
	char name[192];
	struct target_in in;
	struct target_model *m;
	struct ed_diag ignored;
	bool host;

	if (ctx->has_target && t->eco == ctx->model.target.eco &&
	    t->release == ctx->model.target.release)
		return ctx->model.host;
	snprintf(name, sizeof name, "%s%s%s", t->eco->id, t->release_given ? ":" : "",
		 t->release_given ? t->release : "");
	in = model_in(ctx, name);
	if (!(m = malloc(sizeof *m)))
		return false;
	host = !target_decide(ctx->reg, &in, m, &ignored) && m->host;
	free(m);
	return host;
}

/* The target's architecture as it spells it: --arch, --platform, or this
 * machine's (uname's where the table does not know the machine). */
static const char *host_arch_for(const struct eco_ops *ops, const struct eco_opts *o)
{
	static struct utsname u;

	if (o->arch)
		return o->arch;
	if (o->platform)
		return o->platform;
	if (arch_host(ops->arch_scheme))
		return arch_host(ops->arch_scheme);
	return uname(&u) ? "unknown" : u.machine;
}

/* The number in TEXT (OPTION names it in messages), from MIN to MAX, into
 * *OUT; TEXT NULL: the variable ENV, else nothing. */
static int number_opt(struct ctx *ctx, const char *text, const char *option, const char *env,
		      long min, long max, long *out)
{
	const char *what = option;
	char *end;
	long v;

	if (!text && (text = getenv(env)) && *text)
		what = env;
	else if (!text || !*text)
		return 0;
	errno = 0;
	v = strtol(text, &end, 10);
	if (errno || end == text || *end || v < min || v > max) {
		out_error(&ctx->out, "%s '%s' is not a number from %ld to %ld", what, text, min, max);
		return ED_EXIT_INPUT;
	}
	*out = v;
	return 0;
}

/* eco_opts.lock_waiting: say who holds a cache's lock before waiting for
 * it, so that a run blocked by another is not silent. */
static void lock_waiting(const char *path, const char *who, void *ud)
{
	struct ctx *ctx = ud;

	if (ctx->out.verbosity >= 0)
		fprintf(ctx->out.err, "extdeps: waiting for the lock '%s', held by %s\n", path,
			who ? who : "another process");
}

/* eco_opts.fetched: where no progress bar is drawn (a CI log, a file), a
 * line per file downloaded or found current, so that a long update is not
 * silent. */
static void fetched(const char *label, const struct fetch_result *r, void *ud)
{
	struct ctx *ctx = ud;
	char size[32];

	if (r->outcome == FETCH_NOT_MODIFIED) {
		fprintf(ctx->out.err, "extdeps: %s: current\n", label);
		return;
	}
	util_human_bytes((double)r->bytes, size, sizeof size);
	fprintf(ctx->out.err, "extdeps: %s: downloaded, %s\n", label, size);
}

/* --timeout and --min-rate (or their variables) into O. */
static int wait_opts(struct ctx *ctx, struct eco_opts *o)
{
	long rate = -2;
	int rc;

	if ((rc = number_opt(ctx, ctx->timeout, "--timeout", "EXTDEPS_TIMEOUT", 1, 86400 * 7,
			     &o->timeout_s)) ||
	    (rc = number_opt(ctx, ctx->min_rate, "--min-rate", "EXTDEPS_MIN_RATE", 0, 1L << 40,
			     &rate)))
		return rc;
	/* 0 asks for no minimum, which eco_opts spells as negative */
	if (rate != -2)
		o->min_rate = rate ? rate : -1;
	snprintf(ctx->lock_holder, sizeof ctx->lock_holder, "extdeps %s",
		 ctx->cmd ? ctx->cmd->name : "");
	o->lock_holder = ctx->lock_holder;
	o->lock_waiting = lock_waiting;
	o->lock_waiting_ud = ctx;
	return 0;
}

int cli_repos_opts(struct ctx *ctx, const struct reg_target *t, const struct eco_ops **eco,
		   struct eco_opts *o)
{
	const struct reg_release *rel = target_release(ctx->reg, t);
	int rc;

	memset(o, 0, sizeof *o);
	if ((rc = wait_opts(ctx, o)))
		return rc;
	if (!(*eco = target_backend(ctx->reg, t))) {
		out_error(&ctx->out,
			  "cannot solve for %s: extdeps has no backend for its repositories yet "
			  "('extdeps map' maps its packages)",
			  t->eco->id);
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
	/* ctx->out.err escapes, and so has no descriptor of its own */
	o->progress = ctx->out.tty_err && !getenv("CI") && ctx->out.verbosity >= 0;
	if (!o->progress && ctx->out.verbosity >= 0) {
		o->fetched = fetched;
		o->fetched_ud = ctx;
	}
	o->host = target_is_host(ctx, t);
	o->named = ctx->distro != NULL;
	if ((rc = cli_enable_repos(ctx, t, *eco)))
		return rc;
	o->repos = ctx->enabled.v;
	o->nrepos = ctx->enabled.n;
	if (o->host && (*eco)->wants_cuda_driver) {
		cuda_driver_detect(&ctx->cuda);
		o->cuda_driver = ctx->cuda.present ? ctx->cuda.version_str : NULL;
	}
	return 0;
}

int cli_repos_open(struct ctx *ctx, const struct reg_target *t, bool file_lists,
		   struct cli_repos *r)
{
	struct ed_diag d;
	int rc;

	ed_diag_clear(&d);
	if ((rc = cli_repos_load(ctx, t, file_lists, r, &d)) && d.msg[0])
		out_diag(&ctx->out, &d);
	return rc;
}

/* Every package name the selected dependencies of the project (and the
 * Python development files they imply) are mapped to, into R->names. */
static bool mapped_names(const struct ctx *ctx, struct cli_repos *r)
{
	const struct mapset *ms = &ctx->maps;
	const struct reg_spec_list *implied = ms->implied;

	for (size_t i = 0; i < ctx->project->ndeps; i++)
		for (size_t k = 0; mapset_selected(ms, i) && k < ms->maps[i].npkgs; k++)
			for (size_t a = 0; a < ms->maps[i].pkgs[k].nalts; a++)
				if (!util_strv_push(&r->names, &r->nnames,
						    ms->maps[i].pkgs[k].alts[a].name))
					return false;
	for (size_t i = 0; implied && i < implied->count; i++)
		for (size_t a = 0; a < implied->items[i].nalts; a++)
			if (!util_strv_push(&r->names, &r->nnames, implied->items[i].alts[a]))
				return false;
	return true;
}

int cli_repos_load(struct ctx *ctx, const struct reg_target *t, bool file_lists,
		   struct cli_repos *r, struct ed_diag *dp)
{
	struct ed_diag d;
	int rc;

	memset(r, 0, sizeof *r);
	ed_diag_clear(&d);
	if ((rc = cli_repos_opts(ctx, t, &r->eco, &r->o)))
		return rc;
	r->o.file_lists = file_lists;
	/* a plan asks about these alone: a backend may load only what they reach */
	if (ctx->project && ctx->maps.maps && ctx->maps.target.eco == t->eco) {
		if (!mapped_names(ctx, r)) {
			cli_repos_close(r);
			out_error(&ctx->out, "out of memory");
			return ED_EXIT_ENV;
		}
		r->o.names = (const char *const *)r->names;
		r->o.nnames = r->nnames;
	}
	snprintf(r->arch, sizeof r->arch, "%.63s", host_arch_for(r->eco, &r->o));
	heap_prepare_pool();
	if (!(r->pool = pool_create())) {
		out_error(&ctx->out, "out of memory");
		return ED_EXIT_ENV;
	}
	if ((rc = r->eco->pool_setup(r->pool, &r->o, &d)) ||
	    (rc = r->eco->load_available(r->pool, &r->o, &r->st, &d)) ||
	    (r->o.host && (rc = r->eco->load_installed(r->pool, &r->o, NULL, &d)))) {
		*dp = d;
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
	util_strv_free(r->names, r->nnames);
	r->names = NULL;
	r->nnames = 0;
	r->o.names = NULL;
	r->o.nnames = 0;
}

bool cli_target_is_host(struct ctx *ctx, const struct reg_target *t)
{
	return target_backend(ctx->reg, t) && target_is_host(ctx, t);
}

/* --- the run --- */

static int set_up(struct ctx *ctx)
{
	unsigned f = ctx->cmd->flags;
	int rc;

	if ((f & CMD_THIS_MACHINE) && (ctx->distro || ctx->arch)) {
		out_error(&ctx->out,
			  "'extdeps %s' checks this machine; --%s does not apply (see 'extdeps plan')",
			  ctx->cmd->name, ctx->distro ? "distro" : "arch");
		return ED_EXIT_INPUT;
	}
	ctx->t_start = util_now_ms();
	/* the target first: its markers select the project's dependencies */
	if ((rc = load_registry(ctx)) || (rc = cli_decide_model(ctx, f & CMD_TARGET)) ||
	    ((f & CMD_PROJECT) && (rc = cli_load_projects(ctx))) ||
	    ((f & CMD_TARGET) && (rc = decide_target(ctx))) ||
	    ((f & CMD_SKIPS) && ctx->project && (rc = cli_apply_skips(ctx))))
		return rc;
	ctx->t_map = util_now_ms();
	if (ctx->cmd->prepare && (rc = ctx->cmd->prepare(ctx)))
		return rc;
	if ((f & CMD_REPOS) &&
	    (rc = cli_repos_open(ctx, &ctx->target, ctx->project && mapset_has_path(&ctx->maps),
				 &ctx->repos)))
		return rc;
	ctx->t_repos = util_now_ms();
	return 0;
}

/* Whether FORMAT is one of the command's. */
static bool command_format(const struct ctx *ctx, const char *format)
{
	for (const char *const *fm = ctx->cmd->formats; format && fm && *fm; fm++)
		if (!strcmp(*fm, format))
			return true;
	return false;
}

/* The errors that stopped the command (exit 2 or 3), in the format asked
 * for as well as on standard error: what reads JSON, GitHub annotations or
 * JUnit XML never sees standard error. Not after the command began its own
 * output, which is then the document. */
static void report_errors(struct ctx *ctx, int rc)
{
	const char *fm = ctx->format;

	if ((rc != ED_EXIT_INPUT && rc != ED_EXIT_ENV) || !ed_diags_count(&ctx->errors) ||
	    !command_format(ctx, fm) || out_wrote(&ctx->out))
		return;
	if (!strcmp(fm, "json"))
		report_json_errors(&ctx->out, ctx->cmd->name, rc, &ctx->errors);
	else if (!strcmp(fm, "github"))
		check_report_errors_github(&ctx->out, &ctx->errors);
	else if (!strcmp(fm, "junit"))
		check_report_errors_junit(&ctx->out, &ctx->errors);
}

int cli_run(struct ctx *ctx, const struct cmd *cmd, int argc, char **argv)
{
	int rc;

	ctx->cmd = cmd;
	if ((rc = parse_args(ctx, argc, argv)) || (rc = set_up(ctx)))
		rc = rc == OPTS_HELP ? ED_EXIT_OK : rc;
	else
		rc = cmd->run(ctx);
	report_errors(ctx, rc);
	return rc;
}
