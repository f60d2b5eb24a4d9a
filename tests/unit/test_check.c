#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "extdeps/eco/installed.h"
#include "extdeps/host/check.h"
#include "extdeps/render/check_report.h"
#include "extdeps/host/probe.h"
#include "extdeps/map/registry.h"
#include "extdeps/read/project.h"
#include "extdeps/read/upstream.h"

#define CHECK_FIXTURES FIXTURES "/check"

/* --- package databases --- */

static void test_dpkg_fixture(void **state)
{
	struct ed_diag d;
	struct installed *db = installed_open_dpkg(CHECK_FIXTURES "/root/var/lib/dpkg/status", &d);
	const struct installed_pkg *p;
	size_t n;

	assert_non_null(db);
	assert_int_equal(installed_kind(db), INSTALLED_DPKG);
	assert_non_null(p = installed_find(db, "libc6", &n));
	assert_int_equal(n, 1);
	assert_string_equal(p->version, "2.36-9+deb12u4");
	assert_string_equal(p->arch, "amd64");
	assert_null(p->provider);
	/* removed, config files left: not installed */
	assert_null(installed_find(db, "libssl-dev", &n));
	assert_int_equal(n, 0);
	/* provided names, with and without a version */
	assert_non_null(p = installed_find(db, "libblas.so.3", &n));
	assert_string_equal(p->provider, "libopenblas-dev");
	assert_null(p->version);
	assert_non_null(p = installed_find(db, "libopenblas-base-dev", &n));
	assert_string_equal(p->version, "0.3.21+ds-4");
	assert_non_null(installed_find(db, "libz-dev", &n));
	assert_null(installed_find(db, "nonesuch", &n));
	installed_free(db);
	installed_free(NULL);

	assert_null(installed_open_dpkg(CHECK_FIXTURES "/nonexistent", &d));
	assert_int_equal(d.status, ED_EXIT_ENV);
}

/* Status text written to a temporary file, read back. */
static struct installed *dpkg_from_text(const char *text, struct ed_diag *d)
{
	char path[] = "/tmp/extdeps-status-XXXXXX";
	int fd = mkstemp(path);
	struct installed *db;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	db = installed_open_dpkg(path, d);
	unlink(path);
	return db;
}

/* Edges of the scan: CRLF lines, trailing blanks, a last stanza without a
 * newline, states other than installed, an empty file, a directory. */
static void test_dpkg_edges(void **state)
{
	struct ed_diag d;
	struct installed *db;
	const struct installed_pkg *p;
	size_t n;

	(void)state;
	db = dpkg_from_text("Package: crlf\r\nStatus: install ok installed \r\nVersion: 1.0-1 \r\n"
			    "Architecture: amd64\r\n\r\n"
			    "Package: half\nStatus: install ok half-installed\nVersion: 2\n\n"
			    "Package: gone\nStatus: deinstall ok not-installed\nVersion: 3\n\n"
			    "Package: last\nVersion: 4:5.6-7\nProvides: virt (= 1), other:any\n"
			    "Status: install ok installed",
			    &d);
	assert_non_null(db);
	assert_non_null(p = installed_find(db, "crlf", &n));
	assert_string_equal(p->version, "1.0-1");
	assert_string_equal(p->arch, "amd64");
	assert_null(installed_find(db, "half", &n));
	assert_null(installed_find(db, "gone", &n));
	assert_non_null(p = installed_find(db, "last", &n));
	assert_string_equal(p->version, "4:5.6-7");
	assert_null(p->arch);
	assert_non_null(p = installed_find(db, "virt", &n));
	assert_string_equal(p->provider, "last");
	assert_string_equal(p->version, "1");
	assert_non_null(installed_find(db, "other", &n));
	assert_int_equal(installed_count(db), 4);
	installed_free(db);

	assert_non_null(db = dpkg_from_text("", &d));
	assert_int_equal(installed_count(db), 0);
	installed_free(db);

	assert_null(installed_open_dpkg(CHECK_FIXTURES, &d));
	assert_int_equal(d.status, ED_EXIT_ENV);
	assert_non_null(strstr(d.msg, "not a regular file"));
}

