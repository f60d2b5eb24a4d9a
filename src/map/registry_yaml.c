/* registry_yaml.c - reading registry.yaml and ECOSYSTEM.yaml with libyaml's
 * document API (which keeps every node's mark), the schema checks of
 * extdeps-mappings(5), and loading from memory, files and directories (the
 * compiled-in set is registry_embedded.c's). */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extdeps/util/util.h"
#include "registry_int.h"

/* --- node helpers --- */

yaml_node_t *reg_node(struct reg_ld *ld, int index)
{
	return yaml_document_get_node(&ld->doc, index);
}

/* Column of byte OFF inside scalar N (quotes skipped; exact on one line). */
static int scalar_col(const yaml_node_t *n, size_t off)
{
	int quoted = n->type == YAML_SCALAR_NODE && (n->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
						      n->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE);
	return (int)n->start_mark.column + 1 + quoted + (int)off;
}

static int verr_at(struct reg_ld *ld, int line, int col, const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));

static int verr_at(struct reg_ld *ld, int line, int col, const char *fmt, va_list ap)
{
	char msg[ED_DIAG_MSG_MAX];

	vsnprintf(msg, sizeof msg, fmt, ap);
	return ed_diag_set(ld->d, ED_EXIT_INPUT, ld->file, line, col, "%s", msg);
}

int reg_err(struct reg_ld *ld, const yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = verr_at(ld, n ? (int)n->start_mark.line + 1 : 0, n ? (int)n->start_mark.column + 1 : 0,
		     fmt, ap);
	va_end(ap);
	return rc;
}

