/*
 * Typed argument generators. Each kind mixes values a correct program would
 * pass with the ones a kernel must refuse cleanly: NULL, the last bytes
 * before an unmapped page, a read-only page, kernel and non-canonical
 * addresses, unaligned pointers, closed and huge fds, missing and too long
 * paths, junk flag bits, zero, huge and negative lengths.
 *
 * Arguments never name what would end the run rather than test the kernel:
 * pid 1, the parent or its process group (a worker must not kill the
 * watchdog), the replay fd, files outside the scratch directories for
 * calls that change them, or mappings that are not the worker's own
 * playground (the arena, and what mmap returned).
 *
 * Structured arguments (timespecs, sigsets, sigactions, iovecs, argv
 * arrays) are built in the worker's argument page, away from the buffer
 * that the kernel writes into.
 */
#include "fuzz.h"
#include <sys/stat.h>

const char *const kind_name[NR_KINDS] = {
	[A_FD] = "fd", [A_PATH] = "path", [A_RPATH] = "path", [A_PID] = "pid", [A_SIG] = "sig",
	[P_NULL] = "NULL", [P_VALID] = "buf", [P_EDGE] = "edge", [P_RO] = "ro",
	[P_KERNEL] = "kernel", [P_NONCANON] = "noncanon", [P_UNALIGNED] = "unaligned",
	[P_ARENA] = "arena", [P_UNMAPPED] = "wild", [P_STRING] = "str", [P_LONG] = "long",
};

/* the argument page: where each structured argument is built */
enum { ST_TIMESPEC = 0, ST_TIMESPEC2 = 64, ST_SIGSET = 128, ST_SIGACTION = 192,
       ST_STACK = 256, ST_IOVEC = 512, ST_ARGV = 1024 };

void fill_random(struct wctx *w, void *p, size_t n)
{
	unsigned char *c = p;

	for (size_t i = 0; i < n; i++)
		c[i] = (unsigned char)rnd(&w->rng);
}

int bad_pid(long pid)
{
	int p = (int)pid;

	return p == 1 || p == -1 || p == opt.parent || p == -opt.parent ||
	       p == -opt.parent_pgrp || (int)pid != pid;
}

int bad_fd(long fd)
{
	return (int)fd == REPLAY_FD;
}

/* ---- pointers ------------------------------------------------------------------ */

uint64_t gen_ptr(struct wctx *w, uint8_t *kind, int input)
{
	uint64_t r = below(&w->rng, 100);

	if (r < 55) {
		char *p = w->buf + below(&w->rng, BUF_SIZE / 2 / 64) * 64;
		if (input && chance(&w->rng, 20))
			fill_random(w, p, 256);
		*kind = P_VALID;
		return (uint64_t)p;
	}
	if (r < 63)
		return *kind = P_NULL, 0;
	if (r < 71) {		/* (calls that wrote there may have left a NUL: 'a's again) */
		memset(w->edge - 64, 'a', 64);
		return *kind = P_EDGE, (uint64_t)(w->edge - 1 - below(&w->rng, 64));
	}
	if (r < 77)
		return *kind = P_RO, (uint64_t)(w->ro + below(&w->rng, 64) * 8);
	if (r < 82)
		return *kind = P_KERNEL, KADDR + below(&w->rng, 1 << 20) * 8;
	if (r < 87)
		return *kind = P_NONCANON, NONCANON + below(&w->rng, 1 << 20) * 8;
	if (r < 92)
		return *kind = P_UNALIGNED, (uint64_t)(w->buf + 1 + below(&w->rng, 7));
	if (r < 97)
		return *kind = P_ARENA, arena_addr(w) + below(&w->rng, 4) * 8;
	*kind = P_UNMAPPED;
	return rnd(&w->rng) & 0x00007ffffffffff8UL;
}

/* ---- lengths, offsets, small numbers ------------------------------------------- */

uint64_t gen_len(struct wctx *w)
{
	switch (below(&w->rng, 12)) {
	case 0: return 0;
	case 1: case 2: return 1 + below(&w->rng, 16);
	case 3: case 4: return 17 + below(&w->rng, 4080);
	case 5: return PAGE;
	case 6: return PAGE + 1;
	case 7: return below(&w->rng, BUF_SIZE) + 1;
	case 8: return BUF_SIZE;
	case 9: return 1UL << (32 + below(&w->rng, 31));
	case 10: return (uint64_t)-1L - below(&w->rng, 4096);
	default: return 0x7fffffffUL + below(&w->rng, 3);
	}
}

