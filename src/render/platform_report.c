/* platform_report.c - what was detected about this machine, as text and
 * JSON. */
#include "extdeps/render/platform_report.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

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

/* The toolkit a build uses: the first installation with nvcc, in
 * cuda_find's order. */
static const struct cuda_install *toolkit(const struct platform_facts *fx)
{
	return cuda_installs_best(&fx->installs, CUDA_NVCC, NULL, NULL);
}

#define NO_TOOLKIT                                                                              \
	"no CUDA toolkit (no nvcc in $CUDACXX, $CUDA_HOME, $CUDA_PATH, /usr/local/cuda*, the HPC " \
	"SDK, a conda prefix, NVIDIA's wheels, /usr or on PATH)"

/* The file name of a version's source ("version.json", "nvcc --version"). */
static const char *source_name(const char *from)
{
	const char *slash = strrchr(from, '/');

	return slash ? slash + 1 : from;
}

static void text_driver(FILE *f, const struct platform_facts *fx)
{
	const struct cuda_driver *drv = &fx->driver;
	const struct cuda_nvml *nv = &fx->nvml;

	if (drv->present)
		fprintf(f, "cuda driver:       %s (%s)\n", drv->version_str,
			drv->overridden ? "$EXTDEPS_CUDA_DRIVER_VERSION" : drv->library);
	else
		fprintf(f, "cuda driver:       none: %s\n", drv->why);
	if (drv->present && drv->why[0])
		fprintf(f, "                   %s\n", drv->why);
	if (nv->release[0])
		fprintf(f, "driver release:    %s%s%s (NVML: %s)\n", nv->release,
			nv->cuda_version_str[0] ? ", for CUDA " : "", nv->cuda_version_str, nv->library);
	else
		fprintf(f, "driver release:    unknown: %s\n", nv->why[0] ? nv->why : "NVML did not say");
}

static void text_gpus(FILE *f, const struct platform_facts *fx)
{
	enum cuda_gpus_from from;
	int n;
	const struct cuda_gpu *g = cuda_gpus(&fx->driver, &fx->nvml, &n, &from);

	if (!g) {
		fputs("gpus:              none\n", f);
		return;
	}
	fprintf(f, "gpus:              %d (%s)\n", n, cuda_gpus_from_name(from));
	for (int i = 0; i < n; i++)
		fprintf(f, "  %d: %s (compute capability %d.%d)\n", i, g[i].name, g[i].cc_major,
			g[i].cc_minor);
}

static void text_toolkit(FILE *f, const struct platform_facts *fx)
{
	const struct cuda_install *tk = toolkit(fx);

	if (tk)
		fprintf(f, "cuda toolkit:      %s (%s%s%s)\n",
			tk->version[0] ? tk->version : "unknown version", tk->comp[CUDA_NVCC].path,
			tk->version_from[0] ? ", version from " : "", tk->version_from);
	else
		fprintf(f, "cuda toolkit:      none: %s\n", NO_TOOLKIT);
	if (fx->installs.note[0])
		fprintf(f, "                   %s\n", fx->installs.note);
}

/* One row of an installation's table: what, its version, where it was read. */
static void text_version_row(FILE *f, const char *what, const char *version, const char *from)
{
	fprintf(f, "    %-9s %-14s %s\n", what, version[0] ? version : "unknown",
		from[0] ? source_name(from) : "");
}

static void text_installs(FILE *f, const struct platform_facts *fx)
{
	fprintf(f, "cuda installations:%s\n", fx->installs.n ? "" : " none");
	for (size_t i = 0; i < fx->installs.n; i++) {
		const struct cuda_install *in = &fx->installs.v[i];

		fprintf(f, "  %s: %s\n", cuda_place_name(in->place), in->root);
		if (in->version[0])
			text_version_row(f, "cuda", in->version, in->version_from);
		for (int c = 0; c < CUDA_NCOMPONENTS; c++)
			if (in->comp[c].present)
				text_version_row(f, cuda_component_name((enum cuda_component)c),
						 in->comp[c].version, in->comp[c].version_from);
	}
}

