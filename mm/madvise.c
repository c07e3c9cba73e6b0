/*
 * Advice about memory use (Linux: mm/madvise.c). The hints that only tune
 * read-ahead or reclaim are accepted and ignored; MADV_DONTNEED and
 * MADV_FREE drop the private pages of the range at once, so the next touch
 * sees zeroes (or the file) again. Locked VMAs refuse with -EINVAL, as
 * Linux; shared anonymous VMAs are skipped. A range with unmapped pages is
 * advised where it is mapped and fails with -ENOMEM, as Linux.
 *
 * Locking: mmap_lock for reading; zapping takes page_table_lock per PTE.
 */
#include <kernel/kernel.h>
#include <kernel/sched.h>
#include <kernel/syscalls.h>
#include <uapi/errno.h>
#include <uapi/mman.h>
#include <mm/mm.h>
#include <mm/mmap_lock.h>
#include "internal.h"

SYSCALL_DEFINE3(madvise, unsigned long, start, unsigned long, len, int, advice)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	unsigned long end;
	int err = 0;

	if (start & ~PAGE_MASK)
		return -EINVAL;
	end = start + PAGE_ALIGN(len);
	if (end < start)
		return -EINVAL;
	switch (advice) {
	case MADV_NORMAL: case MADV_RANDOM: case MADV_SEQUENTIAL: case MADV_WILLNEED:
	case MADV_DONTNEED: case MADV_FREE:
		break;
	default:
		return -EINVAL;
	}
	bool zap = advice == MADV_DONTNEED || advice == MADV_FREE;
	unsigned long a = start;	/* advised up to here */
	mmap_read_lock(mm);
	for (vma = find_vma(mm, start); vma && vma->vm_start < end; vma = vma_next(mm, vma)) {
		if (vma->vm_start > a)
			err = -ENOMEM;	/* a hole: the rest is still advised (as Linux) */
		a = vma->vm_end;
		if (!zap)
			continue;
		if (vma->vm_flags & VM_LOCKED) {
			err = -EINVAL;
			break;
		}
		/*
		 * Shared anonymous pages have no object to come back from (Linux
		 * refaults them from shmem): zapping would silently unshare them.
		 */
		if (vma->vm_flags & VM_SHARED)
			continue;
		zap_page_range(vma, max(start, vma->vm_start), min(end, vma->vm_end));
	}
	mmap_read_unlock(mm);
	if (a < end && !err)
		err = -ENOMEM;
	return err;
}
