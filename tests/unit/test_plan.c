/* Unit tests of the planner (src/solve/plan*.c) on small repositories
 * written in libsolv's testcase "testtags" format: the choice of the
 * explicit packages (alternatives, installed ones, real over virtual,
 * virtual names with several providers, missing names), the version rules
 * of mapped constraints, the refinement towards apt's choices, pins,
 * problems and explanations. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <solv/pool.h>
#include <solv/poolarch.h>
#include <solv/repo.h>
#include <solv/repodata.h>
#include <solv/testcase.h>

#include "extdeps/read/pep440.h"
#include "extdeps/solve/plan.h"
#include "extdeps/util/strbuf.h"
#include "extdeps/util/util.h"

/* A pool of DISTTYPE with the available packages AVAIL and the installed
 * ones INST (testtags text; INST may be NULL). */
static Pool *make_pool(int disttype, const char *avail, const char *inst)
{
	Pool *pool = pool_create();
	FILE *f;
	Repo *repo;

	pool_setdisttype(pool, disttype);
	pool_setarch(pool, "amd64");
	repo = repo_create(pool, "available");
	f = fmemopen((void *)avail, strlen(avail), "r");
	assert_non_null(f);
	assert_int_equal(testcase_add_testtags(repo, f, 0), 0);
	fclose(f);
	if (inst) {
		repo = repo_create(pool, "@System");
		f = fmemopen((void *)inst, strlen(inst), "r");
		assert_non_null(f);
		assert_int_equal(testcase_add_testtags(repo, f, 0), 0);
		fclose(f);
		pool_set_installed(pool, repo);
	}
	pool_addfileprovides(pool);
	pool_createwhatprovides(pool);
	return pool;
}

/* The pool and the plan of a test, freed by teardown(). */
struct fixture {
	Pool *pool;
	struct plan *pl;
	struct pep440_spec *want; /* the plan's, freed after it */
};

static int setup(void **state)
{
	*state = calloc(1, sizeof(struct fixture));
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	plan_free(fx->pl);
	pep440_spec_free(fx->want);
	if (fx->pool)
		pool_free(fx->pool);
	free(fx);
	return 0;
}

/* The test's plan, without a backend, over a Debian pool of AVAIL and INST
 * (make_pool). */
static struct fixture *deb_plan(void **state, const char *avail, const char *inst)
{
	struct fixture *fx = *state;

	fx->pool = make_pool(DISTTYPE_DEB, avail, inst);
	fx->pl = plan_new(fx->pool, NULL);
	assert_non_null(fx->pl);
	return fx;
}

/* Add request LABEL of one spec, NALTS alternatives; returns its index. */
static int add_one(struct plan *pl, const char *label, const char **alts, size_t nalts)
{
	struct reg_spec spec = { (char **)alts, nalts, NULL };
	struct reg_spec_list list = { &spec, 1 };

	return plan_add_specs(pl, label, &list, NULL);
}

/* Solve a request of one spec: NALTS alternatives. */
static const struct plan_choice *plan_one(struct plan *pl, const char **alts, size_t nalts)
{
	struct ed_diag d;
	int i = add_one(pl, "dep:generic/test", alts, nalts);

	assert_true(i >= 0);
	ed_diag_clear(&d);
	assert_int_equal(plan_solve(pl, 0, &d), 0);
	assert_int_equal(plan_result(pl)->requests[i].nchoices, 1);
	return &plan_result(pl)->requests[i].choices[0];
}

/* A request of the one package NAME. */
static const struct plan_choice *plan_name(struct plan *pl, const char *name)
{
	return plan_one(pl, &name, 1);
}

static bool in_transaction(const struct plan_result *r, const char *name, const char *version)
{
	for (size_t i = 0; i < r->nsteps; i++)
		if (!strcmp(r->steps[i].name, name) &&
		    (!version || !strcmp(r->steps[i].version, version)))
			return true;
	return false;
}

static const char *repo_alts = "=Pkg: liba 1 1 amd64\n"
			       "=Pkg: libb 1 1 amd64\n"
			       "=Pkg: libc 1 1 amd64\n";

