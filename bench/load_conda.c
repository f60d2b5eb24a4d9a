/* load_conda - time loading conda channels into a libsolv pool and solving.
 *
 *   load_conda [--no-cache] [--cache-dir DIR] [--platform SUBDIR]
 *              [--channel DIR]... [--runs N] [NAME]...
 *
 * Each --channel is a directory holding SUBDIR/repodata.json (and
 * noarch/); with NAMEs, plans their install as `extdeps plan` does (plan.h,
 * the virtual packages installed) and prints the transaction once. One line per run: wall seconds for load_available, for
 * the solve, the counts and the peak RSS; used by bench/load-conda. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <solv/pool.h>

#include "extdeps/eco/backends.h"
#include "extdeps/eco/conda.h"
#include "extdeps/eco/eco.h"
#include "extdeps/map/registry.h"
#include "extdeps/solve/plan.h"
#include "extdeps/util/heap.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU seconds of the process so far: on a shared machine wall times say
 * more about the neighbours */
static double cpu(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Plan the install of package NAMES as extdeps plan does (plan.h); print the
 * transaction when VERBOSE. Returns the number of problems, or -1 when out
 * of memory. */
static int solve(Pool *pool, char **names, int n, bool verbose, size_t *installs)
{
	struct plan *pl = plan_new(pool, &eco_conda);
	struct reg_spec items[64];
	struct reg_spec_list specs = { items, 0 };
	const struct plan_result *r;
	struct ed_diag d;
	int problems;

	if (!pl)
		return -1;
	for (int i = 0; i < n && specs.count < sizeof items / sizeof items[0]; i++)
		items[specs.count++] = (struct reg_spec){ .alts = &names[i], .nalts = 1 };
	ed_diag_clear(&d);
	if (plan_add_specs(pl, "bench", &specs, NULL) < 0 || plan_solve(pl, 0, &d)) {
		plan_free(pl);
		return -1;
	}
	r = plan_result(pl);
	problems = (int)r->nproblems;
	*installs = 0;
	for (size_t i = 0; i < r->nproblems && verbose; i++)
		printf("problem: %s\n", r->problems[i].message);
	for (size_t i = 0; i < r->nsteps; i++) {
		(*installs)++;
		if (verbose)
			printf("  %s %s\n", r->steps[i].name, r->steps[i].version);
	}
	if (r->nunresolved)
		printf("unresolved: %zu of the names\n", r->nunresolved);
	plan_free(pl);
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
					"[--platform SUBDIR] [--channel DIR]... [--runs N] [NAME]...\n");
			return 2;
		}
	}
	/* as the commands do (cli_repos_open): the load is told the names the
	 * plan asks about */
	if (optind < argc) {
		o.names = (const char *const *)argv + optind;
		o.nnames = (size_t)(argc - optind);
	}
	heap_prepare_pool();
	for (int r = 0; r < runs; r++) {
		struct eco_load_stats st;
		struct ed_diag d;
		struct rusage ru;
		Pool *pool = pool_create();
		size_t installs = 0;
		double t0, t1, t2, c0, c1, c2;
		int rc, problems = 0;

		ed_diag_clear(&d);
		t0 = now();
		c0 = cpu();
		rc = eco->pool_setup(pool, &o, &d);
		if (!rc)
			rc = eco->load_available(pool, &o, &st, &d);
		/* conda's virtual packages (and $CONDA_PREFIX when set) */
		if (!rc)
			rc = eco->load_installed(pool, &o, NULL, &d);
		if (!rc)
			pool_createwhatprovides(pool);
		t1 = now();
		c1 = cpu();
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
		c2 = cpu();
		getrusage(RUSAGE_SELF, &ru);
		printf("available %.3f s  solve %.3f s  cpu %.3f + %.3f s  repos %zu (cache hits %zu, writes %zu, "
		       "missing %zu)  solvables %zu  installs %zu  problems %d  maxrss %ld MB\n",
		       t1 - t0, t2 - t1, c1 - c0, c2 - c1, st.repos, st.cache_hits, st.cache_writes, st.missing,
		       st.solvables, installs, problems, ru.ru_maxrss / 1024);
		pool_free(pool);
	}
	return 0;
}
