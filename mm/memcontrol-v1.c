/*
 * The memory controller's cgroup v1 files (Linux: the legacy half of
 * mm/memcontrol.c, mm/memcontrol-v1.c): memory.usage_in_bytes,
 * limit_in_bytes, max_usage_in_bytes, failcnt, their memsw.* (memory+swap)
 * twins, soft_limit_in_bytes, swappiness, move_charge_at_immigrate,
 * force_empty, oom_control, use_hierarchy, stat, numa_stat, and
 * cgroup.event_control, through which a user-space OOM handler registers
 * an eventfd to be told of a group's OOM.
 *
 * Where v1 and v2 differ, each behaves as Linux 6.1's:
 *   - lowering limit_in_bytes below the usage fails with EBUSY (Linux
 *     reclaims first and gives up with EBUSY; with no reclaim, at once),
 *     where v2's memory.max takes the limit and OOM-kills to meet it;
 *   - "-1" means no limit, where v2 says "max";
 *   - events are counted in the group alone, not up the tree;
 *   - the hierarchy is always on: use_hierarchy reads 1 and only 1 may be
 *     written;
 *   - with no swap, memory+swap is memory: memsw.usage_in_bytes and
 *     max_usage_in_bytes show memory's figures (resetting either resets
 *     both), memsw.failcnt stays 0, and memsw.limit_in_bytes, never below
 *     limit_in_bytes (EINVAL both ways, as Linux), never binds first;
 *   - soft_limit_in_bytes, swappiness and move_charge_at_immigrate are
 *     kept and shown, with nothing to act on them; force_empty has
 *     nothing it could reclaim and returns at once.
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

enum res_type { RES_USAGE, RES_LIMIT, RES_MAX_USAGE, RES_FAILCNT, RES_SOFT_LIMIT };
/* A file's private: its res_type, plus this for the memsw.* twin. */
#define RES_MEMSW 0x100

/* The root's swappiness: Linux's is the system's, vm.swappiness, which Folio keeps here alone. */
static unsigned int memcg1_root_swappiness = 60;

void memcg1_css_init(struct mem_cgroup *memcg, struct mem_cgroup *parent)
{
	memcg->memsw_max = PAGE_COUNTER_MAX;
	memcg->soft_limit = PAGE_COUNTER_MAX;
	if (!parent)
		return;
	memcg->oom_kill_disable = READ_ONCE(parent->oom_kill_disable);
	memcg->swappiness = mem_cgroup_is_root(parent) ? READ_ONCE(memcg1_root_swappiness) :
			    READ_ONCE(parent->swappiness);
}

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
	case RES_USAGE | RES_MEMSW:
		return (u64)mem_cgroup_usage(memcg) * PAGE_SIZE;
	case RES_LIMIT:
		return (u64)READ_ONCE(memcg->memory.max) * PAGE_SIZE;
	case RES_LIMIT | RES_MEMSW:
		return (u64)READ_ONCE(memcg->memsw_max) * PAGE_SIZE;
	case RES_SOFT_LIMIT:
		return (u64)READ_ONCE(memcg->soft_limit) * PAGE_SIZE;
	case RES_FAILCNT | RES_MEMSW:
		return 0;
	case RES_MAX_USAGE:
	case RES_MAX_USAGE | RES_MEMSW:
		return (u64)READ_ONCE(memcg->memory.watermark) * PAGE_SIZE;
	default:
		return READ_ONCE(memcg->memory.failcnt);
	}
}

/*
 * limit_in_bytes and memsw.limit_in_bytes: not on the root; memory's never
 * above memory+swap's (EINVAL), and never below the usage (EBUSY: no
 * reclaim could make room). cgroup_mutex.
 */
static int mem_cgroup_resize_max(struct mem_cgroup *memcg, unsigned long pages, bool memsw)
{
	if (memsw ? pages < READ_ONCE(memcg->memory.max) : pages > memcg->memsw_max)
		return -EINVAL;
	if (!memsw)
		return page_counter_set_max(&memcg->memory, pages);
	if (page_counter_read(&memcg->memory) > pages)
		return -EBUSY;
	WRITE_ONCE(memcg->memsw_max, pages);
	return 0;
}

static ssize_t mem_cgroup_limit_write(struct cgroup_of *of, char *buf, size_t nbytes)
{
	struct mem_cgroup *memcg = mem_cgroup_from_css(of->css);
	unsigned long pages;
	int err = page_counter_memparse(strim(buf), "-1", &pages);

	if (err)
		return err;
	if (of->cft->private == RES_SOFT_LIMIT) {	/* the root's too */
		WRITE_ONCE(memcg->soft_limit, pages);
		return nbytes;
	}
	if (mem_cgroup_is_root(memcg))
		return -EINVAL;
	mutex_lock(&cgroup_mutex);
	err = mem_cgroup_resize_max(memcg, pages, of->cft->private & RES_MEMSW);
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

	if ((of->cft->private & ~RES_MEMSW) == RES_MAX_USAGE)
		page_counter_reset_watermark(&memcg->memory);
	else if (of->cft->private == RES_FAILCNT)
		WRITE_ONCE(memcg->memory.failcnt, 0);
	return nbytes;
}

/* force_empty: reclaim all the group can give (nothing, here); EINVAL on the root. */
static ssize_t mem_cgroup_force_empty_write(struct cgroup_of *of, char *buf, size_t nbytes)
{
	struct mem_cgroup *memcg = mem_cgroup_from_css(of->css);

	if (mem_cgroup_is_root(memcg))
		return -EINVAL;
	return nbytes;
}

