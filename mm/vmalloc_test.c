/*
 * ktests for vmalloc and ioremap (mm/vmalloc.c): contents, the guard page
 * after each area, non-overlapping areas, vfree(NULL), and ioremap of a
 * RAM page seen through both mappings.
 *
 * Page tables that vmalloc() allocates for the area stay when it is freed,
 * so the vmalloc tests first do one vmalloc()+vfree() of the same size:
 * first fit puts the measured allocation at the same address, whose tables
 * then exist, and free pages must come back to the baseline exactly.
 */
#include <kernel/kernel.h>
#include <kernel/ktest.h>
#include <lib/string.h>
#include <mm/mm.h>
#include <mm/gfp.h>
#include <mm/vmalloc.h>
#include <mm/slab.h>
#include <arch/io.h>
#include <arch/pgtable.h>
#include <arch/extable.h>
#include <arch/traps.h>

#define PF PROBE_FAULT(X86_TRAP_PF)

/* Warm up (see above); returns the address the warm-up got. */
static unsigned long warm_up(size_t size)
{
	void *p = vmalloc(size);
	vfree(p);
	return (unsigned long)p;
}

KTEST(vmalloc_guard_page)
{
	const size_t size = 3 * PAGE_SIZE;
	unsigned long warm = warm_up(size);
	unsigned long base = nr_free_pages();
	unsigned long pf = exception_counts[X86_TRAP_PF];
	enum pg_level level;
	u8 v = 0;

	KT_ASSERT(warm);
	u8 *p = vmalloc(size);
	KT_ASSERT(p);
	KT_ASSERT_EQ((unsigned long)p, warm);
	KT_ASSERT(is_vmalloc_addr(p));
	KT_ASSERT(IS_ALIGNED((unsigned long)p, PAGE_SIZE));
	KT_ASSERT(nr_free_pages() <= base - 3);

	for (size_t i = 0; i < size; i++)
		p[i] = (u8)(i * 7 + 1);
	for (size_t i = 0; i < size; i++)
		KT_ASSERT_MSG(p[i] == (u8)(i * 7 + 1), "byte %lu", i);
	/* Each page is a separate frame, mapped RW and NX. */
	for (int i = 0; i < 3; i++) {
		pte_t *e = lookup_address((unsigned long)p + i * PAGE_SIZE, &level);
		KT_ASSERT(e && level == PG_LEVEL_4K);
		KT_ASSERT((e->pte & _PAGE_RW) && (e->pte & _PAGE_NX) == (_PAGE_NX & __supported_pte_mask));
		KT_ASSERT_EQ(*(u8 *)__va(pte_phys(*e)), (u8)(i * PAGE_SIZE * 7 + 1));
	}

	/* The byte after the end is in the guard page. */
	KT_ASSERT(!lookup_address((unsigned long)p + size, &level));
	KT_ASSERT_EQ(probe_write_u8(p + size, 0xee), PF);
	KT_ASSERT_EQ(probe_read_u8(p + size + PAGE_SIZE - 1, &v), PF);
	KT_ASSERT_EQ(probe_write_u8(p + size - 1, 0xee), 0);
	KT_ASSERT_EQ(exception_counts[X86_TRAP_PF], pf + 2);

	vfree(p);
	KT_ASSERT(!lookup_address((unsigned long)p, &level));
	KT_ASSERT_EQ(probe_read_u8(p, &v), PF);
	KT_ASSERT_EQ(nr_free_pages(), base);
}

/* Sizes round up to whole pages; 0 gets nothing. */
KTEST(vmalloc_sizes)
{
	unsigned long warm = warm_up(1);
	unsigned long base = nr_free_pages();
	enum pg_level level;

	KT_ASSERT(vmalloc(0) == NULL);
	u8 *p = vmalloc(1);
	KT_ASSERT(p);
	KT_ASSERT_EQ((unsigned long)p, warm);
	KT_ASSERT(lookup_address((unsigned long)p + PAGE_SIZE - 1, &level));
	KT_ASSERT(!lookup_address((unsigned long)p + PAGE_SIZE, &level));
	memset(p, 0x42, PAGE_SIZE);
	vfree(p);
	KT_ASSERT_EQ(nr_free_pages(), base);
}

