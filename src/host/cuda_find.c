/* cuda_find.c - every CUDA installation on this machine and what is in it
 * (see cuda_find.h for the places and the sources of versions). */
#include "extdeps/host/cuda_find.h"

#include <ctype.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <yajl/yajl_tree.h>

#include "extdeps/host/probe.h"
#include "extdeps/util/pysite.h"
#include "extdeps/util/strbuf.h"
#include "extdeps/util/util.h"

/* What marks each component, and where its version is written. */
static const struct comp_info {
	const char *name, *depurl;
	const char *lib;      /* libLIB.so.MAJOR[.MINOR...]; NULL: a tool or headers only */
	const char *header;   /* found in an include directory; NULL: none */
	const char *macro[3]; /* the header's major, minor, patch macros; NULL: none */
	int packed;           /* MACRO[0] alone holds 1000 * major + 10 * minor (CUDART_VERSION) */
	const char *json;     /* the key of the toolkit's version.json */
	const char *wheel;    /* the wheel's distribution name, normalised ("nvidia_cudnn"; a
			       * "_cuNN" suffix and more words may follow) */
} comps[CUDA_NCOMPONENTS] = {
	[CUDA_NVCC] = { "nvcc", "dep:generic/cuda-nvcc", NULL, NULL, { NULL }, 0, "cuda_nvcc",
			"nvidia_cuda_nvcc" },
	[CUDA_CUDART] = { "cudart", "dep:generic/cuda-cudart", "cudart", "cuda_runtime_api.h",
			  { "CUDART_VERSION" }, 1, "cuda_cudart", "nvidia_cuda_runtime" },
	[CUDA_CUBLAS] = { "cublas", "dep:generic/cublas", "cublas", "cublas_api.h",
			  { "CUBLAS_VER_MAJOR", "CUBLAS_VER_MINOR", "CUBLAS_VER_PATCH" }, 0,
			  "libcublas", "nvidia_cublas" },
	[CUDA_CUFFT] = { "cufft", "dep:generic/cufft", "cufft", "cufft.h",
			 { "CUFFT_VER_MAJOR", "CUFFT_VER_MINOR", "CUFFT_VER_PATCH" }, 0, "libcufft",
			 "nvidia_cufft" },
	[CUDA_CURAND] = { "curand", "dep:generic/curand", "curand", "curand.h",
			  { "CURAND_VER_MAJOR", "CURAND_VER_MINOR", "CURAND_VER_PATCH" }, 0,
			  "libcurand", "nvidia_curand" },
	[CUDA_CUSOLVER] = { "cusolver", "dep:generic/cusolver", "cusolver", "cusolver_common.h",
			    { "CUSOLVER_VER_MAJOR", "CUSOLVER_VER_MINOR", "CUSOLVER_VER_PATCH" }, 0,
			    "libcusolver", "nvidia_cusolver" },
	[CUDA_CUSPARSE] = { "cusparse", "dep:generic/cusparse", "cusparse", "cusparse.h",
			    { "CUSPARSE_VER_MAJOR", "CUSPARSE_VER_MINOR", "CUSPARSE_VER_PATCH" }, 0,
			    "libcusparse", "nvidia_cusparse" },
	[CUDA_NVRTC] = { "nvrtc", "dep:generic/cuda-nvrtc", "nvrtc", "nvrtc.h", { NULL }, 0,
			 "cuda_nvrtc", "nvidia_cuda_nvrtc" },
	[CUDA_CUPTI] = { "cupti", "dep:generic/cuda-cupti", "cupti", "cupti.h", { NULL }, 0,
			 "cuda_cupti", "nvidia_cuda_cupti" },
	[CUDA_NVJPEG] = { "nvjpeg", "dep:generic/nvjpeg", "nvjpeg", "nvjpeg.h",
			  { "NVJPEG_VER_MAJOR", "NVJPEG_VER_MINOR", "NVJPEG_VER_PATCH" }, 0,
			  "libnvjpeg", "nvidia_nvjpeg" },
	[CUDA_NVTX] = { "nvtx", "dep:generic/nvtx", NULL, "nvtx3/nvToolsExt.h", { NULL }, 0,
			"cuda_nvtx", "nvidia_nvtx" },
	[CUDA_CCCL] = { "cccl", "dep:generic/cuda-cccl", NULL, "thrust/version.h", { NULL }, 0,
			"cuda_cccl", "nvidia_cuda_cccl" },
	[CUDA_NPP] = { "npp", "dep:generic/npp", "nppc", "nppversion.h",
		       { "NPP_VER_MAJOR", "NPP_VER_MINOR", "NPP_VER_PATCH" }, 0, "libnpp",
		       "nvidia_npp" },
	[CUDA_CUDNN] = { "cudnn", "dep:generic/cudnn", "cudnn", "cudnn_version.h",
			 { "CUDNN_MAJOR", "CUDNN_MINOR", "CUDNN_PATCHLEVEL" }, 0, NULL, "nvidia_cudnn" },
	[CUDA_NCCL] = { "nccl", "dep:generic/nccl", "nccl", "nccl.h",
			{ "NCCL_MAJOR", "NCCL_MINOR", "NCCL_PATCH" }, 0, NULL, "nvidia_nccl" },
	[CUDA_TENSORRT] = { "tensorrt", "dep:generic/tensorrt", "nvinfer", "NvInferVersion.h",
			    { "NV_TENSORRT_MAJOR", "NV_TENSORRT_MINOR", "NV_TENSORRT_PATCH" }, 0, NULL,
			    "tensorrt" },
	[CUDA_CUTENSOR] = { "cutensor", "dep:generic/cutensor", "cutensor", "cutensor.h",
			    { "CUTENSOR_MAJOR", "CUTENSOR_MINOR", "CUTENSOR_PATCH" }, 0, NULL,
			    "cutensor" },
};

