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
 * (mm/mprotect.c, which walks the PTEs with next_user_pte() from here).
 *
 * Locking: callers hold mmap_lock (read for faults and MADV_DONTNEED,
 * write for munmap and fork's copy; exit_mmap holds nothing, the mm being
 * unreachable then). mm->page_table_lock serialises installing and
 * clearing PTEs, so two faults on one address under the read lock install
 * one page, not two.
 */
#include <kernel/kernel.h>
#include <kernel/sched.h>
#include <kernel/uaccess.h>
#include <lib/string.h>
#include <uapi/errno.h>
#include <mm/mm.h>
#include <mm/vmstat.h>
#include <fs/fs.h>
#include <arch/pgtable.h>
#include <arch/processor.h>
#include "internal.h"


/* The 4K PTE for a user address, allocating tables (counted in pgtables_bytes) if alloc. */
static pte_t *user_pte(struct mm_struct *mm, unsigned long addr, bool alloc)
{
	pte_t *table = mm->pgd;
	static const unsigned int shifts[] = { PGDIR_SHIFT, PUD_SHIFT, PMD_SHIFT };

	for (int level = 0; level < 3; level++) {
		pte_t *e = &table[(addr >> shifts[level]) & 511];
		if (!pte_present(*e)) {
			if (!alloc)
				return NULL;
			pte_t *t = (pte_t *)get_zeroed_page(GFP_KERNEL);
			if (!t)
				return NULL;
			spin_lock(&mm->page_table_lock);
			if (pte_present(*e)) {	/* another fault installed it meanwhile */
				free_page((unsigned long)t);
			} else {
				e->pte = __pa(t) | _PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED;
				__atomic_add_fetch(&mm->pgtables_bytes, PAGE_SIZE, __ATOMIC_RELAXED);
				mod_node_page_state(NR_PAGETABLE, 1);
			}
			spin_unlock(&mm->page_table_lock);
		}
		table = (pte_t *)__va(pte_phys(*e));
	}
	return &table[pte_index(addr)];
}

/*
 * The next PTE slot at or after *addr below end whose page table exists (*addr
 * moves to it), or NULL once past end: where a table is missing, nothing is
 * mapped, so the walk skips to the next 2 MiB.
 */
pte_t *next_user_pte(struct mm_struct *mm, unsigned long *addr, unsigned long end)
{
	for (; *addr < end; *addr = ALIGN_DOWN(*addr, PMD_SIZE) + PMD_SIZE) {
		pte_t *pte = user_pte(mm, *addr, false);
		if (pte)
			return pte;
	}
	return NULL;
}

void flush_user_page(struct mm_struct *mm, unsigned long addr)
{
	if (current->active_mm == mm || (read_cr3() & PTE_PFN_MASK) == __pa(mm->pgd))
		flush_tlb_one_kernel(addr);
}

/* A new page for vma at addr: zeroed, or read from the file. NULL when out of memory. */
static struct page *new_user_page(struct vm_area_struct *vma, unsigned long addr)
{
	struct page *page = alloc_page(GFP_KERNEL | __GFP_NOWARN | (vma->vm_file ? 0 : __GFP_ZERO));

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
	struct page *new = alloc_page(GFP_KERNEL | __GFP_NOWARN);
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
	pte_t *pte = user_pte(mm, addr, true);
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
	pte_t *pte;

	update_hiwater_rss(mm);
	for (unsigned long addr = start & PAGE_MASK; (pte = next_user_pte(mm, &addr, end)); addr += PAGE_SIZE) {
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

	pte_t *spte;

	for (unsigned long addr = vma->vm_start; (spte = next_user_pte(src, &addr, vma->vm_end)); addr += PAGE_SIZE) {
		if (!pte_has_page(*spte))
			continue;
		pte_t *dpte = user_pte(dst, addr, true);
		if (!dpte)
			return -ENOMEM;
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

/* Free every page table of the user half; the PTEs are already clear (zap_page_range). */
static void free_table(struct mm_struct *mm, pte_t *table, int level)
{
	if (level > 1) {
		for (int i = 0; i < PTRS_PER_TABLE; i++)
			if (pte_present(table[i]))
				free_table(mm, (pte_t *)__va(pte_phys(table[i])), level - 1);
	}
	free_page((unsigned long)table);
	__atomic_sub_fetch(&mm->pgtables_bytes, PAGE_SIZE, __ATOMIC_RELAXED);
	mod_node_page_state(NR_PAGETABLE, -1);
}

void free_pgtables(struct mm_struct *mm)
{
	for (int i = 0; i < PTRS_PER_TABLE / 2; i++) {
		if (pte_present(mm->pgd[i])) {
			free_table(mm, (pte_t *)__va(pte_phys(mm->pgd[i])), 3);
			mm->pgd[i].pte = 0;
		}
	}
	if (current->active_mm == mm || (read_cr3() & PTE_PFN_MASK) == __pa(mm->pgd))
		flush_tlb_all();
}

/*
 * A user page fault that could not get memory ends here, after the fault
 * has unwound and dropped mmap_lock. The OOM killer issue hooks in here;
 * until then the faulting task is killed.
 */
void pagefault_out_of_memory(void)
{
	pr_err("Out of memory: no page for %s[%d]'s fault, killing it\n", current->comm, current->pid);
	send_sig(SIGKILL, current, 1);
}

/* The physical address behind a user address, or -1 if no page is there (futex keys). */
phys_addr_t user_virt_to_phys(struct mm_struct *mm, unsigned long addr)
{
	pte_t *pte = user_pte(mm, addr, false);

	if (!pte || !pte_present(*pte))
		return (phys_addr_t)-1;
	return pte_phys(*pte) + (addr & ~PAGE_MASK);
}
