/* Unit tests of the dnf backend (src/eco/dnf.c): the rpm-md fixture in
 * tests/fixtures/rpmmd (regen.sh writes repo/ from primary.xml), loaded and
 * solved with libsolv; verification of the primary against repomd.xml; the
 * metalink parser; the installed set on a machine without an rpm database. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <solv/evr.h>
#include <solv/knownid.h>
#include <solv/solvable.h>

#include "extdeps/eco/arch.h"
#include "extdeps/eco/backends.h"
#include "extdeps/eco/dnf.h"
#include "extdeps/eco/dnf_modules.h"
#include "extdeps/eco/eco.h"
#include "extdeps/eco/installed.h"
#include "extdeps/eco/rpmmd.h"
#include "extdeps/net/repocache.h"
#include "extdeps/solve/plan.h"
#include "extdeps/util/util.h"

#include "eco_helpers.h"

#define REPO FIXTURES "/rpmmd/repo"

/* The real 51 MB primary takes minutes under the sanitizers. */
#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

struct fx {
	char tmp[256];
	char cache[512];  /* tmp/cache: --cache-dir */
	char target[768]; /* tmp/cache/dnf/fedora-41-x86_64: a copy of the fixture repo */
	char primary[1024];
};

static int fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	DIR *dh;
	struct dirent *e;

	if (!f)
		return -1;
	eh_tmpdir(f->tmp, sizeof f->tmp, "dnf");
	snprintf(f->cache, sizeof f->cache, "%s/cache", f->tmp);
	snprintf(f->target, sizeof f->target, "%s/dnf/fedora-41-x86_64", f->cache);
	eh_mkdirs(f->target);
	dh = opendir(REPO);
	assert_non_null(dh);
	while ((e = readdir(dh))) {
		char src[1024], dst[1024];

		if (e->d_name[0] == '.')
			continue;
		snprintf(src, sizeof src, "%s/%s", REPO, e->d_name);
		snprintf(dst, sizeof dst, "%s/%s", f->target, e->d_name);
		eh_copy_file(src, dst);
		if (strstr(e->d_name, "-primary.xml.gz"))
			snprintf(f->primary, sizeof f->primary, "%s", dst);
	}
	closedir(dh);
	assert_true(f->primary[0]);
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

static Pool *new_pool(const char *arch)
{
	struct eco_opts o = { .arch = arch, .release = "41" };
	struct ed_diag d;
	Pool *pool = pool_create();

	assert_int_equal(eco_dnf.pool_setup(pool, &o, &d), 0);
	return pool;
}

/* The fixture loaded through the backend, offline, from the test's cache. */
static Pool *load(struct fx *f, struct eco_load_stats *st)
{
	struct eco_opts o = { .arch = "x86_64", .release = "41", .cache_dir = f->cache,
			      .offline = true };
	struct ed_diag d = { 0 };
	Pool *pool = new_pool("x86_64");
	int rc = eco_dnf.load_available(pool, &o, st, &d);

	if (rc)
		fail_msg("load_available: %s", d.msg);
	return pool;
}

static void test_table(void **state)
{
	(void)state;
	assert_ptr_equal(eco_find("dnf"), &eco_dnf);
	assert_ptr_equal(eco_for_ecosystem("fedora"), &eco_dnf);
	assert_int_equal(eco_dnf.disttype, DISTTYPE_RPM);
	assert_string_equal(arch_convert("arm64", ARCH_RPM), "aarch64");
	assert_string_equal(arch_convert("x86_64", ARCH_RPM), "x86_64");
	assert_null(arch_convert("vax", ARCH_RPM));
}

