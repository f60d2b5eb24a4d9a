/* plan.c - explicit package choice with apt's rules, libsolv for the rest. */
#include "extdeps/solve/plan.h"
#include "extdeps/solve/prune.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <solv/bitmap.h>
#include <solv/dataiterator.h>
#include <solv/evr.h>
#include <solv/knownid.h>
#include <solv/policy.h>
#include <solv/pool.h>
#include <solv/poolarch.h>
#include <solv/queue.h>
#include <solv/repo.h>
#include <solv/rules.h>
#include <solv/solver.h>
#include <solv/solverdebug.h>
#include <solv/transaction.h>

#include "extdeps/util/strbuf.h"
#include "extdeps/util/util.h"

/* One spec as given to plan_add_*: alternatives, each with the relations its
 * version clauses became. */
struct in_alt {
	char *name;
	Id dep; /* name, or name with the clauses joined by REL_WITH */
	bool versioned;
};

struct in_spec {
	struct in_alt *alts;
	size_t nalts;
};

struct in_request {
	struct in_spec *specs;
	size_t nspecs;
};

struct plan {
	Pool *pool;
	const struct eco_ops *eco;
	struct plan_result r;
	struct in_request *in; /* parallel to r.requests */
	Solver *solv;
	Transaction *trans;
	Queue job;
	Queue job_request; /* for each job (pair), the request it serves */
	Map considered;    /* pool->considered while pruned */
	bool pruned;
	bool solved;
};

static char *xstrdup(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* A malloc'd printf. NULL when out of memory. */
static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
	va_list ap;
	char *s;

	va_start(ap, f);
	if (vasprintf(&s, f, ap) < 0)
		s = NULL;
	va_end(ap);
	return s;
}

const char *plan_state_name(enum plan_state s)
{
	static const char *const names[] = { "installed", "new", "upgrade", "missing", "virtual" };
	return names[s];
}

const char *plan_action_name(enum plan_action a)
{
	static const char *const names[] = { "install", "upgrade", "downgrade", "remove" };
	return names[a];
}

struct plan *plan_new(Pool *pool, const struct eco_ops *eco)
{
	struct plan *pl = calloc(1, sizeof *pl);

	if (!pl)
		return NULL;
	pl->pool = pool;
	pl->eco = eco;
	queue_init(&pl->job);
	queue_init(&pl->job_request);
	return pl;
}

static void choice_fini(struct plan_choice *c)
{
	free(c->spec);
	free(c->name);
	free(c->version);
	free(c->why);
	util_strv_free(c->providers, c->nproviders);
}

/* Give the pool back whole: its index is rebuilt by whoever needs it next. */
static void unprune(struct plan *pl)
{
	if (!pl->pruned)
		return;
	pl->pool->considered = NULL;
	pool_freewhatprovides(pl->pool);
	map_free(&pl->considered);
	pl->pruned = false;
}

void plan_free(struct plan *pl)
{
	struct plan_result *r;

	if (!pl)
		return;
	r = &pl->r;
	for (size_t i = 0; i < r->nrequests; i++) {
		for (size_t k = 0; k < r->requests[i].nchoices; k++)
			choice_fini(&r->requests[i].choices[k]);
		free(r->requests[i].choices);
		free(r->requests[i].label);
		for (size_t k = 0; k < pl->in[i].nspecs; k++) {
			for (size_t a = 0; a < pl->in[i].specs[k].nalts; a++)
				free(pl->in[i].specs[k].alts[a].name);
			free(pl->in[i].specs[k].alts);
		}
		free(pl->in[i].specs);
	}
	free(r->requests);
	free(pl->in);
	util_strv_free(r->explicit_, r->nexplicit);
	util_strv_free(r->explicit_version, r->nexplicit);
	for (size_t i = 0; i < r->nsteps; i++) {
		free(r->steps[i].name);
		free(r->steps[i].version);
		free(r->steps[i].arch);
		free(r->steps[i].from_version);
	}
	free(r->steps);
	for (size_t i = 0; i < r->nproblems; i++) {
		free(r->problems[i].message);
		util_strv_free(r->problems[i].details, r->problems[i].ndetails);
		util_strv_free(r->problems[i].solutions, r->problems[i].nsolutions);
		util_strv_free(r->problems[i].labels, r->problems[i].nlabels);
	}
	free(r->problems);
	if (pl->trans)
		transaction_free(pl->trans);
	if (pl->solv)
		solver_free(pl->solv);
	unprune(pl);
	queue_free(&pl->job);
	queue_free(&pl->job_request);
	free(pl);
}

const struct plan_result *plan_result(const struct plan *pl)
{
	return &pl->r;
}

/* --- requests --- */

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

static Id with(Pool *pool, Id a, Id b)
{
	return a ? pool_rel2id(pool, a, b, REL_WITH, 1) : b;
}

/* The smallest version string above every version that starts with V's
 * release, in the pool's ordering: "1.2" gives "1.2.~" in Debian's ("1.2-3"
 * and "1.2+dfsg-1" sort below it, "1.2.1" above), "1.2^" in RPM's. */
