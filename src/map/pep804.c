/* pep804.c - PEP 804 documents: registry.json and ECOSYSTEM.mapping.json,
 * read into the registry and written from it.
 *
 * PEP 804 has no words for what extdeps-mappings(5) adds (alternatives,
 * `version`, `unavailable` reasons, per-release overrides), so the export
 * writes each mapping's full entry, in the YAML schema's shape, under
 * extra_metadata.extdeps (PEP 804's free-form field) and plain `specs` with
 * the preferred alternatives for other tools; the import prefers the former,
 * read with registry_yaml.c's reg_parse_entry() (see regload.h). */
#include <stdlib.h>
#include <string.h>

#include "extdeps/util/json.h"
#include "extdeps/util/strbuf.h"
#include "extdeps/util/util.h"
#include "regload.h"

/* `urls`: a URL, a list of them, or a mapping of names to them; not kept. */
static int check_urls(struct reg_ld *ld, yaml_node_t *n)
{
	char **list;
	size_t count;

	if (n->type == YAML_MAPPING_NODE) {
		for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
			yaml_node_t *v = reg_node(ld, p->value);
			if (v->type != YAML_SCALAR_NODE || reg_is_null(v))
				return reg_err(ld, v, "expected a URL");
		}
		return 0;
	}
	return reg_str_or_list(ld, n, &list, &count, NULL);
}

/* Arena arrays are exact-sized: appending copies into a new one. */
static void *append(struct reg_ld *ld, void *items, size_t n, size_t size)
{
	void *p = ra_alloc(&ld->reg->arena, (n + 2) * size);

	if (p && n)
		memcpy(p, items, n * size);
	return p;
}

/* --- registry.json --- */

enum { G_SCHEMA_URL, G_SCHEMA_VERSION, G_DEFINITIONS };
static const char *const reg_keys_[] = { "$schema", "schema_version", "definitions", NULL };
enum { F_ID, F_DESCRIPTION, F_PROVIDES, F_URLS };
static const char *const def_keys[] = { "id", "description", "provides", "urls", NULL };

static bool is_type(const char *id, const char *type)
{
	size_t n = strlen(type);
	return !strncmp(id, "dep:", 4) && !strncmp(id + 4, type, n) && id[4 + n] == '/';
}

/* An alias as PEP 804 spells it, resolved once every definition is read. */
struct pending {
	char *alias, *target;
	struct reg_loc loc;
	yaml_node_t *node;
};

/* Add ALIAS to DEF's aliases. */
static int add_alias(struct reg_ld *ld, struct reg_def *def, char *alias, struct reg_loc loc)
{
	char **na = append(ld, def->aliases, def->naliases, sizeof *na);
	struct reg_loc *nl = append(ld, def->alias_locs, def->naliases, sizeof *nl);

	if (!na || !nl)
		return reg_oom(ld);
	na[def->naliases] = alias;
	nl[def->naliases] = loc;
	def->aliases = na;
	def->alias_locs = nl;
	def->naliases++;
	return 0;
}

static int load_provides(struct reg_ld *ld, yaml_node_t *pn, struct reg_def *tmp)
{
	int rc = reg_str_or_list(ld, pn, &tmp->provides, &tmp->nprovides, &tmp->provides_locs);

	for (size_t j = 0; !rc && j < tmp->nprovides; j++) {
		yaml_node_t *pi = pn->type == YAML_SEQUENCE_NODE
					  ? reg_node(ld, pn->data.sequence.items.start[j])
					  : pn;
		rc = reg_depurl_id(ld, pi, false, &tmp->provides[j], NULL);
	}
	return rc;
}

/* One item of `definitions`: a definition, or an alias into *PEND. */
static int load_definition(struct reg_ld *ld, yaml_node_t *item, struct pending *pend,
			   size_t *npend)
{
	yaml_node_t *f[5];
	struct reg_def tmp, *def;
	char *id;
	int rc;

	memset(&tmp, 0, sizeof tmp);
	if ((rc = reg_keys(ld, item, "a definition", def_keys, f, NULL)))
		return rc;
	if (!f[F_ID])
		return reg_err(ld, item, "definition has no 'id'");
	if ((rc = reg_depurl_id(ld, f[F_ID], false, &id, NULL)))
		return rc;
	if (f[F_DESCRIPTION] && (rc = reg_string(ld, f[F_DESCRIPTION], true, &tmp.description)))
		return rc;
	if (f[F_URLS] && (rc = check_urls(ld, f[F_URLS])))
		return rc;
	if (f[F_PROVIDES] && (rc = load_provides(ld, f[F_PROVIDES], &tmp)))
		return rc;
	/* PEP 804 spells an alias as a definition of another PURL type
	 * providing the canonical, non-virtual id */
	if (f[F_PROVIDES] && !is_type(id, "generic") && !is_type(id, "virtual") &&
	    tmp.nprovides == 1 && !is_type(tmp.provides[0], "virtual")) {
		pend[(*npend)++] = (struct pending){ id, tmp.provides[0], reg_loc_of(ld, f[F_ID]),
						     f[F_PROVIDES] };
		return 0;
	}
	def = reg_put_def(ld->reg, id);
	if (!def)
		return reg_oom(ld);
	tmp.id = def->id;
	tmp.loc = reg_loc_of(ld, f[F_ID]);
	*def = tmp;
	return 0;
}

