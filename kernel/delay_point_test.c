/*
 * ktests for the delay-injection points (kernel/delay_point.c): the command
 * syntax and the listing, sleeping, holding until released (one, then all,
 * in arrival order), the pid and comm filters, a killable hold ended by
 * SIGKILL while a plain hold ignores it, disarming releasing holders, the
 * hit counts and the delay:* trace events, and a held task seen where it
 * sleeps (the task dump, the hung-task detector).
 *
 * Each test's kthreads ("dp_*") wait for the test's go signal, pass the point
 * "ktest_point" and record that they got past it. The test disarms the point
 * and stops its threads before asserting, so a failed test leaves nothing held.
 */
#include <kernel/kernel.h>
#include <kernel/delay_point.h>
#include <kernel/ktest.h>
#include <kernel/ktest_thread.h>
#include <kernel/sched.h>
#include <kernel/sched/debug.h>
#include <kernel/signal.h>
#include <kernel/trace.h>
#include <lib/string.h>
#include <uapi/errno.h>

#define POINT "ktest_point"

struct passer {
	struct task_struct *task;
	volatile int go, passed;
};

static int passer_fn(void *data)
{
	struct passer *p = data;

	while (!READ_ONCE(p->go))
		schedule_timeout_idle(1);
	delay_point(POINT);
	WRITE_ONCE(p->passed, 1);
	while (!kthread_should_stop())	/* stay until stopped, so the test's pids stay valid */
		schedule_timeout_idle(1);
	return 0;
}

static bool start_passers(struct passer *p, int n, const char *name)
{
	bool ok = true;

	for (int i = 0; i < n; i++) {
		p[i] = (struct passer){ 0 };
		p[i].task = ktest_start_thread(passer_fn, &p[i], name);
		ok &= p[i].task != NULL;
	}
	return ok;
}

static void stop_passers(struct passer *p, int n)
{
	delay_point_control(POINT ":off");
	for (int i = 0; i < n; i++)
		if (p[i].task)
			ktest_stop_thread(p[i].task);
}

/* Let p go and wait until it is held at the point (n tasks held then). */
static bool go_and_hold(struct passer *p, unsigned int n)
{
	WRITE_ONCE(p->go, 1);
	return WAIT_FOR(delay_point_waiters(POINT) == n, 2);
}

static bool held_in(struct passer *p, long state)
{
	return !READ_ONCE(p->passed) && READ_ONCE(p->task->state) == state && !READ_ONCE(p->task->on_rq);
}

KTEST(delay_point_command_syntax)
{
	char buf[256];
	int bad = 0;
	static const char *const invalid[] = {
		"ktest_point", ":hold", "ktest_point:", "ktest_point:bogus", "ktest_point:-5",
		"ktest_point:hold@pid=0", "ktest_point:hold@pid=x", "ktest_point:hold@comm=",
		"ktest_point:hold@comm=0123456789abcdef", "ktest_point:hold@uid=0",
		"ktest_point:release@pid=1", "ktest_point:off@comm=a",
		"a_name_that_is_much_too_long_for_a_delay_point_xyz:hold",
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(invalid); i++)
		bad += delay_point_control(invalid[i]) != -EINVAL;
	KT_ASSERT_EQ(bad, 0);
	KT_ASSERT_EQ(delay_point_control(POINT ":release"), -ENOENT);
	KT_ASSERT_EQ(delay_point_control(POINT ":off"), 0);
	KT_ASSERT(!READ_ONCE(delay_points_armed));
	KT_ASSERT_EQ(delay_point_control(POINT ":hold@comm=memhog"), 0);
	KT_ASSERT_EQ(delay_point_control("ktest_other:25"), 0);
	KT_ASSERT(READ_ONCE(delay_points_armed));
	delay_points_show(buf, sizeof(buf));
	bool listed = !strcmp(buf, POINT " hold comm=memhog hits=0 waiting=0\nktest_other 25ms all hits=0 waiting=0\n");
	KT_ASSERT_EQ(delay_point_control(POINT ":hold-killable@pid=7"), 0);	/* re-arming changes it */
	delay_points_show(buf, sizeof(buf));
	bool changed = !strncmp(buf, POINT " hold-killable pid=7 hits=0", 30);
	delay_point_control(POINT ":off");
	delay_point_set("ktest_other", 0);
	KT_ASSERT_MSG(listed && changed, "listing: %s", buf);
	KT_ASSERT(!READ_ONCE(delay_points_armed));
	delay_points_show(buf, sizeof(buf));
	KT_ASSERT_STREQ(buf, "");
}

