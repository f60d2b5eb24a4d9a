#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "extdeps/map/select.h"
#include "extdeps/read/project.h"
#include "extdeps/util/strbuf.h"

static struct project *parse(const char *text, struct ed_diag *d)
{
	ed_diag_clear(d);
	return project_parse_toml(text, strlen(text), "pyproject.toml", d);
}

static void expect_error(const char *text, int line, int col, const char *msg_part)
{
	struct ed_diag d;
	struct project *p = parse(text, &d);

	assert_null(p);
	assert_int_equal(d.status, ED_EXIT_INPUT);
	assert_string_equal(d.file, "pyproject.toml");
	if (!strstr(d.msg, msg_part))
		fail_msg("message '%s' lacks '%s'", d.msg, msg_part);
	if (d.line != line || d.col != col)
		fail_msg("%s: at %d:%d, expected %d:%d (%s)", text, d.line, d.col, line, col, d.msg);
}

static void test_stages_and_positions(void **state)
{
	struct ed_diag d;
	struct project *p = parse("[project]\nname = \"demo\"\n[external]\n"
				  "build-requires = [\"dep:virtual/compiler/c\", \"virtual:compiler/cpp\"]\n"
				  "host-requires = [\n  \"pkg:generic/openblas@>=0.3\",\n]\n"
				  "dependencies = [\"dep:generic/zlib ; sys_platform == 'linux'\"]\n",
				  &d);

	assert_non_null(p);
	assert_string_equal(p->name, "demo");
	assert_true(p->has_external);
	assert_int_equal(p->ndeps, 4);
	assert_string_equal(p->deps[0].url->id, "dep:virtual/compiler/c");
	assert_int_equal(p->deps[0].stage, ED_STAGE_BUILD);
	assert_int_equal(p->deps[0].line, 4);
	assert_int_equal(p->deps[0].col, 20);
	/* draft syntax and the cpp alias are normalised */
	assert_string_equal(p->deps[1].url->id, "dep:virtual/compiler/cxx");
	assert_string_equal(p->deps[2].url->id, "dep:generic/openblas");
	assert_string_equal(p->deps[2].url->version, ">=0.3");
	assert_int_equal(p->deps[2].stage, ED_STAGE_HOST);
	assert_int_equal(p->deps[2].line, 6);
	assert_int_equal(p->deps[2].col, 4);
	assert_int_equal(p->deps[3].stage, ED_STAGE_RUN);
	assert_string_equal(p->deps[3].text, "dep:generic/zlib ; sys_platform == 'linux'");
	assert_string_equal(p->deps[3].marker_text, "sys_platform == \"linux\"");
	project_free(p);
}

static void test_no_external_table(void **state)
{
	struct ed_diag d;
	struct project *p = parse("[project]\nname = \"x\"\n", &d);

	assert_non_null(p);
	assert_false(p->has_external);
	assert_int_equal(p->ndeps, 0);
	project_free(p);
}

static void test_extras_are_normalised(void **state)
{
	struct ed_diag d;
	struct project *p = parse("[external.optional-host-requires]\nGPU_Support = [\"dep:generic/cuda\"]\n"
				  "[external.optional-dependencies]\ngpu-support = [\"dep:generic/cudnn\"]\n",
				  &d);

	assert_non_null(p);
	assert_int_equal(p->nextras, 1);
	assert_string_equal(p->extras[0], "gpu-support");
	assert_string_equal(p->deps[0].extra, "gpu-support");
	assert_int_equal(p->deps[1].stage, ED_STAGE_RUN);
	assert_true(project_has_extra(p, "GPU.support"));
	project_free(p);
}

static void test_errors(void **state)
{
	expect_error("[external]\nhost-require = []\n", 2, 1, "did you mean 'host-requires'");
	expect_error("[external]\nfrobnicate = []\n", 2, 1, "PEP 725 defines");
	expect_error("[external]\nbuild-requires = \"dep:generic/x\"\n", 2, 18, "expected an array");
	expect_error("[external]\nbuild-requires = [1]\n", 2, 19, "expected a string");
	expect_error("[external]\nbuild-requires = [\"dep:generic/x; \"]\n", 2, 33,
		     "expected an environment marker");
	expect_error("[external]\nbuild-requires = [\"  ; os_name == 'nt'\"]\n", 2, 22,
		     "expected a DepURL");
	expect_error("external = 3\n", 1, 12, "expected a table");
	expect_error("[external.optional-dependencies]\n\"-bad\" = []\n", 2, 1, "invalid extra name");
	expect_error("[external]\nbuild-requires = [\"dep:generic/x\" \"y\"]\n", 2, 35, "expected ',' or ']'");
}

