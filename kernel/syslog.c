/*
 * syslog(2), the kernel log for user space (Linux: do_syslog() in
 * kernel/printk/printk.c). busybox's dmesg asks SYSLOG_ACTION_SIZE_BUFFER,
 * reads everything with SYSLOG_ACTION_READ_ALL and strips the "<L>" at the
 * start of each line itself; klogd reads with SYSLOG_ACTION_READ.
 *
 * The log ring (kernel/printk.c) already holds text in syslog's format,
 * one record per line: "<6>[    0.123456] message\n". Positions in it are
 * byte sequence numbers (log_next_seq: bytes ever written); the ring keeps
 * the last log_buf_len_get() of them. Linux counts records instead; here a
 * reader that starts mid-record (the ring wrapped, or only the newest part
 * fits the caller's buffer) skips to the next line, so output always starts
 * with a whole record.
 *
 * Differences from Linux: SYSLOG_ACTION_READ may split a record across two
 * calls, and when the log is empty it polls every 100 ms instead of
 * sleeping on a wait queue woken by printk. An interrupted READ returns
 * -EINTR (Linux: -ERESTARTSYS).
 *
 * Locking: syslog_mutex serialises readers and guards syslog_seq,
 * clear_seq and saved_console_loglevel; the ring itself has logbuf_lock
 * inside log_buf_read(). User memory is written outside both.
 */
#include <kernel/kernel.h>
#include <kernel/mutex.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <kernel/syscalls.h>
#include <kernel/time.h>
#include <kernel/timer.h>
#include <kernel/uaccess.h>
#include <uapi/errno.h>

#define SYSLOG_ACTION_CLOSE 0
#define SYSLOG_ACTION_OPEN 1
#define SYSLOG_ACTION_READ 2
#define SYSLOG_ACTION_READ_ALL 3
#define SYSLOG_ACTION_READ_CLEAR 4
#define SYSLOG_ACTION_CLEAR 5
#define SYSLOG_ACTION_CONSOLE_OFF 6
#define SYSLOG_ACTION_CONSOLE_ON 7
#define SYSLOG_ACTION_CONSOLE_LEVEL 8
#define SYSLOG_ACTION_SIZE_UNREAD 9
#define SYSLOG_ACTION_SIZE_BUFFER 10


static DEFINE_MUTEX(syslog_mutex);
static u64 syslog_seq;			/* where SYSLOG_ACTION_READ goes on */
static u64 clear_seq;			/* where READ_ALL starts: SYSLOG_ACTION_CLEAR moves it */
static int saved_console_loglevel = -1;	/* while the console is off (CONSOLE_OFF) */

/* The oldest position the ring still holds, given its end. */
static u64 log_oldest(u64 end)
{
	u64 len = log_buf_len_get();

	return end > len ? end - len : 0;
}

/*
 * Up to n bytes of the log from *pos (but not past end) into buf, which has
 * room for n + 1. If the ring overwrote *pos meanwhile, the copy starts at
 * the oldest byte. *pos moves past what was copied; returns the count.
 */
static size_t log_read(char *buf, size_t n, u64 *pos, u64 end)
{
	if (*pos >= end)
		return 0;
	n = min(n, (size_t)(end - *pos));
	return log_buf_read(buf, n + 1, pos);
}

/* The first record boundary at or after pos (end if there is none before it). */
static u64 skip_to_record(u64 pos, u64 end)
{
	char buf[128];

	if (pos == 0)
		return 0;
	u64 p = pos - 1;
	if (log_read(buf, 1, &p, end) == 1 && p == pos && buf[0] == '\n')
		return pos;	/* the byte before ends a line: pos starts one */
	p = pos;
	for (;;) {
		size_t got = log_read(buf, sizeof(buf) - 1, &p, end);
		if (!got)
			return end;
		u64 start = p - got;	/* not where we asked if the ring wrapped under us */
		for (size_t i = 0; i < got; i++)
			if (buf[i] == '\n')
				return start + i + 1;
	}
}

/* Copy [pos, end) of the log to user space; bytes copied or -EFAULT. */
static long copy_log_to_user(char __user *ubuf, u64 pos, u64 end)
{
	char buf[512];
	long copied = 0;

	for (;;) {
		size_t got = log_read(buf, sizeof(buf) - 1, &pos, end);
		if (!got)
			return copied;
		if (copy_to_user(ubuf + copied, buf, got))
			return -EFAULT;
		copied += got;
	}
}

