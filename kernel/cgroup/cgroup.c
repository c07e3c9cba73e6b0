/*
 * The cgroup core (Linux: kernel/cgroup/cgroup.c): the hierarchies, their
 * cgroups and the controllers' states in them (csses), which tasks are in
 * which cgroup, and the core control files of cgroup v2. The file systems
 * that show them are in cgroupfs.c, the v1 hierarchy's own files in
 * cgroup-v1.c; include/kernel/cgroup.h has the types, lifetimes and locks.
 *
 * Membership. Every task is in one cgroup of the default hierarchy, and of
 * the v1 hierarchy while it exists. A child starts where its parent is (or
 * in the cgroup clone3()'s CLONE_INTO_CGROUP names); writing a pid to
 * cgroup.procs moves a whole process, to cgroup.threads (v2) or tasks (v1)
 * one thread. A cgroup is populated while it or a descendant has a task
 * that has not exited: cgroup_exit() in do_exit() ends a task's part, so a
 * group whose tasks are all zombies is no longer populated, as on Linux,
 * although the zombies stay members (/proc/PID/cgroup) until freed.
 *
 * Charges are the controllers' business: moving a task does not move what
 * it was charged for (cgroup v2's rule, and v1's default).
 *
 * Locking: cgroup_mutex, cgroup_threadgroup_rwsem, css_set_lock, in that
 * order, as the header explains; tasklist_lock nests between the rwsem and
 * css_set_lock.
 */
#include <kernel/kernel.h>
#include <kernel/cgroup.h>
#include <kernel/sched.h>
#include <kernel/sched/task.h>
#include <kernel/sched/signal.h>
#include <kernel/signal.h>
#include <lib/string.h>
#include <mm/slab.h>
#include <fs/seq_file.h>
#include <fs/proc_fs.h>
#include <uapi/errno.h>
#include <uapi/sched.h>
#include "cgroup-internal.h"

DEFINE_MUTEX(cgroup_mutex);
DEFINE_SPINLOCK(css_set_lock);
DECLARE_RWSEM(cgroup_threadgroup_rwsem);

struct cgroup_root cgrp_dfl_root;
struct cgroup_root cgrp_v1_root;
struct cgroup_subsys *cgroup_subsys[CGROUP_SUBSYS_COUNT] = {
	[memory_cgrp_id] = &memory_cgrp_subsys,
};
static u64 cgroup_last_id;		/* atomic: the ids handed out */

struct cgroup_root *hierarchy_root(enum cgroup_hierarchy h)
{
	return h == CGROUP_DFL_HIERARCHY ? &cgrp_dfl_root : &cgrp_v1_root;
}

/* ---- References ---- */

/* Roots are static and live for good: only other cgroups are counted. */
void cgroup_get(struct cgroup *cgrp)
{
	if (cgrp->parent)
		WARN_ON(__atomic_fetch_add(&cgrp->refcnt, 1, __ATOMIC_RELAXED) <= 0);
}

/* A removed cgroup's last reference: it stops counting as dying above it. Any context. */
static void cgroup_free(struct cgroup *cgrp)
{
	struct cgroup *parent = cgrp->parent;

	if (cgroup_is_dead(cgrp))
		for (struct cgroup *a = parent; a; a = a->parent)
			__atomic_sub_fetch(&a->nr_dying_descendants, 1, __ATOMIC_RELAXED);
	__atomic_sub_fetch(&cgrp->root->nr_cgrps, 1, __ATOMIC_RELAXED);
	kfree(cgrp->name);
	kfree(cgrp);
	cgroup_put(parent);
}

void cgroup_put(struct cgroup *cgrp)
{
	if (!cgrp->parent)
		return;
	int left = __atomic_sub_fetch(&cgrp->refcnt, 1, __ATOMIC_ACQ_REL);
	if (!WARN_ON(left < 0) && !left)
		cgroup_free(cgrp);
}

void css_get(struct cgroup_subsys_state *css)
{
	if (!(css->flags & CSS_NO_REF))
		WARN_ON(__atomic_fetch_add(&css->refcnt, 1, __ATOMIC_RELAXED) <= 0);
}

/* The last reference to a css: the controller frees it, then its parent and cgroup lose one. */
static void css_release(struct cgroup_subsys_state *css)
{
	struct cgroup_subsys_state *parent = css->parent;
	struct cgroup *cgrp = css->cgroup;

	css->ss->css_free(css);
	if (parent) {
		__atomic_sub_fetch(&parent->nr_children, 1, __ATOMIC_RELAXED);
		css_put(parent);
	}
	cgroup_put(cgrp);
}

void css_put(struct cgroup_subsys_state *css)
{
	if (css->flags & CSS_NO_REF)
		return;
	int left = __atomic_sub_fetch(&css->refcnt, 1, __ATOMIC_ACQ_REL);
	if (!WARN_ON(left < 0) && !left)
		css_release(css);
}

/* ---- Csses ---- */

struct cgroup_subsys_state *cgroup_e_css(struct cgroup *cgrp, enum cgroup_subsys_id ssid)
{
	while (!cgrp->subsys[ssid])
		cgrp = cgrp->parent;	/* the root of the hierarchy ssid is bound to has one */
	return cgrp->subsys[ssid];
}

