/* registry_embedded.c - the compiled-in mapping set and the default search
 * path of overlays.
 *
 * The files of mappings/ are loaded and checked at build time
 * (tools/snapshot.c) and compiled in without pointers (the grammar is in
 * registry_int.h): a run builds the structs of the ecosystems it asks for
 * in the arena, strings pointing into the constant data, without parsing.
 * Only the pages read are touched: the snapshot costs a run nothing at
 * start (no relocations) and little after. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config.h"
#include "registry_int.h"

struct rd {
	const uint32_t *w;
	struct reg_arena *a;
};

static size_t num(struct rd *r)
{
	return *r->w++;
}

static char *str(struct rd *r)
{
	uint32_t at = *r->w++;

	/* the strings are never written: registry.h hands them out const */
	return at ? (char *)reg_snap_strings + at - 1 : NULL;
}

/* An arena array of N items of SIZE (NULL when N is 0), with room for the
 * growth ra_grow() assumes when GROWABLE; that room is left untouched. */
static bool array(struct rd *r, void **out, size_t n, size_t size, bool growable)
{
	size_t cap = n;

	*out = NULL;
	if (!n)
		return true;
	if (growable)
		for (cap = 8; cap < n; cap *= 2)
			;
	*out = ra_alloc_raw(r->a, cap * size);
	if (*out)
		memset(*out, 0, n * size);
	return *out != NULL;
}

static bool strs(struct rd *r, char ***out, size_t *n)
{
	*n = num(r);
	if (!array(r, (void **)out, *n, sizeof **out, false))
		return false;
	for (size_t i = 0; i < *n; i++)
		(*out)[i] = str(r);
	return true;
}

static void loc(struct rd *r, struct reg_loc *l)
{
	l->file = str(r);
	l->line = (int)num(r);
	l->col = (int)num(r);
}

static bool locs(struct rd *r, struct reg_loc **out, size_t n)
{
	if (!num(r)) {
		*out = NULL;
		return true;
	}
	if (!array(r, (void **)out, n, sizeof **out, false))
		return false;
	for (size_t i = 0; i < n; i++)
		loc(r, &(*out)[i]);
	return true;
}

static bool specs(struct rd *r, struct reg_spec_list *l)
{
	l->count = num(r);
	if (!array(r, (void **)&l->items, l->count, sizeof *l->items, false))
		return false;
	for (size_t i = 0; i < l->count; i++) {
		struct reg_spec *sp = &l->items[i];
		if (!strs(r, &sp->alts, &sp->nalts))
			return false;
		if (!num(r))
			continue;
		if (!array(r, (void **)&sp->fixed, sp->nalts, sizeof *sp->fixed, false))
			return false;
		for (size_t a = 0; a < sp->nalts; a++)
			sp->fixed[a] = str(r);
	}
	return true;
}

static bool entry(struct rd *r, struct reg_entry *e)
{
	e->has_specs = num(r);
	for (int s = 0; s < ED_STAGE_COUNT; s++)
		e->has_stage[s] = num(r);
	for (int s = 0; s < ED_STAGE_COUNT; s++) {
		size_t same = num(r);
		if (same < (size_t)s)
			e->stages[s] = e->stages[same];
		else if (!specs(r, &e->stages[s]))
			return false;
	}
	e->version = (enum reg_version_mode)num(r);
	e->unavailable = str(r);
	e->repository = str(r);
	loc(r, &e->repository_loc);
	return true;
}

static bool branches(struct rd *r, struct reg_version_entry **v, size_t *n)
{
	*n = num(r);
	if (!array(r, (void **)v, *n, sizeof **v, false))
		return false;
	for (size_t i = 0; i < *n; i++) {
		(*v)[i].range = str(r);
		if (!entry(r, &(*v)[i].entry))
			return false;
		loc(r, &(*v)[i].loc);
	}
	return true;
}

static bool mapping(struct rd *r, struct reg_mapping *m)
{
	m->id = str(r);
	m->description = str(r);
	m->specs_from = str(r);
	loc(r, &m->specs_from_loc);
	if (!entry(r, &m->base))
		return false;
	m->nreleases = num(r);
	if (!array(r, (void **)&m->releases, m->nreleases, sizeof *m->releases, false))
		return false;
	for (size_t i = 0; i < m->nreleases; i++) {
		struct reg_release_entry *o = &m->releases[i];
		o->release = str(r);
		if (!entry(r, &o->entry) || !branches(r, &o->versions, &o->nversions))
			return false;
		loc(r, &o->loc);
	}
	if (!branches(r, &m->versions, &m->nversions))
		return false;
	loc(r, &m->loc);
	return true;
}

