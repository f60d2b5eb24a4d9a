/* Unit tests for marker.c: parsing, printing, evaluation, extras, host env. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extdeps/read/marker.h"

#define N(a) (sizeof(a) / sizeof *(a))

static struct marker *parse_ok(const char *text)
{
	struct ed_parse_err err = { 0 };
	struct marker *m = marker_parse(text, strlen(text), &err);

	if (!m)
		fail_msg("'%s' did not parse: %zu: %s", text, err.offset, err.msg);
	return m;
}

static void test_print(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "sys_platform == 'linux'", "sys_platform == \"linux\"" },
		{ "  sys_platform=='linux'  ", "sys_platform == \"linux\"" },
		{ "'linux' == sys_platform", "\"linux\" == sys_platform" },
		{ "os.name == 'posix'", "os_name == \"posix\"" },
		{ "sys.platform != 'win32'", "sys_platform != \"win32\"" },
		{ "platform.machine in 'x86_64 aarch64'", "platform_machine in \"x86_64 aarch64\"" },
		{ "python_implementation == 'CPython'",
		  "platform_python_implementation == \"CPython\"" },
		{ "platform.python_implementation == 'PyPy'",
		  "platform_python_implementation == \"PyPy\"" },
		{ "platform.version == 'x'", "platform_version == \"x\"" },
		{ "os_name not   in 'nt'", "os_name not in \"nt\"" },
		{ "python_version>='3.8'and python_version<'4'",
		  "python_version >= \"3.8\" and python_version < \"4\"" },
		{ "os_name === 'x'", "os_name === \"x\"" },
		{ "python_version ~= '3.8'", "python_version ~= \"3.8\"" },
		{ "python_version <= '3.8' or python_version > '3.9'",
		  "python_version <= \"3.8\" or python_version > \"3.9\"" },
		{ "(os_name == 'a' or os_name == 'b') and sys_platform == 'c'",
		  "(os_name == \"a\" or os_name == \"b\") and sys_platform == \"c\"" },
		{ "os_name == 'a' or (os_name == 'b' and sys_platform == 'c')",
		  "os_name == \"a\" or os_name == \"b\" and sys_platform == \"c\"" },
		{ "((os_name == 'a'))", "os_name == \"a\"" },
		{ "os_name == 'a' or (os_name == 'b' or os_name == 'c')",
		  "os_name == \"a\" or os_name == \"b\" or os_name == \"c\"" },
		{ "(os_name == 'a' and (os_name == 'b' and os_name == 'c'))",
		  "os_name == \"a\" and os_name == \"b\" and os_name == \"c\"" },
		{ "os_name == 'a' and (os_name == 'b' or (os_name == 'c' and os_name == 'd'))",
		  "os_name == \"a\" and (os_name == \"b\" or os_name == \"c\" and os_name == \"d\")" },
		{ "os_name == 'say \"hi\"'", "os_name == 'say \"hi\"'" },
		{ "extra == 'Foo_Bar'", "extra == \"foo-bar\"" },
		{ "'Foo..Bar' == extra", "\"foo-bar\" == extra" },
		{ "extra in 'Foo'", "extra in \"Foo\"" },
		{ "os_name==\"\"", "os_name == \"\"" },
		{ "implementation_name == 'cpython' and implementation_version >= '3'",
		  "implementation_name == \"cpython\" and implementation_version >= \"3\"" },
		{ "platform_release >= '6'\t", "platform_release >= \"6\"" },
		{ "platform_system == 'Linux'", "platform_system == \"Linux\"" },
		{ "python_full_version == '3.12.0'", "python_full_version == \"3.12.0\"" },
		{ "os_name == sys_platform", "os_name == sys_platform" },
	};

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		struct marker *m = parse_ok(cases[i].in);
		char *s = marker_str(m);
		assert_non_null(s);
		if (strcmp(s, cases[i].out))
			fail_msg("'%s' printed as '%s', expected '%s'", cases[i].in, s, cases[i].out);
		/* the printed form parses back to itself */
		struct marker *m2 = parse_ok(s);
		char *s2 = marker_str(m2);
		assert_string_equal(s, s2);
		free(s);
		free(s2);
		marker_free(m);
		marker_free(m2);
	}
	marker_free(NULL);
	assert_null(marker_str(NULL));
}

