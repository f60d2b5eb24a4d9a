/* pep440.c - PEP 440 versions: parsing, normalisation, ordering, specifiers.
 *
 * Versions are parsed into views of the input (no allocation), so comparing
 * two strings never fails. Numbers are kept as digit strings without leading
 * zeros and compared by length first: PEP 440 puts no bound on them.
 */
#include "extdeps/read/pep440.h"

#include "extdeps/util/strbuf.h"
#include "extdeps/util/util.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A non-negative integer as its digits, leading zeros dropped ("" is 0). */
struct num {
	const char *p;
	size_t n;
};

enum pre_kind { PRE_NONE = -1, PRE_A = 0, PRE_B = 1, PRE_RC = 2 };

struct ver {
	struct num epoch;
	const char *rel; /* "1.02.3": digits and dots, as written */
	size_t rel_len;
	size_t nrel;     /* number of release components */
	enum pre_kind pre;
	struct num pre_n;
	bool has_post;
	struct num post_n;
	bool has_dev;
	struct num dev_n;
	const char *local; /* after '+', as written; NULL when none */
	size_t local_len;
};

static int num_cmp(struct num a, struct num b)
{
	if (a.n != b.n)
		return a.n < b.n ? -1 : 1;
	if (a.n == 0)
		return 0;
	int c = memcmp(a.p, b.p, a.n);
	return c < 0 ? -1 : c > 0;
}

static bool num_is_zero(struct num a)
{
	return a.n == 0;
}

/* Read digits at S[*I]; false when there are none. */
static bool read_num(const char *s, size_t len, size_t *i, struct num *out)
{
	size_t start = *i;

	while (*i < len && isdigit((unsigned char)s[*i]))
		(*i)++;
	if (*i == start)
		return false;
	while (start < *i && s[start] == '0')
		start++;
	out->p = s + start;
	out->n = *i - start;
	return true;
}

static bool is_sep(char c)
{
	return c == '-' || c == '_' || c == '.';
}

/* Match one of WORDS (longest first) case-insensitively at S[I]; returns its
 * index or -1. */
static int match_word(const char *s, size_t len, size_t i, const char *const *words, size_t n,
		      size_t *wlen)
{
	for (size_t w = 0; w < n; w++) {
		size_t l = strlen(words[w]);
		if (l <= len - i && !strncasecmp(s + i, words[w], l)) {
			*wlen = l;
			return (int)w;
		}
	}
	return -1;
}

/* An optional separator then an optional number, after a pre/post/dev label:
 * the separator is taken only when digits follow it, so "1.0a.dev1" still
 * parses (the regex in PEP 440 backtracks the same way). */
static void read_label_num(const char *s, size_t len, size_t *i, struct num *out)
{
	size_t j = *i;

	out->p = s + *i;
	out->n = 0;
	if (j < len && is_sep(s[j]))
		j++;
	if (j < len && isdigit((unsigned char)s[j])) {
		read_num(s, len, &j, out);
		*i = j;
	}
}

/* A pre-, post- or dev-release label [-_.]?WORD[-_.]?N? at S[*I], WORD one
 * of WORDS: its index, with the number in *OUT and *I past the label; -1,
 * and nothing moved, when there is none. */
static int read_label(const char *s, size_t len, size_t *i, const char *const *words,
		      size_t nwords, struct num *out)
{
	size_t j = *i, wl;
	int w;

	if (j < len && is_sep(s[j]))
		j++;
	if ((w = match_word(s, len, j, words, nwords, &wl)) < 0)
		return -1;
	*i = j + wl;
	read_label_num(s, len, i, out);
	return w;
}

/* [N!]N(.N)* at S[*I]: the epoch and the release. */
static bool read_release(const char *s, size_t len, size_t *i, struct ver *v)
{
	size_t j = *i;
	struct num n;

	if (!read_num(s, len, &j, &n))
		return false;
	if (j < len && s[j] == '!') {
		v->epoch = n;
		*i = j + 1;
	}
	v->rel = s + *i;
	for (;;) {
		if (!read_num(s, len, i, &n))
			return false;
		v->nrel++;
		if (*i + 1 < len && s[*i] == '.' && isdigit((unsigned char)s[*i + 1]))
			(*i)++;
		else
			break;
	}
	v->rel_len = (size_t)(s + *i - v->rel);
	return true;
}

