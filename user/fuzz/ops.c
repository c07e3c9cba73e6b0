/*
 * Operations: sequences of calls that a table of independent random calls
 * would almost never produce, and where kernels keep their bugs: clone with
 * random flags, threads that exec while their leader sleeps, exits or
 * unmaps, signal frames forged by a handler or made up whole, malformed
 * and truncated ELF files and scripts, storms of mmap/munmap/mprotect/brk
 * with a thread racing in the same address space, futex waits and wakes
 * across threads, pipes whose other end dies, signals hailing on blocked
 * calls, /proc files read while they change, memory cgroups whose members
 * take memory while their limits change and the group is killed, the whole
 * machine out of memory while the victim changes its mappings.
 *
 * Whatever may kill its caller runs in a forked helper (fork_helper()),
 * which the worker waits for with a deadline and then kills: an operation
 * never takes the worker down unless it means to. Each operation records
 * what it chose as its arguments (op_note), so the log says which variant
 * ran; its steps are logged as calls of their own.
 */
#include "fuzz.h"
#include <elf.h>

#define ELF_STATUS 7		/* what the valid programs written here exit with */
#define PTHREAD_FLAGS (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | \
		       CLONE_SYSVSEM | CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID)

/* a forked helper: returns 0 in the helper, which must end with exit_group */
pid_t fork_helper(struct wctx *w)
{
	long pid = SYS(w, SYS_fork);

	if (pid == 0) {
		w->in_child = 1;
		w->pid = w->tid = (pid_t)RAW(SYS_getpid);
		seed_scribbler(rnd(&w->rng));
	}
	return pid < 0 ? -1 : (pid_t)pid;
}

void child_proto(struct wctx *w, struct child_arg *a, int mode)
{
	memset(a, 0, sizeof *a);
	a->rng = rnd(&w->rng);
	a->worker_tid = w->tid;
	a->self = opt.self;
	a->elf_ok = w->elf_ok;
	a->elf_bad = w->elf_bad;
	a->arena = ARENA;
	a->futex_word = &w->sl->futex_word;
	a->mode = mode;
}

static int exit_signal(struct wctx *w, unsigned long flags)
{
	if (flags & CLONE_THREAD)
		return chance(&w->rng, 90) ? 0 : (int)below(&w->rng, 65);
	if ((flags & CLONE_PARENT) && avoided(CK_CLONE_PARENT_SIGNAL))
		return SIGCHLD;
	if (avoided(CK_ORPHAN_EXIT_SIGNAL) || chance(&w->rng, 60))
		return SIGCHLD;
	return chance(&w->rng, 40) ? 0 : (int)(1 + below(&w->rng, 64));
}

static unsigned long clone_flags(struct wctx *w)
{
	static const unsigned long bases[] = {
		0, CLONE_VM, CLONE_VM | CLONE_SIGHAND, CLONE_VM | CLONE_SIGHAND | CLONE_THREAD,
		CLONE_VM | CLONE_VFORK, PTHREAD_FLAGS, CLONE_FILES | CLONE_FS, CLONE_PARENT,
	};
	unsigned long f = bases[below(&w->rng, 8)];

	for (int bit = 8; bit < 32; bit++) {
		unsigned long b = 1UL << bit;
		int ns = b >= CLONE_NEWCGROUP && b != CLONE_IO;	/* namespaces: rarely */
		if (chance(&w->rng, ns ? 1 : 6))
			f ^= b;
	}
	if (chance(&w->rng, 2))
		f |= rnd(&w->rng) << 32;
	return (f & ~0xffUL) | (unsigned long)exit_signal(w, f);
}

long op_clone(struct wctx *w, uint64_t *a, uint8_t *k)
{
	static const unsigned long bad_stacks[] = { 0, KADDR, NONCANON, 3 };
	static const unsigned long tls[] = { 0, KADDR, NONCANON, ARENA };
	struct child_arg proto;
	unsigned long flags = clone_flags(w);

	a[0] = flags;
	a[1] = (flags & CLONE_VM) ? (chance(&w->rng, 90) ? 1 : bad_stacks[below(&w->rng, 4)])
				  : (chance(&w->rng, 70) ? 0 : 1);
	a[2] = chance(&w->rng, 80) ? (k[2] = P_VALID, (uint64_t)(w->st + 8)) : gen_ptr(w, &k[2], 0);
	a[3] = chance(&w->rng, 80) ? (k[3] = P_VALID, (uint64_t)(w->st + 16)) : gen_ptr(w, &k[3], 0);
	a[4] = !(flags & CLONE_SETTLS) ? 0 : chance(&w->rng, 60) ? (uint64_t)w->buf : tls[below(&w->rng, 4)];
	op_note(w, a, k);
	child_proto(w, &proto, CHILD_MENU);
	proto.in_thread = !!(flags & CLONE_VM);
	long ret = spawn_child(w, SYS_clone, flags, a[1], (long)a[2], (long)a[3], a[4], &proto);
	if (ret > 0 && !(flags & CLONE_THREAD))
		add_kid(w, (pid_t)ret);
	return ret;
}

/*
 * clone3: the same flags (the high ones too: CLONE_CLEAR_SIGHAND, CLONE_INTO_CGROUP), the exit
 * signal in its own field, the stack as base and size, the struct at each size the kernel
 * knows and at others. The trampoline moves the child to its own stack whatever the struct
 * says.
 */
