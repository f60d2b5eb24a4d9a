/* snapshot.c - build-time generator: loads the mapping files given on the
 * command line with the registry's own loader, checks them, and writes a C
 * file defining reg_snapshot (src/registry_int.h): the whole struct registry
 * as constant data, which registry_load_embedded() adopts without parsing.
 *
 *   snapshot OUTPUT.c FILE...
 *
 * Files are loaded as "mappings/BASENAME" (the name messages give for the
 * compiled-in set), registry.yaml first, then by base name, so the output
 * does not depend on the order meson passes them in. An error in a file
 * fails the build with FILE:LINE:COL. Arrays shared inside the registry (a
 * plain `specs` list serves every stage) stay shared in the output. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extdeps/util.h"
#include "registry_int.h"

static FILE *out;
static unsigned long nsyms;

/* --- arrays already written: address and kind to symbol number --- */

struct seen {
	const void *p;
	int kind;
	unsigned long sym;
};

static struct seen *table;
static size_t tcap, tcount;

static size_t slot_of(const void *p, int kind)
{
	size_t h = ((uintptr_t)p >> 4) * 2654435761u + (size_t)kind;

	for (size_t i = h & (tcap - 1);; i = (i + 1) & (tcap - 1))
		if (!table[i].p || (table[i].p == p && table[i].kind == kind))
			return i;
}

static void grow_table(void)
{
	struct seen *old = table;
	size_t ocap = tcap;

	tcap = tcap ? tcap * 2 : 4096;
	table = calloc(tcap, sizeof *table);
	if (!table) {
		fputs("snapshot: out of memory\n", stderr);
		exit(1);
	}
	for (size_t i = 0; i < ocap; i++)
		if (old[i].p)
			table[slot_of(old[i].p, old[i].kind)] = old[i];
	free(old);
}

/* The symbol of array P of KIND, or 0 when not written yet. */
static unsigned long seen_sym(const void *p, int kind)
{
	return tcap ? table[slot_of(p, kind)].sym : 0;
}

/* Start writing array P of KIND: its symbol number. */
static unsigned long new_sym(const void *p, int kind)
{
	if ((tcount + 1) * 2 > tcap)
		grow_table();
	table[slot_of(p, kind)] = (struct seen){ p, kind, ++nsyms };
	tcount++;
	return nsyms;
}

enum { K_STRV, K_LOCS, K_SPECS, K_RELEASES, K_OPS, K_OVERRIDES, K_MAPPINGS, K_DEFS,
       K_ALIASES, K_ECOS };

/* --- scalars --- */

static void str(const char *s)
{
	if (!s) {
		fputs("NULL", out);
		return;
	}
	fputs("(char *)\"", out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\' || *p == '?') /* '?': no trigraphs */
			fprintf(out, "\\%c", *p);
		else if (*p < 0x20 || *p >= 0x7f)
			/* octal escapes end after three digits, hex ones do not */
			fprintf(out, "\\%03o", *p);
		else
			fputc(*p, out);
	}
	fputc('"', out);
}

static void loc(const struct reg_loc *l)
{
	fputs("{ ", out);
	str(l->file);
	fprintf(out, ", %d, %d }", l->line, l->col);
}

static void ref(const char *type, const void *p, int kind)
{
	if (!p)
		fputs("NULL", out);
	else
		fprintf(out, "(%s *)a%lu", type, seen_sym(p, kind));
}

/* --- arrays, each written before what points to it; NULL when empty --- */

static const void *strv(char **v, size_t n)
{
	unsigned long sym;

	if (!n || seen_sym(v, K_STRV))
		return n ? v : NULL;
	sym = new_sym(v, K_STRV);
	fprintf(out, "static char *const a%lu[] = {", sym);
	for (size_t i = 0; i < n; i++) {
		fputs(i ? ", " : " ", out);
		str(v[i]);
	}
	fputs(" };\n", out);
	return v;
}

static const void *locs(const struct reg_loc *v, size_t n)
{
	unsigned long sym;

	if (!n || !v || seen_sym(v, K_LOCS))
		return n ? v : NULL;
	sym = new_sym(v, K_LOCS);
	fprintf(out, "static const struct reg_loc a%lu[] = {", sym);
	for (size_t i = 0; i < n; i++) {
		fputs(i ? ", " : " ", out);
		loc(&v[i]);
	}
	fputs(" };\n", out);
	return v;
}

