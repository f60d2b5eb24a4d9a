/* Unit tests for depurl.c: components, normalisation, legacy forms, errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "extdeps/read/depurl.h"

#define N(a) (sizeof(a) / sizeof *(a))

static struct depurl *parse_ok(const char *text)
{
	struct ed_parse_err err = { 0 };
	struct depurl *d = depurl_parse(text, strlen(text), &err);

	if (!d)
		fail_msg("'%s' did not parse: %zu: %s", text, err.offset, err.msg);
	return d;
}

/* Input, canonical text (depurl_str), id, legacy, aliased. */
static void test_canonical(void **state)
{
	static const struct {
		const char *in, *str, *id;
		bool legacy, aliased;
	} cases[] = {
		{ "dep:generic/zlib", "dep:generic/zlib", "dep:generic/zlib", false, false },
		{ "DEP:Generic/zlib", "dep:generic/zlib", "dep:generic/zlib", false, false },
		{ "dep://generic/zlib", "dep:generic/zlib", "dep:generic/zlib", false, false },
		{ "dep:generic/openssl@>=3", "dep:generic/openssl@>=3", "dep:generic/openssl",
		  false, false },
		{ "dep:generic/openssl@%3E%3D3", "dep:generic/openssl@>=3", "dep:generic/openssl",
		  false, false },
		{ "dep:generic/openssl@3.0.1", "dep:generic/openssl@==3.0.1",
		  "dep:generic/openssl", false, false },
		{ "dep:virtual/compiler/c", "dep:virtual/compiler/c", "dep:virtual/compiler/c",
		  false, false },
		{ "dep:virtual/compiler/c@>=11,<13", "dep:virtual/compiler/c@>=11,<13",
		  "dep:virtual/compiler/c", false, false },
		{ "dep:virtual/compiler/cpp", "dep:virtual/compiler/cxx", "dep:virtual/compiler/cxx",
		  false, true },
		{ "dep:virtual/Compiler/CPP", "dep:virtual/compiler/cxx",
		  "dep:virtual/compiler/cxx", false, true },
		{ "dep:virtual/interface/blas", "dep:virtual/interface/blas",
		  "dep:virtual/interface/blas", false, false },
		{ "pkg:generic/zlib", "dep:generic/zlib", "dep:generic/zlib", true, false },
		{ "pkg:virtual/compiler/c", "dep:virtual/compiler/c", "dep:virtual/compiler/c",
		  true, false },
		{ "virtual:compiler/c", "dep:virtual/compiler/c", "dep:virtual/compiler/c", true,
		  false },
		{ "virtual:interface/blas", "dep:virtual/interface/blas",
		  "dep:virtual/interface/blas", true, false },
		{ "virtual:compiler/cpp", "dep:virtual/compiler/cxx", "dep:virtual/compiler/cxx",
		  true, true },
		{ "dep:pypi/Django_REST", "dep:pypi/django-rest", "dep:pypi/django-rest", false,
		  false },
		{ "dep:github/NumPy/NumPy@1.26", "dep:github/numpy/numpy@==1.26",
		  "dep:github/numpy/numpy", false, false },
		{ "dep:conda/conda-forge/LibBLAS", "dep:conda/conda-forge/LibBLAS",
		  "dep:conda/conda-forge/LibBLAS", false, false },
		{ "dep:deb/debian/LibSSL-Dev?arch=amd64", "dep:deb/debian/libssl-dev?arch=amd64",
		  "dep:deb/debian/libssl-dev", false, false },
		{ "dep:rpm/fedora/openssl-devel?ARCH=x86_64&distro=fedora-41",
		  "dep:rpm/fedora/openssl-devel?arch=x86_64&distro=fedora-41",
		  "dep:rpm/fedora/openssl-devel", false, false },
		{ "dep:generic/x?b=2&a=1", "dep:generic/x?a=1&b=2", "dep:generic/x", false, false },
		{ "dep:generic/x?a=&b=2", "dep:generic/x?b=2", "dep:generic/x", false, false },
		{ "dep:generic/x?", "dep:generic/x", "dep:generic/x", false, false },
		{ "dep:generic/x?url=https://e.org/a%20b", "dep:generic/x?url=https://e.org/a%20b",
		  "dep:generic/x", false, false },
		{ "dep:generic/x#/lib/", "dep:generic/x#lib", "dep:generic/x", false, false },
		{ "dep:generic/x#a//b", "dep:generic/x#a/b", "dep:generic/x", false, false },
		{ "dep:generic/x#", "dep:generic/x", "dep:generic/x", false, false },
		{ "dep:generic/x%20y", "dep:generic/x%20y", "dep:generic/x%20y", false, false },
		{ "dep:generic/x%2Fy", "dep:generic/x%2Fy", "dep:generic/x%2Fy", false, false },
		{ "dep:npm/%40angular/core", "dep:npm/%40angular/core", "dep:npm/%40angular/core",
		  false, false },
		{ "dep:golang/github.com/gorilla/context", "dep:golang/github.com/gorilla/context",
		  "dep:golang/github.com/gorilla/context", false, false },
		{ "dep:generic/cuda@==12.*", "dep:generic/cuda@==12.*", "dep:generic/cuda", false,
		  false },
		{ "dep:generic/x@>=1.0?a=1#sub/dir", "dep:generic/x@>=1.0?a=1#sub/dir",
		  "dep:generic/x", false, false },
		{ "dep:c++/x", "dep:c++/x", "dep:c++/x", false, false },
	};

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		struct depurl *d = parse_ok(cases[i].in);
		char *s = depurl_str(d);
		assert_non_null(s);
		if (strcmp(s, cases[i].str))
			fail_msg("'%s' printed as '%s', expected '%s'", cases[i].in, s, cases[i].str);
		assert_string_equal(d->id, cases[i].id);
		assert_int_equal(d->legacy, cases[i].legacy);
		assert_int_equal(d->aliased, cases[i].aliased);
		free(s);
		depurl_free(d);
	}
	depurl_free(NULL);
	assert_null(depurl_str(NULL));
}

