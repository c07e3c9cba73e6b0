/*
 * fuzz: a random system-call fuzzer for Folio (and, as a static binary, for
 * Linux, the reference). Shared declarations of its parts:
 *
 *   main.c     options, the parent (watchdog, restarts, the final sweep, the
 *              free-memory check, the report)
 *   worker.c   one worker: its fixtures (files, descriptors, buffers, the
 *              arena) and its loop of logged calls
 *   args.c     typed argument generators: pointers, fds, paths, flags, ...
 *   table.c    the table of system calls and how a call is printed
 *   ops.c      multi-step operations: clone with random flags, threads that
 *              exec, forged signal frames, malformed ELF files, mmap storms,
 *              futex, pipe and signal races, /proc reads
 *   checks.c   the checks: operations whose outcome Linux defines, compared
 *   child.c    the clone trampoline, the raw code that clone children run,
 *              and `fuzz --child`, an exec target
 *
 * Everything the parent must see lives in one MAP_SHARED anonymous region
 * (struct shared), made before the workers are forked: each worker writes
 * its current call into its slot's ring before making it, so the parent can
 * name the call a worker is stuck in, and print the last calls of each.
 * Fields the other side reads are written with __atomic stores.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include "../ulib.h"
#include <sched.h>
#include <setjmp.h>
#include <stdint.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#define PAGE 4096UL
#define MAX_WORKERS 16
#define RING 32			/* calls each slot remembers */
#define NR_ERRNO 134		/* errno values counted one by one; larger ones share a bucket */
#define MAX_FINDINGS 64
#define REPLAY_FD 1001		/* replay output (-r), kept out of every fd argument */
#define KADDR 0xffffffff80000000UL
#define LOW_ADDR 16UL			/* an address that faults (through a volatile: no warning) */
#define NONCANON 0x8000000000000000UL
#define ARENA 0x100000000000UL	/* each worker's mmap playground, at the same place in each */
#define ARENA_PAGES 1024UL
#define CGROUP_DIR "/tmp/fuzz-cgroup"	/* the cgroup2 hierarchy, mounted by the parent */
#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif
#define BUF_SIZE (64 * 1024UL)	/* the valid buffer every "valid pointer" points into */
#define MAX_FDS 48
#define MAX_MAPS 32
#define MAX_KIDS 32
#define MAX_STACKS 64
#define CHILD_STACK (32 * 1024UL)
#define ARGS_SIZE (4 * PAGE)		/* the argument page(s) */

/* ---- shared with the parent -------------------------------------------------- */

struct call_rec {
	uint64_t seq;		/* the slot's call number, from 1; 0: empty */
	uint32_t incarnation;
	int16_t entry;		/* index in the table */
	uint8_t done;
	uint8_t kind[6];	/* how each argument was made (enum argkind) */
	uint64_t arg[6];
	int64_t ret;
};

struct slot {
	int pid;			/* the worker's pid, 0 when none runs */
	uint32_t incarnation;
	uint64_t seed;			/* this incarnation's seed */
	uint64_t calls;			/* calls made in this slot, all incarnations */
	uint64_t budget;		/* stop at this many (0: no limit) */
	uint64_t cur;			/* seq of the call in progress, 0: none */
	uint64_t beat;			/* bumped while an operation polls: progress without a call */
	uint64_t op_seq;		/* seq of the operation in progress, 0: none */
	uint64_t errors[NR_ERRNO + 1];
	struct call_rec ring[RING];
	int futex_word;			/* a futex in MAP_SHARED memory */
};

struct finding {
	char check[24];
	char text[200];
	int slot;
	uint32_t incarnation;
	uint64_t seq;
};

struct shared {
	int stop;			/* the parent asks the workers to finish */
	int nfindings;
	struct finding finding[MAX_FINDINGS];
	struct slot slot[MAX_WORKERS];
};

/* ---- options (set by main, read-only after the workers start) ------------------ */

struct options {
	uint64_t seed;
	uint64_t calls;			/* 0: no limit */
	unsigned seconds;		/* 0: no limit */
	int workers;
	int replay;
	int only;			/* -o: run only this slot (-1: all) */
	uint32_t first_incarnation;
	unsigned progress;		/* seconds between progress lines */
	unsigned long avoid;		/* bit per check (enum check) */
	uint8_t *enabled;		/* -c: per table entry, whether it may be picked (NULL: all) */
	char self[256];			/* our own absolute path: the exec target */
	pid_t parent;
	int parent_pgrp;
	int on_linux;
};

extern struct options opt;
extern struct shared *sh;

/*
 * Checks, and triggers of defects the watchdog or the final sweep catch: each can be
 * turned off with -x NAME, with whatever only serves to trigger it.
 */