static int err_off(struct reg_ld *ld, const yaml_node_t *n, size_t off, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int err_off(struct reg_ld *ld, const yaml_node_t *n, size_t off, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = verr_at(ld, (int)n->start_mark.line + 1, scalar_col(n, off), fmt, ap);
	va_end(ap);
	return rc;
}

static int oom(struct reg_ld *ld)
{
	return ed_diag_set(ld->d, ED_EXIT_ENV, NULL, 0, 0, "out of memory");
}

struct reg_loc reg_loc_of(struct reg_ld *ld, const yaml_node_t *n)
{
	struct reg_loc loc = { ld->file, (int)n->start_mark.line + 1, (int)n->start_mark.column + 1 };
	return loc;
}

static const char *sval(const yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

static bool is_plain(const yaml_node_t *n)
{
	return n->type == YAML_SCALAR_NODE && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

bool reg_is_null(const yaml_node_t *n)
{
	const char *v;

	if (!is_plain(n))
		return false;
	v = sval(n);
	return !*v || !strcmp(v, "~") || !strcmp(v, "null") || !strcmp(v, "Null") ||
	       !strcmp(v, "NULL");
}

static const char *node_kind(const yaml_node_t *n)
{
	if (n->type == YAML_MAPPING_NODE)
		return "a mapping";
	if (n->type == YAML_SEQUENCE_NODE)
		return "a list";
	if (reg_is_null(n))
		return "null";
	return "a scalar";
}

/* Duplicate keys: libyaml keeps them, so every mapping is checked here. */
static int check_dups(struct reg_ld *ld, yaml_node_t *map)
{
	yaml_node_pair_t *start = map->data.mapping.pairs.start, *top = map->data.mapping.pairs.top;

	for (yaml_node_pair_t *p = start; p < top; p++) {
		yaml_node_t *k = reg_node(ld, p->key);
		if (!k || k->type != YAML_SCALAR_NODE)
			return reg_err(ld, k, "expected a string key, found %s", k ? node_kind(k) : "nothing");
		for (yaml_node_pair_t *q = start; q < p; q++) {
			yaml_node_t *prev = reg_node(ld, q->key);
			if (strcmp(sval(prev), sval(k)) == 0)
				return reg_err(ld, k, "duplicate key '%s' (first at %d:%d)", sval(k),
					       (int)prev->start_mark.line + 1,
					       (int)prev->start_mark.column + 1);
		}
	}
	return 0;
}

int reg_keys(struct reg_ld *ld, yaml_node_t *n, const char *what, const char *const *allowed,
	     yaml_node_t **vals, yaml_node_t **keys)
{
	size_t nallowed = 0;
	int rc;

	while (allowed[nallowed])
		nallowed++;
	for (size_t i = 0; i < nallowed; i++) {
		vals[i] = NULL;
		if (keys)
			keys[i] = NULL;
	}
	if (n->type != YAML_MAPPING_NODE)
		return reg_err(ld, n, "expected a mapping for %s, found %s", what, node_kind(n));
	rc = check_dups(ld, n);
	if (rc)
		return rc;
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = reg_node(ld, p->key);
		size_t i;
		for (i = 0; i < nallowed; i++)
			if (strcmp(allowed[i], sval(k)) == 0)
				break;
		if (i == nallowed) {
			const char *near = util_nearest(sval(k), allowed, nallowed);
			if (near)
				return reg_err(ld, k, "unknown key '%s' in %s; did you mean '%s'?",
					       sval(k), what, near);
			char list[512];
			size_t used = 0;
			list[0] = '\0';
			for (size_t j = 0; j < nallowed && used < sizeof list; j++) {
				int w = snprintf(list + used, sizeof list - used, "%s%s", j ? ", " : "",
						 allowed[j]);
				if (w < 0)
					break;
				used += (size_t)w;
			}
			return reg_err(ld, k, "unknown key '%s' in %s (allowed: %s)", sval(k), what,
				       list);
		}
		vals[i] = reg_node(ld, p->value);
		if (keys)
			keys[i] = k;
	}
	return 0;
}

int reg_string(struct reg_ld *ld, yaml_node_t *n, bool nullable, char **out)
{
	*out = NULL;
	if (nullable && reg_is_null(n))
		return 0;
	if (n->type != YAML_SCALAR_NODE || reg_is_null(n))
		return reg_err(ld, n, "expected a string%s, found %s", nullable ? " or null" : "",
			       node_kind(n));
	*out = ra_strndup(&ld->reg->arena, sval(n), n->data.scalar.length);
	return *out ? 0 : oom(ld);
}

int reg_strlist(struct reg_ld *ld, yaml_node_t *n, char ***out, size_t *count,
		struct reg_loc **locs)
{
	size_t len;

	*out = NULL;
	*count = 0;
	if (locs)
		*locs = NULL;
	if (n->type != YAML_SEQUENCE_NODE)
		return reg_err(ld, n, "expected a list of strings, found %s", node_kind(n));
	len = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	*out = ra_alloc(&ld->reg->arena, (len + 1) * sizeof **out);
	if (locs)
		*locs = ra_alloc(&ld->reg->arena, (len + 1) * sizeof **locs);
	if (!*out || (locs && !*locs))
		return oom(ld);
	for (size_t i = 0; i < len; i++) {
		yaml_node_t *item = reg_node(ld, n->data.sequence.items.start[i]);
		int rc;
		if (item->type != YAML_SCALAR_NODE || reg_is_null(item))
			return reg_err(ld, item, "expected a list of strings, found %s in it",
				       node_kind(item));
		rc = reg_string(ld, item, false, &(*out)[i]);
		if (rc)
			return rc;
		if (locs)
			(*locs)[i] = reg_loc_of(ld, item);
		(*count)++;
	}
	return 0;
}

int reg_str_or_list(struct reg_ld *ld, yaml_node_t *n, char ***out, size_t *count,
		    struct reg_loc **locs)
{
	if (n->type == YAML_SCALAR_NODE && !reg_is_null(n)) {
		*out = ra_alloc(&ld->reg->arena, 2 * sizeof **out);
		if (locs)
			*locs = ra_alloc(&ld->reg->arena, sizeof **locs);
		if (!*out || (locs && !*locs))
			return oom(ld);
		*count = 1;
		if (locs)
			(*locs)[0] = reg_loc_of(ld, n);
		return reg_string(ld, n, false, &(*out)[0]);
	}
	if (n->type != YAML_SEQUENCE_NODE)
		return reg_err(ld, n, "expected a string or a list of strings, found %s",
			       node_kind(n));
	return reg_strlist(ld, n, out, count, locs);
}

int reg_bool(struct reg_ld *ld, yaml_node_t *n, bool *out)
{
	const char *v = n->type == YAML_SCALAR_NODE ? sval(n) : "";

	if (is_plain(n) && (!strcmp(v, "true") || !strcmp(v, "True") || !strcmp(v, "TRUE"))) {
		*out = true;
		return 0;
	}
	if (is_plain(n) && (!strcmp(v, "false") || !strcmp(v, "False") || !strcmp(v, "FALSE"))) {
		*out = false;
		return 0;
	}
	return reg_err(ld, n, "expected true or false, found %s", n->type == YAML_SCALAR_NODE ? v : node_kind(n));
}

/* Package names per ecosystem (extdeps-mappings(5)): Debian's policy, or
 * the broader set conda, Fedora, Homebrew (openssl@3) and nixpkgs
 * attribute paths (python3Packages.numpy) need. */
static bool name_char_ok(char c, bool first, bool debian)
{
	bool lower = c >= 'a' && c <= 'z', digit = c >= '0' && c <= '9';
	bool upper = c >= 'A' && c <= 'Z';

	if (debian)
		return lower || digit || (!first && (c == '+' || c == '.' || c == '-'));
	return lower || upper || digit || c == '_' ||
	       (!first && (c == '.' || c == '+' || c == '@' || c == '-'));
}

int reg_speclist(struct reg_ld *ld, yaml_node_t *n, const char *eco, bool debian_names,
		 struct reg_spec_list *out)
{
	char **items;
	size_t count;
	int rc;

	memset(out, 0, sizeof *out);
	rc = reg_strlist(ld, n, &items, &count, NULL);
	if (rc)
		return rc;
	out->items = ra_alloc(&ld->reg->arena, (count + 1) * sizeof *out->items);
	if (!out->items)
		return oom(ld);
	for (size_t i = 0; i < count; i++) {
		yaml_node_t *item = reg_node(ld, n->data.sequence.items.start[i]);
		struct reg_spec *spec = &out->items[i];
		const char *text = items[i], *p = text;
		size_t nalts = 1;
		for (const char *q = text; *q; q++)
			nalts += *q == '|';
		spec->alts = ra_alloc(&ld->reg->arena, (nalts + 1) * sizeof *spec->alts);
		if (!spec->alts)
			return oom(ld);
		for (;;) {
			const char *end = p + strcspn(p, "|"), *s = p, *e = end;
			while (s < e && *s == ' ')
				s++;
			while (e > s && e[-1] == ' ')
				e--;
			if (s == e)
				return err_off(ld, item, (size_t)(s - text),
					       "empty package name in '%s'", text);
			/* outside Debian, an absolute path names the package that
			 * holds the file (rpm's file dependencies) */
			bool path = !debian_names && *s == '/';
			for (const char *c = s; c < e; c++)
				if (!(path && *c == '/') && !name_char_ok(*c, c == s && !path, debian_names))
					return err_off(ld, item, (size_t)(c - text),
						       "'%.*s': '%c' is not allowed in a package name of %s (allowed: %s)",
						       (int)(e - s), s, *c, eco,
						       debian_names ? "[a-z0-9][a-z0-9+.-]*"
								    : "[A-Za-z0-9_][A-Za-z0-9_.+@-]* or a path");
			spec->alts[spec->nalts] = ra_strndup(&ld->reg->arena, s, (size_t)(e - s));
			if (!spec->alts[spec->nalts])
				return oom(ld);
			spec->nalts++;
			if (!*end)
				break;
			p = end + 1;
		}
		out->count++;
	}
	return 0;
}

int reg_depurl_id(struct reg_ld *ld, yaml_node_t *n, bool allow_version, char **id,
		  char **version)
{
	struct ed_parse_err perr;
	struct depurl *u;
	const char *text;
	size_t idlen;
	int rc = 0;

	*id = NULL;
	if (version)
		*version = NULL;
	if (n->type != YAML_SCALAR_NODE || reg_is_null(n))
		return reg_err(ld, n, "expected a DepURL, found %s", node_kind(n));
	text = sval(n);
	memset(&perr, 0, sizeof perr);
	u = depurl_parse(text, n->data.scalar.length, &perr);
	if (!u)
		return err_off(ld, n, perr.offset, "invalid DepURL '%s': %s", text, perr.msg);
	if (u->nqualifiers || u->subpath || (!allow_version && u->version)) {
		rc = reg_err(ld, n, "'%s': expected a DepURL without %s", text,
			     allow_version ? "qualifiers or subpath" : "version, qualifiers or subpath");
		goto out;
	}
	idlen = strcspn(text, "@");
	if (strlen(u->id) != idlen || strncmp(u->id, text, idlen) != 0) {
		rc = reg_err(ld, n, "write '%.*s' in canonical form: '%s'", (int)idlen, text, u->id);
		goto out;
	}
	*id = ra_strdup(&ld->reg->arena, u->id);
	if (version && u->version) {
		char *norm = u->spec ? pep440_spec_str(u->spec) : NULL;
		*version = ra_strdup(&ld->reg->arena, norm ? norm : u->version);
		free(norm);
		if (!*version)
			rc = oom(ld);
	}
	if (!*id)
		rc = oom(ld);
out:
	depurl_free(u);
	return rc;
}

/* --- registry.yaml --- */

static int need_schema(struct reg_ld *ld, yaml_node_t *root, yaml_node_t *schema, yaml_node_t *key)
{
	if (!schema)
		return reg_err(ld, root, "missing key 'schema'");
	if (!is_plain(schema) || strcmp(sval(schema), "1") != 0)
		return reg_err(ld, schema, "unsupported schema '%s': expected 1",
			       schema->type == YAML_SCALAR_NODE ? sval(schema) : node_kind(schema));
	(void)key;
	return 0;
}

static bool bare_name_ok(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!name_char_ok(*s, false, false))
			return false;
	return true;
}

enum { D_DESCRIPTION, D_PROVIDES, D_ALIASES, D_PROBES, D_VERSIONING };
static const char *const def_keys[] = { "description", "provides", "aliases", "probes",
					"versioning", NULL };
enum { P_PKGCONFIG, P_EXECUTABLES, P_ENV, P_FILES };
static const char *const probe_keys[] = { "pkgconfig", "executables", "env", "files", NULL };

static int load_def(struct reg_ld *ld, yaml_node_t *key, yaml_node_t *val)
{
	yaml_node_t *v[6], *pv[5];
	struct reg_def *def;
	char *id;
	int rc;

	rc = reg_depurl_id(ld, key, false, &id, NULL);
	if (rc)
		return rc;
	rc = reg_keys(ld, val, "a dependency", def_keys, v, NULL);
	if (rc)
		return rc;
	def = reg_put_def(ld->reg, id);
	if (!def)
		return oom(ld);
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

enum { R_SCHEMA, R_DEPENDENCIES, R_ALIASES };
static const char *const registry_keys[] = { "schema", "dependencies", "aliases", NULL };

static int load_registry_yaml(struct reg_ld *ld, yaml_node_t *root)
{
	yaml_node_t *v[4];
	int rc = reg_keys(ld, root, "registry.yaml", registry_keys, v, NULL);

	if (rc || (rc = need_schema(ld, root, v[R_SCHEMA], NULL)))
		return rc;
	if (!v[R_DEPENDENCIES])
		return reg_err(ld, root, "missing key 'dependencies'");
	if (v[R_DEPENDENCIES]->type != YAML_MAPPING_NODE && !reg_is_null(v[R_DEPENDENCIES]))
		return reg_err(ld, v[R_DEPENDENCIES], "expected a mapping of DepURLs, found %s",
			       node_kind(v[R_DEPENDENCIES]));
	if (v[R_DEPENDENCIES]->type == YAML_MAPPING_NODE) {
		yaml_node_t *deps = v[R_DEPENDENCIES];
		if ((rc = check_dups(ld, deps)))
			return rc;
		for (yaml_node_pair_t *p = deps->data.mapping.pairs.start;
		     p < deps->data.mapping.pairs.top; p++)
			if ((rc = load_def(ld, reg_node(ld, p->key), reg_node(ld, p->value))))
				return rc;
	}
	if (v[R_ALIASES] && !reg_is_null(v[R_ALIASES])) {
		yaml_node_t *al = v[R_ALIASES];
		if (al->type != YAML_MAPPING_NODE)
			return reg_err(ld, al, "expected a mapping of names to DepURLs, found %s",
				       node_kind(al));
		if ((rc = check_dups(ld, al)))
			return rc;
		for (yaml_node_pair_t *p = al->data.mapping.pairs.start; p < al->data.mapping.pairs.top;
		     p++) {
			yaml_node_t *k = reg_node(ld, p->key), *val = reg_node(ld, p->value);
			struct reg_alias *a;
			if (!bare_name_ok(sval(k)))
				return reg_err(ld, k, "invalid alias name '%s': expected [A-Za-z0-9_.+@-]",
					       sval(k));
			a = reg_put_alias(ld->reg, sval(k));
			if (!a)
				return oom(ld);
			a->loc = reg_loc_of(ld, val);
			if ((rc = reg_depurl_id(ld, val, true, &a->id, &a->version)))
				return rc;
		}
	}
	return 0;
}

/* --- ECOSYSTEM.yaml --- */

enum { E_SPECS, E_VERSION, E_UNAVAILABLE, E_RELEASES };
static const char *const entry_keys[] = { "specs", "version", "unavailable", "releases", NULL };
static const char *const override_keys[] = { "specs", "version", "unavailable", NULL };
static const char *const stage_keys[] = { "build", "host", "run", NULL };

static bool entry_is_empty_override(const struct reg_entry *e)
{
	return !e->has_specs && !e->unavailable && e->version == REG_VERSION_UNSET;
}

/* Parse a mapping body into M (with its releases) or, when M is NULL, a
 * release override into ENTRY. */
int reg_parse_entry(struct reg_ld *ld, yaml_node_t *key, yaml_node_t *val, const char *eco,
		    bool debian_names, struct reg_mapping *m, struct reg_entry *entry)
{
	yaml_node_t *v[5], *k[5];
	int rc;

	if (m)
		entry = &m->base;
	rc = reg_keys(ld, val, m ? "a mapping" : "a release override", m ? entry_keys : override_keys,
		      v, k);
	if (rc)
		return rc;
	if (v[E_SPECS]) {
		yaml_node_t *s = v[E_SPECS];
		entry->has_specs = true;
		if (s->type == YAML_MAPPING_NODE) {
			yaml_node_t *sv[4];
			if ((rc = reg_keys(ld, s, "specs", stage_keys, sv, NULL)))
				return rc;
			if (!sv[0] && !sv[1] && !sv[2])
				return reg_err(ld, s, "expected at least one of build, host, run");
			for (int st = 0; st < ED_STAGE_COUNT; st++) {
				if (!sv[st])
					continue;
				entry->has_stage[st] = true;
				if ((rc = reg_speclist(ld, sv[st], eco, debian_names, &entry->stages[st])))
					return rc;
			}
		} else {
			if ((rc = reg_speclist(ld, s, eco, debian_names, &entry->stages[0])))
				return rc;
			for (int st = 0; st < ED_STAGE_COUNT; st++) {
				entry->has_stage[st] = true;
				entry->stages[st] = entry->stages[0];
			}
		}
	}
	if (v[E_VERSION]) {
		yaml_node_t *vn = v[E_VERSION];
		const char *t = vn->type == YAML_SCALAR_NODE ? sval(vn) : "";
		if (!strcmp(t, "upstream"))
			entry->version = REG_VERSION_UPSTREAM;
		else if (!strcmp(t, "none"))
			entry->version = REG_VERSION_NONE;
		else
			return reg_err(ld, vn, "expected 'upstream' or 'none', found '%s'",
				       vn->type == YAML_SCALAR_NODE ? t : node_kind(vn));
	}
	if (v[E_UNAVAILABLE]) {
		if (v[E_SPECS])
			return reg_err(ld, k[E_UNAVAILABLE], "'specs' and 'unavailable' exclude each other");
		if ((rc = reg_string(ld, v[E_UNAVAILABLE], false, &entry->unavailable)))
			return rc;
	}
	if (m && v[E_RELEASES]) {
		yaml_node_t *rn = v[E_RELEASES];
		size_t n;
		if (rn->type != YAML_MAPPING_NODE)
			return reg_err(ld, rn, "expected a mapping of releases, found %s", node_kind(rn));
		if ((rc = check_dups(ld, rn)))
			return rc;
		n = (size_t)(rn->data.mapping.pairs.top - rn->data.mapping.pairs.start);
		m->releases = ra_alloc(&ld->reg->arena, (n + 1) * sizeof *m->releases);
		if (!m->releases)
			return oom(ld);
		for (size_t i = 0; i < n; i++) {
			yaml_node_pair_t *p = &rn->data.mapping.pairs.start[i];
			yaml_node_t *rk = reg_node(ld, p->key), *rv = reg_node(ld, p->value);
			struct reg_release_entry *o = &m->releases[m->nreleases];
			if ((rc = reg_string(ld, rk, false, &o->release)))
				return rc;
			o->loc = reg_loc_of(ld, rk);
			if ((rc = reg_parse_entry(ld, rk, rv, eco, debian_names, NULL, &o->entry)))
				return rc;
			if (entry_is_empty_override(&o->entry))
				return reg_err(ld, rv, "expected 'specs', 'version' or 'unavailable'");
			m->nreleases++;
		}
	}
	if (m && !v[E_SPECS] && !v[E_UNAVAILABLE] && !v[E_RELEASES])
		return reg_err(ld, key, "'%s' has neither 'specs' nor 'unavailable'", sval(key));
	return 0;
}

bool reg_debian_names(const char *eco, const char *inherits)
{
	return !strcmp(eco, "debian") || !strcmp(eco, "ubuntu") ||
	       (inherits && (!strcmp(inherits, "debian") || !strcmp(inherits, "ubuntu")));
}

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
	if (v[PM_CONSTRAINT] && ((rc = reg_string(ld, v[PM_CONSTRAINT], true, &pm->constraint)) ||
				 (rc = check_template(ld, v[PM_CONSTRAINT], pm->constraint, true))))
		return rc;
	if (v[PM_INSTALL_CONSTRAINT] &&
	    ((rc = reg_string(ld, v[PM_INSTALL_CONSTRAINT], true, &pm->install_constraint)) ||
	     (rc = check_template(ld, v[PM_INSTALL_CONSTRAINT], pm->install_constraint, true))))
		return rc;
	if (v[PM_PIN] && ((rc = reg_string(ld, v[PM_PIN], true, &pm->pin)) ||
			  (rc = check_template(ld, v[PM_PIN], pm->pin, false))))
		return rc;
	if (v[PM_OPERATORS] && !reg_is_null(v[PM_OPERATORS])) {
		static const char *const ops[] = { "==", "!=", "<", "<=", ">", ">=", NULL };
		static const enum pep440_op opv[] = { PEP440_EQ, PEP440_NE, PEP440_LT,
						      PEP440_LE, PEP440_GT, PEP440_GE };
		yaml_node_t *ov[7];
		if ((rc = reg_keys(ld, v[PM_OPERATORS], "operators", ops, ov, NULL)))
			return rc;
		pm->operators = ra_alloc(&ld->reg->arena, 6 * sizeof *pm->operators);
		if (!pm->operators)
			return oom(ld);
		for (int i = 0; i < 6; i++) {
			if (!ov[i])
				continue;
			pm->operators[pm->noperators].op = opv[i];
			if ((rc = reg_string(ld, ov[i], false, &pm->operators[pm->noperators].text)))
				return rc;
			pm->noperators++;
		}
	}
	return 0;
}

enum { X_SCHEMA, X_ECOSYSTEM, X_NAME, X_INHERITS, X_RELEASES, X_DEFAULT_RELEASE,
       X_PACKAGE_MANAGER, X_PYTHON_DEV, X_MAPPINGS };
static const char *const eco_keys[] = { "schema", "ecosystem", "name", "inherits", "releases",
					"default_release", "package_manager", "python_dev",
					"mappings", NULL };
static const char *const python_dev_keys[] = { "specs", NULL };

static int load_eco_yaml(struct reg_ld *ld, yaml_node_t *root, const char *stem)
{
	yaml_node_t *v[10], *k[10];
	struct reg_ecosystem *eco;
	char *id, *inherits = NULL;
	bool created, debian;
	int rc = reg_keys(ld, root, "an ecosystem file", eco_keys, v, k);

	if (rc || (rc = need_schema(ld, root, v[X_SCHEMA], NULL)))
		return rc;
	if (!v[X_ECOSYSTEM])
		return reg_err(ld, root, "missing key 'ecosystem'");
	if ((rc = reg_string(ld, v[X_ECOSYSTEM], false, &id)))
		return rc;
	if (strcmp(id, stem) != 0)
		return reg_err(ld, v[X_ECOSYSTEM],
			       "ecosystem '%s' does not match the file name: expected '%s'", id, stem);
	if (!v[X_MAPPINGS])
		return reg_err(ld, root, "missing key 'mappings'");
	if (v[X_INHERITS] && (rc = reg_string(ld, v[X_INHERITS], true, &inherits)))
		return rc;
	eco = reg_get_eco(ld->reg, id, &created);
	if (!eco)
		return oom(ld);
	if (created) {
		eco->loc = reg_loc_of(ld, k[X_ECOSYSTEM]);
		if (!v[X_NAME])
			return reg_err(ld, root, "missing key 'name'");
		if (!v[X_PACKAGE_MANAGER] && !inherits)
			return reg_err(ld, root, "missing key 'package_manager'");
	}
	if (v[X_NAME] && (rc = reg_string(ld, v[X_NAME], false, &eco->name)))
		return rc;
	if (v[X_INHERITS]) {
		eco->inherits = inherits;
		eco->inherits_loc = reg_loc_of(ld, v[X_INHERITS]);
	}
	debian = reg_debian_names(id, eco->inherits);
	if (v[X_RELEASES]) {
		yaml_node_t *rn = v[X_RELEASES];
		size_t n;
		if (rn->type != YAML_MAPPING_NODE)
			return reg_err(ld, rn, "expected a mapping of release numbers to code names, found %s",
				       node_kind(rn));
		if ((rc = check_dups(ld, rn)))
			return rc;
		n = (size_t)(rn->data.mapping.pairs.top - rn->data.mapping.pairs.start);
		/* an overlay adds releases or renames them; it never drops the
		 * ones earlier files defined, which their overrides refer to */
		struct reg_release *merged = ra_alloc(&ld->reg->arena,
						      (eco->nreleases + n + 1) * sizeof *merged);
		if (!merged)
			return oom(ld);
		if (eco->nreleases)
			memcpy(merged, eco->releases, eco->nreleases * sizeof *merged);
		eco->releases = merged;
		for (size_t i = 0; i < n; i++) {
			yaml_node_pair_t *p = &rn->data.mapping.pairs.start[i];
			struct reg_release r = { 0 };
			size_t at;
			if ((rc = reg_string(ld, reg_node(ld, p->key), false, &r.number)) ||
			    (rc = reg_string(ld, reg_node(ld, p->value), true, &r.codename)))
				return rc;
			for (at = 0; at < eco->nreleases; at++)
				if (!strcmp(eco->releases[at].number, r.number))
					break;
			eco->releases[at] = r;
			if (at == eco->nreleases)
				eco->nreleases++;
		}
	}
	if (v[X_DEFAULT_RELEASE] &&
	    (rc = reg_string(ld, v[X_DEFAULT_RELEASE], true, &eco->default_release)))
		return rc;
	if (v[X_PACKAGE_MANAGER]) {
		if ((rc = load_pm(ld, v[X_PACKAGE_MANAGER], &eco->pm)))
			return rc;
		eco->has_pm = true;
	}
	if (v[X_PYTHON_DEV]) {
		yaml_node_t *pv[2];
		if ((rc = reg_keys(ld, v[X_PYTHON_DEV], "python_dev", python_dev_keys, pv, NULL)))
			return rc;
		if (!pv[0])
			return reg_err(ld, v[X_PYTHON_DEV], "python_dev has no 'specs'");
		if ((rc = reg_speclist(ld, pv[0], id, debian, &eco->python_dev)))
			return rc;
		eco->has_python_dev = true;
	}
	if (reg_is_null(v[X_MAPPINGS]))
		return 0;
	if (v[X_MAPPINGS]->type != YAML_MAPPING_NODE)
		return reg_err(ld, v[X_MAPPINGS], "expected a mapping of DepURLs, found %s",
			       node_kind(v[X_MAPPINGS]));
	if ((rc = check_dups(ld, v[X_MAPPINGS])))
		return rc;
	for (yaml_node_pair_t *p = v[X_MAPPINGS]->data.mapping.pairs.start;
	     p < v[X_MAPPINGS]->data.mapping.pairs.top; p++) {
		yaml_node_t *key = reg_node(ld, p->key);
		struct reg_mapping *m;
		char *mid;
		if ((rc = reg_depurl_id(ld, key, false, &mid, NULL)))
			return rc;
		/* ECO may have moved: reg_get_eco() is not called again below */
		m = reg_put_mapping(ld->reg, eco, mid, true);
		if (!m)
			return oom(ld);
		m->loc = reg_loc_of(ld, key);
		if ((rc = reg_parse_entry(ld, key, reg_node(ld, p->value), id, debian, m, NULL)))
			return rc;
	}
	return 0;
}

/* --- documents --- */

/* JSON escapes libyaml does not take: surrogate pairs (\ud83d\ude00), which
 * YAML writes as one \U escape. Rewritten in place; the text only shrinks. */
static size_t json_fix_surrogates(char *s, size_t len)
{
	size_t r = 0, w = 0;
	bool in_str = false;

	while (r < len) {
		char c = s[r];
		if (in_str && c == '\\' && r + 12 <= len && s[r + 1] == 'u' && s[r + 6] == '\\' &&
		    s[r + 7] == 'u') {
			char hi[5], lo[5];
			unsigned long h, l;
			memcpy(hi, s + r + 2, 4);
			memcpy(lo, s + r + 8, 4);
			hi[4] = lo[4] = '\0';
			h = strtoul(hi, NULL, 16);
			l = strtoul(lo, NULL, 16);
			if (h >= 0xD800 && h <= 0xDBFF && l >= 0xDC00 && l <= 0xDFFF) {
				unsigned long cp = 0x10000 + ((h - 0xD800) << 10) + (l - 0xDC00);
				char buf[11];
				snprintf(buf, sizeof buf, "\\U%08lX", cp);
				memcpy(s + w, buf, 10);
				w += 10;
				r += 12;
				continue;
			}
		}
		if (in_str && c == '\\' && r + 1 < len) {
			s[w++] = s[r++];
			s[w++] = s[r++];
			continue;
		}
		if (c == '"')
			in_str = !in_str;
		s[w++] = s[r++];
	}
	return w;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);
	return ls >= lx && strcmp(s + ls - lx, suffix) == 0;
}

