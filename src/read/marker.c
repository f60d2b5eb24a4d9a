/* marker.c - PEP 508 environment markers.
 *
 * `and`/`or` chains are parsed into n-ary nodes with a loop, so only
 * parentheses add recursion; their depth is bounded (MARKER_MAX_DEPTH) so
 * that parsing, evaluating and printing stay shallow on hostile input.
 */
#include "extdeps/read/marker.h"

#include "extdeps/read/pep440.h"
#include "extdeps/util/strbuf.h"
#include "extdeps/util/strindex.h"
#include "extdeps/util/util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

/* A side of a comparison: a variable, `extra`, or a string literal. */
enum side_kind { SIDE_VAR, SIDE_EXTRA, SIDE_STR };

struct side {
	enum side_kind kind;
	enum marker_var var; /* SIDE_VAR */
	char *str;           /* SIDE_STR */
};

enum cmp_op { OP_LT, OP_LE, OP_NE, OP_EQ, OP_GE, OP_GT, OP_COMPAT, OP_ARB, OP_IN, OP_NOT_IN };

static const char *const op_text[] = { "<", "<=", "!=", "==", ">=", ">", "~=", "===", "in",
				       "not in" };

enum node_kind { NODE_CMP, NODE_AND, NODE_OR };

struct marker {
	enum node_kind kind;
	/* NODE_CMP */
	struct side lhs, rhs;
	enum cmp_op op;
	/* NODE_AND, NODE_OR: two or more children */
	struct marker **kids;
	size_t nkids, kids_cap;
};

static const char *const var_names[MARKER_VAR_COUNT] = {
	[MARKER_OS_NAME] = "os_name",
	[MARKER_SYS_PLATFORM] = "sys_platform",
	[MARKER_PLATFORM_MACHINE] = "platform_machine",
	[MARKER_PLATFORM_PYTHON_IMPLEMENTATION] = "platform_python_implementation",
	[MARKER_PLATFORM_RELEASE] = "platform_release",
	[MARKER_PLATFORM_SYSTEM] = "platform_system",
	[MARKER_PLATFORM_VERSION] = "platform_version",
	[MARKER_PYTHON_VERSION] = "python_version",
	[MARKER_PYTHON_FULL_VERSION] = "python_full_version",
	[MARKER_IMPLEMENTATION_NAME] = "implementation_name",
	[MARKER_IMPLEMENTATION_VERSION] = "implementation_version",
};

/* The spellings of older metadata (PEP 345), read as their PEP 508 names. */
static const struct {
	const char *name;
	enum marker_var var;
} legacy_names[] = {
	{ "os.name", MARKER_OS_NAME },
	{ "sys.platform", MARKER_SYS_PLATFORM },
	{ "platform.machine", MARKER_PLATFORM_MACHINE },
	{ "platform.python_implementation", MARKER_PLATFORM_PYTHON_IMPLEMENTATION },
	{ "platform.version", MARKER_PLATFORM_VERSION },
	{ "python_implementation", MARKER_PLATFORM_PYTHON_IMPLEMENTATION },
};

const char *marker_var_name(enum marker_var v)
{
	return (unsigned)v < MARKER_VAR_COUNT ? var_names[v] : "?";
}

char *marker_normalize_name(const char *name)
{
	size_t n = name ? strlen(name) : 0, o = 0;
	char *out = malloc(n + 1);

	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		if (c == '-' || c == '_' || c == '.') {
			while (i + 1 < n && (name[i + 1] == '-' || name[i + 1] == '_' ||
					     name[i + 1] == '.'))
				i++;
			out[o++] = '-';
		} else {
			out[o++] = (char)tolower((unsigned char)c);
		}
	}
	out[o] = '\0';
	return out;
}

void marker_free(struct marker *m)
{
	if (!m)
		return;
	if (m->kind == NODE_CMP) {
		free(m->lhs.str);
		free(m->rhs.str);
	} else {
		for (size_t i = 0; i < m->nkids; i++)
			marker_free(m->kids[i]);
		free(m->kids);
	}
	free(m);
}

