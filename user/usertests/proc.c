/*
 * /proc: each file read the way procps and busybox read it, with real
 * values checked against what the test did (pages touched, mappings made,
 * threads started, settings written). Linux 6.1 passes them too: where
 * Linux's own counters are approximate (its per-task rss cache batches up
 * to 64 faults, its Committed_AS per-CPU batches), the tests allow that
 * much and say so.
 */
#include "usertests.h"
#include <dirent.h>
#include <sys/prctl.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <stdbool.h>

#define RSS_SLACK 64		/* pages: Linux 6.1's per-task rss cache (TASK_RSS_EVENTS_THRESH) */

/* ---- reading /proc files ---- */

/* The number after "key" at the start of a line of text (status, meminfo, vmstat); -1 if absent. */
static long field(const char *text, const char *key)
{
	size_t len = strlen(key);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, key, len) && (p[len] == ':' || p[len] == ' ' || p[len] == '\t'))
			return strtol(p + len + 1, NULL, 10);
	return -1;
}

static long status_field(pid_t pid, const char *key)
{
	static char buf[4096];
	char path[64];

	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	CHECK(read_file(path, buf, sizeof buf) > 0, "read %s: %s", path, strerror(errno));
	return field(buf, key);
}

static long file_field(const char *path, const char *key)
{
	static char buf[16384];

	CHECK(read_file(path, buf, sizeof buf) > 0, "read %s: %s", path, strerror(errno));
	return field(buf, key);
}

/* ---- status, statm, smaps_rollup ---- */

static void touch_pages(char *p, size_t pages)
{
	for (size_t i = 0; i < pages; i++)
		p[i * PAGE] = 1;
}

/* VmRSS and RssAnon grow by the pages touched and drop after munmap; VmSize by the mapping; VmHWM keeps the peak. */
static void t_proc_status_rss(void)
{
	const size_t pages = 256;
	pid_t me = getpid();
	long size0 = status_field(me, "VmSize"), anon0 = status_field(me, "RssAnon");

	char *p = map(pages * PAGE, PROT_READ | PROT_WRITE);
	CHECK(status_field(me, "VmSize") - size0 == (long)(pages * 4), "VmSize grew by %ld kB, mapped %zu kB",
	      status_field(me, "VmSize") - size0, pages * 4);
	touch_pages(p, pages);
	long anon1 = status_field(me, "RssAnon"), rss1 = status_field(me, "VmRSS");
	CHECK(anon1 - anon0 >= (long)(pages - RSS_SLACK) * 4 && anon1 - anon0 <= (long)(pages + RSS_SLACK) * 4,
	      "RssAnon grew by %ld kB after touching %zu kB", anon1 - anon0, pages * 4);
	CHECK(rss1 == anon1 + status_field(me, "RssFile") + status_field(me, "RssShmem"),
	      "VmRSS %ld kB is not RssAnon + RssFile + RssShmem", rss1);
	CHECK(munmap(p, pages * PAGE) == 0, "munmap: %s", strerror(errno));
	long anon2 = status_field(me, "RssAnon");
	CHECK(anon1 - anon2 >= (long)(pages - RSS_SLACK) * 4, "RssAnon fell by %ld kB after munmap of %zu kB",
	      anon1 - anon2, pages * 4);
	CHECK(status_field(me, "VmSize") == size0, "VmSize %ld kB after munmap, %ld before",
	      status_field(me, "VmSize"), size0);
	CHECK(status_field(me, "VmHWM") >= rss1 - RSS_SLACK * 4, "VmHWM %ld kB below the peak %ld kB",
	      status_field(me, "VmHWM"), rss1);
	CHECK(status_field(me, "VmPeak") >= size0 + (long)pages * 4, "VmPeak forgot the mapping");
	CHECK(status_field(me, "Threads") == 1 && status_field(me, "Pid") == me && status_field(me, "Tgid") == me &&
	      status_field(me, "PPid") == getppid(), "Threads, Pid, Tgid or PPid wrong");
}

/* Shared anonymous memory counts as RssShmem, as Linux counts shmem. */
static void t_proc_status_shmem(void)
{
	const size_t pages = 64;
	long shmem0 = status_field(getpid(), "RssShmem");
	char *p = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	CHECK(p != MAP_FAILED, "mmap(MAP_SHARED): %s", strerror(errno));
	touch_pages(p, pages);
	long grew = status_field(getpid(), "RssShmem") - shmem0;
	CHECK(grew >= (long)(pages - RSS_SLACK / 2) * 4 && grew <= (long)(pages + RSS_SLACK) * 4,
	      "RssShmem grew by %ld kB for %zu kB of shared memory", grew, pages * 4);
	munmap(p, pages * PAGE);
}

/*
 * VmLck follows mlock() and munlock(): a range locked twice counts once, unlocking what was
 * never locked counts nothing, a range locks no page past its end. mlock() and MAP_POPULATE fault the range in (RssAnon grows
 * with nothing touched); mlock() of a PROT_NONE range fails with ENOMEM but locks it all
 * the same, and brings nothing in. (RssAnon with Linux's slack: its per-task counters reach
 * the mm in batches.)
 */
static void t_proc_status_vmlck(void)
{
	const long pages = 256, kb = pages * 4, least = (pages - RSS_SLACK) * 4;
	pid_t me = getpid();
	long lck0 = status_field(me, "VmLck"), anon0 = status_field(me, "RssAnon");
	char *p = map(pages * PAGE, PROT_READ | PROT_WRITE);

	CHECK(munlock(p, pages * PAGE) == 0, "munlock: %s", strerror(errno));
	CHECK(status_field(me, "VmLck") == lck0, "munlock of an unlocked range: VmLck %ld kB, was %ld kB",
	      status_field(me, "VmLck"), lck0);
	CHECK(mlock(p, pages * PAGE) == 0 && mlock(p, pages * PAGE) == 0, "mlock: %s", strerror(errno));
	CHECK(status_field(me, "VmLck") - lck0 == kb, "VmLck grew by %ld kB, locked %ld kB",
	      status_field(me, "VmLck") - lck0, kb);
	CHECK(status_field(me, "RssAnon") - anon0 >= least, "mlock() brought in %ld kB of %ld kB",
	      status_field(me, "RssAnon") - anon0, kb);
	CHECK(munlock(p, pages * PAGE) == 0 && status_field(me, "VmLck") == lck0, "VmLck after munlock: %ld kB",
	      status_field(me, "VmLck"));
	/* A range that ends where the next VMA starts locks nothing of that VMA. */
	CHECK(mprotect(p + PAGE, PAGE, PROT_READ) == 0, "mprotect: %s", strerror(errno));
	CHECK(mlock(p, PAGE) == 0 && status_field(me, "VmLck") - lck0 == 4, "VmLck after locking one page: %ld kB",
	      status_field(me, "VmLck") - lck0);
	CHECK(RAW(SYS_munlockall) == 0, "munlockall() did not return 0");
	CHECK(munlock(p, PAGE) == 0 && status_field(me, "VmLck") == lck0, "VmLck after munlock: %ld kB",
	      status_field(me, "VmLck"));
	CHECK(munmap(p, pages * PAGE) == 0, "munmap: %s", strerror(errno));

	anon0 = status_field(me, "RssAnon");
	p = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	CHECK(p != MAP_FAILED, "mmap(MAP_POPULATE): %s", strerror(errno));
	CHECK(status_field(me, "RssAnon") - anon0 >= least, "MAP_POPULATE brought in %ld kB of %ld kB",
	      status_field(me, "RssAnon") - anon0, kb);
	CHECK(munmap(p, pages * PAGE) == 0, "munmap: %s", strerror(errno));

	anon0 = status_field(me, "RssAnon");
	p = map(pages * PAGE, PROT_NONE);
	CHECK(mlock(p, pages * PAGE) == -1 && errno == ENOMEM, "mlock(PROT_NONE): %s, not ENOMEM", strerror(errno));
	CHECK(status_field(me, "VmLck") - lck0 == kb, "VmLck of a locked PROT_NONE range: %ld kB",
	      status_field(me, "VmLck") - lck0);
	CHECK(status_field(me, "RssAnon") - anon0 < kb / 2, "mlock() of PROT_NONE brought in %ld kB",
	      status_field(me, "RssAnon") - anon0);
	CHECK(munmap(p, pages * PAGE) == 0 && status_field(me, "VmLck") == lck0, "VmLck after munmap: %ld kB",
	      status_field(me, "VmLck"));
}

/* statm's seven numbers in pages: size matches VmSize, resident VmRSS. */
static void t_proc_statm(void)
{
	char buf[256];
	unsigned long v[7];

	CHECK(read_file("/proc/self/statm", buf, sizeof buf) > 0, "read statm: %s", strerror(errno));
	CHECK(sscanf(buf, "%lu %lu %lu %lu %lu %lu %lu", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6]) == 7,
	      "statm is not seven numbers: %s", buf);
	long size = status_field(getpid(), "VmSize");
	CHECK((long)v[0] * 4 == size, "statm size %lu pages, VmSize %ld kB", v[0], size);
	CHECK(v[1] >= v[2] && v[4] == 0 && v[6] == 0, "statm resident < shared, or lib/dt not 0: %s", buf);
}

