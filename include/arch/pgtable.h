/*
 * The x86-64 4-level page-table API (Linux: asm/pgtable*.h). Folio names the
 * levels as Linux does (pgd, pud, pmd, pte; no p4d with 4 levels). The same
 * functions build the kernel's own tables at boot and, later, every user
 * address space: map, unmap, walk, protect and TLB flush.
 *
 * Locking: callers serialise changes to one page table (init_mm's tables are
 * changed only under kernel_map_lock, see arch/x86_64/pgtable.c).
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

/* Page-table levels, as returned by lookup_address(). */
enum pg_level { PG_LEVEL_NONE, PG_LEVEL_4K, PG_LEVEL_2M, PG_LEVEL_1G };

static inline unsigned long pgd_index(unsigned long va) { return (va >> PGDIR_SHIFT) & 511; }
static inline unsigned long pud_index(unsigned long va) { return (va >> PUD_SHIFT) & 511; }
static inline unsigned long pmd_index(unsigned long va) { return (va >> PMD_SHIFT) & 511; }
static inline unsigned long pte_index(unsigned long va) { return (va >> PAGE_SHIFT) & 511; }
static inline bool pte_present(pte_t p) { return p.pte & _PAGE_PRESENT; }
static inline bool pte_huge(pte_t p) { return p.pte & _PAGE_PSE; }
static inline phys_addr_t pte_phys(pte_t p) { return p.pte & PTE_PFN_MASK; }
static inline pgprot_t pte_pgprot(pte_t p) { return p.pte & ~PTE_PFN_MASK; }

/* A page table is 512 entries at any level; pgd is the top one. */
typedef pte_t pgd_t;

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
