/* update.c - `extdeps update`: download or revalidate the target's
 * repository metadata into the cache. */
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

static int run(struct ctx *ctx)
{
	struct eco_update_stats st = { 0 };
	struct eco_opts o;
	const struct reg_target *t = &ctx->target;
	struct ed_diag d;
	const struct eco_ops *eco;
	char target[192];
	bool json = !strcmp(ctx->format, "json");
	int rc;

	ed_diag_clear(&d);
	snprintf(target, sizeof target, "%s%s%s", t->eco->id, t->release ? ":" : "",
		 t->release ? t->release : "");
	/* This machine's own lists are its package manager's business; the
	 * repositories --enable-repo adds to them are ours. */
	if (!ctx->distro && !ctx->mirror && !ctx->nenable_repos) {
		eco = target_backend(ctx->reg, t);
		if (json)
			update_report_json(&ctx->out, target, ctx->arch, true, &st);
		else if (ctx->out.verbosity >= 0)
			update_report_host(&ctx->out, target, eco ? eco->refresh_argv : NULL);
		return ED_EXIT_OK;
	}
	if ((rc = cli_repos_opts(ctx, t, &eco, &o)))
		return rc;
	if (!eco->update) {
		if (json)
			update_report_json(&ctx->out, target, ctx->arch, false, &st);
		else if (ctx->out.verbosity >= 0)
			fprintf(ctx->out.out, "%s: nothing to download\n", target);
		return ED_EXIT_OK;
	}
	/* update always fills the cache of a target named, whoever manages
	 * the host's lists; without one, only the repositories enabled */
	o.host = !ctx->distro && !ctx->mirror;
	if ((rc = eco->update(&o, &st, &d))) {
		out_diag(&ctx->out, &d);
		return rc;
	}
	/* not when unsigned metadata was asked for */
	if (st.unverified && st.no_keyring)
		out_warn(&ctx->out,
			 "%zu signed index%s of %s not verified: no keyring %s (install the "
			 "distribution's keyring package, or name one with EXTDEPS_KEYRING)",
			 st.unverified, st.unverified == 1 ? "" : "es", target, st.keyring);
	if (json)
		update_report_json(&ctx->out, target, ctx->arch, false, &st);
	else if (ctx->out.verbosity >= 0)
		update_report_text(&ctx->out, target, &st);
	return ED_EXIT_OK;
}

static const char *const formats[] = { "text", "json", NULL };

const struct cmd cmd_update = {
	.name = "update",
	.run = run,
	.summary = "download or refresh the target's repository metadata into the cache",
	.max_operands = 0,
	.formats = formats,
	.flags = CMD_REGISTRY_TARGET | CMD_TARGET | CMD_NETWORK,
};
