/* Unit tests of the nixpkgs backend (src/eco/nix.c): the channel listing
 * fixture tests/fixtures/nix/packages.json, brotli-compressed here with
 * libbrotlienc as the channel serves it, loaded and solved with libsolv;
 * the profile manifests (versions 2 and 3) as the installed set; corrupt,
 * truncated and oversized listings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <brotli/encode.h>
#include <solv/evr.h>
#include <solv/knownid.h>
#include <solv/solvable.h>

#include "extdeps/eco/backends.h"
#include "extdeps/eco/eco.h"
#include "extdeps/eco/nix.h"
#include "extdeps/util/util.h"

#include "eco_helpers.h"

#define LISTING FIXTURES "/nix/packages.json"

struct fx {
	char tmp[256];
	char cache[512];
	char br[1024]; /* tmp/cache/nix/nixos-24.11/packages.json.br */
	char home[512];
};

/* SRC compressed with brotli into DST. */
static void brotli_file(const char *src, const char *dst, size_t cut)
{
	size_t len, out_len;
	char *data = util_read_file(src, &len, NULL);
	uint8_t *out;

	assert_non_null(data);
	out_len = BrotliEncoderMaxCompressedSize(len);
	out = malloc(out_len);
	assert_non_null(out);
	assert_true(BrotliEncoderCompress(BROTLI_DEFAULT_QUALITY, BROTLI_DEFAULT_WINDOW,
					  BROTLI_MODE_TEXT, len, (const uint8_t *)data, &out_len, out));
	eh_write_file(dst, out, cut && cut < out_len ? cut : out_len);
	free(out);
	free(data);
}

static int fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	char dir[700];

	if (!f)
		return -1;
	eh_tmpdir(f->tmp, sizeof f->tmp, "nix");
	snprintf(f->cache, sizeof f->cache, "%s/cache", f->tmp);
	snprintf(dir, sizeof dir, "%s/nix/nixos-24.11", f->cache);
	eh_mkdirs(dir);
	snprintf(f->br, sizeof f->br, "%s/packages.json.br", dir);
	brotli_file(LISTING, f->br, 0);
	snprintf(f->home, sizeof f->home, "%s/home/user", f->tmp);
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

static Pool *new_pool(void)
{
	struct eco_opts o = { .release = "24.11" };
	struct ed_diag d;
	Pool *pool = pool_create();

	assert_int_equal(eco_nix.pool_setup(pool, &o, &d), 0);
	return pool;
}

static Pool *load(struct fx *f, struct eco_load_stats *st)
{
	struct eco_opts o = { .release = "24.11", .cache_dir = f->cache, .offline = true };
	struct ed_diag d = { 0 };
	Pool *pool = new_pool();

	if (eco_nix.load_available(pool, &o, st, &d))
		fail_msg("load_available: %s: %s", d.file, d.msg);
	return pool;
}

static const char *version_of(Pool *pool, const char *name)
{
	Id p;

	FOR_POOL_SOLVABLES(p)
	{
		Solvable *s = pool->solvables + p;

		if (s->repo != pool->installed && !strcmp(pool_id2str(pool, s->name), name))
			return pool_id2str(pool, s->evr);
	}
	return NULL;
}

static void test_table_and_release(void **state)
{
	struct eco_opts bad = { .release = "24.11/../x" };
	struct ed_diag d;
	Pool *pool = pool_create();

	(void)state;
	assert_ptr_equal(eco_find("nix"), &eco_nix);
	assert_ptr_equal(eco_for_ecosystem("nixpkgs"), &eco_nix);
	assert_int_equal(eco_nix.pool_setup(pool, &bad, &d), ED_EXIT_INPUT);
	assert_non_null(strstr(d.msg, "not a nixpkgs release"));
	pool_free(pool);
}

static void test_load_brotli_and_cache(void **state)
{
	struct fx *f = *state;
	struct eco_load_stats st;
	Pool *pool = load(f, &st);

	/* 11 attributes, one broken, one unavailable */
	assert_int_equal(st.solvables, 9);
	assert_int_equal(st.cache_writes, 1);
	assert_true(eco_pool_has_name(pool, "python312Packages.numpy"));
	assert_true(eco_pool_has_name(pool, "xorg.libX11"));
	assert_false(eco_pool_has_name(pool, "oldbroken"));
	assert_false(eco_pool_has_name(pool, "darwinonly"));
	/* attribute paths, not pnames */
	assert_false(eco_pool_has_name(pool, "numpy"));
	assert_string_equal(version_of(pool, "cudaPackages.libcublas"), "12.4.5.8");
	assert_string_equal(version_of(pool, "nix-prefetch-git"), "unstable-2024-08-01");
	pool_free(pool);
	pool = load(f, &st);
	assert_int_equal(st.cache_hits, 1);
	assert_string_equal(version_of(pool, "gdal"), "3.9.3");
	pool_free(pool);
}

