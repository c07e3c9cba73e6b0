/*
 * Processes: fork, exit statuses and wait, exec and vfork, clone's checks, process groups,
 * orphans and exit signals, exec of malformed ELF files, large argv and envp (and E2BIG), and the
 * limits: a CPU hog is preempted, a fork bomb fails cleanly and everything
 * comes back (limit_tests, run last).
 */
#include "usertests.h"
#include <elf.h>
#include <sys/prctl.h>

/* ---- fork, exec, wait ---- */

static void t_fork_exit(void)
{
	static const int codes[] = { 0, 1, 42, 127, 255 };

	for (unsigned i = 0; i < sizeof codes / sizeof codes[0]; i++)
		expect_exit(run(exit_now, codes[i]), codes[i], "a child's _exit()");
	expect_exit(run(exit_now, 256 + 3), 3, "_exit(259)");
	no_children_left();
}

static void t_wait(void)
{
	int fds[2], st;
	char c;

	CHECK(waitpid(-1, &st, WNOHANG) < 0 && errno == ECHILD, "waitpid with no children: not ECHILD");
	CHECK(pipe(fds) == 0, "pipe: %s", strerror(errno));
	pid_t parent = getpid();
	pid_t a = fork();
	CHECK(a >= 0, "fork: %s", strerror(errno));
	if (a == 0) {	/* waits for the pipe to close, then checks getppid() */
		close(fds[1]);
		if (read(fds[0], &c, 1) != 0)
			_exit(10);
		_exit(getppid() == parent ? 7 : 11);
	}
	close(fds[0]);
	pid_t b = spawn(exit_now, 8);
	CHECK(waitpid(a, &st, WNOHANG) == 0, "waitpid(WNOHANG) on a running child did not return 0");
	CHECK(waitpid(b, &st, 0) == b, "waitpid(b): %s", strerror(errno));
	expect_exit(st, 8, "child b");
	close(fds[1]);
	CHECK(waitpid(-1, &st, 0) == a, "waitpid(-1) did not return the remaining child");
	expect_exit(st, 7, "child a (getppid() must be the parent)");
	CHECK(waitpid(a, &st, 0) < 0 && errno == ECHILD, "reaped child could be waited for again");
	CHECK(waitpid(getpid() + 100000, &st, 0) < 0 && errno == ECHILD,
	      "waitpid for a process that is not our child: not ECHILD");
}

static void t_wait_signal(void)
{
	static const int sigs[] = { SIGTERM, SIGKILL, SIGUSR1, SIGINT, SIGHUP };
	int st;

	for (unsigned i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
		st = run(die_by, sigs[i]);
		CHECK(WIFSIGNALED(st) && !WIFEXITED(st), "kill(self, %d): %s, expected WIFSIGNALED",
		      sigs[i], describe(st));
		expect_signal(st, sigs[i], "a child killing itself");
	}
}

static void t_exec(void)
{
	int st;
	pid_t pid = fork();

	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		char *argv[] = { (char *)self, "--child", "exit", "37", NULL };
		char *envp[] = { "USERTESTS=1", NULL };
		execve(self, argv, envp);
		fail("execve(%s): %s", self, strerror(errno));
	}
	st = reap(pid);
	expect_exit(st, 37, "exec'd child");

	char *argv[] = { "/nonexistent/program", NULL };
	long r = RAW(SYS_execve, argv[0], argv, environ);
	CHECK(r == -ENOENT, "execve of a missing file returned %s, expected -ENOENT", res(r));
	r = RAW(SYS_execve, "/", argv, environ);
	CHECK(r == -EACCES, "execve of a directory returned %s, expected -EACCES", res(r));
	static char long_path[PATH_MAX + 1];
	memset(long_path, 'a', PATH_MAX);	/* no NUL within PATH_MAX bytes */
	r = RAW(SYS_execve, long_path, argv, environ);
	CHECK(r == -ENAMETOOLONG, "execve of a %d-byte path returned %s, expected -ENAMETOOLONG", PATH_MAX, res(r));
}

