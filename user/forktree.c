/*
 * forktree: a tree of processes. Each process prints its depth, pid and parent,
 * forks FANOUT children (unless it is a leaf), waits for all of them, and exits
 * with 0 only if every child did. The root prints how many processes ran.
 *
 *   forktree [DEPTH [FANOUT]]     (defaults: depth 3, fanout 2: 15 processes)
 *
 * Every process also writes one byte to a pipe when it starts; the root reads
 * them until end of file (every process gone) and checks the count.
 */
#include "ulib.h"
#include <stdlib.h>

static int report_fd;	/* write end of the pipe every process reports its birth to */

static int grow(int depth, int max_depth, int fanout)
{
	printf("forktree: depth %d pid %d ppid %d\n", depth, (int)getpid(), (int)getppid());
	fflush(stdout);
	if (write(report_fd, "x", 1) != 1)
		return 1;
	if (depth == max_depth)
		return 0;

	int bad = 0, started = 0;
	for (int i = 0; i < fanout; i++) {
		pid_t pid = fork();
		if (pid < 0) {
			printf("forktree: fork at depth %d: %s\n", depth, strerror(errno));
			bad = 1;
			break;
		}
		if (pid == 0)
			_exit(grow(depth + 1, max_depth, fanout));
		started++;
	}
	for (; started > 0; started--) {
		int status;
		if (wait(&status) < 0) {
			printf("forktree: wait: %s\n", strerror(errno));
			return 1;
		}
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			bad = 1;
	}
	if (wait(NULL) >= 0 || errno != ECHILD)
		bad = 1;		/* every child reaped: none may be left */
	return bad;
}

int main(int argc, char **argv)
{
	int depth = argc > 1 ? atoi(argv[1]) : 3;
	int fanout = argc > 2 ? atoi(argv[2]) : 2;
	int fds[2];

	if (depth < 0 || fanout < 1 || depth > 20) {
		dprintf(2, "usage: forktree [DEPTH [FANOUT]]\n");
		return 2;
	}
	if (pipe(fds) < 0) {
		perror("forktree: pipe");
		return 1;
	}
	report_fd = fds[1];
	pid_t pid = fork();			/* the tree grows in a child; we count births */
	if (pid < 0) {
		perror("forktree: fork");
		return 1;
	}
	if (pid == 0) {
		close(fds[0]);
		_exit(grow(0, depth, fanout));
	}
	close(fds[1]);
	long births = 0, expect = 0, level = 1;
	char buf[256];
	ssize_t n;
	while ((n = read(fds[0], buf, sizeof buf)) > 0)	/* EOF once every process is gone */
		births += n;
	int status;
	waitpid(pid, &status, 0);
	for (int d = 0; d <= depth; d++, level *= fanout)
		expect += level;
	int ok = WIFEXITED(status) && WEXITSTATUS(status) == 0 && births == expect;
	printf("forktree: %ld of %ld processes ran, all reaped: %s\n", births, expect,
	       ok ? "OK" : "FAILED");
	return ok ? 0 : 1;
}
