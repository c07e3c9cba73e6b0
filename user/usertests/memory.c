/*
 * Address spaces: copy-on-write in both directions, faults that kill (SIGSEGV
 * for NULL, kernel memory, writes to text, executing data, with the right
 * siginfo), stack growth and the stack limit, mmap/munmap/mprotect/mlock edge
 * cases, shared memory, file mappings, and brk.
 */
#include "usertests.h"
#include <sys/statfs.h>
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

/* ---- the corners of the memory system calls, as Linux 6.1 answers them ---- */

#ifndef MAP_HUGETLB
#define MAP_HUGETLB 0x40000
#endif
#ifndef MAP_SYNC
#define MAP_SYNC 0x80000
#endif
#define MADV_POPULATE_READ_ 22
#define MADV_POPULATE_WRITE_ 23
#define MADV_DONTNEED_LOCKED_ 24
#define MREMAP_DONTUNMAP_ 4
#define MLOCK_ONFAULT_ 1

/* Whether the page at p is resident (mincore). */
static int resident(void *p)
{
	unsigned char vec;

	long r = RAW(SYS_mincore, p, PAGE, &vec);
	CHECK(r == 0, "mincore: %s", res(r));
	return vec & 1;
}

/* Which pages of [p, p + 4 pages) are resident, as "1010". */
static const char *resident4(void *p)
{
	static char out[5];
	unsigned char vec[4];

	long r = RAW(SYS_mincore, p, 4 * PAGE, vec);
	CHECK(r == 0, "mincore: %s", res(r));
	for (int i = 0; i < 4; i++)
		out[i] = '0' + (vec[i] & 1);
	return out;
}

/*
 * mmap's flags: MAP_SHARED_VALIDATE means nothing without a file (EINVAL),
 * and with one refuses a flag it does not know (EOPNOTSUPP); no huge pages
 * are set aside (MAP_HUGETLB: ENOMEM); MAP_32BIT memory lies in the low
 * 2 GiB; /dev/zero maps as zeroed memory, shared across fork when shared.
 */
static void t_mmap_flags(void)
{
	char path[64];
	int fd = scratch_file(path, sizeof path, 1), ro = open(path, O_RDONLY);
	int zero = open("/dev/zero", O_RDWR);
	long r;

	CHECK(ro >= 0 && zero >= 0, "open: %s", strerror(errno));
	r = MMAP(0, PAGE, PROT_READ, MAP_SHARED_VALIDATE | MAP_ANONYMOUS);
	CHECK(r == -EINVAL, "mmap(anonymous, MAP_SHARED_VALIDATE): %s, expected -EINVAL", res(r));
	r = RAW(SYS_mmap, 0, PAGE, PROT_READ, MAP_SHARED_VALIDATE | MAP_SYNC, ro, 0);
	CHECK(r == -EOPNOTSUPP, "mmap(a file, MAP_SHARED_VALIDATE | MAP_SYNC): %s, expected -EOPNOTSUPP", res(r));
	r = MMAP(0, 2UL << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB);
	CHECK(r == -ENOMEM, "mmap(MAP_HUGETLB, no huge pages): %s, expected -ENOMEM", res(r));
	r = RAW(SYS_mmap, 0, PAGE, PROT_READ, MAP_PRIVATE | MAP_HUGETLB, ro, 0);
	CHECK(r == -EINVAL, "mmap(MAP_HUGETLB of a ramfs file): %s, expected -EINVAL", res(r));
	r = MMAP(0, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT);
	CHECK(r > 0 && r < (1L << 31), "mmap(MAP_32BIT): %s, expected an address below 2 GiB", res(r));
	munmap((void *)r, PAGE);
	char *z = (char *)RAW(SYS_mmap, 0, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, zero, 0);
	CHECK((long)z > 0 && all_bytes(z, PAGE, 0), "mmap(/dev/zero, MAP_PRIVATE): %s", res((long)z));
	munmap(z, PAGE);
	z = (char *)RAW(SYS_mmap, 0, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, zero, 0);
	CHECK((long)z > 0 && all_bytes(z, PAGE, 0), "mmap(/dev/zero, MAP_SHARED): %s", res((long)z));
	pid_t pid = fork();
	if (pid == 0) {
		z[0] = 'c';
		_exit(0);
	}
	expect_exit(reap(pid), 0, "the child writing to shared /dev/zero memory");
	CHECK(z[0] == 'c', "a child's write to MAP_SHARED /dev/zero memory is not seen by its parent");
	munmap(z, PAGE);
	close(zero);
	close(ro);
	close(fd);
	unlink(path);
}

/*
 * What cannot be mapped, in Linux's order of checks: the write end of a
 * pipe is not open for reading (EACCES, before ENODEV for having no mmap),
 * a directory has none (ENODEV); MAP_SHARED with PROT_WRITE needs an fd open
 * for writing (EACCES). A read-only fd maps shared for reading, and mprotect
 * may not make that mapping writable (EACCES) nor a PROT_GROWSDOWN change
 * reach beyond a stack (EINVAL); PROT_SEM is accepted and means nothing.
 */
static void t_mmap_fd_kinds(void)
{
	char path[64];
	int fd = scratch_file(path, sizeof path, 1), ro = open(path, O_RDONLY);
	int dir = open("/", O_RDONLY | O_DIRECTORY), pfd[2];
	long r;

	CHECK(ro >= 0 && dir >= 0 && pipe(pfd) == 0, "open/pipe: %s", strerror(errno));
	r = RAW(SYS_mmap, 0, PAGE, PROT_READ, MAP_PRIVATE, pfd[1], 0);
	CHECK(r == -EACCES, "mmap(the write end of a pipe): %s, expected -EACCES", res(r));
	r = RAW(SYS_mmap, 0, PAGE, PROT_READ, MAP_PRIVATE, pfd[0], 0);
	CHECK(r == -ENODEV, "mmap(the read end of a pipe): %s, expected -ENODEV", res(r));
	r = RAW(SYS_mmap, 0, PAGE, PROT_READ, MAP_PRIVATE, dir, 0);
	CHECK(r == -ENODEV, "mmap(a directory): %s, expected -ENODEV", res(r));
	r = RAW(SYS_mmap, 0, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0);
	CHECK(r == -EACCES, "mmap(MAP_SHARED, PROT_WRITE, an O_RDONLY fd): %s, expected -EACCES", res(r));
	char *p = (char *)RAW(SYS_mmap, 0, PAGE, PROT_READ, MAP_SHARED, ro, 0);
	CHECK((long)p > 0, "mmap(MAP_SHARED, PROT_READ, an O_RDONLY fd): %s", res((long)p));
	CHECK(p[0] == 1 && p[PAGE - 1] == 1, "the shared read-only mapping reads %d, expected 1", p[0]);
	r = RAW(SYS_mprotect, p, PAGE, PROT_READ | PROT_WRITE);
	CHECK(r == -EACCES, "mprotect(PROT_WRITE) of a shared mapping of an O_RDONLY fd: %s, expected -EACCES",
	      res(r));
	r = RAW(SYS_mprotect, p, PAGE, PROT_READ | PROT_GROWSDOWN);
	CHECK(r == -EINVAL, "mprotect(PROT_GROWSDOWN) of a file mapping: %s, expected -EINVAL", res(r));
	r = RAW(SYS_mprotect, p, PAGE, PROT_READ | 0x8);
	CHECK(r == 0, "mprotect(PROT_READ | PROT_SEM): %s", res(r));
	r = RAW(SYS_mprotect, p, 0, 0x10);
	CHECK(r == 0, "mprotect(length 0, an unknown bit): %s, expected 0 (nothing to check)", res(r));
	munmap(p, PAGE);
	close2(pfd);
	close(dir);
	close(ro);
	close(fd);
	unlink(path);
}