int reg_load_pep804_registry(struct reg_ld *ld)
{
	yaml_node_t *v[4], *defs;
	struct pending *pend;
	size_t npend = 0, n;
	int rc = reg_keys(ld, ld->root, "registry.json", reg_keys_, v, NULL);

	if (rc)
		return rc;
	if (!(defs = v[G_DEFINITIONS]))
		return reg_err(ld, ld->root, "missing key 'definitions'");
	if (defs->type != YAML_SEQUENCE_NODE)
		return reg_err(ld, defs, "expected a list of definitions");
	n = (size_t)(defs->data.sequence.items.top - defs->data.sequence.items.start);
	pend = ra_alloc(&ld->reg->arena, (n + 1) * sizeof *pend);
	if (!pend)
		return reg_oom(ld);
	for (size_t i = 0; i < n; i++)
		if ((rc = load_definition(ld, reg_node(ld, defs->data.sequence.items.start[i]), pend,
					  &npend)))
			return rc;
	for (size_t i = 0; i < npend; i++) {
		struct reg_def *def = (struct reg_def *)registry_find(ld->reg, pend[i].target);
		if (!def)
			return reg_err(ld, pend[i].node, "unknown DepURL '%s' in provides",
				       pend[i].target);
		if ((rc = add_alias(ld, def, pend[i].alias, pend[i].loc)))
			return rc;
	}
	return 0;
}

/* --- ECOSYSTEM.mapping.json --- */

enum { M_SCHEMA_URL, M_SCHEMA_VERSION, M_NAME, M_DESCRIPTION, M_MAPPINGS, M_PACKAGE_MANAGERS };
static const char *const mapdoc_keys[] = { "$schema", "schema_version", "name", "description",
					   "mappings", "package_managers", NULL };
enum { I_ID, I_DESCRIPTION, I_URLS, I_SPECS, I_SPECS_FROM, I_EXTRA };
static const char *const item_keys[] = { "id", "description", "urls", "specs", "specs_from",
					 "extra_metadata", NULL };
static const char *const stage_keys[] = { "build", "host", "run", "build_host", NULL };

/* A plain `specs` value: a string (one spec) or a list of them, for every
 * stage. An empty list says the ecosystem has no package. */
static int plain_specs(struct reg_ld *ld, yaml_node_t *n, const char *eco, enum reg_names rule,
		       struct reg_entry *e)
{
	struct reg_spec_list list;
	int rc;

	if (n->type == YAML_SEQUENCE_NODE && n->data.sequence.items.top == n->data.sequence.items.start) {
		e->has_specs = false;
		e->unavailable = ra_strdup(&ld->reg->arena, "no package (empty specs)");
		return e->unavailable ? 0 : reg_oom(ld);
	}
	if (n->type == YAML_SCALAR_NODE && !reg_is_null(n)) {
		/* a single string: a one-item list */
		struct reg_spec *sp = ra_alloc(&ld->reg->arena, sizeof *sp);
		char **alts = ra_alloc(&ld->reg->arena, 2 * sizeof *alts);
		if (!sp || !alts)
			return reg_oom(ld);
		if ((rc = reg_string(ld, n, false, &alts[0])))
			return rc;
		sp->alts = alts;
		sp->nalts = 1;
		list.items = sp;
		list.count = 1;
	} else if ((rc = reg_speclist(ld, n, eco, rule, &list))) {
		return rc;
	}
	for (int s = 0; s < ED_STAGE_COUNT; s++) {
		e->has_stage[s] = true;
		e->stages[s] = list;
	}
	return 0;
}

/* PEP 804 `specs`: plain (above) or {build, host, run}, each value again
 * `specs`, of which its first stage is taken. */
static int pep804_specs(struct reg_ld *ld, yaml_node_t *n, const char *eco, enum reg_names rule,
			struct reg_entry *e)
{
	yaml_node_t *sv[5];
	int rc;

