/* osrelease.h - the operating system's release, from os-release(5). */
#ifndef EXTDEPS_UTIL_OSRELEASE_H
#define EXTDEPS_UTIL_OSRELEASE_H

#include "extdeps/util/diag.h"

struct os_release {
	char id[64];          /* ID=, e.g. "debian"; "" when unknown */
	char id_like[128];    /* ID_LIKE= */
	char version_id[64];  /* VERSION_ID=, e.g. "12" */
	char codename[64];    /* VERSION_CODENAME= */
	char pretty_name[256];
};

/* Parse os-release(5) TEXT: KEY=value lines, values optionally in single or
 * double quotes with backslash escapes inside double quotes; comments and
 * unknown keys ignored. Never fails: absent fields stay "". */
void os_release_parse(const char *text, struct os_release *os);

/* Read ROOT/etc/os-release, falling back to ROOT/usr/lib/os-release (ROOT
 * may be NULL for "/"). Returns 0, or ED_EXIT_ENV with D filled when neither
 * can be read. */
int os_release_read(const char *root, struct os_release *os, struct ed_diag *d);

#endif
