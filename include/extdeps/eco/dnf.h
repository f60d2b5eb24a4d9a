/* dnf.h - the dnf/rpm backend's parts, exposed for tests and benchmarks.
 *
 * Everyone else goes through eco_find("dnf") (eco.h). The target is a
 * Fedora release and architecture ("--distro=fedora:41", --arch); its rpm-md
 * metadata lives in CACHE/dnf/fedora-RELEASE-ARCH/: repomd.xml and the
 * primary.xml.* it names (by base name), fetched from the release's
 * metalink or from --mirror as a baseurl. The rpm-md files are read and
 * cached by rpmmd.h.
 */
#ifndef EXTDEPS_DNF_H
#define EXTDEPS_DNF_H

#include <stdbool.h>
#include <stddef.h>

#include <solv/pool.h>
#include <solv/repo.h>

#include "extdeps/eco/eco.h"
#include "extdeps/net/repocache.h"
#include "extdeps/util/diag.h"

extern const struct eco_ops eco_dnf;

/* What a Fedora metalink says about repomd.xml: its sha256 (lower-case hex,
 * "" when the metalink gives none) and the mirrors' URLs of it, best first. */
struct dnf_metalink {
	char sha256[65];
	char **urls;
	size_t nurls;
};

/* Parse metalink XML TEXT (LEN bytes; FILE names it in messages) into ML.
 * ED_EXIT_ENV when it has no repomd.xml entry or no http(s) URL for it. */
int dnf_metalink_parse(const char *text, size_t len, const char *file, struct dnf_metalink *ml,
		       struct ed_diag *d);
void dnf_metalink_fini(struct dnf_metalink *ml);

#endif
