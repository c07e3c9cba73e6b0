/*
 * Signals: handlers and their siginfo, nesting and masks, registers kept
 * across a handler, SIGKILL that cannot be caught, default actions,
 * interrupted and restarted system calls, SIGCHLD (or another exit signal),
 * and the kernel's log lines about traps.
 */
#include "usertests.h"
#include <sys/klog.h>
#include <sys/prctl.h>
#include <time.h>

static volatile sig_atomic_t hits, last_sig;

static volatile pid_t last_pid;

static volatile int last_code;

static char order[16];

static volatile sig_atomic_t norder;

static void on_signal(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	hits++;
	last_sig = sig;
	last_pid = si->si_pid;
	last_code = si->si_code;
}

static void catch(int sig, void (*fn)(int, siginfo_t *, void *), int flags, int also_block)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = fn;
	sa.sa_flags = SA_SIGINFO | flags;
	sigemptyset(&sa.sa_mask);
	if (also_block)
		sigaddset(&sa.sa_mask, also_block);
	CHECK(sigaction(sig, &sa, NULL) == 0, "sigaction(%d): %s", sig, strerror(errno));
}

static void t_sig_handler(void)
{
	hits = 0;
	catch(SIGUSR1, on_signal, 0, 0);
	CHECK(kill(getpid(), SIGUSR1) == 0, "kill: %s", strerror(errno));
	CHECK(hits == 1, "the handler ran %d times for one signal", (int)hits);
	CHECK(last_sig == SIGUSR1, "the handler got signal %d", (int)last_sig);
	CHECK(last_pid == getpid(), "si_pid %d, expected %d", (int)last_pid, (int)getpid());
	CHECK(last_code == SI_USER, "si_code %d, expected SI_USER", last_code);
	CHECK(kill(getpid(), SIGUSR1) == 0 && hits == 2, "a second signal did not run the handler");

	/* a signal from another process */
	pid_t parent = getpid();
	pid_t pid = fork();
	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0)
		_exit(kill(parent, SIGUSR1) == 0 ? 0 : 1);
	expect_exit(reap(pid), 0, "the child sending SIGUSR1");
	CHECK(hits == 3 && last_pid == pid, "the signal from the child: hits %d, si_pid %d (child %d)",
	      (int)hits, (int)last_pid, (int)pid);
}

/* handler 1 sends signal 2 to itself: with 2 in sa_mask it runs after 1 returns */
static void nest_outer(int sig, siginfo_t *si, void *uc)
{
	(void)sig; (void)si; (void)uc;
	order[norder++] = '1';
	kill(getpid(), SIGUSR2);
	order[norder++] = '1';
}

static void nest_inner(int sig, siginfo_t *si, void *uc)
{
	(void)sig; (void)si; (void)uc;
	order[norder++] = '2';
}

static void nested(int mask_usr2, const char *want)
{
	memset(order, 0, sizeof order);
	norder = 0;
	catch(SIGUSR1, nest_outer, 0, mask_usr2 ? SIGUSR2 : 0);
	catch(SIGUSR2, nest_inner, 0, 0);
	kill(getpid(), SIGUSR1);
	CHECK(strcmp(order, want) == 0, "handlers ran in order %s, expected %s (%s)", order, want,
	      mask_usr2 ? "SIGUSR2 in sa_mask" : "nothing in sa_mask");
}

static void t_sig_nested(void)
{
	nested(1, "112");
	nested(0, "121");
}

/* the syscall ABI and a handler in between preserve registers, SSE included */
static void clobber(int sig, siginfo_t *si, void *uc)
{
	(void)sig; (void)si; (void)uc;
	__asm__ volatile("pxor %%xmm8, %%xmm8\n\tmov $-1, %%r12\n\tmov $-1, %%r15"
			 ::: "xmm8", "r12", "r15");
	hits++;
}

