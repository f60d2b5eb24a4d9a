/* Unit tests of the TOML 1.0 reader: every rule, accepted with the values and
 * positions asserted, rejected with the message and line:col asserted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extdeps/read/toml.h"

/* Parse LEN bytes from an exact-size heap copy, so ASan sees any read past
 * the end (the reader must not rely on a terminating NUL). */
static struct toml_doc *parse_n(const char *text, size_t len, struct ed_diag *d)
{
	char *copy = malloc(len ? len : 1);
	struct toml_doc *doc;

	assert_non_null(copy);
	memcpy(copy, text, len);
	doc = toml_parse(copy, len, "t.toml", d);
	free(copy);
	return doc;
}

static struct toml_doc *parse(const char *text, struct ed_diag *d)
{
	return parse_n(text, strlen(text), d);
}

/* TEXT parses; the document is returned for inspection. */
static struct toml_doc *accepts(const char *text)
{
	struct ed_diag d;
	struct toml_doc *doc = parse(text, &d);

	if (!doc)
		fail_msg("rejected at %d:%d (%s): %s", d.line, d.col, d.msg, text);
	return doc;
}

static void rejects_n(const char *text, size_t len, int line, int col, const char *part)
{
	struct ed_diag d;
	struct toml_doc *doc = parse_n(text, len, &d);

	if (doc) {
		toml_doc_free(doc);
		fail_msg("accepted: %s", text);
	}
	assert_int_equal(d.status, ED_EXIT_INPUT);
	assert_string_equal(d.file, "t.toml");
	if (!strstr(d.msg, part))
		fail_msg("message '%s' lacks '%s' for: %s", d.msg, part, text);
	if (d.line != line || d.col != col)
		fail_msg("%s: at %d:%d, expected %d:%d (%s)", text, d.line, d.col, line, col, d.msg);
}

/* TEXT is rejected at LINE:COL with a message containing PART. */
static void rejects(const char *text, int line, int col, const char *part)
{
	rejects_n(text, strlen(text), line, col, part);
}

/* The value at the dotted PATH of bare keys ("a.b.c") from the root. */
static const struct toml_value *get(const struct toml_doc *doc, const char *path)
{
	const struct toml_table *t = toml_doc_root(doc);
	char buf[256], *part, *save = NULL;
	const struct toml_value *v = NULL;

	snprintf(buf, sizeof buf, "%s", path);
	for (part = strtok_r(buf, ".", &save); part; part = strtok_r(NULL, ".", &save)) {
		if (!t)
			fail_msg("'%s': not a table before '%s'", path, part);
		v = toml_table_get(t, part);
		if (!v)
			fail_msg("'%s': no key '%s'", path, part);
		t = v->type == TOML_TABLE ? v->u.table : NULL;
	}
	return v;
}

static void assert_str(const struct toml_doc *doc, const char *path, const char *want)
{
	const struct toml_value *v = get(doc, path);

	assert_int_equal(v->type, TOML_STRING);
	assert_int_equal(v->u.str.len, strlen(want));
	assert_string_equal(v->u.str.ptr, want);
}

static void assert_int(const struct toml_doc *doc, const char *path, int64_t want)
{
	const struct toml_value *v = get(doc, path);

	assert_int_equal(v->type, TOML_INTEGER);
	if (v->u.integer != want)
		fail_msg("'%s': %lld, expected %lld", path, (long long)v->u.integer, (long long)want);
}

static void assert_float(const struct toml_doc *doc, const char *path, double want)
{
	const struct toml_value *v = get(doc, path);

	assert_int_equal(v->type, TOML_FLOAT);
	if (isnan(want))
		assert_true(isnan(v->u.fp));
	else if (v->u.fp != want || signbit(v->u.fp) != signbit(want))
		fail_msg("'%s': %.17g, expected %.17g", path, v->u.fp, want);
}

static void assert_pos(struct toml_pos pos, int line, int col)
{
	if (pos.line != line || pos.col != col)
		fail_msg("at %d:%d, expected %d:%d", pos.line, pos.col, line, col);
}

/* ---- positions ---- */

static void test_positions(void **state)
{
	struct toml_doc *doc = accepts("# c\n[tool]\n  name = \"x\"\n\"\xc3\xa9t\xc3\xa9\" = 1\n"
				       "arr = [\n  1,\n  {a = 2},\n]\nx.y.z = true\n");
	const struct toml_table *tool = get(doc, "tool")->u.table;
	const struct toml_keyval *kv = toml_table_find(tool, "name");
	const struct toml_value *arr;

	assert_non_null(kv);
	assert_pos(kv->keypos, 3, 3);
	assert_pos(kv->value.pos, 3, 10);
	assert_pos(get(doc, "tool")->pos, 2, 1);
	/* columns count characters: 'é' is two bytes, one column */
	kv = toml_table_find(tool, "\xc3\xa9t\xc3\xa9");
	assert_non_null(kv);
	assert_pos(kv->keypos, 4, 1);
	assert_pos(kv->value.pos, 4, 9);
	assert_null(toml_table_find(toml_doc_root(doc), "arr"));
	arr = toml_table_get(tool, "arr");
	assert_int_equal(arr->type, TOML_ARRAY);
	assert_int_equal(arr->u.array->count, 2);
	assert_pos(arr->pos, 5, 7);
	assert_pos(arr->u.array->items[0].pos, 6, 3);
	assert_pos(arr->u.array->items[1].pos, 7, 3);
	assert_pos(toml_table_find(arr->u.array->items[1].u.table, "a")->value.pos, 7, 8);
	/* a dotted key's position is that of its last part */
	kv = toml_table_find(get(doc, "tool.x.y")->u.table, "z");
	assert_pos(kv->keypos, 9, 5);
	assert_pos(kv->value.pos, 9, 9);
	/* keys stay in document order */
	assert_int_equal(tool->count, 4);
	assert_string_equal(tool->items[0].key, "name");
	assert_string_equal(tool->items[3].key, "x");
	toml_doc_free(doc);

	/* an error after a multi-byte character is counted in characters */
	rejects("a = \"\xc3\xa9\xc3\xa9\" x\n", 1, 10, "expected a newline after value");
	/* CRLF is one line end */
	rejects("a = 1\r\nb = 2\r\nc = \r\n", 3, 5, "expected a value");
}

