/*
 * Page-table primitives and the kernel's own page tables (Linux:
 * arch/x86/mm/init_64.c, pat/set_memory.c, pgtable.c).
 *
 * One walker, walk_to(), serves map, unmap, protect and lookup: it descends
 * from the PGD to the level wanted, allocating missing tables if asked, and
 * splitting a large page into 512 smaller ones when a change covers only
 * part of it. Tables come from memblock before the buddy allocator runs
 * (after_bootmem == false) and from alloc_page() after.
 *
 * Kernel half: paging_init() creates the PUD tables for the three kernel
 * PGD slots Folio uses (direct map, vmalloc, image) once, and every address
 * space created later copies PGD entries 256-511, so a kernel mapping added
 * anywhere is visible in every address space. Adding a new kernel PGD slot
 * after boot would break that, so it is a BUG.
 *
 * Locking: kernel_map_lock serialises changes to init_pgd (vmalloc, ioremap,
 * set_memory). User page tables are changed under their mm's locks.
 */
#include <kernel/kernel.h>
#include <kernel/spinlock.h>
#include <lib/string.h>
#include <uapi/errno.h>
#include <mm/mm.h>
#include <mm/memblock.h>
#include <arch/pgtable.h>
#include <arch/processor.h>

pgd_t *init_pgd;
pteval_t __supported_pte_mask = ~_PAGE_NX;	/* NX allowed once EFER.NXE is on */
static bool after_bootmem;
static bool kernel_pgd_frozen;
DEFINE_SPINLOCK(kernel_map_lock);

static const unsigned int level_shift[] = { 0, PAGE_SHIFT, PMD_SHIFT, PUD_SHIFT, PGDIR_SHIFT };
#define LEVEL_SIZE(l) (1UL << level_shift[l])
#define PGD_LEVEL 4

static pte_t *alloc_table(void)
{
	if (!after_bootmem)
		return memblock_alloc(PAGE_SIZE, PAGE_SIZE);
	return (pte_t *)get_zeroed_page(GFP_KERNEL);
}

static pteval_t table_flags(unsigned long va)
{
	/* Leaf entries decide user access; user-half tables must allow it on the way down. */
	return _PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | (va < 0x800000000000UL ? _PAGE_USER : 0);
}

/* Replace a large page at entry *e (a level-`level` mapping) by a table of 512 smaller ones. */
static int split_large_page(pte_t *e, int level, unsigned long va)
{
	pte_t *t = alloc_table();
	if (!t)
		return -ENOMEM;
	pteval_t prot = pte_pgprot(*e);
	if (level - 1 == 1)
		prot &= ~_PAGE_PSE;	/* 4K leaves have no PSE bit (it means PAT there) */
	for (int i = 0; i < PTRS_PER_TABLE; i++)
		t[i].pte = (pte_phys(*e) + i * LEVEL_SIZE(level - 1)) | prot;
	e->pte = __pa(t) | table_flags(va);
	return 0;
}

/*
 * The entry for va at `level` (1 = 4K PTE, 2 = PMD, 3 = PUD). Missing tables
 * are allocated if alloc; a large page above `level` is split if split,
 * otherwise returned as is (with *found_level telling its level).
 */
static pte_t *walk_to(pgd_t *pgd, unsigned long va, int level, bool alloc, bool split,
		      int *found_level, int *err)
{
	pte_t *table = pgd;

	*err = 0;
	for (int l = PGD_LEVEL; ; l--) {
		pte_t *e = &table[(va >> level_shift[l]) & 511];
		if (l == level) {
			*found_level = l;
			return e;
		}
		if (!pte_present(*e)) {
			if (!alloc)
				return NULL;
			if (l == PGD_LEVEL && va >= 0x800000000000UL && kernel_pgd_frozen && pgd == init_pgd)
				BUG();	/* a new kernel PGD slot would not reach existing address spaces */
			pte_t *t = alloc_table();
			if (!t) {
				*err = -ENOMEM;
				return NULL;
			}
			e->pte = __pa(t) | table_flags(va);
		} else if (l < PGD_LEVEL && pte_huge(*e)) {
			if (!split) {
				*found_level = l;
				return e;
			}
			*err = split_large_page(e, l, va);
			if (*err)
				return NULL;
		}
		table = (pte_t *)__va(pte_phys(*e));
	}
}

