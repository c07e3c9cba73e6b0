/*
 * fuzz: a random system-call fuzzer, in the spirit of trinity.
 *
 *   fuzz [-s SEED] [-n CALLS] [-t SECONDS] [-w WORKERS] [-r] [-o W[.I]] [-x CHECK,...]
 *        [-c CALL,...] [-p SECONDS]
 *
 *   -s SEED      the run's seed (default: a random one); the first line prints it
 *   -n CALLS     stop after this many calls in all, shared out between the workers
 *   -t SECONDS   stop after this long (with -n: whichever comes first)
 *   -w WORKERS   worker processes (default 4, at most 16)
 *   -r           replay: each worker prints every call before it makes it, and its result
 *   -o W[.I]     run only worker W's stream, from its incarnation I (default 0): with -r,
 *                the calls of one worker of an earlier run with the same seed
 *   -x NAMES     skip these checks, and the calls that only serve to trigger them or
 *                a known defect (comma-separated; -x list prints the names)
 *   -c NAMES     make only these calls and operations (comma-separated table names; to
 *                narrow a failure down)
 *   -p SECONDS   a progress line this often (default 10; 0: none)
 * At least one of -s, -n, -t is required (so that a stray exec of the binary, which the
 * fuzzer itself makes, never starts a run). `fuzz --child MODE ...` is its own exec target.
 *
 * Output: `fuzz: seed=N workers=W calls=C` first, progress lines, then
 * `fuzz: N calls, M errors (ENAME count, ...), free memory back: yes|no (...)`. The exit
 * status is 0 only if nothing went wrong: no check failed, no worker was stuck in
 * the kernel, the parent got no signal it should not have, every process went
 * away, free memory came back to where it started, and the kernel's log has no
 * BUG, WARNING, Oops, hung task, leak or sanitizer report. On a failure it prints
 * the seed and each worker's last calls (for a kernel report, as soon as it sees
 * the report: the parent reads the kernel's log once a second).
 *
 * The parent is the watchdog. It forks the workers (worker.c) and watches each
 * one's current call in shared memory: a worker in the same call for 100 ms
 * gets SIGALRM (which interrupts a blocking call), after 2 s SIGKILL; one that
 * SIGKILL does not end within 30 s is stuck in the kernel, and reported with
 * its call. A worker that dies is restarted as its next incarnation, with a
 * seed derived from the run's seed, the worker's number and the incarnation,
 * so a run is reproducible from its seed.
 *
 * Best run as init (`init=/bin/fuzz -- ARGS`) in a VM: orphans come to it, it
 * reaps them with a plain wait4() as an init does, kill() and friends may aim at
 * any pid, and at the end kill(-1, SIGKILL) sweeps whatever is left. Otherwise
 * (as on ../shared/linux-ref, under a shell) it asks to be a child subreaper
 * (Linux), aims only at its own processes, and sweeps the ones it can find; it
 * still makes and removes a few names in / and /tmp/fuzz, so a machine with
 * other work is not the place for it. Then it compares sysinfo's freeram
 * and process count with their values before the first worker started.
 */
#include "fuzz.h"
#include <dirent.h>
#include <sys/klog.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <time.h>

#define NUDGE_MS 100
#define KILL_MS 2000
#define STUCK_MS 30000
#define STOP_MS 10000		/* after a stop, how long workers get to finish */
#define SETTLE_MS 10000		/* for processes to be gone and memory to come back */

struct options opt;
struct shared *sh;

static struct {
	pid_t pid;
	uint64_t last_cur, last_beat;
	long long last_change;
	int nudged, killed, stuck;
	long long killed_at;
	int started;
} mon[MAX_WORKERS];

static struct {
	unsigned long incarnations, exited, signalled, nudges, kills, orphans;
	unsigned long by_signal[65];
} stats;

static struct { int sig, pid, code; } unexpected[16];
static volatile int nunexpected, interrupted;
static int failed;
static pid_t old_pids[256];
static unsigned nold;