struct cgroup_subsys_state *task_css(struct task_struct *t, enum cgroup_subsys_id ssid)
{
	struct cgroup_root *root = cgroup_subsys[ssid]->root;
	struct cgroup *cgrp = t->cgroups.cgrp[root->hierarchy_id];

	return cgroup_e_css(cgrp ? cgrp : &root->cgrp, ssid);
}

/* Give cgrp its own css of ss, below its parent's; cgroup_mutex. */
int css_create(struct cgroup *cgrp, struct cgroup_subsys *ss)
{
	struct cgroup_subsys_state *parent = cgrp->parent->subsys[ss->id];
	struct cgroup_subsys_state *css = ss->css_alloc(parent);
	unsigned long flags;

	if (IS_ERR(css))
		return PTR_ERR(css);
	css->cgroup = cgrp;
	css->ss = ss;
	css->parent = parent;
	css->refcnt = 1;		/* the base reference: cgrp->subsys[] */
	css->flags = CSS_ONLINE;
	css_get(parent);
	__atomic_add_fetch(&parent->nr_children, 1, __ATOMIC_RELAXED);
	cgroup_get(cgrp);
	spin_lock_irqsave(&css_set_lock, flags);
	cgrp->subsys[ss->id] = css;
	spin_unlock_irqrestore(&css_set_lock, flags);
	if (ss->css_online)
		ss->css_online(css);
	return 0;
}

/* Take cgrp's css of ss away: its tasks use the parent's from now on, and it dies with its last reference. */
void kill_css(struct cgroup *cgrp, enum cgroup_subsys_id ssid)
{
	struct cgroup_subsys_state *css = cgrp->subsys[ssid];
	unsigned long flags;

	spin_lock_irqsave(&css_set_lock, flags);
	cgrp->subsys[ssid] = NULL;
	spin_unlock_irqrestore(&css_set_lock, flags);
	WRITE_ONCE(css->flags, css->flags & ~CSS_ONLINE);	/* cgroupfs reads it unlocked */
	if (css->ss->css_offline)
		css->ss->css_offline(css);
	css_put(css);
}

/* ---- Cgroups ---- */

static void init_cgroup_housekeeping(struct cgroup *cgrp)
{
	INIT_LIST_HEAD(&cgrp->sibling);
	INIT_LIST_HEAD(&cgrp->children);
	INIT_LIST_HEAD(&cgrp->tasks);
	cgrp->max_descendants = INT_MAX;
	cgrp->max_depth = INT_MAX;
	cgrp->id = __atomic_add_fetch(&cgroup_last_id, 1, __ATOMIC_RELAXED);
}

void init_cgroup_root(struct cgroup_root *root)
{
	static char empty[] = "";
	struct cgroup *cgrp = &root->cgrp;

	memset(cgrp, 0, sizeof(*cgrp));
	init_cgroup_housekeeping(cgrp);
	cgrp->root = root;
	cgrp->name = empty;
	cgrp->mode = 0555;	/* Linux's cgroup roots are read-only directories, but for mkdir */
	root->nr_cgrps = 1;
}

/* Would a new child of parent break a cgroup.max.depth or cgroup.max.descendants on the way up? */
static bool cgroup_check_hierarchy_limits(struct cgroup *parent)
{
	int level = 1;

	for (struct cgroup *c = parent; c; c = c->parent, level++)
		if (c->nr_descendants >= c->max_descendants || level > c->max_depth)
			return false;
	return true;
}

/* The csses a new cgroup starts with: what its parent enables (v2), or every bound controller (v1). */
static u16 cgroup_initial_ss_mask(struct cgroup *parent)
{
	return cgroup_on_dfl(parent) ? parent->subtree_control : parent->root->subsys_mask;
}

static struct cgroup *cgroup_alloc(struct cgroup *parent, const char *name)
{
	struct cgroup *cgrp = kzalloc(sizeof(*cgrp), GFP_KERNEL);
	size_t len = strlen(name);

	if (!cgrp)
		return NULL;
	cgrp->name = kmalloc(len + 1, GFP_KERNEL);
	if (!cgrp->name) {
		kfree(cgrp);
		return NULL;
	}
	memcpy(cgrp->name, name, len + 1);
	init_cgroup_housekeeping(cgrp);
	cgrp->root = parent->root;
	cgrp->parent = parent;
	cgrp->level = parent->level + 1;
	cgrp->refcnt = 1;		/* the hierarchy's, until rmdir */
	cgroup_get(parent);
	__atomic_add_fetch(&cgrp->root->nr_cgrps, 1, __ATOMIC_RELAXED);
	return cgrp;
}

/* mkdir: a new child of parent named name, with the csses it is due; cgroup_mutex. */
struct cgroup *cgroup_create(struct cgroup *parent, const char *name)
{
	if (cgroup_is_dead(parent))
		return ERR_PTR(-ENODEV);
	if (strchr(name, '\n'))
		return ERR_PTR(-EINVAL);
	if (!cgroup_check_hierarchy_limits(parent))
		return ERR_PTR(-EAGAIN);
	struct cgroup *cgrp = cgroup_alloc(parent, name);
	if (!cgrp)
		return ERR_PTR(-ENOMEM);
	u16 mask = cgroup_initial_ss_mask(parent);
	for (int ssid = 0; ssid < CGROUP_SUBSYS_COUNT; ssid++) {
		int err = (mask & (1 << ssid)) ? css_create(cgrp, cgroup_subsys[ssid]) : 0;
		if (err) {
			cgroup_destroy(cgrp);
			return ERR_PTR(err);
		}
	}
	list_add_tail(&cgrp->sibling, &parent->children);
	for (struct cgroup *a = parent; a; a = a->parent)
		a->nr_descendants++;
	return cgrp;
}

