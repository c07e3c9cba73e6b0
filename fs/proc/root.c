/*
 * The root of /proc (Linux: fs/proc/root.c): the directory that holds both
 * the registered entries (meminfo, sys/, self, ...) and one directory per
 * process, the boot-time registration of every system-wide entry, and the
 * file system type "proc" that mount(2) finds (each mount a new super block
 * whose root shows this same tree).
 *
 * Readdir positions: 0 and 1 are "." and "..", 2.. the registered entries
 * in order, then FIRST_PROCESS_ENTRY + tgid for the processes (base.c), so
 * a listing resumes at the right process even if others came and went.
 *
 * Locking: none of its own (generic.c's proc_subdir_lock, base.c's
 * tasklist_lock walks).
 */
#include <kernel/kernel.h>
#include <lib/string.h>
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
 * Linux's proc options are gid=, hidepid= and subset=. Folio shows every
 * process to everyone: hidepid=0 (or off), the default, is accepted, and
 * gid=, which only matters with the others; the rest are refused.
 */
static int proc_parse_option(void *priv, char *key, char *val)
{
	if (!strcmp(key, "hidepid") && val && (!strcmp(val, "0") || !strcmp(val, "off")))
		return 0;
	if (!strcmp(key, "gid") && val && *val)
		return 0;
	if (!strcmp(key, "hidepid") || !strcmp(key, "subset"))
		pr_err("proc: %s=%s is not supported: every process is shown\n", key, val ? val : "");
	else
		pr_err("proc: Unknown parameter '%s'\n", key);
	return -EINVAL;
}

static struct dentry *proc_mount(struct file_system_type *type, int flags, const char *dev, void *data)
{
	unsigned long sb_flags = flags;
	int err = data ? parse_mount_options(data, &sb_flags, proc_parse_option, NULL) : 0;

	return err ? ERR_PTR(err) : mount_nodev(type, sb_flags, NULL, proc_fill_super);
}

/* Each mount is an instance of its own; its dentries come and go with their users, nothing is pinned. */
static struct file_system_type proc_fs_type = {
	.name = "proc",
	.mount = proc_mount,
	.kill_sb = kill_anon_super,
};

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
	proc_filesystems_init();
	if (!proc_symlink("mounts", NULL, "self/mounts"))
		pr_err("proc: cannot create /proc/mounts\n");
	if (register_filesystem(&proc_fs_type))
		panic("proc: cannot register the file system");
}
