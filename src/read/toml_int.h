/* toml_int.h - what the TOML reader's source files share: the parser, the
 * document's arena, errors and the cursor. Not installed; nothing outside
 * src/read/toml*.c includes it. Its functions are prefixed tp_.
 *
 * Layers, each using only those above it:
 *   toml_error.c   errors with their position, text quoted in messages, the
 *                  check of the whole text before parsing
 *   toml_arena.c   the arena, tables and arrays in it, the key index
 *   toml_string.c  strings of the four kinds, escapes decoded
 *   toml_scalar.c  numbers and date-times
 *   toml.c         values, keys, tables and headers, the document; the API
 */
#ifndef EXTDEPS_TOML_INT_H
#define EXTDEPS_TOML_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "extdeps/read/toml.h"
#include "extdeps/util/diag.h"
#include "extdeps/util/strbuf.h"

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

/* A document holds at most this many values (keys and array items), so
 * that no file within the size limit takes gigabytes to hold. */
#define TP_MAX_VALUES 2000000

struct arena_block; /* toml_arena.c */
struct index_slot;  /* toml_arena.c */

struct toml_doc {
	struct arena_block *blocks;
	struct toml_table root;
};

struct parser {
	const unsigned char *s;
	size_t len, pos;
	int line, col;
	const char *file;
	struct ed_diag *diag;       /* the first error */
	struct ed_diags *all;       /* every error, when the caller wants them (or NULL) */
	size_t nerrors;
	bool oom;
	bool too_many;              /* past TP_MAX_VALUES: the reader stops */
	size_t nvalues;
	struct toml_doc *doc;
	int depth;
	bool failed;                /* an error in the statement being read */
	struct toml_table *current; /* the table keyvals go to */
	struct index_slot *index;   /* malloc'd, freed by toml_parse() */
	size_t index_cap, index_used;
	struct strbuf scratch; /* decoded string being built */
};

/* A key as written, one dotted part. */
struct key_part {
	const char *str; /* decoded, in the arena */
	size_t len;
	struct toml_pos pos;
};

/* --- toml_error.c --- */

/* Every function that can fail returns -1 (or NULL, or false) once it has
 * set P's diagnostic; within one statement only the first error is kept,
 * as it is the one that explains the input (the document reader goes on at
 * the next statement when the caller asked for every error). */

/* The error FMT at LINE:COL; -1. */
__attribute__((format(printf, 4, 5)))
int tp_fail_at(struct parser *p, int line, int col, const char *fmt, ...);

/* The error FMT at the cursor; -1. */
#define tp_fail(p, ...) tp_fail_at((p), (p)->line, (p)->col, __VA_ARGS__)

/* Out of memory (ED_EXIT_ENV); -1. */
int tp_fail_oom(struct parser *p);

/* TEXT (LEN bytes) written into BUF (SIZE, at least 16) for a message:
 * printable and bounded, with control characters escaped so a message never
 * carries raw bytes; returns BUF. */
const char *tp_quote_text(char *buf, size_t size, const char *text, size_t len);

/* The character at the cursor for a message: "end of file", "a tab", 'x'...
 * in BUF (SIZE, at least 16) or a literal. */
const char *tp_describe_here(const struct parser *p, char *buf, size_t size);

/* Check the whole text from the cursor before parsing: valid UTF-8 without
 * overlong forms or surrogates, no NUL, no CR outside CRLF, no control
 * character but tab. 0, or -1 with the error at its line and column. */
int tp_check_text(struct parser *p);

/* --- toml_arena.c --- */

/* SIZE bytes (not zeroed) from DOC's arena, freed with the document; NULL
 * when out of memory (the caller reports it). */
void *tp_arena_alloc(struct toml_doc *doc, size_t size);

/* S (LEN bytes, may hold NUL) copied into DOC's arena and NUL-terminated;
 * NULL when out of memory (the caller reports it). */
char *tp_arena_strdup(struct toml_doc *doc, const char *s, size_t len);

