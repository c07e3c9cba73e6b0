/*
 * The helpers every usertests topic uses (usertests.h): failing a test,
 * children, and probing memory through the kernel.
 */
#include "usertests.h"

const char *self = "/bin/usertests";
int on_linux;
int result_fd = -1;
int verbose;

/* ---- reporting from inside a test ---- */

void fail(const char *fmt, ...)
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

void note(const char *fmt, ...)
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

const char *res(long r)
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

const char *describe(int st)
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

/* ---- children ---- */

pid_t spawn(void (*fn)(long), long arg)
{
	pid_t pid = fork();
	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		fn(arg);
		_exit(0);
	}
	return pid;
}

int reap(pid_t pid)
{
	int st;
	pid_t r;

	while ((r = waitpid(pid, &st, 0)) < 0 && errno == EINTR)
		;
	CHECK(r == pid, "waitpid(%d) returned %d: %s", (int)pid, (int)r, strerror(errno));
	return st;
}

int run(void (*fn)(long), long arg)
{
	return reap(spawn(fn, arg));
}

void expect_exit(int st, int code, const char *what)
{
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == code, "%s: %s, expected exit status %d",
	      what, describe(st), code);
}

void expect_signal(int st, int sig, const char *what)
{
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == sig, "%s: %s, expected to be killed by signal %d (%s)",
	      what, describe(st), sig, strsignal(sig));
}

void no_children_left(void)
{
	CHECK(waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD, "a child was left unreaped");
}

/* ---- memory: the kernel reads and writes through a pipe, and says EFAULT instead of faulting ---- */

static int probe_pipe[2] = { -1, -1 };

static void probe_init(void)
{
	if (probe_pipe[0] < 0)
		CHECK(pipe(probe_pipe) == 0, "pipe: %s", strerror(errno));
}

int readable(const void *p)
{
	char c;

	probe_init();
	if (RAW(SYS_write, probe_pipe[1], p, 1) != 1)
		return 0;
	CHECK(read(probe_pipe[0], &c, 1) == 1, "probe pipe read: %s", strerror(errno));
	return 1;
}

/* write the byte that is there back into it, through the kernel */
int writable(void *p)
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

char *map(size_t len, int prot)
{
	void *p = mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED, "mmap(%zu): %s", len, strerror(errno));
	return p;
}

long read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	size_t got = 0;
	long n = 0;

	if (fd < 0)
		return -errno;
	while (got + 1 < size && (n = read(fd, buf + got, size - 1 - got)) > 0)
		got += n;
	n = n < 0 ? -errno : (long)got;
	close(fd);
	buf[got] = 0;
	return n;
}

int write_file(const char *path, const char *str)
{
	int fd = open(path, O_WRONLY);
	int err = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, str, strlen(str)) < 0)
		err = -errno;
	close(fd);
	return err;
}

char stat_state(pid_t pid)
{
	char buf[1024], path[64];

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	if (read_file(path, buf, sizeof buf) <= 0)
		return 0;
	char *rp = strrchr(buf, ')');
	return rp && rp[1] == ' ' ? rp[2] : 0;
}

char wait_state(pid_t pid, const char *states)
{
	char st = stat_state(pid);

	for (int i = 0; i < 30000 && !(st && strchr(states, st)); i++) {
		usleep(1000);
		st = stat_state(pid);
	}
	return st;
}

void close2(int fds[2])
{
	close(fds[0]);
	close(fds[1]);
}

void exit_now(long code)
{
	_exit((int)code);
}

/* the empty asm hides the address from the compiler, which would object */
void read_at(long addr)
{
	__asm__("" : "+r"(addr));
	(void)*(volatile char *)addr;
}

void write_at(long addr)
{
	__asm__("" : "+r"(addr));
	*(volatile char *)addr = 1;
}

/* block until killed (nanosleep: pause() is not among the calls Folio promises) */
void sleep_forever(void)
{
	for (;;)
		sleep(1000);
}

void sleep_forever_arg(long unused)
{
	(void)unused;
	sleep_forever();
}

void die_by(long sig)
{
	kill(getpid(), (int)sig);
	sleep_forever();
}

int all_bytes(const char *p, size_t len, char c)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] != c)
			return 0;
	return 1;
}

/* This process's VMAs: the lines of its maps but [vsyscall], which Linux shows and does not count. */
int vma_count(void)
{
	static char buf[65536];
	int n = 0;

	CHECK(read_file("/proc/self/maps", buf, sizeof buf) > 0, "read maps: %s", strerror(errno));
	for (char *p = buf; (p = strchr(p, '\n')); p++)
		n++;
	return n - (strstr(buf, "[vsyscall]") != NULL);
}
