/*
 * Writing mapped pages back to their file (Linux: mm/msync.c). A shared
 * file mapping maps the pages of a memory file system, which are the file
 * itself, so there is never anything to write back: msync() checks its
 * arguments and the range as Linux does, and returns.
 * MS_INVALIDATE of locked memory is -EBUSY, a range with holes -ENOMEM.
 *
 * Locking: mmap_lock for reading while the VMAs are looked at.
 */
#include <kernel/kernel.h>
#include <kernel/sched.h>
#include <kernel/syscalls.h>
#include <uapi/errno.h>
#include <uapi/mman.h>
#include <mm/mm.h>
#include <mm/mmap_lock.h>
#include "internal.h"

SYSCALL_DEFINE3(msync, unsigned long, start, unsigned long, len, int, flags)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	int err = 0;

	if ((flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) || (start & ~PAGE_MASK))
		return -EINVAL;
	if ((flags & MS_ASYNC) && (flags & MS_SYNC))
		return -EINVAL;
	unsigned long end = start + PAGE_ALIGN(len);
	if (end < start)
		return -ENOMEM;
	if (end == start)
		return 0;
	unsigned long a = start;	/* looked at up to here */
	mmap_read_lock(mm);
	for (vma = find_vma(mm, start); vma && vma->vm_start < end && a < end; vma = vma_next(mm, vma)) {
		if (vma->vm_start > a)
			err = -ENOMEM;
		if ((flags & MS_INVALIDATE) && (vma->vm_flags & VM_LOCKED)) {
			err = -EBUSY;
			break;
		}
		a = vma->vm_end;
	}
	mmap_read_unlock(mm);
	return err != -EBUSY && a < end ? -ENOMEM : err;
}
