/*
 * ktests for the scheduler and task lifetime (kernel/sched/core.c, wait.c,
 * kernel/time/timer.c, kernel/fork.c, exit.c, signal.c, kthread.c):
 * preemption, sleep accuracy, wait queues, completions, kthread_stop(),
 * task references, wait/reparenting, SIGKILL versus sleep states, and the
 * kernel stack's guard page.
 *
 * Tests run in pid 1 (init) with interrupts on, one at a time. Each starts
 * its own kthreads, stops them, and ends by checking that every task it made
 * was freed (nr_tasks_freed) and that nr_free_pages() is back at the value it
 * had before (task stacks are vmalloc pages, task structs slab objects: both
 * come back once the last reference is put). Results that threads record
 * are asserted only after the threads are stopped, so a failed assertion
 * does not leave threads behind.
 *
 * Timing: nothing here measures wall-clock speed. Sleep lengths are checked
 * in jiffies (HZ=250, 4 ms ticks): a sleep of N jiffies ends on the tick where
 * jiffies reaches start+N and the sleeper runs at once when the CPU is
 * otherwise idle, so we allow SLEEP_SLACK (2) ticks over for TCG noise and
 * khungtaskd's once-a-second scan.
 */
/*
 * include/kernel/wait.h's wait_event_{interruptible,killable,timeout,
 * interruptible_timeout}() put "if (...) stmt; __r;" on one line, which
 * -Werror=misleading-indentation rejects in any caller (reported as a bug).
 * Until the header is fixed, silence that warning for this file only.
 */

#include <kernel/kernel.h>
#include <kernel/ktest.h>
#include <kernel/ktest_thread.h>
#include <kernel/kthread.h>
#include <kernel/sched.h>
#include <kernel/sched/task.h>
#include <kernel/signal.h>
#include <kernel/wait.h>
#include <kernel/completion.h>
#include <kernel/time.h>
#include <kernel/timer.h>
#include <kernel/preempt.h>
#include <lib/string.h>
#include <mm/mm.h>
#include <mm/vmalloc.h>
#include <arch/extable.h>
#include <arch/processor.h>
#include <uapi/errno.h>

#define SLEEP_SLACK 2	/* ticks a sleep may overrun (see the top comment) */

/* t sleeps in exactly `state`: off the run queue, not merely preempted. */
static bool asleep_in(struct task_struct *t, long state)
{
	return READ_ONCE(t->state) == state && !READ_ONCE(t->on_rq);
}

/* Busy-wait (with interrupts on) until the next tick starts. */
static void sync_to_tick(void)
{
	unsigned long j = jiffies;

	while (jiffies == j)
		cpu_relax();
}

/* Sleep in state until kthread_stop(). */
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