KTEST(vmalloc_no_overlap)
{
	const size_t sa = 2 * PAGE_SIZE, sb = 5 * PAGE_SIZE;
	void *wa = vmalloc(sa), *wb = vmalloc(sb);	/* warm-up of the pair */
	vfree(wb);
	vfree(wa);
	unsigned long base = nr_free_pages();
	enum pg_level level;

	KT_ASSERT(wa && wb);
	u8 *a = vmalloc(sa), *b = vmalloc(sb);
	KT_ASSERT(a && b);
	KT_ASSERT(a == wa && b == wb);
	unsigned long as = (unsigned long)a, bs = (unsigned long)b;
	/* Disjoint, with at least one unmapped guard page between them. */
	KT_ASSERT(as + sa + PAGE_SIZE <= bs || bs + sb + PAGE_SIZE <= as);
	unsigned long gap = as < bs ? as + sa : bs + sb;
	KT_ASSERT(!lookup_address(gap, &level));

	memset(a, 0x11, sa);
	memset(b, 0x22, sb);
	KT_ASSERT(!memchr_inv(a, 0x11, sa));
	KT_ASSERT(!memchr_inv(b, 0x22, sb));
	/* No frame is shared. */
	for (size_t i = 0; i < sa; i += PAGE_SIZE)
		for (size_t j = 0; j < sb; j += PAGE_SIZE)
			KT_ASSERT(slow_virt_to_phys(as + i) != slow_virt_to_phys(bs + j));

	/* Freeing the first leaves the second intact; a new area may reuse the hole. */
	vfree(a);
	KT_ASSERT(!memchr_inv(b, 0x22, sb));
	u8 *c = vmalloc(sa);
	KT_ASSERT(c);
	KT_ASSERT(c == a);	/* first fit */
	vfree(c);
	vfree(b);
	KT_ASSERT_EQ(nr_free_pages(), base);
}

KTEST(vmalloc_vfree_null)
{
	unsigned long base = nr_free_pages();

	vfree(NULL);
	KT_ASSERT_EQ(nr_free_pages(), base);
	KT_ASSERT(!is_vmalloc_addr(NULL));
	KT_ASSERT(!is_vmalloc_addr(__va(0)));
	KT_ASSERT(is_vmalloc_addr((void *)VMALLOC_START));
	KT_ASSERT(!is_vmalloc_addr((void *)VMALLOC_END));
}

/*
 * ioremap of a RAM page we own: the uncached mapping sees what the direct
 * map wrote and the other way round (QEMU keeps both coherent), the area
 * has a guard page, and iounmap() removes the mapping. A warm-up
 * ioremap+iounmap first makes the page tables for the area exist, so free
 * pages come back exactly to the baseline.
 */
