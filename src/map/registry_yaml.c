/* registry_yaml.c - registry.yaml and ECOSYSTEM.yaml: the schema checks
 * of extdeps-mappings(5), on regload.c's readers. */
#include <ctype.h>
#include <string.h>

#include "regload.h"

/* --- registry.yaml --- */

static int need_schema(struct reg_ld *ld, yaml_node_t *schema)
{
	if (!schema)
		return reg_err(ld, ld->root, "missing key 'schema'");
	if (!reg_is_plain(schema) || strcmp(reg_sval(schema), "1") != 0)
		return reg_err(ld, schema, "unsupported schema '%s': expected 1",
			       schema->type == YAML_SCALAR_NODE ? reg_sval(schema) : reg_node_kind(schema));
	return 0;
}

static bool bare_name_ok(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!reg_name_char_ok(*s, false, REG_NAMES_DEFAULT))
			return false;
	return true;
}

enum { D_DESCRIPTION, D_PROVIDES, D_ALIASES, D_PROBES, D_VERSIONING };
static const char *const def_keys[] = { "description", "provides", "aliases", "probes",
					"versioning", NULL };
enum { P_PKGCONFIG, P_EXECUTABLES, P_ENV, P_FILES };
static const char *const probe_keys[] = { "pkgconfig", "executables", "env", "files", NULL };

static int load_def(struct reg_ld *ld, yaml_node_t *key, const char *id, yaml_node_t *val)
{
	yaml_node_t *v[6], *pv[5];
	struct reg_def *def;
	int rc;

	rc = reg_keys(ld, val, "a dependency", def_keys, v, NULL);
	if (rc)
		return rc;
	def = reg_put_def(ld->reg, id);
	if (!def)
		return reg_oom(ld);
	def->loc = reg_loc_of(ld, key);
	if (!v[D_DESCRIPTION])
		return reg_err(ld, key, "'%s' has no 'description'", id);
	rc = reg_string(ld, v[D_DESCRIPTION], false, &def->description);
	if (!rc && v[D_VERSIONING])
		rc = reg_string(ld, v[D_VERSIONING], false, &def->versioning);
	if (!rc && v[D_PROVIDES]) {
		rc = reg_strlist(ld, v[D_PROVIDES], &def->provides, &def->nprovides,
				 &def->provides_locs);
		for (size_t i = 0; !rc && i < def->nprovides; i++) {
			char *pid;
			rc = reg_depurl_id(ld, reg_node(ld, v[D_PROVIDES]->data.sequence.items.start[i]),
					   false, &pid, NULL);
			def->provides[i] = pid;
		}
	}
	if (!rc && v[D_ALIASES]) {
		rc = reg_strlist(ld, v[D_ALIASES], &def->aliases, &def->naliases, &def->alias_locs);
		for (size_t i = 0; !rc && i < def->naliases; i++) {
			yaml_node_t *item = reg_node(ld, v[D_ALIASES]->data.sequence.items.start[i]);
			if (strchr(def->aliases[i], ':')) {
				char *aid;
				rc = reg_depurl_id(ld, item, false, &aid, NULL);
				def->aliases[i] = aid;
			} else if (!bare_name_ok(def->aliases[i])) {
				rc = reg_err(ld, item,
					     "invalid alias '%s': expected a DepURL or a name of [A-Za-z0-9_.+@-]",
					     def->aliases[i]);
			}
		}
	}
	if (!rc && v[D_PROBES]) {
		rc = reg_keys(ld, v[D_PROBES], "probes", probe_keys, pv, NULL);
		if (!rc && pv[P_PKGCONFIG])
			rc = reg_strlist(ld, pv[P_PKGCONFIG], &def->pkgconfig, &def->npkgconfig, NULL);
		if (!rc && pv[P_EXECUTABLES])
			rc = reg_strlist(ld, pv[P_EXECUTABLES], &def->executables,
					 &def->nexecutables, NULL);
		if (!rc && pv[P_ENV])
			rc = reg_strlist(ld, pv[P_ENV], &def->env, &def->nenv, NULL);
		if (!rc && pv[P_FILES])
			rc = reg_strlist(ld, pv[P_FILES], &def->files, &def->nfiles, NULL);
	}
	return rc;
}

static int load_aliases(struct reg_ld *ld, yaml_node_t *al)
{
	int rc = reg_mapping(ld, al, "a mapping of names to DepURLs");

	for (yaml_node_pair_t *p = al->data.mapping.pairs.start; !rc && p < al->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *k = reg_node(ld, p->key), *val = reg_node(ld, p->value);
		struct reg_alias *a;
		if (!bare_name_ok(reg_sval(k)))
			return reg_err(ld, k, "invalid alias name '%s': expected [A-Za-z0-9_.+@-]",
				       reg_sval(k));
		a = reg_put_alias(ld->reg, reg_sval(k));
		if (!a)
			return reg_oom(ld);
		a->loc = reg_loc_of(ld, val);
		rc = reg_depurl_id(ld, val, true, &a->id, &a->version);
	}
	return rc;
}

