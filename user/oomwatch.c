/*
 * oomwatch: run a program and sample free memory while it runs, for the OOM
 * timelines (tools/oom-timeline, `make plots`).
 *
 *   oomwatch [-f FILE] MS PROGRAM [ARGS...]
 *
 * Starts PROGRAM (a path) as its child, then samples every MS milliseconds
 * until the child exits, and prints the samples, one a line,
 *
 *   oomwatch: T free N        or, with -f,     oomwatch: T file N
 *
 * (T: CLOCK_MONOTONIC in seconds, the clock of the kernel log's and the
 * trace's time stamps; N: nr_free_pages of /proc/vmstat, or the number
 * FILE starts with, e.g. a memory cgroup's memory.current, from the moment
 * the child has created it, until it is removed). The samples are kept in memory until the end:
 * printing each on the serial console would take longer than the sampling.
 * Then it prints the kernel's trace (/sys/kernel/tracing/trace, if the
 * child mounted tracefs and enabled events) between "oomwatch: trace" and
 * "oomwatch: trace end", and exits with the child's status. It may run as
 * init.
 *
 * It must not disturb the OOM it watches: it protects itself from the OOM
 * killer (oom_score_adj -1000; PROGRAM starts at 0), touches and locks its memory before the
 * child starts, and after its first read allocates nothing: /proc/vmstat
 * stays open, and each sample rereads it from offset 0 into a static
 * buffer (the kernel keeps the file's buffer from the first read).
 */
#include "ulib.h"
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>

static char buf[16384];
static const char *watched;	/* -f FILE, or NULL: /proc/vmstat's nr_free_pages */
static int fd = -1;
static int gone;		/* FILE was there and went (ENODEV: its cgroup was removed) */

/* The value sampled now, or -1 (FILE not there yet, or gone). */
static long value(void)
{
	if (gone || (fd < 0 && (fd = open(watched ? watched : "/proc/vmstat", O_RDONLY)) < 0))
		return -1;
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	if (n < 0 && errno == ENODEV) {
		/* Let go of a removed group's file: held open, it would keep the group and its mount. */
		close(fd);
		fd = -1;
		gone = 1;
	}
	if (n <= 0)
		return -1;
	buf[n] = 0;
	if (watched)
		return strtol(buf, NULL, 10);
	char *p = strstr(buf, "nr_free_pages ");
	return p ? strtol(p + 14, NULL, 10) : -1;
}

#define MAX_SAMPLES 16384
static struct { struct timespec t; long v; } samples[MAX_SAMPLES];
static int nr_samples;

static void sample(void)
{
	long v = value();

	if (v < 0 || nr_samples == MAX_SAMPLES)
		return;
	clock_gettime(CLOCK_MONOTONIC, &samples[nr_samples].t);
	samples[nr_samples++].v = v;
}

static void print_samples(void)
{
	char line[96];

	for (int i = 0; i < nr_samples; i++) {
		snprintf(line, sizeof(line), "oomwatch: %ld.%06ld %s %ld\n", (long)samples[i].t.tv_sec,
			 samples[i].t.tv_nsec / 1000, watched ? "file" : "free", samples[i].v);
		put_fd(1, line);
	}
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

static void set_oom_score_adj(const char *value)
{
	int fd = open("/proc/self/oom_score_adj", O_WRONLY);

	if (fd < 0 || write(fd, value, strlen(value)) != (ssize_t)strlen(value))
		put_fd(2, "oomwatch: cannot set oom_score_adj\n");
	if (fd >= 0)
		close(fd);
}

int main(int argc, char **argv)
{
	int st = 0;

	if (getpid() == 1)
		console_fds();
	if (argc > 2 && !strcmp(argv[1], "-f")) {
		watched = argv[2];
		argv += 2;
		argc -= 2;
	}
	if (argc < 3 || atoi(argv[1]) <= 0) {
		put_fd(2, "usage: oomwatch [-f FILE] MS PROGRAM [ARGS...]\n");
		return 2;
	}
	mkdir("/proc", 0555);
	mount("proc", "/proc", "proc", 0, NULL);
	set_oom_score_adj("-1000");
	/* Everything sampling touches is in memory before the child starts: it never faults after. */
	memset(samples, 0, sizeof(samples));
	value();
	mlockall(MCL_CURRENT | MCL_FUTURE);
	pid_t child = fork();
	if (child == 0) {
		set_oom_score_adj("0");	/* the protection is the watcher's, not inherited by what it watches */
		execv(argv[2], argv + 2);
		_exit(127);
	}
	struct timespec step = { atoi(argv[1]) / 1000, (atoi(argv[1]) % 1000) * 1000000L };
	for (;;) {
		sample();
		pid_t w = waitpid(-1, &st, WNOHANG);
		if (w == child)
			break;
		if (w <= 0)
			nanosleep(&step, NULL);
	}
	sample();
	print_samples();
	print_trace();
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
