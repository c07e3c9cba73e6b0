/*
 * vmalloc: virtually contiguous kernel memory in [VMALLOC_START, VMALLOC_END),
 * each area followed by an unmapped guard page (Linux: mm/vmalloc.c).
 * ioremap() maps device registers there, uncached.
 */
#ifndef _MM_VMALLOC_H
#define _MM_VMALLOC_H

#include <kernel/types.h>

void *vmalloc(size_t size);
void vfree(const void *addr);
bool is_vmalloc_addr(const void *addr);
struct page;
struct page *vmalloc_to_page(const void *addr);

#endif