/* Remove a cgroup that has no task and no child (or was never linked); cgroup_mutex. */
void cgroup_destroy(struct cgroup *cgrp)
{
	__atomic_fetch_or(&cgrp->flags, 1UL << CGRP_DEAD, __ATOMIC_RELEASE);
	for (int ssid = 0; ssid < CGROUP_SUBSYS_COUNT; ssid++)
		if (cgrp->subsys[ssid])
			kill_css(cgrp, ssid);
	bool linked = !list_empty(&cgrp->sibling);
	list_del_init(&cgrp->sibling);
	for (struct cgroup *a = cgrp->parent; a; a = a->parent) {
		if (linked)
			a->nr_descendants--;
		__atomic_add_fetch(&a->nr_dying_descendants, 1, __ATOMIC_RELAXED);	/* until cgroup_free() */
	}
	cgroup_put(cgrp);		/* the hierarchy's */
}

/* rmdir: only a cgroup with no task left and no live child, as Linux (EBUSY). */
int cgroup_rmdir(struct cgroup *cgrp)
{
	unsigned long flags;
	int err = 0;

	mutex_lock(&cgroup_mutex);
	spin_lock_irqsave(&css_set_lock, flags);
	if (!cgrp->parent)
		err = -EBUSY;
	else if (cgroup_is_dead(cgrp))
		err = -ENOENT;
	else if (cgroup_is_populated(cgrp) || !list_empty(&cgrp->children))
		err = -EBUSY;
	spin_unlock_irqrestore(&css_set_lock, flags);
	if (!err)
		cgroup_destroy(cgrp);
	mutex_unlock(&cgroup_mutex);
	return err;
}

/* The next cgroup after pos in a pre-order walk of root's subtree, or NULL; cgroup_mutex. */
struct cgroup *cgroup_next_descendant_pre(struct cgroup *pos, struct cgroup *root)
{
	if (!list_empty(&pos->children))
		return list_first_entry(&pos->children, struct cgroup, sibling);
	for (; pos != root; pos = pos->parent)
		if (pos->sibling.next != &pos->parent->children)
			return list_next_entry(pos, sibling);
	return NULL;
}

int cgroup_path(struct cgroup *cgrp, char *buf, size_t size)
{
	size_t len = 0;

	if (!cgrp->parent)
		return snprintf(buf, size, "/") < (int)size ? 1 : -ENAMETOOLONG;
	for (struct cgroup *c = cgrp; c->parent; c = c->parent)
		len += strlen(c->name) + 1;
	if (len + 1 > size)
		return -ENAMETOOLONG;
	buf[len] = 0;
	for (struct cgroup *c = cgrp; c->parent; c = c->parent) {
		size_t n = strlen(c->name);
		len -= n;
		memcpy(buf + len, c->name, n);
		buf[--len] = '/';
	}
	return strlen(buf);
}

/* ---- Tasks ---- */

/* The task whose cg_list[h] is n. */
struct task_struct *cg_list_task(struct list_head *n, enum cgroup_hierarchy h)
{
	return container_of(n - h, struct task_struct, cgroups.cg_list[0]);
}

/* A live task came (adj 1) or went (-1): populated changes propagate up; css_set_lock. */
static void cgroup_update_populated(struct cgroup *cgrp, int adj)
{
	bool child = false;

	do {
		bool was = cgroup_is_populated(cgrp);
		if (child)
			cgrp->nr_populated_children += adj;
		else
			cgrp->nr_populated_tasks += adj;
		if (was == cgroup_is_populated(cgrp))
			break;
		child = true;
		cgrp = cgrp->parent;
	} while (cgrp);
}

/*
 * Make to t's cgroup in hierarchy h (NULL: none), taking a reference on it;
 * returns the one it leaves, whose reference the caller drops. css_set_lock.
 */
struct cgroup *css_set_move_task(struct task_struct *t, enum cgroup_hierarchy h, struct cgroup *to)
{
	struct cgroup *from = t->cgroups.cgrp[h];

	if (from == to)
		return NULL;
	if (from) {
		list_del_init(&t->cgroups.cg_list[h]);
		if (!t->cgroups.dead)
			cgroup_update_populated(from, -1);
	}
	if (to) {
		cgroup_get(to);
		list_add_tail(&t->cgroups.cg_list[h], &to->tasks);
		if (!t->cgroups.dead)
			cgroup_update_populated(to, 1);
	}
	t->cgroups.cgrp[h] = to;
	return from;
}

void cgroup_fork(struct task_struct *child)
{
	for (int h = 0; h < CGROUP_NR_HIERARCHIES; h++) {
		child->cgroups.cgrp[h] = NULL;
		INIT_LIST_HEAD(&child->cgroups.cg_list[h]);
	}
	child->cgroups.dead = false;
}

