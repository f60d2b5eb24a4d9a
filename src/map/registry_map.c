/* registry_map.c - mapping a DepURL for a target: the effective entry
 * (inheritance, specs_from, per-release overrides), stage fallback, virtual
 * DepURLs through their providers, names made by the rule for a DepURL's
 * type, version clauses in the ecosystem's spelling. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "extdeps/util/strbuf.h"
#include "extdeps/util/util.h"
#include "registry_int.h"

const char *reg_status_name(enum reg_status status)
{
	switch (status) {
	case REG_MAPPED: return "mapped";
	case REG_UNAVAILABLE: return "unavailable";
	case REG_UNMAPPED: return "unmapped";
	case REG_UNKNOWN: return "unknown";
	}
	return "?";
}

char *registry_render(const char *template_, const char *name, const char *op,
		      const char *version)
{
	static const char *const holders[] = { "{name}", "{op}", "{version}", NULL };
	const char *const values[] = { name, op, version };

	return reg_fill(template_, holders, values);
}

/* A mapping's effective entry for one release and version range. */
struct effective {
	const struct reg_ecosystem *eco;
	const struct reg_mapping *mapping;
	const struct reg_release_entry *override;
	const struct reg_version_entry *branch;
	struct reg_entry entry;
};

static bool entry_empty(const struct reg_entry *e)
{
	return !e->has_specs && !e->unavailable;
}

/* Apply override O: the fields it writes replace those of E. */
static void apply(struct reg_entry *e, const struct reg_entry *o)
{
	if (o->has_specs) {
		memcpy(e->has_stage, o->has_stage, sizeof o->has_stage);
		memcpy(e->stages, o->stages, sizeof o->stages);
		e->has_specs = true;
		e->unavailable = NULL;
	}
	if (o->unavailable) {
		e->unavailable = o->unavailable;
		e->has_specs = false;
	}
	if (o->version != REG_VERSION_UNSET)
		e->version = o->version;
	if (o->repository) {
		e->repository = o->repository;
		e->repository_loc = o->repository_loc;
	}
}

/* The branch of M for a dependency asking for WANT: the first whose range
 * overlaps WANT; without a constraint, none (the mapping's own fields)
 * unless the mapping has none of its own, then the first. */
static const struct reg_version_entry *pick_branch(const struct reg_version_entry *v, size_t n,
						   const struct reg_entry *own,
						   const struct pep440_spec *want)
{
	if (!n)
		return NULL;
	if (!want || !want->count)
		return entry_empty(own) ? &v[0] : NULL;
	for (size_t i = 0; i < n; i++) {
		struct ed_parse_err perr;
		const char *r = v[i].range;
		struct pep440_spec *range = pep440_spec_parse(r, strlen(r), &perr);
		/* validated when loaded: NULL only when out of memory, which
		 * then falls back to the mapping's own fields */
		bool fits = range && pep440_spec_overlaps(range, want);

		pep440_spec_free(range);
		if (fits)
			return &v[i];
	}
	return NULL;
}

/* The entry of ID in ECO's own file for RELEASE, following specs_from. */
static bool own_entry(const struct registry *reg, const struct reg_ecosystem *eco, const char *id,
		      const char *release, const struct pep440_spec *want, struct effective *out,
		      int depth)
{
	const struct reg_mapping *m = registry_find_mapping(eco, id);
	const struct reg_ecosystem *owner;

	if (!m || depth > REG_MAX_CHAIN)
		return false;
	if (m->specs_from && entry_empty(&m->base) && m->nreleases == 0 && m->nversions == 0)
		return own_entry(reg, eco, m->specs_from, release, want, out, depth + 1);
	out->eco = eco;
	out->mapping = m;
	out->override = NULL;
	out->branch = NULL;
	out->entry = m->base;
	/* overrides are keyed by the release numbers of the file's own
	 * releases, which a parent shares only when the child has none */
	owner = reg_release_owner(reg, eco);
	if (release && owner && reg_find_release(owner, release, false)) {
		for (size_t i = 0; i < m->nreleases; i++) {
			const struct reg_release_entry *o = &m->releases[i];
			if (strcmp(o->release, release) != 0)
				continue;
			out->override = o;
			apply(&out->entry, &o->entry);
		}
	}
	/* then the version branch, over the release's fields: the release's
	 * own branches replace the mapping's */
	out->branch = out->override && out->override->nversions
			      ? pick_branch(out->override->versions, out->override->nversions,
					    &out->entry, want)
			      : pick_branch(m->versions, m->nversions, &out->entry, want);
	if (out->branch)
		apply(&out->entry, &out->branch->entry);
	return !entry_empty(&out->entry);
}

