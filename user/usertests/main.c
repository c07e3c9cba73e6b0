/*
 * usertests: Folio's user-space test suite, in the style of xv6's usertests.
 *
 *   usertests            run every test
 *   usertests NAME...    run only these tests
 *   usertests -l         list the tests
 *   usertests -v [NAME...]  also print notes and free memory before/after each test
 *
 * Each test runs in a forked child (in its own process group) and prints one
 * line, `test NAME: OK` or `test NAME: FAILED (reason)`; the last line is
 * `N passed, N failed`, and the exit status is 0 only if every test passed.
 *
 * Free memory (sysinfo(2)'s freeram) is read before and after each test: a
 * test whose memory does not come back fails. Folio reports free memory
 * exactly, so there the check is exact. Linux keeps freed memory in per-CPU
 * lists and slab caches, so on Linux (the reference: the same binary must pass
 * there) a slack is allowed. USERTESTS_SLACK_KB=N overrides it.
 *
 * The binary runs the same on Linux and on Folio: Linux is the oracle. The few
 * places where Linux cannot do what Folio is asked to (an exec that fails after
 * Linux's point of no return kills the caller instead of returning an error)
 * are marked `on_linux` and explained there.
 *
 * A test that runs longer than TEST_TIMEOUT_S (120 s) is killed, with its
 * whole process group, and fails. Run as pid 1 (`init=/bin/usertests`), it mounts
 * proc on /proc as an init would, runs the suite in a child and reaps orphans. The binary also serves as its own
 * exec target: `usertests --child ...`.
 *
 * This file is the runner; the tests are by topic: processes.c, memory.c,
 * efault.c (bad pointers), signals.c, threads.c, files.c (pipes and files),
 * proc.c (/proc), mount.c (mount, umount, statfs, tmpfs, sysfs);
 * util.c has the helpers they share (usertests.h). To add a test, write
 * `static void t_NAME(void)` in its topic's file, using CHECK() for what must
 * hold, and add T(NAME) to that file's table; it must pass on Linux too.
 * A test that needs the kernel booted with a delay point armed goes in
 * proc_named_tests instead: it runs only when named (a scenario of
 * tests/run.py names it).
 *
 * Besides the system calls the tests are about, the kernel must provide
 * sysinfo(2) (the harness), rt_sigpending (sigpending()) and an 8 MB stack
 * limit (RLIMIT_STACK, as Linux's default) for stack_overflow.
 */
#include "usertests.h"
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <time.h>

#define TEST_TIMEOUT_S 120		/* per test; TCG is slow, fork bombs slower */

static void t_warmup(void)
{
	expect_exit(run(exit_now, 0), 0, "warm-up child");
}

static long long free_bytes(void)
{
	struct sysinfo si;

	if (sysinfo(&si) != 0)
		return -1;
	return (long long)si.freeram * si.mem_unit;
}

static long long slack_bytes(void)
{
	const char *s = getenv("USERTESTS_SLACK_KB");

	if (s)
		return atoll(s) * 1024;
	return on_linux ? 8LL << 20 : 0;	/* Linux: per-CPU lists and slab caches */
}

/* wait for pid, killing its process group after TEST_TIMEOUT_S */
static int wait_test(pid_t pid, int *timed_out)
{
	struct timespec ts = { 0, 1000 * 1000 };	/* 1 ms, doubling to 128 ms */
	long waited_ns = 0;
	int st;

	*timed_out = 0;
	for (;;) {
		pid_t r = waitpid(pid, &st, WNOHANG);
		if (r == pid)
			return st;
		if (r < 0 && errno != EINTR)
			return -1;
		if (waited_ns > TEST_TIMEOUT_S * 1000000000L && !*timed_out) {
			*timed_out = 1;
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
		}
		nanosleep(&ts, NULL);
		waited_ns += ts.tv_nsec;
		if (ts.tv_nsec < 128 * 1000 * 1000)
			ts.tv_nsec *= 2;
	}
}

/* kill and reap whatever a test left behind in its process group */
static void sweep(pid_t pgrp)
{
	if (kill(-pgrp, SIGKILL) == 0)
		while (waitpid(-pgrp, NULL, 0) > 0)
			;
}

/*
 * Fork the test's process, in a process group of its own, and wait for it:
 * its wait status (-1 if waitpid failed), and in reason the first line it
 * wrote through result_fd (its CHECK that failed), if any.
 */
