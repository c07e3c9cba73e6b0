/*
 * ktests for the hung-task detector (kernel/hung_task.c). Each test lowers
 * sysctl_hung_task_timeout_secs to 1 and restores it at the end. khungtaskd
 * scans once a second, so a task that blocks in TASK_UNINTERRUPTIBLE is
 * reported 1 to 2 s later; we watch for 3 s (and up to 2 s more for the
 * first report).
 *
 * While it watches, the test itself (init) sleeps in msleep(100) steps: a
 * single msleep(3000) is itself an uninterruptible sleep longer than the
 * timeout, and init would rightly be reported too (as Linux would report it).
 *
 * Reports are checked through hung_task_reports (exactly the expected
 * increase) and the log: the exact "INFO: task NAME:PID blocked for more
 * than 1 seconds." line, the lock-owner line, and the task dump line.
 */
#include <kernel/kernel.h>
#include <kernel/ktest.h>
#include <kernel/ktest_thread.h>
#include <kernel/kthread.h>
#include <kernel/sched.h>
#include <kernel/sched/task.h>
#include <kernel/sched/debug.h>
#include <kernel/signal.h>
#include <kernel/mutex.h>
#include <kernel/rwsem.h>
#include <kernel/time.h>
#include <kernel/timer.h>
#include <lib/string.h>
#include <mm/mm.h>
#include <uapi/errno.h>

/* Sleep about secs seconds in short uninterruptible sleeps (see the top comment). */
static void watch(unsigned int secs)
{
	unsigned long end = jiffies + secs * HZ;

	while (time_before(jiffies, end))
		msleep(100);
}

/* A thread that takes a lock (blocking until the test lets it have it), then drops it. */
struct blocker {
	struct rw_semaphore *sem;
	struct mutex *m;
	bool killable;
	int ret;
	volatile int done;
};

static int blocker_fn(void *data)
{
	struct blocker *b = data;

	if (b->m) {
		mutex_lock(b->m);
		mutex_unlock(b->m);
	} else if (b->killable) {
		b->ret = down_write_killable(b->sem);
		if (!b->ret)
			up_write(b->sem);
	} else {
		down_write(b->sem);
		up_write(b->sem);
	}
	WRITE_ONCE(b->done, 1);
	return 0;
}

static bool blocked_on(struct task_struct *t, const void *lock, long state)
{
	return READ_ONCE(t->blocked_on) == lock && READ_ONCE(t->state) == state && !READ_ONCE(t->on_rq);
}

/*
 * Block a thread in TASK_UNINTERRUPTIBLE on `lock`, which init holds, for 3 s
 * with a 1 s timeout: exactly one report, naming the task, the time, the
 * lock type and init as its likely owner, with the task's dump line.
 */
static void check_hung_on_lock(struct ktest_ctx *kt, struct rw_semaphore *sem, struct mutex *m,
			       const char *name, const char *lock_type)
{
	unsigned long freed = nr_tasks_freed, pages = nr_free_pages();
	unsigned long saved = sysctl_hung_task_timeout_secs, reports = hung_task_reports;
	u64 seq = log_next_seq;
	struct blocker b = { .sem = sem, .m = m };
	char blocked_line[96], owner_line[128], dump_line[64];

	if (m)
		mutex_lock(m);
	else
		down_write(sem);
	sysctl_hung_task_timeout_secs = 1;
	struct task_struct *t = ktest_start_thread(blocker_fn, &b, name);
	if (!t) {
		sysctl_hung_task_timeout_secs = saved;
		KT_ASSERT(t);
	}
	pid_t pid = t->pid;
	bool blocked = WAIT_FOR(blocked_on(t, m ? (void *)m : (void *)sem, TASK_UNINTERRUPTIBLE), 2);
	watch(3);
	WAIT_FOR(hung_task_reports != reports, 2);	/* in case the scan is late */
	unsigned long got = hung_task_reports - reports;
	bool still_blocked = blocked_on(t, m ? (void *)m : (void *)sem, TASK_UNINTERRUPTIBLE);
	if (m)
		mutex_unlock(m);
	else
		up_write(sem);
	WAIT_FOR(b.done, 2);
	ktest_stop_thread(t);
	sysctl_hung_task_timeout_secs = saved;

	snprintf(blocked_line, sizeof(blocked_line), "INFO: task %s:%d blocked for more than 1 seconds.\n", name, pid);
	snprintf(owner_line, sizeof(owner_line), "INFO: task %s:%d is blocked on %s likely owned by task init:1.\n",
		 name, pid, lock_type);
	snprintf(dump_line, sizeof(dump_line), "task:%-15.15s state:D", name);
	KT_ASSERT(blocked && still_blocked);
	KT_ASSERT_MSG(got == 1, "%lu hung-task reports, expected 1", got);
	KT_ASSERT_EQ(ktest_log_count(seq, blocked_line), 1);
	KT_ASSERT_EQ(ktest_log_count(seq, owner_line), 1);
	KT_ASSERT_EQ(ktest_log_count(seq, dump_line), 1);
	/* The sleeping task's trace, unwound from its switch frame: the scheduler, then the lock's slow path. */
	KT_ASSERT(ktest_log_count(seq, " __schedule+") >= 1);	/* (schedule() tail-calls it: no frame of its own) */
	KT_ASSERT(ktest_log_count(seq, m ? " __mutex_lock+" : " rwsem_down_slowpath+") >= 1);
	KT_ASSERT(b.done);
	KT_ASSERT_EQ(sysctl_hung_task_timeout_secs, saved);
	KT_ASSERT_ALL_FREED(freed, 1, pages);
}

