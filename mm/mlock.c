/*
 * Locking memory in (Linux: mm/mlock.c). mlock() marks the VMAs of a range
 * VM_LOCKED, splitting them at the range's edges, and faults every page in
 * that memory (and the memory cgroup's limit) allows, leaving the rest to
 * later faults; munlock() clears the flag. Folio never swaps or reclaims user pages, so a
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

static int apply_mlock(unsigned long start, unsigned long len, bool lock)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	unsigned long off = start & ~PAGE_MASK;
	int err;

	start -= off;
	unsigned long end = start + PAGE_ALIGN(len + off);
	if (end < start)
		return -EINVAL;
	if (mmap_write_lock_killable(mm))
		return -EINTR;
	if ((err = split_range(mm, start, end)))
		goto out;
	for (vma = find_vma(mm, start); vma && vma->vm_start < end; vma = vma_next(mm, vma)) {
		unsigned long pages = (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
		if (lock && !(vma->vm_flags & VM_LOCKED)) {
			vma->vm_flags |= VM_LOCKED;
			mm->locked_vm += pages;
			populate_range(mm, vma->vm_start, vma->vm_end, false);
		} else if (!lock && (vma->vm_flags & VM_LOCKED)) {
			vma->vm_flags &= ~VM_LOCKED;
			mm->locked_vm -= pages;
		}
	}
out:
	mmap_write_unlock(mm);
	return err;
}

SYSCALL_DEFINE2(mlock, unsigned long, start, unsigned long, len) { return apply_mlock(start, len, true); }
SYSCALL_DEFINE2(munlock, unsigned long, start, unsigned long, len) { return apply_mlock(start, len, false); }
SYSCALL_DEFINE1(mlockall, int, flags) { return flags & ~(MCL_CURRENT | MCL_FUTURE) ? -EINVAL : 0; }
SYSCALL_DEFINE0(munlockall) { return 0; }
