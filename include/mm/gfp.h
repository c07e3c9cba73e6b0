/*
 * GFP flags and the page allocator's interface (Linux: include/linux/gfp.h,
 * include/linux/gfp_types.h). The bit values are Linux 6.1's, so a mask
 * prints as Linux prints it (gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP)
 * in an OOM report) and code written against Linux's flags means the same
 * here. Folio has one zone (mm/page_alloc.c): the zone modifiers and the
 * placement hints are accepted and ignored.
 *
 * What the allocator does with each flag is in mm/page_alloc.c's slow path:
 *   __GFP_DIRECT_RECLAIM  the caller may sleep; Folio has no reclaim, so this
 *                         is what allows the OOM killer to run (GFP_KERNEL,
 *                         GFP_HIGHUSER_MOVABLE). Without it (GFP_ATOMIC,
 *                         GFP_NOWAIT) a failure is final.
 *   __GFP_HIGH            may take half of the reserve below the min watermark.
 *   __GFP_MEMALLOC        may take the reserve as an OOM victim does (ALLOC_OOM).
 *   __GFP_NOMEMALLOC      never the reserve, even for an OOM victim.
 *   __GFP_NORETRY         fail rather than invoke the OOM killer.
 *   __GFP_RETRY_MAYFAIL   retry while there is progress, but fail rather than
 *                         invoke the OOM killer.
 *   __GFP_NOFAIL          never fail: retry for ever, and after an OOM kill
 *                         dip into the reserve.
 *   __GFP_NOWARN          no "page allocation failure" report.
 *   __GFP_ZERO            zeroed memory.
 *   __GFP_COMP            a compound page (a folio): recorded, as Linux's
 *                         report shows it; Folio keeps the order on the head.
 *   __GFP_ACCOUNT         charge the memory cgroup of the caller.
 */
#ifndef _MM_GFP_H
#define _MM_GFP_H

#include <kernel/types.h>

/* The bits (Linux 6.1, x86-64, no KASAN_HW_TAGS, no lockdep bit). */
#define ___GFP_DMA		0x01u
#define ___GFP_HIGHMEM		0x02u
#define ___GFP_DMA32		0x04u
#define ___GFP_MOVABLE		0x08u
#define ___GFP_RECLAIMABLE	0x10u
#define ___GFP_HIGH		0x20u
#define ___GFP_IO		0x40u
#define ___GFP_FS		0x80u
#define ___GFP_ZERO		0x100u
#define ___GFP_ATOMIC		0x200u
#define ___GFP_DIRECT_RECLAIM	0x400u
#define ___GFP_KSWAPD_RECLAIM	0x800u
#define ___GFP_WRITE		0x1000u
#define ___GFP_NOWARN		0x2000u
#define ___GFP_RETRY_MAYFAIL	0x4000u
#define ___GFP_NOFAIL		0x8000u
#define ___GFP_NORETRY		0x10000u
#define ___GFP_MEMALLOC		0x20000u
#define ___GFP_COMP		0x40000u
#define ___GFP_NOMEMALLOC	0x80000u
#define ___GFP_HARDWALL		0x100000u
#define ___GFP_THISNODE		0x200000u
#define ___GFP_ACCOUNT		0x400000u
#define ___GFP_ZEROTAGS		0x800000u

