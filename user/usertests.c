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
 * whole process group, and fails. Run as pid 1 (`init=/bin/usertests`), it runs
 * the suite in a child and reaps orphans. The binary also serves as its own
 * exec target: `usertests --child ...`.
 *
 * What the kernel must provide beyond issue 4's list of calls: rt_sigpending
 * (sigpending()), and an 8 MB stack limit (RLIMIT_STACK, as Linux's default)
 * for stack_overflow. Every test uses sysinfo(2) through the harness.
 */
#include "ulib.h"
#include <elf.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <time.h>

#define PAGE 4096UL
#define KADDR 0xffffffff80000000UL	/* the kernel image on Folio and Linux */
#define NONCANON 0x8000000000000000UL	/* neither half of the address space */
#define TEST_TIMEOUT_S 120		/* per test; TCG is slow, fork bombs slower */

static const char *self = "/bin/usertests";	/* our own path: the exec target */
static int on_linux;
static int result_fd = -1;	/* a test writes its failure reason here */
static int verbose;		/* -v: notes and free-memory figures */

/* ---- reporting from inside a test ------------------------------------------ */

__attribute__((noreturn, format(printf, 1, 2)))
static void fail(const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if (n > (int)sizeof buf - 2)
		n = sizeof buf - 2;
	buf[n++] = '\n';
	if (write(result_fd, buf, n) < 0)
		_exit(2);
	_exit(1);
}

#define CHECK(cond, ...) do { if (!(cond)) fail(__VA_ARGS__); } while (0)

/* with -v, an informational line inside a test's output */
__attribute__((format(printf, 1, 2)))
static void note(const char *fmt, ...)
{
	va_list ap;

	if (!verbose)
		return;
	va_start(ap, fmt);
	printf("  note: ");
	vprintf(fmt, ap);
	printf("\n");
	fflush(stdout);
	va_end(ap);
}

/* a raw system call: the kernel's return value, -errno on failure, no libc checks */
static long raw6(long nr, long a, long b, long c, long d, long e, long f)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	long ret;

	__asm__ volatile("syscall" : "=a"(ret)
			 : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}
#define RAW(...) RAW_(__VA_ARGS__, 0, 0, 0, 0, 0, 0)
#define RAW_(nr, a, b, c, d, e, f, ...) \
	raw6(nr, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))

/* "-14 (EFAULT)" style text for a raw result */
static const char *res(long r)
{
	static char buf[8][64];
	static int i;
	char *b = buf[i++ % 8];

	if (r < 0 && r >= -4095)
		snprintf(b, 64, "%ld (%s)", r, strerror((int)-r));
	else
		snprintf(b, 64, "%ld", r);
	return b;
}

/* a wait status in words */
static const char *describe(int st)
{
	static char buf[4][64];
	static int i;
	char *b = buf[i++ % 4];

	if (WIFEXITED(st))
		snprintf(b, 64, "exit status %d", WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		snprintf(b, 64, "killed by signal %d (%s)", WTERMSIG(st), strsignal(WTERMSIG(st)));
	else
		snprintf(b, 64, "wait status %#x", st);
	return b;
}

/* ---- children ----------------------------------------------------------------- */

static pid_t spawn(void (*fn)(long), long arg)
{
	pid_t pid = fork();
	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		fn(arg);
		_exit(0);
	}
	return pid;
}

static int reap(pid_t pid)
{
	int st;
	pid_t r;

	while ((r = waitpid(pid, &st, 0)) < 0 && errno == EINTR)
		;
	CHECK(r == pid, "waitpid(%d) returned %d: %s", (int)pid, (int)r, strerror(errno));
	return st;
}

/* run fn(arg) in a child and return its wait status */
static int run(void (*fn)(long), long arg)
{
	return reap(spawn(fn, arg));
}

static void expect_exit(int st, int code, const char *what)
{
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == code, "%s: %s, expected exit status %d",
	      what, describe(st), code);
}

static void expect_signal(int st, int sig, const char *what)
{
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == sig, "%s: %s, expected to be killed by signal %d (%s)",
	      what, describe(st), sig, strsignal(sig));
}

static void no_children_left(void)
{
	CHECK(waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD, "a child was left unreaped");
}

/* ---- probing memory without faulting: the kernel says EFAULT instead ------- */

static int probe_pipe[2] = { -1, -1 };

static void probe_init(void)
{
	if (probe_pipe[0] < 0)
		CHECK(pipe(probe_pipe) == 0, "pipe: %s", strerror(errno));
}

static int readable(const void *p)
{
	char c;

	probe_init();
	if (RAW(SYS_write, probe_pipe[1], p, 1) != 1)
		return 0;
	CHECK(read(probe_pipe[0], &c, 1) == 1, "probe pipe read: %s", strerror(errno));
	return 1;
}

/* writable: write the byte that is there back into it, through the kernel */
static int writable(void *p)
{
	char c;

	if (!readable(p))
		return 0;
	CHECK(RAW(SYS_write, probe_pipe[1], p, 1) == 1, "probe pipe write failed");
	if (RAW(SYS_read, probe_pipe[0], p, 1) == 1)
		return 1;
	CHECK(read(probe_pipe[0], &c, 1) == 1, "probe pipe drain: %s", strerror(errno));
	return 0;
}

static char *map(size_t len, int prot)
{
	void *p = mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED, "mmap(%zu): %s", len, strerror(errno));
	return p;
}

/* ---- bad pointers ------------------------------------------------------------- */

enum { BP_NULL, BP_KERNEL, BP_NONCANON, BP_CROSS, NR_BP };
static const char *const bp_name[NR_BP] = {
	"NULL", "kernel (0xffffffff80000000)", "non-canonical (0x8000000000000000)",
	"crossing the end of a mapping",
};
static char *edge;	/* the first unmapped byte after a page full of 'a' */

static void *bad_ptr(int kind)
{
	if (!edge) {
		char *p = map(2 * PAGE, PROT_READ | PROT_WRITE);
		memset(p, 'a', PAGE);		/* strings there have no end */
		CHECK(munmap(p + PAGE, PAGE) == 0, "munmap: %s", strerror(errno));
		edge = p + PAGE;
	}
	switch (kind) {
	case BP_NULL: return NULL;
	case BP_KERNEL: return (void *)KADDR;
	case BP_NONCANON: return (void *)NONCANON;
	default:		/* the last mapped byte: anything longer crosses */
		edge[-1] = 'a';	/* (a failed copy out may have written it) */
		return edge - 1;
	}
}

/* for each bad pointer kind: b is the pointer, kind its index. skip_null: the
 * call accepts NULL there (it means "none", e.g. wait4's status). */
#define FOR_BAD(b, skip_null) \
	for (int kind = (skip_null) ? 1 : 0; kind < NR_BP && ((b) = bad_ptr(kind), 1); kind++)

#define EXPECT_EFAULT(call, what) do {						\
		(void)bad_ptr(kind);	/* restores the byte before the edge */	\
		long r_ = (call);						\
		CHECK(r_ == -EFAULT, "%s with a %s pointer returned %s, expected -EFAULT", \
		      what, bp_name[kind], res(r_));				\
	} while (0)

/* a non-blocking pipe holding 64 bytes, so a read has something to copy */
static void data_pipe(int fds[2])
{
	char buf[64];

	CHECK(pipe2(fds, O_NONBLOCK) == 0, "pipe2: %s", strerror(errno));
	memset(buf, 'd', sizeof buf);
	CHECK(write(fds[1], buf, sizeof buf) == sizeof buf, "pipe write: %s", strerror(errno));
}

static void close2(int fds[2])
{
	close(fds[0]);
	close(fds[1]);
}

static void t_efault_read(void)
{
	int fds[2];
	void *b;

	FOR_BAD(b, 0) {
		data_pipe(fds);
		EXPECT_EFAULT(RAW(SYS_read, fds[0], b, 16), "read(pipe)");
		close2(fds);
	}
}

static void t_efault_write(void)
{
	int fds[2];
	void *b;

	FOR_BAD(b, 0) {
		CHECK(pipe2(fds, O_NONBLOCK) == 0, "pipe2: %s", strerror(errno));
		EXPECT_EFAULT(RAW(SYS_write, fds[1], b, 16), "write(pipe)");
		close2(fds);
	}
}

static void t_efault_open(void)
{
	void *b;

	FOR_BAD(b, 0) {
		EXPECT_EFAULT(RAW(SYS_open, b, O_RDONLY), "open(path)");
		EXPECT_EFAULT(RAW(SYS_openat, AT_FDCWD, b, O_RDONLY), "openat(path)");
	}
}