static void test_components(void **state)
{
	struct depurl *d;

	(void)state;
	d = parse_ok("dep:virtual/compiler/c@>=11,<13");
	assert_string_equal(d->type, "virtual");
	assert_string_equal(d->namespace, "compiler");
	assert_string_equal(d->name, "c");
	assert_string_equal(d->version, ">=11,<13");
	assert_non_null(d->spec);
	assert_int_equal(d->spec->count, 2);
	assert_true(pep440_spec_contains(d->spec, "12"));
	assert_false(pep440_spec_contains(d->spec, "13"));
	assert_null(d->qualifiers);
	assert_int_equal(d->nqualifiers, 0);
	assert_null(d->subpath);
	depurl_free(d);

	d = parse_ok("dep:generic/zlib");
	assert_null(d->namespace);
	assert_null(d->version);
	assert_null(d->spec);
	depurl_free(d);

	d = parse_ok("dep:generic/openssl@%3E%3D3%2C%3C4");
	assert_string_equal(d->version, ">=3,<4");
	assert_int_equal(d->spec->count, 2);
	depurl_free(d);
}

static void test_components_decoded(void **state)
{
	struct depurl *d;

	(void)state;
	d = parse_ok("dep:Maven/org.apache%2Dx/grp/Batik?Z=last&a=%C3%A9t%C3%A9#src/%41");
	assert_string_equal(d->type, "maven");
	assert_string_equal(d->namespace, "org.apache-x/grp");
	assert_string_equal(d->name, "Batik");
	assert_int_equal(d->nqualifiers, 2);
	assert_string_equal(d->qualifiers[0].key, "a");
	assert_string_equal(d->qualifiers[0].value, "\xc3\xa9t\xc3\xa9");
	assert_string_equal(d->qualifiers[1].key, "z");
	assert_string_equal(d->qualifiers[1].value, "last");
	assert_string_equal(d->subpath, "src/A");
	char *s = depurl_str(d);
	assert_string_equal(s, "dep:maven/org.apache-x/grp/Batik?a=%C3%A9t%C3%A9&z=last#src/A");
	free(s);
	depurl_free(d);

	/* LEN bounds the text */
	struct ed_parse_err err = { 0 };
	d = depurl_parse("dep:generic/zlib; sys_platform == 'linux'", 16, &err);
	assert_non_null(d);
	assert_string_equal(d->id, "dep:generic/zlib");
	depurl_free(d);
}