/*
 * madvise advice beyond the hints: MADV_DONTFORK leaves a range out of a
 * fork's child, MADV_WIPEONFORK gives the child zeroes there (private
 * anonymous memory only: EINVAL elsewhere), MADV_POPULATE_* fault a range
 * in (EINVAL where the access is not allowed, ENOMEM at a hole), MADV_FREE
 * takes only private anonymous memory, and the other advice Linux knows is
 * accepted.
 */
static void t_madvise_advice(void)
{
	static const int ok[] = { MADV_DONTFORK, MADV_DOFORK, MADV_MERGEABLE, MADV_UNMERGEABLE, MADV_HUGEPAGE,
				  MADV_NOHUGEPAGE, MADV_DONTDUMP, MADV_DODUMP, MADV_COLD, MADV_PAGEOUT };
	char *p = map(4 * PAGE, PROT_READ | PROT_WRITE);
	char *sh = (char *)MMAP(0, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS);
	long r;

	for (unsigned i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		r = RAW(SYS_madvise, p, 4 * PAGE, ok[i]);
		CHECK(r == 0, "madvise(advice %d): %s", ok[i], res(r));
	}
	memset(p, 'p', 4 * PAGE);
	r = RAW(SYS_madvise, p, PAGE, MADV_WIPEONFORK);
	CHECK(r == 0, "madvise(MADV_WIPEONFORK): %s", res(r));
	r = RAW(SYS_madvise, p + 2 * PAGE, PAGE, MADV_DONTFORK);
	CHECK(r == 0, "madvise(MADV_DONTFORK): %s", res(r));
	r = RAW(SYS_madvise, sh, PAGE, MADV_WIPEONFORK);
	CHECK(r == -EINVAL, "madvise(MADV_WIPEONFORK, shared memory): %s, expected -EINVAL", res(r));
	r = RAW(SYS_madvise, sh, PAGE, MADV_FREE);
	CHECK(r == -EINVAL, "madvise(MADV_FREE, shared memory): %s, expected -EINVAL", res(r));
	sh[0] = 's';
	r = RAW(SYS_madvise, sh, PAGE, MADV_REMOVE);
	CHECK(r == 0 && sh[0] == 0, "madvise(MADV_REMOVE, shared memory): %s, then it reads %d, expected 0 and 0",
	      res(r), sh[0]);
	r = RAW(SYS_madvise, p, PAGE, MADV_REMOVE);
	CHECK(r == -EINVAL, "madvise(MADV_REMOVE, private memory): %s, expected -EINVAL", res(r));
	pid_t pid = fork();
	if (pid == 0)
		_exit((p[0] == 0 && p[PAGE - 1] == 0) | (p[PAGE] == 'p') << 1 | !readable(p + 2 * PAGE) << 2);
	int st = reap(pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 7, "in the child: wiped page zero %d, next page kept %d, "
	      "MADV_DONTFORK page gone %d (%s)", WEXITSTATUS(st) & 1, WEXITSTATUS(st) >> 1 & 1,
	      WEXITSTATUS(st) >> 2 & 1, describe(st));
	CHECK(all_bytes(p, 4 * PAGE, 'p'), "the parent's memory changed with the advice");
	r = RAW(SYS_madvise, p + 3 * PAGE, PAGE, MADV_FREE);
	CHECK(r == 0, "madvise(MADV_FREE): %s", res(r));
	p[3 * PAGE] = 'q';
	CHECK(p[3 * PAGE] == 'q', "a write after MADV_FREE was lost");
	CHECK(mprotect(p + PAGE, PAGE, PROT_NONE) == 0, "mprotect: %s", strerror(errno));
	r = RAW(SYS_madvise, p + PAGE, PAGE, MADV_POPULATE_READ_);
	CHECK(r == -EINVAL, "madvise(MADV_POPULATE_READ, PROT_NONE): %s, expected -EINVAL", res(r));
	CHECK(mprotect(p + PAGE, PAGE, PROT_READ) == 0, "mprotect: %s", strerror(errno));
	r = RAW(SYS_madvise, p + PAGE, PAGE, MADV_POPULATE_WRITE_);
	CHECK(r == -EINVAL, "madvise(MADV_POPULATE_WRITE, read-only): %s, expected -EINVAL", res(r));
	CHECK(munmap(p, 4 * PAGE) == 0 && munmap(sh, PAGE) == 0, "munmap: %s", strerror(errno));
	p = map(4 * PAGE, PROT_READ | PROT_WRITE);
	r = RAW(SYS_madvise, p, 4 * PAGE, MADV_POPULATE_WRITE_);
	CHECK(r == 0, "madvise(MADV_POPULATE_WRITE): %s", res(r));
	CHECK(!strcmp(resident4(p), "1111"), "after MADV_POPULATE_WRITE mincore says %s, expected 1111", resident4(p));
	CHECK(mlock(p, PAGE) == 0, "mlock: %s", strerror(errno));
	r = RAW(SYS_madvise, p, 2 * PAGE, MADV_DONTNEED_LOCKED_);
	CHECK(r == 0, "madvise(MADV_DONTNEED_LOCKED, locked): %s", res(r));
	CHECK(!strcmp(resident4(p), "0011"), "after MADV_DONTNEED_LOCKED mincore says %s, expected 0011",
	      resident4(p));
	CHECK(munmap(p + 2 * PAGE, 2 * PAGE) == 0, "munmap: %s", strerror(errno));
	r = RAW(SYS_madvise, p, 4 * PAGE, MADV_POPULATE_READ_);
	CHECK(r == -ENOMEM, "madvise(MADV_POPULATE_READ, a hole): %s, expected -ENOMEM", res(r));
	CHECK(munmap(p, 2 * PAGE) == 0, "munmap: %s", strerror(errno));
}

/* mincore: one byte per page, 1 once touched; EINVAL unaligned, ENOMEM unmapped, EFAULT for a bad vector. */
static void t_mincore(void)
{
	char *p = map(4 * PAGE, PROT_READ | PROT_WRITE);
	unsigned char vec[4];
	long r;

	p[0] = p[2 * PAGE] = 1;
	CHECK(!strcmp(resident4(p), "1010"), "mincore after touching pages 0 and 2: %s, expected 1010", resident4(p));
	r = RAW(SYS_madvise, p, PAGE, MADV_DONTNEED);
	CHECK(r == 0 && !strcmp(resident4(p), "0010"), "mincore after MADV_DONTNEED of page 0: %s, expected 0010",
	      resident4(p));
	r = RAW(SYS_mincore, p + 1, PAGE, vec);
	CHECK(r == -EINVAL, "mincore(unaligned): %s, expected -EINVAL", res(r));
	r = RAW(SYS_mincore, p, PAGE, (void *)8);
	CHECK(r == -EFAULT, "mincore(a bad vector): %s, expected -EFAULT", res(r));
	r = RAW(SYS_mincore, p, 0, vec);
	CHECK(r == 0, "mincore(length 0): %s", res(r));
	CHECK(munmap(p + 3 * PAGE, PAGE) == 0, "munmap: %s", strerror(errno));
	r = RAW(SYS_mincore, p, 4 * PAGE, vec);
	CHECK(r == -ENOMEM, "mincore(a hole at the end): %s, expected -ENOMEM", res(r));
	r = RAW(SYS_mincore, p + 3 * PAGE, PAGE, vec);
	CHECK(r == -ENOMEM, "mincore(unmapped): %s, expected -ENOMEM", res(r));
	CHECK(munmap(p, 3 * PAGE) == 0, "munmap: %s", strerror(errno));
}