/* ---- keys ---- */

static void test_keys(void **state)
{
	struct toml_doc *doc = accepts("bare_key-1 = 1\n\"quoted key\" = 2\n'lit\\eral' = 3\n"
				       "\"\" = 4\n1234 = 5\n \"a\" . 'b' .c = 6\ntrue = 7\n"
				       "\"\\u00e9\\n\" = 8\n[x.\"\"]\ny = 9\n");
	const struct toml_table *root = toml_doc_root(doc);

	assert_int(doc, "bare_key-1", 1);
	assert_int(doc, "quoted key", 2);
	assert_int(doc, "lit\\eral", 3);
	assert_int_equal(toml_table_get(root, "")->u.integer, 4);
	assert_int(doc, "1234", 5);
	assert_int(doc, "a.b.c", 6);
	assert_int(doc, "true", 7);
	assert_int_equal(toml_table_get(root, "\xc3\xa9\n")->u.integer, 8);
	assert_int_equal(toml_table_get(toml_table_get(get(doc, "x")->u.table, "")->u.table, "y")
				 ->u.integer,
			 9);
	assert_null(toml_table_get(root, "missing"));
	assert_null(toml_table_find(NULL, "x"));
	toml_doc_free(doc);

	rejects("= 1\n", 1, 1, "expected a key, found '='");
	rejects("a b = 1\n", 1, 3, "expected '=' after key, found 'b'");
	rejects("a\n= 1\n", 1, 2, "expected '=' after key, found end of line");
	rejects("a.=1\n", 1, 3, "expected a key, found '='");
	rejects(".a=1\n", 1, 1, "expected a key, found '.'");
	rejects("\"\"\"k\"\"\" = 1\n", 1, 1, "a multi-line string cannot be a key");
	rejects("\xc3\xa9 = 1\n", 1, 1, "expected a key, found '\xc3\xa9'");
	rejects("a# = 1\n", 1, 2, "expected '=' after key, found '#'");
	rejects("\"a\nb\" = 1\n", 1, 1, "unterminated string");
	rejects("a = 1 b = 2\n", 1, 7, "expected a newline after value, found 'b'");
	rejects("a = b = 1\n", 1, 5, "expected a value, found 'b'");
}

/* ---- strings ---- */

static void test_strings(void **state)
{
	struct toml_doc *doc = accepts(
		"basic = \"tab\\there \\u00e9 \\U0001F600 \\\\ \\\" \\b\\f\\n\\r\"\n"
		"raw_tab = \"a\tb\"\n"
		"lit = 'C:\\path\\n'\n"
		"ml = \"\"\"\nline one \\\n    continued\ntwo quotes \"\" ok\"\"\"\n"
		"ml_crlf = \"\"\"\r\na\r\nb\"\"\"\n"
		"ml_trim = \"\"\"\\\n   \\  \n\n   x\"\"\"\n"
		"ml_one = \"\"\"\"one\"\"\"\"\n"
		"ml_two = \"\"\"\"\"two\"\"\"\"\"\n"
		"mlit = '''\nraw\\n '' \"\"\"'''\n"
		"mlit_end = ''''x'''''\n"
		"empty = \"\"\n"
		"empty_ml = \"\"\"\"\"\"\n"
		"nul = \"a\\u0000b\"\n"
		"hash = \"# not a comment\" # a comment\n");
	const struct toml_value *v;

	assert_str(doc, "basic", "tab\there \xc3\xa9 \xf0\x9f\x98\x80 \\ \" \b\f\n\r");
	assert_str(doc, "raw_tab", "a\tb");
	assert_str(doc, "lit", "C:\\path\\n");
	/* the newline after the opening quotes is trimmed; a line-ending
	 * backslash removes the newline and the indentation after it */
	assert_str(doc, "ml", "line one continued\ntwo quotes \"\" ok");
	assert_str(doc, "ml_crlf", "a\nb");
	assert_str(doc, "ml_trim", "x");
	/* quotes next to the delimiters belong to the content */
	assert_str(doc, "ml_one", "\"one\"");
	assert_str(doc, "ml_two", "\"\"two\"\"");
	assert_str(doc, "mlit", "raw\\n '' \"\"\"");
	assert_str(doc, "mlit_end", "'x''");
	assert_str(doc, "empty", "");
	assert_str(doc, "empty_ml", "");
	assert_str(doc, "hash", "# not a comment");
	v = get(doc, "nul");
	assert_int_equal(v->u.str.len, 3);
	assert_memory_equal(v->u.str.ptr, "a\0b", 4);
	toml_doc_free(doc);

	rejects("a = \"\\q\"\n", 1, 6, "invalid escape '\\q' in string");
	rejects("a = \"\\x41\"\n", 1, 6, "invalid escape '\\x' in string");
	rejects("a = \"\\\xc3\xa9\"\n", 1, 6, "invalid escape '\\\xc3\xa9' in string");
	rejects("a = \"\\uD800\"\n", 1, 6, "escape '\\uD800' is not a Unicode scalar value");
	rejects("a = \"\\uDFFF\"\n", 1, 6, "not a Unicode scalar value");
	rejects("a = \"\\U00110000\"\n", 1, 6, "escape '\\U00110000' is not a Unicode scalar value");
	rejects("a = \"\\u12G4\"\n", 1, 6, "expected 4 hexadecimal digits after '\\u'");
	rejects("a = \"\\U1234\"\n", 1, 6, "expected 8 hexadecimal digits after '\\U'");
	rejects("a = \"x\x01\"\n", 1, 7, "control character U+0001 is not allowed");
	rejects("a = 'x\x7f'\n", 1, 7, "control character U+007F is not allowed");
	rejects("a = \"\"\"x\x1f\"\"\"\n", 1, 9, "control character U+001F");
	rejects("a = \"abc\nd\"\n", 1, 5, "unterminated string");
	rejects("a = 'abc\n", 1, 5, "unterminated string");
	rejects("a = \"abc\\", 1, 9, "unterminated string");
	rejects("a = \"\"\"abc\n", 1, 5, "unterminated multi-line string");
	rejects("a = '''abc''\n", 1, 5, "unterminated multi-line string");
	rejects("a = \"\"\"x\"\"\"\"\"\"\n", 1, 14, "too many quotes at the end of a multi-line string");
	rejects("a = '''x''''''\n", 1, 14, "too many quotes");
	/* a backslash followed by a space but not by the end of the line */
	rejects("a = \"\"\"x \\ y\"\"\"\n", 1, 10, "invalid escape '\\ ' in string");
	rejects("a = \"x\\\ny\"\n", 1, 7, "'\\' at the end of a line is allowed only in multi-line");
	rejects("a = \"x\" \"y\"\n", 1, 9, "expected a newline after value");
}

