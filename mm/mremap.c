/*
 * Resizing and moving a mapping (Linux: mm/mremap.c). mremap() shrinks a
 * range by unmapping its tail, grows it in place when the addresses after
 * its VMA are free, and otherwise, with MREMAP_MAYMOVE, makes a new VMA
 * elsewhere (or at MREMAP_FIXED's address) and moves the page table
 * entries across, so the pages keep their contents without a copy.
 * MREMAP_DONTUNMAP leaves the old VMA in place, empty; shared anonymous
 * memory stays mapped there too, as Linux's old range refaults the same
 * pages from its shmem object (Folio has none). The range must lie
 * in one VMA. old_len 0 duplicates a shared file mapping (dup_shared_vma()),
 * as Linux does; shared anonymous memory cannot be (Linux can): Folio has
 * no shmem object to map a second time (-EINVAL, as Linux answers for a
 * private mapping).
 *
 * Growth counts against RLIMIT_AS/RLIMIT_DATA and, for private writable
 * memory, in Committed_AS; a moved VMA takes its old charge along.
 *
 * Locking: mmap_lock for writing around the whole call; the PTEs move
 * under page_table_lock (move_page_tables()).
 */
#include <kernel/kernel.h>
#include <kernel/sched.h>
#include <kernel/syscalls.h>
#include <kernel/uaccess.h>
#include <uapi/errno.h>
#include <uapi/mman.h>
#include <mm/mm.h>
#include <mm/mmap_lock.h>
#include "internal.h"

/*
 * The VMA holding [addr, addr + old_len), and the growth to new_len
 * promised (*charged pages of Committed_AS), as Linux's vma_to_resize().
 */
static long vma_to_resize(struct mm_struct *mm, unsigned long addr, unsigned long old_len,
			  unsigned long new_len, struct vm_area_struct **vmap, long *charged)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	*charged = 0;
	if (!vma || vma->vm_start > addr)
		return -EFAULT;
	if (!old_len && !vma_is_shared_file(vma))
		return -EINVAL;	/* nothing to duplicate but a shared file mapping (see dup_shared_vma()) */
	if (old_len > vma->vm_end - addr)
		return -EFAULT;	/* the range may not cross into another VMA */
	*vmap = vma;
	if (new_len <= old_len)
		return 0;
	long pages = (new_len - old_len) >> PAGE_SHIFT;
	if (!may_expand_vm(mm, vma->vm_flags, pages))
		return -ENOMEM;
	if ((vma->vm_flags & VM_ACCOUNT) && __vm_enough_memory(mm, pages))
		return -ENOMEM;
	*charged = (vma->vm_flags & VM_ACCOUNT) ? pages : 0;
	return 0;
}

/* A VMA like vma for [start, start + len), from file page pgoff, linked into mm; NULL without memory. */
static struct vm_area_struct *vma_link_copy(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long start,
					    unsigned long len, unsigned long pgoff)
{
	struct vm_area_struct *new = vma_alloc(mm, start, start + len, vma->vm_flags, vma->vm_file, pgoff);

	if (new) {
		new->vm_page_prot = vma->vm_page_prot;
		vma_link(mm, new);
	}
	return new;
}

/*
 * old_len 0 of a shared file mapping: a second VMA [new_addr, new_addr +
 * new_len) mapping the file from addr's page on, the first left as it is
 * (Linux's duplicate); its pages come from the file at each fault.
 */
static unsigned long dup_shared_vma(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long addr,
				    unsigned long new_addr, unsigned long new_len)
{
	struct vm_area_struct *new = vma_link_copy(mm, vma, new_addr, new_len,
						   vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT));

	if (!new)
		return -ENOMEM;
	if (new->vm_flags & VM_LOCKED)
		populate_range(mm, new_addr, new_addr + new_len, false);
	return new_addr;
}

/* Move [addr, addr + old_len) of vma to a new VMA [new_addr, new_addr + new_len). */
static unsigned long move_vma(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long addr,
			      unsigned long old_len, unsigned long new_addr, unsigned long new_len,
			      unsigned long flags)
{
	if (!old_len)
		return dup_shared_vma(mm, vma, addr, new_addr, new_len);
	int err = split_range(mm, addr, addr + old_len);

	if (err)
		return err;
	vma = find_vma(mm, addr);	/* exactly the old range now */
	struct vm_area_struct *new = vma_link_copy(mm, vma, new_addr, new_len, vma->vm_pgoff);
	if (!new)
		return -ENOMEM;
	bool share = (flags & MREMAP_DONTUNMAP) && vma_is_shared_anon(vma);
	if ((err = move_page_tables(mm, addr, new_addr, old_len, share))) {
		new->vm_flags &= ~VM_ACCOUNT;	/* the charge is the old VMA's still */
		do_munmap(mm, new_addr, new_len);
		return err;
	}
	if (!(flags & MREMAP_DONTUNMAP)) {
		vma->vm_flags &= ~VM_ACCOUNT;	/* the new VMA carries its charge on */
		do_munmap(mm, addr, old_len);
	}
	if ((new->vm_flags & VM_LOCKED) && new_len > old_len)
		populate_range(mm, new_addr + old_len, new_addr + new_len, false);
	if (vma_is_private_anon(new))
		vma_try_merge(mm, new);	/* new may be freed here: not used after */
	return new_addr;
}

