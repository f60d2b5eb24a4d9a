/* cuda.c - the NVIDIA driver through libcuda and NVML (cuda.h). */
#include "extdeps/host/cuda.h"

#include <ctype.h>
#include <dlfcn.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extdeps/eco/conda_match.h"
#include "extdeps/util/dynlib.h"

/* The few driver API entry points used; CUresult and CUdevice are ints. */
typedef int (*cu_init_fn)(unsigned int);
typedef int (*cu_version_fn)(int *);
typedef int (*cu_count_fn)(int *);
typedef int (*cu_device_fn)(int *, int);
typedef int (*cu_name_fn)(char *, int, int);
typedef int (*cu_attr_fn)(int *, int, int);

enum {
	CU_ATTR_CC_MAJOR = 75, /* CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR */
	CU_ATTR_CC_MINOR = 76,
};

int cuda_version_parse(const char *s)
{
	char *end;
	long major, minor = 0;

	if (!s || !isdigit((unsigned char)*s))
		return -1;
	major = strtol(s, &end, 10);
	if (!*end)
		/* the driver's own integer form is at least 1000 (CUDA 1.0) */
		return major >= 1000 && major < 1000000 ? (int)major : -1;
	if (*end != '.' || !isdigit((unsigned char)end[1]))
		return -1;
	minor = strtol(end + 1, &end, 10);
	if (*end && *end != '.')
		return -1;
	if (major > 999 || minor > 99)
		return -1;
	return (int)(major * 1000 + minor * 10);
}

static void version_str(int v, char *out, size_t size)
{
	snprintf(out, size, "%d.%d", v / 1000, (v % 1000) / 10);
}

static void *sym(void *lib, const char *name)
{
	return dlsym(lib, name);
}

void cuda_driver_detect(struct cuda_driver *drv)
{
	const char *override = getenv("EXTDEPS_CUDA_DRIVER_VERSION");
	const char *lib_name = getenv("EXTDEPS_LIBCUDA");
	cu_init_fn cu_init;
	cu_version_fn cu_version;
	cu_count_fn cu_count;
	cu_device_fn cu_device;
	cu_name_fn cu_name;
	cu_attr_fn cu_attr;
	void *lib;
	int rc, count = 0;

	memset(drv, 0, sizeof *drv);
	if (override && *override) {
		int v = cuda_version_parse(override);
		if (v > 0) {
			drv->present = drv->overridden = true;
			drv->version = v;
			version_str(v, drv->version_str, sizeof drv->version_str);
		}
	}
	if (!lib_name || !*lib_name)
#ifdef __APPLE__
		lib_name = "libcuda.dylib";
#else
		lib_name = "libcuda.so.1";
#endif
	if (!(lib = dlopen(lib_name, RTLD_NOW | RTLD_LOCAL))) {
		const char *err = dlerror();
		/* dlerror() names the library itself */
		snprintf(drv->why, sizeof drv->why, "no NVIDIA driver (%s)",
			 err ? err : lib_name);
		return;
	}
	snprintf(drv->library, sizeof drv->library, "%s", lib_name);
	cu_init = (cu_init_fn)sym(lib, "cuInit");
	cu_version = (cu_version_fn)sym(lib, "cuDriverGetVersion");
	cu_count = (cu_count_fn)sym(lib, "cuDeviceGetCount");
	cu_device = (cu_device_fn)sym(lib, "cuDeviceGet");
	cu_name = (cu_name_fn)sym(lib, "cuDeviceGetName");
	cu_attr = (cu_attr_fn)sym(lib, "cuDeviceGetAttribute");
	if (!cu_init || !cu_version) {
		snprintf(drv->why, sizeof drv->why, "no NVIDIA driver (%s lacks cuInit or cuDriverGetVersion)",
			 lib_name);
		goto out;
	}
	/* the version is known before cuInit, and stays true without a GPU */
	if (!drv->overridden) {
		int v = 0;
		if ((rc = cu_version(&v)) || v <= 0) {
			snprintf(drv->why, sizeof drv->why, "cuDriverGetVersion failed (CUDA error %d)", rc);
			goto out;
		}
		drv->present = true;
		drv->version = v;
		version_str(v, drv->version_str, sizeof drv->version_str);
	}
	if ((rc = cu_init(0))) {
		/* 100 CUDA_ERROR_NO_DEVICE, 999 unknown: a driver without usable GPUs */
		snprintf(drv->why, sizeof drv->why, "cuInit failed (CUDA error %d): no usable GPU", rc);
		goto out;
	}
	if (!cu_count || !cu_device || (rc = cu_count(&count))) {
		snprintf(drv->why, sizeof drv->why, "cannot count GPUs");
		goto out;
	}
	drv->ngpus = count;
	for (int i = 0; i < count && i < CUDA_MAX_GPUS; i++) {
		struct cuda_gpu *g = &drv->gpus[i];
		int dev = 0;
		if (cu_device(&dev, i))
			continue;
		if (cu_name && !cu_name(g->name, (int)sizeof g->name, dev))
			g->name[sizeof g->name - 1] = '\0';
		else
			g->name[0] = '\0';
		if (cu_attr) {
			if (cu_attr(&g->cc_major, CU_ATTR_CC_MAJOR, dev))
				g->cc_major = 0;
			if (cu_attr(&g->cc_minor, CU_ATTR_CC_MINOR, dev))
				g->cc_minor = 0;
		}
	}
out:
	dlclose(lib);
}

/* --- NVML --- */

