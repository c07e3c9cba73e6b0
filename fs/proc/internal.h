/*
 * What the files of fs/proc share (Linux: fs/proc/internal.h).
 *
 * Two kinds of /proc inode:
 *   - registered entries (proc_dir_entry, "pde"): /proc/meminfo, /proc/sys/...
 *     The pde tree is built by proc_create() & co. (generic.c); an inode
 *     holds a reference on its pde, so an entry removed while open stays
 *     valid memory (its file just cannot be opened again).
 *   - per-process entries (base.c, fd.c, array.c, task_mmu.c): /proc/PID/...
 *     made up at each lookup. Such an inode holds a reference on its task
 *     (Linux holds the struct pid); the task may exit and be reaped while
 *     the inode lives, so every reader asks get_proc_task() first, which
 *     answers NULL once the task is reaped (-ESRCH to the reader), and the
 *     dentry is revalidated on each walk (ENOENT after the reap).
 * Inodes are never cached: each lookup makes a fresh one, freed with its
 * last dentry (proc_evict_inode()).
 *
 * Locking: proc_subdir_lock (an rwsem) guards every pde's subdir list and
 * parent link. It is held (shared) across readdir's copies to user space,
 * so nothing may take it while holding mmap_lock: nothing does (entries are
 * registered at boot and by subsystems, never from a fault).
 */
#ifndef _FS_PROC_INTERNAL_H
#define _FS_PROC_INTERNAL_H

#include <kernel/types.h>
#include <kernel/list.h>
#include <kernel/rwsem.h>
#include <fs/fs.h>
#include <fs/dcache.h>
#include <fs/proc_fs.h>

struct seq_file;
struct seq_operations;
struct task_struct;
struct mm_struct;

#define PROC_ROOT_INO 1
#define FIRST_PROCESS_ENTRY 256		/* /proc's readdir: processes from here (root.c) */

struct proc_dir_entry {
	int refcnt;			/* atomic: the parent's link and every inode's */
	u64 low_ino;			/* st_ino of its inodes */
	umode_t mode;
	unsigned int nlink;
	const struct inode_operations *proc_iops;	/* directories and links of a special kind */
	const struct file_operations *proc_dir_ops;
	const struct proc_ops *proc_ops;		/* regular files */
	const struct seq_operations *seq_ops;		/* proc_create_seq_data() */
	int (*single_show)(struct seq_file *, void *);	/* proc_create_single_data() */
	void *data;			/* the creator's; a symlink's target string */
	struct proc_dir_entry *parent;
	struct list_head subdir;	/* children, in creation order */
	struct list_head subdir_node;	/* in parent->subdir */
	bool removed;			/* remove_proc_entry(): no new opens */
	unsigned int namelen;
	char name[];
};

/* The target of a /proc/PID link: a dentry (cwd, root) or an open file (exe, fd/N). */
struct proc_link {
	struct path path;		/* a directory or file by name (cwd, root) */
	struct file *file;
};

union proc_op {
	int (*proc_get_link)(struct inode *inode, struct proc_link *link);	/* references in link */
	int (*proc_show)(struct seq_file *m, struct task_struct *task);
};

/* What /proc keeps in inode->i_private. */
struct proc_inode {
	struct proc_dir_entry *pde;	/* registered entries: referenced */
	struct task_struct *task;	/* per-process entries: referenced */
	int fd;				/* fd/N, fdinfo/N */
	bool thread;			/* a task/TID directory (not a process's) */
	union proc_op op;
};

static inline struct proc_inode *PROC_I(const struct inode *inode) { return inode->i_private; }
static inline struct proc_dir_entry *PDE(const struct inode *inode) { return PROC_I(inode)->pde; }

extern struct rw_semaphore proc_subdir_lock;
extern struct proc_dir_entry proc_root;

