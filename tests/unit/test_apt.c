/* Unit tests of the apt backend (src/eco/apt.c, src/eco/eco.c) and the .solv
 * cache (src/net/repocache.c).
 *
 * The fixture root tests/fixtures/apt/root is copied into a temporary
 * directory for each test, where the main amd64 list is lz4-compressed with
 * liblz4's frame API (the lz4 program may be absent); the other lists are
 * committed plain, .gz, .xz and .zst. The last test reads the real host and
 * is skipped where the host has no apt lists. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <lz4frame.h>

#include <solv/evr.h>
#include <solv/knownid.h>
#include <solv/pool.h>
#include <solv/poolarch.h>
#include <solv/repo.h>
#include <solv/solvable.h>

#include "extdeps/eco/apt.h"
#include "extdeps/eco/apt_index.h"
#include "extdeps/eco/apt_sources.h"
#include "extdeps/eco/arch.h"
#include "extdeps/eco/backends.h"
#include "extdeps/eco/eco.h"
#include "extdeps/net/repocache.h"
#include "extdeps/util/strbuf.h"
#include "extdeps/util/util.h"

#define MAIN_LIST "mirror.example.org_debian_dists_stable_main_binary-amd64_Packages"

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

struct fx {
	char tmp[256];   /* the temporary directory */
	char root[512];  /* tmp/root: a copy of the fixture root */
	char cache[512]; /* tmp/cache */
};

/* --- helpers: temporary trees --- */

static const char *copy_dst;
static size_t copy_src_len;

static int copy_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	char dst[1024];
	size_t len;
	char *data;

	(void)ftw;
	snprintf(dst, sizeof dst, "%s%s", copy_dst, path + copy_src_len);
	if (type == FTW_D)
		return mkdir(dst, 0755) == 0 || errno == EEXIST ? 0 : -1;
	if (type != FTW_F)
		return 0;
	data = util_read_file(path, &len, NULL);
	if (!data)
		return -1;
	FILE *f = fopen(dst, "wb");
	if (!f || fwrite(data, 1, len, f) != len) {
		if (f)
			fclose(f);
		free(data);
		return -1;
	}
	fclose(f);
	free(data);
	(void)st;
	return 0;
}

static int remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	return remove(path);
}

