/* Unit tests for the compiled-in registry (the snapshot tools/snapshot.c
 * writes at build time): it equals a fresh load of the YAML of mappings/, field by
 * field and as PEP 804 exports; loading part of it; overlays on top of it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "extdeps/map/registry.h"

#define MAPPINGS SRCDIR "/mappings"

static const char *const files[] = { "registry.yaml", "almalinux.yaml", "alpine.yaml", "arch.yaml",
				     "centos.yaml",   "conda-forge.yaml", "debian.yaml",
				     "el.yaml",       "fedora.yaml",    "homebrew.yaml",
				     "nixpkgs.yaml",  "ol.yaml",        "opensuse.yaml", "pypi.yaml",
				     "rhel.yaml",     "rocky.yaml",     "ubuntu.yaml" };

/* mappings/ as the build loads it: registry.yaml first, named "mappings/X". */
static struct registry *load_yaml(void)
{
	struct registry *reg = registry_new();
	struct ed_diag d = { 0 };
	char path[4096], name[300];

	assert_non_null(reg);
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		FILE *f;
		char *text;
		long len;
		snprintf(path, sizeof path, "%s/%s", MAPPINGS, files[i]);
		snprintf(name, sizeof name, "mappings/%s", files[i]);
		f = fopen(path, "rb");
		assert_non_null(f);
		assert_int_equal(fseek(f, 0, SEEK_END), 0);
		len = ftell(f);
		rewind(f);
		text = malloc((size_t)len + 1);
		assert_non_null(text);
		assert_int_equal(fread(text, 1, (size_t)len, f), (size_t)len);
		fclose(f);
		if (registry_load_buffer(reg, name, text, (size_t)len, &d))
			fail_msg("%s:%d:%d: %s", d.file, d.line, d.col, d.msg);
		free(text);
	}
	if (registry_check(reg, &d))
		fail_msg("%s:%d:%d: %s", d.file, d.line, d.col, d.msg);
	return reg;
}

static struct registry *load_snapshot(const char *ecosystem)
{
	struct registry *reg = registry_new();
	struct ed_diag d = { 0 };

	assert_non_null(reg);
	assert_int_equal(registry_load_embedded_for(reg, ecosystem, &d), 0);
	return reg;
}

/* --- field by field --- */

static void eq_str(const char *a, const char *b, const char *what)
{
	if (!a || !b) {
		if (a != b)
			fail_msg("%s: '%s' vs '%s'", what, a ? a : "(null)", b ? b : "(null)");
		return;
	}
	if (strcmp(a, b))
		fail_msg("%s: '%s' vs '%s'", what, a, b);
}

static void eq_loc(const struct reg_loc *a, const struct reg_loc *b, const char *what)
{
	eq_str(a->file, b->file, what);
	if (a->line != b->line || a->col != b->col)
		fail_msg("%s: %d:%d vs %d:%d", what, a->line, a->col, b->line, b->col);
}

static void eq_strv(char *const *a, size_t na, char *const *b, size_t nb, const char *what)
{
	if (na != nb)
		fail_msg("%s: %zu vs %zu items", what, na, nb);
	for (size_t i = 0; i < na; i++)
		eq_str(a[i], b[i], what);
}

static void eq_locs(const struct reg_loc *a, const struct reg_loc *b, size_t n, const char *what)
{
	if (!a || !b) {
		if (n && a != b)
			fail_msg("%s: locations missing", what);
		return;
	}
	for (size_t i = 0; i < n; i++)
		eq_loc(&a[i], &b[i], what);
}

static void eq_specs(const struct reg_spec_list *a, const struct reg_spec_list *b,
		     const char *what)
{
	if (a->count != b->count)
		fail_msg("%s: %zu vs %zu specs", what, a->count, b->count);
	for (size_t i = 0; i < a->count; i++) {
		const struct reg_spec *x = &a->items[i], *y = &b->items[i];
		eq_strv(x->alts, x->nalts, y->alts, y->nalts, what);
		assert_int_equal(x->fixed != NULL, y->fixed != NULL);
		for (size_t k = 0; x->fixed && k < x->nalts; k++)
			eq_str(x->fixed[k], y->fixed[k], what);
	}
}