const char *cuda_component_name(enum cuda_component c)
{
	return (unsigned)c < CUDA_NCOMPONENTS ? comps[c].name : "?";
}

const char *cuda_component_depurl(enum cuda_component c)
{
	return (unsigned)c < CUDA_NCOMPONENTS ? comps[c].depurl : NULL;
}

int cuda_component_of(const char *depurl)
{
	for (int c = 0; depurl && c < CUDA_NCOMPONENTS; c++)
		if (!strcmp(comps[c].depurl, depurl))
			return c;
	return -1;
}

const char *cuda_place_name(enum cuda_place p)
{
	static const char *const names[] = { "CUDA_HOME", "/usr/local/cuda", "cuda-X.Y", "HPC SDK",
					     "conda", "wheels", "system", "PATH", "CUDACXX" };

	return (unsigned)p < sizeof names / sizeof names[0] ? names[p] : "?";
}

const char *cuda_place_id(enum cuda_place p)
{
	static const char *const ids[] = { "cuda-home", "default", "versioned", "hpc-sdk",
					   "conda", "wheels", "system", "path", "cudacxx" };

	return (unsigned)p < sizeof ids / sizeof ids[0] ? ids[p] : "?";
}

/* --- reading versions --- */

/* The integer a header #defines NAME to, or -1. */
static long header_macro(const char *text, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = text; (p = strstr(p, "#define")); p += 7) {
		const char *q = p + 7;
		while (*q == ' ' || *q == '\t')
			q++;
		if (strncmp(q, name, n) || (q[n] != ' ' && q[n] != '\t'))
			continue;
		q += n;
		while (*q == ' ' || *q == '\t' || *q == '(')
			q++;
		if (isdigit((unsigned char)*q))
			return strtol(q, NULL, 10);
	}
	return -1;
}

