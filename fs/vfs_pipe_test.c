/*
 * ktests for pipes, poll/select and the /dev devices (see vfs_test.h).
 * Blocking is checked with kernel threads that read or write a pipe's
 * struct file directly (kernel_read/kernel_write); waits are in ticks. The
 * delay point pipe_read_woken holds a woken reader to force a race.
 */
#include <kernel/delay_point.h>
#include <kernel/signal.h>
#include <kernel/sched/task.h>
#include <kernel/wait.h>
#include <kernel/timer.h>
#include "vfs_test.h"

KTEST(vfs_pipe_basic)
{
	struct vfs_env e;
	static char buf[2 * PAGE_SIZE];
	int p[2], n = 0;
	struct stat st;
	bool sigpipe;

	vfs_env_enter(&e);
	KT_ASSERT_EQ(SYS(pipe2, P(p), O_DIRECT), -EINVAL);
	KT_ASSERT_EQ(SYS(pipe2, P(p), O_CLOEXEC), 0);
	KT_ASSERT(p[0] == 0 && p[1] == 1);
	KT_ASSERT_EQ(SYS(fcntl, p[1], F_GETFD), FD_CLOEXEC);
	KT_ASSERT_EQ(SYS(fcntl, p[0], F_GETFL), O_RDONLY);
	KT_ASSERT_EQ(SYS(fstat, p[0], P(&st)), 0);
	KT_ASSERT(S_ISFIFO(st.st_mode) && (st.st_mode & 0777) == 0600);
	KT_ASSERT_EQ(SYS(write, p[1], P("hello"), 5), 5);
	KT_ASSERT_EQ(SYS(ioctl, p[0], FIONREAD, P(&n)), 0);
	KT_ASSERT_EQ(n, 5);
	KT_ASSERT_EQ(SYS(read, p[0], P(buf), 100), 5);		/* what is there, without waiting for more */
	KT_ASSERT(!memcmp(buf, "hello", 5));
	KT_ASSERT_EQ(SYS(read, p[1], P(buf), 1), -EBADF);
	KT_ASSERT_EQ(SYS(write, p[0], P(buf), 1), -EBADF);
	KT_ASSERT_EQ(SYS(lseek, p[0], 0, SEEK_SET), -ESPIPE);
	KT_ASSERT_EQ(SYS(pread64, p[0], P(buf), 1, 0), -ESPIPE);
	KT_ASSERT_EQ(SYS(read, p[0], P(buf), 0), 0);

	/* Non-blocking: empty, full, PIPE_BUF atomicity, partial large writes. */
	KT_ASSERT_EQ(SYS(fcntl, p[0], F_SETFL, O_NONBLOCK), 0);
	KT_ASSERT_EQ(SYS(fcntl, p[1], F_SETFL, O_NONBLOCK), 0);
	KT_ASSERT_EQ(SYS(read, p[0], P(buf), 10), -EAGAIN);
	long total = 0, w;
	memset(buf, 'p', sizeof(buf));
	while ((w = SYS(write, p[1], P(buf), PAGE_SIZE)) > 0)
		total += w;
	KT_ASSERT_EQ(w, -EAGAIN);
	KT_ASSERT_EQ(total, 64 * 1024);				/* Linux's default pipe size */
	KT_ASSERT_EQ(SYS(read, p[0], P(buf), 100), 100);
	KT_ASSERT_EQ(SYS(write, p[1], P(buf), 200), -EAGAIN);	/* <= PIPE_BUF: all or nothing */
	KT_ASSERT_EQ(SYS(write, p[1], P(buf), 100), 100);
	KT_ASSERT_EQ(SYS(read, p[0], P(buf), 5000), 5000);
	KT_ASSERT_EQ(SYS(write, p[1], P(buf), 8192), 5000);	/* > PIPE_BUF: what fits */
	while (SYS(read, p[0], P(buf), sizeof(buf)) > 0)
		;
	KT_ASSERT_EQ(SYS(ioctl, p[0], FIONREAD, P(&n)), 0);
	KT_ASSERT_EQ(n, 0);

	/* End of file once the writers are gone; then EPIPE and SIGPIPE the other way. */
	KT_ASSERT_EQ(SYS(write, p[1], P("x"), 1), 1);
	KT_ASSERT_EQ(SYS(dup, p[1]), 2);
	KT_ASSERT_EQ(SYS(close, p[1]), 0);
	KT_ASSERT_EQ(SYS(read, p[0], P(buf), 10), 1);
	KT_ASSERT_EQ(SYS(read, p[0], P(buf), 10), -EAGAIN);	/* a writer is left (fd 2) */
	KT_ASSERT_EQ(SYS(close, 2), 0);
	KT_ASSERT_EQ(SYS(read, p[0], P(buf), 10), 0);
	KT_ASSERT_EQ(SYS(close, p[0]), 0);

	KT_ASSERT_EQ(SYS(pipe, P(p)), 0);
	KT_ASSERT_EQ(SYS(close, p[0]), 0);
	flush_signals(current);
	KT_ASSERT_EQ(SYS(write, p[1], P("x"), 1), -EPIPE);
	sigpipe = READ_ONCE(current->pending.signal) & sigmask(SIGPIPE);
	flush_signals(current);
	KT_ASSERT(sigpipe);
	KT_ASSERT_EQ(SYS(close, p[1]), 0);
	VFS_ENV_EXIT_CHECK(&e);
}

