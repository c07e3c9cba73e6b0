/* File types and struct stat for x86-64 (Linux: include/uapi/linux/stat.h, asm/stat.h). */
#ifndef _UAPI_STAT_H
#define _UAPI_STAT_H

#include <kernel/types.h>
#include <kernel/compiler.h>

#define S_IFMT 00170000
#define S_IFSOCK 0140000
#define S_IFLNK 0120000
#define S_IFREG 0100000
#define S_IFBLK 0060000
#define S_IFDIR 0040000
#define S_IFCHR 0020000
#define S_IFIFO 0010000
#define S_ISLNK(m) (((m) & S_IFMT) == S_IFLNK)
#define S_ISREG(m) (((m) & S_IFMT) == S_IFREG)
#define S_ISDIR(m) (((m) & S_IFMT) == S_IFDIR)
#define S_ISCHR(m) (((m) & S_IFMT) == S_IFCHR)
#define S_ISFIFO(m) (((m) & S_IFMT) == S_IFIFO)
#define S_IRUSR 00400
#define S_IWUSR 00200
#define S_IXUSR 00100
#define S_IRGRP 00040
#define S_IXGRP 00010
#define S_IROTH 00004
#define S_IXOTH 00001

#define DT_UNKNOWN 0
#define DT_FIFO 1
#define DT_CHR 2
#define DT_DIR 4
#define DT_REG 8
#define DT_LNK 10

/* x86-64's struct stat, as stat(2) fills it. */
struct stat {
	u64 st_dev;
	u64 st_ino;
	u64 st_nlink;
	u32 st_mode;
	u32 st_uid;
	u32 st_gid;
	u32 __pad0;
	u64 st_rdev;
	s64 st_size;
	s64 st_blksize;
	s64 st_blocks;
	u64 st_atime_sec, st_atime_nsec;
	u64 st_mtime_sec, st_mtime_nsec;
	u64 st_ctime_sec, st_ctime_nsec;
	s64 __reserved[3];
};
/* The ABI: Linux's size and offsets. */
BUILD_BUG_ON(sizeof(struct stat) != 144 || offsetof(struct stat, st_mode) != 24 ||
	     offsetof(struct stat, st_size) != 48 || offsetof(struct stat, st_atime_sec) != 72);

#endif
