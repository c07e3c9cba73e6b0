/*
 * Page-table primitives and the kernel's own page tables (Linux:
 * arch/x86/mm/init_64.c, pat/set_memory.c, pgtable.c, and the table
 * allocation of mm/memory.c).
 *
 * pt_walk() is the one descent through page tables, the kernel's and every
 * user address space's: from the PGD down to the level wanted, allocating
 * missing tables if asked, and splitting a large page into 512 smaller ones
 * when a change covers only part of it. pt_iter_next() steps through a range
 * with it. Kernel tables come from memblock before the buddy allocator runs
 * and from alloc_page() after; user tables from alloc_page(), charged to
 * the memory cgroup of the task that makes them (GFP_PGTABLE_USER) and
 * counted in mm->pgtables_bytes. Only kernel tables have large pages.
 *
 * Kernel half: paging_init() creates the PUD tables for the three kernel
 * PGD slots Folio uses (direct map, vmalloc, image) once, and every address
 * space created later copies PGD entries 256-511, so a kernel mapping added
 * anywhere is visible in every address space. Adding a new kernel PGD slot
 * after boot would break that, so it is a BUG.
 *
 * Locking: kernel_map_lock serialises changes to init_pgd (vmalloc, ioremap,
 * set_memory). A user mm's page_table_lock serialises installing its tables;
 * pt_walk() explains why its upper levels are read without it.
 */
#include <kernel/kernel.h>
#include <kernel/spinlock.h>
#include <kernel/delay_point.h>
#include <lib/string.h>
#include <uapi/errno.h>
#include <mm/mm.h>
#include <mm/mm_types.h>
#include <mm/memblock.h>
#include <arch/barrier.h>
#include <arch/pgtable.h>
#include <arch/processor.h>

#define USER_HALF_END 0x800000000000UL	/* the first kernel PGD slot */

pgd_t *init_pgd;
pteval_t __supported_pte_mask = ~_PAGE_NX;	/* NX allowed once EFER.NXE is on */
static bool after_bootmem;
static bool kernel_pgd_frozen;
DEFINE_SPINLOCK(kernel_map_lock);

/* Where init_pgd's new tables come from now. */
static unsigned int kernel_table_source(void)
{
	return after_bootmem ? 0 : PTW_MEMBLOCK;
}

/* A user address space's tables are charged to the memory cgroup of the task that makes them. */
static pte_t *pt_alloc(const struct pt_walk *w)
{
	if (w->flags & PTW_MEMBLOCK)
		return memblock_alloc(PAGE_SIZE, PAGE_SIZE);
	return (pte_t *)__get_free_page(w->mm ? GFP_PGTABLE_USER : GFP_KERNEL | __GFP_ZERO);
}

static pteval_t table_flags(unsigned long va)
{
	/* Leaf entries decide user access; user-half tables must allow it on the way down. */
	return _PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | (va < USER_HALF_END ? _PAGE_USER : 0);
}

/* Point the empty or large entry *e at t, a new table whose entries are all written already. */
static void pt_set_table(const struct pt_walk *w, pte_t *e, pte_t *t, unsigned long va)
{
	smp_wmb();	/* t's contents reach other CPUs (and their MMUs) before the entry does */
	WRITE_ONCE(e->pte, __pa(t) | table_flags(va));
	if (w->mm)
		mm_inc_pgtables(w->mm, virt_to_page(t));
}

/* Fill the empty level-l entry *e with a new table (Linux: __pte_alloc() and friends). */
static int pt_install(const struct pt_walk *w, pte_t *e, enum pg_level l, unsigned long va)
{
	if (!w->mm && w->pgd == init_pgd && kernel_pgd_frozen) {
		spin_assert_held(&kernel_map_lock);
		if (l == PG_LEVEL_512G && va >= USER_HALF_END)
			BUG();	/* a new kernel PGD slot would not reach existing address spaces */
	}
	pte_t *t = pt_alloc(w);
	if (!t)
		return -ENOMEM;
	if (!w->mm) {
		pt_set_table(w, e, t, va);
		return 0;
	}
	delay_point("pt_install_before_lock");
	spin_lock(&w->mm->page_table_lock);
	bool raced = pte_present(*e);	/* another fault installed one since we looked */
	if (!raced)
		pt_set_table(w, e, t, va);
	spin_unlock(&w->mm->page_table_lock);
	if (raced)
		free_page((unsigned long)t);
	return 0;
}