	e->has_specs = true;
	if (n->type != YAML_MAPPING_NODE)
		return plain_specs(ld, n, eco, rule, e);
	if ((rc = reg_keys(ld, n, "specs", stage_keys, sv, NULL)))
		return rc;
	if (sv[3] && !sv[1])
		sv[1] = sv[3];
	for (int s = 0; s < ED_STAGE_COUNT; s++) {
		struct reg_entry one;
		if (!sv[s])
			continue;
		memset(&one, 0, sizeof one);
		if ((rc = pep804_specs(ld, sv[s], eco, rule, &one)))
			return rc;
		e->has_stage[s] = true;
		e->stages[s] = one.stages[0];
	}
	return 0;
}

/* commands.install.command and specifier_syntax into our package manager. */
static int pep804_pm(struct reg_ld *ld, yaml_node_t *n, struct reg_pm *pm);

/* The document's ecosystem, named and with its package manager. */
static int load_mapdoc_eco(struct reg_ld *ld, yaml_node_t **v, const char *eco_id,
			   struct reg_ecosystem **out)
{
	yaml_node_t *pms = v[M_PACKAGE_MANAGERS];
	struct reg_ecosystem *eco;
	char *name = NULL;
	bool created;
	int rc;

	if (!v[M_NAME])
		return reg_err(ld, ld->root, "missing key 'name'");
	if (!v[M_MAPPINGS])
		return reg_err(ld, ld->root, "missing key 'mappings'");
	if (!pms)
		return reg_err(ld, ld->root, "missing key 'package_managers'");
	if ((rc = reg_string(ld, v[M_NAME], false, &name)))
		return rc;
	if (v[M_MAPPINGS]->type != YAML_SEQUENCE_NODE)
		return reg_err(ld, v[M_MAPPINGS], "expected a list of mappings");
	if (pms->type != YAML_SEQUENCE_NODE)
		return reg_err(ld, pms, "expected a list of package managers");
	*out = eco = reg_get_eco(ld->reg, eco_id, &created);
	if (!eco)
		return reg_oom(ld);
	if (created)
		eco->loc = reg_loc_of(ld, v[M_NAME]);
	/* a document adds mappings to an ecosystem that has a name and a
	 * package manager already (ours, whose package manager is what its
	 * backend runs, or an earlier document's); it names a new one */
	if (!eco->name)
		eco->name = name;
	if (pms->data.sequence.items.top > pms->data.sequence.items.start) {
		struct reg_pm pm;
		/* read, and so checked, even where it is not taken */
		if ((rc = pep804_pm(ld, reg_node(ld, pms->data.sequence.items.start[0]), &pm)))
			return rc;
		if (!eco->has_pm) {
			eco->pm = pm;
			eco->has_pm = true;
		}
	}
	return 0;
}

/* extra_metadata.extdeps: our own entry, written by registry_export_pep804(). */
static int find_extdeps(struct reg_ld *ld, yaml_node_t *extra, yaml_node_t **ext)
{
	*ext = NULL;
	if (!extra)
		return 0;
	if (extra->type != YAML_MAPPING_NODE)
		return reg_err(ld, extra, "expected a mapping for extra_metadata");
	for (yaml_node_pair_t *p = extra->data.mapping.pairs.start; p < extra->data.mapping.pairs.top;
	     p++)
		if (!strcmp(reg_sval(reg_node(ld, p->key)), "extdeps"))
			*ext = reg_node(ld, p->value);
	return 0;
}

/* One item of `mappings` into TMP (its entry TMP->base), id and all. */
static int read_mapping(struct reg_ld *ld, yaml_node_t *item, const struct reg_ecosystem *eco,
			enum reg_names rule, bool release, struct reg_mapping *tmp)
{
	yaml_node_t *f[7], *idn, *ext;
	int rc;

	memset(tmp, 0, sizeof *tmp);
	if ((rc = reg_keys(ld, item, "a mapping", item_keys, f, NULL)))
		return rc;
	if (!(idn = f[I_ID]))
		return reg_err(ld, item, "mapping has no 'id'");
	if ((rc = reg_depurl_id(ld, idn, false, &tmp->id, NULL)))
		return rc;
	if (f[I_DESCRIPTION] && (rc = reg_string(ld, f[I_DESCRIPTION], true, &tmp->description)))
		return rc;
	if (f[I_URLS] && (rc = check_urls(ld, f[I_URLS])))
		return rc;
	if (f[I_SPECS_FROM] && (rc = reg_depurl_id(ld, f[I_SPECS_FROM], false, &tmp->specs_from, NULL)))
		return rc;
	if (!f[I_SPECS] && !f[I_SPECS_FROM])
		return reg_err(ld, idn, "'%s' has neither 'specs' nor 'specs_from'", tmp->id);
	tmp->loc = reg_loc_of(ld, idn);
	if (tmp->specs_from)
		tmp->specs_from_loc = reg_loc_of(ld, f[I_SPECS_FROM]);
	if ((rc = find_extdeps(ld, f[I_EXTRA], &ext)))
		return rc;
	if (ext)
		return reg_parse_entry(ld, idn, ext, eco->id, rule, release ? NULL : tmp,
				       release ? &tmp->base : NULL);
	if (f[I_SPECS])
		return pep804_specs(ld, f[I_SPECS], eco->id, rule, &tmp->base);
	return 0;
}

