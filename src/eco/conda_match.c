/* conda_match.c - conda versions and match specs on libsolv's conda support
 * (conda_match.h, conda_int.h). libsolv parses and matches the specs
 * (pool_conda_matchspec, REL_CONDA); what is here checks them as conda
 * would, and adds what libsolv's matcher lacks: the bracket form and
 * build-number conditions. */
#include "extdeps/eco/conda_match.h"

#include <ctype.h>
#include <stddef.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <solv/conda.h>
#include <solv/knownid.h>
#include <solv/pool.h>
#include <solv/repo.h>
#include <solv/solvable.h>

#include "extdeps/util/util.h"
#include "conda_int.h"

/* A pool string that exists once a build-number provide was made: the
 * packages loaded later are then given theirs (conda_finish_repos). */
#define BUILD_NUMBER_KEY "[build_number="

/* One part of a version (public or local): components separated by '.',
 * '_' or '-', none empty. */
static bool version_part_valid(const char *s, const char *end)
{
	bool empty = true;

	if (s == end)
		return false;
	for (; s < end; s++) {
		if (*s == '.' || *s == '_' || *s == '-') {
			if (empty)
				return false;
			empty = true;
		} else if (isalnum((unsigned char)*s)) {
			empty = false;
		} else {
			return false;
		}
	}
	return !empty;
}

bool conda_version_valid(const char *v)
{
	const char *bang = strchr(v, '!'), *plus;

	if (!*v || strlen(v) > CONDA_SPEC_MAX)
		return false;
	if (bang) {
		if (bang == v || strchr(bang + 1, '!'))
			return false;
		for (const char *s = v; s < bang; s++)
			if (!isdigit((unsigned char)*s))
				return false;
		v = bang + 1;
	}
	plus = strchr(v, '+');
	if (!plus)
		return version_part_valid(v, v + strlen(v));
	return !strchr(plus + 1, '+') && version_part_valid(v, plus) &&
	       version_part_valid(plus + 1, plus + 1 + strlen(plus + 1));
}

/* One version of an expression, [S, END), its operator included: conda's
 * version, a glob ("1.*", "1.*.3", "*"), or a regex ("^1\.[0-9]$"). */
static bool version_term_valid(const char *s, const char *end)
{
	static const char *const ops[] = { "==", "!=", "<=", ">=", "~=", "<", ">", "=" };
	char buf[CONDA_SPEC_MAX + 1];
	size_t len;

	for (size_t i = 0; i < sizeof ops / sizeof *ops; i++) {
		size_t n = strlen(ops[i]);

		if ((size_t)(end - s) >= n && !memcmp(s, ops[i], n)) {
			s += n;
			break;
		}
	}
	if (s < end && *s == '^')
		return end[-1] == '$';
	while (end > s && end[-1] == '*')
		end--;
	/* "1.2.*" and "1.2*" are both startswith 1.2 */
	if (end > s && end < s + strlen(s) && end[0] == '*' && end[-1] == '.')
		end--;
	len = (size_t)(end - s);
	if (!len)
		return *end == '*';
	if (memchr(s, '*', len) || memchr(s, '@', len))
		return true;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return conda_version_valid(buf);
}

/* Whether version expression X ("<2,>=1.20", "1.2.*|>=3", "(1|2),!=1.5",
 * spaces removed as libsolv keeps it) holds only versions conda reads. */
static bool version_expr_valid(const char *x)
{
	const char *term = x;

	for (const char *p = x;; p++) {
		if (*p && !strchr(",|()", *p))
			continue;
		if (p > term && !version_term_valid(term, p))
			return false;
		/* "1.0," or ",1.0" or "a||b": an empty term */
		if (p == term && (*p == ',' || *p == '|' || (!*p && p > x && strchr(",|", p[-1]))))
			return false;
		if (!*p)
			return true;
		term = p + 1;
	}
}

/* The values of a match spec's brackets ("[version='>=1', build=py*]");
 * each NULL when not given, else a NUL-terminated slice of BUF. */
struct brackets {
	char buf[CONDA_SPEC_MAX + 1];
	const char *version, *build, *build_number;
};

