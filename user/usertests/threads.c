/*
 * Threads (pthreads over clone, futexes): shared counters under a mutex,
 * exit_group from any thread (also once the leader is gone), a
 * condition-variable broadcast, exec from a thread that is not the leader, and
 * a thread created while the process ends.
 */
#include "usertests.h"
#include <sched.h>
#include <time.h>

/* <linux/futex.h>, which musl does not ship */
#define FUTEX_WAIT 0
#define FUTEX_CMP_REQUEUE 4
#define FUTEX_WAIT_BITSET 9
#define FUTEX_PRIVATE_FLAG 128

#define NTHREADS 4

#define NINCS 20000

static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;

static long counter;

static void *count_up(void *arg)
{
	(void)arg;
	for (int i = 0; i < NINCS; i++) {
		pthread_mutex_lock(&counter_lock);
		long v = counter;
		if ((i & 1023) == 0)
			sched_yield();	/* invite the other threads in while we hold the lock */
		counter = v + 1;
		pthread_mutex_unlock(&counter_lock);
	}
	return (void *)syscall(SYS_gettid);	/* for the caller to compare */
}

static void t_threads(void)
{
	pthread_t t[NTHREADS];
	void *tid[NTHREADS];
	long me = syscall(SYS_gettid);

	counter = 0;
	for (int i = 0; i < NTHREADS; i++) {
		int e = pthread_create(&t[i], NULL, count_up, NULL);
		CHECK(e == 0, "pthread_create: %s", strerror(e));
	}
	for (int i = 0; i < NTHREADS; i++) {
		int e = pthread_join(t[i], &tid[i]);
		CHECK(e == 0, "pthread_join: %s", strerror(e));
	}
	CHECK(counter == (long)NTHREADS * NINCS, "counter is %ld, expected %ld", counter,
	      (long)NTHREADS * NINCS);
	for (int i = 0; i < NTHREADS; i++) {
		CHECK((long)tid[i] != me && (long)tid[i] > 0, "thread %d ran with tid %ld (main %ld)",
		      i, (long)tid[i], me);
		for (int j = 0; j < i; j++)
			CHECK(tid[i] != tid[j], "two threads had the same tid %ld", (long)tid[i]);
	}
	CHECK(me == getpid(), "the main thread's tid %ld is not the pid %d", me, (int)getpid());
}

static void *exit_group_7(void *arg)
{
	(void)arg;
	_exit(7);	/* exit_group: takes the whole process down */
}

static void *sleeper(void *arg)
{
	sleep_forever();
	return arg;
}

static void threads_then_exit(long unused)
{
	pthread_t t;

	(void)unused;
	for (int i = 0; i < 3; i++)
		CHECK(pthread_create(&t, NULL, sleeper, NULL) == 0, "pthread_create");
	CHECK(pthread_create(&t, NULL, exit_group_7, NULL) == 0, "pthread_create");
	sleep_forever();
}

static void t_thread_exit_group(void)
{
	expect_exit(run(threads_then_exit, 0), 7, "a process whose thread called _exit(7)");
}

/* A condition variable broadcast to several waiters wakes them all (musl requeues them: FUTEX_REQUEUE). */
static pthread_mutex_t cv_mutex = PTHREAD_MUTEX_INITIALIZER;

static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;

static int cv_go, cv_woken;

static void *cv_waiter(void *arg)
{
	pthread_mutex_lock(&cv_mutex);
	while (!cv_go)
		pthread_cond_wait(&cv, &cv_mutex);
	cv_woken++;
	pthread_mutex_unlock(&cv_mutex);
	return arg;
}

static void t_cond_broadcast(void)
{
	pthread_t t[4];

	cv_go = cv_woken = 0;
	for (int i = 0; i < 4; i++)
		CHECK(pthread_create(&t[i], NULL, cv_waiter, NULL) == 0, "pthread_create");
	usleep(100000);		/* let them all reach pthread_cond_wait (no harm if some did not) */
	pthread_mutex_lock(&cv_mutex);
	cv_go = 1;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&cv_mutex);
	for (int i = 0; i < 4; i++)
		CHECK(pthread_join(t[i], NULL) == 0, "pthread_join");
	CHECK(cv_woken == 4, "%d of 4 waiters woke", cv_woken);
}

