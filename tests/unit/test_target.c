/* A target's backend and release (map/target.h), and the install commands
 * the mapping files describe against the ones the backends run. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extdeps/eco/backends.h"
#include "extdeps/eco/eco.h"
#include "extdeps/map/registry.h"
#include "extdeps/map/target.h"

static struct registry *embedded(void)
{
	struct registry *reg = registry_new();
	struct ed_diag d;

	assert_non_null(reg);
	if (registry_load_embedded(reg, &d) || registry_check(reg, &d))
		fail_msg("%s", d.msg);
	return reg;
}

static void test_backend_through_inheritance(void **state)
{
	struct registry *reg = embedded();
	struct reg_target t;
	struct ed_diag d;

	assert_int_equal(registry_parse_target(reg, "ubuntu:24.04", &t, &d), 0);
	/* no backend names ubuntu's own mappings apart from Debian's */
	assert_ptr_equal(target_backend(reg, &t), eco_for_ecosystem("debian"));
	assert_non_null(target_release(reg, &t));
	assert_string_equal(target_release(reg, &t)->codename, "noble");
	assert_int_equal(registry_parse_target(reg, "debian:12", &t, &d), 0);
	assert_string_equal(target_release(reg, &t)->codename, "bookworm");
	assert_int_equal(registry_parse_target(reg, "arch", &t, &d), 0);
	assert_ptr_equal(target_backend(reg, &t), eco_find("pacman"));
	registry_free(reg);
}

/* A mapping file's install command is what PEP 804 interchange and `check`
 * for ecosystems without a backend say; where a backend runs the command,
 * the description must be the leading words of what it runs (conda adds
 * the channels after them), so the two cannot drift apart. */
static void test_install_descriptions_match_backends(void **state)
{
	struct registry *reg = embedded();
	const char *const spec[] = { "zlib" };
	struct ed_diag d;
	size_t compared = 0;

	/* no micromamba, mamba or pixi: conda's backend runs "conda" */
	setenv("PATH", "/nonexistent", 1);
	for (size_t i = 0; i < registry_necosystems(reg); i++) {
		const struct reg_ecosystem *eco = registry_ecosystem_at(reg, i);
		struct reg_target t;
		const struct eco_ops *ops;
		const struct reg_pm *pm;
		char **argv;

		if (registry_parse_target(reg, eco->id, &t, &d))
			fail_msg("%s: %s", eco->id, d.msg);
		if (!(ops = target_backend(reg, &t)) || !(pm = registry_package_manager(reg, &t)))
			continue;
		argv = ops->install_argv(NULL, spec, 1, ECO_INSTALL_YES | ECO_INSTALL_NO_RECOMMENDS, &d);
		if (!argv)
			fail_msg("%s: %s", eco->id, d.msg);
		for (size_t k = 0; k < pm->ninstall; k++)
			if (!argv[k] || strcmp(argv[k], pm->install[k]))
				fail_msg("%s: the mapping file's install word %zu is '%s', the %s backend "
					 "runs '%s'", eco->id, k, pm->install[k], ops->name,
					 argv[k] ? argv[k] : "(nothing)");
		assert_int_equal(pm->needs_root, ops->install_needs_root(NULL));
		eco_argv_free(argv);
		compared++;
	}
	/* debian, ubuntu, fedora, conda-forge, homebrew, nixpkgs, arch */
	assert_true(compared >= 7);
	registry_free(reg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backend_through_inheritance),
		cmocka_unit_test(test_install_descriptions_match_backends),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
