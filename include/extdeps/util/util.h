/* util.h - small helpers shared by modules: files, strings, suggestions. */
#ifndef EXTDEPS_UTIL_H
#define EXTDEPS_UTIL_H

#include <stdbool.h>
#include <stddef.h>

#include "extdeps/util/diag.h"

/* Read the whole file at PATH into a malloc'd, NUL-terminated buffer; its
 * length (without the NUL) in *LEN. On failure returns NULL with D filled
 * (ED_EXIT_INPUT: "cannot read 'PATH': reason"). Refuses files over 64 MiB. */
char *util_read_file(const char *path, size_t *len, struct ed_diag *d);

/* strdup / strndup that return NULL only when S is NULL or memory is out. */
char *util_strdup(const char *s);
char *util_strndup(const char *s, size_t n);

/* Levenshtein distance between A and B (ASCII; capped at 255 per side). */
size_t util_edit_distance(const char *a, const char *b);

/* The candidate closest to WORD within a distance small enough to be a
 * typo (at most a third of WORD's length, at least 2), or NULL. */
const char *util_nearest(const char *word, const char *const *candidates, size_t n);

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

/* The value of hexadecimal digit C (either case), or -1 when C is none. */
int util_hex_value(int c);

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
