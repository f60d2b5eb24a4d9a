/* Unit tests for pep440.c: validity, normalisation, ordering, specifiers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "extdeps/read/pep440.h"

#define N(a) (sizeof(a) / sizeof *(a))

static void test_normalize(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "1.0", "1.0" },
		{ "v1.0", "1.0" },
		{ "V1.0", "1.0" },
		{ "01.002.0003", "1.2.3" },
		{ "0!1.0", "1.0" },
		{ "2!1.0", "2!1.0" },
		{ "1.0a1", "1.0a1" },
		{ "1.0alpha1", "1.0a1" },
		{ "1.0ALPHA1", "1.0a1" },
		{ "1.0-a-1", "1.0a1" },
		{ "1.0.a.1", "1.0a1" },
		{ "1.0_a_1", "1.0a1" },
		{ "1.0a", "1.0a0" },
		{ "1.0b2", "1.0b2" },
		{ "1.0beta2", "1.0b2" },
		{ "1.0c3", "1.0rc3" },
		{ "1.0pre3", "1.0rc3" },
		{ "1.0preview3", "1.0rc3" },
		{ "1.0RC3", "1.0rc3" },
		{ "1.0rc", "1.0rc0" },
		{ "1.0.post1", "1.0.post1" },
		{ "1.0post1", "1.0.post1" },
		{ "1.0-post1", "1.0.post1" },
		{ "1.0-1", "1.0.post1" },
		{ "1.0rev2", "1.0.post2" },
		{ "1.0r2", "1.0.post2" },
		{ "1.0.post", "1.0.post0" },
		{ "1.0-r", "1.0.post0" },
		{ "1.0.dev1", "1.0.dev1" },
		{ "1.0dev1", "1.0.dev1" },
		{ "1.0-dev", "1.0.dev0" },
		{ "1.0a1.post2.dev3", "1.0a1.post2.dev3" },
		{ "1.0a.dev1", "1.0a0.dev1" },
		{ "1.0+abc", "1.0+abc" },
		{ "1.0+ABC-1_2", "1.0+abc.1.2" },
		{ "1.0+ubuntu.1", "1.0+ubuntu.1" },
		{ "1!2.3.4rc5.post6.dev7+local.8", "1!2.3.4rc5.post6.dev7+local.8" },
		{ "99999999999999999999999999.1", "99999999999999999999999999.1" },
		{ "2024", "2024" },
	};

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		char *n = pep440_normalize(cases[i].in);
		assert_true(pep440_valid(cases[i].in));
		assert_non_null(n);
		assert_string_equal(n, cases[i].out);
		free(n);
	}
}

static void test_invalid(void **state)
{
	static const char *const bad[] = {
		"", "v", "1.", ".1", "1..0", "a1", "1.0+", "1.0+a..b", "1.0+a_", "1.0 ",
		" 1.0", "1.0-", "1.0a.", "1.0.dev.", "1.0.x", "1!", "!1", "1.0.post1.post2",
		"1.0dev1a1", "1.0==", "1,0", "1.*", "1.0+ü", "1.0abc", "1.0-foo",
	};

	(void)state;
	for (size_t i = 0; i < N(bad); i++) {
		assert_false(pep440_valid(bad[i]));
		assert_null(pep440_normalize(bad[i]));
	}
	assert_false(pep440_valid(NULL));
	assert_null(pep440_normalize(NULL));
}

/* Each version sorts strictly before the next one (the PEP 440 example). */
static void test_order(void **state)
{
	static const char *const order[] = {
		"1.0.dev456", "1.0a1", "1.0a2.dev456", "1.0a12.dev456", "1.0a12",
		"1.0b1.dev456", "1.0b2", "1.0b2.post345.dev456", "1.0b2.post345",
		"1.0rc1.dev456", "1.0rc1", "1.0", "1.0+abc.5", "1.0+abc.7", "1.0+5",
		"1.0.post456.dev34", "1.0.post456", "1.0.15", "1.1.dev1", "1.1",
		"1.10", "2", "1!0.1",
	};

	(void)state;
	for (size_t i = 0; i < N(order); i++) {
		for (size_t j = 0; j < N(order); j++) {
			int c = pep440_cmp(order[i], order[j]);
			if (i < j)
				assert_true(c < 0);
			else if (i > j)
				assert_true(c > 0);
			else
				assert_int_equal(c, 0);
		}
	}
}

