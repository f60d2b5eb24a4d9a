#include "extdeps/render/export.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "extdeps/eco/eco.h"
#include "extdeps/map/target.h"
#include "extdeps/render/report.h"
#include "extdeps/util/json.h"
#include "extdeps/util/strbuf.h"
#include "extdeps/util/util.h"

/* Which field each declared stage goes to. Host requirements are what the
 * build links against: Debian and RPM name their -dev/-devel packages among
 * the build dependencies and let the shared-library machinery (shlibs,
 * automatic soname Requires) add the run-time ones; conda-forge does the
 * same with run_exports; nix's buildInputs carry their run-time closure.
 * Arch and Homebrew have no split packages, so a library linked against is
 * a run-time dependency there: depends / depends_on without :build. */
static const struct {
	const char *name;
	const char *field[ED_STAGE_COUNT];
} formats[EXPORT_FORMAT_COUNT] = {
	[EXPORT_DEBIAN_CONTROL] = { "debian-control", { "Build-Depends", "Build-Depends", "Depends" } },
	[EXPORT_RPM_SPEC] = { "rpm-spec", { "BuildRequires", "BuildRequires", "Requires" } },
	[EXPORT_CONDA_RECIPE] = { "conda-recipe", { "build", "host", "run" } },
	[EXPORT_CONDA_META] = { "conda-meta", { "build", "host", "run" } },
	[EXPORT_NIX] = { "nix", { "nativeBuildInputs", "buildInputs", "propagatedBuildInputs" } },
	[EXPORT_HOMEBREW] = { "homebrew", { "depends_on :build", "depends_on", "depends_on" } },
	[EXPORT_ARCH] = { "arch", { "makedepends", "depends", "depends" } },
	/* what the image must hold to build the wheel; run-time libraries end
	 * up in it too, which auditwheel then copies into the wheel */
	[EXPORT_CIBUILDWHEEL] = { "cibuildwheel", { "before-all", "before-all", "before-all" } },
};

/* What a format's build environment always has, so packagers never list it:
 * Debian's build-essential, Arch's base-devel group (by package name), the C
 * and C++ compilers of nix's stdenv and of Homebrew (the system compiler),
 * by DepURL. */
static const struct {
	enum export_format format;
	const char *depurl; /* or NULL */
	const char *name;   /* or NULL */
	const char *why;
} implicit[] = {
	{ EXPORT_DEBIAN_CONTROL, NULL, "gcc", "build-essential" },
	{ EXPORT_DEBIAN_CONTROL, NULL, "g++", "build-essential" },
	{ EXPORT_DEBIAN_CONTROL, NULL, "make", "build-essential" },
	{ EXPORT_DEBIAN_CONTROL, NULL, "libc6-dev", "build-essential" },
	{ EXPORT_DEBIAN_CONTROL, NULL, "dpkg-dev", "build-essential" },
	{ EXPORT_ARCH, NULL, "gcc", "base-devel" },
	{ EXPORT_ARCH, NULL, "make", "base-devel" },
	{ EXPORT_ARCH, NULL, "pkgconf", "base-devel" },
	{ EXPORT_ARCH, NULL, "autoconf", "base-devel" },
	{ EXPORT_ARCH, NULL, "automake", "base-devel" },
	{ EXPORT_ARCH, NULL, "libtool", "base-devel" },
	{ EXPORT_ARCH, NULL, "bison", "base-devel" },
	{ EXPORT_ARCH, NULL, "flex", "base-devel" },
	{ EXPORT_ARCH, NULL, "m4", "base-devel" },
	{ EXPORT_ARCH, NULL, "patch", "base-devel" },
	{ EXPORT_NIX, "dep:virtual/compiler/c", NULL, "stdenv" },
	{ EXPORT_NIX, "dep:virtual/compiler/cxx", NULL, "stdenv" },
	{ EXPORT_HOMEBREW, "dep:virtual/compiler/c", NULL, "the system compiler" },
	{ EXPORT_HOMEBREW, "dep:virtual/compiler/cxx", NULL, "the system compiler" },
	{ EXPORT_CIBUILDWHEEL, "dep:virtual/compiler/c", NULL, "the image's compilers" },
	{ EXPORT_CIBUILDWHEEL, "dep:virtual/compiler/cxx", NULL, "the image's compilers" },
	{ EXPORT_CIBUILDWHEEL, "dep:virtual/compiler/fortran", NULL, "the image's compilers" },
};

