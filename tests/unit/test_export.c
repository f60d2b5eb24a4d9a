/* Unit tests for export: the lists each format gets, and the conda
 * requirements written as YAML that libyaml reads back to the same lists. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "extdeps/map/select.h"
#include "extdeps/read/marker.h"
#include "extdeps/render/export.h"

static struct registry *reg;

/* One project exported in one format, with everything it borrows. */
struct run {
	struct project *p;
	enum select_skip *verdict;
	struct mapset ms;
	struct export_doc doc;
	char *text; /* export_doc_write() */
	size_t len;
};

static void run_export(struct run *r, const char *project, enum export_format fmt,
		       const char *distro, bool all_extras)
{
	struct marker_env env;
	struct selection sel;
	struct reg_target t;
	struct ed_diag d = { 0 };
	char envbuf[512];
	FILE *f;

	memset(r, 0, sizeof *r);
	marker_env_host(&env, envbuf, sizeof envbuf);
	env.values[MARKER_SYS_PLATFORM] = "linux";
	selection_init(&sel, &env);
	sel.all_extras = all_extras;
	r->p = project_load(project, &d);
	if (!r->p)
		fail_msg("%s: %s", project, d.msg);
	assert_int_equal(selection_apply(&sel, r->p, &r->verdict, &d), 0);
	selection_fini(&sel);
	if (registry_parse_target(reg, distro ? distro : export_format_ecosystem(fmt, reg, 0)->id, &t, &d))
		fail_msg("%s", d.msg);
	assert_int_equal(mapset_build(&r->ms, reg, &t, r->p, r->verdict, NULL, &d), 0);
	assert_int_equal(export_doc_build(&r->doc, fmt, &r->ms, &d), 0);
	f = open_memstream(&r->text, &r->len);
	assert_non_null(f);
	export_doc_write(&r->doc, f);
	assert_int_equal(fclose(f), 0);
}

static void run_fini(struct run *r)
{
	export_doc_fini(&r->doc);
	mapset_fini(&r->ms);
	free(r->verdict);
	project_free(r->p);
	free(r->text);
}

static const struct export_field *field(const struct run *r, const char *name)
{
	for (size_t i = 0; i < r->doc.nfields; i++)
		if (!strcmp(r->doc.fields[i].name, name))
			return &r->doc.fields[i];
	fail_msg("no field '%s'", name);
	return NULL;
}

static bool has(const struct export_field *f, const char *item)
{
	for (size_t i = 0; i < f->nitems; i++)
		if (!strcmp(f->items[i], item))
			return true;
	return false;
}

static int setup(void **state)
{
	struct ed_diag d = { 0 };

	(void)state;
	reg = registry_new();
	if (!reg || registry_load_embedded(reg, &d) || registry_check(reg, &d)) {
		fprintf(stderr, "registry: %s\n", d.msg);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	registry_free(reg);
	return 0;
}

/* --- conda YAML through libyaml --- */

/* conda-build renders meta.yaml's Jinja before reading YAML: do the same
 * for the two calls export writes, as a conda-forge linux-64 build would. */
static char *render_jinja(const char *text)
{
	static const char *const calls[][2] = {
		{ "{{ compiler('c') }}", "gcc_linux-64" },
		{ "{{ compiler('cxx') }}", "gxx_linux-64" },
		{ "{{ compiler('fortran') }}", "gfortran_linux-64" },
		{ "{{ compiler('cuda') }}", "cuda-nvcc_linux-64" },
		{ "{{ compiler('rust') }}", "rust_linux-64" },
		{ "{{ stdlib('c') }}", "sysroot_linux-64" },
	};
	size_t len = strlen(text), cap = len * 2 + 1, n = 0;
	char *out = malloc(cap);

	assert_non_null(out);
	for (const char *s = text; *s;) {
		bool done = false;
		for (size_t i = 0; i < sizeof calls / sizeof *calls && !done; i++) {
			size_t l = strlen(calls[i][0]);
			if (!strncmp(s, calls[i][0], l)) {
				n += (size_t)sprintf(out + n, "%s", calls[i][1]);
				s += l;
				done = true;
			}
		}
		if (!done)
			out[n++] = *s++;
	}
	out[n] = '\0';
	return out;
}

/* Parse TEXT with libyaml: 0, or -1 on a YAML error. On success *REQ is the
 * list of "stage\titem" strings of the requirements mapping. */
static int yaml_requirements(const char *text, char ***req, size_t *nreq)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_node_t *root, *reqs = NULL;
	int rc = -1;

	*req = NULL;
	*nreq = 0;
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, strlen(text));
	if (!yaml_parser_load(&parser, &doc)) {
		yaml_parser_delete(&parser);
		return -1;
	}
	root = yaml_document_get_root_node(&doc);
	if (!root || root->type != YAML_MAPPING_NODE)
		goto out;
	for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(&doc, p->key);
		if (k->type == YAML_SCALAR_NODE && !strcmp((char *)k->data.scalar.value, "requirements"))
			reqs = yaml_document_get_node(&doc, p->value);
	}
	if (!reqs || reqs->type != YAML_MAPPING_NODE)
		goto out;
	for (yaml_node_pair_t *p = reqs->data.mapping.pairs.start; p < reqs->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(&doc, p->key);
		yaml_node_t *v = yaml_document_get_node(&doc, p->value);
		if (k->type != YAML_SCALAR_NODE || v->type != YAML_SEQUENCE_NODE)
			goto out;
		for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
			yaml_node_t *item = yaml_document_get_node(&doc, *it);
			char buf[512];
			if (item->type != YAML_SCALAR_NODE)
				goto out;
			snprintf(buf, sizeof buf, "%s\t%s", k->data.scalar.value, item->data.scalar.value);
			*req = realloc(*req, (*nreq + 1) * sizeof **req);
			(*req)[(*nreq)++] = strdup(buf);
		}
	}
	rc = 0;