/* Parse the brackets at S ('[' ... ']', nothing after) into B. */
static bool brackets_parse(const char *s, struct brackets *b, struct ed_parse_err *e)
{
	char *out = b->buf;
	const char *p = s + 1;

	for (;;) {
		const char *key, *value, **slot = NULL;
		size_t klen, vlen;
		char quote = 0;

		p += strspn(p, " ,");
		if (*p == ']') {
			p++;
			if (p[strspn(p, " ")])
				return ed_parse_err_set(e, 0, "text after the brackets") && false;
			return true;
		}
		for (key = p; isalnum((unsigned char)*p) || *p == '_'; p++)
			;
		klen = (size_t)(p - key);
		p += strspn(p, " ");
		if (!klen || *p != '=')
			return ed_parse_err_set(e, 0, "expected KEY=VALUE in brackets") && false;
		p++;
		p += strspn(p, " ");
		if (*p == '\'' || *p == '"')
			quote = *p++;
		for (value = p; *p && (quote ? *p != quote : *p != ',' && *p != ']'); p++)
			;
		if (!*p)
			return ed_parse_err_set(e, 0, quote ? "unterminated quote in brackets"
							    : "expected ']'") &&
			       false;
		vlen = (size_t)(p - value);
		p += quote != 0;
		while (!quote && vlen && value[vlen - 1] == ' ')
			vlen--;
		if (klen == 7 && !memcmp(key, "version", 7))
			slot = &b->version;
		else if (klen == 5 && !memcmp(key, "build", 5))
			slot = &b->build;
		else if (klen == 12 && !memcmp(key, "build_number", 12))
			slot = &b->build_number;
		else if (!(klen == 7 && !memcmp(key, "channel", 7)) &&
			 !(klen == 6 && !memcmp(key, "subdir", 6)))
			return ed_parse_err_set(e, 0, "unsupported key '%.*s' in brackets", (int)klen,
						key) &&
			       false;
		/* the values are shorter than S, which fits the buffer */
		memcpy(out, value, vlen);
		out[vlen] = '\0';
		if (slot)
			*slot = out;
		out += vlen + 1;
	}
}

/* A build-number condition: "3", "==3", ">=3", "<3", "!=3" ... */
struct bncond {
	int rel; /* REL_* mask */
	unsigned long long n;
};

static bool bncond_parse(const char *s, struct bncond *c)
{
	static const struct {
		const char *op;
		int rel;
	} ops[] = {
		{ "==", REL_EQ }, { "!=", REL_LT | REL_GT }, { "<=", REL_LT | REL_EQ },
		{ ">=", REL_GT | REL_EQ }, { "<", REL_LT }, { ">", REL_GT }, { "=", REL_EQ },
	};
	char *end;

	c->rel = REL_EQ;
	for (size_t i = 0; i < sizeof ops / sizeof *ops; i++)
		if (!strncmp(s, ops[i].op, strlen(ops[i].op))) {
			c->rel = ops[i].rel;
			s += strlen(ops[i].op);
			break;
		}
	if (!isdigit((unsigned char)*s))
		return false;
	errno = 0;
	c->n = strtoull(s, &end, 10);
	return !errno && !*end;
}

static bool bncond_match(const struct bncond *c, const char *build_number)
{
	unsigned long long n = build_number ? strtoull(build_number, NULL, 10) : 0;

	return (n < c->n && (c->rel & REL_LT)) || (n == c->n && (c->rel & REL_EQ)) ||
	       (n > c->n && (c->rel & REL_GT));
}

/* Give the packages of NAME in the N repositories REPOS (all of POOL's
 * when REPOS is NULL) whose build number meets C the provide PROVIDE. */
static void provide_build_number(Pool *pool, Repo **repos, size_t n, Id name, Id provide,
				 const struct bncond *c)
{
	Solvable *s;
	Id p;

	FOR_POOL_SOLVABLES(p)
	{
		bool in = !repos;

		s = pool->solvables + p;
		for (size_t i = 0; !in && i < n; i++)
			in = s->repo == repos[i];
		if (in && s->name == name &&
		    bncond_match(c, solvable_lookup_str(s, SOLVABLE_BUILDVERSION)))
			s->provides = repo_addid_dep(s->repo, s->provides, provide, 0);
	}
}

void conda_add_build_number_provides(Pool *pool, Repo **repos, size_t n)
{
	if (!pool_str2id(pool, BUILD_NUMBER_KEY, 0))
		return;
	for (Id id = 1; id < pool->ss.nstrings; id++) {
		const char *s = pool_id2str(pool, id), *b = strstr(s, BUILD_NUMBER_KEY);
		size_t len = strlen(s);
		char cond[64];
		struct bncond c;
		Id name;

		if (!b || b == s || s[len - 1] != ']' ||
		    (size_t)(s + len - 1 - b) - strlen(BUILD_NUMBER_KEY) >= sizeof cond)
			continue;
		snprintf(cond, sizeof cond, "%.*s", (int)(s + len - 1 - b - strlen(BUILD_NUMBER_KEY)),
			 b + strlen(BUILD_NUMBER_KEY));
		if (bncond_parse(cond, &c) && (name = pool_strn2id(pool, s, (unsigned)(b - s), 0)))
			provide_build_number(pool, repos, n, name, id, &c);
	}
}

/* The provide "NAME[build_number=COND]", given to the packages of POOL
 * that meet it when it is new; 0 with E filled on a malformed COND. */
static Id build_number_provide(Pool *pool, Id name, const char *cond, struct ed_parse_err *e)
{
	char buf[CONDA_SPEC_MAX + 64];
	struct bncond c;
	Id provide;

	if (!bncond_parse(cond, &c)) {
		ed_parse_err_set(e, 0, "invalid build_number '%s'", cond);
		return 0;
	}
	snprintf(buf, sizeof buf, "%s" BUILD_NUMBER_KEY "%s]", pool_id2str(pool, name), cond);
	if ((provide = pool_str2id(pool, buf, 0)))
		return provide;
	provide = pool_str2id(pool, buf, 1);
	pool_str2id(pool, BUILD_NUMBER_KEY, 1);
	provide_build_number(pool, NULL, 0, name, provide, &c);
	if (pool->whatprovides)
		pool_createwhatprovides(pool);
	return provide;
}

