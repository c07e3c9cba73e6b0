/*
 * The zone and its free lists (Linux: include/linux/mmzone.h). Folio has
 * one zone, zone_normal, covering all of RAM; its buddy allocator is
 * mm/page_alloc.c, which explains the watermarks.
 *
 * zone->lock (irqsave) guards the free lists, nr_free, free_pages and the
 * PG_buddy bits; free_pages is also read without it (nr_free_pages()).
 */
#ifndef _MM_MMZONE_H
#define _MM_MMZONE_H

#include <kernel/types.h>
#include <kernel/compiler.h>
#include <kernel/list.h>
#include <kernel/spinlock.h>
#include <mm/gfp.h>

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

static inline unsigned long nr_free_pages(void) { return READ_ONCE(zone_normal.free_pages); }
static inline unsigned long min_wmark_pages(const struct zone *z) { return z->watermark[WMARK_MIN]; }

#endif
