/* load_apt - time loading the host's apt lists into a libsolv pool.
 *
 *   load_apt [--no-cache] [--cache-dir DIR] [--root DIR] [--arch A] [--runs N]
 *
 * Prints one line per run: wall seconds for load_available, for the dpkg
 * status, and the counts; used by bench/load-apt. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <solv/pool.h>
#include <solv/repo.h>

#include "extdeps/eco/backends.h"
#include "extdeps/eco/eco.h"
#include "extdeps/util/heap.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "no-cache", no_argument, NULL, 'n' },
		{ "cache-dir", required_argument, NULL, 'c' },
		{ "root", required_argument, NULL, 'r' },
		{ "arch", required_argument, NULL, 'a' },
		{ "runs", required_argument, NULL, 'N' },
		{ NULL, 0, NULL, 0 },
	};
	const struct eco_ops *eco = eco_find("apt");
	struct eco_opts o = { 0 };
	int runs = 1, opt;

	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (opt) {
		case 'n':
			o.no_cache = true;
			break;
		case 'c':
			o.cache_dir = optarg;
			break;
		case 'r':
			o.root = optarg;
			break;
		case 'a':
			o.arch = optarg;
			break;
		case 'N':
			runs = atoi(optarg);
			break;
		default:
			fprintf(stderr, "usage: load_apt [--no-cache] [--cache-dir DIR] [--root DIR] "
					"[--arch A] [--runs N]\n");
			return 2;
		}
	}
	/* as the commands do (cli_repos_open) */
	heap_prepare_pool();
	for (int r = 0; r < runs; r++) {
		struct eco_load_stats st;
		struct ed_diag d;
		Pool *pool = pool_create();
		double t0, t1, t2, t3;
		int rc;

		ed_diag_clear(&d);
		t0 = now();
		rc = eco->pool_setup(pool, &o, &d);
		if (!rc)
			rc = eco->load_available(pool, &o, &st, &d);
		t1 = now();
		if (!rc)
			rc = eco->load_installed(pool, &o, NULL, &d);
		t2 = now();
		if (!rc) {
			pool_addfileprovides(pool);
			pool_createwhatprovides(pool);
		}
		t3 = now();
		if (rc) {
			ed_diag_print(&d, stderr);
			pool_free(pool);
			return rc;
		}
		printf("available %.3f s  installed %.3f s  whatprovides %.3f s  repos %zu "
		       "(cache hits %zu, writes %zu, missing %zu)  solvables %zu  installed %d\n",
		       t1 - t0, t2 - t1, t3 - t2, st.repos, st.cache_hits, st.cache_writes,
		       st.missing, st.solvables, pool->installed ? pool->installed->nsolvables : 0);
		pool_free(pool);
	}
	return 0;
}
