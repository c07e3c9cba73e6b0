/*
 * usertests: eventfd(2) and eventfd2(2), as Linux has them: the 64-bit
 * counter that write() adds to and read() takes (all of it, or one with
 * EFD_SEMAPHORE), blocking and EAGAIN at both ends, poll(), the flags and
 * their errors, and what fstat(), /proc/PID/fd and fdinfo say of one.
 */
#include "usertests.h"
#include <poll.h>
#include <sys/eventfd.h>

static long efd_read(int fd, uint64_t *v)
{
	return RAW(SYS_read, fd, v, sizeof *v);
}

static long efd_write(int fd, uint64_t v)
{
	return RAW(SYS_write, fd, &v, sizeof v);
}

/* The counter: its start value, reads that take it, writes that add, the limits, and sizes below 8. */
static void t_eventfd_counter(void)
{
	int fd = eventfd(5, EFD_NONBLOCK);
	uint64_t v = 0;

	CHECK(fd >= 0, "eventfd: %s", strerror(errno));
	CHECK(efd_read(fd, &v) == 8 && v == 5, "first read: %llu", (unsigned long long)v);
	CHECK(efd_read(fd, &v) == -EAGAIN, "a read of zero without blocking: not EAGAIN");
	CHECK(efd_write(fd, 3) == 8 && efd_write(fd, 4) == 8, "writes");
	CHECK(efd_read(fd, &v) == 8 && v == 7, "the sum: %llu", (unsigned long long)v);
	CHECK(RAW(SYS_read, fd, &v, 4) == -EINVAL, "a 4-byte read");
	CHECK(RAW(SYS_write, fd, &v, 7) == -EINVAL, "a 7-byte write");
	CHECK(efd_write(fd, 0xffffffffffffffffULL) == -EINVAL, "writing all ones");
	CHECK(efd_write(fd, 0xfffffffffffffffeULL) == 8, "the largest count");
	CHECK(efd_write(fd, 1) == -EAGAIN, "one more, without blocking: not EAGAIN");
	CHECK(efd_write(fd, 0) == 8, "adding 0 always fits");
	CHECK(RAW(SYS_write, fd, &v, 0) == -EINVAL, "an empty write");
	CHECK(efd_read(fd, &v) == 8 && v == 0xfffffffffffffffeULL, "the largest count back");
	close(fd);
	/* EFD_SEMAPHORE: each read takes one. */
	fd = eventfd(3, EFD_SEMAPHORE | EFD_NONBLOCK);
	for (int i = 0; i < 3; i++)
		CHECK(efd_read(fd, &v) == 8 && v == 1, "semaphore read %d: %llu", i, (unsigned long long)v);
	CHECK(efd_read(fd, &v) == -EAGAIN, "a fourth semaphore read");
	close(fd);
}

/* The flags: CLOEXEC and NONBLOCK as the file's, SEMAPHORE; others refused. */
static void t_eventfd_flags(void)
{
	int fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);

	CHECK(fd >= 0, "eventfd: %s", strerror(errno));
	CHECK(fcntl(fd, F_GETFD) == FD_CLOEXEC, "FD_CLOEXEC: %d", fcntl(fd, F_GETFD));
	CHECK((fcntl(fd, F_GETFL) & (O_NONBLOCK | O_ACCMODE)) == (O_NONBLOCK | O_RDWR), "F_GETFL %#x",
	      fcntl(fd, F_GETFL));
	close(fd);
	CHECK(RAW(SYS_eventfd2, 0, 2) == -EINVAL, "eventfd2 with flag 2: not EINVAL");
	CHECK(RAW(SYS_eventfd2, 0, O_APPEND) == -EINVAL, "eventfd2 with O_APPEND: not EINVAL");
	fd = RAW(SYS_eventfd, 9);
	CHECK(fd >= 0, "eventfd(2): %s", res(fd));
	uint64_t v;
	CHECK(efd_read(fd, &v) == 8 && v == 9, "eventfd(9) reads %llu", (unsigned long long)v);
	CHECK(fcntl(fd, F_GETFD) == 0, "eventfd() set FD_CLOEXEC");
	close(fd);
}

