/*
 * oomtest: the OOM killer's scenarios, each a subcommand. On Folio it runs as
 * init in a small VM (tests/run.py); the scenarios whose behaviour is
 * Linux's also run as an ordinary program on Linux 6.1 (linux-ref), where the
 * same assertions must hold.
 *
 *   Linux's behaviour (also on linux-ref):
 *     choice      the biggest process is chosen; -1000 never, +1000 first
 *     shared      a CLONE_VM child and a vfork child die with the process whose mm they share
 *     threads     a multithreaded victim dies whole
 *     allocating  vm.oom_kill_allocating_task=1 kills the allocating task
 *     sysrq       SysRq f (/proc/sysrq-trigger) kills the biggest process
 *     syscalls    the OOM comes inside system calls (a ramfs file, pipes, fork, /proc):
 *                 the caller dies of SIGKILL, no oops
 *   Folio only (delay points and the trace, /sys/kernel/tracing):
 *     handshake   a victim stalled between its last mmput() and exit_mmap()
 *     reaper-first, exit-first   the two orderings of the reaper and exit_mmap()
 *     stuck       a victim that never exits, and a second OOM
 *     flood N     N OOM rounds, the victim's exit delayed after ->mm is cleared
 *     reap N      N victims that cannot run, each reaped (make bench times the reaper)
 *     unreapable  the victim holds mmap_lock: the reaper gives up and names the holder
 *     reap-shared a reaped victim's MAP_SHARED mapping of a memory file: the file keeps its data
 *     no-reaper   oom_reaper=0: a stuck victim holds its memory and the OOM killer
 *     nothing     no killable process: the kernel panics
 *     panic       vm.panic_on_oom=1: the kernel panics
 *   Folio only, the memory cgroup's OOM (docs/memcg.md); the deadlock scenarios
 *   expect the deadlock when booted with memcg.oom=trap, its absence otherwise:
 *     memcg-victim-lock   the victim needs mmap_lock, which the charger holds at the OOM
 *     memcg-handler-maps  a user-space handler reads /proc/PID/maps of a task stopped at the
 *                         OOM inside mlock() (cgroup v1, oom_kill_disable)
 *     memcg-flood N       N rounds of four hogs at once in a group of 16 MiB
 *     memcg-one-oom       a charger at the limit while its victim keeps its memory
 *                         (oom_reaper=0): one OOM per charge, then it sleeps
 *
 * Each scenario prints "oomtest: NAME: OK" or "oomtest: NAME: FAILED (why)";
 * the exit status is 0 when all passed. oomtest protects itself with
 * oom_score_adj -1000 (and is pid 1 on Folio). Every scenario that frees
 * its memory checks that the free page count (/proc/vmstat nr_free_pages)
 * comes back to where it was before it started.
 */
#include "ulib.h"
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <time.h>
#include <stdlib.h>
#include <sys/klog.h>
#include <poll.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#define MIB (1UL << 20)
#define TR "/sys/kernel/tracing"

static int failed;
static char why[512];
static int is_init;
static int on_linux;	/* the reference: its free count moves with its caches */

/* ---------------------------------------------------------------- files */

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	ssize_t n = write(fd, s, strlen(s));
	int err = n < 0 ? -errno : 0;
	close(fd);
	return err;
}

/*
 * The whole file into buf (NUL-terminated); NULL on error. Static buffers,
 * touched at start: while a scenario holds memory exhausted, oomtest must not
 * fault in new pages itself (it would wait for the OOM it is orchestrating).
 */
static char *read_into(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY);
	size_t len = 0;

	if (fd < 0)
		return NULL;
	for (;;) {
		ssize_t n = read(fd, buf + len, cap - len - 1);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = 0;
	return buf;
}

/*
 * The buffers are MAP_SHARED and touched at start: a forked child keeps
 * sharing them, so a write never needs a copy-on-write page either.
 */
#define FILE_BUF (1 << 16)
#define TRACE_BUF (1 << 20)
#define KLOG_BUF (1 << 17)
static char *file_buf, *trace_buf, *klog_buf;

static char *shared_buffer(size_t size)
{
	char *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("oomtest: mmap");
		exit(1);
	}
	memset(p, 1, size);
	return p;
}

static char *read_file(const char *path) { return read_into(path, file_buf, FILE_BUF); }

/* "key value" (vmstat) or "Key:   value kB" (meminfo); -1 if absent. */
static long keyed(const char *path, const char *key)
{
	char *buf = read_file(path), *p;
	long v = -1;
	size_t k = strlen(key);

	for (p = buf; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : p + strlen(p)) {
		if (!strncmp(p, key, k) && (p[k] == ' ' || p[k] == ':')) {
			v = strtol(p + k + 1 + strspn(p + k + 1, " :"), NULL, 10);
			break;
		}
	}
	return v;
}

static long read_long(const char *path)
{
	char *buf = read_file(path);
	return buf ? strtol(buf, NULL, 10) : -1;
}

static long oom_kills(void) { return keyed("/proc/vmstat", "oom_kill"); }
/*
 * Free pages, plus oomtest's own resident pages and page tables: its own
 * memory may grow while it works (the page tables stay when it unmaps its
 * ballast, on Linux as on Folio), and that is no leak of the scenario's.
 */
static long free_pages(void)
{
	long own = keyed("/proc/self/status", "VmRSS") + keyed("/proc/self/status", "VmPTE");
	return keyed("/proc/vmstat", "nr_free_pages") + own / 4;
}
static long free_kb(void) { return keyed("/proc/meminfo", "MemFree"); }

static void set_adj(int adj)
{
	char s[16];
	snprintf(s, sizeof(s), "%d", adj);
	write_file("/proc/self/oom_score_adj", s);
}

static __attribute__((format(printf, 1, 2))) void fail(const char *fmt, ...)
{
	va_list ap;
	if (why[0])
		return;		/* the first reason is the one that matters */
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
}
#define CHECK(cond, ...) do { if (!(cond)) fail(__VA_ARGS__); } while (0)

static void report(const char *name)
{
	if (why[0]) {
		printf("oomtest: %s: FAILED (%s)\n", name, why);
		failed = 1;
	} else {
		printf("oomtest: %s: OK\n", name);
	}
	why[0] = 0;
}

/* ---------------------------------------------------------------- processes */