/* Grow vma, which ends at addr + old_len, in place; false if the addresses after it are taken. */
static bool vma_expand_in_place(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long addr,
				unsigned long old_len, unsigned long new_len)
{
	unsigned long end = addr + new_len;
	struct vm_area_struct *next = vma_next(mm, vma);

	if (vma->vm_end != addr + old_len || end > TASK_SIZE_MAX || end < addr || (next && next->vm_start < end))
		return false;
	unsigned long pages = (new_len - old_len) >> PAGE_SHIFT;
	vma->vm_end = end;
	vm_stat_account(mm, vma->vm_flags, pages);
	if (vma->vm_flags & VM_LOCKED) {
		mm->locked_vm += pages;
		populate_range(mm, addr + old_len, end, false);
	}
	return true;
}

/* MREMAP_FIXED or MREMAP_DONTUNMAP: the range goes to new_addr (a hint for DONTUNMAP alone). */
static unsigned long mremap_to(struct mm_struct *mm, unsigned long addr, unsigned long old_len,
			       unsigned long new_addr, unsigned long new_len, unsigned long flags)
{
	struct vm_area_struct *vma;
	long charged, err;

	if ((new_addr & ~PAGE_MASK) || new_len > TASK_SIZE_MAX || new_addr > TASK_SIZE_MAX - new_len)
		return -EINVAL;
	if (addr + old_len > new_addr && new_addr + new_len > addr)
		return -EINVAL;	/* the old and new ranges overlap */
	if ((flags & MREMAP_FIXED) && (err = do_munmap(mm, new_addr, new_len)))
		return err;
	if (old_len > new_len) {
		if ((err = do_munmap(mm, addr + new_len, old_len - new_len)))
			return err;
		old_len = new_len;
	}
	if ((err = vma_to_resize(mm, addr, old_len, new_len, &vma, &charged)))
		return err;
	/* MREMAP_DONTUNMAP adds a mapping: RLIMIT_AS counts it, Committed_AS if it is private and writable. */
	if ((flags & MREMAP_DONTUNMAP) && !may_expand_vm(mm, vma->vm_flags, old_len >> PAGE_SHIFT))
		return -ENOMEM;
	if ((flags & MREMAP_DONTUNMAP) && (vma->vm_flags & VM_ACCOUNT)) {
		if (__vm_enough_memory(mm, new_len >> PAGE_SHIFT))
			return -ENOMEM;
		charged += new_len >> PAGE_SHIFT;
	}
	unsigned long to = mmap_pick_addr(mm, new_addr, new_len, (flags & MREMAP_FIXED) ? MAP_FIXED : 0);
	unsigned long ret = IS_ERR_VALUE(to) ? to : move_vma(mm, vma, addr, old_len, to, new_len, flags);
	if (IS_ERR_VALUE(ret))
		vm_unacct_memory(charged);
	return ret;
}

static unsigned long do_mremap(struct mm_struct *mm, unsigned long addr, unsigned long old_len,
			       unsigned long new_len, unsigned long flags, unsigned long new_addr)
{
	struct vm_area_struct *vma;
	long charged, err;

	vma = find_vma(mm, addr);
	if (!vma || vma->vm_start > addr)
		return -EFAULT;	/* Linux looks first, even for a shrink */
	if (flags & (MREMAP_FIXED | MREMAP_DONTUNMAP))
		return mremap_to(mm, addr, old_len, new_addr, new_len, flags);
	if (old_len >= new_len) {
		err = old_len > new_len ? do_munmap(mm, addr + new_len, old_len - new_len) : 0;
		return err ? (unsigned long)err : addr;
	}
	if ((err = vma_to_resize(mm, addr, old_len, new_len, &vma, &charged)))
		return err;
	if (vma_expand_in_place(mm, vma, addr, old_len, new_len))
		return addr;
	unsigned long to = (flags & MREMAP_MAYMOVE) ? mmap_pick_addr(mm, 0, new_len, 0) : (unsigned long)-ENOMEM;
	unsigned long ret = IS_ERR_VALUE(to) ? to : move_vma(mm, vma, addr, old_len, to, new_len, flags);
	if (IS_ERR_VALUE(ret))
		vm_unacct_memory(charged);
	return ret;
}

SYSCALL_DEFINE5(mremap, unsigned long, addr, unsigned long, old_len, unsigned long, new_len, unsigned long, flags,
		unsigned long, new_addr)
{
	struct mm_struct *mm = current->mm;
	unsigned long ret;

	if (flags & ~(MREMAP_FIXED | MREMAP_MAYMOVE | MREMAP_DONTUNMAP))
		return -EINVAL;
	if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE))
		return -EINVAL;
	if ((flags & MREMAP_DONTUNMAP) && (!(flags & MREMAP_MAYMOVE) || old_len != new_len))
		return -EINVAL;
	if (addr & ~PAGE_MASK)
		return -EINVAL;
	old_len = PAGE_ALIGN(old_len);
	new_len = PAGE_ALIGN(new_len);
	if (!new_len)
		return -EINVAL;
	if (mmap_write_lock_killable(mm))
		return -EINTR;
	ret = do_mremap(mm, addr, old_len, new_len, flags, new_addr);
	mmap_write_unlock(mm);
	return ret;
}