/* A thread that sleeps once in ->state for ->timeout jiffies and records how it woke. */
struct sleeper {
	long state, timeout;
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
 * (khungtaskd) and SLEEP_SLACK.
 */
KTEST(sched_preempt_busy_threads_progress)
{
	unsigned long freed = nr_tasks_freed, pages = nr_free_pages();
	volatile int stop = 0;
	struct spinner a = { 0, &stop }, b = { 0, &stop };
	bool progress[3], in_time[3];
	unsigned long late[3];
	const unsigned long limit = msecs_to_jiffies(100) + 1 + 3 * SCHED_SLICE_TICKS + SLEEP_SLACK;

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
	struct sleeper w = { .state = TASK_INTERRUPTIBLE, .timeout = 10 * HZ };
	struct sleeper s = { .state = TASK_INTERRUPTIBLE, .timeout = 10 * HZ };
	bool w_slept, s_slept;

	struct task_struct *tw = ktest_start_thread(sleeper_fn, &w, "sto_wake");
	KT_ASSERT(tw);
	w_slept = WAIT_FOR(asleep_in(tw, TASK_INTERRUPTIBLE), 2);
	msleep(20);
	wake_up_process(tw);
	WAIT_FOR(w.done, 2);

	struct task_struct *ts = ktest_start_thread(sleeper_fn, &s, "sto_signal");
	KT_ASSERT(ts);
	s_slept = WAIT_FOR(asleep_in(ts, TASK_INTERRUPTIBLE), 2);
	msleep(20);
	send_sig(SIGUSR1, ts, 1);
	WAIT_FOR(s.done, 2);

	ktest_stop_thread(tw);
	ktest_stop_thread(ts);
	KT_ASSERT(w_slept && s_slept);
	KT_ASSERT_MSG(w.done && w.ret > 0 && w.ret < 10 * HZ, "wake_up_process: done %d, returned %ld", w.done, w.ret);
	KT_ASSERT(!w.sig);
	KT_ASSERT_MSG(s.done && s.ret > 0 && s.ret < 10 * HZ, "signal: done %d, returned %ld", s.done, s.ret);
	KT_ASSERT(s.sig && !s.fatal);
	KT_ASSERT_ALL_FREED(freed, 2, pages);
}

/* ------------------------------------------------------------- wait queues */

struct wq_probe {
	struct wait_queue_head wq;
	volatile int cond, armed, woken, done;
	int cond_at_check;
	long state_before_schedule, ret;
};

static int wait_event_timeout_fn(void *data)
{
	struct wq_probe *w = data;

	w->ret = wait_event_timeout(w->wq, READ_ONCE(w->cond), 5 * HZ);
	WRITE_ONCE(w->done, 1);
	return 0;
}

/*
 * The race window by hand: queued with its state set, the waiter sees the
 * condition false; only then are the condition set and wake_up() called,
 * before the waiter reaches schedule(). The wake-up must have turned it
 * back to TASK_RUNNING, so schedule_timeout() returns at once.
 */
static int window_waiter_fn(void *data)
{
	struct wq_probe *w = data;
	DEFINE_WAIT(wait);

	prepare_to_wait(&w->wq, &wait, TASK_UNINTERRUPTIBLE);
	w->cond_at_check = READ_ONCE(w->cond);
	WRITE_ONCE(w->armed, 1);
	while (!READ_ONCE(w->woken))
		cpu_relax();	/* preempted here, we stay on the run queue */
	w->state_before_schedule = current->state;
	w->ret = schedule_timeout(5 * HZ);
	finish_wait(&w->wq, &wait);
	WRITE_ONCE(w->done, 1);
	return 0;
}

/* A wake-up that comes before the sleep is not lost, whether before wait_event or inside its window. */
KTEST(sched_waitqueue_wakeup_before_sleep)
{
	unsigned long freed = nr_tasks_freed, pages = nr_free_pages();
	struct wq_probe a = { 0 }, b = { 0 };

	/* a: condition set and wake_up() called before the waiter even starts. */
	init_waitqueue_head(&a.wq);
	struct task_struct *ta = kthread_create(wait_event_timeout_fn, &a, "wq_early");
	KT_ASSERT(!IS_ERR(ta));
	get_task_struct(ta);
	a.cond = 1;
	wake_up(&a.wq);
	wake_up_process(ta);
	WAIT_FOR(a.done, 10);

	/* b: between the waiter's last check and its schedule(). */
	init_waitqueue_head(&b.wq);
	struct task_struct *tb = ktest_start_thread(window_waiter_fn, &b, "wq_window");
	KT_ASSERT(tb);
	WAIT_FOR(b.armed, 2);
	b.cond = 1;
	wake_up(&b.wq);
	b.woken = 1;
	WAIT_FOR(b.done, 10);

	ktest_stop_thread(ta);
	ktest_stop_thread(tb);
	KT_ASSERT_MSG(a.done && a.ret > 0, "wait_event_timeout returned %ld (done %d)", a.ret, a.done);
	KT_ASSERT(b.armed && b.cond_at_check == 0);
	KT_ASSERT_EQ(b.state_before_schedule, TASK_RUNNING);
	KT_ASSERT_MSG(b.done && b.ret > 0, "schedule_timeout returned %ld (done %d): the wake-up was lost",
		      b.ret, b.done);
	KT_ASSERT_ALL_FREED(freed, 2, pages);
}

/* Exclusive waiters that each need a token; they count how often schedule() returned. */
struct excl_queue {
	struct wait_queue_head wq;
	spinlock_t lock;
	int tokens;
	int wakeups;
};

struct excl_waiter {
	struct excl_queue *q;
	volatile int done;
};

static bool take_token(struct excl_queue *q)
{
	unsigned long flags;
	bool ok;

	spin_lock_irqsave(&q->lock, flags);
	ok = q->tokens > 0;
	if (ok)
		q->tokens--;
	spin_unlock_irqrestore(&q->lock, flags);
	return ok;
}

static int excl_waiter_fn(void *data)
{
	struct excl_waiter *w = data;
	DEFINE_WAIT(wait);

	for (;;) {
		prepare_to_wait_exclusive(&w->q->wq, &wait, TASK_UNINTERRUPTIBLE);
		if (take_token(w->q))
			break;
		schedule();
		__atomic_add_fetch(&w->q->wakeups, 1, __ATOMIC_RELAXED);
	}
	finish_wait(&w->q->wq, &wait);
	WRITE_ONCE(w->done, 1);
	return 0;
}

/* wake_up() wakes exactly one exclusive waiter, the first queued; wake_up_all() the rest. */
KTEST(sched_waitqueue_wake_one_exclusive)
{
	unsigned long freed = nr_tasks_freed, pages = nr_free_pages();
	struct excl_queue q = { .tokens = 0 };
	struct excl_waiter w[3] = { { &q, 0 }, { &q, 0 }, { &q, 0 } };
	struct task_struct *t[3];
	bool slept = true, one_done, all_done;
	int wakeups_after_one, done_after_one[3], still_asleep = 0;

	init_waitqueue_head(&q.wq);
	spin_lock_init(&q.lock);
	for (int i = 0; i < 3; i++) {
		t[i] = ktest_start_thread(excl_waiter_fn, &w[i], "wq_excl");
		KT_ASSERT(t[i]);
		slept &= WAIT_FOR(asleep_in(t[i], TASK_UNINTERRUPTIBLE), 2);	/* queue in order */
	}
	spin_lock_irq(&q.lock);
	q.tokens = 1;
	spin_unlock_irq(&q.lock);
	wake_up(&q.wq);
	one_done = WAIT_FOR(w[0].done || w[1].done || w[2].done, 2);
	msleep(50);		/* time for any extra (wrong) wake-up to show */
	wakeups_after_one = q.wakeups;
	for (int i = 0; i < 3; i++) {
		done_after_one[i] = w[i].done;
		still_asleep += asleep_in(t[i], TASK_UNINTERRUPTIBLE);
	}

	spin_lock_irq(&q.lock);
	q.tokens += 2;
	spin_unlock_irq(&q.lock);
	wake_up_all(&q.wq);
	all_done = WAIT_FOR(w[0].done && w[1].done && w[2].done, 2);
	for (int i = 0; i < 3; i++)
		ktest_stop_thread(t[i]);

	KT_ASSERT(slept && one_done && all_done);
	KT_ASSERT_EQ(wakeups_after_one, 1);
	KT_ASSERT_MSG(done_after_one[0] && !done_after_one[1] && !done_after_one[2],
		      "woken: %d %d %d, expected only the first queued", done_after_one[0], done_after_one[1],
		      done_after_one[2]);
	KT_ASSERT_EQ(still_asleep, 2);
	KT_ASSERT_EQ(q.wakeups, 3);
	KT_ASSERT(!waitqueue_active(&q.wq));
	KT_ASSERT_ALL_FREED(freed, 3, pages);
}

struct all_waiters {
	struct wait_queue_head wq;
	volatile int go;
	int done;
};

static int plain_waiter_fn(void *data)
{
	struct all_waiters *a = data;

	wait_event(a->wq, READ_ONCE(a->go));
	__atomic_add_fetch(&a->done, 1, __ATOMIC_RELAXED);
	return 0;
}

static int exclusive_waiter_fn(void *data)
{
	struct all_waiters *a = data;

	___wait_event(a->wq, READ_ONCE(a->go), TASK_UNINTERRUPTIBLE, 1, 0, schedule());
	__atomic_add_fetch(&a->done, 1, __ATOMIC_RELAXED);
	return 0;
}

/* wake_up_all() wakes all N waiters, exclusive ones included. */
KTEST(sched_waitqueue_wake_up_all)
{
	enum { N = 6 };
	unsigned long freed = nr_tasks_freed, pages = nr_free_pages();
	struct all_waiters a = { .go = 0, .done = 0 };
	struct task_struct *t[N];
	bool slept = true, all;
	int done_before;

	init_waitqueue_head(&a.wq);
	for (int i = 0; i < N; i++) {
		t[i] = ktest_start_thread(i % 2 ? exclusive_waiter_fn : plain_waiter_fn, &a, "wq_all");
		KT_ASSERT(t[i]);
	}
	for (int i = 0; i < N; i++)
		slept &= WAIT_FOR(asleep_in(t[i], TASK_UNINTERRUPTIBLE), 2);
	msleep(20);
	done_before = a.done;
	a.go = 1;
	wake_up_all(&a.wq);
	all = WAIT_FOR(READ_ONCE(a.done) == N, 2);
	if (!all) {	/* do not leave sleepers behind */
		wake_up_all(&a.wq);
		WAIT_FOR(READ_ONCE(a.done) == N, 2);
	}
	for (int i = 0; i < N; i++)
		ktest_stop_thread(t[i]);
	KT_ASSERT(slept);
	KT_ASSERT_EQ(done_before, 0);
	KT_ASSERT_MSG(all, "only %d of %d waiters woke", a.done, N);
	KT_ASSERT_ALL_FREED(freed, N, pages);
}

struct sig_waiter {
	struct wait_queue_head wq;
	long state;
	long ret;
	volatile int done;
};

static int signal_waiter_fn(void *data)
{
	struct sig_waiter *w = data;

	if (w->state == TASK_INTERRUPTIBLE)
		w->ret = wait_event_interruptible(w->wq, 0);
	else
		w->ret = wait_event_killable(w->wq, 0);
	flush_signals(current);
	WRITE_ONCE(w->done, 1);
	return 0;
}

/*
 * wait_event_interruptible() returns -ERESTARTSYS on any signal;
 * wait_event_killable() ignores SIGUSR1 and returns -ERESTARTSYS on SIGKILL.
 */
KTEST(sched_waitqueue_interruptible_signal)
{
	unsigned long freed = nr_tasks_freed, pages = nr_free_pages();
	struct sig_waiter i = { .state = TASK_INTERRUPTIBLE }, k = { .state = TASK_KILLABLE };
	bool slept, k_slept, k_ignored_usr1;

	init_waitqueue_head(&i.wq);
	init_waitqueue_head(&k.wq);
	struct task_struct *ti = ktest_start_thread(signal_waiter_fn, &i, "wq_intr");
	struct task_struct *tk = ktest_start_thread(signal_waiter_fn, &k, "wq_kill");
	KT_ASSERT(ti && tk);
	slept = WAIT_FOR(asleep_in(ti, TASK_INTERRUPTIBLE), 2);
	k_slept = WAIT_FOR(asleep_in(tk, TASK_KILLABLE), 2);
	send_sig(SIGUSR1, ti, 1);
	send_sig(SIGUSR1, tk, 1);
	WAIT_FOR(i.done, 2);
	msleep(50);
	k_ignored_usr1 = !k.done && asleep_in(tk, TASK_KILLABLE);
	send_sig(SIGKILL, tk, 1);
	WAIT_FOR(k.done, 2);
	ktest_stop_thread(ti);
	ktest_stop_thread(tk);
	KT_ASSERT(slept && k_slept);
	KT_ASSERT_MSG(i.done && i.ret == -ERESTARTSYS, "interruptible: done %d ret %ld", i.done, i.ret);
	KT_ASSERT_MSG(k_ignored_usr1, "SIGUSR1 woke a TASK_KILLABLE waiter");
	KT_ASSERT_MSG(k.done && k.ret == -ERESTARTSYS, "killable: done %d ret %ld", k.done, k.ret);
	KT_ASSERT_ALL_FREED(freed, 2, pages);
}

struct timer_waker {
	struct timer_list timer;
	struct wait_queue_head *wq;
	volatile int *cond;
};

static void timer_waker_fn(struct timer_list *t)
{
	struct timer_waker *w = container_of(t, struct timer_waker, timer);

	*w->cond = 1;
	wake_up(w->wq);		/* from the tick interrupt */
}

/*
 * wait_event_timeout() and wait_event_interruptible_timeout() return 0 when
 * the time runs out (after at least that many jiffies), and the jiffies left
 * when a kernel timer makes the condition true and wakes them earlier.
 */
KTEST(sched_waitqueue_timeout)
{
	struct wait_queue_head wq;
	volatile int cond = 0;
	struct timer_waker tw = { .wq = &wq, .cond = &cond };

	init_waitqueue_head(&wq);
	sync_to_tick();
	unsigned long j0 = jiffies;
	long ret = wait_event_timeout(wq, cond, 10);
	unsigned long d = jiffies - j0;
	KT_ASSERT_EQ(ret, 0);
	KT_ASSERT_MSG(d >= 10 && d <= 10 + SLEEP_SLACK, "slept %lu jiffies", d);

	sync_to_tick();
	j0 = jiffies;
	ret = wait_event_interruptible_timeout(wq, cond, 10);
	d = jiffies - j0;
	KT_ASSERT_EQ(ret, 0);
	KT_ASSERT_MSG(d >= 10 && d <= 10 + SLEEP_SLACK, "slept %lu jiffies", d);

	timer_setup(&tw.timer, timer_waker_fn);
	sync_to_tick();
	j0 = jiffies;
	mod_timer(&tw.timer, j0 + 5);
	ret = wait_event_timeout(wq, cond, 50);
	d = jiffies - j0;
	del_timer_sync(&tw.timer);
	KT_ASSERT_MSG(ret > 0 && ret >= 50 - 5 - SLEEP_SLACK, "returned %ld", ret);
	KT_ASSERT_MSG(d >= 5 && d <= 5 + SLEEP_SLACK, "woken after %lu jiffies", d);
	KT_ASSERT(!timer_pending(&tw.timer));
	KT_ASSERT(!waitqueue_active(&wq));
}

/* ------------------------------------------------------------- completions */

struct comp_waiter {
	struct completion *c;
	int mode;		/* 0: wait_for_completion, 1: _killable */
	int ret;
	volatile int done;
};

static int comp_waiter_fn(void *data)
{
	struct comp_waiter *w = data;

	if (w->mode == 0)
		wait_for_completion(w->c);
	else
		w->ret = wait_for_completion_killable(w->c);
	flush_signals(current);
	WRITE_ONCE(w->done, 1);
	return 0;
}

/* wait_for_completion() blocks until complete(), and one complete() releases one waiter. */
KTEST(sched_completion_blocks_until_complete)
{
	unsigned long freed = nr_tasks_freed, pages = nr_free_pages();
	struct completion c;
	struct comp_waiter w[3];
	struct task_struct *t[3];
	bool slept, blocked, one, both;
	int first_round;

	init_completion(&c);
	for (int i = 0; i < 3; i++)
		w[i] = (struct comp_waiter){ &c, 0, 0, 0 };
	t[0] = ktest_start_thread(comp_waiter_fn, &w[0], "comp_w0");
	KT_ASSERT(t[0]);
	slept = WAIT_FOR(asleep_in(t[0], TASK_UNINTERRUPTIBLE), 2);
	msleep(50);
	blocked = !w[0].done && asleep_in(t[0], TASK_UNINTERRUPTIBLE);
	complete(&c);
	one = WAIT_FOR(w[0].done, 2);

	/* Two waiters, one complete(): exactly one goes. */
	t[1] = ktest_start_thread(comp_waiter_fn, &w[1], "comp_w1");
	t[2] = ktest_start_thread(comp_waiter_fn, &w[2], "comp_w2");
	KT_ASSERT(t[1] && t[2]);
	slept &= WAIT_FOR(asleep_in(t[1], TASK_UNINTERRUPTIBLE) && asleep_in(t[2], TASK_UNINTERRUPTIBLE), 2);
	complete(&c);
	WAIT_FOR(w[1].done || w[2].done, 2);
	msleep(50);
	first_round = w[1].done + w[2].done;
	complete(&c);
	both = WAIT_FOR(w[1].done && w[2].done, 2);

	for (int i = 0; i < 3; i++)
		ktest_stop_thread(t[i]);
	KT_ASSERT(slept);
	KT_ASSERT_MSG(blocked, "wait_for_completion() returned before complete()");
	KT_ASSERT(one);
	KT_ASSERT_EQ(first_round, 1);
	KT_ASSERT(both);
	KT_ASSERT(!completion_done(&c));
	KT_ASSERT_ALL_FREED(freed, 3, pages);
}

/* complete_all() releases every waiter and every later wait, until reinit_completion(). */
KTEST(sched_completion_complete_all)
{
	enum { N = 4 };
	unsigned long freed = nr_tasks_freed, pages = nr_free_pages();
	struct completion c;
	struct comp_waiter w[N];
	struct task_struct *t[N];
	bool slept = true, all;

	init_completion(&c);
	for (int i = 0; i < N; i++) {
		w[i] = (struct comp_waiter){ &c, 0, 0, 0 };
		t[i] = ktest_start_thread(comp_waiter_fn, &w[i], "comp_all");
		KT_ASSERT(t[i]);
	}
	for (int i = 0; i < N; i++)
		slept &= WAIT_FOR(asleep_in(t[i], TASK_UNINTERRUPTIBLE), 2);
	complete_all(&c);
	all = WAIT_FOR(w[0].done && w[1].done && w[2].done && w[3].done, 2);
	for (int i = 0; i < N; i++)
		ktest_stop_thread(t[i]);
	KT_ASSERT(slept);
	KT_ASSERT(all);
	KT_ASSERT(completion_done(&c));
	wait_for_completion(&c);	/* returns at once */
	KT_ASSERT(try_wait_for_completion(&c));
	KT_ASSERT(try_wait_for_completion(&c));
	KT_ASSERT_EQ(wait_for_completion_timeout(&c, 1), 1);
	reinit_completion(&c);
	KT_ASSERT(!try_wait_for_completion(&c));
	KT_ASSERT_ALL_FREED(freed, N, pages);
}

/* wait_for_completion_timeout() returns 0 after the timeout, the jiffies left if done. */
KTEST(sched_completion_timeout)
{
	struct completion c;

	init_completion(&c);
	sync_to_tick();
	unsigned long j0 = jiffies;
	unsigned long ret = wait_for_completion_timeout(&c, 10);
	unsigned long d = jiffies - j0;
	KT_ASSERT_EQ(ret, 0);
	KT_ASSERT_MSG(d >= 10 && d <= 10 + SLEEP_SLACK, "slept %lu jiffies", d);
	complete(&c);
	KT_ASSERT_EQ(wait_for_completion_timeout(&c, 10), 10);
	KT_ASSERT_EQ(wait_for_completion_timeout(&c, 1), 0);	/* the one "done" was used */
}

/* try_wait_for_completion() takes one "done" if there is one and never sleeps. */
KTEST(sched_completion_try_wait)
{
	struct completion c;

	init_completion(&c);
	KT_ASSERT(!completion_done(&c));
	KT_ASSERT(!try_wait_for_completion(&c));
	complete(&c);
	complete(&c);
	KT_ASSERT(completion_done(&c));
	KT_ASSERT(try_wait_for_completion(&c));
	KT_ASSERT(try_wait_for_completion(&c));
	KT_ASSERT(!try_wait_for_completion(&c));
	KT_ASSERT(!completion_done(&c));
}

/* wait_for_completion_killable(): SIGUSR1 does not end it, SIGKILL returns -ERESTARTSYS; 0 when completed. */
KTEST(sched_completion_killable)
{
	unsigned long freed = nr_tasks_freed, pages = nr_free_pages();
	struct completion c, done;
	struct comp_waiter k = { &c, 1, 1, 0 }, ok = { &done, 1, 1, 0 };
	bool slept, ignored_usr1;

	init_completion(&c);
	init_completion(&done);
	struct task_struct *tk = ktest_start_thread(comp_waiter_fn, &k, "comp_kill");
	KT_ASSERT(tk);
	slept = WAIT_FOR(asleep_in(tk, TASK_KILLABLE), 2);
	send_sig(SIGUSR1, tk, 1);
	msleep(50);
	ignored_usr1 = !k.done && asleep_in(tk, TASK_KILLABLE);
	send_sig(SIGKILL, tk, 1);
	WAIT_FOR(k.done, 2);

	complete(&done);
	struct task_struct *tok = ktest_start_thread(comp_waiter_fn, &ok, "comp_ok");
	KT_ASSERT(tok);
	WAIT_FOR(ok.done, 2);
	ktest_stop_thread(tk);
	ktest_stop_thread(tok);
	KT_ASSERT(slept);
	KT_ASSERT_MSG(ignored_usr1, "SIGUSR1 ended a killable wait");
	KT_ASSERT_MSG(k.done && k.ret == -ERESTARTSYS, "done %d ret %d", k.done, k.ret);
	KT_ASSERT_MSG(ok.done && ok.ret == 0, "done %d ret %d", ok.done, ok.ret);
	KT_ASSERT(!completion_done(&c));
	KT_ASSERT_ALL_FREED(freed, 2, pages);
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

/* ----------------------------------------------------------------- signals */

/*
 * SIGKILL wakes TASK_INTERRUPTIBLE and TASK_KILLABLE sleepers (early, with
 * time left); SIGUSR1 wakes the interruptible one but not the killable one.
 */
KTEST(sched_sigkill_wakes_killable_and_interruptible)
{
	unsigned long freed = nr_tasks_freed, pages = nr_free_pages();
	struct sleeper i = { .state = TASK_INTERRUPTIBLE, .timeout = 10 * HZ };
	struct sleeper k = { .state = TASK_KILLABLE, .timeout = 10 * HZ };
	bool slept, usr1_ignored;

	struct task_struct *ti = ktest_start_thread(sleeper_fn, &i, "sig_intr");
	struct task_struct *tk = ktest_start_thread(sleeper_fn, &k, "sig_kill");
	KT_ASSERT(ti && tk);
	slept = WAIT_FOR(asleep_in(ti, TASK_INTERRUPTIBLE) && asleep_in(tk, TASK_KILLABLE), 2);
	send_sig(SIGUSR1, tk, 1);
	msleep(50);
	usr1_ignored = !k.done && asleep_in(tk, TASK_KILLABLE);
	send_sig(SIGKILL, ti, 1);
	send_sig(SIGKILL, tk, 1);
	WAIT_FOR(i.done && k.done, 2);
	ktest_stop_thread(ti);
	ktest_stop_thread(tk);
	KT_ASSERT(slept);
	KT_ASSERT_MSG(usr1_ignored, "SIGUSR1 woke a TASK_KILLABLE sleeper");
	KT_ASSERT_MSG(i.done && i.ret > 0 && i.fatal, "interruptible: done %d ret %ld fatal %d", i.done, i.ret, i.fatal);
	KT_ASSERT_MSG(k.done && k.ret > 0 && k.fatal, "killable: done %d ret %ld fatal %d", k.done, k.ret, k.fatal);
	KT_ASSERT_ALL_FREED(freed, 2, pages);
}

/*
 * SIGKILL never wakes TASK_UNINTERRUPTIBLE (or TASK_IDLE) sleepers: one
 * keeps sleeping until wake_up_process(), one until its timeout runs out.
 */
KTEST(sched_sigkill_not_uninterruptible)
{
	unsigned long freed = nr_tasks_freed, pages = nr_free_pages();
	struct sleeper u = { .state = TASK_UNINTERRUPTIBLE, .timeout = 10 * HZ };
	struct sleeper d = { .state = TASK_IDLE, .timeout = 10 * HZ };
	struct sleeper t = { .state = TASK_UNINTERRUPTIBLE, .timeout = 60 };
	bool slept, still_asleep;

	struct task_struct *tu = ktest_start_thread(sleeper_fn, &u, "sig_unintr");
	struct task_struct *td = ktest_start_thread(sleeper_fn, &d, "sig_idle");
	struct task_struct *tt = ktest_start_thread(sleeper_fn, &t, "sig_timeout");
	KT_ASSERT(tu && td && tt);
	slept = WAIT_FOR(asleep_in(tu, TASK_UNINTERRUPTIBLE) && asleep_in(td, TASK_IDLE) &&
			 asleep_in(tt, TASK_UNINTERRUPTIBLE), 2);
	send_sig(SIGKILL, tu, 1);
	send_sig(SIGKILL, td, 1);
	send_sig(SIGKILL, tt, 1);
	msleep(100);
	still_asleep = !u.done && !d.done && asleep_in(tu, TASK_UNINTERRUPTIBLE) && asleep_in(td, TASK_IDLE);
	wake_up_process(tu);
	wake_up_process(td);
	WAIT_FOR(u.done && d.done && t.done, 3);
	ktest_stop_thread(tu);
	ktest_stop_thread(td);
	ktest_stop_thread(tt);
	KT_ASSERT(slept);
	KT_ASSERT_MSG(still_asleep, "SIGKILL woke an uninterruptible sleeper (done %d %d)", u.done, d.done);
	KT_ASSERT_MSG(u.done && u.ret > 0 && u.fatal, "done %d ret %ld fatal %d", u.done, u.ret, u.fatal);
	KT_ASSERT_MSG(d.done && d.ret > 0 && d.fatal, "done %d ret %ld fatal %d", d.done, d.ret, d.fatal);
	KT_ASSERT_MSG(t.done && t.ret == 0 && t.slept >= 60 && t.fatal,
		      "timeout sleeper: done %d ret %ld slept %lu fatal %d", t.done, t.ret, t.slept, t.fatal);
	KT_ASSERT_ALL_FREED(freed, 3, pages);
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
