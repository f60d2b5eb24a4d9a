/* Unit tests of the pacman backend (src/eco/pacman.c): pacman's version
 * order (vercmp(8)'s examples) on a pool set up by the backend, the sync
 * databases of tests/fixtures/pacman/root (written by make_fixtures.py)
 * loaded and solved, damaged ones refused, the local database as the
 * installed set and for check, pacman.conf and its mirror list, the
 * install argv. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <solv/evr.h>
#include <solv/solvable.h>

#include "extdeps/eco/backends.h"
#include "extdeps/eco/installed.h"
#include "extdeps/eco/pacman.h"
#include "extdeps/util/util.h"

#include "eco_helpers.h"

#define ROOT FIXTURES "/pacman/root"
#define CORE ROOT "/var/lib/pacman/sync/core.db"
#define EXTRA ROOT "/var/lib/pacman/sync/extra.db"

static Pool *new_pool(void)
{
	struct eco_opts o = { .arch = "x86_64" };
	struct ed_diag d;
	Pool *pool = pool_create();

	assert_int_equal(eco_pacman.pool_setup(pool, &o, &d), 0);
	return pool;
}

/* pacman's order of A and B, compared as the pool stores them. */
static int vercmp(Pool *pool, const char *a, const char *b)
{
	char ea[128], eb[128];

	assert_true(pacman_evr_encode(a, ea, sizeof ea));
	assert_true(pacman_evr_encode(b, eb, sizeof eb));
	return pool_evrcmp_str(pool, ea, eb, EVRCMP_COMPARE);
}

/* Each of VERSIONS is older than the next, as vercmp(8) lists them. */
static void ascending(Pool *pool, const char *const *versions, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++)
		for (size_t j = i + 1; j < n; j++) {
			if (vercmp(pool, versions[i], versions[j]) >= 0 ||
			    vercmp(pool, versions[j], versions[i]) <= 0)
				fail_msg("'%s' is not older than '%s'", versions[i], versions[j]);
		}
}

static void test_vercmp(void **state)
{
	/* vercmp(8) */
	static const char *const pre[] = { "1.0a", "1.0alpha", "1.0b", "1.0beta", "1.0p",
					   "1.0pre", "1.0rc", "1.0", "1.0.a", "1.0.1" };
	static const char *const dots[] = { "1", "1.0", "1.1", "1.1.1", "1.2", "2.0", "3.0.0" };
	Pool *pool = new_pool();

	(void)state;
	ascending(pool, pre, sizeof pre / sizeof *pre);
	ascending(pool, dots, sizeof dots / sizeof *dots);
	/* the brief's, epoch and pkgrel among them */
	assert_true(vercmp(pool, "1.0a", "1.0") < 0);
	assert_true(vercmp(pool, "1.0", "1.0.1") < 0);
	assert_true(vercmp(pool, "1:1.0", "2.0") > 0);
	assert_true(vercmp(pool, "1.0-1", "1.0-2") < 0);
	assert_true(vercmp(pool, "2.0rc1-1", "1.9-1") > 0);
	assert_true(vercmp(pool, "2.0rc1-1", "2.0-1") < 0);
	/* '~' and '^' separate as '.' does, to pacman */
	assert_int_equal(vercmp(pool, "1.0~1", "1.0.1"), 0);
	assert_int_equal(vercmp(pool, "1.0^1", "1.0.1"), 0);
	assert_int_equal(vercmp(pool, "1.0-1", "1.0-1"), 0);
	pool_free(pool);
}

static void test_evr_encoding(void **state)
{
	char enc[64], dec[64];

	(void)state;
	assert_true(pacman_evr_encode("2.40+r16+gaa533d58ff-2", enc, sizeof enc));
	assert_string_equal(enc, "2.40+r16+gaa533~d58~ff-2");
	pacman_evr_decode(enc, dec, sizeof dec);
	assert_string_equal(dec, "2.40+r16+gaa533d58ff-2");
	assert_true(pacman_evr_encode("1:1.0rc1-3", enc, sizeof enc));
	assert_string_equal(enc, "1:1.0~rc1-3");
	pacman_evr_decode(enc, dec, sizeof dec);
	assert_string_equal(dec, "1:1.0rc1-3");
	assert_true(pacman_evr_encode("1.0.a-1", enc, sizeof enc));
	assert_string_equal(enc, "1.0.a-1");
	/* no room */
	assert_false(pacman_evr_encode("1.0a", enc, 4));
}

