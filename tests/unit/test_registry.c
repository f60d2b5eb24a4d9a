/* Unit tests for the mapping registry: loading, schema errors with their
 * file:line:col, look-ups, targets, mapping, overlays, PEP 804, coverage. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "extdeps/map/registry.h"

#define MAPS FIXTURES "/mappings"
#define N(a) (sizeof(a) / sizeof *(a))

static struct registry *load_dirs(const char *const *dirs, size_t n)
{
	struct ed_diag d = { 0 };
	struct registry *reg = registry_new();
	int rc = 0;

	assert_non_null(reg);
	for (size_t i = 0; i < n && !rc; i++)
		rc = registry_load_dir(reg, dirs[i], &d);
	if (!rc)
		rc = registry_check(reg, &d);
	if (rc)
		fail_msg("%s:%d:%d: %s", d.file, d.line, d.col, d.msg);
	return reg;
}

static struct registry *load_good(void)
{
	static const char *const dirs[] = { MAPS "/good" };
	return load_dirs(dirs, 1);
}

static struct reg_target target(const struct registry *reg, const char *text)
{
	struct ed_diag d = { 0 };
	struct reg_target t;

	if (registry_parse_target(reg, text, &t, &d))
		fail_msg("target '%s': %s", text, d.msg);
	return t;
}

/* Map DEPURL for TARGET and STAGE; the caller finishes M. */
static void map(const struct registry *reg, const char *tgt, const char *depurl,
		enum ed_stage stage, struct reg_map *m)
{
	struct ed_parse_err perr = { 0 };
	struct ed_diag d = { 0 };
	struct depurl *dep = depurl_parse(depurl, strlen(depurl), &perr);
	struct reg_target t = target(reg, tgt);

	if (!dep)
		fail_msg("'%s': %s", depurl, perr.msg);
	assert_int_equal(registry_map(reg, &t, dep, stage, m, &d), 0);
	depurl_free(dep);
}

/* "a | b, c" from a result, for compact assertions. */
static void pkgs_str(const struct reg_map *m, char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < m->npkgs; i++)
		for (size_t a = 0; a < m->pkgs[i].nalts; a++)
			used += (size_t)snprintf(buf + used, size - used, "%s%s",
						 a ? " | " : i ? ", " : "", m->pkgs[i].alts[a].name);
}

static void expect_pkgs(const char *tgt, const char *depurl, enum ed_stage stage,
			const char *want, const char *via, const char *eco)
{
	struct registry *reg = load_good();
	struct reg_map m;
	char buf[512];

	map(reg, tgt, depurl, stage, &m);
	assert_int_equal(m.status, REG_MAPPED);
	pkgs_str(&m, buf, sizeof buf);
	assert_string_equal(buf, want);
	if (via)
		assert_string_equal(m.via, via);
	else
		assert_null(m.via);
	if (eco)
		assert_string_equal(m.ecosystem, eco);
	reg_map_fini(&m);
	registry_free(reg);
}

/* Load TEXT as NAME into REG, expecting RC and, for an error, its message. */
static void expect_load(struct registry *reg, const char *name, const char *text, int rc,
			int line, int col, const char *msg)
{
	struct ed_diag d = { 0 };

	if (registry_load_buffer(reg, name, text, strlen(text), &d) != rc)
		fail_msg("%s: expected %d, got '%s:%d:%d: %s'", name, rc, d.file, d.line, d.col, d.msg);
	if (!rc)
		return;
	assert_string_equal(d.file, name);
	assert_int_equal(d.line, line);
	assert_int_equal(d.col, col);
	assert_string_equal(d.msg, msg);
}

static void test_good_loads(void **state)
{
	struct registry *reg = load_good();
	struct reg_warnings w = { 0 };
	struct ed_diag d = { 0 };

	assert_int_equal(registry_ndefs(reg), 10);
	assert_int_equal(registry_necosystems(reg), 4);
	/* sorted */
	assert_string_equal(registry_def_at(reg, 0)->id, "dep:generic/blis");
	assert_string_equal(registry_ecosystem_at(reg, 0)->id, "conda-forge");
	assert_string_equal(registry_ecosystem_at(reg, 3)->id, "ubuntu");
	assert_string_equal(registry_find(reg, "dep:generic/zlib")->description,
			    "Compression library \"zlib\" / \xc3\xa9");
	assert_int_equal(registry_validate(reg, &w, &d), 0);
	assert_int_equal(w.count, 1);
	assert_string_equal(w.items[0].file, MAPS "/good/fedora.yaml");
	assert_int_equal(w.items[0].line, 18);
	assert_int_equal(w.items[0].col, 3);
	assert_string_equal(w.items[0].msg, "fedora: 'dep:generic/zlib' maps to no package in any stage");
	reg_warnings_fini(&w);
	registry_free(reg);
	registry_free(NULL);
	reg_map_fini(NULL);
	reg_warnings_fini(NULL);
	reg_coverage_fini(NULL);
}

static void test_alternatives_and_stages(void **state)
{
	expect_pkgs("debian", "dep:generic/openblas", ED_STAGE_HOST,
		    "libopenblas-dev | libopenblas64-dev", NULL, "debian");
	expect_pkgs("debian", "dep:generic/openblas", ED_STAGE_RUN, "libopenblas0", NULL, NULL);
	/* build falls back to host */
	expect_pkgs("debian", "dep:generic/openblas", ED_STAGE_BUILD,
		    "libopenblas-dev | libopenblas64-dev", NULL, NULL);
	/* host and run fall back to build */
	expect_pkgs("debian", "dep:generic/zlib", ED_STAGE_HOST, "zlib1g-dev", NULL, NULL);
	expect_pkgs("debian", "dep:generic/zlib", ED_STAGE_RUN, "zlib1g-dev", NULL, NULL);
	expect_pkgs("conda-forge", "dep:generic/openblas", ED_STAGE_RUN, "libopenblas", NULL, NULL);
}

static void test_stage_used(void **state)
{
	struct registry *reg = load_good();
	struct reg_map m;

	map(reg, "debian", "dep:generic/zlib", ED_STAGE_RUN, &m);
	assert_int_equal(m.stage, ED_STAGE_BUILD);
	assert_string_equal(m.source.file, MAPS "/good/debian.yaml");
	assert_int_equal(m.source.line, 39);
	assert_int_equal(m.source.col, 3);
	reg_map_fini(&m);
	map(reg, "debian", "dep:generic/openblas", ED_STAGE_BUILD, &m);
	assert_int_equal(m.stage, ED_STAGE_HOST);
	reg_map_fini(&m);
	registry_free(reg);
}

static void test_release_override(void **state)
{
	struct registry *reg = load_good();
	struct reg_map m;

	map(reg, "debian:13", "dep:generic/cuda", ED_STAGE_HOST, &m);
	assert_int_equal(m.status, REG_MAPPED);
	assert_string_equal(m.release, "13");
	assert_string_equal(m.pkgs[0].alts[0].name, "nvidia-cuda-toolkit");
	reg_map_fini(&m);
	map(reg, "debian", "dep:generic/cuda", ED_STAGE_HOST, &m);
	assert_int_equal(m.status, REG_UNAVAILABLE);
	assert_string_equal(m.reason, "only in non-free, as nvidia-cuda-toolkit");
	assert_null(m.release);
	reg_map_fini(&m);
	map(reg, "debian:bullseye", "dep:generic/libfoo@>=1.2", ED_STAGE_HOST, &m);
	assert_string_equal(m.pkgs[0].alts[0].name, "libfoo1-dev");
	assert_int_equal(m.version, REG_VERSION_NONE);
	assert_true(m.version_unexpressed);
	assert_int_equal(m.pkgs[0].alts[0].nconstraints, 0);
	reg_map_fini(&m);
	registry_free(reg);
}

static void test_inheritance(void **state)
{
	struct registry *reg = load_good();
	struct reg_target t = target(reg, "ubuntu");
	const struct reg_pm *pm = registry_package_manager(reg, &t);
	struct reg_spec_list py;
	struct reg_map m;

	expect_pkgs("ubuntu", "dep:generic/openblas", ED_STAGE_HOST,
		    "libopenblas-dev | libopenblas64-dev", NULL, "debian");
	expect_pkgs("ubuntu", "dep:generic/cuda", ED_STAGE_HOST, "nvidia-cuda-toolkit", NULL,
		    "ubuntu");
	/* debian's release overrides are keyed by debian's releases */
	map(reg, "ubuntu:22.04", "dep:generic/libfoo", ED_STAGE_HOST, &m);
	assert_string_equal(m.pkgs[0].alts[0].name, "libfoo-dev");
	assert_null(m.release);
	reg_map_fini(&m);
	assert_non_null(pm);
	assert_string_equal(pm->name, "apt-get");
	assert_true(pm->needs_root);
	assert_int_equal(pm->ninstall, 4);
	assert_string_equal(pm->pin, "{name}={version}");
	assert_null(pm->install_constraint);
	assert_true(registry_python_dev(reg, &t, NULL, &py));
	assert_int_equal(py.count, 1);
	assert_string_equal(py.items[0].alts[0], "python3-dev");
	reg_spec_list_fini(&py);
	t = target(reg, "fedora");
	assert_true(registry_python_dev(reg, &t, "3.12", &py));
	assert_int_equal(py.count, 0);
	t = target(reg, "conda-forge");
	assert_false(registry_package_manager(reg, &t)->needs_root);
	registry_free(reg);
}