static void t_efault_stat(void)
{
	struct stat st;
	void *b;

	FOR_BAD(b, 0) {
		EXPECT_EFAULT(RAW(SYS_stat, b, &st), "stat(path)");
		EXPECT_EFAULT(RAW(SYS_stat, "/", b), "stat(\"/\", buf)");
		EXPECT_EFAULT(RAW(SYS_lstat, b, &st), "lstat(path)");
		EXPECT_EFAULT(RAW(SYS_newfstatat, AT_FDCWD, "/", b, 0), "newfstatat(buf)");
	}
}

static void t_efault_fstat(void)
{
	int fds[2];
	void *b;

	CHECK(pipe(fds) == 0, "pipe: %s", strerror(errno));
	FOR_BAD(b, 0)
		EXPECT_EFAULT(RAW(SYS_fstat, fds[0], b), "fstat(pipe, buf)");
	close2(fds);
}

static int open_fds(void)
{
	int n = 0;

	for (int fd = 0; fd < 256; fd++)
		n += fcntl(fd, F_GETFD) >= 0;
	return n;
}

static void t_efault_pipe(void)
{
	int before = open_fds();
	void *b;

	FOR_BAD(b, 0) {
		EXPECT_EFAULT(RAW(SYS_pipe, b), "pipe(fds)");
		EXPECT_EFAULT(RAW(SYS_pipe2, b, 0), "pipe2(fds)");
	}
	CHECK(open_fds() == before, "the failed pipe()s left %d descriptors open",
	      open_fds() - before);
}

static void t_efault_readv(void)
{
	int fds[2];
	char buf[16];
	struct iovec iov[2];
	void *b;

	FOR_BAD(b, 0) {		/* the iovec array itself */
		data_pipe(fds);
		EXPECT_EFAULT(RAW(SYS_readv, fds[0], b, 2), "readv(iov)");
		close2(fds);
	}
	FOR_BAD(b, 0) {		/* a buffer named by a good iovec */
		data_pipe(fds);
		iov[0] = (struct iovec){ b, 16 };
		iov[1] = (struct iovec){ buf, sizeof buf };
		EXPECT_EFAULT(RAW(SYS_readv, fds[0], iov, 2), "readv(iov[0].iov_base)");
		close2(fds);
	}
}

static void t_efault_writev(void)
{
	int fds[2];
	char buf[16] = "x";
	struct iovec iov[2];
	void *b;

	FOR_BAD(b, 0) {
		CHECK(pipe2(fds, O_NONBLOCK) == 0, "pipe2: %s", strerror(errno));
		EXPECT_EFAULT(RAW(SYS_writev, fds[1], b, 2), "writev(iov)");
		iov[0] = (struct iovec){ b, 16 };
		iov[1] = (struct iovec){ buf, sizeof buf };
		EXPECT_EFAULT(RAW(SYS_writev, fds[1], iov, 2), "writev(iov[0].iov_base)");
		close2(fds);
	}
}

static void exit_now(long code)
{
	_exit((int)code);
}

static void t_efault_wait4(void)
{
	void *b;

	FOR_BAD(b, 1) {		/* NULL status means "not wanted" */
		pid_t pid = spawn(exit_now, 0);
		EXPECT_EFAULT(RAW(SYS_wait4, pid, b, 0, 0), "wait4(status)");
		waitpid(pid, NULL, 0);	/* Linux reaped it anyway; another kernel may not have */
		pid = spawn(exit_now, 0);
		EXPECT_EFAULT(RAW(SYS_wait4, pid, 0, 0, b), "wait4(rusage)");
		waitpid(pid, NULL, 0);
	}
	no_children_left();
}

static void t_efault_sigaction(void)
{
	void *b;

	FOR_BAD(b, 1) {		/* NULL act/oact mean "none" */
		EXPECT_EFAULT(RAW(SYS_rt_sigaction, SIGUSR1, b, 0, 8), "rt_sigaction(act)");
		EXPECT_EFAULT(RAW(SYS_rt_sigaction, SIGUSR1, 0, b, 8), "rt_sigaction(oact)");
		EXPECT_EFAULT(RAW(SYS_rt_sigprocmask, SIG_BLOCK, b, 0, 8), "rt_sigprocmask(set)");
		EXPECT_EFAULT(RAW(SYS_rt_sigprocmask, SIG_BLOCK, 0, b, 8), "rt_sigprocmask(oset)");
	}
}

static void t_efault_time(void)
{
	void *b;

	FOR_BAD(b, 0) {
		EXPECT_EFAULT(RAW(SYS_clock_gettime, CLOCK_MONOTONIC, b), "clock_gettime(tp)");
		EXPECT_EFAULT(RAW(SYS_nanosleep, b, 0), "nanosleep(req)");
	}
	FOR_BAD(b, 1)
		EXPECT_EFAULT(RAW(SYS_gettimeofday, b, 0), "gettimeofday(tv)");
}

static void t_efault_uname(void)
{
	void *b;

	FOR_BAD(b, 0) {
		EXPECT_EFAULT(RAW(SYS_uname, b), "uname(buf)");
		EXPECT_EFAULT(RAW(SYS_sysinfo, b), "sysinfo(info)");
	}
}

static void t_efault_getcwd(void)
{
	void *b;

	FOR_BAD(b, 0)
		EXPECT_EFAULT(RAW(SYS_getcwd, b, 4096), "getcwd(buf, 4096)");
}

static void t_efault_paths(void)
{
	int fd = open("/", O_RDONLY | O_DIRECTORY);
	void *b;

	CHECK(fd >= 0, "open(\"/\"): %s", strerror(errno));
	FOR_BAD(b, 0) {
		EXPECT_EFAULT(RAW(SYS_chdir, b), "chdir(path)");
		EXPECT_EFAULT(RAW(SYS_mkdir, b, 0755), "mkdir(path)");
		EXPECT_EFAULT(RAW(SYS_rmdir, b), "rmdir(path)");
		EXPECT_EFAULT(RAW(SYS_unlink, b), "unlink(path)");
		EXPECT_EFAULT(RAW(SYS_access, b, F_OK), "access(path)");
		EXPECT_EFAULT(RAW(SYS_getdents64, fd, b, 4096), "getdents64(buf)");
	}
	close(fd);
}

static void t_efault_execve(void)
{
	char *argv[] = { (char *)self, NULL };
	char *envp[] = { NULL };
	char *badv[2] = { NULL, NULL };
	void *b;

	FOR_BAD(b, 0) {
		EXPECT_EFAULT(RAW(SYS_execve, b, argv, envp), "execve(path)");
		badv[0] = b;
		if (kind != BP_NULL) {	/* NULL argv/envp are accepted as empty */
			EXPECT_EFAULT(RAW(SYS_execve, self, b, envp), "execve(argv)");
			EXPECT_EFAULT(RAW(SYS_execve, self, argv, b), "execve(envp)");
			EXPECT_EFAULT(RAW(SYS_execve, self, badv, envp), "execve(argv[0])");
			EXPECT_EFAULT(RAW(SYS_execve, self, argv, badv), "execve(envp[0])");
		}
	}
}

/* ---- faults that kill -------------------------------------------------------- */

/* the empty asm hides the address from the compiler, which would object */
static void read_at(long addr)
{
	__asm__("" : "+r"(addr));
	(void)*(volatile char *)addr;
}

static void write_at(long addr)
{
	__asm__("" : "+r"(addr));
	*(volatile char *)addr = 1;
}

static void t_segv_null(void)
{
	expect_signal(run(read_at, 0), SIGSEGV, "reading address 0");
	expect_signal(run(write_at, 16), SIGSEGV, "writing address 16");
}

static void t_segv_kernel(void)
{
	expect_signal(run(read_at, (long)KADDR), SIGSEGV, "reading kernel text");
	expect_signal(run(write_at, (long)KADDR), SIGSEGV, "writing kernel text");
	expect_signal(run(read_at, (long)0xffff888000000000UL), SIGSEGV, "reading the direct map");
	expect_signal(run(read_at, (long)NONCANON), SIGSEGV, "reading a non-canonical address");
}

static void t_segv_text(void)
{
	expect_signal(run(write_at, (long)(uintptr_t)&t_segv_text), SIGSEGV, "writing our own text");
	expect_signal(run(write_at, (long)(uintptr_t)"a string literal"), SIGSEGV,
		      "writing read-only data");
}