void cgroup_post_fork(struct task_struct *child, struct kernel_clone_args *kargs)
{
	unsigned long flags;

	spin_lock_irqsave(&css_set_lock, flags);
	for (int h = 0; h < CGROUP_NR_HIERARCHIES; h++) {
		struct cgroup *cgrp = current->cgroups.cgrp[h];
		if (h == CGROUP_DFL_HIERARCHY && kargs->cgrp)
			cgrp = kargs->cgrp;
		if (cgrp)
			css_set_move_task(child, h, cgrp);
	}
	spin_unlock_irqrestore(&css_set_lock, flags);
	cgroup_cancel_fork(kargs);	/* what can_fork took */
}

void cgroup_exit(struct task_struct *tsk)
{
	unsigned long flags;

	spin_lock_irqsave(&css_set_lock, flags);
	tsk->cgroups.dead = true;
	for (int h = 0; h < CGROUP_NR_HIERARCHIES; h++)
		if (tsk->cgroups.cgrp[h])
			cgroup_update_populated(tsk->cgroups.cgrp[h], -1);
	spin_unlock_irqrestore(&css_set_lock, flags);
}

void cgroup_release(struct task_struct *tsk)
{
	struct cgroup *left[CGROUP_NR_HIERARCHIES];
	unsigned long flags;

	spin_lock_irqsave(&css_set_lock, flags);
	for (int h = 0; h < CGROUP_NR_HIERARCHIES; h++)
		left[h] = css_set_move_task(tsk, h, NULL);
	spin_unlock_irqrestore(&css_set_lock, flags);
	for (int h = 0; h < CGROUP_NR_HIERARCHIES; h++)
		if (left[h])
			cgroup_put(left[h]);
}

/*
 * Moving a task: the checks of cgroup v2 (Linux's cgroup_attach_permissions()).
 * No task may sit in a cgroup that enables controllers for its children,
 * the root excepted ("no internal processes"): EBUSY. Without threaded
 * cgroups a thread cannot leave its process's cgroup: EOPNOTSUPP.
 */
int cgroup_attach_permissions(struct cgroup *src, struct cgroup *dst, bool threadgroup)
{
	if (!cgroup_on_dfl(dst))
		return 0;
	if (dst->parent && dst->subtree_control)
		return -EBUSY;
	if (!threadgroup && src != dst)
		return -EOPNOTSUPP;
	return 0;
}

/*
 * Move leader (and with threadgroup, every thread of its process) to dst.
 * Exiting tasks stay where they are, as on Linux. cgroup_mutex and
 * cgroup_threadgroup_rwsem (write): no fork can slip a thread by.
 */
void cgroup_attach_task(struct cgroup *dst, struct task_struct *leader, bool threadgroup)
{
	enum cgroup_hierarchy h = dst->root->hierarchy_id;
	unsigned long flags, flags2;
	struct task_struct *t;
	struct cgroup *from;

	spin_lock_irqsave(&tasklist_lock, flags);
	spin_lock_irqsave(&css_set_lock, flags2);
	/* The cgroups left keep other references (the hierarchy's, as they were populated): never the last. */
	if (!(leader->flags & PF_EXITING) && (from = css_set_move_task(leader, h, dst)))
		cgroup_put(from);
	if (threadgroup)
		list_for_each_entry(t, &leader->thread_group, thread_group)
			if (!(t->flags & PF_EXITING) && (from = css_set_move_task(t, h, dst)))
				cgroup_put(from);
	spin_unlock_irqrestore(&css_set_lock, flags2);
	spin_unlock_irqrestore(&tasklist_lock, flags);
}

/*
 * The task a write to cgroup.procs, cgroup.threads or tasks names (0:
 * the writer), referenced: its process's leader with threadgroup.
 * EINVAL for a bad number or a kernel thread, ESRCH for no such task.
 */
struct task_struct *cgroup_procs_write_start(char *buf, bool threadgroup)
{
	struct task_struct *tsk;
	int pid;

	if (kstrtoint(strim(buf), 0, &pid) || pid < 0)
		return ERR_PTR(-EINVAL);
	tsk = pid ? find_get_task_by_pid(pid) : current;
	if (!tsk)
		return ERR_PTR(-ESRCH);
	if (!pid)
		get_task_struct(tsk);
	if (threadgroup && tsk != tsk->group_leader) {
		struct task_struct *leader = tsk->group_leader;
		get_task_struct(leader);
		put_task_struct(tsk);
		tsk = leader;
	}
	if (tsk->flags & PF_KTHREAD) {
		put_task_struct(tsk);
		return ERR_PTR(-EINVAL);
	}
	return tsk;
}

/* A write of a pid to cgroup.procs (threadgroup) or cgroup.threads, and to v1's cgroup.procs and tasks. */
ssize_t __cgroup_procs_write(struct cgroup_of *of, char *buf, size_t nbytes, bool threadgroup)
{
	struct cgroup *dst = of->cgrp;
	enum cgroup_hierarchy h = dst->root->hierarchy_id;
	unsigned long flags;
	ssize_t err;

	mutex_lock(&cgroup_mutex);
	down_write(&cgroup_threadgroup_rwsem);
	struct task_struct *tsk = cgroup_is_dead(dst) ? ERR_PTR(-ENODEV) : cgroup_procs_write_start(buf, threadgroup);
	err = PTR_ERR_OR_ZERO(tsk);
	if (!err) {
		spin_lock_irqsave(&css_set_lock, flags);
		struct cgroup *src = tsk->cgroups.cgrp[h] ? tsk->cgroups.cgrp[h] : &dst->root->cgrp;
		spin_unlock_irqrestore(&css_set_lock, flags);
		err = cgroup_attach_permissions(src, dst, threadgroup);
		if (!err)
			cgroup_attach_task(dst, tsk, threadgroup);
		put_task_struct(tsk);
	}
	up_write(&cgroup_threadgroup_rwsem);
	mutex_unlock(&cgroup_mutex);
	return err ? err : (ssize_t)nbytes;
}

