/* Unit tests of the Homebrew backend (src/eco/brew.c) and of
 * src/util/jsonstream.c: the formula API fixture tests/fixtures/homebrew/
 * formula.json loaded for Linux and macOS bottle tags and solved with
 * libsolv; the fixture Cellar as the installed set; corrupt, truncated and
 * oversized documents. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <solv/evr.h>
#include <solv/knownid.h>
#include <solv/solvable.h>

#include "extdeps/eco/backends.h"
#include "extdeps/eco/brew.h"
#include "extdeps/eco/eco.h"
#include "extdeps/util/util.h"

#include "eco_helpers.h"

#define FORMULAE FIXTURES "/homebrew/formula.json"

struct fx {
	char tmp[256];
	char cache[512];
	char json[1024]; /* tmp/cache/brew/formulae/formula.json */
};

static int fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	char dir[700];

	if (!f)
		return -1;
	eh_tmpdir(f->tmp, sizeof f->tmp, "brew");
	snprintf(f->cache, sizeof f->cache, "%s/cache", f->tmp);
	snprintf(dir, sizeof dir, "%s/brew/formulae", f->cache);
	eh_mkdirs(dir);
	snprintf(f->json, sizeof f->json, "%s/formula.json", dir);
	eh_copy_file(FORMULAE, f->json);
	*state = f;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *f = *state;

	eh_rm_rf(f->tmp);
	free(f);
	return 0;
}

static Pool *load(const char *tag)
{
	struct eco_opts o = { .platform = tag };
	struct ed_diag d = { 0 };
	Pool *pool = pool_create();

	assert_int_equal(eco_brew.pool_setup(pool, &o, &d), 0);
	if (!brew_load_formulae(pool, FORMULAE, "homebrew", tag, 0, &d))
		fail_msg("%s: %s", d.file, d.msg);
	return pool;
}

static void solve_expect(const char *tag, const char *name, int problems, const char *expect)
{
	Pool *pool = load(tag);
	char out[4096];
	const char *job[] = { name };

	assert_int_equal(eh_solve(pool, job, 1, out, sizeof out), problems);
	if (problems ? !strstr(out, expect) : strcmp(out, expect) != 0)
		fail_msg("%s on %s: expected '%s', got '%s'", name, tag, expect, out);
	pool_free(pool);
}

static void test_table_and_platforms(void **state)
{
	struct eco_opts o = { .platform = "arm64_windows" };
	struct ed_diag d;
	Pool *pool = pool_create();

	(void)state;
	assert_ptr_equal(eco_find("brew"), &eco_brew);
	assert_ptr_equal(eco_for_ecosystem("homebrew"), &eco_brew);
	assert_true(brew_platform_valid("arm64_sonoma"));
	assert_true(brew_platform_valid("big_sur"));
	assert_true(brew_platform_valid("x86_64_linux"));
	assert_false(brew_platform_valid("arm64_"));
	assert_false(brew_platform_valid("linux"));
	assert_int_equal(eco_brew.pool_setup(pool, &o, &d), ED_EXIT_INPUT);
	assert_non_null(strstr(d.msg, "'arm64_windows' is not a Homebrew bottle tag"));
	pool_free(pool);
	/* this test machine is Linux */
	assert_non_null(brew_host_platform());
	assert_non_null(strstr(brew_host_platform(), "_linux"));
}

static void test_load_counts(void **state)
{
	Pool *pool = load("x86_64_linux");
	Repo *repo = pool->repos[1];

	(void)state;
	/* 20 formulae: disabled oldthing and macOS-only xcodes left out */
	assert_int_equal(repo->nsolvables, 18);
	assert_true(eco_pool_has_name(pool, "gdal"));
	assert_false(eco_pool_has_name(pool, "oldthing"));
	assert_false(eco_pool_has_name(pool, "xcodes"));
	assert_true(eco_pool_has_name(pool, "glibc"));
	pool_free(pool);
	pool = load("arm64_sonoma");
	assert_true(eco_pool_has_name(pool, "xcodes"));
	assert_false(eco_pool_has_name(pool, "glibc"));
	pool_free(pool);
}

