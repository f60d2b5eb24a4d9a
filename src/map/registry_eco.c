/* registry_eco.c - ecosystems: what each takes from the parents it
 * inherits (releases, package manager, Python development specs, the rule
 * for package names) and targets, an ecosystem with one of its releases
 * (--distro). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "extdeps/util/strbuf.h"
#include "registry_int.h"

/* --- inheritance --- */

const struct reg_ecosystem *reg_eco_parent(const struct registry *reg,
					   const struct reg_ecosystem *eco)
{
	return eco->inherits ? registry_find_ecosystem(reg, eco->inherits) : NULL;
}

/* The first of ECO and its parents for which HAS is true, or NULL. */
static const struct reg_ecosystem *first_with(const struct registry *reg,
					      const struct reg_ecosystem *eco,
					      bool (*has)(const struct reg_ecosystem *))
{
	for (int depth = 0; eco && depth < REG_MAX_CHAIN; depth++, eco = reg_eco_parent(reg, eco))
		if (has(eco))
			return eco;
	return NULL;
}

static bool has_releases(const struct reg_ecosystem *e) { return e->nreleases != 0; }
static bool has_pm(const struct reg_ecosystem *e) { return e->has_pm; }
static bool has_python_dev(const struct reg_ecosystem *e) { return e->has_python_dev; }

/* --- releases --- */

const struct reg_ecosystem *reg_release_owner(const struct registry *reg,
					      const struct reg_ecosystem *eco)
{
	return first_with(reg, eco, has_releases);
}

const struct reg_release *reg_find_release(const struct reg_ecosystem *owner, const char *text,
					   bool by_name)
{
	if (!owner)
		return NULL;
	for (size_t i = 0; i < owner->nreleases; i++) {
		if (strcmp(owner->releases[i].number, text) == 0)
			return &owner->releases[i];
		if (by_name && owner->releases[i].codename &&
		    strcasecmp(owner->releases[i].codename, text) == 0)
			return &owner->releases[i];
	}
	return NULL;
}

/* "11 (bullseye), 12 (bookworm)" onto SB. */
static void list_releases(const struct reg_ecosystem *owner, struct strbuf *sb)
{
	for (size_t i = 0; owner && i < owner->nreleases; i++) {
		const struct reg_release *r = &owner->releases[i];
		strbuf_addf(sb, "%s%s", i ? ", " : "", r->number);
		if (r->codename)
			strbuf_addf(sb, " (%s)", r->codename);
	}
}

int reg_unknown_release(const struct reg_ecosystem *owner, const char *rel, const char *eco,
			const struct reg_loc *loc, struct ed_diag *d)
{
	struct strbuf known = STRBUF_INIT;
	int rc;

	list_releases(owner, &known);
	/* files write a release by its number, never its code name */
	if (reg_find_release(owner, rel, true))
		rc = ed_diag_set(d, ED_EXIT_INPUT, loc->file, loc->line, loc->col,
				 "write release '%s' by its number (known: %s)", rel, strbuf_str(&known));
	else
		rc = ed_diag_set(d, ED_EXIT_INPUT, loc ? loc->file : NULL, loc ? loc->line : 0,
				 loc ? loc->col : 0, "unknown release '%s' of %s (known: %s)", rel, eco,
				 strbuf_str(&known));
	strbuf_release(&known);
	return rc;
}

/* --- package names --- */

bool reg_name_char_ok(char c, bool first, enum reg_names rule)
{
	bool lower = c >= 'a' && c <= 'z', digit = c >= '0' && c <= '9';
	bool upper = c >= 'A' && c <= 'Z';

	if (rule == REG_NAMES_DEBIAN)
		return lower || digit || (!first && (c == '+' || c == '.' || c == '-'));
	if (rule == REG_NAMES_APK)
		return lower || digit || (!first && (c == '_' || c == '+' || c == '.' || c == '-'));
	/* what conda, Fedora, Homebrew (openssl@3) and nixpkgs attribute
	 * paths (python3Packages.numpy) need */
	return lower || upper || digit || c == '_' ||
	       (!first && (c == '.' || c == '+' || c == '@' || c == '-'));
}

