/* arch.c - the one table of architecture names. */
#include "extdeps/eco/arch.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

/* Canonical rows first: a dpkg, rpm or conda name maps back to the first
 * row that has it ("i386" -> i686, "arm64" -> aarch64); the other spellings
 * of the machine come last. NULL: that package manager has no such
 * architecture. */
static const struct arch_row {
	const char *machine, *dpkg, *rpm, *conda;
} rows[] = {
	{ "x86_64", "amd64", "x86_64", "64" },
	{ "aarch64", "arm64", "aarch64", "aarch64" },
	{ "i686", "i386", "i686", "32" },
	{ "armv7l", "armhf", "armv7hl", "armv7l" },
	{ "ppc64le", "ppc64el", "ppc64le", "ppc64le" },
	{ "s390x", "s390x", "s390x", "s390x" },
	{ "riscv64", "riscv64", "riscv64", "riscv64" },
	{ "ppc64", "ppc64", "ppc64", NULL },
	{ "armv6l", "armel", NULL, NULL },
	{ "loongarch64", "loong64", NULL, NULL },
	{ "mips64", "mips64el", NULL, NULL },
	{ "alpha", "alpha", NULL, NULL },
	{ "ia64", "ia64", NULL, NULL },
	{ "m68k", "m68k", NULL, NULL },
	{ "sparc64", "sparc64", NULL, NULL },
	/* other spellings of the machine */
	{ "amd64", "amd64", "x86_64", "64" },
	{ "x86-64", "amd64", "x86_64", "64" },
	{ "arm64", "arm64", "aarch64", "arm64" }, /* macOS's uname */
	{ "i386", "i386", "i686", "32" },
	{ "i486", "i386", "i686", "32" },
	{ "i586", "i386", "i686", "32" },
	{ "armv8l", "armhf", NULL, NULL },
	{ "armv5tel", "armel", NULL, NULL },
	/* Alpine's names (apk.c) */
	{ "x86", "i386", "i686", "32" },
	{ "armv7", "armhf", "armv7hl", "armv7l" },
};

#define NROWS (sizeof rows / sizeof rows[0])

static const char *column(const struct arch_row *r, enum arch_scheme s)
{
	switch (s) {
	case ARCH_MACHINE: return r->machine;
	case ARCH_DPKG: return r->dpkg;
	case ARCH_RPM: return r->rpm;
	case ARCH_CONDA: return r->conda;
	case ARCH_NSCHEMES: break;
	}
	return NULL;
}

const char *arch_scheme_name(enum arch_scheme scheme)
{
	static const char *const names[ARCH_NSCHEMES] = { "machine", "dpkg", "rpm", "conda" };

	return (unsigned)scheme < ARCH_NSCHEMES ? names[scheme] : "?";
}

/* "linux-64" -> "64"; other names as they are. */
static const char *conda_arch_part(const char *name)
{
	static const char *const oses[] = { "linux-", "osx-", "win-" };

	for (size_t i = 0; i < sizeof oses / sizeof oses[0]; i++)
		if (!strncmp(name, oses[i], strlen(oses[i])))
			return name + strlen(oses[i]);
	return NULL;
}

static const struct arch_row *find(const char *name)
{
	/* distributions' spellings first: "arm64" is dpkg's aarch64, "i386"
	 * dpkg's i686 */
	static const enum arch_scheme order[] = { ARCH_DPKG, ARCH_RPM, ARCH_MACHINE };
	const char *conda = conda_arch_part(name);

	for (size_t i = 0; conda && i < NROWS; i++)
		if (rows[i].conda && !strcmp(rows[i].conda, conda))
			return &rows[i];
	for (size_t o = 0; !conda && o < sizeof order / sizeof order[0]; o++)
		for (size_t i = 0; i < NROWS; i++)
			if (column(&rows[i], order[o]) && !strcmp(column(&rows[i], order[o]), name))
				return &rows[i];
	return NULL;
}

const char *arch_convert(const char *name, enum arch_scheme to)
{
	static char subdir[32];
	const struct arch_row *r = name ? find(name) : NULL;

	if (!r)
		return NULL;
	if (to == ARCH_MACHINE)
		/* the canonical spelling: "amd64" -> x86_64 */
		for (size_t i = 0; i < NROWS; i++)
			if (!strcmp(rows[i].dpkg, r->dpkg))
				return rows[i].machine;
	if (to != ARCH_CONDA)
		return column(r, to);
	if (!r->conda)
		return NULL;
	/* a conda name keeps its operating system; others are Linux's */
	if (conda_arch_part(name))
		snprintf(subdir, sizeof subdir, "%.*s%s", (int)(conda_arch_part(name) - name), name,
			 r->conda);
	else
		snprintf(subdir, sizeof subdir, "linux-%s", r->conda);
	return subdir;
}

static bool listed(const char **names, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(names[i], name))
			return true;
	return false;
}

size_t arch_names(const char **names, size_t max, size_t *ncanonical)
{
	size_t n = 0;

	/* the canonical rows are those no earlier row has the dpkg name of */
	for (size_t i = 0; i < NROWS && n < max; i++)
		if (!strcmp(arch_convert(rows[i].machine, ARCH_MACHINE), rows[i].machine) &&
		    !listed(names, n, rows[i].machine))
			names[n++] = rows[i].machine;
	*ncanonical = n;
	for (size_t i = 0; i < NROWS; i++)
		for (int s = ARCH_MACHINE; s < ARCH_CONDA; s++) {
			const char *name = column(&rows[i], (enum arch_scheme)s);
			if (name && n < max && !listed(names, n, name))
				names[n++] = name;
		}
	return n;
}

const char *arch_host(enum arch_scheme scheme)
{
	static char subdir[32];
	struct utsname u;

	if (uname(&u) != 0)
		return NULL;
	if (scheme == ARCH_CONDA) {
		arch_conda_subdir(!strcmp(u.sysname, "Darwin") ? "darwin" : "linux", u.machine, subdir,
				  sizeof subdir);
		return subdir[0] ? subdir : NULL;
	}
	for (size_t i = 0; i < NROWS; i++)
		if (!strcmp(rows[i].machine, u.machine))
			return column(&rows[i], scheme);
	return NULL;
}

void arch_conda_subdir(const char *sysname, const char *machine, char *out, size_t size)
{
	const char *os = sysname && !strcmp(sysname, "darwin") ? "osx"
			 : sysname && !strcmp(sysname, "win32") ? "win" : "linux";

	out[0] = '\0';
	for (size_t i = 0; machine && i < NROWS; i++)
		if (!strcmp(rows[i].machine, machine)) {
			if (rows[i].conda)
				snprintf(out, size, "%s-%s", os, rows[i].conda);
			return;
		}
}
