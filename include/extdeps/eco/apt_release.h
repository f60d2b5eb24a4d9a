/* apt_release.h - a Debian or Ubuntu Release file: the fields extdeps needs
 * of it and the SHA256 list of its indexes, read from the signed text of an
 * InRelease (the clear-signing armour is taken off here too, the signature
 * is checked by apt_verify.h). Pure text in, no files, no network: the
 * fuzzer and the unit tests call it directly.
 *
 * Errors: ED_EXIT_ENV, with NAME:LINE:COL where a line is at fault; the
 * text comes from a mirror, so a bad one is the environment's fault.
 */
#ifndef EXTDEPS_ECO_APT_RELEASE_H
#define EXTDEPS_ECO_APT_RELEASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <time.h>

#include "extdeps/util/diag.h"

/* One line of InRelease's SHA256 section. */
struct apt_release_file {
	char *path;      /* relative to dists/SUITE: "main/binary-amd64/Packages.xz" */
	uint64_t size;
	char sha256[65]; /* lower-case hex */
};

/* What extdeps needs of a Release file. */
struct apt_release {
	char *suite;     /* Suite:, or NULL */
	char *codename;  /* Codename:, or NULL */
	char **components;
	size_t ncomponents;
	char **archs;    /* Architectures: */
	size_t narchs;
	bool all_in_arch_indexes; /* No-Support-for-Architecture-all: the
				   * binary-ARCH indexes hold the "all"
				   * packages too; binary-all is not needed */
	struct apt_release_file *files;
	size_t nfiles, files_alloc; /* used, and allocated (ALLOC_GROW) */
	time_t valid_until; /* Valid-Until:, 0 when absent */
};

/* Parse the Release text TEXT (LEN bytes; the content of a clear-signed
 * InRelease, without its armour) named NAME in messages into R, which owns
 * its strings until apt_release_fini. ED_EXIT_ENV with NAME:LINE:COL
 * when a line is not a field, when a SHA256 line or the Valid-Until date is
 * malformed, when the SHA256 section or the Components field is absent; R
 * is then empty. D may be NULL. */
int apt_release_parse(const char *text, size_t len, const char *name,
			  struct apt_release *r, struct ed_diag *d);

/* The same for the Release of a flat repository ("deb URL /"), which lists
 * its indexes at its top ("Packages.xz") and needs no Components field. */
int apt_release_parse_flat(const char *text, size_t len, const char *name,
			   struct apt_release *r, struct ed_diag *d);

/* Free what R holds and empty it. R may be NULL. */
void apt_release_fini(struct apt_release *r);

/* The SHA256 entry of PATH, or NULL; borrowed from R. */
const struct apt_release_file *apt_release_find(const struct apt_release *r,
						const char *path);

/* The signed text of a clear-signed message TEXT (the lines between the
 * armour headers, dash-escaping undone) as a malloc'd string and its
 * length; TEXT itself (copied) when it is not clear-signed. NULL when out of
 * memory or the armour is broken. */
char *apt_release_clearsigned_text(const char *text, size_t len, size_t *out_len);

/* The Packages index of COMPONENT and ARCH to download: of the
 * ".xz", ".gz" and plain files InRelease lists, the first in that order;
 * NULL when it lists none. Borrowed from R. */
const struct apt_release_file *apt_release_index(const struct apt_release *r,
						 const char *component, const char *arch);

/* The same for a flat repository: the first of "Packages.xz",
 * "Packages.gz" and "Packages" that R lists, or NULL. */
const struct apt_release_file *apt_release_flat_index(const struct apt_release *r);

#endif
