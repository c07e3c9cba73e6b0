/*
 * The cgroup file systems (Linux: fs/kernfs/ and the file system half of
 * kernel/cgroup/cgroup.c, cgroup-v1.c): cgroup2 shows the default
 * hierarchy, cgroup the v1 one (mount -t cgroup -o memory). Every mount of
 * a type shows the same tree, so each type has one super block while
 * mounted (mount_single()), as in Linux.
 *
 * The directories are made up from the hierarchy on each lookup, as /proc
 * does: a cgroup's directory holds its control files (the core files of
 * its hierarchy and those of each controller it has a css of) and its
 * children. An inode carries the cgroup (directories) or the cgroup, css
 * and cftype (files), referenced; a dentry stays valid while its cgroup
 * lives and, for a controller's file, while that css is still the
 * cgroup's (d_revalidate), so disabling a controller or removing the
 * cgroup takes the names away even from a walk that had them cached.
 * mkdir makes a cgroup, rmdir removes one however many control files it
 * holds (FS_RMDIR_NONEMPTY). Opening a control file makes a struct
 * cgroup_of for it; reads go through seq_file, writes hand the cftype the
 * whole buffer (up to a page).
 *
 * Locking: cgroup_mutex around every look at the hierarchy; the VFS holds
 * the directory's i_rwsem for lookup, mkdir and rmdir (before cgroup_mutex).
 */
#include <kernel/kernel.h>
#include <kernel/cgroup.h>
#include <kernel/uaccess.h>
#include <arch/page.h>
#include <lib/string.h>
#include <mm/slab.h>
#include <fs/dcache.h>
#include <fs/seq_file.h>
#include <fs/uapi.h>
#include <lib/printbuf.h>
#include <uapi/magic.h>
#include "cgroup-internal.h"

static struct file_system_type cgroup2_fs_type, cgroup_fs_type;

/* A control file's inode: what it shows. */
struct cgroup_file_info {
	struct cgroup *cgrp;			/* referenced */
	struct cgroup_subsys_state *css;	/* referenced; NULL for a core file */
	const struct cftype *cft;
};

static bool is_cgroupfs(const struct inode *inode)
{
	return inode->i_sb->s_type == &cgroup2_fs_type || inode->i_sb->s_type == &cgroup_fs_type;
}

/* ---- Which files a cgroup has ---- */

/*
 * The i-th set of files of cgrp: 0 its hierarchy's core files, 1 + ssid
 * those of controller ssid if cgrp has a css of it (*css). NULL if none.
 */
static const struct cftype *cgroup_file_set(struct cgroup *cgrp, int i, struct cgroup_subsys_state **css)
{
	*css = NULL;
	if (i == 0)
		return cgroup_on_dfl(cgrp) ? cgroup_base_files : cgroup1_base_files;
	struct cgroup_subsys *ss = cgroup_subsys[i - 1];
	if (!(*css = cgrp->subsys[ss->id]))
		return NULL;
	return cgroup_on_dfl(cgrp) ? ss->dfl_cftypes : ss->legacy_cftypes;
}

static bool cftype_visible(const struct cftype *cft, const struct cgroup *cgrp)
{
	if ((cft->flags & CFTYPE_ONLY_ON_ROOT) && cgrp->parent)
		return false;
	return !((cft->flags & CFTYPE_NOT_ON_ROOT) && !cgrp->parent);
}

/* The file named name of cgrp, and its css; its index among cgrp's files in *idx. cgroup_mutex. */
static const struct cftype *cgroup_find_file(struct cgroup *cgrp, const char *name, unsigned int len,
					     struct cgroup_subsys_state **css, unsigned int *idx)
{
	*idx = 0;
	for (int i = 0; i <= CGROUP_SUBSYS_COUNT; i++) {
		const struct cftype *cft = cgroup_file_set(cgrp, i, css);
		for (; cft && cft->name; cft++, (*idx)++)
			if (cftype_visible(cft, cgrp) && strlen(cft->name) == len && !memcmp(cft->name, name, len))
				return cft;
	}
	return NULL;
}

static umode_t cftype_mode(const struct cftype *cft)
{
	umode_t mode = (cft->seq_show || cft->read_u64) ? 0444 : 0;

	if (cft->write || cft->write_u64)
		mode |= (cft->flags & CFTYPE_WORLD_WRITABLE) ? 0222 : 0200;
	return S_IFREG | mode;
}

/* Inode numbers: a cgroup's id, shifted, for its directory; the file's index added for its files. */
static u64 cgroup_ino(const struct cgroup *cgrp, unsigned int file)
{
	return (cgrp->id << 8) | file;
}

