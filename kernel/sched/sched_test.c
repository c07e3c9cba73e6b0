/*
 * ktests for the scheduler (kernel/sched/core.c, kernel/time/timer.c):
 * preemption by the tick, sleep lengths, early wake-ups of interruptible
 * sleeps, and which sleep states SIGKILL ends. Conventions and timing rules:
 * sched_test.h.
 */
#include <kernel/preempt.h>
#include "sched_test.h"

/* A thread that sleeps once in ->state for ->timeout jiffies and records how it woke. */
struct sleeper {
	long state, timeout;
	struct task_struct *task;	/* NULL if it could not be started */
	long ret;			/* what schedule_timeout() returned */
	unsigned long slept;		/* jiffies spent in it */
	bool sig, fatal;		/* a signal / SIGKILL was pending on wake-up */
	volatile int done;
};

static int sleeper_fn(void *data)
{
	struct sleeper *s = data;
	unsigned long j0 = jiffies;

	set_current_state(s->state);
	s->ret = schedule_timeout(s->timeout);
	s->slept = jiffies - j0;
	s->sig = signal_pending(current);
	s->fatal = fatal_signal_pending(current);
	flush_signals(current);
	WRITE_ONCE(s->done, 1);
	return 0;
}

/* Start a sleeper and wait until it sleeps; false if it never did. */
static bool start_sleeper(struct sleeper *s, long state, long timeout, const char *name)
{
	*s = (struct sleeper){ .state = state, .timeout = timeout };
	s->task = ktest_start_thread(sleeper_fn, s, name);
	return s->task && WAIT_FOR(asleep_in(s->task, state), 2);
}

static bool still_asleep(struct sleeper *s)
{
	return s->task && !READ_ONCE(s->done) && asleep_in(s->task, s->state);
}

static void signal_sleeper(struct sleeper *s, int sig)
{
	if (s->task)
		send_sig(sig, s->task, 1);
}

static void wake_sleeper(struct sleeper *s)
{
	if (s->task)
		wake_up_process(s->task);
}

static void stop_sleepers(struct sleeper *s, int n)
{
	for (int i = 0; i < n; i++)
		if (s[i].task)
			ktest_stop_thread(s[i].task);
}

/* ---------------------------------------------------------------- preemption */

/* A kthread that never sleeps or yields: it counts until *stop. */
struct spinner {
	volatile unsigned long count;
	volatile int *stop;
};

static int spinner_fn(void *data)
{
	struct spinner *s = data;

	while (!*s->stop)
		s->count++;
	return 0;
}

/*
 * Two kthreads that never give up the CPU both make progress in each of
 * three 100 ms windows while the test sleeps, and the test gets the CPU
 * back each time: the tick preempts them. A woken task waits at most for
 * the running task's slice and one queued slice; we allow one more slice
 * (khungtaskd), one for a host that stalls QEMU across a tick (a loaded
 * host, a KASAN kernel: 41 jiffies were seen against 40) and SLEEP_SLACK.
 */
KTEST(sched_preempt_busy_threads_progress)
{
	unsigned long freed = nr_tasks_freed, pages = nr_free_pages();
	volatile int stop = 0;
	struct spinner a = { 0, &stop }, b = { 0, &stop };
	bool progress[3], in_time[3];
	unsigned long late[3];
	const unsigned long limit = msecs_to_jiffies(100) + 1 + 4 * SCHED_SLICE_TICKS + SLEEP_SLACK;

	struct task_struct *ta = ktest_start_thread(spinner_fn, &a, "spin_a");
	struct task_struct *tb = ktest_start_thread(spinner_fn, &b, "spin_b");
	KT_ASSERT(ta && tb);
	for (int i = 0; i < 3; i++) {
		unsigned long a0 = a.count, b0 = b.count, j0 = jiffies;
		msleep(100);
		late[i] = jiffies - j0;
		progress[i] = a.count > a0 && b.count > b0;
		in_time[i] = late[i] <= limit;
	}
	stop = 1;		/* we ran again: set the flag */
	ktest_stop_thread(ta);
	ktest_stop_thread(tb);
	for (int i = 0; i < 3; i++) {
		KT_ASSERT_MSG(progress[i], "window %d: a spinner made no progress", i);
		KT_ASSERT_MSG(in_time[i], "window %d: msleep(100) took %lu jiffies (limit %lu)", i, late[i], limit);
	}
	KT_ASSERT_ALL_FREED(freed, 2, pages);
}

struct preempt_probe {
	volatile int a_spinning, flag, a_gave_up, b_saw_a_spinning;
	int a_preempt_count;
	unsigned long a_nivcsw;
};

/* Spins with preempt_count 0 until B sets the flag; B can run only if we are preempted. */
static int spin_until_flag(void *data)
{
	struct preempt_probe *p = data;
	unsigned long end = jiffies + 5 * HZ, nivcsw0 = current->nivcsw;

	p->a_preempt_count = preempt_count();
	p->a_spinning = 1;
	while (!p->flag) {
		if (time_after(jiffies, end)) {
			p->a_gave_up = 1;
			break;
		}
		cpu_relax();
	}
	p->a_nivcsw = current->nivcsw - nivcsw0;
	p->a_spinning = 0;
	return 0;
}