/* Allocate and touch mib MiB of anonymous memory; NULL if mmap fails. */
static char *touch_mib(unsigned long mib)
{
	char *p = mmap(NULL, mib * MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	for (unsigned long off = 0; off < mib * MIB; off += 4096)
		p[off] = 1;
	return p;
}

static void *pause_thread(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static char clone_stack[64 * 1024] __attribute__((aligned(16)));
static int clone_child(void *arg)
{
	(void)arg;
	prctl(PR_SET_NAME, "hog-clone");
	for (;;)
		pause();
	return 0;
}

enum hog_kind { PLAIN, THREADS, CLONE_VM_CHILD, VFORK_CHILD, MPROTECT_LOOP, SHARED_FILE };

struct hog {
	pid_t pid, extra;	/* extra: its CLONE_VM or vfork child */
};

/*
 * A child named name with mib MiB touched and oom_score_adj adj, then
 * pausing for ever (with two more threads, a CLONE_VM child or a vfork
 * child, as kind says). Returns once it is ready.
 */
#define SHARED_PATH "/tmp/oomtest-shared"
#define SHARED_MIB 8

/* What page i of SHARED_PATH holds once a SHARED_FILE hog has stored it through its mapping. */
static char shared_byte(unsigned long i) { return (char)('a' + i % 26); }

/* A SHARED_FILE hog's MAP_SHARED mapping of SHARED_PATH, every page stored through it; false if it fails. */
static bool map_shared_file(void)
{
	int fd = open(SHARED_PATH, O_RDWR | O_CREAT | O_TRUNC, 0600);
	char *m;

	if (fd < 0 || ftruncate(fd, SHARED_MIB * MIB))
		return false;
	m = mmap(NULL, SHARED_MIB * MIB, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (m == MAP_FAILED)
		return false;
	for (unsigned long i = 0; i < SHARED_MIB * MIB / 4096; i++)
		memset(m + i * 4096, shared_byte(i), 4096);
	return true;
}

/* The hog's side, in its own image: see spawn_hog(). */
static void hog_main(const char *name, unsigned long mib, int adj, enum hog_kind kind, int fd)
{
	pid_t extra = 0;
	pthread_t t;
	char *mem;

	prctl(PR_SET_NAME, name);
	set_adj(adj);
	mem = touch_mib(mib);
	if (!mem || (kind == SHARED_FILE && !map_shared_file()))
		_exit(3);
	if (kind == THREADS) {
		pthread_create(&t, NULL, pause_thread, NULL);
		pthread_create(&t, NULL, pause_thread, NULL);
	} else if (kind == CLONE_VM_CHILD) {
		extra = clone(clone_child, clone_stack + sizeof(clone_stack), CLONE_VM | SIGCHLD, NULL);
	} else if (kind == VFORK_CHILD) {
		if (vfork() == 0) {	/* the child reports itself; it runs on the parent's mm */
			pid_t me = getpid();
			write(fd, &me, sizeof(me));
			for (;;)
				pause();
		}
		_exit(4);
	}
	write(fd, &extra, sizeof(extra));
	for (int prot = PROT_READ; kind == MPROTECT_LOOP; prot ^= PROT_WRITE)
		mprotect(mem, 4096, prot);	/* takes mmap_lock for writing, again and again */
	for (;;)
		pause();
}

/* The trigger's side, in its own image: allocate kb KiB, touching it, and exit 0. */
static void trigger_main(const char *name, long kb, int adj)
{
	prctl(PR_SET_NAME, name);
	set_adj(adj);
	_exit(touch_mib((unsigned long)(kb + 1023) / 1024) ? 0 : 5);
}

/*
 * The children run oomtest again (exec), not a fork's copy: a forked child
 * shares oomtest's pages copy-on-write, and oomtest writing one of them while
 * a scenario holds memory exhausted would need a new page and wait for the
 * very OOM it is watching.
 */
static void exec_self(char **argv)
{
	execv("/proc/self/exe", argv);
	dprintf(2, "oomtest: exec %s: %s\n", argv[1], strerror(errno));
	_exit(7);
}

/*
 * A child named name with mib MiB touched and oom_score_adj adj, then
 * pausing for ever (with two more threads, a CLONE_VM child or a vfork
 * child, as kind says). Returns once it is ready.
 */
static struct hog spawn_hog(const char *name, unsigned long mib, int adj, enum hog_kind kind)
{
	char a_mib[24], a_adj[24], a_kind[24], a_fd[24];
	int fds[2];
	struct hog h = { -1, -1 };

	if (pipe(fds))
		return h;
	snprintf(a_mib, sizeof(a_mib), "%lu", mib);
	snprintf(a_adj, sizeof(a_adj), "%d", adj);
	snprintf(a_kind, sizeof(a_kind), "%d", kind);
	snprintf(a_fd, sizeof(a_fd), "%d", fds[1]);
	h.pid = fork();
	if (h.pid == 0) {
		close(fds[0]);
		exec_self((char *[]){ "oomtest", "--hog", (char *)name, a_mib, a_adj, a_kind, a_fd, NULL });
	}
	close(fds[1]);
	if (read(fds[0], &h.extra, sizeof(h.extra)) != sizeof(h.extra))
		fail("hog %s did not get ready", name);
	close(fds[0]);
	return h;
}

/* oomtest's reserve while a scenario keeps memory short (t_stuck()). */
static char *ballast;
#define BALLAST_MIB 2

/* A child that allocates kb KiB (touching it) and exits 0: the task that runs into the OOM. */
static pid_t spawn_trigger(const char *name, long kb, int adj)
{
	char a_kb[24], a_adj[24];
	pid_t pid;

	snprintf(a_kb, sizeof(a_kb), "%ld", kb);
	snprintf(a_adj, sizeof(a_adj), "%d", adj);
	pid = fork();
	if (pid == 0)
		exec_self((char *[]){ "oomtest", "--trigger", (char *)name, a_kb, a_adj, NULL });
	return pid;
}

/* Wait for pid; its wait status, or -1. */
static int reap(pid_t pid)
{
	int st;
	while (waitpid(pid, &st, __WALL) < 0)
		if (errno != EINTR)
			return -1;
	return st;
}

static bool killed(int st) { return st >= 0 && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL; }
static bool exited0(int st) { return st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0; }
/* Still running (not a zombie)? Read from /proc, so that a zombie is not reaped by asking. */
static bool alive(pid_t pid)
{
	char path[64], *stat;
	bool running;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	stat = read_file(path);
	running = stat && strrchr(stat, ')') && strrchr(stat, ')')[2] != 'Z';
	return running;
}

static void kill_reap(pid_t pid)
{
	if (pid > 0) {
		kill(pid, SIGKILL);
		reap(pid);
	}
}

/*
 * What the trigger asks for: what an ordinary allocation can still get
 * (free memory above the min watermark, vm.min_free_kbytes) plus margin_kb,
 * so that one kill of a process bigger than the margin makes room.
 */
static long short_by(long margin_kb)
{
	return free_kb() - read_long("/proc/sys/vm/min_free_kbytes") + margin_kb;
}

static int run_trigger(const char *name, long margin_kb, int adj)
{
	return reap(spawn_trigger(name, short_by(margin_kb), adj));
}

/*
 * Free pages must come back to where they were (the victims' memory, page
 * tables and kernel stacks all returned). A fork and exit first, so that
 * the slab caches the scenario uses already hold their objects.
 */
/* The meminfo fields a leak would show in, at the baseline (for the failure message). */
static const char *const LEAK_FIELDS[] = { "Slab", "KernelStack", "PageTables", "VmallocUsed", "AnonPages",
					   "Cached", NULL };
static long leak_base[8];

/*
 * Free pages once the last warm-up task is gone for good: an exited task's
 * kernel stack is freed after its last switch, which may come after wait4()
 * returned, and a baseline read before it would be too low.
 */
static long settled_free_pages(void)
{
	long prev = free_pages(), now = prev;

	for (int i = 0; i < 50; i++) {
		usleep(20000);
		now = free_pages();
		if (now == prev)
			break;
		prev = now;
	}
	return now;
}

static long baseline(void)
{
	static const enum hog_kind kinds[] = { PLAIN, THREADS, CLONE_VM_CHILD, VFORK_CHILD };
	struct hog many[12];

	/* As many tasks at once as a scenario has: the kernel's page tables for their stacks stay. */
	for (int i = 0; i < 12; i++)
		many[i] = spawn_hog("warmup", 1, 0, PLAIN);
	for (int i = 0; i < 12; i++)
		kill_reap(many[i].pid);

	for (unsigned int i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		struct hog h = spawn_hog("warmup", 1, 0, kinds[i]);
		kill_reap(h.pid);
		if (kinds[i] == CLONE_VM_CHILD || kinds[i] == VFORK_CHILD)
			kill_reap(h.extra);
	}
	reap(spawn_trigger("warmup", 64, 0));
	/* And one OOM kill, of an allocating task, which takes paths nothing else does. */
	write_file("/proc/sys/vm/oom_kill_allocating_task", "1");
	reap(spawn_trigger("warmup", short_by(1024), 0));
	write_file("/proc/sys/vm/oom_kill_allocating_task", "0");
	for (int i = 0; LEAK_FIELDS[i]; i++)
		leak_base[i] = keyed("/proc/meminfo", LEAK_FIELDS[i]);
	return settled_free_pages();
}

static void check_baseline(long base)
{
	long now = 0;
	for (int i = 0; i < 50; i++) {	/* an exited task's stack is freed after its last switch */
		now = free_pages();
		if (now == base)
			return;
		usleep(20000);
	}
	if (now == base)
		return;
	/*
	 * Linux keeps pages on per-CPU lists and in caches that shrink and grow
	 * on their own, so there the count must only not be lower by more than
	 * those hold (a leaked victim is thousands of pages). Folio's is exact.
	 */
	if (on_linux && now > base - 256)
		return;
	char d[256] = "";
	for (int i = 0, n = 0; LEAK_FIELDS[i]; i++) {
		long v = keyed("/proc/meminfo", LEAK_FIELDS[i]);
		if (v != leak_base[i])
			n += snprintf(d + n, sizeof(d) - n, " %s %+ld kB", LEAK_FIELDS[i], v - leak_base[i]);
	}
	fail("free pages %ld, baseline %ld: %ld pages leaked;%s", now, base, base - now, d);
}

/* ---------------------------------------------------------------- Linux's behaviour */

/*
 * The margins are small beside the victims: Linux raises its watermarks by
 * a boost of a few MiB after a shortage, which a smaller victim would not
 * cover, and the second kill would be the test's fault.
 */
static void t_choice(void)
{
	long base = baseline(), k0 = oom_kills();
	struct hog big = spawn_hog("hog-big", 14, 0, PLAIN);
	struct hog small = spawn_hog("hog-small", 8, 0, PLAIN);
	struct hog never = spawn_hog("hog-never", 18, -1000, PLAIN);

	/* Badness order: the biggest of the adj-0 processes goes first. */
	int st = run_trigger("trigger", 1024, -1000);
	CHECK(exited0(st), "the trigger did not get its memory (status %#x)", st);
	CHECK(!alive(big.pid), "hog-big (14 MiB) survived");
	CHECK(alive(small.pid) && alive(never.pid), "hog-small or hog-never died with the first kill");
	CHECK(oom_kills() - k0 == 1, "%ld kills, expected 1", oom_kills() - k0);
	CHECK(killed(reap(big.pid)), "hog-big did not die of SIGKILL");

	/* +1000 first, even when smaller; -1000 never, even when biggest. */
	struct hog first = spawn_hog("hog-first", 6, 1000, PLAIN);
	st = run_trigger("trigger", 1024, -1000);
	CHECK(exited0(st), "the second trigger did not get its memory");
	CHECK(!alive(first.pid) && alive(small.pid) && alive(never.pid), "+1000 was not the one chosen");
	CHECK(killed(reap(first.pid)), "hog-first did not die of SIGKILL");
	st = run_trigger("trigger", 1024, -1000);
	CHECK(exited0(st) && !alive(small.pid) && alive(never.pid), "hog-small was not next, or -1000 died");
	reap(small.pid);
	CHECK(oom_kills() - k0 == 3, "%ld kills, expected 3", oom_kills() - k0);
	kill_reap(never.pid);
	check_baseline(base);
}

static void t_shared(void)
{
	long base = baseline(), k0 = oom_kills();
	struct hog a = spawn_hog("hog-clonevm", 12, 0, CLONE_VM_CHILD);
	int st = run_trigger("trigger", 2048, -1000);

	CHECK(exited0(st), "the trigger did not get its memory");
	CHECK(killed(reap(a.pid)), "the process with the CLONE_VM child did not die of SIGKILL");
	CHECK(killed(reap(a.extra)), "its CLONE_VM child (pid %d) was not killed", a.extra);
	struct hog v = spawn_hog("hog-vfork", 12, 0, VFORK_CHILD);
	st = run_trigger("trigger", 2048, -1000);
	CHECK(exited0(st), "the second trigger did not get its memory");
	CHECK(killed(reap(v.pid)), "the vfork parent did not die of SIGKILL");
	CHECK(killed(reap(v.extra)), "the vfork child (pid %d) was not killed", v.extra);
	CHECK(oom_kills() - k0 == 2, "%ld kills, expected 2 (one per shared mm)", oom_kills() - k0);
	check_baseline(base);
}

static void t_threads(void)
{
	long base = baseline(), k0 = oom_kills();
	struct hog h = spawn_hog("hog-threads", 12, 0, THREADS);
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/status", h.pid);
	CHECK(keyed(path, "Threads") == 3, "the hog has %ld threads, expected 3", keyed(path, "Threads"));
	int st = run_trigger("trigger", 2048, -1000);
	CHECK(exited0(st), "the trigger did not get its memory");
	CHECK(killed(reap(h.pid)), "the threaded hog did not die of SIGKILL");
	CHECK(access(path, F_OK) != 0, "%s still exists after the wait", path);
	CHECK(oom_kills() - k0 == 1, "%ld kills, expected 1", oom_kills() - k0);
	check_baseline(base);
}

static void t_allocating(void)
{
	long base = baseline(), k0 = oom_kills();
	struct hog big = spawn_hog("hog-big", 16, 0, PLAIN);

	CHECK(write_file("/proc/sys/vm/oom_kill_allocating_task", "1") == 0, "cannot set oom_kill_allocating_task");
	int st = run_trigger("trigger", 2048, 0);
	write_file("/proc/sys/vm/oom_kill_allocating_task", "0");
	CHECK(killed(st), "the allocating task was not killed (status %#x)", st);
	CHECK(alive(big.pid), "the bigger hog died instead");
	CHECK(oom_kills() - k0 == 1, "%ld kills, expected 1", oom_kills() - k0);
	kill_reap(big.pid);
	check_baseline(base);
}

static void t_sysrq(void)
{
	long base = baseline(), k0 = oom_kills();
	struct hog big = spawn_hog("hog-big", 8, 0, PLAIN);
	struct hog small = spawn_hog("hog-small", 2, 0, PLAIN);

	write_file("/proc/sys/vm/oom_dump_tasks", "0");	/* the report without its task table */
	CHECK(write_file("/proc/sysrq-trigger", "f") == 0, "cannot write /proc/sysrq-trigger");
	CHECK(killed(reap(big.pid)), "SysRq f did not kill the biggest process");
	write_file("/proc/sys/vm/oom_dump_tasks", "1");
	CHECK(alive(small.pid), "SysRq f killed the smaller process too");
	CHECK(oom_kills() - k0 == 1, "%ld kills, expected 1", oom_kills() - k0);
	kill_reap(small.pid);
	check_baseline(base);
}

/*
 * The OOM hits inside system calls: a child (+1000, so it is the one
 * chosen) fills a file in a ramfs, a pipe, forks and reads /proc,
 * round after round, until the kernel allocation that cannot
 * be satisfied kills it. It must die of SIGKILL (no oops, no report), and
 * once its file is gone the memory is all back.
 */
static void syscall_hog(void)
{
	static char chunk[65536];
	int fd = open("/oomtest-fs/file", O_WRONLY | O_CREAT | O_TRUNC, 0600), p[2], files = 0;
	char name[64];

	prctl(PR_SET_NAME, "syscall-hog");
	set_adj(1000);
	memset(chunk, 'x', sizeof(chunk));
	for (;;) {
		if (write(fd, chunk, sizeof(chunk)) < 0 && errno != ENOMEM)
			_exit(6);
		/*
		 * ENOMEM without an OOM: a large file's page array needs a costly
		 * (high-order) allocation, which fails rather than kill. Go on in a
		 * new file, whose small array leaves the OOM to its data pages.
		 */
		if (errno == ENOMEM) {
			close(fd);
			snprintf(name, sizeof(name), "/oomtest-fs/file.%d", ++files);
			fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0600);
			errno = 0;
		}
		if (pipe(p) == 0) {
			write(p[1], chunk, 4096);
			close(p[0]);
			close(p[1]);
		}
		/*
		 * vfork(): the OOM may strike in it (the child's task and kernel stack), but never
		 * while a child of ours is alive beside us (a fork()ed one, with our score, could
		 * be chosen first at our next copy-on-write fault, and we would be a second kill).
		 */
		pid_t c = vfork();
		if (c == 0)
			_exit(0);
		if (c > 0)
			waitpid(c, NULL, 0);
		read_file("/proc/self/maps");
	}
}

static void t_syscalls(void)
{
	/* ramfs: no size limit (Linux's rootfs may be a tmpfs of half the memory: ENOSPC first). */
	mkdir("/oomtest-fs", 0700);
	CHECK(mount("ramfs", "/oomtest-fs", "ramfs", 0, NULL) == 0, "cannot mount ramfs: %s", strerror(errno));
	long base = baseline(), k0 = oom_kills();
	pid_t pid = fork();

	if (pid == 0)
		syscall_hog();
	int st = reap(pid);
	/* The file keeps its memory after the kill: remove it first, before anything here allocates. */
	int gone = unlink("/oomtest-fs/file");
	CHECK(gone == 0, "cannot remove the hog's file: %s", strerror(errno));
	char name[64];
	for (int i = 1; snprintf(name, sizeof(name), "/oomtest-fs/file.%d", i), unlink(name) == 0; i++)
		;	/* the files it went on in (see syscall_hog()) */
	CHECK(killed(st), "the syscall hog was not killed by SIGKILL (status %#x)", st);
	CHECK(oom_kills() - k0 == 1, "%ld kills, expected 1", oom_kills() - k0);
	while (waitpid(-1, NULL, __WALL) > 0)	/* its last forked child, orphaned to us */
		;
	check_baseline(base);
	umount("/oomtest-fs");
	rmdir("/oomtest-fs");
}

/* ---------------------------------------------------------------- Folio: trace and delay points */

static void delay(const char *cmd)
{
	int err = write_file(TR "/delay_points", cmd);
	if (err)
		fail("delay_points: '%s': %s", cmd, strerror(-err));
}

/* "NAME MODE FILTER hits=N waiting=N": the waiting count of the point, 0 if not armed. */
static long delay_waiting(const char *name)
{
	char *buf = read_file(TR "/delay_points"), *p;
	long n = 0;
	size_t k = strlen(name);

	for (p = buf; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : p + strlen(p))
		if (!strncmp(p, name, k) && p[k] == ' ' && strstr(p, "waiting="))
			n = strtol(strstr(p, "waiting=") + 8, NULL, 10);
	return n;
}

/* Wait (up to 20 s) until n tasks are held at a point. */
static bool wait_held(const char *name, long n)
{
	for (int i = 0; i < 2000; i++) {
		if (delay_waiting(name) >= n)
			return true;
		usleep(10000);
	}
	fail("nobody reached delay point %s", name);
	return false;
}

/* The trace, one event a line; trace_find() gives the line number of "EVENT: ...pid=PID" or -1. */
static char *trace_lines[8192];
static int trace_n;

static void trace_load(void)
{
	char *buf = read_into(TR "/trace", trace_buf, TRACE_BUF);

	trace_n = 0;
	for (char *p = buf ? strtok(buf, "\n") : NULL; p && trace_n < 8192; p = strtok(NULL, "\n"))
		if (p[0] != '#')
			trace_lines[trace_n++] = p;
}

/* The line of the first event named ev about pid (pid=P, or the task P for delay events) from line from. */
static int trace_find_from(const char *ev, pid_t pid, int from)
{
	char key[64], who[32];
	snprintf(key, sizeof(key), " %s: ", ev);
	snprintf(who, sizeof(who), "pid=%d", pid);
	for (int i = from; i < trace_n; i++) {
		char *e = strstr(trace_lines[i], key);
		if (!e)
			continue;
		char pidtok[24];
		snprintf(pidtok, sizeof(pidtok), "-%d ", pid);	/* "comm-PID  [000]" */
		bool about = strstr(e, who) && (strstr(e, who)[strlen(who)] == ' ' || strstr(e, who)[strlen(who)] == 0);
		if (pid < 0 || about || (!strstr(e, "pid=") && strstr(trace_lines[i], pidtok)))
			return i;
	}
	return -1;
}
static int trace_find(const char *ev, pid_t pid) { return trace_find_from(ev, pid, 0); }

static int trace_count(const char *ev, pid_t pid)
{
	int n = 0;
	for (int i = trace_find(ev, pid); i >= 0; i = trace_find_from(ev, pid, i + 1))
		n++;
	return n;
}

static void trace_reset(void)
{
	write_file(TR "/trace", "\n");
}

/* Was a line with this text logged by the kernel (syslog's buffer)? */
static bool klog_has(const char *text)
{
	char *buf = klog_buf;
	int n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, KLOG_BUF - 1);
	if (n < 0)
		return false;
	buf[n] = 0;
	return strstr(buf, text) != NULL;
}

static const char *const OOM_POINTS[] = {
	"mmput_before_exit_mmap", "oom_reap_task_got_mm", "oom_reap_task_mm_unmapped",
	"do_exit_before_exit_mm", "exit_mm_after_mm_cleared", "mprotect_mmap_write_locked",
	"get_user_page_remote_fault", NULL,
};

static void disarm_all(void)
{
	char cmd[80];
	for (int i = 0; OOM_POINTS[i]; i++) {
		if (delay_waiting(OOM_POINTS[i]) >= 0) {
			snprintf(cmd, sizeof(cmd), "%s:off", OOM_POINTS[i]);
			write_file(TR "/delay_points", cmd);	/* -ENOENT when not armed: fine */
		}
	}
}

/*
 * The handshake: the victim is held in __mmput() after its last mmput()
 * (mm_users 0), the reaper only once the victim is there. Default: the
 * reaper reaches the mm through signal->oom_mm and frees it: one kill.
 * oom_reaper.mmget=1: mmget_not_zero() fails, the reaper gives up, and
 * the OOM killer kills the bystander: a second, spurious kill. The same bug
 * would strike the bystander too if the reaper looked at it between its last
 * mmput() and exit_mmap()'s freeing: a third OOM with nobody left to kill
 * panics. So the bystander waits before exit_mm(), pinnable, until the
 * reaper has unmapped its memory: exactly one spurious kill, every time.
 */
static void t_handshake(int mmget)
{
	long base = baseline(), k0 = oom_kills();
	struct hog bystander = spawn_hog("bystander", 8, 0, PLAIN);	/* more than the trigger is short by */
	struct hog victim = spawn_hog("victim", 16, 1000, PLAIN);

	trace_reset();
	if (mmget)
		delay("do_exit_before_exit_mm:hold-until=oom_reap_task_mm_unmapped@comm=bystander");
	delay("mmput_before_exit_mmap:hold@comm=victim");
	/* The reaper goes on only once the victim is there, with mm_users 0. */
	delay("oom_reap_task_got_mm:hold-until=mmput_before_exit_mmap@comm=oom_reaper");
	int st = reap(spawn_trigger("trigger", short_by(4096), -1000));
	wait_held("mmput_before_exit_mmap", 1);
	delay("oom_reap_task_got_mm:off");
	trace_load();
	CHECK(exited0(st), "the trigger did not get its memory (status %#x)", st);
	CHECK(trace_count("mark_victim", victim.pid) == 1, "the victim was not marked once");
	if (!mmget) {
		CHECK(trace_find("start_task_reaping", victim.pid) >= 0 && trace_find("finish_task_reaping", victim.pid) >= 0,
		      "the reaper did not reap the stalled victim");
		CHECK(oom_kills() - k0 == 1, "%ld kills, expected 1", oom_kills() - k0);
		CHECK(alive(bystander.pid), "the bystander was killed: a spurious second kill");
		printf("oomtest: handshake: the stalled victim (mm_users 0) was reaped; one kill\n");
	} else {
		CHECK(trace_find("start_task_reaping", victim.pid) < 0, "the reaper reaped although mm_users was 0");
		CHECK(trace_find("skip_task_reaping", victim.pid) >= 0, "no skip_task_reaping for the victim");
		CHECK(oom_kills() - k0 == 2, "%ld kills, expected 2 (the spurious second one)", oom_kills() - k0);
		CHECK(killed(reap(bystander.pid)), "the bystander was not killed");
		CHECK(trace_find("mark_victim", bystander.pid) > trace_find("skip_task_reaping", victim.pid),
		      "the second kill did not follow the reaper's give-up");
		printf("oomtest: handshake: mmget_not_zero() failed, the reaper gave up, the bystander "
		       "(pid %d) was killed: a spurious second kill\n", bystander.pid);
	}
	delay("mmput_before_exit_mmap:off");
	delay("do_exit_before_exit_mm:off");
	CHECK(killed(reap(victim.pid)), "the victim did not die of SIGKILL");
	kill_reap(bystander.pid);
	check_baseline(base);
}

/* The victim's /proc/PID/wchan, or "". */
static void wchan(pid_t pid, char *out, size_t size)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/wchan", pid);
	char *s = read_file(path);
	snprintf(out, size, "%s", s ? s : "");
}