long op_clone3(struct wctx *w, uint64_t *a, uint8_t *k)
{
	static const uint64_t sizes[] = { 64, 80, 88, 88, 88, 63, 96, 4096, 0 };
	struct clone_args { uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size,
			    tls, set_tid, set_tid_size, cgroup; } *ca = (void *)(w->st + 2048);
	uint64_t flags = clone_flags(w), tid[2] = { 0, 0 };
	struct child_arg proto;

	memset(ca, 0, sizeof *ca);
	ca->flags = (flags & ~0xffUL) | (chance(&w->rng, 5) ? 1ULL << (32 + below(&w->rng, 3)) : 0);
	ca->exit_signal = chance(&w->rng, 95) ? (flags & 0xff) : rnd(&w->rng);
	ca->child_tid = (uint64_t)(w->st + 16);
	ca->parent_tid = (uint64_t)(w->st + 8);
	ca->pidfd = (uint64_t)(w->st + 24);
	ca->tls = (flags & CLONE_SETTLS) ? (uint64_t)w->buf : 0;
	if (chance(&w->rng, 60)) {		/* a stack of 16 KiB in the worker's buffer */
		ca->stack = (uint64_t)w->buf + BUF_SIZE;
		ca->stack_size = 16384;
	} else if (chance(&w->rng, 50)) {
		uint8_t kind;		/* not logged: a[2] is the struct's size */
		ca->stack = gen_ptr(w, &kind, 0);
		ca->stack_size = gen_len(w);
	}
	if (chance(&w->rng, 5)) {		/* ask for a pid: ours (taken), or a random one */
		tid[0] = chance(&w->rng, 50) ? (uint64_t)w->pid : 2 + below(&w->rng, 1000);
		ca->set_tid = (uint64_t)tid;
		ca->set_tid_size = chance(&w->rng, 80) ? 1 : below(&w->rng, 40);
	}
	ca->cgroup = (uint64_t)(long)gen_fd(w);
	a[0] = ca->flags;
	a[1] = ca->exit_signal;
	a[2] = sizes[below(&w->rng, sizeof sizes / sizeof *sizes)];
	op_note(w, a, k);
	child_proto(w, &proto, CHILD_MENU);
	proto.in_thread = !!(ca->flags & CLONE_VM);
	long ret = spawn_child(w, SYS_clone3, (unsigned long)ca, a[2], 0, 0, 0, &proto);
	if (ret > 0 && !(ca->flags & CLONE_THREAD))
		add_kid(w, (pid_t)ret);
	return ret;
}

static long fork_like(struct wctx *w, long nr)
{
	struct child_arg proto;

	child_proto(w, &proto, CHILD_MENU);
	proto.in_thread = nr == SYS_vfork;
	long ret = spawn_child(w, nr, 0, 0, 0, 0, 0, &proto);
	add_kid(w, (pid_t)ret);
	return ret;
}

long op_fork(struct wctx *w, uint64_t *a, uint8_t *k) { return fork_like(w, SYS_fork); }
long op_vfork(struct wctx *w, uint64_t *a, uint8_t *k) { return fork_like(w, SYS_vfork); }

/* ---- threads that exec -------------------------------------------------------------- */

enum { TX_EXIT, TX_KILL, TX_ELF, TX_BAD_ELF, TX_MISSING, NR_TX };
enum { LEADER_SLEEPS, LEADER_EXITS, LEADER_THREADS, LEADER_UNMAPS, NR_LEADER };
static const char *const tx_name[NR_TX] = { "exit", "kill", "elf", "bad-elf", "missing" };
static const char *const leader_name[NR_LEADER] = { "sleeps", "exits", "more threads", "unmaps" };
#define NO_THREAD 1		/* the exec_err of a helper that could not make its thread */

static void leader_waits(struct wctx *w, int how)
{
	struct child_arg proto;

	if (how == LEADER_EXITS)
		RAW(SYS_exit, 0);		/* the leader goes; its thread lives on */
	if (how == LEADER_THREADS) {
		child_proto(w, &proto, CHILD_ARENA);
		spawn_child(w, SYS_clone, CLONE_VM | CLONE_SIGHAND | CLONE_THREAD, 1, 0, 0, 0, &proto);
	}
	if (how == LEADER_UNMAPS) {
		child_proto(w, &proto, CHILD_ARENA);
		child_main(&proto);
	}
	for (int i = 0; i < 400; i++)
		sleep_ms(5);
	RAW(SYS_exit_group, 98);
}

/* What wait4 must report for the helper: the new program's end, or 99 if execve failed. */
static void expect_exec_status(struct wctx *w, int tx, int code, int leader, int err, int st)
{
	char want[48], got[48];
	int ok;

	if (err) {
		ok = WIFEXITED(st) && WEXITSTATUS(st) == 99;
		snprintf(want, sizeof want, "exit 99 (execve failed: %s)", errno_name(-err));
	} else if (tx == TX_KILL) {
		ok = WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL;
		snprintf(want, sizeof want, "killed by SIGKILL");
	} else {
		ok = WIFEXITED(st) && WEXITSTATUS(st) == code;
		snprintf(want, sizeof want, "exit %d", code);
	}
	/*
	 * A death by another signal proves nothing: any process may get one from the others
	 * (and the new program inherits what the worker did to its ignored signals). An exit
	 * status that is not the program's does.
	 */
	if (ok || !WIFEXITED(st))
		return;
	snprintf(got, sizeof got, "exit %d", WEXITSTATUS(st));
	finding(w, CK_EXEC_THREAD_STATUS, "a non-leader thread exec'd (%s, leader %s): wait4 saw %s, "
		"expected %s", tx_name[tx], leader_name[leader], got, want);
}

/* the helper: a thread that execs what tx says, while the leader does what `leader` says */
static void thread_exec_helper(struct wctx *w, int tx, int code, int leader, unsigned long flags,
			       struct op_share *share)
{
	static char code_str[8];
	static char *exit_argv[] = { "fuzz", "--child", "exit", code_str, NULL };
	static char *kill_argv[] = { "fuzz", "--child", "kill", NULL };
	struct child_arg proto;

	sane_process();
	snprintf(code_str, sizeof code_str, "%d", code);
	child_proto(w, &proto, CHILD_EXEC);
	proto.exec_path = tx == TX_EXIT || tx == TX_KILL ? opt.self : tx == TX_ELF ? w->elf_ok :
			  tx == TX_BAD_ELF ? w->elf_bad : "/nonexistent/fuzz";
	proto.exec_argv = tx == TX_KILL ? kill_argv : exit_argv;
	proto.exec_err = &share->value;
	if (spawn_child(w, SYS_clone, flags, 1, (long)(w->st + 8), (long)(w->st + 16), (unsigned long)w->buf,
			&proto) < 0)
		share->value = NO_THREAD;	/* (no stack left, or clone refused): nothing to check */
	leader_waits(w, leader);
}

