/*
 * Address spaces: copy-on-write in both directions, faults that kill (SIGSEGV
 * for NULL, kernel memory, writes to text, executing data, with the right
 * siginfo), stack growth and the stack limit, mmap/munmap/mprotect/mlock edge
 * cases, shared memory, file mappings, and brk.
 */
#include "usertests.h"
#include <sys/sysinfo.h>

/* ---- copy-on-write ---- */

static char cow_data[3 * 4096] = { 1 };	/* .data */
static char cow_bss[3 * 4096];		/* .bss */

static void t_cow(void)
{
	const size_t heap_len = 1 << 20;
	char *heap = map(heap_len, PROT_READ | PROT_WRITE);
	char stack[8192];
	int to_child[2], to_parent[2];
	char c;

	memset(heap, 'P', heap_len);
	memset(stack, 'P', sizeof stack);
	memset(cow_data, 'P', sizeof cow_data);
	memset(cow_bss, 'P', sizeof cow_bss);
	CHECK(pipe(to_child) == 0 && pipe(to_parent) == 0, "pipe: %s", strerror(errno));
	pid_t pid = fork();
	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		CHECK(all_bytes(heap, heap_len, 'P') && all_bytes(stack, sizeof stack, 'P') &&
		      all_bytes(cow_data, sizeof cow_data, 'P') && all_bytes(cow_bss, sizeof cow_bss, 'P'),
		      "the child does not see the parent's memory");
		memset(heap, 'C', heap_len);	/* child writes first */
		memset(stack, 'C', sizeof stack);
		memset(cow_data, 'C', sizeof cow_data);
		memset(cow_bss, 'C', sizeof cow_bss);
		CHECK(write(to_parent[1], "w", 1) == 1, "pipe write");
		CHECK(read(to_child[0], &c, 1) == 1, "pipe read");	/* parent wrote too */
		CHECK(all_bytes(heap, heap_len, 'C') && all_bytes(stack, sizeof stack, 'C') &&
		      all_bytes(cow_data, sizeof cow_data, 'C') && all_bytes(cow_bss, sizeof cow_bss, 'C'),
		      "the parent's writes after fork showed up in the child");
		_exit(0);
	}
	CHECK(read(to_parent[0], &c, 1) == 1, "pipe read");
	CHECK(all_bytes(heap, heap_len, 'P') && all_bytes(stack, sizeof stack, 'P') &&
	      all_bytes(cow_data, sizeof cow_data, 'P') && all_bytes(cow_bss, sizeof cow_bss, 'P'),
	      "the child's writes showed up in the parent");
	memset(heap, 'Q', heap_len);		/* now the parent writes */
	memset(stack, 'Q', sizeof stack);
	memset(cow_data, 'Q', sizeof cow_data);
	memset(cow_bss, 'Q', sizeof cow_bss);
	CHECK(write(to_child[1], "w", 1) == 1, "pipe write");
	expect_exit(reap(pid), 0, "the child");
	CHECK(all_bytes(heap, heap_len, 'Q') && all_bytes(cow_data, sizeof cow_data, 'Q'),
	      "the parent lost its own writes");
}

static void t_cow_chain(void)
{
	/* a page shared by three generations: each writer gets its own copy */
	char *p = map(PAGE, PROT_READ | PROT_WRITE);
	int st;

	p[0] = 'A';
	pid_t pid = fork();
	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		pid_t gc = fork();
		CHECK(gc >= 0, "fork: %s", strerror(errno));
		if (gc == 0) {
			CHECK(p[0] == 'A', "the grandchild does not see 'A'");
			p[0] = 'G';
			_exit(0);
		}
		expect_exit(reap(gc), 0, "grandchild");
		CHECK(p[0] == 'A', "the grandchild's write reached the child");
		p[0] = 'C';
		_exit(0);
	}
	st = reap(pid);
	expect_exit(st, 0, "child");
	CHECK(p[0] == 'A', "the descendants' writes reached the parent");
	p[0] = 'P';
}

/* ---- faults that kill ---- */

static void t_segv_null(void)
{
	expect_signal(run(read_at, 0), SIGSEGV, "reading address 0");
	expect_signal(run(write_at, 16), SIGSEGV, "writing address 16");
}

static void t_segv_kernel(void)
{
	expect_signal(run(read_at, (long)KADDR), SIGSEGV, "reading kernel text");
	expect_signal(run(write_at, (long)KADDR), SIGSEGV, "writing kernel text");
	expect_signal(run(read_at, (long)0xffff888000000000UL), SIGSEGV, "reading the direct map");
	expect_signal(run(read_at, (long)NONCANON), SIGSEGV, "reading a non-canonical address");
}

static void t_segv_text(void)
{
	expect_signal(run(write_at, (long)(uintptr_t)&t_segv_text), SIGSEGV, "writing our own text");
	expect_signal(run(write_at, (long)(uintptr_t)"a string literal"), SIGSEGV,
		      "writing read-only data");
}

