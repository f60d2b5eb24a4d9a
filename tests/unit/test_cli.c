#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "extdeps/util/json.h"
#include "extdeps/util/util.h"
#include "cli.h"
#include "opts.h"

/* argv strings are writable in C; literals are not under -Wwrite-strings */
#define S(x) ((char *)(x))

enum { T_FLAG = 1, T_VALUE, T_CHOICE };
static const char *const choices[] = { "a", "b", NULL };
static const struct opt table[] = {
	{ T_FLAG, "flag", 'f', OPT_FLAG, NULL, "a flag", NULL },
	{ T_VALUE, "value", 'o', OPT_VALUE, "X", "a value", NULL },
	{ T_CHOICE, "choice", 0, OPT_VALUE, "C", "a choice", choices },
	OPT_TABLE_END,
};

struct seen {
	int flags;
	char values[8][32];
	int nvalues;
};

static int record(void *ud, int id, const char *value, struct ed_diag *d)
{
	struct seen *s = ud;

	if (id == T_FLAG)
		s->flags++;
	else
		snprintf(s->values[s->nvalues++], 32, "%d=%s", id, value);
	return 0;
}

static int run(char **argv, int argc, bool stop, struct seen *s, char ***pos, int *npos,
	       struct ed_diag *d)
{
	const struct opt *tables[] = { table, NULL };

	memset(s, 0, sizeof *s);
	ed_diag_clear(d);
	return opts_parse(tables, argc, argv, stop, record, s, pos, npos, d);
}

static void test_opts_forms(void **state)
{
	char *argv[] = { S("a"), S("--flag"), S("-o"), S("v1"), S("--value=v2"), S("-ov3"), S("-fo"), S("v4"), S("b"),
			 S("--choice"), S("b"), S("--"), S("--flag") };
	struct seen s;
	struct ed_diag d;
	char **pos;
	int npos;

	assert_int_equal(run(argv, 13, false, &s, &pos, &npos, &d), 0);
	assert_int_equal(s.flags, 2);
	assert_int_equal(s.nvalues, 5);
	assert_string_equal(s.values[0], "2=v1");
	assert_string_equal(s.values[1], "2=v2");
	assert_string_equal(s.values[2], "2=v3");
	assert_string_equal(s.values[3], "2=v4");
	assert_string_equal(s.values[4], "3=b");
	assert_int_equal(npos, 3);
	assert_string_equal(pos[0], "a");
	assert_string_equal(pos[1], "b");
	assert_string_equal(pos[2], "--flag");
	free(pos);
}

static void test_opts_stop_at_positional(void **state)
{
	char *argv[] = { S("-f"), S("show"), S("--flag"), S("x") };
	struct seen s;
	struct ed_diag d;
	char **pos;
	int npos;

	assert_int_equal(run(argv, 4, true, &s, &pos, &npos, &d), 0);
	assert_int_equal(s.flags, 1);
	assert_int_equal(npos, 3);
	assert_string_equal(pos[1], "--flag");
	free(pos);
}

static void test_opts_errors(void **state)
{
	struct seen s;
	struct ed_diag d;
	char **pos;
	int npos;
	char *a1[] = { S("--nope") }, *a2[] = { S("--value") }, *a3[] = { S("--flag=1") },
	     *a4[] = { S("--choice=c") }, *a5[] = { S("-x") }, *a6[] = { S("-h") }, *a7[] = { S("--help") };

	assert_int_equal(run(a1, 1, false, &s, &pos, &npos, &d), ED_EXIT_INPUT);
	assert_string_equal(d.msg, "unknown option '--nope'");
	assert_null(pos);
	assert_int_equal(run(a2, 1, false, &s, &pos, &npos, &d), ED_EXIT_INPUT);
	assert_string_equal(d.msg, "option '--value' needs a value");
	assert_int_equal(run(a3, 1, false, &s, &pos, &npos, &d), ED_EXIT_INPUT);
	assert_string_equal(d.msg, "option '--flag' takes no value");
	assert_int_equal(run(a4, 1, false, &s, &pos, &npos, &d), ED_EXIT_INPUT);
	assert_string_equal(d.msg, "invalid value 'c' for --choice; expected one of 'a', 'b'");
	assert_int_equal(run(a5, 1, false, &s, &pos, &npos, &d), ED_EXIT_INPUT);
	assert_int_equal(run(a6, 1, false, &s, &pos, &npos, &d), OPTS_HELP);
	assert_int_equal(run(a7, 1, false, &s, &pos, &npos, &d), OPTS_HELP);
}