/* The real dpkg database of this machine knows libc6. */
static void test_dpkg_host(void **state)
{
	struct ed_diag d;
	struct installed *db;
	const struct installed_pkg *p;
	char upstream[128];
	size_t n;

	if (access("/var/lib/dpkg/status", R_OK))
		skip();
	assert_non_null(db = installed_open_dpkg("/var/lib/dpkg/status", &d));
	assert_true(installed_count(db) > 10);
	assert_non_null(p = installed_find(db, "libc6", &n));
	assert_true(p->version && *p->version);
	assert_true(upstream_version(p->version, upstream, sizeof upstream));
	assert_true(pep440_cmp(upstream, "2.17") >= 0);
	installed_free(db);
}

static void test_conda_cellar_nix(void **state)
{
	struct ed_diag d;
	struct installed *db;
	const struct installed_pkg *p;
	size_t n;
	char path[] = "/tmp/extdeps-nix-XXXXXX";
	int fd;
	FILE *f;

	assert_non_null(db = installed_open_conda(CHECK_FIXTURES "/conda", &d));
	assert_non_null(p = installed_find(db, "libopenblas", &n));
	assert_string_equal(p->version, "0.3.27");
	/* names with '-' split from the right */
	assert_non_null(p = installed_find(db, "ca-certificates", &n));
	assert_string_equal(p->version, "2024.2.2");
	assert_non_null(p = installed_find(db, "cuda-version", &n));
	assert_string_equal(p->version, "12.4");
	assert_null(installed_find(db, "history", &n));
	assert_int_equal(installed_count(db), 4);
	installed_free(db);

	assert_non_null(db = installed_open_cellar(CHECK_FIXTURES "/Cellar", &d));
	assert_non_null(p = installed_find(db, "cmake", &n));
	assert_int_equal(n, 2);
	assert_non_null(installed_find(db, "ninja", &n));
	installed_free(db);
	assert_null(installed_open_cellar(CHECK_FIXTURES "/nonexistent", &d));

	assert_true((fd = mkstemp(path)) >= 0);
	assert_non_null(f = fdopen(fd, "w"));
	fputs("{\"elements\":[{\"storePaths\":[\"/nix/store/0123456789abcdfghijklmnpqrsvwxyz-cmake-3.29.2\"]},"
	      "{\"storePaths\":[\"/nix/store/0123456789abcdfghijklmnpqrsvwxyz-python3-3.12.3\"]},"
	      "{\"storePaths\":[\"/nix/store/short-x-1\"]}],\"version\":3}",
	      f);
	fclose(f);
	assert_non_null(db = installed_open_nix(path, &d));
	assert_non_null(p = installed_find(db, "cmake", &n));
	assert_string_equal(p->version, "3.29.2");
	assert_non_null(p = installed_find(db, "python3", &n));
	assert_string_equal(p->version, "3.12.3");
	assert_int_equal(installed_count(db), 2);
	installed_free(db);
	unlink(path);
}

/* --- checks --- */

struct fx {
	struct registry *reg;
	struct check_host *host;
};

static void clear_env(void)
{
	static const char *const vars[] = { "CC", "CXX", "FC", "CUDACXX", "CUDA_HOME", "CUDA_PATH",
					    "CONDA_PREFIX", "HOMEBREW_CELLAR", "HOMEBREW_PREFIX",
					    "PKG_CONFIG_PATH", "EXTDEPS_CUDA_DRIVER_VERSION", NULL };
	for (size_t i = 0; vars[i]; i++)
		unsetenv(vars[i]);
	setenv("HOME", "/nonexistent", 1);
	setenv("PKG_CONFIG_LIBDIR", CHECK_FIXTURES "/pkgconfig", 1);
	setenv("EXTDEPS_LIBCUDA", FAKECUDA, 1);
}

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof *fx);
	struct ed_diag d;

	clear_env();
	fx->reg = registry_new();
	if (registry_load_dir(fx->reg, CHECK_FIXTURES "/mappings", &d) || registry_check(fx->reg, &d)) {
		fprintf(stderr, "%s:%d:%d: %s\n", d.file, d.line, d.col, d.msg);
		return -1;
	}
	if (check_host_new(fx->reg, CHECK_FIXTURES "/root", CHECK_FIXTURES "/bin", &fx->host, &d))
		return -1;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	check_host_free(fx->host);
	registry_free(fx->reg);
	free(fx);
	return 0;
}