/* The headers of the Python that will build: the release's own are
 * python_dev's specs, another Python's its `other` list, with the version
 * filled; an ecosystem without `other` has the one list. */
static void test_python_dev_of_the_python(void **state)
{
	static const struct {
		const char *target, *python, *names;
	} cases[] = {
		{ "debian:12", NULL, "python3-dev" },
		{ "debian:12", "3.11", "python3-dev" },
		{ "debian:12", "3.13", "python3.13-dev | python313-headers" },
		{ "debian:11", "3.9", "python3-dev" }, /* its Python unknown: the one list */
		{ "conda-forge", "3.10", "python" },
	};
	struct registry *reg = load_good();

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		struct reg_target t = target(reg, cases[i].target);
		struct reg_spec_list py;
		char got[256] = "";

		assert_true(registry_python_dev(reg, &t, cases[i].python, &py));
		assert_int_equal(py.count, 1);
		for (size_t a = 0; a < py.items[0].nalts; a++)
			snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s", a ? " | " : "",
				 py.items[0].alts[a]);
		if (strcmp(got, cases[i].names))
			fail_msg("%s, python %s: got '%s'", cases[i].target,
				 cases[i].python ? cases[i].python : "(its own)", got);
		reg_spec_list_fini(&py);
	}
	registry_free(reg);
}

static void test_virtual(void **state)
{
	expect_pkgs("debian", "dep:virtual/interface/blas", ED_STAGE_HOST,
		    "libopenblas-dev | libopenblas64-dev", "dep:generic/openblas", NULL);
	/* the first provider by id that is mapped: blis before openblas */
	expect_pkgs("fedora", "dep:virtual/interface/blas", ED_STAGE_HOST, "blis-devel",
		    "dep:generic/blis", NULL);
	/* a direct mapping wins */
	expect_pkgs("conda-forge", "dep:virtual/interface/blas", ED_STAGE_HOST, "libblas", NULL,
		    NULL);
	expect_pkgs("debian", "dep:virtual/compiler/c", ED_STAGE_BUILD, "gcc", "dep:generic/gcc",
		    NULL);
	/* the legacy spelling is the same DepURL */
	expect_pkgs("conda-forge", "virtual:compiler/c", ED_STAGE_BUILD, "c-compiler", NULL, NULL);
}

static void test_versions(void **state)
{
	struct registry *reg = load_good();
	struct reg_map m;

	map(reg, "debian", "dep:generic/libfoo@>=1.2,<2", ED_STAGE_HOST, &m);
	assert_int_equal(m.status, REG_MAPPED);
	assert_int_equal(m.version, REG_VERSION_UPSTREAM);
	assert_false(m.version_unexpressed);
	assert_int_equal(m.nclauses, 2);
	assert_int_equal(m.clauses[0].op, PEP440_GE);
	assert_string_equal(m.clauses[0].op_text, ">=");
	assert_string_equal(m.clauses[0].version, "1.2");
	assert_int_equal(m.clauses[1].op, PEP440_LT);
	assert_string_equal(m.clauses[1].op_text, "<<");
	assert_int_equal(m.pkgs[0].alts[0].nconstraints, 2);
	assert_string_equal(m.pkgs[0].alts[0].constraints[0], "libfoo-dev (>= 1.2)");
	assert_string_equal(m.pkgs[0].alts[0].constraints[1], "libfoo-dev (<< 2)");
	reg_map_fini(&m);
	/* every alternative gets the constraints */
	map(reg, "debian", "dep:generic/openblas@>0.3", ED_STAGE_HOST, &m);
	assert_string_equal(m.pkgs[0].alts[1].constraints[0], "libopenblas64-dev (>> 0.3)");
	reg_map_fini(&m);
	map(reg, "conda-forge", "dep:generic/openblas@>=0.3.20", ED_STAGE_HOST, &m);
	assert_string_equal(m.pkgs[0].alts[0].constraints[0], "libopenblas>=0.3.20");
	reg_map_fini(&m);
	/* version: none leaves it to probes */
	map(reg, "debian", "dep:virtual/compiler/c@>=12", ED_STAGE_BUILD, &m);
	assert_int_equal(m.version, REG_VERSION_NONE);
	assert_true(m.version_unexpressed);
	assert_int_equal(m.nclauses, 0);
	reg_map_fini(&m);
	/* no version asked: nothing to express */
	map(reg, "debian", "dep:generic/gcc", ED_STAGE_BUILD, &m);
	assert_false(m.version_unexpressed);
	reg_map_fini(&m);
	registry_free(reg);
	{
		char *s = registry_render("{name} ({op} {version}) {name}", "a", "<<", "2");
		assert_string_equal(s, "a (<< 2) a");
		free(s);
	}
}

static void test_statuses(void **state)
{
	struct registry *reg = load_good();
	struct reg_map m;

	map(reg, "debian", "dep:generic/rare", ED_STAGE_RUN, &m);
	assert_int_equal(m.status, REG_UNAVAILABLE);
	assert_string_equal(m.reason, "not packaged");
	assert_string_equal(reg_status_name(m.status), "unavailable");
	reg_map_fini(&m);
	map(reg, "conda-forge", "dep:generic/rare", ED_STAGE_RUN, &m);
	assert_int_equal(m.status, REG_UNMAPPED);
	assert_string_equal(m.id, "dep:generic/rare");
	reg_map_fini(&m);
	map(reg, "fedora", "dep:virtual/compiler/c", ED_STAGE_BUILD, &m);
	assert_int_equal(m.status, REG_UNMAPPED);
	reg_map_fini(&m);
	map(reg, "debian", "dep:generic/openblass", ED_STAGE_RUN, &m);
	assert_int_equal(m.status, REG_UNKNOWN);
	assert_null(m.id);
	assert_string_equal(m.suggestion, "dep:generic/openblas");
	reg_map_fini(&m);
	/* an empty list maps to no package: mapped, nothing to install */
	map(reg, "fedora", "dep:generic/zlib", ED_STAGE_HOST, &m);
	assert_int_equal(m.status, REG_MAPPED);
	assert_int_equal(m.npkgs, 0);
	reg_map_fini(&m);
	registry_free(reg);
}

/* A virtual DepURL whose providers are all mapped and all unavailable is
 * unavailable, at the first provider's mapping (by id); unmapped when one
 * is not mapped; mapped through one that is available. */
static void test_virtual_unavailable(void **state)
{
	struct registry *reg = load_good();
	struct reg_map m;

	expect_load(reg, "x/aaa.yaml",
		    "schema: 1\necosystem: aaa\nname: A\n"
		    "package_manager: {name: x, install: [x], needs_root: false}\nmappings:\n"
		    "  dep:generic/openblas: {unavailable: not built}\n"
		    "  dep:generic/blis: {unavailable: not ported}\n",
		    0, 0, 0, NULL);
	expect_load(reg, "x/bbb.yaml",
		    "schema: 1\necosystem: bbb\nname: B\n"
		    "package_manager: {name: x, install: [x], needs_root: false}\nmappings:\n"
		    "  dep:generic/blis: {unavailable: not ported}\n",
		    0, 0, 0, NULL);
	expect_load(reg, "x/ccc.yaml",
		    "schema: 1\necosystem: ccc\nname: C\ninherits: aaa\nmappings:\n"
		    "  dep:generic/openblas: {specs: [openblas]}\n",
		    0, 0, 0, NULL);
	map(reg, "aaa", "dep:virtual/interface/blas", ED_STAGE_HOST, &m);
	assert_int_equal(m.status, REG_UNAVAILABLE);
	assert_string_equal(m.reason, "no definition providing it is available");
	assert_null(m.via);
	assert_string_equal(m.ecosystem, "aaa");
	assert_string_equal(m.source.file, "x/aaa.yaml");
	assert_int_equal(m.source.line, 7);
	reg_map_fini(&m);
	map(reg, "aaa", "dep:virtual/interface/lapack", ED_STAGE_HOST, &m);
	assert_int_equal(m.status, REG_UNAVAILABLE);
	assert_int_equal(m.source.line, 6);
	reg_map_fini(&m);
	/* openblas is not mapped in bbb: it may yet be */
	map(reg, "bbb", "dep:virtual/interface/blas", ED_STAGE_HOST, &m);
	assert_int_equal(m.status, REG_UNMAPPED);
	assert_null(m.reason);
	reg_map_fini(&m);
	map(reg, "ccc", "dep:virtual/interface/blas", ED_STAGE_HOST, &m);
	assert_int_equal(m.status, REG_MAPPED);
	assert_string_equal(m.via, "dep:generic/openblas");
	assert_string_equal(m.ecosystem, "ccc");
	assert_int_equal(m.npkgs, 1);
	assert_string_equal(m.pkgs[0].alts[0].name, "openblas");
	reg_map_fini(&m);
	registry_free(reg);
}