KTEST(vmalloc_ioremap)
{
	struct page *page = alloc_page(GFP_KERNEL);
	enum pg_level level;
	u8 v = 0;

	KT_ASSERT(page);
	phys_addr_t pa = page_to_phys(page);
	u8 *direct = page_address(page);
	for (int i = 0; i < (int)PAGE_SIZE; i++)
		direct[i] = (u8)(i ^ 0x5a);
	iounmap(ioremap(pa, 64));
	unsigned long base = nr_free_pages();

	u8 *io = ioremap(pa + 0x100, 64);
	KT_ASSERT(io);
	KT_ASSERT(is_vmalloc_addr(io));
	KT_ASSERT_EQ((unsigned long)io & ~PAGE_MASK, 0x100);	/* the offset is kept */
	u8 *io_page = io - 0x100;
	pte_t *e = lookup_address((unsigned long)io_page, &level);
	KT_ASSERT(e && level == PG_LEVEL_4K);
	KT_ASSERT_EQ(pte_phys(*e), pa);
	KT_ASSERT((e->pte & (_PAGE_PCD | _PAGE_PWT)) == (_PAGE_PCD | _PAGE_PWT));
	KT_ASSERT(!lookup_address((unsigned long)io_page + PAGE_SIZE, &level));	/* guard */

	for (int i = 0; i < (int)PAGE_SIZE; i++)
		KT_ASSERT_MSG(io_page[i] == (u8)(i ^ 0x5a), "byte %d differs", i);
	writel(0xfeedf00d, io + 8);
	KT_ASSERT_EQ(*(u32 *)(direct + 0x108), 0xfeedf00d);
	*(volatile u32 *)(direct + 0x10c) = 0x12345678;
	KT_ASSERT_EQ(readl(io + 12), 0x12345678);

	iounmap(io);
	KT_ASSERT_EQ(probe_read_u8(io, &v), PF);
	KT_ASSERT_EQ(nr_free_pages(), base);
	__free_page(page);
}

/* iounmap() of what ioremap() did not return is refused with a report: the area stays. */
KTEST(vmalloc_iounmap_bad_address)
{
	unsigned long base = nr_free_pages();
	u64 seq = READ_ONCE(log_next_seq);
	u8 *v = vmalloc(2 * PAGE_SIZE);
	static u8 not_mapped;

	KT_ASSERT(v);
	v[PAGE_SIZE] = 0x77;
	iounmap(v);				/* a vmalloc() area */
	iounmap(&not_mapped);			/* no area at all */
	bool still = v[PAGE_SIZE] == 0x77;
	vfree(v);
	KT_ASSERT_EQ(ktest_log_count(seq, "iounmap: bad address"), 2);
	KT_ASSERT_MSG(still, "iounmap() took a vmalloc() area");
	KT_ASSERT_EQ(ktest_log_count(seq, "nonexistent vm area"), 0);	/* vfree() found it */
	KT_ASSERT_EQ(nr_free_pages(), base);
}

/* A size past the whole vmalloc area fails, and each failure gives back what it took. */
KTEST(vmalloc_too_big)
{
	KT_ASSERT(vmalloc(VMALLOC_END - VMALLOC_START) == NULL);	/* warm-up: the slab pages a try uses */
	unsigned long base = nr_free_pages();

	for (int i = 0; i < 512; i++)
		KT_ASSERT(vmalloc(1UL << 40) == NULL);
	KT_ASSERT_EQ(nr_free_pages(), base);
}

/* kvmalloc(): up to 8 pages from kmalloc() (contiguous), larger from vmalloc(); kvfree() takes either. */
KTEST(vmalloc_kvmalloc)
{
	void *warm = kvmalloc(8 * PAGE_SIZE, GFP_KERNEL);	/* warm-up: slab and vmap metadata */
	kvfree(warm);
	unsigned long base = nr_free_pages();
	u8 *small = kvmalloc(8 * PAGE_SIZE, GFP_KERNEL), *big = kvmalloc(8 * PAGE_SIZE + 1, GFP_KERNEL);

	KT_ASSERT(small && big);
	bool small_direct = !is_vmalloc_addr(small), big_vmalloc = is_vmalloc_addr(big);
	memset(small, 1, 8 * PAGE_SIZE);
	memset(big, 2, 8 * PAGE_SIZE + 1);
	kvfree(small);
	kvfree(big);
	KT_ASSERT_MSG(small_direct, "kvmalloc() of 8 pages came from vmalloc()");
	KT_ASSERT_MSG(big_vmalloc, "kvmalloc() of more than 8 pages did not come from vmalloc()");
	KT_ASSERT_EQ(nr_free_pages(), base);
}