static void eq_entry(const struct reg_entry *a, const struct reg_entry *b, const char *what)
{
	assert_int_equal(a->has_specs, b->has_specs);
	for (int s = 0; s < ED_STAGE_COUNT; s++) {
		assert_int_equal(a->has_stage[s], b->has_stage[s]);
		eq_specs(&a->stages[s], &b->stages[s], what);
		/* a plain list serves every stage: one list, as loaded */
		for (int t = 0; t < s; t++)
			assert_int_equal(a->stages[s].count && a->stages[s].items == a->stages[t].items,
					 b->stages[s].count && b->stages[s].items == b->stages[t].items);
	}
	assert_int_equal(a->version, b->version);
	eq_str(a->unavailable, b->unavailable, what);
	eq_str(a->repository, b->repository, what);
	eq_loc(&a->repository_loc, &b->repository_loc, what);
}

static void eq_branches(const struct reg_version_entry *a, size_t na,
			const struct reg_version_entry *b, size_t nb, const char *what)
{
	assert_int_equal(na, nb);
	for (size_t i = 0; i < na; i++) {
		eq_str(a[i].range, b[i].range, what);
		eq_entry(&a[i].entry, &b[i].entry, what);
		eq_loc(&a[i].loc, &b[i].loc, what);
	}
}

static void eq_mapping(const struct reg_mapping *a, const struct reg_mapping *b)
{
	eq_str(a->id, b->id, "mapping id");
	eq_str(a->description, b->description, a->id);
	eq_str(a->specs_from, b->specs_from, a->id);
	eq_loc(&a->specs_from_loc, &b->specs_from_loc, a->id);
	eq_entry(&a->base, &b->base, a->id);
	assert_int_equal(a->nreleases, b->nreleases);
	for (size_t i = 0; i < a->nreleases; i++) {
		eq_str(a->releases[i].release, b->releases[i].release, a->id);
		eq_entry(&a->releases[i].entry, &b->releases[i].entry, a->id);
		eq_branches(a->releases[i].versions, a->releases[i].nversions,
			    b->releases[i].versions, b->releases[i].nversions, a->id);
		eq_loc(&a->releases[i].loc, &b->releases[i].loc, a->id);
	}
	eq_branches(a->versions, a->nversions, b->versions, b->nversions, a->id);
	eq_loc(&a->loc, &b->loc, a->id);
}

static void eq_eco(const struct reg_ecosystem *a, const struct reg_ecosystem *b)
{
	eq_str(a->id, b->id, "ecosystem id");
	eq_str(a->name, b->name, a->id);
	eq_str(a->inherits, b->inherits, a->id);
	eq_loc(&a->inherits_loc, &b->inherits_loc, a->id);
	assert_int_equal(a->nreleases, b->nreleases);
	for (size_t i = 0; i < a->nreleases; i++) {
		eq_str(a->releases[i].number, b->releases[i].number, a->id);
		eq_str(a->releases[i].codename, b->releases[i].codename, a->id);
	}
	eq_str(a->default_release, b->default_release, a->id);
	assert_int_equal(a->names, b->names);
	assert_int_equal(a->has_pm, b->has_pm);
	eq_str(a->pm.name, b->pm.name, a->id);
	eq_strv(a->pm.install, a->pm.ninstall, b->pm.install, b->pm.ninstall, a->id);
	assert_int_equal(a->pm.needs_root, b->pm.needs_root);
	eq_str(a->pm.constraint, b->pm.constraint, a->id);
	eq_str(a->pm.install_constraint, b->pm.install_constraint, a->id);
	eq_str(a->pm.pin, b->pm.pin, a->id);
	assert_int_equal(a->pm.noperators, b->pm.noperators);
	for (size_t i = 0; i < a->pm.noperators; i++) {
		assert_int_equal(a->pm.operators[i].op, b->pm.operators[i].op);
		eq_str(a->pm.operators[i].text, b->pm.operators[i].text, a->id);
	}
	assert_int_equal(a->has_python_dev, b->has_python_dev);
	eq_specs(&a->python_dev, &b->python_dev, a->id);
	assert_int_equal(a->nrepositories, b->nrepositories);
	for (size_t i = 0; i < a->nrepositories; i++) {
		const struct reg_repository *x = &a->repositories[i], *y = &b->repositories[i];
		eq_str(x->id, y->id, a->id);
		eq_str(x->name, y->name, x->id);
		eq_str(x->component, y->component, x->id);
		eq_str(x->url, y->url, x->id);
		eq_str(x->suite, y->suite, x->id);
		eq_str(x->keyring, y->keyring, x->id);
		assert_int_equal(x->nenable, y->nenable);
		for (size_t k = 0; k < x->nenable; k++) {
			size_t n = 0, m = 0;
			while (x->enable[k][n])
				n++;
			while (y->enable[k][m])
				m++;
			eq_strv(x->enable[k], n, y->enable[k], m, x->id);
		}
		eq_loc(&x->loc, &y->loc, x->id);
	}
	assert_int_equal(a->nrules, b->nrules);
	for (size_t i = 0; i < a->nrules; i++) {
		const struct reg_rule *x = &a->rules[i], *y = &b->rules[i];
		eq_str(x->type, y->type, a->id);
		eq_entry(&x->entry, &y->entry, x->type);
		assert_int_equal(x->lower, y->lower);
		eq_strv(x->replace, x->nreplace, y->replace, y->nreplace, x->type);
		eq_loc(&x->loc, &y->loc, x->type);
	}
	assert_int_equal(a->nmappings, b->nmappings);
	for (size_t i = 0; i < a->nmappings; i++)
		eq_mapping(&a->mappings[i], &b->mappings[i]);
	eq_loc(&a->loc, &b->loc, a->id);
}