long op_thread_exec(struct wctx *w, uint64_t *a, uint8_t *k)
{
	static const unsigned long extra[] = { CLONE_FS, CLONE_FILES, CLONE_SYSVSEM, CLONE_SETTLS,
					       CLONE_CHILD_CLEARTID, CLONE_PARENT_SETTID };
	int tx = (int)below(&w->rng, NR_TX), leader = (int)below(&w->rng, NR_LEADER);
	int code = 1 + (int)below(&w->rng, 120), st;
	unsigned long flags = CLONE_VM | CLONE_SIGHAND | CLONE_THREAD;
	struct op_share *share = op_share_new();

	for (int bit = 0; bit < 6; bit++)
		if (chance(&w->rng, 30))
			flags |= extra[bit];
	if (!share)
		return -1;
	a[0] = (uint64_t)tx;
	a[1] = (uint64_t)code;
	a[2] = (uint64_t)leader;
	a[3] = flags;
	op_note(w, a, k);
	if (tx == TX_ELF || tx == TX_BAD_ELF)
		write_elf(w, tx == TX_ELF ? w->elf_ok : w->elf_bad, tx == TX_BAD_ELF);
	pid_t pid = fork_helper(w);
	if (pid == 0)
		thread_exec_helper(w, tx, code, leader, flags, share);
	int ended = pid < 0 ? -1 : wait_child(w, pid, &st, 4000);
	if (ended == 1 && tx != TX_BAD_ELF && share->value != NO_THREAD && !avoided(CK_EXEC_THREAD_STATUS))
		expect_exec_status(w, tx, tx == TX_ELF ? ELF_STATUS : code, leader, share->value, st);
	op_share_free(share);
	return ended;
}

/* ---- forged signal frames -------------------------------------------------------------- */

static void raise_it(struct wctx *w, int sig, int how)
{
	volatile int *volatile nowhere = (int *)LOW_ADDR;

	switch (how) {
	case 0: RAW(SYS_kill, w->pid, sig); break;
	case 1: RAW(SYS_tgkill, w->pid, w->tid, sig); break;
	case 2: *nowhere = 1; break;					/* SIGSEGV */
	case 3: *(volatile char *)w->ro = 1; break;			/* SIGSEGV, a present page */
	case 4: __asm__ volatile("int3"); break;			/* SIGTRAP */
	default: __asm__ volatile("ud2"); break;			/* SIGILL */
	}
}

long op_sigframe(struct wctx *w, uint64_t *a, uint8_t *k)
{
	static const int how_sig[] = { SIGUSR1, 36, SIGSEGV, SIGSEGV, SIGTRAP, SIGILL };
	int how = (int)below(&w->rng, 6), st;
	unsigned long flags = SA_SIGINFO;

	if (chance(&w->rng, 30))
		flags |= SA_ONSTACK;
	if (chance(&w->rng, 20))
		flags |= SA_NODEFER;
	if (chance(&w->rng, 10))
		flags |= SA_RESETHAND;
	a[0] = (uint64_t)how_sig[how];
	a[1] = (uint64_t)how;
	a[2] = flags;
	a[3] = chance(&w->rng, 90) ? 0 : arena_addr(w);	/* the restorer: ours, or junk */
	op_note(w, a, k);
	pid_t pid = fork_helper(w);
	if (pid == 0) {
		scribble_limit(20);
		if (flags & SA_ONSTACK) {
			static const unsigned long sizes[] = { BUF_SIZE, 2048, 1 << 30 };
			struct { void *sp; int flags; size_t size; } ss = {
				w->buf + BUF_SIZE, 0, sizes[below(&w->rng, 3)] };
			RAW(SYS_sigaltstack, &ss, 0);
		}
		raw_sigaction((int)a[0], (void *)sig_scribble, flags, (void *)a[3]);
		for (int i = (int)below(&w->rng, 8); i >= 0; i--) {
			raise_it(w, (int)a[0], how);
			RAW(SYS_getpid);
		}
		RAW(SYS_exit_group, 0);
	}
	if (pid < 0)
		return -1;
	return wait_child(w, pid, &st, 1500);
}

/* rt_sigreturn with a frame nobody made: random words, or a plausible one */
static void landing(void) { RAW(SYS_exit_group, 42); }

long op_rt_sigreturn(struct wctx *w, uint64_t *a, uint8_t *k)
{
	int plausible = chance(&w->rng, 50), st;
	unsigned long *frame = (unsigned long *)(w->st + 2 * PAGE);

	a[0] = (uint64_t)plausible;
	op_note(w, a, k);
	pid_t pid = fork_helper(w);
	if (pid == 0) {
		fill_random(w, frame, PAGE);
		if (plausible) {
			/* rsp will be frame + 8: the restorer's return address was frame[0], the
			 * ucontext follows (flags, link, stack: 5 words), then the registers */
			unsigned long *g = frame + 6;
			memset(frame, 0, 1024);
			g[REG_RIP] = (unsigned long)landing;
			g[REG_RSP] = (unsigned long)(w->buf + BUF_SIZE - 64);
			g[REG_EFL] = 0x202 | (rnd(&w->rng) & 0x40dd5);
			g[REG_CSGSFS] = chance(&w->rng, 50) ? 0x33 : rnd(&w->rng);
			g[23] = chance(&w->rng, 50) ? 0 : rnd(&w->rng);	/* the fpstate pointer */
			g[32] = rnd(&w->rng) & rnd(&w->rng);			/* the signal mask */
		}
		__asm__ volatile("mov %0, %%rsp\n\tmov $15, %%eax\n\tsyscall\n\thlt"
				 :: "r"(frame + 1) : "memory");
	}
	if (pid < 0)
		return -1;
	return wait_child(w, pid, &st, 1000);
}

/* ---- malformed programs ------------------------------------------------------------------ */

/*
 * The programs exec'd here: tiny_elf() (ulib.h) exiting with ELF_STATUS, room after it for
 * a second program header (e_phoff moved there), and its mutations.
 */
struct fuzz_elf {
	struct tiny_elf t;
	Elf64_Phdr ph[2];
} __attribute__((packed));

static size_t fuzz_elf(struct fuzz_elf *e)
{
	tiny_elf(&e->t, ELF_STATUS);
	return sizeof e->t;
}

/* a second program header: both move after the code, the load covers them */
static size_t second_phdr(struct fuzz_elf *e, Elf64_Phdr ph)
{
	e->ph[0] = e->t.ph;
	e->ph[1] = ph;
	e->t.eh.e_phoff = offsetof(struct fuzz_elf, ph);
	e->t.eh.e_phnum = 2;
	e->ph[0].p_filesz = e->ph[0].p_memsz = sizeof *e;
	return sizeof *e;
}

