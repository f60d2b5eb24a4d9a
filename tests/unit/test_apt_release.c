#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "extdeps/eco/apt_release.h"
#include "extdeps/net/fetch.h"

#define SUM_A "0f343b0931126a20f133d67c2b018a3b5e1c3c4f5a6b7c8d9e0f1a2b3c4d5e6f"
#define SUM_B "1111111111111111111111111111111111111111111111111111111111111111"
#define SUM_C "2222222222222222222222222222222222222222222222222222222222222222"

static const char good[] =
	"Origin: Debian\n"
	"Label: Debian\n"
	"Suite: stable\n"
	"Codename: trixie\n"
	"Architectures: all amd64 arm64\n"
	"Components: main contrib\n"
	"Description: Debian 13\n"
	"MD5Sum:\n"
	" 0123456789abcdef0123456789abcdef 12 main/binary-amd64/Packages\n"
	"SHA256:\n"
	" " SUM_A "   1234 main/binary-amd64/Packages\n"
	" " SUM_B "    567 main/binary-amd64/Packages.xz\n"
	" " SUM_C "    890 main/binary-amd64/Packages.gz\n"
	" " SUM_C "    890 contrib/binary-amd64/Packages.gz\n"
	" " SUM_A "     10 main/binary-all/Packages.xz\n"
	"Acquire-By-Hash: yes\n";

static void test_parse_good(void **state)
{
	struct apt_release r;
	struct ed_diag d;
	const struct apt_release_file *f;

	assert_int_equal(apt_release_parse(good, sizeof good - 1, "InRelease", &r, &d), 0);
	assert_string_equal(r.codename, "trixie");
	assert_string_equal(r.suite, "stable");
	assert_int_equal(r.ncomponents, 2);
	assert_string_equal(r.components[1], "contrib");
	assert_int_equal(r.narchs, 3);
	assert_false(r.all_in_arch_indexes);
	/* MD5Sum lines are not taken for SHA256 ones */
	assert_int_equal(r.nfiles, 5);
	f = apt_release_find(&r, "main/binary-amd64/Packages");
	assert_non_null(f);
	assert_int_equal(f->size, 1234);
	assert_string_equal(f->sha256, SUM_A);
	/* .xz first, then .gz */
	f = apt_release_index(&r, "main", "amd64");
	assert_string_equal(f->path, "main/binary-amd64/Packages.xz");
	f = apt_release_index(&r, "contrib", "amd64");
	assert_string_equal(f->path, "contrib/binary-amd64/Packages.gz");
	assert_null(apt_release_index(&r, "contrib", "arm64"));
	apt_release_fini(&r);
}

static void test_parse_crlf_and_no_all(void **state)
{
	static const char text[] = "Codename: noble\r\nComponents: main\r\n"
				   "No-Support-for-Architecture-all: Packages\r\n"
				   "SHA256:\r\n " SUM_B " 5 main/binary-amd64/Packages\r\n";
	struct apt_release r;
	struct ed_diag d;

	assert_int_equal(apt_release_parse(text, sizeof text - 1, "R", &r, &d), 0);
	assert_true(r.all_in_arch_indexes);
	assert_string_equal(r.codename, "noble");
	assert_int_equal(r.nfiles, 1);
	assert_string_equal(r.files[0].path, "main/binary-amd64/Packages");
	apt_release_fini(&r);
}

/* A real InRelease lists hundreds of indexes: the list grows past its first
 * allocation and keeps every entry in order. */
static void test_parse_many_files(void **state)
{
	struct apt_release r;
	struct ed_diag d;
	char text[8192], path[64];
	size_t len;

	len = (size_t)snprintf(text, sizeof text, "Codename: trixie\nComponents: main\nSHA256:\n");
	for (int i = 0; i < 40; i++)
		len += (size_t)snprintf(text + len, sizeof text - len, " " SUM_A " %d c%d/Packages\n",
					i, i);
	assert_true(len < sizeof text);
	assert_int_equal(apt_release_parse(text, len, "R", &r, &d), 0);
	assert_int_equal(r.nfiles, 40);
	assert_true(r.files_alloc >= r.nfiles);
	for (int i = 0; i < 40; i++) {
		snprintf(path, sizeof path, "c%d/Packages", i);
		assert_string_equal(r.files[i].path, path);
		assert_int_equal(r.files[i].size, i);
	}
	apt_release_fini(&r);
	assert_null(r.files);
}

static void test_parse_missing_sha256(void **state)
{
	static const char text[] = "Codename: trixie\nComponents: main\nMD5Sum:\n"
				   " 0123456789abcdef0123456789abcdef 12 main/binary-amd64/Packages\n";
	struct apt_release r;
	struct ed_diag d;

	assert_int_equal(apt_release_parse(text, sizeof text - 1, "InRelease", &r, &d),
			 ED_EXIT_ENV);
	assert_string_equal(d.file, "InRelease");
	assert_non_null(strstr(d.msg, "no SHA256 section"));
	assert_null(r.files);
}

static void test_parse_missing_components(void **state)
{
	static const char text[] = "Codename: trixie\nSHA256:\n " SUM_A " 1 a/Packages\n";
	struct apt_release r;
	struct ed_diag d;

	assert_int_equal(apt_release_parse(text, sizeof text - 1, "InRelease", &r, &d),
			 ED_EXIT_ENV);
	assert_non_null(strstr(d.msg, "Components"));
}

