/*
 * The slab allocator (Linux: include/linux/slab.h). Caches of equal-sized
 * objects carved from pages; kmalloc() picks a size class, and anything
 * larger than KMALLOC_MAX_CACHE_SIZE comes straight from the page allocator.
 * Debug checks are on by default: freed objects are poisoned, each object
 * has red zones, and a double free or an overrun is reported naming the cache.
 */
#ifndef _MM_SLAB_H
#define _MM_SLAB_H

#include <kernel/types.h>
#include <mm/gfp.h>

#define SLAB_HWCACHE_ALIGN 0x1u
#define SLAB_POISON 0x2u	/* fill free objects with POISON_FREE and check on alloc */
#define SLAB_RED_ZONE 0x4u	/* guard bytes around each object, checked on free */
#define SLAB_DEBUG_FLAGS (SLAB_POISON | SLAB_RED_ZONE)

#define KMALLOC_MIN_SIZE 8
#define KMALLOC_MAX_CACHE_SIZE 4096	/* larger kmalloc()s come from alloc_pages() */
/* kmalloc(0) returns this (Linux: ZERO_SIZE_PTR); kfree() and ksize() accept it. */
#define ZERO_SIZE_PTR ((void *)16)
#define ZERO_OR_NULL_PTR(x) ((unsigned long)(x) <= (unsigned long)ZERO_SIZE_PTR)

struct kmem_cache;
struct kmem_cache *kmem_cache_create(const char *name, size_t size, size_t align,
				     unsigned int flags, void (*ctor)(void *));
void kmem_cache_destroy(struct kmem_cache *s);
void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp);
void *kmem_cache_zalloc(struct kmem_cache *s, gfp_t gfp);
void kmem_cache_free(struct kmem_cache *s, void *obj);

void *kmalloc(size_t size, gfp_t gfp);
void *kzalloc(size_t size, gfp_t gfp);
void *kcalloc(size_t n, size_t size, gfp_t gfp);
void kfree(const void *obj);
size_t ksize(const void *obj);
char *kstrdup(const char *s, gfp_t gfp);		/* a kmalloc'd copy (mm/util.c) */

/* Memory that is usually small but may be large: kmalloc(), else vmalloc() (mm/util.c). */
void *kvmalloc(size_t size, gfp_t gfp);
void kvfree(const void *p);

void kmem_cache_init(void);
void slabinfo_proc_init(void);		/* /proc/slabinfo */
/* Debug reports since boot (double frees, overruns, use-after-free writes); tests read it. */
extern unsigned long slab_errors;

#endif