/* smaps_rollup: the [rollup] line spans the address space; Rss is VmRSS, Anonymous is RssAnon. */
static void t_proc_smaps_rollup(void)
{
	char buf[4096];
	unsigned long start, end;
	char tail[64];

	CHECK(read_file("/proc/self/smaps_rollup", buf, sizeof buf) > 0, "read: %s", strerror(errno));
	CHECK(sscanf(buf, "%lx-%lx ---p 00000000 00:00 0 %63s", &start, &end, tail) == 3 && !strcmp(tail, "[rollup]"),
	      "first line: %.80s", buf);
	CHECK(start < end, "rollup range %lx-%lx", start, end);
	long rss = field(buf, "Rss"), vmrss = status_field(getpid(), "VmRSS");
	/* VmRSS lags on Linux: the anonymous and the file counts, up to RSS_SLACK each */
	CHECK(rss > 0 && labs(rss - vmrss) <= 2 * RSS_SLACK * 4, "smaps_rollup Rss %ld kB, VmRSS %ld kB", rss, vmrss);
	CHECK(field(buf, "Pss") > 0 && field(buf, "Pss") <= rss && field(buf, "Swap") == 0 && field(buf, "Locked") >= 0,
	      "Pss, Swap or Locked wrong:\n%s", buf);
}

/* smaps_rollup's Shared_Clean + Shared_Dirty in kB: what another mm maps too. */
static long rollup_shared(void)
{
	char buf[4096];

	CHECK(read_file("/proc/self/smaps_rollup", buf, sizeof buf) > 0, "read smaps_rollup: %s", strerror(errno));
	return field(buf, "Shared_Clean") + field(buf, "Shared_Dirty");
}

/*
 * A forked child's pages are shared (mapped twice) while it lives; once it is gone they are
 * the parent's alone again, private in smaps_rollup.
 */
static void t_proc_smaps_shared(void)
{
	const long pages = 1024, kb = pages * 4;
	char *p = map(pages * PAGE, PROT_READ | PROT_WRITE);
	int go[2];

	touch_pages(p, pages);
	long s0 = rollup_shared();
	CHECK(pipe(go) == 0, "pipe: %s", strerror(errno));
	pid_t pid = fork();
	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		char c;
		_exit(read(go[0], &c, 1) == 1 ? 0 : 1);
	}
	long s1 = rollup_shared();
	CHECK(write(go[1], "x", 1) == 1, "write: %s", strerror(errno));
	expect_exit(reap(pid), 0, "the child");
	close2(go);
	long s2 = rollup_shared();
	CHECK(s1 - s0 >= kb, "with a forked child alive, shared grew by %ld kB (the mapping alone is %ld kB)", s1 - s0, kb);
	CHECK(s2 - s0 < kb / 4, "the child gone, still %ld kB more shared than before the fork", s2 - s0);
	munmap(p, pages * PAGE);
}

/* ---- maps ---- */

struct map_line {
	unsigned long start, end, offset, inode;
	char perms[5], path[256];
	unsigned int major, minor;
};

/* The maps line whose range contains addr, parsed as procps parses it; 0 if none. */
static int find_map(unsigned long addr, struct map_line *out)
{
	static char buf[65536];

	CHECK(read_file("/proc/self/maps", buf, sizeof buf) > 0, "read maps: %s", strerror(errno));
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		struct map_line m = { .path = "" };
		int pos = 0;
		if (sscanf(line, "%lx-%lx %4s %lx %x:%x %lu %n", &m.start, &m.end, m.perms, &m.offset, &m.major,
			   &m.minor, &m.inode, &pos) < 7)
			fail("a maps line procps cannot parse: %s", line);
		snprintf(m.path, sizeof m.path, "%s", line + pos);
		if (m.start <= addr && addr < m.end) {
			*out = m;
			return 1;
		}
	}
	return 0;
}

/* A fresh mapping's exact range and permissions; mprotect of its middle page splits it in three. */
static void t_proc_maps(void)
{
	struct map_line m;
	char *p = map(3 * PAGE, PROT_READ | PROT_WRITE);
	unsigned long a = (unsigned long)p;

	/* Neighbours may have merged with it: ask for its own range with a guard on each side. */
	CHECK(mprotect(p, 3 * PAGE, PROT_READ | PROT_WRITE | PROT_EXEC) == 0, "mprotect: %s", strerror(errno));
	CHECK(find_map(a, &m), "no maps line for %lx", a);
	CHECK(m.start == a && m.end == a + 3 * PAGE && !strcmp(m.perms, "rwxp") && m.offset == 0 &&
	      m.major == 0 && m.minor == 0 && m.inode == 0 && !m.path[0],
	      "mapping %lx-%lx: %lx-%lx %s %lx %x:%x %lu '%s'", a, a + 3 * PAGE, m.start, m.end, m.perms, m.offset,
	      m.major, m.minor, m.inode, m.path);
	CHECK(mprotect(p + PAGE, PAGE, PROT_READ) == 0, "mprotect: %s", strerror(errno));
	static const char *const perms[] = { "rwxp", "r--p", "rwxp" };
	for (int i = 0; i < 3; i++) {
		CHECK(find_map(a + i * PAGE, &m), "no maps line for %lx", a + i * PAGE);
		CHECK(m.start == a + i * PAGE && m.end == a + (i + 1) * PAGE && !strcmp(m.perms, perms[i]),
		      "after mprotect, page %d: %lx-%lx %s, expected %lx-%lx %s", i, m.start, m.end, m.perms,
		      a + i * PAGE, a + (i + 1) * PAGE, perms[i]);
	}
	munmap(p, 3 * PAGE);
	CHECK(!find_map(a + PAGE, &m), "the mapping is still in maps after munmap");
}

/* The stack, the heap and the program itself are named as Linux names them, in Linux's columns. */
static void t_proc_maps_names(void)
{
	struct map_line m;
	int local = 0;
	char exe[256];
	unsigned long brk0 = (unsigned long)RAW(SYS_brk, 0);

	CHECK(find_map((unsigned long)&local, &m) && !strcmp(m.path, "[stack]"), "the stack's line: '%s'", m.path);
	CHECK((unsigned long)RAW(SYS_brk, brk0 + PAGE) == brk0 + PAGE, "brk did not grow");
	CHECK(find_map(brk0, &m) && !strcmp(m.path, "[heap]") && !strcmp(m.perms, "rw-p"), "the heap's line: %s '%s'",
	      m.perms, m.path);
	RAW(SYS_brk, brk0);
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	CHECK(n > 0, "readlink /proc/self/exe: %s", strerror(errno));
	exe[n] = 0;
	CHECK(find_map((unsigned long)t_proc_maps_names, &m) && !strcmp(m.path, exe) && m.perms[2] == 'x' &&
	      m.inode != 0, "our code's line: %s ino %lu '%s', exe is '%s'", m.perms, m.inode, m.path, exe);
	/* The path starts at column 73: "start-end perms offset dev inode " padded with spaces. */
	char buf[65536];
	CHECK(read_file("/proc/self/maps", buf, sizeof buf) > 0, "read maps");
	char *line = strstr(buf, exe);
	CHECK(line && line - buf >= 73 && line[-1] == ' ', "no padded path in maps");
	char *bol = line;
	while (bol > buf && bol[-1] != '\n')
		bol--;
	CHECK(line - bol == 73, "the path is at column %ld, Linux puts it at 73", (long)(line - bol));
}

/* ---- stat ---- */

/* 52 fields, even with spaces and ')' in the name; the fields say who we are. */
static void t_proc_stat_fields(void)
{
	char buf[1024], *f[64];
	int n = 0;

	CHECK(prctl(PR_SET_NAME, "a b) c(d") == 0, "prctl(PR_SET_NAME): %s", strerror(errno));
	CHECK(read_file("/proc/self/stat", buf, sizeof buf) > 0, "read stat: %s", strerror(errno));
	char *open_paren = strchr(buf, '('), *close_paren = strrchr(buf, ')');
	CHECK(open_paren && close_paren && close_paren - open_paren - 1 == 8 &&
	      !strncmp(open_paren + 1, "a b) c(d", 8), "comm in stat: %s", buf);
	CHECK(atoi(buf) == getpid(), "pid field %d", atoi(buf));
	for (char *t = strtok(close_paren + 2, " \n"); t && n < 64; t = strtok(NULL, " \n"))
		f[n++] = t;
	CHECK(n + 2 == 52, "%d fields, expected 52", n + 2);
	CHECK(!strcmp(f[0], "R"), "state %s, expected R", f[0]);
	CHECK(atoi(f[1]) == getppid() && atoi(f[2]) == getpgrp() && atoi(f[3]) == getsid(0),
	      "ppid/pgrp/session %s %s %s", f[1], f[2], f[3]);
	CHECK(atoi(f[17]) == 1, "num_threads %s", f[17]);
	CHECK(strtoul(f[20], NULL, 10) == (unsigned long)status_field(getpid(), "VmSize") * 1024,
	      "vsize %s, VmSize %ld kB", f[20], status_field(getpid(), "VmSize"));
	CHECK(atoi(f[35]) == SIGCHLD, "exit_signal %s", f[35]);
	CHECK(strtoul(f[45], NULL, 10) > 0 && strtoul(f[46], NULL, 10) > strtoul(f[45], NULL, 10),
	      "arg_start/arg_end %s %s", f[45], f[46]);
	char comm[32];
	CHECK(read_file("/proc/self/comm", comm, sizeof comm) > 0 && !strcmp(comm, "a b) c(d\n"), "comm: '%s'", comm);
}

/* A zombie shows Z until reaped; then its directory is gone and an open file of it says ESRCH. */
static void t_proc_zombie(void)
{
	char path[64], buf[256];
	pid_t pid = spawn(exit_now, 7);

	CHECK(wait_state(pid, "Z") == 'Z', "state %c, expected Z", stat_state(pid));
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	CHECK(read_file(path, buf, sizeof buf) > 0 && strstr(buf, "State:\tZ (zombie)\n"), "status: %.200s", buf);
	CHECK(!strstr(buf, "VmRSS"), "a zombie's status has memory lines");
	int fd = open(path, O_RDONLY);
	snprintf(path, sizeof path, "/proc/%d", (int)pid);
	int dfd = open(path, O_RDONLY | O_DIRECTORY);
	CHECK(fd >= 0 && dfd >= 0, "open the zombie's files: %s", strerror(errno));
	expect_exit(reap(pid), 7, "the zombie");
	struct stat st;
	CHECK(stat(path, &st) < 0 && errno == ENOENT, "stat %s after wait4: %s", path, strerror(errno));
	CHECK(read(fd, buf, sizeof buf) < 0 && errno == ESRCH, "reading status of a reaped task: %s", strerror(errno));
	CHECK(openat(dfd, "stat", O_RDONLY) < 0 && errno == ESRCH, "openat in a reaped task's directory: %s",
	      strerror(errno));
	close(fd);
	close(dfd);
}