static void test_solve(void **state)
{
	struct fx *f = *state;
	Pool *pool = load(f, NULL);
	const char *ok[] = { "gdal", "python312Packages.numpy", "xorg.libX11" };
	const char *missing[] = { "gdal", "libfoo" };
	char out[2048];

	/* no dependency closure: Nix computes it */
	assert_int_equal(eh_solve(pool, ok, 3, out, sizeof out), 0);
	assert_string_equal(out, "gdal-3.9.3 python312Packages.numpy-2.1.2 xorg.libX11-1.8.10");
	assert_int_equal(eh_solve(pool, missing, 2, out, sizeof out), 1);
	assert_string_equal(out, "problem: nothing provides requested libfoo");
	pool_free(pool);
}

static void test_plain_listing(void **state)
{
	struct ed_diag d = { 0 };
	Pool *pool = new_pool();

	(void)state;
	assert_non_null(nix_load_packages(pool, LISTING, JSONSTREAM_PLAIN, "plain", 0, &d));
	assert_string_equal(version_of(pool, "hdf5"), "1.14.5");
	pool_free(pool);
}

/* Nix's order: a "pre" version sorts below its release, unlike rpm's; the
 * versions read back as written, and constraints compare the same way. */
static void test_pre_versions(void **state)
{
	char tmp[256], path[512];
	static const char listing[] =
		"{\"packages\": {"
		"\"a\": {\"pname\": \"a\", \"version\": \"2.4pre20230101\", \"system\": \"x86_64-linux\"},"
		"\"b\": {\"pname\": \"b\", \"version\": \"2.4\", \"system\": \"x86_64-linux\"},"
		"\"c\": {\"pname\": \"c\", \"version\": \"2.4prerelease\", \"system\": \"x86_64-linux\"}}}";
	struct ed_diag d = { 0 };
	Pool *pool = new_pool();
	Id a = 0, b = 0, c = 0, p, pp;

	(void)state;
	eh_tmpdir(tmp, sizeof tmp, "nixpre");
	snprintf(path, sizeof path, "%s/packages.json", tmp);
	eh_write_file(path, listing, sizeof listing - 1);
	assert_non_null(nix_load_packages(pool, path, JSONSTREAM_PLAIN, "t", 0, &d));
	pool_createwhatprovides(pool);
	FOR_POOL_SOLVABLES(p)
	{
		const char *n = pool_id2str(pool, pool->solvables[p].name);

		*(!strcmp(n, "a") ? &a : !strcmp(n, "b") ? &b : &c) = p;
	}
	assert_true(a && b && c);
	assert_true(pool_evrcmp(pool, pool->solvables[a].evr, pool->solvables[b].evr,
				EVRCMP_COMPARE) < 0);
	/* "prerelease" is a word of its own, not "pre" */
	assert_true(pool_evrcmp(pool, pool->solvables[c].evr, pool->solvables[b].evr,
				EVRCMP_COMPARE) > 0);
	assert_string_equal(eco_nix.solvable_version(pool, a), "2.4pre20230101");
	assert_string_equal(eco_nix.solvable_version(pool, c), "2.4prerelease");
	/* a >= 2.4pre1 holds for a's 2.4pre20230101; a >= 2.4 does not */
	{
		int n = 0;

		FOR_PROVIDES(p, pp, eco_nix.dep(pool, "a", REL_GT | REL_EQ, "2.4pre1"))
		n += p == a;
		assert_int_equal(n, 1);
	}
	FOR_PROVIDES(p, pp, eco_nix.dep(pool, "a", REL_GT | REL_EQ, "2.4"))
	fail_msg("a 2.4pre20230101 satisfies a >= 2.4");
	pool_free(pool);
	eh_rm_rf(tmp);
}

/* The error loading PATH gives, which must mention WHAT. */
static struct ed_diag expect_error(const char *path, enum jsonstream_codec codec, uint64_t max,
				   const char *what)
{
	struct ed_diag d = { 0 };
	Pool *pool = new_pool();

	assert_null(nix_load_packages(pool, path, codec, "t", max, &d));
	assert_int_equal(d.status, ED_EXIT_ENV);
	assert_string_equal(d.file, path);
	if (!strstr(d.msg, what))
		fail_msg("expected '%s' in '%s'", what, d.msg);
	assert_int_equal(pool->nrepos, 1);
	pool_free(pool);
	return d;
}

