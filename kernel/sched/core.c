/*
 * The scheduler (Linux: kernel/sched/core.c, with round-robin instead of CFS).
 *
 * Policy: one run queue per CPU (one CPU runs), first in first out. A task
 * runs until it sleeps, yields, or uses up its slice of SCHED_SLICE_TICKS
 * timer ticks; then it goes to the back of the queue. Enqueue and dequeue
 * are O(1) list operations. A wake-up does not preempt the running task
 * (except the idle task): it only queues the woken one. The idle task runs
 * when the queue is empty and halts the CPU.
 *
 * Preemption: kernel code is preempted whenever preempt_count is 0 and
 * TIF_NEED_RESCHED is set: on return from an interrupt (preempt_schedule_irq)
 * and when preempt_enable() brings the count to 0 (preempt_schedule).
 *
 * Wake-ups are never lost: a sleeper sets its state before its last check of
 * the condition (set_current_state() is a full barrier); the waker makes the
 * condition true, then, holding p->pi_lock (an atomic, so also a barrier),
 * reads the state and sets TASK_RUNNING under rq->lock. __schedule() decides
 * whether prev leaves the queue under the same rq->lock, so it either sees
 * TASK_RUNNING and keeps prev, or has already dequeued it and the waker
 * queues it again.
 *
 * Locking: rq->lock (taken with interrupts off) guards the queue, ->on_rq,
 * ->state changes made by the scheduler, and is held across the stack switch:
 * the next task releases it (finish_task_switch()). p->pi_lock serialises
 * wake-ups of p. preempt_count is saved and restored per task at the switch,
 * so a task that (wrongly) schedules while atomic cannot leak its count to
 * the others.
 */
#include <kernel/kernel.h>
#include <kernel/sched.h>
#include <kernel/sched/task.h>
#include <kernel/sched/wake_q.h>
#include <kernel/kernel_stat.h>
#include <kernel/time.h>
#include <kernel/timer.h>
#include <kernel/wait.h>
#include <arch/desc.h>
#include <arch/irqflags.h>
#include <arch/traps.h>
#include <arch/mmu_context.h>
#include <arch/switch_to.h>
#include <arch/setup.h>
#include <kernel/uaccess.h>

struct rq {
	spinlock_t lock;
	struct list_head queue;		/* runnable tasks other than curr */
	unsigned long nr_running;	/* on the queue */
	unsigned long nr_uninterruptible;	/* asleep in TASK_UNINTERRUPTIBLE, counting as load */
	struct task_struct *curr, *idle;
	unsigned long nr_switches;
};

struct task_struct init_task = {
	.state = TASK_RUNNING,
	.flags = PF_KTHREAD | PF_IDLE,
	.usage = 2,
	.on_rq = 1,
	.pid = 0,
	.comm = "swapper/0",
	.exit_signal = -1,
	.alloc_lock = __SPIN_LOCK_UNLOCKED(init_task.alloc_lock),
	.pi_lock = __SPIN_LOCK_UNLOCKED(init_task.pi_lock),
	.children = LIST_HEAD_INIT(init_task.children),
	.sibling = LIST_HEAD_INIT(init_task.sibling),
	.tasks = LIST_HEAD_INIT(init_task.tasks),
	.run_list = LIST_HEAD_INIT(init_task.run_list),
	.stack = boot_stack,
	.group_leader = &init_task,
	.thread_group = LIST_HEAD_INIT(init_task.thread_group),
};

static struct rq runqueue = {
	.lock = __SPIN_LOCK_UNLOCKED(runqueue.lock),
	.queue = LIST_HEAD_INIT(runqueue.queue),
	.curr = &init_task,
	.idle = &init_task,
};
static bool scheduler_running;
unsigned long sched_bug_count;

static void enqueue_task(struct rq *rq, struct task_struct *p)
{
	list_add_tail(&p->run_list, &rq->queue);
	rq->nr_running++;
}

static struct task_struct *pick_next_task(struct rq *rq)
{
	if (list_empty(&rq->queue))
		return rq->idle;
	struct task_struct *p = list_first_entry(&rq->queue, struct task_struct, run_list);
	list_del_init(&p->run_list);
	rq->nr_running--;
	return p;
}

/* The second half of a switch, run by the task switched to. */
static void finish_task_switch(struct task_struct *prev)
{
	bool dead = prev->state == TASK_DEAD && !prev->on_rq;	/* its last switch-out */

	spin_unlock(&runqueue.lock);
	if (dead)
		put_task_struct(prev);	/* the reference a task holds on itself while it can run */
}

