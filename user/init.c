/*
 * Folio's /init, the first user process (pid 1).
 *
 *   /init                 runs /bin/sh (busybox) interactively on the console
 *   /init CMD [ARG...]    runs CMD with its arguments instead
 *
 * The kernel passes the words after `--` on its command line as arguments, as
 * Linux does: `init=/init -- /bin/usertests fork` runs `/bin/usertests fork`.
 *
 * init makes sure fds 0/1/2 are open on /dev/console, mounts proc on /proc,
 * sysfs on /sys and cgroup2 on /sys/fs/cgroup (nosuid, nodev, noexec, as
 * Linux's init systems do; a mount that fails is reported in busybox
 * mount's words and boot goes on),
 * starts the command in a
 * new session whose controlling terminal is the console (so ^C reaches the
 * shell's foreground job), reaps every child that ends up with it (orphans are
 * re-parented to pid 1), and exits with the command's status: its exit code, or
 * 128 + the signal that killed it. The kernel then prints
 * `init exited with status N` and powers off with N.
 */
#include "ulib.h"
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>

static char *default_argv[] = { "/bin/sh", NULL };

/*
 * The pseudo file systems programs expect: ps and free read /proc, mount
 * reads /proc/mounts, service managers and OOM handlers use cgroup2 on
 * /sys/fs/cgroup (a directory of sysfs, so it comes after it).
 */
static void mount_pseudo_fs(void)
{
	static const struct { const char *type, *dir; } fs[] = {
		{ "proc", "/proc" }, { "sysfs", "/sys" }, { "cgroup2", "/sys/fs/cgroup" },
	};

	for (size_t i = 0; i < sizeof fs / sizeof fs[0]; i++) {
		mkdir(fs[i].dir, 0555);		/* the initramfs has them; EEXIST is the usual answer */
		if (mount(fs[i].type, fs[i].dir, fs[i].type, MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
			dprintf(2, "init: mounting %s on %s failed: %s\n", fs[i].type, fs[i].dir, strerror(errno));
	}
}

/* in the child: own session, the console as controlling terminal, then exec */
static void start(char **argv)
{
	setsid();
	ioctl(0, TIOCSCTTY, 1);		/* failure only costs job control */
	tcsetpgrp(0, getpid());
	execve(argv[0], argv, environ);
	int err = errno;
	dprintf(2, "init: cannot run %s: %s\n", argv[0], strerror(err));
	_exit(err == ENOENT ? 127 : 126);
}

int main(int argc, char **argv)
{
	char **cmd = argc > 1 ? argv + 1 : default_argv;
	int status;

	/* If there is no console there is nowhere to complain: carry on, the exit
	 * status still reaches the kernel. */
	(void)console_fds();
	mount_pseudo_fs();
	setenv("PATH", "/bin:/sbin", 0);
	setenv("HOME", "/", 0);
	setenv("TERM", "vt100", 0);
	setenv("PS1", "folio:\\w\\$ ", 0);	/* the shell's prompt: folio:/# */

	printf("Folio init (pid %d): running", (int)getpid());
	for (char **a = cmd; *a; a++)
		printf(" %s", *a);
	printf("\n");
	fflush(stdout);

	pid_t child = fork();
	if (child < 0) {
		perror("init: fork");
		return 1;
	}
	if (child == 0)
		start(cmd);

	/* Reap everything; stop when the command itself has finished. */
	for (;;) {
		pid_t pid = waitpid(-1, &status, 0);
		if (pid == child)
			break;
		if (pid < 0 && errno != EINTR) {
			perror("init: waitpid");
			return 1;
		}
	}
	int code = status_code(status);
	if (WIFSIGNALED(status))
		printf("init: %s killed by signal %d\n", cmd[0], WTERMSIG(status));
	fflush(stdout);
	return code;
}