/* Replace the large page at *e, a level-l entry of a kernel table, by a table of 512 smaller ones. */
static int pt_split(const struct pt_walk *w, pte_t *e, enum pg_level l, unsigned long va)
{
	if (w->pgd == init_pgd && kernel_pgd_frozen)
		spin_assert_held(&kernel_map_lock);
	pte_t *t = pt_alloc(w);
	if (!t)
		return -ENOMEM;
	pteval_t prot = pte_pgprot(*e);
	if (l - 1 == PG_LEVEL_4K)
		prot &= ~_PAGE_PSE;	/* 4K leaves have no PSE bit (it means PAT there) */
	for (int i = 0; i < PTRS_PER_TABLE; i++)
		t[i].pte = (pte_phys(*e) + i * pg_level_size(l - 1)) | prot;
	pt_set_table(w, e, t, va);
	return 0;
}

static pte_t *pt_walk_fill(struct pt_walk *w, pte_t *e, pte_t v, enum pg_level l, unsigned long va,
			   enum pg_level level);

/*
 * The one page-table walker; its options are in arch/pgtable.h.
 *
 * The upper levels are read without page_table_lock: a fault under the
 * read side of mmap_lock descends through them, and so does the MMU. That
 * is safe for a user address space because
 *  - a table, once installed, stays until the address space dies: zap and
 *    munmap clear PTEs but keep the tables, and free_pgtables() runs only in
 *    exit_mmap(), when no task can reach the mm any more. A table that a
 *    present entry points to cannot be freed under a walker that holds
 *    mmap_lock or a reference that keeps the mm alive;
 *  - an empty entry is written once, with its whole value in one aligned
 *    64-bit store (WRITE_ONCE), and keeps it until the teardown: a reader
 *    sees either 0 or the finished entry, never a torn one;
 *  - the writer holds page_table_lock and looks again under it: two faults
 *    that both found the entry empty both allocate a table, but only the
 *    first to take the lock installs its own; the other sees the entry
 *    present, frees its page and walks on through the installed table. So
 *    one table is installed and pgtables_bytes counts it once;
 *  - a new table must be seen zeroed by anyone who sees the entry pointing
 *    to it, or another CPU (or its MMU) could follow the entry into stale
 *    memory: smp_wmb() in pt_set_table() orders the zeroing before the
 *    store of the entry. A reader needs no barrier of its own, as it loads
 *    the entry and then loads through the address it found there: the
 *    second load depends on the first and cannot pass it.
 * Kernel tables follow the same rules with kernel_map_lock instead, except
 * that unmap_pages() gives back tables that became empty; the lockless
 * lookups are of addresses their caller has mapped, whose tables are not
 * empty.
 */
static pte_t *pt_walk_from(struct pt_walk *w, pte_t *e, enum pg_level l, unsigned long va,
			   enum pg_level level)
{
	for (; l != level; l--) {
		pte_t v = { READ_ONCE(e->pte) };

		if (unlikely(!pte_present(v) || pt_leaf(v, l)))
			return pt_walk_fill(w, e, v, l, va, level);
		e = pt_entry(pt_table(v), l - 1, va);
	}
	w->entry = e;
	w->level = l;
	w->err = 0;
	return e;
}

/*
 * The walk found the level-l entry *e empty or a large page (v, as it read
 * it): give it a table and go on, as w->flags allow, or stop there. Out of
 * line, so that the walk through tables that are all there stays short.
 */
static __noinline pte_t *pt_walk_fill(struct pt_walk *w, pte_t *e, pte_t v, enum pg_level l,
				      unsigned long va, enum pg_level level)
{
	bool large = pte_present(v);
	int err = 0;

	if (w->flags & (large ? PTW_SPLIT : PTW_ALLOC)) {
		err = large ? pt_split(w, e, l, va) : pt_install(w, e, l, va);
		if (!err)
			return pt_walk_from(w, pt_entry(pt_table((pte_t){ READ_ONCE(e->pte) }), l - 1, va),
					    l - 1, va, level);
	}
	w->entry = e;
	w->level = l;
	w->err = err;
	return large && !err ? e : NULL;	/* the large page as it is, or nothing */
}