/* conda-forge writes compilers as Jinja functions that pick the platform's
 * compiler package; a C-family compiler also needs the C standard library
 * pin, stdlib('c'), which conda-forge's linter requires alongside. */
static const struct {
	const char *depurl;
	const char *lang;
	bool stdlib;
} conda_compilers[] = {
	{ "dep:virtual/compiler/c", "c", true },
	{ "dep:virtual/compiler/cxx", "cxx", true },
	{ "dep:virtual/compiler/fortran", "fortran", true },
	{ "dep:virtual/compiler/cuda", "cuda", true },
	{ "dep:virtual/compiler/rust", "rust", false },
};

const char *export_format_name(enum export_format fmt)
{
	return fmt < EXPORT_FORMAT_COUNT ? formats[fmt].name : "json";
}

int export_format_parse(const char *name)
{
	for (int f = 0; f < EXPORT_FORMAT_COUNT; f++)
		if (!strcmp(formats[f].name, name))
			return f;
	return -1;
}

/* Whether ECO's own mapping files list FMT (export_formats). */
static bool declares(const struct reg_ecosystem *eco, enum export_format fmt)
{
	for (size_t i = 0; i < eco->nexport_formats; i++)
		if (!strcmp(eco->export_formats[i], formats[fmt].name))
			return true;
	return false;
}

const struct reg_ecosystem *export_format_ecosystem(enum export_format fmt,
						    const struct registry *reg, size_t k)
{
	for (size_t i = 0; i < registry_necosystems(reg); i++)
		if (declares(registry_ecosystem_at(reg, i), fmt) && !k--)
			return registry_ecosystem_at(reg, i);
	return NULL;
}

bool export_format_fits(enum export_format fmt, const struct registry *reg,
			const struct reg_ecosystem *eco)
{
	/* bounded: registry_check() refuses inheritance cycles */
	for (size_t n = 0; eco && n < 64; n++) {
		if (declares(eco, fmt))
			return true;
		eco = eco->inherits ? registry_find_ecosystem(reg, eco->inherits) : NULL;
	}
	return false;
}

static bool strv_has(char **v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i], s))
			return true;
	return false;
}

/* Push S unless present. False when out of memory. */
static bool strv_add(char ***v, size_t *n, const char *s)
{
	return strv_has(*v, *n, s) || util_strv_push(v, n, s);
}

