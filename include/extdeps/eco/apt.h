/* apt.h - the apt/dpkg backend (Debian, Ubuntu). Everyone goes through
 * eco_find("apt") (eco.h); its parts have their own headers: apt_sources.h
 * (the host's configuration), apt_index.h (reading indexes), apt_repo.h (a
 * remote release: download, verification, cache). */
#ifndef EXTDEPS_APT_H
#define EXTDEPS_APT_H

#include "extdeps/eco/eco.h"
#include "extdeps/net/repocache.h"

extern const struct eco_ops eco_apt;

/* repocache_reload_fn for this machine's Packages list PATH: the list read
 * again as repository NAME of a pool of its own (repo->pool, the caller's
 * to free), only while the file is the one COOKIE (repocache_cookie_files)
 * was taken of, before and after reading; NULL otherwise. */
Repo *apt_reload_list(const char *path, const char *name,
		      const unsigned char cookie[REPOCACHE_COOKIE_LEN]);

#endif