static int set_flag(void *data)
{
	struct preempt_probe *p = data;

	p->b_saw_a_spinning = p->a_spinning;
	p->flag = 1;
	return 0;
}

/* A kernel loop with preempt_count 0 is preempted by the tick: B runs while A is mid-loop. */
KTEST(sched_preempt_kernel_loop)
{
	unsigned long freed = nr_tasks_freed, pages = nr_free_pages();
	struct preempt_probe p = { 0 };

	struct task_struct *a = ktest_start_thread(spin_until_flag, &p, "spin_until");
	struct task_struct *b = ktest_start_thread(set_flag, &p, "set_flag");
	KT_ASSERT(a && b);
	WAIT_FOR(p.flag || p.a_gave_up, 10);
	ktest_stop_thread(a);
	ktest_stop_thread(b);
	KT_ASSERT_EQ(p.a_preempt_count, 0);
	KT_ASSERT_MSG(!p.a_gave_up, "the spinning kthread was never preempted in 5 s");
	KT_ASSERT_MSG(p.b_saw_a_spinning, "B ran, but not while A was in its loop");
	KT_ASSERT(p.a_nivcsw >= 1);
	KT_ASSERT_ALL_FREED(freed, 2, pages);
}

/*
 * With preempt_disable() our busy loop keeps the CPU for 3 slices: jiffies
 * advance (the tick runs) but the runnable spinner's counter does not move;
 * the slice ran out, so need_resched is set, and preempt_enable() itself
 * switches to the spinner before returning.
 */
KTEST(sched_preempt_disable_blocks_preemption)
{
	unsigned long freed = nr_tasks_freed, pages = nr_free_pages();
	volatile int stop = 0;
	struct spinner s = { 0, &stop };

	KT_ASSERT_EQ(preempt_count(), 0);
	struct task_struct *t = ktest_start_thread(spinner_fn, &s, "spinner");
	KT_ASSERT(t);
	msleep(20);		/* the spinner is running or queued from here on */

	preempt_disable();
	unsigned long c0 = s.count, j0 = jiffies, nivcsw0 = current->nivcsw;
	while (jiffies - j0 < 3 * SCHED_SLICE_TICKS)
		cpu_relax();
	unsigned long c1 = s.count, ticks = jiffies - j0;
	bool resched = need_resched();
	preempt_enable();
	unsigned long c2 = s.count, nivcsw1 = current->nivcsw;

	stop = 1;
	ktest_stop_thread(t);
	KT_ASSERT(ticks >= 3 * SCHED_SLICE_TICKS);
	KT_ASSERT_MSG(c1 == c0, "the spinner ran %lu times while preemption was off", c1 - c0);
	KT_ASSERT_MSG(resched, "need_resched not set after %lu ticks", ticks);
	KT_ASSERT_MSG(c2 > c1, "preempt_enable() did not switch to the spinner");
	KT_ASSERT_EQ(nivcsw1, nivcsw0 + 1);
	KT_ASSERT_ALL_FREED(freed, 1, pages);
}

/* ---------------------------------------------------------- sleep accuracy */

/*
 * msleep(N) sleeps at least N ms: starting on a tick edge, at least
 * msecs_to_jiffies(N) ticks; it adds one jiffy as Linux does, so it should
 * take msecs_to_jiffies(N) + 1 ticks, plus at most SLEEP_SLACK.
 */
KTEST(sched_msleep_accuracy)
{
	static const unsigned int ms[] = { 1, 4, 10, 50, 100 };

	for (unsigned int i = 0; i < ARRAY_SIZE(ms); i++) {
		sync_to_tick();
		unsigned long j0 = jiffies;
		msleep(ms[i]);
		unsigned long d = jiffies - j0, min = msecs_to_jiffies(ms[i]);
		KT_ASSERT_MSG(d >= min && d <= min + 1 + SLEEP_SLACK, "msleep(%u) took %lu jiffies, expected %lu..%lu",
			      ms[i], d, min, min + 1 + SLEEP_SLACK);
	}
}

/* schedule_timeout_{uninterruptible,killable,idle}(N): at least N jiffies, at most N + SLEEP_SLACK, returns 0. */
KTEST(sched_schedule_timeout_accuracy)
{
	static const long n[] = { 1, 2, 5, 25 };

	for (unsigned int i = 0; i < ARRAY_SIZE(n); i++) {
		for (int variant = 0; variant < 3; variant++) {
			sync_to_tick();
			unsigned long j0 = jiffies;
			long left = variant == 0 ? schedule_timeout_uninterruptible(n[i]) :
				    variant == 1 ? schedule_timeout_killable(n[i]) : schedule_timeout_idle(n[i]);
			unsigned long d = jiffies - j0;
			KT_ASSERT_MSG(left == 0, "variant %d, timeout %ld: returned %ld", variant, n[i], left);
			KT_ASSERT_MSG(d >= (unsigned long)n[i] && d <= (unsigned long)n[i] + SLEEP_SLACK,
				      "variant %d: schedule_timeout(%ld) took %lu jiffies", variant, n[i], d);
		}
		KT_ASSERT_EQ(current->state, TASK_RUNNING);
	}
}