KTEST(delay_point_table_full)
{
	char name[16];
	int err = 0, i;

	for (i = 0; i < MAX_DELAY_POINTS && !err; i++) {
		snprintf(name, sizeof(name), "ktest_full%d", i);
		err = delay_point_set(name, 5);
	}
	int full = delay_point_set("ktest_full_x", 5);
	while (i--) {
		snprintf(name, sizeof(name), "ktest_full%d", i);
		delay_point_set(name, 0);
	}
	KT_ASSERT_EQ(err, 0);
	KT_ASSERT_EQ(full, -ENOSPC);
	KT_ASSERT(!READ_ONCE(delay_points_armed));
}

/* NAME:MS: each passing task sleeps, is counted, and leaves reached/released(slept) in the trace. */
KTEST(delay_point_sleep_counts_hits)
{
	trace_set_clr_event("delay", true);
	u64 mark = trace_mark(), seq = log_next_seq;
	struct trace_entry e;

	KT_ASSERT_EQ(delay_point_control(POINT ":20"), 0);
	delay_point(POINT);
	delay_point(POINT);
	unsigned long hits = delay_point_hits(POINT);
	delay_point_control(POINT ":off");
	trace_set_clr_event("delay", false);
	KT_ASSERT_EQ(hits, 2);
	KT_ASSERT_EQ(delay_point_hits(POINT), 0);	/* disarmed: no count */
	KT_ASSERT_EQ(ktest_log_count(seq, "delay_point: " POINT ": init[1] sleeps 20 ms"), 2);
	KT_ASSERT_EQ(trace_count(mark, TRACE_delay_reached, current->pid), 2);
	KT_ASSERT(trace_next(&mark, TRACE_delay_reached, -1, &e));
	KT_ASSERT_STREQ(e.str, POINT);
	KT_ASSERT_EQ(e.args[0], DELAY_SLEEP);
	KT_ASSERT_EQ(e.args[1], 20);
	KT_ASSERT(trace_next(&mark, TRACE_delay_released, -1, &e));
	KT_ASSERT_EQ(e.args[0], DELAY_SLEPT);
}

/*
 * NAME:hold: three tasks arrive one after the other and are held, in
 * TASK_UNINTERRUPTIBLE. release-one lets the first go, then the second;
 * release lets the rest go. The trace shows each released in arrival order.
 */
KTEST(delay_point_hold_release_order)
{
	unsigned long freed = nr_tasks_freed, pages = nr_free_pages();
	struct passer p[3];
	bool ok = true, order = true;

	trace_set_clr_event("delay", true);
	u64 mark = trace_mark();
	KT_ASSERT_EQ(delay_point_control(POINT ":hold"), 0);
	ok &= start_passers(p, 3, "dp_hold");
	for (int i = 0; ok && i < 3; i++)
		ok &= go_and_hold(&p[i], i + 1);
	bool all_held = ok && held_in(&p[0], TASK_UNINTERRUPTIBLE) && held_in(&p[2], TASK_UNINTERRUPTIBLE);
	unsigned long hits = delay_point_hits(POINT);
	delay_point_control(POINT ":release-one");
	ok &= WAIT_FOR(p[0].passed, 2);
	order &= !p[1].passed && !p[2].passed && delay_point_waiters(POINT) == 2;
	delay_point_control(POINT ":release-one");
	ok &= WAIT_FOR(p[1].passed, 2);
	order &= !p[2].passed;
	delay_point_control(POINT ":release");
	ok &= WAIT_FOR(p[2].passed, 2);
	unsigned int left = delay_point_waiters(POINT);
	pid_t pids[3] = { p[0].task->pid, p[1].task->pid, p[2].task->pid };
	stop_passers(p, 3);
	trace_set_clr_event("delay", false);
	KT_ASSERT(ok && all_held);
	KT_ASSERT(order);
	KT_ASSERT_EQ(hits, 3);
	KT_ASSERT_EQ(left, 0);
	s64 r0 = trace_find(mark, TRACE_delay_released, pids[0]), r1 = trace_find(mark, TRACE_delay_released, pids[1]);
	s64 r2 = trace_find(mark, TRACE_delay_released, pids[2]);
	KT_ASSERT(r0 >= 0 && r0 < r1 && r1 < r2);
	KT_ASSERT(trace_find(mark, TRACE_delay_reached, pids[2]) < r0);	/* all three held before any went */
	KT_ASSERT_ALL_FREED(freed, 3, pages);
}