enum { R_SCHEMA, R_DEPENDENCIES, R_ALIASES };
static const char *const registry_keys[] = { "schema", "dependencies", "aliases", NULL };

int reg_load_registry_yaml(struct reg_ld *ld)
{
	yaml_node_t *v[4], *deps;
	int rc = reg_keys(ld, ld->root, "registry.yaml", registry_keys, v, NULL);

	if (rc || (rc = need_schema(ld, v[R_SCHEMA])))
		return rc;
	if (!(deps = v[R_DEPENDENCIES]))
		return reg_err(ld, ld->root, "missing key 'dependencies'");
	if (!reg_is_null(deps)) {
		yaml_node_pair_t *pairs;
		char **ids;
		size_t n;

		if ((rc = reg_mapping(ld, deps, "a mapping of DepURLs")))
			return rc;
		if ((rc = reg_depurl_keys(ld, deps, &ids, &n)))
			return rc;
		pairs = deps->data.mapping.pairs.start;
		if (!reg_reserve_defs(ld->reg, (const char *const *)ids, n))
			rc = reg_oom(ld);
		for (size_t i = 0; i < n && !rc; i++)
			rc = load_def(ld, reg_node(ld, pairs[i].key), ids[i],
				      reg_node(ld, pairs[i].value));
		free(ids);
		if (rc)
			return rc;
	}
	if (v[R_ALIASES] && !reg_is_null(v[R_ALIASES]))
		return load_aliases(ld, v[R_ALIASES]);
	return 0;
}

/* --- ECOSYSTEM.yaml: mappings --- */

/* What an entry is: a mapping's body, a release's override (which may have
 * branches of its own), a branch of a version range. */
enum entry_kind { ENTRY_MAPPING, ENTRY_RELEASE, ENTRY_BRANCH };

enum { E_SPECS, E_VERSION, E_UNAVAILABLE, E_REPOSITORY, E_VERSIONS, E_RELEASES, E_COUNT };
static const char *const entry_keys[][E_COUNT + 1] = {
	[ENTRY_MAPPING] = { "specs", "version", "unavailable", "repository", "versions",
			    "releases", NULL },
	[ENTRY_RELEASE] = { "specs", "version", "unavailable", "repository", "versions", NULL },
	[ENTRY_BRANCH] = { "specs", "version", "unavailable", "repository", NULL },
};
static const char *const entry_what[] = { "a mapping", "a release override", "a version branch" };
static const char *const stage_keys[] = { "build", "host", "run", NULL };

/* `specs`: one list for every stage, or a list per stage. */
static int parse_specs(struct reg_ld *ld, yaml_node_t *s, const char *eco, enum reg_names rule,
		       struct reg_entry *entry)
{
	yaml_node_t *sv[4];
	int rc;

	entry->has_specs = true;
	if (s->type != YAML_MAPPING_NODE) {
		if ((rc = reg_speclist(ld, s, eco, rule, &entry->stages[0])))
			return rc;
		for (int st = 0; st < ED_STAGE_COUNT; st++) {
			entry->has_stage[st] = true;
			entry->stages[st] = entry->stages[0];
		}
		return 0;
	}
	if ((rc = reg_keys(ld, s, "specs", stage_keys, sv, NULL)))
		return rc;
	if (!sv[0] && !sv[1] && !sv[2])
		return reg_err(ld, s, "expected at least one of build, host, run");
	for (int st = 0; st < ED_STAGE_COUNT; st++) {
		if (!sv[st])
			continue;
		entry->has_stage[st] = true;
		if ((rc = reg_speclist(ld, sv[st], eco, rule, &entry->stages[st])))
			return rc;
	}
	return 0;
}

static int parse_version(struct reg_ld *ld, yaml_node_t *vn, struct reg_entry *entry)
{
	static const char *const words[] = { "upstream", "none", NULL };
	static const enum reg_version_mode modes[] = { REG_VERSION_UPSTREAM, REG_VERSION_NONE };
	size_t which;
	int rc = reg_keyword(ld, vn, words, &which);

	if (!rc)
		entry->version = modes[which];
	return rc;
}

static int parse_entry(struct reg_ld *ld, yaml_node_t *key, yaml_node_t *val, const char *eco,
		       enum reg_names rule, enum entry_kind kind, struct reg_mapping *m,
		       struct reg_entry *entry, struct reg_version_entry **versions,
		       size_t *nversions);

static bool entry_is_empty_override(const struct reg_entry *e, size_t nversions)
{
	return !e->has_specs && !e->unavailable && e->version == REG_VERSION_UNSET &&
	       !e->repository && !nversions;
}

/* A mapping's `releases`: one override per release number. */
static int parse_overrides(struct reg_ld *ld, yaml_node_t *rn, const char *eco,
			   enum reg_names rule, struct reg_mapping *m)
{
	size_t n;
	int rc = reg_mapping(ld, rn, "a mapping of releases");

