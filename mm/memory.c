/*
 * Page faults, copy-on-write and unmapping of user pages (Linux: mm/memory.c).
 *
 * Every user page is a struct page with a reference per mapping PTE (plus
 * any other holder) and a _mapcount. A private page shared after fork is
 * mapped read-only in both; the first write faults and either takes the page
 * over (it is the only reference left) or copies it. A file-backed private
 * mapping gets its pages by reading the file at fault time: each is a
 * private copy (Folio has no page cache to share). For the rss counters
 * such a page is a file page until written (it is then mapped read-only
 * first, so the write faults), an anonymous page after, as on Linux; each
 * page says which it is (PG_anon, PG_swapbacked for shared anonymous).
 *
 * PROT_NONE: x86 cannot make a present page unreadable, so such PTEs are
 * kept not-present with _PAGE_PROTNONE set and the frame still in them, as
 * Linux does; the page stays allocated and comes back with mprotect()
 * (mm/mprotect.c).
 *
 * Locking: callers hold mmap_lock (read for faults and MADV_DONTNEED,
 * write for munmap and fork's copy; exit_mmap holds nothing, the mm being
 * unreachable then). mm->page_table_lock serialises installing and
 * clearing PTEs, so two faults on one address under the read lock install
 * one page, not two, and installing page tables (pt_walk(), which explains
 * why walking down to the PTE needs no lock).
 */
#include <kernel/kernel.h>
#include <kernel/sched.h>
#include <kernel/uaccess.h>
#include <lib/string.h>
#include <uapi/errno.h>
#include <mm/mm.h>
#include <mm/vmstat.h>
#include <mm/mmap_lock.h>
#include <fs/fs.h>
#include <arch/pgtable.h>
#include <arch/processor.h>
#include "internal.h"

/* The 4K PTE slot for a user address, installing missing tables (see pt_walk()); NULL when out of memory. */
static pte_t *user_pte_alloc(struct mm_struct *mm, unsigned long addr)
{
	struct pt_walk w = { .pgd = mm->pgd, .mm = mm, .flags = PTW_ALLOC };

	return pt_walk(&w, addr, PG_LEVEL_4K);
}

void flush_user_page(struct mm_struct *mm, unsigned long addr)
{
	if (current->active_mm == mm || (read_cr3() & PTE_PFN_MASK) == __pa(mm->pgd))
		flush_tlb_one_kernel(addr);
}

/* A new page for vma at addr: zeroed, or read from the file. NULL when out of memory. */
static struct page *new_user_page(struct vm_area_struct *vma, unsigned long addr)
{
	/* Linux's: a folio (__GFP_COMP) of movable user memory, zeroed unless the file fills it. */
	struct page *page = alloc_page(GFP_HIGHUSER_MOVABLE | __GFP_COMP | (vma->vm_file ? 0 : __GFP_ZERO));

	if (!page || !vma->vm_file)
		return page;
	loff_t pos = (loff_t)(vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT)) << PAGE_SHIFT;
	ssize_t n = kernel_read(vma->vm_file, page_address(page), PAGE_SIZE, &pos);
	if (n < 0)
		n = 0;		/* beyond the end of the file reads as zero; errors likewise */
	memset((char *)page_address(page) + n, 0, PAGE_SIZE - n);
	return page;
}

/* What the rss counters will count a new page of vma as: file, anonymous, or shared anonymous. */
static void page_set_kind(struct vm_area_struct *vma, struct page *page, bool write)
{
	if (!vma->vm_file && (vma->vm_flags & VM_SHARED)) {
		SetPageFlag(page, PG_swapbacked);
		mod_node_page_state(NR_SHMEM, 1);
		mod_node_page_state(NR_FILE_PAGES, 1);
	} else if (!vma->vm_file || write) {	/* a file page copied for writing: Linux's do_cow_fault() */
		SetPageFlag(page, PG_anon);
		mod_node_page_state(NR_ANON_MAPPED, 1);
	}
}

static void set_user_pte(struct vm_area_struct *vma, pte_t *pte, struct page *page, bool writable)
{
	pgprot_t prot = vma->vm_page_prot & ~_PAGE_RW;

	if (writable)
		prot |= _PAGE_RW | _PAGE_DIRTY;
	pte->pte = page_to_phys(page) | prot;
}