/*
 * exec names the task after the file, and the whole 16-byte comm is the new
 * name: no byte of a longer old name survives after its NUL, as
 * prctl(PR_GET_NAME) returns all 16 (the child checks: child_commcheck()).
 */
static void t_exec_comm(void)
{
	pid_t pid = fork();

	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		char *argv[] = { (char *)self, "--child", "commcheck", NULL };
		if (prctl(PR_SET_NAME, "abcdefghijklmno") < 0)
			fail("prctl(PR_SET_NAME): %s", strerror(errno));
		execve(self, argv, environ);
		fail("execve(%s): %s", self, strerror(errno));
	}
	expect_exit(reap(pid), 0, "exec'd child checking its comm");
}

int child_commcheck(void)
{
	char buf[16], want[16] = { 0 };
	const char *base = strrchr(self, '/');

	memset(buf, 0x55, sizeof(buf));
	strncpy(want, base ? base + 1 : self, sizeof(want) - 1);
	if (prctl(PR_GET_NAME, buf) < 0)
		return 2;
	return memcmp(buf, want, sizeof(buf)) ? 1 : 0;
}

static void vfork_child(void)
{
	pid_t pid = vfork();
	if (pid == 0)
		_exit(9);
	CHECK(pid > 0, "vfork: %s", strerror(errno));
	expect_exit(reap(pid), 9, "vfork child");
}

static void t_vfork(void)
{
	vfork_child();
	pid_t pid = vfork();	/* and through exec */
	if (pid == 0) {
		char *argv[] = { (char *)self, "--child", "exit", "12", NULL };
		execve(self, argv, environ);
		_exit(99);
	}
	CHECK(pid > 0, "vfork: %s", strerror(errno));
	expect_exit(reap(pid), 12, "vfork + exec child");
}

/* A CLONE_SETTLS value that is not a user address is refused, not loaded at the next switch. */
static void t_clone_badtls(void)
{
	long r = RAW(SYS_clone, CLONE_VM | CLONE_SETTLS | SIGCHLD, 0, 0, 0, KADDR);
	if (r == 0)
		_exit(0);	/* (a kernel that accepted it: the child just leaves) */
	CHECK(r == -EPERM, "clone(CLONE_SETTLS, tls = a kernel address): %s, expected -EPERM", res(r));
	if (r > 0)
		reap(r);
}

/*
 * clone()'s flags that cannot go together: CLONE_SIGHAND without CLONE_VM (handlers are
 * addresses in one address space), CLONE_THREAD without CLONE_SIGHAND. Each is EINVAL,
 * and no child is made. Each is tried in a process of its own: a thread a wrong kernel
 * made would share its stack.
 */
static const struct { unsigned long flags; const char *what; } bad_clones[] = {
	{ CLONE_SIGHAND | SIGCHLD, "CLONE_SIGHAND without CLONE_VM" },
	{ CLONE_SIGHAND | CLONE_FILES | CLONE_FS | SIGCHLD, "CLONE_SIGHAND|CLONE_FILES|CLONE_FS without CLONE_VM" },
	{ CLONE_THREAD | CLONE_VM, "CLONE_THREAD without CLONE_SIGHAND" },
	{ CLONE_THREAD | CLONE_SIGHAND, "CLONE_THREAD|CLONE_SIGHAND without CLONE_VM" },
};

/* Exits 0 if clone(bad_clones[i]) is EINVAL, 1 if it made a child, 2 for another error. */
static void try_bad_clone(long i)
{
	long r = RAW(SYS_clone, bad_clones[i].flags, 0, 0, 0, 0);

	if (r == 0)
		RAW(SYS_exit_group, 1);		/* the child: ends the process (and itself) */
	_exit(r == -EINVAL ? 0 : r > 0 ? 1 : 2);
}

/* A child with exit signal sig (of clone()'s 8 bits), reaped with __WALL: it exits 3. */
static void clone_exit_signal(int sig)
{
	long r = RAW(SYS_clone, sig, 0, 0, 0, 0);
	int st;

	if (r == 0)
		_exit(3);
	CHECK(r > 0, "clone(exit signal %d): %s", sig, res(r));
	CHECK(waitpid(r, &st, __WALL) == r, "waitpid(__WALL): %s", strerror(errno));
	expect_exit(st, 3, "the child with another exit signal");
}