static void exec_data(long prot)
{
	unsigned char *p = (unsigned char *)map(PAGE, PROT_READ | PROT_WRITE);
	p[0] = 0xc3;			/* ret */
	if (prot != (PROT_READ | PROT_WRITE))
		CHECK(mprotect(p, PAGE, (int)prot) == 0, "mprotect: %s", strerror(errno));
	((void (*)(void))(uintptr_t)p)();
	_exit(0);
}

static void t_segv_nx(void)
{
	expect_signal(run(exec_data, PROT_READ | PROT_WRITE), SIGSEGV,
		      "calling into a page mapped without PROT_EXEC");
	expect_exit(run(exec_data, PROT_READ | PROT_EXEC), 0, "calling into a PROT_EXEC page");
}

static void *want_addr;

static int want_code;

static void check_segv_info(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	CHECK(sig == SIGSEGV, "the handler got signal %d", sig);
	CHECK(si->si_signo == SIGSEGV, "si_signo %d", si->si_signo);
	CHECK(si->si_addr == want_addr, "si_addr %p, expected %p", si->si_addr, want_addr);
	CHECK(si->si_code == want_code, "si_code %d, expected %d", si->si_code, want_code);
	_exit(0);	/* returning would fault again */
}

static void fault_with_handler(long write_text)
{
	struct sigaction sa = { .sa_sigaction = check_segv_info, .sa_flags = SA_SIGINFO };

	want_addr = write_text ? (void *)(uintptr_t)&fault_with_handler : (void *)0x10;
	want_code = write_text ? SEGV_ACCERR : SEGV_MAPERR;
	CHECK(sigaction(SIGSEGV, &sa, NULL) == 0, "sigaction: %s", strerror(errno));
	if (write_text)
		write_at((long)want_addr);
	else
		read_at((long)want_addr);
	fail("no fault at %p", want_addr);
}

static void t_segv_siginfo(void)
{
	expect_exit(run(fault_with_handler, 0), 0, "SIGSEGV handler for a read of 0x10 (SEGV_MAPERR)");
	expect_exit(run(fault_with_handler, 1), 0, "SIGSEGV handler for a write to text (SEGV_ACCERR)");
}

/* ---- stack ---- */

static long recurse(long depth)
{
	volatile char frame[4000];

	frame[0] = (char)depth;
	frame[sizeof frame - 1] = (char)depth;
	if (depth <= 1)
		return frame[0];
	return recurse(depth - 1) + frame[sizeof frame - 1];
}

static void deep_stack(long depth)
{
	long want = 0;

	for (long d = 1; d <= depth; d++)
		want += (char)d;
	CHECK(recurse(depth) == want, "recursion computed the wrong sum");
}

static void t_stack_growth(void)
{
	/* 512 frames of 4 KB: 2 MB, well inside Linux's default 8 MB RLIMIT_STACK */
	expect_exit(run(deep_stack, 512), 0, "2 MB of recursion");
}

static void t_stack_overflow(void)
{
	/* 64 MB of recursion: far past the 8 MB limit, it must die on the guard */
	int st = run(deep_stack, 16384);
	CHECK(!WIFEXITED(st), "64 MB of stack recursion did not fault: is the stack limited (8 MB)?");
	expect_signal(st, SIGSEGV, "64 MB of recursion");
}

/* ---- mmap, munmap, mprotect, mlock ---- */

static void t_mmap_args(void)
{
	char *p = map(2 * PAGE, PROT_READ | PROT_WRITE);
	long r;

	r = MMAP(p + 1, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED);
	CHECK(r == -EINVAL, "mmap(MAP_FIXED, unaligned address): %s, expected -EINVAL", res(r));
	r = MMAP(0, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS);
	CHECK(r == -EINVAL, "mmap(length 0): %s, expected -EINVAL", res(r));
	r = MMAP(0, PAGE, PROT_READ, MAP_ANONYMOUS);
	CHECK(r == -EINVAL, "mmap(neither MAP_PRIVATE nor MAP_SHARED): %s, expected -EINVAL", res(r));
	r = RAW(SYS_munmap, p + 1, PAGE);
	CHECK(r == -EINVAL, "munmap(unaligned): %s, expected -EINVAL", res(r));
	r = RAW(SYS_munmap, p, 0);
	CHECK(r == -EINVAL, "munmap(length 0): %s, expected -EINVAL", res(r));
	r = RAW(SYS_munmap, KADDR, PAGE);
	CHECK(r == -EINVAL, "munmap(the kernel half): %s, expected -EINVAL", res(r));
	r = RAW(SYS_mprotect, p + 1, PAGE, PROT_READ);
	CHECK(r == -EINVAL, "mprotect(unaligned): %s, expected -EINVAL", res(r));
	r = MMAP(0, 1UL << 50, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS);
	CHECK(r == -ENOMEM, "mmap(1 PB): %s, expected -ENOMEM", res(r));
	r = MMAP(KADDR, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED);
	CHECK(r == -ENOMEM || r == -EINVAL, "mmap(MAP_FIXED in the kernel half): %s, "
	      "expected -ENOMEM or -EINVAL", res(r));
	CHECK(writable(p) && writable(p + PAGE), "the first mapping was damaged");
	CHECK(munmap(p, 2 * PAGE) == 0, "munmap: %s", strerror(errno));
}

