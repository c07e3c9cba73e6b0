/*
 * ktests for kernel threads and the lifetime of tasks (kernel/kthread.c,
 * fork.c, exit.c): kthread_stop(), task references that outlive exit,
 * waiting for children, orphans reparented to init, exit_mm() giving the
 * mm up before putting it, and the guard page below each kernel stack. Conventions: sched_test.h.
 */
#include <kernel/completion.h>
#include <kernel/delay_point.h>
#include <lib/string.h>
#include <arch/mmu_context.h>
#include <kernel/sched/mm.h>
#include <mm/mmap_lock.h>
#include <mm/oom.h>
#include <mm/vmalloc.h>
#include <arch/extable.h>
#include "sched_test.h"

/* Sleep interruptibly until kthread_stop(). */
static int idle_until_stopped(void *unused)
{
	(void)unused;
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (kthread_should_stop())
			break;
		schedule();
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

/* ------------------------------------------------- kthreads and task lifetime */

static int count_until_stopped(void *data)
{
	int *counter = data;

	while (!kthread_should_stop()) {
		(*counter)++;
		msleep(5);
	}
	return 42;
}

static int sleep_until_stopped(void *unused)
{
	idle_until_stopped(unused);
	return 7;
}

/* kthread_stop() makes kthread_should_stop() true, wakes the thread and returns what threadfn returned. */
KTEST(sched_kthread_stop_returns_value)
{
	unsigned long freed = nr_tasks_freed, pages = nr_free_pages();
	int counter = 0;

	struct task_struct *t = kthread_run(count_until_stopped, &counter, "kt_count");
	KT_ASSERT(!IS_ERR(t));
	msleep(50);
	KT_ASSERT_EQ(kthread_stop(t), 42);
	KT_ASSERT(counter > 0);

	/* One that sleeps interruptibly: kthread_stop()'s wake-up is what ends it. */
	t = kthread_run(sleep_until_stopped, NULL, "kt_sleep");
	KT_ASSERT(!IS_ERR(t));
	KT_ASSERT(WAIT_FOR(asleep_in(t, TASK_INTERRUPTIBLE), 2));
	KT_ASSERT_EQ(kthread_stop(t), 7);
	KT_ASSERT_ALL_FREED(freed, 2, pages);
}

static int mark_ran(void *data)
{
	*(volatile int *)data = 1;
	return 0;
}

/* A kthread stopped before it was ever woken never runs threadfn; kthread_stop() returns -EINTR. */
KTEST(sched_kthread_stop_never_woken)
{
	unsigned long freed = nr_tasks_freed, pages = nr_free_pages();
	volatile int ran = 0;

	struct task_struct *t = kthread_create(mark_ran, (void *)&ran, "kt_never");
	KT_ASSERT(!IS_ERR(t));
	KT_ASSERT_EQ(kthread_stop(t), -EINTR);
	KT_ASSERT_EQ(ran, 0);
	KT_ASSERT_ALL_FREED(freed, 1, pages);
}

static int return_arg(void *data)
{
	return (int)(long)data;
}

/*
 * A reference keeps the task struct (and its stack) alive past do_exit():
 * once the thread has made its last switch, ours is the only reference, the
 * fields are still readable and nothing was freed; put_task_struct() frees
 * it at once.
 */
KTEST(sched_task_struct_outlives_exit)
{
	unsigned long freed = nr_tasks_freed, pages = nr_free_pages();

	struct task_struct *t = kthread_create(return_arg, (void *)5L, "kt_ref");
	KT_ASSERT(!IS_ERR(t));
	pid_t pid = t->pid;
	get_task_struct(t);
	wake_up_process(t);
	bool dead = WAIT_FOR(READ_ONCE(t->state) == TASK_DEAD && !READ_ONCE(t->on_rq), 2);
	KT_ASSERT_MSG(dead, "the thread did not exit (state %ld)", t->state);
	KT_ASSERT_EQ(t->exit_state, EXIT_DEAD);	/* a kthread is reaped at once */
	KT_ASSERT_EQ(t->usage, 1);
	KT_ASSERT_EQ(t->pid, pid);
	KT_ASSERT_STREQ(t->comm, "kt_ref");
	KT_ASSERT(t->flags & PF_EXITING);
	KT_ASSERT_EQ(t->exit_code, 5);
	KT_ASSERT_EQ(nr_tasks_freed, freed);
	KT_ASSERT_EQ(kthread_stop(t), 5);	/* still valid: we hold a reference */
	KT_ASSERT_EQ(nr_tasks_freed, freed);
	put_task_struct(t);
	KT_ASSERT_EQ(nr_tasks_freed, freed + 1);
	KT_ASSERT_EQ(nr_free_pages(), pages);
}

static int msleep_then_return(void *data)
{
	msleep(50);
	return (int)(long)data;
}

/* kernel_wait() on a child with exit_signal SIGCHLD: it returns the child's pid and exit code, zombie or not. */
KTEST(sched_kernel_wait_child)
{
	unsigned long freed = nr_tasks_freed, pages = nr_free_pages();
	int status = -1;

	/* The child is a zombie before we wait. */
	struct task_struct *t = create_kernel_task(return_arg, (void *)7L, "wait_child", SIGCHLD);
	KT_ASSERT(!IS_ERR(t));
	pid_t pid = t->pid;
	KT_ASSERT_EQ(t->parent, current);
	wake_up_process(t);
	KT_ASSERT(WAIT_FOR(READ_ONCE(t->exit_state) == EXIT_ZOMBIE, 2));	/* the zombie keeps t valid */
	KT_ASSERT_EQ(task_state_char(t), 'Z');
	KT_ASSERT_EQ(kernel_wait(pid, &status), pid);
	KT_ASSERT_EQ(status, 7);
	KT_ASSERT_EQ(kernel_wait(pid, &status), -ECHILD);

	/* We wait first: kernel_wait() sleeps until the child exits. */
	t = create_kernel_task(msleep_then_return, (void *)9L, "wait_child2", SIGCHLD);
	KT_ASSERT(!IS_ERR(t));
	pid = t->pid;
	wake_up_process(t);
	unsigned long j0 = jiffies;
	status = -1;
	KT_ASSERT_EQ(kernel_wait(pid, &status), pid);
	KT_ASSERT_EQ(status, 9);
	KT_ASSERT(jiffies - j0 >= msecs_to_jiffies(50));
	KT_ASSERT_ALL_FREED(freed, 2, pages);
}

struct wait_probe {
	int mode;		/* 0: no children, wait(-1); 1: wait(1); 2: kthread child, wait(-1); 3: wait(its pid) */
	long ret;
	struct task_struct *kchild;
	volatile int done;
};

static int wait_probe_fn(void *data)
{
	struct wait_probe *w = data;
	pid_t pid = w->mode == 1 ? 1 : -1;

	if (w->mode >= 2) {
		w->kchild = ktest_start_thread(idle_until_stopped, NULL, "wp_kchild");
		if (!w->kchild) {
			w->ret = -ENOMEM;
			goto out;
		}
		if (w->mode == 3)
			pid = w->kchild->pid;
	}
	w->ret = kernel_wait(pid, NULL);
	flush_signals(current);
out:
	WRITE_ONCE(w->done, 1);
	return 0;
}

/*
 * Run kernel_wait() in a helper thread (it acts on the caller's children).
 * If it has not returned within a second it is stuck: interrupt it with a
 * signal (kernel_wait() then returns -EINTR) so the suite goes on.
 */
static bool run_wait_probe(struct wait_probe *w)
{
	struct task_struct *h = ktest_start_thread(wait_probe_fn, w, "wait_probe");
	bool returned;

	if (!h)
		return false;
	returned = WAIT_FOR(w->done, 1);
	if (!returned) {
		send_sig(SIGUSR1, h, 1);
		WAIT_FOR(w->done, 2);
	}
	if (w->kchild)
		ktest_stop_thread(w->kchild);
	ktest_stop_thread(h);
	return returned;
}

/* -ECHILD when the caller has no child to wait for. */
KTEST(sched_kernel_wait_echild)
{
	unsigned long freed = nr_tasks_freed, pages = nr_free_pages();
	struct wait_probe none = { .mode = 0 }, not_child = { .mode = 1 };

	KT_ASSERT_EQ(kernel_wait(PID_MAX - 1, NULL), -ECHILD);	/* no such task */
	bool r0 = run_wait_probe(&none);
	bool r1 = run_wait_probe(&not_child);
	KT_ASSERT_MSG(r0 && none.ret == -ECHILD, "no children: kernel_wait(-1) returned %ld (returned in time: %d)",
		      none.ret, r0);
	KT_ASSERT_MSG(r1 && not_child.ret == -ECHILD, "kernel_wait(1) returned %ld (in time: %d)", not_child.ret, r1);
	KT_ASSERT_ALL_FREED(freed, 2, pages);
}

/*
 * kernel_wait() waits only for children with exit_signal >= 0 (sched.h);
 * a kthread child (exit_signal -1, reaped by itself) is not one, so with
 * only such a child kernel_wait(-1) and kernel_wait(its pid) return -ECHILD,
 * as wait4() without __WALL does in Linux.
 */
KTEST(sched_kernel_wait_skips_kthread_children)
{
	unsigned long freed = nr_tasks_freed, pages = nr_free_pages();
	struct wait_probe any = { .mode = 2 }, by_pid = { .mode = 3 };

	bool r2 = run_wait_probe(&any);
	bool r3 = run_wait_probe(&by_pid);
	KT_ASSERT_MSG(r2 && any.ret == -ECHILD && r3 && by_pid.ret == -ECHILD,
		      "only a kthread child: wait(-1) %s %ld, wait(its pid) %s %ld; expected -ECHILD",
		      r2 ? "returned" : "blocked, signalled:", any.ret, r3 ? "returned" : "blocked, signalled:",
		      by_pid.ret);
	KT_ASSERT_ALL_FREED(freed, 4, pages);
}

struct orphan_test {
	struct task_struct *zombie, *alive;	/* the parent's children; we hold references */
	pid_t zombie_pid, alive_pid;
	struct completion release;		/* lets `alive` exit */
	bool zombie_seen;
	volatile int parent_done;		/* the parent's threadfn is about to return */
};

static int wait_then_exit(void *data)
{
	struct orphan_test *o = data;

	wait_for_completion(&o->release);
	return 22;
}

/* Makes two SIGCHLD children, lets one become a zombie, and exits without waiting for either. */
static int orphan_parent_fn(void *data)
{
	struct orphan_test *o = data;
	struct task_struct *z = create_kernel_task(return_arg, (void *)11L, "orphan_zombie", SIGCHLD);
	struct task_struct *a = create_kernel_task(wait_then_exit, o, "orphan_alive", SIGCHLD);

	if (IS_ERR(z) || IS_ERR(a)) {
		WRITE_ONCE(o->parent_done, 1);
		return -ENOMEM;		/* leaks the other: the test fails anyway */
	}
	get_task_struct(z);
	get_task_struct(a);
	o->zombie = z;
	o->alive = a;
	o->zombie_pid = z->pid;
	o->alive_pid = a->pid;
	wake_up_process(z);
	wake_up_process(a);
	o->zombie_seen = WAIT_FOR(READ_ONCE(z->exit_state) == EXIT_ZOMBIE, 2);
	WRITE_ONCE(o->parent_done, 1);
	return 0;
}

/* When a parent exits, its children (a zombie and a live one) are adopted by init, which reaps them. */
KTEST(sched_orphans_reparented_to_init)
{
	unsigned long freed = nr_tasks_freed, pages = nr_free_pages();
	struct orphan_test o = { 0 };
	int zs = -1, as = -1;

	KT_ASSERT_EQ(child_reaper, current);	/* the tests run in init */
	init_completion(&o.release);
	struct task_struct *p = ktest_start_thread(orphan_parent_fn, &o, "orphan_parent");
	KT_ASSERT(p);
	WAIT_FOR(o.parent_done, 3);
	int pret = ktest_stop_thread(p);	/* returns when its threadfn has; do_exit() follows */
	KT_ASSERT_EQ(pret, 0);
	KT_ASSERT(o.zombie && o.alive);
	bool adopted = WAIT_FOR(READ_ONCE(o.zombie->parent) == current && READ_ONCE(o.alive->parent) == current, 2);
	pid_t rz = kernel_wait(o.zombie_pid, &zs);
	complete(&o.release);
	pid_t ra = kernel_wait(o.alive_pid, &as);
	put_task_struct(o.zombie);
	put_task_struct(o.alive);
	KT_ASSERT(o.zombie_seen);
	KT_ASSERT_MSG(adopted, "the orphans were not reparented to init");
	KT_ASSERT_EQ(rz, o.zombie_pid);
	KT_ASSERT_EQ(zs, 11);
	KT_ASSERT_EQ(ra, o.alive_pid);
	KT_ASSERT_EQ(as, 22);
	KT_ASSERT_ALL_FREED(freed, 3, pages);
}

/* ------------------------------------------------------- exit_mm()'s order */

#define EXIT_MM_POINT "exit_mm_after_mm_cleared"
#define EXIT_MM_BASE 0x400000UL

/* An mm with one anonymous VMA and its page present, as a user program's would be. */
static struct mm_struct *mm_with_a_page(void)
{
	const unsigned long flags = VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE;
	struct mm_struct *mm = mm_alloc();

	if (!mm)
		return NULL;
	mmap_write_lock(mm);
	struct vm_area_struct *vma = vma_alloc(mm, EXIT_MM_BASE, EXIT_MM_BASE + PAGE_SIZE, flags, NULL, 0);
	if (vma) {
		vma->vm_page_prot = vm_get_page_prot(flags);
		vma_link(mm, vma);
	}
	bool ok = vma && !fault_in_user(mm, EXIT_MM_BASE, true);
	mmap_write_unlock(mm);
	if (!ok) {
		mmput(mm);
		return NULL;
	}
	return mm;
}

/* Take mm as our own (as exec installs one), then exit: do_exit() -> exit_mm() gives it up. */
static int exit_with_mm(void *data)
{
	struct mm_struct *mm = data;

	task_lock(current);
	current->mm = current->active_mm = mm;
	switch_mm(NULL, mm);
	task_unlock(current);
	return 0;
}

/*
 * exit_mm() clears ->mm under task_lock() before its mmput(): held in between (the delay
 * point), the exiting task is found with no mm by every reader that goes through ->mm
 * (under task_lock, and find_lock_task_mm(), the OOM killer's and /proc/PID/oom_score's),
 * while the mm is still whole: its mm_users is the task's, its VMA still there. With
 * mmput() first, a reader at that point would reach an mm already torn down.
 */
KTEST(sched_exit_mm_clears_mm_before_mmput)
{
	unsigned long freed = nr_tasks_freed, pages = nr_free_pages();
	struct mm_struct *mm = mm_with_a_page(), *seen;
	struct task_struct *found;
	char cmd[64];

	KT_ASSERT(mm);
	mmgrab(mm);			/* the struct outlives the exit, for the checks after it */
	struct task_struct *t = kthread_create(exit_with_mm, mm, "exit_mm_test");
	KT_ASSERT(!IS_ERR(t));
	get_task_struct(t);
	snprintf(cmd, sizeof(cmd), EXIT_MM_POINT ":hold@pid=%d", t->pid);
	KT_ASSERT_EQ(delay_point_control(cmd), 0);
	wake_up_process(t);
	bool held = WAIT_FOR(delay_point_waiters(EXIT_MM_POINT) == 1, 5);
	task_lock(t);
	seen = t->mm;
	task_unlock(t);
	found = find_lock_task_mm(t);
	if (found)
		task_unlock(found);
	int users = READ_ONCE(mm->mm_users), vmas = READ_ONCE(mm->map_count);
	delay_point_control(EXIT_MM_POINT ":off");
	bool put = WAIT_FOR(READ_ONCE(mm->mm_users) == 0, 5);
	int vmas_after = READ_ONCE(mm->map_count);
	put_task_struct(t);
	mmdrop(mm);
	KT_ASSERT(held);
	KT_ASSERT_MSG(!seen && !found, "the exiting task still has its mm at " EXIT_MM_POINT);
	KT_ASSERT_MSG(users == 1 && vmas == 1, "the mm was put before ->mm was cleared: mm_users %d, %d VMAs",
		      users, vmas);
	KT_ASSERT(put);
	KT_ASSERT_EQ(vmas_after, 0);	/* the last mmput() tore it down */
	KT_ASSERT_ALL_FREED(freed, 1, pages);
}

/* -------------------------------------------------------------- guard page */

struct stack_probe {
	int below, bottom, top, above;
};

static void probe_stack(const void *stack, struct stack_probe *p)
{
	u8 v;

	p->below = probe_read_u8((const u8 *)stack - 1, &v);
	p->bottom = probe_read_u8(stack, &v);
	p->top = probe_read_u8((const u8 *)stack + THREAD_SIZE - 1, &v);
	p->above = probe_read_u8((const u8 *)stack + THREAD_SIZE, &v);
}

static int probe_own_stack(void *data)
{
	probe_stack(current->stack, data);
	return 0;
}

/*
 * A kthread's stack is THREAD_SIZE of mapped vmalloc pages; the page just
 * below it (where an overflow would go) is unmapped, and so is the one just
 * above (vmalloc's guard). Checked from outside before the thread runs, and
 * by the thread itself while running on that stack.
 */
KTEST(sched_stack_guard_page)
{
	unsigned long freed = nr_tasks_freed, pages = nr_free_pages();
	struct stack_probe outside, inside = { -1, -1, -1, -1 };
	u8 v;

	struct task_struct *t = kthread_create(probe_own_stack, &inside, "guard_probe");
	KT_ASSERT(!IS_ERR(t));
	get_task_struct(t);
	const u8 *stack = t->stack;
	bool vmalloced = is_vmalloc_addr(stack) && IS_ALIGNED((unsigned long)stack, PAGE_SIZE);
	int guard = probe_read_u8(stack - PAGE_SIZE, &v);
	int mapped = 0;
	for (unsigned long off = 0; off < THREAD_SIZE; off += PAGE_SIZE)
		mapped |= probe_read_u8(stack + off, &v);
	probe_stack(stack, &outside);
	wake_up_process(t);
	WAIT_FOR(READ_ONCE(inside.above) != -1, 2);	/* it ran: kthread_stop() now cannot pre-empt threadfn */
	int ret = ktest_stop_thread(t);

	KT_ASSERT(vmalloced);
	KT_ASSERT_EQ(guard, PROBE_FAULT(14));
	KT_ASSERT_EQ(outside.below, PROBE_FAULT(14));
	KT_ASSERT_EQ(mapped, 0);
	KT_ASSERT_EQ(outside.bottom, 0);
	KT_ASSERT_EQ(outside.top, 0);
	KT_ASSERT_EQ(outside.above, PROBE_FAULT(14));
	KT_ASSERT_EQ(ret, 0);	/* threadfn ran and returned 0 */
	KT_ASSERT_EQ(inside.below, PROBE_FAULT(14));
	KT_ASSERT_EQ(inside.bottom, 0);
	KT_ASSERT_EQ(inside.top, 0);
	KT_ASSERT_EQ(inside.above, PROBE_FAULT(14));
	KT_ASSERT_ALL_FREED(freed, 1, pages);
}

/* A shorter name replaces a longer one whole: no byte of the old one stays after the NUL (exec). */
KTEST(sched_set_task_comm_pads)
{
	struct task_struct *t = kthread_create(return_arg, (void *)0L, "kt_comm_longname");
	char want[TASK_COMM_LEN] = "sh";

	KT_ASSERT(!IS_ERR(t));
	KT_ASSERT_STREQ(t->comm, "kt_comm_longnam");	/* cut to 15 characters and a NUL */
	task_lock(t);
	__set_task_comm(t, "sh");
	task_unlock(t);
	char got[TASK_COMM_LEN];
	memcpy(got, t->comm, sizeof(got));
	kthread_stop(t);	/* it never ran: stopped before its function */
	KT_ASSERT_STREQ(got, "sh");
	KT_ASSERT_MSG(!memcmp(got, want, sizeof(want)), "bytes after the NUL: %02x %02x %02x %02x ...",
		      (u8)got[3], (u8)got[4], (u8)got[5], (u8)got[6]);
}