uint64_t incarnation_seed(uint64_t seed, int slot, uint32_t incarnation)
{
	return mix64(seed ^ mix64(0x5eedUL + (uint64_t)slot) ^ mix64(((uint64_t)incarnation << 32) | 0xabc));
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void usage(void)
{
	fprintf(stderr, "usage: fuzz [-s SEED] [-n CALLS] [-t SECONDS] [-w WORKERS] [-r] [-o W[.I]] "
		"[-x CHECK,...] [-c CALL,...] [-p SECONDS]\n  (at least one of -s, -n, -t; -x list: the checks)\n");
	exit(2);
}

/* ---- the parent's signals: SIGCHLD is expected, anything else is a finding -------------- */

static void parent_signal(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (sig == SIGCHLD)
		return;
	if ((sig == SIGINT || sig == SIGTERM) && si->si_code == SI_KERNEL) {
		interrupted = 1;	/* ^C on a terminal */
		return;
	}
	int i = __atomic_fetch_add(&nunexpected, 1, __ATOMIC_RELAXED);
	if (i < 16) {
		unexpected[i].sig = sig;
		unexpected[i].pid = si->si_pid;
		unexpected[i].code = si->si_code;
	}
}

static void parent_handlers(void)
{
	struct sigaction sa = { .sa_sigaction = parent_signal, .sa_flags = SA_SIGINFO };

	sigfillset(&sa.sa_mask);
	for (int sig = 1; sig <= 64; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			sigaction(sig, &sa, NULL);
}

/* ---- workers ------------------------------------------------------------------------------ */

static int active(int slot) { return opt.only < 0 ? slot < opt.workers : slot == opt.only; }

static int wants_more(int slot)
{
	struct slot *sl = &sh->slot[slot];

	return !sh->stop && (!sl->budget || sl->calls < sl->budget) && !mon[slot].stuck;
}

static void start_worker(int slot)
{
	struct slot *sl = &sh->slot[slot];
	uint32_t inc = mon[slot].started ? sl->incarnation + 1 : opt.first_incarnation;

	fflush(stdout);
	sl->incarnation = inc;
	sl->seed = incarnation_seed(opt.seed, slot, inc);
	sl->cur = sl->op_seq = 0;
	pid_t pid = fork();
	if (pid == 0)
		_exit(worker_main(slot, inc));
	if (pid < 0)
		return;			/* tried again at the next tick */
	mon[slot].started = 1;
	mon[slot].pid = sl->pid = pid;
	mon[slot].last_change = now_ms();
	mon[slot].nudged = mon[slot].killed = 0;
	old_pids[nold++ % 256] = pid;
	stats.incarnations++;
}

static void worker_died(int slot, int st)
{
	mon[slot].pid = sh->slot[slot].pid = 0;
	if (WIFSIGNALED(st)) {
		stats.signalled++;
		stats.by_signal[WTERMSIG(st) & 63]++;
	} else {
		stats.exited++;
	}
}

static void reap(void)
{
	pid_t pid;
	int st;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		int slot;
		for (slot = 0; slot < MAX_WORKERS && mon[slot].pid != pid; slot++)
			;
		if (slot < MAX_WORKERS)
			worker_died(slot, st);
		else
			stats.orphans++;
	}
}

static void print_rec(const char *prefix, const struct call_rec *r)
{
	char line[400];

	format_call(line, sizeof line, r);
	printf("%s#%lu %s\n", prefix, (unsigned long)r->seq, line);
}

static const struct call_rec *rec_of(const struct slot *sl, uint64_t seq)
{
	const struct call_rec *r = &sl->ring[seq % RING];

	return seq && r->seq == seq ? r : NULL;
}

static void report_stuck(int slot)
{
	const struct slot *sl = &sh->slot[slot];
	const struct call_rec *r = rec_of(sl, sl->cur), *op = rec_of(sl, sl->op_seq);

	printf("fuzz: worker %d (pid %d, incarnation %u) is stuck in the kernel: SIGKILL did not end "
	       "it in %d s\n", slot, mon[slot].pid, sl->incarnation, STUCK_MS / 1000);
	if (r)
		print_rec("fuzz:   in ", r);
	if (op && op != r)
		print_rec("fuzz:   during ", op);
	failed = 1;
}

/* not a finding: the call may block for good, as pause() does */
static void kill_worker(int slot, long long now)
{
	const struct call_rec *r = rec_of(&sh->slot[slot], sh->slot[slot].cur);
	char prefix[64];

	mon[slot].killed = 1;
	mon[slot].killed_at = now;
	stats.kills++;
	kill(mon[slot].pid, SIGKILL);
	if (r && !r->done) {
		snprintf(prefix, sizeof prefix, "fuzz: killed worker %d after %d s in ", slot, KILL_MS / 1000);
		print_rec(prefix, r);
	}
}

/* one worker's progress: nudge, kill, or report it */
static void watch(int slot, long long now)
{
	struct slot *sl = &sh->slot[slot];
	uint64_t cur = __atomic_load_n(&sl->cur, __ATOMIC_ACQUIRE);
	uint64_t beat = __atomic_load_n(&sl->beat, __ATOMIC_ACQUIRE);

	if (cur != mon[slot].last_cur || beat != mon[slot].last_beat) {
		mon[slot].last_cur = cur;
		mon[slot].last_beat = beat;
		mon[slot].last_change = now;
		mon[slot].nudged = mon[slot].killed = 0;
		return;
	}
	long long idle = now - mon[slot].last_change;
	if (idle > NUDGE_MS && !mon[slot].nudged) {
		mon[slot].nudged = 1;
		stats.nudges++;
		kill(mon[slot].pid, SIGALRM);
	}
	if (idle > KILL_MS && !mon[slot].killed)
		kill_worker(slot, now);
	if (mon[slot].killed && !mon[slot].stuck && now - mon[slot].killed_at > STUCK_MS) {
		mon[slot].stuck = 1;
		report_stuck(slot);
	}
}

static struct sysinfo info(void)
{
	struct sysinfo si = { 0 };

	sysinfo(&si);
	si.freeram *= si.mem_unit ? si.mem_unit : 1;
	return si;
}

static uint64_t total_calls(void)
{
	uint64_t n = 0;

	for (int i = 0; i < MAX_WORKERS; i++)
		n += sh->slot[i].calls;
	return n;
}

static void progress(long long start, long long now)
{
	double s = (now - start) / 1000.0;
	uint64_t n = total_calls();

	printf("fuzz: %.0f s: %lu calls (%.0f/s), %lu incarnations, %lu nudges, %lu kills, %lu KiB free\n",
	       s, (unsigned long)n, s > 0 ? n / s : 0.0, stats.incarnations, stats.nudges, stats.kills,
	       (unsigned long)(info().freeram >> 10));
	fflush(stdout);
}

static void sleep_tick(void)
{
	struct timespec ts = { 0, 25 * 1000000L };

	nanosleep(&ts, NULL);		/* SIGCHLD cuts it short */
}

/* ---- the kernel's log: a report names the calls that were running when it came -------- */

/*
 * Once a second the parent reads the kernel's log (syslog READ_ALL, which takes nothing
 * away from other readers) and looks at the lines newer than the last it saw. A line
 * that says the kernel went wrong fails the run and prints each worker's last calls
 * right away, while they are still the calls around the report. (The console has the
 * whole log: tests/fuzz.py scans it too, so a line this misses still fails the run.)
 */
static const char *const kernel_bad[] = {
	"BUG", "WARNING", "Oops", "blocked for more than", "hung task", "leak", "UBSAN:",
	"still has objects", "Bad page state",
};
static char klog[32 * 1024];
static double klog_seen = -1;		/* the timestamp of the newest line looked at */
static int klog_reports;

static void print_last_calls(void);

static int is_word_char(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

/* WORD in TEXT as a word of its own ("leak" may go on: "leaked") */
static int has_word(const char *text, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = strstr(text, word); p; p = strstr(p + 1, word))
		if ((p == text || !is_word_char(p[-1])) &&
		    (!strcmp(word, "leak") || !is_word_char(p[n - 1]) || !is_word_char(p[n])))
			return 1;
	return 0;
}

static void kernel_line(const char *line, size_t len)
{
	char text[240];

	snprintf(text, sizeof text, "%.*s", (int)len, line);
	for (size_t i = 0; i < sizeof kernel_bad / sizeof *kernel_bad; i++) {
		if (!has_word(text, kernel_bad[i]))
			continue;
		failed = 1;
		if (klog_reports++ >= 3)
			return;
		printf("fuzz: the kernel said: %s\n", text);
		if (!sh->stop) {	/* (after the stop, the failure's report prints them) */
			printf("fuzz: seed=%lu; each worker's last calls when it did:\n", (unsigned long)opt.seed);
			print_last_calls();
		}
		fflush(stdout);
		return;
	}
}

/* the lines printed since the last look; the first look only takes the mark */
static void watch_kernel_log(void)
{
	int n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, klog, sizeof klog - 1);
	double newest = klog_seen;

	if (n <= 0)
		return;
	klog[n] = 0;
	for (char *line = klog, *nl; line && *line; line = nl ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		char *ts = strchr(line, '[');
		if (!ts || (nl && ts > nl))
			continue;
		double t = strtod(ts + 1, NULL);
		if (t <= klog_seen)
			continue;
		if (t > newest)
			newest = t;
		if (klog_seen >= 0)	/* from the timestamp on: without syslog's "<level>" */
			kernel_line(ts, nl ? (size_t)(nl - ts) : strlen(ts));
	}
	klog_seen = newest < 0 ? 0 : newest;
}