static void t_mmap_anon(void)
{
	const size_t len = 64 * PAGE;
	char *p = map(len, PROT_READ | PROT_WRITE);

	for (size_t i = 0; i < len; i++)
		CHECK(p[i] == 0, "fresh anonymous memory is not zero at offset %zu", i);
	for (size_t i = 0; i < len; i += 64)
		p[i] = (char)(i / 64);
	for (size_t i = 0; i < len; i += 64)
		CHECK(p[i] == (char)(i / 64), "anonymous memory lost a write at offset %zu", i);
	CHECK(munmap(p, len) == 0, "munmap: %s", strerror(errno));
	CHECK(!readable(p) && !readable(p + len - 1), "memory still mapped after munmap");
	/* unmapping what is not mapped is not an error */
	CHECK(munmap(p, len) == 0, "munmap of an unmapped range: %s", strerror(errno));
}

static void t_mmap_fixed(void)
{
	char *p = map(3 * PAGE, PROT_READ | PROT_WRITE);

	memset(p, 'A', 3 * PAGE);
	long r = MMAP(p + PAGE, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED);
	CHECK(r == (long)(p + PAGE), "mmap(MAP_FIXED over a mapping): %s, expected %p", res(r), p + PAGE);
	CHECK(p[0] == 'A' && p[PAGE - 1] == 'A', "the page before the replaced one changed");
	CHECK(p[2 * PAGE] == 'A' && p[3 * PAGE - 1] == 'A', "the page after the replaced one changed");
	for (size_t i = 0; i < PAGE; i++)
		CHECK(p[PAGE + i] == 0, "the replacing mapping is not zero-filled at offset %zu", i);
	p[PAGE] = 'B';
	CHECK(munmap(p, 3 * PAGE) == 0, "munmap: %s", strerror(errno));
}

static void t_munmap_split(void)
{
	char *p = map(5 * PAGE, PROT_READ | PROT_WRITE);

	for (int i = 0; i < 5; i++)
		memset(p + i * PAGE, '0' + i, PAGE);
	CHECK(munmap(p + 2 * PAGE, PAGE) == 0, "munmap(middle page): %s", strerror(errno));
	CHECK(!readable(p + 2 * PAGE) && !readable(p + 3 * PAGE - 1), "the unmapped middle is readable");
	expect_signal(run(read_at, (long)(p + 2 * PAGE)), SIGSEGV, "reading the unmapped middle page");
	for (int i = 0; i < 5; i++) {
		if (i == 2)
			continue;
		CHECK(p[i * PAGE] == '0' + i && p[i * PAGE + PAGE - 1] == '0' + i,
		      "page %d lost its contents when the middle was unmapped", i);
		CHECK(writable(p + i * PAGE), "page %d is no longer writable", i);
	}
	/* split again: the first page of the upper part, then the lower part's end */
	CHECK(munmap(p + 3 * PAGE, PAGE) == 0, "munmap(page 3): %s", strerror(errno));
	CHECK(munmap(p + PAGE, PAGE) == 0, "munmap(page 1): %s", strerror(errno));
	CHECK(p[0] == '0' && p[4 * PAGE] == '4', "the remaining pages lost their contents");
	CHECK(!readable(p + PAGE) && !readable(p + 3 * PAGE), "unmapped pages are readable");
	CHECK(munmap(p, 5 * PAGE) == 0, "munmap(everything, holes included): %s", strerror(errno));
	CHECK(!readable(p) && !readable(p + 4 * PAGE), "pages readable after the final munmap");
}