/* ---- parsing ---- */

struct parser {
	const char *s;
	size_t len, pos;
	int depth;
	struct ed_parse_err *err;
};

static void skip_ws(struct parser *p)
{
	while (p->pos < p->len && strchr(" \t\n\r\f\v", p->s[p->pos]) && p->s[p->pos])
		p->pos++;
}

static bool is_ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '.';
}

/* The keyword KW at the cursor, followed by a non-identifier character. */
static bool at_keyword(const struct parser *p, const char *kw)
{
	size_t n = strlen(kw);
	return p->len - p->pos >= n && !memcmp(p->s + p->pos, kw, n) &&
	       (p->pos + n == p->len || !is_ident_char(p->s[p->pos + n]));
}

static int parse_side(struct parser *p, struct side *side)
{
	size_t start;

	skip_ws(p);
	start = p->pos;
	if (p->pos == p->len)
		return ed_parse_err_set(p->err, p->pos, "expected a marker variable or a quoted "
					"string");
	char c = p->s[p->pos];
	if (c == '"' || c == '\'') {
		const char *close = memchr(p->s + p->pos + 1, c, p->len - p->pos - 1);
		if (!close)
			return ed_parse_err_set(p->err, start, "unterminated string");
		size_t n = (size_t)(close - (p->s + p->pos + 1));
		if (memchr(p->s + p->pos + 1, '\0', n))
			return ed_parse_err_set(p->err, start, "NUL byte in string");
		if (!(side->str = strndup(p->s + p->pos + 1, n)))
			return ed_parse_err_set(p->err, start, "out of memory");
		side->kind = SIDE_STR;
		p->pos += n + 2;
		return 0;
	}
	while (p->pos < p->len && is_ident_char(p->s[p->pos]))
		p->pos++;
	size_t n = p->pos - start;
	if (n == 0)
		return ed_parse_err_set(p->err, start, "expected a marker variable or a quoted "
					"string");
	if (n == 5 && !memcmp(p->s + start, "extra", 5)) {
		side->kind = SIDE_EXTRA;
		return 0;
	}
	for (int v = 0; v < MARKER_VAR_COUNT; v++) {
		if (strlen(var_names[v]) == n && !memcmp(p->s + start, var_names[v], n)) {
			side->kind = SIDE_VAR;
			side->var = (enum marker_var)v;
			return 0;
		}
	}
	for (size_t i = 0; i < sizeof legacy_names / sizeof *legacy_names; i++) {
		if (strlen(legacy_names[i].name) == n &&
		    !memcmp(p->s + start, legacy_names[i].name, n)) {
			side->kind = SIDE_VAR;
			side->var = legacy_names[i].var;
			return 0;
		}
	}
	return ed_parse_err_set(p->err, start, "unknown marker variable '%.*s'", (int)n,
				p->s + start);
}

static int parse_op(struct parser *p, enum cmp_op *op)
{
	/* longest first: "===" before "==", "<=" before "<" */
	static const enum cmp_op order[] = { OP_ARB, OP_LE, OP_NE, OP_EQ, OP_GE, OP_COMPAT,
					     OP_LT, OP_GT };

	skip_ws(p);
	for (size_t i = 0; i < sizeof order / sizeof *order; i++) {
		size_t n = strlen(op_text[order[i]]);
		if (p->len - p->pos >= n && !memcmp(p->s + p->pos, op_text[order[i]], n)) {
			p->pos += n;
			*op = order[i];
			return 0;
		}
	}
	if (at_keyword(p, "in")) {
		p->pos += 2;
		*op = OP_IN;
		return 0;
	}
	if (at_keyword(p, "not")) {
		size_t save = p->pos;
		p->pos += 3;
		skip_ws(p);
		if (p->pos > save + 3 && at_keyword(p, "in")) {
			p->pos += 2;
			*op = OP_NOT_IN;
			return 0;
		}
		p->pos = save;
		return ed_parse_err_set(p->err, save, "expected 'in' after 'not'");
	}
	return ed_parse_err_set(p->err, p->pos, "expected a comparison operator (<, <=, !=, "
				"==, >=, >, ~=, ===, in, not in)");
}

