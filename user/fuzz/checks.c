/*
 * Checks: operations whose outcome Linux defines, so a different one is a
 * defect even though nothing crashed. Each has a name; `-x NAME` turns it
 * off together with the random choices that only serve to trigger it
 * (exit signals other than SIGCHLD, CLONE_PARENT with its own signal), so
 * that a run can test everything else while a known defect is open.
 *
 * What a check found goes into the shared findings list (finding()), which
 * the parent prints at the end; any finding fails the run. Some names are
 * only triggers: huge-populate (mmap of a huge MAP_SHARED, MAP_POPULATE or
 * MAP_LOCKED range, mlock of one) makes no finding of its own, but on a
 * kernel that populates such a range without stopping at SIGKILL the
 * watchdog reports the worker stuck.
 */
#include "fuzz.h"
#include <sys/prctl.h>
#include <sys/stat.h>

const char *const check_name[NR_CHECKS] = {
	[CK_ORPHAN_EXIT_SIGNAL] = "orphan-exit-signal",
	[CK_CLONE_PARENT_SIGNAL] = "clone-parent-signal",
	[CK_EXEC_THREAD_STATUS] = "exec-thread-status",
	[CK_MMAP_FILE] = "mmap-file",
	[CK_EXIT_SIGNAL_SIPID] = "exit-signal-si-pid",
	[CK_TRUNCATE_SIGBUS] = "truncate-sigbus",
	[CK_HUGE_POPULATE] = "huge-populate",
};


/* a child of the helper: sleeps 20 ms and exits with code; exit signal as flags say */
static long nap_child(struct wctx *w, unsigned long flags, int code)
{
	struct child_arg proto;

	child_proto(w, &proto, CHILD_NAP);
	proto.code = code;
	return spawn_child(w, SYS_clone, flags, 0, 0, 0, 0, &proto);
}

/* ---- mmap of a file: offsets past the largest file size, fds not open for reading ------- */

/* after any successful random mmap: would Linux have refused it? */
void check_mmap_result(struct wctx *w, const uint64_t *a, long ret)
{
	struct stat st;

	if (avoided(CK_MMAP_FILE) || (ret < 0 && ret >= -4095) || (a[3] & MAP_ANONYMOUS))
		return;
	long fl = RAW(SYS_fcntl, (long)a[4], F_GETFL);
	if (fl < 0 || RAW(SYS_fstat, (long)a[4], &st) != 0 || !S_ISREG(st.st_mode))
		return;
	uint64_t len = (a[1] + PAGE - 1) & ~(PAGE - 1);
	if ((fl & O_ACCMODE) == O_WRONLY)
		finding(w, CK_MMAP_FILE, "mmap(len %#lx, fd open O_WRONLY) = %#lx; Linux: -EACCES",
			(unsigned long)a[1], (unsigned long)ret);
	else if (len > 0x7fffffffffffffffUL || a[5] / PAGE > (0x7fffffffffffffffUL - len) / PAGE)
		finding(w, CK_MMAP_FILE, "mmap(len %#lx, offset %#lx) of a file = %#lx; Linux: -EOVERFLOW",
			(unsigned long)a[1], (unsigned long)a[5], (unsigned long)ret);
}

