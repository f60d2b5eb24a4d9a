/* condaver.c - conda's version order, its rpm-order encoding, match specs. */
#include "extdeps/eco/condaver.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extdeps/util/strbuf.h"
#include "extdeps/util/util.h"

#define MAX_ELEMS 96
#define LOCAL_BASE 500

enum ekind { E_DEV, E_STR, E_INT, E_POST };

struct elem {
	unsigned char kind;
	unsigned char part;  /* 0 version, 1 local */
	unsigned short comp; /* component index within its part */
	unsigned short off, len; /* E_STR: the letters in struct cv's text */
	uint64_t n;          /* E_INT */
};

struct cv {
	uint64_t epoch;
	struct elem e[MAX_ELEMS];
	size_t n;
	char text[CONDAVER_MAX_LEN + 16]; /* the lower-cased version, then extra strings */
	size_t textlen;
};

static bool push(struct cv *v, struct elem el)
{
	if (v->n == MAX_ELEMS)
		return false;
	v->e[v->n++] = el;
	return true;
}

/* Split one component [P, END) of PART into elements. */
static bool parse_comp(struct cv *v, const char *p, const char *end, int part, int comp)
{
	struct elem el = { .part = (unsigned char)part, .comp = (unsigned short)comp };

	if (p == end)
		return false; /* "1..2": an empty component */
	if (!isdigit((unsigned char)*p)) {
		el.kind = E_INT;
		el.n = 0;
		if (!push(v, el))
			return false;
	}
	while (p < end) {
		const char *s = p;

		if (isdigit((unsigned char)*p)) {
			uint64_t n = 0;

			for (; p < end && isdigit((unsigned char)*p); p++) {
				uint64_t digit = (uint64_t)(*p - '0');

				if (n > (UINT64_MAX - digit) / 10)
					return false;
				n = n * 10 + digit;
			}
			el.kind = E_INT;
			el.n = n;
		} else {
			while (p < end && !isdigit((unsigned char)*p))
				p++;
			if (p - s == 4 && !memcmp(s, "post", 4)) {
				el.kind = E_POST;
			} else if (p - s == 3 && !memcmp(s, "dev", 3)) {
				el.kind = E_DEV;
			} else {
				el.kind = E_STR;
				el.off = (unsigned short)(s - v->text);
				el.len = (unsigned short)(p - s);
			}
		}
		if (!push(v, el))
			return false;
	}
	return true;
}

static bool parse_part(struct cv *v, char *p, char *end, int part)
{
	int comp = 0;

	while (true) {
		char *dot = p;

		while (dot < end && *dot != '.' && *dot != '_')
			dot++;
		if (!parse_comp(v, p, dot, part, comp++))
			return false;
		if (dot == end)
			return true;
		p = dot + 1;
	}
}

/* conda's VersionOrder parse. */
static bool cv_parse(const char *s, struct cv *v)
{
	size_t len;
	char *t, *bang, *plus, *vstart, *vend;
	bool has_us = false, has_dash = false;

	memset(v, 0, offsetof(struct cv, e));
	v->n = 0;
	while (isspace((unsigned char)*s))
		s++;
	len = strlen(s);
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	if (!len || len > CONDAVER_MAX_LEN)
		return false;
	t = v->text;
	for (size_t i = 0; i < len; i++) {
		char c = (char)tolower((unsigned char)s[i]);

		has_us |= c == '_';
		has_dash |= c == '-';
		t[i] = c;
	}
	t[len] = '\0';
	v->textlen = len + 1;
	/* '-' may separate components only when no '_' does */
	if (has_dash && has_us)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (t[i] == '-')
			t[i] = '_';
		if (!islower((unsigned char)t[i]) && !isdigit((unsigned char)t[i]) &&
		    !strchr(".+!_", t[i]))
			return false;
	}
	bang = strchr(t, '!');
	vstart = t;
	if (bang) {
		uint64_t ep = 0;

		if (strchr(bang + 1, '!') || bang == t)
			return false;
		for (char *p = t; p < bang; p++) {
			if (!isdigit((unsigned char)*p) || ep > (UINT64_MAX - 9) / 10)
				return false;
			ep = ep * 10 + (uint64_t)(*p - '0');
		}
		v->epoch = ep;
		vstart = bang + 1;
	}
	plus = strchr(vstart, '+');
	vend = plus ? plus : t + len;
	if (plus && strchr(plus + 1, '+'))
		return false;
	if (!parse_part(v, vstart, vend, 0))
		return false;
	if (plus && !parse_part(v, plus + 1, t + len, 1))
		return false;
	return true;
}