static void test_corrupt_truncated_oversized(void **state)
{
	struct fx *f = *state;
	struct ed_diag d;
	char plain[1024];
	size_t len;
	char *data;

	brotli_file(LISTING, f->br, 200);
	expect_error(f->br, JSONSTREAM_BROTLI, 0, "truncated brotli data");
	/* plain JSON where brotli is expected */
	eh_copy_file(LISTING, f->br);
	expect_error(f->br, JSONSTREAM_BROTLI, 0, "corrupt brotli data");
	brotli_file(LISTING, f->br, 0);
	expect_error(f->br, JSONSTREAM_BROTLI, 1000, "more than 1000 bytes of JSON");
	snprintf(plain, sizeof plain, "%s/packages.json", f->tmp);
	data = util_read_file(LISTING, &len, NULL);
	assert_non_null(data);
	eh_write_file(plain, data, len - 10);
	expect_error(plain, JSONSTREAM_PLAIN, 0, "truncated JSON");
	eh_write_file(plain, "{\"version\": 2, \"packages\": {\"a\": [1]}}", 38);
	expect_error(plain, JSONSTREAM_PLAIN, 0, "a package entry is not an object");
	eh_write_file(plain, "{\"version\": 2}", 14);
	expect_error(plain, JSONSTREAM_PLAIN, 0, "no \"packages\" object");
	eh_write_file(plain, "[]", 2);
	expect_error(plain, JSONSTREAM_PLAIN, 0, "found an array");
	eh_write_file(plain, "{\"packages\": {\"a\": {\"version\": 1.2.3}}}", 39);
	d = expect_error(plain, JSONSTREAM_PLAIN, 0, "invalid JSON: lexical error");
	/* just after the second '.' */
	assert_int_equal(d.line, 1);
	assert_int_equal(d.col, 36);
	free(data);
	/* positions are in the decompressed text, counted over its chunks */
	data = malloc(70000 + 15);
	assert_non_null(data);
	memset(data, '\n', 70000);
	memcpy(data + 70000, "{\"packages\": x}", 15);
	eh_write_file(plain, data, 70000 + 15);
	brotli_file(plain, f->br, 0);
	d = expect_error(f->br, JSONSTREAM_BROTLI, 0, "invalid JSON: lexical error");
	assert_int_equal(d.line, 70001);
	assert_int_equal(d.col, 15);
	free(data);
}

static void test_offline_missing(void **state)
{
	struct fx *f = *state;
	struct eco_opts o = { .release = "unstable", .cache_dir = f->cache, .offline = true };
	struct ed_diag d = { 0 };
	Pool *pool = new_pool();

	assert_int_equal(eco_nix.load_available(pool, &o, NULL, &d), ED_EXIT_ENV);
	assert_non_null(strstr(d.msg, "no package listing of nixos-unstable"));
	pool_free(pool);
}