/* A write to a present read-only page of a writable VMA: copy-on-write, or take it over. */
static unsigned int do_wp_page(struct vm_area_struct *vma, unsigned long addr, pte_t *pte)
{
	struct mm_struct *mm = vma->vm_mm;
	struct page *old = pfn_to_page(PFN_DOWN(pte_phys(*pte)));

	lockdep_assert_held(&mm->page_table_lock);
	/* Shared memory is written in place; a private page that is ours alone needs no copy either. */
	if ((vma->vm_flags & VM_SHARED) || (page_count(old) == 1 && page_mapcount(old) == 1)) {
		if (!(vma->vm_flags & VM_SHARED) && !PageFlag(old, PG_anon)) {	/* a file page, written: anon now */
			add_mm_counter(mm, mm_counter(old), -1);
			SetPageFlag(old, PG_anon);
			mod_node_page_state(NR_ANON_MAPPED, 1);
			add_mm_counter(mm, MM_ANONPAGES, 1);
		}
		set_user_pte(vma, pte, old, true);
		flush_user_page(mm, addr);
		return 0;
	}
	spin_unlock(&mm->page_table_lock);
	struct page *new = alloc_page(GFP_HIGHUSER_MOVABLE | __GFP_COMP);
	spin_lock(&mm->page_table_lock);
	if (!new)
		return VM_FAULT_OOM;
	if (pte_phys(*pte) != page_to_phys(old) || !pte_present(*pte)) {	/* changed meanwhile */
		put_page(new);
		return 0;
	}
	memcpy(page_address(new), page_address(old), PAGE_SIZE);
	SetPageFlag(new, PG_anon);
	mod_node_page_state(NR_ANON_MAPPED, 1);
	add_mm_counter(mm, mm_counter(old), -1);
	add_mm_counter(mm, MM_ANONPAGES, 1);
	__atomic_add_fetch(&new->_mapcount, 1, __ATOMIC_RELAXED);
	set_user_pte(vma, pte, new, true);
	flush_user_page(mm, addr);
	__atomic_sub_fetch(&old->_mapcount, 1, __ATOMIC_RELAXED);
	put_page(old);
	return 0;
}

unsigned int handle_mm_fault(struct vm_area_struct *vma, unsigned long addr, unsigned int flags,
			     struct pt_regs *regs)
{
	struct mm_struct *mm = vma->vm_mm;
	bool write = flags & FAULT_FLAG_WRITE;
	unsigned int ret = 0;

	(void)regs;
	count_vm_event(PGFAULT);
	addr &= PAGE_MASK;
	pte_t *pte = user_pte_alloc(mm, addr);
	if (!pte)
		return VM_FAULT_OOM;

	spin_lock(&mm->page_table_lock);
	if (pte_has_page(*pte)) {
		if (!pte_present(*pte) && !(vma->vm_page_prot & _PAGE_PRESENT)) {
			spin_unlock(&mm->page_table_lock);
			return VM_FAULT_SIGSEGV;	/* still PROT_NONE: the caller checked, but be sure */
		}
		if (!pte_present(*pte)) {	/* PROT_NONE page, but the VMA allows this access now */
			pte->pte = pte_phys(*pte) | (vma->vm_page_prot & ~_PAGE_RW);
			flush_user_page(mm, addr);
		}
		if (write && !(pte->pte & _PAGE_RW))
			ret = do_wp_page(vma, addr, pte);
		else
			flush_user_page(mm, addr);	/* a stale TLB entry: nothing else to do */
		spin_unlock(&mm->page_table_lock);
		return ret;
	}
	spin_unlock(&mm->page_table_lock);

	struct page *page = new_user_page(vma, addr);	/* may sleep (reading a file) */
	if (!page)
		return VM_FAULT_OOM;
	spin_lock(&mm->page_table_lock);
	if (pte_has_page(*pte)) {	/* another thread's fault won */
		spin_unlock(&mm->page_table_lock);
		put_page(page);
		return 0;
	}
	__atomic_add_fetch(&page->_mapcount, 1, __ATOMIC_RELAXED);
	/*
	 * A fresh private page belongs to this mapping alone: writable at once
	 * if the VMA is, except a file page read (not written): its first
	 * write must fault to make it anonymous.
	 */
	page_set_kind(vma, page, write);
	set_user_pte(vma, pte, page, (vma->vm_flags & VM_WRITE) && (!vma->vm_file || write));
	add_mm_counter(mm, mm_counter(page), 1);
	spin_unlock(&mm->page_table_lock);
	return 0;
}

