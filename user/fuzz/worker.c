/*
 * A worker: one forked process that makes random calls until its share of
 * the run is done, the parent says stop, or its incarnation's quota of
 * calls runs out (then it exits and the parent starts the next incarnation,
 * so exit paths are fuzzed too and what the worker leaked comes back).
 *
 * Each incarnation starts from its own seed (incarnation_seed()), in a new
 * session (so its process-group kills cannot reach the parent), with fds
 * 0-2 on /dev/null, and builds its fixtures: files in its scratch directory
 * /tmp/fuzz/wN, a pool of descriptors, a valid buffer, the page before an
 * unmapped one, a read-only page, and the arena, a reserved range that the
 * mmap-family calls play in.
 *
 * Every call is logged in the slot's ring in shared memory before it is
 * made (log_begin) and completed after (log_end); the slot's `cur` names
 * the call in progress. Operations log their own steps the same way.
 */
#include "fuzz.h"
#include <sys/stat.h>
#include <ucontext.h>

struct wctx *W;
static struct wctx ctx;
static uint64_t scribble_rng;
static int scribble_left = -1;		/* handler runs left before the scribbler gives up (-1: no limit) */
static struct call_rec *op_rec;		/* the operation in progress, if any */
static int op_steps;
static int nfixed_fds;

#define EDGE_BASE 0x300000000000UL	/* [RW page][unmapped page][read-only page] */
#define LOGGED_OP_STEPS (RING - 8)	/* steps of an operation beyond these are made but not logged */

/* ---- output ------------------------------------------------------------------------ */

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof buf - 1)
		n = sizeof buf - 1;
	if (n > 0)
		RAW(SYS_write, REPLAY_FD, buf, n);
}

void finding(struct wctx *w, enum check c, const char *fmt, ...)
{
	int i = __atomic_fetch_add(&sh->nfindings, 1, __ATOMIC_RELAXED);
	va_list ap;

	if (i >= MAX_FINDINGS)
		return;
	struct finding *f = &sh->finding[i];
	snprintf(f->check, sizeof f->check, "%s", check_name[c]);
	va_start(ap, fmt);
	vsnprintf(f->text, sizeof f->text, fmt, ap);
	va_end(ap);
	f->slot = w->slot;
	f->incarnation = w->incarnation;
	f->seq = __atomic_load_n(&w->sl->calls, __ATOMIC_RELAXED);
	if (opt.replay)
		say("w%d.%u check %s: %s\n", w->slot, w->incarnation, f->check, f->text);
}

/* ---- logging calls -------------------------------------------------------------------- */

static struct call_rec *log_begin(struct wctx *w, int entry, const uint64_t *a, const uint8_t *k,
				  uint64_t *prev)
{
	struct slot *sl = w->sl;
	uint64_t seq = sl->calls + 1;
	struct call_rec *r = &sl->ring[seq % RING];

	__atomic_store_n(&r->done, 0, __ATOMIC_RELAXED);
	r->seq = seq;
	r->incarnation = w->incarnation;
	r->entry = (int16_t)entry;
	memcpy(r->arg, a, sizeof r->arg);
	memcpy(r->kind, k, sizeof r->kind);
	__atomic_store_n(&sl->calls, seq, __ATOMIC_RELEASE);
	*prev = sl->cur;
	__atomic_store_n(&sl->cur, seq, __ATOMIC_RELEASE);
	if (opt.replay) {
		char line[400];
		format_call(line, sizeof line, r);
		say("w%d.%u #%lu %s\n", w->slot, w->incarnation, (unsigned long)seq, line);
	}
	return r;
}

