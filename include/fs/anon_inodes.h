/*
 * Files with no place in the name space (Linux: include/linux/anon_inodes.h):
 * eventfd's. fs/anon_inodes.c.
 */
#ifndef _FS_ANON_INODES_H
#define _FS_ANON_INODES_H

#include <fs/fs.h>

/* A new file named "[NAME]" in /proc (name must live for good), with fops and private_data priv. */
struct file *anon_inode_getfile(const char *name, const struct file_operations *fops, void *priv, int flags);
/* The name an anonymous inode was made with, or NULL for any other inode. */
const char *anon_inode_name(const struct inode *inode);
int anon_inode_init(void);	/* boot (vfs_init()) */

#endif