static struct marker *parse_or(struct parser *p);

static struct marker *parse_expr(struct parser *p)
{
	struct marker *m;

	skip_ws(p);
	if (p->pos < p->len && p->s[p->pos] == '(') {
		size_t open = p->pos;
		if (++p->depth > MARKER_MAX_DEPTH) {
			ed_parse_err_set(p->err, open, "markers nested deeper than %d levels",
					 MARKER_MAX_DEPTH);
			return NULL;
		}
		p->pos++;
		if (!(m = parse_or(p)))
			return NULL;
		skip_ws(p);
		if (p->pos >= p->len || p->s[p->pos] != ')') {
			ed_parse_err_set(p->err, p->pos, "expected ')' to close '(' at offset %zu",
					 open);
			marker_free(m);
			return NULL;
		}
		p->pos++;
		p->depth--;
		return m;
	}
	if (!(m = calloc(1, sizeof *m))) {
		ed_parse_err_set(p->err, p->pos, "out of memory");
		return NULL;
	}
	m->kind = NODE_CMP;
	if (parse_side(p, &m->lhs) || parse_op(p, &m->op) || parse_side(p, &m->rhs)) {
		marker_free(m);
		return NULL;
	}
	return m;
}

/* Append KID to the n-ary node M, merging a child of the same kind so that
 * "a or (b or c)" prints as "a or b or c". */
static int add_kid(struct marker *m, struct marker *kid)
{
	size_t add = kid->kind == m->kind ? kid->nkids : 1;

	if (!ALLOC_GROW(m->kids, m->nkids + add, m->kids_cap))
		return -1;
	if (kid->kind == m->kind) {
		memcpy(m->kids + m->nkids, kid->kids, kid->nkids * sizeof *m->kids);
		m->nkids += kid->nkids;
		free(kid->kids);
		free(kid);
	} else {
		m->kids[m->nkids++] = kid;
	}
	return 0;
}

/* Parse KIND chains: NODE_AND of expressions, NODE_OR of and-chains. */
static struct marker *parse_chain(struct parser *p, enum node_kind kind)
{
	const char *kw = kind == NODE_AND ? "and" : "or";
	struct marker *first = kind == NODE_AND ? parse_expr(p) : parse_chain(p, NODE_AND);
	struct marker *node = NULL;

	if (!first)
		return NULL;
	for (;;) {
		skip_ws(p);
		if (!at_keyword(p, kw))
			break;
		p->pos += strlen(kw);
		struct marker *next = kind == NODE_AND ? parse_expr(p) : parse_chain(p, NODE_AND);
		if (!next)
			goto fail;
		if (!node) {
			if (!(node = calloc(1, sizeof *node))) {
				marker_free(next);
				goto oom;
			}
			node->kind = kind;
			if (add_kid(node, first)) {
				free(node);
				node = NULL;
				marker_free(next);
				goto oom;
			}
			first = NULL;
		}
		if (add_kid(node, next)) {
			marker_free(next);
			goto oom;
		}
	}
	return node ? node : first;
oom:
	ed_parse_err_set(p->err, p->pos, "out of memory");
fail:
	marker_free(first);
	marker_free(node);
	return NULL;
}

static struct marker *parse_or(struct parser *p)
{
	return parse_chain(p, NODE_OR);
}

struct marker *marker_parse(const char *text, size_t len, struct ed_parse_err *err)
{
	struct parser p = { text, text ? len : 0, 0, 0, err };
	struct marker *m;

	skip_ws(&p);
	if (p.pos == p.len) {
		ed_parse_err_set(err, p.pos, "expected an environment marker");
		return NULL;
	}
	if (!(m = parse_or(&p)))
		return NULL;
	skip_ws(&p);
	if (p.pos < p.len) {
		if (p.s[p.pos] == ')')
			ed_parse_err_set(err, p.pos, "unmatched ')'");
		else
			ed_parse_err_set(err, p.pos, "expected 'and', 'or' or the end of the "
					 "marker");
		marker_free(m);
		return NULL;
	}
	return m;
}