/* The local label at S[*I], after its '+': [a-z0-9]+([-_.][a-z0-9]+)* */
static bool read_local(const char *s, size_t len, size_t *i, struct ver *v)
{
	v->local = s + *i;
	for (;;) {
		size_t start = *i;
		while (*i < len && isalnum((unsigned char)s[*i]))
			(*i)++;
		if (*i == start)
			return false;
		if (*i < len && is_sep(s[*i]))
			(*i)++;
		else
			break;
	}
	v->local_len = (size_t)(s + *i - v->local);
	return true;
}

static bool parse_ver(const char *s, size_t len, struct ver *v)
{
	/* longest spelling first: "alpha" before "a", "preview" before "pre" */
	static const char *const pre_words[] = { "alpha", "a", "beta", "b", "preview", "pre",
						 "rc", "c" };
	static const enum pre_kind pre_kinds[] = { PRE_A, PRE_A, PRE_B, PRE_B,
						   PRE_RC, PRE_RC, PRE_RC, PRE_RC };
	static const char *const post_words[] = { "post", "rev", "r" };
	static const char *const dev_words[] = { "dev" };
	size_t i = 0;
	int w;

	memset(v, 0, sizeof *v);
	v->pre = PRE_NONE;
	if (!s)
		return false;
	if (i < len && (s[i] == 'v' || s[i] == 'V'))
		i++;
	if (!read_release(s, len, &i, v))
		return false;
	/* pre-release: [-_.]?(alpha|a|beta|b|preview|pre|c|rc)[-_.]?N? */
	if ((w = read_label(s, len, &i, pre_words, 8, &v->pre_n)) >= 0)
		v->pre = pre_kinds[w];
	/* post-release: -N or [-_.]?(post|rev|r)[-_.]?N? */
	if (i + 1 < len && s[i] == '-' && isdigit((unsigned char)s[i + 1])) {
		i++;
		read_num(s, len, &i, &v->post_n);
		v->has_post = true;
	} else {
		v->has_post = read_label(s, len, &i, post_words, 3, &v->post_n) >= 0;
	}
	/* dev-release: [-_.]?dev[-_.]?N? */
	v->has_dev = read_label(s, len, &i, dev_words, 1, &v->dev_n) >= 0;
	if (i < len && s[i] == '+') {
		i++;
		if (!read_local(s, len, &i, v))
			return false;
	}
	return i == len;
}

bool pep440_valid(const char *s)
{
	struct ver v;

	return s && parse_ver(s, strlen(s), &v);
}

/* The K-th release component (0-based); missing ones are zero (padding). */
static struct num rel_at(const struct ver *v, size_t k)
{
	struct num n = { "", 0 };
	size_t i = 0, comp = 0;

	while (i < v->rel_len && comp < k) {
		if (v->rel[i] == '.')
			comp++;
		i++;
	}
	if (comp < k)
		return n;
	read_num(v->rel, v->rel_len, &i, &n);
	return n;
}

static int rel_cmp(const struct ver *a, const struct ver *b)
{
	size_t n = a->nrel > b->nrel ? a->nrel : b->nrel;

	for (size_t k = 0; k < n; k++) {
		int c = num_cmp(rel_at(a, k), rel_at(b, k));
		if (c)
			return c;
	}
	return 0;
}

/* Epoch and release only: what PEP 440 calls the base version. */
static int base_cmp(const struct ver *a, const struct ver *b)
{
	int c = num_cmp(a->epoch, b->epoch);
	return c ? c : rel_cmp(a, b);
}

static int int_cmp(int a, int b)
{
	return (a > b) - (a < b);
}

/* Local segments compare part by part: numbers numerically and above any
 * letters, letters case-insensitively; a longer label with an equal prefix
 * sorts later. */