static void t_mprotect(void)
{
	char *p = map(3 * PAGE, PROT_READ | PROT_WRITE);

	memset(p, 'x', 3 * PAGE);
	CHECK(mprotect(p + PAGE, PAGE, PROT_READ) == 0, "mprotect(PROT_READ): %s", strerror(errno));
	CHECK(p[PAGE] == 'x', "a read-only page lost its contents");
	CHECK(readable(p + PAGE) && !writable(p + PAGE), "a PROT_READ page is writable by the kernel");
	CHECK(writable(p) && writable(p + 2 * PAGE), "pages beside the read-only one are not writable");
	expect_signal(run(write_at, (long)(p + PAGE)), SIGSEGV, "writing a PROT_READ page");
	CHECK(mprotect(p + PAGE, PAGE, PROT_NONE) == 0, "mprotect(PROT_NONE): %s", strerror(errno));
	CHECK(!readable(p + PAGE), "a PROT_NONE page is readable by the kernel");
	expect_signal(run(read_at, (long)(p + PAGE)), SIGSEGV, "reading a PROT_NONE page");
	CHECK(mprotect(p, 3 * PAGE, PROT_READ | PROT_WRITE) == 0, "mprotect(back to RW): %s",
	      strerror(errno));
	CHECK(p[PAGE] == 'x', "the page lost its contents across PROT_NONE");
	p[PAGE] = 'y';
	CHECK(munmap(p, 3 * PAGE) == 0, "munmap: %s", strerror(errno));
}

/*
 * mprotect() over a range with an unmapped page fails with ENOMEM, wherever the hole is.
 * (Linux may already have changed the VMAs before a hole in the middle or at the end, so
 * only a hole at the start promises that nothing changed.)
 */
static void t_mprotect_hole(void)
{
	char *p = map(5 * PAGE, PROT_READ | PROT_WRITE);
	long r;

	CHECK(munmap(p, PAGE) == 0 && munmap(p + 2 * PAGE, PAGE) == 0 && munmap(p + 4 * PAGE, PAGE) == 0,
	      "munmap: %s", strerror(errno));
	r = RAW(SYS_mprotect, p, 2 * PAGE, PROT_READ);
	CHECK(r == -ENOMEM, "mprotect(a hole, then a page): %s, expected -ENOMEM", res(r));
	CHECK(writable(p + PAGE), "a failed mprotect changed the page after the hole");
	r = RAW(SYS_mprotect, p + PAGE, 3 * PAGE, PROT_READ);
	CHECK(r == -ENOMEM, "mprotect(a page, a hole, a page): %s, expected -ENOMEM", res(r));
	r = RAW(SYS_mprotect, p + 3 * PAGE, 2 * PAGE, PROT_READ);
	CHECK(r == -ENOMEM, "mprotect(a page, then a hole): %s, expected -ENOMEM", res(r));
	r = RAW(SYS_mprotect, p + 3 * PAGE, PAGE, PROT_READ);
	CHECK(r == 0, "mprotect(the page alone): %s", res(r));
	CHECK(munmap(p, 5 * PAGE) == 0, "munmap: %s", strerror(errno));
}

/* In a child: map len bytes of private writable memory; exit 0 if it was mapped, 1 if ENOMEM. */
static void try_map(long len)
{
	long r = MMAP(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
	_exit(r > 0 ? 0 : r == -ENOMEM ? 1 : 2);
}

/* try_map(len) with vm.overcommit_memory set to mode (and back to 0 after): the child's status. */
static int map_in_mode(const char *mode, long len)
{
	CHECK(write_file("/proc/sys/vm/overcommit_memory", mode) == 0, "overcommit_memory=%s: %s", mode,
	      strerror(errno));
	int st = run(try_map, len);
	CHECK(write_file("/proc/sys/vm/overcommit_memory", "0") == 0, "restore overcommit_memory");
	return st;
}

/*
 * vm.overcommit_memory: 0 (heuristic) refuses one mapping larger than all memory, 1 takes
 * it, 2 (never) holds the total to CommitLimit (half of memory by overcommit_ratio).
 */
static void t_overcommit(void)
{
	struct sysinfo si;

	CHECK(sysinfo(&si) == 0, "sysinfo: %s", strerror(errno));
	long ram = (long)si.totalram * si.mem_unit & ~(long)(PAGE - 1);
	expect_exit(map_in_mode("0", 2 * ram), 1, "mode 0: twice all memory");
	expect_exit(map_in_mode("0", ram / 4), 0, "mode 0: a quarter of memory");
	expect_exit(map_in_mode("1", 2 * ram), 0, "mode 1: twice all memory");
	expect_exit(map_in_mode("2", ram * 3 / 4 & ~(long)(PAGE - 1)), 1, "mode 2: three quarters of memory");
	expect_exit(map_in_mode("2", 16 * PAGE), 0, "mode 2: 16 pages");
}

/* Nothing can be mapped at address 0, so a NULL dereference always faults (vm.mmap_min_addr). */
static void t_mmap_low(void)
{
	/*
	 * on_linux: root (CAP_SYS_RAWIO) may map below mmap_min_addr; Folio keeps the
	 * unprivileged rule for everyone, so a NULL dereference always faults.
	 */
	long r = MMAP(0, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED);
	if (on_linux && r == 0) {
		munmap(0, PAGE);
		return;
	}
	CHECK(r == -EPERM, "mmap(MAP_FIXED at 0): %s, expected -EPERM", res(r));
	r = MMAP(0x1000, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED);
	CHECK(r == -EPERM, "mmap(MAP_FIXED at 0x1000): %s, expected -EPERM", res(r));
}

/* Shared memory stays shared through mprotect(PROT_READ) and back, and through MADV_DONTNEED. */
static void t_shared_mprotect(void)
{
	volatile int *shared = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int go[2], done[2];
	char c;

	CHECK(shared != MAP_FAILED, "mmap(MAP_SHARED|MAP_ANONYMOUS): %s", strerror(errno));
	CHECK(pipe(go) == 0 && pipe(done) == 0, "pipe: %s", strerror(errno));
	shared[0] = 1;
	pid_t pid = fork();
	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		if (read(go[0], &c, 1) != 1)
			_exit(2);
		_exit(shared[0] == 42 ? 0 : 1);
	}
	CHECK(mprotect((void *)shared, PAGE, PROT_READ) == 0, "mprotect(PROT_READ): %s", strerror(errno));
	CHECK(mprotect((void *)shared, PAGE, PROT_READ | PROT_WRITE) == 0, "mprotect(RW): %s", strerror(errno));
	madvise((void *)shared, PAGE, MADV_DONTNEED);
	shared[0] = 42;
	CHECK(write(go[1], "g", 1) == 1, "pipe write");
	int st = reap(pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the child saw %s after the parent wrote 42",
	      WIFEXITED(st) && WEXITSTATUS(st) == 1 ? "an old value" : "nothing");
	close(go[0]);
	close(go[1]);
	close(done[0]);
	close(done[1]);
	munmap((void *)shared, PAGE);
}

