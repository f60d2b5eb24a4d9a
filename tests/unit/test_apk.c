/* Unit tests of the apk backend (src/eco/apk.c): apk's version order as
 * libsolv implements it, checked against apk's documented rules; Alpine's
 * architecture names; the fixture APKINDEX.tar.gz files (tests/apk_index.py
 * writes them as Alpine's mirrors serve them: a signature's gzip stream,
 * then the index's) read with libsolv's reader, and truncated, corrupt,
 * non-gzip and empty ones refused; the installed database, its so:, pc:
 * and cmd: names, and the virtual package an install extends. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <solv/evr.h>
#include <solv/pool.h>
#include <solv/poolarch.h>
#include <solv/repo.h>

#include "extdeps/eco/apk.h"
#include "extdeps/eco/backends.h"
#include "extdeps/eco/eco.h"
#include "extdeps/eco/installed.h"
#include "extdeps/util/util.h"

#include "eco_helpers.h"

#define MAIN FIXTURES "/apk/mirror/v3.21/main/x86_64/APKINDEX.tar.gz"
#define COMMUNITY FIXTURES "/apk/mirror/v3.21/community/x86_64/APKINDEX.tar.gz"
#define ROOT FIXTURES "/apk/root"

static Pool *apk_pool(void)
{
	Pool *pool = pool_create();

	assert_true(pool_setdisttype(pool, DISTTYPE_APK) >= 0);
	pool_setarch(pool, "x86_64");
	return pool;
}

/* apk's version order (apk-tools' doc/apk-package.5 and test/version.data):
 * numbers compared as numbers (a part with a leading zero after the first
 * as a fraction), a letter after the numbers, pre-release suffixes
 * (_alpha < _beta < _pre < _rc) before the release, post-release ones
 * (_cvs < _svn < _git < _hg < _p) after it, each suffix with its own
 * number, then the -rN revision, numerically. */
static void test_version_order(void **state)
{
	static const char *const ascending[][2] = {
		{ "1.0", "1.1" },
		{ "1.9", "1.10" },
		{ "2.0", "10.0" },
		{ "1.2.3_rc1", "1.2.3" },
		{ "1.2.3_alpha", "1.2.3_beta" },
		{ "1.2.3_beta2", "1.2.3_pre1" },
		{ "1.2.3_pre1", "1.2.3_rc1" },
		{ "1.2.3_rc1", "1.2.3_rc2" },
		{ "1.2.3_rc9", "1.2.3_rc10" },
		{ "1.2.3", "1.2.3_cvs20240101" },
		{ "1.2.3_svn1", "1.2.3_git1" },
		{ "1.2.3_git20240101", "1.2.3_hg1" },
		{ "1.2.3_hg1", "1.2.3_p1" },
		{ "1.2.3", "1.2.3_p1" },
		{ "1.2.3_p1", "1.2.3_p2" },
		{ "1.2.3_git20240101", "1.2.4" },
		{ "1.2.3-r0", "1.2.3-r1" },
		{ "1.2.3-r9", "1.2.3-r10" },
		{ "1.2.3", "1.2.3-r0" },
		{ "1.2.3_rc1-r9", "1.2.3-r0" },
		{ "1.2.3-r5", "1.2.3_p1-r0" },
		{ "1.2", "1.2a" },
		{ "1.2a", "1.2b" },
		{ "1.2z", "1.2.1" },
		{ "1.02", "1.2" },
		{ "1.01", "1.010" },
		{ "0.3.28-r0", "0.3.28-r1" },
	};
	static const char *const equal[][2] = {
		{ "1.2.3-r0", "1.2.3-r0" },
		{ "1.0", "1.0" },
		{ "01.2", "1.2" },
	};
	Pool *pool = apk_pool();

	(void)state;
	for (size_t i = 0; i < sizeof ascending / sizeof *ascending; i++) {
		int lt = pool_evrcmp_str(pool, ascending[i][0], ascending[i][1], EVRCMP_COMPARE);
		int gt = pool_evrcmp_str(pool, ascending[i][1], ascending[i][0], EVRCMP_COMPARE);

		if (lt >= 0 || gt <= 0)
			fail_msg("apk orders %s before %s; libsolv says %d", ascending[i][0],
				 ascending[i][1], lt);
	}
	for (size_t i = 0; i < sizeof equal / sizeof *equal; i++)
		if (pool_evrcmp_str(pool, equal[i][0], equal[i][1], EVRCMP_COMPARE))
			fail_msg("%s and %s are the same version to apk", equal[i][0], equal[i][1]);
	pool_free(pool);
}