enum check {
	CK_ORPHAN_EXIT_SIGNAL,
	CK_CLONE_PARENT_SIGNAL,
	CK_EXEC_THREAD_STATUS,
	CK_MMAP_FILE,
	CK_EXIT_SIGNAL_SIPID,
	CK_TRUNCATE_SIGBUS,
	CK_HUGE_POPULATE,	/* mmap/mlock populating a huge range: unkillable, holds mmap_lock */
	NR_CHECKS
};
extern const char *const check_name[NR_CHECKS];
static inline int avoided(enum check c) { return (opt.avoid >> c) & 1; }

/* ---- the random generator: splitmix64, one stream per worker incarnation ------ */

static inline uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static inline uint64_t rnd(uint64_t *state)
{
	*state += 0x9e3779b97f4a7c15ULL;
	return mix64(*state);
}

static inline uint64_t below(uint64_t *state, uint64_t n) { return n ? rnd(state) % n : 0; }
static inline int chance(uint64_t *state, unsigned pct) { return below(state, 100) < pct; }

uint64_t incarnation_seed(uint64_t seed, int slot, uint32_t incarnation);

/* ---- a worker ---------------------------------------------------------------------- */

enum fdkind { FD_FILE_RW, FD_FILE_RO, FD_FILE_WO, FD_DEV, FD_DIR, FD_PIPE_R, FD_PIPE_W, FD_ELF,
	      FD_OTHER };

struct wctx {
	int slot;
	uint32_t incarnation;
	uint64_t rng;
	struct slot *sl;
	pid_t pid, tid;
	int in_child;			/* a forked helper: makes no logged calls */
	char dir[64];			/* the scratch directory, /tmp/fuzz/wN */
	char elf_ok[80], elf_bad[80];	/* exec targets the operations rewrite: x0, x1 there */
	char *buf;			/* BUF_SIZE bytes, read-write */
	char *ro;			/* one read-only page */
	char *st;			/* the argument page: structured arguments are built there */
	char *edge;			/* the first byte of an unmapped page after a mapped one */
	char *longpath;			/* longer than PATH_MAX */
	int fd[MAX_FDS];
	uint8_t fdkind[MAX_FDS];
	int nfds;
	struct { unsigned long addr, len; } map[MAX_MAPS];
	int nmaps;
	pid_t kid[MAX_KIDS];
	int nkids;
	char *stack[MAX_STACKS];	/* clone children's stacks, freed when the worker exits */
	int nstacks;
	uint64_t calls_left;		/* this incarnation ends after these many */
	volatile int touching;		/* a SIGSEGV/SIGBUS now goes back to touch_jmp */
	sigjmp_buf touch_jmp;
	volatile int sig_count[65];	/* checks: which signals this worker got, and how */
	volatile int last_si_pid[65], last_si_code[65], last_si_status[65];
};

extern struct wctx *W;		/* the worker's own context (for signal handlers) */

int worker_main(int slot, uint32_t incarnation);
long fz_call(struct wctx *w, int entry, const uint64_t *arg, const uint8_t *kind);
long fz_sys(struct wctx *w, int nr, long a, long b, long c, long d, long e, long f);
#define SYS(w, ...) SYS_(w, __VA_ARGS__, 0, 0, 0, 0, 0, 0)
#define SYS_(w, nr, a, b, c, d, e, f, ...) \
	fz_sys(w, nr, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))