static int local_cmp(const struct ver *a, const struct ver *b)
{
	size_t i = 0, j = 0;

	if (!a->local || !b->local)
		return int_cmp(a->local != NULL, b->local != NULL);
	while (i < a->local_len && j < b->local_len) {
		size_t ai = i, bj = j;
		while (i < a->local_len && !is_sep(a->local[i]))
			i++;
		while (j < b->local_len && !is_sep(b->local[j]))
			j++;
		const char *pa = a->local + ai, *pb = b->local + bj;
		size_t la = i - ai, lb = j - bj;
		bool na = true, nb = true;
		for (size_t k = 0; k < la; k++)
			na = na && isdigit((unsigned char)pa[k]);
		for (size_t k = 0; k < lb; k++)
			nb = nb && isdigit((unsigned char)pb[k]);
		int c;
		if (na && nb) {
			struct num x = { pa, la }, y = { pb, lb };
			while (x.n && *x.p == '0')
				x.p++, x.n--;
			while (y.n && *y.p == '0')
				y.p++, y.n--;
			c = num_cmp(x, y);
		} else if (na != nb) {
			c = na ? 1 : -1;
		} else {
			c = strncasecmp(pa, pb, la < lb ? la : lb);
			c = c ? (c < 0 ? -1 : 1) : int_cmp(la > lb, la < lb);
		}
		if (c)
			return c;
		if (i < a->local_len)
			i++;
		if (j < b->local_len)
			j++;
	}
	return int_cmp(i < a->local_len, j < b->local_len);
}

/* Full ordering without the local label. */
static int public_cmp(const struct ver *a, const struct ver *b)
{
	int c = base_cmp(a, b);
	if (c)
		return c;

	/* a dev release of a final version sorts before its pre-releases:
	 * 1.0.dev0 < 1.0a0; a final sorts after all its pre-releases */
	int pa = a->pre != PRE_NONE ? 0 : (!a->has_post && a->has_dev) ? -1 : 1;
	int pb = b->pre != PRE_NONE ? 0 : (!b->has_post && b->has_dev) ? -1 : 1;
	if ((c = int_cmp(pa, pb)))
		return c;
	if (pa == 0) {
		if ((c = int_cmp((int)a->pre, (int)b->pre)))
			return c;
		if ((c = num_cmp(a->pre_n, b->pre_n)))
			return c;
	}
	if ((c = int_cmp(a->has_post, b->has_post)))
		return c;
	if (a->has_post && (c = num_cmp(a->post_n, b->post_n)))
		return c;
	/* no dev segment sorts after any dev segment */
	if ((c = int_cmp(!a->has_dev, !b->has_dev)))
		return c;
	if (a->has_dev && (c = num_cmp(a->dev_n, b->dev_n)))
		return c;
	return 0;
}

static int ver_cmp(const struct ver *a, const struct ver *b)
{
	int c = public_cmp(a, b);
	return c ? c : local_cmp(a, b);
}

int pep440_cmp(const char *a, const char *b)
{
	struct ver va, vb;
	bool oka = a && parse_ver(a, strlen(a), &va);
	bool okb = b && parse_ver(b, strlen(b), &vb);

	if (oka && okb)
		return ver_cmp(&va, &vb);
	if (oka != okb)
		return oka ? 1 : -1;
	if (!a || !b)
		return int_cmp(a != NULL, b != NULL);
	int c = strcmp(a, b);
	return (c > 0) - (c < 0);
}

/* The digits of N, "0" for zero. */
static void sb_num(struct strbuf *b, struct num n)
{
	if (n.n)
		strbuf_add(b, n.p, n.n);
	else
		strbuf_add(b, "0", 1);
}

/* Append the normalised form of V; PUBLIC_ONLY drops the local label. */
static void ver_format(struct strbuf *b, const struct ver *v, bool public_only)
{
	static const char *const pre_names[] = { "a", "b", "rc" };

	if (!num_is_zero(v->epoch)) {
		sb_num(b, v->epoch);
		strbuf_add(b, "!", 1);
	}
	for (size_t k = 0; k < v->nrel; k++) {
		if (k)
			strbuf_add(b, ".", 1);
		sb_num(b, rel_at(v, k));
	}
	if (v->pre != PRE_NONE) {
		strbuf_addstr(b, pre_names[v->pre]);
		sb_num(b, v->pre_n);
	}
	if (v->has_post) {
		strbuf_addstr(b, ".post");
		sb_num(b, v->post_n);
	}
	if (v->has_dev) {
		strbuf_addstr(b, ".dev");
		sb_num(b, v->dev_n);
	}
	if (v->local && !public_only) {
		strbuf_add(b, "+", 1);
		for (size_t k = 0; k < v->local_len; k++) {
			char c = is_sep(v->local[k]) ? '.' : (char)tolower((unsigned char)v->local[k]);
			strbuf_add(b, &c, 1);
		}
	}
}

