/* platform.c - `extdeps platform`: what extdeps detected about this machine
 * and will use as the default target. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "extdeps/host/check.h"
#include "extdeps/host/cuda.h"
#include "extdeps/host/host.h"
#include "extdeps/map/registry.h"
#include "extdeps/render/json.h"
#include "cli.h"
#include "cmd.h"

#define PLATFORM_SCHEMA_VERSION 1

struct facts {
	struct host_info host;
	struct cuda_driver driver;
	struct cuda_toolkit toolkit;
	const struct check_db_info *dbs;
	size_t ndbs;
	char target[192];      /* "debian:12", or "" */
	const char *target_from; /* "--distro" or "os-release" */
};

static void os_line(const struct host_info *h, char *buf, size_t size)
{
	if (!h->has_os && !h->macos_version[0]) {
		snprintf(buf, size, "unknown (no /etc/os-release)");
		return;
	}
	if (h->macos_version[0] && !h->has_os) {
		snprintf(buf, size, "macOS %s", h->macos_version);
		return;
	}
	snprintf(buf, size, "%s%s%s%s%s%s", h->os.id[0] ? h->os.id : "unknown",
		 h->os.version_id[0] ? " " : "", h->os.version_id, h->os.codename[0] ? " (" : "",
		 h->os.codename, h->os.codename[0] ? ")" : "");
}

static void print_text(struct ctx *ctx, const struct facts *fx)
{
	FILE *f = ctx->out.out;
	const struct host_info *h = &fx->host;
	char os[512];

	os_line(h, os, sizeof os);
	fprintf(f, "os:                %s\n", os);
	if (h->os.pretty_name[0])
		fprintf(f, "                   %s\n", h->os.pretty_name);
	if (h->os.id_like[0])
		fprintf(f, "like:              %s\n", h->os.id_like);
	if (fx->target[0])
		fprintf(f, "target:            %s (from %s)\n", fx->target, fx->target_from);
	else
		fprintf(f, "target:            none (not a known target; use --distro)\n");
	fprintf(f, "architecture:      %s", h->machine[0] ? h->machine : "unknown");
	if (h->arch_dpkg[0])
		fprintf(f, " (dpkg: %s, rpm: %s, conda: %s)", h->arch_dpkg, h->arch_rpm, h->arch_conda);
	fputc('\n', f);
	fprintf(f, "libc:              %s%s%s\n", h->libc[0] ? h->libc : "unknown",
		h->libc_version[0] ? " " : "", h->libc_version);
	fputs("package managers: ", f);
	if (!h->npms)
		fputs(" none found on PATH", f);
	for (size_t i = 0; i < h->npms; i++)
		fprintf(f, "%s %s (%s)", i ? "," : "", h->pms[i].name, h->pms[i].path);
	fputc('\n', f);
	fputs("package databases:", f);
	if (!fx->ndbs)
		fputs(" none", f);
	for (size_t i = 0; i < fx->ndbs; i++)
		fprintf(f, "%s %s %s (%zu entries)", i ? "," : "", fx->dbs[i].kind, fx->dbs[i].path,
			fx->dbs[i].count);
	fputc('\n', f);
	fprintf(f, "conda prefix:      %s\n", h->conda_prefix[0] ? h->conda_prefix : "none");
	if (fx->driver.present)
		fprintf(f, "cuda driver:       %s (%s)\n", fx->driver.version_str,
			fx->driver.overridden ? "$EXTDEPS_CUDA_DRIVER_VERSION" : fx->driver.library);
	else
		fprintf(f, "cuda driver:       none: %s\n", fx->driver.why);
	if (fx->driver.present && fx->driver.why[0])
		fprintf(f, "                   %s\n", fx->driver.why);
	fprintf(f, "gpus:%s\n", fx->driver.ngpus ? "" : "              none");
	for (int i = 0; i < fx->driver.ngpus && i < CUDA_MAX_GPUS; i++)
		fprintf(f, "  %d: %s (compute capability %d.%d)\n", i, fx->driver.gpus[i].name,
			fx->driver.gpus[i].cc_major, fx->driver.gpus[i].cc_minor);
	if (fx->toolkit.present)
		fprintf(f, "cuda toolkit:      %s (%s%s%s)\n",
			fx->toolkit.version[0] ? fx->toolkit.version : "unknown version", fx->toolkit.nvcc,
			fx->toolkit.source[0] ? ", version from " : "", fx->toolkit.source);
	else
		fprintf(f, "cuda toolkit:      none: %s\n", fx->toolkit.why);
	fputs("markers:\n", f);
	for (int v = 0; v < MARKER_VAR_COUNT; v++)
		fprintf(f, "  %s == \"%s\"\n", marker_var_name((enum marker_var)v),
			ctx->env.values[v] ? ctx->env.values[v] : "");
}

static void json_str_or_null(struct json *j, const char *key, const char *s)
{
	json_key(j, key);
	json_string(j, s && *s ? s : NULL);
}