/*
 * Reaper first: the reaper is held inside its read lock, after unmapping;
 * the victim then runs exit_mmap(), sets MMF_OOM_SKIP and blocks in the
 * dummy mmap_write_lock() until the reaper lets go. The trace proves it:
 * exit_mmap_oom_skip, then the reaper's finish_task_reaping, then
 * exit_mmap_lock.
 */
static void t_reaper_first(void)
{
	long base = baseline(), k0 = oom_kills();
	struct hog bystander = spawn_hog("bystander", 4, 0, PLAIN);
	struct hog victim = spawn_hog("victim", 16, 1000, PLAIN);
	char wc[64] = "";

	trace_reset();
	/* The victim starts its exit once the reaper has unmapped, and holds its read lock. */
	delay("do_exit_before_exit_mm:hold-until=oom_reap_task_mm_unmapped@comm=victim");
	delay("oom_reap_task_mm_unmapped:hold@comm=oom_reaper");
	/* The trigger's memory comes from the reaper's unmapping: it ends while the reaper is held. */
	int st = reap(spawn_trigger("trigger", short_by(4096), -1000));
	/* The dummy mmap_write_lock() is exit_mmap()'s only sleep: wchan names the caller of the rwsem code. */
	for (int i = 0; i < 2000 && strcmp(wc, "exit_mmap"); i++) {
		usleep(10000);
		wchan(victim.pid, wc, sizeof(wc));
	}
	CHECK(!strcmp(wc, "exit_mmap"), "the victim did not block in exit_mmap()'s mmap_write_lock() (wchan '%s')", wc);
	delay("oom_reap_task_mm_unmapped:off");
	delay("do_exit_before_exit_mm:off");
	CHECK(killed(reap(victim.pid)), "the victim did not die of SIGKILL");
	trace_load();
	int skip = trace_find("exit_mmap_oom_skip", victim.pid), fin = trace_find("finish_task_reaping", victim.pid);
	int lock = trace_find("exit_mmap_lock", victim.pid);
	CHECK(exited0(st), "the trigger did not get its memory");
	CHECK(trace_find("start_task_reaping", victim.pid) >= 0, "the reaper did not reap");
	CHECK(skip >= 0 && fin > skip && lock > fin,
	      "trace order: exit_mmap_oom_skip %d, finish_task_reaping %d, exit_mmap_lock %d", skip, fin, lock);
	CHECK(oom_kills() - k0 == 1 && alive(bystander.pid), "a second task was killed");
	printf("oomtest: reaper-first: exit_mmap_oom_skip (line %d) < finish_task_reaping (%d) < "
	       "exit_mmap_lock (%d): exit_mmap() waited in '%s'\n", skip, fin, lock, wc);
	kill_reap(bystander.pid);
	check_baseline(base);
}

