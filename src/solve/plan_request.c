/* plan_request.c - requests in: their specs, and the relations that their
 * version clauses become in the pool's version scheme. */
#include "extdeps/solve/plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <solv/pool.h>
#include <solv/poolid.h>

#include "extdeps/util/util.h"
#include "plan_int.h"

static int rel_flags(enum pep440_op op)
{
	switch (op) {
	case PEP440_LT:
		return REL_LT;
	case PEP440_LE:
		return REL_LT | REL_EQ;
	case PEP440_GT:
		return REL_GT;
	case PEP440_GE:
		return REL_GT | REL_EQ;
	case PEP440_NE:
		return REL_LT | REL_GT;
	case PEP440_EQ:
		break;
	}
	return REL_EQ;
}

static Id rel(struct plan *pl, Id name, int flags, const char *version)
{
	if (pl->eco && pl->eco->dep)
		return pl->eco->dep(pl->pool, pool_id2str(pl->pool, name), flags, version);
	return pool_rel2id(pl->pool, name, pool_str2id(pl->pool, version, 1), flags, 1);
}

/* DEP and also NAME FLAGS VERSION: joined left to right, as messages show. */
static Id with(struct plan *pl, Id dep, Id name, int flags, const char *version)
{
	Id b = rel(pl, name, flags, version);

	return dep ? pool_rel2id(pl->pool, dep, b, REL_WITH, 1) : b;
}

/* The smallest version string above every version that starts with V's
 * release, in the pool's ordering: "1.2" gives "1.2.~" in Debian's ("1.2-3"
 * and "1.2+dfsg-1" sort below it, "1.2.1" above), "1.2^" in RPM's and in
 * pacman's pools (libsolv orders those by rpm's rules). */
static void after_release(const Pool *pool, const char *v, char *out, size_t size)
{
	snprintf(out, size, "%s%s", v, pool->disttype == DISTTYPE_RPM || pool->disttype == DISTTYPE_ARCH ? "^" : ".~");
}

/* "1.2" of "==1.2.*" -> "1.3": the release with its last number raised. */
static bool next_release(const char *v, char *out, size_t size)
{
	size_t n = strlen(v), start = n;

	while (start > 0 && v[start - 1] >= '0' && v[start - 1] <= '9')
		start--;
	if (start == n || n >= size)
		return false;
	snprintf(out, size, "%.*s%llu~", (int)start, v, strtoull(v + start, NULL, 10) + 1);
	return true;
}

/* DEP with the clause OP V (V without its ".*" when WILDCARD) for NAME, in
 * upstream versions: package versions add a revision ("1.2-3"), so "<= 1.2"
 * must still admit "1.2-3", and "== 1.2" means the release, whatever
 * revision. */
static Id upstream_clause(struct plan *pl, Id dep, Id name, enum pep440_op op, const char *v,
			  bool wildcard)
{
	char buf[264], low[264];

	switch (op) {
	case PEP440_GT:
		after_release(pl->pool, v, buf, sizeof buf);
		return with(pl, dep, name, REL_GT | REL_EQ, buf);
	case PEP440_LE:
		after_release(pl->pool, v, buf, sizeof buf);
		return with(pl, dep, name, REL_LT, buf);
	case PEP440_EQ:
		if (wildcard && next_release(v, buf, sizeof buf)) {
			snprintf(low, sizeof low, "%s~", v);
			dep = with(pl, dep, name, REL_GT | REL_EQ, low);
			return with(pl, dep, name, REL_LT, buf);
		}
		dep = with(pl, dep, name, REL_GT | REL_EQ, v);
		after_release(pl->pool, v, buf, sizeof buf);
		return with(pl, dep, name, REL_LT, buf);
	default:
		return with(pl, dep, name, rel_flags(op), v);
	}
}

/* The relation for NAME under the N CLAUSES, which use PEP 440 versions. */
static Id versioned_dep(struct plan *pl, Id name, const struct reg_map_clause *cl, size_t n)
{
	Id dep = 0;

	for (size_t i = 0; i < n; i++) {
		char buf[264], v[256];
		size_t len = strlen(cl[i].version);
		bool wildcard = len > 2 && !strcmp(cl[i].version + len - 2, ".*");

		snprintf(v, sizeof v, "%.*s", (int)(wildcard ? len - 2 : len), cl[i].version);
		if (!pl->eco || !pl->eco->dep) {
			dep = upstream_clause(pl, dep, name, cl[i].op, v, wildcard);
		} else if (wildcard) {
			/* the backend has its own version semantics */
			snprintf(buf, sizeof buf, "%s.*", v);
			dep = with(pl, dep, name, REL_EQ, buf);
		} else {
			dep = with(pl, dep, name, rel_flags(cl[i].op), v);
		}
	}
	return dep;
}