static void strv_field(char **v, size_t n)
{
	ref("char *", strv(v, n), K_STRV);
	fprintf(out, ", %zu", n);
}

static const void *specs(const struct reg_spec_list *l)
{
	unsigned long sym;

	if (!l->count || seen_sym(l->items, K_SPECS))
		return l->count ? l->items : NULL;
	for (size_t i = 0; i < l->count; i++)
		strv(l->items[i].alts, l->items[i].nalts);
	sym = new_sym(l->items, K_SPECS);
	fprintf(out, "static const struct reg_spec a%lu[] = {\n", sym);
	for (size_t i = 0; i < l->count; i++) {
		fputs("\t{ ", out);
		strv_field(l->items[i].alts, l->items[i].nalts);
		fputs(" },\n", out);
	}
	fputs("};\n", out);
	return l->items;
}

static void spec_list(const struct reg_spec_list *l)
{
	fputs("{ ", out);
	ref("struct reg_spec", specs(l), K_SPECS);
	fprintf(out, ", %zu }", l->count);
}

/* The arrays an entry points to, then (in a second call, WRITE) the entry. */
static void entry(const struct reg_entry *e, bool write)
{
	if (!write) {
		for (int s = 0; s < ED_STAGE_COUNT; s++)
			specs(&e->stages[s]);
		return;
	}
	fprintf(out, "{ %d, {", e->has_specs);
	for (int s = 0; s < ED_STAGE_COUNT; s++)
		fprintf(out, "%s%d", s ? ", " : " ", e->has_stage[s]);
	fputs(" }, {", out);
	for (int s = 0; s < ED_STAGE_COUNT; s++) {
		fputs(s ? ", " : " ", out);
		spec_list(&e->stages[s]);
	}
	fprintf(out, " }, %d, ", (int)e->version);
	str(e->unavailable);
	fputs(" }", out);
}

static const void *overrides(const struct reg_release_entry *v, size_t n)
{
	unsigned long sym;

	if (!n)
		return NULL;
	for (size_t i = 0; i < n; i++)
		entry(&v[i].entry, false);
	sym = new_sym(v, K_OVERRIDES);
	fprintf(out, "static const struct reg_release_entry a%lu[] = {\n", sym);
	for (size_t i = 0; i < n; i++) {
		fputs("\t{ ", out);
		str(v[i].release);
		fputs(", ", out);
		entry(&v[i].entry, true);
		fputs(", ", out);
		loc(&v[i].loc);
		fputs(" },\n", out);
	}
	fputs("};\n", out);
	return v;
}

static const void *mappings(const struct reg_mapping *v, size_t n)
{
	unsigned long sym;

	if (!n)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		entry(&v[i].base, false);
		overrides(v[i].releases, v[i].nreleases);
	}
	sym = new_sym(v, K_MAPPINGS);
	fprintf(out, "static const struct reg_mapping a%lu[] = {\n", sym);
	for (size_t i = 0; i < n; i++) {
		const struct reg_mapping *m = &v[i];
		fputs("\t{ ", out);
		str(m->id);
		fputs(", ", out);
		str(m->description);
		fputs(", ", out);
		str(m->specs_from);
		fputs(", ", out);
		loc(&m->specs_from_loc);
		fputs(",\n\t  ", out);
		entry(&m->base, true);
		fputs(",\n\t  ", out);
		ref("struct reg_release_entry", m->nreleases ? m->releases : NULL, K_OVERRIDES);
		fprintf(out, ", %zu, ", m->nreleases);
		loc(&m->loc);
		fputs(" },\n", out);
	}
	fputs("};\n", out);
	return v;
}

static const void *releases(const struct reg_release *v, size_t n)
{
	unsigned long sym;

	if (!n)
		return NULL;
	sym = new_sym(v, K_RELEASES);
	fprintf(out, "static const struct reg_release a%lu[] = {", sym);
	for (size_t i = 0; i < n; i++) {
		fputs(i ? ", { " : " { ", out);
		str(v[i].number);
		fputs(", ", out);
		str(v[i].codename);
		fputs(" }", out);
	}
	fputs(" };\n", out);
	return v;
}

