/*
 * The v1 hierarchy (Linux: kernel/cgroup/cgroup-v1.c): binding the
 * controllers to it when it is first mounted and giving them back when its
 * last mount goes, and its core files (tasks, cgroup.procs,
 * notify_on_release, ...).
 *
 * Folio has one controller, so one v1 hierarchy at most: mount -t cgroup
 * -o memory (or with no controller named). A controller can move to v1
 * only while no cgroup of v2 other than the root has a css of it, dying
 * ones included (Linux's rule: EBUSY otherwise); moving takes it out of
 * the v2 root's cgroup.subtree_control. The root's css moves along, so the
 * root group's counts go on. Every task joins the v1 root. When the last
 * mount goes and the hierarchy has no cgroup below its root (live or
 * dying), it is taken apart and the controllers go back to v2; otherwise
 * it stays, and the next mount shows it again.
 *
 * The pid files of v1 are sorted and free of duplicates (Linux's
 * pidlists), where v2 lists in the order of its task lists.
 *
 * Locking: cgroup_mutex, then cgroup_threadgroup_rwsem for writing while
 * the tasks change hierarchy, so no fork slips through.
 */
#include <kernel/kernel.h>
#include <kernel/cgroup.h>
#include <kernel/sched.h>
#include <kernel/sched/task.h>
#include <lib/string.h>
#include <mm/slab.h>
#include <fs/seq_file.h>
#include <uapi/errno.h>
#include "cgroup-internal.h"

static char release_agent_path[256];	/* v1's release_agent: kept and shown; cgroup_mutex */

/* Move the controllers in mask, with their root csses, to dst's root. cgroup_mutex. */
static void rebind_subsystems(struct cgroup_root *dst, struct cgroup_root *src, u16 mask)
{
	unsigned long flags;

	spin_lock_irqsave(&css_set_lock, flags);
	for (int ssid = 0; ssid < CGROUP_SUBSYS_COUNT; ssid++) {
		if (!(mask & (1 << ssid)))
			continue;
		struct cgroup_subsys_state *css = src->cgrp.subsys[ssid];
		src->cgrp.subsys[ssid] = NULL;
		dst->cgrp.subsys[ssid] = css;
		css->cgroup = &dst->cgrp;
		cgroup_subsys[ssid]->root = dst;
	}
	src->subsys_mask &= ~mask;
	src->cgrp.subtree_control &= ~mask;
	dst->subsys_mask |= mask;
	spin_unlock_irqrestore(&css_set_lock, flags);
}

/* Every task (but the idle task, never listed) joins the new hierarchy's root. */
static void cgroup1_link_all_tasks(struct cgroup_root *root)
{
	unsigned long flags, flags2;
	struct task_struct *p;

	spin_lock_irqsave(&tasklist_lock, flags);
	spin_lock_irqsave(&css_set_lock, flags2);
	list_for_each_entry(p, &init_task.tasks, tasks)
		css_set_move_task(p, root->hierarchy_id, &root->cgrp);
	spin_unlock_irqrestore(&css_set_lock, flags2);
	spin_unlock_irqrestore(&tasklist_lock, flags);
}

/* And leave it: everyone is in the root, which has no child. */
static void cgroup1_unlink_all_tasks(struct cgroup_root *root)
{
	struct list_head *n, *next;
	unsigned long flags;

	spin_lock_irqsave(&css_set_lock, flags);
	list_for_each_safe(n, next, &root->cgrp.tasks)
		css_set_move_task(cg_list_task(n, root->hierarchy_id), root->hierarchy_id, NULL);
	spin_unlock_irqrestore(&css_set_lock, flags);
}

int cgroup1_get_root(void)
{
	struct cgroup_root *root = &cgrp_v1_root;
	u16 mask = 0;

	if (root->active) {
		root->nr_sbs++;
		return 0;
	}
	for (int ssid = 0; ssid < CGROUP_SUBSYS_COUNT; ssid++) {
		struct cgroup_subsys_state *css = cgrp_dfl_root.cgrp.subsys[ssid];
		if (!css || __atomic_load_n(&css->nr_children, __ATOMIC_RELAXED))
			return -EBUSY;
		mask |= 1 << ssid;
	}
	init_cgroup_root(root);
	root->hierarchy_id = CGROUP_V1_HIERARCHY;
	down_write(&cgroup_threadgroup_rwsem);
	rebind_subsystems(root, &cgrp_dfl_root, mask);
	cgroup1_link_all_tasks(root);
	up_write(&cgroup_threadgroup_rwsem);
	root->active = true;
	root->nr_sbs = 1;
	return 0;
}