static void test_aliases(void **state)
{
	struct registry *reg = load_good();
	struct reg_resolved r;
	struct ed_diag d = { 0 };
	struct reg_map m;

	assert_int_equal(registry_resolve(reg, "openblas", &r, &d), 0);
	assert_string_equal(r.def->id, "dep:generic/openblas");
	assert_string_equal(r.alias, "openblas");
	assert_null(r.version);
	assert_int_equal(registry_resolve(reg, "cuda12", &r, &d), 0);
	assert_string_equal(r.def->id, "dep:generic/cuda");
	assert_string_equal(r.version, ">=12,<13");
	assert_int_equal(registry_resolve(reg, "dep:github/xianyi/openblas", &r, &d), 0);
	assert_string_equal(r.def->id, "dep:generic/openblas");
	assert_string_equal(r.alias, "dep:github/xianyi/openblas");
	assert_int_equal(registry_resolve(reg, "dep:generic/zlib@>=1", &r, &d), 0);
	assert_string_equal(r.def->id, "dep:generic/zlib");
	assert_null(r.alias);
	assert_int_equal(registry_resolve(reg, "zlib", &r, &d), 0);
	assert_string_equal(r.def->id, "dep:generic/zlib");
	assert_int_equal(registry_resolve(reg, "openblaz", &r, &d), ED_EXIT_INPUT);
	assert_string_equal(d.msg, "unknown DepURL 'openblaz'; did you mean 'openblas'?");
	assert_int_equal(registry_resolve(reg, "dep:generic/libfooo", &r, &d), ED_EXIT_INPUT);
	assert_string_equal(d.msg, "unknown DepURL 'dep:generic/libfooo'; did you mean 'dep:generic/libfoo'?");
	assert_int_equal(registry_resolve(reg, "nothing-like-it-at-all", &r, &d), ED_EXIT_INPUT);
	assert_string_equal(d.msg, "unknown DepURL 'nothing-like-it-at-all'");
	assert_int_equal(registry_naliases(reg), 1);
	assert_string_equal(registry_alias_at(reg, 0)->name, "cuda12");
	/* a DepURL alias maps as its definition */
	map(reg, "debian", "dep:github/xianyi/openblas", ED_STAGE_RUN, &m);
	assert_int_equal(m.status, REG_MAPPED);
	assert_string_equal(m.id, "dep:generic/openblas");
	reg_map_fini(&m);
	/* a versioned alias written as a DepURL */
	assert_int_equal(registry_resolve(reg, "dep:generic/cuda12", &r, &d), 0);
	assert_string_equal(r.def->id, "dep:generic/cuda");
	assert_string_equal(r.version, ">=12,<13");
	assert_string_equal(r.alias, "cuda12");
	registry_free(reg);
}

/* Expand TEXT in place; the canonical text after, or the error. */
static void expands_to(const struct registry *reg, const char *text, const char *want)
{
	struct ed_parse_err perr;
	struct depurl *u = depurl_parse(text, strlen(text), &perr);
	struct ed_diag d = { 0 };
	char *got;

	assert_non_null(u);
	assert_int_equal(registry_expand_alias(reg, u, &d), 0);
	got = depurl_str(u);
	assert_string_equal(got, want);
	assert_true(u->aliased == (strcmp(text, want) != 0));
	free(got);
	depurl_free(u);
}

static void test_expand_alias(void **state)
{
	struct registry *reg = load_good();

	expands_to(reg, "dep:generic/cuda12", "dep:generic/cuda@>=12,<13");
	/* both specifiers hold */
	expands_to(reg, "dep:generic/cuda12@>=12.2", "dep:generic/cuda@>=12.2,>=12,<13");
	/* qualifiers and subpath stay */
	expands_to(reg, "dep:generic/cuda12?arch=x86_64#bin", "dep:generic/cuda@>=12,<13?arch=x86_64#bin");
	/* only dep:generic/NAME names a versioned alias */
	expands_to(reg, "dep:github/nvidia/cuda12", "dep:github/nvidia/cuda12");
	expands_to(reg, "dep:generic/cuda", "dep:generic/cuda");
	expands_to(reg, "dep:generic/zlib@>=1", "dep:generic/zlib@>=1");
	registry_free(reg);
}

static void test_targets(void **state)
{
	struct registry *reg = load_good();
	struct reg_target t;
	struct ed_diag d = { 0 };
	static const struct {
		const char *in, *eco, *rel;
		bool given;
	} ok[] = {
		{ "debian", "debian", "12", false },
		{ "debian:12", "debian", "12", true },
		{ "debian:bookworm", "debian", "12", true },
		{ "debian:Trixie", "debian", "13", true },
		{ "debian+11", "debian", "11", true },
		{ "ubuntu:noble", "ubuntu", "24.04", true },
		{ "ubuntu", "ubuntu", "24.04", false },
		{ "fedora+41", "fedora", "41", true },
		{ "conda-forge", "conda-forge", NULL, false },
	};
	static const struct {
		const char *in, *msg;
	} bad[] = {
		{ "debain", "unknown ecosystem 'debain'; did you mean 'debian'? (known: conda-forge, debian, fedora, ubuntu)" },
		{ "arch", "unknown ecosystem 'arch' (known: conda-forge, debian, fedora, ubuntu)" },
		{ "debian:14", "unknown release '14' of debian (known: 11 (bullseye), 12 (bookworm), 13 (trixie))" },
		{ "fedora:39", "unknown release '39' of fedora (known: 40, 41, 42)" },
		{ "conda-forge:1", "'conda-forge' has no releases: write --distro=conda-forge" },
		{ "debian:", "invalid target 'debian:': expected ID[:RELEASE]" },
		{ "", "invalid target '': expected ID[:RELEASE]" },
	};

	for (size_t i = 0; i < N(ok); i++) {
		if (registry_parse_target(reg, ok[i].in, &t, &d))
			fail_msg("'%s': %s", ok[i].in, d.msg);
		assert_string_equal(t.eco->id, ok[i].eco);
		if (ok[i].rel)
			assert_string_equal(t.release, ok[i].rel);
		else
			assert_null(t.release);
		assert_int_equal(t.release_given, ok[i].given);
	}
	for (size_t i = 0; i < N(bad); i++) {
		assert_int_equal(registry_parse_target(reg, bad[i].in, &t, &d), ED_EXIT_INPUT);
		assert_string_equal(d.msg, bad[i].msg);
	}
	registry_free(reg);
}

static void test_overlay(void **state)
{
	static const char *const dirs[] = { MAPS "/good", MAPS "/overlay" };
	struct registry *reg = load_dirs(dirs, 2);
	struct reg_map m;
	char buf[256];

	/* the overlay's mapping replaces debian's whole entry */
	map(reg, "debian", "dep:generic/openblas", ED_STAGE_RUN, &m);
	pkgs_str(&m, buf, sizeof buf);
	assert_string_equal(buf, "libopenblas-openmp-dev");
	assert_int_equal(m.version, REG_VERSION_UNSET);
	assert_string_equal(m.source.file, MAPS "/overlay/debian.yaml");
	reg_map_fini(&m);
	/* the rest of debian stays */
	map(reg, "debian:13", "dep:generic/cuda", ED_STAGE_RUN, &m);
	assert_int_equal(m.status, REG_MAPPED);
	reg_map_fini(&m);
	assert_string_equal(registry_find(reg, "dep:generic/zlib")->description,
			    "zlib, redefined by an overlay");
	assert_string_equal(registry_find_ecosystem(reg, "debian")->name, "Debian");
	/* PEP 804 JSON: escapes, shorthand specs, empty specs; the document
	 * adds mappings, the ecosystem file's name stays */
	assert_string_equal(registry_find_ecosystem(reg, "conda-forge")->name, "conda-forge");
	assert_string_equal(registry_find_mapping(registry_find_ecosystem(reg, "conda-forge"),
						  "dep:generic/zlib")->description,
			    "zlib \"quoted\"\ttab \xc3\xa9\xf0\x9f\x98\x80");
	map(reg, "conda-forge", "dep:generic/zlib", ED_STAGE_RUN, &m);
	pkgs_str(&m, buf, sizeof buf);
	assert_string_equal(buf, "zlib");
	reg_map_fini(&m);
	map(reg, "conda-forge", "dep:generic/rare", ED_STAGE_RUN, &m);
	assert_int_equal(m.status, REG_UNAVAILABLE);
	reg_map_fini(&m);
	map(reg, "conda-forge", "dep:generic/libfoo", ED_STAGE_BUILD, &m);
	pkgs_str(&m, buf, sizeof buf);
	assert_string_equal(buf, "foo-tools");
	reg_map_fini(&m);
	/* the YAML package manager stays: the JSON listed none */
	{
		struct reg_target t = target(reg, "conda-forge");
		assert_string_equal(registry_package_manager(reg, &t)->name, "conda");
	}
	registry_free(reg);
}

struct bad_case {
	const char *dir, *file;
	int line, col;
	const char *msg;
};