static void test_errors(void **state)
{
	static const struct {
		const char *in;
		size_t offset;
		const char *msg;
	} cases[] = {
		{ "", 0, "expected an environment marker" },
		{ "   ", 3, "expected an environment marker" },
		{ "os_name", 7, "expected a comparison operator (<, <=, !=, ==, >=, >, ~=, ===, in, "
				"not in)" },
		{ "os_name = 'a'", 8, "expected a comparison operator (<, <=, !=, ==, >=, >, ~=, "
				      "===, in, not in)" },
		{ "os_name == ", 11, "expected a marker variable or a quoted string" },
		{ "os_name == 'a", 11, "unterminated string" },
		{ "os_name == \"a'", 11, "unterminated string" },
		{ "os_nam == 'a'", 0, "unknown marker variable 'os_nam'" },
		{ "os_name == 'a' and python == '3'", 19, "unknown marker variable 'python'" },
		{ "os_name == posix", 11, "unknown marker variable 'posix'" },
		{ "os_name == 'a' and", 18, "expected a marker variable or a quoted string" },
		{ "os_name == 'a' or or os_name == 'b'", 18, "unknown marker variable 'or'" },
		{ "os_name == 'a' xor os_name == 'b'", 15,
		  "expected 'and', 'or' or the end of the marker" },
		{ "os_name == 'a' andos_name == 'b'", 15,
		  "expected 'and', 'or' or the end of the marker" },
		{ "(os_name == 'a'", 15, "expected ')' to close '(' at offset 0" },
		{ "os_name == 'a')", 14, "unmatched ')'" },
		{ "()", 1, "expected a marker variable or a quoted string" },
		{ "os_name not 'a'", 8, "expected 'in' after 'not'" },
		{ "os_name notin 'a'", 8, "expected a comparison operator (<, <=, !=, ==, >=, >, ~=, "
				      "===, in, not in)" },
		{ "os_name <> 'a'", 9, "expected a marker variable or a quoted string" },
		{ "@", 0, "expected a marker variable or a quoted string" },
	};

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		struct ed_parse_err err = { 0 };
		struct marker *m = marker_parse(cases[i].in, strlen(cases[i].in), &err);
		if (m)
			fail_msg("'%s' parsed", cases[i].in);
		if (strcmp(err.msg, cases[i].msg) || err.offset != cases[i].offset)
			fail_msg("'%s': got %zu '%s', expected %zu '%s'", cases[i].in, err.offset,
				 err.msg, cases[i].offset, cases[i].msg);
	}
}

static void test_depth(void **state)
{
	char buf[4096];
	size_t n = 0;
	struct ed_parse_err err = { 0 };
	struct marker *m;

	(void)state;
	/* MARKER_MAX_DEPTH levels are fine */
	for (int i = 0; i < MARKER_MAX_DEPTH; i++)
		buf[n++] = '(';
	n += (size_t)sprintf(buf + n, "os_name == 'a'");
	for (int i = 0; i < MARKER_MAX_DEPTH; i++)
		buf[n++] = ')';
	m = marker_parse(buf, n, &err);
	assert_non_null(m);
	marker_free(m);

	/* one more is refused */
	n = 0;
	for (int i = 0; i <= MARKER_MAX_DEPTH; i++)
		buf[n++] = '(';
	n += (size_t)sprintf(buf + n, "os_name == 'a'");
	for (int i = 0; i <= MARKER_MAX_DEPTH; i++)
		buf[n++] = ')';
	m = marker_parse(buf, n, &err);
	assert_null(m);
	assert_int_equal(err.offset, MARKER_MAX_DEPTH);
	assert_string_equal(err.msg, "markers nested deeper than 64 levels");

	/* a long flat chain needs no recursion */
	n = (size_t)sprintf(buf, "os_name == 'a'");
	while (n + 40 < sizeof buf)
		n += (size_t)sprintf(buf + n, " or os_name == 'b' and os_name == 'c'");
	m = marker_parse(buf, n, &err);
	assert_non_null(m);
	marker_free(m);
}