/* Whether NAME (up to libsolv's end of a name) is a conda package name, a
 * glob of names or a regex. */
static bool name_valid(const char *s, size_t len)
{
	if (len > 1 && s[0] == '^')
		return true;
	for (size_t i = 0; i < len; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("_-.*", s[i]))
			return false;
	return len > 0;
}

/* The version and build of REL_CONDA dependency DEP: its EVR "VERSION[
 * BUILD]" split into VERSION and BUILD (NULL when none), in BUF. */
static void split_evr(Pool *pool, Id dep, char *buf, size_t size, const char **version,
		      const char **build)
{
	char *space;

	*version = *build = NULL;
	if (!ISRELDEP(dep))
		return;
	snprintf(buf, size, "%s", pool_id2str(pool, GETRELDEP(pool, dep)->evr));
	*version = buf;
	if ((space = strchr(buf, ' '))) {
		*space = '\0';
		*build = space + 1;
	}
}

Id conda_dep_from_spec(Pool *pool, const char *spec, struct ed_parse_err *e)
{
	char base[CONDA_SPEC_MAX + 1], evr[CONDA_SPEC_MAX + 1], plain[3 * CONDA_SPEC_MAX + 8];
	const char *open, *version, *build, *at;
	struct brackets b = { 0 };
	size_t len;
	Id dep, name;

	spec += strspn(spec, " ");
	len = strlen(spec);
	while (len && spec[len - 1] == ' ')
		len--;
	if (!len || len > CONDA_SPEC_MAX) {
		ed_parse_err_set(e, 0, len ? "match spec too long" : "empty match spec");
		return 0;
	}
	open = memchr(spec, '[', len);
	snprintf(base, sizeof base, "%.*s", (int)(open ? open - spec : (ptrdiff_t)len), spec);
	if (open && !brackets_parse(open, &b, e))
		return 0;
	/* the name, as libsolv reads it: after "CHANNEL::", up to an operator */
	at = strrchr(base, ':') ? strrchr(base, ':') + 1 : base;
	if (!name_valid(at, strcspn(at, " =<>!~"))) {
		ed_parse_err_set(e, 0, "expected a package name");
		return 0;
	}
	if (!(dep = pool_conda_matchspec(pool, base))) {
		ed_parse_err_set(e, 0, "expected a package name");
		return 0;
	}
	name = ISRELDEP(dep) ? GETRELDEP(pool, dep)->name : dep;
	split_evr(pool, dep, evr, sizeof evr, &version, &build);
	if (b.version || b.build) {
		/* the brackets' keys win over the plain form's */
		snprintf(plain, sizeof plain, "%s %s%s%s", pool_id2str(pool, name),
			 b.version ? b.version : version ? version : "*",
			 b.build || build ? " " : "", b.build ? b.build : build ? build : "");
		if (!(dep = pool_conda_matchspec(pool, plain))) {
			ed_parse_err_set(e, 0, "expected a package name");
			return 0;
		}
		split_evr(pool, dep, evr, sizeof evr, &version, &build);
	}
	if (version && !version_expr_valid(version)) {
		ed_parse_err_set(e, 0, "invalid version '%s'", version);
		return 0;
	}
	if (b.build_number) {
		Id provide = build_number_provide(pool, name, b.build_number, e);

		dep = provide ? pool_rel2id(pool, dep, provide, REL_WITH, 1) : 0;
	}
	return dep;
}

Id conda_dep(Pool *pool, const char *name, int rel, const char *version)
{
	static const struct {
		int rel;
		const char *op;
	} ops[] = {
		{ REL_EQ, "==" }, { REL_LT | REL_GT, "!=" }, { REL_LT, "<" },
		{ REL_LT | REL_EQ, "<=" }, { REL_GT, ">" }, { REL_GT | REL_EQ, ">=" },
	};
	char spec[CONDA_SPEC_MAX + 1];
	const char *op = NULL;
	size_t len = version ? strlen(version) : 0;
	Id dep;

	if (!rel || !version)
		return pool_str2id(pool, name, 1);
	for (size_t i = 0; i < sizeof ops / sizeof *ops; i++)
		if (ops[i].rel == rel)
			op = ops[i].op;
	/* "== 1.2.*" is conda's startswith, written without an operator */
	if (rel == REL_EQ && len > 2 && !strcmp(version + len - 2, ".*"))
		op = "";
	if (!op || snprintf(spec, sizeof spec, "%s %s%s", name, op, version) >= (int)sizeof spec)
		return pool_str2id(pool, name, 1);
	/* an unreadable version cannot narrow anything: the name alone */
	dep = conda_dep_from_spec(pool, spec, NULL);
	return dep ? dep : pool_str2id(pool, name, 1);
}
