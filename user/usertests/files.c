/*
 * Pipes and files: data through a pipe in order, end of file, EPIPE and
 * SIGPIPE, close-on-exec, files on the ramfs, /dev/null and /dev/zero,
 * sendfile.
 */
#include "usertests.h"
#include <sys/sendfile.h>

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

/* Read one byte from the pipe fd: exit 1 if it came, 0 at end of file, 2 on an error. */
static void read_one_byte(long fd)
{
	char c;
	ssize_t n = read((int)fd, &c, 1);

	_exit(n == 1 ? 1 : n == 0 ? 0 : 2);
}

/*
 * Two readers block on an empty pipe whose write end stays open; one byte comes. One
 * reader takes it; the other must go back to sleep (a wake-up that finds the pipe empty
 * again is not end of file), and takes the next byte.
 */
static void t_pipe_two_readers(void)
{
	int fds[2], st;

	CHECK(pipe(fds) == 0, "pipe: %s", strerror(errno));
	pid_t a = spawn(read_one_byte, fds[0]), b = spawn(read_one_byte, fds[0]);
	CHECK(wait_state(a, "S") == 'S' && wait_state(b, "S") == 'S', "the readers did not block on the empty pipe");
	CHECK(write(fds[1], "x", 1) == 1, "write: %s", strerror(errno));
	pid_t first = waitpid(-1, &st, 0);
	CHECK(first == a || first == b, "waitpid: %d (%s)", (int)first, strerror(errno));
	expect_exit(st, 1, "the reader that took the byte");
	pid_t other = first == a ? b : a;
	char state = wait_state(other, "SZ");
	CHECK(state == 'S', "the other reader is in state %c: read() returned although the pipe has a writer",
	      state);
	CHECK(write(fds[1], "y", 1) == 1, "write: %s", strerror(errno));
	expect_exit(reap(other), 1, "the other reader, given the second byte");
	close2(fds);
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

int child_fdcheck(int keep, int drop)
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
	CHECK(read(z, buf, sizeof buf) == sizeof buf && all_bytes(buf, sizeof buf, 0), "/dev/zero");
	CHECK(write(n, buf, sizeof buf) == sizeof buf, "write /dev/null: %s", strerror(errno));
	CHECK(read(n, buf, sizeof buf) == 0, "read /dev/null is not EOF");
	close(z);
	close(n);
}

/* A file of n pattern bytes at path, opened for reading. */
static int pattern_file(const char *path, size_t n)
{
	static unsigned char buf[4096];
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);

	CHECK(fd >= 0, "create %s: %s", path, strerror(errno));
	for (size_t off = 0; off < n; off += sizeof buf) {
		size_t len = n - off < sizeof buf ? n - off : sizeof buf;
		for (size_t i = 0; i < len; i++)
			buf[i] = pattern(off + i);
		CHECK(write(fd, buf, len) == (ssize_t)len, "write: %s", strerror(errno));
	}
	close(fd);
	fd = open(path, O_RDONLY);
	CHECK(fd >= 0, "open %s: %s", path, strerror(errno));
	return fd;
}

static void on_usr1(int sig)
{
	(void)sig;
}

/* In a child: sendfile() from file in into a full pipe, until a signal (no SA_RESTART) ends it. */
static void sendfile_into_full(long in)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	char buf[4096] = { 0 };
	int p[2];

	if (sigaction(SIGUSR1, &sa, NULL) || pipe2(p, O_NONBLOCK))
		_exit(2);
	while (write(p[1], buf, sizeof buf) > 0)
		;
	if (fcntl(p[1], F_SETFL, 0))
		_exit(3);
	long r = sendfile(p[1], (int)in, NULL, 5);
	_exit(r == -1 && errno == EINTR ? 0 : 1);
}

/* In a child, SIGPIPE blocked: sendfile() into a pipe with no reader; 0 if EPIPE and SIGPIPE pending. */
static void sendfile_no_reader(long in)
{
	sigset_t pipe_set, pending;
	int p[2];

	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	if (sigprocmask(SIG_BLOCK, &pipe_set, NULL) || pipe(p))
		_exit(3);
	close(p[0]);
	long r = RAW(SYS_sendfile, p[1], in, 0, 5);
	_exit(r != -EPIPE ? 1 : sigpending(&pending) || !sigismember(&pending, SIGPIPE) ? 2 : 0);
}

/*
 * sendfile() into a pipe waits for room as write() does: a full pipe sleeps until a signal
 * (EINTR); a pipe without a reader is EPIPE, and SIGPIPE.
 */
static void t_sendfile_pipe_waits(void)
{
	char path[64];

	snprintf(path, sizeof path, "/tmp/usertests-sendfile-%d", (int)getpid());
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0 && write(fd, "hello", 5) == 5, "create: %s", strerror(errno));
	close(fd);
	int in = open(path, O_RDONLY);
	CHECK(in >= 0, "open: %s", strerror(errno));
	pid_t pid = spawn(sendfile_into_full, in);
	CHECK(wait_state(pid, "S") == 'S', "sendfile() into a full pipe did not sleep");
	kill(pid, SIGUSR1);
	expect_exit(reap(pid), 0, "sendfile() into a full pipe, then a signal: EINTR");

	expect_exit(run(sendfile_no_reader, in), 0, "sendfile() into a pipe with no reader: EPIPE and SIGPIPE");
	close(in);
	unlink(path);
}