static volatile int leader_alive = 1;	/* cleared by the kernel when the leader exits */

static void *wait_leader_then_exit_99(void *arg)
{
	(void)arg;
	while (leader_alive)
		syscall(SYS_futex, &leader_alive, FUTEX_WAIT, 1, NULL, NULL, 0);
	_exit(99);	/* exit_group */
}

static void leader_exits_first(long unused)
{
	pthread_t t;

	(void)unused;
	CHECK(pthread_create(&t, NULL, wait_leader_then_exit_99, NULL) == 0, "pthread_create");
	syscall(SYS_set_tid_address, &leader_alive);	/* the kernel clears and wakes it at our exit */
	syscall(SYS_exit, 0);	/* the leader alone */
}

/*
 * The leader exits on its own (pthread_exit), then another thread calls exit_group(99):
 * the parent's wait4() reports 99, the status of the group's exit, although the leader,
 * whose pid the process has, exited with 0 (Linux: signal->group_exit_code).
 */
static void t_group_exit_status(void)
{
	expect_exit(run(leader_exits_first, 0), 99, "a process whose leader exited, then a thread _exit(99)");
}

static int tid_pipe[2];
static volatile int tid_word = 1;	/* cleared by the kernel when exit_on_word exits */
static volatile pid_t waiter_tid;
static volatile int waiter_done;

/* Register tid_word as the word to clear at exit (set_tid_address), wait for a byte, exit. */
static void *exit_on_word(void *arg)
{
	char c;

	(void)arg;
	syscall(SYS_set_tid_address, &tid_word);
	if (read(tid_pipe[0], &c, 1) != 1)
		_exit(2);
	syscall(SYS_exit, 0);	/* the thread alone, as a raw exit */
	return NULL;
}

static void *wait_on_word(void *arg)
{
	(void)arg;
	waiter_tid = (pid_t)syscall(SYS_gettid);
	while (tid_word)
		syscall(SYS_futex, &tid_word, FUTEX_WAIT, 1, NULL, NULL, 0);
	waiter_done = 1;
	return NULL;
}

/*
 * A thread's exit clears its clear_child_tid word and wakes a futex waiter on it (what
 * pthread_join() relies on): the waiter is asleep in FUTEX_WAIT (state S) before the
 * thread is let go.
 */
static void t_clear_child_tid_wakes(void)
{
	pthread_t exiter, waiter;

	CHECK(pipe(tid_pipe) == 0, "pipe: %s", strerror(errno));
	CHECK(pthread_create(&exiter, NULL, exit_on_word, NULL) == 0, "pthread_create");
	CHECK(pthread_create(&waiter, NULL, wait_on_word, NULL) == 0, "pthread_create");
	for (int i = 0; i < 30000 && !waiter_tid; i++)
		usleep(1000);
	CHECK(waiter_tid && wait_state(waiter_tid, "S") == 'S', "the waiter did not go to sleep");
	CHECK(write(tid_pipe[1], "x", 1) == 1, "write: %s", strerror(errno));
	for (int i = 0; i < 30000 && !waiter_done; i++)
		usleep(1000);
	CHECK(waiter_done && !tid_word, "the exit did not wake the waiter on its clear_child_tid word");
	CHECK(pthread_join(waiter, NULL) == 0, "pthread_join");
	close2(tid_pipe);
}

static volatile int spinner_done;

/* Spin until preempted 3 times (by the other spinner); its count of involuntary switches. */
static void *spin_until_preempted(void *arg)
{
	struct rusage ru;

	(void)arg;
	do
		getrusage(RUSAGE_THREAD, &ru);
	while (ru.ru_nivcsw < 3);
	spinner_done = 1;
	return (void *)ru.ru_nivcsw;
}

static void *spin_until_done(void *arg)
{
	(void)arg;
	while (!spinner_done)
		;
	return NULL;
}