/* The version in the header at PATH by INFO's macros into OUT. */
static bool header_version(const char *path, const struct comp_info *info, char *out, size_t size)
{
	struct ed_diag d;
	size_t len;
	char *text;
	long v[3] = { -1, -1, -1 };

	if (!info->macro[0] || !(text = util_read_file(path, &len, &d)))
		return false;
	for (int i = 0; i < 3 && info->macro[i]; i++)
		v[i] = header_macro(text, info->macro[i]);
	free(text);
	if (v[0] < 0)
		return false;
	if (info->packed)
		snprintf(out, size, "%ld.%ld", v[0] / 1000, (v[0] % 1000) / 10);
	else if (v[2] >= 0)
		snprintf(out, size, "%ld.%ld.%ld", v[0], v[1] < 0 ? 0 : v[1], v[2]);
	else
		snprintf(out, size, "%ld.%ld", v[0], v[1] < 0 ? 0 : v[1]);
	return true;
}

/* version.json's KEY.version into OUT. */
static bool json_version(yajl_val doc, const char *key, char *out, size_t size)
{
	const char *path[] = { key, "version", NULL };
	yajl_val v = doc && key ? yajl_tree_get(doc, path, yajl_t_string) : NULL;

	if (!v || !YAJL_GET_STRING(v) || !*YAJL_GET_STRING(v))
		return false;
	snprintf(out, size, "%s", YAJL_GET_STRING(v));
	return true;
}

/* version.txt, which toolkits before 11.1 have instead of version.json:
 * "CUDA Version 10.2.89". */
static bool txt_version(const char *path, char *out, size_t size)
{
	struct ed_diag d;
	size_t len;
	char *text = util_read_file(path, &len, &d);
	bool ok;

	if (!text)
		return false;
	ok = !strncmp(text, "CUDA Version ", 13) && probe_version_token(text + 13, out, size);
	free(text);
	return ok;
}

static yajl_val read_version_json(const char *root)
{
	char path[CUDA_PATH_MAX + 16];
	struct ed_diag d;
	size_t len;
	char *text;
	yajl_val doc;

	snprintf(path, sizeof path, "%s/version.json", root);
	if (!(text = util_read_file(path, &len, &d)))
		return NULL;
	doc = yajl_tree_parse(text, NULL, 0);
	free(text);
	return doc;
}

/* --- the directories of an installation --- */

struct dirs {
	glob_t lib, inc, bin, dist;
};

static void dirs_add(glob_t *g, const char *pattern, bool first)
{
	glob(pattern, (first ? 0 : GLOB_APPEND) | GLOB_ONLYDIR | GLOB_NOSORT, NULL, g);
}

/* Where an installation at ROOT keeps its libraries, headers, tools and
 * wheel metadata; WHEELS: ROOT is a site-packages. */
static void dirs_of(const char *root, bool wheels, struct dirs *dd)
{
	static const char *const libs[] = { "lib64", "lib", "targets/*/lib", "lib/*-linux-gnu*",
					    "lib/x64" };
	static const char *const incs[] = { "include", "targets/*/include", "extras/CUPTI/include" };
	char pat[CUDA_PATH_MAX + 64];

	memset(dd, 0, sizeof *dd);
	if (wheels) {
		snprintf(pat, sizeof pat, "%s/nvidia/*/lib", root);
		dirs_add(&dd->lib, pat, true);
		snprintf(pat, sizeof pat, "%s/tensorrt_libs", root);
		dirs_add(&dd->lib, pat, false);
		snprintf(pat, sizeof pat, "%s/nvidia/*/include", root);
		dirs_add(&dd->inc, pat, true);
		snprintf(pat, sizeof pat, "%s/nvidia/*/bin", root);
		dirs_add(&dd->bin, pat, true);
		snprintf(pat, sizeof pat, "%s", root);
		dirs_add(&dd->dist, pat, true);
		return;
	}
	for (size_t i = 0; i < sizeof libs / sizeof libs[0]; i++) {
		snprintf(pat, sizeof pat, "%s/%s", root, libs[i]);
		dirs_add(&dd->lib, pat, i == 0);
	}
	for (size_t i = 0; i < sizeof incs / sizeof incs[0]; i++) {
		snprintf(pat, sizeof pat, "%s/%s", root, incs[i]);
		dirs_add(&dd->inc, pat, i == 0);
	}
	snprintf(pat, sizeof pat, "%s/bin", root);
	dirs_add(&dd->bin, pat, true);
	/* NVIDIA's wheels unpacked into a toolkit keep their metadata there */
	snprintf(pat, sizeof pat, "%s/dist-info", root);
	dirs_add(&dd->dist, pat, true);
}

