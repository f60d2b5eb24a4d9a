/* snapshot.c - build-time generator: loads the mapping files given on the
 * command line with the registry's own loader, checks them, and writes a C
 * file holding the registry as constant data without pointers
 * (reg_snap_strings, reg_snap_words: the grammar is in src/map/registry_int.h),
 * which registry_load_embedded() reads without parsing.
 *
 *   snapshot OUTPUT.c FILE...
 *
 * Files are loaded as "mappings/BASENAME" (the name messages give for the
 * compiled-in set), registry.yaml first, then by base name, so the output
 * does not depend on the order meson passes them in. An error in a file
 * fails the build with FILE:LINE:COL. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extdeps/util/util.h"
#include "src/map/registry_int.h"

static void out_of_memory(void)
{
	fputs("snapshot: out of memory\n", stderr);
	exit(1);
}

/* The set this tool writes is the compiled-in one: none is there yet to
 * look into (registry_ruled_type() and reg_pep804_owner() ask). */
const char *reg_embedded_ruled_type(const char *type)
{
	(void)type;
	return NULL;
}

const char *reg_embedded_pep804_owner(const char *pep804)
{
	(void)pep804;
	return NULL;
}

/* --- the string table: each string once --- */

static char *strings;
static size_t slen, scap;
static uint32_t *shash; /* offset + 1 of the string in each slot, 0 when free */
static size_t hcap, hcount;