/*
 * A thread's involuntary context switches stay in the process's count after it exits
 * (getrusage(RUSAGE_SELF)), as its CPU time does. Two threads share one CPU, so one is
 * preempted by the other.
 */
static void t_rusage_dead_thread(void)
{
	pthread_t a, b;
	void *count;
	cpu_set_t one;
	struct rusage ru;

	CPU_ZERO(&one);
	CPU_SET(0, &one);
	/* (Folio has one CPU, and no sched_setaffinity(): ENOSYS there.) */
	CHECK(sched_setaffinity(0, sizeof one, &one) == 0 || (errno == ENOSYS && sysconf(_SC_NPROCESSORS_ONLN) == 1),
	      "sched_setaffinity: %s", strerror(errno));
	spinner_done = 0;
	CHECK(pthread_create(&b, NULL, spin_until_done, NULL) == 0 &&
	      pthread_create(&a, NULL, spin_until_preempted, NULL) == 0, "pthread_create");
	CHECK(pthread_join(a, &count) == 0 && pthread_join(b, NULL) == 0, "pthread_join");
	CHECK(getrusage(RUSAGE_SELF, &ru) == 0, "getrusage: %s", strerror(errno));
	CHECK(ru.ru_nivcsw >= (long)count, "the process counts %ld involuntary switches, its dead thread had %ld",
	      ru.ru_nivcsw, (long)count);
}

/*
 * FUTEX_WAIT on a word that no longer holds the value the caller saw fails at once with
 * EAGAIN: the wake-up it waits for may have come already. (Were it to sleep, the timeout
 * would end it with ETIMEDOUT.) A word that holds the value sleeps until the timeout;
 * FUTEX_CMP_REQUEUE checks its value the same way.
 */
static void t_futex_wait_mismatch(void)
{
	static int word = 1, other;
	struct timespec ts = { 5, 0 }, at, short_ts = { 0, 10 * 1000 * 1000 };
	long r;

	r = RAW(SYS_futex, &word, FUTEX_WAIT, 0, &ts, 0, 0);
	CHECK(r == -EAGAIN, "FUTEX_WAIT(*uaddr 1, val 0): %s, expected -EAGAIN", res(r));
	r = RAW(SYS_futex, &word, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 2, &ts, 0, 0);
	CHECK(r == -EAGAIN, "FUTEX_WAIT_PRIVATE(*uaddr 1, val 2): %s, expected -EAGAIN", res(r));
	clock_gettime(CLOCK_MONOTONIC, &at);
	at.tv_sec += 5;
	r = RAW(SYS_futex, &word, FUTEX_WAIT_BITSET, 0, &at, 0, 1);
	CHECK(r == -EAGAIN, "FUTEX_WAIT_BITSET(*uaddr 1, val 0): %s, expected -EAGAIN", res(r));
	r = RAW(SYS_futex, &word, FUTEX_WAIT, 1, &short_ts, 0, 0);
	CHECK(r == -ETIMEDOUT, "FUTEX_WAIT(*uaddr 1, val 1, 10 ms): %s, expected -ETIMEDOUT", res(r));
	r = RAW(SYS_futex, &word, FUTEX_CMP_REQUEUE, 1, 1, &other, 0);
	CHECK(r == -EAGAIN, "FUTEX_CMP_REQUEUE(*uaddr 1, val3 0): %s, expected -EAGAIN", res(r));
	r = RAW(SYS_futex, &word, FUTEX_CMP_REQUEUE, 1, 1, &other, 1);
	CHECK(r == 0, "FUTEX_CMP_REQUEUE(*uaddr 1, val3 1, no waiters): %s, expected 0", res(r));
}

#define WNOTHREAD 0x20000000	/* Linux's __WNOTHREAD: only the calling thread's children */

static pid_t leaders_child;