static const struct bad_case bad_cases[] = {
	{ "unknown-key", "registry.yaml", 4, 5,
	  "unknown key 'descripton' in a dependency; did you mean 'description'?" },
	{ "wrong-type", "registry.yaml", 5, 15, "expected a list of strings, found a scalar" },
	{ "duplicate-key", "debian.yaml", 8, 3, "duplicate key 'dep:generic/zlib' (first at 4:3)" },
	{ "unknown-provides", "registry.yaml", 5, 16,
	  "unknown DepURL 'dep:virtual/interface/blaz' in provides; did you mean 'dep:virtual/interface/blas'?" },
	{ "unknown-mapping", "debian.yaml", 4, 3,
	  "unknown DepURL 'dep:generic/openblaz' in mappings; did you mean 'dep:generic/openblas'?" },
	{ "invalid-depurl", "registry.yaml", 5, 28,
	  "invalid DepURL 'dep:generic': expected '/' and a name after type 'generic'" },
	{ "python-dev-template", "debian.yaml", 5, 18,
	  "'python{version}-dev': '{' is not allowed in a package name of debian "
	  "(allowed: [a-z0-9][a-z0-9+.-]*)" },
	{ "package-name", "debian.yaml", 5, 29,
	  "'libFoo-dev': 'F' is not allowed in a package name of debian (allowed: [a-z0-9][a-z0-9+.-]*)" },
	{ "ecosystem-name", "fedora.yaml", 2, 12,
	  "ecosystem 'fedoro' does not match the file name: expected 'fedora'" },
	{ "inherits-cycle", "debian.yaml", 3, 11, "inherits cycle: debian -> ubuntu -> debian" },
	{ "inherits-unknown", "ubuntu.yaml", 3, 11,
	  "'ubuntu' inherits unknown ecosystem 'debain'; did you mean 'debian'?" },
	{ "broken-yaml", "debian.yaml", 6, 23,
	  "did not find expected ',' or ']' (while parsing a flow sequence at 5:12)" },
	{ "unknown-release", "debian.yaml", 7, 7,
	  "unknown release '14' of debian (known: 11 (bullseye), 12 (bookworm), 13 (trixie))" },
	{ "specs-and-unavailable", "debian.yaml", 6, 5,
	  "'specs' and 'unavailable' exclude each other" },
	{ "version-value", "debian.yaml", 6, 14, "expected 'upstream' or 'none', found 'upstreem'" },
	{ "alias-mapping", "debian.yaml", 4, 3,
	  "'dep:github/xianyi/openblas' is an alias of 'dep:generic/openblas': map the canonical id" },
	{ "json-unknown-key", "conda-forge.mapping.json", 4, 32,
	  "unknown key 'spec' in a mapping; did you mean 'specs'?" },
	{ "json-broken", "registry.json", 3, 31,
	  "did not find expected ',' or '}' (while parsing a flow mapping at 3:5)" },
	{ "not-canonical", "registry.yaml", 3, 3,
	  "write 'pkg:generic/libbar' in canonical form: 'dep:generic/libbar'" },
	{ "missing-description", "registry.yaml", 3, 3, "'dep:generic/libbar' has no 'description'" },
};

static void test_bad_fixtures(void **state)
{
	for (size_t i = 0; i < N(bad_cases); i++) {
		const struct bad_case *c = &bad_cases[i];
		struct registry *reg = load_good();
		struct ed_diag d = { 0 };
		char dir[512], file[1024];
		int rc;

		snprintf(dir, sizeof dir, "%s/bad/%s", MAPS, c->dir);
		snprintf(file, sizeof file, "%s/%s", dir, c->file);
		rc = registry_load_dir(reg, dir, &d);
		if (!rc)
			rc = registry_check(reg, &d);
		if (rc != ED_EXIT_INPUT)
			fail_msg("%s: rc %d", c->dir, rc);
		if (strcmp(d.file, file) || d.line != c->line || d.col != c->col || strcmp(d.msg, c->msg))
			fail_msg("%s: got %s:%d:%d: %s", c->dir, d.file, d.line, d.col, d.msg);
		registry_free(reg);
	}
}

/* An alias two definitions name: the second is the error, pointing at the
 * first; the first of the errors in definition order is the one reported. */
static void test_alias_twice(void **state)
{
	static const char yaml[] = "schema: 1\n"
				   "dependencies:\n"
				   "  dep:generic/twice-a:\n"
				   "    description: first\n"
				   "    aliases: [other, twice]\n"
				   "  dep:generic/twice-b:\n"
				   "    description: second\n"
				   "    aliases: [twice, other]\n"
				   "  dep:generic/twice-c:\n"
				   "    description: third\n"
				   "    aliases: [twice]\n";
	struct registry *reg = registry_new();
	struct ed_diag d = { 0 };

	assert_int_equal(registry_load_buffer(reg, "x/registry.yaml", yaml, sizeof yaml - 1, &d), 0);
	assert_int_equal(registry_check(reg, &d), ED_EXIT_INPUT);
	assert_string_equal(d.file, "x/registry.yaml");
	assert_int_equal(d.line, 8);
	assert_int_equal(d.col, 15);
	assert_string_equal(d.msg, "alias 'twice' of 'dep:generic/twice-b' already names "
				   "'dep:generic/twice-a' (x/registry.yaml:5:22)");
	registry_free(reg);
}

/* dep:generic/NAME names the versioned alias NAME: no definition may take it. */
static void test_versioned_alias_shadowed(void **state)
{
	static const char yaml[] = "schema: 1\n"
				   "dependencies:\n"
				   "  dep:generic/cuda:\n"
				   "    description: the toolkit\n"
				   "  dep:generic/cuda12:\n"
				   "    description: the same, twice\n"
				   "aliases:\n"
				   "  cuda12: dep:generic/cuda@>=12,<13\n";
	struct registry *reg = registry_new();
	struct ed_diag d = { 0 };

	assert_int_equal(registry_load_buffer(reg, "x/registry.yaml", yaml, sizeof yaml - 1, &d), 0);
	assert_int_equal(registry_check(reg, &d), ED_EXIT_INPUT);
	assert_int_equal(d.line, 8);
	assert_string_equal(d.msg, "versioned alias 'cuda12' is also the definition 'dep:generic/cuda12'");
	registry_free(reg);
}

static const char vreg_yaml[] = "schema: 1\n"
				"dependencies:\n"
				"  dep:generic/cuda:\n"
				"    description: the toolkit\n"
				"  dep:generic/zlib:\n"
				"    description: zlib\n";
static const char veco_yaml[] = "schema: 1\n"
				"ecosystem: cf\n"
				"name: CF\n"
				"package_manager:\n"
				"  name: conda\n"
				"  install: [conda, install]\n"
				"  needs_root: false\n"
				"  constraint: \"{name} {op}{version}\"\n"
				"mappings:\n"
				"  dep:generic/cuda:\n"
				"    version: upstream\n"
				"    versions:\n"
				"      \">=12\":\n"
				"        specs:\n"
				"          host: [cuda-toolkit, cuda-version]\n"
				"          run: [cuda-version, \"__cuda (>=12)\"]\n"
				"      \"<12\":\n"
				"        specs: [cudatoolkit]\n"
				"  dep:generic/zlib:\n"
				"    specs: [zlib]\n"
				"    version: upstream\n"
				"    versions:\n"
				"      \"<1.2\":\n"
				"        unavailable: too old for this channel\n";

static struct registry *load_versions(void)
{
	struct registry *reg = registry_new();
	struct ed_diag d = { 0 };

	assert_int_equal(registry_load_buffer(reg, "v/registry.yaml", vreg_yaml, sizeof vreg_yaml - 1,
					      &d), 0);
	if (registry_load_buffer(reg, "v/cf.yaml", veco_yaml, sizeof veco_yaml - 1, &d) ||
	    registry_check(reg, &d))
		fail_msg("%s:%d:%d: %s", d.file, d.line, d.col, d.msg);
	return reg;
}

/* The packages with their rendered constraints, "a [c1 c2], b". */
static void pkgs_constraints(const struct reg_map *m, char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < m->npkgs; i++) {
		const struct reg_map_alt *alt = &m->pkgs[i].alts[0];
		used += (size_t)snprintf(buf + used, size - used, "%s%s", i ? ", " : "", alt->name);
		for (size_t c = 0; c < alt->nconstraints; c++)
			used += (size_t)snprintf(buf + used, size - used, "%s%s%s", c ? " " : " [",
						 alt->constraints[c],
						 c + 1 == alt->nconstraints ? "]" : "");
	}
}

static void expect_versioned(const struct registry *reg, const char *depurl, enum ed_stage stage,
			     const char *branch, const char *want)
{
	struct reg_map m;
	char buf[512];

	map(reg, "cf", depurl, stage, &m);
	assert_int_equal(m.status, REG_MAPPED);
	if (branch)
		assert_string_equal(m.branch, branch);
	else
		assert_null(m.branch);
	pkgs_constraints(&m, buf, sizeof buf);
	assert_string_equal(buf, want);
	reg_map_fini(&m);
}

/* `versions`: the first range that overlaps the dependency's picks the
 * packages; an alternative's own constraint replaces the dependency's. */