static void test_errors(void **state)
{
	static const struct {
		const char *in;
		size_t offset;
		const char *msg;
	} cases[] = {
		{ "", 0, "expected 'dep:' scheme" },
		{ "generic/zlib", 0, "expected 'dep:' scheme" },
		{ "zlib", 0, "expected 'dep:' scheme" },
		{ "https://x.org/zlib", 0, "expected 'dep:' scheme, not 'https:'" },
		{ "dep:", 4, "expected a type such as 'generic' or 'virtual' after 'dep:'" },
		{ "dep:generic", 11, "expected '/' and a name after type 'generic'" },
		{ "dep:generic/", 12, "expected a name after 'dep:generic/'" },
		{ "dep:generic/zlib/", 17, "expected a name after 'dep:generic/zlib/'" },
		{ "dep:generic/@1.0", 12, "expected a name after 'dep:generic/'" },
		{ "dep:generic/zlib>=1.2", 16, "'>' in a name; a version is written after '@', as in 'dep:generic/zlib@>=1.2'" },
		{ "dep:1gen/x", 4, "type '1gen' must start with a letter" },
		{ "dep:ge_n/x", 6, "invalid character '_' in type 'ge_n'" },
		{ "dep:ge%6E/x", 6, "invalid character '%' in type 'ge%6E'" },
		{ "dep:generic/zl ib", 14, "whitespace is not allowed in a DepURL" },
		{ " dep:generic/zlib", 0, "whitespace is not allowed in a DepURL" },
		{ "dep:generic/zlib@>= 3", 19, "whitespace is not allowed in a DepURL" },
		{ "dep:generic/z\x01", 13, "control character in a DepURL" },
		{ "dep:generic/z\xc3\xa9", 13,
		  "non-ASCII character in a DepURL; percent-encode it as UTF-8" },
		{ "dep:virtual/compilers/c", 12,
		  "unknown virtual namespace 'compilers'; expected 'compiler' or 'interface'" },
		{ "dep:virtual/compiler/gnu/c", 12,
		  "unknown virtual namespace 'compiler/gnu'; expected 'compiler' or 'interface'" },
		{ "dep:virtual/c", 12,
		  "a virtual DepURL needs a namespace: 'compiler' or 'interface'" },
		{ "virtual:blas", 8, "a virtual DepURL needs a namespace: 'compiler' or 'interface'" },
		{ "virtual:interfaces/blas", 8,
		  "unknown virtual namespace 'interfaces'; expected 'compiler' or 'interface'" },
		{ "dep:generic/z%zzlib", 13, "invalid percent-encoding '%zz'" },
		{ "dep:generic/zlib%4", 16, "invalid percent-encoding '%4'" },
		{ "dep:generic/zlib%", 16, "invalid percent-encoding '%'" },
		{ "dep:generic/z%00", 13, "'%00' is not allowed in a DepURL" },
		{ "dep:github/a%2Fb/c", 12, "an encoded '/' is not allowed in a namespace segment" },
		{ "dep:github//c", 11, "empty namespace segment" },
		{ "dep:generic/x@", 13, "expected a version specifier after '@'" },
		{ "dep:generic/x@!=3", 14,
		  "operator '!=' is not allowed; use one of '>=', '>', '<', '<=', '=='" },
		{ "dep:generic/x@>=3,~=4", 18,
		  "operator '~=' is not allowed; use one of '>=', '>', '<', '<=', '=='" },
		{ "dep:generic/x@%3E%3D3%2C%7E%3D4", 24,
		  "operator '~=' is not allowed; use one of '>=', '>', '<', '<=', '=='" },
		{ "dep:generic/x@>=abc", 14, "invalid version 'abc'" },
		{ "dep:generic/x@%zz", 14, "invalid percent-encoding '%zz'" },
		{ "dep:generic/x?a", 14, "expected 'key=value' in qualifier 'a'" },
		{ "dep:generic/x?=1", 14, "empty qualifier key" },
		{ "dep:generic/x?a=1&&b=2", 18, "empty qualifier; expected 'key=value'" },
		{ "dep:generic/x?1a=1", 14, "qualifier key '1a' must not start with a digit" },
		{ "dep:generic/x?a%62=1", 15, "invalid character '%' in qualifier key" },
		{ "dep:generic/x?a=1&A=2", 18, "duplicate qualifier 'A'" },
		{ "dep:generic/x?a=1?b", 17, "'?' must be percent-encoded as '%3F' in qualifiers" },
		{ "dep:generic/x?a=%g0", 16, "invalid percent-encoding '%g0'" },
		{ "dep:generic/x#a#b", 15, "'#' must be percent-encoded as '%23' in a subpath" },
		{ "dep:generic/x#a/../b", 16, "'..' is not allowed in a subpath" },
		{ "dep:generic/x#./b", 14, "'.' is not allowed in a subpath" },
		{ "dep:generic/x#a/%2E%2E", 16, "'..' is not allowed in a subpath" },
		{ "dep:generic/x#a%2Fb", 15, "an encoded '/' is not allowed in a subpath segment" },
	};

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		struct ed_parse_err err = { 0 };
		struct depurl *d = depurl_parse(cases[i].in, strlen(cases[i].in), &err);
		if (d)
			fail_msg("'%s' parsed", cases[i].in);
		if (strcmp(err.msg, cases[i].msg) || err.offset != cases[i].offset)
			fail_msg("'%s': got %zu '%s', expected %zu '%s'", cases[i].in, err.offset,
				 err.msg, cases[i].offset, cases[i].msg);
	}
	/* NULL text is an empty one */
	struct ed_parse_err err = { 0 };
	assert_null(depurl_parse(NULL, 5, &err));
	assert_string_equal(err.msg, "expected 'dep:' scheme");
	/* ERR may be NULL */
	assert_null(depurl_parse("x", 1, NULL));
}