static void exec_data(long prot)
{
	unsigned char *p = (unsigned char *)map(PAGE, PROT_READ | PROT_WRITE);
	p[0] = 0xc3;			/* ret */
	if (prot != (PROT_READ | PROT_WRITE))
		CHECK(mprotect(p, PAGE, (int)prot) == 0, "mprotect: %s", strerror(errno));
	((void (*)(void))(uintptr_t)p)();
	_exit(0);
}

static void t_segv_nx(void)
{
	expect_signal(run(exec_data, PROT_READ | PROT_WRITE), SIGSEGV,
		      "calling into a page mapped without PROT_EXEC");
	expect_exit(run(exec_data, PROT_READ | PROT_EXEC), 0, "calling into a PROT_EXEC page");
}

static void *want_addr;
static int want_code;

static void check_segv_info(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	CHECK(sig == SIGSEGV, "the handler got signal %d", sig);
	CHECK(si->si_signo == SIGSEGV, "si_signo %d", si->si_signo);
	CHECK(si->si_addr == want_addr, "si_addr %p, expected %p", si->si_addr, want_addr);
	CHECK(si->si_code == want_code, "si_code %d, expected %d", si->si_code, want_code);
	_exit(0);	/* returning would fault again */
}

static void fault_with_handler(long write_text)
{
	struct sigaction sa = { .sa_sigaction = check_segv_info, .sa_flags = SA_SIGINFO };

	want_addr = write_text ? (void *)(uintptr_t)&fault_with_handler : (void *)0x10;
	want_code = write_text ? SEGV_ACCERR : SEGV_MAPERR;
	CHECK(sigaction(SIGSEGV, &sa, NULL) == 0, "sigaction: %s", strerror(errno));
	if (write_text)
		write_at((long)want_addr);
	else
		read_at((long)want_addr);
	fail("no fault at %p", want_addr);
}

static void t_segv_siginfo(void)
{
	expect_exit(run(fault_with_handler, 0), 0, "SIGSEGV handler for a read of 0x10 (SEGV_MAPERR)");
	expect_exit(run(fault_with_handler, 1), 0, "SIGSEGV handler for a write to text (SEGV_ACCERR)");
}

/* ---- stack ------------------------------------------------------------------- */

static long recurse(long depth)
{
	volatile char frame[4000];

	frame[0] = (char)depth;
	frame[sizeof frame - 1] = (char)depth;
	if (depth <= 1)
		return frame[0];
	return recurse(depth - 1) + frame[sizeof frame - 1];
}

static void deep_stack(long depth)
{
	long want = 0;

	for (long d = 1; d <= depth; d++)
		want += (char)d;
	CHECK(recurse(depth) == want, "recursion computed the wrong sum");
}

static void t_stack_growth(void)
{
	/* 512 frames of 4 KB: 2 MB, well inside Linux's default 8 MB RLIMIT_STACK */
	expect_exit(run(deep_stack, 512), 0, "2 MB of recursion");
}

static void t_stack_overflow(void)
{
	/* 64 MB of recursion: far past the 8 MB limit, it must die on the guard */
	int st = run(deep_stack, 16384);
	CHECK(!WIFEXITED(st), "64 MB of stack recursion did not fault: is the stack limited (8 MB)?");
	expect_signal(st, SIGSEGV, "64 MB of recursion");
}

/* ---- mmap, munmap, mprotect ---------------------------------------------------- */

#define MMAP(addr, len, prot, flags) RAW(SYS_mmap, addr, len, prot, flags, -1, 0)

static void t_mmap_args(void)
{
	char *p = map(2 * PAGE, PROT_READ | PROT_WRITE);
	long r;

	r = MMAP(p + 1, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED);
	CHECK(r == -EINVAL, "mmap(MAP_FIXED, unaligned address): %s, expected -EINVAL", res(r));
	r = MMAP(0, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS);
	CHECK(r == -EINVAL, "mmap(length 0): %s, expected -EINVAL", res(r));
	r = MMAP(0, PAGE, PROT_READ, MAP_ANONYMOUS);
	CHECK(r == -EINVAL, "mmap(neither MAP_PRIVATE nor MAP_SHARED): %s, expected -EINVAL", res(r));
	r = RAW(SYS_munmap, p + 1, PAGE);
	CHECK(r == -EINVAL, "munmap(unaligned): %s, expected -EINVAL", res(r));
	r = RAW(SYS_munmap, p, 0);
	CHECK(r == -EINVAL, "munmap(length 0): %s, expected -EINVAL", res(r));
	r = RAW(SYS_mprotect, p + 1, PAGE, PROT_READ);
	CHECK(r == -EINVAL, "mprotect(unaligned): %s, expected -EINVAL", res(r));
	r = MMAP(0, 1UL << 50, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS);
	CHECK(r == -ENOMEM, "mmap(1 PB): %s, expected -ENOMEM", res(r));
	r = MMAP(KADDR, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED);
	CHECK(r == -ENOMEM || r == -EINVAL, "mmap(MAP_FIXED in the kernel half): %s, "
	      "expected -ENOMEM or -EINVAL", res(r));
	CHECK(writable(p) && writable(p + PAGE), "the first mapping was damaged");
	CHECK(munmap(p, 2 * PAGE) == 0, "munmap: %s", strerror(errno));
}

static void t_mmap_anon(void)
{
	const size_t len = 64 * PAGE;
	char *p = map(len, PROT_READ | PROT_WRITE);

	for (size_t i = 0; i < len; i++)
		CHECK(p[i] == 0, "fresh anonymous memory is not zero at offset %zu", i);
	for (size_t i = 0; i < len; i += 64)
		p[i] = (char)(i / 64);
	for (size_t i = 0; i < len; i += 64)
		CHECK(p[i] == (char)(i / 64), "anonymous memory lost a write at offset %zu", i);
	CHECK(munmap(p, len) == 0, "munmap: %s", strerror(errno));
	CHECK(!readable(p) && !readable(p + len - 1), "memory still mapped after munmap");
	/* unmapping what is not mapped is not an error */
	CHECK(munmap(p, len) == 0, "munmap of an unmapped range: %s", strerror(errno));
}

static void t_mmap_fixed(void)
{
	char *p = map(3 * PAGE, PROT_READ | PROT_WRITE);

	memset(p, 'A', 3 * PAGE);
	long r = MMAP(p + PAGE, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED);
	CHECK(r == (long)(p + PAGE), "mmap(MAP_FIXED over a mapping): %s, expected %p", res(r), p + PAGE);
	CHECK(p[0] == 'A' && p[PAGE - 1] == 'A', "the page before the replaced one changed");
	CHECK(p[2 * PAGE] == 'A' && p[3 * PAGE - 1] == 'A', "the page after the replaced one changed");
	for (size_t i = 0; i < PAGE; i++)
		CHECK(p[PAGE + i] == 0, "the replacing mapping is not zero-filled at offset %zu", i);
	p[PAGE] = 'B';
	CHECK(munmap(p, 3 * PAGE) == 0, "munmap: %s", strerror(errno));
}

static void t_munmap_split(void)
{
	char *p = map(5 * PAGE, PROT_READ | PROT_WRITE);

	for (int i = 0; i < 5; i++)
		memset(p + i * PAGE, '0' + i, PAGE);
	CHECK(munmap(p + 2 * PAGE, PAGE) == 0, "munmap(middle page): %s", strerror(errno));
	CHECK(!readable(p + 2 * PAGE) && !readable(p + 3 * PAGE - 1), "the unmapped middle is readable");
	expect_signal(run(read_at, (long)(p + 2 * PAGE)), SIGSEGV, "reading the unmapped middle page");
	for (int i = 0; i < 5; i++) {
		if (i == 2)
			continue;
		CHECK(p[i * PAGE] == '0' + i && p[i * PAGE + PAGE - 1] == '0' + i,
		      "page %d lost its contents when the middle was unmapped", i);
		CHECK(writable(p + i * PAGE), "page %d is no longer writable", i);
	}
	/* split again: the first page of the upper part, then the lower part's end */
	CHECK(munmap(p + 3 * PAGE, PAGE) == 0, "munmap(page 3): %s", strerror(errno));
	CHECK(munmap(p + PAGE, PAGE) == 0, "munmap(page 1): %s", strerror(errno));
	CHECK(p[0] == '0' && p[4 * PAGE] == '4', "the remaining pages lost their contents");
	CHECK(!readable(p + PAGE) && !readable(p + 3 * PAGE), "unmapped pages are readable");
	CHECK(munmap(p, 5 * PAGE) == 0, "munmap(everything, holes included): %s", strerror(errno));
	CHECK(!readable(p) && !readable(p + 4 * PAGE), "pages readable after the final munmap");
}

