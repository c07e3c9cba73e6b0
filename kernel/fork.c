/*
 * Creating tasks (Linux: kernel/fork.c, kernel/pid.c).
 *
 * A new task gets a pid, a struct task_struct from its slab cache, a
 * THREAD_SIZE kernel stack from vmalloc() (so an unmapped guard page lies
 * below it and an overflow faults instead of corrupting a neighbour), and a
 * first stack frame that makes its first scheduling "return" into
 * ret_from_fork_asm. It starts not runnable; wake_up_process() starts it.
 *
 * References (->usage): one for the task itself, dropped by the scheduler
 * after the task's last switch-out (finish_task_switch()), and one for the
 * task list, dropped when the task is reaped (release_task()). Anyone else
 * who keeps the pointer takes their own.
 *
 * Locking: pidmap_lock guards the pid bitmap; tasklist_lock (irqsave) guards
 * the task list and the parent/children links. Walkers of the list hold
 * tasklist_lock and take a reference on any task they use after dropping it.
 */
#include <kernel/kernel.h>
#include <kernel/sched.h>
#include <kernel/kthread.h>
#include <lib/string.h>
#include <uapi/errno.h>
#include <mm/slab.h>
#include <mm/vmalloc.h>

DEFINE_SPINLOCK(tasklist_lock);
static DEFINE_SPINLOCK(pidmap_lock);
static unsigned long pidmap[PID_MAX / (8 * sizeof(unsigned long))];
static pid_t last_pid;
static struct kmem_cache *task_struct_cachep, *signal_cachep;
unsigned long nr_tasks_freed;

extern char ret_from_fork_asm[];

/* Next free pid after the last one handed out, wrapping, as Linux does: recent pids are not reused at once. */
static pid_t alloc_pid(void)
{
	unsigned long flags;
	pid_t pid = -EAGAIN;

	spin_lock_irqsave(&pidmap_lock, flags);
	for (int i = 1; i < PID_MAX; i++) {
		pid_t cand = (last_pid + i) % PID_MAX;
		if (cand == 0)
			continue;
		unsigned long *word = &pidmap[cand / (8 * sizeof(long))];
		unsigned long bit = 1UL << (cand % (8 * sizeof(long)));
		if (!(*word & bit)) {
			*word |= bit;
			pid = last_pid = cand;
			break;
		}
	}
	spin_unlock_irqrestore(&pidmap_lock, flags);
	return pid;
}

void free_pid(pid_t pid)
{
	unsigned long flags;

	spin_lock_irqsave(&pidmap_lock, flags);
	pidmap[pid / (8 * sizeof(long))] &= ~(1UL << (pid % (8 * sizeof(long))));
	spin_unlock_irqrestore(&pidmap_lock, flags);
}

void get_task_struct(struct task_struct *p)
{
	int old = __atomic_fetch_add(&p->usage, 1, __ATOMIC_RELAXED);
	WARN_ON_ONCE(old <= 0);		/* a reference to a freed task */
}

static void free_task(struct task_struct *p)
{
	vfree(p->stack);
	if (p->signal && __atomic_sub_fetch(&p->signal->refcount, 1, __ATOMIC_ACQ_REL) == 0)
		kmem_cache_free(signal_cachep, p->signal);
	kfree(p->kthread);
	kmem_cache_free(task_struct_cachep, p);
	nr_tasks_freed++;
}

void put_task_struct(struct task_struct *p)
{
	int left = __atomic_sub_fetch(&p->usage, 1, __ATOMIC_ACQ_REL);

	if (left > 0)
		return;
	if (WARN_ON(left < 0 || p == &init_task))
		return;		/* more puts than gets: leave the memory alone */
	free_task(p);
}

struct task_struct *find_get_task_by_pid(pid_t pid)
{
	struct task_struct *p, *found = NULL;
	unsigned long flags;

	spin_lock_irqsave(&tasklist_lock, flags);
	list_for_each_entry(p, &init_task.tasks, tasks) {
		if (p->pid == pid) {
			get_task_struct(p);
			found = p;
			break;
		}
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return found;
}

/* The first frame: what __switch_to_asm pops, then its return into ret_from_fork_asm. */
static void copy_thread(struct task_struct *p, int (*fn)(void *), void *arg)
{
	/* Below the pt_regs at the top: the frame a return to user mode will use. */
	unsigned long *sp = (unsigned long *)task_pt_regs(p);

	*--sp = 0;				/* keeps the stack 16-byte aligned after the ret */
	*--sp = (unsigned long)ret_from_fork_asm;
	*--sp = 0;				/* rbp: ends the backtrace */
	*--sp = (unsigned long)fn;		/* rbx: NULL for a forked user task */
	*--sp = (unsigned long)arg;		/* r12 */
	*--sp = 0;				/* r13 */
	*--sp = 0;				/* r14 */
	*--sp = 0;				/* r15 */
	p->thread.sp = (unsigned long)sp;
}

struct task_struct *create_kernel_task(int (*fn)(void *), void *arg, const char *name, int exit_signal)
{
	struct task_struct *p = kmem_cache_zalloc(task_struct_cachep, GFP_KERNEL);
	unsigned long flags;

	if (!p)
		return ERR_PTR(-ENOMEM);
	p->stack = vmalloc(THREAD_SIZE);
	p->signal = kmem_cache_zalloc(signal_cachep, GFP_KERNEL);
	p->pid = alloc_pid();
	if (!p->stack || !p->signal || p->pid < 0) {
		long err = p->pid < 0 ? p->pid : -ENOMEM;
		if (p->pid > 0)
			free_pid(p->pid);
		vfree(p->stack);
		if (p->signal)
			kmem_cache_free(signal_cachep, p->signal);
		kmem_cache_free(task_struct_cachep, p);
		return ERR_PTR(err);
	}
	p->signal->refcount = 1;
	init_waitqueue_head(&p->signal->wait_chldexit);
	p->tgid = p->pid;
	p->state = TASK_UNINTERRUPTIBLE;	/* not runnable until wake_up_process() */
	p->flags = PF_KTHREAD;
	p->usage = 2;				/* itself, and the task list */
	p->saved_preempt_count = 1;		/* it starts inside the scheduler, holding rq->lock */
	p->exit_signal = exit_signal;
	p->group_leader = p;
	INIT_LIST_HEAD(&p->thread_group);
	strlcpy(p->comm, name, sizeof(p->comm));
	spin_lock_init(&p->alloc_lock);
	spin_lock_init(&p->pi_lock);
	p->alloc_lock.name = "task_lock";
	p->pi_lock.name = "pi_lock";
	INIT_LIST_HEAD(&p->children);
	INIT_LIST_HEAD(&p->run_list);
	copy_thread(p, fn, arg);

	spin_lock_irqsave(&tasklist_lock, flags);
	p->parent = current;
	list_add_tail(&p->sibling, &current->children);
	list_add_tail(&p->tasks, &init_task.tasks);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return p;
}

void fork_init(void)
{
	task_struct_cachep = kmem_cache_create("task_struct", sizeof(struct task_struct), 64, 0, NULL);
	signal_cachep = kmem_cache_create("signal_cache", sizeof(struct signal_struct), 8, 0, NULL);
	if (!task_struct_cachep || !signal_cachep)
		panic("fork_init: cannot create the task caches");
	init_task.signal = kmem_cache_zalloc(signal_cachep, GFP_KERNEL);
	init_task.signal->refcount = 1;
	init_waitqueue_head(&init_task.signal->wait_chldexit);
	pidmap[0] |= 1;		/* pid 0 is the idle task's */
}