static void test_pool_setup_rpm_rules(void **state)
{
	Pool *pool = new_pool("x86_64");
	struct eco_opts bad = { .arch = "x86_64", .release = "41;rm" };
	struct ed_diag d;

	(void)state;
	/* rpm, not Debian: 1.0a equals 1.0.a, and '~' sorts first */
	assert_int_equal(pool_evrcmp_str(pool, "1.0a", "1.0.a", EVRCMP_COMPARE), 0);
	assert_true(pool_evrcmp_str(pool, "1.0~rc1", "1.0", EVRCMP_COMPARE) < 0);
	assert_true(pool_evrcmp_str(pool, "9.4.1-2.fc41", "9.4.0-1.fc41", EVRCMP_COMPARE) > 0);
	pool_free(pool);
	pool = pool_create();
	assert_int_equal(eco_dnf.pool_setup(pool, &bad, &d), ED_EXIT_INPUT);
	assert_non_null(strstr(d.msg, "'41;rm' is not a release"));
	pool_free(pool);
}

static void test_load_and_solve(void **state)
{
	struct fx *f = *state;
	struct eco_load_stats st;
	Pool *pool = load(f, &st);
	const char *gdal[] = { "pkgconfig(gdal)" };
	char out[2048];

	assert_int_equal(st.repos, 1);
	assert_int_equal(st.solvables, 9);
	assert_int_equal(st.cache_hits, 0);
	assert_int_equal(st.cache_writes, 1);
	assert_true(eco_pool_has_name(pool, "gdal-devel"));
	assert_int_equal(eco_pool_count_name(pool, "proj"), 2);
	/* a provide is not a name */
	assert_false(eco_pool_has_name(pool, "pkgconfig(gdal)"));
	/* pkgconfig(gdal) -> gdal-devel; its pkgconfig(proj) >= 9.0 and the file
	 * /usr/bin/pkg-config resolve; the newest proj is taken */
	assert_int_equal(eh_solve(pool, gdal, 1, out, sizeof out), 0);
	assert_string_equal(out, "gdal-devel-3.9.2-1.fc41 gdal-libs-3.9.2-1.fc41 "
				 "pkgconf-pkg-config-2.3.0-1.fc41 proj-9.4.1-2.fc41 "
				 "proj-devel-9.4.1-2.fc41");
	pool_free(pool);

	/* the second load comes from the .solv cache, with the same answer */
	pool = load(f, &st);
	assert_int_equal(st.cache_hits, 1);
	assert_int_equal(st.cache_writes, 0);
	assert_int_equal(eh_solve(pool, gdal, 1, out, sizeof out), 0);
	assert_non_null(strstr(out, "proj-devel-9.4.1-2.fc41"));
	pool_free(pool);
}

static void test_download_size(void **state)
{
	struct fx *f = *state;
	Pool *pool = load(f, NULL);
	Id p;
	Solvable *s;
	bool seen = false;

	FOR_POOL_SOLVABLES(p)
	{
		s = pool->solvables + p;
		if (!strcmp(pool_id2str(pool, s->name), "gdal-libs")) {
			assert_int_equal(solvable_lookup_num(s, SOLVABLE_DOWNLOADSIZE, 0), 9000000);
			seen = true;
		}
	}
	assert_true(seen);
	pool_free(pool);
}

static void test_problems(void **state)
{
	struct fx *f = *state;
	Pool *pool = load(f, NULL);
	const char *hdf5[] = { "pkgconfig(hdf5)" };
	const char *none[] = { "pkgconfig(nonexistent)" };
	/* a rich dependency, met by the i686 package (x86_64 takes multilib) */
	const char *py[] = { "python3-devel" };
	char out[2048];

	assert_int_equal(eh_solve(pool, hdf5, 1, out, sizeof out), 1);
	assert_non_null(strstr(out, "nothing provides libsz.so.2()(64bit) needed by "
				    "hdf5-devel-1.14.4-1.fc41.x86_64"));
	assert_int_equal(eh_solve(pool, none, 1, out, sizeof out), 1);
	assert_non_null(strstr(out, "nothing provides requested pkgconfig(nonexistent)"));
	assert_int_equal(eh_solve(pool, py, 1, out, sizeof out), 0);
	assert_string_equal(out, "libffi-devel-3.4.6-1.fc41 python3-devel-3.13.0-1.fc41");
	pool_free(pool);

	/* on aarch64 no x86_64 package is installable */
	pool = new_pool("aarch64");
	{
		struct eco_opts o = { .arch = "x86_64", .release = "41", .cache_dir = f->cache,
				      .offline = true, .no_cache = true };
		struct ed_diag d;
		const char *gdal[] = { "gdal-devel" };

		assert_int_equal(eco_dnf.load_available(pool, &o, NULL, &d), 0);
		assert_int_equal(eh_solve(pool, gdal, 1, out, sizeof out), 1);
		assert_string_equal(out, "problem: nothing provides requested gdal-devel");
	}
	pool_free(pool);
}