static int yaml_error(struct reg_ld *ld, yaml_parser_t *parser, const char *text, size_t len)
{
	int line = (int)parser->problem_mark.line + 1, col = (int)parser->problem_mark.column + 1;
	const char *problem = parser->problem ? parser->problem : "cannot parse";

	if (parser->error == YAML_MEMORY_ERROR)
		return ed_diag_set(ld->d, ED_EXIT_ENV, NULL, 0, 0, "out of memory");
	if (parser->error == YAML_READER_ERROR)
		ed_text_linecol(text, len, parser->problem_offset < len ? parser->problem_offset : len,
				&line, &col);
	if (parser->context)
		return ed_diag_set(ld->d, ED_EXIT_INPUT, ld->file, line, col, "%s (%s at %d:%d)",
				   problem, parser->context, (int)parser->context_mark.line + 1,
				   (int)parser->context_mark.column + 1);
	return ed_diag_set(ld->d, ED_EXIT_INPUT, ld->file, line, col, "%s", problem);
}

int registry_load_buffer(struct registry *reg, const char *name, const char *text, size_t len,
			 struct ed_diag *d)
{
	const char *base = base_name(name);
	struct reg_ld ld = { .reg = reg, .d = d };
	yaml_parser_t parser;
	yaml_node_t *root;
	char *copy = NULL, stem[256];
	bool json = ends_with(base, ".json");
	int rc = 0;

