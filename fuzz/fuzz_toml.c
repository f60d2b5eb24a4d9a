/* libFuzzer target: the TOML reader on arbitrary bytes.
 *
 * Seeds: tests/fixtures/toml/{valid,invalid}. Besides "no crash, no leak,
 * no read past the end" (the input is handed over without a terminating
 * NUL), it checks what the reader promises: a rejected document carries a
 * located message, and every key and value of an accepted one has a
 * position inside the text. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "extdeps/read/toml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_pos(struct toml_pos pos)
{
	if (pos.line < 1 || pos.col < 1)
		abort();
}

/* Walks at most a bounded depth: tables from [a.b.c...] headers can nest as
 * deep as the input is long. */
static void check_value(const struct toml_value *v, int depth)
{
	check_pos(v->pos);
	if (depth > 256)
		return;
	switch (v->type) {
	case TOML_STRING:
		if (!v->u.str.ptr || v->u.str.ptr[v->u.str.len] != '\0')
			abort();
		break;
	case TOML_ARRAY:
		for (size_t i = 0; i < v->u.array->count; i++)
			check_value(&v->u.array->items[i], depth + 1);
		break;
	case TOML_TABLE:
		for (size_t i = 0; i < v->u.table->count; i++) {
			const struct toml_keyval *kv = &v->u.table->items[i];
			check_pos(kv->keypos);
			if (kv->key[kv->keylen] != '\0')
				abort();
			check_value(&kv->value, depth + 1);
		}
		break;
	default:
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ed_diag d;
	struct toml_doc *doc = toml_parse((const char *)data, size, "fuzz.toml", &d);

	if (!doc) {
		struct ed_diags all = { 0 };
		struct ed_diag first;

		if (d.status != ED_EXIT_INPUT && d.status != ED_EXIT_ENV)
			abort();
		if (d.status == ED_EXIT_INPUT && (d.line < 1 || d.col < 1 || !d.msg[0]))
			abort();
		/* going on after errors: the same first error, then others, each
		 * located; never a document */
		if (toml_parse_all((const char *)data, size, "fuzz.toml", &first, &all))
			abort();
		if (d.status == ED_EXIT_INPUT &&
		    (!all.n || strcmp(first.msg, d.msg) || strcmp(all.v[0].msg, d.msg)))
			abort();
		for (size_t i = 0; i < all.n; i++)
			if (all.v[i].line < 1 || all.v[i].col < 1 || !all.v[i].msg[0])
				abort();
		ed_diags_fini(&all);
		return 0;
	}
	const struct toml_table *root = toml_doc_root(doc);
	struct toml_value top = { .type = TOML_TABLE, .pos = { 1, 1 } };
	top.u.table = (struct toml_table *)root;
	check_value(&top, 0);
	toml_doc_free(doc);
	return 0;
}