/* ECOSYSTEM+RELEASE.mapping.json: TMP's entry is RELEASE's override of M. */
static int put_override(struct reg_ld *ld, struct reg_mapping *m, const char *release,
			const struct reg_mapping *tmp)
{
	struct reg_release_entry *nr = append(ld, m->releases, m->nreleases, sizeof *nr);
	size_t at = m->nreleases;

	if (!nr)
		return reg_oom(ld);
	for (size_t k = 0; k < m->nreleases; k++)
		if (!strcmp(nr[k].release, release))
			at = k;
	nr[at].entry = tmp->base;
	nr[at].release = ra_strdup(&ld->reg->arena, release);
	nr[at].loc = tmp->loc;
	if (!nr[at].release)
		return reg_oom(ld);
	if (at == m->nreleases)
		m->nreleases++;
	m->releases = nr;
	if (!m->loc.file)
		m->loc = tmp->loc;
	if (tmp->specs_from && !m->specs_from) {
		m->specs_from = tmp->specs_from;
		m->specs_from_loc = tmp->specs_from_loc;
	}
	return 0;
}

int reg_load_pep804_mapping(struct reg_ld *ld, const char *eco_id, const char *release)
{
	yaml_node_t *v[7], *maps;
	struct reg_ecosystem *eco = NULL;
	enum reg_names rule;
	int rc = reg_keys(ld, ld->root, "a mapping document", mapdoc_keys, v, NULL);

	if (rc || (rc = load_mapdoc_eco(ld, v, eco_id, &eco)) ||
	    (rc = reg_names_of(ld, eco, &rule)))
		return rc;
	maps = v[M_MAPPINGS];
	for (yaml_node_item_t *it = maps->data.sequence.items.start; it < maps->data.sequence.items.top; it++) {
		struct reg_mapping tmp, *m;
		if ((rc = read_mapping(ld, reg_node(ld, *it), eco, rule, release != NULL, &tmp)))
			return rc;
		m = reg_put_mapping(ld->reg, eco, tmp.id, !release);
		if (!m)
			return reg_oom(ld);
		if (release) {
			if ((rc = put_override(ld, m, release, &tmp)))
				return rc;
			continue;
		}
		tmp.id = m->id;
		*m = tmp;
	}
	return 0;
}

enum { K_NAME, K_COMMANDS, K_SYNTAX };
static const char *const pm_keys[] = { "name", "commands", "specifier_syntax", NULL };
static const char *const cmd_keys[] = { "install", "query", NULL };
static const char *const cmd1_keys[] = { "command", "requires_elevation", "multiple_specifiers",
					 NULL };
static const char *const syntax_keys[] = { "name_only", "exact_version", "version_ranges", NULL };
static const char *const range_keys[] = { "syntax", "and", "equal", "greater_than",
					  "greater_than_equal", "less_than", "less_than_equal",
					  "not_equal", NULL };
static const enum pep440_op range_ops[] = { PEP440_EQ, PEP440_GT, PEP440_GE, PEP440_LT, PEP440_LE,
					    PEP440_NE };

/* S without the placeholders {name} and {version}, into BUF. */
#define OP_CHARS "<>=!~"

static void strip_placeholders(const char *s, char *buf, size_t size)
{
	size_t w = 0;

	while (*s && w + 1 < size) {
		if (!strncmp(s, "{name}", 6))
			s += 6;
		else if (!strncmp(s, "{version}", 9))
			s += 9;
		else
			buf[w++] = *s++;
	}
	buf[w] = '\0';
}

/* The operator strings of version_ranges, in range_keys' order. */
struct range_ops {
	char *text[6];         /* as written, or NULL */
	char stripped[6][128]; /* without placeholders */
	int first;             /* the first written, or -1 */
	size_t pre, suf;       /* how much they all share before and after the operator */
};

/* Shrink R's shared prefix and suffix to what string I shares with the
 * first: never operator characters, or ">=" and "=" would share "=". */
