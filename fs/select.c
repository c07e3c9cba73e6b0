/*
 * poll, ppoll, select, pselect6 (Linux: fs/select.c). All four become one
 * loop over a list of (fd, events of interest): ask each file's ->poll what
 * is ready; if nothing is and time remains, sleep until any queue a file
 * named (poll_wait()) is woken, a signal arrives or the time runs out, and
 * ask again. The first pass registers on the queues; later passes only
 * look. A wake-up sets pt->triggered before waking us, and we set our state
 * before testing it, so a wake-up between the last look and the sleep is
 * not lost (the pattern of kernel/wait.h).
 *
 * Locking: each poll_table_entry is on a file's wait queue (guarded by that
 * queue's lock) from poll_wait() until poll_freewait(), and holds a
 * reference on the file so the queue outlives it. The rest is the caller's.
 * A signal ends the wait with -EINTR (Linux: -ERESTARTNOHAND).
 */
#include <kernel/kernel.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <kernel/time.h>
#include <kernel/timer.h>
#include <kernel/uaccess.h>
#include <kernel/wait.h>
#include <kernel/syscalls.h>
#include <lib/string.h>
#include <mm/slab.h>
#include <fs/dcache.h>
#include <fs/fdtable.h>
#include <fs/uapi.h>
#include <arch/page.h>
#include "internal.h"

#define DEFAULT_POLLMASK (EPOLLIN | EPOLLOUT | EPOLLRDNORM | EPOLLWRNORM)
#define POLLIN_SET (EPOLLRDNORM | POLLRDBAND | EPOLLIN | EPOLLHUP | EPOLLERR)
#define POLLOUT_SET (POLLWRBAND | EPOLLWRNORM | EPOLLOUT | EPOLLERR)
#define POLLEX_SET EPOLLPRI

struct poll_table_entry {
	struct file *filp;
	struct wait_queue_entry wait;
	struct wait_queue_head *wq;
	struct poll_table_struct *pt;
};

#define ENTRIES_PER_PAGE ((PAGE_SIZE - sizeof(void *) - sizeof(int)) / sizeof(struct poll_table_entry))
struct poll_table_page {
	struct poll_table_page *next;
	int nr;
	struct poll_table_entry entries[ENTRIES_PER_PAGE];
};

struct poll_table_struct {
	bool queue;			/* register on wait queues (first pass) */
	int triggered;			/* a queue we are on was woken */
	int error;			/* -ENOMEM from poll_wait() */
	struct poll_table_page *pages;
};

/* What do_poll() works on: select and poll both turn their arguments into these. */
struct poll_item {
	int fd;
	__poll_t events;		/* of interest (poll adds EPOLLERR | EPOLLHUP) */
	__poll_t revents;
};

static int pollwake(struct wait_queue_entry *wait, unsigned int mode)
{
	struct poll_table_entry *e = container_of(wait, struct poll_table_entry, wait);

	__atomic_store_n(&e->pt->triggered, 1, __ATOMIC_SEQ_CST);
	return default_wake_function(wait, mode);
}

void poll_wait(struct file *f, struct wait_queue_head *wq, struct poll_table_struct *pt)
{
	if (!pt || !pt->queue || !wq)
		return;
	struct poll_table_page *p = pt->pages;
	if (!p || p->nr == (int)ENTRIES_PER_PAGE) {
		p = kzalloc(sizeof(*p), GFP_KERNEL);
		if (!p) {
			pt->error = -ENOMEM;
			return;
		}
		p->next = pt->pages;
		pt->pages = p;
	}
	struct poll_table_entry *e = &p->entries[p->nr++];
	e->filp = get_file(f);
	e->wq = wq;
	e->pt = pt;
	init_wait_entry(&e->wait, 0);
	e->wait.func = pollwake;
	add_wait_queue(wq, &e->wait);
}

