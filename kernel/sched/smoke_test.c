/* Scheduler smoke tests: the basics every other scheduler test relies on. */
#include <kernel/kernel.h>
#include <kernel/ktest.h>
#include <kernel/kthread.h>
#include <kernel/time.h>
#include <kernel/timer.h>
#include <kernel/completion.h>
#include <lib/string.h>

static int smoke_fn(void *data)
{
	int *counter = data;
	while (!kthread_should_stop()) {
		(*counter)++;
		msleep(5);
	}
	return 42;
}

KTEST(sched_smoke_kthread_stop)
{
	int counter = 0;
	unsigned long freed = nr_tasks_freed;
	struct task_struct *t = kthread_run(smoke_fn, &counter, "smoke");
	KT_ASSERT(!IS_ERR(t));
	msleep(50);
	KT_ASSERT_EQ(kthread_stop(t), 42);
	KT_ASSERT(counter > 0);
	msleep(10);
	KT_ASSERT_EQ(nr_tasks_freed, freed + 1);
}

static int exit_fn(void *data)
{
	return (int)(long)data;
}

KTEST(sched_smoke_wait_child)
{
	struct task_struct *t = create_kernel_task(exit_fn, (void *)7L, "child", SIGCHLD);
	int status = -1;
	KT_ASSERT(!IS_ERR(t));
	pid_t pid = t->pid;
	wake_up_process(t);
	KT_ASSERT_EQ(kernel_wait(pid, &status), pid);
	KT_ASSERT_EQ(status, 7);
	KT_ASSERT_EQ(kernel_wait(pid, &status), -ECHILD);
}

KTEST(sched_smoke_msleep)
{
	unsigned long j0 = jiffies;
	msleep(100);
	unsigned long d = jiffies - j0;
	KT_ASSERT_MSG(d >= msecs_to_jiffies(100) && d <= msecs_to_jiffies(100) + 3, "slept %lu jiffies", d);
}
