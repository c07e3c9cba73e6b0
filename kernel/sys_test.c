/*
 * ktests for the process and system calls (kernel/sys.c, pid.c, random.c,
 * syslog.c); the clocks' are in kernel/time/posix-timers_test.c under the
 * same sys_ prefix, so ktest=sys_* runs both. Each call goes through its
 * real entry, with kernel buffers as user memory inside KTEST_UA
 * (include/kernel/ktest_syscall.h). Bad pointers (NULL, a kernel address)
 * are tried outside that window, where they must give -EFAULT.
 * Process-group rules are checked on kernel threads given a session by
 * hand, as fork would give them one.
 */
#include <kernel/kernel.h>
#include <kernel/ktest.h>
#include <kernel/ktest_thread.h>
#include <kernel/ktest_syscall.h>
#include <kernel/random.h>
#include <kernel/sched.h>
#include <kernel/sched/task.h>
#include <kernel/sched/signal.h>
#include <kernel/signal.h>
#include <kernel/timer.h>
#include <lib/string.h>
#include <mm/mm.h>
#include <mm/vmalloc.h>
#include <mm/vmstat.h>
#include <kernel/kernel_stat.h>
#include <uapi/errno.h>
#include <uapi/prctl.h>
#include <uapi/random.h>
#include <uapi/reboot.h>
#include <uapi/resource.h>
#include <uapi/sysinfo.h>
#include <uapi/time.h>
#include <uapi/utsname.h>

static char kernel_object[64];		/* a kernel address: never a valid user pointer */
#define KADDR A(kernel_object)

/* A pid nobody has (pid_max is 32768). */
static pid_t unused_pid(void)
{
	for (pid_t pid = PID_MAX - 1; pid > 1; pid--) {
		struct task_struct *p = find_get_task_by_pid(pid);
		if (!p)
			return pid;
		put_task_struct(p);
	}
	return -1;
}

KTEST_UA(sys_identity)
{
	unsigned int r = 7, e = 7, s = 7;

	KT_ASSERT_EQ(SYS(getpid), current->tgid);
	KT_ASSERT_EQ(SYS(gettid), current->pid);
	KT_ASSERT_EQ(SYS(getppid), current->parent->tgid);
	if (current->pid == 1)
		KT_ASSERT_EQ(SYS(getppid), 0);
	KT_ASSERT_EQ(SYS(getuid), 0);
	KT_ASSERT_EQ(SYS(geteuid), 0);
	KT_ASSERT_EQ(SYS(getgid), 0);
	KT_ASSERT_EQ(SYS(getegid), 0);
	KT_ASSERT_EQ(SYS(getresuid, A(&r), A(&e), A(&s)), 0);
	KT_ASSERT(r == 0 && e == 0 && s == 0);
	KT_ASSERT_EQ(SYS(getgroups, 0, 0), 0);
	KT_ASSERT_EQ(SYS(getgroups, 4, A(&r)), 0);
	KT_ASSERT_EQ(SYS(getgroups, -1, 0), -EINVAL);
	KT_ASSERT_EQ(SYS(setuid, 0), 0);
	KT_ASSERT_EQ(SYS(setuid, 1000), -EPERM);
	KT_ASSERT_EQ(SYS(setgid, 0), 0);
	KT_ASSERT_EQ(SYS(setgid, 1), -EPERM);

	int __user *saved = current->clear_child_tid;
	int word;
	KT_ASSERT_EQ(SYS(set_tid_address, A(&word)), current->pid);
	KT_ASSERT(current->clear_child_tid == &word);
	current->clear_child_tid = saved;
}