static ssize_t cgroup_procs_write(struct cgroup_of *of, char *buf, size_t nbytes)
{
	return __cgroup_procs_write(of, buf, nbytes, true);
}

static ssize_t cgroup_threads_write(struct cgroup_of *of, char *buf, size_t nbytes)
{
	return __cgroup_procs_write(of, buf, nbytes, false);
}

/*
 * Has the process of leader t a thread that has not exited? A process
 * whose leader is a zombie is still listed while another thread runs.
 * tasklist_lock and css_set_lock held.
 */
static bool thread_group_alive(struct task_struct *t)
{
	struct task_struct *o;

	if (!t->cgroups.dead)
		return true;
	list_for_each_entry(o, &t->thread_group, thread_group)
		if (!o->cgroups.dead)
			return true;
	return false;
}

/* cgroup.procs (tgids of processes) and cgroup.threads (tids of live threads), in list order. */
static int cgroup_tasks_show(struct seq_file *m, bool procs)
{
	struct cgroup *cgrp = seq_of(m)->cgrp;
	enum cgroup_hierarchy h = cgrp->root->hierarchy_id;
	unsigned long flags, flags2;
	struct list_head *n;

	spin_lock_irqsave(&tasklist_lock, flags);
	spin_lock_irqsave(&css_set_lock, flags2);
	list_for_each(n, &cgrp->tasks) {
		struct task_struct *t = cg_list_task(n, h);
		if (procs ? t == t->group_leader && thread_group_alive(t) : !t->cgroups.dead)
			seq_printf(m, "%d\n", procs ? t->tgid : t->pid);
	}
	spin_unlock_irqrestore(&css_set_lock, flags2);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return 0;
}

static int cgroup_procs_show(struct seq_file *m, void *v)
{
	return cgroup_tasks_show(m, true);
}

static int cgroup_threads_show(struct seq_file *m, void *v)
{
	return cgroup_tasks_show(m, false);
}

/*
 * Every live task of cgrp's subtree, referenced, into a new array (*out,
 * kfree it): the count, or -ENOMEM. The caller holds cgroup_mutex and
 * cgroup_threadgroup_rwsem for writing, so the set can only shrink between
 * the count and the copy.
 */
int cgroup_collect_tasks(struct cgroup *cgrp, bool subtree, struct task_struct ***out)
{
	enum cgroup_hierarchy h = cgrp->root->hierarchy_id;
	struct task_struct **tasks;
	unsigned long flags;
	struct list_head *n;
	int nr = 0, i = 0;

	spin_lock_irqsave(&css_set_lock, flags);
	for (struct cgroup *c = cgrp; c; c = subtree ? cgroup_next_descendant_pre(c, cgrp) : NULL)
		list_for_each(n, &c->tasks)
			nr++;
	spin_unlock_irqrestore(&css_set_lock, flags);
	tasks = kmalloc((nr ? nr : 1) * sizeof(*tasks), GFP_KERNEL);
	if (!tasks)
		return -ENOMEM;
	spin_lock_irqsave(&css_set_lock, flags);
	for (struct cgroup *c = cgrp; c; c = subtree ? cgroup_next_descendant_pre(c, cgrp) : NULL) {
		list_for_each(n, &c->tasks) {
			struct task_struct *t = cg_list_task(n, h);
			if (!t->cgroups.dead && i < nr) {
				get_task_struct(t);
				tasks[i++] = t;
			}
		}
	}
	spin_unlock_irqrestore(&css_set_lock, flags);
	*out = tasks;
	return i;
}

/* cgroup.kill: SIGKILL to every process of the subtree (kernel threads excepted). */
static int cgroup_kill(struct cgroup *cgrp)
{
	struct task_struct **tasks;
	int nr;

	down_write(&cgroup_threadgroup_rwsem);	/* no fork adds a task behind our back */
	nr = cgroup_collect_tasks(cgrp, true, &tasks);
	up_write(&cgroup_threadgroup_rwsem);
	if (nr < 0)
		return nr;
	for (int i = 0; i < nr; i++) {
		if (!(tasks[i]->flags & PF_KTHREAD) && !fatal_signal_pending(tasks[i]))
			group_send_sig(SIGKILL, tasks[i], 1);
		put_task_struct(tasks[i]);
	}
	kfree(tasks);
	return 0;
}

static ssize_t cgroup_kill_write(struct cgroup_of *of, char *buf, size_t nbytes)
{
	int kill, err = kstrtoint(strim(buf), 0, &kill);

	if (err)
		return err;
	if (kill != 1)
		return -ERANGE;
	mutex_lock(&cgroup_mutex);
	err = cgroup_is_dead(of->cgrp) ? -ENOENT : cgroup_kill(of->cgrp);
	mutex_unlock(&cgroup_mutex);
	return err ? err : (ssize_t)nbytes;
}

/* ---- The other core files of cgroup v2 ---- */

