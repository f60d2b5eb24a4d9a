/* The helpers every module shares: strbuf, ALLOC_GROW, the OOM path. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extdeps/util/diag.h"
#include "extdeps/util/strbuf.h"
#include "extdeps/util/strindex.h"
#include "extdeps/util/util.h"

static void test_strbuf_builds(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	char *s;

	assert_string_equal(strbuf_str(&sb), "");
	strbuf_addstr(&sb, "dep:");
	strbuf_add(&sb, "generic/xyz", 7);
	strbuf_addch(&sb, '@');
	strbuf_addf(&sb, ">=%d.%s", 3, "26");
	assert_int_equal(sb.len, strlen("dep:generic@>=3.26"));
	assert_string_equal(strbuf_str(&sb), "dep:generic@>=3.26");
	strbuf_reset(&sb);
	assert_string_equal(strbuf_str(&sb), "");
	for (int i = 0; i < 1000; i++)
		strbuf_addf(&sb, "%03d", i % 1000);
	assert_int_equal(sb.len, 3000);
	assert_memory_equal(sb.buf + 2997, "999", 3);
	s = strbuf_detach(&sb);
	assert_non_null(s);
	assert_int_equal(strlen(s), 3000);
	assert_null(sb.buf);
	assert_int_equal(sb.len, 0);
	free(s);
}

/* Shell words: plain where the shell reads them as they are, else
 * single-quoted with ' as '\''; the empty word quoted. */
static void test_strbuf_sh_words(void **state)
{
	static const char *const cases[][2] = {
		{ "libxml2-dev", "libxml2-dev" },
		{ "--mirror=http://127.0.0.1:8080/debian", "--mirror=http://127.0.0.1:8080/debian" },
		{ "", "''" },
		{ "a b", "'a b'" },
		{ "$HOME", "'$HOME'" },
		{ "it's", "'it'\\''s'" },
		{ "x;rm", "'x;rm'" },
		{ "*", "'*'" },
	};
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		strbuf_reset(&sb);
		strbuf_add_sh_word(&sb, cases[i][0]);
		assert_string_equal(strbuf_str(&sb), cases[i][1]);
	}
	strbuf_reset(&sb);
	strbuf_add_sh_quoted(&sb, "plain");
	assert_string_equal(strbuf_str(&sb), "'plain'");
	strbuf_release(&sb);
}

static void test_strbuf_detach_empty_and_oom(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	char *s = strbuf_detach(&sb);

	assert_non_null(s);
	assert_string_equal(s, "");
	free(s);
	/* after a failed allocation appends are ignored and detach says so */
	strbuf_addstr(&sb, "kept");
	sb.oom = true;
	strbuf_addstr(&sb, " ignored");
	assert_string_equal(strbuf_str(&sb), "kept");
	assert_null(strbuf_detach(&sb));
	assert_null(sb.buf);
	strbuf_release(&sb);
}

static void test_alloc_grow_amortised(void **state)
{
	int *v = NULL;
	size_t n = 0, cap = 0, reallocs = 0, last_cap = 0;

	for (int i = 0; i < 100000; i++) {
		assert_true(ALLOC_GROW(v, n + 1, cap));
		if (cap != last_cap)
			reallocs++, last_cap = cap;
		v[n++] = i;
	}
	for (int i = 0; i < 100000; i++)
		assert_int_equal(v[i], i);
	/* growth by half again: about log1.5(100000 / 8) reallocations */
	assert_true(reallocs < 40);
	assert_true(cap >= n);
	/* room already there: nothing changes */
	int *before = v;
	assert_true(ALLOC_GROW(v, 10, cap));
	assert_ptr_equal(v, before);
	/* a size that cannot be allocated leaves the array as it was */
	assert_false(ALLOC_GROW(v, SIZE_MAX / 2, cap));
	assert_ptr_equal(v, before);
	assert_true(cap >= n);
	free(v);
}

