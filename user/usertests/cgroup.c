/*
 * usertests: control groups, version 2, as mounted on /sys/fs/cgroup
 * (Linux's reference VM and usertests as pid 1 both mount it there, with
 * the memory controller enabled for the root's children): the files'
 * formats, parsing and errors, mkdir/rmdir, moving processes and threads,
 * fork, populated and zombies, cgroup.kill, the depth and descendant
 * limits, cgroup.subtree_control's rules, clone3()'s CLONE_INTO_CGROUP,
 * /proc/PID/cgroup and /proc/cgroups. The cg_* helpers serve memcg.c too.
 *
 * Every test makes its groups under the root with names of its own
 * (ut-NAME-PID), moves itself back to the root and removes them before it
 * returns.
 */
#include "usertests.h"
#include <dirent.h>
#include <poll.h>
#include <sys/statfs.h>
#include <sys/syscall.h>

#define CGROUP2_SUPER_MAGIC 0x63677270
#define CLONE_INTO_CGROUP_FLAG 0x200000000ULL

/* ---- helpers (usertests.h) ---- */

long cg_read(const char *dir, const char *file, char *buf, size_t size)
{
	char path[PATH_MAX];

	snprintf(path, sizeof path, "%s/%s", dir, file);
	return read_file(path, buf, size);
}

long cg_write(const char *dir, const char *file, const char *val)
{
	char path[PATH_MAX];
	long err = 0;

	snprintf(path, sizeof path, "%s/%s", dir, file);
	int fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	ssize_t n = write(fd, val, strlen(val));
	if (n < 0)
		err = -errno;
	else if ((size_t)n != strlen(val))
		err = -EIO;
	close(fd);
	return err;
}

long long cg_key(const char *dir, const char *file, const char *key)
{
	char buf[8192];
	size_t len = strlen(key);

	CHECK(cg_read(dir, file, buf, sizeof buf) >= 0, "read %s/%s: %s", dir, file, strerror(errno));
	for (char *line = buf; *line; line = strchr(line, '\n') + 1) {
		if (!strncmp(line, key, len) && line[len] == ' ')
			return atoll(line + len + 1);
		if (!strchr(line, '\n'))
			break;
	}
	return -1;
}

long long cg_num(const char *dir, const char *file)
{
	char buf[64];
	long n = cg_read(dir, file, buf, sizeof buf);

	CHECK(n > 0, "read %s/%s: %s", dir, file, res(n));
	return atoll(buf);
}

void cg_create(char *path, size_t size, const char *parent, const char *name)
{
	snprintf(path, size, "%s/ut-%s-%d", parent, name, (int)getpid());
	CHECK(mkdir(path, 0755) == 0, "mkdir %s: %s", path, strerror(errno));
}

void cg_enter(const char *dir)
{
	long err = cg_write(dir, "cgroup.procs", "0");
	CHECK(err == 0, "moving into %s: %s", dir, res(err));
}

void cg_destroy(const char *dir)
{
	cg_write(CG_ROOT, "cgroup.procs", "0");
	CHECK(rmdir(dir) == 0, "rmdir %s: %s", dir, strerror(errno));
}

/* Does /proc/PID/cgroup say "0::PATH" (PATH relative to the root)? */
static int in_cgroup(pid_t pid, const char *dir)
{
	char path[64], buf[512], want[256];

	snprintf(path, sizeof path, "/proc/%d/cgroup", (int)pid);
	CHECK(cg_read("", path + 1, buf, sizeof buf) > 0, "read %s: %s", path, strerror(errno));
	snprintf(want, sizeof want, "0::%s\n", dir[strlen(CG_ROOT)] ? dir + strlen(CG_ROOT) : "/");
	return strstr(buf, want) != NULL;
}

static int exists(const char *dir, const char *file)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof path, "%s/%s", dir, file);
	return stat(path, &st) == 0;
}

/* ---- the tests ---- */

