/*
 * The slab allocator, after Linux's SLUB (mm/slub.c, mm/slab_common.c).
 *
 * A cache hands out equal objects carved from slabs of 2^order pages (order
 * 0..3). A slab's bookkeeping lives in its first struct page: PG_slab,
 * slab_cache, freelist (first free object), inuse, order, and lru on the
 * cache's partial or full list. Tail pages carry PG_slab and slab_cache; their
 * head is the pfn rounded down to the order (buddy blocks are size-aligned).
 * An empty slab goes straight back to the page allocator (Linux keeps
 * min_partial of them), so a test's nr_free_pages() baseline comes back exactly.
 *
 * Every cache debugs as with Linux's slub_debug=PZ. One slot of s->size bytes:
 *   | left red zone | object      | right red zone | free ptr  | obj_meta | pad |
 *     red_left_pad    object_size   up to s->inuse   s->offset
 * The free pointer sits outside the object, so poison and constructed state
 * stay whole; obj_meta holds the state (free/allocated: catches a double free)
 * and the last alloc and free callers. Free objects are poisoned unless the
 * cache has a ctor; red zones read SLUB_RED_INACTIVE while free, ACTIVE while
 * allocated. Allocation checks poison and red zones, free checks red zones. A
 * problem is reported as SLUB does, counted in slab_errors, taints, and is repaired.
 * kmalloc() aligns to 8 only (Linux aligns power-of-two sizes naturally); above
 * KMALLOC_MAX_CACHE_SIZE it hands out page blocks marked PG_head, order recorded.
 *
 * /proc/slabinfo lists every cache with its objects and slabs, in the
 * format of Linux's version 2.1 (SLUB's tunables read 0).
 *
 * Locking: slab_caches_lock guards the list of caches; s->lock (irqsave:
 * kmalloc may run in interrupt handlers) guards the
 * cache's lists and, for its slabs, page->freelist, page->inuse and each
 * object's free pointer, red zones, poison and obj_meta (a live object's body
 * belongs to its owner). Reports print under it. Slab pages are allocated and
 * freed with no lock held.
 */
#include <kernel/kernel.h>
#include <kernel/list.h>
#include <kernel/spinlock.h>
#include <lib/string.h>
#include <mm/mm.h>
#include <mm/slab.h>
#include <fs/seq_file.h>
#include <fs/proc_fs.h>
#include <mm/vmstat.h>
#include <mm/kasan.h>

#define POISON_INUSE 0x5a	/* fresh objects (no ctor, no __GFP_ZERO) */
#define POISON_FREE 0x6b	/* free objects ... */
#define POISON_END 0xa5		/* ... and their last byte */
#define SLUB_RED_INACTIVE 0xbb
#define SLUB_RED_ACTIVE 0xcc

#define SLAB_MAX_ORDER 3
#define ARCH_KMALLOC_MINALIGN 8
#define CACHE_LINE_SIZE 64		/* "HWalign" */
#define __OBJECT_POISON 0x80000000u	/* internal: poison free objects (no ctor) */

#define OBJ_FREE 0xf4eef4eef4eef4eeUL
#define OBJ_ALLOCATED 0xa110ca7eda110ca7UL

/* Debug metadata after the free pointer; guarded by s->lock. */
struct obj_meta {
	unsigned long state;		/* OBJ_FREE or OBJ_ALLOCATED */
	unsigned long alloc_addr;	/* caller of the last allocation */
	unsigned long free_addr;	/* caller of the last free */
#ifdef CONFIG_KASAN
	struct kasan_alloc_meta kasan;	/* SANITIZE=1: KASAN's alloc and free stacks */
#endif
};
#ifdef CONFIG_KASAN
#define kasan_meta(m) (&(m)->kasan)
#else
#define kasan_meta(m) NULL
#endif

struct kmem_cache {
	spinlock_t lock;
	char name[32];
	unsigned int object_size;	/* what the creator asked for */
	unsigned int size;		/* one slot: red zones, object, metadata, padding */
	unsigned int inuse;		/* object + right red zone, from the object start */
	unsigned int offset;		/* free pointer, from the object start */
	unsigned int red_left_pad;
	unsigned int align;
	unsigned int flags;
	unsigned int order, objects;	/* a slab is 2^order pages holding objects slots */
	void (*ctor)(void *);
	struct list_head partial;	/* slabs with free and used objects */
	struct list_head full;		/* slabs with no free object */
	struct list_head list;		/* on slab_caches */
};