KTEST_UA(sys_uname)
{
	struct new_utsname u;

	memset(&u, 'x', sizeof(u));
	KT_ASSERT_EQ(SYS(uname, A(&u)), 0);
	KT_ASSERT_STREQ(u.sysname, "Folio");
	KT_ASSERT_STREQ(u.nodename, "folio");
	/* FOLIO_VERSION (git describe) as sys.o was built; another object may have seen another one. */
	KT_ASSERT(u.release[0] && !strchr(u.release, ' ') && strnlen(u.release, 65) <= 64);
	KT_ASSERT_STREQ(u.version, "#1 SMP");
	KT_ASSERT_STREQ(u.machine, "x86_64");
	KT_ASSERT_STREQ(u.domainname, "(none)");

	static const char name[] = "a-host-name-of-exactly-sixty-four-characters-for-the-uts-field!!";
	BUILD_BUG_ON(sizeof(name) != 65);
	KT_ASSERT_EQ(SYS(sethostname, A(name), 64), 0);
	KT_ASSERT_EQ(SYS(uname, A(&u)), 0);
	KT_ASSERT_STREQ(u.nodename, name);
	KT_ASSERT_EQ(SYS(sethostname, A("abc"), 2), 0);		/* not NUL-terminated: len counts */
	KT_ASSERT_EQ(SYS(uname, A(&u)), 0);
	KT_ASSERT_STREQ(u.nodename, "ab");
	KT_ASSERT_EQ(SYS(sethostname, A(name), 65), -EINVAL);
	KT_ASSERT_EQ(SYS(sethostname, A(name), -1), -EINVAL);
	KT_ASSERT_EQ(SYS(sethostname, A("folio"), 5), 0);
	KT_ASSERT_EQ(SYS(uname, A(&u)), 0);
	KT_ASSERT_STREQ(u.nodename, "folio");
}

KTEST_UA(sys_sysinfo)
{
	struct sysinfo si;
	bool compared = false;

	/* freeram must be exact: compare when no page moved during the call. */
	for (int i = 0; i < 20 && !compared; i++) {
		unsigned long before = nr_free_pages();
		memset(&si, 0xff, sizeof(si));
		KT_ASSERT_EQ(SYS(sysinfo, A(&si)), 0);
		if (nr_free_pages() == before) {
			KT_ASSERT_EQ(si.freeram, before << PAGE_SHIFT);
			compared = true;
		}
	}
	KT_ASSERT_MSG(compared, "free pages never stood still");
	KT_ASSERT_EQ(si.mem_unit, 1);
	KT_ASSERT_EQ(si.totalram, totalram_pages << PAGE_SHIFT);
	KT_ASSERT(si.freeram <= si.totalram);
	KT_ASSERT(si.uptime >= 1);
	KT_ASSERT(si.procs >= 2);		/* us and at least the hung-task or idle helpers */
	KT_ASSERT(si.totalswap == 0 && si.freeswap == 0);
	/* The load averages, in 16-bit fixed point: the scheduler's, unless the tick updated them meanwhile. */
	for (int i = 0; i < 20; i++) {
		unsigned long before[3], after[3];
		get_avenrun(before, 0, SI_LOAD_SHIFT - FSHIFT);
		KT_ASSERT_EQ(SYS(sysinfo, A(&si)), 0);
		get_avenrun(after, 0, SI_LOAD_SHIFT - FSHIFT);
		if (!memcmp(before, after, sizeof(before))) {
			KT_ASSERT(!memcmp(si.loads, before, sizeof(before)));
			break;
		}
	}
	KT_ASSERT_EQ(si.sharedram, global_node_page_state(NR_SHMEM) << PAGE_SHIFT);
	KT_ASSERT(si.totalhigh == 0 && si.freehigh == 0 && si.pad == 0);
}

