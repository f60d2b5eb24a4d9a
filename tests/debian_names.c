/* debian_names - every Debian package name the registry maps for a release
 * exists in that release's real repositories, checked with libsolv through
 * the apt backend.
 *
 *   debian_names ROOT RELEASE
 *
 * ROOT holds etc/apt/sources.list and var/lib/apt/lists for the release with
 * every component (main, contrib, non-free, non-free-firmware), as
 * scripts/fetch-debian-lists makes it. Exit 0 when every name exists, 1 with
 * the missing names listed, 77 (skipped) when ROOT has no lists. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <solv/pool.h>

#include "extdeps/eco/backends.h"
#include "extdeps/eco/eco.h"
#include "extdeps/map/registry.h"

#define SKIP 77

static size_t check_list(Pool *pool, const struct reg_map *m, const char *id, size_t *checked)
{
	size_t missing = 0;

	for (size_t k = 0; k < m->npkgs; k++)
		for (size_t a = 0; a < m->pkgs[k].nalts; a++) {
			const char *name = m->pkgs[k].alts[a].name;
			(*checked)++;
			if (!eco_pool_has_name(pool, name)) {
				printf("missing: %s (%s, %s)\n", name, id, m->release ? m->release : "default");
				missing++;
			}
		}
	return missing;
}

int main(int argc, char **argv)
{
	const struct eco_ops *apt = eco_find("apt");
	struct eco_opts o = { 0 };
	struct registry *reg;
	struct reg_target t;
	struct ed_diag d = { 0 };
	char path[4096], target[64];
	struct stat st;
	size_t missing = 0, checked = 0;
	Pool *pool;

	if (argc != 3) {
		fprintf(stderr, "usage: debian_names ROOT RELEASE\n");
		return 2;
	}
	snprintf(path, sizeof path, "%s/var/lib/apt/lists", argv[1]);
	if (stat(path, &st) || !S_ISDIR(st.st_mode)) {
		printf("no lists in %s: run scripts/fetch-debian-lists first\n", argv[1]);
		return SKIP;
	}
	snprintf(target, sizeof target, "debian:%s", argv[2]);
	reg = registry_new();
	if (registry_load_embedded(reg, &d) || registry_check(reg, &d) ||
	    registry_parse_target(reg, target, &t, &d)) {
		ed_diag_print(&d, stderr);
		registry_free(reg);
		return 1;
	}
	o.root = argv[1];
	o.arch = "amd64";
	o.no_cache = true;
	pool = pool_create();
	if (apt->pool_setup(pool, &o, &d) || apt->load_available(pool, &o, NULL, &d)) {
		ed_diag_print(&d, stderr);
		pool_free(pool);
		registry_free(reg);
		return SKIP;
	}
	for (size_t i = 0; i < registry_ndefs(reg); i++) {
		const struct reg_def *def = registry_def_at(reg, i);
		struct ed_parse_err perr;
		struct depurl *url = depurl_parse(def->id, strlen(def->id), &perr);

		for (int s = 0; url && s < ED_STAGE_COUNT; s++) {
			struct reg_map m;
			if (registry_map(reg, &t, url, (enum ed_stage)s, &m, &d)) {
				ed_diag_print(&d, stderr);
				return 1;
			}
			/* only what the debian file itself maps, not providers, nor
			 * what another vendor's repository has */
			if (m.status == REG_MAPPED && !m.via && !(m.repository && m.repository->url))
				missing += check_list(pool, &m, def->id, &checked);
			reg_map_fini(&m);
		}
		depurl_free(url);
	}
	printf("%zu names checked for %s, %zu missing\n", checked, target, missing);
	pool_free(pool);
	registry_free(reg);
	return missing ? 1 : 0;
}