/* ---- fd, fdinfo ---- */

/* The open fds, in order, as fcntl() sees them. */
static int open_fds(int *fds, int max)
{
	int n = 0;

	for (int fd = 0; fd < 1024 && n < max; fd++)
		if (fcntl(fd, F_GETFD) >= 0)
			fds[n++] = fd;
	return n;
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* fd/ lists exactly the open fds, with Linux's link texts; fdinfo says pos, flags and inode. */
/* The id mountinfo gives the last mount on dir (the one a walk sees), or -1. */
static int mount_id_of(const char *dir)
{
	static char buf[16384];
	char point[256];
	int id, found = -1;

	CHECK(read_file("/proc/self/mountinfo", buf, sizeof buf) > 0, "read mountinfo: %s", strerror(errno));
	for (char *line = buf; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL)
		if (sscanf(line, "%d %*d %*s %*s %255s", &id, point) == 2 && !strcmp(point, dir))
			found = id;
	return found;
}

static void t_proc_fd(void)
{
	int p[2], fds[64], listed[64], n = 0;
	char link[64], buf[256], path[64];
	struct stat st;

	int nul = open("/dev/null", O_RDONLY | O_CLOEXEC);
	CHECK(nul >= 0 && pipe(p) == 0, "open /dev/null, pipe: %s", strerror(errno));
	DIR *d = opendir("/proc/self/fd");
	CHECK(d, "opendir /proc/self/fd: %s", strerror(errno));
	for (struct dirent *e; (e = readdir(d)) && n < 64;)
		if (e->d_name[0] != '.')
			listed[n++] = atoi(e->d_name);
	int expected = open_fds(fds, 64);	/* the directory's own fd included, as in the listing */
	closedir(d);
	qsort(listed, n, sizeof listed[0], cmp_int);
	CHECK(n == expected && !memcmp(listed, fds, n * sizeof fds[0]), "fd/ lists %d fds, %d are open", n, expected);
	snprintf(path, sizeof path, "/proc/self/fd/%d", nul);
	ssize_t len = readlink(path, link, sizeof link - 1);
	CHECK(len == 9 && !memcmp(link, "/dev/null", 9), "fd link of /dev/null: %.*s", (int)len, link);
	CHECK(fstat(p[0], &st) == 0, "fstat");
	snprintf(path, sizeof path, "/proc/self/fd/%d", p[1]);
	len = readlink(path, link, sizeof link - 1);
	link[len > 0 ? len : 0] = 0;
	snprintf(buf, sizeof buf, "pipe:[%lu]", (unsigned long)st.st_ino);
	CHECK(!strcmp(link, buf), "fd link of a pipe: '%s', expected '%s'", link, buf);
	CHECK(lstat(path, &st) == 0 && (st.st_mode & 0777) == 0300, "the write end's link mode %o, expected l-wx------",
	      st.st_mode & 0777);
	snprintf(path, sizeof path, "/proc/self/fdinfo/%d", nul);
	CHECK(read_file(path, buf, sizeof buf) > 0, "read %s", path);
	CHECK(!strncmp(buf, "pos:\t0\nflags:\t02100000\nmnt_id:\t", 31), "fdinfo of /dev/null (O_CLOEXEC): %s", buf);
	CHECK(fstat(nul, &st) == 0 && field(buf, "ino") == (long)st.st_ino, "fdinfo ino %ld, st_ino %lu",
	      field(buf, "ino"), (unsigned long)st.st_ino);
	int dev_id = mount_id_of("/dev");
	CHECK(dev_id > 0 && field(buf, "mnt_id") == dev_id, "fdinfo mnt_id %ld, /dev's mount %d in mountinfo",
	      field(buf, "mnt_id"), dev_id);
	snprintf(path, sizeof path, "/proc/self/fdinfo/%d", p[1]);
	CHECK(read_file(path, buf, sizeof buf) > 0 && !strncmp(buf, "pos:\t0\nflags:\t01\n", 17),
	      "fdinfo of a pipe's write end: %s", buf);
	close(nul);
	snprintf(path, sizeof path, "/proc/self/fd/%d", nul);
	CHECK(readlink(path, link, sizeof link) < 0 && errno == ENOENT, "fd/%d after close: %s", nul, strerror(errno));
	close2(p);
}

/* ---- task ---- */

static pthread_barrier_t task_barrier;

static void *task_thread(void *arg)
{
	*(long *)arg = syscall(SYS_gettid);
	pthread_barrier_wait(&task_barrier);	/* everyone listed */
	pthread_barrier_wait(&task_barrier);	/* the main thread is done looking */
	return NULL;
}

/* task/ lists every thread, by tid; status counts them. */
static void t_proc_task(void)
{
	pthread_t t[3];
	long tids[4] = { syscall(SYS_gettid) };
	int n = 0, seen = 0;

	pthread_barrier_init(&task_barrier, NULL, 4);
	for (int i = 0; i < 3; i++)
		CHECK(pthread_create(&t[i], NULL, task_thread, &tids[i + 1]) == 0, "pthread_create");
	pthread_barrier_wait(&task_barrier);
	DIR *d = opendir("/proc/self/task");
	CHECK(d, "opendir /proc/self/task: %s", strerror(errno));
	for (struct dirent *e; (e = readdir(d));) {
		if (e->d_name[0] == '.')
			continue;
		n++;
		for (int i = 0; i < 4; i++)
			seen += atol(e->d_name) == tids[i];
	}
	closedir(d);
	long threads = status_field(getpid(), "Threads");
	char path[64], buf[256];
	snprintf(path, sizeof path, "/proc/self/task/%ld/stat", tids[2]);
	CHECK(read_file(path, buf, sizeof buf) > 0 && atol(buf) == tids[2], "task/%ld/stat: %s", tids[2], buf);
	pthread_barrier_wait(&task_barrier);
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	CHECK(n == 4 && seen == 4, "task/ lists %d entries, %d of our 4 threads", n, seen);
	CHECK(threads == 4, "status Threads: %ld with 4 threads", threads);
	CHECK(status_field(getpid(), "Threads") == 1, "Threads after the joins: %ld", status_field(getpid(), "Threads"));
}

/* ---- oom_score_adj, oom_adj, oom_score ---- */

static void *oom_thread(void *arg)
{
	*(int *)arg = write_file("/proc/thread-self/oom_score_adj", "300");
	return NULL;
}

/* A file that is one number. */
static long read_long(const char *path)
{
	char buf[64];

	CHECK(read_file(path, buf, sizeof buf) > 0, "read %s: %s", path, strerror(errno));
	return strtol(buf, NULL, 10);
}

static long oom_adj_value(void)
{
	return read_long("/proc/self/oom_score_adj");
}

/* -1000..1000; 1001, -1001, "abc" are EINVAL; the value is shared by threads, inherited by fork, kept by exec. */
static void t_proc_oom_score_adj(void)
{
	char buf[32];
	int st;

	CHECK(write_file("/proc/self/oom_score_adj", "500\n") == 0, "write 500: %s", strerror(errno));
	CHECK(read_file("/proc/self/oom_score_adj", buf, sizeof buf) > 0 && !strcmp(buf, "500\n"), "read '%s'", buf);
	static const char *const bad[] = { "1001", "-1001", "abc", "\n", "5x" };
	for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int err = write_file("/proc/self/oom_score_adj", bad[i]);
		CHECK(err == -EINVAL, "write '%s': %s, expected EINVAL", bad[i], strerror(-err));
	}
	CHECK(read_file("/proc/self/oom_score_adj", buf, sizeof buf) > 0 && !strcmp(buf, "500\n"),
	      "after refused writes: '%s'", buf);
	pid_t pid = fork();
	CHECK(pid >= 0, "fork");
	if (pid == 0) {
		char b[32];
		_exit(read_file("/proc/self/oom_score_adj", b, sizeof b) > 0 && !strcmp(b, "500\n") ? 0 : 1);
	}
	expect_exit(reap(pid), 0, "a forked child reading the inherited 500");
	pthread_t t;
	int err = -1;
	CHECK(pthread_create(&t, NULL, oom_thread, &err) == 0, "pthread_create");
	pthread_join(t, NULL);
	CHECK(err == 0, "a thread's write: %s", strerror(-err));
	CHECK(read_file("/proc/self/oom_score_adj", buf, sizeof buf) > 0 && !strcmp(buf, "300\n"),
	      "the process after its thread wrote 300: '%s'", buf);
	pid = fork();
	CHECK(pid >= 0, "fork");
	if (pid == 0) {
		char *argv[] = { (char *)self, "--child", "oomadj", "300", NULL };
		execve(self, argv, environ);
		_exit(99);
	}
	st = reap(pid);
	expect_exit(st, 0, "the exec'd child finding oom_score_adj 300");
}

/* usertests --child oomadj N: exit 0 if our oom_score_adj reads N. */
int child_oomadj(const char *want)
{
	char buf[32], expect[32];

	snprintf(expect, sizeof expect, "%s\n", want);
	return read_file("/proc/self/oom_score_adj", buf, sizeof buf) > 0 && !strcmp(buf, expect) ? 0 : 1;
}

