/* brew.h - the Homebrew backend's parts, exposed for tests and benchmarks.
 *
 * Everyone else goes through eco_find("brew") (eco.h). The metadata is the
 * formula API document (formula.json: every formula with its versions,
 * dependencies, uses_from_macos, bottles and per-platform variations), kept
 * in CACHE/brew/formulae/; one solvable per formula, whose dependencies are
 * those of the target platform, a bottle tag ("arm64_sonoma",
 * "x86_64_linux") from --platform or this machine.
 */
#ifndef EXTDEPS_BREW_H
#define EXTDEPS_BREW_H

#include <stdbool.h>
#include <stdint.h>

#include <solv/pool.h>
#include <solv/repo.h>

#include "extdeps/eco/eco.h"
#include "extdeps/util/diag.h"

extern const struct eco_ops eco_brew;

/* Whether TAG is a bottle tag this backend knows: "x86_64_linux",
 * "arm64_linux", a macOS name ("sonoma", "big_sur") with or without
 * "arm64_". */
bool brew_platform_valid(const char *tag);

/* The bottle tag of this machine, or NULL when unknown. */
const char *brew_host_platform(void);

/* Load the formula API document at PATH into a new repository LABEL of
 * POOL, for bottle tag PLATFORM: a formula's dependencies, its
 * recommended dependencies as recommends, uses_from_macos only on Linux, its
 * build dependencies only where no bottle exists for PLATFORM (it is then
 * built from source), the platform's variation overriding the defaults;
 * aliases, old names and the tap-qualified name as provides;
 * conflicts_with as conflicts. Disabled formulae, those without a stable
 * version, and those whose requirements exclude the platform (macOS-only on
 * Linux and the reverse) are left out. MAX_BYTES as in jsonstream.h.
 * Returns the repository, or NULL with D filled (ED_EXIT_ENV). */
Repo *brew_load_formulae(Pool *pool, const char *path, const char *label, const char *platform,
			 uint64_t max_bytes, struct ed_diag *d);

/* The Cellar under ROOT: $HOMEBREW_CELLAR, $HOMEBREW_PREFIX/Cellar, else the
 * first of /opt/homebrew, /usr/local and /home/linuxbrew/.linuxbrew that has
 * one. Into OUT (SIZE bytes); false when none exists. */
bool brew_find_cellar(const char *root, char *out, size_t size);

/* The kegs of CELLAR that are completely installed (NAME/VERSION with an
 * INSTALL_RECEIPT.json) as a new repository "@System" of POOL, or NULL with
 * D filled. */
Repo *brew_load_cellar(Pool *pool, const char *cellar, struct ed_diag *d);

#endif