static void log_end(struct wctx *w, struct call_rec *r, long ret, uint64_t prev)
{
	r->ret = ret;
	__atomic_store_n(&r->done, 1, __ATOMIC_RELEASE);
	if (ret < 0 && ret >= -4095)
		w->sl->errors[-ret < NR_ERRNO ? -ret : NR_ERRNO]++;
	if (opt.replay && table[r->entry].op) {	/* an operation: what it chose, and its result */
		char line[400];
		format_call(line, sizeof line, r);
		say("w%d.%u #%lu %s\n", w->slot, w->incarnation, (unsigned long)r->seq, line);
	} else if (opt.replay) {
		if (ret < 0 && ret >= -4095)
			say("w%d.%u #%lu = %ld %s\n", w->slot, w->incarnation, (unsigned long)r->seq, ret,
			    errno_name((int)-ret));
		else
			say("w%d.%u #%lu = %#lx\n", w->slot, w->incarnation, (unsigned long)r->seq, ret);
	}
	__atomic_store_n(&w->sl->cur, prev, __ATOMIC_RELEASE);
}

static long invoke(const struct entry *e, const uint64_t *a)
{
	long nr = e->nr;

	if (nr == -2) {		/* nosys: the number is the first argument */
		nr = a[0] < 450 && (long)a[0] >= 0 ? 450 : (long)a[0];
		return raw6(nr, (long)a[1], (long)a[2], 0, 0, 0, 0);
	}
	return raw6(nr, (long)a[0], (long)a[1], (long)a[2], (long)a[3], (long)a[4], (long)a[5]);
}

long fz_call(struct wctx *w, int entry, const uint64_t *arg, const uint8_t *kind)
{
	const struct entry *e = &table[entry];
	uint64_t a[6], prev;
	uint8_t k[6];
	long ret;

	memcpy(a, arg, sizeof a);
	memcpy(k, kind, sizeof k);
	if (w->in_child || (op_rec && op_steps++ >= LOGGED_OP_STEPS)) {
		fz_beat(w);
		ret = e->op ? e->op(w, a, k) : invoke(e, a);
	} else if (e->op) {
		struct call_rec *r = log_begin(w, entry, a, k, &prev);
		op_rec = r;
		op_steps = 0;
		__atomic_store_n(&w->sl->op_seq, r->seq, __ATOMIC_RELEASE);
		ret = e->op(w, a, k);
		op_rec = NULL;
		__atomic_store_n(&w->sl->op_seq, 0, __ATOMIC_RELEASE);
		memcpy(r->arg, a, sizeof r->arg);
		memcpy(r->kind, k, sizeof r->kind);
		log_end(w, r, ret, prev);
	} else {
		struct call_rec *r = log_begin(w, entry, a, k, &prev);
		ret = invoke(e, a);
		log_end(w, r, ret, prev);
	}
	if (e->post)
		e->post(w, a, ret);
	return ret;
}

/* an operation's step: a system call by number, logged under its table name */
long fz_sys(struct wctx *w, int nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
	static int16_t entry_of[512];
	static int ready;
	uint64_t a[6] = { a0, a1, a2, a3, a4, a5 }, prev;
	uint8_t k[6] = { 0 };

	if (!ready) {
		for (int i = 0; i < 512; i++)
			entry_of[i] = (int16_t)entry_of_nr(i);
		ready = 1;
	}
	int e = nr >= 0 && nr < 512 ? entry_of[nr] : -1;
	if (w->in_child || e < 0 || (op_rec && op_steps++ >= LOGGED_OP_STEPS)) {
		fz_beat(w);
		return raw6(nr, a0, a1, a2, a3, a4, a5);
	}
	struct call_rec *r = log_begin(w, e, a, k, &prev);
	long ret = raw6(nr, a0, a1, a2, a3, a4, a5);
	if (ret == 0 && (nr == SYS_fork || nr == SYS_vfork || nr == SYS_clone || nr == SYS_clone3)) {
		w->in_child = 1;	/* the child: the record is the parent's to complete */
		return 0;
	}
	log_end(w, r, ret, prev);
	return ret;
}

/* progress that is not a call: an operation polling a child */
void fz_beat(struct wctx *w)
{
	if (!w->in_child)
		__atomic_store_n(&w->sl->beat, w->sl->beat + 1, __ATOMIC_RELEASE);
}

/* record an operation's arguments (what it chose) in its log entry */
void op_note(struct wctx *w, const uint64_t *a, const uint8_t *k)
{
	if (op_rec && !w->in_child) {
		memcpy(op_rec->arg, a, sizeof op_rec->arg);
		memcpy(op_rec->kind, k, sizeof op_rec->kind);
	}
}