static void test_eval(void **state)
{
	struct marker_env env = { { 0 } };
	static const struct {
		const char *marker;
		bool result;
	} cases[] = {
		{ "sys_platform == 'linux'", true },
		{ "sys_platform == 'win32'", false },
		{ "sys_platform != 'win32'", true },
		{ "'linux' == sys_platform", true },
		{ "os_name == 'posix' and platform_machine == 'x86_64'", true },
		{ "os_name == 'nt' or platform_machine == 'x86_64'", true },
		{ "os_name == 'nt' or platform_machine == 'arm64'", false },
		{ "os_name == 'nt' and platform_machine == 'x86_64' or sys_platform == 'linux'", true },
		{ "os_name == 'nt' and (platform_machine == 'x86_64' or sys_platform == 'linux')",
		  false },
		{ "platform_machine in 'x86_64 aarch64'", true },
		{ "platform_machine in 'aarch64 arm64'", false },
		{ "platform_machine not in 'aarch64 arm64'", true },
		{ "'86' in platform_machine", true },
		/* version comparison, not string comparison: "3.10" > "3.9" */
		{ "python_version > '3.9'", true },
		{ "python_version >= '3.10'", true },
		{ "python_version < '3.9'", false },
		{ "python_version == '3.10'", true },
		{ "python_version == '3.10.0'", true },
		{ "python_version != '3.10'", false },
		{ "python_version == '3.*'", true },
		{ "python_version != '3.9.*'", true },
		{ "python_version ~= '3.8'", true },
		{ "python_version ~= '3.11'", false },
		{ "python_version === '3.10'", true },
		{ "python_version === '3.10.0'", false },
		{ "python_full_version < '3.10.1'", false },
		{ "python_full_version >= '3.10.1'", true },
		{ "'3.9' < python_version", true },
		{ "implementation_version >= '3.10'", true },
		{ "platform_release >= '5.4'", true },
		{ "platform_release > '5'", true },
		/* string comparison when not versions */
		{ "python_version > 'abc'", false },
		{ "python_version < 'abc'", true },
		{ "python_version ~= 'abc'", false },
		{ "python_version === 'x'", false },
		{ "os_name < 'q'", true },
		{ "os_name > 'q'", false },
		{ "os_name <= 'posix'", true },
		{ "os_name >= 'posix'", true },
		{ "os_name === 'posix'", true },
		{ "os_name ~= 'posix'", false },
		/* not a version-like variable: "10" < "9" as strings */
		{ "platform_version < '9'", true },
		{ "platform_system == 'Linux'", true },
		{ "implementation_name == 'cpython'", true },
		{ "platform_python_implementation == 'CPython'", true },
		{ "os_name == sys_platform", false },
		{ "'a' == 'a'", true },
		{ "'a' in 'abc'", true },
		{ "extra == 'x'", false }, /* no extras selected */
		{ "extra != 'x'", false },
	};

	(void)state;
	env.values[MARKER_OS_NAME] = "posix";
	env.values[MARKER_SYS_PLATFORM] = "linux";
	env.values[MARKER_PLATFORM_MACHINE] = "x86_64";
	env.values[MARKER_PLATFORM_PYTHON_IMPLEMENTATION] = "CPython";
	env.values[MARKER_PLATFORM_RELEASE] = "6.1";
	env.values[MARKER_PLATFORM_SYSTEM] = "Linux";
	env.values[MARKER_PLATFORM_VERSION] = "10 SMP";
	env.values[MARKER_PYTHON_VERSION] = "3.10";
	env.values[MARKER_PYTHON_FULL_VERSION] = "3.10.1";
	env.values[MARKER_IMPLEMENTATION_NAME] = "cpython";
	env.values[MARKER_IMPLEMENTATION_VERSION] = "3.10.1";
	for (size_t i = 0; i < N(cases); i++) {
		struct marker *m = parse_ok(cases[i].marker);
		if (marker_eval(m, &env, NULL, 0) != cases[i].result)
			fail_msg("'%s' should be %s", cases[i].marker, cases[i].result ? "true" : "false");
		marker_free(m);
	}
	assert_false(marker_eval(NULL, &env, NULL, 0));
}