/* sendfile: file to pipe, with an offset (which moves, the file position not) or without. */
static void t_sendfile(void)
{
	char path[64], buf[64];
	int p[2];
	off_t off;

	snprintf(path, sizeof path, "/tmp/usertests-sendfile-%d", (int)getpid());
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0 && write(fd, "hello world", 11) == 11, "create: %s", strerror(errno));
	close(fd);
	int in = open(path, O_RDONLY);
	CHECK(in >= 0 && pipe(p) == 0, "open, pipe: %s", strerror(errno));
	off = 6;
	CHECK(sendfile(p[1], in, &off, 100) == 5, "sendfile with an offset: %s", strerror(errno));
	CHECK(off == 11 && lseek(in, 0, SEEK_CUR) == 0, "offset %ld, file position %ld", (long)off,
	      (long)lseek(in, 0, SEEK_CUR));
	CHECK(read(p[0], buf, sizeof buf) == 5 && memcmp(buf, "world", 5) == 0, "the pipe has the bytes");
	CHECK(sendfile(p[1], in, NULL, 3) == 3 && lseek(in, 0, SEEK_CUR) == 3, "without an offset: the position moves");
	CHECK(read(p[0], buf, sizeof buf) == 3 && memcmp(buf, "hel", 3) == 0, "the pipe has 'hel'");
	off = 100;
	CHECK(sendfile(p[1], in, &off, 10) == 0 && off == 100, "beyond the end: not 0");
	CHECK(sendfile(p[1], in, NULL, 0) == 0, "count 0");

	int out = open(path, O_WRONLY), app = open(path, O_WRONLY | O_APPEND), z = open("/dev/zero", O_RDONLY);
	CHECK(out >= 0 && app >= 0 && z >= 0, "open: %s", strerror(errno));
	off = -1;
	CHECK(RAW(SYS_sendfile, p[1], in, &off, 10) == -EINVAL, "a negative offset: not EINVAL");
	CHECK(RAW(SYS_sendfile, p[1], in, 1, 10) == -EFAULT, "a bad offset pointer: not EFAULT");
	CHECK(RAW(SYS_sendfile, p[1], 999, 0, 10) == -EBADF, "a bad in_fd: not EBADF");
	CHECK(RAW(SYS_sendfile, 999, in, 0, 10) == -EBADF, "a bad out_fd: not EBADF");
	CHECK(RAW(SYS_sendfile, p[0], in, 0, 10) == -EBADF, "out_fd not writable: not EBADF");
	CHECK(RAW(SYS_sendfile, p[1], out, 0, 10) == -EBADF, "in_fd not readable: not EBADF");
	CHECK(RAW(SYS_sendfile, app, in, 0, 10) == -EINVAL, "out_fd O_APPEND: not EINVAL");
	CHECK(RAW(SYS_sendfile, p[1], p[0], 0, 10) == -EINVAL, "a pipe as in_fd: not EINVAL");
	off = 0;
	CHECK(RAW(SYS_sendfile, p[1], p[0], &off, 10) == -ESPIPE, "a pipe with an offset: not ESPIPE");
	CHECK(RAW(SYS_sendfile, out, z, 0, 10) == -EINVAL, "/dev/zero as in_fd: not EINVAL");
	CHECK(RAW(SYS_sendfile, p[1], in, 0, -1L) == -EINVAL, "a negative count: not EINVAL");
	close(out);
	close(app);
	close(z);
	close(in);
	close2(p);
	unlink(path);
}

/* A file larger than the pipe into a pipe whose reader is another process: every byte, in order. */
static void t_sendfile_pipe_large(void)
{
	enum { SIZE = 300 * 1024 };
	char path[64], copy[80];
	int p[2];
	static unsigned char buf[8192];

	snprintf(path, sizeof path, "/tmp/usertests-sendfile-big-%d", (int)getpid());
	snprintf(copy, sizeof copy, "%s-copy", path);
	int in = pattern_file(path, SIZE);
	CHECK(pipe(p) == 0, "pipe: %s", strerror(errno));
	pid_t pid = fork();
	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {		/* into a pipe, each call sends at most what the pipe has room for */
		close(p[0]);
		ssize_t n, sent = 0;
		while ((n = sendfile(p[1], in, NULL, SIZE + 1000)) > 0) {
			if (n > 64 * 1024)
				_exit(2);
			sent += n;
		}
		_exit(n == 0 && sent == SIZE ? 0 : 1);
	}
	close(p[1]);
	size_t got = 0;
	ssize_t n;
	while ((n = read(p[0], buf, sizeof buf)) > 0) {
		for (ssize_t i = 0; i < n; i++)
			CHECK(buf[i] == pattern(got + i), "byte %zu is %#x", got + i, buf[i]);
		got += n;
	}
	CHECK(got == SIZE, "read %zu bytes, expected %d", got, SIZE);
	expect_exit(reap(pid), 0, "the sender (1: sendfile did not send the whole file, 2: more than a "
		    "pipe-full in one call)");
	close(p[0]);

	/* File to file: the output position moves. */
	int out = open(copy, O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK(out >= 0, "create: %s", strerror(errno));
	CHECK(sendfile(out, in, NULL, SIZE) == 0, "in is at its end now");
	off_t off = 0;
	CHECK(sendfile(out, in, &off, SIZE) == SIZE && off == SIZE && lseek(out, 0, SEEK_CUR) == SIZE,
	      "file to file: %s", strerror(errno));
	CHECK(pread(out, buf, 100, 1000) == 100, "pread: %s", strerror(errno));
	for (int i = 0; i < 100; i++)
		CHECK(buf[i] == pattern(1000 + i), "the copy's byte %d", 1000 + i);
	close(out);
	close(in);
	unlink(copy);
	unlink(path);
}

const struct test file_tests[] = {
	T(pipe_data), T(pipe_eof), T(pipe_two_readers), T(pipe_epipe), T(fd_cloexec), T(files), T(dev_null_zero), T(sendfile), T(sendfile_pipe_waits),
	T(sendfile_pipe_large),
	{ NULL },
};
