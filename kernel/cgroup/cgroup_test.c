/*
 * ktests of the cgroup core (kernel/cgroup/) and of the memory controller's
 * charging (mm/memcontrol.c): populated counts up the tree, paths; and for
 * every kind of memory charged — a fault's anonymous page, a
 * copy-on-write copy, ramfs data, page tables, kernel stacks — that the
 * group's usage and statistics rise by exactly what was charged and come
 * back exactly to where they were when the memory is freed; a charge at
 * the limit fails and counts its events; a page is uncharged once; a
 * removed group's pages keep it dying until they go.
 *
 * Each test makes its own groups below the root of the default hierarchy
 * (with the memory controller enabled there for the time of the test) and
 * moves the test's kernel thread into them; its kernel memory goes to the
 * group through set_active_memcg(), as a kernel thread working for a group
 * would charge it. Every test ends with nr_free_pages() back where it was.
 */
#include <kernel/kernel.h>
#include <kernel/ktest.h>
#include <kernel/ktest_syscall.h>
#include <kernel/ktest_thread.h>
#include <kernel/cgroup.h>
#include <kernel/sched.h>
#include <kernel/sched/mm.h>
#include <kernel/sched/task.h>
#include <lib/string.h>
#include <mm/mm.h>
#include <mm/slab.h>
#include <mm/mmap_lock.h>
#include <mm/memcontrol.h>
#include <mm/vmstat.h>
#include <fs/fs.h>
#include <uapi/fcntl.h>
#include "cgroup-internal.h"

#define BASE 0x10000000UL
#define NPAGES 8
#define ANON_RW (VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE)

/* A test's group, below the root or below another test group. */
struct kt_group {
	struct cgroup *cgrp;
	struct mem_cgroup *memcg;
};

static u16 kt_saved_subtree;

/* The memory controller on for the root's children while the test runs. */
static void kt_begin(void)
{
	mutex_lock(&cgroup_mutex);
	kt_saved_subtree = cgrp_dfl_root.cgrp.subtree_control;
	cgrp_dfl_root.cgrp.subtree_control |= 1 << memory_cgrp_id;
	mutex_unlock(&cgroup_mutex);
}

static void kt_end(void)
{
	mutex_lock(&cgroup_mutex);
	cgrp_dfl_root.cgrp.subtree_control = kt_saved_subtree;
	mutex_unlock(&cgroup_mutex);
}

static bool kt_group_create(struct kt_group *g, struct kt_group *parent, const char *name)
{
	mutex_lock(&cgroup_mutex);
	struct cgroup *up = parent ? parent->cgrp : &cgrp_dfl_root.cgrp;
	if (parent)
		up->subtree_control |= 1 << memory_cgrp_id;
	g->cgrp = cgroup_create(up, name);
	mutex_unlock(&cgroup_mutex);
	if (IS_ERR(g->cgrp))
		return false;
	g->memcg = mem_cgroup_from_css(g->cgrp->subsys[memory_cgrp_id]);
	return true;
}

/* Move the test's thread into cgrp (kernel threads are moved only here: cgroup.procs refuses them). */
static void kt_enter(struct cgroup *cgrp)
{
	mutex_lock(&cgroup_mutex);
	down_write(&cgroup_threadgroup_rwsem);
	cgroup_attach_task(cgrp, current, false);
	up_write(&cgroup_threadgroup_rwsem);
	mutex_unlock(&cgroup_mutex);
}

static int kt_rmdir(struct kt_group *g)
{
	return cgroup_rmdir(g->cgrp);
}

static unsigned long usage(struct kt_group *g)
{
	return page_counter_read(&g->memcg->memory);
}

static unsigned long stat(struct kt_group *g, int idx)
{
	return memcg_page_state(g->memcg, idx, true);
}