/* cgroup2 on /sys/fs/cgroup: its magic, the root's files (and those only a child has), /proc's tables. */
static void t_cgroup_root(void)
{
	static const char *const root_files[] = { "cgroup.procs", "cgroup.threads", "cgroup.controllers",
		"cgroup.subtree_control", "cgroup.stat", "cgroup.max.depth", "cgroup.max.descendants",
		"memory.stat" };
	static const char *const child_only[] = { "cgroup.events", "cgroup.type", "cgroup.kill", "memory.current",
		"memory.max", "memory.events", "memory.peak" };
	struct statfs sf;
	struct stat st;
	char buf[4096];

	CHECK(statfs(CG_ROOT, &sf) == 0 && sf.f_type == CGROUP2_SUPER_MAGIC, "statfs type %#lx", (long)sf.f_type);
	CHECK(stat(CG_ROOT, &st) == 0 && st.st_mode == (S_IFDIR | 0555), "root mode %o", st.st_mode);
	for (size_t i = 0; i < sizeof root_files / sizeof *root_files; i++)
		CHECK(exists(CG_ROOT, root_files[i]), "no %s in the root", root_files[i]);
	for (size_t i = 0; i < sizeof child_only / sizeof *child_only; i++)
		CHECK(!exists(CG_ROOT, child_only[i]), "the root has %s", child_only[i]);
	CHECK(cg_read(CG_ROOT, "cgroup.controllers", buf, sizeof buf) > 0 && strstr(buf, "memory"),
	      "controllers '%s'", buf);
	CHECK(cg_read(CG_ROOT, "cgroup.max.depth", buf, sizeof buf) > 0 && !strcmp(buf, "max\n"), "'%s'", buf);
	CHECK(cg_read("/proc", "mounts", buf, sizeof buf) > 0 && strstr(buf, " /sys/fs/cgroup cgroup2 rw,"),
	      "no cgroup2 line in /proc/mounts");
	CHECK(cg_read("/proc", "filesystems", buf, sizeof buf) > 0 && strstr(buf, "nodev\tcgroup\n") &&
	      strstr(buf, "nodev\tcgroup2\n"), "/proc/filesystems lacks cgroup or cgroup2");
	CHECK(cg_read("/proc", "cgroups", buf, sizeof buf) > 0 &&
	      !strncmp(buf, "#subsys_name\thierarchy\tnum_cgroups\tenabled\n", 43), "/proc/cgroups: %.60s", buf);
	CHECK(strstr(buf, "\nmemory\t0\t"), "/proc/cgroups has no memory line of hierarchy 0");
	CHECK(cg_read("/proc", "swaps", buf, sizeof buf) > 0 &&
	      !strcmp(buf, "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"), "/proc/swaps: '%s'", buf);
	CHECK(in_cgroup(getpid(), CG_ROOT), "/proc/self/cgroup is not 0::/");
}

/* A new group's files and their first values; what cannot be made, moved or removed inside one. */
static void t_cgroup_mkdir(void)
{
	char g[256], sub[300], buf[256], path[512];
	struct stat st;

	cg_create(g, sizeof g, CG_ROOT, "mkdir");
	CHECK(stat(g, &st) == 0 && st.st_mode == (S_IFDIR | 0755) && st.st_nlink == 2, "mode %o links %ld",
	      st.st_mode, (long)st.st_nlink);
	CHECK(cg_read(g, "cgroup.type", buf, sizeof buf) > 0 && !strcmp(buf, "domain\n"), "type '%s'", buf);
	CHECK(cg_read(g, "cgroup.events", buf, sizeof buf) > 0 && !strcmp(buf, "populated 0\nfrozen 0\n"),
	      "events '%s'", buf);
	CHECK(cg_read(g, "cgroup.procs", buf, sizeof buf) == 0, "procs of a new group: '%s'", buf);
	CHECK(cg_read(g, "cgroup.controllers", buf, sizeof buf) > 0 && !strcmp(buf, "memory\n"), "'%s'", buf);
	CHECK(cg_read(g, "cgroup.subtree_control", buf, sizeof buf) == 0, "subtree_control '%s'", buf);
	CHECK(cg_read(g, "cgroup.stat", buf, sizeof buf) > 0 &&
	      !strcmp(buf, "nr_descendants 0\nnr_dying_descendants 0\n"), "stat '%s'", buf);
	CHECK(stat(strcat(strcpy(path, g), "/memory.max"), &st) == 0 && st.st_mode == (S_IFREG | 0644) &&
	      st.st_size == 0, "memory.max: mode %o", st.st_mode);
	CHECK(stat(strcat(strcpy(path, g), "/cgroup.kill"), &st) == 0 && st.st_mode == (S_IFREG | 0200), "kill %o",
	      st.st_mode);
	CHECK(stat(strcat(strcpy(path, g), "/cgroup.events"), &st) == 0 && st.st_mode == (S_IFREG | 0444), "%o",
	      st.st_mode);
	/* Files are the kernel's: none made or removed by hand, the group not renamed. */
	CHECK(open(strcat(strcpy(path, g), "/newfile"), O_CREAT | O_WRONLY, 0644) < 0 && errno == EACCES,
	      "creating a file: not EACCES");
	CHECK(unlink(strcat(strcpy(path, g), "/memory.max")) < 0 && errno == EPERM, "unlink: not EPERM");
	CHECK(rmdir(strcat(strcpy(path, g), "/memory.max")) < 0 && errno == ENOTDIR, "rmdir of a file");
	CHECK(mkdir(strcat(strcpy(path, g), "/memory.max"), 0755) < 0 && errno == EEXIST, "mkdir over a file");
	snprintf(sub, sizeof sub, "%s/a b", g);
	CHECK(mkdir(sub, 0700) == 0, "mkdir of a name with a space: %s", strerror(errno));
	CHECK(stat(sub, &st) == 0 && st.st_mode == (S_IFDIR | 0700), "mode %o", st.st_mode);
	CHECK(cg_key(g, "cgroup.stat", "nr_descendants") == 1, "nr_descendants with one child");
	CHECK(rmdir(g) < 0 && errno == EBUSY, "rmdir of a group with a child: not EBUSY");
	CHECK(rmdir(sub) == 0, "rmdir %s: %s", sub, strerror(errno));
	CHECK(cg_key(g, "cgroup.stat", "nr_descendants") == 0, "nr_descendants after rmdir");
	CHECK(rmdir(sub) < 0 && errno == ENOENT, "rmdir twice: not ENOENT");
	CHECK(rmdir(g) == 0, "rmdir %s: %s", g, strerror(errno));
	CHECK(stat(g, &st) < 0 && errno == ENOENT, "the group is still there");
}

