/* libFuzzer target: the repository metadata downloaded from mirrors. The
 * first byte picks the reader, the rest is the document: an apt Release
 * (InRelease's signed text), a Fedora metalink, a conda repodata.json, a
 * Homebrew formula API listing, a nixpkgs packages.json; and dpkg's status
 * file, which `check` reads. The JSON readers stream from a file and the
 * status file is mapped, so those documents go through a temporary file. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <solv/pool.h>

#include "extdeps/eco/apt_release.h"
#include "extdeps/eco/backends.h"
#include "extdeps/eco/brew.h"
#include "extdeps/eco/conda_repodata.h"
#include "extdeps/eco/dnf.h"
#include "extdeps/eco/eco.h"
#include "extdeps/eco/installed.h"
#include "extdeps/eco/nix.h"

#include "fuzz_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ed_diag d;
	Pool *pool;

	if (!size)
		return 0;
	ed_diag_clear(&d);
	switch (data[0] % 6) {
	case 0: {
		struct apt_release r;

		if (!apt_release_parse((const char *)data + 1, size - 1, "InRelease", &r, &d))
			apt_release_fini(&r);
		/* as a flat repository's, which needs no Components */
		if (!apt_release_parse_flat((const char *)data + 1, size - 1, "InRelease", &r, &d)) {
			apt_release_flat_index(&r);
			apt_release_fini(&r);
		}
		return 0;
	}
	case 1: {
		struct dnf_metalink ml = { 0 };

		dnf_metalink_parse((const char *)data + 1, size - 1, "metalink.xml", &ml, &d);
		dnf_metalink_fini(&ml);
		return 0;
	}
	case 5: {
		struct installed *db = installed_open_dpkg(fuzz_to_file(data + 1, size - 1), &d);
		size_t n;

		if (db) {
			/* the sort has compared every name; look one up */
			for (const struct installed_pkg *pk = installed_find(db, "libc6", &n);
			     pk && n; pk++, n--)
				if (!pk->name || (!pk->version && !pk->provider))
					abort();
			installed_free(db);
		}
		return 0;
	}
	}
	pool = pool_create();
	{
		static const char *const backend[] = { "conda", "brew", "nix" };
		struct eco_opts o = { .platform = data[0] % 6 == 3 ? "arm64_sonoma" : NULL,
				      .release = "24.11" };

		if (eco_find(backend[data[0] % 6 - 2])->pool_setup(pool, &o, &d))
			abort();
	}
	switch (data[0] % 6) {
	case 2: {
		Repo *repo = conda_load_repodata(pool, fuzz_to_file(data + 1, size - 1), "fuzz", 1 << 20,
						 NULL, &d);

		if (repo)
			conda_finish_repos(pool, &repo, 1);
		break;
	}
	case 3:
		brew_load_formulae(pool, fuzz_to_file(data + 1, size - 1), "fuzz", "arm64_sonoma", 1 << 20,
				   &d);
		break;
	default:
		nix_load_packages(pool, fuzz_to_file(data + 1, size - 1), JSONSTREAM_PLAIN, "fuzz", 1 << 20,
				  &d);
	}
	pool_createwhatprovides(pool);
	pool_free(pool);
	return 0;
}
