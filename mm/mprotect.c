/*
 * Changing the protection of mapped memory (Linux: mm/mprotect.c).
 *
 * mprotect() splits the VMAs at the range's edges, gives each VMA of the
 * range its new vm_flags and vm_page_prot, and change_protection() rewrites
 * the PTEs that exist. Write permission on a private page is never granted
 * here: the next write faults and copy-on-write decides whether the page can
 * be taken over or must be copied. PROT_NONE keeps the frame in a
 * not-present PTE (see mm/memory.c).
 *
 * Making private memory writable counts it in Committed_AS (VM_ACCOUNT), as
 * mapping it writable would have. A hole in the range, or a VMA that may
 * not have the access (no VM_MAYWRITE...), ends the change there with
 * -ENOMEM or -EACCES, the VMAs before it changed, as on Linux.
 *
 * Locking: mmap_lock for writing around the whole call; each PTE changes
 * under mm->page_table_lock, so it cannot race a fault under the read lock.
 */
#include <kernel/kernel.h>
#include <kernel/sched.h>
#include <kernel/syscalls.h>
#include <uapi/errno.h>
#include <uapi/mman.h>
#include <mm/mm.h>
#include <mm/mmap_lock.h>
#include <kernel/delay_point.h>
#include <kernel/uaccess.h>
#include "internal.h"

/* Apply vma's (new) protection to the PTEs it has (mprotect). */
void change_protection(struct vm_area_struct *vma)
{
	struct mm_struct *mm = vma->vm_mm;
	bool none = !(vma->vm_flags & (VM_READ | VM_WRITE | VM_EXEC));
	struct pt_iter it = user_pt_iter(mm, PG_LEVEL_4K, vma->vm_start, vma->vm_end);

	mmap_assert_write_locked(mm);
	while (pt_iter_next(&it)) {
		pte_t *pte = it.entry;
		spin_lock(&mm->page_table_lock);
		if (pte_has_page(*pte)) {
			bool was_writable = pte_present(*pte) && (pte->pte & _PAGE_RW);
			if (none)
				pte->pte = pte_phys(*pte) | _PAGE_PROTNONE;
			else	/* private write permission returns through a fault, which knows about COW */
				pte->pte = pte_phys(*pte) | (vma->vm_page_prot & ~_PAGE_RW) |
					   ((was_writable || (vma->vm_flags & VM_SHARED)) && (vma->vm_flags & VM_WRITE) ?
					    _PAGE_RW | _PAGE_DIRTY : 0);
			flush_user_page(mm, it.addr);
		}
		spin_unlock(&mm->page_table_lock);
	}
}

/* Does giving vma the access newbits make private memory writable, to be counted in Committed_AS? */
static bool mprotect_charges(const struct vm_area_struct *vma, unsigned long newbits)
{
	return (newbits & VM_WRITE) && !(vma->vm_flags & (VM_ACCOUNT | VM_WRITE | VM_SHARED | VM_NORESERVE));
}

/*
 * How far from start mprotect() goes: to end, or to the first hole
 * (-ENOMEM in *err) or the first VMA that may not have the access
 * (-EACCES), where Linux stops too, what came before it changed. *charged:
 * the private pages made writable up to there.
 */
static unsigned long mprotect_extent(struct mm_struct *mm, unsigned long start, unsigned long end,
				     unsigned long newbits, int *err, long *charged)
{
	struct vm_area_struct *vma;
	unsigned long a = start;

	*charged = 0;
	for (vma = find_vma(mm, start); vma && vma->vm_start <= a && a < end; vma = vma_next(mm, vma)) {
		if (newbits & ~(vma->vm_flags >> 4)) {	/* VM_MAYREAD etc. sit four bits above VM_READ etc. */
			*err = -EACCES;
			return a;
		}
		if (mprotect_charges(vma, newbits))
			*charged += (min(vma->vm_end, end) - max(vma->vm_start, start)) >> PAGE_SHIFT;
		a = vma->vm_end;
	}
	if (a < end)
		*err = -ENOMEM;
	return min(a, end);
}

/* Give the VMAs of [start, end), whole VMAs by now, the access newbits. */
static void mprotect_apply(struct mm_struct *mm, unsigned long start, unsigned long end, unsigned long newbits)
{
	struct vm_area_struct *vma;

	for (vma = find_vma(mm, start); vma && vma->vm_start < end; vma = vma_next(mm, vma)) {
		long pages = (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
		vm_stat_account(mm, vma->vm_flags, -pages);
		if (mprotect_charges(vma, newbits))
			vma->vm_flags |= VM_ACCOUNT;
		vma->vm_flags = (vma->vm_flags & ~(VM_READ | VM_WRITE | VM_EXEC)) | newbits;
		vm_stat_account(mm, vma->vm_flags, pages);
		vma->vm_page_prot = vm_get_page_prot(vma->vm_flags);
		change_protection(vma);
	}
	vma_merge_range(mm, start, end);	/* given back the protection of its neighbours: one VMA again */
}

SYSCALL_DEFINE3(mprotect, unsigned long, start, unsigned long, len, unsigned long, prot)
{
	struct mm_struct *mm = current->mm;
	unsigned long grows = prot & (PROT_GROWSDOWN | PROT_GROWSUP), end;
	int err = 0;

	/* Linux's order of checks; PROT_SEM means nothing on x86 and is allowed. */
	prot &= ~grows;
	if (grows == (PROT_GROWSDOWN | PROT_GROWSUP) || (start & ~PAGE_MASK))
		return -EINVAL;
	if (!len)
		return 0;
	end = start + PAGE_ALIGN(len);
	if (end <= start)
		return -ENOMEM;
	if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM))
		return -EINVAL;
	if (end > TASK_SIZE_MAX)
		return -ENOMEM;
	unsigned long newbits = calc_vm_prot_bits(prot);
	if (mmap_write_lock_killable(mm))
		return -EINTR;
	/*
	 * A named delay point: a test holds mmap_lock for writing here to show
	 * that a reader of /proc/PID/maps waiting for it can still be killed.
	 */
	delay_point("mprotect_mmap_write_locked");
	/* PROT_GROWSDOWN: the change reaches down to the start of a stack VMA (and only of one). */
	struct vm_area_struct *vma = find_vma(mm, start);
	if (grows && vma && vma->vm_start < end) {
		if (!(vma->vm_flags & VM_GROWSDOWN)) {
			err = -EINVAL;
			goto out;
		}
		start = vma->vm_start;
	}
	long charged;
	unsigned long stop = mprotect_extent(mm, start, end, newbits, &err, &charged);
	if (stop == start)
		goto out;
	/* Private memory made writable is promised now, as if mapped so (Committed_AS). */
	if (charged && __vm_enough_memory(mm, charged)) {
		err = -ENOMEM;
		goto out;
	}
	int split_err = split_range(mm, start, stop);
	if (split_err) {
		vm_unacct_memory(charged);
		err = split_err;
		goto out;
	}
	mprotect_apply(mm, start, stop, newbits);
out:
	mmap_write_unlock(mm);
	return err;
}