static void shared_affixes(struct range_ops *r, int i)
{
	const char *a = r->stripped[r->first], *b = r->stripped[i];
	size_t p = 0, q = 0, la = strlen(a), lb = strlen(b);

	while (p < la && p < lb && a[p] == b[p] && !strchr(OP_CHARS, b[p]))
		p++;
	while (q < la && q < lb && a[la - 1 - q] == b[lb - 1 - q] && !strchr(OP_CHARS, b[lb - 1 - q]))
		q++;
	if (p < r->pre)
		r->pre = p;
	if (q < r->suf)
		r->suf = q;
}

static int read_range_ops(struct reg_ld *ld, yaml_node_t **rv, struct range_ops *r)
{
	int rc;

	r->first = -1;
	r->pre = r->suf = (size_t)-1;
	for (int i = 0; i < 6; i++) {
		r->text[i] = NULL;
		if (rv[i + 2] && (rc = reg_string(ld, rv[i + 2], true, &r->text[i])))
			return rc;
		if (!r->text[i])
			continue;
		strip_placeholders(r->text[i], r->stripped[i], sizeof r->stripped[i]);
		if (r->first < 0)
			r->first = i;
		shared_affixes(r, i);
	}
	return 0;
}

/* Our constraint template from the operator string TEXT (of node N) whose
 * operator is OP: SYNTAX with {ranges} replaced by TEXT, OP in it by {op}. */
static int range_template(struct reg_ld *ld, yaml_node_t *n, const char *syntax, const char *text,
			  const char *op, struct reg_pm *pm)
{
	const char *at = *op ? strstr(text, op) : NULL, *ranges = strstr(syntax, "{ranges}");
	struct strbuf sb = STRBUF_INIT;

	if (!at)
		return reg_err(ld, n, "cannot find the operator in '%s'", text);
	strbuf_add(&sb, syntax, (size_t)(ranges - syntax));
	strbuf_add(&sb, text, (size_t)(at - text));
	strbuf_addstr(&sb, "{op}");
	strbuf_addstr(&sb, at + strlen(op));
	strbuf_addstr(&sb, ranges + strlen("{ranges}"));
	pm->constraint = sb.oom ? NULL : ra_strdup(&ld->reg->arena, strbuf_str(&sb));
	strbuf_release(&sb);
	return pm->constraint ? 0 : reg_oom(ld);
}

static int pep804_ranges(struct reg_ld *ld, yaml_node_t *n, struct reg_pm *pm)
{
	yaml_node_t *rv[9];
	char *syntax0 = NULL, **syntax;
	size_t nsyntax;
	struct range_ops r;
	int rc = reg_keys(ld, n, "version_ranges", range_keys, rv, NULL);

	if (rc)
		return rc;
	if (!rv[0])
		return reg_err(ld, n, "version_ranges has no 'syntax'");
	if ((rc = reg_strlist(ld, rv[0], &syntax, &nsyntax, NULL)))
		return rc;
	for (size_t i = 0; i < nsyntax; i++)
		if (strstr(syntax[i], "{ranges}"))
			syntax0 = syntax[i];
	if (!syntax0)
		return reg_err(ld, rv[0], "version_ranges syntax has no {ranges} placeholder");
	if ((rc = read_range_ops(ld, rv, &r)) || r.first < 0)
		return rc;
	pm->operators = ra_alloc(&ld->reg->arena, 6 * sizeof *pm->operators);
	if (!pm->operators)
		return reg_oom(ld);
	for (int i = 0; i < 6; i++) {
		size_t len = r.text[i] ? strlen(r.stripped[i]) : 0;
		char *op;
		if (!r.text[i])
			continue;
		op = ra_strndup(&ld->reg->arena, r.stripped[i] + r.pre,
				len > r.pre + r.suf ? len - r.pre - r.suf : 0);
		if (!op)
			return reg_oom(ld);
		if (r.first == i && (rc = range_template(ld, rv[i + 2], syntax0, r.text[i], op, pm)))
			return rc;
		if (strcmp(op, pep440_op_str(range_ops[i])) != 0) {
			pm->operators[pm->noperators].op = range_ops[i];
			pm->operators[pm->noperators].text = op;
			pm->noperators++;
		}
	}
	/* PEP 804 lets {name} sit in the syntax only; ours needs it */
	if (pm->constraint && !strstr(pm->constraint, "{name}"))
		return reg_err(ld, rv[0], "version_ranges write no {name}");
	return 0;
}