static size_t mutate_elf(struct wctx *w, struct fuzz_elf *e, size_t size)
{
	static const uint64_t addrs[] = { 0, KADDR, NONCANON, 0x7ffffffff000UL, 0x1000, TINY_BASE + 1 };
	Elf64_Ehdr eh = e->t.eh;	/* (copies: the structs are packed) */
	int two = eh.e_phoff == offsetof(struct fuzz_elf, ph);
	Elf64_Phdr ph = two ? e->ph[0] : e->t.ph;

	switch (below(&w->rng, 14)) {
	case 0: return below(&w->rng, size);
	case 1:
		((unsigned char *)e)[below(&w->rng, size)] = (unsigned char)rnd(&w->rng);
		return size;
	case 2: eh.e_phnum = (Elf64_Half)(chance(&w->rng, 50) ? 0 : 100 + below(&w->rng, 0xff00)); break;
	case 3: eh.e_phoff = chance(&w->rng, 50) ? size - 10 : 1UL << (20 + below(&w->rng, 40)); break;
	case 4: ph.p_type = chance(&w->rng, 50) ? PT_INTERP : (Elf64_Word)rnd(&w->rng); break;
	case 5: ph.p_offset = chance(&w->rng, 50) ? 0x1001 : 1UL << (20 + below(&w->rng, 40)); break;
	case 6: ph.p_filesz = chance(&w->rng, 50) ? ph.p_memsz + 1 : 1UL << (20 + below(&w->rng, 40)); break;
	case 7: ph.p_memsz = chance(&w->rng, 50) ? 0 : 1UL << (12 + below(&w->rng, 48)); break;
	case 8: ph.p_vaddr = addrs[below(&w->rng, 6)]; break;
	case 9: eh.e_entry = addrs[below(&w->rng, 6)]; break;
	case 10: eh.e_type = (Elf64_Half)(chance(&w->rng, 50) ? ET_DYN : below(&w->rng, 8)); break;
	case 11:	/* two loads on the same pages */
		ph.p_vaddr += 2048 * below(&w->rng, 3);
		return second_phdr(e, ph);
	case 12:	/* a big bss */
		return second_phdr(e, (Elf64_Phdr){ PT_LOAD, PF_R | PF_W, 0, TINY_BASE + 0x200000, 0, 0,
						    1UL << (12 + below(&w->rng, 14)), PAGE });
	default:
		eh.e_ident[EI_CLASS] = ELFCLASS32;
		eh.e_machine = EM_386;
		break;
	}
	e->t.eh = eh;
	if (two)
		e->ph[0] = ph;
	else
		e->t.ph = ph;
	return size;
}

/* a prefix of our own binary, or a #! script */
static size_t other_program(struct wctx *w, char *out)
{
	if (chance(&w->rng, 50)) {
		int fd = (int)RAW(SYS_open, opt.self, O_RDONLY, 0);
		long n = fd >= 0 ? RAW(SYS_read, fd, out, BUF_SIZE) : 0;
		if (fd >= 0)
			RAW(SYS_close, fd);
		return n > 0 ? below(&w->rng, (uint64_t)n) : 0;
	}
	switch (below(&w->rng, 4)) {
	case 0: return (size_t)sprintf(out, "#!/nonexistent\n");
	case 1: return (size_t)sprintf(out, "#!%s\n", w->elf_bad);	/* runs itself: too deep */
	case 2: return (size_t)sprintf(out, "#!%s --child exit 5\n", opt.self);
	default:
		memset(out, 'a', 300);
		memcpy(out, "#!/", 3);
		return 300;		/* no newline */
	}
}

