/*
 * usertests: the memory controller, in cgroup v2 (memory.* on
 * /sys/fs/cgroup) and v1 (mount -t cgroup -o memory): the files' formats,
 * parsing and errors; memory.current and memory.peak following what a
 * process touches; a group limited by its parent; charges staying where
 * they were made; tmpfs, kernel stacks and page tables counted; memory.high
 * throttling without killing; v1's files and cgroup.event_control.
 *
 * The same binary runs on Linux, which charges in batches of 64 pages per
 * CPU and counts kernel objects Folio does not (and uses huge pages where
 * it can): figures are compared with a slack (SLACK), never exactly.
 * Linux's OOM killer and Folio's fault path both end a process that
 * faults at its group's limit with SIGKILL.
 */
#include "usertests.h"
#include <poll.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/eventfd.h>
#include <sys/statfs.h>

#define MiB (1L << 20)
#define SLACK (2 * MiB)		/* Linux's charge batches, page tables, kernel objects */

/* A child of the test that moves into the group dir first: what it does, and its end. */
struct in_group {
	const char *dir;
	long mib;		/* how much it touches */
	int fds[2];		/* it says it has touched, then waits for a word */
};

static char *touch(long bytes)
{
	char *p = map(bytes, PROT_READ | PROT_WRITE);
	for (long off = 0; off < bytes; off += PAGE)
		p[off] = 1;
	return p;
}

/* In the group: touch mib MiB, tell the parent, wait for its word, then unmap and exit. */
static void toucher(long arg)
{
	struct in_group *g = (struct in_group *)arg;
	char c = 0;

	cg_enter(g->dir);
	char *p = touch(g->mib * MiB);
	CHECK(write(g->fds[1], &c, 1) == 1, "report");
	CHECK(read(g->fds[0], &c, 1) == 1, "the word");
	munmap(p, g->mib * MiB);
	CHECK(write(g->fds[1], &c, 1) == 1, "report");
	CHECK(read(g->fds[0], &c, 1) == 1, "the word");
	_exit(0);
}

/* Two pipes folded into one pair: child to parent, parent to child. */
struct chan {
	int up[2], down[2];
};

static pid_t start_toucher(struct in_group *g, struct chan *ch, const char *dir, long mib)
{
	CHECK(pipe(ch->up) == 0 && pipe(ch->down) == 0, "pipes");
	g->dir = dir;
	g->mib = mib;
	g->fds[0] = ch->down[0];
	g->fds[1] = ch->up[1];
	return spawn(toucher, (long)g);
}

/*
 * Both of the toucher's words sent before it is expected to die: one that
 * is not killed (a limit not enforced) goes through and exits, and the test
 * fails at once instead of waiting for a child that waits for it.
 */
static void send_words_ahead(struct chan *ch)
{
	char c[2] = { 0, 0 };
	CHECK(write(ch->down[1], c, 2) == 2, "the words to the child");
}

static void wait_word(struct chan *ch)
{
	char c;
	CHECK(read(ch->up[0], &c, 1) == 1, "the child's word: %s", strerror(errno));
}

static void send_word(struct chan *ch)
{
	char c = 0;
	CHECK(write(ch->down[1], &c, 1) == 1, "the word to the child");
}

static void close_chan(struct chan *ch)
{
	close2(ch->up);
	close2(ch->down);
}

/* Has pid ended within ms (its status in *st)? Not a hang when a test's victim is not the one killed. */
static int reaped_within(pid_t pid, int *st, int ms)
{
	for (int i = 0; ; i++) {
		if (waitpid(pid, st, WNOHANG) == pid)
			return 1;
		if (i * 10 >= ms)
			return 0;
		usleep(10000);
	}
}

/*
 * A toucher of 32 MiB in dir, which its group's limit must kill (what: who
 * it is, for the message). Its words go ahead: one not killed exits, and one
 * that never ends fails the test after 10 s rather than hang it.
 */
static void toucher_killed(const char *dir, const char *what)
{
	struct in_group ig;
	struct chan ch;
	int st = 0;
	pid_t pid = start_toucher(&ig, &ch, dir, 32);

	send_words_ahead(&ch);
	CHECK(reaped_within(pid, &st, 10000), "%s: still alive after 10 s", what);
	expect_signal(st, SIGKILL, what);
	close_chan(&ch);
}

/* A new group's memory files, as Linux 6.1 shows them, and memory.stat's keys in its order. */
static void t_memcg_files(void)
{
	static const char *const zero_events = "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\noom_group_kill 0\n";
	static const struct { const char *file, *text; } fresh[] = {
		{ "memory.current", "0\n" }, { "memory.max", "max\n" }, { "memory.high", "max\n" },
		{ "memory.low", "0\n" }, { "memory.min", "0\n" }, { "memory.peak", "0\n" },
		{ "memory.oom.group", "0\n" }, { "memory.swap.current", "0\n" }, { "memory.swap.max", "max\n" },
	};
	static const char *const keys[] = { "anon", "file", "kernel", "kernel_stack", "pagetables",
		"sec_pagetables", "percpu", "sock", "vmalloc", "shmem", "file_mapped", "file_dirty", "file_writeback",
		"swapcached", "anon_thp", "file_thp", "shmem_thp", "inactive_anon", "active_anon", "inactive_file",
		"active_file", "unevictable", "slab_reclaimable", "slab_unreclaimable", "slab",
		"workingset_refault_anon", "workingset_refault_file", "workingset_activate_anon",
		"workingset_activate_file", "workingset_restore_anon", "workingset_restore_file",
		"workingset_nodereclaim", "pgscan", "pgsteal", "pgscan_kswapd", "pgscan_direct", "pgsteal_kswapd",
		"pgsteal_direct", "pgfault", "pgmajfault", "pgrefill", "pgactivate", "pgdeactivate", "pglazyfree",
		"pglazyfreed", "thp_fault_alloc", "thp_collapse_alloc" };
	char g[256], buf[4096];

	cg_create(g, sizeof g, CG_ROOT, "files");
	for (size_t i = 0; i < sizeof fresh / sizeof *fresh; i++)
		CHECK(cg_read(g, fresh[i].file, buf, sizeof buf) > 0 && !strcmp(buf, fresh[i].text), "%s: '%s'",
		      fresh[i].file, buf);
	CHECK(cg_read(g, "memory.events", buf, sizeof buf) > 0 && !strcmp(buf, zero_events), "events '%s'", buf);
	CHECK(cg_read(g, "memory.events.local", buf, sizeof buf) > 0 && !strcmp(buf, zero_events), "'%s'", buf);
	CHECK(cg_read(g, "memory.stat", buf, sizeof buf) > 0, "memory.stat: %s", strerror(errno));
	char *line = buf;
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
		size_t len = strlen(keys[i]);
		CHECK(!strncmp(line, keys[i], len) && line[len] == ' ', "memory.stat line %zu: '%.30s', expected %s",
		      i, line, keys[i]);
		CHECK(!strncmp(line + len, " 0\n", 3), "a new group's %s: '%.30s'", keys[i], line);
		line = strchr(line, '\n') + 1;
	}
	CHECK(cg_read(g, "memory.numa_stat", buf, sizeof buf) > 0 && !strncmp(buf, "anon N0=0\nfile N0=0\n", 20),
	      "numa_stat '%.40s'", buf);
	/* The root's statistics cover everything charged, this process's memory included. */
	CHECK(cg_key(CG_ROOT, "memory.stat", "anon") > 0, "the root's anon is 0");
	cg_destroy(g);
}

static int file_mode(const char *dir, const char *file)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof path, "%s/%s", dir, file);
	return stat(path, &st) == 0 ? (int)(st.st_mode & 07777) : -errno;
}