/* Writes to cgroup.procs: its errors, 0 for the writer, a pid for another process; /proc/PID/cgroup follows. */
static void t_cgroup_procs(void)
{
	char g[256], buf[256], pidstr[16];
	static const struct { const char *in; int err; } bad[] = {
		{ "abc", EINVAL }, { "-5", EINVAL }, { "99999999", ESRCH }, { " ", EINVAL }, { "12abc", EINVAL },
		{ "1 2", EINVAL },
	};

	cg_create(g, sizeof g, CG_ROOT, "procs");
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		long err = cg_write(g, "cgroup.procs", bad[i].in);
		CHECK(err == -bad[i].err, "writing '%s': %s, expected %s", bad[i].in, res(err), strerror(bad[i].err));
	}
	CHECK(cg_write(g, "cgroup.procs", "") == 0, "an empty write");
	pid_t child = spawn(sleep_forever_arg, 0);
	snprintf(pidstr, sizeof pidstr, "%d\n", (int)child);
	CHECK(cg_write(g, "cgroup.procs", pidstr) == 0, "moving the child: %s", strerror(errno));
	CHECK(in_cgroup(child, g) && in_cgroup(getpid(), CG_ROOT), "/proc/PID/cgroup after the move");
	CHECK(cg_read(g, "cgroup.procs", buf, sizeof buf) > 0 && atoi(buf) == child && !strchr(buf, ' ') &&
	      strlen(buf) == strlen(pidstr), "procs '%s', expected %d", buf, (int)child);
	CHECK(cg_key(g, "cgroup.events", "populated") == 1, "populated with a task in it");
	cg_enter(g);
	CHECK(in_cgroup(getpid(), g), "/proc/self/cgroup after writing 0");
	CHECK(cg_read(g, "cgroup.threads", buf, sizeof buf) > 0 && strstr(buf, pidstr), "threads '%s'", buf);
	CHECK(rmdir(g) < 0 && errno == EBUSY, "rmdir of a populated group: not EBUSY");
	kill(child, SIGKILL);
	reap(child);
	cg_destroy(g);
	CHECK(in_cgroup(getpid(), CG_ROOT), "back in the root");
}

