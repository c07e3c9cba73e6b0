/*
 * struct page, the zone and its watermarks (Linux: mm_types.h, mmzone.h).
 *
 * mem_map[] holds one struct page per physical frame up to max_pfn. A free
 * block of 2^order pages is represented by its first page, which has
 * PG_buddy set and page->order == order, and sits on zone->free_area[order].
 * zone->lock (irqsave) guards the free lists, nr_free and the PG_buddy bits.
 */
#ifndef _MM_MM_H
#define _MM_MM_H

#include <kernel/types.h>
#include <kernel/list.h>
#include <kernel/spinlock.h>
#include <arch/page.h>
#include <mm/gfp.h>

enum pageflags {
	PG_reserved,	/* never given to the buddy allocator (firmware, kernel image) */
	PG_buddy,	/* first page of a free block on a free list */
	PG_slab,	/* owned by the slab allocator */
	PG_poisoned,	/* freed and filled with PAGE_POISON; checked on allocation */
	PG_head,	/* first page of a higher-order allocation */
};

struct kmem_cache;
struct page {
	unsigned long flags;
	int _refcount;			/* 0 when free */
	int _mapcount;			/* user mappings, -1 = none (user space comes later) */
	unsigned int order;		/* buddy order while free, allocation order for slab/head pages */
	struct list_head lru;		/* free list or slab list */
	struct kmem_cache *slab_cache;	/* PG_slab: the owning cache */
	void *freelist;			/* PG_slab: first free object */
	unsigned int inuse;		/* PG_slab: objects in use */
	void *mem_cgroup;		/* the charged memcg (memory cgroups come later) */
};

static inline bool PageFlag(const struct page *p, enum pageflags f) { return p->flags & (1UL << f); }
static inline void SetPageFlag(struct page *p, enum pageflags f) { p->flags |= 1UL << f; }
static inline void ClearPageFlag(struct page *p, enum pageflags f) { p->flags &= ~(1UL << f); }
#define PageReserved(p) PageFlag(p, PG_reserved)
#define PageBuddy(p) PageFlag(p, PG_buddy)
#define PageSlab(p) PageFlag(p, PG_slab)

extern struct page *mem_map;
extern unsigned long max_pfn;		/* one past the highest usable frame */
extern unsigned long totalram_pages;	/* frames managed by the buddy allocator */

static inline unsigned long page_to_pfn(const struct page *p) { return p - mem_map; }
static inline struct page *pfn_to_page(unsigned long pfn) { return mem_map + pfn; }
static inline phys_addr_t page_to_phys(const struct page *p) { return PFN_PHYS(page_to_pfn(p)); }
static inline void *page_address(const struct page *p) { return __va(page_to_phys(p)); }
static inline struct page *virt_to_page(const void *va) { return pfn_to_page(PFN_DOWN(__pa(va))); }
static inline bool pfn_valid(unsigned long pfn) { return pfn < max_pfn; }
static inline int page_count(const struct page *p) { return __atomic_load_n(&p->_refcount, __ATOMIC_RELAXED); }
static inline void get_page(struct page *p) { __atomic_add_fetch(&p->_refcount, 1, __ATOMIC_RELAXED); }
/* Drop a reference; the last one frees the page (Linux: put_page()). */
static inline void put_page(struct page *p) { __free_pages(p, 0); }
static inline int page_mapcount(const struct page *p) { return __atomic_load_n(&p->_mapcount, __ATOMIC_RELAXED) + 1; }

#define PAGE_POISON 0xaa	/* freed pages are filled with this (Linux: PAGE_POISON) */

struct free_area {
	struct list_head free_list;
	unsigned long nr_free;		/* blocks of this order */
};

enum zone_watermarks { WMARK_MIN, WMARK_LOW, WMARK_HIGH, NR_WMARK };

struct zone {
	spinlock_t lock;
	const char *name;
	unsigned long zone_start_pfn, spanned_pages, managed_pages;
	unsigned long free_pages;		/* pages on all free lists */
	unsigned long watermark[NR_WMARK];
	struct free_area free_area[MAX_ORDER];
};

extern struct zone zone_normal;
extern int page_poisoning_enabled;

static inline unsigned long nr_free_pages(void) { return READ_ONCE(zone_normal.free_pages); }
static inline unsigned long min_wmark_pages(const struct zone *z) { return z->watermark[WMARK_MIN]; }

void free_area_init(unsigned long max_pfn);	/* allocate mem_map, set up the zone */
void memblock_free_all(void);			/* hand every free frame to the buddy allocator */
void setup_per_zone_wmarks(void);
void show_free_areas(void);			/* the free-area table (sysrq-m, boot) */
/* For tests: a block of 2^order pages starting at pfn is free in the buddy allocator. */
bool page_is_buddy_free(unsigned long pfn, unsigned int order);

#endif