static void t_sig_regs(void)
{
	unsigned long x = 0x1234567890abcdefUL, xo, r12o, r15o;
	long nr = SYS_kill;

	hits = 0;
	catch(SIGUSR1, clobber, 0, 0);
	__asm__ volatile("movq %[x], %%xmm8\n\t"
			 "mov %[x], %%r12\n\t"
			 "mov %[x], %%r15\n\t"
			 "syscall\n\t"
			 "movq %%xmm8, %[xo]\n\t"
			 "mov %%r12, %[r12o]\n\t"
			 "mov %%r15, %[r15o]"
			 : [xo] "=r"(xo), [r12o] "=r"(r12o), [r15o] "=r"(r15o), "+a"(nr)
			 : [x] "r"(x), "D"((long)getpid()), "S"((long)SIGUSR1)
			 : "rcx", "r11", "r12", "r15", "xmm8", "memory");
	CHECK(nr == 0, "kill returned %s", res(nr));
	CHECK(hits == 1, "the handler did not run");
	CHECK(xo == x, "xmm8 was %#lx after the handler, expected %#lx: SSE state not restored", xo, x);
	CHECK(r12o == x && r15o == x, "r12/r15 were %#lx/%#lx after the handler, expected %#lx",
	      r12o, r15o, x);
}

static void t_sig_mask(void)
{
	sigset_t set, old, pending;

	hits = 0;
	catch(SIGUSR1, on_signal, 0, 0);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	CHECK(sigprocmask(SIG_BLOCK, &set, &old) == 0, "sigprocmask: %s", strerror(errno));
	kill(getpid(), SIGUSR1);
	kill(getpid(), SIGUSR1);
	CHECK(hits == 0, "a blocked signal ran its handler");
	CHECK(sigpending(&pending) == 0 && sigismember(&pending, SIGUSR1),
	      "the blocked signal is not pending");
	CHECK(sigprocmask(SIG_SETMASK, &old, NULL) == 0, "sigprocmask: %s", strerror(errno));
	CHECK(hits == 1, "unblocking ran the handler %d times, expected once (standard signals "
	      "do not queue)", (int)hits);
	CHECK(sigpending(&pending) == 0 && !sigismember(&pending, SIGUSR1), "still pending");

	/* SIGKILL and SIGSTOP cannot be blocked */
	sigfillset(&set);
	CHECK(sigprocmask(SIG_BLOCK, &set, NULL) == 0, "sigprocmask(all): %s", strerror(errno));
	CHECK(sigprocmask(SIG_BLOCK, NULL, &set) == 0, "sigprocmask(query): %s", strerror(errno));
	CHECK(!sigismember(&set, SIGKILL) && !sigismember(&set, SIGSTOP),
	      "SIGKILL or SIGSTOP shows as blocked");
	CHECK(sigprocmask(SIG_SETMASK, &old, NULL) == 0, "sigprocmask: %s", strerror(errno));
}

static void unkillable(long ready_fd)
{
	sigset_t all;

	for (int s = 1; s < 32; s++)
		if (s != SIGKILL && s != SIGSTOP)
			signal(s, SIG_IGN);
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
	if (write((int)ready_fd, "r", 1) != 1)
		_exit(2);
	sleep_forever();
}

static void t_sig_kill(void)
{
	struct sigaction sa = { .sa_handler = SIG_IGN };
	int fds[2];
	char c;

	CHECK(sigaction(SIGKILL, &sa, NULL) < 0 && errno == EINVAL, "sigaction(SIGKILL) did not fail "
	      "with EINVAL");
	CHECK(sigaction(SIGSTOP, &sa, NULL) < 0 && errno == EINVAL, "sigaction(SIGSTOP) did not fail "
	      "with EINVAL");
	CHECK(pipe(fds) == 0, "pipe: %s", strerror(errno));
	pid_t pid = spawn(unkillable, fds[1]);
	CHECK(read(fds[0], &c, 1) == 1, "the child did not get ready");
	CHECK(kill(pid, SIGTERM) == 0, "kill(SIGTERM): %s", strerror(errno));
	CHECK(kill(pid, SIGKILL) == 0, "kill(SIGKILL): %s", strerror(errno));
	expect_signal(reap(pid), SIGKILL, "a child ignoring and blocking everything");
	CHECK(kill(pid, 0) < 0 && errno == ESRCH, "kill() of a reaped pid did not fail with ESRCH");
}