static void test_arch(void **state)
{
	(void)state;
	assert_string_equal(apk_arch("x86_64"), "x86_64");
	assert_string_equal(apk_arch("amd64"), "x86_64");
	assert_string_equal(apk_arch("arm64"), "aarch64");
	assert_string_equal(apk_arch("i686"), "x86");
	assert_string_equal(apk_arch("x86"), "x86");
	assert_string_equal(apk_arch("armv7l"), "armv7");
	/* Alpine's armhf is ARMv6, not dpkg's ARMv7 */
	assert_string_equal(apk_arch("armhf"), "armhf");
	assert_string_equal(apk_arch("linux-64"), "x86_64");
	assert_null(apk_arch("sparc64"));
	assert_null(apk_arch("nonsense"));
	assert_null(apk_arch(NULL));
}

static Id find(Pool *pool, const char *name, const char *evr)
{
	Id p;
	Solvable *s;

	FOR_POOL_SOLVABLES(p)
	{
		s = pool->solvables + p;
		if (!strcmp(pool_id2str(pool, s->name), name) &&
		    (!evr || !strcmp(pool_id2str(pool, s->evr), evr)))
			return p;
	}
	return 0;
}

/* Whether P provides WHAT (a plain name). */
static bool provides(Pool *pool, Id p, const char *what)
{
	Id id = pool_str2id(pool, what, 0), q, pp;

	if (!id)
		return false;
	pool_createwhatprovides(pool);
	FOR_PROVIDES(q, pp, id)
	if (q == p)
		return true;
	return false;
}

static void test_index(void **state)
{
	Pool *pool = apk_pool();
	struct ed_diag d;
	Repo *main, *community;
	Id p;

	(void)state;
	ed_diag_clear(&d);
	main = apk_load_index(pool, MAIN, "APKINDEX.tar.gz", "main", &d);
	if (!main)
		fail_msg("%s", d.msg);
	community = apk_load_index(pool, COMMUNITY, "APKINDEX.tar.gz", "community", &d);
	assert_non_null(community);
	assert_int_equal(main->nsolvables, 22);
	assert_int_equal(community->nsolvables, 6);
	p = find(pool, "zlib-dev", "1.3.1-r2");
	assert_true(p);
	assert_string_equal(pool_id2str(pool, pool->solvables[p].arch), "x86_64");
	assert_true(provides(pool, p, "pc:zlib"));
	assert_true(provides(pool, find(pool, "samurai", NULL), "cmd:ninja"));
	assert_true(provides(pool, find(pool, "libcap2", NULL), "so:libcap.so.2"));
	/* the names the packages depend on: pc:zlib from libxml2-dev */
	assert_true(find(pool, ".extdeps-build", NULL) == 0);
	pool_free(pool);
}

struct bad {
	char tmp[256];
	char path[512];
};

static void write_bad(struct bad *b, const void *data, size_t len)
{
	eh_tmpdir(b->tmp, sizeof b->tmp, "apk");
	snprintf(b->path, sizeof b->path, "%s/APKINDEX.tar.gz", b->tmp);
	eh_write_file(b->path, data, len);
}

/* FIXTURE changed by EDIT, read: NULL, with a message saying EXPECT. */
static void refused(void (*edit)(char *data, size_t *len), const char *expect)
{
	struct ed_diag d;
	struct bad b;
	size_t len;
	char *data = util_read_file(MAIN, &len, &d);
	Pool *pool = apk_pool();

	assert_non_null(data);
	edit(data, &len);
	write_bad(&b, data, len);
	ed_diag_clear(&d);
	assert_null(apk_load_index(pool, b.path, "APKINDEX.tar.gz", "main", &d));
	assert_int_equal(d.status, ED_EXIT_ENV);
	if (!strstr(d.msg, expect))
		fail_msg("expected '%s' in: %s", expect, d.msg);
	assert_int_equal(pool->nsolvables, 2); /* none added: only libsolv's own */
	pool_free(pool);
	free(data);
	eh_rm_rf(b.tmp);
}

static void cut_half(char *data, size_t *len)
{
	(void)data;
	*len /= 2;
}

/* a byte of the index's deflate data changed: its CRC fails */
static void flip_middle(char *data, size_t *len)
{
	data[*len - 40] ^= 0x55;
}

static void not_gzip(char *data, size_t *len)
{
	memcpy(data, "<html>", 6);
	(void)len;
}

/* only the signature's stream: what a cut at the streams' border leaves
 * (the index's stream starts with the next gzip header) */
static void signature_only(char *data, size_t *len)
{
	static const char gzip_header[] = { 0x1f, (char)0x8b, 0x08, 0x00 };
	const char *next = memmem(data + 4, *len - 4, gzip_header, sizeof gzip_header);

	assert_non_null(next);
	*len = (size_t)(next - data);
}

static void test_index_refused(void **state)
{
	(void)state;
	refused(cut_half, "truncated or corrupt APKINDEX");
	refused(flip_middle, "truncated or corrupt APKINDEX");
	refused(not_gzip, "not an APKINDEX.tar.gz");
	refused(signature_only, "it lists no package");
}

