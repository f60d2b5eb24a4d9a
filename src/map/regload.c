/* regload.c - what the loaders of mapping files share: the document (parsed
 * with libyaml's document API, which keeps every node's mark), errors at a
 * node, and typed readers of nodes. The contract is in regload.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extdeps/util/strbuf.h"
#include "extdeps/util/strindex.h"
#include "extdeps/util/util.h"
#include "regload.h"

/* --- errors --- */

/* Column of byte OFF inside scalar N (quotes skipped; exact on one line). */
static int scalar_col(const yaml_node_t *n, size_t off)
{
	int quoted = n->type == YAML_SCALAR_NODE && (n->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
						      n->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE);
	return (int)n->start_mark.column + 1 + quoted + (int)off;
}

static int verr_at(struct reg_ld *ld, int line, int col, const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));

static int verr_at(struct reg_ld *ld, int line, int col, const char *fmt, va_list ap)
{
	char msg[ED_DIAG_MSG_MAX];

	vsnprintf(msg, sizeof msg, fmt, ap);
	return ed_diag_set(ld->d, ED_EXIT_INPUT, ld->file, line, col, "%s", msg);
}

int reg_err(struct reg_ld *ld, const yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = verr_at(ld, n ? (int)n->start_mark.line + 1 : 0, n ? (int)n->start_mark.column + 1 : 0,
		     fmt, ap);
	va_end(ap);
	return rc;
}

int reg_err_off(struct reg_ld *ld, const yaml_node_t *n, size_t off, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = verr_at(ld, (int)n->start_mark.line + 1, scalar_col(n, off), fmt, ap);
	va_end(ap);
	return rc;
}

int reg_oom(struct reg_ld *ld)
{
	return ed_diag_oom(ld->d);
}

/* --- the document --- */

/* JSON escapes libyaml does not take: surrogate pairs (\ud83d\ude00), which
 * YAML writes as one \U escape. Rewritten in place; the text only shrinks. */
static size_t json_fix_surrogates(char *s, size_t len)
{
	size_t r = 0, w = 0;
	bool in_str = false;

	while (r < len) {
		char c = s[r];
		if (in_str && c == '\\' && r + 12 <= len && s[r + 1] == 'u' && s[r + 6] == '\\' &&
		    s[r + 7] == 'u') {
			char hi[5], lo[5];
			unsigned long h, l;
			memcpy(hi, s + r + 2, 4);
			memcpy(lo, s + r + 8, 4);
			hi[4] = lo[4] = '\0';
			h = strtoul(hi, NULL, 16);
			l = strtoul(lo, NULL, 16);
			if (h >= 0xD800 && h <= 0xDBFF && l >= 0xDC00 && l <= 0xDFFF) {
				unsigned long cp = 0x10000 + ((h - 0xD800) << 10) + (l - 0xDC00);
				char buf[11];
				snprintf(buf, sizeof buf, "\\U%08lX", cp);
				memcpy(s + w, buf, 10);
				w += 10;
				r += 12;
				continue;
			}
		}
		if (in_str && c == '\\' && r + 1 < len) {
			s[w++] = s[r++];
			s[w++] = s[r++];
			continue;
		}
		if (c == '"')
			in_str = !in_str;
		s[w++] = s[r++];
	}
	return w;
}

static int yaml_error(struct reg_ld *ld, yaml_parser_t *parser, const char *text, size_t len)
{
	int line = (int)parser->problem_mark.line + 1, col = (int)parser->problem_mark.column + 1;
	const char *problem = parser->problem ? parser->problem : "cannot parse";

	if (parser->error == YAML_MEMORY_ERROR)
		return reg_oom(ld);
	if (parser->error == YAML_READER_ERROR)
		ed_text_linecol(text, len, parser->problem_offset < len ? parser->problem_offset : len,
				&line, &col);
	if (parser->context)
		return ed_diag_set(ld->d, ED_EXIT_INPUT, ld->file, line, col, "%s (%s at %d:%d)",
				   problem, parser->context, (int)parser->context_mark.line + 1,
				   (int)parser->context_mark.column + 1);
	return ed_diag_set(ld->d, ED_EXIT_INPUT, ld->file, line, col, "%s", problem);
}