/* memory.reclaim (write-only, the root's too), swap.high and swap.events: formats and errors. */
static void t_memcg_reclaim_swap(void)
{
	static const struct { const char *in; int err; } reclaim[] = {
		{ "0", 0 }, { "4095", 0 }, { "4096", EAGAIN }, { "1M", EAGAIN }, { "abc", EINVAL },
		{ "max", EINVAL }, { "-1", EINVAL }, { "1M swappiness=0", EINVAL },
	};
	char g[256], buf[256];

	cg_create(g, sizeof g, CG_ROOT, "reclaim");
	CHECK(file_mode(g, "memory.reclaim") == 0200 && file_mode(CG_ROOT, "memory.reclaim") == 0200,
	      "memory.reclaim's mode: %o", file_mode(g, "memory.reclaim"));
	CHECK(cg_read(g, "memory.reclaim", buf, sizeof buf) == -EINVAL, "reading memory.reclaim");
	/* An empty group has nothing to give: Linux's retries give up with EAGAIN. */
	for (size_t i = 0; i < sizeof reclaim / sizeof *reclaim; i++) {
		long err = cg_write(g, "memory.reclaim", reclaim[i].in);
		CHECK(err == -reclaim[i].err, "memory.reclaim '%s': %s", reclaim[i].in, res(err));
	}
	CHECK(cg_write(CG_ROOT, "memory.reclaim", "0") == 0, "the root's memory.reclaim '0'");
	CHECK(cg_read(g, "memory.swap.high", buf, sizeof buf) > 0 && !strcmp(buf, "max\n"), "swap.high '%s'", buf);
	CHECK(cg_write(g, "memory.swap.high", "12345") == 0 && cg_read(g, "memory.swap.high", buf, sizeof buf) > 0 &&
	      !strcmp(buf, "12288\n"), "swap.high after 12345: '%s'", buf);
	CHECK(cg_write(g, "memory.swap.high", "-1") == -EINVAL && cg_write(g, "memory.swap.high", "max") == 0,
	      "swap.high's errors");
	CHECK(cg_read(g, "memory.swap.events", buf, sizeof buf) > 0 && !strcmp(buf, "high 0\nmax 0\nfail 0\n"),
	      "swap.events '%s'", buf);
	CHECK(cg_write(g, "memory.swap.events", "0") == -EINVAL, "writing swap.events");
	CHECK(file_mode(CG_ROOT, "memory.swap.high") == -ENOENT && file_mode(CG_ROOT, "memory.swap.events") == -ENOENT,
	      "the root has swap.high or swap.events");
	cg_destroy(g);
}

/* The limit files' syntax: max, bytes with suffixes, rounded down to pages; Linux's EINVALs. */
static void t_memcg_limit_parse(void)
{
	static const struct { const char *in; int err; const char *out; } vals[] = {
		{ "16M", 0, "16777216\n" }, { "16m", 0, "16777216\n" }, { "1G", 0, "1073741824\n" },
		{ "4097", 0, "4096\n" }, { "4095", 0, "0\n" }, { " 16M", 0, "16777216\n" }, { "1k", 0, "0\n" },
		{ "0x1000", 0, "4096\n" }, { "010", 0, "0\n" }, { "1M\n", 0, "1048576\n" },
		{ "1T", 0, "1099511627776\n" }, { "  max  ", 0, "max\n" }, { "9223372036854775807", 0, "max\n" },
		{ "18446744073709551615", 0, "max\n" }, { "-1", EINVAL, NULL }, { "abc", EINVAL, NULL },
		{ "16MB", EINVAL, NULL }, { "1e3", EINVAL, NULL }, { "max\n", 0, "max\n" },
	};
	static const char *const files[] = { "memory.max", "memory.high", "memory.low", "memory.min",
		"memory.swap.max" };
	static const struct { const char *in; int err; } og[] = {
		{ "1", 0 }, { "0", 0 }, { " 1\n", 0 }, { "0x1", 0 }, { "2", EINVAL }, { "-1", EINVAL },
		{ "abc", EINVAL },
	};
	char g[256], buf[64];

	cg_create(g, sizeof g, CG_ROOT, "parse");
	for (size_t f = 0; f < sizeof files / sizeof *files; f++) {
		for (size_t i = 0; i < sizeof vals / sizeof *vals; i++) {
			long err = cg_write(g, files[f], vals[i].in);
			CHECK(err == -vals[i].err, "%s '%s': %s", files[f], vals[i].in, res(err));
			CHECK(!vals[i].out || (cg_read(g, files[f], buf, sizeof buf) > 0 && !strcmp(buf, vals[i].out)),
			      "%s after '%s': '%s'", files[f], vals[i].in, buf);
		}
	}
	CHECK(cg_write(g, "memory.low", "12345678") == 0 && cg_read(g, "memory.low", buf, sizeof buf) > 0 &&
	      !strcmp(buf, "12345344\n"), "memory.low: '%s'", buf);
	for (size_t i = 0; i < sizeof og / sizeof *og; i++)
		CHECK(cg_write(g, "memory.oom.group", og[i].in) == -og[i].err, "oom.group '%s'", og[i].in);
	CHECK(cg_read(g, "memory.oom.group", buf, sizeof buf) > 0 && !strcmp(buf, "1\n"), "oom.group '%s'", buf);
	cg_destroy(g);
}

/* memory.current and memory.peak follow what a group's process touches and unmaps; so do anon and pgfault. */
static void t_memcg_current(void)
{
	char g[256];
	struct in_group ig;
	struct chan ch;

	cg_create(g, sizeof g, CG_ROOT, "current");
	long long base = cg_num(g, "memory.current"), faults = cg_key(g, "memory.stat", "pgfault");
	pid_t pid = start_toucher(&ig, &ch, g, 8);
	wait_word(&ch);
	long long cur = cg_num(g, "memory.current"), peak = cg_num(g, "memory.peak");
	long long anon = cg_key(g, "memory.stat", "anon");
	CHECK(cur - base >= 8 * MiB && cur - base <= 8 * MiB + SLACK, "memory.current %lld -> %lld for 8 MiB",
	      base, cur);
	CHECK(peak >= cur, "memory.peak %lld below memory.current %lld", peak, cur);
	CHECK(anon >= 8 * MiB && anon <= cur, "anon %lld, current %lld", anon, cur);
	CHECK(cg_key(g, "memory.stat", "pgfault") - faults >= 4, "pgfault did not count the faults");
	send_word(&ch);
	wait_word(&ch);		/* unmapped */
	long long after = cg_num(g, "memory.current");
	CHECK(cur - after >= 8 * MiB - SLACK / 4, "memory.current %lld -> %lld after munmap", cur, after);
	CHECK(cg_num(g, "memory.peak") >= peak, "memory.peak went down");
	send_word(&ch);
	expect_exit(reap(pid), 0, "the toucher");
	close_chan(&ch);
	CHECK(cg_num(g, "memory.current") <= SLACK / 4, "memory.current after the exit: %lld",
	      cg_num(g, "memory.current"));
	cg_destroy(g);
}

/* A process faulting at its group's limit dies of SIGKILL; the group counts max and oom, and never goes over. */
static void t_memcg_limit(void)
{
	char g[256];

	cg_create(g, sizeof g, CG_ROOT, "limit");
	CHECK(cg_write(g, "memory.max", "8M") == 0, "memory.max 8M");
	toucher_killed(g, "a process touching 32 MiB in a group of 8");
	CHECK(cg_key(g, "memory.events", "max") >= 1, "memory.events max: %lld", cg_key(g, "memory.events", "max"));
	CHECK(cg_key(g, "memory.events", "oom") >= 1, "memory.events oom: %lld", cg_key(g, "memory.events", "oom"));
	CHECK(cg_key(g, "memory.events.local", "oom") >= 1, "memory.events.local oom");
	long long peak = cg_num(g, "memory.peak");
	CHECK(peak <= 8 * MiB && peak >= 6 * MiB, "memory.peak %lld with memory.max 8M", peak);
	CHECK(cg_num(g, "memory.current") <= SLACK / 4, "memory.current after the death: %lld",
	      cg_num(g, "memory.current"));
	cg_destroy(g);
}

/* The group p/name, as c (size bytes), with the memory controller enabled for p's children. */
static void cg_child(const char *p, const char *name, char *c, size_t size)
{
	snprintf(c, size, "%s/%s", p, name);
	CHECK(cg_write(p, "cgroup.subtree_control", "+memory") == 0 && mkdir(c, 0755) == 0, "the child group %s: %s",
	      c, strerror(errno));
}

