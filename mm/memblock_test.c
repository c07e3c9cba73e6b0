/*
 * ktests for memblock (mm/memblock.c). memblock is boot-time only, but its
 * tables stay in memory (the `memblock` global), so after boot they can be
 * checked: both arrays sorted, non-overlapping and merged, the kernel image
 * and the boot allocations reserved, and nothing reserved handed to the
 * buddy allocator. One test works the functions on tables of its own making:
 * it saves the real ones first and puts them back (nothing reads memblock
 * after boot while a ktest runs), with interrupts off meanwhile.
 */
#include <kernel/kernel.h>
#include <kernel/ktest.h>
#include <kernel/printk.h>
#include <lib/string.h>
#include <arch/irqflags.h>
#include <mm/mm.h>
#include <mm/gfp.h>
#include <mm/memblock.h>
#include <arch/pgtable.h>

/* Sorted by base, sizes non-zero, and strictly apart (touching regions are merged on insert). */
static int check_sorted(const struct memblock_type *t)
{
	for (unsigned long i = 0; i < t->cnt; i++) {
		const struct memblock_region *r = &t->regions[i];
		if (!r->size || r->base + r->size < r->base)
			return (int)i;
		if (i + 1 < t->cnt && r->base + r->size >= t->regions[i + 1].base)
			return (int)i;
	}
	return -1;
}

KTEST(memblock_regions_sorted)
{
	KT_ASSERT(memblock.memory.cnt > 0 && memblock.memory.cnt <= MEMBLOCK_MAX_REGIONS);
	KT_ASSERT(memblock.reserved.cnt > 0 && memblock.reserved.cnt <= MEMBLOCK_MAX_REGIONS);
	int bad = check_sorted(&memblock.memory);
	KT_ASSERT_MSG(bad < 0, "memory region %d out of order or overlapping", bad);
	bad = check_sorted(&memblock.reserved);
	KT_ASSERT_MSG(bad < 0, "reserved region %d out of order or overlapping", bad);

	phys_addr_t total = 0;
	for (unsigned long i = 0; i < memblock.memory.cnt; i++)
		total += memblock.memory.regions[i].size;
	KT_ASSERT_EQ(memblock_phys_mem_size(), total);
	const struct memblock_region *last = &memblock.memory.regions[memblock.memory.cnt - 1];
	KT_ASSERT_EQ(memblock_end_of_DRAM(), last->base + last->size);
	KT_ASSERT((phys_addr_t)totalram_pages << PAGE_SHIFT <= total);
}

/* memblock_dump() (loglevel=8 shows it at boot): a count line per table, then a line per region. */
KTEST(memblock_dump_lines)
{
	u64 seq = READ_ONCE(log_next_seq);

	memblock_dump();
	KT_ASSERT_EQ(ktest_log_count(seq, "memblock: memory: "), 1);
	KT_ASSERT_EQ(ktest_log_count(seq, "memblock: reserved: "), 1);
	KT_ASSERT_EQ(ktest_log_count(seq, "  [mem 0x"), (int)(memblock.memory.cnt + memblock.reserved.cnt));
}

/* The kernel image lies inside one reserved region, as do mem_map and the kernel's top page table. */
KTEST(memblock_kernel_reserved)
{
	phys_addr_t start = __pa_symbol(_text), end = __pa_symbol(_end);
	const struct memblock_region *hit = NULL;

	for (unsigned long i = 0; i < memblock.reserved.cnt; i++) {
		const struct memblock_region *r = &memblock.reserved.regions[i];
		if (r->base <= start && end <= r->base + r->size)
			hit = r;
	}
	KT_ASSERT_MSG(hit, "no reserved region holds the kernel image [%#llx-%#llx)", start, end);
	KT_ASSERT(memblock_is_reserved(start));
	KT_ASSERT(memblock_is_reserved(end - 1));
	for (phys_addr_t pa = start; pa < end; pa += PAGE_SIZE) {
		KT_ASSERT_MSG(memblock_is_reserved(pa), "%#llx not reserved", pa);
		KT_ASSERT_MSG(PageReserved(pfn_to_page(PFN_DOWN(pa))), "pfn %#llx of the image not PG_reserved",
			      PFN_DOWN(pa));
	}
	KT_ASSERT(memblock_is_reserved(__pa_symbol(&memblock)));
	KT_ASSERT(memblock_is_reserved(0));		/* the first MiB */
	KT_ASSERT(memblock_is_reserved(0xfffff));
	KT_ASSERT(memblock_is_reserved(__pa(mem_map)));
	KT_ASSERT(memblock_is_reserved(__pa(mem_map) + max_pfn * sizeof(struct page) - 1));
	KT_ASSERT(memblock_is_reserved(__pa(init_pgd)));
}

/* What the buddy allocator hands out was never reserved, and every reserved frame is PG_reserved. */
KTEST(memblock_free_not_reserved)
{
	unsigned long base = nr_free_pages();
	struct page *p[4];

	for (unsigned int o = 0; o < 4; o++) {
		p[o] = alloc_pages(GFP_KERNEL, o * 3);
		KT_ASSERT(p[o]);
	}
	for (unsigned int o = 0; o < 4; o++) {
		for (unsigned long i = 0; i < (1UL << (o * 3)); i++)
			KT_ASSERT_MSG(!memblock_is_reserved(page_to_phys(p[o] + i)), "pfn %#lx is reserved",
				      page_to_pfn(p[o] + i));
		__free_pages(p[o], o * 3);
	}
	KT_ASSERT_EQ(nr_free_pages(), base);

	for (unsigned long i = 0; i < memblock.reserved.cnt; i++) {
		const struct memblock_region *r = &memblock.reserved.regions[i];
		unsigned long end = min(PFN_UP(r->base + r->size), max_pfn);
		for (unsigned long pfn = PFN_DOWN(r->base); pfn < end; pfn++)
			KT_ASSERT_MSG(PageReserved(pfn_to_page(pfn)) && !PageBuddy(pfn_to_page(pfn)),
				      "reserved pfn %#lx is managed by the buddy allocator", pfn);
	}
}