	ld.file = ra_strdup(&reg->arena, name);
	if (!ld.file)
		return oom(&ld);
	if (json) {
		copy = malloc(len ? len : 1);
		if (!copy)
			return oom(&ld);
		memcpy(copy, text, len);
		len = json_fix_surrogates(copy, len);
		text = copy;
	}
	if (!yaml_parser_initialize(&parser)) {
		free(copy);
		return oom(&ld);
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &ld.doc)) {
		rc = yaml_error(&ld, &parser, text, len);
		yaml_parser_delete(&parser);
		free(copy);
		return rc;
	}
	root = yaml_document_get_root_node(&ld.doc);
	if (!root) {
		rc = ed_diag_set(d, ED_EXIT_INPUT, ld.file, 1, 1, "empty document");
	} else if (root->type != YAML_MAPPING_NODE) {
		rc = reg_err(&ld, root, "expected a mapping at the top, found %s", node_kind(root));
	} else if (!strcmp(base, "registry.yaml")) {
		rc = load_registry_yaml(&ld, root);
	} else if (!strcmp(base, "registry.json")) {
		rc = reg_load_pep804_registry(&ld);
	} else if (ends_with(base, ".mapping.json") && strlen(base) - 13 < sizeof stem &&
		   strlen(base) > 13) {
		char *plus;
		snprintf(stem, sizeof stem, "%.*s", (int)(strlen(base) - 13), base);
		plus = strchr(stem, '+');
		if (plus)
			*plus++ = '\0';
		rc = reg_load_pep804_mapping(&ld, stem, plus);
	} else if (ends_with(base, ".yaml") && strlen(base) > 5 && strlen(base) - 5 < sizeof stem) {
		snprintf(stem, sizeof stem, "%.*s", (int)(strlen(base) - 5), base);
		rc = load_eco_yaml(&ld, root, stem);
	} else {
		rc = ed_diag_set(d, ED_EXIT_INPUT, ld.file, 0, 0,
				 "not a mapping file name: expected registry.yaml, ECOSYSTEM.yaml, registry.json or ECOSYSTEM.mapping.json");
	}
	yaml_document_delete(&ld.doc);
	yaml_parser_delete(&parser);
	free(copy);
	return rc;
}