static void test_oom_diag(void **state)
{
	struct ed_diag d;

	ed_diag_clear(&d);
	assert_int_equal(ed_diag_oom(&d), ED_EXIT_ENV);
	assert_int_equal(d.status, ED_EXIT_ENV);
	assert_string_equal(d.msg, "out of memory");
	assert_int_equal(ed_diag_oom(NULL), ED_EXIT_ENV);
}

/* Keys are found with their first value, across the growth of the table;
 * absent keys are not. */
static void test_strindex(void **state)
{
	struct strindex ix = STRINDEX_INIT;
	char (*keys)[16] = calloc(20000, sizeof *keys);
	size_t v;

	(void)state;
	assert_non_null(keys);
	assert_false(strindex_get(&ix, "x", &v));
	for (size_t i = 0; i < 20000; i++) {
		snprintf(keys[i], sizeof keys[i], "k%zu", i);
		assert_true(strindex_put(&ix, keys[i], i));
	}
	assert_true(strindex_put(&ix, "k7", 99)); /* the first value stays */
	assert_int_equal(ix.n, 20000);
	for (size_t i = 0; i < 20000; i++) {
		assert_true(strindex_get(&ix, keys[i], &v));
		assert_int_equal(v, i);
	}
	assert_false(strindex_get(&ix, "k20000", NULL));
	assert_false(strindex_get(&ix, "", NULL));
	strindex_fini(&ix);
	assert_false(strindex_get(&ix, "k1", NULL));
	free(keys);
}

/* util_nearest's rule computed the long way: the first candidate at the
 * least full edit distance, when within a third of WORD (at least 2). */
static const char *nearest_by_hand(const char *word, const char *const *cand, size_t n)
{
	size_t limit = strlen(word) / 3 < 2 ? 2 : strlen(word) / 3, best_d = (size_t)-1;
	const char *best = NULL;

	for (size_t i = 0; i < n; i++)
		if (util_edit_distance(word, cand[i]) < best_d) {
			best_d = util_edit_distance(word, cand[i]);
			best = cand[i];
		}
	return best_d <= limit ? best : NULL;
}

/* util_nearest cuts distances short past what can matter; what it finds is
 * what the whole computation finds (ties: the first), over names of every
 * length apart. */
static void test_nearest_bounded(void **state)
{
	static const char *const cand[] = {
		"openblas", "openssl", "zlib", "z3", "lz4", "libxml2", "libxslt", "hdf5",
		"qt5", "qt6", "gdal", "geos", "proj", "blas", "lapack", "cuda", "cudnn",
		"ninja", "cmake", "meson", "zstd", "xz", "bzip2", "openmp", "open-mpi",
		"a-very-long-name-of-a-library", "a-very-long-name-of-a-librarian", "zlib",
	};
	static const char *const words[] = {
		"openbla", "opnessl", "zlb", "z", "z0", "z12", "lz", "libxml", "libxsl",
		"hdf", "qt7", "gdl", "cud", "cudann", "ninj", "cmak", "mesn", "zst", "x",
		"bzip", "openpm", "openmpi", "a-very-long-name-of-a-libra", "a-very-long-name",
		"zlib", "", "q", "completely-unrelated-name",
	};
	size_t n = sizeof cand / sizeof *cand;

	(void)state;
	for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
		const char *want = nearest_by_hand(words[i], cand, n), *got;

		got = util_nearest(words[i], cand, n);
		/* the prefix rule applies only where no distance does */
		if (want)
			assert_ptr_equal(got, want);
	}
	assert_int_equal(util_edit_distance("", "abc"), 3);
	assert_int_equal(util_edit_distance("abc", "abc"), 0);
	assert_int_equal(util_edit_distance("flaw", "lawn"), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strbuf_builds),
		cmocka_unit_test(test_strbuf_sh_words),
		cmocka_unit_test(test_strbuf_detach_empty_and_oom),
		cmocka_unit_test(test_alloc_grow_amortised),
		cmocka_unit_test(test_oom_diag),
		cmocka_unit_test(test_strindex),
		cmocka_unit_test(test_nearest_bounded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
