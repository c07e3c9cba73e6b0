/*
 * The memory controller's cgroup v1 files (Linux: the legacy half of
 * mm/memcontrol.c, mm/memcontrol-v1.c): memory.usage_in_bytes,
 * limit_in_bytes, max_usage_in_bytes, failcnt, oom_control, use_hierarchy,
 * stat, and cgroup.event_control, through which a user-space OOM handler
 * registers an eventfd to be told of a group's OOM.
 *
 * Where v1 and v2 differ, each behaves as Linux 6.1's:
 *   - lowering limit_in_bytes below the usage fails with EBUSY (Linux
 *     reclaims first and gives up with EBUSY; with no reclaim, at once),
 *     where v2's memory.max takes the limit and OOM-kills to meet it;
 *   - "-1" means no limit, where v2 says "max";
 *   - events are counted in the group alone, not up the tree;
 *   - the hierarchy is always on: use_hierarchy reads 1 and only 1 may be
 *     written.
 * Registrations on cgroup.event_control are kept until the group is
 * removed, which signals each eventfd once (as Linux does); only
 * memory.oom_control can be registered, memory.usage_in_bytes thresholds
 * are refused (EINVAL).
 *
 * Locking: the settings are written under cgroup_mutex; memcg->event_list_lock
 * guards the registrations.
 */
#include <kernel/kernel.h>
#include <kernel/cgroup.h>
#include <lib/string.h>
#include <mm/mm.h>
#include <mm/slab.h>
#include <mm/memcontrol.h>
#include <fs/eventfd.h>
#include <fs/seq_file.h>
#include <uapi/errno.h>
#include "memcontrol-v1.h"

/* One eventfd registered on a group's memory.oom_control. */
struct mem_cgroup_eventfd_list {
	struct list_head list;
	struct eventfd_ctx *eventfd;	/* referenced */
};

enum res_type { RES_USAGE, RES_LIMIT, RES_MAX_USAGE, RES_FAILCNT };

/* The root has no counter of its own: its usage is its pages, as Linux adds them up. */
static unsigned long mem_cgroup_usage(struct mem_cgroup *memcg)
{
	if (mem_cgroup_is_root(memcg))
		return memcg_page_state(memcg, NR_FILE_PAGES, false) + memcg_page_state(memcg, NR_ANON_MAPPED, false);
	return page_counter_read(&memcg->memory);
}

static u64 mem_cgroup_read_u64(struct cgroup_subsys_state *css, const struct cftype *cft)
{
	struct mem_cgroup *memcg = mem_cgroup_from_css(css);

	switch (cft->private) {
	case RES_USAGE:
		return (u64)mem_cgroup_usage(memcg) * PAGE_SIZE;
	case RES_LIMIT:
		return (u64)READ_ONCE(memcg->memory.max) * PAGE_SIZE;
	case RES_MAX_USAGE:
		return (u64)READ_ONCE(memcg->memory.watermark) * PAGE_SIZE;
	default:
		return READ_ONCE(memcg->memory.failcnt);
	}
}

/* limit_in_bytes: not on the root, and never below the usage (no reclaim could make room). */
static ssize_t mem_cgroup_limit_write(struct cgroup_of *of, char *buf, size_t nbytes)
{
	struct mem_cgroup *memcg = mem_cgroup_from_css(of->css);
	unsigned long pages;
	int err = page_counter_memparse(strim(buf), "-1", &pages);

	if (err)
		return err;
	if (mem_cgroup_is_root(memcg))
		return -EINVAL;
	mutex_lock(&cgroup_mutex);
	err = page_counter_set_max(&memcg->memory, pages);
	mutex_unlock(&cgroup_mutex);
	if (err)
		return err;
	memcg_oom_recover(memcg);	/* a raised limit: the group's tasks stopped at its OOM go on */
	return nbytes;
}

/* Any write to max_usage_in_bytes or failcnt starts them again. */
static ssize_t mem_cgroup_reset(struct cgroup_of *of, char *buf, size_t nbytes)
{
	struct mem_cgroup *memcg = mem_cgroup_from_css(of->css);

	if (of->cft->private == RES_MAX_USAGE)
		page_counter_reset_watermark(&memcg->memory);
	else
		WRITE_ONCE(memcg->memory.failcnt, 0);
	return nbytes;
}