static uint64_t gen_off(struct wctx *w)
{
	switch (below(&w->rng, 10)) {
	case 0: case 1: return 0;
	case 2: return below(&w->rng, 4) * PAGE;
	case 3: return below(&w->rng, 3 * PAGE + 200);
	case 4: return (uint64_t)-1L;
	case 5: return (uint64_t)-PAGE;
	case 6: return 0x7fffffffffffffffUL - below(&w->rng, 2) * 0xfff;
	case 7: return 1UL << (30 + below(&w->rng, 33));
	case 8: return 0x7ffffffffffff000UL;
	default: return below(&w->rng, 1 << 20);
	}
}

static uint64_t gen_small(struct wctx *w)
{
	if (chance(&w->rng, 10))
		return (uint64_t)-1L;
	return below(&w->rng, 17);
}

/* ---- pids and signals ------------------------------------------------------------ */

/*
 * Any pid only as init: then every process is the fuzzer's (and the kernel's threads).
 * Otherwise, on a system with other work to do, signals and the like stay in the family.
 */
uint64_t gen_pid(struct wctx *w)
{
	long pid;

	do {
		uint64_t r = below(&w->rng, 10);
		if (opt.parent != 1 && (r == 6 || r == 9))
			r = 3;
		switch (r) {
		case 0: pid = 0; break;
		case 1: case 2: pid = w->pid; break;
		case 3: case 4: pid = w->nkids ? w->kid[below(&w->rng, w->nkids)] : w->pid; break;
		case 5: pid = -(long)w->pid; break;	/* our own process group */
		case 6: pid = 2 + below(&w->rng, 400); break;
		case 7: pid = w->tid; break;
		case 8: pid = chance(&w->rng, 50) ? 0x7fffffff : -0x7fffffffL - 1; break;
		default: pid = 32768 + below(&w->rng, 100000); break;
		}
	} while (bad_pid(pid));
	return (uint64_t)pid;
}

static uint64_t gen_sig(struct wctx *w)
{
	uint64_t r = below(&w->rng, 20);

	if (r == 0)
		return 0;
	if (r == 1)
		return 64 + below(&w->rng, 3);		/* 64 valid, 65 and 66 not */
	if (r == 2)
		return (uint64_t)-1L;
	if (r < 6)
		return 32 + below(&w->rng, 32);		/* real-time */
	/* SIGKILL and SIGSTOP less often: they end or (on Linux) stop the worker */
	uint64_t s = 1 + below(&w->rng, 31);
	if ((s == SIGKILL || s == SIGSTOP) && chance(&w->rng, 70))
		s = SIGUSR1;
	return s;
}

/* ---- fds ----------------------------------------------------------------------- */

int gen_fd(struct wctx *w)
{
	uint64_t r = below(&w->rng, 100);
	int fd;

	if (r < 75 && w->nfds)
		fd = w->fd[below(&w->rng, w->nfds)];
	else if (r < 80)
		fd = 900 + (int)below(&w->rng, 10);	/* never opened */
	else if (r < 85)
		fd = -1;
	else if (r < 90)
		fd = chance(&w->rng, 50) ? 0x7fffffff : 100000;
	else if (r < 95)
		fd = -100;			/* AT_FDCWD where it means nothing */
	else
		fd = (int)below(&w->rng, 64);
	return bad_fd(fd) ? -1 : fd;
}

static int gen_newfd(struct wctx *w)
{
	int fd;

	switch (below(&w->rng, 6)) {
	case 0: fd = w->nfds ? w->fd[below(&w->rng, w->nfds)] : 3; break;
	case 1: fd = 1023 + (int)below(&w->rng, 3); break;
	case 2: fd = -1; break;
	case 3: fd = 0x7fffffff; break;
	default: fd = 3 + (int)below(&w->rng, 60); break;
	}
	return bad_fd(fd) ? 3 : fd;
}

static int gen_dirfd(struct wctx *w)
{
	uint64_t r = below(&w->rng, 10);

	if (r < 4)
		return -100;			/* AT_FDCWD */
	if (r < 7) {
		int fd = fd_of_kind(w, FD_DIR);
		if (fd >= 0)
			return fd;
	}
	return gen_fd(w);
}

/* ---- paths ----------------------------------------------------------------------- */