KTEST_UA(sys_rlimit)
{
	struct rlimit r, saved_nofile, saved_stack;

	KT_ASSERT_EQ(SYS(getrlimit, RLIMIT_NOFILE, A(&saved_nofile)), 0);
	KT_ASSERT_EQ(saved_nofile.rlim_cur, 1024);
	KT_ASSERT_EQ(saved_nofile.rlim_max, 4096);
	KT_ASSERT_EQ(SYS(getrlimit, RLIMIT_STACK, A(&saved_stack)), 0);
	KT_ASSERT_EQ(saved_stack.rlim_cur, 8UL << 20);
	KT_ASSERT(saved_stack.rlim_max == RLIM_INFINITY);
	KT_ASSERT_EQ(SYS(getrlimit, RLIMIT_CORE, A(&r)), 0);
	KT_ASSERT(r.rlim_cur == 0 && r.rlim_max == RLIM_INFINITY);
	KT_ASSERT_EQ(SYS(getrlimit, RLIMIT_NPROC, A(&r)), 0);
	KT_ASSERT(r.rlim_cur == RLIM_INFINITY && r.rlim_max == RLIM_INFINITY);

	/* Round trips, with the enforced values mirrored where the VFS and mm read them. */
	r = (struct rlimit){ 512, 2048 };
	KT_ASSERT_EQ(SYS(setrlimit, RLIMIT_NOFILE, A(&r)), 0);
	memset(&r, 0, sizeof(r));
	KT_ASSERT_EQ(SYS(getrlimit, RLIMIT_NOFILE, A(&r)), 0);
	KT_ASSERT(r.rlim_cur == 512 && r.rlim_max == 2048);
	KT_ASSERT_EQ(current->signal->rlim_nofile, 512);
	r = (struct rlimit){ 1UL << 20, RLIM_INFINITY };
	KT_ASSERT_EQ(SYS(prlimit64, 0, RLIMIT_STACK, A(&r), 0), 0);
	KT_ASSERT_EQ(current->signal->rlim_stack, 1UL << 20);
	r = (struct rlimit){ 7, 7 };
	KT_ASSERT_EQ(SYS(setrlimit, RLIMIT_CORE, A(&r)), 0);

	/* prlimit64 swaps: the old value comes back while the new one goes in. */
	struct rlimit old, lower = { 0, 7 };
	KT_ASSERT_EQ(SYS(prlimit64, current->pid, RLIMIT_CORE, A(&lower), A(&old)), 0);
	KT_ASSERT(old.rlim_cur == 7 && old.rlim_max == 7);
	KT_ASSERT_EQ(SYS(prlimit64, 0, RLIMIT_CORE, 0, A(&old)), 0);
	KT_ASSERT(old.rlim_cur == 0 && old.rlim_max == 7);
	KT_ASSERT_EQ(SYS(prlimit64, 0, RLIMIT_CORE, 0, 0), 0);

	/* Errors. */
	r = (struct rlimit){ 100, 50 };
	KT_ASSERT_EQ(SYS(setrlimit, RLIMIT_NOFILE, A(&r)), -EINVAL);	/* soft > hard */
	r = (struct rlimit){ 100, 5000 };
	KT_ASSERT_EQ(SYS(setrlimit, RLIMIT_NOFILE, A(&r)), -EPERM);	/* beyond nr_open */
	KT_ASSERT_EQ(SYS(getrlimit, RLIM_NLIMITS, A(&r)), -EINVAL);
	KT_ASSERT_EQ(SYS(setrlimit, 1000, A(&r)), -EINVAL);
	KT_ASSERT_EQ(SYS(prlimit64, 0, RLIM_NLIMITS, 0, A(&r)), -EINVAL);
	KT_ASSERT_EQ(SYS(prlimit64, unused_pid(), RLIMIT_NOFILE, 0, A(&r)), -ESRCH);
	KT_ASSERT_EQ(SYS(getrlimit, RLIMIT_NOFILE, A(&r)), 0);
	KT_ASSERT(r.rlim_cur == 512 && r.rlim_max == 2048);		/* failures changed nothing */

	KT_ASSERT_EQ(SYS(setrlimit, RLIMIT_NOFILE, A(&saved_nofile)), 0);	/* root may raise the hard limit */
	KT_ASSERT_EQ(SYS(setrlimit, RLIMIT_STACK, A(&saved_stack)), 0);
	r = (struct rlimit){ 0, RLIM_INFINITY };
	KT_ASSERT_EQ(SYS(setrlimit, RLIMIT_CORE, A(&r)), 0);
	KT_ASSERT_EQ(current->signal->rlim_nofile, 1024);
	KT_ASSERT_EQ(current->signal->rlim_stack, 8UL << 20);
}

/* ---- Process groups and sessions, on kernel threads ---- */

struct pg_child {
	int cmd;		/* 1: call setsid() */
	long result;
};

static int pg_child_fn(void *data)
{
	struct pg_child *c = data;

	while (!kthread_should_stop()) {
		if (READ_ONCE(c->cmd)) {
			c->result = SYS(setsid);
			WRITE_ONCE(c->cmd, 0);
		}
		schedule_timeout_interruptible(1);
	}
	return 0;
}

/* Ask child to call setsid() and wait for its answer. */
static long child_setsid(struct pg_child *c)
{
	WRITE_ONCE(c->cmd, 1);
	if (!WAIT_FOR(!READ_ONCE(c->cmd), 5))
		return -ETIMEDOUT;
	return c->result;
}

struct pg_test {
	struct ktest_ctx kt;
	pid_t creator;
	bool done;
};

