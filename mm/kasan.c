/*
 * KASAN's shadow memory, checks and allocator hooks (Linux: mm/kasan/init.c,
 * shadow.c, generic.c, common.c); see include/mm/kasan.h and
 * docs/sanitizers.md. Only in the SANITIZE=1 build.
 *
 * GCC calls __asan_{load,store}N_noabort(addr) before every memory access
 * of instrumented code (outline instrumentation). The check looks at the
 * shadow only when addr lies in a shadowed range (the direct map and the
 * kernel image), so user addresses, vmalloc space and the stacks in it pass
 * unchecked and need no shadow. The shadow is mapped by kasan_init() with
 * memblock memory before the buddy allocator starts; checks are off until
 * then (kasan_enabled).
 *
 * Every page starts poisoned as free (KASAN_PAGE_FREE) unless memblock
 * reserved it; the allocator hooks keep the shadow right from then on and
 * record who allocated and freed (pid and a stack depot handle): for slab
 * objects in their debug metadata (mm/slab.c), for pages in page_meta[].
 * This file is not instrumented itself.
 *
 * Locking: a page's or object's shadow and tracks belong to whoever
 * allocates or frees it (the allocators serialise those); a check only
 * reads the shadow. page_meta[] is per pfn, written at allocation and free.
 */
#include <kernel/kernel.h>
#include <kernel/cmdline.h>
#include <kernel/sched.h>
#include <kernel/sanitizer.h>
#include <lib/string.h>
#include <lib/stackdepot.h>
#include <mm/mm.h>
#include <mm/kasan.h>
#include <mm/memblock.h>
#include <arch/pgtable.h>
#include "kasan_internal.h"

#ifdef CONFIG_KASAN

#define KASAN_STACK_DEPTH 16
#define STACK_DEPOT_SIZE (2UL << 20)

bool kasan_enabled;
unsigned long kasan_direct_map_end;	/* PAGE_OFFSET + all of RAM's frames */
struct kasan_alloc_meta *kasan_page_meta;	/* per pfn: the last allocation and free */

/* The constructors GCC makes for each instrumented file: they register its globals (boot/kernel.ld). */
extern void (*const __init_array_start[])(void), (*const __init_array_end[])(void);

/* ---- the shadow ---------------------------------------------------------- */

/* Mark [addr, addr+size) with value; addr and size are whole granules. */
void kasan_poison(const void *addr, size_t size, u8 value)
{
	memset(kasan_mem_to_shadow(addr), value, size >> KASAN_SHADOW_SCALE_SHIFT);
}

/* Make [addr, addr+size) accessible; a partial last granule records how much of it is. */
void kasan_unpoison(const void *addr, size_t size)
{
	u8 *shadow = kasan_mem_to_shadow(addr);

	memset(shadow, 0, size >> KASAN_SHADOW_SCALE_SHIFT);
	if (size & KASAN_GRANULE_MASK)
		shadow[size >> KASAN_SHADOW_SCALE_SHIFT] = size & KASAN_GRANULE_MASK;
}

static __always_inline bool byte_is_poisoned(unsigned long addr)
{
	s8 v = *(s8 *)kasan_mem_to_shadow((void *)addr);

	/* 0: all accessible; 1..7: the first v bytes are; negative: none. */
	return unlikely(v) && (s8)(addr & KASAN_GRANULE_MASK) >= v;
}

/* The first poisoned byte of [addr, addr+size), or 0. */
unsigned long kasan_find_first_bad_addr(unsigned long addr, size_t size)
{
	unsigned long last = addr + size - 1;

	for (unsigned long g = addr & ~KASAN_GRANULE_MASK; g <= last; g += KASAN_GRANULE_SIZE) {
		/* Eight granules at once where they all are inside the range. */
		if (!(g & 63) && g + 63 <= last && !*(u64 *)kasan_mem_to_shadow((void *)g)) {
			g += 64 - KASAN_GRANULE_SIZE;
			continue;
		}
		/* A partial granule keeps its prefix: if the range's last byte in it is good, all are. */
		if (byte_is_poisoned(min(g + KASAN_GRANULE_MASK, last)))
			for (unsigned long a = max(g, addr); ; a++)
				if (byte_is_poisoned(a))
					return a;
	}
	return 0;
}