/* ---- evaluation ---- */

static bool version_like(enum marker_var v)
{
	return v == MARKER_PYTHON_VERSION || v == MARKER_PYTHON_FULL_VERSION ||
	       v == MARKER_IMPLEMENTATION_VERSION || v == MARKER_PLATFORM_RELEASE;
}

static bool compare(const char *lhs, enum cmp_op op, const char *rhs, bool versions)
{
	int c;

	if (op == OP_IN)
		return strstr(rhs, lhs) != NULL;
	if (op == OP_NOT_IN)
		return strstr(rhs, lhs) == NULL;
	if (versions) {
		/* PEP 508: version semantics when both sides are versions ... */
		int r = pep440_op_eval(lhs, op_text[op], rhs);
		if (r >= 0)
			return r;
	}
	/* ... and Python's string comparison otherwise */
	c = strcmp(lhs, rhs);
	switch (op) {
	case OP_LT: return c < 0;
	case OP_LE: return c <= 0;
	case OP_NE: return c != 0;
	case OP_EQ: return c == 0;
	case OP_GE: return c >= 0;
	case OP_GT: return c > 0;
	case OP_ARB: return c == 0;
	case OP_COMPAT: return false; /* undefined on non-versions */
	case OP_IN:
	case OP_NOT_IN: break;
	}
	return false;
}

static const char *side_value(const struct side *s, const struct marker_env *env,
			      const char *extra)
{
	switch (s->kind) {
	case SIDE_STR: return s->str;
	case SIDE_EXTRA: return extra;
	case SIDE_VAR:
		return env && (unsigned)s->var < MARKER_VAR_COUNT && env->values[s->var]
			       ? env->values[s->var]
			       : "";
	}
	return "";
}

/* `extra == "NAME"` and `extra != "NAME"` (either way round) against the
 * index IX of the selected extras, normalised: constant time, where a
 * project may declare a hundred thousand extras. *OUT the answer; false
 * when M is another comparison. */
static bool eval_extra_indexed(const struct marker *m, const struct strindex *ix, bool *out)
{
	const struct side *lit = m->lhs.kind == SIDE_EXTRA ? &m->rhs : &m->lhs;
	char *norm;
	bool member;

	if (!ix || (m->op != OP_EQ && m->op != OP_NE) || lit->kind != SIDE_STR ||
	    (m->lhs.kind == SIDE_EXTRA) == (m->rhs.kind == SIDE_EXTRA))
		return false;
	if (!(norm = marker_normalize_name(lit->str)))
		return false;
	member = strindex_get(ix, norm, NULL);
	free(norm);
	/* "!=" holds when some selected extra differs from NAME */
	*out = m->op == OP_EQ ? member : ix->n > 1 || (ix->n == 1 && !member);
	return true;
}

static bool eval_cmp(const struct marker *m, const struct marker_env *env,
		     const char *const *extras, size_t nextras, const struct strindex *ix)
{
	bool versions = (m->lhs.kind == SIDE_VAR && version_like(m->lhs.var)) ||
			(m->rhs.kind == SIDE_VAR && version_like(m->rhs.var));
	bool answer;

	if (m->lhs.kind != SIDE_EXTRA && m->rhs.kind != SIDE_EXTRA)
		return compare(side_value(&m->lhs, env, NULL), m->op,
			       side_value(&m->rhs, env, NULL), versions);
	if (eval_extra_indexed(m, ix, &answer))
		return answer;

	/* PEP 685: extras compare as normalised names; true when any selected
	 * extra makes the comparison true */
	for (size_t i = 0; i < nextras; i++) {
		if (!extras[i])
			continue;
		char *l = marker_normalize_name(side_value(&m->lhs, env, extras[i]));
		char *r = marker_normalize_name(side_value(&m->rhs, env, extras[i]));
		bool ok = l && r && compare(l, m->op, r, false);
		free(l);
		free(r);
		if (ok)
			return true;
	}
	return false;
}