static int pep804_pm(struct reg_ld *ld, yaml_node_t *n, struct reg_pm *pm)
{
	yaml_node_t *v[4], *cv[3], *iv[4], *sv[4];
	char **argv;
	size_t argc;
	int rc = reg_keys(ld, n, "a package manager", pm_keys, v, NULL);

	if (rc)
		return rc;
	memset(pm, 0, sizeof *pm);
	for (int i = 0; i < 3; i++)
		if (!v[i])
			return reg_err(ld, n, "package manager has no '%s'", pm_keys[i]);
	if ((rc = reg_string(ld, v[K_NAME], false, &pm->name)) ||
	    (rc = reg_keys(ld, v[K_COMMANDS], "commands", cmd_keys, cv, NULL)))
		return rc;
	if (!cv[0])
		return reg_err(ld, v[K_COMMANDS], "commands has no 'install'");
	if ((rc = reg_keys(ld, cv[0], "the install command", cmd1_keys, iv, NULL)))
		return rc;
	if (!iv[0])
		return reg_err(ld, cv[0], "install has no 'command'");
	if ((rc = reg_strlist(ld, iv[0], &argv, &argc, NULL)))
		return rc;
	/* our argv template appends the specs: the placeholder must be last */
	if (!argc || strcmp(argv[argc - 1], "{}") != 0)
		return reg_err(ld, iv[0], "expected the '{}' placeholder as the last item");
	for (size_t i = 0; i + 1 < argc; i++)
		if (strstr(argv[i], "{}"))
			return reg_err(ld, iv[0], "expected the '{}' placeholder as the last item");
	pm->install = argv;
	pm->ninstall = argc - 1;
	if (iv[1] && (rc = reg_bool(ld, iv[1], &pm->needs_root)))
		return rc;
	if ((rc = reg_keys(ld, v[K_SYNTAX], "specifier_syntax", syntax_keys, sv, NULL)))
		return rc;
	if (sv[1] && !reg_is_null(sv[1])) {
		char **ex;
		size_t nex;
		if ((rc = reg_strlist(ld, sv[1], &ex, &nex, NULL)))
			return rc;
		if (nex)
			pm->pin = ex[0];
	}
	if (sv[2] && !reg_is_null(sv[2]) && (rc = pep804_ranges(ld, sv[2], pm)))
		return rc;
	return 0;
}

/* --- export --- */

static void write_speclist(struct json *j, const struct reg_spec_list *l, bool preferred_only)
{
	struct strbuf spec = STRBUF_INIT;

	json_array_begin(j);
	for (size_t i = 0; i < l->count; i++) {
		const struct reg_spec *s = &l->items[i];
		strbuf_reset(&spec);
		/* PEP 804's own specs are names; the extdeps form keeps each
		 * alternative's fixed constraint */
		for (size_t a = 0; a < (preferred_only ? 1 : s->nalts); a++) {
			strbuf_addf(&spec, "%s%s", a ? " | " : "", s->alts[a]);
			if (!preferred_only && s->fixed && s->fixed[a])
				strbuf_addf(&spec, " (%s)", s->fixed[a]);
		}
		json_string(j, strbuf_str(&spec));
	}
	json_array_end(j);
	strbuf_release(&spec);
}

static void write_entry(struct json *j, const struct reg_entry *e)
{
	if (e->has_specs) {
		json_key(j, "specs");
		json_object_begin(j);
		for (int s = 0; s < ED_STAGE_COUNT; s++) {
			if (!e->has_stage[s])
				continue;
			json_key(j, ed_stage_name((enum ed_stage)s));
			write_speclist(j, &e->stages[s], false);
		}
		json_object_end(j);
	}
	if (e->version != REG_VERSION_UNSET) {
		json_key(j, "version");
		json_string(j, e->version == REG_VERSION_UPSTREAM ? "upstream" : "none");
	}
	if (e->unavailable) {
		json_key(j, "unavailable");
		json_string(j, e->unavailable);
	}
	if (e->repository) {
		json_key(j, "repository");
		json_string(j, e->repository);
	}
}

static void write_branches(struct json *j, const struct reg_version_entry *v, size_t n)
{
	if (!n)
		return;
	json_key(j, "versions");
	json_object_begin(j);
	for (size_t i = 0; i < n; i++) {
		json_key(j, v[i].range);
		json_object_begin(j);
		write_entry(j, &v[i].entry);
		json_object_end(j);
	}
	json_object_end(j);
}