/* The legacy oom_adj: -17 and -16..15 in, scaled to oom_score_adj and back as Linux scales them. */
static void t_proc_oom_adj(void)
{
	static const struct { const char *adj; long score_adj, readback; } w[] = {
		{ "-17", -1000, -17 }, { "-16", -941, -15 }, { "-1", -58, 0 }, { "7", 411, 6 }, { "15", 1000, 15 },
	};
	static const struct { const char *score_adj; long adj; } r[] = {
		{ "-999", -16 }, { "-59", -1 }, { "-58", 0 }, { "58", 0 }, { "59", 1 }, { "999", 15 },
	};
	char buf[32];

	for (unsigned i = 0; i < sizeof w / sizeof w[0]; i++) {
		CHECK(write_file("/proc/self/oom_adj", w[i].adj) == 0, "write oom_adj %s: %s", w[i].adj, strerror(errno));
		CHECK(oom_adj_value() == w[i].score_adj, "oom_adj %s gave oom_score_adj %ld, expected %ld", w[i].adj,
		      oom_adj_value(), w[i].score_adj);
		CHECK(read_file("/proc/self/oom_adj", buf, sizeof buf) > 0 && atol(buf) == w[i].readback,
		      "oom_adj %s reads back %s", w[i].adj, buf);
	}
	for (unsigned i = 0; i < sizeof r / sizeof r[0]; i++) {
		CHECK(write_file("/proc/self/oom_score_adj", r[i].score_adj) == 0, "write %s", r[i].score_adj);
		CHECK(read_file("/proc/self/oom_adj", buf, sizeof buf) > 0 && atol(buf) == r[i].adj,
		      "oom_score_adj %s reads as oom_adj %s, expected %ld", r[i].score_adj, buf, r[i].adj);
	}
	CHECK(write_file("/proc/self/oom_adj", "16") == -EINVAL && write_file("/proc/self/oom_adj", "-18") == -EINVAL,
	      "oom_adj 16 or -18 accepted");
}

/* oom_score: 0 for the exempt, higher with a higher oom_score_adj, within 0..2000. */
static void t_proc_oom_score(void)
{
	long score[3];
	static const char *const adj[] = { "-1000", "0", "1000" };

	for (int i = 0; i < 3; i++) {
		CHECK(write_file("/proc/self/oom_score_adj", adj[i]) == 0, "write %s", adj[i]);
		score[i] = read_long("/proc/self/oom_score");
	}
	CHECK(score[0] == 0, "oom_score %ld with oom_score_adj -1000", score[0]);
	CHECK(score[1] > 0 && score[1] < score[2] && score[2] <= 2000, "oom_score %ld with 0, %ld with 1000", score[1],
	      score[2]);
	CHECK(read_long("/proc/1/oom_score") == 0, "init's oom_score is not 0");
}

/* ---- cmdline, environ, comm, exe, cwd, limits, wchan ---- */

/* usertests --child cmdline A 'b c': our cmdline and environ are exactly what exec gave. */
int child_cmdline(void)
{
	static const char cmd[] = "usertests\0--child\0cmdline\0A\0b c";
	char buf[256];
	long n = read_file("/proc/self/cmdline", buf, sizeof buf);

	if (n != sizeof cmd || memcmp(buf, cmd, sizeof cmd))
		return 1;
	n = read_file("/proc/self/environ", buf, sizeof buf);
	return n == 8 && !memcmp(buf, "X=1\0Y=2", 8) ? 0 : 2;
}

static void t_proc_cmdline_environ(void)
{
	pid_t pid = fork();

	CHECK(pid >= 0, "fork");
	if (pid == 0) {
		char *argv[] = { "usertests", "--child", "cmdline", "A", "b c", NULL };
		char *envp[] = { "X=1", "Y=2", NULL };
		execve(self, argv, envp);
		_exit(99);
	}
	int st = reap(pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the child's /proc/self/%s was not what exec gave it",
	      WEXITSTATUS(st) == 1 ? "cmdline" : "environ");
	char buf[64];
	CHECK(read_file("/proc/1/cmdline", buf, sizeof buf) > 0, "init's cmdline is empty");
}

/* comm: a write sets the name, cut to 15 bytes; another process's comm cannot be written. */
static void t_proc_comm(void)
{
	char buf[32], path[64];

	CHECK(write_file("/proc/self/comm", "abcdefghijklmnopqrstuvwxyz") == 0, "write comm: %s", strerror(errno));
	CHECK(read_file("/proc/self/comm", buf, sizeof buf) > 0 && !strcmp(buf, "abcdefghijklmno\n"), "comm '%s'", buf);
	CHECK(prctl(PR_GET_NAME, buf) == 0 && !strcmp(buf, "abcdefghijklmno"), "PR_GET_NAME '%s'", buf);
	pid_t pid = spawn((void (*)(long))sleep_forever, 0);
	snprintf(path, sizeof path, "/proc/%d/comm", (int)pid);
	CHECK(write_file(path, "x") == -EINVAL, "writing another process's comm was not EINVAL");
	kill(pid, SIGKILL);
	reap(pid);
}

/* exe is the program, cwd the working directory, root "/". */
static void t_proc_links(void)
{
	char buf[256];
	struct stat a, b;

	CHECK(stat("/proc/self/exe", &a) == 0 && stat(self, &b) == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev,
	      "/proc/self/exe is not %s", self);
	CHECK(chdir("/tmp") == 0, "chdir /tmp: %s", strerror(errno));
	ssize_t n = readlink("/proc/self/cwd", buf, sizeof buf - 1);
	CHECK(n == 4 && !memcmp(buf, "/tmp", 4), "cwd link: %.*s", (int)n, buf);
	CHECK(stat("/proc/self/cwd/.", &a) == 0 && stat("/tmp", &b) == 0 && a.st_ino == b.st_ino,
	      "/proc/self/cwd does not lead to /tmp");
	n = readlink("/proc/self/root", buf, sizeof buf - 1);
	CHECK(n == 1 && buf[0] == '/', "root link: %.*s", (int)n, buf);
	n = readlink("/proc/self", buf, sizeof buf - 1);
	buf[n > 0 ? n : 0] = 0;
	CHECK(atoi(buf) == getpid(), "/proc/self -> '%s'", buf);
	n = readlink("/proc/thread-self", buf, sizeof buf - 1);
	buf[n > 0 ? n : 0] = 0;
	char want[64];
	snprintf(want, sizeof want, "%d/task/%d", (int)getpid(), (int)getpid());
	CHECK(!strcmp(buf, want), "/proc/thread-self -> '%s', expected '%s'", buf, want);
}

/*
 * The mount table: /proc/mounts is a link to self/mounts and shows proc on
 * /proc as mount(8) expects; mountinfo gives it an id, a parent and its
 * type after the " - "; /proc/filesystems lists proc as a nodev type.
 */
static void t_proc_mounts(void)
{
	static char buf[16384];
	char link[64];

	ssize_t n = readlink("/proc/mounts", link, sizeof link - 1);
	CHECK(n == 11 && !memcmp(link, "self/mounts", 11), "/proc/mounts -> %.*s", (int)(n > 0 ? n : 0), link);
	CHECK(read_file("/proc/mounts", buf, sizeof buf) > 0, "read /proc/mounts: %s", strerror(errno));
	CHECK(strstr(buf, " / "), "no root mount in /proc/mounts:\n%s", buf);
	CHECK(strstr(buf, "\nproc /proc proc rw,") || !strncmp(buf, "proc /proc proc rw,", 19),
	      "no 'proc /proc proc rw,...' line:\n%s", buf);
	CHECK(read_file("/proc/self/mountinfo", buf, sizeof buf) > 0, "read mountinfo: %s", strerror(errno));
	int id = mount_id_of("/proc"), parent = -1;
	for (char *line = buf; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		int i, p;
		if (sscanf(line, "%d %d", &i, &p) == 2 && i == id) {
			parent = p;
			CHECK(strstr(line, " - proc proc rw") && strchr(line, '\n') > strstr(line, " - proc proc rw"),
			      "mountinfo's /proc line: %.*s", (int)(strchr(line, '\n') - line), line);
		}
	}
	CHECK(id > 0 && parent > 0 && parent != id, "/proc's mount %d, parent %d", id, parent);
	CHECK(read_file("/proc/filesystems", buf, sizeof buf) > 0 && strstr(buf, "nodev\tproc\n") &&
	      strstr(buf, "nodev\ttmpfs\n"), "/proc/filesystems:\n%s", buf);
}

/* limits: Linux's table; the open-files row is our RLIMIT_NOFILE. */
static void t_proc_limits(void)
{
	char buf[4096], soft[32], hard[32];
	struct rlimit rl;

	CHECK(read_file("/proc/self/limits", buf, sizeof buf) > 0, "read limits");
	static const char header[] = "Limit                     Soft Limit           Hard Limit           Units     \n";
	CHECK(!strncmp(buf, header, sizeof header - 1), "header: %.80s", buf);
	char *row = strstr(buf, "\nMax open files            ");
	CHECK(row && sscanf(row + 27, "%31s %31s", soft, hard) == 2, "no open-files row");
	CHECK(getrlimit(RLIMIT_NOFILE, &rl) == 0 && strtoul(soft, NULL, 10) == rl.rlim_cur &&
	      strtoul(hard, NULL, 10) == rl.rlim_max, "open files %s %s, getrlimit %lu %lu", soft, hard,
	      (unsigned long)rl.rlim_cur, (unsigned long)rl.rlim_max);
}

