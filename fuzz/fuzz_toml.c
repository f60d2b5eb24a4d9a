/* libFuzzer target: the TOML reader on arbitrary bytes. */
#include <stddef.h>
#include <stdint.h>

#include "extdeps/toml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ed_diag d;

	toml_doc_free(toml_parse((const char *)data, size, "fuzz.toml", &d));
	return 0;
}