static u64 mem_cgroup_swappiness_read(struct cgroup_subsys_state *css, const struct cftype *cft)
{
	struct mem_cgroup *memcg = mem_cgroup_from_css(css);

	return mem_cgroup_is_root(memcg) ? READ_ONCE(memcg1_root_swappiness) : READ_ONCE(memcg->swappiness);
}

/* 0 to 200; the root's is the system's. */
static int mem_cgroup_swappiness_write(struct cgroup_subsys_state *css, const struct cftype *cft, u64 val)
{
	struct mem_cgroup *memcg = mem_cgroup_from_css(css);

	if (val > 200)
		return -EINVAL;
	WRITE_ONCE(*(mem_cgroup_is_root(memcg) ? &memcg1_root_swappiness : &memcg->swappiness), val);
	return 0;
}

static u64 mem_cgroup_move_charge_read(struct cgroup_subsys_state *css, const struct cftype *cft)
{
	return READ_ONCE(mem_cgroup_from_css(css)->move_charge_at_immigrate);
}

/* Bit 0 anonymous pages, bit 1 file pages; no other bit. */
static int mem_cgroup_move_charge_write(struct cgroup_subsys_state *css, const struct cftype *cft, u64 val)
{
	if (val & ~3ULL)
		return -EINVAL;
	WRITE_ONCE(mem_cgroup_from_css(css)->move_charge_at_immigrate, val);
	return 0;
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
	unsigned long limit = PAGE_COUNTER_MAX, memsw_limit = PAGE_COUNTER_MAX;

	for (unsigned int i = 0; i < ARRAY_SIZE(memcg1_stats); i++)
		seq_printf(m, "%s %llu\n", memcg1_stats[i].name, memcg1_stat_value(memcg, memcg1_stats[i].idx, true));
	for (mi = memcg; mi && !mem_cgroup_is_root(mi); mi = parent_mem_cgroup(mi)) {
		limit = min(limit, READ_ONCE(mi->memory.max));
		memsw_limit = min(memsw_limit, READ_ONCE(mi->memsw_max));
	}
	seq_printf(m, "hierarchical_memory_limit %llu\n", (u64)limit * PAGE_SIZE);
	seq_printf(m, "hierarchical_memsw_limit %llu\n", (u64)memsw_limit * PAGE_SIZE);
	for (unsigned int i = 0; i < ARRAY_SIZE(memcg1_stats); i++)
		seq_printf(m, "total_%s %llu\n", memcg1_stats[i].name,
			   memcg1_stat_value(memcg, memcg1_stats[i].idx, false));
	return 0;
}

/* numa_stat: pages on the LRU lists by kind, the group's own and with its descendants' (one node). */
static int memcg1_numa_stat_show(struct seq_file *m, void *v)
{
	struct mem_cgroup *memcg = mem_cgroup_from_css(seq_css(m));

	for (int hier = 0; hier < 2; hier++) {
		unsigned long file = memcg_page_state(memcg, NR_FILE_PAGES, !hier);
		unsigned long anon = memcg_page_state(memcg, NR_ANON_MAPPED, !hier);
		const char *pre = hier ? "hierarchical_" : "";
		seq_printf(m, "%stotal=%lu N0=%lu\n", pre, file + anon, file + anon);
		seq_printf(m, "%sfile=%lu N0=%lu\n", pre, file, file);
		seq_printf(m, "%sanon=%lu N0=%lu\n", pre, anon, anon);
		seq_printf(m, "%sunevictable=0 N0=0\n", pre);
	}
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
	{ .name = "memory.soft_limit_in_bytes", .private = RES_SOFT_LIMIT, .read_u64 = mem_cgroup_read_u64,
	  .write = mem_cgroup_limit_write },
	{ .name = "memory.stat", .seq_show = memcg1_stat_show },
	{ .name = "memory.force_empty", .write = mem_cgroup_force_empty_write },
	{ .name = "memory.swappiness", .read_u64 = mem_cgroup_swappiness_read, .write_u64 = mem_cgroup_swappiness_write },
	{ .name = "memory.move_charge_at_immigrate", .read_u64 = mem_cgroup_move_charge_read,
	  .write_u64 = mem_cgroup_move_charge_write },
	{ .name = "memory.numa_stat", .seq_show = memcg1_numa_stat_show },
	{ .name = "memory.use_hierarchy", .read_u64 = mem_cgroup_hierarchy_read,
	  .write_u64 = mem_cgroup_hierarchy_write },
	{ .name = "memory.oom_control", .seq_show = mem_cgroup_oom_control_read,
	  .write_u64 = mem_cgroup_oom_control_write },
	{ .name = "memory.memsw.usage_in_bytes", .private = RES_MEMSW | RES_USAGE, .read_u64 = mem_cgroup_read_u64 },
	{ .name = "memory.memsw.max_usage_in_bytes", .private = RES_MEMSW | RES_MAX_USAGE,
	  .read_u64 = mem_cgroup_read_u64, .write = mem_cgroup_reset },
	{ .name = "memory.memsw.limit_in_bytes", .private = RES_MEMSW | RES_LIMIT, .read_u64 = mem_cgroup_read_u64,
	  .write = mem_cgroup_limit_write },
	{ .name = "memory.memsw.failcnt", .private = RES_MEMSW | RES_FAILCNT, .read_u64 = mem_cgroup_read_u64,
	  .write = mem_cgroup_reset },
	{ .name = "cgroup.event_control", .flags = CFTYPE_WORLD_WRITABLE, .write = memcg_write_event_control },
	{ .name = NULL },
};
