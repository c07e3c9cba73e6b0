/*
 * A process's root, working directory and umask (Linux:
 * include/linux/fs_struct.h). Shared by tasks created with CLONE_FS
 * (->users). fs->lock guards root, pwd and umask; readers take references
 * (get_fs_pwd()) so a concurrent chdir() cannot free what they walk.
 */
#ifndef _FS_FS_STRUCT_H
#define _FS_FS_STRUCT_H

#include <fs/fs.h>

struct fs_struct {
	int users;			/* atomic */
	spinlock_t lock;
	umode_t umask;
	struct path root, pwd;		/* referenced */
};

/*
 * Copies with references (path_put() them). fs may be NULL (a kernel thread,
 * or another task's after exit_fs()): the root of the name space, as Linux's
 * kernel threads see it. For another task, read task->fs under task_lock().
 */
void get_fs_root(struct fs_struct *fs, struct path *root);
void get_fs_pwd(struct fs_struct *fs, struct path *pwd);
void set_fs_pwd(struct fs_struct *fs, const struct path *path);	/* takes its own reference */
umode_t current_umask(void);

#endif