/* Every command in the table has its man page, and the table is sorted. */
static void test_every_command_has_a_man_page(void **state)
{
	const char *prev = "";

	for (const struct cmd *const *cp = cli_commands; *cp; cp++) {
		const struct cmd *c = *cp;
		char path[512];
		snprintf(path, sizeof path, "%s/man/extdeps-%s.1.scd", SRCDIR, c->name);
		if (access(path, R_OK))
			fail_msg("command '%s' has no man page %s", c->name, path);
		assert_true(strcmp(prev, c->name) < 0);
		assert_non_null(cli_find_command(c->name));
		prev = c->name;
	}
	assert_null(cli_find_command("nope"));
}

static void test_json_writer(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct json j;

	json_init(&j, f);
	json_object_begin(&j);
	json_key(&j, "s");
	json_string(&j, "a\"b\\c\n\x01\xc3\xa9");
	json_key(&j, "empty");
	json_array_begin(&j);
	json_array_end(&j);
	json_key(&j, "list");
	json_array_begin(&j);
	json_int(&j, -3);
	json_bool(&j, true);
	json_null(&j);
	json_array_end(&j);
	json_object_end(&j);
	json_end(&j);
	fclose(f);
	assert_string_equal(buf, "{\n  \"s\": \"a\\\"b\\\\c\\n\\u0001\xc3\xa9\",\n  \"empty\": [],\n"
				 "  \"list\": [\n    -3,\n    true,\n    null\n  ]\n}\n");
	free(buf);
}

/* NDJSON: one document a line, nothing between the tokens */
static void test_json_compact(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct json j;

	for (int i = 0; i < 2; i++) {
		json_init_compact(&j, f);
		json_object_begin(&j);
		json_kv_int(&j, "n", i);
		json_key(&j, "list");
		json_array_begin(&j);
		json_string(&j, "a\nb");
		json_object_begin(&j);
		json_object_end(&j);
		json_array_end(&j);
		json_object_end(&j);
		json_end(&j);
	}
	fclose(f);
	assert_string_equal(buf, "{\"n\":0,\"list\":[\"a\\nb\",{}]}\n"
				 "{\"n\":1,\"list\":[\"a\\nb\",{}]}\n");
	free(buf);
}

static void test_nearest(void **state)
{
	const char *words[] = { S("build-requires"), S("host-requires"), S("dependencies") };

	assert_string_equal(util_nearest("host-require", words, 3), "host-requires");
	assert_string_equal(util_nearest("dependencis", words, 3), "dependencies");
	assert_null(util_nearest("frobnicate", words, 3));
	/* the first part of one candidate; of two, none */
	const char *ecos[] = { S("conda-forge"), S("debian"), S("fedora") };
	assert_string_equal(util_nearest("conda", ecos, 3), "conda-forge");
	const char *two[] = { S("conda-forge"), S("conda-main") };
	assert_null(util_nearest("conda", two, 2));
	assert_null(util_nearest("", ecos, 3));
}

static void test_human_bytes(void **state)
{
	char buf[32];

	(void)state;
	util_human_bytes(220, buf, sizeof buf);
	assert_string_equal(buf, "220 B");
	util_human_bytes(1434, buf, sizeof buf);
	assert_string_equal(buf, "1.4 KiB");
	util_human_bytes(9227468, buf, sizeof buf);
	assert_string_equal(buf, "8.8 MiB");
	assert_int_equal(util_edit_distance("kitten", "sitting"), 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_opts_forms),
		cmocka_unit_test(test_opts_stop_at_positional),
		cmocka_unit_test(test_opts_errors),
		cmocka_unit_test(test_every_command_has_a_man_page),
		cmocka_unit_test(test_json_writer),
		cmocka_unit_test(test_json_compact),
		cmocka_unit_test(test_nearest),
		cmocka_unit_test(test_human_bytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