static void print_json(struct ctx *ctx, const struct facts *fx)
{
	const struct host_info *h = &fx->host;
	struct json j;

	json_init(&j, ctx->out.out);
	json_object_begin(&j);
	json_key(&j, "schema_version");
	json_int(&j, PLATFORM_SCHEMA_VERSION);
	json_key(&j, "os");
	json_object_begin(&j);
	json_str_or_null(&j, "id", h->os.id);
	json_str_or_null(&j, "id_like", h->os.id_like);
	json_str_or_null(&j, "version_id", h->os.version_id);
	json_str_or_null(&j, "codename", h->os.codename);
	json_str_or_null(&j, "pretty_name", h->os.pretty_name);
	json_str_or_null(&j, "macos_version", h->macos_version);
	json_object_end(&j);
	json_key(&j, "target");
	if (fx->target[0]) {
		json_object_begin(&j);
		json_str_or_null(&j, "name", fx->target);
		json_str_or_null(&j, "from", fx->target_from);
		json_object_end(&j);
	} else {
		json_null(&j);
	}
	json_key(&j, "architecture");
	json_object_begin(&j);
	json_str_or_null(&j, "machine", h->machine);
	json_str_or_null(&j, "dpkg", h->arch_dpkg);
	json_str_or_null(&j, "rpm", h->arch_rpm);
	json_str_or_null(&j, "conda", h->arch_conda);
	json_object_end(&j);
	json_key(&j, "libc");
	json_object_begin(&j);
	json_str_or_null(&j, "name", h->libc);
	json_str_or_null(&j, "version", h->libc_version);
	json_object_end(&j);
	json_key(&j, "package_managers");
	json_array_begin(&j);
	for (size_t i = 0; i < h->npms; i++) {
		json_object_begin(&j);
		json_str_or_null(&j, "name", h->pms[i].name);
		json_str_or_null(&j, "path", h->pms[i].path);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_key(&j, "package_databases");
	json_array_begin(&j);
	for (size_t i = 0; i < fx->ndbs; i++) {
		json_object_begin(&j);
		json_str_or_null(&j, "kind", fx->dbs[i].kind);
		json_str_or_null(&j, "path", fx->dbs[i].path);
		json_str_or_null(&j, "ecosystem", fx->dbs[i].ecosystem);
		json_key(&j, "entries");
		json_int(&j, (int64_t)fx->dbs[i].count);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_str_or_null(&j, "conda_prefix", h->conda_prefix);
	json_key(&j, "cuda");
	json_object_begin(&j);
	json_key(&j, "driver");
	json_object_begin(&j);
	json_key(&j, "present");
	json_bool(&j, fx->driver.present);
	json_str_or_null(&j, "version", fx->driver.version_str);
	json_key(&j, "version_int");
	if (fx->driver.present)
		json_int(&j, fx->driver.version);
	else
		json_null(&j);
	json_key(&j, "overridden");
	json_bool(&j, fx->driver.overridden);
	json_str_or_null(&j, "library", fx->driver.library);
	json_str_or_null(&j, "note", fx->driver.why);
	json_key(&j, "gpus");
	json_array_begin(&j);
	for (int i = 0; i < fx->driver.ngpus && i < CUDA_MAX_GPUS; i++) {
		char cc[32];
		snprintf(cc, sizeof cc, "%d.%d", fx->driver.gpus[i].cc_major, fx->driver.gpus[i].cc_minor);
		json_object_begin(&j);
		json_key(&j, "index");
		json_int(&j, i);
		json_str_or_null(&j, "name", fx->driver.gpus[i].name);
		json_str_or_null(&j, "compute_capability", cc);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_object_end(&j);
	json_key(&j, "toolkit");
	json_object_begin(&j);
	json_key(&j, "present");
	json_bool(&j, fx->toolkit.present);
	json_str_or_null(&j, "version", fx->toolkit.version);
	json_str_or_null(&j, "nvcc", fx->toolkit.nvcc);
	json_str_or_null(&j, "version_source", fx->toolkit.source);
	json_str_or_null(&j, "note", fx->toolkit.why);
	json_object_end(&j);
	json_object_end(&j);
	json_key(&j, "markers");
	json_object_begin(&j);
	for (int v = 0; v < MARKER_VAR_COUNT; v++) {
		json_key(&j, marker_var_name((enum marker_var)v));
		json_string(&j, ctx->env.values[v] ? ctx->env.values[v] : "");
	}
	json_object_end(&j);
	json_object_end(&j);
	json_end(&j);
}

static int run(struct ctx *ctx)
{
	struct check_host *host = NULL;
	struct facts *fx = NULL;
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
	host_detect(&fx->host, root, ctx->env.values[MARKER_SYS_PLATFORM],
		    ctx->env.values[MARKER_PLATFORM_MACHINE], NULL);
	fx->dbs = check_host_dbs(host, &fx->ndbs);
	if (ctx->distro) {
		struct reg_target t;
		if ((rc = cli_target(ctx, ctx->distro, &t)))
			goto out;
		snprintf(fx->target, sizeof fx->target, "%s%s%s", t.eco->id, t.release ? ":" : "",
			 t.release ? t.release : "");
		fx->target_from = "--distro";
	} else if (check_host_target(host)) {
		const struct reg_target *t = check_host_target(host);
		snprintf(fx->target, sizeof fx->target, "%s%s%s", t->eco->id, t->release ? ":" : "",
			 t->release ? t->release : "");
		fx->target_from = "os-release";
	}
	cuda_driver_detect(&fx->driver);
	cuda_toolkit_detect(root, NULL, &fx->toolkit);
	if (!strcmp(ctx->format, "json"))
		print_json(ctx, fx);
	else
		print_text(ctx, fx);
out:
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
	.flags = CMD_REGISTRY,
};
