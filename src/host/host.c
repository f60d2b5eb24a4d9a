#include "extdeps/eco/backends.h"
#include "extdeps/host/host.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __GLIBC__
#include <gnu/libc-version.h>
#endif

#include "extdeps/eco/arch.h"
#include "extdeps/eco/eco.h"
#include "extdeps/host/probe.h"
#include "extdeps/util/util.h"

/* The machine's architecture as the package managers spell it, where the
 * table knows it. */
static void host_arches(struct host_info *h, const char *sysname, const char *machine)
{
	if (!machine || !arch_convert(machine, ARCH_MACHINE))
		return;
	for (int s = ARCH_DPKG; s < ARCH_CONDA; s++) {
		const char *name = arch_convert(machine, (enum arch_scheme)s);
		snprintf(h->arch[s], sizeof h->arch[s], "%s", name ? name : "");
	}
	arch_conda_subdir(sysname, machine, h->arch[ARCH_CONDA], sizeof h->arch[ARCH_CONDA]);
}

/* <key>ProductVersion</key><string>14.4</string> */
static void macos_version(const char *root, char *out, size_t size)
{
	char path[4096];
	struct ed_diag d;
	size_t len;
	char *text, *p, *q;

	out[0] = '\0';
	snprintf(path, sizeof path, "%s/System/Library/CoreServices/SystemVersion.plist",
		 root && strcmp(root, "/") ? root : "");
	if (!(text = util_read_file(path, &len, &d)))
		return;
	if ((p = strstr(text, "<key>ProductVersion</key>")) && (p = strstr(p, "<string>")) &&
	    (q = strstr(p, "</string>")))
		snprintf(out, size, "%.*s", (int)(q - p - 8), p + 8);
	free(text);
}

static void detect_libc(struct host_info *h, const char *sysname)
{
	const char *over = getenv("EXTDEPS_LIBC");

	if (over && *over) {
		const char *sp = strchr(over, ' ');
		snprintf(h->libc, sizeof h->libc, "%.*s", sp ? (int)(sp - over) : (int)strlen(over), over);
		snprintf(h->libc_version, sizeof h->libc_version, "%s", sp ? sp + 1 : "");
		return;
	}
#ifdef __GLIBC__
	(void)sysname;
	snprintf(h->libc, sizeof h->libc, "glibc");
	snprintf(h->libc_version, sizeof h->libc_version, "%s", gnu_get_libc_version());
#else
	if (sysname && !strcmp(sysname, "darwin")) {
		snprintf(h->libc, sizeof h->libc, "libSystem");
	} else if (sysname && !strcmp(sysname, "linux")) {
		/* musl has no version call; its loader prints "Version 1.2.4" */
		char loader[256];
		struct ed_diag d;
		snprintf(h->libc, sizeof h->libc, "musl");
		snprintf(loader, sizeof loader, "/lib/ld-musl-%s.so.1", h->arch[ARCH_MACHINE]);
		if (probe_exec_version(loader, NULL, 1000, h->libc_version, sizeof h->libc_version, &d))
			h->libc_version[0] = '\0';
	}
#endif
}

/* The manylinux and musllinux images set AUDITWHEEL_PLAT (auditwheel's
 * default --plat): manylinux_2_28_x86_64 is the policy manylinux_2_28 for
 * x86_64; the legacy manylinux2014_x86_64 is manylinux2014. */
static void wheel_image(struct host_info *h)
{
	const char *plat = getenv("AUDITWHEEL_PLAT");
	size_t len, cut = 0, parts = 0;

	if (!plat || !(len = strlen(plat)) || len >= sizeof h->wheel_plat ||
	    strspn(plat, "abcdefghijklmnopqrstuvwxyz0123456789_") != len ||
	    (strncmp(plat, "manylinux", 9) && strncmp(plat, "musllinux", 9)))
		return;
	/* "manylinux_2_28_x86_64": the policy ends at the third '_' */
	parts = plat[9] == '_' ? 3 : 1;
	for (size_t i = 0, seen = 0; i < len && !cut; i++)
		if (plat[i] == '_' && ++seen == parts)
			cut = i;
	if (!cut)
		return;
	memcpy(h->wheel_plat, plat, len + 1);
	memcpy(h->wheel_policy, plat, cut);
	h->wheel_policy[cut] = '\0';
}

void host_detect(struct host_info *h, const char *root, const char *sysname, const char *machine,
		 const char *search_path)
{
	struct ed_diag d;
	const char *prefix = getenv("CONDA_PREFIX");

	memset(h, 0, sizeof *h);
	h->has_os = !os_release_read(root, &h->os, &d);
	if (sysname && !strcmp(sysname, "darwin"))
		macos_version(root, h->macos_version, sizeof h->macos_version);
	snprintf(h->arch[ARCH_MACHINE], sizeof h->arch[ARCH_MACHINE], "%s", machine ? machine : "");
	host_arches(h, sysname, machine);
	detect_libc(h, sysname);
	for (size_t i = 0; eco_pm_commands[i] && h->npms < HOST_MAX_PMS; i++) {
		struct host_pm *pm = &h->pms[h->npms];
		if (probe_which(eco_pm_commands[i], search_path, pm->path, sizeof pm->path)) {
			pm->name = eco_pm_commands[i];
			h->npms++;
		}
	}
	snprintf(h->conda_prefix, sizeof h->conda_prefix, "%s", prefix ? prefix : "");
	wheel_image(h);
}
