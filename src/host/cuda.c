#include "extdeps/host/cuda.h"

#include <ctype.h>
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extdeps/host/probe.h"
#include "extdeps/util/util.h"

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

/* "version": "12.4.131" inside the "cuda" object of version.json. */
static bool read_version_json(const char *path, char *out, size_t size)
{
	struct ed_diag d;
	size_t len;
	char *text = util_read_file(path, &len, &d), *p, *q;
	bool ok = false;

	if (!text)
		return false;
	if ((p = strstr(text, "\"cuda\"")) && (p = strstr(p, "\"version\"")) && (p = strchr(p + 9, ':')) &&
	    (p = strchr(p, '"')) && (q = strchr(p + 1, '"')) && q > p + 1) {
		snprintf(out, size, "%.*s", (int)(q - p - 1), p + 1);
		ok = true;
	}
	free(text);
	return ok;
}

/* "CUDA Version 11.2.152" */
static bool read_version_txt(const char *path, char *out, size_t size)
{
	struct ed_diag d;
	size_t len;
	char *text = util_read_file(path, &len, &d);
	bool ok;

	if (!text)
		return false;
	ok = probe_version_token(text, out, size);
	free(text);
	return ok;
}

void cuda_toolkit_detect(const char *root, const char *search_path, struct cuda_toolkit *tk)
{
	static const char *const homes[] = { "CUDA_HOME", "CUDA_PATH" };
	const char *cudacxx = getenv("CUDACXX");
	char real[PATH_MAX], path[4096 + 32], out[4096];
	const char *p;
	struct ed_diag d;

	memset(tk, 0, sizeof *tk);
	if (cudacxx && *cudacxx) {
		if (!probe_which(cudacxx, search_path, tk->nvcc, sizeof tk->nvcc)) {
			snprintf(tk->why, sizeof tk->why, "CUDACXX names '%s', which is not an executable",
				 cudacxx);
			return;
		}
	} else if (!probe_which("nvcc", search_path, tk->nvcc, sizeof tk->nvcc)) {
		for (size_t i = 0; i < 2 && !tk->nvcc[0]; i++) {
			const char *home = getenv(homes[i]);
			if (home && *home) {
				snprintf(path, sizeof path, "%s/bin/nvcc", home);
				probe_which(path, NULL, tk->nvcc, sizeof tk->nvcc);
			}
		}
		if (!tk->nvcc[0]) {
			snprintf(path, sizeof path, "%s/usr/local/cuda/bin/nvcc",
				 root && strcmp(root, "/") ? root : "");
			probe_which(path, NULL, tk->nvcc, sizeof tk->nvcc);
		}
	}
	if (!tk->nvcc[0]) {
		snprintf(tk->why, sizeof tk->why,
			 "no CUDA toolkit (no nvcc on PATH, in $CUDA_HOME, $CUDA_PATH or /usr/local/cuda)");
		return;
	}
	tk->present = true;
	/* nvcc is often a symlink into the versioned toolkit directory */
	if (realpath(tk->nvcc, real)) {
		char *slash = strrchr(real, '/');
		if (slash) {
			*slash = '\0';
			if ((slash = strrchr(real, '/')) && !strcmp(slash, "/bin")) {
				*slash = '\0';
				snprintf(tk->root, sizeof tk->root, "%s", real);
			}
		}
	}
	if (tk->root[0]) {
		snprintf(path, sizeof path, "%s/version.json", tk->root);
		if (read_version_json(path, tk->version, sizeof tk->version)) {
			snprintf(tk->source, sizeof tk->source, "%s", path);
			return;
		}
		snprintf(path, sizeof path, "%s/version.txt", tk->root);
		if (read_version_txt(path, tk->version, sizeof tk->version)) {
			snprintf(tk->source, sizeof tk->source, "%s", path);
			return;
		}
	}
	ed_diag_clear(&d);
	if (probe_exec_output(tk->nvcc, "--version", 5000, out, sizeof out, &d)) {
		snprintf(tk->why, sizeof tk->why, "%s", d.msg);
		return;
	}
	/* "release 12.4, V12.4.131": the V token is the full version */
	if ((p = strstr(out, ", V")) && probe_version_token(p + 3, tk->version, sizeof tk->version)) {
	} else if (!probe_version_token(out, tk->version, sizeof tk->version)) {
		snprintf(tk->why, sizeof tk->why, "'%.1000s --version' printed no version", tk->nvcc);
		return;
	}
	snprintf(tk->source, sizeof tk->source, "%s --version", tk->nvcc);
}