/* Every cache, newest first, for /proc/slabinfo; slab_caches_lock (order: it, then s->lock). */
static LIST_HEAD(slab_caches);
static DEFINE_SPINLOCK(slab_caches_lock);

unsigned long slab_errors;
static unsigned int slub_debug = SLAB_DEBUG_FLAGS;	/* added to every cache's flags */
/* The cache of struct kmem_cache itself: static, as nothing can allocate it yet. */
static struct kmem_cache kmem_cache_boot;

static const unsigned int kmalloc_sizes[] = { 8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096 };
static struct kmem_cache *kmalloc_caches[ARRAY_SIZE(kmalloc_sizes)];

#define _RET_IP_ ((unsigned long)__builtin_return_address(0))

static inline u8 *slab_base(const struct page *slab) { return page_address(slab); }
/* The i-th object of a slab (past its left red zone). */
static inline u8 *slab_obj(const struct kmem_cache *s, const struct page *slab, unsigned int i)
{
	return slab_base(slab) + (size_t)i * s->size + s->red_left_pad;
}
static inline void **freeptr(const struct kmem_cache *s, void *obj) { return (void **)((u8 *)obj + s->offset); }
static inline struct obj_meta *get_meta(const struct kmem_cache *s, void *obj)
{
	return (struct obj_meta *)((u8 *)obj + s->offset + sizeof(void *));
}

/* The page holding addr, if addr is in the direct map or the kernel image. */
static struct page *addr_to_page(const void *addr)
{
	if ((unsigned long)addr < PAGE_OFFSET || !pfn_valid(PFN_DOWN(__pa(addr))))
		return NULL;
	return virt_to_page(addr);
}

/* The head page of the slab holding addr, or NULL if addr is in no slab. */
static struct page *virt_to_slab(const void *addr)
{
	struct page *page = addr_to_page(addr);
	struct kmem_cache *s = page && PageSlab(page) ? page->slab_cache : NULL;

	if (!s)
		return NULL;
	struct page *head = pfn_to_page(ALIGN_DOWN(page_to_pfn(page), 1UL << s->order));
	return PageSlab(head) && head->slab_cache == s ? head : NULL;
}

/* p is the start of one of the slab's object slots. */
static bool check_valid_pointer(struct kmem_cache *s, struct page *slab, const void *p)
{
	size_t off = (const u8 *)p - slab_obj(s, slab, 0);	/* huge if p is below */

	return off < (size_t)s->objects * s->size && off % s->size == 0;
}

/* The head of every report: the banner and the BUG line. Counts the error and taints. */
__printf(2, 3) static void slab_bug(const char *name, const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pr_err("=============================================================================\n"
	       "BUG %s (%s): %s\n"
	       "-----------------------------------------------------------------------------\n\n",
	       name, print_tainted(), msg);
	__atomic_add_fetch(&slab_errors, 1, __ATOMIC_RELAXED);
	add_taint(TAINT_BAD_PAGE);
}

/* The tail of a report: how it was repaired. */
#define slab_fix(s, fmt, ...) pr_err("FIX %s: " fmt "\n", (s)->name, ##__VA_ARGS__)

/* A hex dump, 16 bytes a row with their ASCII, like print_hex_dump(DUMP_PREFIX_ADDRESS). */
static void print_section(const char *label, const u8 *p, unsigned int len)
{
	for (unsigned int off = 0; off < len; off += 16) {
		char hex[16 * 3 + 1] = "", ascii[17] = "";
		for (unsigned int i = 0; i < 16 && off + i < len; i++) {
			scnprintf(hex + 3 * i, 4, "%02x ", p[off + i]);
			ascii[i] = p[off + i] >= 32 && p[off + i] < 127 ? p[off + i] : '.';
		}
		pr_err("%-9s%p: %-48s %s\n", label, p + off, hex, ascii);
	}
}

static void print_tracking(struct kmem_cache *s, void *obj)
{
	struct obj_meta *m = get_meta(s, obj);

	if (m->alloc_addr)
		pr_err("INFO: Allocated in %pS\n", (void *)m->alloc_addr);
	if (m->free_addr)
		pr_err("INFO: Freed in %pS\n", (void *)m->free_addr);
}