void fz_beat(struct wctx *w);
int fz_touch(struct wctx *w, volatile char *p, int write);
int wait_child(struct wctx *w, pid_t pid, int *status, unsigned ms);
void add_fd(struct wctx *w, int fd, enum fdkind kind);
int fd_of_kind(struct wctx *w, enum fdkind kind);
void add_kid(struct wctx *w, pid_t pid);
void add_map(struct wctx *w, unsigned long addr, unsigned long len);
void finding(struct wctx *w, enum check c, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void sleep_ms(unsigned ms);

/* What an operation's helpers tell it, in a MAP_SHARED page of its own: a helper left
 * over from an earlier operation (its worker killed meanwhile) writes only into its own. */
struct op_share {
	int value;
	char text[120];
};
struct op_share *op_share_new(void);
void op_share_free(struct op_share *s);
void listen_to(int sig);
void sane_process(void);
void op_note(struct wctx *w, const uint64_t *a, const uint8_t *k);
void rm_tree(const char *path);
void unmount_under(const char *prefix);
int mount_points(char *buf, size_t size, char **mp, int max);
void save_thread_pointer(void);
void seed_scribbler(uint64_t seed);
void scribble_limit(int n);
pid_t fork_helper(struct wctx *w);
void sig_record(int sig, siginfo_t *si, void *uc);
void sig_scribble(int sig, siginfo_t *si, void *uc);
void sig_restorer(void);
long raw_sigaction(int sig, void *handler, unsigned long flags, void *restorer);

/* ---- arguments ------------------------------------------------------------------- */

enum argkind {
	A_NONE, A_RAND, A_FD, A_DIRFD, A_PATH, A_RPATH, A_BUF, A_IBUF, A_LEN, A_FLAGS, A_ENUM,
	A_PID, A_SIG, A_ADDR, A_MLEN, A_PROT, A_MMAPFLAGS, A_MODE, A_TIMESPEC, A_SIGSET,
	A_SIGACTION, A_IOVEC, A_ARGV, A_OFF, A_FUTEXADDR, A_SMALL, A_NEWFD, A_STACK,
	NR_ARGKINDS,
	/* what a pointer turned out to be, for printing (replaces the generic kind) */
	P_NULL, P_VALID, P_EDGE, P_RO, P_KERNEL, P_NONCANON, P_UNALIGNED, P_ARENA, P_UNMAPPED,
	P_STRING, P_LONG,
	NR_KINDS
};
extern const char *const kind_name[NR_KINDS];

struct argspec {
	uint8_t kind;
	const uint64_t *val;		/* A_FLAGS: the valid bits; A_ENUM: the valid values */
	uint8_t nval;
};

extern const char *const scratch_names[];
extern const int nr_scratch_names;
uint64_t gen_arg(struct wctx *w, const struct argspec *spec, uint8_t *kind);
uint64_t gen_ptr(struct wctx *w, uint8_t *kind, int input);
uint64_t gen_pid(struct wctx *w);
int gen_fd(struct wctx *w);
const char *gen_path(struct wctx *w, int readonly, uint8_t *kind);
uint64_t gen_len(struct wctx *w);
uint64_t arena_addr(struct wctx *w);
uint64_t arena_len(struct wctx *w);
int bad_pid(long pid);
int bad_fd(long fd);
void fill_random(struct wctx *w, void *p, size_t n);

/* ---- the table -------------------------------------------------------------------- */

/* an operation, or a fix of a call's arguments: may change the arguments it records */
typedef long op_fn(struct wctx *w, uint64_t *arg, uint8_t *kind);

struct entry {
	const char *name;
	int nr;				/* system call number; -1: an operation; -2: nosys */
	uint8_t weight;
	struct argspec arg[6];
	op_fn *fix;			/* adjusts the arguments */
	void (*post)(struct wctx *w, const uint64_t *arg, long ret);	/* after the call */
	op_fn *op;			/* an operation: runs instead of a system call */
};

extern const struct entry table[];
extern const int table_len;
int entry_of_nr(int nr);
int pick_entry(struct wctx *w);
int entry_of_name(const char *name);
void format_call(char *out, size_t n, const struct call_rec *r);
const char *errno_name(int e);

/* ---- operations and checks ---------------------------------------------------------- */

/* in ops.c and checks.c */
op_fn op_clone, op_clone3, op_fork, op_vfork, op_thread_exec, op_sigframe, op_elf, op_mmap_storm,
      op_futex_race, op_pipe_race, op_signal_storm, op_rt_sigreturn, op_check, op_proc_read, op_cgroup,
      op_oom;
void check_mmap_result(struct wctx *w, const uint64_t *arg, long ret);
void write_elf(struct wctx *w, const char *path, int mutate);

/* ---- clone children (child.c) ----------------------------------------------------- */

struct child_arg {
	uint64_t rng;
	int depth;
	pid_t worker_tid;
	const char *self;		/* exec targets */
	const char *elf_ok, *elf_bad;
	unsigned long arena;
	int *futex_word;
	char *stack;			/* this child's own stack (for its own clones) */
	int in_thread;			/* shares the worker's memory */
	int mode;			/* enum child_mode */
	const char *exec_path;		/* CHILD_EXEC: what to exec, and where to say it failed */
	char *const *exec_argv;
	int *exec_err;
	int code;			/* CHILD_NAP: sleep 20 ms, then exit with this */
	int endless;			/* CHILD_ARENA: race until killed, not 40 steps */
};
enum child_mode { CHILD_MENU, CHILD_ARENA, CHILD_FUTEX, CHILD_EXEC, CHILD_NAP };
void child_proto(struct wctx *w, struct child_arg *a, int mode);

long clone_trampoline(long nr, unsigned long flags, unsigned long stack, long ptid, long ctid,
		      unsigned long tls, int (*fn)(struct child_arg *), struct child_arg *arg,
		      void *child_sp);
long spawn_child(struct wctx *w, long nr, unsigned long flags, unsigned long stack, long ptid,
		 long ctid, unsigned long tls, const struct child_arg *proto);
int child_main(struct child_arg *a);
int child_exec_main(int argc, char **argv);
char *new_stack(struct wctx *w);
extern char *const child_exit_argv[];

#endif