/* READ_ALL and READ_CLEAR: the newest whole records since the clear point that fit in size bytes. */
static long syslog_print_all(char __user *ubuf, int size, bool clear)
{
	u64 end = READ_ONCE(log_next_seq);
	/* On a line: the ring may have wrapped, or the clear come while a line was open. */
	u64 start = skip_to_record(max(clear_seq, log_oldest(end)), end);

	if (end - start > (u64)size)
		start = skip_to_record(end - size, end);	/* drop the oldest, as Linux does */
	long ret = copy_log_to_user(ubuf, start, end);
	if (ret >= 0 && clear)
		clear_seq = end;
	return ret;
}

/* READ: what nobody has read yet, waiting for some if there is none. */
static long syslog_read(char __user *ubuf, int size)
{
	u64 end;

	for (;;) {
		end = READ_ONCE(log_next_seq);
		syslog_seq = max(syslog_seq, log_oldest(end));
		if (syslog_seq != end)
			break;
		if (signal_pending(current))
			return -EINTR;
		mutex_unlock(&syslog_mutex);
		schedule_timeout_interruptible(HZ / 10);
		mutex_lock(&syslog_mutex);
	}
	if (end - syslog_seq > (u64)size)
		end = syslog_seq + size;
	long ret = copy_log_to_user(ubuf, syslog_seq, end);
	if (ret > 0)
		syslog_seq += ret;
	return ret;
}

static long do_syslog(int type, char __user *buf, int len)
{
	long ret = 0;

	switch (type) {
	case SYSLOG_ACTION_READ:
	case SYSLOG_ACTION_READ_ALL:
	case SYSLOG_ACTION_READ_CLEAR:
		if (!buf || len < 0)
			return -EINVAL;		/* Linux's answer for a NULL buffer, not -EFAULT */
		if (!len)
			return 0;
		if (mutex_lock_interruptible(&syslog_mutex))
			return -EINTR;
		if (type == SYSLOG_ACTION_READ)
			ret = syslog_read(buf, len);
		else
			ret = syslog_print_all(buf, len, type == SYSLOG_ACTION_READ_CLEAR);
		mutex_unlock(&syslog_mutex);
		return ret;
	case SYSLOG_ACTION_CLOSE:
	case SYSLOG_ACTION_OPEN:
		return 0;
	case SYSLOG_ACTION_CLEAR:
		mutex_lock(&syslog_mutex);
		clear_seq = READ_ONCE(log_next_seq);
		mutex_unlock(&syslog_mutex);
		return 0;
	case SYSLOG_ACTION_CONSOLE_OFF:
		mutex_lock(&syslog_mutex);
		if (saved_console_loglevel == -1)
			saved_console_loglevel = console_loglevel;
		console_loglevel = minimum_console_loglevel;
		mutex_unlock(&syslog_mutex);
		return 0;
	case SYSLOG_ACTION_CONSOLE_ON:
		mutex_lock(&syslog_mutex);
		if (saved_console_loglevel != -1) {
			console_loglevel = saved_console_loglevel;
			saved_console_loglevel = -1;
		}
		mutex_unlock(&syslog_mutex);
		return 0;
	case SYSLOG_ACTION_CONSOLE_LEVEL:
		if (len < 1 || len > 8)
			return -EINVAL;
		mutex_lock(&syslog_mutex);
		console_loglevel = max(len, minimum_console_loglevel);
		saved_console_loglevel = -1;	/* setting a level turns the console back on */
		mutex_unlock(&syslog_mutex);
		return 0;
	case SYSLOG_ACTION_SIZE_UNREAD: {
		mutex_lock(&syslog_mutex);
		u64 end = READ_ONCE(log_next_seq);
		ret = end - max(syslog_seq, log_oldest(end));
		mutex_unlock(&syslog_mutex);
		return ret;
	}
	case SYSLOG_ACTION_SIZE_BUFFER:
		return log_buf_len_get();
	default:
		return -EINVAL;
	}
}

SYSCALL_DEFINE3(syslog, int, type, char __user *, buf, int, len)
{
	return do_syslog(type, buf, len);
}
