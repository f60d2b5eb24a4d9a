/* conda_solve - load a conda target the way the commands do and plan the
 * install of match specs as `extdeps plan` does (plan.h: the explicit
 * packages chosen, the pruned pool, the refinements); for
 * tests/conda_update_test.py, tests/conda_agreement.py and
 * tests/conda_shards_test.py.
 *
 *   conda_solve [--online] CACHE_DIR PLATFORM CHANNEL SPEC...
 *
 * Offline unless --online: the metadata must be in CACHE_DIR (extdeps
 * update); --online lets the load fetch the shards it reaches. The load is
 * told the names the SPECs are about, as plans tell it theirs. Each SPEC is
 * a conda match spec ("numpy >=1.20", "python 3.11.* *_cpython",
 * "numpy[build_number='>=1']"). Prints one line per package installed,
 * "NAME VERSION BUILD", sorted; exits 0, 1 when unsatisfiable (the
 * problems on stderr), 2 on a bad spec, or the load's status. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <solv/knownid.h>
#include <solv/pool.h>
#include <solv/solvable.h>

#include "extdeps/eco/backends.h"
#include "extdeps/eco/conda_match.h"
#include "extdeps/eco/eco.h"
#include "extdeps/solve/plan.h"
#include "extdeps/util/heap.h"

/* The name a match spec is about: up to the first space, operator or
 * bracket, after any "channel::". */
static void spec_name(const char *spec, char *out, size_t size)
{
	const char *colons = strstr(spec, "::");
	size_t n;

	if (colons)
		spec = colons + 2;
	n = strcspn(spec, " =<>!~[");
	snprintf(out, size, "%.*s", (int)n, spec);
}

static int plan_specs(Pool *pool, char **specs, int nspecs)
{
	struct plan *pl = plan_new(pool, eco_find("conda"));
	const struct plan_result *r;
	struct ed_diag d;
	int rc = 0;

	if (!pl)
		return 3;
	for (int i = 0; i < nspecs && !rc; i++) {
		struct ed_parse_err e = { 0 };
		Id dep = conda_dep_from_spec(pool, specs[i], &e);
		char name[256];

		if (!dep) {
			fprintf(stderr, "conda_solve: '%s': %s\n", specs[i], e.msg);
			rc = 2;
			break;
		}
		spec_name(specs[i], name, sizeof name);
		if (plan_add_dep(pl, specs[i], name, dep) < 0)
			rc = 3;
	}
	/* the load left the pool's whatprovides to whoever solves */
	if (!rc) {
		pool_createwhatprovides(pool);
		ed_diag_clear(&d);
		if (plan_solve(pl, 0, &d)) {
			ed_diag_print(&d, stderr);
			rc = 3;
		}
	}
	if (rc) {
		plan_free(pl);
		return rc;
	}
	r = plan_result(pl);
	for (size_t i = 0; i < r->nproblems; i++)
		fprintf(stderr, "problem: %s\n", r->problems[i].message);
	for (size_t i = 0; i < r->nrequests; i++)
		for (size_t c = 0; c < r->requests[i].nchoices; c++)
			if (r->requests[i].choices[c].why)
				fprintf(stderr, "%s: %s\n", r->requests[i].label,
					r->requests[i].choices[c].why);
	rc = r->nproblems || r->nunresolved ? 1 : 0;
	for (size_t i = 0; i < r->nsteps && !rc; i++) {
		const struct plan_step *st = &r->steps[i];

		if (st->action != PLAN_STEP_REMOVE)
			printf("%s %s %s\n", st->name, st->version,
			       solvable_lookup_str(pool->solvables + st->solvable,
						   SOLVABLE_BUILDFLAVOR));
	}
	plan_free(pl);
	return rc;
}

int main(int argc, char **argv)
{
	const struct eco_ops *eco = eco_find("conda");
	struct eco_opts o = { .offline = true };
	struct ed_diag d;
	Pool *pool;
	int rc;

	char (*names)[256];
	const char **namev;

	/* --online: shards a load reaches may be downloaded */
	if (argc > 1 && !strcmp(argv[1], "--online")) {
		o.offline = false;
		argv++;
		argc--;
	}
	if (argc < 5) {
		fprintf(stderr, "usage: conda_solve [--online] CACHE_DIR PLATFORM CHANNEL SPEC...\n");
		return 2;
	}
	o.cache_dir = argv[1];
	o.platform = argv[2];
	o.channels = (const char *const *)&argv[3];
	o.nchannels = 1;
	/* the names asked about, as extdeps plan passes its mapped names */
	names = calloc((size_t)argc, sizeof *names);
	namev = calloc((size_t)argc, sizeof *namev);
	if (!names || !namev)
		return 3;
	for (int i = 4; i < argc; i++) {
		spec_name(argv[i], names[i - 4], sizeof names[i - 4]);
		namev[i - 4] = names[i - 4];
	}
	o.names = namev;
	o.nnames = (size_t)(argc - 4);
	ed_diag_clear(&d);
	heap_prepare_pool();
	pool = pool_create();
	rc = eco->pool_setup(pool, &o, &d);
	if (!rc)
		rc = eco->load_available(pool, &o, NULL, &d);
	if (rc)
		ed_diag_print(&d, stderr);
	else
		rc = plan_specs(pool, argv + 4, argc - 4);
	pool_free(pool);
	free(names);
	free(namev);
	return rc;
}