/* A child group with no limit of its own is held by its parent's: the parent counts the events. */
static void t_memcg_parent_limit(void)
{
	char p[256], c[300];

	cg_create(p, sizeof p, CG_ROOT, "parent");
	cg_child(p, "c", c, sizeof c);
	CHECK(cg_write(p, "memory.max", "8M") == 0, "memory.max 8M");
	toucher_killed(c, "a process touching 32 MiB under a parent of 8");
	CHECK(cg_key(p, "memory.events.local", "max") >= 1 && cg_key(p, "memory.events", "max") >= 1,
	      "the parent's max events: %lld", cg_key(p, "memory.events.local", "max"));
	CHECK(cg_key(c, "memory.events", "max") == 0 && cg_key(c, "memory.events.local", "max") == 0,
	      "the child counted the parent's max event");
	CHECK(cg_key(p, "memory.events.local", "oom") >= 1, "the parent's oom event");
	/* (The child's own peak may show a charge its parent then refused: Linux's counters do the same.) */
	CHECK(cg_num(p, "memory.peak") <= 8 * MiB, "the parent's peak %lld over its limit", cg_num(p, "memory.peak"));
	CHECK(rmdir(c) == 0, "rmdir %s: %s", c, strerror(errno));
	cg_destroy(p);
}

/* Pages stay charged where they were charged when their process moves on (cgroup v2). */
static void t_memcg_charges_stay(void)
{
	char a[256], b[256];
	struct in_group ig;
	struct chan ch;
	char pid_s[16];

	cg_create(a, sizeof a, CG_ROOT, "stay-a");
	cg_create(b, sizeof b, CG_ROOT, "stay-b");
	pid_t pid = start_toucher(&ig, &ch, a, 4);
	wait_word(&ch);
	snprintf(pid_s, sizeof pid_s, "%d", (int)pid);
	CHECK(cg_write(b, "cgroup.procs", pid_s) == 0, "moving the toucher: %s", strerror(errno));
	CHECK(cg_num(a, "memory.current") >= 4 * MiB, "a lost its charges: %lld", cg_num(a, "memory.current"));
	CHECK(cg_num(b, "memory.current") < MiB, "b took charges: %lld", cg_num(b, "memory.current"));
	send_word(&ch);
	wait_word(&ch);		/* unmapped, from b: a gets its pages back */
	CHECK(cg_num(a, "memory.current") < MiB, "a still has %lld", cg_num(a, "memory.current"));
	send_word(&ch);
	expect_exit(reap(pid), 0, "the toucher");
	close_chan(&ch);
	cg_destroy(a);
	cg_destroy(b);
}

/* The mm's owner test: its groups, and the pipes between the test and the sharing process. */
struct owner_test {
	const char *a, *b;
	struct chan ch;
};