/* wchan: "0" while running; a sleeper names the function it sleeps in. */
static void t_proc_wchan(void)
{
	char buf[64], path[64];
	pid_t pid = spawn((void (*)(long))sleep_forever, 0);

	CHECK(read_file("/proc/self/wchan", buf, sizeof buf) == 1 && buf[0] == '0', "our own wchan '%s'", buf);
	snprintf(path, sizeof path, "/proc/%d/wchan", (int)pid);
	CHECK(wait_state(pid, "S") == 'S' && read_file(path, buf, sizeof buf) > 1 && strcmp(buf, "0"),
	      "a sleeper's wchan '%s' (state %c)", buf, stat_state(pid));
	kill(pid, SIGKILL);
	reap(pid);
}

/* ---- system-wide files ---- */

/* slabinfo (root only): version 2.1's header, then a line per cache (objsize counts debug metadata). */
static void t_proc_slabinfo(void)
{
	static const char head[] = "slabinfo - version: 2.1\n# name            <active_objs> <num_objs> <objsize> ";
	static char buf[32768];
	unsigned long active, num, size;

	CHECK(read_file("/proc/slabinfo", buf, sizeof buf) > 0, "read slabinfo: %s", strerror(errno));
	CHECK(!strncmp(buf, head, strlen(head)), "slabinfo's header: %.80s", buf);
	const char *k = strstr(buf, "\nkmalloc-64 ");
	CHECK(k && sscanf(k + 12, "%lu %lu %lu", &active, &num, &size) == 3 && size >= 64 && active <= num && num > 0,
	      "no kmalloc-64 line with its counts in slabinfo");
}

/* meminfo, parsed as free parses it: Linux's fields in order; Committed_AS counts a private mapping. */
static void t_proc_meminfo(void)
{
	static const char *const keys[] = {
		"MemTotal", "MemFree", "MemAvailable", "Buffers", "Cached", "SwapCached", "Active", "Inactive",
		"Active(anon)", "Inactive(anon)", "Active(file)", "Inactive(file)", "Unevictable", "Mlocked",
		"SwapTotal", "SwapFree", "Dirty", "Writeback", "AnonPages", "Mapped", "Shmem", "KReclaimable", "Slab",
		"SReclaimable", "SUnreclaim", "KernelStack", "PageTables", "SecPageTables", "NFS_Unstable", "Bounce",
		"WritebackTmp", "CommitLimit", "Committed_AS", "VmallocTotal", "VmallocUsed", "VmallocChunk",
	};
	static char buf[8192];
	struct sysinfo si;

	CHECK(read_file("/proc/meminfo", buf, sizeof buf) > 0, "read meminfo");
	const char *p = buf;
	for (unsigned i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		char want[32];
		snprintf(want, sizeof want, "%s:", keys[i]);
		CHECK(!strncmp(p, want, strlen(want)) && strstr(p, " kB\n"), "line %u is not %s: %.40s", i, keys[i], p);
		p = strchr(p, '\n') + 1;
	}
	CHECK(sysinfo(&si) == 0, "sysinfo");
	long total = field(buf, "MemTotal");
	CHECK(total == (long)(si.totalram * si.mem_unit / 1024), "MemTotal %ld kB, sysinfo %lu kB", total,
	      (unsigned long)(si.totalram * si.mem_unit / 1024));
	CHECK(field(buf, "MemFree") <= total && field(buf, "MemAvailable") <= total && field(buf, "SwapTotal") == 0,
	      "MemFree/MemAvailable/SwapTotal out of range");
	long committed = field(buf, "Committed_AS");
	const long pages = 4096, slack = 512;	/* Linux's Committed_AS is a per-CPU counter: ~470 pages of batch */
	char *m = map(pages * PAGE, PROT_READ | PROT_WRITE);
	long grew = file_field("/proc/meminfo", "Committed_AS") - committed;
	CHECK(grew >= (pages - slack) * 4 && grew <= (pages + slack) * 4, "Committed_AS grew by %ld kB for %ld kB",
	      grew, pages * 4);
	munmap(m, pages * PAGE);
	CHECK(file_field("/proc/meminfo", "Committed_AS") <= committed + slack * 4, "Committed_AS did not drop");
}

/* vmstat: "name value" lines; pgfault counts the faults of pages we touch. */
static void t_proc_vmstat(void)
{
	const long pages = 128;
	long before = file_field("/proc/vmstat", "pgfault"), freed = file_field("/proc/vmstat", "pgfree");
	char *p = map(pages * PAGE, PROT_READ | PROT_WRITE);

	touch_pages(p, pages);
	long after = file_field("/proc/vmstat", "pgfault");
	munmap(p, pages * PAGE);
	CHECK(before > 0 && after - before >= pages, "pgfault went from %ld to %ld over %ld faults", before, after, pages);
	long freed_after = file_field("/proc/vmstat", "pgfree");
	CHECK(freed > 0 && freed_after - freed >= pages, "pgfree went from %ld to %ld over %ld pages unmapped", freed,
	      freed_after, pages);
	CHECK(file_field("/proc/vmstat", "nr_free_pages") > 0 && file_field("/proc/vmstat", "oom_kill") >= 0,
	      "nr_free_pages or oom_kill missing");
	CHECK(file_field("/proc/vmstat", "pswpin") == 0 && file_field("/proc/vmstat", "pswpout") == 0,
	      "pswpin %ld, pswpout %ld with no swap", file_field("/proc/vmstat", "pswpin"),
	      file_field("/proc/vmstat", "pswpout"));
}

/* zoneinfo: the first zone's per-node stats end at pgpromote_candidate, then the zone's own lines. */
static void t_proc_zoneinfo(void)
{
	static char buf[16384];

	CHECK(read_file("/proc/zoneinfo", buf, sizeof buf) > 0, "read zoneinfo: %s", strerror(errno));
	CHECK(!strncmp(buf, "Node 0, zone ", 13) && strstr(buf, "\n  per-node stats\n      nr_inactive_anon "),
	      "zoneinfo begins: %.80s", buf);
	const char *last = strstr(buf, "\n      pgpromote_candidate ");
	CHECK(last && !strncmp(strchr(last + 1, '\n'), "\n  pages free ", 14), "per-node stats end: %.120s",
	      last ? last : buf);
	CHECK(strstr(buf, "\n  pagesets\n") && strstr(buf, "\n        managed  "), "no pagesets or managed line");
}

/* Each zone's min, low, high and managed pages in zoneinfo, at most max zones: how many were read. */
static int zone_marks(unsigned long (*z)[4], int max)
{
	static char buf[65536];
	int n = 0;

	CHECK(read_file("/proc/zoneinfo", buf, sizeof buf) > 0, "read zoneinfo: %s", strerror(errno));
	for (char *p = buf; n < max && (p = strstr(p, "\n  pages free ")); p++, n++)
		CHECK(sscanf(strstr(p, "\n        min "), "\n        min %lu\n        low %lu\n        high %lu",
			     &z[n][0], &z[n][1], &z[n][2]) == 3 &&
		      sscanf(strstr(p, "\n        managed "), "\n        managed %lu", &z[n][3]) == 1,
		      "zone %d's marks: %.200s", n, p);
	return n;
}

/*
 * vm.watermark_scale_factor: low and high lie one and two steps above min, a
 * step being a quarter of min or factor/10000 of the zone, whichever is more.
 * Out of 1..3000 is EINVAL.
 */
static void t_proc_watermark_scale_factor(void)
{
	static const char *const bad[] = { "0", "3001", "-1", "abc" };
	const char *path = "/proc/sys/vm/watermark_scale_factor";
	unsigned long z[8][4];
	char before[32], buf[32];

	CHECK(read_file(path, before, sizeof before) > 0 && !strcmp(before, "10\n"), "%s: '%s'", path, before);
	for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++)
		CHECK(write_file(path, bad[i]) == -EINVAL, "%s '%s' was not EINVAL", path, bad[i]);
	CHECK(write_file(path, "1000") == 0, "write 1000: %s", strerror(errno));
	int n = zone_marks(z, 8);
	CHECK(write_file(path, before) == 0 && read_file(path, buf, sizeof buf) > 0 && !strcmp(buf, before),
	      "restoring %s: '%s'", before, buf);
	CHECK(n > 0, "no zone in zoneinfo");
	for (int i = 0; i < n; i++) {
		unsigned long step = z[i][0] / 4 > z[i][3] / 10 ? z[i][0] / 4 : z[i][3] / 10;
		CHECK(z[i][1] - z[i][0] == step && z[i][2] - z[i][1] == step,
		      "zone %d at factor 1000: min %lu low %lu high %lu managed %lu", i, z[i][0], z[i][1], z[i][2], z[i][3]);
	}
	CHECK(zone_marks(z, 8) == n && z[n - 1][1] - z[n - 1][0] < (z[n - 1][3] / 10 ?: 1),
	      "the last zone's low %lu - min %lu after the factor went back", z[n - 1][1], z[n - 1][0]);
}

/*
 * vm.max_map_count: at the limit, a split (mprotect of a middle page) and a
 * hole punched by munmap are ENOMEM, an munmap at a VMA's edge is not, and
 * mmap refuses only past the limit, as Linux counts.
 */