/*
 * madvise(): the hints that only tune paging keep the data and return 0; MADV_DONTNEED
 * drops the private pages of its range (and only those: the next mapping keeps its
 * data), refuses a locked range, and leaves shared memory alone. A range with an
 * unmapped page is ENOMEM (the mapped part still advised); bad arguments are EINVAL.
 */
static void t_madvise(void)
{
	static const int hints[] = { MADV_NORMAL, MADV_RANDOM, MADV_SEQUENTIAL, MADV_WILLNEED };
	char *p = map(4 * PAGE, PROT_READ | PROT_WRITE);
	long r;

	memset(p, 'a', 4 * PAGE);
	for (unsigned i = 0; i < sizeof hints / sizeof hints[0]; i++) {
		r = RAW(SYS_madvise, p, 4 * PAGE, hints[i]);
		CHECK(r == 0, "madvise(advice %d): %s", hints[i], res(r));
	}
	CHECK(all_bytes(p, 4 * PAGE, 'a'), "a hint changed the data");
	r = RAW(SYS_madvise, p + 1, PAGE, MADV_NORMAL);
	CHECK(r == -EINVAL, "madvise(unaligned): %s, expected -EINVAL", res(r));
	r = RAW(SYS_madvise, p, -2 * PAGE, MADV_DONTNEED);
	CHECK(r == -EINVAL, "madvise(a length that wraps): %s, expected -EINVAL", res(r));
	r = RAW(SYS_madvise, p, PAGE, 12345);
	CHECK(r == -EINVAL, "madvise(advice 12345): %s, expected -EINVAL", res(r));
	CHECK(mprotect(p + 2 * PAGE, 2 * PAGE, PROT_READ) == 0, "mprotect: %s", strerror(errno));	/* a second VMA */
	r = RAW(SYS_madvise, p + PAGE, PAGE, MADV_DONTNEED);
	CHECK(r == 0, "madvise(MADV_DONTNEED): %s", res(r));
	CHECK(all_bytes(p, PAGE, 'a') && all_bytes(p + PAGE, PAGE, 0) && all_bytes(p + 2 * PAGE, 2 * PAGE, 'a'),
	      "MADV_DONTNEED of page 1: pages 0-3 begin %c %c %c %c, expected a 0 a a",
	      p[0] ?: '0', p[PAGE] ?: '0', p[2 * PAGE] ?: '0', p[3 * PAGE] ?: '0');
	p[PAGE] = 'b';
	CHECK(munmap(p + 3 * PAGE, PAGE) == 0, "munmap: %s", strerror(errno));
	r = RAW(SYS_madvise, p, 4 * PAGE, MADV_DONTNEED);
	CHECK(r == -ENOMEM, "madvise(MADV_DONTNEED, a hole at the end): %s, expected -ENOMEM", res(r));
	CHECK(all_bytes(p, 3 * PAGE, 0), "the mapped part was not dropped");
	r = RAW(SYS_madvise, p + 3 * PAGE, PAGE, MADV_NORMAL);
	CHECK(r == -ENOMEM, "madvise(MADV_NORMAL, unmapped): %s, expected -ENOMEM", res(r));
	CHECK(munmap(p + PAGE, PAGE) == 0, "munmap: %s", strerror(errno));
	r = RAW(SYS_madvise, p, 3 * PAGE, MADV_WILLNEED);
	CHECK(r == -ENOMEM, "madvise(MADV_WILLNEED, a hole in the middle): %s, expected -ENOMEM", res(r));
	r = RAW(SYS_madvise, p + 3 * PAGE, 0, MADV_DONTNEED);
	CHECK(r == 0, "madvise(length 0): %s", res(r));
	p[0] = 'c';
	CHECK(mlock(p, PAGE) == 0, "mlock: %s", strerror(errno));
	r = RAW(SYS_madvise, p, PAGE, MADV_DONTNEED);
	CHECK(r == -EINVAL, "madvise(MADV_DONTNEED, locked): %s, expected -EINVAL", res(r));
	CHECK(p[0] == 'c', "a locked page was dropped");
	CHECK(munmap(p, 3 * PAGE) == 0, "munmap: %s", strerror(errno));
}