static void eq_registry(const struct registry *a, const struct registry *b)
{
	assert_int_equal(registry_ndefs(a), registry_ndefs(b));
	for (size_t i = 0; i < registry_ndefs(a); i++) {
		const struct reg_def *x = registry_def_at(a, i), *y = registry_def_at(b, i);
		eq_str(x->id, y->id, "definition id");
		eq_str(x->description, y->description, x->id);
		eq_str(x->versioning, y->versioning, x->id);
		eq_strv(x->provides, x->nprovides, y->provides, y->nprovides, x->id);
		eq_locs(x->provides_locs, y->provides_locs, x->nprovides, x->id);
		eq_strv(x->aliases, x->naliases, y->aliases, y->naliases, x->id);
		eq_locs(x->alias_locs, y->alias_locs, x->naliases, x->id);
		eq_strv(x->pkgconfig, x->npkgconfig, y->pkgconfig, y->npkgconfig, x->id);
		eq_strv(x->executables, x->nexecutables, y->executables, y->nexecutables, x->id);
		eq_strv(x->env, x->nenv, y->env, y->nenv, x->id);
		eq_strv(x->files, x->nfiles, y->files, y->nfiles, x->id);
		eq_loc(&x->loc, &y->loc, x->id);
	}
	assert_int_equal(registry_naliases(a), registry_naliases(b));
	for (size_t i = 0; i < registry_naliases(a); i++) {
		const struct reg_alias *x = registry_alias_at(a, i), *y = registry_alias_at(b, i);
		eq_str(x->name, y->name, "alias");
		eq_str(x->id, y->id, x->name);
		eq_str(x->version, y->version, x->name);
		eq_loc(&x->loc, &y->loc, x->name);
	}
	assert_int_equal(registry_necosystems(a), registry_necosystems(b));
	for (size_t i = 0; i < registry_necosystems(a); i++)
		eq_eco(registry_ecosystem_at(a, i), registry_ecosystem_at(b, i));
}

static char *export(const struct registry *reg, const char *ecosystem)
{
	struct ed_diag d = { 0 };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(registry_export_pep804(reg, ecosystem, f, &d), 0);
	fclose(f);
	return buf;
}

static void test_equals_yaml(void **state)
{
	struct registry *yaml = load_yaml(), *snap = load_snapshot(NULL);
	char *a, *b;

	assert_true(registry_necosystems(snap) >= 6);
	assert_true(registry_ndefs(snap) > 100);
	eq_registry(yaml, snap);
	a = export(yaml, NULL);
	b = export(snap, NULL);
	assert_string_equal(a, b);
	free(a);
	free(b);
	for (size_t i = 0; i < registry_necosystems(yaml); i++) {
		const char *id = registry_ecosystem_at(yaml, i)->id;
		a = export(yaml, id);
		b = export(snap, id);
		assert_true(strlen(a) > 100);
		assert_string_equal(a, b);
		free(a);
		free(b);
	}
	registry_free(yaml);
	registry_free(snap);
}

/* --- part of it --- */

static void test_subset(void **state)
{
	struct registry *all = load_snapshot(NULL), *ubuntu = load_snapshot("ubuntu");
	struct registry *unknown = load_snapshot("no-such-distro");
	struct ed_diag d = { 0 };

	/* ubuntu and what it inherits from, every definition */
	assert_int_equal(registry_necosystems(ubuntu), 2);
	assert_non_null(registry_find_ecosystem(ubuntu, "ubuntu"));
	assert_non_null(registry_find_ecosystem(ubuntu, "debian"));
	assert_null(registry_find_ecosystem(ubuntu, "fedora"));
	assert_int_equal(registry_ndefs(ubuntu), registry_ndefs(all));
	assert_int_equal(registry_check(ubuntu, &d), 0);
	eq_eco(registry_find_ecosystem(ubuntu, "debian"), registry_find_ecosystem(all, "debian"));
	/* not compiled in: everything, so that errors list every ecosystem */
	assert_int_equal(registry_necosystems(unknown), registry_necosystems(all));
	registry_free(all);
	registry_free(ubuntu);
	registry_free(unknown);
}