/* generic.c: the pde tree. */
struct proc_dir_entry *pde_get(struct proc_dir_entry *de);
void pde_put(struct proc_dir_entry *de);
struct dentry *proc_lookup_de(struct inode *dir, struct dentry *d, struct proc_dir_entry *de);
bool proc_readdir_de(struct file *file, struct dir_context *ctx, struct proc_dir_entry *de);
struct proc_dir_entry *proc_mkdir_p(const char *path, struct proc_dir_entry *parent);
/* A symlink whose target the inode operations compute (self, thread-self). */
struct proc_dir_entry *proc_create_link_iops(const char *name, struct proc_dir_entry *parent,
					     const struct inode_operations *iops);
extern const struct inode_operations proc_dir_inode_operations;
extern const struct file_operations proc_dir_operations;

/* inode.c: inodes and the super block. */
struct inode *proc_get_inode(struct super_block *sb, struct proc_dir_entry *de);
struct inode *proc_pid_make_inode(struct super_block *sb, struct task_struct *task, umode_t mode);
int proc_fill_super(struct super_block *sb, void *data, int silent);
extern const struct file_operations proc_reg_file_ops;
extern const struct inode_operations proc_link_inode_operations;
extern const struct inode_operations proc_file_inode_operations;	/* regular files: truncate is a no-op */

/* base.c: per-process directories. */
struct task_struct *get_proc_task(const struct inode *inode);	/* referenced, or NULL once reaped */
struct dentry *proc_pid_lookup(struct dentry *d, unsigned int tgid);
int proc_pid_readdir(struct file *file, struct dir_context *ctx);
extern const struct dentry_operations pid_dentry_operations;
extern const struct inode_operations proc_pid_link_inode_operations;
/* A decimal name without a leading zero ("0" excepted), as a pid or fd; -1 otherwise. */
int name_to_int(const char *name, unsigned int len);
/* An inode for task with mode; directories get nlink 2. NULL when out of memory. */
struct inode *proc_pid_inode(struct dentry *d, struct task_struct *task, umode_t mode);
/* The mm of task for a reader of its memory, pinned (mmdrop), or NULL (kernel thread, exited). */
struct mm_struct *proc_mem_open(struct task_struct *task);
/* A file that reads the task's memory: the mm pinned by open (file->private_data), dropped by release. */
int proc_mem_file_open(struct inode *inode, struct file *file);
int proc_mem_file_release(struct inode *inode, struct file *file);
/* "." and ".." of a /proc directory (generic.c); false if the caller's buffer is full. */
bool proc_emit_dots(struct file *file, struct dir_context *ctx);
/* open(): the seq_file of a per-process file whose show() gets the task. */
extern const struct file_operations proc_single_file_operations;

/* fd.c */
extern const struct inode_operations proc_fd_inode_operations, proc_fdinfo_inode_operations;
extern const struct file_operations proc_fd_operations, proc_fdinfo_operations;

/* fs/proc_namespace.c: the mount table from the task's root */
extern const struct file_operations proc_mounts_operations, proc_mountinfo_operations;

/* array.c */
int proc_pid_status(struct seq_file *m, struct task_struct *task);
int proc_pid_stat(struct seq_file *m, struct task_struct *task);
int proc_pid_statm(struct seq_file *m, struct task_struct *task);

/* task_mmu.c */
extern const struct file_operations proc_pid_maps_operations, proc_pid_smaps_operations,
	proc_pid_smaps_rollup_operations, proc_pagemap_operations;
void task_mem(struct seq_file *m, struct mm_struct *mm);
unsigned long task_statm(struct mm_struct *mm, unsigned long *shared, unsigned long *text,
			 unsigned long *data, unsigned long *resident);

/* root.c, self.c, and the system-wide files: meminfo.c, proc_misc.c */
void proc_self_init(void);
void proc_meminfo_init(void);
void proc_misc_init(void);
void proc_sys_init(void);	/* /proc/sys (proc_sysctl.c) */

#endif