static void poll_freewait(struct poll_table_struct *pt)
{
	struct poll_table_page *p = pt->pages, *next;

	for (; p; p = next) {
		for (int i = 0; i < p->nr; i++) {
			remove_wait_queue(p->entries[i].wq, &p->entries[i].wait);
			fput(p->entries[i].filp);
		}
		next = p->next;
		kfree(p);
	}
}

__poll_t vfs_poll(struct file *f, struct poll_table_struct *pt)
{
	return f->f_op->poll ? f->f_op->poll(f, pt) : DEFAULT_POLLMASK;
}

/* Sleep until woken or timeout; returns the jiffies left. */
static long poll_schedule_timeout(struct poll_table_struct *pt, long timeout)
{
	set_current_state(TASK_INTERRUPTIBLE);
	if (!__atomic_load_n(&pt->triggered, __ATOMIC_SEQ_CST))
		timeout = schedule_timeout(timeout);
	__set_current_state(TASK_RUNNING);
	__atomic_store_n(&pt->triggered, 0, __ATOMIC_SEQ_CST);
	return timeout;
}

/*
 * The loop. *timeout is in jiffies (MAX_SCHEDULE_TIMEOUT: forever) and is
 * left holding what remains. Returns how many items have revents, or -EINTR.
 */
static int do_poll(struct poll_item *items, unsigned int n, long *timeout)
{
	struct poll_table_struct pt = { .queue = *timeout != 0 };
	bool timed_out = *timeout == 0;
	int count;

	for (;;) {
		count = 0;
		for (unsigned int i = 0; i < n; i++) {
			struct poll_item *it = &items[i];
			it->revents = 0;
			if (it->fd < 0)
				continue;
			struct file *f = fget(it->fd);
			if (!f) {
				it->revents = EPOLLNVAL;
			} else {
				it->revents = vfs_poll(f, &pt) & it->events;
				fput(f);
			}
			if (it->revents) {
				count++;
				pt.queue = false;	/* we will not sleep: stop registering */
			}
		}
		pt.queue = false;
		if (count || timed_out)
			break;
		if (pt.error) {
			count = pt.error;
			break;
		}
		if (signal_pending(current)) {
			count = -EINTR;
			break;
		}
		*timeout = poll_schedule_timeout(&pt, *timeout);
		if (!*timeout)
			timed_out = true;	/* one more look, then give up */
	}
	poll_freewait(&pt);
	return count;
}