static void first_alternative_taken(void **state)
{
	struct plan *pl = deb_plan(state, repo_alts, NULL)->pl;
	const char *alts[] = { "libzz", "libb", "liba" };
	const struct plan_choice *c = plan_one(pl, alts, 3);

	/* libzz does not exist: the next one, not the alphabetically first */
	assert_int_equal(c->state, PLAN_NEW);
	assert_string_equal(c->name, "libb");
	assert_string_equal(c->spec, "libzz | libb | liba");
	assert_int_equal(plan_result(pl)->nexplicit, 1);
	assert_string_equal(plan_result(pl)->explicit_[0], "libb");
	assert_true(in_transaction(plan_result(pl), "libb", "1-1"));
	assert_false(in_transaction(plan_result(pl), "liba", NULL));
}

static void installed_alternative_wins(void **state)
{
	struct plan *pl = deb_plan(state, repo_alts, "=Pkg: libc 0.9 1 amd64\n")->pl;
	const char *alts[] = { "liba", "libc" };
	const struct plan_choice *c = plan_one(pl, alts, 2);

	assert_int_equal(c->state, PLAN_INSTALLED);
	assert_string_equal(c->name, "libc");
	assert_string_equal(c->version, "0.9-1");
	assert_int_equal(plan_result(pl)->nexplicit, 0);
	assert_int_equal(plan_result(pl)->nsteps, 0);
}

static const char *repo_virtual = "=Pkg: imagemagick 6.9 1 amd64\n"
				  "=Pkg: gm-compat 1.3 1 amd64\n"
				  "=Prv: imagemagick\n"
				  "=Pkg: postfix 3.7 1 amd64\n"
				  "=Prv: mail-transport-agent\n"
				  "=Pkg: exim4 4.96 1 amd64\n"
				  "=Prv: mail-transport-agent\n"
				  "=Pkg: libxml2-dev 2.9 1 amd64\n"
				  "=Prv: libxml-dev\n"
				  "=Pkg: asymptote 2.86 1 amd64\n"
				  "=Req: imagemagick\n";

static void real_over_virtual(void **state)
{
	struct plan *pl = deb_plan(state, repo_virtual, NULL)->pl;

	assert_int_equal(plan_name(pl, "asymptote")->state, PLAN_NEW);
	/* in the closure too: asymptote's imagemagick is the real one */
	assert_true(in_transaction(plan_result(pl), "imagemagick", NULL));
	assert_false(in_transaction(plan_result(pl), "gm-compat", NULL));
}

static void virtual_with_providers(void **state)
{
	struct plan *pl = deb_plan(state, repo_virtual, NULL)->pl;
	const struct plan_choice *c = plan_name(pl, "mail-transport-agent");

	assert_int_equal(c->state, PLAN_VIRTUAL);
	assert_null(c->name);
	assert_int_equal(c->nproviders, 2);
	assert_string_equal(c->providers[0], "exim4");
	assert_string_equal(c->providers[1], "postfix");
	assert_non_null(strstr(c->why, "virtual package provided by 2 packages"));
	assert_int_equal(plan_result(pl)->nunresolved, 1);
	assert_int_equal(plan_result(pl)->nsteps, 0);
}

static void virtual_with_one_provider(void **state)
{
	struct plan *pl = deb_plan(state, repo_virtual, NULL)->pl;
	const struct plan_choice *c = plan_name(pl, "libxml-dev");

	assert_int_equal(c->state, PLAN_NEW);
	assert_string_equal(c->name, "libxml2-dev");
	assert_string_equal(plan_result(pl)->explicit_[0], "libxml2-dev");
}

static void missing_name(void **state)
{
	struct plan *pl = deb_plan(state, repo_alts, NULL)->pl;
	const struct plan_choice *c = plan_name(pl, "libnothere");

	assert_int_equal(c->state, PLAN_MISSING);
	assert_string_equal(c->why, "'libnothere' is not in the repositories");
	assert_int_equal(plan_result(pl)->nunresolved, 1);
}

/* --- versions: upstream constraints against package versions --- */

static const char *repo_versions = "=Pkg: tool 1.2 3 amd64\n"
				   "=Pkg: tool 1.2+dfsg 1 amd64\n"
				   "=Pkg: tool 1.2.1 1 amd64\n"
				   "=Pkg: tool 1.3 1 amd64\n";

