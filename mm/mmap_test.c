/*
 * ktests for the lock rules of an address space (include/mm/mm_types.h,
 * include/mm/mmap_lock.h): each mmap_assert_*() check reports a caller
 * that breaks its rule, and the report names the function that made the
 * check; the same call under the right lock reports nothing and still does
 * its work. exit_mmap() tears an mm down without mmap_lock and without a
 * report. expand_stack(), the one VMA change made under the read lock,
 * keeps total_vm and locked_vm right.
 *
 * Each test builds mms of its own (mm_alloc()) that no task runs in, so
 * breaking a rule on purpose cannot race with anyone; results are read
 * before the mms are dropped and asserted after, and every test ends with
 * nr_free_pages() back at its starting value.
 */
#include <kernel/kernel.h>
#include <kernel/ktest.h>
#include <kernel/lock_debug.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/sched/mm.h>
#include <kernel/sched/task.h>
#include <uapi/mman.h>
#include <mm/mm.h>
#include <mm/mmap_lock.h>
#include <arch/mmu_context.h>
#include "internal.h"

#define BASE 0x10000000UL
#define NPAGES 4
#define END (BASE + NPAGES * PAGE_SIZE)
#define ANON_RW (VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC)	/* as do_mmap() makes them */

/* An anonymous VMA [start, end) on mm, its pages faulted in. The caller holds mm's write lock. */
static struct vm_area_struct *add_vma(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	struct vm_area_struct *vma = vma_alloc(mm, start, end, ANON_RW, NULL, 0);

	if (!vma)
		return NULL;
	vma_link(mm, vma);
	for (unsigned long a = start; a < end; a += PAGE_SIZE)
		if (fault_in_user(mm, a, true))
			return NULL;	/* the mm's teardown frees what was faulted */
	return vma;
}

/* A new mm with one VMA [BASE, END), every page present; NULL if out of memory. */
static struct mm_struct *test_mm(struct vm_area_struct **vmap)
{
	struct mm_struct *mm = mm_alloc();

	if (!mm)
		return NULL;
	mmap_write_lock(mm);
	*vmap = add_vma(mm, BASE, END);
	mmap_write_unlock(mm);
	if (!*vmap) {
		mmput(mm);
		return NULL;
	}
	return mm;
}

/* Lock-debugging reports since a snapshot, and their lines in the log. */
struct reports {
	unsigned long count;
	u64 seq;
};

static void reports_start(struct reports *r)
{
	r->count = lock_bug_count;
	r->seq = log_next_seq;
}

static unsigned long reports_since(const struct reports *r)
{
	return lock_bug_count - r->count;
}

/* How many reports since r were made by the check in func (the "checked in func()" line). */
static int reports_in(const struct reports *r, const char *func)
{
	char what[64];

	snprintf(what, sizeof(what), "checked in %s() at mm/", func);
	return ktest_log_count(r->seq, what);
}

/* zap_page_range() needs mmap_lock, for reading at least (MADV_DONTNEED holds only that). */
KTEST(mmap_assert_zap_page_range)
{
	unsigned long pages = nr_free_pages();
	struct vm_area_struct *vma;
	struct mm_struct *mm = test_mm(&vma);
	struct reports r;

	KT_ASSERT(mm);
	reports_start(&r);
	zap_page_range(vma, BASE, BASE + PAGE_SIZE);		/* no lock: reported */
	unsigned long unlocked = reports_since(&r);
	mmap_read_lock(mm);
	zap_page_range(vma, BASE + PAGE_SIZE, END);		/* the read lock is enough */
	mmap_read_unlock(mm);
	unsigned long total = reports_since(&r), rss = get_mm_rss(mm);
	int named = reports_in(&r, "zap_page_range");
	mmput(mm);
	KT_ASSERT_EQ(unlocked, 1);
	KT_ASSERT_EQ(total, 1);
	KT_ASSERT_EQ(named, 1);
	KT_ASSERT_EQ(rss, 0);			/* both calls unmapped their pages */
	KT_ASSERT_EQ(nr_free_pages(), pages);
}

/* change_protection() needs mmap_lock for writing (mprotect changes the VMA with it). */
KTEST(mmap_assert_change_protection)
{
	unsigned long pages = nr_free_pages();
	struct vm_area_struct *vma;
	struct mm_struct *mm = test_mm(&vma);
	struct reports r;

	KT_ASSERT(mm);
	reports_start(&r);
	mmap_read_lock(mm);
	change_protection(vma);			/* read only: reported */
	mmap_read_unlock(mm);
	unsigned long read = reports_since(&r);
	mmap_write_lock(mm);
	change_protection(vma);
	mmap_write_unlock(mm);
	unsigned long total = reports_since(&r);
	int named = reports_in(&r, "change_protection");
	mmput(mm);
	KT_ASSERT_EQ(read, 1);
	KT_ASSERT_EQ(total, 1);
	KT_ASSERT_EQ(named, 1);
	KT_ASSERT_EQ(nr_free_pages(), pages);
}