static void check_mmap_file(struct wctx *w, struct op_share *unused)
{
	char path[96];
	static const unsigned long offs[] = { -PAGE, 0x7ffffffffffff000UL, 0x7fffffffffffe000UL };

	snprintf(path, sizeof path, "%s/x2", w->dir);
	int rw = (int)SYS(w, SYS_open, path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	int wo = (int)SYS(w, SYS_open, path, O_WRONLY, 0);
	SYS(w, SYS_pwrite64, rw, w->buf, 2 * PAGE, 0);
	uint64_t a[6] = { 0, 2 * PAGE, PROT_READ, MAP_PRIVATE, (uint64_t)rw, offs[below(&w->rng, 3)] };
	long r = SYS(w, SYS_mmap, a[0], a[1], a[2], a[3], a[4], a[5]);
	check_mmap_result(w, a, r);
	if (r >= 0 || r < -4095)
		RAW(SYS_munmap, r, a[1]);
	a[4] = (uint64_t)wo;
	a[5] = 0;
	r = SYS(w, SYS_mmap, a[0], a[1], a[2], a[3], a[4], a[5]);
	check_mmap_result(w, a, r);
	if (r >= 0 || r < -4095)
		RAW(SYS_munmap, r, a[1]);
	RAW(SYS_close, rw);
	RAW(SYS_close, wo);
}

/* ---- exit signals ------------------------------------------------------------------------- */

/* An orphan whose exit signal is not SIGCHLD must still be reaped by init's plain wait4(). */
static void check_orphan(struct wctx *w, struct op_share *share)
{
	int sig = chance(&w->rng, 50) ? 0 : SIGUSR1, st;

	prctl(PR_SET_CHILD_SUBREAPER, 0);	/* (a random prctl may have made us one: init must reap) */
	pid_t pid = fork_helper(w);
	if (pid == 0) {
		share->value = (int)nap_child(w, (unsigned long)sig, 0);
		RAW(SYS_exit_group, 0);		/* the child is an orphan now */
	}
	if (pid < 0 || wait_child(w, pid, &st, 1000) != 1 || share->value <= 0)
		return;
	for (int i = 0; i < 300; i++) {		/* 3 s for it to nap, exit and be reaped */
		if (RAW(SYS_kill, share->value, 0) == -ESRCH)
			return;
		fz_beat(w);
		sleep_ms(10);
	}
	finding(w, CK_ORPHAN_EXIT_SIGNAL, "an orphan made by clone() with exit signal %d is still "
		"there 3 s after it exited: init's wait4() does not reap it", sig);
}

/* clone(CLONE_PARENT | SIGUSR2): the new sibling's exit is signalled with the caller's own exit signal */
static void check_clone_parent(struct wctx *w, struct op_share *share)
{
	int st;

	listen_to(SIGUSR2);
	W->sig_count[SIGUSR2] = 0;
	W->last_si_pid[SIGUSR2] = 0;
	pid_t pid = fork_helper(w);
	if (pid == 0) {
		share->value = (int)nap_child(w, CLONE_PARENT | SIGUSR2, 0);
		RAW(SYS_exit_group, 0);
	}
	if (pid < 0 || wait_child(w, pid, &st, 1000) != 1 || share->value <= 0)
		return;
	if (wait_child(w, share->value, &st, 2000) != 1)
		return;
	for (int i = 0; i < 10 && !W->sig_count[SIGUSR2]; i++)
		sleep_ms(1);
	/* (the new process's exit notification: its pid, or 0 on a kernel with the
	 * exit-signal-si-pid defect; another child's SIGUSR2 exit signal has its own pid) */
	if (W->sig_count[SIGUSR2] && (W->last_si_pid[SIGUSR2] == share->value ||
				       (!W->last_si_pid[SIGUSR2] && W->last_si_code[SIGUSR2] == CLD_EXITED)))
		finding(w, CK_CLONE_PARENT_SIGNAL, "clone(CLONE_PARENT | SIGUSR2) from a child: its parent "
			"got SIGUSR2 when the new process exited; Linux sends the caller's own exit "
			"signal (SIGCHLD)");
}

/* a child with exit signal SIGUSR1: the signal's siginfo names it (pid, CLD_EXITED, status) */
static void check_exit_siginfo(struct wctx *w, struct op_share *share)
{
	int st;

	share->value = -1;
	pid_t pid = fork_helper(w);
	if (pid == 0) {
		listen_to(SIGUSR1);
		W->sig_count[SIGUSR1] = 0;
		long g = nap_child(w, SIGUSR1, 5);
		if (g <= 0)
			RAW(SYS_exit_group, 0);
		while (RAW(SYS_wait4, g, &st, 0x40000000, 0) == -EINTR)
			;
		for (int i = 0; i < 50 && !W->sig_count[SIGUSR1]; i++)
			sleep_ms(1);
		share->value = W->sig_count[SIGUSR1] && W->last_si_pid[SIGUSR1] == g &&
			    W->last_si_code[SIGUSR1] == CLD_EXITED && W->last_si_status[SIGUSR1] == 5;
		snprintf(share->text, sizeof share->text, "count %d si_pid %d (child %ld) si_code %d si_status %d",
			 W->sig_count[SIGUSR1], W->last_si_pid[SIGUSR1], g, W->last_si_code[SIGUSR1],
			 W->last_si_status[SIGUSR1]);
		RAW(SYS_exit_group, 0);
	}
	if (pid < 0 || wait_child(w, pid, &st, 2000) != 1)
		return;
	if (share->value == 0)
		finding(w, CK_EXIT_SIGNAL_SIPID, "exit signal SIGUSR1 of a child that exited 5: %s; "
			"Linux: one signal, si_pid the child, CLD_EXITED, status 5", share->text);
}

/* ---- a private file mapping past the end of the file -------------------------------------- */

static void check_truncate(struct wctx *w, struct op_share *unused)
{
	char path[96];
	int st, before = chance(&w->rng, 50);	/* map before or after the truncation */

	snprintf(path, sizeof path, "%s/x3", w->dir);
	int fd = (int)SYS(w, SYS_open, path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return;
	SYS(w, SYS_pwrite64, fd, w->buf, 2 * PAGE, 0);
	pid_t pid = fork_helper(w);
	if (pid == 0) {
		raw_sigaction(SIGBUS, SIG_DFL, 0, 0);
		long p = before ? RAW(SYS_mmap, 0, 2 * PAGE, PROT_READ, MAP_PRIVATE, fd, 0) : 0;
		RAW(SYS_ftruncate, fd, 100);
		if (!before)
			p = RAW(SYS_mmap, 0, 2 * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
		if (p < 0 && p >= -4095)
			RAW(SYS_exit_group, 3);
		(void)*(volatile char *)(p + PAGE);
		RAW(SYS_exit_group, 0);
	}
	RAW(SYS_close, fd);
	if (pid < 0 || wait_child(w, pid, &st, 2000) != 1)
		return;
	if (!(WIFSIGNALED(st) && WTERMSIG(st) == SIGBUS) && !(WIFEXITED(st) && WEXITSTATUS(st) == 3))
		finding(w, CK_TRUNCATE_SIGBUS, "a private file mapping (made %s ftruncate to 100 bytes) "
			"read its second page: %s; Linux: SIGBUS", before ? "before" : "after",
			WIFEXITED(st) ? "no signal" : "another signal");
}

long op_check(struct wctx *w, uint64_t *a, uint8_t *k)
{
	static void (*const run[NR_CHECKS])(struct wctx *, struct op_share *) = {
		[CK_ORPHAN_EXIT_SIGNAL] = check_orphan,
		[CK_CLONE_PARENT_SIGNAL] = check_clone_parent,
		[CK_MMAP_FILE] = check_mmap_file,
		[CK_EXIT_SIGNAL_SIPID] = check_exit_siginfo,
		[CK_TRUNCATE_SIGBUS] = check_truncate,
	};
	int c = (int)below(&w->rng, NR_CHECKS);
	struct op_share *share;

	if (!run[c] || avoided((enum check)c) || !(share = op_share_new()))
		return 0;
	a[0] = (uint64_t)c;
	op_note(w, a, k);
	sane_process();
	run[c](w, share);
	op_share_free(share);
	return c;
}
