/* test_upstream.c - package versions read as upstream versions, with real
 * version strings of Debian bookworm and trixie, Fedora, Homebrew and nix. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "extdeps/read/pep440.h"
#include "extdeps/read/upstream.h"

static void expect(const char *pkgver, const char *want)
{
	char v[UPSTREAM_VERSION_MAX];

	if (!upstream_version(pkgver, v, sizeof v))
		fail_msg("'%s': no upstream version, expected '%s'", pkgver, want);
	if (strcmp(v, want))
		fail_msg("'%s' -> '%s', expected '%s'", pkgver, v, want);
}

/* Debian: epoch, revision, repacks, +really, pre-releases and snapshots. */
static void test_debian(void **state)
{
	(void)state;
	expect("1:1.2.13.dfsg-1", "1.2.13");                        /* zlib1g, bookworm */
	expect("2.36-9+deb12u4", "2.36");                           /* libc6 */
	expect("0.3.21+ds-4", "0.3.21");                            /* openblas */
	expect("3.0.11-1~deb12u2", "3.0.11");                       /* ~ in the revision */
	expect("4:12.2.0-3", "12.2.0");                             /* gcc */
	expect("1:6-13", "6");                                      /* 9base */
	/* trixie's libxml2-dev: 2.12.7 went back to 2.9.14 */
	expect("2.12.7+dfsg+really2.9.14-2.1+deb13u3", "2.9.14");
	expect("2.9.14+dfsg-1.3~deb12u6", "2.9.14");                /* bookworm's */
	expect("2.20.15~20201109+really2.20.14.1-2", "2.20.14.1");  /* dasm */
	expect("2.0.0b5+really1.4.3-1", "1.4.3");                   /* python3-bibtexparser */
	expect("3.0.6~dfsg-1", "3.0.6");                            /* abiword: a repack */
	expect("11.1+repack-2+b1", "11.1");                         /* apitrace */
	expect("1.5~rc2-6", "1.5rc2");                              /* ace-of-penguins */
	expect("2.0~beta+ds-4", "2.0beta0");                        /* adql-java */
	expect("2.1~git20230101-1", "2.1.dev0");                    /* a snapshot before 2.1 */
	expect("1.4.0+git20240503+ds-2", "1.4.0.post0");            /* 3d-ascii-viewer: after */
	expect("0.7+git20231028.05e79eb-6", "0.7.post0");
	/* NVIDIA's libraries carry the CUDA release after '~' */
	expect("8.5.0.96~cuda11.7", "8.5.0.96");                    /* nvidia-cudnn */
	expect("11.11.3.6~11.8.0-5~deb12u1", "11.11.3.6");          /* libcublas11 */
	expect("12.4.131~12.4.1-2", "12.4.131");                    /* trixie's toolkit */
}

/* RPM, Homebrew, nix and plain versions. */
static void test_others(void **state)
{
	(void)state;
	expect("3.9.2-1.fc41", "3.9.2");
	expect("1.0^20200101git.abc-1.fc41", "1.0.post0");          /* RPM's ^: after 1.0 */
	expect("2.0~rc1-1.fc41", "2.0rc1");                         /* RPM's ~: before 2.0 */
	expect("3.29.0_1", "3.29.0");                               /* Homebrew revision */
	expect("2.4pre20211006_73c4b9f", "2.4pre20211006");         /* nix */
	expect("9.1.1", "9.1.1");
}

static void test_refused(void **state)
{
	char v[UPSTREAM_VERSION_MAX];

	(void)state;
	assert_false(upstream_version("abc-1", v, sizeof v));
	assert_false(upstream_version("unstable-2023-01-01", v, sizeof v));
	assert_false(upstream_version(NULL, v, sizeof v));
	/* the orders survive: 1.0~rc1 < 1.0, 2.1~git < 2.1 < 2.1+git */
	assert_true(pep440_cmp("1.0rc1", "1.0") < 0);
	assert_true(pep440_cmp("2.1.dev0", "2.1") < 0);
	assert_true(pep440_cmp("2.1.post0", "2.1") > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_debian),
		cmocka_unit_test(test_others),
		cmocka_unit_test(test_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