#define __GFP_DMA		((gfp_t)___GFP_DMA)
#define __GFP_HIGHMEM		((gfp_t)___GFP_HIGHMEM)
#define __GFP_DMA32		((gfp_t)___GFP_DMA32)
#define __GFP_MOVABLE		((gfp_t)___GFP_MOVABLE)
#define __GFP_RECLAIMABLE	((gfp_t)___GFP_RECLAIMABLE)
#define __GFP_HIGH		((gfp_t)___GFP_HIGH)
#define __GFP_IO		((gfp_t)___GFP_IO)
#define __GFP_FS		((gfp_t)___GFP_FS)
#define __GFP_ZERO		((gfp_t)___GFP_ZERO)
#define __GFP_ATOMIC		((gfp_t)___GFP_ATOMIC)
#define __GFP_DIRECT_RECLAIM	((gfp_t)___GFP_DIRECT_RECLAIM)
#define __GFP_KSWAPD_RECLAIM	((gfp_t)___GFP_KSWAPD_RECLAIM)
#define __GFP_RECLAIM		((gfp_t)(___GFP_DIRECT_RECLAIM | ___GFP_KSWAPD_RECLAIM))
#define __GFP_WRITE		((gfp_t)___GFP_WRITE)
#define __GFP_NOWARN		((gfp_t)___GFP_NOWARN)
#define __GFP_RETRY_MAYFAIL	((gfp_t)___GFP_RETRY_MAYFAIL)
#define __GFP_NOFAIL		((gfp_t)___GFP_NOFAIL)
#define __GFP_NORETRY		((gfp_t)___GFP_NORETRY)
#define __GFP_MEMALLOC		((gfp_t)___GFP_MEMALLOC)
#define __GFP_COMP		((gfp_t)___GFP_COMP)
#define __GFP_NOMEMALLOC	((gfp_t)___GFP_NOMEMALLOC)
#define __GFP_HARDWALL		((gfp_t)___GFP_HARDWALL)
#define __GFP_THISNODE		((gfp_t)___GFP_THISNODE)
#define __GFP_ACCOUNT		((gfp_t)___GFP_ACCOUNT)
#define __GFP_ZEROTAGS		((gfp_t)___GFP_ZEROTAGS)

/* The combinations, as Linux defines them. */
#define GFP_ATOMIC	(__GFP_HIGH | __GFP_ATOMIC | __GFP_KSWAPD_RECLAIM)
#define GFP_KERNEL	(__GFP_RECLAIM | __GFP_IO | __GFP_FS)
#define GFP_KERNEL_ACCOUNT (GFP_KERNEL | __GFP_ACCOUNT)
#define GFP_NOWAIT	(__GFP_KSWAPD_RECLAIM)
#define GFP_NOIO	(__GFP_RECLAIM)
#define GFP_NOFS	(__GFP_RECLAIM | __GFP_IO)
#define GFP_USER	(__GFP_RECLAIM | __GFP_IO | __GFP_FS | __GFP_HARDWALL)
#define GFP_DMA		__GFP_DMA
#define GFP_DMA32	__GFP_DMA32
#define GFP_HIGHUSER	(GFP_USER | __GFP_HIGHMEM)
#define GFP_HIGHUSER_MOVABLE (GFP_HIGHUSER | __GFP_MOVABLE)
#define GFP_TRANSHUGE_LIGHT ((GFP_HIGHUSER_MOVABLE | __GFP_COMP | __GFP_NOMEMALLOC | __GFP_NOWARN) & \
			     ~__GFP_RECLAIM)
#define GFP_TRANSHUGE	(GFP_TRANSHUGE_LIGHT | __GFP_DIRECT_RECLAIM)
/* A user page table (Linux's GFP_PGTABLE_USER). */
#define GFP_PGTABLE_USER (GFP_KERNEL | __GFP_ZERO | __GFP_ACCOUNT)

/* May the caller sleep for memory (and so wait for the OOM killer)? */
static inline bool gfpflags_allow_blocking(gfp_t gfp)
{
	return gfp & __GFP_DIRECT_RECLAIM;
}

/*
 * Print gfp as Linux's %pGg does: the largest named combinations first,
 * then the remaining __GFP_ bits, '|'-separated; "0" for none, and any
 * unnamed bits as a hex number last. Returns what snprintf() would.
 */
int format_gfp_flags(char *buf, size_t size, gfp_t gfp);

#define MAX_ORDER 11		/* orders 0..10: blocks up to 4 MiB */
#define MAX_ORDER_NR_PAGES (1UL << (MAX_ORDER - 1))
/* Above this order an allocation is "costly": it fails rather than invoke the OOM killer. */
#define PAGE_ALLOC_COSTLY_ORDER 3

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
