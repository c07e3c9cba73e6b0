/*
 * ktests for the page-table API (arch/x86_64/pgtable.c) and the kernel's own
 * page tables: map/walk/unmap at 4K and 2M, splitting a large page, protect,
 * NX, W^X of the kernel image, the direct map, and faults caught through
 * the fixup table (probe_read_u8/probe_write_u8/probe_exec).
 *
 * The tests map into a part of the vmalloc area that vmalloc() never reaches
 * (it allocates first-fit from VMALLOC_START): TEST_VA(slot) is a 2M-aligned
 * address 256 GiB in, one slot per test so a large mapping never lands on a
 * PMD entry that already points to a page table. Page tables that a mapping
 * allocates stay when it is unmapped (as in Linux), so each test counts the
 * tables its walk will allocate (missing_tables()) before mapping, and checks
 * that free pages come back to the baseline minus exactly those.
 * Changes to init_pgd are made under kernel_map_lock, as vmalloc does.
 */
#include <kernel/kernel.h>
#include <kernel/ktest.h>
#include <lib/string.h>
#include <uapi/errno.h>
#include <mm/mm.h>
#include <mm/slab.h>
#include <mm/gfp.h>
#include <mm/memblock.h>
#include <arch/pgtable.h>
#include <arch/extable.h>
#include <arch/traps.h>
#include <arch/processor.h>

#define TEST_VA(slot) (VMALLOC_START + (256UL << 30) + (unsigned long)(slot) * PMD_SIZE)
#define PF PROBE_FAULT(X86_TRAP_PF)

static int kmap(unsigned long va, phys_addr_t pa, size_t size, pgprot_t prot, unsigned long page_size)
{
	unsigned long flags;

	spin_lock_irqsave(&kernel_map_lock, flags);
	int err = map_pages(init_pgd, va, pa, size, prot, page_size);
	spin_unlock_irqrestore(&kernel_map_lock, flags);
	return err;
}

static void kunmap(unsigned long va, size_t size)
{
	unsigned long flags;

	spin_lock_irqsave(&kernel_map_lock, flags);
	unmap_pages(init_pgd, va, size);
	spin_unlock_irqrestore(&kernel_map_lock, flags);
}

static int kprotect(unsigned long va, size_t size, pgprot_t prot)
{
	unsigned long flags;

	spin_lock_irqsave(&kernel_map_lock, flags);
	int err = protect_pages(init_pgd, va, size, prot);
	spin_unlock_irqrestore(&kernel_map_lock, flags);
	return err;
}

/* Page-table pages a walk from the PGD down to a leaf at `leaf` would allocate for va. */
static unsigned long missing_tables(unsigned long va, enum pg_level leaf)
{
	struct pt_walk w = { .pgd = init_pgd };

	if (pt_walk(&w, va, leaf))
		return 0;	/* the tables are there, or a large page covers va */
	return w.level - leaf;	/* w.level: the empty entry, where the walk stopped */
}

/* What the CPU sees for va: RW only if every level allows it, NX if any level sets it. */
struct eff {
	bool present, rw, nx;
	enum pg_level level;
	phys_addr_t pa;
};

static struct eff walk_eff_in(pgd_t *pgd, unsigned long va)
{
	struct eff r = { .rw = true };
	struct pt_walk w = { .pgd = pgd };

	for (enum pg_level l = PG_LEVEL_512G; l >= PG_LEVEL_4K; l--) {
		pte_t *e = pt_walk(&w, va, l);
		if (!e || !pte_present(*e))
			return (struct eff){ 0 };
		r.rw &= !!(e->pte & _PAGE_RW);
		r.nx |= !!(e->pte & _PAGE_NX);
		if (pt_leaf(*e, l)) {
			r.present = true;
			r.level = l;
			/* Bit 12 of a large entry is PAT, not address. */
			phys_addr_t mask = pg_level_size(l) - 1;
			r.pa = (pte_phys(*e) & ~mask) | (va & mask);
			return r;
		}
	}
	return (struct eff){ 0 };
}

/* The same in the page tables loaded now. */
static struct eff walk_eff(unsigned long va)
{
	return walk_eff_in((pgd_t *)__va(read_cr3() & PTE_PFN_MASK), va);
}