/* --- overlays --- */

static const char overlay_registry[] = "schema: 1\n"
				       "dependencies:\n"
				       "  dep:generic/snapshot-test:\n"
				       "    description: only in the overlay\n";
static const char overlay_debian[] = "schema: 1\n"
				     "ecosystem: debian\n"
				     "mappings:\n"
				     "  dep:generic/zlib:\n"
				     "    specs: [zlib-from-overlay]\n"
				     "  dep:generic/snapshot-test:\n"
				     "    specs: [snapshot-test-dev]\n";
/* PEP 804 spells an alias as a definition providing the canonical id: the
 * loader adds it to the existing definition of zlib */
static const char overlay_json[] = "{\"definitions\": [{\"id\": \"dep:pypi/zlib-overlay\","
				   " \"provides\": \"dep:generic/zlib\"}]}";

static const char *first_pkg(const struct registry *reg, const char *eco, const char *id)
{
	static char name[128];
	struct ed_diag d = { 0 };
	struct reg_target t;
	struct reg_map m;
	struct depurl dep;

	memset(&dep, 0, sizeof dep);
	dep.id = (char *)id;
	assert_int_equal(registry_parse_target(reg, eco, &t, &d), 0);
	assert_int_equal(registry_map(reg, &t, &dep, ED_STAGE_HOST, &m, &d), 0);
	assert_int_equal(m.status, REG_MAPPED);
	snprintf(name, sizeof name, "%s", m.pkgs[0].alts[0].name);
	reg_map_fini(&m);
	return name;
}

static void test_overlay(void **state)
{
	struct registry *reg = load_snapshot(NULL), *fresh;
	struct ed_diag d = { 0 };
	const struct reg_def *zlib;
	char before[128];
	size_t ndefs = registry_ndefs(reg);

	snprintf(before, sizeof before, "%s", first_pkg(reg, "debian", "dep:generic/zlib"));
	assert_string_not_equal(before, "zlib-from-overlay");
	assert_int_equal(registry_load_buffer(reg, "over/registry.yaml", overlay_registry,
					      sizeof overlay_registry - 1, &d), 0);
	assert_int_equal(registry_load_buffer(reg, "over/debian.yaml", overlay_debian,
					      sizeof overlay_debian - 1, &d), 0);
	assert_int_equal(registry_load_buffer(reg, "over/registry.json", overlay_json,
					      sizeof overlay_json - 1, &d), 0);
	if (registry_check(reg, &d))
		fail_msg("%s:%d:%d: %s", d.file, d.line, d.col, d.msg);
	assert_int_equal(registry_ndefs(reg), ndefs + 1);
	assert_string_equal(first_pkg(reg, "debian", "dep:generic/zlib"), "zlib-from-overlay");
	assert_string_equal(first_pkg(reg, "debian", "dep:generic/snapshot-test"),
			    "snapshot-test-dev");
	/* ubuntu inherits debian's new mapping */
	assert_string_equal(first_pkg(reg, "ubuntu", "dep:generic/snapshot-test"),
			    "snapshot-test-dev");
	zlib = registry_find(reg, "dep:generic/zlib");
	assert_non_null(zlib);
	assert_string_equal(zlib->aliases[zlib->naliases - 1], "dep:pypi/zlib-overlay");
	assert_string_equal(registry_find_mapping(registry_find_ecosystem(reg, "debian"),
						  "dep:generic/zlib")->loc.file,
			    "over/debian.yaml");
	/* the compiled-in data itself is unchanged */
	fresh = load_snapshot(NULL);
	assert_string_equal(first_pkg(fresh, "debian", "dep:generic/zlib"), before);
	assert_null(registry_find(fresh, "dep:generic/snapshot-test"));
	assert_int_equal(registry_find(fresh, "dep:generic/zlib")->naliases + 1, zlib->naliases);
	registry_free(fresh);
	registry_free(reg);
}

/* The snapshot into a registry that already holds something: its items
 * replace those of the same key, the rest stays. */