static int export_registry(const struct registry *reg, struct json *j)
{
	json_object_begin(j);
	json_key(j, "schema_version");
	json_int(j, 1);
	json_key(j, "definitions");
	json_array_begin(j);
	for (size_t i = 0; i < registry_ndefs(reg); i++) {
		const struct reg_def *def = registry_def_at(reg, i);
		json_object_begin(j);
		json_key(j, "id");
		json_string(j, def->id);
		if (def->description) {
			json_key(j, "description");
			json_string(j, def->description);
		}
		if (def->nprovides) {
			json_key(j, "provides");
			json_array_begin(j);
			for (size_t k = 0; k < def->nprovides; k++)
				json_string(j, def->provides[k]);
			json_array_end(j);
		}
		json_object_end(j);
	}
	/* DepURL aliases, as PEP 804 writes them: definitions providing the id */
	for (size_t i = 0; i < registry_ndefs(reg); i++) {
		const struct reg_def *def = registry_def_at(reg, i);
		for (size_t k = 0; k < def->naliases; k++) {
			if (strncmp(def->aliases[k], "dep:", 4) != 0)
				continue;
			json_object_begin(j);
			json_key(j, "id");
			json_string(j, def->aliases[k]);
			json_key(j, "description");
			json_string(j, def->description);
			/* PEP 804 forbids 'provides' in a dep:virtual/ definition:
			 * such an alias is a definition of its own, which each
			 * mapping document maps with specs_from */
			if (!is_type(def->aliases[k], "virtual")) {
				json_key(j, "provides");
				json_string(j, def->id);
			}
			json_object_end(j);
		}
	}
	json_array_end(j);
	json_object_end(j);
	return 0;
}

/* One PEP 804 version_ranges operator string: our template with {name} and
 * {version} kept, {op} spelled. */
static void write_op(struct json *j, const char *key, const struct reg_pm *pm, enum pep440_op op)
{
	const char *text = pep440_op_str(op);
	char *s;

	for (size_t i = 0; i < pm->noperators; i++)
		if (pm->operators[i].op == op)
			text = pm->operators[i].text;
	json_key(j, key);
	s = registry_render(pm->constraint, "{name}", text, "{version}");
	json_string(j, s);
	free(s);
}

static void export_pm(struct json *j, const struct reg_pm *pm)
{
	json_object_begin(j);
	json_key(j, "name");
	json_string(j, pm->name);
	json_key(j, "commands");
	json_object_begin(j);
	json_key(j, "install");
	json_object_begin(j);
	json_key(j, "command");
	json_array_begin(j);
	for (size_t i = 0; i < pm->ninstall; i++)
		json_string(j, pm->install[i]);
	json_string(j, "{}");
	json_array_end(j);
	json_key(j, "multiple_specifiers");
	json_string(j, "always");
	json_key(j, "requires_elevation");
	json_bool(j, pm->needs_root);
	json_object_end(j);
	json_object_end(j);
	json_key(j, "specifier_syntax");
	json_object_begin(j);
	json_key(j, "name_only");
	json_array_begin(j);
	json_string(j, "{name}");
	json_array_end(j);
	json_key(j, "exact_version");
	if (pm->pin) {
		json_array_begin(j);
		json_string(j, pm->pin);
		json_array_end(j);
	} else {
		json_null(j);
	}
	json_key(j, "version_ranges");
	if (pm->constraint) {
		/* one token per clause, as our `constraint` template renders */
		json_object_begin(j);
		json_key(j, "syntax");
		json_array_begin(j);
		json_string(j, "{ranges}");
		json_array_end(j);
		json_key(j, "and");
		json_null(j);
		write_op(j, "equal", pm, PEP440_EQ);
		write_op(j, "greater_than", pm, PEP440_GT);
		write_op(j, "greater_than_equal", pm, PEP440_GE);
		write_op(j, "less_than", pm, PEP440_LT);
		write_op(j, "less_than_equal", pm, PEP440_LE);
		json_object_end(j);
	} else {
		json_null(j);
	}
	json_object_end(j);
	json_object_end(j);
}

static bool release_known(const struct registry *reg, const struct reg_ecosystem *eco,
			  const char *rel)
{
	struct reg_target t;
	char buf[300];

	snprintf(buf, sizeof buf, "%s:%s", eco->id, rel);
	return registry_parse_target(reg, buf, &t, NULL) == 0 && t.release && !strcmp(t.release, rel);
}

static void export_mapping(const struct registry *reg, const struct reg_ecosystem *target,
			   struct json *j, const struct reg_mapping *m)
{
	const struct reg_def *def = registry_find(reg, m->id);
	/* PEP 804's specs: what a dependency without a version gets (the
	 * first `versions` branch when the mapping has no fields of its own) */
	const struct reg_entry *plain = !m->base.has_specs && !m->base.unavailable && m->nversions
						? &m->versions[0].entry : &m->base;

