#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "extdeps/toml.h"

static struct toml_doc *parse(const char *text, struct ed_diag *d)
{
	ed_diag_clear(d);
	return toml_parse(text, strlen(text), "t.toml", d);
}

/* The document is rejected at LINE:COL with a message containing PART. */
static void rejects(const char *text, int line, int col, const char *part)
{
	struct ed_diag d;
	struct toml_doc *doc = parse(text, &d);

	if (doc)
		fail_msg("accepted: %s", text);
	assert_int_equal(d.status, ED_EXIT_INPUT);
	assert_string_equal(d.file, "t.toml");
	if (!strstr(d.msg, part))
		fail_msg("message '%s' lacks '%s' for: %s", d.msg, part, text);
	if (d.line != line || d.col != col)
		fail_msg("%s: at %d:%d, expected %d:%d (%s)", text, d.line, d.col, line, col, d.msg);
}

static void test_positions(void **state)
{
	struct ed_diag d;
	struct toml_doc *doc = parse("# c\n[tool]\n  name = \"x\"\n\xc3\xa9t\xc3\xa9 = 1\n"
				     "arr = [\n  1,\n  {a = 2},\n]\n", &d);
	const struct toml_table *root, *tool;
	const struct toml_keyval *kv;
	const struct toml_value *arr;

	assert_non_null(doc);
	root = toml_doc_root(doc);
	tool = toml_table_get(root, "tool")->u.table;
	kv = toml_table_find(tool, "name");
	assert_int_equal(kv->keypos.line, 3);
	assert_int_equal(kv->keypos.col, 3);
	assert_int_equal(kv->value.pos.line, 3);
	assert_int_equal(kv->value.pos.col, 10);
	assert_null(toml_table_find(tool, "\xc3\xa9t\xc3\xa9"));
	assert_null(toml_table_get(root, "arr"));
	assert_int_equal(tool->count, 3);
	arr = toml_table_get(tool, "arr");
	assert_int_equal(arr->type, TOML_ARRAY);
	assert_int_equal(arr->u.array->count, 2);
	assert_int_equal(arr->u.array->items[1].pos.line, 7);
	assert_int_equal(arr->u.array->items[1].pos.col, 3);
	toml_doc_free(doc);
}

static void test_values(void **state)
{
	struct ed_diag d;
	struct toml_doc *doc = parse("i = -0x0\nh = 0xff\nb = 0b11\nf = 1_0.5e-1\nn = -nan\n"
				     "s = \"a\\u0000b\"\nt = 07:08:09.123\nz = 2024-02-29T23:59:60-00:30\n",
				     &d);
	const struct toml_table *r;

	/* -0x0 is invalid: hexadecimal takes no sign */
	assert_null(doc);
	assert_int_equal(d.line, 1);
	doc = parse("h = 0xff\nb = 0b11\nf = 1_0.5e-1\nn = -nan\n"
		    "s = \"a\\u0000b\"\nt = 07:08:09.123\nz = 2024-02-29T23:59:60-00:30\n",
		    &d);
	assert_non_null(doc);
	r = toml_doc_root(doc);
	assert_int_equal(toml_table_get(r, "h")->u.integer, 255);
	assert_int_equal(toml_table_get(r, "b")->u.integer, 3);
	assert_true(fabs(toml_table_get(r, "f")->u.fp - 1.05) < 1e-12);
	assert_true(isnan(toml_table_get(r, "n")->u.fp));
	assert_int_equal(toml_table_get(r, "s")->u.str.len, 3);
	assert_memory_equal(toml_table_get(r, "s")->u.str.ptr, "a\0b", 3);
	assert_int_equal(toml_table_get(r, "t")->type, TOML_TIME_LOCAL);
	assert_string_equal(toml_table_get(r, "t")->u.dt.frac, "123");
	assert_int_equal(toml_table_get(r, "z")->type, TOML_DATETIME);
	assert_int_equal(toml_table_get(r, "z")->u.dt.offset_minutes, -30);
	toml_doc_free(doc);
}