/* map_pages / lookup_address / slow_virt_to_phys / unmap_pages on one 4K page. */
KTEST(paging_map_unmap_4k)
{
	unsigned long base = nr_free_pages(), va = TEST_VA(0);
	unsigned long tables = missing_tables(va, PG_LEVEL_4K);
	struct page *page = alloc_page(GFP_KERNEL);
	phys_addr_t pa;
	enum pg_level level;
	u8 v = 0;

	KT_ASSERT(page);
	pa = page_to_phys(page);
	memset(page_address(page), 0x3c, PAGE_SIZE);
	KT_ASSERT(lookup_address(va, &level) == NULL);
	KT_ASSERT_EQ(level, PG_LEVEL_NONE);

	KT_ASSERT_EQ(kmap(va + 1, pa, PAGE_SIZE, PAGE_KERNEL, PAGE_SIZE), -EINVAL);
	KT_ASSERT_EQ(kmap(va, pa, PAGE_SIZE - 1, PAGE_KERNEL, PAGE_SIZE), -EINVAL);
	KT_ASSERT_EQ(kmap(va, pa, PAGE_SIZE, PAGE_KERNEL, PAGE_SIZE), 0);
	KT_ASSERT_EQ(nr_free_pages(), base - 1 - tables);

	pte_t *e = lookup_address(va, &level);
	KT_ASSERT(e);
	KT_ASSERT_EQ(level, PG_LEVEL_4K);
	KT_ASSERT_EQ(pte_phys(*e), pa);
	KT_ASSERT(!pte_huge(*e));
	KT_ASSERT(e->pte & _PAGE_RW);
	KT_ASSERT_EQ(e->pte & _PAGE_NX, _PAGE_NX & __supported_pte_mask);
	KT_ASSERT(!(e->pte & _PAGE_USER));
	KT_ASSERT_EQ(slow_virt_to_phys(va), pa);
	KT_ASSERT_EQ(slow_virt_to_phys(va + 0x123), pa + 0x123);
	KT_ASSERT(lookup_address(va + PAGE_SIZE, &level) == NULL);

	/* Both mappings reach the same memory. */
	KT_ASSERT(!memchr_inv((void *)va, 0x3c, PAGE_SIZE));
	memset((void *)va, 0xc5, PAGE_SIZE);
	KT_ASSERT(!memchr_inv(page_address(page), 0xc5, PAGE_SIZE));
	KT_ASSERT_EQ(probe_read_u8((void *)(va + 77), &v), 0);
	KT_ASSERT_EQ(v, 0xc5);

	kunmap(va, PAGE_SIZE);
	KT_ASSERT(lookup_address(va, &level) == NULL);
	KT_ASSERT_EQ(level, PG_LEVEL_NONE);
	KT_ASSERT_EQ(slow_virt_to_phys(va), (phys_addr_t)-1);
	unsigned long pf = exception_counts[X86_TRAP_PF];
	KT_ASSERT_EQ(probe_read_u8((void *)va, &v), PF);
	KT_ASSERT_EQ(exception_counts[X86_TRAP_PF], pf + 1);
	KT_ASSERT_EQ(missing_tables(va, PG_LEVEL_4K), tables);	/* emptied tables are freed */

	__free_page(page);
	KT_ASSERT_EQ(nr_free_pages(), base);
}