/* Exit first: the reaper is held before it looks; the victim's exit_mmap() completes; the reaper skips. */
static void t_exit_first(void)
{
	long base = baseline(), k0 = oom_kills();
	struct hog bystander = spawn_hog("bystander", 4, 0, PLAIN);
	struct hog victim = spawn_hog("victim", 16, 1000, PLAIN);

	trace_reset();
	delay("oom_reap_task_got_mm:hold@comm=oom_reaper");
	pid_t trig = spawn_trigger("trigger", short_by(4096), -1000);
	/* Waiting allocates nothing: memory is short until the victim's exit_mmap() has run. */
	CHECK(killed(reap(victim.pid)), "the victim did not die of SIGKILL");
	int st = reap(trig);
	delay("oom_reap_task_got_mm:off");
	for (int i = 0; i < 500; i++) {
		trace_load();
		if (trace_find("skip_task_reaping", victim.pid) >= 0)
			break;
		usleep(10000);
	}
	int unlock = trace_find("exit_mmap_unlock", victim.pid), skipped = trace_find("skip_task_reaping", victim.pid);
	CHECK(exited0(st), "the trigger did not get its memory");
	CHECK(unlock >= 0 && skipped > unlock, "trace order: exit_mmap_unlock %d, skip_task_reaping %d", unlock, skipped);
	CHECK(trace_find("start_task_reaping", victim.pid) < 0, "the reaper touched an mm exit_mmap() had done with");
	CHECK(oom_kills() - k0 == 1 && alive(bystander.pid), "a second task was killed");
	printf("oomtest: exit-first: exit_mmap_unlock (line %d) < skip_task_reaping (%d)\n", unlock, skipped);
	kill_reap(bystander.pid);
	check_baseline(base);
}

/*
 * A stuck victim: held for good (uninterruptibly) before exit_mm(), with
 * all its memory. Default: the reaper frees it and clears TIF_MEMDIE; a
 * second OOM then kills the bystander. oom_reaper.keep_memdie=1: the
 * second OOM never kills, its trigger hangs in D state, and the hung-task
 * detector reports it; releasing the victim ends the hang.
 */
static void t_stuck(int keep_memdie)
{
	long base = baseline(), k0 = oom_kills();
	struct hog bystander = spawn_hog("bystander", 8, 0, PLAIN);
	struct hog victim = spawn_hog("victim", 16, 1000, PLAIN);

	trace_reset();
	write_file("/proc/sys/kernel/hung_task_timeout_secs", "2");
	delay("do_exit_before_exit_mm:hold@comm=victim");
	int st = run_trigger("trigger", 4096, -1000);
	CHECK(exited0(st), "the first trigger did not get its memory (status %#x)", st);
	wait_held("do_exit_before_exit_mm", 1);
	trace_load();
	CHECK(trace_find("finish_task_reaping", victim.pid) >= 0, "the stuck victim was not reaped");
	/*
	 * keep_memdie: the second trigger will hang with memory short; oomtest
	 * keeps a 2 MiB ballast to give back once the hang is reported (klogctl()
	 * allocates nothing), so that it can go on working.
	 */
	ballast = keep_memdie ? touch_mib(BALLAST_MIB) : NULL;
	pid_t second = spawn_trigger("trigger2", short_by(4096), -1000);
	if (!keep_memdie) {
		st = reap(second);
		CHECK(exited0(st), "the second trigger did not get its memory");
		CHECK(killed(reap(bystander.pid)), "the second OOM did not kill the bystander");
		CHECK(oom_kills() - k0 == 2, "%ld kills, expected 2", oom_kills() - k0);
		printf("oomtest: stuck: reaped, TIF_MEMDIE cleared; the second OOM killed the bystander\n");
	} else {
		char text[96];
		snprintf(text, sizeof(text), "INFO: task trigger2:%d blocked for more than 2 seconds.", second);
		for (int i = 0; i < 3000 && !klog_has(text); i++)
			usleep(10000);
		CHECK(klog_has(text), "no hung-task report for trigger2");
		munmap(ballast, BALLAST_MIB * MIB);
		ballast = NULL;
		CHECK(alive(second) && alive(bystander.pid), "the second OOM killed while the victim kept TIF_MEMDIE");
		CHECK(oom_kills() - k0 == 1, "%ld kills while the victim was stuck, expected 1", oom_kills() - k0);
		printf("oomtest: stuck: the second OOM hangs while the reaped victim keeps TIF_MEMDIE (hung-task report)\n");
	}
	delay("do_exit_before_exit_mm:off");	/* the victim exits at last */
	CHECK(killed(reap(victim.pid)), "the victim did not die of SIGKILL");
	if (keep_memdie) {
		st = reap(second);	/* exit_oom_victim() woke it; the bystander goes now */
		CHECK(exited0(st), "the second trigger did not finish after the victim exited");
		CHECK(killed(reap(bystander.pid)), "the bystander was not killed after the victim exited");
	}
	write_file("/proc/sys/kernel/hung_task_timeout_secs", "10");
	check_baseline(base);
}

/*
 * The 2016 flood: many OOM rounds, the victim's exit delayed (1 ms) right
 * after exit_mm() cleared ->mm. In some rounds the reaper comes before the
 * victim reached that point (it still had its ->mm; odd rounds also delay
 * the victim 2 ms before exit_mm(), so that this happens), in others after
 * (->mm was NULL: a reaper that looked the mm up through the task would
 * have found nothing). Every round: exactly one kill, nothing leaked.
 */
static void t_flood(int rounds)
{
	long base = baseline(), k0 = oom_kills();
	int before = 0, after = 0, skipped = 0;
	struct timespec t0, t1;

	delay("exit_mm_after_mm_cleared:1@comm=victim");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int r = 0; r < rounds && !why[0]; r++) {
		long k = oom_kills();
		trace_reset();
		struct hog victim = spawn_hog("victim", 4, 1000, PLAIN);
		if (r & 1)	/* odd rounds: the victim starts its exit late, so the reaper comes first */
			delay("do_exit_before_exit_mm:2@comm=victim");
		int st = run_trigger("trigger", 1024, -1000);
		CHECK(exited0(st), "round %d: the trigger did not get its memory", r);
		CHECK(killed(reap(victim.pid)), "round %d: the victim did not die of SIGKILL", r);
		CHECK(oom_kills() - k == 1, "round %d: %ld kills", r, oom_kills() - k);
		if (r & 1)
			delay("do_exit_before_exit_mm:off");
		trace_load();
		int cleared = trace_find("reached", victim.pid);
		while (cleared >= 0 && !strstr(trace_lines[cleared], "point=exit_mm_after_mm_cleared "))
			cleared = trace_find_from("reached", victim.pid, cleared + 1);
		int reaper = trace_find("start_task_reaping", victim.pid);
		if (reaper < 0)
			reaper = trace_find("skip_task_reaping", victim.pid);
		if (reaper < 0)
			skipped++;	/* the victim's exit finished before the reaper dequeued it */
		else if (cleared >= 0 && cleared < reaper)
			after++;
		else
			before++;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	delay("exit_mm_after_mm_cleared:off");
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("oomtest: flood: %d rounds, %ld kills in %.1f s (%.1f rounds/s): the reaper came with the victim's "
	       "->mm set in %d, after ->mm was cleared in %d\n", rounds, oom_kills() - k0, secs, rounds / secs,
	       before, after + skipped);
	CHECK(oom_kills() - k0 == rounds, "%ld kills in %d rounds", oom_kills() - k0, rounds);
	CHECK(before > 0 && after + skipped > 0, "only one ordering occurred (%d with ->mm, %d without)", before,
	      after + skipped);
	check_baseline(base);
}