/* A flat repository's Release (NVIDIA's): no suite, no components, its
 * indexes at the top; .gz is taken before the plain file. */
static void test_parse_flat(void **state)
{
	static const char text[] = "Origin: NVIDIA\nLabel: NVIDIA CUDA\nArchitecture: x86_64\n"
				   "SHA256:\n"
				   " " SUM_A " 1234 Packages\n"
				   " " SUM_B "  567 Packages.gz\n"
				   " " SUM_C "   89 sub/Packages.xz\n";
	static const char nested[] = "SHA256:\n " SUM_A " 1 sub/Packages\n";
	struct apt_release r;
	struct ed_diag d;
	const struct apt_release_file *f;

	/* the archive's reading wants components */
	assert_int_equal(apt_release_parse(text, sizeof text - 1, "InRelease", &r, &d),
			 ED_EXIT_ENV);
	assert_int_equal(apt_release_parse_flat(text, sizeof text - 1, "InRelease", &r, &d), 0);
	assert_int_equal(r.ncomponents, 0);
	assert_null(r.suite);
	f = apt_release_flat_index(&r);
	assert_non_null(f);
	assert_string_equal(f->path, "Packages.gz");
	assert_string_equal(f->sha256, SUM_B);
	apt_release_fini(&r);
	/* still no checksums, no index */
	assert_int_equal(apt_release_parse_flat("Origin: X\n", 10, "InRelease", &r, &d),
			 ED_EXIT_ENV);
	assert_int_equal(apt_release_parse_flat(nested, sizeof nested - 1, "InRelease", &r, &d), 0);
	assert_null(apt_release_flat_index(&r));
	apt_release_fini(&r);
}

/* Each malformed SHA256 line is reported at its line and column. */
static void test_parse_bad_lines(void **state)
{
	static const struct {
		const char *line;
		int col;
		const char *msg;
	} cases[] = {
		{ " " SUM_A " 12", 1, "needs a checksum, a size and a path" },
		{ " abc 12 main/binary-amd64/Packages", 2, "64 hex digits" },
		{ " " SUM_A " 12x main/binary-amd64/Packages", 67, "size in bytes" },
		{ " " SUM_A " 99999999999999999999999 main/Packages", 67, "size in bytes" },
		{ " " SUM_A " 12 ../../etc/passwd", 70, "not a valid index path" },
		{ " " SUM_A " 12 /etc/passwd", 70, "not a valid index path" },
		{ " " SUM_A " 12 main/Packages extra", 84, "unexpected text" },
		{ " 0F343B0931126A20F133D67C2B018A3B5E1C3C4F5A6B7C8D9E0F1A2B3C4D5E6F 1 a", 2,
		  "64 hex digits" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char text[512];
		struct apt_release r;
		struct ed_diag d;
		int n = snprintf(text, sizeof text, "Codename: x\nComponents: main\nSHA256:\n%s\n",
				 cases[i].line);

		assert_int_equal(apt_release_parse(text, (size_t)n, "InRelease", &r, &d),
				 ED_EXIT_ENV);
		assert_int_equal(d.line, 4);
		if (d.col != cases[i].col || !strstr(d.msg, cases[i].msg))
			fail_msg("case %zu: got %d:%d: %s", i, d.line, d.col, d.msg);
	}
}

static void test_parse_not_a_field(void **state)
{
	static const char text[] = "Codename: x\nthis is not a field\n";
	struct apt_release r;
	struct ed_diag d;

	assert_int_equal(apt_release_parse(text, sizeof text - 1, "InRelease", &r, &d),
			 ED_EXIT_ENV);
	assert_int_equal(d.line, 2);
}

static void test_clearsigned(void **state)
{
	static const char signed_text[] =
		"-----BEGIN PGP SIGNED MESSAGE-----\n"
		"Hash: SHA512\n"
		"\n"
		"Codename: trixie\n"
		"- -----dash escaped\n"
		"-----BEGIN PGP SIGNATURE-----\n"
		"\n"
		"iQIzBAEBCgAdFiEE\n"
		"-----END PGP SIGNATURE-----\n";
	static const char broken[] = "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n"
				     "Codename: trixie\n";
	size_t len = 0;
	char *s = apt_release_clearsigned_text(signed_text, sizeof signed_text - 1, &len);

	assert_non_null(s);
	assert_string_equal(s, "Codename: trixie\n-----dash escaped\n");
	assert_int_equal(len, strlen(s));
	free(s);
	s = apt_release_clearsigned_text("Codename: x\n", 12, &len);
	assert_string_equal(s, "Codename: x\n");
	free(s);
	assert_null(apt_release_clearsigned_text(broken, sizeof broken - 1, &len));
}

static void test_sha256_file(void **state)
{
	char path[] = "/tmp/extdeps-sha-XXXXXX", hex[65];
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, "abc", 3), 3);
	close(fd);
	assert_true(fetch_sha256_file(path, hex));
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	unlink(path);
	assert_false(fetch_sha256_file(path, hex));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_good),
		cmocka_unit_test(test_parse_crlf_and_no_all),
		cmocka_unit_test(test_parse_many_files),
		cmocka_unit_test(test_parse_missing_sha256),
		cmocka_unit_test(test_parse_missing_components),
		cmocka_unit_test(test_parse_flat),
		cmocka_unit_test(test_parse_bad_lines),
		cmocka_unit_test(test_parse_not_a_field),
		cmocka_unit_test(test_clearsigned),
		cmocka_unit_test(test_sha256_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