struct pipe_thr {
	struct file *f;
	bool write;
	unsigned int delay_ms;
	size_t len;
	ssize_t ret;
	bool started, done;
	char buf[256];
};

static int pipe_thread(void *arg)
{
	struct pipe_thr *t = arg;

	if (t->delay_ms)
		msleep(t->delay_ms);
	WRITE_ONCE(t->started, true);
	ssize_t r = t->write ? kernel_write(t->f, t->buf, t->len, NULL) : kernel_read(t->f, t->buf, t->len, NULL);
	t->ret = r;
	WRITE_ONCE(t->done, true);
	flush_signals(current);
	return 0;
}

/* Start a thread on file fd (a reference of its own), reading or writing len bytes. */
static struct task_struct *start_pipe_thread(struct pipe_thr *t, int fd, bool write, size_t len,
					     unsigned int delay_ms)
{
	memset(t, 0, sizeof(*t));
	t->f = fget(fd);
	t->write = write;
	t->len = len;
	t->delay_ms = delay_ms;
	memset(t->buf, 'T', sizeof(t->buf));
	return t->f ? ktest_start_thread(pipe_thread, t, "vfs_pipe") : NULL;
}

static void stop_pipe_thread(struct task_struct *task, struct pipe_thr *t)
{
	ktest_stop_thread(task);
	fput(t->f);
}

/*
 * Let the pipe thread something just woke finish, and stop it. False if it
 * does not finish: stopping it could then hang, so it is left (and the test fails).
 */
static bool finish_pipe_thread(struct task_struct *task, struct pipe_thr *t)
{
	if (!WAIT_FOR(READ_ONCE(t->done), 2))
		return false;
	stop_pipe_thread(task, t);
	return true;
}

/* The thread got to its read or write and sleeps there. */
static bool blocked(struct task_struct *task, struct pipe_thr *t)
{
	if (!WAIT_FOR(READ_ONCE(t->started), 2))
		return false;
	WAIT_FOR(READ_ONCE(task->state) == TASK_INTERRUPTIBLE, 1);
	return !READ_ONCE(t->done) && READ_ONCE(task->state) == TASK_INTERRUPTIBLE;
}