/*
 * The reaper's pace: victims that cannot run (each held for good before
 * exit_mm(), with all its memory), one after the other. Each is reaped
 * while it is held and dies once released: one kill a round, nothing
 * leaked. make bench times each round from the kernel log's own
 * timestamps, "Killed process N (victim)" to "oom_reaper: reaped process N".
 */
static void t_reap(int rounds)
{
	long base = baseline(), k0 = oom_kills();

	for (int r = 0; r < rounds && !why[0]; r++) {
		struct hog victim = spawn_hog("victim", 16, 1000, PLAIN);
		trace_reset();
		delay("do_exit_before_exit_mm:hold@comm=victim");
		int st = run_trigger("trigger", 4096, -1000);
		CHECK(exited0(st), "round %d: the trigger did not get its memory (status %#x)", r, st);
		wait_held("do_exit_before_exit_mm", 1);
		trace_load();
		CHECK(trace_find("finish_task_reaping", victim.pid) >= 0, "round %d: the held victim was not reaped", r);
		delay("do_exit_before_exit_mm:off");
		CHECK(killed(reap(victim.pid)), "round %d: the victim did not die of SIGKILL", r);
	}
	CHECK(oom_kills() - k0 == rounds, "%ld kills in %d rounds", oom_kills() - k0, rounds);
	printf("oomtest: reap: %d victims held before exit_mm(), each reaped: %ld kills\n", rounds,
	       oom_kills() - k0);
	check_baseline(base);
}

/* SHARED_PATH holds what the SHARED_FILE hog stored, every byte of it. */
static bool shared_file_intact(void)
{
	int fd = open(SHARED_PATH, O_RDONLY);
	char page[4096];
	bool ok = fd >= 0;

	for (unsigned long i = 0; ok && i < SHARED_MIB * MIB / 4096; i++) {
		ok = pread(fd, page, sizeof(page), (off_t)i * 4096) == (ssize_t)sizeof(page);
		for (size_t j = 0; ok && j < sizeof(page); j++)
			ok = page[j] == shared_byte(i);
	}
	if (fd >= 0)
		close(fd);
	return ok;
}

/*
 * The reaper leaves shared memory alone: a victim with a MAP_SHARED mapping
 * of a memory file, held before exit_mm(), is reaped (its anonymous memory
 * goes, enough for the trigger), and the file keeps every byte the victim
 * stored through the mapping, before the victim's exit unmaps it and after.
 */
static void t_reap_shared(void)
{
	long base = baseline(), k0 = oom_kills();
	struct hog victim = spawn_hog("victim", 16, 1000, SHARED_FILE);

	trace_reset();
	delay("do_exit_before_exit_mm:hold@comm=victim");
	int st = run_trigger("trigger", 4096, -1000);
	CHECK(exited0(st), "the trigger did not get its memory (status %#x)", st);
	wait_held("do_exit_before_exit_mm", 1);
	trace_load();
	CHECK(trace_find("finish_task_reaping", victim.pid) >= 0, "the held victim was not reaped");
	CHECK(shared_file_intact(), "the file lost what the victim stored in it once the reaper ran");
	delay("do_exit_before_exit_mm:off");
	CHECK(killed(reap(victim.pid)), "the victim did not die of SIGKILL");
	CHECK(shared_file_intact(), "the file lost what the victim stored in it once the victim exited");
	CHECK(oom_kills() - k0 == 1, "%ld kills, expected 1", oom_kills() - k0);
	unlink(SHARED_PATH);
	check_baseline(base);
}

/*
 * The reaper gives up: the victim is stuck in mprotect() holding mmap_lock
 * for writing, so every mmap_read_trylock() fails. After its tries the
 * reaper names the holder, sets MMF_OOM_SKIP, and the OOM killer moves on
 * to the bystander.
 */
static void t_unreapable(void)
{
	long base = baseline(), k0 = oom_kills();
	struct hog bystander = spawn_hog("bystander", 8, 0, PLAIN);
	struct hog victim = spawn_hog("victim", 16, 1000, MPROTECT_LOOP);
	char give_up[64], holder[64];

	delay("mprotect_mmap_write_locked:hold@comm=victim");
	wait_held("mprotect_mmap_write_locked", 1);
	int st = run_trigger("trigger", 4096, -1000);
	snprintf(give_up, sizeof(give_up), "oom_reaper: unable to reap pid:%d (victim)", victim.pid);
	snprintf(holder, sizeof(holder), "1 lock held by victim/%d:", victim.pid);
	CHECK(exited0(st), "the trigger did not get its memory");
	CHECK(klog_has(give_up), "no '%s' in the kernel log", give_up);
	CHECK(klog_has(holder), "the mmap_lock holder was not named ('%s')", holder);
	CHECK(killed(reap(bystander.pid)), "the OOM killer did not move on to the bystander");
	CHECK(oom_kills() - k0 == 2, "%ld kills, expected 2", oom_kills() - k0);
	delay("mprotect_mmap_write_locked:off");
	CHECK(killed(reap(victim.pid)), "the victim did not die of SIGKILL");
	check_baseline(base);
}

/*
 * oom_reaper=0, before 2016: a victim stuck before exit_mm() keeps its
 * memory, the OOM killer waits for it (its mm lacks MMF_OOM_SKIP), and the
 * allocating task hangs until the victim is released.
 */
static void t_no_reaper(void)
{
	long base = baseline(), k0 = oom_kills();
	struct hog bystander = spawn_hog("bystander", 8, 0, PLAIN);
	struct hog victim = spawn_hog("victim", 16, 1000, PLAIN);
	char text[96];

	write_file("/proc/sys/kernel/hung_task_timeout_secs", "2");
	delay("do_exit_before_exit_mm:hold@comm=victim");
	ballast = touch_mib(BALLAST_MIB);	/* see t_stuck() */
	pid_t trig = spawn_trigger("trigger", short_by(4096), -1000);
	snprintf(text, sizeof(text), "INFO: task trigger:%d blocked for more than 2 seconds.", trig);
	for (int i = 0; i < 3000 && !klog_has(text); i++)
		usleep(10000);
	CHECK(klog_has(text), "no hung-task report for the trigger");
	munmap(ballast, BALLAST_MIB * MIB);
	ballast = NULL;
	CHECK(alive(trig) && alive(bystander.pid), "something was killed while the victim held its memory");
	CHECK(oom_kills() - k0 == 1, "%ld kills, expected 1", oom_kills() - k0);
	delay("do_exit_before_exit_mm:off");
	CHECK(killed(reap(victim.pid)), "the victim did not die of SIGKILL");
	CHECK(exited0(reap(trig)), "the trigger did not finish once the victim exited");
	CHECK(alive(bystander.pid), "the bystander was killed: the victim's memory was enough");
	printf("oomtest: no-reaper: the allocating task hung until the stuck victim was released\n");
	kill_reap(bystander.pid);
	write_file("/proc/sys/kernel/hung_task_timeout_secs", "10");
	check_baseline(base);
}

/* No process can be killed (oomtest is init, -1000 and alone): Linux's panic. */
static void t_nothing(void)
{
	for (int i = 0; i < 1 << 20; i++)
		touch_mib(1);
	fail("allocated everything without an OOM panic");
}

static void t_panic(void)
{
	spawn_hog("hog", 8, 0, PLAIN);
	write_file("/proc/sys/vm/panic_on_oom", "1");
	run_trigger("trigger", 4096, -1000);
	fail("no panic with panic_on_oom=1");
}

/* ---------------------------------------------------------------- Folio: the memcg OOM */

#define CG2 "/sys/fs/cgroup"
#define LAB CG2 "/lab"
#define V1 "/tmp/oomtest-v1"
#define V1_LAB V1 "/lab"

static int cg_set(const char *dir, const char *file, const char *val)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	return write_file(path, val);
}

static long cg_get(const char *dir, const char *file)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	return read_long(path);
}

static long cg_event(const char *dir, const char *file, const char *key)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	return keyed(path, key);
}

/* Has dir's memory.events counted an oom within ms milliseconds? (No limit enforced: never.) */
static bool oom_event_within(const char *dir, int ms)
{
	for (int i = 0; i < ms / 10 && cg_event(dir, "memory.events", "oom") < 1; i++)
		usleep(10000);
	return cg_event(dir, "memory.events", "oom") >= 1;
}

/* Booted with memcg.oom=MODE? (trap: the scenarios expect the deadlocks.) */
static bool memcg_mode(const char *mode)
{
	char *cmdline = read_file("/proc/cmdline"), word[32];
	snprintf(word, sizeof(word), "memcg.oom=%s", mode);
	return cmdline && strstr(cmdline, word);
}

/*
 * The mounts and directories the memcg scenarios keep: cgroup2 on
 * /sys/fs/cgroup with the memory controller for its children, and /tmp.
 * Made before the scenario's baseline, since they stay (their dentries,
 * inodes and the mount are slab objects); what a scenario removes again
 * (v1's mount point) it makes after.
 */
static void setup_cgroup_mounts(void)
{
	mkdir("/sys", 0555);
	mkdir("/sys/fs", 0555);
	mkdir(CG2, 0555);
	mount("none", CG2, "cgroup2", 0, NULL);	/* EBUSY when it is mounted already */
	cg_set(CG2, "cgroup.subtree_control", "+memory");
	mkdir("/tmp", 01777);
}

/* The group lab (limit), under setup_cgroup_mounts()'s cgroup2. */
static void setup_lab(const char *limit)
{
	mkdir(LAB, 0755);
	CHECK(cg_set(LAB, "memory.max", limit) == 0, "memory.max %s", limit);
}

