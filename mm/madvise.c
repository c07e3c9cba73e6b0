/*
 * Advice about memory use (Linux: mm/madvise.c). The hints that only tune
 * read-ahead, reclaim, KSM, huge pages or core dumps are accepted and
 * ignored. MADV_DONTNEED drops the private pages of the range at once, so
 * the next touch sees zeroes (or the file) again; MADV_FREE lets them go
 * only when memory is short, which for Folio, which never reclaims user
 * pages, is never: the data stays, as it does on a Linux with memory to
 * spare. MADV_DONTFORK and MADV_WIPEONFORK shape what a fork copies
 * (VMAs split for them merge back when their flags agree again);
 * MADV_POPULATE_READ/WRITE fault the range in; MADV_REMOVE punches a hole
 * in a shared mapping's file and zeroes shared anonymous memory
 * (madvise_remove()). Locked VMAs refuse to drop their pages (-EINVAL), as
 * Linux, except with MADV_DONTNEED_LOCKED; a shared file mapping's pages
 * stay in the file, and shared anonymous VMAs keep theirs (Linux refaults
 * them from shmem, an object Folio lacks). A range with unmapped pages is advised where it is
 * mapped and fails with -ENOMEM, as Linux.
 *
 * Locking: mmap_lock for reading, for writing when the advice changes
 * vm_flags; zapping takes page_table_lock per PTE; MADV_REMOVE of a file
 * takes its i_rwsem, then i_mmap_lock, inside mmap_lock.
 */
#include <kernel/kernel.h>
#include <lib/string.h>
#include <kernel/sched.h>
#include <kernel/syscalls.h>
#include <uapi/errno.h>
#include <uapi/mman.h>
#include <mm/mm.h>
#include <mm/mmap_lock.h>
#include <fs/fs.h>
#include "internal.h"

static bool madvise_behavior_valid(int advice)
{
	switch (advice) {
	case MADV_NORMAL: case MADV_RANDOM: case MADV_SEQUENTIAL: case MADV_WILLNEED:
	case MADV_DONTNEED: case MADV_FREE: case MADV_REMOVE: case MADV_DONTFORK: case MADV_DOFORK:
	case MADV_MERGEABLE: case MADV_UNMERGEABLE: case MADV_HUGEPAGE: case MADV_NOHUGEPAGE:
	case MADV_DONTDUMP: case MADV_DODUMP: case MADV_WIPEONFORK: case MADV_KEEPONFORK:
	case MADV_COLD: case MADV_PAGEOUT: case MADV_POPULATE_READ: case MADV_POPULATE_WRITE:
	case MADV_DONTNEED_LOCKED:
		return true;
	default:
		return false;
	}
}

/* The advice that changes vm_flags, and so needs mmap_lock for writing and whole VMAs. */
static bool madvise_need_mmap_write(int advice)
{
	return advice == MADV_DONTFORK || advice == MADV_DOFORK || advice == MADV_WIPEONFORK ||
	       advice == MADV_KEEPONFORK;
}

/*
 * MADV_REMOVE of a shared file mapping punches a hole in the file (tmpfs,
 * Linux's rootfs too): its pages there are freed, and it reads as zeroes.
 * The file's i_rwsem is taken under mmap_lock, the documented order.
 */
static int madvise_remove_file(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	struct file *file = vma->vm_file;

	if (!file->f_op->punch_hole)
		return -EOPNOTSUPP;
	return file->f_op->punch_hole(file, vma->vm_pgoff + ((start - vma->vm_start) >> PAGE_SHIFT),
				      (end - start) >> PAGE_SHIFT);
}

/*
 * MADV_REMOVE frees the backing store of a shared writable range: for
 * shared anonymous memory (Linux punches a hole in its shmem object) the
 * pages read as zeroes afterwards; Folio keeps the pages, shared as they
 * are, and zeroes them. Other mappings cannot (EINVAL, EACCES).
 */
static int madvise_remove(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	struct mm_struct *mm = vma->vm_mm;

	if ((vma->vm_flags & VM_LOCKED) || vma_is_private_anon(vma))
		return -EINVAL;
	if ((vma->vm_flags & (VM_SHARED | VM_WRITE)) != (VM_SHARED | VM_WRITE))
		return -EACCES;
	if (vma->vm_file)
		return madvise_remove_file(vma, start, end);
	struct pt_iter it = user_pt_iter(mm, PG_LEVEL_4K, start, end);
	while (pt_iter_next(&it)) {
		spin_lock(&mm->page_table_lock);
		if (pte_has_page(*it.entry))
			memset(__va(pte_phys(*it.entry)), 0, PAGE_SIZE);
		spin_unlock(&mm->page_table_lock);
	}
	return 0;
}