/* ---- integers ---- */

static void test_integers(void **state)
{
	struct toml_doc *doc = accepts("a = 42\nb = +17\nc = -5\nd = 0\ne = +0\nf = -0\n"
				       "g = 1_000_000\nh = 9223372036854775807\n"
				       "i = -9223372036854775808\nj = 0xDEAD_beef\nk = 0o755\n"
				       "l = 0b1101_0110\nm = 0x7FFFFFFFFFFFFFFF\nn = 0x00\n");

	assert_int(doc, "a", 42);
	assert_int(doc, "b", 17);
	assert_int(doc, "c", -5);
	assert_int(doc, "d", 0);
	assert_int(doc, "e", 0);
	assert_int(doc, "f", 0);
	assert_int(doc, "g", 1000000);
	assert_int(doc, "h", INT64_MAX);
	assert_int(doc, "i", INT64_MIN);
	assert_int(doc, "j", 0xDEADBEEF);
	assert_int(doc, "k", 0755);
	assert_int(doc, "l", 0xD6);
	assert_int(doc, "m", INT64_MAX);
	assert_int(doc, "n", 0);
	toml_doc_free(doc);

	rejects("a = 9223372036854775808\n", 1, 5, "integer '9223372036854775808' is out of range");
	rejects("a = -9223372036854775809\n", 1, 5, "out of range");
	rejects("a = 99999999999999999999999\n", 1, 5, "out of range");
	rejects("a = 0x8000000000000000\n", 1, 5, "out of range");
	rejects("a = 012\n", 1, 5, "leading zeros are not allowed in '012'");
	rejects("a = -01\n", 1, 5, "leading zeros");
	rejects("a = 00\n", 1, 5, "leading zeros");
	rejects("a = 1__2\n", 1, 5, "'_' must be between digits");
	rejects("a = 1_\n", 1, 5, "'_' must be between digits");
	rejects("a = _1\n", 1, 5, "expected a value, found '_'");
	rejects("a = +0x10\n", 1, 5, "hexadecimal integer '+0x10' cannot have a sign");
	rejects("a = -0o7\n", 1, 5, "octal integer '-0o7' cannot have a sign");
	rejects("a = 0X10\n", 1, 5, "invalid number '0X10'");
	rejects("a = 0b102\n", 1, 5, "invalid binary integer '0b102'");
	rejects("a = 0o8\n", 1, 5, "invalid octal integer");
	rejects("a = 0x_1\n", 1, 5, "invalid hexadecimal integer");
	rejects("a = 0x\n", 1, 5, "invalid hexadecimal integer");
	rejects("a = ++1\n", 1, 5, "invalid number '++1'");
	rejects("a = 1x\n", 1, 5, "invalid number '1x'");
}

/* ---- floats ---- */

static void test_floats(void **state)
{
	struct toml_doc *doc = accepts("a = 1.5\nb = -0.01\nc = 5e+22\nd = 1e06\ne = -2E-2\n"
				       "f = 6.626e-34\ng = 224_617.445_991\nh = 1e1_0\ni = inf\n"
				       "j = +inf\nk = -inf\nl = nan\nm = -nan\nn = -0.0\no = 0e0\n"
				       "p = 3.141592653589793\n");

	assert_float(doc, "a", 1.5);
	assert_float(doc, "b", -0.01);
	assert_float(doc, "c", 5e22);
	/* exponents may have leading zeros */
	assert_float(doc, "d", 1e6);
	assert_float(doc, "e", -0.02);
	assert_float(doc, "f", 6.626e-34);
	assert_float(doc, "g", 224617.445991);
	assert_float(doc, "h", 1e10);
	assert_float(doc, "i", INFINITY);
	assert_float(doc, "j", INFINITY);
	assert_float(doc, "k", -INFINITY);
	assert_float(doc, "l", NAN);
	assert_float(doc, "m", NAN);
	assert_float(doc, "n", -0.0);
	assert_float(doc, "o", 0.0);
	assert_float(doc, "p", 3.141592653589793);
	toml_doc_free(doc);

	rejects("a = .5\n", 1, 5, "invalid float '.5': expected a digit before '.'");
	rejects("a = -.5\n", 1, 5, "expected a digit before '.'");
	rejects("a = 5.\n", 1, 5, "invalid float '5.': expected a digit after '.'");
	rejects("a = 1.e5\n", 1, 5, "expected a digit after '.'");
	rejects("a = 1e\n", 1, 5, "invalid float '1e': expected a digit in the exponent");
	rejects("a = 1e+\n", 1, 5, "expected a digit in the exponent");
	rejects("a = 1e_5\n", 1, 5, "expected a digit in the exponent");
	rejects("a = 01.5\n", 1, 5, "leading zeros are not allowed in '01.5'");
	rejects("a = 1._5\n", 1, 5, "expected a digit after '.'");
	rejects("a = 1_.5\n", 1, 5, "'_' must be between digits");
	rejects("a = 1.5_\n", 1, 5, "'_' must be between digits");
	rejects("a = 1.2.3\n", 1, 5, "invalid number '1.2.3'");
	rejects("a = 1e400\n", 1, 5, "float '1e400' is out of range");
	rejects("a = Inf\n", 1, 5, "expected a value, found 'I'");
	rejects("a = infinity\n", 1, 5, "invalid number 'infinity'");
	rejects("a = nan_\n", 1, 5, "invalid number 'nan_'");
}