static void text_conda_cuda(FILE *f, const struct platform_facts *fx)
{
	char v[64];
	const char *from = cuda_conda_virtual(&fx->driver, v, sizeof v);

	fprintf(f, "conda __cuda:      %s (%s)\n", v[0] ? v : "none",
		!from ? "no driver" : !strcmp(from, "driver") ? "the driver's" : "$CONDA_OVERRIDE_CUDA");
}

static void text_cuda(FILE *f, const struct platform_facts *fx)
{
	text_driver(f, fx);
	text_gpus(f, fx);
	text_toolkit(f, fx);
	text_installs(f, fx);
	text_conda_cuda(f, fx);
}

/* The facts of the target model, each with where it came from. */
static const struct {
	const char *key;
	size_t off;
} model_facts[] = {
	{ "family", offsetof(struct target_model, family) },
	{ "release", offsetof(struct target_model, release) },
	{ "architecture", offsetof(struct target_model, arch) },
	{ "libc", offsetof(struct target_model, libc) },
	{ "sys_platform", offsetof(struct target_model, sys_platform) },
	{ "python", offsetof(struct target_model, python) },
};

static const struct target_fact *model_fact(const struct target_model *m, size_t i)
{
	return (const struct target_fact *)((const char *)m + model_facts[i].off);
}

static const char *fact_label(const char *key)
{
	static char label[32];

	snprintf(label, sizeof label, "%s:", key);
	return label;
}

static void text_model(FILE *f, const struct target_model *m)
{
	for (size_t i = 0; m && i < sizeof model_facts / sizeof *model_facts; i++) {
		const struct target_fact *fact = model_fact(m, i);
		if (fact->value[0])
			fprintf(f, "  %-17s%s (%s)\n", fact_label(model_facts[i].key), fact->value, fact->from);
	}
	if (m && m->warning[0])
		fprintf(f, "  warning:         %s\n", m->warning);
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
		fprintf(f, "target:            none (%s)\n",
			fx->target_why ? fx->target_why : "not a known target; use --distro");
	text_model(f, fx->model);
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
	if (h->wheel_plat[0])
		fprintf(f, "wheel image:       %s (AUDITWHEEL_PLAT: the PyPA %s image)\n",
			h->wheel_plat, h->wheel_policy);
	text_cuda(f, fx);
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
	json_key(j, "target_facts");
	json_object_begin(j);
	for (size_t i = 0; fx->model && i < sizeof model_facts / sizeof *model_facts; i++) {
		const struct target_fact *fact = model_fact(fx->model, i);
		if (!fact->value[0])
			continue;
		json_key(j, model_facts[i].key);
		json_object_begin(j);
		json_kv_string(j, "value", fact->value);
		json_kv_string(j, "from", fact->from);
		json_object_end(j);
	}
	json_kv_nonempty(j, "warning", fx->model ? fx->model->warning : NULL);
	json_kv_nonempty(j, "no_target", fx->target_why);
	json_object_end(j);
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
	json_key(j, "wheel_image");
	if (h->wheel_plat[0]) {
		json_object_begin(j);
		json_kv_nonempty(j, "platform", h->wheel_plat);
		json_kv_nonempty(j, "policy", h->wheel_policy);
		json_object_end(j);
	} else {
		json_null(j);
	}
}

static void json_gpus(struct json *j, const struct platform_facts *fx)
{
	enum cuda_gpus_from from;
	int n;
	const struct cuda_gpu *g = cuda_gpus(&fx->driver, &fx->nvml, &n, &from);

	json_key(j, "gpus");
	json_array_begin(j);
	for (int i = 0; i < n; i++) {
		char cc[32];
		snprintf(cc, sizeof cc, "%d.%d", g[i].cc_major, g[i].cc_minor);
		json_object_begin(j);
		json_kv_int(j, "index", i);
		json_kv_nonempty(j, "name", g[i].name);
		json_kv_nonempty(j, "compute_capability", cc);
		json_object_end(j);
	}
	json_array_end(j);
	json_kv_string(j, "gpus_from", cuda_gpus_from_name(from));
}