static void test_revision_version(void **state)
{
	Pool *pool = load("sonoma");
	Id p;
	Solvable *s;
	int seen = 0;

	(void)state;
	FOR_POOL_SOLVABLES(p)
	{
		s = pool->solvables + p;
		if (!strcmp(pool_id2str(pool, s->name), "gdal")) {
			assert_string_equal(pool_id2str(pool, s->evr), "3.9.2_2");
			seen++;
		}
	}
	assert_int_equal(seen, 1);
	assert_true(pool_evrcmp_str(pool, "3.9.2_2", "3.9.2_1", EVRCMP_COMPARE) > 0);
	assert_true(pool_evrcmp_str(pool, "3.10.0", "3.9.2_2", EVRCMP_COMPARE) > 0);
	pool_free(pool);
}

static void test_uses_from_macos(void **state)
{
	(void)state;
	/* Linux: curl (and its openssl@3) from uses_from_macos, zlib via libtiff;
	 * a bottle exists, so no build dependencies (cmake, pkgconf, perl) */
	solve_expect("x86_64_linux", "gdal", 0,
		     "curl-8.10.1 gdal-3.9.2_2 jpeg-turbo-3.0.4 libtiff-4.6.0 openssl@3-3.4.0 "
		     "proj-9.4.1 sqlite-3.47.0 zlib-1.3.1");
	/* macOS: the system's curl and zlib serve */
	solve_expect("arm64_sonoma", "gdal", 0,
		     "gdal-3.9.2_2 jpeg-turbo-3.0.4 libtiff-4.6.0 proj-9.4.1 sqlite-3.47.0");
	/* an alias resolves to the formula */
	solve_expect("arm64_sonoma", "gdal-lib", 0,
		     "gdal-3.9.2_2 jpeg-turbo-3.0.4 libtiff-4.6.0 proj-9.4.1 sqlite-3.47.0");
}

static void test_source_build_and_variations(void **state)
{
	(void)state;
	/* no Linux bottle for swig: built from source, so cmake comes too */
	solve_expect("x86_64_linux", "swig", 0, "cmake-3.30.5 pcre2-10.44 swig-4.3.0");
	solve_expect("arm64_sonoma", "swig", 0, "pcre2-10.44 swig-4.3.0");
	/* no bottle for big_sur either; on macOS perl stays the system's */
	solve_expect("arm64_big_sur", "gdal", 0,
		     "cmake-3.30.5 gdal-3.9.2_2 jpeg-turbo-3.0.4 libtiff-4.6.0 pkgconf-2.3.0 "
		     "proj-9.4.1 sqlite-3.47.0");
	/* the x86_64_linux variation adds glibc */
	solve_expect("x86_64_linux", "openblas", 0, "gcc-14.2.0_1 glibc-2.35 openblas-0.3.28");
	solve_expect("sonoma", "openblas", 0, "gcc-14.2.0_1 openblas-0.3.28");
}

static void test_problems(void **state)
{
	Pool *pool = load("x86_64_linux");
	const char *both[] = { "gdal", "cpl" };
	char out[4096];

	(void)state;
	solve_expect("x86_64_linux", "hdf5", 1,
		     "nothing provides szip needed by hdf5-1.14.4.noarch");
	solve_expect("x86_64_linux", "xcodes", 1, "nothing provides requested xcodes");
	solve_expect("x86_64_linux", "no-such-formula", 1,
		     "nothing provides requested no-such-formula");
	assert_int_equal(eh_solve(pool, both, 2, out, sizeof out), 1);
	assert_non_null(strstr(out, "conflicts with"));
	pool_free(pool);
}

static void test_load_available_and_cache(void **state)
{
	struct fx *f = *state;
	struct eco_opts o = { .platform = "x86_64_linux", .cache_dir = f->cache, .offline = true };
	struct eco_load_stats st;
	struct ed_diag d = { 0 };
	Pool *pool = pool_create();

	assert_int_equal(eco_brew.pool_setup(pool, &o, &d), 0);
	assert_int_equal(eco_brew.load_available(pool, &o, &st, &d), 0);
	assert_int_equal(st.solvables, 18);
	assert_int_equal(st.cache_writes, 1);
	pool_free(pool);
	pool = pool_create();
	assert_int_equal(eco_brew.pool_setup(pool, &o, &d), 0);
	assert_int_equal(eco_brew.load_available(pool, &o, &st, &d), 0);
	assert_int_equal(st.cache_hits, 1);
	assert_true(eco_pool_has_name(pool, "glibc"));
	pool_free(pool);
	/* another platform is another cache entry, not the Linux one */
	o.platform = "arm64_sonoma";
	pool = pool_create();
	assert_int_equal(eco_brew.pool_setup(pool, &o, &d), 0);
	assert_int_equal(eco_brew.load_available(pool, &o, &st, &d), 0);
	assert_int_equal(st.cache_hits, 0);
	assert_false(eco_pool_has_name(pool, "glibc"));
	pool_free(pool);
	/* offline without metadata */
	unlink(f->json);
	pool = pool_create();
	assert_int_equal(eco_brew.load_available(pool, &o, &st, &d), ED_EXIT_ENV);
	assert_non_null(strstr(d.msg, "--offline"));
	pool_free(pool);
}

