/*
 * GFP flags and the page allocator's interface (Linux: include/linux/gfp.h).
 * Folio has one zone; see mm/page_alloc.c for the watermarks.
 */
#ifndef _MM_GFP_H
#define _MM_GFP_H

#include <kernel/types.h>

#define __GFP_HIGH 0x01u	/* may dip into half of the reserve below the min watermark */
#define __GFP_ZERO 0x02u	/* return zeroed memory */
#define __GFP_NOWARN 0x04u	/* no "page allocation failure" report */
#define __GFP_MEMALLOC 0x08u	/* ALLOC_OOM: an OOM victim's access to the reserve */
#define __GFP_ACCOUNT 0x10u	/* charge the page to current's memory cgroup (kernel memory) */

#define GFP_KERNEL 0u
#define GFP_ATOMIC (__GFP_HIGH)
#define GFP_NOWAIT 0u
#define GFP_KERNEL_ACCOUNT (GFP_KERNEL | __GFP_ACCOUNT)
#define GFP_PGTABLE_USER (GFP_KERNEL_ACCOUNT | __GFP_ZERO)	/* a user page table */

#define MAX_ORDER 11		/* orders 0..10: blocks up to 4 MiB */
#define MAX_ORDER_NR_PAGES (1UL << (MAX_ORDER - 1))

struct page;
struct page *alloc_pages(gfp_t gfp, unsigned int order);
void __free_pages(struct page *page, unsigned int order);
unsigned long __get_free_pages(gfp_t gfp, unsigned int order);
void free_pages(unsigned long addr, unsigned int order);
#define alloc_page(gfp) alloc_pages(gfp, 0)
#define __free_page(p) __free_pages(p, 0)
#define __get_free_page(gfp) __get_free_pages(gfp, 0)
#define get_zeroed_page(gfp) __get_free_pages((gfp) | __GFP_ZERO, 0)
#define free_page(addr) free_pages(addr, 0)

#endif
