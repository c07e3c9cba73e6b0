/*
 * ktests for the lock rules of an address space (include/mm/mm_types.h,
 * include/mm/mmap_lock.h): each mmap_assert_*() check reports a caller
 * that breaks its rule, and the report names the function that made the
 * check; the same call under the right lock reports nothing and still does
 * its work. exit_mmap() tears an mm down without mmap_lock and without a
 * report. expand_stack(), the one VMA change made under the read lock,
 * keeps total_vm and locked_vm right.
 *
 * Each test works on mms of its own (struct mm_fixture: mm_alloc() and one
 * VMA with its pages) that no task runs in, so breaking a rule on purpose
 * cannot race with anyone; results are read before the mms are dropped and
 * asserted after, and every test ends with nr_free_pages() back at its
 * starting value.
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
/* As do_mmap() makes them: private writable memory is counted in Committed_AS (VM_ACCOUNT). */
#define ANON_RW (VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC | VM_ACCOUNT)

/* vma_alloc(), with the pages of a VM_ACCOUNT VMA counted in Committed_AS, as its unlinking gives them back. */
static struct vm_area_struct *vma_alloc_accounted(struct mm_struct *mm, unsigned long start, unsigned long end,
						  unsigned long flags)
{
	long pages = (flags & VM_ACCOUNT) ? (end - start) >> PAGE_SHIFT : 0;

	if (__vm_enough_memory(mm, pages))
		return NULL;
	struct vm_area_struct *vma = vma_alloc(mm, start, end, flags, NULL, 0);
	if (!vma)
		vm_unacct_memory(pages);
	return vma;
}

/* An anonymous VMA [start, end) on mm, its pages faulted in. The caller holds mm's write lock. */
static struct vm_area_struct *add_vma(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	struct vm_area_struct *vma = vma_alloc_accounted(mm, start, end, ANON_RW);

	if (!vma)
		return NULL;
	vma_link(mm, vma);
	for (unsigned long a = start; a < end; a += PAGE_SIZE)
		if (fault_in_user(mm, a, true))
			return NULL;	/* the mm's teardown frees what was faulted */
	return vma;
}

/*
 * A test's own mm, with one VMA [BASE, END) whose pages are all present,
 * the free-page count before it, and the lock-debugging reports since.
 */
struct mm_fixture {
	struct mm_struct *mm;
	struct vm_area_struct *vma;
	unsigned long pages;
	unsigned long bugs;
	u64 seq;
};

static void reports_restart(struct mm_fixture *f)
{
	f->bugs = lock_bug_count;
	f->seq = log_next_seq;
}

static bool mm_fixture_begin(struct mm_fixture *f)
{
	f->pages = nr_free_pages();
	f->mm = mm_alloc();
	if (!f->mm)
		return false;
	mmap_write_lock(f->mm);
	f->vma = add_vma(f->mm, BASE, END);
	mmap_write_unlock(f->mm);
	reports_restart(f);
	if (!f->vma)
		mmput(f->mm);
	return f->vma;
}

/* Drop the mm; whether every page came back. */
static bool mm_fixture_end(struct mm_fixture *f)
{
	mmput(f->mm);
	return nr_free_pages() == f->pages;
}

/* A function whose check should have reported, and how many times. */
struct expect {
	const char *func;
	int times;
};

/* The reports since the restart are exactly these (the "checked in func()" lines, and no others). */
static bool reported_exactly(const struct mm_fixture *f, const struct expect *e, int n)
{
	char what[64];
	unsigned long total = 0;

	for (int i = 0; i < n; i++) {
		snprintf(what, sizeof(what), "checked in %s() at mm/", e[i].func);
		if (ktest_log_count(f->seq, what) != e[i].times)
			return false;
		total += e[i].times;
	}
	return lock_bug_count - f->bugs == total;
}

/* zap_page_range() needs mmap_lock, for reading at least (MADV_DONTNEED holds only that). */
KTEST(mmap_assert_zap_page_range)
{
	static const struct expect e[] = { { "zap_page_range", 1 } };
	struct mm_fixture f;

	KT_ASSERT(mm_fixture_begin(&f));
	zap_page_range(f.vma, BASE, BASE + PAGE_SIZE);		/* no lock: reported */
	mmap_read_lock(f.mm);
	zap_page_range(f.vma, BASE + PAGE_SIZE, END);		/* the read lock is enough */
	mmap_read_unlock(f.mm);
	bool reported = reported_exactly(&f, e, ARRAY_SIZE(e));
	unsigned long rss = get_mm_rss(f.mm);
	KT_ASSERT(mm_fixture_end(&f));
	KT_ASSERT(reported);
	KT_ASSERT_EQ(rss, 0);			/* both calls unmapped their pages */
}

