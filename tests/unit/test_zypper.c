/* Unit tests of the zypper backend (src/eco/zypper.c) and of the .repo
 * files and URLs of rpmmd.c it reads: the install argv for each flag, the
 * repositories /etc/zypp/repos.d enables (under their own alias or the
 * repository service's), the alias an enable command names, $releasever
 * in both spellings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extdeps/eco/backends.h"
#include "extdeps/eco/eco.h"
#include "extdeps/eco/rpmmd.h"
#include "extdeps/eco/zypper.h"

#include "eco_helpers.h"

static char *joined(char **argv)
{
	static char buf[1024];

	buf[0] = '\0';
	for (size_t i = 0; argv && argv[i]; i++) {
		if (i)
			strcat(buf, " ");
		strcat(buf, argv[i]);
	}
	return buf;
}

static void test_install_argv(void **state)
{
	const char *specs[] = { "gcc-c++", "pkgconfig(zlib)", "libxml2-devel >= 2.10" };
	const char *bad[] = { "--from=evil" };
	struct ed_diag d = { 0 };
	char **argv;

	(void)state;
	assert_ptr_equal(eco_find("zypper"), &eco_zypper);
	argv = eco_zypper.install_argv(NULL, specs, 3, ECO_INSTALL_YES | ECO_INSTALL_NO_RECOMMENDS,
				       &d);
	/* --non-interactive is a global option: before the command */
	assert_string_equal(joined(argv), "zypper --non-interactive install --no-recommends gcc-c++ "
					  "pkgconfig(zlib) libxml2-devel >= 2.10");
	assert_null(argv[7]);
	eco_argv_free(argv);
	argv = eco_zypper.install_argv(NULL, specs, 1, ECO_INSTALL_SIMULATE, &d);
	assert_string_equal(joined(argv), "zypper install --dry-run gcc-c++");
	eco_argv_free(argv);
	assert_null(eco_zypper.install_argv(NULL, bad, 1, 0, &d));
	assert_int_equal(d.status, ED_EXIT_INPUT);
	assert_non_null(strstr(d.msg, "'--from=evil' is not a valid rpm package spec"));
	assert_true(eco_zypper.install_needs_root(NULL));
}

/* An openSUSE root with the .repo files FILES (alias, text) in
 * /etc/zypp/repos.d. */
static void make_root(char *root, size_t size, const char *const (*files)[2], size_t n)
{
	char dir[512], path[1024];

	eh_tmpdir(root, size, "zypper");
	snprintf(dir, sizeof dir, "%s/etc/zypp/repos.d", root);
	eh_mkdirs(dir);
	for (size_t i = 0; i < n; i++) {
		snprintf(path, sizeof path, "%s/%s.repo", dir, files[i][0]);
		eh_write_file(path, files[i][1], strlen(files[i][1]));
	}
}

static void test_has_repo(void **state)
{
	static const char *const files[][2] = {
		{ "repo-non-oss", "[repo-non-oss]\nname=Non-OSS\nenabled=0\nautorefresh=1\n"
				  "baseurl=http://download.opensuse.org/distribution/leap/$releasever/repo/non-oss/\n" },
		{ "science", "[science]\nname=science\nenabled = 1\n"
			     "baseurl=https://example.org/science/15.6/\n" },
		/* the repository service's alias; enabled= left out means 1 */
		{ "openSUSE:repo-update", "[openSUSE:repo-update]\nbaseurl=http://example.org/u/\n" },
	};
	char root[256];
	struct eco_opts o = { 0 };
	struct eco_repo non_oss = { .id = "non-oss", .component = "non-oss",
				    .enable = "zypper modifyrepo --enable repo-non-oss" };
	struct eco_repo science = { .id = "science", .url = "https://example.org/science/15.6",
				    .enable = "zypper addrepo --refresh https://example.org/science/15.6 science" };
	struct eco_repo update = { .id = "update", .enable = "zypper modifyrepo --enable repo-update" };
	struct eco_repo other = { .id = "other", .enable = "zypper addrepo https://example.org/o other" };
	struct rpmmd_repo_conf c;

	(void)state;
	make_root(root, sizeof root, files, 3);
	o.root = root;
	assert_false(eco_zypper.has_repo(&o, &non_oss));  /* enabled=0 */
	assert_true(eco_zypper.has_repo(&o, &science));   /* the alias addrepo gives */
	assert_true(eco_zypper.has_repo(&o, &update));    /* as openSUSE:repo-update */
	assert_false(eco_zypper.has_repo(&o, &other));    /* no such section */
	assert_true(rpmmd_repo_conf_find(&o, "/etc/zypp/repos.d", "repo-non-oss", &c));
	assert_false(c.enabled);
	assert_string_equal(c.baseurl,
			    "http://download.opensuse.org/distribution/leap/$releasever/repo/non-oss/");
	assert_false(rpmmd_repo_conf_find(&o, "/etc/zypp/repos.d", "repo-oss", &c));
	o.root = "/nonexistent";
	assert_false(eco_zypper.has_repo(&o, &science));
	eh_rm_rf(root);
}

static void test_expand_vars(void **state)
{
	char out[128];
	struct ed_diag d = { 0 };

	(void)state;
	assert_int_equal(rpmmd_expand_vars("http://h/leap/$releasever/oss/${basearch}/x${releasever}",
					   "15.6", "aarch64", out, sizeof out, &d),
			 0);
	assert_string_equal(out, "http://h/leap/15.6/oss/aarch64/x15.6");
	/* an unknown variable stays as written */
	assert_int_equal(rpmmd_expand_vars("http://h/$other/$basearch", "16.0", "x86_64", out,
					   sizeof out, &d),
			 0);
	assert_string_equal(out, "http://h/$other/x86_64");
	assert_int_equal(rpmmd_expand_vars("http://h/$releasever/$releasever", "15.6", "x86_64",
					   out, 12, &d),
			 ED_EXIT_INPUT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_install_argv),
		cmocka_unit_test(test_has_repo),
		cmocka_unit_test(test_expand_vars),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
