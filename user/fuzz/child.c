/*
 * What clone children run, and `fuzz --child`, the program they exec.
 *
 * clone() with random flags may share the worker's memory (CLONE_VM), its
 * signal handlers, its files, or make a thread of it, and CLONE_SETTLS may
 * give it a junk thread pointer. So the child's side of the trampoline
 * switches at once to a stack of its own, and the code it runs (child_main)
 * uses raw system calls only: no libc, no errno, nothing that reads the
 * thread pointer (the fuzzer is built without the stack protector for the
 * same reason). A child does a few steps from a menu and ends: its life is
 * short, whatever it shares.
 */
#include "fuzz.h"

/*
 * long clone_trampoline(nr, flags, stack, ptid, ctid, tls, fn, arg, child_sp)
 * The parent returns the kernel's value. The child (rax 0) moves to child_sp
 * before it touches any memory (a vfork or CLONE_VM child would otherwise
 * write on the parent's stack), calls fn(arg) and exits the thread with its
 * value. fork and vfork ignore the arguments after nr.
 */
__asm__(".text\n"
	".globl clone_trampoline\n"
	".type clone_trampoline,@function\n"
	"clone_trampoline:\n"
	"	push %r12\n"
	"	push %r13\n"
	"	push %r14\n"
	"	mov 32(%rsp), %r12\n"		/* fn */
	"	mov 40(%rsp), %r13\n"		/* arg */
	"	mov 48(%rsp), %r14\n"		/* child_sp */
	"	mov %rdi, %rax\n"
	"	mov %rsi, %rdi\n"
	"	mov %rdx, %rsi\n"
	"	mov %rcx, %rdx\n"
	"	mov %r8, %r10\n"
	"	mov %r9, %r8\n"
	"	syscall\n"
	"	test %rax, %rax\n"
	"	jnz 1f\n"
	"	mov %r14, %rsp\n"
	"	xor %ebp, %ebp\n"
	"	mov %r13, %rdi\n"
	"	call *%r12\n"
	"	mov %eax, %edi\n"
	"	mov $60, %eax\n"
	"	syscall\n"
	"	hlt\n"
	"1:	pop %r14\n"
	"	pop %r13\n"
	"	pop %r12\n"
	"	ret\n"
	".size clone_trampoline, .-clone_trampoline\n");

/* the restorer every handler the fuzzer installs returns through */
__asm__(".text\n"
	".globl sig_restorer\n"
	".type sig_restorer,@function\n"
	"sig_restorer:\n"
	"	mov $15, %eax\n"
	"	syscall\n"
	"	hlt\n"
	".size sig_restorer, .-sig_restorer\n");

char *const child_exit_argv[] = { "fuzz", "--child", "exit", "7", NULL };
static char *const child_kill_argv[] = { "fuzz", "--child", "kill", NULL };
static char *const child_sleep_argv[] = { "fuzz", "--child", "sleep", "3", NULL };
static char *const no_env[] = { "FUZZ=1", NULL };

static void raw_sleep_us(long us)
{
	long ts[2] = { 0, us * 1000 };

	RAW(SYS_nanosleep, ts, 0);
}

static int exit_signal(struct child_arg *a)
{
	if (avoided(CK_ORPHAN_EXIT_SIGNAL) || chance(&a->rng, 70))
		return SIGCHLD;
	return chance(&a->rng, 50) ? 0 : (int)(1 + below(&a->rng, 64));
}

