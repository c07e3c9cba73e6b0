/*
 * Bad pointers: every system call that takes a user pointer returns -EFAULT
 * for NULL (where NULL is not allowed), a kernel address, a non-canonical
 * address, and a buffer that runs off the end of a mapping; nothing is
 * half-done and nothing crashes.
 */
#include "usertests.h"
#include <sys/utsname.h>
#include <time.h>

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

const struct test efault_tests[] = {
	T(efault_read), T(efault_write), T(efault_open), T(efault_stat), T(efault_fstat),
	T(efault_pipe), T(efault_readv), T(efault_writev), T(efault_wait4), T(efault_sigaction),
	T(efault_time), T(efault_uname), T(efault_getcwd), T(efault_paths), T(efault_execve),
	{ NULL },
};