static void t_sig_default(void)
{
	int fds[2];

	/* default actions: SIGTERM terminates a child blocked in read() */
	CHECK(pipe(fds) == 0, "pipe: %s", strerror(errno));
	pid_t pid = fork();
	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		char c;
		close(fds[1]);
		(void)!read(fds[0], &c, 1);
		_exit(5);
	}
	close(fds[0]);
	CHECK(kill(pid, SIGTERM) == 0, "kill: %s", strerror(errno));
	expect_signal(reap(pid), SIGTERM, "a child blocked in read()");
	close(fds[1]);

	/* SIG_IGN survives, and survives exec; a caught signal is reset by exec */
	pid = fork();
	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		signal(SIGUSR1, SIG_IGN);
		kill(getpid(), SIGUSR1);
		signal(SIGUSR2, SIG_IGN);
		catch(SIGHUP, on_signal, 0, 0);
		char *argv[] = { (char *)self, "--child", "sigcheck", NULL };
		execve(self, argv, environ);
		_exit(99);
	}
	expect_exit(reap(pid), 0, "exec'd child checking SIG_IGN kept and handlers reset");
}

/*
 * In a forked child: the mask must be the parent's (SIGUSR1 and SIGTERM blocked, SIGUSR2
 * not) and nothing pending (the parent's pending SIGUSR1 stays the parent's). A SIGTERM
 * it sends itself stays pending instead of killing it. Exits 0, or the number of the check
 * that failed.
 */
static void check_inherited_mask(long unused)
{
	sigset_t now, pending;

	(void)unused;
	if (sigprocmask(SIG_BLOCK, NULL, &now) != 0)
		_exit(10);
	if (!sigismember(&now, SIGUSR1) || !sigismember(&now, SIGTERM) || sigismember(&now, SIGUSR2))
		_exit(1);
	if (sigpending(&pending) != 0 || sigismember(&pending, SIGUSR1))
		_exit(2);
	kill(getpid(), SIGTERM);
	if (sigpending(&pending) != 0 || !sigismember(&pending, SIGTERM))
		_exit(3);
	_exit(0);
}

/*
 * The child of fork() starts with its parent's blocked-signal mask and no pending signal
 * (POSIX). The raw system call: libc's fork() blocks every signal around the call and
 * sets the mask again itself, in the child too.
 */
static void t_fork_sigmask(void)
{
	sigset_t set, pending;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGTERM);
	CHECK(sigprocmask(SIG_BLOCK, &set, NULL) == 0, "sigprocmask: %s", strerror(errno));
	CHECK(kill(getpid(), SIGUSR1) == 0, "kill: %s", strerror(errno));
	long pid = RAW(SYS_fork);
	if (pid == 0)
		check_inherited_mask(0);
	CHECK(pid > 0, "fork: %s", res(pid));
	int st = reap((pid_t)pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) != 1, "the child's blocked mask is not the parent's");
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) != 2, "the parent's pending SIGUSR1 is pending in the child");
	expect_exit(st, 0, "the child checking its mask");
	CHECK(sigpending(&pending) == 0 && sigismember(&pending, SIGUSR1), "the parent's SIGUSR1 is no longer pending");
}

int child_sigcheck(void)
{
	struct sigaction sa;

	if (sigaction(SIGUSR2, NULL, &sa) != 0 || sa.sa_handler != SIG_IGN)
		return 1;
	if (sigaction(SIGHUP, NULL, &sa) != 0 || sa.sa_handler != SIG_DFL)
		return 2;
	stack_t ss;
	if (sigaltstack(NULL, &ss) != 0 || ss.ss_flags != SS_DISABLE || ss.ss_size || ss.ss_sp)
		return 3;	/* exec leaves no alternate signal stack */
	return 0;
}