/* The entry of ID for the target, through inheritance. */
static bool find_entry(const struct registry *reg, const struct reg_target *t, const char *id,
		       const struct pep440_spec *want, struct effective *out)
{
	const struct reg_ecosystem *e = t->eco;

	for (int depth = 0; e && depth < REG_MAX_CHAIN; depth++, e = reg_eco_parent(reg, e))
		if (own_entry(reg, e, id, t->release, want, out, 0))
			return true;
	return false;
}

bool reg_mapped_in(const struct registry *reg, const struct reg_ecosystem *eco, const char *id)
{
	struct reg_target t = { eco, NULL, false };
	struct effective eff;

	return find_entry(reg, &t, id, NULL, &eff);
}

static const enum ed_stage fallback[ED_STAGE_COUNT][ED_STAGE_COUNT + 1] = {
	[ED_STAGE_BUILD] = { ED_STAGE_BUILD, ED_STAGE_HOST, ED_STAGE_COUNT },
	[ED_STAGE_HOST] = { ED_STAGE_HOST, ED_STAGE_BUILD, ED_STAGE_COUNT },
	[ED_STAGE_RUN] = { ED_STAGE_RUN, ED_STAGE_HOST, ED_STAGE_BUILD, ED_STAGE_COUNT },
};

static const char *op_text(const struct reg_pm *pm, enum pep440_op op)
{
	for (size_t i = 0; pm && i < pm->noperators; i++)
		if (pm->operators[i].op == op)
			return pm->operators[i].text;
	return pep440_op_str(op);
}

static void free_clauses(struct reg_map_clause *cl, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(cl[i].version);
	free(cl);
}

/* SPEC's clauses, with PM's spelling of each operator, into *OUT (*N). */
static int translate_clauses(const struct pep440_spec *spec, const struct reg_pm *pm,
			     struct reg_map_clause **out, size_t *n, struct ed_diag *d)
{
	if (!(*out = calloc(spec->count, sizeof **out)))
		return ed_diag_oom(d);
	for (*n = 0; *n < spec->count; ++*n) {
		const struct pep440_clause *c = &spec->clauses[*n];
		struct reg_map_clause *o = &(*out)[*n];
		size_t len = strlen(c->version);
		o->op = c->op;
		o->op_text = op_text(pm, c->op);
		if (!(o->version = malloc(len + 3)))
			return ed_diag_oom(d);
		memcpy(o->version, c->version, len + 1);
		if (c->wildcard)
			memcpy(o->version + len, ".*", 3);
	}
	return 0;
}

/* FIXED, an alternative's own specifier (validated when loaded), as its
 * clauses. */
static int fixed_clauses(struct reg_map_alt *alt, const char *fixed, const struct reg_pm *pm,
			 struct ed_diag *d)
{
	struct ed_parse_err perr;
	struct reg_map_clause *cl = NULL;
	struct pep440_spec *spec = pep440_spec_parse(fixed, strlen(fixed), &perr);
	int rc;

	if (!spec)
		return ed_diag_oom(d);
	rc = translate_clauses(spec, pm, &cl, &alt->nclauses, d);
	pep440_spec_free(spec);
	alt->clauses = cl;
	alt->fixed = true;
	return rc;
}

/* Alternative NAME (malloc'd, owned from here; NULL when out of memory),
 * with FIXED, its own specifier, or NULL, into ALT: its clauses, its own or
 * those of OUT when the dependency's version translates (TRANSLATE), each
 * rendered with the package manager's template. */
