/* platform_report.c - what was detected about this machine, as text and
 * JSON. */
#include "extdeps/render/platform_report.h"

#include <stdint.h>
#include <stdio.h>

#include "extdeps/render/report.h"
#include "extdeps/util/json.h"

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

void platform_report_text(const struct out *o, const struct platform_facts *fx)
{
	FILE *f = o->out;
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
	fprintf(f, "architecture:      %s",
		h->arch[ARCH_MACHINE][0] ? h->arch[ARCH_MACHINE] : "unknown");
	for (int s = ARCH_DPKG; h->arch[ARCH_DPKG][0] && s < ARCH_NSCHEMES; s++)
		fprintf(f, "%s%s: %s", s == ARCH_DPKG ? " (" : ", ", arch_scheme_name((enum arch_scheme)s),
			h->arch[s]);
	fputs(h->arch[ARCH_DPKG][0] ? ")\n" : "\n", f);
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
			fx->markers->values[v] ? fx->markers->values[v] : "");
}

static void json_os(struct json *j, const struct platform_facts *fx)
{
	const struct host_info *h = &fx->host;

	json_key(j, "os");
	json_object_begin(j);
	json_kv_nonempty(j, "id", h->os.id);
	json_kv_nonempty(j, "id_like", h->os.id_like);
	json_kv_nonempty(j, "version_id", h->os.version_id);
	json_kv_nonempty(j, "codename", h->os.codename);
	json_kv_nonempty(j, "pretty_name", h->os.pretty_name);
	json_kv_nonempty(j, "macos_version", h->macos_version);
	json_object_end(j);
	json_key(j, "target");
	if (fx->target[0]) {
		json_object_begin(j);
		json_kv_nonempty(j, "name", fx->target);
		json_kv_nonempty(j, "from", fx->target_from);
		json_object_end(j);
	} else {
		json_null(j);
	}
	json_key(j, "architecture");
	json_object_begin(j);
	for (int s = 0; s < ARCH_NSCHEMES; s++)
		json_kv_nonempty(j, arch_scheme_name((enum arch_scheme)s), h->arch[s]);
	json_object_end(j);
	json_key(j, "libc");
	json_object_begin(j);
	json_kv_nonempty(j, "name", h->libc);
	json_kv_nonempty(j, "version", h->libc_version);
	json_object_end(j);
}

static void json_packages(struct json *j, const struct platform_facts *fx)
{
	const struct host_info *h = &fx->host;

	json_key(j, "package_managers");
	json_array_begin(j);
	for (size_t i = 0; i < h->npms; i++) {
		json_object_begin(j);
		json_kv_nonempty(j, "name", h->pms[i].name);
		json_kv_nonempty(j, "path", h->pms[i].path);
		json_object_end(j);
	}
	json_array_end(j);
	report_json_databases(j, "package_databases", fx->dbs, fx->ndbs);
	json_kv_nonempty(j, "conda_prefix", h->conda_prefix);
}

static void json_cuda(struct json *j, const struct platform_facts *fx)
{
	const struct cuda_driver *drv = &fx->driver;

	json_key(j, "cuda");
	json_object_begin(j);
	json_key(j, "driver");
	json_object_begin(j);
	json_kv_bool(j, "present", drv->present);
	json_kv_nonempty(j, "version", drv->version_str);
	json_key(j, "version_int");
	if (drv->present)
		json_int(j, drv->version);
	else
		json_null(j);
	json_kv_bool(j, "overridden", drv->overridden);
	json_kv_nonempty(j, "library", drv->library);
	json_kv_nonempty(j, "note", drv->why);
	json_key(j, "gpus");
	json_array_begin(j);
	for (int i = 0; i < drv->ngpus && i < CUDA_MAX_GPUS; i++) {
		char cc[32];
		snprintf(cc, sizeof cc, "%d.%d", drv->gpus[i].cc_major, drv->gpus[i].cc_minor);
		json_object_begin(j);
		json_kv_int(j, "index", i);
		json_kv_nonempty(j, "name", drv->gpus[i].name);
		json_kv_nonempty(j, "compute_capability", cc);
		json_object_end(j);
	}
	json_array_end(j);
	json_object_end(j);
	json_key(j, "toolkit");
	json_object_begin(j);
	json_kv_bool(j, "present", fx->toolkit.present);
	json_kv_nonempty(j, "version", fx->toolkit.version);
	json_kv_nonempty(j, "nvcc", fx->toolkit.nvcc);
	json_kv_nonempty(j, "version_source", fx->toolkit.source);
	json_kv_nonempty(j, "note", fx->toolkit.why);
	json_object_end(j);
	json_object_end(j);
}

void platform_report_json(const struct out *o, const struct platform_facts *fx)
{
	struct json j;

	json_init(&j, o->out);
	json_object_begin(&j);
	json_kv_int(&j, "schema_version", PLATFORM_SCHEMA_VERSION);
	json_os(&j, fx);
	json_packages(&j, fx);
	json_cuda(&j, fx);
	json_key(&j, "markers");
	json_object_begin(&j);
	for (int v = 0; v < MARKER_VAR_COUNT; v++)
		json_kv_string(&j, marker_var_name((enum marker_var)v),
			       fx->markers->values[v] ? fx->markers->values[v] : "");
	json_object_end(&j);
	json_object_end(&j);
	json_end(&j);
}
