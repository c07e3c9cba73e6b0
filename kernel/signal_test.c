/*
 * ktests for signals (kernel/signal.c, kernel/signal_syscalls.c,
 * arch/x86_64/signal.c). System calls are called through their
 * SYSCALL_DEFINE wrappers with a fake pt_regs, inside
 * uaccess_kernel_begin() so kernel buffers stand in for user memory.
 * Anything that could take a default action, or that builds a frame, runs
 * in a child kernel task (exit_signal SIGCHLD, reaped with kernel_wait()),
 * so a bug kills the child, not the test runner; the child reports the
 * first failed check through a struct child_result. Real delivery to user
 * handlers is tested from user space (user/usertests/signals.c).
 */
#include <kernel/kernel.h>
#include <kernel/ktest.h>
#include <kernel/ktest_thread.h>
#include <kernel/sched.h>
#include <kernel/sched/task.h>
#include <kernel/sched/signal.h>
#include <kernel/signal.h>
#include <kernel/syscalls.h>
#include <kernel/uaccess.h>
#include <kernel/wait.h>
#include <kernel/timer.h>
#include <lib/string.h>
#include <uapi/errno.h>
#include <arch/desc.h>
#include <arch/processor.h>
#include <arch/sigframe.h>


static long call_regs(unsigned int nr, struct pt_regs *regs)
{
	regs->orig_ax = nr;
	for (const struct syscall_meta *m = __start_syscalls; m < __stop_syscalls; m++)
		if (m->nr == nr)
			return m->fn(regs);
	return -ENOSYS;
}

static long sys4(unsigned int nr, unsigned long a0, unsigned long a1, unsigned long a2, unsigned long a3)
{
	struct pt_regs regs = { .rdi = a0, .rsi = a1, .rdx = a2, .r10 = a3 };
	return call_regs(nr, &regs);
}

#define BAD_PTR 16UL	/* an unmapped user address: -EFAULT even inside uaccess_kernel_begin() */
#define ALL_SIGS (~0ULL)

static u32 get_mxcsr(void)
{
	u32 m;
	__asm__ __volatile__("stmxcsr %0" : "=m"(m));
	return m;
}

static void set_mxcsr(u32 m)
{
	__asm__ __volatile__("ldmxcsr %0" :: "m"(m));
}

/* ---- running checks in a child task ---- */

struct child_result {
	int line;
	char what[120];
	void *arg;
};

#define C_CHECK(cond) do { if (!(cond)) { res->line = __LINE__; \
	strlcpy(res->what, #cond, sizeof(res->what)); return 0x100; } } while (0)
#define C_CHECK_EQ(a, b) do { long long _a = (long long)(a), _b = (long long)(b); if (_a != _b) { \
	res->line = __LINE__; snprintf(res->what, sizeof(res->what), "%s == %s: %lld != %lld", #a, #b, _a, _b); \
	return 0x100; } } while (0)

/* Run fn in a child kernel task and reap it: its wait status, or -errno. */
static int run_child(int (*fn)(void *), struct child_result *res)
{
	struct task_struct *t = create_kernel_task(fn, res, "sigtest", SIGCHLD);
	int status = -1;

	if (IS_ERR(t))
		return PTR_ERR(t);
	pid_t pid = t->pid;
	wake_up_process(t);
	if (kernel_wait(pid, &status) != pid)
		return -ECHILD;
	return status;
}

#define KT_CHILD(fn, expect_status) do { struct child_result _r = { 0 }; \
	int _st = run_child(fn, &_r); \
	KT_ASSERT_MSG(!_r.line, "line %d: %s", _r.line, _r.what); \
	KT_ASSERT_EQ(_st, expect_status); } while (0)

/*
 * KTEST_CHILD(name) { ... return 0; }: a test whose body runs in a child
 * task, with kernel buffers let through as user memory; it passes when no
 * C_CHECK failed and the child exited with status 0.
 */