/* Reap the leader's child from another thread: not with __WNOTHREAD, then as usual. */
static void *reap_leaders_child(void *arg)
{
	int st = 0;

	(void)arg;
	long r = RAW(SYS_wait4, leaders_child, &st, WNOTHREAD, 0);
	if (r != -ECHILD)
		return (void *)1;
	r = RAW(SYS_wait4, leaders_child, &st, 0, 0);
	return (void *)(long)(r == leaders_child && WIFEXITED(st) && WEXITSTATUS(st) == 5 ? 0 : 2);
}

static int forker_pipe[2];

/* Forks a child that exits 6, tells the leader its pid, and stays until told to go. */
static void *fork_then_stay(void *arg)
{
	pid_t pid = fork();
	char c;

	(void)arg;
	if (pid == 0)
		_exit(6);
	if (write(forker_pipe[1], &pid, sizeof pid) != sizeof pid || read(*(int *)arg, &c, 1) != 1)
		return (void *)1;
	return NULL;
}

/*
 * Every thread of a process waits for the children of all of them: a thread that is not
 * the leader reaps the child the leader forked (unless it asks for __WNOTHREAD), and the
 * leader the child of a thread that has ended.
 */
static void t_wait_from_thread(void)
{
	pthread_t t;
	void *ret;

	leaders_child = fork();
	CHECK(leaders_child >= 0, "fork: %s", strerror(errno));
	if (leaders_child == 0)
		_exit(5);
	CHECK(pthread_create(&t, NULL, reap_leaders_child, NULL) == 0 && pthread_join(t, &ret) == 0, "pthread");
	CHECK(ret != (void *)1, "wait4(__WNOTHREAD) from another thread found the leader's child");
	CHECK(ret == NULL, "a thread could not reap the leader's child");
	CHECK(waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD, "the child is still there after the thread reaped it");
	int go[2];
	pid_t child;
	CHECK(pipe(forker_pipe) == 0 && pipe(go) == 0, "pipe: %s", strerror(errno));
	CHECK(pthread_create(&t, NULL, fork_then_stay, &go[0]) == 0, "pthread_create");
	CHECK(read(forker_pipe[0], &child, sizeof child) == sizeof child && child > 0, "fork in a thread");
	expect_exit(reap(child), 6, "the child of a thread that is still there");
	CHECK(write(go[1], "g", 1) == 1 && pthread_join(t, &ret) == 0 && ret == NULL, "the forking thread");
	close2(go);
	close2(forker_pipe);
}

/* ---- exec from a thread other than the leader ---- */