static void t_proc_max_map_count(void)
{
	const char *path = "/proc/sys/vm/max_map_count";
	char buf[32], max[32];

	CHECK(read_file(path, buf, sizeof buf) > 0 && !strcmp(buf, "65530\n"), "%s: '%s'", path, buf);
	CHECK(write_file(path, "-1") == -EINVAL && write_file(path, "abc") == -EINVAL, "-1 or abc was taken");
	char *big = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(big != MAP_FAILED, "mmap: %s", strerror(errno));
	snprintf(max, sizeof max, "%d", vma_count());
	CHECK(write_file(path, max) == 0, "write %s: %s", max, strerror(errno));
	int split = mprotect(big + PAGE, PAGE, PROT_READ) ? errno : 0, hole = munmap(big + PAGE, PAGE) ? errno : 0;
	int edge = munmap(big, PAGE) ? errno : 0;
	char *one = mmap(NULL, PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *two = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int past = two == MAP_FAILED ? errno : 0;
	CHECK(write_file(path, "65530") == 0, "restore %s", path);
	CHECK(split == ENOMEM && hole == ENOMEM && edge == 0, "at %s VMAs: split %s, hole %s, edge %s", max,
	      strerror(split), strerror(hole), strerror(edge));
	CHECK(one != MAP_FAILED && past == ENOMEM, "mmap at the limit %s, past it %s", one == MAP_FAILED ?
	      strerror(errno) : "ok", strerror(past));
	munmap(one, PAGE);
	munmap(big + PAGE, 2 * PAGE);
}

/* ---- pagemap ---- */

#define PM_PFN(e)		((e) & ((1ULL << 55) - 1))
#define PM_SOFT_DIRTY		(1ULL << 55)
#define PM_EXCLUSIVE		(1ULL << 56)
#define PM_FILE			(1ULL << 61)
#define PM_PRESENT		(1ULL << 63)

/* fd's entry for the page at p (the fd: some pid's pagemap). */
static uint64_t pagemap_entry(int fd, const void *p)
{
	uint64_t e;

	CHECK(pread(fd, &e, sizeof e, (uintptr_t)p / PAGE * sizeof e) == sizeof e, "pread pagemap at %p: %s", p,
	      strerror(errno));
	return e;
}

/* The child of t_proc_pagemap: page 0 shared with the parent until the child writes it. */
static void pagemap_cow_child(long addr)
{
	char *p = (char *)addr;
	int fd = open("/proc/self/pagemap", O_RDONLY);
	uint64_t parent = pagemap_entry(fd, p), mine;

	p[0] = 2;
	mine = pagemap_entry(fd, p);
	_exit(!(parent & PM_PRESENT) || (parent & PM_EXCLUSIVE) ? 1 : PM_PFN(mine) == PM_PFN(parent) ? 2 :
	      !(mine & PM_EXCLUSIVE) ? 3 : 0);
}

/*
 * pagemap: present pages with their frame, only-here pages exclusive, pages
 * never touched and every page of a VMA soft-dirty (nothing cleared it), a
 * shared page a file's, a forked page shared until the copy-on-write.
 */
static void t_proc_pagemap(void)
{
	char *p = map(4 * PAGE, PROT_READ | PROT_WRITE), *sh;
	int fd = open("/proc/self/pagemap", O_RDONLY);
	uint64_t e[4];

	CHECK(fd >= 0, "open pagemap: %s", strerror(errno));
	p[0] = p[2 * PAGE] = 1;
	CHECK(munmap(p + 3 * PAGE, PAGE) == 0, "munmap");
	for (int i = 0; i < 4; i++)
		e[i] = pagemap_entry(fd, p + i * PAGE);
	CHECK((e[0] & ~((1ULL << 55) - 1)) == (PM_PRESENT | PM_EXCLUSIVE | PM_SOFT_DIRTY) && PM_PFN(e[0]) &&
	      (e[2] & PM_PRESENT) && PM_PFN(e[2]) != PM_PFN(e[0]), "written pages: %#llx %#llx",
	      (unsigned long long)e[0], (unsigned long long)e[2]);
	CHECK(e[1] == PM_SOFT_DIRTY && e[3] == 0, "an untouched page %#llx, an unmapped one %#llx",
	      (unsigned long long)e[1], (unsigned long long)e[3]);
	sh = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK(sh != MAP_FAILED, "mmap shared");
	sh[0] = 1;
	CHECK((pagemap_entry(fd, sh) & (PM_PRESENT | PM_FILE)) == (PM_PRESENT | PM_FILE), "a shared page: %#llx",
	      (unsigned long long)pagemap_entry(fd, sh));
	expect_exit(run(pagemap_cow_child, (long)p), 0, "the child's copy-on-write as its pagemap shows it");
	CHECK(PM_PFN(pagemap_entry(fd, p)) == PM_PFN(e[0]), "the parent's page moved");
	CHECK(pread(fd, e, 4, 0) < 0 && errno == EINVAL && pread(fd, e, 8, 4) < 0 && errno == EINVAL,
	      "a part of an entry was not EINVAL");
	CHECK(pread(fd, e, 8, 1LL << 50) == 0 && pread(fd, e, 0, 0) == 0, "past the top of user space, or nothing");
	munmap(sh, PAGE);
	munmap(p, 3 * PAGE);
	close(fd);
}

/* An exited process's pagemap, open before it exited, reads as empty. */
static void t_proc_pagemap_exited(void)
{
	char path[64];
	uint64_t e;
	pid_t pid = spawn(sleep_forever_arg, 0);

	snprintf(path, sizeof path, "/proc/%d/pagemap", pid);
	int fd = open(path, O_RDONLY);
	CHECK(fd >= 0 && pread(fd, &e, sizeof e, 0) == sizeof e, "open and read %s: %s", path, strerror(errno));
	kill(pid, SIGKILL);
	reap(pid);
	CHECK(pread(fd, &e, sizeof e, 0) == 0, "read after the exit: %s", strerror(errno));
	close(fd);
}

/* stat: the cpu lines, and counters that move: a fork adds a process and context switches. */
static void t_proc_stat(void)
{
	static char buf[8192];
	unsigned long long v[10];

	CHECK(read_file("/proc/stat", buf, sizeof buf) > 0, "read /proc/stat");
	CHECK(sscanf(buf, "cpu  %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3], &v[4],
		     &v[5], &v[6], &v[7], &v[8], &v[9]) == 10, "the cpu line: %.80s", buf);
	CHECK(strstr(buf, "\ncpu0 ") && strstr(buf, "\nintr ") && strstr(buf, "\nsoftirq "), "cpu0/intr/softirq lines");
	long processes = field(buf, "processes"), ctxt = field(buf, "ctxt");
	CHECK(field(buf, "btime") > 1577836800 && field(buf, "procs_running") >= 1, "btime or procs_running wrong");
	expect_exit(run(exit_now, 0), 0, "a child");
	CHECK(file_field("/proc/stat", "processes") > processes && file_field("/proc/stat", "ctxt") > ctxt,
	      "processes or ctxt did not grow over a fork and wait");
}

/* loadavg: three averages, running/total, and the last pid given out (at least our child's). */
static void t_proc_loadavg_uptime(void)
{
	char buf[128];
	float l1, l5, l15, up, idle;
	int running, total, last;

	pid_t pid = spawn(exit_now, 0);
	CHECK(read_file("/proc/loadavg", buf, sizeof buf) > 0, "read loadavg");
	CHECK(sscanf(buf, "%f %f %f %d/%d %d", &l1, &l5, &l15, &running, &total, &last) == 6, "loadavg: %s", buf);
	CHECK(l1 >= 0 && l5 >= 0 && l15 >= 0 && running >= 1 && total >= running && last >= pid,
	      "loadavg %s with child %d", buf, (int)pid);
	reap(pid);
	CHECK(read_file("/proc/uptime", buf, sizeof buf) > 0 && sscanf(buf, "%f %f", &up, &idle) == 2 && up > 0,
	      "uptime: %s", buf);
}

/* /proc/sys: reads, writes with Linux's range checks and errors, and no write to a read-only entry. */
static void t_proc_sysctl(void)
{
	char buf[128], host[128];

	CHECK(read_file("/proc/sys/vm/overcommit_memory", buf, sizeof buf) > 0 && !strcmp(buf, "0\n"),
	      "overcommit_memory '%s'", buf);
	CHECK(write_file("/proc/sys/vm/overcommit_memory", "1\n") == 0, "write 1: %s", strerror(errno));
	CHECK(read_file("/proc/sys/vm/overcommit_memory", buf, sizeof buf) > 0 && !strcmp(buf, "1\n"), "'%s'", buf);
	int e3 = write_file("/proc/sys/vm/overcommit_memory", "3"), eabc = write_file("/proc/sys/vm/overcommit_memory", "abc");
	int empty = write_file("/proc/sys/vm/overcommit_memory", "\n");
	CHECK(write_file("/proc/sys/vm/overcommit_memory", "0") == 0, "restore overcommit_memory");
	CHECK(e3 == -EINVAL && eabc == -EINVAL && empty == -EINVAL, "3, abc, nothing: %d %d %d, expected EINVAL", e3, eabc,
	      empty);
	CHECK(write_file("/proc/sys/kernel/ostype", "x") == -EACCES, "writing kernel.ostype was not EACCES");
	CHECK(write_file("/proc/sys/kernel/pid_max", "300") == -EINVAL, "pid_max 300 was not EINVAL");
	CHECK(write_file("/proc/sys/kernel/hung_task_timeout_secs", "-1") == -EINVAL, "a negative timeout was accepted");
	CHECK(write_file("/proc/sys/vm/panic_on_oom", "3") == -EINVAL, "panic_on_oom 3 was accepted");
	CHECK(read_file("/proc/sys/vm/oom_dump_tasks", buf, sizeof buf) > 0 && !strcmp(buf, "1\n"), "oom_dump_tasks");
	CHECK(read_file("/proc/sys/kernel/printk", buf, sizeof buf) > 0 && strchr(buf, '\t'), "printk: '%s'", buf);
	CHECK(read_file("/proc/sys/kernel/hostname", host, sizeof host) > 0, "read hostname");
	CHECK(write_file("/proc/sys/kernel/hostname", "proc-test\n") == 0, "write hostname");
	struct utsname u;
	CHECK(uname(&u) == 0 && !strcmp(u.nodename, "proc-test"), "uname after kernel.hostname: '%s'", u.nodename);
	host[strcspn(host, "\n")] = 0;
	CHECK(sethostname(host, strlen(host)) == 0, "restore the host name");
}

/* getrusage: minor faults grow by the pages touched, a child's go to RUSAGE_CHILDREN, maxrss knows the peak. */
static void child_touch(long pages)
{
	char *p = map(pages * PAGE, PROT_READ | PROT_WRITE);
	touch_pages(p, pages);
}

static void t_getrusage_faults(void)
{
	const long pages = 200;
	struct rusage r0, r1, c0, c1;

	CHECK(getrusage(RUSAGE_SELF, &r0) == 0 && getrusage(RUSAGE_CHILDREN, &c0) == 0, "getrusage: %s", strerror(errno));
	char *p = map(pages * PAGE, PROT_READ | PROT_WRITE);
	touch_pages(p, pages);
	CHECK(getrusage(RUSAGE_SELF, &r1) == 0, "getrusage");
	CHECK(r1.ru_minflt - r0.ru_minflt >= pages && r1.ru_minflt - r0.ru_minflt <= pages + 32,
	      "ru_minflt grew by %ld for %ld pages", r1.ru_minflt - r0.ru_minflt, pages);
	CHECK(r1.ru_maxrss >= pages * 4, "ru_maxrss %ld kB after touching %ld kB", r1.ru_maxrss, pages * 4);
	munmap(p, pages * PAGE);
	expect_exit(run(child_touch, pages), 0, "a child touching pages");
	CHECK(getrusage(RUSAGE_CHILDREN, &c1) == 0, "getrusage(RUSAGE_CHILDREN)");
	CHECK(c1.ru_minflt - c0.ru_minflt >= pages, "children's ru_minflt grew by %ld", c1.ru_minflt - c0.ru_minflt);
	CHECK(c1.ru_maxrss >= pages * 4, "children's ru_maxrss %ld kB", c1.ru_maxrss);
	CHECK(RAW(SYS_getrusage, 5, &r1) == -EINVAL, "getrusage(5) not EINVAL");
}

/* ---- a process exiting under the readers ---- */

static const char *const pid_files[] = {
	"stat", "status", "statm", "maps", "smaps", "smaps_rollup", "cmdline", "environ", "comm", "limits", "wchan",
	"oom_score", "oom_score_adj", "oom_adj", "task", "fd", "fdinfo", "exe", "cwd", "root", "mounts", "mountinfo",
};

static void short_life(long pages)
{
	child_touch(pages);
}

/* Read every file of a process while it exits and is reaped, 1000 reads: errors are fine, crashes and leaks not. */
static void t_proc_read_exiting(void)
{
	char path[64], buf[8192];
	int reads = 0;

	while (reads < 1000) {
		pid_t pid = spawn(short_life, 16);
		bool reaped = false;
		for (int round = 0; round < 4; round++) {
			for (unsigned i = 0; i < sizeof pid_files / sizeof pid_files[0]; i++, reads++) {
				snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, pid_files[i]);
				int fd = open(path, O_RDONLY);
				if (fd >= 0) {
					while (read(fd, buf, sizeof buf) > 0)
						;
					close(fd);
				}
				ssize_t n = readlink(path, buf, sizeof buf);
				(void)n;
			}
			if (round == 2) {
				reap(pid);
				reaped = true;
			}
		}
		CHECK(reaped, "not reaped");
		snprintf(path, sizeof path, "/proc/%d", (int)pid);
		struct stat st;
		CHECK(stat(path, &st) < 0 && errno == ENOENT, "/proc/%d still there after wait4", (int)pid);
	}
}

