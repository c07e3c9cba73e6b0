/*
 * Creating tasks and address spaces (Linux: kernel/fork.c, kernel/pid.c).
 *
 * A new task gets a pid, a struct task_struct from its slab cache, a
 * THREAD_SIZE kernel stack from vmalloc() (so an unmapped guard page lies
 * below it and an overflow faults instead of corrupting a neighbour),
 * charged to the forking task's memory cgroup, and a first stack frame
 * that makes its first scheduling "return" into ret_from_fork_asm. It
 * starts not runnable; wake_up_process() starts it. It starts in its
 * parent's cgroups, or in the one clone3()'s CLONE_INTO_CGROUP names
 * (cgroup_can_fork() and cgroup_post_fork() bracket its linking, so no
 * migration or cgroup.kill misses it). fork, vfork, clone and clone3 all
 * go through kernel_clone() with a struct kernel_clone_args.
 *
 * References (->usage): one for the task itself, dropped by the scheduler
 * after the task's last switch-out (finish_task_switch()), and one for the
 * task list, dropped when the task is reaped (release_task()). Anyone else
 * who keeps the pointer takes their own.
 *
 * Address spaces are born here too: mm_alloc() for exec, dup_mm() for
 * fork (a copy-on-write copy of every VMA), each with its owner (mm->owner:
 * whose memory cgroup pays for its pages; docs/mm.md). Their lifetime follows two
 * counts (include/mm/mm_types.h): the last mmput() tears the mappings down
 * (exit_mmap()), the last mmdrop() frees the struct. mm_release() is what
 * exit and exec owe user space when a task leaves its mm: the vfork parent's
 * wake-up and the clear_child_tid futex.
 *
 * Locking: pidmap_lock guards the pid bitmap; tasklist_lock (irqsave) guards
 * the task list and the parent/children links. Walkers of the list hold
 * tasklist_lock and take a reference on any task they use after dropping it.
 * mm_users and mm_count are atomics; dup_mm() holds both mms' mmap_lock
 * for writing while it copies; get_task_mm() reads ->mm under task_lock
 * (docs/mm.md).
 */
#include <kernel/kernel.h>
#include <kernel/lock_debug.h>
#include <kernel/sched.h>
#include <kernel/sched/mm.h>
#include <kernel/sched/task.h>
#include <kernel/sched/signal.h>
#include <kernel/kthread.h>
#include <kernel/completion.h>
#include <kernel/delay_point.h>
#include <kernel/futex.h>
#include <kernel/uaccess.h>
#include <kernel/syscalls.h>
#include <kernel/cgroup.h>
#include <kernel/wait.h>
#include <kernel/kernel_stat.h>
#include <kernel/time.h>
#include <lib/string.h>
#include <uapi/errno.h>
#include <uapi/sched.h>
#include <mm/slab.h>
#include <mm/vmalloc.h>
#include <mm/mm.h>
#include <mm/vmstat.h>
#include <mm/mmap_lock.h>
#include <mm/memcontrol.h>
#include <fs/fs.h>
#include <arch/processor.h>
#include <arch/switch_to.h>

DEFINE_SPINLOCK(tasklist_lock);
static DEFINE_SPINLOCK(pidmap_lock);
static unsigned long pidmap[PID_MAX / (8 * sizeof(unsigned long))];
static pid_t last_pid;
int pid_max = PID_MAX;
static struct kmem_cache *task_struct_cachep, *signal_cachep, *mm_cachep;
unsigned long nr_tasks_freed;

/* The pid clone3()'s set_tid asks for: EEXIST if it is taken, EINVAL if it cannot be a pid. */
static pid_t alloc_pid_at(pid_t want)
{
	unsigned long *word = &pidmap[want / (8 * sizeof(long))];
	unsigned long bit = 1UL << (want % (8 * sizeof(long))), flags;
	pid_t pid = want;

	if (want <= 0 || want >= READ_ONCE(pid_max))
		return -EINVAL;
	spin_lock_irqsave(&pidmap_lock, flags);
	if (*word & bit)
		pid = -EEXIST;
	*word |= bit;
	spin_unlock_irqrestore(&pidmap_lock, flags);
	return pid;
}

