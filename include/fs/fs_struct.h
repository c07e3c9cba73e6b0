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
	struct dentry *root, *pwd;	/* referenced */
};

/* With a reference; a task without an fs_struct (a kernel thread) gets the global root. */
struct dentry *get_fs_root(void);
struct dentry *get_fs_pwd(void);
void set_fs_pwd(struct fs_struct *fs, struct dentry *d);	/* takes over the reference */
umode_t current_umask(void);

#endif
