/* platform.c - `extdeps platform`: what extdeps detected about this machine
 * and will use as the default target. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "extdeps/host/check.h"
#include "extdeps/host/cuda.h"
#include "extdeps/host/cuda_find.h"
#include "extdeps/host/host.h"
#include "extdeps/map/registry.h"
#include "extdeps/map/target.h"
#include "extdeps/render/platform_report.h"
#include "cli.h"
#include "cmd.h"

static int run(struct ctx *ctx)
{
	struct check_host *host = NULL;
	struct platform_facts *fx = NULL;
	struct ed_diag d;
	const char *root = getenv("EXTDEPS_ROOT");
	int rc;

	ed_diag_clear(&d);
	if (!(fx = calloc(1, sizeof *fx))) {
		out_error(&ctx->out, "out of memory");
		return ED_EXIT_ENV;
	}
	if ((rc = check_host_new(ctx->reg, root, NULL, &host, &d))) {
		out_diag(&ctx->out, &d);
		goto out;
	}
	host_detect(&fx->host, root, ctx->host_env.values[MARKER_SYS_PLATFORM],
		    ctx->host_env.values[MARKER_PLATFORM_MACHINE], NULL);
	fx->dbs = check_host_dbs(host, &fx->ndbs);
	/* the target as every command decides it (cli_decide_model) */
	if (ctx->distro && !ctx->model.has_target) {
		rc = cli_decide_model(ctx, true);
		goto out;
	}
	if (ctx->model.has_target) {
		const struct reg_target *t = &ctx->model.target;
		snprintf(fx->target, sizeof fx->target, "%s%s%s", t->eco->id, t->release ? ":" : "",
			 t->release ? t->release : "");
		fx->target_from = ctx->distro ? "--distro" : "os-release";
	} else {
		fx->target_why = ctx->model_why[0] ? ctx->model_why : NULL;
	}
	fx->model = &ctx->model;
	cuda_driver_detect(&fx->driver);
	cuda_nvml_detect(&fx->nvml);
	if (!cuda_find(&(struct cuda_find_opts){ .root = root }, &fx->installs)) {
		out_error(&ctx->out, "out of memory");
		rc = ED_EXIT_ENV;
		goto out;
	}
	fx->markers = &ctx->env;
	if (!strcmp(ctx->format, "json"))
		platform_report_json(&ctx->out, fx);
	else
		platform_report_text(&ctx->out, fx);
out:
	cuda_installs_fini(&fx->installs);
	free(fx);
	check_host_free(host);
	return rc;
}

static const char *const formats[] = { "text", "json", NULL };

const struct cmd cmd_platform = {
	.name = "platform",
	.run = run,
	.summary = "show what was detected about this machine and the default target",
	.max_operands = 0,
	.formats = formats,
	.opts = cli_platform_opt,
	.flags = CMD_REGISTRY,
};