/* Runs as a fresh process (a kthread: group 0, session 0) with two children it makes. */
static void pg_body(struct ktest_ctx *kt, pid_t creator)
{
	pid_t me = current->pid, nobody = unused_pid();
	struct pg_child bc = { 0 }, cc = { 0 };

	KT_ASSERT_EQ(SYS(getppid), creator);
	KT_ASSERT_EQ(SYS(setpgid, A(creator), 0), -ESRCH);	/* not our child */
	KT_ASSERT_EQ(SYS(setsid), me);
	KT_ASSERT_EQ(SYS(getsid, 0), me);
	KT_ASSERT_EQ(SYS(getsid, me), me);
	KT_ASSERT_EQ(SYS(getpgrp), me);
	KT_ASSERT_EQ(SYS(getpgid, 0), me);
	KT_ASSERT(current->signal->tty == NULL);
	KT_ASSERT_EQ(SYS(setsid), -EPERM);			/* leads a session already */
	KT_ASSERT_EQ(SYS(setpgid, 0, 0), -EPERM);		/* a session leader cannot move */
	KT_ASSERT_EQ(SYS(getpgid, A(nobody)), -ESRCH);
	KT_ASSERT_EQ(SYS(getsid, A(nobody)), -ESRCH);
	KT_ASSERT_EQ(SYS(setpgid, A(nobody), 0), -ESRCH);
	KT_ASSERT_EQ(SYS(setpgid, 0, -1), -EINVAL);

	/* b: a child in our session and group, as fork would leave it; c: one in another session. */
	struct task_struct *b = kthread_create(pg_child_fn, &bc, "sys_pg_b");
	KT_ASSERT(!IS_ERR(b));
	struct task_struct *c = kthread_create(pg_child_fn, &cc, "sys_pg_c");
	if (IS_ERR(c)) {
		kthread_stop(b);
		KT_ASSERT(!IS_ERR(c));
	}
	unsigned long flags;
	spin_lock_irqsave(&tasklist_lock, flags);
	b->signal->session = b->signal->pgrp = me;
	c->signal->session = c->signal->pgrp = nobody;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	wake_up_process(b);
	wake_up_process(c);
	pid_t bp = b->pid, cp = c->pid;

	long r[12];
	r[0] = SYS(getsid, A(bp));
	r[1] = SYS(setpgid, A(bp), 0);			/* b leads a new group */
	r[2] = SYS(getpgid, A(bp));
	r[3] = child_setsid(&bc);			/* its pid names a group: no */
	r[4] = SYS(setpgid, A(bp), A(me));		/* back into ours */
	r[5] = SYS(setpgid, A(bp), A(nobody));		/* no such group */
	r[6] = SYS(setpgid, A(cp), 0);			/* another session */
	r[7] = SYS(setpgid, A(bp), A(cp));		/* a group of another session */
	r[8] = child_setsid(&bc);			/* now it may */
	r[9] = SYS(getsid, A(bp));
	r[10] = SYS(setpgid, A(bp), A(me));		/* a session leader, elsewhere */
	r[11] = SYS(getpgid, A(bp));
	kthread_stop(b);
	kthread_stop(c);

	KT_ASSERT_EQ(r[0], me);
	KT_ASSERT_EQ(r[1], 0);
	KT_ASSERT_EQ(r[2], bp);
	KT_ASSERT_EQ(r[3], -EPERM);
	KT_ASSERT_EQ(r[4], 0);
	KT_ASSERT_EQ(r[5], -EPERM);
	KT_ASSERT_EQ(r[6], -EPERM);
	KT_ASSERT_EQ(r[7], -EPERM);
	KT_ASSERT_EQ(r[8], bp);
	KT_ASSERT_EQ(r[9], bp);
	KT_ASSERT_EQ(r[10], -EPERM);
	KT_ASSERT_EQ(r[11], bp);
}

static int pg_leader_fn(void *data)
{
	struct pg_test *t = data;

	pg_body(&t->kt, t->creator);
	WRITE_ONCE(t->done, true);
	return 0;
}

