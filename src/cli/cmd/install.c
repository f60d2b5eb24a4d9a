/* install.c - `extdeps install`: the plan of `extdeps plan`, carried out by
 * the package manager in one run, with an argv (never a shell string), and
 * root only where the user asked for it (--sudo) or already has it. */
#include <errno.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "extdeps/map/target.h"
#include "extdeps/render/report.h"
#include "extdeps/util/util.h"
#include "cli.h"
#include "cmd.h"
#include "planrun.h"

extern char **environ;

enum { OPT_DRY_RUN = 1, OPT_SIMULATE, OPT_YES, OPT_SUDO, OPT_AS_ROOT, OPT_WITH_RECOMMENDS,
       OPT_ALL };

static const struct opt opts[] = {
	{ OPT_DRY_RUN, "dry-run", 'n', OPT_FLAG, NULL, "print the plan's summary and the command; run nothing", NULL },
	{ OPT_SIMULATE, "simulate", 0, OPT_FLAG, NULL,
	  "run the package manager's own dry run (apt-get -s), as the current user", NULL },
	{ OPT_YES, "yes", 'y', OPT_FLAG, NULL,
	  "let the package manager go ahead without asking (always so when stdin is not a terminal)", NULL },
	{ OPT_SUDO, "sudo", 0, OPT_FLAG, NULL, "run the package manager through sudo when it needs root", NULL },
	{ OPT_AS_ROOT, "as-root", 0, OPT_FLAG, NULL, "assert that extdeps runs as root; fail otherwise", NULL },
	{ OPT_WITH_RECOMMENDS, "with-recommends", 0, OPT_FLAG, NULL,
	  "install recommended packages too (as the package manager would by default)", NULL },
	{ OPT_ALL, "all", 0, OPT_FLAG, NULL,
	  "name every package chosen, the installed too, and refresh the package manager's "
	  "metadata first where it has none (a fresh container)", NULL },
	OPT_TABLE_END,
};

struct install_args {
	bool dry_run, simulate, yes, sudo, as_root, with_recommends, all;
};

static int handle(void *args, int id, const char *value, struct ed_diag *d)
{
	struct install_args *a = args;

	switch (id) {
	case OPT_DRY_RUN:
		a->dry_run = true;
		return 0;
	case OPT_SIMULATE:
		a->simulate = true;
		return 0;
	case OPT_YES:
		a->yes = true;
		return 0;
	case OPT_SUDO:
		a->sudo = true;
		return 0;
	case OPT_AS_ROOT:
		a->as_root = true;
		return 0;
	case OPT_WITH_RECOMMENDS:
		a->with_recommends = true;
		return 0;
	case OPT_ALL:
		a->all = true;
		return 0;
	}
	return 0;
}

/* The effective user ID; $EXTDEPS_TEST_EUID replaces it so the tests cover
 * root and non-root runs wherever they run. It only changes what extdeps
 * decides (refuse, or add sudo): it grants nothing. */
static long effective_uid(void)
{
	const char *over = getenv("EXTDEPS_TEST_EUID");
	char *end;
	long v;

	if (over && *over) {
		errno = 0;
		v = strtol(over, &end, 10);
		if (!errno && !*end && v >= 0)
			return v;
	}
	return (long)geteuid();
}

/* The variables ENV ("DEBIAN_FRONTEND=noninteractive", NULL-terminated;
 * may be NULL) before ARGV, as a shell would take them. */
static void print_command(FILE *f, const char *const *env, char *const *argv)
{
	for (size_t i = 0; env && env[i]; i++)
		fprintf(f, "%s ", env[i]);
	for (size_t i = 0; argv[i]; i++) {
		fputs(i ? " " : "", f);
		report_sh_word(f, argv[i]);
	}
	fputc('\n', f);
}

static size_t count(const char *const *v)
{
	size_t n = 0;

	while (v && v[n])
		n++;
	return n;
}

/* Whether the environment entry E sets one of the variables of ENV. */
static bool overridden(const char *e, const char *const *env)
{
	for (size_t i = 0; env[i]; i++)
		if (!strncmp(e, env[i], strcspn(env[i], "=") + 1))
			return true;
	return false;
}

/* The variables ENV ("NAME=value", NULL-terminated) set in a copy of the
 * environment; NULL when out of memory. Free the array only: the strings
 * are borrowed. */
static char **environment_with(const char *const *env)
{
	size_t n = count((const char *const *)environ), k = 0;
	char **envp = malloc((n + count(env) + 1) * sizeof *envp);

	if (!envp)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (!overridden(environ[i], env))
			envp[k++] = environ[i];
	for (size_t i = 0; env[i]; i++)
		envp[k++] = (char *)env[i];
	envp[k] = NULL;
	return envp;
}

/* Run ARGV (its first word found on PATH) with ENVP, its output on ours,
 * and wait for it. Returns 0, or ED_EXIT_ENV after saying what failed. */