/* A 2M mapping of a 2M-aligned order-9 block is one PMD entry. */
KTEST(paging_map_2m)
{
	unsigned long base = nr_free_pages(), va = TEST_VA(2);
	unsigned long tables = missing_tables(va, PG_LEVEL_2M);
	struct page *blk = alloc_pages(GFP_KERNEL, 9);
	enum pg_level level;
	phys_addr_t pa;
	u8 v = 0;

	KT_ASSERT(blk);
	pa = page_to_phys(blk);
	KT_ASSERT(IS_ALIGNED(pa, PMD_SIZE));
	KT_ASSERT_EQ(kmap(va, pa, PMD_SIZE, PAGE_KERNEL, PMD_SIZE), 0);
	KT_ASSERT_EQ(nr_free_pages(), base - 512 - tables);

	pte_t *e = lookup_address(va + 0x1234, &level);
	KT_ASSERT(e);
	KT_ASSERT_EQ(level, PG_LEVEL_2M);
	KT_ASSERT(pte_huge(*e));
	KT_ASSERT_EQ(pte_phys(*e), pa);
	KT_ASSERT(lookup_address(va + PMD_SIZE - 1, &level) == e);
	KT_ASSERT_EQ(slow_virt_to_phys(va + 0x12345), pa + 0x12345);
	KT_ASSERT_EQ(slow_virt_to_phys(va + PMD_SIZE - 1), pa + PMD_SIZE - 1);
	struct eff ef = walk_eff(va + 0x5000);
	KT_ASSERT(ef.present && ef.level == PG_LEVEL_2M && ef.rw);
	KT_ASSERT_EQ(ef.pa, pa + 0x5000);

	for (unsigned long off = 0; off < PMD_SIZE; off += PAGE_SIZE)
		((u64 *)va)[off / 8] = pa + off;
	for (unsigned long off = 0; off < PMD_SIZE; off += PAGE_SIZE)
		KT_ASSERT_EQ(*(u64 *)((char *)page_address(blk) + off), pa + off);

	kunmap(va, PMD_SIZE);
	KT_ASSERT(lookup_address(va, &level) == NULL);
	KT_ASSERT(lookup_address(va + PMD_SIZE - PAGE_SIZE, &level) == NULL);
	KT_ASSERT_EQ(probe_read_u8((void *)(va + 0x100000), &v), PF);
	__free_pages(blk, 9);
	KT_ASSERT_EQ(missing_tables(va, PG_LEVEL_2M), tables);	/* the emptied PMD table is freed */
	KT_ASSERT_EQ(nr_free_pages(), base);
}

KTEST(paging_slow_virt_to_phys)
{
	int local = 0;	/* on this task's stack, which is vmalloc'd: no __pa() for it */
	int *heap = kmalloc(sizeof(int), GFP_KERNEL);

	KT_ASSERT_EQ(slow_virt_to_phys((unsigned long)printk), __pa_symbol(printk));
	KT_ASSERT_EQ(slow_virt_to_phys((unsigned long)&zone_normal), __pa_symbol(&zone_normal));
	KT_ASSERT_EQ(slow_virt_to_phys((unsigned long)__start_rodata + 5), __pa_symbol(__start_rodata) + 5);
	KT_ASSERT_EQ(slow_virt_to_phys((unsigned long)__va(0x123456)), 0x123456);
	KT_ASSERT(heap);
	phys_addr_t heap_pa = slow_virt_to_phys((unsigned long)heap);
	kfree(heap);
	KT_ASSERT_EQ(heap_pa, __pa(heap));
	enum pg_level level;
	pte_t *e = lookup_address((unsigned long)&local, &level);
	KT_ASSERT(e && level == PG_LEVEL_4K);
	KT_ASSERT_EQ(slow_virt_to_phys((unsigned long)&local), pte_phys(*e) + ((unsigned long)&local & ~PAGE_MASK));
	KT_ASSERT_EQ(slow_virt_to_phys((unsigned long)mem_map), __pa(mem_map));
	KT_ASSERT_EQ(slow_virt_to_phys(TEST_VA(10)), (phys_addr_t)-1);
	KT_ASSERT_EQ(slow_virt_to_phys(0), (phys_addr_t)-1);
}