/* The limits of a mapping file (extdeps-mappings(5)): libyaml's scanner
 * costs time in proportion to the depth of flow collections for every
 * token, so a file nested a hundred thousand levels deep would take
 * minutes; the limits keep every file's cost linear in its size. */
#define MAX_DEPTH 64
#define MAX_NODES 2000000
#define MAX_SCALAR (1u << 20)

/* A first pass over the events, before libyaml's loader builds the document:
 * stops at the first collection deeper than MAX_DEPTH, the node past
 * MAX_NODES, or a scalar longer than MAX_SCALAR. */
static int check_limits(struct reg_ld *ld, const char *text, size_t len)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	size_t depth = 0, nodes = 0;
	int rc = 0;
	bool done = false;

	if (!yaml_parser_initialize(&parser))
		return reg_oom(ld);
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	while (!done && !rc) {
		if (!yaml_parser_parse(&parser, &ev)) {
			rc = yaml_error(ld, &parser, text, len);
			break;
		}
		switch (ev.type) {
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if (++depth > MAX_DEPTH)
				rc = ed_diag_set(ld->d, ED_EXIT_INPUT, ld->file,
						 (int)ev.start_mark.line + 1,
						 (int)ev.start_mark.column + 1,
						 "nested deeper than %d levels", MAX_DEPTH);
			/* fall through */
		case YAML_SCALAR_EVENT:
		case YAML_ALIAS_EVENT:
			if (!rc && ++nodes > MAX_NODES)
				rc = ed_diag_set(ld->d, ED_EXIT_INPUT, ld->file,
						 (int)ev.start_mark.line + 1,
						 (int)ev.start_mark.column + 1,
						 "more than %d values in one file", MAX_NODES);
			if (!rc && ev.type == YAML_SCALAR_EVENT && ev.data.scalar.length > MAX_SCALAR)
				rc = ed_diag_set(ld->d, ED_EXIT_INPUT, ld->file,
						 (int)ev.start_mark.line + 1,
						 (int)ev.start_mark.column + 1,
						 "a value longer than %u bytes", MAX_SCALAR);
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			depth--;
			break;
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	return rc;
}

static int parse(struct reg_ld *ld, const char *text, size_t len)
{
	yaml_parser_t parser;
	int rc;

	if ((rc = check_limits(ld, text, len)))
		return rc;
	if (!yaml_parser_initialize(&parser))
		return reg_oom(ld);
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &ld->doc))
		rc = yaml_error(ld, &parser, text, len);
	yaml_parser_delete(&parser);
	return rc;
}

int reg_ld_open(struct reg_ld *ld, struct registry *reg, const char *name, const char *text,
		size_t len, struct ed_diag *d)
{
	size_t nlen = strlen(name);
	char *copy = NULL;
	int rc;

	memset(ld, 0, sizeof *ld);
	ld->reg = reg;
	ld->d = d;
	ld->file = ra_strdup(&reg->arena, name);
	if (!ld->file)
		return reg_oom(ld);
	if (nlen >= 5 && !strcmp(name + nlen - 5, ".json")) {
		copy = malloc(len ? len : 1);
		if (!copy)
			return reg_oom(ld);
		memcpy(copy, text, len);
		len = json_fix_surrogates(copy, len);
		text = copy;
	}
	rc = parse(ld, text, len);
	free(copy);
	if (rc)
		return rc;
	ld->root = yaml_document_get_root_node(&ld->doc);
	if (!ld->root)
		rc = ed_diag_set(d, ED_EXIT_INPUT, ld->file, 1, 1, "empty document");
	else if (ld->root->type != YAML_MAPPING_NODE)
		rc = reg_err(ld, ld->root, "expected a mapping at the top, found %s",
			     reg_node_kind(ld->root));
	if (rc)
		yaml_document_delete(&ld->doc);
	return rc;
}

