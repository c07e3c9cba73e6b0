/*
 * Trace events and the trace ring buffer (Linux: include/linux/tracepoint.h,
 * kernel/trace/trace.c, include/trace/events/oom.h), read as text in
 * Linux's format from tracefs (/sys/kernel/tracing/trace).
 *
 * An event is one line of TRACE_EVENTS below: its system and name, as tracefs
 * shows them (events/oom/mark_victim), and the function that prints its
 * payload (kernel/trace/trace_events.c). Code records one with its trace_*()
 * call; while the event is disabled that call costs one load and one branch.
 * When enabled, the entry goes into a fixed ring of TRACE_RING_ENTRIES
 * entries (the oldest is overwritten when it is full, as Linux's default
 * "overwrite" mode): recording never allocates and never sleeps, so it is
 * safe with interrupts off, under spinlocks and in interrupt handlers.
 *
 * Every entry gets a sequence number, counting up from boot and never
 * reused (not even by `echo > trace`), so a test can take trace_mark(),
 * run a scenario, and ask in which order events happened after the mark
 * (trace_next(), trace_count()).
 *
 * Locking: trace_lock (irqsave) guards the ring and its counters; the
 * per-event enable bytes are written under trace_enable_lock and read
 * without a lock (READ_ONCE) on the recording path.
 */
#ifndef _KERNEL_TRACE_H
#define _KERNEL_TRACE_H

#include <kernel/kernel.h>
#include <kernel/sched.h>

/*
 * The events: E(system, name, printer). To add one, add its line here, its
 * printer in kernel/trace/trace_events.c and a trace_NAME() call below.
 */
#define TRACE_EVENTS(E)						\
	/* Linux's OOM events (Linux 6.1's formats) */		\
	E(oom, mark_victim, print_mark_victim)			\
	E(oom, wake_reaper, print_pid)				\
	E(oom, start_task_reaping, print_pid)			\
	E(oom, finish_task_reaping, print_pid)			\
	E(oom, skip_task_reaping, print_pid)			\
	/* Folio's: TIF_MEMDIE cleared, and the steps of exit_mmap() the reaper races with */ \
	E(oom, exit_oom_victim, print_pid)			\
	E(oom, exit_mmap_start, print_pid)			\
	E(oom, exit_mmap_oom_skip, print_pid)			\
	E(oom, exit_mmap_lock, print_pid)			\
	E(oom, exit_mmap_unlock, print_pid)			\
	/* Folio's: a memory cgroup's OOM in the charge path, and the sleeps at it */ \
	E(memcg, mem_cgroup_oom, print_memcg_oom)		\
	E(memcg, oom_wait, print_func)				\
	E(memcg, oom_wait_done, print_func)			\
	/* Folio's: delay-injection points (kernel/delay_point.c) */	\
	E(delay, reached, print_delay_reached)			\
	E(delay, released, print_delay_released)

enum trace_event_id {
#define TRACE_EVENT_ID(sys, name, printer) TRACE_##sys##_##name,
	TRACE_EVENTS(TRACE_EVENT_ID)
#undef TRACE_EVENT_ID
	NR_TRACE_EVENTS
};

#define TRACE_RING_ENTRIES 4096
#define TRACE_ARGS 8		/* numbers an event records */
#define TRACE_STR_LEN 48	/* and one string (a delay point's name, a comm) */

/* ->flags: the context the event was recorded in (the flag columns of the output). */
#define TRACE_FLAG_IRQS_OFF 0x01
#define TRACE_FLAG_NEED_RESCHED 0x04
#define TRACE_FLAG_HARDIRQ 0x08

struct trace_entry {
	u64 seq;			/* its place in the order of all events since boot */
	u64 ts;				/* local_clock() nanoseconds */
	u16 type;			/* enum trace_event_id */
	u8 flags;			/* TRACE_FLAG_* */
	u8 preempt_count;		/* the recording code's preemption depth */
	u32 cpu;
	pid_t pid;			/* the task that recorded it */
	char comm[TASK_COMM_LEN];
	u64 args[TRACE_ARGS];		/* the payload: what each event's printer reads */
	char str[TRACE_STR_LEN];
};

struct trace_event_call {
	const char *system, *name;
	/* Print the payload ("pid=85") into buf; returns what snprintf() returns. */
	int (*print)(char *buf, size_t size, const struct trace_entry *e);
};
extern const struct trace_event_call trace_events[NR_TRACE_EVENTS];

/* ---- recording ---- */
extern u8 trace_event_state[NR_TRACE_EVENTS];	/* non-zero: the event is enabled */

static __always_inline bool trace_event_enabled(enum trace_event_id id)
{
	return unlikely(READ_ONCE(trace_event_state[id]));
}

/* Record event id with str (may be NULL) and nargs numbers; call it only when enabled. */
void trace_event_record(enum trace_event_id id, const char *str, unsigned int nargs, const u64 *args);