static void test_version_branches(void **state)
{
	struct registry *reg = load_versions();
	struct reg_map m;

	expect_versioned(reg, "dep:generic/cuda@>=11,<12", ED_STAGE_HOST, "<12",
			 "cudatoolkit [cudatoolkit >=11 cudatoolkit <12]");
	expect_versioned(reg, "dep:generic/cuda@>=12,<13", ED_STAGE_HOST, ">=12",
			 "cuda-toolkit [cuda-toolkit >=12 cuda-toolkit <13], "
			 "cuda-version [cuda-version >=12 cuda-version <13]");
	/* the driver takes its own lower bound, whatever the toolkit's range */
	expect_versioned(reg, "dep:generic/cuda@>=12.4,<13", ED_STAGE_RUN, ">=12",
			 "cuda-version [cuda-version >=12.4 cuda-version <13], __cuda [__cuda >=12]");
	/* a range across branches takes the first that overlaps it */
	expect_versioned(reg, "dep:generic/cuda@>=11", ED_STAGE_HOST, ">=12",
			 "cuda-toolkit [cuda-toolkit >=11], cuda-version [cuda-version >=11]");
	expect_versioned(reg, "dep:generic/cuda@==11.8", ED_STAGE_RUN, "<12",
			 "cudatoolkit [cudatoolkit ==11.8]");
	/* no constraint, no mapping of its own: the first branch */
	expect_versioned(reg, "dep:generic/cuda", ED_STAGE_HOST, ">=12", "cuda-toolkit, cuda-version");
	/* a mapping of its own serves what no branch covers */
	expect_versioned(reg, "dep:generic/zlib@>=1.3", ED_STAGE_HOST, NULL, "zlib [zlib >=1.3]");
	expect_versioned(reg, "dep:generic/zlib", ED_STAGE_HOST, NULL, "zlib");
	map(reg, "cf", "dep:generic/zlib@<1.1", ED_STAGE_HOST, &m);
	assert_int_equal(m.status, REG_UNAVAILABLE);
	assert_string_equal(m.reason, "too old for this channel");
	assert_string_equal(m.branch, "<1.2");
	assert_int_equal(m.source.line, 23);
	reg_map_fini(&m);
	registry_free(reg);
}

/* Broken `versions` and fixed constraints are refused where they are written. */
static void test_version_errors(void **state)
{
	static const struct {
		const char *body, *msg;
		int line, col;
	} cases[] = {
		{ "    specs: [zlib]\n    versions:\n      \">=x\":\n        specs: [z]\n",
		  "invalid version range '>=x':", 13, 8 },
		{ "    specs: [zlib]\n    versions:\n      \">=1\": {}\n",
		  "expected 'specs', 'version', 'unavailable' or 'repository'", 13, 14 },
		{ "    specs: [\"zlib (>=1\"]\n", "expected ')' after the constraint", 11, 23 },
		{ "    specs: [\"zlib (>=one)\"]\n", "invalid constraint in 'zlib (>=one)':", 11, 20 },
		{ "    specs: [\"(>=1)\"]\n", "empty package name", 11, 14 },
	};

	for (size_t i = 0; i < N(cases); i++) {
		char yaml[1024];
		struct registry *reg = registry_new();
		struct ed_diag d = { 0 };
		int n = snprintf(yaml, sizeof yaml,
				 "schema: 1\necosystem: cf\nname: CF\npackage_manager:\n"
				 "  name: conda\n  install: [conda, install]\n  needs_root: false\n"
				 "  constraint: \"{name} {op}{version}\"\nmappings:\n"
				 "  dep:generic/zlib:\n%s", cases[i].body);

		assert_int_equal(registry_load_buffer(reg, "v/cf.yaml", yaml, (size_t)n, &d),
				 ED_EXIT_INPUT);
		if (!strstr(d.msg, cases[i].msg) || d.line != cases[i].line || d.col != cases[i].col)
			fail_msg("case %zu: %d:%d: '%s', not %d:%d: '%s'", i, d.line, d.col, d.msg,
				 cases[i].line, cases[i].col, cases[i].msg);
		registry_free(reg);
	}
}

/* --- rules for whole DepURL types (`type_rules`) --- */

static const char rreg_yaml[] = "schema: 1\n"
				"dependencies:\n"
				"  dep:generic/zlib:\n"
				"    description: zlib\n"
				"  dep:cran/ggplot2:\n"
				"    description: a CRAN package with a name of its own\n";
static const char rdeb_yaml[] = "schema: 1\n"
				"ecosystem: deb\n"
				"name: Deb\n"
				"package_names: debian\n"
				"package_manager:\n"
				"  name: apt-get\n"
				"  install: [apt-get, install]\n"
				"  needs_root: true\n"
				"  constraint: \"{name} ({op} {version})\"\n"
				"type_rules:\n"
				"  cran:\n"
				"    specs: [\"r-cran-{name}\"]\n"
				"    case: lower\n"
				"    version: upstream\n"
				"  golang:\n"
				"    specs:\n"
				"      host: [\"golang-{namespace}-{name}-dev\"]\n"
				"      run: [\"{name}\"]\n"
				"    case: lower\n"
				"    replace: [[\".com/\", \"-\"], [\"/\", \"-\"]]\n"
				"  npm:\n"
				"    unavailable: not packaged by name\n"
				"mappings:\n"
				"  dep:cran/ggplot2:\n"
				"    specs: [r-cran-ggplot2-by-hand]\n";
static const char rder_yaml[] = "schema: 1\n"
				"ecosystem: der\n"
				"name: Der\n"
				"inherits: deb\n"
				"mappings: {}\n";
static const char rcf_yaml[] = "schema: 1\n"
			       "ecosystem: cf\n"
			       "name: CF\n"
			       "package_manager:\n"
			       "  name: conda\n"
			       "  install: [conda, install]\n"
			       "  needs_root: false\n"
			       "mappings: {}\n";

static struct registry *load_rules(void)
{
	static const char *const names[] = { "r/registry.yaml", "r/deb.yaml", "r/der.yaml", "r/cf.yaml" };
	const char *const texts[] = { rreg_yaml, rdeb_yaml, rder_yaml, rcf_yaml };
	struct registry *reg = registry_new();
	struct ed_diag d = { 0 };

	for (size_t i = 0; i < N(names); i++)
		if (registry_load_buffer(reg, names[i], texts[i], strlen(texts[i]), &d))
			fail_msg("%s:%d:%d: %s", d.file, d.line, d.col, d.msg);
	if (registry_check(reg, &d))
		fail_msg("%s:%d:%d: %s", d.file, d.line, d.col, d.msg);
	return reg;
}

static void expect_rule(const struct registry *reg, const char *tgt, const char *depurl,
			enum ed_stage stage, enum reg_status status, bool by_rule, const char *want)
{
	struct reg_map m;
	char buf[512];

	map(reg, tgt, depurl, stage, &m);
	if (m.status != status)
		fail_msg("%s on %s: %s, not %s", depurl, tgt, reg_status_name(m.status),
			 reg_status_name(status));
	pkgs_constraints(&m, buf, sizeof buf);
	if (want)
		assert_string_equal(buf, want);
	assert_int_equal(m.rule != NULL, by_rule);
	reg_map_fini(&m);
}

/* A rule names the packages of every DepURL of its type: templates filled
 * from the name and namespace, lower-cased and rewritten as it says, the
 * version translated; inherited; a DepURL's own mapping wins. */
static void test_type_rules(void **state)
{
	struct registry *reg = load_rules();
	struct reg_resolved rr;

	expect_rule(reg, "deb", "dep:cran/Nat.NBlast@>=1.2", ED_STAGE_RUN, REG_MAPPED, true,
		    "r-cran-nat.nblast [r-cran-nat.nblast (>= 1.2)]");
	expect_rule(reg, "deb", "dep:golang/github.com/junegunn/fzf", ED_STAGE_HOST, REG_MAPPED, true,
		    "golang-github-junegunn-fzf-dev");
	expect_rule(reg, "deb", "dep:golang/github.com/junegunn/fzf", ED_STAGE_RUN, REG_MAPPED, true,
		    "fzf");
	expect_rule(reg, "der", "dep:cran/nat", ED_STAGE_RUN, REG_MAPPED, true, "r-cran-nat");
	expect_rule(reg, "deb", "dep:cran/ggplot2", ED_STAGE_RUN, REG_MAPPED, false,
		    "r-cran-ggplot2-by-hand");
	expect_rule(reg, "deb", "dep:npm/left-pad", ED_STAGE_RUN, REG_UNAVAILABLE, true, "");
	/* a type another ecosystem covers is known, not mapped here */
	expect_rule(reg, "cf", "dep:cran/nat", ED_STAGE_RUN, REG_UNMAPPED, false, "");
	/* a definition of a ruled type that the target does not map */
	expect_rule(reg, "cf", "dep:cran/ggplot2", ED_STAGE_RUN, REG_UNMAPPED, false, "");
	/* no rule of any ecosystem covers gem */
	expect_rule(reg, "deb", "dep:gem/rails", ED_STAGE_RUN, REG_UNKNOWN, false, "");
	/* a name no Debian package may have is never made */
	expect_rule(reg, "deb", "dep:cran/a_b", ED_STAGE_RUN, REG_UNMAPPED, false, "");
	assert_int_equal(registry_resolve(reg, "dep:cran/nat", &rr, NULL), 0);
	assert_null(rr.def);
	assert_string_equal(rr.rule_type, "cran");
	assert_int_equal(registry_resolve(reg, "dep:gem/rails", &rr, NULL), ED_EXIT_INPUT);
	registry_free(reg);
}