/* An anonymous VMA of n pages at BASE on mm, each page faulted in for writing. */
static bool add_anon(struct mm_struct *mm, unsigned long n)
{
	bool ok = true;

	mmap_write_lock(mm);
	struct vm_area_struct *vma = vma_alloc(mm, BASE, BASE + n * PAGE_SIZE, ANON_RW, NULL, 0);
	if (vma) {
		vma->vm_page_prot = vm_get_page_prot(ANON_RW);
		vma_link(mm, vma);
		for (unsigned long a = BASE; a < BASE + n * PAGE_SIZE; a += PAGE_SIZE)
			ok &= !fault_in_user(mm, a, true);
	}
	mmap_write_unlock(mm);
	return vma && ok;
}

/* Leave the groups, remove them (children first) and check every page came back. */
#define KT_CLEANUP(free0, ...) do {						\
	struct kt_group *__g[] = { __VA_ARGS__ };				\
	kt_enter(&cgrp_dfl_root.cgrp);						\
	for (unsigned int __i = 0; __i < ARRAY_SIZE(__g); __i++)		\
		KT_ASSERT_EQ(kt_rmdir(__g[__i]), 0);				\
	kt_end();								\
	KT_ASSERT_EQ(nr_free_pages(), (free0));					\
} while (0)

KTEST(cgroup_populated_and_path)
{
	struct kt_group p, c;
	char buf[64];
	unsigned long free0 = nr_free_pages();

	kt_begin();
	KT_ASSERT(kt_group_create(&p, NULL, "kt-p") && kt_group_create(&c, &p, "kt-c"));
	KT_ASSERT(cgroup_path(c.cgrp, buf, sizeof(buf)) > 0);
	KT_ASSERT_STREQ(buf, "/kt-p/kt-c");
	KT_ASSERT(!cgroup_is_populated(p.cgrp));
	kt_enter(c.cgrp);
	bool child = c.cgrp->nr_populated_tasks == 1, parent = p.cgrp->nr_populated_children == 1;
	int busy = cgroup_rmdir(c.cgrp);
	kt_enter(&cgrp_dfl_root.cgrp);
	KT_ASSERT(child && parent);
	KT_ASSERT_EQ(busy, -EBUSY);
	KT_ASSERT(!cgroup_is_populated(p.cgrp) && !cgroup_is_populated(c.cgrp));
	KT_ASSERT_EQ(cgroup_rmdir(p.cgrp), -EBUSY);		/* a child */
	KT_ASSERT_EQ(p.cgrp->nr_descendants, 1);
	KT_CLEANUP(free0, &c, &p);
}

/* A fault's page and the page tables under it: usage = pages + tables, and 0 again after mmput(). */
KTEST(memcg_charge_anon_and_pagetables)
{
	struct kt_group g;
	unsigned long free0 = nr_free_pages();

	kt_begin();
	KT_ASSERT(kt_group_create(&g, NULL, "kt-anon"));
	kt_enter(g.cgrp);
	struct mem_cgroup *old = set_active_memcg(g.memcg);
	struct mm_struct *mm = mm_alloc();
	bool faulted = mm && add_anon(mm, NPAGES);
	unsigned long pt = mm ? mm_pgtables_bytes(mm) / PAGE_SIZE : 0;
	unsigned long use = usage(&g), anon = stat(&g, NR_ANON_MAPPED), pts = stat(&g, NR_PAGETABLE);
	unsigned long kmem = stat(&g, MEMCG_KMEM);
	if (mm)
		mmput(mm);
	set_active_memcg(old);
	KT_ASSERT(faulted);
	KT_ASSERT(pt > 0);
	KT_ASSERT_EQ(anon, NPAGES);
	KT_ASSERT_EQ(pts, pt);
	KT_ASSERT_EQ(kmem, pt);
	KT_ASSERT_EQ(use, NPAGES + pt);
	KT_ASSERT_EQ(usage(&g), 0);
	KT_ASSERT_EQ(stat(&g, NR_ANON_MAPPED) + stat(&g, NR_PAGETABLE) + stat(&g, MEMCG_KMEM), 0);
	KT_ASSERT_EQ(g.memcg->memory.watermark, NPAGES + pt);
	KT_CLEANUP(free0, &g);
}

/*
 * fork's copy, then a write to every page of the copy: the copies are
 * charged to the copy's group (b), the originals stay charged to a's and
 * go back to it when the original mm goes.
 */