static int fill_alt(struct reg_map_alt *alt, char *name, const char *fixed,
		    const struct reg_pm *pm, bool translate, const struct reg_map *out,
		    struct ed_diag *d)
{
	int rc;

	if (!(alt->name = name))
		return ed_diag_oom(d);
	if (fixed) {
		if ((rc = fixed_clauses(alt, fixed, pm, d)))
			return rc;
	} else if (translate) {
		alt->clauses = out->clauses;
		alt->nclauses = out->nclauses;
	}
	if (!alt->nclauses || !pm || !pm->constraint)
		return 0;
	if (!(alt->constraints = calloc(alt->nclauses, sizeof *alt->constraints)))
		return ed_diag_oom(d);
	for (size_t c = 0; c < alt->nclauses; c++) {
		alt->constraints[c] = registry_render(pm->constraint, alt->name,
						      alt->clauses[c].op_text,
						      alt->clauses[c].version);
		if (!alt->constraints[c])
			return ed_diag_oom(d);
		alt->nconstraints++;
	}
	return 0;
}

/* --- rules: names made from the DepURL --- */

/* S lower-cased when RULE says so, then with each of RULE's FROM, TO pairs
 * replaced in order. malloc'd; NULL when out of memory. */
static char *rule_part(const struct reg_rule *rule, const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	char *cur = strdup(s ? s : "");

	if (cur && rule->lower)
		for (char *p = cur; *p; p++)
			*p = (char)tolower((unsigned char)*p);
	for (size_t i = 0; cur && i + 1 < rule->nreplace; i += 2) {
		const char *from = rule->replace[i], *to = rule->replace[i + 1];
		size_t n = strlen(from);
		for (const char *p = cur; *p;) {
			if (!strncmp(p, from, n)) {
				strbuf_addstr(&sb, to);
				p += n;
			} else {
				strbuf_addch(&sb, *p++);
			}
		}
		free(cur);
		cur = strbuf_detach(&sb);
	}
	return cur;
}

/* TEMPLATE with {name} and {namespace} filled from DEP by RULE. malloc'd;
 * NULL when out of memory. */
static char *rule_name(const struct reg_rule *rule, const char *template_, const struct depurl *dep)
{
	char *name = rule_part(rule, dep->name), *ns = rule_part(rule, dep->namespace);
	const char *const values[] = { name, ns };
	char *out = name && ns ? reg_fill(template_, reg_rule_holders, values) : NULL;

	free(name);
	free(ns);
	return out;
}

/* Whether every name of M keeps to TARGET's `package_names`: a DepURL may
 * hold what no package name may, and rule-made names reach argv. */
static bool names_ok(const struct registry *reg, const struct reg_target *t,
		     const struct reg_map *m)
{
	enum reg_names rule = reg_eco_names(reg, t->eco, NULL);

	for (size_t i = 0; i < m->npkgs; i++)
		for (size_t a = 0; a < m->pkgs[i].nalts; a++) {
			const char *n = m->pkgs[i].alts[a].name;
			if (!*n || reg_name_bad(n, strlen(n), rule) < strlen(n))
				return false;
		}
	return true;
}

