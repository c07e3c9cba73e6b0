/*
 * Walking the pages of a VMA (Linux: include/linux/pagewalk.h), see
 * mm/pagewalk.c. The caller holds the mm's mmap_lock.
 */
#ifndef _MM_PAGEWALK_H
#define _MM_PAGEWALK_H

#include <mm/mm_types.h>

struct mm_walk_ops {
	/* One PTE that holds page (referenced for the call) at addr. */
	void (*pte_entry)(pte_t pte, struct page *page, unsigned long addr, void *private);
};

void walk_page_vma(struct vm_area_struct *vma, const struct mm_walk_ops *ops, void *private);
/* The same for the part of vma inside [start, end). */
void walk_page_range_vma(struct vm_area_struct *vma, unsigned long start, unsigned long end,
			 const struct mm_walk_ops *ops, void *private);

#endif