/* Broken rules are refused where they are written. */
static void test_type_rule_errors(void **state)
{
	static const struct {
		const char *body, *msg;
		int line, col;
	} cases[] = {
		{ "  generic:\n    specs: [\"x-{name}\"]\n",
		  "'generic' is not a PURL type a rule may cover ([a-z][a-z0-9.+-]*, not generic or virtual)",
		  9, 3 },
		{ "  cran:\n    specs: [r-cran]\n", "'r-cran' does not contain {name}", 10, 12 },
		{ "  cran:\n    specs: [\"r-cran-{nam}\"]\n",
		  "'r-cran-{nam}': '{' is not allowed in a package name of cf", 10, 21 },
		{ "  cran:\n    specs: [\"r-{name}\"]\n    unavailable: no\n",
		  "a type rule has 'specs' or 'unavailable', one of the two", 9, 3 },
		{ "  cran:\n    specs: [\"r-{name}\"]\n    replace: [[\"\", \"-\"]]\n",
		  "expected [FROM, TO], FROM not empty", 11, 15 },
		{ "  cran:\n    specs: [\"r-{name}\"]\n    case: upper\n",
		  "expected 'keep' or 'lower', found 'upper'", 11, 11 },
	};

	for (size_t i = 0; i < N(cases); i++) {
		char yaml[1024];
		struct registry *reg = registry_new();
		struct ed_diag d = { 0 };
		int n = snprintf(yaml, sizeof yaml,
				 "schema: 1\necosystem: cf\nname: CF\npackage_manager:\n"
				 "  name: conda\n  install: [conda, install]\n  needs_root: false\n"
				 "type_rules:\n%smappings: {}\n", cases[i].body);

		assert_int_equal(registry_load_buffer(reg, "v/cf.yaml", yaml, (size_t)n, &d),
				 ED_EXIT_INPUT);
		if (!strstr(d.msg, cases[i].msg) || d.line != cases[i].line || d.col != cases[i].col)
			fail_msg("case %zu: %d:%d: '%s', not %d:%d: '%s'", i, d.line, d.col, d.msg,
				 cases[i].line, cases[i].col, cases[i].msg);
		registry_free(reg);
	}
}

/* An overlay's rule of a type replaces the earlier one. */
static void test_type_rule_overlay(void **state)
{
	static const char over[] = "schema: 1\necosystem: deb\n"
				   "type_rules:\n  cran:\n    specs: [\"r-other-{name}\"]\n"
				   "mappings: {}\n";
	struct registry *reg = load_rules();
	struct ed_diag d = { 0 };

	assert_int_equal(registry_load_buffer(reg, "o/deb.yaml", over, sizeof over - 1, &d), 0);
	assert_int_equal(registry_check(reg, &d), 0);
	/* its own rule entirely: no lower-casing, so an upper-case name is refused */
	expect_rule(reg, "deb", "dep:cran/nat", ED_STAGE_RUN, REG_MAPPED, true, "r-other-nat");
	expect_rule(reg, "deb", "dep:cran/Nat", ED_STAGE_RUN, REG_UNMAPPED, false, "");
	expect_rule(reg, "deb", "dep:golang/github.com/junegunn/fzf", ED_STAGE_RUN, REG_MAPPED, true,
		    "fzf");
	registry_free(reg);
}

static void test_load_default(void **state)
{
	static const char *const missing[] = { MAPS "/does-not-exist" };
	static const char *const good[] = { MAPS "/good" };
	struct registry *reg = registry_new();
	struct ed_diag d = { 0 };

	/* keep the user's and the system's overlays out */
	setenv("EXTDEPS_DATADIR", MAPS "/no-datadir", 1);
	setenv("XDG_CONFIG_HOME", MAPS "/no-config", 1);
	assert_int_equal(registry_load_default(reg, missing, 1, &d), ED_EXIT_INPUT);
	assert_string_equal(d.msg, "mapping directory '" MAPS "/does-not-exist' does not exist");
	registry_free(reg);
	/* the data dir is an overlay like any other */
	reg = registry_new();
	setenv("EXTDEPS_DATADIR", MAPS "/datadir", 1);
	assert_int_equal(registry_load_default(reg, good, 1, &d), 0);
	assert_non_null(registry_find(reg, "dep:generic/from-datadir"));
	registry_free(reg);
}

static void test_embedded(void **state)
{
	struct registry *reg = registry_new();
	struct ed_diag d = { 0 };
	struct reg_warnings w = { 0 };
	int rc = registry_load_embedded(reg, &d);

	if (!rc)
		rc = registry_validate(reg, &w, &d);
	if (rc)
		fail_msg("embedded: %s:%d:%d: %s", d.file, d.line, d.col, d.msg);
	/* the snapshot keeps PEP 804's ids: nixpkgs is "nix", debian its own */
	assert_string_equal(registry_find_ecosystem(reg, "nixpkgs")->pep804_id, "nix");
	assert_null(registry_find_ecosystem(reg, "debian")->pep804_id);
	for (size_t i = 0; i < w.count; i++)
		print_message("warning: %s:%d:%d: %s\n", w.items[i].file, w.items[i].line,
			      w.items[i].col, w.items[i].msg);
	reg_warnings_fini(&w);
	registry_free(reg);
}

static void test_coverage(void **state)
{
	struct registry *reg = load_good();
	struct reg_coverage c;
	struct ed_diag d = { 0 };
	size_t deb = 1, rare = 5;

	assert_int_equal(registry_coverage(reg, &c, &d), 0);
	assert_int_equal(c.ndefs, 10);
	assert_int_equal(c.necos, 4);
	assert_string_equal(c.eco_ids[deb], "debian");
	assert_string_equal(c.def_ids[rare], "dep:generic/rare");
	assert_int_equal(c.cells[rare * c.necos + deb], REG_COV_UNAVAILABLE);
	assert_int_equal(c.cells[rare * c.necos + 0], REG_COV_MISSING);
	/* debian: openblas, libfoo, zlib, gcc, blas and lapack (via openblas),
	 * compiler/c (via gcc) mapped; cuda and rare unavailable; blis missing */
	assert_int_equal(c.per_eco[deb][REG_COV_MAPPED], 7);
	assert_int_equal(c.per_eco[deb][REG_COV_UNAVAILABLE], 2);
	assert_int_equal(c.per_eco[deb][REG_COV_MISSING], 1);
	assert_int_equal(c.totals[REG_COV_MAPPED] + c.totals[REG_COV_UNAVAILABLE] +
				 c.totals[REG_COV_MISSING],
			 40);
	reg_coverage_fini(&c);
	registry_free(reg);
}

/* Compare two entries field by field. */
static void assert_entry_equal(const struct reg_entry *a, const struct reg_entry *b)
{
	assert_int_equal(a->has_specs, b->has_specs);
	assert_int_equal(a->version, b->version);
	if (a->unavailable || b->unavailable) {
		assert_non_null(a->unavailable);
		assert_non_null(b->unavailable);
		assert_string_equal(a->unavailable, b->unavailable);
	}
	for (int s = 0; s < ED_STAGE_COUNT; s++) {
		assert_int_equal(a->has_stage[s], b->has_stage[s]);
		assert_int_equal(a->stages[s].count, b->stages[s].count);
		for (size_t i = 0; i < a->stages[s].count; i++) {
			assert_int_equal(a->stages[s].items[i].nalts, b->stages[s].items[i].nalts);
			for (size_t k = 0; k < a->stages[s].items[i].nalts; k++)
				assert_string_equal(a->stages[s].items[i].alts[k],
						    b->stages[s].items[i].alts[k]);
		}
	}
}

static void export_to(const struct registry *reg, const char *eco, const char *path)
{
	struct ed_diag d = { 0 };
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	if (registry_export_pep804(reg, eco, f, &d))
		fail_msg("export %s: %s", eco ? eco : "registry", d.msg);
	assert_int_equal(fclose(f), 0);
}