/* protect_pages to read-only: writes fault through the fixup table, reads work; and back. */
KTEST(paging_protect_ro)
{
	unsigned long base = nr_free_pages(), va = TEST_VA(0) + 32 * PAGE_SIZE;
	unsigned long tables = missing_tables(va, PG_LEVEL_4K);
	struct page *page = alloc_page(__GFP_ZERO);
	enum pg_level level;
	u8 v = 0;

	KT_ASSERT(page);
	KT_ASSERT(read_cr0() & X86_CR0_WP);	/* supervisor writes honour R/W */
	KT_ASSERT_EQ(kmap(va, page_to_phys(page), PAGE_SIZE, PAGE_KERNEL, PAGE_SIZE), 0);
	KT_ASSERT_EQ(probe_write_u8((void *)(va + 9), 0x5a), 0);

	KT_ASSERT_EQ(kprotect(va, PAGE_SIZE, PAGE_KERNEL_RO), 0);
	pte_t *e = lookup_address(va, &level);
	KT_ASSERT(e && level == PG_LEVEL_4K);
	KT_ASSERT(!(e->pte & _PAGE_RW));
	KT_ASSERT_EQ(pte_phys(*e), page_to_phys(page));
	unsigned long pf = exception_counts[X86_TRAP_PF];
	KT_ASSERT_EQ(probe_write_u8((void *)(va + 9), 0x77), PF);
	KT_ASSERT_EQ(exception_counts[X86_TRAP_PF], pf + 1);
	KT_ASSERT_EQ(probe_read_u8((void *)(va + 9), &v), 0);
	KT_ASSERT_EQ(v, 0x5a);
	KT_ASSERT_EQ(((u8 *)page_address(page))[9], 0x5a);
	/* The direct-map alias keeps its own protection. */
	KT_ASSERT_EQ(probe_write_u8((u8 *)page_address(page) + 10, 0x66), 0);
	KT_ASSERT_EQ(probe_read_u8((void *)(va + 10), &v), 0);
	KT_ASSERT_EQ(v, 0x66);

	KT_ASSERT_EQ(kprotect(va, PAGE_SIZE, PAGE_KERNEL), 0);
	KT_ASSERT_EQ(probe_write_u8((void *)(va + 9), 0x77), 0);
	KT_ASSERT_EQ(((u8 *)page_address(page))[9], 0x77);

	/* Bad arguments: unaligned, or nothing mapped there. */
	KT_ASSERT_EQ(kprotect(va + 1, PAGE_SIZE, PAGE_KERNEL_RO), -EINVAL);
	KT_ASSERT_EQ(kprotect(TEST_VA(10), PAGE_SIZE, PAGE_KERNEL_RO), -EINVAL);

	kunmap(va, PAGE_SIZE);
	__free_page(page);
	KT_ASSERT_EQ(nr_free_pages(), base);
	KT_ASSERT_EQ(missing_tables(va, PG_LEVEL_4K), tables);	/* its page tables went too */
}

/*
 * Protecting one 4K piece of a 2M mapping splits it into 512 PTEs (one new
 * table page): that piece changes, its neighbours keep PAGE_KERNEL and all
 * still translate to the same frames.
 */
KTEST(paging_split_large)
{
	unsigned long base = nr_free_pages(), va = TEST_VA(4);
	unsigned long tables = missing_tables(va, PG_LEVEL_2M);
	struct page *blk = alloc_pages(GFP_KERNEL, 9);
	const pteval_t kernel_prot = PAGE_KERNEL & __supported_pte_mask;
	unsigned long target = va + 5 * PAGE_SIZE;
	enum pg_level level;
	phys_addr_t pa;

	KT_ASSERT(blk);
	pa = page_to_phys(blk);
	KT_ASSERT_EQ(kmap(va, pa, PMD_SIZE, PAGE_KERNEL, PMD_SIZE), 0);
	KT_ASSERT(lookup_address(target, &level));
	KT_ASSERT_EQ(level, PG_LEVEL_2M);

	KT_ASSERT_EQ(kprotect(target, PAGE_SIZE, PAGE_KERNEL_RO), 0);
	KT_ASSERT_EQ(nr_free_pages(), base - 512 - tables - 1);
	pte_t *e = lookup_address(target, &level);
	KT_ASSERT(e);
	KT_ASSERT_EQ(level, PG_LEVEL_4K);
	KT_ASSERT(!(e->pte & _PAGE_RW));
	KT_ASSERT(!pte_huge(*e));
	for (unsigned long i = 0; i < 512; i++) {
		unsigned long a = va + i * PAGE_SIZE;
		pte_t *n = lookup_address(a, &level);
		KT_ASSERT_MSG(n && level == PG_LEVEL_4K, "page %lu not a 4K mapping", i);
		KT_ASSERT_MSG(pte_phys(*n) == pa + i * PAGE_SIZE, "page %lu maps %#llx", i, pte_phys(*n));
		if (a != target)
			KT_ASSERT_MSG(pte_pgprot(*n) == kernel_prot, "page %lu prot %#llx, expected %#llx", i,
				      pte_pgprot(*n), kernel_prot);
	}
	KT_ASSERT_EQ(probe_write_u8((void *)target, 1), PF);
	KT_ASSERT_EQ(probe_write_u8((void *)(target - PAGE_SIZE), 2), 0);
	KT_ASSERT_EQ(probe_write_u8((void *)(target + PAGE_SIZE), 3), 0);
	KT_ASSERT_EQ(probe_write_u8((void *)(va + PMD_SIZE - 1), 4), 0);
	KT_ASSERT_EQ(((u8 *)page_address(blk))[4 * PAGE_SIZE], 2);
	KT_ASSERT_EQ(((u8 *)page_address(blk))[6 * PAGE_SIZE], 3);

	kunmap(va, PMD_SIZE);
	KT_ASSERT(lookup_address(va, &level) == NULL);
	KT_ASSERT(lookup_address(target, &level) == NULL);
	__free_pages(blk, 9);
	KT_ASSERT_EQ(nr_free_pages(), base);	/* the split-off table is freed once empty */
}

