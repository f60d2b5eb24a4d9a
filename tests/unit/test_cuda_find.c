/* test_cuda_find.c - every CUDA installation cuda_find lists, in its
 * order, with the versions and where they were read, on the fixture trees
 * of tests/fixtures/cuda (each mirrors a real layout). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "extdeps/host/cuda_find.h"

#define CUDA_FIXTURES FIXTURES "/cuda"
#define ROOT CUDA_FIXTURES "/root"
#define VENV_SITE CUDA_FIXTURES "/venv/lib/python3.12/site-packages"
#define BASE_SITE CUDA_FIXTURES "/python/lib/python3.12/site-packages"
#define SEARCH_PATH CUDA_FIXTURES "/venv/bin:" CUDA_FIXTURES "/path-cuda/bin"

/* The environment cuda_find reads, as the fixture root's machine has it. */
static void fixture_env(void)
{
	unsetenv("CUDACXX");
	unsetenv("CUDA_PATH");
	unsetenv("VIRTUAL_ENV");
	unsetenv("HOME");
	setenv("CUDA_HOME", "/opt/cuda", 1);
	setenv("CONDA_PREFIX", "/opt/conda", 1);
}

static void find(const char *root, const char *search_path, struct cuda_installs *out)
{
	struct cuda_find_opts o = { .root = root, .search_path = search_path };

	assert_true(cuda_find(&o, out));
}

static char *real(const char *path)
{
	static char buf[PATH_MAX];

	assert_non_null(realpath(path, buf));
	return buf;
}

/* Installation IN is at PLACE in ROOT, of VERSION read from FROM ("" none). */
static void expect_install(const struct cuda_install *in, enum cuda_place place, const char *root,
			   const char *version, const char *from)
{
	assert_string_equal(cuda_place_name(in->place), cuda_place_name(place));
	assert_string_equal(in->root, root);
	assert_string_equal(in->version, version);
	assert_string_equal(in->version_from, from);
}

/* IN has component C of VERSION read from FROM. */
static void expect_comp(const struct cuda_install *in, enum cuda_component c, const char *version,
			const char *from)
{
	const struct cuda_found *f = &in->comp[c];

	assert_true(f->present);
	assert_string_equal(f->version, version);
	assert_string_equal(f->version_from, from);
}

/* IN holds exactly the components in C[0..N). */
static void expect_only(const struct cuda_install *in, const enum cuda_component *c, size_t n)
{
	for (int k = 0; k < CUDA_NCOMPONENTS; k++) {
		bool want = false;
		for (size_t i = 0; i < n; i++)
			want |= c[i] == (enum cuda_component)k;
		if (in->comp[k].present != want)
			fail_msg("%s: %s is %s", in->root, cuda_component_name((enum cuda_component)k),
				 want ? "missing" : "found");
	}
}

#define EXPECT_ONLY(in, ...)                                                                     \
	do {                                                                                     \
		const enum cuda_component c_[] = { __VA_ARGS__ };                                \
		expect_only(in, c_, sizeof c_ / sizeof c_[0]);                                  \
	} while (0)

