/* toml.c - a TOML 1.0 reader.
 *
 * One pass over the text, recursive descent for values (bounded by
 * MAX_DEPTH), the whole tree in one arena. The redefinition rules of TOML 1.0
 * are kept with a few flags on each table and array (see TF_* and AF_*), and
 * keys are looked up through one hash index kept by the parser, so a table
 * with many keys does not make parsing quadratic.
 */
#include "extdeps/read/toml.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extdeps/util/strbuf.h"
#include "extdeps/util/util.h"

/* Arrays and inline tables nested deeper than this are rejected, so no input
 * can exhaust the stack. */
#define MAX_DEPTH 128
/* Fractional-second digits kept; the spec lets us truncate extra precision. */
#define FRAC_MAX ((int)sizeof(((struct toml_datetime *)0)->frac) - 1)

/* How a table came to exist (struct toml_table.flags). */
enum {
	TF_IMPLICIT = 1u << 0, /* a super-table named in a [header] path only */
	TF_HEADER = 1u << 1,   /* defined by its own [header] or [[header]] */
	TF_DOTTED = 1u << 2,   /* created by a dotted key */
	TF_INLINE = 1u << 3,   /* an inline table: closed once written */
};

/* How an array came to exist (struct toml_array.flags). */
enum {
	AF_STATIC = 1u << 0, /* written as a [ ... ] value */
	AF_TABLES = 1u << 1, /* built by [[header]]s */
};

struct arena_block {
	struct arena_block *next;
	size_t used, size;
	_Alignas(max_align_t) unsigned char data[];
};

struct toml_doc {
	struct arena_block *blocks;
	struct toml_table root;
};

/* One slot of the key index: the key is table->items[idx].key. */
struct index_slot {
	const struct toml_table *table;
	size_t idx;
	size_t hash;
};

struct parser {
	const unsigned char *s;
	size_t len, pos;
	int line, col;
	const char *file;
	struct ed_diag *diag;
	struct toml_doc *doc;
	int depth;
	bool failed;
	struct toml_table *current; /* the table keyvals go to */
	struct index_slot *index;
	size_t index_cap, index_used;
	struct strbuf scratch; /* decoded string being built */
};

/* A key as written, one dotted part. */
struct key_part {
	const char *str; /* decoded, in the arena */
	size_t len;
	struct toml_pos pos;
};

/* ---- errors ---- */

__attribute__((format(printf, 4, 5)))
static int fail_at(struct parser *p, int line, int col, const char *fmt, ...)
{
	char msg[ED_DIAG_MSG_MAX];
	va_list ap;

	/* the first error is the one that explains the input */
	if (p->failed)
		return -1;
	p->failed = true;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	ed_diag_set(p->diag, ED_EXIT_INPUT, p->file, line, col, "%s", msg);
	return -1;
}

#define fail(p, ...) fail_at((p), (p)->line, (p)->col, __VA_ARGS__)

static int fail_oom(struct parser *p)
{
	if (!p->failed) {
		p->failed = true;
		ed_diag_oom(p->diag);
	}
	return -1;
}

/* Write TEXT (LEN bytes) into BUF for a message: printable and bounded, with
 * control characters escaped so a message never carries raw bytes. */
static const char *quote_text(char *buf, size_t size, const char *text, size_t len)
{
	size_t o = 0;
	size_t limit = size - 8; /* room for an escape or "..." and the NUL */

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];
		if (o >= limit) {
			/* cut on a character boundary */
			while (o > 0 && ((unsigned char)buf[o - 1] & 0xC0) == 0x80)
				o--;
			if (o > 0 && (unsigned char)buf[o - 1] >= 0xC0)
				o--;
			memcpy(buf + o, "...", 3);
			o += 3;
			break;
		}
		if (c < 0x20 || c == 0x7F) {
			o += (size_t)snprintf(buf + o, size - o, "\\x%02x", c);
		} else {
			buf[o++] = (char)c;
		}
	}
	buf[o] = '\0';
	return buf;
}

/* A description of the character at the parser's position, for messages. */
static const char *describe_here(const struct parser *p, char *buf, size_t size)
{
	if (p->pos >= p->len)
		return "end of file";
	unsigned char c = p->s[p->pos];
	if (c == '\n')
		return "end of line";
	if (c == '\r')
		return "end of line";
	if (c == '\t')
		return "a tab";
	if (c < 0x20 || c == 0x7F) {
		snprintf(buf, size, "control character U+%04X", c);
		return buf;
	}
	size_t n = 1;
	while (p->pos + n < p->len && n < 4 && (p->s[p->pos + n] & 0xC0) == 0x80)
		n++;
	buf[0] = '\'';
	memcpy(buf + 1, p->s + p->pos, n);
	buf[n + 1] = '\'';
	buf[n + 2] = '\0';
	return buf;
}

/* ---- the arena ---- */

static void *arena_alloc(struct toml_doc *doc, size_t size)
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