/* update() from a file:// mirror of the API, then a load from the cache */
static void test_update_mirror(void **state)
{
	struct fx *f = *state;
	struct eco_opts o = { .platform = "x86_64_linux", .cache_dir = f->cache,
			      .mirror = "file://" FIXTURES "/homebrew/" };
	struct eco_update_stats st = { 0 };
	struct eco_load_stats ls;
	struct ed_diag d = { 0 };
	Pool *pool;

	unlink(f->json);
	if (eco_brew.update(&o, &st, &d))
		fail_msg("update: %s", d.msg);
	assert_int_equal(st.files, 1);
	assert_int_equal(st.downloaded, 1);
	pool = pool_create();
	assert_int_equal(eco_brew.pool_setup(pool, &o, &d), 0);
	o.offline = true;
	assert_int_equal(eco_brew.load_available(pool, &o, &ls, &d), 0);
	assert_int_equal(ls.solvables, 18);
	pool_free(pool);
	o.offline = false;
	o.mirror = "file:///nonexistent/api";
	assert_int_equal(eco_brew.update(&o, &st, &d), ED_EXIT_ENV);
	/* the previous good copy stays */
	assert_int_equal(access(f->json, R_OK), 0);
	o.mirror = "ftp://mirror.example.org/api";
	assert_int_equal(eco_brew.update(&o, &st, &d), ED_EXIT_INPUT);
	assert_non_null(strstr(d.msg, "--mirror"));
}

/* The error loading PATH gives, which must mention WHAT. */
static struct ed_diag expect_error(const char *path, uint64_t max, const char *what)
{
	struct ed_diag d = { 0 };
	Pool *pool = pool_create();

	assert_null(brew_load_formulae(pool, path, "t", "x86_64_linux", max, &d));
	assert_int_equal(d.status, ED_EXIT_ENV);
	assert_string_equal(d.file, path);
	if (!strstr(d.msg, what))
		fail_msg("expected '%s' in '%s'", what, d.msg);
	/* nothing half-loaded stays behind */
	assert_int_equal(pool->nrepos, 1);
	pool_free(pool);
	return d;
}

static void test_corrupt_truncated_oversized(void **state)
{
	struct fx *f = *state;
	struct ed_diag d;
	size_t len;
	char *data = util_read_file(FORMULAE, &len, NULL);

	assert_non_null(data);
	eh_write_file(f->json, data, len / 2);
	expect_error(f->json, 0, "truncated JSON");
	eh_write_file(f->json, "[{\"name\": \"x\",, }]", 18);
	d = expect_error(f->json, 0, "invalid JSON: invalid object key (must be a string)");
	/* where yajl stopped: just after the second ',' */
	assert_int_equal(d.line, 1);
	assert_int_equal(d.col, 16);
	/* lines of the decompressed text, columns in characters */
	eh_write_file(f->json, "[\n {\"name\":\n  \"\xc3\xa9\",, }]", 23);
	d = expect_error(f->json, 0, "invalid JSON");
	assert_int_equal(d.line, 3);
	assert_int_equal(d.col, 8);
	eh_write_file(f->json, "{\"formulae\": []}", 16);
	expect_error(f->json, 0, "expected a JSON array of formulae");
	eh_write_file(f->json, "", 0);
	expect_error(f->json, 0, "empty file");
	eh_write_file(f->json, data, len);
	expect_error(f->json, 4096, "more than 4096 bytes of JSON");
	expect_error("/nonexistent/formula.json", 0, "cannot read");
	free(data);
}