static void test_pep804_round_trip(void **state)
{
	struct registry *reg = load_good(), *back = registry_new();
	char dir[] = "/tmp/extdeps-test-XXXXXX", path[256];
	struct ed_diag d = { 0 };

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/registry.json", dir);
	export_to(reg, NULL, path);
	for (size_t e = 0; e < registry_necosystems(reg); e++) {
		const char *id = registry_ecosystem_at(reg, e)->id;
		snprintf(path, sizeof path, "%s/%s.mapping.json", dir, id);
		export_to(reg, id, path);
	}
	if (registry_load_dir(back, dir, &d))
		fail_msg("%s:%d:%d: %s", d.file, d.line, d.col, d.msg);
	/* definitions: ids, descriptions, provides, DepURL aliases */
	assert_int_equal(registry_ndefs(back), registry_ndefs(reg));
	for (size_t i = 0; i < registry_ndefs(reg); i++) {
		const struct reg_def *a = registry_def_at(reg, i), *b = registry_def_at(back, i);
		assert_string_equal(a->id, b->id);
		assert_string_equal(a->description, b->description);
		assert_int_equal(a->nprovides, b->nprovides);
		for (size_t k = 0; k < a->nprovides; k++)
			assert_string_equal(a->provides[k], b->provides[k]);
	}
	assert_non_null(registry_find_mapping(registry_find_ecosystem(back, "debian"), "dep:generic/openblas"));
	{
		struct reg_resolved r;
		assert_int_equal(registry_resolve(back, "dep:github/xianyi/openblas", &r, &d), 0);
		assert_string_equal(r.def->id, "dep:generic/openblas");
	}
	/* mappings: each ecosystem's own entries, and what it inherits */
	for (size_t e = 0; e < registry_necosystems(reg); e++) {
		const struct reg_ecosystem *ea = registry_ecosystem_at(reg, e);
		const struct reg_ecosystem *eb = registry_find_ecosystem(back, ea->id);
		const struct reg_pm *pa, *pb;
		struct reg_target ta = target(reg, ea->id), tb = { eb, NULL, false };
		assert_non_null(eb);
		for (size_t i = 0; i < registry_ndefs(reg); i++) {
			const char *id = registry_def_at(reg, i)->id;
			const struct reg_mapping *a = registry_find_mapping(ea, id);
			const struct reg_mapping *b = registry_find_mapping(eb, id);
			if (!a && ea->inherits)
				a = registry_find_mapping(registry_find_ecosystem(reg, ea->inherits), id);
			if (!a) {
				assert_null(b);
				continue;
			}
			assert_non_null(b);
			assert_entry_equal(&a->base, &b->base);
			if (!ea->inherits || registry_find_mapping(ea, id)) {
				assert_int_equal(a->nreleases, b->nreleases);
				for (size_t r = 0; r < a->nreleases; r++) {
					assert_string_equal(a->releases[r].release, b->releases[r].release);
					assert_entry_equal(&a->releases[r].entry, &b->releases[r].entry);
				}
			}
		}
		pa = registry_package_manager(reg, &ta);
		pb = registry_package_manager(back, &tb);
		assert_string_equal(pa->name, pb->name);
		assert_int_equal(pa->needs_root, pb->needs_root);
		assert_int_equal(pa->ninstall, pb->ninstall);
		if (pa->constraint) {
			/* the constraint renders the same */
			for (enum pep440_op op = PEP440_EQ; op <= PEP440_GE; op++) {
				const char *oa = pep440_op_str(op), *ob = oa;
				char *ra, *rb;
				if (op == PEP440_NE)
					continue;
				for (size_t k = 0; k < pa->noperators; k++)
					if (pa->operators[k].op == op)
						oa = pa->operators[k].text;
				for (size_t k = 0; k < pb->noperators; k++)
					if (pb->operators[k].op == op)
						ob = pb->operators[k].text;
				ra = registry_render(pa->constraint, "x", oa, "1");
				rb = registry_render(pb->constraint, "x", ob, "1");
				assert_string_equal(ra, rb);
				free(ra);
				free(rb);
			}
		}
	}
	for (size_t e = 0; e < registry_necosystems(reg); e++) {
		snprintf(path, sizeof path, "%s/%s.mapping.json", dir, registry_ecosystem_at(reg, e)->id);
		unlink(path);
	}
	snprintf(path, sizeof path, "%s/registry.json", dir);
	unlink(path);
	rmdir(dir);
	registry_free(back);
	registry_free(reg);
}

/* An overlay that lists releases adds to the ecosystem's releases: the
 * overrides of earlier files stay valid. */
static void test_overlay_releases_merge(void **state)
{
	struct registry *reg = registry_new();
	struct ed_diag d = { 0 };
	struct reg_target t;
	static const char base[] = "schema: 1\necosystem: debian\nname: Debian\n"
				   "releases: {\"11\": bullseye, \"12\": bookworm}\n"
				   "package_manager: {name: apt-get, install: [apt-get, install], needs_root: true}\n"
				   "mappings: {}\n";
	static const char overlay[] = "schema: 1\necosystem: debian\n"
				      "releases: {\"12\": bookworm, \"14\": forky}\nmappings: {}\n";

	assert_int_equal(registry_load_buffer(reg, "debian.yaml", base, sizeof base - 1, &d), 0);
	assert_int_equal(registry_load_buffer(reg, "debian.yaml", overlay, sizeof overlay - 1, &d), 0);
	assert_int_equal(registry_find_ecosystem(reg, "debian")->nreleases, 3);
	assert_int_equal(registry_parse_target(reg, "debian:bullseye", &t, &d), 0);
	assert_string_equal(t.release, "11");
	assert_int_equal(registry_parse_target(reg, "debian:forky", &t, &d), 0);
	assert_string_equal(t.release, "14");
	registry_free(reg);
}

/* JSON strings the export writes are read back byte for byte. */
static void test_pep804_escapes(void **state)
{
	struct registry *reg = registry_new(), *back = registry_new();
	static const char yaml[] = "schema: 1\ndependencies:\n  dep:generic/x:\n"
				   "    description: \"q\\\" b\\\\ s/ t\\t nl\\n u\\u00e9 e\\U0001F600 c\\x01\"\n";
	struct ed_diag d = { 0 };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_int_equal(registry_load_buffer(reg, "registry.yaml", yaml, sizeof yaml - 1, &d), 0);
	assert_int_equal(registry_export_pep804(reg, NULL, f, &d), 0);
	fclose(f);
	if (registry_load_buffer(back, "registry.json", buf, len, &d))
		fail_msg("%s\n%d:%d: %s", buf, d.line, d.col, d.msg);
	assert_string_equal(registry_find(back, "dep:generic/x")->description,
			    registry_find(reg, "dep:generic/x")->description);
	free(buf);
	registry_free(back);
	registry_free(reg);
}

static void test_buffer_errors(void **state)
{
	struct registry *reg = registry_new();
	struct ed_diag d = { 0 };
	static const char bad_utf8[] = "schema: 1\ndependencies:\n  \xff: x\n";

	assert_int_equal(registry_load_buffer(reg, "registry.yaml", "", 0, &d), ED_EXIT_INPUT);
	assert_string_equal(d.msg, "empty document");
	assert_int_equal(registry_load_buffer(reg, "registry.yaml", "- a\n", 4, &d), ED_EXIT_INPUT);
	assert_string_equal(d.msg, "expected a mapping at the top, found a list");
	assert_int_equal(registry_load_buffer(reg, "registry.yaml", "schema: 2\ndependencies: {}\n", 27, &d),
			 ED_EXIT_INPUT);
	assert_string_equal(d.msg, "unsupported schema '2': expected 1");
	assert_int_equal(registry_load_buffer(reg, "registry.yaml", bad_utf8, sizeof bad_utf8 - 1, &d),
			 ED_EXIT_INPUT);
	assert_int_equal(d.line, 3);
	assert_int_equal(d.col, 3);
	assert_string_equal(d.msg, "invalid leading UTF-8 octet");
	assert_int_equal(registry_load_buffer(reg, "notes.txt", "a: 1\n", 5, &d), ED_EXIT_INPUT);
	registry_free(reg);
}

/* Load NAME (TEXT) into REG: expect RC and, when it fails, the error at
 * LINE:COL saying MSG. */
#define DEBIAN_NAMES "(allowed: [a-z0-9][a-z0-9+.-]*)"

/* `package_names`: written in a file, inherited from the parent that
 * writes it (at any depth), overridden by a child, refused when unknown. */
static void test_package_names(void **state)
{
	struct registry *reg = load_good();
	struct ed_diag d = { 0 };

	assert_int_equal(registry_find_ecosystem(reg, "debian")->names, REG_NAMES_DEBIAN);
	assert_int_equal(registry_find_ecosystem(reg, "ubuntu")->names, REG_NAMES_UNSET);
	assert_int_equal(registry_find_ecosystem(reg, "fedora")->names, REG_NAMES_UNSET);
	/* ubuntu inherits debian's */
	expect_load(reg, "x/ubuntu.yaml",
		    "schema: 1\necosystem: ubuntu\nmappings:\n  dep:generic/zlib:\n"
		    "    specs: [zlib1g-dev | libFoo-dev]\n",
		    ED_EXIT_INPUT, 5, 29,
		    "'libFoo-dev': 'F' is not allowed in a package name of ubuntu " DEBIAN_NAMES);
	/* and what inherits ubuntu, ubuntu's */
	expect_load(reg, "x/mint.yaml",
		    "schema: 1\necosystem: mint\nname: Mint\ninherits: ubuntu\nmappings:\n"
		    "  dep:generic/zlib: {specs: [Zlib]}\n",
		    ED_EXIT_INPUT, 6, 30,
		    "'Zlib': 'Z' is not allowed in a package name of mint " DEBIAN_NAMES);
	/* a child may say otherwise */
	expect_load(reg, "x/raspbian.yaml",
		    "schema: 1\necosystem: raspbian\nname: Raspbian\ninherits: debian\n"
		    "package_names: default\nmappings:\n  dep:generic/zlib: {specs: [Zlib_dev]}\n",
		    0, 0, 0, NULL);
	assert_int_equal(registry_find_ecosystem(reg, "raspbian")->names, REG_NAMES_DEFAULT);
	/* fedora writes none: the default, paths included */
	expect_load(reg, "x/fedora.yaml",
		    "schema: 1\necosystem: fedora\nmappings:\n"
		    "  dep:generic/zlib: {specs: [Zlib_dev | /usr/lib64/libz.so]}\n",
		    0, 0, 0, NULL);
	assert_int_equal(registry_check(reg, &d), 0);
	/* apk: Alpine's lower-case names, or a name its packages provide */
	expect_load(reg, "x/alpine.yaml",
		    "schema: 1\necosystem: alpine\nname: Alpine\npackage_names: apk\n"
		    "package_manager: {name: apk, install: [apk, add], needs_root: true}\nmappings:\n"
		    "  dep:generic/zlib: {specs: [zlib-dev | pc:zlib | so:libz.so.1 | cmd:gtk+_Q]}\n",
		    0, 0, 0, NULL);
	assert_int_equal(registry_find_ecosystem(reg, "alpine")->names, REG_NAMES_APK);
	expect_load(reg, "x/alpine.yaml",
		    "schema: 1\necosystem: alpine\nmappings:\n  dep:generic/zlib: {specs: [Zlib]}\n",
		    ED_EXIT_INPUT, 4, 30,
		    "'Zlib': 'Z' is not allowed in a package name of alpine (allowed: "
		    "[a-z0-9][a-z0-9_.+-]*, or so:, pc: or cmd: then [A-Za-z0-9_][A-Za-z0-9_.+-]*)");
	expect_load(reg, "x/alpine.yaml",
		    "schema: 1\necosystem: alpine\nmappings:\n  dep:generic/zlib: {specs: [\"pc:\"]}\n",
		    ED_EXIT_INPUT, 4, 33,
		    "'pc:': ':' is not allowed in a package name of alpine (allowed: "
		    "[a-z0-9][a-z0-9_.+-]*, or so:, pc: or cmd: then [A-Za-z0-9_][A-Za-z0-9_.+-]*)");
	expect_load(reg, "x/alpine.yaml",
		    "schema: 1\necosystem: alpine\nmappings:\n  dep:generic/zlib: {specs: [pc:a@b]}\n",
		    ED_EXIT_INPUT, 4, 34,
		    "'pc:a@b': '@' is not allowed in a package name of alpine (allowed: "
		    "[a-z0-9][a-z0-9_.+-]*, or so:, pc: or cmd: then [A-Za-z0-9_][A-Za-z0-9_.+-]*)");
	expect_load(reg, "x/fedora.yaml",
		    "schema: 1\necosystem: fedora\npackage_names: suse\nmappings: {}\n",
		    ED_EXIT_INPUT, 3, 16, "expected 'debian', 'default' or 'apk', found 'suse'");
	expect_load(reg, "x/fedora.yaml",
		    "schema: 1\necosystem: fedora\npackage_names: [debian]\nmappings: {}\n",
		    ED_EXIT_INPUT, 3, 16, "expected 'debian', 'default' or 'apk', found 'a list'");
	expect_load(reg, "x/fedora.yaml",
		    "schema: 1\necosystem: fedora\npackage_name: debian\nmappings: {}\n",
		    ED_EXIT_INPUT, 3, 1,
		    "unknown key 'package_name' in an ecosystem file; did you mean 'package_names'?");
	registry_free(reg);
}