char *pep440_normalize(const char *s)
{
	struct ver v;
	struct strbuf b = { 0 };

	if (!s || !parse_ver(s, strlen(s), &v))
		return NULL;
	ver_format(&b, &v, false);
	return strbuf_detach(&b);
}

const char *pep440_op_str(enum pep440_op op)
{
	switch (op) {
	case PEP440_EQ: return "==";
	case PEP440_NE: return "!=";
	case PEP440_LT: return "<";
	case PEP440_LE: return "<=";
	case PEP440_GT: return ">";
	case PEP440_GE: return ">=";
	}
	return "?";
}

void pep440_spec_free(struct pep440_spec *spec)
{
	if (!spec)
		return;
	for (size_t i = 0; i < spec->count; i++)
		free(spec->clauses[i].version);
	free(spec->clauses);
	free(spec);
}

/* Every operator of PEP 440, longest first so "===" is not read as "==". */
enum any_op { OP_ARB, OP_COMPAT, OP_EQ, OP_NE, OP_LE, OP_GE, OP_LT, OP_GT, OP_NONE };
static const char *const any_op_text[] = { "===", "~=", "==", "!=", "<=", ">=", "<", ">" };

static enum any_op read_op(const char *s, size_t len, size_t *i)
{
	for (int o = 0; o < OP_NONE; o++) {
		size_t l = strlen(any_op_text[o]);
		if (l <= len - *i && !memcmp(s + *i, any_op_text[o], l)) {
			*i += l;
			return (enum any_op)o;
		}
	}
	return OP_NONE;
}

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

#define ALLOWED_OPS "'>=', '>', '<', '<=', '=='"

/* Parse one clause S[0..LEN) (already trimmed) into CL. OFF is its offset in
 * the whole text, for error messages. */
static int parse_clause(const char *s, size_t len, size_t off, struct pep440_clause *cl,
			struct ed_parse_err *err)
{
	size_t i = 0;
	enum any_op op = read_op(s, len, &i);
	struct ver v;

	memset(cl, 0, sizeof *cl);
	switch (op) {
	case OP_ARB:
	case OP_COMPAT:
	case OP_NE:
		return ed_parse_err_set(err, off, "operator '%s' is not allowed; use one of "
				       ALLOWED_OPS, any_op_text[op]);
	case OP_EQ:
	case OP_NONE: cl->op = PEP440_EQ; break;
	case OP_LE: cl->op = PEP440_LE; break;
	case OP_GE: cl->op = PEP440_GE; break;
	case OP_LT: cl->op = PEP440_LT; break;
	case OP_GT: cl->op = PEP440_GT; break;
	}
	while (i < len && is_ws(s[i]))
		i++;
	if (i == len)
		return ed_parse_err_set(err, off, "expected a version after '%.*s'", (int)len, s);
	if (op == OP_NONE && !isalnum((unsigned char)s[i]))
		return ed_parse_err_set(err, off, "unknown operator in '%.*s'; use one of "
				       ALLOWED_OPS, (int)len, s);
	const char *vs = s + i;
	size_t vlen = len - i;
	if (vlen >= 2 && vs[vlen - 2] == '.' && vs[vlen - 1] == '*') {
		if (cl->op != PEP440_EQ)
			return ed_parse_err_set(err, off, "'.*' is only allowed with '=='");
		cl->wildcard = true;
		vlen -= 2;
	}
	if (!parse_ver(vs, vlen, &v))
		return ed_parse_err_set(err, off, "invalid version '%.*s'", (int)(len - i), vs);
	if (cl->wildcard && (v.pre != PRE_NONE || v.has_post || v.has_dev || v.local))
		return ed_parse_err_set(err, off, "'.*' must follow a release number such as "
				       "'==1.2.*'");
	if (v.local && cl->op != PEP440_EQ)
		return ed_parse_err_set(err, off, "a local version label ('+%.*s') is only "
				       "allowed with '=='", (int)v.local_len, v.local);

	struct strbuf b = { 0 };
	ver_format(&b, &v, false);
	if (!(cl->version = strbuf_detach(&b)))
		return ed_parse_err_set(err, off, "out of memory");
	return 0;
}

struct pep440_spec *pep440_spec_parse(const char *text, size_t len, struct ed_parse_err *err)
{
	struct pep440_spec *spec = calloc(1, sizeof *spec);
	size_t pos = 0, cap = 0;

