/*
 * Page faults, copy-on-write and unmapping of user pages (Linux: mm/memory.c).
 *
 * Every user page is a struct page with a reference per mapping PTE (plus
 * any other holder) and a _mapcount. A private page shared after fork is
 * mapped read-only in both; the first write faults and either takes the page
 * over (it is the only reference left) or copies it. A file-backed private
 * mapping gets its pages by reading the file at fault time: each is a
 * private copy (Folio has no page cache to share). A shared file mapping
 * maps the file's own pages instead (its file system's ->fault_page()), so
 * stores through it are the file's data at once; a fault that raced a
 * truncate or a punched hole maps nothing (file_dropped_pages()), and the
 * access faults again. For the rss counters
 * such a page is a file page until written (it is then mapped read-only
 * first, so the write faults), an anonymous page after, as on Linux; each
 * page says which it is (PG_anon, PG_swapbacked for shared anonymous).
 *
 * Every new user page, and every copy made on write, is charged to the
 * memory cgroup of the mm's owner before any lock is taken
 * (alloc_user_page()); a charge the group cannot take ends the fault with
 * VM_FAULT_OOM, like a page the allocator cannot give. The charge goes
 * when the page is freed, wherever that is (mm/page_alloc.c).
 *
 * PROT_NONE: x86 cannot make a present page unreadable, so such PTEs are
 * kept not-present with _PAGE_PROTNONE set and the frame still in them, as
 * Linux does; the page stays allocated and comes back with mprotect()
 * (mm/mprotect.c).
 *
 * Locking: callers hold mmap_lock (read for faults and MADV_DONTNEED,
 * write for munmap and fork's copy; exit_mmap holds nothing, the mm being
 * unreachable then; unmap_mapping_pages(), for a truncate or a hole punched
 * in the file, holds the file's i_mmap_lock instead, inside its i_rwsem). mm->page_table_lock serialises installing and
 * clearing PTEs, so two faults on one address under the read lock install
 * one page, not two, and installing page tables (pt_walk(), which explains
 * why walking down to the PTE needs no lock).
 */
#include <kernel/delay_point.h>
#include <kernel/kernel.h>
#include <kernel/sched.h>
#include <kernel/uaccess.h>
#include <lib/string.h>
#include <uapi/errno.h>
#include <mm/mm.h>
#include <mm/vmstat.h>
#include <mm/memcontrol.h>
#include <mm/mmap_lock.h>
#include <fs/fs.h>
#include <arch/pgtable.h>
#include <arch/processor.h>
#include "internal.h"

void mm_inc_pgtables(struct mm_struct *mm, struct page *table)
{
	__atomic_add_fetch(&mm->pgtables_bytes, PAGE_SIZE, __ATOMIC_RELAXED);
	mod_lruvec_page_state(table, NR_PAGETABLE, 1);
}

void mm_dec_pgtables(struct mm_struct *mm, struct page *table)
{
	__atomic_sub_fetch(&mm->pgtables_bytes, PAGE_SIZE, __ATOMIC_RELAXED);
	mod_lruvec_page_state(table, NR_PAGETABLE, -1);
}

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

/*
 * A new user page for mm, charged to its memory cgroup (before any lock
 * is taken: a charge at the limit goes to the memcg OOM handling); NULL
 * when there is no memory, or none the group may have.
 */
static struct page *alloc_user_page(struct mm_struct *mm, gfp_t gfp)
{
	struct page *page = alloc_page(gfp);	/* the global OOM killer runs inside, if need be */

	/* Charged with GFP_KERNEL, as Linux's faults charge: the memcg OOM report shows that mask. */
	if (page && mem_cgroup_charge(page, mm, GFP_KERNEL)) {
		put_page(page);
		return NULL;
	}
	return page;
}

/*
 * A page of a file mapping that lies wholly past the end of the file has
 * nothing to show: touching it raises SIGBUS, as Linux's filemap_fault()
 * decides. A mapping may reach past the end of its file: mmap allows it, and
 * ftruncate may cut the file after the mmap.
 */
static bool beyond_eof(struct vm_area_struct *vma, unsigned long addr)
{
	u64 index = vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT);
	u64 size = READ_ONCE(vma->vm_file->f_inode->i_size);

	return index >= DIV_ROUND_UP(size, PAGE_SIZE);
}

/* A new page for vma at addr: zeroed, or read from the file. NULL when out of memory. */
static struct page *new_user_page(struct vm_area_struct *vma, unsigned long addr)
{
	/* Linux's: a folio (__GFP_COMP) of movable user memory, zeroed unless the file fills it. */
	struct page *page = alloc_user_page(vma->vm_mm,
					    GFP_HIGHUSER_MOVABLE | __GFP_COMP | (vma->vm_file ? 0 : __GFP_ZERO));

