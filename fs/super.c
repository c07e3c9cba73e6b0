/*
 * Super blocks: making, sharing and ending file system instances (Linux:
 * fs/super.c). A file system type's ->mount calls mount_nodev() for a new
 * instance each time or mount_single() for one shared instance; either
 * returns the root dentry with the super block active. The mounts made from
 * it hold s_active; the last deactivate_super() calls the type's ->kill_sb,
 * which lets go of the tree (kill_litter_super(), kill_anon_super()). The
 * struct itself lives on while inodes of it do (s_count), since an inode can
 * outlive every mount (an inode held across a umount by stat()).
 *
 * Locking: sb_lock guards each type's fs_supers list; a super block found
 * there is taken only if s_active is still above zero (grab_super()), so a
 * dying one is never revived. single_mutex makes mount_single()'s
 * find-or-create atomic. Anonymous device numbers come from a bitmap under
 * anon_dev_lock.
 */
#include <kernel/kernel.h>
#include <kernel/mutex.h>
#include <kernel/spinlock.h>
#include <arch/page.h>
#include <lib/string.h>
#include <mm/slab.h>
#include <uapi/errno.h>
#include <fs/dcache.h>
#include "internal.h"

static DEFINE_SPINLOCK(sb_lock);
static DEFINE_MUTEX(single_mutex);

/* Anonymous st_dev numbers 0:1 .. 0:255, lowest free first (Linux: get_anon_bdev()). */
#define ANON_DEVS 256
static unsigned long anon_devs[ANON_DEVS / BITS_PER_LONG];
static DEFINE_SPINLOCK(anon_dev_lock);

int get_anon_bdev(dev_t *dev)
{
	int err = -EMFILE;

	spin_lock(&anon_dev_lock);
	for (unsigned int i = 1; i < ANON_DEVS; i++) {
		if (!(anon_devs[i / BITS_PER_LONG] & (1UL << (i % BITS_PER_LONG)))) {
			anon_devs[i / BITS_PER_LONG] |= 1UL << (i % BITS_PER_LONG);
			*dev = MKDEV(0, i);
			err = 0;
			break;
		}
	}
	spin_unlock(&anon_dev_lock);
	return err;
}

void free_anon_bdev(dev_t dev)
{
	unsigned int i = dev & 0xff;

	spin_lock(&anon_dev_lock);
	WARN_ON(!(anon_devs[i / BITS_PER_LONG] & (1UL << (i % BITS_PER_LONG))));
	anon_devs[i / BITS_PER_LONG] &= ~(1UL << (i % BITS_PER_LONG));
	spin_unlock(&anon_dev_lock);
}

static struct super_block *alloc_super(struct file_system_type *type, int flags)
{
	struct super_block *sb = kzalloc(sizeof(*sb), GFP_KERNEL);

	if (!sb)
		return ERR_PTR(-ENOMEM);
	int err = get_anon_bdev(&sb->s_dev);
	if (err) {
		kfree(sb);
		return ERR_PTR(err);
	}
	sb->s_type = type;
	sb->s_flags = flags & ~SB_SILENT;
	sb->s_maxbytes = MAX_LFS_FILESIZE;
	sb->s_active = 1;
	sb->s_count = 1;
	INIT_LIST_HEAD(&sb->s_instances);
	INIT_LIST_HEAD(&sb->s_mounts);
	return sb;
}

void get_super(struct super_block *sb)
{
	__atomic_add_fetch(&sb->s_count, 1, __ATOMIC_RELAXED);
}

void put_super(struct super_block *sb)
{
	int n = __atomic_sub_fetch(&sb->s_count, 1, __ATOMIC_ACQ_REL);

	WARN_ON(n < 0);
	if (n)
		return;
	if (sb->s_op && sb->s_op->put_super)
		sb->s_op->put_super(sb);
	kfree(sb);
}

/* One more active user of sb (another mount); sb_lock held. False if sb is dying. */
static bool grab_super(struct super_block *sb)
{
	int n = __atomic_load_n(&sb->s_active, __ATOMIC_RELAXED);

	while (n > 0)
		if (__atomic_compare_exchange_n(&sb->s_active, &n, n + 1, false, __ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED))
			return true;
	return false;
}

void activate_super(struct super_block *sb)
{
	WARN_ON(__atomic_add_fetch(&sb->s_active, 1, __ATOMIC_RELAXED) < 2);
}

