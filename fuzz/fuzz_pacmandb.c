/* libFuzzer target: a pacman sync database as a mirror serves it (core.db,
 * extra.db: a compressed tar of desc files), through a temporary file as
 * the backend reads it; what loads is solved against once. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <solv/pool.h>

#include "extdeps/eco/eco.h"
#include "extdeps/eco/pacman.h"

#include "fuzz_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_to_file(data, size);
	struct eco_opts o = { .arch = "x86_64" };
	struct ed_diag d;
	Pool *pool = pool_create();
	Repo *repo;

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
