/* cuda.h - the NVIDIA side of this machine: the CUDA driver (libcuda, loaded
 * at run time with dlopen, so extdeps has no link-time dependency on it) with
 * its GPUs, and the CUDA toolkit (nvcc and the toolkit's version file).
 *
 * The driver version says which CUDA releases the driver can run (12040: up
 * to 12.4); the toolkit version says what code is built with. A constraint on
 * dep:generic/cuda is about the toolkit when building and about the driver
 * when running; the caller decides, these functions only detect.
 *
 * Detection never fails: what is absent is described in `why`. Results live
 * in caller-owned structs with fixed buffers.
 */
#ifndef EXTDEPS_CUDA_H
#define EXTDEPS_CUDA_H

#include <stdbool.h>

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

struct cuda_toolkit {
	bool present;
	char version[64];    /* "12.4.131"; "" when no version could be read */
	char nvcc[4096];     /* the nvcc found, or "" */
	char root[4096];     /* the toolkit directory, or "" */
	char source[4200];   /* where the version came from: version.json, version.txt or nvcc */
	char why[1100];      /* when absent or without version */
};

/* Detect the toolkit: nvcc from $CUDACXX, else on SEARCH_PATH (NULL: $PATH),
 * else $CUDA_HOME/bin/nvcc, $CUDA_PATH/bin/nvcc, ROOT/usr/local/cuda/bin/nvcc
 * (ROOT may be NULL for "/"). Its version from TOOLKIT/version.json or
 * TOOLKIT/version.txt (TOOLKIT the directory above nvcc's bin/), else from
 * `nvcc --version`. */
void cuda_toolkit_detect(const char *root, const char *search_path, struct cuda_toolkit *tk);

/* Parse "12.4", "12.4.1" or "12040" into cuDriverGetVersion's integer form;
 * -1 when it is none of them. */
int cuda_version_parse(const char *s);

#endif