/* a grandchild on the lower half of this child's stack (this child runs on the upper one) */
static void nested_clone(struct child_arg *a)
{
	static const unsigned long kinds[] = {
		0, CLONE_VM, CLONE_VM | CLONE_VFORK, CLONE_VM | CLONE_SIGHAND | CLONE_THREAD,
		CLONE_PARENT, CLONE_FILES,
	};
	unsigned long flags = kinds[below(&a->rng, 6)];
	struct child_arg *ca = (struct child_arg *)(a->stack + CHILD_STACK / 2 - 256);

	if (a->depth >= 1 || !a->stack)
		return;
	if (!(flags & CLONE_THREAD))
		flags |= (flags & CLONE_PARENT) && avoided(CK_CLONE_PARENT_SIGNAL) ? SIGCHLD
										  : (unsigned long)exit_signal(a);
	*ca = *a;
	ca->depth = a->depth + 1;
	ca->rng = rnd(&a->rng);
	ca->stack = NULL;
	ca->in_thread = a->in_thread || (flags & CLONE_VM);
	clone_trampoline(SYS_clone, flags, 0, 0, 0, 0, child_main, ca, (char *)ca - 64);
}

static void arena_step(struct child_arg *a)
{
	unsigned long addr = a->arena + below(&a->rng, ARENA_PAGES) * PAGE;
	unsigned long len = (1 + below(&a->rng, 8)) * PAGE;

	if (addr + len > a->arena + ARENA_PAGES * PAGE)
		return;
	switch (below(&a->rng, 5)) {
	case 0: RAW(SYS_munmap, addr, len); break;
	case 1: RAW(SYS_mmap, addr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		break;
	case 2: RAW(SYS_mprotect, addr, len, below(&a->rng, 8)); break;
	case 3: RAW(SYS_madvise, addr, len, 4 /* MADV_DONTNEED */); break;
	default:	/* the kernel writes into memory another thread may unmap */
		RAW(SYS_getrandom, addr, len, 0);
		break;
	}
}

static void exec_step(struct child_arg *a)
{
	switch (below(&a->rng, 6)) {
	case 0: RAW(SYS_execve, a->self, child_exit_argv, no_env); break;
	case 1: RAW(SYS_execve, a->self, child_kill_argv, no_env); break;
	case 2: RAW(SYS_execve, a->self, child_sleep_argv, no_env); break;
	case 3: RAW(SYS_execve, a->elf_ok, child_exit_argv, no_env); break;
	case 4: RAW(SYS_execve, a->elf_bad, child_exit_argv, no_env); break;
	default: RAW(SYS_execve, "/nonexistent", child_exit_argv, no_env); break;
	}
}

static void signal_step(struct child_arg *a)
{
	static const int sigs[] = { SIGUSR1, SIGUSR2, SIGURG, SIGCHLD, SIGPIPE, SIGKILL };
	int sig = sigs[below(&a->rng, 6)];

	if (chance(&a->rng, 50))
		RAW(SYS_tgkill, RAW(SYS_getpid), a->worker_tid, sig);
	else
		RAW(SYS_kill, RAW(SYS_getpid), sig);
}

/* CHILD_ARENA: race the worker in its arena; CHILD_FUTEX: wait and wake on a futex */
static int child_racer(struct child_arg *a)
{
	for (int i = 0; i < 40 || (a->endless && a->mode == CHILD_ARENA); i++) {
		if (a->mode == CHILD_FUTEX) {
			long ts[2] = { 0, (long)below(&a->rng, 3000000) };
			int v = __atomic_load_n(a->futex_word, __ATOMIC_RELAXED);
			RAW(SYS_futex, a->futex_word, chance(&a->rng, 70) ? 0 : 128, v, ts, 0, 0);
			if (chance(&a->rng, 30))
				RAW(SYS_futex, a->futex_word, 1, 1 + below(&a->rng, 3), 0, 0, 0);
			if (chance(&a->rng, 10))
				return 0;
			continue;
		}
		arena_step(a);
		if (chance(&a->rng, 30))
			raw_sleep_us((long)below(&a->rng, 500));
	}
	return 0;
}

/* the other steps of the menu: the process or its memory, as a stranger would touch them */
static void misc_step(struct child_arg *a, int which)
{
	unsigned long frame[64];
	volatile char *p = (volatile char *)(a->arena + below(&a->rng, 64) * PAGE);

	switch (which) {
	case 0:		/* touch the arena: a fault ends this thread or process */
		if (chance(&a->rng, 50))
			*p = 1;
		else
			(void)*p;
		break;
	case 1: RAW(SYS_futex, a->futex_word, 1, 1 + below(&a->rng, 4), 0, 0, 0); break;
	case 2:
		if (chance(&a->rng, 50))
			RAW(SYS_setsid);
		else
			RAW(SYS_setpgid, 0, 0);
		break;
	case 3:		/* a junk signal frame */
		for (int i = 0; i < 64; i++)
			frame[i] = rnd(&a->rng);
		__asm__ volatile("mov %0, %%rsp\n\tmov $15, %%eax\n\tsyscall\n\thlt"
				 :: "r"(frame + 1) : "memory");
		break;
	default: {
		int fd = 3 + (int)below(&a->rng, 30);
		if (!bad_fd(fd))
			RAW(SYS_close, fd);
		break;
	}
	}
}

int child_main(struct child_arg *a)
{
	if (a->mode == CHILD_EXEC) {
		long r = RAW(SYS_execve, a->exec_path, a->exec_argv, no_env);
		*a->exec_err = (int)r;
		RAW(SYS_exit_group, 99);
	}
	if (a->mode == CHILD_NAP) {
		raw_sleep_us(20000);
		return a->code;
	}
	if (a->mode)
		return child_racer(a);
	for (int steps = 1 + (int)below(&a->rng, 6); steps > 0; steps--) {
		uint64_t r = below(&a->rng, 17);
		if (r == 0)
			return (int)below(&a->rng, 256);
		if (r == 1)
			RAW(SYS_exit_group, below(&a->rng, 256));
		else if (r == 2)
			raw_sleep_us((long)below(&a->rng, 2000));
		else if (r < 5)
			exec_step(a);
		else if (r < 8)
			arena_step(a);
		else if (r < 10)
			signal_step(a);
		else if (r < 12)
			nested_clone(a);
		else
			misc_step(a, (int)(r - 12));
	}
	return (int)below(&a->rng, 3);
}

char *new_stack(struct wctx *w)
{
	if (w->nstacks >= MAX_STACKS)
		return NULL;
	long p = RAW(SYS_mmap, 0, CHILD_STACK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p < 0 && p >= -4095)
		return NULL;
	w->stack[w->nstacks++] = (char *)p;
	if (w->nstacks == MAX_STACKS)
		w->calls_left = 0;	/* start afresh: the stacks of dead children come back */
	return (char *)p;
}

/* clone (or fork or vfork) a child that runs child_main(a copy of proto) on a new stack */
long spawn_child(struct wctx *w, long nr, unsigned long flags, unsigned long stack, long ptid,
		 long ctid, unsigned long tls, const struct child_arg *proto)
{
	char *stk = new_stack(w);

	if (!stk)
		return -ENOMEM;
	struct child_arg *ca = (struct child_arg *)(stk + CHILD_STACK - 256);
	*ca = *proto;
	ca->stack = stk;
	char *sp = (char *)ca - 64;
	if (stack == 1 && nr != SYS_clone3)	/* "a valid new stack" (clone3's is in its struct) */
		stack = (unsigned long)sp;
	return clone_trampoline(nr, flags, stack, ptid, ctid, tls, child_main, ca, sp);
}

/* ---- fuzz --child MODE [ARG]: the exec target ------------------------------------------ */

int child_exec_main(int argc, char **argv)
{
	const char *mode = argc > 0 ? argv[0] : "";
	int arg = argc > 1 ? atoi(argv[1]) : 0;

	if (strcmp(mode, "exit") == 0)
		RAW(SYS_exit_group, arg);
	if (strcmp(mode, "kill") == 0)
		RAW(SYS_kill, RAW(SYS_getpid), SIGKILL);
	if (strcmp(mode, "sleep") == 0) {
		raw_sleep_us(arg * 1000L);
		RAW(SYS_exit_group, 0);
	}
	if (strcmp(mode, "segv") == 0) {
		volatile int *volatile nowhere = (int *)LOW_ADDR;
		*nowhere = 0;
	}
	return 126;
}