static void after_release(const Pool *pool, const char *v, char *out, size_t size)
{
	snprintf(out, size, "%s%s", v, pool->disttype == DISTTYPE_RPM ? "^" : ".~");
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

/* The relation for NAME under CLAUSES, which use PEP 440 (upstream)
 * versions: package versions add a revision ("1.2-3"), so "<= 1.2" must
 * still admit "1.2-3", and "== 1.2" means the release, whatever revision. */
static Id versioned_dep(struct plan *pl, Id name, const struct reg_map_clause *cl, size_t n)
{
	Pool *pool = pl->pool;
	Id dep = 0;

	for (size_t i = 0; i < n; i++) {
		char buf[264], v[256];
		size_t len = strlen(cl[i].version);
		bool wildcard = len > 2 && !strcmp(cl[i].version + len - 2, ".*");

		snprintf(v, sizeof v, "%.*s", (int)(wildcard ? len - 2 : len), cl[i].version);
		if (pl->eco && pl->eco->dep) {
			/* the backend has its own version semantics */
			if (wildcard) {
				snprintf(buf, sizeof buf, "%s.*", v);
				dep = with(pool, dep, rel(pl, name, REL_EQ, buf));
			} else {
				dep = with(pool, dep, rel(pl, name, rel_flags(cl[i].op), v));
			}
			continue;
		}
		switch (cl[i].op) {
		case PEP440_GT:
			after_release(pool, v, buf, sizeof buf);
			dep = with(pool, dep, rel(pl, name, REL_GT | REL_EQ, buf));
			break;
		case PEP440_LE:
			after_release(pool, v, buf, sizeof buf);
			dep = with(pool, dep, rel(pl, name, REL_LT, buf));
			break;
		case PEP440_EQ:
			if (wildcard && next_release(v, buf, sizeof buf)) {
				char low[264];

				snprintf(low, sizeof low, "%s~", v);
				dep = with(pool, dep, rel(pl, name, REL_GT | REL_EQ, low));
				dep = with(pool, dep, rel(pl, name, REL_LT, buf));
				break;
			}
			dep = with(pool, dep, rel(pl, name, REL_GT | REL_EQ, v));
			after_release(pool, v, buf, sizeof buf);
			dep = with(pool, dep, rel(pl, name, REL_LT, buf));
			break;
		default:
			dep = with(pool, dep, rel(pl, name, rel_flags(cl[i].op), v));
			break;
		}
	}
	return dep;
}

static int add_request(struct plan *pl, const char *label, const struct reg_map *m)
{
	struct plan_result *r = &pl->r;
	struct plan_request *rq;
	struct in_request *in;
	void *p;

	if (!(p = realloc(r->requests, (r->nrequests + 1) * sizeof *r->requests)))
		return -1;
	r->requests = p;
	if (!(p = realloc(pl->in, (r->nrequests + 1) * sizeof *pl->in)))
		return -1;
	pl->in = p;
	rq = &r->requests[r->nrequests];
	in = &pl->in[r->nrequests];
	memset(rq, 0, sizeof *rq);
	memset(in, 0, sizeof *in);
	rq->map = m;
	if (!(rq->label = strdup(label)))
		return -1;
	return (int)r->nrequests++;
}

/* Append spec ALTS (NALTS names) to request I; CLAUSES apply to the
 * alternatives marked in VERSIONED (NULL: none). */
static bool add_spec(struct plan *pl, int i, const char *const *names, size_t nalts,
		     const bool *versioned, const struct reg_map_clause *cl, size_t ncl)
{
	struct in_request *in = &pl->in[i];
	struct in_spec *spec;
	void *p;

	if (!(p = realloc(in->specs, (in->nspecs + 1) * sizeof *in->specs)))
		return false;
	in->specs = p;
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
		alt->versioned = versioned && versioned[a] && ncl;
		alt->dep = alt->versioned ? versioned_dep(pl, name, cl, ncl) : name;
	}
	return true;
}

int plan_add_map(struct plan *pl, const char *label, const struct reg_map *m)
{
	int i = add_request(pl, label, m);

	if (i < 0)
		return -1;
	if (m->status != REG_MAPPED)
		return i;
	for (size_t k = 0; k < m->npkgs; k++) {
		const char *names[32];
		bool versioned[32];
		size_t n = 0;

		for (size_t a = 0; a < m->pkgs[k].nalts && n < 32; a++, n++) {
			names[n] = m->pkgs[k].alts[a].name;
			versioned[n] = m->pkgs[k].alts[a].nconstraints > 0 && !m->version_unexpressed;
		}
		if (!add_spec(pl, i, names, n, versioned, m->clauses, m->nclauses))
			return -1;
	}
	return i;
}

int plan_add_specs(struct plan *pl, const char *label, const struct reg_spec_list *specs)
{
	int i = add_request(pl, label, NULL);

	if (i < 0)
		return -1;
	for (size_t k = 0; k < specs->count; k++)
		if (!add_spec(pl, i, (const char *const *)specs->items[k].alts,
			      specs->items[k].nalts, NULL, NULL, 0))
			return -1;
	return i;
}

Id plan_request_dep(const struct plan *pl, size_t req, size_t spec, size_t alt)
{
	return pl->in[req].specs[spec].alts[alt].dep;
}

/* --- choosing the explicit packages --- */

static const char *version_of(struct plan *pl, Id p)
{
	const char *v = pl->eco && pl->eco->solvable_version ?
				pl->eco->solvable_version(pl->pool, p) : NULL;
	return v ? v : pool_id2str(pl->pool, pl->pool->solvables[p].evr);
}