/* nvmlReturn_t is an int, nvmlDevice_t an opaque pointer. */
typedef void *nvml_device;

struct nvml_fns {
	int (*init)(void);
	int (*shutdown)(void);
	int (*count)(unsigned int *);
	int (*device)(unsigned int, nvml_device *);
	int (*name)(nvml_device, char *, unsigned int);
	int (*cc)(nvml_device, int *, int *);
	int (*release)(char *, unsigned int);
	int (*cuda_version)(int *);
};

static const struct dynlib_fn nvml_fn_names[] = {
	{ "nvmlInit_v2", offsetof(struct nvml_fns, init) },
	{ "nvmlShutdown", offsetof(struct nvml_fns, shutdown) },
	{ "nvmlDeviceGetCount_v2", offsetof(struct nvml_fns, count) },
	{ "nvmlDeviceGetHandleByIndex_v2", offsetof(struct nvml_fns, device) },
	{ "nvmlDeviceGetName", offsetof(struct nvml_fns, name) },
	{ "nvmlDeviceGetCudaComputeCapability", offsetof(struct nvml_fns, cc) },
	{ "nvmlSystemGetDriverVersion", offsetof(struct nvml_fns, release) },
	{ "nvmlSystemGetCudaDriverVersion_v2", offsetof(struct nvml_fns, cuda_version) },
};

static void nvml_gpus(const struct nvml_fns *fn, struct cuda_nvml *nv)
{
	unsigned int count = 0;
	int rc;

	if ((rc = fn->count(&count))) {
		snprintf(nv->why, sizeof nv->why, "nvmlDeviceGetCount_v2 failed (NVML error %d)", rc);
		return;
	}
	nv->ngpus = count > INT_MAX ? INT_MAX : (int)count;
	for (unsigned int i = 0; i < count && i < CUDA_MAX_GPUS; i++) {
		struct cuda_gpu *g = &nv->gpus[i];
		nvml_device dev = NULL;

		/* a GPU NVML cannot open (lost, no permission) is listed nameless */
		if (fn->device(i, &dev))
			continue;
		if (fn->name(dev, g->name, (unsigned int)sizeof g->name))
			g->name[0] = '\0';
		g->name[sizeof g->name - 1] = '\0';
		if (fn->cc(dev, &g->cc_major, &g->cc_minor))
			g->cc_major = g->cc_minor = 0;
	}
}

void cuda_nvml_detect(struct cuda_nvml *nv)
{
	const char *lib_name = getenv("EXTDEPS_LIBNVML");
	struct nvml_fns fn;
	int rc, v = 0;

	memset(nv, 0, sizeof *nv);
	if (!lib_name || !*lib_name)
		lib_name = "libnvidia-ml.so.1";
	if (!dynlib_load(lib_name, "NVML", nvml_fn_names,
			 sizeof nvml_fn_names / sizeof nvml_fn_names[0], &fn, nv->why, sizeof nv->why))
		return;
	snprintf(nv->library, sizeof nv->library, "%s", lib_name);
	if ((rc = fn.init())) {
		/* 9 NVML_ERROR_DRIVER_NOT_LOADED: the library without its kernel module */
		snprintf(nv->why, sizeof nv->why, "nvmlInit_v2 failed (NVML error %d)", rc);
		return;
	}
	nv->loaded = true;
	if (!fn.release(nv->release, (unsigned int)sizeof nv->release))
		nv->release[sizeof nv->release - 1] = '\0';
	else
		nv->release[0] = '\0';
	if (!fn.cuda_version(&v) && v > 0) {
		nv->cuda_version = v;
		version_str(v, nv->cuda_version_str, sizeof nv->cuda_version_str);
	}
	nvml_gpus(&fn, nv);
	fn.shutdown();
}

/* --- what reports show --- */

const struct cuda_gpu *cuda_gpus(const struct cuda_driver *drv, const struct cuda_nvml *nv,
				 int *n, enum cuda_gpus_from *from)
{
	if (drv && drv->ngpus > 0) {
		*n = drv->ngpus < CUDA_MAX_GPUS ? drv->ngpus : CUDA_MAX_GPUS;
		*from = CUDA_GPUS_DRIVER_API;
		return drv->gpus;
	}
	if (nv && nv->ngpus > 0) {
		*n = nv->ngpus < CUDA_MAX_GPUS ? nv->ngpus : CUDA_MAX_GPUS;
		*from = CUDA_GPUS_NVML;
		return nv->gpus;
	}
	*n = 0;
	*from = CUDA_GPUS_NONE;
	return NULL;
}

const char *cuda_gpus_from_name(enum cuda_gpus_from from)
{
	switch (from) {
	case CUDA_GPUS_DRIVER_API:
		return "driver API";
	case CUDA_GPUS_NVML:
		return "NVML";
	case CUDA_GPUS_NONE:
		break;
	}
	return NULL;
}

const char *cuda_conda_virtual(const struct cuda_driver *drv, char *out, size_t size)
{
	const char *override = getenv("CONDA_OVERRIDE_CUDA");
	const char *from = NULL, *v = NULL;

	if (override) {
		from = "CONDA_OVERRIDE_CUDA";
		v = override;
	} else if (drv && drv->present) {
		from = "driver";
		v = drv->version_str;
	}
	/* conda adds no package it cannot order (eco/conda_virtual.c does the same) */
	snprintf(out, size, "%s", v && *v && conda_version_valid(v) ? v : "");
	return from;
}