/*
 * The checks above; and clone() (not clone3()) takes any exit signal its 8 bits hold, as
 * Linux: the last signal (64) is sent, one past the last is no signal at all.
 */
static void t_clone_flags(void)
{
	for (long i = 0; i < (long)(sizeof bad_clones / sizeof bad_clones[0]); i++)
		expect_exit(run(try_bad_clone, i), 0, bad_clones[i].what);
	signal(64, SIG_IGN);		/* its default action would end us when the child exits */
	clone_exit_signal(64);
	clone_exit_signal(65);
	clone_exit_signal(255);
}

/* In a child of a process in session sid and group pgrp: exits 0 if it is in both, else code. */
static void check_ids(pid_t pgrp, pid_t sid, int code)
{
	_exit(getpgrp() == pgrp && getsid(0) == sid ? 0 : code);
}

/* The exit status of a child that runs check_ids(pgrp, sid, code), or -1. */
static int fork_check_ids(pid_t pgrp, pid_t sid, int code)
{
	int st;
	pid_t pid = fork();

	if (pid == 0)
		check_ids(pgrp, sid, code);
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

/*
 * In a new session of its own (so that its id is not the 0 of init's): a child is in its
 * parent's session and group; a grandchild in the group its parent made with setpgid().
 * Exits 0, or the check that failed.
 */
static void check_group_of_child(long unused)
{
	(void)unused;
	pid_t sid = setsid();
	if (sid != getpid())
		_exit(6);
	int r = fork_check_ids(sid, sid, 1);
	if (r)
		_exit(r < 0 ? 2 : r);
	pid_t pid = fork();
	if (pid == 0) {
		if (setpgid(0, 0) != 0)
			_exit(3);
		r = fork_check_ids(getpid(), sid, 4);
		_exit(r < 0 ? 5 : r);
	}
	_exit(pid < 0 ? 7 : WEXITSTATUS(reap(pid)));
}

/* fork()'s child starts in its parent's process group and session (and kill(-pgrp) reaches it). */
static void t_fork_pgrp(void)
{
	expect_exit(run(check_group_of_child, 0), 0, "a child checking its children's groups");
	pid_t pid = spawn(sleep_forever_arg, 0);	/* the group of our test: kill(0) reaches it */
	CHECK(getpgid(pid) == getpgrp() && getsid(pid) == getsid(0), "the child's group %d, session %d; ours %d, %d",
	      (int)getpgid(pid), (int)getsid(pid), (int)getpgrp(), (int)getsid(0));
	signal(SIGUSR1, SIG_IGN);
	CHECK(kill(-getpgrp(), SIGUSR1) == 0, "kill(-pgrp): %s", strerror(errno));
	expect_signal(reap(pid), SIGUSR1, "a child signalled through our process group");
}

/* ---- orphans and exit signals ---- */

static volatile int got_usr1;

static void count_usr1(int sig)
{
	(void)sig;
	got_usr1++;
}

/*
 * Our child makes a process with clone() and exit signal sig, then exits: the orphan
 * comes to us (a child subreaper, as init would be). zombie: the orphan exits first, so
 * it is usually a zombie already when it is handed over; otherwise it exits once it is
 * ours. The orphan's pid.
 */
static pid_t make_orphan(int sig, int zombie)
{
	int p[2], q[2];
	pid_t g;

	CHECK(pipe(p) == 0 && pipe(q) == 0, "pipe: %s", strerror(errno));
	pid_t c = fork();
	CHECK(c >= 0, "fork: %s", strerror(errno));
	if (c == 0) {
		pid_t me = getpid();
		g = (pid_t)RAW(SYS_clone, sig, 0, 0, 0, 0);
		if (g == 0) {
			if (zombie)
				_exit(6);	/* (closing q[1], the last writer) */
			while (getppid() == me)
				usleep(1000);
			_exit(5);
		}
		char c;
		close(q[1]);
		write(p[1], &g, sizeof g);
		if (zombie)
			read(q[0], &c, 1);	/* EOF: the orphan has exited */
		_exit(g > 0 ? 0 : 1);
	}
	close(p[1]);
	close(q[0]);
	close(q[1]);
	CHECK(read(p[0], &g, sizeof g) == sizeof g, "no pid from the child");
	close(p[0]);
	expect_exit(reap(c), 0, "the orphan's parent");
	CHECK(g > 0, "clone(exit signal %d): %s", sig, res(g));
	return g;
}

/*
 * A process made by clone() with an exit signal other than SIGCHLD (0, SIGUSR1) whose
 * parent exits first goes to its new parent with SIGCHLD as exit signal: a plain
 * waitpid(-1), the way init reaps, must reap it, and the signal it chose for its old
 * parent must not reach the new one (Linux's reparent_leader()).
 */
static void t_orphan_exit_signal(void)
{
	static const int sigs[] = { 0, SIGUSR1 };
	int st;

	CHECK(prctl(PR_SET_CHILD_SUBREAPER, 1) == 0, "prctl(PR_SET_CHILD_SUBREAPER): %s", strerror(errno));
	CHECK(prctl(PR_GET_CHILD_SUBREAPER, &st) == 0 && st == 1, "PR_GET_CHILD_SUBREAPER did not say 1");
	signal(SIGUSR1, count_usr1);
	for (int zombie = 0; zombie < 2; zombie++) {
		for (unsigned i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
			pid_t g = make_orphan(sigs[i], zombie);
			pid_t r = waitpid(-1, &st, 0);
			CHECK(r == g, "the orphan %d (exit signal %d, %s when orphaned) and a plain waitpid(-1): "
			      "%d (%s)", g, sigs[i], zombie ? "exited" : "running", r, r < 0 ? strerror(errno) : "");
			expect_exit(st, zombie ? 6 : 5, "the orphan");
		}
	}
	CHECK(!got_usr1, "an orphan's exit sent its new parent SIGUSR1, the signal meant for its old one");
	no_children_left();
}

static volatile int got_term;

static void count_term(int sig)
{
	(void)sig;
	got_term++;
}

/*
 * Our child calls clone(CLONE_PARENT | SIGTERM): the new process is its sibling, our
 * child. Its exit must come to us as our child's own exit signal, SIGCHLD, not as the
 * SIGTERM it asked for (a process cannot choose what its parent gets), and a plain
 * waitpid() must reap it.
 */
static void t_clone_parent_signal(void)
{
	int p[2], st;
	pid_t s = 0;

	signal(SIGTERM, count_term);
	CHECK(pipe(p) == 0, "pipe: %s", strerror(errno));
	pid_t c = fork();
	CHECK(c >= 0, "fork: %s", strerror(errno));
	if (c == 0) {
		s = (pid_t)RAW(SYS_clone, CLONE_PARENT | SIGTERM, 0, 0, 0, 0);
		if (s == 0)
			_exit(4);
		write(p[1], &s, sizeof s);
		_exit(s > 0 ? 0 : 1);
	}
	close(p[1]);
	CHECK(read(p[0], &s, sizeof s) == sizeof s, "no pid from the child");
	close(p[0]);
	expect_exit(reap(c), 0, "the child that called clone(CLONE_PARENT)");
	CHECK(s > 0, "clone(CLONE_PARENT | SIGTERM): %s", res(s));
	pid_t r = waitpid(s, &st, 0);
	CHECK(r == s, "a plain waitpid(%d) for the CLONE_PARENT sibling: %d (%s)", s, r,
	      r < 0 ? strerror(errno) : "");
	expect_exit(st, 4, "the CLONE_PARENT sibling");
	CHECK(!got_term, "the sibling's exit sent us SIGTERM, the signal it asked for");
}

/* ---- exec of malformed ELF files ---- */

#define TINY_STATUS 123		/* what tiny_elf() programs exit with here */

static void create_file(const char *path, const void *buf, size_t len, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	CHECK(fd >= 0, "creating %s: %s", path, strerror(errno));
	CHECK(write(fd, buf, len) == (ssize_t)len, "writing %s: %s", path, strerror(errno));
	CHECK(close(fd) == 0, "closing %s: %s", path, strerror(errno));
}

/*
 * Write buf to a file in /tmp and exec it in a child. Returns the errno execve
 * failed with, or 0 if it did not return; *status is the child's wait status.
 */
static int try_exec(const void *buf, size_t len, int *status)
{
	char path[64];
	int fds[2], err = 0;

	snprintf(path, sizeof path, "/tmp/usertests-elf-%d", (int)getpid());
	create_file(path, buf, len, 0755);
	CHECK(pipe2(fds, O_CLOEXEC) == 0, "pipe2: %s", strerror(errno));
	pid_t pid = fork();
	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		char *argv[] = { path, NULL };
		long r = RAW(SYS_execve, path, argv, environ);
		err = (int)-r;
		if (write(fds[1], &err, sizeof err) != sizeof err)	/* and the caller carries on: */
			_exit(20);
		_exit(getpid() > 0 ? 0 : 21);
	}
	close(fds[1]);
	if (read(fds[0], &err, sizeof err) != sizeof err)
		err = 0;
	close(fds[0]);
	*status = reap(pid);
	CHECK(unlink(path) == 0, "unlink %s: %s", path, strerror(errno));
	return err;
}