/* ---- signals ------------------------------------------------------------------------------ */

static void on_nudge(int sig) { (void)sig; }

long raw_sigaction(int sig, void *handler, unsigned long flags, void *restorer)
{
	struct { void *handler; unsigned long flags; void *restorer; uint64_t mask; } ka = {
		handler, flags | 0x04000000 /* SA_RESTORER */, restorer ? restorer : (void *)sig_restorer, 0,
	};
	return RAW(SYS_rt_sigaction, sig, &ka, 0, 8);
}

static void on_fault(int sig, siginfo_t *si, void *uc)
{
	long tid = RAW(SYS_gettid);

	(void)uc;
	if (!W || si->si_code <= 0)	/* sent by someone (kill, tgkill): nothing to recover from */
		return;
	if (W->touching && tid == W->tid)
		siglongjmp(W->touch_jmp, 1);
	if (tid != W->tid)		/* a clone child sharing our handlers: end only it */
		RAW(SYS_exit, 128 + sig);
	raw_sigaction(sig, SIG_DFL, 0, 0);	/* a real fault: die of it */
}

void sig_record(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (!W || sig < 1 || sig > 64)
		return;
	W->last_si_pid[sig] = si->si_pid;
	W->last_si_code[sig] = si->si_code;
	W->last_si_status[sig] = si->si_status;
	W->sig_count[sig]++;
}

/* a handler that forges its own return: the kernel's rt_sigreturn must cope */
void sig_scribble(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	greg_t *g = uc->uc_mcontext.gregs;
	static const unsigned long junk[] = { 0, KADDR, NONCANON, ARENA, 0x7ffffffff000UL, 1 };

	(void)si;
	if (scribble_left >= 0 && scribble_left-- == 0)	/* the next one is fatal */
		raw_sigaction(sig, SIG_DFL, 0, 0);
	for (int n = 1 + (int)below(&scribble_rng, 3); n > 0; n--) {
		switch (below(&scribble_rng, 12)) {
		case 0: g[REG_RIP] = (greg_t)junk[below(&scribble_rng, 6)]; break;
		case 1: g[REG_RSP] = (greg_t)junk[below(&scribble_rng, 6)]; break;
		case 2: g[REG_EFL] = (greg_t)rnd(&scribble_rng); break;
		case 3: g[REG_CSGSFS] = (greg_t)rnd(&scribble_rng); break;
		case 4: uc->uc_mcontext.fpregs = (fpregset_t)junk[below(&scribble_rng, 6)]; break;
		case 5:
			if (uc->uc_mcontext.fpregs)
				uc->uc_mcontext.fpregs = (fpregset_t)((char *)uc->uc_mcontext.fpregs + 1 +
								      below(&scribble_rng, 63));
			break;
		case 6:
			if (uc->uc_mcontext.fpregs) {	/* mxcsr, the x87 words, the xsave header */
				unsigned char *fp = (unsigned char *)uc->uc_mcontext.fpregs;
				unsigned off = (unsigned)below(&scribble_rng, 576);
				for (int i = 0; i < 8; i++)
					fp[off + i] = (unsigned char)rnd(&scribble_rng);
			}
			break;
		case 7: memset(&uc->uc_sigmask, 0xff, 8); break;
		case 8: uc->uc_flags = rnd(&scribble_rng); break;
		case 9: uc->uc_stack.ss_sp = (void *)junk[below(&scribble_rng, 6)];
			uc->uc_stack.ss_size = rnd(&scribble_rng); break;
		default: break;		/* the frame as the kernel made it */
		}
	}
}

void seed_scribbler(uint64_t seed) { scribble_rng = seed; }
void scribble_limit(int n) { scribble_left = n; }

static void install_handlers(void)
{
	for (int sig = 1; sig <= 64; sig++) {
		if (sig == SIGKILL || sig == SIGSTOP)
			continue;
		if (sig == SIGALRM)
			raw_sigaction(sig, (void *)on_nudge, 0, 0);
		else if (sig == SIGSEGV || sig == SIGBUS)
			raw_sigaction(sig, (void *)on_fault, SA_SIGINFO | SA_NODEFER, 0);
		else
			raw_sigaction(sig, (void *)sig_record, SA_SIGINFO, 0);
	}
}