/* write a valid tiny program (exits ELF_STATUS) or, with mutate, a broken one; mode 0755 */
void write_elf(struct wctx *w, const char *path, int mutate)
{
	struct fuzz_elf *e = (struct fuzz_elf *)w->buf;
	size_t size = fuzz_elf(e);

	if (mutate && chance(&w->rng, 20))
		size = other_program(w, w->buf);
	else if (mutate)
		for (int n = 1 + (int)below(&w->rng, 3); n > 0; n--)
			size = mutate_elf(w, e, size);
	int fd = (int)RAW(SYS_open, path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	if (fd < 0)
		return;
	RAW(SYS_write, fd, w->buf, size);
	RAW(SYS_fchmod, fd, 0755);
	RAW(SYS_close, fd);
}

long op_elf(struct wctx *w, uint64_t *a, uint8_t *k)
{
	int from_thread = chance(&w->rng, 20), st, err;
	struct child_arg proto;

	write_elf(w, w->elf_bad, 1);
	a[0] = (uint64_t)from_thread;
	op_note(w, a, k);
	pid_t pid = fork_helper(w);
	if (pid == 0) {
		if (from_thread) {
			child_proto(w, &proto, CHILD_EXEC);
			proto.exec_path = w->elf_bad;
			proto.exec_argv = child_exit_argv;
			proto.exec_err = &err;	/* (nobody reads it: the helper's own) */
			spawn_child(w, SYS_clone, CLONE_VM | CLONE_SIGHAND | CLONE_THREAD, 1, 0, 0, 0, &proto);
			leader_waits(w, LEADER_SLEEPS);
		}
		RAW(SYS_execve, w->elf_bad, child_exit_argv, 0);
		RAW(SYS_exit_group, 100);
	}
	if (pid < 0)
		return -1;
	return wait_child(w, pid, &st, 2000);
}

/* ---- mmap storms --------------------------------------------------------------------------- */

static void storm_step(struct wctx *w)
{
	unsigned long addr = ARENA + below(&w->rng, ARENA_PAGES - 16) * PAGE;
	unsigned long len = (1 + below(&w->rng, 16)) * PAGE;
	int prot = (int)below(&w->rng, 8);

	switch (below(&w->rng, 12)) {
	case 0: case 1:
		SYS(w, SYS_mmap, addr, len, PROT_READ | PROT_WRITE,
		    (chance(&w->rng, 20) ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		break;
	case 2: {
		int fd = fd_of_kind(w, FD_FILE_RW);
		SYS(w, SYS_mmap, addr, len, prot, MAP_PRIVATE | MAP_FIXED, fd, below(&w->rng, 4) * PAGE);
		break;
	}
	case 3: SYS(w, SYS_munmap, addr, len); break;
	case 4: SYS(w, SYS_mprotect, addr, len, prot); break;
	case 5: SYS(w, SYS_madvise, addr, len, chance(&w->rng, 50) ? 4 : (int)below(&w->rng, 22)); break;
	case 6: SYS(w, chance(&w->rng, 50) ? SYS_mlock : SYS_munlock, addr, len); break;
	case 7: {
		long cur = RAW(SYS_brk, 0);
		SYS(w, SYS_brk, cur + ((long)below(&w->rng, 33) - 16) * (long)PAGE);
		break;
	}
	case 8: {	/* the kernel writes into the arena */
		int fd = fd_of_kind(w, FD_DEV);
		SYS(w, SYS_read, fd, addr, len);
		break;
	}
	case 9: SYS(w, SYS_write, fd_of_kind(w, FD_DEV), addr, len); break;
	default:
		for (int i = (int)below(&w->rng, 8); i >= 0; i--)
			fz_touch(w, (volatile char *)(addr + below(&w->rng, len)), chance(&w->rng, 60));
		break;
	}
}

long op_mmap_storm(struct wctx *w, uint64_t *a, uint8_t *k)
{
	int steps = 8 + (int)below(&w->rng, 24), racer = chance(&w->rng, 30);
	int fork_at = chance(&w->rng, 20) ? (int)below(&w->rng, steps) : -1, st;
	struct child_arg proto;

	a[0] = (uint64_t)steps;
	a[1] = (uint64_t)racer;
	a[2] = (uint64_t)fork_at;
	op_note(w, a, k);
	if (racer) {
		child_proto(w, &proto, CHILD_ARENA);
		proto.in_thread = 1;
		spawn_child(w, SYS_clone, CLONE_VM | CLONE_SIGHAND | CLONE_THREAD, 1, 0, 0, 0, &proto);
	}
	for (int i = 0; i < steps; i++) {
		if (i == fork_at) {
			pid_t pid = fork_helper(w);
			if (pid == 0) {		/* copy-on-write, then out */
				for (int j = 0; j < 16; j++)
					storm_step(w);
				RAW(SYS_exit_group, 0);
			}
			if (pid > 0 && chance(&w->rng, 50))
				wait_child(w, pid, &st, 1000);
			else
				add_kid(w, pid);
		}
		storm_step(w);
	}
	return 0;
}

/* ---- futexes -------------------------------------------------------------------------------- */

static int in_arena(const void *p)
{
	return (unsigned long)p >= ARENA && (unsigned long)p < ARENA + ARENA_PAGES * PAGE;
}

/* what the worker does to the word its threads wait on */
static void futex_step(struct wctx *w, int *word)
{
	long ts[2] = { 0, (long)below(&w->rng, 2000000) };
	int val = fz_touch(w, (volatile char *)word, 0) ? 0 : *word;	/* (the page may be gone) */

	switch (below(&w->rng, 6)) {
	case 0: SYS(w, SYS_futex, word, 1 /* WAKE */, below(&w->rng, 4), 0, 0, 0); break;
	case 1: SYS(w, SYS_futex, word, 3 /* REQUEUE */, 1, 1, word + 16, 0); break;
	case 2: SYS(w, SYS_futex, word, 4 /* CMP_REQUEUE */, 1, 1, word + 1, val); break;
	case 3: SYS(w, SYS_futex, word, 10 /* WAKE_BITSET */, 8, 0, 0, 0xffffffff); break;
	case 4: SYS(w, SYS_futex, word, 0 /* WAIT */, val, ts, 0, 0); break;
	default:	/* the waiters' page goes away under them (in the arena), or the value changes */
		if (in_arena(word))
			SYS(w, SYS_munmap, (unsigned long)word & ~(PAGE - 1), PAGE);
		else if (!fz_touch(w, (volatile char *)word, 1))
			__atomic_add_fetch(word, 1, __ATOMIC_RELAXED);
		break;
	}
}

long op_futex_race(struct wctx *w, uint64_t *a, uint8_t *k)
{
	int *word = chance(&w->rng, 50) ? &w->sl->futex_word :
		    chance(&w->rng, 50) ? (int *)(ARENA + below(&w->rng, 64) * PAGE) : (int *)w->buf;
	int n = 1 + (int)below(&w->rng, 3);
	int *tids = (int *)(w->st + 3 * PAGE);
	struct child_arg proto;

	a[0] = (uint64_t)word;
	k[0] = P_VALID;
	a[1] = (uint64_t)n;
	op_note(w, a, k);
	for (int i = 0; i < n; i++) {
		child_proto(w, &proto, CHILD_FUTEX);
		proto.futex_word = word;
		proto.in_thread = 1;
		tids[i] = 1;
		if (spawn_child(w, SYS_clone, CLONE_VM | CLONE_SIGHAND | CLONE_THREAD | CLONE_CHILD_CLEARTID |
				CLONE_CHILD_SETTID, 1, 0, (long)&tids[i], 0, &proto) <= 0)
			tids[i] = 0;
	}
	for (int i = 0; i < 12; i++)
		futex_step(w, word);
	/* join: each thread's tid word is cleared and woken when it exits */
	for (int i = 0; i < n; i++)
		for (int tries = 0; tries < 200 && __atomic_load_n(&tids[i], __ATOMIC_ACQUIRE); tries++) {
			long ts[2] = { 0, 5000000 };
			int v = tids[i];
			if (v)
				SYS(w, SYS_futex, &tids[i], 0, v, ts, 0, 0);
		}
	return 0;
}

/* ---- pipes ------------------------------------------------------------------------------------ */

long op_pipe_race(struct wctx *w, uint64_t *a, uint8_t *k)
{
	int p[2], st, how = (int)below(&w->rng, 4);

	if (SYS(w, SYS_pipe2, p, chance(&w->rng, 30) ? O_NONBLOCK : 0) != 0)
		return -1;
	a[0] = (uint64_t)how;
	op_note(w, a, k);
	pid_t pid = fork_helper(w);
	if (pid == 0) {
		RAW(SYS_close, p[0]);
		for (int i = 0; i < 64; i++)
			if (RAW(SYS_write, p[1], w->buf, 1 + below(&w->rng, BUF_SIZE)) < 0 && chance(&w->rng, 30))
				break;
		RAW(SYS_exit_group, 0);
	}
	SYS(w, SYS_close, p[1]);
	if (pid > 0) {
		switch (how) {
		case 0: SYS(w, SYS_close, p[0]); break;			/* the writer gets EPIPE/SIGPIPE */
		case 1: SYS(w, SYS_kill, pid, SIGKILL); break;	/* dies inside a blocked write */
		case 2: SYS(w, SYS_read, p[0], w->buf, BUF_SIZE); break;
		default:
			for (int i = 0; i < 8; i++)
				SYS(w, SYS_read, p[0], w->buf, below(&w->rng, BUF_SIZE));
			break;
		}
		if (how)
			SYS(w, SYS_close, p[0]);	/* a writer still blocked gets EPIPE */
		wait_child(w, pid, &st, 1000);
	} else {
		RAW(SYS_close, p[0]);
	}
	return 0;
}

/* ---- signals on blocked calls ----------------------------------------------------------------- */

static const int storm_sigs[] = { SIGUSR1, SIGUSR2, SIGURG, SIGCHLD, SIGWINCH, 40, SIGCONT, SIGTSTP };

/* the helper: 40 calls that sleep, with handlers that restart them or not, and masks */
static void signal_storm_child(struct wctx *w, int rfd)
{
	for (int i = 0; i < 8; i++)
		raw_sigaction(storm_sigs[i], (void *)sig_record, SA_SIGINFO | (chance(&w->rng, 50) ? SA_RESTART : 0), 0);
	for (int i = 0; i < 40; i++) {
		long ts[2] = { 0, 2000000 };
		uint64_t set = rnd(&w->rng) & 0x00ffff00UL;	/* (never SIGWINCH, which ends the wait) */
		switch (below(&w->rng, 5)) {
		case 0: RAW(SYS_read, rfd, w->buf, 16); break;
		case 1: RAW(SYS_nanosleep, ts, 0); break;
		case 2: RAW(SYS_futex, w->buf, 0, *(int *)w->buf, ts, 0, 0); break;
		case 3: RAW(SYS_rt_sigprocmask, SIG_SETMASK, &set, 0, 8); break;
		default: RAW(SYS_rt_sigsuspend, &set, 8); break;
		}
	}
	RAW(SYS_exit_group, 0);
}

long op_signal_storm(struct wctx *w, uint64_t *a, uint8_t *k)
{
	int p[2], st, n = 8 + (int)below(&w->rng, 40);

	if (RAW(SYS_pipe2, p, 0) != 0)
		return -1;
	a[0] = (uint64_t)n;
	op_note(w, a, k);
	pid_t pid = fork_helper(w);
	if (pid == 0) {
		RAW(SYS_close, p[1]);		/* so that the worker's close is the end of the file */
		signal_storm_child(w, p[0]);
	}
	for (int i = 0; pid > 0 && i < n; i++) {
		int sig = storm_sigs[below(&w->rng, 8)];
		if (chance(&w->rng, 50))
			SYS(w, SYS_kill, pid, sig);
		else
			SYS(w, SYS_tgkill, pid, pid, sig);
		if (chance(&w->rng, 30))
			SYS(w, SYS_sched_yield);
	}
	SYS(w, SYS_close, p[1]);
	if (pid > 0) {		/* let it finish: end of file, and a signal no mask above blocks */
		SYS(w, SYS_kill, pid, SIGWINCH);
		wait_child(w, pid, &st, 1500);
	}
	RAW(SYS_close, p[0]);
	return 0;
}

/* ---- memory cgroups ------------------------------------------------------------------------- */

/*
 * A memory cgroup of the worker's own in the cgroup2 hierarchy the parent mounted
 * (CGROUP_DIR), sometimes with a child group under it: limits and settings written at
 * random (some tiny: the group's OOM killer then kills its own), a member that joins it
 * (through cgroup.procs, or clone3's CLONE_INTO_CGROUP) and takes memory (anonymous,
 * shared, a ramfs file that stays charged after it dies, a fork), while the worker lowers
 * the limit, kills the group, moves the member out or reads the statistics; then the
 * groups are removed. What is left over, the parent removes at the end.
 */
static const char *const cg_files[] = {
	"memory.max", "memory.max", "memory.high", "memory.low", "memory.min", "memory.swap.max",
	"memory.oom.group", "cgroup.max.depth", "cgroup.max.descendants", "cgroup.subtree_control",
	"cgroup.type", "cgroup.procs", "cgroup.threads", "cgroup.kill",
};
static const char *const cg_values[] = {
	"max", "0", "1", "4096", "65536", "1M", "4M", "16M", "+memory", "-memory", "threaded",
	"-1", "18446744073709551615", "99999999999999999999999", "1k", " 8M\n", "", "junk", "max\n",
};
static const char *const cg_reads[] = {
	"memory.current", "memory.peak", "memory.events", "memory.events.local", "memory.stat",
	"cgroup.events", "cgroup.procs", "cgroup.stat", "cgroup.controllers", "memory.swap.current",
};

static void cg_write(struct wctx *w, const char *dir, const char *file, const char *val)
{
	char path[160];

	snprintf(path, sizeof path, "%s/%s", dir, file);
	int fd = (int)SYS(w, SYS_open, path, O_WRONLY, 0);
	if (fd >= 0) {
		SYS(w, SYS_write, fd, val, strlen(val));
		SYS(w, SYS_close, fd);
	}
}

static void cg_read(struct wctx *w, const char *dir, const char *file)
{
	char path[160];

	snprintf(path, sizeof path, "%s/%s", dir, file);
	int fd = (int)SYS(w, SYS_open, path, O_RDONLY, 0);
	if (fd >= 0) {
		SYS(w, SYS_read, fd, w->buf, 1 + below(&w->rng, 4096));
		SYS(w, SYS_close, fd);
	}
}

static void cg_move(struct wctx *w, const char *dir, pid_t pid)
{
	char num[24];

	snprintf(num, sizeof num, "%d", pid);
	cg_write(w, dir, "cgroup.procs", num);
}

/* a random setting: a value from the list, or a pid (ours, the member's, none) for the pid files */
static void cg_setting(struct wctx *w, const char *dir, pid_t member)
{
	const char *file = cg_files[below(&w->rng, sizeof cg_files / sizeof *cg_files)];
	char num[24];

	if (!strcmp(file, "cgroup.procs") || !strcmp(file, "cgroup.threads")) {
		snprintf(num, sizeof num, "%d", chance(&w->rng, 70) ? member : chance(&w->rng, 50) ? 0 : 99999);
		cg_write(w, dir, file, num);
	} else if (!strcmp(file, "cgroup.kill")) {
		cg_write(w, dir, file, chance(&w->rng, 80) ? "1" : "2");
	} else {
		cg_write(w, dir, file, cg_values[below(&w->rng, sizeof cg_values / sizeof *cg_values)]);
	}
}

/* the member: takes memory in its group until it is done or killed */
static void cg_member(struct wctx *w, const char *dir, int join)
{
	char path[160];

	if (join) {
		snprintf(path, sizeof path, "%s/cgroup.procs", dir);
		int fd = (int)RAW(SYS_open, path, O_WRONLY, 0);
		RAW(SYS_write, fd, "0", 1);
		RAW(SYS_close, fd);
	}
	for (int steps = 1 + (int)below(&w->rng, 4); steps > 0; steps--) {
		unsigned long len = (1 + below(&w->rng, chance(&w->rng, 20) ? 4096 : 256)) * PAGE;
		int how = (int)below(&w->rng, 4);
		if (how <= 1) {		/* anonymous (private or shared), every page touched */
			long p = RAW(SYS_mmap, 0, len, PROT_READ | PROT_WRITE,
				     (how ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS, -1, 0);
			for (unsigned long off = 0; p > 0 && off < len; off += PAGE)
				((volatile char *)p)[off] = 1;
		} else if (how == 2) {	/* a file: its pages stay charged to the group */
			snprintf(path, sizeof path, "%s/t0", w->dir);
			int fd = (int)RAW(SYS_open, path, O_WRONLY | O_CREAT | O_APPEND, 0644);
			for (unsigned long done = 0; fd >= 0 && done < len; done += BUF_SIZE)
				if (RAW(SYS_write, fd, w->buf, BUF_SIZE) < 0)
					break;
			RAW(SYS_close, fd);
		} else if (RAW(SYS_fork) == 0) {	/* a child: in the group too */
			for (unsigned long off = 0; off < BUF_SIZE; off += PAGE)
				w->buf[off]++;
			RAW(SYS_exit_group, 0);
		}
	}
	RAW(SYS_exit_group, 0);
}

/* the member, made by clone3 straight into the group (a fork: no CLONE_VM) */
static pid_t cg_clone_into(struct wctx *w, const char *dir)
{
	struct { uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size,
		 tls, set_tid, set_tid_size, cgroup; } ca = { 0 };
	int dfd = (int)SYS(w, SYS_open, dir, O_RDONLY | O_DIRECTORY, 0);

	ca.flags = CLONE_INTO_CGROUP;
	ca.exit_signal = SIGCHLD;
	ca.cgroup = (uint64_t)(long)dfd;
	long pid = SYS(w, SYS_clone3, &ca, sizeof ca);
	if (pid == 0) {
		w->in_child = 1;
		w->pid = w->tid = (pid_t)RAW(SYS_getpid);
		cg_member(w, dir, 0);
	}
	if (dfd >= 0)
		SYS(w, SYS_close, dfd);
	return pid < 0 ? -1 : (pid_t)pid;
}

/* while the member runs: read the statistics, move it out, change a setting */
static void cg_disturb(struct wctx *w, const char *top, const char *dir, pid_t member)
{
	for (int n = (int)below(&w->rng, 5); n > 0; n--) {
		sleep_ms((unsigned)below(&w->rng, 20));
		if (chance(&w->rng, 40))
			cg_read(w, dir, cg_reads[below(&w->rng, sizeof cg_reads / sizeof *cg_reads)]);
		else if (chance(&w->rng, 15))	/* out of the group, back to the root */
			cg_move(w, CGROUP_DIR, member);
		else
			cg_setting(w, chance(&w->rng, 80) ? dir : top, member);
	}
}

/* the groups go: the worker first leaves (a "0" in cgroup.procs moved it), then what lives on is killed */
static long cg_remove(struct wctx *w, const char *top, const char *dir, int nested)
{
	long r = 0;

	cg_move(w, CGROUP_DIR, w->pid);
	for (int tries = 0; tries < 3; tries++) {
		if (nested)
			SYS(w, SYS_rmdir, dir);
		r = SYS(w, SYS_rmdir, top);
		if (r != -EBUSY)
			break;
		cg_write(w, dir, "cgroup.kill", "1");	/* the member's children */
		sleep_ms(10);
	}
	return r;
}

long op_cgroup(struct wctx *w, uint64_t *a, uint8_t *k)
{
	char top[96], dir[112];
	int nested = chance(&w->rng, 30), into = chance(&w->rng, 30), st;
	pid_t pid;

	snprintf(top, sizeof top, "%s/w%d", CGROUP_DIR, w->slot);
	snprintf(dir, sizeof dir, "%s%s", top, nested ? "/d0" : "");
	a[0] = (uint64_t)nested;
	a[1] = (uint64_t)into;
	op_note(w, a, k);
	long r = SYS(w, SYS_mkdir, top, 0755);
	if (r < 0 && r != -EEXIST)
		return r;
	if (nested) {
		cg_write(w, top, "cgroup.subtree_control", "+memory");
		SYS(w, SYS_mkdir, dir, 0755);
	}
	for (int n = (int)below(&w->rng, 4); n > 0; n--)
		cg_setting(w, chance(&w->rng, 80) ? dir : top, 0);
	if (into)
		pid = cg_clone_into(w, dir);
	else if ((pid = fork_helper(w)) == 0)
		cg_member(w, dir, 1);
	if (pid > 0) {
		cg_disturb(w, top, dir, pid);
		wait_child(w, pid, &st, 1500);
	}
	return cg_remove(w, top, dir, nested);
}

/* ---- /proc ------------------------------------------------------------------------------------ */

/*
 * Read a /proc file: ours, another process's (a child, another worker, one that is exiting),
 * or the system's, in chunks of random sizes into random buffers, with seeks; directories
 * with getdents, links with readlink. Sometimes a thread changes our mappings meanwhile (the
 * maps readers take mmap_lock), or the process read is one that is exiting. Nothing is
 * written: /proc/sys and sysrq-trigger are out of reach.
 */
static const char *const proc_files[] = {
	"maps", "smaps_rollup", "status", "stat", "statm", "cmdline", "environ", "comm", "limits",
	"wchan", "mounts", "mountinfo", "oom_score", "oom_score_adj", "oom_adj", "fd", "fdinfo",
	"task", "cwd", "exe", "root", "fdinfo/0", "fdinfo/3", "task/%d/stat",
};
static const char *const proc_global[] = {
	"/proc/meminfo", "/proc/stat", "/proc/loadavg", "/proc/uptime", "/proc/version", "/proc/cpuinfo",
	"/proc/interrupts", "/proc/mounts", "/proc/filesystems", "/proc/cmdline", "/proc",
	"/proc/sys/kernel/hostname", "/proc/sys/kernel/pid_max", "/proc/sys/vm/overcommit_memory",
};

static void proc_path(struct wctx *w, char *path, size_t n, pid_t pid)
{
	char file[32];

	if (chance(&w->rng, 25)) {
		snprintf(path, n, "%s", proc_global[below(&w->rng, sizeof proc_global / sizeof *proc_global)]);
		return;
	}
	snprintf(file, sizeof file, proc_files[below(&w->rng, sizeof proc_files / sizeof *proc_files)], pid);
	snprintf(path, n, "/proc/%d/%s", pid, file);
}

static void proc_read_steps(struct wctx *w, const char *path)
{
	uint8_t k;
	int fd = (int)SYS(w, SYS_open, path, O_RDONLY | (chance(&w->rng, 10) ? O_DIRECTORY : 0), 0);

	if (fd < 0) {
		SYS(w, SYS_readlink, path, w->buf, below(&w->rng, 300));
		return;
	}
	for (int i = (int)below(&w->rng, 12); i >= 0; i--) {
		uint64_t buf = chance(&w->rng, 80) ? (uint64_t)w->buf : gen_ptr(w, &k, 0);
		switch (below(&w->rng, 6)) {
		case 0: SYS(w, SYS_lseek, fd, below(&w->rng, 8192), below(&w->rng, 3)); break;
		case 1: SYS(w, SYS_getdents64, fd, buf, 1 + below(&w->rng, 4096)); break;
		case 2: SYS(w, SYS_pread64, fd, buf, 1 + below(&w->rng, 256), below(&w->rng, 4096)); break;
		default: SYS(w, SYS_read, fd, buf, 1 + below(&w->rng, chance(&w->rng, 50) ? 64 : 8192)); break;
		}
	}
	SYS(w, SYS_close, fd);
}

long op_proc_read(struct wctx *w, uint64_t *a, uint8_t *k)
{
	char path[96];
	int how = (int)below(&w->rng, 4), st;
	pid_t pid = how == 0 ? 0 : how == 1 ? (pid_t)gen_pid(w) : w->pid;
	struct child_arg proto;

	if (how == 0) {		/* a process that is on its way out */
		pid = fork_helper(w);
		if (pid == 0)
			RAW(SYS_exit_group, 0);
	}
	if (how == 2) {		/* a thread changes our mappings while we read them */
		child_proto(w, &proto, CHILD_ARENA);
		proto.in_thread = 1;
		spawn_child(w, SYS_clone, CLONE_VM | CLONE_SIGHAND | CLONE_THREAD, 1, 0, 0, 0, &proto);
	}
	proc_path(w, path, sizeof path, pid > 0 ? pid : w->pid);
	a[0] = (uint64_t)how;
	a[1] = (uint64_t)pid;
	op_note(w, a, k);
	proc_read_steps(w, path);
	if (how == 0 && pid > 0)
		wait_child(w, pid, &st, 1000);
	return 0;
}

/* ---- the whole machine out of memory ------------------------------------------------------------ */

/*
 * Now and then, the machine out of memory: a forked hog (oom_score_adj 1000, the OOM
 * killer's first choice) takes private and shared anonymous memory until it is killed,
 * while threads of its own keep unmapping, remapping, protecting and discarding pages of
 * its arena and the worker reads the hog's /proc files: the OOM reaper frees the hog's
 * pages and page tables under all of them. The free-memory check at the end says whether
 * everything came back.
 */
static void oom_hog(struct wctx *w, int threads)
{
	struct child_arg proto;
	int fd = (int)RAW(SYS_open, "/proc/self/oom_score_adj", O_WRONLY, 0);

	RAW(SYS_write, fd, "1000", 4);
	RAW(SYS_close, fd);
	for (int i = 0; i < threads; i++) {
		child_proto(w, &proto, CHILD_ARENA);
		proto.in_thread = 1;
		proto.endless = 1;
		spawn_child(w, SYS_clone, CLONE_VM | CLONE_SIGHAND | CLONE_THREAD, 1, 0, 0, 0, &proto);
	}
	for (;;) {
		int shared = chance(&w->rng, 10);
		long p = RAW(SYS_mmap, 0, 2UL << 20, PROT_READ | PROT_WRITE,
			     (shared ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS, -1, 0);
		if (p < 0 && p >= -4095) {
			sleep_ms(5);
			continue;
		}
		for (unsigned long off = 0; off < (2UL << 20); off += PAGE)
			((volatile char *)p)[off] = 1;
	}
}

long op_oom(struct wctx *w, uint64_t *a, uint8_t *k)
{
	static const char *const files[] = { "smaps_rollup", "maps", "status", "statm", "stat", "oom_score" };
	int threads = (int)below(&w->rng, 3), st;
	char path[64];

	if (!chance(&w->rng, 3))	/* (an OOM takes seconds: a few a minute are enough) */
		return 0;
	a[0] = 1 + (uint64_t)threads;
	op_note(w, a, k);
	pid_t pid = fork_helper(w);
	if (pid == 0) {
		oom_hog(w, threads);
	}
	if (pid < 0)
		return -1;
	for (int n = (int)below(&w->rng, 8); n > 0; n--) {
		sleep_ms((unsigned)below(&w->rng, 150));
		snprintf(path, sizeof path, "/proc/%d/%s", pid, files[below(&w->rng, 6)]);
		proc_read_steps(w, path);
	}
	return wait_child(w, pid, &st, 5000);
}
