/* File system magic numbers, statfs()'s f_type (Linux: include/uapi/linux/magic.h). */
#ifndef _UAPI_MAGIC_H
#define _UAPI_MAGIC_H

#define RAMFS_MAGIC 0x858458f6
#define TMPFS_MAGIC 0x01021994
#define PROC_SUPER_MAGIC 0x9fa0
#define SYSFS_MAGIC 0x62656572
#define CGROUP_SUPER_MAGIC 0x27e0eb
#define CGROUP2_SUPER_MAGIC 0x63677270
#define DEVPTS_SUPER_MAGIC 0x1cd1
#define TRACEFS_MAGIC 0x74726163
#define DEBUGFS_MAGIC 0x64626720
#define PIPEFS_MAGIC 0x50495045

#endif