static int run_pm(const struct out *o, char *const *argv, char *const *envp, const char *pm)
{
	pid_t pid;
	int err, status;

	fflush(o->out);
	fflush(o->err);
	if ((err = posix_spawnp(&pid, argv[0], NULL, NULL, argv, envp))) {
		if (err == ENOENT && !strcmp(argv[0], "sudo"))
			out_error(o, "sudo is not installed (not found on PATH): run extdeps install "
				     "as root, or install sudo");
		else
			out_error(o, "cannot run '%s': %s", argv[0], strerror(err));
		return ED_EXIT_ENV;
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			out_error(o, "waiting for '%s': %s", argv[0], strerror(errno));
			return ED_EXIT_ENV;
		}
	if (WIFSIGNALED(status)) {
		out_error(o, "%s was killed by signal %d", pm, WTERMSIG(status));
		return ED_EXIT_ENV;
	}
	if (WEXITSTATUS(status)) {
		out_error(o, "%s exited with status %d", pm, WEXITSTATUS(status));
		return ED_EXIT_ENV;
	}
	return 0;
}

/* ARGV with sudo in front: "sudo env ENV... ARGV...", as sudo resets the
 * environment. Borrowed strings; free the array only. */
static char **with_sudo(char *const *argv, const char *const *env)
{
	size_t n = count((const char *const *)argv), k = 0;
	char **v = malloc((n + count(env) + 3) * sizeof *v);

	if (!v)
		return NULL;
	v[k++] = (char *)"sudo";
	if (count(env)) {
		v[k++] = (char *)"env";
		for (size_t i = 0; env[i]; i++)
			v[k++] = (char *)env[i];
	}
	for (size_t i = 0; i <= n; i++)
		v[k++] = argv[i];
	return v;
}

/* The repositories --enable-repo adds must be the package manager's own:
 * it installs from its sources, whatever the plan was solved against. */
static int enabled_on_host(struct ctx *ctx, const struct reg_target *t)
{
	const struct eco_ops *eco = target_backend(ctx->reg, t);
	int rc;

	if (!eco || !ctx->nenable_repos)
		return 0;
	if ((rc = cli_enable_repos(ctx, t, eco)))
		return rc;
	for (size_t i = 0; i < ctx->enabled.n; i++)
		if ((rc = cli_enabled_on_host(ctx, eco, &ctx->enabled.v[i])))
			return rc;
	return 0;
}

/* --all: where the package manager has no metadata to install from (a
 * fresh container), its refresh runs first, under the rules of the install
 * itself (root as asked, or through sudo with --sudo; --dry-run prints it). */
static int refresh_first(struct ctx *ctx)
{
	const struct install_args *a = ctx->args;
	const struct eco_ops *eco;
	struct eco_opts o;
	long uid = effective_uid();
	char **sudo_argv = NULL, **argv;
	bool use_sudo;
	int rc;

	if ((rc = cli_repos_opts(ctx, &ctx->target, &eco, &o)))
		return rc;
	if (!eco->metadata_missing || !eco->refresh_argv || !eco->metadata_missing(&o))
		return 0;
	argv = (char **)eco->refresh_argv;
	use_sudo = eco->install_needs_root(&o) && uid != 0;
	if (use_sudo && !a->sudo && !a->dry_run) {
		out_error(&ctx->out, "%s has no metadata to install from, and refreshing it needs "
				     "root: run extdeps install as root, or with --sudo",
			  argv[0]);
		return ED_EXIT_UNMET;
	}
	if (use_sudo && a->sudo && !(argv = sudo_argv = with_sudo(argv, NULL))) {
		out_error(&ctx->out, "out of memory");
		return ED_EXIT_ENV;
	}
	if (a->dry_run || ctx->out.verbosity >= 0) {
		fputs(a->dry_run ? "would run first: " : "running first: ", ctx->out.out);
		print_command(ctx->out.out, NULL, argv);
	}
	if (!a->dry_run)
		rc = run_pm(&ctx->out, argv, environ, argv[0]);
	free(sudo_argv);
	return rc;
}

/* Before anything is downloaded: what the arguments and the target rule out. */
static int prepare(struct ctx *ctx)
{
	const struct install_args *a = ctx->args;
	const struct reg_target *t = &ctx->target;
	int rc;

	if (a->sudo && a->as_root) {
		out_error(&ctx->out, "--sudo and --as-root exclude each other");
		return ED_EXIT_INPUT;
	}
	if (!cli_target_is_host(ctx, t)) {
		out_error(&ctx->out, "the target %s%s%s is not this machine: install acts only on "
				     "this machine's package manager; see 'extdeps plan'",
			  t->eco->id, t->release ? " " : "", t->release ? t->release : "");
		return ED_EXIT_INPUT;
	}
	if ((rc = enabled_on_host(ctx, t)))
		return rc;
	return a->all ? refresh_first(ctx) : 0;
}

/* Whether the command may run as UID: root as asked (--as-root), never root
 * for a package manager that refuses it, and root only through sudo when
 * asked (--sudo); *USE_SUDO says whether sudo goes in front. Prints why
 * not and returns ED_EXIT_UNMET. */