bool condaver_valid(const char *s)
{
	struct cv v;

	return s && cv_parse(s, &v);
}

/* --- conda's comparison, element by element --- */

/* Elements [*I, ...) of component COMP of PART: the range [*I, *J). */
static void comp_range(const struct cv *v, size_t *i, int part, int comp, size_t *j)
{
	*j = *i;
	while (*j < v->n && v->e[*j].part == part && v->e[*j].comp == comp)
		(*j)++;
}

static int elem_cmp(const struct cv *va, const struct elem *a, const struct cv *vb,
		    const struct elem *b)
{
	/* the order of kinds: dev < strings < numbers < post */
	static const int rank[] = { [E_DEV] = 0, [E_STR] = 1, [E_INT] = 2, [E_POST] = 3 };

	if (rank[a->kind] != rank[b->kind])
		return rank[a->kind] < rank[b->kind] ? -1 : 1;
	if (a->kind == E_INT)
		return a->n < b->n ? -1 : a->n > b->n;
	if (a->kind == E_STR) {
		size_t m = a->len < b->len ? a->len : b->len;
		int r = memcmp(va->text + a->off, vb->text + b->off, m);

		if (r)
			return r < 0 ? -1 : 1;
		return a->len < b->len ? -1 : a->len > b->len;
	}
	return 0;
}

static int ncomps(const struct cv *v, int part)
{
	int n = 0;

	for (size_t i = 0; i < v->n; i++)
		if (v->e[i].part == part && v->e[i].comp + 1 > n)
			n = v->e[i].comp + 1;
	return n;
}

static size_t part_start(const struct cv *v, int part)
{
	size_t i = 0;

	while (i < v->n && v->e[i].part < part)
		i++;
	return i;
}

static int cv_cmp(const struct cv *a, const struct cv *b)
{
	static const struct elem zero = { .kind = E_INT };

	if (a->epoch != b->epoch)
		return a->epoch < b->epoch ? -1 : 1;
	for (int part = 0; part < 2; part++) {
		int na = ncomps(a, part), nb = ncomps(b, part);
		size_t ia = part_start(a, part), ib = part_start(b, part);

		for (int c = 0; c < (na > nb ? na : nb); c++) {
			size_t ja, jb;

			comp_range(a, &ia, part, c, &ja);
			comp_range(b, &ib, part, c, &jb);
			for (size_t k = 0; k < ja - ia || k < jb - ib; k++) {
				const struct elem *x = k < ja - ia ? &a->e[ia + k] : &zero;
				const struct elem *y = k < jb - ib ? &b->e[ib + k] : &zero;
				int r = elem_cmp(a, x, b, y);

				if (r)
					return r;
			}
			ia = ja;
			ib = jb;
		}
	}
	return 0;
}

int condaver_cmp(const char *a, const char *b)
{
	struct cv *va = malloc(sizeof *va), *vb = malloc(sizeof *vb);
	bool oka, okb;
	int r;

	if (!va || !vb) {
		free(va);
		free(vb);
		return strcmp(a, b);
	}
	oka = cv_parse(a, va);
	okb = cv_parse(b, vb);
	if (oka && okb)
		r = cv_cmp(va, vb);
	else if (oka != okb)
		r = oka ? 1 : -1;
	else
		r = strcmp(a, b);
	r = r < 0 ? -1 : r > 0;
	free(va);
	free(vb);
	return r;
}

/* --- the encoding --- */

struct outbuf {
	char *p;
	size_t size, len;
	bool overflow;
};

static void put(struct outbuf *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct outbuf *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->overflow)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->p + o->len, o->size - o->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= o->size - o->len)
		o->overflow = true;
	else
		o->len += (size_t)n;
}