/* RPM versions have no "+dfsg" repacks; a pre-release uses '~'. */
static const char *repo_versions_rpm = "=Pkg: tool 1.2~rc1 1 amd64\n"
				       "=Pkg: tool 1.2 3 amd64\n"
				       "=Pkg: tool 1.2.1 1 amd64\n"
				       "=Pkg: tool 1.3 1 amd64\n";

/* A mapping of "tool" under the one clause OP VERSION, which the package's
 * constraint expresses. */
struct tool_map {
	char name[8], constraint[32], *constraints;
	struct reg_map_clause clause;
	struct reg_map_alt alt;
	struct reg_map_pkg pkg;
	struct reg_map m;
};

static const struct reg_map *tool_map(struct tool_map *t, enum pep440_op op, const char *version)
{
	*t = (struct tool_map){ .name = "tool", .constraint = "tool (constrained)" };
	t->constraints = t->constraint;
	t->clause = (struct reg_map_clause){ op, NULL, (char *)version };
	t->alt = (struct reg_map_alt){ t->name, &t->constraints, 1, &t->clause, 1, false };
	t->pkg = (struct reg_map_pkg){ &t->alt, 1 };
	t->m.status = REG_MAPPED;
	t->m.pkgs = &t->pkg;
	t->m.npkgs = 1;
	t->m.clauses = &t->clause;
	t->m.nclauses = 1;
	return &t->m;
}

/* The versions of "tool" that the mapped clause OP VERSION admits, as the
 * planner builds it, joined by spaces. */
static char *admitted(int disttype, enum pep440_op op, const char *version)
{
	Pool *pool = make_pool(disttype, disttype == DISTTYPE_RPM ? repo_versions_rpm : repo_versions,
			       NULL);
	struct plan *pl = plan_new(pool, NULL);
	struct tool_map t;
	struct strbuf b = { 0 };
	Id tool = pool_str2id(pool, "tool", 0), p, pp;
	Id dep;

	assert_int_equal(plan_add_map(pl, "dep:generic/tool", tool_map(&t, op, version)), 0);
	dep = plan_request_dep(pl, 0, 0, 0);
	FOR_PROVIDES(p, pp, dep)
	if (pool->solvables[p].name == tool) {
		strbuf_addstr(&b, b.len ? " " : "");
		strbuf_addstr(&b, pool_id2str(pool, pool->solvables[p].evr));
	}
	plan_free(pl);
	pool_free(pool);
	return strbuf_detach(&b);
}

/* What each mapped clause admits, in Debian's and RPM's versions. */
static const struct {
	int disttype;
	enum pep440_op op;
	const char *version, *expected;
} admitted_cases[] = {
	{ DISTTYPE_DEB, PEP440_LE, "1.2", "1.2-3 1.2+dfsg-1" },
	{ DISTTYPE_DEB, PEP440_LT, "1.2.1", "1.2-3 1.2+dfsg-1" },
	{ DISTTYPE_DEB, PEP440_GT, "1.2", "1.2.1-1 1.3-1" },
	{ DISTTYPE_DEB, PEP440_GE, "1.2.1", "1.2.1-1 1.3-1" },
	{ DISTTYPE_DEB, PEP440_EQ, "1.2", "1.2-3 1.2+dfsg-1" },
	{ DISTTYPE_DEB, PEP440_EQ, "1.2.*", "1.2-3 1.2+dfsg-1 1.2.1-1" },
	{ DISTTYPE_DEB, PEP440_EQ, "1.3", "1.3-1" },
	{ DISTTYPE_RPM, PEP440_LE, "1.2", "1.2~rc1-1 1.2-3" },
	{ DISTTYPE_RPM, PEP440_GT, "1.2", "1.2.1-1 1.3-1" },
	{ DISTTYPE_RPM, PEP440_EQ, "1.2", "1.2-3" },
	{ DISTTYPE_RPM, PEP440_EQ, "1.2.*", "1.2~rc1-1 1.2-3 1.2.1-1" },
	{ DISTTYPE_RPM, PEP440_LT, "1.3", "1.2~rc1-1 1.2-3 1.2.1-1" },
};