static void print_slab_info(struct kmem_cache *s, struct page *slab)
{
	pr_err("INFO: Slab 0x%p objects=%u used=%u fp=0x%p flags=0x%lx\n",
	       slab, s->objects, slab->inuse, slab->freelist, slab->flags);
}

/*
 * Everything known about one object: its callers, its slab, and a hex dump
 * of its red zones and of the object around bad (the first wrong byte), at
 * most 128 bytes of it.
 */
static void print_trailer(struct kmem_cache *s, struct page *slab, u8 *obj, const u8 *bad)
{
	unsigned int start = bad > obj + 32 && bad < obj + s->object_size ? ALIGN_DOWN(bad - obj - 32, 16) : 0;
	unsigned int len = min(128u, s->object_size - start);

	print_tracking(s, obj);
	print_slab_info(s, slab);
	pr_err("INFO: Object 0x%p @offset=%lu fp=0x%p\n\n", obj,
	       (unsigned long)(obj - slab_base(slab)), *freeptr(s, obj));
	if (s->flags & SLAB_RED_ZONE)
		print_section("Redzone", obj - s->red_left_pad, s->red_left_pad);
	print_section("Object", obj + start, len);
	if (s->flags & SLAB_RED_ZONE)
		print_section("Redzone", obj + s->object_size, s->inuse - s->object_size);
}

/* A free of something that is not an object's start: reported and ignored. */
static void invalid_free(const char *name, const void *obj, const char *why, unsigned long caller)
{
	slab_bug(name, "Invalid object pointer 0x%p%s", obj, why);
	pr_err("INFO: Freed by %pS\n", (void *)caller);
}

/* Check that [start, start+bytes) all read value; if not, report and restore. */
static void check_bytes_and_report(struct kmem_cache *s, struct page *slab, u8 *obj,
				   const char *what, u8 *start, u8 value, unsigned int bytes)
{
	u8 *fault = memchr_inv(start, value, bytes);
	u8 *end = start + bytes;

	if (!fault)
		return;
	while (end > fault && end[-1] == value)
		end--;
	slab_bug(s->name, "%s overwritten", what);
	pr_err("INFO: 0x%p-0x%p @offset=%lu. First byte 0x%x instead of 0x%x\n", fault, end - 1,
	       (unsigned long)(fault - slab_base(slab)), *fault, value);
	print_trailer(s, slab, obj, fault);
	memset(fault, value, end - fault);
	slab_fix(s, "Restoring %s 0x%p-0x%p=0x%x", what, fault, end - 1, value);
}

/* Red zones (and, for a free object, poison) hold what they should; repairs them if not. */
static void check_object(struct kmem_cache *s, struct page *slab, u8 *obj, u8 val)
{
	if (s->flags & SLAB_RED_ZONE) {
		check_bytes_and_report(s, slab, obj, "Left Redzone", obj - s->red_left_pad,
				       val, s->red_left_pad);
		check_bytes_and_report(s, slab, obj, "Right Redzone", obj + s->object_size,
				       val, s->inuse - s->object_size);
	}
	if ((s->flags & __OBJECT_POISON) && val == SLUB_RED_INACTIVE) {
		check_bytes_and_report(s, slab, obj, "Poison", obj, POISON_FREE, s->object_size - 1);
		check_bytes_and_report(s, slab, obj, "End Poison", obj + s->object_size - 1,
				       POISON_END, 1);
	}
}

/* Fill the red zones with val; poison the object too when it becomes free. */
static void init_object(struct kmem_cache *s, u8 *obj, u8 val)
{
	if ((s->flags & __OBJECT_POISON) && val == SLUB_RED_INACTIVE) {
		memset(obj, POISON_FREE, s->object_size - 1);
		obj[s->object_size - 1] = POISON_END;
	}
	if (s->flags & SLAB_RED_ZONE) {
		memset(obj - s->red_left_pad, val, s->red_left_pad);
		memset(obj + s->object_size, val, s->inuse - s->object_size);
	}
}

static struct page *allocate_slab(struct kmem_cache *s, gfp_t gfp)
{
	struct page *slab = alloc_pages(gfp & ~__GFP_ZERO, s->order);
	void *next = NULL;

