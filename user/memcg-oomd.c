/*
 * memcg-oomd: a small user-space OOM handler for a cgroup v1 memory group,
 * the case the memcg OOM unwind is about. It disables the kernel's OOM
 * killer for the group (memory.oom_control: oom_kill_disable 1), registers
 * an eventfd for the group's OOM (cgroup.event_control), and waits. When
 * the group's tasks stop at its limit, it reads /proc/PID/status and
 * /proc/PID/maps of each of them (they sleep holding no lock, so these
 * reads do not block), logs what it found and what it decides, and
 * resolves the OOM in one of three ways:
 *
 *   memcg-oomd DIR raise BYTES   raise memory.limit_in_bytes: the tasks go on
 *   memcg-oomd DIR kill          SIGKILL the task with the largest VmRSS
 *   memcg-oomd DIR enable        hand the OOM back to the kernel (oom_kill_disable 0)
 *
 * memcg-oomd --demo ACTION... mounts the v1 hierarchy on /tmp/memcg-oomd,
 * makes a group of 8 MiB, starts a hog of 16 MiB in it and handles its OOM
 * with each ACTION in turn ("raise" raises to 64 MiB), printing
 * "memcg-oomd: demo ACTION: OK" when the hog ended as it should (raise:
 * it finished; kill and enable: SIGKILL). The same binary runs on Linux
 * 6.1 and on Folio, with the same outcome.
 */
#include "ulib.h"
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/stat.h>

#define DEMO_DIR "/tmp/memcg-oomd"
#define MIB (1L << 20)

static int write_str(const char *dir, const char *file, const char *val)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, file);
	int fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	int err = write(fd, val, strlen(val)) < 0 ? -errno : 0;
	close(fd);
	return err;
}

static long read_str(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	long len = 0, n;

	if (fd < 0)
		return -errno;
	while (len < (long)size - 1 && (n = read(fd, buf + len, size - 1 - len)) > 0)
		len += n;
	close(fd);
	buf[len] = 0;
	return len;
}

/* Disable the kernel's OOM killer for dir and register an eventfd for its OOM. */
static int watch(const char *dir)
{
	char path[512], line[64];
	int efd = eventfd(0, 0);

	snprintf(path, sizeof path, "%s/memory.oom_control", dir);
	int ofd = open(path, O_RDONLY);
	if (efd < 0 || ofd < 0 || write_str(dir, "memory.oom_control", "1"))
		return -1;
	snprintf(line, sizeof line, "%d %d", efd, ofd);
	int err = write_str(dir, "cgroup.event_control", line);
	close(ofd);
	return err ? -1 : efd;
}

/* What the handler learns of one task: /proc/PID/status's Name, State and VmRSS, and its mappings. */
struct task_info {
	int pid;
	char name[32], state[32];
	long rss_kb, mappings;
};

static void field(const char *status, const char *key, char *out, size_t size)
{
	const char *p = strstr(status, key);
	snprintf(out, size, "%.*s", p ? (int)strcspn(p + strlen(key), "\n") : 0, p ? p + strlen(key) : "");
}

static void inspect(int pid, struct task_info *t)
{
	char path[64], buf[16384], v[32];

	t->pid = pid;
	snprintf(path, sizeof path, "/proc/%d/status", pid);
	read_str(path, buf, sizeof buf);
	field(buf, "Name:\t", t->name, sizeof t->name);
	field(buf, "State:\t", t->state, sizeof t->state);
	field(buf, "VmRSS:", v, sizeof v);
	t->rss_kb = atol(v);
	snprintf(path, sizeof path, "/proc/%d/maps", pid);
	t->mappings = 0;
	if (read_str(path, buf, sizeof buf) > 0)
		for (char *p = buf; (p = strchr(p, '\n')); p++)
			t->mappings++;
}