static bool pm(struct rd *r, struct reg_pm *pm)
{
	pm->name = str(r);
	if (!strs(r, &pm->install, &pm->ninstall))
		return false;
	pm->needs_root = num(r);
	pm->constraint = str(r);
	pm->install_constraint = str(r);
	pm->pin = str(r);
	pm->noperators = num(r);
	if (!array(r, (void **)&pm->operators, pm->noperators, sizeof *pm->operators, false))
		return false;
	for (size_t i = 0; i < pm->noperators; i++) {
		pm->operators[i].op = (enum pep440_op)num(r);
		pm->operators[i].text = str(r);
	}
	return true;
}

static bool repositories(struct rd *r, struct reg_ecosystem *s)
{
	s->nrepositories = num(r);
	if (!array(r, (void **)&s->repositories, s->nrepositories, sizeof *s->repositories, false))
		return false;
	for (size_t i = 0; i < s->nrepositories; i++) {
		struct reg_repository *x = &s->repositories[i];
		x->id = str(r);
		x->name = str(r);
		x->component = str(r);
		x->url = str(r);
		x->suite = str(r);
		x->keyring = str(r);
		x->nenable = num(r);
		if (!array(r, (void **)&x->enable, x->nenable + 1, sizeof *x->enable, false))
			return false;
		for (size_t k = 0; k < x->nenable; k++) {
			size_t n;
			char **argv;
			if (!strs(r, &argv, &n) ||
			    !array(r, (void **)&x->enable[k], n + 1, sizeof *argv, false))
				return false;
			memcpy(x->enable[k], argv, n * sizeof *argv);
		}
		loc(r, &x->loc);
	}
	return true;
}

/* `type_rules`, in an array an overlay's rules can be added to. */
static bool rules(struct rd *r, struct reg_ecosystem *s)
{
	s->nrules = num(r);
	if (!array(r, (void **)&s->rules, s->nrules, sizeof *s->rules, true))
		return false;
	for (size_t i = 0; i < s->nrules; i++) {
		struct reg_rule *x = &s->rules[i];
		x->type = str(r);
		if (!entry(r, &x->entry))
			return false;
		x->lower = num(r);
		if (!strs(r, &x->replace, &x->nreplace))
			return false;
		loc(r, &x->loc);
	}
	return true;
}

/* An ecosystem's fields up to its mappings (NMAPPINGS read, not them). */
static bool eco_header(struct rd *r, struct reg_ecosystem *s)
{
	s->id = str(r);
	s->name = str(r);
	s->inherits = str(r);
	loc(r, &s->inherits_loc);
	s->pep804_id = str(r);
	s->nreleases = num(r);
	if (!array(r, (void **)&s->releases, s->nreleases, sizeof *s->releases, false))
		return false;
	for (size_t i = 0; i < s->nreleases; i++) {
		s->releases[i].number = str(r);
		s->releases[i].codename = str(r);
		s->releases[i].python = str(r);
	}
	s->default_release = str(r);
	s->python = str(r);
	s->names = (enum reg_names)num(r);
	s->has_pm = num(r);
	if (!pm(r, &s->pm))
		return false;
	s->has_python_dev = num(r);
	if (!specs(r, &s->python_dev) || !specs(r, &s->python_dev_other) || !strs(r, &s->export_formats, &s->nexport_formats) ||
	    !repositories(r, s) || !rules(r, s))
		return false;
	s->nmappings = num(r);
	return true;
}

/* S's header into E, an ecosystem an earlier file made: the fields the
 * snapshot sets replace its own, as a later file's would. */
