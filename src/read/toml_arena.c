/* toml_arena.c - where a TOML document lives: one arena freed at once, the
 * tables and arrays built in it, and the parser's hash index of keys, so that
 * a table with many keys does not make parsing quadratic.
 */
#include <stdlib.h>
#include <string.h>

#include "toml_int.h"

struct arena_block {
	struct arena_block *next;
	size_t used, size;
	_Alignas(max_align_t) unsigned char data[];
};

/* One slot of the key index: the key is table->items[idx].key. */
struct index_slot {
	const struct toml_table *table;
	size_t idx;
	size_t hash;
};

/* ---- the arena ---- */

void *tp_arena_alloc(struct toml_doc *doc, size_t size)
{
	const size_t align = _Alignof(max_align_t);
	struct arena_block *b = doc->blocks;

	if (size > SIZE_MAX / 2)
		return NULL;
	size = (size + align - 1) & ~(align - 1);
	if (size == 0)
		size = align;
	if (!b || b->size - b->used < size) {
		size_t cap = 16384;
		if (size > cap / 4)
			cap = size; /* a large piece gets a block of its own */
		if (cap > SIZE_MAX - sizeof *b)
			return NULL;
		struct arena_block *nb = malloc(sizeof *nb + cap);
		if (!nb)
			return NULL;
		nb->size = cap;
		nb->used = 0;
		if (b && cap == size && b->size - b->used >= 1024) {
			/* keep the current block for small pieces */
			nb->next = b->next;
			b->next = nb;
		} else {
			nb->next = b;
			doc->blocks = nb;
		}
		b = nb;
	}
	void *ptr = b->data + b->used;
	b->used += size;
	return ptr;
}

char *tp_arena_strdup(struct toml_doc *doc, const char *s, size_t len)
{
	if (len == SIZE_MAX)
		return NULL;
	char *d = tp_arena_alloc(doc, len + 1);
	if (!d)
		return NULL;
	if (len)
		memcpy(d, s, len);
	d[len] = '\0';
	return d;
}

void toml_doc_free(struct toml_doc *doc)
{
	if (!doc)
		return;
	struct arena_block *b = doc->blocks;
	while (b) {
		struct arena_block *next = b->next;
		free(b);
		b = next;
	}
	free(doc);
}

/* ---- the key index ---- */

static size_t hash_key(const struct toml_table *t, const char *key, size_t len)
{
	size_t h = (size_t)14695981039346656037ull ^ (size_t)(uintptr_t)t;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)key[i];
		h *= (size_t)1099511628211ull;
	}
	return h ^ (h >> 29);
}

struct toml_keyval *tp_index_find(const struct parser *p, const struct toml_table *t,
				  const char *key, size_t len)
{
	if (!p->index_cap)
		return NULL;
	size_t h = hash_key(t, key, len), mask = p->index_cap - 1;
	for (size_t i = h & mask;; i = (i + 1) & mask) {
		const struct index_slot *s = &p->index[i];
		if (!s->table)
			return NULL;
		if (s->table == t && s->hash == h) {
			struct toml_keyval *kv = &s->table->items[s->idx];
			if (kv->keylen == len && memcmp(kv->key, key, len) == 0)
				return kv;
		}
	}
}

static void index_put(struct index_slot *slots, size_t cap, struct index_slot slot)
{
	size_t mask = cap - 1;
	size_t i = slot.hash & mask;
	while (slots[i].table)
		i = (i + 1) & mask;
	slots[i] = slot;
}

static int index_add(struct parser *p, const struct toml_table *t, size_t idx)
{
	if ((p->index_used + 1) * 2 > p->index_cap) {
		size_t cap = p->index_cap ? p->index_cap * 2 : 64;
		struct index_slot *slots = calloc(cap, sizeof *slots);
		if (!slots)
			return tp_fail_oom(p);
		for (size_t i = 0; i < p->index_cap; i++)
			if (p->index[i].table)
				index_put(slots, cap, p->index[i]);
		free(p->index);
		p->index = slots;
		p->index_cap = cap;
	}
	const struct toml_keyval *kv = &t->items[idx];
	index_put(p->index, p->index_cap,
		  (struct index_slot){ t, idx, hash_key(t, kv->key, kv->keylen) });
	p->index_used++;
	return 0;
}

/* ---- tree building ---- */

/* SIZE zeroed bytes from the arena, or NULL after an out-of-memory error. */
static void *arena_zalloc(struct parser *p, size_t size)
{
	void *ptr = tp_arena_alloc(p->doc, size);

	if (!ptr) {
		tp_fail_oom(p);
		return NULL;
	}
	memset(ptr, 0, size);
	return ptr;
}

struct toml_table *tp_new_table(struct parser *p, unsigned flags)
{
	struct toml_table *t = arena_zalloc(p, sizeof *t);

	if (t)
		t->flags = flags;
	return t;
}

struct toml_array *tp_new_array(struct parser *p, unsigned flags)
{
	struct toml_array *a = arena_zalloc(p, sizeof *a);

	if (a)
		a->flags = flags;
	return a;
}

bool tp_arena_grow(struct parser *p, void **items, size_t count, size_t *cap, size_t size,
		   size_t initial)
{
	size_t ncap = *cap ? *cap * 2 : initial;
	void *n;

	if (ncap > SIZE_MAX / size || !(n = tp_arena_alloc(p->doc, ncap * size))) {
		tp_fail_oom(p);
		return false;
	}
	if (count)
		memcpy(n, *items, count * size);
	*items = n;
	*cap = ncap;
	return true;
}

/* One more value in the document; false past its limit, with the error. */
static bool count_value(struct parser *p)
{
	if (++p->nvalues <= TP_MAX_VALUES)
		return true;
	p->too_many = true;
	tp_fail(p, "more than %d values (keys and array items) in one document", TP_MAX_VALUES);
	return false;
}

struct toml_keyval *tp_table_add(struct parser *p, struct toml_table *t,
				 const struct key_part *key)
{
	/* most tables hold a key or two (inline tables, a project's own) */
	if (!count_value(p) || !ARENA_GROW(p, t->items, t->count, t->cap, 2))
		return NULL;
	struct toml_keyval *kv = &t->items[t->count];
	memset(kv, 0, sizeof *kv);
	kv->key = key->str;
	kv->keylen = key->len;
	kv->keypos = key->pos;
	t->count++;
	if (index_add(p, t, t->count - 1) < 0)
		return NULL;
	return kv;
}

struct toml_value *tp_array_add(struct parser *p, struct toml_array *a)
{
	if (!count_value(p) || !ARENA_GROW(p, a->items, a->count, a->cap, 4))
		return NULL;
	struct toml_value *v = &a->items[a->count++];
	memset(v, 0, sizeof *v);
	return v;
}