/* Check one "Requires-External-Dep" line at STAGE (Core Metadata gives run). */
static enum check_status check1(struct check_host *h, const char *depurl, struct check_result *r)
{
	char text[512];
	struct ed_diag d;
	struct project *p;
	enum check_status s;

	snprintf(text, sizeof text, "Metadata-Version: 2.5\nName: t\nVersion: 1\nRequires-External-Dep: %s\n",
		 depurl);
	p = project_parse_metadata(text, strlen(text), "METADATA", &d);
	assert_non_null(p);
	assert_int_equal(p->ndeps, 1);
	assert_int_equal(check_dep(h, &p->deps[0], r, &d), 0);
	s = r->status;
	r->dep = NULL; /* the project goes now */
	project_free(p);
	return s;
}

static void test_check_sources(void **state)
{
	struct fx *fx = *state;
	struct check_result r;

	/* dpkg, with the Debian version reduced to upstream */
	assert_int_equal(check1(fx->host, "dep:generic/zlib@>=1.2.13", &r), CHECK_SATISFIED);
	assert_int_equal(r.ev.method, CHECK_BY_PACKAGE);
	assert_string_equal(r.ev.database, "dpkg");
	assert_string_equal(r.ev.what, "zlib1g-dev");
	assert_string_equal(r.ev.version, "1:1.2.13.dfsg-1");
	assert_string_equal(r.ev.compared, "1.2.13");
	check_result_fini(&r);
	assert_int_equal(check1(fx->host, "dep:generic/zlib@>=1.3", &r), CHECK_TOO_OLD);
	assert_int_equal(r.ev.verdict, 0);
	assert_non_null(strstr(r.message, "does not meet >=1.3"));
	assert_int_equal(r.ninstall, 1);
	assert_string_equal(r.install[0], "zlib1g-dev");
	check_result_fini(&r);

	/* pkg-config, compared by pkg-config's rules */
	assert_int_equal(check1(fx->host, "dep:generic/libfoo@>=1.4", &r), CHECK_SATISFIED);
	assert_int_equal(r.ev.method, CHECK_BY_PKGCONFIG);
	assert_string_equal(r.ev.version, "1.4.0~rc2");
	assert_non_null(strstr(r.ev.path, "libfoo.pc"));
	check_result_fini(&r);

	/* an executable, its version read only when needed */
	assert_int_equal(check1(fx->host, "dep:generic/cmake@>=3.26", &r), CHECK_TOO_OLD);
	assert_int_equal(r.ev.method, CHECK_BY_EXECUTABLE);
	assert_string_equal(r.ev.version, "3.20.0");
	assert_non_null(strstr(r.tried, "dpkg: cmake not installed"));
	check_result_fini(&r);
	assert_int_equal(check1(fx->host, "dep:generic/cmake", &r), CHECK_SATISFIED);
	assert_string_equal(r.ev.version, "");
	check_result_fini(&r);

	/* missing: what was tried and what to install */
	assert_int_equal(check1(fx->host, "dep:generic/openssl", &r), CHECK_MISSING);
	assert_non_null(strstr(r.tried, "dpkg: libssl-dev not installed"));
	assert_non_null(strstr(r.tried, "no pkg-config module 'openssl'"));
	assert_string_equal(r.install[0], "libssl-dev");
	check_result_fini(&r);
	assert_int_equal(check1(fx->host, "dep:generic/rare", &r), CHECK_MISSING);
	assert_int_equal(r.ninstall, 0);
	assert_string_equal(r.install_note, "debian has no package: not packaged");
	check_result_fini(&r);
	assert_int_equal(check1(fx->host, "dep:generic/hdf5", &r), CHECK_MISSING);
	assert_non_null(strstr(r.tried, "no file '/nonexistent/extdeps-fixture/include/hdf5.h'"));
	assert_string_equal(r.install_note, "no debian package is mapped yet");
	check_result_fini(&r);

	/* not in the registry: found by its name, or unknown */
	assert_int_equal(check1(fx->host, "dep:generic/ninja@>=1.10", &r), CHECK_SATISFIED);
	check_result_fini(&r);
	assert_int_equal(check1(fx->host, "dep:generic/gfortran", &r), CHECK_SATISFIED);
	assert_int_equal(r.ev.method, CHECK_BY_NAME);
	check_result_fini(&r);
	assert_int_equal(check1(fx->host, "dep:generic/nonesuch", &r), CHECK_UNKNOWN);
	assert_non_null(strstr(r.message, "not in the registry"));
	assert_false(check_status_ok(r.status));
	check_result_fini(&r);
}

