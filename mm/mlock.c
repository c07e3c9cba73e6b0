/*
 * Locking memory in (Linux: mm/mlock.c). mlock() marks the VMAs of a range
 * VM_LOCKED, splitting them at the range's edges, and faults the range in,
 * stopping at the first page that memory (or the memory cgroup's limit)
 * cannot give: -EAGAIN, the range staying locked and the rest left to later
 * faults; munlock() clears the flag. Folio never swaps or reclaims user pages, so a
 * locked page differs from another only in being populated at once and in
 * counting in locked_vm. mlockall() marks every VMA, and with MCL_FUTURE
 * every VMA to come (mm->def_flags); munlockall() clears both.
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

/* The end of the mapped run that starts at start, at most end; start itself if start is not mapped. */
static unsigned long mapped_until(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	struct vm_area_struct *vma;
	unsigned long a = start;

	for (vma = find_vma(mm, start); vma && vma->vm_start <= a && a < end; vma = vma_next(mm, vma))
		a = vma->vm_end;
	return min(a, end);
}

/*
 * The VMAs are marked first, then the range is faulted in, as Linux does;
 * a failure leaves them locked. A hole in the range ends the marking there
 * with -ENOMEM, and nothing is faulted in. Linux's errors: -EAGAIN when
 * memory ran out, -ENOMEM for a page that cannot be had. MLOCK_ONFAULT
 * locks without faulting in.
 */
static int apply_mlock(unsigned long start, unsigned long len, bool lock, bool populate)
{
	struct mm_struct *mm = current->mm;
	unsigned long off = start & ~PAGE_MASK;
	int err = 0;

	start -= off;
	unsigned long end = start + PAGE_ALIGN(len + off);
	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;
	if (mmap_write_lock_killable(mm))
		return -EINTR;
	unsigned long mapped = mapped_until(mm, start, end);
	if (mapped > start)
		err = mlock_fixup(mm, start, mapped, lock);
	if (!err && mapped < end) {
		err = -ENOMEM;	/* a hole: nothing is faulted in */
	} else if (!err && lock && populate) {
		err = mlock_populate(mm, start, end);
		err = err == -ENOMEM ? -EAGAIN : err == -EFAULT ? -ENOMEM : err;
	}
	mmap_write_unlock(mm);
	return err;
}

/*
 * mlockall(): MCL_FUTURE locks every VMA made from now on (def_flags),
 * MCL_CURRENT every VMA there is, faulting them in (a best effort, errors
 * ignored, as Linux's) unless MCL_ONFAULT. munlockall() undoes both.
 */
static int apply_mlockall(int flags)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;

	if (mmap_write_lock_killable(mm))
		return -EINTR;
	mm->def_flags = (flags & MCL_FUTURE) ? VM_LOCKED : 0;
	if (flags == MCL_FUTURE || flags == (MCL_FUTURE | MCL_ONFAULT))
		goto out;	/* the VMAs there are stay as they are */
	list_for_each_entry(vma, &mm->mmap, vm_list)
		mlock_fixup(mm, vma->vm_start, vma->vm_end, flags & MCL_CURRENT);
	if ((flags & (MCL_CURRENT | MCL_ONFAULT)) == MCL_CURRENT)
		list_for_each_entry(vma, &mm->mmap, vm_list)
			if (populate_range(mm, vma->vm_start, vma->vm_end, false) == -EINTR)
				break;
out:
	mmap_write_unlock(mm);
	return 0;
}

SYSCALL_DEFINE2(mlock, unsigned long, start, unsigned long, len) { return apply_mlock(start, len, true, true); }
SYSCALL_DEFINE3(mlock2, unsigned long, start, unsigned long, len, int, flags)
{
	return flags & ~MLOCK_ONFAULT ? -EINVAL : apply_mlock(start, len, true, !(flags & MLOCK_ONFAULT));
}
SYSCALL_DEFINE2(munlock, unsigned long, start, unsigned long, len) { return apply_mlock(start, len, false, false); }
SYSCALL_DEFINE1(mlockall, int, flags)
{
	if (!flags || (flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) || flags == MCL_ONFAULT)
		return -EINVAL;
	return apply_mlockall(flags);
}
SYSCALL_DEFINE0(munlockall) { return apply_mlockall(0); }
