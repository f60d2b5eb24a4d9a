/* Unit tests of conda's version order, its encoding for libsolv, and match
 * specs (src/eco/condaver.c). The encoded order is checked with libsolv's own
 * comparison on an rpm pool, against conda's algorithm, on the examples of
 * conda's documentation and on random versions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <solv/evr.h>
#include <solv/pool.h>

#include "extdeps/eco/condaver.h"

static Pool *rpm_pool(void)
{
	Pool *pool = pool_create();

	pool_setdisttype(pool, DISTTYPE_RPM);
	return pool;
}

/* The sign of libsolv's comparison of the encodings of A and B. */
static int enc_cmp(Pool *pool, const char *a, const char *b)
{
	char ea[CONDAVER_ENC_MAX], eb[CONDAVER_ENC_MAX];
	int r;

	assert_true(condaver_encode(a, ea, sizeof ea));
	assert_true(condaver_encode(b, eb, sizeof eb));
	r = pool_evrcmp_str(pool, ea, eb, EVRCMP_COMPARE);
	return r < 0 ? -1 : r > 0;
}

static void check_pair(Pool *pool, const char *a, const char *b, int want)
{
	int ref = condaver_cmp(a, b), enc = enc_cmp(pool, a, b);

	if (ref != want || enc != want)
		fail_msg("'%s' vs '%s': want %d, conda's algorithm %d, encoded %d", a, b, want,
			 ref, enc);
}

/* conda's documented order (VersionOrder's docstring); "==" pairs equal. */
static void test_documented_order(void **state)
{
	static const char *const chain[] = {
		"0.4",   "==",  "0.4.0",  "<", "0.4.1.rc", "==", "0.4.1.RC", "<", "0.4.1",
		"<",     "0.5a1", "<",    "0.5b3", "<", "0.5C1", "<", "0.5", "<", "0.9.6",
		"<",     "0.960923", "<", "1.0", "<", "1.1dev1", "<", "1.1a1", "<",
		"1.1.0dev1", "==", "1.1.dev1", "<", "1.1.a1", "<", "1.1.0rc1", "<",
		"1.1.0", "==", "1.1", "<", "1.1.0post1", "==", "1.1.post1", "<",
		"1.1post1", "<", "1996.07.12", "<", "1!0.4.1", "<", "1!3.1.1.6", "<",
		"2!0.4.1",
	};
	Pool *pool = rpm_pool();
	size_t n = sizeof chain / sizeof chain[0];

	(void)state;
	for (size_t i = 0; i + 2 < n; i += 2)
		check_pair(pool, chain[i], chain[i + 2], !strcmp(chain[i + 1], "==") ? 0 : -1);
	/* every later element is greater than every earlier one, not only the next */
	for (size_t i = 0; i < n; i += 2)
		for (size_t j = i + 2; j < n; j += 2) {
			bool eq = true;

			for (size_t k = i + 1; k < j; k += 2)
				eq &= !strcmp(chain[k], "==");
			check_pair(pool, chain[i], chain[j], eq ? 0 : -1);
		}
	pool_free(pool);
}

