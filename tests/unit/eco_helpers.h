/* eco_helpers.h - shared by the backend unit tests (test_dnf.c, test_brew.c,
 * test_nix.c): temporary trees and a libsolv solve whose result is a
 * string to compare. Include after cmocka.h. */
#ifndef EXTDEPS_TEST_ECO_HELPERS_H
#define EXTDEPS_TEST_ECO_HELPERS_H

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <solv/pool.h>
#include <solv/poolarch.h>
#include <solv/problems.h>
#include <solv/queue.h>
#include <solv/repo.h>
#include <solv/selection.h>
#include <solv/solver.h>
#include <solv/transaction.h>

#include "extdeps/util/util.h"

static inline int eh_remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	return remove(path);
}

static inline void eh_rm_rf(const char *dir)
{
	nftw(dir, eh_remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* A new temporary directory $TMPDIR/extdeps-TAG-XXXXXX into OUT. */
static inline void eh_tmpdir(char *out, size_t size, const char *tag)
{
	snprintf(out, size, "%s/extdeps-%s-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
		 tag);
	assert_non_null(mkdtemp(out));
}

static inline void eh_write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static inline void eh_mkdirs(const char *path)
{
	char buf[4096];

	snprintf(buf, sizeof buf, "%s", path);
	for (char *p = buf + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			assert_true(mkdir(buf, 0755) == 0 || errno == EEXIST);
			*p = '/';
		}
	assert_true(mkdir(buf, 0755) == 0 || errno == EEXIST);
}

/* Copy the file SRC to DST. */
static inline void eh_copy_file(const char *src, const char *dst)
{
	size_t len;
	char *data = util_read_file(src, &len, NULL);

	assert_non_null(data);
	eh_write_file(dst, data, len);
	free(data);
}

static inline int eh_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Install the N names (each as "provides NAME") on POOL and describe the
 * result in OUT: "NAME-EVR NAME-EVR ..." (sorted) for the packages the
 * transaction installs, or "problem: ..." lines. Returns the number of
 * problems. */
static inline int eh_solve(Pool *pool, const char *const *names, size_t n, char *out,
			   size_t size)
{
	Queue job;
	Solver *solv;
	int nprob;
	size_t o = 0;

	out[0] = '\0';
	pool_addfileprovides(pool);
	pool_createwhatprovides(pool);
	queue_init(&job);
	for (size_t i = 0; i < n; i++)
		queue_push2(&job, SOLVER_INSTALL | SOLVER_SOLVABLE_PROVIDES,
			    pool_str2id(pool, names[i], 1));
	solv = solver_create(pool);
	nprob = solver_solve(solv, &job);
	if (nprob) {
		for (Id pr = 1; pr <= nprob; pr++)
			o += (size_t)snprintf(out + o, size - o, "%sproblem: %s", o ? "\n" : "",
					      solver_problem2str(solv, pr));
	} else {
		Transaction *tr = solver_create_transaction(solv);
		char **items = NULL;
		size_t nitems = 0;

		for (int i = 0; i < tr->steps.count; i++) {
			Id p = tr->steps.elements[i];
			Solvable *s = pool->solvables + p;
			char item[512];

			if (s->repo == pool->installed)
				continue;
			snprintf(item, sizeof item, "%s-%s", pool_id2str(pool, s->name),
				 pool_id2str(pool, s->evr));
			assert_true(util_strv_push(&items, &nitems, item));
		}
		if (nitems)
			qsort(items, nitems, sizeof *items, eh_cmp_str);
		for (size_t i = 0; i < nitems && o < size; i++)
			o += (size_t)snprintf(out + o, size - o, "%s%s", i ? " " : "", items[i]);
		util_strv_free(items, nitems);
		transaction_free(tr);
	}
	solver_free(solv);
	queue_free(&job);
	return nprob;
}

#endif