static void test_offline_missing(void **state)
{
	struct fx *f = *state;
	struct eco_opts o = { .arch = "aarch64", .release = "41", .cache_dir = f->cache,
			      .offline = true };
	struct ed_diag d = { 0 };
	Pool *pool = new_pool("aarch64");

	assert_int_equal(eco_dnf.load_available(pool, &o, NULL, &d), ED_EXIT_ENV);
	assert_non_null(strstr(d.msg, "no metadata for Fedora 41 (aarch64)"));
	assert_non_null(strstr(d.msg, "--offline"));
	pool_free(pool);
}

/* Replace the fixture's primary with DATA, keeping repomd.xml. */
static void clobber(struct fx *f, const void *data, size_t len)
{
	eh_write_file(f->primary, data, len);
}

static void expect_load_error(struct fx *f, const char *what)
{
	struct ed_diag d = { 0 };
	Pool *pool = new_pool("x86_64");

	assert_null(rpmmd_load_dir(pool, f->target, "t", NULL, NULL, false, NULL, NULL, &d));
	assert_int_equal(d.status, ED_EXIT_ENV);
	assert_string_equal(d.file, f->primary);
	if (!strstr(d.msg, what))
		fail_msg("expected '%s' in '%s'", what, d.msg);
	pool_free(pool);
}

static void test_truncated_and_corrupt(void **state)
{
	struct fx *f = *state;
	size_t len;
	char *data = util_read_file(f->primary, &len, NULL);

	assert_non_null(data);
	clobber(f, data, len / 2);
	expect_load_error(f, "does not match repomd.xml's");
	/* same size, one byte changed: the checksum tells */
	data[len / 2] ^= 0x55;
	clobber(f, data, len);
	expect_load_error(f, "sha256 checksum");
	/* oversized */
	{
		char *big = calloc(1, len + 4096);

		assert_non_null(big);
		memcpy(big, data, len);
		clobber(f, big, len + 4096);
		free(big);
		expect_load_error(f, "does not match repomd.xml's");
	}
	free(data);
}

static void test_bad_repomd(void **state)
{
	struct fx *f = *state;
	char path[1024];
	struct ed_diag d = { 0 };
	Pool *pool = new_pool("x86_64");
	static const char no_primary[] =
		"<?xml version=\"1.0\"?>\n<repomd xmlns=\"http://linux.duke.edu/metadata/repo\">"
		"<revision>1</revision></repomd>\n";

	snprintf(path, sizeof path, "%s/repomd.xml", f->target);
	eh_write_file(path, "<repomd><data type=\"primary\"", 29);
	assert_null(rpmmd_load_dir(pool, f->target, "t", NULL, NULL, false, NULL, NULL, &d));
	assert_int_equal(d.status, ED_EXIT_ENV);
	assert_string_equal(d.file, path);
	assert_non_null(strstr(d.msg, "not valid repomd XML"));
	eh_write_file(path, no_primary, sizeof no_primary - 1);
	assert_null(rpmmd_load_dir(pool, f->target, "t", NULL, NULL, false, NULL, NULL, &d));
	assert_non_null(strstr(d.msg, "has no 'primary' data"));
	pool_free(pool);
}

/* The package a plan chooses for file PATH in POOL, or NULL when it finds
 * none; it is in the transaction. */
