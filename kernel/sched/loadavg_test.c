/*
 * ktests for the load average: calc_load()'s fixed-point decay follows
 * e^(-t/T) (after one minute of one busy task the 1-minute average is
 * 1 - 1/e, and it reaches exactly 1 in the end); and the sample counts a
 * task asleep in D state, not one in TASK_IDLE or TASK_INTERRUPTIBLE.
 */
#include <kernel/kernel.h>
#include <kernel/ktest.h>
#include <kernel/ktest_thread.h>
#include <kernel/kernel_stat.h>
#include <kernel/sched.h>
#include <kernel/completion.h>

/* n samples of `active` tasks (fixed point), from load. */
static unsigned long samples(unsigned long load, unsigned long exp, unsigned long active, int n)
{
	while (n--)
		load = calc_load(load, exp, active);
	return load;
}

KTEST(loadavg_calc_load_decay)
{
	/* 12 samples are one minute: 1 - e^-1 = 0.632 for the 1-minute average, 0.181 (5), 0.064 (15). */
	unsigned long l1 = samples(0, EXP_1, FIXED_1, 12), l5 = samples(0, EXP_5, FIXED_1, 12);
	unsigned long l15 = samples(0, EXP_15, FIXED_1, 12);

	KT_ASSERT_MSG(l1 * 1000 / FIXED_1 >= 620 && l1 * 1000 / FIXED_1 <= 645, "1-minute %lu/2048", l1);
	KT_ASSERT_MSG(l5 * 1000 / FIXED_1 >= 175 && l5 * 1000 / FIXED_1 <= 190, "5-minute %lu/2048", l5);
	KT_ASSERT_MSG(l15 * 1000 / FIXED_1 >= 60 && l15 * 1000 / FIXED_1 <= 70, "15-minute %lu/2048", l15);
	/* One more minute idle: down by e again, to about 0.233. */
	unsigned long idle = samples(l1, EXP_1, 0, 12);
	KT_ASSERT_MSG(idle * 1000 / FIXED_1 >= 225 && idle * 1000 / FIXED_1 <= 240, "after a minute idle %lu", idle);
	/* Rounding up while it grows: two busy tasks for long enough read exactly 2.00. */
	KT_ASSERT_EQ(samples(0, EXP_15, 2 * FIXED_1, 5000), 2 * FIXED_1);
	KT_ASSERT_EQ(samples(2 * FIXED_1, EXP_1, 0, 5000), 0);
}

struct sleeper {
	struct completion done;
	unsigned int state;
};

static int sleep_until_done(void *arg)
{
	struct sleeper *s = arg;

	while (!completion_done(&s->done)) {
		set_current_state(s->state);
		if (!completion_done(&s->done))
			schedule();
		__set_current_state(TASK_RUNNING);
	}
	return 0;
}

/* How nr_uninterruptible() moves while a kthread sleeps in state. */
static long d_state_delta(unsigned int state, bool *slept)
{
	struct sleeper s = { .state = state };
	unsigned long before = nr_uninterruptible();

	init_completion(&s.done);
	struct task_struct *t = ktest_start_thread(sleep_until_done, &s, "loadavg_sleeper");
	if (!t)
		return -100;
	*slept = WAIT_FOR(READ_ONCE(t->state) == state && !READ_ONCE(t->on_rq), 2);
	long delta = (long)nr_uninterruptible() - (long)before;
	complete(&s.done);
	wake_up_process(t);
	ktest_stop_thread(t);
	return delta;
}

KTEST(loadavg_counts_d_state)
{
	bool slept;

	KT_ASSERT_EQ(d_state_delta(TASK_UNINTERRUPTIBLE, &slept), 1);
	KT_ASSERT(slept);
	KT_ASSERT_EQ(d_state_delta(TASK_IDLE, &slept), 0);
	KT_ASSERT(slept);
	KT_ASSERT_EQ(d_state_delta(TASK_INTERRUPTIBLE, &slept), 0);
	KT_ASSERT(slept);
}