static void rm_rf(const char *dir)
{
	nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* PATH → PATH.lz4 (an LZ4 frame), PATH removed. */
static void lz4_compress(const char *path)
{
	char out[1100];
	size_t len, bound, n;
	char *data = util_read_file(path, &len, NULL);
	void *buf;

	assert_non_null(data);
	bound = LZ4F_compressFrameBound(len, NULL);
	buf = malloc(bound);
	assert_non_null(buf);
	n = LZ4F_compressFrame(buf, bound, data, len, NULL);
	assert_false(LZ4F_isError(n));
	snprintf(out, sizeof out, "%s.lz4", path);
	write_file(out, buf, n);
	assert_int_equal(unlink(path), 0);
	free(buf);
	free(data);
}

static int fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	char path[1024];

	if (!f)
		return -1;
	snprintf(f->tmp, sizeof f->tmp, "%s/extdeps-apt-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(f->tmp))
		return -1;
	snprintf(f->root, sizeof f->root, "%s/root", f->tmp);
	snprintf(f->cache, sizeof f->cache, "%s/cache", f->tmp);
	copy_dst = f->root;
	copy_src_len = strlen(FIXTURES "/apt/root");
	if (nftw(FIXTURES "/apt/root", copy_one, 16, FTW_PHYS) != 0)
		return -1;
	snprintf(path, sizeof path, "%s/var/lib/apt/lists/" MAIN_LIST, f->root);
	lz4_compress(path);
	*state = f;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *f = *state;

	rm_rf(f->tmp);
	free(f);
	return 0;
}

/* A fresh pool set up by the apt backend for amd64. */
static Pool *new_pool(void)
{
	struct eco_opts o = { .arch = "amd64" };
	struct ed_diag d;
	Pool *pool = pool_create();

	assert_int_equal(eco_apt.pool_setup(pool, &o, &d), 0);
	return pool;
}

/* The solvable of the available repos called NAME with version EVR. */
static Solvable *find(Pool *pool, const char *name, const char *evr)
{
	Solvable *s;
	Id p;

	FOR_POOL_SOLVABLES(p)
	{
		s = pool->solvables + p;
		if (s->repo == pool->installed)
			continue;
		if (!strcmp(pool_id2str(pool, s->name), name) &&
		    (!evr || !strcmp(pool_id2str(pool, s->evr), evr)))
			return s;
	}
	return NULL;
}

static unsigned long long dlsize(Solvable *s)
{
	return solvable_lookup_num(s, SOLVABLE_DOWNLOADSIZE, 0);
}

/* --- architecture, names, sources --- */

static void test_arch(void **state)
{
	(void)state;
	assert_string_equal(arch_convert("x86_64", ARCH_DPKG), "amd64");
	assert_string_equal(arch_convert("aarch64", ARCH_DPKG), "arm64");
	assert_string_equal(arch_convert("i686", ARCH_DPKG), "i386");
	assert_string_equal(arch_convert("ppc64le", ARCH_DPKG), "ppc64el");
	assert_string_equal(arch_convert("armv7l", ARCH_DPKG), "armhf");
	assert_null(arch_convert("pdp11", ARCH_DPKG));
	assert_null(arch_convert(NULL, ARCH_DPKG));
}

static void test_uri_to_filename(void **state)
{
	char out[256];

	(void)state;
	assert_true(apt_uri_to_filename(
		"http://mirror.example.org/debian/dists/stable/main/binary-amd64/Packages", out,
		sizeof out));
	assert_string_equal(out, "mirror.example.org_debian_dists_stable_main_binary-amd64_Packages");
	assert_true(apt_uri_to_filename("https://user:secret@mirror.example.org:8080/a_b/~x", out,
					sizeof out));
	assert_string_equal(out, "mirror.example.org:8080_a%5fb_%7ex");
	assert_true(apt_uri_to_filename("file:/srv/repo/./Packages", out, sizeof out));
	assert_string_equal(out, "_srv_repo_._Packages");
	assert_true(apt_uri_to_filename("file:///srv/repo/Packages", out, sizeof out));
	assert_string_equal(out, "_srv_repo_Packages");
	assert_true(apt_uri_to_filename("http://[fd00::1]/debian", out, sizeof out));
	assert_string_equal(out, "fd00::1_debian");
	assert_false(apt_uri_to_filename("http://mirror.example.org/debian", out, 8));
}

static void test_list_name(void **state)
{
	char *comps[] = { (char *)"main" };
	struct apt_source src = { .uri = (char *)"http://mirror.example.org/debian/",
				  .suite = (char *)"stable", .components = comps,
				  .ncomponents = 1 };
	char out[256];

	(void)state;
	assert_true(apt_list_name(&src, "main", "arm64", out, sizeof out));
	assert_string_equal(out, "mirror.example.org_debian_dists_stable_main_binary-arm64_Packages");
	src.uri = (char *)"http://mirror.example.org/debian";
	assert_true(apt_list_name(&src, "main", "arm64", out, sizeof out));
	assert_string_equal(out, "mirror.example.org_debian_dists_stable_main_binary-arm64_Packages");
	src.suite = (char *)"/";
	src.ncomponents = 0;
	assert_true(apt_list_name(&src, NULL, NULL, out, sizeof out));
	assert_string_equal(out, "mirror.example.org_debian_Packages");
	src.suite = (char *)"x86_64/";
	assert_true(apt_list_name(&src, NULL, NULL, out, sizeof out));
	assert_string_equal(out, "mirror.example.org_debian_x86%5f64_Packages");
}

static void test_sources_list(void **state)
{
	struct apt_sources s = { 0 };
	struct ed_diag d;

	(void)state;
	assert_int_equal(apt_sources_parse_list(
				 "# comment\n"
				 "deb http://mirror.example.org/debian stable main contrib non-free\n"
				 "deb-src http://mirror.example.org/debian stable main\n"
				 "   \n"
				 "deb [arch=amd64,i386 lang=en] http://mirror.example.org/x bookworm main # c\n"
				 "deb [trusted=yes] file:/srv/repo ./\n",
				 "sources.list", &s, &d),
			 0);
	assert_int_equal(s.n, 3);
	assert_string_equal(s.v[0].uri, "http://mirror.example.org/debian");
	assert_string_equal(s.v[0].suite, "stable");
	assert_int_equal(s.v[0].ncomponents, 3);
	assert_string_equal(s.v[0].components[2], "non-free");
	assert_int_equal(s.v[0].narchs, 0);
	assert_int_equal(s.v[0].line, 2);
	assert_int_equal(s.v[1].narchs, 2);
	assert_string_equal(s.v[1].archs[1], "i386");
	assert_int_equal(s.v[1].ncomponents, 1);
	assert_string_equal(s.v[2].suite, "./");
	assert_int_equal(s.v[2].ncomponents, 0);
	assert_string_equal(s.v[2].file, "sources.list");
	apt_sources_fini(&s);
	apt_sources_fini(NULL);

	assert_int_equal(apt_sources_parse_list("deb\n", "f", &s, &d), ED_EXIT_ENV);
	assert_int_equal(d.line, 1);
	assert_non_null(strstr(d.msg, "URI"));
	assert_int_equal(apt_sources_parse_list("\nrpm http://x/ y z\n", "f", &s, &d), ED_EXIT_ENV);
	assert_string_equal(d.file, "f");
	assert_int_equal(d.line, 2);
	assert_int_equal(d.col, 1);
	assert_non_null(strstr(d.msg, "'rpm'"));
	assert_int_equal(apt_sources_parse_list("deb http://x/ stable\n", "f", &s, &d), ED_EXIT_ENV);
	assert_non_null(strstr(d.msg, "component"));
	assert_int_equal(apt_sources_parse_list("deb http://x/ ./ main\n", "f", &s, &d), ED_EXIT_ENV);
	assert_int_equal(apt_sources_parse_list("deb [arch=amd64 http://x/ a b\n", "f", &s, &d),
			 ED_EXIT_ENV);
	assert_non_null(strstr(d.msg, "']'"));
	assert_int_equal(apt_sources_parse_list("deb [arch=AMD64] http://x/ a b\n", "f", &s, &d),
			 ED_EXIT_ENV);
	apt_sources_fini(&s);
}

/* Whether the sources have a repository (by URI and suite) or a component. */
static void test_sources_have(void **state)
{
	struct apt_sources s = { 0 };
	struct ed_diag d;

	(void)state;
	assert_int_equal(apt_sources_parse_list(
				 "deb http://mirror.example.org/debian bookworm main contrib\n"
				 "deb [signed-by=/k.gpg] https://vendor.example.org/repos/debian12/x86_64/ /\n",
				 "sources.list", &s, &d),
			 0);
	assert_true(apt_sources_have(&s, "https://vendor.example.org/repos/debian12/x86_64", "/"));
	assert_true(apt_sources_have(&s, "https://vendor.example.org/repos/debian12/x86_64//", "/"));
	assert_false(apt_sources_have(&s, "https://vendor.example.org/repos/debian11/x86_64", "/"));
	assert_false(apt_sources_have(&s, "https://vendor.example.org/repos/debian12/x86_64",
				      "stable"));
	assert_true(apt_sources_have(&s, "http://mirror.example.org/debian/", "bookworm"));
	assert_true(apt_sources_have_component(&s, "contrib"));
	assert_false(apt_sources_have_component(&s, "non-free"));
	/* a flat repository has no components, whatever its path says */
	assert_false(apt_sources_have_component(&s, "x86_64"));
	apt_sources_fini(&s);
}

static void test_sources_deb822(void **state)
{
	struct apt_sources s = { 0 };
	struct ed_diag d;

	(void)state;
	assert_int_equal(apt_sources_parse_deb822(
				 "# leading comment\n"
				 "Types: deb deb-src\n"
				 "URIs: http://mirror.example.org/debian\n"
				 "  http://mirror.example.org/mirror2\n"
				 "suites: stable stable-updates\n"
				 "# a comment inside\n"
				 "Components: main\n"
				 "Architectures: amd64 arm64\n"
				 "Signed-By:\n"
				 " -----BEGIN PGP PUBLIC KEY BLOCK-----\n"
				 " .\n"
				 " -----END PGP PUBLIC KEY BLOCK-----\n"
				 "\n\n"
				 "Types: deb-src\n"
				 "URIs: http://mirror.example.org/src\n"
				 "Suites: stable\n"
				 "Components: main\n"
				 "\n"
				 "Types: deb\n"
				 "URIs: http://mirror.example.org/off\n"
				 "Suites: stable\n"
				 "Components: main\n"
				 "Enabled: no\n"
				 "\n"
				 "Types: deb\n"
				 "URIs: file:/srv/flat\n"
				 "Suites: /",
				 "x.sources", &s, &d),
			 0);
	/* 2 URIs x 2 suites, then the flat one */
	assert_int_equal(s.n, 5);
	assert_string_equal(s.v[0].uri, "http://mirror.example.org/debian");
	assert_string_equal(s.v[0].suite, "stable");
	assert_string_equal(s.v[1].suite, "stable-updates");
	assert_string_equal(s.v[2].uri, "http://mirror.example.org/mirror2");
	assert_int_equal(s.v[3].narchs, 2);
	assert_string_equal(s.v[3].archs[1], "arm64");
	assert_int_equal(s.v[0].line, 2);
	assert_string_equal(s.v[4].suite, "/");
	assert_int_equal(s.v[4].line, 26);
	apt_sources_fini(&s);

	assert_int_equal(apt_sources_parse_deb822("Types: deb\nSuites: x\nComponents: main\n", "y",
						  &s, &d),
			 ED_EXIT_ENV);
	assert_non_null(strstr(d.msg, "URIs"));
	assert_int_equal(d.line, 1);
	assert_int_equal(apt_sources_parse_deb822("URIs: http://x/\nSuites: x\n", "y", &s, &d),
			 ED_EXIT_ENV);
	assert_non_null(strstr(d.msg, "Types"));
	assert_int_equal(apt_sources_parse_deb822("Types: deb\nnot a field\n", "y", &s, &d),
			 ED_EXIT_ENV);
	assert_int_equal(d.line, 2);
	assert_int_equal(apt_sources_parse_deb822(" continued\n", "y", &s, &d), ED_EXIT_ENV);
	assert_int_equal(s.n, 0);
	apt_sources_fini(&s);
}

static void test_sources_read(void **state)
{
	struct fx *f = *state;
	struct apt_sources s = { 0 };
	struct ed_diag d;

	assert_int_equal(apt_sources_read(f->root, &s, &d), 0);
	/* sources.list: stable, stable-updates; then sources.list.d in name order:
	 * local.list, security.sources, zz-missing.list; *.disabled and names
	 * with '~' are ignored as apt ignores them. */
	assert_int_equal(s.n, 5);
	assert_string_equal(s.v[0].suite, "stable");
	assert_int_equal(s.v[0].ncomponents, 2);
	assert_string_equal(s.v[1].suite, "stable-updates");
	assert_string_equal(s.v[1].archs[0], "amd64");
	assert_string_equal(s.v[2].uri, "file:/srv/local_repo");
	assert_string_equal(s.v[3].suite, "stable-security");
	assert_string_equal(s.v[4].suite, "experimental");
	assert_non_null(strstr(s.v[4].file, "zz-missing.list"));
	apt_sources_fini(&s);

	/* an empty root has no sources, and that is not an error here */
	assert_int_equal(apt_sources_read(f->tmp, &s, &d), 0);
	assert_int_equal(s.n, 0);
}

static void test_lists_find(void **state)
{
	struct fx *f = *state;
	struct apt_sources s = { 0 };
	struct apt_lists l = { 0 };
	struct ed_diag d;

	assert_int_equal(apt_sources_read(f->root, &s, &d), 0);
	assert_int_equal(apt_lists_find(f->root, &s, "amd64", &l, &d), 0);
	/* stable main amd64 (.lz4), main i386 (dpkg/arch), main all, contrib
	 * amd64 (.gz), stable-updates (.xz), local flat, security (.zst) */
	assert_int_equal(l.n, 7);
	assert_non_null(strstr(l.v[0].path, MAIN_LIST ".lz4"));
	assert_string_equal(l.v[0].label, "stable/main/amd64");
	assert_string_equal(l.v[1].label, "stable/main/i386");
	assert_string_equal(l.v[2].label, "stable/main/all");
	assert_non_null(strstr(l.v[3].path, "contrib_binary-amd64_Packages.gz"));
	assert_non_null(strstr(l.v[4].path, "stable-updates_main_binary-amd64_Packages.xz"));
	assert_non_null(strstr(l.v[5].path, "/_srv_local%5frepo_._Packages"));
	assert_string_equal(l.v[5].label, "./");
	assert_non_null(strstr(l.v[6].path, ".zst"));
	/* contrib i386 and experimental main amd64 have no list */
	assert_int_equal(l.missing, 2);
	apt_lists_fini(&l);
	apt_lists_fini(NULL);
	apt_sources_fini(&s);
}

/* --- loading --- */

static void test_load_available(void **state)
{
	struct fx *f = *state;
	struct eco_opts o = { .root = f->root, .arch = "amd64", .no_cache = true };
	struct eco_load_stats st;
	struct ed_diag d;
	Pool *pool = new_pool();
	Solvable *s;

	assert_int_equal(eco_apt.load_available(pool, &o, &st, &d), 0);
	assert_int_equal(st.repos, 7);
	assert_int_equal(st.missing, 2);
	assert_int_equal(st.cache_hits, 0);
	assert_int_equal(st.cache_writes, 0);
	assert_int_equal(st.solvables, 13);

	/* from the lz4 list */
	s = find(pool, "libc6", "2.36-9+deb12u4");
	assert_non_null(s);
	assert_string_equal(pool_id2str(pool, s->arch), "amd64");
	assert_int_equal(dlsize(s), 2757936);
	assert_int_equal(solvable_lookup_num(s, SOLVABLE_INSTALLSIZE, 0), 12986 << 10);
	assert_string_equal(s->repo->name, "stable/main/amd64");
	assert_int_equal(dlsize(find(pool, "libfoo1", "1.2-1")), 12345);
	assert_int_equal(dlsize(find(pool, "libfoo-dev", NULL)), 23456);
	/* a continuation line reading "Size: 999" is no field */
	assert_int_equal(dlsize(find(pool, "foo-tools", "1:2.0~rc1-3")), 34567);
	assert_null(find(pool, "not-a-package", NULL));
	assert_int_equal(dlsize(find(pool, "nosize-pkg", NULL)), 0);
	assert_int_equal(dlsize(find(pool, "badsize-pkg", NULL)), 0);
	/* field names in any case, Size before Package */
	assert_int_equal(dlsize(find(pool, "early-size", "5.0-1")), 4242);
	/* from the other compressions and lists */
	assert_int_equal(dlsize(find(pool, "libc6", "2.36-9+deb12u7")), 2760000);  /* .xz */
	assert_int_equal(dlsize(find(pool, "contrib-pkg", NULL)), 1000);           /* .gz */
	assert_int_equal(dlsize(find(pool, "libfoo1", "1.2-1+deb12u1")), 12400);   /* .zst */
	assert_int_equal(dlsize(find(pool, "local-tool", NULL)), 777);             /* flat */
	s = find(pool, "foo-doc", NULL);
	assert_non_null(s);
	assert_int_equal(s->arch, ARCH_ALL);
	assert_int_equal(dlsize(s), 5000);

	/* the registry check's look-up */
	assert_true(eco_pool_has_name(pool, "libc6"));
	assert_int_equal(eco_pool_count_name(pool, "libc6"), 2); /* amd64 main + updates */
	assert_true(eco_pool_has_name(pool, "local-tool"));
	/* only provided, never a package name */
	assert_false(eco_pool_has_name(pool, "libfoo-headers"));
	/* only mentioned in a dependency */
	assert_false(eco_pool_has_name(pool, "libc6-dev"));
	assert_false(eco_pool_has_name(pool, "no-such-package"));
	assert_false(eco_pool_has_name(pool, NULL));

	/* Debian version rules are in force */
	assert_int_equal(eco_apt.disttype, DISTTYPE_DEB);
	assert_true(pool_evrcmp_str(pool, "1.0~rc1", "1.0", EVRCMP_COMPARE) < 0);
	assert_true(pool_evrcmp_str(pool, "1:1.0", "2.0", EVRCMP_COMPARE) > 0);
	pool_free(pool);
}

static void test_load_errors(void **state)
{
	struct fx *f = *state;
	struct eco_opts o = { .root = f->tmp, .arch = "amd64", .no_cache = true };
	char path[1024];
	struct ed_diag d;
	Pool *pool = new_pool();

	/* no sources at all */
	assert_int_equal(eco_apt.load_available(pool, &o, NULL, &d), ED_EXIT_ENV);
	assert_non_null(strstr(d.msg, "no apt sources"));
	/* sources but no lists */
	snprintf(path, sizeof path, "%s/etc", f->tmp);
	mkdir(path, 0755);
	snprintf(path, sizeof path, "%s/etc/apt", f->tmp);
	mkdir(path, 0755);
	snprintf(path, sizeof path, "%s/etc/apt/sources.list", f->tmp);
	write_file(path, "deb http://mirror.example.org/debian stable main\n", 49);
	assert_int_equal(eco_apt.load_available(pool, &o, NULL, &d), ED_EXIT_ENV);
	assert_non_null(strstr(d.msg, "apt-get update"));
	/* a malformed sources.list names its line */
	write_file(path, "deb http://mirror.example.org/debian\n", 37);
	assert_int_equal(eco_apt.load_available(pool, &o, NULL, &d), ED_EXIT_ENV);
	assert_non_null(strstr(d.file, "sources.list"));
	assert_int_equal(d.line, 1);
	/* no dpkg status */
	assert_int_equal(eco_apt.load_installed(pool, &o, NULL, &d), ED_EXIT_ENV);
	assert_non_null(strstr(d.msg, "var/lib/dpkg/status"));
	assert_int_equal(pool->nsolvables, 2); /* nothing left behind */
	pool_free(pool);

	/* a bad architecture */
	pool = pool_create();
	o.arch = "x86 64";
	assert_int_equal(eco_apt.pool_setup(pool, &o, &d), ED_EXIT_INPUT);
	pool_free(pool);
}

static void test_lz4_corrupt(void **state)
{
	struct fx *f = *state;
	char path[1024], cut[1024];
	struct ed_diag d;
	size_t len;
	char *data;
	Pool *pool = new_pool();
	Repo *repo;

	snprintf(path, sizeof path, "%s/var/lib/apt/lists/" MAIN_LIST ".lz4", f->root);
	repo = apt_load_list(pool, path, "ok", &d);
	assert_non_null(repo);
	assert_int_equal(repo->nsolvables, 7);

	/* cut inside the frame: an error, not a shorter list */
	data = util_read_file(path, &len, NULL);
	assert_non_null(data);
	snprintf(cut, sizeof cut, "%s/cut.lz4", f->tmp);
	write_file(cut, data, len / 2);
	assert_null(apt_load_list(pool, cut, "cut", &d));
	assert_int_equal(d.status, ED_EXIT_ENV);
	assert_non_null(strstr(d.msg, "corrupt"));
	/* not lz4 at all */
	write_file(cut, "Package: x\nVersion: 1\n", 22);
	assert_null(apt_load_list(pool, cut, "garbage", &d));
	/* a damaged byte in the middle of the data */
	data[len / 2] ^= 0x55;
	data[len / 2 + 1] ^= 0x55;
	write_file(cut, data, len);
	/* lz4 frames carry no content checksum by default: a flipped byte may
	 * decode to other text, but must never crash or hang */
	repo = apt_load_list(pool, cut, "flipped", &d);
	(void)repo;
	free(data);

	/* an absent file */
	snprintf(cut, sizeof cut, "%s/absent_Packages.lz4", f->tmp);
	assert_null(apt_load_list(pool, cut, "absent", &d));
	assert_non_null(strstr(d.msg, "absent_Packages.lz4"));
	/* an empty plain list is an empty repository */
	snprintf(cut, sizeof cut, "%s/empty_Packages", f->tmp);
	write_file(cut, "", 0);
	repo = apt_load_list(pool, cut, "empty", &d);
	assert_non_null(repo);
	assert_int_equal(repo->nsolvables, 0);
	pool_free(pool);
}

static void test_installed(void **state)
{
	struct fx *f = *state;
	struct eco_opts o = { .root = f->root, .arch = "amd64", .no_cache = true };
	struct ed_diag d;
	Pool *pool = new_pool();
	Repo *inst = NULL;
	Solvable *s;
	Id p;
	int n = 0;

	assert_int_equal(eco_apt.load_installed(pool, &o, &inst, &d), 0);
	assert_non_null(inst);
	assert_ptr_equal(pool->installed, inst);
	assert_int_equal(inst->nsolvables, 3);
	FOR_REPO_SOLVABLES(inst, p, s)
	{
		const char *name = pool_id2str(pool, s->name);

		n++;
		assert_true(!strcmp(name, "libc6") || !strcmp(name, "libfoo1") ||
			    !strcmp(name, "trigpkg"));
		if (!strcmp(name, "libfoo1"))
			assert_string_equal(pool_id2str(pool, s->evr), "1.0-1");
	}
	assert_int_equal(n, 3);
	/* installed packages do not count as available ones */
	assert_false(eco_pool_has_name(pool, "libc6"));
	pool_free(pool);

	/* EXTDEPS_ROOT stands in for the root option */
	setenv("EXTDEPS_ROOT", f->root, 1);
	assert_string_equal(eco_root(NULL), f->root);
	o.root = NULL;
	pool = new_pool();
	assert_int_equal(eco_apt.load_installed(pool, &o, NULL, &d), 0);
	assert_int_equal(pool->installed->nsolvables, 3);
	pool_free(pool);
	unsetenv("EXTDEPS_ROOT");
	assert_string_equal(eco_root(NULL), "/");
}

/* --- the cache --- */

static size_t count_solv(const char *dir)
{
	char pattern[1024];
	glob_t g;
	size_t n;

	snprintf(pattern, sizeof pattern, "%s/apt/*.solv", dir);
	if (glob(pattern, 0, NULL, &g) != 0)
		return 0;
	n = g.gl_pathc;
	globfree(&g);
	return n;
}

static void load_with_cache(struct fx *f, struct eco_load_stats *st)
{
	struct eco_opts o = { .root = f->root, .arch = "amd64", .cache_dir = f->cache };
	struct ed_diag d;
	Pool *pool = new_pool();
	Solvable *s;

	assert_int_equal(eco_apt.load_available(pool, &o, st, &d), 0);
	/* the entries are written by a child (repocache.h) */
	repocache_wait_writers();
	assert_int_equal(st->solvables, 13);
	/* what comes back from a .solv is what was parsed, sizes included */
	s = find(pool, "libc6", "2.36-9+deb12u4");
	assert_non_null(s);
	assert_int_equal(dlsize(s), 2757936);
	assert_string_equal(s->repo->name, "stable/main/amd64");
	assert_int_equal(dlsize(find(pool, "early-size", NULL)), 4242);
	assert_true(eco_pool_has_name(pool, "foo-doc"));
	pool_free(pool);
}

static void test_cache(void **state)
{
	struct fx *f = *state;
	struct eco_load_stats st;
	char list[1024], key[256], entry[1024];
	struct repocache *c;
	struct timeval tv[2];
	struct stat sb;

	/* miss: everything parsed and written */
	load_with_cache(f, &st);
	assert_int_equal(st.cache_hits, 0);
	assert_int_equal(st.cache_writes, 7);
	assert_int_equal(count_solv(f->cache), 7);

	/* hit */
	load_with_cache(f, &st);
	assert_int_equal(st.cache_hits, 7);
	assert_int_equal(st.cache_writes, 0);

	/* a truncated entry is rebuilt silently */
	snprintf(list, sizeof list, "%s/var/lib/apt/lists/" MAIN_LIST ".lz4", f->root);
	c = repocache_new(f->cache, "apt");
	assert_non_null(c);
	repocache_key_for_path(list, key, sizeof key);
	assert_true(repocache_entry_path(c, key, entry, sizeof entry));
	assert_int_equal(stat(entry, &sb), 0);
	assert_int_equal(truncate(entry, sb.st_size / 2), 0);
	load_with_cache(f, &st);
	assert_int_equal(st.cache_hits, 6);
	assert_int_equal(st.cache_writes, 1);
	assert_int_equal(stat(entry, &sb), 0);
	load_with_cache(f, &st);
	assert_int_equal(st.cache_hits, 7);

	/* garbage in place of an entry, and an empty one */
	write_file(entry, "not a solv file", 15);
	load_with_cache(f, &st);
	assert_int_equal(st.cache_hits, 6);
	assert_int_equal(st.cache_writes, 1);
	write_file(entry, "", 0);
	load_with_cache(f, &st);
	assert_int_equal(st.cache_hits, 6);
	assert_int_equal(st.cache_writes, 1);

	/* a list replaced since (new mtime) makes its entry stale */
	gettimeofday(&tv[0], NULL);
	tv[0].tv_sec += 10;
	tv[1] = tv[0];
	assert_int_equal(utimes(list, tv), 0);
	load_with_cache(f, &st);
	assert_int_equal(st.cache_hits, 6);
	assert_int_equal(st.cache_writes, 1);
	/* no temporary files left behind, one entry per list */
	assert_int_equal(count_solv(f->cache), 7);
	repocache_free(c);
	repocache_free(NULL);
}

/* Every package of POOL's repositories with all that a plan reads of it,
 * one line each, in the order of the repositories. */
static char *pool_digest(Pool *pool)
{
	static const Id deps[] = { SOLVABLE_PROVIDES,	SOLVABLE_OBSOLETES,  SOLVABLE_CONFLICTS,
				   SOLVABLE_REQUIRES,	SOLVABLE_RECOMMENDS, SOLVABLE_SUGGESTS,
				   SOLVABLE_SUPPLEMENTS, SOLVABLE_ENHANCES };
	struct strbuf sb = STRBUF_INIT;
	Queue q;
	Repo *repo;
	int r;

	queue_init(&q);
	FOR_REPOS(r, repo)
	{
		Solvable *s;
		Id p;

		FOR_REPO_SOLVABLES(repo, p, s)
		{
			strbuf_addf(&sb, "%s %s %s size=%llu/%llu src=%s multiarch=%s", repo->name,
				    pool_solvable2str(pool, s),
				    pool_id2str(pool, s->vendor ? s->vendor : ID_EMPTY),
				    solvable_lookup_num(s, SOLVABLE_INSTALLSIZE, 0),
				    solvable_lookup_num(s, SOLVABLE_DOWNLOADSIZE, 0),
				    solvable_lookup_sourcepkg(s) ? solvable_lookup_sourcepkg(s) : "",
				    solvable_lookup_str(s, SOLVABLE_MULTIARCH) ?
					    solvable_lookup_str(s, SOLVABLE_MULTIARCH) : "");
			for (size_t k = 0; k < sizeof deps / sizeof *deps; k++) {
				solvable_lookup_deparray(s, deps[k], &q, -1);
				strbuf_addf(&sb, " |%d", (int)k);
				for (int i = 0; i < q.count; i++)
					strbuf_addf(&sb, " %s", pool_dep2str(pool, q.elements[i]));
			}
			strbuf_addch(&sb, '\n');
		}
	}
	queue_free(&q);
	return strbuf_detach(&sb);
}

/* What a plan reads of a package is the same parsed from the lists, from
 * the entries written (read again or not, repocache.h) and from the cache. */
static void test_cache_same_packages(void **state)
{
	struct fx *f = *state;
	struct eco_opts parsed = { .root = f->root, .arch = "amd64", .no_cache = true };
	struct eco_opts cached = { .root = f->root, .arch = "amd64", .cache_dir = f->cache };
	struct eco_load_stats st;
	struct ed_diag d;
	char *want, *got;
	Pool *pool = new_pool();

	assert_int_equal(eco_apt.load_available(pool, &parsed, &st, &d), 0);
	want = pool_digest(pool);
	pool_free(pool);
	assert_non_null(strstr(want, "libc6-2.36-9+deb12u4.amd64"));
	for (int run = 0; run < 2; run++) {
		pool = new_pool();
		assert_int_equal(eco_apt.load_available(pool, &cached, &st, &d), 0);
		repocache_wait_writers();
		assert_int_equal(st.cache_hits, run ? 7 : 0);
		got = pool_digest(pool);
		assert_string_equal(got, want);
		free(got);
		pool_free(pool);
	}
	free(want);
}

/* The cache's writer reads a small list again only while it is the file
 * its entry is stored for: a list apt has since replaced is not read. */
static void test_reload_list(void **state)
{
	struct fx *f = *state;
	const char *list = "mirror.example.org_debian_dists_stable_main_binary-all_Packages";
	char path[1024];
	const char *paths[1] = { path };
	unsigned char cookie[REPOCACHE_COOKIE_LEN];
	Repo *repo;
	FILE *out;

	snprintf(path, sizeof path, "%s/var/lib/apt/lists/%s", f->root, list);
	assert_true(repocache_cookie_files(paths, 1, cookie));
	repo = apt_reload_list(path, "all", cookie);
	assert_non_null(repo);
	assert_true(repo->nsolvables > 0);
	assert_string_equal(repo->name, "all");
	pool_free(repo->pool);
	/* apt-get update wrote a new list */
	out = fopen(path, "a");
	assert_non_null(out);
	fputs("\nPackage: newer\nVersion: 1\nArchitecture: all\n", out);
	assert_int_equal(fclose(out), 0);
	assert_null(apt_reload_list(path, "all", cookie));
	assert_true(repocache_cookie_files(paths, 1, cookie));
	repo = apt_reload_list(path, "all", cookie);
	assert_non_null(repo);
	pool_free(repo->pool);
	/* or removed it */
	assert_int_equal(unlink(path), 0);
	assert_null(apt_reload_list(path, "all", cookie));
}

/* Runs sharing one cache directory, all starting from an empty cache. */
static void test_cache_concurrent(void **state)
{
	struct fx *f = *state;
	char pattern[1024];
	pid_t pids[6];
	glob_t g;

	for (size_t i = 0; i < sizeof pids / sizeof pids[0]; i++) {
		pids[i] = fork();
		assert_true(pids[i] >= 0);
		if (pids[i] == 0) {
			struct eco_opts o = { .root = f->root, .arch = "amd64",
					      .cache_dir = f->cache };
			struct eco_load_stats st;
			struct ed_diag d;
			Pool *pool = pool_create();
			int rc = eco_apt.pool_setup(pool, &o, &d) ||
				 eco_apt.load_available(pool, &o, &st, &d) || st.solvables != 13;

			repocache_wait_writers();
			pool_free(pool);
			_exit(rc);
		}
	}
	for (size_t i = 0; i < sizeof pids / sizeof pids[0]; i++) {
		int status = 0;

		assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	assert_int_equal(count_solv(f->cache), 7);
	snprintf(pattern, sizeof pattern, "%s/apt/.*.solv.*", f->cache);
	assert_int_equal(glob(pattern, 0, NULL, &g), GLOB_NOMATCH);
	snprintf(pattern, sizeof pattern, "%s/apt/.*-*", f->cache);
	assert_int_equal(glob(pattern, 0, NULL, &g), GLOB_NOMATCH);
	/* and every entry is whole */
	{
		struct eco_load_stats st;

		load_with_cache(f, &st);
		assert_int_equal(st.cache_hits, 7);
	}
}

static void test_cache_api(void **state)
{
	struct fx *f = *state;
	unsigned char c1[REPOCACHE_COOKIE_LEN], c2[REPOCACHE_COOKIE_LEN];
	char a[1024], b[1024], key[256], key2[256], dir[1024];
	const char *paths[2] = { a, b };
	struct ed_diag d;
	struct repocache *c;
	char *home;
	Pool *pool;
	Repo *repo;

	snprintf(a, sizeof a, "%s/a", f->tmp);
	snprintf(b, sizeof b, "%s/b", f->tmp);
	write_file(a, "one", 3);
	write_file(b, "two", 3);
	assert_true(repocache_cookie_files(paths, 2, c1));
	assert_true(repocache_cookie_files(paths, 2, c2));
	assert_memory_equal(c1, c2, sizeof c1);
	assert_true(repocache_cookie_files(paths, 1, c2));
	assert_memory_not_equal(c1, c2, sizeof c1);
	assert_true(repocache_cookie_files_content(paths, 2, c1));
	write_file(b, "TWO", 3);
	assert_true(repocache_cookie_files_content(paths, 2, c2));
	assert_memory_not_equal(c1, c2, sizeof c1);
	snprintf(b, sizeof b, "%s/absent", f->tmp);
	assert_false(repocache_cookie_files(paths, 2, c1));
	assert_false(repocache_cookie_files_content(paths, 2, c1));

	/* keys: readable, safe, distinct per path */
	repocache_key_for_path("/r1/var/lib/apt/lists/x_y_Packages.lz4", key, sizeof key);
	repocache_key_for_path("/r2/var/lib/apt/lists/x_y_Packages.lz4", key2, sizeof key2);
	assert_string_not_equal(key, key2);
	assert_memory_equal(key, "x_y_Packages.lz4-", 17);
	assert_int_equal(strlen(key), 17 + 16);
	repocache_key_for_path("/l/.hidden name/..", key, sizeof key);
	assert_int_equal(key[0], '_');
	assert_null(strchr(key, '/'));
	assert_null(strchr(key, ' '));

	/* a nested directory is created; a file in the way means no cache */
	snprintf(dir, sizeof dir, "%s/x/y/z", f->tmp);
	c = repocache_new(dir, "apt");
	assert_non_null(c);
	assert_non_null(strstr(repocache_dir(c), "/x/y/z/apt"));
	/* store and load by hand; a wrong cookie is a miss */
	pool = new_pool();
	snprintf(a, sizeof a, "%s/var/lib/apt/lists/" MAIN_LIST ".lz4", f->root);
	repo = apt_load_list(pool, a, "main", &d);
	assert_non_null(repo);
	memset(c1, 1, sizeof c1);
	memset(c2, 2, sizeof c2);
	assert_true(repocache_store(c, repo, "k", c1));
	assert_true(repocache_store(c, repo, "k", c1)); /* already there */
	assert_null(repocache_load(c, pool, "again", "k", c2));
	assert_null(repocache_load(c, pool, "again", "absent", c1));
	repo = repocache_load(c, pool, "again", "k", c1);
	assert_non_null(repo);
	assert_int_equal(repo->nsolvables, 7);
	assert_string_equal(repo->name, "again");
	pool_free(pool);
	repocache_free(c);
	snprintf(dir, sizeof dir, "%s/a", f->tmp);
	assert_null(repocache_new(dir, "apt"));
	/* XDG_CACHE_HOME, then HOME */
	home = util_strdup(getenv("HOME"));
	setenv("XDG_CACHE_HOME", f->tmp, 1);
	c = repocache_new(NULL, "apt");
	assert_non_null(c);
	assert_non_null(strstr(repocache_dir(c), "/extdeps/apt"));
	assert_memory_equal(repocache_dir(c), f->tmp, strlen(f->tmp));
	repocache_free(c);
	setenv("XDG_CACHE_HOME", "relative/ignored", 1);
	setenv("HOME", f->tmp, 1);
	c = repocache_new(NULL, NULL);
	assert_non_null(c);
	assert_non_null(strstr(repocache_dir(c), "/.cache/extdeps"));
	assert_memory_equal(repocache_dir(c), f->tmp, strlen(f->tmp));
	repocache_free(c);
	unsetenv("XDG_CACHE_HOME");
	if (home)
		setenv("HOME", home, 1);
	else
		unsetenv("HOME");
	free(home);
}

/* --- the backend table, install argv --- */

static void test_eco_find(void **state)
{
	(void)state;
	assert_ptr_equal(eco_find("apt"), &eco_apt);
	assert_null(eco_find("yum"));
	assert_null(eco_find(NULL));
	/* the backends, sorted, each found by its name and serving at least
	 * one ecosystem, unless it only reads a database */
	for (size_t i = 0; eco_backends[i]; i++) {
		const struct eco_ops *serving = eco_backends[i]->load_available ? eco_backends[i] : NULL;

		assert_true(!i || strcmp(eco_backends[i - 1]->name, eco_backends[i]->name) < 0);
		assert_ptr_equal(eco_find(eco_backends[i]->name), eco_backends[i]);
		assert_non_null(eco_backends[i]->ecosystems);
		assert_ptr_equal(eco_for_ecosystem(eco_backends[i]->ecosystems[0]), serving);
	}
	assert_null(eco_for_shell_format("text"));
	assert_string_equal(eco_apt.database, "dpkg");
	assert_string_equal(eco_apt.version_rules, "deb");
	assert_true(eco_apt.install_needs_root(NULL));
}

static void test_install_argv(void **state)
{
	const char *ok[] = { "libopenblas-dev", "gcc-12", "libc6:i386", "g++",
			     "cmake=3.25.1-1", "libfoo1:amd64=1:2.0~rc1+dfsg-3", "ninja-build/stable-backports" };
	const char *bad[] = { "-y", "--force-yes", "Foo", "a", "x;rm", "pkg name", "pkg=abc",
			      "pkg:", "pkg=1.0 2", "pkg/../x", "", "pkg=1$(x)" };
	struct ed_diag d;
	char **argv;

	(void)state;
	argv = eco_apt.install_argv(NULL, ok, 7, ECO_INSTALL_YES | ECO_INSTALL_NO_RECOMMENDS, &d);
	assert_non_null(argv);
	assert_string_equal(argv[0], "apt-get");
	assert_string_equal(argv[1], "install");
	assert_string_equal(argv[2], "-y");
	assert_string_equal(argv[3], "--no-install-recommends");
	assert_string_equal(argv[4], "libopenblas-dev");
	assert_string_equal(argv[10], "ninja-build/stable-backports");
	assert_null(argv[11]);
	eco_argv_free(argv);
	argv = eco_apt.install_argv(NULL, ok, 1, ECO_INSTALL_SIMULATE, &d);
	assert_non_null(argv);
	assert_string_equal(argv[2], "-s");
	assert_null(argv[4]);
	eco_argv_free(argv);
	eco_argv_free(NULL);

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		const char *one[] = { "gcc", bad[i] };

		ed_diag_clear(&d);
		argv = eco_apt.install_argv(NULL, one, 2, 0, &d);
		if (argv)
			fail_msg("'%s' accepted", bad[i]);
		assert_int_equal(d.status, ED_EXIT_INPUT);
	}
	assert_null(eco_apt.install_argv(NULL, ok, 0, 0, &d));
}

/* --- the real host --- */

static void test_host(void **state)
{
	struct fx *f = *state;
	struct eco_opts o = { .root = "/", .cache_dir = f->cache };
	struct apt_sources s = { 0 };
	struct apt_lists l = { 0 };
	struct eco_load_stats st1, st2;
	struct ed_diag d;
	const char *arch = arch_host(ARCH_DPKG);
	glob_t g;
	Pool *pool;
	size_t n1 = 0;

	if (!arch || glob("/var/lib/apt/lists/*_Packages*", 0, NULL, &g) != 0) {
		skip();
		return;
	}
	globfree(&g);
	if (access("/var/lib/dpkg/status", R_OK) != 0 || apt_sources_read("/", &s, &d) != 0 ||
	    apt_lists_find("/", &s, arch, &l, &d) != 0 || l.n == 0) {
		apt_sources_fini(&s);
		apt_lists_fini(&l);
		skip();
		return;
	}

#ifdef UNDER_ASAN
	/* libsolv grows its repodata by small reallocs, which ASan turns
	 * quadratic: Debian's main list takes many minutes. Under ASan the round
	 * trip uses the host's smallest list only. */
	{
		size_t small = 0;
		struct stat a, b;
		struct repocache *c = repocache_new(f->cache, "host");
		unsigned char cookie[REPOCACHE_COOKIE_LEN];
		const char *paths[1];
		char key[256];
		Repo *repo, *back;

		for (size_t i = 1; i < l.n; i++)
			if (stat(l.v[i].path, &a) == 0 && stat(l.v[small].path, &b) == 0 &&
			    a.st_size < b.st_size)
				small = i;
		pool = new_pool();
		paths[0] = l.v[small].path;
		repo = apt_load_list(pool, l.v[small].path, l.v[small].label, &d);
		assert_non_null(repo);
		assert_non_null(c);
		repocache_key_for_path(paths[0], key, sizeof key);
		assert_true(repocache_cookie_files(paths, 1, cookie));
		assert_true(repocache_store(c, repo, key, cookie));
		back = repocache_load(c, pool, "back", key, cookie);
		assert_non_null(back);
		assert_int_equal(back->nsolvables, repo->nsolvables);
		repocache_free(c);
		assert_int_equal(eco_apt.load_installed(pool, &o, NULL, &d), 0);
		assert_true(pool->installed->nsolvables > 0);
		pool_free(pool);
	}
#else
	pool = new_pool();
	assert_int_equal(eco_apt.load_available(pool, &o, &st1, &d), 0);
	repocache_wait_writers();
	assert_int_equal(st1.cache_hits, 0);
	assert_int_equal(st1.repos, l.n);
	assert_int_equal(eco_apt.load_installed(pool, &o, NULL, &d), 0);
	pool_addfileprovides(pool);
	pool_createwhatprovides(pool);
	n1 = st1.solvables;
	assert_true(n1 > 0);
	/* Debian and Ubuntu both have libc6, and it is installed */
	if (eco_pool_has_name(pool, "libc6")) {
		Id id = pool_str2id(pool, "libc6", 0), p;
		Solvable *sv;
		bool installed = false;

		FOR_REPO_SOLVABLES(pool->installed, p, sv)
		installed |= sv->name == id;
		assert_true(installed);
	}
	/* something has a download size */
	{
		Id p;
		bool sized = false;

		FOR_POOL_SOLVABLES(p)
		{
			if (pool->solvables[p].repo != pool->installed &&
			    dlsize(pool->solvables + p) > 0) {
				sized = true;
				break;
			}
		}
		assert_true(sized);
	}
	pool_free(pool);

	/* the round trip through the cache gives the same packages */
	pool = new_pool();
	assert_int_equal(eco_apt.load_available(pool, &o, &st2, &d), 0);
	assert_int_equal(st2.cache_hits, l.n);
	assert_int_equal(st2.solvables, n1);
	pool_free(pool);
#endif
	(void)st1;
	(void)st2;
	(void)n1;
	apt_lists_fini(&l);
	apt_sources_fini(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arch),
		cmocka_unit_test(test_uri_to_filename),
		cmocka_unit_test(test_list_name),
		cmocka_unit_test(test_sources_list),
		cmocka_unit_test(test_sources_have),
		cmocka_unit_test(test_sources_deb822),
		cmocka_unit_test_setup_teardown(test_sources_read, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_lists_find, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_load_available, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_load_errors, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_lz4_corrupt, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_installed, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_cache_same_packages, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_cache, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_reload_list, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_cache_concurrent, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_cache_api, fx_setup, fx_teardown),
		cmocka_unit_test(test_eco_find),
		cmocka_unit_test(test_install_argv),
		cmocka_unit_test_setup_teardown(test_host, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