static void upstream_versions(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof admitted_cases / sizeof *admitted_cases; i++) {
		char *got = admitted(admitted_cases[i].disttype, admitted_cases[i].op,
				     admitted_cases[i].version);

		assert_string_equal(got, admitted_cases[i].expected);
		free(got);
	}
}

static void pin_when_candidate_too_new(void **state)
{
	struct plan *pl = deb_plan(state, repo_versions, NULL)->pl;
	struct tool_map t;
	struct ed_diag d;
	const struct plan_result *r;

	assert_int_equal(plan_add_map(pl, "dep:generic/tool", tool_map(&t, PEP440_LT, "1.3")), 0);
	assert_int_equal(plan_solve(pl, 0, &d), 0);
	r = plan_result(pl);
	assert_int_equal(r->nexplicit, 1);
	assert_string_equal(r->explicit_[0], "tool");
	assert_string_equal(r->explicit_version[0], "1.2.1-1");
	assert_string_equal(r->requests[0].choices[0].version, "1.2.1-1");
}

/* The Python headers a compiler implies are of the Python that will build:
 * the release's 3.11 headers are pinned for 3.11, the newer python3.12-dev
 * is passed over, and for 3.13 none will do, and the plan says why. */
static const char *repo_pythons = "=Pkg: python3-dev 3.11.2 1+b1 amd64\n"
				  "=Pkg: python3-dev 3.12.1 1 amd64\n";

static const struct plan_choice *implied_for(void **state, const char *want_text)
{
	struct fixture *fx = deb_plan(state, repo_pythons, NULL);
	struct plan *pl = fx->pl;
	struct pep440_spec *want = fx->want = pep440_spec_parse(want_text, strlen(want_text), NULL);
	const char *name = "python3-dev";
	struct reg_spec spec = { (char **)&name, 1, NULL };
	struct reg_spec_list list = { &spec, 1 };
	struct ed_diag d;

	assert_non_null(want);
	assert_int_equal(plan_add_specs(pl, "python headers (implied)", &list, want), 0);
	ed_diag_clear(&d);
	assert_int_equal(plan_solve(pl, 0, &d), 0);
	assert_int_equal(plan_result(pl)->requests[0].nchoices, 1);
	return &plan_result(pl)->requests[0].choices[0];
}

static void implied_headers_of_the_python(void **state)
{
	const struct plan_choice *c = implied_for(state, "==3.11.*");
	const struct plan_result *r = plan_result(((struct fixture *)*state)->pl);

	assert_int_equal(c->state, PLAN_NEW);
	assert_string_equal(c->version, "3.11.2-1+b1");
	assert_string_equal(r->explicit_version[0], "3.11.2-1+b1");
	assert_true(in_transaction(r, "python3-dev", "3.11.2-1+b1"));
}

static void implied_headers_none_of_the_python(void **state)
{
	const struct plan_choice *c = implied_for(state, "==3.13.*");

	assert_int_equal(c->state, PLAN_MISSING);
	assert_string_equal(c->why, "no version of 'python3-dev' satisfies python3-dev ==3.13.* "
				    "(the repositories have 3.12.1-1)");
}

/* --- the closure --- */

static void closure_favours_first_alternative(void **state)
{
	/* libsolv alone takes "aa-openmp" (names sort); apt the first one */
	struct plan *pl = deb_plan(state,
				   "=Pkg: blas-dev 1 1 amd64\n"
				   "=Req: zz-pthread | aa-openmp\n"
				   "=Pkg: zz-pthread 1 1 amd64\n"
				   "=Pkg: aa-openmp 1 1 amd64\n",
				   NULL)->pl;

	assert_int_equal(plan_name(pl, "blas-dev")->state, PLAN_NEW);
	assert_true(in_transaction(plan_result(pl), "zz-pthread", NULL));
	assert_false(in_transaction(plan_result(pl), "aa-openmp", NULL));
}