/* Shares its parent's mm (CLONE_VM): once the parent is gone, moves into b and touches 8 MiB there. */
static int mm_sharer(void *arg)
{
	struct owner_test *o = arg;
	char c = 0;

	if (read(o->ch.down[0], &c, 1) != 1 || cg_write(o->b, "cgroup.procs", "0"))
		_exit(2);
	char *p = mmap(NULL, 8 * MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		_exit(3);
	for (long off = 0; off < 8 * MiB; off += PAGE)
		p[off] = 1;
	if (write(o->ch.up[1], &c, 1) != 1 || read(o->ch.down[0], &c, 1) != 1)
		_exit(4);
	_exit(0);
}

/* In a: make the sharer, tell the test its pid, and exit: the mm's owner is the sharer now. */
static void mm_owner_parent(long arg)
{
	struct owner_test *o = (struct owner_test *)arg;
	char *stack = map(64 * 1024, PROT_READ | PROT_WRITE);

	cg_enter(o->a);
	pid_t pid = clone(mm_sharer, stack + 64 * 1024, CLONE_VM | SIGCHLD, o);
	_exit(pid > 0 && write(o->ch.up[1], &pid, sizeof pid) == sizeof pid ? 0 : 1);
}

/*
 * A process's memory is charged to the group of its mm's owner. When the owner exits and
 * another process still uses the mm (CLONE_VM without CLONE_THREAD), that process becomes
 * the owner: its later pages are charged to its own group.
 */
static void t_memcg_mm_owner(void)
{
	char a[256], b[256];
	struct owner_test o = { .a = a, .b = b };
	pid_t sharer;

	CHECK(prctl(PR_SET_CHILD_SUBREAPER, 1) == 0, "PR_SET_CHILD_SUBREAPER: %s", strerror(errno));
	cg_create(a, sizeof a, CG_ROOT, "owner-a");
	cg_create(b, sizeof b, CG_ROOT, "owner-b");
	CHECK(pipe(o.ch.up) == 0 && pipe(o.ch.down) == 0, "pipes");
	pid_t parent = spawn(mm_owner_parent, (long)&o);
	CHECK(read(o.ch.up[0], &sharer, sizeof sharer) == sizeof sharer, "the sharer's pid");
	expect_exit(reap(parent), 0, "the mm's first owner");
	send_word(&o.ch);		/* the owner is gone: into b, and touch */
	wait_word(&o.ch);
	long long in_b = cg_num(b, "memory.current");
	send_word(&o.ch);
	expect_exit(reap(sharer), 0, "the sharer");
	close_chan(&o.ch);
	CHECK(in_b >= 8 * MiB - SLACK, "the new owner touched 8 MiB in its group, which has %lld bytes", in_b);
	cg_destroy(a);
	cg_destroy(b);
}

static void tmpfs_writer(long arg)
{
	const char **args = (const char **)arg;
	static char chunk[64 << 10];

	cg_enter(args[0]);
	int fd = open(args[1], O_CREAT | O_WRONLY | O_TRUNC, 0600);
	CHECK(fd >= 0, "create %s: %s", args[1], strerror(errno));
	memset(chunk, 'x', sizeof chunk);
	for (int i = 0; i < 64; i++)
		CHECK(write(fd, chunk, sizeof chunk) == (ssize_t)sizeof chunk, "write: %s", strerror(errno));
	close(fd);
}

/* tmpfs pages written by a process of the group are its file and shmem, until the file goes. */
static void t_memcg_tmpfs(void)
{
	char g[256], dir[64], file[96];

	cg_create(g, sizeof g, CG_ROOT, "tmpfs");
	snprintf(dir, sizeof dir, "/tmp/ut-memcg-%d", (int)getpid());
	snprintf(file, sizeof file, "%s/data", dir);
	CHECK(mkdir(dir, 0700) == 0 && mount("none", dir, "tmpfs", 0, NULL) == 0, "tmpfs: %s", strerror(errno));
	const char *args[] = { g, file };
	expect_exit(run(tmpfs_writer, (long)args), 0, "the writer");
	long long cur = cg_num(g, "memory.current");
	CHECK(cur >= 4 * MiB, "memory.current %lld after writing 4 MiB", cur);
	CHECK(cg_key(g, "memory.stat", "file") >= 4 * MiB && cg_key(g, "memory.stat", "shmem") >= 4 * MiB,
	      "file %lld, shmem %lld", cg_key(g, "memory.stat", "file"), cg_key(g, "memory.stat", "shmem"));
	CHECK(unlink(file) == 0, "unlink: %s", strerror(errno));
	CHECK(cg_num(g, "memory.current") <= cur - 4 * MiB + SLACK / 4, "memory.current %lld after the unlink",
	      cg_num(g, "memory.current"));
	CHECK(cg_key(g, "memory.stat", "shmem") == 0, "shmem after the unlink");
	CHECK(umount(dir) == 0 && rmdir(dir) == 0, "umount: %s", strerror(errno));
	cg_destroy(g);
}

/* In the group: 8 children that sleep, a word to the parent, then wait for its word to end them. */
static void forker(long arg)
{
	struct in_group *g = (struct in_group *)arg;
	pid_t kids[8];
	char c = 0;

	cg_enter(g->dir);
	for (int i = 0; i < 8; i++)
		kids[i] = spawn(sleep_forever_arg, 0);
	CHECK(write(g->fds[1], &c, 1) == 1, "report");
	CHECK(read(g->fds[0], &c, 1) == 1, "the word");
	for (int i = 0; i < 8; i++) {
		kill(kids[i], SIGKILL);
		reap(kids[i]);
	}
}

/* Kernel stacks and page tables of the group's processes are charged to it, and come back. */
static void t_memcg_kernel(void)
{
	char g[256];
	struct in_group ig;
	struct chan ch;

	cg_create(g, sizeof g, CG_ROOT, "kernel");
	CHECK(pipe(ch.up) == 0 && pipe(ch.down) == 0, "pipes");
	ig = (struct in_group){ .dir = g, .fds = { ch.down[0], ch.up[1] } };
	long long stack0 = cg_key(g, "memory.stat", "kernel_stack");
	pid_t pid = spawn(forker, (long)&ig);
	wait_word(&ch);
	long long stack = cg_key(g, "memory.stat", "kernel_stack"), pt = cg_key(g, "memory.stat", "pagetables");
	CHECK(stack - stack0 >= 8 * 16384, "kernel_stack %lld -> %lld for 9 tasks", stack0, stack);
	CHECK(pt > 0 && cg_key(g, "memory.stat", "kernel") >= stack + pt, "pagetables %lld, kernel %lld", pt,
	      cg_key(g, "memory.stat", "kernel"));
	send_word(&ch);
	expect_exit(reap(pid), 0, "the forker");
	CHECK(cg_key(g, "memory.stat", "kernel_stack") == 0, "kernel_stack after the tasks went: %lld",
	      cg_key(g, "memory.stat", "kernel_stack"));
	close_chan(&ch);
	cg_destroy(g);
}

/* Over memory.high a process is slowed down, not killed: "high" is counted, "max" and "oom" are not. */
static void t_memcg_high(void)
{
	char g[256];
	struct in_group ig;
	struct chan ch;

	cg_create(g, sizeof g, CG_ROOT, "high");
	CHECK(cg_write(g, "memory.high", "8M") == 0, "memory.high 8M");
	pid_t pid = start_toucher(&ig, &ch, g, 9);
	wait_word(&ch);
	send_word(&ch);
	wait_word(&ch);
	send_word(&ch);
	expect_exit(reap(pid), 0, "a process going over memory.high");
	close_chan(&ch);
	CHECK(cg_key(g, "memory.events", "high") >= 1, "memory.events high: %lld", cg_key(g, "memory.events", "high"));
	CHECK(cg_key(g, "memory.events", "max") == 0 && cg_key(g, "memory.events", "oom") == 0, "max or oom counted");
	CHECK(cg_num(g, "memory.peak") > 8 * MiB, "memory.peak %lld: the process never went over",
	      cg_num(g, "memory.peak"));
	cg_destroy(g);
}

/* ---- the memcg OOM killer ---- */

/* /proc/vmstat's KEY. */
static long vmstat(const char *key)
{
	return cg_key("/proc", "vmstat", key);
}

/*
 * Where free memory was before a test's processes started: Folio gives
 * every page back, so nr_free_pages returns there (give or take the
 * test's own page tables); Linux's page cache and per-CPU lists move it
 * too much to compare.
 */
static long free_base(void)
{
	return on_linux ? 0 : vmstat("nr_free_pages");
}

static void free_back(long base)
{
	long now = 0;

	if (on_linux)
		return;
	for (int i = 0; i < 200 && (now = vmstat("nr_free_pages")) < base - 16; i++)
		usleep(10000);	/* the last victim's task struct goes after its parent reaped it */
	CHECK(now >= base - 16, "free pages %ld, %ld before: %ld pages not given back", now, base, base - now);
}

/* A group's memory.current once its killed processes are gone: 0 (Linux keeps a few kernel objects). */
static void current_back(const char *g)
{
	long long cur = cg_num(g, "memory.current");
	CHECK(on_linux ? cur <= SLACK / 8 : cur == 0, "memory.current %lld after the OOM kill", cur);
}

/* A test's end: the group's memory all back, the group gone, free pages back to base. */
static void oom_test_end(const char *g, long base)
{
	current_back(g);
	cg_destroy(g);
	free_back(base);
}

/* A member still alive at the end: killed and reaped. */
static void end_member(pid_t pid, const char *what)
{
	kill(pid, SIGKILL);
	expect_signal(reap(pid), SIGKILL, what);
}

/*
 * In the group, with oom_score_adj adj, having touched mib MiB (arg: "DIR ADJ FD MIB"): a word
 * to the parent, then sleep until killed.
 */
static void member(long arg)
{
	char dir[256];
	int adj, fd;
	long mib;

	sscanf((const char *)arg, "%255s %d %d %ld", dir, &adj, &fd, &mib);
	cg_enter(dir);
	char v[16];
	snprintf(v, sizeof v, "%d", adj);
	int afd = open("/proc/self/oom_score_adj", O_WRONLY);
	CHECK(afd >= 0 && write(afd, v, strlen(v)) == (ssize_t)strlen(v), "oom_score_adj %s: %s", v, strerror(errno));
	close(afd);
	if (mib)
		touch(mib * MiB);
	CHECK(write(fd, "m", 1) == 1, "report");
	sleep_forever();
}

/* Start a member of dir holding mib MiB and wait until it is in. */
static pid_t start_member_mib(const char *dir, int adj, long mib)
{
	int fds[2];
	char arg[300], c;

	CHECK(pipe(fds) == 0, "pipe");
	snprintf(arg, sizeof arg, "%s %d %d %ld", dir, adj, fds[1], mib);
	pid_t pid = spawn(member, (long)arg);
	CHECK(read(fds[0], &c, 1) == 1, "the member did not start");
	close2(fds);
	return pid;
}

static pid_t start_member(const char *dir, int adj)
{
	return start_member_mib(dir, adj, 0);
}

/* A process faulting at its group's limit is the OOM killer's victim: oom 1, oom_kill 1; its parent lives on. */
static void t_memcg_oom_kill(void)
{
	char g[256], other[256];
	long base = free_base(), kills = vmstat("oom_kill");

	cg_create(g, sizeof g, CG_ROOT, "oom");
	cg_create(other, sizeof other, CG_ROOT, "oom-other");
	pid_t bystander = start_member(other, 0);	/* bigger than nobody, but outside the group */
	CHECK(cg_write(g, "memory.max", "8M") == 0, "memory.max 8M");
	toucher_killed(g, "a process touching 32 MiB in a group of 8");
	CHECK(cg_key(g, "memory.events", "oom") == 1 && cg_key(g, "memory.events", "oom_kill") == 1,
	      "memory.events oom %lld oom_kill %lld, expected 1 1", cg_key(g, "memory.events", "oom"),
	      cg_key(g, "memory.events", "oom_kill"));
	CHECK(cg_key(g, "memory.events.local", "oom") == 1 && cg_key(g, "memory.events.local", "oom_kill") == 1,
	      "memory.events.local oom %lld oom_kill %lld", cg_key(g, "memory.events.local", "oom"),
	      cg_key(g, "memory.events.local", "oom_kill"));
	CHECK(cg_key(g, "memory.events", "oom_group_kill") == 0, "oom_group_kill without memory.oom.group");
	CHECK(vmstat("oom_kill") == kills + 1, "/proc/vmstat oom_kill %ld, was %ld", vmstat("oom_kill"), kills);
	CHECK(kill(bystander, 0) == 0, "the process outside the group was killed");
	CHECK(cg_key(other, "memory.events", "oom_kill") == 0, "the other group counted a kill");
	end_member(bystander, "the bystander");
	cg_destroy(other);
	oom_test_end(g, base);
}

/*
 * A child group held by its parent's limit: the OOM is the parent's (oom
 * there), the victim lived in the child (oom_kill there, and in the parent
 * as memory.events counts its descendants').
 */
static void t_memcg_oom_parent(void)
{
	char p[256], c[300];
	long base = free_base();

	cg_create(p, sizeof p, CG_ROOT, "oom-parent");
	cg_child(p, "c", c, sizeof c);
	CHECK(cg_write(p, "memory.max", "8M") == 0, "memory.max 8M");
	toucher_killed(c, "a process touching 32 MiB under a parent of 8");
	static const struct { int child; const char *file, *key; long long want; } ev[] = {
		{ 0, "memory.events", "oom", 1 }, { 0, "memory.events.local", "oom", 1 },
		{ 0, "memory.events", "oom_kill", 1 }, { 0, "memory.events.local", "oom_kill", 0 },
		{ 1, "memory.events", "oom", 0 }, { 1, "memory.events.local", "oom", 0 },
		{ 1, "memory.events", "oom_kill", 1 }, { 1, "memory.events.local", "oom_kill", 1 },
	};
	for (size_t i = 0; i < sizeof ev / sizeof *ev; i++) {
		long long v = cg_key(ev[i].child ? c : p, ev[i].file, ev[i].key);
		CHECK(v == ev[i].want, "the %s's %s %s: %lld, expected %lld", ev[i].child ? "child" : "parent",
		      ev[i].file, ev[i].key, v, ev[i].want);
	}
	current_back(p);
	CHECK(rmdir(c) == 0, "rmdir %s: %s", c, strerror(errno));
	cg_destroy(p);
	free_back(base);
}

/*
 * memory.oom.group: the whole group dies with the victim, but for a -1000
 * member. Linux 6.1 kills (and counts in oom_kill) the victim a second
 * time as it goes through the group: oom_kill 3 for two deaths.
 */
static void t_memcg_oom_group(void)
{
	char g[256];
	long base = free_base();

	cg_create(g, sizeof g, CG_ROOT, "oom-group");
	CHECK(cg_write(g, "memory.max", "8M") == 0 && cg_write(g, "memory.oom.group", "1") == 0, "the limits");
	pid_t plain = start_member(g, 0), survivor = start_member(g, -1000);
	toucher_killed(g, "the toucher");
	expect_signal(reap(plain), SIGKILL, "a member of the oom.group");
	CHECK(kill(survivor, 0) == 0, "the -1000 member was killed");
	CHECK(cg_key(g, "memory.events", "oom") == 1 && cg_key(g, "memory.events", "oom_group_kill") == 1,
	      "oom %lld oom_group_kill %lld, expected 1 1", cg_key(g, "memory.events", "oom"),
	      cg_key(g, "memory.events", "oom_group_kill"));
	CHECK(cg_key(g, "memory.events", "oom_kill") == 3, "oom_kill %lld, expected 3 (the victim twice)",
	      cg_key(g, "memory.events", "oom_kill"));
	end_member(survivor, "the survivor");
	oom_test_end(g, base);
}

/* memory.max written below the usage: the write is taken, and the OOM killer brings the group under it. */
static void t_memcg_max_below_current(void)
{
	char g[256], buf[64];
	struct in_group ig;
	struct chan ch;
	long base = free_base();

	cg_create(g, sizeof g, CG_ROOT, "lower");
	pid_t pid = start_toucher(&ig, &ch, g, 8);
	wait_word(&ch);
	CHECK(cg_write(g, "memory.max", "4M") == 0, "memory.max 4M over 8 MiB in use: %s", strerror(errno));
	CHECK(cg_read(g, "memory.max", buf, sizeof buf) > 0 && !strcmp(buf, "4194304\n"), "memory.max '%s'", buf);
	expect_signal(reap(pid), SIGKILL, "the toucher, over the new limit");
	CHECK(cg_key(g, "memory.events", "oom") >= 1, "no oom event");
	CHECK(cg_key(g, "memory.events", "oom_kill") == 1, "oom_kill %lld, expected 1",
	      cg_key(g, "memory.events", "oom_kill"));
	close_chan(&ch);
	oom_test_end(g, base);
}

/*
 * memory.oom.group on a parent whose limit is hit by a child's task: the
 * walk from the victim's group up to the OOM's finds it, and every task
 * under the parent dies, the sibling group's too.
 */
static void t_memcg_oom_group_parent(void)
{
	char p[256], a[300], b[300];
	long base = free_base();

	cg_create(p, sizeof p, CG_ROOT, "oom-group-parent");
	CHECK(cg_write(p, "memory.max", "8M") == 0 && cg_write(p, "memory.oom.group", "1") == 0, "the limits");
	cg_child(p, "a", a, sizeof a);
	cg_child(p, "b", b, sizeof b);
	pid_t sibling = start_member(b, 0);
	toucher_killed(a, "the toucher");
	int st;
	CHECK(reaped_within(sibling, &st, 10000) && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL,
	      "the member of the sibling group lives on: the parent's oom.group was not found");
	CHECK(cg_key(p, "memory.events", "oom_group_kill") == 1, "the parent's oom_group_kill %lld, expected 1",
	      cg_key(p, "memory.events", "oom_group_kill"));
	current_back(a);
	current_back(b);
	CHECK(rmdir(a) == 0 && rmdir(b) == 0, "rmdir: %s", strerror(errno));
	oom_test_end(p, base);
}

/*
 * Two OOMs, at two levels, one after the other: a child's limit, then its
 * parent's. The child's OOM lock, taken and let go, leaves the parent's
 * free: each OOM kills its own toucher.
 */
static void t_memcg_oom_nested(void)
{
	char p[256], c[300];
	long base = free_base();

	cg_create(p, sizeof p, CG_ROOT, "oom-nested");
	CHECK(cg_write(p, "memory.max", "12M") == 0, "memory.max 12M");
	cg_child(p, "child", c, sizeof c);
	CHECK(cg_write(c, "memory.max", "4M") == 0, "the child's memory.max 4M");
	toucher_killed(c, "the toucher at the child's limit");
	CHECK(cg_write(c, "memory.max", "max") == 0, "the child's memory.max to max");
	toucher_killed(c, "the toucher at the parent's limit");
	CHECK(cg_key(c, "memory.events.local", "oom") == 1 && cg_key(p, "memory.events.local", "oom") == 1,
	      "memory.events.local oom: child %lld, parent %lld, expected 1 1",
	      cg_key(c, "memory.events.local", "oom"), cg_key(p, "memory.events.local", "oom"));
	current_back(c);
	CHECK(rmdir(c) == 0, "rmdir %s: %s", c, strerror(errno));
	oom_test_end(p, base);
}

/* A memory.max 512 KiB under g's usage, in v (as text), returned. */
static const char *max_below(const char *g, char *v, size_t size)
{
	snprintf(v, size, "%lld", (cg_num(g, "memory.current") - 512 * 1024) & ~(long long)(PAGE - 1));
	return v;
}

/*
 * The group's OOM weighs oom_score_adj against the group's limit, as the
 * global one weighs it against RAM: +1000 goes first, even when smaller,
 * and -500 takes half the limit off a task's size. Here each OOM comes from
 * memory.max written 512 KiB under the usage; the write returns once the
 * usage is under it.
 */
static void t_memcg_oom_adj(void)
{
	char g[256], v[32];
	long base = free_base();
	int st;

	cg_create(g, sizeof g, CG_ROOT, "oom-adj");
	pid_t big = start_member_mib(g, 0, 8), small = start_member_mib(g, 1000, 1);
	CHECK(cg_write(g, "memory.max", max_below(g, v, sizeof v)) == 0, "memory.max %s: %s", v, strerror(errno));
	CHECK(cg_num(g, "memory.current") <= atoll(v), "memory.current %lld over memory.max %s once the write returned",
	      cg_num(g, "memory.current"), v);
	CHECK(reaped_within(small, &st, 10000) && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL,
	      "the 1 MiB member at +1000 was not killed");
	CHECK(!reaped_within(big, &st, 0), "the 8 MiB member at 0 died too");
	CHECK(cg_key(g, "memory.events", "oom_kill") == 1, "oom_kill %lld, expected 1", cg_key(g, "memory.events", "oom_kill"));
	/*
	 * Against the limit (about 9 MiB), -500 takes half of it off the 8 MiB member's 8 MiB: it
	 * still outweighs a 1 MiB member at 0. Against all of RAM it would not.
	 */
	CHECK(cg_write(g, "memory.max", "max") == 0, "memory.max max");
	snprintf(v, sizeof v, "/proc/%d/oom_score_adj", big);
	CHECK(write_file(v, "-500") == 0, "%s -500: %s", v, strerror(errno));
	small = start_member_mib(g, 0, 1);
	CHECK(cg_write(g, "memory.max", max_below(g, v, sizeof v)) == 0, "memory.max %s: %s", v, strerror(errno));
	CHECK(reaped_within(big, &st, 10000) && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL,
	      "the 8 MiB member at -500 was not killed: oom_score_adj weighed against more than the group's limit");
	CHECK(!reaped_within(small, &st, 0) && cg_key(g, "memory.events", "oom_kill") == 2,
	      "the 1 MiB member at 0 died too (oom_kill %lld)", cg_key(g, "memory.events", "oom_kill"));
	end_member(small, "the 1 MiB member");
	oom_test_end(g, base);
}

/* ---- cgroup v1 ---- */

/* Linux frees removed groups a little later: wait for the root to have none dying (v1 needs that). */
static void wait_no_dying(void)
{
	for (int i = 0; i < 3000 && cg_key(CG_ROOT, "cgroup.stat", "nr_dying_descendants") > 0; i++)
		usleep(10000);
	CHECK(cg_key(CG_ROOT, "cgroup.stat", "nr_dying_descendants") == 0, "dying groups stay: %lld",
	      cg_key(CG_ROOT, "cgroup.stat", "nr_dying_descendants"));
}

/* v1's memory.* files of a group, with what a toucher in it charges. */
static void memcg_v1_files(const char *root, const char *g)
{
	static const struct { const char *in; int err; const char *out; } limits[] = {
		{ "16M", 0, "16777216\n" }, { "-1", 0, "9223372036854771712\n" }, { "4097", 0, "4096\n" },
		{ "max", EINVAL, NULL }, { "abc", EINVAL, NULL }, { "-2", EINVAL, NULL },
		{ "64M", 0, "67108864\n" },
	};
	char buf[4096];

	CHECK(cg_read(g, "memory.limit_in_bytes", buf, sizeof buf) > 0 && !strcmp(buf, "9223372036854771712\n"),
	      "limit_in_bytes '%s'", buf);
	CHECK(cg_read(g, "memory.oom_control", buf, sizeof buf) > 0 &&
	      !strcmp(buf, "oom_kill_disable 0\nunder_oom 0\noom_kill 0\n"), "oom_control '%s'", buf);
	CHECK(cg_num(g, "memory.use_hierarchy") == 1 && cg_write(g, "memory.use_hierarchy", "0") == -EINVAL &&
	      cg_write(g, "memory.use_hierarchy", "1") == 0, "use_hierarchy");
	for (size_t i = 0; i < sizeof limits / sizeof *limits; i++) {
		long err = cg_write(g, "memory.limit_in_bytes", limits[i].in);
		CHECK(err == -limits[i].err, "limit_in_bytes '%s': %s", limits[i].in, res(err));
		CHECK(!limits[i].out || (cg_read(g, "memory.limit_in_bytes", buf, sizeof buf) > 0 &&
					 !strcmp(buf, limits[i].out)), "limit after '%s': '%s'", limits[i].in, buf);
	}
	CHECK(cg_write(root, "memory.limit_in_bytes", "1G") == -EINVAL, "the root's limit: not EINVAL");
	CHECK(cg_write(g, "memory.oom_control", "1") == 0 && cg_read(g, "memory.oom_control", buf, sizeof buf) > 0 &&
	      !strncmp(buf, "oom_kill_disable 1\n", 19), "oom_kill_disable 1: '%s'", buf);
	CHECK(cg_write(g, "memory.oom_control", "2") == -EINVAL && cg_write(g, "memory.oom_control", " 1") == -EINVAL &&
	      cg_write(root, "memory.oom_control", "1") == -EINVAL, "oom_control's errors");
	CHECK(cg_write(g, "memory.oom_control", "0") == 0, "oom_kill_disable 0");
	CHECK(cg_write(g, "memory.usage_in_bytes", "0") == -EINVAL, "writing usage_in_bytes");
	CHECK(cg_read(g, "memory.stat", buf, sizeof buf) > 0 && !strncmp(buf, "cache ", 6) &&
	      strstr(buf, "\nhierarchical_memory_limit 67108864\nhierarchical_memsw_limit ") &&
	      strstr(buf, "\ntotal_rss "), "v1 memory.stat: '%.80s'", buf);
}

/*
 * v1's other files of a group whose limit is 64M: memsw.* (never below the
 * memory limit, which is never above it), soft_limit_in_bytes, swappiness,
 * move_charge_at_immigrate, force_empty, numa_stat; event_control's mode.
 */
static void memcg_v1_more_files(const char *root, const char *g)
{
	char buf[4096];

	CHECK(file_mode(g, "cgroup.event_control") == 0222, "event_control's mode %o", file_mode(g, "cgroup.event_control"));
	CHECK(file_mode(g, "memory.force_empty") == 0200, "force_empty's mode %o", file_mode(g, "memory.force_empty"));
	CHECK(cg_read(g, "memory.memsw.limit_in_bytes", buf, sizeof buf) > 0 && !strcmp(buf, "9223372036854771712\n"),
	      "memsw.limit_in_bytes '%s'", buf);
	CHECK(cg_write(g, "memory.memsw.limit_in_bytes", "32M") == -EINVAL, "memsw below the memory limit");
	CHECK(cg_write(g, "memory.memsw.limit_in_bytes", "128M") == 0 && cg_num(g, "memory.memsw.limit_in_bytes") ==
	      128 * MiB, "memsw 128M");
	CHECK(cg_write(g, "memory.limit_in_bytes", "256M") == -EINVAL, "memory above the memsw limit");
	CHECK(cg_read(g, "memory.stat", buf, sizeof buf) > 0 && strstr(buf, "\nhierarchical_memsw_limit 134217728\n"),
	      "hierarchical_memsw_limit");
	CHECK(cg_write(root, "memory.memsw.limit_in_bytes", "1G") == -EINVAL, "the root's memsw limit");
	CHECK(cg_write(g, "memory.memsw.limit_in_bytes", "-1") == 0, "memsw -1");
	CHECK(cg_num(g, "memory.memsw.usage_in_bytes") >= 0 && cg_num(g, "memory.memsw.failcnt") == 0 &&
	      cg_write(g, "memory.memsw.max_usage_in_bytes", "0") == 0, "memsw usage, failcnt, max_usage");
	CHECK(cg_read(g, "memory.soft_limit_in_bytes", buf, sizeof buf) > 0 && !strcmp(buf, "9223372036854771712\n"),
	      "soft_limit_in_bytes '%s'", buf);
	CHECK(cg_write(g, "memory.soft_limit_in_bytes", "4097") == 0 && cg_num(g, "memory.soft_limit_in_bytes") == 4096
	      && cg_write(g, "memory.soft_limit_in_bytes", "max") == -EINVAL &&
	      cg_write(g, "memory.soft_limit_in_bytes", "-1") == 0, "soft_limit_in_bytes");
	long long sw = cg_num(root, "memory.swappiness");
	CHECK(sw >= 0 && sw <= 200 && cg_num(g, "memory.swappiness") == sw, "swappiness %lld", sw);
	CHECK(cg_write(g, "memory.swappiness", "201") == -EINVAL && cg_write(g, "memory.swappiness", "-1") == -EINVAL &&
	      cg_write(g, "memory.swappiness", "200") == 0 && cg_num(g, "memory.swappiness") == 200 &&
	      cg_num(root, "memory.swappiness") == sw, "swappiness 200");
	CHECK(cg_num(g, "memory.move_charge_at_immigrate") == 0 &&
	      cg_write(g, "memory.move_charge_at_immigrate", "4") == -EINVAL &&
	      cg_write(g, "memory.move_charge_at_immigrate", "3") == 0 && cg_num(g, "memory.move_charge_at_immigrate") == 3
	      && cg_write(g, "memory.move_charge_at_immigrate", "0") == 0, "move_charge_at_immigrate");
	CHECK(cg_write(g, "memory.force_empty", "0") == 0 && cg_write(root, "memory.force_empty", "0") == -EINVAL,
	      "force_empty");
	CHECK(cg_read(g, "memory.numa_stat", buf, sizeof buf) > 0 && !strncmp(buf, "total=0 N0=0\nfile=0 N0=0\n", 25) &&
	      strstr(buf, "\nhierarchical_unevictable=0 N0=0\n"), "v1 numa_stat '%s'", buf);
}

/* The group's usage follows a toucher; the limit cannot go below it (EBUSY, no reclaim to make room). */
static void memcg_v1_usage(const char *g)
{
	struct in_group ig;
	struct chan ch;
	char buf[64];
	long long in0 = cg_key(g, "memory.stat", "pgpgin"), out0 = cg_key(g, "memory.stat", "pgpgout");

	pid_t pid = start_toucher(&ig, &ch, g, 8);
	wait_word(&ch);
	long long usage = cg_num(g, "memory.usage_in_bytes");
	CHECK(usage >= 8 * MiB && usage <= 8 * MiB + SLACK, "usage_in_bytes %lld for 8 MiB", usage);
	CHECK(cg_num(g, "memory.max_usage_in_bytes") >= usage, "max_usage_in_bytes below usage");
	CHECK(cg_write(g, "memory.limit_in_bytes", "1M") == -EBUSY, "a limit below the usage: not EBUSY");
	CHECK(cg_read(g, "memory.limit_in_bytes", buf, sizeof buf) > 0 && !strcmp(buf, "67108864\n"), "'%s'", buf);
	CHECK(cg_read(g, "tasks", buf, sizeof buf) > 0 && atoi(buf) == pid, "tasks '%s'", buf);
	CHECK(cg_read(g, "cgroup.procs", buf, sizeof buf) > 0 && atoi(buf) == pid, "cgroup.procs '%s'", buf);
	send_word(&ch);
	wait_word(&ch);
	send_word(&ch);
	expect_exit(reap(pid), 0, "the toucher");
	close_chan(&ch);
	/* pgpgin and pgpgout count pages charged and uncharged: the toucher's 8 MiB both ways */
	long long in = cg_key(g, "memory.stat", "pgpgin") - in0, out = cg_key(g, "memory.stat", "pgpgout") - out0;
	CHECK(in0 >= 0 && out0 >= 0 && in >= (long long)(8 * MiB / PAGE) && out >= (long long)(8 * MiB / PAGE),
	      "pgpgin grew by %lld, pgpgout by %lld, for 8 MiB charged and freed", in, out);
	CHECK(cg_write(g, "memory.max_usage_in_bytes", "0") == 0 && cg_num(g, "memory.max_usage_in_bytes") < MiB,
	      "max_usage_in_bytes after a reset");
	CHECK(cg_write(g, "memory.failcnt", "0") == 0 && cg_num(g, "memory.failcnt") == 0, "failcnt reset");
}

/* cgroup.event_control: an eventfd for the group's memory.oom_control, Linux's errors, a signal at rmdir. */
static int memcg_v1_event_control(const char *root, const char *g)
{
	char path[512], line[64];
	int efd = eventfd(0, EFD_NONBLOCK);

	snprintf(path, sizeof path, "%s/memory.oom_control", g);
	int ofd = open(path, O_RDONLY);
	snprintf(path, sizeof path, "%s/tasks", g);
	int tfd = open(path, O_RDONLY);
	snprintf(path, sizeof path, "%s/memory.oom_control", root);
	int rfd = open(path, O_RDONLY);
	CHECK(efd >= 0 && ofd >= 0 && tfd >= 0 && rfd >= 0, "fds: %s", strerror(errno));
	snprintf(line, sizeof line, "%d %d", ofd, ofd);
	CHECK(cg_write(g, "cgroup.event_control", line) == -EINVAL, "an oom_control fd for the eventfd");
	snprintf(line, sizeof line, "%d %d", efd, tfd);
	CHECK(cg_write(g, "cgroup.event_control", line) == -EINVAL, "tasks as the event");
	snprintf(line, sizeof line, "%d %d", efd, rfd);
	CHECK(cg_write(g, "cgroup.event_control", line) == -EINVAL, "another group's oom_control");
	snprintf(line, sizeof line, "%d %d", efd, 999);
	CHECK(cg_write(g, "cgroup.event_control", line) == -EBADF, "a bad fd");
	snprintf(line, sizeof line, "%d", efd);
	CHECK(cg_write(g, "cgroup.event_control", line) == -EINVAL, "one number");
	CHECK(cg_write(g, "cgroup.event_control", "abc") == -EINVAL, "no number");
	snprintf(line, sizeof line, "%d %dx", efd, ofd);	/* good fds, but not a number after the second */
	CHECK(cg_write(g, "cgroup.event_control", line) == -EINVAL, "'%s'", line);
	snprintf(line, sizeof line, "%d %d", efd, ofd);
	CHECK(cg_write(g, "cgroup.event_control", line) == 0, "registering: %s", strerror(errno));
	CHECK(cg_read(g, "cgroup.event_control", line, sizeof line) == -EINVAL, "reading cgroup.event_control");
	uint64_t v;
	CHECK(read(efd, &v, sizeof v) < 0 && errno == EAGAIN, "an event before any OOM");
	close(ofd);
	close(tfd);
	close(rfd);
	return efd;
}

/* mount -t cgroup -o memory: the controller leaves cgroup v2 for v1 and comes back at umount. */
static void t_memcg_v1(void)
{
	char dir[64], g[128], buf[4096], sub[256];

	snprintf(dir, sizeof dir, "/tmp/ut-v1-%d", (int)getpid());
	snprintf(g, sizeof g, "%s/g", dir);
	CHECK(mkdir(dir, 0755) == 0, "mkdir %s: %s", dir, strerror(errno));
	CHECK(mount("none", dir, "cgroup", 0, "bogus") < 0 && errno == EINVAL, "-o bogus: not EINVAL");
	CHECK(mount("none", dir, "cgroup", 0, "none") < 0 && errno == EINVAL, "-o none: not EINVAL");
	cg_create(sub, sizeof sub, CG_ROOT, "v1busy");	/* a v2 group with the memory controller */
	CHECK(mount("none", dir, "cgroup", 0, "memory") < 0 && errno == EBUSY, "memory while v2 uses it: not EBUSY");
	CHECK(rmdir(sub) == 0, "rmdir: %s", strerror(errno));
	wait_no_dying();
	CHECK(mount("none", dir, "cgroup", 0, "memory") == 0, "mount -t cgroup -o memory: %s", strerror(errno));
	CHECK(cg_read(CG_ROOT, "cgroup.controllers", buf, sizeof buf) >= 0 && !strstr(buf, "memory"),
	      "v2 still has the memory controller: '%s'", buf);
	CHECK(cg_read(CG_ROOT, "cgroup.subtree_control", buf, sizeof buf) >= 0 && !strstr(buf, "memory"),
	      "v2's root still enables memory: '%s'", buf);
	/* The hierarchy's number: 1 on Folio, the next of a cyclic count on Linux. */
	CHECK(cg_read("/proc", "cgroups", buf, sizeof buf) > 0 && strstr(buf, "\nmemory\t"), "/proc/cgroups");
	int id = 0, n = 0;
	CHECK(sscanf(strstr(buf, "\nmemory\t"), "\nmemory\t%d\t%d\t1\n", &id, &n) == 2 && id > 0 && n == 1,
	      "/proc/cgroups: '%.20s'", strstr(buf, "\nmemory\t") + 1);
	snprintf(sub, sizeof sub, "%d:memory:/\n0::/", id);
	CHECK(cg_read("/proc", "self/cgroup", buf, sizeof buf) > 0 && !strncmp(buf, sub, strlen(sub)),
	      "/proc/self/cgroup: '%s'", buf);
	CHECK(cg_read("/proc", "mounts", buf, sizeof buf) > 0 && strstr(buf, " cgroup rw,relatime,memory 0 0\n"),
	      "no v1 line in /proc/mounts");
	CHECK(cg_num(dir, "memory.use_hierarchy") == 1, "the root's use_hierarchy");
	CHECK(cg_read(dir, "cgroup.sane_behavior", buf, sizeof buf) > 0, "cgroup.sane_behavior");
	CHECK(mkdir(g, 0755) == 0, "mkdir %s: %s", g, strerror(errno));
	memcg_v1_files(dir, g);
	memcg_v1_more_files(dir, g);
	memcg_v1_usage(g);
	int efd = memcg_v1_event_control(dir, g);
	CHECK(rmdir(g) == 0, "rmdir %s: %s", g, strerror(errno));
	struct pollfd pfd = { .fd = efd, .events = POLLIN };
	CHECK(poll(&pfd, 1, 10000) == 1, "no event within 10 s of the rmdir");	/* Linux signals from a worker */
	uint64_t v = 0;
	CHECK(read(efd, &v, sizeof v) == sizeof v && v == 1, "no event when the group went: %llu",
	      (unsigned long long)v);
	close(efd);
	/* Linux frees the removed group a little later; the hierarchy goes with its last mount only once it has. */
	snprintf(sub, sizeof sub, "\nmemory\t%d\t1\t1\n", id);
	for (int i = 0; i < 3000 && !(cg_read("/proc", "cgroups", buf, sizeof buf) > 0 && strstr(buf, sub)); i++)
		usleep(10000);
	CHECK(umount(dir) == 0, "umount: %s", strerror(errno));
	for (int i = 0; i < 3000; i++) {
		if (cg_read(CG_ROOT, "cgroup.controllers", buf, sizeof buf) > 0 && strstr(buf, "memory"))
			break;
		usleep(10000);
	}
	CHECK(strstr(buf, "memory"), "the memory controller did not come back to v2: '%s'", buf);
	CHECK(cg_write(CG_ROOT, "cgroup.subtree_control", "+memory") == 0, "+memory again: %s", strerror(errno));
	CHECK(rmdir(dir) == 0, "rmdir %s: %s", dir, strerror(errno));
}

/* ---- cgroup v1: a user-space OOM handler (memory.oom_control's oom_kill_disable) ---- */

/* Mount v1's memory hierarchy on dir (v2 must not be using the controller). */
static void v1_mount(const char *dir)
{
	wait_no_dying();
	CHECK(mkdir(dir, 0755) == 0, "mkdir %s: %s", dir, strerror(errno));
	CHECK(mount("none", dir, "cgroup", 0, "memory") == 0, "mount -t cgroup -o memory: %s", strerror(errno));
}

/* Unmount it, and give the controller back to v2's root once Linux has let the hierarchy go. */
static void v1_umount(const char *dir)
{
	char buf[256];

	for (int i = 0; i < 3000; i++) {	/* until the removed groups are freed: the hierarchy has its root alone */
		int id, n = 0;
		char *m = cg_read("/proc", "cgroups", buf, sizeof buf) > 0 ? strstr(buf, "\nmemory\t") : NULL;
		if (!m || (sscanf(m, "\nmemory\t%d\t%d", &id, &n) == 2 && n == 1))
			break;
		usleep(10000);
	}
	CHECK(umount(dir) == 0, "umount: %s", strerror(errno));
	for (int i = 0; i < 3000; i++) {
		if (cg_read(CG_ROOT, "cgroup.controllers", buf, sizeof buf) > 0 && strstr(buf, "memory"))
			break;
		usleep(10000);
	}
	CHECK(cg_write(CG_ROOT, "cgroup.subtree_control", "+memory") == 0, "+memory again: %s", strerror(errno));
	CHECK(rmdir(dir) == 0, "rmdir %s: %s", dir, strerror(errno));
}

/* An eventfd registered for g's OOM notification. */
static int oom_eventfd(const char *g)
{
	char path[512], line[64];
	int efd = eventfd(0, 0);

	snprintf(path, sizeof path, "%s/memory.oom_control", g);
	int ofd = open(path, O_RDONLY);
	CHECK(efd >= 0 && ofd >= 0, "eventfd, oom_control: %s", strerror(errno));
	snprintf(line, sizeof line, "%d %d", efd, ofd);
	CHECK(cg_write(g, "cgroup.event_control", line) == 0, "registering: %s", strerror(errno));
	close(ofd);
	return efd;
}

/* The line of /proc/PID/FILE that starts with key, into out. */
static void proc_line(pid_t pid, const char *file, const char *key, char *out, size_t size)
{
	char path[64], buf[4096];

	snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, file);
	CHECK(read_file(path, buf, sizeof buf) > 0, "read %s: %s", path, strerror(errno));
	char *line = strstr(buf, key);
	CHECK(line, "no %s in %s", key, path);
	snprintf(out, size, "%.*s", (int)strcspn(line, "\n"), line);
}