	if (rc)
		return rc;
	n = (size_t)(rn->data.mapping.pairs.top - rn->data.mapping.pairs.start);
	m->releases = ra_alloc(&ld->reg->arena, (n + 1) * sizeof *m->releases);
	if (!m->releases)
		return reg_oom(ld);
	for (size_t i = 0; i < n; i++) {
		yaml_node_pair_t *p = &rn->data.mapping.pairs.start[i];
		yaml_node_t *rk = reg_node(ld, p->key), *rv = reg_node(ld, p->value);
		struct reg_release_entry *o = &m->releases[m->nreleases];
		if ((rc = reg_string(ld, rk, false, &o->release)))
			return rc;
		o->loc = reg_loc_of(ld, rk);
		if ((rc = parse_entry(ld, rk, rv, eco, rule, ENTRY_RELEASE, NULL, &o->entry,
				      &o->versions, &o->nversions)))
			return rc;
		if (entry_is_empty_override(&o->entry, o->nversions))
			return reg_err(ld, rv, "expected 'specs', 'version', 'unavailable', "
					       "'repository' or 'versions'");
		m->nreleases++;
	}
	return 0;
}

/* `versions`: one branch per PEP 440 range, in file order, into *OUT. */
static int parse_versions(struct reg_ld *ld, yaml_node_t *vn, const char *eco,
			  enum reg_names rule, struct reg_version_entry **out, size_t *nout)
{
	size_t n;
	int rc = reg_mapping(ld, vn, "a mapping of version ranges");

	if (rc)
		return rc;
	n = (size_t)(vn->data.mapping.pairs.top - vn->data.mapping.pairs.start);
	*out = ra_alloc(&ld->reg->arena, (n + 1) * sizeof **out);
	if (!*out)
		return reg_oom(ld);
	for (size_t i = 0; i < n; i++) {
		yaml_node_pair_t *p = &vn->data.mapping.pairs.start[i];
		yaml_node_t *rk = reg_node(ld, p->key), *rv = reg_node(ld, p->value);
		struct reg_version_entry *b = &(*out)[*nout];
		struct ed_parse_err perr;
		struct pep440_spec *spec;
		char *norm, *text;

		if ((rc = reg_string(ld, rk, false, &text)))
			return rc;
		memset(&perr, 0, sizeof perr);
		if (!(spec = pep440_spec_parse(text, strlen(text), &perr)))
			return reg_err_off(ld, rk, perr.offset, "invalid version range '%s': %s", text,
					   perr.msg);
		norm = pep440_spec_str(spec);
		pep440_spec_free(spec);
		b->range = norm ? ra_strdup(&ld->reg->arena, norm) : NULL;
		free(norm);
		if (!b->range)
			return reg_oom(ld);
		b->loc = reg_loc_of(ld, rk);
		if ((rc = parse_entry(ld, rk, rv, eco, rule, ENTRY_BRANCH, NULL, &b->entry, NULL, NULL)))
			return rc;
		if (entry_is_empty_override(&b->entry, 0))
			return reg_err(ld, rv, "expected 'specs', 'version', 'unavailable' or 'repository'");
		++*nout;
	}
	return 0;
}

/* An entry of KIND: M's body (ENTRY_MAPPING, with its releases and
 * branches), else ENTRY with its branches into *VERSIONS when KIND has
 * them. */
static int parse_entry(struct reg_ld *ld, yaml_node_t *key, yaml_node_t *val, const char *eco,
		       enum reg_names rule, enum entry_kind kind, struct reg_mapping *m,
		       struct reg_entry *entry, struct reg_version_entry **versions,
		       size_t *nversions)
{
	yaml_node_t *v[E_COUNT + 1], *k[E_COUNT + 1];
	int rc;

	if (m) {
		entry = &m->base;
		versions = &m->versions;
		nversions = &m->nversions;
	}
	if ((rc = reg_keys(ld, val, entry_what[kind], entry_keys[kind], v, k)))
		return rc;
	if (v[E_SPECS] && (rc = parse_specs(ld, v[E_SPECS], eco, rule, entry)))
		return rc;
	if (v[E_VERSION] && (rc = parse_version(ld, v[E_VERSION], entry)))
		return rc;
	if (v[E_UNAVAILABLE]) {
		if (v[E_SPECS])
			return reg_err(ld, k[E_UNAVAILABLE], "'specs' and 'unavailable' exclude each other");
		if ((rc = reg_string(ld, v[E_UNAVAILABLE], false, &entry->unavailable)))
			return rc;
	}
	if (v[E_REPOSITORY]) {
		if ((rc = reg_string(ld, v[E_REPOSITORY], false, &entry->repository)))
			return rc;
		entry->repository_loc = reg_loc_of(ld, v[E_REPOSITORY]);
	}
	if (kind == ENTRY_MAPPING && v[E_RELEASES] &&
	    (rc = parse_overrides(ld, v[E_RELEASES], eco, rule, m)))
		return rc;
	if (kind != ENTRY_BRANCH && v[E_VERSIONS] &&
	    (rc = parse_versions(ld, v[E_VERSIONS], eco, rule, versions, nversions)))
		return rc;
	if (kind == ENTRY_MAPPING && !v[E_SPECS] && !v[E_UNAVAILABLE] && !v[E_RELEASES] &&
	    !v[E_VERSIONS])
		return reg_err(ld, key, "'%s' has neither 'specs' nor 'unavailable'", reg_sval(key));
	return 0;
}