static void closure_real_over_versioned_provider(void **state)
{
	/* "libavcodec59 (= 5.1)": libsolv alone may take the -extra flavour,
	 * which provides that version too; apt the real package */
	struct plan *pl = deb_plan(state,
				   "=Pkg: libavcodec-dev 5.1 1 amd64\n"
				   "=Req: libavcodec59 = 5.1-1\n"
				   "=Pkg: libavcodec59 5.1 1 amd64\n"
				   "=Pkg: libavcodec-extra59 5.1 1 amd64\n"
				   "=Prv: libavcodec59 = 5.1-1\n"
				   "=Con: libavcodec59\n",
				   NULL)->pl;

	assert_int_equal(plan_name(pl, "libavcodec-dev")->state, PLAN_NEW);
	assert_true(in_transaction(plan_result(pl), "libavcodec59", NULL));
	assert_false(in_transaction(plan_result(pl), "libavcodec-extra59", NULL));
}

static void closure_alternative_met_by_real(void **state)
{
	/* apt takes the real "jack1-dev" one package names; another's group
	 * "jack2-dev | jack1-dev", reached after it, is then met, and
	 * jack2-dev (which provides jack1-dev and conflicts with it) stays out */
	struct plan *pl = deb_plan(state,
				   "=Pkg: player-dev 1 1 amd64\n"
				   "=Req: jack1-dev\n"
				   "=Req: zz-audio-dev\n"
				   "=Pkg: zz-audio-dev 1 1 amd64\n"
				   "=Req: jack2-dev | jack1-dev\n"
				   "=Pkg: jack1-dev 1 1 amd64\n"
				   "=Pkg: jack2-dev 1 1 amd64\n"
				   "=Prv: jack1-dev\n"
				   "=Con: jack1-dev\n",
				   NULL)->pl;

	assert_int_equal(plan_name(pl, "player-dev")->state, PLAN_NEW);
	assert_true(in_transaction(plan_result(pl), "jack1-dev", NULL));
	assert_false(in_transaction(plan_result(pl), "jack2-dev", NULL));
}

static void check_explain(struct plan *pl, const char *name, size_t n, const char *const *lines);

static void closure_walk_order(void **state)
{
	/* the walk takes a package's exact-version dependencies first, then
	 * the others by text, the same whether the metadata was parsed or read
	 * from a .solv file (which keeps dependencies sorted by id): here
	 * "lib = 1-1", whose group takes libsoup2, before "libsoup3-dev",
	 * which would have met it */
	struct plan *pl = deb_plan(state,
				   "=Pkg: web-dev 1 1 amd64\n"
				   "=Req: libsoup3-dev\n"
				   "=Req: lib = 1-1\n"
				   "=Pkg: lib 1 1 amd64\n"
				   "=Req: libsoup2 | libsoup3\n"
				   "=Pkg: libsoup3-dev 1 1 amd64\n"
				   "=Req: libsoup3\n"
				   "=Pkg: libsoup2 1 1 amd64\n"
				   "=Pkg: libsoup3 1 1 amd64\n",
				   NULL)->pl;
	const char *why[] = {
		"libsoup2 1-1 is required by lib 1-1 (depends on libsoup2 | libsoup3)",
		"lib 1-1 is required by web-dev 1-1 (depends on lib = 1-1)",
		"web-dev 1-1 is asked for by dep:generic/test",
	};

	assert_int_equal(plan_name(pl, "web-dev")->state, PLAN_NEW);
	assert_true(in_transaction(plan_result(pl), "libsoup2", NULL));
	assert_true(in_transaction(plan_result(pl), "libsoup3", NULL));
	check_explain(pl, "libsoup2", 3, why);
}

static void closure_upgrades_for_candidate(void **state)
{
	/* libsolv alone keeps lib 1 and takes the older -dev; apt the newest */
	struct plan *pl = deb_plan(state,
				   "=Pkg: lib-dev 1 1 amd64\n"
				   "=Req: lib = 1-1\n"
				   "=Pkg: lib-dev 2 1 amd64\n"
				   "=Req: lib = 2-1\n"
				   "=Pkg: lib 1 1 amd64\n"
				   "=Pkg: lib 2 1 amd64\n"
				   "=Pkg: app 1 1 amd64\n"
				   "=Req: lib-dev\n",
				   "=Pkg: lib 1 1 amd64\n")->pl;
	const struct plan_result *r;

	assert_int_equal(plan_name(pl, "app")->state, PLAN_NEW);
	r = plan_result(pl);
	assert_true(in_transaction(r, "lib-dev", "2-1"));
	assert_int_equal(r->nupgrade, 1);
	for (size_t i = 0; i < r->nsteps; i++)
		if (r->steps[i].action == PLAN_STEP_UPGRADE) {
			assert_string_equal(r->steps[i].name, "lib");
			assert_string_equal(r->steps[i].from_version, "1-1");
			assert_string_equal(r->steps[i].version, "2-1");
		}
}