/* mlock of an unaligned buffer locks whole pages and leaves the mappings page-aligned. */
static void t_mlock_unaligned(void)
{
	char *p = map(4 * PAGE, PROT_READ | PROT_WRITE);

	CHECK(mlock(p + PAGE + 8, 16) == 0, "mlock(unaligned): %s", strerror(errno));
	CHECK(munlock(p + PAGE + 8, 16) == 0, "munlock(unaligned): %s", strerror(errno));
	char *q = map(PAGE, PROT_READ | PROT_WRITE);
	CHECK(((unsigned long)q & (PAGE - 1)) == 0, "a later mmap returned the unaligned %p", (void *)q);
	CHECK(munmap(p, 4 * PAGE) == 0 && munmap(q, PAGE) == 0, "munmap: %s", strerror(errno));
}

static long long free_ram(void)
{
	struct sysinfo si;

	CHECK(sysinfo(&si) == 0, "sysinfo: %s", strerror(errno));
	return (long long)si.freeram * si.mem_unit;
}

/* mlock() of 16 GiB of read-only memory: far more than there is, unless reads share one zero page. */
static void mlock_huge(long unused)
{
	size_t len = 16UL << 30;

	(void)unused;
	char *p = mmap(NULL, len, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		_exit(2);
	mlock(p, len);
	sleep_forever();
}

/*
 * A process killed while mlock() faults its range in stops taking memory and goes: the
 * populate loop stops at a fatal signal (Linux checks for one at every page). Otherwise
 * the killed process would go on taking memory until none is left (Folio has no shared
 * zero page: every page read takes a page). It is killed once it has taken 8 MiB, or
 * after 2 s (Linux's zero page makes its faults cheap); after the kill it may take a
 * few more pages, not 32 MiB.
 */
static void t_mlock_sigkill(void)
{
	struct timespec ms = { 0, 1000 * 1000 };
	long long before = free_ram();
	int st;

	pid_t pid = spawn(mlock_huge, 0);
	for (int i = 0; i < 2000 && before - free_ram() < (8LL << 20); i++)
		nanosleep(&ms, NULL);
	long long at_kill = free_ram(), least = at_kill;
	CHECK(kill(pid, SIGKILL) == 0, "kill: %s", strerror(errno));
	pid_t r = 0;
	for (int i = 0; i < 30000 && r == 0; i++) {	/* 30 s to go */
		r = waitpid(pid, &st, WNOHANG);
		long long now = free_ram();
		least = now < least ? now : least;
		if (r == 0)
			nanosleep(&ms, NULL);
	}
	CHECK(r == pid, "a process killed in mlock() was still there 30 s later");
	expect_signal(st, SIGKILL, "the process killed in mlock()");
	CHECK(at_kill - least < (32LL << 20), "a process killed in mlock() went on taking memory: %lld KiB "
	      "more after SIGKILL (%lld KiB were free then)", (at_kill - least) >> 10, at_kill >> 10);
}

/*
 * Shared anonymous memory is promised in full at mmap (Linux accounts it as shmem): a
 * mapping larger than all of memory fails with ENOMEM, whatever its protection, unless
 * MAP_NORESERVE; then it is made at once, PROT_NONE pages being nothing to bring in.
 * (A kernel that fills its range page by page at mmap runs for hours on 1 TiB.)
 */
static void t_mmap_shared_huge(void)
{
	long r = MMAP(0, 1UL << 40, PROT_NONE, MAP_SHARED | MAP_ANONYMOUS);

	CHECK(r == -ENOMEM, "mmap(1 TiB, PROT_NONE, MAP_SHARED | MAP_ANONYMOUS): %s, expected -ENOMEM", res(r));
	r = MMAP(0, 1UL << 40, PROT_NONE, MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE);
	CHECK(r > 0, "mmap(1 TiB, PROT_NONE, MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE): %s", res(r));
	CHECK(munmap((void *)r, 1UL << 40) == 0, "munmap: %s", strerror(errno));
}

/* ---- file mappings ---- */

/* A scratch file of npages pages, each filled with its number plus 1; its fd (O_RDWR), path in path. */
static int scratch_file(char *path, size_t size, int npages)
{
	char page[PAGE];

	snprintf(path, size, "/tmp/usertests-map-%d", (int)getpid());
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0, "open(%s): %s", path, strerror(errno));
	for (int i = 0; i < npages; i++) {
		memset(page, i + 1, PAGE);
		CHECK(write(fd, page, PAGE) == (ssize_t)PAGE, "write: %s", strerror(errno));
	}
	return fd;
}