/* Next free pid after the last one handed out, wrapping, as Linux does: recent pids are not reused at once. */
static pid_t alloc_pid(pid_t want)
{
	unsigned long flags;
	pid_t pid = -EAGAIN;

	if (want)
		return alloc_pid_at(want);
	spin_lock_irqsave(&pidmap_lock, flags);
	int max = READ_ONCE(pid_max);

	for (int i = 1; i < max; i++) {
		pid_t cand = (last_pid + i) % max;
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

static void put_signal(struct signal_struct *sig)
{
	if (!sig || __atomic_sub_fetch(&sig->refcount, 1, __ATOMIC_ACQ_REL))
		return;
	/* An OOM victim's mm is pinned for as long as its signal_struct lives (mark_oom_victim()). */
	if (sig->oom_mm)
		mmdrop(sig->oom_mm);
	kmem_cache_free(signal_cachep, sig);
}

/* The pages of p's stack in its group's kernel_stack and the system's, from fork to the free. */
static void account_kernel_stack(struct task_struct *p, int sign)
{
	for (unsigned long off = 0; off < THREAD_SIZE; off += PAGE_SIZE)
		mod_lruvec_page_state(vmalloc_to_page((char *)p->stack + off), NR_KERNEL_STACK_KB,
				      sign * (int)(PAGE_SIZE / 1024));
}

/*
 * A kernel stack, charged page by page to the forking task's memory cgroup
 * as Linux charges a vmalloc'd stack: -ENOMEM at the group's limit. The
 * charge goes back when vfree() frees the pages.
 */
static int alloc_thread_stack(struct task_struct *p)
{
	p->stack = vmalloc(THREAD_SIZE);
	if (!p->stack)
		return -ENOMEM;
	for (unsigned long off = 0; off < THREAD_SIZE; off += PAGE_SIZE) {
		if (__memcg_kmem_charge_page(vmalloc_to_page((char *)p->stack + off), GFP_KERNEL, 0)) {
			vfree(p->stack);
			p->stack = NULL;
			return -ENOMEM;
		}
	}
	account_kernel_stack(p, 1);
	return 0;
}

static void free_thread_stack(struct task_struct *p)
{
	if (!p->stack)
		return;
	account_kernel_stack(p, -1);
	vfree(p->stack);
}

static void free_task(struct task_struct *p)
{
	cgroup_release(p);
	free_thread_stack(p);
	put_signal(p->signal);
	put_sighand(p->sighand);
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

	*--sp = (unsigned long)ret_from_fork_asm;	/* after its ret, rsp is 16-aligned for the calls there */
	*--sp = 0;				/* rbp: ends the backtrace */
	*--sp = (unsigned long)fn;		/* rbx: NULL for a forked user task */
	*--sp = (unsigned long)arg;		/* r12 */
	*--sp = 0;				/* r13 */
	*--sp = 0;				/* r14 */
	*--sp = 0;				/* r15 */
	p->thread.sp = (unsigned long)sp;
}

static unsigned long max_threads;	/* Linux's: a task's stack may take at most 1/8 of memory */
static int nr_threads;			/* tasks alive; tasklist_lock */
unsigned long total_forks;		/* tasks created since boot (/proc/stat "processes"); tasklist_lock */

int nr_tasks(void)
{
	return READ_ONCE(nr_threads);
}

int last_allocated_pid(void)
{
	return READ_ONCE(last_pid);
}

static struct sighand_struct *copy_sighand(struct sighand_struct *old)
{
	struct sighand_struct *sh = kzalloc(sizeof(*sh), GFP_KERNEL);

	if (!sh)
		return NULL;
	sh->count = 1;
	spin_lock_init(&sh->siglock);
	if (old)
		memcpy(sh->action, old->action, sizeof(sh->action));
	return sh;
}

void put_sighand(struct sighand_struct *sh)
{
	if (sh && __atomic_sub_fetch(&sh->count, 1, __ATOMIC_ACQ_REL) == 0)
		kfree(sh);
}

static struct signal_struct *copy_signal(struct signal_struct *old)
{
	struct signal_struct *sig = kmem_cache_zalloc(signal_cachep, GFP_KERNEL);

	if (!sig)
		return NULL;
	sig->refcount = 1;
	sig->nr_threads = 1;
	init_waitqueue_head(&sig->wait_chldexit);
	if (old) {	/* what a new process inherits */
		sig->oom_score_adj = old->oom_score_adj;
		sig->pgrp = old->pgrp;
		sig->session = old->session;
		sig->tty = old->tty;
		task_lock(current->group_leader);	/* old is current's: setrlimit() holds this */
		sig->rlim_nofile = old->rlim_nofile;
		sig->rlim_stack = old->rlim_stack;
		sig->rlim_as = old->rlim_as;
		sig->rlim_data = old->rlim_data;
		memcpy(sig->rlim, old->rlim, sizeof(sig->rlim));
		task_unlock(current->group_leader);
	} else {
		init_rlimits(sig);
	}
	return sig;
}

struct mm_struct *mm_alloc(void)
{
	struct mm_struct *mm = kmem_cache_zalloc(mm_cachep, GFP_KERNEL);

	if (!mm)
		return NULL;
	mm->pgd = (pgd_t *)get_zeroed_page(GFP_KERNEL);
	if (!mm->pgd) {
		kmem_cache_free(mm_cachep, mm);
		return NULL;
	}
	/* The kernel half is shared: the same PUD tables as init_pgd (see arch/x86_64/pgtable.c). */
	memcpy(mm->pgd + PTRS_PER_TABLE / 2, init_pgd + PTRS_PER_TABLE / 2,
	       PTRS_PER_TABLE / 2 * sizeof(pgd_t));
	mm->mm_users = 1;
	mm->mm_count = 1;
	init_rwsem(&mm->mmap_lock);
	mm->mmap_lock.name = "mmap_lock";
	spin_lock_init(&mm->page_table_lock);
	mm->page_table_lock.name = "page_table_lock";
	INIT_LIST_HEAD(&mm->mmap);
	mm->mmap_base = MMAP_BASE;
	mm->owner = current;	/* exec's new mm is current's; fork's, the child's (dup_mm()) */
	return mm;
}

void mmgrab(struct mm_struct *mm)
{
	__atomic_add_fetch(&mm->mm_count, 1, __ATOMIC_RELAXED);
}

unsigned long bad_rss_count;	/* "Bad rss-counter state" reports since boot (tests) */

/*
 * An mm being freed has unmapped every page and freed every page table:
 * a counter left over means a fault, COW or zap counted wrong, and /proc's
 * figures with it. Reported as Linux's check_mm() reports it.
 */
static void check_mm(struct mm_struct *mm)
{
	static const char *const resident_page_types[NR_MM_COUNTERS] = {
		[MM_FILEPAGES] = "MM_FILEPAGES", [MM_ANONPAGES] = "MM_ANONPAGES", [MM_SHMEMPAGES] = "MM_SHMEMPAGES",
	};

	for (int i = 0; i < NR_MM_COUNTERS; i++) {
		long x = __atomic_load_n(&mm->rss_stat[i], __ATOMIC_RELAXED);
		if (x) {
			bad_rss_count++;
			pr_alert("BUG: Bad rss-counter state mm:%p type:%s val:%ld Comm:%s Pid:%d\n", (void *)mm,
				 resident_page_types[i], x, current->comm, current->pid);
		}
	}
	if (mm_pgtables_bytes(mm)) {
		bad_rss_count++;
		pr_alert("BUG: non-zero pgtables_bytes on freeing mm: %ld\n", (long)mm_pgtables_bytes(mm));
	}
	/* A task that left mmap_lock held (exit_mmap()'s handshake, say) would block whoever reuses it. */
	if (rwsem_is_locked(&mm->mmap_lock))
		lock_bug("WARNING: held lock freed!", "rw_semaphore", &mm->mmap_lock, mm->mmap_lock.name);
}

void mmdrop(struct mm_struct *mm)
{
	int left = __atomic_sub_fetch(&mm->mm_count, 1, __ATOMIC_ACQ_REL);

	if (left > 0)
		return;
	BUG_ON(left < 0 || mm->mm_users);
	check_mm(mm);
	free_page((unsigned long)mm->pgd);
	kmem_cache_free(mm_cachep, mm);
}

void mmget(struct mm_struct *mm)
{
	__atomic_add_fetch(&mm->mm_users, 1, __ATOMIC_RELAXED);
}

bool mmget_not_zero(struct mm_struct *mm)
{
	int users = __atomic_load_n(&mm->mm_users, __ATOMIC_RELAXED);

	while (users)
		if (__atomic_compare_exchange_n(&mm->mm_users, &users, users + 1, false, __ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED))
			return true;
	return false;
}

static void __mmput(struct mm_struct *mm)
{
	/*
	 * A named delay point: a test can stall a task right here, after its
	 * last mmput() and before exit_mmap(), when mm_users is 0 but nothing
	 * is unmapped yet. Only an mm_count reference can reach the mm then,
	 * which is why the OOM reaper pins with mmgrab() (docs/mm.md).
	 */
	delay_point("mmput_before_exit_mmap");
	exit_mmap(mm);
	if (mm->exe_file)
		fput(mm->exe_file);
	mmdrop(mm);	/* the reference all of mm_users held together */
}

void mmput(struct mm_struct *mm)
{
	might_sleep();
	if (__atomic_sub_fetch(&mm->mm_users, 1, __ATOMIC_ACQ_REL) == 0)
		__mmput(mm);
}

struct mm_struct *get_task_mm(struct task_struct *tsk)
{
	struct mm_struct *mm;

	task_lock(tsk);
	mm = tsk->mm;
	if (mm && (tsk->flags & PF_KTHREAD))
		mm = NULL;
	if (mm)
		mmget(mm);
	task_unlock(tsk);
	return mm;
}

/* Linux's mm_release(): the parts of exit and exec that concern user memory. */
void mm_release(struct task_struct *tsk)
{
	if (tsk->clear_child_tid) {
		/* pthread_join waits on this word: clear it and wake the joiner. */
		if (!put_user(0, tsk->clear_child_tid))
			futex_wake((u32 __user *)tsk->clear_child_tid, 1);
		tsk->clear_child_tid = NULL;
	}
	task_lock(tsk);		/* against a killed vfork parent taking it back (kernel_clone()) */
	struct completion *vfork = tsk->vfork_done;
	tsk->vfork_done = NULL;
	if (vfork)
		complete(vfork);
	task_unlock(tsk);
}

/*
 * fork: a copy of oldmm; private pages are shared copy-on-write. Both mms
 * are write-locked, as Linux's dup_mmap() does: oldmm so that no VMA or PTE
 * changes under the copy, the new one because vma_link() and
 * copy_page_range() check for it (nobody else can reach it yet, so taking
 * it second cannot deadlock).
 */
static struct mm_struct *dup_mm(struct task_struct *tsk, struct mm_struct *oldmm)
{
	struct mm_struct *mm = mm_alloc();
	struct vm_area_struct *vma;

	if (!mm)
		return NULL;
	mm->owner = tsk;	/* nobody can look yet: no css_set_lock needed */
	mmap_write_lock(oldmm);
	mmap_write_lock(mm);
	mm->start_code = oldmm->start_code;
	mm->end_code = oldmm->end_code;
	mm->start_data = oldmm->start_data;
	mm->end_data = oldmm->end_data;
	mm->start_brk = oldmm->start_brk;
	mm->brk = oldmm->brk;
	mm->start_stack = oldmm->start_stack;
	mm->mmap_base = oldmm->mmap_base;
	mm->arg_start = oldmm->arg_start;
	mm->arg_end = oldmm->arg_end;
	mm->env_start = oldmm->env_start;
	mm->env_end = oldmm->env_end;
	mm->exe_file = oldmm->exe_file ? get_file(oldmm->exe_file) : NULL;
	list_for_each_entry(vma, &oldmm->mmap, vm_list) {
		if (vma->vm_flags & VM_DONTCOPY)
			continue;
		/* The child's copy of private writable memory is a promise of its own. */
		if ((vma->vm_flags & VM_ACCOUNT) && __vm_enough_memory(oldmm, (vma->vm_end - vma->vm_start) >> PAGE_SHIFT))
			goto fail;
		struct vm_area_struct *new = vma_alloc(mm, vma->vm_start, vma->vm_end,
						       vma->vm_flags & ~VM_LOCKED, vma->vm_file, vma->vm_pgoff);
		if (!new) {
			if (vma->vm_flags & VM_ACCOUNT)
				vm_unacct_memory((vma->vm_end - vma->vm_start) >> PAGE_SHIFT);
			goto fail;
		}
		new->vm_page_prot = vma->vm_page_prot;
		vma_link(mm, new);
		if (!(vma->vm_flags & VM_WIPEONFORK) && copy_page_range(mm, oldmm, vma))
			goto fail;
	}
	mmap_write_unlock(mm);
	mmap_write_unlock(oldmm);
	return mm;
fail:
	mmap_write_unlock(mm);
	mmap_write_unlock(oldmm);
	mmput(mm);
	return NULL;
}

/* What a user task gets of current: its address space, files, fs, signal mask and the rest. */
static int copy_user_state(struct task_struct *p, u64 clone_flags)
{
	struct task_struct *me = current;

	if (clone_flags & CLONE_VM) {
		mmget(me->mm);
		p->mm = me->mm;
	} else if (!(p->mm = dup_mm(p, me->mm))) {
		return -ENOMEM;
	}
	p->active_mm = p->mm;
	if (clone_flags & CLONE_FILES) {
		get_files_struct(me->files);
		p->files = me->files;
	} else if (!(p->files = dup_fd(me->files))) {
		return -ENOMEM;
	}
	if (!(p->fs = copy_fs_struct(me->fs)))
		return -ENOMEM;
	p->blocked = me->blocked;
	if (!(clone_flags & CLONE_VM) || (clone_flags & CLONE_VFORK)) {	/* Linux keeps sigaltstack then */
		p->sas_ss_sp = me->sas_ss_sp;
		p->sas_ss_size = me->sas_ss_size;
		p->sas_ss_flags = me->sas_ss_flags;
	}
	p->fsbase = me->fsbase;
	copy_fpu(p);
	return 0;
}

/* Signals: shared with CLONE_THREAD and CLONE_SIGHAND, else copied (a kernel thread starts afresh). */
static int copy_signal_state(struct task_struct *p, u64 clone_flags, bool kthread)
{
	struct task_struct *me = current;

	if (clone_flags & CLONE_THREAD) {
		p->signal = me->signal;
		__atomic_add_fetch(&p->signal->refcount, 1, __ATOMIC_RELAXED);
	} else if (!(p->signal = copy_signal(kthread ? NULL : me->signal))) {
		return -ENOMEM;
	}
	if (clone_flags & CLONE_SIGHAND) {
		p->sighand = me->sighand;
		__atomic_add_fetch(&p->sighand->count, 1, __ATOMIC_RELAXED);
	} else if (!(p->sighand = copy_sighand(kthread ? NULL : me->sighand))) {
		return -ENOMEM;
	} else if (clone_flags & CLONE_CLEAR_SIGHAND) {
		flush_signal_handlers(p);
	}
	return 0;
}

static void init_task_fields(struct task_struct *p, int (*fn)(void *), const char *name, int exit_signal)
{
	p->state = TASK_UNINTERRUPTIBLE;	/* not runnable until wake_up_process() */
	p->flags = fn ? PF_KTHREAD : 0;
	p->usage = 2;				/* itself, and the task list */
	p->saved_preempt_count = 1;		/* it starts inside the scheduler, holding rq->lock */
	p->exit_signal = exit_signal;
	p->start_time = ktime_get_ns();
	strlcpy(p->comm, name, sizeof(p->comm));
	spin_lock_init(&p->alloc_lock);
	spin_lock_init(&p->pi_lock);
	p->alloc_lock.name = "task_lock";
	p->pi_lock.name = "pi_lock";
	INIT_LIST_HEAD(&p->children);
	INIT_LIST_HEAD(&p->run_list);
	INIT_LIST_HEAD(&p->oom_reaper_node);
	INIT_LIST_HEAD(&p->thread_group);
}

/* On the task list, with its parent and thread group; tasklist_lock taken here. -EINTR if current is being killed. */
static int link_new_task(struct task_struct *p, u64 clone_flags, bool user)
{
	struct task_struct *me = current;
	unsigned long flags;

	spin_lock_irqsave(&tasklist_lock, flags);
	/*
	 * A task with SIGKILL coming starts no other (Linux: "let kill terminate
	 * clone/fork in the middle"). A group exit, or an exec's de_thread(),
	 * has killed every thread it could see under tasklist_lock; one linked
	 * after that would live on, never killed: the process could never
	 * complete (its leader a zombie for good), or the exec would wait on it.
	 */
	if (user && fatal_signal_pending(me)) {
		spin_unlock_irqrestore(&tasklist_lock, flags);
		return -EINTR;
	}
	if (clone_flags & CLONE_THREAD) {
		p->tgid = me->tgid;
		p->group_leader = me->group_leader;
		list_add_tail(&p->thread_group, &me->group_leader->thread_group);
		p->signal->nr_threads++;
	} else {
		p->tgid = p->pid;
		p->group_leader = p;
	}
	p->parent = (clone_flags & (CLONE_PARENT | CLONE_THREAD)) ? me->parent : me;
	/*
	 * A CLONE_PARENT child is its creator's sibling: it tells their common
	 * parent of its exit with the signal its creator would use. The one in
	 * the flags is ignored, as Linux ignores it: a process may not choose
	 * which signal its parent gets, nor hide a child from its plain wait4().
	 */
	if ((clone_flags & (CLONE_PARENT | CLONE_THREAD)) == CLONE_PARENT)
		p->exit_signal = me->group_leader->exit_signal;
	list_add_tail(&p->sibling, &p->parent->children);
	list_add_tail(&p->tasks, &init_task.tasks);
	nr_threads++;
	total_forks++;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return 0;
}

/* Undo what copy_process() made of p so far. */
static void free_unlinked_task(struct task_struct *p, u64 clone_flags)
{
	if (p->mm)
		mmput(p->mm);
	if (p->files)
		put_files_struct(p->files);
	if (p->fs)
		exit_fs(p);
	put_sighand(p->sighand);
	if (!(clone_flags & CLONE_THREAD) || p->signal != current->signal)
		put_signal(p->signal);
	else
		__atomic_sub_fetch(&p->signal->refcount, 1, __ATOMIC_RELAXED);
	if (p->pid > 0)
		free_pid(p->pid);
	free_thread_stack(p);
	kmem_cache_free(task_struct_cachep, p);
}

/*
 * The common part of making a task: the struct, a pid, a kernel stack, and
 * everything the clone flags say to share or copy. The new task is on the
 * task list, in its cgroups, but not runnable. Returns ERR_PTR on failure
 * with nothing left behind.
 */
static struct task_struct *copy_process(struct kernel_clone_args *args, int (*fn)(void *), void *arg,
					const char *name)
{
	struct task_struct *p = kmem_cache_zalloc(task_struct_cachep, GFP_KERNEL);
	long err = -EAGAIN;

	if (!p)
		return ERR_PTR(-ENOMEM);
	p->pid = -1;
	cgroup_fork(p);
	if (READ_ONCE(nr_threads) >= (int)max_threads || (err = alloc_thread_stack(p)))
		goto fail;
	p->pid = alloc_pid(args->set_tid);
	if ((err = p->pid) < 0)
		goto fail;
	if ((err = copy_signal_state(p, args->flags, fn)))
		goto fail;
	if (!fn && (err = copy_user_state(p, args->flags)))
		goto fail;
	init_task_fields(p, fn, name, args->exit_signal);
	copy_thread(p, fn, arg);
	/* A named delay point: a test holds a user clone here while another thread ends the process. */
	if (!fn)
		delay_point("copy_process_before_link");
	/* From here until it is linked, no migration or cgroup.kill can miss the new task. */
	if ((err = cgroup_can_fork(args)))
		goto fail;
	if ((err = link_new_task(p, args->flags, !fn))) {	/* the parent is being killed: so would the child be */
		cgroup_cancel_fork(args);
		goto fail;
	}
	cgroup_post_fork(p, args);
	return p;
fail:
	free_unlinked_task(p, args->flags);
	return ERR_PTR(err);
}

struct task_struct *create_kernel_task(int (*fn)(void *), void *arg, const char *name, int exit_signal)
{
	struct kernel_clone_args args = { .exit_signal = exit_signal, .kthread = true };

	return copy_process(&args, fn, arg, name);
}

void task_exited(void)	/* from do_exit(): one task fewer counts against max_threads */
{
	unsigned long flags;

	spin_lock_irqsave(&tasklist_lock, flags);
	nr_threads--;
	spin_unlock_irqrestore(&tasklist_lock, flags);
}

/* The child's registers and what clone asked to be written for it. */
static void setup_child(struct task_struct *p, struct kernel_clone_args *args, const struct pt_regs *regs)
{
	struct pt_regs *child = task_pt_regs(p);

	*child = *regs;
	child->rax = 0;			/* the child sees fork() return 0 */
	if (args->stack)
		child->sp = args->stack;
	if (args->flags & CLONE_SETTLS)
		p->fsbase = args->tls;
	if (args->flags & CLONE_CHILD_SETTID)
		p->set_child_tid = args->child_tid;	/* written by the child itself (schedule_tail) */
	if (args->flags & CLONE_CHILD_CLEARTID)
		p->clear_child_tid = args->child_tid;
	if ((args->flags & CLONE_PARENT_SETTID) && put_user(p->pid, args->parent_tid)) {
		/* Linux ignores this failure too: the child exists already. */
	}
}

/* fork, vfork, clone and clone3 (Linux: kernel_clone()). */
static long kernel_clone(struct kernel_clone_args *args, const struct pt_regs *regs)
{
	u64 clone_flags = args->flags;
	struct completion vfork;

	if ((clone_flags & CLONE_THREAD) && !(clone_flags & CLONE_SIGHAND))
		return -EINVAL;
	if ((clone_flags & CLONE_SIGHAND) && !(clone_flags & CLONE_VM))
		return -EINVAL;
	/* init's siblings would be children of the idle task, which reaps nobody (Linux refuses too). */
	if ((clone_flags & CLONE_PARENT) && current->group_leader == READ_ONCE(child_reaper))
		return -EINVAL;
	/* The FS base is loaded at every switch to the task: a kernel or non-canonical one would #GP there. */
	if ((clone_flags & CLONE_SETTLS) && args->tls >= TASK_SIZE_MAX)
		return -EPERM;
	if (clone_flags & CLONE_THREAD)
		args->exit_signal = -1;
	struct task_struct *p = copy_process(args, NULL, NULL, current->comm);
	if (IS_ERR(p))
		return PTR_ERR(p);
	setup_child(p, args, regs);
	pid_t pid = p->pid;
	if (clone_flags & CLONE_VFORK) {
		init_completion(&vfork);
		p->vfork_done = &vfork;
		get_task_struct(p);
	}
	wake_up_process(p);
	if (clone_flags & CLONE_VFORK) {
		/* The parent waits until the child execs or exits and gives the mm back. */
		if (wait_for_completion_killable(&vfork)) {
			/* Killed: the completion on our stack must not be completed after we go. */
			task_lock(p);
			p->vfork_done = NULL;
			task_unlock(p);
		}
		put_task_struct(p);
	}
	return pid;
}

SYSCALL_DEFINE_REGS(fork)
{
	struct kernel_clone_args args = { .exit_signal = SIGCHLD };

	return kernel_clone(&args, regs);
}

SYSCALL_DEFINE_REGS(vfork)
{
	struct kernel_clone_args args = { .flags = CLONE_VFORK | CLONE_VM, .exit_signal = SIGCHLD };

	return kernel_clone(&args, regs);
}

/* x86-64 argument order: flags, stack, parent_tid, child_tid, tls. Only the low 32 bits are flags. */
SYSCALL_DEFINE_REGS(clone)
{
	struct kernel_clone_args args = {
		.flags = (u32)regs->rdi & ~CSIGNAL,
		.exit_signal = regs->rdi & CSIGNAL,
		.stack = regs->rsi,
		.parent_tid = (int __user *)regs->rdx,
		.child_tid = (int __user *)regs->r10,
		.tls = regs->r8,
	};

	return kernel_clone(&args, regs);
}

/*
 * clone3()'s struct from user space, of any size between its first
 * version and a page: bytes past what Folio knows must be zero (E2BIG
 * otherwise), as Linux's copy_struct_from_user() wants.
 */
static int copy_clone_args_from_user(struct clone_args *args, const void __user *uargs, size_t usize)
{
	size_t known = sizeof(*args);

	if (usize > PAGE_SIZE)
		return -E2BIG;
	if (usize < CLONE_ARGS_SIZE_VER0)
		return -EINVAL;
	memset(args, 0, known);
	if (copy_from_user(args, uargs, min(usize, known)))
		return -EFAULT;
	for (size_t off = known; off < usize; off++) {
		char c;
		if (get_user(c, (const char __user *)uargs + off))
			return -EFAULT;
		if (c)
			return -E2BIG;
	}
	return 0;
}

/* Linux's checks of clone3()'s arguments: EINVAL for anything it would refuse. */
static int clone3_args_to_kargs(const struct clone_args *args, size_t usize, struct kernel_clone_args *kargs)
{
	u64 known = 0xffffffffULL | CLONE_CLEAR_SIGHAND | CLONE_INTO_CGROUP;

	if ((args->exit_signal & ~(u64)CSIGNAL) || !valid_signal(args->exit_signal))
		return -EINVAL;
	if ((args->flags & ~known) || (args->flags & (CLONE_DETACHED | CSIGNAL)))
		return -EINVAL;
	if ((args->flags & CLONE_SIGHAND) && (args->flags & CLONE_CLEAR_SIGHAND))
		return -EINVAL;
	if ((args->flags & (CLONE_THREAD | CLONE_PARENT)) && args->exit_signal)
		return -EINVAL;
	if ((args->flags & CLONE_INTO_CGROUP) && (args->cgroup > INT_MAX || usize < CLONE_ARGS_SIZE_VER2))
		return -EINVAL;
	if (!args->stack != !args->stack_size || args->set_tid_size > 1 || !args->set_tid != !args->set_tid_size)
		return -EINVAL;		/* Folio has one pid name space: set_tid has one pid at most */
	if (args->stack && !access_ok((void __user *)args->stack, args->stack_size))
		return -EINVAL;
	*kargs = (struct kernel_clone_args){
		.flags = args->flags,
		.child_tid = (int __user *)args->child_tid,
		.parent_tid = (int __user *)args->parent_tid,
		.exit_signal = args->exit_signal,
		.stack = args->stack + args->stack_size,	/* the stack grows down from its end */
		.tls = args->tls,
		.cgroup = args->cgroup,
	};
	return 0;
}

SYSCALL_DEFINE_REGS(clone3)
{
	struct kernel_clone_args kargs;
	struct clone_args args;
	int err = copy_clone_args_from_user(&args, (const void __user *)regs->rdi, regs->rsi);

	if (!err)
		err = clone3_args_to_kargs(&args, regs->rsi, &kargs);
	if (!err && args.set_tid && get_user(kargs.set_tid, (const pid_t __user *)args.set_tid))
		err = -EFAULT;
	else if (!err && args.set_tid && kargs.set_tid <= 0)
		err = -EINVAL;		/* a pid is at least 1 (0 would ask for none) */
	return err ? err : kernel_clone(&kargs, regs);
}

void fork_init(void)
{
	task_struct_cachep = kmem_cache_create("task_struct", sizeof(struct task_struct), 64, 0, NULL);
	signal_cachep = kmem_cache_create("signal_cache", sizeof(struct signal_struct), 8, 0, NULL);
	mm_cachep = kmem_cache_create("mm_struct", sizeof(struct mm_struct), 64, 0, NULL);
	if (!task_struct_cachep || !signal_cachep || !mm_cachep)
		panic("fork_init: cannot create the task caches");
	init_task.signal = copy_signal(NULL);
	init_task.sighand = copy_sighand(NULL);
	if (!init_task.signal || !init_task.sighand)
		panic("fork_init: no memory for the idle task");
	pidmap[0] |= 1;		/* pid 0 is the idle task's */
	max_threads = clamp(totalram_pages / (8 * THREAD_SIZE / PAGE_SIZE), 20UL, (unsigned long)PID_MAX / 2);
}