static void merge_header(struct reg_ecosystem *e, const struct reg_ecosystem *s)
{
	e->name = s->name;
	if (s->inherits) {
		e->inherits = s->inherits;
		e->inherits_loc = s->inherits_loc;
	}
	if (s->pep804_id)
		e->pep804_id = s->pep804_id;
	if (s->nreleases) {
		e->releases = s->releases;
		e->nreleases = s->nreleases;
	}
	if (s->default_release)
		e->default_release = s->default_release;
	if (s->python)
		e->python = s->python;
	if (s->names)
		e->names = s->names;
	if (s->has_pm) {
		e->has_pm = true;
		e->pm = s->pm;
	}
	if (s->has_python_dev) {
		e->has_python_dev = true;
		e->python_dev = s->python_dev;
		e->python_dev_other = s->python_dev_other;
	}
	if (s->nexport_formats) {
		e->export_formats = s->export_formats;
		e->nexport_formats = s->nexport_formats;
	}
	if (s->nrepositories) {
		e->repositories = s->repositories;
		e->nrepositories = s->nrepositories;
	}
	if (s->nrules) {
		e->rules = s->rules;
		e->nrules = s->nrules;
	}
}

/* The ecosystem at R into E; its mappings replace those E has of the same
 * DepURL (REG is NULL when E is new). */
static bool eco(struct rd *r, struct registry *reg, struct reg_ecosystem *e)
{
	struct reg_ecosystem s;

	memset(&s, 0, sizeof s);
	if (!eco_header(r, &s))
		return false;
	if (!reg) {
		if (!array(r, (void **)&s.mappings, s.nmappings, sizeof *s.mappings, true))
			return false;
		for (size_t i = 0; i < s.nmappings; i++)
			if (!mapping(r, &s.mappings[i]))
				return false;
		loc(r, &s.loc);
		*e = s;
		return true;
	}
	merge_header(e, &s);
	for (size_t i = 0; i < s.nmappings; i++) {
		struct reg_mapping m, *slot;
		memset(&m, 0, sizeof m);
		if (!mapping(r, &m) || !(slot = reg_put_mapping(reg, e, m.id, true)))
			return false;
		*slot = m;
	}
	loc(r, &s.loc);
	return true;
}

/* The index of compiled-in ecosystems: NECOS (ID INHERITS AT)*. */
static const uint32_t *eco_index(size_t *necos)
{
	const uint32_t *w = reg_snap_words + reg_snap_words[0];

	*necos = w[0];
	return w + 1;
}

static const char *index_str(uint32_t at)
{
	return at ? reg_snap_strings + at - 1 : NULL;
}

static size_t find_eco(const uint32_t *index, size_t necos, const char *id)
{
	for (size_t k = 0; id && k < necos; k++)
		if (!strcmp(index_str(index[3 * k]), id))
			return k;
	return necos;
}

static bool def(struct rd *r, struct reg_def *def)
{
	memset(def, 0, sizeof *def);
	def->id = str(r);
	def->description = str(r);
	def->versioning = str(r);
	if (!strs(r, &def->provides, &def->nprovides) ||
	    !locs(r, &def->provides_locs, def->nprovides) ||
	    !strs(r, &def->aliases, &def->naliases) || !locs(r, &def->alias_locs, def->naliases) ||
	    !strs(r, &def->pkgconfig, &def->npkgconfig) ||
	    !strs(r, &def->executables, &def->nexecutables) || !strs(r, &def->env, &def->nenv) ||
	    !strs(r, &def->files, &def->nfiles))
		return false;
	loc(r, &def->loc);
	return true;
}

static void alias(struct rd *r, struct reg_alias *a)
{
	a->name = str(r);
	a->id = str(r);
	a->version = str(r);
	loc(r, &a->loc);
}

/* When FRESH, room for the N items of a registry's empty array, whole. */
static bool whole(struct rd *r, bool fresh, void **items, size_t *count, size_t n, size_t size)
{
	if (!fresh)
		return true;
	if (!array(r, items, n, size, true))
		return false;
	*count = n;
	return true;
}

/* The definitions and the aliases. An empty registry gets the arrays whole;
 * one holding something merges them the way a later file would. */
static int load_defs(struct registry *reg)
{
	struct rd r = { reg_snap_words + 1, &reg->arena };
	bool fresh = !reg->ndefs && !reg->naliases;
	size_t n = num(&r);

	if (!whole(&r, fresh, (void **)&reg->defs, &reg->ndefs, n, sizeof *reg->defs))
		return -1;
	for (size_t i = 0; i < n; i++) {
		struct reg_def d, *put;
		if (!def(&r, fresh ? &reg->defs[i] : &d))
			return -1;
		if (fresh)
			continue;
		if (!(put = reg_put_def(reg, d.id)))
			return -1;
		*put = d;
	}
	n = num(&r);
	if (!whole(&r, fresh, (void **)&reg->aliases, &reg->naliases, n, sizeof *reg->aliases))
		return -1;
	for (size_t i = 0; i < n; i++) {
		struct reg_alias a, *put;
		alias(&r, fresh ? &reg->aliases[i] : &a);
		if (fresh)
			continue;
		if (!(put = reg_put_alias(reg, a.name)))
			return -1;
		*put = a;
	}
	return 0;
}

