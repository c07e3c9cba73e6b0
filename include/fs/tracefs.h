/*
 * tracefs, the file system of the tracing files (Linux: include/linux/tracefs.h,
 * fs/tracefs/inode.c), which user space mounts on /sys/kernel/tracing
 * (`mount -t tracefs nodev /sys/kernel/tracing`). Its tree is made by
 * the kernel with the calls below and never changes afterwards; each file's
 * operations find their data with tracefs_file_data().
 */
#ifndef _FS_TRACEFS_H
#define _FS_TRACEFS_H

#include <fs/fs.h>

/* A directory under parent (NULL: the root); NULL if memory is short. */
struct dentry *tracefs_create_dir(const char *name, struct dentry *parent);
/*
 * A file under parent with these operations; data goes to i_private. An
 * open with O_TRUNC calls truncate(0) if given (`echo > trace` clears the
 * buffer), and is accepted otherwise.
 */
struct dentry *tracefs_create_file(const char *name, umode_t mode, struct dentry *parent, void *data,
				   const struct file_operations *fops, void (*truncate)(void));

/* The data given to tracefs_create_file() for the file f. */
void *tracefs_file_data(struct file *f);

/* Copy from a kernel buffer of `available` bytes at *ppos to user space (Linux's simple_read_from_buffer()). */
ssize_t tracefs_read_buffer(void __user *to, size_t count, loff_t *ppos, const void *from, size_t available);
/* A user write of a short text into buf (NUL-terminated, at most size - 1 bytes): count, or an error. */
ssize_t tracefs_write_text(char *buf, size_t size, const char __user *ubuf, size_t count);

/* Make tracefs's one instance, with the tracing files (kernel/trace/trace_fs.c); after vfs_init(). */
void tracefs_init(void);
void tracer_init_tracefs(struct dentry *root);

#endif
