/*
 * A process's file descriptor table (Linux: include/linux/fdtable.h,
 * fs/file.c). Shared by threads created with CLONE_FILES (->count).
 * files->file_lock guards all of it. A descriptor is "open" in open_fds from
 * the moment it is reserved (get_unused_fd_flags()) and holds a file once
 * fd_install() fills the slot: so an fd number can be reserved before the
 * file exists (open(), pipe()) and nobody else gets it in between.
 */
#ifndef _FS_FDTABLE_H
#define _FS_FDTABLE_H

#include <fs/fs.h>

struct files_struct {
	int count;			/* atomic: tasks sharing the table */
	spinlock_t file_lock;		/* everything below */
	unsigned int max_fds;		/* slots in fd[], bits in the two bitmaps */
	unsigned int next_fd;		/* every fd below it is open: where searches start */
	struct file **fd;
	unsigned long *open_fds;	/* reserved or installed */
	unsigned long *close_on_exec;
};

unsigned int rlimit_nofile(void);			/* current's RLIMIT_NOFILE */
int get_unused_fd_flags(unsigned int flags);		/* reserve the lowest free fd, or -EMFILE */
void put_unused_fd(unsigned int fd);			/* give back a reserved fd never installed */
void fd_install(unsigned int fd, struct file *f);	/* the table takes over the reference */
int close_fd(unsigned int fd);				/* 0 or -EBADF */

/* Another task's table, for /proc/PID/fd (NULL, -1, 0 once the task has no table). */
struct task_struct;
struct file *fget_task(struct task_struct *task, unsigned int fd, bool *cloexec);	/* referenced */
int task_next_fd(struct task_struct *task, unsigned int start);	/* lowest open fd >= start, or -1 */
unsigned int task_fd_max(struct task_struct *task);		/* slots in the table (FDSize) */

#endif