pte_t *pt_walk(struct pt_walk *w, unsigned long va, enum pg_level level)
{
	return pt_walk_from(w, pt_entry(w->pgd, PG_LEVEL_512G, va), PG_LEVEL_512G, va, level);
}

/*
 * The next slot after the one where the last walk ended (it->walk.entry, at
 * it->walk.level: the entry returned, an empty entry above it, or a large
 * page), passing over the empty entries of that table here, without walks:
 * it->addr moves there and *e is its entry, or NULL where the table ended
 * (a walk from the top goes on). false when the range is done.
 */
static bool pt_iter_advance(struct pt_iter *it, pte_t **e)
{
	enum pg_level l = it->walk.level;
	unsigned long size = pg_level_size(l);
	unsigned int i = pt_index(l, it->addr), stop = PTRS_PER_TABLE;
	pte_t *table = it->walk.entry - i;
	unsigned long base = ALIGN_DOWN(it->addr, size) - i * size;	/* what table[0] maps */

	if (it->end && it->end - base < PTRS_PER_TABLE * size)
		stop = DIV_ROUND_UP(it->end - base, size);
	pte_t *p = &table[i + 1];
	while (p < &table[stop] && !READ_ONCE(p->pte))
		p++;
	i = p - table;
	unsigned long next = base + i * size;
	if (next <= it->addr || (it->end && next >= it->end))
		return false;	/* past end, or past the top of the address space */
	it->addr = next;
	*e = i < PTRS_PER_TABLE ? &table[i] : NULL;
	return true;
}

bool pt_iter_next(struct pt_iter *it)
{
	struct pt_walk *w = &it->walk;
	bool first = !w->entry;

	if (first && it->end && it->addr >= it->end)
		return false;
	for (;;) {
		pte_t *e = NULL;
		if (!first && !pt_iter_advance(it, &e))
			return false;
		first = false;
		if (e && w->level == it->level) {	/* the next entry that is not empty, beside the last */
			w->entry = it->entry = e;
			return true;
		}
		e = e ? pt_walk_from(w, e, w->level, it->addr, it->level) : pt_walk(w, it->addr, it->level);
		if (e && e->pte) {
			it->entry = e;
			return true;
		}
		if (w->err)
			return false;
	}
}

