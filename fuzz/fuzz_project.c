/* libFuzzer target: the project readers (pyproject.toml [external] and Core
 * Metadata) on arbitrary bytes, then the selection over the result. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "extdeps/map/select.h"
#include "extdeps/read/project.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ed_diag d;
	struct marker_env env = { { 0 } };
	struct selection sel;
	struct project *p;

	env.values[MARKER_SYS_PLATFORM] = "linux";
	env.values[MARKER_PYTHON_VERSION] = "3.12";
	for (int kind = 0; kind < 2; kind++) {
		p = kind ? project_parse_metadata((const char *)data, size, "METADATA", &d)
			 : project_parse_toml((const char *)data, size, "pyproject.toml", &d);
		if (!p)
			continue;
		selection_init(&sel, &env);
		sel.all_extras = true;
		for (size_t i = 0; i < p->ngroups; i++)
			selection_add_group(&sel, p->groups[i].name, &d);
		enum select_skip *v = NULL;
		if (selection_apply(&sel, p, &v, &d) == 0)
			free(v);
		selection_fini(&sel);
		project_free(p);
	}
	return 0;
}