/*
 * fork's copy of src's vma into a new mm, with src locked for writing or
 * only for reading, and the new mm write-locked or not. NULL: no memory.
 */
static struct mm_struct *copy_mm(struct mm_struct *src, struct vm_area_struct *vma, bool src_write,
				 bool dst_locked)
{
	struct mm_struct *dst = mm_alloc();

	if (!dst)
		return NULL;
	mmap_write_lock(dst);
	struct vm_area_struct *new = vma_alloc(dst, vma->vm_start, vma->vm_end, vma->vm_flags, NULL, 0);
	if (new)
		vma_link(dst, new);
	if (!dst_locked)
		mmap_write_unlock(dst);
	if (src_write)
		mmap_write_lock(src);
	else
		mmap_read_lock(src);
	if (new)
		copy_page_range(dst, src, vma);
	if (src_write)
		mmap_write_unlock(src);
	else
		mmap_read_unlock(src);
	if (dst_locked)
		mmap_write_unlock(dst);
	return dst;
}

/* copy_page_range() needs both mms' mmap_lock for writing, as fork holds them. */
KTEST(mmap_assert_copy_page_range)
{
	unsigned long pages = nr_free_pages();
	struct vm_area_struct *vma;
	struct mm_struct *src = test_mm(&vma), *dst[3];
	unsigned long after[3], rss[3];
	const bool src_write[3] = { false, true, true }, dst_locked[3] = { true, false, true };
	struct reports r;

	KT_ASSERT(src);
	reports_start(&r);
	for (int i = 0; i < 3; i++) {
		dst[i] = copy_mm(src, vma, src_write[i], dst_locked[i]);
		after[i] = reports_since(&r);
		rss[i] = dst[i] ? get_mm_rss(dst[i]) : 0;
	}
	int named = reports_in(&r, "copy_page_range");
	for (int i = 0; i < 3; i++)
		if (dst[i])
			mmput(dst[i]);
	mmput(src);
	KT_ASSERT(dst[0] && dst[1] && dst[2]);
	KT_ASSERT_EQ(after[0], 1);		/* src only read-locked */
	KT_ASSERT_EQ(after[1], 2);		/* dst not locked */
	KT_ASSERT_EQ(after[2], 2);		/* both write-locked: nothing */
	KT_ASSERT_EQ(named, 2);
	for (int i = 0; i < 3; i++)
		KT_ASSERT_EQ(rss[i], NPAGES);	/* every copy was made */
	KT_ASSERT_EQ(nr_free_pages(), pages);
}

/*
 * The VMA list changes under the write lock: vma_link() without any lock
 * (find_vma(), which it calls, wants at least the read lock), and munmap of
 * a middle page under only the read lock, which splits the VMA twice and
 * frees the middle one.
 */
KTEST(mmap_assert_vma_link_split_unlink)
{
	unsigned long pages = nr_free_pages();
	struct vm_area_struct *vma, *other;
	struct mm_struct *mm = test_mm(&vma);
	struct reports r;

	KT_ASSERT(mm);
	reports_start(&r);
	other = vma_alloc(mm, END + PAGE_SIZE, END + 2 * PAGE_SIZE, ANON_RW, NULL, 0);
	if (other)
		vma_link(mm, other);		/* no lock: reported twice */
	int link = reports_in(&r, "vma_link"), find = reports_in(&r, "find_vma");
	unsigned long linked = reports_since(&r);
	reports_start(&r);
	mmap_read_lock(mm);
	int err = do_munmap(mm, BASE + PAGE_SIZE, PAGE_SIZE);
	mmap_read_unlock(mm);
	unsigned long unmapped = reports_since(&r);
	int munmap = reports_in(&r, "do_munmap"), range = reports_in(&r, "split_range");
	int split = reports_in(&r, "split_vma"), unlink = reports_in(&r, "vma_unlink_free");
	int count = mm->map_count;
	mmput(mm);
	KT_ASSERT(other);
	KT_ASSERT_EQ(linked, 2);
	KT_ASSERT_EQ(link, 1);
	KT_ASSERT_EQ(find, 1);
	KT_ASSERT_EQ(err, 0);
	KT_ASSERT_EQ(unmapped, 5);
	KT_ASSERT_EQ(munmap, 1);
	KT_ASSERT_EQ(range, 1);
	KT_ASSERT_EQ(split, 2);
	KT_ASSERT_EQ(unlink, 1);
	KT_ASSERT_EQ(count, 3);			/* [BASE, +1), [+2, END) and other */
	KT_ASSERT_EQ(nr_free_pages(), pages);
}

/* Make mm current's for a while, as exec installs one, so that do_mmap() works on it. */
static void use_mm(struct mm_struct *mm)
{
	task_lock(current);
	current->mm = current->active_mm = mm;
	switch_mm(NULL, mm);
	task_unlock(current);
}

static void unuse_mm(struct mm_struct *mm)
{
	task_lock(current);
	current->mm = current->active_mm = NULL;
	switch_mm(mm, NULL);
	task_unlock(current);
}