out:
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	return rc;
}

static void free_req(char **req, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(req[i]);
	free(req);
}

/* The checker can fail: a compiler call written without its '$' in a
 * recipe.yaml is a flow mapping, not a string; a bad indent is an error. */
static void test_yaml_check_can_fail(void **state)
{
	char **req;
	size_t n;

	(void)state;
	assert_int_equal(yaml_requirements("requirements:\n  build:\n    - {{ compiler('c') }}\n",
					   &req, &n), -1);
	free_req(req, n);
	assert_int_equal(yaml_requirements("requirements:\n  build:\n    - a\n   - b\n", &req, &n), -1);
	free_req(req, n);
}

static void check_conda(const char *project, enum export_format fmt)
{
	struct run r;
	char **req, *text;
	size_t n, want = 0;

	run_export(&r, project, fmt, NULL, true);
	text = fmt == EXPORT_CONDA_META ? render_jinja(r.text) : strdup(r.text);
	if (yaml_requirements(text, &req, &n))
		fail_msg("%s: libyaml cannot read:\n%s", project, text);
	/* every entry of every field, in order, as a string */
	for (size_t i = 0; i < r.doc.nfields; i++) {
		const struct export_field *f = &r.doc.fields[i];
		for (size_t k = 0; k < f->nitems; k++, want++) {
			char expect[512], *item = fmt == EXPORT_CONDA_META ? render_jinja(f->items[k])
									 : strdup(f->items[k]);
			snprintf(expect, sizeof expect, "%s\t%s", f->name, item);
			free(item);
			assert_true(want < n);
			assert_string_equal(req[want], expect);
		}
	}
	assert_int_equal(n, want);
	assert_true(n > 0);
	free_req(req, n);
	free(text);
	run_fini(&r);
}

static void test_conda_yaml(void **state)
{
	static const char *const projects[] = {
		SRCDIR "/examples/scipy-like", SRCDIR "/examples/gdal-proj",
		SRCDIR "/examples/cuda-gpu", SRCDIR "/examples/groups-markers",
		SRCDIR "/examples/wheel-metadata/METADATA",
	};

	(void)state;
	for (size_t i = 0; i < sizeof projects / sizeof *projects; i++) {
		check_conda(projects[i], EXPORT_CONDA_RECIPE);
		check_conda(projects[i], EXPORT_CONDA_META);
	}
}

static void test_conda_compilers(void **state)
{
	struct run r;

	(void)state;
	run_export(&r, SRCDIR "/examples/scipy-like", EXPORT_CONDA_RECIPE, NULL, false);
	assert_true(has(field(&r, "build"), "${{ compiler('fortran') }}"));
	assert_true(has(field(&r, "build"), "${{ stdlib('c') }}"));
	assert_true(has(field(&r, "build"), "ninja >=1.8.2"));
	assert_false(has(field(&r, "build"), "c-compiler"));
	assert_true(has(field(&r, "host"), "python"));
	run_fini(&r);
}

/* --- the lists --- */