static bool cv_encode(const struct cv *v, char *out, size_t size)
{
	struct outbuf o = { .p = out, .size = size };

	if (!size)
		return false;
	out[0] = '\0';
	if (v->epoch)
		put(&o, "%" PRIu64 ":", v->epoch);
	/* a constant first token: "0" (all zeros) must not be empty */
	put(&o, "0");
	for (size_t i = 0; i < v->n;) {
		int part = v->e[i].part, comp = v->e[i].comp;
		size_t j, end;
		int index = comp + (part ? LOCAL_BASE : 0);
		bool after;

		comp_range(v, &i, part, comp, &j);
		/* trailing zeros are padding: "1.0" == "1" */
		end = j;
		while (end > i && v->e[end - 1].kind == E_INT && v->e[end - 1].n == 0)
			end--;
		if (end == i) {
			i = j;
			continue;
		}
		if (index > 998)
			return false;
		/* a component sorts after an absent one when it starts with a
		 * number above 0 or with 0 then 'post' */
		after = v->e[i].kind == E_POST || (v->e[i].kind == E_INT && v->e[i].n > 0) ||
			(v->e[i].kind == E_INT && end - i > 1 && v->e[i + 1].kind == E_POST);
		if (after)
			put(&o, "d%d", 999 - index);
		else
			put(&o, "~h%d", index);
		for (size_t k = i; k < end; k++) {
			const struct elem *el = &v->e[k];

			switch (el->kind) {
			case E_DEV:
				put(&o, "~~a0");
				break;
			case E_STR:
				put(&o, "~~b%.*s0", (int)el->len, v->text + el->off);
				break;
			case E_POST:
				put(&o, "p0");
				break;
			case E_INT:
				if (el->n > 0)
					put(&o, "i%" PRIu64, el->n);
				else if (k + 1 < end && v->e[k + 1].kind == E_POST)
					put(&o, "f0");
				else
					put(&o, "~~c0");
				break;
			}
		}
		i = j;
	}
	return !o.overflow;
}

bool condaver_encode(const char *s, char *out, size_t size)
{
	struct cv *v = malloc(sizeof *v);
	bool ok;

	if (!v)
		return false;
	ok = cv_parse(s, v) && cv_encode(v, out, size);
	free(v);
	return ok;
}

/* --- startswith bounds --- */

/* The bounds of "P.*" as versions: every version whose elements up to P's
 * last equal P's (the last one compared as a prefix when a string) lies in
 * [LO, HI), but for versions below P's last element followed by 'dev'. */
static bool prefix_bounds_cv(const struct cv *p, struct cv *lo, struct cv *hi, bool *has_hi)
{
	struct elem last, zero, dev = { .kind = E_DEV };

	if (!p->n)
		return false;
	last = p->e[p->n - 1];
	zero = (struct elem){ .kind = E_INT, .part = last.part, .comp = last.comp };
	dev.part = last.part;
	dev.comp = last.comp;
	*lo = *p;
	*hi = *p;
	*has_hi = true;
	if (last.kind != E_INT && !push(lo, zero))
		return false;
	if (!push(lo, dev))
		return false;
	switch (last.kind) {
	case E_INT:
		hi->e[hi->n - 1].n++;
		return push(hi, dev);
	case E_DEV:
		/* the smallest string above 'dev' */
		if (hi->textlen + 1 > sizeof hi->text)
			return false;
		hi->text[hi->textlen] = 'a';
		hi->e[hi->n - 1] = (struct elem){ .kind = E_STR, .part = last.part,
						  .comp = last.comp,
						  .off = (unsigned short)hi->textlen, .len = 1 };
		hi->textlen++;
		return true;
	case E_STR: {
		/* the first string that no longer starts with it */
		size_t len = last.len;
		char *s = hi->text + hi->textlen;

		if (hi->textlen + len > sizeof hi->text)
			return false;
		memcpy(s, hi->text + last.off, len);
		while (len && s[len - 1] == 'z')
			len--;
		if (!len) {
			hi->n--; /* every string sorts below the number 0 */
			return true;
		}
		s[len - 1]++;
		hi->e[hi->n - 1].off = (unsigned short)hi->textlen;
		hi->e[hi->n - 1].len = (unsigned short)len;
		hi->textlen += len;
		return true;
	}
	default:
		*has_hi = false; /* nothing sorts above 'post' */
		return true;
	}
}

bool condaver_prefix_bounds(const char *v, char *lower, size_t lsize, char *upper, size_t usize)
{
	struct cv *p = malloc(3 * sizeof *p);
	bool ok = false, has_hi;

	if (!p)
		return false;
	if (cv_parse(v, &p[0]) && prefix_bounds_cv(&p[0], &p[1], &p[2], &has_hi) &&
	    cv_encode(&p[1], lower, lsize)) {
		ok = true;
		if (!has_hi && usize)
			upper[0] = '\0';
		else
			ok = cv_encode(&p[2], upper, usize);
	}
	free(p);
	return ok;
}