/* ---- Inodes and dentries ---- */

static const struct inode_operations cgroupfs_dir_inode_operations;
static const struct file_operations cgroupfs_dir_operations, cgroupfs_file_operations;
static const struct inode_operations cgroupfs_file_inode_operations;

static struct inode *cgroupfs_dir_inode(struct super_block *sb, struct cgroup *cgrp)
{
	struct inode *inode = new_inode(sb);

	if (!inode)
		return NULL;
	cgroup_get(cgrp);
	inode->i_private = cgrp;
	inode->i_mode = S_IFDIR | cgrp->mode;
	inode->i_ino = cgroup_ino(cgrp, 0);
	inode->i_op = &cgroupfs_dir_inode_operations;
	inode->i_fop = &cgroupfs_dir_operations;
	inode->i_nlink = 2;
	return inode;
}

static struct inode *cgroupfs_file_inode(struct super_block *sb, struct cgroup *cgrp,
					 struct cgroup_subsys_state *css, const struct cftype *cft, unsigned int idx)
{
	struct cgroup_file_info *info = kmalloc(sizeof(*info), GFP_KERNEL);
	struct inode *inode = info ? new_inode(sb) : NULL;

	if (!inode) {
		kfree(info);
		return NULL;
	}
	cgroup_get(cgrp);
	if (css)
		css_get(css);
	*info = (struct cgroup_file_info){ .cgrp = cgrp, .css = css, .cft = cft };
	inode->i_private = info;
	inode->i_mode = cftype_mode(cft);
	inode->i_ino = cgroup_ino(cgrp, idx + 1);
	inode->i_op = &cgroupfs_file_inode_operations;
	inode->i_fop = &cgroupfs_file_operations;
	return inode;
}

static void cgroupfs_evict_inode(struct inode *inode)
{
	if (S_ISDIR(inode->i_mode)) {
		cgroup_put(inode->i_private);
		return;
	}
	struct cgroup_file_info *info = inode->i_private;
	if (info->css)
		css_put(info->css);
	cgroup_put(info->cgrp);
	kfree(info);
}

/* A name stays valid while its cgroup lives, and a controller's file while its css is the cgroup's. */
static int cgroupfs_d_revalidate(struct dentry *d)
{
	struct inode *inode = d->d_inode;

	if (!inode)
		return 0;
	if (S_ISDIR(inode->i_mode))
		return !cgroup_is_dead(inode->i_private);
	struct cgroup_file_info *info = inode->i_private;
	if (cgroup_is_dead(info->cgrp))
		return 0;
	return !info->css || READ_ONCE(info->cgrp->subsys[info->css->ss->id]) == info->css;
}

static const struct dentry_operations cgroupfs_dentry_operations = {
	.d_revalidate = cgroupfs_d_revalidate,
};

static void cgroupfs_instantiate(struct dentry *d, struct inode *inode)
{
	d->d_op = &cgroupfs_dentry_operations;
	d_instantiate(d, inode);
}

/* A child cgroup or a control file of dir's cgroup; a removed cgroup has neither. */
static struct dentry *cgroupfs_lookup(struct inode *dir, struct dentry *d)
{
	struct cgroup *cgrp = dir->i_private, *child;
	struct cgroup_subsys_state *css;
	struct inode *inode = NULL;
	unsigned int idx;

	mutex_lock(&cgroup_mutex);
	if (cgroup_is_dead(cgrp))
		goto out;
	list_for_each_entry(child, &cgrp->children, sibling) {
		if (!strcmp(child->name, d->d_name)) {
			inode = cgroupfs_dir_inode(dir->i_sb, child);
			goto out;
		}
	}
	const struct cftype *cft = cgroup_find_file(cgrp, d->d_name, d->d_len, &css, &idx);
	if (cft)
		inode = cgroupfs_file_inode(dir->i_sb, cgrp, css, cft, idx);
out:
	mutex_unlock(&cgroup_mutex);
	if (inode)
		cgroupfs_instantiate(d, inode);
	return NULL;
}

static int cgroupfs_mkdir(struct inode *dir, struct dentry *d, umode_t mode)
{
	struct cgroup *parent = dir->i_private;

	mutex_lock(&cgroup_mutex);
	struct cgroup *cgrp = cgroup_create(parent, d->d_name);
	if (!IS_ERR(cgrp))
		cgrp->mode = mode & S_IALLUGO;
	struct inode *inode = IS_ERR(cgrp) ? NULL : cgroupfs_dir_inode(dir->i_sb, cgrp);
	mutex_unlock(&cgroup_mutex);
	if (IS_ERR(cgrp))
		return PTR_ERR(cgrp);
	if (!inode)
		return -ENOMEM;		/* the cgroup stays: a lookup finds it */
	cgroupfs_instantiate(d, inode);
	return 0;
}