	if (!spec) {
		ed_parse_err_set(err, 0, "out of memory");
		return NULL;
	}
	if (!text)
		len = 0;
	for (;;) {
		size_t start = pos, end;
		const char *comma = memchr(text + pos, ',', len - pos);
		size_t stop = comma ? (size_t)(comma - text) : len;

		while (start < stop && is_ws(text[start]))
			start++;
		end = stop;
		while (end > start && is_ws(text[end - 1]))
			end--;
		if (start == end) {
			if (!comma && spec->count == 0)
				ed_parse_err_set(err, start, "expected a version specifier such as "
						 "'>=1.2'");
			else
				ed_parse_err_set(err, start, "empty clause in version specifier");
			goto fail;
		}
		if (!ALLOC_GROW(spec->clauses, spec->count + 1, cap)) {
			ed_parse_err_set(err, start, "out of memory");
			goto fail;
		}
		if (parse_clause(text + start, end - start, start, &spec->clauses[spec->count], err))
			goto fail;
		spec->count++;
		if (!comma)
			break;
		pos = stop + 1;
	}
	return spec;
fail:
	pep440_spec_free(spec);
	return NULL;
}

static bool is_prerelease(const struct ver *v)
{
	return v->pre != PRE_NONE || v->has_dev;
}

/* The release of C, padded with zeros, starts with the release of P and the
 * epochs agree: "==P.*". */
static bool prefix_match(const struct ver *c, const struct ver *p)
{
	if (num_cmp(c->epoch, p->epoch))
		return false;
	for (size_t k = 0; k < p->nrel; k++)
		if (num_cmp(rel_at(c, k), rel_at(p, k)))
			return false;
	return true;
}

/* One comparison with PEP 440 specifier semantics; C is the candidate. */
static bool op_holds(const struct ver *c, enum any_op op, const struct ver *s, bool wildcard)
{
	struct ver cpub = *c;

	/* only "==" and "!=" with a local label in the spec look at the
	 * candidate's local label */
	cpub.local = NULL;
	cpub.local_len = 0;
	switch (op) {
	case OP_EQ:
		if (wildcard)
			return prefix_match(c, s);
		return s->local ? ver_cmp(c, s) == 0 : public_cmp(&cpub, s) == 0;
	case OP_NE:
		return !op_holds(c, OP_EQ, s, wildcard);
	case OP_LE:
		return public_cmp(&cpub, s) <= 0;
	case OP_GE:
		return public_cmp(&cpub, s) >= 0;
	case OP_LT:
		/* "<V" must not match a pre-release of V unless V is one */
		if (!is_prerelease(s) && is_prerelease(c) && base_cmp(c, s) == 0)
			return false;
		return public_cmp(&cpub, s) < 0;
	case OP_GT:
		/* ">V" must not match a post-release of V unless V is one, nor
		 * a local version of V */
		if (!s->has_post && c->has_post && base_cmp(c, s) == 0)
			return false;
		if (c->local && base_cmp(c, s) == 0)
			return false;
		return public_cmp(&cpub, s) > 0;
	case OP_COMPAT: {
		/* ~=X.Y.Z means >=X.Y.Z, ==X.Y.* */
		struct ver prefix = *s;
		if (s->nrel < 2)
			return false;
		prefix.nrel = s->nrel - 1;
		return public_cmp(&cpub, s) >= 0 && prefix_match(c, &prefix);
	}
	case OP_ARB:
	case OP_NONE:
		break;
	}
	return false;
}

bool pep440_spec_contains(const struct pep440_spec *spec, const char *version)
{
	static const enum any_op map[] = {
		[PEP440_EQ] = OP_EQ, [PEP440_NE] = OP_NE, [PEP440_LT] = OP_LT,
		[PEP440_LE] = OP_LE, [PEP440_GT] = OP_GT, [PEP440_GE] = OP_GE,
	};
	struct ver c, s;

	if (!spec || !version || !parse_ver(version, strlen(version), &c))
		return false;
	for (size_t i = 0; i < spec->count; i++) {
		const struct pep440_clause *cl = &spec->clauses[i];
		if ((unsigned)cl->op > PEP440_GE || !cl->version ||
		    !parse_ver(cl->version, strlen(cl->version), &s))
			return false;
		if (!op_holds(&c, map[cl->op], &s, cl->wildcard))
			return false;
	}
	return true;
}