static const char *file_owner(Pool *pool, const char *path)
{
	static char name[64];
	const char *alts[] = { path };
	struct reg_spec spec = { (char **)alts, 1, NULL };
	struct reg_spec_list list = { &spec, 1 };
	struct plan *pl = plan_new(pool, &eco_dnf);
	const struct plan_choice *c;
	struct ed_diag d;

	pool_addfileprovides(pool);
	pool_createwhatprovides(pool);
	assert_int_equal(plan_add_specs(pl, "dep:generic/file", &list, NULL), 0);
	ed_diag_clear(&d);
	assert_int_equal(plan_solve(pl, 0, &d), 0);
	c = &plan_result(pl)->requests[0].choices[0];
	name[0] = '\0';
	if (c->state == PLAN_NEW) {
		snprintf(name, sizeof name, "%s", c->name);
		assert_int_equal(plan_result(pl)->nproblems, 0);
		assert_string_equal(plan_result(pl)->explicit_[0], name);
	} else {
		assert_int_equal(c->state, PLAN_MISSING);
	}
	plan_free(pl);
	return name[0] ? name : NULL;
}

/* File lists only when asked for: a header path is provided then, and the
 * two loads are cached apart. */
static void test_file_lists(void **state)
{
	struct fx *f = *state;
	struct eco_opts o = { .arch = "x86_64", .release = "41", .cache_dir = f->cache,
			      .offline = true };
	struct eco_load_stats st;
	struct ed_diag d = { 0 };
	Pool *pool = new_pool("x86_64");

	assert_int_equal(eco_dnf.load_available(pool, &o, &st, &d), 0);
	/* the primary lists the files in bin directories itself */
	assert_string_equal(file_owner(pool, "/usr/bin/gdal-config"), "gdal-devel");
	assert_null(file_owner(pool, "/usr/include/gdal/gdal.h"));
	pool_free(pool);

	o.file_lists = true;
	for (int run = 0; run < 2; run++) {
		pool = new_pool("x86_64");
		assert_int_equal(eco_dnf.load_available(pool, &o, &st, &d), 0);
		assert_int_equal(st.cache_hits, run == 1);
		assert_string_equal(file_owner(pool, "/usr/include/gdal/gdal.h"), "gdal-devel");
		assert_string_equal(file_owner(pool, "/usr/include/proj.h"), "proj-devel");
		assert_string_equal(file_owner(pool, "/usr/bin/gdal-config"), "gdal-devel");
		pool_free(pool);
	}
}

/* File lists that do not match repomd.xml are refused; offline, missing
 * ones are an error saying so. */
static void test_file_lists_unverified(void **state)
{
	struct fx *f = *state;
	struct eco_opts o = { .arch = "x86_64", .release = "41", .cache_dir = f->cache,
			      .offline = true, .file_lists = true, .no_cache = true };
	struct ed_diag d = { 0 };
	char path[1024];
	Pool *pool;
	DIR *dh = opendir(f->target);
	struct dirent *e;

	path[0] = '\0';
	while (dh && (e = readdir(dh)))
		if (strstr(e->d_name, "-filelists.xml.gz"))
			snprintf(path, sizeof path, "%s/%s", f->target, e->d_name);
	closedir(dh);
	assert_true(path[0]);
	eh_write_file(path, "not gzip", 8);
	pool = new_pool("x86_64");
	assert_int_equal(eco_dnf.load_available(pool, &o, NULL, &d), ED_EXIT_ENV);
	assert_string_equal(d.file, path);
	assert_non_null(strstr(d.msg, "does not match repomd.xml"));
	pool_free(pool);

	unlink(path);
	pool = new_pool("x86_64");
	assert_int_equal(eco_dnf.load_available(pool, &o, NULL, &d), ED_EXIT_ENV);
	assert_non_null(strstr(d.msg, "no metadata with file lists for Fedora 41"));
	pool_free(pool);
}

/* A primary that is not XML but passes verification (repomd rewritten to
 * match): the parser's error is reported. */
