/*
 * The OOM killer's interface (Linux: include/linux/oom.h): how a task is
 * ranked (oom_badness(), also behind /proc/PID/oom_score), how an OOM is
 * described (struct oom_control) and handled (out_of_memory()), the victim's
 * marks (mark_oom_victim(), tsk_is_oom_victim(), exit_oom_victim()), the OOM
 * reaper (wake_oom_reaper()), and the vm.* settings the killer obeys.
 * mm/oom_kill.c holds the code and its lock order; docs/oom.md the story.
 *
 * For a memory cgroup's OOM the same pieces are used with oc->memcg set:
 * select_bad_process() then looks only at the processes whose mm is charged
 * to that memcg (oom_task_in_scope()), totalpages is the memcg's limit,
 * dump_header() prints the memcg's figures (mem_cgroup_print_oom_meminfo())
 * and context, and oom_kill_process() is called with "Memory cgroup out of
 * memory" as its message.
 */
#ifndef _MM_OOM_H
#define _MM_OOM_H

#include <kernel/types.h>
#include <kernel/mutex.h>
#include <uapi/oom.h>

struct task_struct;
struct mem_cgroup;

/* What limited the allocation (Folio has one node, no cpusets and no mempolicies). */
enum oom_constraint {
	CONSTRAINT_NONE,
	CONSTRAINT_CPUSET,
	CONSTRAINT_MEMORY_POLICY,
	CONSTRAINT_MEMCG,
};

/*
 * One OOM: the failed request and, as the killer works, the victim it
 * chose. order -1 is SysRq f's manual OOM (is_sysrq_oom()).
 */
struct oom_control {
	struct mem_cgroup *memcg;	/* NULL: the whole system (a global OOM) */
	gfp_t gfp_mask;			/* the failed request's */
	int order;
	unsigned long totalpages;	/* what oom_score_adj is a thousandth of */
	struct task_struct *chosen;	/* with a reference; OOM_ABORT_SELECTION: an
					 * earlier victim's memory is still on its way back */
	long chosen_points;
	enum oom_constraint constraint;
	unsigned long victims_seq;	/* oom_victims_seq() when the caller last found memory
					 * short (0: out_of_memory() takes it on entry); a victim's
					 * progress since then means "retry", not "kill again" */
};
#define OOM_ABORT_SELECTION ((struct task_struct *)-1UL)

static inline bool is_memcg_oom(const struct oom_control *oc) { return oc->memcg != NULL; }
static inline bool is_sysrq_oom(const struct oom_control *oc) { return oc->order == -1; }

/* Serialises OOM kills: held around out_of_memory() (the allocator takes it with a trylock). */
extern struct mutex oom_lock;

/*
 * Handle an OOM: let a dying allocator finish, or panic as vm.panic_on_oom
 * says, or kill a task. Caller holds oom_lock. true if memory should come
 * back (a victim was killed or is already dying: retry); false if nothing
 * could be done. oc->chosen says which.
 */
bool out_of_memory(struct oom_control *oc);
/* Choose the victim into oc->chosen (or OOM_ABORT_SELECTION, or NULL). Caller holds oom_lock. */
void select_bad_process(struct oom_control *oc);
/* Kill oc->chosen (its reference is consumed) and every process sharing its mm; message: "Out of memory". */
void oom_kill_process(struct oom_control *oc, const char *message);
/* The report: "invoked oom-killer", the stack, memory, the task table, the summary line (p may be NULL). */
void dump_header(struct oom_control *oc, struct task_struct *p);

/*
 * The task's "badness" in pages: its process's rss, page tables, and
 * oom_score_adj thousandths of totalpages; LONG_MIN for a task that may
 * not be chosen (pid 1, kernel threads, -1000, an mm being torn down, a
 * vfork child still on its parent's mm).
 */
long oom_badness(struct task_struct *p, unsigned long totalpages);
/* A thread of p's process that still has an mm, returned with its task_lock held; or NULL. */
struct task_struct *find_lock_task_mm(struct task_struct *p);

/* The victim's marks. */
void mark_oom_victim(struct task_struct *tsk);		/* under task_lock(tsk), tsk->mm set */
void exit_oom_victim(struct task_struct *tsk);		/* clears TIF_MEMDIE, if set */
/* Chosen by the OOM killer (its mm is pinned in signal->oom_mm); for the process's lifetime. */
static inline bool tsk_is_oom_victim(struct task_struct *tsk);
/* May tsk dip into the reserves below min? TIF_MEMDIE, or a pending SIGKILL. */
bool oom_reserves_allowed(struct task_struct *tsk);
/* Queue tsk (a victim) for the OOM reaper. */
void wake_oom_reaper(struct task_struct *tsk);

/*
 * Waiting for an earlier victim: sample oom_victims_seq() under oom_lock,
 * and after dropping it sleep in oom_wait_for_victims() until a victim
 * makes progress (its memory reaped or unmapped, TIF_MEMDIE cleared, a new
 * victim marked).
 */
unsigned long oom_victims_seq(void);
void oom_wait_for_victims(unsigned long seq);
/* exit_mmap() unmapped an OOM victim's mm and set MMF_OOM_SKIP: wake the waiters. */
void oom_victim_mm_unmapped(void);

/* The designs before each fix, chosen at boot (docs/oom.md). */
extern bool oom_reaper_enabled;		/* oom_reaper=0: no reaper thread (before 2016) */
extern bool oom_reaper_mmget;		/* oom_reaper.mmget=1: the reaper pins with mmget_not_zero() */
extern bool oom_reaper_keep_memdie;	/* oom_reaper.keep_memdie=1: TIF_MEMDIE kept after reaping */
extern int oom_victims;			/* atomic: tasks with TIF_MEMDIE */

/* Start the oom_reaper thread (unless oom_reaper=0) and SysRq f's; say which design runs. */
void oom_init(void);
/* SysRq f (kernel/sysrq.c): a manual OOM kill, run in process context. */
void sysrq_oom_kill(void);

/* A memory cgroup's part of the report, of the scan and of the kill (mm/memcontrol.c). */
void mem_cgroup_print_oom_meminfo(struct mem_cgroup *memcg);
/* ",oom_memcg=PATH,task_memcg=PATH" or ",global_oom,task_memcg=PATH" into buf. */
int mem_cgroup_print_oom_context(char *buf, size_t size, struct mem_cgroup *memcg, struct task_struct *p);
/* Is p's process in memcg or below it? Called under tasklist_lock. */
bool mem_cgroup_task_in_oom_scope(struct task_struct *p, struct mem_cgroup *memcg);
/* memory.oom.group: the group to kill whole with victim (referenced), or NULL. */
struct mem_cgroup *mem_cgroup_get_oom_group(struct task_struct *victim, struct mem_cgroup *oom_domain);
void mem_cgroup_print_oom_group(struct mem_cgroup *memcg);
void mem_cgroup_count_oom_group_kill(struct mem_cgroup *memcg);
void mem_cgroup_put(struct mem_cgroup *memcg);

extern int sysctl_panic_on_oom;			/* 0, 1, 2 */
extern int sysctl_oom_kill_allocating_task;	/* 0 or not */
extern int sysctl_oom_dump_tasks;		/* 0 or not; default 1 */

#include <kernel/sched/signal.h>
static inline bool tsk_is_oom_victim(struct task_struct *tsk)
{
	return READ_ONCE(tsk->signal->oom_mm) != NULL;
}

#endif