KTEST(memcg_charge_cow)
{
	struct kt_group a, b;
	unsigned long free0 = nr_free_pages();

	kt_begin();
	KT_ASSERT(kt_group_create(&a, NULL, "kt-cow-a") && kt_group_create(&b, NULL, "kt-cow-b"));
	kt_enter(a.cgrp);
	struct mem_cgroup *old = set_active_memcg(a.memcg);
	struct mm_struct *src = mm_alloc(), *dst = NULL;
	bool ok = src && add_anon(src, NPAGES);
	unsigned long a0 = usage(&a);
	kt_enter(b.cgrp);
	set_active_memcg(b.memcg);
	if (ok && (dst = mm_alloc())) {
		mmap_write_lock(src);
		mmap_write_lock(dst);
		struct vm_area_struct *vma = list_first_entry(&src->mmap, struct vm_area_struct, vm_list);
		struct vm_area_struct *copy = vma_alloc(dst, vma->vm_start, vma->vm_end, vma->vm_flags, NULL, 0);
		if (copy) {
			copy->vm_page_prot = vma->vm_page_prot;
			vma_link(dst, copy);
			ok = !copy_page_range(dst, src, vma);
		}
		mmap_write_unlock(dst);
		mmap_write_unlock(src);
		ok &= copy != NULL;
	}
	unsigned long b_shared = usage(&b), b_pt = dst ? mm_pgtables_bytes(dst) / PAGE_SIZE : 0;
	mmap_read_lock(dst);
	for (unsigned long addr = BASE; ok && addr < BASE + NPAGES * PAGE_SIZE; addr += PAGE_SIZE)
		ok = !fault_in_user(dst, addr, true);
	mmap_read_unlock(dst);
	unsigned long a1 = usage(&a), b1 = usage(&b), b_anon = stat(&b, NR_ANON_MAPPED);
	mmput(src);
	unsigned long a2 = usage(&a), b2 = usage(&b);
	mmput(dst);
	set_active_memcg(old);
	KT_ASSERT(ok);
	KT_ASSERT_EQ(b_shared, b_pt);			/* sharing charges nothing but the copy's tables */
	KT_ASSERT_EQ(a1, a0);				/* the originals stay a's */
	KT_ASSERT_EQ(b1, NPAGES + b_pt);		/* the copies are b's */
	KT_ASSERT_EQ(b_anon, NPAGES);
	KT_ASSERT_EQ(a2, 0);				/* the originals went with src */
	KT_ASSERT_EQ(b2, b1);
	KT_ASSERT_EQ(usage(&b), 0);
	KT_CLEANUP(free0, &a, &b);
}

/* ramfs data written by the group: usage and "file" follow the file's pages through truncate and unlink. */
KTEST_UA(memcg_charge_ramfs)
{
	static const char path[] = "/kt-memcg-data";
	struct kt_group g;
	unsigned long free0 = nr_free_pages();
	char *buf = kzalloc(NPAGES * PAGE_SIZE, GFP_KERNEL);
	loff_t pos = 0;

	KT_ASSERT(buf);
	kt_begin();
	KT_ASSERT(kt_group_create(&g, NULL, "kt-ramfs"));
	struct mem_cgroup *old = set_active_memcg(g.memcg);
	struct file *f = filp_open(path, O_CREAT | O_RDWR, 0600);
	ssize_t n = IS_ERR(f) ? PTR_ERR(f) : kernel_write(f, buf, NPAGES * PAGE_SIZE, &pos);
	unsigned long use = usage(&g), file = stat(&g, NR_FILE_PAGES);
	long trunc = SYS(truncate, A(path), PAGE_SIZE);
	unsigned long use1 = usage(&g);
	if (!IS_ERR(f))
		fput(f);
	long unlinked = SYS(unlink, A(path));
	set_active_memcg(old);
	kfree(buf);
	KT_ASSERT_EQ(n, NPAGES * PAGE_SIZE);
	KT_ASSERT_EQ(use, NPAGES);
	KT_ASSERT_EQ(file, NPAGES);
	KT_ASSERT_EQ(trunc, 0);
	KT_ASSERT_EQ(use1, 1);
	KT_ASSERT_EQ(unlinked, 0);
	KT_ASSERT_EQ(usage(&g), 0);
	KT_ASSERT_EQ(stat(&g, NR_FILE_PAGES), 0);
	KT_CLEANUP(free0, &g);
}