/*
 * mmap of a file checks what it is asked for as Linux does: a range whose last byte lies
 * past the largest file offset (2^63 - 1) fails with EOVERFLOW, rather than wrap around
 * to the start of the file; an fd not open for reading cannot be mapped (EACCES), neither
 * private nor shared. The last range that fits is accepted.
 */
static void t_mmap_file_checks(void)
{
	char path[64];
	int fd = scratch_file(path, sizeof path, 2);
	int wo = open(path, O_WRONLY);
	long r;

	CHECK(wo >= 0, "open(O_WRONLY): %s", strerror(errno));
	r = RAW(SYS_mmap, 0, 2 * PAGE, PROT_READ, MAP_PRIVATE, fd, -(long)PAGE);
	CHECK(r == -EOVERFLOW, "mmap(2 pages at file offset -4096): %s, expected -EOVERFLOW", res(r));
	r = RAW(SYS_mmap, 0, 2 * PAGE, PROT_READ, MAP_PRIVATE, fd, 0x7ffffffffffff000L);
	CHECK(r == -EOVERFLOW, "mmap(2 pages at file offset 2^63 - 4096): %s, expected -EOVERFLOW", res(r));
	r = RAW(SYS_mmap, 0, 2 * PAGE, PROT_READ, MAP_PRIVATE, fd, 0x7fffffffffffe000L);
	CHECK(r == -EOVERFLOW, "mmap(2 pages at file offset 2^63 - 8192): %s, expected -EOVERFLOW", res(r));
	r = RAW(SYS_mmap, 0, 2 * PAGE, PROT_READ, MAP_PRIVATE, fd, 0x7fffffffffffd000L);
	CHECK(r > 0, "mmap(2 pages at file offset 2^63 - 12288, the last that fits): %s", res(r));
	munmap((void *)r, 2 * PAGE);
	r = RAW(SYS_mmap, 0, PAGE, PROT_READ, MAP_PRIVATE, wo, 0);
	CHECK(r == -EACCES, "mmap(MAP_PRIVATE) of an O_WRONLY fd: %s, expected -EACCES", res(r));
	r = RAW(SYS_mmap, 0, PAGE, PROT_READ, MAP_SHARED, wo, 0);
	CHECK(r == -EACCES, "mmap(MAP_SHARED) of an O_WRONLY fd: %s, expected -EACCES", res(r));
	char *p = (char *)RAW(SYS_mmap, 0, 2 * PAGE, PROT_READ, MAP_PRIVATE, fd, PAGE);
	CHECK((long)p > 0, "mmap(page 1 of the file): %s", res((long)p));
	CHECK(p[0] == 2 && p[PAGE - 1] == 2, "the mapping of file page 1 reads %d, expected 2", p[0]);
	munmap(p, 2 * PAGE);
	close(wo);
	close(fd);
	unlink(path);
}

/* How a file gets cut under its mapping, and how its page 1 is touched then (t_truncate_sigbus). */
static const struct cut_case {
	const char *what;
	int cut_first;		/* ftruncate before the mmap */
	int touch_before;	/* page 1 touched before the cut: 0, 'r' (read) or 'w' (a private copy) */
	int by_other;		/* another process makes the cut */
	int write_after;	/* the touch after the cut writes */
} cut_cases[] = {
	{ "cut before the mmap", 1, 0, 0, 0 },
	{ "cut after the mmap", 0, 0, 0, 0 },
	{ "cut after the mmap, then a write", 0, 0, 0, 1 },
	{ "read, then cut", 0, 'r', 0, 0 },
	{ "written (a private copy), then cut by another process", 0, 'w', 1, 0 },
};

static int cut_fd;

static void cut_file(long unused)
{
	(void)unused;
	if (ftruncate(cut_fd, 100) != 0)
		_exit(2);
}

/*
 * A child's two-page private mapping of cut_fd while the file is cut to 100 bytes, as
 * cut_cases[i] says: page 0 must hold the 100 bytes, then zeros, and touching page 1
 * must kill it with SIGBUS. Exits 1 if page 0 is wrong, 0 if page 1 could be touched.
 */