enum elf_bad { ELF_VALID, ELF_MAGIC, ELF_CLASS, ELF_MACHINE, ELF_TRUNC_HDR, ELF_TRUNC_PHDR,
	       ELF_NO_PHDR, ELF_FILESZ, ELF_KERNEL, ELF_NONCANON };

/*
 * Linux checks p_filesz <= p_memsz and where segments go only after its point of
 * no return (the old address space is gone), so there the caller is killed
 * (SIGSEGV, or SIGKILL) instead of getting the error back. Folio validates first.
 * And Linux's ELF loader ignores e_ident[EI_CLASS] (a 64-bit layout with
 * ELFCLASS32 runs); Folio must refuse it. Only on Linux are these let through.
 */
static void exec_malformed(enum elf_bad how, const char *what, int linux_kills)
{
	struct tiny_elf e;
	size_t len = sizeof e;
	int st, err;

	tiny_elf(&e, TINY_STATUS);
	switch (how) {
	case ELF_VALID: break;
	case ELF_MAGIC: e.eh.e_ident[EI_MAG1] = 'X'; break;
	case ELF_CLASS: e.eh.e_ident[EI_CLASS] = ELFCLASS32; break;	/* Linux runs it: below */
	case ELF_MACHINE: e.eh.e_machine = EM_AARCH64; break;
	case ELF_TRUNC_HDR: len = 40; break;
	case ELF_TRUNC_PHDR: len = sizeof e.eh + 20; break;
	case ELF_NO_PHDR: e.eh.e_phnum = 0; break;
	case ELF_FILESZ: e.ph.p_memsz = 16; break;
	case ELF_KERNEL:
		e.ph.p_vaddr = e.ph.p_paddr = KADDR;
		e.eh.e_entry = KADDR + offsetof(struct tiny_elf, code);
		break;
	case ELF_NONCANON:
		e.ph.p_vaddr = e.ph.p_paddr = 0x0000800000000000UL - PAGE;
		e.ph.p_memsz = 2 * PAGE;	/* runs over the top of user space */
		break;
	}
	err = try_exec(&e, len, &st);
	if (how == ELF_VALID) {
		CHECK(err == 0, "exec of a valid tiny ELF failed: %s", strerror(err));
		expect_exit(st, TINY_STATUS, "the tiny ELF");
		return;
	}
	if (err == 0 && on_linux && linux_kills && WIFSIGNALED(st) &&
	    (WTERMSIG(st) == SIGSEGV || WTERMSIG(st) == SIGKILL)) {
		note("%s: Linux killed the caller (%s): allowed on Linux only", what, describe(st));
		return;
	}
	if (err == 0 && on_linux && how == ELF_CLASS && WIFEXITED(st) && WEXITSTATUS(st) == TINY_STATUS) {
		note("%s: Linux ran it (it ignores EI_CLASS): allowed on Linux only", what);
		return;
	}
	if (err)
		note("%s: %s", what, strerror(err));
	CHECK(err != 0, "exec of an ELF with %s did not fail: the caller %s", what, describe(st));
	CHECK(err == ENOEXEC || err == EINVAL,
	      "exec of an ELF with %s failed with %s, expected ENOEXEC or EINVAL", what, strerror(err));
	expect_exit(st, 0, "the caller after the failed exec");
}
static void t_exec_elf_valid(void) { exec_malformed(ELF_VALID, "nothing wrong", 0); }
static void t_exec_elf_magic(void) { exec_malformed(ELF_MAGIC, "bad magic", 0); }
static void t_exec_elf_class(void) { exec_malformed(ELF_CLASS, "class ELFCLASS32", 0); }
static void t_exec_elf_machine(void) { exec_malformed(ELF_MACHINE, "machine EM_AARCH64", 0); }
static void t_exec_elf_truncated(void)
{
	exec_malformed(ELF_TRUNC_HDR, "a truncated header", 0);
	exec_malformed(ELF_TRUNC_PHDR, "a truncated program header table", 0);
	exec_malformed(ELF_NO_PHDR, "no program headers", 0);
}
static void t_exec_elf_filesz(void) { exec_malformed(ELF_FILESZ, "p_filesz > p_memsz", 1); }
static void t_exec_elf_kernel(void)
{
	exec_malformed(ELF_KERNEL, "a segment in the kernel half", 1);
	exec_malformed(ELF_NONCANON, "a segment running past the top of user space", 1);
}