static void test_installed(void **state)
{
	Pool *pool = apk_pool();
	struct ed_diag d;
	Repo *repo;
	char **deps = NULL;
	size_t n = 0;

	(void)state;
	ed_diag_clear(&d);
	repo = apk_load_installed_db(pool, ROOT, &d);
	assert_non_null(repo);
	assert_int_equal(repo->nsolvables, 5);
	assert_true(find(pool, "zlib-dev", "1.3.1-r2"));
	assert_true(find(pool, ".extdeps-build", NULL));
	pool_free(pool);

	/* no database: nothing installed */
	pool = apk_pool();
	repo = apk_load_installed_db(pool, FIXTURES "/apk/mirror", &d);
	assert_non_null(repo);
	assert_int_equal(repo->nsolvables, 0);
	pool_free(pool);

	assert_true(apk_virtual_deps(ROOT, ".extdeps-build", &deps, &n));
	assert_int_equal(n, 2);
	assert_string_equal(deps[0], "zlib-dev");
	assert_string_equal(deps[1], "pkgconf");
	util_strv_free(deps, n);
	assert_true(apk_virtual_deps(ROOT, ".other", &deps, &n));
	assert_int_equal(n, 0);
}

/* check's view: the packages, and what they provide by so:, pc:, cmd: */
static void test_open_db(void **state)
{
	const struct eco_ops *apk = eco_find("apk");
	struct eco_opts o = { .root = ROOT };
	struct installed *db = NULL;
	const struct installed_pkg *hit;
	struct ed_diag d;
	size_t n;

	(void)state;
	assert_non_null(apk);
	assert_true(apk->has_db(&o));
	ed_diag_clear(&d);
	assert_int_equal(apk->open_db(&o, &db, &d), 0);
	assert_non_null(db);
	assert_string_equal(installed_kind_name(installed_kind(db)), "apk");
	hit = installed_find(db, "zlib-dev", &n);
	assert_int_equal(n, 1);
	assert_string_equal(hit->version, "1.3.1-r2");
	assert_null(hit->provider);
	hit = installed_find(db, "pc:zlib", &n);
	assert_int_equal(n, 1);
	assert_string_equal(hit->provider, "zlib-dev");
	assert_string_equal(hit->version, "1.3.1");
	hit = installed_find(db, "cmd:pkg-config", &n);
	assert_int_equal(n, 1);
	assert_string_equal(hit->provider, "pkgconf");
	/* a plain provide is no probe name */
	assert_null(installed_find(db, "pkgconfig", &n));
	installed_free(db);

	o.root = FIXTURES "/apk/mirror";
	assert_false(apk->has_db(&o));
	assert_int_equal(apk->open_db(&o, &db, &d), 0);
	assert_null(db);
}

static char *joined(char **argv)
{
	static char buf[1024];

	buf[0] = '\0';
	for (char **a = argv; a && *a; a++)
		snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%s", a == argv ? "" : " ", *a);
	return buf;
}

/* one apk add --virtual: what an earlier install recorded stays asked for */
static void test_install_argv(void **state)
{
	const struct eco_ops *apk = eco_find("apk");
	struct eco_opts o = { .root = ROOT };
	const char *specs[] = { "openblas-dev", "zlib-dev", "libxml2-dev>=2.12" };
	const char *bad[] = { "--allow-untrusted" };
	struct ed_diag d;
	char **argv;

	(void)state;
	ed_diag_clear(&d);
	argv = apk->install_argv(&o, specs, 3, ECO_INSTALL_YES, &d);
	assert_non_null(argv);
	assert_string_equal(joined(argv), "apk add --no-cache --virtual .extdeps-build zlib-dev "
					  "pkgconf openblas-dev libxml2-dev>=2.12");
	eco_argv_free(argv);
	argv = apk->install_argv(&o, specs, 1, ECO_INSTALL_SIMULATE, &d);
	assert_string_equal(joined(argv), "apk add --no-cache --virtual .extdeps-build --simulate "
					  "zlib-dev pkgconf openblas-dev");
	eco_argv_free(argv);
	/* nothing recorded: the packages alone */
	o.root = FIXTURES "/apk/mirror";
	argv = apk->install_argv(&o, specs, 2, 0, &d);
	assert_string_equal(joined(argv), "apk add --no-cache --virtual .extdeps-build openblas-dev "
					  "zlib-dev");
	eco_argv_free(argv);
	assert_null(apk->install_argv(&o, bad, 1, 0, &d));
	assert_int_equal(d.status, ED_EXIT_INPUT);
	assert_non_null(strstr(d.msg, "'--allow-untrusted' is not a valid apk package spec"));
	assert_true(apk->install_needs_root(&o));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_version_order), cmocka_unit_test(test_arch),
		cmocka_unit_test(test_index),         cmocka_unit_test(test_index_refused),
		cmocka_unit_test(test_installed),     cmocka_unit_test(test_open_db),
		cmocka_unit_test(test_install_argv),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
