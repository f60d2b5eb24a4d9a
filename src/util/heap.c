/* heap.c - see heap.h. */
#include <limits.h>
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "extdeps/util/heap.h"

/* glibc's ceiling for M_MMAP_THRESHOLD on 64-bit hosts: blocks below it
 * come from the heap, so libsolv's arrays grow inside the advised region. */
#define MMAP_MAX ((size_t)32 << 20)
/* Address space only; pages are given as the pool touches them. */
#define RESERVE ((size_t)256 << 20)
#define HUGE_PAGE ((uintptr_t)2 << 20)

bool heap_prepare_pool(void)
{
	static bool done, advised;
	uintptr_t start, end;
	char *before, *after;
	void *block;

	if (done)
		return advised;
	done = true;
	mallopt(M_MMAP_THRESHOLD, (int)MMAP_MAX);
	/* A trimmed and regrown top would come back without the advice. */
	mallopt(M_TRIM_THRESHOLD, INT_MAX);
	mallopt(M_TOP_PAD, (int)(RESERVE - MMAP_MAX));
	before = sbrk(0);
	/* Larger than any free block yet, so malloc must extend the heap, by
	 * the request and the top pad; the store keeps the pair from being
	 * optimised away. */
	if (!(block = malloc(MMAP_MAX / 2)))
		return false;
	*(volatile char *)block = 0;
	free(block);
	after = sbrk(0);
	if (before == (char *)-1 || after == (char *)-1 || after <= before)
		return false;
	start = ((uintptr_t)before + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
	end = (uintptr_t)after & ~(HUGE_PAGE - 1);
	if (end <= start)
		return false;
	advised = madvise((void *)start, end - start, MADV_HUGEPAGE) == 0;
	return advised;
}