/* A state letter of /proc/PID/task/TID/stat ('D', 'S'...), or 0. */
static char task_state(pid_t pid, pid_t tid)
{
	char path[64], *stat;
	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", pid, tid);
	stat = read_file(path);
	return stat && strrchr(stat, ')') ? strrchr(stat, ')')[2] : 0;
}

/* Wait (up to 20 s) until the thread sleeps in D state. */
static bool wait_state_d(pid_t pid, pid_t tid, const char *who)
{
	for (int i = 0; i < 2000; i++) {
		if (task_state(pid, tid) == 'D')
			return true;
		usleep(10000);
	}
	fail("%s never slept", who);
	return false;
}

/* Wait (up to 30 s) for the hung-task detector's report on name:pid. */
static bool wait_hung_report(const char *name, pid_t pid)
{
	char text[96];
	snprintf(text, sizeof(text), "INFO: task %s:%d blocked for more than 2 seconds.", name, pid);
	for (int i = 0; i < 3000 && !klog_has(text); i++)
		usleep(10000);
	CHECK(klog_has(text), "no hung-task report for %s:%d", name, pid);
	return klog_has(text);
}

/* One byte from fd within ms milliseconds: 1, or 0 (nothing yet, or EOF). */
static int byte_within(int fd, int ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	char c;
	return poll(&pfd, 1, ms) == 1 && read(fd, &c, 1) == 1;
}

/* The group's usage once its tasks are gone (a kernel stack goes after its task's last switch). */
static void check_group_empty(const char *dir, const char *usage_file)
{
	long cur = -1;
	for (int i = 0; i < 100 && (cur = cg_get(dir, usage_file)) != 0; i++)
		usleep(10000);
	CHECK(cur == 0, "%s/%s is %ld once its tasks are gone", dir, usage_file, cur);
}

/*
 * The victim's side (in its own image): see t_memcg_victim_lock(). big is
 * its last argument, a long one: a page inside it is dropped, so that
 * reading /proc/PID/cmdline has to fault it back in, a charge to the group.
 */
static void memcg_victim_main(int up, int go, char *big)
{
	char c;

	prctl(PR_SET_NAME, "victim");
	set_adj(0);	/* oomtest's -1000 is inherited */
	if (cg_set(LAB, "cgroup.procs", "0") || !touch_mib(10))
		_exit(3);
	madvise((void *)(((unsigned long)big + 4095) & ~4095UL), 4096, MADV_DONTNEED);
	write(up, "r", 1);
	if (read(go, &c, 1) == 1) {
		pid_t child = fork();	/* takes mmap_lock for writing (dup_mmap()) */
		if (child == 0)
			_exit(0);
		write(up, "f", 1);
		if (child > 0)
			waitpid(child, NULL, 0);
	}
	for (;;)
		pause();
}

/* A hog or a trigger, but in the group dir first. */
static void memcg_member_main(char **argv)
{
	int err = cg_set(argv[2], "cgroup.procs", "0");
	if (err)
		_exit(100 - err);	/* 100 + errno: it could not join the group */
	if (!strcmp(argv[1], "--memcg-trigger"))
		trigger_main(argv[3], atol(argv[4]), atoi(argv[5]));
	hog_main(argv[3], strtoul(argv[4], NULL, 10), atoi(argv[5]), PLAIN, atoi(argv[6]));
}

static pid_t spawn_in_group(const char *dir, const char *kind, const char *name, long size, int adj, int fd)
{
	char a_size[24], a_adj[24], a_fd[24];
	pid_t pid;

	snprintf(a_size, sizeof(a_size), "%ld", size);
	snprintf(a_adj, sizeof(a_adj), "%d", adj);
	snprintf(a_fd, sizeof(a_fd), "%d", fd);
	pid = fork();
	if (pid == 0)
		exec_self((char *[]){ "oomtest", (char *)kind, (char *)dir, (char *)name, a_size, a_adj, a_fd, NULL });
	if (pid < 0)
		fail("fork for %s: %s", name, strerror(errno));
	return pid;
}

/* The reader: /proc/PID/cmdline of the victim, whose pages it faults in under the victim's mmap_lock. */
static pid_t spawn_reader(pid_t victim)
{
	static char buf[64 * 1024];
	char path[64];
	pid_t pid = fork();

	if (pid == 0) {
		prctl(PR_SET_NAME, "reader");
		snprintf(path, sizeof(path), "/proc/%d/cmdline", victim);
		int fd = open(path, O_RDONLY);
		_exit(fd >= 0 && read(fd, buf, sizeof(buf)) > 0 ? 0 : 1);
	}
	return pid;
}

/*
 * The first deadlock of the 2013 report, with mmap_lock: the victim needs
 * a lock the charging task holds. The reader (a monitor outside the group,
 * -1000) reads the victim's /proc/PID/cmdline and faults a page of it in
 * under the victim's mmap_lock, for reading: a charge to the victim's
 * group, which is at its limit. The victim meanwhile wants mmap_lock for
 * writing (fork()).
 *   unwind: the reader's charge is no user fault: it fails at once, the
 *     read returns, mmap_lock is dropped and the fork gets it (then meets
 *     the limit itself, copying page tables: -ENOMEM, nobody killed).
 *   sync: the reader kills the victim and, finding its memory not back
 *     yet, fails the charge rather than wait: the victim gets mmap_lock
 *     and exits.
 *   trap: the reader runs the OOM killer and loops on it holding the
 *     victim's mmap_lock; the victim, killed, cannot exit without it, nor
 *     can the reaper take it (a writer waits): nothing comes back, and the
 *     hung-task detector reports both. Raising the limit ends it.
 */
