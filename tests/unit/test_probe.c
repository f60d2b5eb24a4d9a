#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "extdeps/eco/arch.h"
#include "extdeps/host/cuda.h"
#include "extdeps/host/host.h"
#include "extdeps/host/probe.h"

#define CHECK_FIXTURES FIXTURES "/check"

static struct pep440_spec *spec(const char *text)
{
	struct ed_parse_err e;
	struct pep440_spec *s = pep440_spec_parse(text, strlen(text), &e);
	assert_non_null(s);
	return s;
}

static void test_version_token(void **state)
{
	char v[64];

	assert_true(probe_version_token("gcc (Debian 12.2.0-14) 12.2.0", v, sizeof v));
	assert_string_equal(v, "12.2.0");
	assert_true(probe_version_token("cmake version 3.25.1\n\nCMake suite", v, sizeof v));
	assert_string_equal(v, "3.25.1");
	assert_true(probe_version_token("1.11.1\n", v, sizeof v));
	assert_string_equal(v, "1.11.1");
	assert_true(probe_version_token("tool 2.0b1 (x86_64)", v, sizeof v));
	assert_string_equal(v, "2.0b1");
	assert_true(probe_version_token("Cuda compilation tools, release 12.4, V12.4.131", v, sizeof v));
	assert_string_equal(v, "12.4");
	/* x86_64 is no version; a version ending a sentence loses the dot */
	assert_true(probe_version_token("x86_64 build of version 1.2.", v, sizeof v));
	assert_string_equal(v, "1.2");
	assert_false(probe_version_token("no version here 42", v, sizeof v));
	assert_false(probe_version_token("", v, sizeof v));
}

static void test_spec_check(void **state)
{
	struct pep440_spec *s = spec(">=1.2,<2");
	struct pep440_spec *w = spec("==1.4.*");

	assert_int_equal(probe_spec_check(s, "1.5", PROBE_CMP_PEP440), 1);
	assert_int_equal(probe_spec_check(s, "2.0", PROBE_CMP_PEP440), 0);
	assert_int_equal(probe_spec_check(s, "1.1", PROBE_CMP_PEP440), 0);
	assert_int_equal(probe_spec_check(s, "1.5.x.y", PROBE_CMP_PEP440), -1);
	assert_int_equal(probe_spec_check(s, "", PROBE_CMP_PEP440), -1);
	assert_int_equal(probe_spec_check(NULL, "", PROBE_CMP_PEP440), 1);
	/* pkg-config's rules accept what PEP 440 does not */
	assert_int_equal(probe_spec_check(s, "1.5.x.y", PROBE_CMP_PKGCONFIG), 1);
	assert_int_equal(probe_spec_check(s, "1.10", PROBE_CMP_PKGCONFIG), 1);
	assert_int_equal(probe_spec_check(s, "2.0.1", PROBE_CMP_PKGCONFIG), 0);
	assert_int_equal(probe_spec_check(w, "1.4.2", PROBE_CMP_PKGCONFIG), 1);
	assert_int_equal(probe_spec_check(w, "1.40", PROBE_CMP_PKGCONFIG), 0);
	pep440_spec_free(s);
	pep440_spec_free(w);
}

static void test_pkgconfig_fixture(void **state)
{
	struct probe_pc *pc;
	struct probe_hit hit;

	setenv("PKG_CONFIG_LIBDIR", CHECK_FIXTURES "/pkgconfig", 1);
	unsetenv("PKG_CONFIG_PATH");
	assert_non_null(pc = probe_pc_new());
	assert_true(probe_pc_find(pc, "openblas", &hit));
	assert_string_equal(hit.version, "0.3.21");
	assert_non_null(strstr(hit.path, "/pkgconfig/openblas.pc"));
	assert_false(probe_pc_find(pc, "no-such-module", &hit));
	assert_false(probe_pc_find(pc, "", &hit));
	probe_pc_free(pc);
	/* PKG_CONFIG_PATH comes on top of the libdir */
	setenv("PKG_CONFIG_LIBDIR", "/nonexistent", 1);
	assert_non_null(pc = probe_pc_new());
	assert_false(probe_pc_find(pc, "proj", &hit));
	probe_pc_free(pc);
	setenv("PKG_CONFIG_PATH", CHECK_FIXTURES "/pkgconfig", 1);
	assert_non_null(pc = probe_pc_new());
	assert_true(probe_pc_find(pc, "proj", &hit));
	assert_string_equal(hit.version, "9.1.1");
	probe_pc_free(pc);
	unsetenv("PKG_CONFIG_PATH");
	unsetenv("PKG_CONFIG_LIBDIR");
	probe_pc_free(NULL);
}