/* The canonical text parses back to itself, as the same DepURL. A name
 * keeps the characters a name must not hold unencoded ('~', which the
 * fuzzer found printed as "dep:generic/a~") encoded. */
static void test_roundtrip(void **state)
{
	static const char *const inputs[] = {
		"dep:generic/x%20y@>=1,<2?k=a%26b&z=%3F#a%23b/c",
		"pkg:deb/Debian/Curl@7.50.3?arch=i386&distro=jessie",
		"virtual:compiler/cpp@>=2014",
		"dep:generic/n%40me?u=https://a.b/c%3Fd",
		"dep:generic/a%7e",
		"dep:generic/a%7E%3C%3D%3E%21b@<3",
		"dep:github/o~w/n%7en?q=~#~/x",
	};

	(void)state;
	for (size_t i = 0; i < N(inputs); i++) {
		struct depurl *d = parse_ok(inputs[i]);
		char *s = depurl_str(d);
		struct depurl *d2 = parse_ok(s);
		char *s2 = depurl_str(d2);
		assert_string_equal(s, s2);
		assert_string_equal(d->id, d2->id);
		assert_string_equal(d->name, d2->name);
		assert_true(depurl_same(d, d2));
		free(s);
		free(s2);
		depurl_free(d);
		depurl_free(d2);
	}
}

/* A name with '~' prints it encoded; depurl_same tells DepURLs apart by
 * every part and not by how they were written. */
static void test_tilde_and_same(void **state)
{
	struct depurl *a = parse_ok("dep:generic/a%7e"), *b, *c;
	char *s = depurl_str(a);

	(void)state;
	assert_string_equal(s, "dep:generic/a%7E");
	assert_string_equal(a->id, "dep:generic/a%7E");
	b = parse_ok(s);
	assert_string_equal(b->name, "a~");
	assert_true(depurl_same(a, b));
	c = parse_ok("dep:generic/a%7e@1.0");
	assert_false(depurl_same(a, c));
	depurl_free(c);
	c = parse_ok("pkg:generic/a%7E");
	assert_true(depurl_same(a, c));
	depurl_free(c);
	c = parse_ok("dep:generic/a%7E?x=1");
	assert_false(depurl_same(a, c));
	depurl_free(c);
	free(s);
	depurl_free(a);
	depurl_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_canonical),
		cmocka_unit_test(test_components),
		cmocka_unit_test(test_components_decoded),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_tilde_and_same),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
