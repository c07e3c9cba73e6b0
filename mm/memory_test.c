/*
 * ktests for the page-fault handler (mm/memory.c): demand paging, the
 * writable decision of a new PTE, faults on a page already there,
 * copy-on-write after fork (a copy for a shared page, the page itself when
 * the writer holds the only reference), and shared memory that stays shared.
 *
 * Each test works on address spaces of its own (mm_alloc(), one VMA) that
 * no task runs in; faults are made with handle_mm_fault() under the read
 * lock, as a user fault does, and a "fork" copies the VMA and its PTEs under
 * both write locks, as dup_mm() does. Every test ends with nr_free_pages()
 * back at its starting value. Two faults racing on one page are forced with the
 * delay points fault_page_allocated and wp_page_copy_allocated: a thread's fault
 * is held there, with its new page, while the test's own fault installs one.
 */
#include <kernel/kernel.h>
#include <kernel/ktest.h>
#include <kernel/ktest_thread.h>
#include <kernel/ktest_syscall.h>
#include <kernel/delay_point.h>
#include <kernel/sched/mm.h>
#include <lib/string.h>
#include <mm/mm.h>
#include <mm/mmap_lock.h>
#include <fs/fs.h>
#include <uapi/fcntl.h>
#include <uapi/unistd.h>
#include <arch/pgtable.h>
#include "internal.h"

#define BASE 0x20000000UL
#define NPAGES 4
#define PRIVATE_RW (VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE)
#define PRIVATE_RO (VM_READ | VM_MAYREAD)
#define SHARED_RW (PRIVATE_RW | VM_SHARED)

/* An mm with one VMA [BASE, BASE + NPAGES pages) of vm_flags, nothing mapped yet. */
static struct vm_area_struct *new_mm_vma(unsigned long vm_flags)
{
	struct mm_struct *mm = mm_alloc();

	if (!mm)
		return NULL;
	struct vm_area_struct *vma = vma_alloc(mm, BASE, BASE + NPAGES * PAGE_SIZE, vm_flags, NULL, 0);
	if (!vma) {
		mmput(mm);
		return NULL;
	}
	mmap_write_lock(mm);
	vma_link(mm, vma);
	mmap_write_unlock(mm);
	return vma;
}

/* A fault at addr, as the fault path makes it: under mmap_read_lock. */
static unsigned int fault(struct vm_area_struct *vma, unsigned long addr, bool write)
{
	mmap_read_lock(vma->vm_mm);
	unsigned int ret = handle_mm_fault(vma, addr, write ? FAULT_FLAG_WRITE : 0, NULL);
	mmap_read_unlock(vma->vm_mm);
	return ret;
}

/* The PTE for addr, or an empty one when no table holds it. */
static pte_t pte_at(struct mm_struct *mm, unsigned long addr)
{
	struct pt_walk w = { .pgd = mm->pgd, .mm = mm };
	pte_t *e = pt_walk(&w, addr, PG_LEVEL_4K);

	return e ? *e : (pte_t){ 0 };
}

static struct page *page_at(struct mm_struct *mm, unsigned long addr)
{
	pte_t e = pte_at(mm, addr);

	return pte_present(e) ? pfn_to_page(PFN_DOWN(pte_phys(e))) : NULL;
}

/* fork's copy of vma: a new mm with the same VMA and its PTEs (copy_page_range()). */
static struct vm_area_struct *fork_vma(struct vm_area_struct *vma)
{
	struct vm_area_struct *child = new_mm_vma(vma->vm_flags);

	if (!child)
		return NULL;
	mmap_write_lock(vma->vm_mm);
	mmap_write_lock(child->vm_mm);
	int err = copy_page_range(child->vm_mm, vma->vm_mm, vma);
	mmap_write_unlock(child->vm_mm);
	mmap_write_unlock(vma->vm_mm);
	if (err) {
		mmput(child->vm_mm);
		return NULL;
	}
	return child;
}

/* A parent mm with a page written at BASE, and a fork of it; false (and nothing left) if either fails. */
static bool fork_with_page(unsigned long vm_flags, struct vm_area_struct **parent, struct vm_area_struct **child)
{
	*parent = new_mm_vma(vm_flags);
	if (!*parent)
		return false;
	if (fault(*parent, BASE, true) || !page_at((*parent)->vm_mm, BASE) || !(*child = fork_vma(*parent))) {
		mmput((*parent)->vm_mm);
		return false;
	}
	return true;
}