static void touch_past_eof(long i)
{
	const struct cut_case *c = &cut_cases[i];
	char *p = NULL;

	if (c->cut_first)
		cut_file(0);
	p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, cut_fd, 0);
	if (p == MAP_FAILED)
		_exit(3);
	if (c->touch_before == 'r')
		(void)*(volatile char *)(p + PAGE);
	if (c->touch_before == 'w')
		*(volatile char *)(p + PAGE) = 7;
	if (c->by_other && !c->cut_first)
		reap(spawn(cut_file, 0));
	else if (!c->cut_first)
		cut_file(0);
	if (!all_bytes(p, 100, 1) || !all_bytes(p + 100, PAGE - 100, 0))
		_exit(1);
	if (c->write_after)
		*(volatile char *)(p + PAGE) = 7;
	else
		(void)*(volatile char *)(p + PAGE);
	_exit(0);
}

/*
 * A private file mapping may extend past the end of the file, but touching a page that
 * lies wholly past it raises SIGBUS (Linux's filemap_fault()), whether the file was cut
 * by ftruncate before the mmap or after it; and a cut takes away the pages a mapping had
 * there already, private copies too (Linux's truncate unmaps them), so the next touch
 * raises SIGBUS as well. The page that holds the end of the file reads zeros past it.
 */
static void t_truncate_sigbus(void)
{
	char path[64], what[128];

	for (unsigned i = 0; i < sizeof cut_cases / sizeof cut_cases[0]; i++) {
		cut_fd = scratch_file(path, sizeof path, 2);
		int st = run(touch_past_eof, i);
		snprintf(what, sizeof what, "page 1 of a file cut to 100 bytes (%s)", cut_cases[i].what);
		CHECK(!WIFEXITED(st) || WEXITSTATUS(st) != 1, "%s: page 0 does not hold the file's 100 bytes, "
		      "then zeros", what);
		expect_signal(st, SIGBUS, what);
		close(cut_fd);
		unlink(path);
	}
}

/* ---- brk ---- */

static void t_brk(void)
{
	char *cur = (char *)RAW(SYS_brk, 0);
	char *base = (char *)(((uintptr_t)cur + PAGE - 1) & ~(PAGE - 1));
	const size_t grow = 16 * PAGE;
	char *r;

	CHECK((long)cur > 0, "brk(0) returned %s", res((long)cur));
	r = (char *)RAW(SYS_brk, base + grow);
	CHECK(r == base + grow, "brk(+64 KB) returned %p, expected %p", r, base + grow);
	for (size_t i = 0; i < grow; i++)
		CHECK(base[i] == 0, "new heap memory is not zero at offset %zu", i);
	memset(base, 0x5a, grow);
	r = (char *)RAW(SYS_brk, base + PAGE);
	CHECK(r == base + PAGE, "brk(shrink) returned %p, expected %p", r, base + PAGE);
	CHECK(base[0] == 0x5a, "shrinking the heap lost the memory below the break");
	CHECK(!readable(base + 2 * PAGE), "the heap above the break is still mapped after shrinking");
	r = (char *)RAW(SYS_brk, base + grow);
	CHECK(r == base + grow, "brk(regrow) returned %p, expected %p", r, base + grow);
	CHECK(base[PAGE - 1] == 0x5a, "regrowing the heap changed the page that was kept");
	for (size_t i = PAGE; i < grow; i++)
		CHECK(base[i] == 0, "regrown heap memory is not zero at offset %zu (stale data)", i);
	r = (char *)RAW(SYS_brk, (char *)PAGE);
	CHECK(r == base + grow, "brk(below the heap start) moved the break to %p", r);
	r = (char *)RAW(SYS_brk, base + (1UL << 46));
	CHECK(r == base + grow, "brk(+64 TB) moved the break to %p", r);
	r = (char *)RAW(SYS_brk, ~0UL);		/* page-aligned, it wraps to 0: no shrink to there */
	CHECK(r == base + grow && base[0] == 0x5a, "brk(~0UL) moved the break to %p", r);
	r = (char *)RAW(SYS_brk, cur);
	CHECK(r == cur, "brk(back to start) returned %p, expected %p", r, cur);
}

const struct test memory_tests[] = {
	T(cow), T(cow_chain), T(segv_null), T(segv_kernel), T(segv_text), T(segv_nx),
	T(segv_siginfo), T(stack_growth), T(stack_overflow), T(mmap_args), T(mmap_anon),
	T(mmap_fixed), T(munmap_split), T(mprotect), T(mprotect_hole), T(mmap_low), T(shared_mprotect), T(madvise), T(overcommit),
	T(mlock_unaligned), T(mlock_sigkill), T(mmap_shared_huge), T(mmap_file_checks), T(truncate_sigbus),
	T(brk), { NULL },
};