int fz_touch(struct wctx *w, volatile char *p, int write)
{
	w->touching = 1;
	if (sigsetjmp(w->touch_jmp, 1)) {
		w->touching = 0;
		return -1;
	}
	if (write)
		*p = (char)(*p + 1);
	else
		(void)*p;
	w->touching = 0;
	return 0;
}

/* ---- pools ---------------------------------------------------------------------------------- */

void add_fd(struct wctx *w, int fd, enum fdkind kind)
{
	if (fd < 0 || bad_fd(fd))
		return;
	if (w->nfds < MAX_FDS) {
		w->fdkind[w->nfds] = (uint8_t)kind;
		w->fd[w->nfds++] = fd;
		return;
	}
	int i = nfixed_fds + (int)below(&w->rng, MAX_FDS - nfixed_fds);
	if (w->fd[i] != fd)
		RAW(SYS_close, w->fd[i]);
	w->fd[i] = fd;
	w->fdkind[i] = (uint8_t)kind;
}

int fd_of_kind(struct wctx *w, enum fdkind kind)
{
	int n = 0, pick = -1;

	for (int i = 0; i < w->nfds; i++)
		if (w->fdkind[i] == kind && below(&w->rng, ++n) == 0)
			pick = w->fd[i];
	return pick;
}

void add_kid(struct wctx *w, pid_t pid)
{
	if (pid <= 0)
		return;
	if (w->nkids < MAX_KIDS)
		w->kid[w->nkids++] = pid;
	else
		w->kid[below(&w->rng, MAX_KIDS)] = pid;
}

void add_map(struct wctx *w, unsigned long addr, unsigned long len)
{
	if ((long)addr < 0 && (long)addr >= -4095)
		return;
	if (w->nmaps < MAX_MAPS) {
		w->map[w->nmaps].addr = addr;
		w->map[w->nmaps++].len = len;
	}
}

/* ---- children ------------------------------------------------------------------------------ */

