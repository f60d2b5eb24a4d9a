/* Unit tests of src/util/heap.c: the heap a pool is built in is advised for
 * transparent huge pages, and large blocks come from it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extdeps/util/heap.h"

/* The [heap] of this process, from /proc/self/smaps: the range of its
 * mappings (advice splits it in several) and whether one of them has "hg"
 * in its VmFlags (advised for huge pages). */
static bool heap_mapping(uintptr_t *lo, uintptr_t *hi, bool *advised)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512];
	bool in_heap = false, found = false;

	assert_non_null(f);
	*advised = false;
	while (fgets(line, sizeof line, f)) {
		unsigned long a, b;

		if (sscanf(line, "%lx-%lx ", &a, &b) == 2 && strchr(line, ' ')) {
			in_heap = strstr(line, "[heap]") != NULL;
			if (in_heap) {
				*lo = found && *lo < a ? *lo : a;
				*hi = found && *hi > b ? *hi : b;
				found = true;
			}
		} else if (in_heap && !strncmp(line, "VmFlags:", 8)) {
			*advised |= strstr(line, " hg") != NULL;
		}
	}
	fclose(f);
	return found;
}

static void advised_heap_holds_large_blocks(void **state)
{
	bool advised = heap_prepare_pool(), flagged;
	uintptr_t lo = 0, hi = 0;
	char *block;

	(void)state;
	/* idempotent: a second call changes nothing */
	assert_int_equal(heap_prepare_pool(), advised);
	if (!advised)
		skip(); /* another allocator (a sanitizer's), or no huge pages */
	assert_true(heap_mapping(&lo, &hi, &flagged));
	assert_true(flagged);
	/* an 8 MiB block, which glibc would map on its own, is in the heap */
	block = malloc((size_t)8 << 20);
	assert_non_null(block);
	memset(block, 1, (size_t)8 << 20);
	assert_true(heap_mapping(&lo, &hi, &flagged));
	assert_true((uintptr_t)block >= lo && (uintptr_t)block + ((size_t)8 << 20) <= hi);
	free(block);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(advised_heap_holds_large_blocks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