int reg_parse_entry(struct reg_ld *ld, yaml_node_t *key, yaml_node_t *val, const char *eco,
		    enum reg_names rule, struct reg_mapping *m, struct reg_entry *entry)
{
	return parse_entry(ld, key, val, eco, rule, m ? ENTRY_MAPPING : ENTRY_BRANCH, m, entry,
			   NULL, NULL);
}

static int load_mappings(struct reg_ld *ld, yaml_node_t *maps, struct reg_ecosystem *eco,
			 enum reg_names rule)
{
	yaml_node_pair_t *pairs;
	char **ids;
	size_t n;
	int rc;

	if (reg_is_null(maps))
		return 0;
	if ((rc = reg_mapping(ld, maps, "a mapping of DepURLs")) ||
	    (rc = reg_depurl_keys(ld, maps, &ids, &n)))
		return rc;
	pairs = maps->data.mapping.pairs.start;
	if (!reg_reserve_mappings(ld->reg, eco, (const char *const *)ids, n))
		rc = reg_oom(ld);
	for (size_t i = 0; i < n && !rc; i++) {
		yaml_node_t *key = reg_node(ld, pairs[i].key);
		struct reg_mapping *m = reg_put_mapping(ld->reg, eco, ids[i], true);

		if (!m) {
			rc = reg_oom(ld);
			break;
		}
		m->loc = reg_loc_of(ld, key);
		rc = reg_parse_entry(ld, key, reg_node(ld, pairs[i].value), eco->id, rule, m, NULL);
	}
	free(ids);
	return rc;
}

/* --- ECOSYSTEM.yaml: the header --- */

/* A template must name its placeholders, or rendering silently drops the
 * package or the version. */
static int check_template(struct reg_ld *ld, yaml_node_t *n, const char *t, bool op)
{
	if (!t)
		return 0;
	if (!strstr(t, "{name}") || !strstr(t, "{version}") || (op && !strstr(t, "{op}")))
		return reg_err(ld, n, "template '%s' must contain {name}%s and {version}", t,
			       op ? ", {op}" : "");
	return 0;
}

/* A template of the package manager: a string or null, checked. */
static int load_template(struct reg_ld *ld, yaml_node_t *n, bool op, char **out)
{
	int rc = reg_string(ld, n, true, out);

	return rc ? rc : check_template(ld, n, *out, op);
}

static int load_operators(struct reg_ld *ld, yaml_node_t *n, struct reg_pm *pm)
{
	static const char *const ops[] = { "==", "!=", "<", "<=", ">", ">=", NULL };
	static const enum pep440_op opv[] = { PEP440_EQ, PEP440_NE, PEP440_LT,
					      PEP440_LE, PEP440_GT, PEP440_GE };
	yaml_node_t *ov[7];
	int rc;

	if ((rc = reg_keys(ld, n, "operators", ops, ov, NULL)))
		return rc;
	pm->operators = ra_alloc(&ld->reg->arena, 6 * sizeof *pm->operators);
	if (!pm->operators)
		return reg_oom(ld);
	for (int i = 0; i < 6; i++) {
		if (!ov[i])
			continue;
		pm->operators[pm->noperators].op = opv[i];
		if ((rc = reg_string(ld, ov[i], false, &pm->operators[pm->noperators].text)))
			return rc;
		pm->noperators++;
	}
	return 0;
}

enum { PM_NAME, PM_INSTALL, PM_NEEDS_ROOT, PM_CONSTRAINT, PM_INSTALL_CONSTRAINT, PM_PIN,
       PM_OPERATORS };
static const char *const pm_keys[] = { "name", "install", "needs_root", "constraint",
				       "install_constraint", "pin", "operators", NULL };

static int load_pm(struct reg_ld *ld, yaml_node_t *n, struct reg_pm *pm)
{
	yaml_node_t *v[8];
	int rc = reg_keys(ld, n, "package_manager", pm_keys, v, NULL);

	if (rc)
		return rc;
	memset(pm, 0, sizeof *pm);
	for (int req = PM_NAME; req <= PM_NEEDS_ROOT; req++)
		if (!v[req])
			return reg_err(ld, n, "package_manager has no '%s'", pm_keys[req]);
	if ((rc = reg_string(ld, v[PM_NAME], false, &pm->name)) ||
	    (rc = reg_strlist(ld, v[PM_INSTALL], &pm->install, &pm->ninstall, NULL)) ||
	    (rc = reg_bool(ld, v[PM_NEEDS_ROOT], &pm->needs_root)))
		return rc;
	if (!pm->ninstall)
		return reg_err(ld, v[PM_INSTALL], "expected the install argv, found an empty list");
	if ((v[PM_CONSTRAINT] && (rc = load_template(ld, v[PM_CONSTRAINT], true, &pm->constraint))) ||
	    (v[PM_INSTALL_CONSTRAINT] &&
	     (rc = load_template(ld, v[PM_INSTALL_CONSTRAINT], true, &pm->install_constraint))) ||
	    (v[PM_PIN] && (rc = load_template(ld, v[PM_PIN], false, &pm->pin))))
		return rc;
	if (v[PM_OPERATORS] && !reg_is_null(v[PM_OPERATORS]))
		return load_operators(ld, v[PM_OPERATORS], pm);
	return 0;
}

