/* Unit tests of the helpers the backends share (src/eco/eco.c): the update
 * command a message about a missing or damaged cache names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "extdeps/eco/eco.h"

static void test_update_command_names_the_cache(void **state)
{
	const char *channels[] = { "conda-forge", "https://example.org/extra" };
	struct eco_opts remote = { .distro = "debian", .release = "13", .arch = "arm64",
				   .mirror = "http://mirror.example.org/debian" };
	struct eco_opts conda = { .distro = "conda-forge", .platform = "osx-arm64",
				  .channels = channels, .nchannels = 2 };
	struct eco_opts host = { .host = true, .distro = "debian", .release = "12" };
	struct eco_opts named = { .host = true, .named = true, .distro = "homebrew" };
	char out[512];

	(void)state;
	eco_update_command(&remote, NULL, out, sizeof out);
	assert_string_equal(out, "'extdeps update --distro=debian:13 --arch=arm64 "
				 "--mirror=http://mirror.example.org/debian'");
	eco_update_command(&conda, NULL, out, sizeof out);
	assert_string_equal(out, "'extdeps update --distro=conda-forge --platform=osx-arm64 "
				 "--channel=conda-forge --channel=https://example.org/extra'");
	/* this machine: its own target is not named, its lists are apt's */
	eco_update_command(&host, NULL, out, sizeof out);
	assert_string_equal(out, "'extdeps update'");
	eco_update_command(&named, NULL, out, sizeof out);
	assert_string_equal(out, "'extdeps update --distro=homebrew'");
	eco_update_command(NULL, NULL, out, sizeof out);
	assert_string_equal(out, "'extdeps update'");
}

static void test_update_command_enables_the_repository(void **state)
{
	struct eco_repo registry = { .id = "nvidia-cuda", .url = "https://example.org/cuda",
				     .home_url = "https://example.org/cuda" };
	struct eco_repo elsewhere = { .id = "nvidia-cuda", .url = "http://127.0.0.1:8080/cuda",
				      .home_url = "https://example.org/cuda" };
	struct eco_repo component = { .id = "contrib", .component = "contrib" };
	struct eco_opts o = { .distro = "debian", .release = "12" };
	char out[512];

	(void)state;
	eco_update_command(&o, &registry, out, sizeof out);
	assert_string_equal(out, "'extdeps update --distro=debian:12 --enable-repo=nvidia-cuda'");
	/* a URL --enable-repo gave is given again */
	eco_update_command(&o, &elsewhere, out, sizeof out);
	assert_string_equal(out, "'extdeps update --distro=debian:12 "
				 "--enable-repo=nvidia-cuda=http://127.0.0.1:8080/cuda'");
	eco_update_command(&o, &component, out, sizeof out);
	assert_string_equal(out, "'extdeps update --distro=debian:12 --enable-repo=contrib'");
	/* a value the shell would split or expand is quoted, and the command
	 * then shown in double quotes */
	o.mirror = "http://127.0.0.1/deb ian$HOME";
	eco_update_command(&o, &component, out, sizeof out);
	assert_string_equal(out, "\"extdeps update --distro=debian:12 "
				 "--mirror='http://127.0.0.1/deb ian$HOME' --enable-repo=contrib\"");
}

static void test_update_command_fits(void **state)
{
	struct eco_repo r = { .id = "nvidia-cuda" };
	struct eco_opts o = { .distro = "debian", .release = "12", .arch = "amd64" };
	char out[24];

	(void)state;
	memset(out, 'x', sizeof out);
	eco_update_command(&o, &r, out, sizeof out);
	assert_int_equal(strlen(out), sizeof out - 1);
	assert_memory_equal(out, "'extdeps update --distr", 23);
}

static void test_diag_add_update_hint(void **state)
{
	struct eco_opts o = { .distro = "fedora", .release = "41", .arch = "x86_64" };
	struct ed_diag d;

	(void)state;
	ed_diag_set(&d, ED_EXIT_ENV, "/cache/repomd.xml", 3, 7, "not valid repomd XML");
	eco_diag_add_update_hint(&d, &o, NULL);
	assert_int_equal(d.status, ED_EXIT_ENV);
	assert_string_equal(d.file, "/cache/repomd.xml");
	assert_int_equal(d.line, 3);
	assert_int_equal(d.col, 7);
	assert_string_equal(d.msg, "not valid repomd XML; run "
				   "'extdeps update --distro=fedora:41 --arch=x86_64'");
	eco_diag_add_update_hint(NULL, &o, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_update_command_names_the_cache),
		cmocka_unit_test(test_update_command_enables_the_repository),
		cmocka_unit_test(test_update_command_fits),
		cmocka_unit_test(test_diag_add_update_hint),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