void reg_ld_close(struct reg_ld *ld)
{
	yaml_document_delete(&ld->doc);
}

/* --- nodes --- */

yaml_node_t *reg_node(struct reg_ld *ld, int index)
{
	return yaml_document_get_node(&ld->doc, index);
}

struct reg_loc reg_loc_of(struct reg_ld *ld, const yaml_node_t *n)
{
	struct reg_loc loc = { ld->file, (int)n->start_mark.line + 1, (int)n->start_mark.column + 1 };
	return loc;
}

const char *reg_sval(const yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

bool reg_is_plain(const yaml_node_t *n)
{
	return n->type == YAML_SCALAR_NODE && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

bool reg_is_null(const yaml_node_t *n)
{
	const char *v;

	if (!reg_is_plain(n))
		return false;
	v = reg_sval(n);
	return !*v || !strcmp(v, "~") || !strcmp(v, "null") || !strcmp(v, "Null") ||
	       !strcmp(v, "NULL");
}

const char *reg_node_kind(const yaml_node_t *n)
{
	if (n->type == YAML_MAPPING_NODE)
		return "a mapping";
	if (n->type == YAML_SEQUENCE_NODE)
		return "a list";
	if (reg_is_null(n))
		return "null";
	return "a scalar";
}

/* --- readers --- */

/* Duplicate keys: libyaml keeps them, so every mapping is checked here,
 * through an index of its keys (a mapping may hold a hundred thousand). */
static int check_dups(struct reg_ld *ld, yaml_node_t *map)
{
	yaml_node_pair_t *start = map->data.mapping.pairs.start, *top = map->data.mapping.pairs.top;
	struct strindex seen = STRINDEX_INIT;
	int rc = 0;

	for (yaml_node_pair_t *p = start; p < top && !rc; p++) {
		yaml_node_t *k = reg_node(ld, p->key), *prev;
		size_t first;

		if (!k || k->type != YAML_SCALAR_NODE) {
			rc = reg_err(ld, k, "expected a string key, found %s",
				     k ? reg_node_kind(k) : "nothing");
		} else if (strindex_get(&seen, reg_sval(k), &first)) {
			prev = reg_node(ld, start[first].key);
			rc = reg_err(ld, k, "duplicate key '%s' (first at %d:%d)", reg_sval(k),
				     (int)prev->start_mark.line + 1, (int)prev->start_mark.column + 1);
		} else if (!strindex_put(&seen, reg_sval(k), (size_t)(p - start))) {
			rc = reg_oom(ld);
		}
	}
	strindex_fini(&seen);
	return rc;
}

int reg_mapping(struct reg_ld *ld, yaml_node_t *n, const char *what)
{
	if (n->type != YAML_MAPPING_NODE)
		return reg_err(ld, n, "expected %s, found %s", what, reg_node_kind(n));
	return check_dups(ld, n);
}

static int unknown_key(struct reg_ld *ld, yaml_node_t *k, const char *what,
		       const char *const *allowed, size_t nallowed)
{
	const char *near = util_nearest(reg_sval(k), allowed, nallowed);
	struct strbuf list = STRBUF_INIT;
	int rc;

	if (near)
		return reg_err(ld, k, "unknown key '%s' in %s; did you mean '%s'?", reg_sval(k), what,
			       near);
	for (size_t j = 0; j < nallowed; j++)
		strbuf_addf(&list, "%s%s", j ? ", " : "", allowed[j]);
	rc = reg_err(ld, k, "unknown key '%s' in %s (allowed: %s)", reg_sval(k), what,
		     strbuf_str(&list));
	strbuf_release(&list);
	return rc;
}

int reg_keys(struct reg_ld *ld, yaml_node_t *n, const char *what, const char *const *allowed,
	     yaml_node_t **vals, yaml_node_t **keys)
{
	size_t nallowed = 0;
	int rc;

	while (allowed[nallowed])
		nallowed++;
	for (size_t i = 0; i < nallowed; i++) {
		vals[i] = NULL;
		if (keys)
			keys[i] = NULL;
	}
	if (n->type != YAML_MAPPING_NODE)
		return reg_err(ld, n, "expected a mapping for %s, found %s", what, reg_node_kind(n));
	rc = check_dups(ld, n);
	if (rc)
		return rc;
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = reg_node(ld, p->key);
		size_t i;
		for (i = 0; i < nallowed; i++)
			if (strcmp(allowed[i], reg_sval(k)) == 0)
				break;
		if (i == nallowed)
			return unknown_key(ld, k, what, allowed, nallowed);
		vals[i] = reg_node(ld, p->value);
		if (keys)
			keys[i] = k;
	}
	return 0;
}

int reg_string(struct reg_ld *ld, yaml_node_t *n, bool nullable, char **out)
{
	*out = NULL;
	if (nullable && reg_is_null(n))
		return 0;
	if (n->type != YAML_SCALAR_NODE || reg_is_null(n))
		return reg_err(ld, n, "expected a string%s, found %s", nullable ? " or null" : "",
			       reg_node_kind(n));
	*out = ra_strndup(&ld->reg->arena, reg_sval(n), n->data.scalar.length);
	return *out ? 0 : reg_oom(ld);
}

/* Room for N strings (and a NULL) in *OUT and, when LOCS is not NULL, N
 * locations in *LOCS. */
static int alloc_strs(struct reg_ld *ld, size_t n, char ***out, struct reg_loc **locs)
{
	*out = ra_alloc(&ld->reg->arena, (n + 1) * sizeof **out);
	if (locs)
		*locs = ra_alloc(&ld->reg->arena, (n + 1) * sizeof **locs);
	return *out && (!locs || *locs) ? 0 : reg_oom(ld);
}

int reg_strlist(struct reg_ld *ld, yaml_node_t *n, char ***out, size_t *count,
		struct reg_loc **locs)
{
	size_t len;
	int rc;

	*out = NULL;
	*count = 0;
	if (locs)
		*locs = NULL;
	if (n->type != YAML_SEQUENCE_NODE)
		return reg_err(ld, n, "expected a list of strings, found %s", reg_node_kind(n));
	len = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	if ((rc = alloc_strs(ld, len, out, locs)))
		return rc;
	for (size_t i = 0; i < len; i++) {
		yaml_node_t *item = reg_node(ld, n->data.sequence.items.start[i]);
		if (item->type != YAML_SCALAR_NODE || reg_is_null(item))
			return reg_err(ld, item, "expected a list of strings, found %s in it",
				       reg_node_kind(item));
		rc = reg_string(ld, item, false, &(*out)[i]);
		if (rc)
			return rc;
		if (locs)
			(*locs)[i] = reg_loc_of(ld, item);
		(*count)++;
	}
	return 0;
}

int reg_str_or_list(struct reg_ld *ld, yaml_node_t *n, char ***out, size_t *count,
		    struct reg_loc **locs)
{
	int rc;

	if (n->type == YAML_SCALAR_NODE && !reg_is_null(n)) {
		if ((rc = alloc_strs(ld, 1, out, locs)))
			return rc;
		*count = 1;
		if (locs)
			(*locs)[0] = reg_loc_of(ld, n);
		return reg_string(ld, n, false, &(*out)[0]);
	}
	if (n->type != YAML_SEQUENCE_NODE)
		return reg_err(ld, n, "expected a string or a list of strings, found %s",
			       reg_node_kind(n));
	return reg_strlist(ld, n, out, count, locs);
}

int reg_bool(struct reg_ld *ld, yaml_node_t *n, bool *out)
{
	const char *v = n->type == YAML_SCALAR_NODE ? reg_sval(n) : "";

	if (reg_is_plain(n) && (!strcmp(v, "true") || !strcmp(v, "True") || !strcmp(v, "TRUE"))) {
		*out = true;
		return 0;
	}
	if (reg_is_plain(n) && (!strcmp(v, "false") || !strcmp(v, "False") || !strcmp(v, "FALSE"))) {
		*out = false;
		return 0;
	}
	return reg_err(ld, n, "expected true or false, found %s",
		       n->type == YAML_SCALAR_NODE ? v : reg_node_kind(n));
}

int reg_keyword(struct reg_ld *ld, yaml_node_t *n, const char *const *words, size_t *which)
{
	const char *t = n->type == YAML_SCALAR_NODE ? reg_sval(n) : "";
	struct strbuf list = STRBUF_INIT;
	int rc;

	for (size_t i = 0; words[i]; i++)
		if (!strcmp(t, words[i])) {
			*which = i;
			return 0;
		}
	for (size_t i = 0; words[i]; i++)
		strbuf_addf(&list, "%s'%s'", !i ? "" : words[i + 1] ? ", " : " or ", words[i]);
	rc = reg_err(ld, n, "expected %s, found '%s'", strbuf_str(&list),
		     n->type == YAML_SCALAR_NODE ? t : reg_node_kind(n));
	strbuf_release(&list);
	return rc;
}

/* The fixed constraint of alternative S..*E ("name (>=12)"), into
 * SPEC->fixed[SPEC->nalts]; *E is moved back to the end of the name. */
static int parse_fixed(struct reg_ld *ld, yaml_node_t *item, const char *text, const char *s,
		       const char **e, size_t nalts, struct reg_spec *spec)
{
	const char *open = memchr(s, '(', (size_t)(*e - s));
	struct pep440_spec *ps;
	struct ed_parse_err perr;
	char *norm;

	if (!open)
		return 0;
	if ((*e)[-1] != ')')
		return reg_err_off(ld, item, (size_t)(*e - text),
				   "expected ')' after the constraint in '%s'", text);
	memset(&perr, 0, sizeof perr);
	ps = pep440_spec_parse(open + 1, (size_t)(*e - 1 - (open + 1)), &perr);
	if (!ps)
		return reg_err_off(ld, item, (size_t)(open + 1 - text) + perr.offset,
				   "invalid constraint in '%s': %s", text, perr.msg);
	norm = pep440_spec_str(ps);
	pep440_spec_free(ps);
	if (!spec->fixed)
		spec->fixed = ra_alloc(&ld->reg->arena, (nalts + 1) * sizeof *spec->fixed);
	if (!norm || !spec->fixed || !(spec->fixed[spec->nalts] = ra_strdup(&ld->reg->arena, norm))) {
		free(norm);
		return reg_oom(ld);
	}
	free(norm);
	for (*e = open; *e > s && (*e)[-1] == ' ';)
		--*e;
	return 0;
}

/* One spec of list item ITEM (its text TEXT): alternatives split at '|',
 * each a package name with, maybe, a fixed constraint in parentheses. */
static int parse_spec(struct reg_ld *ld, yaml_node_t *item, const char *text, const char *eco,
		      enum reg_names rule, struct reg_spec *spec)
{
	const char *p = text;
	size_t nalts = 1;
	int rc;

	for (const char *q = text; *q; q++)
		nalts += *q == '|';
	spec->alts = ra_alloc(&ld->reg->arena, (nalts + 1) * sizeof *spec->alts);
	if (!spec->alts)
		return reg_oom(ld);
	for (;;) {
		const char *end = p + strcspn(p, "|"), *s = p, *e = end;
		size_t bad;
		while (s < e && *s == ' ')
			s++;
		while (e > s && e[-1] == ' ')
			e--;
		if (s < e && (rc = parse_fixed(ld, item, text, s, &e, nalts, spec)))
			return rc;
		if (s == e)
			return reg_err_off(ld, item, (size_t)(s - text), "empty package name in '%s'",
					   text);
		bad = ld->templates ? reg_template_bad(s, (size_t)(e - s), rule, ld->templates)
				    : reg_name_bad(s, (size_t)(e - s), rule);
		if (bad < (size_t)(e - s))
			return reg_err_off(ld, item, (size_t)(s - text) + bad,
					   "'%.*s': '%c' is not allowed in a package name of %s (allowed: %s)",
					   (int)(e - s), s, s[bad], eco, reg_names_allowed(rule));
		spec->alts[spec->nalts] = ra_strndup(&ld->reg->arena, s, (size_t)(e - s));
		if (!spec->alts[spec->nalts])
			return reg_oom(ld);
		spec->nalts++;
		if (!*end)
			return 0;
		p = end + 1;
	}
}

int reg_speclist(struct reg_ld *ld, yaml_node_t *n, const char *eco, enum reg_names rule,
		 struct reg_spec_list *out)
{
	char **items;
	size_t count;
	int rc;

	memset(out, 0, sizeof *out);
	rc = reg_strlist(ld, n, &items, &count, NULL);
	if (rc)
		return rc;
	out->items = ra_alloc(&ld->reg->arena, (count + 1) * sizeof *out->items);
	if (!out->items)
		return reg_oom(ld);
	for (size_t i = 0; i < count; i++) {
		yaml_node_t *item = reg_node(ld, n->data.sequence.items.start[i]);
		if ((rc = parse_spec(ld, item, items[i], eco, rule, &out->items[i])))
			return rc;
		out->count++;
	}
	return 0;
}

int reg_depurl_id(struct reg_ld *ld, yaml_node_t *n, bool allow_version, char **id,
		  char **version)
{
	struct ed_parse_err perr;
	struct depurl *u;
	const char *text;
	size_t idlen;
	int rc = 0;

	*id = NULL;
	if (version)
		*version = NULL;
	if (n->type != YAML_SCALAR_NODE || reg_is_null(n))
		return reg_err(ld, n, "expected a DepURL, found %s", reg_node_kind(n));
	text = reg_sval(n);
	memset(&perr, 0, sizeof perr);
	u = depurl_parse(text, n->data.scalar.length, &perr);
	if (!u)
		return reg_err_off(ld, n, perr.offset, "invalid DepURL '%s': %s", text, perr.msg);
	if (u->nqualifiers || u->subpath || (!allow_version && u->version)) {
		rc = reg_err(ld, n, "'%s': expected a DepURL without %s", text,
			     allow_version ? "qualifiers or subpath" : "version, qualifiers or subpath");
		goto out;
	}
	idlen = strcspn(text, "@");
	if (strlen(u->id) != idlen || strncmp(u->id, text, idlen) != 0) {
		rc = reg_err(ld, n, "write '%.*s' in canonical form: '%s'", (int)idlen, text, u->id);
		goto out;
	}
	*id = ra_strdup(&ld->reg->arena, u->id);
	if (version && u->version) {
		char *norm = u->spec ? pep440_spec_str(u->spec) : NULL;
		*version = ra_strdup(&ld->reg->arena, norm ? norm : u->version);
		free(norm);
		if (!*version)
			rc = reg_oom(ld);
	}
	if (!*id)
		rc = reg_oom(ld);
out:
	depurl_free(u);
	return rc;
}

int reg_names_of(struct reg_ld *ld, const struct reg_ecosystem *eco, enum reg_names *rule)
{
	bool known;

	*rule = reg_eco_names(ld->reg, eco, &known);
	if (!known && !reg_names_later(ld->reg, eco->id))
		return reg_oom(ld);
	return 0;
}

int reg_depurl_keys(struct reg_ld *ld, yaml_node_t *map, char ***ids, size_t *n)
{
	yaml_node_pair_t *start = map->data.mapping.pairs.start;
	size_t count = (size_t)(map->data.mapping.pairs.top - start);
	int rc = 0;

	*n = 0;
	if (!(*ids = malloc((count ? count : 1) * sizeof **ids)))
		return reg_oom(ld);
	for (size_t i = 0; i < count && !rc; i++)
		rc = reg_depurl_id(ld, reg_node(ld, start[i].key), false, &(*ids)[i], NULL);
	if (rc) {
		free(*ids);
		*ids = NULL;
		return rc;
	}
	*n = count;
	return 0;
}