/* The length of the provide prefix NAME starts with ("pc:"), or 0. */
static size_t apk_provide_prefix(const char *name, size_t len)
{
	static const char *const prefixes[] = { "so:", "pc:", "cmd:" };

	for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++)
		if (len > strlen(prefixes[i]) && !strncmp(name, prefixes[i], strlen(prefixes[i])))
			return strlen(prefixes[i]);
	return 0;
}

const char *const reg_rule_holders[] = { "{name}", "{namespace}", NULL };
const char *const reg_python_holders[] = { "{python}", "{python_nodot}", NULL };

char *reg_fill(const char *template_, const char *const *holders, const char *const *values)
{
	struct strbuf sb = STRBUF_INIT;

	for (const char *p = template_; *p;) {
		size_t k = 0;

		while (holders[k] && (!values[k] || strncmp(p, holders[k], strlen(holders[k]))))
			k++;
		if (!holders[k]) {
			strbuf_addch(&sb, *p++);
			continue;
		}
		strbuf_addstr(&sb, values[k]);
		p += strlen(holders[k]);
	}
	return strbuf_detach(&sb);
}

size_t reg_template_bad(const char *s, size_t len, enum reg_names rule,
			const char *const *holders)
{
	for (size_t i = 0; i < len;) {
		size_t k = 0, n = 0;
		while (holders[k] &&
		       !((n = strlen(holders[k])) <= len - i && !strncmp(s + i, holders[k], n)))
			k++;
		if (holders[k]) {
			i += n;
			continue;
		}
		if (!reg_name_char_ok(s[i], i == 0, rule))
			return i;
		i++;
	}
	return len;
}

size_t reg_name_bad(const char *name, size_t len, enum reg_names rule)
{
	size_t skip = rule == REG_NAMES_APK ? apk_provide_prefix(name, len) : 0;
	/* outside Debian and Alpine, an absolute path names the package that
	 * holds the file (rpm's file dependencies) */
	bool path = rule == REG_NAMES_DEFAULT && len && name[0] == '/';

	/* a provided name: a library's soname, a pkg-config module, a command */
	if (skip) {
		for (size_t i = skip; i < len; i++)
			if (!reg_name_char_ok(name[i], i == skip, REG_NAMES_DEFAULT) || name[i] == '@')
				return i;
		return len;
	}
	for (size_t i = 0; i < len; i++)
		if (!(path && name[i] == '/') && !reg_name_char_ok(name[i], i == 0 && !path, rule))
			return i;
	return len;
}

const char *reg_names_allowed(enum reg_names rule)
{
	if (rule == REG_NAMES_APK)
		return "[a-z0-9][a-z0-9_.+-]*, or so:, pc: or cmd: then [A-Za-z0-9_][A-Za-z0-9_.+-]*";
	return rule == REG_NAMES_DEBIAN ? "[a-z0-9][a-z0-9+.-]*"
					: "[A-Za-z0-9_][A-Za-z0-9_.+@-]* or a path";
}

enum reg_names reg_eco_names(const struct registry *reg, const struct reg_ecosystem *eco,
			     bool *known)
{
	if (known)
		*known = true;
	for (int depth = 0; eco && depth < REG_MAX_CHAIN; depth++) {
		const struct reg_ecosystem *parent = reg_eco_parent(reg, eco);
		if (eco->names != REG_NAMES_UNSET)
			return eco->names;
		if (!parent && eco->inherits && known)
			*known = false;
		eco = parent;
	}
	return REG_NAMES_DEFAULT;
}