/* An empty table or array with FLAGS in the arena; NULL after an error. */
struct toml_table *tp_new_table(struct parser *p, unsigned flags);
struct toml_array *tp_new_array(struct parser *p, unsigned flags);

/* ARENA_GROW's work: *ITEMS holds COUNT items of SIZE bytes in a capacity
 * of *CAP; double it (INITIAL the first time). False after an error. */
bool tp_arena_grow(struct parser *p, void **items, size_t count, size_t *cap, size_t size,
		   size_t initial);

/* Room for one more item in the arena array ARR of COUNT items and capacity
 * CAP (lvalues), as ALLOC_GROW for malloc'd arrays. The old storage stays in
 * the arena, freed with the document. False after an out-of-memory error. */
#define ARENA_GROW(p, arr, count, cap, initial)                                        \
	__extension__({                                                                \
		void *grow_p_ = (arr);                                                 \
		bool grow_ok_ = (count) < (cap) ||                                     \
				tp_arena_grow((p), &grow_p_, (count), &(cap), sizeof *(arr),   \
					      (initial));                                      \
		(arr) = grow_p_;                                                       \
		grow_ok_;                                                              \
	})

/* The keyval of KEY (LEN bytes) in T, through the parser's index; NULL when
 * absent. Valid until T gets another key. */
struct toml_keyval *tp_index_find(const struct parser *p, const struct toml_table *t,
				  const char *key, size_t len);

/* Add KEY to T (the caller has checked it is absent) and to the index;
 * returns the new keyval, whose value the caller fills, or NULL after an
 * error (the document's TP_MAX_VALUES-th value and more among them). */
struct toml_keyval *tp_table_add(struct parser *p, struct toml_table *t,
				 const struct key_part *key);

/* A new zeroed value at the end of A, or NULL after an error (past
 * TP_MAX_VALUES too, as tp_table_add). */
struct toml_value *tp_array_add(struct parser *p, struct toml_array *a);

/* --- toml_string.c --- */

/* A string of any of the four kinds at the cursor into *OUT (decoded, in
 * the arena) and *OUTLEN. ALLOW_MULTI is false for keys. 0 or -1. */
int tp_parse_string(struct parser *p, bool allow_multi, const char **out, size_t *outlen);

/* --- toml_scalar.c --- */

/* A number, a date-time, inf or nan at the cursor into V (whose pos is
 * set). 0 or -1. */
int tp_parse_scalar_token(struct parser *p, struct toml_value *v);

/* --- the cursor: inline, as the scanning loops of every file use it --- */

static inline bool at_end(const struct parser *p)
{
	return p->pos >= p->len;
}

static inline int peek(const struct parser *p)
{
	return p->pos < p->len ? p->s[p->pos] : -1;
}

static inline int peek_at(const struct parser *p, size_t ahead)
{
	return p->len - p->pos > ahead ? p->s[p->pos + ahead] : -1;
}

static inline void advance(struct parser *p)
{
	unsigned char c = p->s[p->pos++];
	if (c == '\n') {
		p->line++;
		p->col = 1;
	} else if ((c & 0xC0) != 0x80) {
		p->col++;
	}
}

static inline void advance_n(struct parser *p, size_t n)
{
	while (n-- > 0)
		advance(p);
}

static inline struct toml_pos here(const struct parser *p)
{
	return (struct toml_pos){ p->line, p->col };
}

static inline void skip_ws(struct parser *p)
{
	while (peek(p) == ' ' || peek(p) == '\t')
		advance(p);
}

/* A newline is LF or CRLF; a lone CR was rejected before parsing. */
static inline bool at_newline(const struct parser *p)
{
	int c = peek(p);
	return c == '\n' || (c == '\r' && peek_at(p, 1) == '\n');
}

static inline void skip_newline(struct parser *p)
{
	if (peek(p) == '\r')
		advance(p);
	advance(p);
}

static inline void skip_comment(struct parser *p)
{
	while (!at_end(p) && !at_newline(p))
		advance(p);
}

static inline bool is_bare_key_char(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-';
}

static inline bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

#endif