enum handler_action { RAISE, KILL, ENABLE };

/*
 * One round of the handler flow: a toucher of 16 MiB in g (8 MiB, the
 * kernel's OOM killer disabled) stops at the limit; the eventfd says so,
 * oom_control shows under_oom 1, and the toucher's /proc files read at
 * once (it sleeps holding no lock). Then the handler resolves the OOM.
 */
static void handler_round(const char *g, enum handler_action action)
{
	struct in_group ig;
	struct chan ch;
	char buf[256], state[64];
	uint64_t v = 0;

	CHECK(cg_write(g, "memory.limit_in_bytes", "8M") == 0, "limit 8M: %s", strerror(errno));
	int efd = oom_eventfd(g);
	pid_t pid = start_toucher(&ig, &ch, g, 16);
	struct pollfd pfd = { .fd = efd, .events = POLLIN };
	CHECK(poll(&pfd, 1, 20000) == 1 && read(efd, &v, sizeof v) == sizeof v && v >= 1, "no OOM event");
	CHECK(cg_read(g, "memory.oom_control", buf, sizeof buf) > 0 && strstr(buf, "\nunder_oom 1\n"),
	      "oom_control at the OOM: '%s'", buf);
	snprintf(buf, sizeof buf, "/proc/%d/maps", (int)pid);
	char maps[8192];
	CHECK(read_file(buf, maps, sizeof maps) > 0 && strstr(maps, "[stack]"), "the toucher's maps");
	wait_state(pid, "D");	/* the event comes as its fault unwinds, before it goes to sleep */
	proc_line(pid, "status", "State:", state, sizeof state);
	CHECK(!strcmp(state, "State:\tD (disk sleep)"), "the stopped toucher's '%s'", state);
	CHECK(cg_num(g, "memory.failcnt") >= 1, "failcnt %lld at the OOM", cg_num(g, "memory.failcnt"));
	if (action == RAISE) {
		CHECK(cg_write(g, "memory.limit_in_bytes", "64M") == 0, "raising the limit: %s", strerror(errno));
		wait_word(&ch);		/* it has touched all of it */
		send_word(&ch);
		wait_word(&ch);
		send_word(&ch);
		expect_exit(reap(pid), 0, "the toucher, once the limit was raised");
	} else if (action == KILL) {
		kill(pid, SIGKILL);
		expect_signal(reap(pid), SIGKILL, "the toucher the handler killed");
	} else {
		CHECK(cg_write(g, "memory.oom_control", "0") == 0, "oom_kill_disable 0: %s", strerror(errno));
		expect_signal(reap(pid), SIGKILL, "the toucher, once the kernel's OOM killer was back");
		CHECK(cg_write(g, "memory.oom_control", "1") == 0, "oom_kill_disable 1 again");
	}
	close_chan(&ch);
	CHECK(cg_read(g, "memory.oom_control", buf, sizeof buf) > 0 && strstr(buf, "\nunder_oom 0\n"),
	      "oom_control after: '%s'", buf);
	CHECK(cg_num(g, "memory.usage_in_bytes") <= (on_linux ? SLACK / 8 : 0), "usage %lld after",
	      cg_num(g, "memory.usage_in_bytes"));
	close(efd);
}

