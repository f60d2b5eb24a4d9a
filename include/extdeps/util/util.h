/* util.h - small helpers shared by modules: files, strings, suggestions. */
#ifndef EXTDEPS_UTIL_H
#define EXTDEPS_UTIL_H

#include <stdbool.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>

#include "extdeps/util/diag.h"

/* Read the whole file at PATH into a malloc'd, NUL-terminated buffer; its
 * length (without the NUL) in *LEN. On failure returns NULL with D filled:
 * "cannot read 'PATH': reason", ED_EXIT_INPUT for a missing file, a
 * directory, or one that is not a regular file (a FIFO or a device: refused
 * without waiting for a writer), ED_EXIT_ENV for permissions and other
 * failures of the machine. Refuses files over 64 MiB. */
char *util_read_file(const char *path, size_t *len, struct ed_diag *d);

/* errno of util_open_regular for a file that is not a regular file (Linux
 * has no EFTYPE; ENODEV is what opening some devices gives anyway). */
#define UTIL_ENOTREG ENODEV

/* Open PATH for reading, only when it is a regular file: opened without
 * blocking (O_NONBLOCK: a FIFO has no writer), checked with fstat, then
 * blocking again. The descriptor (O_CLOEXEC), or -1 with errno set: EISDIR
 * for a directory, UTIL_ENOTREG for a FIFO, device or socket. */
int util_open_regular(const char *path);

/* The same as a stdio stream ("rb"); NULL with errno set. */
FILE *util_fopen_regular(const char *path);

/* strerror for the errors above ("not a regular file" for UTIL_ENOTREG). */
const char *util_open_strerror(int err);

/* strdup / strndup that return NULL only when S is NULL or memory is out. */
char *util_strdup(const char *s);
char *util_strndup(const char *s, size_t n);

/* Levenshtein distance between A and B (ASCII; capped at 255 per side). */
size_t util_edit_distance(const char *a, const char *b);

/* The candidate closest to WORD within a distance small enough to be a
 * typo (at most a third of WORD's length, at least 2); else the one
 * candidate WORD is the first part of ("conda" of "conda-forge": WORD
 * followed by '-', '_', '.', ':' or '/'); else NULL. */
const char *util_nearest(const char *word, const char *const *candidates, size_t n);

/* V bytes for people, into OUT (SIZE): "220 B", "1.4 KiB", "8.8 MiB". */
void util_human_bytes(double v, char *out, size_t size);

/* Append S to a malloc'd list *LIST of *N strings (S is copied). Returns
 * false when out of memory. */
bool util_strv_push(char ***list, size_t *n, const char *s);
void util_strv_free(char **list, size_t n);

/* ROOT (trailing slashes dropped) followed by the absolute path ABS, into
 * OUT; false when it does not fit. */
bool util_join_root(const char *root, const char *abs, char *out, size_t size);

/* PATH, named by the environment ($CONDA_PREFIX ...), as it is seen with
 * the file system at ROOT: an absolute path under ROOT, a relative one as it
 * is. Into OUT; false when it does not fit. */
bool util_root_path(const char *root, const char *path, char *out, size_t size);

/* PATH without its last component, in place ("/a/b/c" -> "/a/b"); false
 * when it has no '/'. */
bool util_strip_last(char *path);

/* Find NAME on SEARCH_PATH (":"-separated; NULL means $PATH, and an unset
 * PATH means "/usr/bin:/bin"), as execvp would: a NAME holding '/' is taken
 * as it is. True when an executable regular file was found; its path in OUT
 * (SIZE bytes). */
bool util_which(const char *name, const char *search_path, char *out, size_t size);

/* The value of hexadecimal digit C (either case), or -1 when C is none. */
int util_hex_value(int c);

/* Whether S reads as one POSIX shell word as it is, with no quotes. */
bool util_sh_plain(const char *s);

/* Monotonic time in milliseconds, for -vv timings and benchmarks. */
double util_now_ms(void);

/* Make room for NEED elements in the malloc'd array ARR of capacity CAP
 * (both lvalues, updated), growing it by half again or more so that n
 * appends cost O(n). True when there is room; false when out of memory, ARR
 * and CAP then unchanged (after git's ALLOC_GROW). */
#define ALLOC_GROW(arr, need, cap)                                                     \
	__extension__({                                                                \
		void *grow_p_ = (arr);                                                 \
		bool grow_ok_ = util_grow_(&grow_p_, (need), &(cap), sizeof *(arr));   \
		(arr) = grow_p_;                                                       \
		grow_ok_;                                                              \
	})

/* ALLOC_GROW's work: *P holds ELEM-byte elements, *CAP of them. */
bool util_grow_(void **p, size_t need, size_t *cap, size_t elem);

#endif