	json_object_begin(j);
	json_key(j, "id");
	json_string(j, m->id);
	if (m->description || (def && def->description)) {
		json_key(j, "description");
		json_string(j, m->description ? m->description : def->description);
	}
	if (m->specs_from) {
		json_key(j, "specs_from");
		json_string(j, m->specs_from);
	}
	if (plain->has_specs || plain->unavailable || !m->specs_from) {
		json_key(j, "specs");
		if (!plain->has_specs) {
			json_array_begin(j);
			json_array_end(j);
		} else {
			json_object_begin(j);
			for (int s = 0; s < ED_STAGE_COUNT; s++) {
				/* PEP 804 has no fallback: fill every stage as we map it */
				static const int order[ED_STAGE_COUNT][3] = { { 0, 1, -1 }, { 1, 0, -1 }, { 2, 1, 0 } };
				const struct reg_spec_list *l = NULL;
				for (int k = 0; k < 3 && order[s][k] >= 0 && !l; k++)
					if (plain->has_stage[order[s][k]])
						l = &plain->stages[order[s][k]];
				json_key(j, ed_stage_name((enum ed_stage)s));
				if (l) {
					write_speclist(j, l, true);
				} else {
					json_array_begin(j);
					json_array_end(j);
				}
			}
			json_object_end(j);
		}
	}
	json_key(j, "extra_metadata");
	json_object_begin(j);
	json_key(j, "extdeps");
	json_object_begin(j);
	write_entry(j, &m->base);
	{
		bool any = false;
		for (size_t r = 0; r < m->nreleases; r++) {
			if (!release_known(reg, target, m->releases[r].release))
				continue;
			if (!any) {
				json_key(j, "releases");
				json_object_begin(j);
				any = true;
			}
			json_key(j, m->releases[r].release);
			json_object_begin(j);
			write_entry(j, &m->releases[r].entry);
			write_branches(j, m->releases[r].versions, m->releases[r].nversions);
			json_object_end(j);
		}
		if (any)
			json_object_end(j);
	}
	write_branches(j, m->versions, m->nversions);
	json_object_end(j);
	json_object_end(j);
	json_object_end(j);
}

/* A dep:virtual/ alias, a definition of its own in registry.json, takes
 * its canonical id's specs. */
static void export_alias(struct json *j, const char *alias, const char *canonical)
{
	json_object_begin(j);
	json_key(j, "id");
	json_string(j, alias);
	json_key(j, "specs_from");
	json_string(j, canonical);
	json_object_end(j);
}

/* The mapping ECO uses for ID: its own, else its nearest parent's. */
static const struct reg_mapping *effective_mapping(const struct registry *reg,
						   const struct reg_ecosystem *eco, const char *id)
{
	for (int depth = 0; eco && depth < 16; depth++) {
		const struct reg_mapping *m = registry_find_mapping(eco, id);
		if (m)
			return m;
		eco = eco->inherits ? registry_find_ecosystem(reg, eco->inherits) : NULL;
	}
	return NULL;
}

int registry_export_pep804(const struct registry *reg, const char *ecosystem, FILE *out,
			   struct ed_diag *d)
{
	const struct reg_ecosystem *eco = NULL;
	struct reg_target t;
	const struct reg_pm *pm;
	struct json j;

	if (ecosystem) {
		int rc = registry_parse_target(reg, ecosystem, &t, d);
		if (rc)
			return rc;
		eco = t.eco;
	}
	json_init(&j, out);
	if (!eco) {
		export_registry(reg, &j);
	} else {
		json_object_begin(&j);
		json_key(&j, "schema_version");
		json_int(&j, 1);
		json_key(&j, "name");
		json_string(&j, eco->name ? eco->name : eco->id);
		json_key(&j, "mappings");
		json_array_begin(&j);
		for (size_t i = 0; i < registry_ndefs(reg); i++) {
			const struct reg_def *def = registry_def_at(reg, i);
			const struct reg_mapping *m = effective_mapping(reg, eco, def->id);
			if (!m)
				continue;
			export_mapping(reg, eco, &j, m);
			for (size_t k = 0; k < def->naliases; k++)
				if (is_type(def->aliases[k], "virtual"))
					export_alias(&j, def->aliases[k], def->id);
		}
		json_array_end(&j);
		json_key(&j, "package_managers");
		json_array_begin(&j);
		pm = registry_package_manager(reg, &t);
		if (pm)
			export_pm(&j, pm);
		json_array_end(&j);
		json_object_end(&j);
	}
	json_end(&j);
	if (fflush(out) != 0 || ferror(out))
		return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "cannot write the PEP 804 document");
	return 0;
}
