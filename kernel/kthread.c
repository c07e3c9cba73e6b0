/*
 * Kernel threads (Linux: kernel/kthread.c); see include/kernel/kthread.h.
 * struct kthread lives as long as its task (freed with it). should_stop is
 * written by kthread_stop() before the wake-up and read by the thread.
 */
#include <kernel/kernel.h>
#include <kernel/kthread.h>
#include <kernel/completion.h>
#include <kernel/sched/task.h>
#include <mm/slab.h>
#include <uapi/errno.h>

struct kthread {
	int (*threadfn)(void *data);
	void *data;
	bool should_stop;
	int result;
	struct completion exited;
};

static int kthread(void *arg)
{
	struct kthread *k = arg;
	int ret = -EINTR;

	if (!READ_ONCE(k->should_stop))
		ret = k->threadfn(k->data);
	k->result = ret;
	complete_all(&k->exited);
	do_exit(ret);
}

struct task_struct *kthread_create(int (*threadfn)(void *data), void *data, const char *namefmt, ...)
{
	struct kthread *k = kzalloc(sizeof(*k), GFP_KERNEL);
	char name[TASK_COMM_LEN];
	va_list ap;

	if (!k)
		return ERR_PTR(-ENOMEM);
	va_start(ap, namefmt);
	vsnprintf(name, sizeof(name), namefmt, ap);
	va_end(ap);
	k->threadfn = threadfn;
	k->data = data;
	init_completion(&k->exited);
	struct task_struct *p = create_kernel_task(kthread, k, name, -1);
	if (IS_ERR(p)) {
		kfree(k);
		return p;
	}
	p->kthread = k;
	return p;
}

bool kthread_should_stop(void)
{
	struct kthread *k = current->kthread;
	return k && READ_ONCE(k->should_stop);
}

int kthread_stop(struct task_struct *p)
{
	struct kthread *k = p->kthread;
	int ret;

	if (WARN_ON(!k))
		return -EINVAL;
	get_task_struct(p);
	WRITE_ONCE(k->should_stop, true);
	wake_up_process(p);
	wait_for_completion(&k->exited);
	ret = k->result;
	put_task_struct(p);
	return ret;
}