bool marker_eval_indexed(const struct marker *m, const struct marker_env *env,
			 const char *const *extras, size_t nextras, const struct strindex *index)
{
	if (!m)
		return false;
	switch (m->kind) {
	case NODE_CMP:
		return eval_cmp(m, env, extras, nextras, index);
	case NODE_AND:
		for (size_t i = 0; i < m->nkids; i++)
			if (!marker_eval_indexed(m->kids[i], env, extras, nextras, index))
				return false;
		return true;
	case NODE_OR:
		for (size_t i = 0; i < m->nkids; i++)
			if (marker_eval_indexed(m->kids[i], env, extras, nextras, index))
				return true;
		return false;
	}
	return false;
}

bool marker_eval(const struct marker *m, const struct marker_env *env,
		 const char *const *extras, size_t nextras)
{
	return marker_eval_indexed(m, env, extras, nextras, NULL);
}

/* ---- printing ---- */

static void put_side(struct strbuf *b, const struct side *s, bool other_is_extra)
{
	switch (s->kind) {
	case SIDE_VAR:
		strbuf_addstr(b, marker_var_name(s->var));
		return;
	case SIDE_EXTRA:
		strbuf_addstr(b, "extra");
		return;
	case SIDE_STR:
		break;
	}
	/* double quotes unless the string holds one (PEP 508 has no escapes) */
	const char *q = strchr(s->str, '"') ? "'" : "\"";
	strbuf_addstr(b, q);
	if (other_is_extra) {
		char *norm = marker_normalize_name(s->str);
		if (!norm)
			b->oom = true;
		else
			strbuf_addstr(b, norm);
		free(norm);
	} else {
		strbuf_addstr(b, s->str);
	}
	strbuf_addstr(b, q);
}

static void put_marker(struct strbuf *b, const struct marker *m)
{
	if (m->kind == NODE_CMP) {
		put_side(b, &m->lhs, m->rhs.kind == SIDE_EXTRA && m->op != OP_IN &&
					     m->op != OP_NOT_IN);
		strbuf_addstr(b, " ");
		strbuf_addstr(b, op_text[m->op]);
		strbuf_addstr(b, " ");
		put_side(b, &m->rhs, m->lhs.kind == SIDE_EXTRA && m->op != OP_IN &&
					     m->op != OP_NOT_IN);
		return;
	}
	for (size_t i = 0; i < m->nkids; i++) {
		if (i)
			strbuf_addstr(b, m->kind == NODE_AND ? " and " : " or ");
		/* only an `or` inside an `and` needs parentheses */
		bool paren = m->kind == NODE_AND && m->kids[i]->kind == NODE_OR;
		if (paren)
			strbuf_addstr(b, "(");
		put_marker(b, m->kids[i]);
		if (paren)
			strbuf_addstr(b, ")");
	}
}

char *marker_str(const struct marker *m)
{
	struct strbuf b = { 0 };

	if (!m)
		return NULL;
	put_marker(&b, m);
	return strbuf_detach(&b);
}

/* The name in `extra == "NAME"` or `"NAME" == extra`, or NULL. */
static const char *extra_eq(const struct marker *m)
{
	if (m->kind != NODE_CMP || m->op != OP_EQ)
		return NULL;
	if (m->lhs.kind == SIDE_EXTRA && m->rhs.kind == SIDE_STR)
		return m->rhs.str;
	if (m->rhs.kind == SIDE_EXTRA && m->lhs.kind == SIDE_STR)
		return m->lhs.str;
	return NULL;
}