/* run until the calls are made, the time is up, or ^C; then stop the workers */
static void supervise(long long start)
{
	long long stop_at = 0, next_progress = start + opt.progress * 1000LL, next_klog = start;

	for (;;) {
		long long now = now_ms();
		int running = 0, more = 0;
		reap();
		for (int i = 0; i < MAX_WORKERS; i++) {
			if (!active(i))
				continue;
			if (mon[i].pid)
				watch(i, now);
			else if (wants_more(i))
				start_worker(i);
			running += mon[i].pid && !mon[i].stuck;
			more += wants_more(i);
		}
		if (!sh->stop && ((opt.seconds && now - start >= opt.seconds * 1000LL) || interrupted || !more)) {
			__atomic_store_n(&sh->stop, 1, __ATOMIC_RELEASE);
			stop_at = now;
		}
		if (sh->stop && (!running || now - stop_at > STOP_MS))
			break;
		if (now >= next_klog) {
			watch_kernel_log();
			next_klog = now + 1000;
		}
		if (opt.progress && now >= next_progress) {
			progress(start, now);
			next_progress += opt.progress * 1000LL;
		}
		sleep_tick();
	}
}

/* ---- the end: sweep, settle, compare ------------------------------------------------------- */

/* on Linux as a subreaper: our children, found in /proc (raw calls: no malloc) */
static void kill_proc_children(void)
{
	char buf[4096], path[64], stat[512];
	int dir = (int)RAW(SYS_open, "/proc", O_RDONLY | O_DIRECTORY, 0);
	long n;

	if (dir < 0)
		return;
	while ((n = RAW(SYS_getdents64, dir, buf, sizeof buf)) > 0) {
		for (long off = 0; off < n; off += *(unsigned short *)(buf + off + 16)) {
			const char *name = buf + off + 19;
			if (name[0] < '1' || name[0] > '9')
				continue;
			snprintf(path, sizeof path, "/proc/%s/stat", name);
			int fd = (int)RAW(SYS_open, path, O_RDONLY, 0);
			long len = fd >= 0 ? RAW(SYS_read, fd, stat, sizeof stat - 1) : -1;
			if (fd >= 0)
				RAW(SYS_close, fd);
			if (len <= 0)
				continue;
			stat[len] = 0;
			char *p = strrchr(stat, ')');
			int ppid = 0;
			if (p && sscanf(p + 2, "%*c %d", &ppid) == 1 && ppid == opt.parent)
				kill(atoi(name), SIGKILL);
		}
	}
	RAW(SYS_close, dir);
}