static bool is_installed(const Pool *pool, const Solvable *s)
{
	return pool->installed && s->repo == pool->installed;
}

/* "a | b (>= 1)": the spec as written, for messages. */
static char *spec_text(struct plan *pl, const struct in_spec *spec)
{
	struct strbuf b = { 0 };

	for (size_t a = 0; a < spec->nalts; a++) {
		if (a)
			strbuf_addstr(&b, " | ");
		strbuf_addstr(&b, spec->alts[a].versioned ?
					   pool_dep2str(pl->pool, spec->alts[a].dep) :
					   spec->alts[a].name);
	}
	return strbuf_detach(&b);
}

/* What the repositories offer for ALT. */
struct offer {
	Queue real;      /* available packages named ALT satisfying it */
	Queue named;     /* available packages named ALT, satisfying or not */
	Id installed;    /* an installed package satisfying it (named or providing), or 0 */
	Id installed_named; /* an installed package named ALT, satisfying or not */
	Queue providers; /* distinct names of other available packages providing it */
};

static void offer_init(struct offer *o)
{
	memset(o, 0, sizeof *o);
	queue_init(&o->real);
	queue_init(&o->named);
	queue_init(&o->providers);
}

static void offer_fini(struct offer *o)
{
	queue_free(&o->real);
	queue_free(&o->named);
	queue_free(&o->providers);
}