static bool note(struct export_doc *doc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static bool note(struct export_doc *doc, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return util_strv_push(&doc->notes, &doc->nnotes, buf);
}

static struct export_field *field_of(struct export_doc *doc, enum ed_stage stage)
{
	const char *name = formats[doc->format].field[stage];

	for (size_t i = 0; i < doc->nfields; i++)
		if (!strcmp(doc->fields[i].name, name))
			return &doc->fields[i];
	return NULL;
}

static const char *implicit_why(enum export_format fmt, const char *depurl, const char *name)
{
	for (size_t i = 0; i < sizeof implicit / sizeof *implicit; i++) {
		if (implicit[i].format != fmt)
			continue;
		if ((implicit[i].depurl && depurl && !strcmp(implicit[i].depurl, depurl)) ||
		    (implicit[i].name && name && !strcmp(implicit[i].name, name)))
			return implicit[i].why;
	}
	return NULL;
}

/* pkgconfig(NAME) for a Fedora -devel package when the registry names the
 * library's one pkg-config module: RPM generates that Provides from the .pc
 * file, and it survives package renames (zlib -> zlib-ng-compat). */
static char *rpm_pkgconfig(const struct mapset *ms, const struct reg_map *m,
			   const struct reg_map_pkg *pkg, const char *op, const char *version)
{
	const struct reg_def *def;
	const struct reg_pm *pm;
	const char *name = pkg->alts[0].name;
	size_t len = strlen(name);
	char mod[256];

	if (m->via || !m->id || pkg->nalts != 1 || len < 7 || strcmp(name + len - 6, "-devel"))
		return NULL;
	/* MPI builds keep their .pc files out of pkg-config's path: no Provides */
	if (!strcmp(name, "mpich-devel") || !strcmp(name, "openmpi-devel"))
		return NULL;
	def = registry_find(ms->reg, m->id);
	if (!def || def->npkgconfig != 1)
		return NULL;
	snprintf(mod, sizeof mod, "pkgconfig(%s)", def->pkgconfig[0]);
	pm = registry_package_manager(ms->reg, &ms->target);
	if (!op || !pm || !pm->constraint)
		return util_strdup(mod);
	return registry_render(pm->constraint, mod, op, version);
}

/* The entries one package spec becomes in DOC's format, appended to V. */
static bool render_pkg(struct export_doc *doc, const struct reg_map *m, const struct reg_map_pkg *pkg,
		       enum ed_stage stage, char ***v, size_t *n)
{
	const struct reg_map_alt *first = &pkg->alts[0];
	struct strbuf b = { 0 };
	char *s;
	bool ok = true;

	switch (doc->format) {
	case EXPORT_DEBIAN_CONTROL:
		/* clauses of one package are separate relations (ANDed); inside
		 * alternatives each alternative keeps its first clause */
		if (pkg->nalts == 1) {
			for (size_t c = 0; c < first->nconstraints && ok; c++)
				ok = util_strv_push(v, n, first->constraints[c]);
			return ok && (first->nconstraints || util_strv_push(v, n, first->name));
		}
		for (size_t a = 0; a < pkg->nalts; a++) {
			const struct reg_map_alt *alt = &pkg->alts[a];
			strbuf_addstr(&b, a ? " | " : "");
			strbuf_addstr(&b, alt->nconstraints ? alt->constraints[0] : alt->name);
		}
		break;
	case EXPORT_RPM_SPEC:
	case EXPORT_ARCH:
	case EXPORT_CIBUILDWHEEL:
		if (doc->format == EXPORT_RPM_SPEC && stage != ED_STAGE_RUN) {
			size_t nc = first->nconstraints ? first->nclauses : 0;
			bool used = false;
			for (size_t c = 0; c < (nc ? nc : 1) && ok; c++) {
				s = rpm_pkgconfig(doc->ms, m, pkg, nc ? first->clauses[c].op_text : NULL,
						  nc ? first->clauses[c].version : NULL);
				if (!s)
					break;
				used = true;
				ok = util_strv_push(v, n, s);
				free(s);
			}
			if (used || !ok)
				return ok;
		}
		for (size_t c = 0; c < first->nconstraints && ok; c++)
			ok = util_strv_push(v, n, first->constraints[c]);
		return ok && (first->nconstraints || util_strv_push(v, n, first->name));
	case EXPORT_CONDA_RECIPE:
	case EXPORT_CONDA_META:
		/* one match spec: "name >=1,<2" */
		strbuf_addstr(&b, first->name);
		for (size_t c = 0; first->nconstraints && c < first->nclauses; c++) {
			strbuf_addstr(&b, c ? "," : " ");
			strbuf_addstr(&b, first->clauses[c].op_text);
			strbuf_addstr(&b, first->clauses[c].version);
		}
		break;
	case EXPORT_NIX:
	case EXPORT_HOMEBREW:
	default:
		strbuf_addstr(&b, first->name);
		break;
	}
	if (!(s = strbuf_detach(&b)))
		return false;
	ok = util_strv_push(v, n, s);
	free(s);
	return ok;
}

static bool add_items(struct export_field *f, char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strv_add(&f->items, &f->nitems, v[i]))
			return false;
	return true;
}

static int conda_compiler(const struct export_doc *doc, const struct reg_map *m,
			  const struct project_dep *dep)
{
	const char *id = m->id ? m->id : dep->url->id;

	if (doc->format != EXPORT_CONDA_RECIPE && doc->format != EXPORT_CONDA_META)
		return -1;
	for (size_t i = 0; i < sizeof conda_compilers / sizeof *conda_compilers; i++)
		if (!strcmp(conda_compilers[i].depurl, id))
			return (int)i;
	return -1;
}

static bool jinja(struct export_doc *doc, struct export_field *f, const char *call)
{
	char buf[96];

	snprintf(buf, sizeof buf, "%s{{ %s }}", doc->format == EXPORT_CONDA_RECIPE ? "$" : "", call);
	return strv_add(&f->items, &f->nitems, buf);
}