static int add_request(struct plan *pl, const char *label, const struct reg_map *m)
{
	struct plan_result *r = &pl->r;
	size_t n = r->nrequests;

	if (!ALLOC_GROW(r->requests, n + 1, pl->requests_alloc) ||
	    !ALLOC_GROW(pl->in, n + 1, pl->in_alloc))
		return -1;
	r->requests[n] = (struct plan_request){ .map = m };
	pl->in[n] = (struct in_request){ 0 };
	if (!(r->requests[n].label = strdup(label)))
		return -1;
	return (int)r->nrequests++;
}

/* Append spec ALTS (NALTS names) to request I; alternative A has the
 * NCL[A] clauses CL[A] (CL NULL: none has any); WANT, when not NULL, the
 * version that alternatives without clauses must meet by their upstream
 * versions. */
static bool add_spec(struct plan *pl, int i, const char *const *names, size_t nalts,
		     const struct reg_map_clause *const *cl, const size_t *ncl,
		     const struct pep440_spec *want)
{
	struct in_request *in = &pl->in[i];
	struct in_spec *spec;

	if (!ALLOC_GROW(in->specs, in->nspecs + 1, in->specs_alloc))
		return false;
	spec = &in->specs[in->nspecs++];
	spec->nalts = 0;
	if (!(spec->alts = calloc(nalts ? nalts : 1, sizeof *spec->alts)))
		return false;
	for (size_t a = 0; a < nalts; a++) {
		struct in_alt *alt = &spec->alts[spec->nalts];
		Id name = pool_str2id(pl->pool, names[a], 1);

		if (!(alt->name = strdup(names[a])))
			return false;
		spec->nalts++;
		alt->versioned = cl && ncl[a];
		alt->dep = alt->versioned ? versioned_dep(pl, name, cl[a], ncl[a]) : name;
		alt->want = alt->versioned ? NULL : want;
	}
	return true;
}

int plan_add_map(struct plan *pl, const char *label, const struct reg_map *m)
{
	/* upstream versions the package manager cannot be told: checked here */
	const struct pep440_spec *want =
		m->version_unexpressed && m->version == REG_VERSION_UPSTREAM ? m->spec : NULL;
	int i = add_request(pl, label, m);

	if (i < 0)
		return -1;
	if (m->status != REG_MAPPED)
		return i;
	for (size_t k = 0; k < m->npkgs; k++) {
		const char *names[32];
		const struct reg_map_clause *cl[32];
		size_t ncl[32], n = 0;

		for (size_t a = 0; a < m->pkgs[k].nalts && n < 32; a++, n++) {
			names[n] = m->pkgs[k].alts[a].name;
			cl[n] = m->pkgs[k].alts[a].clauses;
			ncl[n] = m->pkgs[k].alts[a].nclauses;
		}
		if (!add_spec(pl, i, names, n, cl, ncl, want))
			return -1;
	}
	return i;
}

int plan_add_specs(struct plan *pl, const char *label, const struct reg_spec_list *specs,
		   const struct pep440_spec *want)
{
	int i = add_request(pl, label, NULL);

	if (i < 0)
		return -1;
	for (size_t k = 0; k < specs->count; k++)
		if (!add_spec(pl, i, (const char *const *)specs->items[k].alts,
			      specs->items[k].nalts, NULL, NULL, want))
			return -1;
	return i;
}

int plan_add_dep(struct plan *pl, const char *label, const char *name, Id dep)
{
	int i = add_request(pl, label, NULL);
	struct in_spec *spec;

	if (i < 0 || !add_spec(pl, i, &name, 1, NULL, NULL, NULL))
		return -1;
	spec = &pl->in[i].specs[pl->in[i].nspecs - 1];
	spec->alts[0].dep = dep;
	spec->alts[0].versioned = true;
	return i;
}

Id plan_request_dep(const struct plan *pl, size_t req, size_t spec, size_t alt)
{
	return pl->in[req].specs[spec].alts[alt].dep;
}
