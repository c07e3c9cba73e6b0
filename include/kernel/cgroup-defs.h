/*
 * What a task embeds of the cgroup core (Linux: include/linux/cgroup-defs.h,
 * the part struct task_struct needs). The rest of the cgroup types are in
 * kernel/cgroup.h.
 *
 * A task belongs to one cgroup in each hierarchy: the default one (cgroup
 * v2, always there) and the v1 hierarchy while one is mounted. Linux shares
 * a struct css_set among the tasks whose memberships are the same; Folio
 * gives each task its own, embedded in the task, with the same name.
 *
 * Locking: css_set_lock (kernel/cgroup/cgroup.c) guards every field, and
 * the task lists they are on; the membership only changes with
 * cgroup_mutex held too (migration), or at fork and exit.
 */
#ifndef _KERNEL_CGROUP_DEFS_H
#define _KERNEL_CGROUP_DEFS_H

#include <kernel/types.h>
#include <kernel/list.h>

enum cgroup_hierarchy {
	CGROUP_DFL_HIERARCHY,		/* cgroup v2: every task is in it */
	CGROUP_V1_HIERARCHY,		/* cgroup v1: the memory hierarchy, while it exists */
	CGROUP_NR_HIERARCHIES
};

struct cgroup;

struct css_set {
	struct cgroup *cgrp[CGROUP_NR_HIERARCHIES];	/* referenced; NULL: not in that hierarchy */
	struct list_head cg_list[CGROUP_NR_HIERARCHIES];	/* on cgrp[h]->tasks */
	bool dead;		/* cgroup_exit() ran: the task no longer populates its cgroups */
};

#endif