static void test_eval_prerelease(void **state)
{
	struct marker_env env = { { 0 } };
	struct marker *m = parse_ok("python_full_version < '3.13'");

	(void)state;
	/* PEP 440: "<V" does not admit pre-releases of V */
	env.values[MARKER_PYTHON_FULL_VERSION] = "3.13.0rc1";
	assert_false(marker_eval(m, &env, NULL, 0));
	env.values[MARKER_PYTHON_FULL_VERSION] = "3.12.9";
	assert_true(marker_eval(m, &env, NULL, 0));
	marker_free(m);

	/* unset variables are empty strings */
	memset(&env, 0, sizeof env);
	m = parse_ok("os_name == ''");
	assert_true(marker_eval(m, &env, NULL, 0));
	assert_true(marker_eval(m, NULL, NULL, 0));
	marker_free(m);
}

static void test_eval_extras(void **state)
{
	struct marker_env env = { { 0 } };
	static const char *const extras[] = { "Foo_Bar", "docs" };
	static const struct {
		const char *marker;
		bool result;
	} cases[] = {
		{ "extra == 'foo-bar'", true },
		{ "extra == 'FOO.BAR'", true },
		{ "extra == 'foo__bar'", true },
		{ "'foo-bar' == extra", true },
		{ "extra == 'docs'", true },
		{ "extra == 'test'", false },
		{ "extra != 'docs'", true }, /* foo-bar != docs */
		{ "extra == 'docs' and os_name == 'posix'", true },
		{ "extra == 'docs' and os_name == 'nt'", false },
		{ "extra in 'foo-bar-baz'", true },
		{ "extra not in 'foo-bar docs'", false },
	};

	(void)state;
	env.values[MARKER_OS_NAME] = "posix";
	for (size_t i = 0; i < N(cases); i++) {
		struct marker *m = parse_ok(cases[i].marker);
		if (marker_eval(m, &env, extras, N(extras)) != cases[i].result)
			fail_msg("'%s' should be %s", cases[i].marker, cases[i].result ? "true" : "false");
		marker_free(m);
	}
}

static void test_split_extra(void **state)
{
	static const struct {
		const char *marker, *extra, *rest;
	} cases[] = {
		{ "extra == 'Docs_Extra'", "docs-extra", NULL },
		{ "'docs' == extra", "docs", NULL },
		{ "extra == 'gpu' and sys_platform == 'linux'", "gpu", "sys_platform == \"linux\"" },
		{ "sys_platform == 'linux' and extra == 'gpu'", "gpu", "sys_platform == \"linux\"" },
		{ "os_name == 'posix' and extra == 'gpu' and platform_machine == 'x86_64'", "gpu",
		  "os_name == \"posix\" and platform_machine == \"x86_64\"" },
		{ "extra == 'gpu' and (os_name == 'a' or os_name == 'b')", "gpu",
		  "os_name == \"a\" or os_name == \"b\"" },
		{ "(extra == 'gpu' and os_name == 'posix')", "gpu", "os_name == \"posix\"" },
		{ "extra == 'gpu' or sys_platform == 'linux'", NULL, NULL },
		{ "extra != 'gpu'", NULL, NULL },
		{ "extra in 'gpu'", NULL, NULL },
		{ "sys_platform == 'linux'", NULL, NULL },
		{ "(extra == 'gpu' or extra == 'cuda') and os_name == 'posix'", NULL, NULL },
	};

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		struct marker *m = parse_ok(cases[i].marker);
		char *rest = (char *)"unset";
		char *extra = marker_split_extra(m, &rest);
		if (!cases[i].extra) {
			if (extra)
				fail_msg("'%s' split into '%s'", cases[i].marker, extra);
			assert_null(rest);
		} else {
			assert_non_null(extra);
			assert_string_equal(extra, cases[i].extra);
			if (cases[i].rest) {
				assert_non_null(rest);
				assert_string_equal(rest, cases[i].rest);
			} else {
				assert_null(rest);
			}
		}
		free(extra);
		free(rest);
		marker_free(m);
	}
	assert_null(marker_split_extra(NULL, NULL));
}