static void test_equal(void **state)
{
	static const char *const pairs[][2] = {
		{ "1.0", "1.0.0" }, { "1", "1.0.0.0" }, { "1.0a1", "1.0.0alpha1" },
		{ "0!1.0", "1.0" }, { "1.0.post0", "1.0-0" }, { "v1.01", "1.1" },
		{ "1.0+ABC", "1.0+abc" }, { "1.0+a-b", "1.0+a.b" }, { "1.0+01", "1.0+1" },
		{ "1.0c1", "1.0rc1" },
	};

	(void)state;
	for (size_t i = 0; i < N(pairs); i++)
		assert_int_equal(pep440_cmp(pairs[i][0], pairs[i][1]), 0);
}

static void test_cmp_garbage(void **state)
{
	(void)state;
	/* invalid sorts before valid, then by strcmp */
	assert_true(pep440_cmp("garbage", "0.0.dev0") < 0);
	assert_true(pep440_cmp("1.0", "zzz") > 0);
	assert_true(pep440_cmp("abc", "abd") < 0);
	assert_int_equal(pep440_cmp("x.y", "x.y"), 0);
	assert_true(pep440_cmp(NULL, "1.0") < 0);
	assert_true(pep440_cmp("1.0", NULL) > 0);
	assert_int_equal(pep440_cmp(NULL, NULL), 0);
	assert_true(pep440_cmp(NULL, "junk") < 0);
	/* huge numbers compare without overflow */
	assert_true(pep440_cmp("18446744073709551616", "18446744073709551615") > 0);
	assert_true(pep440_cmp("1.000000000000000000000000000001", "1.2") < 0);
}

static void test_spec_parse(void **state)
{
	static const struct {
		const char *in, *out;
		size_t count;
	} cases[] = {
		{ ">=1.2", ">=1.2", 1 },
		{ ">=1.2,<2", ">=1.2,<2", 2 },
		{ " >= 1.2 , < 2 ", ">=1.2,<2", 2 },
		{ "==3.*", "==3.*", 1 },
		{ "== 1.2.*", "==1.2.*", 1 },
		{ "1.2.3", "==1.2.3", 1 },
		{ "v1.2", "==1.2", 1 },
		{ ">1.0RC1", ">1.0rc1", 1 },
		{ "<=2!1.0", "<=2!1.0", 1 },
		{ "==1.0+local", "==1.0+local", 1 },
		{ ">=11,<13", ">=11,<13", 2 },
		{ ">=1,>=2,>=3", ">=1,>=2,>=3", 3 },
		{ "==1!2.*", "==1!2.*", 1 },
	};

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		struct ed_parse_err err = { 0 };
		struct pep440_spec *s = pep440_spec_parse(cases[i].in, strlen(cases[i].in), &err);
		assert_non_null(s);
		assert_int_equal(s->count, cases[i].count);
		char *str = pep440_spec_str(s);
		assert_non_null(str);
		assert_string_equal(str, cases[i].out);
		free(str);
		pep440_spec_free(s);
	}
	pep440_spec_free(NULL);
}

static void test_spec_clause_fields(void **state)
{
	struct ed_parse_err err = { 0 };
	struct pep440_spec *s = pep440_spec_parse("==1.2.*,>0.9", 12, &err);

	(void)state;
	assert_non_null(s);
	assert_int_equal(s->clauses[0].op, PEP440_EQ);
	assert_true(s->clauses[0].wildcard);
	assert_string_equal(s->clauses[0].version, "1.2");
	assert_int_equal(s->clauses[1].op, PEP440_GT);
	assert_false(s->clauses[1].wildcard);
	assert_string_equal(s->clauses[1].version, "0.9");
	pep440_spec_free(s);

	/* LEN bounds the text: the rest is not read */
	s = pep440_spec_parse(">=1.2junk", 5, &err);
	assert_non_null(s);
	assert_string_equal(s->clauses[0].version, "1.2");
	pep440_spec_free(s);
}