/* A `python` value: a version X.Y. */
static int load_python(struct reg_ld *ld, yaml_node_t *n, char **out)
{
	const char *s;
	int rc;

	if ((rc = reg_string(ld, n, false, out)))
		return rc;
	s = *out;
	if (!isdigit((unsigned char)s[0]) || s[strspn(s, "0123456789.")] || !strchr(s, '.'))
		return reg_err(ld, n, "expected a Python version X.Y, found '%s'", s);
	return 0;
}

/* One release's value: its code name, or {codename, python}. */
static int load_release(struct reg_ld *ld, yaml_node_t *n, struct reg_release *r)
{
	static const char *const keys[] = { "codename", "python", NULL };
	yaml_node_t *v[3], *k[3];
	int rc;

	if (!n || n->type != YAML_MAPPING_NODE)
		return reg_string(ld, n, true, &r->codename);
	if ((rc = reg_keys(ld, n, "a release", keys, v, k)) ||
	    (v[0] && (rc = reg_string(ld, v[0], true, &r->codename))) ||
	    (v[1] && (rc = load_python(ld, v[1], &r->python))))
		return rc;
	return 0;
}

/* `releases`: an overlay adds releases or renames them; it never drops the
 * ones earlier files defined, which their overrides refer to. */
static int load_releases(struct reg_ld *ld, yaml_node_t *rn, struct reg_ecosystem *eco)
{
	struct reg_release *merged;
	size_t n;
	int rc = reg_mapping(ld, rn, "a mapping of release numbers to code names or to "
			     "{codename, python}");

	if (rc)
		return rc;
	n = (size_t)(rn->data.mapping.pairs.top - rn->data.mapping.pairs.start);
	merged = ra_alloc(&ld->reg->arena, (eco->nreleases + n + 1) * sizeof *merged);
	if (!merged)
		return reg_oom(ld);
	if (eco->nreleases)
		memcpy(merged, eco->releases, eco->nreleases * sizeof *merged);
	eco->releases = merged;
	for (size_t i = 0; i < n; i++) {
		yaml_node_pair_t *p = &rn->data.mapping.pairs.start[i];
		struct reg_release r = { 0 };
		size_t at;
		if ((rc = reg_string(ld, reg_node(ld, p->key), false, &r.number)) ||
		    (rc = load_release(ld, reg_node(ld, p->value), &r)))
			return rc;
		for (at = 0; at < eco->nreleases; at++)
			if (!strcmp(eco->releases[at].number, r.number))
				break;
		eco->releases[at] = r;
		if (at == eco->nreleases)
			eco->nreleases++;
	}
	return 0;
}

/* `package_names`: the character set of the ecosystem's package names. */
static int load_names(struct reg_ld *ld, yaml_node_t *n, struct reg_ecosystem *eco)
{
	static const char *const words[] = { "debian", "default", "apk", NULL };
	static const enum reg_names rules[] = { REG_NAMES_DEBIAN, REG_NAMES_DEFAULT,
						REG_NAMES_APK };
	size_t which;
	int rc = reg_keyword(ld, n, words, &which);

	if (!rc)
		eco->names = rules[which];
	return rc;
}

/* `export_formats`: format names, lower-case words joined by '-'. */
static int load_export_formats(struct reg_ld *ld, yaml_node_t *n, struct reg_ecosystem *eco)
{
	char **v;
	size_t nv;
	int rc;

	if ((rc = reg_strlist(ld, n, &v, &nv, NULL)))
		return rc;
	for (size_t i = 0; i < nv; i++)
		if (!*v[i] || strspn(v[i], "abcdefghijklmnopqrstuvwxyz-") != strlen(v[i]))
			return reg_err(ld, n, "'%s' is not a format name (lower-case letters and '-')",
				       v[i]);
	eco->export_formats = v;
	eco->nexport_formats = nv;
	return 0;
}

/* `pep804_id`: the stem of the PEP 804 mapping files (ID.mapping.json)
 * meant for this ecosystem, so no '+' (it starts a release) nor '/'. */
static int load_pep804_id(struct reg_ld *ld, yaml_node_t *n, struct reg_ecosystem *eco)
{
	char *id;
	int rc = reg_string(ld, n, false, &id);

	if (rc)
		return rc;
	if (!*id || !strchr("abcdefghijklmnopqrstuvwxyz0123456789", *id) ||
	    strspn(id, "abcdefghijklmnopqrstuvwxyz0123456789._-") != strlen(id))
		return reg_err(ld, n, "'%s' is not a PEP 804 ecosystem id (lower-case letters, "
				      "digits, '.', '_' and '-', from a letter or digit)", id);
	eco->pep804_id = id;
	return 0;
}