static void dirs_fini(struct dirs *dd)
{
	globfree(&dd->lib);
	globfree(&dd->inc);
	globfree(&dd->bin);
	globfree(&dd->dist);
}

static bool is_file(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISREG(st.st_mode);
}

/* In the directories of G, the first that holds NAME: its path into OUT. */
static bool find_in(const glob_t *g, const char *name, char *out, size_t size)
{
	for (size_t i = 0; i < g->gl_pathc; i++) {
		snprintf(out, size, "%s/%s", g->gl_pathv[i], name);
		if (is_file(out))
			return true;
	}
	return false;
}

/* libLIB.so.N[.N...] in the library directories: the longest version, its
 * path into F. */
static bool find_library(const struct dirs *dd, const char *lib, struct cuda_found *f)
{
	char pat[CUDA_PATH_MAX + 64];
	size_t best = 0;

	for (size_t i = 0; i < dd->lib.gl_pathc; i++) {
		glob_t g;

		snprintf(pat, sizeof pat, "%s/lib%s.so.[0-9]*", dd->lib.gl_pathv[i], lib);
		if (glob(pat, 0, NULL, &g))
			continue;
		for (size_t k = 0; k < g.gl_pathc; k++) {
			const char *v = strstr(g.gl_pathv[k], ".so.") + 4;
			if (strspn(v, "0123456789.") == strlen(v) && strlen(v) > best) {
				best = strlen(v);
				snprintf(f->path, sizeof f->path, "%s", g.gl_pathv[k]);
				snprintf(f->version, sizeof f->version, "%s", v);
				snprintf(f->version_from, sizeof f->version_from, "%s", g.gl_pathv[k]);
			}
		}
		globfree(&g);
		if (best)
			return true;
	}
	return false;
}

/* A dist-info directory's name "nvidia_cudnn_cu12-9.1.0.70.dist-info" for
 * the distribution WHEEL: its version into OUT. */
static bool dist_version(const char *name, const char *wheel, char *out, size_t size)
{
	const char *dash = strchr(name, '-'), *end = strstr(name, ".dist-info");
	size_t n = strlen(wheel);
	char dist[256];

	if (!dash || !end || end < dash || (size_t)(dash - name) >= sizeof dist)
		return false;
	for (size_t i = 0; i < (size_t)(dash - name); i++)
		dist[i] = name[i] == '-' || name[i] == '.' ? '_' : (char)tolower((unsigned char)name[i]);
	dist[dash - name] = '\0';
	/* the distribution itself, or it with more words: "_cu12", "_libs" */
	if (strncmp(dist, wheel, n) || (dist[n] && dist[n] != '_'))
		return false;
	snprintf(out, size, "%.*s", (int)(end - dash - 1), dash + 1);
	return true;
}

static bool find_dist(const struct dirs *dd, const char *wheel, struct cuda_found *f)
{
	char pat[CUDA_PATH_MAX + 32];

	for (size_t i = 0; wheel && i < dd->dist.gl_pathc; i++) {
		glob_t g;
		bool found = false;

		snprintf(pat, sizeof pat, "%s/*.dist-info", dd->dist.gl_pathv[i]);
		if (glob(pat, 0, NULL, &g))
			continue;
		for (size_t k = 0; k < g.gl_pathc && !found; k++) {
			const char *base = strrchr(g.gl_pathv[k], '/') + 1;
			if ((found = dist_version(base, wheel, f->version, sizeof f->version))) {
				snprintf(f->version_from, sizeof f->version_from, "%s", g.gl_pathv[k]);
				if (!f->path[0])
					snprintf(f->path, sizeof f->path, "%s", g.gl_pathv[k]);
			}
		}
		globfree(&g);
		if (found)
			return true;
	}
	return false;
}

