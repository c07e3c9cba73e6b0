/* statfs(2) for x86-64 (Linux: include/uapi/asm-generic/statfs.h, include/linux/statfs.h). */
#ifndef _UAPI_STATFS_H
#define _UAPI_STATFS_H

#include <kernel/types.h>

typedef struct {
	int val[2];
} __kernel_fsid_t;

struct statfs {
	long f_type;			/* the file system's magic number (uapi/magic.h) */
	long f_bsize;			/* optimal transfer block size */
	long f_blocks;			/* total blocks of f_frsize bytes */
	long f_bfree;
	long f_bavail;			/* free blocks for unprivileged users */
	long f_files;			/* total inodes */
	long f_ffree;
	__kernel_fsid_t f_fsid;
	long f_namelen;			/* the longest name */
	long f_frsize;			/* fragment size */
	long f_flags;			/* ST_* */
	long f_spare[4];
};

/* f_flags: the mount's flags as statvfs() reports them. */
#define ST_RDONLY 0x0001
#define ST_NOSUID 0x0002
#define ST_NODEV 0x0004
#define ST_NOEXEC 0x0008
#define ST_SYNCHRONOUS 0x0010
#define ST_VALID 0x0020			/* f_flags is filled in */
#define ST_MANDLOCK 0x0040
#define ST_NOATIME 0x0400
#define ST_NODIRATIME 0x0800
#define ST_RELATIME 0x1000
#define ST_NOSYMFOLLOW 0x2000

#endif
