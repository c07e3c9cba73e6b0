/*
 * ktests for the tracing files (kernel/trace/trace_fs.c, fs/tracefs.c),
 * through the VFS as user space sees them under /sys/kernel/tracing:
 * enable files and their X state, tracing_on, `echo > trace`, set_event,
 * delay_points, and the errors Linux gives for bad writes. Each test leaves
 * every event off, tracing on and no delay point armed.
 */
#include <kernel/kernel.h>
#include <kernel/delay_point.h>
#include <kernel/ktest.h>
#include <kernel/trace.h>
#include <lib/string.h>
#include <mm/mm.h>
#include <fs/fs.h>
#include <uapi/errno.h>

#define TRACING "/sys/kernel/tracing/"

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
	bool ok = true;

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
	KT_ASSERT(ok);
	KT_ASSERT_EQ(bad, -EINVAL);
	KT_ASSERT_EQ(junk, -EINVAL);
}

/* tracing_on takes any number (non-zero: on), as Linux's; `echo > trace` empties the ring. */
KTEST(tracefs_tracing_on_and_clear)
{
	char buf[2048];
	bool ok = true;

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
	KT_ASSERT(ok);
	KT_ASSERT_EQ(bad, -EINVAL);
}

KTEST(tracefs_set_event)
{
	char buf[512];
	bool ok = true;

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
	KT_ASSERT(ok);
	KT_ASSERT_EQ(bad, -EINVAL);
}

KTEST(tracefs_delay_points)
{
	char buf[512];
	bool ok = true;

	ok &= echo(TRACING "delay_points", "ktest_fs_a:hold@comm=memhog,ktest_fs_b:30\n") > 0;
	ok &= cat(TRACING "delay_points", buf, sizeof(buf), 10) > 0 &&
	      !strcmp(buf, "ktest_fs_a hold comm=memhog hits=0 waiting=0\nktest_fs_b 30ms all hits=0 waiting=0\n");
	long bad = echo(TRACING "delay_points", "ktest_fs_a:nonsense\n");
	long unarmed = echo(TRACING "delay_points", "ktest_fs_c:release\n");
	ok &= echo(TRACING "delay_points", "ktest_fs_a:off ktest_fs_b:off") > 0;
	ok &= cat(TRACING "delay_points", buf, sizeof(buf), 10) == 0;
	delay_point_control("ktest_fs_a:off");
	delay_point_control("ktest_fs_b:off");
	KT_ASSERT(ok);
	KT_ASSERT_EQ(bad, -EINVAL);
	KT_ASSERT_EQ(unarmed, -ENOENT);
	KT_ASSERT(!READ_ONCE(delay_points_armed));
}
