#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extdeps/util/diag.h"

static void test_linecol_counts_characters(void **state)
{
	const char text[] = "ab\nc\xc3\xa9" "d";
	int line, col;

	ed_text_linecol(text, sizeof text - 1, 0, &line, &col);
	assert_int_equal(line, 1);
	assert_int_equal(col, 1);
	ed_text_linecol(text, sizeof text - 1, 3, &line, &col);
	assert_int_equal(line, 2);
	assert_int_equal(col, 1);
	/* 'd' follows a two-byte character: byte 6, column 3 */
	ed_text_linecol(text, sizeof text - 1, 6, &line, &col);
	assert_int_equal(line, 2);
	assert_int_equal(col, 3);
}

static void test_diag_print_format(void **state)
{
	struct ed_diag d;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_int_equal(ed_diag_set(&d, ED_EXIT_INPUT, "pyproject.toml", 12, 5,
				     "expected a %s", "string"), ED_EXIT_INPUT);
	ed_diag_print(&d, f);
	ed_diag_set(&d, ED_EXIT_ENV, NULL, 0, 0, "no network");
	ed_diag_print(&d, f);
	fclose(f);
	assert_string_equal(buf, "extdeps: error: pyproject.toml:12:5: expected a string\n"
				 "extdeps: error: no network\n");
	free(buf);
}

/* The first ED_DIAGS_MAX errors are kept in order, the rest counted. */
static void test_diags_limit(void **state)
{
	struct ed_diags l = { 0 };
	struct ed_diag d;

	(void)state;
	assert_int_equal(ed_diags_count(&l), 0);
	for (int i = 1; i <= ED_DIAGS_MAX + 5; i++) {
		ed_diag_set(&d, ED_EXIT_INPUT, "f.toml", i, 1, "error %d", i);
		ed_diags_add(&l, &d);
	}
	assert_int_equal(l.n, ED_DIAGS_MAX);
	assert_int_equal(l.more, 5);
	assert_int_equal(ed_diags_count(&l), ED_DIAGS_MAX + 5);
	assert_string_equal(l.v[0].msg, "error 1");
	assert_int_equal(l.v[ED_DIAGS_MAX - 1].line, ED_DIAGS_MAX);
	ed_diags_fini(&l);
	assert_null(l.v);
	ed_diags_fini(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_linecol_counts_characters),
		cmocka_unit_test(test_diag_print_format),
		cmocka_unit_test(test_diags_limit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