KTEST(sys_setpgid_setsid)
{
	struct pg_test t = { .creator = current->tgid };
	unsigned long freed0 = nr_tasks_freed, pages0 = nr_free_pages();
	struct task_struct *p = ktest_start_thread(pg_leader_fn, &t, "sys_pg_a");

	KT_ASSERT(p);
	bool done = WAIT_FOR(READ_ONCE(t.done), 10);	/* kthread_stop() first would skip the body */
	ktest_stop_thread(p);
	KT_ASSERT_MSG(done, "the test process did not finish");
	KT_ASSERT_MSG(!t.kt.failed, "%s", t.kt.reason);
	KT_ASSERT_ALL_FREED(freed0, 3, pages0);
	KT_ASSERT_EQ(SYS(getpgrp), current->signal->pgrp);
}

KTEST_UA(sys_getrandom)
{
	u8 a[64], b[64], zero[64];

	flush_signals(current);		/* a pending SIGCHLD (see sys_nanosleep) would cut the big read short */
	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	memset(zero, 0, sizeof(zero));
	KT_ASSERT_EQ(SYS(getrandom, A(a), sizeof(a), 0), sizeof(a));
	KT_ASSERT_EQ(SYS(getrandom, A(b), sizeof(b), GRND_NONBLOCK | GRND_RANDOM), sizeof(b));
	KT_ASSERT(memcmp(a, zero, sizeof(a)) && memcmp(b, zero, sizeof(b)));
	KT_ASSERT(memcmp(a, b, sizeof(a)));
	KT_ASSERT_EQ(SYS(getrandom, A(a), 3, GRND_INSECURE), 3);	/* odd sizes */
	KT_ASSERT_EQ(SYS(getrandom, A(a), 0, 0), 0);
	KT_ASSERT_EQ(SYS(getrandom, A(a), 8, 0x8), -EINVAL);
	KT_ASSERT_EQ(SYS(getrandom, A(a), 8, GRND_RANDOM | GRND_INSECURE), -EINVAL);

	size_t big = 3 * PAGE_SIZE + 100;
	u8 *buf = vmalloc(big);
	KT_ASSERT(buf);
	memset(buf, 0, big);
	long n = SYS(getrandom, A(buf), big, 0);
	unsigned int zeros = 0;
	for (size_t i = 0; i < big; i++)
		zeros += !buf[i];
	vfree(buf);
	KT_ASSERT_EQ(n, big);
	KT_ASSERT_MSG(zeros < big / 64, "%u zero bytes in %zu random ones", zeros, big);

	/* Bits are balanced: over 4096 values each bit is set 2048 +- 5 sigma (160) times. */
	for (int bit = 0; bit < 64; bit++) {
		int ones = 0;
		for (int i = 0; i < 4096; i++)
			ones += (get_random_u64() >> bit) & 1;
		KT_ASSERT_MSG(ones > 2048 - 160 && ones < 2048 + 160, "bit %d set %d times of 4096", bit, ones);
	}
}

KTEST(sys_reboot_bad_magic)
{
	KT_ASSERT_EQ(SYS(reboot, 0, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_POWER_OFF, 0), -EINVAL);
	KT_ASSERT_EQ(SYS(reboot, LINUX_REBOOT_MAGIC1, 0, LINUX_REBOOT_CMD_POWER_OFF, 0), -EINVAL);
	KT_ASSERT_EQ(SYS(reboot, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_CMD_RESTART, 0), -EINVAL);
	KT_ASSERT_EQ(SYS(reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, 0x12345678, 0), -EINVAL);
	KT_ASSERT_EQ(SYS(reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2C, LINUX_REBOOT_CMD_CAD_ON, 0), 0);
	KT_ASSERT_EQ(SYS(reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2A, LINUX_REBOOT_CMD_CAD_OFF, 0), 0);
}

/* Every line of a syslog read starts with a "<L>" level, as dmesg expects. */
static bool records_whole(const char *buf, long n)
{
	for (long i = 0; i < n; i++)
		if ((i == 0 || buf[i - 1] == '\n') && (buf[i] != '<' || i + 3 > n || buf[i + 2] != '>'))
			return false;
	return n > 0;
}

