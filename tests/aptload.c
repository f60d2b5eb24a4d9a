/* aptload.c - load a remote apt target from the cache, as plan would, and
 * print its packages ("name version arch", sorted by libsolv id) for
 * tests/update_test.py.
 *
 *   aptload CACHE_DIR DISTRO RELEASE CODENAME ARCH [offline]
 *
 * The mirror comes from $EXTDEPS_TEST_MIRROR when set. Exit status: the
 * backend's, with its message on stderr. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <solv/pool.h>
#include <solv/repo.h>

#include "extdeps/eco/apt.h"
#include "extdeps/eco/apt_index.h"
#include "extdeps/eco/eco.h"

int main(int argc, char **argv)
{
	struct eco_load_stats st;
	struct ed_diag d;
	Pool *pool;
	Id p;
	Solvable *s;
	int rc;

	if (argc < 6) {
		fprintf(stderr, "usage: aptload CACHE DISTRO RELEASE CODENAME ARCH [offline]\n");
		return 2;
	}
	struct eco_opts o = {
		.cache_dir = argv[1],
		.distro = argv[2],
		.release = argv[3],
		.codename = argv[4],
		.arch = argv[5],
		.offline = argc > 6 && !strcmp(argv[6], "offline"),
		.mirror = getenv("EXTDEPS_TEST_MIRROR"),
	};
	ed_diag_clear(&d);
	pool = pool_create();
	rc = eco_apt.pool_setup(pool, &o, &d);
	if (!rc)
		rc = eco_apt.load_available(pool, &o, &st, &d);
	if (rc) {
		ed_diag_print(&d, stderr);
		pool_free(pool);
		return rc;
	}
	FOR_POOL_SOLVABLES(p)
	{
		s = pool->solvables + p;
		printf("%s %s %s\n", pool_id2str(pool, s->name), pool_id2str(pool, s->evr),
		       pool_id2str(pool, s->arch));
	}
	fprintf(stderr, "repos=%zu solvables=%zu cache_hits=%zu cache_writes=%zu\n", st.repos,
		st.solvables, st.cache_hits, st.cache_writes);
	pool_free(pool);
	return 0;
}
