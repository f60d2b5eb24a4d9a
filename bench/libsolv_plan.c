/* libsolv_plan - the floor a cold plan is measured against: libsolv's own
 * parse of this machine's apt lists and dpkg status, and one solve that
 * installs the named packages, with nothing of extdeps on the way (no
 * mapping, no cache, no second solve, no report).
 *
 *   libsolv_plan [--root DIR] [--arch A] PACKAGE...
 *
 * Prints one line: wall seconds for the parse, for the solve, and the
 * transaction's size. Lists are opened as extdeps opens them (apt_open_list:
 * libsolv's solv_xfopen has no lz4); the rest is libsolv's. Used by
 * bench/plan.py. */
#include <getopt.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <solv/pool.h>
#include <solv/poolarch.h>
#include <solv/repo.h>
#include <solv/repo_deb.h>
#include <solv/solver.h>
#include <solv/transaction.h>

#include "extdeps/eco/apt_index.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void add_list(Pool *pool, const char *path)
{
	Repo *repo = repo_create(pool, path);
	FILE *fp = apt_open_list(path);

	if (!fp || repo_add_debpackages(repo, fp, 0)) {
		fprintf(stderr, "libsolv_plan: %s: %s\n", path, fp ? pool_errstr(pool) : "cannot open");
		exit(3);
	}
	fclose(fp);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "root", required_argument, NULL, 'r' },
		{ "arch", required_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	const char *root = "", *arch = "amd64";
	char pattern[4096];
	Queue job;
	glob_t g;
	int opt, nsteps = 0;

	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (opt) {
		case 'r':
			root = optarg;
			break;
		case 'a':
			arch = optarg;
			break;
		default:
			fprintf(stderr, "usage: libsolv_plan [--root DIR] [--arch A] PACKAGE...\n");
			return 2;
		}
	}
	snprintf(pattern, sizeof pattern, "%s/var/lib/apt/lists/*_Packages*", root);

	double t0 = now();
	Pool *pool = pool_create();

	pool_setdisttype(pool, DISTTYPE_DEB);
	pool_setarch(pool, arch);
	if (glob(pattern, 0, NULL, &g) == 0)
		for (size_t i = 0; i < g.gl_pathc; i++)
			add_list(pool, g.gl_pathv[i]);
	globfree(&g);

	Repo *installed = repo_create(pool, "@System");

	/* a machine without dpkg's status has nothing installed */
	if (*root)
		pool_set_rootdir(pool, root);
	repo_add_debdb(installed, 0);
	pool_set_installed(pool, installed);
	pool_addfileprovides(pool);
	pool_createwhatprovides(pool);
	double t1 = now();

	queue_init(&job);
	for (int i = optind; i < argc; i++)
		queue_push2(&job, SOLVER_INSTALL | SOLVER_SOLVABLE_NAME, pool_str2id(pool, argv[i], 1));
	Solver *solv = solver_create(pool);

	solver_set_flag(solv, SOLVER_FLAG_IGNORE_RECOMMENDED, 1);
	if (solver_solve(solv, &job) == 0) {
		Transaction *trans = solver_create_transaction(solv);

		nsteps = trans->steps.count;
		transaction_free(trans);
	}
	double t2 = now();

	printf("parse %.3f s  solve %.3f s  transaction %d  problems %d\n", t1 - t0, t2 - t1, nsteps,
	       solver_problem_count(solv));
	solver_free(solv);
	queue_free(&job);
	pool_free(pool);
	return 0;
}