static bool problem(struct export_doc *doc, const struct project_dep *dep, const struct reg_map *m)
{
	const char *ver = dep->url->version ? dep->url->version : "";
	const char *sp = dep->url->version ? " " : "";
	const char *stage = ed_stage_name(dep->stage);

	doc->nproblems++;
	switch (m->status) {
	case REG_UNAVAILABLE:
		return note(doc, "%s%s%s [%s]: not available in %s: %s", dep->url->id, sp, ver, stage,
			    doc->ms->target.eco->id, m->reason);
	case REG_UNMAPPED:
		return note(doc, "%s%s%s [%s]: not mapped for %s yet", dep->url->id, sp, ver, stage,
			    doc->ms->target.eco->id);
	case REG_UNKNOWN:
	default:
		if (m->suggestion)
			return note(doc, "%s%s%s [%s]: unknown DepURL; did you mean '%s'?", dep->url->id,
				    sp, ver, stage, m->suggestion);
		return note(doc, "%s%s%s [%s]: unknown DepURL", dep->url->id, sp, ver, stage);
	}
}

static bool build_dep(struct export_doc *doc, size_t i)
{
	const struct mapset *ms = doc->ms;
	const struct project_dep *dep = &ms->project->deps[i];
	const struct reg_map *m = &ms->maps[i];
	struct export_field *f = field_of(doc, dep->stage);
	int cc;

	if (m->status != REG_MAPPED)
		return problem(doc, dep, m);
	if ((cc = conda_compiler(doc, m, dep)) >= 0) {
		char call[32];
		snprintf(call, sizeof call, "compiler('%s')", conda_compilers[cc].lang);
		return jinja(doc, f, call) &&
		       (!conda_compilers[cc].stdlib || jinja(doc, f, "stdlib('c')"));
	}
	switch (report_version_of(dep, m, false)) {
	case REPORT_VERSION_UNCHECKED:
		if (!note(doc, "%s %s [%s]: version not checked: %s's package versions are not the upstream's",
			  dep->url->id, dep->url->version, ed_stage_name(dep->stage), ms->target.eco->id))
			return false;
		break;
	case REPORT_VERSION_UNEXPRESSED:
		if (!note(doc, "%s %s [%s]: version not written: %s takes no version constraint",
			  dep->url->id, dep->url->version, ed_stage_name(dep->stage), ms->target.eco->id))
			return false;
		break;
	default:
		break;
	}
	for (size_t k = 0; k < m->npkgs; k++) {
		const struct reg_map_pkg *pkg = &m->pkgs[k];
		const char *why = pkg->nalts == 1 && !pkg->alts[0].nconstraints
					  ? implicit_why(doc->format, m->id, pkg->alts[0].name)
					  : NULL;
		char **v = NULL;
		size_t n = 0;
		bool ok;

		if (why) {
			doc->omitted_why = why;
			if (!strv_add(&doc->omitted, &doc->nomitted, pkg->alts[0].name))
				return false;
			continue;
		}
		ok = render_pkg(doc, m, pkg, dep->stage, &v, &n) && add_items(f, v, n);
		util_strv_free(v, n);
		if (!ok)
			return false;
	}
	return true;
}

/* A bare NAME is implied by a versioned entry for NAME in the same field
 * ("gcc" next to "gcc (>= 12)"): drop it. */
static bool drop_covered(struct export_field *f)
{
	bool *covered = calloc(f->nitems ? f->nitems : 1, sizeof *covered);
	size_t out = 0;

	if (!covered)
		return false;
	for (size_t i = 0; i < f->nitems; i++) {
		size_t len = strlen(f->items[i]);
		for (size_t k = 0; k < f->nitems && !covered[i]; k++)
			covered[i] = k != i && !strncmp(f->items[k], f->items[i], len) &&
				     f->items[k][len] && strchr(" (<>=", f->items[k][len]);
	}
	for (size_t i = 0; i < f->nitems; i++) {
		if (covered[i])
			free(f->items[i]);
		else
			f->items[out++] = f->items[i];
	}
	f->nitems = out;
	free(covered);
	return true;
}

int export_doc_build(struct export_doc *doc, enum export_format fmt, const struct mapset *ms,
		     struct ed_diag *d)
{
	const struct reg_spec_list *implied = ms->implied;
	bool ok = true;