static int cgroupfs_rmdir(struct inode *dir, struct dentry *d)
{
	return cgroup_rmdir(d->d_inode->i_private);
}

static const struct inode_operations cgroupfs_dir_inode_operations = {
	.lookup = cgroupfs_lookup,
	.mkdir = cgroupfs_mkdir,
	.rmdir = cgroupfs_rmdir,
};

/* ".", "..", the control files, then the children; ctx->pos counts entries. cgroup_mutex. */
static bool cgroupfs_emit(struct file *file, struct dir_context *ctx, struct cgroup *cgrp)
{
	struct cgroup_subsys_state *css;
	struct cgroup *child;
	loff_t n = 2;

	for (int i = 0; i <= CGROUP_SUBSYS_COUNT; i++) {
		const struct cftype *cft = cgroup_file_set(cgrp, i, &css);
		for (; cft && cft->name; cft++) {
			if (!cftype_visible(cft, cgrp) || n++ < ctx->pos)
				continue;
			if (!dir_emit(ctx, cft->name, strlen(cft->name), cgroup_ino(cgrp, n - 2), DT_REG))
				return false;
			ctx->pos = n;
		}
	}
	list_for_each_entry(child, &cgrp->children, sibling) {
		if (n++ < ctx->pos)
			continue;
		if (!dir_emit(ctx, child->name, strlen(child->name), cgroup_ino(child, 0), DT_DIR))
			return false;
		ctx->pos = n;
	}
	return true;
}

static int cgroupfs_readdir(struct file *file, struct dir_context *ctx)
{
	struct cgroup *cgrp = file->f_inode->i_private;

	if (ctx->pos == 0) {
		if (!dir_emit(ctx, ".", 1, file->f_inode->i_ino, DT_DIR))
			return 0;
		ctx->pos = 1;
	}
	if (ctx->pos == 1) {
		struct cgroup *up = cgrp->parent ? cgrp->parent : cgrp;
		if (!dir_emit(ctx, "..", 2, cgroup_ino(up, 0), DT_DIR))
			return 0;
		ctx->pos = 2;
	}
	mutex_lock(&cgroup_mutex);
	if (!cgroup_is_dead(cgrp))
		cgroupfs_emit(file, ctx, cgrp);
	mutex_unlock(&cgroup_mutex);
	return 0;
}

static const struct file_operations cgroupfs_dir_operations = {
	.llseek = generic_file_llseek,
	.iterate = cgroupfs_readdir,
};

/* ---- Control files ---- */

struct cgroup_of *seq_of(struct seq_file *m)
{
	return m->private;
}

struct cgroup_subsys_state *seq_css(struct seq_file *m)
{
	return seq_of(m)->css;
}

/* A file without seq_show or read_u64 cannot be read: EINVAL, as Linux says. */
static int cgroup_seqfile_show(struct seq_file *m, void *v)
{
	struct cgroup_of *of = m->private;

	if (of->cft->seq_show)
		return of->cft->seq_show(m, v);
	if (of->cft->read_u64) {
		seq_printf(m, "%llu\n", of->cft->read_u64(of->css, of->cft));
		return 0;
	}
	return -EINVAL;
}

static int cgroupfs_open(struct inode *inode, struct file *file)
{
	struct cgroup_file_info *info = inode->i_private;
	struct cgroup_of *of = kzalloc(sizeof(*of), GFP_KERNEL);

	if (!of)
		return -ENOMEM;
	*of = (struct cgroup_of){ .cgrp = info->cgrp, .css = info->css, .cft = info->cft, .file = file };
	int err = single_open(file, cgroup_seqfile_show, of);
	if (err) {
		kfree(of);
		return err;
	}
	cgroup_get(of->cgrp);
	if (of->css)
		css_get(of->css);
	return 0;
}

static int cgroupfs_release(struct inode *inode, struct file *file)
{
	struct cgroup_of *of = ((struct seq_file *)file->private_data)->private;

	if (of->cft->release)
		of->cft->release(of);
	if (of->css)
		css_put(of->css);
	cgroup_put(of->cgrp);
	kfree(of);
	return single_release(inode, file);
}

/*
 * A removed cgroup's files, and a controller's files once the controller is
 * disabled for the cgroup, stay open but serve nothing: reads and writes
 * fail with ENODEV, as kernfs's do once its node is deactivated. The open
 * file still pins the cgroup (and so its mount) until it is closed. The
 * check is made without cgroup_mutex: an operation already past it runs
 * on, against a cgroup or css its references keep.
 */
