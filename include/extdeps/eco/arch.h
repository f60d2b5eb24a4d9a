/* arch.h - the one table of architecture names.
 *
 * Each package manager spells an architecture its own way: uname and PEP
 * 508's platform_machine say "x86_64", dpkg "amd64", rpm "x86_64", conda
 * "64" inside the subdir "linux-64". Backends say which scheme they use
 * (eco_ops.arch_scheme); everything that converts goes through here.
 */
#ifndef EXTDEPS_ECO_ARCH_H
#define EXTDEPS_ECO_ARCH_H

#include <stddef.h>

enum arch_scheme {
	ARCH_MACHINE, /* uname's machine, PEP 508's platform_machine: "x86_64" */
	ARCH_DPKG,    /* "amd64" */
	ARCH_RPM,     /* "x86_64" */
	ARCH_CONDA,   /* a conda subdir: "linux-64" (the operating system's part
		       * from uname, or "linux" for conversions) */
	ARCH_NSCHEMES,
};

/* The scheme's name in reports: "machine", "dpkg", "rpm", "conda". */
const char *arch_scheme_name(enum arch_scheme scheme);

/* NAME, an architecture in any scheme's spelling ("x86_64", "amd64",
 * "linux-64"), as TO spells it; NULL when the table does not know NAME or TO
 * has no name for it. Distributions' names are looked up first (dpkg's,
 * then rpm's), then the machine's: "arm64" is dpkg's, uname's "aarch64";
 * a conda subdir keeps its operating system ("osx-arm64"). The string is
 * static. */
const char *arch_convert(const char *name, enum arch_scheme to);

/* Every name the table knows, each once, in any scheme's spelling
 * (canonical machine names first), into NAMES (room for MAX); returns how
 * many were written. *NCANONICAL gets how many of them are the canonical
 * machine names (one per architecture). For suggestions and lists. */
size_t arch_names(const char **names, size_t max, size_t *ncanonical);

/* This machine's architecture as SCHEME spells it (from uname), or NULL
 * when the table does not know it. The string is static. */
const char *arch_host(enum arch_scheme scheme);

/* The conda subdir of uname's MACHINE under operating system SYSNAME (PEP
 * 508's sys_platform: "linux", "darwin", "win32") into OUT; "" when unknown. */
void arch_conda_subdir(const char *sysname, const char *machine, char *out, size_t size);

#endif
