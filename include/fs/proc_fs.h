/*
 * /proc's interface for the rest of the kernel (Linux: include/linux/proc_fs.h).
 *
 * A subsystem that has something to show registers a proc_dir_entry: a
 * file with its proc_ops, a seq_file show() or seq_operations, a directory,
 * or a symlink. Names may contain '/' to place an entry in a directory made
 * earlier ("sys/kernel"). Entries live until remove_proc_entry(); the
 * per-process directories (/proc/PID) are not registered, they are made up
 * on each lookup from the task list (fs/proc/base.c).
 */
#ifndef _FS_PROC_FS_H
#define _FS_PROC_FS_H

#include <fs/fs.h>

struct proc_dir_entry;
struct seq_file;
struct seq_operations;

/* What a /proc file does when opened, read, written (Linux's struct proc_ops). */
struct proc_ops {
	int (*proc_open)(struct inode *inode, struct file *file);
	ssize_t (*proc_read)(struct file *file, char __user *buf, size_t count, loff_t *pos);
	ssize_t (*proc_write)(struct file *file, const char __user *buf, size_t count, loff_t *pos);
	loff_t (*proc_lseek)(struct file *file, loff_t offset, int whence);
	int (*proc_release)(struct inode *inode, struct file *file);
	__poll_t (*proc_poll)(struct file *file, struct poll_table_struct *pt);
};

struct proc_dir_entry *proc_create(const char *name, umode_t mode, struct proc_dir_entry *parent,
				   const struct proc_ops *ops);
struct proc_dir_entry *proc_create_data(const char *name, umode_t mode, struct proc_dir_entry *parent,
					const struct proc_ops *ops, void *data);
/* A file that is one seq_file record, printed by show (m->private is data). */
struct proc_dir_entry *proc_create_single_data(const char *name, umode_t mode, struct proc_dir_entry *parent,
					       int (*show)(struct seq_file *, void *), void *data);
#define proc_create_single(name, mode, parent, show) proc_create_single_data(name, mode, parent, show, NULL)
/* A file walked with seq_operations; m->private is data. */
struct proc_dir_entry *proc_create_seq_data(const char *name, umode_t mode, struct proc_dir_entry *parent,
					    const struct seq_operations *ops, void *data);
#define proc_create_seq(name, mode, parent, ops) proc_create_seq_data(name, mode, parent, ops, NULL)
struct proc_dir_entry *proc_mkdir(const char *name, struct proc_dir_entry *parent);
struct proc_dir_entry *proc_mkdir_mode(const char *name, umode_t mode, struct proc_dir_entry *parent);
struct proc_dir_entry *proc_symlink(const char *name, struct proc_dir_entry *parent, const char *dest);
void remove_proc_entry(const char *name, struct proc_dir_entry *parent);
/* The data the entry behind a /proc inode was created with. */
void *pde_data(const struct inode *inode);

/* Boot (vfs_init()): the entries of /proc, and the file system type "proc" registered (fs/proc/root.c). */
void proc_root_init(void);

#endif
