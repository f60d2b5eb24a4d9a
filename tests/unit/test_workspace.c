/* The projects found under a directory, and several merged into one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "extdeps/map/select.h"
#include "extdeps/read/project.h"
#include "extdeps/read/workspace.h"
#include "extdeps/util/util.h"

static void test_find(void **state)
{
	static const char *const want[] = {
		"alpha/pyproject.toml",
		"beta/pyproject.toml",
		"delta-2.0/PKG-INFO",
		"wheels/gamma-1.0.dist-info/METADATA",
	};
	char **paths = NULL;
	size_t n = 0;
	struct ed_diag d;

	ed_diag_clear(&d);
	/* a trailing slash is not doubled; what was there stays first */
	assert_true(util_strv_push(&paths, &n, "given"));
	assert_int_equal(workspace_find(FIXTURES "/workspace/", &paths, &n, &d), 0);
	assert_int_equal(n, 5);
	assert_string_equal(paths[0], "given");
	for (size_t i = 0; i < 4; i++) {
		char path[512];
		snprintf(path, sizeof path, "%s/workspace/%s", FIXTURES, want[i]);
		assert_string_equal(paths[i + 1], path);
	}
	util_strv_free(paths, n);
}

static void test_find_errors(void **state)
{
	char tmp[] = "/tmp/extdeps-ws-XXXXXX";
	char **paths = NULL;
	size_t n = 0;
	struct ed_diag d;

	ed_diag_clear(&d);
	assert_int_equal(workspace_find(FIXTURES "/workspace/nothere", &paths, &n, &d),
			 ED_EXIT_INPUT);
	assert_non_null(strstr(d.msg, "No such file"));
	ed_diag_clear(&d);
	assert_int_equal(workspace_find(FIXTURES "/workspace/alpha/pyproject.toml", &paths, &n, &d),
			 ED_EXIT_INPUT);
	assert_non_null(strstr(d.msg, "not a directory"));
	/* a directory without a project is an error, not an empty workspace */
	assert_non_null(mkdtemp(tmp));
	ed_diag_clear(&d);
	assert_int_equal(workspace_find(tmp, &paths, &n, &d), ED_EXIT_INPUT);
	assert_non_null(strstr(d.msg, "no pyproject.toml"));
	assert_int_equal(n, 0);
	rmdir(tmp);
	free(paths);
}

static struct project *parse(const char *text, const char *file)
{
	struct ed_diag d;
	struct project *p;

	ed_diag_clear(&d);
	p = project_parse_toml(text, strlen(text), file, &d);
	assert_non_null(p);
	return p;
}

static void test_merge(void **state)
{
	struct project *ps[2] = {
		parse("[project]\nname = \"a\"\n[external]\nbuild-requires = [\"dep:generic/cmake\"]\n"
		      "[external.optional-dependencies]\ngpu = [\"dep:generic/cuda\"]\n",
		      "a/pyproject.toml"),
		parse("[project]\nname = \"b\"\n[external]\ndependencies = [\"dep:generic/zlib\"]\n",
		      "b/pyproject.toml"),
	};
	struct selection sel;
	struct marker_env env;
	struct ed_diag d;
	struct project *m;
	enum select_skip *v;

	/* an extra one project declares is fine for several, one none does is not */
	memset(&env, 0, sizeof env);
	selection_init(&sel, &env);
	sel.undeclared_ok = true;
	assert_int_equal(selection_add_extra(&sel, "gpu", &d), 0);
	assert_int_equal(selection_apply(&sel, ps[1], &v, &d), 0);
	assert_int_equal(v[0], SELECT_IN);
	free(v);
	assert_int_equal(selection_declared(&sel, ps, 2, &d), 0);
	assert_int_equal(selection_add_extra(&sel, "nope", &d), 0);
	assert_int_equal(selection_declared(&sel, ps, 2, &d), ED_EXIT_INPUT);
	assert_non_null(strstr(d.msg, "'nope' is not declared in any of the 2 projects"));
	selection_fini(&sel);

	ed_diag_clear(&d);
	m = project_merge(ps, 2, &d);
	assert_non_null(m);
	assert_string_equal(m->path, "2 projects");
	assert_null(m->name);
	assert_true(m->has_external);
	assert_int_equal(m->nmembers, 2);
	assert_int_equal(m->ndeps, 3);
	assert_string_equal(m->deps[0].url->id, "dep:generic/cmake");
	assert_string_equal(m->deps[0].file, "a/pyproject.toml");
	assert_string_equal(m->deps[1].file, "a/pyproject.toml");
	assert_string_equal(m->deps[2].url->id, "dep:generic/zlib");
	assert_string_equal(m->deps[2].file, "b/pyproject.toml");
	/* the members keep their deps; freeing the merged project frees them once */
	assert_int_equal(ps[0]->ndeps, 2);
	project_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_find_errors),
		cmocka_unit_test(test_merge),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
