/* installed.h - what a package database on this machine says is installed:
 * dpkg's status file, the rpm database (through libsolv), a conda prefix's
 * conda-meta/, a Homebrew Cellar, a nix profile's manifest.json, the wheels
 * of a Python's site-packages (read by eco/pypi.c with installed_new()).
 *
 * A struct installed is one database read once into memory, sorted by name;
 * the look-ups below point into it and stay valid until installed_free().
 * Errors: ED_EXIT_ENV with the path and the reason when a database that
 * exists cannot be read.
 */
#ifndef EXTDEPS_INSTALLED_H
#define EXTDEPS_INSTALLED_H

#include <stdbool.h>
#include <stddef.h>

#include "extdeps/util/diag.h"

enum installed_kind {
	INSTALLED_DPKG,
	INSTALLED_RPM,
	INSTALLED_CONDA,
	INSTALLED_BREW,
	INSTALLED_NIX,
	INSTALLED_PYPI,
	INSTALLED_PACMAN,
	INSTALLED_APK,
};

/* "dpkg", "rpm", "conda", "brew", "nix", "pypi", "pacman", "apk". */
const char *installed_kind_name(enum installed_kind kind);

struct installed_pkg {
	const char *name;
	const char *version;  /* as the database writes it ("1:2.36-9+deb12u4"); NULL
			       * for a name provided without a version */
	const char *arch;     /* or NULL */
	const char *provider; /* for a name only provided (dpkg Provides:): the real package; else NULL */
};

struct installed;

/* Read dpkg's status file at PATH (ROOT/var/lib/dpkg/status): packages whose
 * Status ends in "installed", and the names they provide. */
struct installed *installed_open_dpkg(const char *path, struct ed_diag *d);

/* Whether ROOT (NULL for "/") holds an rpm database file where librpm
 * keeps one (not only an empty directory, as Debian's rpm package leaves). */
bool installed_has_rpmdb(const char *root);

/* Read the rpm database under ROOT (NULL for "/") with libsolv. */
struct installed *installed_open_rpm(const char *root, struct ed_diag *d);

/* Read PREFIX/conda-meta/NAME-VERSION-BUILD.json file names. */
struct installed *installed_open_conda(const char *prefix, struct ed_diag *d);

/* Read CELLAR/NAME/VERSION directories. */
struct installed *installed_open_cellar(const char *cellar, struct ed_diag *d);

/* Read the store paths (/nix/store/HASH-NAME-VERSION) of a nix profile's
 * manifest.json at PATH. */
struct installed *installed_open_nix(const char *path, struct ed_diag *d);

/* A database that a backend reads itself: an empty one of KIND, read from
 * SOURCE (copied), filled with installed_add() and made searchable with
 * installed_sort(). NULL when out of memory. */
struct installed *installed_new(enum installed_kind kind, const char *source);

/* Add the package NAME at VERSION (the first NAME_LEN and VERSION_LEN
 * bytes, copied). False when out of memory. */
bool installed_add(struct installed *db, const char *name, size_t name_len, const char *version,
		   size_t version_len);

/* Add NAME, provided by the package PROVIDER (added before) at VERSION
 * (NULL: none), as dpkg's Provides: and apk's "so:", "pc:" and "cmd:"
 * names. Strings are copied. False when out of memory. */
bool installed_add_provided(struct installed *db, const char *name, const char *version,
			    const char *provider);

/* Sort DB by name for installed_find(), after the last installed_add(). */
void installed_sort(struct installed *db);

void installed_free(struct installed *db);

enum installed_kind installed_kind(const struct installed *db);

/* The file or directory read. */
const char *installed_source(const struct installed *db);

/* Number of entries (provided names included). */
size_t installed_count(const struct installed *db);

/* The entries named NAME: a pointer to the first, their number in *N (0 and
 * NULL when none). Real packages come before provided names. */
const struct installed_pkg *installed_find(const struct installed *db, const char *name,
					   size_t *n);

#endif