static void test_check_virtual_and_compilers(void **state)
{
	struct fx *fx = *state;
	struct check_result r;

	/* an interface is satisfied by a provider */
	assert_int_equal(check1(fx->host, "dep:virtual/interface/blas", &r), CHECK_SATISFIED);
	assert_string_equal(r.ev.provider, "dep:generic/openblas");
	check_result_fini(&r);

	/* dpkg says gcc is there but its versions are not upstream's; the
	 * probe reads the compiler's own */
	assert_int_equal(check1(fx->host, "dep:virtual/compiler/c@>=12", &r), CHECK_SATISFIED);
	assert_int_equal(r.ev.method, CHECK_BY_EXECUTABLE);
	assert_string_equal(r.ev.version, "12.2.0");
	check_result_fini(&r);
	assert_int_equal(check1(fx->host, "dep:virtual/compiler/c@>=13", &r), CHECK_TOO_OLD);
	check_result_fini(&r);

	/* CC decides; a CC that names nothing is missing */
	setenv("CC", CHECK_FIXTURES "/bin/gfortran -O2", 1);
	assert_int_equal(check1(fx->host, "dep:virtual/compiler/c@>=12", &r), CHECK_SATISFIED);
	assert_int_equal(r.ev.method, CHECK_BY_ENV);
	assert_string_equal(r.ev.what, "$CC");
	check_result_fini(&r);
	setenv("CC", "no-such-cc", 1);
	assert_int_equal(check1(fx->host, "dep:virtual/compiler/c@>=12", &r), CHECK_UNVERIFIED);
	assert_non_null(strstr(r.tried, "$CC names 'no-such-cc', which is not an executable"));
	assert_int_equal(r.ev.method, CHECK_BY_PACKAGE); /* gcc from dpkg, version unknown */
	assert_true(check_status_ok(r.status));
	check_result_fini(&r);
	unsetenv("CC");

	/* Fortran: FC unset, gfortran from PATH, dpkg has no gfortran */
	assert_int_equal(check1(fx->host, "dep:virtual/compiler/fortran", &r), CHECK_SATISFIED);
	check_result_fini(&r);
}

static void test_check_cuda(void **state)
{
	struct fx *fx = *state;
	struct check_result r;

	/* run stage (Core Metadata): the driver, lower bound only */
	assert_int_equal(check1(fx->host, "dep:generic/cuda@>=12,<13", &r), CHECK_SATISFIED);
	assert_int_equal(r.ev.method, CHECK_BY_CUDA_DRIVER);
	assert_string_equal(r.ev.about, "driver");
	assert_string_equal(r.ev.version, "12.4");
	check_result_fini(&r);
	assert_int_equal(check1(fx->host, "dep:generic/cuda@>=12.6", &r), CHECK_TOO_OLD);
	check_result_fini(&r);
	assert_int_equal(check1(fx->host, "dep:generic/cuda-driver@>=11,<12", &r), CHECK_SATISFIED);
	check_result_fini(&r);
}

static void test_check_cuda_toolkit_and_no_driver(void **state)
{
	struct registry *reg = registry_new();
	struct check_host *h;
	struct check_result r;
	struct ed_diag d;
	struct project *p;
	const char *text = "Metadata-Version: 2.5\nName: t\nVersion: 1\n"
			   "Requires-External-Dep: dep:generic/cuda@>=12,<13\n";

	clear_env();
	setenv("EXTDEPS_LIBCUDA", "/nonexistent/libcuda.so.1", 1);
	assert_int_equal(registry_load_dir(reg, CHECK_FIXTURES "/mappings", &d), 0);
	assert_int_equal(registry_check(reg, &d), 0);
	assert_int_equal(check_host_new(reg, CHECK_FIXTURES "/root", "/nonexistent", &h, &d), 0);
	assert_int_equal(check1(h, "dep:generic/cuda@>=12", &r), CHECK_MISSING);
	assert_non_null(strstr(r.tried, "no NVIDIA driver"));
	/* at run time the driver is what is missing, not the toolkit */
	assert_string_equal(r.install[0], "libcuda1");
	check_result_fini(&r);

	/* a build-stage dependency is about the toolkit */
	p = project_parse_metadata(text, strlen(text), "METADATA", &d);
	assert_non_null(p);
	p->deps[0].stage = ED_STAGE_BUILD;
	assert_int_equal(check_dep(h, &p->deps[0], &r, &d), 0);
	assert_int_equal(r.status, CHECK_SATISFIED);
	assert_int_equal(r.ev.method, CHECK_BY_CUDA_TOOLKIT);
	assert_string_equal(r.ev.about, "toolkit");
	assert_string_equal(r.ev.version, "12.4.1");
	assert_non_null(strstr(r.message, "the constraint is about the toolkit"));
	check_result_fini(&r);
	project_free(p);
	check_host_free(h);
	registry_free(reg);
	setenv("EXTDEPS_LIBCUDA", FAKECUDA, 1);
}