KTEST(vfs_pipe_blocking)
{
	struct vfs_env e;
	static char buf[PAGE_SIZE];
	static struct pipe_thr t;
	unsigned long freed0 = READ_ONCE(nr_tasks_freed);
	struct task_struct *task;
	int p[2], n;

	vfs_env_enter(&e);
	KT_ASSERT_EQ(SYS(pipe, P(p)), 0);

	/* A blocked reader is woken by a writer thread. */
	task = start_pipe_thread(&t, p[1], true, 4, 20);
	KT_ASSERT(task);
	KT_ASSERT_EQ(SYS(read, p[0], P(buf), sizeof(buf)), 4);
	KT_ASSERT(!memcmp(buf, "TTTT", 4));
	stop_pipe_thread(task, &t);
	KT_ASSERT_EQ(t.ret, 4);

	/* A writer blocked on a full pipe is woken when a read makes room. */
	memset(buf, 'f', sizeof(buf));
	for (int i = 0; i < 16; i++)
		KT_ASSERT_EQ(SYS(write, p[1], P(buf), PAGE_SIZE), PAGE_SIZE);
	task = start_pipe_thread(&t, p[1], true, 100, 0);
	KT_ASSERT(task && blocked(task, &t));
	KT_ASSERT_EQ(SYS(read, p[0], P(buf), 50), 50);
	KT_ASSERT(!READ_ONCE(t.done));				/* 100 <= PIPE_BUF: needs room for all */
	KT_ASSERT_EQ(SYS(read, p[0], P(buf), PAGE_SIZE), PAGE_SIZE);
	KT_ASSERT(finish_pipe_thread(task, &t));
	KT_ASSERT_EQ(t.ret, 100);
	for (long left = 15 * PAGE_SIZE - 50 + 100, r; left > 0; left -= r) {
		r = SYS(read, p[0], P(buf), min(left, (long)PAGE_SIZE));
		KT_ASSERT(r > 0);
	}
	KT_ASSERT_EQ(SYS(ioctl, p[0], FIONREAD, P(&n)), 0);
	KT_ASSERT_EQ(n, 0);
	KT_ASSERT_EQ(SYS(close, p[0]), 0);

	/* A blocked reader sees end of file when the last writer closes... */
	KT_ASSERT_EQ(SYS(close, p[1]), 0);

	KT_ASSERT_EQ(SYS(pipe, P(p)), 0);
	task = start_pipe_thread(&t, p[0], false, 10, 0);
	KT_ASSERT(task && blocked(task, &t));
	KT_ASSERT_EQ(SYS(close, p[1]), 0);
	KT_ASSERT(finish_pipe_thread(task, &t));
	KT_ASSERT_EQ(t.ret, 0);
	KT_ASSERT_EQ(SYS(close, p[0]), 0);

	/* ... and -ERESTARTSYS when a signal comes; a blocked writer gets EPIPE when the reader goes. */
	KT_ASSERT_EQ(SYS(pipe, P(p)), 0);
	task = start_pipe_thread(&t, p[0], false, 10, 0);
	KT_ASSERT(task && blocked(task, &t));
	send_sig(SIGUSR1, task, 0);
	KT_ASSERT(finish_pipe_thread(task, &t));
	KT_ASSERT_EQ(t.ret, -ERESTARTSYS);	/* -EINTR once it reaches user space */

	for (int i = 0; i < 16; i++)
		KT_ASSERT_EQ(SYS(write, p[1], P(buf), PAGE_SIZE), PAGE_SIZE);
	task = start_pipe_thread(&t, p[1], true, 10, 0);
	KT_ASSERT(task && blocked(task, &t));
	KT_ASSERT_EQ(SYS(close, p[0]), 0);
	KT_ASSERT(finish_pipe_thread(task, &t));
	KT_ASSERT_EQ(t.ret, -EPIPE);
	KT_ASSERT_EQ(SYS(close, p[1]), 0);

	WAIT_FOR(READ_ONCE(nr_tasks_freed) >= freed0 + 5, 5);
	KT_ASSERT_EQ(nr_tasks_freed, freed0 + 5);
	VFS_ENV_EXIT_CHECK(&e);
}

/*
 * A reader woken by a write may find the pipe empty again: another reader took the data
 * between the wake-up and the pipe's mutex (the delay point holds the woken reader there
 * while the test reads the byte). It must wait again, not return 0 as at end of file:
 * the pipe still has a writer. The next byte is then its own.
 */