/* ---- a maps reader behind a writer of the mm, killed ---- */

#define TRACING "/tmp/proc_tracing"
#define POINT "mprotect_mmap_write_locked"

/* Waits for a byte on fd, then changes its own protection: held at the delay point, it keeps mmap_lock for writing. */
static void held_mprotect(long fd)
{
	char *p = map(PAGE, PROT_READ | PROT_WRITE);
	char c;

	if (read((int)fd, &c, 1) != 1)
		_exit(2);
	_exit(mprotect(p, PAGE, PROT_READ) ? 1 : 0);
}

static pid_t maps_target;

static void read_maps_of_target(long unused)
{
	char path[64], buf[4096];

	(void)unused;
	snprintf(path, sizeof path, "/proc/%d/maps", (int)maps_target);
	_exit(read_file(path, buf, sizeof buf) >= 0 ? 0 : 1);
}

/* How many tasks a delay point holds now, from tracefs's delay_points ("NAME MODE FILTER hits=N waiting=N"). */
static int point_waiting(const char *point)
{
	char buf[1024], name[64];

	if (read_file(TRACING "/delay_points", buf, sizeof buf) < 0)
		return -1;
	snprintf(name, sizeof name, "%s ", point);
	char *line = strstr(buf, name), *w = line ? strstr(line, "waiting=") : NULL;
	return w ? atoi(w + 8) : -1;
}

static void mount_tracing(void)
{
	CHECK(mkdir(TRACING, 0700) == 0 || errno == EEXIST, "mkdir " TRACING ": %s", strerror(errno));
	CHECK(mount("nodev", TRACING, "tracefs", 0, NULL) == 0, "mount tracefs: %s", strerror(errno));
}

static void umount_tracing(void)
{
	CHECK(umount(TRACING) == 0 && rmdir(TRACING) == 0, "umount " TRACING ": %s", strerror(errno));
}

/*
 * Folio only, run by name (tests/run.py): the delay point in mprotect(),
 * armed through tracefs to hold the writer (and only it), keeps its
 * mmap_lock held for writing until released. A reader of its
 * /proc/PID/maps waits for the lock, in D state but killably; SIGKILL ends
 * the reader while the writer is still held. Then the writer is released
 * and finishes its mprotect().
 */
static void t_proc_maps_reader_killable(void)
{
	char cmd[96], path[64], wchan[64];
	int go[2];

	mount_tracing();
	CHECK(pipe(go) == 0, "pipe: %s", strerror(errno));
	maps_target = spawn(held_mprotect, go[0]);
	snprintf(cmd, sizeof cmd, POINT ":hold-killable@pid=%d", (int)maps_target);
	CHECK(write_file(TRACING "/delay_points", cmd) == 0, "arm %s: %s", cmd, strerror(errno));
	CHECK(write(go[1], "g", 1) == 1, "start the writer");
	CHECK(wait_state(maps_target, "D") == 'D' && point_waiting(POINT) == 1, "the writer is not held in mprotect (state %c)",
	      stat_state(maps_target));
	pid_t reader = spawn(read_maps_of_target, 0);
	CHECK(wait_state(reader, "D") == 'D', "the maps reader did not block behind the writer (state %c)", stat_state(reader));
	snprintf(path, sizeof path, "/proc/%d/wchan", (int)reader);
	CHECK(read_file(path, wchan, sizeof wchan) > 1, "the reader's wchan");
	CHECK(kill(reader, SIGKILL) == 0, "kill: %s", strerror(errno));
	expect_signal(reap(reader), SIGKILL, "the blocked maps reader");
	CHECK(point_waiting(POINT) == 1 && waitpid(maps_target, NULL, WNOHANG) == 0,
	      "the writer was released before the reader died: the reader was not woken by the kill");
	CHECK(write_file(TRACING "/delay_points", POINT ":off") == 0, "release the writer: %s", strerror(errno));
	expect_exit(reap(maps_target), 0, "the writer");
	close2(go);
	umount_tracing();
	note("the reader slept in %s", wchan);
}

/* ---- a process held between giving its mm up and putting it ---- */

#define EXIT_MM_POINT "exit_mm_after_mm_cleared"

/* Writes 64 pages, waits for a byte on fd, then exits. */
static void exit_on_byte(long fd)
{
	char *p = map(64 * PAGE, PROT_READ | PROT_WRITE);
	char c;

	memset(p, 1, 64 * PAGE);
	_exit(read((int)fd, &c, 1) == 1 ? 0 : 2);
}

/*
 * Folio only, run by name (tests/run.py): a process held in exit_mm() after it cleared
 * ->mm under task_lock and before its mmput() (the delay point, armed through tracefs)
 * has, for /proc, no memory at all: statm all zeros, no Vm lines in status, empty maps.
 * Nothing reaches the mm through the task any more, though the mm is still whole. Then
 * it is released and finishes its exit.
 */
static void t_proc_exit_mm_held(void)
{
	char cmd[96], path[64], buf[4096];
	int go[2];

	mount_tracing();
	CHECK(pipe(go) == 0, "pipe: %s", strerror(errno));
	pid_t pid = spawn(exit_on_byte, go[0]);
	snprintf(cmd, sizeof cmd, EXIT_MM_POINT ":hold@pid=%d", (int)pid);
	CHECK(write_file(TRACING "/delay_points", cmd) == 0, "arm %s: %s", cmd, strerror(errno));
	snprintf(path, sizeof path, "/proc/%d/statm", (int)pid);
	CHECK(wait_state(pid, "S") == 'S', "the child did not wait for its byte (state %c)", stat_state(pid));
	CHECK(read_file(path, buf, sizeof buf) > 0 && strchr(buf, ' ') && atol(strchr(buf, ' ') + 1) >= 64,
	      "the child's statm before its exit: %s", buf);
	CHECK(write(go[1], "g", 1) == 1, "start the exit");
	CHECK(wait_state(pid, "D") == 'D' && point_waiting(EXIT_MM_POINT) == 1,
	      "the child is not held in exit_mm() (state %c)", stat_state(pid));
	CHECK(read_file(path, buf, sizeof buf) > 0 && strcmp(buf, "0 0 0 0 0 0 0\n") == 0,
	      "statm of the held child: %s", buf);
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	CHECK(read_file(path, buf, sizeof buf) > 0 && strstr(buf, "State:\tD") && !strstr(buf, "\nVm"),
	      "status of the held child shows memory: %.300s", buf);
	snprintf(path, sizeof path, "/proc/%d/maps", (int)pid);
	long n = read_file(path, buf, sizeof buf);
	CHECK(n == 0, "maps of the held child: %s", n < 0 ? strerror((int)-n) : buf);
	CHECK(write_file(TRACING "/delay_points", EXIT_MM_POINT ":off") == 0, "release: %s", strerror(errno));
	expect_exit(reap(pid), 0, "the held child");
	close2(go);
	umount_tracing();
}

