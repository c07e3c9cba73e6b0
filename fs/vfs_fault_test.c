/*
 * ktest: a bad user pointer (NULL, unmapped, a kernel address,
 * non-canonical, running off the end of user space) given to any file
 * system call gets -EFAULT, never an oops (see vfs_test.h).
 */
#include "vfs_test.h"

/* Bad user pointers get -EFAULT from every call that takes one, never an oops. */
KTEST(vfs_bad_pointers)
{
	struct vfs_env e;
	static char kbuf[64];
	const unsigned long bads[] = { 0, BAD_UPTR, P(kbuf), 0xdead000000000000UL, 0x00007ffffffff000UL - 1 };

	vfs_env_enter(&e);
	long fd = SYS(open, P("/dev/zero"), O_RDWR);
	long dfd = SYS(open, P("/"), O_RDONLY);
	int p[2];
	KT_ASSERT_EQ(SYS(pipe, P(p)), 0);
	for (unsigned int i = 0; i < ARRAY_SIZE(bads); i++) {
		unsigned long b = bads[i];
		KT_ASSERT_EQ(SYS_USER(open, b, O_RDONLY), -EFAULT);
		KT_ASSERT_EQ(SYS_USER(openat, AT_FDCWD, b, O_RDONLY), -EFAULT);
		KT_ASSERT_EQ(SYS_USER(stat, b, b), -EFAULT);
		KT_ASSERT_EQ(SYS_USER(lstat, b, b), -EFAULT);
		KT_ASSERT_EQ(SYS_USER(fstat, fd, b), -EFAULT);
		KT_ASSERT_EQ(SYS_USER(newfstatat, fd, b, b, AT_EMPTY_PATH), -EFAULT);
		KT_ASSERT_EQ(SYS_USER(statx, fd, b, AT_EMPTY_PATH, 0, b), -EFAULT);
		KT_ASSERT_EQ(SYS_USER(read, fd, b, 16), -EFAULT);
		KT_ASSERT_EQ(SYS_USER(pread64, fd, b, 16, 0), -EFAULT);
		KT_ASSERT_EQ(SYS_USER(readv, fd, b, 1), -EFAULT);
		KT_ASSERT_EQ(SYS_USER(writev, fd, b, 1), -EFAULT);
		KT_ASSERT_EQ(SYS_USER(write, p[1], b, 16), -EFAULT);
		KT_ASSERT_EQ(SYS_USER(getdents64, dfd, b, 64), -EFAULT);
		KT_ASSERT_EQ(SYS_USER(getdents, dfd, b, 64), -EFAULT);
		KT_ASSERT_EQ(SYS(lseek, dfd, 0, SEEK_SET), 0);
		KT_ASSERT_EQ(SYS_USER(getcwd, b, 64), -EFAULT);
		KT_ASSERT_EQ(SYS_USER(pipe, b), -EFAULT);
		KT_ASSERT_EQ(SYS_USER(pipe2, b, 0), -EFAULT);
		KT_ASSERT_EQ(SYS_USER(mkdir, b, 0755), -EFAULT);
		KT_ASSERT_EQ(SYS_USER(rmdir, b), -EFAULT);
		KT_ASSERT_EQ(SYS_USER(unlink, b), -EFAULT);
		KT_ASSERT_EQ(SYS_USER(chdir, b), -EFAULT);
		KT_ASSERT_EQ(SYS_USER(access, b, F_OK), -EFAULT);
		KT_ASSERT_EQ(SYS_USER(truncate, b, 0), -EFAULT);
		KT_ASSERT_EQ(SYS_USER(readlink, b, b, 16), -EFAULT);
		KT_ASSERT_EQ(SYS_USER(rename, b, b), -EFAULT);
		KT_ASSERT_EQ(SYS_USER(symlink, b, b), -EFAULT);
		KT_ASSERT_EQ(SYS_USER(utimensat, AT_FDCWD, b, 0, 0), -EFAULT);
		KT_ASSERT_EQ(SYS_USER(utimensat, fd, 0, b, 0), b ? -EFAULT : 0);	/* NULL times: now */
		KT_ASSERT_EQ(SYS_USER(poll, b, 1, 0), -EFAULT);
		KT_ASSERT_EQ(SYS_USER(ppoll, b, 1, b, 0, 8), -EFAULT);
		if (b) {	/* NULL sets or time are valid there: "none", "forever" */
			KT_ASSERT_EQ(SYS_USER(select, 1, b, 0, 0, 0), -EFAULT);
			KT_ASSERT_EQ(SYS_USER(pselect6, 1, 0, 0, 0, b, 0), -EFAULT);
		}
		KT_ASSERT_EQ(SYS_USER(ioctl, p[0], FIONREAD, b), -EFAULT);
		KT_ASSERT_EQ(SYS_USER(ioctl, p[0], FIONBIO, b), -EFAULT);
	}
	/* Under the kernel window, a kernel buffer works and a wild one still fails. */
	KT_ASSERT_EQ(SYS(read, fd, P(kbuf), 16), 16);
	KT_ASSERT_EQ(SYS(read, fd, BAD_UPTR, 16), -EFAULT);
	VFS_ENV_EXIT_CHECK(&e);
}