/* change_protection() needs mmap_lock for writing (mprotect changes the VMA with it). */
KTEST(mmap_assert_change_protection)
{
	static const struct expect e[] = { { "change_protection", 1 } };
	struct mm_fixture f;

	KT_ASSERT(mm_fixture_begin(&f));
	mmap_read_lock(f.mm);
	change_protection(f.vma);		/* read only: reported */
	mmap_read_unlock(f.mm);
	mmap_write_lock(f.mm);
	change_protection(f.vma);
	mmap_write_unlock(f.mm);
	bool reported = reported_exactly(&f, e, ARRAY_SIZE(e));
	KT_ASSERT(mm_fixture_end(&f));
	KT_ASSERT(reported);
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
	struct vm_area_struct *new = vma_alloc_accounted(dst, vma->vm_start, vma->vm_end, vma->vm_flags);
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
	static const struct expect e[] = { { "copy_page_range", 2 } };
	const bool src_write[3] = { false, true, true }, dst_locked[3] = { true, false, true };
	unsigned long after[3], rss[3];
	struct mm_struct *dst[3];
	struct mm_fixture f;

	KT_ASSERT(mm_fixture_begin(&f));
	for (int i = 0; i < 3; i++) {
		dst[i] = copy_mm(f.mm, f.vma, src_write[i], dst_locked[i]);
		after[i] = lock_bug_count - f.bugs;
		rss[i] = dst[i] ? get_mm_rss(dst[i]) : 0;
	}
	bool reported = reported_exactly(&f, e, ARRAY_SIZE(e));
	for (int i = 0; i < 3; i++)
		if (dst[i])
			mmput(dst[i]);
	KT_ASSERT(mm_fixture_end(&f));
	KT_ASSERT(dst[0] && dst[1] && dst[2]);
	KT_ASSERT(reported);
	KT_ASSERT_EQ(after[0], 1);		/* src only read-locked */
	KT_ASSERT_EQ(after[1], 2);		/* dst not locked */
	KT_ASSERT_EQ(after[2], 2);		/* both write-locked: nothing */
	for (int i = 0; i < 3; i++)
		KT_ASSERT_EQ(rss[i], NPAGES);	/* every copy was made */
}

/*
 * The VMA list changes under the write lock: vma_link() without any lock
 * (find_vma(), which it calls, wants at least the read lock), and munmap of
 * a middle page under only the read lock, which splits the VMA twice and
 * frees the middle one.
 */
KTEST(mmap_assert_vma_link_split_unlink)
{
	static const struct expect link[] = { { "vma_link", 1 }, { "find_vma", 1 } };
	static const struct expect unmap[] = {
		{ "do_munmap", 1 }, { "__split_range", 1 }, { "split_vma", 2 }, { "vma_unlink_free", 1 },
	};
	struct mm_fixture f;

	KT_ASSERT(mm_fixture_begin(&f));
	struct vm_area_struct *other = vma_alloc_accounted(f.mm, END + PAGE_SIZE, END + 2 * PAGE_SIZE, ANON_RW);
	if (other)
		vma_link(f.mm, other);		/* no lock */
	bool linked = reported_exactly(&f, link, ARRAY_SIZE(link));
	reports_restart(&f);
	mmap_read_lock(f.mm);
	int err = do_munmap(f.mm, BASE + PAGE_SIZE, PAGE_SIZE);
	mmap_read_unlock(f.mm);
	bool unmapped = reported_exactly(&f, unmap, ARRAY_SIZE(unmap));
	int count = f.mm->map_count;
	KT_ASSERT(mm_fixture_end(&f));
	KT_ASSERT(other);
	KT_ASSERT(linked);
	KT_ASSERT_EQ(err, 0);
	KT_ASSERT(unmapped);
	KT_ASSERT_EQ(count, 3);			/* [BASE, +1), [+2, END) and other */
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
	static const struct expect e[] = { { "do_mmap", 1 }, { "vma_link", 1 }, { "vma_try_merge", 1 } };
	struct mm_fixture f;

	KT_ASSERT(mm_fixture_begin(&f));
	use_mm(f.mm);
	mmap_read_lock(f.mm);
	unsigned long addr = do_mmap(NULL, END, PAGE_SIZE, PROT_READ | PROT_WRITE,
				     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0);
	mmap_read_unlock(f.mm);
	unuse_mm(f.mm);
	bool reported = reported_exactly(&f, e, ARRAY_SIZE(e));
	int count = f.mm->map_count;
	unsigned long end = f.vma->vm_end;
	KT_ASSERT(mm_fixture_end(&f));
	KT_ASSERT_EQ(addr, END);
	KT_ASSERT(reported);
	KT_ASSERT_EQ(count, 1);
	KT_ASSERT_EQ(end, END + PAGE_SIZE);
}