/* Wait for the group's OOM, look at its tasks, resolve it by action; 0 when done. */
static int handle(const char *dir, int efd, const char *action, const char *bytes)
{
	char path[512], tasks[4096];
	struct task_info t, biggest = { .pid = 0, .rss_kb = -1 };
	uint64_t n;

	if (read(efd, &n, sizeof n) != sizeof n)
		return -1;
	printf("memcg-oomd: %s is out of memory\n", dir);
	snprintf(path, sizeof path, "%s/tasks", dir);
	read_str(path, tasks, sizeof tasks);
	for (char *p = tasks; *p; p += strcspn(p, "\n") + (p[strcspn(p, "\n")] != 0)) {
		inspect(atoi(p), &t);
		printf("memcg-oomd: pid %d (%s) %s, VmRSS %ld kB, %ld mappings\n", t.pid, t.name, t.state, t.rss_kb,
		       t.mappings);
		if (t.rss_kb > biggest.rss_kb)
			biggest = t;
	}
	if (!strcmp(action, "raise")) {
		printf("memcg-oomd: raising the limit to %s\n", bytes);
		return write_str(dir, "memory.limit_in_bytes", bytes);
	}
	if (!strcmp(action, "kill")) {
		printf("memcg-oomd: killing pid %d (%s)\n", biggest.pid, biggest.name);
		return biggest.pid ? kill(biggest.pid, SIGKILL) : -1;
	}
	printf("memcg-oomd: handing the OOM back to the kernel\n");
	return write_str(dir, "memory.oom_control", "0");
}

/* The demo's hog: into the group, then touch 16 MiB. */
static void hog(const char *dir)
{
	char *p = malloc(16 * MIB);
	if (!p || write_str(dir, "cgroup.procs", "0"))
		_exit(3);
	for (long off = 0; off < 16 * MIB; off += 4096)
		p[off] = 1;
	_exit(0);
}

static int demo_one(const char *group, const char *action)
{
	int efd = watch(group), st = 0;

	if (efd < 0 || write_str(group, "memory.limit_in_bytes", "8M"))
		return printf("memcg-oomd: demo %s: FAILED (setting up the group: %s)\n", action, strerror(errno)), 1;
	pid_t pid = fork();
	if (pid == 0)
		hog(group);
	int err = handle(group, efd, action, "67108864");
	waitpid(pid, &st, 0);
	close(efd);
	write_str(group, "memory.oom_control", "1");
	bool ok = !err && (!strcmp(action, "raise") ? WIFEXITED(st) && WEXITSTATUS(st) == 0
						    : WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	printf("memcg-oomd: demo %s: %s (the hog %s %d)\n", action, ok ? "OK" : "FAILED",
	       WIFSIGNALED(st) ? "was killed by signal" : "exited with", WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
	return !ok;
}

static int demo(int n, char **actions)
{
	char group[64];
	int failed = 0;

	mkdir("/proc", 0555);
	mount("proc", "/proc", "proc", 0, NULL);	/* EBUSY where it is mounted already */
	mkdir("/tmp", 01777);
	mkdir(DEMO_DIR, 0755);
	if (mount("none", DEMO_DIR, "cgroup", 0, "memory"))
		return printf("memcg-oomd: mount -t cgroup -o memory: %s\n", strerror(errno)), 1;
	snprintf(group, sizeof group, "%s/demo", DEMO_DIR);
	mkdir(group, 0755);
	for (int i = 0; i < n; i++)
		failed |= demo_one(group, actions[i]);
	rmdir(group);
	umount(DEMO_DIR);
	rmdir(DEMO_DIR);
	printf("memcg-oomd: %s\n", failed ? "FAILED" : "all passed");
	return failed;
}

int main(int argc, char **argv)
{
	if (getpid() == 1)
		console_fds();
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 3 && !strcmp(argv[1], "--demo"))
		return demo(argc - 2, argv + 2);
	if (argc < 3 || (strcmp(argv[2], "raise") && strcmp(argv[2], "kill") && strcmp(argv[2], "enable")) ||
	    (!strcmp(argv[2], "raise") && argc < 4)) {
		dprintf(2, "usage: memcg-oomd DIR raise BYTES | DIR kill | DIR enable | --demo ACTION...\n");
		return 2;
	}
	int efd = watch(argv[1]);
	if (efd < 0) {
		dprintf(2, "memcg-oomd: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	printf("memcg-oomd: watching %s\n", argv[1]);
	return handle(argv[1], efd, argv[2], argc > 3 ? argv[3] : NULL) ? 1 : 0;
}