/* The last mount of sb is gone: the file system lets go of it. May sleep. */
void deactivate_super(struct super_block *sb)
{
	if (__atomic_sub_fetch(&sb->s_active, 1, __ATOMIC_ACQ_REL))
		return;
	spin_lock(&sb_lock);
	list_del_init(&sb->s_instances);
	spin_unlock(&sb_lock);
	if (sb->s_type->kill_sb)
		sb->s_type->kill_sb(sb);
	else
		kill_anon_super(sb);
	put_super(sb);		/* the count s_active held */
}

void kill_anon_super(struct super_block *sb)
{
	struct dentry *root = sb->s_root;

	sb->s_root = NULL;
	dput(root);
	free_anon_bdev(sb->s_dev);
}

void kill_litter_super(struct super_block *sb)
{
	if (sb->s_root)
		d_genocide(sb->s_root);
	kill_anon_super(sb);
}

/* A new super block filled by fill_super: its root, referenced, or an error. */
static struct dentry *new_super(struct file_system_type *type, int flags, void *data, fill_super_t fill_super)
{
	struct super_block *sb = alloc_super(type, flags);

	if (IS_ERR(sb))
		return ERR_CAST(sb);
	int err = fill_super(sb, data, !!(flags & SB_SILENT));
	if (!err && !sb->s_root)
		err = -ENOMEM;
	if (err) {
		deactivate_super(sb);
		return ERR_PTR(err);
	}
	spin_lock(&sb_lock);
	list_add_tail(&sb->s_instances, &type->fs_supers);
	spin_unlock(&sb_lock);
	return dget(sb->s_root);
}

struct dentry *mount_nodev(struct file_system_type *type, int flags, void *data, fill_super_t fill_super)
{
	return new_super(type, flags, data, fill_super);
}

/* Options given to a second mount of a shared instance are ignored, as Linux's mount_single() does. */
struct dentry *mount_single(struct file_system_type *type, int flags, void *data, fill_super_t fill_super)
{
	struct super_block *sb, *found = NULL;
	struct dentry *root;

	mutex_lock(&single_mutex);
	spin_lock(&sb_lock);
	list_for_each_entry(sb, &type->fs_supers, s_instances)
		if (grab_super(sb)) {
			found = sb;
			break;
		}
	spin_unlock(&sb_lock);
	root = found ? dget(found->s_root) : new_super(type, flags, data, fill_super);
	mutex_unlock(&single_mutex);
	return root;
}

int simple_statfs(struct dentry *dentry, struct kstatfs *buf)
{
	buf->f_type = dentry->d_sb->s_magic;
	buf->f_bsize = PAGE_SIZE;
	buf->f_namelen = NAME_MAX;
	return 0;
}

/* The words every file system accepts among its options: super block flags (Linux: vfs_parse_sb_flag()). */
static const struct {
	const char *name;
	unsigned long set, clear;
} sb_flag_words[] = {
	{ "ro", SB_RDONLY, 0 }, { "rw", 0, SB_RDONLY },
	{ "sync", SB_SYNCHRONOUS, 0 }, { "async", 0, SB_SYNCHRONOUS },
	{ "dirsync", SB_DIRSYNC, 0 },
	{ "lazytime", SB_LAZYTIME, 0 }, { "nolazytime", 0, SB_LAZYTIME },
	{ "mand", SB_MANDLOCK, 0 }, { "nomand", 0, SB_MANDLOCK },
};

int parse_mount_options(char *data, unsigned long *sb_flags, int (*parse)(void *priv, char *key, char *val),
			void *priv)
{
	char *opt, *next;

	for (opt = data; opt && *opt; opt = next) {
		next = strchr(opt, ',');
		if (next)
			*next++ = 0;
		if (!*opt)
			continue;
		unsigned int i;
		for (i = 0; i < ARRAY_SIZE(sb_flag_words); i++)
			if (!strcmp(opt, sb_flag_words[i].name))
				break;
		if (i < ARRAY_SIZE(sb_flag_words)) {
			*sb_flags = (*sb_flags | sb_flag_words[i].set) & ~sb_flag_words[i].clear;
			continue;
		}
		char *val = strchr(opt, '=');
		if (val)
			*val++ = 0;
		int err = parse(priv, opt, val);
		if (err)
			return err;
	}
	return 0;
}
