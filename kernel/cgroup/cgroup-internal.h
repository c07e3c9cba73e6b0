/*
 * What the files of kernel/cgroup/ share with each other and with the
 * memory controller's v1 files (Linux: kernel/cgroup/cgroup-internal.h).
 * The locking rules are in include/kernel/cgroup.h.
 */
#ifndef _KERNEL_CGROUP_INTERNAL_H
#define _KERNEL_CGROUP_INTERNAL_H

#include <kernel/cgroup.h>
#include <kernel/rwsem.h>

struct task_struct;

extern struct rw_semaphore cgroup_threadgroup_rwsem;
extern struct cgroup_root cgrp_v1_root;
extern struct cgroup_subsys memory_cgrp_subsys;
extern const struct cftype cgroup_base_files[];		/* cgroup.c: v2's core files */
extern const struct cftype cgroup1_base_files[];	/* cgroup-v1.c */

struct cgroup_root *hierarchy_root(enum cgroup_hierarchy h);
void init_cgroup_root(struct cgroup_root *root);

/* The tree (cgroup_mutex). */
struct cgroup *cgroup_create(struct cgroup *parent, const char *name);
void cgroup_destroy(struct cgroup *cgrp);
int cgroup_rmdir(struct cgroup *cgrp);
struct cgroup *cgroup_next_descendant_pre(struct cgroup *pos, struct cgroup *root);
int css_create(struct cgroup *cgrp, struct cgroup_subsys *ss);
void kill_css(struct cgroup *cgrp, enum cgroup_subsys_id ssid);

/* Tasks (css_set_lock for the first two). */
struct task_struct *cg_list_task(struct list_head *n, enum cgroup_hierarchy h);
struct cgroup *css_set_move_task(struct task_struct *t, enum cgroup_hierarchy h, struct cgroup *to);
struct task_struct *cgroup_procs_write_start(char *buf, bool threadgroup);
int cgroup_attach_permissions(struct cgroup *src, struct cgroup *dst, bool threadgroup);
void cgroup_attach_task(struct cgroup *dst, struct task_struct *leader, bool threadgroup);
int cgroup_collect_tasks(struct cgroup *cgrp, bool subtree, struct task_struct ***out);
ssize_t __cgroup_procs_write(struct cgroup_of *of, char *buf, size_t nbytes, bool threadgroup);

/* The v1 hierarchy (cgroup-v1.c), for its file system's mounts (cgroupfs.c); cgroup_mutex. */
int cgroup1_get_root(void);	/* bind the controllers to it at its first mount: 0 or -EBUSY */
void cgroup1_put_root(void);	/* a mount's super block went: unbind if it was the last, childless */

/* cgroupfs.c */
struct cgroup *cgroup_get_from_fd(int fd);	/* a cgroup2 directory's, referenced, or ERR_PTR(-EBADF) */
int cgroup_proc_init(void);		/* /proc/cgroups (cgroup.c) */

#endif