/* ---- booleans ---- */

static void test_booleans(void **state)
{
	struct toml_doc *doc = accepts("t = true\nf = false\narr = [true,false]\n");

	assert_int_equal(get(doc, "t")->type, TOML_BOOL);
	assert_true(get(doc, "t")->u.boolean);
	assert_false(get(doc, "f")->u.boolean);
	assert_true(get(doc, "arr")->u.array->items[0].u.boolean);
	toml_doc_free(doc);

	rejects("a = TRUE\n", 1, 5, "expected a value, found 'T'");
	rejects("a = truex\n", 1, 5, "expected a value, found 't'");
	rejects("a = fals\n", 1, 5, "expected a value, found 'f'");
}

/* ---- dates and times ---- */

static void test_datetimes(void **state)
{
	struct toml_doc *doc = accepts("a = 1979-05-27T07:32:00Z\n"
				       "b = 1979-05-27t00:32:00.999999-07:30\n"
				       "c = 1979-05-27 07:32:00z\n"
				       "d = 1979-05-27T07:32:00.5\n"
				       "e = 2024-02-29\n"
				       "f = 00:32:00.123456789123456789\n"
				       "g = 2000-02-29T23:59:60+14:00\n"
				       "h = 1987-07-05 17:45:00\n"
				       "i = 1979-05-27T07:32:00+00:00\n");
	const struct toml_datetime *dt;

	assert_int_equal(get(doc, "a")->type, TOML_DATETIME);
	dt = &get(doc, "a")->u.dt;
	assert_int_equal(dt->year, 1979);
	assert_int_equal(dt->month, 5);
	assert_int_equal(dt->day, 27);
	assert_int_equal(dt->hour, 7);
	assert_int_equal(dt->minute, 32);
	assert_int_equal(dt->second, 0);
	assert_string_equal(dt->frac, "");
	assert_true(dt->offset_z);
	assert_int_equal(dt->offset_minutes, 0);

	dt = &get(doc, "b")->u.dt;
	assert_int_equal(get(doc, "b")->type, TOML_DATETIME);
	assert_string_equal(dt->frac, "999999");
	assert_int_equal(dt->offset_minutes, -(7 * 60 + 30));
	assert_false(dt->offset_z);
	assert_int_equal(get(doc, "c")->type, TOML_DATETIME);
	assert_true(get(doc, "c")->u.dt.offset_z);

	assert_int_equal(get(doc, "d")->type, TOML_DATETIME_LOCAL);
	assert_string_equal(get(doc, "d")->u.dt.frac, "5");
	assert_int_equal(get(doc, "e")->type, TOML_DATE_LOCAL);
	assert_int_equal(get(doc, "e")->u.dt.day, 29);
	assert_int_equal(get(doc, "e")->u.dt.hour, 0);
	/* extra precision is truncated, as the spec allows */
	assert_int_equal(get(doc, "f")->type, TOML_TIME_LOCAL);
	assert_string_equal(get(doc, "f")->u.dt.frac, "123456789123456");
	assert_int_equal(get(doc, "f")->u.dt.year, 0);
	/* leap second, leap day of a year divisible by 400 */
	assert_int_equal(get(doc, "g")->u.dt.second, 60);
	assert_int_equal(get(doc, "g")->u.dt.offset_minutes, 14 * 60);
	assert_int_equal(get(doc, "h")->type, TOML_DATETIME_LOCAL);
	assert_false(get(doc, "i")->u.dt.offset_z);
	toml_doc_free(doc);

	rejects("a = 2023-02-29\n", 1, 5, "invalid date-time '2023-02-29': day out of range");
	rejects("a = 1900-02-29\n", 1, 5, "day out of range");
	rejects("a = 2023-04-31\n", 1, 5, "day out of range");
	rejects("a = 2023-01-00\n", 1, 5, "day out of range");
	rejects("a = 2023-13-01\n", 1, 5, "month out of range");
	rejects("a = 2023-00-01\n", 1, 5, "month out of range");
	rejects("a = 2023-1-01\n", 1, 5, "expected a date as YYYY-MM-DD");
	rejects("a = 24:00:00\n", 1, 5, "invalid date-time '24:00:00': hour out of range");
	rejects("a = 12:60:00\n", 1, 5, "minute out of range");
	rejects("a = 12:00:61\n", 1, 5, "second out of range");
	rejects("a = 12:30\n", 1, 5, "seconds are required");
	rejects("a = 1:30:00\n", 1, 5, "invalid number '1:30:00'");
	rejects("a = 12:30:00.\n", 1, 5, "expected digits after '.'");
	rejects("a = 1979-05-27T\n", 1, 5, "expected a time as HH:MM:SS");
	rejects("a = 1979-05-27T07:32\n", 1, 5, "seconds are required");
	rejects("a = 1979-05-27X07:32:00\n", 1, 5, "expected 'T' or a space");
	rejects("a = 1979-05-27T07:32:00+24:00\n", 1, 5, "UTC offset out of range");
	rejects("a = 1979-05-27T07:32:00-05:60\n", 1, 5, "UTC offset out of range");
	rejects("a = 1979-05-27T07:32:00+0500\n", 1, 5, "expected a UTC offset");
	rejects("a = 1979-05-27T07:32:00Zx\n", 1, 5, "unexpected characters after the date-time");
	rejects("a = 1979-05-27 07:32\n", 1, 5, "seconds are required");
	/* a space not followed by a time ends the date */
	rejects("a = 1979-05-27 x\n", 1, 16, "expected a newline after value");
}