/* Controller names separated by spaces, then a newline; nothing at all for none (Linux). */
static void cgroup_print_ss_mask(struct seq_file *m, u16 mask)
{
	bool printed = false;

	for (int ssid = 0; ssid < CGROUP_SUBSYS_COUNT; ssid++) {
		if (!(mask & (1 << ssid)))
			continue;
		if (printed)
			seq_putc(m, ' ');
		seq_puts(m, cgroup_subsys[ssid]->name);
		printed = true;
	}
	if (printed)
		seq_putc(m, '\n');
}

/* The controllers cgrp may enable for its children: its parent's subtree_control, or all at a root. */
static u16 cgroup_control(struct cgroup *cgrp)
{
	return cgrp->parent ? cgrp->parent->subtree_control : cgrp->root->subsys_mask;
}

static int cgroup_controllers_show(struct seq_file *m, void *v)
{
	mutex_lock(&cgroup_mutex);
	cgroup_print_ss_mask(m, cgroup_control(seq_of(m)->cgrp));
	mutex_unlock(&cgroup_mutex);
	return 0;
}

static int cgroup_subtree_control_show(struct seq_file *m, void *v)
{
	mutex_lock(&cgroup_mutex);
	cgroup_print_ss_mask(m, seq_of(m)->cgrp->subtree_control);
	mutex_unlock(&cgroup_mutex);
	return 0;
}

/*
 * Linux's other controllers, which Folio does not build. Linux knows their
 * names even where no hierarchy offers them, so "+cpu" is ENOENT (not
 * available here), not EINVAL (no such controller); their bits in a
 * parsed request follow those of cgroup_subsys[].
 */
static const char *const cgroup_absent_subsys[] = {
	"cpuset", "cpu", "cpuacct", "io", "devices", "freezer", "net_cls", "perf_event", "net_prio",
	"hugetlb", "pids", "rdma", "misc",
};

/* The bit of controller name in a request: cgroup_subsys[]'s index, or past it for an absent one; -1 if unknown. */
static int subtree_control_bit(const char *name)
{
	for (int ssid = 0; ssid < CGROUP_SUBSYS_COUNT; ssid++)
		if (!strcmp(name, cgroup_subsys[ssid]->name))
			return ssid;
	for (unsigned int i = 0; i < ARRAY_SIZE(cgroup_absent_subsys); i++)
		if (!strcmp(name, cgroup_absent_subsys[i]))
			return CGROUP_SUBSYS_COUNT + i;
	return -1;
}

/*
 * "+memory -memory": the last word for each controller counts. EINVAL for
 * a name Linux does not know or a word without its sign.
 */
static int parse_subtree_control(char *buf, u32 *enable, u32 *disable)
{
	char *tok, *next;

	for (tok = strim(buf); *tok; tok = next) {
		next = strchr(tok, ' ');
		if (next)
			*next++ = 0;
		else
			next = tok + strlen(tok);
		if (!*tok)
			continue;
		int bit_nr = subtree_control_bit(tok + 1);
		if (bit_nr < 0 || (*tok != '+' && *tok != '-'))
			return -EINVAL;
		u32 bit = 1U << bit_nr;
		*enable = *tok == '+' ? *enable | bit : *enable & ~bit;
		*disable = *tok == '-' ? *disable | bit : *disable & ~bit;
	}
	return 0;
}

/*
 * What a change of cgrp's subtree_control is allowed, with the no-ops left
 * out: ENOENT to enable what the cgroup does not have, EBUSY to disable
 * what a child still enables for its own children, or to enable anything
 * in a non-root cgroup with tasks. cgroup_mutex.
 */
static int subtree_control_check(struct cgroup *cgrp, u16 *enable, u16 *disable)
{
	struct cgroup *child;
	unsigned long flags;

	*enable &= ~cgrp->subtree_control;
	*disable &= cgrp->subtree_control;
	if (*enable & ~cgroup_control(cgrp))
		return -ENOENT;
	list_for_each_entry(child, &cgrp->children, sibling)
		if (child->subtree_control & *disable)
			return -EBUSY;
	if (!*enable || !cgrp->parent)
		return 0;
	spin_lock_irqsave(&css_set_lock, flags);
	bool has_tasks = cgrp->nr_populated_tasks;
	spin_unlock_irqrestore(&css_set_lock, flags);
	return has_tasks ? -EBUSY : 0;
}

/* The children get a css of each controller enabled, lose those disabled. cgroup_mutex. */
static int cgroup_apply_control(struct cgroup *cgrp, u16 enable, u16 disable)
{
	struct cgroup *child;

	for (int ssid = 0; ssid < CGROUP_SUBSYS_COUNT; ssid++) {
		list_for_each_entry(child, &cgrp->children, sibling) {
			int err = 0;
			if (enable & (1 << ssid))
				err = css_create(child, cgroup_subsys[ssid]);
			else if (disable & (1 << ssid))
				kill_css(child, ssid);
			if (!err)
				continue;
			list_for_each_entry_continue_reverse(child, &cgrp->children, sibling)
				kill_css(child, ssid);
			return err;
		}
	}
	cgrp->subtree_control = (cgrp->subtree_control | enable) & ~disable;
	return 0;
}