static bool cgroup_of_gone(const struct cgroup_of *of)
{
	return cgroup_is_dead(of->cgrp) || (of->css && !(READ_ONCE(of->css->flags) & CSS_ONLINE));
}

static ssize_t cgroupfs_read(struct file *file, char __user *ubuf, size_t count, loff_t *ppos)
{
	struct cgroup_of *of = ((struct seq_file *)file->private_data)->private;

	if (cgroup_of_gone(of))
		return -ENODEV;
	return seq_read(file, ubuf, count, ppos);
}

/* One write is one operation on the whole buffer (at most a page), NUL-terminated; none for 0 bytes. */
static ssize_t cgroupfs_write(struct file *file, const char __user *ubuf, size_t count, loff_t *ppos)
{
	struct cgroup_of *of = ((struct seq_file *)file->private_data)->private;
	const struct cftype *cft = of->cft;
	size_t len = min(count, PAGE_SIZE);
	ssize_t ret;

	if (cgroup_of_gone(of))
		return -ENODEV;
	if (!len)
		return 0;
	char *buf = kmalloc(len + 1, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	if (copy_from_user(buf, ubuf, len)) {
		kfree(buf);
		return -EFAULT;
	}
	buf[len] = 0;
	if (cft->write) {
		ret = cft->write(of, buf, len);
	} else if (cft->write_u64) {
		unsigned long long v;
		ret = kstrtoull(buf, 0, &v);
		if (!ret)
			ret = cft->write_u64(of->css, cft, v);
		if (!ret)
			ret = len;
	} else {
		ret = -EINVAL;
	}
	kfree(buf);
	if (ret > 0)
		*ppos += ret;
	return ret;
}

static const struct file_operations cgroupfs_file_operations = {
	.open = cgroupfs_open,
	.read = cgroupfs_read,
	.write = cgroupfs_write,
	.llseek = seq_lseek,
	.release = cgroupfs_release,
};

/* `echo 1 > file` opens with O_TRUNC: a control file accepts it and changes nothing, as on Linux. */
static int cgroupfs_setsize(struct inode *inode, loff_t size)
{
	return 0;
}

static const struct inode_operations cgroupfs_file_inode_operations = {
	.setsize = cgroupfs_setsize,
};

struct cgroup *cgroup_get_from_file(struct file *f)
{
	struct inode *inode = f->f_inode;

	if (inode->i_sb->s_type != &cgroup2_fs_type || !S_ISDIR(inode->i_mode))
		return ERR_PTR(-EBADF);
	cgroup_get(inode->i_private);
	return inode->i_private;
}

struct cgroup *cgroup_get_from_fd(int fd)
{
	struct file *f = fget_raw(fd);	/* opened with O_PATH, as service managers do */

	if (!f)
		return ERR_PTR(-EBADF);
	struct cgroup *cgrp = cgroup_get_from_file(f);
	fput(f);
	return cgrp;
}

const struct cftype *cgroup_file_cftype(struct file *f, struct cgroup **cgrp)
{
	struct inode *inode = f->f_inode;

	if (!is_cgroupfs(inode) || S_ISDIR(inode->i_mode))
		return NULL;
	struct cgroup_file_info *info = inode->i_private;
	*cgrp = info->cgrp;
	return info->cft;
}

/* ---- Super blocks and mounts ---- */

static void cgroup2_show_options(struct printbuf *out, struct dentry *root)
{
	unsigned int flags = READ_ONCE(cgrp_dfl_root.flags);

	if (flags & CGRP_ROOT_NSDELEGATE)
		prt_printf(out, ",nsdelegate");
	if (flags & CGRP_ROOT_MEMORY_RECURSIVE_PROT)
		prt_printf(out, ",memory_recursiveprot");
}

static void cgroup1_show_options(struct printbuf *out, struct dentry *root)
{
	for (int ssid = 0; ssid < CGROUP_SUBSYS_COUNT; ssid++)
		if (cgrp_v1_root.subsys_mask & (1 << ssid))
			prt_printf(out, ",%s", cgroup_subsys[ssid]->name);
}

static const struct super_operations cgroup2_sops = {
	.evict_inode = cgroupfs_evict_inode,
	.statfs = simple_statfs,
	.show_options = cgroup2_show_options,
};

static const struct super_operations cgroup1_sops = {
	.evict_inode = cgroupfs_evict_inode,
	.statfs = simple_statfs,
	.show_options = cgroup1_show_options,
};

static int cgroupfs_fill_root(struct super_block *sb, struct cgroup_root *root)
{
	sb->s_root = d_make_root(cgroupfs_dir_inode(sb, &root->cgrp));
	return sb->s_root ? 0 : -ENOMEM;
}

static int cgroup2_fill_super(struct super_block *sb, void *data, int silent)
{
	sb->s_magic = CGROUP2_SUPER_MAGIC;
	sb->s_op = &cgroup2_sops;
	return cgroupfs_fill_root(sb, &cgrp_dfl_root);
}

/* cgroup2's own options; the flag words every file system takes are handled before. */
static int cgroup2_parse_option(void *priv, char *key, char *val)
{
	unsigned int *flags = priv;

	if (!val && !strcmp(key, "nsdelegate"))
		*flags |= CGRP_ROOT_NSDELEGATE;
	else if (!val && !strcmp(key, "memory_recursiveprot"))
		*flags |= CGRP_ROOT_MEMORY_RECURSIVE_PROT;
	else {
		pr_err("cgroup2: Unknown parameter '%s'\n", key);
		return -EINVAL;
	}
	return 0;
}

static struct dentry *cgroup2_mount(struct file_system_type *type, int flags, const char *dev, void *data)
{
	unsigned long sb_flags = flags;
	unsigned int root_flags = 0;
	int err = data ? parse_mount_options(data, &sb_flags, cgroup2_parse_option, &root_flags) : 0;

	if (err)
		return ERR_PTR(err);
	struct dentry *root = mount_single(type, sb_flags, NULL, cgroup2_fill_super);
	if (!IS_ERR(root)) {
		mutex_lock(&cgroup_mutex);
		cgrp_dfl_root.flags = root_flags;	/* the last mount's, as Linux applies them */
		mutex_unlock(&cgroup_mutex);
	}
	return root;
}

static int cgroup1_fill_super(struct super_block *sb, void *data, int silent)
{
	sb->s_magic = CGROUP_SUPER_MAGIC;
	sb->s_op = &cgroup1_sops;
	mutex_lock(&cgroup_mutex);
	int err = cgroup1_get_root();
	mutex_unlock(&cgroup_mutex);
	if (err)
		return err;
	sb->s_fs_info = &cgrp_v1_root;	/* kill_sb gives the hierarchy back */
	return cgroupfs_fill_root(sb, &cgrp_v1_root);
}

/* What a v1 mount asks for: controllers by name, none named meaning all. */
struct cgroup1_opts {
	u16 subsys_mask;
	bool none;
};

static int cgroup1_parse_option(void *priv, char *key, char *val)
{
	struct cgroup1_opts *opts = priv;

	if (!val && !strcmp(key, "none")) {
		opts->none = true;
		return 0;
	}
	for (int ssid = 0; ssid < CGROUP_SUBSYS_COUNT; ssid++) {
		if (!val && !strcmp(key, cgroup_subsys[ssid]->name)) {
			opts->subsys_mask |= 1 << ssid;
			return 0;
		}
	}
	pr_err("cgroup: Unknown subsys name '%s'\n", key);
	return -EINVAL;
}

/* Linux's messages and errors; "none" needs a name, and Folio has no named hierarchies. */
static struct dentry *cgroup1_mount(struct file_system_type *type, int flags, const char *dev, void *data)
{
	struct cgroup1_opts opts = { 0 };
	unsigned long sb_flags = flags;
	int err = data ? parse_mount_options(data, &sb_flags, cgroup1_parse_option, &opts) : 0;

	if (err)
		return ERR_PTR(err);
	if (opts.none && !opts.subsys_mask) {
		pr_err("cgroup: Need name or subsystem set\n");
		return ERR_PTR(-EINVAL);
	}
	return mount_single(type, sb_flags, NULL, cgroup1_fill_super);
}

static void cgroup_kill_sb(struct super_block *sb)
{
	kill_anon_super(sb);
	if (sb->s_fs_info) {
		mutex_lock(&cgroup_mutex);
		cgroup1_put_root();
		mutex_unlock(&cgroup_mutex);
	}
}

static struct file_system_type cgroup_fs_type = {
	.name = "cgroup",
	.fs_flags = FS_RMDIR_NONEMPTY,
	.mount = cgroup1_mount,
	.kill_sb = cgroup_kill_sb,
};

static struct file_system_type cgroup2_fs_type = {
	.name = "cgroup2",
	.fs_flags = FS_RMDIR_NONEMPTY,
	.mount = cgroup2_mount,
	.kill_sb = kill_anon_super,
};

int cgroup_fs_init(void)
{
	int err = register_filesystem(&cgroup_fs_type);

	if (!err)
		err = register_filesystem(&cgroup2_fs_type);
	if (!err)
		err = cgroup_proc_init();
	return err;
}