/* msync: MS_SYNC and MS_ASYNC exclude each other, other bits are EINVAL, holes ENOMEM, locked + MS_INVALIDATE EBUSY. */
static void t_msync(void)
{
	char *p = map(2 * PAGE, PROT_READ | PROT_WRITE);
	long r;

	r = RAW(SYS_msync, p, PAGE, MS_SYNC);
	CHECK(r == 0, "msync(MS_SYNC): %s", res(r));
	r = RAW(SYS_msync, p, PAGE, MS_ASYNC | MS_INVALIDATE);
	CHECK(r == 0, "msync(MS_ASYNC | MS_INVALIDATE): %s", res(r));
	r = RAW(SYS_msync, p, PAGE, MS_SYNC | MS_ASYNC);
	CHECK(r == -EINVAL, "msync(MS_SYNC | MS_ASYNC): %s, expected -EINVAL", res(r));
	r = RAW(SYS_msync, p, PAGE, 8);
	CHECK(r == -EINVAL, "msync(flag 8): %s, expected -EINVAL", res(r));
	r = RAW(SYS_msync, p + 1, PAGE, MS_SYNC);
	CHECK(r == -EINVAL, "msync(unaligned): %s, expected -EINVAL", res(r));
	r = RAW(SYS_msync, p, 0, MS_SYNC);
	CHECK(r == 0, "msync(length 0): %s", res(r));
	CHECK(mlock(p, PAGE) == 0, "mlock: %s", strerror(errno));
	r = RAW(SYS_msync, p, PAGE, MS_INVALIDATE);
	CHECK(r == -EBUSY, "msync(MS_INVALIDATE, locked): %s, expected -EBUSY", res(r));
	CHECK(munmap(p + PAGE, PAGE) == 0, "munmap: %s", strerror(errno));
	r = RAW(SYS_msync, p, 2 * PAGE, MS_SYNC);
	CHECK(r == -ENOMEM, "msync(a hole at the end): %s, expected -ENOMEM", res(r));
	CHECK(munmap(p, PAGE) == 0, "munmap: %s", strerror(errno));
}

/*
 * mremap: shrink, grow in place, move with MREMAP_MAYMOVE (the data goes
 * along, the old range is gone), MREMAP_FIXED, MREMAP_DONTUNMAP (the old
 * range stays, empty), and Linux's errors.
 */