static void test_spec_errors(void **state)
{
	static const struct {
		const char *in;
		size_t offset;
		const char *msg;
	} cases[] = {
		{ "", 0, "expected a version specifier such as '>=1.2'" },
		{ "   ", 3, "expected a version specifier such as '>=1.2'" },
		{ "!=1.0", 0, "operator '!=' is not allowed; use one of '>=', '>', '<', '<=', '=='" },
		{ ">=1,~=1.2", 4, "operator '~=' is not allowed; use one of '>=', '>', '<', '<=', '=='" },
		{ "===1.0", 0, "operator '===' is not allowed; use one of '>=', '>', '<', '<=', '=='" },
		{ ">=1,,<2", 4, "empty clause in version specifier" },
		{ ">=1,", 4, "empty clause in version specifier" },
		{ ",>=1", 0, "empty clause in version specifier" },
		{ ">=", 0, "expected a version after '>='" },
		{ ">=1, <", 5, "expected a version after '<'" },
		{ ">=1.x", 0, "invalid version '1.x'" },
		{ ">=1,<2,>abc", 7, "invalid version 'abc'" },
		{ ">=1.*", 0, "'.*' is only allowed with '=='" },
		{ "==1.0a1.*", 0, "'.*' must follow a release number such as '==1.2.*'" },
		{ ">=1.0+local", 0, "a local version label ('+local') is only allowed with '=='" },
		{ "=1.0", 0, "unknown operator in '=1.0'; use one of '>=', '>', '<', '<=', '=='" },
		{ "~1.0", 0, "unknown operator in '~1.0'; use one of '>=', '>', '<', '<=', '=='" },
		{ ">= 1.0 2.0", 0, "invalid version '1.0 2.0'" },
	};

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		struct ed_parse_err err = { 0 };
		struct pep440_spec *s = pep440_spec_parse(cases[i].in, strlen(cases[i].in), &err);
		if (s)
			fail_msg("'%s' parsed", cases[i].in);
		assert_string_equal(err.msg, cases[i].msg);
		assert_int_equal(err.offset, cases[i].offset);
	}
}

static void test_contains(void **state)
{
	static const struct {
		const char *spec, *version;
		bool in;
	} cases[] = {
		{ ">=1.2", "1.2", true },
		{ ">=1.2", "1.2.0", true },
		{ ">=1.2", "1.1.9", false },
		{ ">=1.2", "1.2rc1", false },
		{ ">=1.2", "1.2+local", true },
		{ ">=1.2,<2", "1.9.9", true },
		{ ">=1.2,<2", "2.0", false },
		{ ">=1.2,<2", "2.0a1", false },       /* <V excludes pre-releases of V */
		{ "<2", "2.0.dev1", false },
		{ "<2", "1.9.dev1", true },
		{ "<2.0rc1", "2.0b1", true },          /* ... unless V is one */
		{ "<2.0rc1", "2.0rc1.dev1", true },
		{ "<2", "1.99", true },
		{ "<2", "2.0.post1", false },
		{ ">1.7", "1.7.1", true },
		{ ">1.7", "1.7.0.post1", false },      /* >V excludes post-releases of V */
		{ ">1.7.post2", "1.7.0.post3", true }, /* ... unless V is one */
		{ ">1.7.post2", "1.7.0.post2", false },
		{ ">1.7", "1.7+local", false },        /* and local versions of V */
		{ ">1.7", "1.8.dev0", true },
		{ ">1.7", "1.7", false },
		{ "<=1.7", "1.7", true },
		{ "<=1.7", "1.7+local", true },
		{ "<=1.7", "1.7.post1", false },
		{ "==1.7", "1.7.0", true },
		{ "==1.7", "1.7+local", true },        /* the spec has no local label */
		{ "==1.7+local", "1.7+local", true },
		{ "==1.7+local", "1.7+other", false },
		{ "==1.7+local", "1.7", false },
		{ "==1.7", "1.7.1", false },
		{ "==1.7", "1.7rc1", false },
		{ "==1.7.*", "1.7", true },
		{ "==1.7.*", "1.7.99", true },
		{ "==1.7.*", "1.7rc1", true },
		{ "==1.7.*", "1.7.0.post1", true },
		{ "==1.7.*", "1.70", false },
		{ "==1.7.*", "1.8", false },
		{ "==1.7.0.*", "1.7", true },          /* padding before matching */
		{ "==1.*", "1!1.0", false },           /* epochs must agree */
		{ "==1!1.*", "1!1.5", true },
		{ "1.2.3", "1.2.3", true },
		{ "1.2.3", "1.2.4", false },
		{ ">=11,<13", "12.2", true },
		{ ">=11,<13", "13", false },
		{ ">=3", "3.0.0", true },
		{ ">=3", "not-a-version", false },
		{ ">=1.0.dev0", "1.0a1", true },
		{ ">=1.0a1", "1.0.dev0", false },
	};

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		struct ed_parse_err err = { 0 };
		struct pep440_spec *s = pep440_spec_parse(cases[i].spec, strlen(cases[i].spec), &err);
		assert_non_null(s);
		if (pep440_spec_contains(s, cases[i].version) != cases[i].in)
			fail_msg("'%s' in '%s' should be %s", cases[i].version, cases[i].spec,
				 cases[i].in ? "true" : "false");
		pep440_spec_free(s);
	}
	assert_false(pep440_spec_contains(NULL, "1.0"));
}