/* Shared anonymous memory is "/dev/zero (deleted)" on device 00:01, its offset counting from the mapping's start. */
static void t_proc_maps_shared_anon(void)
{
	struct map_line m;
	char *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
	CHECK(find_map((unsigned long)p, &m) && !strcmp(m.perms, "rw-s") && m.offset == 0 && m.major == 0 &&
	      m.minor == 1 && !strcmp(m.path, "/dev/zero (deleted)"), "shared anonymous line: %s %lx %02x:%02x '%s'",
	      m.perms, m.offset, m.major, m.minor, m.path);
	CHECK(mprotect(p + PAGE, PAGE, PROT_READ) == 0, "mprotect: %s", strerror(errno));
	CHECK(find_map((unsigned long)p + PAGE, &m) && !strcmp(m.perms, "r--s") && m.offset == PAGE &&
	      !strcmp(m.path, "/dev/zero (deleted)"), "its second page after a split: %s %lx '%s'", m.perms, m.offset,
	      m.path);
	munmap(p, 2 * PAGE);
}

/* An empty write reaches the file: the oom numbers refuse it, comm becomes empty, a sysctl keeps its value. */
static void t_proc_empty_write(void)
{
	static const char *const refuse[] = { "/proc/self/oom_score_adj", "/proc/self/oom_adj" };
	char buf[64], before[64];

	CHECK(write_file("/proc/self/oom_score_adj", "300") == 0, "write oom_score_adj: %s", strerror(errno));
	for (int i = 0; i < 2; i++) {
		CHECK(read_file(refuse[i], before, sizeof before) > 0, "read %s", refuse[i]);
		CHECK(write_file(refuse[i], "") == -EINVAL, "an empty write to %s was not EINVAL", refuse[i]);
		CHECK(read_file(refuse[i], buf, sizeof buf) > 0 && !strcmp(buf, before), "%s: %s, was %s", refuse[i],
		      buf, before);
	}
	CHECK(write_file("/proc/self/comm", "") == 0, "empty write to comm: %s", strerror(errno));
	CHECK(read_file("/proc/self/comm", buf, sizeof buf) == 1 && !strcmp(buf, "\n"), "comm after it: '%s'", buf);
	CHECK(read_file("/proc/sys/vm/overcommit_ratio", before, sizeof before) > 0, "read overcommit_ratio");
	CHECK(write_file("/proc/sys/vm/overcommit_ratio", "") == 0, "empty sysctl write: %s", strerror(errno));
	CHECK(read_file("/proc/sys/vm/overcommit_ratio", buf, sizeof buf) > 0 && !strcmp(buf, before),
	      "overcommit_ratio: %s, was %s", buf, before);
}

/* /proc makes no new names: creating one fails as the lookup does, ENOENT; rmdir of a pid is EPERM. */
static void t_proc_create_errnos(void)
{
	int fd = open("/proc/meminfo", O_RDONLY);

	CHECK(open("/proc/newfile", O_WRONLY | O_CREAT, 0644) < 0 && errno == ENOENT, "O_CREAT in /proc: %s",
	      strerror(errno));
	CHECK(open("/proc/self/newfile", O_WRONLY | O_CREAT, 0644) < 0 && errno == ENOENT,
	      "O_CREAT in /proc/self: %s", strerror(errno));
	CHECK(mkdir("/proc/newdir", 0755) < 0 && errno == ENOENT, "mkdir in /proc: %s", strerror(errno));
	CHECK(mkdir("/proc/sys/vm/newdir", 0755) < 0 && errno == ENOENT, "mkdir in /proc/sys/vm: %s", strerror(errno));
	CHECK(mknod("/proc/newfifo", S_IFIFO | 0644, 0) < 0 && errno == ENOENT, "mknod: %s", strerror(errno));
	CHECK(symlink("/", "/proc/newlink") < 0 && errno == ENOENT, "symlink: %s", strerror(errno));
	CHECK(rename("/proc/meminfo", "/proc/newname") < 0 && errno == ENOENT, "rename: %s", strerror(errno));
	CHECK(rmdir("/proc/1") < 0 && errno == EPERM, "rmdir /proc/1: %s", strerror(errno));
	CHECK(open("/proc/self/fd/999", O_RDONLY) < 0 && errno == ENOENT, "a closed fd's link: %s", strerror(errno));
	CHECK(fd >= 0 && fsync(fd) < 0 && errno == EINVAL, "fsync of /proc/meminfo: %s", strerror(errno));
	close(fd);
}

/* A zombie has no memory: its maps is empty, its smaps_rollup fails with ESRCH. */
static void t_proc_zombie_smaps_rollup(void)
{
	char path[64], buf[256];
	pid_t pid = spawn(exit_now, 7);

	CHECK(wait_state(pid, "Z") == 'Z', "state %c, expected Z", stat_state(pid));
	snprintf(path, sizeof path, "/proc/%d/maps", (int)pid);
	CHECK(read_file(path, buf, sizeof buf) == 0, "a zombie's maps: '%s'", buf);
	snprintf(path, sizeof path, "/proc/%d/smaps_rollup", (int)pid);
	long n = read_file(path, buf, sizeof buf);
	CHECK(n == -ESRCH, "a zombie's smaps_rollup: %s", n < 0 ? strerror((int)-n) : buf);
	expect_exit(reap(pid), 7, "the zombie");
}

/* smaps: the record of each VMA, found by its maps line; the counts of its pages, and its flags. */
static const char *smaps_record(unsigned long start, char *buf, size_t size)
{
	char head[32];

	CHECK(read_file("/proc/self/smaps", buf, size) > 0, "read smaps: %s", strerror(errno));
	snprintf(head, sizeof head, "%08lx-", start);
	for (const char *p = buf; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, head, strlen(head)))
			return p;
	fail("no smaps record starts at %lx", start);
	return NULL;
}

static void t_proc_smaps(void)
{
	static const char *const keys[] = { "Size", "KernelPageSize", "MMUPageSize", "Rss", "Pss", "Pss_Dirty",
		"Shared_Clean", "Shared_Dirty", "Private_Clean", "Private_Dirty", "Referenced", "Anonymous", "LazyFree",
		"AnonHugePages", "ShmemPmdMapped", "FilePmdMapped", "Shared_Hugetlb", "Private_Hugetlb", "Swap",
		"SwapPss", "Locked", "THPeligible" };
	static char buf[1 << 16];
	char *p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
	p[0] = p[PAGE] = p[3 * PAGE] = 1;	/* the last page written, so no zero page (which Rss leaves out) */
	CHECK(mprotect(p + 3 * PAGE, PAGE, PROT_READ) == 0, "mprotect: %s", strerror(errno));
	const char *rec = smaps_record((unsigned long)p, buf, sizeof buf), *line = strchr(rec, '\n') + 1;
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++, line = strchr(line, '\n') + 1)
		CHECK(!strncmp(line, keys[i], strlen(keys[i])) && line[strlen(keys[i])] == ':', "line %zu is not %s: %.40s",
		      i + 2, keys[i], line);
	CHECK(field(rec, "Size") == 12 && field(rec, "KernelPageSize") == 4 && field(rec, "Rss") == 8 &&
	      field(rec, "Anonymous") == 8 && field(rec, "Private_Dirty") == 8 && field(rec, "Locked") == 0,
	      "the record of 3 pages, 2 touched: %.400s", rec);
	const char *flags = strstr(rec, "\nVmFlags: ");
	CHECK(flags && !strncmp(flags, "\nVmFlags: rd wr mr mw me ac ", 28), "its flags: %.60s", flags);
	CHECK(mlock(p + 3 * PAGE, PAGE) == 0, "mlock: %s", strerror(errno));
	rec = smaps_record((unsigned long)p + 3 * PAGE, buf, sizeof buf);
	flags = strstr(rec, "\nVmFlags: ");
	CHECK(field(rec, "Size") == 4 && field(rec, "Rss") == 4 && field(rec, "Locked") == 4 &&
	      flags && !strncmp(flags, "\nVmFlags: rd mr mw me lo ac ", 28), "the locked page's record: %.900s", rec);
	munmap(p, 4 * PAGE);
}

const struct test proc_named_tests[] = {
	T(proc_maps_reader_killable), T(proc_exit_mm_held), { NULL },
};

const struct test proc_tests[] = {
	T(proc_status_rss), T(proc_status_vmlck), T(proc_status_shmem), T(proc_statm), T(proc_smaps_rollup), T(proc_smaps_shared), T(proc_maps),
	T(proc_maps_names), T(proc_stat_fields), T(proc_zombie), T(proc_fd), T(proc_task), T(proc_oom_score_adj),
	T(proc_oom_adj), T(proc_oom_score), T(proc_cmdline_environ), T(proc_comm), T(proc_links), T(proc_mounts), T(proc_limits),
	T(proc_wchan), T(proc_slabinfo), T(proc_meminfo), T(proc_vmstat), T(proc_zoneinfo), T(proc_stat), T(proc_loadavg_uptime), T(proc_sysctl),
	T(getrusage_faults), T(proc_read_exiting), T(proc_maps_shared_anon), T(proc_empty_write), T(proc_create_errnos),
	T(proc_zombie_smaps_rollup), T(proc_smaps), T(proc_watermark_scale_factor), T(proc_max_map_count), T(proc_pagemap),
	T(proc_pagemap_exited), { NULL },
};
