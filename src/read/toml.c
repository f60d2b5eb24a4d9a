/* toml.c - a TOML 1.0 reader.
 *
 * One pass over the text, recursive descent for values (bounded by
 * MAX_DEPTH), the whole tree in one arena. The redefinition rules of TOML 1.0
 * are kept with a few flags on each table and array (see TF_* and AF_* in
 * toml_int.h). This file holds values, keys, tables and headers, and the
 * document; strings, numbers and date-times, the arena and the errors have
 * files of their own (see toml_int.h).
 */
#include "extdeps/read/toml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "toml_int.h"

/* Arrays and inline tables nested deeper than this are rejected, so no input
 * can exhaust the stack. */
#define MAX_DEPTH 128

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
			if (tp_parse_string(p, false, &part.str, &part.len) < 0)
				return -1;
		} else if (is_bare_key_char(c)) {
			size_t start = p->pos;
			while (is_bare_key_char(peek(p)))
				advance(p);
			part.len = p->pos - start;
			part.str = tp_arena_strdup(p->doc, (const char *)p->s + start, part.len);
			if (!part.str)
				return tp_fail_oom(p);
		} else {
			return tp_fail(p, "expected a key, found %s",
				       tp_describe_here(p, buf, sizeof buf));
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
		tp_quote_text(one, sizeof one, parts[i].str, parts[i].len);
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

/* Whitespace and a comment, then the end of the line or of the text: true
 * when that is what follows (a newline is skipped). */
static bool skip_rest_of_line(struct parser *p)
{
	skip_ws(p);
	if (peek(p) == '#')
		skip_comment(p);
	if (at_newline(p)) {
		skip_newline(p);
		return true;
	}
	return at_end(p);
}

/* Whitespace, comments and newlines, as allowed between array elements. */
static void skip_ws_comments_newlines(struct parser *p)
{
	while (skip_rest_of_line(p) && !at_end(p))
		;
}

/* After an item of an array or an inline table (WHAT), closed by CLOSE: 1
 * after a ',' (skipped), 0 at CLOSE (left to the caller), or -1. */
static int next_item(struct parser *p, int close, const char *what)
{
	char buf[32];

	if (peek(p) == ',') {
		advance(p);
		return 1;
	}
	if (peek(p) == close)
		return 0;
	return tp_fail(p, "expected ',' or '%c' in %s, found %s", close, what,
		       tp_describe_here(p, buf, sizeof buf));
}

static int parse_array(struct parser *p, struct toml_value *v)
{
	struct toml_array *a = tp_new_array(p, AF_STATIC);
	int rc;

	if (!a)
		return -1;
	v->type = TOML_ARRAY;
	v->u.array = a;
	advance(p); /* [ */
	for (;;) {
		skip_ws_comments_newlines(p);
		if (peek(p) == ']')
			break;
		struct toml_value *item = tp_array_add(p, a);
		if (!item || parse_value(p, item) < 0)
			return -1;
		skip_ws_comments_newlines(p);
		if ((rc = next_item(p, ']', "array")) < 0)
			return -1;
		if (rc == 0)
			break;
	}
	advance(p); /* ] */
	return 0;
}

static int add_keyval(struct parser *p, struct toml_table *t, const struct key_part *parts,
		      size_t n, struct toml_keyval **out);

/* KEY = VALUE at the cursor, into T. */
static int parse_keyval(struct parser *p, struct toml_table *t)
{
	struct key_part *parts;
	struct toml_keyval *kv = NULL;
	size_t n;
	char buf[32];

	if (parse_key(p, &parts, &n) < 0)
		return -1;
	if (peek(p) != '=')
		return tp_fail(p, "expected '=' after key, found %s",
			       tp_describe_here(p, buf, sizeof buf));
	advance(p);
	skip_ws(p);
	if (add_keyval(p, t, parts, n, &kv) < 0)
		return -1;
	return parse_value(p, &kv->value);
}

static int parse_inline_table(struct parser *p, struct toml_value *v)
{
	struct toml_table *t = tp_new_table(p, 0);
	int rc;

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
		skip_ws(p);
		if (at_newline(p))
			return tp_fail(p, "newlines are not allowed in an inline table");
		if (peek(p) == '}')
			return tp_fail(p, "trailing comma is not allowed in an inline table");
		if (parse_keyval(p, t) < 0)
			return -1;
		skip_ws(p);
		if (at_newline(p))
			return tp_fail(p, "newlines are not allowed in an inline table");
		if ((rc = next_item(p, '}', "inline table")) < 0)
			return -1;
		if (rc == 0)
			break;
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
		return tp_parse_string(p, true, &v->u.str.ptr, &v->u.str.len);
	case '[':
	case '{':
		if (p->depth >= MAX_DEPTH)
			return tp_fail(p,
				       "arrays and inline tables nested too deeply (more than %d)",
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
			return tp_parse_scalar_token(p, v);
		break;
	}
	if (at_end(p) || at_newline(p) || c == '#')
		return tp_fail(p, "expected a value");
	return tp_fail(p, "expected a value, found %s", tp_describe_here(p, buf, sizeof buf));
}

/* ---- tables and keys ---- */

/* A new key PART in T whose value is a new table with FLAGS, written at POS;
 * the key's keyval, or NULL after an error. */
static struct toml_keyval *add_table_key(struct parser *p, struct toml_table *t,
					 const struct key_part *part, unsigned flags,
					 struct toml_pos pos)
{
	struct toml_table *sub = tp_new_table(p, flags);
	struct toml_keyval *kv;

	if (!sub || !(kv = tp_table_add(p, t, part)))
		return NULL;
	kv->value.type = TOML_TABLE;
	kv->value.pos = pos;
	kv->value.u.table = sub;
	return kv;
}

/* The keyval of PART, a part of a dotted key or a header's path, in T; when
 * absent, a new table with FLAGS, which passes the callers' checks. NULL
 * after an error. */
static struct toml_keyval *path_part(struct parser *p, struct toml_table *t,
				     const struct key_part *part, unsigned flags)
{
	struct toml_keyval *kv = tp_index_find(p, t, part->str, part->len);

	return kv ? kv : add_table_key(p, t, part, flags, part->pos);
}

/* Walk the dotted key PARTS[0..N-1) from T for a key/value line, creating
 * tables as needed, then add the last part; *OUT gets the new keyval. */
static int add_keyval(struct parser *p, struct toml_table *t, const struct key_part *parts,
		      size_t n, struct toml_keyval **out)
{
	char path[256];

	for (size_t i = 0; i + 1 < n; i++) {
		struct toml_keyval *kv = path_part(p, t, &parts[i], TF_DOTTED);
		if (!kv)
			return -1;
		if (kv->value.type != TOML_TABLE)
			return tp_fail_at(p, parts[i].pos.line, parts[i].pos.col,
					  "cannot add keys to '%s': it is %s (defined at %d:%d)",
					  key_path(path, sizeof path, parts, i + 1),
					  value_kind(&kv->value), kv->keypos.line, kv->keypos.col);
		struct toml_table *sub = kv->value.u.table;
		if (sub->flags & TF_INLINE)
			return tp_fail_at(p, parts[i].pos.line, parts[i].pos.col,
					  "cannot add keys to inline table '%s' (defined at %d:%d)",
					  key_path(path, sizeof path, parts, i + 1),
					  kv->keypos.line, kv->keypos.col);
		if (sub->flags & TF_HEADER)
			return tp_fail_at(p, parts[i].pos.line, parts[i].pos.col,
					  "cannot add keys to '%s' with dotted keys: it is a table "
					  "with its own [header] (at %d:%d)",
					  key_path(path, sizeof path, parts, i + 1),
					  kv->keypos.line, kv->keypos.col);
		/* a super-table named only in headers becomes a dotted-key table,
		 * which a later [header] may not define */
		if (sub->flags & TF_IMPLICIT) {
			sub->flags = TF_DOTTED;
			kv->keypos = parts[i].pos;
		}
		t = sub;
	}
	const struct key_part *last = &parts[n - 1];
	struct toml_keyval *kv = tp_index_find(p, t, last->str, last->len);
	if (kv)
		return tp_fail_at(p, last->pos.line, last->pos.col,
				  "duplicate key '%s' (first defined at %d:%d)",
				  key_path(path, sizeof path, parts, n),
				  kv->keypos.line, kv->keypos.col);
	if (!(kv = tp_table_add(p, t, last)))
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
		return tp_fail(p, "expected '%s' after table name, found %s", aot ? "]]" : "]",
			       tp_describe_here(p, buf, sizeof buf));
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
		struct toml_keyval *kv = path_part(p, t, &parts[i], TF_IMPLICIT);
		if (!kv)
			return NULL;
		struct toml_value *v = &kv->value;
		if (v->type == TOML_ARRAY && (v->u.array->flags & AF_TABLES)) {
			/* a path through an array of tables goes to its last table */
			t = v->u.array->items[v->u.array->count - 1].u.table;
			continue;
		}
		if (v->type != TOML_TABLE || (v->u.table->flags & TF_INLINE)) {
			tp_fail_at(p, parts[i].pos.line, parts[i].pos.col,
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
	struct toml_keyval *kv = tp_index_find(p, t, last->str, last->len);
	struct toml_array *a;

	if (!kv) {
		if (!(a = tp_new_array(p, AF_TABLES)) || !(kv = tp_table_add(p, t, last)))
			return -1;
		kv->value.type = TOML_ARRAY;
		kv->value.pos = start;
		kv->value.u.array = a;
	} else if (kv->value.type == TOML_ARRAY && (kv->value.u.array->flags & AF_TABLES)) {
		a = kv->value.u.array;
	} else {
		return tp_fail_at(p, start.line, start.col,
				  "cannot define array of tables [[%s]]: it is already %s "
				  "(defined at %d:%d)",
				  path, value_kind(&kv->value), kv->keypos.line, kv->keypos.col);
	}
	struct toml_value *item = tp_array_add(p, a);
	struct toml_table *sub = tp_new_table(p, TF_HEADER);
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
	struct toml_keyval *kv = tp_index_find(p, t, last->str, last->len);

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
		return tp_fail_at(p, start.line, start.col,
				  "table [%s] defined twice (first at %d:%d)",
				  path, v->pos.line, v->pos.col);
	if (v->type == TOML_TABLE && (v->u.table->flags & TF_DOTTED))
		return tp_fail_at(p, start.line, start.col,
				  "cannot define table [%s]: it was made by dotted keys at %d:%d",
				  path, kv->keypos.line, kv->keypos.col);
	return tp_fail_at(p, start.line, start.col,
			  "cannot define table [%s]: it is already %s (defined at %d:%d)",
			  path, value_kind(v), kv->keypos.line, kv->keypos.col);
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

/* After a header or a key/value pair: nothing but the end of the line. */
static int expect_line_end(struct parser *p, const char *after)
{
	char buf[32];

	if (skip_rest_of_line(p))
		return 0;
	return tp_fail(p, "expected a newline after %s, found %s", after,
		       tp_describe_here(p, buf, sizeof buf));
}

/* Whether the line at the cursor (its first byte) starts a statement the
 * reader can go on at after an error: a [header] in the first column, or
 * a bare (dotted) key and '='. Lines inside a broken array or string, such
 * as "  'dep:generic/zlib',", are not. */
static bool at_statement(const struct parser *p)
{
	size_t i = p->pos;

	if (i < p->len && p->s[i] == '[')
		return true;
	while (i < p->len && (p->s[i] == ' ' || p->s[i] == '\t'))
		i++;
	if (i >= p->len || !is_bare_key_char(p->s[i]))
		return false;
	while (i < p->len && (is_bare_key_char(p->s[i]) || p->s[i] == '.' || p->s[i] == ' ' ||
			      p->s[i] == '\t'))
		i++;
	return i < p->len && p->s[i] == '=';
}

/* After an error in the statement that began on line START_LINE: on to the
 * next line that starts a statement (the error's own line when the
 * statement ran past its first line, as an unclosed array does). */
static void recover(struct parser *p, int start_line)
{
	if (p->line > start_line) {
		while (p->pos > 0 && p->s[p->pos - 1] != '\n')
			p->pos--;
		p->col = 1;
	} else {
		skip_comment(p);
		if (!at_end(p))
			skip_newline(p);
	}
	while (!at_end(p) && !at_statement(p)) {
		skip_comment(p);
		if (!at_end(p))
			skip_newline(p);
	}
	p->failed = false;
	p->depth = 0;
}

/* Line by line: blank, a comment, a [header] or a key/value pair. With
 * P->all, an error ends the statement only: the reader goes on at the
 * next one, so that one run reports what is wrong in the whole file. */
static int parse_document(struct parser *p)
{
	p->current = &p->doc->root;
	while (!at_end(p)) {
		int start_line, rc;

		if (skip_rest_of_line(p))
			continue;
		start_line = p->line;
		if (peek(p) == '[')
			rc = parse_header(p) < 0 || expect_line_end(p, "table header") < 0 ? -1 : 0;
		else
			rc = parse_keyval(p, p->current) < 0 || expect_line_end(p, "value") < 0 ? -1 : 0;
		if (rc < 0 && (!p->all || p->oom || p->too_many))
			return -1;
		if (rc < 0)
			recover(p, start_line);
	}
	return p->nerrors ? -1 : 0;
}

struct toml_doc *toml_parse(const char *text, size_t len, const char *filename,
			    struct ed_diag *diag)
{
	return toml_parse_all(text, len, filename, diag, NULL);
}

struct toml_doc *toml_parse_all(const char *text, size_t len, const char *filename,
				struct ed_diag *diag, struct ed_diags *all)
{
	struct parser p = {
		.s = (const unsigned char *)text,
		.len = text ? len : 0,
		.line = 1,
		.col = 1,
		.file = filename,
		.diag = diag,
		.all = all,
	};
	int rc;

	ed_diag_clear(diag);
	p.doc = calloc(1, sizeof *p.doc);
	if (!p.doc) {
		tp_fail_oom(&p);
		return NULL;
	}
	p.doc->root.flags = TF_HEADER;
	/* a UTF-8 byte order mark is not part of the document */
	if (p.len >= 3 && !memcmp(p.s, "\xEF\xBB\xBF", 3))
		p.pos = 3;
	rc = tp_check_text(&p);
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
