/* load_conda - time loading conda channels into a libsolv pool and solving.
 *
 *   load_conda [--no-cache] [--cache-dir DIR] [--platform SUBDIR]
 *              [--channel DIR]... [--runs N] [SPEC]...
 *
 * Each --channel is a directory holding SUBDIR/repodata.json (and
 * noarch/); with SPECs, installs them (conda match specs) and prints the
 * transaction once. One line per run: wall seconds for load_available, for
 * the solve, the counts and the peak RSS; used by bench/load-conda. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <solv/knownid.h>
#include <solv/pool.h>
#include <solv/repo.h>
#include <solv/solvable.h>
#include <solv/solver.h>
#include <solv/transaction.h>

#include "extdeps/conda.h"
#include "extdeps/eco.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Install SPECS; print the transaction when VERBOSE. Returns the number of
 * problems, or -1 on a bad spec. */
static int solve(Pool *pool, char **specs, int n, bool verbose, size_t *installs)
{
	Queue job;
	Solver *solv;
	int problems;

	queue_init(&job);
	for (int i = 0; i < n; i++) {
		struct ed_parse_err e = { 0 };
		Id dep = conda_dep_from_spec(pool, specs[i], &e);

		if (!dep) {
			fprintf(stderr, "load_conda: '%s': %s\n", specs[i], e.msg);
			queue_free(&job);
			return -1;
		}
		queue_push2(&job, SOLVER_INSTALL | SOLVER_SOLVABLE_PROVIDES, dep);
	}
	solv = solver_create(pool);
	problems = solver_solve(solv, &job);
	*installs = 0;
	if (problems) {
		for (Id pr = 1; verbose && pr <= problems; pr++)
			printf("problem: %s\n", solver_problem2str(solv, pr));
	} else {
		Transaction *tr = solver_create_transaction(solv);

		for (int i = 0; i < tr->steps.count; i++) {
			Id p = tr->steps.elements[i];
			Solvable *s = pool->solvables + p;

			if (s->repo == pool->installed)
				continue;
			(*installs)++;
			if (verbose)
				printf("  %s %s %s (%s)\n", pool_id2str(pool, s->name),
				       conda_solvable_version(pool, p),
				       solvable_lookup_str(s, SOLVABLE_BUILDFLAVOR), s->repo->name);
		}
		transaction_free(tr);
	}
	solver_free(solv);
	queue_free(&job);
	return problems;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "no-cache", no_argument, NULL, 'n' },
		{ "cache-dir", required_argument, NULL, 'c' },
		{ "platform", required_argument, NULL, 'p' },
		{ "channel", required_argument, NULL, 'C' },
		{ "runs", required_argument, NULL, 'N' },
		{ NULL, 0, NULL, 0 },
	};
	const struct eco_ops *eco = eco_find("conda");
	const char *channels[16];
	struct eco_opts o = { .offline = true, .channels = channels };
	int runs = 1, opt;

	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (opt) {
		case 'n':
			o.no_cache = true;
			break;
		case 'c':
			o.cache_dir = optarg;
			break;
		case 'p':
			o.platform = optarg;
			break;
		case 'C':
			if (o.nchannels < 16)
				channels[o.nchannels++] = optarg;
			break;
		case 'N':
			runs = atoi(optarg);
			break;
		default:
			fprintf(stderr, "usage: load_conda [--no-cache] [--cache-dir DIR] "
					"[--platform SUBDIR] [--channel DIR]... [--runs N] [SPEC]...\n");
			return 2;
		}
	}
	for (int r = 0; r < runs; r++) {
		struct eco_load_stats st;
		struct ed_diag d;
		struct rusage ru;
		Pool *pool = pool_create();
		size_t installs = 0;
		double t0, t1, t2;
		int rc, problems = 0;

		ed_diag_clear(&d);
		t0 = now();
		rc = eco->pool_setup(pool, &o, &d);
		if (!rc)
			rc = eco->load_available(pool, &o, &st, &d);
		if (!rc)
			pool_createwhatprovides(pool);
		t1 = now();
		if (rc) {
			ed_diag_print(&d, stderr);
			pool_free(pool);
			return rc;
		}
		if (optind < argc) {
			problems = solve(pool, argv + optind, argc - optind, r == 0 && runs == 1,
					 &installs);
			if (problems < 0) {
				pool_free(pool);
				return 2;
			}
		}
		t2 = now();
		getrusage(RUSAGE_SELF, &ru);
		printf("available %.3f s  solve %.3f s  repos %zu (cache hits %zu, writes %zu, "
		       "missing %zu)  solvables %zu  installs %zu  problems %d  maxrss %ld MB\n",
		       t1 - t0, t2 - t1, st.repos, st.cache_hits, st.cache_writes, st.missing,
		       st.solvables, installs, problems, ru.ru_maxrss / 1024);
		pool_free(pool);
	}
	return 0;
}