static __always_inline bool check_region(unsigned long addr, size_t size, bool write, unsigned long ip)
{
	if (unlikely(!READ_ONCE(kasan_enabled)) || !size || !kasan_addr_has_shadow(addr))
		return true;
	/* The common case, an access inside one granule, needs one shadow byte. */
	if (likely(size <= KASAN_GRANULE_SIZE && ((addr ^ (addr + size - 1)) & ~KASAN_GRANULE_MASK) == 0)) {
		if (likely(!byte_is_poisoned(addr + size - 1)))
			return true;
	} else if (addr + size < addr || !kasan_addr_has_shadow(addr + size - 1)) {
		kasan_report(addr, size, write, ip);	/* wraps, or runs off the shadowed range */
		return false;
	} else if (!kasan_find_first_bad_addr(addr, size)) {
		return true;
	}
	kasan_report(addr, size, write, ip);
	return false;
}

/* ---- the compiler's entry points ------------------------------------------ */

#define DEFINE_ASAN_LOAD_STORE(size) \
	void __asan_load##size##_noabort(unsigned long addr) \
	{ check_region(addr, size, false, _RET_IP_); } \
	void __asan_store##size##_noabort(unsigned long addr) \
	{ check_region(addr, size, true, _RET_IP_); }

DEFINE_ASAN_LOAD_STORE(1)
DEFINE_ASAN_LOAD_STORE(2)
DEFINE_ASAN_LOAD_STORE(4)
DEFINE_ASAN_LOAD_STORE(8)
DEFINE_ASAN_LOAD_STORE(16)

void __asan_loadN_noabort(unsigned long addr, size_t size)
{
	check_region(addr, size, false, _RET_IP_);
}

void __asan_storeN_noabort(unsigned long addr, size_t size)
{
	check_region(addr, size, true, _RET_IP_);
}

/* Called before a noreturn call; only user-space ASan, which unpoisons the stack, needs it. */
void __asan_handle_no_return(void)
{
}

/* Every file's table of globals, so that a report can name the variable (kallsyms has only functions). */
#define MAX_GLOBAL_TABLES 512
static struct {
	const struct kasan_global *globals;
	size_t n;
} global_tables[MAX_GLOBAL_TABLES];
static unsigned int nr_global_tables;

bool kasan_find_global(unsigned long addr, const char **name, unsigned long *offset, size_t *size)
{
	for (unsigned int t = 0; t < nr_global_tables; t++)
		for (size_t i = 0; i < global_tables[t].n; i++) {
			const struct kasan_global *g = &global_tables[t].globals[i];
			if (addr - (unsigned long)g->beg < g->size_with_redzone) {
				*name = g->name;
				*offset = addr - (unsigned long)g->beg;
				*size = g->size;
				return true;
			}
		}
	return false;
}

void __asan_register_globals(struct kasan_global *globals, size_t n)
{
	if (nr_global_tables < MAX_GLOBAL_TABLES)
		global_tables[nr_global_tables++] = (typeof(global_tables[0])){ globals, n };
	for (size_t i = 0; i < n; i++) {
		const struct kasan_global *g = &globals[i];
		unsigned long end = ALIGN((unsigned long)g->beg + g->size, KASAN_GRANULE_SIZE);

		kasan_unpoison(g->beg, g->size);
		kasan_poison((void *)end, (unsigned long)g->beg + g->size_with_redzone - end,
			     KASAN_GLOBAL_REDZONE);
	}
}

void __asan_unregister_globals(struct kasan_global *globals, size_t n)
{
}