KTEST(vfs_pipe_reader_woken_empty)
{
	struct vfs_env e;
	static struct pipe_thr t;
	unsigned long freed0 = READ_ONCE(nr_tasks_freed);
	struct task_struct *task;
	char cmd[64], c = 0;
	int p[2];

	vfs_env_enter(&e);
	KT_ASSERT_EQ(SYS(pipe, P(p)), 0);
	task = start_pipe_thread(&t, p[0], false, 1, 0);
	KT_ASSERT(task && blocked(task, &t));
	snprintf(cmd, sizeof(cmd), "pipe_read_woken:hold@pid=%d", task->pid);
	KT_ASSERT_EQ(delay_point_control(cmd), 0);
	KT_ASSERT_EQ(SYS(write, p[1], P("x"), 1), 1);
	bool held = WAIT_FOR(delay_point_waiters("pipe_read_woken") == 1, 2);
	long r = SYS(read, p[0], P(&c), 1);		/* the byte goes to the test */
	delay_point_control("pipe_read_woken:off");
	KT_ASSERT(held);
	KT_ASSERT(r == 1 && c == 'x');
	KT_ASSERT_MSG(blocked(task, &t), "the woken reader returned %ld with the pipe empty and a writer left",
		      READ_ONCE(t.ret));
	KT_ASSERT_EQ(SYS(write, p[1], P("y"), 1), 1);
	KT_ASSERT(finish_pipe_thread(task, &t));
	KT_ASSERT_EQ(t.ret, 1);
	KT_ASSERT_EQ(t.buf[0], 'y');
	KT_ASSERT_EQ(SYS(close, p[0]), 0);
	KT_ASSERT_EQ(SYS(close, p[1]), 0);
	WAIT_FOR(READ_ONCE(nr_tasks_freed) >= freed0 + 1, 5);
	KT_ASSERT_EQ(nr_tasks_freed, freed0 + 1);
	VFS_ENV_EXIT_CHECK(&e);
}