/* nvcc's "Cuda compilation tools, release 12.4, V12.4.131": the V token,
 * else the release; nothing else it prints (an error naming a path
 * "cuda-10.2/bin/nvcc: ...") is taken for a version. */
static bool nvcc_version(const char *nvcc, char *out, size_t size)
{
	static const char release[] = "Cuda compilation tools, release ";
	char text[4096];
	struct ed_diag d;
	const char *line, *v;

	if (probe_exec_output(nvcc, "--version", 5000, text, sizeof text, &d) ||
	    !(line = strstr(text, release)))
		return false;
	if ((v = strstr(line, ", V")) && probe_version_token(v + 3, out, size))
		return true;
	return probe_version_token(line + sizeof release - 1, out, size);
}

/* Component C of the installation whose directories are DD. */
static void find_component(const struct dirs *dd, yajl_val vj, enum cuda_component c,
			   struct cuda_found *f, const char *json_path)
{
	const struct comp_info *info = &comps[c];
	char inc[CUDA_PATH_MAX];
	bool header = info->header && find_in(&dd->inc, info->header, inc, sizeof inc);

	memset(f, 0, sizeof *f);
	if (c == CUDA_NVCC)
		f->present = find_in(&dd->bin, "nvcc", f->path, sizeof f->path);
	else if (info->lib)
		f->present = find_library(dd, info->lib, f);
	else
		f->present = header;
	if (f->present && !f->path[0] && header)
		snprintf(f->path, sizeof f->path, "%s", inc);
	/* the most precise version wins: wheel metadata, header, version.json,
	 * nvcc, the soname (already there); but CUDART_VERSION holds only
	 * major.minor, so version.json's comes before it */
	if (find_dist(dd, info->wheel, f)) {
		f->present = true;
	} else if (!f->present) {
		return;
	} else if (header && !info->packed && header_version(inc, info, f->version, sizeof f->version)) {
		snprintf(f->version_from, sizeof f->version_from, "%s", inc);
	} else if (json_version(vj, info->json, f->version, sizeof f->version)) {
		snprintf(f->version_from, sizeof f->version_from, "%s", json_path);
	} else if (header && info->packed && header_version(inc, info, f->version, sizeof f->version)) {
		snprintf(f->version_from, sizeof f->version_from, "%s", inc);
	} else if (c == CUDA_NVCC && nvcc_version(f->path, f->version, sizeof f->version)) {
		snprintf(f->version_from, sizeof f->version_from, "%s --version", f->path);
	}
}

/* Fill IN (its place and root set) from what lies under its root. False
 * when nothing of CUDA is there. */
static bool scan_install(struct cuda_install *in)
{
	char json_path[CUDA_PATH_MAX + 16], txt_path[CUDA_PATH_MAX + 16];
	yajl_val vj = in->place == CUDA_AT_WHEELS ? NULL : read_version_json(in->root);
	struct dirs dd;
	bool any = false;

	snprintf(json_path, sizeof json_path, "%s/version.json", in->root);
	dirs_of(in->root, in->place == CUDA_AT_WHEELS, &dd);
	for (int c = 0; c < CUDA_NCOMPONENTS; c++) {
		find_component(&dd, vj, (enum cuda_component)c, &in->comp[c], json_path);
		any |= in->comp[c].present;
	}
	/* the toolkit's own version: version.json, version.txt, else nvcc's, else the runtime's */
	snprintf(txt_path, sizeof txt_path, "%s/version.txt", in->root);
	if (json_version(vj, "cuda", in->version, sizeof in->version)) {
		snprintf(in->version_from, sizeof in->version_from, "%s", json_path);
	} else if (in->place != CUDA_AT_WHEELS && txt_version(txt_path, in->version, sizeof in->version)) {
		snprintf(in->version_from, sizeof in->version_from, "%s", txt_path);
	} else {
		const struct cuda_found *f = &in->comp[CUDA_NVCC];
		if (!f->version[0])
			f = &in->comp[CUDA_CUDART];
		if (f->present && strchr(f->version, '.')) {
			snprintf(in->version, sizeof in->version, "%s", f->version);
			snprintf(in->version_from, sizeof in->version_from, "%s", f->version_from);
		}
	}
	if (vj)
		yajl_tree_free(vj);
	dirs_fini(&dd);
	return any;
}