bool reg_names_later(struct registry *reg, const char *id)
{
	for (size_t i = 0; i < reg->nnames_later; i++)
		if (!strcmp(reg->names_later[i], id))
			return true;
	if (!ra_grow(&reg->arena, (void **)&reg->names_later, reg->nnames_later,
		     sizeof *reg->names_later))
		return false;
	reg->names_later[reg->nnames_later++] = id;
	return true;
}

/* --- targets --- */

static int unknown_ecosystem(const struct registry *reg, const char *id, struct ed_diag *d)
{
	const char *near = reg_nearest_key(reg->ecos, reg->necos, sizeof *reg->ecos, id);
	struct strbuf known = STRBUF_INIT;
	int rc;

	for (size_t i = 0; i < reg->necos; i++)
		strbuf_addf(&known, "%s%s", i ? ", " : "", reg->ecos[i].id);
	if (near)
		rc = ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0,
				 "unknown ecosystem '%s'; did you mean '%s'? (known: %s)", id, near,
				 strbuf_str(&known));
	else
		rc = ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0, "unknown ecosystem '%s' (known: %s)", id,
				 strbuf_str(&known));
	strbuf_release(&known);
	return rc;
}

int registry_parse_target(const struct registry *reg, const char *text, struct reg_target *out,
			  struct ed_diag *d)
{
	size_t idlen = strcspn(text, ":+");
	char id[128];
	const struct reg_ecosystem *eco, *owner;
	const char *rel = text[idlen] ? text + idlen + 1 : NULL;

	memset(out, 0, sizeof *out);
	if (idlen == 0 || idlen >= sizeof id || (rel && !*rel))
		return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0,
				   "invalid target '%s': expected ID[:RELEASE]", text);
	memcpy(id, text, idlen);
	id[idlen] = '\0';
	eco = registry_find_ecosystem(reg, id);
	if (!eco)
		return unknown_ecosystem(reg, id, d);
	out->eco = eco;
	owner = reg_release_owner(reg, eco);
	if (rel) {
		const struct reg_release *r = reg_find_release(owner, rel, true);
		if (!owner)
			return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0,
					   "'%s' has no releases: write --distro=%s", id, id);
		if (!r)
			return reg_unknown_release(owner, rel, id, NULL, d);
		out->release = r->number;
		out->release_given = true;
		return 0;
	}
	for (const struct reg_ecosystem *e = eco; e && !out->release;
	     e = e == owner ? NULL : reg_eco_parent(reg, e)) {
		if (e->default_release) {
			const struct reg_release *r = reg_find_release(owner, e->default_release, false);
			out->release = r ? r->number : NULL;
		}
	}
	return 0;
}

const struct reg_release *registry_releases(const struct registry *reg,
					    const struct reg_ecosystem *eco, size_t *n)
{
	const struct reg_ecosystem *owner = reg_release_owner(reg, eco);

	*n = owner ? owner->nreleases : 0;
	return owner ? owner->releases : NULL;
}

static bool has_python(const struct reg_ecosystem *e) { return e->python != NULL; }

const char *registry_python(const struct registry *reg, const struct reg_target *target)
{
	const struct reg_ecosystem *e;
	const struct reg_release *r;

	if (target->release &&
	    (r = reg_find_release(reg_release_owner(reg, target->eco), target->release, false)) &&
	    r->python)
		return r->python;
	e = first_with(reg, target->eco, has_python);
	return e ? e->python : NULL;
}

const struct reg_pm *registry_package_manager(const struct registry *reg,
					      const struct reg_target *target)
{
	const struct reg_ecosystem *e = first_with(reg, target->eco, has_pm);

	return e ? &e->pm : NULL;
}