/* The version of the newest solvable named NAME in POOL, as shown. */
static const char *best(Pool *pool, const char *name)
{
	Id id = pool_str2id(pool, name, 0), p, pp, found = 0;

	assert_int_not_equal(id, 0);
	pool_createwhatprovides(pool);
	FOR_PROVIDES(p, pp, id)
	if (pool->solvables[p].name == id &&
	    (!found || pool_evrcmp(pool, pool->solvables[p].evr, pool->solvables[found].evr,
				   EVRCMP_COMPARE) > 0))
		found = p;
	assert_int_not_equal(found, 0);
	return eco_pacman.solvable_version(pool, found);
}

static void test_load_db(void **state)
{
	Pool *pool = new_pool();
	struct ed_diag d;
	Repo *core, *extra;
	char out[1024];
	const char *want[] = { "gdal" };

	(void)state;
	core = pacman_load_db(pool, CORE, "core", 0, &d);
	extra = pacman_load_db(pool, EXTRA, "extra", 0, &d);
	assert_non_null(core);
	assert_non_null(extra);
	assert_int_equal(core->nsolvables, 8);
	assert_int_equal(extra->nsolvables, 23);
	/* pacman's order picks the newest */
	assert_string_equal(best(pool, "vprobe-alpha"), "1.0-1");
	assert_string_equal(best(pool, "vprobe-dot"), "1.0.a-1");
	assert_string_equal(best(pool, "vprobe-epoch"), "1:1.0-1");
	assert_string_equal(best(pool, "vprobe-rel"), "1.0-2");
	assert_string_equal(best(pool, "vprobe-rc"), "2.0rc1-1");
	assert_string_equal(best(pool, "zlib"), "1:1.3.1-2");
	/* the dependencies resolve through provides, sonames among them */
	pool_addfileprovides(pool);
	pool_createwhatprovides(pool);
	assert_int_equal(eh_solve(pool, want, 1, out, sizeof out), 0);
	assert_non_null(strstr(out, "gdal"));
	assert_non_null(strstr(out, "proj"));
	assert_non_null(strstr(out, "sqlite"));
	/* through its soname, libxml2.so=16-64 */
	assert_non_null(strstr(out, "libxml2-2.13.5-1"));
	assert_true(eco_pool_has_name(pool, "libxml2"));
	pool_free(pool);
}

/* The sync database FIXTURE's bytes, cut to CUT bytes (0: whole) or with
 * byte FLIP changed (0: none), in a file of its own; its path into OUT. */
static void damaged(const char *tmp, const char *fixture, size_t cut, size_t flip, char *out,
		    size_t size)
{
	size_t len;
	char *data = util_read_file(fixture, &len, NULL);

	assert_non_null(data);
	snprintf(out, size, "%s/damaged.db", tmp);
	if (flip)
		data[flip] ^= 0x55;
	eh_write_file(out, data, cut ? cut : len);
	free(data);
}

static void test_damaged_db(void **state)
{
	char tmp[256], path[512];
	struct ed_diag d;
	Pool *pool = new_pool();

	(void)state;
	eh_tmpdir(tmp, sizeof tmp, "pacman");
	damaged(tmp, EXTRA, 300, 0, path, sizeof path);
	assert_null(pacman_load_db(pool, path, "extra", 0, &d));
	assert_int_equal(d.status, ED_EXIT_ENV);
	assert_string_equal(d.file, path);
	assert_string_equal(d.msg,
			    "the sync database is truncated or corrupt: it does not decompress whole");
	/* a changed byte in the deflate stream, or in the CRC at its end */
	damaged(tmp, EXTRA, 0, 200, path, sizeof path);
	assert_null(pacman_load_db(pool, path, "extra", 0, &d));
	assert_int_equal(d.status, ED_EXIT_ENV);
	/* larger, once decompressed, than allowed */
	assert_null(pacman_load_db(pool, EXTRA, "extra", 4096, &d));
	assert_string_equal(d.msg, "the sync database expands beyond 4096 bytes");
	/* zstd cut inside its frame header: refused, not read forever */
	eh_write_file(path, "\x28\xb5\x2f\xfd\x29", 5);
	assert_null(pacman_load_db(pool, path, "extra", 0, &d));
	assert_string_equal(d.msg,
			    "the sync database is truncated or corrupt: it does not decompress whole");
	/* not compressed, not a tar */
	eh_write_file(path, "<html>mirror error</html>\n", 26);
	assert_null(pacman_load_db(pool, path, "extra", 0, &d));
	assert_non_null(strstr(d.msg, "not a pacman sync database"));
	/* an empty archive: 1024 zero bytes */
	{
		char *zeros = calloc(1, 10240);

		memcpy(zeros + 257, "ustar", 5); /* tar, by its magic, yet no entry */
		zeros[0] = '\0';
		eh_write_file(path, zeros, 10240);
		free(zeros);
	}
	assert_null(pacman_load_db(pool, path, "extra", 0, &d));
	assert_non_null(strstr(d.msg, "lists no package"));
	/* absent */
	assert_null(pacman_load_db(pool, "/nonexistent/core.db", "core", 0, &d));
	assert_non_null(strstr(d.msg, "cannot read"));
	assert_int_equal(pool->nrepos, 1); /* only the system repo slot: none left */
	eh_rm_rf(tmp);
	pool_free(pool);
}