static void flush_one(pgd_t *pgd, unsigned long va)
{
	/*
	 * Kernel mappings are global and live in every address space's
	 * tables, so they are flushed whatever page tables are loaded; a user
	 * mapping only matters if its tables are the ones loaded.
	 */
	if (va >= 0x800000000000UL || __pa(pgd) == (read_cr3() & PTE_PFN_MASK))
		flush_tlb_one_kernel(va);
}

void flush_tlb_all(void)
{
	unsigned long cr4 = read_cr4();
	if (cr4 & X86_CR4_PGE) {	/* toggling PGE flushes global entries too */
		write_cr4(cr4 & ~X86_CR4_PGE);
		write_cr4(cr4);
	} else {
		write_cr3(read_cr3());
	}
}

int map_pages(pgd_t *pgd, unsigned long va, phys_addr_t pa, size_t size, pgprot_t prot,
	      unsigned long page_size)
{
	if ((va | pa | size) & ~PAGE_MASK)
		return -EINVAL;
	while (size) {
		int level = 1, found, err;
		for (int l = 3; l > 1; l--) {
			if (page_size >= LEVEL_SIZE(l) && !((va | pa) & (LEVEL_SIZE(l) - 1)) &&
			    size >= LEVEL_SIZE(l) && (l != 3 || boot_cpu_data.has_pdpe1gb)) {
				level = l;
				break;
			}
		}
		pte_t *e = walk_to(pgd, va, level, true, true, &found, &err);
		if (!e)
			return err;
		pteval_t v = pa | (prot & __supported_pte_mask) | (level > 1 ? _PAGE_PSE : 0);
		if (pte_present(*e) && e->pte != v) {
			/* Remapping is allowed (ioremap of the same page) but a large table underneath would leak. */
			WARN_ON(level > 1 && !pte_huge(*e));
			e->pte = v;
			flush_one(pgd, va);
		} else {
			e->pte = v;
		}
		va += LEVEL_SIZE(level);
		pa += LEVEL_SIZE(level);
		size -= LEVEL_SIZE(level);
	}
	return 0;
}

static bool table_empty(const pte_t *t)
{
	for (int i = 0; i < PTRS_PER_TABLE; i++)
		if (t[i].pte)
			return false;
	return true;
}

/*
 * After clearing va's PTE: give back its page table, and the one above it,
 * once they map nothing (so vmalloc'd memory comes back in full: a fork
 * bomb's thousands of stacks leave no page tables behind; Linux keeps
 * them). The PUD tables of the kernel's PGD slots are shared by every
 * address space and always stay; so do tables that came from memblock.
 */
static void free_empty_tables(pgd_t *pgd, unsigned long va, int level)
{
	pte_t *pud = (pte_t *)__va(pte_phys(pgd[pgd_index(va)]));
	pte_t *pmd_e = &pud[pud_index(va)];
	if (!pte_present(*pmd_e) || pte_huge(*pmd_e))
		return;
	pte_t *pmd = (pte_t *)__va(pte_phys(*pmd_e));
	if (level == 1) {	/* a 4K page went: its PTE table first */
		pte_t *pte_e = &pmd[pmd_index(va)];
		if (!pte_present(*pte_e) || pte_huge(*pte_e))
			return;
		pte_t *pte = (pte_t *)__va(pte_phys(*pte_e));
		if (!table_empty(pte) || PageReserved(virt_to_page(pte)))
			return;
		pte_e->pte = 0;
		flush_one(pgd, va);	/* invlpg also drops the paging-structure caches for va */
		free_page((unsigned long)pte);
	}
	if (!table_empty(pmd) || PageReserved(virt_to_page(pmd)))
		return;
	pmd_e->pte = 0;
	flush_one(pgd, va);
	free_page((unsigned long)pmd);
}

void unmap_pages(pgd_t *pgd, unsigned long va, size_t size)
{
	unsigned long end = va + size;

	while (va < end) {
		int found = 0, err;
		pte_t *e = walk_to(pgd, va, 1, false, false, &found, &err);
		unsigned long step = LEVEL_SIZE(found ? found : 1);
		if (e && pte_present(*e) && found > 1 && (va & (step - 1) || end - va < step)) {
			/* Part of a large page: split it and retry at 4K. */
			e = walk_to(pgd, va, 1, false, true, &found, &err);
			step = PAGE_SIZE;
		}
		if (!e) {	/* nothing mapped here: skip to the next 4K page */
			va = ALIGN_DOWN(va, PAGE_SIZE) + PAGE_SIZE;
			continue;
		}
		e->pte = 0;
		flush_one(pgd, va);
		if (after_bootmem && (found == 1 || found == 2))
			free_empty_tables(pgd, va, found);
		va += step;
	}
}