/* ---- arrays ---- */

static void test_arrays(void **state)
{
	struct toml_doc *doc = accepts("a = [ 1, 'two', 3.0, [4], {five = 5}, 1979-05-27, ]\n"
				       "b = [\n  # comment\n  1, # one\n\n  2\n  ,3\n]\n"
				       "c = []\nd = [[], [[]]]\ne = [\r\n1,\r\n]\n");
	const struct toml_array *a = get(doc, "a")->u.array;

	assert_int_equal(a->count, 6);
	assert_int_equal(a->items[0].type, TOML_INTEGER);
	assert_int_equal(a->items[1].type, TOML_STRING);
	assert_int_equal(a->items[2].type, TOML_FLOAT);
	assert_int_equal(a->items[3].type, TOML_ARRAY);
	assert_int_equal(a->items[4].type, TOML_TABLE);
	assert_int_equal(a->items[5].type, TOML_DATE_LOCAL);
	assert_int_equal(get(doc, "b")->u.array->count, 3);
	assert_int_equal(get(doc, "b")->u.array->items[2].u.integer, 3);
	assert_int_equal(get(doc, "c")->u.array->count, 0);
	assert_int_equal(get(doc, "d")->u.array->items[1].u.array->count, 1);
	assert_int_equal(get(doc, "e")->u.array->count, 1);
	toml_doc_free(doc);

	rejects("a = [1 2]\n", 1, 8, "expected ',' or ']' in array, found '2'");
	rejects("a = [1,,2]\n", 1, 8, "expected a value, found ','");
	rejects("a = [,]\n", 1, 6, "expected a value, found ','");
	rejects("a = [1, 2\n", 2, 1, "expected ',' or ']' in array, found end of file");
	rejects("a = [\n", 2, 1, "expected a value");
}

/* ---- inline tables ---- */

static void test_inline_tables(void **state)
{
	struct toml_doc *doc = accepts("p = { x = 1, y = 'two', z.w = true, z.v = [1,\n 2] }\n"
				       "e = {}\ne2 = { }\nn = { a = { b = { c = 1 } } }\n"
				       "[t]\ni = {a.b = 1, a.c = 2}\n");

	assert_int(doc, "p.x", 1);
	assert_str(doc, "p.y", "two");
	assert_true(get(doc, "p.z.w")->u.boolean);
	assert_int_equal(get(doc, "p.z.v")->u.array->count, 2);
	assert_int_equal(get(doc, "e")->u.table->count, 0);
	assert_int_equal(get(doc, "e2")->u.table->count, 0);
	assert_int(doc, "n.a.b.c", 1);
	assert_int(doc, "t.i.a.b", 1);
	assert_int(doc, "t.i.a.c", 2);
	toml_doc_free(doc);

	rejects("a = {b = 1,\nc = 2}\n", 1, 12, "newlines are not allowed in an inline table");
	rejects("a = {\n}\n", 1, 6, "newlines are not allowed in an inline table");
	rejects("a = {b = 1\n}\n", 1, 11, "newlines are not allowed in an inline table");
	rejects("a = {b = 1,}\n", 1, 12, "trailing comma is not allowed in an inline table");
	rejects("a = {b = 1 c = 2}\n", 1, 12, "expected ',' or '}' in inline table, found 'c'");
	rejects("a = {b = 1, b = 2}\n", 1, 13, "duplicate key 'b' (first defined at 1:6)");
	rejects("a = {b.c = 1, b = 2}\n", 1, 15, "duplicate key 'b'");
	rejects("a = {b = {c = 1}, b.d = 2}\n", 1, 19, "cannot add keys to inline table 'b'");
	rejects("a = {b = 1 # c\n}\n", 1, 12, "expected ',' or '}' in inline table, found '#'");
	/* inline tables are complete once written */
	rejects("a = {b = 1}\n[a]\n", 2, 1, "cannot define table [a]: it is already an inline table "
					    "(defined at 1:1)");
	rejects("a = {b = 1}\n[a.c]\n", 2, 2, "cannot define table [a.c]: 'a' is an inline table");
	rejects("a = {b = 1}\na.c = 2\n", 2, 1, "cannot add keys to inline table 'a' (defined at 1:1)");
	rejects("a = {b = {c = 1}}\n[a.b.d]\n", 2, 2, "'a' is an inline table");
	rejects("a = {}\n[[a]]\n", 2, 1, "it is already an inline table");
	rejects("a = [{b = 1}]\n[a.c]\n", 2, 2, "'a' is an array");
}

/* ---- tables and arrays of tables ---- */