static void test_depurl_error_position(void **state)
{
	struct ed_diag d;
	struct project *p = parse("[external]\nhost-requires = [\"dep:virtual/compilers/c\"]\n", &d);

	assert_null(p);
	assert_int_equal(d.line, 2);
	/* the column points inside the string, at or after the DepURL start */
	assert_true(d.col >= 19);
	assert_non_null(strstr(d.msg, "invalid DepURL"));
}

static void test_groups(void **state)
{
	struct ed_diag d;
	struct project *p = parse("[external.dependency-groups]\n"
				  "Test = [\"dep:generic/valgrind\", {include-group = \"cov\"}]\n"
				  "cov = [\"dep:generic/lcov\"]\n"
				  "all = [{include-group = \"TEST\"}]\n",
				  &d);
	struct selection sel;
	enum select_skip *v;

	assert_non_null(p);
	assert_int_equal(p->ngroups, 3);
	assert_string_equal(p->groups[0].name, "test");
	assert_int_equal(p->groups[0].nincludes, 1);
	assert_string_equal(p->groups[0].includes[0], "cov");

	selection_init(&sel, NULL);
	assert_int_equal(selection_apply(&sel, p, &v, &d), 0);
	assert_int_equal(v[0], SELECT_GROUP);
	assert_int_equal(v[1], SELECT_GROUP);
	free(v);
	assert_int_equal(selection_add_group(&sel, "All", &d), 0);
	assert_int_equal(selection_apply(&sel, p, &v, &d), 0);
	assert_int_equal(v[0], SELECT_IN);
	assert_int_equal(v[1], SELECT_IN);
	free(v);
	selection_fini(&sel);
	project_free(p);
}

static void test_group_errors(void **state)
{
	expect_error("[external.dependency-groups]\na = [{include-group = \"b\"}]\n"
		     "b = [{include-group = \"A\"}]\n",
		     3, 23, "leads back to 'b'");
	expect_error("[external.dependency-groups]\na = [{include-group = \"a\"}]\n", 2, 23,
		     "cycles are not allowed");
	expect_error("[external.dependency-groups]\na = [{include-group = \"nope\"}]\n", 2, 23,
		     "unknown group 'nope'");
	expect_error("[external.dependency-groups]\nFoo = []\nfoo = []\n", 3, 1, "defined twice");
	expect_error("[external.dependency-groups]\na = [{include = \"b\"}]\n", 2, 6,
		     "exactly {include-group");
}

static void test_selection(void **state)
{
	struct ed_diag d;
	struct project *p = parse("[external]\nbuild-requires = [\"dep:virtual/compiler/c\"]\n"
				  "host-requires = [\"dep:generic/zlib; sys_platform == 'darwin'\"]\n"
				  "[external.optional-dependencies]\ngpu = [\"dep:generic/cuda\"]\n",
				  &d);
	struct marker_env env = { { 0 } };
	struct selection sel;
	enum select_skip *v;

	assert_non_null(p);
	env.values[MARKER_SYS_PLATFORM] = "linux";
	selection_init(&sel, &env);
	assert_int_equal(selection_apply(&sel, p, &v, &d), 0);
	assert_int_equal(v[0], SELECT_IN);
	assert_int_equal(v[1], SELECT_MARKER);
	assert_int_equal(v[2], SELECT_EXTRA);
	free(v);

	assert_int_equal(selection_set_stages(&sel, "host,run", &d), 0);
	sel.all_extras = true;
	assert_int_equal(selection_apply(&sel, p, &v, &d), 0);
	assert_int_equal(v[0], SELECT_STAGE);
	assert_int_equal(v[2], SELECT_IN);
	free(v);

	assert_int_equal(selection_set_stages(&sel, "build,,run", &d), ED_EXIT_INPUT);
	assert_int_equal(selection_set_stages(&sel, "compile", &d), ED_EXIT_INPUT);
	assert_non_null(strstr(d.msg, "unknown stage 'compile'"));

	assert_int_equal(selection_add_extra(&sel, "gpus", &d), 0);
	assert_int_equal(selection_apply(&sel, p, &v, &d), ED_EXIT_INPUT);
	assert_null(v);
	assert_non_null(strstr(d.msg, "did you mean 'gpu'"));
	selection_fini(&sel);
	project_free(p);
}