enum { R_NAME, R_COMPONENT, R_URL, R_SUITE, R_KEYRING, R_ENABLE, R_COUNT };
static const char *const repository_keys[] = { "name", "component", "url", "suite", "keyring",
					       "enable", NULL };

/* One repository's `enable`: a list of argv lists, each NULL-terminated. */
static int load_enable(struct reg_ld *ld, yaml_node_t *n, struct reg_repository *r)
{
	size_t count;
	int rc;

	if (n->type != YAML_SEQUENCE_NODE || !(count = (size_t)(n->data.sequence.items.top -
								  n->data.sequence.items.start)))
		return reg_err(ld, n, "expected a list of commands, each a list of words");
	if (!(r->enable = ra_alloc(&ld->reg->arena, (count + 1) * sizeof *r->enable)))
		return reg_oom(ld);
	for (size_t i = 0; i < count; i++) {
		yaml_node_t *c = reg_node(ld, n->data.sequence.items.start[i]);
		char **words;
		size_t nwords;

		if ((rc = reg_strlist(ld, c, &words, &nwords, NULL)))
			return rc;
		if (!nwords)
			return reg_err(ld, c, "a command needs at least one word");
		if (!(r->enable[i] = ra_alloc(&ld->reg->arena, (nwords + 1) * sizeof *words)))
			return reg_oom(ld);
		memcpy(r->enable[i], words, nwords * sizeof *words);
	}
	r->nenable = count;
	return 0;
}

/* `repositories`: those besides the default archive that mappings may
 * name. A later file's repository of an id replaces the earlier one. */
static int load_repositories(struct reg_ld *ld, yaml_node_t *n, struct reg_ecosystem *eco)
{
	int rc = reg_mapping(ld, n, "a mapping of repositories");

	if (rc)
		return rc;
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *key = reg_node(ld, p->key), *val = reg_node(ld, p->value);
		yaml_node_t *v[R_COUNT + 1];
		struct reg_repository r = { 0 };
		char **str[] = { [R_NAME] = &r.name, [R_COMPONENT] = &r.component, [R_URL] = &r.url,
				 [R_SUITE] = &r.suite, [R_KEYRING] = &r.keyring };
		size_t at;

		if ((rc = reg_string(ld, key, false, &r.id)))
			return rc;
		if (!*r.id || strspn(r.id, "abcdefghijklmnopqrstuvwxyz0123456789-") != strlen(r.id))
			return reg_err(ld, key, "'%s' is not a repository id (a-z, 0-9 and '-')", r.id);
		r.loc = reg_loc_of(ld, key);
		if ((rc = reg_keys(ld, val, "a repository", repository_keys, v, NULL)))
			return rc;
		for (int k = R_NAME; k <= R_KEYRING; k++)
			if (v[k] && (rc = reg_string(ld, v[k], false, str[k])))
				return rc;
		if (!r.name || !v[R_ENABLE])
			return reg_err(ld, val, "a repository needs 'name' and 'enable'");
		if (!r.component == !r.url)
			return reg_err(ld, val, "a repository is a 'component' of the archive or "
						"has a 'url', one of the two");
		if ((rc = load_enable(ld, v[R_ENABLE], &r)))
			return rc;
		for (at = 0; at < eco->nrepositories && strcmp(eco->repositories[at].id, r.id) < 0;)
			at++;
		if (at == eco->nrepositories || strcmp(eco->repositories[at].id, r.id)) {
			struct reg_repository *grown = ra_alloc(&ld->reg->arena,
								(eco->nrepositories + 1) * sizeof *grown);
			if (!grown)
				return reg_oom(ld);
			if (eco->nrepositories)
				memcpy(grown, eco->repositories, eco->nrepositories * sizeof *grown);
			memmove(grown + at + 1, grown + at, (eco->nrepositories - at) * sizeof *grown);
			eco->repositories = grown;
			eco->nrepositories++;
		}
		eco->repositories[at] = r;
	}
	return 0;
}

/* --- ECOSYSTEM.yaml: rules for whole DepURL types --- */

enum { RU_SPECS, RU_VERSION, RU_UNAVAILABLE, RU_CASE, RU_REPLACE, RU_COUNT };
static const char *const rule_keys[] = { "specs", "version", "unavailable", "case", "replace",
					 NULL };

/* A rule makes one name per DepURL: every alternative holds {name}. */
static int need_name(struct reg_ld *ld, yaml_node_t *n, const struct reg_entry *e)
{
	for (int st = 0; st < ED_STAGE_COUNT; st++)
		for (size_t i = 0; i < e->stages[st].count; i++)
			for (size_t a = 0; a < e->stages[st].items[i].nalts; a++)
				if (!strstr(e->stages[st].items[i].alts[a], "{name}"))
					return reg_err(ld, n, "'%s' does not contain {name}",
						       e->stages[st].items[i].alts[a]);
	return 0;
}