static void *altstack_of_thread(void *arg)
{
	stack_t ss;

	(void)arg;
	return (void *)(long)(sigaltstack(NULL, &ss) == 0 && ss.ss_flags == SS_DISABLE);
}

/*
 * The alternate signal stack: a forked child has its parent's, a thread none (it runs on
 * another stack in the same memory), and exec drops it (checked by `--child sigcheck`).
 */
static void t_sigaltstack_fork_exec(void)
{
	const size_t size = 16 * PAGE;
	char *alt = map(size, PROT_READ | PROT_WRITE);
	stack_t ss = { .ss_sp = alt, .ss_size = size, .ss_flags = 0 };
	void *ok;
	pthread_t t;

	CHECK(sigaltstack(&ss, NULL) == 0, "sigaltstack: %s", strerror(errno));
	pid_t pid = fork();
	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		if (sigaltstack(NULL, &ss) != 0 || ss.ss_sp != alt || ss.ss_size != size || ss.ss_flags != 0)
			_exit(10);
		signal(SIGUSR2, SIG_IGN);	/* what `--child sigcheck` checks besides */
		char *argv[] = { (char *)self, "--child", "sigcheck", NULL };
		execve(self, argv, environ);
		_exit(99);
	}
	int st = reap(pid);
	CHECK(!WIFEXITED(st) || WEXITSTATUS(st) != 10, "the forked child has not its parent's alternate stack");
	CHECK(!WIFEXITED(st) || WEXITSTATUS(st) != 3, "the alternate stack survived exec");
	expect_exit(st, 0, "the exec'd child checking its signal state");
	CHECK(pthread_create(&t, NULL, altstack_of_thread, NULL) == 0 && pthread_join(t, &ok) == 0, "pthread");
	CHECK(ok, "a new thread has its creator's alternate stack");
}

/*
 * SA_RESTART or not. A helper process signals us while we sleep in read() on an
 * empty pipe. A signal that lands before read() blocks only runs the handler, so
 * the helper keeps signalling (every 20 ms) until we tell it to stop; after 50
 * signals it gives up and writes a byte, so a kernel that never interrupts the
 * read fails the test instead of hanging it.
 */
static int helper_data_fd, helper_stop_fd, helper_stop_other;

static pid_t helper_target;

static void pester(long nsignals)
{
	char c;

	close(helper_stop_other);
	fcntl(helper_stop_fd, F_SETFL, O_NONBLOCK);
	for (long i = 0; i < nsignals; i++) {
		usleep(20000);
		if (read(helper_stop_fd, &c, 1) == 0)
			_exit(0);		/* the parent is done */
		kill(helper_target, SIGUSR1);
	}
	usleep(20000);
	_exit(write(helper_data_fd, "z", 1) == 1 ? 0 : 1);
}

static pid_t start_pester(int data[2], int stop[2], long nsignals)
{
	helper_data_fd = data[1];
	helper_stop_fd = stop[0];
	helper_stop_other = stop[1];
	helper_target = getpid();
	pid_t pid = spawn(pester, nsignals);
	close(stop[0]);
	return pid;
}

static void t_sig_eintr(void)
{
	int data[2], stop[2];
	char c;

	hits = 0;
	catch(SIGUSR1, on_signal, 0, 0);		/* no SA_RESTART */
	CHECK(pipe(data) == 0 && pipe(stop) == 0, "pipe: %s", strerror(errno));
	pid_t pid = start_pester(data, stop, 50);
	ssize_t n = read(data[0], &c, 1);
	int err = errno;
	close(stop[1]);
	expect_exit(reap(pid), 0, "the helper");
	CHECK(n < 0 && err == EINTR, "read() with a handler without SA_RESTART returned %zd (%s) "
	      "after %d signals, expected -1 EINTR", n, n < 0 ? strerror(err) : "data", (int)hits);
	CHECK(hits >= 1, "the handler did not run");
}

