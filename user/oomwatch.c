/*
 * oomwatch: run a program and sample free memory while it runs, for the OOM
 * timelines (tools/oom-timeline, `make plots`).
 *
 *   oomwatch MS PROGRAM [ARGS...]
 *
 * Starts PROGRAM (a path) as its child, then every MS milliseconds prints
 *
 *   oomwatch: T free N
 *
 * (T: CLOCK_MONOTONIC in seconds, the clock of the kernel log's and the
 * trace's time stamps; N: nr_free_pages of /proc/vmstat) until the child
 * exits. Then it prints the kernel's trace (/sys/kernel/tracing/trace,
 * if the child mounted tracefs and enabled events) between "oomwatch: trace"
 * and "oomwatch: trace end", and exits with the child's status. It may run
 * as init.
 *
 * It must not disturb the OOM it watches: it protects itself from the OOM
 * killer (oom_score_adj -1000), locks its memory, and after its first read
 * allocates nothing: /proc/vmstat stays open, and each sample rereads it
 * from offset 0 into a static buffer (the kernel keeps the file's buffer
 * from the first read).
 */
#include "ulib.h"
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>

static char buf[16384];

/* nr_free_pages from the open /proc/vmstat, or -1. */
static long free_pages(int fd)
{
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	char *p = strstr(buf, "nr_free_pages ");
	return p ? strtol(p + 14, NULL, 10) : -1;
}

static void sample(int fd)
{
	struct timespec t;
	char line[96];

	clock_gettime(CLOCK_MONOTONIC, &t);
	snprintf(line, sizeof(line), "oomwatch: %ld.%06ld free %ld\n", (long)t.tv_sec, t.tv_nsec / 1000,
		 free_pages(fd));
	put_fd(1, line);
}

static void print_trace(void)
{
	int fd = open("/sys/kernel/tracing/trace", O_RDONLY);
	ssize_t n;

	put_fd(1, "oomwatch: trace\n");
	while (fd >= 0 && (n = read(fd, buf, sizeof(buf))) > 0)
		if (write(1, buf, n) != n)
			break;
	if (fd >= 0)
		close(fd);
	put_fd(1, "oomwatch: trace end\n");
}

int main(int argc, char **argv)
{
	int st = 0;

	if (getpid() == 1)
		console_fds();
	if (argc < 3 || atoi(argv[1]) <= 0) {
		put_fd(2, "usage: oomwatch MS PROGRAM [ARGS...]\n");
		return 2;
	}
	mkdir("/proc", 0555);
	mount("proc", "/proc", "proc", 0, NULL);
	int adj = open("/proc/self/oom_score_adj", O_WRONLY);
	if (adj < 0 || write(adj, "-1000", 5) != 5)
		put_fd(2, "oomwatch: cannot set oom_score_adj\n");
	if (adj >= 0)
		close(adj);
	pid_t child = fork();
	if (child == 0) {
		execv(argv[2], argv + 2);
		_exit(127);
	}
	int fd = open("/proc/vmstat", O_RDONLY);
	mlockall(MCL_CURRENT | MCL_FUTURE);
	struct timespec step = { atoi(argv[1]) / 1000, (atoi(argv[1]) % 1000) * 1000000L };
	for (;;) {
		sample(fd);
		pid_t w = waitpid(-1, &st, WNOHANG);
		if (w == child)
			break;
		if (w <= 0)
			nanosleep(&step, NULL);
	}
	sample(fd);
	print_trace();
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