/* A read fault in private anonymous memory maps a zeroed page of its own, counted as anonymous. */
KTEST(fault_anon_read)
{
	unsigned long pages = nr_free_pages();
	struct vm_area_struct *vma = new_mm_vma(PRIVATE_RW);

	KT_ASSERT(vma);
	struct mm_struct *mm = vma->vm_mm;
	unsigned int ret = fault(vma, BASE + PAGE_SIZE + 123, false);
	pte_t e = pte_at(mm, BASE + PAGE_SIZE);
	struct page *page = page_at(mm, BASE + PAGE_SIZE);
	bool zero = page && !memchr_inv(page_address(page), 0, PAGE_SIZE);
	int count = page ? page_count(page) : -1, mapcount = page ? page_mapcount(page) : -1;
	bool others = pte_present(pte_at(mm, BASE)) || pte_present(pte_at(mm, BASE + 2 * PAGE_SIZE));
	unsigned long anon = get_mm_counter(mm, MM_ANONPAGES), rss = get_mm_rss(mm);
	mmput(mm);
	KT_ASSERT_EQ(ret, 0);
	KT_ASSERT_MSG(pte_present(e) && (e.pte & _PAGE_USER), "PTE %#llx: not a present user page", e.pte);
	KT_ASSERT_MSG(zero, "the new page is not zeroed");
	KT_ASSERT_EQ(count, 1);
	KT_ASSERT_EQ(mapcount, 1);
	KT_ASSERT_MSG(!others, "the fault mapped pages next to the one it was for");
	KT_ASSERT_EQ(anon, 1);
	KT_ASSERT_EQ(rss, 1);
	KT_ASSERT_EQ(nr_free_pages(), pages);
}

/*
 * A write fault maps the page writable and dirty; in a VMA without VM_WRITE
 * a read fault maps it read-only (a later write is refused before
 * handle_mm_fault(), by the VMA check of the fault path).
 */
KTEST(fault_anon_write)
{
	unsigned long pages = nr_free_pages();
	struct vm_area_struct *rw = new_mm_vma(PRIVATE_RW), *ro = new_mm_vma(PRIVATE_RO);

	KT_ASSERT(rw && ro);
	unsigned int ret_rw = fault(rw, BASE, true), ret_ro = fault(ro, BASE, false);
	pte_t w = pte_at(rw->vm_mm, BASE), r = pte_at(ro->vm_mm, BASE);
	struct page *page = page_at(rw->vm_mm, BASE);
	if (page)
		memset(page_address(page), 0x5a, PAGE_SIZE);
	bool written = page && !memchr_inv(page_address(page), 0x5a, PAGE_SIZE);
	mmput(rw->vm_mm);
	mmput(ro->vm_mm);
	KT_ASSERT_EQ(ret_rw, 0);
	KT_ASSERT_EQ(ret_ro, 0);
	KT_ASSERT_MSG(pte_present(w) && (w.pte & _PAGE_RW) && (w.pte & _PAGE_DIRTY),
		      "after a write fault the PTE is %#llx: not present, writable and dirty", w.pte);
	KT_ASSERT_MSG(pte_present(r) && !(r.pte & _PAGE_RW), "a read-only VMA's PTE is %#llx", r.pte);
	KT_ASSERT(written);
	KT_ASSERT_EQ(nr_free_pages(), pages);
}

/* A second fault on a page that is there allocates nothing and keeps the page. */
KTEST(fault_present_again)
{
	unsigned long pages = nr_free_pages();
	struct vm_area_struct *vma = new_mm_vma(PRIVATE_RW);

	KT_ASSERT(vma);
	struct mm_struct *mm = vma->vm_mm;
	unsigned int first = fault(vma, BASE, true);
	struct page *page = page_at(mm, BASE);
	unsigned long free_before = nr_free_pages();
	unsigned int again = fault(vma, BASE + 8, true), read = fault(vma, BASE + 16, false);
	unsigned long free_after = nr_free_pages();
	bool same = page && page_at(mm, BASE) == page;
	int count = page ? page_count(page) : -1;
	unsigned long rss = get_mm_rss(mm);
	mmput(mm);
	KT_ASSERT_EQ(first, 0);
	KT_ASSERT_EQ(again, 0);
	KT_ASSERT_EQ(read, 0);
	KT_ASSERT_MSG(same, "the page changed under a second fault");
	KT_ASSERT_EQ(free_after, free_before);
	KT_ASSERT_EQ(count, 1);
	KT_ASSERT_EQ(rss, 1);
	KT_ASSERT_EQ(nr_free_pages(), pages);
}

