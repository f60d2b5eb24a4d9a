/* apt.h - the apt/dpkg backend (Debian, Ubuntu). Everyone goes through
 * eco_find("apt") (eco.h); its parts have their own headers: apt_sources.h
 * (the host's configuration), apt_index.h (reading indexes), apt_repo.h (a
 * remote release: download, verification, cache). */
#ifndef EXTDEPS_APT_H
#define EXTDEPS_APT_H

#include "extdeps/eco/eco.h"

extern const struct eco_ops eco_apt;

#endif