/* Our process's start time, field 22 of /proc/self/stat, into out ("-" if there is no /proc). */
static void start_time(char *out, size_t size)
{
	char buf[512];
	int fd = open("/proc/self/stat", O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
	char *p = n > 0 ? (buf[n] = 0, strrchr(buf, ')')) : NULL;

	if (fd >= 0)
		close(fd);
	for (int field = 2; p && field < 22; field++)	/* ')' ends field 2 */
		p = strchr(p + 1, ' ');
	snprintf(out, size, "%s", p ? p + 1 : "-");
	out[strcspn(out, " ")] = 0;
}

/*
 * `usertests --child pidcheck PID START exit|kill`, exec'd by a thread: the program must
 * run as the process PID, its only thread, with the leader's pid as its tid and the
 * process's start time START (unless "-"); then it exits 3, or is killed by SIGKILL.
 * 1 if the pids are wrong, 2 if the start time is.
 */
int child_pidcheck(pid_t pid, const char *start, const char *then)
{
	char now[32];

	if (getpid() != pid || syscall(SYS_gettid) != pid)
		return 1;
	start_time(now, sizeof now);
	if (strcmp(start, "-") && strcmp(start, now))
		return 2;
	if (strcmp(then, "kill") == 0)
		kill(pid, SIGKILL);
	return 3;
}

static const char *exec_then;

static void *exec_pidcheck(void *arg)
{
	char pid[16], start[32];

	(void)arg;
	snprintf(pid, sizeof pid, "%d", (int)getpid());
	start_time(start, sizeof start);
	char *argv[] = { (char *)self, "--child", "pidcheck", pid, start, (char *)exec_then, NULL };
	execve(self, argv, environ);
	_exit(99);
}

/* A process whose second thread execs; its leader waits, or has exited first (leader_exits). */
static void thread_execs(long leader_exits)
{
	pthread_t t;

	usleep(30 * 1000);	/* so that the thread starts some clock ticks after its process */
	CHECK(pthread_create(&t, NULL, exec_pidcheck, NULL) == 0, "pthread_create");
	if (leader_exits)
		pthread_exit(NULL);
	sleep_forever();
}

/*
 * A thread that is not the leader calls execve(): it becomes the leader (Linux's
 * de_thread()), with the process's pid as its tid and its start time, and the parent's
 * wait4() reports what the new program does: exit 3, or death by SIGKILL. Whether the old leader was
 * still waiting (and is killed by the exec) or had exited first.
 */
static void t_exec_thread_status(void)
{
	for (int leader_exits = 0; leader_exits < 2; leader_exits++) {
		const char *how = leader_exits ? "the leader had exited" : "the leader was waiting";
		char what[128];

		exec_then = "exit";
		snprintf(what, sizeof what, "exec from a thread (%s), then exit(3)", how);
		expect_exit(run(thread_execs, leader_exits), 3, what);
		exec_then = "kill";
		snprintf(what, sizeof what, "exec from a thread (%s), then kill(SIGKILL)", how);
		expect_signal(run(thread_execs, leader_exits), SIGKILL, what);
	}
}

/* ---- a thread created while the process dies ---- */

static volatile int cloning;

static void *never_returns(void *arg)
{
	sleep_forever();
	return arg;
}

/* A second thread that creates a third; the new thread would sleep for ever. */
static void *clone_a_thread(void *arg)
{
	pthread_t t;

	(void)arg;
	cloning = 1;
	pthread_create(&t, NULL, never_returns, NULL);
	sleep_forever();
	return NULL;
}

/* While the second thread is in clone(), the main thread ends the process: exit_group, or execve. */
static void end_while_cloning(long how)
{
	pthread_t t;

	CHECK(pthread_create(&t, NULL, clone_a_thread, NULL) == 0, "pthread_create");
	while (!cloning)
		sched_yield();
	usleep(50 * 1000);	/* into clone(): with the delay point armed, it stays there */
	if (how == 'x') {
		char *argv[] = { (char *)self, "--child", "exit", "6", NULL };
		execve(self, argv, environ);
	}
	_exit(5);
}

/*
 * A thread created by clone() while another thread ends the process must not outlive
 * it: the clone fails once the caller has SIGKILL coming (Linux: "let kill terminate
 * clone/fork in the middle"). Otherwise the new thread, never killed, keeps the process
 * from completing (its zombie leader stays for good) or the execve waiting for it. The
 * scenario usertests-clone-race arms the delay point copy_process_before_link, which
 * holds the clone inside copy_process() while the process ends.
 */
static void t_clone_group_exit_race(void)
{
	static const struct { long how; int code; const char *what; } ends[] = {
		{ 'e', 5, "exit_group(5)" }, { 'x', 6, "execve of a program that exits 6" },
	};
	struct timespec ms = { 0, 1000 * 1000 };
	char what[96];
	int st;

	for (unsigned i = 0; i < sizeof ends / sizeof ends[0]; i++) {
		pid_t pid = spawn(end_while_cloning, ends[i].how), r = 0;
		for (int j = 0; j < 10000 && r == 0; j++) {	/* 10 s */
			r = waitpid(pid, &st, WNOHANG);
			if (r == 0)
				nanosleep(&ms, NULL);
		}
		snprintf(what, sizeof what, "%s while a thread was in clone()", ends[i].what);
		CHECK(r == pid, "%s: the process did not end (a thread created meanwhile lives on)", what);
		expect_exit(st, ends[i].code, what);
	}
}

const struct test thread_tests[] = {
	T(threads), T(thread_exit_group), T(cond_broadcast), T(group_exit_status),
	T(exec_thread_status), T(clone_group_exit_race), T(futex_wait_mismatch), T(wait_from_thread), T(clear_child_tid_wakes), T(rusage_dead_thread), { NULL },
};
