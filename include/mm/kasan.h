/*
 * KASAN, the kernel address sanitizer (Linux: include/linux/kasan.h,
 * mm/kasan/kasan.h), in the SANITIZE=1 build; docs/sanitizers.md explains it.
 *
 * Shadow memory: one byte for each 8-byte granule of the direct map and of
 * the kernel image, at kasan_mem_to_shadow(addr) = (addr >> 3) +
 * KASAN_SHADOW_OFFSET, as in Linux. A shadow byte of 0 means all 8 bytes
 * are accessible, 1..7 that only the first N are, and a negative value that
 * none is, the value saying why (the KASAN_* codes below).
 *
 * The allocators call the hooks below (no-ops in the normal build): pages
 * are poisoned when freed and unpoisoned when allocated; slab pages are
 * poisoned as red zone and each object unpoisoned while allocated.
 */
#ifndef _MM_KASAN_H
#define _MM_KASAN_H

#include <kernel/types.h>
#include <lib/stackdepot.h>

#define KASAN_SHADOW_SCALE_SHIFT 3
#define KASAN_GRANULE_SIZE (1UL << KASAN_SHADOW_SCALE_SHIFT)
#define KASAN_GRANULE_MASK (KASAN_GRANULE_SIZE - 1)
#define KASAN_SHADOW_OFFSET 0xdffffc0000000000UL

/* Shadow byte values (Linux's generic KASAN codes). */
#define KASAN_PAGE_FREE 0xff		/* a free page */
#define KASAN_PAGE_REDZONE 0xfe		/* past the end of a large kmalloc() */
#define KASAN_SLAB_REDZONE 0xfc		/* a slab's red zones, metadata, unused objects */
#define KASAN_SLAB_FREE 0xfb		/* a freed slab object */
#define KASAN_GLOBAL_REDZONE 0xf9	/* after a global variable */

static inline void *kasan_mem_to_shadow(const void *addr)
{
	return (void *)(((unsigned long)addr >> KASAN_SHADOW_SCALE_SHIFT) + KASAN_SHADOW_OFFSET);
}

static inline void *kasan_shadow_to_mem(const void *shadow)
{
	return (void *)(((unsigned long)shadow - KASAN_SHADOW_OFFSET) << KASAN_SHADOW_SCALE_SHIFT);
}

/* Who allocated or freed something: a task's pid and a stack depot handle. */
struct kasan_track {
	int pid;
	depot_stack_handle_t stack;
};
/* Kept in each slab object's debug metadata (mm/slab.c) and for each page. */
struct kasan_alloc_meta {
	struct kasan_track alloc_track, free_track;
};

struct page;
struct kmem_cache;

#ifdef CONFIG_KASAN
extern bool kasan_enabled;

void kasan_init(void);		/* map the shadow; after paging_init(), before memblock_free_all() */
void kasan_alloc_pages(struct page *page, unsigned int order);
void kasan_free_pages(struct page *page, unsigned int order);
void kasan_poison_slab(struct page *slab, unsigned int order);
void kasan_slab_alloc(void *obj, size_t size, struct kasan_alloc_meta *meta);
void kasan_slab_free(void *obj, size_t size, struct kasan_alloc_meta *meta);
void *kasan_kmalloc(void *obj, size_t size, size_t object_size);
void *kasan_kmalloc_large(void *ptr, size_t size);
void kasan_unpoison_range(const void *addr, size_t size);
/* Check an access made by code the compiler did not instrument (asm, the user-copy paths). */
bool kasan_check_read(const void *p, size_t size);
bool kasan_check_write(const void *p, size_t size);

/* What mm/slab.c tells a report about the object holding an address. */
struct kasan_slab_object {
	void *object;
	const char *cache_name;
	size_t object_size;
	bool freed;
	struct kasan_alloc_meta *meta;
};
bool kasan_find_slab_object(const void *addr, struct kasan_slab_object *info);
#else
static inline void kasan_init(void) {}
static inline void kasan_alloc_pages(struct page *page, unsigned int order) {}
static inline void kasan_free_pages(struct page *page, unsigned int order) {}
static inline void kasan_poison_slab(struct page *slab, unsigned int order) {}
static inline void kasan_slab_alloc(void *obj, size_t size, struct kasan_alloc_meta *meta) {}
static inline void kasan_slab_free(void *obj, size_t size, struct kasan_alloc_meta *meta) {}
static inline void *kasan_kmalloc(void *obj, size_t size, size_t object_size) { return obj; }
static inline void *kasan_kmalloc_large(void *ptr, size_t size) { return ptr; }
static inline void kasan_unpoison_range(const void *addr, size_t size) {}
static inline bool kasan_check_read(const void *p, size_t size) { return true; }
static inline bool kasan_check_write(const void *p, size_t size) { return true; }
#endif

#endif
