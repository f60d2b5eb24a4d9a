/* cuda.h - the NVIDIA driver of this machine and its GPUs, asked through
 * the CUDA driver API (libcuda) and through NVML (libnvidia-ml), both loaded
 * at run time with dlopen, so extdeps has no link-time dependency on them.
 * The CUDA toolkits and libraries installed are found by cuda_find.h.
 *
 * The driver's CUDA version says which CUDA releases it can run (12040: up
 * to 12.4); a toolkit's version says what code is built with. A constraint
 * on dep:generic/cuda is about the toolkit when building and about the
 * driver when running; the caller decides, these functions only detect.
 *
 * Detection never fails: what is absent is described in `why`. Results live
 * in caller-owned structs with fixed buffers.
 */
#ifndef EXTDEPS_CUDA_H
#define EXTDEPS_CUDA_H

#include <stdbool.h>
#include <stddef.h>

#define CUDA_MAX_GPUS 16

struct cuda_gpu {
	char name[256];
	int cc_major, cc_minor; /* compute capability; 0.0 when not reported */
};

struct cuda_driver {
	bool present;       /* a version is known (loaded, or overridden) */
	bool overridden;    /* the version came from EXTDEPS_CUDA_DRIVER_VERSION */
	int version;        /* cuDriverGetVersion(): 1000 * major + 10 * minor */
	char version_str[32]; /* "12.4" */
	char library[4096]; /* what was loaded ("libcuda.so.1" or $EXTDEPS_LIBCUDA); "" when nothing */
	char why[512];      /* when absent, or when GPUs could not be listed */
	struct cuda_gpu gpus[CUDA_MAX_GPUS];
	int ngpus;          /* cuDeviceGetCount(), at most CUDA_MAX_GPUS listed */
};

/* Detect the driver: dlopen $EXTDEPS_LIBCUDA (a path, for tests) or
 * libcuda.so.1 (libcuda.dylib on macOS), cuInit(0), cuDriverGetVersion,
 * cuDeviceGetCount and per device cuDeviceGetName and the compute capability
 * (cuDeviceGetAttribute 75/76). $EXTDEPS_CUDA_DRIVER_VERSION ("12.4" or
 * "12040") replaces the detected version (the GPUs are still listed when the
 * library loads). */
void cuda_driver_detect(struct cuda_driver *drv);

/* What NVML, the driver's management library, says: NVIDIA's own driver
 * release, which the driver API does not give, and the GPUs, which NVML
 * lists where the driver API cannot (a container given the driver's
 * management side only, a driver whose cuInit fails). */
struct cuda_nvml {
	bool loaded;           /* the library loaded and nvmlInit_v2 succeeded */
	char library[4096];    /* what was loaded ("libnvidia-ml.so.1" or $EXTDEPS_LIBNVML); "" */
	char why[512];         /* why it did not load, or what it could not tell */
	char release[80];      /* nvmlSystemGetDriverVersion(): "550.54.14"; "" when unknown */
	int cuda_version;      /* nvmlSystemGetCudaDriverVersion_v2(), as cuDriverGetVersion's; 0 */
	char cuda_version_str[32]; /* "12.4"; "" when unknown */
	struct cuda_gpu gpus[CUDA_MAX_GPUS];
	int ngpus;             /* nvmlDeviceGetCount_v2(), at most CUDA_MAX_GPUS listed */
};

/* Ask NVML: dlopen $EXTDEPS_LIBNVML (a path, for tests) or
 * libnvidia-ml.so.1, nvmlInit_v2, the driver's release and CUDA version,
 * and per device nvmlDeviceGetName and nvmlDeviceGetCudaComputeCapability;
 * nvmlShutdown. The library stays loaded. */
void cuda_nvml_detect(struct cuda_nvml *nv);

/* Who listed the GPUs a report shows. */
enum cuda_gpus_from {
	CUDA_GPUS_NONE,       /* neither could list any */
	CUDA_GPUS_DRIVER_API, /* DRV's (cuDeviceGetCount ...) */
	CUDA_GPUS_NVML,       /* NV's, as the driver API listed none */
};

/* The GPUs to show: the driver API's when it listed any, else NVML's (NV
 * may be NULL). Their count into *N, and where they came from into *FROM;
 * NULL when there are none. */
const struct cuda_gpu *cuda_gpus(const struct cuda_driver *drv, const struct cuda_nvml *nv,
				 int *n, enum cuda_gpus_from *from);

/* "driver API", "NVML"; NULL for CUDA_GPUS_NONE. */
const char *cuda_gpus_from_name(enum cuda_gpus_from from);

/* The version of the __cuda virtual package conda sees here, as conda
 * computes it: $CONDA_OVERRIDE_CUDA when set (set and empty: no __cuda),
 * else the driver's CUDA version (DRV, overridden or detected); a value
 * that is no conda version gives no __cuda. The version into OUT ("" when
 * there is no __cuda); returns where it came from: "CONDA_OVERRIDE_CUDA",
 * "driver", or NULL when there is no __cuda and nothing decided it. */
const char *cuda_conda_virtual(const struct cuda_driver *drv, char *out, size_t size);

/* Parse "12.4", "12.4.1" or "12040" into cuDriverGetVersion's integer form;
 * -1 when it is none of them. */
int cuda_version_parse(const char *s);

#endif
