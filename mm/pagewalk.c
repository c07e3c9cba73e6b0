/*
 * Walking the pages mapped in a VMA (Linux: mm/pagewalk.c's
 * walk_page_vma(), reduced to what /proc/PID/smaps and pagemap need): a
 * callback for every PTE that holds a page, present or PROT_NONE, in a VMA
 * or the part of one inside a range.
 *
 * Locking: the caller holds mmap_lock (read is enough: page tables are
 * only freed by exit_mmap(), which nobody else can race). Each PTE is read
 * and its page referenced under page_table_lock, so a concurrent
 * MADV_DONTNEED cannot free the page under the callback, which runs with
 * no spinlock held.
 */
#include <kernel/kernel.h>
#include <mm/mm.h>
#include <mm/mmap_lock.h>
#include <mm/pagewalk.h>
#include "internal.h"

void walk_page_vma(struct vm_area_struct *vma, const struct mm_walk_ops *ops, void *private)
{
	walk_page_range_vma(vma, vma->vm_start, vma->vm_end, ops, private);
}

void walk_page_range_vma(struct vm_area_struct *vma, unsigned long start, unsigned long end,
			 const struct mm_walk_ops *ops, void *private)
{
	struct mm_struct *mm = vma->vm_mm;
	struct pt_iter it = user_pt_iter(mm, PG_LEVEL_4K, max(start, vma->vm_start), min(end, vma->vm_end));

	mmap_assert_locked(mm);
	while (pt_iter_next(&it)) {
		unsigned long addr = it.addr;
		spin_lock(&mm->page_table_lock);
		pte_t pte = *it.entry;
		struct page *page = pte_has_page(pte) ? pfn_to_page(PFN_DOWN(pte_phys(pte))) : NULL;
		if (page)
			get_page(page);
		spin_unlock(&mm->page_table_lock);
		if (!page)
			continue;
		ops->pte_entry(pte, page, addr, private);
		put_page(page);
	}
}