static const void *ops(const struct reg_op *v, size_t n)
{
	unsigned long sym;

	if (!n)
		return NULL;
	sym = new_sym(v, K_OPS);
	fprintf(out, "static const struct reg_op a%lu[] = {", sym);
	for (size_t i = 0; i < n; i++) {
		fprintf(out, "%s{ %d, ", i ? ", " : " ", (int)v[i].op);
		str(v[i].text);
		fputs(" }", out);
	}
	fputs(" };\n", out);
	return v;
}

static void ecos(const struct registry *reg)
{
	unsigned long sym;

	for (size_t i = 0; i < reg->necos; i++) {
		const struct reg_ecosystem *e = &reg->ecos[i];
		mappings(e->mappings, e->nmappings);
		releases(e->releases, e->nreleases);
		ops(e->pm.operators, e->pm.noperators);
		strv(e->pm.install, e->pm.ninstall);
		specs(&e->python_dev);
	}
	if (!reg->necos)
		return;
	sym = new_sym(reg->ecos, K_ECOS);
	fprintf(out, "static const struct reg_ecosystem a%lu[] = {\n", sym);
	for (size_t i = 0; i < reg->necos; i++) {
		const struct reg_ecosystem *e = &reg->ecos[i];
		const struct reg_pm *pm = &e->pm;
		fputs("\t{ ", out);
		str(e->id);
		fputs(", ", out);
		str(e->name);
		fputs(", ", out);
		str(e->inherits);
		fputs(", ", out);
		loc(&e->inherits_loc);
		fputs(",\n\t  ", out);
		ref("struct reg_release", e->nreleases ? e->releases : NULL, K_RELEASES);
		fprintf(out, ", %zu, ", e->nreleases);
		str(e->default_release);
		fprintf(out, ",\n\t  %d, { ", e->has_pm);
		str(pm->name);
		fputs(", ", out);
		strv_field(pm->install, pm->ninstall);
		fprintf(out, ", %d, ", pm->needs_root);
		str(pm->constraint);
		fputs(", ", out);
		str(pm->install_constraint);
		fputs(", ", out);
		str(pm->pin);
		fputs(", ", out);
		ref("struct reg_op", pm->noperators ? pm->operators : NULL, K_OPS);
		fprintf(out, ", %zu },\n\t  %d, ", pm->noperators, e->has_python_dev);
		spec_list(&e->python_dev);
		fputs(",\n\t  ", out);
		ref("struct reg_mapping", e->nmappings ? e->mappings : NULL, K_MAPPINGS);
		fprintf(out, ", %zu, ", e->nmappings);
		loc(&e->loc);
		fputs(" },\n", out);
	}
	fputs("};\n", out);
}

static void defs(const struct registry *reg)
{
	unsigned long sym;

	for (size_t i = 0; i < reg->ndefs; i++) {
		const struct reg_def *d = &reg->defs[i];
		strv(d->provides, d->nprovides);
		locs(d->provides_locs, d->nprovides);
		strv(d->aliases, d->naliases);
		locs(d->alias_locs, d->naliases);
		strv(d->pkgconfig, d->npkgconfig);
		strv(d->executables, d->nexecutables);
		strv(d->env, d->nenv);
		strv(d->files, d->nfiles);
	}
	if (!reg->ndefs)
		return;
	sym = new_sym(reg->defs, K_DEFS);
	fprintf(out, "static const struct reg_def a%lu[] = {\n", sym);
	for (size_t i = 0; i < reg->ndefs; i++) {
		const struct reg_def *d = &reg->defs[i];
		fputs("\t{ ", out);
		str(d->id);
		fputs(", ", out);
		str(d->description);
		fputs(", ", out);
		str(d->versioning);
		fputs(",\n\t  ", out);
		strv_field(d->provides, d->nprovides);
		fputs(", ", out);
		ref("struct reg_loc", d->nprovides ? d->provides_locs : NULL, K_LOCS);
		fputs(", ", out);
		strv_field(d->aliases, d->naliases);
		fputs(", ", out);
		ref("struct reg_loc", d->naliases ? d->alias_locs : NULL, K_LOCS);
		fputs(",\n\t  ", out);
		ref("char *", strv(d->pkgconfig, d->npkgconfig), K_STRV);
		fputs(", ", out);
		ref("char *", strv(d->executables, d->nexecutables), K_STRV);
		fputs(", ", out);
		ref("char *", strv(d->env, d->nenv), K_STRV);
		fputs(", ", out);
		ref("char *", strv(d->files, d->nfiles), K_STRV);
		fprintf(out, ", %zu, %zu, %zu, %zu, ", d->npkgconfig, d->nexecutables, d->nenv,
			d->nfiles);
		loc(&d->loc);
		fputs(" },\n", out);
	}
	fputs("};\n", out);
}