struct op_share *op_share_new(void)
{
	long p = RAW(SYS_mmap, 0, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return p < 0 && p >= -4095 ? NULL : (struct op_share *)p;
}

void op_share_free(struct op_share *s)
{
	if (s)
		RAW(SYS_munmap, s, PAGE);
}

/*
 * Undo what random calls did to the process that a check relies on: its resource limits (a
 * tiny RLIMIT_STACK kills the next program at its first call) and its signal mask.
 */
void sane_process(void)
{
	uint64_t none = 0;

	for (int r = 0; r < 16; r++) {
		uint64_t lim[2] = { (uint64_t)-1, (uint64_t)-1 };
		if (r == 3 /* RLIMIT_STACK */)
			lim[0] = 8UL << 20;
		if (r == 7 /* RLIMIT_NOFILE */)
			lim[0] = 1024, lim[1] = 4096;
		RAW(SYS_prlimit64, 0, r, lim, 0);
	}
	RAW(SYS_rt_sigprocmask, SIG_SETMASK, &none, 0, 8);
}

/* a check counts on seeing sig: the random calls may have blocked it or changed its handler */
void listen_to(int sig)
{
	uint64_t set = 1UL << (sig - 1);

	raw_sigaction(sig, (void *)sig_record, SA_SIGINFO, 0);
	RAW(SYS_rt_sigprocmask, SIG_UNBLOCK, &set, 0, 8);
}

void sleep_ms(unsigned ms)
{
	long ts[2] = { ms / 1000, (long)(ms % 1000) * 1000000L };

	RAW(SYS_nanosleep, ts, 0);
}

static void sleep_us(long us)
{
	long ts[2] = { 0, us * 1000 };

	RAW(SYS_nanosleep, ts, 0);
}

/*
 * Wait up to ms for pid (any kind of child); then SIGKILL it and wait for
 * good. Returns 1 if it ended by itself, 0 if it had to be killed, -1 if
 * there was nothing to wait for.
 */
int wait_child(struct wctx *w, pid_t pid, int *status, unsigned ms)
{
	long waited = 0, step = 200;

	for (;;) {
		long r = RAW(SYS_wait4, pid, status, 1 /* WNOHANG */ | 0x40000000 /* __WALL */, 0);
		if (r == pid)
			return 1;
		if (r < 0 && r != -EINTR)
			return -1;
		if (waited >= (long)ms * 1000)
			break;
		fz_beat(w);
		sleep_us(step);
		waited += step;
		if (step < 16000)
			step *= 2;
	}
	RAW(SYS_kill, pid, SIGKILL);
	while (RAW(SYS_wait4, pid, status, 0x40000000, 0) == -EINTR)
		fz_beat(w);
	return 0;
}

static void reap_kids(struct wctx *w)
{
	long r;
	int st;

	while ((r = RAW(SYS_wait4, -1, &st, 1 | 0x40000000, 0)) > 0)
		for (int i = 0; i < w->nkids; i++)
			if (w->kid[i] == r)
				w->kid[i] = w->kid[--w->nkids];
}

/* ---- fixtures --------------------------------------------------------------------------------- */

static void *map_fixed(unsigned long addr, unsigned long len, int prot)
{
	long p = RAW(SYS_mmap, addr, len, prot, MAP_PRIVATE | MAP_ANONYMOUS | (addr ? MAP_FIXED_NOREPLACE : 0),
		     -1, 0);
	if (p < 0 && p >= -4095) {
		dprintf(REPLAY_FD, "fuzz: worker cannot map its fixtures: %s\n", strerror((int)-p));
		RAW(SYS_exit_group, 3);
	}
	return (void *)p;
}

static void write_file(const char *path, const void *data, size_t len, int mode)
{
	int fd = (int)RAW(SYS_open, path, O_WRONLY | O_CREAT | O_TRUNC, mode);

	if (fd >= 0) {
		RAW(SYS_write, fd, data, len);
		RAW(SYS_close, fd);
	}
}

static void open_fd(struct wctx *w, const char *path, int flags, enum fdkind kind)
{
	add_fd(w, (int)RAW(SYS_open, path, flags, 0), kind);
}

static void make_files(struct wctx *w)
{
	char p[128];

	rm_tree(w->dir);
	RAW(SYS_mkdir, w->dir, 0755);
	RAW(SYS_chdir, w->dir);
	for (size_t i = 0; i < 3 * PAGE + 100; i++)
		w->buf[i] = (char)('a' + i % 26);
	write_file("f0", w->buf, 3 * PAGE + 100, 0644);
	write_file("f1", "", 0, 0644);
	RAW(SYS_mkdir, "d0", 0755);
	RAW(SYS_mkdir, "d1", 0755);
	write_file("d0/f0", "x", 1, 0644);
	RAW(SYS_symlink, "f0", "l0");
	RAW(SYS_symlink, "nope", "l1");
	RAW(SYS_symlink, "l2", "l2");
	snprintf(p, sizeof p, "%s/e0", w->dir);
	write_elf(w, p, 0);
	snprintf(p, sizeof p, "%s/e1", w->dir);
	write_elf(w, p, 1);
}

static void open_fds(struct wctx *w)
{
	int p[2];

	open_fd(w, "f0", O_RDWR, FD_FILE_RW);
	open_fd(w, "f0", O_RDONLY, FD_FILE_RO);
	open_fd(w, "f0", O_WRONLY, FD_FILE_WO);
	open_fd(w, "f1", O_RDWR | O_APPEND, FD_FILE_RW);
	open_fd(w, "/dev/null", O_RDWR, FD_DEV);
	open_fd(w, "/dev/zero", O_RDONLY, FD_DEV);
	open_fd(w, ".", O_RDONLY | O_DIRECTORY, FD_DIR);
	open_fd(w, "d0", O_RDONLY | O_DIRECTORY, FD_DIR);
	open_fd(w, "/", O_RDONLY | O_DIRECTORY, FD_DIR);
	open_fd(w, "e0", O_RDONLY, FD_ELF);
	if (RAW(SYS_pipe2, p, 0) == 0) {
		add_fd(w, p[0], FD_PIPE_R);
		add_fd(w, p[1], FD_PIPE_W);
	}
	if (RAW(SYS_pipe2, p, O_NONBLOCK) == 0) {
		add_fd(w, p[0], FD_PIPE_R);
		add_fd(w, p[1], FD_PIPE_W);
	}
	nfixed_fds = w->nfds;
}

static void make_memory(struct wctx *w)
{
	/* the buffer, twice BUF_SIZE (a valid pointer is in the first half, a length up to
	 * BUF_SIZE), then a guard page */
	w->buf = map_fixed(0, 2 * BUF_SIZE + PAGE, PROT_READ | PROT_WRITE);
	RAW(SYS_mprotect, w->buf + 2 * BUF_SIZE, PAGE, PROT_NONE);
	w->st = map_fixed(0, ARGS_SIZE, PROT_READ | PROT_WRITE);
	char *e = map_fixed(EDGE_BASE, 3 * PAGE, PROT_READ | PROT_WRITE);
	memset(e, 'a', PAGE);			/* strings there have no end */
	RAW(SYS_munmap, e + PAGE, PAGE);
	w->edge = e + PAGE;
	w->ro = e + 2 * PAGE;
	strcpy(w->ro, "/tmp");
	RAW(SYS_mprotect, w->ro, PAGE, PROT_READ);
	/* the arena: reserved, its first pages usable */
	map_fixed(ARENA, ARENA_PAGES * PAGE, PROT_NONE);
	RAW(SYS_mprotect, ARENA, 64 * PAGE, PROT_READ | PROT_WRITE);
	w->longpath = map_fixed(0, 2 * PAGE, PROT_READ | PROT_WRITE);
	memset(w->longpath, 'a', 2 * PAGE - 1);
	for (int i = 200; i < 4096 - 300; i += 200)
		w->longpath[i] = '/';
	w->longpath[0] = '/';
}

/* ---- the worker -------------------------------------------------------------------------------- */

static void setup(struct wctx *w)
{
	char name[16];
	int fd = (int)RAW(SYS_open, "/dev/null", O_RDWR, 0);

	RAW(SYS_setsid);
	snprintf(name, sizeof name, "fuzz-w%d", w->slot);
	RAW(SYS_prctl, 15 /* PR_SET_NAME */, name, 0, 0, 0);
	if (opt.replay)
		RAW(SYS_dup2, 1, REPLAY_FD);
	else
		RAW(SYS_dup2, fd, REPLAY_FD);
	for (int i = 0; i < 3; i++)
		RAW(SYS_dup2, fd, i);
	if (fd > 2)
		RAW(SYS_close, fd);
	save_thread_pointer();
	install_handlers();
	make_memory(w);
	snprintf(w->dir, sizeof w->dir, "/tmp/fuzz/w%d", w->slot);
	snprintf(w->elf_ok, sizeof w->elf_ok, "%s/x0", w->dir);
	snprintf(w->elf_bad, sizeof w->elf_bad, "%s/x1", w->dir);
	unmount_under(w->dir);
	make_files(w);
	open_fds(w);
}

int worker_main(int slot, uint32_t incarnation)
{
	struct wctx *w = &ctx;

	W = w;
	w->slot = slot;
	w->incarnation = incarnation;
	w->sl = &sh->slot[slot];
	w->rng = incarnation_seed(opt.seed, slot, incarnation);
	w->pid = (pid_t)RAW(SYS_getpid);
	w->tid = (pid_t)RAW(SYS_gettid);
	seed_scribbler(rnd(&w->rng));
	setup(w);
	w->calls_left = 200 + below(&w->rng, 1800);
	if (opt.replay)
		say("w%d.%u: pid %d, seed %#lx\n", slot, incarnation, w->pid, (unsigned long)w->sl->seed);
	uint64_t base = w->rng;
	for (unsigned long n = 0;; n++) {
		if (__atomic_load_n(&sh->stop, __ATOMIC_ACQUIRE) || !w->calls_left--)
			break;
		if (w->sl->budget && __atomic_load_n(&w->sl->calls, __ATOMIC_RELAXED) >= w->sl->budget)
			break;
		if (n % 16 == 15)
			reap_kids(w);
		/*
		 * Each call's choices come from the incarnation's seed and the call's index alone:
		 * an operation that drew more or fewer numbers than in an earlier run of the
		 * seed (it waited, a signal came) does not change the calls that follow it.
		 */
		w->rng = mix64(base + (n + 1) * 0x9e3779b97f4a7c15ULL);
		int e = pick_entry(w);
		uint64_t a[6];
		uint8_t k[6];
		for (int i = 0; i < 6; i++)
			a[i] = gen_arg(w, &table[e].arg[i], &k[i]);
		if (table[e].fix)
			table[e].fix(w, a, k);
		fz_call(w, e, a, k);
	}
	RAW(SYS_exit_group, 0);
	return 0;
}

/* ---- helpers shared with the parent ------------------------------------------------------------ */

/* is path at or below dir ("/tmp/fuzz/w1" is below "/tmp/fuzz", "/tmp/fuzz2" is not) */
static int below_dir(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	return !strncmp(path, dir, n) && (path[n] == '/' || !path[n] || dir[n - 1] == '/');
}

/*
 * The mount points in /proc/self/mounts, in the order of the table (oldest first): up to
 * max of them into mp[], which point into buf. Returns how many (0 without /proc).
 */
int mount_points(char *buf, size_t size, char **mp, int max)
{
	int fd = (int)RAW(SYS_open, "/proc/self/mounts", O_RDONLY, 0), n = 0;
	long len = fd >= 0 ? RAW(SYS_read, fd, buf, size - 1) : 0;

	RAW(SYS_close, fd);
	buf[len > 0 ? len : 0] = 0;
	for (char *line = buf, *next; *line && n < max; line = next) {
		next = strchr(line, '\n') ? strchr(line, '\n') + 1 : line + strlen(line);
		char *p = strchr(line, ' '), *end = p ? strchr(p + 1, ' ') : NULL;
		if (end) {
			*end = 0;
			mp[n++] = p + 1;
		}
	}
	return n;
}

/*
 * Detach every mount at or below prefix: from /proc/self/mounts when there is one, and the
 * scratch directories blindly. A mount outlives the worker that made it.
 */
void unmount_under(const char *prefix)
{
	char buf[8192], dir[96], *mp[64];
	int again = 1;

	for (int pass = 0; pass < 8 && again; pass++) {
		int n = mount_points(buf, sizeof buf, mp, 64);
		again = 0;
		for (int i = n - 1; i >= 0; i--)
			if (below_dir(mp[i], prefix) && RAW(SYS_umount2, mp[i], 2 /* MNT_DETACH */) == 0)
				again = 1;
	}
	for (int i = 0; i < MAX_WORKERS * 3; i++) {
		snprintf(dir, sizeof dir, "/tmp/fuzz/w%d%s", i / 3, i % 3 == 0 ? "" : i % 3 == 1 ? "/d0" : "/d1");
		if (below_dir(dir, prefix))
			while (RAW(SYS_umount2, dir, 2) == 0)
				;
	}
}

/* remove path and, if it is a directory, everything in it (raw calls: no malloc) */
void rm_tree(const char *path)
{
	char buf[2048], sub[512];
	struct stat st;

	if (RAW(SYS_lstat, path, &st) != 0)
		return;
	if (!S_ISDIR(st.st_mode)) {
		RAW(SYS_unlink, path);
		return;
	}
	for (int pass = 0; pass < 4 && RAW(SYS_rmdir, path) != 0; pass++) {
		int fd = (int)RAW(SYS_open, path, O_RDONLY | O_DIRECTORY, 0);
		if (fd < 0)
			return;
		long n;
		while ((n = RAW(SYS_getdents64, fd, buf, sizeof buf)) > 0) {
			for (long off = 0; off < n;) {
				unsigned short reclen = *(unsigned short *)(buf + off + 16);
				const char *name = buf + off + 19;
				off += reclen;
				if (strcmp(name, ".") && strcmp(name, "..")) {
					snprintf(sub, sizeof sub, "%s/%s", path, name);
					rm_tree(sub);
				}
			}
		}
		RAW(SYS_close, fd);
	}
}
