/* upstream.h - a distribution's package version read as the upstream
 * version it packages, for comparisons with PEP 440 specifiers (check's
 * package evidence, plan's candidates where constraints cannot reach the
 * package manager). */
#ifndef EXTDEPS_READ_UPSTREAM_H
#define EXTDEPS_READ_UPSTREAM_H

#include <stdbool.h>
#include <stddef.h>

#define UPSTREAM_VERSION_MAX 128

/* Turn a distribution package version into an upstream version PEP 440 can
 * compare: the epoch ("1:") and the Debian/RPM revision (after the last '-')
 * go, a '+' suffix (+dfsg, +ds, +really...) goes, '~' before a pre-release
 * tag becomes the tag ("1.0~rc1" -> "1.0rc1") and any other '~' suffix makes
 * it sort before the release ("2.1~git5" -> "2.1.dev0"). When what is left is
 * still no valid version its leading dotted-number run is used ("1.2.13.dfsg"
 * -> "1.2.13"). False when no number is left. */
bool upstream_version(const char *pkgver, char *out, size_t size);

#endif