static void test_cellar(void **state)
{
	struct fx *f = *state;
	char root[600], cellar[700], src[1024], dst[1024];
	static const char *const kegs[] = { "gdal/3.9.2_2", "gdal/3.8.5", "zlib/1.3.1",
					    "cmake/3.30.5" };
	struct eco_opts o = { .platform = "x86_64_linux", .root = root };
	struct ed_diag d = { 0 };
	Pool *pool;
	Repo *inst = NULL;
	char out[4096];
	const char *job[] = { "gdal" }, *proj[] = { "proj" };

	snprintf(root, sizeof root, "%s/root", f->tmp);
	snprintf(cellar, sizeof cellar, "%s/home/linuxbrew/.linuxbrew/Cellar", root);
	for (size_t i = 0; i < sizeof kegs / sizeof kegs[0]; i++) {
		snprintf(dst, sizeof dst, "%s/%s", cellar, kegs[i]);
		eh_mkdirs(dst);
		snprintf(src, sizeof src, FIXTURES "/homebrew/Cellar/%s/INSTALL_RECEIPT.json",
			 kegs[i]);
		if (access(src, F_OK) == 0) {
			snprintf(dst, sizeof dst, "%s/%s/INSTALL_RECEIPT.json", cellar, kegs[i]);
			eh_copy_file(src, dst);
		}
	}
	unsetenv("HOMEBREW_CELLAR");
	unsetenv("HOMEBREW_PREFIX");
	pool = load("x86_64_linux");
	assert_int_equal(eco_brew.load_installed(pool, &o, &inst, &d), 0);
	assert_non_null(inst);
	/* gdal 3.8.5 has no receipt: not installed */
	assert_int_equal(inst->nsolvables, 3);
	/* gdal is there: nothing to do */
	assert_int_equal(eh_solve(pool, job, 1, out, sizeof out), 0);
	assert_string_equal(out, "");
	/* zlib is there; the rest comes new */
	assert_int_equal(eh_solve(pool, proj, 1, out, sizeof out), 0);
	assert_string_equal(out, "curl-8.10.1 jpeg-turbo-3.0.4 libtiff-4.6.0 openssl@3-3.4.0 "
				 "proj-9.4.1 sqlite-3.47.0");
	pool_free(pool);

	/* HOMEBREW_PREFIX elsewhere: no Cellar there, nothing installed */
	setenv("HOMEBREW_PREFIX", "/opt/elsewhere", 1);
	pool = load("x86_64_linux");
	assert_int_equal(eco_brew.load_installed(pool, &o, &inst, &d), 0);
	assert_int_equal(inst->nsolvables, 0);
	pool_free(pool);
	unsetenv("HOMEBREW_PREFIX");
}

static void test_install_argv(void **state)
{
	const char *ok[] = { "gdal", "python@3.12", "brewsci/bio/abacas" };
	const char *bad[][1] = { { "--force" }, { "Gdal" }, { "a/b" }, { "x;y" }, { "a/b/c/d" } };
	struct ed_diag d;
	char **argv;

	(void)state;
	argv = eco_brew.install_argv(NULL, ok, 3, ECO_INSTALL_YES | ECO_INSTALL_SIMULATE, &d);
	assert_non_null(argv);
	assert_string_equal(argv[0], "brew");
	assert_string_equal(argv[1], "install");
	assert_string_equal(argv[2], "--dry-run");
	assert_string_equal(argv[5], "brewsci/bio/abacas");
	assert_null(argv[6]);
	eco_argv_free(argv);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_null(eco_brew.install_argv(NULL, bad[i], 1, 0, &d));
		assert_int_equal(d.status, ED_EXIT_INPUT);
	}
	assert_false(eco_brew.install_needs_root(NULL));
}

/* The real formula API documents, when the machine has them. */
static void test_real_formulae(void **state)
{
	static const char bio[] = "/work/shared/data/homebrew/brewsci-homebrew-bio/api-formula.json";
	struct ed_diag d = { 0 };
	struct timespec t0, t1;
	Pool *pool;
	Repo *repo;

	(void)state;
	if (access(bio, R_OK))
		skip();
	pool = pool_create();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	repo = brew_load_formulae(pool, bio, "bio", "x86_64_linux", 0, &d);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (!repo)
		fail_msg("%s", d.msg);
	printf("# brewsci/bio: %d formulae for x86_64_linux in %.3f s\n", repo->nsolvables,
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	assert_true(repo->nsolvables > 250);
	pool_free(pool);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_and_platforms),
		cmocka_unit_test(test_load_counts),
		cmocka_unit_test(test_revision_version),
		cmocka_unit_test(test_uses_from_macos),
		cmocka_unit_test(test_source_build_and_variations),
		cmocka_unit_test(test_problems),
		cmocka_unit_test_setup_teardown(test_load_available_and_cache, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_corrupt_truncated_oversized, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_cellar, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_update_mirror, fx_setup, fx_teardown),
		cmocka_unit_test(test_install_argv),
		cmocka_unit_test(test_real_formulae),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