	memset(doc, 0, sizeof *doc);
	doc->format = fmt;
	doc->ms = ms;
	for (int s = 0; s < ED_STAGE_COUNT; s++) {
		if (field_of(doc, (enum ed_stage)s))
			continue;
		doc->fields[doc->nfields++].name = formats[fmt].field[s];
	}
	for (size_t i = 0; ok && i < ms->project->ndeps; i++)
		if (mapset_selected(ms, i))
			ok = build_dep(doc, i);
	/* PEP 725: a compiler among the build requirements implies Python's
	 * development files, which the build links against: a host dependency */
	/* the wheel-building images' Pythons carry their own headers */
	if (fmt == EXPORT_CIBUILDWHEEL && implied && implied->count)
		ok = note(doc, "%s: not installed: the image's Pythons have their headers",
			  implied->items[0].alts[0]);
	for (size_t k = 0; ok && fmt != EXPORT_CIBUILDWHEEL && implied && k < implied->count;
	     k++) {
		struct export_field *f = field_of(doc, ED_STAGE_HOST);
		const char *name = implied->items[k].alts[0];
		ok = strv_add(&f->items, &f->nitems, name) &&
		     strv_add(&doc->implied, &doc->nimplied, name);
	}
	for (size_t i = 0; ok && i < doc->nfields; i++)
		ok = drop_covered(&doc->fields[i]);
	if (ok && doc->nomitted) {
		struct strbuf b = { 0 };
		char *s;
		for (size_t i = 0; i < doc->nomitted; i++) {
			strbuf_addstr(&b, i ? ", " : "");
			strbuf_addstr(&b, doc->omitted[i]);
		}
		s = strbuf_detach(&b);
		ok = s && note(doc, "not listed, always present (%s): %s", doc->omitted_why, s);
		free(s);
	}
	if (ok && doc->nimplied)
		ok = note(doc, "%s: implied by a compiler among the build requirements (PEP 725)",
			  doc->implied[0]);
	if (!ok) {
		export_doc_fini(doc);
		return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "out of memory");
	}
	return 0;
}

void export_doc_fini(struct export_doc *doc)
{
	if (!doc)
		return;
	for (size_t i = 0; i < doc->nfields; i++)
		util_strv_free(doc->fields[i].items, doc->fields[i].nitems);
	util_strv_free(doc->omitted, doc->nomitted);
	util_strv_free(doc->implied, doc->nimplied);
	util_strv_free(doc->notes, doc->nnotes);
	memset(doc, 0, sizeof *doc);
}

/* --- writing --- */

static const struct export_field *field_named(const struct export_doc *doc, const char *name)
{
	for (size_t i = 0; i < doc->nfields; i++)
		if (!strcmp(doc->fields[i].name, name))
			return &doc->fields[i];
	return NULL;
}

static void write_debian(const struct export_doc *doc, FILE *f)
{
	/* binary packages get their library and Python dependencies from these
	 * substitution variables (dh_shlibdeps, dh_python3) */
	static const char *const substvars[] = { "${misc:Depends}", "${python3:Depends}",
						 "${shlibs:Depends}", NULL };
	const struct export_field *bd = field_named(doc, "Build-Depends");
	const struct export_field *dep = field_named(doc, "Depends");

	if (bd->nitems) {
		fputs("Build-Depends: ", f);
		for (size_t i = 0; i < bd->nitems; i++)
			fprintf(f, "%s%s", i ? ",\n " : "", bd->items[i]);
		fputc('\n', f);
	}
	fputs("Depends: ", f);
	for (size_t i = 0; substvars[i]; i++)
		fprintf(f, "%s%s", i ? ", " : "", substvars[i]);
	for (size_t i = 0; i < dep->nitems; i++)
		fprintf(f, ",\n %s", dep->items[i]);
	fputc('\n', f);
}

static void write_rpm(const struct export_doc *doc, FILE *f)
{
	for (size_t i = 0; i < doc->nfields; i++)
		for (size_t k = 0; k < doc->fields[i].nitems; k++)
			fprintf(f, "%s:%*s%s\n", doc->fields[i].name,
				(int)(16 - strlen(doc->fields[i].name) - 1), "", doc->fields[i].items[k]);
}