static int fill_packages(const struct registry *reg, const struct reg_target *t,
			 const struct depurl *dep, const struct effective *eff, enum ed_stage stage,
			 const struct reg_rule *rule, struct reg_map *out, struct ed_diag *d)
{
	const struct reg_spec_list *list = NULL;
	const struct reg_pm *pm = registry_package_manager(reg, t);
	const struct pep440_spec *spec = dep ? dep->spec : NULL;
	bool translate;
	int rc;

	out->stage = stage;
	for (const enum ed_stage *s = fallback[stage]; *s != ED_STAGE_COUNT; s++)
		if (eff->entry.has_stage[*s]) {
			list = &eff->entry.stages[*s];
			out->stage = *s;
			break;
		}
	out->version = eff->entry.version;
	out->spec = spec && spec->count ? spec : NULL;
	translate = spec && spec->count && eff->entry.version == REG_VERSION_UPSTREAM && pm &&
		    pm->constraint;
	out->version_unexpressed = spec && spec->count && !translate;
	if (translate && (rc = translate_clauses(spec, pm, &out->clauses, &out->nclauses, d)))
		return rc;
	if (!list || list->count == 0)
		return 0;
	out->pkgs = calloc(list->count, sizeof *out->pkgs);
	if (!out->pkgs)
		return ed_diag_oom(d);
	out->npkgs = list->count;
	for (size_t i = 0; i < list->count; i++) {
		const struct reg_spec *sp = &list->items[i];
		struct reg_map_pkg *pkg = &out->pkgs[i];
		pkg->alts = calloc(sp->nalts, sizeof *pkg->alts);
		if (!pkg->alts)
			return ed_diag_oom(d);
		pkg->nalts = sp->nalts;
		for (size_t a = 0; a < sp->nalts; a++) {
			char *name = rule ? rule_name(rule, sp->alts[a], dep) : strdup(sp->alts[a]);
			if ((rc = fill_alt(&pkg->alts[a], name, sp->fixed ? sp->fixed[a] : NULL, pm,
					   translate, out, d)))
				return rc;
		}
	}
	return 0;
}

static void set_from_effective(const struct registry *reg, const struct reg_target *target,
			       struct reg_map *out, const struct effective *eff)
{
	out->ecosystem = eff->eco->id;
	out->release = eff->override ? eff->override->release : NULL;
	out->branch = eff->branch ? eff->branch->range : NULL;
	/* by id from the target: a distribution's own repository of that id
	 * (Oracle Linux's CRB) replaces its parent's */
	out->repository = eff->entry.repository
				  ? registry_find_repository(reg, target, eff->entry.repository)
				  : NULL;
	out->source = eff->branch ? eff->branch->loc
		      : eff->override ? eff->override->loc : eff->mapping->loc;
}

/* A DepURL without its own mapping (a virtual one) maps through the first
 * definition, by id, that provides it and is mapped: REG_MAPPED with *EFF
 * and *VIA set. REG_UNAVAILABLE, *EFF the first provider's, when every
 * provider is mapped and none available; else REG_UNMAPPED. */
static enum reg_status through_providers(const struct registry *reg, const struct reg_target *t,
					 const struct reg_def *def, const struct pep440_spec *want,
					 struct effective *eff, const char **via)
{
	struct effective first_unavailable = { 0 };
	bool any_unavailable = false, any_unmapped = false;

	for (size_t i = 0; i < reg->ndefs; i++) {
		const struct reg_def *p = &reg->defs[i];
		bool provides = false;
		for (size_t j = 0; j < p->nprovides && !provides; j++)
			provides = strcmp(p->provides[j], def->id) == 0;
		if (!provides)
			continue;
		if (!find_entry(reg, t, p->id, want, eff)) {
			any_unmapped = true;
			continue;
		}
		if (eff->entry.unavailable) {
			if (!any_unavailable)
				first_unavailable = *eff;
			any_unavailable = true;
			continue;
		}
		*via = p->id;
		return REG_MAPPED;
	}
	if (!any_unavailable || any_unmapped)
		return REG_UNMAPPED;
	*eff = first_unavailable;
	return REG_UNAVAILABLE;
}

/* DEP through the rule of TARGET (or the nearest ecosystem it inherits
 * from) for its type: REG_UNMAPPED when there is none, or when a name it
 * makes is no package name of the ecosystem. */
static int map_by_rule(const struct registry *reg, const struct reg_target *target,
		       const struct depurl *dep, enum ed_stage stage, struct reg_map *out,
		       struct ed_diag *d)
{
	const struct reg_ecosystem *e = target->eco;
	const struct reg_rule *rule = NULL;
	struct effective eff = { 0 };
	const char *id;
	int rc;

