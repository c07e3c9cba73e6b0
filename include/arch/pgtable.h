/*
 * The x86-64 4-level page-table API (Linux: asm/pgtable*.h). Folio names the
 * levels as Linux does (pgd, pud, pmd, pte; no p4d with 4 levels) and numbers
 * them with Linux's enum pg_level, by the size one entry maps. One walker,
 * pt_walk(), descends every page table, the kernel's and each user address
 * space's, and one iterator, pt_iter_next(), is built on it; map, unmap,
 * protect, lookup, the fault path, fork, munmap and teardown all use them.
 *
 * Locking: init_pgd's tables change only under kernel_map_lock (see
 * arch/x86_64/pgtable.c); a user address space's under its mm's locks (see
 * mm/memory.c). Upper-level entries are read without a lock: see pt_walk().
 */
#ifndef _ARCH_PGTABLE_H
#define _ARCH_PGTABLE_H

#include <kernel/types.h>
#include <arch/page.h>
#include <kernel/spinlock.h>

typedef u64 pteval_t;
typedef struct { pteval_t pte; } pte_t;	/* an entry at any level */
typedef pteval_t pgprot_t;

#define _PAGE_PRESENT (1ULL << 0)
#define _PAGE_RW (1ULL << 1)
#define _PAGE_USER (1ULL << 2)
#define _PAGE_PWT (1ULL << 3)
#define _PAGE_PCD (1ULL << 4)
#define _PAGE_ACCESSED (1ULL << 5)
#define _PAGE_DIRTY (1ULL << 6)
#define _PAGE_PSE (1ULL << 7)	/* large page at the pud/pmd level */
#define _PAGE_GLOBAL (1ULL << 8)
#define _PAGE_NX (1ULL << 63)
#define _PAGE_PROTNONE _PAGE_GLOBAL	/* in a not-present user PTE: a PROT_NONE page (Linux's choice) */
#define PTE_PFN_MASK 0x000ffffffffff000ULL

/* Protections as Linux spells them (asm/pgtable_types.h). */
#define PAGE_KERNEL (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_GLOBAL | _PAGE_NX)
#define PAGE_KERNEL_RO (_PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_GLOBAL | _PAGE_NX)
#define PAGE_KERNEL_RX (_PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_GLOBAL)
#define PAGE_KERNEL_NOCACHE (PAGE_KERNEL | _PAGE_PCD | _PAGE_PWT)

static inline bool pte_present(pte_t p) { return p.pte & _PAGE_PRESENT; }
static inline bool pte_huge(pte_t p) { return p.pte & _PAGE_PSE; }
static inline phys_addr_t pte_phys(pte_t p) { return p.pte & PTE_PFN_MASK; }
static inline pgprot_t pte_pgprot(pte_t p) { return p.pte & ~PTE_PFN_MASK; }

/* A page table is 512 entries at any level; pgd is the top one. */
typedef pte_t pgd_t;

/*
 * The levels, as Linux numbers them: a level is named by what one of its
 * entries maps. PTE tables are PG_LEVEL_4K, PMD tables PG_LEVEL_2M, PUD
 * tables PG_LEVEL_1G and the PGD PG_LEVEL_512G. PG_LEVEL_NONE: nothing.
 */
enum pg_level { PG_LEVEL_NONE, PG_LEVEL_4K, PG_LEVEL_2M, PG_LEVEL_1G, PG_LEVEL_512G, PG_LEVEL_NUM };

static inline unsigned int pg_level_shift(enum pg_level l) { return PAGE_SHIFT + 9 * (l - PG_LEVEL_4K); }
static inline unsigned long pg_level_size(enum pg_level l) { return 1UL << pg_level_shift(l); }
static inline unsigned int pt_index(enum pg_level l, unsigned long va)
{
	return (va >> pg_level_shift(l)) & (PTRS_PER_TABLE - 1);
}
/* The entry for va in table, a table at level l (Linux: pgd_offset(), pud_offset()...). */
static inline pte_t *pt_entry(pte_t *table, enum pg_level l, unsigned long va)
{
	return &table[pt_index(l, va)];
}
/* The table a present upper-level entry points to. */
static inline pte_t *pt_table(pte_t e) { return (pte_t *)__va(pte_phys(e)); }
/* A present entry that maps memory itself: a 4K page, or a 2M or 1G large page. */
static inline bool pt_leaf(pte_t e, enum pg_level l)
{
	return l == PG_LEVEL_4K || (l != PG_LEVEL_512G && pte_huge(e));
}

