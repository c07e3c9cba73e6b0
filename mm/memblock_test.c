/*
 * ktests for memblock (mm/memblock.c). memblock is boot-time only, but its
 * tables stay in memory (the `memblock` global), so after boot they can be
 * checked: both arrays sorted, non-overlapping and merged, the kernel image
 * and the boot allocations reserved, and nothing reserved handed to the
 * buddy allocator. Read-only: no test changes memblock.
 */
#include <kernel/kernel.h>
#include <kernel/ktest.h>
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
