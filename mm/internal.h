/*
 * What the files of mm/ share with each other but not with the rest of the
 * kernel (Linux: mm/internal.h): walking the VMA list, splitting VMAs at a
 * range's edges, the PTE helpers that mprotect shares with memory.c, prot
 * to vm_flags, and the page allocator's error counts that its tests read.
 *
 * Locking: as the callers' (include/mm/mm_types.h). The VMA helpers need
 * mmap_lock (split_range() for writing); PTEs change under page_table_lock.
 */
#ifndef _MM_INTERNAL_H
#define _MM_INTERNAL_H

#include <mm/mm.h>
#include <arch/pgtable.h>
#include <uapi/mman.h>

/* The VM_READ/WRITE/EXEC bits of PROT_READ/WRITE/EXEC (Linux's calc_vm_prot_bits()). */
static inline unsigned long calc_vm_prot_bits(unsigned long prot)
{
	return ((prot & PROT_READ) ? VM_READ : 0) | ((prot & PROT_WRITE) ? VM_WRITE : 0) |
	       ((prot & PROT_EXEC) ? VM_EXEC : 0);
}

/* The VMA after (before) vma on mm's list, or NULL. */
static inline struct vm_area_struct *vma_next(struct mm_struct *mm, struct vm_area_struct *vma)
{
	return vma->vm_list.next == &mm->mmap ? NULL : list_next_entry(vma, vm_list);
}

static inline struct vm_area_struct *vma_prev(struct mm_struct *mm, struct vm_area_struct *vma)
{
	return vma->vm_list.prev == &mm->mmap ? NULL : list_entry(vma->vm_list.prev, struct vm_area_struct, vm_list);
}

/* vma and an anonymous neighbour that touches it with the same flags become one VMA (vma may be freed). */
void vma_try_merge(struct mm_struct *mm, struct vm_area_struct *vma);
/* Each private anonymous VMA of [start, end) merged with its neighbours where they agree. */
void vma_merge_range(struct mm_struct *mm, unsigned long start, unsigned long end);

/* Make [start, end) consist of whole VMAs (splitting at the edges); -ENOMEM if a split fails. */
int split_range(struct mm_struct *mm, unsigned long start, unsigned long end);

/* A PTE that holds a page: present, or PROT_NONE (not present, frame kept). */
static inline bool pte_has_page(pte_t e)
{
	return e.pte & (_PAGE_PRESENT | _PAGE_PROTNONE);
}

/*
 * An iterator over the level-`level` entries of mm's [start, end) that are
 * not empty (pt_iter_next() moves it.entry and it.addr): where a table is
 * missing, nothing is mapped, and its whole span is skipped.
 */
static inline struct pt_iter user_pt_iter(struct mm_struct *mm, enum pg_level level, unsigned long start,
					  unsigned long end)
{
	return (struct pt_iter){ .walk = { .pgd = mm->pgd, .mm = mm }, .level = level,
				 .addr = start, .end = end };
}
/* mm/mmap.c: where a new mapping of len bytes goes (an error value if nowhere), as mmap() decides. */
unsigned long mmap_pick_addr(struct mm_struct *mm, unsigned long addr, unsigned long len, unsigned long flags);
/* mm/memory.c: mremap's move of the PTEs of a range to a free one (share: the old range keeps them too). */
int move_page_tables(struct mm_struct *mm, unsigned long old_addr, unsigned long new_addr, unsigned long len,
		     bool share);

/* Drop addr's TLB entry if mm's page tables are the ones loaded. */
void flush_user_page(struct mm_struct *mm, unsigned long addr);

/* mm/page_alloc.c's error counts since boot (tests). */
extern unsigned long bad_page_count;		/* "Bad page state" reports */
extern unsigned long page_poison_errors;	/* poison found overwritten on allocation */

#endif
