/*
 * Reaching into another process's memory (Linux: mm/gup.c's
 * get_user_pages_remote() and mm/memory.c's access_remote_vm()), for
 * /proc/PID/cmdline and environ: find the page behind an address of any
 * mm, faulting it in as a read would, and copy from it through the kernel's
 * direct map.
 *
 * Locking: mmap_lock of the target mm, for reading and killably (a reader
 * stuck behind a writer of that mm can be killed), around the VMA lookup
 * and the fault; the page is looked up and pinned (get_page()) under
 * page_table_lock, so a concurrent MADV_DONTNEED cannot free it between
 * the two. The copy happens with only the page reference held.
 */
#include <kernel/kernel.h>
#include <lib/string.h>
#include <mm/mm.h>
#include <mm/mmap_lock.h>
#include <arch/pgtable.h>
#include <kernel/delay_point.h>

/* The page at addr of mm, referenced, or NULL (nothing readable mapped there). mmap_lock held. */
static struct page *get_user_page_remote(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	if (!vma || vma->vm_start > addr || !(vma->vm_flags & VM_READ))
		return NULL;
	for (int tries = 0; tries < 2; tries++) {
		enum pg_level level;
		spin_lock(&mm->page_table_lock);
		pte_t *pte = lookup_address_in_pgd(mm->pgd, addr, &level);
		struct page *page = pte && level == PG_LEVEL_4K ? pfn_to_page(PFN_DOWN(pte_phys(*pte))) : NULL;
		if (page)
			get_page(page);
		spin_unlock(&mm->page_table_lock);
		if (page)
			return page;
		/* A test holds a reader here, mmap_lock held (the memcg OOM's first deadlock scenario). */
		delay_point("get_user_page_remote_fault");
		if (handle_mm_fault(vma, addr, 0, NULL) & VM_FAULT_ERROR)
			return NULL;
	}
	return NULL;
}

int access_remote_vm(struct mm_struct *mm, unsigned long addr, void *buf, int len, unsigned int gup_flags)
{
	int done = 0;

	(void)gup_flags;
	if (mmap_read_lock_killable(mm))
		return 0;
	while (done < len) {
		unsigned long a = addr + done, off = a & ~PAGE_MASK;
		int n = min((unsigned long)(len - done), PAGE_SIZE - off);
		struct page *page = get_user_page_remote(mm, a);
		if (!page)
			break;
		memcpy((char *)buf + done, (char *)page_address(page) + off, n);
		put_page(page);
		done += n;
	}
	mmap_read_unlock(mm);
	return done;
}