static void sweep(void)
{
	if (opt.parent == 1) {
		kill(-1, SIGKILL);
		return;
	}
	for (unsigned i = 0; i < nold && i < 256; i++)
		kill(-old_pids[i], SIGKILL);
	kill_proc_children();
}

/* wait for every process but the ones there at the start to be gone */
static int settle_processes(unsigned procs0)
{
	long long deadline = now_ms() + SETTLE_MS;
	unsigned procs = 0;

	while (now_ms() < deadline) {
		sweep();
		reap();
		procs = info().procs;
		/* (Linux's count includes kernel threads, which come and go) */
		if ((procs <= procs0 || opt.on_linux) && waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD)
			return 0;
		sleep_tick();
	}
	return (int)(procs - procs0);
}

/*
 * Names in /, /tmp and /dev before the run: anything else there afterwards was made by a
 * worker (a scratch name relative to a working directory of /, a path read from memory that
 * happened to hold a string, a name made in a devtmpfs mounted on a scratch directory: the
 * same file system as /dev) and goes.
 */
#define NR_TOP_DIRS 3
#define MAX_OLD_NAMES 64
static char old_names[NR_TOP_DIRS][MAX_OLD_NAMES][64];
static int too_many[NR_TOP_DIRS];	/* more names than the list holds: sweep nothing there */
static const char *const top_dirs[NR_TOP_DIRS] = { "/", "/tmp/", "/dev/" };

