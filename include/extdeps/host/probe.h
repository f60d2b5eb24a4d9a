/* probe.h - finding software on this machine without asking a package
 * manager: pkg-config modules (through libpkgconf), executables on PATH and
 * the versions they report, files by glob; and the version rules that make
 * what was found comparable with a PEP 440 constraint.
 *
 * Nothing here prints. Results go into caller-owned structs with fixed
 * buffers, so there is nothing to free but the pkg-config client.
 */
#ifndef EXTDEPS_PROBE_H
#define EXTDEPS_PROBE_H

#include <stdbool.h>
#include <stddef.h>

#include "extdeps/read/pep440.h"
#include "extdeps/util/diag.h"

#define PROBE_PATH_MAX 4096
#define PROBE_VERSION_MAX 128

/* What one probe found. */
struct probe_hit {
	char path[PROBE_PATH_MAX];       /* the .pc file, the executable, the file */
	char version[PROBE_VERSION_MAX]; /* "" when unknown or not asked for */
};

/* --- pkg-config --- */

struct probe_pc;

/* A pkg-config client searching what pkg-config itself would: PKG_CONFIG_PATH
 * first, then PKG_CONFIG_LIBDIR or else libpkgconf's built-in system
 * directories. NULL when out of memory. */
struct probe_pc *probe_pc_new(void);

/* Free PC. PC may be NULL. */
void probe_pc_free(struct probe_pc *pc);

/* Look up MODULE (a module name, as `pkg-config --exists` takes it). True
 * when found, with HIT's path (the .pc file) and version filled. */
bool probe_pc_find(struct probe_pc *pc, const char *module, struct probe_hit *hit);

/* --- executables --- */

/* Find NAME on SEARCH_PATH (":"-separated; NULL means $PATH, and an unset
 * PATH means "/usr/bin:/bin"), as execvp would: a NAME holding '/' is taken
 * as it is. True when an executable regular file was found; its path in OUT
 * (SIZE bytes). */
bool probe_which(const char *name, const char *search_path, char *out, size_t size);

/* Run PATH with the one argument ARG (e.g. "--version") through posix_spawn
 * (argv, never a shell), stdin from /dev/null, stdout and stderr captured
 * (the first 64 KiB), and wait at most TIMEOUT_MS (then it is killed). The
 * first version-looking token (probe_version_token) of the output goes into
 * VERSION. Returns 0, or ED_EXIT_ENV with D filled when it could not be run,
 * timed out, or printed no version. */
int probe_exec_version(const char *path, const char *arg, int timeout_ms, char *version,
		       size_t size, struct ed_diag *d);

/* Run PATH ARG as probe_exec_version() does and put what it printed
 * (stdout and stderr, truncated to SIZE - 1 bytes) into OUT. Returns 0, or
 * ED_EXIT_ENV with D filled when it could not be run or timed out. */
int probe_exec_output(const char *path, const char *arg, int timeout_ms, char *out, size_t size,
		      struct ed_diag *d);

/* The first version-looking token of TEXT: a run of digits and dots holding
 * at least one dot, not glued to a preceding letter or digit, plus a letter
 * run with digits directly after it ("12.2.0", "2.0b1"; "gcc (Debian
 * 12.2.0-14) 12.2.0" gives "12.2.0"; a trailing dot is dropped). True when
 * found. */
bool probe_version_token(const char *text, char *out, size_t size);

/* --- files --- */

/* Expand PATTERN (an absolute path or glob(3) pattern); the first match in
 * HIT. True when something exists. */
bool probe_file(const char *pattern, struct probe_hit *hit);

/* --- versions --- */

/* How a found version is compared with a constraint. */
enum probe_cmp {
	PROBE_CMP_PEP440,    /* PEP 440 ordering; a version that is not PEP 440 cannot be compared */
	PROBE_CMP_PKGCONFIG, /* pkg-config's rules (pkgconf_compare_version), for .pc versions */
};

/* Does VERSION meet every clause of SPEC? 1 yes, 0 no, -1 it cannot be
 * compared (empty or not a version under HOW). A NULL SPEC is met by
 * anything. */
int probe_spec_check(const struct pep440_spec *spec, const char *version, enum probe_cmp how);

#endif