static void aliases(const struct registry *reg)
{
	unsigned long sym;

	if (!reg->naliases)
		return;
	sym = new_sym(reg->aliases, K_ALIASES);
	fprintf(out, "static const struct reg_alias a%lu[] = {\n", sym);
	for (size_t i = 0; i < reg->naliases; i++) {
		const struct reg_alias *a = &reg->aliases[i];
		fputs("\t{ ", out);
		str(a->name);
		fputs(", ", out);
		str(a->id);
		fputs(", ", out);
		str(a->version);
		fputs(", ", out);
		loc(&a->loc);
		fputs(" },\n", out);
	}
	fputs("};\n", out);
}

static void write_registry(const struct registry *reg)
{
	fputs("/* generated by tools/snapshot.c from mappings/: do not edit */\n"
	      "#include <stddef.h>\n\n"
	      "#include \"registry_int.h\"\n\n",
	      out);
	defs(reg);
	aliases(reg);
	ecos(reg);
	fputs("\nconst struct registry reg_snapshot = {\n\t.defs = ", out);
	ref("struct reg_def", reg->ndefs ? reg->defs : NULL, K_DEFS);
	fprintf(out, ",\n\t.ndefs = %zu,\n\t.aliases = ", reg->ndefs);
	ref("struct reg_alias", reg->naliases ? reg->aliases : NULL, K_ALIASES);
	fprintf(out, ",\n\t.naliases = %zu,\n\t.ecos = ", reg->naliases);
	ref("struct reg_ecosystem", reg->necos ? reg->ecos : NULL, K_ECOS);
	fprintf(out, ",\n\t.necos = %zu,\n};\n", reg->necos);
}

/* --- loading --- */

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* registry.yaml first: definitions before what refers to them. */
static int cmp_files(const void *a, const void *b)
{
	const char *x = base_name(*(char *const *)a), *y = base_name(*(char *const *)b);
	bool rx = !strcmp(x, "registry.yaml"), ry = !strcmp(y, "registry.yaml");

	if (rx != ry)
		return rx ? -1 : 1;
	return strcmp(x, y);
}

static int report(const struct ed_diag *d)
{
	if (d->file[0])
		fprintf(stderr, "%s:%d:%d: error: %s\n", d->file, d->line, d->col, d->msg);
	else
		fprintf(stderr, "snapshot: %s\n", d->msg);
	return 1;
}

int main(int argc, char **argv)
{
	struct registry *reg;
	struct ed_diag d;
	char name[300];
	int rc = 0;

	if (argc < 3) {
		fputs("usage: snapshot OUTPUT.c FILE...\n", stderr);
		return 2;
	}
	qsort(argv + 2, (size_t)argc - 2, sizeof *argv, cmp_files);
	reg = registry_new();
	if (!reg) {
		fputs("snapshot: out of memory\n", stderr);
		return 1;
	}
	ed_diag_clear(&d);
	for (int i = 2; i < argc && !rc; i++) {
		size_t len;
		char *text = util_read_file(argv[i], &len, &d);
		if (!text) {
			rc = report(&d);
			break;
		}
		snprintf(name, sizeof name, "mappings/%s", base_name(argv[i]));
		if (registry_load_buffer(reg, name, text, len, &d))
			rc = report(&d);
		free(text);
	}
	if (!rc && registry_check(reg, &d))
		rc = report(&d);
	if (!rc && !(out = fopen(argv[1], "w"))) {
		fprintf(stderr, "snapshot: cannot write '%s'\n", argv[1]);
		rc = 1;
	}
	if (!rc) {
		write_registry(reg);
		bool failed = ferror(out);
		if (fclose(out) || failed) {
			fprintf(stderr, "snapshot: cannot write '%s'\n", argv[1]);
			remove(argv[1]);
			rc = 1;
		}
	}
	free(table);
	registry_free(reg);
	return rc;
}