static void test_corrupt_primary_parse(void **state)
{
	struct fx *f = *state;
	char path[1024], repomd[2048];
	struct ed_diag d = { 0 };
	Pool *pool = new_pool("x86_64");
	static const char bad[] = "<metadata packages=\"1\"><package type=\"rpm\"><name>x</name>";
	int n;

	snprintf(path, sizeof path, "%s/primary.xml", f->target);
	eh_write_file(path, bad, sizeof bad - 1);
	n = snprintf(repomd, sizeof repomd,
		     "<repomd xmlns=\"http://linux.duke.edu/metadata/repo\"><data type=\"primary\">"
		     "<location href=\"repodata/primary.xml\"/></data></repomd>\n");
	snprintf(path, sizeof path, "%s/repomd.xml", f->target);
	eh_write_file(path, repomd, (size_t)n);
	assert_null(rpmmd_load_dir(pool, f->target, "t", NULL, NULL, false, NULL, NULL, &d));
	assert_int_equal(d.status, ED_EXIT_ENV);
	assert_non_null(strstr(d.msg, "corrupt rpm-md primary data"));
	pool_free(pool);
}

static void test_metalink(void **state)
{
	struct dnf_metalink ml;
	struct ed_diag d = { 0 };
	size_t len;
	char *text = util_read_file(FIXTURES "/rpmmd/metalink.xml", &len, NULL);

	(void)state;
	assert_non_null(text);
	assert_int_equal(dnf_metalink_parse(text, len, "metalink", &ml, &d), 0);
	/* the current hash, not the alternate's; lower-cased */
	assert_string_equal(ml.sha256,
			    "b1c2d3e4f5061728394a5b6c7d8e9f00112233445566778899aabbccddeeff00");
	/* rsync skipped, entities decoded, order kept */
	assert_int_equal(ml.nurls, 2);
	assert_string_equal(ml.urls[0], "https://mirror.example.org/fedora/linux/releases/41/"
					"Everything/x86_64/os/repodata/repomd.xml");
	assert_string_equal(ml.urls[1],
			    "http://mirror2.example.org/pub/fedora/41/x86_64/os/repodata/"
			    "repomd.xml?a=1&b=2");
	dnf_metalink_fini(&ml);
	assert_int_equal(dnf_metalink_parse("<html>503</html>", 16, "metalink", &ml, &d),
			 ED_EXIT_ENV);
	assert_non_null(strstr(d.msg, "not a metalink"));
	free(text);
}

static void test_installed_without_rpmdb(void **state)
{
	struct fx *f = *state;
	struct eco_opts o = { .root = f->tmp };
	struct ed_diag d;
	Pool *pool = new_pool("x86_64");
	Repo *repo = NULL;

	assert_int_equal(eco_dnf.load_installed(pool, &o, &repo, &d), 0);
	assert_non_null(repo);
	assert_ptr_equal(pool->installed, repo);
	assert_int_equal(repo->nsolvables, 0);
	pool_free(pool);
}

/* An rpm database is a database file: the empty /var/lib/rpm that Debian's
 * rpm package leaves is none (check then does not read it). */
static void test_has_rpmdb(void **state)
{
	char tmp[256], dir[512], db[600];

	(void)state;
	eh_tmpdir(tmp, sizeof tmp, "rpmdb");
	snprintf(dir, sizeof dir, "%s/var/lib/rpm", tmp);
	eh_mkdirs(dir);
	assert_false(installed_has_rpmdb(tmp));
	snprintf(db, sizeof db, "%s/rpmdb.sqlite", dir);
	eh_write_file(db, "", 0);
	assert_true(installed_has_rpmdb(tmp));
	/* with a trailing '/' too */
	snprintf(dir, sizeof dir, "%s/", tmp);
	assert_true(installed_has_rpmdb(dir));
	unlink(db);
	snprintf(dir, sizeof dir, "%s/usr/lib/sysimage/rpm", tmp);
	eh_mkdirs(dir);
	snprintf(db, sizeof db, "%s/Packages.db", dir);
	eh_write_file(db, "", 0);
	assert_true(installed_has_rpmdb(tmp));
	eh_rm_rf(tmp);
}

static void test_installed_host_rpmdb(void **state)
{
	struct eco_opts o = { .root = "/" };
	struct ed_diag d;
	Pool *pool;
	Repo *repo = NULL;

	(void)state;
	/* a machine whose packages rpm keeps (not Debian with rpm installed) */
	if (!installed_has_rpmdb("/") || !access("/var/lib/dpkg/status", F_OK))
		skip();
	pool = new_pool("x86_64");
	assert_int_equal(eco_dnf.load_installed(pool, &o, &repo, &d), 0);
	assert_true(repo->nsolvables > 0);
	pool_free(pool);
}