/*
 * A write fault on a page mapped writable already (a stale TLB entry) changes nothing, even
 * when something else holds a reference to the page (a pin, as get_user_pages() takes): no
 * copy, which would leave the pin on a page the process no longer sees.
 */
KTEST(fault_write_pinned_page)
{
	unsigned long pages = nr_free_pages();
	struct vm_area_struct *vma, *child;

	KT_ASSERT(fork_with_page(PRIVATE_RW, &vma, &child));
	mmput(child->vm_mm);			/* the page is the parent's alone, still read-only */
	KT_ASSERT_EQ(fault(vma, BASE, true), 0);	/* taken over writable */
	struct mm_struct *mm = vma->vm_mm;
	struct page *page = page_at(mm, BASE);
	KT_ASSERT(page);
	get_page(page);
	unsigned int again = fault(vma, BASE, true);
	bool same = page_at(mm, BASE) == page;
	put_page(page);
	mmput(mm);
	KT_ASSERT_EQ(again, 0);
	KT_ASSERT_MSG(same, "a write fault on a writable PTE copied the pinned page");
	KT_ASSERT_EQ(nr_free_pages(), pages);
}

/* Shared anonymous memory: its pages count as shmem (MM_SHMEMPAGES), not as anonymous. */
KTEST(fault_shared_anon_kind)
{
	unsigned long pages = nr_free_pages();
	struct vm_area_struct *vma = new_mm_vma(SHARED_RW);

	KT_ASSERT(vma);
	struct mm_struct *mm = vma->vm_mm;
	unsigned int a = fault(vma, BASE, false), b = fault(vma, BASE, true);
	unsigned long shmem = get_mm_counter(mm, MM_SHMEMPAGES), anon = get_mm_counter(mm, MM_ANONPAGES);
	mmput(mm);
	KT_ASSERT_EQ(a, 0);
	KT_ASSERT_EQ(b, 0);
	KT_ASSERT_EQ(shmem, 1);
	KT_ASSERT_EQ(anon, 0);
	KT_ASSERT_EQ(nr_free_pages(), pages);
}

/*
 * After fork a private page is shared read-only by both. The child's write
 * gets a copy of its own; the parent's page and PTE are untouched. The parent
 * then holds the only reference, so its own write takes the page over: no copy.
 */
KTEST(fault_cow_copies)
{
	unsigned long pages = nr_free_pages();
	struct vm_area_struct *parent, *child;

	KT_ASSERT(fork_with_page(PRIVATE_RW, &parent, &child));
	struct mm_struct *pmm = parent->vm_mm, *cmm = child->vm_mm;
	struct page *old = page_at(pmm, BASE);
	memset(page_address(old), 0xab, PAGE_SIZE);
	bool both_ro = !(pte_at(pmm, BASE).pte & _PAGE_RW) && !(pte_at(cmm, BASE).pte & _PAGE_RW);
	int shared_count = page_count(old), shared_map = page_mapcount(old);

	unsigned int ret = fault(child, BASE, true);
	struct page *copy = page_at(cmm, BASE);
	bool child_rw = pte_at(cmm, BASE).pte & _PAGE_RW, parent_ro = !(pte_at(pmm, BASE).pte & _PAGE_RW);
	bool copied = copy && copy != old && !memchr_inv(page_address(copy), 0xab, PAGE_SIZE);
	if (copy)
		memset(page_address(copy), 0xcd, PAGE_SIZE);
	bool parent_intact = page_at(pmm, BASE) == old && !memchr_inv(page_address(old), 0xab, PAGE_SIZE);
	int old_count = page_count(old), old_map = page_mapcount(old);
	unsigned long free_before = nr_free_pages();
	unsigned int ret2 = fault(parent, BASE, true);
	bool kept = page_at(pmm, BASE) == old && (pte_at(pmm, BASE).pte & _PAGE_RW);
	unsigned long free_after = nr_free_pages();
	unsigned long canon = get_mm_counter(cmm, MM_ANONPAGES), panon = get_mm_counter(pmm, MM_ANONPAGES);
	mmput(cmm);
	mmput(pmm);
	KT_ASSERT_MSG(both_ro, "after fork a private writable page must be read-only in both mms");
	KT_ASSERT_EQ(shared_count, 2);
	KT_ASSERT_EQ(shared_map, 2);
	KT_ASSERT_EQ(ret, 0);
	KT_ASSERT_MSG(copied, "the child's write did not get a copy of the page (same page, or other data)");
	KT_ASSERT_MSG(child_rw, "the child's copy is not mapped writable");
	KT_ASSERT_MSG(parent_ro && parent_intact, "the child's write changed the parent's page or PTE");
	KT_ASSERT_EQ(old_count, 1);
	KT_ASSERT_EQ(old_map, 1);
	KT_ASSERT_EQ(ret2, 0);
	KT_ASSERT_MSG(kept, "the parent, alone on its page, did not get it back writable");
	KT_ASSERT_MSG(free_after == free_before, "the parent's write copied a page it alone held");
	KT_ASSERT_EQ(canon, 1);
	KT_ASSERT_EQ(panon, 1);
	KT_ASSERT_EQ(nr_free_pages(), pages);
}