	if (!page || !vma->vm_file)
		return page;
	loff_t pos = (loff_t)(vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT)) << PAGE_SHIFT;
	ssize_t n = kernel_read(vma->vm_file, page_address(page), PAGE_SIZE, &pos);
	if (n < 0)
		n = 0;		/* beyond the end of the file reads as zero; errors likewise */
	memset((char *)page_address(page) + n, 0, PAGE_SIZE - n);
	return page;
}

/*
 * A shared file mapping maps the file's own page (its file system's
 * fault_page()), so that stores through it are the file's data; NULL and
 * *err if there is none (-ENOMEM, or another error: SIGBUS, as Linux's
 * shmem faults give for ENOSPC).
 */
static struct page *shared_file_page(struct vm_area_struct *vma, unsigned long addr, int *err)
{
	return vma->vm_file->f_op->fault_page(vma->vm_file, vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT),
					      err);
}

/*
 * Has vma's file let pages go since gen was read (a truncate, a punched
 * hole)? Then a page it gave before may be its no longer. page_table_lock
 * held: the file bumps i_pages_gen before it unmaps, which takes this lock,
 * so either the bump is seen or the unmap comes after and removes the page.
 */
static bool file_dropped_pages(struct vm_area_struct *vma, unsigned long gen)
{
	return vma_is_shared_file(vma) && READ_ONCE(vma->vm_file->f_inode->i_pages_gen) != gen;
}