int fault_in_user(struct mm_struct *mm, unsigned long addr, bool write)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	if (!vma || vma->vm_start > addr)
		return -EFAULT;
	if (!(vma->vm_flags & (VM_READ | VM_WRITE | VM_EXEC)))
		return 0;	/* PROT_NONE: nothing to populate, as Linux */
	return handle_mm_fault(vma, addr, write ? FAULT_FLAG_WRITE : 0, NULL) & VM_FAULT_ERROR ? -ENOMEM : 0;
}

void zap_page_range(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	struct mm_struct *mm = vma->vm_mm;
	struct pt_iter it = user_pt_iter(mm, PG_LEVEL_4K, start & PAGE_MASK, end);

	mmap_assert_locked(mm);
	update_hiwater_rss(mm);
	while (pt_iter_next(&it)) {
		pte_t *pte = it.entry;
		unsigned long addr = it.addr;
		spin_lock(&mm->page_table_lock);
		pte_t e = *pte;
		if (pte_has_page(e))
			pte->pte = 0;
		spin_unlock(&mm->page_table_lock);
		if (!pte_has_page(e))
			continue;
		flush_user_page(mm, addr);
		struct page *page = pfn_to_page(PFN_DOWN(pte_phys(e)));
		__atomic_sub_fetch(&page->_mapcount, 1, __ATOMIC_RELAXED);
		add_mm_counter(mm, mm_counter(page), -1);
		put_page(page);
	}
}

int copy_page_range(struct mm_struct *dst, struct mm_struct *src, struct vm_area_struct *vma)
{
	bool shared = vma->vm_flags & VM_SHARED;
	struct pt_iter it = user_pt_iter(src, PG_LEVEL_4K, vma->vm_start, vma->vm_end);
	pte_t *dpte = NULL;
	unsigned long dlast = 0;	/* the address dpte is for */

	mmap_assert_write_locked(src);
	mmap_assert_write_locked(dst);
	while (pt_iter_next(&it)) {
		pte_t *spte = it.entry;
		unsigned long addr = it.addr;
		if (!pte_has_page(*spte))
			continue;
		/* In the same PTE table as the last one, dst's PTE is found without a walk. */
		if (dpte && (addr ^ dlast) < PMD_SIZE)
			dpte += (addr - dlast) >> PAGE_SHIFT;
		else if (!(dpte = user_pte_alloc(dst, addr)))
			return -ENOMEM;
		dlast = addr;
		spin_lock(&src->page_table_lock);
		if (!shared && (spte->pte & _PAGE_RW)) {	/* both sides copy on the next write */
			spte->pte &= ~_PAGE_RW;
			flush_user_page(src, addr);
		}
		pte_t e = *spte;
		spin_unlock(&src->page_table_lock);
		struct page *page = pfn_to_page(PFN_DOWN(pte_phys(e)));
		get_page(page);
		__atomic_add_fetch(&page->_mapcount, 1, __ATOMIC_RELAXED);
		dpte->pte = e.pte;
		add_mm_counter(dst, mm_counter(page), 1);
	}
	return 0;
}

/*
 * Free the tables that the level-l entries of [start, end) point to, and
 * every table below them: bottom up, each table read once, as the iterator
 * goes along it. The PTEs are already clear (zap_page_range).
 */
static void free_pt_range(struct mm_struct *mm, enum pg_level l, unsigned long start, unsigned long end)
{
	struct pt_iter it = user_pt_iter(mm, l, start, end);

	while (pt_iter_next(&it)) {
		pte_t e = *it.entry;
		if (!pte_present(e))
			continue;
		if (l > PG_LEVEL_2M)
			free_pt_range(mm, l - 1, it.addr, it.addr + pg_level_size(l));
		it.entry->pte = 0;
		free_page((unsigned long)pt_table(e));
		mm_dec_pgtables(mm);
	}
}

/* Free every page table of the user half; nothing else can reach the mm (exit_mmap). */
void free_pgtables(struct mm_struct *mm)
{
	free_pt_range(mm, PG_LEVEL_512G, 0, TASK_SIZE_MAX);
	if (current->active_mm == mm || (read_cr3() & PTE_PFN_MASK) == __pa(mm->pgd))
		flush_tlb_all();
}