static void test_more_pairs(void **state)
{
	static const struct {
		const char *a, *b;
		int want;
	} cases[] = {
		{ "1.0", "1.0.0", 0 },
		{ "1.0", "1.0.0.0.0", 0 },
		{ "0", "0.0", 0 },
		{ "0", "0.1", -1 },
		{ "0", "0a", 1 },
		{ "1.1dev1", "1.1a1", -1 },
		{ "1.1a1", "1.1b1", -1 },
		{ "1.1b1", "1.1rc1", -1 },
		{ "1.1rc1", "1.1", -1 },
		{ "1.1", "1.1post1", -1 },
		{ "1.0", "1.0.0a", 1 },
		{ "1.0.0a", "1.0.0b", -1 },
		{ "1.5", "1.5.0.0a", 1 },
		{ "1.5", "1.5.0.1", -1 },
		{ "1_2_3", "1.2.3", 0 },
		{ "1-2-3", "1.2.3", 0 },
		{ "1.2+local", "1.2", -1 }, /* a local string sorts below an absent one */
		{ "1.2+1", "1.2", 1 },
		{ "1.2+1", "1.2+2", -1 },
		{ "1.2+1", "1.2.0+1.0", 0 },
		{ "1.2.1", "1.2+99", 1 },
		{ "1.2a", "1.2+99", -1 },
		{ "1!1.0", "2.0", 1 },
		{ "0!1.0", "1.0", 0 },
		{ "1a0post", "1a", 1 },
		{ "1a0b", "1a", -1 },
		{ "2.0post1", "2.0.1", 1 }, /* [0, post] against [0]: post wins */
		{ "1.0.post1", "1.0.1", -1 },
		{ "10", "9", 1 },
		{ "1.10", "1.9", 1 },
		{ "1.01", "1.1", 0 },
		{ "2021a", "2021b", -1 },
		{ "3.9.0a0", "3.9", -1 },
		{ "3.9.0a0", "3.8.99", 1 },
		{ "1.2dev", "1.2dev1", -1 },
		{ "1.2.dev", "1.2a", 1 },
		{ "18446744073709551610", "18446744073709551611", -1 },
	};
	Pool *pool = rpm_pool();

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		check_pair(pool, cases[i].a, cases[i].b, cases[i].want);
		check_pair(pool, cases[i].b, cases[i].a, -cases[i].want);
	}
	pool_free(pool);
}

static void test_invalid(void **state)
{
	static const char *const bad[] = {
		"", " ", "1..2", "1.2.", ".1", "a!1", "1!2!3", "1+2+3", "1_2-3", "1.2$",
		"1 2", "1/2", "18446744073709551616", /* numbers beyond 64 bits */
	};
	char out[CONDAVER_ENC_MAX];
	char longv[300];

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (condaver_valid(bad[i]))
			fail_msg("'%s' accepted", bad[i]);
		assert_false(condaver_encode(bad[i], out, sizeof out));
	}
	memset(longv, '1', sizeof longv - 1);
	longv[sizeof longv - 1] = '\0';
	assert_false(condaver_valid(longv));
	/* the output buffer is respected */
	assert_false(condaver_encode("1.2.3", out, 4));
	/* invalid versions sort first, never crash */
	assert_int_equal(condaver_cmp("1..2", "0"), -1);
	assert_int_equal(condaver_cmp("0", "1..2"), 1);
}

/* Random versions from a small alphabet, so that equal and near-equal ones
 * meet often: libsolv's order of the encodings equals conda's. */
static void random_version(char *buf, size_t size, unsigned *seed)
{
	static const char *const pieces[] = {
		"0", "1", "2", "10", "a", "b", "rc", "dev", "post", "0a", "1b2", "alpha",
	};
	size_t len = 0;
	int ncomp = 1 + rand_r(seed) % 5;

	if (rand_r(seed) % 8 == 0)
		len += (size_t)snprintf(buf, size, "%d!", rand_r(seed) % 3);
	for (int c = 0; c < ncomp; c++) {
		int nel = 1 + rand_r(seed) % 2;

		if (c)
			buf[len++] = rand_r(seed) % 4 ? '.' : '_';
		for (int k = 0; k < nel; k++)
			len += (size_t)snprintf(buf + len, size - len, "%s",
						pieces[rand_r(seed) % (sizeof pieces / sizeof pieces[0])]);
	}
	if (rand_r(seed) % 6 == 0)
		len += (size_t)snprintf(buf + len, size - len, "+%s", rand_r(seed) % 2 ? "1" : "0a");
	buf[len] = '\0';
}

static void test_random_against_conda(void **state)
{
	Pool *pool = rpm_pool();
	unsigned seed = 725;
	int checked = 0;

	(void)state;
	for (int i = 0; i < 40000; i++) {
		char a[128], b[128];

		random_version(a, sizeof a, &seed);
		random_version(b, sizeof b, &seed);
		if (!condaver_valid(a) || !condaver_valid(b))
			continue;
		check_pair(pool, a, b, condaver_cmp(a, b));
		checked++;
	}
	assert_true(checked > 30000);
	pool_free(pool);
}