/*
 * do_mmap() beside an existing anonymous VMA under only the read lock:
 * do_mmap(), vma_link() and the merge with the neighbour each report; the
 * new range still ends up merged into one VMA.
 */
KTEST(mmap_assert_do_mmap_merge)
{
	unsigned long pages = nr_free_pages();
	struct vm_area_struct *vma;
	struct mm_struct *mm = test_mm(&vma);
	struct reports r;

	KT_ASSERT(mm);
	use_mm(mm);
	reports_start(&r);
	mmap_read_lock(mm);
	unsigned long addr = do_mmap(NULL, END, PAGE_SIZE, PROT_READ | PROT_WRITE,
				     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0);
	mmap_read_unlock(mm);
	unuse_mm(mm);
	unsigned long total = reports_since(&r);
	int mmap = reports_in(&r, "do_mmap"), link = reports_in(&r, "vma_link");
	int merge = reports_in(&r, "vma_try_merge");
	int count = mm->map_count;
	unsigned long end = vma->vm_end;
	mmput(mm);
	KT_ASSERT_EQ(addr, END);
	KT_ASSERT_EQ(total, 3);
	KT_ASSERT_EQ(mmap, 1);
	KT_ASSERT_EQ(link, 1);
	KT_ASSERT_EQ(merge, 1);
	KT_ASSERT_EQ(count, 1);
	KT_ASSERT_EQ(end, END + PAGE_SIZE);
	KT_ASSERT_EQ(nr_free_pages(), pages);
}

/*
 * expand_stack() needs mmap_lock (the read lock a fault holds is enough)
 * and keeps total_vm and, for a locked stack, locked_vm in step with the
 * VMA, so that unmapping the whole stack brings both back to zero.
 */
KTEST(mmap_expand_stack_counts)
{
	unsigned long pages = nr_free_pages();
	struct mm_struct *mm = mm_alloc();
	struct vm_area_struct *stack;
	struct reports r;

	KT_ASSERT(mm);
	mmap_write_lock(mm);
	int err = setup_stack_vma(mm, END, PAGE_SIZE);
	stack = find_vma(mm, BASE);
	if (stack) {			/* as mlock() does it */
		stack->vm_flags |= VM_LOCKED;
		mm->locked_vm += 1;
	}
	mmap_write_unlock(mm);
	reports_start(&r);
	int grow1 = stack ? expand_stack(stack, END - 2 * PAGE_SIZE) : -1;	/* no lock: reported */
	unsigned long unlocked = reports_since(&r);
	mmap_read_lock(mm);
	int grow2 = stack ? expand_stack(stack, END - 3 * PAGE_SIZE + 8) : -1;
	mmap_read_unlock(mm);
	unsigned long total = reports_since(&r), total_vm = mm->total_vm, locked_vm = mm->locked_vm;
	int named = reports_in(&r, "expand_stack");
	mmap_write_lock(mm);
	int unmap = do_munmap(mm, END - 3 * PAGE_SIZE, 3 * PAGE_SIZE);
	mmap_write_unlock(mm);
	unsigned long total_after = mm->total_vm, locked_after = mm->locked_vm;
	mmput(mm);
	KT_ASSERT_EQ(err, 0);
	KT_ASSERT(stack);
	KT_ASSERT_EQ(grow1, 0);
	KT_ASSERT_EQ(grow2, 0);
	KT_ASSERT_EQ(unlocked, 1);
	KT_ASSERT_EQ(total, 1);
	KT_ASSERT_EQ(named, 1);
	KT_ASSERT_EQ(total_vm, 3);
	KT_ASSERT_EQ(locked_vm, 3);
	KT_ASSERT_EQ(unmap, 0);
	KT_ASSERT_EQ(total_after, 0);
	KT_ASSERT_EQ(locked_after, 0);
	KT_ASSERT_EQ(nr_free_pages(), pages);
}

/*
 * exit_mmap() takes no mmap_lock: mm_users is 0 and nobody else can reach
 * the VMAs. The checks in zap_page_range() and vma_unlink_free() excuse
 * exactly that task, so tearing down an mm of several VMAs and page
 * tables reports nothing and frees everything.
 */
KTEST(mmap_exit_mmap_needs_no_lock)
{
	unsigned long pages = nr_free_pages();
	struct vm_area_struct *vma;
	struct mm_struct *mm = test_mm(&vma);
	struct reports r;

	KT_ASSERT(mm);
	mmap_write_lock(mm);
	struct vm_area_struct *far = add_vma(mm, 0x40000000UL, 0x40000000UL + 2 * PAGE_SIZE);
	int err = split_range(mm, BASE + PAGE_SIZE, BASE + 2 * PAGE_SIZE);
	int count = mm->map_count;
	mmap_write_unlock(mm);
	reports_start(&r);
	mmput(mm);
	KT_ASSERT(far);
	KT_ASSERT_EQ(err, 0);
	KT_ASSERT_EQ(count, 4);
	KT_ASSERT_EQ(reports_since(&r), 0);
	KT_ASSERT_EQ(nr_free_pages(), pages);
}