static int mem_cgroup_oom_control_read(struct seq_file *m, void *v)
{
	struct mem_cgroup *memcg = mem_cgroup_from_css(seq_css(m));

	seq_printf(m, "oom_kill_disable %d\nunder_oom %d\noom_kill %lu\n", READ_ONCE(memcg->oom_kill_disable),
		   mem_cgroup_under_oom(memcg),
		   __atomic_load_n(&memcg->memory_events[MEMCG_OOM_KILL], __ATOMIC_RELAXED));
	return 0;
}

/* oom_kill_disable: 0 or 1, not on the root. */
static int mem_cgroup_oom_control_write(struct cgroup_subsys_state *css, const struct cftype *cft, u64 val)
{
	struct mem_cgroup *memcg = mem_cgroup_from_css(css);

	if (mem_cgroup_is_root(memcg) || val > 1)
		return -EINVAL;
	WRITE_ONCE(memcg->oom_kill_disable, val);
	if (!val)
		memcg_oom_recover(memcg);	/* the kernel's OOM killer is back: its sleepers retry and meet it */
	return 0;
}

static u64 mem_cgroup_hierarchy_read(struct cgroup_subsys_state *css, const struct cftype *cft)
{
	return 1;
}

static int mem_cgroup_hierarchy_write(struct cgroup_subsys_state *css, const struct cftype *cft, u64 val)
{
	return val == 1 ? 0 : -EINVAL;
}

/* v1's memory.stat: the group's own figures, its limits, then every figure with its descendants'. */
static const struct { const char *name; int idx; } memcg1_stats[] = {
	{ "cache", NR_FILE_PAGES }, { "rss", NR_ANON_MAPPED }, { "rss_huge", -1 }, { "shmem", NR_SHMEM },
	{ "mapped_file", -1 }, { "dirty", -1 }, { "writeback", -1 }, { "workingset_refault_anon", -1 },
	{ "workingset_refault_file", -1 }, { "swap", -1 },
	{ "pgpgin", 0x1000 | MEMCG_PGPGIN }, { "pgpgout", 0x1000 | MEMCG_PGPGOUT },
	{ "pgfault", 0x1000 | PGFAULT }, { "pgmajfault", 0x1000 | PGMAJFAULT },
	{ "inactive_anon", -1 }, { "active_anon", -1 }, { "inactive_file", -1 }, { "active_file", -1 },
	{ "unevictable", -1 },
};

static u64 memcg1_stat_value(struct mem_cgroup *memcg, int idx, bool local)
{
	if (idx < 0)
		return 0;
	if (idx & 0x1000)
		return memcg_events(memcg, idx & 0xfff, local);
	return (u64)memcg_page_state(memcg, idx, local) * PAGE_SIZE;
}

static int memcg1_stat_show(struct seq_file *m, void *v)
{
	struct mem_cgroup *memcg = mem_cgroup_from_css(seq_css(m)), *mi;
	unsigned long limit = PAGE_COUNTER_MAX;

	for (unsigned int i = 0; i < ARRAY_SIZE(memcg1_stats); i++)
		seq_printf(m, "%s %llu\n", memcg1_stats[i].name, memcg1_stat_value(memcg, memcg1_stats[i].idx, true));
	for (mi = memcg; mi && !mem_cgroup_is_root(mi); mi = parent_mem_cgroup(mi))
		limit = min(limit, READ_ONCE(mi->memory.max));
	seq_printf(m, "hierarchical_memory_limit %llu\n", (u64)limit * PAGE_SIZE);
	seq_printf(m, "hierarchical_memsw_limit %llu\n", (u64)PAGE_COUNTER_MAX * PAGE_SIZE);
	for (unsigned int i = 0; i < ARRAY_SIZE(memcg1_stats); i++)
		seq_printf(m, "total_%s %llu\n", memcg1_stats[i].name,
			   memcg1_stat_value(memcg, memcg1_stats[i].idx, false));
	return 0;
}

/* ---- cgroup.event_control ---- */

static int memcg1_oom_register_event(struct mem_cgroup *memcg, struct eventfd_ctx *eventfd)
{
	struct mem_cgroup_eventfd_list *ev = kmalloc(sizeof(*ev), GFP_KERNEL);
	unsigned long flags;

	if (!ev)
		return -ENOMEM;
	ev->eventfd = eventfd;
	spin_lock_irqsave(&memcg->event_list_lock, flags);
	list_add(&ev->list, &memcg->oom_notify);
	spin_unlock_irqrestore(&memcg->event_list_lock, flags);
	return 0;
}

