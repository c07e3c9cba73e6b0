/*
 * Which pages of a range are in memory (Linux: mm/mincore.c). mincore()
 * writes one byte per page, 1 if resident: an anonymous page once touched;
 * a page of a file mapping if the file has it, as Linux's page cache of a
 * memory file system has every page the file has, and not its holes
 * (Folio copies file pages in at fault, but the file's own pages are there
 * all along; a file that cannot tell has every page up to its end).
 * Folio never swaps, so nothing touched is ever out.
 *
 * Locking: mmap_lock for reading while the PTEs are looked at (and the
 * file's i_rwsem inside it, by ->find_page()), dropped around the copy to
 * user space (which may fault), a batch at a time.
 */
#include <kernel/kernel.h>
#include <kernel/sched.h>
#include <kernel/syscalls.h>
#include <kernel/uaccess.h>
#include <uapi/errno.h>
#include <mm/mm.h>
#include <mm/mmap_lock.h>
#include <fs/fs.h>
#include "internal.h"

#define MINCORE_BATCH 64	/* pages looked at per hold of mmap_lock */

static unsigned char mincore_page(struct vm_area_struct *vma, unsigned long addr, pte_t *pte)
{
	if (pte && pte_has_page(*pte))
		return 1;
	if (!vma->vm_file)
		return 0;
	struct file *file = vma->vm_file;
	u64 index = vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT);
	if (file->f_op->find_page) {
		struct page *page = file->f_op->find_page(file, index);
		if (page)
			put_page(page);
		return page != NULL;
	}
	return index < DIV_ROUND_UP(READ_ONCE(file->f_inode->i_size), PAGE_SIZE);
}

/* Fill vec for up to pages pages from addr, inside the one VMA that holds addr; the count, or -ENOMEM. */
static long do_mincore(struct mm_struct *mm, unsigned long addr, unsigned long pages, unsigned char *vec)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	if (!vma || vma->vm_start > addr)
		return -ENOMEM;
	unsigned long end = min(vma->vm_end, addr + (pages << PAGE_SHIFT));
	for (unsigned long a = addr; a < end; a += PAGE_SIZE) {
		struct pt_walk w = { .pgd = mm->pgd, .mm = mm };
		vec[(a - addr) >> PAGE_SHIFT] = mincore_page(vma, a, pt_walk(&w, a, PG_LEVEL_4K));
	}
	return (end - addr) >> PAGE_SHIFT;
}

SYSCALL_DEFINE3(mincore, unsigned long, start, unsigned long, len, unsigned char __user *, vec)
{
	struct mm_struct *mm = current->mm;
	unsigned char tmp[MINCORE_BATCH];

	if (start & ~PAGE_MASK)
		return -EINVAL;
	if (!access_ok((const void __user *)start, len))
		return -ENOMEM;
	unsigned long pages = (len >> PAGE_SHIFT) + ((len & ~PAGE_MASK) != 0);
	if (!access_ok(vec, pages))
		return -EFAULT;
	while (pages) {
		mmap_read_lock(mm);
		long n = do_mincore(mm, start, min(pages, (unsigned long)MINCORE_BATCH), tmp);
		mmap_read_unlock(mm);
		if (n < 0)
			return n;
		if (copy_to_user(vec, tmp, n))
			return -EFAULT;
		pages -= n;
		vec += n;
		start += n << PAGE_SHIFT;
	}
	return 0;
}
