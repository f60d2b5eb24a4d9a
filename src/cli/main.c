/* main.c - parse the global options, then dispatch to the command. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "config.h"
#include "extdeps/net/repocache.h"
#include "extdeps/util/util.h"

static void print_usage(FILE *f)
{
	const struct opt *tables[] = { cli_global_opts, NULL };

	fputs("usage: extdeps [global options] COMMAND [options] [PROJECT]\n\n"
	      "Resolve the external (non-PyPI) dependencies a Python project declares\n"
	      "(PEP 725) against the package repositories of a target.\n\ncommands:\n", f);
	for (const struct cmd *const *c = cli_commands; *c; c++)
		fprintf(f, "  %-12s %s\n", (*c)->name, (*c)->summary);
	fputs("  help         show the help of a command\n\nglobal options:\n", f);
	opts_print_help(f, tables);
	fputs("  -h, --help                   show this help\n"
	      "      --version                print the version\n\n"
	      "Run 'extdeps COMMAND --help' for a command's options; see extdeps(1).\n", f);
}

/* 'NAME' is not a command, with the nearest command's name where one is
 * near. */
static void unknown_command(struct ctx *ctx, const char *name)
{
	const char *names[64];
	size_t n = 0;
	const char *near;

	for (const struct cmd *const *c = cli_commands; *c && n + 1 < 64; c++)
		names[n++] = (*c)->name;
	names[n++] = "help";
	if ((near = util_nearest(name, names, n)))
		out_error(&ctx->out, "'%s' is not an extdeps command; did you mean '%s'? "
				     "(see 'extdeps --help')", name, near);
	else
		out_error(&ctx->out, "'%s' is not an extdeps command; see 'extdeps --help'", name);
}

static const struct opt version_opt[] = {
	{ CLI_OPT_VERSION, "version", 0, OPT_FLAG, NULL, "print the version", NULL },
	OPT_TABLE_END,
};

static int handle_top(void *ud, int id, const char *value, struct ed_diag *d)
{
	struct ctx *ctx = ud;

	if (id == CLI_OPT_VERSION) {
		fprintf(ctx->out.out, "extdeps %s\n%s\n", EXTDEPS_VERSION, EXTDEPS_LIBSOLV);
		exit(out_close(&ctx->out) || fclose(stdout) ? ED_EXIT_ENV : ED_EXIT_OK);
	}
	return cli_handle_opt(ctx, id, value, d);
}

/* A write error on stdout (a full disk under `extdeps export > f`) must not
 * end as a silent success. */
static int finish(struct out *out, int rc)
{
	bool failed = out_close(out) != 0;

	if (fflush(stdout) || ferror(stdout) || fclose(stdout) || failed) {
		fprintf(stderr, "extdeps: error: cannot write output: %s\n", strerror(errno));
		return ED_EXIT_ENV;
	}
	return rc;
}

int main(int argc, char **argv)
{
	const struct opt *tables[] = { cli_global_opts, version_opt, NULL };
	struct ctx ctx;
	struct ed_diag d;
	char **pos = NULL;
	int npos = 0, rc;
	const struct cmd *cmd;

	cli_ctx_init(&ctx, stdout, stderr);
	/* paths and repository metadata never drive the terminal */
	out_escape(&ctx.out);
	ed_diag_clear(&d);
	rc = opts_parse(tables, argc - 1, argv + 1, true, handle_top, &ctx, &pos, &npos, &d);
	if (rc == OPTS_HELP) {
		print_usage(ctx.out.out);
		rc = ED_EXIT_OK;
		goto out;
	}
	if (rc) {
		out_diag(&ctx.out, &d);
		fputs("see 'extdeps --help'\n", ctx.out.err);
		goto out;
	}
	if (npos == 0) {
		print_usage(ctx.out.err);
		rc = ED_EXIT_INPUT;
		goto out;
	}
	if (!strcmp(pos[0], "help")) {
		if (npos < 2) {
			print_usage(ctx.out.out);
			rc = ED_EXIT_OK;
		} else if ((cmd = cli_find_command(pos[1]))) {
			cli_print_command_help(cmd, ctx.out.out);
			rc = ED_EXIT_OK;
		} else {
			unknown_command(&ctx, pos[1]);
			rc = ED_EXIT_INPUT;
		}
		goto out;
	}
	cmd = cli_find_command(pos[0]);
	if (!cmd) {
		unknown_command(&ctx, pos[0]);
		rc = ED_EXIT_INPUT;
		goto out;
	}
	rc = cli_run(&ctx, cmd, npos - 1, pos + 1);
out:
	free(pos);
	cli_ctx_fini(&ctx);
	rc = finish(&ctx.out, rc);
	/* the output is out; the caches being written are waited for, so that
	 * the next run finds them */
	repocache_wait_writers();
	return rc;
}