/* NX works only after EFER.NXE is set; until then (or on a CPU without NX) the bit is masked. */
extern pteval_t __supported_pte_mask;

/*
 * Map [va, va+size) to [pa, pa+size) with prot. Large pages are used where
 * both addresses are aligned and (page_size) allows it: pass PAGE_SIZE,
 * PMD_SIZE or PUD_SIZE as the largest page to use. Returns 0 or -ENOMEM.
 */
int map_pages(pgd_t *pgd, unsigned long va, phys_addr_t pa, size_t size, pgprot_t prot,
	      unsigned long page_size);
/* Remove the mappings of [va, va+size); page tables stay. Flushes the TLB. */
void unmap_pages(pgd_t *pgd, unsigned long va, size_t size);
/* Change the protection of present 4K mappings in [va, va+size). Returns 0 or -EINVAL. */
int protect_pages(pgd_t *pgd, unsigned long va, size_t size, pgprot_t prot);
/*
 * pt_walk(): the entry for va at level `level` in w->pgd. What it does on the
 * way down is chosen by w->flags; it reports in w->level the level of the
 * entry it returns (higher than asked for: a large page it did not split), or
 * when it returns NULL, the level of the entry it found empty. w->mm is the
 * address space whose tables these are (its page_table_lock and
 * pgtables_bytes), or NULL for init_pgd.
 */
#define PTW_ALLOC 0x1		/* allocate missing tables */
#define PTW_SPLIT 0x2		/* split a large page above `level`; without it, return the large page */
#define PTW_MEMBLOCK 0x4	/* new tables come from memblock (boot, before the page allocator) */

struct mm_struct;
struct pt_walk {
	pgd_t *pgd;
	struct mm_struct *mm;
	unsigned int flags;
	enum pg_level level;	/* out */
	pte_t *entry;		/* out: the entry at w->level where the walk ended, even if NULL is returned */
	int err;		/* out: -ENOMEM when a table could not be allocated */
};
pte_t *pt_walk(struct pt_walk *w, unsigned long va, enum pg_level level);

/*
 * The entries at it->level for [addr, end) that are not empty (not 0), in
 * order: pt_iter_next() moves it->entry and it->addr (the address the entry
 * maps) to the next one, skipping the whole span of a missing table; false
 * when the range is done. A large page above the level is visited once
 * (it->walk.level says so). end == 0 is the top of the
 * address space. To start, set walk's pgd, mm and flags, level, addr and end,
 * and zero the rest.
 */
struct pt_iter {
	struct pt_walk walk;
	enum pg_level level;
	unsigned long addr, end;
	pte_t *entry;
};
bool pt_iter_next(struct pt_iter *it);

/* The entry mapping va and its level, or NULL (Linux: lookup_address()). */
pte_t *lookup_address_in_pgd(pgd_t *pgd, unsigned long va, enum pg_level *level);
pte_t *lookup_address(unsigned long va, enum pg_level *level);
/* Translate a kernel virtual address through the page tables; -1 if unmapped. */
phys_addr_t slow_virt_to_phys(unsigned long va);

static inline void flush_tlb_one_kernel(unsigned long va)
{
	__asm__ __volatile__("invlpg (%0)" :: "r"(va) : "memory");
}
void flush_tlb_all(void);

extern pgd_t *init_pgd;		/* the kernel's own top-level table (Linux: swapper_pg_dir) */
void paging_init(void);		/* build the final kernel page tables and switch to them */
void pgtable_after_bootmem(void);	/* page tables now come from alloc_page() */
extern spinlock_t kernel_map_lock;

#endif