static void t_sig_restart(void)
{
	int data[2], stop[2];
	char c = 0;

	hits = 0;
	catch(SIGUSR1, on_signal, SA_RESTART, 0);
	CHECK(pipe(data) == 0 && pipe(stop) == 0, "pipe: %s", strerror(errno));
	pid_t pid = start_pester(data, stop, 5);	/* 5 signals, then the byte */
	ssize_t n = read(data[0], &c, 1);
	int err = errno;
	close(stop[1]);
	expect_exit(reap(pid), 0, "the helper");
	CHECK(n == 1 && c == 'z', "read() with an SA_RESTART handler returned %zd (%s)", n,
	      n < 0 ? strerror(err) : "wrong data");
	CHECK(hits >= 1, "the handler never ran");
}

static volatile pid_t chld_pid;

static volatile int chld_status, chld_code;

static void on_sigchld(int sig, siginfo_t *si, void *uc)
{
	(void)sig; (void)uc;
	hits++;
	chld_pid = si->si_pid;
	chld_status = si->si_status;
	chld_code = si->si_code;
}

static void t_sigchld(void)
{
	sigset_t set, pending;

	hits = 0;
	catch(SIGCHLD, on_sigchld, 0, 0);
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	CHECK(sigprocmask(SIG_BLOCK, &set, NULL) == 0, "sigprocmask: %s", strerror(errno));
	pid_t pid = spawn(exit_now, 6);
	expect_exit(reap(pid), 6, "the child");
	CHECK(sigpending(&pending) == 0 && sigismember(&pending, SIGCHLD),
	      "no SIGCHLD pending after the child exited");
	CHECK(sigprocmask(SIG_UNBLOCK, &set, NULL) == 0, "sigprocmask: %s", strerror(errno));
	CHECK(hits == 1, "the SIGCHLD handler ran %d times", (int)hits);
	CHECK(chld_pid == pid, "SIGCHLD si_pid %d, expected %d", (int)chld_pid, (int)pid);
	CHECK(chld_code == CLD_EXITED && chld_status == 6, "SIGCHLD si_code %d si_status %d, "
	      "expected CLD_EXITED and 6", chld_code, chld_status);

	pid = spawn(die_by, SIGTERM);	/* and for a killed child: CLD_KILLED */
	expect_signal(reap(pid), SIGTERM, "the child");
	CHECK(hits == 2 && chld_code == CLD_KILLED && chld_status == SIGTERM,
	      "SIGCHLD for a killed child: hits %d si_code %d si_status %d", (int)hits, chld_code,
	      chld_status);
}

/* A child made by clone() with exit signal SIGUSR1: it exits 5, or kills itself with SIGTERM. */
static pid_t clone_usr1_child(int killed)
{
	pid_t pid = (pid_t)RAW(SYS_clone, SIGUSR1, 0, 0, 0, 0);

	if (pid == 0) {
		if (killed)
			kill(getpid(), SIGTERM);
		_exit(5);
	}
	CHECK(pid > 0, "clone(exit signal SIGUSR1): %s", res(pid));
	return pid;
}

/*
 * An exit signal other than SIGCHLD says what SIGCHLD would: si_pid the child, si_code
 * CLD_EXITED or CLD_KILLED, si_status its exit status or signal (Linux fills the same
 * siginfo whatever the signal).
 */
