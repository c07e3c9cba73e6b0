/*
 * What the usertests files share: the harness's globals, reporting from
 * inside a test, child processes, and probing memory.
 * One binary, /bin/usertests, is built from every file in user/usertests/
 * (see main.c for the runner and for how to add a test).
 *
 * A test is a function `static void t_NAME(void)` that runs in a forked
 * child: CHECK(cond, fmt, ...) fails it with a reason (and ends the child);
 * returning means it passed. Its topic file lists it in that file's table
 * with T(NAME).
 */
#ifndef FOLIO_USERTESTS_H
#define FOLIO_USERTESTS_H

#include "../ulib.h"
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#define PAGE 4096UL
#define KADDR 0xffffffff80000000UL	/* the kernel image on Folio and Linux */
#define NONCANON 0x8000000000000000UL	/* neither half of the address space */

extern const char *self;	/* our own path: the exec target */
extern int on_linux;		/* running on Linux, the reference (see main.c) */
extern int result_fd;		/* a test writes its failure reason here */
extern int verbose;		/* -v: notes and free-memory figures */

/* ---- one topic's tests ---- */

struct test {
	const char *name;
	void (*fn)(void);
};
#define T(name) { #name, t_##name }

/* Each ends with { NULL }; main.c runs them in this order. */
extern const struct test process_tests[], memory_tests[], efault_tests[], signal_tests[],
	thread_tests[], file_tests[], mount_tests[], proc_tests[], eventfd_tests[], cgroup_tests[],
	memcg_tests[], limit_tests[];
/* Tests run only when named, for a kernel booted with a delay point armed (tests/run.py). */
extern const struct test proc_named_tests[];

/* `usertests --child NAME ...`: the programs some tests exec (see main.c's child_main()). */
int child_bigargs(int argc, char **argv, char **envp);
int child_sigcheck(void);
int child_fdcheck(int keep, int drop);
int child_pidcheck(pid_t pid, const char *start, const char *then);
int child_oomadj(const char *want);
int child_cmdline(void);
int child_commcheck(void);

/* ---- reporting from inside a test ---- */

/* Fail the running test with this reason: written to result_fd, the child exits. */
__attribute__((noreturn, format(printf, 1, 2))) void fail(const char *fmt, ...);
#define CHECK(cond, ...) do { if (!(cond)) fail(__VA_ARGS__); } while (0)
/* With -v, an informational line inside a test's output. */
__attribute__((format(printf, 1, 2))) void note(const char *fmt, ...);

/* Raw system calls: RAW() (ulib.h). */
#define MMAP(addr, len, prot, flags) RAW(SYS_mmap, addr, len, prot, flags, -1, 0)

const char *res(long r);	/* "-14 (EFAULT)" style text for a raw result */
const char *describe(int st);	/* a wait status in words */

/* ---- children ---- */

pid_t spawn(void (*fn)(long), long arg);
int reap(pid_t pid);
int run(void (*fn)(long), long arg);	/* fn(arg) in a child: its wait status */
void expect_exit(int st, int code, const char *what);
void expect_signal(int st, int sig, const char *what);
void no_children_left(void);
char stat_state(pid_t pid);	/* the state letter of /proc/PID/stat (R, S, D, Z...), 0 if none */
/* Wait (up to 30 s) until pid's state is one of states; the state it has then. */
char wait_state(pid_t pid, const char *states);
void exit_now(long code);
void sleep_forever(void);
void sleep_forever_arg(long unused);	/* sleep_forever() for spawn() */
void die_by(long sig);

/* ---- memory ---- */

/* Whether the kernel can read (write) the byte at p: it says EFAULT instead of faulting. */
int readable(const void *p);
int writable(void *p);
char *map(size_t len, int prot);	/* anonymous private memory, or fail */
void read_at(long addr);		/* touch addr, which may fault */
void write_at(long addr);
int all_bytes(const char *p, size_t len, char c);	/* p[0..len) are all c */
void close2(int fds[2]);
long read_file(const char *path, char *buf, size_t size);	/* all of it, NUL-terminated: its length, or -errno */
int vma_count(void);	/* this process's VMAs, from /proc/self/maps ([vsyscall] is none) */
int write_file(const char *path, const char *str);	/* str in one write(): 0 or -errno */

/* ---- cgroups (cgroup.c): cgroup2 on CG_ROOT, as an init mounts it ---- */

#define CG_ROOT "/sys/fs/cgroup"
/* dir/file into buf, NUL-terminated: its length, or -errno. */
long cg_read(const char *dir, const char *file, char *buf, size_t size);
/* val (as is) to dir/file in one write: 0 or -errno. */
long cg_write(const char *dir, const char *file, const char *val);
/* The number after "key " at the start of a line of dir/file; -1 if there is no such line. */
long long cg_key(const char *dir, const char *file, const char *key);
long long cg_num(const char *dir, const char *file);	/* the number the file starts with */
void cg_create(char *path, size_t size, const char *parent, const char *name);	/* parent/ut-NAME-PID */
void cg_enter(const char *dir);		/* this process into dir */
void cg_destroy(const char *dir);	/* back to the root, then rmdir dir */

#endif
