/* conda_solve - load a conda target the way the commands do and install
 * match specs with libsolv; for tests/conda_update_test.py.
 *
 *   conda_solve CACHE_DIR PLATFORM CHANNEL SPEC...
 *
 * Offline: the metadata must be in CACHE_DIR (extdeps update). Prints one
 * line per package installed, "NAME VERSION BUILD", sorted by the
 * transaction's order; exits 0, 1 when unsatisfiable, or the load's status. */
#include <stdio.h>
#include <stdlib.h>

#include <solv/knownid.h>
#include <solv/pool.h>
#include <solv/solvable.h>
#include <solv/solver.h>
#include <solv/transaction.h>

#include "extdeps/eco/backends.h"
#include "extdeps/eco/conda_match.h"
#include "extdeps/eco/eco.h"

int main(int argc, char **argv)
{
	const struct eco_ops *eco = eco_find("conda");
	struct eco_opts o = { .offline = true };
	struct ed_diag d;
	Pool *pool;
	Queue job;
	Solver *solv;
	int rc;

	if (argc < 5) {
		fprintf(stderr, "usage: conda_solve CACHE_DIR PLATFORM CHANNEL SPEC...\n");
		return 2;
	}
	o.cache_dir = argv[1];
	o.platform = argv[2];
	o.channels = (const char *const *)&argv[3];
	o.nchannels = 1;
	ed_diag_clear(&d);
	pool = pool_create();
	rc = eco->pool_setup(pool, &o, &d);
	if (!rc)
		rc = eco->load_available(pool, &o, NULL, &d);
	if (rc) {
		ed_diag_print(&d, stderr);
		pool_free(pool);
		return rc;
	}
	pool_createwhatprovides(pool);
	queue_init(&job);
	for (int i = 4; i < argc; i++) {
		struct ed_parse_err e = { 0 };
		Id dep = conda_dep_from_spec(pool, argv[i], &e);

		if (!dep) {
			fprintf(stderr, "conda_solve: '%s': %s\n", argv[i], e.msg);
			return 2;
		}
		queue_push2(&job, SOLVER_INSTALL | SOLVER_SOLVABLE_PROVIDES, dep);
	}
	solv = solver_create(pool);
	rc = solver_solve(solv, &job) ? 1 : 0;
	if (!rc) {
		Transaction *tr = solver_create_transaction(solv);

		for (int i = 0; i < tr->steps.count; i++) {
			Id p = tr->steps.elements[i];
			Solvable *s = pool->solvables + p;

			if (s->repo != pool->installed)
				printf("%s %s %s\n", pool_id2str(pool, s->name),
				       pool_id2str(pool, s->evr),
				       solvable_lookup_str(s, SOLVABLE_BUILDFLAVOR));
		}
		transaction_free(tr);
	}
	solver_free(solv);
	queue_free(&job);
	pool_free(pool);
	return rc;
}