static int kt_idle(void *unused)
{
	while (!kthread_should_stop())
		schedule_timeout_uninterruptible(1);
	return 0;
}

/* A task's kernel stack is charged to the group that forks it, and comes back when the task is freed. */
KTEST(memcg_charge_kernel_stack)
{
	struct kt_group g;
	unsigned long free0 = nr_free_pages(), freed0 = nr_tasks_freed;

	kt_begin();
	KT_ASSERT(kt_group_create(&g, NULL, "kt-stack"));
	struct mem_cgroup *old = set_active_memcg(g.memcg);
	struct task_struct *t = ktest_start_thread(kt_idle, NULL, "kt-stack");
	set_active_memcg(old);
	unsigned long use = usage(&g), stack = stat(&g, NR_KERNEL_STACK_KB), kmem = stat(&g, MEMCG_KMEM);
	if (t)
		ktest_stop_thread(t);
	KT_ASSERT(t);
	KT_ASSERT_EQ(use, THREAD_SIZE / PAGE_SIZE);
	KT_ASSERT_EQ(kmem, THREAD_SIZE / PAGE_SIZE);
	KT_ASSERT_EQ(stack, THREAD_SIZE / 1024);
	KT_ASSERT(WAIT_FOR(READ_ONCE(nr_tasks_freed) > freed0 && usage(&g) == 0, 5));
	KT_ASSERT_EQ(stat(&g, NR_KERNEL_STACK_KB), 0);
	KT_CLEANUP(free0, &g);
}

/* At the limit a charge fails, the group counts max and oom and a failure; a page is uncharged once. */
KTEST(memcg_limit_and_uncharge_once)
{
	struct kt_group g;
	struct page *pages[5];
	unsigned long free0 = nr_free_pages();
	int err[5];

	kt_begin();
	KT_ASSERT(kt_group_create(&g, NULL, "kt-limit"));
	KT_ASSERT_EQ(page_counter_set_max(&g.memcg->memory, 4), 0);
	struct mem_cgroup *old = set_active_memcg(g.memcg);
	for (int i = 0; i < 5; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		err[i] = pages[i] ? __memcg_kmem_charge_page(pages[i], GFP_KERNEL, 0) : -ENOMEM;
	}
	set_active_memcg(old);
	unsigned long use = usage(&g);
	mem_cgroup_uncharge(pages[0], 0);
	mem_cgroup_uncharge(pages[0], 0);	/* the second finds nothing charged */
	unsigned long use1 = usage(&g);
	for (int i = 0; i < 5; i++)
		if (pages[i])
			__free_page(pages[i]);
	KT_ASSERT(!err[0] && !err[1] && !err[2] && !err[3]);
	KT_ASSERT_EQ(err[4], -ENOMEM);
	KT_ASSERT_EQ(use, 4);
	KT_ASSERT_EQ(use1, 3);
	KT_ASSERT_EQ(usage(&g), 0);
	KT_ASSERT_EQ(g.memcg->memory_events_local[MEMCG_MAX], 1);
	KT_ASSERT_EQ(g.memcg->memory_events_local[MEMCG_OOM], 1);
	KT_ASSERT_EQ(g.memcg->memory.failcnt, 1);
	KT_CLEANUP(free0, &g);
}

/*
 * Events of cgroup v2: the group whose limit refused a charge counts max and
 * oom in memory.events.local and in memory.events, and so does each ancestor
 * in memory.events (not the root, which has no such file); a child under a
 * parent's limit counts nothing, and keeps none of the refused charge.
 */