int pep440_op_eval(const char *version, const char *op, const char *other)
{
	struct ver c, s;
	size_t i = 0, olen;
	enum any_op o;
	bool wildcard = false;

	if (!version || !op || !other)
		return -1;
	o = read_op(op, strlen(op), &i);
	if (o == OP_NONE || op[i])
		return -1;
	if (!parse_ver(version, strlen(version), &c))
		return -1;
	if (o == OP_ARB) {
		/* arbitrary equality compares the text (PEP 440) */
		return strcasecmp(version, other) == 0;
	}
	olen = strlen(other);
	if ((o == OP_EQ || o == OP_NE) && olen >= 2 && other[olen - 2] == '.' &&
	    other[olen - 1] == '*') {
		wildcard = true;
		olen -= 2;
	}
	if (!parse_ver(other, olen, &s))
		return -1;
	if (wildcard && (s.pre != PRE_NONE || s.has_post || s.has_dev || s.local))
		return -1;
	if (s.local && o != OP_EQ && o != OP_NE)
		return -1;
	return op_holds(&c, o, &s, wildcard);
}

char *pep440_spec_str(const struct pep440_spec *spec)
{
	struct strbuf b = { 0 };

	if (!spec)
		return NULL;
	for (size_t i = 0; i < spec->count; i++) {
		if (i)
			strbuf_add(&b, ",", 1);
		strbuf_addstr(&b, pep440_op_str(spec->clauses[i].op));
		strbuf_addstr(&b, spec->clauses[i].version ? spec->clauses[i].version : "");
		if (spec->clauses[i].wildcard)
			strbuf_addstr(&b, ".*");
	}
	return strbuf_detach(&b);
}

/* --- ranges --- */

/* One end of a range: a version, or none (unbounded). */
struct bound {
	char v[128];
	bool set, incl;
};

/* Narrow B to V: TIGHTER is the sign of a comparison that makes V the
 * tighter bound (>0 for a lower bound, <0 for an upper one). */
static void narrow(struct bound *b, const char *v, bool incl, int tighter)
{
	int c = b->set ? pep440_cmp(v, b->v) * tighter : 1;

	if (c > 0 || (c == 0 && b->incl && !incl)) {
		snprintf(b->v, sizeof b->v, "%s", v);
		b->set = true;
		b->incl = incl;
	}
}

/* "12.4" -> "12.5": the first release above every "12.4.*". */
static void next_prefix(const char *v, char *out, size_t size)
{
	size_t n = strlen(v), start = n;

	while (start > 0 && v[start - 1] >= '0' && v[start - 1] <= '9')
		start--;
	snprintf(out, size, "%.*s%llu", (int)start, v, strtoull(v + start, NULL, 10) + 1);
}

static void spec_bounds(const struct pep440_spec *spec, struct bound *lo, struct bound *hi)
{
	for (size_t i = 0; spec && i < spec->count; i++) {
		const struct pep440_clause *c = &spec->clauses[i];
		char next[140];

		switch (c->op) {
		case PEP440_GE: narrow(lo, c->version, true, 1); break;
		case PEP440_GT: narrow(lo, c->version, false, 1); break;
		case PEP440_LE: narrow(hi, c->version, true, -1); break;
		case PEP440_LT: narrow(hi, c->version, false, -1); break;
		case PEP440_EQ:
			narrow(lo, c->version, true, 1);
			if (c->wildcard) {
				next_prefix(c->version, next, sizeof next);
				narrow(hi, next, false, -1);
			} else {
				narrow(hi, c->version, true, -1);
			}
			break;
		case PEP440_NE:
			break;
		}
	}
}

bool pep440_spec_overlaps(const struct pep440_spec *a, const struct pep440_spec *b)
{
	struct bound lo = { 0 }, hi = { 0 };
	int c;

	spec_bounds(a, &lo, &hi);
	spec_bounds(b, &lo, &hi);
	if (!lo.set || !hi.set)
		return true;
	c = pep440_cmp(lo.v, hi.v);
	if (c != 0)
		return c < 0;
	/* a single version: it must be admitted at both ends and by every
	 * clause (a "!=" may exclude it) */
	return lo.incl && hi.incl && (!a || pep440_spec_contains(a, lo.v)) &&
	       (!b || pep440_spec_contains(b, lo.v));
}
