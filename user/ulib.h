/*
 * Small helpers shared by Folio's user programs (header-only, libc only).
 * Every program is one static binary built from its .c file (usertests: the
 * files of user/usertests/) plus this header.
 */
#ifndef FOLIO_ULIB_H
#define FOLIO_ULIB_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
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

#endif