/* --- version expressions --- */

void condaver_expr_free(struct condaver_expr *x)
{
	if (!x)
		return;
	condaver_expr_free(x->left);
	condaver_expr_free(x->right);
	free(x);
}

struct xparser {
	const char *s, *p;
	struct ed_parse_err *e;
};

static void skip_ws(struct xparser *x)
{
	while (isspace((unsigned char)*x->p))
		x->p++;
}

static struct condaver_expr *x_or(struct xparser *x);

static struct condaver_expr *x_fail(struct xparser *x, const char *at, const char *msg)
{
	ed_parse_err_set(x->e, (size_t)(at - x->s), "%s", msg);
	return NULL;
}

static bool rel_set(struct condaver_rel *r, const char *op, const char *v, size_t len)
{
	if (len > CONDAVER_MAX_LEN)
		return false;
	snprintf(r->op, sizeof r->op, "%s", op);
	memcpy(r->version, v, len);
	r->version[len] = '\0';
	return !strcmp(op, "*") || !strcmp(op, "~") || condaver_valid(r->version);
}

/* One relation: [START, END) trimmed. conda's VersionSpec rules. */
static struct condaver_expr *x_leaf(struct xparser *x, const char *start, const char *end)
{
	static const char *const ops[] = { "==", "!=", "<=", ">=", "~=", "<", ">", "=" };
	struct condaver_expr *n = calloc(1, sizeof *n);
	const char *op = NULL, *v = start;
	size_t len;
	bool ok;

	if (!n)
		return x_fail(x, start, "out of memory");
	n->kind = 'r';
	while (end > start && isspace((unsigned char)end[-1]))
		end--;
	for (size_t i = 0; i < sizeof ops / sizeof ops[0] && !op; i++)
		if (!strncmp(start, ops[i], strlen(ops[i]))) {
			op = ops[i];
			v = start + strlen(op);
		}
	len = (size_t)(end - v);
	if (!len) {
		free(n);
		return x_fail(x, start, "expected a version");
	}
	if (*start == '^' || end[-1] == '$') {
		ok = rel_set(&n->rel, "~", start, 0); /* a regex: any version */
	} else if (!op) {
		size_t stars = 0;

		while (stars < len && v[len - 1 - stars] == '*')
			stars++;
		if (len == stars)
			ok = rel_set(&n->rel, "*", v, 0);
		else if (memchr(v, '*', len - stars) || memchr(v, '@', len))
			ok = rel_set(&n->rel, "~", v, 0); /* a glob inside: any version */
		else if (stars)
			ok = rel_set(&n->rel, "=*", v, len - stars - (v[len - stars - 1] == '.'));
		else
			ok = rel_set(&n->rel, "==", v, len);
	} else {
		bool star = v[len - 1] == '*';
		size_t vl = len;

		if (star) {
			vl--;
			if (vl && v[vl - 1] == '.')
				vl--;
		}
		if (!vl)
			ok = false;
		else if (!strcmp(op, "=") || (star && !strcmp(op, "==")))
			ok = rel_set(&n->rel, "=*", v, vl);
		else if (!strcmp(op, "!=") && star)
			ok = rel_set(&n->rel, "!=*", v, vl);
		else if (!strcmp(op, "~="))
			ok = rel_set(&n->rel, "~=", v, vl);
		else if (star && strcmp(op, ">="))
			ok = false;
		else
			ok = rel_set(&n->rel, op, v, vl);
	}
	if (!ok) {
		free(n);
		return x_fail(x, start, "invalid version relation");
	}
	return n;
}

static struct condaver_expr *x_atom(struct xparser *x)
{
	const char *start;

	skip_ws(x);
	if (*x->p == '(') {
		struct condaver_expr *n;

		x->p++;
		n = x_or(x);
		if (!n)
			return NULL;
		skip_ws(x);
		if (*x->p != ')') {
			condaver_expr_free(n);
			return x_fail(x, x->p, "expected ')'");
		}
		x->p++;
		return n;
	}
	start = x->p;
	while (*x->p && !strchr("()|,", *x->p))
		x->p++;
	if (x->p == start)
		return x_fail(x, start, "expected a version");
	return x_leaf(x, start, x->p);
}

static struct condaver_expr *x_join(struct xparser *x, char kind, struct condaver_expr *l,
				    struct condaver_expr *r)
{
	struct condaver_expr *n;