/* When the child is gone before anyone writes, the parent's write reuses the page. */
KTEST(fault_cow_reuses)
{
	unsigned long pages = nr_free_pages();
	struct vm_area_struct *parent, *child;

	KT_ASSERT(fork_with_page(PRIVATE_RW, &parent, &child));
	struct mm_struct *pmm = parent->vm_mm;
	struct page *page = page_at(pmm, BASE);
	mmput(child->vm_mm);
	bool ro = !(pte_at(pmm, BASE).pte & _PAGE_RW);
	unsigned long free_before = nr_free_pages();
	unsigned int ret = fault(parent, BASE + 100, true);
	unsigned long free_after = nr_free_pages();
	bool same = page_at(pmm, BASE) == page, rw = pte_at(pmm, BASE).pte & _PAGE_RW;
	int count = page_count(page), map = page_mapcount(page);
	mmput(pmm);
	KT_ASSERT_MSG(ro, "the parent's PTE stayed writable across fork");
	KT_ASSERT_EQ(ret, 0);
	KT_ASSERT_MSG(same && rw, "the page was not taken over writable");
	KT_ASSERT_MSG(free_after == free_before, "a page was allocated for a write to a page held alone");
	KT_ASSERT_EQ(count, 1);
	KT_ASSERT_EQ(map, 1);
	KT_ASSERT_EQ(nr_free_pages(), pages);
}

/* Shared memory stays shared across fork: the child's writes are the parent's page. */
KTEST(fault_shared_no_copy)
{
	unsigned long pages = nr_free_pages();
	struct vm_area_struct *parent, *child;

	KT_ASSERT(fork_with_page(SHARED_RW, &parent, &child));
	struct mm_struct *pmm = parent->vm_mm;
	struct page *page = page_at(pmm, BASE);
	unsigned int ret = fault(child, BASE, true);
	bool same = page_at(child->vm_mm, BASE) == page && page_at(pmm, BASE) == page;
	int map = page_mapcount(page);
	mmput(child->vm_mm);
	mmput(pmm);
	KT_ASSERT_EQ(ret, 0);
	KT_ASSERT_MSG(same, "a write to shared memory gave the child a page of its own");
	KT_ASSERT_EQ(map, 2);
	KT_ASSERT_EQ(nr_free_pages(), pages);
}

/* A fault made by a thread of the test, held at a delay point on its way. */
struct fault_thr {
	struct vm_area_struct *vma;
	bool write, done;
	unsigned int ret;
};

static int fault_thread(void *arg)
{
	struct fault_thr *t = arg;

	t->ret = fault(t->vma, BASE, t->write);
	WRITE_ONCE(t->done, true);
	return 0;
}

/*
 * Run a thread's fault at BASE of vma held at the delay point, then the test's own write
 * fault at BASE of the same mm, then let the thread go: it lost the race. true if it was
 * held and finished.
 */
static bool fault_loses_race(struct vm_area_struct *vma, bool write, const char *point, struct page **mine)
{
	static struct fault_thr t;
	char cmd[64];

	t = (struct fault_thr){ .vma = vma, .write = write };
	struct task_struct *task = ktest_start_thread(fault_thread, &t, "fault_race");
	if (!task)
		return false;
	snprintf(cmd, sizeof(cmd), "%s:hold@pid=%d", point, task->pid);
	delay_point_control(cmd);
	bool held = WAIT_FOR(delay_point_waiters(point) == 1, 2);
	*mine = held && !fault(vma, BASE, true) ? page_at(vma->vm_mm, BASE) : NULL;
	snprintf(cmd, sizeof(cmd), "%s:off", point);
	delay_point_control(cmd);
	bool done = WAIT_FOR(READ_ONCE(t.done), 2);
	ktest_stop_thread(task);
	return held && done && t.ret == 0;
}

/*
 * Two faults on one empty PTE: the one that finds the page installed meanwhile frees the
 * page it allocated and keeps the winner's, and releases page_table_lock.
 */