static void test_expr_match(void **state)
{
	static const struct {
		const char *expr, *v;
		bool want;
	} cases[] = {
		{ ">=1.20,<2", "1.26.4", true },
		{ ">=1.20,<2", "2.0", false },
		{ ">=1.20,<2", "2.0a1", true }, /* a pre-release of 2 sorts below 2 */
		{ ">=1.20,<2", "1.19", false },
		{ "3.9.*", "3.9.18", true },
		{ "3.9.*", "3.9", true },
		{ "3.9.*", "3.9.0a1", true },
		{ "3.9.*", "3.10.1", false },
		{ "3.9.*", "3.8.99", false },
		{ "3.9*", "3.9.1", true },
		{ "=1.2", "1.2.7", true },
		{ "=1.2", "1.3", false },
		{ "1.0.*", "1.0", true },
		{ "1.0.*", "1", true },
		{ "1.0.*", "1.0a", true },
		{ "1.0.*", "1.0post1", true },
		{ "1.0.*", "1.1", false },
		{ "1.2rc*", "1.2rc1", true },
		{ "1.2rc*", "1.2rd1", false },
		{ "1.2rc*", "1.2", false },
		{ "0.1", "0.1.0", true },
		{ "0.1", "0.1.1", false },
		{ "==1.0", "1.0.0", true },
		{ "!=1.0", "1.0.0", false },
		{ "!=1.0", "1.0.1", true },
		{ "!=1.5.*", "1.5.2", false },
		{ "!=1.5.*", "1.6", true },
		{ "1.0|2.0", "2.0", true },
		{ "1.0|2.0", "1.5", false },
		{ "(1.0|2.0),!=2.0", "2.0", false },
		{ ">=1,<2|>=3", "3.5", true },
		{ ">=1,<2|>=3", "2.5", false },
		{ ">=2.*", "2.0", true },
		{ "~=1.2.3", "1.2.9", true },
		{ "~=1.2.3", "1.2.2", false },
		{ "~=1.2.3", "1.3", false },
		{ "*", "0", true },
		{ "1.*.3", "9", true }, /* a glob inside: any version (approximated) */
		{ "<=1.2", "1.2.0", true },
		{ ">1.2", "1.2.0", false },
		{ ">1.2", "1.2.0.1", true },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct ed_parse_err e = { 0 };
		struct condaver_expr *x = condaver_expr_parse(cases[i].expr, &e);

		if (!x)
			fail_msg("'%s': %s", cases[i].expr, e.msg);
		if (condaver_expr_match(x, cases[i].v) != cases[i].want)
			fail_msg("'%s' on '%s': want %d", cases[i].expr, cases[i].v, cases[i].want);
		condaver_expr_free(x);
	}
}