static void test_tables(void **state)
{
	struct toml_doc *doc = accepts("top = 0\n[a]\nx = 1\n[a.b]\ny = 2\n[ c . \"d e\" . 'f' ]\n"
				       "[[p]]\nn = 1\n[p.q]\nm = 2\n[[p.r]]\ns = 3\n[[p]]\nn = 2\n"
				       "[x.y.z]\n[x]\nw = 1\n[\"\"]\nk = 1\n");
	const struct toml_array *p;

	assert_int(doc, "top", 0);
	assert_int(doc, "a.x", 1);
	assert_int(doc, "a.b.y", 2);
	assert_int_equal(toml_table_get(get(doc, "c")->u.table, "d e")->type, TOML_TABLE);
	p = get(doc, "p")->u.array;
	assert_int_equal(get(doc, "p")->type, TOML_ARRAY);
	assert_int_equal(p->count, 2);
	assert_int_equal(toml_table_get(p->items[0].u.table, "n")->u.integer, 1);
	assert_int_equal(toml_table_get(toml_table_get(p->items[0].u.table, "q")->u.table, "m")
				 ->u.integer,
			 2);
	assert_int_equal(toml_table_get(p->items[0].u.table, "r")->u.array->count, 1);
	assert_int_equal(toml_table_get(p->items[1].u.table, "n")->u.integer, 2);
	assert_null(toml_table_get(p->items[1].u.table, "q"));
	assert_pos(p->items[1].pos, 13, 1);
	/* a super-table may be defined after its sub-tables, once */
	assert_int(doc, "x.w", 1);
	assert_int_equal(get(doc, "x.y.z")->type, TOML_TABLE);
	assert_int_equal(toml_table_get(toml_table_get(toml_doc_root(doc), "")->u.table, "k")->u.integer,
			 1);
	toml_doc_free(doc);

	/* the spec's own examples of what is allowed */
	doc = accepts("[fruit]\napple.color = 'red'\napple.taste.sweet = true\n"
		      "[fruit.apple.texture]\nsmooth = true\n"
		      "[dog.\"tater.man\"]\ntype.name = 'pug'\n");
	assert_true(get(doc, "fruit.apple.texture.smooth")->u.boolean);
	assert_true(get(doc, "fruit.apple.taste.sweet")->u.boolean);
	toml_doc_free(doc);

	rejects("[]\n", 1, 2, "expected a key, found ']'");
	rejects("[a\n", 1, 3, "expected ']' after table name, found end of line");
	rejects("[[a]\n", 1, 5, "expected ']]' after table name, found end of line");
	rejects("[[a] ]\n", 1, 5, "expected ']]' after table name");
	rejects("[ [a]]\n", 1, 3, "expected a key, found '['");
	rejects("[a.]\n", 1, 4, "expected a key, found ']'");
	rejects("[a] b = 1\n", 1, 5, "expected a newline after table header, found 'b'");
	rejects("[a b]\n", 1, 4, "expected ']' after table name, found 'b'");
}

/* ---- every redefinition rule ---- */

static void test_redefinitions(void **state)
{
	rejects("a = 1\na = 2\n", 2, 1, "duplicate key 'a' (first defined at 1:1)");
	rejects("a = 1\n'a' = 2\n", 2, 1, "duplicate key 'a'");
	rejects("[t]\nname = 1\n  name = 2\n", 3, 3, "duplicate key 'name' (first defined at 2:1)");
	rejects("a.b = 1\na.b = 2\n", 2, 3, "duplicate key 'a.b' (first defined at 1:3)");
	rejects("a.b = 1\na = 2\n", 2, 1, "duplicate key 'a' (first defined at 1:1)");
	rejects("a = 1\na.b = 2\n", 2, 1, "cannot add keys to 'a': it is an integer (defined at 1:1)");
	rejects("a.b = 1\na.b.c = 2\n", 2, 3, "cannot add keys to 'a.b': it is an integer");
	rejects("[a]\n[a]\n", 2, 1, "table [a] defined twice (first at 1:1)");
	rejects("[a]\nb = 1\n[a]\n", 3, 1, "table [a] defined twice");
	rejects("[a.b]\n[a]\n[a]\n", 3, 1, "table [a] defined twice (first at 2:1)");
	rejects("[a.b]\n[a.b]\n", 2, 1, "table [a.b] defined twice");
	/* tables made by dotted keys cannot be defined again by a header */
	rejects("[a]\nb.c = 1\n[a.b]\n", 3, 1, "cannot define table [a.b]: it was made by dotted keys at 2:1");
	rejects("a.b.c = 1\n[a]\n", 2, 1, "cannot define table [a]: it was made by dotted keys at 1:1");
	rejects("a.b.c = 1\n[a.b]\n", 2, 1, "it was made by dotted keys at 1:3");
	/* nor can dotted keys add to a table that has its own header */
	rejects("[a.b.c]\nz = 9\n[a]\nb.c.t = 1\n", 4, 3, "cannot add keys to 'b.c' with dotted keys");
	rejects("[a.b]\n[a]\nb.c = 1\n", 3, 1, "cannot add keys to 'b' with dotted keys: it is a "
					      "table with its own [header] (at 1:4)");
	rejects("[a.b.c]\n[a]\nb.d = 1\n[a.b]\n", 4, 1, "it was made by dotted keys at 3:1");
	/* a key that holds a value cannot become a table */
	rejects("[a]\nb = 1\n[a.b]\n", 3, 1, "cannot define table [a.b]: it is already an integer "
					     "(defined at 2:1)");
	rejects("[a]\nb = 1\n[a.b.c]\n", 3, 4, "cannot define table [a.b.c]: 'a.b' is an integer");
	rejects("[a.b]\n[a]\nb = 1\n", 3, 1, "duplicate key 'b' (first defined at 1:4)");
	/* arrays of tables */
	rejects("a = []\n[[a]]\n", 2, 1, "cannot define array of tables [[a]]: it is already an array "
				     "(defined at 1:1)");
	rejects("a = [{}]\n[[a]]\n", 2, 1, "it is already an array");
	rejects("[[a]]\n[a]\n", 2, 1, "cannot define table [a]: it is already an array of tables");
	rejects("[a]\n[[a]]\n", 2, 1, "cannot define array of tables [[a]]: it is already a table");
	rejects("[[a.b]]\n[[a]]\n", 2, 1, "it is already a table");
	rejects("[[a]]\n[[a.b]]\n[a.b]\n", 3, 1, "it is already an array of tables");
	rejects("[a.b]\n[[a.b]]\n", 2, 1, "it is already a table");
	rejects("[[a.b]]\n[a]\nb.c = 1\n", 3, 1, "cannot add keys to 'b': it is an array of tables");
	rejects("a = 1\n[[a.b]]\n", 2, 3, "'a' is an integer");

	/* what stays allowed */
	toml_doc_free(accepts("[a.b.c]\n[a]\nb.d = 1\n"));
	toml_doc_free(accepts("[a]\nb.c = 1\nb.d = 2\n[a.b.e]\n"));
	toml_doc_free(accepts("[[a]]\n[a.b]\n[[a]]\n[a.b]\n"));
	toml_doc_free(accepts("[[a.b]]\n[a]\nc = 1\n"));
	toml_doc_free(accepts("a.b = 1\na.c = 2\n[d]\n"));
}