	if (!slab)
		return NULL;
	mod_node_page_state(NR_SLAB_UNRECLAIMABLE_B, PAGE_SIZE << s->order);
	for (unsigned int i = 0; i < 1u << s->order; i++) {
		SetPageFlag(&slab[i], PG_slab);
		slab[i].slab_cache = s;
	}
	if (s->order)
		SetPageFlag(slab, PG_head);
	slab->order = s->order;
	slab->inuse = 0;
	/* Link the objects in address order; the slab is still private, no lock needed. */
	for (unsigned int i = s->objects; i-- > 0;) {
		u8 *obj = slab_obj(s, slab, i);
		*get_meta(s, obj) = (struct obj_meta){ .state = OBJ_FREE };
		init_object(s, obj, SLUB_RED_INACTIVE);
		if (s->ctor)
			s->ctor(obj);
		*freeptr(s, obj) = next;
		next = obj;
	}
	slab->freelist = next;
	kasan_poison_slab(slab, s->order);	/* after the ctors: they may touch their objects */
	return slab;
}

static void free_slab(struct kmem_cache *s, struct page *slab)
{
	for (unsigned int i = 0; i < 1u << s->order; i++) {
		ClearPageFlag(&slab[i], PG_slab);
		slab[i].slab_cache = NULL;
	}
	ClearPageFlag(slab, PG_head);
	mod_node_page_state(NR_SLAB_UNRECLAIMABLE_B, -(long)(PAGE_SIZE << s->order));
	__free_pages(slab, s->order);
}

static void *slab_alloc(struct kmem_cache *s, gfp_t gfp, unsigned long caller)
{
	unsigned long flags;
	struct page *slab;
	u8 *obj;
	void *next;

	spin_lock_irqsave(&s->lock, flags);
	while (list_empty(&s->partial)) {
		/* Allocate the pages unlocked; another CPU may refill partial meanwhile, fine. */
		spin_unlock_irqrestore(&s->lock, flags);
		slab = allocate_slab(s, gfp);
		if (!slab)
			return NULL;
		spin_lock_irqsave(&s->lock, flags);
		list_add(&slab->lru, &s->partial);
	}
	slab = list_first_entry(&s->partial, struct page, lru);
	obj = slab->freelist;		/* checked when it was the "next" below, or by free */
	next = *freeptr(s, obj);
	if (next && !check_valid_pointer(s, slab, next)) {
		slab_bug(s->name, "Freepointer corrupt");
		print_trailer(s, slab, obj, NULL);
		slab_fix(s, "Isolate corrupted freechain (its objects are lost, as in Linux)");
		next = NULL;
		slab->inuse = s->objects - 1;
	}
	slab->freelist = next;
	slab->inuse++;
	if (!slab->freelist) {
		list_del(&slab->lru);
		list_add(&slab->lru, &s->full);
	}
	check_object(s, slab, obj, SLUB_RED_INACTIVE);
	init_object(s, obj, SLUB_RED_ACTIVE);
	get_meta(s, obj)->state = OBJ_ALLOCATED;
	get_meta(s, obj)->alloc_addr = caller;
	spin_unlock_irqrestore(&s->lock, flags);

	kasan_slab_alloc(obj, s->object_size, kasan_meta(get_meta(s, obj)));
	if (gfp & __GFP_ZERO)
		memset(obj, 0, s->object_size);
	else if (s->flags & __OBJECT_POISON)
		memset(obj, POISON_INUSE, s->object_size);
	return obj;
}

static void slab_free(struct kmem_cache *s, struct page *slab, void *obj, unsigned long caller)
{
	struct obj_meta *m = get_meta(s, obj);
	unsigned long flags;
	bool empty = false;

	spin_lock_irqsave(&s->lock, flags);
	if (!check_valid_pointer(s, slab, obj)) {
		invalid_free(s->name, obj, "", caller);
		print_slab_info(s, slab);
		goto out;
	}
	/* A state smashed by a wild write counts as free: better leak it than list it twice. */
	if (m->state != OBJ_ALLOCATED) {
		slab_bug(s->name, m->state == OBJ_FREE ? "Object already free" : "Object state corrupt");
		print_trailer(s, slab, obj, NULL);
		pr_err("INFO: Freed again by %pS\n", (void *)caller);
		slab_fix(s, "Object not freed again");
		goto out;
	}
	check_object(s, slab, obj, SLUB_RED_ACTIVE);
	init_object(s, obj, SLUB_RED_INACTIVE);
	kasan_slab_free(obj, s->object_size, kasan_meta(m));
	m->state = OBJ_FREE;
	m->free_addr = caller;
	if (!slab->freelist) {			/* was full */
		list_del(&slab->lru);
		list_add(&slab->lru, &s->partial);
	}
	*freeptr(s, obj) = slab->freelist;
	slab->freelist = obj;
	if (--slab->inuse == 0) {
		list_del(&slab->lru);
		empty = true;
	}
out:
	spin_unlock_irqrestore(&s->lock, flags);
	if (empty)
		free_slab(s, slab);
}