static size_t hash_str(const char *s)
{
	size_t h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

static size_t hash_slot(const char *s)
{
	for (size_t i = hash_str(s) & (hcap - 1);; i = (i + 1) & (hcap - 1))
		if (!shash[i] || !strcmp(strings + shash[i] - 1, s))
			return i;
}

static uint32_t intern(const char *s)
{
	size_t n = strlen(s) + 1, at;

	if ((hcount + 1) * 2 > hcap) {
		uint32_t *old = shash;
		size_t ocap = hcap;
		hcap = hcap ? hcap * 2 : 4096;
		shash = calloc(hcap, sizeof *shash);
		if (!shash)
			out_of_memory();
		for (size_t i = 0; i < ocap; i++)
			if (old[i])
				shash[hash_slot(strings + old[i] - 1)] = old[i];
		free(old);
	}
	at = hash_slot(s);
	if (shash[at])
		return shash[at];
	if (!ALLOC_GROW(strings, slen + n, scap))
		out_of_memory();
	memcpy(strings + slen, s, n);
	shash[at] = (uint32_t)slen + 1;
	slen += n;
	hcount++;
	return shash[at];
}

/* --- the words --- */

static uint32_t *words;
static size_t nwords, wcap;

static void word(size_t v)
{
	if (v > UINT32_MAX) {
		fputs("snapshot: a count does not fit 32 bits\n", stderr);
		exit(1);
	}
	if (!ALLOC_GROW(words, nwords + 1, wcap))
		out_of_memory();
	words[nwords++] = (uint32_t)v;
}

static void str(const char *s)
{
	word(s ? intern(s) : 0);
}

static void strs(char *const *v, size_t n)
{
	word(n);
	for (size_t i = 0; i < n; i++)
		str(v[i]);
}

static void loc(const struct reg_loc *l)
{
	str(l->file);
	word((size_t)l->line);
	word((size_t)l->col);
}

static void locs(const struct reg_loc *v, size_t n)
{
	word(n && v);
	for (size_t i = 0; n && v && i < n; i++)
		loc(&v[i]);
}

static void specs(const struct reg_spec_list *l)
{
	word(l->count);
	for (size_t i = 0; i < l->count; i++) {
		const struct reg_spec *sp = &l->items[i];
		strs(sp->alts, sp->nalts);
		word(sp->fixed != NULL);
		for (size_t a = 0; sp->fixed && a < sp->nalts; a++)
			str(sp->fixed[a]);
	}
}

static void entry(const struct reg_entry *e)
{
	word(e->has_specs);
	for (int s = 0; s < ED_STAGE_COUNT; s++)
		word(e->has_stage[s]);
	for (int s = 0; s < ED_STAGE_COUNT; s++) {
		int same = 0;
		/* a plain `specs` list serves every stage: keep it one list */
		while (same < s && !(e->stages[same].items == e->stages[s].items &&
				     e->stages[same].count == e->stages[s].count))
			same++;
		if (same < s) {
			word((size_t)same);
			continue;
		}
		word(3);
		specs(&e->stages[s]);
	}
	word((size_t)e->version);
	str(e->unavailable);
	str(e->repository);
	loc(&e->repository_loc);
}

static void branches(const struct reg_version_entry *v, size_t n)
{
	word(n);
	for (size_t i = 0; i < n; i++) {
		str(v[i].range);
		entry(&v[i].entry);
		loc(&v[i].loc);
	}
}

static void mapping(const struct reg_mapping *m)
{
	str(m->id);
	str(m->description);
	str(m->specs_from);
	loc(&m->specs_from_loc);
	entry(&m->base);
	word(m->nreleases);
	for (size_t i = 0; i < m->nreleases; i++) {
		str(m->releases[i].release);
		entry(&m->releases[i].entry);
		branches(m->releases[i].versions, m->releases[i].nversions);
		loc(&m->releases[i].loc);
	}
	branches(m->versions, m->nversions);
	loc(&m->loc);
}

static void eco(const struct reg_ecosystem *e)
{
	const struct reg_pm *pm = &e->pm;

	str(e->id);
	str(e->name);
	str(e->inherits);
	loc(&e->inherits_loc);
	str(e->pep804_id);
	word(e->nreleases);
	for (size_t i = 0; i < e->nreleases; i++) {
		str(e->releases[i].number);
		str(e->releases[i].codename);
		str(e->releases[i].python);
	}
	str(e->default_release);
	str(e->python);
	word((size_t)e->names);
	word(e->has_pm);
	str(pm->name);
	strs(pm->install, pm->ninstall);
	word(pm->needs_root);
	str(pm->constraint);
	str(pm->install_constraint);
	str(pm->pin);
	word(pm->noperators);
	for (size_t i = 0; i < pm->noperators; i++) {
		word((size_t)pm->operators[i].op);
		str(pm->operators[i].text);
	}
	word(e->has_python_dev);
	specs(&e->python_dev);
	specs(&e->python_dev_other);
	strs(e->export_formats, e->nexport_formats);
	word(e->nrepositories);
	for (size_t i = 0; i < e->nrepositories; i++) {
		const struct reg_repository *r = &e->repositories[i];
		str(r->id);
		str(r->name);
		str(r->component);
		str(r->url);
		str(r->suite);
		str(r->keyring);
		word(r->nenable);
		for (size_t k = 0; k < r->nenable; k++) {
			size_t n = 0;
			while (r->enable[k][n])
				n++;
			strs(r->enable[k], n);
		}
		loc(&r->loc);
	}
	word(e->nrules);
	for (size_t i = 0; i < e->nrules; i++) {
		const struct reg_rule *r = &e->rules[i];
		str(r->type);
		entry(&r->entry);
		word(r->lower);
		strs(r->replace, r->nreplace);
		loc(&r->loc);
	}
	word(e->nmappings);
	for (size_t i = 0; i < e->nmappings; i++)
		mapping(&e->mappings[i]);
	loc(&e->loc);
}

static void registry(const struct registry *reg)
{
	size_t index;

	word(0); /* ECOS, filled below */
	word(reg->ndefs);
	for (size_t i = 0; i < reg->ndefs; i++) {
		const struct reg_def *d = &reg->defs[i];
		str(d->id);
		str(d->description);
		str(d->versioning);
		strs(d->provides, d->nprovides);
		locs(d->provides_locs, d->nprovides);
		strs(d->aliases, d->naliases);
		locs(d->alias_locs, d->naliases);
		strs(d->pkgconfig, d->npkgconfig);
		strs(d->executables, d->nexecutables);
		strs(d->env, d->nenv);
		strs(d->files, d->nfiles);
		loc(&d->loc);
	}
	word(reg->naliases);
	for (size_t i = 0; i < reg->naliases; i++) {
		str(reg->aliases[i].name);
		str(reg->aliases[i].id);
		str(reg->aliases[i].version);
		loc(&reg->aliases[i].loc);
	}
	words[0] = (uint32_t)nwords;
	word(reg->necos);
	index = nwords;
	for (size_t i = 0; i < reg->necos; i++) {
		str(reg->ecos[i].id);
		str(reg->ecos[i].inherits);
		word(0); /* AT, filled below */
	}
	for (size_t i = 0; i < reg->necos; i++) {
		words[index + 3 * i + 2] = (uint32_t)nwords;
		eco(&reg->ecos[i]);
	}
}

/* --- output --- */

static int write_c(FILE *out)
{
	fputs("/* generated by tools/snapshot.c from mappings/: do not edit */\n"
	      "#include <stdint.h>\n\n"
	      "#include \"src/map/registry_int.h\"\n\n"
	      "const char reg_snap_strings[] =",
	      out);
	for (size_t i = 0; i < slen;) {
		fputs("\n\t\"", out);
		/* one string a line, its NUL written out: the literal adds one more */
		for (; i < slen && strings[i]; i++) {
			unsigned char c = (unsigned char)strings[i];
			if (c == '"' || c == '\\' || c == '?') /* '?': no trigraphs */
				fprintf(out, "\\%c", c);
			else if (c < 0x20 || c >= 0x7f)
				/* octal escapes end after three digits, hex ones do not */
				fprintf(out, "\\%03o", c);
			else
				fputc(c, out);
		}
		i++;
		fputs(i < slen ? "\\000\"" : "\"", out);
	}
	if (!slen)
		fputs(" \"\"", out);
	fputs(";\n\nconst uint32_t reg_snap_words[] = {", out);
	for (size_t i = 0; i < nwords; i++)
		fprintf(out, "%s%u,", i % 16 ? " " : "\n\t", (unsigned)words[i]);
	fputs("\n};\n", out);
	return ferror(out) ? -1 : 0;
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
	if (!reg)
		out_of_memory();
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
	if (!rc) {
		FILE *out = fopen(argv[1], "w");
		registry(reg);
		if (!out || write_c(out) | fclose(out)) {
			fprintf(stderr, "snapshot: cannot write '%s'\n", argv[1]);
			remove(argv[1]);
			rc = 1;
		}
	}
	free(strings);
	free(shash);
	free(words);
	registry_free(reg);
	return rc;
}