static void test_expr_errors(void **state)
{
	static const struct {
		const char *expr;
		size_t offset;
	} cases[] = {
		{ ">=1.2,", 6 }, { "(1.2", 4 }, { ">=1..2", 0 }, { "1.2)", 3 },
		{ "<1.2.*", 0 }, { ",1", 0 }, { ">=", 0 }, { "1.2|", 4 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct ed_parse_err e = { 0 };
		struct condaver_expr *x = condaver_expr_parse(cases[i].expr, &e);

		if (x)
			fail_msg("'%s' accepted", cases[i].expr);
		assert_true(e.msg[0] != '\0');
		if (e.offset != cases[i].offset)
			fail_msg("'%s': offset %zu, want %zu (%s)", cases[i].expr, e.offset,
				 cases[i].offset, e.msg);
	}
}

static void test_prefix_bounds(void **state)
{
	char lo[CONDAVER_ENC_MAX], hi[CONDAVER_ENC_MAX], a[CONDAVER_ENC_MAX],
		b[CONDAVER_ENC_MAX];
	Pool *pool = rpm_pool();

	(void)state;
	assert_true(condaver_prefix_bounds("1.2", lo, sizeof lo, hi, sizeof hi));
	assert_true(condaver_encode("1.2dev", a, sizeof a));
	assert_true(condaver_encode("1.3dev", b, sizeof b));
	assert_string_equal(lo, a);
	assert_string_equal(hi, b);
	assert_true(condaver_prefix_bounds("1.0post", lo, sizeof lo, hi, sizeof hi));
	assert_string_equal(hi, "");
	assert_true(condaver_prefix_bounds("1.2zz", lo, sizeof lo, hi, sizeof hi));
	assert_true(condaver_encode("1.2zzz", a, sizeof a));
	assert_true(pool_evrcmp_str(pool, a, hi, EVRCMP_COMPARE) < 0);
	assert_true(pool_evrcmp_str(pool, a, lo, EVRCMP_COMPARE) > 0);
	assert_true(condaver_encode("1.2.0", a, sizeof a));
	assert_true(pool_evrcmp_str(pool, a, hi, EVRCMP_COMPARE) >= 0);
	assert_false(condaver_prefix_bounds("1..2", lo, sizeof lo, hi, sizeof hi));
	pool_free(pool);
}

static void test_spec_parse(void **state)
{
	static const struct {
		const char *spec, *name, *version, *build;
	} cases[] = {
		{ "numpy", "numpy", NULL, NULL },
		{ "numpy >=1.20,<2", "numpy", ">=1.20,<2", NULL },
		{ "numpy>=1.20", "numpy", ">=1.20", NULL },
		{ "numpy >= 1.20", "numpy", ">=1.20", NULL },
		{ "numpy >=1.20, <2", "numpy", ">=1.20,<2", NULL },
		{ "python 3.9.* *_cpython", "python", "3.9.*", "*_cpython" },
		{ "libblas 3.9.* *openblas", "libblas", "3.9.*", "*openblas" },
		{ "_libgcc_mutex 0.1 conda_forge", "_libgcc_mutex", "0.1", "conda_forge" },
		{ "numpy=1.20", "numpy", "1.20*", NULL },
		{ "numpy=1.20=py39_0", "numpy", "1.20", "py39_0" },
		{ "conda-forge::numpy >=1", "numpy", ">=1", NULL },
		{ "__glibc >=2.17", "__glibc", ">=2.17", NULL },
		{ "openmp_impl 9999", "openmp_impl", "9999", NULL },
		{ "pkg * build_1", "pkg", NULL, "build_1" },
		{ "  zlib  ", "zlib", NULL, NULL },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct condaspec s;
		struct ed_parse_err e = { 0 };

		if (condaspec_parse(cases[i].spec, &s, &e))
			fail_msg("'%s': %s", cases[i].spec, e.msg);
		assert_string_equal(s.name, cases[i].name);
		if (cases[i].version)
			assert_string_equal(s.version, cases[i].version);
		else
			assert_null(s.version);
		if (cases[i].build)
			assert_string_equal(s.build, cases[i].build);
		else
			assert_null(s.build);
		condaspec_fini(&s);
	}
}

static void test_spec_errors(void **state)
{
	static const char *const bad[] = {
		"", ">=1", "numpy[version='>=1']", "numpy >=1..2", "a 1 b c", "numpy=",
	};

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct condaspec s;
		struct ed_parse_err e = { 0 };

		if (!condaspec_parse(bad[i], &s, &e)) {
			condaspec_fini(&s);
			fail_msg("'%s' accepted", bad[i]);
		}
		assert_true(e.msg[0] != '\0');
		assert_null(s.name);
	}
	condaspec_fini(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_documented_order),
		cmocka_unit_test(test_more_pairs),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_random_against_conda),
		cmocka_unit_test(test_expr_match),
		cmocka_unit_test(test_expr_errors),
		cmocka_unit_test(test_prefix_bounds),
		cmocka_unit_test(test_spec_parse),
		cmocka_unit_test(test_spec_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