static unsigned int calculate_order(unsigned int size)
{
	/* The smallest order wasting at most 1/16 of the slab, else 1/8, ... else any that fits. */
	for (unsigned int fraction = 16; fraction >= 1; fraction /= 2)
		for (unsigned int order = 0; order <= SLAB_MAX_ORDER; order++) {
			unsigned long slab_size = PAGE_SIZE << order;
			if (size <= slab_size && slab_size % size <= slab_size / fraction)
				return order;
		}
	return UINT_MAX;
}

static bool kmem_cache_open(struct kmem_cache *s, const char *name, size_t size, size_t align,
			    unsigned int flags, void (*ctor)(void *))
{
	unsigned int ralign = ARCH_KMALLOC_MINALIGN, sz;

	if (!size || size > (PAGE_SIZE << SLAB_MAX_ORDER) || (align & (align - 1)) || align > PAGE_SIZE)
		return false;
	spin_lock_init(&s->lock);
	strlcpy(s->name, name, sizeof(s->name));
	s->object_size = size;
	s->ctor = ctor;
	s->flags = flags | slub_debug;
	/* A constructed object must keep its state while free: no poison (as Linux). */
	if ((s->flags & SLAB_POISON) && !ctor)
		s->flags |= __OBJECT_POISON;
	if (flags & SLAB_HWCACHE_ALIGN) {
		unsigned int hw = CACHE_LINE_SIZE;
		while (size <= hw / 2 && hw > ARCH_KMALLOC_MINALIGN)
			hw /= 2;
		ralign = max(ralign, hw);
	}
	s->align = max(ralign, (unsigned int)align);

	sz = ALIGN(s->object_size, sizeof(void *));
	if (s->flags & SLAB_RED_ZONE)
		sz += sizeof(void *);		/* right red zone: 8 to 15 bytes */
	s->inuse = sz;
	s->offset = sz;			/* free pointer, then obj_meta */
	sz += sizeof(void *) + sizeof(struct obj_meta);
	s->red_left_pad = (s->flags & SLAB_RED_ZONE) ? ALIGN((unsigned int)sizeof(void *), s->align) : 0;
	s->size = ALIGN(sz + s->red_left_pad, s->align);
	s->order = calculate_order(s->size);
	if (s->order > SLAB_MAX_ORDER)
		return false;
	s->objects = (PAGE_SIZE << s->order) / s->size;
	INIT_LIST_HEAD(&s->partial);
	INIT_LIST_HEAD(&s->full);
	spin_lock(&slab_caches_lock);
	list_add(&s->list, &slab_caches);
	spin_unlock(&slab_caches_lock);
	return true;
}

struct kmem_cache *kmem_cache_create(const char *name, size_t size, size_t align,
				     unsigned int flags, void (*ctor)(void *))
{
	struct kmem_cache *s;

	if (WARN_ON_ONCE(!kmem_cache_boot.objects) || !name)	/* before kmem_cache_init() */
		return NULL;
	s = kmem_cache_zalloc(&kmem_cache_boot, GFP_KERNEL);
	if (!s)
		return NULL;
	if (!kmem_cache_open(s, name, size, align, flags, ctor)) {
		pr_err("kmem_cache_create(%s) failed: size %lu align %lu\n", name, size, align);
		kmem_cache_free(&kmem_cache_boot, s);
		return NULL;
	}
	return s;
}

/* Name each object still allocated in a slab of a cache being destroyed. */
static void list_slab_objects(struct kmem_cache *s, struct page *slab)
{
	slab_bug(s->name, "Objects remaining in %s on __kmem_cache_shutdown()", s->name);
	print_slab_info(s, slab);
	for (unsigned int i = 0; i < s->objects; i++) {
		u8 *obj = slab_obj(s, slab, i);
		if (get_meta(s, obj)->state == OBJ_FREE)
			continue;
		pr_err("Object 0x%p @offset=%lu\n", obj, (unsigned long)(obj - slab_base(slab)));
		print_tracking(s, obj);
	}
}