static void test_into_loaded(void **state)
{
	struct registry *reg = registry_new(), *all = load_snapshot(NULL);
	struct ed_diag d = { 0 };

	assert_int_equal(registry_load_buffer(reg, "over/registry.yaml", overlay_registry,
					      sizeof overlay_registry - 1, &d), 0);
	assert_int_equal(registry_load_embedded(reg, &d), 0);
	assert_int_equal(registry_check(reg, &d), 0);
	assert_int_equal(registry_ndefs(reg), registry_ndefs(all) + 1);
	assert_non_null(registry_find(reg, "dep:generic/snapshot-test"));
	for (size_t i = 0; i < registry_necosystems(all); i++)
		eq_eco(registry_ecosystem_at(reg, i), registry_ecosystem_at(all, i));
	registry_free(reg);
	registry_free(all);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* An overlay's ecosystem inherits a compiled-in one that was not asked for:
 * it is loaded before the checks. */
static void test_default_list_parents(void **state)
{
	char dir[] = "/tmp/extdeps-snapshot-XXXXXX", path[256];
	const char *dirs[1] = { dir };
	const char *ids[] = { "fedora" };
	struct registry *reg = registry_new();
	struct ed_diag d = { 0 };

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/mint.yaml", dir);
	write_file(path, "schema: 1\necosystem: mint\nname: Mint\ninherits: ubuntu\nmappings: {}\n");
	setenv("EXTDEPS_DATADIR", "/nonexistent", 1);
	setenv("XDG_CONFIG_HOME", "/nonexistent", 1);
	if (registry_load_default_list(reg, ids, 1, dirs, 1, &d))
		fail_msg("%s:%d:%d: %s", d.file, d.line, d.col, d.msg);
	assert_non_null(registry_find_ecosystem(reg, "fedora"));
	assert_non_null(registry_find_ecosystem(reg, "ubuntu"));
	assert_non_null(registry_find_ecosystem(reg, "debian"));
	assert_null(registry_find_ecosystem(reg, "homebrew"));
	assert_string_equal(first_pkg(reg, "mint", "dep:generic/zlib"),
			    first_pkg(reg, "ubuntu", "dep:generic/zlib"));
	registry_free(reg);
	unlink(path);
	rmdir(dir);
}

/* `package_names` in the compiled-in set: debian writes it, ubuntu inherits
 * it, and so does an overlay's ecosystem that inherits ubuntu, whether
 * ubuntu was loaded before it (the error at the name) or only for the
 * checks (the error at the mapping). */
static void test_package_names(void **state)
{
	char dir[] = "/tmp/extdeps-snapshot-XXXXXX", path[256];
	const char *dirs[1] = { dir };
	const char *fedora[] = { "fedora" }, *ubuntu[] = { "ubuntu" };
	static const char msg[] = "'Zlib': 'Z' is not allowed in a package name of mint "
				  "(allowed: [a-z0-9][a-z0-9+.-]*)";
	struct registry *reg = load_snapshot("ubuntu");
	struct ed_diag d = { 0 };

	assert_int_equal(registry_find_ecosystem(reg, "debian")->names, REG_NAMES_DEBIAN);
	assert_int_equal(registry_find_ecosystem(reg, "ubuntu")->names, REG_NAMES_UNSET);
	registry_free(reg);
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/mint.yaml", dir);
	write_file(path, "schema: 1\necosystem: mint\nname: Mint\ninherits: ubuntu\nmappings:\n"
			 "  dep:generic/zlib: {specs: [Zlib]}\n");
	setenv("EXTDEPS_DATADIR", "/nonexistent", 1);
	setenv("XDG_CONFIG_HOME", "/nonexistent", 1);
	reg = registry_new();
	assert_int_equal(registry_load_default_list(reg, ubuntu, 1, dirs, 1, &d), ED_EXIT_INPUT);
	assert_string_equal(d.msg, msg);
	assert_int_equal(d.line, 6);
	assert_int_equal(d.col, 30);
	registry_free(reg);
	reg = registry_new();
	assert_int_equal(registry_load_default_list(reg, fedora, 1, dirs, 1, &d), ED_EXIT_INPUT);
	assert_string_equal(d.msg, msg);
	assert_int_equal(d.line, 6);
	assert_int_equal(d.col, 3);
	registry_free(reg);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_equals_yaml),
		cmocka_unit_test(test_subset),
		cmocka_unit_test(test_overlay),
		cmocka_unit_test(test_into_loaded),
		cmocka_unit_test(test_default_list_parents),
		cmocka_unit_test(test_package_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