static void test_op_eval(void **state)
{
	static const struct {
		const char *v, *op, *other;
		int r;
	} cases[] = {
		{ "3.8", "<", "3.10", 1 },
		{ "3.10", ">", "3.9", 1 },
		{ "3.8", "!=", "3.8.0", 0 },
		{ "3.8.1", "!=", "3.8.*", 0 },
		{ "3.9", "!=", "3.8.*", 1 },
		{ "2.2.1", "~=", "2.2", 1 },
		{ "3.0", "~=", "2.2", 0 },
		{ "2.2.9", "~=", "2.2.1", 1 },
		{ "2.3", "~=", "2.2.1", 0 },
		{ "2.2", "~=", "2", 0 },               /* ~= needs two release parts */
		{ "1.0", "===", "1.0", 1 },
		{ "1.0", "===", "1.0.0", 0 },
		{ "3.13.0rc1", "<", "3.13", 0 },
		{ "x", "<", "3.13", -1 },
		{ "3.13", "<", "y", -1 },
		{ "1.0", "<>", "1.0", -1 },
		{ "1.0", ">=", "1.0+local", -1 },
		{ "1.0", "==", "1.0a1.*", -1 },
		{ NULL, "==", "1.0", -1 },
	};

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		int r = pep440_op_eval(cases[i].v, cases[i].op, cases[i].other);
		if (r != cases[i].r)
			fail_msg("'%s' %s '%s': %d, expected %d", cases[i].v ? cases[i].v : "(null)",
				 cases[i].op, cases[i].other, r, cases[i].r);
	}
}

static void test_op_str(void **state)
{
	(void)state;
	assert_string_equal(pep440_op_str(PEP440_EQ), "==");
	assert_string_equal(pep440_op_str(PEP440_NE), "!=");
	assert_string_equal(pep440_op_str(PEP440_LT), "<");
	assert_string_equal(pep440_op_str(PEP440_LE), "<=");
	assert_string_equal(pep440_op_str(PEP440_GT), ">");
	assert_string_equal(pep440_op_str(PEP440_GE), ">=");
}

static bool overlaps(const char *a, const char *b)
{
	struct ed_parse_err e;
	struct pep440_spec *sa = a ? pep440_spec_parse(a, strlen(a), &e) : NULL;
	struct pep440_spec *sb = b ? pep440_spec_parse(b, strlen(b), &e) : NULL;
	bool r;

	assert_true(!a || sa);
	assert_true(!b || sb);
	r = pep440_spec_overlaps(sa, sb);
	assert_true(r == pep440_spec_overlaps(sb, sa)); /* symmetric */
	pep440_spec_free(sa);
	pep440_spec_free(sb);
	return r;
}

static void test_overlaps(void **state)
{
	(void)state;
	assert_true(overlaps(">=11", ">=12,<13"));
	assert_true(overlaps(">=12,<13", ">=12.4"));
	assert_false(overlaps("<12", ">=12"));
	assert_false(overlaps(">=11,<12", ">=12,<13"));
	assert_true(overlaps("<=12", ">=12"));       /* exactly 12 */
	assert_false(overlaps("<12", ">12"));
	assert_false(overlaps("<=12", ">12"));
	assert_true(overlaps("==12.*", ">=12.4,<12.5"));
	assert_false(overlaps("==12.*", ">=13"));
	assert_true(overlaps("==12.*", "<12.0.1"));
	assert_false(overlaps("==11.8", ">=12"));
	assert_true(overlaps("==12.4", ">=12,<13"));
	assert_true(overlaps("==12.0", "==12"));      /* 12 == 12.0 */
	assert_true(overlaps(NULL, "<12"));
	assert_true(overlaps(NULL, NULL));
	assert_false(overlaps(">=9", "<9"));
	assert_true(overlaps(">=9.1,>=9,<10", ">=9,<10"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_equal),
		cmocka_unit_test(test_cmp_garbage),
		cmocka_unit_test(test_spec_parse),
		cmocka_unit_test(test_spec_clause_fields),
		cmocka_unit_test(test_spec_errors),
		cmocka_unit_test(test_contains),
		cmocka_unit_test(test_op_eval),
		cmocka_unit_test(test_overlaps),
		cmocka_unit_test(test_op_str),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