/* A writer stuck in down_write() behind init's write lock is reported once, with init as the owner. */
KTEST(hung_task_rwsem_reported)
{
	struct rw_semaphore sem;

	init_rwsem(&sem);
	check_hung_on_lock(kt, &sem, NULL, "hung_writer", "an rw-semaphore");
}

/* The same for a mutex. */
KTEST(hung_task_mutex_reported)
{
	struct mutex m;

	mutex_init(&m);
	check_hung_on_lock(kt, NULL, &m, "hung_mutex", "a mutex");
}

struct sleeper {
	long state;
	long ret;
	volatile int done;
};

static int sleeper_fn(void *data)
{
	struct sleeper *s = data;

	set_current_state(s->state);
	s->ret = schedule_timeout(10 * HZ);
	WRITE_ONCE(s->done, 1);
	return 0;
}

/*
 * Tasks sleeping for 3 s in TASK_KILLABLE (a timed sleep, and
 * down_write_killable() on a held rwsem) or TASK_IDLE are not reported:
 * only plain TASK_UNINTERRUPTIBLE counts as hung.
 */
KTEST(hung_task_killable_and_idle_not_reported)
{
	unsigned long freed = nr_tasks_freed, pages = nr_free_pages();
	unsigned long saved = sysctl_hung_task_timeout_secs, reports = hung_task_reports;
	u64 seq = log_next_seq;
	struct rw_semaphore sem;
	struct sleeper k = { .state = TASK_KILLABLE }, i = { .state = TASK_IDLE };
	struct blocker b = { .sem = &sem, .killable = true, .ret = 1 };

	init_rwsem(&sem);
	down_write(&sem);
	sysctl_hung_task_timeout_secs = 1;
	struct task_struct *tk = ktest_start_thread(sleeper_fn, &k, "hung_killable");
	struct task_struct *ti = ktest_start_thread(sleeper_fn, &i, "hung_idle");
	struct task_struct *tb = ktest_start_thread(blocker_fn, &b, "hung_rwsem_kill");
	bool started = tk && ti && tb;
	bool asleep = started && WAIT_FOR(READ_ONCE(tk->state) == TASK_KILLABLE && !READ_ONCE(tk->on_rq) &&
					  READ_ONCE(ti->state) == TASK_IDLE && !READ_ONCE(ti->on_rq) &&
					  blocked_on(tb, &sem, TASK_KILLABLE), 2);
	watch(3);
	bool still_asleep = started && !k.done && !i.done && !b.done;
	unsigned long got = hung_task_reports - reports;
	up_write(&sem);
	if (tk)
		wake_up_process(tk);
	if (ti)
		wake_up_process(ti);
	WAIT_FOR((!tk || k.done) && (!ti || i.done) && (!tb || b.done), 2);
	if (tk)
		ktest_stop_thread(tk);
	if (ti)
		ktest_stop_thread(ti);
	if (tb)
		ktest_stop_thread(tb);
	sysctl_hung_task_timeout_secs = saved;

	KT_ASSERT(started && asleep && still_asleep);
	KT_ASSERT_MSG(got == 0, "%lu hung-task reports for killable/idle sleepers", got);
	KT_ASSERT_EQ(ktest_log_count(seq, "INFO: task hung_"), 0);
	KT_ASSERT(k.ret > 0 && i.ret > 0);	/* woken by us, not by the timeout */
	KT_ASSERT_EQ(b.ret, 0);
	KT_ASSERT_ALL_FREED(freed, 3, pages);
}
