/*
 * Linux ABI constants and structs used by the file system calls (Linux:
 * uapi/linux/stat.h, poll.h, uio.h, time_types.h, fcntl.h,
 * asm-generic/ioctls.h, errno.h) beyond what include/uapi/ holds; only fs/
 * and the tests of its calls use them.
 */
#ifndef _FS_UAPI_H
#define _FS_UAPI_H

#include <uapi/time.h>
#include <kernel/types.h>
#include <kernel/compiler.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/stat.h>

#ifndef EXDEV
#define EXDEV 18
#endif
#ifndef ELOOP
#define ELOOP 40
#endif

#define S_ISBLK(m) (((m) & S_IFMT) == S_IFBLK)
#define S_ISSOCK(m) (((m) & S_IFMT) == S_IFSOCK)
#define S_IRWXUGO 00777
#define S_IALLUGO 07777
#define DT_BLK 6
#define DT_SOCK 12

/* More open() flags (asm-generic/fcntl.h). */
#define O_DSYNC 00010000
#define FASYNC 00020000
#define O_DIRECT 00040000
#define O_NOATIME 01000000
#define O_PATH 010000000

/* access() modes and more *at() flags. */
#define F_OK 0
#define X_OK 1
#define W_OK 2
#define R_OK 4
#define AT_EACCESS 0x200
#define AT_NO_AUTOMOUNT 0x800
#define AT_STATX_SYNC_TYPE 0x6000

#define SEEK_DATA 3
#define SEEK_HOLE 4

/* Generic ioctls every file answers (asm-generic/ioctls.h). */
#define FIONREAD 0x541B
#define FIONBIO 0x5421
#define FIONCLEX 0x5450
#define FIOCLEX 0x5451
#define FIOASYNC 0x5452

#define PIPE_BUF 4096		/* writes up to this size to a pipe are atomic */
#define UIO_MAXIOV 1024
#define FD_SETSIZE 1024

struct iovec {
	void __user *iov_base;
	size_t iov_len;
};

struct pollfd {
	int fd;
	short events;
	short revents;
};
#define POLLIN 0x0001
#define POLLPRI 0x0002
#define POLLOUT 0x0004
#define POLLERR 0x0008
#define POLLHUP 0x0010
#define POLLNVAL 0x0020
#define POLLRDNORM 0x0040
#define POLLRDBAND 0x0080
#define POLLWRNORM 0x0100
#define POLLWRBAND 0x0200

#define UTIME_NOW ((1L << 30) - 1L)
#define UTIME_OMIT ((1L << 30) - 2L)

/* getdents64() records (include/linux/dirent.h); d_reclen keeps each 8-byte aligned. */
struct linux_dirent64 {
	u64 d_ino;
	s64 d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/* statx() (uapi/linux/stat.h). */
struct statx_timestamp {
	s64 tv_sec;
	u32 tv_nsec;
	s32 __reserved;
};
struct statx {
	u32 stx_mask;
	u32 stx_blksize;
	u64 stx_attributes;
	u32 stx_nlink;
	u32 stx_uid;
	u32 stx_gid;
	u16 stx_mode;
	u16 __spare0[1];
	u64 stx_ino;
	u64 stx_size;
	u64 stx_blocks;
	u64 stx_attributes_mask;
	struct statx_timestamp stx_atime, stx_btime, stx_ctime, stx_mtime;
	u32 stx_rdev_major, stx_rdev_minor;
	u32 stx_dev_major, stx_dev_minor;
	u64 __spare2[14];
};
/* The ABI: Linux's size and offsets. */
BUILD_BUG_ON(sizeof(struct statx) != 256 || offsetof(struct statx, stx_ino) != 32 ||
	     offsetof(struct statx, stx_atime) != 64 || offsetof(struct statx, stx_rdev_major) != 128);
#define STATX_TYPE 0x0001U
#define STATX_MODE 0x0002U
#define STATX_NLINK 0x0004U
#define STATX_UID 0x0008U
#define STATX_GID 0x0010U
#define STATX_ATIME 0x0020U
#define STATX_MTIME 0x0040U
#define STATX_CTIME 0x0080U
#define STATX_INO 0x0100U
#define STATX_SIZE 0x0200U
#define STATX_BLOCKS 0x0400U
#define STATX_BASIC_STATS 0x07ffU
#define STATX__RESERVED 0x80000000U

#endif
