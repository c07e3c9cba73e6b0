/*
 * Locking memory in (Linux: mm/mlock.c). mlock() marks the VMAs of a range
 * VM_LOCKED, splitting them at the range's edges, and faults the range in,
 * stopping at the first page that memory (or the memory cgroup's limit)
 * cannot give: -EAGAIN, the range staying locked and the rest left to later
 * faults; munlock() clears the flag. Folio never swaps or reclaims user pages, so a
 * locked page differs from another only in being populated at once and in
 * counting in locked_vm. mlockall() and munlockall() accept their flags and
 * do nothing more.
 *
 * Locking: mmap_lock for writing around the VMA changes and the faults.
 */
#include <kernel/kernel.h>
#include <kernel/sched.h>
#include <kernel/syscalls.h>
#include <uapi/errno.h>
#include <uapi/mman.h>
#include <mm/mm.h>
#include <mm/mmap_lock.h>
#include "internal.h"

/* Mark or unmark the VMAs of [start, end) VM_LOCKED, splitting them at the edges. */
static int mlock_fixup(struct mm_struct *mm, unsigned long start, unsigned long end, bool lock)
{
	struct vm_area_struct *vma;
	int err = split_range(mm, start, end);

	if (err)
		return err;
	for (vma = find_vma(mm, start); vma && vma->vm_start < end; vma = vma_next(mm, vma)) {
		unsigned long pages = (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
		if (lock && !(vma->vm_flags & VM_LOCKED)) {
			vma->vm_flags |= VM_LOCKED;
			mm->locked_vm += pages;
		} else if (!lock && (vma->vm_flags & VM_LOCKED)) {
			vma->vm_flags &= ~VM_LOCKED;
			mm->locked_vm -= pages;
		}
	}
	return 0;
}

/*
 * Fault in [start, end) of a range just locked, in address order. A PROT_NONE VMA ends it
 * with -EFAULT, as Linux's populate fails there (no access to force): mlock() of PROT_NONE
 * memory locks it but fails.
 */
static int mlock_populate(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	struct vm_area_struct *vma;

	for (vma = find_vma(mm, start); vma && vma->vm_start < end; vma = vma_next(mm, vma))
		if (!(vma->vm_flags & (VM_READ | VM_WRITE | VM_EXEC)))
			break;
	if (!vma || vma->vm_start >= end)
		return populate_range(mm, start, end, false);
	int err = populate_range(mm, start, vma->vm_start > start ? vma->vm_start : start, false);
	return err ? err : -EFAULT;
}

/*
 * The VMAs are marked first, then the range is faulted in, as Linux does;
 * a failure leaves them locked. Linux's errors: -EAGAIN when memory ran out,
 * -ENOMEM for a page that cannot be had.
 */
static int apply_mlock(unsigned long start, unsigned long len, bool lock)
{
	struct mm_struct *mm = current->mm;
	unsigned long off = start & ~PAGE_MASK;
	int err;

	start -= off;
	unsigned long end = start + PAGE_ALIGN(len + off);
	if (end < start)
		return -EINVAL;
	if (mmap_write_lock_killable(mm))
		return -EINTR;
	err = mlock_fixup(mm, start, end, lock);
	if (!err && lock)
		err = mlock_populate(mm, start, end);
	mmap_write_unlock(mm);
	return err == -ENOMEM ? -EAGAIN : err == -EFAULT ? -ENOMEM : err;
}

SYSCALL_DEFINE2(mlock, unsigned long, start, unsigned long, len) { return apply_mlock(start, len, true); }
SYSCALL_DEFINE2(munlock, unsigned long, start, unsigned long, len) { return apply_mlock(start, len, false); }
SYSCALL_DEFINE1(mlockall, int, flags) { return flags & ~(MCL_CURRENT | MCL_FUTURE) ? -EINVAL : 0; }
SYSCALL_DEFINE0(munlockall) { return 0; }
