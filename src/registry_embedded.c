/* registry_embedded.c - the compiled-in mapping set and the default search
 * path of overlays.
 *
 * The files of mappings/ are loaded and checked at build time (tools/snapshot.c)
 * and compiled in as constant data, so a run adopts them without parsing:
 * an empty registry points at the snapshot's arrays, and what an overlay
 * changes is copied into the arena first (reg_unshare(), reg_put_mapping()). */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config.h"
#include "registry_int.h"

static int oom(struct ed_diag *d)
{
	return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "out of memory");
}

/* Into a registry already holding something, the snapshot's items go the
 * way a later file's would: definitions and aliases replace those of the
 * same key, an ecosystem's fields replace those it sets, its mappings those
 * of the same DepURL. */
static int merge(struct registry *reg, const struct registry *s, struct ed_diag *d)
{
	reg->snap = s;
	for (size_t i = 0; i < s->ndefs; i++) {
		struct reg_def *def = reg_put_def(reg, s->defs[i].id);
		if (!def)
			return oom(d);
		*def = s->defs[i];
	}
	for (size_t i = 0; i < s->naliases; i++) {
		struct reg_alias *a = reg_put_alias(reg, s->aliases[i].name);
		if (!a)
			return oom(d);
		*a = s->aliases[i];
	}
	for (size_t i = 0; i < s->necos; i++) {
		const struct reg_ecosystem *se = &s->ecos[i];
		bool created;
		struct reg_ecosystem *e = reg_get_eco(reg, se->id, &created);
		if (!e)
			return oom(d);
		if (created) {
			*e = *se;
			continue;
		}
		e->name = se->name;
		if (se->inherits) {
			e->inherits = se->inherits;
			e->inherits_loc = se->inherits_loc;
		}
		if (se->nreleases) {
			e->releases = se->releases;
			e->nreleases = se->nreleases;
		}
		if (se->default_release)
			e->default_release = se->default_release;
		if (se->has_pm) {
			e->has_pm = true;
			e->pm = se->pm;
		}
		if (se->has_python_dev) {
			e->has_python_dev = true;
			e->python_dev = se->python_dev;
		}
		for (size_t m = 0; m < se->nmappings; m++) {
			struct reg_mapping *map = reg_put_mapping(reg, e, se->mappings[m].id, true);
			if (!map)
				return oom(d);
			*map = se->mappings[m];
		}
	}
	return 0;
}

int registry_load_embedded_for(struct registry *reg, const char *ecosystem, struct ed_diag *d)
{
	const struct registry *s = &reg_snapshot;

	/* adopting every ecosystem costs nothing: ECOSYSTEM no longer limits */
	(void)ecosystem;
	if (reg->ndefs || reg->naliases || reg->necos || reg->snap)
		return merge(reg, s, d);
	reg->defs = s->defs;
	reg->ndefs = s->ndefs;
	reg->aliases = s->aliases;
	reg->naliases = s->naliases;
	reg->ecos = s->ecos;
	reg->necos = s->necos;
	reg->snap = s;
	return 0;
}

int registry_load_embedded(struct registry *reg, struct ed_diag *d)
{
	return registry_load_embedded_for(reg, NULL, d);
}

static bool dir_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int registry_load_default(struct registry *reg, const char *const *dirs, size_t ndirs,
			  struct ed_diag *d)
{
	return registry_load_default_for(reg, NULL, dirs, ndirs, d);
}

int registry_load_default_for(struct registry *reg, const char *ecosystem,
			      const char *const *dirs, size_t ndirs, struct ed_diag *d)
{
	const char *datadir = getenv("EXTDEPS_DATADIR");
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	char path[4096];
	/* the snapshot alone was checked when it was built */
	bool checked = !reg->ndefs && !reg->naliases && !reg->necos;
	int rc = registry_load_embedded_for(reg, ecosystem, d);

	if (rc)
		return rc;
	snprintf(path, sizeof path, "%s/mappings", datadir && *datadir ? datadir : EXTDEPS_DATADIR);
	if (dir_exists(path)) {
		checked = false;
		if ((rc = registry_load_dir(reg, path, d)))
			return rc;
	}
	/* XDG: a relative $XDG_CONFIG_HOME is invalid and ignored */
	if (xdg && xdg[0] == '/')
		snprintf(path, sizeof path, "%s/extdeps/mappings", xdg);
	else if (home && *home)
		snprintf(path, sizeof path, "%s/.config/extdeps/mappings", home);
	else
		path[0] = '\0';
	if (path[0] && dir_exists(path)) {
		checked = false;
		if ((rc = registry_load_dir(reg, path, d)))
			return rc;
	}
	for (size_t i = 0; i < ndirs; i++) {
		if (!dir_exists(dirs[i]))
			return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0,
					   "mapping directory '%s' does not exist", dirs[i]);
		checked = false;
		if ((rc = registry_load_dir(reg, dirs[i], d)))
			return rc;
	}
	return checked ? 0 : registry_check(reg, d);
}