static void test_errors(void **state)
{
	rejects("a = 1\na = 2\n", 2, 1, "duplicate key 'a' (first defined at 1:1)");
	rejects("[a]\nb = 1\n[a]\n", 3, 2, "table 'a' is defined twice");
	rejects("[a]\nb.c = 1\n[a.b]\n", 3, 4, "defined twice");
	rejects("a = {b = 1}\n[a.c]\n", 2, 2, "already has a value");
	rejects("a = {b = 1}\na.c = 2\n", 2, 1, "cannot add keys");
	rejects("[a.b]\n[a]\nb.c = 1\n", 3, 1, "cannot add keys to table 'b'");
	rejects("a = []\n[[a]]\n", 2, 3, "static array");
	rejects("[[a]]\n[a]\n", 2, 2, "an array");
	rejects("a = 9223372036854775808\n", 1, 5, "out of range");
	rejects("a = 0x8000000000000000\n", 1, 5, "out of range");
	rejects("a = 012\n", 1, 5, "leading zeros");
	rejects("a = 1__2\n", 1, 6, "underscore");
	rejects("a = 1_\n", 1, 6, "underscore");
	rejects("a = .5\n", 1, 5, "expected a value");
	rejects("a = 5.\n", 1, 6, "digits after the decimal point");
	rejects("a = \"\\q\"\n", 1, 6, "invalid escape");
	rejects("a = \"\\uD800\"\n", 1, 6, "not a Unicode scalar value");
	rejects("a = \"\\U00110000\"\n", 1, 6, "not a Unicode scalar value");
	rejects("a = \"x\x01\"\n", 1, 7, "control character U+0001");
	rejects("a = 1\rb = 2\n", 1, 6, "carriage return");
	rejects("a = \"\xc0\xaf\"\n", 1, 6, "invalid UTF-8");
	rejects("a = \"\xed\xa0\x80\"\n", 1, 6, "invalid UTF-8");
	rejects("a = 2023-02-29\n", 1, 13, "has no day 29");
	rejects("a = 2023-13-01\n", 1, 10, "month 13");
	rejects("a = 24:00:00\n", 1, 5, "out of range");
	rejects("a = 12:30\n", 1, 5, "seconds are required");
	rejects("a = 1979-05-27T07:32:00+24:00\n", 1, 24, "offset");
	rejects("a = {b = 1,\nc = 2}\n", 1, 12, "one line");
	rejects("a = {b = 1,}\n", 1, 12, "trailing comma");
	rejects("a =\n", 1, 4, "expected a value");
	rejects("a b = 1\n", 1, 3, "'=' after a key");
	rejects("a = [1, 2\n", 2, 1, "',' or ']'");
	rejects("a = \"abc\n", 1, 5, "unterminated string");
	rejects("a = \"\"\"abc\n", 1, 5, "unterminated multi-line string");
	rejects("\"\"\"k\"\"\" = 1\n", 1, 1, "multi-line string");
	rejects("a = +0x10\n", 1, 5, "cannot have a sign");
	rejects("a = 1 b = 2\n", 1, 7, "expected the end of the line");
	rejects("a = truex\n", 1, 9, "expected a value");
	rejects("# \x7f\n", 1, 3, "comment");
	rejects("[a\n", 1, 3, "']'");
	rejects("[[a]\n", 1, 5, "']]'");
}

static void test_nesting_limit(void **state)
{
	char text[1024];
	struct ed_diag d;

	memset(text, '[', 600);
	strcpy(text + 600, "\n");
	memmove(text + 4, text, 601);
	memcpy(text, "a = ", 4);
	assert_null(parse(text, &d));
	assert_non_null(strstr(d.msg, "nest deeper"));
}

static void test_redefinition_allowed(void **state)
{
	struct ed_diag d;
	struct toml_doc *doc = parse("[x.y.z]\n[x]\na = 1\n[fruit]\napple.color = 'red'\n"
				     "[fruit.apple.texture]\nsmooth = true\n"
				     "[[p]]\nn = 1\n[p.q]\nm = 2\n[[p]]\nn = 2\n",
				     &d);

	if (!doc)
		fail_msg("%d:%d %s", d.line, d.col, d.msg);
	toml_doc_free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_positions),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_nesting_limit),
		cmocka_unit_test(test_redefinition_allowed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
