/* The output object: escaping streams keep control characters off the
 * terminal, our own colour passes while colour is on, and everything
 * reaches the stream below. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extdeps/render/out.h"

/* What printing TEXT through an escaping stream leaves below it. */
static char *through(const char *text, bool split, enum out_color_mode color)
{
	struct out o;
	char *buf = NULL;
	size_t len = 0;
	FILE *below = open_memstream(&buf, &len);

	assert_non_null(below);
	out_init(&o, below, stderr, color);
	assert_true(out_escape(&o));
	assert_true(o.escaping);
	if (split) {
		/* byte by byte, flushed each time: sequences cut anywhere */
		for (const char *p = text; *p; p++) {
			fputc(*p, o.out);
			fflush(o.out);
		}
	} else {
		fputs(text, o.out);
	}
	assert_int_equal(out_close(&o), 0);
	assert_ptr_equal(o.out, below);
	assert_int_equal(fclose(below), 0);
	return buf;
}

struct escape_case {
	const char *in, *want;
};

/* Each of CASES (N) through a stream of colour COLOR, whole and cut
 * anywhere, gives its WANT. */
static void check_cases(const struct escape_case *cases, size_t n, enum out_color_mode color)
{
	for (size_t i = 0; i < n; i++) {
		for (int split = 0; split < 2; split++) {
			char *got = through(cases[i].in, split, color);

			assert_string_equal(got, cases[i].want);
			free(got);
		}
	}
}

static void test_escape(void **state)
{
	static const struct escape_case cases[] = {
		{ "plain text\n\tindented\n", "plain text\n\tindented\n" },
		{ "title \033]0;pwned\007 here\n", "title \\x1b]0;pwned\\x07 here\n" },
		{ "clear \033[2J\033[H\n", "clear \\x1b[2J\\x1b[H\n" },
		/* colour is off: any colour sequence came from the data */
		{ "\033[1mbold\033[0m\n", "\\x1b[1mbold\\x1b[0m\n" },
		{ "cr\rdel\177bell\a\n", "cr\\x0ddel\\x7fbell\\x07\n" },
		{ "csi8 \xc2\x9b" "2J, é and \xc2\xa0\n", "csi8 \\u009b2J, é and \xc2\xa0\n" },
		{ "ends in an escape \033", "ends in an escape \\x1b" },
		{ "ends in \033[3", "ends in \\x1b[3" },
		{ "lead \xc2", "lead \xc2" },
	};

	(void)state;
	check_cases(cases, sizeof cases / sizeof *cases, OUT_COLOR_NEVER);
}

/* With colour on, the sequences out_on() and out_off() give pass; any other
 * (concealed text, black on black, a combined one) is the data's. */
static void test_escape_color(void **state)
{
	static const struct escape_case cases[] = {
		{ "\033[1mbold\033[0m \033[31mred\033[0m \033[2mdim\033[0m\n",
		  "\033[1mbold\033[0m \033[31mred\033[0m \033[2mdim\033[0m\n" },
		{ "\033[8mhidden\033[m\n", "\\x1b[8mhidden\\x1b[m\n" },
		{ "\033[30;40mblack\033[0m\n", "\\x1b[30;40mblack\033[0m\n" },
		{ "\033[31;1mred\n", "\\x1b[31;1mred\n" },
		{ "title \033]0;pwned\007\n", "title \\x1b]0;pwned\\x07\n" },
	};
	struct out o;

	(void)state;
	check_cases(cases, sizeof cases / sizeof *cases, OUT_COLOR_ALWAYS);
	/* and what out_on() gives is what passes */
	out_init(&o, stdout, stderr, OUT_COLOR_ALWAYS);
	for (int p = OUT_BOLD; p <= OUT_DIM; p++) {
		char *got = through(out_on(&o, (enum out_paint)p), false, OUT_COLOR_ALWAYS);

		assert_string_equal(got, out_on(&o, (enum out_paint)p));
		free(got);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_escape_color),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