/* call fn(dir index, name) for each entry of top_dirs[d] but . and .. (raw calls: no malloc) */
static void each_name(int d, void (*fn)(int d, const char *name))
{
	char buf[2048];
	int fd = (int)RAW(SYS_open, top_dirs[d], O_RDONLY | O_DIRECTORY, 0);
	long n;

	while (fd >= 0 && (n = RAW(SYS_getdents64, fd, buf, sizeof buf)) > 0)
		for (long off = 0; off < n; off += *(unsigned short *)(buf + off + 16)) {
			const char *name = buf + off + 19;
			if (strcmp(name, ".") && strcmp(name, ".."))
				fn(d, name);
		}
	RAW(SYS_close, fd);
}

static void remember_name(int d, const char *name)
{
	for (int i = 0; i < MAX_OLD_NAMES; i++)
		if (!old_names[d][i][0]) {
			snprintf(old_names[d][i], sizeof old_names[d][i], "%s", name);
			too_many[d] |= strlen(name) >= sizeof old_names[d][i];
			return;
		}
	too_many[d] = 1;
}

static void remove_if_new(int d, const char *name)
{
	char path[320];

	if (too_many[d])
		return;
	for (int i = 0; i < MAX_OLD_NAMES && old_names[d][i][0]; i++)
		if (!strcmp(old_names[d][i], name))
			return;
	snprintf(path, sizeof path, "%s%s", top_dirs[d], name);
	rm_tree(path);
}

/* mounts made during the run, anywhere (an exec'd /init mounts /proc again): the newest first */
static int mounts_at_start;

static void detach_new_mounts(void)
{
	char buf[8192], *mp[64];

	for (int pass = 0; pass < 8; pass++) {
		int n = mount_points(buf, sizeof buf, mp, 64);
		if (n <= mounts_at_start)
			return;
		for (int i = n - 1; i >= mounts_at_start; i--)
			RAW(SYS_umount2, mp[i], 2 /* MNT_DETACH */);
	}
}

/*
 * Cgroups the workers made, deepest first: in a cgroup2 hierarchy, every directory named
 * as a worker could have named it (w0, w1... of the cgroup operation; the scratch names of
 * a mkdir in a cgroup2 mount) and everything under it. A cgroup outlives its mount (the
 * hierarchy is the whole system's) and keeps its memory until it is removed.
 */
static int fuzz_cgroup_name(const char *name)
{
	for (int i = 0; i < nr_scratch_names; i++)
		if (!strcmp(name, scratch_names[i]))
			return 1;
	return name[0] == 'w' && name[1] >= '0' && name[1] <= '9';
}

static void rm_cgroup_dirs(const char *path, int top, int depth)
{
	char buf[1024], sub[256];
	int fd = (int)RAW(SYS_open, path, O_RDONLY | O_DIRECTORY, 0);
	long n;

	while (fd >= 0 && depth < 16 && (n = RAW(SYS_getdents64, fd, buf, sizeof buf)) > 0)
		for (long off = 0; off < n; off += *(unsigned short *)(buf + off + 16)) {
			const char *name = buf + off + 19;
			unsigned char type = (unsigned char)buf[off + 18];
			if ((type != DT_DIR && type != DT_UNKNOWN) || !strcmp(name, ".") || !strcmp(name, "..") ||
			    (top && !fuzz_cgroup_name(name)))
				continue;
			snprintf(sub, sizeof sub, "%s/%s", path, name);
			rm_cgroup_dirs(sub, 0, depth + 1);
			RAW(SYS_rmdir, sub);
		}
	RAW(SYS_close, fd);
}

static void remove_cgroups(void)
{
	char buf[8192];
	int fd = (int)RAW(SYS_open, "/proc/self/mounts", O_RDONLY, 0);
	long len = fd >= 0 ? RAW(SYS_read, fd, buf, sizeof buf - 1) : 0;

	RAW(SYS_close, fd);
	buf[len > 0 ? len : 0] = 0;
	for (char *line = buf, *next; *line; line = next) {	/* "source mountpoint type ..." */
		next = strchr(line, '\n') ? strchr(line, '\n') + 1 : line + strlen(line);
		char *mp = strchr(line, ' '), *type = mp ? strchr(mp + 1, ' ') : NULL;
		if (!type || strncmp(type + 1, "cgroup2 ", 8))
			continue;
		*type = 0;
		rm_cgroup_dirs(mp + 1, 1, 0);
	}
}

/*
 * What the workers made: /tmp/fuzz's contents, and new names in / and /tmp. A helper
 * process does it: a deep tree would take stack pages the parent keeps, and count as lost
 * memory.
 */
