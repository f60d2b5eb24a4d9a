/* update.c - `extdeps update`: download or revalidate the target's
 * repository metadata into the cache, and with a project read what its
 * plans read, so that they need nothing more offline. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extdeps/eco/eco.h"
#include "extdeps/map/registry.h"
#include "extdeps/map/target.h"
#include "extdeps/render/update_report.h"
#include "cli.h"
#include "cmd.h"

/* PROJECT (the operand), every extra of it selected: its
 * dependencies mapped and the target's repositories loaded for them, as a
 * plan loads them. That fetches what a load reaches by name (a sharded
 * conda channel's shards) and writes the caches, so that `plan --offline`
 * finds all it reads. */
static int prepare_project(struct ctx *ctx, struct eco_load_stats *st)
{
	struct ed_diag d;
	int rc;

	ctx->sel.all_extras = true;
	if ((rc = cli_load_projects(ctx)))
		return rc;
	ed_diag_clear(&d);
	if ((rc = mapset_build(&ctx->maps, ctx->reg, &ctx->target, ctx->project, ctx->verdict,
			       cli_python(ctx), &d))) {
		out_diag(&ctx->out, &d);
		return rc;
	}
	if ((rc = cli_repos_open(ctx, &ctx->target, mapset_has_path(&ctx->maps), &ctx->repos)))
		return rc;
	*st = ctx->repos.st;
	return 0;
}

static int run(struct ctx *ctx)
{
	struct eco_update_stats st = { 0 };
	struct eco_load_stats loaded = { 0 };
	struct eco_opts o;
	const struct reg_target *t = &ctx->target;
	struct ed_diag d;
	const struct eco_ops *eco;
	char target[192];
	bool json = !strcmp(ctx->format, "json");
	bool host = !ctx->distro && !ctx->mirror && !ctx->nenable_repos;
	int rc;

	ed_diag_clear(&d);
	snprintf(target, sizeof target, "%s%s%s", t->eco->id, t->release ? ":" : "",
		 t->release ? t->release : "");
	/* This machine's own lists are its package manager's business; the
	 * repositories --enable-repo adds to them are ours. Update always fills
	 * the cache of a target named, whoever manages the host's lists. */
	if (host) {
		eco = target_backend(ctx->reg, t);
	} else {
		if ((rc = cli_repos_opts(ctx, t, &eco, &o)))
			return rc;
		o.host = !ctx->distro && !ctx->mirror;
		if (eco->update && (rc = eco->update(&o, &st, &d))) {
			out_diag(&ctx->out, &d);
			return rc;
		}
	}
	if (ctx->noperands && (rc = prepare_project(ctx, &loaded)))
		return rc;
	/* not when unsigned metadata was asked for */
	if (st.unverified && st.no_keyring)
		out_warn(&ctx->out,
			 "%zu signed index%s of %s not verified: no keyring %s (install the "
			 "distribution's keyring package, or name one with EXTDEPS_KEYRING)",
			 st.unverified, st.unverified == 1 ? "" : "es", target, st.keyring);
	if (json) {
		update_report_json(&ctx->out, target, ctx->arch, host,
				   ctx->noperands ? &loaded : NULL, &st);
	} else if (ctx->out.verbosity >= 0) {
		if (host)
			update_report_host(&ctx->out, target, eco ? eco->refresh_argv : NULL);
		else if (!eco->update)
			fprintf(ctx->out.out, "%s: nothing to download\n", target);
		else
			update_report_text(&ctx->out, target, &st);
		if (ctx->noperands)
			update_report_project(&ctx->out, ctx->operands[0], &loaded);
	}
	return ED_EXIT_OK;
}

static const char *const formats[] = { "text", "json", NULL };

const struct cmd cmd_update = {
	.name = "update",
	.run = run,
	.summary = "download or refresh the target's repository metadata into the cache",
	.operands = "[PROJECT]",
	.max_operands = 1,
	.formats = formats,
	.flags = CMD_REGISTRY_TARGET | CMD_TARGET | CMD_NETWORK,
};