static void flush_one(pgd_t *pgd, unsigned long va)
{
	/*
	 * Kernel mappings are global and live in every address space's
	 * tables, so they are flushed whatever page tables are loaded; a user
	 * mapping only matters if its tables are the ones loaded.
	 */
	if (va >= USER_HALF_END || __pa(pgd) == (read_cr3() & PTE_PFN_MASK))
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

/* The largest page, up to page_size, that maps va to pa and fits in size. */
static enum pg_level map_level(unsigned long va, phys_addr_t pa, size_t size, unsigned long page_size)
{
	for (enum pg_level l = PG_LEVEL_1G; l > PG_LEVEL_4K; l--) {
		unsigned long sz = pg_level_size(l);
		if (page_size >= sz && IS_ALIGNED(va | pa, sz) && size >= sz &&
		    (l != PG_LEVEL_1G || boot_cpu_data.has_pdpe1gb))
			return l;
	}
	return PG_LEVEL_4K;
}

int map_pages(pgd_t *pgd, unsigned long va, phys_addr_t pa, size_t size, pgprot_t prot,
	      unsigned long page_size)
{
	struct pt_walk w = { .pgd = pgd, .flags = PTW_ALLOC | PTW_SPLIT | kernel_table_source() };

	if ((va | pa | size) & ~PAGE_MASK)
		return -EINVAL;
	while (size) {
		enum pg_level level = map_level(va, pa, size, page_size);
		pte_t *e = pt_walk(&w, va, level);
		if (!e)
			return w.err;
		pteval_t v = pa | (prot & __supported_pte_mask) | (level > PG_LEVEL_4K ? _PAGE_PSE : 0);
		if (pte_present(*e) && e->pte != v) {
			/* Remapping is allowed (ioremap of the same page) but a large table underneath would leak. */
			WARN_ON(level > PG_LEVEL_4K && !pte_huge(*e));
			e->pte = v;
			flush_one(pgd, va);
		} else {
			e->pte = v;
		}
		va += pg_level_size(level);
		pa += pg_level_size(level);
		size -= pg_level_size(level);
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
 * After clearing va's leaf at level `leaf`: give back the table it was in,
 * and the one above, once they map nothing (so vmalloc'd memory comes back
 * in full: a fork bomb's thousands of stacks leave no page tables behind;
 * Linux keeps them). The PUD tables of the kernel's PGD slots are shared by
 * every address space and always stay; so do tables that came from memblock.
 */
static void free_empty_tables(pgd_t *pgd, unsigned long va, enum pg_level leaf)
{
	struct pt_walk w = { .pgd = pgd };

	for (enum pg_level l = leaf + 1; l <= PG_LEVEL_1G; l++) {
		pte_t *e = pt_walk(&w, va, l);	/* the entry that points to the level l - 1 table */
		if (!e || w.level != l || !pte_present(*e) || pt_leaf(*e, l))
			return;
		pte_t *table = pt_table(*e);
		if (!table_empty(table) || PageReserved(virt_to_page(table)))
			return;
		e->pte = 0;
		flush_one(pgd, va);	/* invlpg also drops the paging-structure caches for va */
		free_page((unsigned long)table);
	}
}

void unmap_pages(pgd_t *pgd, unsigned long va, size_t size)
{
	unsigned long end = va + size;
	struct pt_walk w = { .pgd = pgd, .flags = kernel_table_source() };

	while (va < end) {
		w.flags &= ~PTW_SPLIT;
		pte_t *e = pt_walk(&w, va, PG_LEVEL_4K);
		unsigned long step = pg_level_size(w.level);
		if (e && pte_present(*e) && w.level > PG_LEVEL_4K && (va & (step - 1) || end - va < step)) {
			/* Part of a large page: split it and retry at 4K. */
			w.flags |= PTW_SPLIT;
			e = pt_walk(&w, va, PG_LEVEL_4K);
			step = PAGE_SIZE;
		}
		if (!e) {	/* nothing mapped here: skip to the next 4K page */
			va = ALIGN_DOWN(va, PAGE_SIZE) + PAGE_SIZE;
			continue;
		}
		e->pte = 0;
		flush_one(pgd, va);
		if (after_bootmem && w.level <= PG_LEVEL_2M)
			free_empty_tables(pgd, va, w.level);
		va += step;
	}
}

int protect_pages(pgd_t *pgd, unsigned long va, size_t size, pgprot_t prot)
{
	struct pt_walk w = { .pgd = pgd, .flags = PTW_SPLIT | kernel_table_source() };

	if ((va | size) & ~PAGE_MASK)
		return -EINVAL;
	for (unsigned long a = va; a < va + size; a += PAGE_SIZE) {
		pte_t *e = pt_walk(&w, a, PG_LEVEL_4K);
		if (!e || !pte_present(*e))
			return w.err ? w.err : -EINVAL;
		e->pte = pte_phys(*e) | (prot & __supported_pte_mask);
		flush_one(pgd, a);
	}
	return 0;
}

pte_t *lookup_address_in_pgd(pgd_t *pgd, unsigned long va, enum pg_level *level)
{
	struct pt_walk w = { .pgd = pgd };
	pte_t *e = pt_walk(&w, va, PG_LEVEL_4K);

	if (!e || !pte_present(*e)) {
		*level = PG_LEVEL_NONE;
		return NULL;
	}
	*level = w.level;
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

	if (!e)
		return (phys_addr_t)-1;
	return pte_phys(*e) + (va & (pg_level_size(level) - 1));
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
		pt_entry(init_pgd, PG_LEVEL_512G, kernel_slots[i])->pte =
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
