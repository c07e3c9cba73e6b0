/*
 * ktests for the tracing files (kernel/trace/trace_fs.c, fs/tracefs.c),
 * through the VFS as user space sees them under /sys/kernel/tracing:
 * enable files and their X state, tracing_on, `echo > trace`, trace_pipe, set_event,
 * delay_points, and the errors Linux gives for bad writes. Each test mounts
 * tracefs on /sys/kernel/tracing as user space does, unmounts it at the end,
 * and leaves every event off, tracing on and no delay point armed.
 */
#include <kernel/kernel.h>
#include <kernel/delay_point.h>
#include <kernel/ktest.h>
#include <kernel/ktest_syscall.h>
#include <kernel/ktest_thread.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <kernel/trace.h>
#include <lib/printbuf.h>
#include <lib/string.h>
#include <mm/mm.h>
#include <fs/fs.h>
#include <uapi/errno.h>
#include <uapi/magic.h>
#include <uapi/statfs.h>

#define TRACING_DIR "/sys/kernel/tracing"
#define TRACING TRACING_DIR "/"

/* mount -t tracefs nodev /sys/kernel/tracing (making the directories first); 0 or an error. */
static long mount_tracing(void)
{
	uaccess_kernel_begin();
	SYS(mkdir, A("/sys"), 0555);
	SYS(mkdir, A("/sys/kernel"), 0755);
	SYS(mkdir, A(TRACING_DIR), 0755);
	long r = SYS(mount, A("nodev"), A(TRACING_DIR), A("tracefs"), 0, 0);
	uaccess_kernel_end();
	return r;
}

static long umount_tracing(void)
{
	uaccess_kernel_begin();
	long r = SYS(umount2, A(TRACING_DIR), 0);
	uaccess_kernel_end();
	return r;
}

/* Write text to the file as `echo TEXT > FILE` does (O_TRUNC): the write's result. */
static long echo(const char *path, const char *text)
{
	struct file *f = filp_open(path, O_WRONLY | O_TRUNC, 0);

	if (IS_ERR(f))
		return PTR_ERR(f);
	long r = kernel_write(f, text, strlen(text), NULL);
	fput(f);
	return r;
}

/* The file's text into buf (NUL-terminated), in reads of at most chunk bytes; its length or an error. */
static long cat(const char *path, char *buf, size_t size, size_t chunk)
{
	struct file *f = filp_open(path, O_RDONLY, 0);
	long n = 0, r = 1;

	if (IS_ERR(f))
		return PTR_ERR(f);
	while (r > 0 && (size_t)n < size - 1) {
		r = kernel_read(f, buf + n, min(chunk, size - 1 - n), NULL);
		n += r > 0 ? r : 0;
	}
	fput(f);
	buf[n] = 0;
	return r < 0 ? r : n;
}

static void tracing_defaults(void)
{
	trace_set_clr_event("*:*", false);
	tracing_set_on(true);
}

KTEST(tracefs_enable_files)
{
	char buf[8];
	bool ok = mount_tracing() == 0;

	tracing_defaults();
	ok &= echo(TRACING "events/oom/wake_reaper/enable", "1\n") == 2;
	ok &= cat(TRACING "events/oom/wake_reaper/enable", buf, sizeof(buf), 64) == 2 && !strcmp(buf, "1\n");
	ok &= cat(TRACING "events/oom/enable", buf, sizeof(buf), 64) == 2 && !strcmp(buf, "X\n");
	ok &= cat(TRACING "events/enable", buf, sizeof(buf), 64) == 2 && !strcmp(buf, "X\n");
	ok &= cat(TRACING "events/delay/enable", buf, sizeof(buf), 64) == 2 && !strcmp(buf, "0\n");
	ok &= echo(TRACING "events/oom/enable", "1") == 1 && trace_events_state("oom:*") == 1;
	ok &= echo(TRACING "events/enable", "0\n") == 2 && trace_events_state("*:*") == 0;
	long bad = echo(TRACING "events/oom/enable", "2\n"), junk = echo(TRACING "events/enable", "on\n");
	tracing_defaults();
	ok &= umount_tracing() == 0;
	KT_ASSERT(ok);
	KT_ASSERT_EQ(bad, -EINVAL);
	KT_ASSERT_EQ(junk, -EINVAL);
}