static int run_child(const struct test *t, char *reason, size_t size, int *timed_out)
{
	int fds[2];

	if (pipe2(fds, O_CLOEXEC) != 0) {
		snprintf(reason, size, "pipe: %s", strerror(errno));
		return -1;
	}
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(reason, size, "fork: %s", strerror(errno));
		close2(fds);
		return -1;
	}
	if (pid == 0) {
		setpgid(0, 0);
		close(fds[0]);
		result_fd = fds[1];
		t->fn();
		_exit(0);
	}
	setpgid(pid, pid);	/* (both sides, so neither can race the other) */
	close(fds[1]);
	int st = wait_test(pid, timed_out);
	sweep(pid);
	ssize_t n = read(fds[0], reason, size - 1);
	close(fds[0]);
	reason[n > 0 ? n : 0] = 0;
	reason[strcspn(reason, "\n")] = 0;	/* the first failure is the reason */
	return st;
}

/* Why a test that reported no failure itself failed, if it did: into reason. */
static void judge(char *reason, size_t size, int st, int timed_out, long long before, long long after,
		  long long slack)
{
	if (timed_out)
		snprintf(reason, size, "timed out after %d s", TEST_TIMEOUT_S);
	else if (st == -1)
		snprintf(reason, size, "waitpid: %s", strerror(errno));
	else if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		snprintf(reason, size, "the test process: %s", describe(st));
	else if (before < 0 || after < 0)
		snprintf(reason, size, "sysinfo: %s", strerror(errno));
	else if (after + slack < before)
		snprintf(reason, size, "lost memory: free %lld KB before, %lld KB after (%lld KB gone)",
			 before >> 10, after >> 10, (before - after) >> 10);
}

/* Run one test and print its line; quiet: print nothing (the warm-up). True if it passed. */
static int run_test(const struct test *t, int quiet)
{
	char reason[512] = "";
	int timed_out = 0;

	long long before = free_bytes();
	int st = run_child(t, reason, sizeof reason, &timed_out);
	long long after = free_bytes(), slack = slack_bytes();
	for (int i = 0; i < 50 && after + slack < before; i++) {	/* frees may lag a little */
		usleep(20000);
		after = free_bytes();
	}
	if (!reason[0])
		judge(reason, sizeof reason, st, timed_out, before, after, slack);
	if (quiet)
		return !reason[0];
	if (verbose)
		printf("  free memory: %lld KB before, %lld KB after\n", before >> 10, after >> 10);
	if (reason[0])
		printf("test %s: FAILED (%s)\n", t->name, reason);
	else
		printf("test %s: OK\n", t->name);
	fflush(stdout);
	return !reason[0];
}

static int child_main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[0], "exit") == 0)
		return atoi(argv[1]);
	if (argc >= 1 && strcmp(argv[0], "bigargs") == 0)
		return child_bigargs(argc + 2, argv - 2, environ);
	if (argc >= 1 && strcmp(argv[0], "sigcheck") == 0)
		return child_sigcheck();
	if (argc >= 3 && strcmp(argv[0], "fdcheck") == 0)
		return child_fdcheck(atoi(argv[1]), atoi(argv[2]));
	if (argc >= 4 && strcmp(argv[0], "pidcheck") == 0)
		return child_pidcheck(atoi(argv[1]), argv[2], argv[3]);
	if (argc >= 2 && strcmp(argv[0], "oomadj") == 0)
		return child_oomadj(argv[1]);
	if (argc >= 1 && strcmp(argv[0], "cmdline") == 0)
		return child_cmdline();
	if (argc >= 1 && strcmp(argv[0], "commcheck") == 0)
		return child_commcheck();
	return 98;
}

/*
 * What an init prepares and the tests expect, as Linux's reference VM has
 * it: /proc, sysfs on /sys, cgroup2 on /sys/fs/cgroup with the memory
 * controller enabled for the root's children.
 */
