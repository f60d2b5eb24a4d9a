#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "extdeps/util/osrelease.h"

static void test_os_release_parse(void **state)
{
	struct os_release os;

	os_release_parse("PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"
			 "NAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\n"
			 "# a comment\nVERSION_CODENAME=bookworm\nID=debian\r\n"
			 "ID_LIKE='rhel fedora'\nBROKEN LINE\n",
			 &os);
	assert_string_equal(os.id, "debian");
	assert_string_equal(os.version_id, "12");
	assert_string_equal(os.codename, "bookworm");
	assert_string_equal(os.id_like, "rhel fedora");
	assert_string_equal(os.pretty_name, "Debian GNU/Linux 12 (bookworm)");

	os_release_parse("PRETTY_NAME=\"say \\\"hi\\\" \\$x\"", &os);
	assert_string_equal(os.pretty_name, "say \"hi\" $x");
	assert_string_equal(os.id, "");
}

static void test_os_release_read(void **state)
{
	struct os_release os;
	struct ed_diag d;

	assert_int_equal(os_release_read(FIXTURES "/roots/fedora", &os, &d), 0);
	assert_string_equal(os.id, "fedora");
	assert_string_equal(os.version_id, "41");
	assert_int_equal(os_release_read(FIXTURES "/roots/none", &os, &d), ED_EXIT_ENV);
	assert_non_null(strstr(d.msg, "--distro"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_os_release_parse),
		cmocka_unit_test(test_os_release_read),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