/* Every place, in cuda_find's order. */
static void test_every_place(void **state)
{
	struct cuda_installs in;
	const struct cuda_install *v;

	fixture_env();
	find(ROOT, SEARCH_PATH, &in);
	v = in.v;
	assert_int_equal(in.n, 11);
	assert_string_equal(in.note, "");

	/* $CUDA_HOME: version.json, the runtime through lib64 -> targets/x86_64-linux/lib */
	expect_install(&v[0], CUDA_AT_ENV, ROOT "/opt/cuda", "12.6.0", ROOT "/opt/cuda/version.json");
	expect_comp(&v[0], CUDA_NVCC, "12.6.20", ROOT "/opt/cuda/version.json");
	expect_comp(&v[0], CUDA_CUDART, "12.6.37", ROOT "/opt/cuda/version.json");
	assert_string_equal(v[0].comp[CUDA_CUDART].path, ROOT "/opt/cuda/lib64/libcudart.so.12.6.37");
	EXPECT_ONLY(&v[0], CUDA_NVCC, CUDA_CUDART);

	/* /usr/local/cuda -> cuda-12.4, listed once; cuBLAS from its header,
	 * the runtime from version.json (CUDART_VERSION says 12.4 only) */
	expect_install(&v[1], CUDA_AT_DEFAULT, ROOT "/usr/local/cuda", "12.4.1",
		       ROOT "/usr/local/cuda/version.json");
	expect_comp(&v[1], CUDA_NVCC, "12.4.131", ROOT "/usr/local/cuda/version.json");
	assert_string_equal(v[1].comp[CUDA_NVCC].path, ROOT "/usr/local/cuda/bin/nvcc");
	expect_comp(&v[1], CUDA_CUDART, "12.4.127", ROOT "/usr/local/cuda/version.json");
	assert_string_equal(v[1].comp[CUDA_CUDART].path,
			    ROOT "/usr/local/cuda/lib64/libcudart.so.12.4.127");
	expect_comp(&v[1], CUDA_CUBLAS, "12.4.5", ROOT "/usr/local/cuda/include/cublas_api.h");
	EXPECT_ONLY(&v[1], CUDA_NVCC, CUDA_CUDART, CUDA_CUBLAS);

	/* /usr/local/cuda-X.Y newest first: 10.2 before 9.2; version.txt */
	expect_install(&v[2], CUDA_AT_VERSIONED, ROOT "/usr/local/cuda-10.2", "10.2.89",
		       ROOT "/usr/local/cuda-10.2/version.txt");
	expect_comp(&v[2], CUDA_NVCC, "10.2.89", ROOT "/usr/local/cuda-10.2/bin/nvcc --version");
	expect_comp(&v[2], CUDA_CUDART, "10.2.89",
		    ROOT "/usr/local/cuda-10.2/lib64/libcudart.so.10.2.89");
	EXPECT_ONLY(&v[2], CUDA_NVCC, CUDA_CUDART);
	expect_install(&v[3], CUDA_AT_VERSIONED, ROOT "/usr/local/cuda-9.2", "9.2.148",
		       ROOT "/usr/local/cuda-9.2/version.txt");
	EXPECT_ONLY(&v[3], CUDA_CUDART);

	/* the HPC SDK: its CUDA releases newest first, then its math libraries */
#define HPC ROOT "/opt/nvidia/hpc_sdk/Linux_x86_64/24.3"
	expect_install(&v[4], CUDA_AT_HPC_SDK, HPC "/cuda/12.3", "12.3.2",
		       HPC "/cuda/12.3/version.json");
	expect_comp(&v[4], CUDA_NVCC, "12.3.107", HPC "/cuda/12.3/version.json");
	expect_comp(&v[4], CUDA_CUDART, "12", HPC "/cuda/12.3/lib64/libcudart.so.12");
	expect_install(&v[5], CUDA_AT_HPC_SDK, HPC "/cuda/11.8", "11.8.0",
		       HPC "/cuda/11.8/version.json");
	expect_install(&v[6], CUDA_AT_HPC_SDK, HPC "/math_libs/12.3", "", "");
	expect_comp(&v[6], CUDA_CUBLAS, "12.3.4", HPC "/math_libs/12.3/include/cublas_api.h");
	EXPECT_ONLY(&v[6], CUDA_CUBLAS);

	/* the conda prefix: headers in targets/x86_64-linux/include */
#define CONDA ROOT "/opt/conda"
	expect_install(&v[7], CUDA_AT_CONDA, CONDA, "12.6",
		       CONDA "/targets/x86_64-linux/include/cuda_runtime_api.h");
	expect_comp(&v[7], CUDA_CUDNN, "9.3.0", CONDA "/targets/x86_64-linux/include/cudnn_version.h");
	assert_string_equal(v[7].comp[CUDA_CUDNN].path, CONDA "/lib/libcudnn.so.9.3.0");
	expect_comp(&v[7], CUDA_CUDART, "12.6", CONDA "/targets/x86_64-linux/include/cuda_runtime_api.h");
	EXPECT_ONLY(&v[7], CUDA_CUDART, CUDA_CUDNN);

	/* the virtual environment python3 on PATH belongs to, not its base
	 * installation: versions from the wheels' dist-info */
	expect_install(&v[8], CUDA_AT_WHEELS, VENV_SITE, "13.0.88",
		       VENV_SITE "/nvidia_cuda_nvcc-13.0.88.dist-info");
	expect_comp(&v[8], CUDA_CUDNN, "9.1.0.70", VENV_SITE "/nvidia_cudnn_cu12-9.1.0.70.dist-info");
	assert_string_equal(v[8].comp[CUDA_CUDNN].path, VENV_SITE "/nvidia/cudnn/lib/libcudnn.so.9");
	expect_comp(&v[8], CUDA_NCCL, "2.21.5", VENV_SITE "/nvidia_nccl_cu12-2.21.5.dist-info");
	expect_comp(&v[8], CUDA_CUDART, "13.0.96", VENV_SITE "/nvidia_cuda_runtime-13.0.96.dist-info");
	assert_string_equal(v[8].comp[CUDA_CUDART].path, VENV_SITE "/nvidia/cu13/lib/libcudart.so.13");
	expect_comp(&v[8], CUDA_NVCC, "13.0.88", VENV_SITE "/nvidia_cuda_nvcc-13.0.88.dist-info");
	assert_string_equal(v[8].comp[CUDA_NVCC].path, VENV_SITE "/nvidia/cu13/bin/nvcc");
	expect_comp(&v[8], CUDA_CUBLAS, "13.1.0.3", VENV_SITE "/nvidia_cublas-13.1.0.3.dist-info");
	EXPECT_ONLY(&v[8], CUDA_NVCC, CUDA_CUDART, CUDA_CUBLAS, CUDA_CUDNN, CUDA_NCCL);

	/* the distribution's packages: nvcc in /usr/bin, cuDNN in /usr/include */
	expect_install(&v[9], CUDA_AT_SYSTEM, ROOT "/usr", "12.0.140", ROOT "/usr/bin/nvcc --version");
	expect_comp(&v[9], CUDA_CUDNN, "9.2.1", ROOT "/usr/include/cudnn_version.h");
	assert_string_equal(v[9].comp[CUDA_CUDNN].path, ROOT "/usr/lib/x86_64-linux-gnu/libcudnn.so.9");
	expect_comp(&v[9], CUDA_CUDART, "12.0.146",
		    ROOT "/usr/lib/x86_64-linux-gnu/libcudart.so.12.0.146");
	EXPECT_ONLY(&v[9], CUDA_NVCC, CUDA_CUDART, CUDA_CUDNN);

	/* nvcc on PATH, outside all of the above */
	expect_install(&v[10], CUDA_AT_PATH, real(CUDA_FIXTURES "/path-cuda"), "11.8.89",
		       v[10].comp[CUDA_NVCC].version_from);
	assert_string_equal(v[10].version_from,
			    strcat(real(CUDA_FIXTURES "/path-cuda/bin/nvcc"), " --version"));
	EXPECT_ONLY(&v[10], CUDA_NVCC);
	cuda_installs_fini(&in);
	assert_null(in.v);
	assert_int_equal(in.n, 0);
}

