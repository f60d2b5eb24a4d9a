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
 * compare: the epoch ("1:"), the Debian/RPM revision (after the last '-')
 * and Homebrew's (a final "_N") go; Debian's "X+reallyY" is Y; '~' before a
 * pre-release tag becomes the tag ("1.0~rc1" -> "1.0rc1"); a snapshot marker
 * (a VCS name or a date) after '~' sorts before the release ("2.1~git5" ->
 * "2.1.dev0"), after '+' or RPM's '^' after it ("0.7+git2023" ->
 * "0.7.post0"); other modifiers are packaging and go (+dfsg, +ds, ~dfsg,
 * +repack, ~cuda11.7). When what is left is still no valid version, nix's
 * "_commit" goes, else the leading dotted-number run is used ("1.2.13.dfsg"
 * -> "1.2.13"). False when no number is left. */
bool upstream_version(const char *pkgver, char *out, size_t size);

#endif