KTEST(vfs_poll_select)
{
	struct vfs_env e;
	static struct pipe_thr t;
	unsigned long freed0 = READ_ONCE(nr_tasks_freed);
	struct task_struct *task;
	char buf[16];
	int p[2];

	vfs_env_enter(&e);
	KT_ASSERT_EQ(SYS(pipe, P(p)), 0);
	long null = SYS(open, P("/dev/null"), O_RDWR);
	struct pollfd fds[4] = { { p[0], POLLIN, 0 }, { p[1], POLLOUT, 0 }, { -1, POLLIN, 7 }, { 77, POLLIN, 0 } };
	KT_ASSERT_EQ(SYS(poll, P(fds), 4, 0), 2);
	KT_ASSERT(fds[0].revents == 0 && fds[1].revents == POLLOUT && fds[2].revents == 0 && fds[3].revents == POLLNVAL);
	struct pollfd nfd = { (int)null, POLLIN | POLLOUT | POLLPRI, 0 };
	KT_ASSERT_EQ(SYS(poll, P(&nfd), 1, 0), 1);
	KT_ASSERT_EQ(nfd.revents, POLLIN | POLLOUT);			/* devices without ->poll: always ready */
	KT_ASSERT_EQ(SYS(poll, P(fds), 2000, 0), -EINVAL);

	/* poll sleeps until a writer thread makes the pipe readable. */
	task = start_pipe_thread(&t, p[1], true, 3, 20);
	KT_ASSERT(task);
	KT_ASSERT_EQ(SYS(poll, P(fds), 1, -1), 1);
	KT_ASSERT_EQ(fds[0].revents, POLLIN);
	stop_pipe_thread(task, &t);

	/* select: readable and writable bits, a time-out, a closed fd. */
	unsigned long rset = 1UL << p[0] | 1UL << p[1], wset = 1UL << p[1] | 1UL << p[0], xset = 0;
	struct __kernel_old_timeval tv = { 0, 0 };
	KT_ASSERT_EQ(SYS(select, p[1] + 1, P(&rset), P(&wset), P(&xset), P(&tv)), 2);
	KT_ASSERT(rset == 1UL << p[0] && wset == 1UL << p[1] && xset == 0);
	KT_ASSERT_EQ(SYS(read, p[0], P(buf), sizeof(buf)), 3);
	rset = 1UL << p[0];
	tv = (struct __kernel_old_timeval){ 0, 20000 };
	unsigned long j0 = jiffies;
	KT_ASSERT_EQ(SYS(select, p[0] + 1, P(&rset), 0, 0, P(&tv)), 0);
	KT_ASSERT(rset == 0 && tv.tv_sec == 0 && tv.tv_usec == 0 && jiffies - j0 >= 4);
	rset = 1UL << 9;
	KT_ASSERT_EQ(SYS(select, 10, P(&rset), 0, 0, P(&tv)), -EBADF);
	KT_ASSERT_EQ(SYS(select, -1, 0, 0, 0, P(&tv)), -EINVAL);
	tv.tv_usec = 1000000;
	KT_ASSERT_EQ(SYS(select, 1, 0, 0, 0, P(&tv)), -EINVAL);

	/* ppoll and pselect6: time-outs as timespecs, a signal mask. */
	struct __kernel_timespec ts = { 0, 20 * NSEC_PER_MSEC };
	sigset_t mask = sigmask(SIGUSR2);
	KT_ASSERT_EQ(SYS(ppoll, P(fds), 1, P(&ts), P(&mask), sizeof(mask)), 0);
	KT_ASSERT(ts.tv_sec == 0 && ts.tv_nsec == 0);
	KT_ASSERT_EQ(current->blocked, 0);				/* restored */
	KT_ASSERT_EQ(SYS(ppoll, P(fds), 1, P(&ts), P(&mask), 4), -EINVAL);
	ts.tv_nsec = -1;
	KT_ASSERT_EQ(SYS(ppoll, P(fds), 1, P(&ts), 0, 0), -EINVAL);
	ts = (struct __kernel_timespec){ 0, 0 };
	struct { const sigset_t *ss; size_t len; } sig = { &mask, sizeof(mask) };
	wset = 1UL << p[1];
	KT_ASSERT_EQ(SYS(pselect6, p[1] + 1, 0, P(&wset), 0, P(&ts), P(&sig)), 1);

	/* A signal ends a poll with -EINTR. */
	send_sig(SIGUSR1, current, 0);
	KT_ASSERT_EQ(SYS(poll, P(fds), 1, -1), -EINTR);
	flush_signals(current);

	/* Hang-up and error: the other end closed. */
	KT_ASSERT_EQ(SYS(close, p[1]), 0);
	fds[0].events = POLLIN;
	KT_ASSERT_EQ(SYS(poll, P(fds), 1, 0), 1);
	KT_ASSERT_EQ(fds[0].revents, POLLHUP);
	KT_ASSERT_EQ(SYS(pipe, P(p)), 0);
	KT_ASSERT_EQ(SYS(close, p[0]), 0);
	fds[1].fd = p[1];
	KT_ASSERT_EQ(SYS(poll, P(&fds[1]), 1, 0), 1);
	KT_ASSERT_EQ(fds[1].revents, POLLOUT | POLLERR);

	WAIT_FOR(READ_ONCE(nr_tasks_freed) >= freed0 + 1, 5);
	KT_ASSERT_EQ(nr_tasks_freed, freed0 + 1);
	VFS_ENV_EXIT_CHECK(&e);
}

