/* Unit tests for the registry's reverse look-ups (registry_which) and the
 * suggestions for unknown names that search them (registry_suggest). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extdeps/map/registry.h"

static const char reg_yaml[] =
	"schema: 1\n"
	"dependencies:\n"
	"  dep:generic/libpq:\n"
	"    description: PostgreSQL client library\n"
	"    aliases: [postgresql]\n"
	"    probes:\n"
	"      pkgconfig: [libpq]\n"
	"      executables: [pg_config]\n"
	"  dep:generic/openblas:\n"
	"    description: OpenBLAS\n"
	"    provides: [dep:virtual/interface/blas]\n"
	"  dep:virtual/interface/blas:\n"
	"    description: the BLAS API\n"
	"  dep:generic/libomp:\n"
	"    description: LLVM's OpenMP runtime\n"
	"    probes:\n"
	"      files: [/usr/lib/llvm-*/lib/libomp.so]\n"
	"  dep:generic/proj:\n"
	"    description: PROJ\n"
	"  dep:generic/cuda:\n"
	"    description: CUDA\n"
	"aliases:\n"
	"  cuda12: dep:generic/cuda@>=12,<13\n";

static const char deb_yaml[] =
	"schema: 1\n"
	"ecosystem: deb\n"
	"name: Deb\n"
	"releases:\n"
	"  \"1\": one\n"
	"  \"2\": two\n"
	"package_manager:\n"
	"  name: apt-get\n"
	"  install: [apt-get, install]\n"
	"  needs_root: true\n"
	"mappings:\n"
	"  dep:generic/libpq:\n"
	"    specs:\n"
	"      host: [libpq-dev]\n"
	"      run: [libpq5]\n"
	"    releases:\n"
	"      \"2\":\n"
	"        specs:\n"
	"          host: [libpq-dev]\n"
	"          run: [libpq6]\n"
	"  dep:generic/proj:\n"
	"    specs: [/usr/include/proj.h]\n"
	"  dep:generic/openblas:\n"
	"    specs: [libopenblas-dev]\n";

/* ubu inherits deb and maps libpq itself, openblas not */
static const char ubu_yaml[] =
	"schema: 1\n"
	"ecosystem: ubu\n"
	"name: Ubu\n"
	"inherits: deb\n"
	"mappings:\n"
	"  dep:generic/libpq:\n"
	"    specs: [libpq-dev-ubu]\n";

static int setup(void **state)
{
	struct registry *reg = registry_new();
	struct ed_diag d = { 0 };

	if (registry_load_buffer(reg, "m/registry.yaml", reg_yaml, sizeof reg_yaml - 1, &d) ||
	    registry_load_buffer(reg, "m/deb.yaml", deb_yaml, sizeof deb_yaml - 1, &d) ||
	    registry_load_buffer(reg, "m/ubu.yaml", ubu_yaml, sizeof ubu_yaml - 1, &d) ||
	    registry_check(reg, &d)) {
		fprintf(stderr, "%s:%d:%d: %s\n", d.file, d.line, d.col, d.msg);
		registry_free(reg);
		return -1;
	}
	*state = reg;
	return 0;
}

static int teardown(void **state)
{
	registry_free(*state);
	return 0;
}

static void which(void **state, const char *name, struct reg_which *w)
{
	struct ed_diag d = { 0 };

	assert_int_equal(registry_which(*state, name, w, &d), 0);
}

/* A package of one ecosystem: where each release and stage names it,
 * and the ecosystems that inherit that mapping without their own. */
static void test_package(void **state)
{
	struct reg_which w;

	which(state, "libpq5", &w);
	assert_int_equal(w.count, 1);
	assert_string_equal(w.items[0].id, "dep:generic/libpq");
	assert_int_equal(w.items[0].kind, REG_WHICH_PACKAGE);
	assert_string_equal(w.items[0].ecosystem, "deb");
	assert_null(w.items[0].release);
	assert_null(w.items[0].from);
	assert_int_equal(w.items[0].stage, ED_STAGE_RUN);
	assert_string_equal(w.items[0].loc.file, "m/deb.yaml");
	assert_int_equal(w.items[0].loc.line, 12);
	reg_which_fini(&w);

	/* the release override and the base both name libpq-dev for host;
	 * ubu has its own mapping, so deb's is not ubu's */
	which(state, "LIBPQ-DEV", &w);
	assert_int_equal(w.count, 2);
	assert_null(w.items[0].release);
	assert_string_equal(w.items[1].release, "2");
	assert_string_equal(w.items[1].ecosystem, "deb");
	reg_which_fini(&w);

	/* ubu inherits deb's openblas: a plain list names it for every stage */
	which(state, "libopenblas-dev", &w);
	assert_int_equal(w.count, 6);
	assert_string_equal(w.items[0].ecosystem, "deb");
	assert_null(w.items[0].from);
	assert_int_equal(w.items[0].stage, ED_STAGE_BUILD);
	assert_int_equal(w.items[2].stage, ED_STAGE_RUN);
	assert_string_equal(w.items[3].ecosystem, "ubu");
	assert_string_equal(w.items[3].from, "deb");
	reg_which_fini(&w);
}

