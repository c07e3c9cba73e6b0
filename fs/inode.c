/*
 * Inodes (Linux: fs/inode.c): allocation, references and times. An inode
 * lives while anything holds i_count: a dentry naming it, an open file, a
 * pipe end. The last iput() lets the file system free its data
 * (super_operations->evict_inode) and frees the inode. Each inode holds its
 * super block's struct (s_count), which may outlive the file system's last
 * mount. i_count is atomic; the rest of an inode is guarded by its i_rwsem,
 * as each file system says.
 */
#include <kernel/kernel.h>
#include <kernel/time.h>
#include <mm/slab.h>
#include <fs/dcache.h>
#include "internal.h"

struct inode *new_inode(struct super_block *sb)
{
	struct inode *inode = kzalloc(sizeof(*inode), GFP_KERNEL);

	if (!inode)
		return NULL;
	inode->i_count = 1;
	inode->i_nlink = 1;
	inode->i_sb = sb;
	get_super(sb);
	inode->i_ino = __atomic_add_fetch(&sb->s_next_ino, 1, __ATOMIC_RELAXED);
	init_rwsem(&inode->i_rwsem);
	INIT_LIST_HEAD(&inode->i_mmap);
	spin_lock_init(&inode->i_mmap_lock);
	inode->i_mmap_lock.name = "i_mmap_lock";
	inode->i_atime = inode->i_mtime = inode->i_ctime = current_time(inode);
	return inode;
}

void ihold(struct inode *inode)
{
	__atomic_add_fetch(&inode->i_count, 1, __ATOMIC_RELAXED);
}

void iput(struct inode *inode)
{
	if (!inode)
		return;
	int n = __atomic_sub_fetch(&inode->i_count, 1, __ATOMIC_ACQ_REL);
	WARN_ON(n < 0);
	if (n)
		return;
	struct super_block *sb = inode->i_sb;
	if (sb->s_op && sb->s_op->evict_inode)
		sb->s_op->evict_inode(inode);
	kfree(inode);
	put_super(sb);
}

/*
 * Time since boot: Folio's inodes do not use the wall clock (Linux: the CLOCK_REALTIME
 * coarse clock, truncated to the file system's granularity).
 */
struct timespec64 current_time(struct inode *inode)
{
	u64 ns = ktime_get_ns();

	(void)inode;
	return (struct timespec64){ .tv_sec = ns / NSEC_PER_SEC, .tv_nsec = ns % NSEC_PER_SEC };
}