/* --- the places --- */

struct finder {
	const struct cuda_find_opts *o;
	const char *root;
	struct cuda_installs *out;
	size_t cap;
	char **seen; /* real paths of the roots taken */
	size_t nseen;
	bool oom;
};

static bool seen(struct finder *fd, const char *real)
{
	for (size_t i = 0; i < fd->nseen; i++)
		if (!strcmp(fd->seen[i], real))
			return true;
	return false;
}

/* PATH (already under the root) as an installation of PLACE, unless it was
 * taken, or holds nothing of CUDA. */
static void consider(struct finder *fd, enum cuda_place place, const char *path)
{
	char real[PATH_MAX];
	struct cuda_install *in;
	struct stat st;

	if (fd->oom || stat(path, &st) || !S_ISDIR(st.st_mode) || !realpath(path, real) ||
	    seen(fd, real))
		return;
	if (!util_strv_push(&fd->seen, &fd->nseen, real) ||
	    !ALLOC_GROW(fd->out->v, fd->out->n + 1, fd->cap)) {
		fd->oom = true;
		return;
	}
	in = &fd->out->v[fd->out->n];
	memset(in, 0, sizeof *in);
	in->place = place;
	snprintf(in->root, sizeof in->root, "%s", path);
	if (scan_install(in))
		fd->out->n++;
}

/* ABS under the root (environment paths: util_root_path). */
static void consider_abs(struct finder *fd, enum cuda_place place, const char *abs)
{
	char path[CUDA_PATH_MAX];

	if (abs && *abs && util_root_path(fd->root, abs, path, sizeof path))
		consider(fd, place, path);
}

/* Newest version first: cuda-12.4 before cuda-9.2, 24.11 before 24.3. */
static int newest_first(const void *a, const void *b)
{
	return strverscmp(*(char *const *)b, *(char *const *)a);
}

/* The directories matching PATTERN (a path as it is read), newest first. */
static void consider_matches(struct finder *fd, enum cuda_place place, const char *pattern)
{
	glob_t g;

	if (glob(pattern, GLOB_ONLYDIR, NULL, &g))
		return;
	qsort(g.gl_pathv, g.gl_pathc, sizeof *g.gl_pathv, newest_first);
	for (size_t i = 0; i < g.gl_pathc; i++)
		consider(fd, place, g.gl_pathv[i]);
	globfree(&g);
}

/* The directories matching the absolute PATTERN under the root. */
static void consider_glob(struct finder *fd, enum cuda_place place, const char *pattern)
{
	char pat[CUDA_PATH_MAX];

	if (util_join_root(fd->root, pattern, pat, sizeof pat))
		consider_matches(fd, place, pat);
}

/* The site-packages of the Python that will build: given, or found
 * (pysite.h). */
static void consider_wheels(struct finder *fd)
{
	struct pysite site;

	if (fd->o && fd->o->site_dirs) {
		for (size_t i = 0; i < fd->o->nsite_dirs; i++)
			consider(fd, CUDA_AT_WHEELS, fd->o->site_dirs[i]);
		return;
	}
	if (!pysite_find(fd->root, fd->o ? fd->o->search_path : NULL, &site)) {
		fd->oom = true;
		return;
	}
	for (size_t i = 0; i < site.n; i++)
		consider(fd, CUDA_AT_WHEELS, site.dirs[i]);
	pysite_fini(&site);
}