/*
 * A user-space OOM handler's flow (cgroup v1, oom_kill_disable 1): the
 * group's task stops at the limit and the handler is told; raising the
 * limit lets it finish, killing it ends it, re-enabling the kernel's OOM
 * killer has the kernel kill it (oom_kill 1).
 */
static void t_memcg_v1_oom_handler(void)
{
	char dir[64], g[128], buf[256];
	long base = free_base();

	snprintf(dir, sizeof dir, "/tmp/ut-v1oom-%d", (int)getpid());
	snprintf(g, sizeof g, "%s/g", dir);
	v1_mount(dir);
	CHECK(mkdir(g, 0755) == 0, "mkdir %s: %s", g, strerror(errno));
	CHECK(cg_write(g, "memory.oom_control", "1") == 0, "oom_kill_disable 1: %s", strerror(errno));
	handler_round(g, RAISE);
	CHECK(cg_read(g, "memory.oom_control", buf, sizeof buf) > 0 && strstr(buf, "\noom_kill 0\n"), "'%s'", buf);
	handler_round(g, KILL);
	CHECK(cg_read(g, "memory.oom_control", buf, sizeof buf) > 0 && strstr(buf, "\noom_kill 0\n"), "'%s'", buf);
	handler_round(g, ENABLE);
	CHECK(cg_read(g, "memory.oom_control", buf, sizeof buf) > 0 && strstr(buf, "\noom_kill 1\n"),
	      "oom_control after the kernel's kill: '%s'", buf);
	CHECK(rmdir(g) == 0, "rmdir %s: %s", g, strerror(errno));
	v1_umount(dir);
	free_back(base);
}

const struct test memcg_tests[] = {
	T(memcg_files), T(memcg_reclaim_swap), T(memcg_limit_parse), T(memcg_current), T(memcg_limit), T(memcg_parent_limit),
	T(memcg_charges_stay), T(memcg_mm_owner), T(memcg_tmpfs), T(memcg_kernel), T(memcg_high), T(memcg_max_below_current), T(memcg_oom_adj), T(memcg_oom_group_parent), T(memcg_oom_nested),
	T(memcg_oom_kill), T(memcg_oom_parent), T(memcg_oom_group), T(memcg_v1), T(memcg_v1_oom_handler),
	{ NULL },
};