static void t_mprotect(void)
{
	char *p = map(3 * PAGE, PROT_READ | PROT_WRITE);

	memset(p, 'x', 3 * PAGE);
	CHECK(mprotect(p + PAGE, PAGE, PROT_READ) == 0, "mprotect(PROT_READ): %s", strerror(errno));
	CHECK(p[PAGE] == 'x', "a read-only page lost its contents");
	CHECK(readable(p + PAGE) && !writable(p + PAGE), "a PROT_READ page is writable by the kernel");
	CHECK(writable(p) && writable(p + 2 * PAGE), "pages beside the read-only one are not writable");
	expect_signal(run(write_at, (long)(p + PAGE)), SIGSEGV, "writing a PROT_READ page");
	CHECK(mprotect(p + PAGE, PAGE, PROT_NONE) == 0, "mprotect(PROT_NONE): %s", strerror(errno));
	CHECK(!readable(p + PAGE), "a PROT_NONE page is readable by the kernel");
	expect_signal(run(read_at, (long)(p + PAGE)), SIGSEGV, "reading a PROT_NONE page");
	CHECK(mprotect(p, 3 * PAGE, PROT_READ | PROT_WRITE) == 0, "mprotect(back to RW): %s",
	      strerror(errno));
	CHECK(p[PAGE] == 'x', "the page lost its contents across PROT_NONE");
	p[PAGE] = 'y';
	CHECK(munmap(p, 3 * PAGE) == 0, "munmap: %s", strerror(errno));
}

/* ---- brk ------------------------------------------------------------------------ */

static void t_brk(void)
{
	char *cur = (char *)RAW(SYS_brk, 0);
	char *base = (char *)(((uintptr_t)cur + PAGE - 1) & ~(PAGE - 1));
	const size_t grow = 16 * PAGE;
	char *r;

	CHECK((long)cur > 0, "brk(0) returned %s", res((long)cur));
	r = (char *)RAW(SYS_brk, base + grow);
	CHECK(r == base + grow, "brk(+64 KB) returned %p, expected %p", r, base + grow);
	for (size_t i = 0; i < grow; i++)
		CHECK(base[i] == 0, "new heap memory is not zero at offset %zu", i);
	memset(base, 0x5a, grow);
	r = (char *)RAW(SYS_brk, base + PAGE);
	CHECK(r == base + PAGE, "brk(shrink) returned %p, expected %p", r, base + PAGE);
	CHECK(base[0] == 0x5a, "shrinking the heap lost the memory below the break");
	CHECK(!readable(base + 2 * PAGE), "the heap above the break is still mapped after shrinking");
	r = (char *)RAW(SYS_brk, base + grow);
	CHECK(r == base + grow, "brk(regrow) returned %p, expected %p", r, base + grow);
	CHECK(base[PAGE - 1] == 0x5a, "regrowing the heap changed the page that was kept");
	for (size_t i = PAGE; i < grow; i++)
		CHECK(base[i] == 0, "regrown heap memory is not zero at offset %zu (stale data)", i);
	r = (char *)RAW(SYS_brk, (char *)PAGE);
	CHECK(r == base + grow, "brk(below the heap start) moved the break to %p", r);
	r = (char *)RAW(SYS_brk, base + (1UL << 46));
	CHECK(r == base + grow, "brk(+64 TB) moved the break to %p", r);
	r = (char *)RAW(SYS_brk, cur);
	CHECK(r == cur, "brk(back to start) returned %p, expected %p", r, cur);
}

/* ---- fork, exec, wait ---------------------------------------------------------------- */

static void t_fork_exit(void)
{
	static const int codes[] = { 0, 1, 42, 127, 255 };

	for (unsigned i = 0; i < sizeof codes / sizeof codes[0]; i++)
		expect_exit(run(exit_now, codes[i]), codes[i], "a child's _exit()");
	expect_exit(run(exit_now, 256 + 3), 3, "_exit(259)");
	no_children_left();
}

static void t_wait(void)
{
	int fds[2], st;
	char c;

	CHECK(waitpid(-1, &st, WNOHANG) < 0 && errno == ECHILD, "waitpid with no children: not ECHILD");
	CHECK(pipe(fds) == 0, "pipe: %s", strerror(errno));
	pid_t parent = getpid();
	pid_t a = fork();
	CHECK(a >= 0, "fork: %s", strerror(errno));
	if (a == 0) {	/* waits for the pipe to close, then checks getppid() */
		close(fds[1]);
		if (read(fds[0], &c, 1) != 0)
			_exit(10);
		_exit(getppid() == parent ? 7 : 11);
	}
	close(fds[0]);
	pid_t b = spawn(exit_now, 8);
	CHECK(waitpid(a, &st, WNOHANG) == 0, "waitpid(WNOHANG) on a running child did not return 0");
	CHECK(waitpid(b, &st, 0) == b, "waitpid(b): %s", strerror(errno));
	expect_exit(st, 8, "child b");
	close(fds[1]);
	CHECK(waitpid(-1, &st, 0) == a, "waitpid(-1) did not return the remaining child");
	expect_exit(st, 7, "child a (getppid() must be the parent)");
	CHECK(waitpid(a, &st, 0) < 0 && errno == ECHILD, "reaped child could be waited for again");
	CHECK(waitpid(getpid() + 100000, &st, 0) < 0 && errno == ECHILD,
	      "waitpid for a process that is not our child: not ECHILD");
}

/* block until killed (nanosleep: pause() is not among the calls Folio promises) */
static void sleep_forever(void)
{
	for (;;)
		sleep(1000);
}

static void die_by(long sig)
{
	kill(getpid(), (int)sig);
	sleep_forever();
}

static void t_wait_signal(void)
{
	static const int sigs[] = { SIGTERM, SIGKILL, SIGUSR1, SIGINT, SIGHUP };
	int st;

	for (unsigned i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
		st = run(die_by, sigs[i]);
		CHECK(WIFSIGNALED(st) && !WIFEXITED(st), "kill(self, %d): %s, expected WIFSIGNALED",
		      sigs[i], describe(st));
		expect_signal(st, sigs[i], "a child killing itself");
	}
}

static void t_exec(void)
{
	int st;
	pid_t pid = fork();

	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		char *argv[] = { (char *)self, "--child", "exit", "37", NULL };
		char *envp[] = { "USERTESTS=1", NULL };
		execve(self, argv, envp);
		fail("execve(%s): %s", self, strerror(errno));
	}
	st = reap(pid);
	expect_exit(st, 37, "exec'd child");

	char *argv[] = { "/nonexistent/program", NULL };
	long r = RAW(SYS_execve, argv[0], argv, environ);
	CHECK(r == -ENOENT, "execve of a missing file returned %s, expected -ENOENT", res(r));
	r = RAW(SYS_execve, "/", argv, environ);
	CHECK(r == -EACCES, "execve of a directory returned %s, expected -EACCES", res(r));
}

static void vfork_child(void)
{
	pid_t pid = vfork();
	if (pid == 0)
		_exit(9);
	CHECK(pid > 0, "vfork: %s", strerror(errno));
	expect_exit(reap(pid), 9, "vfork child");
}

static void t_vfork(void)
{
	vfork_child();
	pid_t pid = vfork();	/* and through exec */
	if (pid == 0) {
		char *argv[] = { (char *)self, "--child", "exit", "12", NULL };
		execve(self, argv, environ);
		_exit(99);
	}
	CHECK(pid > 0, "vfork: %s", strerror(errno));
	expect_exit(reap(pid), 12, "vfork + exec child");
}

/* ---- copy-on-write ------------------------------------------------------------------- */

static char cow_data[3 * 4096] = { 1 };	/* .data */
static char cow_bss[3 * 4096];		/* .bss */

static int all(const char *p, size_t len, char c)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] != c)
			return 0;
	return 1;
}