KTEST(mm_race_fault_new_page)
{
	unsigned long freed0 = READ_ONCE(nr_tasks_freed);
	unsigned long pages = nr_free_pages();
	struct vm_area_struct *vma = new_mm_vma(PRIVATE_RW);
	struct page *mine;

	KT_ASSERT(vma);
	struct mm_struct *mm = vma->vm_mm;
	bool raced = fault_loses_race(vma, false, "fault_page_allocated", &mine);
	bool kept = mine && page_at(mm, BASE) == mine, unlocked = !spin_is_locked(&mm->page_table_lock);
	unsigned long anon = get_mm_counter(mm, MM_ANONPAGES);
	mmput(mm);
	KT_ASSERT_MSG(raced, "the thread's fault was not held, or did not return 0");
	KT_ASSERT_MSG(kept, "the losing fault replaced the page installed first");
	KT_ASSERT_MSG(unlocked, "the losing fault left page_table_lock held");
	KT_ASSERT_EQ(anon, 1);
	KT_ASSERT_ALL_FREED(freed0, 1, pages);
}

/*
 * Two copy-on-write faults on one shared page: the one that finds the PTE changed while it
 * copied frees its copy and keeps the winner's.
 */
KTEST(mm_race_cow_copy)
{
	unsigned long freed0 = READ_ONCE(nr_tasks_freed);
	unsigned long pages = nr_free_pages();
	struct vm_area_struct *parent, *child;
	struct page *mine;

	KT_ASSERT(fork_with_page(PRIVATE_RW, &parent, &child));
	struct mm_struct *cmm = child->vm_mm;
	struct page *old = page_at(cmm, BASE);
	bool raced = fault_loses_race(child, true, "wp_page_copy_allocated", &mine);
	bool kept = mine && mine != old && page_at(cmm, BASE) == mine;
	bool unlocked = !spin_is_locked(&cmm->page_table_lock);
	unsigned long anon = get_mm_counter(cmm, MM_ANONPAGES);
	mmput(cmm);
	mmput(parent->vm_mm);
	KT_ASSERT_MSG(raced, "the thread's fault was not held, or did not return 0");
	KT_ASSERT_MSG(kept, "the losing copy replaced the copy installed first");
	KT_ASSERT_MSG(unlocked, "the losing fault left page_table_lock held");
	KT_ASSERT_EQ(anon, 1);
	KT_ASSERT_ALL_FREED(freed0, 1, pages);
}

/*
 * A shared file mapping's fault that got the file's page, held before it
 * maps it while a truncate cuts the page off and the file grows back with
 * a new page there: the fault must not map the page the file let go (the
 * mapping and the file would part ways), but leave the PTE to the next
 * fault, which finds the file's new page.
 */
KTEST_UA(mm_race_fault_shared_truncate)
{
	static const char path[] = "/ktest-shared-race";
	static struct fault_thr t;
	struct file *f = filp_open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	loff_t pos = 0;

	KT_ASSERT(!IS_ERR(f) && kernel_write(f, "A", 1, &pos) == 1);
	struct mm_struct *mm = mm_alloc();
	struct vm_area_struct *vma = mm ? vma_alloc(mm, BASE, BASE + PAGE_SIZE, SHARED_RW, f, 0) : NULL;
	mmap_write_lock(mm);
	vma_link(mm, vma);
	mmap_write_unlock(mm);
	t = (struct fault_thr){ .vma = vma };
	struct task_struct *task = ktest_start_thread(fault_thread, &t, "fault_race");
	char cmd[64];
	snprintf(cmd, sizeof(cmd), "fault_page_allocated:hold@pid=%d", task ? task->pid : 0);
	delay_point_control(cmd);
	bool held = task && WAIT_FOR(delay_point_waiters("fault_page_allocated") == 1, 2);
	long cut = SYS(truncate, A(path), 0), grown = SYS(truncate, A(path), PAGE_SIZE);
	pos = 0;
	ssize_t wrote = kernel_write(f, "B", 1, &pos);
	delay_point_control("fault_page_allocated:off");
	bool done = task && WAIT_FOR(READ_ONCE(t.done), 2);
	if (task)
		ktest_stop_thread(task);
	struct page *page = page_at(mm, BASE);
	char seen = page ? *(char *)page_address(page) : 0;
	mmput(mm);
	fput(f);
	SYS(unlink, A(path));
	KT_ASSERT_MSG(held && done && !cut && !grown && wrote == 1, "the race was not set up");
	KT_ASSERT_MSG(seen != 'A', "the fault mapped the page the truncate cut off the file");
}