/*
 * Free every slab, even one with live objects: those are reported and their
 * memory returns to the page allocator (Linux instead keeps such a cache
 * forever). The caller must make sure nobody uses the cache any more.
 */
void kmem_cache_destroy(struct kmem_cache *s)
{
	struct page *slab, *tmp;
	unsigned long flags;
	bool leaked = false;

	if (!s || WARN_ON(s == &kmem_cache_boot))
		return;
	struct list_head *lists[] = { &s->partial, &s->full };
	spin_lock_irqsave(&s->lock, flags);
	for (unsigned int i = 0; i < ARRAY_SIZE(lists); i++)
		list_for_each_entry(slab, lists[i], lru)
			if (slab->inuse) {
				list_slab_objects(s, slab);
				leaked = true;
			}
	spin_unlock_irqrestore(&s->lock, flags);
	if (leaked)
		pr_err("kmem_cache_destroy %s: Slab cache still has objects when called from %pS\n",
		       s->name, (void *)_RET_IP_);
	spin_lock(&slab_caches_lock);
	list_del(&s->list);
	spin_unlock(&slab_caches_lock);
	/* Nobody may use the cache any more, so its lists need no lock now. */
	for (unsigned int i = 0; i < ARRAY_SIZE(lists); i++)
		list_for_each_entry_safe(slab, tmp, lists[i], lru)
			free_slab(s, slab);
	kmem_cache_free(&kmem_cache_boot, s);
}

void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp)
{
	return slab_alloc(s, gfp, _RET_IP_);
}

void *kmem_cache_zalloc(struct kmem_cache *s, gfp_t gfp)
{
	return slab_alloc(s, gfp | __GFP_ZERO, _RET_IP_);
}

void kmem_cache_free(struct kmem_cache *s, void *obj)
{
	struct page *slab;

	if (!obj)
		return;
	slab = virt_to_slab(obj);
	if (!slab)
		invalid_free(s->name, obj, " (not in a slab)", _RET_IP_);
	else if (slab->slab_cache != s)
		invalid_free(s->name, obj, " (wrong slab cache: the object is from another)", _RET_IP_);
	else
		slab_free(s, slab, obj, _RET_IP_);
}

static void *kmalloc_large(size_t size, gfp_t gfp)
{
	unsigned int order = 0;
	struct page *page;

	while ((PAGE_SIZE << order) < size)
		if (++order >= MAX_ORDER)
			return NULL;
	page = alloc_pages(gfp & ~__GFP_ZERO, order);
	if (!page)
		return NULL;
	SetPageFlag(page, PG_head);
	page->order = order;
	mod_node_page_state(NR_SLAB_UNRECLAIMABLE_B, PAGE_SIZE << order);	/* as Linux 6.1 counts them */
	if (gfp & __GFP_ZERO)
		memset(page_address(page), 0, PAGE_SIZE << order);
	return kasan_kmalloc_large(page_address(page), size);
}

static void *__kmalloc(size_t size, gfp_t gfp, unsigned long caller)
{
	if (!size)
		return ZERO_SIZE_PTR;
	if (size > KMALLOC_MAX_CACHE_SIZE)
		return kmalloc_large(size, gfp);
	for (unsigned int i = 0; i < ARRAY_SIZE(kmalloc_sizes); i++)
		if (size <= kmalloc_sizes[i])
			return WARN_ON_ONCE(!kmalloc_caches[i]) ? NULL
				: kasan_kmalloc(slab_alloc(kmalloc_caches[i], gfp, caller), size, kmalloc_sizes[i]);
	return NULL;
}

void *kmalloc(size_t size, gfp_t gfp)
{
	return __kmalloc(size, gfp, _RET_IP_);
}

void *kzalloc(size_t size, gfp_t gfp)
{
	return __kmalloc(size, gfp | __GFP_ZERO, _RET_IP_);
}

void *kcalloc(size_t n, size_t size, gfp_t gfp)
{
	size_t bytes;

	return __builtin_mul_overflow(n, size, &bytes) ? NULL : __kmalloc(bytes, gfp | __GFP_ZERO, _RET_IP_);
}