/* tracing_on takes any number (non-zero: on), as Linux's; `echo > trace` empties the ring. */
KTEST(tracefs_tracing_on_and_clear)
{
	char buf[2048];
	bool ok = mount_tracing() == 0;

	tracing_defaults();
	trace_event_set(TRACE_oom_skip_task_reaping, true);
	ok &= echo(TRACING "tracing_on", "0\n") == 2 && !tracing_on;
	ok &= cat(TRACING "tracing_on", buf, sizeof(buf), 64) == 2 && !strcmp(buf, "0\n");
	ok &= echo(TRACING "tracing_on", "7\n") == 2 && tracing_on;
	long bad = echo(TRACING "tracing_on", "foo\n");
	trace_skip_task_reaping(77);
	long n = cat(TRACING "trace", buf, sizeof(buf), 100);	/* small reads: one snapshot */
	ok &= n > 0 && strstr(buf, ": skip_task_reaping: pid=77\n") && !strncmp(buf, "# tracer: nop\n", 14);
	ok &= echo(TRACING "trace", "\n") == 1;
	n = cat(TRACING "trace", buf, sizeof(buf), 4096);
	ok &= n > 0 && strstr(buf, "# entries-in-buffer/entries-written: 0/0   #P:1\n") && !strstr(buf, "pid=77");
	tracing_defaults();
	ok &= umount_tracing() == 0;
	KT_ASSERT(ok);
	KT_ASSERT_EQ(bad, -EINVAL);
}

KTEST(tracefs_set_event)
{
	char buf[512];
	bool ok = mount_tracing() == 0;

	tracing_defaults();
	ok &= echo(TRACING "set_event", "oom:mark_victim delay:*\n") > 0;
	ok &= cat(TRACING "set_event", buf, sizeof(buf), 4096) > 0 &&
	      !strcmp(buf, "oom:mark_victim\ndelay:reached\ndelay:released\n");
	ok &= echo(TRACING "set_event", "oom:wake_reaper") > 0;	/* O_TRUNC: the others go off */
	ok &= cat(TRACING "set_event", buf, sizeof(buf), 4096) > 0 && !strcmp(buf, "oom:wake_reaper\n");
	long bad = echo(TRACING "set_event", "oom:nonsense");
	ok &= cat(TRACING "available_events", buf, sizeof(buf), 4096) > 0 &&
	      !strncmp(buf, "oom:mark_victim\noom:wake_reaper\n", 32) && strstr(buf, "delay:released\n");
	tracing_defaults();
	ok &= umount_tracing() == 0;
	KT_ASSERT(ok);
	KT_ASSERT_EQ(bad, -EINVAL);
}

KTEST(tracefs_delay_points)
{
	char buf[512];
	bool ok = mount_tracing() == 0;

	ok &= echo(TRACING "delay_points", "ktest_fs_a:hold@comm=memhog,ktest_fs_b:30\n") > 0;
	ok &= cat(TRACING "delay_points", buf, sizeof(buf), 10) > 0 &&
	      !strcmp(buf, "ktest_fs_a hold comm=memhog hits=0 waiting=0\nktest_fs_b 30ms all hits=0 waiting=0\n");
	long bad = echo(TRACING "delay_points", "ktest_fs_a:nonsense\n");
	long unarmed = echo(TRACING "delay_points", "ktest_fs_c:release\n");
	ok &= echo(TRACING "delay_points", "ktest_fs_a:off ktest_fs_b:off") > 0;
	ok &= cat(TRACING "delay_points", buf, sizeof(buf), 10) == 0;
	delay_point_control("ktest_fs_a:off");
	delay_point_control("ktest_fs_b:off");
	ok &= umount_tracing() == 0;
	KT_ASSERT(ok);
	KT_ASSERT_EQ(bad, -EINVAL);
	KT_ASSERT_EQ(unarmed, -ENOENT);
	KT_ASSERT(!READ_ONCE(delay_points_armed));
}

struct pipe_reader {
	char buf[256];
	long n;
	volatile int done;
};

/* One blocking read of trace_pipe. */
static int pipe_reader_fn(void *data)
{
	struct pipe_reader *r = data;
	struct file *f = filp_open(TRACING "trace_pipe", O_RDONLY, 0);

	r->n = IS_ERR(f) ? PTR_ERR(f) : kernel_read(f, r->buf, sizeof(r->buf) - 1, NULL);
	if (!IS_ERR(f))
		fput(f);
	r->buf[r->n > 0 ? r->n : 0] = 0;
	WRITE_ONCE(r->done, 1);
	return 0;
}

