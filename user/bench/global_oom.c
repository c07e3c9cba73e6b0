/*
 * global_oom: how long a whole-machine OOM takes to end in a kill.
 *
 * A child (the hog, oom_score_adj 1000 so that it is the one chosen) grows
 * its heap 1 MiB at a time, writing one byte in every page, and after each
 * step sends the step's number and the CLOCK_MONOTONIC time down a pipe; it
 * never stops on its own below 64 GiB. The parent (oom_score_adj -1000)
 * reads until the pipe closes (the hog is dead), reaps it and prints
 *
 *   BENCH name=global_oom value=<us from the first step's start to waitpid()>
 *         unit=us sig=<the signal> last_mib=<steps completed>
 *         last_to_dead_us=<us from the last completed step to waitpid()>
 *         oom_kill_delta=<the change in /proc/vmstat oom_kill, or na>
 *
 * the same line as the version linux-ref runs on Linux. It takes all the
 * memory of the machine it runs on, so it refuses to start unless
 * BENCH_ALLOW_GLOBAL_OOM is set (user/bench/all.sh sets it in the bench VM).
 */
#include "common.h"
#include <sys/wait.h>

#define STEP (1L << 20)
#define MAX_STEPS 65536L	/* 64 GiB: far beyond any VM the bench boots */

struct step_report {
	long step;		/* 0: about to start; N: N MiB allocated and touched */
	long long ns;
};

static int refuse(const char *reason, int err)
{
	printf("BENCH-FAIL name=global_oom reason=%s errno=%d\n", reason, err);
	return 1;
}

/* The hog: runs until the OOM killer ends it. Exit 4 means malloc() failed instead. */
static void hog(int out)
{
	struct step_report rep = { .step = 0 };

	write_file("/proc/self/oom_score_adj", "1000");
	rep.ns = now_ns();
	write(out, &rep, sizeof(rep));
	while (rep.step < MAX_STEPS) {
		char *block = malloc(STEP);
		if (!block)
			_exit(4);
		for (long off = 0; off < STEP; off += 4096)
			block[off] = 1;
		rep.step++;
		rep.ns = now_ns();
		write(out, &rep, sizeof(rep));
	}
	_exit(0);
}

int main(void)
{
	struct step_report rep, first = { .step = -1 }, last = { .step = -1 };
	int pipefd[2], status = 0;

	if (!getenv("BENCH_ALLOW_GLOBAL_OOM")) {
		printf("BENCH-FAIL name=global_oom reason=refused_outside_vm "
		       "(it exhausts the machine's memory; set BENCH_ALLOW_GLOBAL_OOM=1)\n");
		return 1;
	}
	write_file("/proc/self/oom_score_adj", "-1000");	/* the reporter must survive */
	long long kills_before = keyed_value("/proc/vmstat", "oom_kill");
	if (pipe(pipefd))
		return refuse("pipe", errno);
	pid_t pid = fork();
	if (pid < 0)
		return refuse("fork", errno);
	if (pid == 0) {
		close(pipefd[0]);
		hog(pipefd[1]);
	}
	close(pipefd[1]);
	while (read(pipefd[0], &rep, sizeof(rep)) == sizeof(rep)) {
		if (first.step < 0)
			first = rep;
		last = rep;
	}
	waitpid(pid, &status, 0);
	long long dead = now_ns();
	long long kills_after = keyed_value("/proc/vmstat", "oom_kill");

	if (first.step != 0 || !WIFSIGNALED(status)) {
		printf("BENCH-FAIL name=global_oom reason=not_killed exit=%d last_mib=%ld\n",
		       WIFEXITED(status) ? WEXITSTATUS(status) : -1, last.step);
		return 1;
	}
	printf("BENCH name=global_oom value=%.0f unit=us sig=%d last_mib=%ld last_to_dead_us=%.0f oom_kill_delta=",
	       (dead - first.ns) / 1e3, WTERMSIG(status), last.step, (dead - last.ns) / 1e3);
	if (kills_before >= 0 && kills_after >= 0)
		printf("%lld\n", kills_after - kills_before);
	else
		printf("na\n");
	return 0;
}