/* `export_formats`: the formats whose names an ecosystem's mappings give. */
static void test_export_formats(void **state)
{
	struct registry *reg = load_good();
	const struct reg_ecosystem *e;

	expect_load(reg, "x/raspbian.yaml",
		    "schema: 1\necosystem: raspbian\nname: Raspbian\ninherits: debian\n"
		    "mappings: {}\nexport_formats: [debian-control, raspbian-control]\n",
		    0, 0, 0, NULL);
	e = registry_find_ecosystem(reg, "raspbian");
	assert_int_equal(e->nexport_formats, 2);
	assert_string_equal(e->export_formats[1], "raspbian-control");
	expect_load(reg, "x/fedora.yaml",
		    "schema: 1\necosystem: fedora\nmappings: {}\nexport_formats: [RPM spec]\n",
		    ED_EXIT_INPUT, 4, 17,
		    "'RPM spec' is not a format name (lower-case letters and '-')");
	expect_load(reg, "x/fedora.yaml",
		    "schema: 1\necosystem: fedora\nmappings: {}\nexport_formats: rpm-spec\n",
		    ED_EXIT_INPUT, 4, 17, "expected a list of strings, found a scalar");
	registry_free(reg);
}

/* `pep804_id`: PEP 804's name of an ecosystem, whose ID.mapping.json
 * documents (the central registry's files) add mappings to it and leave its
 * name and package manager alone. */
static void test_pep804_id(void **state)
{
	static const char doc[] =
		"{\"schema_version\": 1, \"name\": \"Other\", \"mappings\": [\n"
		"  {\"id\": \"dep:generic/zlib\", \"specs\": \"zlib-nx\"}],\n"
		" \"package_managers\": [{\"name\": \"other\", \"commands\": {\"install\":\n"
		"  {\"command\": [\"other\", \"{}\"], \"requires_elevation\": true}},\n"
		"  \"specifier_syntax\": {\"name_only\": [\"{name}\"], \"exact_version\": null,\n"
		"   \"version_ranges\": null}}]}\n";
	struct registry *reg = load_good();
	const struct reg_ecosystem *e;
	struct reg_map m;
	char buf[64];

	expect_load(reg, "x/nixos.yaml",
		    "schema: 1\necosystem: nixos\nname: NixOS\n"
		    "package_manager: {name: nix, install: [nix, profile, install], needs_root: false}\n"
		    "mappings: {}\npep804_id: nx\n",
		    0, 0, 0, NULL);
	expect_load(reg, "x/nx.mapping.json", doc, 0, 0, 0, NULL);
	expect_load(reg, "x/nx+1.mapping.json", doc, 0, 0, 0, NULL);
	assert_null(registry_find_ecosystem(reg, "nx"));
	e = registry_find_ecosystem(reg, "nixos");
	assert_string_equal(e->pep804_id, "nx");
	assert_string_equal(e->name, "NixOS");
	assert_string_equal(e->pm.name, "nix");
	assert_false(e->pm.needs_root);
	map(reg, "nixos", "dep:generic/zlib", ED_STAGE_HOST, &m);
	pkgs_str(&m, buf, sizeof buf);
	assert_string_equal(buf, "zlib-nx");
	assert_string_equal(m.source.file, "x/nx.mapping.json");
	reg_map_fini(&m);
	assert_int_equal(registry_find_mapping(e, "dep:generic/zlib")->nreleases, 1);
	/* a document of an id no ecosystem claims makes that ecosystem, named
	 * and with the package manager it gives */
	expect_load(reg, "x/other.mapping.json", doc, 0, 0, 0, NULL);
	e = registry_find_ecosystem(reg, "other");
	assert_string_equal(e->name, "Other");
	assert_string_equal(e->pm.name, "other");
	expect_load(reg, "x/nixos.yaml", "schema: 1\necosystem: nixos\nmappings: {}\npep804_id: Nix\n",
		    ED_EXIT_INPUT, 4, 12,
		    "'Nix' is not a PEP 804 ecosystem id (lower-case letters, digits, '.', '_' and "
		    "'-', from a letter or digit)");
	expect_load(reg, "x/nixos.yaml", "schema: 1\necosystem: nixos\nmappings: {}\npep804_id: a+b\n",
		    ED_EXIT_INPUT, 4, 12,
		    "'a+b' is not a PEP 804 ecosystem id (lower-case letters, digits, '.', '_' and "
		    "'-', from a letter or digit)");
	registry_free(reg);
}

/* A file read before the parent that gives its rule: its names are checked
 * by registry_check(), at the mapping. */
static void test_package_names_later(void **state)
{
	struct registry *reg = load_good();
	struct ed_diag d = { 0 };

	expect_load(reg, "x/aaa.yaml",
		    "schema: 1\necosystem: aaa\nname: A\ninherits: zzz\nmappings:\n"
		    "  dep:generic/zlib: {specs: [zlib1g-dev]}\n"
		    "  dep:generic/openblas:\n    releases: {\"1\": {specs: [libOpenblas-dev]}}\n",
		    0, 0, 0, NULL);
	expect_load(reg, "x/zzz.yaml",
		    "schema: 1\necosystem: zzz\nname: Z\nreleases: {\"1\": one}\n"
		    "package_names: debian\n"
		    "package_manager: {name: x, install: [x], needs_root: false}\nmappings: {}\n",
		    0, 0, 0, NULL);
	assert_int_equal(registry_check(reg, &d), ED_EXIT_INPUT);
	assert_string_equal(d.file, "x/aaa.yaml");
	assert_int_equal(d.line, 8);
	assert_int_equal(d.col, 16);
	assert_string_equal(d.msg, "'libOpenblas-dev': 'O' is not allowed in a package name of aaa "
				   DEBIAN_NAMES);
	registry_free(reg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_loads),
		cmocka_unit_test(test_alternatives_and_stages),
		cmocka_unit_test(test_stage_used),
		cmocka_unit_test(test_release_override),
		cmocka_unit_test(test_inheritance),
		cmocka_unit_test(test_python_dev_of_the_python),
		cmocka_unit_test(test_virtual),
		cmocka_unit_test(test_virtual_unavailable),
		cmocka_unit_test(test_versions),
		cmocka_unit_test(test_statuses),
		cmocka_unit_test(test_aliases),
		cmocka_unit_test(test_expand_alias),
		cmocka_unit_test(test_versioned_alias_shadowed),
		cmocka_unit_test(test_version_branches),
		cmocka_unit_test(test_version_errors),
		cmocka_unit_test(test_type_rules),
		cmocka_unit_test(test_type_rule_errors),
		cmocka_unit_test(test_type_rule_overlay),
		cmocka_unit_test(test_targets),
		cmocka_unit_test(test_overlay),
		cmocka_unit_test(test_bad_fixtures),
		cmocka_unit_test(test_load_default),
		cmocka_unit_test(test_embedded),
		cmocka_unit_test(test_alias_twice),
		cmocka_unit_test(test_coverage),
		cmocka_unit_test(test_pep804_round_trip),
		cmocka_unit_test(test_pep804_escapes),
		cmocka_unit_test(test_buffer_errors),
		cmocka_unit_test(test_overlay_releases_merge),
		cmocka_unit_test(test_package_names),
		cmocka_unit_test(test_package_names_later),
		cmocka_unit_test(test_export_formats),
		cmocka_unit_test(test_pep804_id),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