/* memset/memcpy/memmove as instrumented code calls them (include/lib/string.h): both ranges checked. */
void *kasan_memset(void *s, int c, size_t n)
{
	check_region((unsigned long)s, n, true, _RET_IP_);
	return memset(s, c, n);
}

void *kasan_memcpy(void *dst, const void *src, size_t n)
{
	if (check_region((unsigned long)src, n, false, _RET_IP_))
		check_region((unsigned long)dst, n, true, _RET_IP_);
	return memcpy(dst, src, n);
}

void *kasan_memmove(void *dst, const void *src, size_t n)
{
	if (check_region((unsigned long)src, n, false, _RET_IP_))
		check_region((unsigned long)dst, n, true, _RET_IP_);
	return memmove(dst, src, n);
}

bool kasan_check_read(const void *p, size_t size)
{
	return check_region((unsigned long)p, size, false, _RET_IP_);
}

bool kasan_check_write(const void *p, size_t size)
{
	return check_region((unsigned long)p, size, true, _RET_IP_);
}

/* ---- allocator hooks ------------------------------------------------------ */

static void set_track(struct kasan_track *t)
{
	unsigned long entries[KASAN_STACK_DEPTH];
	unsigned int n = stack_trace_save(entries, ARRAY_SIZE(entries), 0);

	t->pid = current->pid;
	t->stack = stack_depot_save(entries, n);
}

void kasan_alloc_pages(struct page *page, unsigned int order)
{
	struct kasan_track t;

	if (!kasan_enabled)
		return;
	kasan_unpoison(page_address(page), PAGE_SIZE << order);
	set_track(&t);
	for (unsigned long i = 0; i < (1UL << order); i++)
		kasan_page_meta[page_to_pfn(page) + i].alloc_track = t;
}

void kasan_free_pages(struct page *page, unsigned int order)
{
	struct kasan_track t;

	if (!kasan_enabled)
		return;
	kasan_poison(page_address(page), PAGE_SIZE << order, KASAN_PAGE_FREE);
	set_track(&t);
	for (unsigned long i = 0; i < (1UL << order); i++)
		kasan_page_meta[page_to_pfn(page) + i].free_track = t;
}

/* A new slab: all red zone until objects are handed out. */
void kasan_poison_slab(struct page *slab, unsigned int order)
{
	if (kasan_enabled)
		kasan_poison(page_address(slab), PAGE_SIZE << order, KASAN_SLAB_REDZONE);
}

void kasan_slab_alloc(void *obj, size_t size, struct kasan_alloc_meta *meta)
{
	if (!kasan_enabled)
		return;
	kasan_unpoison(obj, size);
	set_track(&meta->alloc_track);
	meta->free_track = (struct kasan_track){ 0 };
}

void kasan_slab_free(void *obj, size_t size, struct kasan_alloc_meta *meta)
{
	if (!kasan_enabled)
		return;
	kasan_poison(obj, ALIGN(size, KASAN_GRANULE_SIZE), KASAN_SLAB_FREE);
	set_track(&meta->free_track);
}

/* kmalloc(size) from an object_size cache: the bytes past size are red zone too. */
void *kasan_kmalloc(void *obj, size_t size, size_t object_size)
{
	size_t rz = ALIGN(size, KASAN_GRANULE_SIZE);

	if (!kasan_enabled || !obj)
		return obj;
	kasan_unpoison(obj, size);
	kasan_poison((u8 *)obj + rz, ALIGN(object_size, KASAN_GRANULE_SIZE) - rz, KASAN_SLAB_REDZONE);
	return obj;
}

/* A kmalloc() served by whole pages: the rest of the block is red zone. */
void *kasan_kmalloc_large(void *ptr, size_t size)
{
	size_t block = PAGE_SIZE, rz = ALIGN(size, KASAN_GRANULE_SIZE);

	if (!kasan_enabled || !ptr)
		return ptr;
	while (block < size)
		block <<= 1;
	kasan_unpoison(ptr, size);
	kasan_poison((u8 *)ptr + rz, block - rz, KASAN_PAGE_REDZONE);
	return ptr;
}