static void t_cow(void)
{
	const size_t heap_len = 1 << 20;
	char *heap = map(heap_len, PROT_READ | PROT_WRITE);
	char stack[8192];
	int to_child[2], to_parent[2];
	char c;

	memset(heap, 'P', heap_len);
	memset(stack, 'P', sizeof stack);
	memset(cow_data, 'P', sizeof cow_data);
	memset(cow_bss, 'P', sizeof cow_bss);
	CHECK(pipe(to_child) == 0 && pipe(to_parent) == 0, "pipe: %s", strerror(errno));
	pid_t pid = fork();
	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		CHECK(all(heap, heap_len, 'P') && all(stack, sizeof stack, 'P') &&
		      all(cow_data, sizeof cow_data, 'P') && all(cow_bss, sizeof cow_bss, 'P'),
		      "the child does not see the parent's memory");
		memset(heap, 'C', heap_len);	/* child writes first */
		memset(stack, 'C', sizeof stack);
		memset(cow_data, 'C', sizeof cow_data);
		memset(cow_bss, 'C', sizeof cow_bss);
		CHECK(write(to_parent[1], "w", 1) == 1, "pipe write");
		CHECK(read(to_child[0], &c, 1) == 1, "pipe read");	/* parent wrote too */
		CHECK(all(heap, heap_len, 'C') && all(stack, sizeof stack, 'C') &&
		      all(cow_data, sizeof cow_data, 'C') && all(cow_bss, sizeof cow_bss, 'C'),
		      "the parent's writes after fork showed up in the child");
		_exit(0);
	}
	CHECK(read(to_parent[0], &c, 1) == 1, "pipe read");
	CHECK(all(heap, heap_len, 'P') && all(stack, sizeof stack, 'P') &&
	      all(cow_data, sizeof cow_data, 'P') && all(cow_bss, sizeof cow_bss, 'P'),
	      "the child's writes showed up in the parent");
	memset(heap, 'Q', heap_len);		/* now the parent writes */
	memset(stack, 'Q', sizeof stack);
	memset(cow_data, 'Q', sizeof cow_data);
	memset(cow_bss, 'Q', sizeof cow_bss);
	CHECK(write(to_child[1], "w", 1) == 1, "pipe write");
	expect_exit(reap(pid), 0, "the child");
	CHECK(all(heap, heap_len, 'Q') && all(cow_data, sizeof cow_data, 'Q'),
	      "the parent lost its own writes");
}

static void t_cow_chain(void)
{
	/* a page shared by three generations: each writer gets its own copy */
	char *p = map(PAGE, PROT_READ | PROT_WRITE);
	int st;

	p[0] = 'A';
	pid_t pid = fork();
	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		pid_t gc = fork();
		CHECK(gc >= 0, "fork: %s", strerror(errno));
		if (gc == 0) {
			CHECK(p[0] == 'A', "the grandchild does not see 'A'");
			p[0] = 'G';
			_exit(0);
		}
		expect_exit(reap(gc), 0, "grandchild");
		CHECK(p[0] == 'A', "the grandchild's write reached the child");
		p[0] = 'C';
		_exit(0);
	}
	st = reap(pid);
	expect_exit(st, 0, "child");
	CHECK(p[0] == 'A', "the descendants' writes reached the parent");
	p[0] = 'P';
}

/* ---- exec of malformed ELF files --------------------------------------------------------- */

struct tiny_elf {
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	unsigned char code[12];
} __attribute__((packed));

#define TINY_BASE 0x400000UL
#define TINY_STATUS 123

/* a complete static ELF64 executable that does exit(123) */
static void tiny_elf(struct tiny_elf *e)
{
	static const unsigned char code[12] = {
		0xb8, 0x3c, 0x00, 0x00, 0x00,		/* mov $60, %eax  (exit) */
		0xbf, TINY_STATUS, 0x00, 0x00, 0x00,	/* mov $123, %edi */
		0x0f, 0x05,				/* syscall */
	};

	memset(e, 0, sizeof *e);
	memcpy(e->eh.e_ident, ELFMAG, SELFMAG);
	e->eh.e_ident[EI_CLASS] = ELFCLASS64;
	e->eh.e_ident[EI_DATA] = ELFDATA2LSB;
	e->eh.e_ident[EI_VERSION] = EV_CURRENT;
	e->eh.e_type = ET_EXEC;
	e->eh.e_machine = EM_X86_64;
	e->eh.e_version = EV_CURRENT;
	e->eh.e_entry = TINY_BASE + offsetof(struct tiny_elf, code);
	e->eh.e_phoff = sizeof e->eh;
	e->eh.e_ehsize = sizeof e->eh;
	e->eh.e_phentsize = sizeof e->ph;
	e->eh.e_phnum = 1;
	e->ph.p_type = PT_LOAD;
	e->ph.p_flags = PF_R | PF_X;
	e->ph.p_offset = 0;
	e->ph.p_vaddr = e->ph.p_paddr = TINY_BASE;
	e->ph.p_filesz = e->ph.p_memsz = sizeof *e;
	e->ph.p_align = PAGE;
	memcpy(e->code, code, sizeof code);
}

static void write_file(const char *path, const void *buf, size_t len, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	CHECK(fd >= 0, "creating %s: %s", path, strerror(errno));
	CHECK(write(fd, buf, len) == (ssize_t)len, "writing %s: %s", path, strerror(errno));
	CHECK(close(fd) == 0, "closing %s: %s", path, strerror(errno));
}

/*
 * Write buf to a file in /tmp and exec it in a child. Returns the errno execve
 * failed with, or 0 if it did not return; *status is the child's wait status.
 */
static int try_exec(const void *buf, size_t len, int *status)
{
	char path[64];
	int fds[2], err = 0;

	snprintf(path, sizeof path, "/tmp/usertests-elf-%d", (int)getpid());
	write_file(path, buf, len, 0755);
	CHECK(pipe2(fds, O_CLOEXEC) == 0, "pipe2: %s", strerror(errno));
	pid_t pid = fork();
	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		char *argv[] = { path, NULL };
		long r = RAW(SYS_execve, path, argv, environ);
		err = (int)-r;
		if (write(fds[1], &err, sizeof err) != sizeof err)	/* and the caller carries on: */
			_exit(20);
		_exit(getpid() > 0 ? 0 : 21);
	}
	close(fds[1]);
	if (read(fds[0], &err, sizeof err) != sizeof err)
		err = 0;
	close(fds[0]);
	*status = reap(pid);
	CHECK(unlink(path) == 0, "unlink %s: %s", path, strerror(errno));
	return err;
}

enum elf_bad { ELF_VALID, ELF_MAGIC, ELF_CLASS, ELF_MACHINE, ELF_TRUNC_HDR, ELF_TRUNC_PHDR,
	       ELF_NO_PHDR, ELF_FILESZ, ELF_KERNEL, ELF_NONCANON };

/*
 * Linux checks p_filesz <= p_memsz and where segments go only after its point of
 * no return (the old address space is gone), so there the caller is killed
 * (SIGSEGV, or SIGKILL) instead of getting the error back. Folio validates first.
 * And Linux's ELF loader ignores e_ident[EI_CLASS] (a 64-bit layout with
 * ELFCLASS32 runs); Folio must refuse it. Only on Linux are these let through.
 */
static void exec_malformed(enum elf_bad how, const char *what, int linux_kills)
{
	struct tiny_elf e;
	size_t len = sizeof e;
	int st, err;

	tiny_elf(&e);
	switch (how) {
	case ELF_VALID: break;
	case ELF_MAGIC: e.eh.e_ident[EI_MAG1] = 'X'; break;
	case ELF_CLASS: e.eh.e_ident[EI_CLASS] = ELFCLASS32; break;	/* Linux runs it: below */
	case ELF_MACHINE: e.eh.e_machine = EM_AARCH64; break;
	case ELF_TRUNC_HDR: len = 40; break;
	case ELF_TRUNC_PHDR: len = sizeof e.eh + 20; break;
	case ELF_NO_PHDR: e.eh.e_phnum = 0; break;
	case ELF_FILESZ: e.ph.p_memsz = 16; break;
	case ELF_KERNEL:
		e.ph.p_vaddr = e.ph.p_paddr = KADDR;
		e.eh.e_entry = KADDR + offsetof(struct tiny_elf, code);
		break;
	case ELF_NONCANON:
		e.ph.p_vaddr = e.ph.p_paddr = 0x0000800000000000UL - PAGE;
		e.ph.p_memsz = 2 * PAGE;	/* runs over the top of user space */
		break;
	}
	err = try_exec(&e, len, &st);
	if (how == ELF_VALID) {
		CHECK(err == 0, "exec of a valid tiny ELF failed: %s", strerror(err));
		expect_exit(st, TINY_STATUS, "the tiny ELF");
		return;
	}
	if (err == 0 && on_linux && linux_kills && WIFSIGNALED(st) &&
	    (WTERMSIG(st) == SIGSEGV || WTERMSIG(st) == SIGKILL)) {
		note("%s: Linux killed the caller (%s): allowed on Linux only", what, describe(st));
		return;
	}
	if (err == 0 && on_linux && how == ELF_CLASS && WIFEXITED(st) && WEXITSTATUS(st) == TINY_STATUS) {
		note("%s: Linux ran it (it ignores EI_CLASS): allowed on Linux only", what);
		return;
	}
	if (err)
		note("%s: %s", what, strerror(err));
	CHECK(err != 0, "exec of an ELF with %s did not fail: the caller %s", what, describe(st));
	CHECK(err == ENOEXEC || err == EINVAL,
	      "exec of an ELF with %s failed with %s, expected ENOEXEC or EINVAL", what, strerror(err));
	expect_exit(st, 0, "the caller after the failed exec");
}