static void t_memcg_victim_lock(void)
{
	bool trap = memcg_mode("trap"), sync = memcg_mode("sync");
	setup_cgroup_mounts();
	long base = baseline(), k0 = oom_kills();
	int up[2], go[2];
	char a_up[16], a_go[16], c;
	/* The victim's long argument, mapped and unmapped here: malloc() would grow oomtest's heap past the baseline. */
	char *big = mmap(NULL, 16 * 1024, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	setup_lab("16M");
	write_file("/proc/sys/kernel/hung_task_timeout_secs", "2");
	CHECK(big != MAP_FAILED && pipe(up) == 0 && pipe(go) == 0, "pipes");
	memset(big, 'x', 12 * 1024);
	big[12 * 1024] = 0;
	snprintf(a_up, sizeof(a_up), "%d", up[1]);
	snprintf(a_go, sizeof(a_go), "%d", go[0]);
	pid_t victim = fork();
	if (victim == 0)
		exec_self((char *[]){ "oomtest", "--memcg-victim", a_up, a_go, big, NULL });
	CHECK(read(up[0], &c, 1) == 1, "the victim did not start");
	delay("get_user_page_remote_fault:hold@comm=reader");
	pid_t reader = spawn_reader(victim);
	wait_held("get_user_page_remote_fault", 1);
	write(go[1], "f", 1);
	wait_state_d(victim, victim, "the victim's fork()");	/* it waits for mmap_lock */
	/* The group's limit where its usage is now: the reader's charge fails. */
	char cur[32];
	snprintf(cur, sizeof(cur), "%ld", cg_get(LAB, "memory.current"));
	CHECK(cg_set(LAB, "memory.max", cur) == 0, "memory.max %s", cur);
	delay("get_user_page_remote_fault:off");
	if (sync) {	/* the reader kills the victim, does not wait for it, and lets go of mmap_lock */
		CHECK(exited0(reap(reader)), "the reader failed");
		CHECK(killed(reap(victim)), "the victim did not die of SIGKILL");
		CHECK(oom_kills() - k0 == 1, "%ld kills, expected 1", oom_kills() - k0);
	} else if (!trap) {
		CHECK(byte_within(up[0], 20000), "the victim's fork() did not get mmap_lock");
		CHECK(exited0(reap(reader)), "the reader failed");
		kill_reap(victim);
		CHECK(oom_kills() == k0, "%ld kills, expected none", oom_kills() - k0);
	} else if (!oom_event_within(LAB, 5000)) {	/* the limit is not enforced: no deadlock to wait for */
		kill_reap(reader);
		kill_reap(victim);
	} else {
		wait_hung_report("reader", reader);
		wait_hung_report("victim", victim);
		CHECK(alive(victim) && !byte_within(up[0], 0), "the victim got mmap_lock: no deadlock");
		printf("oomtest: memcg-victim-lock: deadlock (the reader loops at the OOM holding the victim's "
		       "mmap_lock, the victim waits for it); raising the limit\n");
		cg_set(LAB, "memory.max", "max");
		CHECK(exited0(reap(reader)), "the reader did not finish once the limit was raised");
		CHECK(killed(reap(victim)), "the victim did not die of SIGKILL");
		CHECK(oom_kills() - k0 == 1, "%ld kills, expected 1", oom_kills() - k0);
	}
	CHECK(cg_event(LAB, "memory.events", "oom") >= 1, "no oom event");
	check_group_empty(LAB, "memory.current");
	close(up[0]), close(up[1]), close(go[0]), close(go[1]);
	munmap(big, 16 * 1024);
	CHECK(rmdir(LAB) == 0, "rmdir %s: %s", LAB, strerror(errno));
	write_file("/proc/sys/kernel/hung_task_timeout_secs", "10");
	check_baseline(base);
}

/*
 * Is pid asleep after the unwind: in state D, its last memcg:oom_wait event
 * from mem_cgroup_oom_synchronize() and no oom_wait_done after it?
 */
static bool asleep_unwound(pid_t pid)
{
	int last = -1;

	trace_load();
	for (int i = trace_find("oom_wait", pid); i >= 0; i = trace_find_from("oom_wait", pid, i + 1))
		last = i;
	return last >= 0 && strstr(trace_lines[last], "func=mem_cgroup_oom_synchronize") &&
	       trace_find_from("oom_wait_done", pid, last + 1) < 0 && task_state(pid, pid) == 'D';
}

/* Wait (up to 20 s) until pid is asleep after the unwind; false if it never is. */
static bool wait_asleep_unwound(pid_t pid)
{
	for (int i = 0; i < 2000; i++) {
		if (asleep_unwound(pid))
			return true;
		usleep(10000);
	}
	return false;
}

/* The member's side: mlock() 16 MiB (populated under mmap_lock for writing), touch it all, say so. */
static void memcg_mlock_main(const char *dir, int up)
{
	prctl(PR_SET_NAME, "member");
	set_adj(0);
	if (cg_set(dir, "cgroup.procs", "0"))
		_exit(3);
	char *p = mmap(NULL, 16 * MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	mlock(p, 16 * MIB);	/* unwind: EAGAIN at the limit, the rest left to the faults below */
	for (long off = 0; off < 16 * (long)MIB; off += 4096)
		p[off] = 1;
	write(up, "d", 1);
	_exit(0);
}

/*
 * The second deadlock: a user-space OOM handler (cgroup v1,
 * oom_kill_disable) is told of the group's OOM and reads /proc/PID/maps of
 * the member that hit the limit inside mlock(), which holds mmap_lock for
 * writing while it populates.
 *   unwind: mlock() fails at the limit and returns; the member stops at
 *     the limit in a fault, after the unwind: the handler reads its maps
 *     and raises the limit, and the member completes.
 *   trap: the member sleeps at the OOM inside mlock(), holding mmap_lock;
 *     the handler's read waits for it: the hung-task detector reports the
 *     member. Raising the limit from outside ends it.
 */
static void t_memcg_handler_maps(void)
{
	bool trap = memcg_mode("trap");
	setup_cgroup_mounts();
	long base = baseline();
	int up[2], maps_read[2];
	char path[64], line[32];

	mkdir(V1, 0755);
	CHECK(mount("none", V1, "cgroup", 0, "memory") == 0, "mount -t cgroup -o memory: %s", strerror(errno));
	mkdir(V1_LAB, 0755);
	write_file("/proc/sys/kernel/hung_task_timeout_secs", "2");
	CHECK(cg_set(V1_LAB, "memory.limit_in_bytes", "8M") == 0 && cg_set(V1_LAB, "memory.oom_control", "1") == 0,
	      "the group's limit and oom_kill_disable");
	int efd = eventfd(0, 0), ofd = open(V1_LAB "/memory.oom_control", O_RDONLY);
	snprintf(line, sizeof(line), "%d %d", efd, ofd);
	CHECK(efd >= 0 && ofd >= 0 && cg_set(V1_LAB, "cgroup.event_control", line) == 0, "registering the eventfd");
	CHECK(pipe(up) == 0 && pipe(maps_read) == 0, "pipes");
	pid_t member = fork();
	if (member == 0) {
		char a[16];
		snprintf(a, sizeof(a), "%d", up[1]);
		exec_self((char *[]){ "oomtest", "--memcg-mlock", V1_LAB, a, NULL });
	}
	uint64_t n;
	struct pollfd pfd = { .fd = efd, .events = POLLIN };
	CHECK(poll(&pfd, 1, 20000) == 1 && read(efd, &n, sizeof(n)) == sizeof(n), "no OOM event");
	/* unwind and sync: the member waits for the handler asleep after the unwind, holding nothing */
	CHECK(trap || wait_asleep_unwound(member), "the member, stopped at the OOM, is not asleep after the unwind "
	      "(state %c)", task_state(member, member));
	pid_t handler = fork();
	if (handler == 0) {	/* the handler: the member's maps, then more room */
		prctl(PR_SET_NAME, "handler");
		snprintf(path, sizeof(path), "/proc/%d/maps", member);
		_exit(read_file(path) && write(maps_read[1], "m", 1) == 1 &&
		      !cg_set(V1_LAB, "memory.limit_in_bytes", "64M") ? 0 : 1);
	}
	if (!trap) {
		CHECK(byte_within(maps_read[0], 20000), "the handler could not read the member's maps");
	} else {
		wait_hung_report("member", member);
		CHECK(!byte_within(maps_read[0], 0), "the handler read the maps: no deadlock");
		wait_state_d(handler, handler, "the handler");
		printf("oomtest: memcg-handler-maps: deadlock (the member sleeps at the OOM in mlock() holding "
		       "mmap_lock, the handler waits for it); raising the limit\n");
		cg_set(V1_LAB, "memory.limit_in_bytes", "64M");
	}
	CHECK(exited0(reap(handler)), "the handler failed");
	CHECK(byte_within(up[0], 20000) && exited0(reap(member)), "the member did not complete");
	CHECK(strstr(read_file(V1_LAB "/memory.oom_control"), "\nunder_oom 0\n"), "still under_oom");
	check_group_empty(V1_LAB, "memory.usage_in_bytes");
	close(efd), close(ofd), close(up[0]), close(up[1]), close(maps_read[0]), close(maps_read[1]);
	CHECK(rmdir(V1_LAB) == 0, "rmdir %s: %s", V1_LAB, strerror(errno));
	for (int i = 0; i < 100 && umount(V1); i++)
		usleep(10000);	/* the removed group's registration does not go at once */
	rmdir(V1);
	write_file("/proc/sys/kernel/hung_task_timeout_secs", "10");
	check_baseline(base);
}

/*
 * A memcg OOM flood: rounds of four hogs of 6 MiB started at once in a
 * group of 16 MiB: OOMs at the group's limit, concurrent, kill the
 * biggest until the rest fit. After each round the group is empty; at the
 * end every page is back.
 */
static void t_memcg_flood(int rounds)
{
	setup_cgroup_mounts();
	long base = baseline(), k0 = oom_kills();
	struct timespec t0, t1;

	setup_lab("16M");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int r = 0; r < rounds && !why[0]; r++) {
		pid_t hogs[4];
		int fds[4][2], dead = 0;
		for (int i = 0; i < 4; i++) {
			CHECK(pipe(fds[i]) == 0, "pipe");
			hogs[i] = spawn_in_group(LAB, "--memcg-hog", "flood", 6, 0, fds[i][1]);
			close(fds[i][1]);
		}
		for (int i = 0; i < 4; i++) {
			pid_t extra;
			read(fds[i][0], &extra, sizeof(extra));	/* it got all its memory, or EOF: it was killed */
			close(fds[i][0]);
		}
		int other = 0;
		for (int i = 0; i < 4; i++) {
			if (hogs[i] <= 0)
				continue;	/* a failed fork: never kill(-1) */
			kill(hogs[i], SIGKILL);
			int st = reap(hogs[i]);
			dead += killed(st);
			other = killed(st) ? other : st;
		}
		CHECK(dead == 4, "round %d: %d of 4 hogs died of SIGKILL (another: status %#x)", r, dead, other);
		check_group_empty(LAB, "memory.current");
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	long oom = cg_event(LAB, "memory.events", "oom"), kills = oom_kills() - k0;
	printf("oomtest: memcg-flood: %d rounds, %ld OOMs, %ld kills in %.1f s (%.1f rounds/s)\n", rounds, oom, kills,
	       secs, rounds / secs);
	CHECK(kills >= 2 * rounds, "%ld kills in %d rounds", kills, rounds);
	CHECK(cg_event(LAB, "memory.events", "oom_kill") == kills, "memory.events oom_kill %ld, kills %ld",
	      cg_event(LAB, "memory.events", "oom_kill"), kills);
	CHECK(rmdir(LAB) == 0, "rmdir %s: %s", LAB, strerror(errno));
	check_baseline(base);
}

/*
 * The charger's side (in its own image): see t_memcg_one_oom(). All it needs
 * is touched before it says it is ready, its page table for the page to come
 * included; after the go its only charge is one new page, the one over the
 * limit. It says when it has it and waits to be let go: it faults nothing
 * more while the victim's memory is coming back.
 */
static void memcg_charger_main(const char *dir, int up, int go)
{
	char c, *p, *page;

	prctl(PR_SET_NAME, "charger");
	set_adj(0);	/* oomtest's -1000 is inherited */
	p = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED || cg_set(dir, "cgroup.procs", "0"))
		_exit(3);
	/* Two pages under one page table (a 2 MiB boundary may fall in the mapping). */
	page = ((unsigned long)(p + 4096) & ((2UL << 20) - 1)) ? p : p + 4096;
	page[0] = 1;
	write(up, "r", 1);
	if (read(go, &c, 1) != 1)
		_exit(4);
	page[4096] = 1;		/* the charge at the limit */
	write(up, "d", 1);
	read(go, &c, 1);
	_exit(0);
}

/* t_memcg_one_oom()'s two tasks, and the pipes the charger talks through. */
struct one_oom {
	pid_t victim, charger;
	int up[2], go[2];
};

/*
 * The victim and the charger in lab, the limit set where their usage is,
 * the go: true once the charge has failed and the victim, killed, is held
 * with its memory. (Without a limit enforced the charger just gets its page.)
 */
static bool one_oom_start(struct one_oom *t)
{
	char a_up[16], a_go[16], cur[32];
	int vfd[2];
	pid_t extra;

	CHECK(pipe(vfd) == 0 && pipe(t->up) == 0 && pipe(t->go) == 0, "pipes");
	t->victim = spawn_in_group(LAB, "--memcg-hog", "victim", 8, 1000, vfd[1]);
	close(vfd[1]);
	CHECK(read(vfd[0], &extra, sizeof(extra)) == sizeof(extra), "the victim did not start");
	close(vfd[0]);
	snprintf(a_up, sizeof(a_up), "%d", t->up[1]);
	snprintf(a_go, sizeof(a_go), "%d", t->go[0]);
	t->charger = fork();
	if (t->charger == 0)
		exec_self((char *[]){ "oomtest", "--memcg-charger", LAB, a_up, a_go, NULL });
	CHECK(byte_within(t->up[0], 20000), "the charger did not start");
	delay("do_exit_before_exit_mm:hold@comm=victim");
	snprintf(cur, sizeof(cur), "%ld", cg_get(LAB, "memory.current"));
	CHECK(cg_set(LAB, "memory.max", cur) == 0, "memory.max %s", cur);
	trace_reset();
	write(t->go[1], "g", 1);
	for (int i = 0; i < 2000 && cg_event(LAB, "memory.events", "oom") < 1 && !why[0]; i++)
		if (byte_within(t->up[0], 10))
			fail("the charger got a page over its group's limit: no OOM");
	CHECK(cg_event(LAB, "memory.events", "oom") >= 1, "no oom event");
	return !why[0] && wait_held("do_exit_before_exit_mm", 1);
}

/* unwind: one OOM, then the charger sleeps, unwound, for as long as the victim keeps its memory. */
static void one_oom_unwind(pid_t charger)
{
	bool asleep = false;
	long oom = 0;

	/* Asleep after the unwind, or back at the OOM: whichever comes first. */
	for (int i = 0; i < 2000 && !(asleep = asleep_unwound(charger)); i++) {
		if ((oom = cg_event(LAB, "memory.events", "oom")) > 1)
			break;
		usleep(10000);
	}
	oom = cg_event(LAB, "memory.events", "oom");
	CHECK(oom == 1, "the charger went back to the OOM while its victim kept its memory (memory.events "
	      "oom %ld, expected 1): %s", oom, klog_has("Huh VM_FAULT_OOM leaked out") ?
	      "the fault failed without memcg_in_oom recorded, and was retried at once" :
	      "it loops in try_charge() rather than wait after the unwind (one OOM per charge)");
	CHECK(asleep, "the charger did not sleep in mem_cgroup_oom_synchronize() (state %c, no memcg:oom_wait "
	      "func=mem_cgroup_oom_synchronize without its oom_wait_done)", task_state(charger, charger));
	usleep(300000);	/* the victim keeps its memory a while yet: the charger stays asleep */
	CHECK(asleep_unwound(charger) && cg_event(LAB, "memory.events", "oom") == 1,
	      "the charger woke while the victim kept its memory (state %c, oom %ld)", task_state(charger, charger),
	      cg_event(LAB, "memory.events", "oom"));
}

/* trap and sync: the charge goes back to the OOM while the victim keeps its memory. */
static void one_oom_loops(void)
{
	long oom = 0;

	for (int i = 0; i < 2000 && (oom = cg_event(LAB, "memory.events", "oom")) < 10; i++)
		usleep(10000);
	CHECK(oom >= 10, "memory.events oom %ld: the charger did not go back to the OOM", oom);
	/* sync: each round's second failure ends the fault, which is retried holding nothing. */
	CHECK(!memcg_mode("sync") || klog_has("Huh VM_FAULT_OOM leaked out to the #PF handler. Retrying PF"),
	      "sync: the charge never failed the fault: it loops in try_charge() (one OOM per charge)");
}

/*
 * One OOM per charge. A victim (8 MiB, +1000) and a charger (0) share a
 * group at its limit; the charger faults one page more. Its OOM kills the
 * victim, which is held before exit_mm() with all its memory (oom_reaper=0:
 * nobody takes it away), so the charge, tried again, fails again.
 *   unwind: the second failure records the group and the fault unwinds: the
 *     charger sleeps in mem_cgroup_oom_synchronize() (D, killable, no lock
 *     held; the trace's memcg:oom_wait says where) until the victim's
 *     uncharges wake it. Exactly one oom event:
 *     the first failure's; the second one returns before mem_cgroup_oom(),
 *     the synchronize's own OOM killer finds the victim in progress and
 *     counts nothing, and once woken the fault finds room (nobody else in
 *     the group charges meanwhile, and the charger needs one page).
 *   trap, sync: the charge goes back to the OOM, again and again, while the
 *     victim keeps its memory: trap loops in the charge path (one tick's
 *     sleep a round, holding mmap_lock); in sync the rule fails the charge
 *     and the fault, which is retried at once, holding nothing ("Huh
 *     VM_FAULT_OOM leaked out"): sync counts on the reaper.
 * Without the rule, unwind and sync loop in try_charge() holding mmap_lock,
 * without a sleep: the charger spins, memory.events oom counting each round.
 * Each mode: one kill, and the charger gets its page once the victim is
 * released.
 */
static void t_memcg_one_oom(void)
{
	setup_cgroup_mounts();
	long base = baseline(), k0 = oom_kills(), oom;
	struct one_oom t = { -1, -1, { -1, -1 }, { -1, -1 } };

	setup_lab("16M");
	if (one_oom_start(&t)) {
		if (!memcg_mode("trap") && !memcg_mode("sync"))
			one_oom_unwind(t.charger);
		else
			one_oom_loops();
		CHECK(!byte_within(t.up[0], 0), "the charger got its page while the victim kept its memory");
		oom = cg_event(LAB, "memory.events", "oom");
		printf("oomtest: memcg-one-oom: %ld oom events while the victim was held\n", oom);
		delay("do_exit_before_exit_mm:off");
		CHECK(killed(reap(t.victim)), "the victim did not die of SIGKILL");
		t.victim = -1;
		bool got = byte_within(t.up[0], 20000);
		CHECK(got, "the charger did not get its page once the victim was gone");
		CHECK(memcg_mode("trap") || memcg_mode("sync") || cg_event(LAB, "memory.events", "oom") == 1,
		      "memory.events oom %ld once the victim was gone, expected 1",
		      cg_event(LAB, "memory.events", "oom"));
		CHECK(oom_kills() - k0 == 1 && cg_event(LAB, "memory.events", "oom_kill") == 1,
		      "%ld kills (oom_kill %ld in the group), expected 1", oom_kills() - k0,
		      cg_event(LAB, "memory.events", "oom_kill"));
		if (got) {	/* else it sleeps yet: kill_reap() below */
			write(t.go[1], "x", 1);	/* the charger may exit (it keeps go open itself: no EOF) */
			CHECK(exited0(reap(t.charger)), "the charger failed");
			t.charger = -1;
		}
	}
	write_file(TR "/delay_points", "do_exit_before_exit_mm:off");	/* a failed start: take both down */
	kill_reap(t.charger);
	kill_reap(t.victim);
	check_group_empty(LAB, "memory.current");
	close(t.up[0]), close(t.up[1]), close(t.go[0]), close(t.go[1]);
	CHECK(rmdir(LAB) == 0, "rmdir %s: %s", LAB, strerror(errno));
	check_baseline(base);
}

/* ---------------------------------------------------------------- main */

static void setup(void)
{
	file_buf = shared_buffer(FILE_BUF);	/* see read_into() */
	trace_buf = shared_buffer(TRACE_BUF);
	klog_buf = shared_buffer(KLOG_BUF);
	mkdir("/proc", 0555);
	mount("proc", "/proc", "proc", 0, NULL);	/* EBUSY where /proc is mounted already */
	set_adj(-1000);
	if (!is_init)
		prctl(PR_SET_CHILD_SUBREAPER, 1);	/* orphaned CLONE_VM and vfork children come to us */
}

static void setup_trace(void)
{
	mkdir("/sys", 0555);
	mkdir("/sys/kernel", 0555);
	mkdir(TR, 0555);
	mount("nodev", TR, "tracefs", 0, NULL);
	write_file(TR "/set_event", "oom:*");
	write_file(TR "/events/memcg/enable", "1");	/* Folio's memcg OOM events: not on Linux */
	write_file(TR "/events/delay/enable", "1");
	disarm_all();
}

struct scenario {
	const char *name;
	void (*fn)(void);
	bool trace;
};

static void t_handshake0(void) { t_handshake(0); }
static void t_handshake_mmget(void) { t_handshake(1); }
static void t_stuck0(void) { t_stuck(0); }
static void t_stuck_keep(void) { t_stuck(1); }
static int flood_rounds = 200;
static void t_flood_n(void) { t_flood(flood_rounds); }
static int reap_rounds = 10;
static void t_reap_n(void) { t_reap(reap_rounds); }
static int memcg_flood_rounds = 100;
static void t_memcg_flood_n(void) { t_memcg_flood(memcg_flood_rounds); }

static const struct scenario scenarios[] = {
	{ "choice", t_choice, false }, { "shared", t_shared, false }, { "threads", t_threads, false },
	{ "allocating", t_allocating, false }, { "sysrq", t_sysrq, false }, { "syscalls", t_syscalls, false },
	{ "handshake", t_handshake0, true }, { "handshake-mmget", t_handshake_mmget, true },
	{ "reaper-first", t_reaper_first, true }, { "exit-first", t_exit_first, true },
	{ "stuck", t_stuck0, true }, { "stuck-keep-memdie", t_stuck_keep, true },
	{ "flood", t_flood_n, true }, { "reap", t_reap_n, true }, { "unreapable", t_unreapable, true }, { "no-reaper", t_no_reaper, true },
	{ "reap-shared", t_reap_shared, true },
	{ "nothing", t_nothing, false }, { "panic", t_panic, false },
	{ "memcg-victim-lock", t_memcg_victim_lock, true }, { "memcg-handler-maps", t_memcg_handler_maps, true },
	{ "memcg-flood", t_memcg_flood_n, true }, { "memcg-one-oom", t_memcg_one_oom, true },
	{ NULL, NULL, false },
};

int main(int argc, char **argv)
{
	struct utsname uts;

	if (argc == 7 && !strcmp(argv[1], "--hog"))
		hog_main(argv[2], strtoul(argv[3], NULL, 10), atoi(argv[4]), atoi(argv[5]), atoi(argv[6]));
	if (argc == 5 && !strcmp(argv[1], "--trigger"))
		trigger_main(argv[2], atol(argv[3]), atoi(argv[4]));
	if (argc == 7 && (!strcmp(argv[1], "--memcg-trigger") || !strcmp(argv[1], "--memcg-hog")))
		memcg_member_main(argv);
	if (argc == 5 && !strcmp(argv[1], "--memcg-victim"))
		memcg_victim_main(atoi(argv[2]), atoi(argv[3]), argv[4]);
	if (argc == 5 && !strcmp(argv[1], "--memcg-charger"))
		memcg_charger_main(argv[2], atoi(argv[3]), atoi(argv[4]));
	if (argc == 4 && !strcmp(argv[1], "--memcg-mlock"))
		memcg_mlock_main(argv[2], atoi(argv[3]));
	is_init = getpid() == 1;
	on_linux = uname(&uts) == 0 && strcmp(uts.sysname, "Linux") == 0;
	if (is_init)
		console_fds();
	setvbuf(stdout, NULL, _IOLBF, 0);
	setup();
	if (argc < 2) {
		dprintf(2, "usage: oomtest SCENARIO... (choice shared threads allocating sysrq syscalls handshake "
			   "handshake-mmget reaper-first exit-first stuck stuck-keep-memdie flood [N] reap [N] unreapable "
			   "no-reaper reap-shared nothing panic memcg-victim-lock memcg-handler-maps memcg-flood [N] memcg-one-oom)\n");
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		const struct scenario *s;
		for (s = scenarios; s->name && strcmp(s->name, argv[i]); s++)
			;
		if (!s->name) {
			dprintf(2, "oomtest: unknown scenario '%s'\n", argv[i]);
			return 2;
		}
		int *rounds = !strcmp(s->name, "flood") ? &flood_rounds : !strcmp(s->name, "reap") ? &reap_rounds
			    : !strcmp(s->name, "memcg-flood") ? &memcg_flood_rounds : NULL;
		if (rounds && i + 1 < argc && atoi(argv[i + 1]) > 0)
			*rounds = atoi(argv[++i]);
		if (s->trace)
			setup_trace();
		s->fn();
		report(s->name);
	}
	printf("oomtest: %s\n", failed ? "FAILED" : "all passed");
	return failed;
}