/* The lines of plan_explain for NAME, which must be N, each checked against
 * LINES (NULL: not checked). */
static void check_explain(struct plan *pl, const char *name, size_t n, const char *const *lines)
{
	char **got;
	size_t ngot;
	struct ed_diag d;

	assert_int_equal(plan_explain(pl, name, &got, &ngot, &d), 0);
	assert_int_equal(ngot, n);
	for (size_t i = 0; i < n; i++)
		if (lines[i])
			assert_string_equal(got[i], lines[i]);
	util_strv_free(got, ngot);
}

static void candidate_refused_keeps_solution(void **state)
{
	/* lib-dev 2 breaks app: the second solve, which asks for the candidate,
	 * fails, and the first solution stays whole, in the transaction and in
	 * the solver that explains it */
	struct plan *pl = deb_plan(state,
				   "=Pkg: lib-dev 1 1 amd64\n"
				   "=Pkg: lib-dev 2 1 amd64\n"
				   "=Con: app\n"
				   "=Pkg: app 1 1 amd64\n"
				   "=Req: lib-dev\n",
				   NULL)->pl;
	const char *why[] = { "lib-dev 1-1 is required by app 1-1 (depends on lib-dev)", NULL };
	const struct plan_result *r;

	assert_int_equal(plan_name(pl, "app")->state, PLAN_NEW);
	r = plan_result(pl);
	assert_int_equal(r->nproblems, 0);
	assert_int_equal(r->nsteps, 2);
	assert_true(in_transaction(r, "lib-dev", "1-1"));
	assert_true(in_transaction(r, "app", "1-1"));
	assert_int_equal(r->nexplicit, 1);
	assert_string_equal(r->explicit_[0], "app");
	check_explain(pl, "lib-dev", 2, why);
}

/* Give the packages NAME of POOL (every version) the source package SRC. */
static void set_source(Pool *pool, const char *name, const char *src)
{
	Id p;

	FOR_POOL_SOLVABLES(p)
	{
		Solvable *s = pool->solvables + p;
		Repodata *data;

		if (strcmp(pool_id2str(pool, s->name), name))
			continue;
		data = repo_last_repodata(s->repo);
		repodata_set_id(data, p, SOLVABLE_SOURCENAME, pool_str2id(pool, src, 1));
		repodata_internalize(data);
	}
}

static void upgrade_by_source_package(void **state)
{
	/* app needs libz1 2; apt upgrades zstd, built from the same source, too,
	 * but not libother, from another */
	struct fixture *fx = deb_plan(state,
				      "=Pkg: app 1 1 amd64\n"
				      "=Req: libz1 >= 2\n"
				      "=Pkg: libz1 2 1 amd64\n"
				      "=Pkg: zstd 2 1 amd64\n"
				      "=Pkg: libother 2 1 amd64\n",
				      "=Pkg: libz1 1 1 amd64\n"
				      "=Pkg: zstd 1 1 amd64\n"
				      "=Pkg: libother 1 1 amd64\n");
	const struct plan_result *r;

	set_source(fx->pool, "libz1", "libzstd");
	set_source(fx->pool, "zstd", "libzstd");
	pool_createwhatprovides(fx->pool);
	assert_int_equal(plan_name(fx->pl, "app")->state, PLAN_NEW);
	r = plan_result(fx->pl);
	assert_int_equal(r->nproblems, 0);
	assert_true(in_transaction(r, "libz1", "2-1"));
	assert_true(in_transaction(r, "zstd", "2-1"));
	assert_false(in_transaction(r, "libother", NULL));
	assert_int_equal(r->nupgrade, 2);
	/* only what the request needs is asked for */
	assert_int_equal(r->nexplicit, 1);
}