/* Unmapping 4K out of a 2M mapping splits it too; the rest stays mapped. */
KTEST(paging_unmap_partial_large)
{
	unsigned long base = nr_free_pages(), va = TEST_VA(6);
	unsigned long tables = missing_tables(va, PG_LEVEL_2M);
	struct page *blk = alloc_pages(GFP_KERNEL, 9);
	unsigned long hole = va + 100 * PAGE_SIZE;
	enum pg_level level;
	u8 v = 0;

	KT_ASSERT(blk);
	KT_ASSERT_EQ(kmap(va, page_to_phys(blk), PMD_SIZE, PAGE_KERNEL, PMD_SIZE), 0);
	kunmap(hole, PAGE_SIZE);
	KT_ASSERT(lookup_address(hole, &level) == NULL);
	KT_ASSERT_EQ(probe_read_u8((void *)hole, &v), PF);
	KT_ASSERT(lookup_address(hole - PAGE_SIZE, &level));
	KT_ASSERT_EQ(level, PG_LEVEL_4K);
	KT_ASSERT_EQ(slow_virt_to_phys(hole + PAGE_SIZE), page_to_phys(blk) + 101 * PAGE_SIZE);
	KT_ASSERT_EQ(probe_read_u8((void *)(hole + PAGE_SIZE), &v), 0);
	KT_ASSERT_EQ(nr_free_pages(), base - 512 - tables - 1);

	kunmap(va, PMD_SIZE);
	for (unsigned long a = va; a < va + PMD_SIZE; a += PAGE_SIZE)
		KT_ASSERT_MSG(!lookup_address(a, &level), "%#lx still mapped", a);
	__free_pages(blk, 9);
	KT_ASSERT_EQ(nr_free_pages(), base);
}

/* Executing from an NX page faults (caught by probe_exec); from an RX mapping it runs. */
KTEST(paging_nx)
{
	unsigned long base = nr_free_pages(), va = TEST_VA(0) + 64 * PAGE_SIZE;
	unsigned long tables = missing_tables(va, PG_LEVEL_4K);
	struct page *page;
	enum pg_level level;

	if (!(__supported_pte_mask & _PAGE_NX))
		return;		/* a CPU without NX: nothing to test */
	page = alloc_page(GFP_KERNEL);
	KT_ASSERT(page);
	memset(page_address(page), 0xc3, PAGE_SIZE);	/* ret */
	KT_ASSERT_EQ(kmap(va, page_to_phys(page), PAGE_SIZE, PAGE_KERNEL, PAGE_SIZE), 0);

	unsigned long pf = exception_counts[X86_TRAP_PF];
	KT_ASSERT_EQ(probe_exec((void *)va), PF);
	KT_ASSERT_EQ(exception_counts[X86_TRAP_PF], pf + 1);
	KT_ASSERT_EQ(probe_exec(page_address(page)), PF);	/* the direct map is never executable */

	/* Remap the same page executable: map_pages replaces the entry and flushes it. */
	KT_ASSERT_EQ(kmap(va, page_to_phys(page), PAGE_SIZE, PAGE_KERNEL_RX, PAGE_SIZE), 0);
	pte_t *e = lookup_address(va, &level);
	KT_ASSERT(e && !(e->pte & _PAGE_NX) && !(e->pte & _PAGE_RW));
	KT_ASSERT_EQ(probe_exec((void *)va), 0);
	KT_ASSERT_EQ(probe_exec((void *)(va + 100)), 0);
	KT_ASSERT_EQ(exception_counts[X86_TRAP_PF], pf + 2);

	/* And through protect_pages back to NX. */
	KT_ASSERT_EQ(kprotect(va, PAGE_SIZE, PAGE_KERNEL), 0);
	KT_ASSERT_EQ(probe_exec((void *)va), PF);

	kunmap(va, PAGE_SIZE);
	KT_ASSERT_EQ(probe_exec((void *)va), PF);	/* not present */
	__free_page(page);
	KT_ASSERT_EQ(nr_free_pages(), base);
	KT_ASSERT_EQ(missing_tables(va, PG_LEVEL_4K), tables);	/* its page tables went too */
}