static void t_exec_elf_valid(void) { exec_malformed(ELF_VALID, "nothing wrong", 0); }
static void t_exec_elf_magic(void) { exec_malformed(ELF_MAGIC, "bad magic", 0); }
static void t_exec_elf_class(void) { exec_malformed(ELF_CLASS, "class ELFCLASS32", 0); }
static void t_exec_elf_machine(void) { exec_malformed(ELF_MACHINE, "machine EM_AARCH64", 0); }
static void t_exec_elf_truncated(void)
{
	exec_malformed(ELF_TRUNC_HDR, "a truncated header", 0);
	exec_malformed(ELF_TRUNC_PHDR, "a truncated program header table", 0);
	exec_malformed(ELF_NO_PHDR, "no program headers", 0);
}
static void t_exec_elf_filesz(void) { exec_malformed(ELF_FILESZ, "p_filesz > p_memsz", 1); }
static void t_exec_elf_kernel(void)
{
	exec_malformed(ELF_KERNEL, "a segment in the kernel half", 1);
	exec_malformed(ELF_NONCANON, "a segment running past the top of user space", 1);
}

/* ---- argv and envp ------------------------------------------------------------------------- */

#define BIG_N 48
#define BIG_LEN 1500	/* 48 x 1.5 KB each of argv and envp: 144 KB */

static void big_string(char *s, int i, int env)
{
	int n = snprintf(s, BIG_LEN, "%s%d=", env ? "BIG" : "arg", i);
	memset(s + n, 'a' + i % 26, BIG_LEN - 1 - n);
	s[BIG_LEN - 1] = 0;
}

/* the exec'd side: check what arrived */
static int child_bigargs(int argc, char **argv, char **envp)
{
	char want[BIG_LEN];
	int nenv = 0;

	if (argc != 3 + BIG_N)
		return 1;
	for (int i = 0; i < BIG_N; i++) {
		big_string(want, i, 0);
		if (strcmp(argv[3 + i], want) != 0)
			return 2;
	}
	for (char **e = envp; *e; e++) {
		if (strncmp(*e, "BIG", 3) != 0)
			continue;
		big_string(want, nenv, 1);
		if (strcmp(*e, want) != 0)
			return 3;
		nenv++;
	}
	return nenv == BIG_N ? 0 : 4;
}

static void t_exec_bigargs(void)
{
	char **argv = calloc(BIG_N + 4, sizeof *argv);
	char **envp = calloc(BIG_N + 1, sizeof *envp);

	CHECK(argv && envp, "calloc failed");
	argv[0] = (char *)self;
	argv[1] = "--child";
	argv[2] = "bigargs";
	for (int i = 0; i < BIG_N; i++) {
		argv[3 + i] = malloc(BIG_LEN);
		envp[i] = malloc(BIG_LEN);
		CHECK(argv[3 + i] && envp[i], "malloc failed");
		big_string(argv[3 + i], i, 0);
		big_string(envp[i], i, 1);
	}
	pid_t pid = fork();
	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		execve(self, argv, envp);
		fail("execve with 144 KB of arguments and environment: %s", strerror(errno));
	}
	int st = reap(pid);
	CHECK(!(WIFEXITED(st) && WEXITSTATUS(st) > 0 && WEXITSTATUS(st) < 5),
	      "the exec'd program received wrong arguments (check %d failed)", WEXITSTATUS(st));
	expect_exit(st, 0, "the exec'd program");
}

/* If one of these execs wrongly succeeds, the program exits 77: see the status. */
static void t_exec_e2big(void)
{
	const size_t one = 1 << 20, each = 32 << 10;
	const int many = 2048;		/* 2048 x 32 KB = 64 MB in all */
	char *huge = malloc(one), **argv = calloc(many + 5, sizeof *argv);
	char *small[] = { (char *)self, "--child", "exit", "77", NULL };
	long r;

	CHECK(huge && argv, "malloc failed");
	memset(huge, 'h', one - 1);
	huge[one - 1] = 0;
	memcpy(argv, small, 4 * sizeof *argv);
	argv[4] = huge;
	r = RAW(SYS_execve, self, argv, environ);
	CHECK(r == -E2BIG, "execve with a 1 MB argument returned %s, expected -E2BIG", res(r));
	huge[each - 1] = 0;		/* now every argument is the same 32 KB string */
	for (int i = 4; i < many + 4; i++)
		argv[i] = huge;
	r = RAW(SYS_execve, self, argv, environ);
	CHECK(r == -E2BIG, "execve with 64 MB of arguments returned %s, expected -E2BIG", res(r));
	r = RAW(SYS_execve, self, small, argv + 4);
	CHECK(r == -E2BIG, "execve with 64 MB of environment returned %s, expected -E2BIG", res(r));
	free(argv);
	free(huge);
}

/* ---- signals ---------------------------------------------------------------------------- */

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