static ssize_t cgroup_subtree_control_write(struct cgroup_of *of, char *buf, size_t nbytes)
{
	struct cgroup *cgrp = of->cgrp;
	u32 enable32 = 0, disable32 = 0;
	int err = parse_subtree_control(buf, &enable32, &disable32);
	u16 all = (1U << CGROUP_SUBSYS_COUNT) - 1, enable = enable32 & all, disable = disable32 & all;

	if (err)
		return err;
	mutex_lock(&cgroup_mutex);
	if (cgroup_is_dead(cgrp))
		err = -ENODEV;
	else	/* an absent controller is never available to enable, and never enabled to disable */
		err = (enable32 & ~all) ? -ENOENT : subtree_control_check(cgrp, &enable, &disable);
	if (!err && (enable || disable))
		err = cgroup_apply_control(cgrp, enable, disable);
	mutex_unlock(&cgroup_mutex);
	return err ? err : (ssize_t)nbytes;
}

static int cgroup_events_show(struct seq_file *m, void *v)
{
	struct cgroup *cgrp = seq_of(m)->cgrp;
	unsigned long flags;

	spin_lock_irqsave(&css_set_lock, flags);
	bool populated = cgroup_is_populated(cgrp);
	spin_unlock_irqrestore(&css_set_lock, flags);
	seq_printf(m, "populated %d\nfrozen 0\n", populated);
	return 0;
}

static int cgroup_stat_show(struct seq_file *m, void *v)
{
	struct cgroup *cgrp = seq_of(m)->cgrp;

	mutex_lock(&cgroup_mutex);
	seq_printf(m, "nr_descendants %d\nnr_dying_descendants %d\n", cgrp->nr_descendants,
		   __atomic_load_n(&cgrp->nr_dying_descendants, __ATOMIC_RELAXED));
	mutex_unlock(&cgroup_mutex);
	return 0;
}

/* cgroup.max.depth and cgroup.max.descendants: "max" or a count; private says which field. */
static int *cgroup_limit_field(struct cgroup *cgrp, const struct cftype *cft)
{
	return cft->private ? &cgrp->max_depth : &cgrp->max_descendants;
}

static int cgroup_max_show(struct seq_file *m, void *v)
{
	mutex_lock(&cgroup_mutex);
	int val = *cgroup_limit_field(seq_of(m)->cgrp, seq_of(m)->cft);
	mutex_unlock(&cgroup_mutex);
	if (val == INT_MAX)
		seq_puts(m, "max\n");
	else
		seq_printf(m, "%d\n", val);
	return 0;
}

static ssize_t cgroup_max_write(struct cgroup_of *of, char *buf, size_t nbytes)
{
	char *s = strim(buf);
	int val = INT_MAX;

	if (strcmp(s, "max")) {
		int err = kstrtoint(s, 0, &val);
		if (err)
			return err;
	}
	if (val < 0)
		return -ERANGE;
	mutex_lock(&cgroup_mutex);
	int err = cgroup_is_dead(of->cgrp) ? -ENODEV : 0;
	if (!err)
		*cgroup_limit_field(of->cgrp, of->cft) = val;
	mutex_unlock(&cgroup_mutex);
	return err ? err : (ssize_t)nbytes;
}

/*
 * Every cgroup is a domain: Folio has no threaded cgroups, so "threaded"
 * is refused as Linux refuses it where a domain controller is in the way.
 */
static int cgroup_type_show(struct seq_file *m, void *v)
{
	seq_puts(m, "domain\n");
	return 0;
}

static ssize_t cgroup_type_write(struct cgroup_of *of, char *buf, size_t nbytes)
{
	return strcmp(strim(buf), "threaded") ? -EINVAL : -EOPNOTSUPP;
}

const struct cftype cgroup_base_files[] = {
	{ .name = "cgroup.type", .flags = CFTYPE_NOT_ON_ROOT, .seq_show = cgroup_type_show,
	  .write = cgroup_type_write },
	{ .name = "cgroup.procs", .seq_show = cgroup_procs_show, .write = cgroup_procs_write },
	{ .name = "cgroup.threads", .seq_show = cgroup_threads_show, .write = cgroup_threads_write },
	{ .name = "cgroup.controllers", .seq_show = cgroup_controllers_show },
	{ .name = "cgroup.subtree_control", .seq_show = cgroup_subtree_control_show,
	  .write = cgroup_subtree_control_write },
	{ .name = "cgroup.events", .flags = CFTYPE_NOT_ON_ROOT, .seq_show = cgroup_events_show },
	{ .name = "cgroup.max.descendants", .private = 0, .seq_show = cgroup_max_show, .write = cgroup_max_write },
	{ .name = "cgroup.max.depth", .private = 1, .seq_show = cgroup_max_show, .write = cgroup_max_write },
	{ .name = "cgroup.stat", .seq_show = cgroup_stat_show },
	{ .name = "cgroup.kill", .flags = CFTYPE_NOT_ON_ROOT, .write = cgroup_kill_write },
	{ .name = NULL },
};

/* ---- Fork ---- */

/*
 * Before a new task is linked: hold off migration (and cgroup.kill) until
 * cgroup_post_fork() has placed it (kernel threads need not: they cannot
 * be moved or killed that way, and the first ones are made before the
 * scheduler runs), and for CLONE_INTO_CGROUP find the
 * cgroup behind the fd (EBADF if it is not a cgroup2 directory), check it
 * as a move would (ENODEV once removed, EBUSY for a cgroup that enables
 * controllers for its children, EOPNOTSUPP for a thread) and keep it
 * alive and unchanged under cgroup_mutex until then.
 */