/* What the rss counters will count a new page of vma as: file, anonymous, or shared anonymous. */
static void page_set_kind(struct vm_area_struct *vma, struct page *page, bool write)
{
	if (vma_is_shared_file(vma))
		return;		/* the file's page, counted as its file system counts it */
	if (vma_is_shared_anon(vma)) {
		SetPageFlag(page, PG_swapbacked);
		mod_lruvec_page_state(page, NR_SHMEM, 1);
		mod_lruvec_page_state(page, NR_FILE_PAGES, 1);
	} else if (!vma->vm_file || write) {	/* a file page copied for writing: Linux's do_cow_fault() */
		SetPageFlag(page, PG_anon);
		mod_lruvec_page_state(page, NR_ANON_MAPPED, 1);
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
	/* LAB cow */
	/* LAB cow STUB
	set_user_pte(vma, pte, old, true);
	flush_user_page(mm, addr);
	return 0;
	*/
	/* Shared memory is written in place; a private page that is ours alone needs no copy either. */
	if ((vma->vm_flags & VM_SHARED) || (page_count(old) == 1 && page_mapcount(old) == 1)) {
		if (!(vma->vm_flags & VM_SHARED) && !PageFlag(old, PG_anon)) {	/* a file page, written: anon now */
			add_mm_counter(mm, mm_counter(old), -1);
			SetPageFlag(old, PG_anon);
			mod_lruvec_page_state(old, NR_ANON_MAPPED, 1);
			add_mm_counter(mm, MM_ANONPAGES, 1);
		}
		set_user_pte(vma, pte, old, true);
		flush_user_page(mm, addr);
		return 0;
	}
	spin_unlock(&mm->page_table_lock);
	struct page *new = alloc_user_page(mm, GFP_HIGHUSER_MOVABLE | __GFP_COMP);
	delay_point("wp_page_copy_allocated");	/* another fault may change the PTE meanwhile */
	spin_lock(&mm->page_table_lock);
	if (!new)
		return VM_FAULT_OOM;
	if (pte_phys(*pte) != page_to_phys(old) || !pte_present(*pte)) {	/* changed meanwhile */
		put_page(new);
		return 0;
	}
	memcpy(page_address(new), page_address(old), PAGE_SIZE);
	SetPageFlag(new, PG_anon);
	mod_lruvec_page_state(new, NR_ANON_MAPPED, 1);
	add_mm_counter(mm, mm_counter(old), -1);
	add_mm_counter(mm, MM_ANONPAGES, 1);
	__atomic_add_fetch(&new->_mapcount, 1, __ATOMIC_RELAXED);
	set_user_pte(vma, pte, new, true);
	flush_user_page(mm, addr);
	__atomic_sub_fetch(&old->_mapcount, 1, __ATOMIC_RELAXED);
	put_page(old);
	return 0;
	/* END LAB */
}

unsigned int handle_mm_fault(struct vm_area_struct *vma, unsigned long addr, unsigned int flags,
			     struct pt_regs *regs)
{
	struct mm_struct *mm = vma->vm_mm;
	bool write = flags & FAULT_FLAG_WRITE;
	unsigned int ret = 0;

	(void)regs;
	count_vm_event(PGFAULT);
	count_memcg_event_mm(mm, PGFAULT);
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

	if (vma->vm_file && beyond_eof(vma, addr))
		return VM_FAULT_SIGBUS;
	/* LAB cow */
	/* LAB cow STUB
	(void)new_user_page;
	(void)shared_file_page;
	(void)file_dropped_pages;
	(void)page_set_kind;
	return VM_FAULT_SIGSEGV;
	*/
	int err = -ENOMEM;
	/* Acquire: the file's page is looked up after gen is read, never before. */
	unsigned long gen = vma->vm_file ? __atomic_load_n(&vma->vm_file->f_inode->i_pages_gen, __ATOMIC_ACQUIRE) : 0;
	struct page *page = vma_is_shared_file(vma) ? shared_file_page(vma, addr, &err)
									   : new_user_page(vma, addr);	/* may sleep */
	if (!page)
		return err == -ENOMEM ? VM_FAULT_OOM : VM_FAULT_SIGBUS;
	delay_point("fault_page_allocated");	/* another thread's fault may install a page meanwhile */
	spin_lock(&mm->page_table_lock);
	if (pte_has_page(*pte) || file_dropped_pages(vma, gen)) {	/* another fault won; or refault */
		spin_unlock(&mm->page_table_lock);
		put_page(page);
		return 0;
	}
	/*
	 * Checked again under page_table_lock: a truncate that cut the file
	 * since the first check has set i_size before it unmaps, and unmaps
	 * under this lock, so either we see the new size now or it removes
	 * the page we install.
	 */
	if (vma->vm_file && beyond_eof(vma, addr)) {
		spin_unlock(&mm->page_table_lock);
		put_page(page);
		return VM_FAULT_SIGBUS;
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
	/* END LAB */
}

int fault_in_user(struct mm_struct *mm, unsigned long addr, bool write)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	if (!vma || vma->vm_start > addr)
		return -EFAULT;
	if (!(vma->vm_flags & (VM_READ | VM_WRITE | VM_EXEC)))
		return 0;	/* PROT_NONE: nothing to populate, as Linux */
	unsigned int fault = handle_mm_fault(vma, addr, write ? FAULT_FLAG_WRITE : 0, NULL);
	return (fault & VM_FAULT_OOM) ? -ENOMEM : (fault & VM_FAULT_ERROR) ? -EFAULT : 0;
}

/*
 * Unmap and free vma's pages in [start, end), but for keep_cows the
 * private copies written to (PG_anon in a file VMA): a hole punched in the
 * file leaves them, as Linux's do. The caller keeps vma and its page
 * tables from going.
 */
static void __zap_page_range(struct vm_area_struct *vma, unsigned long start, unsigned long end, bool keep_cows)
{
	struct mm_struct *mm = vma->vm_mm;
	struct pt_iter it = user_pt_iter(mm, PG_LEVEL_4K, start & PAGE_MASK, end);

	update_hiwater_rss(mm);
	while (pt_iter_next(&it)) {
		pte_t *pte = it.entry;
		struct page *page = NULL;
		spin_lock(&mm->page_table_lock);
		pte_t e = *pte;
		if (pte_has_page(e))
			page = pfn_to_page(PFN_DOWN(pte_phys(e)));
		if (page && keep_cows && PageFlag(page, PG_anon))
			page = NULL;
		if (page)
			pte->pte = 0;
		spin_unlock(&mm->page_table_lock);
		if (!page)
			continue;
		flush_user_page(mm, it.addr);
		__atomic_sub_fetch(&page->_mapcount, 1, __ATOMIC_RELAXED);
		add_mm_counter(mm, mm_counter(page), -1);
		put_page(page);
	}
}

/*
 * Fault in every page of [start, end) (mlock, MAP_LOCKED, MAP_POPULATE).
 * A task killed meanwhile stops at once (-EINTR), as Linux's populate loop
 * checks for a fatal signal at each page: the task is going anyway, and on a
 * large range the loop would go on for long, taking memory that only its
 * exit gives back. Otherwise the first failure ends it: -ENOMEM, or -EFAULT
 * for a page that cannot be had (past the end of its file).
 */
int populate_range(struct mm_struct *mm, unsigned long start, unsigned long end, bool write)
{
	for (unsigned long a = start; a < end; a += PAGE_SIZE) {
		struct vm_area_struct *vma = find_vma(mm, a);
		if (vma && vma->vm_start <= a && !(vma->vm_flags & (VM_READ | VM_WRITE | VM_EXEC))) {
			a = vma->vm_end - PAGE_SIZE;	/* PROT_NONE: nothing to bring in, as Linux */
			continue;
		}
		if (fatal_signal_pending(current))
			return -EINTR;
		int err = fault_in_user(mm, a, write);
		if (err)
			return err;
	}
	return 0;
}

/* One PTE of mremap's: to dst, or shared with it (share). page_table_lock held. */
static void move_one_pte(struct mm_struct *mm, pte_t *src, pte_t *dst, bool share)
{
	*dst = *src;
	if (share) {
		struct page *page = pfn_to_page(PFN_DOWN(pte_phys(*src)));
		get_page(page);
		__atomic_add_fetch(&page->_mapcount, 1, __ATOMIC_RELAXED);
		add_mm_counter(mm, mm_counter(page), 1);
	} else {
		src->pte = 0;
	}
}

/*
 * mremap: move the PTEs of [old_addr, old_addr + len) to new_addr, which
 * nothing maps: each page, its references and the rss counters stay as they
 * are, only its address changes. With share, the old range keeps them too,
 * each page gaining a mapping: MREMAP_DONTUNMAP of shared anonymous memory,
 * whose pages only its PTEs hold (Linux refaults them from shmem). The
 * tables the new range needs are made first, so that -ENOMEM leaves
 * everything where it was.
 */
int move_page_tables(struct mm_struct *mm, unsigned long old_addr, unsigned long new_addr, unsigned long len,
		     bool share)
{
	struct pt_iter it = user_pt_iter(mm, PG_LEVEL_4K, old_addr, old_addr + len);

	mmap_assert_write_locked(mm);
	while (pt_iter_next(&it))
		if (pte_has_page(*it.entry) && !user_pte_alloc(mm, new_addr + (it.addr - old_addr)))
			return -ENOMEM;
	it = user_pt_iter(mm, PG_LEVEL_4K, old_addr, old_addr + len);
	while (pt_iter_next(&it)) {
		if (!pte_has_page(*it.entry))
			continue;
		pte_t *dst = user_pte_alloc(mm, new_addr + (it.addr - old_addr));	/* made above */
		spin_lock(&mm->page_table_lock);
		move_one_pte(mm, it.entry, dst, share);
		spin_unlock(&mm->page_table_lock);
		if (!share)
			flush_user_page(mm, it.addr);
	}
	return 0;
}

void zap_page_range(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	mmap_assert_locked(vma->vm_mm);
	__zap_page_range(vma, start, end, false);
}

/*
 * The file's pages [first, first + nr) leave every mapping of inode, so
 * that the next touch faults: SIGBUS past a truncate's new end
 * (beyond_eof()), the file's new page or hole after a punched hole, as
 * Linux's unmap_mapping_pages(). Private copies go too if even_cows (a
 * truncate), not otherwise (a hole). i_mmap_lock keeps each VMA and its
 * page tables (exit_mmap() takes it off the list before they go) without
 * the mappers' mmap_lock, which the file's side cannot take.
 */
void unmap_mapping_pages(struct inode *inode, unsigned long first, unsigned long nr, bool even_cows)
{
	unsigned long last = first + nr < first ? ULONG_MAX : first + nr;	/* the page after the range */
	struct vm_area_struct *vma;

	spin_lock(&inode->i_mmap_lock);
	list_for_each_entry(vma, &inode->i_mmap, shared) {
		unsigned long pages = (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
		if (vma->vm_pgoff + pages <= first || vma->vm_pgoff >= last)
			continue;
		unsigned long skip = first > vma->vm_pgoff ? first - vma->vm_pgoff : 0;
		unsigned long stop = last - vma->vm_pgoff < pages ? last - vma->vm_pgoff : pages;
		__zap_page_range(vma, vma->vm_start + (skip << PAGE_SHIFT), vma->vm_start + (stop << PAGE_SHIFT),
				 !even_cows);
	}
	spin_unlock(&inode->i_mmap_lock);
}

/* A truncate cut inode's file at byte from (its i_size says so already): every page wholly past it is unmapped. */
void unmap_mapping_range(struct inode *inode, loff_t from)
{
	unmap_mapping_pages(inode, DIV_ROUND_UP((u64)from, PAGE_SIZE), ULONG_MAX, true);
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
		mm_dec_pgtables(mm, virt_to_page(pt_table(e)));
		free_page((unsigned long)pt_table(e));
	}
}

/* Free every page table of the user half; nothing else can reach the mm (exit_mmap). */
void free_pgtables(struct mm_struct *mm)
{
	free_pt_range(mm, PG_LEVEL_512G, 0, TASK_SIZE_MAX);
	if (current->active_mm == mm || (read_cr3() & PTE_PFN_MASK) == __pa(mm->pgd))
		flush_tlb_all();
}