static void test_metadata(void **state)
{
	const char *text = "Metadata-Version: 2.6\nName: demo\n"
			   "Requires-External-Dep: dep:generic/zlib\n"
			   "Provides-External-Extra: Net_Work\n"
			   "Requires-External-Dep: dep:generic/curl; extra == 'net-work'\n"
			   "Requires-External-Dep: dep:generic/libomp; extra == \"net-work\" and sys_platform == 'darwin'\n"
			   "\nRequires-External-Dep: dep:generic/body-is-ignored\n";
	struct ed_diag d;
	struct project *p = project_parse_metadata(text, strlen(text), "METADATA", &d);

	assert_non_null(p);
	assert_string_equal(p->name, "demo");
	assert_int_equal(p->ndeps, 3);
	assert_int_equal(p->deps[0].stage, ED_STAGE_RUN);
	assert_null(p->deps[0].extra);
	assert_string_equal(p->deps[1].extra, "net-work");
	assert_null(p->deps[1].marker_text);
	assert_int_equal(p->deps[1].line, 5);
	assert_int_equal(p->deps[1].col, 24);
	assert_string_equal(p->deps[2].extra, "net-work");
	assert_string_equal(p->deps[2].marker_text, "sys_platform == \"darwin\"");
	project_free(p);

	text = "Metadata-Version: 2.6\nRequires-External-Dep: dep:generic/curl; extra == 'x'\n";
	assert_null(project_parse_metadata(text, strlen(text), "METADATA", &d));
	assert_int_equal(d.line, 2);
	assert_non_null(strstr(d.msg, "not declared"));

	text = "Metadata-Version: 2.6\nnot a header\n";
	assert_null(project_parse_metadata(text, strlen(text), "METADATA", &d));
	assert_int_equal(d.line, 2);
}

static void test_load_paths(void **state)
{
	struct ed_diag d;
	struct project *p = project_load(FIXTURES "/projects/no-external", &d);

	assert_non_null(p);
	assert_string_equal(p->path, FIXTURES "/projects/no-external/pyproject.toml");
	project_free(p);
	p = project_load(FIXTURES "/projects/bad/METADATA", &d);
	assert_null(p);
	assert_int_equal(d.status, ED_EXIT_INPUT);
	p = project_load(FIXTURES "/projects/missing", &d);
	assert_null(p);
	assert_non_null(strstr(d.msg, "cannot read"));
}

/* A large project: dependencies grow by half again rather than one at a
 * time (which may copy the whole array per entry), so 100,000 of them are
 * read in a fraction of a second. */
static void test_many_dependencies(void **state)
{
	enum { N = 100000 };
	struct strbuf b = STRBUF_INIT;
	struct ed_diag d;
	struct project *p;
	char *text;

	strbuf_addstr(&b, "[external]\ndependencies = [\n");
	for (int i = 0; i < N; i++)
		strbuf_addf(&b, "  \"dep:generic/p%d\",\n", i);
	strbuf_addstr(&b, "]\n");
	assert_non_null(text = strbuf_detach(&b));
	p = parse(text, &d);
	assert_non_null(p);
	assert_int_equal(p->ndeps, N);
	assert_true(p->deps_cap >= p->ndeps);
	assert_string_equal(p->deps[N - 1].url->id, "dep:generic/p99999");
	assert_int_equal(p->deps[N - 1].line, N + 2);
	assert_int_equal(p->deps[N - 1].col, 4);
	project_free(p);
	free(text);
}

/* project_load_all reports every bad entry of a file, the first in D. */
static void test_every_error(void **state)
{
	struct ed_diags all = { 0 };
	struct ed_diag d;
	static const int lines[] = { 8, 12, 14, 16, 17, 18 };

	(void)state;
	assert_null(project_load_all(FIXTURES "/projects/bad/many-errors.toml", &d, &all));
	assert_int_equal(all.n, 6);
	for (size_t i = 0; i < all.n; i++)
		assert_int_equal(all.v[i].line, lines[i]);
	assert_int_equal(d.line, 8);
	ed_diags_fini(&all);
	assert_null(project_load_all(FIXTURES "/projects/bad/too-many-errors.toml", &d, &all));
	assert_int_equal(all.n, ED_DIAGS_MAX);
	assert_int_equal(all.more, 5);
	ed_diags_fini(&all);
	/* a good project leaves the list empty */
	struct project *p = project_load_all(FIXTURES "/projects/no-external", &d, &all);
	assert_non_null(p);
	assert_int_equal(ed_diags_count(&all), 0);
	project_free(p);
	/* without a list, the first error only */
	assert_null(project_load_all(FIXTURES "/projects/bad/many-errors.toml", &d, NULL));
	assert_int_equal(d.line, 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stages_and_positions),
		cmocka_unit_test(test_no_external_table),
		cmocka_unit_test(test_extras_are_normalised),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_depurl_error_position),
		cmocka_unit_test(test_groups),
		cmocka_unit_test(test_group_errors),
		cmocka_unit_test(test_selection),
		cmocka_unit_test(test_metadata),
		cmocka_unit_test(test_load_paths),
		cmocka_unit_test(test_many_dependencies),
		cmocka_unit_test(test_every_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