/* schedule_timeout_interruptible() returns early, with the time left, on wake_up_process() or a signal. */
KTEST(sched_schedule_timeout_interruptible_early)
{
	unsigned long freed = nr_tasks_freed, pages = nr_free_pages();
	struct sleeper s[2];	/* woken, signalled */

	bool slept = start_sleeper(&s[0], TASK_INTERRUPTIBLE, 10 * HZ, "sto_wake");
	msleep(20);
	wake_sleeper(&s[0]);
	WAIT_FOR(s[0].done, 2);
	slept &= start_sleeper(&s[1], TASK_INTERRUPTIBLE, 10 * HZ, "sto_signal");
	msleep(20);
	signal_sleeper(&s[1], SIGUSR1);
	WAIT_FOR(s[1].done, 2);
	stop_sleepers(s, 2);
	KT_ASSERT(slept);
	KT_ASSERT_MSG(s[0].done && s[0].ret > 0 && s[0].ret < 10 * HZ, "wake_up_process: done %d, returned %ld",
		      s[0].done, s[0].ret);
	KT_ASSERT(!s[0].sig);
	KT_ASSERT_MSG(s[1].done && s[1].ret > 0 && s[1].ret < 10 * HZ, "signal: done %d, returned %ld",
		      s[1].done, s[1].ret);
	KT_ASSERT(s[1].sig && !s[1].fatal);
	KT_ASSERT_ALL_FREED(freed, 2, pages);
}

/* ------------------------------------------------- SIGKILL and sleep states */

/*
 * SIGKILL wakes TASK_INTERRUPTIBLE and TASK_KILLABLE sleepers (early, with
 * time left); SIGUSR1 wakes the interruptible one but not the killable one.
 */
KTEST(sched_sigkill_wakes_killable_and_interruptible)
{
	unsigned long freed = nr_tasks_freed, pages = nr_free_pages();
	struct sleeper s[2], *i = &s[0], *k = &s[1];

	bool slept = start_sleeper(i, TASK_INTERRUPTIBLE, 10 * HZ, "sig_intr");
	slept &= start_sleeper(k, TASK_KILLABLE, 10 * HZ, "sig_kill");
	signal_sleeper(k, SIGUSR1);
	msleep(50);
	bool usr1_ignored = still_asleep(k);
	signal_sleeper(i, SIGKILL);
	signal_sleeper(k, SIGKILL);
	WAIT_FOR(i->done && k->done, 2);
	stop_sleepers(s, 2);
	KT_ASSERT(slept);
	KT_ASSERT_MSG(usr1_ignored, "SIGUSR1 woke a TASK_KILLABLE sleeper");
	KT_ASSERT_MSG(i->done && i->ret > 0 && i->fatal, "interruptible: done %d ret %ld fatal %d", i->done, i->ret,
		      i->fatal);
	KT_ASSERT_MSG(k->done && k->ret > 0 && k->fatal, "killable: done %d ret %ld fatal %d", k->done, k->ret,
		      k->fatal);
	KT_ASSERT_ALL_FREED(freed, 2, pages);
}

/*
 * SIGKILL never wakes TASK_UNINTERRUPTIBLE (or TASK_IDLE) sleepers: one
 * keeps sleeping until wake_up_process(), one until its timeout runs out.
 */
KTEST(sched_sigkill_not_uninterruptible)
{
	unsigned long freed = nr_tasks_freed, pages = nr_free_pages();
	struct sleeper s[3], *u = &s[0], *d = &s[1], *t = &s[2];

	bool slept = start_sleeper(u, TASK_UNINTERRUPTIBLE, 10 * HZ, "sig_unintr");
	slept &= start_sleeper(d, TASK_IDLE, 10 * HZ, "sig_idle");
	slept &= start_sleeper(t, TASK_UNINTERRUPTIBLE, 60, "sig_timeout");
	for (int i = 0; i < 3; i++)
		signal_sleeper(&s[i], SIGKILL);
	msleep(100);
	bool unwoken = still_asleep(u) && still_asleep(d);
	wake_sleeper(u);
	wake_sleeper(d);
	WAIT_FOR(u->done && d->done && t->done, 3);
	stop_sleepers(s, 3);
	KT_ASSERT(slept);
	KT_ASSERT_MSG(unwoken, "SIGKILL woke an uninterruptible sleeper (done %d %d)", u->done, d->done);
	KT_ASSERT_MSG(u->done && u->ret > 0 && u->fatal, "done %d ret %ld fatal %d", u->done, u->ret, u->fatal);
	KT_ASSERT_MSG(d->done && d->ret > 0 && d->fatal, "done %d ret %ld fatal %d", d->done, d->ret, d->fatal);
	KT_ASSERT_MSG(t->done && t->ret == 0 && t->slept >= 60 && t->fatal,
		      "timeout sleeper: done %d ret %ld slept %lu fatal %d", t->done, t->ret, t->slept, t->fatal);
	KT_ASSERT_ALL_FREED(freed, 3, pages);
}