#define trace_event(id, str, ...) do {							\
	if (trace_event_enabled(id)) {							\
		const u64 __args[] = { 0, ##__VA_ARGS__ };				\
		trace_event_record(id, str, ARRAY_SIZE(__args) - 1, __args + 1);	\
	}										\
} while (0)

/* Linux's OOM tracepoints, with Linux's arguments. */
void __trace_mark_victim(struct task_struct *tsk, unsigned int uid);
static inline void trace_mark_victim(struct task_struct *tsk, unsigned int uid)
{
	if (trace_event_enabled(TRACE_oom_mark_victim))
		__trace_mark_victim(tsk, uid);
}
#define trace_wake_reaper(pid) trace_event(TRACE_oom_wake_reaper, NULL, (pid))
#define trace_start_task_reaping(pid) trace_event(TRACE_oom_start_task_reaping, NULL, (pid))
#define trace_finish_task_reaping(pid) trace_event(TRACE_oom_finish_task_reaping, NULL, (pid))
#define trace_skip_task_reaping(pid) trace_event(TRACE_oom_skip_task_reaping, NULL, (pid))
/* pid has lost TIF_MEMDIE: current is the reaper (done with it) or the victim itself (exiting). */
#define trace_exit_oom_victim(pid) trace_event(TRACE_oom_exit_oom_victim, NULL, (pid))
/* exit_mmap(): pid is the task tearing the mm down (current), as the reaper's events name theirs. */
#define trace_exit_mmap_start(pid) trace_event(TRACE_oom_exit_mmap_start, NULL, (pid))
#define trace_exit_mmap_oom_skip(pid) trace_event(TRACE_oom_exit_mmap_oom_skip, NULL, (pid))
#define trace_exit_mmap_lock(pid) trace_event(TRACE_oom_exit_mmap_lock, NULL, (pid))
#define trace_exit_mmap_unlock(pid) trace_event(TRACE_oom_exit_mmap_unlock, NULL, (pid))
/*
 * memcg: current's charge found the group at its limit (memory.events' oom
 * is counted): fault says whether in a user fault. oom_wait and
 * oom_wait_done bracket a charger's sleep at the group's OOM; func is the
 * function that sleeps, mem_cgroup_oom_trap() (in the charge, its caller's
 * locks held) or mem_cgroup_oom_synchronize() (after the unwind, none held).
 */
#define trace_mem_cgroup_oom(fault) trace_event(TRACE_memcg_mem_cgroup_oom, NULL, (fault))
#define trace_oom_wait(func) trace_event(TRACE_memcg_oom_wait, (func))
#define trace_oom_wait_done(func) trace_event(TRACE_memcg_oom_wait_done, (func))

/* ---- control ---- */
extern bool tracing_on;				/* tracefs tracing_on: 0 drops every event */
void tracing_set_on(bool on);
/* Enable or disable one event. */
void trace_event_set(enum trace_event_id id, bool on);
/*
 * Enable (or disable) events by Linux's set_event syntax: "oom:mark_victim",
 * "oom:*" or "oom:" or "oom" (a whole system), "*:mark_victim" or
 * "mark_victim" (an event of any system), "*:*". Returns the number of
 * events that matched, or -EINVAL if none did.
 */
int trace_set_clr_event(const char *spec, bool on);
/* Whether the events spec names (as above) are all off (0), all on (1), or mixed (2). */
int trace_events_state(const char *spec);
/* Forget every entry (`echo > trace`); sequence numbers go on counting. */
void tracing_reset(void);
/*
 * trace_pipe: print the oldest entries as lines into buf (whole lines, unless
 * the first alone does not fit) and take them out of the ring. Returns the
 * bytes written, 0 if the ring is empty.
 */
size_t trace_consume(char *buf, size_t size);

/* ---- reading ---- */
u64 trace_mark(void);			/* the sequence number the next entry will get */
/*
 * The first entry at or after *pos of event id (any if id < 0) recorded by
 * pid (any if pid < 0), copied into *e (may be NULL); *pos moves past it.
 * false if there is none (entries overwritten by newer ones are gone).
 */
bool trace_next(u64 *pos, int id, pid_t pid, struct trace_entry *e);
/* How many such entries from `from` on. */
unsigned int trace_count(u64 from, int id, pid_t pid);
/* The sequence number of the first such entry from `from` on, or -1. */
s64 trace_find(u64 from, int id, pid_t pid);

/* Output in Linux's format. Each returns what snprintf() would (the length it needs). */
int trace_print_header(char *buf, size_t size);	/* "# tracer: nop" ... column heads */
int trace_print_entry(char *buf, size_t size, const struct trace_entry *e);	/* one line, '\n' */
/*
 * The whole `trace` file into a vmalloc'd buffer (its length in *len); NULL
 * if memory is short. Free it with vfree().
 */
char *trace_render(size_t *len);

#endif