/* names in the scratch directory (and, relative, in whatever directory is current) */
const char *const scratch_names[] = {
	"f0", "f1", "f2", "d0", "d1", "d0/f0", "l0", "l1", "l2", "e0", "e1", "n0", "n1", "t0",
};
const int nr_scratch_names = sizeof scratch_names / sizeof *scratch_names;
/* read-only calls may also look at these */
static const char *const system_paths[] = {
	"/", "/tmp", "/dev/null", "/dev/zero", "/dev/console", "/bin", "/bin/sh",
	"/etc/passwd", "/proc/self/maps", "..", "/tmp/fuzz",
};

static char path_bufs[4][128];
static int path_next;

const char *gen_path(struct wctx *w, int readonly, uint8_t *kind)
{
	uint64_t r = below(&w->rng, 100);
	const char *name = scratch_names[below(&w->rng, nr_scratch_names)];
	char *p = path_bufs[path_next++ % 4];

	*kind = P_STRING;
	if (r < 35) {
		snprintf(p, 128, "%s/%s", w->dir, name);
		return p;
	}
	if (r < 55)
		return name;
	if (r < 60)
		return chance(&w->rng, 50) ? w->dir : ".";
	if (r < 70 && readonly)
		return system_paths[below(&w->rng, sizeof system_paths / sizeof *system_paths)];
	if (r < 74) {
		snprintf(p, 128, "%s/nope/%s", w->dir, name);
		return p;
	}
	if (r < 77)
		return "";
	if (r < 81) {
		*kind = P_LONG;
		return w->longpath;
	}
	if (r < 84) {			/* one component longer than NAME_MAX */
		*kind = P_LONG;
		return w->longpath + 4096 - 300;
	}
	uint8_t k;
	uint64_t ptr = gen_ptr(w, &k, 0);
	if (k == P_VALID || k == P_UNALIGNED)
		ptr = 0;		/* random bytes in the buffer: use NULL instead */
	*kind = k == P_VALID || k == P_UNALIGNED ? P_NULL : k;
	return (const char *)ptr;
}

/* ---- the arena -------------------------------------------------------------------- */

uint64_t arena_addr(struct wctx *w)
{
	uint64_t r = below(&w->rng, 100);

	if (r < 70)
		return ARENA + below(&w->rng, ARENA_PAGES) * PAGE;
	if (r < 85 && w->nmaps)
		return w->map[below(&w->rng, w->nmaps)].addr;
	if (r < 90)
		return ARENA + below(&w->rng, ARENA_PAGES * PAGE);	/* unaligned */
	if (r < 94)
		return 0;
	if (r < 97)
		return KADDR;
	return NONCANON;
}

uint64_t arena_len(struct wctx *w)
{
	switch (below(&w->rng, 20)) {
	case 0: return 0;
	case 1: case 2: return 1 + below(&w->rng, 3 * PAGE);
	case 3: return (64 + below(&w->rng, 192)) * PAGE;	/* up to 1 MiB */
	case 4: return 1UL << 46;
	case 5: return (uint64_t)-PAGE;
	default: return (1 + below(&w->rng, 16)) * PAGE;
	}
}

static uint64_t gen_prot(struct wctx *w)
{
	uint64_t p = below(&w->rng, 8);

	if (chance(&w->rng, 5))
		p |= chance(&w->rng, 50) ? PROT_GROWSDOWN : PROT_GROWSUP;
	if (chance(&w->rng, 5))
		p |= 1UL << below(&w->rng, 32);
	return p;
}

static uint64_t gen_mmap_flags(struct wctx *w)
{
	uint64_t f = MAP_PRIVATE | MAP_ANONYMOUS;
	static const uint64_t extra[] = { MAP_FIXED, MAP_FIXED_NOREPLACE, MAP_POPULATE, MAP_LOCKED,
					  MAP_NORESERVE, MAP_GROWSDOWN, MAP_STACK, MAP_32BIT };
	static const uint8_t pct[] = { 40, 10, 10, 5, 10, 5, 5, 3 };

	if (chance(&w->rng, 15))
		f = MAP_SHARED | MAP_ANONYMOUS;
	if (chance(&w->rng, 25))
		f &= ~MAP_ANONYMOUS;		/* a file mapping, of the fd argument */
	for (unsigned i = 0; i < sizeof extra / sizeof *extra; i++)
		if (chance(&w->rng, pct[i]))
			f |= extra[i];
	if (chance(&w->rng, 4))
		f |= 1UL << below(&w->rng, 32);
	if (chance(&w->rng, 2))
		f &= ~(uint64_t)(MAP_PRIVATE | MAP_SHARED);
	return f;
}

static uint64_t gen_mode(struct wctx *w)
{
	uint64_t m = below(&w->rng, 010000);

	if (chance(&w->rng, 10))
		m |= (uint64_t)S_IFMT & (rnd(&w->rng) << 12);
	if (chance(&w->rng, 5))
		m = rnd(&w->rng);
	return m;
}