void cgroup1_put_root(void)
{
	struct cgroup_root *root = &cgrp_v1_root;

	if (--root->nr_sbs || !list_empty(&root->cgrp.children) ||
	    __atomic_load_n(&root->cgrp.nr_dying_descendants, __ATOMIC_RELAXED))
		return;
	down_write(&cgroup_threadgroup_rwsem);
	cgroup1_unlink_all_tasks(root);
	rebind_subsystems(&cgrp_dfl_root, root, root->subsys_mask);
	up_write(&cgroup_threadgroup_rwsem);
	root->active = false;
}

/* ---- The core files of v1 ---- */

/* The pids (tgids for procs) of the live tasks, sorted and each once: a bitmap of pid numbers does both. */
static int cgroup1_pidlist_show(struct seq_file *m, bool procs)
{
	struct cgroup *cgrp = seq_of(m)->cgrp;
	unsigned long *bits = kzalloc(PID_MAX / 8, GFP_KERNEL), flags;
	struct list_head *n;

	if (!bits)
		return -ENOMEM;
	spin_lock_irqsave(&css_set_lock, flags);
	list_for_each(n, &cgrp->tasks) {
		struct task_struct *t = cg_list_task(n, CGROUP_V1_HIERARCHY);
		pid_t pid = procs ? t->tgid : t->pid;
		if (!t->cgroups.dead)
			bits[pid / BITS_PER_LONG] |= 1UL << (pid % BITS_PER_LONG);
	}
	spin_unlock_irqrestore(&css_set_lock, flags);
	for (pid_t pid = 0; pid < PID_MAX; pid++)
		if (bits[pid / BITS_PER_LONG] & (1UL << (pid % BITS_PER_LONG)))
			seq_printf(m, "%d\n", pid);
	kfree(bits);
	return 0;
}

static int cgroup1_procs_show(struct seq_file *m, void *v)
{
	return cgroup1_pidlist_show(m, true);
}

static int cgroup1_tasks_show(struct seq_file *m, void *v)
{
	return cgroup1_pidlist_show(m, false);
}

static ssize_t cgroup1_procs_write(struct cgroup_of *of, char *buf, size_t nbytes)
{
	return __cgroup_procs_write(of, buf, nbytes, true);
}

static ssize_t cgroup1_tasks_write(struct cgroup_of *of, char *buf, size_t nbytes)
{
	return __cgroup_procs_write(of, buf, nbytes, false);
}

/* notify_on_release and cgroup.clone_children: kept and shown (Folio runs no release agent). */
static bool *cgroup1_flag(struct cgroup *cgrp, const struct cftype *cft)
{
	return cft->private ? &cgrp->clone_children : &cgrp->notify_on_release;
}

static int cgroup1_flag_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%d\n", READ_ONCE(*cgroup1_flag(seq_of(m)->cgrp, seq_of(m)->cft)));
	return 0;
}

static ssize_t cgroup1_flag_write(struct cgroup_of *of, char *buf, size_t nbytes)
{
	unsigned long long val;
	int err = kstrtoull(buf, 0, &val);

	if (err)
		return err;
	WRITE_ONCE(*cgroup1_flag(of->cgrp, of->cft), val != 0);
	return nbytes;
}

static int cgroup_sane_behavior_show(struct seq_file *m, void *v)
{
	seq_puts(m, "0\n");
	return 0;
}

static int cgroup_release_agent_show(struct seq_file *m, void *v)
{
	mutex_lock(&cgroup_mutex);
	seq_printf(m, "%s\n", release_agent_path);
	mutex_unlock(&cgroup_mutex);
	return 0;
}

static ssize_t cgroup_release_agent_write(struct cgroup_of *of, char *buf, size_t nbytes)
{
	char *s = strim(buf);

	if (strlen(s) >= sizeof(release_agent_path))
		return -EINVAL;
	mutex_lock(&cgroup_mutex);
	strlcpy(release_agent_path, s, sizeof(release_agent_path));
	mutex_unlock(&cgroup_mutex);
	return nbytes;
}

const struct cftype cgroup1_base_files[] = {
	{ .name = "cgroup.procs", .seq_show = cgroup1_procs_show, .write = cgroup1_procs_write },
	{ .name = "cgroup.clone_children", .private = 1, .seq_show = cgroup1_flag_show,
	  .write = cgroup1_flag_write },
	{ .name = "cgroup.sane_behavior", .flags = CFTYPE_ONLY_ON_ROOT, .seq_show = cgroup_sane_behavior_show },
	{ .name = "tasks", .seq_show = cgroup1_tasks_show, .write = cgroup1_tasks_write },
	{ .name = "notify_on_release", .seq_show = cgroup1_flag_show, .write = cgroup1_flag_write },
	{ .name = "release_agent", .flags = CFTYPE_ONLY_ON_ROOT, .seq_show = cgroup_release_agent_show,
	  .write = cgroup_release_agent_write },
	{ .name = NULL },
};