static void json_driver(struct json *j, const struct platform_facts *fx)
{
	const struct cuda_driver *drv = &fx->driver;

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
	json_gpus(j, fx);
	json_kv_nonempty(j, "release", fx->nvml.release);
	json_object_end(j);
}

static void json_nvml(struct json *j, const struct cuda_nvml *nv)
{
	json_key(j, "nvml");
	json_object_begin(j);
	json_kv_bool(j, "loaded", nv->loaded);
	json_kv_nonempty(j, "library", nv->library);
	json_kv_nonempty(j, "note", nv->why);
	json_kv_nonempty(j, "release", nv->release);
	json_kv_nonempty(j, "cuda_version", nv->cuda_version_str);
	json_key(j, "gpu_count");
	if (nv->loaded)
		json_int(j, nv->ngpus);
	else
		json_null(j);
	json_object_end(j);
}

static void json_toolkit(struct json *j, const struct platform_facts *fx)
{
	const struct cuda_install *tk = toolkit(fx);

	json_key(j, "toolkit");
	json_object_begin(j);
	json_kv_bool(j, "present", tk != NULL);
	json_kv_nonempty(j, "version", tk ? tk->version : NULL);
	json_kv_nonempty(j, "nvcc", tk ? tk->comp[CUDA_NVCC].path : NULL);
	json_kv_nonempty(j, "version_source", tk ? tk->version_from : NULL);
	json_kv_nonempty(j, "note", fx->installs.note[0] ? fx->installs.note : tk ? NULL : NO_TOOLKIT);
	json_kv_nonempty(j, "place", tk ? cuda_place_id(tk->place) : NULL);
	json_kv_nonempty(j, "root", tk ? tk->root : NULL);
	json_object_end(j);
}

static void json_install(struct json *j, const struct cuda_install *in)
{
	json_object_begin(j);
	json_kv_string(j, "place", cuda_place_id(in->place));
	json_kv_string(j, "root", in->root);
	json_kv_nonempty(j, "version", in->version);
	json_kv_nonempty(j, "version_source", in->version_from);
	json_key(j, "components");
	json_array_begin(j);
	for (int c = 0; c < CUDA_NCOMPONENTS; c++) {
		const struct cuda_found *f = &in->comp[c];
		if (!f->present)
			continue;
		json_object_begin(j);
		json_kv_string(j, "name", cuda_component_name((enum cuda_component)c));
		json_kv_string(j, "depurl", cuda_component_depurl((enum cuda_component)c));
		json_kv_nonempty(j, "version", f->version);
		json_kv_nonempty(j, "version_source", f->version_from);
		json_kv_nonempty(j, "path", f->path);
		json_object_end(j);
	}
	json_array_end(j);
	json_object_end(j);
}

static void json_conda_cuda(struct json *j, const struct platform_facts *fx)
{
	char v[64];
	const char *from = cuda_conda_virtual(&fx->driver, v, sizeof v);

	json_key(j, "conda_cuda");
	json_object_begin(j);
	json_kv_nonempty(j, "version", v);
	json_kv_string(j, "from", from);
	json_object_end(j);
}

static void json_cuda(struct json *j, const struct platform_facts *fx)
{
	json_key(j, "cuda");
	json_object_begin(j);
	json_driver(j, fx);
	json_toolkit(j, fx);
	json_nvml(j, &fx->nvml);
	json_key(j, "installations");
	json_array_begin(j);
	for (size_t i = 0; i < fx->installs.n; i++)
		json_install(j, &fx->installs.v[i]);
	json_array_end(j);
	json_conda_cuda(j, fx);
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
