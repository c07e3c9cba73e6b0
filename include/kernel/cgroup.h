/*
 * Control groups (Linux: include/linux/cgroup.h, cgroup-defs.h): tasks
 * organised in a tree of groups, and controllers that account for and
 * limit what each group uses. Folio has one controller, memory
 * (mm/memcontrol.c). docs/memcg.md tells the whole story.
 *
 *   struct cgroup               one group: a directory of the cgroup file
 *                               systems, with its tasks and its children.
 *   struct cgroup_root          a hierarchy: the default one (cgroup v2,
 *                               mounted as cgroup2) or the v1 one (mounted as
 *                               cgroup -o memory), and the controllers bound
 *                               to it.
 *   struct cgroup_subsys_state  a controller's state in one cgroup (a "css";
 *                               the memory controller's is struct mem_cgroup).
 *                               In v2 a cgroup has a css of a controller only
 *                               if its parent enabled the controller for its
 *                               children (cgroup.subtree_control); its tasks
 *                               use the nearest ancestor's otherwise.
 *   struct css_set              a task's membership (kernel/cgroup-defs.h).
 *   struct cftype               one control file.
 *
 * Lifetimes, by reference counts (atomics):
 *   - a cgroup is referenced by the hierarchy while it lives (until rmdir),
 *     by its children, by each task in it (zombies included, until they are
 *     freed), by its csses, by the inodes and open files of its directory;
 *   - a css is referenced by its cgroup while it is online (the base
 *     reference, dropped when the controller is disabled or the cgroup
 *     removed), by its children's csses, and by whatever it accounts for (a
 *     memory cgroup by each page charged to it). A cgroup or css that is
 *     removed but still referenced is "dying" (cgroup.stat counts them).
 *     The roots' csses are never freed (CSS_NO_REF).
 *
 * Locks, in the order they nest:
 *   cgroup_mutex                 the trees (children, subtree_control,
 *                                the csses' places, the roots' bindings),
 *                                and every change of membership;
 *   cgroup_threadgroup_rwsem     held for reading by fork from the moment it
 *                                picks the child's cgroups until the child is
 *                                linked, for writing by migration and
 *                                cgroup.kill, so neither misses a new task;
 *   tasklist_lock                (kernel/sched/task.h);
 *   task_lock()                  (mm->owner updates only);
 *   css_set_lock (irqsave)       every task's css_set, the cgroups' task
 *                                lists and populated counts, cgrp->subsys[],
 *                                mm->owner. The charge path takes it alone,
 *                                to find a task's memory cgroup.
 */
#ifndef _KERNEL_CGROUP_H
#define _KERNEL_CGROUP_H

#include <kernel/types.h>
#include <kernel/list.h>
#include <kernel/mutex.h>
#include <kernel/rwsem.h>
#include <kernel/spinlock.h>
#include <kernel/cgroup-defs.h>

struct task_struct;
struct seq_file;
struct file;
struct kernel_clone_args;

enum cgroup_subsys_id {
	memory_cgrp_id,
	CGROUP_SUBSYS_COUNT
};

/* css->flags */
#define CSS_NO_REF	(1 << 0)	/* a root's css: never freed, references not counted */
#define CSS_ONLINE	(1 << 1)	/* attached to its cgroup (cgroup_mutex) */

struct cgroup_subsys_state {
	struct cgroup *cgroup;			/* set once; referenced (but by a root css) */
	struct cgroup_subsys *ss;
	struct cgroup_subsys_state *parent;	/* the parent cgroup's css, referenced; NULL at a root */
	int refcnt;				/* atomic */
	int nr_children;			/* atomic: children's csses not yet freed */
	unsigned int flags;			/* CSS_*; cgroup_mutex */
};

/* cgrp->flags */
#define CGRP_DEAD	0		/* removed (rmdir): dying until its last reference goes */

struct cgroup {
	struct cgroup_root *root;
	struct cgroup *parent;		/* referenced; NULL at a root */
	char *name;			/* "" at a root; set once */
	u64 id;				/* unique, never reused: its directory's inode number */
	int level;			/* 0 at a root */
	int refcnt;			/* atomic */
	unsigned long flags;		/* CGRP_* bits; atomic */
	struct list_head sibling;	/* on parent->children while it lives; cgroup_mutex */
	struct list_head children;	/* the live children; cgroup_mutex */
	int nr_descendants;		/* live ones; cgroup_mutex */
	int nr_dying_descendants;	/* atomic: removed ones still referenced */
	int max_descendants;		/* INT_MAX: "max"; cgroup_mutex */
	int max_depth;			/* likewise */
	u16 subtree_control;		/* v2: controllers enabled for the children; cgroup_mutex */
	struct cgroup_subsys_state *subsys[CGROUP_SUBSYS_COUNT];	/* its own css, or NULL;
					 * changed under cgroup_mutex and css_set_lock */
	struct list_head tasks;		/* the tasks in it, zombies included; css_set_lock */
	int nr_populated_tasks;		/* those that have not exited; css_set_lock */
	int nr_populated_children;	/* children that are populated; css_set_lock */
	unsigned int mode;		/* its directory's permission bits, from mkdir; set once */
	bool notify_on_release;		/* v1's files: kept and shown */
	bool clone_children;
};

/* root->flags: the cgroup2 mount options */
#define CGRP_ROOT_NSDELEGATE		(1 << 0)
#define CGRP_ROOT_MEMORY_RECURSIVE_PROT	(1 << 1)

