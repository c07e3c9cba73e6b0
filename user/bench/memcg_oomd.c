/* memcg_oomd: a user-space OOM handler's round trip (cgroup v1, the case
 * memcg-oomd handles). A group of 8 MiB with the kernel's OOM killer
 * disabled (memory.oom_control) and an eventfd registered for its OOM; a
 * child moves in and touches 16 MiB, stamping CLOCK_MONOTONIC into a shared
 * page after each page it touches. It stops at the limit; the handler
 * wakes from the eventfd, says so in the shared page, raises the limit to
 * 64 MiB, and waits on a pipe for the child's first stamp after that.
 * ROUNDS rounds; the median is printed:
 *   value        us from the handler's wake-up to the child's next stamp
 *                (eventfd wake -> limit raised -> task resumes)
 *   stop_to_wake_us  us from the child's last stamp before it stopped to the wake-up
 *   raise_us     us the limit write took */
#include "common.h"
#include <stdbool.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>

#define DIR "/tmp/bench-memcg-oomd"
#define GROUP DIR "/g"
#define MIB (1L << 20)
#define ROUNDS 5

/* Shared with the child: its last touch, and whether the handler has woken. */
static volatile struct shared {
    long long stamp;
    int woken;
} *sh;
static int resumed_fd[2];

static int fail(const char *why, int err)
{
    printf("BENCH-FAIL name=memcg_oomd reason=%s errno=%d\n", why, err);
    umount(DIR);
    rmdir(DIR);
    return 1;
}

static void toucher(void)
{
    char *p = malloc(16 * MIB);
    if (!p || write_file(GROUP "/cgroup.procs", "0"))
        _exit(3);
    bool told = false;
    for (long off = 0; off < 16 * MIB; off += 4096) {
        p[off] = 1;
        sh->stamp = now_ns();
        if (sh->woken && !told) {   /* the first page after the handler's wake-up: resumed */
            long long ns = sh->stamp;
            told = write(resumed_fd[1], &ns, sizeof ns) == sizeof ns;
        }
    }
    _exit(told ? 0 : 5);
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* One round: {wake -> resume, stop -> wake, raise} in us; negative on failure. */
static int round_trip(double out[3])
{
    char line[64];
    int efd = eventfd(0, 0), ofd = open(GROUP "/memory.oom_control", O_RDONLY);

    if (efd < 0 || ofd < 0 || write_file(GROUP "/memory.limit_in_bytes", "8M") ||
        write_file(GROUP "/memory.oom_control", "1"))
        return -1;
    snprintf(line, sizeof line, "%d %d", efd, ofd);
    if (write_file(GROUP "/cgroup.event_control", line))
        return -1;
    sh->stamp = 0;
    sh->woken = 0;
    if (pipe(resumed_fd))
        return -1;
    pid_t pid = fork();
    if (pid == 0)
        toucher();
    uint64_t n;
    long long resumed = 0;
    if (read(efd, &n, sizeof n) != sizeof n)
        return -1;
    long long wake = now_ns(), stopped = sh->stamp;
    sh->woken = 1;
    if (write_file(GROUP "/memory.limit_in_bytes", "64M"))
        return -1;
    long long raised = now_ns();
    if (read(resumed_fd[0], &resumed, sizeof resumed) != sizeof resumed)
        return -1;
    close(resumed_fd[0]);
    close(resumed_fd[1]);
    int status;
    waitpid(pid, &status, 0);
    close(efd);
    close(ofd);
    out[0] = (resumed - wake) / 1e3;
    out[1] = (wake - stopped) / 1e3;
    out[2] = (raised - wake) / 1e3;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

int main(void)
{
    double trip[ROUNDS], wake[ROUNDS], raise[ROUNDS], r[3];

    sh = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (sh == MAP_FAILED)
        return fail("mmap", errno);
    mkdir("/tmp", 01777);
    mkdir(DIR, 0755);
    /* v1's memory hierarchy: Linux does not let a removed v2 group go at once */
    int tries = 0;
    while (mount("none", DIR, "cgroup", 0, "memory") && errno == EBUSY && tries++ < 500)
        usleep(10000);
    if (tries > 500)
        return fail("mount", EBUSY);
    if (mkdir(GROUP, 0755) && errno != EEXIST)
        return fail("mkdir", errno);
    for (int i = 0; i < ROUNDS; i++) {
        if (round_trip(r))
            return fail("round", errno);
        trip[i] = r[0], wake[i] = r[1], raise[i] = r[2];
    }
    rmdir(GROUP);
    for (int i = 0; i < 100 && umount(DIR); i++)
        usleep(10000);
    rmdir(DIR);
    qsort(trip, ROUNDS, sizeof *trip, cmp);
    qsort(wake, ROUNDS, sizeof *wake, cmp);
    qsort(raise, ROUNDS, sizeof *raise, cmp);
    printf("BENCH name=memcg_oomd value=%.0f unit=us stop_to_wake_us=%.0f raise_us=%.0f rounds=%d\n",
           trip[ROUNDS / 2], wake[ROUNDS / 2], raise[ROUNDS / 2], ROUNDS);
    return 0;
}