KTEST_UA(sys_syslog)
{
	long size = SYS(syslog, 10, 0, 0);			/* SIZE_BUFFER */
	KT_ASSERT_EQ(size, log_buf_len_get());
	char *buf = vmalloc(size + 1);
	KT_ASSERT(buf);

	pr_info("sys_syslog: marker one\n");
	long n = SYS(syslog, 3, A(buf), size);			/* READ_ALL */
	buf[n > 0 ? n : 0] = 0;
	bool banner = strstr(buf, "Folio version ") != NULL;
	bool wrapped = log_next_seq > (u64)size;		/* long test runs push the banner out */
	bool whole = records_whole(buf, n), marker = strstr(buf, "] sys_syslog: marker one\n") != NULL;
	bool ends = n > 0 && buf[n - 1] == '\n';

	/* A small buffer gets the newest whole records. */
	long small = SYS(syslog, 3, A(buf), 300);
	buf[small > 0 ? small : 0] = 0;
	bool small_whole = records_whole(buf, small), small_marker = strstr(buf, "marker one") != NULL;

	/* After CLEAR, READ_ALL starts there. */
	KT_ASSERT_EQ(SYS(syslog, 5, 0, 0), 0);
	pr_info("sys_syslog: marker two\n");
	long after = SYS(syslog, 3, A(buf), size);
	buf[after > 0 ? after : 0] = 0;
	bool cleared = !strstr(buf, "marker one") && strstr(buf, "marker two") && records_whole(buf, after);
	long unread = SYS(syslog, 9, 0, 0);			/* SIZE_UNREAD */
	long got = SYS(syslog, 2, A(buf), 64);			/* READ: something is unread */
	vfree(buf);

	KT_ASSERT(n > 0 && n <= size);
	KT_ASSERT_MSG(banner || wrapped, "no \"Folio version\" banner in %ld bytes", n);
	KT_ASSERT(whole && marker && ends);
	KT_ASSERT(small > 0 && small <= 300 && small_whole && small_marker);
	KT_ASSERT(cleared);
	KT_ASSERT(unread > 0 && unread <= size);
	KT_ASSERT(got > 0 && got <= 64);

	/* The console level: set, off and on again, back to where it was. */
	int saved = console_loglevel;
	KT_ASSERT_EQ(SYS(syslog, 8, 0, 3), 0);
	KT_ASSERT_EQ(console_loglevel, 3);
	KT_ASSERT_EQ(SYS(syslog, 6, 0, 0), 0);
	KT_ASSERT_EQ(console_loglevel, 1);
	KT_ASSERT_EQ(SYS(syslog, 7, 0, 0), 0);
	KT_ASSERT_EQ(console_loglevel, 3);
	KT_ASSERT_EQ(SYS(syslog, 8, 0, saved > 8 ? 8 : saved), 0);
	console_loglevel = saved;
	KT_ASSERT_EQ(SYS(syslog, 8, 0, 0), -EINVAL);
	KT_ASSERT_EQ(SYS(syslog, 8, 0, 9), -EINVAL);
	KT_ASSERT_EQ(SYS(syslog, 3, 0, 100), -EINVAL);		/* Linux: a NULL buffer is EINVAL */
	KT_ASSERT_EQ(SYS(syslog, 3, A(kernel_object), -1), -EINVAL);
	KT_ASSERT_EQ(SYS(syslog, 3, A(kernel_object), 0), 0);
	KT_ASSERT_EQ(SYS(syslog, 11, 0, 0), -EINVAL);
	KT_ASSERT_EQ(SYS(syslog, 0, 0, 0), 0);
}

