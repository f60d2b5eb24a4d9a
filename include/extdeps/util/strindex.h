/* strindex.h - a hash index from strings to numbers (positions in an array
 * the caller keeps), so that look-ups by name stay constant-time where a
 * project or a document may hold hundreds of thousands of names.
 *
 *	struct strindex ix = STRINDEX_INIT;
 *	size_t at;
 *
 *	if (!strindex_put(&ix, name, n))      // false: out of memory
 *		...
 *	if (strindex_get(&ix, name, &at))
 *		...
 *	strindex_fini(&ix);
 *
 * Ownership: keys are borrowed, not copied: each must stay valid, and
 * unchanged, while the index holds it (strings malloc'd one by one, whose
 * array may move, are fine). The index owns its slots; strindex_fini frees
 * them and leaves an empty index.
 */
#ifndef EXTDEPS_UTIL_STRINDEX_H
#define EXTDEPS_UTIL_STRINDEX_H

#include <stdbool.h>
#include <stddef.h>

struct strindex_slot {
	const char *key; /* NULL: empty */
	size_t value;
};

struct strindex {
	struct strindex_slot *slots;
	size_t cap; /* a power of two, or 0 */
	size_t n;
};

#define STRINDEX_INIT { NULL, 0, 0 }

/* Map KEY to VALUE unless KEY is there already (the first value stays).
 * False only when out of memory. */
bool strindex_put(struct strindex *ix, const char *key, size_t value);

/* Whether KEY is in IX; its value into *VALUE (VALUE may be NULL). */
bool strindex_get(const struct strindex *ix, const char *key, size_t *value);

void strindex_fini(struct strindex *ix);

#endif
