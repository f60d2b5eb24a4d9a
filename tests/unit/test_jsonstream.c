/* Unit tests of the first-bytes checks of util/jsonstream.c, which refuse a
 * download that is no JSON (zeros, an HTML page) as soon as its first
 * bytes arrive: plain and brotli-compressed (compressed here with
 * libbrotlienc, as the nixpkgs channel serves its listing). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include <brotli/encode.h>

#include "extdeps/net/fetch.h"
#include "extdeps/util/jsonstream.h"

static int plain(const char *text)
{
	struct ed_diag d;

	ed_diag_clear(&d);
	return jsonstream_head_plain((const unsigned char *)text, strlen(text), &d);
}

static void test_head_plain_takes_documents(void **state)
{
	(void)state;
	assert_int_equal(plain("{\"info\": {}}"), 0);
	assert_int_equal(plain("[1, 2]"), 0);
	assert_int_equal(plain(" \r\n\t{"), 0);
	/* only the beginning is judged: the rest is the parser's */
	assert_int_equal(plain("{ not json"), 0);
}

static void test_head_plain_refuses_what_is_not(void **state)
{
	unsigned char zeros[FETCH_HEAD_LEN] = { 0 }, blanks[FETCH_HEAD_LEN];
	struct ed_diag d;

	(void)state;
	ed_diag_clear(&d);
	assert_int_equal(jsonstream_head_plain(zeros, sizeof zeros, &d), ED_EXIT_ENV);
	assert_string_equal(d.msg, "not JSON: it begins with "
				   "'\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00...'");
	ed_diag_clear(&d);
	assert_int_equal(jsonstream_head_plain((const unsigned char *)"<html>'\\", 8, &d),
			 ED_EXIT_ENV);
	assert_string_equal(d.msg, "not JSON: it begins with '<html>\\x27\\x5c'");
	memset(blanks, ' ', sizeof blanks);
	ed_diag_clear(&d);
	assert_int_equal(jsonstream_head_plain(blanks, sizeof blanks, &d), ED_EXIT_ENV);
	assert_string_equal(d.msg, "not JSON: no document in its first 4096 bytes");
	ed_diag_clear(&d);
	assert_int_equal(jsonstream_head_plain(blanks, 0, &d), ED_EXIT_ENV);
	assert_int_not_equal(plain("\"a string\""), 0);
	assert_int_not_equal(plain("\xef\xbb\xbf{"), 0);
}

/* TEXT compressed with brotli into OUT; its length. */
static size_t brotli(const char *text, unsigned char *out, size_t size)
{
	size_t n = size;

	assert_true(BrotliEncoderCompress(BROTLI_DEFAULT_QUALITY, BROTLI_DEFAULT_WINDOW,
					  BROTLI_MODE_TEXT, strlen(text), (const uint8_t *)text, &n,
					  out));
	return n;
}

static void test_head_brotli(void **state)
{
	unsigned char buf[FETCH_HEAD_LEN];
	unsigned char zeros[FETCH_HEAD_LEN] = { 0 };
	struct ed_diag d;
	size_t n;

	(void)state;
	ed_diag_clear(&d);
	n = brotli("{\"packages\": {}}", buf, sizeof buf);
	assert_int_equal(jsonstream_head_brotli(buf, n, &d), 0);
	/* the first bytes only: no text yet is no verdict */
	assert_int_equal(jsonstream_head_brotli(buf, 1, &d), 0);
	n = brotli("<html><body>not here</body></html>", buf, sizeof buf);
	assert_int_equal(jsonstream_head_brotli(buf, n, &d), ED_EXIT_ENV);
	assert_string_equal(d.msg, "not JSON: it begins with '<html><body>...'");
	ed_diag_clear(&d);
	assert_int_equal(jsonstream_head_brotli(zeros, sizeof zeros, &d), ED_EXIT_ENV);
	assert_non_null(strstr(d.msg, "not brotli data: "));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_head_plain_takes_documents),
		cmocka_unit_test(test_head_plain_refuses_what_is_not),
		cmocka_unit_test(test_head_brotli),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
