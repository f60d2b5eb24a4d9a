/* zypper.h - the zypper backend: openSUSE Leap and Tumbleweed.
 *
 * Everyone else goes through eco_find("zypper") (eco.h). A target's own
 * repositories are repo-oss, repo-non-oss and repo-update, as openSUSE
 * installs configure them, each an rpm-md repository (rpmmd.h) kept in
 * CACHE/zypper/DISTRO-RELEASE-ARCH+ID/; on an openSUSE machine their URLs
 * come from /etc/zypp/repos.d and zypper's own copy of their metadata
 * (/var/cache/zypp/raw/ALIAS/repodata) is read where it has one.
 */
#ifndef EXTDEPS_ZYPPER_H
#define EXTDEPS_ZYPPER_H

#include "extdeps/eco/eco.h"

extern const struct eco_ops eco_zypper;

#endif