int registry_load_file(struct registry *reg, const char *path, struct ed_diag *d)
{
	size_t len;
	char *text = util_read_file(path, &len, d);
	int rc;

	if (!text)
		return d ? d->status : ED_EXIT_INPUT;
	rc = registry_load_buffer(reg, path, text, len, d);
	free(text);
	return rc;
}

static bool is_mapping_file(const char *name)
{
	return name[0] != '.' && (ends_with(name, ".yaml") || !strcmp(name, "registry.json") ||
				  ends_with(name, ".mapping.json"));
}

/* registry.* first (definitions before what refers to them), then by name. */
static int cmp_names(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	bool rx = !strncmp(x, "registry.", 9), ry = !strncmp(y, "registry.", 9);

	if (rx != ry)
		return rx ? -1 : 1;
	return strcmp(x, y);
}

int registry_load_dir(struct registry *reg, const char *dir, struct ed_diag *d)
{
	DIR *dh = opendir(dir);
	struct dirent *ent;
	char **names = NULL;
	size_t n = 0;
	int rc = 0;

	if (!dh)
		return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0, "cannot open mapping directory '%s': %s",
				   dir, strerror(errno));
	while ((ent = readdir(dh)))
		if (is_mapping_file(ent->d_name) && !util_strv_push(&names, &n, ent->d_name)) {
			rc = ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "out of memory");
			goto out;
		}
	qsort(names, n, sizeof *names, cmp_names);
	for (size_t i = 0; i < n && !rc; i++) {
		size_t plen = strlen(dir) + strlen(names[i]) + 2;
		char *path = malloc(plen);
		if (!path) {
			rc = ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "out of memory");
			break;
		}
		snprintf(path, plen, "%s/%s", dir, names[i]);
		rc = registry_load_file(reg, path, d);
		free(path);
	}
out:
	closedir(dh);
	util_strv_free(names, n);
	return rc;
}
