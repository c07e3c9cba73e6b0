/* mount(2) and umount2(2) flags (Linux: include/uapi/linux/mount.h, fs.h). */
#ifndef _UAPI_MOUNT_H
#define _UAPI_MOUNT_H

#define MS_RDONLY 1			/* mount read-only */
#define MS_NOSUID 2			/* ignore suid and sgid bits */
#define MS_NODEV 4			/* disallow access to device special files */
#define MS_NOEXEC 8			/* disallow program execution */
#define MS_SYNCHRONOUS 16		/* writes are synced at once */
#define MS_REMOUNT 32			/* alter flags of a mounted file system */
#define MS_MANDLOCK 64
#define MS_DIRSYNC 128
#define MS_NOSYMFOLLOW 256		/* do not follow symlinks */
#define MS_NOATIME 1024
#define MS_NODIRATIME 2048
#define MS_BIND 4096
#define MS_MOVE 8192
#define MS_REC 16384
#define MS_SILENT 32768			/* no messages about bad options */
#define MS_POSIXACL (1 << 16)
#define MS_UNBINDABLE (1 << 17)
#define MS_PRIVATE (1 << 18)
#define MS_SLAVE (1 << 19)
#define MS_SHARED (1 << 20)
#define MS_RELATIME (1 << 21)
#define MS_KERNMOUNT (1 << 22)
#define MS_I_VERSION (1 << 23)
#define MS_STRICTATIME (1 << 24)
#define MS_LAZYTIME (1 << 25)
#define MS_NOUSER (1U << 31)
/* Old programs pass this magic in the top 16 bits; it means nothing. */
#define MS_MGC_VAL 0xC0ED0000
#define MS_MGC_MSK 0xffff0000
/* What MS_REMOUNT may change on the super block. */
#define MS_RMT_MASK (MS_RDONLY | MS_SYNCHRONOUS | MS_MANDLOCK | MS_I_VERSION | MS_LAZYTIME)

/* umount2() flags. */
#define MNT_FORCE 0x1			/* ask the file system to abort pending requests */
#define MNT_DETACH 0x2			/* lazy: detach now, clean up when no longer busy */
#define MNT_EXPIRE 0x4			/* mark for expiry; the second call unmounts if unused */
#define UMOUNT_NOFOLLOW 0x8		/* do not follow a symlink in the last component */

#endif