/* GitHub reads a line that starts "::" as a workflow command: what extdeps
 * prints from the machine (a path, a version) must never start one. */
static void test_github_no_injection(void **state)
{
	const char *text = "Metadata-Version: 2.5\nName: t\nVersion: 1\n"
			   "Requires-External-Dep: dep:generic/zlib\n"
			   "Requires-External-Dep: dep:generic/cmake\n";
	struct ed_diag d;
	struct project *p = project_parse_metadata(text, strlen(text), "METADATA", &d);
	struct check_result res[2];
	struct check_report r = { .results = res, .count = 2, .nsatisfied = 1, .nunmet = 1 };
	struct out o = { 0 };
	char msg0[] = "/opt/x\n::error::injected 1.3", msg1[] = "m", tried[] = "no 'a\n::error::b' on PATH";
	char *buf = NULL;
	size_t len = 0;

	(void)state;
	assert_non_null(p);
	memset(res, 0, sizeof res);
	res[0] = (struct check_result){ .dep = &p->deps[0], .status = CHECK_SATISFIED,
					.message = msg0 };
	res[1] = (struct check_result){ .dep = &p->deps[1], .status = CHECK_MISSING,
					.message = msg1, .tried = tried };
	o.out = open_memstream(&buf, &len);
	check_report_github(&o, p, &r);
	fclose(o.out);
	/* no line starts a command of the data's */
	for (const char *line = buf; line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
		assert_true(strncmp(line, "::error::injected", 17) && strncmp(line, "::error::b", 10));
	assert_non_null(strstr(buf, "/opt/x ::error::injected 1.3"));
	free(buf);
	project_free(p);
}

static void test_check_rootless_databases(void **state)
{
	struct registry *reg = registry_new();
	struct check_host *h;
	struct check_result r;
	struct ed_diag d;
	const struct check_db_info *dbs;
	size_t n;

	clear_env();
	/* absolute paths in the environment are read under the root, as the
	 * backends read them: these lead from CHECK_FIXTURES/root to the
	 * prefixes beside it */
	setenv("CONDA_PREFIX", "/../conda", 1);
	setenv("HOMEBREW_CELLAR", "/../Cellar", 1);
	assert_int_equal(registry_load_dir(reg, CHECK_FIXTURES "/mappings", &d), 0);
	assert_int_equal(registry_check(reg, &d), 0);
	assert_int_equal(check_host_new(reg, CHECK_FIXTURES "/root", "/nonexistent", &h, &d), 0);
	dbs = check_host_dbs(h, &n);
	assert_int_equal(n, 3);
	assert_string_equal(dbs[0].kind, "dpkg");
	assert_string_equal(dbs[1].kind, "conda");
	assert_string_equal(dbs[1].ecosystem, "conda-forge");
	assert_string_equal(dbs[2].kind, "brew");
	assert_string_equal(check_host_target(h)->eco->id, "debian");
	/* Homebrew's cmake 3.29.0 meets what PATH's 3.20.0 does not */
	assert_int_equal(check1(h, "dep:generic/cmake@>=3.26", &r), CHECK_SATISFIED);
	assert_string_equal(r.ev.database, "brew");
	assert_string_equal(r.ev.version, "3.29.0");
	check_result_fini(&r);
	/* conda-forge maps the interface through its provider */
	assert_int_equal(check1(h, "dep:virtual/interface/blas", &r), CHECK_SATISFIED);
	assert_string_equal(r.ev.database, "conda");
	assert_string_equal(r.ev.what, "libopenblas");
	check_result_fini(&r);
	check_host_free(h);
	registry_free(reg);
	unsetenv("CONDA_PREFIX");
	unsetenv("HOMEBREW_CELLAR");
}

static size_t host_ecos(const char *root, char (*ids)[CHECK_ECO_ID_MAX], char *joined,
			size_t size)
{
	size_t n = check_host_ecosystems(root, ids, CHECK_ECO_MAX), used = 0;

	joined[0] = '\0';
	for (size_t i = 0; i < n; i++)
		used += (size_t)snprintf(joined + used, size - used, "%s%s", i ? " " : "", ids[i]);
	return n;
}

/* DIR/SUB/NAME holding TEXT (SUB created); removed by unput(). */
static void put(const char *dir, const char *sub, const char *name, const char *text)
{
	char path[300];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, sub);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof path, "%s/%s/%s", dir, sub, name);
	assert_non_null(f = fopen(path, "w"));
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static void unput(const char *dir, const char *sub, const char *name)
{
	char path[300];

	snprintf(path, sizeof path, "%s/%s/%s", dir, sub, name);
	unlink(path);
	snprintf(path, sizeof path, "%s/%s", dir, sub);
	rmdir(path);
	rmdir(dir);
}

