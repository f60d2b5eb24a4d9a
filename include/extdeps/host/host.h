/* host.h - what this machine is, for `extdeps platform` and `extdeps check`:
 * the OS release, the architecture in each ecosystem's spelling, the C
 * library, the package managers on PATH and the active conda prefix.
 *
 * Everything is detected from ROOT (for files: /etc/os-release, macOS's
 * SystemVersion.plist), MACHINE (uname's machine name) and SEARCH_PATH, so
 * tests point them at fixtures; $EXTDEPS_LIBC ("glibc 2.36", "musl 1.2.4")
 * replaces the detected C library. Results live in a caller-owned struct
 * with fixed buffers; detection never fails, absences are "" or false.
 */
#ifndef EXTDEPS_HOST_H
#define EXTDEPS_HOST_H

#include <stdbool.h>
#include <stddef.h>

#include "extdeps/eco/arch.h"
#include "extdeps/util/osrelease.h"

#define HOST_MAX_PMS 16

struct host_pm {
	const char *name;  /* one of eco_pm_commands (static) */
	char path[4096];
};

struct host_info {
	bool has_os;            /* os-release was read */
	struct os_release os;
	char macos_version[32]; /* ProductVersion on macOS, else "" */
	/* The architecture as each scheme spells it (arch.h): uname's machine
	 * ("x86_64", "arm64"), dpkg's ("amd64"), rpm's, conda's subdir
	 * ("osx-arm64"); "" when unknown. */
	char arch[ARCH_NSCHEMES][64];
	char libc[16];          /* "glibc", "musl", "libSystem"; "" when unknown */
	char libc_version[32];
	struct host_pm pms[HOST_MAX_PMS];
	size_t npms;
	char conda_prefix[4096]; /* $CONDA_PREFIX, or "" */
	/* A PyPA wheel-building image's $AUDITWHEEL_PLAT, the platform tag its
	 * wheels are repaired for ("manylinux_2_28_x86_64",
	 * "musllinux_1_2_aarch64"), and its policy without the architecture
	 * ("manylinux_2_28"); "" elsewhere. */
	char wheel_plat[64];
	char wheel_policy[64];
};

/* Detect into H. SYSNAME is the lower-cased kernel name ("linux",
 * "darwin"), MACHINE uname's machine; both usually from the marker
 * environment so that EXTDEPS_MARKER_* overrides reach them. ROOT may be NULL
 * for "/"; SEARCH_PATH NULL for $PATH. */
void host_detect(struct host_info *h, const char *root, const char *sysname, const char *machine,
		 const char *search_path);


#endif