static void test_local(void **state)
{
	Pool *pool = new_pool();
	struct eco_opts o = { .root = ROOT, .arch = "x86_64" };
	struct installed *db = NULL;
	const struct installed_pkg *pkg;
	struct ed_diag d;
	Repo *repo;
	size_t n;

	(void)state;
	assert_int_equal(eco_pacman.load_installed(pool, &o, &repo, &d), 0);
	assert_ptr_equal(repo, pool->installed);
	assert_int_equal(repo->nsolvables, 4);
	assert_string_equal(best(pool, "zlib"), "1:1.3.1-2");
	assert_string_equal(best(pool, "gcc-libs"), "14.2.1+r24+g2d3ae7e3b5c6-1");
	pool_free(pool);

	assert_true(eco_pacman.has_db(&o));
	assert_int_equal(eco_pacman.open_db(&o, &db, &d), 0);
	assert_non_null(db);
	assert_string_equal(installed_kind_name(installed_kind(db)), "pacman");
	pkg = installed_find(db, "gcc-libs", &n);
	assert_int_equal(n, 1);
	assert_string_equal(pkg->version, "14.2.1+r24+g2d3ae7e3b5c6-1");
	assert_null(installed_find(db, "gdal", &n));
	installed_free(db);

	/* a machine without pacman */
	o.root = FIXTURES "/roots/os/arch";
	assert_false(eco_pacman.has_db(&o));
	assert_int_equal(eco_pacman.open_db(&o, &db, &d), 0);
	assert_null(db);
}

static void test_conf(void **state)
{
	struct pacman_conf c;

	(void)state;
	assert_true(pacman_conf_read(ROOT, &c));
	assert_int_equal(c.n, 2);
	assert_string_equal(c.repo[0], "core");
	assert_string_equal(c.repo[1], "extra");
	/* the first Server of the mirror list, not a commented one */
	assert_string_equal(c.server[0], "https://mirror.invalid/archlinux/$repo/os/$arch");
	assert_string_equal(c.server[1], "https://mirror.invalid/archlinux/$repo/os/$arch");
	assert_false(pacman_conf_read("/nonexistent", &c));
	assert_int_equal(c.n, 0);
}

static void test_install_argv(void **state)
{
	static const char *const specs[] = { "gcc", "libxml2>=2.10", "libopenblas.so=0-64" };
	static const char *const bad[] = { "-Syu" };
	static const char *const bad2[] = { "gcc;rm" };
	struct ed_diag d;
	char **argv;

	(void)state;
	argv = eco_pacman.install_argv(NULL, specs, 3, ECO_INSTALL_YES, &d);
	assert_non_null(argv);
	assert_string_equal(argv[0], "pacman");
	assert_string_equal(argv[1], "-S");
	assert_string_equal(argv[2], "--needed");
	assert_string_equal(argv[3], "--noconfirm");
	assert_string_equal(argv[4], "--asdeps");
	assert_string_equal(argv[5], "gcc");
	assert_string_equal(argv[6], "libxml2>=2.10");
	assert_string_equal(argv[7], "libopenblas.so=0-64");
	assert_null(argv[8]);
	eco_argv_free(argv);
	argv = eco_pacman.install_argv(NULL, specs, 1, ECO_INSTALL_SIMULATE, &d);
	assert_string_equal(argv[3], "--asdeps");
	assert_string_equal(argv[4], "--print");
	eco_argv_free(argv);
	assert_null(eco_pacman.install_argv(NULL, bad, 1, 0, &d));
	assert_int_equal(d.status, ED_EXIT_INPUT);
	assert_null(eco_pacman.install_argv(NULL, bad2, 1, 0, &d));
	assert_true(eco_pacman.install_needs_root(NULL));
	assert_ptr_equal(eco_for_ecosystem("arch"), &eco_pacman);
	assert_ptr_equal(eco_find("pacman"), &eco_pacman);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vercmp),      cmocka_unit_test(test_evr_encoding),
		cmocka_unit_test(test_load_db),     cmocka_unit_test(test_damaged_db),
		cmocka_unit_test(test_local),       cmocka_unit_test(test_conf),
		cmocka_unit_test(test_install_argv),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