/* The ecosystems a check loads: the host's and the rootless prefixes found. */
static void test_check_host_ecosystems(void **state)
{
	char ids[CHECK_ECO_MAX][CHECK_ECO_ID_MAX], joined[512], home_var[64];
	char home[] = "/tmp/extdeps-home-XXXXXX", root[] = "/tmp/extdeps-root-XXXXXX";

	char *path = strdup(getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");

	clear_env();
	/* no python3 on PATH: no site-packages, whatever this machine has */
	setenv("PATH", "/nonexistent", 1);
	assert_int_equal(host_ecos(CHECK_FIXTURES "/root", ids, joined, sizeof joined), 1);
	assert_string_equal(joined, "debian");
	assert_int_equal(host_ecos(FIXTURES "/roots/none", ids, joined, sizeof joined), 0);
	/* a python3 with a site-packages: its wheels are a database */
	setenv("PATH", FIXTURES "/cuda/python/bin", 1);
	assert_int_equal(host_ecos(CHECK_FIXTURES "/root", ids, joined, sizeof joined), 2);
	assert_string_equal(joined, "debian pypi");
	setenv("PATH", "/nonexistent", 1);
	/* a prefix without its database does not count (absolute paths in
	 * the environment are read under the root: "/.." is CHECK_FIXTURES) */
	setenv("CONDA_PREFIX", "/..", 1);
	assert_int_equal(host_ecos(CHECK_FIXTURES "/root", ids, joined, sizeof joined), 1);
	/* from the temporary root below /tmp, "/../.." is "/" */
	setenv("CONDA_PREFIX", "/../.." CHECK_FIXTURES "/conda", 1);
	setenv("HOMEBREW_CELLAR", "/../.." CHECK_FIXTURES "/Cellar", 1);
	assert_non_null(mkdtemp(home));
	put(home, ".nix-profile", "manifest.json", "{\"elements\": {}, \"version\": 3}\n");
	snprintf(home_var, sizeof home_var, "/../..%s", home);
	setenv("HOME", home_var, 1);
	/* a derivative: its ID_LIKE parents too */
	assert_non_null(mkdtemp(root));
	put(root, "etc", "os-release", "ID=linuxmint\nID_LIKE=\"ubuntu debian\"\n");
	assert_int_equal(host_ecos(root, ids, joined, sizeof joined), 6);
	assert_string_equal(joined, "linuxmint ubuntu debian conda-forge homebrew nixpkgs");
	/* at most MAX */
	assert_int_equal(check_host_ecosystems(root, ids, 2), 2);
	unput(root, "etc", "os-release");
	unput(home, ".nix-profile", "manifest.json");
	clear_env();
	setenv("PATH", path, 1);
	free(path);
}

/* The real machine: libc6 from its dpkg database, a real .pc file. */
static void test_check_host(void **state)
{
	struct registry *reg = registry_new();
	struct check_host *h;
	struct check_result r;
	struct ed_diag d;
	static const char *const patterns[] = { "/usr/lib/*/pkgconfig/*.pc", "/usr/share/pkgconfig/*.pc",
						"/usr/lib/pkgconfig/*.pc" };
	bool tried_pc = false;

	unsetenv("PKG_CONFIG_LIBDIR");
	unsetenv("PKG_CONFIG_PATH");
	assert_int_equal(registry_load_dir(reg, CHECK_FIXTURES "/mappings", &d), 0);
	assert_int_equal(registry_check(reg, &d), 0);
	assert_int_equal(check_host_new(reg, NULL, NULL, &h, &d), 0);
	if (check_host_target(h) && !access("/var/lib/dpkg/status", R_OK)) {
		assert_int_equal(check1(h, "dep:generic/glibc@>=2.17", &r), CHECK_SATISFIED);
		assert_int_equal(r.ev.method, CHECK_BY_PACKAGE);
		assert_string_equal(r.ev.what, "libc6");
		check_result_fini(&r);
	}
	for (size_t i = 0; i < 3 && !tried_pc; i++) {
		glob_t g;
		if (glob(patterns[i], 0, NULL, &g))
			continue;
		for (size_t k = 0; k < g.gl_pathc && !tried_pc; k++) {
			char url[300];
			const char *base = strrchr(g.gl_pathv[k], '/') + 1;
			/* a name the registry does not know: found by its .pc file */
			snprintf(url, sizeof url, "dep:generic/%.*s", (int)(strlen(base) - 3), base);
			if (strspn(base, "abcdefghijklmnopqrstuvwxyz0123456789-.") != strlen(base) ||
			    registry_find(reg, url))
				continue;
			tried_pc = true;
			assert_int_equal(check1(h, url, &r), CHECK_SATISFIED);
			assert_int_equal(r.ev.method, CHECK_BY_NAME);
			check_result_fini(&r);
		}
		globfree(&g);
	}
	check_host_free(h);
	registry_free(reg);
	setenv("PKG_CONFIG_LIBDIR", CHECK_FIXTURES "/pkgconfig", 1);
}

static void test_check_run_report(void **state)
{
	struct fx *fx = *state;
	struct check_report rep;
	struct ed_diag d;
	const char *text = "Metadata-Version: 2.5\nName: t\nVersion: 1\n"
			   "Requires-External-Dep: dep:generic/zlib\n"
			   "Requires-External-Dep: dep:generic/openssl\n"
			   "Requires-External-Dep: dep:generic/cmake@>=3.26\n"
			   "Requires-External-Dep: dep:generic/openssl@>=3\n"
			   "Requires-External-Dep: dep:generic/rare\n";
	struct project *p = project_parse_metadata(text, strlen(text), "METADATA", &d);
	enum select_skip verdict[5] = { SELECT_IN, SELECT_IN, SELECT_IN, SELECT_IN, SELECT_MARKER };

	assert_non_null(p);
	assert_int_equal(check_run(fx->host, p, verdict, &rep, &d), 0);
	assert_int_equal(rep.count, 4);
	assert_int_equal(rep.nsatisfied, 1);
	assert_int_equal(rep.nunmet, 3);
	assert_string_equal(rep.ecosystem, "debian");
	assert_string_equal(rep.release, "12");
	assert_true(rep.needs_root);
	/* the package manager's argv, each name once */
	assert_int_equal(rep.nargv, 6);
	assert_string_equal(rep.argv[0], "apt-get");
	assert_string_equal(rep.argv[4], "libssl-dev");
	assert_string_equal(rep.argv[5], "cmake");
	check_report_fini(&rep);
	check_report_fini(NULL);
	project_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dpkg_fixture),
		cmocka_unit_test(test_dpkg_edges),
		cmocka_unit_test(test_dpkg_host),
		cmocka_unit_test(test_conda_cellar_nix),
		cmocka_unit_test_setup_teardown(test_check_sources, setup, teardown),
		cmocka_unit_test_setup_teardown(test_check_virtual_and_compilers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_check_cuda, setup, teardown),
		cmocka_unit_test(test_check_cuda_toolkit_and_no_driver),
		cmocka_unit_test(test_check_rootless_databases),
		cmocka_unit_test(test_github_no_injection),
		cmocka_unit_test(test_check_host),
		cmocka_unit_test(test_check_host_ecosystems),
		cmocka_unit_test_setup_teardown(test_check_run_report, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