KTEST(memcg_events_hierarchy)
{
	struct kt_group p, c;
	struct page *pages[4] = { 0 };
	unsigned long free0 = nr_free_pages();
	unsigned long root_max = root_mem_cgroup->memory_events[MEMCG_MAX];
	int err[4];

	kt_begin();
	KT_ASSERT(kt_group_create(&p, NULL, "kt-ev-p") && kt_group_create(&c, &p, "kt-ev-c"));
	KT_ASSERT_EQ(page_counter_set_max(&c.memcg->memory, 2), 0);
	struct mem_cgroup *old = set_active_memcg(c.memcg);
	for (int i = 0; i < 3; i++) {		/* the third goes over the child's limit */
		pages[i] = alloc_page(GFP_KERNEL);
		err[i] = pages[i] ? __memcg_kmem_charge_page(pages[i], GFP_KERNEL, 0) : -ENOMEM;
	}
	unsigned long cuse = usage(&c), puse = usage(&p);
	page_counter_set_max(&c.memcg->memory, PAGE_COUNTER_MAX);
	page_counter_set_max(&p.memcg->memory, 2);
	pages[3] = alloc_page(GFP_KERNEL);	/* now the parent's limit refuses */
	err[3] = pages[3] ? __memcg_kmem_charge_page(pages[3], GFP_KERNEL, 0) : -ENOMEM;
	set_active_memcg(old);
	unsigned long cuse1 = usage(&c);
	for (int i = 0; i < 4; i++)
		if (pages[i])
			__free_page(pages[i]);
	KT_ASSERT(!err[0] && !err[1]);
	KT_ASSERT_EQ(err[2], -ENOMEM);
	KT_ASSERT_EQ(err[3], -ENOMEM);
	KT_ASSERT_EQ(cuse, 2);
	KT_ASSERT_EQ(puse, 2);
	KT_ASSERT_EQ(cuse1, 2);
	KT_ASSERT_EQ(c.memcg->memory_events_local[MEMCG_MAX], 1);
	KT_ASSERT_EQ(c.memcg->memory_events[MEMCG_MAX], 1);
	KT_ASSERT_EQ(c.memcg->memory_events[MEMCG_OOM], 1);
	KT_ASSERT_EQ(p.memcg->memory_events_local[MEMCG_MAX], 1);
	KT_ASSERT_EQ(p.memcg->memory_events[MEMCG_MAX], 2);
	KT_ASSERT_EQ(p.memcg->memory_events[MEMCG_OOM], 2);
	KT_ASSERT_EQ(c.memcg->memory.failcnt, 1);
	KT_ASSERT_EQ(p.memcg->memory.failcnt, 1);
	KT_ASSERT_EQ(root_mem_cgroup->memory_events[MEMCG_MAX], root_max);
	KT_CLEANUP(free0, &c, &p);
}

/*
 * A child's pages count in its parent's usage and statistics; removed while
 * they are charged, the child is dying until they go, then freed.
 */
KTEST(memcg_hierarchy_and_dying)
{
	struct kt_group p, c;
	struct page *pages[3] = { 0 };
	unsigned long free0 = nr_free_pages();

	kt_begin();
	KT_ASSERT(kt_group_create(&p, NULL, "kt-h-p") && kt_group_create(&c, &p, "kt-h-c"));
	struct mem_cgroup *old = set_active_memcg(c.memcg);
	for (int i = 0; i < 3; i++)
		if ((pages[i] = alloc_page(GFP_KERNEL)) && __memcg_kmem_charge_page(pages[i], GFP_KERNEL, 0))
			pages[i] = NULL;
	set_active_memcg(old);
	unsigned long puse = usage(&p), pkmem = memcg_page_state(p.memcg, MEMCG_KMEM, false);
	unsigned long plocal = stat(&p, MEMCG_KMEM);
	int rm = cgroup_rmdir(c.cgrp);
	int dying = __atomic_load_n(&p.cgrp->nr_dying_descendants, __ATOMIC_RELAXED);
	unsigned long puse1 = usage(&p);
	for (int i = 0; i < 3; i++)
		if (pages[i])
			__free_page(pages[i]);
	KT_ASSERT(pages[0] && pages[1] && pages[2]);
	KT_ASSERT_EQ(puse, 3);
	KT_ASSERT_EQ(pkmem, 3);
	KT_ASSERT_EQ(plocal, 0);
	KT_ASSERT_EQ(rm, 0);
	KT_ASSERT_EQ(dying, 1);
	KT_ASSERT_EQ(puse1, 3);
	KT_ASSERT_EQ(usage(&p), 0);
	KT_ASSERT_EQ(__atomic_load_n(&p.cgrp->nr_dying_descendants, __ATOMIC_RELAXED), 0);
	KT_CLEANUP(free0, &p);
}

