/* plan_choose.c - the explicit packages, chosen with apt's rules (plan.h):
 * a choice for each spec, and the job that asks libsolv for it. */
#include "extdeps/solve/plan.h"

#include <stdlib.h>
#include <string.h>

#include <solv/evr.h>
#include <solv/pool.h>
#include <solv/queue.h>
#include <solv/repo.h>
#include <solv/solver.h>

#include "extdeps/eco/eco.h"
#include "extdeps/read/pep440.h"
#include "extdeps/read/upstream.h"
#include "extdeps/util/strbuf.h"
#include "extdeps/util/util.h"
#include "plan_int.h"

/* "a | b (>= 1)": the spec as written, for messages. */
static char *spec_text(struct plan *pl, const struct in_spec *spec)
{
	struct strbuf b = STRBUF_INIT;

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

/* Whether S meets ALT's wanted version, read as upstream's. */
static bool wanted(struct plan *pl, const struct in_alt *alt, const Solvable *s)
{
	char v[UPSTREAM_VERSION_MAX];

	return !alt->want || (upstream_version(plan_version_of(pl, s - pl->pool->solvables), v,
					       sizeof v) &&
			      pep440_spec_contains(alt->want, v));
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
		if (plan_is_installed(pool, s))
			o->installed_named = p;
		else if (pool_installable(pool, s))
			queue_push(&o->named, p);
	}
	FOR_PROVIDES(p, pp, alt->dep)
	{
		Solvable *s = pool->solvables + p;

		if (s->name == name && !wanted(pl, alt, s))
			continue;
		if (plan_is_installed(pool, s)) {
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

static void push_job(struct plan *pl, int req, Id how, Id what)
{
	queue_push2(&pl->job, how, what);
	queue_push(&pl->job_request, req);
}

/* An installed alternative satisfies the spec wherever it stands. */
static bool take_installed(struct plan *pl, const struct in_spec *spec,
			   const struct offer *offers, struct plan_choice *c)
{
	Pool *pool = pl->pool;

	for (size_t a = 0; a < spec->nalts; a++) {
		Id p = offers[a].installed;

		if (!p)
			continue;
		c->state = PLAN_INSTALLED;
		c->name = util_strdup(pool_id2str(pool, pool->solvables[p].name));
		c->version = util_strdup(plan_version_of(pl, p));
		return true;
	}
	return false;
}

/* A real package over a virtual one of the same name: only packages of this
 * name may serve the job. */
static void take_real(struct plan *pl, int req, const struct in_alt *alt, struct offer *o,
		      struct plan_choice *c)
{
	Pool *pool = pl->pool;

	c->state = o->installed_named ? PLAN_UPGRADE : PLAN_NEW;
	c->name = util_strdup(alt->name);
	c->version = util_strdup(plan_version_of(pl, newest(pool, &o->real)));
	push_job(pl, req, SOLVER_INSTALL | SOLVER_SOLVABLE_ONE_OF,
		 pool_queuetowhatprovides(pool, &o->real));
}

/* apt too selects the one provider NAME of a virtual name. */
static void take_provider(struct plan *pl, int req, const struct in_alt *alt, Id name,
			  struct plan_choice *c)
{
	Pool *pool = pl->pool;
	Queue q;
	Id p, pp;

	c->state = PLAN_NEW;
	c->name = util_strdup(pool_id2str(pool, name));
	push_job(pl, req, SOLVER_INSTALL | SOLVER_SOLVABLE_PROVIDES, alt->dep);
	queue_init(&q);
	FOR_PROVIDES(p, pp, alt->dep)
	if (pool->solvables[p].name == name)
		queue_push(&q, p);
	c->version = util_strdup(plan_version_of(pl, newest(pool, &q)));
	queue_free(&q);
}

/* The first alternative that can be had. */
static bool take_available(struct plan *pl, int req, const struct in_spec *spec,
			   struct offer *offers, struct plan_choice *c)
{
	for (size_t a = 0; a < spec->nalts; a++) {
		if (offers[a].real.count) {
			take_real(pl, req, &spec->alts[a], &offers[a], c);
			return true;
		}
		if (offers[a].providers.count == 1) {
			take_provider(pl, req, &spec->alts[a], offers[a].providers.elements[0], c);
			return true;
		}
	}
	return false;
}

/* A virtual name with several providers: they are listed, sorted. */
static int say_virtual(struct plan *pl, const struct in_alt *alt, const struct offer *o,
		       struct plan_choice *c)
{
	struct strbuf b = STRBUF_INIT;
	int rc = 0;

	c->state = PLAN_VIRTUAL;
	for (int k = 0; k < o->providers.count; k++)
		if (!util_strv_push(&c->providers, &c->nproviders,
				    pool_id2str(pl->pool, o->providers.elements[k])))
			rc = -1;
	if (c->providers)
		qsort(c->providers, c->nproviders, sizeof *c->providers, cmp_str);
	strbuf_addf(&b, "'%s' is a virtual package provided by %zu packages; "
			"choose one of them in a mapping overlay",
		    alt->name, c->nproviders);
	c->why = strbuf_detach(&b);
	return rc;
}

/* Why the backend hides the packages named NAME (eco_ops.hidden_why: EL's
 * module streams not enabled), for the first of them in a disabled
 * repository; NULL when none is hidden. */
static const char *hidden_why(struct plan *pl, const char *name)
{
	Pool *pool = pl->pool;
	Id id = pool_str2id(pool, name, 0);
	Repo *repo;
	int r;

	if (!id || !pl->eco || !pl->eco->hidden_why)
		return NULL;
	FOR_REPOS(r, repo)
	{
		Solvable *s;
		Id p;

		if (!repo->disabled)
			continue;
		FOR_REPO_SOLVABLES(repo, p, s)
		if (s->name == id)
			return pl->eco->hidden_why(pool, p);
	}
	return NULL;
}

/* Nothing at all: name the first alternative, saying whether it exists. */
static void say_missing(struct plan *pl, const struct in_spec *spec, const struct offer *o,
			struct plan_choice *c)
{
	Pool *pool = pl->pool;
	struct strbuf b = STRBUF_INIT;

	if (spec->nalts && (o->named.count || o->installed_named)) {
		Id best = o->named.count ? newest(pool, &o->named) : o->installed_named;

		char *want = spec->alts[0].want ? pep440_spec_str(spec->alts[0].want) : NULL;

		strbuf_addf(&b, "no version of '%s' satisfies %s%s%s (the repositories have %s)",
			    spec->alts[0].name, want ? spec->alts[0].name : "", want ? " " : "",
			    want ? want : pool_dep2str(pool, spec->alts[0].dep),
			    plan_version_of(pl, best));
		free(want);
	} else if (spec->nalts > 1) {
		strbuf_addf(&b, "none of %s is in the repositories", c->spec);
	} else {
		const char *why = spec->nalts ? hidden_why(pl, spec->alts[0].name) : NULL;

		strbuf_addf(&b, "'%s' is not in the repositories%s%s",
			    spec->nalts ? spec->alts[0].name : "", why ? ": " : "", why ? why : "");
	}
	c->why = strbuf_detach(&b);
}

/* Decide SPEC of request REQ into C (its spec text set): an installed
 * alternative, else the first that can be had, else say why none can. */
static int choose(struct plan *pl, int req, const struct in_spec *spec, struct plan_choice *c)
{
	struct offer *offers = calloc(spec->nalts ? spec->nalts : 1, sizeof *offers);
	int rc = 0;

	if (!offers)
		return -1;
	for (size_t a = 0; a < spec->nalts; a++) {
		offer_init(&offers[a]);
		offer_find(pl, &spec->alts[a], &offers[a]);
	}
	c->state = PLAN_MISSING;
	if (take_installed(pl, spec, offers, c) || take_available(pl, req, spec, offers, c))
		goto out;
	for (size_t a = 0; a < spec->nalts; a++)
		if (offers[a].providers.count > 1) {
			rc = say_virtual(pl, &spec->alts[a], &offers[a], c);
			goto out;
		}
	say_missing(pl, spec, &offers[0], c);
out:
	for (size_t a = 0; a < spec->nalts; a++)
		offer_fini(&offers[a]);
	free(offers);
	if (c->state == PLAN_MISSING || c->state == PLAN_VIRTUAL ? !c->why :
								   !c->name || !c->version)
		rc = -1;
	return rc;
}

/* The choices of request I, up to its first spec that cannot be had: the
 * request is then unresolved. */
static int choose_request(struct plan *pl, size_t i)
{
	struct plan_request *rq = &pl->r.requests[i];
	const struct in_request *in = &pl->in[i];

	if (!(rq->choices = calloc(in->nspecs ? in->nspecs : 1, sizeof *rq->choices)))
		return -1;
	for (size_t k = 0; k < in->nspecs; k++) {
		struct plan_choice *c = &rq->choices[rq->nchoices++];

		if (!(c->spec = spec_text(pl, &in->specs[k])) ||
		    choose(pl, (int)i, &in->specs[k], c))
			return -1;
		if (c->state == PLAN_MISSING || c->state == PLAN_VIRTUAL) {
			pl->r.nunresolved++;
			break;
		}
	}
	return 0;
}

int plan_choose_all(struct plan *pl)
{
	struct plan_result *r = &pl->r;

	for (size_t i = 0; i < r->nrequests; i++) {
		const struct reg_map *m = r->requests[i].map;

		if (m && m->status != REG_MAPPED)
			r->nunresolved++;
		else if (choose_request(pl, i))
			return -1;
	}
	return 0;
}
