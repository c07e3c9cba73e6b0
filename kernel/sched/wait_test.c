/*
 * ktests for wait queues and completions (kernel/sched/wait.c,
 * completion.c): a wake-up that comes before the sleep is not lost (also
 * inside wait_event(), which must queue itself before testing),
 * exclusive waiters are woken one at a time, wake_up_all(), interruptible,
 * killable and timed waits, and every way to wait for a completion.
 * Conventions and timing rules: sched_test.h.
 */
#include <kernel/wait.h>
#include <kernel/completion.h>
#include "sched_test.h"

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

/*
 * wait_event() itself, with the race forced from inside its condition: the second test
 * of the condition (the first inside the loop) records whether the waiter is queued, then
 * plays a waker that gets in right after the test and before the sleep: it makes the
 * condition true and calls wake_up(). Queued first, as wait_event() must be, the waiter
 * is woken and sees the condition on its next test; had it tested first, the wake-up
 * would find an empty queue and the waiter would sleep on.
 */
struct late_waker {
	struct wait_queue_head wq;
	volatile int cond, done;
	int tests, queued_at_test;
};

static bool test_then_wake(struct late_waker *w)
{
	bool c = READ_ONCE(w->cond);

	if (++w->tests == 2) {
		w->queued_at_test = waitqueue_active(&w->wq);
		WRITE_ONCE(w->cond, 1);
		wake_up(&w->wq);
	}
	return c;
}

static int late_waker_fn(void *data)
{
	struct late_waker *w = data;

	wait_event(w->wq, test_then_wake(w));
	WRITE_ONCE(w->done, 1);
	return 0;
}

KTEST(sched_wait_event_queues_before_test)
{
	unsigned long freed = nr_tasks_freed, pages = nr_free_pages();
	struct late_waker w = { 0 };

	init_waitqueue_head(&w.wq);
	struct task_struct *t = ktest_start_thread(late_waker_fn, &w, "wq_late_waker");
	KT_ASSERT(t);
	bool done = WAIT_FOR(READ_ONCE(w.done), 5);
	if (!done)
		wake_up(&w.wq);		/* the lost wake-up's sleeper, queued by now: let it stop */
	ktest_stop_thread(t);
	KT_ASSERT_MSG(w.queued_at_test, "wait_event() tested its condition before queueing itself");
	KT_ASSERT_MSG(done, "the wake-up between the test and the sleep was lost");
	KT_ASSERT_EQ(w.tests, 3);	/* the fast path, the test the waker followed, the true one */
	KT_ASSERT_ALL_FREED(freed, 1, pages);
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

/*
 * A condition true when the time is up is success, not a timeout: the timeout variants
 * return at least 1 then (a timeout of 0 with the condition true is 1, as Linux's).
 */
KTEST(sched_waitqueue_timeout_zero)
{
	struct wait_queue_head wq;

	init_waitqueue_head(&wq);
	KT_ASSERT_EQ(wait_event_timeout(wq, true, 0), 1);
	KT_ASSERT_EQ(wait_event_interruptible_timeout(wq, true, 0), 1);
	KT_ASSERT_EQ(wait_event_timeout(wq, false, 0), 0);
	KT_ASSERT_EQ(wait_event_timeout(wq, true, 7), 7);
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