static void *thread_sleeps(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

/* A process moves with all its threads; a thread alone cannot leave its process's domain (EOPNOTSUPP). */
static void t_cgroup_threads(void)
{
	char g[256], buf[256], tid[16], path[64];
	pthread_t th;
	volatile pid_t t = 0;

	cg_create(g, sizeof g, CG_ROOT, "threads");
	CHECK(pthread_create(&th, NULL, thread_sleeps, NULL) == 0, "pthread_create");
	for (DIR *d = opendir("/proc/self/task"); d; closedir(d), d = NULL) {
		struct dirent *e;
		while ((e = readdir(d)))
			if (atoi(e->d_name) > 0 && atoi(e->d_name) != getpid())
				t = atoi(e->d_name);
	}
	CHECK(t > 0, "no second thread in /proc/self/task");
	snprintf(tid, sizeof tid, "%d", (int)t);
	CHECK(cg_write(g, "cgroup.threads", tid) == -EOPNOTSUPP, "moving one thread: not EOPNOTSUPP");
	CHECK(cg_write(g, "cgroup.procs", tid) == 0, "cgroup.procs with a thread's id: %s", strerror(errno));
	snprintf(path, sizeof path, "/proc/self/task/%d/cgroup", (int)t);
	CHECK(cg_read("", path + 1, buf, sizeof buf) > 0 && strstr(buf, g + strlen(CG_ROOT)), "thread: '%s'", buf);
	CHECK(in_cgroup(getpid(), g), "the process did not move with its thread");
	CHECK(cg_read(g, "cgroup.procs", buf, sizeof buf) > 0 && atoi(buf) == getpid() &&
	      strchr(buf, '\n') == buf + strlen(buf) - 1, "procs: '%s', one line expected", buf);
	CHECK(cg_read(g, "cgroup.threads", buf, sizeof buf) > 0 && strstr(buf, tid), "threads '%s'", buf);
	/* Moving a thread to where it is already is no move at all. */
	CHECK(cg_write(g, "cgroup.threads", tid) == 0, "a thread to its own group: %s", strerror(errno));
	cg_destroy(g);
}

/* In the group: a grandchild that sleeps, its pid through the pipe, then wait for it. */
static void fork_and_report(long fd)
{
	pid_t pid = spawn(sleep_forever_arg, 0);
	CHECK(write((int)fd, &pid, sizeof pid) == sizeof pid, "report");
	expect_signal(reap(pid), SIGKILL, "the grandchild");
}

/* A child starts in its parent's group, and so does the child's child. */
static void t_cgroup_fork_inherits(void)
{
	char g[256];
	pid_t grandchild;
	int p[2];

	cg_create(g, sizeof g, CG_ROOT, "fork");
	cg_enter(g);
	CHECK(pipe(p) == 0, "pipe");
	pid_t child = spawn(fork_and_report, p[1]);
	cg_enter(CG_ROOT);
	CHECK(read(p[0], &grandchild, sizeof grandchild) == sizeof grandchild, "the grandchild's pid");
	CHECK(in_cgroup(child, g), "the child is not in its parent's group");
	CHECK(in_cgroup(grandchild, g), "the grandchild is not in its parent's group");
	kill(grandchild, SIGKILL);
	expect_exit(reap(child), 0, "the child");
	close2(p);
	cg_destroy(g);
}

/* Wait until pid is a zombie (/proc/PID/stat's state Z): exited, not reaped. */
static void wait_zombie(pid_t pid)
{
	char path[64], buf[512];

	snprintf(path, sizeof path, "proc/%d/stat", (int)pid);
	for (int i = 0; i < 1000; i++) {
		CHECK(cg_read("", path, buf, sizeof buf) > 0, "read /%s: %s", path, strerror(errno));
		char *state = strrchr(buf, ')');
		if (state && state[2] == 'Z')
			return;
		usleep(10000);
	}
	fail("%d did not become a zombie", (int)pid);
}

/* A group whose tasks all exited is not populated, zombies or not; it can go before they are reaped. */
static void t_cgroup_populated_zombie(void)
{
	char g[256], sub[300], buf[256];

	cg_create(g, sizeof g, CG_ROOT, "zombie");
	snprintf(sub, sizeof sub, "%s/sub", g);
	CHECK(mkdir(sub, 0755) == 0, "mkdir %s", sub);
	cg_enter(sub);
	pid_t child = spawn(exit_now, 3);
	cg_enter(CG_ROOT);
	wait_zombie(child);
	CHECK(cg_read(sub, "cgroup.events", buf, sizeof buf) > 0 && !strcmp(buf, "populated 0\nfrozen 0\n"),
	      "a zombie's group: '%s'", buf);
	CHECK(cg_key(g, "cgroup.events", "populated") == 0, "the parent group is still populated");
	CHECK(cg_read(sub, "cgroup.procs", buf, sizeof buf) == 0, "procs lists the zombie: '%s'", buf);
	CHECK(in_cgroup(child, sub), "the zombie left its group");
	CHECK(rmdir(sub) == 0, "rmdir with a zombie in it: %s", strerror(errno));
	CHECK(cg_key(g, "cgroup.stat", "nr_descendants") == 0, "the removed group is still counted as live");
	expect_exit(reap(child), 3, "the zombie");
	CHECK(rmdir(g) == 0, "rmdir %s: %s", g, strerror(errno));
}

static void forker_sleeps(long n)
{
	for (long i = 0; i < n; i++)
		spawn(sleep_forever_arg, 0);
	sleep_forever();
}

/* cgroup.kill: SIGKILL to every process of the group and of the groups below; its parsing. */
static void t_cgroup_kill(void)
{
	char g[256], sub[300], buf[64];
	static const struct { const char *in; int err; } bad[] = {
		{ "0", ERANGE }, { "2", ERANGE }, { "abc", EINVAL }, { "-1", ERANGE },
	};

	cg_create(g, sizeof g, CG_ROOT, "kill");
	snprintf(sub, sizeof sub, "%s/sub", g);
	CHECK(mkdir(sub, 0755) == 0, "mkdir %s", sub);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		CHECK(cg_write(g, "cgroup.kill", bad[i].in) == -bad[i].err, "writing '%s'", bad[i].in);
	CHECK(cg_read(g, "cgroup.kill", buf, sizeof buf) == -EINVAL, "reading cgroup.kill: not EINVAL");
	cg_enter(sub);
	pid_t a = spawn(forker_sleeps, 2);	/* its children are reparented to init when it dies */
	cg_enter(g);
	pid_t b = spawn(sleep_forever_arg, 0);
	cg_enter(CG_ROOT);
	CHECK(cg_write(g, "cgroup.kill", "1\n") == 0, "writing 1: %s", strerror(errno));
	expect_signal(reap(a), SIGKILL, "the process below");
	expect_signal(reap(b), SIGKILL, "the process in the group");
	for (int i = 0; i < 1000 && cg_key(g, "cgroup.events", "populated"); i++)
		usleep(10000);		/* the grandchildren die as soon as they run, init reaps them */
	CHECK(cg_key(g, "cgroup.events", "populated") == 0, "still populated after cgroup.kill");
	CHECK(rmdir(sub) == 0 && rmdir(g) == 0, "rmdir: %s", strerror(errno));
}

/* cgroup.max.depth and cgroup.max.descendants: "max" or a count, and mkdir's EAGAIN beyond them. */
static void t_cgroup_max(void)
{
	char g[256], a[300], b[300], c[300], buf[64];
	static const struct { const char *in; int err; const char *out; } vals[] = {
		{ "2", 0, "2\n" }, { " 3 ", 0, "3\n" }, { "0x4", 0, "4\n" }, { "max\n", 0, "max\n" },
		{ "2147483647", 0, "max\n" }, { "-1", ERANGE, NULL }, { "abc", EINVAL, NULL },
		{ "2147483648", ERANGE, NULL },
	};

	cg_create(g, sizeof g, CG_ROOT, "max");
	for (int f = 0; f < 2; f++) {
		const char *file = f ? "cgroup.max.descendants" : "cgroup.max.depth";
		CHECK(cg_read(g, file, buf, sizeof buf) > 0 && !strcmp(buf, "max\n"), "%s: '%s'", file, buf);
		for (size_t i = 0; i < sizeof vals / sizeof *vals; i++) {
			long err = cg_write(g, file, vals[i].in);
			CHECK(err == -vals[i].err, "%s '%s': %s", file, vals[i].in, res(err));
			CHECK(!vals[i].out || (cg_read(g, file, buf, sizeof buf) > 0 && !strcmp(buf, vals[i].out)),
			      "%s after '%s': '%s'", file, vals[i].in, buf);
		}
	}
	snprintf(a, sizeof a, "%s/a", g);
	snprintf(b, sizeof b, "%s/a/b", g);
	snprintf(c, sizeof c, "%s/c", g);
	CHECK(cg_write(g, "cgroup.max.depth", "1") == 0, "depth 1");
	CHECK(mkdir(a, 0755) == 0, "a child at depth 1: %s", strerror(errno));
	CHECK(mkdir(b, 0755) < 0 && errno == EAGAIN, "a grandchild beyond max.depth: not EAGAIN");
	CHECK(cg_write(g, "cgroup.max.depth", "max") == 0 && mkdir(b, 0755) == 0, "depth max");
	CHECK(cg_write(g, "cgroup.max.descendants", "2") == 0, "descendants 2");
	CHECK(mkdir(c, 0755) < 0 && errno == EAGAIN, "a third descendant: not EAGAIN");
	CHECK(cg_write(a, "cgroup.max.descendants", "0") == 0 && rmdir(b) == 0, "descendants of a: 0");
	CHECK(mkdir(b, 0755) < 0 && errno == EAGAIN, "a child of a group with max.descendants 0");
	CHECK(mkdir(c, 0755) == 0, "c: %s", strerror(errno));
	CHECK(rmdir(c) == 0 && rmdir(a) == 0 && rmdir(g) == 0, "rmdir: %s", strerror(errno));
}

/* cgroup.subtree_control: its syntax, ENOENT, the no-internal-process rule both ways (EBUSY), and the files. */
static void t_cgroup_subtree_control(void)
{
	char g[256], sub[300], buf[256];
	static const struct { const char *in; int err; } bad[] = {
		{ "memory", EINVAL }, { "+foo", EINVAL }, { "+", EINVAL }, { "+memory,+memory", EINVAL },
		{ "+memory\t-memory", EINVAL }, { "+cpu", ENOENT }, { "+pids", ENOENT }, { "+io", ENOENT },
		{ "+cpu +foo", EINVAL },
	};

	cg_create(g, sizeof g, CG_ROOT, "subtree");
	snprintf(sub, sizeof sub, "%s/sub", g);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		CHECK(cg_write(g, "cgroup.subtree_control", bad[i].in) == -bad[i].err, "writing '%s'", bad[i].in);
	/* A controller Linux knows but this group's parent does not offer: nothing to enable or disable. */
	CHECK(cg_write(g, "cgroup.subtree_control", "+cpu -cpu") == 0 && cg_write(g, "cgroup.subtree_control",
	      "-pids") == 0, "-cpu, -pids: not 0");
	CHECK(cg_write(g, "cgroup.subtree_control", "+memory -memory") == 0, "+memory -memory");
	CHECK(cg_read(g, "cgroup.subtree_control", buf, sizeof buf) == 0, "after +memory -memory: '%s'", buf);
	CHECK(cg_write(g, "cgroup.subtree_control", "  -memory +memory \n") == 0, "-memory +memory");
	CHECK(cg_read(g, "cgroup.subtree_control", buf, sizeof buf) > 0 && !strcmp(buf, "memory\n"), "'%s'", buf);
	CHECK(mkdir(sub, 0755) == 0, "mkdir: %s", strerror(errno));
	CHECK(exists(sub, "memory.max") && exists(sub, "memory.current"), "no memory files below +memory");
	CHECK(cg_read(sub, "cgroup.controllers", buf, sizeof buf) > 0 && !strcmp(buf, "memory\n"), "'%s'", buf);
	/* No process may sit in a group that hands controllers to its children. */
	CHECK(cg_write(g, "cgroup.procs", "0") == -EBUSY, "entering a group with subtree_control: not EBUSY");
	CHECK(cg_write(sub, "cgroup.subtree_control", "+memory") == 0, "+memory below");
	CHECK(cg_write(g, "cgroup.subtree_control", "-memory") == -EBUSY, "-memory while a child uses it");
	CHECK(cg_write(sub, "cgroup.subtree_control", "-memory") == 0, "-memory below");
	CHECK(cg_write(g, "cgroup.subtree_control", "-memory") == 0 && cg_write(g, "cgroup.subtree_control",
	      "-memory") == 0, "-memory twice");
	CHECK(!exists(sub, "memory.max") && exists(sub, "cgroup.procs"), "memory files without the controller");
	CHECK(cg_read(sub, "cgroup.controllers", buf, sizeof buf) == 0, "controllers '%s'", buf);
	CHECK(cg_write(sub, "cgroup.subtree_control", "+memory") == -ENOENT, "enabling what the parent lacks");
	cg_enter(sub);
	CHECK(cg_write(sub, "cgroup.subtree_control", "+memory") == -ENOENT, "still ENOENT with a task");
	cg_enter(g);
	CHECK(cg_write(g, "cgroup.subtree_control", "+memory") == -EBUSY, "enabling with a task in the group");
	CHECK(cg_write(g, "cgroup.subtree_control", "-memory") == 0, "disabling what is not enabled");
	cg_enter(CG_ROOT);
	CHECK(rmdir(sub) == 0, "rmdir sub: %s", strerror(errno));
	cg_destroy(g);
}

/* The read-only files refuse writes with EINVAL; cgroup.type takes no other word than "threaded". */
static void t_cgroup_file_errors(void)
{
	static const char *const ro[] = { "cgroup.events", "cgroup.stat", "cgroup.controllers", "memory.current",
		"memory.peak", "memory.events", "memory.stat" };
	char g[256];

	cg_create(g, sizeof g, CG_ROOT, "ro");
	for (size_t i = 0; i < sizeof ro / sizeof *ro; i++)
		CHECK(cg_write(g, ro[i], "1") == -EINVAL, "writing %s: not EINVAL", ro[i]);
	CHECK(cg_write(g, "cgroup.type", "domain") == -EINVAL, "cgroup.type domain: not EINVAL");
	CHECK(cg_write(g, "cgroup.type", "abc") == -EINVAL, "cgroup.type abc: not EINVAL");
	cg_destroy(g);
}

/* A removed group's files, still open: reads and writes fail with ENODEV; close works. */
static void t_cgroup_file_after_rmdir(void)
{
	char g[256], path[300], buf[64];

	cg_create(g, sizeof g, CG_ROOT, "gone");
	int fd = open(strcat(strcpy(path, g), "/memory.max"), O_RDWR);
	int procs = open(strcat(strcpy(path, g), "/cgroup.procs"), O_RDONLY);
	CHECK(fd >= 0 && procs >= 0, "open: %s", strerror(errno));
	CHECK(pread(fd, buf, sizeof buf, 0) == 4 && !memcmp(buf, "max\n", 4), "memory.max before rmdir");
	CHECK(rmdir(g) == 0, "rmdir %s with files open: %s", g, strerror(errno));
	CHECK(pread(fd, buf, sizeof buf, 0) < 0 && errno == ENODEV, "read after rmdir: not ENODEV");
	CHECK(read(procs, buf, sizeof buf) < 0 && errno == ENODEV, "cgroup.procs after rmdir: not ENODEV");
	CHECK(pwrite(fd, "max\n", 4, 0) < 0 && errno == ENODEV, "write after rmdir: not ENODEV");
	CHECK(close(fd) == 0 && close(procs) == 0, "close: %s", strerror(errno));
}

/* A controller disabled for a group: its files there, still open, fail with ENODEV; the core files go on. */
static void t_cgroup_file_controller_off(void)
{
	char p[256], c[300], path[350], buf[64];

	cg_create(p, sizeof p, CG_ROOT, "ctl-off");
	snprintf(c, sizeof c, "%s/c", p);
	CHECK(cg_write(p, "cgroup.subtree_control", "+memory") == 0 && mkdir(c, 0755) == 0, "the child group");
	int fd = open(strcat(strcpy(path, c), "/memory.max"), O_RDWR);
	int events = open(strcat(strcpy(path, c), "/cgroup.events"), O_RDONLY);
	CHECK(fd >= 0 && events >= 0 && pread(fd, buf, sizeof buf, 0) == 4, "memory.max before: %s", strerror(errno));
	CHECK(cg_write(p, "cgroup.subtree_control", "-memory") == 0, "-memory: %s", strerror(errno));
	CHECK(pread(fd, buf, sizeof buf, 0) < 0 && errno == ENODEV, "memory.max after -memory: not ENODEV");
	CHECK(pwrite(fd, "max\n", 4, 0) < 0 && errno == ENODEV, "writing memory.max after -memory: not ENODEV");
	CHECK(pread(events, buf, sizeof buf, 0) > 0, "cgroup.events after -memory: %s", strerror(errno));
	close(fd);
	close(events);
	CHECK(rmdir(c) == 0, "rmdir %s: %s", c, strerror(errno));
	cg_destroy(p);
}

/* open(O_PATH): an fd that names a cgroup directory (or any file) without opening it, as Linux's. */
static void t_cgroup_opath(void)
{
	char g[256], buf[64];
	struct stat st;

	cg_create(g, sizeof g, CG_ROOT, "opath");
	int fd = open(g, O_PATH | O_DIRECTORY | O_CLOEXEC);
	CHECK(fd >= 0, "open(O_PATH): %s", strerror(errno));
	CHECK(RAW(SYS_read, fd, buf, 1) == -EBADF, "read from an O_PATH fd: not EBADF");
	CHECK(RAW(SYS_getdents64, fd, buf, sizeof buf) == -EBADF, "getdents64 of an O_PATH fd: not EBADF");
	CHECK(fstat(fd, &st) == 0 && S_ISDIR(st.st_mode), "fstat: %s", strerror(errno));
	CHECK(fcntl(fd, F_GETFD) == FD_CLOEXEC && (fcntl(fd, F_GETFL) & O_PATH), "fcntl F_GETFD/F_GETFL");
	CHECK(fcntl(fd, F_SETFL, O_NONBLOCK) < 0 && errno == EBADF, "F_SETFL on an O_PATH fd: not EBADF");
	int pfd = openat(fd, "cgroup.procs", O_RDONLY);
	CHECK(pfd >= 0 && read(pfd, buf, sizeof buf) == 0, "a file below the O_PATH fd: %s", strerror(errno));
	close(pfd);
	int dup_fd = dup(fd);
	CHECK(dup_fd >= 0, "dup of an O_PATH fd: %s", strerror(errno));
	close(dup_fd);
	CHECK(open(g, O_PATH | O_DIRECTORY) >= 0 && open("/proc/self/exe", O_PATH | O_DIRECTORY) < 0 &&
	      errno == ENOTDIR, "O_PATH | O_DIRECTORY of a file: not ENOTDIR");
	int ffd = open("/proc/self/exe", O_PATH);
	CHECK(ffd >= 0 && RAW(SYS_read, ffd, buf, 1) == -EBADF, "a file opened with O_PATH reads: not EBADF");
	close(ffd);
	close(fd);
	cg_destroy(g);
}

struct clone_args_v2 {
	unsigned long long flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid,
		set_tid_size, cgroup;
};

/* clone3() as a fork; in the child, report where it started and exit. */
static long clone3_report(struct clone_args_v2 *args, size_t size, int report_fd)
{
	long pid = RAW(SYS_clone3, args, size);

	if (pid == 0) {
		char buf[256];
		int fd = open("/proc/self/cgroup", O_RDONLY);
		ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
		if (write(report_fd, buf, n > 0 ? n : 0) < 0)
			_exit(2);
		_exit(0);
	}
	return pid;
}

/* clone3() with CLONE_INTO_CGROUP: the child starts in the group its fd names; the errors. */
static void t_cgroup_clone3(void)
{
	char g[256], sub[300], buf[512] = "", want[300];
	struct clone_args_v2 args = { .flags = CLONE_INTO_CGROUP_FLAG, .exit_signal = SIGCHLD };
	int p[2];

	cg_create(g, sizeof g, CG_ROOT, "clone3");
	int cfd = open(g, O_PATH | O_DIRECTORY | O_CLOEXEC);
	CHECK(cfd >= 0, "open(O_PATH) of a cgroup directory: %s", strerror(errno));
	CHECK(pipe(p) == 0, "pipe");
	args.cgroup = cfd;
	long pid = clone3_report(&args, sizeof args, p[1]);
	CHECK(pid > 0, "clone3: %s", res(pid));
	expect_exit(reap(pid), 0, "the clone3 child");
	CHECK(read(p[0], buf, sizeof buf - 1) > 0, "the child's report");
	snprintf(want, sizeof want, "0::%s\n", g + strlen(CG_ROOT));
	CHECK(strstr(buf, want), "the child started in '%s', not %s", buf, g);
	CHECK(in_cgroup(getpid(), CG_ROOT), "the parent moved");
	/* Errors, as Linux's. */
	args.cgroup = 999;
	CHECK(RAW(SYS_clone3, &args, sizeof args) == -EBADF, "a bad fd");
	int tfd = open("/tmp", O_RDONLY | O_DIRECTORY);
	args.cgroup = tfd;
	CHECK(RAW(SYS_clone3, &args, sizeof args) == -EBADF, "a directory that is no cgroup");
	close(tfd);
	snprintf(sub, sizeof sub, "%s/memory.max", g);
	int ffd = open(sub, O_RDONLY);
	args.cgroup = ffd;
	CHECK(RAW(SYS_clone3, &args, sizeof args) == -EBADF, "a control file's fd");
	close(ffd);
	args.cgroup = cfd;
	CHECK(RAW(SYS_clone3, &args, 63) == -EINVAL, "a struct smaller than the first version");
	CHECK(RAW(SYS_clone3, &args, 64) == -EINVAL, "CLONE_INTO_CGROUP in a struct without the cgroup field");
	CHECK(RAW(SYS_clone3, 1, sizeof args) == -EFAULT, "a bad pointer");
	CHECK(RAW(SYS_clone3, &args, 5000) == -E2BIG, "more than a page");
	args.exit_signal = 65;
	CHECK(RAW(SYS_clone3, &args, sizeof args) == -EINVAL, "exit signal 65");
	args.exit_signal = SIGCHLD;
	args.flags = 1ULL << 40;
	CHECK(RAW(SYS_clone3, &args, sizeof args) == -EINVAL, "an unknown flag");
	args.flags = SIGCHLD;
	CHECK(RAW(SYS_clone3, &args, sizeof args) == -EINVAL, "a signal in the flags");
	args.flags = CLONE_INTO_CGROUP_FLAG;
	/* A group that hands controllers to its children takes no process, forked in or moved. */
	snprintf(sub, sizeof sub, "%s/sub", g);
	CHECK(mkdir(sub, 0755) == 0 && cg_write(g, "cgroup.subtree_control", "+memory") == 0, "+memory");
	CHECK(RAW(SYS_clone3, &args, sizeof args) == -EBUSY, "into a group with subtree_control: not EBUSY");
	CHECK(cg_write(g, "cgroup.subtree_control", "-memory") == 0 && rmdir(sub) == 0, "cleanup");
	close(cfd);
	close2(p);
	cg_destroy(g);
	no_children_left();
}

/* clone3() as a fork: a longer struct is fine with zeros past the known fields, not with a non-zero byte. */
static void t_clone3_args(void)
{
	unsigned long long big[32] = { 0 };
	struct clone_args_v2 *args = (struct clone_args_v2 *)big;

	args->exit_signal = SIGCHLD;
	long pid = RAW(SYS_clone3, big, sizeof big);
	if (pid == 0)
		_exit(7);
	CHECK(pid > 0, "clone3 with a zero tail: %s", res(pid));
	expect_exit(reap(pid), 7, "the child");
	pid = RAW(SYS_clone3, big, 64);
	if (pid == 0)
		_exit(8);
	CHECK(pid > 0, "clone3 with the first version's size: %s", res(pid));
	expect_exit(reap(pid), 8, "the child");
	signal(64, SIG_IGN);
	args->exit_signal = 64;		/* the last signal */
	pid = RAW(SYS_clone3, big, sizeof big);
	if (pid == 0)
		_exit(9);
	CHECK(pid > 0, "clone3 with exit signal 64: %s", res(pid));
	int st;
	CHECK(waitpid(pid, &st, __WALL) == pid, "waitpid(__WALL): %s", strerror(errno));
	expect_exit(st, 9, "the child with exit signal 64");
	args->exit_signal = SIGCHLD;
	big[20] = 1;
	CHECK(RAW(SYS_clone3, big, sizeof big) == -E2BIG, "a non-zero byte past the known fields: not E2BIG");
	big[20] = 0;
	args->stack = 0x10000;
	CHECK(RAW(SYS_clone3, big, sizeof big) == -EINVAL, "a stack without a size");
	args->stack = 0;
	/* set_tid: a pid that cannot be, 0 or pid_max (pids are below it), is EINVAL. */
	char buf[32];
	CHECK(read_file("/proc/sys/kernel/pid_max", buf, sizeof buf) > 0, "pid_max: %s", strerror(errno));
	pid_t tids[2] = { (pid_t)atol(buf), 0 };
	for (int i = 0; i < 2; i++) {
		args->set_tid = (unsigned long)&tids[i];
		args->set_tid_size = 1;
		pid = RAW(SYS_clone3, big, sizeof big);
		if (pid == 0)
			_exit(0);
		if (pid > 0)
			reap(pid);
		CHECK(pid == -EINVAL, "clone3 with set_tid %d: %s, not EINVAL", tids[i], res(pid));
	}
	/* A pid in use is EEXIST, found late in the fork: all it had made so far is undone (free memory). */
	tids[0] = getpid();
	args->set_tid = (unsigned long)&tids[0];
	for (int i = 0; i < 500; i++) {
		pid = RAW(SYS_clone3, big, sizeof big);
		if (pid == 0)
			_exit(0);
		CHECK(pid == -EEXIST, "clone3 with set_tid our pid: %s, not EEXIST", res(pid));
	}
	no_children_left();
}

const struct test cgroup_tests[] = {
	T(cgroup_root), T(cgroup_mkdir), T(cgroup_procs), T(cgroup_threads), T(cgroup_fork_inherits),
	T(cgroup_populated_zombie), T(cgroup_kill), T(cgroup_max), T(cgroup_subtree_control),
	T(cgroup_file_errors), T(cgroup_file_after_rmdir), T(cgroup_file_controller_off), T(cgroup_opath), T(cgroup_clone3), T(clone3_args),
	{ NULL },
};