/* ---- argv and envp ---- */

#define BIG_N 48

#define BIG_LEN 1500	/* 48 x 1.5 KB each of argv and envp: 144 KB */

static void big_string(char *s, int i, int env)
{
	int n = snprintf(s, BIG_LEN, "%s%d=", env ? "BIG" : "arg", i);
	memset(s + n, 'a' + i % 26, BIG_LEN - 1 - n);
	s[BIG_LEN - 1] = 0;
}

/* the exec'd side: check what arrived */
int child_bigargs(int argc, char **argv, char **envp)
{
	char want[BIG_LEN];
	int nenv = 0;

	if (argc != 3 + BIG_N)
		return 1;
	for (int i = 0; i < BIG_N; i++) {
		big_string(want, i, 0);
		if (strcmp(argv[3 + i], want) != 0)
			return 2;
	}
	for (char **e = envp; *e; e++) {
		if (strncmp(*e, "BIG", 3) != 0)
			continue;
		big_string(want, nenv, 1);
		if (strcmp(*e, want) != 0)
			return 3;
		nenv++;
	}
	return nenv == BIG_N ? 0 : 4;
}

static void t_exec_bigargs(void)
{
	char **argv = calloc(BIG_N + 4, sizeof *argv);
	char **envp = calloc(BIG_N + 1, sizeof *envp);

	CHECK(argv && envp, "calloc failed");
	argv[0] = (char *)self;
	argv[1] = "--child";
	argv[2] = "bigargs";
	for (int i = 0; i < BIG_N; i++) {
		argv[3 + i] = malloc(BIG_LEN);
		envp[i] = malloc(BIG_LEN);
		CHECK(argv[3 + i] && envp[i], "malloc failed");
		big_string(argv[3 + i], i, 0);
		big_string(envp[i], i, 1);
	}
	pid_t pid = fork();
	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		execve(self, argv, envp);
		fail("execve with 144 KB of arguments and environment: %s", strerror(errno));
	}
	int st = reap(pid);
	CHECK(!(WIFEXITED(st) && WEXITSTATUS(st) > 0 && WEXITSTATUS(st) < 5),
	      "the exec'd program received wrong arguments (check %d failed)", WEXITSTATUS(st));
	expect_exit(st, 0, "the exec'd program");
}