/* ---- encoding ---- */

static void test_encoding(void **state)
{
	static const char bom[] = "\xef\xbb\xbf" "a = 1\r\nb = 'x'\r\n";
	struct toml_doc *doc = parse_n(bom, sizeof bom - 1, &(struct ed_diag){ 0 });
	static const char nul[] = "a = 1\nb = \"x\0\"\n";
	static const char nul_bare[] = "a = 1\0";

	assert_non_null(doc);
	assert_int(doc, "a", 1);
	/* the byte order mark takes no column */
	assert_pos(toml_table_find(toml_doc_root(doc), "a")->keypos, 1, 1);
	assert_pos(toml_table_find(toml_doc_root(doc), "b")->keypos, 2, 1);
	toml_doc_free(doc);
	doc = accepts("# comment \xe2\x82\xac \xf0\x9f\x98\x80\na = '\xe4\xb8\xad'\n");
	assert_str(doc, "a", "\xe4\xb8\xad");
	toml_doc_free(doc);
	doc = accepts("");
	assert_int_equal(toml_doc_root(doc)->count, 0);
	toml_doc_free(doc);

	rejects("a = 1\rb = 2\n", 1, 6, "carriage return not followed by a line feed");
	rejects("a = 1\r", 1, 6, "carriage return");
	rejects_n(nul, sizeof nul - 1, 2, 7, "NUL byte is not allowed");
	rejects_n(nul_bare, sizeof nul_bare - 1, 1, 6, "NUL byte");
	rejects("a = \"\xc0\xaf\"\n", 1, 6, "invalid UTF-8 byte 0xC0");
	rejects("a = \"\xe0\x80\xaf\"\n", 1, 6, "overlong");
	rejects("a = \"\xed\xa0\x80\"\n", 1, 6, "surrogate U+D800");
	rejects("a = \"\xf4\x90\x80\x80\"\n", 1, 6, "out-of-range");
	rejects("a = \"\xff\"\n", 1, 6, "invalid UTF-8 byte 0xFF");
	rejects("a = \"\xc3x\"\n", 1, 6, "invalid UTF-8 sequence");
	rejects("# \xe2\x82", 1, 3, "truncated UTF-8 sequence");
	rejects("# ok\n\xef\xbb\xbf" "a = 1\n", 2, 1, "expected a key");
	rejects("# \x0c\n", 1, 3, "control character U+000C is not allowed");
	rejects("a = 1\x0b\n", 1, 6, "control character U+000B");
}

/* Arrays and inline tables nest at most 128 deep. */
static void test_nesting_limit(void **state)
{
	char text[1024];
	struct toml_doc *doc;
	size_t n = 0;

	n += (size_t)snprintf(text, sizeof text, "a = ");
	for (int i = 0; i < 128; i++)
		text[n++] = i % 2 ? '[' : '[';
	for (int i = 0; i < 128; i++)
		text[n++] = ']';
	text[n] = '\0';
	doc = accepts(text);
	toml_doc_free(doc);

	n = (size_t)snprintf(text, sizeof text, "a = ");
	for (int i = 0; i < 129; i++)
		text[n++] = '[';
	text[n] = '\0';
	rejects(text, 1, 133, "nested too deeply (more than 128)");

	n = (size_t)snprintf(text, sizeof text, "a = ");
	for (int i = 0; i < 200; i++)
		n += (size_t)snprintf(text + n, sizeof text - n, "{b=");
	rejects(text, 1, 5 + 128 * 3, "nested too deeply");
}

/* A document of "a = [1,1,...]" with N items: N + 1 values. */
static char *ones(size_t n)
{
	char *text = malloc(8 + 2 * n);

	assert_non_null(text);
	memcpy(text, "a = [", 5);
	for (size_t i = 0; i < n; i++)
		memcpy(text + 5 + 2 * i, "1,", 2);
	memcpy(text + 5 + 2 * n, "]", 2);
	return text;
}

/* At most 2,000,000 values a document: the last one past it is refused
 * where it is written, and the reader stops there even when it reports
 * every error. */
static void test_value_limit(void **state)
{
	struct ed_diags all = { 0 };
	struct ed_diag d;
	struct toml_doc *doc;
	char *text = ones(1999999), *more;

	(void)state;
	doc = accepts(text);
	assert_int_equal(toml_doc_root(doc)->items[0].value.u.array->count, 1999999);
	toml_doc_free(doc);
	free(text);

	text = ones(2000000);
	rejects(text, 1, 6 + 2 * 1999999, "more than 2000000 values (keys and array items)");
	more = malloc(strlen(text) + 64);
	assert_non_null(more);
	sprintf(more, "%s\nb = 1\nc = [\n", text);
	assert_null(toml_parse_all(more, strlen(more), "t.toml", &d, &all));
	assert_int_equal(ed_diags_count(&all), 1);
	ed_diags_fini(&all);
	free(more);
	free(text);
}

/* Every prefix of a document, in an exact-size buffer, parses or fails
 * cleanly: no read past the end, no leak (under ASan). */
static void test_every_prefix(void **state)
{
	static const char text[] =
		"\xef\xbb\xbf# c\n[a.'b']\nk = \"v\\u00e9\\n\" # x\r\n"
		"m = \"\"\"\nx\\\n  y\"\"\"\nl = '''z'''\n"
		"i = [1, 0x1F, 0o7, 0b1, -2, 1_000, {x = 1.5e3}, inf, -nan]\n"
		"d = [1979-05-27T07:32:00.1-07:00, 1979-05-27 07:32:00, 1979-05-27, 07:32:00]\n"
		"[[t]]\nu.v = true\n";
	struct ed_diag d;

	for (size_t len = 0; len <= sizeof text - 1; len++) {
		struct toml_doc *doc = parse_n(text, len, &d);
		if (len == sizeof text - 1 && !doc)
			fail_msg("full text rejected: %d:%d %s", d.line, d.col, d.msg);
		if (!doc)
			assert_true(d.line >= 1 && d.col >= 1 && d.msg[0]);
		toml_doc_free(doc);
	}
	toml_doc_free(NULL);
}