int protect_pages(pgd_t *pgd, unsigned long va, size_t size, pgprot_t prot)
{
	if ((va | size) & ~PAGE_MASK)
		return -EINVAL;
	for (unsigned long a = va; a < va + size; a += PAGE_SIZE) {
		int found, err;
		pte_t *e = walk_to(pgd, a, 1, false, true, &found, &err);
		if (!e || !pte_present(*e))
			return err ? err : -EINVAL;
		e->pte = pte_phys(*e) | (prot & __supported_pte_mask);
		flush_one(pgd, a);
	}
	return 0;
}

pte_t *lookup_address_in_pgd(pgd_t *pgd, unsigned long va, enum pg_level *level)
{
	int found = 0, err;
	pte_t *e = walk_to(pgd, va, 1, false, false, &found, &err);

	if (!e || !pte_present(*e)) {
		*level = PG_LEVEL_NONE;
		return NULL;
	}
	*level = found == 3 ? PG_LEVEL_1G : found == 2 ? PG_LEVEL_2M : PG_LEVEL_4K;
	return e;
}

pte_t *lookup_address(unsigned long va, enum pg_level *level)
{
	return lookup_address_in_pgd(init_pgd, va, level);
}

phys_addr_t slow_virt_to_phys(unsigned long va)
{
	enum pg_level level;
	pte_t *e = lookup_address(va, &level);
	static const unsigned long sizes[] = { 0, PAGE_SIZE, PMD_SIZE, PUD_SIZE };

	if (!e)
		return (phys_addr_t)-1;
	return pte_phys(*e) + (va & (sizes[level] - 1));
}

/* Map a kernel image range both at its link address and at its direct-map alias. */
static void map_kernel_range(const char *start, const char *end, pgprot_t prot)
{
	phys_addr_t pa = __pa_symbol(start);
	size_t size = PAGE_ALIGN((unsigned long)end) - (unsigned long)start;

	if (map_pages(init_pgd, (unsigned long)start, pa, size, prot, PAGE_SIZE))
		panic("paging_init: cannot map the kernel image");
	/* No writable+executable alias anywhere: the direct map's copy is never executable. */
	if (protect_pages(init_pgd, (unsigned long)__va(pa), size, prot | _PAGE_NX))
		panic("paging_init: cannot protect the kernel's direct-map alias");
}

void paging_init(void)
{
	unsigned long i;
	struct memblock_region *r;
	unsigned long direct_page = boot_cpu_data.has_pdpe1gb ? PUD_SIZE : PMD_SIZE;

	if (boot_cpu_data.has_nx) {
		wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
		__supported_pte_mask |= _PAGE_NX;
	}
	init_pgd = memblock_alloc(PAGE_SIZE, PAGE_SIZE);
	static const unsigned long kernel_slots[] = { PAGE_OFFSET, VMALLOC_START, __START_KERNEL_map };
	for (i = 0; i < ARRAY_SIZE(kernel_slots); i++)
		init_pgd[pgd_index(kernel_slots[i])].pte =
			__pa(memblock_alloc(PAGE_SIZE, PAGE_SIZE)) | table_flags(kernel_slots[i]);

	for_each_mem_region(i, r) {
		phys_addr_t start = PAGE_ALIGN(r->base), end = ALIGN_DOWN(r->base + r->size, PAGE_SIZE);
		if (end > start &&
		    map_pages(init_pgd, (unsigned long)__va(start), start, end - start, PAGE_KERNEL, direct_page))
			panic("paging_init: cannot build the direct map");
	}
	map_kernel_range(_text, _etext, PAGE_KERNEL_RX);
	map_kernel_range(__start_rodata, __end_rodata, PAGE_KERNEL_RO);
	map_kernel_range(_sdata, _end, PAGE_KERNEL);

	if (boot_cpu_data.has_pge)
		write_cr4(read_cr4() | X86_CR4_PGE);
	write_cr3(__pa(init_pgd));
	kernel_pgd_frozen = true;
	memblock.current_limit = memblock_end_of_DRAM();
	pr_info("paging: kernel page tables at %#llx: direct map with %s pages, image W^X, NX %s\n",
		(u64)__pa(init_pgd), direct_page == PUD_SIZE ? "1G" : "2M",
		boot_cpu_data.has_nx ? "on" : "unavailable");
}

void pgtable_after_bootmem(void)
{
	after_bootmem = true;
}