char *marker_split_extra(const struct marker *m, char **rest)
{
	const char *name;
	size_t at = 0;

	if (rest)
		*rest = NULL;
	if (!m)
		return NULL;
	if ((name = extra_eq(m)))
		return marker_normalize_name(name);
	if (m->kind != NODE_AND)
		return NULL;
	for (at = 0; at < m->nkids; at++)
		if ((name = extra_eq(m->kids[at])))
			break;
	if (at == m->nkids)
		return NULL;

	/* the rest is the same `and` chain without that clause */
	struct marker tmp = *m;
	struct marker **kids = malloc((m->nkids - 1) * sizeof *kids);
	char *norm = NULL, *text = NULL;
	if (!kids)
		return NULL;
	for (size_t i = 0, k = 0; i < m->nkids; i++)
		if (i != at)
			kids[k++] = m->kids[i];
	tmp.kids = kids;
	tmp.nkids = m->nkids - 1;
	text = marker_str(tmp.nkids == 1 ? kids[0] : &tmp);
	free(kids);
	if (!text || !(norm = marker_normalize_name(name))) {
		free(text);
		return NULL;
	}
	if (rest)
		*rest = text;
	else
		free(text);
	return norm;
}

/* ---- the host environment ---- */

/* Copy S into BUF at *USED; returns the copy, or "" when BUF is full. */
static const char *stash(char *buf, size_t bufsize, size_t *used, const char *s, size_t n)
{
	if (!buf || *used + n + 1 > bufsize)
		return "";
	char *dst = buf + *used;
	memcpy(dst, s, n);
	dst[n] = '\0';
	*used += n + 1;
	return dst;
}

void marker_env_host(struct marker_env *env, char *buf, size_t bufsize)
{
	struct utsname u;
	size_t used = 0;
	const char *py = getenv("EXTDEPS_PYTHON_VERSION");
	const char *sysname = "", *system = "";

	memset(env, 0, sizeof *env);
	env->values[MARKER_OS_NAME] = "posix";
	env->values[MARKER_IMPLEMENTATION_NAME] = "cpython";
	env->values[MARKER_PLATFORM_PYTHON_IMPLEMENTATION] = "CPython";

	if (uname(&u) == 0) {
		system = stash(buf, bufsize, &used, u.sysname, strlen(u.sysname));
		env->values[MARKER_PLATFORM_RELEASE] =
			stash(buf, bufsize, &used, u.release, strlen(u.release));
		env->values[MARKER_PLATFORM_VERSION] =
			stash(buf, bufsize, &used, u.version, strlen(u.version));
		env->values[MARKER_PLATFORM_MACHINE] =
			stash(buf, bufsize, &used, u.machine, strlen(u.machine));
		/* sys.platform is the lower-cased kernel name on Linux and macOS */
		char low[sizeof u.sysname];
		size_t n = strlen(u.sysname);
		for (size_t i = 0; i <= n; i++)
			low[i] = (char)tolower((unsigned char)u.sysname[i]);
		sysname = stash(buf, bufsize, &used, low, n);
	}
	env->values[MARKER_PLATFORM_SYSTEM] = system;
	env->values[MARKER_SYS_PLATFORM] = sysname;

	if (!py || !*py || !pep440_valid(py))
		py = "3.12.0";
	/* python_version is major.minor; python_full_version pads to three */
	size_t n = strlen(py), dots = 0, cut = n;
	for (size_t i = 0; i < n; i++) {
		if (py[i] == '.' && ++dots == 2 && cut == n)
			cut = i;
		if (!isdigit((unsigned char)py[i]) && py[i] != '.' && cut == n)
			cut = i;
	}
	env->values[MARKER_PYTHON_VERSION] = stash(buf, bufsize, &used, py, cut);
	if (dots == 1 && cut == n) {
		char full[64];
		int k = snprintf(full, sizeof full, "%s.0", py);
		env->values[MARKER_PYTHON_FULL_VERSION] =
			k > 0 && (size_t)k < sizeof full ? stash(buf, bufsize, &used, full, (size_t)k)
							  : "";
	} else {
		env->values[MARKER_PYTHON_FULL_VERSION] = stash(buf, bufsize, &used, py, n);
	}
	env->values[MARKER_IMPLEMENTATION_VERSION] = env->values[MARKER_PYTHON_FULL_VERSION];
}