/* A task at c's OOM, after its fault unwound: mem_cgroup_oom_synchronize() sleeps until woken. */
struct kt_oom_waiter {
	struct mem_cgroup *memcg;
	bool done;
};

static int kt_oom_waiter_fn(void *data)
{
	struct kt_oom_waiter *w = data;

	css_get(&w->memcg->css);	/* as mem_cgroup_oom() records it */
	current->memcg_in_oom = w->memcg;
	bool handled = mem_cgroup_oom_synchronize(true);
	WRITE_ONCE(w->done, handled && !current->memcg_in_oom);
	while (!kthread_should_stop())
		schedule_timeout_uninterruptible(1);
	return 0;
}

/*
 * The memcg OOM's wait: a task at the OOM of c (below p, whose limit is
 * reached; the kernel's OOM killer disabled, as a user-space handler
 * has it) sleeps killably with under_oom set for c and its descendants,
 * not for p; an uncharge in an unrelated group leaves it asleep, an
 * uncharge in c wakes it, and it forgets the OOM.
 */
KTEST(memcg_oom_wait_and_wake)
{
	struct kt_group p, c, cc, u;
	struct page *pages[2] = { 0 }, *other;
	struct kt_oom_waiter w = { 0 };
	unsigned long free0 = nr_free_pages();

	kt_begin();
	KT_ASSERT(kt_group_create(&p, NULL, "kt-oom-p") && kt_group_create(&c, &p, "kt-oom-c"));
	KT_ASSERT(kt_group_create(&cc, &c, "kt-oom-cc") && kt_group_create(&u, NULL, "kt-oom-u"));
	KT_ASSERT_EQ(page_counter_set_max(&p.memcg->memory, 2), 0);
	WRITE_ONCE(c.memcg->oom_kill_disable, true);
	struct mem_cgroup *old = set_active_memcg(c.memcg);
	for (int i = 0; i < 2; i++)
		if ((pages[i] = alloc_page(GFP_KERNEL)) && __memcg_kmem_charge_page(pages[i], GFP_KERNEL, 0))
			pages[i] = NULL;
	set_active_memcg(u.memcg);
	other = alloc_page(GFP_KERNEL);
	bool other_charged = other && !__memcg_kmem_charge_page(other, GFP_KERNEL, 0);
	set_active_memcg(old);
	w.memcg = c.memcg;
	struct task_struct *t = ktest_start_thread(kt_oom_waiter_fn, &w, "kt_oom_waiter");
	bool slept = t && WAIT_FOR(READ_ONCE(t->state) == TASK_KILLABLE && mem_cgroup_under_oom(c.memcg), 5);
	bool under_c = mem_cgroup_under_oom(c.memcg), under_cc = mem_cgroup_under_oom(cc.memcg);
	bool under_p = mem_cgroup_under_oom(p.memcg);
	if (other)
		__free_page(other);	/* uncharged from u: not c's hierarchy */
	bool still = t && READ_ONCE(t->state) == TASK_KILLABLE && !READ_ONCE(w.done);
	if (pages[0])
		__free_page(pages[0]);	/* uncharged from c: wakes it */
	bool woke = t && WAIT_FOR(READ_ONCE(w.done), 5);
	bool after = mem_cgroup_under_oom(c.memcg);
	if (t)
		ktest_stop_thread(t);
	if (pages[1])
		__free_page(pages[1]);
	WRITE_ONCE(c.memcg->oom_kill_disable, false);
	KT_ASSERT(pages[0] && pages[1] && other_charged);
	KT_ASSERT(slept);
	KT_ASSERT(under_c && under_cc && !under_p);
	KT_ASSERT(still);
	KT_ASSERT(woke);
	KT_ASSERT(!after);
	KT_CLEANUP(free0, &cc, &c, &p, &u);
}