static int child_sigcheck(void)
{
	struct sigaction sa;

	if (sigaction(SIGUSR2, NULL, &sa) != 0 || sa.sa_handler != SIG_IGN)
		return 1;
	if (sigaction(SIGHUP, NULL, &sa) != 0 || sa.sa_handler != SIG_DFL)
		return 2;
	return 0;
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

/* ---- threads ------------------------------------------------------------------------------ */

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

/* ---- process limits --------------------------------------------------------------------------- */

#define FORKBOMB_CAP 50000

static void t_forkbomb(void)
{
	int fds[2];
	long n = 0;
	int err = 0;
	char c;

	CHECK(pipe(fds) == 0, "pipe: %s", strerror(errno));
	for (;;) {
		pid_t pid = fork();
		if (pid == 0) {	/* wait for the end of the pipe, then go */
			close(fds[1]);
			_exit(read(fds[0], &c, 1) == 0 ? 0 : 1);
		}
		if (pid < 0) {
			err = errno;
			break;
		}
		if (++n == FORKBOMB_CAP)
			break;
	}
	close(fds[1]);
	long reaped = 0, bad = 0;
	int st;
	while (wait(&st) > 0) {
		reaped++;
		bad += !(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	CHECK(errno == ECHILD, "wait: %s", strerror(errno));
	CHECK(n < FORKBOMB_CAP, "%d forks succeeded: fork never fails?", FORKBOMB_CAP);
	CHECK(err == EAGAIN || err == ENOMEM, "fork failed with %s, expected EAGAIN or ENOMEM",
	      strerror(err));
	CHECK(n > 0, "not a single fork succeeded");
	CHECK(reaped == n, "forked %ld children, reaped %ld", n, reaped);
	CHECK(bad == 0, "%ld of %ld children did not exit cleanly", bad, n);
	note("%ld children, then fork failed with %s", n, strerror(err));
	/* and the system works again */
	expect_exit(run(exit_now, 3), 3, "a fork after the flood");
}

static void spin(long unused)
{
	(void)unused;
	for (volatile unsigned long i = 0;; i++)
		;
}

static void t_cpu_hog(void)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	pid_t hog = spawn(spin, 0);

	for (int i = 0; i < 5; i++)	/* we must be woken although the hog never sleeps */
		CHECK(nanosleep(&ts, NULL) == 0, "nanosleep: %s", strerror(errno));
	expect_exit(run(exit_now, 4), 4, "a child started beside the hog");
	CHECK(kill(hog, SIGKILL) == 0, "kill: %s", strerror(errno));
	expect_signal(reap(hog), SIGKILL, "the CPU hog");
}

/* ---- pipes and files ----------------------------------------------------------------------------- */

#define PIPE_BYTES (256 * 1024)

static unsigned char pattern(size_t i)
{
	return (unsigned char)(i * 7 + i / 251);
}

static void t_pipe_data(void)
{
	int fds[2];
	static unsigned char buf[8192];

	CHECK(pipe(fds) == 0, "pipe: %s", strerror(errno));
	pid_t pid = fork();
	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {		/* writes in odd-sized chunks */
		close(fds[0]);
		size_t off = 0, chunk = 1;
		while (off < PIPE_BYTES) {
			size_t len = chunk < PIPE_BYTES - off ? chunk : PIPE_BYTES - off;
			for (size_t i = 0; i < len; i++)
				buf[i] = pattern(off + i);
			CHECK(write(fds[1], buf, len) == (ssize_t)len, "write: %s", strerror(errno));
			off += len;
			chunk = chunk * 3 % 8191 + 1;
		}
		_exit(0);
	}
	close(fds[1]);
	size_t got = 0;
	ssize_t n;
	while ((n = read(fds[0], buf, sizeof buf)) > 0) {
		for (ssize_t i = 0; i < n; i++)
			CHECK(buf[i] == pattern(got + i), "byte %zu is %#x, expected %#x", got + i,
			      buf[i], pattern(got + i));
		got += n;
	}
	CHECK(n == 0, "read: %s", strerror(errno));
	CHECK(got == PIPE_BYTES, "read %zu bytes, expected %d", got, PIPE_BYTES);
	expect_exit(reap(pid), 0, "the writer");
	close(fds[0]);
}

static void t_pipe_eof(void)
{
	int fds[2], st;
	char c;

	CHECK(pipe(fds) == 0, "pipe: %s", strerror(errno));
	pid_t pid = fork();		/* holds a copy of the write end, then exits */
	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0)
		_exit(write(fds[1], "a", 1) == 1 ? 0 : 1);
	close(fds[1]);
	CHECK(read(fds[0], &c, 1) == 1 && c == 'a', "did not read the child's byte");
	st = reap(pid);
	expect_exit(st, 0, "the writer");
	CHECK(read(fds[0], &c, 1) == 0, "no EOF once every write end is closed");
	CHECK(read(fds[0], &c, 1) == 0, "EOF does not repeat");
	close(fds[0]);
}

static void write_to_closed_pipe(long ignore)
{
	int fds[2];

	if (ignore)
		signal(SIGPIPE, SIG_IGN);
	CHECK(pipe(fds) == 0, "pipe: %s", strerror(errno));
	close(fds[0]);
	ssize_t n = write(fds[1], "x", 1);
	CHECK(ignore, "write to a pipe without readers returned %zd: no SIGPIPE", n);
	CHECK(n < 0 && errno == EPIPE, "write to a pipe without readers returned %zd (%s), "
	      "expected EPIPE", n, strerror(errno));
}

static void t_pipe_epipe(void)
{
	expect_signal(run(write_to_closed_pipe, 0), SIGPIPE, "writing to a pipe without readers");
	expect_exit(run(write_to_closed_pipe, 1), 0, "the same with SIGPIPE ignored");
}

static void t_fd_cloexec(void)
{
	int keep[2], drop[2];
	char fdarg[2][16];

	CHECK(pipe(keep) == 0 && pipe2(drop, O_CLOEXEC) == 0, "pipe: %s", strerror(errno));
	int d = dup(keep[0]);
	CHECK(d >= 0 && dup2(keep[0], 20) == 20, "dup/dup2: %s", strerror(errno));
	CHECK(fcntl(drop[0], F_GETFD) == FD_CLOEXEC && fcntl(d, F_GETFD) == 0,
	      "FD_CLOEXEC flags wrong: O_CLOEXEC %d, dup %d", fcntl(drop[0], F_GETFD), fcntl(d, F_GETFD));
	snprintf(fdarg[0], 16, "%d", keep[0]);
	snprintf(fdarg[1], 16, "%d", drop[0]);
	pid_t pid = fork();
	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		char *argv[] = { (char *)self, "--child", "fdcheck", fdarg[0], fdarg[1], NULL };
		execve(self, argv, environ);
		_exit(99);
	}
	expect_exit(reap(pid), 0, "the exec'd child checking its descriptors (1: an O_CLOEXEC fd "
		    "survived exec, 2: a plain fd was closed)");
	close(20);
	close(d);
	close2(keep);
	close2(drop);
}

static int child_fdcheck(int keep, int drop)
{
	if (fcntl(keep, F_GETFD) < 0 || fcntl(20, F_GETFD) < 0)
		return 2;
	return fcntl(drop, F_GETFD) < 0 && errno == EBADF ? 0 : 1;
}

static void t_files(void)
{
	char path[80], dir[64], buf[64];
	struct stat st;

	snprintf(dir, sizeof dir, "/tmp/usertests-dir-%d", (int)getpid());
	snprintf(path, sizeof path, "%s/f", dir);
	CHECK(mkdir(dir, 0755) == 0, "mkdir %s: %s", dir, strerror(errno));
	CHECK(mkdir(dir, 0755) < 0 && errno == EEXIST, "mkdir of an existing directory: not EEXIST");
	int fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0644);
	CHECK(fd >= 0, "open(O_CREAT) %s: %s", path, strerror(errno));
	CHECK(write(fd, "hello, folio", 12) == 12, "write: %s", strerror(errno));
	CHECK(lseek(fd, 7, SEEK_SET) == 7, "lseek: %s", strerror(errno));
	CHECK(read(fd, buf, sizeof buf) == 5 && memcmp(buf, "folio", 5) == 0, "read after lseek");
	CHECK(fstat(fd, &st) == 0 && st.st_size == 12 && S_ISREG(st.st_mode), "fstat: size %ld",
	      (long)st.st_size);
	CHECK(close(fd) == 0, "close: %s", strerror(errno));
	CHECK(stat(dir, &st) == 0 && S_ISDIR(st.st_mode), "stat of the directory");
	CHECK(chdir(dir) == 0, "chdir: %s", strerror(errno));
	CHECK(getcwd(buf, sizeof buf) && strcmp(buf, dir) == 0, "getcwd: %s", buf);
	CHECK(access("f", R_OK) == 0, "access of a relative path: %s", strerror(errno));
	CHECK(rmdir(dir) < 0 && errno == ENOTEMPTY, "rmdir of a non-empty directory: not ENOTEMPTY");
	CHECK(unlink("f") == 0, "unlink: %s", strerror(errno));
	CHECK(open("f", O_RDONLY) < 0 && errno == ENOENT, "the unlinked file can still be opened");
	CHECK(chdir("/") == 0, "chdir /: %s", strerror(errno));
	CHECK(rmdir(dir) == 0, "rmdir: %s", strerror(errno));
	CHECK(stat(dir, &st) < 0 && errno == ENOENT, "the removed directory still exists");
}

static void t_dev_null_zero(void)
{
	char buf[256];
	int z = open("/dev/zero", O_RDONLY), n = open("/dev/null", O_RDWR);

	CHECK(z >= 0 && n >= 0, "open /dev/zero, /dev/null: %s", strerror(errno));
	memset(buf, 'x', sizeof buf);
	CHECK(read(z, buf, sizeof buf) == sizeof buf && all(buf, sizeof buf, 0), "/dev/zero");
	CHECK(write(n, buf, sizeof buf) == sizeof buf, "write /dev/null: %s", strerror(errno));
	CHECK(read(n, buf, sizeof buf) == 0, "read /dev/null is not EOF");
	close(z);
	close(n);
}

static void t_warmup(void)
{
	expect_exit(run(exit_now, 0), 0, "warm-up child");
}

/* ---- the table ----------------------------------------------------------------------------------- */

struct test {
	const char *name;
	void (*fn)(void);
};


/* ---- regressions for the review of the process code ---- */

/* A CLONE_SETTLS value that is not a user address is refused, not loaded at the next switch. */
static void t_clone_badtls(void)
{
	long r = RAW(SYS_clone, CLONE_VM | CLONE_SETTLS | SIGCHLD, 0, 0, 0, KADDR);
	if (r == 0)
		_exit(0);	/* (a kernel that accepted it: the child just leaves) */
	CHECK(r == -EPERM, "clone(CLONE_SETTLS, tls = a kernel address): %s, expected -EPERM", res(r));
	if (r > 0)
		reap(r);
}

/* Nothing can be mapped at address 0, so a NULL dereference always faults (vm.mmap_min_addr). */
static void t_mmap_low(void)
{
	/*
	 * on_linux: root (CAP_SYS_RAWIO) may map below mmap_min_addr; Folio keeps the
	 * unprivileged rule for everyone, so a NULL dereference always faults.
	 */
	long r = MMAP(0, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED);
	if (on_linux && r == 0) {
		munmap(0, PAGE);
		return;
	}
	CHECK(r == -EPERM, "mmap(MAP_FIXED at 0): %s, expected -EPERM", res(r));
	r = MMAP(0x1000, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED);
	CHECK(r == -EPERM, "mmap(MAP_FIXED at 0x1000): %s, expected -EPERM", res(r));
}