/* Compiled-in ecosystem K into REG (merged into the one of that id REG has). */
static int load_eco(struct registry *reg, const uint32_t *index, size_t k)
{
	struct rd r = { reg_snap_words + index[3 * k + 2], &reg->arena };
	struct reg_ecosystem *e;
	bool created;

	if (!(e = reg_get_eco(reg, index_str(index[3 * k]), &created)) ||
	    !eco(&r, created ? NULL : reg, e))
		return -1;
	return 0;
}

/* Compiled-in ecosystem K, then those it inherits from, up to one REG
 * already has (K too is skipped when REG has it and ONLY_NEW). */
static int load_chain(struct registry *reg, const uint32_t *index, size_t necos, size_t k,
		      bool only_new)
{
	for (size_t depth = 0; k < necos && depth <= necos; depth++) {
		if ((depth || only_new) && registry_find_ecosystem(reg, index_str(index[3 * k])))
			return 0;
		if (load_eco(reg, index, k))
			return -1;
		k = find_eco(index, necos, index_str(index[3 * k + 1]));
	}
	return 0;
}

/* The definitions, then of the ecosystems those of IDS with their parents;
 * everything when NIDS is 0 or one of IDS is not compiled in (so that
 * errors can list every known ecosystem, and an overlay's may inherit any). */
static int load(struct registry *reg, const char *const *ids, size_t nids)
{
	size_t necos;
	const uint32_t *index = eco_index(&necos);
	bool all = !nids;

	if (load_defs(reg))
		return -1;
	for (size_t i = 0; i < nids && !all; i++)
		all = find_eco(index, necos, ids[i]) == necos;
	for (size_t k = 0; all && k < necos; k++)
		if (load_eco(reg, index, k))
			return -1;
	for (size_t i = 0; !all && i < nids; i++)
		if (load_chain(reg, index, necos, find_eco(index, necos, ids[i]), false))
			return -1;
	return 0;
}

/* An overlay's ecosystem may inherit a compiled-in one that was not asked
 * for: load those before the checks. */
static int load_parents(struct registry *reg)
{
	size_t necos;
	const uint32_t *index = eco_index(&necos);

	for (size_t i = 0; i < reg->necos; i++) {
		const char *parent = reg->ecos[i].inherits;
		/* REG->ECOS moves as ecosystems are added: start over */
		if (parent && !registry_find_ecosystem(reg, parent) &&
		    find_eco(index, necos, parent) < necos) {
			if (load_chain(reg, index, necos, find_eco(index, necos, parent), true))
				return -1;
			i = (size_t)-1;
		}
	}
	return 0;
}

/* The compiled-in ecosystem an overlay's file NAME is for (ECOSYSTEM.yaml,
 * or PEP804[+RELEASE].mapping.json by the `pep804_id` or id PEP804); NECOS
 * when none is. */
static size_t overlaid_eco(const uint32_t *index, size_t necos, const char *name)
{
	size_t len = strlen(name);
	const char *owner;
	char stem[128];

	if (reg_mapping_json_name(name, stem, sizeof stem, NULL)) {
		owner = reg_embedded_pep804_owner(stem);
		return find_eco(index, necos, owner ? owner : stem);
	}
	if (len <= 5 || len - 5 >= sizeof stem || strcmp(name + len - 5, ".yaml") ||
	    !strcmp(name, "registry.yaml"))
		return necos;
	snprintf(stem, sizeof stem, "%.*s", (int)(len - 5), name);
	return find_eco(index, necos, stem);
}

/* Before an overlay directory DIR, when only some ecosystems were loaded:
 * the compiled-in ones it has files for, so that an overlay of another
 * ecosystem extends its compiled-in mapping rather than standing alone. */
static int load_overlaid(struct registry *reg, const char *dir)
{
	size_t necos;
	const uint32_t *index = eco_index(&necos);
	DIR *dh = opendir(dir);
	struct dirent *e;
	int rc = 0;

	while (dh && !rc && (e = readdir(dh))) {
		size_t k = overlaid_eco(index, necos, e->d_name);
		if (k < necos)
			rc = load_chain(reg, index, necos, k, true);
	}
	if (dh)
		closedir(dh);
	return rc;
}