static void write_conda(const struct export_doc *doc, FILE *f)
{
	fputs("requirements:\n", f);
	for (size_t i = 0; i < doc->nfields; i++) {
		if (!doc->fields[i].nitems)
			continue;
		fprintf(f, "  %s:\n", doc->fields[i].name);
		for (size_t k = 0; k < doc->fields[i].nitems; k++)
			fprintf(f, "    - %s\n", doc->fields[i].items[k]);
	}
}

static void write_nix(const struct export_doc *doc, FILE *f)
{
	for (size_t i = 0; i < doc->nfields; i++) {
		fprintf(f, "%s = [", doc->fields[i].name);
		for (size_t k = 0; k < doc->fields[i].nitems; k++)
			fprintf(f, " %s", doc->fields[i].items[k]);
		fputs(" ];\n", f);
	}
}

static void write_homebrew(const struct export_doc *doc, FILE *f)
{
	const struct export_field *build = field_named(doc, "depends_on :build");
	const struct export_field *dep = field_named(doc, "depends_on");

	/* a formula needed at run time is not also written as build-only */
	for (size_t k = 0; k < build->nitems; k++)
		if (!strv_has(dep->items, dep->nitems, build->items[k]))
			fprintf(f, "depends_on \"%s\" => :build\n", build->items[k]);
	for (size_t k = 0; k < dep->nitems; k++)
		fprintf(f, "depends_on \"%s\"\n", dep->items[k]);
}

static void write_arch(const struct export_doc *doc, FILE *f)
{
	const struct export_field *make = field_named(doc, "makedepends");
	const struct export_field *dep = field_named(doc, "depends");

	/* pacman installs depends before building too: no need to repeat them */
	fputs("makedepends=(", f);
	for (size_t k = 0, n = 0; k < make->nitems; k++)
		if (!strv_has(dep->items, dep->nitems, make->items[k]))
			fprintf(f, "%s'%s'", n++ ? " " : "", make->items[k]);
	fputs(")\ndepends=(", f);
	for (size_t k = 0; k < dep->nitems; k++)
		fprintf(f, "%s'%s'", k ? " " : "", dep->items[k]);
	fputs(")\n", f);
}

/* S as a TOML basic string. */
static void toml_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

/* LINE, a shell command line, as an item of a TOML array. */
static void toml_line(FILE *f, const char *line)
{
	fputs("  ", f);
	toml_string(f, line);
	fputs(",\n", f);
}

/* Whether the target's programs link musl (its backend says so), so that
 * its wheels are musllinux ones. */
static bool export_musl(const struct mapset *ms)
{
	const struct eco_ops *ops = target_backend(ms->reg, &ms->target);

	return ops && ops->libc && !strcmp(ops->libc, "musl");
}

/* One shell command line of WORDS (N of them; NULL-terminated when N is
 * SIZE_MAX), then ITEMS, as a TOML string of a before-all array. */
static void toml_command(FILE *f, char *const *words, size_t n, char *const *items,
			 size_t nitems)
{
	char *line = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&line, &len);

	if (!m)
		return;
	for (size_t i = 0; i < n && words[i]; i++) {
		fputs(i ? " " : "", m);
		report_sh_word(m, words[i]);
	}
	for (size_t i = 0; i < nitems; i++) {
		fputc(' ', m);
		report_sh_word(m, items[i]);
	}
	fclose(m);
	toml_line(f, line ? line : "");
	free(line);
}

/* pyproject.toml's [tool.cibuildwheel]: one override for the builds of the
 * target's image (manylinux: the RHEL family; musllinux: Alpine), whose
 * before-all enables the repositories the packages come from (CRB, EPEL)
 * and installs them with one command, run as root in the container. */