void kasan_unpoison_range(const void *addr, size_t size)
{
	if (kasan_enabled && kasan_addr_has_shadow((unsigned long)addr))
		kasan_unpoison(addr, size);
}

/* ---- boot ------------------------------------------------------------------ */

bool kasan_multi_shot;

static int kasan_multi_shot_setup(char *val)
{
	kasan_multi_shot = true;
	return 0;
}
__setup("kasan_multi_shot", kasan_multi_shot_setup);

/*
 * Map zeroed memblock memory as the shadow of [start, end). The shadow's
 * PGD slots are new: they are filled in here directly, which is safe
 * because no other address space exists yet to have copied the kernel
 * half of init_pgd (paging_init() has frozen it against later additions).
 */
static unsigned long map_shadow(unsigned long start, unsigned long end)
{
	unsigned long s = ALIGN_DOWN((unsigned long)kasan_mem_to_shadow((void *)start), PAGE_SIZE);
	unsigned long e = ALIGN((unsigned long)kasan_mem_to_shadow((void *)end), PAGE_SIZE);
	unsigned long flags;
	int err;

	for (unsigned long a = s; a < e; a = ALIGN_DOWN(a, PGDIR_SIZE) + PGDIR_SIZE) {
		pgd_t *pgd = pt_entry(init_pgd, PG_LEVEL_512G, a);
		if (!pte_present(*pgd))
			pgd->pte = __pa(memblock_alloc(PAGE_SIZE, PAGE_SIZE)) | _PAGE_PRESENT | _PAGE_RW |
				   _PAGE_ACCESSED;
	}
	void *mem = memblock_alloc(e - s, e - s >= PMD_SIZE ? PMD_SIZE : PAGE_SIZE);
	spin_lock_irqsave(&kernel_map_lock, flags);
	err = map_pages(init_pgd, s, __pa(mem), e - s, PAGE_KERNEL, PMD_SIZE);
	spin_unlock_irqrestore(&kernel_map_lock, flags);
	if (err)
		panic("kasan: cannot map the shadow of [%#lx-%#lx)", start, end);
	return e - s;
}

/* Free memory is poisoned; what memblock has reserved (the kernel, its tables, modules) is not. */
static void poison_free_memory(void)
{
	kasan_poison((void *)PAGE_OFFSET, kasan_direct_map_end - PAGE_OFFSET, KASAN_PAGE_FREE);
	for (unsigned long i = 0; i < memblock.reserved.cnt; i++) {
		const struct memblock_region *r = &memblock.reserved.regions[i];
		phys_addr_t start = ALIGN_DOWN(r->base, PAGE_SIZE);
		phys_addr_t end = min(ALIGN(r->base + r->size, PAGE_SIZE), PFN_PHYS(max_pfn));
		if (start < end)
			kasan_unpoison(__va(start), end - start);
	}
}

void kasan_init(void)
{
	unsigned long shadow;

	kasan_direct_map_end = PAGE_OFFSET + PFN_PHYS(max_pfn);
	shadow = map_shadow(PAGE_OFFSET, kasan_direct_map_end);
	shadow += map_shadow((unsigned long)_text, (unsigned long)_end);
	kasan_page_meta = memblock_alloc(max_pfn * sizeof(*kasan_page_meta), PAGE_SIZE);
	stack_depot_init(memblock_alloc(STACK_DEPOT_SIZE, PAGE_SIZE), STACK_DEPOT_SIZE);
	poison_free_memory();
	for (void (*const *ctor)(void) = __init_array_start; ctor < __init_array_end; ctor++)
		(*ctor)();
	kasan_enabled = true;
	pr_info("kasan: KernelAddressSanitizer initialized (generic, outline): %luK of shadow, "
		"%luK of page tracks, %luK stack depot\n", shadow >> 10,
		(max_pfn * sizeof(*kasan_page_meta)) >> 10, STACK_DEPOT_SIZE >> 10);
}

#endif
