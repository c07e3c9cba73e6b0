/* memcg_oom: how long a memory cgroup's OOM takes, from the start of the
 * allocation to the victim's death. The same program as linux-ref's
 * bench/memcg_oom.c, so that Folio and Linux compare line for line.
 * A group t of cgroup2 (on /sys/fs/cgroup) gets memory.max 16 MiB; a child
 * moves into it and touches 1 MiB after 1 MiB (up to 256), sending the parent
 * {step, CLOCK_MONOTONIC ns} through a pipe before the first and after each
 * MiB. The parent reads to EOF, reaps the child and prints:
 *   value            us from the child's first record to the parent's waitpid()
 *   sig              the signal that ended the child (9 expected)
 *   last_mib         the last MiB it finished before it died
 *   last_to_dead_us  us from that last record to the waitpid()
 *   oom, oom_kill    from memory.events; current and peak after the kill */
#include "common.h"
#include <sys/stat.h>
#include <sys/wait.h>

#define GROUP "/sys/fs/cgroup/t"
#define MIB (1L << 20)

struct record {
    long step;
    long long ns;
};

static int fail(const char *why, int err)
{
    printf("BENCH-FAIL name=memcg_oom reason=%s errno=%d\n", why, err);
    return 1;
}

/* The child: into the group, then a MiB at a time until the OOM killer ends it. */
static void toucher(int fd)
{
    char pid[32];
    snprintf(pid, sizeof pid, "%d\n", (int)getpid());
    if (write_file(GROUP "/cgroup.procs", pid))
        _exit(3);
    struct record r = { 0, now_ns() };
    write(fd, &r, sizeof r);
    for (long mib = 1; mib <= 256; mib++) {
        char *p = malloc(MIB);
        if (!p)
            _exit(4);
        for (long off = 0; off < MIB; off += 4096)
            p[off] = 1;
        r = (struct record){ mib, now_ns() };
        write(fd, &r, sizeof r);
    }
    _exit(0);   /* the limit did not hold */
}

int main(void)
{
    char buf[256];

    if (read_file("/sys/fs/cgroup/cgroup.controllers", buf, sizeof buf) < 0 || !strstr(buf, "memory"))
        return fail("no_memory_controller", 0);
    write_file("/sys/fs/cgroup/cgroup.subtree_control", "+memory");   /* where /init did not */
    rmdir(GROUP);   /* left by an earlier run */
    if (mkdir(GROUP, 0755) && errno != EEXIST)
        return fail("mkdir", errno);
    int err = write_file(GROUP "/memory.max", "16777216");
    if (err)
        return fail("memory.max", -err);
    write_file(GROUP "/memory.swap.max", "0");

    int fds[2];
    if (pipe(fds))
        return fail("pipe", errno);
    pid_t pid = fork();
    if (pid < 0)
        return fail("fork", errno);
    if (pid == 0) {
        close(fds[0]);
        toucher(fds[1]);
    }
    close(fds[1]);
    struct record r, first = { -1, 0 }, last = { -1, 0 };
    while (read(fds[0], &r, sizeof r) == sizeof r) {
        if (first.step < 0)
            first = r;
        last = r;
    }
    int status = 0;
    waitpid(pid, &status, 0);
    long long dead = now_ns();
    close(fds[0]);

    long long oom = keyed_value(GROUP "/memory.events", "oom");
    long long oom_kill = keyed_value(GROUP "/memory.events", "oom_kill");
    long long current = read_file(GROUP "/memory.current", buf, sizeof buf) > 0 ? atoll(buf) : -1;
    char peak[32] = "na";
    if (read_file(GROUP "/memory.peak", buf, sizeof buf) > 0)
        snprintf(peak, sizeof peak, "%lld", atoll(buf));
    rmdir(GROUP);

    int sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    if (first.step != 0 || !sig) {
        printf("BENCH-FAIL name=memcg_oom reason=%s exit=%d sig=%d last_mib=%ld oom=%lld oom_kill=%lld\n",
               first.step != 0 ? "child_setup" : "not_killed", WIFEXITED(status) ? WEXITSTATUS(status) : -1,
               sig, last.step, oom, oom_kill);
        return 1;
    }
    printf("BENCH name=memcg_oom value=%.0f unit=us sig=%d last_mib=%ld last_to_dead_us=%.0f "
           "oom=%lld oom_kill=%lld current=%lld peak=%s limit=16777216\n",
           (dead - first.ns) / 1e3, sig, last.step, (dead - last.ns) / 1e3, oom, oom_kill, current, peak);
    return 0;
}
