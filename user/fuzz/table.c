/*
 * The table of system calls: every call Folio implements (Linux x86-64
 * numbers, include/uapi/unistd.h), each with a weight and its arguments'
 * kinds, plus the operations of ops.c and checks.c. Calls that would end
 * the VM (reboot) or cut the console off (syslog's console actions) are left
 * out; mount and umount2 only touch the scratch directories; calls whose arguments need a word of care have a fix hook, and calls
 * that create descriptors or mappings a post hook (run whatever the result)
 * that adds them to the worker's pools.
 *
 * Also here: how a call record is printed, and errno names.
 */
#include "fuzz.h"
#include <sys/stat.h>

#define K(k) { k, NULL, 0 }
#define E(arr) { A_ENUM, arr, sizeof arr / sizeof *arr }
#define F(arr) { A_FLAGS, arr, sizeof arr / sizeof *arr }

static const uint64_t open_flags[] = { 1, 2, 0x40, 0x80, 0x100, 0x200, 0x400, 0x800, 0x1000, 0x4000,
				       0x8000, 0x10000, 0x20000, 0x40000, 0x80000, 0x200000, 0x410000 };
static const uint64_t at_flags[] = { 0x100, 0x200, 0x400, 0x800, 0x1000, 0x2000, 0x4000 };
static const uint64_t whence[] = { 0, 1, 2, 3, 4, 5 };
static const uint64_t access_modes[] = { 0, 1, 2, 4, 7, 8 };
static const uint64_t sighow[] = { 0, 1, 2, 3 };
static const uint64_t sigsetsize[] = { 8, 8, 8, 0, 4, 16, 128 };
static const uint64_t pipe_flags[] = { 0x800, 0x80000, 0x4000 };
static const uint64_t madvice[] = { 0, 1, 2, 3, 4, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 20, 21, 100 };
static const uint64_t wait_opts[] = { 1, 2, 8, 0x20000000, 0x40000000, 0x80000000 };
static const uint64_t fcntl_cmds[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 1024, 1025, 1026, 1030, 1031, 1032, 1033 };
static const uint64_t rlimits[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
static const uint64_t rusage_who[] = { 0, (uint64_t)-1, 1, 2 };
static const uint64_t syslog_actions[] = { 0, 1, 2, 3, 4, 5, 9, 10, 11, (uint64_t)-1 };
static const uint64_t prio_which[] = { 0, 1, 2, 3 };
static const uint64_t prio_val[] = { 0, 5, 19, 20, (uint64_t)-20, (uint64_t)-21, 40 };
static const uint64_t mlockall_flags[] = { 1, 2, 4 };
static const uint64_t prctl_opts[] = { 1, 2, 3, 4, 15, 16, 23, 24, 36, 37, 38, 39, 1000 };
static const uint64_t arch_prctl_codes[] = { 0x1001, 0x1002, 0x1003, 0x1004, 0x1011, 0x1012, 0x3001 };
static const uint64_t futex_ops[] = { 0, 1, 3, 4, 9, 10, 128, 129, 131, 132, 137, 138, 256, 265, 5, 6, 7, 8, 11, 12, 13 };
static const uint64_t clockids[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, (uint64_t)-1, (uint64_t)-6 };
static const uint64_t timer_flags[] = { 1 };
static const uint64_t nfds[] = { 0, 1, 2, 8, 64, 1024, 1025, (uint64_t)-1 };
static const uint64_t poll_timeouts[] = { 0, 0, 1, 5, (uint64_t)-1 };
static const uint64_t iovcnt[] = { 0, 1, 2, 3, 8, 1024, 1025, (uint64_t)-1 };
static const uint64_t dup3_flags[] = { 0x80000 };
static const uint64_t unlink_flags[] = { 0x200 };
static const uint64_t grnd_flags[] = { 1, 2, 4 };
static const uint64_t statx_mask[] = { 0x7ff, 0xfff, 0x80000000 };
static const uint64_t robust_len[] = { 24, 0, 23, 48 };
static const uint64_t ids[] = { 0, 1, 65534, (uint64_t)-1, 0x7fffffff };
static const uint64_t ioctls[] = { 0x5401, 0x5402, 0x5403, 0x540e, 0x540f, 0x5410, 0x5413, 0x5414, 0x541b,
				   0x5421, 0x5422, 0x5450, 0x5451, 0x8912 };
static const uint64_t affinity_len[] = { 0, 4, 8, 128, 1024, 4096 };
static const uint64_t mknod_modes[] = { S_IFREG | 0644, S_IFIFO | 0644, S_IFCHR | 0600, S_IFBLK | 0600,
					 S_IFSOCK | 0644, S_IFDIR | 0755, 0, 0777 };
/* devices: none, null, zero, an unknown one (never the console's 5:1 or a tty's) */
static const uint64_t mknod_devs[] = { 0, (1 << 8) | 3, (1 << 8) | 5, (1 << 8) | 7, 254 << 8, 0xffffffff };
static const uint64_t mount_flags[] = { 1, 2, 4, 8, 16, 32, 1024, 2048, 4096, 8192, 16384, 1 << 18, 1 << 19,
					1 << 20, 1 << 21 };
static const uint64_t umount_flags[] = { 1, 2, 4, 8 };
static const uint64_t efd_flags[] = { 1 /* EFD_SEMAPHORE */, 0x800 /* EFD_NONBLOCK */, 0x80000 /* EFD_CLOEXEC */ };
static const uint64_t nosys_nrs[] = { 450, 451, 500, 1000, 0x7fffffff, 0x80000000UL, (uint64_t)-1 };

/* ---- fixes: arguments that need a word of care ------------------------------------- */

static void keep_parent(uint64_t *pid)
{
	if (bad_pid((long)*pid))
		*pid = 0;
}

static long fix_kill(struct wctx *w, uint64_t *a, uint8_t *k) { keep_parent(&a[0]); return 0; }
static long fix_tgkill(struct wctx *w, uint64_t *a, uint8_t *k)
{
	keep_parent(&a[0]);
	keep_parent(&a[1]);
	return 0;
}

/* The watchdog nudges a worker stuck in a call with SIGALRM: leave its handler alone mostly. */
static long fix_sigaction(struct wctx *w, uint64_t *a, uint8_t *k)
{
	if (a[0] == SIGALRM && chance(&w->rng, 90))
		a[0] = SIGUSR2;
	return 0;
}

/*
 * A range of the mmap family: in the arena, it mostly ends there (a huge one would unmap or
 * change the worker's fixtures, stack and code); with MAP_FIXED it must be in the arena
 * or one of our own mappings, or at an address that fails.
 */
static long fix_range(struct wctx *w, uint64_t *a, uint8_t *k)
{
	const uint64_t end = ARENA + ARENA_PAGES * PAGE;

	if (a[0] >= ARENA && a[0] < end && a[1] > end - a[0] && chance(&w->rng, 95))
		a[1] = end - a[0];
	for (int i = 0; i < w->nmaps; i++)
		if (a[0] == w->map[i].addr && a[1] > w->map[i].len && chance(&w->rng, 95))
			a[1] = w->map[i].len;
	return 0;
}

/* huge-populate: a range populated at once (mlock, or mmap shared, populated or locked) */
static void populate_size(uint64_t *len, int populates)
{
	if (populates && avoided(CK_HUGE_POPULATE) && *len > (16UL << 20))
		*len = 16UL << 20;
}

static long fix_mlock(struct wctx *w, uint64_t *a, uint8_t *k)
{
	fix_range(w, a, k);
	populate_size(&a[1], 1);
	return 0;
}

static long fix_mmap(struct wctx *w, uint64_t *a, uint8_t *k)
{
	int ours = a[0] >= ARENA && a[0] < ARENA + ARENA_PAGES * PAGE;

	for (int i = 0; i < w->nmaps; i++)
		ours |= a[0] == w->map[i].addr;
	if ((a[3] & (MAP_FIXED | MAP_FIXED_NOREPLACE)) && !ours && a[0] && a[0] < (1UL << 47))
		a[0] = ARENA + below(&w->rng, ARENA_PAGES) * PAGE;
	fix_range(w, a, k);
	if (!(a[3] & MAP_ANONYMOUS) && chance(&w->rng, 70))
		a[4] = (uint64_t)(long)fd_of_kind(w, chance(&w->rng, 80) ? FD_FILE_RW : FD_FILE_WO);
	else if ((a[3] & MAP_ANONYMOUS) && chance(&w->rng, 80))
		a[4] = (uint64_t)-1L;
	if (!(a[3] & MAP_ANONYMOUS) && chance(&w->rng, 70))
		a[5] = below(&w->rng, 4) * PAGE;
	populate_size(&a[1], (a[3] & (MAP_SHARED | MAP_POPULATE | MAP_LOCKED)) != 0);
	return 0;
}

/*
 * mount and umount2 act on the whole system: their places are the worker's scratch
 * directories only (never ".", which may be /), by absolute path; the source of a bind or
 * move too. What is still mounted there when a worker goes, the next one (and the final
 * clean-up) detaches.
 */
static uint64_t scratch_dir(struct wctx *w, uint8_t *k)
{
	static char dirs[3][96];
	int i = (int)below(&w->rng, 3);

	snprintf(dirs[i], sizeof dirs[i], i == 0 ? "%s" : i == 1 ? "%s/d0" : "%s/d1", w->dir);
	*k = P_STRING;
	return (uint64_t)dirs[i];
}

static long fix_mount(struct wctx *w, uint64_t *a, uint8_t *k)
{
	static const char *const types[] = { "ramfs", "tmpfs", "proc", "sysfs", "devtmpfs", "tracefs",
					     "cgroup2", "none", "", "ext4" };

	if (chance(&w->rng, 90))
		a[2] = (uint64_t)types[below(&w->rng, sizeof types / sizeof *types)];
	if (chance(&w->rng, 95) || k[1] == P_STRING)	/* (a string from the pool may be relative) */
		a[1] = scratch_dir(w, &k[1]);
	if (chance(&w->rng, 95) || k[0] == P_STRING)
		a[0] = chance(&w->rng, 50) ? scratch_dir(w, &k[0]) : (uint64_t)"none";
	return 0;
}

static long fix_umount(struct wctx *w, uint64_t *a, uint8_t *k)
{
	if (chance(&w->rng, 95) || k[0] == P_STRING)
		a[0] = scratch_dir(w, &k[0]);
	return 0;
}

/* brk: near the current break mostly (far above it, the heap could swallow the arena) */
static long fix_brk(struct wctx *w, uint64_t *a, uint8_t *k)
{
	long cur = RAW(SYS_brk, 0);

	if (chance(&w->rng, 80))
		a[0] = (uint64_t)(cur + ((long)below(&w->rng, 320) - 64) * (long)PAGE + (long)below(&w->rng, 2));
	return 0;
}

static long fix_wait4(struct wctx *w, uint64_t *a, uint8_t *k)
{
	if (chance(&w->rng, 85))
		a[2] |= 1;		/* WNOHANG: a blocking wait costs a nudge */
	return 0;
}

static long fix_truncate(struct wctx *w, uint64_t *a, uint8_t *k)
{
	if (a[1] > (1UL << 20) && a[1] < (1UL << 40))	/* the VM has 256 MiB */
		a[1] = below(&w->rng, 1UL << 20);
	return 0;
}

static long fix_fcntl(struct wctx *w, uint64_t *a, uint8_t *k)
{
	if (a[1] == 8 /* F_SETOWN */)
		keep_parent(&a[2]);
	else if (a[1] == 1031 /* F_SETPIPE_SZ */ && a[2] > (1UL << 20))
		a[2] = PAGE << below(&w->rng, 6);
	return 0;
}

static long fix_prio(struct wctx *w, uint64_t *a, uint8_t *k)
{
	keep_parent(&a[1]);
	return 0;
}

/* syslog: never the console's actions (off, on, level): the run's verdict is on the console */
static long fix_syslog(struct wctx *w, uint64_t *a, uint8_t *k)
{
	if ((int)a[0] >= 6 && (int)a[0] <= 8)
		a[0] = 3;	/* SYSLOG_ACTION_READ_ALL */
	return 0;
}

static long fix_prctl(struct wctx *w, uint64_t *a, uint8_t *k)
{
	if (a[0] == 22 || a[0] == 35)	/* seccomp, PR_SET_MM: not what this fuzzer is about */
		a[0] = 16;
	return 0;
}

/* a pollfd or fd_set array in the buffer, naming the worker's fds */
static long fix_poll(struct wctx *w, uint64_t *a, uint8_t *k)
{
	if (k[0] == P_VALID) {
		int *p = (int *)a[0];
		for (int i = 0; i < 16; i++) {
			p[2 * i] = gen_fd(w);
			p[2 * i + 1] = (int)(rnd(&w->rng) & 0x3f);
		}
	}
	return 0;
}

static long fix_select(struct wctx *w, uint64_t *a, uint8_t *k)
{
	for (int i = 1; i <= 3; i++)
		if (k[i] == P_VALID)
			memset((void *)a[i], chance(&w->rng, 50) ? 0xff : 0, 128);
	if (k[4] == P_VALID && a[0] == 23)
		((long *)a[4])[1] /= 1000;	/* a timeval: microseconds */
	return 0;
}

static void fill_rlimit(struct wctx *w, uint64_t p, uint8_t kind)
{
	static const uint64_t v[] = { 0, 1, 64, 1024, 4096, 8 << 20, (uint64_t)-1 };
	uint64_t *r = (uint64_t *)p;

	if (kind == P_VALID) {
		r[0] = v[below(&w->rng, 7)];
		r[1] = chance(&w->rng, 70) ? (uint64_t)-1 : v[below(&w->rng, 7)];
	}
}

static long fix_setrlimit(struct wctx *w, uint64_t *a, uint8_t *k)
{
	fill_rlimit(w, a[1], k[1]);
	return 0;
}

static long fix_prlimit(struct wctx *w, uint64_t *a, uint8_t *k)
{
	keep_parent(&a[0]);
	fill_rlimit(w, a[2], k[2]);
	return 0;
}

/* execve: our own binary and the scratch ELF files more often than chance would */
static long fix_execve(struct wctx *w, uint64_t *a, uint8_t *k)
{
	switch (below(&w->rng, 6)) {
	case 0: a[0] = (uint64_t)opt.self; k[0] = P_STRING; break;
	case 1: a[0] = (uint64_t)w->elf_ok; k[0] = P_STRING; break;
	case 2: a[0] = (uint64_t)w->elf_bad; k[0] = P_STRING; break;
	default: break;
	}
	return 0;
}

static long fix_futex(struct wctx *w, uint64_t *a, uint8_t *k)
{
	/* the expected value: usually what is there, so a wait really waits */
	if ((k[0] == P_VALID) && chance(&w->rng, 60))
		a[2] = *(volatile int *)a[0];
	return 0;
}

/* ---- post hooks: what a successful call created ------------------------------------ */

static void post_fd(struct wctx *w, const uint64_t *a, long ret)
{
	if (ret >= 0)
		add_fd(w, (int)ret, FD_OTHER);
}

static void post_pipe(struct wctx *w, const uint64_t *a, long ret)
{
	const int *fds = (const int *)a[0];

	if (!ret) {
		add_fd(w, fds[0], FD_PIPE_R);
		add_fd(w, fds[1], FD_PIPE_W);
	}
}

static void post_fcntl(struct wctx *w, const uint64_t *a, long ret)
{
	if (ret >= 0 && (a[1] == 0 || a[1] == 1030))
		add_fd(w, (int)ret, FD_OTHER);
}

static void post_mmap(struct wctx *w, const uint64_t *a, long ret)
{
	check_mmap_result(w, a, ret);
	if ((ret < 0 && ret >= -4095) || a[1] > (16UL << 20))
		return;		/* a huge mapping is not a place for buffers: reading it all takes all memory */
	if ((unsigned long)ret < ARENA || (unsigned long)ret >= ARENA + ARENA_PAGES * PAGE)
		add_map(w, (unsigned long)ret, a[1]);
}

static void post_munmap(struct wctx *w, const uint64_t *a, long ret)
{
	if (ret)
		return;
	for (int i = 0; i < w->nmaps; i++)
		if (w->map[i].addr == a[0])
			w->map[i] = w->map[--w->nmaps];
}

static unsigned long saved_fs;

static void post_arch_prctl(struct wctx *w, const uint64_t *a, long ret)
{
	if (!saved_fs)
		RAW(SYS_arch_prctl, 0x1003, &saved_fs);
	if (a[0] == 0x1002)	/* ARCH_SET_FS: libc's thread pointer must come back */
		RAW(SYS_arch_prctl, 0x1002, saved_fs);
}

void save_thread_pointer(void)
{
	RAW(SYS_arch_prctl, 0x1003, &saved_fs);
}

static void post_wait4(struct wctx *w, const uint64_t *a, long ret)
{
	if (ret <= 0)
		return;
	for (int i = 0; i < w->nkids; i++)
		if (w->kid[i] == ret)
			w->kid[i] = w->kid[--w->nkids];
}

/* ---- the table ----------------------------------------------------------------------- */

#define CALL(nr, name, wt, ...) { #name, nr, wt, { __VA_ARGS__ }, NULL, NULL, NULL }
#define CALLF(nr, name, wt, fix, post, ...) { #name, nr, wt, { __VA_ARGS__ }, fix, post, NULL }
#define OP(name, nr, wt, fn) { name, nr, wt, { K(A_NONE) }, NULL, NULL, fn }

const struct entry table[] = {
	CALL(SYS_read, read, 6, K(A_FD), K(A_BUF), K(A_LEN)),
	CALL(SYS_write, write, 6, K(A_FD), K(A_IBUF), K(A_LEN)),
	CALLF(SYS_open, open, 5, NULL, post_fd, K(A_PATH), F(open_flags), K(A_MODE)),
	CALL(SYS_close, close, 3, K(A_FD)),
	CALL(SYS_stat, stat, 2, K(A_RPATH), K(A_BUF)),
	CALL(SYS_fstat, fstat, 2, K(A_FD), K(A_BUF)),
	CALL(SYS_lstat, lstat, 2, K(A_RPATH), K(A_BUF)),
	CALLF(SYS_poll, poll, 2, fix_poll, NULL, K(A_BUF), E(nfds), E(poll_timeouts)),
	CALL(SYS_lseek, lseek, 3, K(A_FD), K(A_OFF), E(whence)),
	CALLF(SYS_mmap, mmap, 8, fix_mmap, post_mmap, K(A_ADDR), K(A_MLEN), K(A_PROT), K(A_MMAPFLAGS),
	      K(A_FD), K(A_OFF)),
	CALLF(SYS_mprotect, mprotect, 5, fix_range, NULL, K(A_ADDR), K(A_MLEN), K(A_PROT)),
	CALLF(SYS_munmap, munmap, 5, fix_range, post_munmap, K(A_ADDR), K(A_MLEN)),
	CALLF(SYS_brk, brk, 3, fix_brk, NULL, K(A_ADDR)),
	CALLF(SYS_rt_sigaction, rt_sigaction, 3, fix_sigaction, NULL, K(A_SIG), K(A_SIGACTION), K(A_BUF),
	      E(sigsetsize)),
	CALL(SYS_rt_sigprocmask, rt_sigprocmask, 3, E(sighow), K(A_SIGSET), K(A_BUF), E(sigsetsize)),
	OP("rt_sigreturn", SYS_rt_sigreturn, 1, op_rt_sigreturn),
	CALL(SYS_ioctl, ioctl, 2, K(A_FD), E(ioctls), K(A_BUF)),
	CALL(SYS_pread64, pread64, 3, K(A_FD), K(A_BUF), K(A_LEN), K(A_OFF)),
	CALL(SYS_pwrite64, pwrite64, 3, K(A_FD), K(A_IBUF), K(A_LEN), K(A_OFF)),
	CALL(SYS_readv, readv, 2, K(A_FD), K(A_IOVEC), E(iovcnt)),
	CALL(SYS_writev, writev, 2, K(A_FD), K(A_IOVEC), E(iovcnt)),
	CALL(SYS_access, access, 1, K(A_RPATH), E(access_modes)),
	CALLF(SYS_pipe, pipe, 2, NULL, post_pipe, K(A_BUF)),
	CALLF(SYS_select, select, 1, fix_select, NULL, E(nfds), K(A_BUF), K(A_BUF), K(A_BUF), K(A_TIMESPEC)),
	CALL(SYS_sched_yield, sched_yield, 1),
	CALLF(SYS_madvise, madvise, 3, fix_range, NULL, K(A_ADDR), K(A_MLEN), E(madvice)),
	CALLF(SYS_dup, dup, 2, NULL, post_fd, K(A_FD)),
	CALLF(SYS_dup2, dup2, 2, NULL, post_fd, K(A_FD), K(A_NEWFD)),
	CALL(SYS_pause, pause, 1),
	CALL(SYS_nanosleep, nanosleep, 2, K(A_TIMESPEC), K(A_BUF)),
	CALL(SYS_getpid, getpid, 1),
	OP("clone", SYS_clone, 6, op_clone),
	OP("clone3", SYS_clone3, 3, op_clone3),
	OP("fork", SYS_fork, 2, op_fork),
	OP("vfork", SYS_vfork, 1, op_vfork),
	CALLF(SYS_execve, execve, 1, fix_execve, NULL, K(A_RPATH), K(A_ARGV), K(A_ARGV)),
	CALL(SYS_exit, exit, 1, K(A_SMALL)),
	CALLF(SYS_wait4, wait4, 3, fix_wait4, post_wait4, K(A_PID), K(A_BUF), F(wait_opts), K(A_BUF)),
	CALLF(SYS_kill, kill, 3, fix_kill, NULL, K(A_PID), K(A_SIG)),
	CALL(SYS_uname, uname, 1, K(A_BUF)),
	CALLF(SYS_fcntl, fcntl, 3, fix_fcntl, post_fcntl, K(A_FD), E(fcntl_cmds), K(A_SMALL)),
	CALL(SYS_fsync, fsync, 1, K(A_FD)),
	CALLF(SYS_truncate, truncate, 2, fix_truncate, NULL, K(A_PATH), K(A_OFF)),
	CALLF(SYS_ftruncate, ftruncate, 3, fix_truncate, NULL, K(A_FD), K(A_OFF)),
	CALL(SYS_getdents, getdents, 2, K(A_FD), K(A_BUF), K(A_LEN)),
	CALL(SYS_getcwd, getcwd, 1, K(A_BUF), K(A_LEN)),
	CALL(SYS_chdir, chdir, 1, K(A_PATH)),
	CALL(SYS_fchdir, fchdir, 1, K(A_FD)),
	CALL(SYS_rename, rename, 2, K(A_PATH), K(A_PATH)),
	CALL(SYS_mkdir, mkdir, 2, K(A_PATH), K(A_MODE)),
	CALL(SYS_rmdir, rmdir, 2, K(A_PATH)),
	CALLF(SYS_creat, creat, 1, NULL, post_fd, K(A_PATH), K(A_MODE)),
	CALL(SYS_link, link, 2, K(A_PATH), K(A_PATH)),
	CALL(SYS_unlink, unlink, 2, K(A_PATH)),
	CALL(SYS_symlink, symlink, 2, K(A_PATH), K(A_PATH)),
	CALL(SYS_readlink, readlink, 2, K(A_RPATH), K(A_BUF), K(A_LEN)),
	CALL(SYS_chmod, chmod, 1, K(A_PATH), K(A_MODE)),
	CALL(SYS_fchmod, fchmod, 1, K(A_FD), K(A_MODE)),
	CALL(SYS_chown, chown, 1, K(A_PATH), E(ids), E(ids)),
	CALL(SYS_fchown, fchown, 1, K(A_FD), E(ids), E(ids)),
	CALL(SYS_lchown, lchown, 1, K(A_PATH), E(ids), E(ids)),
	CALL(SYS_umask, umask, 1, K(A_MODE)),
	CALL(SYS_gettimeofday, gettimeofday, 1, K(A_BUF), K(A_BUF)),
	CALL(SYS_getrlimit, getrlimit, 1, E(rlimits), K(A_BUF)),
	CALLF(SYS_setrlimit, setrlimit, 1, fix_setrlimit, NULL, E(rlimits), K(A_IBUF)),
	CALL(SYS_getrusage, getrusage, 1, E(rusage_who), K(A_BUF)),
	CALL(SYS_sysinfo, sysinfo, 1, K(A_BUF)),
	CALL(SYS_times, times, 1, K(A_BUF)),
	CALL(SYS_getuid, getuid, 1),
	CALLF(SYS_syslog, syslog, 1, fix_syslog, NULL, E(syslog_actions), K(A_BUF), K(A_LEN)),
	CALL(SYS_getgid, getgid, 1),
	CALL(SYS_setuid, setuid, 1, E(ids)),
	CALL(SYS_setgid, setgid, 1, E(ids)),
	CALL(SYS_geteuid, geteuid, 1),
	CALL(SYS_getegid, getegid, 1),
	CALL(SYS_setpgid, setpgid, 2, K(A_PID), K(A_PID)),
	CALL(SYS_getppid, getppid, 1),
	CALL(SYS_getpgrp, getpgrp, 1),
	CALL(SYS_setsid, setsid, 1),
	CALL(SYS_getgroups, getgroups, 1, K(A_SMALL), K(A_BUF)),
	CALL(SYS_getresuid, getresuid, 1, K(A_BUF), K(A_BUF), K(A_BUF)),
	CALL(SYS_getresgid, getresgid, 1, K(A_BUF), K(A_BUF), K(A_BUF)),
	CALL(SYS_getpgid, getpgid, 1, K(A_PID)),
	CALL(SYS_getsid, getsid, 1, K(A_PID)),
	CALL(SYS_rt_sigpending, rt_sigpending, 1, K(A_BUF), E(sigsetsize)),
	CALL(SYS_rt_sigsuspend, rt_sigsuspend, 1, K(A_SIGSET), E(sigsetsize)),
	CALL(SYS_sigaltstack, sigaltstack, 2, K(A_STACK), K(A_BUF)),
	CALLF(SYS_getpriority, getpriority, 1, fix_prio, NULL, E(prio_which), K(A_PID)),
	CALLF(SYS_setpriority, setpriority, 1, fix_prio, NULL, E(prio_which), K(A_PID), E(prio_val)),
	CALLF(SYS_mlock, mlock, 2, fix_mlock, NULL, K(A_ADDR), K(A_MLEN)),
	CALLF(SYS_munlock, munlock, 2, fix_range, NULL, K(A_ADDR), K(A_MLEN)),
	CALL(SYS_mlockall, mlockall, 1, F(mlockall_flags)),
	CALL(SYS_munlockall, munlockall, 1),
	CALLF(SYS_prctl, prctl, 2, fix_prctl, NULL, E(prctl_opts), K(A_IBUF), K(A_SMALL), K(A_SMALL), K(A_SMALL)),
	CALLF(SYS_arch_prctl, arch_prctl, 1, NULL, post_arch_prctl, E(arch_prctl_codes), K(A_BUF)),
	CALL(SYS_sync, sync, 1),
	CALL(SYS_sethostname, sethostname, 1, K(A_IBUF), K(A_SMALL)),
	CALL(SYS_gettid, gettid, 1),
	CALLF(SYS_tkill, tkill, 2, fix_kill, NULL, K(A_PID), K(A_SIG)),
	CALL(SYS_time, time, 1, K(A_BUF)),
	CALLF(SYS_futex, futex, 4, fix_futex, NULL, K(A_FUTEXADDR), E(futex_ops), K(A_SMALL), K(A_TIMESPEC),
	      K(A_FUTEXADDR), K(A_RAND)),
	CALL(SYS_sched_getaffinity, sched_getaffinity, 1, K(A_PID), E(affinity_len), K(A_BUF)),
	CALLF(SYS_getdents64, getdents64, 2, NULL, NULL, K(A_FD), K(A_BUF), K(A_LEN)),
	CALL(SYS_set_tid_address, set_tid_address, 1, K(A_BUF)),
	CALL(SYS_clock_gettime, clock_gettime, 1, E(clockids), K(A_BUF)),
	CALL(SYS_clock_getres, clock_getres, 1, E(clockids), K(A_BUF)),
	CALL(SYS_clock_nanosleep, clock_nanosleep, 2, E(clockids), F(timer_flags), K(A_TIMESPEC), K(A_BUF)),
	CALL(SYS_exit_group, exit_group, 1, K(A_SMALL)),
	CALLF(SYS_tgkill, tgkill, 2, fix_tgkill, NULL, K(A_PID), K(A_PID), K(A_SIG)),
	CALLF(SYS_openat, openat, 5, NULL, post_fd, K(A_DIRFD), K(A_PATH), F(open_flags), K(A_MODE)),
	CALL(SYS_mkdirat, mkdirat, 1, K(A_DIRFD), K(A_PATH), K(A_MODE)),
	CALL(SYS_fchownat, fchownat, 1, K(A_DIRFD), K(A_PATH), E(ids), E(ids), F(at_flags)),
	CALL(SYS_newfstatat, newfstatat, 2, K(A_DIRFD), K(A_RPATH), K(A_BUF), F(at_flags)),
	CALL(SYS_unlinkat, unlinkat, 2, K(A_DIRFD), K(A_PATH), F(unlink_flags)),
	CALL(SYS_renameat, renameat, 1, K(A_DIRFD), K(A_PATH), K(A_DIRFD), K(A_PATH)),
	CALL(SYS_fchmodat, fchmodat, 1, K(A_DIRFD), K(A_PATH), K(A_MODE)),
	CALL(SYS_faccessat, faccessat, 1, K(A_DIRFD), K(A_RPATH), E(access_modes)),
	CALLF(SYS_pselect6, pselect6, 1, fix_select, NULL, E(nfds), K(A_BUF), K(A_BUF), K(A_BUF),
	      K(A_TIMESPEC), K(A_BUF)),
	CALLF(SYS_ppoll, ppoll, 1, fix_poll, NULL, K(A_BUF), E(nfds), K(A_TIMESPEC), K(A_SIGSET), E(sigsetsize)),
	CALL(SYS_set_robust_list, set_robust_list, 1, K(A_BUF), E(robust_len)),
	CALL(SYS_utimensat, utimensat, 1, K(A_DIRFD), K(A_PATH), K(A_BUF), F(at_flags)),
	CALLF(SYS_dup3, dup3, 1, NULL, post_fd, K(A_FD), K(A_NEWFD), F(dup3_flags)),
	CALLF(SYS_pipe2, pipe2, 2, NULL, post_pipe, K(A_BUF), F(pipe_flags)),
	CALLF(SYS_prlimit64, prlimit64, 1, fix_prlimit, NULL, K(A_PID), E(rlimits), K(A_IBUF), K(A_BUF)),
	CALL(SYS_getrandom, getrandom, 1, K(A_BUF), K(A_LEN), F(grnd_flags)),
	CALL(SYS_statx, statx, 2, K(A_DIRFD), K(A_RPATH), F(at_flags), F(statx_mask), K(A_BUF)),
	CALL(SYS_faccessat2, faccessat2, 1, K(A_DIRFD), K(A_RPATH), E(access_modes), F(at_flags)),
	CALL(SYS_statfs, statfs, 1, K(A_RPATH), K(A_BUF)),
	CALL(SYS_fstatfs, fstatfs, 1, K(A_FD), K(A_BUF)),
	CALL(SYS_mknod, mknod, 1, K(A_PATH), E(mknod_modes), E(mknod_devs)),
	CALL(SYS_mknodat, mknodat, 1, K(A_DIRFD), K(A_PATH), E(mknod_modes), E(mknod_devs)),
	CALL(SYS_sendfile, sendfile, 2, K(A_FD), K(A_FD), K(A_BUF), K(A_LEN)),
	CALLF(SYS_eventfd, eventfd, 1, NULL, post_fd, K(A_SMALL)),
	CALLF(SYS_eventfd2, eventfd2, 1, NULL, post_fd, K(A_SMALL), F(efd_flags)),
	CALLF(SYS_mount, mount, 1, fix_mount, NULL, K(A_PATH), K(A_PATH), K(A_PATH), F(mount_flags), K(A_IBUF)),
	CALLF(SYS_umount2, umount2, 1, fix_umount, NULL, K(A_PATH), F(umount_flags)),
	{ "nosys", -2, 1, { E(nosys_nrs), K(A_RAND), K(A_RAND) }, NULL, NULL, NULL },
	OP("proc-read", -1, 3, op_proc_read),
	OP("cgroup", -1, 2, op_cgroup),
	OP("oom", -1, 1, op_oom),
	OP("thread-exec", -1, 3, op_thread_exec),
	OP("sigframe", -1, 3, op_sigframe),
	OP("elf", -1, 3, op_elf),
	OP("mmap-storm", -1, 4, op_mmap_storm),
	OP("futex-race", -1, 2, op_futex_race),
	OP("pipe-race", -1, 2, op_pipe_race),
	OP("signal-storm", -1, 2, op_signal_storm),
	OP("check", -1, 3, op_check),
};
const int table_len = sizeof table / sizeof *table;

int entry_of_nr(int nr)
{
	for (int i = 0; i < table_len; i++)
		if (table[i].nr == nr)
			return i;
	return -1;
}

int entry_of_name(const char *name)
{
	for (int i = 0; i < table_len; i++)
		if (!strcmp(table[i].name, name))
			return i;
	return -1;
}

static unsigned weight(int i) { return opt.enabled && !opt.enabled[i] ? 0 : table[i].weight; }

int pick_entry(struct wctx *w)
{
	static unsigned total;

	if (!total)
		for (int i = 0; i < table_len; i++)
			total += weight(i);
	unsigned r = (unsigned)below(&w->rng, total);
	for (int i = 0; i < table_len; i++) {
		if (r < weight(i))
			return i;
		r -= weight(i);
	}
	return 0;
}

/* ---- printing ------------------------------------------------------------------------- */

static const char *const errnames[NR_ERRNO] = {
	[1] = "EPERM", [2] = "ENOENT", [3] = "ESRCH", [4] = "EINTR", [5] = "EIO", [6] = "ENXIO",
	[7] = "E2BIG", [8] = "ENOEXEC", [9] = "EBADF", [10] = "ECHILD", [11] = "EAGAIN",
	[12] = "ENOMEM", [13] = "EACCES", [14] = "EFAULT", [16] = "EBUSY", [17] = "EEXIST",
	[18] = "EXDEV", [19] = "ENODEV", [20] = "ENOTDIR", [21] = "EISDIR", [22] = "EINVAL",
	[23] = "ENFILE", [24] = "EMFILE", [25] = "ENOTTY", [26] = "ETXTBSY", [27] = "EFBIG",
	[28] = "ENOSPC", [29] = "ESPIPE", [30] = "EROFS", [31] = "EMLINK", [32] = "EPIPE",
	[33] = "EDOM", [34] = "ERANGE", [35] = "EDEADLK", [36] = "ENAMETOOLONG", [37] = "ENOLCK",
	[38] = "ENOSYS", [39] = "ENOTEMPTY", [40] = "ELOOP", [61] = "ENODATA", [75] = "EOVERFLOW",
	[95] = "EOPNOTSUPP", [110] = "ETIMEDOUT",
};

const char *errno_name(int e)
{
	static char buf[4][16];
	static int i;

	if (e > 0 && e < NR_ERRNO && errnames[e])
		return errnames[e];
	char *b = buf[i++ % 4];
	snprintf(b, sizeof buf[0], "E%d", e);
	return b;
}

static int nargs(const struct entry *e)
{
	int n = 0;

	for (int i = 0; i < 6; i++)
		if (e->arg[i].kind != A_NONE)
			n = i + 1;
	return n;
}

static int put_arg(char *out, size_t n, uint64_t v, uint8_t kind)
{
	long s = (long)v;

	if (kind > NR_ARGKINDS && kind < NR_KINDS && kind_name[kind])
		return snprintf(out, n, "%#lx(%s)", (unsigned long)v, kind_name[kind]);
	if (s > -100000 && s < 100000)
		return snprintf(out, n, "%ld", s);
	return snprintf(out, n, "%#lx", (unsigned long)v);
}

/* "name(a, b, c) = ret" or "name(a, b, c) ..." for a call in progress */
void format_call(char *out, size_t n, const struct call_rec *r)
{
	const struct entry *e = r->entry >= 0 && r->entry < table_len ? &table[r->entry] : NULL;
	size_t len = (size_t)snprintf(out, n, "%s(", e ? e->name : "?");
	int na = e ? (e->op ? 6 : nargs(e)) : 6;

	if (e && e->op)		/* an operation's arguments: the ones it recorded */
		while (na > 0 && !r->arg[na - 1] && !r->kind[na - 1])
			na--;
	for (int i = 0; i < na && len < n; i++) {
		len += (size_t)put_arg(out + len, n - len, r->arg[i], r->kind[i]);
		if (i + 1 < na && len < n)
			len += (size_t)snprintf(out + len, n - len, ", ");
	}
	if (len >= n)
		return;
	if (!r->done)
		snprintf(out + len, n - len, ") ...");
	else if (r->ret < 0 && r->ret >= -4095)
		snprintf(out + len, n - len, ") = %ld %s", (long)r->ret, errno_name((int)-r->ret));
	else
		snprintf(out + len, n - len, ") = %#lx", (unsigned long)r->ret);
}