/* Apply advice to [start, end), all of it inside vma. */
static int madvise_vma(struct vm_area_struct *vma, unsigned long start, unsigned long end, int advice)
{
	bool anon_private = vma_is_private_anon(vma);

	switch (advice) {
	case MADV_DONTNEED: case MADV_DONTNEED_LOCKED: case MADV_FREE:
		if ((vma->vm_flags & VM_LOCKED) && advice != MADV_DONTNEED_LOCKED)
			return -EINVAL;
		if (advice == MADV_FREE)
			return anon_private ? 0 : -EINVAL;
		if (!vma_is_shared_anon(vma))
			zap_page_range(vma, start, end);	/* a shared file's pages stay the file's */
		return 0;
	case MADV_REMOVE:
		return madvise_remove(vma, start, end);
	case MADV_COLD: case MADV_PAGEOUT:
		return (vma->vm_flags & VM_LOCKED) ? -EINVAL : 0;
	case MADV_DONTFORK:
		vma->vm_flags |= VM_DONTCOPY;
		return 0;
	case MADV_DOFORK:
		vma->vm_flags &= ~VM_DONTCOPY;
		return 0;
	case MADV_WIPEONFORK:
		if (!anon_private)
			return -EINVAL;
		vma->vm_flags |= VM_WIPEONFORK;
		return 0;
	case MADV_KEEPONFORK:
		vma->vm_flags &= ~VM_WIPEONFORK;
		return 0;
	default:
		return 0;
	}
}

/*
 * MADV_POPULATE_*: fault every page in, stopping at a hole (-ENOMEM), at
 * memory the access may not make (-EINVAL: PROT_NONE, or a write to a
 * read-only mapping), or at a page that cannot be had (-EFAULT, past the
 * end of a file), as Linux's madvise_populate().
 */
static int madvise_populate(struct mm_struct *mm, unsigned long start, unsigned long end, bool write)
{
	for (unsigned long a = start; a < end;) {
		struct vm_area_struct *vma = find_vma(mm, a);
		if (!vma || vma->vm_start > a)
			return -ENOMEM;
		unsigned long need = write ? VM_WRITE : (VM_READ | VM_WRITE | VM_EXEC);
		if (!(vma->vm_flags & need))
			return -EINVAL;
		unsigned long stop = min(end, vma->vm_end);
		int err = populate_range(mm, a, stop, write);
		if (err)
			return err == -EINTR || err == -EFAULT ? err : -ENOMEM;
		a = stop;
	}
	return 0;
}

static int madvise_walk(struct mm_struct *mm, unsigned long start, unsigned long end, int advice)
{
	struct vm_area_struct *vma;
	unsigned long a = start;	/* advised up to here */
	int err = 0;

	if (madvise_need_mmap_write(advice) && (err = split_range(mm, start, end)))
		return err;
	for (vma = find_vma(mm, start); vma && vma->vm_start < end; vma = vma_next(mm, vma)) {
		if (vma->vm_start > a)
			err = -ENOMEM;	/* a hole: the rest is still advised (as Linux) */
		a = vma->vm_end;
		int ret = madvise_vma(vma, max(start, vma->vm_start), min(end, vma->vm_end), advice);
		if (ret)
			return ret;
	}
	if (madvise_need_mmap_write(advice))
		vma_merge_range(mm, start, end);	/* flags back as the neighbours' (MADV_DOFORK...): one VMA again */
	return a < end ? -ENOMEM : err;
}

SYSCALL_DEFINE3(madvise, unsigned long, start, unsigned long, len, int, advice)
{
	struct mm_struct *mm = current->mm;
	unsigned long end;
	int err;

	if (!madvise_behavior_valid(advice) || (start & ~PAGE_MASK))
		return -EINVAL;
	end = start + PAGE_ALIGN(len);
	if (end < start || (len && !PAGE_ALIGN(len)))
		return -EINVAL;
	if (end == start)
		return 0;
	if (advice == MADV_POPULATE_READ || advice == MADV_POPULATE_WRITE) {
		mmap_read_lock(mm);
		err = madvise_populate(mm, start, end, advice == MADV_POPULATE_WRITE);
		mmap_read_unlock(mm);
		return err;
	}
	if (madvise_need_mmap_write(advice)) {
		if (mmap_write_lock_killable(mm))
			return -EINTR;
		err = madvise_walk(mm, start, end, advice);
		mmap_write_unlock(mm);
	} else {
		mmap_read_lock(mm);
		err = madvise_walk(mm, start, end, advice);
		mmap_read_unlock(mm);
	}
	return err;
}