KTEST_UA(sys_prctl_sched)
{
	char saved[TASK_COMM_LEN], name[TASK_COMM_LEN];

	memcpy(saved, current->comm, sizeof(saved));
	KT_ASSERT_EQ(SYS(prctl, PR_SET_NAME, A("a-rather-long-thread-name")), 0);
	KT_ASSERT_STREQ(current->comm, "a-rather-long-t");	/* 15 characters and the NUL */
	memset(name, 'x', sizeof(name));
	KT_ASSERT_EQ(SYS(prctl, PR_GET_NAME, A(name)), 0);
	KT_ASSERT_STREQ(name, "a-rather-long-t");
	KT_ASSERT_EQ(SYS(prctl, PR_SET_NAME, A(saved)), 0);
	KT_ASSERT_STREQ(current->comm, saved);
	KT_ASSERT_EQ(SYS(prctl, 12345, 0), -EINVAL);

	unsigned long mask[2] = { 0, 0x5a5a };
	KT_ASSERT_EQ(SYS(sched_yield), 0);
	KT_ASSERT_EQ(SYS(sched_getaffinity, 0, sizeof(mask), A(mask)), sizeof(long));
	KT_ASSERT(mask[0] == 1 && mask[1] == 0x5a5a);		/* CPU 0, and only one long written */
	KT_ASSERT_EQ(SYS(sched_getaffinity, A(current->pid), 8, A(mask)), 8);
	KT_ASSERT_EQ(SYS(sched_getaffinity, 0, 4, A(mask)), -EINVAL);
	KT_ASSERT_EQ(SYS(sched_getaffinity, 0, 12, A(mask)), -EINVAL);
	KT_ASSERT_EQ(SYS(sched_getaffinity, A(unused_pid()), 8, A(mask)), -ESRCH);
	KT_ASSERT_EQ(SYS(getpriority, PRIO_PROCESS, 0), 20);	/* 20 - nice: nice 0 */
	KT_ASSERT_EQ(SYS(setpriority, PRIO_PROCESS, 0, 5), 0);
	KT_ASSERT_EQ(SYS(getpriority, 7, 0), -EINVAL);
	KT_ASSERT_EQ(SYS(getpriority, PRIO_PROCESS, A(unused_pid())), -ESRCH);
}

/* Every call that takes a buffer, given NULL and a kernel address, outside the window: -EFAULT. */
KTEST(sys_efault)
{
	static const unsigned long bad[] = { 0, KADDR };
	struct __kernel_timespec ok_ts = { 0, 1 };

	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		unsigned long p = bad[i];
		KT_ASSERT_EQ(SYS(uname, p), -EFAULT);
		KT_ASSERT_EQ(SYS(sethostname, p, 4), -EFAULT);
		KT_ASSERT_EQ(SYS(sysinfo, p), -EFAULT);
		KT_ASSERT_EQ(SYS(getrlimit, RLIMIT_NOFILE, p), -EFAULT);
		KT_ASSERT_EQ(SYS(setrlimit, RLIMIT_NOFILE, p), -EFAULT);
		KT_ASSERT_EQ(SYS(getresuid, p, p, p), -EFAULT);
		KT_ASSERT_EQ(SYS(getresgid, p, p, p), -EFAULT);
		KT_ASSERT_EQ(SYS(clock_gettime, CLOCK_MONOTONIC, p), -EFAULT);
		KT_ASSERT_EQ(SYS(clock_getres, CLOCK_MONOTONIC, KADDR), -EFAULT);
		KT_ASSERT_EQ(SYS(nanosleep, p, 0), -EFAULT);
		KT_ASSERT_EQ(SYS(clock_nanosleep, CLOCK_MONOTONIC, 0, p, 0), -EFAULT);
		KT_ASSERT_EQ(SYS(getrandom, p, 16, 0), -EFAULT);
		KT_ASSERT_EQ(SYS(sched_getaffinity, 0, 8, p), -EFAULT);
		KT_ASSERT_EQ(SYS(prctl, PR_SET_NAME, p), -EFAULT);
		KT_ASSERT_EQ(SYS(prctl, PR_GET_NAME, p), -EFAULT);
		KT_ASSERT_EQ(SYS(syslog, 3, KADDR, 64), -EFAULT);
	}
	/* Optional pointers: NULL is fine, a bad one is not. */
	KT_ASSERT_EQ(SYS(gettimeofday, KADDR, 0), -EFAULT);
	KT_ASSERT_EQ(SYS(gettimeofday, 0, KADDR), -EFAULT);
	KT_ASSERT_EQ(SYS(time, KADDR), -EFAULT);
	KT_ASSERT_EQ(SYS(times, KADDR), -EFAULT);
	KT_ASSERT(SYS(times, 0) >= 0);
	KT_ASSERT_EQ(SYS(prlimit64, 0, RLIMIT_NOFILE, KADDR, 0), -EFAULT);
	KT_ASSERT_EQ(SYS(prlimit64, 0, RLIMIT_NOFILE, 0, KADDR), -EFAULT);
	KT_ASSERT_EQ(SYS(prlimit64, 0, RLIMIT_NOFILE, 0, 0), 0);
	uaccess_kernel_begin();
	long r = SYS(nanosleep, A(&ok_ts), 0);		/* a valid request, no rem */
	uaccess_kernel_end();
	KT_ASSERT_EQ(r, 0);
}