static char *arena_strdup(struct toml_doc *doc, const char *s, size_t len)
{
	if (len == SIZE_MAX)
		return NULL;
	char *d = arena_alloc(doc, len + 1);
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

static struct toml_keyval *index_find(const struct parser *p, const struct toml_table *t,
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
			return fail_oom(p);
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
	void *ptr = arena_alloc(p->doc, size);

	if (!ptr) {
		fail_oom(p);
		return NULL;
	}
	memset(ptr, 0, size);
	return ptr;
}

static struct toml_table *new_table(struct parser *p, unsigned flags)
{
	struct toml_table *t = arena_zalloc(p, sizeof *t);

	if (t)
		t->flags = flags;
	return t;
}

static struct toml_array *new_array(struct parser *p, unsigned flags)
{
	struct toml_array *a = arena_zalloc(p, sizeof *a);

	if (a)
		a->flags = flags;
	return a;
}

/* ARENA_GROW's work: *ITEMS holds COUNT items of SIZE bytes in a capacity
 * of *CAP; double it (INITIAL the first time). */
static bool arena_grow_(struct parser *p, void **items, size_t count, size_t *cap, size_t size,
			size_t initial)
{
	size_t ncap = *cap ? *cap * 2 : initial;
	void *n;

	if (ncap > SIZE_MAX / size || !(n = arena_alloc(p->doc, ncap * size))) {
		fail_oom(p);
		return false;
	}
	if (count)
		memcpy(n, *items, count * size);
	*items = n;
	*cap = ncap;
	return true;
}

/* Room for one more item in the arena array ARR of COUNT items and capacity
 * CAP (lvalues), as ALLOC_GROW for malloc'd arrays. The old storage stays in
 * the arena, freed with the document. False after an out-of-memory error. */
#define ARENA_GROW(p, arr, count, cap, initial)                                        \
	__extension__({                                                                \
		void *grow_p_ = (arr);                                                 \
		bool grow_ok_ = (count) < (cap) ||                                     \
				arena_grow_((p), &grow_p_, (count), &(cap), sizeof *(arr),     \
					    (initial));                                        \
		(arr) = grow_p_;                                                       \
		grow_ok_;                                                              \
	})

/* Add KEY to T (the caller has checked it is absent); returns the new
 * keyval, whose value the caller fills. */
static struct toml_keyval *table_add(struct parser *p, struct toml_table *t,
				     const struct key_part *key)
{
	if (!ARENA_GROW(p, t->items, t->count, t->cap, 8))
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

static struct toml_value *array_add(struct parser *p, struct toml_array *a)
{
	if (!ARENA_GROW(p, a->items, a->count, a->cap, 4))
		return NULL;
	struct toml_value *v = &a->items[a->count++];
	memset(v, 0, sizeof *v);
	return v;
}

/* ---- scanning ---- */

static bool at_end(const struct parser *p)
{
	return p->pos >= p->len;
}

static int peek(const struct parser *p)
{
	return p->pos < p->len ? p->s[p->pos] : -1;
}

static int peek_at(const struct parser *p, size_t ahead)
{
	return p->len - p->pos > ahead ? p->s[p->pos + ahead] : -1;
}

static void advance(struct parser *p)
{
	unsigned char c = p->s[p->pos++];
	if (c == '\n') {
		p->line++;
		p->col = 1;
	} else if ((c & 0xC0) != 0x80) {
		p->col++;
	}
}

static void advance_n(struct parser *p, size_t n)
{
	while (n-- > 0)
		advance(p);
}

static struct toml_pos here(const struct parser *p)
{
	return (struct toml_pos){ p->line, p->col };
}

static void skip_ws(struct parser *p)
{
	while (peek(p) == ' ' || peek(p) == '\t')
		advance(p);
}

/* A newline is LF or CRLF; a lone CR was rejected before parsing. */
static bool at_newline(const struct parser *p)
{
	int c = peek(p);
	return c == '\n' || (c == '\r' && peek_at(p, 1) == '\n');
}

static void skip_newline(struct parser *p)
{
	if (peek(p) == '\r')
		advance(p);
	advance(p);
}

static void skip_comment(struct parser *p)
{
	while (!at_end(p) && !at_newline(p))
		advance(p);
}

/* Whitespace, comments and newlines, as allowed between array elements. */
static void skip_ws_comments_newlines(struct parser *p)
{
	for (;;) {
		skip_ws(p);
		if (peek(p) == '#')
			skip_comment(p);
		if (at_newline(p))
			skip_newline(p);
		else
			return;
	}
}

static bool is_bare_key_char(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-';
}

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* Check the whole text before parsing: valid UTF-8 without overlong forms or
 * surrogates, no NUL, no CR outside CRLF, and no other control character
 * than tab (TOML 1.0 allows none anywhere, not even in comments). */
static int check_text(struct parser *p)
{
	const unsigned char *s = p->s;
	size_t len = p->len, i = p->pos;
	int line = 1, col = 1;

	while (i < len) {
		unsigned char c = s[i];
		size_t n;
		unsigned cp;

		if (c < 0x80) {
			if (c == '\n') {
				line++;
				col = 1;
				i++;
				continue;
			}
			if (c == '\r' && !(i + 1 < len && s[i + 1] == '\n'))
				return fail_at(p, line, col,
					       "carriage return not followed by a line feed");
			if (c == 0)
				return fail_at(p, line, col, "NUL byte is not allowed");
			if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7F)
				return fail_at(p, line, col,
					       "control character U+%04X is not allowed "
					       "(write it as an escape in a basic string)",
					       c);
			i++;
			col++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			n = 2;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 3;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 4;
			cp = c & 0x07;
		} else {
			return fail_at(p, line, col, "invalid UTF-8 byte 0x%02X", c);
		}
		if (len - i < n)
			return fail_at(p, line, col, "truncated UTF-8 sequence at end of file");
		for (size_t k = 1; k < n; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return fail_at(p, line, col, "invalid UTF-8 sequence");
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
			return fail_at(p, line, col, "overlong or out-of-range UTF-8 sequence");
		if (cp >= 0xD800 && cp <= 0xDFFF)
			return fail_at(p, line, col, "UTF-8 encoded surrogate U+%04X is not allowed",
				       cp);
		i += n;
		col++;
	}
	return 0;
}

/* ---- strings ---- */

static int scratch_put(struct parser *p, const void *data, size_t n)
{
	strbuf_add(&p->scratch, data, n);
	return p->scratch.oom ? fail_oom(p) : 0;
}

static int scratch_utf8(struct parser *p, unsigned long cp)
{
	unsigned char b[4];
	size_t n;

	if (cp < 0x80) {
		b[0] = (unsigned char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (unsigned char)(0xC0 | (cp >> 6));
		b[1] = (unsigned char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (unsigned char)(0xE0 | (cp >> 12));
		b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		b[2] = (unsigned char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		b[0] = (unsigned char)(0xF0 | (cp >> 18));
		b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
		b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		b[3] = (unsigned char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	return scratch_put(p, b, n);
}

/* An escape sequence at the backslash under the cursor (not the
 * line-ending backslash of multi-line strings, handled by the caller). */
static int parse_escape(struct parser *p)
{
	struct toml_pos at = here(p);
	int c = peek_at(p, 1);
	char buf[16];
	unsigned long cp = 0;
	int digits;

	switch (c) {
	case 'b': cp = '\b'; break;
	case 't': cp = '\t'; break;
	case 'n': cp = '\n'; break;
	case 'f': cp = '\f'; break;
	case 'r': cp = '\r'; break;
	case '"': cp = '"'; break;
	case '\\': cp = '\\'; break;
	case 'u':
	case 'U':
		digits = c == 'u' ? 4 : 8;
		for (int i = 0; i < digits; i++) {
			int d = util_hex_value(peek_at(p, 2 + (size_t)i));
			if (d < 0)
				return fail_at(p, at.line, at.col,
					       "expected %d hexadecimal digits after '\\%c'", digits, c);
			cp = cp << 4 | (unsigned long)d;
		}
		if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return fail_at(p, at.line, at.col,
				       "escape '\\%c%.*s' is not a Unicode scalar value", c, digits,
				       (const char *)p->s + p->pos + 2);
		advance_n(p, 2 + (size_t)digits);
		return scratch_utf8(p, cp);
	default:
		if (c < 0)
			return fail_at(p, at.line, at.col, "unterminated string");
		if (c == '\n' || c == '\r')
			return fail_at(p, at.line, at.col,
				       "invalid escape: '\\' at the end of a line is allowed only "
				       "in multi-line basic strings");
		if (c == '\t')
			return fail_at(p, at.line, at.col, "invalid escape '\\<tab>' in string");
		size_t n = 1;
		while (n < 4 && (peek_at(p, 1 + n) & 0xC0) == 0x80)
			n++;
		memcpy(buf, p->s + p->pos + 1, n);
		buf[n] = '\0';
		return fail_at(p, at.line, at.col, "invalid escape '\\%s' in string", buf);
	}
	advance_n(p, 2);
	return scratch_utf8(p, cp);
}

/* Copy one UTF-8 character (already validated) to the scratch buffer. */
static int copy_char(struct parser *p)
{
	size_t n = 1;
	while (p->pos + n < p->len && (p->s[p->pos + n] & 0xC0) == 0x80)
		n++;
	if (scratch_put(p, p->s + p->pos, n) < 0)
		return -1;
	advance_n(p, n);
	return 0;
}

/* In a multi-line basic string, a backslash that ends a line (trailing
 * whitespace allowed) trims the newline and the whitespace after it: true
 * when the backslash under the cursor was one and has been skipped. */
static bool skip_line_ending_backslash(struct parser *p)
{
	size_t k = 1;

	while (peek_at(p, k) == ' ' || peek_at(p, k) == '\t')
		k++;
	int nc = peek_at(p, k);
	if (nc != '\n' && !(nc == '\r' && peek_at(p, k + 1) == '\n'))
		return false;
	advance_n(p, k);
	while (peek(p) == ' ' || peek(p) == '\t' || at_newline(p)) {
		if (at_newline(p))
			skip_newline(p);
		else
			advance(p);
	}
	return true;
}

/* The closing quotes Q of a multi-line string at the cursor: up to two
 * quotes may sit just before the closing three and belong to the string. */
static int close_multiline(struct parser *p, int q)
{
	size_t run = 3;

	while (peek_at(p, run) == q)
		run++;
	if (run > 5) {
		advance_n(p, 5);
		return fail(p, "too many quotes at the end of a multi-line string");
	}
	if (scratch_put(p, p->s + p->pos, run - 3) < 0)
		return -1;
	advance_n(p, run);
	return 0;
}

/* The body of a multi-line string quoted with Q, opened at START, after
 * the opening quotes and up to the closing ones. */
static int scan_multiline(struct parser *p, int q, struct toml_pos start)
{
	bool literal = q == '\'';

	/* a newline right after the opening delimiter is trimmed */
	if (at_newline(p))
		skip_newline(p);
	for (;;) {
		if (at_end(p))
			return fail_at(p, start.line, start.col, "unterminated multi-line string");
		int c = peek(p), rc;
		if (c == q && peek_at(p, 1) == q && peek_at(p, 2) == q)
			return close_multiline(p, q);
		if (at_newline(p)) {
			/* CRLF is kept as LF */
			skip_newline(p);
			rc = scratch_put(p, "\n", 1);
		} else if (!literal && c == '\\') {
			rc = skip_line_ending_backslash(p) ? 0 : parse_escape(p);
		} else {
			rc = copy_char(p);
		}
		if (rc < 0)
			return -1;
	}
}

/* The body of a one-line string quoted with Q, opened at START, after the
 * opening quote and up to the closing one. */
static int scan_one_line(struct parser *p, int q, struct toml_pos start)
{
	bool literal = q == '\'';

	for (;;) {
		if (at_end(p) || at_newline(p))
			return fail_at(p, start.line, start.col, "unterminated string");
		int c = peek(p);
		if (c == q) {
			advance(p);
			return 0;
		}
		if ((!literal && c == '\\' ? parse_escape(p) : copy_char(p)) < 0)
			return -1;
	}
}

/* Parse a string of any of the four kinds at the cursor into OUT (decoded,
 * in the arena). ALLOW_MULTI is false for keys. */
static int parse_string(struct parser *p, bool allow_multi, const char **out, size_t *outlen)
{
	struct toml_pos start = here(p);
	int q = peek(p), rc;

	strbuf_reset(&p->scratch);
	if (peek_at(p, 1) == q && peek_at(p, 2) == q) {
		if (!allow_multi)
			return fail(p, "a multi-line string cannot be a key");
		advance_n(p, 3);
		rc = scan_multiline(p, q, start);
	} else {
		advance(p);
		rc = scan_one_line(p, q, start);
	}
	if (rc < 0)
		return -1;
	char *s = arena_strdup(p->doc, strbuf_str(&p->scratch), p->scratch.len);
	if (!s)
		return fail_oom(p);
	*out = s;
	*outlen = p->scratch.len;
	return 0;
}

/* ---- keys ---- */

/* A dotted key: one or more parts separated by '.', with optional
 * whitespace around the dots. Parts are stored in *PARTS (arena). */
static int parse_key(struct parser *p, struct key_part **parts, size_t *nparts)
{
	struct key_part *list = NULL;
	size_t n = 0, cap = 0;
	char buf[32];

	for (;;) {
		struct key_part part = { .pos = here(p) };
		int c = peek(p);

		if (c == '"' || c == '\'') {
			if (parse_string(p, false, &part.str, &part.len) < 0)
				return -1;
		} else if (is_bare_key_char(c)) {
			size_t start = p->pos;
			while (is_bare_key_char(peek(p)))
				advance(p);
			part.len = p->pos - start;
			part.str = arena_strdup(p->doc, (const char *)p->s + start, part.len);
			if (!part.str)
				return fail_oom(p);
		} else {
			return fail(p, "expected a key, found %s", describe_here(p, buf, sizeof buf));
		}
		if (!ARENA_GROW(p, list, n, cap, 4))
			return -1;
		list[n++] = part;
		skip_ws(p);
		if (peek(p) != '.')
			break;
		advance(p);
		skip_ws(p);
	}
	*parts = list;
	*nparts = n;
	return 0;
}

/* The dotted path of PARTS[0..N) for messages, e.g. a.b."c d". */
static const char *key_path(char *buf, size_t size, const struct key_part *parts, size_t n)
{
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && o + 4 < size; i++) {
		char one[128];
		bool bare = parts[i].len > 0;
		for (size_t k = 0; k < parts[i].len; k++)
			if (!is_bare_key_char((unsigned char)parts[i].str[k]))
				bare = false;
		quote_text(one, sizeof one, parts[i].str, parts[i].len);
		o += (size_t)snprintf(buf + o, size - o, bare ? "%s%s" : "%s\"%s\"",
				      i ? "." : "", one);
		if (o >= size)
			o = size - 1;
	}
	return buf;
}

static const char *value_kind(const struct toml_value *v)
{
	switch (v->type) {
	case TOML_STRING: return "a string";
	case TOML_INTEGER: return "an integer";
	case TOML_FLOAT: return "a float";
	case TOML_BOOL: return "a boolean";
	case TOML_DATETIME: return "an offset date-time";
	case TOML_DATETIME_LOCAL: return "a local date-time";
	case TOML_DATE_LOCAL: return "a local date";
	case TOML_TIME_LOCAL: return "a local time";
	case TOML_ARRAY:
		return (v->u.array->flags & AF_TABLES) ? "an array of tables" : "an array";
	case TOML_TABLE:
		return (v->u.table->flags & TF_INLINE) ? "an inline table" : "a table";
	}
	return "a value";
}

/* ---- values ---- */

static int parse_value(struct parser *p, struct toml_value *v);

static bool token_char(int c)
{
	return is_bare_key_char(c) || c == '+' || c == '.' || c == ':';
}

/* Digits of BASE with single underscores between them, from TOK[*I]; the
 * value goes to *OUT (saturated flag in *OVER). */
static bool scan_digits(const char *tok, size_t len, size_t *i, int base, uint64_t limit,
			uint64_t *out, bool *over)
{
	uint64_t v = 0;
	size_t start = *i;
	bool prev_digit = false;

	for (; *i < len; (*i)++) {
		int c = (unsigned char)tok[*i], d;
		if (c == '_') {
			if (!prev_digit || *i + 1 >= len || util_hex_value((unsigned char)tok[*i + 1]) < 0 ||
			    util_hex_value((unsigned char)tok[*i + 1]) >= base)
				return false;
			prev_digit = false;
			continue;
		}
		d = util_hex_value(c);
		if (d < 0 || d >= base)
			break;
		if (v > (limit - (uint64_t)d) / (uint64_t)base)
			*over = true;
		else
			v = v * (uint64_t)base + (uint64_t)d;
		prev_digit = true;
	}
	*out = v;
	return *i > start;
}

static int days_in_month(int year, int month)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	return month == 2 && leap ? 29 : days[month - 1];
}

/* N decimal digits at TOK[I]; -1 when not all digits. */
static int fixed_digits(const char *tok, size_t len, size_t i, int n)
{
	int v = 0;
	if (len < i + (size_t)n)
		return -1;
	for (int k = 0; k < n; k++) {
		if (!is_digit((unsigned char)tok[i + (size_t)k]))
			return -1;
		v = v * 10 + tok[i + (size_t)k] - '0';
	}
	return v;
}

/* HH:MM:SS[.frac] at TOK[*I]. */
static const char *scan_time(const char *tok, size_t len, size_t *i, struct toml_datetime *dt)
{
	int h = fixed_digits(tok, len, *i, 2), m, s;

	if (h < 0 || len < *i + 3 || tok[*i + 2] != ':')
		return "expected a time as HH:MM:SS";
	m = fixed_digits(tok, len, *i + 3, 2);
	if (m < 0 || len < *i + 6 || tok[*i + 5] != ':')
		return "expected a time as HH:MM:SS (seconds are required)";
	s = fixed_digits(tok, len, *i + 6, 2);
	if (s < 0)
		return "expected a time as HH:MM:SS (seconds are required)";
	if (h > 23)
		return "hour out of range (00-23)";
	if (m > 59)
		return "minute out of range (00-59)";
	/* 60 is a leap second, as RFC 3339 allows */
	if (s > 60)
		return "second out of range (00-60)";
	dt->hour = h;
	dt->minute = m;
	dt->second = s;
	*i += 8;
	if (*i < len && tok[*i] == '.') {
		size_t start = ++*i;
		while (*i < len && is_digit((unsigned char)tok[*i])) {
			if (*i - start < (size_t)FRAC_MAX)
				dt->frac[*i - start] = tok[*i];
			(*i)++;
		}
		if (*i == start)
			return "expected digits after '.' in a time";
	}
	return NULL;
}

static int parse_datetime(struct parser *p, const char *tok, size_t len, struct toml_pos at,
			  struct toml_value *v)
{
	struct toml_datetime *dt = &v->u.dt;
	const char *err = NULL;
	size_t i = 0;
	char shown[96];

	memset(dt, 0, sizeof *dt);
	if (len >= 3 && tok[2] == ':') {
		v->type = TOML_TIME_LOCAL;
		err = scan_time(tok, len, &i, dt);
		goto check_end;
	}
	int y = fixed_digits(tok, len, 0, 4);
	int mo = len >= 7 && tok[4] == '-' ? fixed_digits(tok, len, 5, 2) : -1;
	int d = len >= 10 && mo >= 0 && tok[7] == '-' ? fixed_digits(tok, len, 8, 2) : -1;
	if (y < 0 || mo < 0 || d < 0) {
		err = "expected a date as YYYY-MM-DD";
		goto out;
	}
	if (mo < 1 || mo > 12) {
		err = "month out of range (01-12)";
		goto out;
	}
	if (d < 1 || d > days_in_month(y, mo)) {
		err = "day out of range for the month";
		goto out;
	}
	dt->year = y;
	dt->month = mo;
	dt->day = d;
	i = 10;
	v->type = TOML_DATE_LOCAL;
	if (i == len)
		goto out;
	if (tok[i] != 'T' && tok[i] != 't' && tok[i] != ' ') {
		err = "expected 'T' or a space between date and time";
		goto out;
	}
	i++;
	v->type = TOML_DATETIME_LOCAL;
	if ((err = scan_time(tok, len, &i, dt)))
		goto out;
	if (i < len && (tok[i] == 'Z' || tok[i] == 'z')) {
		v->type = TOML_DATETIME;
		dt->offset_z = true;
		i++;
	} else if (i < len && (tok[i] == '+' || tok[i] == '-')) {
		int oh = fixed_digits(tok, len, i + 1, 2);
		int om = len > i + 3 && tok[i + 3] == ':' ? fixed_digits(tok, len, i + 4, 2) : -1;
		if (oh < 0 || om < 0) {
			err = "expected a UTC offset as +HH:MM or -HH:MM";
			goto out;
		}
		if (oh > 23 || om > 59) {
			err = "UTC offset out of range";
			goto out;
		}
		dt->offset_minutes = (oh * 60 + om) * (tok[i] == '-' ? -1 : 1);
		v->type = TOML_DATETIME;
		i += 6;
	}
check_end:
	if (!err && i != len)
		err = "unexpected characters after the date-time";
out:
	if (err)
		return fail_at(p, at.line, at.col, "invalid date-time '%s': %s",
			       quote_text(shown, sizeof shown, tok, len), err);
	return 0;
}

/* Float text with underscores gone, to strtod in the C locale's format. */
static int convert_float(struct parser *p, const char *tok, size_t len, struct toml_pos at,
			 double *out)
{
	char *buf = arena_alloc(p->doc, len + 8);
	const char *dp = localeconv()->decimal_point;
	size_t o = 0, dplen = dp && *dp ? strlen(dp) : 1;
	char shown[96];

	if (!buf || dplen > 4)
		return fail_oom(p);
	for (size_t i = 0; i < len; i++) {
		if (tok[i] == '_')
			continue;
		/* strtod follows LC_NUMERIC: write its decimal point */
		if (tok[i] == '.') {
			memcpy(buf + o, dp && *dp ? dp : ".", dplen);
			o += dplen;
			continue;
		}
		buf[o++] = tok[i];
	}
	buf[o] = '\0';
	errno = 0;
	char *end;
	double d = strtod(buf, &end);
	if (*end)
		return fail_at(p, at.line, at.col, "invalid float '%s'",
			       quote_text(shown, sizeof shown, tok, len));
	if (errno == ERANGE && (d > 1 || d < -1))
		return fail_at(p, at.line, at.col, "float '%s' is out of range",
			       quote_text(shown, sizeof shown, tok, len));
	*out = d;
	return 0;
}

/* A number token being read: its text, where it starts, and the text as
 * messages quote it. */
struct number {
	const char *tok;
	size_t len;
	struct toml_pos at;
	char shown[96];
};

/* 0x, 0o and 0b integers, whose prefix is at TOK[I]: I is 1 when a sign,
 * which they may not have, came first. */
static int parse_prefixed_int(struct parser *p, const struct number *num, size_t i,
			      struct toml_value *v)
{
	const char *tok = num->tok;
	int base = tok[i + 1] == 'x' ? 16 : tok[i + 1] == 'o' ? 8 : 2;
	const char *name = base == 16 ? "hexadecimal" : base == 8 ? "octal" : "binary";
	bool over = false;
	uint64_t mag;

	if (i > 0)
		return fail_at(p, num->at.line, num->at.col, "%s integer '%s' cannot have a sign",
			       name, num->shown);
	i += 2;
	if (!scan_digits(tok, num->len, &i, base, INT64_MAX, &mag, &over) || i != num->len)
		return fail_at(p, num->at.line, num->at.col, "invalid %s integer '%s'", name,
			       num->shown);
	if (over)
		return fail_at(p, num->at.line, num->at.col,
			       "integer '%s' is out of range (64-bit)", num->shown);
	v->type = TOML_INTEGER;
	v->u.integer = (int64_t)mag;
	return 0;
}

/* The digits of a fraction or an exponent at TOK[*I]: NULL, or what is
 * wrong with them (MISSING when there are none). */
static const char *scan_float_digits(const char *tok, size_t len, size_t *i, const char *missing)
{
	uint64_t ignored;
	bool over = false;

	if (*i >= len || !is_digit((unsigned char)tok[*i]))
		return missing;
	if (!scan_digits(tok, len, i, 10, UINT64_MAX, &ignored, &over))
		return "'_' must be between digits";
	return NULL;
}

/* A decimal integer or float whose digits start at TOK[I], after the sign
 * (NEG for '-'). */
static int parse_decimal(struct parser *p, const struct number *num, size_t i, bool neg,
			 struct toml_value *v)
{
	const char *tok = num->tok, *err = NULL;
	size_t len = num->len, int_start = i;
	uint64_t mag, limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	bool over = false;

	if (i >= len || !is_digit((unsigned char)tok[i]))
		return fail_at(p, num->at.line, num->at.col,
			       tok[i < len ? i : 0] == '.'
				       ? "invalid float '%s': expected a digit before '.'"
				       : "invalid number '%s'",
			       num->shown);
	if (!scan_digits(tok, len, &i, 10, limit, &mag, &over))
		return fail_at(p, num->at.line, num->at.col,
			       "invalid number '%s': '_' must be between digits", num->shown);
	if (tok[int_start] == '0' && i - int_start > 1)
		return fail_at(p, num->at.line, num->at.col, "leading zeros are not allowed in '%s'",
			       num->shown);
	if (i == len) {
		if (over)
			return fail_at(p, num->at.line, num->at.col,
				       "integer '%s' is out of range (64-bit)", num->shown);
		v->type = TOML_INTEGER;
		v->u.integer = neg ? (int64_t)(0 - mag) : (int64_t)mag;
		if (neg && mag == (uint64_t)INT64_MAX + 1)
			v->u.integer = INT64_MIN;
		return 0;
	}
	if (tok[i] == '.') {
		i++;
		err = scan_float_digits(tok, len, &i, "expected a digit after '.'");
	}
	if (!err && i < len && (tok[i] == 'e' || tok[i] == 'E')) {
		i++;
		if (i < len && (tok[i] == '+' || tok[i] == '-'))
			i++;
		/* exponents may have leading zeros */
		err = scan_float_digits(tok, len, &i, "expected a digit in the exponent");
	}
	if (err)
		return fail_at(p, num->at.line, num->at.col, "invalid float '%s': %s", num->shown,
			       err);
	if (i != len)
		return fail_at(p, num->at.line, num->at.col,
			       tok[i] == '_' ? "invalid number '%s': '_' must be between digits"
					     : "invalid number '%s'",
			       num->shown);
	v->type = TOML_FLOAT;
	return convert_float(p, tok, len, num->at, &v->u.fp);
}

static int parse_number(struct parser *p, const char *tok, size_t len, struct toml_pos at,
			struct toml_value *v)
{
	struct number num = { tok, len, at, "" };
	size_t i = 0;
	bool neg = false;

	quote_text(num.shown, sizeof num.shown, tok, len);
	if (tok[0] == '+' || tok[0] == '-') {
		neg = tok[0] == '-';
		i = 1;
	}
	if (len - i == 3 && (!memcmp(tok + i, "inf", 3) || !memcmp(tok + i, "nan", 3))) {
		v->type = TOML_FLOAT;
		v->u.fp = tok[i] == 'i' ? (double)INFINITY : (double)NAN;
		if (neg)
			v->u.fp = -v->u.fp;
		return 0;
	}
	if (i + 1 < len && tok[i] == '0' && strchr("xob", tok[i + 1]))
		return parse_prefixed_int(p, &num, i, v);
	return parse_decimal(p, &num, i, neg, v);
}

/* A new key PART in T whose value is a new table with FLAGS, written at POS;
 * the key's keyval, or NULL after an error. */
static struct toml_keyval *add_table_key(struct parser *p, struct toml_table *t,
					 const struct key_part *part, unsigned flags,
					 struct toml_pos pos)
{
	struct toml_table *sub = new_table(p, flags);
	struct toml_keyval *kv;

	if (!sub || !(kv = table_add(p, t, part)))
		return NULL;
	kv->value.type = TOML_TABLE;
	kv->value.pos = pos;
	kv->value.u.table = sub;
	return kv;
}

/* A number, a date-time, inf or nan: the token runs over the characters
 * these can contain (and a space between date and time). */
static int parse_scalar_token(struct parser *p, struct toml_value *v)
{
	size_t start = p->pos;

	while (token_char(peek(p)))
		advance(p);
	/* "1979-05-27 07:32:00": a space may separate date and time */
	if (p->pos - start == 10 && p->s[start + 4] == '-' && peek(p) == ' ' &&
	    is_digit(peek_at(p, 1)) && is_digit(peek_at(p, 2)) && peek_at(p, 3) == ':') {
		advance(p);
		while (token_char(peek(p)))
			advance(p);
	}
	const char *tok = (const char *)p->s + start;
	size_t len = p->pos - start;
	bool date_like = (len >= 5 && tok[4] == '-' && is_digit((unsigned char)tok[0])) ||
			 (len >= 3 && tok[2] == ':' && is_digit((unsigned char)tok[0]));
	if (date_like)
		return parse_datetime(p, tok, len, v->pos, v);
	return parse_number(p, tok, len, v->pos, v);
}

static int parse_array(struct parser *p, struct toml_value *v)
{
	char buf[32];
	struct toml_array *a = new_array(p, AF_STATIC);

	if (!a)
		return -1;
	v->type = TOML_ARRAY;
	v->u.array = a;
	advance(p); /* [ */
	for (;;) {
		skip_ws_comments_newlines(p);
		if (peek(p) == ']')
			break;
		struct toml_value *item = array_add(p, a);
		if (!item || parse_value(p, item) < 0)
			return -1;
		skip_ws_comments_newlines(p);
		if (peek(p) == ',') {
			advance(p);
			continue;
		}
		if (peek(p) == ']')
			break;
		return fail(p, "expected ',' or ']' in array, found %s",
			    describe_here(p, buf, sizeof buf));
	}
	advance(p); /* ] */
	return 0;
}

static int add_keyval(struct parser *p, struct toml_table *t, const struct key_part *parts,
		      size_t n, struct toml_keyval **out);

static int parse_inline_table(struct parser *p, struct toml_value *v)
{
	char buf[32];
	struct toml_table *t = new_table(p, 0);

	if (!t)
		return -1;
	v->type = TOML_TABLE;
	v->u.table = t;
	advance(p); /* { */
	skip_ws(p);
	if (peek(p) == '}') {
		advance(p);
		t->flags |= TF_INLINE;
		return 0;
	}
	for (;;) {
		struct key_part *parts;
		size_t n;
		struct toml_keyval *kv;

		skip_ws(p);
		if (at_newline(p))
			return fail(p, "newlines are not allowed in an inline table");
		if (peek(p) == '}')
			return fail(p, "trailing comma is not allowed in an inline table");
		if (parse_key(p, &parts, &n) < 0)
			return -1;
		if (peek(p) != '=')
			return fail(p, "expected '=' after key, found %s",
				    describe_here(p, buf, sizeof buf));
		advance(p);
		skip_ws(p);
		if (add_keyval(p, t, parts, n, &kv) < 0 || parse_value(p, &kv->value) < 0)
			return -1;
		skip_ws(p);
		if (peek(p) == ',') {
			advance(p);
			continue;
		}
		if (peek(p) == '}')
			break;
		if (at_newline(p))
			return fail(p, "newlines are not allowed in an inline table");
		return fail(p, "expected ',' or '}' in inline table, found %s",
			    describe_here(p, buf, sizeof buf));
	}
	advance(p); /* } */
	/* from here on, neither headers nor dotted keys may add to it; tables
	 * made by dotted keys inside it are reached only through it */
	t->flags |= TF_INLINE;
	return 0;
}

static int parse_value(struct parser *p, struct toml_value *v)
{
	char buf[32];
	int c = peek(p), rc;

	v->pos = here(p);
	switch (c) {
	case '"':
	case '\'':
		v->type = TOML_STRING;
		return parse_string(p, true, &v->u.str.ptr, &v->u.str.len);
	case '[':
	case '{':
		if (p->depth >= MAX_DEPTH)
			return fail(p, "arrays and inline tables nested too deeply (more than %d)",
				    MAX_DEPTH);
		p->depth++;
		rc = c == '[' ? parse_array(p, v) : parse_inline_table(p, v);
		p->depth--;
		return rc;
	case 't':
	case 'f': {
		const char *word = c == 't' ? "true" : "false";
		size_t n = strlen(word);
		if (p->len - p->pos >= n && !memcmp(p->s + p->pos, word, n) &&
		    !is_bare_key_char(peek_at(p, n))) {
			v->type = TOML_BOOL;
			v->u.boolean = c == 't';
			advance_n(p, n);
			return 0;
		}
		break;
	}
	default:
		if (is_digit(c) || c == '+' || c == '-' || c == '.' || c == 'i' || c == 'n')
			return parse_scalar_token(p, v);
		break;
	}
	if (at_end(p) || at_newline(p) || c == '#')
		return fail(p, "expected a value");
	return fail(p, "expected a value, found %s", describe_here(p, buf, sizeof buf));
}

/* ---- tables and keys ---- */

/* Walk the dotted key PARTS[0..N-1) from T for a key/value line, creating
 * tables as needed, then add the last part; *OUT gets the new keyval. */
static int add_keyval(struct parser *p, struct toml_table *t, const struct key_part *parts,
		      size_t n, struct toml_keyval **out)
{
	char path[256];

	for (size_t i = 0; i + 1 < n; i++) {
		struct toml_keyval *kv = index_find(p, t, parts[i].str, parts[i].len);
		if (!kv) {
			if (!(kv = add_table_key(p, t, &parts[i], TF_DOTTED, parts[i].pos)))
				return -1;
			t = kv->value.u.table;
			continue;
		}
		if (kv->value.type != TOML_TABLE)
			return fail_at(p, parts[i].pos.line, parts[i].pos.col,
				       "cannot add keys to '%s': it is %s (defined at %d:%d)",
				       key_path(path, sizeof path, parts, i + 1), value_kind(&kv->value),
				       kv->keypos.line, kv->keypos.col);
		struct toml_table *sub = kv->value.u.table;
		if (sub->flags & TF_INLINE)
			return fail_at(p, parts[i].pos.line, parts[i].pos.col,
				       "cannot add keys to inline table '%s' (defined at %d:%d)",
				       key_path(path, sizeof path, parts, i + 1), kv->keypos.line,
				       kv->keypos.col);
		if (sub->flags & TF_HEADER)
			return fail_at(p, parts[i].pos.line, parts[i].pos.col,
				       "cannot add keys to '%s' with dotted keys: it is a table "
				       "with its own [header] (at %d:%d)",
				       key_path(path, sizeof path, parts, i + 1), kv->keypos.line,
				       kv->keypos.col);
		/* a super-table named only in headers becomes a dotted-key table,
		 * which a later [header] may not define */
		if (sub->flags & TF_IMPLICIT) {
			sub->flags = TF_DOTTED;
			kv->keypos = parts[i].pos;
		}
		t = sub;
	}
	const struct key_part *last = &parts[n - 1];
	struct toml_keyval *kv = index_find(p, t, last->str, last->len);
	if (kv)
		return fail_at(p, last->pos.line, last->pos.col,
			       "duplicate key '%s' (first defined at %d:%d)",
			       key_path(path, sizeof path, parts, n), kv->keypos.line, kv->keypos.col);
	if (!(kv = table_add(p, t, last)))
		return -1;
	*out = kv;
	return 0;
}

/* The name of a [header] or [[header]] (AOT) at the cursor, up to and
 * including the closing brackets. */
static int read_header_name(struct parser *p, bool aot, struct key_part **parts, size_t *n)
{
	char buf[32];

	advance_n(p, aot ? 2 : 1);
	skip_ws(p);
	if (parse_key(p, parts, n) < 0)
		return -1;
	if (peek(p) != ']' || (aot && peek_at(p, 1) != ']')) {
		if (aot && peek(p) == ']')
			advance(p); /* report what stands where the second ']' should */
		return fail(p, "expected '%s' after table name, found %s", aot ? "]]" : "]",
			    describe_here(p, buf, sizeof buf));
	}
	advance_n(p, aot ? 2 : 1);
	return 0;
}

/* The table a header names its last part in: PARTS[0..N-1) walked from the
 * root, creating implicit super-tables as needed; NULL after an error. */
static struct toml_table *header_parent(struct parser *p, const struct key_part *parts, size_t n)
{
	struct toml_table *t = &p->doc->root;
	char path[256], prefix[32];

	for (size_t i = 0; i + 1 < n; i++) {
		struct toml_keyval *kv = index_find(p, t, parts[i].str, parts[i].len);
		if (!kv) {
			if (!(kv = add_table_key(p, t, &parts[i], TF_IMPLICIT, parts[i].pos)))
				return NULL;
			t = kv->value.u.table;
			continue;
		}
		struct toml_value *v = &kv->value;
		if (v->type == TOML_ARRAY && (v->u.array->flags & AF_TABLES)) {
			/* a path through an array of tables goes to its last table */
			t = v->u.array->items[v->u.array->count - 1].u.table;
			continue;
		}
		if (v->type != TOML_TABLE || (v->u.table->flags & TF_INLINE)) {
			fail_at(p, parts[i].pos.line, parts[i].pos.col,
				"cannot define table [%s]: '%s' is %s (defined at %d:%d)",
				key_path(path, sizeof path, parts, n),
				key_path(prefix, sizeof prefix, parts, i + 1), value_kind(v),
				kv->keypos.line, kv->keypos.col);
			return NULL;
		}
		t = v->u.table;
	}
	return t;
}

/* [[PATH]] whose last part LAST is in T, written at START: a new table at
 * the end of the array of tables. */
static int open_array_table(struct parser *p, struct toml_table *t, const struct key_part *last,
			    const char *path, struct toml_pos start)
{
	struct toml_keyval *kv = index_find(p, t, last->str, last->len);
	struct toml_array *a;

	if (!kv) {
		if (!(a = new_array(p, AF_TABLES)) || !(kv = table_add(p, t, last)))
			return -1;
		kv->value.type = TOML_ARRAY;
		kv->value.pos = start;
		kv->value.u.array = a;
	} else if (kv->value.type == TOML_ARRAY && (kv->value.u.array->flags & AF_TABLES)) {
		a = kv->value.u.array;
	} else {
		return fail_at(p, start.line, start.col,
			       "cannot define array of tables [[%s]]: it is already %s "
			       "(defined at %d:%d)",
			       path, value_kind(&kv->value), kv->keypos.line, kv->keypos.col);
	}
	struct toml_value *item = array_add(p, a);
	struct toml_table *sub = new_table(p, TF_HEADER);
	if (!item || !sub)
		return -1;
	item->type = TOML_TABLE;
	item->pos = start;
	item->u.table = sub;
	p->current = sub;
	return 0;
}

/* [PATH] whose last part LAST is in T, written at START. */
static int open_table(struct parser *p, struct toml_table *t, const struct key_part *last,
		      const char *path, struct toml_pos start)
{
	struct toml_keyval *kv = index_find(p, t, last->str, last->len);

	if (!kv) {
		if (!(kv = add_table_key(p, t, last, TF_HEADER, start)))
			return -1;
		p->current = kv->value.u.table;
		return 0;
	}
	struct toml_value *v = &kv->value;
	if (v->type == TOML_TABLE && v->u.table->flags == TF_IMPLICIT) {
		/* a super-table may be defined once after its sub-tables */
		v->u.table->flags = TF_HEADER;
		v->pos = start;
		kv->keypos = last->pos;
		p->current = v->u.table;
		return 0;
	}
	if (v->type == TOML_TABLE && (v->u.table->flags & TF_HEADER))
		return fail_at(p, start.line, start.col, "table [%s] defined twice (first at %d:%d)",
			       path, v->pos.line, v->pos.col);
	if (v->type == TOML_TABLE && (v->u.table->flags & TF_DOTTED))
		return fail_at(p, start.line, start.col,
			       "cannot define table [%s]: it was made by dotted keys at %d:%d", path,
			       kv->keypos.line, kv->keypos.col);
	return fail_at(p, start.line, start.col, "cannot define table [%s]: it is already %s "
			"(defined at %d:%d)", path, value_kind(v), kv->keypos.line, kv->keypos.col);
}

/* A [header] or [[header]] line at the cursor. */
static int parse_header(struct parser *p)
{
	struct toml_pos start = here(p);
	bool aot = peek_at(p, 1) == '[';
	struct key_part *parts;
	struct toml_table *t;
	size_t n;
	char path[256];

	if (read_header_name(p, aot, &parts, &n) < 0 || !(t = header_parent(p, parts, n)))
		return -1;
	key_path(path, sizeof path, parts, n);
	if (aot)
		return open_array_table(p, t, &parts[n - 1], path, start);
	return open_table(p, t, &parts[n - 1], path, start);
}

/* After a header or a key/value pair: only whitespace, a comment, then the
 * end of the line. */
static int expect_line_end(struct parser *p, const char *after)
{
	char buf[32];

	skip_ws(p);
	if (peek(p) == '#')
		skip_comment(p);
	if (at_end(p))
		return 0;
	if (at_newline(p)) {
		skip_newline(p);
		return 0;
	}
	return fail(p, "expected a newline after %s, found %s", after,
		    describe_here(p, buf, sizeof buf));
}

/* A key/value line: KEY = VALUE, into the current table. */
static int parse_keyval_line(struct parser *p)
{
	struct key_part *parts;
	struct toml_keyval *kv;
	size_t n;
	char buf[32];

	if (parse_key(p, &parts, &n) < 0)
		return -1;
	if (peek(p) != '=')
		return fail(p, "expected '=' after key, found %s", describe_here(p, buf, sizeof buf));
	advance(p);
	skip_ws(p);
	if (add_keyval(p, p->current, parts, n, &kv) < 0 || parse_value(p, &kv->value) < 0)
		return -1;
	return expect_line_end(p, "value");
}

/* Line by line: blank, a comment, a [header] or a key/value pair. */
static int parse_document(struct parser *p)
{
	p->current = &p->doc->root;
	for (;;) {
		skip_ws(p);
		if (peek(p) == '#')
			skip_comment(p);
		if (at_end(p))
			return 0;
		if (at_newline(p)) {
			skip_newline(p);
		} else if (peek(p) == '[') {
			if (parse_header(p) < 0 || expect_line_end(p, "table header") < 0)
				return -1;
		} else if (parse_keyval_line(p) < 0) {
			return -1;
		}
	}
}

struct toml_doc *toml_parse(const char *text, size_t len, const char *filename,
			    struct ed_diag *diag)
{
	struct parser p = {
		.s = (const unsigned char *)text,
		.len = text ? len : 0,
		.line = 1,
		.col = 1,
		.file = filename,
		.diag = diag,
	};
	int rc;

	ed_diag_clear(diag);
	p.doc = calloc(1, sizeof *p.doc);
	if (!p.doc) {
		fail_oom(&p);
		return NULL;
	}
	p.doc->root.flags = TF_HEADER;
	/* a UTF-8 byte order mark is not part of the document */
	if (p.len >= 3 && !memcmp(p.s, "\xEF\xBB\xBF", 3))
		p.pos = 3;
	rc = check_text(&p);
	if (rc == 0)
		rc = parse_document(&p);
	free(p.index);
	strbuf_release(&p.scratch);
	if (rc < 0) {
		toml_doc_free(p.doc);
		return NULL;
	}
	return p.doc;
}

const struct toml_table *toml_doc_root(const struct toml_doc *doc)
{
	return doc ? &doc->root : NULL;
}

const struct toml_keyval *toml_table_find(const struct toml_table *table, const char *key)
{
	if (!table || !key)
		return NULL;
	size_t len = strlen(key);
	for (size_t i = 0; i < table->count; i++)
		if (table->items[i].keylen == len && !memcmp(table->items[i].key, key, len))
			return &table->items[i];
	return NULL;
}

const struct toml_value *toml_table_get(const struct toml_table *table, const char *key)
{
	const struct toml_keyval *kv = toml_table_find(table, key);
	return kv ? &kv->value : NULL;
}

const char *toml_type_name(enum toml_type type)
{
	switch (type) {
	case TOML_STRING: return "string";
	case TOML_INTEGER: return "integer";
	case TOML_FLOAT: return "float";
	case TOML_BOOL: return "boolean";
	case TOML_DATETIME: return "offset date-time";
	case TOML_DATETIME_LOCAL: return "local date-time";
	case TOML_DATE_LOCAL: return "local date";
	case TOML_TIME_LOCAL: return "local time";
	case TOML_ARRAY: return "array";
	case TOML_TABLE: return "table";
	}
	return "value";
}