void kfree(const void *obj)
{
	struct page *page, *slab;

	if (ZERO_OR_NULL_PTR(obj))
		return;
	slab = virt_to_slab(obj);
	if (slab) {
		slab_free(slab->slab_cache, slab, (void *)obj, _RET_IP_);
		return;
	}
	page = addr_to_page(obj);
	if (page && PageFlag(page, PG_head) && !PageSlab(page) && !PageBuddy(page) &&
	    obj == page_address(page)) {
		ClearPageFlag(page, PG_head);
		mod_node_page_state(NR_SLAB_UNRECLAIMABLE_B, -(long)(PAGE_SIZE << page->order));
		__free_pages(page, page->order);
		return;
	}
	invalid_free("kfree", obj, " (neither in a slab nor a kmalloc page)", _RET_IP_);
}

size_t ksize(const void *obj)
{
	struct page *page, *slab;

	if (ZERO_OR_NULL_PTR(obj))
		return 0;
	slab = virt_to_slab(obj);
	if (slab) {
		kasan_unpoison_range(obj, slab->slab_cache->object_size);	/* the caller may use it all */
		return slab->slab_cache->object_size;
	}
	page = addr_to_page(obj);
	if (page && PageFlag(page, PG_head))
		return PAGE_SIZE << page->order;
	return 0;
}

void kmem_cache_init(void)
{
	char name[16];

	if (!kmem_cache_open(&kmem_cache_boot, "kmem_cache", sizeof(struct kmem_cache), 0,
			     SLAB_HWCACHE_ALIGN, NULL))
		panic("kmem_cache_init: cannot set up the kmem_cache cache");
	for (unsigned int i = 0; i < ARRAY_SIZE(kmalloc_sizes); i++) {
		snprintf(name, sizeof(name), "kmalloc-%u", kmalloc_sizes[i]);
		kmalloc_caches[i] = kmem_cache_create(name, kmalloc_sizes[i], 0, 0, NULL);
		if (!kmalloc_caches[i])
			panic("kmem_cache_init: cannot create %s", name);
	}
	pr_info("SLUB: HWalign=%d, Order=0-%d, MinObjects=0, CPUs=1, Nodes=1\n",
		CACHE_LINE_SIZE, SLAB_MAX_ORDER);
}

/* ---- /proc/slabinfo ---- */

static void cache_show(struct seq_file *m, struct kmem_cache *s)
{
	unsigned long nr_slabs = 0, nr_objs = 0, nr_free = 0, flags;
	struct page *slab;

	spin_lock_irqsave(&s->lock, flags);
	list_for_each_entry(slab, &s->partial, lru) {
		nr_slabs++;
		nr_free += s->objects - slab->inuse;
	}
	list_for_each_entry(slab, &s->full, lru)
		nr_slabs++;
	spin_unlock_irqrestore(&s->lock, flags);
	nr_objs = nr_slabs * s->objects;
	seq_printf(m, "%-17s %6lu %6lu %6u %4u %4d : tunables %4u %4u %4u : slabdata %6lu %6lu %6lu\n", s->name,
		   nr_objs - nr_free, nr_objs, s->size, s->objects, 1 << s->order, 0, 0, 0, nr_slabs, nr_slabs, 0UL);
}

static int slabinfo_show(struct seq_file *m, void *v)
{
	struct kmem_cache *s;

	seq_puts(m, "slabinfo - version: 2.1\n");
	seq_puts(m, "# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables "
		    "<limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>\n");
	spin_lock(&slab_caches_lock);
	list_for_each_entry(s, &slab_caches, list)
		cache_show(m, s);
	spin_unlock(&slab_caches_lock);
	return 0;
}

void slabinfo_proc_init(void)
{
	proc_create_single("slabinfo", 0400, NULL, slabinfo_show);
}

#ifdef CONFIG_KASAN
/* For KASAN's reports: the object whose slot holds addr, if addr is in a slab. */
bool kasan_find_slab_object(const void *addr, struct kasan_slab_object *info)
{
	struct page *slab = virt_to_slab(addr);

	if (!slab)
		return false;
	struct kmem_cache *s = slab->slab_cache;
	size_t slot = ((const u8 *)addr - slab_base(slab)) / s->size;
	u8 *obj = slab_obj(s, slab, min(slot, (size_t)s->objects - 1));
	struct obj_meta *m = get_meta(s, obj);

	*info = (struct kasan_slab_object){ .object = obj, .cache_name = s->name,
		.object_size = s->object_size, .freed = m->state != OBJ_ALLOCATED, .meta = kasan_meta(m) };
	return true;
}
#endif