/* A new task's first code (from ret_from_fork_asm). */
void schedule_tail(struct task_struct *prev)
{
	finish_task_switch(prev);
	local_irq_enable();
	if (current->set_child_tid)	/* CLONE_CHILD_SETTID: the child writes its tid itself */
		put_user(current->pid, current->set_child_tid);
}

static __sched struct task_struct *context_switch(struct rq *rq, struct task_struct *prev,
					  struct task_struct *next)
{
	rq->nr_switches++;
	rq->curr = next;
	prev->saved_preempt_count = this_cpu()->preempt_count;
	this_cpu()->preempt_count = next->saved_preempt_count;
	this_cpu()->curr_task = next;
	/* Entries from user mode (interrupts: TSS.rsp0; syscalls: the per-CPU copy) land on next's stack. */
	this_cpu()->kernel_stack_top = this_cpu()->tss->rsp[0] = (u64)next->stack + THREAD_SIZE;
	/*
	 * Kernel threads run on the kernel's own page tables (Linux lets them
	 * borrow the previous mm lazily, which saves a TLB flush).
	 */
	switch_mm(prev->active_mm, next->mm);
	next->active_mm = next->mm;
	switch_to_extra(prev, next);
	return __switch_to_asm(&prev->thread.sp, &next->thread.sp, prev);
}

static void schedule_debug(struct task_struct *prev)
{
	if (likely(preempt_count() == 0))
		return;
	sched_bug_count++;
	pr_err("BUG: scheduling while atomic: %s/%d/0x%08x\n", prev->comm, prev->pid, preempt_count());
	dump_stack();
	add_taint(TAINT_WARN);
}

static void __sched __schedule(bool preempt)
{
	struct rq *rq = &runqueue;
	struct task_struct *prev = current, *next;
	unsigned long flags;

	schedule_debug(prev);
	local_irq_save(flags);
	spin_lock(&rq->lock);
	if (!preempt && prev->state != TASK_RUNNING) {
		if (signal_pending_state(prev->state, prev)) {
			prev->state = TASK_RUNNING;	/* a signal came before we slept: don't */
		} else {
			prev->on_rq = 0;
			prev->sleep_start = jiffies;
			prev->nvcsw++;
			/* Linux's task_contributes_to_load(): D-state sleeps count in the load average. */
			prev->sched_contributes_to_load = (prev->state & TASK_UNINTERRUPTIBLE) && !(prev->state & TASK_NOLOAD);
			if (prev->sched_contributes_to_load)
				rq->nr_uninterruptible++;
		}
	} else if (preempt) {
		prev->nivcsw++;
	}
	if (prev->on_rq && prev != rq->idle)
		enqueue_task(rq, prev);
	next = pick_next_task(rq);
	clear_tsk_thread_flag(prev, TIF_NEED_RESCHED);
	if (!next->time_slice)
		next->time_slice = SCHED_SLICE_TICKS;

	if (next != prev) {
		prev = context_switch(rq, prev, next);
		finish_task_switch(prev);	/* prev: the task that switched to us */
	} else {
		spin_unlock(&rq->lock);
	}
	local_irq_restore(flags);
}

void __sched schedule(void)
{
	__schedule(false);
}

/* preempt_enable() brought the count to 0: preempt if asked to and allowed. */
void __sched preempt_schedule(void)
{
	if (!scheduler_running || preempt_count() || irqs_disabled() || !need_resched())
		return;
	__schedule(true);
}

void preempt_check_resched(void)
{
	if (scheduler_running && current && need_resched())
		preempt_schedule();
}

/* On return from an interrupt or exception to kernel code with interrupts on. */
void __sched preempt_schedule_irq(void)
{
	while (need_resched())
		__schedule(true);
}

void __sched cond_resched(void)
{
	might_sleep();
	if (need_resched())
		__schedule(true);
}

void __sched yield(void)
{
	set_tsk_thread_flag(current, TIF_NEED_RESCHED);
	__schedule(true);
}