void memcg1_oom_notify(struct mem_cgroup *memcg)
{
	struct mem_cgroup_eventfd_list *ev;
	unsigned long flags;

	spin_lock_irqsave(&memcg->event_list_lock, flags);
	list_for_each_entry(ev, &memcg->oom_notify, list)
		eventfd_signal(ev->eventfd, 1);
	spin_unlock_irqrestore(&memcg->event_list_lock, flags);
}

void memcg1_css_offline(struct mem_cgroup *memcg)
{
	struct mem_cgroup_eventfd_list *ev, *next;
	unsigned long flags;
	LIST_HEAD(gone);

	spin_lock_irqsave(&memcg->event_list_lock, flags);
	list_splice_init(&memcg->oom_notify, &gone);
	spin_unlock_irqrestore(&memcg->event_list_lock, flags);
	list_for_each_entry_safe(ev, next, &gone, list) {
		eventfd_signal(ev->eventfd, 1);
		eventfd_ctx_put(ev->eventfd);
		kfree(ev);
	}
}

/* "EFD CFD [ARGS]": the eventfd, and an open control file of this group naming the event. */
static int parse_event_control(char *buf, unsigned int *efd, unsigned int *cfd)
{
	char *endp;

	*efd = simple_strtoul(buf, &endp, 10);
	if (*endp != ' ')
		return -EINVAL;
	buf = endp + 1;
	*cfd = simple_strtoul(buf, &endp, 10);
	return *endp != ' ' && *endp != '\0' ? -EINVAL : 0;
}

/* Register eventfd for the event cfile names: EINVAL unless it is this group's memory.oom_control. */
static int memcg_register_event(struct cgroup_of *of, struct eventfd_ctx *eventfd, struct file *cfile)
{
	struct cgroup *cgrp;
	const struct cftype *cft = cgroup_file_cftype(cfile, &cgrp);

	if (!cft || cgrp != of->cgrp || strcmp(cft->name, "memory.oom_control"))
		return -EINVAL;
	return memcg1_oom_register_event(mem_cgroup_from_css(of->css), eventfd);
}

static ssize_t memcg_write_event_control(struct cgroup_of *of, char *buf, size_t nbytes)
{
	unsigned int efd, cfd;
	int err = parse_event_control(strim(buf), &efd, &cfd);

	if (err)
		return err;
	struct file *efile = fget(efd);
	if (!efile)
		return -EBADF;
	struct eventfd_ctx *eventfd = eventfd_ctx_fileget(efile);
	struct file *cfile = IS_ERR(eventfd) ? NULL : fget(cfd);
	err = IS_ERR(eventfd) ? PTR_ERR(eventfd) : !cfile ? -EBADF : memcg_register_event(of, eventfd, cfile);
	if (err && !IS_ERR(eventfd))
		eventfd_ctx_put(eventfd);
	if (cfile)
		fput(cfile);
	fput(efile);
	return err ? err : (ssize_t)nbytes;
}

const struct cftype mem_cgroup_legacy_files[] = {
	{ .name = "memory.usage_in_bytes", .private = RES_USAGE, .read_u64 = mem_cgroup_read_u64 },
	{ .name = "memory.max_usage_in_bytes", .private = RES_MAX_USAGE, .read_u64 = mem_cgroup_read_u64,
	  .write = mem_cgroup_reset },
	{ .name = "memory.limit_in_bytes", .private = RES_LIMIT, .read_u64 = mem_cgroup_read_u64,
	  .write = mem_cgroup_limit_write },
	{ .name = "memory.failcnt", .private = RES_FAILCNT, .read_u64 = mem_cgroup_read_u64,
	  .write = mem_cgroup_reset },
	{ .name = "memory.stat", .seq_show = memcg1_stat_show },
	{ .name = "memory.use_hierarchy", .read_u64 = mem_cgroup_hierarchy_read,
	  .write_u64 = mem_cgroup_hierarchy_write },
	{ .name = "memory.oom_control", .seq_show = mem_cgroup_oom_control_read,
	  .write_u64 = mem_cgroup_oom_control_write },
	{ .name = "cgroup.event_control", .flags = CFTYPE_WORLD_WRITABLE, .write = memcg_write_event_control },
	{ .name = NULL },
};