/* The installation of the compiler NVCC (a path as it is read): the
 * directory above its bin/. */
static void consider_nvcc(struct finder *fd, enum cuda_place place, const char *nvcc)
{
	char real[PATH_MAX];
	const char *slash;

	if (realpath(nvcc, real) && util_strip_last(real) && (slash = strrchr(real, '/')) &&
	    !strcmp(slash, "/bin") && util_strip_last(real))
		consider(fd, place, real);
}

/* $CUDACXX, the compiler CMake builds CUDA with: a path (under the root
 * when absolute) or a name on the search path. */
static void consider_cudacxx(struct finder *fd)
{
	const char *cxx = getenv("CUDACXX");
	char path[CUDA_PATH_MAX], nvcc[CUDA_PATH_MAX];

	if (!cxx || !*cxx)
		return;
	if (util_root_path(fd->root, cxx, path, sizeof path) &&
	    probe_which(path, fd->o ? fd->o->search_path : NULL, nvcc, sizeof nvcc))
		consider_nvcc(fd, CUDA_AT_CUDACXX, nvcc);
	else
		snprintf(fd->out->note, sizeof fd->out->note,
			 "$CUDACXX names '%.4000s', which is not an executable", cxx);
}

/* nvcc on PATH outside every installation found. */
static void consider_path(struct finder *fd)
{
	char nvcc[CUDA_PATH_MAX];

	if (probe_which("nvcc", fd->o ? fd->o->search_path : NULL, nvcc, sizeof nvcc))
		consider_nvcc(fd, CUDA_AT_PATH, nvcc);
}

bool cuda_find(const struct cuda_find_opts *o, struct cuda_installs *out)
{
	struct finder fd = { o, o && o->root ? o->root : "/", out, 0, NULL, 0, false };

	memset(out, 0, sizeof *out);
	consider_cudacxx(&fd);
	consider_abs(&fd, CUDA_AT_ENV, getenv("CUDA_HOME"));
	consider_abs(&fd, CUDA_AT_ENV, getenv("CUDA_PATH"));
	consider_abs(&fd, CUDA_AT_DEFAULT, "/usr/local/cuda");
	consider_glob(&fd, CUDA_AT_VERSIONED, "/usr/local/cuda-[0-9]*");
	consider_glob(&fd, CUDA_AT_HPC_SDK, "/opt/nvidia/hpc_sdk/*/*/cuda/[0-9]*");
	consider_glob(&fd, CUDA_AT_HPC_SDK, "/opt/nvidia/hpc_sdk/*/*/math_libs/[0-9]*");
	consider_abs(&fd, CUDA_AT_CONDA, getenv("CONDA_PREFIX"));
	consider_wheels(&fd);
	consider_abs(&fd, CUDA_AT_SYSTEM, "/usr");
	consider_path(&fd);
	util_strv_free(fd.seen, fd.nseen);
	if (fd.oom) {
		cuda_installs_fini(out);
		return false;
	}
	return true;
}

void cuda_installs_fini(struct cuda_installs *in)
{
	free(in->v);
	memset(in, 0, sizeof *in);
}

const struct cuda_install *cuda_installs_best(const struct cuda_installs *in,
					      enum cuda_component c,
					      bool (*spec_ok)(const char *version, void *ud), void *ud)
{
	const struct cuda_install *first = NULL;

	for (size_t i = 0; i < in->n; i++) {
		const struct cuda_found *f = &in->v[i].comp[c];
		if (!f->present)
			continue;
		if (!first)
			first = &in->v[i];
		if (!spec_ok || spec_ok(f->version, ud))
			return &in->v[i];
	}
	return first;
}