int cgroup_can_fork(struct kernel_clone_args *kargs)
{
	kargs->cgrp = NULL;
	if (kargs->flags & CLONE_INTO_CGROUP) {
		struct cgroup *dst = cgroup_get_from_fd(kargs->cgroup);
		if (IS_ERR(dst))
			return PTR_ERR(dst);
		mutex_lock(&cgroup_mutex);
		unsigned long flags;
		spin_lock_irqsave(&css_set_lock, flags);
		struct cgroup *src = current->cgroups.cgrp[CGROUP_DFL_HIERARCHY];
		spin_unlock_irqrestore(&css_set_lock, flags);
		int err = cgroup_is_dead(dst) ? -ENODEV :
			  cgroup_attach_permissions(src ? src : &cgrp_dfl_root.cgrp, dst,
						    !(kargs->flags & CLONE_THREAD));
		if (err) {
			mutex_unlock(&cgroup_mutex);
			cgroup_put(dst);
			return err;
		}
		kargs->cgrp = dst;
	}
	if (!kargs->kthread)
		down_read(&cgroup_threadgroup_rwsem);
	return 0;
}

void cgroup_cancel_fork(struct kernel_clone_args *kargs)
{
	if (!kargs->kthread)
		up_read(&cgroup_threadgroup_rwsem);
	if (kargs->cgrp) {
		mutex_unlock(&cgroup_mutex);
		cgroup_put(kargs->cgrp);
		kargs->cgrp = NULL;
	}
}

/* ---- /proc ---- */

/* /proc/PID/cgroup: "1:memory:/g" for the v1 hierarchy, then "0::/lab" (" (deleted)" once removed). */
int proc_cgroup_show(struct seq_file *m, struct task_struct *tsk)
{
	char *buf = kmalloc(PATH_MAX, GFP_KERNEL);
	unsigned long flags;

	if (!buf)
		return -ENOMEM;
	mutex_lock(&cgroup_mutex);
	for (int h = CGROUP_NR_HIERARCHIES - 1; h >= 0; h--) {
		struct cgroup_root *root = hierarchy_root(h);
		if (h != CGROUP_DFL_HIERARCHY && !root->active)
			continue;
		spin_lock_irqsave(&css_set_lock, flags);
		struct cgroup *cgrp = tsk->cgroups.cgrp[h] ? tsk->cgroups.cgrp[h] : &root->cgrp;
		int len = cgroup_path(cgrp, buf, PATH_MAX);
		bool deleted = cgroup_is_dead(cgrp);
		spin_unlock_irqrestore(&css_set_lock, flags);
		if (h == CGROUP_DFL_HIERARCHY)
			seq_puts(m, "0::");
		else
			seq_printf(m, "%d:memory:", h);
		seq_puts(m, len < 0 ? "/" : buf);
		seq_puts(m, h == CGROUP_DFL_HIERARCHY && deleted ? " (deleted)\n" : "\n");
	}
	mutex_unlock(&cgroup_mutex);
	kfree(buf);
	return 0;
}

/* /proc/cgroups: Linux's v1-style table, one line per controller. */
static int proc_cgroupstats_show(struct seq_file *m, void *v)
{
	seq_puts(m, "#subsys_name\thierarchy\tnum_cgroups\tenabled\n");
	mutex_lock(&cgroup_mutex);
	for (int ssid = 0; ssid < CGROUP_SUBSYS_COUNT; ssid++) {
		struct cgroup_root *root = cgroup_subsys[ssid]->root;
		seq_printf(m, "%s\t%d\t%d\t1\n", cgroup_subsys[ssid]->name, root->hierarchy_id,
			   __atomic_load_n(&root->nr_cgrps, __ATOMIC_RELAXED));
	}
	mutex_unlock(&cgroup_mutex);
	return 0;
}

/* ---- Boot ---- */

void cgroup_init(void)
{
	init_cgroup_root(&cgrp_dfl_root);
	cgrp_dfl_root.hierarchy_id = CGROUP_DFL_HIERARCHY;
	init_cgroup_root(&cgrp_v1_root);
	cgrp_v1_root.hierarchy_id = CGROUP_V1_HIERARCHY;
	for (int ssid = 0; ssid < CGROUP_SUBSYS_COUNT; ssid++) {
		struct cgroup_subsys *ss = cgroup_subsys[ssid];
		struct cgroup_subsys_state *css = ss->css_alloc(NULL);
		if (IS_ERR(css))
			panic("cgroup: cannot set up the %s controller", ss->name);
		css->cgroup = &cgrp_dfl_root.cgrp;
		css->ss = ss;
		css->flags = CSS_NO_REF | CSS_ONLINE;
		cgrp_dfl_root.cgrp.subsys[ssid] = css;
		cgrp_dfl_root.subsys_mask |= 1 << ssid;
		ss->root = &cgrp_dfl_root;
		if (ss->css_online)
			ss->css_online(css);
	}
	cgroup_fork(&init_task);
	init_task.cgroups.cgrp[CGROUP_DFL_HIERARCHY] = &cgrp_dfl_root.cgrp;	/* never listed, as Linux's pid 0 */
}

int cgroup_proc_init(void)
{
	return proc_create_single("cgroups", 0444, NULL, proc_cgroupstats_show) ? 0 : -ENOMEM;
}