static void test_names(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "Foo", "foo" }, { "foo_bar", "foo-bar" }, { "foo.bar", "foo-bar" },
		{ "foo-_.-bar", "foo-bar" }, { "A__B--C..D", "a-b-c-d" }, { "", "" },
	};

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		char *n = marker_normalize_name(cases[i].in);
		assert_string_equal(n, cases[i].out);
		free(n);
	}
	assert_string_equal(marker_var_name(MARKER_OS_NAME), "os_name");
	assert_string_equal(marker_var_name(MARKER_PLATFORM_PYTHON_IMPLEMENTATION),
			    "platform_python_implementation");
	assert_string_equal(marker_var_name(MARKER_IMPLEMENTATION_VERSION),
			    "implementation_version");
	assert_string_equal(marker_var_name(MARKER_VAR_COUNT), "?");
}

static void test_env_host(void **state)
{
	struct marker_env env;
	char buf[1024];

	(void)state;
	unsetenv("EXTDEPS_PYTHON_VERSION");
	marker_env_host(&env, buf, sizeof buf);
	assert_string_equal(env.values[MARKER_OS_NAME], "posix");
	assert_string_equal(env.values[MARKER_PYTHON_VERSION], "3.12");
	assert_string_equal(env.values[MARKER_PYTHON_FULL_VERSION], "3.12.0");
	assert_string_equal(env.values[MARKER_IMPLEMENTATION_VERSION], "3.12.0");
	assert_string_equal(env.values[MARKER_IMPLEMENTATION_NAME], "cpython");
	assert_string_equal(env.values[MARKER_PLATFORM_PYTHON_IMPLEMENTATION], "CPython");
#ifdef __linux__
	assert_string_equal(env.values[MARKER_SYS_PLATFORM], "linux");
	assert_string_equal(env.values[MARKER_PLATFORM_SYSTEM], "Linux");
#endif
	assert_true(strlen(env.values[MARKER_PLATFORM_MACHINE]) > 0);
	assert_true(strlen(env.values[MARKER_PLATFORM_RELEASE]) > 0);
	for (int v = 0; v < MARKER_VAR_COUNT; v++)
		assert_non_null(env.values[v]);

	setenv("EXTDEPS_PYTHON_VERSION", "3.11", 1);
	marker_env_host(&env, buf, sizeof buf);
	assert_string_equal(env.values[MARKER_PYTHON_VERSION], "3.11");
	assert_string_equal(env.values[MARKER_PYTHON_FULL_VERSION], "3.11.0");

	setenv("EXTDEPS_PYTHON_VERSION", "3.9.18", 1);
	marker_env_host(&env, buf, sizeof buf);
	assert_string_equal(env.values[MARKER_PYTHON_VERSION], "3.9");
	assert_string_equal(env.values[MARKER_PYTHON_FULL_VERSION], "3.9.18");

	setenv("EXTDEPS_PYTHON_VERSION", "not a version", 1);
	marker_env_host(&env, buf, sizeof buf);
	assert_string_equal(env.values[MARKER_PYTHON_VERSION], "3.12");
	unsetenv("EXTDEPS_PYTHON_VERSION");

	/* a buffer too small leaves empty strings, never overflows */
	char tiny[4];
	marker_env_host(&env, tiny, sizeof tiny);
	assert_string_equal(env.values[MARKER_OS_NAME], "posix");
	for (int v = 0; v < MARKER_VAR_COUNT; v++)
		assert_non_null(env.values[v]);
	marker_env_host(&env, NULL, 0);
	assert_string_equal(env.values[MARKER_PYTHON_VERSION], "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_print),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_eval),
		cmocka_unit_test(test_eval_prerelease),
		cmocka_unit_test(test_eval_extras),
		cmocka_unit_test(test_split_extra),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_env_host),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