static void t_exit_signal_siginfo(void)
{
	sigset_t set;
	int st;

	hits = 0;
	catch(SIGUSR1, on_sigchld, 0, 0);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	for (int killed = 0; killed < 2; killed++) {
		CHECK(sigprocmask(SIG_BLOCK, &set, NULL) == 0, "sigprocmask: %s", strerror(errno));
		pid_t pid = clone_usr1_child(killed);
		CHECK(waitpid(pid, &st, __WALL) == pid, "waitpid(__WALL): %s", strerror(errno));
		CHECK(sigprocmask(SIG_UNBLOCK, &set, NULL) == 0, "sigprocmask: %s", strerror(errno));
		CHECK(hits == killed + 1, "the SIGUSR1 handler ran %d times", (int)hits);
		CHECK(chld_pid == pid, "exit signal SIGUSR1: si_pid %d, expected the child %d", (int)chld_pid,
		      (int)pid);
		if (killed)
			CHECK(chld_code == CLD_KILLED && chld_status == SIGTERM, "exit signal SIGUSR1 of a killed "
			      "child: si_code %d si_status %d, expected CLD_KILLED and SIGTERM", chld_code, chld_status);
		else
			CHECK(chld_code == CLD_EXITED && chld_status == 5, "exit signal SIGUSR1: si_code %d "
			      "si_status %d, expected CLD_EXITED and 5", chld_code, chld_status);
	}
}

/* ---- the kernel's "traps:" lines ---- */

static void count_hit(int sig, siginfo_t *si, void *uc)
{
	(void)sig; (void)si; (void)uc;
	hits++;
}

/* How many lines of the kernel log are "traps: " lines about one of these processes. */
static int trap_lines(const pid_t *pids, int n)
{
	char comm[16] = "", needle[48];
	int size = klogctl(10, NULL, 0), count = 0;	/* SYSLOG_ACTION_SIZE_BUFFER */

	CHECK(size > 0, "syslog(SIZE_BUFFER): %s", strerror(errno));
	char *buf = malloc(size + 1);
	CHECK(buf, "malloc");
	int len = klogctl(3, buf, size);		/* SYSLOG_ACTION_READ_ALL */
	CHECK(len >= 0, "syslog(READ_ALL): %s", strerror(errno));
	buf[len] = 0;
	prctl(PR_GET_NAME, comm);
	for (int i = 0; i < n; i++) {
		snprintf(needle, sizeof needle, "traps: %s[%d] ", comm, (int)pids[i]);
		for (char *p = buf; (p = strstr(p, needle)); p++)
			count++;
	}
	free(buf);
	return count;
}

static void int3_unhandled(long unused)
{
	(void)unused;
	__asm__ volatile("int3");
}

/*
 * A user trap logs a "traps: " line only when the program does not handle the signal,
 * and rate-limited (Linux: show_unhandled_signals, printk_ratelimit()): 500 int3 traps
 * under a SIGTRAP handler log nothing; 50 processes killed by int3 log at most a burst.
 * Otherwise any program can flood the console.
 */
static void t_trap_log(void)
{
	pid_t me = getpid(), pids[50];

	hits = 0;
	catch(SIGTRAP, count_hit, 0, 0);
	for (int i = 0; i < 500; i++)
		__asm__ volatile("int3");
	CHECK(hits == 500, "the SIGTRAP handler ran %d times for 500 int3", (int)hits);
	int n = trap_lines(&me, 1);
	CHECK(n == 0, "500 int3 traps under a SIGTRAP handler logged %d 'traps:' lines", n);
	signal(SIGTRAP, SIG_DFL);
	for (int i = 0; i < 50; i++) {
		pids[i] = spawn(int3_unhandled, 0);
		expect_signal(reap(pids[i]), SIGTRAP, "a child that executes int3");
	}
	n = trap_lines(pids, 50);
	CHECK(n <= 20, "50 processes killed by int3 logged %d 'traps:' lines: no rate limit", n);
}

const struct test signal_tests[] = {
	T(sig_handler), T(sig_nested), T(sig_regs), T(sig_mask), T(sig_kill), T(sig_default),
	T(fork_sigmask), T(sigaltstack_fork_exec), T(sig_eintr), T(sig_restart), T(sigchld), T(exit_signal_siginfo),
	T(trap_log), { NULL },
};