static void cleanup_files(void)
{
	char path[64];
	pid_t pid = fork();

	if (pid) {
		while (pid > 0 && waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		return;
	}
	remove_cgroups();
	unmount_under("/tmp/fuzz");
	detach_new_mounts();
	for (int i = 0; i < nr_scratch_names; i++) {
		snprintf(path, sizeof path, "/tmp/fuzz/%s", scratch_names[i]);
		rm_tree(path);
	}
	for (int i = 0; i < MAX_WORKERS; i++) {
		snprintf(path, sizeof path, "/tmp/fuzz/w%d", i);
		rm_tree(path);
	}
	for (int d = 0; d < NR_TOP_DIRS; d++)
		each_name(d, remove_if_new);
	_exit(0);
}

/* ---- the report ---------------------------------------------------------------------------- */

static void print_errors(char *out, size_t n)
{
	uint64_t count[NR_ERRNO + 1] = { 0 }, total = 0;
	size_t len = 0;

	for (int s = 0; s < MAX_WORKERS; s++)
		for (int e = 0; e <= NR_ERRNO; e++)
			count[e] += sh->slot[s].errors[e];
	for (int e = 0; e <= NR_ERRNO; e++)
		total += count[e];
	len += (size_t)snprintf(out, n, "%lu errors (", (unsigned long)total);
	for (int shown = 0; len < n; shown++) {
		int best = -1;
		for (int e = 1; e <= NR_ERRNO; e++)
			if (count[e] && (best < 0 || count[e] > count[best]))
				best = e;
		if (best < 0)
			break;
		len += (size_t)snprintf(out + len, n - len, "%s%s %lu", shown ? ", " : "",
					best == NR_ERRNO ? "other" : errno_name(best), (unsigned long)count[best]);
		count[best] = 0;
	}
	if (len < n)
		snprintf(out + len, n - len, ")");
}

static void print_findings(void)
{
	int n = sh->nfindings < MAX_FINDINGS ? sh->nfindings : MAX_FINDINGS;

	for (int i = 0; i < n; i++) {
		const struct finding *f = &sh->finding[i];
		int dup = 0;
		for (int j = 0; j < i; j++)
			dup += !strcmp(sh->finding[j].check, f->check);
		if (dup < 3)
			printf("fuzz: check %s failed (worker %d.%u, near call #%lu): %s\n", f->check, f->slot,
			       f->incarnation, (unsigned long)f->seq, f->text);
	}
	if (sh->nfindings > 0)
		failed = 1;
}

static void print_last_calls(void)
{
	for (int s = 0; s < MAX_WORKERS; s++) {
		const struct slot *sl = &sh->slot[s];
		if (!active(s) || !sl->calls)
			continue;
		printf("fuzz: worker %d, incarnation %u (seed %#lx), its last calls:\n", s, sl->incarnation,
		       (unsigned long)sl->seed);
		uint64_t first = sl->calls > 16 ? sl->calls - 15 : 1;
		for (uint64_t q = first; q <= sl->calls; q++) {
			const struct call_rec *r = rec_of(sl, q);
			if (r) {
				char prefix[32];
				snprintf(prefix, sizeof prefix, "fuzz:   %u ", r->incarnation);
				print_rec(prefix, r);
			}
		}
	}
}

/* Folio counts free pages exactly; Linux keeps freed pages in per-CPU lists and caches */
static long slack(void) { return opt.on_linux ? 16L << 20 : 0; }

/* how the workers went, and what the parent saw that it should not have */
static void print_run(long long start, long long end, int left)
{
	double secs = (end - start) / 1000.0;
	uint64_t calls = total_calls();

	printf("fuzz: %lu calls in %.1f s: %.0f calls/s; %.1f s more to settle\n", (unsigned long)calls,
	       secs, secs > 0 ? calls / secs : 0.0, (now_ms() - end) / 1000.0);
	printf("fuzz: workers: %lu incarnations, %lu exited, %lu killed by a signal (", stats.incarnations,
	       stats.exited, stats.signalled);
	for (int s = 1, n = 0; s <= 64; s++)
		if (stats.by_signal[s])
			printf("%s%s %lu", n++ ? ", " : "", strsignal(s), stats.by_signal[s]);
	printf("); watchdog: %lu nudges, %lu kills; %lu orphans reaped\n", stats.nudges, stats.kills,
	       stats.orphans);
	for (int i = 0; i < nunexpected && i < 16; i++)
		printf("fuzz: the parent got signal %d (%s) from pid %d, si_code %d\n", unexpected[i].sig,
		       strsignal(unexpected[i].sig), unexpected[i].pid, unexpected[i].code);
	if (left > 0)
		printf("fuzz: %d processes still there after the sweep: never reaped\n", left);
	if (nunexpected || left > 0)
		failed = 1;
}

static void report(long long start, long long end, long free0, long free1, int left)
{
	char errs[1024];
	int back = free1 + slack() >= free0;

	print_run(start, end, left);
	print_findings();
	print_errors(errs, sizeof errs);
	printf("fuzz: %lu calls, %s, free memory back: %s (%+ld KiB)\n", (unsigned long)total_calls(), errs,
	       back ? "yes" : "no", (free1 - free0) / 1024);
	if (!back)
		failed = 1;
	if (failed) {
		printf("fuzz: FAILED, seed=%lu (again: fuzz -s %lu -w %d", (unsigned long)opt.seed,
		       (unsigned long)opt.seed, opt.workers);
		if (opt.calls)
			printf(" -n %lu", (unsigned long)opt.calls);
		printf("; one worker's calls: add -o W -r)\n");
		print_last_calls();
	}
	fflush(stdout);
}

/* ---- options --------------------------------------------------------------------------------- */

static unsigned long parse_avoid(char *list)
{
	unsigned long mask = 0;

	if (!strcmp(list, "list")) {
		for (int c = 0; c < NR_CHECKS; c++)
			printf("%s\n", check_name[c]);
		exit(0);
	}
	for (char *t = strtok(list, ","); t; t = strtok(NULL, ",")) {
		int c;
		for (c = 0; c < NR_CHECKS && strcmp(t, check_name[c]); c++)
			;
		if (c == NR_CHECKS) {
			fprintf(stderr, "fuzz: no check named '%s' (-x list)\n", t);
			exit(2);
		}
		mask |= 1UL << c;
	}
	return mask;
}

static void parse_calls(char *list)
{
	static uint8_t enabled[512];

	for (char *t = strtok(list, ","); t; t = strtok(NULL, ",")) {
		int e = entry_of_name(t);
		if (e < 0) {
			fprintf(stderr, "fuzz: no call or operation named '%s'\n", t);
			exit(2);
		}
		enabled[e] = 1;
	}
	opt.enabled = enabled;
}

static void parse(int argc, char **argv)
{
	int c, need = 0;
	char *dot;

	opt.workers = 4;
	opt.only = -1;
	opt.progress = 10;
	while ((c = getopt(argc, argv, "s:n:t:w:ro:x:c:p:")) != -1) {
		switch (c) {
		case 's': opt.seed = strtoull(optarg, NULL, 0); need = 1; break;
		case 'n': opt.calls = strtoull(optarg, NULL, 0); need = 1; break;
		case 't': opt.seconds = (unsigned)atoi(optarg); need = 1; break;
		case 'w': opt.workers = atoi(optarg); break;
		case 'r': opt.replay = 1; break;
		case 'o':
			opt.only = atoi(optarg);
			dot = strchr(optarg, '.');
			opt.first_incarnation = dot ? (uint32_t)atoi(dot + 1) : 0;
			break;
		case 'x': opt.avoid = parse_avoid(optarg); break;
		case 'c': parse_calls(optarg); break;
		case 'p': opt.progress = (unsigned)atoi(optarg); break;
		default: usage();
		}
	}
	if (!need || optind != argc || opt.workers < 1 || opt.workers > MAX_WORKERS ||
	    opt.only >= MAX_WORKERS)
		usage();
	if (!opt.calls && !opt.seconds)
		opt.calls = 10000;
}

static void self_path(const char *argv0)
{
	char cwd[200];

	if (argv0[0] == '/' || !getcwd(cwd, sizeof cwd))
		snprintf(opt.self, sizeof opt.self, "%s", argv0);
	else
		snprintf(opt.self, sizeof opt.self, "%s/%s", cwd, argv0);
}

static uint64_t random_seed(void)
{
	uint64_t s = 0;

	if (RAW(SYS_getrandom, &s, sizeof s, 0) != sizeof s)
		s = (uint64_t)now_ms() * 2654435761UL;
	return s % 1000000000000UL;	/* short enough to type */
}

/* ---- main --------------------------------------------------------------------------------------- */

/*
 * Touch, before the baseline is taken, every page the parent uses afterwards: its code and
 * static data (the linker's __executable_start to end), its stack, the buffers of its
 * reports. (Folio has no page cache and no shared zero page: the first touch of a page of
 * the program, even a read, takes a page, which would otherwise count as lost.)
 */
static void warm_up(void)
{
	extern char __executable_start[], end[];
	volatile char big[64 * 1024];
	char line[400];
	struct call_rec r = { 0 };

	for (uintptr_t p = (uintptr_t)__executable_start & ~(PAGE - 1); p < (uintptr_t)end; p += PAGE)
		(void)*(volatile char *)p;
	for (size_t i = 0; i < sizeof big; i += 512)
		big[i] = 0;
	memset(mon, 0, sizeof mon);
	memset(&stats, 0, sizeof stats);
	memset(unexpected, 0, sizeof unexpected);
	memset(old_pids, 0, sizeof old_pids);
	format_call(line, sizeof line, &r);
	(void)errno_name(EINVAL);
	(void)errno_name(1000);
	(void)strsignal(SIGKILL);
	reap();
	watch_kernel_log();	/* the mark: only what comes from now on counts */
}

/*
 * The cgroup operation's hierarchy, with the memory controller on. It is there before the
 * baseline and stays until the verdict, so that the memory comparison is exact.
 */
static void mount_cgroups(void)
{
	mkdir(CGROUP_DIR, 0755);
	if (mount("none", CGROUP_DIR, "cgroup2", 0, NULL) == 0) {
		int fd = open(CGROUP_DIR "/cgroup.subtree_control", O_WRONLY);
		if (fd >= 0 && write(fd, "+memory", 7) < 0)
			perror("fuzz: +memory");
		close(fd);
	}
}

/* who and where we are: init or not, Linux or not, our own path; the shared region */
static void set_up(char *argv0)
{
	struct utsname u;

	if (getpid() == 1)
		console_fds();
	else
		prctl(36 /* PR_SET_CHILD_SUBREAPER */, 1);
	self_path(argv0);
	opt.on_linux = uname(&u) == 0 && !strcmp(u.sysname, "Linux");
	opt.parent = getpid();
	if (opt.parent == 1)
		setsid();
	opt.parent_pgrp = getpgrp();
	sh = mmap(NULL, sizeof *sh, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		perror("fuzz: mmap");
		exit(1);
	}
	memset(sh, 0, sizeof *sh);
	for (int i = 0; i < MAX_WORKERS; i++)
		if (active(i))
			sh->slot[i].budget = !opt.calls ? 0 : opt.only >= 0 ? opt.calls :
					     opt.calls / opt.workers + ((uint64_t)i < opt.calls % opt.workers);
	parent_handlers();
	mkdir("/tmp", 01777);
	mkdir("/tmp/fuzz", 0777);
	if (access("/proc/self", F_OK) != 0) {	/* as init: the workers read /proc too */
		mkdir("/proc", 0555);
		mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	}
	mount_cgroups();
	for (int d = 0; d < NR_TOP_DIRS; d++)	/* first: the clean-up removes only what is not here now */
		each_name(d, remember_name);
	char buf[8192], *mp[64];
	mounts_at_start = mount_points(buf, sizeof buf, mp, 64);
	cleanup_files();
}

static void print_start(void)
{
	printf("fuzz: seed=%lu workers=%d calls=%lu", (unsigned long)opt.seed,
	       opt.only >= 0 ? 1 : opt.workers, (unsigned long)opt.calls);
	if (opt.seconds)
		printf(" seconds=%u", opt.seconds);
	for (int c = 0, n = 0; c < NR_CHECKS; c++)
		if (avoided((enum check)c))
			printf("%s%s", n++ ? "," : " skipping=", check_name[c]);
	printf("\n");
	fflush(stdout);
}

int main(int argc, char **argv)
{
	int seeded = 0;

	if (argc >= 2 && !strcmp(argv[1], "--child"))
		return child_exec_main(argc - 2, argv + 2);
	for (int i = 1; i < argc; i++)
		seeded |= !strcmp(argv[i], "-s");
	parse(argc, argv);
	if (!seeded)
		opt.seed = random_seed();
	set_up(argv[0]);
	print_start();
	warm_up();
	struct sysinfo si0 = info();
	long long start = now_ms();
	supervise(start);
	long long end = now_ms();
	int left = settle_processes(si0.procs);
	cleanup_files();
	long free1 = (long)info().freeram;
	for (long long until = now_ms() + SETTLE_MS; free1 + slack() < (long)si0.freeram && now_ms() < until;
	     free1 = (long)info().freeram)
		sleep_tick();
	watch_kernel_log();
	report(start, end, (long)si0.freeram, free1, left);
	umount2(CGROUP_DIR, MNT_DETACH);
	rmdir(CGROUP_DIR);
	return failed ? 1 : 0;
}