static void upgrade_by_source_of_new_package(void **state)
{
	/* libz-dev 2 is new, and zstd 1, installed, is built from its source
	 * at an older version: apt upgrades zstd along with the new package */
	struct fixture *fx = deb_plan(state,
				      "=Pkg: app 1 1 amd64\n"
				      "=Req: libz-dev\n"
				      "=Pkg: libz-dev 2 1 amd64\n"
				      "=Pkg: zstd 2 1 amd64\n",
				      "=Pkg: zstd 1 1 amd64\n");
	const struct plan_result *r;

	set_source(fx->pool, "libz-dev", "libzstd");
	set_source(fx->pool, "zstd", "libzstd");
	pool_createwhatprovides(fx->pool);
	assert_int_equal(plan_name(fx->pl, "app")->state, PLAN_NEW);
	r = plan_result(fx->pl);
	assert_true(in_transaction(r, "libz-dev", "2-1"));
	assert_true(in_transaction(r, "zstd", "2-1"));
	assert_int_equal(r->nupgrade, 1);
}

static void conflict_names_requests(void **state)
{
	struct plan *pl = deb_plan(state,
				   "=Pkg: postfix 3.7 1 amd64\n"
				   "=Prv: mta\n"
				   "=Con: mta\n"
				   "=Pkg: exim 4.96 1 amd64\n"
				   "=Prv: mta\n"
				   "=Con: mta\n",
				   NULL)->pl;
	const char *postfix = "postfix", *exim = "exim";
	struct ed_diag d;
	const struct plan_result *r;

	assert_int_equal(add_one(pl, "dep:generic/postfix", &postfix, 1), 0);
	assert_int_equal(add_one(pl, "dep:generic/exim", &exim, 1), 1);
	assert_int_equal(plan_solve(pl, 0, &d), 0);
	r = plan_result(pl);
	assert_int_equal(r->nproblems, 1);
	assert_int_equal(r->problems[0].nlabels, 2);
	assert_int_equal(r->problems[0].nsolutions, 2);
	assert_non_null(strstr(r->problems[0].message, "conflicts with mta"));
	assert_non_null(strstr(r->problems[0].solutions[0], "(dep:generic/"));
	assert_int_equal(r->nsteps, 0);
}

static void explain_chain(void **state)
{
	struct plan *pl = deb_plan(state,
				   "=Pkg: top 1 1 amd64\n"
				   "=Req: mid\n"
				   "=Pkg: mid 1 1 amd64\n"
				   "=Req: leaf >= 1\n"
				   "=Pkg: leaf 1 1 amd64\n",
				   NULL)->pl;
	const char *why[] = {
		"leaf 1-1 is required by mid 1-1 (depends on leaf >= 1)",
		"mid 1-1 is required by top 1-1 (depends on mid)",
		"top 1-1 is asked for by dep:generic/test",
	};
	char **lines;
	size_t n;
	struct ed_diag d;

	plan_name(pl, "top");
	check_explain(pl, "leaf", 3, why);
	assert_int_equal(plan_explain(pl, "nothere", &lines, &n, &d), ED_EXIT_INPUT);
	assert_non_null(strstr(d.msg, "not in the transaction"));
}

#define PLAN_TEST(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		PLAN_TEST(first_alternative_taken),
		PLAN_TEST(installed_alternative_wins),
		PLAN_TEST(real_over_virtual),
		PLAN_TEST(virtual_with_providers),
		PLAN_TEST(virtual_with_one_provider),
		PLAN_TEST(missing_name),
		cmocka_unit_test(upstream_versions),
		PLAN_TEST(pin_when_candidate_too_new),
		PLAN_TEST(implied_headers_of_the_python),
		PLAN_TEST(implied_headers_none_of_the_python),
		PLAN_TEST(closure_favours_first_alternative),
		PLAN_TEST(closure_real_over_versioned_provider),
		PLAN_TEST(closure_alternative_met_by_real),
		PLAN_TEST(closure_walk_order),
		PLAN_TEST(closure_upgrades_for_candidate),
		PLAN_TEST(candidate_refused_keeps_solution),
		PLAN_TEST(upgrade_by_source_package),
		PLAN_TEST(upgrade_by_source_of_new_package),
		PLAN_TEST(conflict_names_requests),
		PLAN_TEST(explain_chain),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
