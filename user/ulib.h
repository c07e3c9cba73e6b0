/*
 * Small helpers shared by Folio's user programs (header-only, libc only).
 * Every program is one static binary built from its .c file (usertests: the
 * files of user/usertests/) plus this header.
 */
#ifndef FOLIO_ULIB_H
#define FOLIO_ULIB_H

#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

/* write a whole string to fd, without stdio (safe after fork and in handlers) */
static inline void put_fd(int fd, const char *s)
{
	size_t len = strlen(s);
	while (len > 0) {
		ssize_t n = write(fd, s, len);
		if (n <= 0) {
			if (n < 0 && errno == EINTR)
				continue;
			return;
		}
		s += n;
		len -= (size_t)n;
	}
}

/*
 * Make sure fds 0, 1 and 2 are open, on /dev/console if they are not. The kernel
 * normally opens them for init (Linux: console_on_rootfs()); this covers a kernel
 * that did not. Returns 0, or -errno if the console could not be opened.
 *
 * Folio's kernel provides /dev (console, null, zero). Linux, booting the same
 * initramfs, has only the /dev/console of its built-in one unless devtmpfs is
 * mounted: mount it when /dev/null is missing (elsewhere mount() just fails), so
 * Linux can run the same initramfs as the reference.
 */
static inline int console_fds(void)
{
	int fd;

	if (access("/dev/null", F_OK) != 0)
		mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	while (fcntl(0, F_GETFD) < 0 || fcntl(1, F_GETFD) < 0 || fcntl(2, F_GETFD) < 0) {
		fd = open("/dev/console", O_RDWR | O_NOCTTY);
		if (fd < 0)
			return -errno;
		for (int i = 0; i < 3; i++)
			if (fcntl(i, F_GETFD) < 0 && i != fd)
				dup2(fd, i);
		if (fd > 2)
			close(fd);
	}
	return 0;
}

/* a wait status as the shell reports it: the exit code, or 128 + the signal */
static inline int status_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 255;
}

/* A raw system call: the kernel's return value, -errno on failure, no libc checks (and
 * nothing that needs the thread pointer or errno). RAW(nr, args...) takes 0 to 6 arguments. */
static inline long raw6(long nr, long a, long b, long c, long d, long e, long f)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	long ret;

	__asm__ volatile("syscall" : "=a"(ret)
			 : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}
#define RAW(...) RAW_(__VA_ARGS__, 0, 0, 0, 0, 0, 0)
#define RAW_(nr, a, b, c, d, e, f, ...) \
	raw6(nr, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))

/* The smallest static ELF64 program: one PT_LOAD at TINY_BASE, code that does exit(status). */
struct tiny_elf {
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	unsigned char code[12];
} __attribute__((packed));

#define TINY_BASE 0x400000UL

static inline void tiny_elf(struct tiny_elf *e, unsigned char status)
{
	const unsigned char code[12] = {
		0xb8, 0x3c, 0x00, 0x00, 0x00,		/* mov $60, %eax  (exit) */
		0xbf, status, 0x00, 0x00, 0x00,		/* mov $status, %edi */
		0x0f, 0x05,				/* syscall */
	};

	memset(e, 0, sizeof *e);
	memcpy(e->eh.e_ident, ELFMAG, SELFMAG);
	e->eh.e_ident[EI_CLASS] = ELFCLASS64;
	e->eh.e_ident[EI_DATA] = ELFDATA2LSB;
	e->eh.e_ident[EI_VERSION] = EV_CURRENT;
	e->eh.e_type = ET_EXEC;
	e->eh.e_machine = EM_X86_64;
	e->eh.e_version = EV_CURRENT;
	e->eh.e_entry = TINY_BASE + offsetof(struct tiny_elf, code);
	e->eh.e_phoff = sizeof e->eh;
	e->eh.e_ehsize = sizeof e->eh;
	e->eh.e_phentsize = sizeof e->ph;
	e->eh.e_phnum = 1;
	e->ph.p_type = PT_LOAD;
	e->ph.p_flags = PF_R | PF_X;
	e->ph.p_offset = 0;
	e->ph.p_vaddr = e->ph.p_paddr = TINY_BASE;
	e->ph.p_filesz = e->ph.p_memsz = sizeof *e;
	e->ph.p_align = 4096;
	memcpy(e->code, code, sizeof code);
}

#endif
