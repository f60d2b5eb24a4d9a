/* update.c - `extdeps update`: download or revalidate the target's
 * repository metadata into the cache. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extdeps/eco/eco.h"
#include "extdeps/map/registry.h"
#include "extdeps/map/target.h"
#include "extdeps/render/json.h"
#include "cli.h"
#include "cmd.h"

#define UPDATE_SCHEMA_VERSION 1

static void human(size_t v, char *out, size_t size)
{
	if (v >= 1024 * 1024)
		snprintf(out, size, "%.1f MiB", (double)v / (1024.0 * 1024.0));
	else if (v >= 1024)
		snprintf(out, size, "%.1f KiB", (double)v / 1024.0);
	else
		snprintf(out, size, "%zu bytes", v);
}

static void print_json(struct ctx *ctx, const char *target, const char *arch, bool host_managed,
		       const struct eco_update_stats *st)
{
	struct json j;

	json_init(&j, ctx->out.out);
	json_object_begin(&j);
	json_key(&j, "schema_version");
	json_int(&j, UPDATE_SCHEMA_VERSION);
	json_key(&j, "target");
	json_string(&j, target);
	json_key(&j, "arch");
	json_string(&j, arch);
	json_key(&j, "managed_by_host");
	json_bool(&j, host_managed);
	json_key(&j, "files");
	json_int(&j, (int64_t)st->files);
	json_key(&j, "downloaded");
	json_int(&j, (int64_t)st->downloaded);
	json_key(&j, "unchanged");
	json_int(&j, (int64_t)st->unchanged);
	json_key(&j, "bytes");
	json_int(&j, (int64_t)st->bytes);
	json_key(&j, "unverified");
	json_int(&j, (int64_t)st->unverified);
	json_object_end(&j);
	json_end(&j);
}

/* This machine's own lists are its package manager's: say which command
 * refreshes them. */
static void print_host_managed(struct ctx *ctx, const char *target)
{
	const struct eco_ops *eco = target_backend(ctx->reg, &ctx->target);
	FILE *f = ctx->out.out;

	fprintf(f, "%s is this machine: its package lists are managed by its package manager", target);
	if (eco && eco->refresh_argv) {
		fputs(" (", f);
		for (const char *const *a = eco->refresh_argv; *a; a++)
			fprintf(f, "%s%s", a == eco->refresh_argv ? "" : " ", *a);
		fputc(')', f);
	}
	fputs("; use --distro or --mirror to download\n", f);
}

static int run(struct ctx *ctx)
{
	struct eco_update_stats st = { 0 };
	struct eco_opts o;
	const struct reg_target *t = &ctx->target;
	struct ed_diag d;
	const struct eco_ops *eco;
	char target[192], size[32];
	bool json = !strcmp(ctx->format, "json");
	int rc;

	ed_diag_clear(&d);
	snprintf(target, sizeof target, "%s%s%s", t->eco->id, t->release ? ":" : "",
		 t->release ? t->release : "");
	/* This machine's own lists are its package manager's business. */
	if (!ctx->distro && !ctx->mirror) {
		if (json)
			print_json(ctx, target, ctx->arch, true, &st);
		else if (ctx->out.verbosity >= 0)
			print_host_managed(ctx, target);
		return ED_EXIT_OK;
	}
	if ((rc = cli_repos_opts(ctx, t, &eco, &o)))
		return rc;
	if (!eco->update) {
		if (json)
			print_json(ctx, target, ctx->arch, false, &st);
		else if (ctx->out.verbosity >= 0)
			fprintf(ctx->out.out, "%s: nothing to download\n", target);
		return ED_EXIT_OK;
	}
	/* update always fills the cache, whoever manages the host's lists */
	o.host = false;
	if ((rc = eco->update(&o, &st, &d))) {
		out_diag(&ctx->out, &d);
		return rc;
	}
	/* not when unsigned metadata was asked for */
	if (st.unverified && st.no_keyring)
		out_warn(&ctx->out,
			 "%zu signed index%s of %s not verified: no keyring "
			 "/usr/share/keyrings/%s-archive-keyring.gpg (install the distribution's "
			 "keyring package, or name one with EXTDEPS_KEYRING)",
			 st.unverified, st.unverified == 1 ? "" : "es", target, o.distro);
	if (json) {
		print_json(ctx, target, ctx->arch, false, &st);
	} else if (ctx->out.verbosity >= 0) {
		human(st.bytes, size, sizeof size);
		fprintf(ctx->out.out, "%s: %zu files, %zu downloaded, %zu unchanged, %s received\n",
			target, st.files, st.downloaded, st.unchanged, size);
	}
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