/* NAME:hold@pid=N stalls that thread only; the others pass; hits count the one. */
KTEST(delay_point_hold_pid_filter)
{
	unsigned long freed = nr_tasks_freed, pages = nr_free_pages();
	struct passer p[3];
	char cmd[64];

	bool ok = start_passers(p, 3, "dp_pid");
	snprintf(cmd, sizeof(cmd), POINT ":hold@pid=%d", ok ? p[1].task->pid : 1);
	KT_ASSERT_EQ(delay_point_control(cmd), 0);
	WRITE_ONCE(p[0].go, 1);
	ok &= go_and_hold(&p[1], 1);
	WRITE_ONCE(p[2].go, 1);
	ok &= WAIT_FOR(p[0].passed && p[2].passed, 2);
	bool held = held_in(&p[1], TASK_UNINTERRUPTIBLE);
	unsigned long hits = delay_point_hits(POINT);
	stop_passers(p, 3);
	KT_ASSERT(ok && held);
	KT_ASSERT_EQ(hits, 1);
	KT_ASSERT(p[1].passed);		/* :off released it */
	KT_ASSERT_ALL_FREED(freed, 3, pages);
}

/* NAME:hold@comm=NAME stalls tasks of that name only. */
KTEST(delay_point_hold_comm_filter)
{
	unsigned long freed = nr_tasks_freed, pages = nr_free_pages();
	struct passer a, b;

	KT_ASSERT_EQ(delay_point_control(POINT ":hold@comm=dp_victim"), 0);
	bool ok = start_passers(&a, 1, "dp_bystander") && start_passers(&b, 1, "dp_victim");
	WRITE_ONCE(a.go, 1);
	ok &= go_and_hold(&b, 1) && WAIT_FOR(a.passed, 2);
	bool held = held_in(&b, TASK_UNINTERRUPTIBLE);
	delay_point_control(POINT ":release");
	ok &= WAIT_FOR(b.passed, 2);
	unsigned long hits = delay_point_hits(POINT);
	stop_passers(&a, 1);
	stop_passers(&b, 1);
	KT_ASSERT(ok && held);
	KT_ASSERT_EQ(hits, 1);
	KT_ASSERT_ALL_FREED(freed, 2, pages);
}

/*
 * SIGKILL ends a hold-killable (reason "killed", the point stays armed) but
 * not a plain hold: that task stays in TASK_UNINTERRUPTIBLE until released.
 */
KTEST(delay_point_killable_hold_sigkill)
{
	unsigned long freed = nr_tasks_freed, pages = nr_free_pages();
	struct passer k, u;
	struct trace_entry e;

	trace_set_clr_event("delay", true);
	u64 mark = trace_mark();
	KT_ASSERT_EQ(delay_point_control(POINT ":hold-killable@comm=dp_killable"), 0);
	bool ok = start_passers(&k, 1, "dp_killable") && go_and_hold(&k, 1);
	bool killable = ok && held_in(&k, TASK_KILLABLE);
	send_sig(SIGKILL, k.task, 1);
	ok &= WAIT_FOR(k.passed, 2) && delay_point_waiters(POINT) == 0;
	KT_ASSERT_EQ(delay_point_control(POINT ":hold@comm=dp_unkillable"), 0);
	ok &= start_passers(&u, 1, "dp_unkillable") && go_and_hold(&u, 1);
	send_sig(SIGKILL, u.task, 1);
	msleep(100);
	bool unkilled = held_in(&u, TASK_UNINTERRUPTIBLE);
	pid_t kpid = k.task->pid, upid = u.task->pid;
	stop_passers(&k, 1);
	stop_passers(&u, 1);
	trace_set_clr_event("delay", false);
	KT_ASSERT(ok && killable);
	KT_ASSERT_MSG(unkilled, "SIGKILL freed a plain hold");
	KT_ASSERT(u.passed);
	u64 pos = mark;
	KT_ASSERT(trace_next(&pos, TRACE_delay_reached, kpid, &e) && e.args[0] == DELAY_HOLD_KILLABLE);
	KT_ASSERT(trace_next(&pos, TRACE_delay_released, kpid, &e) && e.args[0] == DELAY_KILLED);
	pos = mark;
	KT_ASSERT(trace_next(&pos, TRACE_delay_released, upid, &e) && e.args[0] == DELAY_DISARMED);
	KT_ASSERT_ALL_FREED(freed, 2, pages);
}

