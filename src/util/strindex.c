/* strindex.c - a hash index from strings to numbers (open addressing,
 * linear probing, kept under half full). */
#include "extdeps/util/strindex.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* FNV-1a, 64 bits. */
static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static struct strindex_slot *find(const struct strindex *ix, const char *key)
{
	size_t mask = ix->cap - 1, i = (size_t)hash(key) & mask;

	while (ix->slots[i].key && strcmp(ix->slots[i].key, key))
		i = (i + 1) & mask;
	return &ix->slots[i];
}

static bool grow(struct strindex *ix)
{
	size_t ncap = ix->cap ? ix->cap * 2 : 16;
	struct strindex old = *ix;

	if (ncap > SIZE_MAX / 2 / sizeof *ix->slots ||
	    !(ix->slots = calloc(ncap, sizeof *ix->slots))) {
		ix->slots = old.slots;
		return false;
	}
	ix->cap = ncap;
	for (size_t i = 0; i < old.cap; i++)
		if (old.slots[i].key)
			*find(ix, old.slots[i].key) = old.slots[i];
	free(old.slots);
	return true;
}

bool strindex_put(struct strindex *ix, const char *key, size_t value)
{
	struct strindex_slot *s;

	if ((ix->n + 1) * 2 > ix->cap && !grow(ix))
		return false;
	s = find(ix, key);
	if (!s->key) {
		s->key = key;
		s->value = value;
		ix->n++;
	}
	return true;
}

bool strindex_get(const struct strindex *ix, const char *key, size_t *value)
{
	const struct strindex_slot *s;

	if (!ix->cap)
		return false;
	s = find(ix, key);
	if (s->key && value)
		*value = s->value;
	return s->key != NULL;
}

void strindex_fini(struct strindex *ix)
{
	free(ix->slots);
	ix->slots = NULL;
	ix->cap = ix->n = 0;
}