/* ---- structured arguments --------------------------------------------------------- */

static char *st(struct wctx *w, unsigned off) { return w->st + off; }

static uint64_t struct_ptr(struct wctx *w, char *p, uint8_t *kind)
{
	if (chance(&w->rng, 85)) {
		*kind = P_VALID;
		return (uint64_t)p;
	}
	uint64_t q = gen_ptr(w, kind, 1);
	if (*kind == P_VALID) {
		*kind = P_VALID;
		return (uint64_t)p;
	}
	return q;
}

static uint64_t gen_timespec(struct wctx *w, uint8_t *kind, unsigned off)
{
	long *ts = (long *)st(w, off);

	switch (below(&w->rng, 10)) {
	case 0: ts[0] = -1; ts[1] = 0; break;
	case 1: ts[0] = 0; ts[1] = 1000000000L + (long)below(&w->rng, 3); break;
	case 2: ts[0] = 0; ts[1] = -1; break;
	case 3: ts[0] = 0; ts[1] = 0; break;
	default: ts[0] = 0; ts[1] = (long)below(&w->rng, 2000000); break;	/* up to 2 ms */
	}
	return struct_ptr(w, (char *)ts, kind);
}

static uint64_t gen_sigset(struct wctx *w, uint8_t *kind)
{
	uint64_t *set = (uint64_t *)st(w, ST_SIGSET);

	*set = rnd(&w->rng) & rnd(&w->rng);
	if (chance(&w->rng, 90))		/* the watchdog's nudge */
		*set &= ~(1UL << (SIGALRM - 1));
	if (chance(&w->rng, 10))
		*set = ~0UL;
	return struct_ptr(w, (char *)set, kind);
}

static uint64_t gen_sigaction(struct wctx *w, uint8_t *kind)
{
	struct { uint64_t handler, flags, restorer, mask; } *ka = (void *)st(w, ST_SIGACTION);
	static const uint64_t flags[] = { 4 /* SA_SIGINFO */, 0x04000000 /* SA_RESTORER */,
					  0x08000000 /* SA_ONSTACK */, 0x10000000 /* SA_RESTART */,
					  0x40000000 /* SA_NODEFER */, 0x80000000 /* SA_RESETHAND */,
					  1 /* SA_NOCLDSTOP */, 2 /* SA_NOCLDWAIT */ };

	switch (below(&w->rng, 20)) {
	case 0: case 1: case 2: ka->handler = 0; break;			/* SIG_DFL */
	case 3: case 4: case 5: ka->handler = 1; break;			/* SIG_IGN */
	case 6: ka->handler = (uint64_t)sig_scribble; break;
	case 7: ka->handler = KADDR; break;
	case 8: ka->handler = ARENA + below(&w->rng, 16) * PAGE; break;
	default: ka->handler = (uint64_t)sig_record; break;
	}
	ka->flags = 0x04000000 | 4;
	for (unsigned i = 0; i < sizeof flags / sizeof *flags; i++)
		if (chance(&w->rng, 25))
			ka->flags ^= flags[i];
	if (chance(&w->rng, 5))
		ka->flags |= rnd(&w->rng);
	ka->restorer = chance(&w->rng, 90) ? (uint64_t)sig_restorer : arena_addr(w);
	ka->mask = rnd(&w->rng) & ~(1UL << (SIGALRM - 1));
	return struct_ptr(w, (char *)ka, kind);
}

static uint64_t gen_stack(struct wctx *w, uint8_t *kind)
{
	struct { uint64_t sp; int flags; uint64_t size; } *ss = (void *)st(w, ST_STACK);
	static const uint64_t sizes[] = { 0, 2047, 2048, 8192, 65536, 1UL << 40 };
	uint8_t k;

	ss->sp = chance(&w->rng, 70) ? (uint64_t)w->buf : gen_ptr(w, &k, 0);
	ss->size = sizes[below(&w->rng, sizeof sizes / sizeof *sizes)];
	ss->flags = chance(&w->rng, 70) ? 0 : (int)(chance(&w->rng, 50) ? 2 /* SS_DISABLE */ :
			     chance(&w->rng, 50) ? 1 << 31 /* SS_AUTODISARM */ : (int)rnd(&w->rng));
	return struct_ptr(w, (char *)ss, kind);
}