/* The regions of t are exactly want[0..n) (base, end pairs); else which one is not. */
static int regions_are(const struct memblock_type *t, const phys_addr_t (*want)[2], unsigned long n)
{
	if (t->cnt != n)
		return (int)min(t->cnt, n);
	for (unsigned long i = 0; i < n; i++)
		if (t->regions[i].base != want[i][0] || t->regions[i].base + t->regions[i].size != want[i][1])
			return (int)i;
	return -1;
}

static struct memblock saved_memblock;
static char memblock_why[128];

#define MB_CHECK(cond, ...) do { if (!(cond)) { \
	snprintf(memblock_why, sizeof(memblock_why), __VA_ARGS__); return; } } while (0)
#define MB_REGIONS(t, ...) do { static const phys_addr_t _w[][2] = { __VA_ARGS__ }; \
	int _bad = regions_are(t, _w, ARRAY_SIZE(_w)); \
	MB_CHECK(_bad < 0, "line %d: %s region %d (of %lu)", __LINE__, (t)->name, _bad, (t)->cnt); } while (0)

/* Inserting merges what touches or overlaps; mem= drops and trims; allocation goes top-down. */
static void memblock_work(void)
{
	struct memblock_type *mem = &memblock.memory, *res = &memblock.reserved;

	mem->cnt = res->cnt = 0;
	memblock_reserve(0x5000, 0x1000);
	memblock_reserve(0x1000, 0x1000);
	memblock_reserve(0x3000, 0x1000);
	MB_CHECK(memblock_reserve(0x9000, 0) == 0, "a reservation of 0 bytes failed");	/* adds nothing */
	MB_REGIONS(res, { 0x1000, 0x2000 }, { 0x3000, 0x4000 }, { 0x5000, 0x6000 });
	memblock_reserve(0x2000, 0x1000);			/* touches two: one region */
	MB_REGIONS(res, { 0x1000, 0x4000 }, { 0x5000, 0x6000 });
	memblock_reserve(0x4800, 0x1000);			/* overlaps the second */
	MB_REGIONS(res, { 0x1000, 0x4000 }, { 0x4800, 0x6000 });
	memblock_reserve(0x0, 0x10000);				/* covers all */
	MB_REGIONS(res, { 0x0, 0x10000 });
	MB_CHECK(memblock_is_reserved(0) && memblock_is_reserved(0xffff) && !memblock_is_reserved(0x10000),
		 "memblock_is_reserved() at the edges");

	res->cnt = 0;
	for (unsigned long i = 0; i < MEMBLOCK_MAX_REGIONS; i++)	/* full, every region apart */
		memblock_reserve(i * 0x2000, 0x1000);
	MB_CHECK(res->cnt == MEMBLOCK_MAX_REGIONS, "%lu regions after filling", res->cnt);
	MB_CHECK(memblock_reserve(0x1000000, 0x1000) == -1 && res->cnt == MEMBLOCK_MAX_REGIONS,
		 "a region past the last slot was taken");
	MB_CHECK(memblock_reserve(0x1000, 0x1000) == 0 && res->cnt == MEMBLOCK_MAX_REGIONS - 1,
		 "filling a gap: %lu regions", res->cnt);	/* merges two into one */

	memblock_add(0x400000, 0x100000);
	memblock_add(0x100000, 0x100000);
	memblock_add(0x600000, 0x100000);
	MB_CHECK(memblock_phys_mem_size() == 0x300000 && memblock_end_of_DRAM() == 0x700000, "sizes");
	memblock_enforce_memory_limit(0x480000);		/* trims one, drops the last */
	MB_REGIONS(mem, { 0x100000, 0x200000 }, { 0x400000, 0x480000 });
	memblock_enforce_memory_limit(0x100000);		/* drops all */
	MB_CHECK(mem->cnt == 0 && memblock_end_of_DRAM() == 0, "mem= below all memory");

	memblock_add(0x100000, 0x100000);
	res->cnt = 0;
	memblock_reserve(0x1f0000, 0x10000);
	memblock.current_limit = 0x200000;
	MB_CHECK(memblock_phys_alloc(0x2000, 0x1000) == 0x1ee000, "the highest free range");
	MB_REGIONS(res, { 0x1ee000, 0x200000 });			/* reserved, merged with its neighbour */
	MB_CHECK(memblock_phys_alloc(0x3000, 0x4000) == 0x1e8000, "an aligned range below the reserved");
	memblock.current_limit = 0x180000;
	MB_CHECK(memblock_phys_alloc(0x1000, 0x1000) == 0x17f000, "below current_limit");
	MB_CHECK(memblock_phys_alloc(0x200000, 0x1000) == 0, "more than there is");
}

KTEST(memblock_functions)
{
	unsigned long flags;

	memblock_why[0] = 0;
	local_irq_save(flags);
	memcpy(&saved_memblock, &memblock, sizeof(memblock));
	memblock_work();
	memcpy(&memblock, &saved_memblock, sizeof(memblock));
	local_irq_restore(flags);
	KT_ASSERT_MSG(!memblock_why[0], "%s", memblock_why);
}