/*
 * expand_stack() needs mmap_lock (the read lock a fault holds is enough)
 * and keeps total_vm and, for a locked stack, locked_vm in step with the
 * VMA, so that unmapping the whole stack brings both back to zero. The
 * fixture's VMA stays; the stack sits above it.
 */
KTEST(mmap_expand_stack_counts)
{
	static const struct expect e[] = { { "expand_stack", 1 } };
	const unsigned long top = 0x20000000UL;	/* above the guard gap after the fixture's VMA */
	struct vm_area_struct *stack;
	struct mm_fixture f;

	KT_ASSERT(mm_fixture_begin(&f));
	mmap_write_lock(f.mm);
	unsigned long vm_before = f.mm->total_vm;
	int err = setup_stack_vma(f.mm, top, PAGE_SIZE);
	stack = find_vma(f.mm, END);
	if (stack) {			/* as mlock() does it */
		stack->vm_flags |= VM_LOCKED;
		f.mm->locked_vm += 1;
	}
	mmap_write_unlock(f.mm);
	int grow1 = stack ? expand_stack(stack, top - 2 * PAGE_SIZE) : -1;	/* no lock: reported */
	mmap_read_lock(f.mm);
	int grow2 = stack ? expand_stack(stack, top - 3 * PAGE_SIZE + 8) : -1;
	mmap_read_unlock(f.mm);
	bool reported = reported_exactly(&f, e, ARRAY_SIZE(e));
	unsigned long grown_vm = f.mm->total_vm - vm_before, grown_locked = f.mm->locked_vm;
	mmap_write_lock(f.mm);
	int unmap = do_munmap(f.mm, top - 3 * PAGE_SIZE, 3 * PAGE_SIZE);
	mmap_write_unlock(f.mm);
	unsigned long vm_after = f.mm->total_vm - vm_before, locked_after = f.mm->locked_vm;
	KT_ASSERT(mm_fixture_end(&f));
	KT_ASSERT(stack);
	KT_ASSERT_EQ(err, 0);
	KT_ASSERT_EQ(grow1, 0);
	KT_ASSERT_EQ(grow2, 0);
	KT_ASSERT(reported);
	KT_ASSERT_EQ(grown_vm, 3);
	KT_ASSERT_EQ(grown_locked, 3);
	KT_ASSERT_EQ(unmap, 0);
	KT_ASSERT_EQ(vm_after, 0);
	KT_ASSERT_EQ(locked_after, 0);
}

/*
 * exit_mmap() takes no mmap_lock: mm_users is 0 and nobody else can reach
 * the VMAs. The checks in zap_page_range() and vma_unlink_free() excuse
 * exactly that task, so tearing down an mm of several VMAs and page
 * tables reports nothing and frees everything.
 */
KTEST(mmap_exit_mmap_needs_no_lock)
{
	struct mm_fixture f;

	KT_ASSERT(mm_fixture_begin(&f));
	mmap_write_lock(f.mm);
	struct vm_area_struct *far = add_vma(f.mm, 0x40000000UL, 0x40000000UL + 2 * PAGE_SIZE);
	int err = split_range(f.mm, BASE + PAGE_SIZE, BASE + 2 * PAGE_SIZE);
	int count = f.mm->map_count;
	mmap_write_unlock(f.mm);
	reports_restart(&f);
	KT_ASSERT(mm_fixture_end(&f));
	KT_ASSERT(far);
	KT_ASSERT_EQ(err, 0);
	KT_ASSERT_EQ(count, 4);
	KT_ASSERT(reported_exactly(&f, NULL, 0));
}