static void test_manifest(void **state)
{
	struct fx *f = *state;
	struct eco_opts o = { .release = "24.11", .cache_dir = f->cache, .offline = true,
			      .root = f->tmp };
	struct ed_diag d = { 0 };
	char dir[700], path[1024], out[2048];
	const char *job[] = { "gdal", "python312Packages.numpy", "openblas" };
	Pool *pool;
	Repo *inst;

	/* the fake root's home, as HOME names it inside the root */
	setenv("HOME", "/home/user", 1);
	unsetenv("XDG_STATE_HOME");
	pool = load(f, NULL);
	assert_int_equal(eco_nix.load_installed(pool, &o, &inst, &d), 0);
	assert_int_equal(inst->nsolvables, 0);
	pool_free(pool);

	snprintf(dir, sizeof dir, "%s/.nix-profile", f->home);
	eh_mkdirs(dir);
	snprintf(path, sizeof path, "%s/manifest.json", dir);
	eh_copy_file(FIXTURES "/nix/manifest-v2.json", path);
	pool = load(f, NULL);
	assert_int_equal(eco_nix.load_installed(pool, &o, &inst, &d), 0);
	/* the inactive hdf5 is not there; my-tool by its store path name */
	assert_int_equal(inst->nsolvables, 3);
	{
		Id p;
		Solvable *s;
		char names[512] = "";

		FOR_REPO_SOLVABLES(inst, p, s)
		{
			strcat(names, pool_id2str(pool, s->name));
			strcat(names, "=");
			strcat(names, pool_id2str(pool, s->evr));
			strcat(names, " ");
		}
		assert_string_equal(names,
				    "gdal=3.9.2 python312Packages.numpy=2.1.2 my-tool=0.3 ");
	}
	/* gdal and numpy are installed (gdal older, kept); openblas comes new */
	assert_int_equal(eh_solve(pool, job, 3, out, sizeof out), 0);
	assert_string_equal(out, "openblas-0.3.28");
	pool_free(pool);

	/* version 3, in the XDG state directory */
	unlink(path);
	setenv("XDG_STATE_HOME", "/home/user/.local/state", 1);
	snprintf(dir, sizeof dir, "%s/.local/state/nix/profile", f->home);
	eh_mkdirs(dir);
	snprintf(path, sizeof path, "%s/manifest.json", dir);
	eh_copy_file(FIXTURES "/nix/manifest-v3.json", path);
	pool = load(f, NULL);
	assert_int_equal(eco_nix.load_installed(pool, &o, &inst, &d), 0);
	assert_int_equal(inst->nsolvables, 2);
	assert_int_equal(eh_solve(pool, job, 3, out, sizeof out), 0);
	assert_string_equal(out, "gdal-3.9.3 python312Packages.numpy-2.1.2");
	pool_free(pool);

	/* a broken manifest is an error, not an empty profile */
	eh_write_file(path, "{\"version\": 3, \"elements\": ", 27);
	pool = new_pool();
	assert_int_equal(eco_nix.load_installed(pool, &o, &inst, &d), ED_EXIT_ENV);
	assert_string_equal(d.file, path);
	assert_non_null(strstr(d.msg, "not a valid profile manifest"));
	pool_free(pool);
	eh_write_file(path, "{\"version\": 3}", 14);
	pool = new_pool();
	assert_int_equal(eco_nix.load_installed(pool, &o, &inst, &d), ED_EXIT_ENV);
	assert_non_null(strstr(d.msg, "no \"elements\""));
	pool_free(pool);
}

/* update() from a file:// mirror of the channels */
static void test_update_mirror(void **state)
{
	struct fx *f = *state;
	char mirror[600], dir[700], br[800];
	struct eco_opts o = { .release = "25.05", .cache_dir = f->cache, .mirror = mirror };
	struct eco_update_stats st = { 0 };
	struct eco_load_stats ls;
	struct ed_diag d = { 0 };
	Pool *pool;

	snprintf(mirror, sizeof mirror, "file://%s/mirror", f->tmp);
	snprintf(dir, sizeof dir, "%s/mirror/nixos-25.05", f->tmp);
	eh_mkdirs(dir);
	snprintf(br, sizeof br, "%s/packages.json.br", dir);
	eh_copy_file(f->br, br);
	if (eco_nix.update(&o, &st, &d))
		fail_msg("update: %s", d.msg);
	assert_int_equal(st.downloaded, 1);
	pool = new_pool();
	o.offline = true;
	assert_int_equal(eco_nix.load_available(pool, &o, &ls, &d), 0);
	assert_int_equal(ls.solvables, 9);
	pool_free(pool);
	o.release = "23.11";
	o.offline = false;
	assert_int_equal(eco_nix.update(&o, &st, &d), ED_EXIT_ENV);
}

static void test_install_argv(void **state)
{
	const char *ok[] = { "gdal", "python312Packages.numpy", "xorg.libX11" };
	const char *bad[][1] = { { "--impure" }, { "a..b" }, { "gdal#x" }, { "a." }, { "1abc" } };
	struct ed_diag d;
	char **argv;

	(void)state;
	argv = eco_nix.install_argv(NULL, ok, 3, ECO_INSTALL_YES, &d);
	assert_non_null(argv);
	assert_string_equal(argv[0], "nix");
	assert_string_equal(argv[1], "profile");
	assert_string_equal(argv[2], "install");
	assert_string_equal(argv[3], "nixpkgs#gdal");
	assert_string_equal(argv[5], "nixpkgs#xorg.libX11");
	assert_null(argv[6]);
	eco_argv_free(argv);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_null(eco_nix.install_argv(NULL, bad[i], 1, 0, &d));
		assert_int_equal(d.status, ED_EXIT_INPUT);
	}
	assert_false(eco_nix.install_needs_root(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_and_release),
		cmocka_unit_test_setup_teardown(test_load_brotli_and_cache, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_solve, fx_setup, fx_teardown),
		cmocka_unit_test(test_plain_listing),
		cmocka_unit_test(test_pre_versions),
		cmocka_unit_test_setup_teardown(test_corrupt_truncated_oversized, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_offline_missing, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_manifest, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_update_mirror, fx_setup, fx_teardown),
		cmocka_unit_test(test_install_argv),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