/* User timeouts to jiffies, rounded up; a negative time is invalid. */
static long timespec_to_jiffies_user(const struct __kernel_timespec __user *uts, long *j)
{
	struct __kernel_timespec ts;

	if (!uts) {
		*j = MAX_SCHEDULE_TIMEOUT;
		return 0;
	}
	if (copy_from_user(&ts, uts, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (long long)NSEC_PER_SEC)
		return -EINVAL;
	if (ts.tv_sec >= (LONG_MAX / HZ) - 1)
		*j = MAX_SCHEDULE_TIMEOUT;
	else
		*j = ts.tv_sec * HZ + (ts.tv_nsec * HZ + NSEC_PER_SEC - 1) / NSEC_PER_SEC;
	return 0;
}

static u64 jiffies_left_ns(long j)
{
	return (u64)j * (NSEC_PER_SEC / HZ);
}

/* ppoll/pselect6: block these signals while waiting (SIGKILL and SIGSTOP never). */
static long set_user_sigmask(const sigset_t __user *umask, size_t size, sigset_t *old, bool *restore)
{
	sigset_t mask;
	unsigned long flags;

	if (!umask)
		return 0;
	if (size != sizeof(sigset_t))
		return -EINVAL;
	if (copy_from_user(&mask, umask, sizeof(mask)))
		return -EFAULT;
	mask &= ~(sigmask(SIGKILL) | sigmask(SIGSTOP));
	spin_lock_irqsave(&current->pi_lock, flags);
	*old = current->blocked;
	current->blocked = mask;
	spin_unlock_irqrestore(&current->pi_lock, flags);
	*restore = true;
	return 0;
}

/*
 * Linux keeps the temporary mask until a signal that interrupted the wait
 * has been delivered (TIF_RESTORE_SIGMASK); Folio restores it on return.
 */
static void restore_user_sigmask(sigset_t old, bool restore)
{
	unsigned long flags;

	if (!restore)
		return;
	spin_lock_irqsave(&current->pi_lock, flags);
	current->blocked = old;
	spin_unlock_irqrestore(&current->pi_lock, flags);
}

static long do_sys_poll(struct pollfd __user *ufds, unsigned int nfds, long *timeout)
{
	struct poll_item *items;
	struct pollfd pfd;
	long ret;

	if (nfds > rlimit_nofile())
		return -EINVAL;
	items = kmalloc((nfds ? nfds : 1) * sizeof(*items), GFP_KERNEL);
	if (!items)
		return -ENOMEM;
	for (unsigned int i = 0; i < nfds; i++) {
		if (copy_from_user(&pfd, ufds + i, sizeof(pfd))) {
			kfree(items);
			return -EFAULT;
		}
		items[i].fd = pfd.fd;
		items[i].events = (u16)pfd.events | EPOLLERR | EPOLLHUP;
	}
	ret = do_poll(items, nfds, timeout);
	for (unsigned int i = 0; ret >= 0 && i < nfds; i++)
		if (put_user((short)items[i].revents, &ufds[i].revents))
			ret = -EFAULT;
	kfree(items);
	return ret;
}

SYSCALL_DEFINE3(poll, struct pollfd __user *, ufds, unsigned int, nfds, int, timeout_msecs)
{
	long timeout = timeout_msecs < 0 ? MAX_SCHEDULE_TIMEOUT : (long)msecs_to_jiffies(timeout_msecs);

	return do_sys_poll(ufds, nfds, &timeout);
}

/* Write back the time left, as Linux does for ppoll, select and pselect6. */
static void put_time_left(struct __kernel_timespec __user *uts, long left)
{
	u64 ns = jiffies_left_ns(left);
	struct __kernel_timespec ts = { .tv_sec = ns / NSEC_PER_SEC, .tv_nsec = ns % NSEC_PER_SEC };

	if (uts && left != MAX_SCHEDULE_TIMEOUT)
		(void)copy_to_user(uts, &ts, sizeof(ts));	/* Linux ignores a fault here too */
}

SYSCALL_DEFINE5(ppoll, struct pollfd __user *, ufds, unsigned int, nfds, struct __kernel_timespec __user *, tsp,
		const sigset_t __user *, sigmask, size_t, sigsetsize)
{
	sigset_t old = 0;
	bool restore = false;
	long timeout, ret = timespec_to_jiffies_user(tsp, &timeout);

	if (!ret)
		ret = set_user_sigmask(sigmask, sigsetsize, &old, &restore);
	if (ret)
		return ret;
	ret = do_sys_poll(ufds, nfds, &timeout);
	restore_user_sigmask(old, restore);
	put_time_left(tsp, timeout);
	return ret;
}

/*
 * select: the three bitmaps of n bits become poll items with POLLIN_SET,
 * POLLOUT_SET, POLLEX_SET as interest; the results go back into the bitmaps
 * and each bit set counts once. An fd in a set but not open: -EBADF.
 */
static long core_sys_select(int n, unsigned long __user *inp, unsigned long __user *outp,
			    unsigned long __user *exp, long *timeout)
{
	unsigned long __user *uset[3] = { inp, outp, exp };
	static const __poll_t interest[3] = { POLLIN_SET, POLLOUT_SET, POLLEX_SET };
	unsigned long *bits;
	struct poll_item *items;
	long ret;

	if (n < 0)
		return -EINVAL;
	n = min((unsigned int)n, rlimit_nofile());
	size_t words = DIV_ROUND_UP(n, 64), size = words * sizeof(long);
	bits = kzalloc(3 * size + 1, GFP_KERNEL);
	items = kmalloc((n ? n : 1) * sizeof(*items), GFP_KERNEL);
	ret = -ENOMEM;
	if (!bits || !items)
		goto out;
	ret = -EFAULT;
	for (int s = 0; s < 3; s++)
		if (uset[s] && copy_from_user(bits + s * words, uset[s], size))
			goto out;
	unsigned int nitems = 0;
	for (int fd = 0; fd < n; fd++) {
		__poll_t ev = 0;
		for (int s = 0; s < 3; s++)
			if (bits[s * words + fd / 64] & (1UL << (fd % 64)))
				ev |= interest[s];
		if (!ev)
			continue;
		struct file *f = fget(fd);
		ret = -EBADF;
		if (!f)
			goto out;
		fput(f);
		items[nitems++] = (struct poll_item){ .fd = fd, .events = ev };
	}
	ret = do_poll(items, nitems, timeout);
	if (ret < 0)
		goto out;
	memset(bits, 0, 3 * size);
	ret = 0;
	for (unsigned int i = 0; i < nitems; i++)
		for (int s = 0; s < 3; s++)
			if (items[i].revents & interest[s]) {
				bits[s * words + items[i].fd / 64] |= 1UL << (items[i].fd % 64);
				ret++;
			}
	for (int s = 0; s < 3; s++)
		if (uset[s] && copy_to_user(uset[s], bits + s * words, size))
			ret = -EFAULT;
out:
	kfree(bits);
	kfree(items);
	return ret;
}

SYSCALL_DEFINE5(select, int, n, unsigned long __user *, inp, unsigned long __user *, outp,
		unsigned long __user *, exp, struct __kernel_old_timeval __user *, tvp)
{
	struct __kernel_old_timeval tv;
	long timeout = MAX_SCHEDULE_TIMEOUT;

	if (tvp) {
		if (copy_from_user(&tv, tvp, sizeof(tv)))
			return -EFAULT;
		if (tv.tv_sec < 0 || tv.tv_usec < 0 || tv.tv_usec >= 1000000)
			return -EINVAL;
		if (tv.tv_sec < LONG_MAX / HZ - 1)
			timeout = tv.tv_sec * HZ + (tv.tv_usec * HZ + 999999) / 1000000;
	}
	long ret = core_sys_select(n, inp, outp, exp, &timeout);
	if (tvp && timeout != MAX_SCHEDULE_TIMEOUT) {
		u64 ns = jiffies_left_ns(timeout);
		tv = (struct __kernel_old_timeval){ .tv_sec = ns / NSEC_PER_SEC,
						    .tv_usec = (ns % NSEC_PER_SEC) / 1000 };
		(void)copy_to_user(tvp, &tv, sizeof(tv));
	}
	return ret;
}

/* pselect6's sixth argument points at { const sigset_t *ss; size_t ss_len; }. */
SYSCALL_DEFINE6(pselect6, int, n, unsigned long __user *, inp, unsigned long __user *, outp,
		unsigned long __user *, exp, struct __kernel_timespec __user *, tsp, void __user *, sig)
{
	struct { const sigset_t __user *ss; size_t len; } s = { NULL, 0 };
	sigset_t old = 0;
	bool restore = false;
	long timeout, ret = timespec_to_jiffies_user(tsp, &timeout);

	if (!ret && sig && copy_from_user(&s, sig, sizeof(s)))
		ret = -EFAULT;
	if (!ret)
		ret = set_user_sigmask(s.ss, s.len, &old, &restore);
	if (ret)
		return ret;
	ret = core_sys_select(n, inp, outp, exp, &timeout);
	restore_user_sigmask(old, restore);
	put_time_left(tsp, timeout);
	return ret;
}
