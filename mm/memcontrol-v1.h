/*
 * What the memory controller's two halves share (Linux: mm/memcontrol-v1.h):
 * memcontrol.c (charging, statistics, the v2 files) and memcontrol-v1.c
 * (the v1 files and cgroup.event_control).
 */
#ifndef _MM_MEMCONTROL_V1_H
#define _MM_MEMCONTROL_V1_H

#include <mm/memcontrol.h>

extern const struct cftype mem_cgroup_legacy_files[];

void __mod_memcg_state(struct mem_cgroup *memcg, int idx, long val);
void count_memcg_events(struct mem_cgroup *memcg, int idx, unsigned long count);
void memcg_memory_event(struct mem_cgroup *memcg, enum memcg_memory_event event);

/* A new group's v1 settings: unlimited, with its parent's swappiness (parent NULL: the root). */
void memcg1_css_init(struct mem_cgroup *memcg, struct mem_cgroup *parent);
/* The group is removed: every eventfd registered on it is signalled once and let go. */
void memcg1_css_offline(struct mem_cgroup *memcg);
/* Signal the eventfds registered for memcg's OOM notification (v1's memory.oom_control). */
void memcg1_oom_notify(struct mem_cgroup *memcg);

#endif
