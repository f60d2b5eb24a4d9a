/* conda_virtual.h - conda's subdirs and virtual packages: what conda says
 * of the machine (__glibc, __cuda, ...) as installed packages. */
#ifndef EXTDEPS_CONDA_VIRTUAL_H
#define EXTDEPS_CONDA_VIRTUAL_H

#include <stddef.h>

#include <solv/repo.h>

/* The conda subdir of this machine ("linux-64", "linux-aarch64", "osx-arm64",
 * ...), or NULL when unknown. A static string. */
const char *conda_host_subdir(void);

/* Add conda's virtual packages for SUBDIR to REPO: __unix or __win, __linux
 * (kernel release), __glibc (gnu_get_libc_version), __osx, __cuda
 * (CUDA_DRIVER: the driver's CUDA version, eco_opts.cuda_driver, or NULL),
 * __archspec; when SUBDIR is not this
 * machine's, only those an override gives and the OS ones. Overrides, as
 * conda reads them: CONDA_OVERRIDE_CUDA, CONDA_OVERRIDE_GLIBC,
 * CONDA_OVERRIDE_LINUX, CONDA_OVERRIDE_OSX, CONDA_OVERRIDE_ARCHSPEC (an
 * empty value removes the package). Returns how many were added. */
size_t conda_add_virtual(Repo *repo, const char *subdir, const char *cuda_driver);

#endif
