/* nix.h - the nixpkgs backend's parts, exposed for tests and benchmarks.
 *
 * Everyone else goes through eco_find("nix") (eco.h). The metadata is a
 * channel's package listing (packages.json.br: every attribute path with
 * its pname, version and outputs), kept in CACHE/nix/nixos-RELEASE/; one
 * solvable per attribute, without dependencies: Nix computes the closure
 * itself. The installed set is the user's profile manifest.
 */
#ifndef EXTDEPS_NIX_H
#define EXTDEPS_NIX_H

#include <stdbool.h>
#include <stdint.h>

#include <solv/pool.h>
#include <solv/repo.h>

#include "extdeps/eco/eco.h"
#include "extdeps/util/diag.h"
#include "extdeps/util/jsonstream.h"

extern const struct eco_ops eco_nix;

/* Load the package listing at PATH (plain JSON or brotli, CODEC) into a new
 * repository LABEL of POOL: one solvable per attribute path, named by it,
 * with its version; attributes marked broken or unavailable are left out.
 * MAX_BYTES as in jsonstream.h. NULL with D filled (ED_EXIT_ENV) when the
 * file is unreadable, corrupt, truncated, oversized or not a listing. */
Repo *nix_load_packages(Pool *pool, const char *path, enum jsonstream_codec codec,
			const char *label, uint64_t max_bytes, struct ed_diag *d);

/* The profile manifest under ROOT: $HOME/.nix-profile/manifest.json, else
 * $XDG_STATE_HOME (default $HOME/.local/state)/nix/profile/manifest.json.
 * Into OUT; false when neither exists. */
bool nix_find_manifest(const char *root, char *out, size_t size);

/* The packages of the profile manifest at PATH (nix profile's manifest.json,
 * versions 1 to 3) as a new repository "@System" of POOL: each element by
 * its nixpkgs attribute path ("legacyPackages.SYSTEM." dropped; the store
 * path's name where there is none) with the version of its store path.
 * NULL with D filled when the manifest is unreadable or malformed. */
Repo *nix_load_manifest(Pool *pool, const char *path, struct ed_diag *d);

#endif