static void write_cibuildwheel(const struct export_doc *doc, FILE *f)
{
	const struct mapset *ms = doc->ms;
	const struct reg_pm *pm = registry_package_manager(ms->reg, &ms->target);
	const struct export_field *all = field_named(doc, "before-all");
	const struct reg_repository *done[16];
	size_t ndone = 0;

	fprintf(f, "[[tool.cibuildwheel.overrides]]\nselect = \"*-%slinux_*\"\n",
		export_musl(ms) ? "musl" : "many");
	fputs("before-all = [\n", f);
	for (size_t i = 0; i < ms->project->ndeps; i++) {
		const struct reg_repository *r = ms->maps[i].repository;
		char **lines;
		size_t n = 0, k = 0;

		if (!mapset_selected(ms, i) || ms->maps[i].status != REG_MAPPED || !r)
			continue;
		while (k < ndone && done[k] != r)
			k++;
		if (k < ndone || ndone == sizeof done / sizeof *done)
			continue;
		done[ndone++] = r;
		if (!(lines = report_enable_lines(r, &ms->target, &n)))
			continue;
		for (k = 0; k < n; k++)
			toml_line(f, lines[k]);
		util_strv_free(lines, n);
	}
	if (pm && all && all->nitems)
		toml_command(f, pm->install, pm->ninstall, all->items, all->nitems);
	fputs("]\n", f);
}

void export_doc_write(const struct export_doc *doc, FILE *f)
{
	const struct mapset *ms = doc->ms;
	const struct project *p = ms->project;

	fprintf(f, "# %s (%s): %s for %s%s%s\n", p->name ? p->name : "unnamed project", p->path,
		export_format_name(doc->format), ms->target.eco->id, ms->target.release ? " " : "",
		ms->target.release ? ms->target.release : "");
	for (size_t i = 0; i < doc->nnotes; i++)
		fprintf(f, "# %s\n", doc->notes[i]);
	switch (doc->format) {
	case EXPORT_DEBIAN_CONTROL:
		write_debian(doc, f);
		break;
	case EXPORT_RPM_SPEC:
		write_rpm(doc, f);
		break;
	case EXPORT_CONDA_RECIPE:
	case EXPORT_CONDA_META:
		write_conda(doc, f);
		break;
	case EXPORT_NIX:
		write_nix(doc, f);
		break;
	case EXPORT_HOMEBREW:
		write_homebrew(doc, f);
		break;
	case EXPORT_CIBUILDWHEEL:
		write_cibuildwheel(doc, f);
		break;
	case EXPORT_ARCH:
	default:
		write_arch(doc, f);
		break;
	}
}

static void json_strv(struct json *j, char **v, size_t n)
{
	json_array_begin(j);
	for (size_t i = 0; i < n; i++)
		json_string(j, v[i]);
	json_array_end(j);
}

void export_json_write(struct json *j, const struct export_doc *docs, size_t ndocs)
{
	json_object_begin(j);
	json_key(j, "schema_version");
	json_int(j, EXPORT_SCHEMA_VERSION);
	report_json_project(j, docs[0].ms->project);
	json_key(j, "exports");
	json_array_begin(j);
	for (size_t i = 0; i < ndocs; i++) {
		const struct export_doc *doc = &docs[i];
		const struct mapset *ms = doc->ms;
		json_object_begin(j);
		json_key(j, "format");
		json_string(j, export_format_name(doc->format));
		json_key(j, "ecosystem");
		json_string(j, ms->target.eco->id);
		json_key(j, "release");
		json_string(j, ms->target.release);
		json_key(j, "fields");
		json_object_begin(j);
		for (size_t k = 0; k < doc->nfields; k++) {
			json_key(j, doc->fields[k].name);
			json_strv(j, doc->fields[k].items, doc->fields[k].nitems);
		}
		json_object_end(j);
		json_key(j, "omitted");
		json_strv(j, doc->omitted, doc->nomitted);
		json_key(j, "implied");
		json_strv(j, doc->implied, doc->nimplied);
		json_key(j, "problems");
		json_array_begin(j);
		for (size_t k = 0; k < ms->project->ndeps; k++) {
			const struct reg_map *m = &ms->maps[k];
			if (!mapset_selected(ms, k) || m->status == REG_MAPPED)
				continue;
			json_object_begin(j);
			report_json_dep(j, &ms->project->deps[k]);
			json_key(j, "status");
			json_string(j, reg_status_name(m->status));
			json_key(j, "reason");
			json_string(j, m->reason);
			json_key(j, "suggestion");
			json_string(j, m->suggestion);
			report_json_source(j, ms->project->deps[k].file, ms->project->deps[k].line,
					ms->project->deps[k].col);
			json_object_end(j);
		}
		json_array_end(j);
		json_key(j, "notes");
		json_strv(j, doc->notes, doc->nnotes);
		json_object_end(j);
	}
	json_array_end(j);
	json_object_end(j);
}