/*
 * A held task shows where it is: the task dump names delay_point_hold, and
 * the hung-task detector reports a task held uninterruptibly (a "stuck
 * victim") with the same trace.
 */
KTEST(delay_point_hold_seen_by_hung_task)
{
	unsigned long freed = nr_tasks_freed, pages = nr_free_pages();
	unsigned long saved = sysctl_hung_task_timeout_secs, reports = hung_task_reports;
	u64 seq = log_next_seq;
	struct passer p;
	char line[96];

	KT_ASSERT_EQ(delay_point_control(POINT ":hold@comm=dp_stuck"), 0);
	sysctl_hung_task_timeout_secs = 1;
	bool ok = start_passers(&p, 1, "dp_stuck") && go_and_hold(&p, 1);
	if (ok)
		sched_show_task(p.task);
	for (unsigned long end = jiffies + 3 * HZ; time_before(jiffies, end);)
		msleep(100);	/* short sleeps: init must not look hung itself */
	WAIT_FOR(hung_task_reports != reports, 2);
	unsigned long got = hung_task_reports - reports;
	pid_t pid = ok ? p.task->pid : 0;
	stop_passers(&p, 1);
	sysctl_hung_task_timeout_secs = saved;
	KT_ASSERT(ok);
	snprintf(line, sizeof(line), "INFO: task dp_stuck:%d blocked for more than 1 seconds.\n", pid);
	KT_ASSERT_EQ(got, 1);
	KT_ASSERT_EQ(ktest_log_count(seq, line), 1);
	KT_ASSERT(ktest_log_count(seq, " delay_point_hold+") >= 2);	/* the dump, then the report */
	KT_ASSERT_ALL_FREED(freed, 1, pages);
}

/*
 * hold-until=OTHER: a passer is held at the point until a task named by
 * OTHER's own filter reaches OTHER (a task OTHER is not armed for does not
 * count); after that the point lets everyone through. The listing says so.
 */
KTEST(delay_point_hold_until)
{
	struct passer p[2];
	char buf[256];
	bool held, still_held, released, passed_through;

	KT_ASSERT_EQ(delay_point_control("ktest_other:hold@comm=dp_nobody"), 0);
	KT_ASSERT_EQ(delay_point_control(POINT ":hold-until=ktest_other"), 0);
	delay_points_show(buf, sizeof(buf));
	bool listed = strstr(buf, POINT " hold-until=ktest_other all hits=0 waiting=0") != NULL;
	bool ok = start_passers(p, 2, "dp_until");
	held = ok && go_and_hold(&p[0], 1);
	delay_point("ktest_other");		/* this test's thread: not dp_nobody, no release */
	still_held = held && !READ_ONCE(p[0].passed) && delay_point_waiters(POINT) == 1;
	KT_ASSERT_EQ(delay_point_control("ktest_other:off"), 0);
	delay_point("ktest_other");		/* not armed now: any task counts */
	released = WAIT_FOR(READ_ONCE(p[0].passed), 2);
	WRITE_ONCE(p[1].go, 1);
	passed_through = WAIT_FOR(READ_ONCE(p[1].passed), 2) && delay_point_waiters(POINT) == 0;
	stop_passers(p, 2);
	KT_ASSERT(listed);
	KT_ASSERT(held);
	KT_ASSERT_MSG(still_held, "a task the other point is not armed for released the hold");
	KT_ASSERT(released);
	KT_ASSERT_MSG(passed_through, "a task arriving after the release was held");
}