/* What the rest of the system shows of one: fstat, the /proc link, fdinfo's count. */
static void t_eventfd_proc(void)
{
	int fd = eventfd(0x2a, 0);
	char path[64], buf[256];
	struct stat st;

	CHECK(fstat(fd, &st) == 0 && st.st_mode == 0600 && st.st_size == 0, "fstat: mode %o size %ld", st.st_mode,
	      (long)st.st_size);
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	ssize_t n = readlink(path, buf, sizeof buf - 1);
	CHECK(n > 0 && (buf[n] = 0, !strcmp(buf, "anon_inode:[eventfd]")), "the fd's link: '%s'", n > 0 ? buf : "");
	snprintf(path, sizeof path, "/proc/self/fdinfo/%d", fd);
	int ifd = open(path, O_RDONLY);
	n = ifd >= 0 ? read(ifd, buf, sizeof buf - 1) : -1;
	CHECK(n > 0 && (buf[n] = 0, strstr(buf, "eventfd-count:               2a\n")), "fdinfo: '%s'", n > 0 ? buf : "");
	close(ifd);
	CHECK(lseek(fd, 0, SEEK_SET) == 0, "lseek");
	close(fd);
}

static void write_later(long fd)
{
	usleep(50000);
	uint64_t one = 1;
	CHECK(write((int)fd, &one, 8) == 8, "the child's write");
}

static void read_later(long fd)
{
	uint64_t v;

	usleep(50000);
	CHECK(read((int)fd, &v, 8) == 8, "the child's read");
}

static void on_alarm(int sig)
{
	(void)sig;
}

static void signal_parent_later(long sig)
{
	usleep(100000);
	kill(getppid(), (int)sig);
}

/* A read waits for a write, a write for room; a signal ends either wait with EINTR. */
static void t_eventfd_blocking(void)
{
	int fd = eventfd(0, 0);
	uint64_t v = 0;

	pid_t pid = spawn(write_later, fd);
	CHECK(efd_read(fd, &v) == 8 && v == 1, "the blocked read got %llu", (unsigned long long)v);
	expect_exit(reap(pid), 0, "the writer");
	CHECK(efd_write(fd, 0xfffffffffffffffeULL) == 8, "filling up");
	pid = spawn(read_later, fd);
	CHECK(efd_write(fd, 5) == 8, "the blocked write");
	expect_exit(reap(pid), 0, "the reader");
	CHECK(efd_read(fd, &v) == 8 && v == 5, "after the blocked write: %llu", (unsigned long long)v);
	struct sigaction sa = { .sa_handler = on_alarm };
	CHECK(sigaction(SIGALRM, &sa, NULL) == 0, "sigaction");
	pid = spawn(signal_parent_later, SIGALRM);
	CHECK(efd_read(fd, &v) == -EINTR, "a signal during the wait: not EINTR");
	expect_exit(reap(pid), 0, "the signaller");
	close(fd);
}

/* poll(): readable while the count is not zero, writable while one more fits. */
static void t_eventfd_poll(void)
{
	int fd = eventfd(0, EFD_NONBLOCK);
	struct pollfd p = { .fd = fd, .events = POLLIN | POLLOUT };
	uint64_t v;

	CHECK(poll(&p, 1, 0) == 1 && p.revents == POLLOUT, "empty: revents %#x", p.revents);
	CHECK(efd_write(fd, 2) == 8, "write");
	CHECK(poll(&p, 1, 0) == 1 && p.revents == (POLLIN | POLLOUT), "counted: revents %#x", p.revents);
	CHECK(efd_write(fd, 0xfffffffffffffffcULL) == 8, "filling up");
	CHECK(poll(&p, 1, 0) == 1 && p.revents == POLLIN, "full: revents %#x", p.revents);
	CHECK(efd_read(fd, &v) == 8, "read");
	pid_t pid = spawn(write_later, fd);
	p.events = POLLIN;
	CHECK(poll(&p, 1, 5000) == 1 && p.revents == POLLIN, "poll woken by a write: revents %#x", p.revents);
	expect_exit(reap(pid), 0, "the writer");
	close(fd);
}

const struct test eventfd_tests[] = {
	T(eventfd_counter), T(eventfd_flags), T(eventfd_proc), T(eventfd_blocking), T(eventfd_poll),
	{ NULL },
};