KTEST(vfs_dev_null_zero)
{
	struct vfs_env e;
	static char buf[10000];
	struct stat st;

	vfs_env_enter(&e);
	long null = SYS(open, P("/dev/null"), O_RDWR), zero = SYS(open, P("/dev/zero"), O_RDWR);
	KT_ASSERT(null >= 0 && zero >= 0);
	KT_ASSERT_EQ(SYS(read, null, P(buf), sizeof(buf)), 0);
	KT_ASSERT_EQ(SYS(write, null, P(buf), sizeof(buf)), sizeof(buf));
	KT_ASSERT_EQ(SYS(lseek, null, 1234, SEEK_SET), 0);
	KT_ASSERT_EQ(SYS(pread64, null, P(buf), 5, 100), 0);
	memset(buf, 'x', sizeof(buf));
	KT_ASSERT_EQ(SYS(read, zero, P(buf), sizeof(buf)), sizeof(buf));
	KT_ASSERT(!memchr_inv(buf, 0, sizeof(buf)));
	KT_ASSERT_EQ(SYS(write, zero, P("abc"), 3), 3);
	KT_ASSERT_EQ(SYS(lseek, zero, 99, SEEK_CUR), 0);
	KT_ASSERT_EQ(SYS(fstat, null, P(&st)), 0);
	KT_ASSERT(S_ISCHR(st.st_mode) && (st.st_mode & 0777) == 0666 && st.st_rdev == MKDEV(1, 3));
	KT_ASSERT_EQ(SYS(ioctl, null, 0x5401, 0), -ENOTTY);

	/* A node whose number no driver registered, and a FIFO: they exist but do not open. */
	KT_ASSERT_EQ(do_mknodat(AT_FDCWD, "/nodrv", S_IFCHR | 0600, MKDEV(241, 9)), 0);
	KT_ASSERT_EQ(do_mknodat(AT_FDCWD, "/fifo", S_IFIFO | 0600, 0), 0);
	KT_ASSERT_EQ(SYS(open, P("/nodrv"), O_RDONLY), -ENXIO);
	KT_ASSERT_EQ(SYS(open, P("/fifo"), O_RDONLY), -ENXIO);
	KT_ASSERT_EQ(SYS(unlink, P("/nodrv")), 0);
	KT_ASSERT_EQ(SYS(unlink, P("/fifo")), 0);
	VFS_ENV_EXIT_CHECK(&e);
}

static int test_dev_opens;

static int test_dev_open(struct inode *inode, struct file *f)
{
	test_dev_opens++;
	f->private_data = inode;
	return 0;
}

static ssize_t test_dev_read(struct file *f, char __user *buf, size_t count, loff_t *pos)
{
	return copy_to_user(buf, "dev", 3) ? -EFAULT : 3;
}

static const struct file_operations test_dev_fops = {
	.open = test_dev_open,
	.read = test_dev_read,
}, other_fops = {
	.read = test_dev_read,
};

/* devfs_create() registers a driver for good: no page check here. */
KTEST(vfs_devfs_create)
{
	struct vfs_env e;
	char buf[8];
	struct stat st;

	vfs_env_enter(&e);
	KT_ASSERT_EQ(devfs_create("vfs_test", 0640, MKDEV(240, 1), &test_dev_fops), 0);
	KT_ASSERT_EQ(devfs_create("vfs_test", 0640, MKDEV(240, 1), &test_dev_fops), 0);	/* again: fine */
	KT_ASSERT_EQ(devfs_create("vfs_test2", 0640, MKDEV(240, 1), &other_fops), -EBUSY);
	KT_ASSERT_EQ(devfs_create("null", 0640, MKDEV(240, 2), &test_dev_fops), -EEXIST);
	KT_ASSERT_EQ(SYS(stat, P("/dev/vfs_test"), P(&st)), 0);
	KT_ASSERT(S_ISCHR(st.st_mode) && (st.st_mode & 0777) == 0640 && st.st_rdev == MKDEV(240, 1));
	long fd = SYS(open, P("/dev/vfs_test"), O_RDONLY);
	KT_ASSERT(fd >= 0);
	KT_ASSERT_EQ(test_dev_opens, 1);
	KT_ASSERT_EQ(SYS(read, fd, P(buf), sizeof(buf)), 3);
	KT_ASSERT(!memcmp(buf, "dev", 3));
	KT_ASSERT_EQ(SYS(write, fd, P(buf), 1), -EBADF);
	KT_ASSERT_EQ(SYS(lseek, fd, 0, SEEK_SET), -ESPIPE);
	SYS(close, fd);
	KT_ASSERT_EQ(SYS(unlink, P("/dev/vfs_test")), 0);
	vfs_env_exit(&e);
}