	if (!r) {
		condaver_expr_free(l);
		return NULL;
	}
	n = calloc(1, sizeof *n);
	if (!n) {
		condaver_expr_free(l);
		condaver_expr_free(r);
		return x_fail(x, x->p, "out of memory");
	}
	n->kind = kind;
	n->left = l;
	n->right = r;
	return n;
}

/* OPERAND { SEP OPERAND }, joined from the left into SEP nodes. */
static struct condaver_expr *x_list(struct xparser *x, char sep,
				    struct condaver_expr *(*operand)(struct xparser *x))
{
	struct condaver_expr *n = operand(x);

	while (n) {
		skip_ws(x);
		if (*x->p != sep)
			break;
		x->p++;
		n = x_join(x, sep, n, operand(x));
	}
	return n;
}

static struct condaver_expr *x_and(struct xparser *x)
{
	return x_list(x, ',', x_atom);
}

static struct condaver_expr *x_or(struct xparser *x)
{
	return x_list(x, '|', x_and);
}

struct condaver_expr *condaver_expr_parse(const char *s, struct ed_parse_err *e)
{
	struct xparser x = { .s = s, .p = s, .e = e };
	struct condaver_expr *n = x_or(&x);

	if (!n)
		return NULL;
	skip_ws(&x);
	if (*x.p) {
		condaver_expr_free(n);
		return x_fail(&x, x.p, "unexpected character in version expression");
	}
	return n;
}

static bool rel_match(const struct condaver_rel *r, const char *v)
{
	struct cv *c = malloc(4 * sizeof *c);
	bool ok = false, has_hi;
	int cmp;

	if (!c)
		return false;
	if (!strcmp(r->op, "*") || !strcmp(r->op, "~")) {
		ok = true;
		goto out;
	}
	if (!cv_parse(v, &c[0]) || !cv_parse(r->version, &c[1]))
		goto out;
	if (!strcmp(r->op, "=*") || !strcmp(r->op, "!=*") || !strcmp(r->op, "~=")) {
		struct cv *prefix = &c[1];

		if (!strcmp(r->op, "~=")) {
			struct elem last = prefix->e[prefix->n - 1];

			/* ~=1.2.3: >=1.2.3 and 1.2.* (the last component dropped) */
			if (cv_cmp(&c[0], &c[1]) < 0)
				goto out;
			while (prefix->n && prefix->e[prefix->n - 1].part == last.part &&
			       prefix->e[prefix->n - 1].comp == last.comp)
				prefix->n--;
		}
		if (!prefix_bounds_cv(prefix, &c[2], &c[3], &has_hi))
			goto out;
		ok = cv_cmp(&c[0], &c[2]) >= 0 && (!has_hi || cv_cmp(&c[0], &c[3]) < 0);
		if (!strcmp(r->op, "!=*"))
			ok = !ok;
		goto out;
	}
	cmp = cv_cmp(&c[0], &c[1]);
	if (!strcmp(r->op, "=="))
		ok = cmp == 0;
	else if (!strcmp(r->op, "!="))
		ok = cmp != 0;
	else if (!strcmp(r->op, "<"))
		ok = cmp < 0;
	else if (!strcmp(r->op, "<="))
		ok = cmp <= 0;
	else if (!strcmp(r->op, ">"))
		ok = cmp > 0;
	else if (!strcmp(r->op, ">="))
		ok = cmp >= 0;
out:
	free(c);
	return ok;
}

bool condaver_expr_match(const struct condaver_expr *x, const char *v)
{
	if (!x)
		return true;
	switch (x->kind) {
	case ',':
		return condaver_expr_match(x->left, v) && condaver_expr_match(x->right, v);
	case '|':
		return condaver_expr_match(x->left, v) || condaver_expr_match(x->right, v);
	default:
		return rel_match(&x->rel, v);
	}
}

/* --- match specs --- */

void condaspec_fini(struct condaspec *s)
{
	if (!s)
		return;
	free(s->name);
	free(s->version);
	free(s->build);
	memset(s, 0, sizeof *s);
}

static bool name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '-' || c == '.';
}

/* The name at the start of SPEC (after blanks and a "CHANNEL::") into
 * OUT->name; where the rest starts, or NULL with E filled. */