	/* callers that map a definition by its id alone give no type */
	for (int depth = 0; e && !rule && dep->type && depth < REG_MAX_CHAIN; depth++)
		if (!(rule = reg_find_sorted_rule(e, dep->type)))
			e = reg_eco_parent(reg, e);
	out->status = REG_UNMAPPED;
	if (!rule)
		return 0;
	out->rule = rule;
	out->ecosystem = e->id;
	out->source = rule->loc;
	if (rule->entry.unavailable) {
		out->status = REG_UNAVAILABLE;
		out->reason = rule->entry.unavailable;
		return 0;
	}
	eff.eco = e;
	eff.entry = rule->entry;
	if ((rc = fill_packages(reg, target, dep, &eff, stage, rule, out, d))) {
		reg_map_fini(out);
		return rc;
	}
	out->status = REG_MAPPED;
	if (names_ok(reg, target, out))
		return 0;
	id = out->id;
	reg_map_fini(out);
	out->stage = stage;
	out->id = id;
	out->status = REG_UNMAPPED;
	return 0;
}

int registry_map(const struct registry *reg, const struct reg_target *target,
		 const struct depurl *dep, enum ed_stage stage, struct reg_map *out,
		 struct ed_diag *d)
{
	const struct reg_def *def;
	struct effective eff;
	enum reg_status found;
	int rc;

	memset(out, 0, sizeof *out);
	out->stage = stage;
	def = registry_find(reg, dep->id);
	if (!def)
		def = reg_find_def_alias(reg, dep->id, NULL);
	if (!def && dep->type && registry_ruled_type(reg, dep->type)) {
		out->id = dep->id;
		return map_by_rule(reg, target, dep, stage, out, d);
	}
	if (!def) {
		out->status = REG_UNKNOWN;
		out->suggestion = registry_suggest(reg, dep->id);
		return 0;
	}
	out->id = def->id;
	if (find_entry(reg, target, def->id, dep->spec, &eff))
		found = REG_MAPPED;
	else
		found = through_providers(reg, target, def, dep->spec, &eff, &out->via);
	out->status = found;
	/* the DepURL's own entries win; a rule covers the rest of its type */
	if (found == REG_UNMAPPED)
		return map_by_rule(reg, target, dep, stage, out, d);
	set_from_effective(reg, target, out, &eff);
	if (found == REG_UNAVAILABLE) {
		out->reason = "no definition providing it is available";
		return 0;
	}
	if (eff.entry.unavailable) {
		out->status = REG_UNAVAILABLE;
		out->reason = eff.entry.unavailable;
		return 0;
	}
	rc = fill_packages(reg, target, dep, &eff, stage, NULL, out, d);
	if (rc)
		reg_map_fini(out);
	return rc;
}

int registry_each_entry(const struct reg_mapping *m,
			int (*fn)(const struct reg_entry *e, const struct reg_loc *loc,
				  const char *what, void *ud),
			void *ud)
{
	char what[160];
	int rc = fn(&m->base, &m->loc, "", ud);

	for (size_t r = 0; r < m->nreleases && !rc; r++) {
		const struct reg_release_entry *o = &m->releases[r];
		snprintf(what, sizeof what, "release %s", o->release);
		rc = fn(&o->entry, &o->loc, what, ud);
		for (size_t v = 0; v < o->nversions && !rc; v++) {
			snprintf(what, sizeof what, "release %s versions %s", o->release,
				 o->versions[v].range);
			rc = fn(&o->versions[v].entry, &o->versions[v].loc, what, ud);
		}
	}
	for (size_t v = 0; v < m->nversions && !rc; v++) {
		snprintf(what, sizeof what, "versions %s", m->versions[v].range);
		rc = fn(&m->versions[v].entry, &m->versions[v].loc, what, ud);
	}
	return rc;
}

void reg_map_fini(struct reg_map *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->npkgs; i++) {
		for (size_t a = 0; a < m->pkgs[i].nalts; a++) {
			struct reg_map_alt *alt = &m->pkgs[i].alts[a];
			free(alt->name);
			util_strv_free(alt->constraints, alt->nconstraints);
			if (alt->fixed)
				free_clauses((struct reg_map_clause *)alt->clauses, alt->nclauses);
		}
		free(m->pkgs[i].alts);
	}
	free(m->pkgs);
	free_clauses(m->clauses, m->nclauses);
	memset(m, 0, sizeof *m);
}