/* `replace`: [FROM, TO] pairs, applied in order; FROM is not empty. */
static int load_replace(struct reg_ld *ld, yaml_node_t *n, struct reg_rule *r)
{
	size_t count;

	if (n->type != YAML_SEQUENCE_NODE)
		return reg_err(ld, n, "expected a list of [FROM, TO] pairs, found %s",
			       reg_node_kind(n));
	count = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	if (!(r->replace = ra_alloc(&ld->reg->arena, (2 * count + 1) * sizeof *r->replace)))
		return reg_oom(ld);
	for (size_t i = 0; i < count; i++) {
		yaml_node_t *pair = reg_node(ld, n->data.sequence.items.start[i]);
		char **words;
		size_t nwords;
		int rc = reg_strlist(ld, pair, &words, &nwords, NULL);

		if (rc)
			return rc;
		if (nwords != 2 || !*words[0])
			return reg_err(ld, pair, "expected [FROM, TO], FROM not empty");
		r->replace[2 * i] = words[0];
		r->replace[2 * i + 1] = words[1];
	}
	r->nreplace = 2 * count;
	return 0;
}

/* A PURL type a rule may cover: PURL's characters, not PEP 725's own. */
static bool rule_type_ok(const char *t)
{
	return *t >= 'a' && *t <= 'z' &&
	       strspn(t, "abcdefghijklmnopqrstuvwxyz0123456789.+-") == strlen(t) &&
	       strcmp(t, "generic") && strcmp(t, "virtual");
}

/* One rule of `type_rules`: KEY the type, VAL its body. */
static int load_rule(struct reg_ld *ld, yaml_node_t *key, yaml_node_t *val,
		     struct reg_ecosystem *eco, enum reg_names names)
{
	static const char *const cases[] = { "keep", "lower", NULL };
	yaml_node_t *v[RU_COUNT + 1];
	struct reg_rule *r;
	size_t which;
	int rc;

	if (!rule_type_ok(reg_sval(key)))
		return reg_err(ld, key, "'%s' is not a PURL type a rule may cover "
					"([a-z][a-z0-9.+-]*, not generic or virtual)", reg_sval(key));
	if ((rc = reg_keys(ld, val, "a type rule", rule_keys, v, NULL)))
		return rc;
	if (!v[RU_SPECS] == !v[RU_UNAVAILABLE])
		return reg_err(ld, key, "a type rule has 'specs' or 'unavailable', one of the two");
	if (!(r = reg_put_rule(ld->reg, eco, reg_sval(key))))
		return reg_oom(ld);
	r->loc = reg_loc_of(ld, key);
	if (v[RU_SPECS]) {
		ld->templates = reg_rule_holders;
		rc = parse_specs(ld, v[RU_SPECS], eco->id, names, &r->entry);
		ld->templates = NULL;
		if (rc || (rc = need_name(ld, v[RU_SPECS], &r->entry)))
			return rc;
	}
	if ((v[RU_VERSION] && (rc = parse_version(ld, v[RU_VERSION], &r->entry))) ||
	    (v[RU_UNAVAILABLE] &&
	     (rc = reg_string(ld, v[RU_UNAVAILABLE], false, &r->entry.unavailable))))
		return rc;
	if (v[RU_CASE]) {
		if ((rc = reg_keyword(ld, v[RU_CASE], cases, &which)))
			return rc;
		r->lower = which == 1;
	}
	return v[RU_REPLACE] ? load_replace(ld, v[RU_REPLACE], r) : 0;
}

/* `type_rules`: a later file's rule of a type replaces the earlier one. */
static int load_rules(struct reg_ld *ld, yaml_node_t *n, struct reg_ecosystem *eco,
		      enum reg_names names)
{
	int rc = reg_mapping(ld, n, "a mapping of PURL types to rules");

	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; !rc && p < n->data.mapping.pairs.top;
	     p++)
		rc = load_rule(ld, reg_node(ld, p->key), reg_node(ld, p->value), eco, names);
	return rc;
}

static const char *const python_dev_keys[] = { "specs", "other", NULL };

/* One list of python_dev: names, maybe templates of the Python's version. */
static int load_python_specs(struct reg_ld *ld, yaml_node_t *n, const char *eco,
			     enum reg_names rule, struct reg_spec_list *out)
{
	int rc;

	ld->templates = reg_python_holders;
	rc = reg_speclist(ld, n, eco, rule, out);
	ld->templates = NULL;
	if (rc)
		return rc;
	/* the headers' version is the Python's, not the dependency's */
	for (size_t i = 0; i < out->count; i++)
		if (out->items[i].fixed)
			return reg_err(ld, n->type == YAML_SEQUENCE_NODE
					   ? reg_node(ld, n->data.sequence.items.start[i]) : n,
				       "python_dev takes package names without constraints");
	return 0;
}

static int load_python_dev(struct reg_ld *ld, yaml_node_t *n, struct reg_ecosystem *eco,
			   enum reg_names rule)
{
	yaml_node_t *pv[3];
	int rc;

