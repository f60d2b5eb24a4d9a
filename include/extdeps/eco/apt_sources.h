/* apt_sources.h - the host's apt configuration, for the apt backend and its
 * tests:
 *   - the host's apt sources: one-line sources.list(5) files and deb822
 *     *.sources files, reduced to what names a Packages list;
 *   - apt's list file names under ROOT/var/lib/apt/lists, and the lists
 *     found there.
 * Errors: ED_EXIT_ENV with FILE:LINE:COL where a file is malformed.
 */
#ifndef EXTDEPS_ECO_APT_SOURCES_H
#define EXTDEPS_ECO_APT_SOURCES_H

#include <stdbool.h>
#include <stddef.h>

#include "extdeps/util/diag.h"

/* Whether A can be a dpkg architecture name (lower case, digits, '-'). */
bool apt_valid_arch(const char *a);

/* One binary ("deb") source entry: one URI and one suite. */
struct apt_source {
	char *uri;          /* as written: "http://mirror.example.org/debian" */
	char *suite;        /* "bookworm"; a flat repository's path ends in '/' */
	char **components;  /* none for a flat repository */
	size_t ncomponents;
	char **archs;       /* arch= / Architectures:; none: the default set */
	size_t narchs;
	char *file;         /* where it was declared, and the line (1-based) */
	int line;
};

struct apt_sources {
	struct apt_source *v;
	size_t n;
};

/* Parse sources.list(5) one-line TEXT (named FILE in messages) and append
 * its "deb" entries to S ("deb-src" and comments are skipped). ED_EXIT_ENV
 * with FILE:LINE:COL on a malformed entry. */
int apt_sources_parse_list(const char *text, const char *file, struct apt_sources *s,
			   struct ed_diag *d);

/* The same for deb822 TEXT (a *.sources file): stanzas with Types, URIs,
 * Suites, Components, Architectures, Enabled; every URI x suite pair of a
 * stanza whose Types include "deb" and which is not "Enabled: no". */
int apt_sources_parse_deb822(const char *text, const char *file, struct apt_sources *s,
			     struct ed_diag *d);

/* Read ROOT/etc/apt/sources.list, then ROOT/etc/apt/sources.list.d/ *.list
 * and *.sources in name order (other names are ignored, as apt does).
 * Absent files are not errors. */
int apt_sources_read(const char *root, struct apt_sources *s, struct ed_diag *d);

/* Free what S holds and empty it. S may be NULL. */
void apt_sources_fini(struct apt_sources *s);

/* Whether S has a source at URI (trailing '/'s aside) for SUITE (a flat
 * repository's path ends in '/'). */
bool apt_sources_have(const struct apt_sources *s, const char *uri, const char *suite);

/* Whether S has a source of a suite (not a flat repository) with
 * COMPONENT among its components. */
bool apt_sources_have_component(const struct apt_sources *s, const char *component);

/* apt's file name for the index at URI (apt's URItoFileName): scheme and
 * user info dropped, unsafe characters %-quoted, '/' turned into '_'.
 * "http://h/debian/dists/x/main/binary-amd64/Packages" gives
 * "h_debian_dists_x_main_binary-amd64_Packages". False when OUT is too small. */
bool apt_uri_to_filename(const char *uri, char *out, size_t size);

/* The list file name (no directory, no compression suffix) of SRC's
 * Packages index for COMPONENT and ARCH (both ignored for a flat source). */
bool apt_list_name(const struct apt_source *src, const char *component, const char *arch,
		   char *out, size_t size);

/* One list file found on disk. */
struct apt_list {
	char *path;   /* ROOT/var/lib/apt/lists/NAME[.lz4|.gz|...] */
	char *label;  /* "suite/component/arch", for messages and repo names */
};

struct apt_lists {
	struct apt_list *v;
	size_t n;
	size_t missing; /* configured lists with no file (apt update not run) */
};

/* The list files of SOURCES for ARCH (dpkg spelling) under ROOT: for each
 * source, its own archs or ARCH plus the foreign architectures in
 * ROOT/var/lib/dpkg/arch; binary-all when present. Duplicates are dropped.
 * Free with apt_lists_fini. */
int apt_lists_find(const char *root, const struct apt_sources *sources, const char *arch,
		   struct apt_lists *out, struct ed_diag *d);
void apt_lists_fini(struct apt_lists *l);

#endif