static const char *spec_name(const char *spec, struct condaspec *out, struct ed_parse_err *e)
{
	const char *p = spec, *name, *colons, *bracket;

	while (isspace((unsigned char)*p))
		p++;
	colons = strstr(p, "::");
	if (colons)
		p = colons + 2;
	if ((bracket = strchr(p, '['))) {
		ed_parse_err_set(e, (size_t)(bracket - spec),
				 "bracketed match spec options are not supported");
		return NULL;
	}
	name = p;
	while (name_char(*p))
		p++;
	if (p == name) {
		ed_parse_err_set(e, (size_t)(p - spec), "expected a package name");
		return NULL;
	}
	if (!(out->name = util_strndup(name, (size_t)(p - name)))) {
		ed_parse_err_set(e, 0, "out of memory");
		return NULL;
	}
	return p;
}

/* The old conda form "NAME=VERSION[=BUILD]", REST after the name: VERSION
 * alone is a startswith match ("=1.2" is "1.2*"). */
static int spec_eq_form(const char *spec, const char *rest, struct condaspec *out,
			struct ed_parse_err *e)
{
	const char *eq2 = strchr(rest + 1, '=');
	size_t vl = eq2 ? (size_t)(eq2 - rest - 1) : strlen(rest + 1);
	struct strbuf v = STRBUF_INIT;

	if (!vl)
		return ed_parse_err_set(e, (size_t)(rest - spec) + 1, "expected a version");
	strbuf_add(&v, rest + 1, vl);
	if (!eq2 && rest[vl] != '*')
		strbuf_addch(&v, '*');
	out->version = strbuf_detach(&v);
	if (eq2)
		out->build = util_strdup(eq2 + 1);
	if (!out->version || (eq2 && !out->build))
		return ed_parse_err_set(e, 0, "out of memory");
	return 0;
}

/* The words of REST, version and build, into TOK[0..*NTOK): a word an
 * operator binds is joined to its neighbour (">= 1.20, <2" is one). */
static int spec_words(const char *spec, const char *rest, struct strbuf tok[2], size_t *ntok,
		      struct ed_parse_err *e)
{
	for (const char *p = rest; *p;) {
		const char *w;

		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		w = p;
		while (*p && !isspace((unsigned char)*p))
			p++;
		if (*ntok && (strchr("=<>!~,|", tok[*ntok - 1].buf[tok[*ntok - 1].len - 1]) ||
			      strchr(",|", *w)))
			strbuf_add(&tok[*ntok - 1], w, (size_t)(p - w));
		else if (*ntok == 2)
			return ed_parse_err_set(e, (size_t)(w - spec),
						"unexpected '%.*s' after the build string",
						(int)(p - w), w);
		else
			strbuf_add(&tok[(*ntok)++], w, (size_t)(p - w));
	}
	if (tok[0].oom || tok[1].oom)
		return ed_parse_err_set(e, 0, "out of memory");
	return 0;
}

/* VERSION (NULL: any) checked as a version expression; E's offset is
 * made one into SPEC. */
static int spec_version_check(const char *spec, const char *version, struct ed_parse_err *e)
{
	struct condaver_expr *x;
	const char *at;

	if (!version)
		return 0;
	if ((x = condaver_expr_parse(version, e))) {
		condaver_expr_free(x);
		return 0;
	}
	if (e && (at = strstr(spec, version)))
		e->offset += (size_t)(at - spec);
	return -1;
}

int condaspec_parse(const char *spec, struct condaspec *out, struct ed_parse_err *e)
{
	struct strbuf tok[2] = { STRBUF_INIT, STRBUF_INIT };
	size_t ntok = 0;
	const char *rest;
	int rc = -1;

	memset(out, 0, sizeof *out);
	if (!(rest = spec_name(spec, out, e)))
		goto out;
	if (rest[0] == '=' && rest[1] != '=' && !strpbrk(rest, " \t")) {
		rc = spec_eq_form(spec, rest, out, e);
		goto out;
	}
	if (spec_words(spec, rest, tok, &ntok, e))
		goto out;
	if (ntok >= 1 && strcmp(tok[0].buf, "*"))
		out->version = strbuf_detach(&tok[0]);
	if (ntok == 2 && strcmp(tok[1].buf, "*"))
		out->build = strbuf_detach(&tok[1]);
	rc = spec_version_check(spec, out->version, e);
out:
	strbuf_release(&tok[0]);
	strbuf_release(&tok[1]);
	if (rc)
		condaspec_fini(out);
	return rc;
}