/* A real .pc file of this machine is found with the default search path. */
static void test_pkgconfig_host(void **state)
{
	static const char *const patterns[] = { "/usr/lib/*/pkgconfig/*.pc", "/usr/share/pkgconfig/*.pc",
						"/usr/lib/pkgconfig/*.pc", "/usr/lib64/pkgconfig/*.pc" };
	struct probe_pc *pc;
	size_t tried = 0, found = 0;

	unsetenv("PKG_CONFIG_PATH");
	unsetenv("PKG_CONFIG_LIBDIR");
	assert_non_null(pc = probe_pc_new());
	for (size_t i = 0; i < 4; i++) {
		glob_t g;
		if (glob(patterns[i], 0, NULL, &g))
			continue;
		for (size_t k = 0; k < g.gl_pathc && k < 5; k++) {
			char name[256];
			const char *base = strrchr(g.gl_pathv[k], '/') + 1;
			struct probe_hit hit;
			snprintf(name, sizeof name, "%.*s", (int)(strlen(base) - 3), base);
			tried++;
			if (probe_pc_find(pc, name, &hit)) {
				found++;
				assert_int_equal(access(hit.path, R_OK), 0);
			}
		}
		globfree(&g);
	}
	probe_pc_free(pc);
	if (!tried)
		skip();
	assert_true(found > 0);
}