/* Many keys in one table: the key index keeps this fast and correct. */
static void test_many_keys(void **state)
{
	size_t cap = 20000 * 24, n = 0;
	char *text = malloc(cap);
	struct toml_doc *doc;
	char key[32];

	assert_non_null(text);
	for (int i = 0; i < 20000; i++)
		n += (size_t)snprintf(text + n, cap - n, "k%d = %d\n", i, i);
	doc = accepts(text);
	assert_int_equal(toml_doc_root(doc)->count, 20000);
	snprintf(key, sizeof key, "k%d", 12345);
	assert_int_equal(toml_table_get(toml_doc_root(doc), key)->u.integer, 12345);
	toml_doc_free(doc);
	n += (size_t)snprintf(text + n, cap - n, "k777 = 1\n");
	rejects(text, 20001, 1, "duplicate key 'k777' (first defined at 778:1)");
	free(text);
}

static void test_messages_are_clean(void **state)
{
	/* control characters in keys are escaped in messages */
	rejects("\"a\\u0001b\" = 1\n\"a\\u0001b\" = 2\n", 2, 1, "duplicate key '\"a\\x01b\"'");
}

static void test_type_names(void **state)
{
	assert_string_equal(toml_type_name(TOML_STRING), "string");
	assert_string_equal(toml_type_name(TOML_INTEGER), "integer");
	assert_string_equal(toml_type_name(TOML_FLOAT), "float");
	assert_string_equal(toml_type_name(TOML_BOOL), "boolean");
	assert_string_equal(toml_type_name(TOML_DATETIME), "offset date-time");
	assert_string_equal(toml_type_name(TOML_DATETIME_LOCAL), "local date-time");
	assert_string_equal(toml_type_name(TOML_DATE_LOCAL), "local date");
	assert_string_equal(toml_type_name(TOML_TIME_LOCAL), "local time");
	assert_string_equal(toml_type_name(TOML_ARRAY), "array");
	assert_string_equal(toml_type_name(TOML_TABLE), "table");
}

/* The seed documents of the fuzz corpus: valid/ parse, invalid/ do not. */
static void check_fixture_dir(const char *kind, bool valid)
{
	char dir[1024], path[2048];
	DIR *dp;
	struct dirent *e;
	int seen = 0;

	snprintf(dir, sizeof dir, "%s/toml/%s", FIXTURES, kind);
	dp = opendir(dir);
	assert_non_null(dp);
	while ((e = readdir(dp))) {
		size_t n = strlen(e->d_name);
		FILE *f;
		char *buf;
		long len;
		struct ed_diag d;
		struct toml_doc *doc;

		if (n < 6 || strcmp(e->d_name + n - 5, ".toml"))
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		f = fopen(path, "rb");
		assert_non_null(f);
		fseek(f, 0, SEEK_END);
		len = ftell(f);
		rewind(f);
		buf = malloc((size_t)len + 1);
		assert_non_null(buf);
		assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
		fclose(f);
		doc = parse_n(buf, (size_t)len, &d);
		if (valid && !doc)
			fail_msg("%s: rejected at %d:%d: %s", path, d.line, d.col, d.msg);
		if (!valid && doc)
			fail_msg("%s: accepted", path);
		toml_doc_free(doc);
		free(buf);
		seen++;
	}
	closedir(dp);
	assert_true(seen > 0);
}

static void test_fixtures(void **state)
{
	check_fixture_dir("valid", true);
	check_fixture_dir("invalid", false);
}

/* With a list, the reader goes on at the next statement after an error:
 * an unclosed array ends at the line that begins the next one. */
static void test_every_error(void **state)
{
	const char *text = "a = [1, 2\n"
			   "b = 3\n"
			   "c = = 4\n"
			   "[t]\n"
			   "d = \"open\n"
			   "  'inside a broken array' ,\n"
			   "e.f = 1\n"
			   "g = 1 2\n";
	struct ed_diags all = { 0 };
	struct ed_diag d;
	static const int lines[] = { 2, 3, 5, 8 };

	(void)state;
	assert_null(toml_parse_all(text, strlen(text), "t.toml", &d, &all));
	assert_int_equal(all.n, 4);
	for (size_t i = 0; i < all.n; i++) {
		assert_string_equal(all.v[i].file, "t.toml");
		assert_int_equal(all.v[i].line, lines[i]);
	}
	assert_string_equal(d.msg, all.v[0].msg);
	ed_diags_fini(&all);
	/* without a list, the first error only */
	assert_null(toml_parse_all(text, strlen(text), "t.toml", &d, NULL));
	assert_int_equal(d.line, 2);
	/* a good document is read as before */
	struct toml_doc *doc = toml_parse_all("a = 1\n", 6, "t.toml", &d, &all);
	assert_non_null(doc);
	assert_int_equal(all.n, 0);
	toml_doc_free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_positions),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_integers),
		cmocka_unit_test(test_floats),
		cmocka_unit_test(test_booleans),
		cmocka_unit_test(test_datetimes),
		cmocka_unit_test(test_arrays),
		cmocka_unit_test(test_inline_tables),
		cmocka_unit_test(test_tables),
		cmocka_unit_test(test_redefinitions),
		cmocka_unit_test(test_encoding),
		cmocka_unit_test(test_nesting_limit),
		cmocka_unit_test(test_every_prefix),
		cmocka_unit_test(test_many_keys),
		cmocka_unit_test(test_value_limit),
		cmocka_unit_test(test_messages_are_clean),
		cmocka_unit_test(test_type_names),
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_every_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