bool registry_python_dev(const struct registry *reg, const struct reg_target *target,
			 const char *python, struct reg_spec_list *out)
{
	const struct reg_ecosystem *e = first_with(reg, target->eco, has_python_dev);
	const char *own = registry_python(reg, target);
	const struct reg_spec_list *l;
	char nodot[32];
	size_t n = 0;
	const char *values[2];

	memset(out, 0, sizeof *out);
	if (!e || !e->python_dev.count)
		return true;
	if (!python)
		python = own ? own : "3";
	for (const char *q = python; *q && n + 1 < sizeof nodot; q++)
		if (*q != '.')
			nodot[n++] = *q;
	nodot[n] = '\0';
	values[0] = python;
	values[1] = nodot;
	l = own && strcmp(python, own) && e->python_dev_other.count ? &e->python_dev_other
								     : &e->python_dev;
	if (!(out->items = calloc(l->count, sizeof *out->items)))
		return false;
	for (; out->count < l->count; out->count++) {
		const struct reg_spec *from = &l->items[out->count];
		struct reg_spec *to = &out->items[out->count];

		if (!(to->alts = calloc(from->nalts, sizeof *to->alts)))
			goto oom;
		for (; to->nalts < from->nalts; to->nalts++)
			if (!(to->alts[to->nalts] = reg_fill(from->alts[to->nalts], reg_python_holders,
							     values))) {
				out->count++;
				goto oom;
			}
	}
	return true;
oom:
	reg_spec_list_fini(out);
	return false;
}

void reg_spec_list_fini(struct reg_spec_list *l)
{
	for (size_t i = 0; l->items && i < l->count; i++) {
		for (size_t a = 0; a < l->items[i].nalts; a++)
			free(l->items[i].alts[a]);
		free(l->items[i].alts);
	}
	free(l->items);
	memset(l, 0, sizeof *l);
}

const struct reg_repository *registry_find_repository(const struct registry *reg,
						      const struct reg_target *target,
						      const char *id)
{
	const struct reg_ecosystem *e = target->eco;

	for (int depth = 0; e && depth < REG_MAX_CHAIN; depth++, e = reg_eco_parent(reg, e)) {
		const struct reg_repository *r = reg_find_sorted_repository(e, id);
		if (r)
			return r;
	}
	return NULL;
}

const struct reg_rule *registry_find_rule(const struct registry *reg,
					  const struct reg_target *target, const char *type)
{
	const struct reg_ecosystem *e = target->eco;

	for (int depth = 0; e && depth < REG_MAX_CHAIN; depth++, e = reg_eco_parent(reg, e)) {
		const struct reg_rule *r = reg_find_sorted_rule(e, type);
		if (r)
			return r;
	}
	return NULL;
}

const char *registry_ruled_type(const struct registry *reg, const char *type)
{
	for (size_t i = 0; i < reg->necos; i++) {
		const struct reg_rule *r = reg_find_sorted_rule(&reg->ecos[i], type);
		if (r)
			return r->type;
	}
	/* a command about one target loads that ecosystem alone: what the
	 * others cover is still known, not unknown */
	return reg_embedded_ruled_type(type);
}

const char *reg_pep804_owner(const struct registry *reg, const char *pep804)
{
	const char *embedded;

	for (size_t i = 0; i < reg->necos; i++)
		if (reg->ecos[i].pep804_id && !strcmp(reg->ecos[i].pep804_id, pep804))
			return reg->ecos[i].id;
	/* a compiled-in ecosystem not loaded (the command is about another
	 * target); one loaded has said above what its id is now */
	embedded = reg_embedded_pep804_owner(pep804);
	if (embedded && !registry_find_ecosystem(reg, embedded))
		return embedded;
	return pep804;
}

char *registry_expand(const char *template_, const struct reg_target *target)
{
	static const char *const holders[] = { "{release}", "{release_digits}", NULL };
	char digits[64] = "";
	const char *values[] = { target->release, target->release ? digits : NULL };

	for (const char *r = target->release; r && *r && strlen(digits) + 1 < sizeof digits; r++)
		if (*r >= '0' && *r <= '9')
			strncat(digits, r, 1);
	return reg_fill(template_, holders, values);
}