static void test_which_and_exec(void **state)
{
	char path[4096], v[64];
	struct ed_diag d;
	struct timespec a, b;

	assert_true(probe_which("cmake", CHECK_FIXTURES "/bin", path, sizeof path));
	assert_string_equal(path, CHECK_FIXTURES "/bin/cmake");
	assert_false(probe_which("nonesuch", CHECK_FIXTURES "/bin", path, sizeof path));
	/* a directory or a plain file is no executable */
	assert_false(probe_which("bin", CHECK_FIXTURES, path, sizeof path));
	assert_false(probe_which("openblas.pc", CHECK_FIXTURES "/pkgconfig", path, sizeof path));
	assert_true(probe_which(CHECK_FIXTURES "/bin/ninja", "/nonexistent", path, sizeof path));
	assert_true(probe_which("ninja", "/nonexistent::" CHECK_FIXTURES "/bin", path, sizeof path));

	ed_diag_clear(&d);
	assert_int_equal(probe_exec_version(CHECK_FIXTURES "/bin/cmake", "--version", 5000, v, sizeof v, &d), 0);
	assert_string_equal(v, "3.20.0");
	assert_int_equal(probe_exec_version(CHECK_FIXTURES "/bin/cc", "--version", 5000, v, sizeof v, &d), 0);
	assert_string_equal(v, "12.2.0");
	assert_int_equal(probe_exec_version(CHECK_FIXTURES "/bin/apt", "--version", 5000, v, sizeof v, &d),
			 ED_EXIT_ENV);
	assert_non_null(strstr(d.msg, "printed no version"));
	assert_int_equal(probe_exec_version("/nonexistent/tool", "--version", 5000, v, sizeof v, &d),
			 ED_EXIT_ENV);
	assert_non_null(strstr(d.msg, "cannot run"));
	/* a tool that hangs is killed at the timeout */
	clock_gettime(CLOCK_MONOTONIC, &a);
	assert_int_equal(probe_exec_version(CHECK_FIXTURES "/bin/slowtool", "--version", 200, v, sizeof v, &d),
			 ED_EXIT_ENV);
	clock_gettime(CLOCK_MONOTONIC, &b);
	assert_non_null(strstr(d.msg, "did not finish within 200 ms"));
	assert_true((b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000 < 3000);
}

static void test_file_probe(void **state)
{
	struct probe_hit hit;

	assert_true(probe_file(CHECK_FIXTURES "/pkgconfig/open*.pc", &hit));
	assert_string_equal(hit.path, CHECK_FIXTURES "/pkgconfig/openblas.pc");
	assert_true(probe_file(CHECK_FIXTURES "/pkgconfig/proj.pc", &hit));
	assert_false(probe_file(CHECK_FIXTURES "/pkgconfig/nope*.pc", &hit));
	assert_false(probe_file("/nonexistent/file.h", &hit));
}

static void test_cuda_driver_fake(void **state)
{
	struct cuda_driver drv;

	setenv("EXTDEPS_LIBCUDA", FAKECUDA, 1);
	unsetenv("EXTDEPS_CUDA_DRIVER_VERSION");
	unsetenv("FAKECUDA_VERSION");
	unsetenv("FAKECUDA_GPUS");
	unsetenv("FAKECUDA_INIT");
	cuda_driver_detect(&drv);
	assert_true(drv.present);
	assert_false(drv.overridden);
	assert_int_equal(drv.version, 12040);
	assert_string_equal(drv.version_str, "12.4");
	assert_int_equal(drv.ngpus, 2);
	assert_string_equal(drv.gpus[0].name, "Fake GPU 0");
	assert_int_equal(drv.gpus[0].cc_major, 8);
	assert_int_equal(drv.gpus[0].cc_minor, 6);
	assert_int_equal(drv.gpus[1].cc_major, 9);
	assert_string_equal(drv.why, "");

	/* a driver without a usable GPU still has a version */
	setenv("FAKECUDA_INIT", "100", 1);
	setenv("FAKECUDA_VERSION", "11080", 1);
	cuda_driver_detect(&drv);
	assert_true(drv.present);
	assert_string_equal(drv.version_str, "11.8");
	assert_int_equal(drv.ngpus, 0);
	assert_non_null(strstr(drv.why, "cuInit failed (CUDA error 100)"));
	unsetenv("FAKECUDA_INIT");
	unsetenv("FAKECUDA_VERSION");

	/* the override replaces the version, GPUs are still listed */
	setenv("EXTDEPS_CUDA_DRIVER_VERSION", "13.0", 1);
	cuda_driver_detect(&drv);
	assert_true(drv.present && drv.overridden);
	assert_int_equal(drv.version, 13000);
	assert_int_equal(drv.ngpus, 2);

	/* no library: a clear "no NVIDIA driver", unless overridden */
	setenv("EXTDEPS_LIBCUDA", "/nonexistent/libcuda.so.1", 1);
	cuda_driver_detect(&drv);
	assert_true(drv.present && drv.overridden);
	assert_int_equal(drv.ngpus, 0);
	unsetenv("EXTDEPS_CUDA_DRIVER_VERSION");
	cuda_driver_detect(&drv);
	assert_false(drv.present);
	assert_non_null(strstr(drv.why, "no NVIDIA driver"));
	unsetenv("EXTDEPS_LIBCUDA");
}

static void test_cuda_version_parse(void **state)
{
	assert_int_equal(cuda_version_parse("12.4"), 12040);
	assert_int_equal(cuda_version_parse("12.4.1"), 12040);
	assert_int_equal(cuda_version_parse("12040"), 12040);
	assert_int_equal(cuda_version_parse("11.8"), 11080);
	assert_int_equal(cuda_version_parse("12"), -1);
	assert_int_equal(cuda_version_parse("x"), -1);
	assert_int_equal(cuda_version_parse("12.x"), -1);
	assert_int_equal(cuda_version_parse(NULL), -1);
}

static void test_host_detect(void **state)
{
	struct host_info h;

	setenv("EXTDEPS_LIBC", "musl 1.2.4", 1);
	setenv("CONDA_PREFIX", "/opt/conda", 1);
	host_detect(&h, CHECK_FIXTURES "/root", "linux", "aarch64", CHECK_FIXTURES "/bin");
	assert_true(h.has_os);
	assert_string_equal(h.os.id, "debian");
	assert_string_equal(h.os.codename, "bookworm");
	assert_string_equal(h.arch[ARCH_DPKG], "arm64");
	assert_string_equal(h.arch[ARCH_RPM], "aarch64");
	assert_string_equal(h.arch[ARCH_CONDA], "linux-aarch64");
	assert_string_equal(h.libc, "musl");
	assert_string_equal(h.libc_version, "1.2.4");
	assert_int_equal(h.npms, 2);
	assert_string_equal(h.pms[0].name, "apt");
	assert_string_equal(h.pms[1].name, "conda");
	assert_string_equal(h.conda_prefix, "/opt/conda");
	unsetenv("EXTDEPS_LIBC");
	unsetenv("CONDA_PREFIX");
	host_detect(&h, CHECK_FIXTURES "/root", "linux", "x86_64", "/nonexistent");
	assert_int_equal(h.npms, 0);
	assert_string_equal(h.arch[ARCH_DPKG], "amd64");
	assert_string_equal(h.conda_prefix, "");
#ifdef __GLIBC__
	assert_string_equal(h.libc, "glibc");
	assert_true(h.libc_version[0] >= '2');
#endif
	assert_string_equal(h.arch[ARCH_RPM], "x86_64");
	assert_string_equal(h.arch[ARCH_CONDA], "linux-64");
	host_detect(&h, CHECK_FIXTURES "/root", "darwin", "arm64", "/nonexistent");
	assert_string_equal(h.arch[ARCH_CONDA], "osx-arm64");
	assert_string_equal(h.arch[ARCH_DPKG], "arm64");
	host_detect(&h, CHECK_FIXTURES "/root", "linux", "mips", "/nonexistent");
	assert_string_equal(h.arch[ARCH_DPKG], "");
	assert_string_equal(h.arch[ARCH_CONDA], "");
}

/* The one architecture table: every spelling converts to every scheme. */
static void test_arch_table(void **state)
{
	char a[32];

	assert_string_equal(arch_convert("x86_64", ARCH_DPKG), "amd64");
	assert_string_equal(arch_convert("amd64", ARCH_RPM), "x86_64");
	assert_string_equal(arch_convert("linux-64", ARCH_MACHINE), "x86_64");
	assert_string_equal(arch_convert("amd64", ARCH_CONDA), "linux-64");
	assert_string_equal(arch_convert("osx-arm64", ARCH_DPKG), "arm64");
	assert_string_equal(arch_convert("osx-arm64", ARCH_CONDA), "osx-arm64");
	/* dpkg's names map back to the canonical machine */
	assert_string_equal(arch_convert("arm64", ARCH_RPM), "aarch64");
	assert_string_equal(arch_convert("i386", ARCH_MACHINE), "i686");
	assert_string_equal(arch_convert("amd64", ARCH_MACHINE), "x86_64");
	assert_string_equal(arch_convert("i586", ARCH_RPM), "i686");
	assert_string_equal(arch_convert("armv7l", ARCH_RPM), "armv7hl");
	assert_string_equal(arch_convert("ppc64el", ARCH_MACHINE), "ppc64le");
	assert_string_equal(arch_convert("armhf", ARCH_RPM), "armv7hl");
	assert_string_equal(arch_convert("i686", ARCH_DPKG), "i386");
	assert_null(arch_convert("loong64", ARCH_RPM));
	assert_null(arch_convert("pdp11", ARCH_DPKG));
	assert_null(arch_convert(NULL, ARCH_DPKG));
	arch_conda_subdir("darwin", "arm64", a, sizeof a);
	assert_string_equal(a, "osx-arm64");
	arch_conda_subdir("linux", "aarch64", a, sizeof a);
	assert_string_equal(a, "linux-aarch64");
	arch_conda_subdir("win32", "x86_64", a, sizeof a);
	assert_string_equal(a, "win-64");
	arch_conda_subdir("linux", "mips", a, sizeof a);
	assert_string_equal(a, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_version_token),
		cmocka_unit_test(test_spec_check),
		cmocka_unit_test(test_pkgconfig_fixture),
		cmocka_unit_test(test_pkgconfig_host),
		cmocka_unit_test(test_which_and_exec),
		cmocka_unit_test(test_file_probe),
		cmocka_unit_test(test_cuda_driver_fake),
		cmocka_unit_test(test_cuda_version_parse),
		cmocka_unit_test(test_host_detect),
		cmocka_unit_test(test_arch_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