	if ((rc = reg_keys(ld, n, "python_dev", python_dev_keys, pv, NULL)))
		return rc;
	if (!pv[0])
		return reg_err(ld, n, "python_dev has no 'specs'");
	if ((rc = load_python_specs(ld, pv[0], eco->id, rule, &eco->python_dev)) ||
	    (pv[1] && (rc = load_python_specs(ld, pv[1], eco->id, rule, &eco->python_dev_other))))
		return rc;
	if (!pv[1])
		memset(&eco->python_dev_other, 0, sizeof eco->python_dev_other);
	eco->has_python_dev = true;
	return 0;
}

enum { X_SCHEMA, X_ECOSYSTEM, X_NAME, X_INHERITS, X_RELEASES, X_DEFAULT_RELEASE,
       X_PACKAGE_MANAGER, X_PACKAGE_NAMES, X_PYTHON_DEV, X_REPOSITORIES, X_MAPPINGS,
       X_EXPORT_FORMATS, X_TYPE_RULES, X_PYTHON, X_PEP804_ID, X_COUNT };
static const char *const eco_keys[] = { "schema", "ecosystem", "name", "inherits", "releases",
					"default_release", "package_manager", "package_names",
					"python_dev", "repositories", "mappings", "export_formats",
					"type_rules", "python", "pep804_id", NULL };

/* The ecosystem the file is about (created, or one an earlier file made),
 * with its `name` and `inherits`. */
static int load_eco_id(struct reg_ld *ld, yaml_node_t **v, yaml_node_t **k, const char *stem,
		       struct reg_ecosystem **out)
{
	struct reg_ecosystem *eco;
	char *id, *inherits = NULL;
	bool created;
	int rc;

	if (!v[X_ECOSYSTEM])
		return reg_err(ld, ld->root, "missing key 'ecosystem'");
	if ((rc = reg_string(ld, v[X_ECOSYSTEM], false, &id)))
		return rc;
	if (strcmp(id, stem) != 0)
		return reg_err(ld, v[X_ECOSYSTEM],
			       "ecosystem '%s' does not match the file name: expected '%s'", id, stem);
	if (!v[X_MAPPINGS])
		return reg_err(ld, ld->root, "missing key 'mappings'");
	if (v[X_INHERITS] && (rc = reg_string(ld, v[X_INHERITS], true, &inherits)))
		return rc;
	*out = eco = reg_get_eco(ld->reg, id, &created);
	if (!eco)
		return reg_oom(ld);
	if (created) {
		eco->loc = reg_loc_of(ld, k[X_ECOSYSTEM]);
		if (!v[X_NAME])
			return reg_err(ld, ld->root, "missing key 'name'");
		if (!v[X_PACKAGE_MANAGER] && !inherits)
			return reg_err(ld, ld->root, "missing key 'package_manager'");
	}
	if (v[X_NAME] && (rc = reg_string(ld, v[X_NAME], false, &eco->name)))
		return rc;
	if (v[X_INHERITS]) {
		eco->inherits = inherits;
		eco->inherits_loc = reg_loc_of(ld, v[X_INHERITS]);
	}
	return 0;
}

int reg_load_eco_yaml(struct reg_ld *ld, const char *stem)
{
	yaml_node_t *v[X_COUNT + 1], *k[X_COUNT + 1];
	struct reg_ecosystem *eco = NULL;
	enum reg_names rule;
	int rc = reg_keys(ld, ld->root, "an ecosystem file", eco_keys, v, k);

	if (rc || (rc = need_schema(ld, v[X_SCHEMA])) || (rc = load_eco_id(ld, v, k, stem, &eco)))
		return rc;
	/* ECO stays put from here: no ecosystem is added below */
	if (v[X_PACKAGE_NAMES] && (rc = load_names(ld, v[X_PACKAGE_NAMES], eco)))
		return rc;
	if ((rc = reg_names_of(ld, eco, &rule)))
		return rc;
	if (v[X_RELEASES] && (rc = load_releases(ld, v[X_RELEASES], eco)))
		return rc;
	if (v[X_DEFAULT_RELEASE] &&
	    (rc = reg_string(ld, v[X_DEFAULT_RELEASE], true, &eco->default_release)))
		return rc;
	if (v[X_PYTHON] && (rc = load_python(ld, v[X_PYTHON], &eco->python)))
		return rc;
	if (v[X_PACKAGE_MANAGER]) {
		if ((rc = load_pm(ld, v[X_PACKAGE_MANAGER], &eco->pm)))
			return rc;
		eco->has_pm = true;
	}
	if (v[X_PYTHON_DEV] && (rc = load_python_dev(ld, v[X_PYTHON_DEV], eco, rule)))
		return rc;
	if (v[X_EXPORT_FORMATS] && (rc = load_export_formats(ld, v[X_EXPORT_FORMATS], eco)))
		return rc;
	if (v[X_PEP804_ID] && (rc = load_pep804_id(ld, v[X_PEP804_ID], eco)))
		return rc;
	if (v[X_REPOSITORIES] && (rc = load_repositories(ld, v[X_REPOSITORIES], eco)))
		return rc;
	if (v[X_TYPE_RULES] && (rc = load_rules(ld, v[X_TYPE_RULES], eco, rule)))
		return rc;
	return load_mappings(ld, v[X_MAPPINGS], eco, rule);
}