static uint64_t gen_iovec(struct wctx *w, uint8_t *kind)
{
	struct { uint64_t base, len; } *iov = (void *)st(w, ST_IOVEC);

	for (int i = 0; i < 8; i++) {
		uint8_t k;
		iov[i].base = chance(&w->rng, 70) ? (uint64_t)(w->buf + i * 4096) : gen_ptr(w, &k, 1);
		iov[i].len = chance(&w->rng, 80) ? below(&w->rng, 4097) : gen_len(w);
	}
	return struct_ptr(w, (char *)iov, kind);
}

static uint64_t gen_argv(struct wctx *w, uint8_t *kind)
{
	uint64_t *v = (uint64_t *)st(w, ST_ARGV);
	static const char *const words[] = { "fuzz", "--child", "exit", "3", "", "x=y" };
	int n = (int)below(&w->rng, 6);

	for (int i = 0; i < n; i++) {
		uint8_t k;
		v[i] = chance(&w->rng, 85) ? (uint64_t)words[below(&w->rng, 6)] : gen_ptr(w, &k, 1);
	}
	v[n] = chance(&w->rng, 95) ? 0 : (uint64_t)w->buf;	/* unterminated: junk follows */
	if (chance(&w->rng, 3)) {				/* the array runs into the edge */
		uint64_t *e = (uint64_t *)(w->edge - 8);
		*e = (uint64_t)words[0];
		*kind = P_EDGE;
		return (uint64_t)e;
	}
	return struct_ptr(w, (char *)v, kind);
}

static uint64_t gen_futex_addr(struct wctx *w, uint8_t *kind)
{
	int *word = &w->sl->futex_word;

	switch (below(&w->rng, 10)) {
	case 0: case 1: case 2: *kind = P_VALID; return (uint64_t)word;	/* shared memory */
	case 3: case 4: *kind = P_VALID; return (uint64_t)w->buf;
	case 5: *kind = P_UNALIGNED; return (uint64_t)w->buf + 2;
	default: return gen_ptr(w, kind, 1);
	}
}

/* ---- flags and enumerations --------------------------------------------------------- */

static uint64_t gen_flags(struct wctx *w, const struct argspec *s)
{
	uint64_t f = 0;

	for (int i = 0; i < s->nval; i++)
		if (chance(&w->rng, 30))
			f |= s->val[i];
	if (chance(&w->rng, 10))
		f |= 1UL << below(&w->rng, 64);
	if (chance(&w->rng, 3))
		f = rnd(&w->rng);
	return f;
}

static uint64_t gen_enum(struct wctx *w, const struct argspec *s)
{
	if (s->nval && chance(&w->rng, 90))
		return s->val[below(&w->rng, s->nval)];
	return chance(&w->rng, 50) ? below(&w->rng, 64) : rnd(&w->rng);
}

uint64_t gen_arg(struct wctx *w, const struct argspec *s, uint8_t *kind)
{
	*kind = s->kind;
	switch (s->kind) {
	case A_NONE: return 0;
	case A_RAND: return rnd(&w->rng);
	case A_FD: return (uint64_t)(long)gen_fd(w);
	case A_NEWFD: return (uint64_t)(long)gen_newfd(w);
	case A_DIRFD: return (uint64_t)(long)gen_dirfd(w);
	case A_PATH: return (uint64_t)gen_path(w, 0, kind);
	case A_RPATH: return (uint64_t)gen_path(w, 1, kind);
	case A_BUF: return gen_ptr(w, kind, 0);
	case A_IBUF: return gen_ptr(w, kind, 1);
	case A_LEN: return gen_len(w);
	case A_OFF: return gen_off(w);
	case A_SMALL: return gen_small(w);
	case A_FLAGS: return gen_flags(w, s);
	case A_ENUM: return gen_enum(w, s);
	case A_PID: return gen_pid(w);
	case A_SIG: return gen_sig(w);
	case A_ADDR: return arena_addr(w);
	case A_MLEN: return arena_len(w);
	case A_PROT: return gen_prot(w);
	case A_MMAPFLAGS: return gen_mmap_flags(w);
	case A_MODE: return gen_mode(w);
	case A_TIMESPEC: return gen_timespec(w, kind, ST_TIMESPEC);
	case A_SIGSET: return gen_sigset(w, kind);
	case A_SIGACTION: return gen_sigaction(w, kind);
	case A_STACK: return gen_stack(w, kind);
	case A_IOVEC: return gen_iovec(w, kind);
	case A_ARGV: return gen_argv(w, kind);
	case A_FUTEXADDR: return gen_futex_addr(w, kind);
	}
	return rnd(&w->rng);
}