/* Every page of [start, end) has the wanted effective permissions; NULL or what is wrong. */
static const char *check_range(const char *what, unsigned long start, unsigned long end, bool rw, bool x)
{
	static char msg[120];
	bool nx_on = __supported_pte_mask & _PAGE_NX;

	for (unsigned long a = ALIGN_DOWN(start, PAGE_SIZE); a < end; a += PAGE_SIZE) {
		struct eff ef = walk_eff(a);
		if (!ef.present || ef.rw != rw || (nx_on && ef.nx == x)) {
			snprintf(msg, sizeof(msg), "%s: %#lx is %s%s%s, expected %s%s", what, a,
				 ef.present ? "present" : "not present", ef.rw ? " RW" : " RO",
				 ef.nx ? " NX" : " X", rw ? "RW" : "RO", x ? " X" : " NX");
			return msg;
		}
	}
	return NULL;
}

/* W^X of the kernel image, at its link address and at its direct-map alias. */
KTEST(paging_kernel_wx)
{
	const char *bad;
	unsigned long text = (unsigned long)_text, etext = (unsigned long)_etext;
	unsigned long rodata = (unsigned long)__start_rodata, erodata = (unsigned long)__end_rodata;
	unsigned long data = (unsigned long)_sdata, end = (unsigned long)_end;
	unsigned long alias = (unsigned long)__va(__pa_symbol(_text)) - text;

	KT_ASSERT(text < etext && etext <= rodata && rodata < erodata && erodata <= data && data < end);
	bad = check_range("text", text, etext, false, true);
	KT_ASSERT_MSG(!bad, "%s", bad);
	bad = check_range("rodata", rodata, erodata, false, false);
	KT_ASSERT_MSG(!bad, "%s", bad);
	bad = check_range("data/bss", data, end, true, false);
	KT_ASSERT_MSG(!bad, "%s", bad);
	bad = check_range("text alias", text + alias, etext + alias, false, false);
	KT_ASSERT_MSG(!bad, "%s", bad);
	bad = check_range("rodata alias", rodata + alias, erodata + alias, false, false);
	KT_ASSERT_MSG(!bad, "%s", bad);
	bad = check_range("data alias", data + alias, end + alias, true, false);
	KT_ASSERT_MSG(!bad, "%s", bad);

	/* lookup_address agrees on the leaf entries. */
	enum pg_level level;
	pte_t *e = lookup_address(text, &level);
	KT_ASSERT(e && !(e->pte & _PAGE_RW) && !(e->pte & _PAGE_NX));
	e = lookup_address(text + alias, &level);
	KT_ASSERT(e && !(e->pte & _PAGE_RW));
	KT_ASSERT_EQ(e->pte & _PAGE_NX, _PAGE_NX & __supported_pte_mask);

	/* Writes into text and rodata fault (the value written is the one already there). */
	u8 t = 0, r = 0, last = 0;
	KT_ASSERT_EQ(probe_read_u8((void *)text, &t), 0);
	KT_ASSERT_EQ(probe_read_u8((void *)rodata, &r), 0);
	KT_ASSERT_EQ(probe_read_u8((void *)(etext - 1), &last), 0);
	unsigned long pf = exception_counts[X86_TRAP_PF];
	KT_ASSERT_EQ(probe_write_u8((void *)text, t), PF);
	KT_ASSERT_EQ(probe_write_u8((void *)rodata, r), PF);
	KT_ASSERT_EQ(probe_write_u8((void *)(etext - 1), last), PF);
	KT_ASSERT_EQ(probe_write_u8((void *)(text + alias), t), PF);
	KT_ASSERT_EQ(exception_counts[X86_TRAP_PF], pf + 4);
	/* Data is writable, and the text alias is executable nowhere. */
	KT_ASSERT_EQ(probe_read_u8((void *)(end - 1), &last), 0);
	KT_ASSERT_EQ(probe_write_u8((void *)(end - 1), last), 0);
	KT_ASSERT_EQ(probe_exec((void *)(text + alias)), PF);
}