/* update() from a file:// mirror (a baseurl with repodata/) */
static void test_update_mirror(void **state)
{
	struct fx *f = *state;
	char mirror[600], dir[700], dst[1024], target[1024];
	struct eco_opts o = { .arch = "x86_64", .release = "42", .cache_dir = f->cache,
			      .mirror = mirror };
	struct eco_update_stats st = { 0 };
	struct eco_load_stats ls;
	struct ed_diag d = { 0 };
	const char *base = strrchr(f->primary, '/') + 1;
	Pool *pool;

	snprintf(mirror, sizeof mirror, "file://%s/mirror/", f->tmp);
	snprintf(dir, sizeof dir, "%s/mirror/repodata", f->tmp);
	eh_mkdirs(dir);
	snprintf(dst, sizeof dst, "%s/%s", dir, base);
	eh_copy_file(f->primary, dst);
	snprintf(dst, sizeof dst, "%s/repomd.xml", dir);
	eh_copy_file(REPO "/repomd.xml", dst);
	if (eco_dnf.update(&o, &st, &d))
		fail_msg("update: %s: %s", d.file, d.msg);
	assert_int_equal(st.files, 2);
	snprintf(target, sizeof target, "%s/dnf/fedora-42-x86_64/%s", f->cache, base);
	assert_int_equal(access(target, R_OK), 0);
	pool = new_pool("x86_64");
	o.offline = true;
	assert_int_equal(eco_dnf.load_available(pool, &o, &ls, &d), 0);
	assert_int_equal(ls.solvables, 9);
	pool_free(pool);
	/* a primary that does not match repomd.xml is refused */
	snprintf(dst, sizeof dst, "%s/%s", dir, base);
	eh_write_file(dst, "garbage", 7);
	unlink(target);
	o.offline = false;
	assert_int_equal(eco_dnf.update(&o, &st, &d), ED_EXIT_ENV);
	assert_int_equal(access(target, F_OK), -1);
}

static void test_install_argv(void **state)
{
	const char *ok[] = { "gdal-devel", "pkgconfig(proj)", "perl(Foo::Bar)" };
	const char *bad[] = { "-y" };
	const char *shell[] = { "gdal;reboot" };
	struct ed_diag d;
	char **argv;

	(void)state;
	argv = eco_dnf.install_argv(NULL, ok, 3, ECO_INSTALL_YES | ECO_INSTALL_NO_RECOMMENDS, &d);
	assert_non_null(argv);
	assert_string_equal(argv[0], "dnf");
	assert_string_equal(argv[1], "install");
	assert_string_equal(argv[2], "-y");
	assert_string_equal(argv[3], "--setopt=install_weak_deps=False");
	assert_string_equal(argv[5], "pkgconfig(proj)");
	assert_null(argv[7]);
	eco_argv_free(argv);
	assert_null(eco_dnf.install_argv(NULL, bad, 1, 0, &d));
	assert_int_equal(d.status, ED_EXIT_INPUT);
	assert_null(eco_dnf.install_argv(NULL, shell, 1, 0, &d));
	assert_true(eco_dnf.install_needs_root(NULL));
}

/* TEXT as the file NAME of DIR. */
static void put(const char *dir, const char *name, const char *text)
{
	char path[1024];

	snprintf(path, sizeof path, "%s/%s", dir, name);
	eh_write_file(path, text, strlen(text));
}

/* has_repo: what /etc/yum.repos.d under the root enables, by the id the
 * repository's enable command names (Oracle Linux's CRB), else its own. */