struct cgroup_root {
	struct cgroup cgrp;		/* the root cgroup */
	enum cgroup_hierarchy hierarchy_id;
	u16 subsys_mask;		/* the controllers bound here; cgroup_mutex */
	int nr_cgrps;			/* atomic: its cgroups, live and dying (/proc/cgroups) */
	int nr_sbs;			/* super blocks showing it; cgroup_mutex */
	bool active;			/* the v1 hierarchy exists; cgroup_mutex */
	unsigned int flags;		/* CGRP_ROOT_*; cgroup_mutex */
};

/* cft->flags */
#define CFTYPE_ONLY_ON_ROOT	(1 << 0)
#define CFTYPE_NOT_ON_ROOT	(1 << 1)
#define CFTYPE_WORLD_WRITABLE	(1 << 2)	/* writable by all (0222), not the owner alone */

/* One open control file (Linux: struct kernfs_open_file). */
struct cgroup_of {
	struct cgroup *cgrp;			/* referenced */
	struct cgroup_subsys_state *css;	/* the file's css: a controller's, or NULL for a core file */
	const struct cftype *cft;
	struct file *file;
	void *priv;				/* the file's own, freed by ->release */
};

/*
 * A control file. Its mode follows its operations: readable (0444) with
 * seq_show or read_u64, writable (0200, or 0222 if CFTYPE_WORLD_WRITABLE)
 * with write or write_u64. A write
 * gets the whole buffer, NUL-terminated, at most a page.
 */
struct cftype {
	const char *name;
	unsigned int flags;		/* CFTYPE_* */
	unsigned long private;		/* the file's own constant */
	int (*seq_show)(struct seq_file *m, void *v);
	u64 (*read_u64)(struct cgroup_subsys_state *css, const struct cftype *cft);
	ssize_t (*write)(struct cgroup_of *of, char *buf, size_t nbytes);
	int (*write_u64)(struct cgroup_subsys_state *css, const struct cftype *cft, u64 val);
	void (*release)(struct cgroup_of *of);
};

struct cgroup_subsys {
	const char *name;
	enum cgroup_subsys_id id;
	struct cgroup_root *root;	/* the hierarchy it is bound to; cgroup_mutex */
	/* A new css below parent (NULL: the root's, at boot); ERR_PTR on failure. */
	struct cgroup_subsys_state *(*css_alloc)(struct cgroup_subsys_state *parent);
	void (*css_online)(struct cgroup_subsys_state *css);
	void (*css_offline)(struct cgroup_subsys_state *css);	/* removed: dying from now on */
	void (*css_free)(struct cgroup_subsys_state *css);	/* its last reference went; any context */
	const struct cftype *dfl_cftypes;	/* v2 files, ended by a NULL name */
	const struct cftype *legacy_cftypes;	/* v1 files */
};

extern struct cgroup_subsys *cgroup_subsys[CGROUP_SUBSYS_COUNT];
extern struct cgroup_root cgrp_dfl_root;
extern struct mutex cgroup_mutex;
extern spinlock_t css_set_lock;

static inline bool cgroup_is_dead(const struct cgroup *cgrp)
{
	return __atomic_load_n(&cgrp->flags, __ATOMIC_ACQUIRE) & (1UL << CGRP_DEAD);
}
static inline bool cgroup_on_dfl(const struct cgroup *cgrp)
{
	return cgrp->root == &cgrp_dfl_root;
}
static inline bool cgroup_is_populated(const struct cgroup *cgrp)
{
	return cgrp->nr_populated_tasks + cgrp->nr_populated_children;
}

void cgroup_get(struct cgroup *cgrp);
void cgroup_put(struct cgroup *cgrp);
void css_get(struct cgroup_subsys_state *css);
void css_put(struct cgroup_subsys_state *css);

/* The css of controller ssid that t's tasks use: its cgroup's own or its nearest ancestor's. css_set_lock. */
struct cgroup_subsys_state *task_css(struct task_struct *t, enum cgroup_subsys_id ssid);
/* The same for a cgroup (cgroup_mutex or css_set_lock). */
struct cgroup_subsys_state *cgroup_e_css(struct cgroup *cgrp, enum cgroup_subsys_id ssid);

/* "/lab/a", the cgroup's path from its root, into buf: its length, or -ENAMETOOLONG. */
int cgroup_path(struct cgroup *cgrp, char *buf, size_t size);

/* Boot: the default hierarchy with every controller's root css (after fork_init()). */
void cgroup_init(void);
/* The file systems cgroup and cgroup2, /proc/cgroups (from vfs_init(), after /proc). */
int cgroup_fs_init(void);

/* Fork and exit (kernel/fork.c, kernel/exit.c). */
void cgroup_fork(struct task_struct *child);	/* an empty membership */
int cgroup_can_fork(struct kernel_clone_args *kargs);	/* locks; CLONE_INTO_CGROUP's checks */
void cgroup_cancel_fork(struct kernel_clone_args *kargs);
void cgroup_post_fork(struct task_struct *child, struct kernel_clone_args *kargs);
void cgroup_exit(struct task_struct *tsk);	/* in do_exit(): the task stops populating its cgroups */
void cgroup_release(struct task_struct *tsk);	/* when the task struct is freed */

/* /proc/PID/cgroup (fs/proc/base.c). */
int proc_cgroup_show(struct seq_file *m, struct task_struct *tsk);

/* For the control files (kernel/cgroup/, mm/memcontrol.c): the open file behind a show(), and its css. */
struct cgroup_of *seq_of(struct seq_file *m);
struct cgroup_subsys_state *seq_css(struct seq_file *m);
/* The cgroup behind a file of a cgroup directory, referenced, or ERR_PTR(-EBADF). */
struct cgroup *cgroup_get_from_file(struct file *f);
/* The control file behind f if it is one, else NULL (cgroup.event_control). */
const struct cftype *cgroup_file_cftype(struct file *f, struct cgroup **cgrp);

#endif
