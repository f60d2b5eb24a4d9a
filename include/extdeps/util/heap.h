/* heap.h - ready the process heap for building a package pool.
 *
 * A pool is tens of megabytes built by many allocations, most of them
 * touched once; on hosts where each page fault is costly (virtual machines)
 * the faults were a third of a warm plan. heap_prepare_pool reserves a large
 * heap top and advises it for transparent huge pages, so the pool faults in
 * 2 MiB pages rather than 4 KiB ones. Nothing is touched in advance, so the
 * resident size stays what the pool uses.
 *
 * Only glibc's brk heap is advised: under another allocator (a sanitizer's)
 * or where the kernel refuses, nothing changes but the malloc settings.
 */
#ifndef EXTDEPS_HEAP_H
#define EXTDEPS_HEAP_H

#include <stdbool.h>

/* Idempotent. True when a heap region was advised. */
bool heap_prepare_pool(void);

#endif
