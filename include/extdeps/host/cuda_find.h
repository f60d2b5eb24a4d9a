/* cuda_find.h - every CUDA installation on this machine, and the CUDA
 * libraries and tools in each, with their versions.
 *
 * CUDA reaches a machine in many ways, and a build uses whichever the build
 * system finds; so all of them are looked at, in this order:
 *   - $CUDACXX, the compiler CMake builds with (a path, or a name on the
 *     search path): the installation above its bin/;
 *   - $CUDA_HOME, $CUDA_PATH;
 *   - /usr/local/cuda, then /usr/local/cuda-X.Y, newest first (12.4
 *     before 9.2);
 *   - the NVIDIA HPC SDK: /opt/nvidia/hpc_sdk/<arch>/<release>/{cuda,math_libs}/X.Y;
 *   - a conda prefix ($CONDA_PREFIX, with its targets/<arch> tree);
 *   - NVIDIA's wheels in the site-packages of the Python that will build
 *     (nvidia/cudnn, nvidia/nccl, nvidia/cu13, ... and their .dist-info):
 *     $VIRTUAL_ENV's, those of python3 on the search path (its virtual
 *     environment when pyvenv.cfg says it is one), the user's;
 *   - the distribution's packages (nvcc in /usr/bin, libraries in
 *     /usr/lib/<triplet> or /usr/lib64, headers in /usr/include);
 *   - nvcc on PATH when it lies outside all of the above.
 * An installation reached twice (/usr/local/cuda -> cuda-12.4) is listed
 * once, at the first place. Absolute paths, those from the environment
 * included, are read under ROOT, as the backends read theirs.
 *
 * A component's version comes from the most precise source found: a wheel's
 * dist-info (nvidia_cudnn_cu12-9.1.0.70), the header's version macros
 * (CUDNN_MAJOR ...; CUDART_VERSION, which says only "12.4", comes after
 * version.json), the toolkit's version.json, `nvcc --version`, and last the
 * library's file name (libcudart.so.12.4.127 -> "12.4.127", a soname alone:
 * libcudart.so.13 -> "13"). An installation's own version comes from its
 * version.json, else its version.txt (toolkits before 11.1: "CUDA Version
 * 10.2.89"), else its nvcc's, else its runtime's. The source is kept, for
 * reports.
 *
 * Ownership: a struct cuda_installs owns its array (cuda_installs_fini).
 * Detection never fails; what is absent is simply not listed.
 */
#ifndef EXTDEPS_HOST_CUDA_FIND_H
#define EXTDEPS_HOST_CUDA_FIND_H

#include <stdbool.h>
#include <stddef.h>

enum cuda_component {
	CUDA_NVCC,
	CUDA_CUDART,
	CUDA_CUBLAS,
	CUDA_CUFFT,
	CUDA_CURAND,
	CUDA_CUSOLVER,
	CUDA_CUSPARSE,
	CUDA_NVRTC,
	CUDA_CUPTI,
	CUDA_NVJPEG,
	CUDA_NVTX,
	CUDA_CCCL,
	CUDA_NPP,
	CUDA_CUDNN,
	CUDA_NCCL,
	CUDA_TENSORRT,
	CUDA_CUTENSOR,
	CUDA_NCOMPONENTS,
};

/* "nvcc", "cudart", "cudnn" ... */
const char *cuda_component_name(enum cuda_component c);

/* The registry DepURL the component answers ("dep:generic/cudnn"). */
const char *cuda_component_depurl(enum cuda_component c);

/* The component DEPURL (a canonical registry id) names, or -1. */
int cuda_component_of(const char *depurl);

enum cuda_place {
	CUDA_AT_ENV,       /* $CUDA_HOME or $CUDA_PATH */
	CUDA_AT_DEFAULT,   /* /usr/local/cuda */
	CUDA_AT_VERSIONED, /* /usr/local/cuda-X.Y */
	CUDA_AT_HPC_SDK,   /* the NVIDIA HPC SDK */
	CUDA_AT_CONDA,     /* $CONDA_PREFIX */
	CUDA_AT_WHEELS,    /* NVIDIA's wheels in a site-packages */
	CUDA_AT_SYSTEM,    /* the distribution's packages under /usr */
	CUDA_AT_PATH,      /* nvcc on PATH, elsewhere */
	CUDA_AT_CUDACXX,   /* the nvcc $CUDACXX names (looked at first) */
};

/* "CUDA_HOME", "/usr/local/cuda", "cuda-X.Y", "HPC SDK", "conda",
 * "wheels", "system", "PATH", "CUDACXX": for people. */
const char *cuda_place_name(enum cuda_place p);

/* "cuda-home", "default", "versioned", "hpc-sdk", "conda", "wheels",
 * "system", "path", "cudacxx": stable, for JSON. */
const char *cuda_place_id(enum cuda_place p);

#define CUDA_PATH_MAX 4096

struct cuda_found {
	bool present;
	char version[64];                /* "9.19.0", or a soname's "13"; "" when unknown */
	char path[CUDA_PATH_MAX];        /* the file that shows it */
	char version_from[CUDA_PATH_MAX + 16]; /* where the version was read */
};

struct cuda_install {
	enum cuda_place place;
	char root[CUDA_PATH_MAX];        /* the directory (site-packages for wheels) */
	char version[64];                /* the toolkit's version, or "" */
	char version_from[CUDA_PATH_MAX + 16];
	struct cuda_found comp[CUDA_NCOMPONENTS];
};

struct cuda_installs {
	struct cuda_install *v;
	size_t n;
	/* what was named but is not there ("$CUDACXX names '...', which is
	 * not an executable"), or "" */
	char note[CUDA_PATH_MAX + 64];
};

struct cuda_find_opts {
	const char *root;         /* NULL: "/" */
	const char *search_path;  /* for nvcc; NULL: $PATH */
	/* The site-packages directories of the Python that will build; NULL:
	 * found with python3 on SEARCH_PATH (pysite.h). NSITE_DIRS 0 with
	 * SITE_DIRS non-NULL: none. */
	const char *const *site_dirs;
	size_t nsite_dirs;
};

/* Find every installation (see above) into OUT. Returns false only when out
 * of memory (OUT is then empty). */
bool cuda_find(const struct cuda_find_opts *o, struct cuda_installs *out);

void cuda_installs_fini(struct cuda_installs *in);

/* The installation holding component C whose version best meets SPEC_OK (a
 * predicate on a version; NULL: any), in the order above: the first that
 * meets it, else the first that has C. NULL when none has C. */
const struct cuda_install *cuda_installs_best(const struct cuda_installs *in,
					      enum cuda_component c,
					      bool (*spec_ok)(const char *version, void *ud), void *ud);

#endif