/* FN(HEADER, KEY) over the headers of the compiled-in ecosystems, read
 * into a registry thrown away, until it returns a string, which is
 * returned: one of the snapshot's, valid for ever. NULL when none does. */
static const char *find_in_headers(const char *(*fn)(const struct reg_ecosystem *s, const char *key),
				   const char *key)
{
	size_t necos;
	const uint32_t *index = eco_index(&necos);
	struct registry *scratch = registry_new();
	const char *found = NULL;

	for (size_t k = 0; scratch && !found && k < necos; k++) {
		struct rd r = { reg_snap_words + index[3 * k + 2], &scratch->arena };
		struct reg_ecosystem s;

		memset(&s, 0, sizeof s);
		if (!eco_header(&r, &s))
			break;
		found = fn(&s, key);
	}
	registry_free(scratch);
	return found;
}

static const char *exports(const struct reg_ecosystem *s, const char *format)
{
	for (size_t i = 0; i < s->nexport_formats; i++)
		if (!strcmp(s->export_formats[i], format))
			return s->id;
	return NULL;
}

size_t registry_embedded_export_owners(const char *format, const char **out, size_t max)
{
	size_t necos, n = 0;
	const uint32_t *index = eco_index(&necos);
	struct registry *scratch = registry_new();

	for (size_t k = 0; scratch && k < necos && n < max; k++) {
		struct rd r = { reg_snap_words + index[3 * k + 2], &scratch->arena };
		struct reg_ecosystem s;

		memset(&s, 0, sizeof s);
		if (!eco_header(&r, &s))
			break;
		if (exports(&s, format))
			out[n++] = s.id;
	}
	registry_free(scratch);
	return n;
}

static const char *rules_type(const struct reg_ecosystem *s, const char *type)
{
	for (size_t i = 0; i < s->nrules; i++)
		if (!strcmp(s->rules[i].type, type))
			return s->rules[i].type;
	return NULL;
}

const char *reg_embedded_ruled_type(const char *type)
{
	return find_in_headers(rules_type, type);
}

static const char *pep804_named(const struct reg_ecosystem *s, const char *pep804)
{
	return s->pep804_id && !strcmp(s->pep804_id, pep804) ? s->id : NULL;
}

const char *reg_embedded_pep804_owner(const char *pep804)
{
	return find_in_headers(pep804_named, pep804);
}

int registry_load_embedded_for(struct registry *reg, const char *ecosystem, struct ed_diag *d)
{
	return load(reg, &ecosystem, ecosystem ? 1 : 0) ? ed_diag_oom(d) : 0;
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
	return registry_load_default_list(reg, NULL, 0, dirs, ndirs, d);
}

int registry_load_default_list(struct registry *reg, const char *const *ecosystems,
			       size_t necosystems, const char *const *dirs, size_t ndirs,
			       struct ed_diag *d)
{
	const char *datadir = getenv("EXTDEPS_DATADIR");
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	char path[4096];
	/* the snapshot alone was checked when it was built */
	bool checked = !reg->ndefs && !reg->naliases && !reg->necos;
	int rc;

	if (load(reg, ecosystems, necosystems))
		return ed_diag_oom(d);
	snprintf(path, sizeof path, "%s/mappings", datadir && *datadir ? datadir : EXTDEPS_DATADIR);
	if (dir_exists(path)) {
		checked = false;
		if (necosystems && load_overlaid(reg, path))
			return ed_diag_oom(d);
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
		if (necosystems && load_overlaid(reg, path))
			return ed_diag_oom(d);
		if ((rc = registry_load_dir(reg, path, d)))
			return rc;
	}
	for (size_t i = 0; i < ndirs; i++) {
		if (!dir_exists(dirs[i]))
			return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0,
					   "mapping directory '%s' does not exist", dirs[i]);
		checked = false;
		if (necosystems && load_overlaid(reg, dirs[i]))
			return ed_diag_oom(d);
		if ((rc = registry_load_dir(reg, dirs[i], d)))
			return rc;
	}
	if (checked)
		return 0;
	if (load_parents(reg))
		return ed_diag_oom(d);
	return registry_check(reg, d);
}