static void mount_pseudo_fs(void)
{
	static const struct { const char *type, *dir; } fs[] = {
		{ "proc", "/proc" }, { "sysfs", "/sys" }, { "cgroup2", "/sys/fs/cgroup" },
	};

	for (size_t i = 0; i < sizeof fs / sizeof fs[0]; i++) {
		mkdir(fs[i].dir, 0555);
		if (mount(fs[i].type, fs[i].dir, fs[i].type, MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
			fprintf(stderr, "usertests: mount %s: %s\n", fs[i].dir, strerror(errno));
	}
	int fd = open("/sys/fs/cgroup/cgroup.subtree_control", O_WRONLY);
	if (fd < 0 || write(fd, "+memory", 7) != 7)
		fprintf(stderr, "usertests: enabling the memory controller: %s\n", strerror(errno));
	if (fd >= 0)
		close(fd);
}

/* as pid 1: mount what an init would, run the suite in a child, reap every orphan, exit with its status */
static int as_init(int argc, char **argv)
{
	int st;

	console_fds();
	mount_pseudo_fs();
	pid_t pid = fork();
	if (pid < 0) {
		perror("usertests: fork");
		return 1;
	}
	if (pid == 0) {
		execv(argv[0], argv);	/* a fresh process that is not pid 1 */
		perror("usertests: exec");
		_exit(127);
	}
	(void)argc;
	for (;;) {
		pid_t r = waitpid(-1, &st, 0);
		if (r == pid)
			return status_code(st);
		if (r < 0 && errno != EINTR)
			return 1;
	}
}

static struct utsname uts = { .sysname = "?" };

static void print_banner(size_t ntodo)
{
	long long slack = slack_bytes();

	printf("usertests: %zu tests on %s %s; free memory checked %s", ntodo, uts.sysname, uts.release,
	       slack ? "within " : "exactly\n");
	if (slack)
		printf("%lld KB\n", slack >> 10);
}

/*
 * A warm-up through the whole harness first, so memory that our own first
 * use allocates for good (stack and .bss pages of this process touched for
 * the first time) is not blamed on the first test.
 */
static void warm_up(void)
{
	static const struct test warmup = { "warmup", t_warmup };

	(void)describe(0);	/* (their static buffers are in .bss) */
	(void)res(0);
	run_test(&warmup, 1);
}

/* Every test, topic after topic (the limits last: a fork bomb is best run on a quiet machine). */
static const struct test *const topics[] = {
	process_tests, memory_tests, efault_tests, signal_tests, thread_tests, file_tests, mount_tests,
	proc_tests, eventfd_tests, cgroup_tests, memcg_tests, limit_tests,
};
#define MAX_TESTS 256
static const struct test *tests[MAX_TESTS];
static size_t ntests;

static void collect_tests(void)
{
	for (size_t i = 0; i < sizeof topics / sizeof topics[0]; i++)
		for (const struct test *t = topics[i]; t->name; t++)
			if (ntests < MAX_TESTS)
				tests[ntests++] = t;
}

static const struct test *find_test(const char *name)
{
	for (size_t i = 0; i < ntests; i++)
		if (strcmp(tests[i]->name, name) == 0)
			return tests[i];
	for (const struct test *t = proc_named_tests; t->name; t++)
		if (strcmp(t->name, name) == 0)
			return t;
	return NULL;
}

/* Run the tests named in names[0..n), or all of them if n is 0; returns how many failed. */
static int run_tests(char **names, int n)
{
	const struct test *todo[MAX_TESTS];
	size_t ntodo = 0;
	int passed = 0, failed = 0;

	for (int a = 0; a < n; a++) {
		const struct test *t = find_test(names[a]);
		if (!t) {
			printf("test %s: FAILED (no such test; usertests -l lists them)\n", names[a]);
			failed++;
		} else if (ntodo < MAX_TESTS) {
			todo[ntodo++] = t;
		}
	}
	for (size_t i = 0; n == 0 && i < ntests; i++)
		todo[ntodo++] = tests[i];
	print_banner(ntodo);
	warm_up();
	for (size_t i = 0; i < ntodo; i++) {
		if (run_test(todo[i], 0))
			passed++;
		else
			failed++;
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed;
}

int main(int argc, char **argv)
{
	if (argc < 1)
		return 99;
	if (strchr(argv[0], '/'))
		self = argv[0];
	if (argc >= 2 && strcmp(argv[1], "--child") == 0)
		return child_main(argc - 2, argv + 2);
	if (getpid() == 1)
		return as_init(argc, argv);
	if (uname(&uts) == 0)
		on_linux = strcmp(uts.sysname, "Linux") == 0;
	setvbuf(stdout, NULL, _IOLBF, 0);
	collect_tests();

	if (argc >= 2 && strcmp(argv[1], "-v") == 0) {
		verbose = 1;
		argv++;
		argc--;
	}
	if (argc >= 2 && strcmp(argv[1], "-l") == 0) {
		for (size_t i = 0; i < ntests; i++)
			printf("%s\n", tests[i]->name);
		return 0;
	}
	if (argc >= 2 && argv[1][0] == '-') {
		fprintf(stderr, "usage: usertests [-l] [-v] [NAME...]\n");
		return 2;
	}
	return run_tests(argv + 1, argc - 1) ? 1 : 0;
}