static bool at_least_9_2(const char *version, void *ud)
{
	(void)ud;
	return strverscmp(version, "9.2") >= 0;
}

/* The installation a component is taken from: the first whose version
 * meets the constraint, else the first that has it. */
static void test_best(void **state)
{
	struct cuda_installs in;

	fixture_env();
	find(ROOT, SEARCH_PATH, &in);
	assert_string_equal(cuda_installs_best(&in, CUDA_CUDNN, NULL, NULL)->root, CONDA);
	assert_string_equal(cuda_installs_best(&in, CUDA_NCCL, NULL, NULL)->root, VENV_SITE);
	assert_string_equal(cuda_installs_best(&in, CUDA_NVCC, NULL, NULL)->root, ROOT "/opt/cuda");
	assert_null(cuda_installs_best(&in, CUDA_TENSORRT, NULL, NULL));
	unsetenv("CONDA_PREFIX");
	cuda_installs_fini(&in);
	find(ROOT, SEARCH_PATH, &in);
	/* the wheels' 9.1.0.70 does not meet >=9.2, the distribution's 9.2.1 does */
	assert_string_equal(cuda_installs_best(&in, CUDA_CUDNN, at_least_9_2, NULL)->root,
			    ROOT "/usr");
	assert_string_equal(cuda_installs_best(&in, CUDA_CUDNN, NULL, NULL)->root, VENV_SITE);
	cuda_installs_fini(&in);
}