/* If one of these execs wrongly succeeds, the program exits 77: see the status. */
static void t_exec_e2big(void)
{
	const size_t one = 1 << 20, each = 32 << 10;
	const int many = 2048;		/* 2048 x 32 KB = 64 MB in all */
	char *huge = malloc(one), **argv = calloc(many + 5, sizeof *argv);
	char *small[] = { (char *)self, "--child", "exit", "77", NULL };
	long r;

	CHECK(huge && argv, "malloc failed");
	memset(huge, 'h', one - 1);
	huge[one - 1] = 0;
	memcpy(argv, small, 4 * sizeof *argv);
	argv[4] = huge;
	r = RAW(SYS_execve, self, argv, environ);
	CHECK(r == -E2BIG, "execve with a 1 MB argument returned %s, expected -E2BIG", res(r));
	huge[each - 1] = 0;		/* now every argument is the same 32 KB string */
	for (int i = 4; i < many + 4; i++)
		argv[i] = huge;
	r = RAW(SYS_execve, self, argv, environ);
	CHECK(r == -E2BIG, "execve with 64 MB of arguments returned %s, expected -E2BIG", res(r));
	r = RAW(SYS_execve, self, small, argv + 4);
	CHECK(r == -E2BIG, "execve with 64 MB of environment returned %s, expected -E2BIG", res(r));
	free(argv);
	free(huge);
}