static void offer_find(struct plan *pl, const struct in_alt *alt, struct offer *o)
{
	Pool *pool = pl->pool;
	Id name = pool_str2id(pool, alt->name, 0);
	Id p, pp;

	if (!name)
		return;
	FOR_PROVIDES(p, pp, name)
	{
		Solvable *s = pool->solvables + p;

		if (s->name != name)
			continue;
		if (is_installed(pool, s))
			o->installed_named = p;
		else if (pool_installable(pool, s))
			queue_push(&o->named, p);
	}
	FOR_PROVIDES(p, pp, alt->dep)
	{
		Solvable *s = pool->solvables + p;

		if (is_installed(pool, s)) {
			if (!o->installed || s->name == name)
				o->installed = p;
		} else if (!pool_installable(pool, s)) {
			continue;
		} else if (s->name == name) {
			queue_push(&o->real, p);
		} else {
			queue_pushunique(&o->providers, s->name);
		}
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The newest of the packages in Q. */
static Id newest(Pool *pool, const Queue *q)
{
	Id best = 0;

	for (int i = 0; i < q->count; i++)
		if (!best || pool_evrcmp(pool, pool->solvables[q->elements[i]].evr,
					 pool->solvables[best].evr, EVRCMP_COMPARE) > 0)
			best = q->elements[i];
	return best;
}

static bool push_job(struct plan *pl, int req, Id how, Id what)
{
	queue_push2(&pl->job, how, what);
	queue_push(&pl->job_request, req);
	return true;
}

/* Decide spec K of request I: an installed alternative, else the first that
 * can be had, else say why none can. */
static int choose(struct plan *pl, int i, const struct in_spec *spec, struct plan_choice *c)
{
	Pool *pool = pl->pool;
	struct offer *offers = calloc(spec->nalts ? spec->nalts : 1, sizeof *offers);
	int rc = 0;
	size_t a;

	if (!offers)
		return -1;
	for (a = 0; a < spec->nalts; a++) {
		offer_init(&offers[a]);
		offer_find(pl, &spec->alts[a], &offers[a]);
	}
	c->state = PLAN_MISSING;
	/* an installed alternative satisfies the spec wherever it stands */
	for (a = 0; a < spec->nalts; a++)
		if (offers[a].installed) {
			Id p = offers[a].installed;

			c->state = PLAN_INSTALLED;
			c->name = xstrdup(pool_id2str(pool, pool->solvables[p].name));
			c->version = xstrdup(version_of(pl, p));
			goto out;
		}
	for (a = 0; a < spec->nalts; a++) {
		struct offer *o = &offers[a];

		if (o->real.count) {
			Id best = newest(pool, &o->real);

			c->state = o->installed_named ? PLAN_UPGRADE : PLAN_NEW;
			c->name = xstrdup(spec->alts[a].name);
			c->version = xstrdup(version_of(pl, best));
			/* a real package over a virtual one of the same name: only
			 * packages of this name may serve the job */
			push_job(pl, i, SOLVER_INSTALL | SOLVER_SOLVABLE_ONE_OF,
				 pool_queuetowhatprovides(pool, &o->real));
			goto out;
		}
		if (o->providers.count == 1) {
			/* apt too selects the one provider of a virtual name */
			Id name = o->providers.elements[0];

			c->state = PLAN_NEW;
			c->name = xstrdup(pool_id2str(pool, name));
			push_job(pl, i, SOLVER_INSTALL | SOLVER_SOLVABLE_PROVIDES, spec->alts[a].dep);
			{
				Queue q;
				Id p, pp;

				queue_init(&q);
				FOR_PROVIDES(p, pp, spec->alts[a].dep)
				if (pool->solvables[p].name == name)
					queue_push(&q, p);
				c->version = xstrdup(version_of(pl, newest(pool, &q)));
				queue_free(&q);
			}
			goto out;
		}
	}
	/* nothing to take: a virtual name with several providers, or nothing */
	for (a = 0; a < spec->nalts; a++)
		if (offers[a].providers.count > 1) {
			struct offer *o = &offers[a];

			c->state = PLAN_VIRTUAL;
			for (int k = 0; k < o->providers.count; k++)
				if (!util_strv_push(&c->providers, &c->nproviders,
						    pool_id2str(pool, o->providers.elements[k])))
					rc = -1;
			if (c->providers)
				qsort(c->providers, c->nproviders, sizeof *c->providers, cmp_str);
			c->why = fmt("'%s' is a virtual package provided by %zu packages; "
				     "choose one of them in a mapping overlay",
				     spec->alts[a].name, c->nproviders);
			goto out;
		}
	{
		/* name the first alternative: say whether it exists at all */
		struct offer *o = &offers[0];

		if (spec->nalts && (o->named.count || o->installed_named)) {
			Id best = o->named.count ? newest(pool, &o->named) : o->installed_named;

			c->why = fmt("no version of '%s' satisfies %s (the repositories have %s)",
				     spec->alts[0].name, pool_dep2str(pool, spec->alts[0].dep),
				     version_of(pl, best));
		} else if (spec->nalts > 1) {
			c->why = fmt("none of %s is in the repositories", c->spec);
		} else {
			c->why = fmt("'%s' is not in the repositories", spec->nalts ?
				     spec->alts[0].name : "");
		}
	}
out:
	for (a = 0; a < spec->nalts; a++)
		offer_fini(&offers[a]);
	free(offers);
	if ((c->state == PLAN_MISSING || c->state == PLAN_VIRTUAL) && !c->why)
		rc = -1;
	return rc;
}

/* --- solving --- */

/* The first alternative of an "a | b | c" dependency, or 0 when DEP is not
 * one. */
static Id first_alternative(Pool *pool, Id dep)
{
	Id first = 0;

	while (ISRELDEP(dep)) {
		Reldep *rd = GETRELDEP(pool, dep);

		if (rd->flags != REL_OR)
			break;
		first = rd->name;
		dep = rd->name;
	}
	return first;
}

static bool provided_by_any(Pool *pool, Id dep, const Map *chosen)
{
	Id p, pp;

	FOR_PROVIDES(p, pp, dep)
	if (MAPTST(chosen, p))
		return true;
	return false;
}

/* The source package of S, as apt sees it: absent keys mean the binary's
 * own name and version. */
static void source_of(const Solvable *s, Id *name, Id *evr)
{
	Solvable *m = (Solvable *)s;

	*name = solvable_lookup_id(m, SOLVABLE_SOURCENAME);
	*evr = solvable_lookup_id(m, SOLVABLE_SOURCEEVR);
	if (!*name)
		*name = s->name;
	if (!*evr)
		*evr = s->evr;
}

/* apt upgrades the other installed binaries of a source package along with
 * one it upgrades, to the same source version (Upgrade-By-Source-Package):
 * jobs for those of UP (an upgrade in the transaction) into JOBS. */
static void same_source_jobs(struct plan *pl, const Solvable *up, Queue *jobs)
{
	Pool *pool = pl->pool;
	Id src, srcevr, p;
	Solvable *inst;

	source_of(up, &src, &srcevr);
	FOR_REPO_SOLVABLES(pool->installed, p, inst)
	{
		Id isrc, ievr, r, rr;

		if (inst->name == up->name)
			continue;
		source_of(inst, &isrc, &ievr);
		if (isrc != src || ievr == srcevr)
			continue;
		FOR_PROVIDES(r, rr, inst->name)
		{
			Solvable *c = pool->solvables + r;
			Id csrc, cevr;

			if (c->name != inst->name || is_installed(pool, c) || c->arch != inst->arch ||
			    solver_get_decisionlevel(pl->solv, r) > 0)
				continue;
			source_of(c, &csrc, &cevr);
			if (csrc == src && cevr == srcevr &&
			    pool_evrcmp(pool, c->evr, inst->evr, EVRCMP_COMPARE) > 0) {
				queue_push2(jobs, SOLVER_INSTALL | SOLVER_SOLVABLE, r);
				break;
			}
		}
	}
}

/* Jobs that steer libsolv towards apt's choices inside the closure of the
 * first solution: for every package it installs, favour the first
 * alternative of each "a | b" dependency when another one was taken and a
 * real package over the virtual provider libsolv took for its name (EXTRA);
 * and ask for the candidate (newest) version of each new package where
 * libsolv took an older one to leave installed packages alone (NEWEST_JOBS):
 * apt installs candidates and upgrades what they need. */
static void refine_jobs(struct plan *pl, Queue *extra, Queue *newest_jobs)
{
	Pool *pool = pl->pool;
	Map chosen;
	Queue q, deps;

	map_init(&chosen, pool->nsolvables);
	queue_init(&q);
	queue_init(&deps);
	solver_get_decisionqueue(pl->solv, &q);
	for (int i = 0; i < q.count; i++)
		if (q.elements[i] > 0)
			MAPSET(&chosen, q.elements[i]);
	for (int i = 0; i < pl->trans->steps.count; i++) {
		Id p = pl->trans->steps.elements[i];
		Solvable *s = pool->solvables + p;
		Id best = p;

		if (is_installed(pool, s))
			continue;
		/* the candidate version of this name */
		{
			Id r, rr;

			FOR_PROVIDES(r, rr, s->name)
			{
				Solvable *o = pool->solvables + r;

				if (o->name == s->name && !is_installed(pool, o) &&
				    pool_installable(pool, o) && o->arch == s->arch &&
				    pool_evrcmp(pool, o->evr, pool->solvables[best].evr,
						EVRCMP_COMPARE) > 0)
					best = r;
			}
		}
		if (best != p)
			queue_push2(newest_jobs, SOLVER_INSTALL | SOLVER_SOLVABLE, best);
		solvable_lookup_deparray(s, SOLVABLE_REQUIRES, &deps, -1);
		for (int k = 0; k < deps.count; k++) {
			Id dep = deps.elements[k], first = first_alternative(pool, dep);

			if (first) {
				if (!provided_by_any(pool, first, &chosen))
					queue_push2(extra, SOLVER_FAVOR | SOLVER_SOLVABLE_PROVIDES, first);
				continue;
			}
			if (ISRELDEP(dep))
				continue;
			/* a name both real and virtual: apt takes the real one */
			{
				Id r, rr;
				bool real = false, real_chosen = false;

				FOR_PROVIDES(r, rr, dep)
				if (pool->solvables[r].name == dep) {
					real = true;
					real_chosen |= MAPTST(&chosen, r) != 0;
				}
				if (real && !real_chosen && provided_by_any(pool, dep, &chosen))
					queue_push2(extra, SOLVER_FAVOR | SOLVER_SOLVABLE_NAME, dep);
			}
		}
	}
	queue_free(&deps);
	queue_free(&q);
	map_free(&chosen);
}

static Solver *new_solver(struct plan *pl, unsigned flags)
{
	Solver *solv = solver_create(pl->pool);

	solver_set_flag(solv, SOLVER_FLAG_IGNORE_RECOMMENDED, !(flags & PLAN_WITH_RECOMMENDS));
	solver_set_flag(solv, SOLVER_FLAG_BEST_OBEY_POLICY, 1);
	return solv;
}

/* The request a rule comes from, when it is a job rule; -1 otherwise. */
static int rule_request(struct plan *pl, Id rid)
{
	int j;

	if (solver_ruleclass(pl->solv, rid) != SOLVER_RULE_JOB)
		return -1;
	j = solver_rule2jobidx(pl->solv, rid) / 2;
	return j >= 0 && j < pl->job_request.count ? pl->job_request.elements[j] : -1;
}

static int collect_problems(struct plan *pl)
{
	Solver *solv = pl->solv;
	struct plan_result *r = &pl->r;
	int n = solver_problem_count(solv);

	if (!(r->problems = calloc((size_t)n, sizeof *r->problems)))
		return -1;
	for (Id pr = 1; pr <= n; pr++) {
		struct plan_problem *p = &r->problems[r->nproblems++];
		Queue rules;
		Id sol = 0;

		queue_init(&rules);
		p->message = xstrdup(solver_problem2str(solv, pr));
		solver_findallproblemrules(solv, pr, &rules);
		for (int i = 0; i < rules.count; i++) {
			Id s, t, dep, rid = rules.elements[i];
			SolverRuleinfo type = solver_ruleinfo(solv, rid, &s, &t, &dep);
			int req = rule_request(pl, rid);

			const char *text = solver_problemruleinfo2str(solv, type, s, t, dep);
			bool dup = false;

			/* job rules are said by the labels; the rest once each */
			for (size_t k = 0; k < p->ndetails; k++)
				dup |= !strcmp(p->details[k], text);
			if (type != SOLVER_RULE_JOB && !dup &&
			    !util_strv_push(&p->details, &p->ndetails, text))
				return -1;
			if (req >= 0) {
				bool seen = false;

				for (size_t k = 0; k < p->nlabels; k++)
					seen |= !strcmp(p->labels[k], r->requests[req].label);
				if (!seen && !util_strv_push(&p->labels, &p->nlabels,
							     r->requests[req].label))
					return -1;
			}
		}
		queue_free(&rules);
		while ((sol = solver_next_solution(solv, pr, sol))) {
			struct strbuf b = { 0 };
			Id el = 0, sp, rp;
			char *line;

			while ((el = solver_next_solutionelement(solv, pr, sol, el, &sp, &rp))) {
				if (b.len)
					strbuf_addstr(&b, "; ");
				strbuf_addstr(&b, solver_solutionelement2str(solv, sp, rp));
				if (sp == SOLVER_SOLUTION_JOB && pl->job_request.count > rp / 2 &&
				    pl->job_request.elements[rp / 2] >= 0) {
					strbuf_addstr(&b, " (");
					strbuf_addstr(&b, r->requests[pl->job_request.elements[rp / 2]].label);
					strbuf_addstr(&b, ")");
				}
			}
			line = strbuf_detach(&b);
			if (!line || !util_strv_push(&p->solutions, &p->nsolutions, line)) {
				free(line);
				return -1;
			}
			free(line);
		}
	}
	return 0;
}

static bool explicit_has(const struct plan_result *r, const char *name)
{
	for (size_t i = 0; i < r->nexplicit; i++)
		if (!strcmp(r->explicit_[i], name))
			return true;
	return false;
}

static int collect_transaction(struct plan *pl)
{
	Pool *pool = pl->pool;
	struct plan_result *r = &pl->r;
	Queue *steps;
	long long change = 0;

	transaction_order(pl->trans, 0);
	steps = &pl->trans->steps;
	if (!(r->steps = calloc((size_t)steps->count + 1, sizeof *r->steps)))
		return -1;
	for (int i = 0; i < steps->count; i++) {
		Id p = steps->elements[i];
		Solvable *s = pool->solvables + p;
		Id type = transaction_type(pl->trans, p,
					   SOLVER_TRANSACTION_SHOW_ACTIVE | SOLVER_TRANSACTION_SHOW_ALL |
						   SOLVER_TRANSACTION_SHOW_OBSOLETES |
						   SOLVER_TRANSACTION_SHOW_MULTIINSTALL);
		struct plan_step *st = &r->steps[r->nsteps];
		unsigned long long isize = solvable_lookup_num(s, SOLVABLE_INSTALLSIZE, 0);
		Id old = 0;

		switch (type) {
		case SOLVER_TRANSACTION_INSTALL:
		case SOLVER_TRANSACTION_MULTIINSTALL:
			st->action = PLAN_STEP_INSTALL;
			r->nnew++;
			break;
		case SOLVER_TRANSACTION_UPGRADE:
		case SOLVER_TRANSACTION_CHANGE:
		case SOLVER_TRANSACTION_OBSOLETES:
			st->action = PLAN_STEP_UPGRADE;
			r->nupgrade++;
			old = transaction_obs_pkg(pl->trans, p);
			break;
		case SOLVER_TRANSACTION_DOWNGRADE:
			st->action = PLAN_STEP_DOWNGRADE;
			r->ndowngrade++;
			old = transaction_obs_pkg(pl->trans, p);
			break;
		case SOLVER_TRANSACTION_ERASE:
			st->action = PLAN_STEP_REMOVE;
			r->nremove++;
			break;
		default:
			continue; /* the old half of an upgrade, reinstalls */
		}
		st->name = xstrdup(pool_id2str(pool, s->name));
		st->version = xstrdup(version_of(pl, p));
		st->arch = xstrdup(pool_id2str(pool, s->arch));
		if (old)
			st->from_version = xstrdup(version_of(pl, old));
		if (!st->name || !st->version || !st->arch || (old && !st->from_version))
			return -1;
		st->installed = isize;
		if (st->action == PLAN_STEP_REMOVE) {
			change -= (long long)isize;
		} else {
			st->download = solvable_lookup_num(s, SOLVABLE_DOWNLOADSIZE, 0);
			r->download += st->download;
			change += (long long)isize;
			if (old)
				change -= (long long)solvable_lookup_num(pool->solvables + old,
									 SOLVABLE_INSTALLSIZE, 0);
		}
		st->explicit_ = explicit_has(r, st->name);
		r->nsteps++;
	}
	r->installed_change = change;
	return 0;
}

/* Pins: the version chosen for an explicit package when the package
 * manager, asked for the bare name, would take another (the candidate does
 * not satisfy the constraint). */
static int collect_explicit(struct plan *pl)
{
	Pool *pool = pl->pool;
	struct plan_result *r = &pl->r;

	for (size_t i = 0; i < r->nrequests; i++)
		for (size_t k = 0; k < r->requests[i].nchoices; k++) {
			const struct plan_choice *c = &r->requests[i].choices[k];

			if ((c->state != PLAN_NEW && c->state != PLAN_UPGRADE) ||
			    explicit_has(r, c->name))
				continue;
			if (!util_strv_push(&r->explicit_, &r->nexplicit, c->name))
				return -1;
			{
				char **v = realloc(r->explicit_version,
						   r->nexplicit * sizeof *r->explicit_version);

				if (!v)
					return -1;
				r->explicit_version = v;
				v[r->nexplicit - 1] = NULL;
			}
		}
	/* a chosen package that is not the candidate of its name needs a pin */
	for (size_t i = 0; pl->trans && i < r->nexplicit; i++) {
		Id name = pool_str2id(pool, r->explicit_[i], 0), p, pp, chosen = 0, cand = 0;

		FOR_PROVIDES(p, pp, name)
		{
			Solvable *s = pool->solvables + p;

			if (s->name != name || is_installed(pool, s) || !pool_installable(pool, s))
				continue;
			if (solver_get_decisionlevel(pl->solv, p) > 0)
				chosen = p;
			if (!cand || pool_evrcmp(pool, s->evr, pool->solvables[cand].evr,
						 EVRCMP_COMPARE) > 0)
				cand = p;
		}
		if (chosen && cand && pool->solvables[chosen].evr != pool->solvables[cand].evr &&
		    !(r->explicit_version[i] = xstrdup(version_of(pl, chosen))))
			return -1;
	}
	return 0;
}

/* Solve again with EXTRA jobs added; keep that solution when there is one.
 * Returns 0 when it was kept. The same solver solves again: libsolv keeps
 * its package rules, built for the first solution, and adds only those of
 * packages the new jobs bring in, which saves most of a solve. */
static int resolve(struct plan *pl, const Queue *extra)
{
	Queue job;

	queue_init_clone(&job, &pl->job);
	queue_insertn(&job, job.count, extra->count, extra->elements);
	if (solver_solve(pl->solv, &job)) {
		/* the solver holds the failed attempt: back to the solution */
		solver_solve(pl->solv, &pl->job);
		queue_free(&job);
		return -1;
	}
	/* the extra jobs serve no request */
	transaction_free(pl->trans);
	pl->trans = solver_create_transaction(pl->solv);
	queue_free(&pl->job);
	pl->job = job;
	for (int k = 0; k < extra->count; k += 2)
		queue_push(&pl->job_request, -1);
	return 0;
}

/* Solve again while upgrades in the transaction leave binaries of their
 * source behind (see same_source_jobs); Debian pools only. */
static void upgrade_by_source(struct plan *pl)
{
	Pool *pool = pl->pool;
	Queue jobs;

	if (pool->disttype != DISTTYPE_DEB || !pool->installed)
		return;
	queue_init(&jobs);
	/* each pass can only add upgrades; a few passes reach the end */
	for (int pass = 0; pass < 4; pass++) {
		queue_empty(&jobs);
		for (int i = 0; i < pl->trans->steps.count; i++) {
			Id p = pl->trans->steps.elements[i];

			if (!is_installed(pool, pool->solvables + p) && transaction_obs_pkg(pl->trans, p))
				same_source_jobs(pl, pool->solvables + p, &jobs);
		}
		if (!jobs.count || resolve(pl, &jobs))
			break;
	}
	queue_free(&jobs);
}

/* Point the one-of jobs saved in ONEOF (see first_solve) into the
 * current whatprovides index. */
static void repoint_oneof(struct plan *pl, const Queue *oneof)
{
	Queue q;

	queue_init(&q);
	for (int i = 0; i < oneof->count; i += 2 + oneof->elements[i + 1]) {
		queue_empty(&q);
		queue_insertn(&q, 0, oneof->elements[i + 1], oneof->elements + i + 2);
		pl->job.elements[oneof->elements[i] + 1] = pool_queuetowhatprovides(pl->pool, &q);
	}
	queue_free(&q);
}

/* The first solution, into pl->solv; returns the number of problems. Where
 * the backend asks for it, on the pool pruned to the best few builds of each
 * name (prune.h), widened while a cut pool has problems, up to the whole
 * pool: a solution of a pruned pool is one of the whole pool. */
static int first_solve(struct plan *pl, unsigned flags)
{
	Pool *pool = pl->pool;
	int k = pl->eco ? pl->eco->prune_builds : 0;
	Queue oneof;

	/* one-of jobs point into the whatprovides index, rebuilt below: keep
	 * their lists (job index, count, solvables) to point them again */
	queue_init(&oneof);
	for (int i = 0; k > 0 && i < pl->job.count; i += 2) {
		Id select = pl->job.elements[i] & SOLVER_SELECTMASK, p, pp;
		int at;

		if (select != SOLVER_SOLVABLE_ONE_OF)
			continue;
		queue_push2(&oneof, i, 0);
		at = oneof.count - 1;
		FOR_JOB_SELECT(p, pp, select, pl->job.elements[i + 1])
		{
			queue_push(&oneof, p);
			oneof.elements[at]++;
		}
	}
	for (;;) {
		int problems, cut = 0;

		if (pl->pruned) {
			unprune(pl);
			pool_createwhatprovides(pool);
			repoint_oneof(pl, &oneof);
		}
		if (k > 0 && k <= PRUNE_WIDEST) {
			Map keep;

			cut = prune_reach(pool, &pl->job, k, flags & PLAN_WITH_RECOMMENDS, &keep);
			if (cut) {
				pl->considered = keep;
				pl->pruned = true;
				pool->considered = &pl->considered;
				pool_createwhatprovides(pool);
				repoint_oneof(pl, &oneof);
			} else {
				map_free(&keep);
			}
		}
		pl->solv = new_solver(pl, flags);
		problems = solver_solve(pl->solv, &pl->job);
		if (!problems || !cut) {
			queue_free(&oneof);
			return problems;
		}
		solver_free(pl->solv);
		pl->solv = NULL;
		k *= 8;
	}
}

/* A path asked for ("/usr/include/gdal/gdal.h") is provided by the packages
 * whose file lists hold it: libsolv indexes only the paths that packages
 * depend on (pool_addfileprovides), so add the provides the requests need.
 * Returns whether any was added (the index is then stale). */
static bool add_file_provides(struct plan *pl)
{
	Pool *pool = pl->pool;
	bool added = false;

	for (size_t i = 0; i < pl->r.nrequests; i++)
		for (size_t k = 0; k < pl->in[i].nspecs; k++)
			for (size_t a = 0; a < pl->in[i].specs[k].nalts; a++) {
				const struct in_alt *alt = &pl->in[i].specs[k].alts[a];
				Id name = ISRELDEP(alt->dep) ? GETRELDEP(pool, alt->dep)->name : alt->dep;
				Dataiterator di;

				if (alt->name[0] != '/' ||
				    pool->whatprovidesdata[pool_whatprovides(pool, name)])
					continue;
				dataiterator_init(&di, pool, NULL, 0, SOLVABLE_FILELIST, alt->name,
						  SEARCH_STRING | SEARCH_FILES | SEARCH_COMPLETE_FILELIST);
				while (dataiterator_step(&di)) {
					Solvable *s = pool->solvables + di.solvid;

					s->provides = repo_addid_dep(s->repo, s->provides, name, 0);
					added = true;
				}
				dataiterator_free(&di);
			}
	return added;
}

int plan_solve(struct plan *pl, unsigned flags, struct ed_diag *d)
{
	Pool *pool = pl->pool;
	struct plan_result *r = &pl->r;
	Queue extra, newest_jobs;

	if (pl->solved)
		return 0;
	pl->solved = true;
	if (!pool->whatprovides)
		pool_createwhatprovides(pool);
	if (add_file_provides(pl))
		pool_createwhatprovides(pool);
	for (size_t i = 0; i < r->nrequests; i++) {
		struct plan_request *rq = &r->requests[i];
		const struct in_request *in = &pl->in[i];

		if (rq->map && rq->map->status != REG_MAPPED) {
			r->nunresolved++;
			continue;
		}
		if (!(rq->choices = calloc(in->nspecs ? in->nspecs : 1, sizeof *rq->choices)))
			goto oom;
		for (size_t k = 0; k < in->nspecs; k++) {
			struct plan_choice *c = &rq->choices[rq->nchoices++];

			if (!(c->spec = spec_text(pl, &in->specs[k])) ||
			    choose(pl, (int)i, &in->specs[k], c))
				goto oom;
			if (c->state == PLAN_MISSING || c->state == PLAN_VIRTUAL) {
				r->nunresolved++;
				break;
			}
		}
	}
	if (first_solve(pl, flags)) {
		if (collect_problems(pl) || collect_explicit(pl))
			goto oom;
		return 0;
	}
	pl->trans = solver_create_transaction(pl->solv);
	queue_init(&extra);
	queue_init(&newest_jobs);
	refine_jobs(pl, &extra, &newest_jobs);
	/* with the candidates if they can be had, else with the favours alone */
	if (newest_jobs.count) {
		queue_insertn(&newest_jobs, 0, extra.count, extra.elements);
		if (!resolve(pl, &newest_jobs))
			extra.count = 0;
	}
	if (extra.count)
		resolve(pl, &extra);
	upgrade_by_source(pl);
	queue_free(&newest_jobs);
	queue_free(&extra);
	if (collect_explicit(pl) || collect_transaction(pl))
		goto oom;
	return 0;
oom:
	return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "out of memory");
}

/* --- explain --- */

static Id step_solvable(const struct plan *pl, const char *name)
{
	Pool *pool = pl->pool;
	Id id = pool_str2id(pool, name, 0);

	for (int i = 0; id && pl->trans && i < pl->trans->steps.count; i++) {
		Id p = pl->trans->steps.elements[i];

		if (pool->solvables[p].name == id && !is_installed(pool, pool->solvables + p))
			return p;
	}
	return 0;
}

static const char *solvable_label(struct plan *pl, Id p)
{
	return pool_tmpjoin(pl->pool, pool_id2str(pl->pool, pl->pool->solvables[p].name), " ",
			    version_of(pl, p));
}

int plan_explain(struct plan *pl, const char *name, char ***lines, size_t *nlines,
		 struct ed_diag *d)
{
	Pool *pool = pl->pool;
	Id p = step_solvable(pl, name);
	Map seen;
	int rc = 0;

	*lines = NULL;
	*nlines = 0;
	if (!p) {
		Id id = pool_str2id(pool, name, 0), q, qq;
		bool installed = false;

		FOR_PROVIDES(q, qq, id)
		installed |= pool->solvables[q].name == id && is_installed(pool, pool->solvables + q);
		return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0, "'%s' is not in the transaction of this plan%s",
				   name, installed ? " (it is installed already)" : "");
	}
	map_init(&seen, pool->nsolvables);
	while (p && !MAPTST(&seen, p)) {
		Id info = 0, s = 0, t = 0, dep = 0;
		int reason = solver_describe_decision(pl->solv, p, &info);
		char *line = NULL, *who = xstrdup(solvable_label(pl, p));
		Id next = 0;

		MAPSET(&seen, p);
		if (reason == SOLVER_REASON_WEAKDEP) {
			Queue why;

			queue_init(&why);
			solver_describe_weakdep_decision(pl->solv, p, &why);
			if (why.count >= 3) {
				next = why.elements[1];
				line = fmt("%s is recommended by %s (%s)", who,
					   solvable_label(pl, why.elements[1]),
					   pool_dep2str(pool, why.elements[2]));
			}
			queue_free(&why);
		} else if (info > 0) {
			SolverRuleinfo type = solver_ruleinfo(pl->solv, info, &s, &t, &dep);
			int req = rule_request(pl, info);

			if (req >= 0) {
				line = fmt("%s is asked for by %s", who, pl->r.requests[req].label);
			} else if (type == SOLVER_RULE_PKG_REQUIRES && s) {
				next = s;
				line = fmt("%s is required by %s (depends on %s)", who,
					   solvable_label(pl, s), pool_dep2str(pool, dep));
			} else if (type == SOLVER_RULE_JOB) {
				line = fmt("%s is asked for directly", who);
			} else {
				line = fmt("%s: %s", who,
					   solver_ruleinfo2str(pl->solv, type, s, t, dep));
			}
		}
		if (!line)
			line = fmt("%s: %s", who, reason == SOLVER_REASON_UPDATE_INSTALLED ?
					  "an update of an installed package" :
					  "chosen by the solver");
		free(who);
		if (!line || !util_strv_push(lines, nlines, line)) {
			free(line);
			rc = ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "out of memory");
			break;
		}
		free(line);
		p = next;
	}
	map_free(&seen);
	return rc;
}