/* $CUDACXX names the compiler: its installation comes first, at that place. */
static void test_cudacxx(void **state)
{
	struct cuda_installs in;

	fixture_env();
	setenv("CUDACXX", "/usr/local/cuda-10.2/bin/nvcc", 1);
	find(ROOT, SEARCH_PATH, &in);
	assert_int_equal(in.n, 11);
	expect_install(&in.v[0], CUDA_AT_CUDACXX, real(ROOT "/usr/local/cuda-10.2"), "10.2.89",
		       in.v[0].version_from);
	assert_string_equal(in.v[0].version_from,
			    strcat(real(ROOT "/usr/local/cuda-10.2"), "/version.txt"));
	/* listed once: cuda-9.2 is the only versioned one left */
	assert_string_equal(in.v[3].root, ROOT "/usr/local/cuda-9.2");
	assert_string_equal(cuda_installs_best(&in, CUDA_NVCC, NULL, NULL)->root, in.v[0].root);
	cuda_installs_fini(&in);

	/* a name, looked up on the search path */
	setenv("CUDACXX", "nvcc", 1);
	find(ROOT, SEARCH_PATH, &in);
	expect_install(&in.v[0], CUDA_AT_CUDACXX, real(CUDA_FIXTURES "/path-cuda"), "11.8.89",
		       in.v[0].version_from);
	assert_string_equal(cuda_place_name(in.v[in.n - 1].place), "system");
	cuda_installs_fini(&in);

	/* naming nothing: said, and the rest is still found */
	setenv("CUDACXX", "/nonexistent/nvcc", 1);
	find(ROOT, SEARCH_PATH, &in);
	assert_int_equal(in.n, 11);
	assert_string_equal(in.note, "$CUDACXX names '/nonexistent/nvcc', which is not an executable");
	cuda_installs_fini(&in);
	assert_string_equal(in.note, "");
	unsetenv("CUDACXX");
}

/* Where the wheels are looked for. */
static void test_site_packages(void **state)
{
	const char *base[] = { BASE_SITE };
	struct cuda_find_opts o = { .root = CUDA_FIXTURES "/nonexistent", .search_path = "/nonexistent",
				    .site_dirs = base, .nsite_dirs = 1 };
	struct cuda_installs in;

	fixture_env();
	/* given */
	assert_true(cuda_find(&o, &in));
	assert_int_equal(in.n, 1);
	expect_install(&in.v[0], CUDA_AT_WHEELS, BASE_SITE, "", "");
	expect_comp(&in.v[0], CUDA_NCCL, "2.18.1", BASE_SITE "/nvidia_nccl_cu12-2.18.1.dist-info");
	cuda_installs_fini(&in);
	/* none given */
	o.nsite_dirs = 0;
	assert_true(cuda_find(&o, &in));
	assert_int_equal(in.n, 0);
	cuda_installs_fini(&in);

	/* python3 on the search path outside a virtual environment: its real prefix */
	find(CUDA_FIXTURES "/nonexistent", CUDA_FIXTURES "/python/bin", &in);
	assert_int_equal(in.n, 1);
	assert_string_equal(in.v[0].root, strcat(real(CUDA_FIXTURES "/python"),
						 "/lib/python3.12/site-packages"));
	cuda_installs_fini(&in);

	/* $VIRTUAL_ENV, read under the root as every path from the environment */
	setenv("VIRTUAL_ENV", "/venv", 1);
	find(CUDA_FIXTURES, "/nonexistent", &in);
	assert_int_equal(in.n, 1);
	expect_install(&in.v[0], CUDA_AT_WHEELS, VENV_SITE, "13.0.88",
		       VENV_SITE "/nvidia_cuda_nvcc-13.0.88.dist-info");
	cuda_installs_fini(&in);
	/* relative: as it is */
	setenv("VIRTUAL_ENV", "venv", 1);
	assert_int_equal(chdir(CUDA_FIXTURES), 0);
	find("/nonexistent", "/nonexistent", &in);
	assert_int_equal(in.n, 1);
	assert_string_equal(in.v[0].root, "venv/lib/python3.12/site-packages");
	cuda_installs_fini(&in);
	unsetenv("VIRTUAL_ENV");
}

/* Nothing of CUDA: nothing listed. */
static void test_nothing(void **state)
{
	struct cuda_installs in;

	fixture_env();
	find(FIXTURES "/check/root/var", "/nonexistent", &in);
	assert_int_equal(in.n, 0);
	assert_null(cuda_installs_best(&in, CUDA_NVCC, NULL, NULL));
	cuda_installs_fini(&in);
}

static void test_names(void **state)
{
	assert_string_equal(cuda_place_name(CUDA_AT_CUDACXX), "CUDACXX");
	assert_string_equal(cuda_place_name(CUDA_AT_ENV), "CUDA_HOME");
	assert_string_equal(cuda_component_name(CUDA_CUDNN), "cudnn");
	assert_string_equal(cuda_component_depurl(CUDA_NCCL), "dep:generic/nccl");
	assert_int_equal(cuda_component_of("dep:generic/cublas"), CUDA_CUBLAS);
	assert_int_equal(cuda_component_of("dep:generic/zlib"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_place),
		cmocka_unit_test(test_best),
		cmocka_unit_test(test_cudacxx),
		cmocka_unit_test(test_site_packages),
		cmocka_unit_test(test_nothing),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