static void test_probes_and_names(void **state)
{
	struct reg_which w;

	which(state, "pg_config", &w);
	assert_int_equal(w.count, 1);
	assert_int_equal(w.items[0].kind, REG_WHICH_EXECUTABLE);
	assert_string_equal(w.items[0].id, "dep:generic/libpq");
	reg_which_fini(&w);

	/* an id's last component, and the pkg-config module of the same name */
	which(state, "libpq", &w);
	assert_int_equal(w.count, 2);
	assert_int_equal(w.items[0].kind, REG_WHICH_ID);
	assert_int_equal(w.items[1].kind, REG_WHICH_PKGCONFIG);
	reg_which_fini(&w);

	/* the virtual DepURL and what provides it */
	which(state, "blas", &w);
	assert_int_equal(w.count, 2);
	assert_string_equal(w.items[0].id, "dep:generic/openblas");
	assert_int_equal(w.items[0].kind, REG_WHICH_PROVIDES);
	assert_string_equal(w.items[0].name, "dep:virtual/interface/blas");
	assert_string_equal(w.items[1].id, "dep:virtual/interface/blas");
	reg_which_fini(&w);

	which(state, "cuda12", &w);
	assert_int_equal(w.count, 1);
	assert_int_equal(w.items[0].kind, REG_WHICH_ALIAS);
	assert_string_equal(w.items[0].id, "dep:generic/cuda");
	reg_which_fini(&w);

	which(state, "nothing-at-all", &w);
	assert_int_equal(w.count, 0);
	reg_which_fini(&w);
}

static void test_paths(void **state)
{
	struct reg_which w;

	/* a probe's pattern */
	which(state, "/usr/lib/llvm-15/lib/libomp.so", &w);
	assert_int_equal(w.count, 1);
	assert_int_equal(w.items[0].kind, REG_WHICH_FILE);
	assert_string_equal(w.stem, "");
	reg_which_fini(&w);

	/* a path a mapping names */
	which(state, "/usr/include/proj.h", &w);
	assert_int_equal(w.count, 6);
	assert_string_equal(w.items[0].id, "dep:generic/proj");
	assert_int_equal(w.items[0].kind, REG_WHICH_FILE);
	assert_string_equal(w.items[0].ecosystem, "deb");
	reg_which_fini(&w);

	/* an executable by its name under a bin directory */
	which(state, "/usr/bin/pg_config", &w);
	assert_int_equal(w.count, 1);
	assert_int_equal(w.items[0].kind, REG_WHICH_EXECUTABLE);
	reg_which_fini(&w);

	/* a header by its stem: libpq-fe -> libpq */
	which(state, "/usr/include/libpq-fe.h", &w);
	assert_string_equal(w.stem, "libpq");
	assert_int_equal(w.count, 2);
	assert_string_equal(w.items[0].id, "dep:generic/libpq");
	reg_which_fini(&w);

	which(state, "/opt/none/unknown-thing.h", &w);
	assert_int_equal(w.count, 0);
	assert_string_equal(w.stem, "");
	reg_which_fini(&w);
}

static void test_empty(void **state)
{
	struct reg_which w;
	struct ed_diag d = { 0 };

	assert_int_equal(registry_which(*state, "", &w, &d), ED_EXIT_INPUT);
	assert_int_equal(w.count, 0);
}

/* Suggestions search what a name is known by before edit distance. */
static void test_suggest(void **state)
{
	const struct registry *reg = *state;

	assert_string_equal(registry_suggest(reg, "dep:generic/pg_config"), "dep:generic/libpq");
	assert_string_equal(registry_suggest(reg, "libpq-dev"), "dep:generic/libpq");
	assert_string_equal(registry_suggest(reg, "dep:generic/blas"), "dep:virtual/interface/blas");
	/* typos: of an id, of a bare name */
	assert_string_equal(registry_suggest(reg, "dep:generic/opnblas"), "dep:generic/openblas");
	assert_string_equal(registry_suggest(reg, "libpqq"), "dep:generic/libpq");
	assert_null(registry_suggest(reg, "zzzzzzzzzzzz"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_package),
		cmocka_unit_test(test_probes_and_names),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_suggest),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