static void t_mremap(void)
{
	char *p = map(4 * PAGE, PROT_READ | PROT_WRITE), *q;
	long r;

	for (int i = 0; i < 4; i++)
		p[i * PAGE] = 'a' + i;
	r = RAW(SYS_mremap, p, 4 * PAGE, 2 * PAGE, 0);
	CHECK(r == (long)p && !readable(p + 2 * PAGE), "mremap(shrink): %s, expected %p, the tail gone", res(r), p);
	r = RAW(SYS_mremap, p, 2 * PAGE, 3 * PAGE, 0);
	CHECK(r == (long)p && p[2 * PAGE] == 0 && p[PAGE] == 'b', "mremap(grow in place): %s, expected %p", res(r), p);
	r = RAW(SYS_mmap, p + 3 * PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECK(r == (long)(p + 3 * PAGE), "mmap(MAP_FIXED after the range): %s", res(r));
	r = RAW(SYS_mremap, p, 3 * PAGE, 6 * PAGE, 0);
	CHECK(r == -ENOMEM, "mremap(grow, blocked, no MREMAP_MAYMOVE): %s, expected -ENOMEM", res(r));
	q = (char *)RAW(SYS_mremap, p, 3 * PAGE, 6 * PAGE, MREMAP_MAYMOVE);
	CHECK((long)q > 0 && q != p, "mremap(MREMAP_MAYMOVE): %s, expected a new address", res((long)q));
	CHECK(q[0] == 'a' && q[PAGE] == 'b' && all_bytes(q + 2 * PAGE, 4 * PAGE, 0), "the moved memory lost its data");
	CHECK(!readable(p), "the old range is still mapped after the move");
	r = RAW(SYS_mremap, q, 2 * PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, q + PAGE);
	CHECK(r == -EINVAL, "mremap(MREMAP_FIXED, overlapping): %s, expected -EINVAL", res(r));
	r = RAW(SYS_mremap, q, PAGE, PAGE, MREMAP_FIXED, p);
	CHECK(r == -EINVAL, "mremap(MREMAP_FIXED without MREMAP_MAYMOVE): %s, expected -EINVAL", res(r));
	r = RAW(SYS_mremap, q, PAGE, PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, p);
	CHECK(r == (long)p && p[0] == 'a', "mremap(MREMAP_FIXED): %s, expected %p", res(r), p);
	r = RAW(SYS_mremap, p, PAGE, PAGE, MREMAP_MAYMOVE | MREMAP_DONTUNMAP_, 0);
	CHECK(r > 0 && ((char *)r)[0] == 'a' && p[0] == 0, "mremap(MREMAP_DONTUNMAP): %s, the new range must "
	      "hold the data and the old one be empty", res(r));
	if (r > 0)
		munmap((void *)r, PAGE);
	r = RAW(SYS_mremap, p, PAGE, PAGE, 8);
	CHECK(r == -EINVAL, "mremap(flag 8): %s, expected -EINVAL", res(r));
	r = RAW(SYS_mremap, p + 1, PAGE, PAGE, 0);
	CHECK(r == -EINVAL, "mremap(unaligned): %s, expected -EINVAL", res(r));
	r = RAW(SYS_mremap, p, PAGE, 0, 0);
	CHECK(r == -EINVAL, "mremap(new length 0): %s, expected -EINVAL", res(r));
	r = RAW(SYS_mremap, p, 0, PAGE, MREMAP_MAYMOVE);
	CHECK(r == -EINVAL, "mremap(old length 0, private): %s, expected -EINVAL", res(r));
	r = RAW(SYS_mremap, q + PAGE, 2 * PAGE, 8 * PAGE, MREMAP_MAYMOVE);
	CHECK(r > 0, "mremap(part of a VMA): %s", res(r));
	if (r > 0)
		munmap((void *)r, 8 * PAGE);
	r = RAW(SYS_mremap, q + PAGE, 2 * PAGE, PAGE, 0);
	CHECK(r == -EFAULT, "mremap(shrink an unmapped range): %s, expected -EFAULT", res(r));
	CHECK(munmap(q, 6 * PAGE) == 0 && munmap(p, 4 * PAGE) == 0, "munmap: %s", strerror(errno));
}

static char *shared_map;	/* t_mmap_shared_file's mapping, for its children */

static void touch_shared(long off)
{
	read_at((long)shared_map + off);
	_exit(0);
}

/*
 * MAP_SHARED of a file: stores through the mapping are the file's data
 * (read() sees them, and a second mapping, and the parent those of a
 * child), write() shows in the mapping, a private mapping of the file
 * copies on write; a page past the end of the file is SIGBUS, also after a
 * truncate, and a file grown again reads zeroes there. MADV_REMOVE punches
 * a hole (/tmp is a memory file system, on Linux too).
 */
static void t_mmap_shared_file(void)
{
	char path[64], c[2];
	int fd = scratch_file(path, sizeof path, 2);
	char *m = (char *)RAW(SYS_mmap, 0, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

	CHECK((long)m > 0, "mmap(MAP_SHARED, PROT_WRITE) of a file open O_RDWR: %s", res((long)m));
	shared_map = m;
	m[0] = 'M';
	m[PAGE + 5] = 'N';
	CHECK(pread(fd, c, 1, 0) == 1 && pread(fd, c + 1, 1, PAGE + 5) == 1 && c[0] == 'M' && c[1] == 'N',
	      "read() after stores through a shared mapping: %c%c, expected MN", c[0], c[1]);
	CHECK(pwrite(fd, "W", 1, 10) == 1 && m[10] == 'W', "a write() is not seen in the shared mapping");
	char *m2 = (char *)RAW(SYS_mmap, 0, PAGE, PROT_READ, MAP_SHARED, fd, PAGE);
	CHECK((long)m2 > 0 && m2[5] == 'N', "a second shared mapping does not see the first one's store");
	char *pv = (char *)RAW(SYS_mmap, 0, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK((long)pv > 0 && pv[0] == 'M', "a private mapping does not read the file as stored");
	pv[1] = 'P';
	CHECK(pread(fd, c, 1, 1) == 1 && c[0] == 1, "a store to a private mapping reached the file");
	pid_t pid = fork();
	if (pid == 0) {
		m[3] = 'C';
		_exit(0);
	}
	expect_exit(reap(pid), 0, "the child storing through the shared mapping");
	CHECK(m[3] == 'C', "a child's store through a shared file mapping is not seen by its parent");
	CHECK(msync(m, 2 * PAGE, MS_SYNC) == 0, "msync: %s", strerror(errno));
	expect_signal(run(touch_shared, 2 * PAGE), SIGBUS, "a read past the end of the file");
	CHECK(ftruncate(fd, PAGE) == 0, "ftruncate: %s", strerror(errno));
	expect_signal(run(touch_shared, PAGE), SIGBUS, "a read of a page the truncate cut off");
	CHECK(m[0] == 'M', "the page the truncate kept lost its data");
	CHECK(ftruncate(fd, 3 * PAGE) == 0, "ftruncate: %s", strerror(errno));
	CHECK(all_bytes(m + PAGE, 2 * PAGE, 0), "the file grown again does not read zeroes in the mapping");
	m[2 * PAGE] = 'X';
	CHECK(pread(fd, c, 1, 2 * PAGE) == 1 && c[0] == 'X', "a store to the grown part did not reach the file");
	long r = RAW(SYS_madvise, m, PAGE, MADV_REMOVE);	/* a hole punched in the memory file */
	CHECK(r == 0 && all_bytes(m, PAGE, 0) && pread(fd, c, 1, 0) == 1 && c[0] == 0,
	      "madvise(MADV_REMOVE) of a shared file mapping: %s; the file must read zeroes there", res(r));
	CHECK(munmap(m, 3 * PAGE) == 0 && munmap(m2, PAGE) == 0 && munmap(pv, PAGE) == 0, "munmap: %s",
	      strerror(errno));
	close(fd);
	unlink(path);
}

/* mprotect over a hole changes what comes before the hole and fails with ENOMEM, as Linux. */
static void t_mprotect_partial(void)
{
	char *p = map(3 * PAGE, PROT_READ | PROT_WRITE);

	CHECK(munmap(p + PAGE, PAGE) == 0, "munmap: %s", strerror(errno));
	long r = RAW(SYS_mprotect, p, 3 * PAGE, PROT_READ);
	CHECK(r == -ENOMEM, "mprotect(a page, a hole, a page): %s, expected -ENOMEM", res(r));
	CHECK(readable(p) && !writable(p), "the page before the hole is not read-only after the failed mprotect");
	CHECK(writable(p + 2 * PAGE), "the page after the hole changed");
	CHECK(munmap(p, 3 * PAGE) == 0, "munmap: %s", strerror(errno));
}

/* mprotect splits a VMA, and giving the middle back its old protection makes one VMA again (Linux's vma_merge()). */
static void t_mprotect_merge(void)
{
	char *p = map(3 * PAGE, PROT_READ | PROT_WRITE);
	int before = vma_count();

	CHECK(mprotect(p + PAGE, PAGE, PROT_READ) == 0, "mprotect: %s", strerror(errno));
	CHECK(vma_count() == before + 2, "mprotect of the middle page made %+d VMAs, expected +2", vma_count() - before);
	CHECK(mprotect(p + PAGE, PAGE, PROT_READ | PROT_WRITE) == 0, "mprotect: %s", strerror(errno));
	CHECK(vma_count() == before, "the middle page given its protection back left %+d VMAs, expected +0",
	      vma_count() - before);
	CHECK(munmap(p, 3 * PAGE) == 0, "munmap: %s", strerror(errno));
}

/* A child's mlockall(MCL_FUTURE) populates later mappings; munlockall() ends it. */
static void mlockall_child(long unused)
{
	(void)unused;
	if (mlockall(MCL_FUTURE) != 0)
		_exit(1);
	char *p = (char *)MMAP(0, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
	if (strcmp(resident4(p), "1111"))
		_exit(2);
	if (munlockall() != 0)
		_exit(3);
	p = (char *)MMAP(0, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
	_exit(strcmp(resident4(p), "0000") ? 4 : 0);
}

/* mlock's errors as Linux's: a hole is ENOMEM for munlock too; mlock2 and mlockall check their flags. */
static void t_mlock_flags(void)
{
	char *p = map(4 * PAGE, PROT_READ | PROT_WRITE);
	struct rlimit rl;
	long r;

	CHECK(munmap(p + 2 * PAGE, PAGE) == 0, "munmap: %s", strerror(errno));
	r = RAW(SYS_munlock, p, 4 * PAGE);
	CHECK(r == -ENOMEM, "munlock(a hole in the middle): %s, expected -ENOMEM", res(r));
	r = RAW(SYS_mlock, p + 2 * PAGE, PAGE);
	CHECK(r == -ENOMEM, "mlock(unmapped): %s, expected -ENOMEM", res(r));
	r = RAW(SYS_mlock2, p, PAGE, 2);
	CHECK(r == -EINVAL, "mlock2(flag 2): %s, expected -EINVAL", res(r));
	r = RAW(SYS_mlock2, p + 3 * PAGE, PAGE, MLOCK_ONFAULT_);
	CHECK(r == 0 && !resident(p + 3 * PAGE), "mlock2(MLOCK_ONFAULT): %s; must not fault the page in", res(r));
	r = RAW(SYS_mlock2, p, PAGE, 0);
	CHECK(r == 0 && resident(p), "mlock2(0): %s; must fault the page in", res(r));
	r = RAW(SYS_mlockall, 0);
	CHECK(r == -EINVAL, "mlockall(0): %s, expected -EINVAL", res(r));
	r = RAW(SYS_mlockall, MCL_ONFAULT);
	CHECK(r == -EINVAL, "mlockall(MCL_ONFAULT alone): %s, expected -EINVAL", res(r));
	CHECK(getrlimit(RLIMIT_MEMLOCK, &rl) == 0 && rl.rlim_cur == 8 << 20 && rl.rlim_max == 8 << 20,
	      "RLIMIT_MEMLOCK is %lu/%lu, expected Linux's 8 MiB", (unsigned long)rl.rlim_cur, (unsigned long)rl.rlim_max);
	expect_exit(run(mlockall_child, 0), 0, "mlockall(MCL_FUTURE), then munlockall()");
	CHECK(munmap(p, 4 * PAGE) == 0, "munmap: %s", strerror(errno));
}

/* In a child: RLIMIT_AS refuses mmap, brk and mremap growth past it; MAP_FIXED over a mapping only adds the difference. */
static void rlimit_as_child(long unused)
{
	(void)unused;
	char *p = (char *)MMAP(0, 64 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
	char buf[4096];
	if (read_file("/proc/self/status", buf, sizeof buf) < 0)
		_exit(10);
	unsigned long vm = strtoul(strstr(buf, "VmSize:") + 7, NULL, 10) << 10;
	struct rlimit rl = { vm + 4 * PAGE, RLIM_INFINITY };
	if (setrlimit(RLIMIT_AS, &rl))
		_exit(11);
	if (MMAP(0, 8 * PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS) != -ENOMEM)
		_exit(1);
	if (MMAP(0, 8 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE) != -ENOMEM)
		_exit(2);
	if (RAW(SYS_mmap, p, 32 * PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != (long)p)
		_exit(3);
	if (RAW(SYS_mremap, p + 32 * PAGE, 32 * PAGE, 96 * PAGE, MREMAP_MAYMOVE) != -ENOMEM)
		_exit(4);
	char *brk0 = (char *)RAW(SYS_brk, 0);
	if ((char *)RAW(SYS_brk, brk0 + 64 * PAGE) != brk0)
		_exit(5);
	if (MMAP(0, 2 * PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS) <= 0)
		_exit(6);
	_exit(0);
}

/* In a child: RLIMIT_DATA refuses private writable memory past it, not read-only or shared memory. */
static void rlimit_data_child(long unused)
{
	(void)unused;
	struct rlimit rl = { 1 << 20, RLIM_INFINITY };
	if (setrlimit(RLIMIT_DATA, &rl))
		_exit(11);
	if (MMAP(0, 4 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS) != -ENOMEM)
		_exit(1);
	if (MMAP(0, 4 << 20, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS) <= 0)
		_exit(2);
	if (MMAP(0, 1 << 20, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS) <= 0)
		_exit(3);
	char *brk0 = (char *)RAW(SYS_brk, 0);
	if ((char *)RAW(SYS_brk, brk0 + (4 << 20)) != brk0)
		_exit(4);
	_exit(0);
}

static void t_rlimit_as_data(void)
{
	expect_exit(run(rlimit_as_child, 0), 0, "the RLIMIT_AS child (its exit code is the check that failed)");
	expect_exit(run(rlimit_data_child, 0), 0, "the RLIMIT_DATA child (its exit code is the check that failed)");
}

/* ---- shared mappings of a tmpfs file ---- */

#define SHM_PAGES 256L
/*
 * pages: Linux 6.1's per-task rss cache (TASK_RSS_EVENTS_THRESH, 64) lags
 * each reading, the first one included, so a difference may be off by two.
 */
#define SHM_SLACK (2 * 64L)

/* A status line's number of kB ("RssShmem"...); -1 if absent. */
static long status_kb(const char *key)
{
	static char buf[4096];
	size_t len = strlen(key);

	CHECK(read_file("/proc/self/status", buf, sizeof buf) > 0, "read /proc/self/status: %s", strerror(errno));
	for (char *p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, key, len) && p[len] == ':')
			return strtol(p + len + 1, NULL, 10);
	return -1;
}

/* A tmpfs mounted on a new directory of /tmp, and a sparse file of SHM_PAGES pages in it: its fd. */
static int tmpfs_file(char *dir, size_t size, char *path, size_t psize)
{
	snprintf(dir, size, "/tmp/ut-shm-%d", (int)getpid());
	snprintf(path, psize, "%s/f", dir);
	CHECK(mkdir(dir, 0700) == 0, "mkdir %s: %s", dir, strerror(errno));
	CHECK(mount("none", dir, "tmpfs", 0, NULL) == 0, "mount tmpfs on %s: %s", dir, strerror(errno));
	int fd = open(path, O_RDWR | O_CREAT, 0600);
	CHECK(fd >= 0 && ftruncate(fd, SHM_PAGES * PAGE) == 0, "creating %s: %s", path, strerror(errno));
	return fd;
}

/* The pages a tmpfs instance holds, as its statfs() counts them. */
static long blocks_of(int fd)
{
	struct statfs sf;

	CHECK(fstatfs(fd, &sf) == 0, "fstatfs: %s", strerror(errno));
	return (long)(sf.f_blocks - sf.f_bfree);
}

/*
 * The pages of a shared mapping of a tmpfs file count as RssShmem (not
 * RssFile), as Linux counts shmem; MADV_DONTNEED takes them out of the
 * mapping (the file keeps them: the data stays); MADV_REMOVE punches a hole,
 * freeing the file's pages (statfs counts none), and allocates none for a hole.
 */
static void t_mmap_shared_tmpfs(void)
{
	char dir[64], path[80];
	int fd = tmpfs_file(dir, sizeof dir, path, sizeof path);
	char *m = (char *)RAW(SYS_mmap, 0, SHM_PAGES * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

	CHECK((long)m > 0, "mmap(MAP_SHARED) of a tmpfs file: %s", res((long)m));
	long r = RAW(SYS_madvise, m, SHM_PAGES * PAGE, MADV_REMOVE);
	CHECK(r == 0 && blocks_of(fd) == 0, "madvise(MADV_REMOVE) of a sparse file: %s, the tmpfs holds %ld pages, expected 0",
	      res(r), blocks_of(fd));
	long shmem0 = status_kb("RssShmem"), file0 = status_kb("RssFile");
	for (long i = 0; i < (long)SHM_PAGES; i++)
		m[i * PAGE] = 'a' + i % 26;
	long shmem = status_kb("RssShmem") - shmem0, file = status_kb("RssFile") - file0;
	CHECK(shmem >= (long)(SHM_PAGES - SHM_SLACK) * 4 && shmem <= (SHM_PAGES + SHM_SLACK) * 4 && file < SHM_SLACK * 4,
	      "touching %ld pages of a tmpfs file mapping: RssShmem %+ld kB, RssFile %+ld kB", SHM_PAGES, shmem, file);
	CHECK(blocks_of(fd) == SHM_PAGES, "the tmpfs holds %ld pages, expected %ld", blocks_of(fd), SHM_PAGES);
	r = RAW(SYS_madvise, m, SHM_PAGES * PAGE, MADV_DONTNEED);
	shmem = status_kb("RssShmem") - shmem0;
	CHECK(r == 0 && shmem < SHM_SLACK * 4, "madvise(MADV_DONTNEED): %s, RssShmem still %+ld kB", res(r), shmem);
	CHECK(m[5 * PAGE] == 'f' && blocks_of(fd) == SHM_PAGES, "MADV_DONTNEED of a shared mapping lost the data");
	r = RAW(SYS_madvise, m, SHM_PAGES * PAGE, MADV_REMOVE);
	CHECK(r == 0 && blocks_of(fd) == 0, "madvise(MADV_REMOVE): %s, the tmpfs holds %ld pages, expected 0", res(r),
	      blocks_of(fd));
	char c = 1;
	CHECK(all_bytes(m, SHM_PAGES * PAGE, 0) && pread(fd, &c, 1, 7 * PAGE) == 1 && c == 0,
	      "the file does not read zeroes after MADV_REMOVE");
	CHECK(munmap(m, SHM_PAGES * PAGE) == 0, "munmap: %s", strerror(errno));
	close(fd);
	CHECK(umount(dir) == 0 && rmdir(dir) == 0, "umount %s: %s", dir, strerror(errno));
}

/*
 * mincore of a shared mapping of a sparse tmpfs file: a hole is not in
 * memory (Linux's page cache has no page there), a page written is.
 */
static void t_mincore_sparse(void)
{
	char dir[64], path[80];
	unsigned char vec[4];
	int fd = tmpfs_file(dir, sizeof dir, path, sizeof path);
	char *m = (char *)RAW(SYS_mmap, 0, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

	CHECK((long)m > 0, "mmap(MAP_SHARED) of a tmpfs file: %s", res((long)m));
	CHECK(pwrite(fd, "x", 1, 2 * PAGE) == 1, "pwrite: %s", strerror(errno));
	CHECK(mincore(m, 4 * PAGE, vec) == 0, "mincore: %s", strerror(errno));
	CHECK(!vec[0] && !vec[1] && vec[2] && !vec[3], "mincore of a hole, a hole, a page, a hole: %d%d%d%d, expected 0010",
	      vec[0], vec[1], vec[2], vec[3]);
	CHECK(munmap(m, 4 * PAGE) == 0, "munmap: %s", strerror(errno));
	close(fd);
	CHECK(umount(dir) == 0 && rmdir(dir) == 0, "umount %s: %s", dir, strerror(errno));
}

/*
 * MREMAP_DONTUNMAP of shared anonymous memory leaves the old range mapping
 * the same memory (Linux refaults it from its shmem object): a store
 * through the old range shows in the new one.
 */
static void t_mremap_dontunmap_shared(void)
{
	char *p = (char *)MMAP(0, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS);

	CHECK((long)p > 0, "mmap(MAP_SHARED | MAP_ANONYMOUS): %s", res((long)p));
	p[0] = 'A';
	p[PAGE] = 'B';
	char *q = (char *)RAW(SYS_mremap, p, 2 * PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0);
	CHECK((long)q > 0 && q[0] == 'A' && q[PAGE] == 'B', "mremap(MREMAP_DONTUNMAP): %s", res((long)q));
	CHECK(p[0] == 'A' && p[PAGE] == 'B', "the old range of shared memory lost its data: %d %d", p[0], p[PAGE]);
	p[1] = 'C';
	CHECK(q[1] == 'C', "a store through the old range is not seen through the new one");
	CHECK(munmap(p, 2 * PAGE) == 0 && munmap(q, 2 * PAGE) == 0, "munmap: %s", strerror(errno));
}

/*
 * mremap with old_len 0 of a shared file mapping makes a second mapping
 * of the same part of the file (Linux's duplicate): stores through either
 * are seen through the other, and the first stays as it was.
 */
static void t_mremap_dup_shared(void)
{
	char path[64];
	int fd = scratch_file(path, sizeof path, 2);
	char *m = (char *)RAW(SYS_mmap, 0, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

	CHECK((long)m > 0, "mmap(MAP_SHARED) of a file: %s", res((long)m));
	int before = vma_count();
	char *q = (char *)RAW(SYS_mremap, m + PAGE, 0, PAGE, MREMAP_MAYMOVE, 0);
	CHECK((long)q > 0 && q != m + PAGE && q[0] == 2, "mremap(old_len 0) of a shared file mapping: %s", res((long)q));
	CHECK(vma_count() == before + 1, "the duplicate made %+d VMAs, expected +1", vma_count() - before);
	q[1] = 'Q';
	m[PAGE + 2] = 'M';
	CHECK(m[PAGE + 1] == 'Q' && q[2] == 'M' && m[0] == 1, "the duplicate does not map the same pages");
	long r = RAW(SYS_mremap, map(PAGE, PROT_READ | PROT_WRITE), 0, PAGE, MREMAP_MAYMOVE, 0);
	CHECK(r == -EINVAL, "mremap(old_len 0) of private memory: %s, expected -EINVAL", res(r));
	CHECK(munmap(m, 2 * PAGE) == 0 && munmap(q, PAGE) == 0, "munmap: %s", strerror(errno));
	close(fd);
	unlink(path);
}

/* madvise(MADV_DOFORK) gives the middle page its old flags back: one VMA again, as Linux's vma_merge(). */
static void t_vma_merge_back(void)
{
	char *p = map(3 * PAGE, PROT_READ | PROT_WRITE);
	int before = vma_count();

	CHECK(madvise(p + PAGE, PAGE, MADV_DONTFORK) == 0, "madvise(MADV_DONTFORK): %s", strerror(errno));
	CHECK(vma_count() == before + 2, "MADV_DONTFORK of the middle page made %+d VMAs, expected +2",
	      vma_count() - before);
	CHECK(madvise(p + PAGE, PAGE, MADV_DOFORK) == 0, "madvise(MADV_DOFORK): %s", strerror(errno));
	CHECK(vma_count() == before, "MADV_DOFORK of the middle page left %+d VMAs, expected +0", vma_count() - before);
	CHECK(munmap(p, 3 * PAGE) == 0, "munmap: %s", strerror(errno));
}

/* The RLIMIT_AS child: MREMAP_DONTUNMAP adds a mapping, which the limit counts, writable or not. */
static void dontunmap_as_child(long unused)
{
	(void)unused;
	char *p = (char *)MMAP(0, 256 * PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS);
	if ((long)p <= 0)
		_exit(10);
	struct rlimit rl = { (rlim_t)(status_kb("VmSize") + 512) * 1024, RLIM_INFINITY };
	if (setrlimit(RLIMIT_AS, &rl))
		_exit(11);
	if (RAW(SYS_mremap, p, 256 * PAGE, 256 * PAGE, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0) != -ENOMEM)
		_exit(1);
	rl.rlim_cur = RLIM_INFINITY;
	if (setrlimit(RLIMIT_AS, &rl))
		_exit(12);
	_exit(RAW(SYS_mremap, p, 256 * PAGE, 256 * PAGE, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0) > 0 ? 0 : 2);
}

static void t_mremap_dontunmap_as(void)
{
	expect_exit(run(dontunmap_as_child, 0), 0, "the child (exit 1: MREMAP_DONTUNMAP of 1 MiB read-only memory "
		    "with 512 KiB left under RLIMIT_AS was not -ENOMEM)");
}

/* The offset field of p's line in /proc/self/maps; -1 if there is none. */
static long maps_offset(const void *p)
{
	static char buf[65536];
	char key[32];

	CHECK(read_file("/proc/self/maps", buf, sizeof buf) > 0, "reading /proc/self/maps failed");
	snprintf(key, sizeof key, "%lx-", (unsigned long)p);
	for (char *s = buf; s && *s; s = strchr(s, '\n'), s = s ? s + 1 : NULL)
		if (!strncmp(s, key, strlen(key))) {
			char *f = strchr(s, ' ');
			return f ? strtol(f + 6, NULL, 16) : -1;
		}
	return -1;
}

/* Anonymous memory ignores mmap's offset: a shared mapping's line shows 0 (Linux's shmem object starts there). */
static void t_mmap_anon_offset(void)
{
	char *p = (char *)RAW(SYS_mmap, 0, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 16 * PAGE);

	CHECK((long)p > 0, "mmap(MAP_SHARED | MAP_ANONYMOUS, offset 64 KiB): %s", res((long)p));
	CHECK(maps_offset(p) == 0, "its maps line has offset %lx, expected 0", maps_offset(p));
	CHECK(munmap(p, PAGE) == 0, "munmap: %s", strerror(errno));
}

/* MADV_REMOVE needs a file system that can punch holes: tmpfs can, ramfs cannot (EOPNOTSUPP), as on Linux. */
static void t_madvise_remove_ramfs(void)
{
	char dir[64], path[80];

	snprintf(dir, sizeof dir, "/tmp/ut-ramfs-%d", (int)getpid());
	snprintf(path, sizeof path, "%s/f", dir);
	CHECK(mkdir(dir, 0700) == 0, "mkdir %s: %s", dir, strerror(errno));
	CHECK(mount("none", dir, "ramfs", 0, NULL) == 0, "mount ramfs on %s: %s", dir, strerror(errno));
	int fd = open(path, O_RDWR | O_CREAT, 0600);
	CHECK(fd >= 0 && pwrite(fd, "r", 1, 0) == 1, "creating %s: %s", path, strerror(errno));
	char *m = (char *)RAW(SYS_mmap, 0, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK((long)m > 0, "mmap(MAP_SHARED) of a ramfs file: %s", res((long)m));
	long r = RAW(SYS_madvise, m, PAGE, MADV_REMOVE);
	CHECK(r == -EOPNOTSUPP && m[0] == 'r', "madvise(MADV_REMOVE) of a ramfs file: %s, expected -EOPNOTSUPP", res(r));
	CHECK(munmap(m, PAGE) == 0, "munmap: %s", strerror(errno));
	close(fd);
	CHECK(umount(dir) == 0 && rmdir(dir) == 0, "umount %s: %s", dir, strerror(errno));
}

/*
 * In a child, vm.overcommit_memory=2: making private memory past CommitLimit
 * writable is ENOMEM and changes nothing; PROT_NONE is not charged, and does
 * not count as charged when write access is asked next.
 */
static void mprotect_commit_child(long len)
{
	char *p = (char *)MMAP(0, len + 2 * PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS);
	if ((long)p <= 0)
		_exit(1);
	int before = vma_count();
	if (RAW(SYS_mprotect, p + PAGE, len, PROT_READ | PROT_WRITE) != -ENOMEM)
		_exit(2);
	if (vma_count() != before)
		_exit(3);	/* the failed call split the VMA */
	if (writable(p + PAGE))
		_exit(4);
	if (RAW(SYS_mprotect, p + PAGE, len, PROT_NONE) != 0)
		_exit(5);	/* no write access asked: nothing to charge */
	_exit(RAW(SYS_mprotect, p + PAGE, len, PROT_READ | PROT_WRITE) != -ENOMEM ? 6 : 0);
}

static void t_mprotect_commit(void)
{
	struct sysinfo si;

	CHECK(sysinfo(&si) == 0, "sysinfo: %s", strerror(errno));
	long ram = (long)si.totalram * si.mem_unit & ~(long)(PAGE - 1);
	CHECK(write_file("/proc/sys/vm/overcommit_memory", "2") == 0, "overcommit_memory=2: %s", strerror(errno));
	int st = run(mprotect_commit_child, ram);
	CHECK(write_file("/proc/sys/vm/overcommit_memory", "0") == 0, "restore overcommit_memory");
	expect_exit(st, 0, "mprotect(PROT_WRITE) of all memory, overcommit_memory=2 (its exit code is the check that "
		    "failed)");
}

/* The [stack] line of /proc/self/maps: its start and end. */
static void stack_vma(unsigned long *start, unsigned long *end)
{
	static char buf[65536];

	CHECK(read_file("/proc/self/maps", buf, sizeof buf) > 0, "reading /proc/self/maps failed");
	char *s = strstr(buf, "[stack]");
	CHECK(s, "no [stack] line in /proc/self/maps");
	while (s > buf && s[-1] != '\n')
		s--;
	CHECK(sscanf(s, "%lx-%lx", start, end) == 2, "a [stack] line without its range");
}

/* mprotect, mlock, madvise and msync of the top page of the stack, which ends the VMAs (on Linux only the vdso is above). */
static void t_stack_top(void)
{
	unsigned long start, end;

	stack_vma(&start, &end);
	long r = RAW(SYS_mprotect, end - PAGE, PAGE, PROT_READ | PROT_WRITE);
	CHECK(r == 0 && writable((void *)(end - PAGE)), "mprotect(the top page of the stack, read-write): %s", res(r));
	r = RAW(SYS_mlock, end - PAGE, PAGE);
	CHECK(r == 0, "mlock(the top page of the stack): %s", res(r));
	r = RAW(SYS_munlock, end - PAGE, PAGE);
	CHECK(r == 0, "munlock(the top page of the stack): %s", res(r));
	r = RAW(SYS_madvise, end - PAGE, PAGE, MADV_NORMAL);
	CHECK(r == 0, "madvise(the top page of the stack, MADV_NORMAL): %s", res(r));
	r = RAW(SYS_msync, end - PAGE, PAGE, MS_ASYNC);
	CHECK(r == 0, "msync(the top page of the stack): %s", res(r));
}

/*
 * In a child, deep in its stack: unmap the stack's top page; mprotect with
 * PROT_GROWSDOWN there finds no VMA (ENOMEM); mremap grows the stack in
 * place into it.
 */
static void stack_top_child(long end)
{
	volatile char deep[4 * 4096];	/* this frame and the calls below lie far under the top page */

	deep[0] = 0;
	if (RAW(SYS_munmap, end - PAGE, PAGE) != 0)
		_exit(1);
	if (RAW(SYS_mprotect, end - PAGE, PAGE, PROT_READ | PROT_GROWSDOWN) != -ENOMEM)
		_exit(3);
	if (RAW(SYS_mremap, end - 2 * PAGE, PAGE, 2 * PAGE, 0) != (long)(end - 2 * PAGE))
		_exit(2 + deep[0]);
	*(volatile char *)(end - PAGE) = 'x';
	_exit(0);
}

static void t_stack_top_unmapped(void)
{
	unsigned long start, end;

	stack_vma(&start, &end);
	expect_exit(run(stack_top_child, end), 0, "mprotect and mremap at the stack's unmapped top page (its exit code "
		    "is the check that failed)");
}

/* VmLck of /proc/self/status, in kB. */
static long vm_lck(void)
{
	static char buf[4096];

	if (read_file("/proc/self/status", buf, sizeof buf) < 0 || !strstr(buf, "VmLck:"))
		return -1;
	return atol(strstr(buf, "VmLck:") + 6);
}

/* In a child: mlockall(MCL_CURRENT) locks and faults in the mappings there are; munlockall() unlocks them. */
static void mlockall_current_child(long unused)
{
	(void)unused;
	char *p = (char *)MMAP(0, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
	if (mlockall(MCL_CURRENT) != 0)
		_exit(1);
	if (strcmp(resident4(p), "1111"))
		_exit(2);
	if (vm_lck() < 16)
		_exit(3);
	if (munlockall() != 0)
		_exit(4);
	_exit(vm_lck() != 0 ? 5 : 0);
}

static void t_mlockall_current(void)
{
	expect_exit(run(mlockall_current_child, 0), 0, "mlockall(MCL_CURRENT), then munlockall() (its exit code is the "
		    "check that failed)");
}

/* MADV_POPULATE_READ of a file mapping past the file's end: EFAULT (Linux's SIGBUS of a fault), not ENOMEM. */
static void t_madvise_populate_eof(void)
{
	char path[64];
	int fd = scratch_file(path, sizeof path, 1);
	char *m = (char *)RAW(SYS_mmap, 0, 2 * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);

	CHECK((long)m > 0, "mmap of a file: %s", res((long)m));
	long r = RAW(SYS_madvise, m, 2 * PAGE, MADV_POPULATE_READ_);
	CHECK(r == -EFAULT, "madvise(MADV_POPULATE_READ, a page past the file's end): %s, expected -EFAULT", res(r));
	r = RAW(SYS_madvise, m, PAGE, MADV_POPULATE_READ_);
	CHECK(r == 0 && m[0] == 1, "madvise(MADV_POPULATE_READ, the file's page): %s", res(r));
	CHECK(munmap(m, 2 * PAGE) == 0, "munmap: %s", strerror(errno));
	close(fd);
	unlink(path);
}

/* The VMAs of [p, p + len): how many lines of /proc/self/maps lie there. */
static int vmas_in(char *p, size_t len)
{
	static char buf[65536];
	int n = 0;

	CHECK(read_file("/proc/self/maps", buf, sizeof buf) > 0, "reading /proc/self/maps failed");
	for (char *s = buf; s && *s; s = strchr(s, '\n'), s = s ? s + 1 : NULL) {
		unsigned long start, end;
		if (sscanf(s, "%lx-%lx", &start, &end) == 2 && start >= (unsigned long)p && end <= (unsigned long)p + len)
			n++;
	}
	return n;
}

/* MREMAP_FIXED onto a mapping replaces that part of it: the range holds the moved data, in one VMA. */
static void t_mremap_fixed_over(void)
{
	char *src = map(2 * PAGE, PROT_READ | PROT_WRITE), *dst = map(4 * PAGE, PROT_READ);

	memset(src, 'a', 2 * PAGE);
	long r = RAW(SYS_mremap, src, 2 * PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, dst + PAGE);
	CHECK(r == (long)(dst + PAGE), "mremap(MREMAP_FIXED onto a mapping): %s, expected %p", res(r), dst + PAGE);
	CHECK(all_bytes(dst + PAGE, 2 * PAGE, 'a') && writable(dst + PAGE), "the range does not hold the moved memory");
	CHECK(vmas_in(dst + PAGE, 2 * PAGE) == 1, "the range holds %d VMAs, expected 1", vmas_in(dst + PAGE, 2 * PAGE));
	CHECK(vmas_in(dst, 4 * PAGE) == 3, "the mapping moved onto is %d VMAs, expected 3: its two ends and the range",
	      vmas_in(dst, 4 * PAGE));
	CHECK(readable(dst) && !writable(dst) && readable(dst + 3 * PAGE) && !writable(dst + 3 * PAGE),
	      "the ends of the mapping moved onto changed");
	CHECK(!readable(src), "the old range is still mapped");
	CHECK(munmap(dst, 4 * PAGE) == 0, "munmap: %s", strerror(errno));
}

/* Committed_AS of /proc/meminfo, in kB. */
static long committed_as(void)
{
	static char buf[8192];

	CHECK(read_file("/proc/meminfo", buf, sizeof buf) > 0 && strstr(buf, "Committed_AS:"), "reading /proc/meminfo");
	return atol(strstr(buf, "Committed_AS:") + 13);
}

/*
 * MREMAP_DONTUNMAP of private writable memory: the old range, left in place,
 * stays charged in Committed_AS, and the new one is charged too; munmap of
 * both gives it all back. Linux's counter is per CPU: a slack of 512 pages.
 */
static void t_mremap_dontunmap_commit(void)
{
	const long pages = 4096, slack = 512 * 4;
	long c0 = committed_as();
	char *p = map(pages * PAGE, PROT_READ | PROT_WRITE);
	long c1 = committed_as();
	char *q = (char *)RAW(SYS_mremap, p, pages * PAGE, pages * PAGE, MREMAP_MAYMOVE | MREMAP_DONTUNMAP_, 0);

	CHECK((long)q > 0, "mremap(MREMAP_DONTUNMAP): %s", res((long)q));
	long c2 = committed_as();
	CHECK(c2 - c1 >= pages * 4 - slack && c2 - c1 <= pages * 4 + slack,
	      "Committed_AS grew by %ld kB in mremap(MREMAP_DONTUNMAP) of %ld kB", c2 - c1, pages * 4);
	CHECK(munmap(p, pages * PAGE) == 0 && munmap(q, pages * PAGE) == 0, "munmap: %s", strerror(errno));
	long c3 = committed_as();
	CHECK(c3 - c0 >= -slack && c3 - c0 <= slack, "Committed_AS moved by %ld kB after munmap of both", c3 - c0);
}

/* mprotect changes every page of the range, not only its first. */
static void t_mprotect_every_page(void)
{
	char *p = map(4 * PAGE, PROT_READ | PROT_WRITE);

	memset(p, 'e', 4 * PAGE);
	CHECK(mprotect(p, 4 * PAGE, PROT_READ) == 0, "mprotect: %s", strerror(errno));
	for (int i = 0; i < 4; i++)
		CHECK(readable(p + i * PAGE) && !writable(p + i * PAGE), "page %d is not read-only after mprotect", i);
	CHECK(mprotect(p, 4 * PAGE, PROT_NONE) == 0, "mprotect: %s", strerror(errno));
	for (int i = 0; i < 4; i++)
		CHECK(!readable(p + i * PAGE), "page %d is readable after mprotect(PROT_NONE)", i);
	CHECK(mprotect(p, 4 * PAGE, PROT_READ | PROT_WRITE) == 0, "mprotect: %s", strerror(errno));
	CHECK(all_bytes(p, 4 * PAGE, 'e'), "the pages lost their data");
	CHECK(munmap(p, 4 * PAGE) == 0, "munmap: %s", strerror(errno));
}

/* A length that wraps around the end of the address space is ENOMEM, as Linux's. */
static void t_mprotect_wrap(void)
{
	char *p = map(PAGE, PROT_READ | PROT_WRITE);
	long r = RAW(SYS_mprotect, p, -(unsigned long)PAGE, PROT_READ);

	CHECK(r == -ENOMEM, "mprotect(a length that wraps): %s, expected -ENOMEM", res(r));
	r = RAW(SYS_mprotect, p, -1UL, PROT_READ);
	CHECK(r == -ENOMEM, "mprotect(length ~0): %s, expected -ENOMEM", res(r));
	CHECK(writable(p), "a failed mprotect changed the page");
	CHECK(munmap(p, PAGE) == 0, "munmap: %s", strerror(errno));
}

/*
 * mprotect merges only around its own range: an untouched mapping split in
 * three by MADV_DONTFORK and MADV_DOFORK stays three VMAs (Linux does not
 * merge those either) when another mapping below it changes protection.
 */
static void t_mprotect_others(void)
{
	char *hi = map(3 * PAGE, PROT_READ | PROT_WRITE), *lo = map(PAGE, PROT_READ);

	CHECK(lo < hi, "a second mapping was placed above the first");	/* top-down, as Linux */
	CHECK(madvise(hi + PAGE, PAGE, MADV_DONTFORK) == 0 && madvise(hi + PAGE, PAGE, MADV_DOFORK) == 0,
	      "madvise: %s", strerror(errno));
	int n = vmas_in(hi, 3 * PAGE);
	CHECK(mprotect(lo, PAGE, PROT_NONE) == 0, "mprotect: %s", strerror(errno));
	CHECK(vmas_in(hi, 3 * PAGE) == n, "mprotect of another mapping made %d VMAs of %d", vmas_in(hi, 3 * PAGE), n);
	CHECK(munmap(hi, 3 * PAGE) == 0 && munmap(lo, PAGE) == 0, "munmap: %s", strerror(errno));
}

/* A failed mremap(MREMAP_FIXED) (below vm.mmap_min_addr) leaves Committed_AS as it was. */
static void t_mremap_fixed_low(void)
{
	static char buf[8192];
	char *p = map(PAGE, PROT_READ | PROT_WRITE);

	CHECK(read_file("/proc/meminfo", buf, sizeof buf) > 0, "reading /proc/meminfo failed");
	long before = atol(strstr(buf, "Committed_AS:") + 13);
	long r = RAW(SYS_mremap, p, PAGE, PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, 0x1000);
	if (on_linux && r == 0x1000) {	/* root may map there on Linux (CAP_SYS_RAWIO); see t_mmap_low */
		munmap((void *)0x1000, PAGE);
		return;
	}
	CHECK(r == -EPERM, "mremap(MREMAP_FIXED to 0x1000): %s, expected -EPERM", res(r));
	CHECK(read_file("/proc/meminfo", buf, sizeof buf) > 0, "reading /proc/meminfo failed");
	long after = atol(strstr(buf, "Committed_AS:") + 13);
	CHECK(after == before, "Committed_AS went from %ld to %ld kB in a failed mremap()", before, after);
	CHECK(munmap(p, PAGE) == 0, "munmap: %s", strerror(errno));
}

const struct test memory_tests[] = {
	T(cow), T(cow_chain), T(segv_null), T(segv_kernel), T(segv_text), T(segv_nx),
	T(segv_siginfo), T(stack_growth), T(stack_overflow), T(mmap_args), T(mmap_anon),
	T(mmap_fixed), T(munmap_split), T(mprotect), T(mprotect_hole), T(mmap_low), T(shared_mprotect), T(madvise), T(overcommit),
	T(mlock_unaligned), T(mlock_sigkill), T(mmap_shared_huge), T(mmap_file_checks), T(truncate_sigbus),
	T(brk), T(mmap_flags), T(mmap_fd_kinds), T(madvise_advice), T(mincore), T(msync), T(mremap), T(mlock_flags),
	T(rlimit_as_data), T(mmap_shared_file), T(mprotect_partial), T(mprotect_merge),
	T(mmap_shared_tmpfs), T(mincore_sparse), T(mremap_dontunmap_shared), T(mremap_dup_shared), T(vma_merge_back), T(mremap_dontunmap_as), T(mmap_anon_offset), T(madvise_remove_ramfs),
	T(mprotect_commit), T(stack_top), T(stack_top_unmapped), T(mremap_fixed_low),
	T(mprotect_wrap), T(mprotect_others), T(mlockall_current), T(madvise_populate_eof), T(mremap_fixed_over),
	T(mremap_dontunmap_commit), T(mprotect_every_page), { NULL },
};