/* Shared memory stays shared through mprotect(PROT_READ) and back, and through MADV_DONTNEED. */
static void t_shared_mprotect(void)
{
	volatile int *shared = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int go[2], done[2];
	char c;

	CHECK(shared != MAP_FAILED, "mmap(MAP_SHARED|MAP_ANONYMOUS): %s", strerror(errno));
	CHECK(pipe(go) == 0 && pipe(done) == 0, "pipe: %s", strerror(errno));
	shared[0] = 1;
	pid_t pid = fork();
	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		if (read(go[0], &c, 1) != 1)
			_exit(2);
		_exit(shared[0] == 42 ? 0 : 1);
	}
	CHECK(mprotect((void *)shared, PAGE, PROT_READ) == 0, "mprotect(PROT_READ): %s", strerror(errno));
	CHECK(mprotect((void *)shared, PAGE, PROT_READ | PROT_WRITE) == 0, "mprotect(RW): %s", strerror(errno));
	madvise((void *)shared, PAGE, MADV_DONTNEED);
	shared[0] = 42;
	CHECK(write(go[1], "g", 1) == 1, "pipe write");
	int st = reap(pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the child saw %s after the parent wrote 42",
	      WIFEXITED(st) && WEXITSTATUS(st) == 1 ? "an old value" : "nothing");
	close(go[0]);
	close(go[1]);
	close(done[0]);
	close(done[1]);
	munmap((void *)shared, PAGE);
}

/* mlock of an unaligned buffer locks whole pages and leaves the mappings page-aligned. */
static void t_mlock_unaligned(void)
{
	char *p = map(4 * PAGE, PROT_READ | PROT_WRITE);

	CHECK(mlock(p + PAGE + 8, 16) == 0, "mlock(unaligned): %s", strerror(errno));
	CHECK(munlock(p + PAGE + 8, 16) == 0, "munlock(unaligned): %s", strerror(errno));
	char *q = map(PAGE, PROT_READ | PROT_WRITE);
	CHECK(((unsigned long)q & (PAGE - 1)) == 0, "a later mmap returned the unaligned %p", (void *)q);
	CHECK(munmap(p, 4 * PAGE) == 0 && munmap(q, PAGE) == 0, "munmap: %s", strerror(errno));
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

#define T(name) { #name, t_##name }
static const struct test tests[] = {
	T(fork_exit), T(wait), T(wait_signal), T(exec), T(vfork),
	T(cow), T(cow_chain),
	T(efault_read), T(efault_write), T(efault_open), T(efault_stat), T(efault_fstat),
	T(efault_pipe), T(efault_readv), T(efault_writev), T(efault_wait4), T(efault_sigaction),
	T(efault_time), T(efault_uname), T(efault_getcwd), T(efault_paths), T(efault_execve),
	T(segv_null), T(segv_kernel), T(segv_text), T(segv_nx), T(segv_siginfo),
	T(stack_growth), T(stack_overflow),
	T(mmap_args), T(mmap_anon), T(mmap_fixed), T(munmap_split), T(mprotect),
	T(brk),
	T(exec_elf_valid), T(exec_elf_magic), T(exec_elf_class), T(exec_elf_machine),
	T(exec_elf_truncated), T(exec_elf_filesz), T(exec_elf_kernel),
	T(exec_bigargs), T(exec_e2big),
	T(sig_handler), T(sig_nested), T(sig_regs), T(sig_mask), T(sig_kill), T(sig_default),
	T(sig_eintr), T(sig_restart), T(sigchld),
	T(threads), T(thread_exit_group),
	T(pipe_data), T(pipe_eof), T(pipe_epipe), T(fd_cloexec), T(files), T(dev_null_zero),
	T(clone_badtls), T(mmap_low), T(shared_mprotect), T(mlock_unaligned), T(cond_broadcast),
	T(cpu_hog), T(forkbomb),
};
#define NTESTS (sizeof tests / sizeof tests[0])

/* ---- the harness ------------------------------------------------------------------------------------- */

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

/* run one test; quiet: print nothing (the warm-up) */
static int run_test(const struct test *t, int quiet)
{
	char reason[512] = "";
	int fds[2], timed_out;

	if (pipe2(fds, O_CLOEXEC) != 0) {
		printf("test %s: FAILED (pipe: %s)\n", t->name, strerror(errno));
		return 0;
	}
	fflush(stdout);
	long long before = free_bytes();
	pid_t pid = fork();
	if (pid < 0) {
		printf("test %s: FAILED (fork: %s)\n", t->name, strerror(errno));
		close2(fds);
		return 0;
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
	int st = wait_test(pid, &timed_out);
	sweep(pid);
	ssize_t n = read(fds[0], reason, sizeof reason - 1);
	close(fds[0]);
	reason[n > 0 ? n : 0] = 0;
	reason[strcspn(reason, "\n")] = 0;	/* the first failure is the reason */

	long long after = free_bytes(), slack = slack_bytes();
	for (int i = 0; i < 50 && after + slack < before; i++) {	/* frees may lag a little */
		usleep(20000);
		after = free_bytes();
	}
	if (!reason[0]) {
		if (timed_out)
			snprintf(reason, sizeof reason, "timed out after %d s", TEST_TIMEOUT_S);
		else if (st == -1)
			snprintf(reason, sizeof reason, "waitpid: %s", strerror(errno));
		else if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			snprintf(reason, sizeof reason, "the test process: %s", describe(st));
		else if (before < 0 || after < 0)
			snprintf(reason, sizeof reason, "sysinfo: %s", strerror(errno));
		else if (after + slack < before)
			snprintf(reason, sizeof reason, "lost memory: free %lld KB before, %lld KB after "
				 "(%lld KB gone)", before >> 10, after >> 10, (before - after) >> 10);
	}
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
	return 98;
}

/* as pid 1: run the suite in a child, reap every orphan, exit with its status */
static int as_init(int argc, char **argv)
{
	int st;

	console_fds();
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

int main(int argc, char **argv)
{
	struct utsname u = { .sysname = "?" };
	const struct test *todo[NTESTS];
	size_t ntodo = 0;
	int passed = 0, failed = 0;

	if (argc < 1)
		return 99;
	if (strchr(argv[0], '/'))
		self = argv[0];
	if (argc >= 2 && strcmp(argv[1], "--child") == 0)
		return child_main(argc - 2, argv + 2);
	if (getpid() == 1)
		return as_init(argc, argv);
	on_linux = uname(&u) == 0 && strcmp(u.sysname, "Linux") == 0;
	setvbuf(stdout, NULL, _IOLBF, 0);

	if (argc >= 2 && strcmp(argv[1], "-v") == 0) {
		verbose = 1;
		argv++;
		argc--;
	}
	if (argc >= 2 && strcmp(argv[1], "-l") == 0) {
		for (size_t i = 0; i < NTESTS; i++)
			printf("%s\n", tests[i].name);
		return 0;
	}
	if (argc >= 2 && argv[1][0] == '-') {
		fprintf(stderr, "usage: usertests [-l] [-v] [NAME...]\n");
		return 2;
	}
	for (int a = 1; a < argc; a++) {
		size_t i;
		for (i = 0; i < NTESTS && strcmp(tests[i].name, argv[a]) != 0; i++)
			;
		if (i == NTESTS) {
			printf("test %s: FAILED (no such test; usertests -l lists them)\n", argv[a]);
			failed++;
		} else {
			todo[ntodo++] = &tests[i];
		}
	}
	if (argc == 1)
		for (size_t i = 0; i < NTESTS; i++)
			todo[ntodo++] = &tests[i];

	long long slack = slack_bytes();
	printf("usertests: %zu tests on %s %s; free memory checked %s", ntodo, u.sysname, u.release,
	       slack ? "within " : "exactly\n");
	if (slack)
		printf("%lld KB\n", slack >> 10);
	/*
	 * A warm-up through the whole harness first, so memory that our own first
	 * use allocates for good (stack and .bss pages of this process touched for
	 * the first time) is not blamed on the first test.
	 */
	static const struct test warmup = { "warmup", t_warmup };
	(void)describe(0);	/* (their static buffers are in .bss) */
	(void)res(0);
	run_test(&warmup, 1);
	for (size_t i = 0; i < ntodo; i++) {
		if (run_test(todo[i], 0))
			passed++;
		else
			failed++;
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