/* Wake p if its state is one of `state`; returns 1 if it was woken. */
int wake_up_state(struct task_struct *p, unsigned int state)
{
	struct rq *rq = &runqueue;
	unsigned long flags;
	int woken = 0;

	spin_lock_irqsave(&p->pi_lock, flags);
	if (!(READ_ONCE(p->state) & state))
		goto out;
	spin_lock(&rq->lock);
	p->state = TASK_RUNNING;
	if (!p->on_rq) {
		if (p->sched_contributes_to_load)
			rq->nr_uninterruptible--;
		p->sched_contributes_to_load = 0;
		p->on_rq = 1;
		enqueue_task(rq, p);
		if (rq->curr == rq->idle)
			set_tsk_thread_flag(rq->idle, TIF_NEED_RESCHED);
	}
	spin_unlock(&rq->lock);
	woken = 1;
out:
	spin_unlock_irqrestore(&p->pi_lock, flags);
	return woken;
}

int wake_up_process(struct task_struct *p)
{
	return wake_up_state(p, TASK_NORMAL);
}

void wake_q_add(struct wake_q_head *q, struct task_struct *p)
{
	get_task_struct(p);
	p->wake_q_next = q->first;
	q->first = p;
}

void wake_up_q(struct wake_q_head *q)
{
	while (q->first) {
		struct task_struct *p = q->first;
		q->first = p->wake_q_next;
		p->wake_q_next = NULL;
		wake_up_process(p);
		put_task_struct(p);
	}
}

/* From the timer interrupt: charge the tick to the running task. */
void scheduler_tick(void)
{
	struct task_struct *curr = current;

	if (!scheduler_running)
		return;
	calc_global_load();
	if (curr == runqueue.idle) {
		if (runqueue.nr_running)
			set_tsk_thread_flag(curr, TIF_NEED_RESCHED);
		return;
	}
	if (curr->time_slice && --curr->time_slice == 0 && runqueue.nr_running)
		set_tsk_thread_flag(curr, TIF_NEED_RESCHED);
	else if (!curr->time_slice)
		curr->time_slice = SCHED_SLICE_TICKS;	/* alone on the CPU: a new slice */
}

void __might_sleep(const char *file, int line)
{
	static unsigned long last_report;

	if (!scheduler_running || (!preempt_count() && !irqs_disabled()))
		return;
	sched_bug_count++;
	if (last_report && jiffies == last_report)
		return;		/* one report per tick at most, like Linux's ratelimit */
	last_report = jiffies;
	pr_err("BUG: sleeping function called from invalid context at %s:%d\n", file, line);
	pr_err("in_atomic(): %d, irqs_disabled(): %d, non_block: 0, pid: %d, name: %s\n",
	       in_atomic() ? 1 : 0, irqs_disabled() ? 1 : 0, current->pid, current->comm);
	pr_err("preempt_count: %x, expected: 0\n", preempt_count());
	dump_stack();
	add_taint(TAINT_WARN);
}

__noreturn void cpu_idle(void)
{
	for (;;) {
		local_irq_disable();
		if (!need_resched()) {
			safe_halt();	/* sti; hlt: an interrupt between the check and hlt still wakes us */
			continue;
		}
		local_irq_enable();
		schedule();
	}
}

void sched_init(void)
{
	init_task.thread_flags = 0;
	this_cpu()->curr_task = &init_task;
	this_cpu()->kernel_stack_top = this_cpu()->tss->rsp[0] = (u64)boot_stack + THREAD_SIZE;
	scheduler_running = true;
	pr_info("sched: round-robin, %d ms slices (HZ=%d), preemptible kernel\n",
		SCHED_SLICE_TICKS * 1000 / HZ, HZ);
}

unsigned long nr_running(void)
{
	struct rq *rq = &runqueue;

	return READ_ONCE(rq->nr_running) + (READ_ONCE(rq->curr) != rq->idle);
}

unsigned long nr_uninterruptible(void)
{
	return READ_ONCE(runqueue.nr_uninterruptible);
}

u64 nr_context_switches(void)
{
	return READ_ONCE(runqueue.nr_switches);
}

/* Is addr in a function that only sleeps on its caller's behalf (__sched)? */
bool in_sched_functions(unsigned long addr)
{
	extern char __sched_text_start[], __sched_text_end[];

	return addr >= (unsigned long)__sched_text_start && addr < (unsigned long)__sched_text_end;
}

/* The letter ps and Linux's task dump use: R S D I T Z X. */
char task_state_char(const struct task_struct *p)
{
	long s = READ_ONCE(p->state);

	if (p->exit_state == EXIT_ZOMBIE) return 'Z';
	if (s == TASK_RUNNING) return 'R';
	if (s & TASK_INTERRUPTIBLE) return 'S';
	if (s == TASK_IDLE) return 'I';
	if (s & TASK_UNINTERRUPTIBLE) return 'D';
	if (s & __TASK_STOPPED) return 'T';
	return 'X';
}
