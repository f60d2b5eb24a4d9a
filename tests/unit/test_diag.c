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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_linecol_counts_characters),
		cmocka_unit_test(test_diag_print_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