static int decide_root(struct ctx *ctx, const struct planrun *pr, long uid, bool *use_sudo)
{
	const struct install_args *a = ctx->args;
	const char *pm = pr->argv[0];

	*use_sudo = false;
	if (a->as_root && uid != 0) {
		out_error(&ctx->out, "--as-root was given, but extdeps runs as user ID %ld", uid);
		return ED_EXIT_UNMET;
	}
	if (ctx->repos.eco->refuses_root && uid == 0 && !a->dry_run) {
		out_error(&ctx->out, "%s refuses to run as root: run extdeps install as the "
				     "user who owns its installation", pm);
		return ED_EXIT_UNMET;
	}
	if (!pr->needs_root || a->simulate || uid == 0)
		return 0;
	if (!a->sudo && !a->dry_run) {
		out_error(&ctx->out, "installing with %s needs root, and extdeps does not "
				     "escalate by itself; the command:", pm);
		fputs("  ", ctx->out.err);
		print_command(ctx->out.err, ctx->repos.eco->install_env, pr->argv);
		fputs("run it as root, or run 'extdeps install --sudo' to have extdeps run "
		      "it through sudo\n",
		      ctx->out.err);
		return ED_EXIT_UNMET;
	}
	*use_sudo = a->sudo;
	return 0;
}

/* Print the command (--dry-run: and nothing else), then run it. */
static int carry_out(struct ctx *ctx, const struct planrun *pr, long uid, bool use_sudo)
{
	const struct install_args *a = ctx->args;
	const char *const *env = ctx->repos.eco->install_env;
	char **sudo_argv = NULL, **envp = NULL, **argv = pr->argv;
	FILE *f = ctx->out.out;
	int rc = 0;

	if (use_sudo && !(argv = sudo_argv = with_sudo(pr->argv, env)))
		goto oom;
	if (a->dry_run || ctx->out.verbosity >= 0) {
		fputs(a->dry_run ? "would run: " : "running: ", f);
		print_command(f, use_sudo ? NULL : env, argv);
	}
	if (a->dry_run) {
		if (pr->needs_root && !a->simulate && uid != 0 && !use_sudo)
			fputs("(as root: run extdeps install as root, or with --sudo)\n", f);
		goto out;
	}
	if (!use_sudo && count(env) && !(envp = environment_with(env)))
		goto oom;
	rc = run_pm(&ctx->out, argv, envp ? envp : environ, pr->argv[0]);
	goto out;
oom:
	out_error(&ctx->out, "out of memory");
	rc = ED_EXIT_ENV;
out:
	free(envp);
	free(sudo_argv);
	return rc;
}

static int run(struct ctx *ctx)
{
	const struct install_args *a = ctx->args;
	struct planrun pr = { 0 };
	struct plan_view v;
	long uid = effective_uid();
	bool use_sudo;
	int rc;

	if ((rc = planrun_solve(&pr, ctx, a->with_recommends ? PLAN_WITH_RECOMMENDS : 0)))
		goto out;
	planrun_view(&pr, ctx, &v);
	if (ctx->out.verbosity >= 0 || a->dry_run)
		plan_report_skipped(&v, ctx->out.out);
	if (!planrun_resolved(&pr, ctx)) {
		plan_report_unresolved(&v);
		rc = ED_EXIT_UNMET;
		goto out;
	}
	pr.all = a->all;
	if ((pr.all || (pr.result->nsteps && pr.result->nexplicit)) &&
	    (rc = planrun_argv(&pr, ctx, (a->with_recommends ? 0 : ECO_INSTALL_NO_RECOMMENDS) |
						 (a->simulate ? ECO_INSTALL_SIMULATE : 0) |
						 (a->yes || !isatty(STDIN_FILENO) ? ECO_INSTALL_YES : 0))))
		goto out;
	if (!pr.argv) {
		if (ctx->out.verbosity >= 0)
			fputs("nothing to install: every selected dependency is installed\n",
			      ctx->out.out);
		goto out;
	}
	if (ctx->out.verbosity >= 0 || a->dry_run)
		plan_report_summary(&v);
	if (!(rc = decide_root(ctx, &pr, uid, &use_sudo)))
		rc = carry_out(ctx, &pr, uid, use_sudo);
out:
	/* what --skip-unresolved left out is not installed: unmet */
	if (!rc && pr.result && planrun_skipped_unresolved(ctx))
		rc = ED_EXIT_UNMET;
	planrun_fini(&pr);
	return rc;
}

static const char *const formats[] = { "text", NULL };

const struct cmd cmd_install = {
	.name = "install",
	.run = run,
	.summary = "install the selected dependencies with the package manager, in one run",
	.operands = "[PROJECT...]",
	.max_operands = -1,
	.opts = opts,
	.opt = handle,
	.args_size = sizeof(struct install_args),
	.formats = formats,
	.prepare = prepare,
	.flags = CMD_PROJECT | CMD_REGISTRY_TARGET | CMD_TARGET | CMD_SKIPS | CMD_REPOS |
		 CMD_NETWORK,
};