/* trace_pipe: each entry read once, then gone from trace; an empty pipe waits (or says EAGAIN). */
KTEST(tracefs_trace_pipe)
{
	unsigned long freed = nr_tasks_freed, pages = nr_free_pages();
	char buf[1024];
	struct pipe_reader r = { 0 };
	bool ok = mount_tracing() == 0;

	tracing_defaults();
	tracing_reset();
	trace_event_set(TRACE_oom_wake_reaper, true);
	trace_wake_reaper(1);
	trace_wake_reaper(2);
	struct file *f = filp_open(TRACING "trace_pipe", O_RDONLY | O_NONBLOCK, 0);
	long n = IS_ERR(f) ? PTR_ERR(f) : kernel_read(f, buf, sizeof(buf) - 1, NULL);
	buf[n > 0 ? n : 0] = 0;
	long again = IS_ERR(f) ? PTR_ERR(f) : kernel_read(f, buf + 512, 100, NULL);
	if (!IS_ERR(f))
		fput(f);
	ok &= n > 0 && strstr(buf, "wake_reaper: pid=1\n") && strstr(buf, "wake_reaper: pid=2\n") && !strchr(buf, '#');
	ok &= cat(TRACING "trace", buf, sizeof(buf), 4096) > 0 &&
	      strstr(buf, "# entries-in-buffer/entries-written: 0/2   #P:1\n");
	struct task_struct *t = ktest_start_thread(pipe_reader_fn, &r, "trace_pipe_rd");
	ok &= t && WAIT_FOR(READ_ONCE(t->state) == TASK_INTERRUPTIBLE, 2);
	bool waited = !r.done;
	trace_wake_reaper(3);
	ok &= WAIT_FOR(r.done, 2);
	if (!r.done && t)
		send_sig(SIGKILL, t, 1);	/* a blocked reader would make kthread_stop() wait for ever */
	if (t)
		ktest_stop_thread(t);
	tracing_defaults();
	tracing_reset();
	ok &= umount_tracing() == 0;
	KT_ASSERT(ok && waited);
	KT_ASSERT_EQ(again, -EAGAIN);
	KT_ASSERT_MSG(r.n > 0 && strstr(r.buf, "wake_reaper: pid=3\n"), "read %ld: %s", r.n, r.buf);
	KT_ASSERT_ALL_FREED(freed, 1, pages);
}

/*
 * tracefs is one instance: two mounts show the same files; statfs says
 * TRACEFS_MAGIC; /proc/filesystems lists it in Linux's place.
 */
KTEST_UA(tracefs_mounts_share_one_instance)
{
	struct statfs st;
	struct printbuf out = PRINTBUF;
	char buf[8];

	show_filesystems(&out);
	bool listed = out.buf && strstr(out.buf, "\nnodev\tdevtmpfs\nnodev\ttracefs\nnodev\tpipefs\n");
	printbuf_exit(&out);
	KT_ASSERT(listed);
	KT_ASSERT_EQ(mount_tracing(), 0);
	SYS(mkdir, A("/tmp"), 01777);
	SYS(mkdir, A("/tmp/tracing2"), 0755);
	long second = SYS(mount, A("nodev"), A("/tmp/tracing2"), A("tracefs"), 0, 0);
	uaccess_kernel_end();
	bool ok = echo("/tmp/tracing2/tracing_on", "0\n") == 2 &&
		  cat(TRACING "tracing_on", buf, sizeof(buf), 64) == 2 && !strcmp(buf, "0\n");
	tracing_set_on(true);
	uaccess_kernel_begin();
	long fs = SYS(statfs, A(TRACING_DIR), A(&st));
	long u2 = SYS(umount2, A("/tmp/tracing2"), 0);
	SYS(rmdir, A("/tmp/tracing2"));
	uaccess_kernel_end();
	long u1 = umount_tracing();
	uaccess_kernel_begin();
	KT_ASSERT_EQ(second, 0);
	KT_ASSERT(ok);
	KT_ASSERT_EQ(fs, 0);
	KT_ASSERT_EQ(st.f_type, TRACEFS_MAGIC);
	KT_ASSERT_EQ(u2, 0);
	KT_ASSERT_EQ(u1, 0);
}
