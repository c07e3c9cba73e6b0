/*
 * The root of /proc (Linux: fs/proc/root.c): the directory that holds both
 * the registered entries (meminfo, sys/, self, ...) and one directory per
 * process, and the boot-time registration of every system-wide entry.
 *
 * Readdir positions: 0 and 1 are "." and "..", 2.. the registered entries
 * in order, then FIRST_PROCESS_ENTRY + tgid for the processes (base.c), so
 * a listing resumes at the right process even if others came and went.
 *
 * Locking: none of its own (generic.c's proc_subdir_lock, base.c's
 * tasklist_lock walks).
 */
#include <kernel/kernel.h>
#include <fs/dcache.h>
#include <fs/uapi.h>
#include <mm/mm.h>
#include <mm/slab.h>
#include <mm/vmstat.h>
#include <kernel/sysrq.h>
#include "internal.h"
#include "../internal.h"

static struct dentry *proc_root_lookup(struct inode *dir, struct dentry *d)
{
	int pid = name_to_int(d->d_name, d->d_len);

	if (pid >= 0)
		return proc_pid_lookup(d, pid);
	return proc_lookup_de(dir, d, &proc_root);
}

static int proc_root_readdir(struct file *file, struct dir_context *ctx)
{
	if (ctx->pos < FIRST_PROCESS_ENTRY) {
		if (!proc_readdir_de(file, ctx, &proc_root))
			return 0;
		WARN_ON_ONCE(ctx->pos > FIRST_PROCESS_ENTRY);	/* too many entries in /proc itself */
		ctx->pos = FIRST_PROCESS_ENTRY;
	}
	return proc_pid_readdir(file, ctx);
}

static const struct inode_operations proc_root_inode_operations = {
	.lookup = proc_root_lookup,
};

static const struct file_operations proc_root_operations = {
	.llseek = generic_file_llseek,
	.iterate = proc_root_readdir,
};

struct proc_dir_entry proc_root = {
	.refcnt = 1,		/* never freed */
	.low_ino = PROC_ROOT_INO,
	.mode = S_IFDIR | 0555,
	.nlink = 2,
	.proc_iops = &proc_root_inode_operations,
	.proc_dir_ops = &proc_root_operations,
	.parent = &proc_root,
	.subdir = LIST_HEAD_INIT(proc_root.subdir),
	.subdir_node = LIST_HEAD_INIT(proc_root.subdir_node),
	.namelen = 5,
	.name = "/proc",
};

/*
 * ---- Mount shim -------------------------------------------------------
 * There is no mount(2) and no file_system_type registry: the kernel mounts
 * one proc instance on /proc itself, at boot. With a registry, proc
 * registers "proc" instead and its ->mount() makes this same root.
 */
void proc_mount_at_boot(void)
{
	struct super_block *sb = proc_alloc_super();
	struct inode *root = sb ? proc_get_inode(sb, pde_get(&proc_root)) : NULL;
	int err = root ? 0 : -ENOMEM;

	if (!err && (err = do_mkdirat(AT_FDCWD, "/proc", 0555)) == -EEXIST)
		err = 0;
	if (!err)
		err = vfs_mount_root("/proc", root);
	else
		iput(root);
	if (err)
		pr_err("proc: cannot mount /proc: error %d\n", err);
}
/* ---- end of the mount shim ---- */

/* Everything /proc shows about the system as a whole, from the subsystems that keep it. */
void proc_root_init(void)
{
	proc_self_init();
	proc_meminfo_init();
	proc_misc_init();
	vmstat_proc_init();
	slabinfo_proc_init();
	swap_proc_init();
	sysrq_proc_init();
	proc_sys_init();
	proc_mount_at_boot();
}
