/* libFuzzer target: a pacman sync database as a mirror serves it (core.db,
 * extra.db: a compressed tar of desc files), through a temporary file as
 * the backend reads it; what loads is solved against once. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <solv/pool.h>

#include "extdeps/eco/eco.h"
#include "extdeps/eco/pacman.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	struct eco_opts o = { .arch = "x86_64" };
	struct ed_diag d;
	Pool *pool = pool_create();
	FILE *f;
	Repo *repo;

	if (!path[0]) {
		int fd;

		snprintf(path, sizeof path, "/tmp/extdeps-fuzz-XXXXXX");
		if ((fd = mkstemp(path)) < 0)
			abort();
		close(fd);
	}
	if (!(f = fopen(path, "wb")) || fwrite(data, 1, size, f) != size || fclose(f))
		abort();
	if (eco_pacman.pool_setup(pool, &o, &d))
		abort();
	/* small enough that a decompression bomb costs no time */
	repo = pacman_load_db(pool, path, "fuzz", 1 << 20, &d);
	if (repo) {
		Id p;
		Solvable *s;

		pool_createwhatprovides(pool);
		/* every version shown must decode */
		FOR_REPO_SOLVABLES(repo, p, s)
			if (!eco_pacman.solvable_version(pool, p))
				abort();
	}
	pool_free(pool);
	return 0;
}