static void test_has_repo(void **state)
{
	struct fx *f = *state;
	char root[512], dir[768];
	struct eco_opts o = { .root = root };
	const struct eco_repo crb = { .id = "crb", .enable = "dnf config-manager --set-enabled crb" },
			      epel = { .id = "epel", .enable = "dnf install -y epel-release" },
			      powertools = { .id = "powertools" },
			      ol_crb = { .id = "crb", .enable = "dnf config-manager --set-enabled "
								"ol9_codeready_builder" },
			      extras = { .id = "extras" };

	snprintf(root, sizeof root, "%s/root", f->tmp);
	snprintf(dir, sizeof dir, "%s/etc/yum.repos.d", root);
	assert_false(eco_dnf.has_repo(&o, &crb)); /* no yum.repos.d at all */
	eh_mkdirs(dir);
	put(dir, "almalinux-crb.repo", "[crb]\nname=AlmaLinux $releasever - CRB\nenabled=0\n\n"
				       "[extras]\nname=AlmaLinux $releasever - Extras\n");
	put(dir, "epel.repo", "[epel-debuginfo]\nenabled=1\n[epel]\nname=EPEL\nenabled = 1\n");
	put(dir, "oracle-linux-ol9.repo.rpmsave", "[ol9_codeready_builder]\nenabled=1\n");
	assert_false(eco_dnf.has_repo(&o, &crb));        /* enabled=0 */
	assert_true(eco_dnf.has_repo(&o, &epel));        /* enabled = 1 */
	assert_true(eco_dnf.has_repo(&o, &extras));      /* enabled by default */
	assert_false(eco_dnf.has_repo(&o, &powertools)); /* no such section */
	assert_false(eco_dnf.has_repo(&o, &ol_crb));     /* not a .repo file */
	put(dir, "oracle-linux-ol9.repo", "[ol9_codeready_builder]\nenabled=1\n");
	assert_true(eco_dnf.has_repo(&o, &ol_crb));
}

/* The real CentOS Stream 9 AppStream metadata, when the machine has it. */
static void test_real_rpmmd(void **state)
{
	static const char dir[] = "/work/shared/data/rpm-md/centos-stream-9-appstream";
	struct ed_diag d = { 0 };
	struct timespec t0, t1;
	Pool *pool;
	Repo *repo, *hidden;
	const char *job[] = { "pkgconfig(glib-2.0)" };
	char out[65536];

	(void)state;
#ifdef UNDER_ASAN
	skip();
#endif
	if (access(dir, R_OK))
		skip();
	pool = new_pool("x86_64");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	repo = rpmmd_load_dir(pool, dir, "appstream", NULL, NULL, false, &dnf_modules_data, NULL, &d);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (!repo)
		fail_msg("%s: %s", d.file, d.msg);
	/* 17649 in the primary, less the 516 of module streams that are not
	 * enabled by default, which dnf hides: kept apart, disabled */
	assert_int_equal(repo->nsolvables, 17649 - 516);
	hidden = pool->repos[pool->nrepos - 1];
	assert_string_equal(hidden->name, "appstream:modules");
	assert_true(hidden->disabled);
	assert_non_null(strstr(dnf_modules_why(pool, hidden->start), "dnf module enable "));
	printf("# centos-stream-9-appstream: %d solvables in %.3f s\n", repo->nsolvables,
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	/* AppStream alone lacks BaseOS: a problem, but a named one */
	eh_solve(pool, job, 1, out, sizeof out);
	assert_true(out[0] != '\0');
	pool_free(pool);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_pool_setup_rpm_rules),
		cmocka_unit_test_setup_teardown(test_load_and_solve, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_download_size, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_problems, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_file_lists, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_file_lists_unverified, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_offline_missing, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_truncated_and_corrupt, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_bad_repomd, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_has_repo, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_corrupt_primary_parse, fx_setup, fx_teardown),
		cmocka_unit_test(test_metalink),
		cmocka_unit_test_setup_teardown(test_installed_without_rpmdb, fx_setup, fx_teardown),
		cmocka_unit_test(test_has_rpmdb),
		cmocka_unit_test(test_installed_host_rpmdb),
		cmocka_unit_test_setup_teardown(test_update_mirror, fx_setup, fx_teardown),
		cmocka_unit_test(test_install_argv),
		cmocka_unit_test(test_real_rpmmd),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