/*
 * No page anywhere in the kernel's page tables is both writable and
 * executable: visit every present leaf of init_pgd, in both halves of the
 * address space, with its effective bits.
 */
KTEST(paging_no_wx_anywhere)
{
	static const unsigned long halves[][2] = { { 0, 0x800000000000UL }, { 0xffff800000000000UL, 0 } };
	unsigned long leaves = 0;

	if (!(__supported_pte_mask & _PAGE_NX))
		return;
	for (unsigned int h = 0; h < ARRAY_SIZE(halves); h++) {
		struct pt_iter it = { .walk = { .pgd = init_pgd }, .level = PG_LEVEL_4K,
				      .addr = halves[h][0], .end = halves[h][1] };
		while (pt_iter_next(&it)) {
			if (!pte_present(*it.entry))
				continue;
			struct eff ef = walk_eff_in(init_pgd, it.addr);
			leaves++;
			KT_ASSERT_MSG(ef.present && ef.level == it.walk.level, "%#lx: walk_eff disagrees", it.addr);
			KT_ASSERT_MSG(!ef.rw || ef.nx, "%#lx is mapped writable and executable", it.addr);
		}
	}
	/* The image alone is mapped with 4K pages. */
	KT_ASSERT(leaves >= (unsigned long)(_end - _text) / PAGE_SIZE);
}

/* The direct map covers every page of every memblock memory region, NX, with large pages where it can. */
KTEST(paging_direct_map)
{
	unsigned long i, large = 0;
	struct memblock_region *r;

	for_each_mem_region(i, r) {
		phys_addr_t start = PAGE_ALIGN(r->base), end = ALIGN_DOWN(r->base + r->size, PAGE_SIZE);
		if (end <= start)
			continue;
		KT_ASSERT_EQ(slow_virt_to_phys((unsigned long)__va(start)), start);
		KT_ASSERT_EQ(slow_virt_to_phys((unsigned long)__va(end - 1)), end - 1);
		for (phys_addr_t pa = start; pa < end; pa += PAGE_SIZE) {
			struct eff ef = walk_eff((unsigned long)__va(pa));
			KT_ASSERT_MSG(ef.present && ef.pa == pa, "direct map of %#llx: %s %#llx", pa,
				      ef.present ? "maps" : "missing", ef.pa);
			KT_ASSERT_MSG(ef.nx || !(__supported_pte_mask & _PAGE_NX),
				      "direct map of %#llx is executable", pa);
			large += ef.level > PG_LEVEL_4K;
		}
	}
	KT_ASSERT_MSG(large > 0, "the direct map uses no large pages");
	u8 v;
	KT_ASSERT_EQ(probe_read_u8(__va(memblock_end_of_DRAM() - 1), &v), 0);
}

/* Reads of unmapped kernel addresses fault with #PF; the fixup table returns the vector. */
KTEST(paging_unmapped_probe)
{
	u8 v = 0x99;
	unsigned long pf = exception_counts[X86_TRAP_PF];
	enum pg_level level;

	KT_ASSERT(!lookup_address(TEST_VA(10), &level));
	KT_ASSERT_EQ(probe_read_u8((void *)TEST_VA(10), &v), PF);
	KT_ASSERT_EQ(v, 0x99);	/* untouched on a fault */
	KT_ASSERT_EQ(probe_write_u8((void *)(TEST_VA(10) + 3), 1), PF);
	KT_ASSERT_EQ(probe_read_u8(NULL, &v), PF);
	KT_ASSERT_EQ(probe_read_u8((void *)(VMALLOC_END - 1), &v), PF);
	KT_ASSERT_EQ(exception_counts[X86_TRAP_PF], pf + 4);
	/* A non-canonical address is a #GP, not a #PF. */
	KT_ASSERT_EQ(probe_read_u8((void *)0xdead000000000000UL, &v), PROBE_FAULT(X86_TRAP_GP));
	KT_ASSERT_EQ(exception_counts[X86_TRAP_PF], pf + 4);
}