static void test_debian(void **state)
{
	struct run r;

	(void)state;
	run_export(&r, SRCDIR "/examples/scipy-like", EXPORT_DEBIAN_CONTROL, "debian:12", false);
	assert_true(has(field(&r, "Build-Depends"), "libopenblas-dev | libblas-dev"));
	assert_true(has(field(&r, "Build-Depends"), "ninja-build (>= 1.8.2)"));
	assert_false(has(field(&r, "Build-Depends"), "gcc"));
	assert_int_equal(r.doc.nomitted, 2);
	assert_string_equal(r.doc.omitted_why, "build-essential");
	assert_non_null(strstr(r.text, "Depends: ${misc:Depends}"));
	assert_int_equal(r.doc.nproblems, 0);
	run_fini(&r);
}

/* A bare name next to a versioned entry of the same package is dropped. */
static void test_versioned_covers_bare(void **state)
{
	struct run r;

	(void)state;
	run_export(&r, SRCDIR "/examples/cuda-gpu", EXPORT_DEBIAN_CONTROL, "ubuntu:24.04", true);
	assert_true(has(field(&r, "Build-Depends"), "nvidia-cuda-toolkit (>= 12)"));
	assert_true(has(field(&r, "Build-Depends"), "nvidia-cuda-toolkit (<< 13)"));
	assert_false(has(field(&r, "Build-Depends"), "nvidia-cuda-toolkit"));
	run_fini(&r);
}

static void test_rpm_pkgconfig(void **state)
{
	struct run r;

	(void)state;
	run_export(&r, SRCDIR "/examples/gdal-proj", EXPORT_RPM_SPEC, "fedora:41", false);
	assert_true(has(field(&r, "BuildRequires"), "pkgconfig(gdal) >= 3.5"));
	assert_true(has(field(&r, "BuildRequires"), "gcc"));
	/* run time: the library package, not a pkg-config name */
	assert_true(has(field(&r, "Requires"), "gdal-libs >= 3.5"));
	assert_non_null(strstr(r.text, "BuildRequires:  pkgconfig(geos) >= 3.10\n"));
	run_fini(&r);
}

static void test_arch_homebrew_nix(void **state)
{
	struct run r;

	(void)state;
	run_export(&r, SRCDIR "/examples/gdal-proj", EXPORT_ARCH, NULL, false);
	/* a library linked against is a run-time dependency on Arch */
	assert_true(has(field(&r, "depends"), "gdal>=3.5"));
	assert_non_null(strstr(r.text, "depends=('gdal>=3.5' "));
	run_fini(&r);
	run_export(&r, SRCDIR "/examples/scipy-like", EXPORT_HOMEBREW, NULL, false);
	assert_non_null(strstr(r.text, "depends_on \"ninja\" => :build\n"));
	assert_non_null(strstr(r.text, "depends_on \"openblas\"\n"));
	run_fini(&r);
	run_export(&r, SRCDIR "/examples/scipy-like", EXPORT_NIX, NULL, false);
	assert_true(has(field(&r, "nativeBuildInputs"), "gfortran"));
	assert_false(has(field(&r, "nativeBuildInputs"), "gcc"));
	assert_non_null(strstr(r.text, "propagatedBuildInputs = [ ];\n"));
	run_fini(&r);
}

static void test_problems(void **state)
{
	struct run r;

	(void)state;
	run_export(&r, FIXTURES "/projects/typo", EXPORT_DEBIAN_CONTROL, NULL, false);
	assert_int_equal(r.doc.nproblems, 2);
	assert_non_null(strstr(r.text, "# dep:generic/opnblas [host]: unknown DepURL; did you mean"));
	assert_non_null(strstr(r.text, "# dep:generic/tensorrt [host]: not available in debian"));
	run_fini(&r);
}

static void test_formats(void **state)
{
	(void)state;
	assert_int_equal(export_format_parse("rpm-spec"), EXPORT_RPM_SPEC);
	assert_int_equal(export_format_parse("json"), -1);
	assert_string_equal(export_format_name(EXPORT_CONDA_META), "conda-meta");
	assert_true(export_format_fits(EXPORT_DEBIAN_CONTROL, reg, registry_find_ecosystem(reg, "ubuntu")));
	assert_false(export_format_fits(EXPORT_DEBIAN_CONTROL, reg, registry_find_ecosystem(reg, "fedora")));
	assert_true(export_format_fits(EXPORT_ARCH, reg, registry_find_ecosystem(reg, "arch")));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_yaml_check_can_fail),
		cmocka_unit_test(test_conda_yaml),
		cmocka_unit_test(test_conda_compilers),
		cmocka_unit_test(test_debian),
		cmocka_unit_test(test_versioned_covers_bare),
		cmocka_unit_test(test_rpm_pkgconfig),
		cmocka_unit_test(test_arch_homebrew_nix),
		cmocka_unit_test(test_problems),
		cmocka_unit_test(test_formats),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
