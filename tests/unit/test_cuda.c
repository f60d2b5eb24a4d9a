/* test_cuda.c - the driver through NVML (against tests/fakenvml.c), the
 * GPUs a report shows, and the __cuda conda sees. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "extdeps/host/cuda.h"

static void clear_env(void)
{
	static const char *const vars[] = { "FAKENVML_INIT", "FAKENVML_RELEASE", "FAKENVML_CUDA",
					    "FAKENVML_GPUS", "FAKECUDA_GPUS", "FAKECUDA_INIT",
					    "FAKECUDA_VERSION", "EXTDEPS_CUDA_DRIVER_VERSION",
					    "CONDA_OVERRIDE_CUDA" };

	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
		unsetenv(vars[i]);
	setenv("EXTDEPS_LIBNVML", FAKENVML, 1);
	setenv("EXTDEPS_LIBCUDA", FAKECUDA, 1);
}

static void test_nvml(void **state)
{
	struct cuda_nvml nv;

	clear_env();
	cuda_nvml_detect(&nv);
	assert_true(nv.loaded);
	assert_string_equal(nv.library, FAKENVML);
	assert_string_equal(nv.why, "");
	assert_string_equal(nv.release, "550.54.14");
	assert_int_equal(nv.cuda_version, 12040);
	assert_string_equal(nv.cuda_version_str, "12.4");
	assert_int_equal(nv.ngpus, 1);
	assert_string_equal(nv.gpus[0].name, "Fake NVML GPU 0");
	assert_int_equal(nv.gpus[0].cc_major, 8);
	assert_int_equal(nv.gpus[0].cc_minor, 0);

	setenv("FAKENVML_RELEASE", "535.104.05", 1);
	setenv("FAKENVML_CUDA", "12020", 1);
	setenv("FAKENVML_GPUS", "3", 1);
	cuda_nvml_detect(&nv);
	assert_string_equal(nv.release, "535.104.05");
	assert_string_equal(nv.cuda_version_str, "12.2");
	assert_int_equal(nv.ngpus, 3);
	assert_string_equal(nv.gpus[2].name, "Fake NVML GPU 2");
	assert_int_equal(nv.gpus[2].cc_major, 9);

	/* more GPUs than are listed: all counted */
	setenv("FAKENVML_GPUS", "20", 1);
	cuda_nvml_detect(&nv);
	assert_int_equal(nv.ngpus, 20);
	assert_string_equal(nv.gpus[CUDA_MAX_GPUS - 1].name, "Fake NVML GPU 15");
}

static void test_nvml_absent(void **state)
{
	struct cuda_nvml nv;

	clear_env();
	/* the library without its kernel module */
	setenv("FAKENVML_INIT", "9", 1);
	cuda_nvml_detect(&nv);
	assert_false(nv.loaded);
	assert_string_equal(nv.why, "nvmlInit_v2 failed (NVML error 9)");
	assert_string_equal(nv.release, "");
	assert_int_equal(nv.ngpus, 0);

	setenv("EXTDEPS_LIBNVML", "/nonexistent/libnvidia-ml.so.1", 1);
	cuda_nvml_detect(&nv);
	assert_false(nv.loaded);
	assert_string_equal(nv.library, "");
	assert_non_null(strstr(nv.why, "cannot load NVML: /nonexistent/libnvidia-ml.so.1"));

	/* a library that is not NVML */
	setenv("EXTDEPS_LIBNVML", FAKECUDA, 1);
	cuda_nvml_detect(&nv);
	assert_false(nv.loaded);
	assert_non_null(strstr(nv.why, "has no nvmlInit_v2"));
}

/* The driver API's GPUs when it lists any, else NVML's. */
static void test_gpus(void **state)
{
	struct cuda_driver drv;
	struct cuda_nvml nv;
	enum cuda_gpus_from from;
	const struct cuda_gpu *g;
	int n;

	clear_env();
	cuda_driver_detect(&drv);
	cuda_nvml_detect(&nv);
	g = cuda_gpus(&drv, &nv, &n, &from);
	assert_int_equal(from, CUDA_GPUS_DRIVER_API);
	assert_string_equal(cuda_gpus_from_name(from), "driver API");
	assert_int_equal(n, 2);
	assert_string_equal(g[1].name, "Fake GPU 1");

	/* cuInit fails: no usable GPU through the driver API */
	setenv("FAKECUDA_INIT", "100", 1);
	cuda_driver_detect(&drv);
	assert_true(drv.present);
	g = cuda_gpus(&drv, &nv, &n, &from);
	assert_int_equal(from, CUDA_GPUS_NVML);
	assert_string_equal(cuda_gpus_from_name(from), "NVML");
	assert_int_equal(n, 1);
	assert_string_equal(g[0].name, "Fake NVML GPU 0");

	/* no libcuda at all */
	setenv("EXTDEPS_LIBCUDA", "/nonexistent/libcuda.so.1", 1);
	cuda_driver_detect(&drv);
	assert_false(drv.present);
	g = cuda_gpus(&drv, &nv, &n, &from);
	assert_int_equal(from, CUDA_GPUS_NVML);

	/* neither */
	setenv("FAKENVML_GPUS", "0", 1);
	cuda_nvml_detect(&nv);
	assert_null(cuda_gpus(&drv, &nv, &n, &from));
	assert_int_equal(n, 0);
	assert_int_equal(from, CUDA_GPUS_NONE);
	assert_null(cuda_gpus_from_name(from));
	assert_null(cuda_gpus(&drv, NULL, &n, &from));
}

/* __cuda as conda computes it. */
static void test_conda_virtual(void **state)
{
	struct cuda_driver drv;
	char v[64];

	clear_env();
	cuda_driver_detect(&drv);
	assert_string_equal(cuda_conda_virtual(&drv, v, sizeof v), "driver");
	assert_string_equal(v, "12.4");

	/* conda's override wins, set and empty removes __cuda */
	setenv("CONDA_OVERRIDE_CUDA", "11.8", 1);
	assert_string_equal(cuda_conda_virtual(&drv, v, sizeof v), "CONDA_OVERRIDE_CUDA");
	assert_string_equal(v, "11.8");
	setenv("CONDA_OVERRIDE_CUDA", "", 1);
	assert_string_equal(cuda_conda_virtual(&drv, v, sizeof v), "CONDA_OVERRIDE_CUDA");
	assert_string_equal(v, "");
	setenv("CONDA_OVERRIDE_CUDA", "not a version", 1);
	assert_string_equal(cuda_conda_virtual(&drv, v, sizeof v), "CONDA_OVERRIDE_CUDA");
	assert_string_equal(v, "");
	unsetenv("CONDA_OVERRIDE_CUDA");

	/* extdeps' own override of the driver is what conda's backend sees too */
	setenv("EXTDEPS_CUDA_DRIVER_VERSION", "12.2", 1);
	setenv("EXTDEPS_LIBCUDA", "/nonexistent/libcuda.so.1", 1);
	cuda_driver_detect(&drv);
	assert_string_equal(cuda_conda_virtual(&drv, v, sizeof v), "driver");
	assert_string_equal(v, "12.2");
	unsetenv("EXTDEPS_CUDA_DRIVER_VERSION");

	/* no driver: no __cuda */
	cuda_driver_detect(&drv);
	assert_null(cuda_conda_virtual(&drv, v, sizeof v));
	assert_string_equal(v, "");
	assert_null(cuda_conda_virtual(NULL, v, sizeof v));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nvml),
		cmocka_unit_test(test_nvml_absent),
		cmocka_unit_test(test_gpus),
		cmocka_unit_test(test_conda_virtual),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