#define KTEST_CHILD(name) \
	static int name##_body(struct child_result *res); \
	static int name##_child(void *arg) \
	{ \
		uaccess_kernel_begin(); \
		int ret = name##_body(arg); \
		uaccess_kernel_end(); \
		return ret; \
	} \
	KTEST(name) { KT_CHILD(name##_child, 0); } \
	static int name##_body(struct child_result *res)

/* ---- the ABI ---- */

KTEST(signal_frame_layout)
{
	KT_ASSERT_EQ(sizeof(siginfo_t), 128);
	KT_ASSERT_EQ(offsetof(siginfo_t, si_code), 8);
	KT_ASSERT_EQ(offsetof(siginfo_t, _sifields._kill.si_pid), 16);
	KT_ASSERT_EQ(offsetof(siginfo_t, _sifields._sigchld.si_status), 24);
	KT_ASSERT_EQ(offsetof(siginfo_t, _sifields._sigchld.si_utime), 32);
	KT_ASSERT_EQ(offsetof(siginfo_t, _sifields._sigfault.si_addr), 16);
	KT_ASSERT_EQ(sizeof(struct sigcontext), 256);
	KT_ASSERT_EQ(offsetof(struct sigcontext, rdi), 64);
	KT_ASSERT_EQ(offsetof(struct sigcontext, rsp), 120);
	KT_ASSERT_EQ(offsetof(struct sigcontext, rip), 128);
	KT_ASSERT_EQ(offsetof(struct sigcontext, eflags), 136);
	KT_ASSERT_EQ(offsetof(struct sigcontext, cs), 144);
	KT_ASSERT_EQ(offsetof(struct sigcontext, ss), 150);
	KT_ASSERT_EQ(offsetof(struct sigcontext, oldmask), 168);
	KT_ASSERT_EQ(offsetof(struct sigcontext, cr2), 176);
	KT_ASSERT_EQ(offsetof(struct sigcontext, fpstate), 184);
	KT_ASSERT_EQ(sizeof(struct _fpstate_64), 512);
	KT_ASSERT_EQ(offsetof(struct _fpstate_64, mxcsr), 24);
	KT_ASSERT_EQ(offsetof(struct _fpstate_64, st_space), 32);
	KT_ASSERT_EQ(offsetof(struct _fpstate_64, xmm_space), 160);
	KT_ASSERT_EQ(offsetof(struct _fpstate_64, sw_reserved), 464);
	KT_ASSERT_EQ(sizeof(stack_t), 24);
	KT_ASSERT_EQ(offsetof(stack_t, ss_size), 16);
	KT_ASSERT_EQ(offsetof(struct ucontext, uc_stack), 16);
	KT_ASSERT_EQ(offsetof(struct ucontext, uc_mcontext), 40);
	KT_ASSERT_EQ(offsetof(struct ucontext, uc_sigmask), 296);
	KT_ASSERT_EQ(sizeof(struct ucontext), 304);
	KT_ASSERT_EQ(offsetof(struct rt_sigframe, uc), 8);
	KT_ASSERT_EQ(offsetof(struct rt_sigframe, info), 312);
	KT_ASSERT_EQ(sizeof(struct rt_sigframe), 440);
	KT_ASSERT_EQ(sizeof(struct k_sigaction), 32);
	KT_ASSERT_EQ(offsetof(struct k_sigaction, sa_mask), 24);
}

/* ---- rt_sigaction, rt_sigprocmask, rt_sigpending (on a child's own sighand) ---- */

KTEST_CHILD(signal_rt_sigaction)
{
	struct k_sigaction act = { .sa_handler = (void *)0x401000, .sa_restorer = (void *)0x402000,
				   .sa_flags = SA_RESTORER | SA_SIGINFO | SA_RESTART | SA_UNSUPPORTED,
				   .sa_mask = sigmask(SIGKILL) | sigmask(SIGSTOP) | sigmask(SIGUSR2) };
	struct k_sigaction old, ign = { .sa_handler = SIG_IGN };
	unsigned long a = (unsigned long)&act, o = (unsigned long)&old, i = (unsigned long)&ign;

	C_CHECK_EQ(sys4(__NR_rt_sigaction, SIGUSR1, a, 0, 4), -EINVAL);
	C_CHECK_EQ(sys4(__NR_rt_sigaction, SIGUSR1, a, 0, 16), -EINVAL);
	C_CHECK_EQ(sys4(__NR_rt_sigaction, 0, a, 0, 8), -EINVAL);
	C_CHECK_EQ(sys4(__NR_rt_sigaction, 65, 0, o, 8), -EINVAL);
	C_CHECK_EQ(sys4(__NR_rt_sigaction, -1UL, 0, o, 8), -EINVAL);
	C_CHECK_EQ(sys4(__NR_rt_sigaction, SIGKILL, i, 0, 8), -EINVAL);
	C_CHECK_EQ(sys4(__NR_rt_sigaction, SIGSTOP, a, 0, 8), -EINVAL);
	C_CHECK_EQ(sys4(__NR_rt_sigaction, SIGKILL, 0, o, 8), 0);	/* querying is fine */
	C_CHECK(old.sa_handler == SIG_DFL);
	C_CHECK_EQ(sys4(__NR_rt_sigaction, SIGUSR1, BAD_PTR, 0, 8), -EFAULT);
	C_CHECK_EQ(sys4(__NR_rt_sigaction, SIGUSR1, 0, BAD_PTR, 8), -EFAULT);
	C_CHECK_EQ(sys4(__NR_rt_sigaction, SIGUSR1, a, 0, 8), 0);
	C_CHECK_EQ(sys4(__NR_rt_sigaction, SIGUSR1, 0, o, 8), 0);
	C_CHECK(old.sa_handler == act.sa_handler && old.sa_restorer == act.sa_restorer);
	C_CHECK_EQ(old.sa_flags, SA_RESTORER | SA_SIGINFO | SA_RESTART);	/* unknown flag cleared */
	C_CHECK_EQ(old.sa_mask, sigmask(SIGUSR2));			/* SIGKILL/SIGSTOP dropped */
	C_CHECK_EQ(sys4(__NR_rt_sigaction, SIGRTMAX, a, o, 8), 0);	/* 64 is valid */
	C_CHECK(old.sa_handler == SIG_DFL);

	/* Setting SIG_IGN discards a pending (blocked) instance. */
	set_current_blocked(sigmask(SIGUSR2));
	send_sig(SIGUSR2, current, 0);
	C_CHECK(current->pending.signal & sigmask(SIGUSR2));
	C_CHECK(!signal_pending(current));	/* blocked: nothing to deliver */
	C_CHECK_EQ(sys4(__NR_rt_sigaction, SIGUSR2, i, 0, 8), 0);
	C_CHECK(!(current->pending.signal & sigmask(SIGUSR2)));
	/* ... and an ignored, unblocked signal is dropped when sent. */
	set_current_blocked(0);
	send_sig(SIGUSR2, current, 0);
	C_CHECK(!(current->pending.signal & sigmask(SIGUSR2)) && !signal_pending(current));
	return 0;
}

KTEST_CHILD(signal_rt_sigprocmask)
{
	sigset_t set, old = 0x5a5a, pend;
	unsigned long s = (unsigned long)&set, o = (unsigned long)&old, p = (unsigned long)&pend;

	set = ALL_SIGS;
	C_CHECK_EQ(sys4(__NR_rt_sigprocmask, SIG_BLOCK, s, o, 4), -EINVAL);
	C_CHECK_EQ(sys4(__NR_rt_sigprocmask, 7, s, o, 8), -EINVAL);
	C_CHECK_EQ(sys4(__NR_rt_sigprocmask, 7, 0, o, 8), 0);		/* how is not looked at without a set */
	C_CHECK_EQ(old, 0);
	C_CHECK_EQ(sys4(__NR_rt_sigprocmask, SIG_BLOCK, BAD_PTR, 0, 8), -EFAULT);
	C_CHECK_EQ(sys4(__NR_rt_sigprocmask, SIG_BLOCK, 0, BAD_PTR, 8), -EFAULT);
	C_CHECK_EQ(sys4(__NR_rt_sigprocmask, SIG_BLOCK, s, 0, 8), 0);
	C_CHECK_EQ(current->blocked, ALL_SIGS & ~(sigmask(SIGKILL) | sigmask(SIGSTOP)));
	set = sigmask(SIGUSR1) | sigmask(SIGINT);
	C_CHECK_EQ(sys4(__NR_rt_sigprocmask, SIG_UNBLOCK, s, o, 8), 0);
	C_CHECK_EQ(old, ALL_SIGS & ~(sigmask(SIGKILL) | sigmask(SIGSTOP)));
	C_CHECK(!(current->blocked & set) && (current->blocked & sigmask(SIGUSR2)));
	set = sigmask(SIGKILL) | sigmask(SIGUSR1);
	C_CHECK_EQ(sys4(__NR_rt_sigprocmask, SIG_SETMASK, s, 0, 8), 0);
	C_CHECK_EQ(current->blocked, sigmask(SIGUSR1));			/* SIGKILL can never be blocked */

	/* A blocked signal stays pending, shows in rt_sigpending, and is deliverable once unblocked. */
	send_sig(SIGUSR1, current, 0);
	C_CHECK(!signal_pending(current));
	C_CHECK_EQ(sys4(__NR_rt_sigpending, p, 16, 0, 0), -EINVAL);
	C_CHECK_EQ(sys4(__NR_rt_sigpending, BAD_PTR, 8, 0, 0), -EFAULT);
	C_CHECK_EQ(sys4(__NR_rt_sigpending, p, 8, 0, 0), 0);
	C_CHECK_EQ(pend, sigmask(SIGUSR1));
	pend = 0;
	C_CHECK_EQ(sys4(__NR_rt_sigpending, p, 4, 0, 0), 0);		/* smaller sizes are allowed */
	C_CHECK_EQ(pend, sigmask(SIGUSR1));
	set = sigmask(SIGUSR1);
	C_CHECK_EQ(sys4(__NR_rt_sigprocmask, SIG_UNBLOCK, s, 0, 8), 0);
	C_CHECK(signal_pending(current));
	C_CHECK_EQ(sys4(__NR_rt_sigpending, p, 8, 0, 0), 0);
	C_CHECK_EQ(pend, 0);						/* only blocked ones show */
	C_CHECK_EQ(sys4(__NR_rt_sigprocmask, SIG_BLOCK, s, 0, 8), 0);
	C_CHECK(!signal_pending(current));
	flush_signals(current);
	return 0;
}

/* ---- dequeue order, default actions ---- */

static int dequeue_child(void *arg)
{
	struct child_result *res = arg;
	static const int expect[] = { SIGSEGV, SIGHUP, SIGUSR1, SIGUSR2, SIGCHLD, SIGRTMIN, SIGINT };
	struct sigqueue_info info;
	unsigned long flags;

	set_current_blocked(ALL_SIGS);
	send_sig(SIGRTMIN, current, 0);
	send_sig(SIGUSR2, current, 0);
	send_sig(SIGUSR1, current, 1);
	send_sig(SIGCHLD, current, 0);	/* default-ignored, but blocked: kept */
	send_sig(SIGHUP, current, 0);
	send_sig(SIGSEGV, current, 0);	/* synchronous signals come first */
	group_send_sig(SIGINT, current, 0);	/* process-directed: after all the thread's own */
	C_CHECK(current->signal->shared_pending.signal == sigmask(SIGINT));
	for (unsigned int i = 0; i < ARRAY_SIZE(expect); i++) {
		spin_lock_irqsave(&current->sighand->siglock, flags);
		int sig = dequeue_signal(current, ALL_SIGS, &info);
		spin_unlock_irqrestore(&current->sighand->siglock, flags);
		C_CHECK_EQ(sig, expect[i]);
		C_CHECK_EQ(info.code, sig == SIGUSR1 ? SI_KERNEL : SI_USER);
		C_CHECK_EQ(info.pid, sig == SIGUSR1 ? 0 : current->tgid);
	}
	spin_lock_irqsave(&current->sighand->siglock, flags);
	C_CHECK_EQ(dequeue_signal(current, ALL_SIGS, &info), 0);
	spin_unlock_irqrestore(&current->sighand->siglock, flags);

	/* Only signals in the mask are taken; the others stay. */
	send_sig(SIGUSR1, current, 0);
	send_sig(SIGUSR2, current, 0);
	spin_lock_irqsave(&current->sighand->siglock, flags);
	int sig = dequeue_signal(current, ~sigmask(SIGUSR1), &info);
	spin_unlock_irqrestore(&current->sighand->siglock, flags);
	C_CHECK_EQ(sig, SIGUSR2);
	C_CHECK_EQ(current->pending.signal, sigmask(SIGUSR1));
	flush_signals(current);
	return 0;
}

KTEST(signal_dequeue_order)
{
	KT_CHILD(dequeue_child, 0);
}

/*
 * Default-ignored signals, and SIG_IGN, do nothing: the task lives on to
 * exit(66). The stop signals are queued (their default is not "ignore"),
 * but Folio, which cannot stop, does nothing with them either.
 */
static int ignore_child(void *arg)
{
	struct child_result *res = arg;
	static const int sigs[] = { SIGCHLD, SIGCONT, SIGURG, SIGWINCH, SIGUSR1 };
	static const int stops[] = { SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU };
	struct pt_regs regs = { .ip = 0x401000, .sp = 0x7ff000, .cs = __USER_CS, .ss = __USER_DS };

	current->sighand->action[SIGUSR1 - 1].sa_handler = SIG_IGN;
	for (unsigned int i = 0; i < ARRAY_SIZE(sigs); i++)	/* dropped when sent */
		send_sig(sigs[i], current, 0);
	C_CHECK_EQ(current->pending.signal, 0);
	C_CHECK(!signal_pending(current));
	for (unsigned int i = 0; i < ARRAY_SIZE(stops); i++)
		send_sig(stops[i], current, 0);
	C_CHECK_EQ(current->pending.signal, sigmask(SIGSTOP) | sigmask(SIGTSTP) | sigmask(SIGTTIN) | sigmask(SIGTTOU));
	set_current_blocked(ALL_SIGS);	/* queued while blocked, dropped when delivered */
	for (unsigned int i = 0; i < ARRAY_SIZE(sigs); i++)
		send_sig(sigs[i], current, 0);
	set_current_blocked(0);
	C_CHECK(signal_pending(current));
	arch_do_signal_or_restart(&regs);
	C_CHECK(!signal_pending(current));
	C_CHECK_EQ(current->pending.signal, 0);
	C_CHECK_EQ(regs.ip, 0x401000);
	return 66 << 8;
}

static int terminate_child(void *arg)
{
	struct pt_regs regs = { .ip = 0x401000, .sp = 0x7ff000 };

	(void)arg;
	send_sig(SIGTERM, current, 0);
	arch_do_signal_or_restart(&regs);	/* does not return */
	return 0x100;
}

KTEST(signal_default_actions)
{
	unsigned long freed = nr_tasks_freed, pages = nr_free_pages();

	KT_CHILD(ignore_child, 66 << 8);
	KT_CHILD(terminate_child, SIGTERM);	/* killed by the signal, no core bit */
	KT_ASSERT_ALL_FREED(freed, 2, pages);
}

/* A fatal process-directed signal marks the group exiting and SIGKILLs its threads (Linux's shortcut). */
static int wait_child(void *arg)
{
	(void)arg;
	return 0;	/* exits with the group's code */
}

KTEST(signal_group_exit_shortcut)
{
	unsigned long freed = nr_tasks_freed, pages = nr_free_pages();
	struct task_struct *t = create_kernel_task(wait_child, NULL, "sigfatal", SIGCHLD);
	int status = -1;

	KT_ASSERT(!IS_ERR(t));
	pid_t pid = t->pid;
	t->flags &= ~PF_KTHREAD;	/* kernel threads never take the shortcut; pose as a process */
	group_send_sig(SIGTERM, t, 0);
	bool marked = (t->signal->flags & SIGNAL_GROUP_EXIT) && t->signal->group_exit_code == SIGTERM &&
		      (t->pending.signal & sigmask(SIGKILL)) && fatal_signal_pending(t);
	t->flags |= PF_KTHREAD;
	wake_up_process(t);
	KT_ASSERT_EQ(kernel_wait(pid, &status), pid);
	KT_ASSERT(marked);
	KT_ASSERT_EQ(status, SIGTERM);	/* do_exit() takes the group's code */

	/* A kernel thread only sees the signal. */
	struct task_struct *k = create_kernel_task(wait_child, NULL, "sigkthread", SIGCHLD);
	KT_ASSERT(!IS_ERR(k));
	pid = k->pid;
	group_send_sig(SIGTERM, k, 0);
	marked = (k->signal->flags & SIGNAL_GROUP_EXIT) || (k->pending.signal & sigmask(SIGKILL));
	bool queued = k->signal->shared_pending.signal & sigmask(SIGTERM);
	wake_up_process(k);
	KT_ASSERT_EQ(kernel_wait(pid, &status), pid);
	KT_ASSERT(!marked && queued);
	KT_ASSERT_EQ(status, 0);
	KT_ASSERT_ALL_FREED(freed, 2, pages);
}

/* ---- kill(), tkill(), tgkill() against kernel threads placed in process groups ---- */

static int idle_fn(void *arg)
{
	(void)arg;
	while (!kthread_should_stop())
		schedule_timeout_uninterruptible(1);
	return 0;
}

static bool shared_has(struct task_struct *t, int sig)
{
	return READ_ONCE(t->signal->shared_pending.signal) & sigmask(sig);
}

KTEST(signal_kill_forms)
{
	unsigned long freed = nr_tasks_freed, pages = nr_free_pages();
	struct task_struct *a = ktest_start_thread(idle_fn, NULL, "sig_a");
	struct task_struct *b = ktest_start_thread(idle_fn, NULL, "sig_b");
	struct task_struct *c = ktest_start_thread(idle_fn, NULL, "sig_c");
	pid_t my_pgrp = current->signal->pgrp;
	bool ok = true;
	long r[16];
	int n = 0;

	KT_ASSERT(a && b && c);
	a->signal->pgrp = b->signal->pgrp = 7001;
	c->signal->pgrp = 7002;
	r[n++] = sys4(__NR_kill, a->pid, SIGUSR1, 0, 0);			/* 0: one process */
	ok &= shared_has(a, SIGUSR1) && !shared_has(b, SIGUSR1) && signal_pending(a);
	ok &= a->signal->shared_pending.info[SIGUSR1 - 1].code == SI_USER &&
	      a->signal->shared_pending.info[SIGUSR1 - 1].pid == current->tgid;
	r[n++] = sys4(__NR_kill, -7001UL, SIGUSR2, 0, 0);			/* 1: a group */
	ok &= shared_has(a, SIGUSR2) && shared_has(b, SIGUSR2) && !shared_has(c, SIGUSR2);
	current->signal->pgrp = 7002;
	r[n++] = sys4(__NR_kill, 0, SIGHUP, 0, 0);				/* 2: our own group */
	current->signal->pgrp = my_pgrp;
	ok &= shared_has(c, SIGHUP) && !shared_has(a, SIGHUP) && shared_has(current, SIGHUP);
	flush_signals(current);
	r[n++] = sys4(__NR_kill, -1UL, SIGINT, 0, 0);				/* 3: no user processes */
	ok &= !shared_has(a, SIGINT) && !shared_has(c, SIGINT);
	r[n++] = sys4(__NR_kill, 99999, 0, 0, 0);				/* 4 */
	r[n++] = sys4(__NR_kill, c->pid, 0, 0, 0);				/* 5: exists */
	r[n++] = sys4(__NR_kill, c->pid, 65, 0, 0);				/* 6 */
	r[n++] = sys4(__NR_kill, -99999UL, SIGINT, 0, 0);			/* 7 */
	r[n++] = sys4(__NR_kill, 0x80000000UL, SIGINT, 0, 0);			/* 8: INT_MIN */
	r[n++] = sys4(__NR_tgkill, b->tgid, b->pid, SIGALRM, 0);		/* 9: the thread itself */
	ok &= (b->pending.signal & sigmask(SIGALRM)) && !shared_has(b, SIGALRM) &&
	      b->pending.info[SIGALRM - 1].code == SI_TKILL;
	r[n++] = sys4(__NR_tgkill, a->tgid, b->pid, SIGALRM, 0);		/* 10: wrong process */
	r[n++] = sys4(__NR_tgkill, 0, b->pid, SIGALRM, 0);			/* 11 */
	r[n++] = sys4(__NR_tkill, c->pid, SIGPIPE, 0, 0);			/* 12 */
	ok &= (c->pending.signal & sigmask(SIGPIPE)) != 0;
	r[n++] = sys4(__NR_tkill, -1UL, SIGPIPE, 0, 0);				/* 13 */
	r[n++] = kill_pgrp(0, SIGINT, 1);					/* 14 */
	r[n++] = kill_pgrp(7002, SIGQUIT, 1);					/* 15 */
	ok &= shared_has(c, SIGQUIT) && c->signal->shared_pending.info[SIGQUIT - 1].code == SI_KERNEL;

	ktest_stop_thread(a);
	ktest_stop_thread(b);
	ktest_stop_thread(c);
	static const long expect[] = { 0, 0, 0, -ESRCH, -ESRCH, 0, -EINVAL, -ESRCH, -ESRCH, 0, -ESRCH,
				       -EINVAL, 0, -EINVAL, -ESRCH, 0 };
	for (int i = 0; i < n; i++)
		KT_ASSERT_MSG(r[i] == expect[i], "call %d returned %ld, expected %ld", i, r[i], expect[i]);
	KT_ASSERT(ok);
	KT_ASSERT_ALL_FREED(freed, 3, pages);
}

/* ---- the frame, delivery and rt_sigreturn ---- */

static u8 fake_stack[16384] __aligned(64);	/* a "user" stack in kernel memory */
#define HANDLER 0x402000UL
#define RESTORER 0x403000UL
#define USER_IP 0x401000UL

static void set_handler(int sig, unsigned long flags, sigset_t mask)
{
	struct k_sigaction *ka = &current->sighand->action[sig - 1];

	ka->sa_handler = (void *)HANDLER;
	ka->sa_restorer = (void *)RESTORER;
	ka->sa_flags = flags | SA_RESTORER;
	ka->sa_mask = mask;
}

static void fake_user_regs(struct pt_regs *regs, unsigned long sp)
{
	memset(regs, 0, sizeof(*regs));
	regs->r8 = 8, regs->r9 = 9, regs->r10 = 10, regs->r11 = 11, regs->r12 = 12;
	regs->r13 = 13, regs->r14 = 14, regs->r15 = 15, regs->rdi = 0xd1, regs->rsi = 0x51;
	regs->rbp = 0xb9, regs->rbx = 0xb8, regs->rdx = 0xd8, regs->rax = 0xa8, regs->rcx = 0xc8;
	regs->ip = USER_IP;
	regs->sp = sp;
	regs->flags = X86_EFLAGS_IF | 0x1 | 0x40 | (1UL << 10);	/* CF, ZF, DF */
	regs->cs = __USER_CS;
	regs->ss = __USER_DS;
}

KTEST_CHILD(signal_frame_and_sigreturn)
{
	unsigned long sp0 = (unsigned long)fake_stack + 12000 + 8;
	struct pt_regs regs, ret;

	set_handler(SIGUSR1, SA_SIGINFO, sigmask(SIGUSR2));
	set_current_blocked(sigmask(SIGHUP));
	set_mxcsr(0x7f80);			/* round toward zero: not the default */
	fake_user_regs(&regs, sp0);
	send_sig(SIGUSR1, current, 0);
	arch_do_signal_or_restart(&regs);

	struct rt_sigframe *f = (struct rt_sigframe *)regs.sp;
	struct sigcontext *sc = &f->uc.uc_mcontext;
	struct _fpstate_64 *fx = (struct _fpstate_64 *)sc->fpstate;
	C_CHECK_EQ(regs.ip, HANDLER);
	C_CHECK_EQ(regs.rdi, SIGUSR1);
	C_CHECK_EQ(regs.rsi, regs.sp + 312);
	C_CHECK_EQ(regs.rdx, regs.sp + 8);
	C_CHECK_EQ(regs.rax, 0);
	C_CHECK_EQ((regs.sp + 8) % 16, 0);		/* as right after a call */
	C_CHECK_EQ(sc->fpstate % 64, 0);
	C_CHECK(regs.sp + sizeof(*f) <= sc->fpstate && sc->fpstate + 512 <= sp0 - 128);	/* red zone kept */
	C_CHECK_EQ(regs.flags & (1UL << 10), 0);	/* DF clear in the handler */
	C_CHECK_EQ((unsigned long)f->pretcode, RESTORER);
	C_CHECK(sc->rip == USER_IP && sc->rsp == sp0 && sc->rax == 0xa8 && sc->r12 == 12 && sc->rcx == 0xc8);
	C_CHECK(sc->rdi == 0xd1 && sc->r8 == 8 && sc->r15 == 15 && sc->rbx == 0xb8 && sc->rbp == 0xb9);
	C_CHECK_EQ(sc->eflags, X86_EFLAGS_IF | 0x1 | 0x40 | (1UL << 10));
	C_CHECK(sc->cs == __USER_CS && sc->ss == __USER_DS);
	C_CHECK_EQ(sc->oldmask, sigmask(SIGHUP));
	C_CHECK_EQ(f->uc.uc_sigmask, sigmask(SIGHUP));
	C_CHECK_EQ(f->uc.uc_flags, UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS);
	C_CHECK_EQ(f->uc.uc_stack.ss_flags, SS_DISABLE);
	C_CHECK_EQ(fx->mxcsr, 0x7f80);
	C_CHECK(f->info.si_signo == SIGUSR1 && f->info.si_code == SI_USER &&
		f->info._sifields._kill.si_pid == current->tgid);
	C_CHECK_EQ(current->blocked, sigmask(SIGHUP) | sigmask(SIGUSR1) | sigmask(SIGUSR2));
	C_CHECK_EQ(get_mxcsr(), 0x1f80);		/* the handler starts clean */
	C_CHECK(!signal_pending(current));

	/* The handler edits its context and returns through the restorer. */
	sc->rax = 0x2222;
	memset(&ret, 0, sizeof(ret));
	ret.sp = regs.sp + 8;			/* its ret popped pretcode */
	ret.flags = X86_EFLAGS_IF;
	C_CHECK_EQ(call_regs(__NR_rt_sigreturn, &ret), 0x2222);
	C_CHECK(ret.ip == USER_IP && ret.sp == sp0 && ret.rax == 0x2222 && ret.r12 == 12 && ret.r9 == 9);
	C_CHECK(ret.rdi == 0xd1 && ret.rsi == 0x51 && ret.rdx == 0xd8 && ret.rcx == 0xc8 && ret.r11 == 11);
	C_CHECK_EQ(ret.flags, X86_EFLAGS_IF | 0x1 | 0x40 | (1UL << 10));
	C_CHECK(ret.cs == __USER_CS && ret.ss == __USER_DS);
	C_CHECK_EQ(current->blocked, sigmask(SIGHUP));
	C_CHECK_EQ(get_mxcsr(), 0x7f80);
	C_CHECK(!current->in_syscall);

	/* Privileged flags and reserved MXCSR bits cannot be smuggled in; IF stays on. */
	send_sig(SIGUSR1, current, 0);
	fake_user_regs(&regs, sp0);
	arch_do_signal_or_restart(&regs);
	f = (struct rt_sigframe *)regs.sp;
	fx = (struct _fpstate_64 *)f->uc.uc_mcontext.fpstate;
	f->uc.uc_mcontext.eflags = 0x3000 | (1UL << 14) | 0x1;	/* IOPL 3, NT, CF; IF clear */
	fx->mxcsr = 0xffff0000 | 0x1f80;
	f->uc.uc_sigmask = ALL_SIGS;
	memset(&ret, 0, sizeof(ret));
	ret.sp = regs.sp + 8;
	ret.flags = X86_EFLAGS_IF;
	call_regs(__NR_rt_sigreturn, &ret);
	C_CHECK_EQ(ret.flags, X86_EFLAGS_IF | 0x1);
	C_CHECK_EQ(get_mxcsr(), 0x1f80);
	C_CHECK_EQ(current->blocked, ALL_SIGS & ~SIG_KERNEL_ONLY_MASK);
	C_CHECK(!signal_pending(current));
	set_current_blocked(0);

	/* A frame that cannot be read, or a non-canonical rip: SIGSEGV. */
	memset(&ret, 0, sizeof(ret));
	ret.sp = BAD_PTR;
	C_CHECK_EQ(call_regs(__NR_rt_sigreturn, &ret), 0);
	C_CHECK(current->pending.signal & sigmask(SIGSEGV));
	flush_signals(current);
	send_sig(SIGUSR1, current, 0);
	fake_user_regs(&regs, sp0);
	arch_do_signal_or_restart(&regs);
	((struct rt_sigframe *)regs.sp)->uc.uc_mcontext.rip = 0x8000000000000000UL;
	memset(&ret, 0, sizeof(ret));
	ret.sp = regs.sp + 8;
	call_regs(__NR_rt_sigreturn, &ret);
	C_CHECK(current->pending.signal & sigmask(SIGSEGV));
	flush_signals(current);
	set_current_blocked(0);

	/* A stack the frame cannot be written to, or no restorer: SIGSEGV instead of the handler. */
	send_sig(SIGUSR1, current, 0);
	fake_user_regs(&regs, 0x10000);		/* unmapped */
	arch_do_signal_or_restart(&regs);
	C_CHECK(regs.ip == USER_IP && (current->pending.signal & sigmask(SIGSEGV)));
	flush_signals(current);
	current->sighand->action[SIGUSR1 - 1].sa_flags &= ~SA_RESTORER;
	send_sig(SIGUSR1, current, 0);
	fake_user_regs(&regs, sp0);
	arch_do_signal_or_restart(&regs);
	C_CHECK(regs.ip == USER_IP && (current->pending.signal & sigmask(SIGSEGV)));
	flush_signals(current);

	/* SA_RESETHAND: one delivery, then the default; SA_NODEFER: the signal is not blocked. */
	set_handler(SIGUSR2, SA_RESETHAND | SA_NODEFER, 0);
	set_current_blocked(0);
	send_sig(SIGUSR2, current, 0);
	fake_user_regs(&regs, sp0);
	arch_do_signal_or_restart(&regs);
	C_CHECK_EQ(regs.ip, HANDLER);
	C_CHECK(current->sighand->action[SIGUSR2 - 1].sa_handler == SIG_DFL);
	C_CHECK_EQ(current->blocked, 0);
	set_mxcsr(0x1f80);
	return 0;
}

/* ---- syscall restart ---- */

/* Deliver with a syscall's result in rax; returns the rax and rip the frame saved (the values resumed after sigreturn). */
static void deliver_after_syscall(long result, unsigned long *rax, unsigned long *rip)
{
	unsigned long sp0 = (unsigned long)fake_stack + 12000;
	struct pt_regs regs;

	fake_user_regs(&regs, sp0);
	regs.orig_ax = 7;		/* the syscall's number */
	regs.rax = result;
	current->in_syscall = true;
	send_sig(SIGUSR1, current, 0);
	arch_do_signal_or_restart(&regs);
	struct sigcontext *sc = &((struct rt_sigframe *)regs.sp)->uc.uc_mcontext;
	*rax = regs.ip == HANDLER ? sc->rax : regs.rax;
	*rip = regs.ip == HANDLER ? sc->rip : regs.ip;
	set_current_blocked(0);
}

KTEST_CHILD(signal_syscall_restart)
{
	unsigned long rax, rip;
	struct pt_regs regs;

	set_handler(SIGUSR1, 0, 0);
	deliver_after_syscall(-ERESTARTSYS, &rax, &rip);
	C_CHECK(rax == (unsigned long)-EINTR && rip == USER_IP);
	deliver_after_syscall(-ERESTARTNOHAND, &rax, &rip);
	C_CHECK(rax == (unsigned long)-EINTR && rip == USER_IP);
	deliver_after_syscall(-ERESTARTNOINTR, &rax, &rip);
	C_CHECK(rax == 7 && rip == USER_IP - 2);
	deliver_after_syscall(-EAGAIN, &rax, &rip);
	C_CHECK(rax == (unsigned long)-EAGAIN && rip == USER_IP);
	set_handler(SIGUSR1, SA_RESTART, 0);
	deliver_after_syscall(-ERESTARTSYS, &rax, &rip);
	C_CHECK(rax == 7 && rip == USER_IP - 2);
	deliver_after_syscall(-ERESTART_RESTARTBLOCK, &rax, &rip);
	C_CHECK(rax == (unsigned long)-EINTR && rip == USER_IP);
	C_CHECK(!current->in_syscall);

	/* No handler runs (the signal is blocked): every restart code restarts. */
	static const long codes[] = { -ERESTARTSYS, -ERESTARTNOHAND, -ERESTARTNOINTR, -ERESTART_RESTARTBLOCK };
	for (unsigned int i = 0; i < ARRAY_SIZE(codes); i++) {
		fake_user_regs(&regs, 0);
		regs.orig_ax = 7;
		regs.rax = codes[i];
		current->in_syscall = true;
		set_tsk_thread_flag(current, TIF_SIGPENDING);
		arch_do_signal_or_restart(&regs);
		C_CHECK(regs.rax == 7 && regs.ip == USER_IP - 2 && !current->in_syscall);
	}
	/* Not from a syscall (an interrupt's pt_regs): rax is just a register. */
	fake_user_regs(&regs, 0);
	regs.rax = -ERESTARTSYS;
	set_tsk_thread_flag(current, TIF_SIGPENDING);
	arch_do_signal_or_restart(&regs);
	C_CHECK(regs.rax == (unsigned long)-ERESTARTSYS && regs.ip == USER_IP);
	C_CHECK(!signal_pending(current));

	/* rt_sigsuspend's mask: the handler's frame carries the saved one; without a handler it comes back at once. */
	current->saved_sigmask = sigmask(SIGHUP);
	set_current_blocked(sigmask(SIGINT));
	set_restore_sigmask();
	deliver_after_syscall(-ERESTARTNOHAND, &rax, &rip);
	fake_user_regs(&regs, 0);
	C_CHECK(rax == (unsigned long)-EINTR);
	C_CHECK(!test_tsk_thread_flag(current, TIF_RESTORE_SIGMASK));
	current->saved_sigmask = sigmask(SIGHUP);
	set_current_blocked(sigmask(SIGINT));
	set_restore_sigmask();
	set_tsk_thread_flag(current, TIF_SIGPENDING);
	arch_do_signal_or_restart(&regs);
	C_CHECK_EQ(current->blocked, sigmask(SIGHUP));
	C_CHECK(!test_tsk_thread_flag(current, TIF_RESTORE_SIGMASK));
	return 0;
}

/* rt_sigsuspend's saved mask lands in uc_sigmask; the handler runs under the temporary one. */
KTEST_CHILD(signal_sigsuspend_mask)
{
	struct pt_regs regs;

	set_handler(SIGUSR1, 0, 0);
	current->saved_sigmask = sigmask(SIGHUP);
	set_current_blocked(sigmask(SIGINT));
	set_restore_sigmask();
	fake_user_regs(&regs, (unsigned long)fake_stack + 12000);
	send_sig(SIGUSR1, current, 0);
	arch_do_signal_or_restart(&regs);
	C_CHECK_EQ(((struct rt_sigframe *)regs.sp)->uc.uc_sigmask, sigmask(SIGHUP));
	C_CHECK_EQ(current->blocked, sigmask(SIGINT) | sigmask(SIGUSR1));
	return 0;
}

/* ---- sigaltstack ---- */

KTEST_CHILD(signal_sigaltstack)
{
	unsigned long base = (unsigned long)fake_stack, size = 8192;
	stack_t ss = { .ss_sp = fake_stack, .ss_size = size }, old;
	unsigned long s = (unsigned long)&ss, o = (unsigned long)&old;
	struct pt_regs *uregs = task_pt_regs(current), regs;
	struct k_sigaction ka = { .sa_flags = SA_ONSTACK };
	unsigned long fp, frame;

	uregs->sp = 0x7ff000;			/* the "user" sp sigaltstack() looks at */
	C_CHECK_EQ(sys4(__NR_sigaltstack, 0, o, 0, 0), 0);
	C_CHECK(old.ss_flags == SS_DISABLE && old.ss_sp == NULL && old.ss_size == 0);
	ss.ss_size = MINSIGSTKSZ - 1;
	C_CHECK_EQ(sys4(__NR_sigaltstack, s, 0, 0, 0), -ENOMEM);
	ss.ss_size = size;
	ss.ss_flags = 5;
	C_CHECK_EQ(sys4(__NR_sigaltstack, s, 0, 0, 0), -EINVAL);
	ss.ss_flags = 0;
	C_CHECK_EQ(sys4(__NR_sigaltstack, BAD_PTR, 0, 0, 0), -EFAULT);
	C_CHECK_EQ(sys4(__NR_sigaltstack, s, 0, 0, 0), 0);
	C_CHECK_EQ(sys4(__NR_sigaltstack, 0, o, 0, 0), 0);
	C_CHECK(old.ss_flags == 0 && old.ss_sp == fake_stack && old.ss_size == size);

	/* SA_ONSTACK moves the frame onto it; without, it stays on the normal stack. */
	fake_user_regs(&regs, 0x7ff000);
	frame = get_sigframe(&ka, &regs, &fp);
	C_CHECK(frame > base && fp + 512 <= base + size && (frame + 8) % 16 == 0);
	ka.sa_flags = 0;
	C_CHECK_EQ(get_sigframe(&ka, &regs, &fp) >> 12, (0x7ff000 - 128 - 512 - 440) >> 12);

	/* Running on it: it cannot be changed, and a nested frame goes below the current sp. */
	uregs->sp = base + 4096;
	C_CHECK_EQ(sys4(__NR_sigaltstack, 0, o, 0, 0), 0);
	C_CHECK_EQ(old.ss_flags, SS_ONSTACK);
	C_CHECK_EQ(sys4(__NR_sigaltstack, s, 0, 0, 0), -EPERM);
	ka.sa_flags = SA_ONSTACK;
	fake_user_regs(&regs, base + 4096);
	frame = get_sigframe(&ka, &regs, &fp);
	C_CHECK(frame < base + 4096 - 128 && frame > base);
	fake_user_regs(&regs, base + 600);	/* no room left: an always-bad address */
	C_CHECK_EQ(get_sigframe(&ka, &regs, &fp), -1UL);

	/* SS_AUTODISARM: the frame records the stack, which is then disarmed until sigreturn. */
	uregs->sp = 0x7ff000;
	ss.ss_flags = SS_AUTODISARM;
	C_CHECK_EQ(sys4(__NR_sigaltstack, s, o, 0, 0), 0);
	C_CHECK_EQ(sys4(__NR_sigaltstack, 0, o, 0, 0), 0);
	C_CHECK_EQ((unsigned int)old.ss_flags, SS_AUTODISARM);
	set_handler(SIGUSR1, SA_ONSTACK, 0);
	fake_user_regs(&regs, 0x7ff000);
	send_sig(SIGUSR1, current, 0);
	arch_do_signal_or_restart(&regs);
	struct rt_sigframe *f = (struct rt_sigframe *)regs.sp;
	C_CHECK(regs.ip == HANDLER && regs.sp > base && regs.sp < base + size);
	C_CHECK(f->uc.uc_stack.ss_sp == fake_stack && f->uc.uc_stack.ss_size == size);
	C_CHECK_EQ(current->sas_ss_size, 0);
	struct pt_regs ret = { .sp = regs.sp + 8, .flags = X86_EFLAGS_IF };
	f->uc.uc_mcontext.rsp = 0x7ff000;
	call_regs(__NR_rt_sigreturn, &ret);
	C_CHECK(current->sas_ss_size == size && current->sas_ss_sp == base);

	ss.ss_flags = SS_DISABLE;
	C_CHECK_EQ(sys4(__NR_sigaltstack, s, 0, 0, 0), 0);
	C_CHECK_EQ(current->sas_ss_size, 0);
	return 0;
}

/* ---- SIGCHLD ---- */

/* do_notify_parent(): CLD_* siginfo, and no zombie for a parent that ignores SIGCHLD or sets SA_NOCLDWAIT. */
static int notify_child(void *arg)
{
	struct child_result *res = arg;
	struct task_struct *kid = create_kernel_task(wait_child, NULL, "sigkid", SIGCHLD);
	struct k_sigaction *ka = &current->sighand->action[SIGCHLD - 1];
	struct sigpending *sp = &current->signal->shared_pending;
	unsigned long flags;
	bool reap[3];
	int status;

	C_CHECK(!IS_ERR(kid));
	set_current_blocked(sigmask(SIGCHLD));
	ka->sa_handler = (void *)HANDLER;
	kid->exit_code = 3 << 8;
	spin_lock_irqsave(&tasklist_lock, flags);
	reap[0] = do_notify_parent(kid, SIGCHLD);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	C_CHECK(!reap[0] && (sp->signal & sigmask(SIGCHLD)));
	C_CHECK(sp->info[SIGCHLD - 1].code == CLD_EXITED && sp->info[SIGCHLD - 1].status == 3 &&
		sp->info[SIGCHLD - 1].pid == kid->pid);
	struct ksignal ksig = { .sig = SIGCHLD, .info = sp->info[SIGCHLD - 1] };
	siginfo_t si;
	fill_siginfo(&si, &ksig);
	C_CHECK(si.si_code == CLD_EXITED && si._sifields._sigchld.si_pid == kid->pid &&
		si._sifields._sigchld.si_status == 3);
	flush_signals(current);
	kid->exit_code = SIGSEGV;
	ka->sa_flags = SA_NOCLDWAIT;
	spin_lock_irqsave(&tasklist_lock, flags);
	reap[1] = do_notify_parent(kid, SIGCHLD);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	C_CHECK(reap[1] && sp->info[SIGCHLD - 1].code == CLD_KILLED && sp->info[SIGCHLD - 1].status == SIGSEGV);
	flush_signals(current);
	ka->sa_handler = SIG_IGN;
	ka->sa_flags = 0;
	spin_lock_irqsave(&tasklist_lock, flags);
	reap[2] = do_notify_parent(kid, SIGCHLD);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	C_CHECK(reap[2] && !(sp->signal & sigmask(SIGCHLD)));
	ka->sa_handler = SIG_DFL;
	set_current_blocked(0);
	pid_t pid = kid->pid;
	wake_up_process(kid);
	C_CHECK_EQ(kernel_wait(pid, &status), pid);
	return 0;
}

KTEST(signal_notify_parent)
{
	unsigned long freed = nr_tasks_freed, pages = nr_free_pages();

	KT_CHILD(notify_child, 0);
	KT_ASSERT_ALL_FREED(freed, 2, pages);
}