/* ---- process limits ---- */

#define FORKBOMB_CAP 50000

static void t_forkbomb(void)
{
	int fds[2];
	long n = 0;
	int err = 0;
	char c;

	CHECK(pipe(fds) == 0, "pipe: %s", strerror(errno));
	for (;;) {
		pid_t pid = fork();
		if (pid == 0) {	/* wait for the end of the pipe, then go */
			close(fds[1]);
			_exit(read(fds[0], &c, 1) == 0 ? 0 : 1);
		}
		if (pid < 0) {
			err = errno;
			break;
		}
		if (++n == FORKBOMB_CAP)
			break;
	}
	close(fds[1]);
	long reaped = 0, bad = 0;
	int st;
	while (wait(&st) > 0) {
		reaped++;
		bad += !(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	CHECK(errno == ECHILD, "wait: %s", strerror(errno));
	CHECK(n < FORKBOMB_CAP, "%d forks succeeded: fork never fails?", FORKBOMB_CAP);
	CHECK(err == EAGAIN || err == ENOMEM, "fork failed with %s, expected EAGAIN or ENOMEM",
	      strerror(err));
	CHECK(n > 0, "not a single fork succeeded");
	CHECK(reaped == n, "forked %ld children, reaped %ld", n, reaped);
	CHECK(bad == 0, "%ld of %ld children did not exit cleanly", bad, n);
	note("%ld children, then fork failed with %s", n, strerror(err));
	/* and the system works again */
	expect_exit(run(exit_now, 3), 3, "a fork after the flood");
}

static void spin(long unused)
{
	(void)unused;
	for (volatile unsigned long i = 0;; i++)
		;
}

static void t_cpu_hog(void)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	pid_t hog = spawn(spin, 0);

	for (int i = 0; i < 5; i++)	/* we must be woken although the hog never sleeps */
		CHECK(nanosleep(&ts, NULL) == 0, "nanosleep: %s", strerror(errno));
	expect_exit(run(exit_now, 4), 4, "a child started beside the hog");
	CHECK(kill(hog, SIGKILL) == 0, "kill: %s", strerror(errno));
	expect_signal(reap(hog), SIGKILL, "the CPU hog");
}

const struct test process_tests[] = {
	T(fork_exit), T(wait), T(wait_signal), T(exec), T(exec_comm), T(vfork), T(clone_badtls), T(clone_flags),
	T(fork_pgrp),
	T(orphan_exit_signal), T(clone_parent_signal),
	T(exec_elf_valid), T(exec_elf_magic), T(exec_elf_class), T(exec_elf_machine),
	T(exec_elf_truncated), T(exec_elf_filesz), T(exec_elf_kernel), T(exec_bigargs),
	T(exec_e2big), { NULL },
};

const struct test limit_tests[] = {
	T(cpu_hog), T(forkbomb), { NULL },
};
