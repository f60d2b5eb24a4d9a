/* libFuzzer target: the mapping-file loader (YAML and PEP 804 JSON) on
 * arbitrary bytes, under each kind of file name, then the cross-file check. */
#include <stddef.h>
#include <stdint.h>

#include "extdeps/map/registry.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "registry.yaml", "debian.yaml", "registry.json",
					     "debian.mapping.json" };
	struct ed_diag d;

	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		struct registry *reg = registry_new();
		if (!reg)
			return 0;
		if (registry_load_buffer(reg, names[i], (const char *)data, size, &d) == 0)
			registry_check(reg, &d);
		registry_free(reg);
	}
	return 0;
}
